"""`keras.backend`: the few backend functions the books use (Keras 2's low-level API).

Keras 3 dropped most of these; they are kept because the book's code calls
`K.square`, `K.transpose` and friends, and they are thin aliases of tf ops.
"""
import numpy as np

from tensorlite.ops import array as _array
from tensorlite.ops import math as _math

_EPSILON = 1e-7
_FLOATX = "float32"
_learning_phase = 0


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7 by default)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def floatx():
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of "
                         "{'float16', 'float32', 'float64', 'bfloat16'}")
    _FLOATX = str(value)


def image_data_format():
    return "channels_last"


def backend():
    return "tensorflow"


def clear_session(free_memory=True):
    """Resets Keras's global state (layer name counters)."""
    from tensorlite.keras import naming
    naming.reset()


def learning_phase():
    return _learning_phase


def set_learning_phase(value):
    global _learning_phase
    _learning_phase = int(value)


def square(x):
    return _math.square(x)


def transpose(x):
    return _array.transpose(x)


def sqrt(x):
    return _math.sqrt(x)


def exp(x):
    return _math.exp(x)


def abs(x):  # noqa: A001
    return _math.abs(x)


def mean(x, axis=None, keepdims=False):
    return _math.reduce_mean(x, axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return _math.reduce_sum(x, axis=axis, keepdims=keepdims)


def cast(x, dtype):
    return _math.cast(x, dtype)


def constant(value, dtype=None, shape=None, name=None):
    from tensorlite.ops.constant import constant as _constant
    return _constant(value, dtype=dtype or _FLOATX, shape=shape)


def get_value(x):
    return np.asarray(x)


def set_value(x, value):
    x.assign(value)


def is_keras_tensor(x):
    from tensorlite.keras.layers import KerasTensor
    return isinstance(x, KerasTensor)


def int_shape(x):
    return tuple(x.shape)
