"""What the op families share: argument conversion, common shape rules, gradient reshaping."""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.context import graph_stack as _graph_stack
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape

_EagerTensor = EagerTensor


def to_tensor(x, dtype=None):
    """An op argument as a tensor (fast path for tensors already)."""
    if type(x) is _EagerTensor and dtype is None:
        return x
    return convert_to_tensor(x, dtype=dtype)


_scalar_cache = {}
_PY_SCALARS = (int, float)


def _scalar_like(value, tensor):
    """A Python int/float as an eager tensor of `tensor`'s dtype, cached (tensors are
    immutable, and `3 * x` or `x + 1` would otherwise build a new constant per call)."""
    dtype = tensor._dtype
    key = (value, type(value), dtype)
    t = _scalar_cache.get(key)
    if t is None:
        t = convert_to_tensor(value, dtype=dtype)
        if len(_scalar_cache) < 4096 and type(t) is _EagerTensor:
            _scalar_cache[key] = t
    return t


def binary_inputs(x, y, op_type):
    """Converts the two operands of a binary op; their dtypes must agree.

    A non-tensor operand takes the dtype of the tensor one (`t + 10`), as in
    TensorFlow; two tensors of different dtypes raise InvalidArgumentError.
    """
    tx, ty = type(x), type(y)
    if tx is _EagerTensor:
        if ty is _EagerTensor:
            if x._dtype is not y._dtype:
                raise dtype_mismatch(op_type, 1, x._dtype, y._dtype)
            return x, y
        if ty in _PY_SCALARS and not _graph_stack:
            return x, _scalar_like(y, x)
    elif ty is _EagerTensor and tx in _PY_SCALARS and not _graph_stack:
        return _scalar_like(x, y), y
    x_is = isinstance(x, Tensor) or getattr(tx, "_as_tensor", None) is not None
    y_is = isinstance(y, Tensor) or getattr(ty, "_as_tensor", None) is not None
    # Names matter only in graphs: a converted operand of `pow` becomes `pow/y`.
    if x_is:
        x = convert_to_tensor(x)
        if y_is:
            y = convert_to_tensor(y)
        elif ty in _PY_SCALARS and type(x) is _EagerTensor:
            y = _scalar_like(y, x)
        else:
            y = convert_to_tensor(y, dtype=x.dtype, name="y")
    elif y_is:
        y = convert_to_tensor(y)
        if tx in _PY_SCALARS and type(y) is _EagerTensor:
            x = _scalar_like(x, y)
        else:
            x = convert_to_tensor(x, dtype=y.dtype, name="x")
    else:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype, name="y")
    if x.dtype is not y.dtype:
        raise dtype_mismatch(op_type, 1, x.dtype, y.dtype)
    return x, y


def same_dtype_inputs(values, op_type):
    """Converts a list of op arguments that must share one dtype (AddN, Pack, ConcatV2)."""
    dtype = None
    for v in values:
        if isinstance(v, Tensor) or getattr(type(v), "_as_tensor", None) is not None:
            dtype = convert_to_tensor(v).dtype
            break
    out = [convert_to_tensor(v, dtype=None if isinstance(v, Tensor) else dtype)
           if dtype is not None else convert_to_tensor(v) for v in values]
    if out:
        first = out[0].dtype
        for i, t in enumerate(out[1:], 1):
            if t.dtype is not first:
                raise dtype_mismatch(op_type, i, first, t.dtype)
    return out


def dtype_mismatch(op_type, index, expected, got):
    return errors.op_error(
        errors.InvalidArgumentError, op_type,
        f"cannot compute {op_type} as input #{index}(zero-based) was expected to be a "
        f"{expected._type_name} tensor but is a {got._type_name} tensor")


def normalize_axis(axis, rank, op_type="op"):
    """A possibly negative axis as a non-negative one, range-checked."""
    if rank is not None and not -rank <= axis < max(rank, 1):
        raise errors.op_error(errors.InvalidArgumentError, op_type,
                              f"Expected axis in the range [{-rank}, {rank}), but got {axis}")
    return axis % rank if rank else axis


def static_value(x):
    """A tensor's value if known without running anything (eager), else None."""
    if isinstance(x, EagerTensor):
        return x._value
    spec_value = getattr(x, "value", None)
    if isinstance(spec_value, (np.ndarray, np.generic)):
        return spec_value
    return getattr(x, "_constant_value", None)


# ---- shape rules ------------------------------------------------------------

def broadcast_shape(a, b):
    """NumPy broadcasting on static shapes with unknown (None) dimensions."""
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y} for shapes "
                             f"{a} and {b}")
    return TensorShape(out)


def unary_shape(x, **attrs):
    return x.dtype, x.shape


def binary_shape(x, y, **attrs):
    return x.dtype, broadcast_shape(x.shape, y.shape)


def compare_shape(x, y, **attrs):
    return _dtypes.bool, broadcast_shape(x.shape, y.shape)


def reduction_shape(x, axis=None, keepdims=False, **attrs):
    """Shape of reducing `x` over `axis` (None = all, an int or a tuple of ints)."""
    shape = x.shape
    if shape.rank is None:
        return TensorShape(None)
    dims = shape.as_list()
    if axis is None:
        axes = set(range(len(dims)))
    else:
        axes = {a % len(dims) if dims else a for a in
                (axis if isinstance(axis, (tuple, list)) else (axis,))}
    if keepdims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


# ---- gradient helpers -----------------------------------------------------------

def unbroadcast(grad, shape):
    """Sums `grad` over the axes broadcasting added, so it has the input's `shape`.

    Works on static shapes with unknown (None) dimensions, as inside a traced
    function with a variable batch size: an input dimension of 1 facing any
    other gradient dimension (even unknown) was broadcast, and summing over a
    dimension that turns out to be 1 changes nothing.
    """
    if type(grad) is _EagerTensor and grad._value.shape == shape._dims:
        return grad  # the common eager case, decided on raw tuples
    gshape = grad.shape
    if gshape == shape and shape.is_fully_defined():
        return grad
    from tensorlite.ops import math as _math
    if shape.rank is None or gshape.rank is None:
        raise ValueError(f"Cannot reduce a gradient of shape {gshape} to an input of unknown "
                         f"rank {shape}")
    gdims, dims = gshape.as_list(), shape.as_list()
    lead = len(gdims) - len(dims)
    inner = [lead + i for i, d in enumerate(dims) if d == 1 and gdims[lead + i] != 1]
    if inner:
        grad = _math.reduce_sum(grad, axis=inner, keepdims=True)
    if lead:
        grad = _math.reduce_sum(grad, axis=list(range(lead)), keepdims=False)
    return grad
