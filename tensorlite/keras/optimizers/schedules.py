"""`keras.optimizers.schedules`: learning rates as functions of the optimizer step.

A schedule is passed as an optimizer's `learning_rate`; the optimizer calls it
with its `iterations` at every update. Schedules are written with tf ops, so
the step may be a tensor or a variable and the call traces into a graph.

>>> lr = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=1000, decay_rate=0.1)
>>> float(lr(1000))
0.001
"""
import math

import tensorlite as tf
from tensorlite.keras.saving import serialization

_MODULE = "keras.optimizers.schedules"
ALL_OBJECTS_DICT = {}
_builtin = serialization.builtin_registrar(_MODULE, ALL_OBJECTS_DICT)


@_builtin
class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config()`."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' "
                                  "must override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' "
                                  "must override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _initial(value):
    """The initial learning rate as a tensor; its dtype is the schedule's dtype."""
    return tf.convert_to_tensor(value)


def _as(value, dtype):
    """A step, a hyperparameter or a variable as a tensor of the schedule's dtype."""
    if isinstance(value, (int, float)):
        return tf.constant(value, dtype=dtype)
    return tf.cast(value, dtype)


class _TimeDecay(LearningRateSchedule):
    """A decay driven by step / decay_steps (floored when `staircase`): the shared
    state, config and progress of ExponentialDecay and InverseTimeDecay."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _progress(self, step):
        """(initial rate, decay rate, step / decay_steps) as tensors of the schedule's dtype."""
        initial = _initial(self.initial_learning_rate)
        dtype = initial.dtype
        p = _as(step, dtype) / _as(self.decay_steps, dtype)
        if self.staircase:
            p = tf.floor(p)
        return initial, _as(self.decay_rate, dtype), p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


@_builtin
class ExponentialDecay(_TimeDecay):
    """initial_learning_rate * decay_rate ** (step / decay_steps); the exponent is
    floored when `staircase`, so the rate drops in steps every `decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError("Argument `decay_steps` must be > 0. "
                             f"Received: decay_steps={decay_steps}")
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        initial, decay_rate, p = self._progress(step)
        return initial * tf.pow(decay_rate, p)


@_builtin
class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], ...,
    values[-1] after the last boundary."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        values = [tf.convert_to_tensor(v) for v in self.values]
        step = tf.convert_to_tensor(step)
        # pick the value of the first interval (from the last one back) that holds step
        result = values[-1]
        for boundary, value in zip(reversed(self.boundaries), reversed(values[:-1])):
            result = tf.where(step <= _as(boundary, step.dtype), value, result)
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@_builtin
class InverseTimeDecay(_TimeDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps) (power scheduling);
    step / decay_steps is floored when `staircase`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        initial, decay_rate, p = self._progress(step)
        return initial / (1.0 + decay_rate * p)


@_builtin
class PolynomialDecay(LearningRateSchedule):
    """(initial - end) * (1 - step / decay_steps) ** power + end, held at `end` after
    `decay_steps`; with `cycle` the decay restarts over ever longer multiples of it."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial = _initial(self.initial_learning_rate)
        dtype = initial.dtype
        end = _as(self.end_learning_rate, dtype)
        power = _as(self.power, dtype)
        step = _as(step, dtype)
        decay_steps = _as(self.decay_steps, dtype)
        if self.cycle:
            # step 0 counts as the first cycle
            multiplier = tf.where(tf.equal(step, 0.0), tf.ones_like(step),
                                  tf.math.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = tf.minimum(step, decay_steps)
        p = step / decay_steps
        return (initial - end) * tf.pow(1.0 - p, power) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


def _cosine_decay(step, decay_steps, decay_from, alpha):
    """decay_from * ((1 - alpha) * (1 + cos(pi * step / decay_steps)) / 2 + alpha)."""
    fraction = step / decay_steps
    cosine = 0.5 * (1.0 + tf.cos(math.pi * fraction))
    return decay_from * ((1.0 - alpha) * cosine + alpha)


@_builtin
class CosineDecay(LearningRateSchedule):
    """Cosine annealing from the initial rate to alpha * it over `decay_steps`, after an
    optional linear warmup to `warmup_target` over `warmup_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        initial = _initial(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = _as(self.decay_steps, dtype)
        alpha = self.alpha
        step = _as(step, dtype)
        if self.warmup_target is None:
            step = tf.minimum(step, decay_steps)
            return _cosine_decay(step, decay_steps, initial, alpha)
        target = _as(self.warmup_target, dtype)
        warmup_steps = _as(self.warmup_steps, dtype)
        step = tf.minimum(step, decay_steps + warmup_steps)
        warmup = (target - initial) * (step / warmup_steps) + initial
        decayed = _cosine_decay(step - warmup_steps, decay_steps, target, alpha)
        return tf.where(step < warmup_steps, warmup, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


@_builtin
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine annealing with warm restarts (SGDR): the i-th period lasts
    first_decay_steps * t_mul**i steps and starts from initial * m_mul**i."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self.t_mul = t_mul
        self.m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial = _initial(self.initial_learning_rate)
        dtype = initial.dtype
        fraction = _as(step, dtype) / _as(self.first_decay_steps, dtype)
        t_mul = _as(self.t_mul, dtype)
        if self.t_mul == 1.0:
            restart = tf.floor(fraction)
            fraction = fraction - restart
        else:
            # periods grow geometrically: find the period holding `fraction`
            restart = tf.floor(tf.math.log(1.0 - fraction * (1.0 - t_mul)) / tf.math.log(t_mul))
            elapsed = (1.0 - tf.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / tf.pow(t_mul, restart)
        m_factor = tf.pow(_as(self.m_mul, dtype), restart)
        cosine = 0.5 * m_factor * (1.0 + tf.cos(math.pi * fraction))
        alpha = _as(self.alpha, dtype)
        return initial * ((1.0 - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


def serialize(learning_rate_schedule):
    """Keras's serialization dict of a schedule."""
    return serialization.serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """The schedule a `serialize` result describes."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)
