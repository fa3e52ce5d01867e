"""Elementwise math, comparisons, reductions and casts (`tf.math`)."""
import functools

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.ops._helpers import (binary_inputs, binary_shape, compare_shape,
                                     reduction_shape, same_dtype_inputs, static_value,
                                     to_tensor,
                                     unary_shape, unbroadcast)

__all__ = ["abs", "add", "add_n", "cast", "divide", "exp", "greater", "greater_equal",
           "less", "less_equal", "maximum", "minimum", "multiply", "negative", "pow",
           "reduce_mean", "reduce_sum", "sign", "sqrt", "square", "subtract", "truediv"]

FLOAT = _dtypes.FLOATING
FLOAT_COMPLEX = _dtypes.FLOATING | _dtypes.COMPLEX
NUMERIC = _dtypes.NUMERIC
REAL = _dtypes.REAL_NUMERIC


def quiet(kernel):
    """Runs a kernel with NumPy's floating-point warnings off: TensorFlow gives
    inf/nan silently (log(0), 1/0, overflow), and so do we."""
    @functools.wraps(kernel)
    def run(*args, **kwargs):
        with np.errstate(all="ignore"):
            return kernel(*args, **kwargs)
    return run


# ---- arithmetic ---------------------------------------------------------------

def _add_grad(op, grad):
    x, y = op.inputs
    return unbroadcast(grad, x.shape), unbroadcast(grad, y.shape)


def _sub_grad(op, grad):
    x, y = op.inputs
    return unbroadcast(grad, x.shape), unbroadcast(negative(grad), y.shape)


def _mul_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = op.needs_grad or (True, True)
    gx = unbroadcast(multiply(grad, y), x.shape) if need_x else None
    gy = unbroadcast(multiply(grad, x), y.shape) if need_y else None
    return gx, gy


def _div_grad(op, grad):
    x, y = op.inputs
    need_x, need_y = op.needs_grad or (True, True)
    gx = unbroadcast(divide_no_check(grad, y), x.shape) if need_x else None
    gy = (unbroadcast(negative(multiply(grad, divide_no_check(op.outputs[0], y))), y.shape)
          if need_y else None)
    return gx, gy


def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    need_x, need_y = op.needs_grad or (True, True)
    gx = gy = None
    if need_x:
        yv = static_value(y)
        if yv is not None and np.size(yv) == 1 and yv == 2:  # the common square: 2x
            dx = multiply(y, x)
        else:
            dx = multiply(y, pow(x, subtract(y, convert_to_tensor(1, dtype=y.dtype))))
        gx = unbroadcast(multiply(grad, dx), x.shape)
    if need_y:
        safe_log = _where_positive(x)
        gy = unbroadcast(multiply(grad, multiply(z, safe_log)), y.shape)
    return gx, gy


def _where_positive(x):
    from tensorlite.ops import array as _array
    zeros = _array.zeros_like(x)
    positive = greater(x, zeros)
    return _array.where(positive, log(_array.where(positive, x, _array.ones_like(x))), zeros)


@op("AddV2", shape=binary_shape, grad=_add_grad)
def _add(x, y):
    return x + y


@op("Sub", shape=binary_shape, grad=_sub_grad)
def _sub(x, y):
    return x - y


@op("Mul", shape=binary_shape, grad=_mul_grad)
def _mul(x, y):
    return x * y


@op("RealDiv", shape=binary_shape, grad=_div_grad, dtypes=FLOAT_COMPLEX)
@quiet
def _realdiv(x, y):
    return np.true_divide(x, y).astype(np.result_type(x), copy=False)


@op("Pow", shape=binary_shape, grad=_pow_grad)
@quiet
def _pow(x, y):
    if np.issubdtype(np.result_type(y), np.integer) and np.any(np.asarray(y) < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


def add(x, y, name=None):
    """x + y elementwise, with broadcasting (`tf.add`, `tf.math.add`)."""
    x, y = binary_inputs(x, y, "AddV2")
    return execute(_add, (x, y), name=name)


def subtract(x, y, name=None):
    """x - y elementwise."""
    x, y = binary_inputs(x, y, "Sub")
    return execute(_sub, (x, y), name=name)


def multiply(x, y, name=None):
    """x * y elementwise."""
    x, y = binary_inputs(x, y, "Mul")
    return execute(_mul, (x, y), name=name)


def divide_no_check(x, y):
    return execute(_realdiv, (x, y))


def truediv(x, y, name=None):
    """x / y; integer operands are cast to float (int32 -> float64, as TF does)."""
    x, y = binary_inputs(x, y, "RealDiv")
    if x.dtype.is_integer:
        target = _dtypes.float64 if x.dtype.size >= 4 else _dtypes.float32
        x, y = cast(x, target), cast(y, target)
    return execute(_realdiv, (x, y), name=name)


divide = truediv


def pow(x, y, name=None):  # noqa: A001 - TensorFlow's name
    """x ** y elementwise."""
    x, y = binary_inputs(x, y, "Pow")
    return execute(_pow, (x, y), name=name)


# ---- unary ----------------------------------------------------------------------

def _unary(type_, kernel, grad=None, dtypes=FLOAT_COMPLEX, differentiable=None):
    """Registers an elementwise unary op; returns its public function."""
    opdef = op(type_, shape=unary_shape, grad=grad, dtypes=dtypes,
               differentiable=differentiable)(kernel)

    def public(x, name=None):
        return execute(opdef, (to_tensor(x),), name=name)
    public.opdef = opdef
    return public


negative = _unary("Neg", np.negative, lambda op, g: negative(g), NUMERIC)
negative.__doc__ = "-x elementwise."
square = _unary("Square", np.square, lambda op, g: multiply(g, multiply(
    convert_to_tensor(2, dtype=op.inputs[0].dtype), op.inputs[0])), NUMERIC)
square.__doc__ = "x * x elementwise."
sqrt = _unary("Sqrt", quiet(np.sqrt), lambda op, g: divide_no_check(
    multiply(g, convert_to_tensor(0.5, dtype=g.dtype)), op.outputs[0]))
sqrt.__doc__ = "The square root of x elementwise."
exp = _unary("Exp", quiet(np.exp), lambda op, g: multiply(g, op.outputs[0]))
exp.__doc__ = "e ** x elementwise."
log = _unary("Log", quiet(np.log), lambda op, g: divide_no_check(g, op.inputs[0]))
log.__doc__ = "The natural logarithm of x elementwise."
abs = _unary("Abs", np.abs, lambda op, g: multiply(g, sign(op.inputs[0])), NUMERIC)  # noqa: A001
abs.__doc__ = "|x| elementwise."
sign = _unary("Sign", np.sign, lambda op, g: None, NUMERIC, differentiable=True)
sign.__doc__ = "-1, 0 or 1 elementwise (gradient zero)."


# ---- comparisons --------------------------------------------------------------

def _compare(type_, kernel):
    opdef = op(type_, shape=compare_shape, differentiable=False)(kernel)

    def public(x, y, name=None):
        x, y = binary_inputs(x, y, type_)
        return execute(opdef, (x, y), name=name)
    public.opdef = opdef
    return public


less = _compare("Less", np.less)
less.__doc__ = "x < y elementwise (a bool tensor)."
greater = _compare("Greater", np.greater)
greater.__doc__ = "x > y elementwise (a bool tensor)."


# ---- min / max -------------------------------------------------------------------

def _minmax_grad(op, grad):
    x, y = op.inputs
    from tensorlite.ops import array as _array
    pick_x = (greater_equal if op.type == "Maximum" else less_equal)(x, y)
    zeros = _array.zeros_like(grad)
    return (unbroadcast(_array.where(pick_x, grad, zeros), x.shape),
            unbroadcast(_array.where(pick_x, zeros, grad), y.shape))


greater_equal = _compare("GreaterEqual", np.greater_equal)
less_equal = _compare("LessEqual", np.less_equal)


@op("Maximum", shape=binary_shape, grad=_minmax_grad, dtypes=REAL)
def _maximum(x, y):
    return np.maximum(x, y)


@op("Minimum", shape=binary_shape, grad=_minmax_grad, dtypes=REAL)
def _minimum(x, y):
    return np.minimum(x, y)


def maximum(x, y, name=None):
    """The larger of x and y elementwise."""
    x, y = binary_inputs(x, y, "Maximum")
    return execute(_maximum, (x, y), name=name)


def minimum(x, y, name=None):
    """The smaller of x and y elementwise."""
    x, y = binary_inputs(x, y, "Minimum")
    return execute(_minimum, (x, y), name=name)


# ---- cast -------------------------------------------------------------------------

def _cast_grad(op, grad):
    src = op.inputs[0].dtype
    if src in FLOAT_COMPLEX:
        return cast(grad, src)
    return None


@op("Cast", shape=lambda x, DstT: (DstT, x.shape), grad=_cast_grad)
def _cast(x, DstT):  # noqa: N803 - TensorFlow's attr name
    if DstT.is_string or x.dtype == object:
        raise TypeError(f"Cast string to {DstT.name} is not supported")
    with np.errstate(all="ignore"):
        return np.asarray(x).astype(DstT._np, copy=False) if not np.isscalar(x) \
            else DstT._np.type(x)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (float -> int truncates toward zero, as in TF)."""
    dtype = _dtypes.as_dtype(dtype)
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x)
    if x.dtype is dtype:
        return x
    return execute(_cast, (x,), {"DstT": dtype}, name=name)


# ---- n-ary / reductions ---------------------------------------------------------------

@op("AddN", shape=lambda *xs: (xs[0].dtype, xs[0].shape), grad=lambda op, g: [g] * len(op.inputs))
def _add_n(*xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of the same shape and dtype."""
    if not inputs:
        raise ValueError("inputs must be a non-empty list of tensors")
    tensors = same_dtype_inputs(list(inputs), "AddN")
    if len(tensors) == 1:
        return tensors[0]
    return execute(_add_n, tuple(tensors), name=name)


def _axis_attr(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy()
    if isinstance(axis, (list, tuple, np.ndarray)):
        return tuple(int(a) for a in np.asarray(axis).reshape(-1))
    return int(axis)


def _reduce_grad_broadcast(op, grad):
    """The upstream gradient of a reduction, broadcast back to the input's shape."""
    from tensorlite.ops import array as _array
    x = op.inputs[0]
    shape = reduction_shape(x, op.get_attr("axis"), keepdims=True)
    if not op.get_attr("keepdims"):
        grad = _array.reshape(grad, shape.as_list())
    return _array.broadcast_to(grad, _array.shape(x))


def _sum_grad(op, grad):
    return _reduce_grad_broadcast(op, grad)


def _mean_grad(op, grad):
    x = op.inputs[0]
    y = op.outputs[0]
    count = max(x.shape.num_elements(), 1) // max(y.shape.num_elements(), 1)
    g = _reduce_grad_broadcast(op, grad)
    return divide_no_check(g, convert_to_tensor(count, dtype=g.dtype))


def _reduction_kernel(np_fn):
    def kernel(x, axis=None, keepdims=False):
        out = np_fn(x, axis=axis, keepdims=keepdims)
        return out.astype(x.dtype, copy=False) if out.dtype != x.dtype else out
    return kernel


_sum = op("Sum", shape=lambda x, axis, keepdims: (x.dtype, reduction_shape(x, axis, keepdims)),
          grad=_sum_grad, dtypes=NUMERIC)(_reduction_kernel(np.sum))
_mean = op("Mean", shape=lambda x, axis, keepdims: (x.dtype, reduction_shape(x, axis, keepdims)),
           grad=_mean_grad, dtypes=NUMERIC)(quiet(_reduction_kernel(np.mean)))


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """The sum of elements across `axis` (all axes if None)."""
    x = to_tensor(input_tensor)
    return execute(_sum, (x,), {"axis": _axis_attr(axis), "keepdims": bool(keepdims)},
                   name=name)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """The mean of elements across `axis` (integer tensors give an integer mean)."""
    x = to_tensor(input_tensor)
    return execute(_mean, (x,), {"axis": _axis_attr(axis), "keepdims": bool(keepdims)},
                   name=name)
