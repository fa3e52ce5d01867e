"""`keras.optimizers.Optimizer`: the base class of Keras 3 optimizers.

An optimizer owns its state as `keras.Variable`s: `iterations` (int64, one
per applied update), `learning_rate` (unless it is a schedule or a callable)
and the slot variables its subclass creates in `build` (paths like
"adam/dense_kernel_momentum"). `apply_gradients` runs, in Keras 3's order:
filter None gradients, unscale (`loss_scale_factor`), gradient accumulation,
clipping, weight decay, the subclass's `update_step` for each variable, the
moving average (`use_ema`), `iterations += 1`, then the variables'
constraints. Everything is written with tf ops and variable assignments, so
an update traces into a `tf.function` graph.
"""
import re
import warnings

import tensorlite as tf
from tensorlite.keras import backend, initializers, naming
from tensorlite.keras.optimizers import schedules
from tensorlite.keras.saving import serialization
from tensorlite.keras.variables import Variable

_LR_TYPE_ERROR = (
    "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a "
    "callable (that takes in the current iteration value and returns the corresponding "
    "learning rate value). Received instead: learning_rate={}")


def _cond(pred, true_fn, false_fn):
    """Runs `true_fn()` if pred else `false_fn()` for their side effects (variable updates):
    a Python branch eagerly, a tf.cond when traced."""
    if tf.executing_eagerly():
        (true_fn if bool(pred) else false_fn)()
        return

    def branch(fn):
        def run():
            fn()
            return tf.constant(True)  # a branch of tf.cond has at least one output
        return run
    tf.cond(pred, branch(true_fn), branch(false_fn))


def _no_op():
    return None


class Optimizer:
    """Base class of optimizers; subclasses implement `build(var_list)` (creating their
    slot variables) and `update_step(gradient, variable, learning_rate)`.

    >>> class PlainSGD(keras.optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         variable.assign_sub(gradient * tf.cast(learning_rate, variable.dtype))
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if name is None:
            name = naming.uniquify(naming.to_snake_case(type(self).__name__))
        _validate_options(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                          ema_overwrite_frequency, gradient_accumulation_steps)
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._var_index = {}           # id(variable) -> position in _trainable_variables
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._decay_cache = {}
        self._step_values = None
        self._iterations = self.add_variable((), initializer=initializers.Zeros(),
                                             dtype="int64", name="iteration")
        self._learning_rate = self._build_learning_rate(learning_rate)

    # ---- learning rate ------------------------------------------------------------------

    def _build_learning_rate(self, learning_rate):
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            return learning_rate
        if not isinstance(learning_rate, float) or learning_rate < 0:
            raise ValueError(_LR_TYPE_ERROR.format(learning_rate))
        return self.add_variable((), initializer=initializers.Constant(learning_rate),
                                 dtype=backend.floatx(), name="learning_rate")

    @property
    def learning_rate(self):
        """The current learning rate: the variable holding it, or the schedule's value at
        `iterations` (a tensor), or what the callable returns."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            return lr(self.iterations)
        if isinstance(lr, tf.Variable):
            return lr
        return lr()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        current = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            if isinstance(current, tf.Variable):
                self._variables = [v for v in self._variables if v is not current]
            self._learning_rate = learning_rate
        elif isinstance(current, schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument.")
        elif isinstance(current, tf.Variable):
            current.assign(tf.cast(learning_rate, current.dtype), read_value=False)
        else:
            self._learning_rate = self._build_learning_rate(float(learning_rate))

    def _current_learning_rate(self):
        """The learning rate of this step as a tensor (a variable is read once per step)."""
        lr = self.learning_rate
        return lr.value() if isinstance(lr, tf.Variable) else tf.convert_to_tensor(lr)

    # ---- state --------------------------------------------------------------------------

    @property
    def iterations(self):
        """The number of updates applied (an int64 variable; with gradient accumulation,
        the number of accumulated steps divided by their count)."""
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    @property
    def variables(self):
        """All the optimizer's variables: iteration, learning rate, then the slots."""
        return list(self._variables)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     name=None):
        """A new optimizer variable (not trainable), under this optimizer's name scope."""
        initializer = initializers.get(initializer)
        with tf.name_scope(self.name + "/"):
            variable = Variable(initializer, shape=shape, dtype=dtype, trainable=False,
                                aggregation=aggregation, name=name)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot variable shaped like `reference_variable`, named after it
        ("dense_kernel_momentum" for dense/kernel)."""
        name = name or "var"
        path = getattr(reference_variable, "path", None)
        if path is not None:
            prefix = path.replace("/", "_")
        else:
            prefix = str(reference_variable.name).replace("/", "_").replace(":", "_")
        return self.add_variable(tuple(reference_variable.shape.as_list()),
                                 initializer=initializer, dtype=reference_variable.dtype,
                                 name=f"{prefix}_{name}")

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable for `name` (a list of slots), or for each of several names
        (a tuple of lists); the slots of a variable are created together, in order."""
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else \
            [initializer] * len(names)
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, (slot_name, init) in enumerate(zip(names, inits)):
                slots[i].append(self.add_variable_from_reference(variable, slot_name, init))
        return slots[0] if isinstance(name, str) else slots

    def build(self, variables):
        """Creates the optimizer state for `variables`; subclasses add their slots after
        calling this."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator")
        self._trainable_variables = list(variables)
        self._var_index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        self.built = True

    def _get_variable_index(self, variable):
        return self._var_index[id(variable)]

    def assign(self, variable, value):
        variable.assign(value, read_value=False)

    def assign_add(self, variable, value):
        variable.assign_add(value, read_value=False)

    def assign_sub(self, variable, value):
        variable.assign_sub(value, read_value=False)

    def set_weights(self, weights):
        """Sets all the optimizer's variables from a list of values, in `variables` order."""
        if len(weights) != len(self._variables):
            raise ValueError(f"Optimizer variable count mismatch: the optimizer has "
                             f"{len(self._variables)} variables but {len(weights)} values "
                             "were given.")
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight, read_value=False)

    def save_own_variables(self, store):
        """Writes the variables' values into `store` under "0", "1", ... (.keras files)."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads back what `save_own_variables` wrote (skipped, with a warning, if the
        counts differ)."""
        if len(store.keys()) != len(self._variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                   f"{len(self._variables)} variables whereas the saved optimizer has "
                   f"{len(store.keys())} variables. ")
            if len(self._variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)], read_value=False)

    # ---- applying gradients ---------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns `iterations`."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Applies `grads` to `trainable_variables` (or to the variables the optimizer was
        built with, in order)."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already "
                    "be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first. ")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    "match `optimizer.variables` one-to-on. Received a list of "
                    f"{len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = _filter_empty_gradients(grads, trainable_variables)
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        self._backend_apply_gradients(grads, trainable_variables)
        for variable in trainable_variables:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.assign(constraint(variable), read_value=False)

    def _check_variables_are_known(self, variables):
        index = self._var_index
        for v in variables:
            if id(v) not in index:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables, you should recreate a new optimizer instance.")

    def _backend_apply_gradients(self, grads, trainable_variables):
        if self.gradient_accumulation_steps:
            self._accumulate_or_update(grads, trainable_variables)
        else:
            self._clipped_update(grads, trainable_variables)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                overwrite = tf.equal(
                    (self.iterations + 1) % self.ema_overwrite_frequency, 0)
                _cond(overwrite, lambda: self._overwrite_model_variables_with_average_value(
                    self._trainable_variables), _no_op)
        self._iterations.assign_add(tf.constant(1, tf.int64), read_value=False)

    def _clipped_update(self, grads, trainable_variables):
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(trainable_variables, learning_rate)
        self._backend_update_step(grads, trainable_variables, learning_rate)

    def _accumulate_or_update(self, grads, trainable_variables):
        """Adds the gradients to the accumulators; every `gradient_accumulation_steps`-th
        call applies their mean instead and resets them."""
        steps = self.gradient_accumulation_steps
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                        for v in trainable_variables]

        def update():
            mean_grads = [(g + acc) / steps for g, acc in zip(grads, accumulators)]
            self._clipped_update(mean_grads, trainable_variables)
            for acc in self._accumulated_gradients:
                acc.assign(tf.zeros_like(acc), read_value=False)

        def accumulate():
            for g, acc in zip(grads, accumulators):
                acc.assign_add(g, read_value=False)

        _cond(tf.equal((self._iterations + 1) % steps, 0), update, accumulate)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        self._step_values = {}
        try:
            for grad, variable in zip(grads, trainable_variables):
                self.update_step(grad, variable, learning_rate)
        finally:
            self._step_values = None

    def _step_value(self, key, dtype, compute):
        """A scalar of this step shared by all variables of `dtype` (bias corrections ...):
        computed by `compute()` once per update rather than once per variable."""
        cache = self._step_values
        if cache is None:
            return compute()
        value = cache.get((key, dtype))
        if value is None:
            value = cache[(key, dtype)] = compute()
        return value

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable from its gradient (implemented by each optimizer)."""
        raise NotImplementedError

    # ---- gradient processing ------------------------------------------------------------

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [tf.clip_by_value(g, -v, v) for g in grads]
        return grads

    def _clip_by_norm(self, values):
        """values * clipnorm / max(||values||, clipnorm), safe for all-zero values."""
        l2sum = tf.reduce_sum(tf.square(values), keepdims=True)
        positive = l2sum > 0
        l2norm = tf.where(positive, tf.sqrt(tf.where(positive, l2sum, tf.ones_like(l2sum))),
                          l2sum)
        return values * self.clipnorm / tf.maximum(l2norm, self.clipnorm)

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay: those in `var_list`, and those whose name
        contains (as a regex) one of `var_names`. Only before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before "
                             "the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_cache = {}

    def _use_weight_decay(self, variable):
        key = id(variable)
        use = self._decay_cache.get(key)
        if use is None:
            use = key not in self._exclude_ids and not (
                self._exclude_pattern is not None and
                self._exclude_pattern.search(variable.name) is not None)
            self._decay_cache[key] = use
        return use

    def _apply_weight_decay(self, variables, learning_rate):
        """variable -= variable * weight_decay * learning_rate (decoupled weight decay)."""
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = tf.cast(learning_rate, variable.dtype)
                wd = tf.cast(self.weight_decay, variable.dtype)
                variable.assign(variable - variable * wd * lr, read_value=False)

    def scale_loss(self, loss):
        """The loss times `loss_scale_factor` (the gradients are divided back in `apply`)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ---- exponential moving average -----------------------------------------------------

    def _update_model_variables_moving_average(self, trainable_variables):
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            # the first step copies the variable: momentum 0
            not_first_step = tf.cast(tf.not_equal(self.iterations, 0), variable.dtype)
            momentum = not_first_step * self.ema_momentum
            average.assign(momentum * average + (1 - momentum) * variable, read_value=False)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            variable.assign(average, read_value=False)

    def finalize_variable_values(self, var_list):
        """With `use_ema`, sets the model's variables to their moving averages (done by
        `fit` at the end of training)."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # ---- configuration ------------------------------------------------------------------

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(lr)
        elif isinstance(lr, tf.Variable):
            learning_rate = float(lr.numpy())
        else:
            learning_rate = serialization.serialize_keras_object(lr)
        return {"name": self.name, "learning_rate": learning_rate,
                "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = serialization.deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects,
                module_objects=schedules.ALL_OBJECTS_DICT)
        return cls(**config)


def _validate_options(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                      ema_overwrite_frequency, gradient_accumulation_steps):
    if gradient_accumulation_steps:
        if not (isinstance(gradient_accumulation_steps, int) and
                gradient_accumulation_steps >= 2):
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps="
                             f"{gradient_accumulation_steps}")
    if use_ema:
        if not 0 <= ema_momentum <= 1:
            raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                             f"Received: ema_momentum={ema_momentum}")
        if ema_overwrite_frequency and not (isinstance(ema_overwrite_frequency, int) and
                                            ema_overwrite_frequency >= 1):
            raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                             f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
    if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                         f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                         f"global_clipnorm={global_clipnorm}")


def _filter_empty_gradients(grads, variables):
    """Drops the (None, variable) pairs, with Keras's warning; densifies sparse gradients."""
    kept_grads, kept_vars, missing = [], [], []
    for g, v in zip(grads, variables):
        if g is None:
            missing.append(v.name)
        else:
            kept_grads.append(g if isinstance(g, tf.Tensor) else tf.convert_to_tensor(g))
            kept_vars.append(v)
    if not kept_grads:
        raise ValueError("No gradients provided for any variable.")
    if missing:
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                      "loss. If using `model.compile()`, did you forget to provide a `loss` "
                      "argument?", stacklevel=3)
    return kept_grads, kept_vars


def _clip_by_global_norm(grads, clip_norm):
    """Scales all gradients by clip_norm / max(global_norm, clip_norm); NaN if the global
    norm is not finite."""
    global_norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in grads]))
    scale = clip_norm * tf.minimum(1.0 / global_norm, 1.0 / clip_norm)
    scale = scale + (global_norm - global_norm)  # inf/nan norm -> nan scale
    return [g * tf.cast(scale, g.dtype) for g in grads]
