"""`tf.Tensor` and `EagerTensor`, and conversion of Python/NumPy values to tensors.

An `EagerTensor` wraps an ndarray (or a NumPy scalar for rank 0, as the
kernels' ufuncs return them) and is immutable by convention. Operators
(`+`, `@`, `[]` ...) are attached by `tensorlite.ops.operators`, so that this
module depends on nothing above the framework.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import graph_stack as _graph_stack
from tensorlite.framework.tensor_shape import TensorShape

_NP_TO_DTYPE = _dtypes.NP_TO_DTYPE
_float32 = _dtypes.float32
_int32 = _dtypes.int32
_string = _dtypes.string
_INT32_MIN, _INT32_MAX = -2 ** 31, 2 ** 31 - 1


class Tensor:
    """The base class of eager and symbolic tensors (`isinstance(x, tf.Tensor)`)."""

    __slots__ = ()
    # NumPy defers `ndarray <op> tensor` to the tensor's reflected operator.
    __array_priority__ = 100
    _is_tensor = True

    @property
    def ndim(self):
        return self.shape.rank

    def get_shape(self):
        return self.shape

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        return _Reference(self)

    def experimental_ref(self):
        return self.ref()


class _Reference:
    """A hashable reference to a tensor (`tensor.ref()`)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, _Reference) and other._obj is self._obj

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


def _numpy_text(value, is_repr):
    """How TensorFlow shows a tensor's value: NumPy's text; a scalar's repr is the
    Python value's (`numpy=0.10000000149011612` for a float32 0.1), its str NumPy's."""
    if value.ndim == 0:
        item = value.item()
        if isinstance(item, bytes) or is_repr:
            return repr(item)
        return str(value[()] if isinstance(value, np.ndarray) else value)
    text = repr(value) if is_repr else str(value)
    if "\n" in text:
        text = "\n" + text
    return text


class EagerTensor(Tensor):
    """A tensor with a concrete value, the result of running an op eagerly."""

    __slots__ = ("_value", "_dtype", "__weakref__")

    def __init__(self, value, dtype=None):
        self._value = value
        self._dtype = dtype if dtype is not None else _NP_TO_DTYPE[value.dtype]

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return TensorShape._from_tuple(self._value.shape)

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for rank 0)."""
        value = self._value
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return value[()]
        return value

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        if copy:
            return value.copy()
        return value

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        dtype = self._dtype
        if dtype is _string and self._value.ndim == 1:
            for row in self._value:  # elements of an object array are bytes objects
                item = np.empty((), dtype=object)
                item[()] = row
                yield EagerTensor(item, dtype)
            return
        for row in self._value:
            yield EagerTensor(row, dtype)

    def __bool__(self):
        return bool(self._value)

    def __int__(self):
        return int(self._value)

    def __float__(self):
        return float(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        if not self._dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, not {self._dtype}")
        return int(self._value)

    def __format__(self, format_spec):
        if self._value.ndim == 0:
            return format(self._value.item(), format_spec)
        return format(str(self), format_spec)

    def __repr__(self):
        return (f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self._value, True)}>")

    def __str__(self):
        return (f"tf.Tensor({_numpy_text(self._value, False)}, shape={self.shape}, "
                f"dtype={self._dtype.name})")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return EagerTensor(np.copy(self._value), self._dtype)

    def __reduce__(self):
        return EagerTensor, (np.asarray(self._value), self._dtype)


def _conversion_error(value, dtype):
    return TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")


def _encode_strings(arr):
    """Strings are stored as object arrays of bytes, as TensorFlow returns them."""
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, s in enumerate(arr.reshape(-1)):
        if isinstance(s, str):
            s = s.encode("utf-8")
        elif isinstance(s, np.bytes_):
            s = bytes(s)
        elif not isinstance(s, bytes):
            raise TypeError(f"Failed to convert elements of {arr!r} to Tensor: "
                            f"mixed strings and {type(s).__name__}")
        flat[i] = s
    return out


def _nested_as_object(value, shape):
    """A nested list of strings as an object array of that shape, elements untouched."""
    items = []

    def walk(v, depth):
        if depth == len(shape):
            items.append(v)
        else:
            for x in v:
                walk(x, depth + 1)
    walk(value, 0)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def _infer_array(value):
    """A Python value as an ndarray, with TensorFlow's dtype defaults."""
    is_numpy = isinstance(value, (np.ndarray, np.generic))
    try:
        arr = np.asarray(value)
    except ValueError as e:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from e
    kind = arr.dtype.kind
    if kind in "SUO":
        if kind == "O" and arr.size and not isinstance(arr.reshape(-1)[0], (str, bytes, np.bytes_)):
            # Nested sequences of tensors or mixed objects: stack their values.
            try:
                arr = np.asarray([np.asarray(v) for v in value]) if arr.ndim else arr
            except Exception:  # noqa: BLE001 - report the user's value, not NumPy's
                raise TypeError(f"Failed to convert elements of {value!r} to Tensor.")
            if arr.dtype.kind == "O":
                raise TypeError(f"Failed to convert elements of {value!r} to Tensor.")
            return arr
        if kind == "S" and not is_numpy:
            # NumPy's fixed-width bytes drop trailing NULs (b"a\x00" -> b"a"); keep the
            # Python bytes objects themselves, as a serialized protobuf needs them whole.
            return _encode_strings(_nested_as_object(value, arr.shape))
        return _encode_strings(arr)
    if is_numpy:
        return arr
    if kind == "f" and arr.dtype == np.float64:
        return arr.astype(np.float32)
    if kind == "i":
        if arr.size and (arr.min() < _INT32_MIN or arr.max() > _INT32_MAX):
            return arr.astype(np.int64)
        return arr.astype(np.int32)
    if kind == "c":
        return arr.astype(np.complex128)
    return arr


def _array_of_dtype(value, dtype):
    """`value` as an ndarray of `dtype`; a float value into an integer dtype is refused."""
    np_dtype = dtype._np
    if dtype is _string:
        return _encode_strings(np.asarray(value, dtype=object))
    if isinstance(value, (float, int, bool)) and not isinstance(value, np.generic):
        if dtype.is_integer:
            if isinstance(value, float):
                raise _conversion_error(value, dtype)
            try:
                return np.array(value, dtype=np_dtype)
            except OverflowError:
                raise _conversion_error(value, dtype)
        if dtype.is_bool and not isinstance(value, bool):
            raise _conversion_error(value, dtype)
        return np.array(value, dtype=np_dtype)
    arr = value if isinstance(value, np.ndarray) else np.asarray(value)
    if arr.dtype == np_dtype:
        return arr
    if arr.size == 0 and not isinstance(value, np.ndarray):
        return arr.astype(np_dtype)  # `[]` has no element to disagree with the dtype
    kind = arr.dtype.kind
    if dtype.is_integer and kind in "fc":
        raise _conversion_error(value, dtype)
    if dtype.is_bool and kind != "b":
        raise _conversion_error(value, dtype)
    if kind in "SUO":
        raise _conversion_error(value, dtype)
    if dtype.is_integer and kind in "iu" and arr.size:
        info = np.iinfo(np_dtype)
        if arr.min() < info.min or arr.max() > info.max:
            raise _conversion_error(value, dtype)
    return arr.astype(np_dtype)


def _to_array(value, dtype):
    """An ndarray for a Python/NumPy `value`: of `dtype` if given, else inferred."""
    if dtype is None:
        return _infer_array(value)
    return _array_of_dtype(value, dtype)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):  # noqa: C901
    """Converts a Tensor, Variable, NumPy array or Python value to a Tensor.

    Python floats become float32 and ints int32 (TensorFlow's defaults); NumPy
    arrays keep their dtype. With `dtype`, a value that does not fit raises.
    """
    if isinstance(value, Tensor):
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype)
            if value.dtype is not dtype:
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for "
                                 f"Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    as_tensor = getattr(type(value), "_as_tensor", None)
    if as_tensor is not None:
        return as_tensor(value, None if dtype is None else _dtypes.as_dtype(dtype))
    if isinstance(value, (list, tuple)) and _graph_stack and _contains_symbolic(value):
        from tensorlite.ops import array as _array  # packing needs the Pack op
        return _array.stack([convert_to_tensor(v, dtype, dtype_hint) for v in value])
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
        arr = _to_array(value, dtype)
    elif dtype_hint is not None:
        try:
            arr = _to_array(value, _dtypes.as_dtype(dtype_hint))
        except (TypeError, ValueError):
            arr = _to_array(value, None)
    else:
        arr = _to_array(value, None)
    return _constant(arr, name)


def _contains_symbolic(seq):
    for v in seq:
        if isinstance(v, Tensor) and not isinstance(v, EagerTensor):
            return True
        if isinstance(v, (list, tuple)) and _contains_symbolic(v):
            return True
    return False


def _constant(arr, name=None):
    """Wraps a host ndarray: eagerly an EagerTensor; inside a graph, a Const node."""
    if _graph_stack:
        return _graph_stack[-1].constant(arr, name or "Const")
    return EagerTensor(arr)


def is_tensor(x):
    """True for tensors and tensor-like objects (variables)."""
    return isinstance(x, Tensor) or getattr(type(x), "_as_tensor", None) is not None
