"""`keras.regularizers`: weight penalties added to the loss.

A regularizer is called on a weight tensor and returns a scalar penalty
(`factor * sum(|w|)` for L1, `factor * sum(w**2)` for L2 — no 1/2):

>>> keras.regularizers.l2(0.01)(tf.constant([[1., -2.], [3., -4.]]))
<tf.Tensor: shape=(), dtype=float32, numpy=0.29999998>
"""
import math

import tensorlite as tf
from tensorlite.keras.saving import serialization

_MODULE = "keras.regularizers"
ALL_OBJECTS_DICT = {}
_builtin = serialization.builtin_registrar(_MODULE, ALL_OBJECTS_DICT, snake_case=True)


def _validate_factor(value, name):
    if isinstance(value, bool) or not isinstance(value, (float, int)) or \
            math.isinf(value) or math.isnan(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


@_builtin
class Regularizer:
    """Base class: subclasses implement `__call__(x)` and `get_config()`."""

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


@_builtin
class L1(Regularizer):
    """l1 * sum(|x|)."""

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        # Keras keeps the factor as a (float32) tensor; its config shows that rounding
        self.l1 = tf.convert_to_tensor(_validate_factor(l1, "l1"))

    def __call__(self, x):
        penalty = tf.reduce_sum(tf.abs(x))
        return tf.cast(self.l1, penalty.dtype) * penalty

    def get_config(self):
        return {"l1": float(self.l1)}


@_builtin
class L2(Regularizer):
    """l2 * sum(x**2)."""

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        self.l2 = _validate_factor(l2, "l2")

    def __call__(self, x):
        return self.l2 * tf.reduce_sum(tf.square(x))

    def get_config(self):
        return {"l2": float(self.l2)}


@_builtin
class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x**2)."""

    def __init__(self, l1=0.0, l2=0.0):
        l1 = 0.0 if l1 is None else l1
        l2 = 0.0 if l2 is None else l2
        self.l1 = _validate_factor(l1, "l1")
        self.l2 = _validate_factor(l2, "l2")

    def __call__(self, x):
        x = tf.convert_to_tensor(x)
        penalty = tf.constant(0.0, dtype=x.dtype)
        if self.l1:
            penalty = penalty + self.l1 * tf.reduce_sum(tf.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * tf.reduce_sum(tf.square(x))
        return penalty

    def get_config(self):
        return {"l1": float(self.l1), "l2": float(self.l2)}


def _l2_normalize(x, axis):
    return x / tf.sqrt(tf.maximum(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True), 1e-12))


@_builtin
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight to be orthogonal: factor times the mean
    |cosine| between distinct pairs of them."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = tf.convert_to_tensor(_validate_factor(factor, "factor"))
        if mode not in ("rows", "columns"):
            raise ValueError("Invalid value for argument `mode`. Expected one of "
                             f"{{'rows', 'columns'}}. Received: mode={mode}")
        self.mode = mode

    def __call__(self, inputs):
        inputs = tf.convert_to_tensor(inputs)
        if inputs.shape.rank != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. "
                             f"Received: inputs.shape={tuple(inputs.shape)}")
        if self.mode == "rows":
            normalized = _l2_normalize(inputs, axis=1)
            product = tf.matmul(normalized, normalized, transpose_b=True)
        else:
            normalized = _l2_normalize(inputs, axis=0)
            product = tf.matmul(normalized, normalized, transpose_a=True)
        size = product.shape[0]
        off_diagonal = product * (1.0 - tf.eye(size, dtype=inputs.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return tf.cast(self.factor, inputs.dtype) * 0.5 * \
            tf.reduce_sum(tf.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": float(self.factor), "mode": self.mode}


# Keras's function-style spellings
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer


def serialize(regularizer):
    """Keras's serialization dict of a regularizer."""
    return serialization.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """The regularizer a `serialize` result (or a name) describes."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """A regularizer from a name ("l2"), a serialized dict, a class, an instance or any
    callable `fn(weights)`; None stays None."""
    return serialization.get_from_identifier(identifier, "regularizer", ALL_OBJECTS_DICT)
