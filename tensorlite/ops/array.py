"""Array ops: creation, shapes, reshaping, joining, selection and indexing."""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import (broadcast_shape, same_dtype_inputs, static_value,
                                     to_tensor, unary_shape)

__all__ = ["broadcast_to", "fill", "identity", "ones", "ones_like", "reshape", "shape",
           "stack", "transpose", "unstack", "where", "zeros", "zeros_like"]


def _shape_arg(shape):
    """A shape given as list/tuple/TensorShape/tensor -> an int32 tensor."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, Tensor):
        return shape if shape.dtype in (_dtypes.int32, _dtypes.int64) else \
            convert_to_tensor(shape, dtype=_dtypes.int32)
    if isinstance(shape, (list, tuple)) and any(isinstance(d, Tensor) for d in shape):
        return stack([convert_to_tensor(d, dtype=_dtypes.int32) for d in shape])
    return convert_to_tensor(np.asarray(shape, dtype=np.int32).reshape(-1))


def _shape_from_value(spec):
    """A static TensorShape from a shape-tensor spec (None dims where unknown)."""
    value = static_value(spec)
    if value is not None:
        return TensorShape([int(d) if d >= 0 else None for d in np.asarray(value).reshape(-1)])
    n = spec.shape[0] if spec.shape.rank == 1 else None
    return TensorShape(None if n is None else [None] * n)


# ---- identity, like -----------------------------------------------------------

@op("Identity", shape=unary_shape, grad=lambda op, g: g)
def _identity(x):
    return x


def identity(input, name=None):  # noqa: A002 - TensorFlow's argument name
    """A tensor with the same value as `input`."""
    return execute(_identity, (to_tensor(input),), name=name)


@op("ZerosLike", shape=unary_shape, differentiable=False)
def _zeros_like(x):
    return np.zeros_like(x)


@op("OnesLike", shape=unary_shape, differentiable=False)
def _ones_like(x):
    return np.ones_like(x)


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    """Zeros with the shape (and dtype, unless given) of `input`."""
    x = to_tensor(input)
    out = execute(_zeros_like, (x,), name=name)
    return out if dtype is None else _cast(out, dtype)


def ones_like(input, dtype=None, name=None):  # noqa: A002
    """Ones with the shape (and dtype, unless given) of `input`."""
    x = to_tensor(input)
    out = execute(_ones_like, (x,), name=name)
    return out if dtype is None else _cast(out, dtype)


def _cast(x, dtype):
    from tensorlite.ops import math as _math
    return _math.cast(x, dtype)


# ---- shape ---------------------------------------------------------------------

@op("Shape", shape=lambda x, out_type: (out_type, TensorShape([x.shape.rank])),
    differentiable=False)
def _shape(x, out_type):
    return np.asarray(np.shape(x), dtype=out_type._np)


def shape(input, out_type=_dtypes.int32, name=None):  # noqa: A002
    """The dynamic shape of `input` as a 1-D int32 tensor."""
    return execute(_shape, (to_tensor(input),), {"out_type": _dtypes.as_dtype(out_type)},
                   name=name)


# ---- reshape / broadcast -----------------------------------------------------------

def _reshape_shape(x, shape):
    target = _shape_from_value(shape)
    if target.rank is not None and x.shape.is_fully_defined():
        dims = target.as_list()
        if dims.count(None) == 1:
            known = 1
            for d in dims:
                if d is not None:
                    known *= d
            if known:
                dims[dims.index(None)] = x.shape.num_elements() // known
        target = TensorShape(dims)
    return x.dtype, target


@op("Reshape", shape=_reshape_shape,
    grad=lambda op, g: (reshape(g, shape(op.inputs[0])), None))
def _reshape(x, shape):
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ValueError(f"Input to reshape is a tensor with {np.size(x)} values, but the "
                         f"requested shape has {int(np.prod(shape))}") from None


def reshape(tensor, shape, name=None):
    """`tensor` with the same values in a new `shape` (one dimension may be -1)."""
    return execute(_reshape, (to_tensor(tensor), _shape_arg(shape)), name=name)


def _broadcast_to_grad(op, grad):
    from tensorlite.ops._helpers import unbroadcast
    return unbroadcast(grad, op.inputs[0].shape), None


@op("BroadcastTo", shape=lambda x, s: (x.dtype, _shape_from_value(s)),
    grad=_broadcast_to_grad)
def _broadcast_to(x, shape):
    return np.broadcast_to(x, tuple(shape))


def broadcast_to(input, shape, name=None):  # noqa: A002
    """`input` broadcast to `shape` (NumPy broadcasting rules)."""
    x = to_tensor(input)
    return execute(_broadcast_to, (x, _shape_arg(shape)), name=name)


# ---- select ---------------------------------------------------------------------------

def _select_grad(op, grad):
    from tensorlite.ops._helpers import unbroadcast
    cond, x, y = op.inputs
    zeros = zeros_like(grad)
    return (None, unbroadcast(where(cond, grad, zeros), x.shape),
            unbroadcast(where(cond, zeros, grad), y.shape))


@op("SelectV2", shape=lambda c, x, y: (x.dtype, broadcast_shape(c.shape, broadcast_shape(
    x.shape, y.shape))), grad=_select_grad)
def _select(cond, x, y):
    return np.where(cond, x, y)


def where(condition, x=None, y=None, name=None):
    """Elementwise `x if condition else y`, or the coordinates of true elements."""
    cond = to_tensor(condition)
    if x is None and y is None:
        return execute(_where_indices, (cond,), name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    from tensorlite.ops._helpers import binary_inputs
    x, y = binary_inputs(x, y, "SelectV2")
    return execute(_select, (cond, x, y), name=name)


@op("Where", shape=lambda c: (_dtypes.int64, TensorShape([None, c.shape.rank])),
    differentiable=False)
def _where_indices(cond):
    return np.argwhere(cond).astype(np.int64)


# ---- stack ------------------------------------------------------------------------------

def _pack_shape(*xs, axis):
    base = xs[0].shape
    if base.rank is None:
        return xs[0].dtype, TensorShape(None)
    dims = base.as_list()
    dims.insert(axis % (len(dims) + 1), len(xs))
    return xs[0].dtype, TensorShape(dims)


def _pack_grad(op, grad):
    return unstack(grad, num=len(op.inputs), axis=op.get_attr("axis"))


@op("Pack", shape=_pack_shape, grad=_pack_grad)
def _pack(*xs, axis):
    return np.stack(xs, axis=axis)


def stack(values, axis=0, name="stack"):
    """Joins tensors of one shape along a new `axis`."""
    tensors = same_dtype_inputs(list(values), "Pack")
    return execute(_pack, tuple(tensors), {"axis": int(axis)})


def _unpack_shape(x, num, axis):
    dims = x.shape.as_list()
    del dims[axis]
    return [(x.dtype, TensorShape(dims))] * num


@op("Unpack", shape=_unpack_shape, num_outputs=None,
    grad=lambda op, *grads: stack(list(grads), axis=op.get_attr("axis")))
def _unpack(x, num, axis):
    return tuple(np.moveaxis(x, axis, 0)) if num else ()


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors."""
    x = to_tensor(value)
    rank = x.shape.rank
    axis = axis % rank
    if num is None:
        num = x.shape[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    return list(execute(_unpack, (x,), {"num": num, "axis": axis}))


# ---- transpose -----------------------------------------------------------------------------

def _transpose_shape(x, perm):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    p = static_value(perm)
    if p is None:
        return x.dtype, TensorShape([None] * x.shape.rank)
    dims = x.shape.as_list()
    return x.dtype, TensorShape([dims[i] for i in np.asarray(p)])


def _transpose_grad(op, grad):
    perm = static_value(op.inputs[1])
    if perm is not None:
        return transpose(grad, np.argsort(perm).astype(np.int32)), None
    raise NotImplementedError("Transpose gradient with a dynamic permutation")


@op("Transpose", shape=_transpose_shape, grad=_transpose_grad)
def _transpose(x, perm):
    return np.transpose(x, perm)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """`a` with its dimensions permuted (reversed if `perm` is None); a copy."""
    x = to_tensor(a)
    if perm is None:
        perm = np.arange(x.shape.rank - 1, -1, -1, dtype=np.int32)
    out = execute(_transpose, (x, convert_to_tensor(np.asarray(perm, dtype=np.int32)
                                                    if not isinstance(perm, Tensor) else perm)))
    if conjugate and x.dtype.is_complex:
        from tensorlite.ops import math as _math
        out = _math.conj(out)
    return out


# ---- fill ----------------------------------------------------------------------------------

@op("Fill", shape=lambda dims, v: (v.dtype, _shape_from_value(dims)), differentiable=False)
def _fill(dims, value):
    return np.full(tuple(dims), value, dtype=np.result_type(value))


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with `value`."""
    return execute(_fill, (_shape_arg(dims), to_tensor(value)), name=name)


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of zeros of `shape` and `dtype`."""
    dtype = _dtypes.as_dtype(dtype)
    return fill(shape, convert_to_tensor(0, dtype=dtype))


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of ones of `shape` and `dtype`."""
    dtype = _dtypes.as_dtype(dtype)
    return fill(shape, convert_to_tensor(1, dtype=dtype))


