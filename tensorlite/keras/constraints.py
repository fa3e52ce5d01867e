"""`keras.constraints`: projections applied to weights after each optimizer step.

A constraint is called on a weight and returns the projected weight; the
optimizer assigns the result back (`kernel_constraint=max_norm(1.)`).

>>> keras.constraints.NonNeg()(tf.constant([-1., 2.]))
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 2.], dtype=float32)>
"""
import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.saving import serialization

_MODULE = "keras.constraints"
ALL_OBJECTS_DICT = {}
_builtin = serialization.builtin_registrar(_MODULE, ALL_OBJECTS_DICT, snake_case=True)


def _float_tensor(w):
    w = tf.convert_to_tensor(w)
    return w if w.dtype.is_floating else tf.cast(w, backend.floatx())


def _norms(w, axis):
    return tf.sqrt(tf.reduce_sum(tf.square(w), axis=axis, keepdims=True))


@_builtin
class Constraint:
    """Base class: subclasses implement `__call__(w)` (and `get_config` if configurable)."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@_builtin
class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` to that norm.

    axis=0 constrains each unit's incoming weights in a Dense kernel [inputs, units];
    use axis=[0, 1, 2] for a Conv2D kernel [rows, cols, channels, filters].
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _float_tensor(w)
        norms = _norms(w, self.axis)
        desired = tf.clip_by_value(norms, 0.0, self.max_value)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@_builtin
class NonNeg(Constraint):
    """Negative weights become zero."""

    def __call__(self, w):
        w = tf.convert_to_tensor(w)
        return tf.maximum(w, tf.zeros_like(w))


@_builtin
class UnitNorm(Constraint):
    """Each slice along `axis` rescaled to unit L2 norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _float_tensor(w)
        return w / (backend.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


@_builtin
class MinMaxNorm(Constraint):
    """Keeps the L2 norm of each slice along `axis` within [min_value, max_value]; `rate`
    in (0, 1] moves it only part of the way there at each step."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _float_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * tf.clip_by_value(norms, self.min_value, self.max_value) + \
            (1 - self.rate) * norms
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


# Keras's function-style spellings
max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm


def serialize(constraint):
    """Keras's serialization dict of a constraint."""
    return serialization.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """The constraint a `serialize` result (or a name) describes."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """A constraint from a name ("max_norm"), a serialized dict, a class, an instance or
    any callable `fn(weights)`; None stays None."""
    return serialization.get_from_identifier(identifier, "constraint", ALL_OBJECTS_DICT)
