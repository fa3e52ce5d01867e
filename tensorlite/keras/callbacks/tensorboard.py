"""`keras.callbacks.TensorBoard`: writes training curves for TensorBoard.

`log_dir/train` receives the epoch metrics ("epoch_loss", "epoch_accuracy",
"epoch_learning_rate"), weight histograms and the model's config;
`log_dir/validation` receives the validation metrics under the same tags and,
after each evaluation, "evaluation_<metric>_vs_iterations" at the optimizer's
step count.
"""
import os
import time
import warnings

import numpy as np

from tensorlite.keras.callbacks.base import Callback
from tensorlite.keras.callbacks.event_file import EventFileWriter
from tensorlite.keras.saving.keras_file import config_to_json
from tensorlite.keras.saving.serialization import serialize_keras_object


def _current_learning_rate(model):
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "learning_rate", None)
    if lr is None:
        return None
    try:
        return float(np.asarray(lr))
    except (TypeError, ValueError):
        return None


class TensorBoard(Callback):
    """Logs metrics (and, with `histogram_freq`, weight histograms) as TensorBoard event files.

    >>> tensorboard = tf.keras.callbacks.TensorBoard(log_dir="logs")
    >>> model.fit(x, y, epochs=3, callbacks=[tensorboard])  # then `tensorboard --logdir logs`

    Args:
        log_dir: the folder of the "train" and "validation" event files.
        histogram_freq: every how many epochs to write weight histograms (0: never).
        write_graph: write the model's config (TensorBoard's graph dashboard draws it).
        write_steps_per_second: also log the training steps per second of each epoch.
        update_freq: "epoch", "batch", or N: also log "batch_<metric>" every N batches.
        write_images, profile_batch, embeddings_freq, embeddings_metadata: accepted for
            compatibility; tensorlite has no profiler, image or projector summaries.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._epoch_start = None
        self._epoch_batches = 0

    def _writer(self, name):
        writer = self._writers.get(name)
        if writer is None:
            writer = self._writers[name] = EventFileWriter(os.path.join(self.log_dir, name))
        return writer

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # ---- hooks ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        if self.write_graph:
            self._write_model_config()

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.time()
        self._epoch_batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        self._epoch_batches += 1
        freq = self.update_freq
        if freq == "epoch" or not logs or self._global_train_batch % freq:
            return
        writer = self._writer("train")
        for name, value in sorted(logs.items()):
            self._scalar(writer, "batch_" + name, value, self._global_train_batch)

    def on_test_end(self, logs=None):
        if not logs:
            return
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        step = int(np.asarray(iterations)) if iterations is not None else 0
        writer = self._writer("validation")
        for name, value in sorted(logs.items()):
            self._scalar(writer, f"evaluation_{name}_vs_iterations", value, step)
        writer.flush()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        if train_logs:
            lr = _current_learning_rate(self.model)
            if lr is not None and "learning_rate" not in train_logs:
                train_logs["learning_rate"] = lr
            if self.write_steps_per_second and self._epoch_start is not None:
                elapsed = time.time() - self._epoch_start
                train_logs["steps_per_second"] = self._epoch_batches / max(elapsed, 1e-9)
            writer = self._writer("train")
            for name, value in train_logs.items():
                self._scalar(writer, "epoch_" + name, value, epoch)
        if val_logs:
            writer = self._writer("validation")
            for name, value in val_logs.items():
                self._scalar(writer, "epoch_" + name, value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_histograms(epoch)
        for writer in self._writers.values():
            writer.flush()

    # ---- writing ----------------------------------------------------------------------------
    @staticmethod
    def _scalar(writer, tag, value, step):
        try:
            value = float(np.asarray(value))
        except (TypeError, ValueError):
            return  # not a number (a custom step may log anything)
        writer.add_scalar(tag, value, step)

    def _write_histograms(self, epoch):
        writer = self._writer("train")
        for layer in getattr(self.model, "layers", []):
            for weight in layer.weights:
                name = getattr(weight, "path", None) or weight.name
                writer.add_histogram(name.replace(":", "_") + "/histogram", np.asarray(weight),
                                     epoch)

    def _write_model_config(self):
        try:
            config = config_to_json(serialize_keras_object(self.model))
        except (NotImplementedError, TypeError, ValueError):
            warnings.warn("Model failed to serialize as JSON. Ignoring this model in the "
                          "TensorBoard graph.", stacklevel=2)
            return
        self._writer("train").add_keras_model(config)

