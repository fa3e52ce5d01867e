"""Elementwise math, comparisons, reductions, scans and casts (`tf.math`).

Every op here is one registry record (kernel + shape rule + gradient rule)
under TensorFlow's op type name, and one public function with TensorFlow's
signature. Kernels never leak NumPy's floating-point warnings: TensorFlow
gives inf and nan silently (log(0), 1/0, overflow), and so do we.
"""
import functools
import math as _pymath
from collections.abc import Iterable

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, convert_to_tensor, is_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import (binary_inputs, binary_shape, broadcast_shape,
                                     compare_shape, dtype_mismatch, reduction_shape,
                                     same_dtype_inputs, static_value, to_tensor, unary_shape,
                                     unbroadcast)

# The names TensorFlow also has at the top level (`tf.add`, `tf.reduce_sum` ...);
# `tf.math` (tensorlite/math.py) has these and more (`tf.math.log`, not `tf.log`).
__all__ = ["abs", "acos", "acosh", "add", "add_n", "argmax", "argmin", "asin", "asinh",
           "atan", "atan2", "atanh", "cast", "clip_by_value", "complex", "cos", "cosh",
           "cumsum", "divide", "equal", "exp", "floor", "greater", "greater_equal", "less",
           "less_equal", "logical_and", "logical_not", "logical_or", "maximum", "minimum",
           "multiply", "negative", "not_equal", "pow", "realdiv", "reduce_all", "reduce_any",
           "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod",
           "reduce_sum", "round", "saturate_cast", "scalar_mul", "sigmoid", "sign", "sin",
           "sinh", "sqrt", "square", "subtract", "tan", "tanh", "truediv", "truncatediv",
           "truncatemod"]

_bool = _dtypes.bool
_int64 = _dtypes.int64
FLOAT = _dtypes.FLOATING
COMPLEX = _dtypes.COMPLEX
FLOAT_COMPLEX = FLOAT | COMPLEX
INTEGER = _dtypes.INTEGER
SIGNED_INT = frozenset(d for d in INTEGER if not d.is_unsigned)
NUMERIC = _dtypes.NUMERIC
SIGNED_NUMERIC = FLOAT_COMPLEX | SIGNED_INT
REAL = _dtypes.REAL_NUMERIC
SIGNED_REAL = FLOAT | SIGNED_INT


# ---- floating-point error state ---------------------------------------------------------
# np.errstate costs ~3 µs per use; setting NumPy's error-state context variable
# directly costs ~0.3 µs, which matters on ops that take ~2 µs in all.
try:
    from numpy._core.umath import _extobj_contextvar, _make_extobj
    _QUIET = _make_extobj(all="ignore")
    _fp_set = _extobj_contextvar.set
    _fp_reset = _extobj_contextvar.reset
except ImportError:  # pragma: no cover - NumPy without the private hook
    _QUIET = None

    def _fp_set(_):
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def _fp_reset(state):
        state.__exit__(None, None, None)


def quiet(kernel):
    """Runs a kernel with NumPy's floating-point warnings off (inf/nan come silently).

    Needed where NumPy's own Python code raises the warning (np.mean, np.sum ...); a
    ufunc called directly in a kernel here warns from this module, and the filter that
    `tensorlite/__init__.py` installs silences that at no cost per call."""
    @functools.wraps(kernel)
    def run(*args, **kwargs):
        token = _fp_set(_QUIET)
        try:
            return kernel(*args, **kwargs)
        finally:
            _fp_reset(token)
    return run


def _dims_text(a):
    return "[" + ",".join(str(d) for d in np.shape(a)) + "]"


def _incompatible(x, y):
    return ValueError(f"Incompatible shapes: {_dims_text(x)} vs. {_dims_text(y)}")


def _elementwise(type_, ufunc, grad=None, dtypes=None, shape=binary_shape):
    """Registers a broadcasting binary op whose kernel is `ufunc(x, y)` (a NumPy ufunc or
    a function of two arrays), run quietly and with TF's message for shape mismatches."""
    def kernel(x, y):
        try:
            return ufunc(x, y)
        except ValueError:
            raise _incompatible(x, y) from None
    kernel.__name__ = f"_{type_.lower()}_kernel"
    return op(type_, shape=shape, grad=grad, dtypes=dtypes,
              differentiable=grad is not None)(kernel)


def _conj(x):
    """conj(x) for complex tensors (gradients of holomorphic ops use it), else x."""
    return conj(x) if x.dtype.is_complex else x


def _const(value, like):
    """A scalar constant of `like`'s dtype (for gradient formulas)."""
    return convert_to_tensor(value, dtype=like.dtype)


def _needs(op):
    return op.needs_grad or (True, True)


# ---- add, subtract, multiply ------------------------------------------------------------

def _add_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    return (unbroadcast(grad, x.shape) if need_x else None,
            unbroadcast(grad, y.shape) if need_y else None)


def _sub_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    return (unbroadcast(grad, x.shape) if need_x else None,
            unbroadcast(negative(grad), y.shape) if need_y else None)


def _mul_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    return (unbroadcast(multiply(grad, _conj(y)), x.shape) if need_x else None,
            unbroadcast(multiply(_conj(x), grad), y.shape) if need_y else None)


@op("AddV2", shape=binary_shape, grad=_add_grad, dtypes=NUMERIC | {_dtypes.string})
def _add(x, y):
    try:
        out = x + y
    except ValueError:
        raise _incompatible(x, y) from None
    if out.__class__ is bytes:  # two scalar strings: NumPy returns plain bytes
        return np.array(out, dtype=object)
    return out


@op("Sub", shape=binary_shape, grad=_sub_grad, dtypes=NUMERIC)
def _sub(x, y):
    try:
        return x - y
    except ValueError:
        raise _incompatible(x, y) from None


@op("Mul", shape=binary_shape, grad=_mul_grad, dtypes=NUMERIC)
def _mul(x, y):
    try:
        return x * y
    except ValueError:
        raise _incompatible(x, y) from None


def add(x, y, name=None):
    """x + y elementwise, with broadcasting (`tf.add`, `tf.math.add`); strings concatenate."""
    return execute(_add, binary_inputs(x, y, "AddV2"), name=name)


def subtract(x, y, name=None):
    """x - y elementwise, with broadcasting."""
    return execute(_sub, binary_inputs(x, y, "Sub"), name=name)


def multiply(x, y, name=None):
    """x * y elementwise, with broadcasting."""
    return execute(_mul, binary_inputs(x, y, "Mul"), name=name)


def scalar_mul(scalar, x, name=None):
    """A 0-D `scalar` times the tensor `x`."""
    x = to_tensor(x)
    scalar = convert_to_tensor(scalar, dtype=x.dtype)
    if scalar.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    return execute(_mul, (scalar, x), name=name)


# ---- division ------------------------------------------------------------------------------

def _realdiv_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    y_c = _conj(y)
    gx = unbroadcast(_div(grad, y_c), x.shape) if need_x else None
    gy = (unbroadcast(multiply(grad, negative(_div(_conj(op.outputs[0]), y_c))), y.shape)
          if need_y else None)
    return gx, gy


@op("RealDiv", shape=binary_shape, grad=_realdiv_grad, dtypes=FLOAT_COMPLEX)
def _realdiv(x, y):
    try:
        return x / y
    except ValueError:
        raise _incompatible(x, y) from None


def _div(x, y):
    """RealDiv of two tensors already of one float dtype (gradient formulas)."""
    return execute(_realdiv, (x, y))


# TensorFlow's true division turns integers into floats wide enough for them.
_TRUEDIV_FLOAT = {_dtypes.int8: _dtypes.float32, _dtypes.uint8: _dtypes.float32,
                  _dtypes.int16: _dtypes.float32, _dtypes.uint16: _dtypes.float32,
                  _dtypes.int32: _dtypes.float64, _dtypes.uint32: _dtypes.float64,
                  _dtypes.int64: _dtypes.float64, _dtypes.uint64: _dtypes.float64}
_TRUEDIV_NAMES = ("tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, "
                  "tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
                  "tf.complex128")


def _same_dtype_pair(x, y):
    """Operands of true division: a non-tensor takes the tensor's dtype when it can;
    tensors of two dtypes raise TypeError, as TensorFlow's `__truediv__` does."""
    if type(x) is EagerTensor and type(y) is EagerTensor:
        if x._dtype is not y._dtype:
            raise _dtype_pair_error(x._dtype, y._dtype)
        return x, y
    if is_tensor(x):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y) if is_tensor(y) else convert_to_tensor(y, dtype_hint=x.dtype)
    elif is_tensor(y):
        y = convert_to_tensor(y)
        x = convert_to_tensor(x, dtype_hint=y.dtype)
    else:
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype_hint=x.dtype)
    if x.dtype is not y.dtype:
        raise _dtype_pair_error(x.dtype, y.dtype)
    return x, y


def _dtype_pair_error(a, b):
    return TypeError(f"`x` and `y` must have the same dtype, got {a!r} != {b!r}.")


def _float_operands(x, y, fn_name):
    """Integer operands cast to TensorFlow's true-division float type."""
    dtype = x.dtype
    target = _TRUEDIV_FLOAT.get(dtype)
    if target is not None:
        return cast(x, target), cast(y, target)
    if dtype not in FLOAT_COMPLEX:
        raise TypeError(f"Invalid dtype {dtype!r} in {fn_name}. Expected one of "
                        f"{{{_TRUEDIV_NAMES}}}.")
    return x, y


def truediv(x, y, name=None):
    """x / y; integer operands become floats first (int8/16 -> float32, int32/64 -> float64)."""
    x, y = _same_dtype_pair(x, y)
    if x.dtype not in FLOAT_COMPLEX:
        x, y = _float_operands(x, y, "__truediv__")
    return execute(_realdiv, (x, y), name=name)


def divide(x, y, name=None):
    """x / y, Python 3 style: integers divide to floats (`tf.divide`)."""
    return truediv(x, y, name=name)


def realdiv(x, y, name=None):
    """x / y for float or complex tensors (the raw RealDiv op)."""
    return execute(_realdiv, binary_inputs(x, y, "RealDiv"), name=name)


def _div_no_nan_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    gx = unbroadcast(divide_no_nan(grad, y), x.shape) if need_x else None
    gy = (unbroadcast(multiply(grad, divide_no_nan(divide_no_nan(negative(x), y), y)), y.shape)
          if need_y else None)
    return gx, gy


@op("DivNoNan", shape=binary_shape, grad=_div_no_nan_grad, dtypes=FLOAT_COMPLEX)
@quiet
def _div_no_nan(x, y):
    try:
        out = np.true_divide(x, y)
    except ValueError:
        raise _incompatible(x, y) from None
    return np.where(y == 0, np.zeros((), out.dtype), out)


def divide_no_nan(x, y, name=None):
    """x / y, but 0 wherever y is 0 (even if x is 0, inf or nan)."""
    x, y = _same_dtype_pair(x, y)
    if x.dtype not in FLOAT_COMPLEX:
        x, y = _float_operands(x, y, "divide_no_nan")
    return execute(_div_no_nan, (x, y), name=name)


def _mul_no_nan_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    return (unbroadcast(multiply_no_nan(grad, y), x.shape) if need_x else None,
            unbroadcast(multiply_no_nan(x, grad), y.shape) if need_y else None)


@op("MulNoNan", shape=binary_shape, grad=_mul_no_nan_grad, dtypes=FLOAT_COMPLEX)
@quiet
def _mul_no_nan(x, y):
    try:
        out = np.multiply(x, y)
    except ValueError:
        raise _incompatible(x, y) from None
    return np.where(y == 0, np.zeros((), out.dtype), out)


def multiply_no_nan(x, y, name=None):
    """x * y, but 0 wherever y is 0 (even if x is inf or nan)."""
    return execute(_mul_no_nan, binary_inputs(x, y, "MulNoNan"), name=name)


def _check_int_divisor(y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise ValueError("Integer division by zero")


@op("FloorDiv", shape=binary_shape, dtypes=REAL, differentiable=False)
@quiet
def _floordiv(x, y):
    _check_int_divisor(y)
    try:
        return np.floor_divide(x, y)
    except ValueError:
        raise _incompatible(x, y) from None


def _floormod_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    gx = unbroadcast(grad, x.shape) if need_x else None
    gy = (unbroadcast(multiply(grad, negative(floordiv(x, y))), y.shape) if need_y else None)
    return gx, gy


@op("FloorMod", shape=binary_shape, grad=_floormod_grad, dtypes=REAL)
@quiet
def _floormod(x, y):
    _check_int_divisor(y)
    try:
        return np.mod(x, y)
    except ValueError:
        raise _incompatible(x, y) from None


@op("TruncateDiv", shape=binary_shape, dtypes=REAL, differentiable=False)
@quiet
def _truncatediv(x, y):
    _check_int_divisor(y)
    try:
        if y.dtype.kind in "iu":
            q = np.floor_divide(x, y)
            # Floor and truncation differ by one where the quotient is negative and inexact.
            return q + ((np.mod(x, y) != 0) & ((x < 0) != (y < 0))).astype(q.dtype)
        return np.trunc(np.true_divide(x, y))
    except ValueError:
        raise _incompatible(x, y) from None


@op("TruncateMod", shape=binary_shape, dtypes=REAL, differentiable=False)
@quiet
def _truncatemod(x, y):
    _check_int_divisor(y)
    try:
        return np.fmod(x, y)
    except ValueError:
        raise _incompatible(x, y) from None


def floordiv(x, y, name=None):
    """x // y elementwise, rounding toward negative infinity (`x // y`)."""
    return execute(_floordiv, binary_inputs(x, y, "FloorDiv"), name=name)


def floormod(x, y, name=None):
    """x % y with the sign of y, so that floordiv(x, y) * y + floormod(x, y) == x."""
    return execute(_floormod, binary_inputs(x, y, "FloorMod"), name=name)


mod = floormod


def truncatediv(x, y, name=None):
    """x / y rounded toward zero (C-style integer division)."""
    return execute(_truncatediv, binary_inputs(x, y, "TruncateDiv"), name=name)


def truncatemod(x, y, name=None):
    """The remainder of truncated division: it has the sign of x (C's fmod)."""
    return execute(_truncatemod, binary_inputs(x, y, "TruncateMod"), name=name)


# ---- pow, squared difference, atan2 ---------------------------------------------------------

def _pow_grad(op, grad):
    from tensorlite.ops import array as _array
    x, y = op.inputs
    need_x, need_y = _needs(op)
    gx = gy = None
    if need_x:
        gx = multiply(grad, _conj(multiply(y, pow(x, subtract(y, _const(1, y))))))
        gx = unbroadcast(gx, x.shape)
    if need_y:
        # d/dy x**y = x**y log(x), taken as 0 where log(x) is undefined (x <= 0), as TF does.
        zeros = _array.zeros_like(x)
        defined = not_equal(x, zeros) if x.dtype.is_complex else greater(x, zeros)
        safe_x = _array.where(defined, x, _array.ones_like(x))
        log_x = _array.where(defined, log(safe_x), zeros)
        gy = unbroadcast(multiply(grad, _conj(multiply(op.outputs[0], log_x))), y.shape)
    return gx, gy


@op("Pow", shape=binary_shape, grad=_pow_grad, dtypes=FLOAT_COMPLEX | SIGNED_INT)
@quiet
def _pow(x, y):
    if y.dtype.kind == "i" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    try:
        return np.power(x, y)
    except ValueError:
        raise _incompatible(x, y) from None


def pow(x, y, name=None):  # noqa: A001 - TensorFlow's name
    """x ** y elementwise."""
    return execute(_pow, binary_inputs(x, y, "Pow"), name=name)


def _squared_difference_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = _needs(op)
    gx = multiply(multiply(_const(2, grad), grad), subtract(x, y))
    return (unbroadcast(gx, x.shape) if need_x else None,
            unbroadcast(negative(gx), y.shape) if need_y else None)


def _squared_difference_kernel(x, y):
    d = x - y
    return d * np.conj(d) if d.dtype.kind == "c" else d * d


_squared_difference = _elementwise(
    "SquaredDifference", _squared_difference_kernel, _squared_difference_grad,
    FLOAT_COMPLEX | {_dtypes.int32, _dtypes.int64})


def squared_difference(x, y, name=None):
    """(x - y) * (x - y) elementwise."""
    return execute(_squared_difference, binary_inputs(x, y, "SquaredDifference"), name=name)


def _atan2_grad(op, grad):
    y, x = op.inputs
    need_y, need_x = _needs(op)
    grad_inv = _div(grad, add(square(x), square(y)))
    return (unbroadcast(multiply(x, grad_inv), y.shape) if need_y else None,
            unbroadcast(multiply(negative(y), grad_inv), x.shape) if need_x else None)


_atan2 = _elementwise("Atan2", np.arctan2, _atan2_grad, FLOAT)


def atan2(y, x, name=None):
    """The angle of the point (x, y) from the x axis, in (-pi, pi] (note: y comes first)."""
    return execute(_atan2, binary_inputs(y, x, "Atan2"), name=name)


def _zero_where_x_is_zero(fn):
    """A kernel computing fn(x, y) but giving 0 wherever x == 0 (even if y is 0 or nan)."""
    def kernel(x, y):
        out = fn(x, y)
        return np.where(x == 0, np.zeros((), out.dtype), out)
    return kernel


def _x_partial(op, grad, fn, partial_y):
    """Gradients of xlogy-style ops: d/dx = fn(x != 0, y), d/dy = partial_y(x, y)."""
    x, y = op.inputs
    need_x, need_y = _needs(op)
    gx = gy = None
    if need_x:
        not_zero = cast(not_equal(x, _const(0, x)), x.dtype)
        gx = unbroadcast(multiply(fn(not_zero, y), grad), x.shape)
    if need_y:
        gy = unbroadcast(multiply(partial_y(x, y), grad), y.shape)
    return gx, gy


def _xlogy_grad(op, grad):
    return _x_partial(op, grad, xlogy, xdivy)


def _xdivy_grad(op, grad):
    return _x_partial(op, grad, xdivy, lambda x, y: xdivy(negative(x), square(y)))


def _xlog1py_grad(op, grad):
    return _x_partial(op, grad, xlog1py, lambda x, y: xdivy(x, add(y, _const(1, y))))


_xlogy = _elementwise("Xlogy", _zero_where_x_is_zero(lambda x, y: x * np.log(y)), _xlogy_grad,
                      FLOAT_COMPLEX)
_xdivy = _elementwise("Xdivy", _zero_where_x_is_zero(np.true_divide), _xdivy_grad,
                      FLOAT_COMPLEX)
_xlog1py = _elementwise("Xlog1py", _zero_where_x_is_zero(lambda x, y: x * np.log1p(y)),
                        _xlog1py_grad, FLOAT_COMPLEX)


def xlogy(x, y, name=None):
    """x * log(y), but 0 wherever x == 0 (entropy terms: 0 * log(0) is 0)."""
    return execute(_xlogy, binary_inputs(x, y, "Xlogy"), name=name)


def xdivy(x, y, name=None):
    """x / y, but 0 wherever x == 0."""
    return execute(_xdivy, binary_inputs(x, y, "Xdivy"), name=name)


def xlog1py(x, y, name=None):
    """x * log1p(y), but 0 wherever x == 0."""
    return execute(_xlog1py, binary_inputs(x, y, "Xlog1py"), name=name)


_nextafter = _elementwise("NextAfter", np.nextafter, dtypes=frozenset(
    {_dtypes.float32, _dtypes.float64}))


def nextafter(x1, x2, name=None):
    """The next representable value after x1 in the direction of x2, elementwise."""
    return execute(_nextafter, binary_inputs(x1, x2, "NextAfter"), name=name)


# ---- maximum, minimum, clip ------------------------------------------------------------------

def _minmax_grad(op, grad):
    from tensorlite.ops import array as _array
    x, y = op.inputs
    need_x, need_y = _needs(op)
    # Ties send the whole gradient to x, as TensorFlow does.
    pick_x = (greater_equal if op.type == "Maximum" else less_equal)(x, y)
    zeros = _array.zeros_like(grad)
    return (unbroadcast(_array.where(pick_x, grad, zeros), x.shape) if need_x else None,
            unbroadcast(_array.where(pick_x, zeros, grad), y.shape) if need_y else None)


_maximum = _elementwise("Maximum", np.maximum, _minmax_grad, REAL)
_minimum = _elementwise("Minimum", np.minimum, _minmax_grad, REAL)


def maximum(x, y, name=None):
    """The larger of x and y elementwise (nan if either is nan)."""
    return execute(_maximum, binary_inputs(x, y, "Maximum"), name=name)


def minimum(x, y, name=None):
    """The smaller of x and y elementwise (nan if either is nan)."""
    return execute(_minimum, binary_inputs(x, y, "Minimum"), name=name)


def _clip_grad(op, grad):
    from tensorlite.ops import array as _array
    x, lo, hi = op.inputs
    below, above = less(x, lo), greater(x, hi)
    zeros = _array.zeros_like(grad)
    return (_array.where(logical_or(below, above), zeros, grad),
            unbroadcast(_array.where(below, grad, zeros), lo.shape),
            unbroadcast(_array.where(above, grad, zeros), hi.shape))


@op("ClipByValue", shape=lambda t, lo, hi: (t.dtype, t.shape), grad=_clip_grad, dtypes=REAL)
def _clip_by_value(t, lo, hi):
    return np.maximum(np.minimum(t, hi), lo)


def _clip_bound(bound, t, op_type):
    """A clip bound as a tensor of t's dtype that broadcasts to t's shape without growing it."""
    if is_tensor(bound):
        bound = convert_to_tensor(bound)
        if bound.dtype is not t.dtype:
            raise dtype_mismatch(op_type, 1, t.dtype, bound.dtype)
    else:
        bound = convert_to_tensor(bound, dtype=t.dtype)
    try:
        shape = broadcast_shape(t.shape, bound.shape)
    except ValueError:
        raise errors.op_error(errors.InvalidArgumentError, op_type,
                              f"Incompatible shapes: {_shape_text(t.shape)} vs. "
                              f"{_shape_text(bound.shape)}") from None
    if not shape.is_compatible_with(t.shape) or shape.rank != t.shape.rank:
        raise ValueError(f"Shapes {t.shape} and {shape} are incompatible")
    return bound


def _shape_text(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with values below `clip_value_min` / above `clip_value_max` replaced by them.

    The gradient flows to `t` where it is inside the range (bounds included)
    and to the bound that was applied elsewhere.
    """
    t = to_tensor(t)
    hi = _clip_bound(clip_value_max, t, "Minimum")
    lo = _clip_bound(clip_value_min, t, "Maximum")
    return execute(_clip_by_value, (t, lo, hi), name=name)


# ---- unary ops --------------------------------------------------------------------------------

def _unary_op(type_, kernel, grad=None, dtypes=FLOAT_COMPLEX, shape=unary_shape):
    """Registers an elementwise unary op; returns its OpDef."""
    return op(type_, shape=shape, grad=grad, dtypes=dtypes,
              differentiable=grad is not None)(kernel)


def _unary(type_, kernel, grad=None, dtypes=FLOAT_COMPLEX, doc="", py_name=None,
           shape=unary_shape):
    """Registers an elementwise unary op; returns its public function `f(x, name=None)`."""
    opdef = _unary_op(type_, kernel, grad, dtypes, shape)

    def public(x, name=None):
        return execute(opdef, (to_tensor(x),), name=name)
    public.__name__ = public.__qualname__ = py_name or type_.lower()
    public.__doc__ = doc
    public.opdef = opdef
    return public


def _quiet_ufunc(ufunc):
    """A unary kernel calling `ufunc`; its floating-point warnings (log(0), exp overflow)
    are attributed to this module and so silenced by the filter tensorlite installs."""
    def kernel(x):
        return ufunc(x)
    kernel.__name__ = f"_{ufunc.__name__}_kernel"
    return kernel


def _x(op):
    return _conj(op.inputs[0])


def _y(op):
    return _conj(op.outputs[0])


negative = _unary("Neg", _quiet_ufunc(np.negative), lambda op, g: negative(g), SIGNED_NUMERIC,
                  "-x elementwise.", "negative")
square = _unary("Square", _quiet_ufunc(np.square),
                lambda op, g: multiply(g, multiply(_const(2, g), _x(op))), NUMERIC,
                "x * x elementwise.")
sqrt = _unary("Sqrt", _quiet_ufunc(np.sqrt),
              lambda op, g: _div(multiply(g, _const(0.5, g)), _y(op)), FLOAT_COMPLEX,
              "The square root of x elementwise (nan below 0; gradient inf at 0).")


def _reciprocal_kernel(x):
    token = _fp_set(_QUIET)
    try:
        return 1 / x  # not np.reciprocal: 1/(2+0j) must be 0.5+0j, as in TensorFlow
    finally:
        _fp_reset(token)


def _rsqrt_kernel(x):
    token = _fp_set(_QUIET)
    try:
        return 1 / np.sqrt(x)
    finally:
        _fp_reset(token)


rsqrt = _unary("Rsqrt", _rsqrt_kernel,
               lambda op, g: multiply(g, multiply(_const(-0.5, g),
                                                  multiply(square(_y(op)), _y(op)))),
               FLOAT_COMPLEX, "1 / sqrt(x) elementwise.")
exp = _unary("Exp", _quiet_ufunc(np.exp), lambda op, g: multiply(g, _y(op)), FLOAT_COMPLEX,
             "e ** x elementwise.")
expm1 = _unary("Expm1", _quiet_ufunc(np.expm1), lambda op, g: multiply(g, exp(_x(op))),
               FLOAT_COMPLEX, "exp(x) - 1 elementwise, accurate for small x.")
log = _unary("Log", _quiet_ufunc(np.log), lambda op, g: _div(g, _x(op)), FLOAT_COMPLEX,
             "The natural logarithm of x elementwise (`tf.math.log`; there is no `tf.log`).")
log1p = _unary("Log1p", _quiet_ufunc(np.log1p),
               lambda op, g: _div(g, add(_const(1, g), _x(op))), FLOAT_COMPLEX,
               "log(1 + x) elementwise, accurate for small x.")
reciprocal = _unary("Reciprocal", _reciprocal_kernel,
                    lambda op, g: multiply(g, negative(square(_y(op)))), FLOAT_COMPLEX,
                    "1 / x elementwise.")
sign = _unary("Sign", _quiet_ufunc(np.sign), lambda op, g: _zeros_like(op.inputs[0]),
              SIGNED_NUMERIC, "-1, 0 or 1 elementwise (x / |x| for complex); its gradient is 0.")


def _zeros_like(x):
    from tensorlite.ops import array as _array
    return _array.zeros_like(x)


def reciprocal_no_nan(x, name=None):
    """1 / x, but 0 wherever x is 0."""
    x = to_tensor(x)
    return execute(_div_no_nan, (_const(1, x), x), name=name)


_abs = _unary_op("Abs", np.abs, lambda op, g: multiply(g, sign(op.inputs[0])), SIGNED_REAL)


def _complex_abs_grad(op, grad):
    x = op.inputs[0]
    zeros = _zeros_like(grad)
    return divide_no_nan(multiply(complex(grad, zeros), x), complex(op.outputs[0], zeros))


_complex_abs = _unary_op("ComplexAbs", np.abs, _complex_abs_grad, COMPLEX,
                         shape=lambda x: (x.dtype.real_dtype, x.shape))


def abs(x, name=None):  # noqa: A001 - TensorFlow's name
    """|x| elementwise; for complex x, the (real) magnitude. Gradient 0 at 0."""
    x = to_tensor(x)
    return execute(_complex_abs if x.dtype.is_complex else _abs, (x,), name=name)


sin = _unary("Sin", _quiet_ufunc(np.sin), lambda op, g: multiply(g, cos(_x(op))),
             doc="The sine of x elementwise.")
cos = _unary("Cos", _quiet_ufunc(np.cos), lambda op, g: negative(multiply(g, sin(_x(op)))),
             doc="The cosine of x elementwise.")
tan = _unary("Tan", _quiet_ufunc(np.tan),
             lambda op, g: multiply(g, square(reciprocal(cos(_x(op))))),
             doc="The tangent of x elementwise.")


def _one_minus_square(x):
    return subtract(_const(1, x), square(x))


asin = _unary("Asin", _quiet_ufunc(np.arcsin),
              lambda op, g: multiply(g, rsqrt(_one_minus_square(_x(op)))),
              doc="The inverse sine of x elementwise (nan outside [-1, 1]).")
acos = _unary("Acos", _quiet_ufunc(np.arccos),
              lambda op, g: negative(multiply(g, rsqrt(_one_minus_square(_x(op))))),
              doc="The inverse cosine of x elementwise (nan outside [-1, 1]).")
atan = _unary("Atan", _quiet_ufunc(np.arctan),
              lambda op, g: _div(g, add(_const(1, g), square(_x(op)))),
              doc="The inverse tangent of x elementwise.")
sinh = _unary("Sinh", _quiet_ufunc(np.sinh), lambda op, g: multiply(g, cosh(_x(op))),
              doc="The hyperbolic sine of x elementwise.")
cosh = _unary("Cosh", _quiet_ufunc(np.cosh), lambda op, g: multiply(g, sinh(_x(op))),
              doc="The hyperbolic cosine of x elementwise.")
tanh = _unary("Tanh", _quiet_ufunc(np.tanh),
              lambda op, g: multiply(g, _one_minus_square(_y(op))),
              doc="The hyperbolic tangent of x elementwise.")
asinh = _unary("Asinh", _quiet_ufunc(np.arcsinh), lambda op, g: _div(g, cosh(_y(op))),
               doc="The inverse hyperbolic sine of x elementwise.")
acosh = _unary("Acosh", _quiet_ufunc(np.arccosh), lambda op, g: _div(g, sinh(_y(op))),
               doc="The inverse hyperbolic cosine of x elementwise (nan below 1).")
atanh = _unary("Atanh", _quiet_ufunc(np.arctanh),
               lambda op, g: _div(g, _one_minus_square(_x(op))),
               doc="The inverse hyperbolic tangent of x elementwise (inf at +-1).")


def _sigmoid_kernel(x):
    token = _fp_set(_QUIET)
    try:
        # exp(-x) overflows to inf for very negative x, giving exactly 0: no nan.
        return 1 / (1 + np.exp(-x))
    finally:
        _fp_reset(token)


sigmoid = _unary("Sigmoid", _sigmoid_kernel,
                 lambda op, g: multiply(g, multiply(_y(op), subtract(_const(1, g), _y(op)))),
                 doc="1 / (1 + exp(-x)) elementwise (`tf.sigmoid`, `tf.nn.sigmoid`).")


@op("Softplus", shape=unary_shape, grad=lambda op, g: multiply(g, sigmoid(op.inputs[0])),
    dtypes=FLOAT)
@quiet
def _softplus(x):
    return np.logaddexp(np.zeros((), x.dtype), x)


def softplus(features, name=None):
    """log(exp(x) + 1) elementwise, computed without overflow (`tf.nn.softplus`)."""
    return execute(_softplus, (to_tensor(features),), name=name)


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) = -softplus(-x), without overflow for large |x|."""
    return negative(softplus(negative(to_tensor(x))), name=name)


def _softsign_grad(op, grad):
    x = op.inputs[0]
    return _div(grad, square(add(_const(1, x), abs(x))))


@op("Softsign", shape=unary_shape, grad=_softsign_grad, dtypes=FLOAT)
def _softsign(x):
    return x / (1 + np.abs(x))


def softsign(features, name=None):
    """x / (1 + |x|) elementwise (`tf.nn.softsign`)."""
    return execute(_softsign, (to_tensor(features),), name=name)


# ---- erf, erfc --------------------------------------------------------------------------------
# NumPy has no erf. Both are computed in float64 from two expansions:
# - |x| < 0.5: the Maclaurin series of erf(x)/x in x**2 (exact coefficients below);
# - |x| >= 0.5: erfc(|x|) = erfcx(|x|) * exp(-x**2), with the scaled function
#   erfcx(x) * (1 + x/3) expanded in Chebyshev polynomials of t = (x - 3) / (x + 3),
#   which maps [0.5, inf) onto [-5/7, 1) where the function is smooth. The
#   coefficients were computed once by Chebyshev interpolation at 50-digit
#   precision (mpmath). 21 terms give float64 accuracy (max relative error
#   ~7e-16 against math.erfc), 11 terms float32's.
_TWO_OVER_SQRT_PI = 2 / _pymath.sqrt(_pymath.pi)
_ERF_SERIES = [_TWO_OVER_SQRT_PI * (-1) ** n / (_pymath.factorial(n) * (2 * n + 1))
               for n in range(13)]
_ERFCX_K = 3.0
_ERFCX_T0 = (0.5 - _ERFCX_K) / (0.5 + _ERFCX_K)
_ERFCX_CHEB = [
    0.38414880039918325, -0.2506924752383632, 0.06675755602514799, -0.014201826365788588,
    0.0022765015228904937, -0.00023043940681675892, 1.8793997035532053e-06,
    3.6714233011884693e-06, -4.5199886303881584e-07, -3.394338922602977e-08,
    1.3021432318989855e-08, -2.4801535035263494e-12, -3.417435803829979e-10,
    1.2799647059854395e-11, 9.71641191352958e-12, -5.252412268284256e-13,
    -3.119953223026667e-13, 1.520786773180292e-14, 1.1166661391748567e-14,
    -2.483088733967203e-16, -4.2709568992620573e-16]


def _erf_small(x, terms):
    """erf(x) for |x| < 0.5 by its Maclaurin series (Horner in x**2)."""
    u = x * x
    coeffs = _ERF_SERIES[:terms]
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * u + c
    return x * acc


def _erfc_large(a, terms):
    """erfc(a) for a >= 0.5 (Chebyshev expansion of the scaled erfcx)."""
    a = np.minimum(a, 27.0)  # erfc(27) is below the smallest float64
    t = (a - _ERFCX_K) / (a + _ERFCX_K)
    u = (2 * t - (_ERFCX_T0 + 1)) / (1 - _ERFCX_T0)
    coeffs = _ERFCX_CHEB[:terms]
    b1 = b2 = 0.0
    for c in reversed(coeffs[1:]):  # Clenshaw's recurrence
        b1, b2 = 2 * u * b1 - b2 + c, b1
    erfcx = (u * b1 - b2 + coeffs[0]) / (1 + a / _ERFCX_K)
    # exp(-a*a) with a split so that the rounding of a*a does not cost digits.
    hi = np.trunc(a * 16) / 16
    return erfcx * np.exp(-hi * hi) * np.exp(-(a - hi) * (a + hi))


def _erf_terms(dtype):
    return (13, 21) if dtype == np.float64 else (8, 11)


def _erf_kernel(x):
    small_terms, large_terms = _erf_terms(x.dtype)
    x64 = np.asarray(x, dtype=np.float64)
    ax = np.abs(x64)
    small = ax < 0.5
    near = _erf_small(np.where(small, x64, 0.0), small_terms)
    far = np.copysign(1.0 - _erfc_large(np.maximum(ax, 0.5), large_terms), x64)
    return np.where(small, near, far).astype(x.dtype)


def _erfc_kernel(x):
    small_terms, large_terms = _erf_terms(x.dtype)
    x64 = np.asarray(x, dtype=np.float64)
    ax = np.abs(x64)
    small = ax < 0.5
    near = 1.0 - _erf_small(np.where(small, x64, 0.0), small_terms)
    tail = _erfc_large(np.maximum(ax, 0.5), large_terms)
    far = np.where(x64 < 0, 2.0 - tail, tail)
    return np.where(small, near, far).astype(x.dtype)


def _erf_derivative(x):
    return multiply(_const(_TWO_OVER_SQRT_PI, x), exp(negative(square(x))))


erf = _unary("Erf", quiet(_erf_kernel),
             lambda op, g: multiply(g, _erf_derivative(op.inputs[0])), FLOAT,
             "The Gauss error function elementwise.")
erfc = _unary("Erfc", quiet(_erfc_kernel),
              lambda op, g: negative(multiply(g, _erf_derivative(op.inputs[0]))), FLOAT,
              "1 - erf(x) elementwise, accurate where erf(x) is close to 1.")


# ---- rounding and predicates (no gradient) -----------------------------------------------------

floor = _unary("Floor", np.floor, dtypes=FLOAT, doc="The largest integer <= x, elementwise.")
ceil = _unary("Ceil", np.ceil, dtypes=FLOAT, doc="The smallest integer >= x, elementwise.")
rint = _unary("Rint", np.rint, dtypes=FLOAT,
              doc="x rounded to the nearest integer, halves to even, elementwise.")
_round = _unary_op("Round", np.round, dtypes=FLOAT_COMPLEX)


def round(x, name=None):  # noqa: A001 - TensorFlow's name
    """x rounded to the nearest integer, halves to even ("banker's rounding")."""
    x = to_tensor(x)
    if x.dtype.is_integer:
        return x
    return execute(_round, (x,), name=name)


def _predicate_shape(x):
    return _bool, x.shape


is_nan = _unary("IsNan", np.isnan, dtypes=FLOAT, shape=_predicate_shape, py_name="is_nan",
                doc="True where x is nan.")
is_inf = _unary("IsInf", np.isinf, dtypes=FLOAT, shape=_predicate_shape, py_name="is_inf",
                doc="True where x is +inf or -inf.")
is_finite = _unary("IsFinite", np.isfinite, dtypes=FLOAT, shape=_predicate_shape,
                   py_name="is_finite", doc="True where x is neither inf nor nan.")


# ---- complex numbers --------------------------------------------------------------------------

_TO_COMPLEX = {_dtypes.float32: _dtypes.complex64, _dtypes.float64: _dtypes.complex128}


def _complex_grad(op, grad):
    return real(grad), imag(grad)


@op("Complex", shape=lambda re, im, Tout: (Tout, broadcast_shape(re.shape, im.shape)),
    grad=_complex_grad)
def _complex(re, im, Tout):  # noqa: N803 - TensorFlow's attr name
    try:
        out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), dtype=Tout._np)
    except ValueError:
        raise _incompatible(re, im) from None
    # Assigning the parts keeps inf parts exact (re + 1j * im would make nan of 1j * inf).
    out.real = re
    out.imag = im
    return out


def complex(real, imag, name=None):  # noqa: A001 - TensorFlow's name
    """real + imag * 1j elementwise (float32 parts -> complex64, float64 -> complex128)."""
    re, im = to_tensor(real), to_tensor(imag)
    tout = _TO_COMPLEX.get(re.dtype)
    if re.dtype is not im.dtype or tout is None:
        raise TypeError(f"The `real` and `imag` components have incorrect types: "
                        f"{re.dtype.name} {im.dtype.name}. They must be consistent, and one "
                        f"of [tf.float32, tf.float64]")
    return execute(_complex, (re, im), {"Tout": tout}, name=name)


def _part_shape(x, Tout):  # noqa: N803
    return Tout, x.shape


@op("Real", shape=_part_shape, grad=lambda op, g: complex(g, _zeros_like(g)), dtypes=COMPLEX)
def _real(x, Tout):  # noqa: N803
    return np.real(x).copy()


@op("Imag", shape=_part_shape, grad=lambda op, g: complex(_zeros_like(g), g), dtypes=COMPLEX)
def _imag(x, Tout):  # noqa: N803
    return np.imag(x).copy()


def _angle_grad(op, grad):
    x = op.inputs[0]
    z = reciprocal(complex(imag(x), real(x)))
    return negative(multiply(complex(grad, _zeros_like(grad)), z))


@op("Angle", shape=_part_shape, grad=_angle_grad, dtypes=COMPLEX)
def _angle(x, Tout):  # noqa: N803
    return np.angle(x)


def real(input, name=None):  # noqa: A002 - TensorFlow's argument name
    """The real part of a complex tensor; a real tensor is returned as is."""
    x = to_tensor(input)
    if not x.dtype.is_complex:
        return x
    return execute(_real, (x,), {"Tout": x.dtype.real_dtype}, name=name)


def imag(input, name=None):  # noqa: A002
    """The imaginary part of a complex tensor; zeros for a real tensor."""
    x = to_tensor(input)
    if not x.dtype.is_complex:
        return _zeros_like(x)
    return execute(_imag, (x,), {"Tout": x.dtype.real_dtype}, name=name)


def angle(input, name=None):  # noqa: A002
    """The argument of a complex tensor; pi where a real tensor is negative, else 0."""
    from tensorlite.ops import array as _array
    x = to_tensor(input)
    if x.dtype.is_complex:
        return execute(_angle, (x,), {"Tout": x.dtype.real_dtype}, name=name)
    return _array.where(less(x, _const(0, x)), _const(np.pi, x), _zeros_like(x))


_conj_op = op("Conj", shape=unary_shape, grad=lambda op, g: conj(g), dtypes=COMPLEX)(np.conj)


def conj(x, name=None):
    """The complex conjugate; a real tensor is returned as is."""
    x = to_tensor(x)
    if x.dtype.is_complex:
        return execute(_conj_op, (x,), name=name)
    if x.dtype in NUMERIC:
        return x
    raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}.")


# ---- comparisons and logic ---------------------------------------------------------------------

def _compare(type_, ufunc, dtypes, doc):
    opdef = _elementwise(type_, ufunc, dtypes=dtypes, shape=compare_shape)

    def public(x, y, name=None):
        return execute(opdef, binary_inputs(x, y, type_), name=name)
    public.__name__ = public.__qualname__ = _snake(type_)
    public.__doc__ = doc
    public.opdef = opdef
    return public


def _snake(type_):
    return "".join("_" + c.lower() if c.isupper() else c for c in type_).lstrip("_")


less = _compare("Less", np.less, REAL, "x < y elementwise (a bool tensor).")
less_equal = _compare("LessEqual", np.less_equal, REAL, "x <= y elementwise (a bool tensor).")
greater = _compare("Greater", np.greater, REAL, "x > y elementwise (a bool tensor).")
greater_equal = _compare("GreaterEqual", np.greater_equal, REAL,
                         "x >= y elementwise (a bool tensor).")


def _equality_shape(x, y, incompatible_shape_error=True):
    try:
        return _bool, broadcast_shape(x.shape, y.shape)
    except ValueError:
        if incompatible_shape_error:
            raise
        return _bool, TensorShape([])


def _equality(type_, ufunc, when_incompatible):
    def kernel(x, y, incompatible_shape_error=True):
        try:
            return ufunc(x, y)
        except ValueError:
            if incompatible_shape_error:
                raise _incompatible(x, y) from None
            return np.bool_(when_incompatible)
    kernel.__name__ = f"_{type_.lower()}_kernel"
    return op(type_, shape=_equality_shape, differentiable=False)(kernel)


# With incompatible_shape_error=False (what `t1 == t2` uses in TensorFlow),
# shapes that do not broadcast compare as simply unequal.
_equal = _equality("Equal", np.equal, False)
_not_equal = _equality("NotEqual", np.not_equal, True)
_EQ_ATTRS = {"incompatible_shape_error": True}


def equal(x, y, name=None):
    """x == y elementwise (a bool tensor); works for every dtype, strings included."""
    return execute(_equal, binary_inputs(x, y, "Equal"), _EQ_ATTRS, name=name)


def not_equal(x, y, name=None):
    """x != y elementwise (a bool tensor)."""
    return execute(_not_equal, binary_inputs(x, y, "NotEqual"), _EQ_ATTRS, name=name)


_OPERATOR_EQ_ATTRS = {"incompatible_shape_error": False}


def tensor_equals(x, y):
    """`x == y` for a tensor x: elementwise, False for None, and a scalar False when
    the shapes do not broadcast (TensorFlow's `Tensor.__eq__`)."""
    if y is None:
        return False
    return execute(_equal, binary_inputs(x, y, "Equal"), _OPERATOR_EQ_ATTRS)


def tensor_not_equals(x, y):
    """`x != y` for a tensor x: the negation of `tensor_equals`."""
    if y is None:
        return True
    return execute(_not_equal, binary_inputs(x, y, "NotEqual"), _OPERATOR_EQ_ATTRS)


def _bool_input(value, op_type, index):
    t = to_tensor(value) if is_tensor(value) else convert_to_tensor(value, dtype=_bool)
    if t.dtype is not _bool:
        raise dtype_mismatch(op_type, index, _bool, t.dtype)
    return t


_logical_and = _elementwise("LogicalAnd", np.logical_and, shape=compare_shape)
_logical_or = _elementwise("LogicalOr", np.logical_or, shape=compare_shape)
_logical_not = _unary_op("LogicalNot", np.logical_not, dtypes=frozenset({_bool}))


def logical_and(x, y, name=None):
    """x AND y elementwise, for bool tensors."""
    return execute(_logical_and, (_bool_input(x, "LogicalAnd", 0),
                                  _bool_input(y, "LogicalAnd", 1)), name=name)


def logical_or(x, y, name=None):
    """x OR y elementwise, for bool tensors."""
    return execute(_logical_or, (_bool_input(x, "LogicalOr", 0),
                                 _bool_input(y, "LogicalOr", 1)), name=name)


def logical_not(x, name=None):
    """NOT x elementwise, for a bool tensor."""
    return execute(_logical_not, (_bool_input(x, "LogicalNot", 0),), name=name)


def logical_xor(x, y, name="LogicalXor"):
    """x XOR y elementwise, for bool tensors (TensorFlow has no XOR op: it composes one)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


_bitwise_and = _elementwise("BitwiseAnd", np.bitwise_and, dtypes=INTEGER)
_bitwise_or = _elementwise("BitwiseOr", np.bitwise_or, dtypes=INTEGER)
_bitwise_xor = _elementwise("BitwiseXor", np.bitwise_xor, dtypes=INTEGER)
_invert = _unary_op("Invert", np.invert, dtypes=INTEGER)


def bitwise_and(x, y, name=None):
    """The bits set in both x and y, for integer tensors (`tf.bitwise.bitwise_and`)."""
    return execute(_bitwise_and, binary_inputs(x, y, "BitwiseAnd"), name=name)


def bitwise_or(x, y, name=None):
    """The bits set in x or y, for integer tensors (`tf.bitwise.bitwise_or`)."""
    return execute(_bitwise_or, binary_inputs(x, y, "BitwiseOr"), name=name)


def bitwise_xor(x, y, name=None):
    """The bits set in exactly one of x and y (`tf.bitwise.bitwise_xor`)."""
    return execute(_bitwise_xor, binary_inputs(x, y, "BitwiseXor"), name=name)


def invert(x, name=None):
    """Every bit of an integer tensor flipped (`tf.bitwise.invert`)."""
    return execute(_invert, (to_tensor(x),), name=name)


def _tensor_dtype(x, y):
    """The dtype the operands of `x <op> y` take: the tensor operand's."""
    return convert_to_tensor(x if is_tensor(x) or not is_tensor(y) else y).dtype


def logical_and_or_bitwise(x, y):
    """`x & y`: logical AND for bool tensors, bitwise AND for integer ones."""
    if _tensor_dtype(x, y) is _bool:
        return logical_and(x, y)
    return bitwise_and(x, y)


def logical_or_or_bitwise(x, y):
    """`x | y`: logical OR for bool tensors, bitwise OR for integer ones."""
    if _tensor_dtype(x, y) is _bool:
        return logical_or(x, y)
    return bitwise_or(x, y)


def logical_xor_or_bitwise(x, y):
    """`x ^ y`: logical XOR for bool tensors, bitwise XOR for integer ones."""
    if _tensor_dtype(x, y) is _bool:
        return logical_xor(x, y)
    return bitwise_xor(x, y)


def invert_or_logical_not(x):
    """`~x`: logical NOT for a bool tensor, bitwise inversion for an integer one."""
    x = to_tensor(x)
    if x.dtype is _bool:
        return logical_not(x)
    return invert(x)


# ---- cast --------------------------------------------------------------------------------------

def _cast_grad(op, grad):
    if op.inputs[0].dtype in FLOAT_COMPLEX:
        return cast(grad, op.inputs[0].dtype)
    return None


@op("Cast", shape=lambda x, DstT: (DstT, x.shape), grad=_cast_grad)
@quiet
def _cast(x, DstT):  # noqa: N803 - TensorFlow's attr name
    if DstT.is_string or x.dtype == object:
        src = _dtypes.from_numpy(x.dtype)._type_name
        raise errors.op_error(errors.UnimplementedError, "Cast",
                              f"Cast {src} to {DstT._type_name} is not supported")
    if x.dtype.kind == "c" and not DstT.is_complex:
        x = np.real(x)  # TensorFlow drops the imaginary part silently
    return x.astype(DstT._np)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (float -> int truncates toward zero, as in TF)."""
    dtype = _dtypes.as_dtype(dtype)
    x = to_tensor(x)
    if x.dtype is dtype:
        return x
    return execute(_cast, (x,), {"DstT": dtype}, name=name)


def saturate_cast(value, dtype, name=None):
    """`value` cast to `dtype`, clamped first to the range `dtype` can hold."""
    dtype = _dtypes.as_dtype(dtype)
    x = to_tensor(value)
    if x.dtype.is_complex and not dtype.is_complex:
        x = real(x)
    if x.dtype is dtype:
        return x
    src, dst = x.dtype.real_dtype, dtype.real_dtype
    if not (src.is_bool or dst.is_bool):
        lo, hi = max(src.min, dst.min), min(src.max, dst.max)
        if lo > src.min or hi < src.max:
            x = clip_by_value(x, np.asarray(lo).astype(src._np), np.asarray(hi).astype(src._np))
    return cast(x, dtype, name=name)


# ---- add_n -------------------------------------------------------------------------------------

def _add_n_shape(*xs):
    shape = xs[0].shape
    for x in xs[1:]:
        shape = shape.merge_with(x.shape)
    return xs[0].dtype, shape


@op("AddN", shape=_add_n_shape, grad=lambda op, g: [g] * len(op.inputs), dtypes=NUMERIC)
@quiet
def _add_n(*xs):
    first = np.shape(xs[0])
    for i, x in enumerate(xs[1:], 1):
        if np.shape(x) != first:
            raise ValueError(f"Inputs to operation AddN of type AddN must have the same size "
                             f"and shape.  Input 0: {_dims_text(xs[0])} != input {i}: "
                             f"{_dims_text(x)}")
    total = xs[0] + xs[1]
    for x in xs[2:]:
        total += x
    return total


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype (no broadcasting)."""
    if is_tensor(inputs):
        inputs = list(to_tensor(inputs))
    elif isinstance(inputs, (str, bytes)) or not isinstance(inputs, Iterable):
        inputs = []
    inputs = list(inputs)
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape.")
    tensors = same_dtype_inputs(inputs, "AddN")
    if len(tensors) == 1:
        return tensors[0]
    return execute(_add_n, tuple(tensors), name=name)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The elementwise sum of a list of tensors (like `add_n`); `shape` and `tensor_dtype`,
    if given, must match the inputs."""
    tensors = same_dtype_inputs(list(inputs), "AddN") if inputs else []
    for t in tensors:
        if shape is not None and not t.shape.is_compatible_with(shape):
            raise ValueError(f"Shapes {TensorShape(shape)} and {t.shape} are not compatible")
        if tensor_dtype is not None and t.dtype != tensor_dtype:
            raise TypeError(f"The `tensor_dtype` argument is {_dtypes.as_dtype(tensor_dtype)}, "
                            f"but the inputs have dtype {t.dtype}")
    return add_n(tensors, name=name)


def polyval(coeffs, x, name=None):
    """The polynomial coeffs[0] * x**(n-1) + ... + coeffs[n-1] at x (Horner's scheme)."""
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type found {type(coeffs)}.")
    x = to_tensor(x)
    if not coeffs:
        return _zeros_like(x)
    coeffs = [to_tensor(c) for c in coeffs]
    p = coeffs[0]
    for c in coeffs[1:]:
        p = add(c, multiply(p, x))
    return p


# ---- reductions --------------------------------------------------------------------------------

def _axis_attr(axis):
    """A reduction `axis` argument as the attr: None, an int or a tuple of ints."""
    if axis is None or type(axis) is int:
        return axis
    if is_tensor(axis):
        t = to_tensor(axis)
        if t.dtype not in (_dtypes.int32, _dtypes.int64):
            raise errors.op_error(errors.InvalidArgumentError, "Sum",
                                  f"Value for attr 'Tidx' of {t.dtype.name} is not in the "
                                  "list of allowed values: int32, int64")
        value = static_value(t)
        if value is None:
            raise ValueError("A reduction axis must be known when the function is traced; "
                             f"got the symbolic tensor {t!r}")
        arr = np.asarray(value)
    else:
        arr = np.asarray(axis)
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    if arr.ndim == 0:
        return int(arr)
    return tuple(int(a) for a in arr.reshape(-1))


def _axes_tuple(axis, rank):
    """The reduced axes as sorted non-negative ints."""
    if axis is None:
        return tuple(range(rank))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % rank for a in axes)) if rank else ()


def _axis_problem(axis, rank):
    """TensorFlow's complaint about a reduction axis, or None if it is valid."""
    axes = () if axis is None else axis if isinstance(axis, tuple) else (axis,)
    for a in axes:
        if not -rank <= a < rank:
            return f"Invalid reduction dimension ({a} for input with {rank} dimension(s)"
    seen = set()
    for a in axes:
        if a % rank in seen:
            return f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank}"
        seen.add(a % rank)
    return None


def _reduce_shape(x, axis=None, keepdims=False, **attrs):
    rank = x.shape.rank
    if rank is not None:
        problem = _axis_problem(axis, rank)
        if problem:
            raise ValueError(problem)
    return x.dtype, reduction_shape(x, axis, keepdims)


def _reduce_with(reduce, x, axis, keepdims, **kwargs):
    """Runs a NumPy reduction, rewording NumPy's axis errors as TensorFlow's."""
    if axis is not None and axis != () and np.ndim(x) == 0:
        raise ValueError(_axis_problem(axis, 0))  # NumPy lets a scalar "reduce" over axis 0
    token = _fp_set(_QUIET)
    try:
        return reduce(x, axis=axis, keepdims=keepdims, **kwargs)
    except ValueError:
        problem = _axis_problem(axis, np.ndim(x))
        if problem:
            raise ValueError(problem) from None
        raise
    finally:
        _fp_reset(token)


def _keepdims_shape(op):
    x = op.inputs[0]
    return reduction_shape(x, op.get_attr("axis"), keepdims=True)


def _with_kept_dims(op, t):
    """A reduction's output-shaped tensor reshaped as if keepdims=True (so it broadcasts)."""
    from tensorlite.ops import array as _array
    if op.get_attr("keepdims"):
        return t
    shape = _keepdims_shape(op)
    if shape.is_fully_defined():
        return _array.reshape(t, shape.as_list())
    x_shape = _array.shape(op.inputs[0])
    axes = _axes_tuple(op.get_attr("axis"), op.inputs[0].shape.rank)
    dims = _array.unstack(x_shape)
    one = convert_to_tensor(1, dtype=x_shape.dtype)
    return _array.reshape(t, _array.stack([one if i in axes else d for i, d in enumerate(dims)]))


def _broadcast_to_input(op, grad):
    """The upstream gradient of a reduction, broadcast back to the input's shape."""
    from tensorlite.ops import array as _array
    x = op.inputs[0]
    grad = _with_kept_dims(op, grad)
    target = x.shape.as_list() if x.shape.is_fully_defined() else _array.shape(x)
    return _array.broadcast_to(grad, target)


def _sum_grad(op, grad):
    return _broadcast_to_input(op, grad)


def _mean_grad(op, grad):
    from tensorlite.ops import array as _array
    x, y = op.inputs[0], op.outputs[0]
    nx, ny = x.shape.num_elements(), y.shape.num_elements()
    if nx is not None and ny is not None:
        count = _const(nx // max(ny, 1), grad)
    else:
        sizes = [reduce_prod(_array.shape(t)) for t in (x, y)]
        count = cast(floordiv(sizes[0], maximum(sizes[1], _const(1, sizes[1]))), grad.dtype)
    return _div(_broadcast_to_input(op, grad), count)


def _min_or_max_grad(op, grad):
    x = op.inputs[0]
    y = _with_kept_dims(op, op.outputs[0])
    g = _with_kept_dims(op, grad)
    # Ties share the gradient equally, as in TensorFlow.
    indicators = cast(equal(y, x), g.dtype)
    num_selected = reduce_sum(indicators, op.get_attr("axis"), keepdims=True)
    return multiply(_div(indicators, num_selected), g)


def _prod_grad(op, grad):
    """d prod / d x_i = product of the others: exclusive cumulative products from both
    sides, taken along the reduced axes moved to the front (correct with zeros)."""
    from tensorlite.ops import array as _array
    x = op.inputs[0]
    rank = x.shape.rank
    axes = _axes_tuple(op.get_attr("axis"), rank)
    grad = _broadcast_to_input(op, grad)
    if not axes or x.shape.num_elements() == 0:
        return grad
    others = [i for i in range(rank) if i not in axes]
    perm = list(axes) + others
    dims = x.shape.as_list()
    reduced = [dims[i] for i in axes]
    if None not in reduced:
        flat_shape = [int(np.prod(reduced)), -1]
    else:  # the reduced size is only known when the graph runs
        sizes = _array.unstack(_array.shape(x), num=rank)
        flat_shape = _array.stack([reduce_prod(_array.stack([sizes[i] for i in axes])),
                                   convert_to_tensor(-1)])
    xt = _array.transpose(x, perm)
    flat = _array.reshape(xt, flat_shape)
    left = cumprod(flat, axis=0, exclusive=True)
    right = cumprod(flat, axis=0, exclusive=True, reverse=True)
    others_prod = _array.reshape(multiply(left, right), _array.shape(xt))
    others_prod = _array.transpose(others_prod, list(np.argsort(perm)))
    return multiply(grad, _conj(others_prod))


def _euclidean_norm_grad(op, grad):
    y = _with_kept_dims(op, op.outputs[0])
    g = _with_kept_dims(op, grad)
    return _div(op.inputs[0], _div(y, g))


_add_reduce = np.add.reduce


def _sum_kernel(x, axis=None, keepdims=False):
    if axis is None:  # the common full reduction, without the generic wrapper
        token = _fp_set(_QUIET)
        try:
            return _add_reduce(x, None, x.dtype, None, keepdims)
        finally:
            _fp_reset(token)
    return _reduce_with(_add_reduce, x, axis, keepdims, dtype=x.dtype)


def _mean_kernel(x, axis=None, keepdims=False):
    if x.dtype.kind in "iu":
        return _int_mean(x, axis, keepdims)
    total = _sum_kernel(x, axis, keepdims)
    count = x.size // (total.size or 1)
    token = _fp_set(_QUIET)
    try:
        return total / count if count else total * np.nan
    finally:
        _fp_reset(token)


def _int_mean(x, axis, keepdims):
    """Integer mean: summed in 64 bits (no overflow for 32-bit inputs), truncated
    toward zero as C++ division does in TensorFlow."""
    wide = np.int64 if x.dtype.kind == "i" else np.uint64
    total = _reduce_with(np.add.reduce, x, axis, keepdims, dtype=wide)
    count = x.size // (total.size or 1)
    if count == 0:
        return np.zeros_like(total, dtype=x.dtype)
    quotient = total // count
    quotient = quotient + ((total % count != 0) & (total < 0)).astype(quotient.dtype)
    return quotient.astype(x.dtype)


def _lowest(dtype):
    return -np.inf if dtype.kind in "fV" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind in "fV" else np.iinfo(dtype).max


def _max_kernel(x, axis=None, keepdims=False):
    # `initial` makes empty reductions give the dtype's lowest value, as TensorFlow does.
    return _reduce_with(np.maximum.reduce, x, axis, keepdims, initial=_lowest(x.dtype))


def _min_kernel(x, axis=None, keepdims=False):
    return _reduce_with(np.minimum.reduce, x, axis, keepdims, initial=_highest(x.dtype))


def _prod_kernel(x, axis=None, keepdims=False):
    return _reduce_with(np.multiply.reduce, x, axis, keepdims, dtype=x.dtype)


def _any_kernel(x, axis=None, keepdims=False):
    return _reduce_with(np.logical_or.reduce, x, axis, keepdims)


def _all_kernel(x, axis=None, keepdims=False):
    return _reduce_with(np.logical_and.reduce, x, axis, keepdims)


def _euclidean_norm_kernel(x, axis=None, keepdims=False):
    kind = x.dtype.kind
    if kind == "c":
        squares = (x * np.conj(x)).real
    elif kind in "iu":
        squares = np.square(x.astype(np.float64))
    else:
        squares = np.square(x)
    total = _reduce_with(np.add.reduce, squares, axis, keepdims)
    return np.sqrt(total).astype(x.dtype)


_sum = op("Sum", shape=_reduce_shape, grad=_sum_grad, dtypes=NUMERIC)(_sum_kernel)
_mean = op("Mean", shape=_reduce_shape, grad=_mean_grad, dtypes=NUMERIC)(_mean_kernel)
_max = op("Max", shape=_reduce_shape, grad=_min_or_max_grad, dtypes=REAL)(_max_kernel)
_min = op("Min", shape=_reduce_shape, grad=_min_or_max_grad, dtypes=REAL)(_min_kernel)
_prod = op("Prod", shape=_reduce_shape, grad=_prod_grad, dtypes=NUMERIC)(_prod_kernel)
_any = op("Any", shape=_reduce_shape, differentiable=False)(_any_kernel)
_all = op("All", shape=_reduce_shape, differentiable=False)(_all_kernel)
_euclidean_norm = op("EuclideanNorm", shape=_reduce_shape, grad=_euclidean_norm_grad,
                     dtypes=NUMERIC)(_euclidean_norm_kernel)


def _reduce(opdef, input_tensor, axis, keepdims, name):
    return execute(opdef, (to_tensor(input_tensor),),
                   {"axis": _axis_attr(axis), "keepdims": bool(keepdims)}, name=name)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """The sum of elements across `axis` (an int, a list, negative counts from the end;
    None reduces all). An empty tensor sums to 0."""
    return _reduce(_sum, input_tensor, axis, keepdims, name)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """The mean across `axis`; integer tensors give an integer mean (truncated)."""
    return _reduce(_mean, input_tensor, axis, keepdims, name)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """The maximum across `axis` (-inf or the dtype's minimum for an empty tensor)."""
    return _reduce(_max, input_tensor, axis, keepdims, name)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """The minimum across `axis` (inf or the dtype's maximum for an empty tensor)."""
    return _reduce(_min, input_tensor, axis, keepdims, name)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """The product across `axis` (1 for an empty tensor)."""
    return _reduce(_prod, input_tensor, axis, keepdims, name)


def _bool_reduce(opdef, input_tensor, axis, keepdims, name):
    return _reduce(opdef, _bool_input(input_tensor, opdef.type, 0), axis, keepdims, name)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical OR across `axis` of a bool tensor (False for an empty one)."""
    return _bool_reduce(_any, input_tensor, axis, keepdims, name)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical AND across `axis` of a bool tensor (True for an empty one)."""
    return _bool_reduce(_all, input_tensor, axis, keepdims, name)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x ** 2)) across `axis`, in the input's dtype."""
    return _reduce(_euclidean_norm, input_tensor, axis, keepdims, name)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The (population) variance across `axis`; real for complex input."""
    x = to_tensor(input_tensor)
    means = reduce_mean(x, axis=axis, keepdims=True)
    if means.dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type "
                        f"<dtype: '{means.dtype.name}'>.")
    diff = subtract(x, means)
    squared = real(multiply(diff, conj(diff))) if diff.dtype.is_complex else square(diff)
    return reduce_mean(squared, axis=axis, keepdims=keepdims, name=name)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The (population) standard deviation across `axis`."""
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims), name=name)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across `axis`, computed without overflow (-inf for an empty tensor)."""
    from tensorlite.autodiff.stop_gradient import stop_gradient
    from tensorlite.ops import array as _array
    x = to_tensor(input_tensor)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    # Shifting by the max keeps exp() in range; infinite maxima shift by 0 instead.
    shift = stop_gradient(_array.where(is_finite(raw_max), raw_max, _zeros_like(raw_max)))
    result = log(reduce_sum(exp(subtract(x, shift)), axis=axis, keepdims=keepdims))
    if not keepdims:
        shift = _array.reshape(shift, _array.shape(result))
    return add(result, shift, name=name)


def count_nonzero(input, axis=None, keepdims=None, dtype=_int64, name=None):  # noqa: A002
    """The number of nonzero (or non-empty string) elements across `axis`, as `dtype`."""
    x = to_tensor(input)
    zero = b"" if x.dtype.is_string else np.zeros((), x.dtype._np)
    nonzero = cast(not_equal(x, convert_to_tensor(zero, dtype=x.dtype)), _int64)
    return cast(reduce_sum(nonzero, axis=axis, keepdims=bool(keepdims)), dtype, name=name)


def zero_fraction(value, name=None):
    """The fraction of elements of `value` that are zero, as a float32 scalar."""
    x = to_tensor(value)
    zero = convert_to_tensor(np.zeros((), x.dtype._np))
    return reduce_mean(cast(equal(x, zero), _dtypes.float32), name=name)


def _monotonic(x, compare):
    """compare(x[i], x[i+1]) for all consecutive elements of x in row-major order."""
    from tensorlite.ops import array as _array
    x = to_tensor(x)
    if x.dtype not in REAL:
        raise TypeError(f"Expected x to be numeric, instead found: {x}")
    flat = _array.reshape(x, [-1])
    return reduce_all(compare(flat[:-1], flat[1:]))


def is_non_decreasing(x, name=None):
    """True if every element of `x` (row-major order) is >= the one before it."""
    return _monotonic(x, less_equal)


def is_strictly_increasing(x, name=None):
    """True if every element of `x` (row-major order) is > the one before it."""
    return _monotonic(x, less)


# ---- argmax / argmin ---------------------------------------------------------------------------

_ARG_OUTPUT_TYPES = (_dtypes.int16, _dtypes.uint16, _dtypes.int32, _dtypes.int64)


def _arg_shape(x, axis, output_type):
    if x.shape.rank is None:
        return output_type, TensorShape(None)
    dims = x.shape.as_list()
    if not -len(dims) <= axis < len(dims):
        raise ValueError(f"Expected dimension in the range [{-len(dims)}, {len(dims)}), "
                         f"but got {axis}")
    del dims[axis]
    return output_type, TensorShape(dims)


def _arg_kernel(np_fn, nan_as):
    def kernel(x, axis, output_type):
        ndim = np.ndim(x)
        if not -ndim <= axis < ndim:
            raise ValueError(f"Expected dimension in the range [{-ndim}, {ndim}), but got {axis}")
        if np.shape(x)[axis] == 0:
            raise ValueError(f"Reduction axis {axis} is empty in shape {_dims_text(x)}")
        if x.dtype.kind in "fV":
            nans = np.isnan(x)
            if nans.any():  # TensorFlow's scan never selects nan
                x = np.where(nans, nan_as, x)
        return np_fn(x, axis=axis).astype(output_type._np)
    return kernel


_ARG_DTYPES = REAL | {_bool}
_argmax = op("ArgMax", shape=_arg_shape, dtypes=_ARG_DTYPES,
             differentiable=False)(_arg_kernel(np.argmax, -np.inf))
_argmin = op("ArgMin", shape=_arg_shape, dtypes=_ARG_DTYPES,
             differentiable=False)(_arg_kernel(np.argmin, np.inf))


def _arg(opdef, input, axis, output_type, name):  # noqa: A002
    x = to_tensor(input)
    output_type = _dtypes.as_dtype(output_type)
    if output_type not in _ARG_OUTPUT_TYPES:
        raise errors.op_error(errors.InvalidArgumentError, opdef.type,
                              f"Value for attr 'output_type' of {output_type._type_name} is "
                              "not in the list of allowed values: int16, uint16, int32, int64")
    if axis is None:
        axis = 0
    elif is_tensor(axis):
        value = static_value(to_tensor(axis))
        if value is None or np.ndim(value) != 0:
            raise TypeError("axis must be int or Tensor with integer datatype")
        axis = int(value)
    elif not isinstance(axis, (int, np.integer)):
        raise TypeError("axis must be int or Tensor with integer datatype")
    return execute(opdef, (x,), {"axis": int(axis), "output_type": output_type}, name=name)


def argmax(input, axis=None, output_type=_int64, name=None):  # noqa: A002
    """The index of the largest value along `axis` (0 if None); int64 unless `output_type`."""
    return _arg(_argmax, input, axis, output_type, name)


def argmin(input, axis=None, output_type=_int64, name=None):  # noqa: A002
    """The index of the smallest value along `axis` (0 if None); int64 unless `output_type`."""
    return _arg(_argmin, input, axis, output_type, name)


# ---- cumulative sum / product ------------------------------------------------------------------

def _scan_shape(x, axis, exclusive, reverse):
    rank = x.shape.rank
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), "
                         f"but got {axis}")
    return x.dtype, x.shape


def _scan_kernel(ufunc, identity):
    @quiet
    def kernel(x, axis, exclusive, reverse):
        ndim = np.ndim(x)
        if not -ndim <= axis < ndim:
            raise ValueError(f"ScanOp: Expected scan axis in the range [{-ndim}, {ndim}), "
                             f"but got {axis}")
        if reverse:
            x = np.flip(x, axis)
        out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
        if exclusive:
            # Shift by one along the axis, starting from the identity (0 or 1).
            shifted = np.empty_like(out)
            head = [slice(None)] * ndim
            tail = [slice(None)] * ndim
            body = [slice(None)] * ndim
            head[axis], tail[axis], body[axis] = slice(0, 1), slice(1, None), slice(0, -1)
            shifted[tuple(head)] = identity
            shifted[tuple(tail)] = out[tuple(body)]
            out = shifted
        if reverse:
            out = np.flip(out, axis)
        return out
    return kernel


def _cumulative_logsumexp_grad(op, grad):
    # d out_j / d x_i = exp(x_i - out_j) over the scanned pairs; the positive and
    # negative parts of the upstream gradient are summed in log space to stay finite.
    from tensorlite.ops import array as _array
    x, out = op.inputs[0], op.outputs[0]
    axis, exclusive, reverse = (op.get_attr(a) for a in ("axis", "exclusive", "reverse"))
    lowest = _const(_dtypes.as_dtype(x.dtype).min, grad)
    positive, negative_part = greater(grad, _zeros_like(grad)), less(grad, _zeros_like(grad))
    safe = _array.where(positive | negative_part, abs(grad), _array.ones_like(grad))
    log_pos = _array.where(positive, log(safe), lowest)
    log_neg = _array.where(negative_part, log(safe), lowest)

    def part(log_grad):
        total = cumulative_logsumexp(subtract(log_grad, out), axis=axis, exclusive=exclusive,
                                     reverse=not reverse)
        return exp(add(total, x))
    return subtract(part(log_pos), part(log_neg))


def _cumsum_grad(op, grad):
    return cumsum(grad, axis=op.get_attr("axis"), exclusive=op.get_attr("exclusive"),
                  reverse=not op.get_attr("reverse"))


def _cumprod_grad(op, grad):
    # TensorFlow's formula: exact where x has no zeros; where it has, the division
    # by x is taken as 0 (div_no_nan), as TensorFlow documents.
    x = op.inputs[0]
    axis, exclusive, reverse = (op.get_attr(a) for a in ("axis", "exclusive", "reverse"))
    prod = cumprod(x, axis=axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(multiply(prod, grad), axis=axis, exclusive=exclusive, reverse=not reverse)
    return divide_no_nan(out, _conj(x))


_cumsum = op("Cumsum", shape=_scan_shape, grad=_cumsum_grad, dtypes=NUMERIC)(
    _scan_kernel(np.add, 0))
_cumprod = op("Cumprod", shape=_scan_shape, grad=_cumprod_grad, dtypes=NUMERIC)(
    _scan_kernel(np.multiply, 1))
_cumulative_logsumexp = op("CumulativeLogsumexp", shape=_scan_shape,
                           grad=_cumulative_logsumexp_grad, dtypes=FLOAT)(
    _scan_kernel(np.logaddexp, -np.inf))


def _scan(opdef, x, axis, exclusive, reverse, name):
    x = to_tensor(x)
    if is_tensor(axis):
        axis = static_value(to_tensor(axis))
    if np.ndim(axis) != 0:
        raise errors.op_error(errors.InvalidArgumentError, opdef.type,
                              f"ScanOp: axis must be a scalar, not {_dims_text(axis)}")
    attrs = {"axis": int(axis), "exclusive": bool(exclusive), "reverse": bool(reverse)}
    return execute(opdef, (x,), attrs, name=name)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`; `exclusive` leaves out the current element, `reverse`
    runs from the end: cumsum([a, b, c], exclusive=True) == [0, a, a + b]."""
    return _scan(_cumsum, x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along `axis` (see `cumsum` for `exclusive` and `reverse`)."""
    return _scan(_cumprod, x, axis, exclusive, reverse, name)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running log(sum(exp(x))) along `axis`, computed without overflow (see `cumsum`)."""
    return _scan(_cumulative_logsumexp, x, axis, exclusive, reverse, name)
