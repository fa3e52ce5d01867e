"""`tf.constant`."""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.tensor import Tensor, _constant, _to_array, convert_to_tensor


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor holding `value` (Python values get TF's default dtypes).

    >>> tf.constant([[1., 2.], [3., 4.]])   # float32
    >>> tf.constant(np.arange(3))           # int64, NumPy's dtype is kept
    """
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if isinstance(value, Tensor) or getattr(type(value), "_as_tensor", None) is not None:
        t = convert_to_tensor(value)
        if dtype is not None and t.dtype is not dtype:
            from tensorlite.ops import math as _math
            t = _math.cast(t, dtype)
        if shape is not None:
            from tensorlite.ops import array as _array
            t = _array.reshape(t, shape)
        return t
    if dtype is not None and isinstance(value, np.ndarray) and value.dtype.kind in "fc" \
            and dtype.is_integer:
        arr = value.astype(dtype._np)  # constant() casts NumPy arrays it is given
    else:
        arr = _to_array(value, dtype)
    if shape is not None:
        shape = tuple(int(d) for d in np.asarray(shape).reshape(-1))
        if arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.size == int(np.prod(shape)):
            arr = arr.reshape(shape)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                            f"{value!r} (converted from {value!r}) has {arr.size} elements, "
                            f"but got `shape` {shape} with {int(np.prod(shape))} elements).")
    return _constant(arr, name)
