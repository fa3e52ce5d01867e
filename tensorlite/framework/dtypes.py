"""TensorFlow data types (`tf.float32`, `tf.int32`, ...) mapped onto NumPy dtypes.

A `DType` prints as ``tf.float32`` and converts from the many spellings users
write: another DType, a NumPy dtype or scalar type (``np.float32``), a string
(``"float32"``) or a Python type (``float``, ``int``, ``bool``, ``str``).
"""
import builtins

import numpy as np

try:  # bfloat16 comes from ml_dtypes, the package NumPy-based ML libraries share
    import ml_dtypes as _ml_dtypes
    _BFLOAT16 = np.dtype(_ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - ml_dtypes is a declared dependency
    _BFLOAT16 = None


class DType:
    """A tensor element type, e.g. ``tf.float32``."""

    __slots__ = ("name", "as_numpy_dtype", "_np", "_type_name", "_enum",
                 "is_floating", "is_integer", "is_unsigned", "is_complex",
                 "is_bool", "is_string", "carries_gradient")

    def __init__(self, name, np_dtype, type_name, enum, kind):
        self.name = name
        self._np = np.dtype(np_dtype) if np_dtype is not None else None
        self.as_numpy_dtype = self._np.type if self._np is not None else None
        self._type_name = type_name  # the name TensorFlow's error messages use
        self._enum = enum            # the DataType enum of TensorFlow's protos
        self.is_floating = kind == "f"
        self.is_integer = kind in "iu"
        self.is_unsigned = kind == "u"
        self.is_complex = kind == "c"
        self.is_bool = kind == "b"
        self.is_string = kind == "s"
        # what a tape tracks: floats, complex, and resources (variable handles in graphs)
        self.carries_gradient = kind in "fcr"

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def size(self):
        return self._np.itemsize if not self.is_string else 0

    @property
    def as_datatype_enum(self):
        return self._enum

    @property
    def min(self):
        if self.is_floating:
            return self._np.type(np.finfo(self._np).min) if self is not bfloat16 else -3.3895314e38
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        if self.is_bool:
            return False
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self):
        if self.is_floating:
            return self._np.type(np.finfo(self._np).max) if self is not bfloat16 else 3.3895314e38
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        if self.is_bool:
            return True
        raise TypeError(f"Cannot find maximum value of {self}.")

    def is_compatible_with(self, other):
        return self is as_dtype(other)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = DType("float16", np.float16, "half", 19, "f")
half = float16
float32 = DType("float32", np.float32, "float", 1, "f")
float64 = DType("float64", np.float64, "double", 2, "f")
double = float64
bfloat16 = DType("bfloat16", _BFLOAT16, "bfloat16", 14, "f")
int8 = DType("int8", np.int8, "int8", 6, "i")
int16 = DType("int16", np.int16, "int16", 5, "i")
int32 = DType("int32", np.int32, "int32", 3, "i")
int64 = DType("int64", np.int64, "int64", 9, "i")
uint8 = DType("uint8", np.uint8, "uint8", 4, "u")
uint16 = DType("uint16", np.uint16, "uint16", 17, "u")
uint32 = DType("uint32", np.uint32, "uint32", 22, "u")
uint64 = DType("uint64", np.uint64, "uint64", 23, "u")
bool = DType("bool", np.bool_, "bool", 10, "b")  # noqa: A001 - TensorFlow's name
string = DType("string", np.object_, "string", 7, "s")
complex64 = DType("complex64", np.complex64, "complex64", 8, "c")
complex128 = DType("complex128", np.complex128, "complex128", 18, "c")
# Resource handles (variables inside graphs) and variants have no NumPy storage.
resource = DType("resource", np.object_, "resource", 20, "r")
variant = DType("variant", np.object_, "variant", 21, "v")

_ALL = [float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8,
        uint16, uint32, uint64, bool, string, complex64, complex128]
_BY_NAME = {d.name: d for d in _ALL + [resource, variant]}
_BY_NAME.update({"half": float16, "double": float64, "float": float32,
                 "int": int32, "bool_": bool, "str": string, "bytes": string,
                 "object": string})
# Keyed by np.dtype: the hot path (wrapping a kernel's output) is one lookup.
NP_TO_DTYPE = {d._np: d for d in _ALL if d._np is not None and d is not string}
NP_TO_DTYPE[np.dtype(np.object_)] = string
_BY_PYTYPE = {float: float32, int: int32, builtins.bool: bool, str: string,
              bytes: string, complex: complex128}
_BY_ENUM = {d._enum: d for d in _ALL + [resource, variant]}

FLOATING = frozenset(d for d in _ALL if d.is_floating)
INTEGER = frozenset(d for d in _ALL if d.is_integer)
COMPLEX = frozenset((complex64, complex128))
NUMERIC = FLOATING | INTEGER | COMPLEX
REAL_NUMERIC = FLOATING | INTEGER
# dtypes a gradient flows through
DIFFERENTIABLE = FLOATING | COMPLEX


def as_dtype(type_value):
    """Converts `type_value` (DType, NumPy dtype, string, Python type) to a DType."""
    if isinstance(type_value, DType):
        return type_value
    try:
        return NP_TO_DTYPE[type_value]
    except (KeyError, TypeError):
        pass
    if isinstance(type_value, str):
        try:
            return _BY_NAME[type_value]
        except KeyError:
            pass
    elif isinstance(type_value, type) and type_value in _BY_PYTYPE:
        return _BY_PYTYPE[type_value]
    elif isinstance(type_value, int) and type_value in _BY_ENUM:
        return _BY_ENUM[type_value]
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in "SUO":
            return string
        found = NP_TO_DTYPE.get(np_dtype)
        if found is not None:
            return found
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} "
                    "to a TensorFlow DType.")


def from_numpy(np_dtype):
    """The DType of a NumPy dtype (fast path for kernel outputs)."""
    try:
        return NP_TO_DTYPE[np_dtype]
    except KeyError:
        if np_dtype.kind in "SU":
            return string
        raise TypeError(f"NumPy dtype {np_dtype} has no TensorFlow equivalent.")
