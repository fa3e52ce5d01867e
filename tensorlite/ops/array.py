"""Array ops: creation, shapes, reshaping, joining and splitting, gathering and
scattering, sorting, and indexing (`t[...]`, one StridedSlice op)."""
import builtins
import collections
import contextlib
import weakref

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.context import graph_stack
from tensorlite.framework.execute import execute
from tensorlite.framework.indexed_slices import IndexedSlices
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, _to_array, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape
from tensorlite.framework.variables import Variable
from tensorlite.ops import math as _math
from tensorlite.ops._helpers import (binary_inputs, broadcast_shape, same_dtype_inputs,
                                     static_value, to_tensor, unary_shape, unbroadcast)

# IndexedSlices is a framework class; it is listed here so that `tf.IndexedSlices` exists.
__all__ = ["IndexedSlices", "argsort", "boolean_mask", "broadcast_dynamic_shape",
           "broadcast_static_shape", "broadcast_to", "concat", "expand_dims", "eye", "fill",
           "gather", "gather_nd", "identity", "linspace", "meshgrid", "one_hot", "ones",
           "ones_like", "pad", "range", "rank", "repeat", "reshape", "reverse", "scatter_nd",
           "sequence_mask", "shape", "shape_n", "size", "slice", "sort", "split", "squeeze",
           "stack", "strided_slice", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
           "tensor_scatter_nd_update", "tile", "transpose", "unique", "unstack", "where",
           "zeros", "zeros_like"]

# This module defines `range` and `slice`; the builtins stay reachable here.
_py_range = builtins.range
_py_slice = builtins.slice

_int32, _int64 = _dtypes.int32, _dtypes.int64
_INDEX_DTYPES = (_int32, _int64)
_ONES_LIKE_DTYPES = _dtypes.NUMERIC | {_dtypes.bool}


# ---- helpers -----------------------------------------------------------------------------

def _fmt(dims):
    """A shape as TensorFlow prints it in error messages: [2,3]."""
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def _invalid(op_type, message):
    return errors.op_error(errors.InvalidArgumentError, op_type, message)


def _axis(value):
    """An axis argument (int, NumPy int or statically known scalar tensor) as an int."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    known = static_value(value) if isinstance(value, Tensor) else None
    if known is None:
        raise TypeError(f"The axis must be a Python int or a tensor whose value is known "
                        f"statically, got {value!r}")
    return int(known)


def _const(arr):
    """A host ndarray as a tensor: an EagerTensor, or a Const node while tracing."""
    return convert_to_tensor(arr) if graph_stack else EagerTensor(arr)


def _op_scope(name):
    """While tracing, the name scope of one op, so that the constants made for its inputs
    are named "<op>/<input>" as TensorFlow names them ("range/start"); yields the op's
    node name. Eagerly it just yields `name`."""
    return graph_stack[-1].name_scope(name) if graph_stack else contextlib.nullcontext(name)


def _named_constant(value, name, dtype=None):
    """A Python/NumPy value as a tensor (a tensor stays as is); while tracing, a Const
    node called `name` in the current op scope."""
    if isinstance(value, Tensor):
        return value
    arr = _to_array(value, dtype)
    return graph_stack[-1].constant(arr, name) if graph_stack else EagerTensor(arr)


def _shape_arg(shape):
    """A shape given as list/tuple/TensorShape/tensor -> an integer tensor."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, Tensor):
        return shape if shape.dtype in _INDEX_DTYPES else convert_to_tensor(shape, dtype=_int32)
    if isinstance(shape, (list, tuple)) and any(isinstance(d, Tensor) for d in shape):
        return stack([_math.cast(d, _int32) if isinstance(d, Tensor) else d for d in shape])
    return _const(np.asarray(shape, dtype=np.int32).reshape(-1))


def _shape_from_value(spec):
    """A static TensorShape from a shape-tensor spec (None dims where unknown)."""
    value = static_value(spec)
    if value is not None:
        return TensorShape([int(d) if d >= 0 else None for d in np.asarray(value).reshape(-1)])
    n = spec.shape[0] if spec.shape.rank == 1 else None
    return TensorShape(None if n is None else [None] * n)


def _static_list(spec):
    """The value of a 1-D integer tensor (spec) as a list of ints, or None if unknown."""
    value = static_value(spec)
    return None if value is None else [int(v) for v in np.asarray(value).reshape(-1)]


def _shape_of(x, out_type=_int32):
    """x's shape as a list of ints when static, else as a Shape op's tensor."""
    if x.shape.is_fully_defined():
        return x.shape.as_list()
    return shape(x, out_type=out_type)


def _dim(x, axis, out_type=_int32):
    """One dimension of x: an int when static, else a scalar tensor."""
    d = x.shape[axis] if x.shape.rank is not None else None
    return d if d is not None else shape(x, out_type=out_type)[axis]


_SCALARS = {}


def _scalar(value, dtype):
    """A scalar constant of `dtype` (0 of a string dtype is b''), cached when eager."""
    key = (value, dtype)
    t = _SCALARS.get(key)
    if t is None or graph_stack:
        if dtype is _dtypes.string:
            arr = np.array(b"" if value == 0 else str(value).encode(), dtype=object)
        else:
            arr = np.array(value, dtype=dtype._np)
        if graph_stack:
            return convert_to_tensor(arr)
        t = _SCALARS[key] = EagerTensor(arr, dtype)
    return t


def _indices(indices, op_type, allowed=_INDEX_DTYPES, attr="Tindices"):
    """An index argument as an integer tensor; other dtypes raise as TensorFlow does."""
    t = to_tensor(indices)
    if t.dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise _invalid(op_type, f"Value for attr '{attr}' of {t.dtype._type_name} is not in the "
                                f"list of allowed values: {names}")
    return t


def _grad_reshape_back(op, grad):
    return reshape(grad, _shape_of(op.inputs[0]))


# ---- identity, like, fill ----------------------------------------------------------------

@op("Identity", shape=unary_shape, grad=lambda op, g: g)
def _identity(x):
    return x


def identity(input, name=None):  # noqa: A002 - TensorFlow's argument name
    """A tensor with the same value as `input`."""
    return execute(_identity, (to_tensor(input),), name=name)


@op("ZerosLike", shape=unary_shape, differentiable=False)
def _zeros_like(x):
    if np.asarray(x).dtype == object:
        return np.full(np.shape(x), b"", dtype=object)
    return np.zeros_like(x)


@op("OnesLike", shape=unary_shape, differentiable=False, dtypes=_ONES_LIKE_DTYPES)
def _ones_like(x):
    return np.ones_like(x)


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    """Zeros with the shape (and dtype, unless given) of `input`."""
    x = to_tensor(input)
    if dtype is not None and _dtypes.as_dtype(dtype) is not x.dtype:
        return zeros(_shape_of(x), dtype, name=name)
    return execute(_zeros_like, (x,), name=name)


def ones_like(input, dtype=None, name=None):  # noqa: A002
    """Ones with the shape (and dtype, unless given) of `input`."""
    x = to_tensor(input)
    if dtype is not None and _dtypes.as_dtype(dtype) is not x.dtype:
        return ones(_shape_of(x), dtype, name=name)
    return execute(_ones_like, (x,), name=name)


@op("Fill", shape=lambda dims, value: (value.dtype, _shape_from_value(dims)),
    grad=lambda op, g: (None, _math.reduce_sum(g)))
def _fill(dims, value):
    if np.ndim(value) != 0:
        raise ValueError(f"value must represent a scalar, got shape {_fmt(np.shape(value))}")
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    return np.full(tuple(dims), value, dtype=np.asarray(value).dtype)


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    >>> tf.fill([2, 3], 9)   # int32 [[9, 9, 9], [9, 9, 9]]
    """
    return execute(_fill, (_shape_arg(dims), to_tensor(value)), name=name)


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of zeros of `shape` (list, tuple, TensorShape or tensor) and `dtype`."""
    dtype = _dtypes.as_dtype(dtype)
    return execute(_fill, (_shape_arg(shape), _scalar(0, dtype)), name=name)


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of ones of `shape` and `dtype`."""
    dtype = _dtypes.as_dtype(dtype)
    return execute(_fill, (_shape_arg(shape), _scalar(1, dtype)), name=name)


# ---- shape, size, rank -------------------------------------------------------------------

def _shape_out_type(out_type):
    out_type = _dtypes.as_dtype(out_type)
    if out_type not in _INDEX_DTYPES:
        raise _invalid("Shape", f"Value for attr 'out_type' of {out_type._type_name} is not in the "
                                f"list of allowed values: int32, int64")
    return out_type


@op("Shape", shape=lambda x, out_type: (out_type, TensorShape([x.shape.rank])),
    differentiable=False)
def _shape(x, out_type):
    return np.asarray(np.shape(x), dtype=out_type._np)


def shape(input, out_type=_dtypes.int32, name=None):  # noqa: A002
    """The dynamic shape of `input` as a 1-D int32 (or `out_type`) tensor."""
    return execute(_shape, (to_tensor(input),), {"out_type": _shape_out_type(out_type)},
                   name=name)


@op("ShapeN", shape=lambda *xs, out_type: [(out_type, TensorShape([x.shape.rank])) for x in xs],
    num_outputs=None, differentiable=False)
def _shape_n(*xs, out_type):
    return tuple(np.asarray(np.shape(x), dtype=out_type._np) for x in xs)


def shape_n(input, out_type=_dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors, as a list of 1-D tensors."""
    tensors = tuple(to_tensor(x) for x in input)
    return list(execute(_shape_n, tensors, {"out_type": _shape_out_type(out_type)}, name=name))


@op("Size", shape=lambda x, out_type: (out_type, TensorShape([])), differentiable=False)
def _size(x, out_type):
    return np.asarray(np.size(x), dtype=out_type._np)


def size(input, out_type=_dtypes.int32, name=None):  # noqa: A002
    """The number of elements of `input` (a scalar int32 tensor)."""
    return execute(_size, (to_tensor(input),), {"out_type": _dtypes.as_dtype(out_type)},
                   name=name)


@op("Rank", shape=lambda x: (_int32, TensorShape([])), differentiable=False)
def _rank(x):
    return np.asarray(np.ndim(x), dtype=np.int32)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input` (a scalar int32 tensor)."""
    return execute(_rank, (to_tensor(input),), name=name)


# ---- reshape, squeeze, expand_dims -------------------------------------------------------

def _reshape_sizes(in_dims, requested):
    """The output dims of Reshape, inferring one -1 as TensorFlow does (empty inputs too)."""
    sizes = [int(d) for d in requested]
    unknown, product, has_zero = -1, 1, False
    for i, d in enumerate(sizes):
        if d == -1:
            if unknown != -1:
                raise ValueError(f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise ValueError(f"Size {i} must be non-negative, not {d}")
        elif d == 0:
            has_zero = True
        else:
            product *= d
    count = int(np.prod(in_dims, dtype=np.int64))
    if unknown != -1:
        # Zero input dims are left out when the request has zeros too, so the other
        # dims can still be inferred (TensorFlow's rule for empty tensors).
        known = 1
        input_has_zero = False
        for d in in_dims:
            if d > 0 or not has_zero:
                known *= d
            else:
                input_has_zero = True
        missing = known // product
        if not input_has_zero and product * missing != known:
            raise ValueError(f"Input to reshape is a tensor with {known} values, but the "
                             f"requested shape requires a multiple of {product}")
        sizes[unknown] = missing
    total = int(np.prod(sizes, dtype=np.int64))
    if total != count:
        raise ValueError(f"Input to reshape is a tensor with {count} values, but the "
                         f"requested shape has {total}")
    return sizes


def _reshape_shape(x, shape):
    value = static_value(shape)
    if value is not None and x.shape.is_fully_defined():
        return x.dtype, TensorShape(_reshape_sizes(x.shape.as_tuple(), np.reshape(value, -1)))
    return x.dtype, _shape_from_value(shape)


@op("Reshape", shape=_reshape_shape, grad=lambda op, g: (_grad_reshape_back(op, g), None))
def _reshape(x, shape):
    if np.size(x) and (not shape.size or shape.min() >= -1):
        try:  # NumPy agrees with TensorFlow on non-empty inputs; its errors do not
            return np.reshape(x, shape)
        except ValueError:
            pass
    return np.reshape(x, _reshape_sizes(np.shape(x), shape))


def reshape(tensor, shape, name=None):
    """`tensor` with the same values in a new `shape` (one dimension may be -1).

    >>> tf.reshape(tf.range(6), [-1, 3])   # shape (2, 3)
    """
    return execute(_reshape, (to_tensor(tensor), _shape_arg(shape)), name=name)


def _squeeze_shape(x, squeeze_dims):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    dims = x.shape.as_list()
    if not squeeze_dims:
        if None in dims:
            return x.dtype, TensorShape(None)
        return x.dtype, TensorShape([d for d in dims if d != 1])
    drop = {a % len(dims) for a in squeeze_dims}
    return x.dtype, TensorShape([d for i, d in enumerate(dims) if i not in drop])


@op("Squeeze", shape=_squeeze_shape, grad=_grad_reshape_back)
def _squeeze(x, squeeze_dims):
    dims = np.shape(x)
    if not squeeze_dims:
        return np.reshape(x, [d for d in dims if d != 1])
    n = len(dims)
    for a in squeeze_dims:
        if not -n <= a < n:
            raise ValueError(f"Tried to squeeze dim index {a} for tensor with {n} dimensions.")
        if dims[a % n] != 1:
            raise ValueError(f"Can not squeeze dim[{a % n}], expected a dimension of 1, "
                             f"got {dims[a % n]}")
    return np.squeeze(x, axis=tuple(a % n for a in squeeze_dims))


def squeeze(input, axis=None, name=None):  # noqa: A002
    """`input` without its size-1 dimensions (all of them, or those in `axis`)."""
    if axis is None:
        dims = ()
    elif isinstance(axis, (list, tuple)):
        dims = tuple(_axis(a) for a in axis)
    else:
        dims = (_axis(axis),)
    return execute(_squeeze, (to_tensor(input),), {"squeeze_dims": dims}, name=name)


def _expand_dims_shape(x, axis):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    dims = x.shape.as_list()
    dims.insert(axis % (len(dims) + 1), 1)
    return x.dtype, TensorShape(dims)


@op("ExpandDims", shape=_expand_dims_shape, grad=_grad_reshape_back)
def _expand_dims(x, axis):
    return np.expand_dims(x, axis)


def expand_dims(input, axis, name=None):  # noqa: A002
    """`input` with a new size-1 dimension inserted at `axis`."""
    x = to_tensor(input)
    axis = _axis(axis)
    rank_ = x.shape.rank
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise _invalid("ExpandDims", f"Tried to expand dim index {axis} for tensor with "
                                         f"{rank_} dimensions.")
        axis %= rank_ + 1
    return execute(_expand_dims, (x,), {"axis": axis}, name=name)


# ---- broadcast ---------------------------------------------------------------------------

@op("BroadcastTo", shape=lambda x, s: (x.dtype, _shape_from_value(s)),
    grad=lambda op, g: (unbroadcast(g, op.inputs[0].shape), None))
def _broadcast_to(x, shape):
    for d in shape:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    try:
        return np.broadcast_to(x, tuple(shape))
    except ValueError:
        raise ValueError(f"Incompatible shapes: {_fmt(np.shape(x))} vs. {_fmt(shape)}") from None


def broadcast_to(input, shape, name=None):  # noqa: A002
    """`input` broadcast to `shape` (NumPy broadcasting rules)."""
    return execute(_broadcast_to, (to_tensor(input), _shape_arg(shape)), name=name)


@op("BroadcastArgs", shape=lambda s0, s1: (s0.dtype, TensorShape([None])),
    differentiable=False)
def _broadcast_args(s0, s1):
    try:
        return np.asarray(np.broadcast_shapes(tuple(s0), tuple(s1)), dtype=s0.dtype)
    except ValueError:
        raise ValueError(f"Incompatible shapes: {_fmt(s0)} vs. {_fmt(s1)}") from None


def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shapes given as 1-D integer tensors."""
    sx, sy = same_dtype_inputs([shape_x, shape_y], "BroadcastArgs")
    return execute(_broadcast_args, (sx, sy))


def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two TensorShapes (unknown dimensions allowed)."""
    shape_x, shape_y = as_shape(shape_x), as_shape(shape_y)
    try:
        return broadcast_shape(shape_x, shape_y)
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible if "
                         f"for each dimension pair they are either equal or one of them is 1. "
                         f"Received: {shape_x} and {shape_y}.") from None


# ---- transpose, reverse ------------------------------------------------------------------

def _transpose_shape(x, perm):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    p = static_value(perm)
    if p is None:
        return x.dtype, TensorShape([None] * x.shape.rank)
    dims = x.shape.as_list()
    return x.dtype, TensorShape([dims[i] for i in np.asarray(p)])


def _inverse_perm(perm):
    known = static_value(perm)
    if known is not None:
        return np.argsort(known).astype(np.asarray(known).dtype)
    return invert_permutation(perm)


def _perm_error(perm, n):
    if len(perm) != n:
        return f"transpose expects a vector of size {n}. But input(1) is a vector of size " \
               f"{len(perm)}"
    for p in perm:
        if not 0 <= p < n:
            return f"{p} is out of range [0 .. {n})"
    missing = min(set(_py_range(n)) - {int(p) for p in perm})
    return f"{missing} is missing from {{{','.join(str(int(p)) for p in perm)}}}."


def _checked_perm(x, perm):
    n = np.ndim(x)
    if sorted(perm.tolist()) != list(_py_range(n)):
        raise ValueError(_perm_error(perm, n))
    return perm


@op("Transpose", shape=_transpose_shape,
    grad=lambda op, g: (transpose(g, _inverse_perm(op.inputs[1])), None))
def _transpose(x, perm):
    return np.transpose(x, _checked_perm(x, perm))


@op("ConjugateTranspose", shape=_transpose_shape,
    grad=lambda op, g: (transpose(g, _inverse_perm(op.inputs[1]), conjugate=True), None))
def _conjugate_transpose(x, perm):
    return np.conj(np.transpose(x, _checked_perm(x, perm)))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """`a` with its dimensions permuted (reversed if `perm` is None).

    With `conjugate=True` a complex tensor is also conjugated (ConjugateTranspose).
    """
    x = to_tensor(a)
    if perm is None:
        perm = np.arange(x.shape.rank - 1, -1, -1, dtype=np.int32)
    if not isinstance(perm, Tensor):
        perm = _const(np.asarray(perm, dtype=np.int32))
    opdef = _conjugate_transpose if conjugate and x.dtype.is_complex else _transpose
    return execute(opdef, (x, perm), name=name)


@op("InvertPermutation", shape=lambda p: (p.dtype, p.shape), differentiable=False)
def _invert_permutation(p):
    n = len(p)
    if sorted(p.tolist()) != list(_py_range(n)):
        raise ValueError(f"{p.tolist()} is not a valid permutation of [0, {n})")
    inverse = np.empty_like(p)
    inverse[p] = np.arange(n, dtype=p.dtype)
    return inverse


def invert_permutation(x, name=None):
    """The inverse of a permutation of 0..n-1 (`tf.math.invert_permutation`)."""
    return execute(_invert_permutation, (_indices(x, "InvertPermutation", attr="T"),),
                   name=name)


@op("ReverseV2", shape=lambda x, axis: (x.dtype, x.shape),
    grad=lambda op, g: reverse(g, list(op.get_attr("axis"))))
def _reverse(x, axis):
    return np.flip(x, axis) if axis else x


def reverse(tensor, axis, name=None):
    """`tensor` with the order of elements reversed along each axis in `axis`."""
    x = to_tensor(tensor)
    axes = [_axis(a) for a in (axis if isinstance(axis, (list, tuple)) else
                               np.reshape(static_value(to_tensor(axis)), -1))]
    rank_ = x.shape.rank
    if rank_ is not None:
        for i, a in enumerate(axes):
            if not -rank_ <= a < rank_:
                raise _invalid("ReverseV2", f"'axis'[{i}] = {a} is out of valid range "
                                            f"[0, {rank_ - 1}")
        axes = [a % rank_ for a in axes]
        for a in axes:
            if axes.count(a) > 1:
                raise _invalid("ReverseV2", f"axis {a} specified more than once.")
    return execute(_reverse, (x,), {"axis": tuple(axes)}, name=name)


# ---- select, where, boolean_mask ---------------------------------------------------------

def _select_grad(op, grad):
    cond, x, y = op.inputs
    zeros_ = zeros_like(grad)
    return (None, unbroadcast(where(cond, grad, zeros_), x.shape),
            unbroadcast(where(cond, zeros_, grad), y.shape))


@op("SelectV2", shape=lambda c, x, y: (x.dtype, broadcast_shape(c.shape, broadcast_shape(
    x.shape, y.shape))), grad=_select_grad)
def _select(cond, x, y):
    try:
        return np.where(cond, x, y)
    except ValueError:
        raise ValueError(f"condition {_fmt(np.shape(cond))}, then {_fmt(np.shape(x))}, and "
                         f"else {_fmt(np.shape(y))} must be broadcastable") from None


@op("Where", shape=lambda c: (_int64, TensorShape([None, c.shape.rank])),
    differentiable=False)
def _where_indices(cond):
    return np.argwhere(cond).astype(np.int64)


def where(condition, x=None, y=None, name=None):
    """Elementwise `x if condition else y` (broadcasting), or with only `condition`
    the int64 coordinates of its true (non-zero) elements, shape (n, rank)."""
    cond = to_tensor(condition)
    if x is None and y is None:
        return execute(_where_indices, (cond,), name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = binary_inputs(x, y, "SelectV2")
    return execute(_select, (cond, x, y), name=name)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The elements (or slices along `axis`) of `tensor` where `mask` is true.

    >>> tf.boolean_mask([[1, 2], [3, 4]], [True, False])   # [[1, 2]]
    """
    x, m = to_tensor(tensor), to_tensor(mask)
    mask_rank = m.shape.rank
    if mask_rank is None:
        raise ValueError("Number of mask dimensions must be specified, even if some "
                         "dimensions are None.  E.g. shape=[None] is ok, but shape=None "
                         "is not.")
    if mask_rank == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _axis(axis)
    if axis < 0 and x.shape.rank is not None:
        axis += x.shape.rank
    masked = x.shape[axis:axis + mask_rank]
    if not masked.is_compatible_with(m.shape):
        raise ValueError(f"Shapes {masked} and {m.shape} are incompatible")
    if mask_rank > 1 or axis > 0:
        x = reshape(x, _concat_shape_parts([_shape_part(x, 0, axis), [-1],
                                            _shape_part(x, axis + mask_rank, None)]))
    picked = reshape(where(reshape(m, [-1])), [-1])
    return gather(x, picked, axis=axis)


def _shape_part(x, start, stop):
    """Dims start:stop of x's shape: a list when static, else a slice of shape(x)."""
    if x.shape.rank is not None:
        part = x.shape.as_list()[start:stop]
        if None not in part:
            return part
    return shape(x)[start:stop]


def _concat_shape_parts(parts):
    if all(isinstance(p, list) for p in parts):
        return [d for p in parts for d in p]
    return concat(parts, 0)


# ---- stack / unstack ---------------------------------------------------------------------

def _pack_shape(*xs, axis):
    base = xs[0].shape
    if base.rank is None:
        return xs[0].dtype, TensorShape(None)
    dims = base.as_list()
    for x in xs[1:]:
        if x.shape.rank == len(dims):
            dims = [a if a is not None else b for a, b in zip(dims, x.shape.as_list())]
    dims.insert(axis % (len(dims) + 1), len(xs))
    return xs[0].dtype, TensorShape(dims)


@op("Pack", shape=_pack_shape,
    grad=lambda op, g: unstack(g, num=len(op.inputs), axis=op.get_attr("axis")))
def _pack(*xs, axis):
    first = np.shape(xs[0])
    for i, x in enumerate(xs[1:], 1):
        if np.shape(x) != first:
            raise ValueError(f"Shapes of all inputs must match: values[0].shape = "
                             f"{_fmt(first)} != values[{i}].shape = {_fmt(np.shape(x))}")
    return np.stack(xs, axis=axis)


def stack(values, axis=0, name="stack"):
    """Joins tensors of one shape along a new `axis`.

    >>> tf.stack([[1, 2], [3, 4]], axis=1)   # [[1, 3], [2, 4]]
    """
    tensors = same_dtype_inputs(list(values), "Pack")
    if not tensors:
        raise ValueError("Argument `values` must be a non-empty list of tensors.")
    axis = _axis(axis)
    rank_ = tensors[0].shape.rank
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_ - 1}, "
                             f"{rank_ + 1})")
        axis %= rank_ + 1
    return execute(_pack, tuple(tensors), {"axis": axis}, name=name)


def _unpack_shape(x, num, axis):
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * num
    dims = x.shape.as_list()
    del dims[axis]
    return [(x.dtype, TensorShape(dims))] * num


@op("Unpack", shape=_unpack_shape, num_outputs=None,
    grad=lambda op, *grads: stack(list(grads), axis=op.get_attr("axis")))
def _unpack(x, num, axis):
    if np.shape(x)[axis] != num:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape "
                         f"{_fmt(np.shape(x))}")
    return tuple(np.moveaxis(x, axis, 0)) if num else ()


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors of one rank less."""
    x = to_tensor(value)
    rank_ = x.shape.rank
    axis = _axis(axis)
    if rank_ is not None:
        if not -rank_ <= axis < rank_:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
        axis %= rank_
    if num is None:
        num = x.shape[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    return list(execute(_unpack, (x,), {"num": int(num), "axis": axis}, name=name))


# ---- concat / split / tile / pad ---------------------------------------------------------

def _concat_shape(*xs, axis):
    ranks = [x.shape.rank for x in xs if x.shape.rank is not None]
    if not ranks:
        return xs[0].dtype, TensorShape(None)
    dims = [None] * ranks[0]
    axis %= ranks[0]
    total = 0
    for x in xs:
        if x.shape.rank is None:
            total = None
            continue
        for i, d in enumerate(x.shape.as_list()):
            if i == axis:
                total = None if total is None or d is None else total + d
            elif dims[i] is None:
                dims[i] = d
    dims[axis] = total
    return xs[0].dtype, TensorShape(dims)


def _concat_error(xs, axis):
    first = np.shape(xs[0])
    if not first:
        return "ConcatOp : Can't concatenate scalars (use tf.stack instead)"
    for i, x in enumerate(xs[1:], 1):
        other = np.shape(x)
        if len(other) != len(first):
            return (f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                    f"{_fmt(first)} vs. shape[{i}] = {_fmt(other)}")
        for d, (a, b) in enumerate(zip(first, other)):
            if d != axis % len(first) and a != b:
                return (f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                        f"{_fmt(first)} vs. shape[{i}] = {_fmt(other)}")
    return "ConcatOp : invalid inputs"


def _concat_grad(op, grad):
    axis = op.get_attr("axis")
    return split(grad, [_dim(x, axis) for x in op.inputs], axis=axis)


@op("ConcatV2", shape=_concat_shape, grad=_concat_grad)
def _concat(*xs, axis):
    try:
        return np.concatenate(xs, axis=axis)
    except ValueError:
        raise ValueError(_concat_error(xs, axis)) from None


def concat(values, axis, name="concat"):
    """Joins tensors along an existing `axis` (negative axes count from the end).

    >>> tf.concat([[[1, 2]], [[3, 4]]], axis=0)   # [[1, 2], [3, 4]]
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if not values:
        raise _invalid("ConcatV2", "ConcatOp : Expected a non-empty list of tensors")
    if any(getattr(v, "_is_ragged", False) for v in values):
        from tensorlite.structures import ragged  # ragged inputs join row by row
        return ragged.concat(values, axis)
    if len(values) == 1:
        return identity(values[0], name=name)
    tensors = same_dtype_inputs(list(values), "ConcatV2")
    axis = _axis(axis)
    rank_ = tensors[0].shape.rank
    if rank_:
        if not -rank_ <= axis < rank_:
            raise _invalid("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the "
                                       f"range [{-rank_}, {rank_}), but got {axis}")
        axis %= rank_
    return execute(_concat, tuple(tensors), {"axis": axis}, name=name)


def _split_shape(x, num_split, axis):
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * num_split
    dims = x.shape.as_list()
    if dims[axis] is not None:
        dims[axis] //= num_split
    return [(x.dtype, TensorShape(dims))] * num_split


@op("Split", shape=_split_shape, num_outputs=None,
    grad=lambda op, *grads: concat(list(grads), op.get_attr("axis")))
def _split(x, num_split, axis):
    n = np.shape(x)[axis]
    if n % num_split:
        raise ValueError(f"Number of ways to split should evenly divide the split dimension, "
                         f"but got split_dim {axis} (size = {n}) and num_split {num_split}")
    return tuple(np.split(x, num_split, axis=axis))


def _resolve_split_sizes(sizes, n):
    """Size splits with one -1 resolved against the dimension n, checked as TF does."""
    sizes = [int(s) for s in sizes]
    if sizes.count(-1) > 1:
        raise ValueError("There can only be one -1 in the input.")
    known = sum(s for s in sizes if s != -1)
    if -1 in sizes:
        if n is not None and known > n:
            raise ValueError(_split_sizes_error(known))
        sizes[sizes.index(-1)] = None if n is None else n - known
    elif n is not None and known != n:
        raise ValueError(_split_sizes_error(known))
    return sizes


def _split_sizes_error(known):
    return ("Determined shape must either match input shape along split_dim exactly if fully "
            "specified, or be less than the size of the input along split_dim if not fully "
            f"specified.  Got: {known}")


def _split_v_shape(x, size_splits, num_split, axis):
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * num_split
    dims = x.shape.as_list()
    sizes = _static_list(size_splits)
    sizes = [None] * num_split if sizes is None else _resolve_split_sizes(sizes, dims[axis])
    return [(x.dtype, TensorShape(dims[:axis] + [s] + dims[axis + 1:])) for s in sizes]


@op("SplitV", shape=_split_v_shape, num_outputs=None,
    grad=lambda op, *grads: (concat(list(grads), op.get_attr("axis")), None))
def _split_v(x, size_splits, num_split, axis):
    sizes = _resolve_split_sizes(size_splits, np.shape(x)[axis])
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into `num_or_size_splits` equal parts, or into
    parts of the given sizes (one of which may be -1); returns a list of tensors."""
    x = to_tensor(value)
    axis = _axis(axis)
    if x.shape.rank:
        axis %= x.shape.rank
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, Tensor) and num_or_size_splits.shape.rank == 0):
        count = _axis(num_or_size_splits)
        return list(execute(_split, (x,), {"num_split": count, "axis": axis}, name=name))
    sizes = _indices(num_or_size_splits, "SplitV", attr="Tlen")
    if num is None:
        num = sizes.shape[0] if sizes.shape.rank == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {sizes.shape}")
    return list(execute(_split_v, (x, sizes), {"num_split": int(num), "axis": axis},
                        name=name))


def _tile_shape(x, multiples):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    m = _static_list(multiples)
    if m is None:
        return x.dtype, TensorShape([None] * x.shape.rank)
    return x.dtype, TensorShape([None if d is None else d * k
                                 for d, k in zip(x.shape.as_list(), m)])


def _tile_grad(op, grad):
    x, multiples = op.inputs
    # Tiled dim i is multiples[i] copies of dim i: view it as [m0, d0, m1, d1, ...]
    # and sum out the copy axes.
    pairs = stack([multiples, shape(x, out_type=multiples.dtype)], axis=1)
    summed = _math.reduce_sum(reshape(grad, reshape(pairs, [-1])),
                              axis=list(_py_range(0, 2 * x.shape.rank, 2)))
    return summed, None


@op("Tile", shape=_tile_shape, grad=_tile_grad)
def _tile(x, multiples):
    n = np.ndim(x)
    if len(multiples) != n:
        raise ValueError(f"Expected multiples argument to be a vector of length {n} but got "
                         f"length {len(multiples)}")
    for i, m in enumerate(multiples):
        if m < 0:
            raise ValueError(f"Expected multiples[{i}] >= 0, but got {m}")
    return np.tile(x, tuple(multiples))


def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[i]` times along each axis i.

    >>> tf.tile([1, 2], [3])   # [1, 2, 1, 2, 1, 2]
    """
    return execute(_tile, (to_tensor(input), _indices(multiples, "Tile", attr="Tmultiples")),
                   name=name)


def _pad_shape(x, paddings, *rest, **attrs):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    p = static_value(paddings)
    if p is None:
        return x.dtype, TensorShape([None] * x.shape.rank)
    p = np.reshape(p, (-1, 2))
    return x.dtype, TensorShape([None if d is None else d + int(a) + int(b)
                                 for d, (a, b) in zip(x.shape.as_list(), p)])


def _check_paddings(x, paddings):
    if np.shape(paddings) != (np.ndim(x), 2):
        raise ValueError(f"The first dimension of paddings must be the rank of inputs"
                         f"{_fmt(np.shape(paddings))} {_fmt(np.shape(x))}")
    for before, after in paddings:
        if before < 0 or after < 0:
            raise ValueError(f"Paddings must be non-negative: {before} {after}")


def _pad_grad(op, grad):
    x, paddings = op.inputs[0], op.inputs[1]
    begin = reshape(slice(paddings, [0, 0], [-1, 1]), [-1])
    sliced = slice(grad, begin, shape(x, out_type=paddings.dtype))
    return (sliced,) + (None,) * (len(op.inputs) - 1)


@op("Pad", shape=_pad_shape, grad=_pad_grad)
def _pad(x, paddings):
    _check_paddings(x, paddings)
    fill_value = b"" if np.asarray(x).dtype == object else 0
    return np.pad(x, paddings, constant_values=fill_value)


@op("PadV2", shape=_pad_shape, grad=_pad_grad)
def _pad_v2(x, paddings, constant_values):
    _check_paddings(x, paddings)
    return np.pad(x, paddings, constant_values=constant_values)


def _check_mirror_paddings(x, paddings, mode):
    _check_paddings(x, paddings)
    for d, (before, after) in zip(np.shape(x), paddings):
        if mode == "REFLECT" and (before >= d or after >= d):
            raise ValueError(f"paddings must be less than the dimension size: {before}, "
                             f"{after} not less than {d}")
        if mode == "SYMMETRIC" and (before > d or after > d):
            raise ValueError(f"paddings must be no greater than the dimension size: {before}, "
                             f"{after} greater than {d}")


@op("MirrorPad", shape=_pad_shape,
    grad=lambda op, g: (_mirror_pad_grad(g, op.inputs[1], op.get_attr("mode")), None))
def _mirror_pad(x, paddings, mode):
    _check_mirror_paddings(x, paddings, mode)
    return np.pad(x, paddings, mode=mode.lower())


def _mirror_pad_grad_shape(g, paddings, mode):
    if g.shape.rank is None:
        return g.dtype, TensorShape(None)
    p = static_value(paddings)
    if p is None:
        return g.dtype, TensorShape([None] * g.shape.rank)
    p = np.reshape(p, (-1, 2))
    return g.dtype, TensorShape([None if d is None else d - int(a) - int(b)
                                 for d, (a, b) in zip(g.shape.as_list(), p)])


@op("MirrorPadGrad", shape=_mirror_pad_grad_shape,
    grad=lambda op, g: (execute(_mirror_pad, (g, op.inputs[1]), {"mode": op.get_attr("mode")}),
                        None))
def _mirror_pad_grad_kernel(g, paddings, mode):
    # Each padded element is a copy of an interior one: fold the pads back onto them.
    offset = 1 if mode == "REFLECT" else 0
    g = np.asarray(g)
    for axis, (before, after) in enumerate(paddings):
        g = np.moveaxis(g, axis, 0)
        n = g.shape[0] - before - after
        core = g[before:before + n].copy()
        if before:
            core[offset:offset + before] += g[:before][::-1]
        if after:
            core[n - offset - after:n - offset] += g[before + n:][::-1]
        g = np.moveaxis(core, 0, axis)
    return g


def _mirror_pad_grad(grad, paddings, mode):
    return execute(_mirror_pad_grad_kernel, (grad, paddings), {"mode": mode})


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """`tensor` padded by `paddings[i] = [before, after]` along each axis i.

    mode: "CONSTANT" (with `constant_values`), "REFLECT" or "SYMMETRIC".
    """
    x = to_tensor(tensor)
    p = _indices(paddings, "Pad", attr="Tpaddings")
    mode = str(mode).upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            return execute(_pad, (x, p), name=name)
        value = to_tensor(constant_values, dtype=x.dtype) if not isinstance(
            constant_values, Tensor) else constant_values
        return execute(_pad_v2, (x, p, value), name=name)
    if mode in ("REFLECT", "SYMMETRIC"):
        return execute(_mirror_pad, (x, p), {"mode": mode}, name=name)
    raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                     f'or "SYMMETRIC". Received `mode` = {mode}')


# ---- slice -------------------------------------------------------------------------------

def _slice_shape(x, begin, size):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    b, s = _static_list(begin), _static_list(size)
    if s is None:
        return x.dtype, TensorShape([None] * x.shape.rank)
    dims = []
    for i, (d, n) in enumerate(zip(x.shape.as_list(), s)):
        if n != -1:
            dims.append(n)
        elif d is None or b is None:
            dims.append(None)
        else:
            dims.append(d - b[i])
    return x.dtype, TensorShape(dims)


def _slice_grad(op, grad):
    x, begin, _ = op.inputs
    x_shape = shape(x, out_type=begin.dtype)
    after = _math.subtract(_math.subtract(x_shape, begin), shape(grad, out_type=begin.dtype))
    return pad(grad, stack([begin, after], axis=1)), None, None


@op("Slice", shape=_slice_shape, grad=_slice_grad)
def _slice(x, begin, size):
    dims = np.shape(x)
    if len(begin) != len(dims) or len(size) != len(dims):
        raise ValueError(f"Expected begin and size arguments to be 1-D tensors of size "
                         f"{len(dims)}, but got shapes [{len(begin)}] and [{len(size)}] "
                         f"instead.")
    index = []
    for i, (b, n, d) in enumerate(zip(begin.tolist(), size.tolist(), dims)):
        if not 0 <= b <= d:
            raise ValueError(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if n == -1:
            n = d - b
        if not 0 <= n <= d - b:
            raise ValueError(f"Expected size[{i}] in [0, {d - b}], but got {n}")
        index.append(_py_slice(b, b + n))
    return x[tuple(index)]


def slice(input_, begin, size, name=None):  # noqa: A001 - TensorFlow's name
    """The part of `input_` starting at `begin` with extent `size` (-1: up to the end).

    >>> tf.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [-1, 2])   # [[2, 3], [5, 6]]
    """
    begin, size_ = same_dtype_inputs([begin, size], "Slice")
    for t in (begin, size_):
        if t.dtype not in _INDEX_DTYPES:
            raise _invalid("Slice", f"Value for attr 'Index' of {t.dtype._type_name} is not in the "
                                    f"list of allowed values: int32, int64")
    return execute(_slice, (to_tensor(input_), begin, size_), name=name)


# ---- gather / scatter --------------------------------------------------------------------

def _check_index_range(indices, n):
    """TensorFlow's error for gather indices outside [0, n)."""
    bad = (indices < 0) | (indices >= n)
    if np.any(bad):
        pos = np.argwhere(bad)[0]
        where_ = ",".join(str(p) for p in pos)
        raise ValueError(f"indices[{where_}] = {np.asarray(indices)[tuple(pos)]} is not in "
                         f"[0, {n})")


def _gather_shape(params, indices, axis, batch_dims):
    if params.shape.rank is None or indices.shape.rank is None:
        return params.dtype, TensorShape(None)
    p, i = params.shape.as_list(), indices.shape.as_list()
    return params.dtype, TensorShape(p[:axis] + i[batch_dims:] + p[axis + 1:])


def _gather_grad(op, grad):
    """Sums the output gradient back into the rows gathered (UnsortedSegmentSum)."""
    params, indices = op.inputs
    axis, b = op.get_attr("axis"), op.get_attr("batch_dims")
    itype = indices.dtype
    p_shape = shape(params, out_type=itype)
    n_index = indices.shape.rank - b
    rank_out = grad.shape.rank
    if axis > b:  # put the index dims right after the batch dims
        grad = transpose(grad, list(_py_range(b)) + list(_py_range(axis, axis + n_index))
                         + list(_py_range(b, axis)) + list(_py_range(axis + n_index, rank_out)))
    n = p_shape[axis]
    rest = concat([p_shape[b:axis], p_shape[axis + 1:]], 0)
    values = reshape(grad, concat([[-1], rest], 0))
    if b:
        # Batch element j's indices address rows j * n ... j * n + n - 1.
        flat = reshape(indices, concat([[-1], shape(indices, out_type=itype)[b:]], 0))
        count = shape(flat, out_type=itype)[0]
        offsets = reshape(_math.multiply(range(count, dtype=itype), n), [-1] + [1] * n_index)
        ids = reshape(_math.add(flat, offsets), [-1])
        summed = unsorted_segment_sum(values, ids, _math.multiply(count, n))
        summed = reshape(summed, concat([p_shape[:b], p_shape[axis:axis + 1], rest], 0))
    else:
        summed = unsorted_segment_sum(values, reshape(indices, [-1]), n)
    if axis > b:
        rank_p = params.shape.rank
        summed = transpose(summed, list(_py_range(b)) + list(_py_range(b + 1, axis + 1)) + [b]
                           + list(_py_range(axis + 1, rank_p)))
    return summed, None


@op("GatherV2", shape=_gather_shape, grad=_gather_grad)
def _gather(params, indices, axis, batch_dims):
    _check_index_range(indices, params.shape[axis])
    if not batch_dims:
        return np.take(params, indices, axis=axis)
    b = batch_dims
    batch = params.shape[:b]
    for i in _py_range(b):
        if params.shape[i] != indices.shape[i]:
            raise ValueError(f"params.shape[{i}]: {params.shape[i]} should be equal to "
                             f"indices.shape[{i}]: {indices.shape[i]}")
    count = int(np.prod(batch, dtype=np.int64))
    p = np.moveaxis(params.reshape((count,) + params.shape[b:]), axis - b + 1, 1)
    idx = indices.reshape((count,) + indices.shape[b:])
    rows = np.arange(count).reshape((count,) + (1,) * (idx.ndim - 1))
    out = p[rows, idx]  # (batch, index dims..., dims between batch and axis..., inner...)
    n_index, n_mid = idx.ndim - 1, axis - b
    if n_mid:
        out = np.moveaxis(out, list(_py_range(1 + n_index, 1 + n_index + n_mid)),
                          list(_py_range(1, 1 + n_mid)))
    return out.reshape(batch + out.shape[1:])


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of `params` along `axis` at `indices` (indices in [0, dim) else an error).

    >>> tf.gather([[1, 2], [3, 4]], [1, 0])   # [[3, 4], [1, 2]]
    """
    p = to_tensor(params)
    ind = _indices(indices, "GatherV2", allowed=(_dtypes.int16, _int32, _int64))
    batch_dims = int(batch_dims)
    if batch_dims < 0 and ind.shape.rank is not None:
        batch_dims += ind.shape.rank
    axis = batch_dims if axis is None else _axis(axis)
    rank_p = p.shape.rank
    if rank_p is not None:
        if axis < 0:
            axis += rank_p
        if not 0 <= axis < rank_p:
            raise _invalid("GatherV2", f"Shape must be at least rank {axis + 1} but is rank "
                                       f"{rank_p}")
    if batch_dims > axis:
        raise ValueError(f"batch_dims ({batch_dims}) must be less than or equal to axis "
                         f"({axis}).")
    return execute(_gather, (p, ind), {"axis": axis, "batch_dims": batch_dims}, name=name)


def _nd_positions(indices, dims, where_):
    """indices[..., k] as a tuple of k flat index arrays into dims, bounds-checked."""
    k = np.shape(indices)[-1]
    flat = np.reshape(indices, (-1, k))
    bad = ((flat < 0) | (flat >= np.asarray(dims[:k]))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"indices[{i}] = [{', '.join(str(v) for v in flat[i])}] does not "
                         f"index into {where_}")
    return tuple(flat.T)


def _gather_nd_shape(params, indices):
    if params.shape.rank is None or indices.shape.rank is None:
        return params.dtype, TensorShape(None)
    k = indices.shape[-1]
    if k is None:
        return params.dtype, TensorShape(None)
    return params.dtype, TensorShape(indices.shape.as_list()[:-1] + params.shape.as_list()[k:])


@op("GatherNd", shape=_gather_nd_shape,
    grad=lambda op, g: (scatter_nd(op.inputs[1], g, shape(op.inputs[0],
                                                           out_type=op.inputs[1].dtype)), None))
def _gather_nd(params, indices):
    k = np.shape(indices)[-1]
    dims = np.shape(params)
    if k > len(dims):
        raise ValueError(f"index innermost dimension length must be <= params rank; saw: {k} "
                         f"vs. {len(dims)}")
    out_shape = np.shape(indices)[:-1] + dims[k:]
    if k == 0:
        return np.broadcast_to(params, out_shape).copy()
    pos = _nd_positions(indices, dims, f"param shape {_fmt(dims)}, node name: GatherNd")
    return np.asarray(params)[pos].reshape(out_shape)


def gather_nd(params, indices, batch_dims=0, name=None):
    """Slices of `params` at the coordinates in the last axis of `indices`.

    >>> tf.gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]])   # [3, 2]
    """
    p = to_tensor(params)
    ind = _indices(indices, "GatherNd")
    if ind.shape.rank == 0:
        raise _invalid("GatherNd", "indices must be at least a vector")
    batch_dims = int(batch_dims)
    if not batch_dims:
        return execute(_gather_nd, (p, ind), name=name)
    return _batch_gather_nd(p, ind, batch_dims)


def _batch_gather_nd(params, indices, b):
    """gather_nd with leading batch dims: prepend each element's batch coordinate."""
    itype = indices.dtype
    p_shape, i_shape = shape(params, out_type=itype), shape(indices, out_type=itype)
    flat_params = reshape(params, concat([[-1], p_shape[b:]], 0))
    flat_indices = reshape(indices, concat([[-1], i_shape[b:]], 0))
    count = shape(flat_indices, out_type=itype)[0]
    n_mid = indices.shape.rank - b - 1
    rows = reshape(range(count, dtype=itype), [-1] + [1] * (n_mid + 1))
    rows = broadcast_to(rows, concat([shape(flat_indices, out_type=itype)[:-1], [1]], 0))
    out = gather_nd(flat_params, concat([rows, flat_indices], -1))
    k = indices.shape[-1]
    return reshape(out, concat([i_shape[:-1], p_shape[b + k:]], 0))


def _check_scatter_shapes(indices, updates, dims, op_type):
    k = np.shape(indices)[-1]
    outer = np.shape(indices)[:-1]
    expected = outer + tuple(dims[k:])
    if np.shape(updates) == expected:
        return
    if np.shape(updates)[:len(outer)] != outer:
        if op_type == "ScatterNd":
            n = len(outer)
            raise ValueError(f"Dimensions [0,{n}) of indices[shape={_fmt(np.shape(indices))}] "
                             f"must match dimensions [0,{n}) of updates[shape="
                             f"{_fmt(np.shape(updates))}]")
        raise ValueError(f"Outer dimensions of indices and update must match. Indices shape: "
                         f"{_fmt(np.shape(indices))}, updates shape:{_fmt(np.shape(updates))}")
    raise ValueError(f"Inner dimensions of output shape must match inner dimensions of updates "
                     f"shape. Output: {_fmt(dims)} updates: {_fmt(np.shape(updates))}")


def scatter_nd_into(tensor, indices, updates, mode, op_type):
    """A copy of `tensor` with `updates` written ("update"), added or subtracted at indices."""
    dims = np.shape(tensor)
    k = np.shape(indices)[-1]
    if k > len(dims):
        raise ValueError(f"Output must have at least {k} dimensions, got {len(dims)}")
    _check_scatter_shapes(indices, updates, dims, op_type)
    out = np.array(tensor, copy=True)
    pos = _nd_positions(indices, dims, f"shape {_fmt(dims)}")
    rows = np.reshape(updates, (-1,) + dims[k:])
    if mode == "update":
        out[pos] = rows
    elif mode == "add":
        np.add.at(out, pos, rows)
    else:
        np.subtract.at(out, pos, rows)
    return out


def _scatter_nd_shape(indices, updates, shape):
    return updates.dtype, _shape_from_value(shape)


@op("ScatterNd", shape=_scatter_nd_shape,
    grad=lambda op, g: (None, gather_nd(g, op.inputs[0]), None))
def _scatter_nd(indices, updates, shape):
    zeros_ = np.zeros(tuple(shape), dtype=np.asarray(updates).dtype)
    return scatter_nd_into(zeros_, indices, updates, "add", "ScatterNd")


def scatter_nd(indices, updates, shape, name=None):
    """A zero tensor of `shape` with `updates` summed in at `indices` (a [..., k] tensor).

    >>> tf.scatter_nd([[0], [2]], [1., 2.], [4])   # [1., 0., 2., 0.]
    """
    ind = _indices(indices, "ScatterNd")
    return execute(_scatter_nd, (ind, to_tensor(updates), _math.cast(_shape_arg(shape),
                                                                       ind.dtype)), name=name)


def _tensor_scatter_grad(op, grad):
    _, indices, updates = op.inputs
    picked = gather_nd(grad, indices)
    if op.type == "TensorScatterUpdate":
        return tensor_scatter_nd_update(grad, indices, zeros_like(updates)), None, picked
    if op.type == "TensorScatterSub":
        return grad, None, _math.negative(picked)
    return grad, None, picked


def _tensor_scatter_op(type_, mode):
    @op(type_, shape=lambda t, i, u: (t.dtype, t.shape), grad=_tensor_scatter_grad)
    def kernel(tensor, indices, updates):
        return scatter_nd_into(tensor, indices, updates, mode, type_)

    def public(tensor, indices, updates, name=None):
        t = to_tensor(tensor)
        u = updates if isinstance(updates, Tensor) else convert_to_tensor(updates, dtype=t.dtype)
        return execute(kernel, (t, _indices(indices, type_), u), name=name)
    return public


tensor_scatter_nd_update = _tensor_scatter_op("TensorScatterUpdate", "update")
tensor_scatter_nd_update.__doc__ = "A copy of `tensor` with `updates` written at `indices`."
tensor_scatter_nd_add = _tensor_scatter_op("TensorScatterAdd", "add")
tensor_scatter_nd_add.__doc__ = "A copy of `tensor` with `updates` added at `indices`."
tensor_scatter_nd_sub = _tensor_scatter_op("TensorScatterSub", "sub")
tensor_scatter_nd_sub.__doc__ = "A copy of `tensor` with `updates` subtracted at `indices`."


# ---- segment sums ------------------------------------------------------------------------

def _unsorted_segment_sum_shape(data, ids, num_segments):
    if data.shape.rank is None or ids.shape.rank is None:
        return data.dtype, TensorShape(None)
    n = static_value(num_segments)
    n = None if n is None else int(n)
    return data.dtype, TensorShape([n] + data.shape.as_list()[ids.shape.rank:])


def _unsorted_segment_sum_grad(op, grad):
    ids = op.inputs[1]
    zero = zeros_like(ids)
    gathered = gather(grad, _math.maximum(ids, zero))
    keep = _math.greater_equal(ids, zero)  # negative ids were dropped: no gradient
    for _ in _py_range(gathered.shape.rank - ids.shape.rank):
        keep = expand_dims(keep, -1)
    return where(keep, gathered, zeros_like(gathered)), None, None


@op("UnsortedSegmentSum", shape=_unsorted_segment_sum_shape, grad=_unsorted_segment_sum_grad)
def _unsorted_segment_sum(data, ids, num_segments):
    n = int(num_segments)
    id_dims = np.shape(ids)
    if np.shape(data)[:len(id_dims)] != id_dims:
        raise ValueError(f"data.shape = {_fmt(np.shape(data))} does not start with "
                         f"segment_ids.shape = {_fmt(id_dims)}")
    inner = np.shape(data)[len(id_dims):]
    flat_ids = np.reshape(ids, -1)
    rows = np.reshape(data, (flat_ids.size,) + inner)
    if flat_ids.size and flat_ids.max() >= n:
        i = int(np.argmax(flat_ids >= n))
        raise ValueError(f"segment_ids[{i}] = {flat_ids[i]} is out of range [0, {n})")
    keep = flat_ids >= 0
    if not keep.all():
        flat_ids, rows = flat_ids[keep], rows[keep]
    out = np.zeros((n,) + inner, dtype=np.asarray(data).dtype)
    np.add.at(out, flat_ids, rows)
    return out


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """out[i] = sum of data[j...] with segment_ids[j...] == i; negative ids are dropped
    (`tf.math.unsorted_segment_sum`)."""
    ids = _indices(segment_ids, "UnsortedSegmentSum")
    n = _indices(num_segments, "UnsortedSegmentSum", attr="Tnumsegments")
    return execute(_unsorted_segment_sum, (to_tensor(data), ids, n), name=name)


def _segment_sum_shape(data, ids):
    if data.shape.rank is None:
        return data.dtype, TensorShape(None)
    known = static_value(ids)
    n = None if known is None else (int(np.reshape(known, -1)[-1]) + 1 if np.size(known) else 0)
    return data.dtype, TensorShape([n] + data.shape.as_list()[1:])


@op("SegmentSum", shape=_segment_sum_shape, grad=lambda op, g: (gather(g, op.inputs[1]), None))
def _segment_sum(data, ids):
    if np.ndim(ids) != 1:
        raise ValueError("segment_ids should be a vector.")
    if len(ids) != np.shape(data)[0]:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    if len(ids) and (ids[0] < 0 or np.any(np.diff(ids) < 0)):
        raise ValueError("segment ids are not increasing")
    n = int(ids[-1]) + 1 if len(ids) else 0
    out = np.zeros((n,) + np.shape(data)[1:], dtype=np.asarray(data).dtype)
    np.add.at(out, ids, data)
    return out


def segment_sum(data, segment_ids, name=None):
    """out[i] = sum of data[j] with segment_ids[j] == i, ids sorted (`tf.math.segment_sum`)."""
    ids = _indices(segment_ids, "SegmentSum")
    return execute(_segment_sum, (to_tensor(data), ids), name=name)


# ---- one_hot, range, eye, linspace, sequence_mask, meshgrid ------------------------------

def _one_hot_shape(indices, depth, on, off, axis):
    if indices.shape.rank is None:
        return on.dtype, TensorShape(None)
    d = static_value(depth)
    dims = indices.shape.as_list()
    dims.insert(len(dims) if axis == -1 else axis, None if d is None else int(d))
    return on.dtype, TensorShape(dims)


@op("OneHot", shape=_one_hot_shape, differentiable=False)
def _one_hot(indices, depth, on_value, off_value, axis):
    depth = int(depth)
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got: {depth}")
    hot = np.asarray(indices)[..., None] == np.arange(depth)
    out = np.where(hot, on_value, off_value)
    if axis != -1 and axis != out.ndim - 1:
        out = np.moveaxis(out, -1, axis)
    return out


def _dtype_text(dtype):
    return f"<dtype: '{dtype.name}'>"


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors of length `depth` for integer `indices` (out-of-range: all off).

    >>> tf.one_hot([0, 2], 3)   # [[1., 0., 0.], [0., 0., 1.]]
    """
    ind = _indices(indices, "OneHot", allowed=(_dtypes.uint8, _dtypes.int8, _int32, _int64),
                   attr="TI")
    dtype = None if dtype is None else _dtypes.as_dtype(dtype)
    if on_value is not None:
        on_value = convert_to_tensor(on_value, dtype_hint=dtype)
    if off_value is not None:
        off_value = convert_to_tensor(off_value, dtype_hint=dtype)
    given = [v for v in (on_value, off_value) if v is not None]
    if given:
        for label, v in (("on_value", on_value), ("off_value", off_value)):
            if v is not None and dtype is not None and v.dtype is not dtype:
                raise TypeError(f"dtype {_dtype_text(v.dtype)} of {label} does not match "
                                f"dtype parameter {_dtype_text(dtype)}")
        dtype = given[0].dtype
        if len(given) == 2 and on_value.dtype is not off_value.dtype:
            raise TypeError(f"dtype {_dtype_text(on_value.dtype)} of on_value does not match "
                            f"dtype {_dtype_text(off_value.dtype)} of off_value")
    dtype = dtype or _dtypes.float32
    on_value = _scalar(1, dtype) if on_value is None else on_value
    off_value = _scalar(0, dtype) if off_value is None else off_value
    axis = -1 if axis is None else _axis(axis)
    rank_ = ind.shape.rank
    if rank_ is not None and axis != -1 and not 0 <= axis <= rank_:
        raise _invalid("OneHot", f"Expected axis to be -1 or between [0, {rank_ + 1}).  But "
                                 f"received: {axis}")
    depth = _math.cast(depth, _int32) if isinstance(depth, Tensor) else \
        _const(np.asarray(depth, dtype=np.int32))
    return execute(_one_hot, (ind, depth, on_value, off_value), {"axis": axis}, name=name)


def _range_size(start, limit, delta):
    if np.issubdtype(np.asarray(start).dtype, np.integer):
        return max(0, (abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta)))
    return max(0, int(np.ceil(abs((float(limit) - float(start)) / float(delta)))))


def _range_shape(start, limit, delta):
    values = [static_value(t) for t in (start, limit, delta)]
    if any(v is None for v in values) or values[2] == 0:
        return start.dtype, TensorShape([None])
    return start.dtype, TensorShape([_range_size(*values)])


@op("Range", shape=_range_shape, differentiable=False)
def _range(start, limit, delta):
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise ValueError(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise ValueError(f"Requires start >= limit when delta < 0: {start}/{limit}")
    dtype = np.asarray(start).dtype
    if dtype.kind in "iu":
        return np.arange(start, limit, delta, dtype=dtype)
    # start + i * delta in the float dtype, as TensorFlow computes it
    steps = np.arange(_range_size(start, limit, delta), dtype=dtype)
    return (start + steps * delta).astype(dtype, copy=False)


_RANGE_DTYPES = [_int32, _int64, _dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
                 _dtypes.float64]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """The numbers start, start + delta, ... up to (not including) limit.

    >>> tf.range(5)          # int32 [0, 1, 2, 3, 4]
    >>> tf.range(1., 2., .5) # float32 [1. , 1.5]
    """
    if limit is None:
        start, limit = 0, start
    if not graph_stack and dtype is None and type(start) is int and type(limit) is int \
            and type(delta) is int and max(abs(start), abs(limit), abs(delta)) < 2 ** 31:
        # The common eager tf.range(n): int32, without converting each argument
        args = (EagerTensor(np.int32(start)), EagerTensor(np.int32(limit)),
                EagerTensor(np.int32(delta)))
        return execute(_range, args, name=name)
    with _op_scope(name) as scope:
        dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        args = [_named_constant(a, n, dtype)
                for a, n in zip((start, limit, delta), ("start", "limit", "delta"))]
        if dtype is None:
            dtype = max((a.dtype for a in args), key=_RANGE_DTYPES.index)
        args = [_math.cast(a, dtype) for a in args]
        return execute(_range, tuple(args), name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=_dtypes.float32, name=None):
    """An identity matrix (ones on the diagonal), optionally batched; also `tf.linalg.eye`.

    >>> tf.eye(2, 3)   # [[1., 0., 0.], [0., 1., 0.]]
    """
    dtype = _dtypes.as_dtype(dtype)
    columns = num_rows if num_columns is None else num_columns
    # Row i is one-hot at column i; rows past the last column are all zeros.
    out = one_hot(range(num_rows), columns, on_value=_scalar(1, dtype),
                  off_value=_scalar(0, dtype), name=name)
    if batch_shape is not None:
        out = broadcast_to(out, list(batch_shape) + [num_rows, columns])
    return out


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (both included), along `axis`;
    `start` and `stop` may be tensors (broadcast). Integer inputs give float64."""
    start = to_tensor(start)
    stop = stop if isinstance(stop, Tensor) else convert_to_tensor(stop, dtype_hint=start.dtype)
    if start.dtype.is_integer:
        start, stop = _math.cast(start, _dtypes.float64), _math.cast(stop, _dtypes.float64)
    num = _axis(num)
    rank_ = broadcast_shape(start.shape, stop.shape).rank
    axis = _axis(axis)
    if axis < 0:
        axis += rank_ + 1
    first, last = expand_dims(start, axis), expand_dims(stop, axis)
    steps = max(num - 1, 1)
    delta = _math.realdiv(_math.subtract(last, first),
                          _const(np.asarray(steps, dtype=start.dtype.as_numpy_dtype)))
    target = _shape_of(delta)
    # TensorFlow computes start + i * delta for the inner points and ends on `stop` exactly.
    ticks = reshape(_math.cast(range(1, steps), start.dtype),
                    [-1 if i == axis else 1 for i in _py_range(rank_ + 1)])
    inner = _math.add(first, _math.multiply(delta, ticks))
    out = concat([broadcast_to(first, target), inner, broadcast_to(last, target)], axis)
    if num < 2:
        out = slice(out, [0] * (rank_ + 1),
                    [num if i == axis else -1 for i in _py_range(rank_ + 1)])
    return out


def sequence_mask(lengths, maxlen=None, dtype=_dtypes.bool, name=None):
    """mask[..., j] = j < lengths[...]; `maxlen` defaults to the largest length.

    >>> tf.sequence_mask([1, 3], 4)   # [[T, F, F, F], [T, T, T, F]]
    """
    lengths = to_tensor(lengths)
    if maxlen is None:
        known = static_value(lengths)
        if known is not None:
            maxlen = int(np.max(known)) if np.size(known) else 0
        else:
            maxlen = _math.reduce_max(lengths)
    columns = range(0, maxlen, 1, dtype=lengths.dtype)
    mask = _math.less(columns, expand_dims(lengths, -1))
    dtype = _dtypes.as_dtype(dtype)
    return mask if dtype is _dtypes.bool else _math.cast(mask, dtype)


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D tensors; `indexing="xy"` (default) or `"ij"`."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this "
                        f"function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    xs = [reshape(to_tensor(a), [-1]) for a in args]
    n = len(xs)
    axes = list(_py_range(n))
    if indexing == "xy" and n > 1:
        axes[0], axes[1] = 1, 0  # the first two coordinates swap places
    full = [None] * n
    for x, a in zip(xs, axes):
        full[a] = _dim(x, 0)
    return [broadcast_to(reshape(x, [-1 if i == a else 1 for i in _py_range(n)]), full)
            for x, a in zip(xs, axes)]


# ---- sort, top_k, unique, repeat ---------------------------------------------------------

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])


def _top_k_shape(x, k, sorted, index_type):  # noqa: A002 - TensorFlow's attr name
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None)), (index_type, TensorShape(None))]
    known = static_value(k)
    dims = x.shape.as_list()[:-1] + [None if known is None else int(known)]
    return [(x.dtype, TensorShape(dims)), (index_type, TensorShape(dims))]


def _top_k_grad(op, grad_values, grad_indices):
    """Scatters the gradient of each top value back to the position it came from."""
    x, indices = op.inputs[0], op.outputs[1]
    itype = indices.dtype
    n = _dim(x, -1, itype)
    flat = reshape(indices, stack([-1, _dim(indices, -1, itype)]))
    rows = shape(flat, out_type=itype)[0]
    ids = reshape(_math.add(flat, expand_dims(_math.multiply(range(rows, dtype=itype), n), -1)),
                  [-1])
    summed = unsorted_segment_sum(reshape(grad_values, [-1]), ids, size(x, out_type=itype))
    return reshape(summed, shape(x, out_type=itype)), None


@op("TopKV2", shape=_top_k_shape, num_outputs=2, grad=_top_k_grad, dtypes=_dtypes.REAL_NUMERIC)
def _top_k(x, k, sorted, index_type):  # noqa: A002
    k = int(k)
    if np.ndim(x) == 0:
        raise ValueError("input must be >= 1-D, got shape []")
    if k < 0:
        raise ValueError(f"Need k >= 0, got {k}")
    n = np.shape(x)[-1]
    if n < k:
        raise ValueError(f"input must have at least k columns. Had {n}, needed {k}")
    # A stable ascending sort of the reversed row, read backwards: descending order
    # with ties in increasing index order, as TensorFlow's top_k.
    order = np.argsort(np.flip(x, -1), axis=-1, kind="stable")[..., ::-1][..., :k]
    idx = (n - 1) - order
    return np.take_along_axis(x, idx, -1), idx.astype(index_type._np)


def top_k(input, k=1, sorted=True, index_type=_dtypes.int32, name=None):  # noqa: A002
    """The k largest entries of the last axis and their indices, largest first
    (`tf.math.top_k`, `tf.nn.top_k`); equal values keep their index order."""
    x = to_tensor(input)
    k = k if isinstance(k, Tensor) else convert_to_tensor(k, dtype=_int32)
    values, indices = execute(_top_k, (x, k), {"sorted": bool(sorted),
                                               "index_type": _dtypes.as_dtype(index_type)},
                              name=name)
    return TopKV2(values, indices)


def _sort_along(values, axis, direction, want_indices):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    x = to_tensor(values)
    rank_ = x.shape.rank
    axis = _axis(axis)
    if rank_ is not None:
        if not -rank_ <= axis < rank_:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank_}, {rank_})")
        axis %= rank_
    perm = None
    if axis != rank_ - 1:  # top_k works on the last axis
        perm = list(_py_range(rank_))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        x = transpose(x, perm)
    ascending = direction == "ASCENDING"
    if ascending:
        x = _math.negative(x)
    top = top_k(x, _dim(x, -1))
    out = top.indices if want_indices else (
        _math.negative(top.values) if ascending else top.values)
    return out if perm is None else transpose(out, perm)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis` ("ASCENDING" or "DESCENDING")."""
    return _sort_along(values, axis, direction, want_indices=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis` (always a stable sort)."""
    return _sort_along(values, axis, direction, want_indices=True)


@op("Unique", shape=lambda x, out_idx: [(x.dtype, TensorShape([None])), (out_idx, x.shape)],
    num_outputs=2, differentiable=False)
def _unique(x, out_idx):
    if np.ndim(x) != 1:
        raise ValueError("unique expects a 1D vector.")
    values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # TensorFlow keeps first-occurrence order
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return values[order], position[np.reshape(inverse, -1)].astype(out_idx._np)


def unique(x, out_idx=_dtypes.int32, name=None):
    """The distinct values of 1-D `x` in order of appearance, and for each element of x
    the index of its value: `y, idx = tf.unique(x)`."""
    y, idx = execute(_unique, (to_tensor(x),), {"out_idx": _dtypes.as_dtype(out_idx)},
                     name=name)
    return Unique(y, idx)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each slice of `input` along `axis` repeated `repeats` times (a scalar or one count
    per slice); with axis None the flattened input is repeated.

    >>> tf.repeat([1, 2], [1, 2])   # [1, 2, 2]
    """
    x = to_tensor(input)
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    axis = _axis(axis)
    counts = _indices(repeats, "Repeat")
    if counts.shape.rank is not None and counts.shape.rank > 1:
        raise ValueError(f"`repeats` must be a scalar or a 1-D tensor, got shape "
                         f"{counts.shape}")
    if counts.shape.rank == 1 and counts.shape[0] == 1:
        counts = reshape(counts, [])
    n = _dim(x, axis, counts.dtype)
    positions = expand_dims(range(n, dtype=counts.dtype), 1)
    if counts.shape.rank == 0:
        picked = reshape(tile(positions, stack([1, counts])), [-1])
    else:
        if counts.shape[0] is not None and isinstance(n, int) and counts.shape[0] != n:
            raise ValueError(f"Dimensions {n} and {counts.shape[0]} are not compatible")
        mask = sequence_mask(counts)
        width = _dim(mask, 1, counts.dtype)
        picked = boolean_mask(tile(positions, stack([1, width])), mask)
    return gather(x, picked, axis=axis, name=name)


# ---- strided slices and `tensor[key]` ----------------------------------------------------

_FULL = _py_slice(None)
_MASK_ATTRS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_dim(dim, b, e, s, masked_begin, masked_end):
    """One sliced dimension: (NumPy slice, size); size None when not known statically."""
    if dim is None or s is None or (b is None and not masked_begin) or \
            (e is None and not masked_end):
        return _FULL, None
    if s > 0:
        lo = 0 if masked_begin else min(max(b + dim if b < 0 else b, 0), dim)
        hi = dim if masked_end else min(max(e + dim if e < 0 else e, 0), dim)
        count = max(0, -(-(hi - lo) // s))
        return _py_slice(lo, hi, s), count
    lo = dim - 1 if masked_begin else min(max(b + dim if b < 0 else b, -1), dim - 1)
    hi = -1 if masked_end else min(max(e + dim if e < 0 else e, -1), dim - 1)
    count = max(0, -(-(lo - hi) // -s))
    if not count:
        return _py_slice(0, 0), 0
    return _py_slice(lo, hi if hi >= 0 else None, s), count


def strided_index(dims, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0):
    """TensorFlow's StridedSlice semantics as a NumPy basic index and the output dims.

    dims: the input's dimensions (None where unknown); begin/end/strides: lists of
    ints (None entries where unknown). Returns (index tuple, output dims). Raises
    ValueError with TensorFlow's messages for bad specs and out-of-range indices.
    """
    rank_ = len(dims)
    n = len(begin)
    ellipses = ellipsis_mask & ((1 << n) - 1)
    if ellipses & (ellipses - 1):
        raise ValueError("Multiple ellipses in slice spec not allowed")
    index, out = [], []
    full = 0
    for i in _py_range(n):
        bit = 1 << i
        if ellipsis_mask & bit:
            later = sum(1 for j in _py_range(i + 1, n) if not (new_axis_mask >> j) & 1)
            for _ in _py_range(max(rank_ - full - later, 0)):
                index.append(_FULL)
                out.append(dims[full])
                full += 1
            continue
        if new_axis_mask & bit:
            index.append(None)
            out.append(1)
            continue
        if full >= rank_:
            if rank_ == 0:
                raise ValueError("Attempting to slice scalar input.")
            raise ValueError(f"Index out of range using input dim {full}; input has only "
                             f"{rank_} dims")
        dim, b, s = dims[full], begin[i], strides[i]
        if s == 0:
            raise ValueError(f"strides[{i}] must be non-zero")
        if shrink_axis_mask & bit:
            if s is not None and s < 0:
                raise ValueError("only stride 1 allowed on non-range indexing.")
            if dim is not None and b is not None:
                x = b + dim if b < 0 else b
                if not 0 <= x < dim:
                    raise ValueError(f"slice index {x} of dimension {full} out of bounds.")
                index.append(x)
            else:
                index.append(b)
        else:
            piece, count = _strided_dim(dim, b, end[i], s, begin_mask & bit, end_mask & bit)
            index.append(piece)
            out.append(count)
        full += 1
    if not ellipses:  # an implicit trailing ellipsis keeps the remaining dims
        out.extend(dims[full:])
    return tuple(index), out


def _strided_slice_shape(x, begin, end, strides, **masks):
    if x.shape.rank is None or begin.shape.rank != 1 or begin.shape[0] is None:
        return x.dtype, TensorShape(None)
    n = begin.shape[0]
    b, e, s = (_static_list(t) or [None] * n for t in (begin, end, strides))
    _, dims = strided_index(x.shape.as_list(), b, e, s, **masks)
    return x.dtype, TensorShape(dims)


def _strided_slice_grad(op, grad):
    x, begin, end, strides = op.inputs
    dx = execute(_strided_slice_grad_kernel,
                 (shape(x, out_type=begin.dtype), begin, end, strides, grad), op.attrs)
    return dx, None, None, None


@op("StridedSlice", shape=_strided_slice_shape, grad=_strided_slice_grad)
def _strided_slice(x, begin, end, strides, **masks):
    index, _ = strided_index(np.shape(x), begin.tolist(), end.tolist(), strides.tolist(),
                             **masks)
    return x[index]


@op("StridedSliceGrad",
    shape=lambda shape, b, e, s, dy, **masks: (dy.dtype, _shape_from_value(shape)),
    grad=lambda op, g: (None, None, None, None,
                        execute(_strided_slice, (g,) + tuple(op.inputs[1:4]), op.attrs)))
def _strided_slice_grad_kernel(shape, begin, end, strides, dy, **masks):
    out = np.zeros(tuple(shape), dtype=np.asarray(dy).dtype)
    index, _ = strided_index(out.shape, begin.tolist(), end.tolist(), strides.tolist(),
                             **masks)
    out[index] = dy
    return out


# What `variable[key]` returns is the slice tensor itself, given an `assign` method
# (`v[0, 1].assign(42)`) as in TensorFlow: its class becomes a subclass of its own
# (eager or symbolic) tensor class with that method, and the variable and slice spec
# are kept here, keyed by the tensor's id while it lives.
_SLICE_TARGETS = {}
_ASSIGNABLE_CLASSES = {}


def _assign_to_slice(self, value, use_locking=None, name=None, read_value=True):
    """Writes `value` (broadcast) into this slice of the variable; returns the variable."""
    from tensorlite.ops import variable_updates
    _, variable, spec = _SLICE_TARGETS[id(self)]
    return variable_updates.strided_slice_assign(variable, *spec, value, name=name)


def _variable_slice(out, variable, spec):
    """Makes `out`, a slice read from `variable`, assignable."""
    cls = type(out)
    assignable = _ASSIGNABLE_CLASSES.get(cls)
    if assignable is None:
        assignable = _ASSIGNABLE_CLASSES[cls] = type(
            cls.__name__, (cls,), {"__slots__": (), "__module__": cls.__module__,
                                   "assign": _assign_to_slice})
    out.__class__ = assignable
    key = id(out)
    _SLICE_TARGETS[key] = (weakref.ref(out, lambda _, k=key: _SLICE_TARGETS.pop(k, None)),
                           variable, spec)
    return out


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0,
                  ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """The strided slice of `input_` (what `input_[...]` computes), with TensorFlow's
    masks: bit i of `begin_mask` ignores begin[i], and so on."""
    if strides is None:
        strides = [1] * len(begin) if not isinstance(begin, Tensor) else ones_like(begin)
    b, e, s = same_dtype_inputs([begin, end, strides], "StridedSlice")
    attrs = {"begin_mask": int(begin_mask), "end_mask": int(end_mask),
             "ellipsis_mask": int(ellipsis_mask), "new_axis_mask": int(new_axis_mask),
             "shrink_axis_mask": int(shrink_axis_mask)}
    out = execute(_strided_slice, (to_tensor(input_), b, e, s), attrs, name=name)
    return out if var is None else _variable_slice(out, var, (b, e, s, attrs))


_KEY_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
              "tf.int32/tf.int64 tensors are valid indices, got {!r}")


def _index_value(item):
    """An index inside a key: an int, or a scalar int32/int64 tensor; else TypeError."""
    if type(item) is int:
        return item
    if isinstance(item, (int, np.integer)):
        return int(item)
    dtype = getattr(item, "dtype", None)
    if isinstance(item, (Tensor, Variable)) and dtype in _INDEX_DTYPES and \
            item.shape.rank == 0:
        return to_tensor(item)
    if isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu":
        return int(item)
    raise TypeError(_KEY_ERROR.format(item))


def _is_mask_key(key):
    if isinstance(key, bool):
        return True
    dtype = getattr(key, "dtype", None)
    return isinstance(key, (Tensor, np.ndarray)) and (dtype == _dtypes.bool or
                                                      dtype == np.bool_)


def _slice_spec(key):
    """A `tensor[key]` key as StridedSlice inputs (begin, end, strides) and mask attrs."""
    if not isinstance(key, (tuple, list)):
        key = (key,)
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASK_ATTRS, 0)
    for i, item in enumerate(key):
        bit = 1 << i
        if isinstance(item, _py_slice):
            start, stop, step = item.start, item.stop, item.step
            if start is None:
                masks["begin_mask"] |= bit
            if stop is None:
                masks["end_mask"] |= bit
            begin.append(0 if start is None else _index_value(start))
            end.append(0 if stop is None else _index_value(stop))
            strides.append(1 if step is None else _index_value(step))
        elif item is Ellipsis or item is None:
            masks["ellipsis_mask" if item is Ellipsis else "new_axis_mask"] |= bit
            begin.append(0)
            end.append(0)
            strides.append(1)
        else:
            index = _index_value(item)
            masks["shrink_axis_mask"] |= bit
            begin.append(index)
            # The end of a shrunk axis is ignored; a tensor index is reused as is.
            end.append(index + 1 if type(index) is int else index)
            strides.append(1)
    return _index_vector(begin), _index_vector(end), _index_vector(strides), masks


def _index_vector(values):
    """A list of ints and scalar tensors as one 1-D int32 (or int64) tensor."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    if not tensors:
        try:
            arr = np.array(values, dtype=np.int32)
        except OverflowError:  # an index beyond int32
            arr = np.array(values, dtype=np.int64)
        # TensorFlow packs the key's parts with tf.stack: "strided_slice/stack" ...
        return graph_stack[-1].constant(arr, "stack") if graph_stack else EagerTensor(arr)
    dtype = _int64 if any(t.dtype is _int64 for t in tensors) else _int32
    return stack([_math.cast(v, dtype) if isinstance(v, Tensor) else
                  convert_to_tensor(v, dtype=dtype) for v in values])


def _key_signature(key):
    """A hashable form of a key made only of Python ints, slices of ints, None and `...`
    (the keys whose StridedSlice inputs can be reused), else None."""
    sig = []
    for item in (key if type(key) is tuple else (key,)):
        kind = type(item)
        if kind is int or item is None or item is Ellipsis:
            sig.append(item)
        elif kind is _py_slice:
            parts = (item.start, item.stop, item.step)
            for p in parts:
                if p is not None and type(p) is not int:
                    return None
            sig.append(parts)
        else:
            return None
    return tuple(sig)


_SPEC_CACHE = {}


def getitem(tensor, key):
    """`tensor[key]` as TensorFlow reads it: ints, slices with strides, `...`,
    `tf.newaxis` and scalar integer tensors make one StridedSlice; a boolean key is a
    `boolean_mask`. On a variable the result can also `.assign(value)` to that slice.
    """
    if graph_stack:
        return _traced_getitem(tensor, key)
    sig = _key_signature(key)
    spec = _SPEC_CACHE.get(sig) if sig is not None else None
    if spec is None:
        if _is_mask_key(key):
            return boolean_mask(tensor, key)
        spec = _slice_spec(key)
        if sig is not None:
            if len(_SPEC_CACHE) >= 4096:
                _SPEC_CACHE.clear()
            _SPEC_CACHE[sig] = spec
    begin, end, strides, attrs = spec
    is_variable = isinstance(tensor, Variable)
    x = tensor.value() if is_variable else tensor
    # "strided_slice/" is the name TensorFlow's eager errors show.
    out = execute(_strided_slice, (x, begin, end, strides), attrs, name="strided_slice/")
    return _variable_slice(out, tensor, spec) if is_variable else out


def _traced_getitem(tensor, key):
    """getitem while tracing: nodes named as TensorFlow names them ("strided_slice",
    its inputs "strided_slice/stack", "strided_slice/stack_1" ...)."""
    if _is_mask_key(key):
        return boolean_mask(tensor, key)
    is_variable = isinstance(tensor, Variable)
    x = tensor.value() if is_variable else tensor
    with graph_stack[-1].name_scope("strided_slice") as scope:
        spec = _slice_spec(key)
        out = execute(_strided_slice, (x,) + spec[:3], spec[3], name=scope)
    return _variable_slice(out, tensor, spec) if is_variable else out
