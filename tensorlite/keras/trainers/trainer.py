"""The training API of `keras.Model`: compile, fit, evaluate, predict and the batch methods.

`fit` runs `train_step(data)` once per batch: the forward pass under a
GradientTape (training=True), loss = compiled loss + sum(model.losses),
gradients, `optimizer.apply_gradients`, metric updates. Subclasses override
`train_step` / `test_step` / `predict_step` to customize a step and keep the
loop, callbacks and progress bar. `make_train_function` is where a step
becomes the function the loop calls (the place to wrap it in `tf.function`).
"""
import warnings

import numpy as np

from tensorlite.autodiff.tape import GradientTape
from tensorlite.framework.tensor import EagerTensor
from tensorlite.graph.function import Function
from tensorlite.keras.callbacks.base import CallbackList
from tensorlite.keras.trainers import compile_utils
from tensorlite.keras.layers import keras_tensor as kt
from tensorlite.keras.trainers.data_adapter import (EpochIterator, batch_to_tensors,
                                                    class_weight_to_sample_weights,
                                                    is_array_data, train_validation_split,
                                                    unpack_x_y_sample_weight)
from tensorlite.util import nest

# Trainer attributes that are not sublayers/weights/metrics of the model.
TRAINER_ATTRIBUTES = frozenset({
    "optimizer", "loss", "_compile_loss", "_compile_metrics", "_loss_tracker", "_compile_config",
    "train_function", "test_function", "predict_function", "history", "_eval_epoch_iterator",
    "_trainable_cache"})


def pythonify_logs(logs):
    """Logs with each value as a Python float (when it converts), keys sorted."""
    out = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            out.update(pythonify_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        out[key] = value
    return out


def _first_dim(x):
    """The batch size of a batch of inputs (first leaf's first dimension)."""
    if type(x) is EagerTensor:
        return x._value.shape[0]
    leaf = nest.flatten(x)[0]
    dim = leaf.shape[0] if leaf.shape.rank else None
    if dim is not None:
        return dim
    import tensorlite as tf
    return tf.shape(leaf)[0]


def _input_spec(x):
    """KerasTensors (batch dimension None) describing the inputs in `x`, if knowable
    without reading data: arrays, or a dataset's `element_spec`."""
    def spec(shape, dtype):
        dtype = "float32" if dtype == "float64" else dtype
        return kt.KerasTensor((None,) + tuple(shape)[1:], dtype=dtype)
    if x is None:
        return None
    if is_array_data(x):
        return nest.map_structure(
            lambda a: spec(np.shape(a), kt.standardize_dtype(getattr(a, "dtype", None)
                                                             or np.asarray(a).dtype)), x)
    element_spec = getattr(x, "element_spec", None)
    if element_spec is None:
        return None
    x_spec, _, _ = unpack_x_y_sample_weight(element_spec)
    try:
        return nest.map_structure(lambda s: spec(s.shape.as_list(), s.dtype.name), x_spec)
    except (AttributeError, ValueError):
        return None


def _concat_outputs(batches):
    """Per-batch output structures -> one structure of NumPy arrays concatenated on axis 0."""
    first = batches[0]
    flat = [nest.flatten(b) for b in batches]
    joined = [np.concatenate([f[i] for f in flat]) if np.ndim(flat[0][i]) else
              np.asarray([f[i] for f in flat]) for i in range(len(flat[0]))]
    return nest.pack_sequence_as(first, joined)


class Trainer:
    """Mixed into `Model`: training state (optimizer, compiled loss and metrics) and loops."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._compile_config = None
        self._run_eagerly = False
        self._jit_compile = None
        self.steps_per_execution = 1
        self.train_function = self.test_function = self.predict_function = None
        self.stop_training = False
        self._initial_epoch = None  # set by BackupAndRestore when it restores a backup
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history = None
        self._eval_epoch_iterator = None
        self._trainable_cache = None

    # ---- compile ---------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures training: the optimizer, the loss (per output if several) and metrics.

        >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        ...               metrics=["accuracy"])
        """
        from tensorlite.keras import metrics as metrics_module
        from tensorlite.keras import optimizers
        self.optimizer = optimizers.get(optimizer)
        output_names = getattr(self, "output_names", None)
        self.loss = loss
        self._compile_loss = (compile_utils.CompileLoss(loss, loss_weights,
                                                        output_names=output_names)
                              if loss is not None else None)
        self._compile_metrics = (compile_utils.CompileMetrics(metrics, weighted_metrics,
                                                              output_names=output_names)
                                 if metrics is not None or weighted_metrics is not None
                                 else None)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile
        self.steps_per_execution = steps_per_execution
        self._compile_config = {"optimizer": optimizer, "loss": loss,
                                "loss_weights": loss_weights, "metrics": metrics,
                                "weighted_metrics": weighted_metrics,
                                "run_eagerly": run_eagerly,
                                "steps_per_execution": steps_per_execution,
                                "jit_compile": jit_compile}
        self.train_function = self.test_function = self.predict_function = None
        self._trainable_cache = None
        self.stop_training = False
        self.compiled = True

    def get_compile_config(self):
        """The arguments `compile` was called with (serialized), for saving."""
        if not self.compiled or self._compile_config is None:
            return None
        from tensorlite.keras.saving.serialization import serialize_keras_object
        return {k: serialize_keras_object(v) for k, v in self._compile_config.items()}

    def compile_from_config(self, config):
        """Compiles the model from `get_compile_config()`'s dict."""
        from tensorlite.keras.saving.serialization import deserialize_keras_object
        config = dict(config)
        for key in ("optimizer", "loss", "metrics", "weighted_metrics"):
            value = config.get(key)
            if isinstance(value, dict):
                config[key] = deserialize_keras_object(value)
            elif isinstance(value, list):
                config[key] = [deserialize_keras_object(v) if isinstance(v, dict) else v
                               for v in value]
        self.compile(**config)

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    @property
    def jit_compile(self):
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = value

    @property
    def metrics(self):
        """The loss tracker, compiled metrics, per-output loss trackers, then tracked metrics."""
        metrics = []
        if self.compiled:
            if self._loss_tracker is not None:
                metrics.append(self._loss_tracker)
            if self._compile_metrics is not None:
                metrics.append(self._compile_metrics)
            if self._compile_loss is not None:
                metrics.extend(self._compile_loss.metrics)
        metrics.extend(self._metrics)
        for layer in self._flatten_layers(include_self=False):
            if not isinstance(layer, Trainer):
                metrics.extend(layer._metrics)
        return metrics

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _assert_compile_called(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # ---- steps -------------------------------------------------------------------------------
    def _forward(self, x, training):
        if self._get_call_info().has_training:
            return self(x, training=training)
        return self(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of (y, y_pred) plus the model's `losses` (regularization,
        `add_loss`), as one scalar."""
        import tensorlite as tf
        losses = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                losses.append(loss)
        for loss in self.losses:
            if loss.dtype.name != "float32":
                loss = tf.cast(loss, "float32")
            losses.append(tf.reduce_sum(loss) if loss.shape.rank else loss)
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return losses[0] if len(losses) == 1 else tf.add_n(losses)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics; returns every metric's current result (a dict)."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight=sample_weight)
        return self._metric_results()

    def _metric_results(self):
        results = {}
        for metric in self.metrics:
            if getattr(metric, "built", True) is False:
                continue  # compiled metrics are built by the first batch
            result = metric.result()
            if isinstance(result, dict):
                results.update(result)
            else:
                results[metric.name] = result
        return dict(sorted(results.items()))

    def get_metrics_result(self):
        """The current metric values as Python floats, sorted by name."""
        return pythonify_logs(self._metric_results())

    def _trainable_for_step(self):
        """The trainable weights, computed once the model is built (per compile/fit)."""
        cache = self._trainable_cache
        if cache is None:
            cache = self.trainable_weights
            if self.built:
                self._trainable_cache = cache
        return cache

    def train_step(self, data):
        """One training step on a batch `data` = (x, y, sample_weight); returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self._forward(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                     training=True)
        self._loss_tracker.update_state(loss, sample_weight=_first_dim(x))
        trainable = self._trainable_for_step()
        if trainable:
            gradients = tape.gradient(loss, trainable)
            self.optimizer.apply_gradients(zip(gradients, trainable))
        else:
            warnings.warn("The model does not have any trainable weights.")
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        """One evaluation step (training=False); returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self._forward(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                 training=False)
        self._loss_tracker.update_state(loss, sample_weight=_first_dim(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """The model's outputs on a batch (training=False)."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self._forward(x, training=False)

    def _callback_list(self, callbacks, verbose, epochs, steps, add_history=False):
        """`callbacks` as a CallbackList (with a progress bar unless `verbose` is 0); one
        passed in already is used as it is."""
        if isinstance(callbacks, CallbackList):
            return callbacks
        return CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0,
                            model=self, verbose=verbose, epochs=epochs, steps=steps)

    def _symbolic_build(self, x):
        """Builds an unbuilt model for inputs like `x` with an unknown batch size, by
        tracing a call on their spec (no data is read)."""
        if self.built:
            return
        spec = _input_spec(x)
        if spec is not None:
            kt.compute_output_spec(self, (spec,), {"training": False})

    # The loops call these functions: each step traced once per input signature (with an
    # unknown batch size) and run as a compiled program, unless run_eagerly.
    def _step_function(self, step):
        if self.run_eagerly:
            return step
        return Function(step, relax="batch", name=step.__name__)

    def make_train_function(self, force=False):
        if self.train_function is None or force:
            self.train_function = self._step_function(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is None or force:
            self.test_function = self._step_function(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        if self.predict_function is None or force:
            self.predict_function = self._step_function(self.predict_step)
        return self.predict_function

    # ---- loops ---------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains for `epochs` epochs; returns the `History` (`history.history["loss"]` ...).

        x/y: arrays (or lists/dicts of arrays for several inputs/outputs), a dataset
        or a generator of (x, y[, sample_weight]) batches.
        """
        self._assert_compile_called()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split(
                (x, y, sample_weight), validation_split)
        if validation_data is not None:
            val_x, val_y, val_sample_weight = unpack_x_y_sample_weight(validation_data)
        epoch_iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size,
                                       steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                                       class_weight=class_weight)
        self._symbolic_build(x)
        self._trainable_cache = None
        train_function = self.make_train_function()
        verbose = 1 if verbose == "auto" else verbose
        callbacks = self._callback_list(callbacks, verbose, epochs, epoch_iterator.num_batches,
                                        add_history=True)
        self.stop_training = False
        callbacks.on_train_begin()
        # a restored backup (BackupAndRestore) resumes at the epoch it saved
        initial_epoch = self._initial_epoch or initial_epoch
        training_logs = None
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, data in epoch_iterator:
                callbacks.on_train_batch_begin(step)
                logs = train_function(data)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if epoch_iterator.insufficient_data:
                self.stop_training = True
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                if self._eval_epoch_iterator is None:
                    self._eval_epoch_iterator = EpochIterator(
                        val_x, val_y, val_sample_weight,
                        batch_size=validation_batch_size or batch_size,
                        steps_per_epoch=validation_steps, shuffle=False)
                val_logs = self.evaluate(val_x, val_y, sample_weight=val_sample_weight,
                                         batch_size=validation_batch_size or batch_size,
                                         steps=validation_steps, callbacks=callbacks,
                                         return_dict=True, _use_cached_eval_dataset=True)
                epoch_logs.update({"val_" + name: value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None and epochs > initial_epoch:
            finalize(self.trainable_weights)
        self._eval_epoch_iterator = None
        callbacks.on_train_end(logs=training_logs)
        return self.history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics on the data: a float, a list, or a dict (`return_dict`)."""
        use_cached = kwargs.pop("_use_cached_eval_dataset", False)
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        self._assert_compile_called()
        if use_cached and self._eval_epoch_iterator is not None:
            epoch_iterator = self._eval_epoch_iterator
        else:
            epoch_iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size,
                                           steps_per_epoch=steps, shuffle=False)
            self._symbolic_build(x)
        test_function = self.make_test_function()
        verbose = 1 if verbose == "auto" else verbose
        callbacks = self._callback_list(callbacks, verbose, 1, epoch_iterator.num_batches)
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs = {}
        self.reset_metrics()
        for step, data in epoch_iterator:
            callbacks.on_test_batch_begin(step)
            logs = test_function(data)
            callbacks.on_test_batch_end(step, logs)
            if self.stop_evaluating:
                break
        logs = self._get_metrics_result_or_logs(logs)
        callbacks.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x` as NumPy arrays (batches concatenated)."""
        epoch_iterator = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps,
                                       shuffle=False)
        self._symbolic_build(x)
        predict_function = self.make_predict_function()
        verbose = 1 if verbose == "auto" else verbose
        callbacks = self._callback_list(callbacks, verbose, 1, epoch_iterator.num_batches)
        self.stop_predicting = False
        callbacks.on_predict_begin()
        outputs = []
        for step, data in epoch_iterator:
            callbacks.on_predict_batch_begin(step)
            batch_outputs = nest.map_structure(np.asarray, predict_function(data))
            outputs.append(batch_outputs)
            callbacks.on_predict_batch_end(step, {"outputs": batch_outputs})
            if self.stop_predicting:
                break
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information "
                             "of where went wrong, or file a issue/bug to `tf.keras`.")
        callbacks.on_predict_end()
        return _concat_outputs(outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One training step on one batch; returns the metrics (not reset between calls)."""
        self._assert_compile_called()
        if class_weight is not None:
            cw = class_weight_to_sample_weights(np.asarray(y), class_weight)
            sample_weight = cw if sample_weight is None else np.asarray(sample_weight) * cw
        self._symbolic_build(x)
        logs = self.make_train_function()(batch_to_tensors((x, y, sample_weight)))
        logs = pythonify_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """One evaluation step on one batch."""
        self._assert_compile_called()
        logs = self.make_test_function()(batch_to_tensors((x, y, sample_weight)))
        logs = pythonify_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays."""
        outputs = self.make_predict_function()(batch_to_tensors((x,)))
        return nest.map_structure(np.asarray, outputs)

    # ---- logs -------------------------------------------------------------------------------
    def _get_metrics_result_or_logs(self, logs):
        """The metrics' results, unless a custom step returned other keys (then its logs)."""
        metric_logs = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) == set(metric_logs):
            return metric_logs
        return pythonify_logs(logs)

    def _flatten_metrics_in_order(self, logs):
        """`logs` as a list in `metrics_names` order (a single value unwrapped)."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, compile_utils.CompileMetrics):
                names += [m.name for m in metric.metrics]
            else:
                names.append(metric.name)
        results = [logs[name] for name in names if name in logs]
        results += [logs[key] for key in sorted(logs) if key not in names]
        return results[0] if len(results) == 1 else results
