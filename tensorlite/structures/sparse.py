"""`tf.SparseTensor` and the sparse ops of `tf.sparse`.

A SparseTensor is three tensors: `indices` (int64, [N, rank], in row-major
"reading order"), `values` ([N]) and `dense_shape` (int64, [rank]). The ops
below are registry records whose kernels work on those three arrays.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import static_value, unbroadcast

_int64 = _dtypes.int64


def kernel_error(op_type, message):
    """An InvalidArgumentError worded as TensorFlow's runtime words kernel failures."""
    return errors.InvalidArgumentError(
        None, None, f"{{{{function_node __wrapped__{op_type}_device_/job:localhost/replica:0/"
                    f"task:0/device:CPU:0}}}} {message} [Op:{op_type}] name: ")


def _fmt(index):
    return "[" + ",".join(str(int(i)) for i in index) + "]"


def _shape_from(spec):
    """A static TensorShape from a shape tensor's spec (known value or known length)."""
    value = static_value(spec)
    if value is not None:
        return TensorShape([int(d) for d in np.asarray(value).reshape(-1)])
    n = spec.shape[0] if spec.shape.rank else None
    return TensorShape(None if n is None else [None] * n)


class SparseTensor:
    """A sparse tensor: `values` at `indices` of a `dense_shape` tensor, zero elsewhere.

    >>> s = tf.SparseTensor(indices=[[0, 1], [1, 0]], values=[1., 2.], dense_shape=[2, 2])
    """

    def __init__(self, indices, values, dense_shape):
        self._indices = convert_to_tensor(indices, dtype=_int64) if not isinstance(
            indices, Tensor) else _as_int64(indices)
        self._values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        self._dense_shape = convert_to_tensor(dense_shape, dtype=_int64) if not isinstance(
            dense_shape, Tensor) else _as_int64(dense_shape)
        ishape, vshape, sshape = (self._indices.shape, self._values.shape,
                                  self._dense_shape.shape)
        if ishape.rank != 2:
            raise ValueError(f"Shape {ishape} must have rank 2")
        if vshape.rank != 1:
            raise ValueError(f"Shape {vshape} must have rank 1")
        if sshape.rank != 1:
            raise ValueError(f"Shape {sshape} must have rank 1")
        if ishape[0] is not None and vshape[0] is not None and ishape[0] != vshape[0]:
            raise ValueError(f"Dimensions {ishape[0]} and {vshape[0]} are not compatible")
        if ishape[1] is not None and sshape[0] is not None and ishape[1] != sshape[0]:
            raise ValueError(f"Dimensions {ishape[1]} and {sshape[0]} are not compatible")

    _static_shape = None  # a known shape that dense_shape cannot tell (see `_with_shape`)

    @classmethod
    def from_value(cls, sparse_tensor_value):
        return cls(sparse_tensor_value.indices, sparse_tensor_value.values,
                   sparse_tensor_value.dense_shape)

    @classmethod
    def _from_components(cls, indices, values, dense_shape, shape):
        """A SparseTensor whose static shape is at least `shape` (e.g. from a spec, when
        `dense_shape` is symbolic)."""
        sparse = cls(indices, values, dense_shape)
        sparse._static_shape = shape
        return sparse

    @property
    def indices(self):
        return self._indices

    @property
    def values(self):
        return self._values

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self):
        """The static dense shape."""
        shape = _shape_from(self._dense_shape)
        if self._static_shape is not None:
            return shape.merge_with(self._static_shape)
        return shape

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self.shape.rank

    def with_values(self, new_values):
        """The same indices and shape with new values."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")

    def __mul__(self, other):
        return _cwise(_sparse_dense_mul, self, other)

    def __truediv__(self, other):
        return _cwise(_sparse_dense_div, self, other)


class SparseTensorSpec:
    """The type of a `tf.SparseTensor`: its static dense shape and its values' dtype.

    Inside tf.data a sparse element travels as its three component tensors
    (`component_specs`: indices, values, dense_shape).
    """

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=_dtypes.float32):
        self._shape = TensorShape(shape) if not isinstance(shape, TensorShape) else shape
        self._dtype = _dtypes.as_dtype(dtype)

    @classmethod
    def from_value(cls, value):
        """The spec of a SparseTensor."""
        return cls(value.shape, value.dtype)

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def component_specs(self):
        """TensorSpecs of (indices, values, dense_shape)."""
        from tensorlite.framework.tensor_spec import TensorSpec
        rank = self._shape.rank
        return (TensorSpec([None, rank], _int64), TensorSpec([None], self._dtype),
                TensorSpec([rank], _int64))

    def is_compatible_with(self, other):
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        return (isinstance(other, SparseTensorSpec) and self._dtype == other._dtype
                and self._shape.is_compatible_with(other._shape))

    def __eq__(self, other):
        return (isinstance(other, SparseTensorSpec) and self._dtype == other._dtype
                and self._shape == other._shape)

    def __hash__(self):
        return hash((SparseTensorSpec, self._dtype, str(self._shape)))

    def __repr__(self):
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"


def _as_int64(t):
    if t.dtype is _int64:
        return t
    from tensorlite.ops import math
    return math.cast(t, _int64)


def _check_sparse(x, fn):
    if not isinstance(x, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(x).__name__} in {fn}")


# ---- SparseToDense ----------------------------------------------------------------------

def _validate_indices(indices, shape, op_type, check_order=True):
    """TensorFlow's index checks: in bounds, then strictly increasing in reading order."""
    for k, index in enumerate(indices):
        if np.any(index < 0) or np.any(index >= shape):
            raise kernel_error(op_type, f"indices[{k}] = {_fmt(index)} is out of bounds: need "
                                        f"0 <= index < {_fmt(shape)}")
    if not check_order or len(indices) < 2:
        return
    for k in range(1, len(indices)):
        prev, cur = tuple(indices[k - 1]), tuple(indices[k])
        if cur == prev:
            raise kernel_error(op_type, f"indices[{k}] = {_fmt(indices[k])} is repeated")
        if cur < prev:
            raise kernel_error(
                op_type, f"indices[{k}] = {_fmt(indices[k])} is out of order. Many sparse ops "
                         f"require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                         f"correctly ordered copy.\n\n")


def _to_dense_shape(indices, output_shape, values, default_value, validate_indices):
    return values.dtype, _shape_from(output_shape)


def _to_dense_grad(op, grad):
    from tensorlite.ops import array, math
    indices = op.inputs[0]
    values_grad = array.gather_nd(grad, indices)
    default_grad = math.reduce_sum(grad) - math.reduce_sum(values_grad)
    return None, None, values_grad, default_grad


@op("SparseToDense", shape=_to_dense_shape, grad=_to_dense_grad)
def _sparse_to_dense(indices, output_shape, values, default_value, validate_indices):
    shape = np.asarray(output_shape, dtype=np.int64).reshape(-1)
    if validate_indices:
        _validate_indices(indices, shape, "SparseToDense")
    out = np.full(tuple(shape), default_value, dtype=np.asarray(values).dtype)
    if indices.size:
        out[tuple(indices.T)] = values
    return out


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of a SparseTensor, `default_value` (zero) where nothing is stored.

    Indices must be in reading order (see `tf.sparse.reorder`).
    """
    _check_sparse(sp_input, "to_dense")
    values = sp_input.values
    if default_value is None:
        default_value = b"" if values.dtype is _dtypes.string else 0
    default = convert_to_tensor(default_value, dtype=values.dtype)
    return execute(_sparse_to_dense, (sp_input.indices, sp_input.dense_shape, values, default),
                   {"validate_indices": bool(validate_indices)}, name=name)


# ---- SparseReorder --------------------------------------------------------------------

def _reorder_grad(op, indices_grad, values_grad):
    from tensorlite.ops import array
    indices, _, shape = op.inputs
    # Reordering the positions 0..N-1 tells where each entry went.
    positions = array.range(array.shape(indices, out_type=_int64)[0], dtype=_int64)
    moved = execute(_sparse_reorder, (indices, positions, shape))[1]
    return None, array.gather(values_grad, array.invert_permutation(moved)), None


def _linear(indices, shape):
    """Row-major positions of `indices` in a tensor of `shape`."""
    strides = np.cumprod(np.r_[shape[1:], 1][::-1])[::-1].astype(np.int64)
    return indices @ strides if indices.size else np.zeros(len(indices), np.int64)


@op("SparseReorder", shape=lambda i, v, s: [(i.dtype, i.shape), (v.dtype, v.shape)],
    num_outputs=2, grad=_reorder_grad)
def _sparse_reorder(indices, values, shape):
    order = np.argsort(_linear(indices, np.asarray(shape)), kind="stable")
    return indices[order], values[order]


def reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major (reading) order."""
    _check_sparse(sp_input, "reorder")
    indices, values = execute(_sparse_reorder, (sp_input.indices, sp_input.values,
                                                sp_input.dense_shape), name=name)
    return SparseTensor(indices, values, sp_input.dense_shape)


# ---- sparse x dense matmul -----------------------------------------------------------

def _matmul_shape(a_indices, a_values, a_shape, b, adjoint_a, adjoint_b):
    shape_a = _shape_from(a_shape).as_list() if _shape_from(a_shape).rank else [None, None]
    dims_b = b.shape.as_list() if b.shape.rank else [None, None]
    rows = shape_a[1] if adjoint_a else shape_a[0]
    cols = dims_b[0] if adjoint_b else dims_b[1]
    return b.dtype, TensorShape([rows, cols])


def _matmul_grad(op, grad):
    from tensorlite.ops import array, math
    a_indices, a_values, a_shape, b = op.inputs
    adjoint_a, adjoint_b = op.get_attr("adjoint_a"), op.get_attr("adjoint_b")
    a = SparseTensor(a_indices, a_values, a_shape)
    b_grad = sparse_dense_matmul(a, grad, adjoint_a=not adjoint_a)
    if adjoint_b:
        b_grad = array.transpose(b_grad)
    op_b = array.transpose(b) if adjoint_b else b
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    if adjoint_a:
        rows, cols = cols, rows
    values_grad = math.reduce_sum(array.gather(grad, rows) * array.gather(op_b, cols), axis=1)
    return None, values_grad, None, b_grad


@op("SparseTensorDenseMatMul", shape=_matmul_shape, grad=_matmul_grad)
def _sparse_dense_matmul(a_indices, a_values, a_shape, b, adjoint_a, adjoint_b):
    a_shape = np.asarray(a_shape)
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    n_out, inner = int(a_shape[0]), int(a_shape[1])
    if adjoint_a:
        rows, cols, n_out, inner = cols, rows, inner, n_out
    b = b.T if adjoint_b else b
    if b.shape[0] != inner:
        raise kernel_error("SparseTensorDenseMatMul",
                           f"Cannot multiply A and B because inner dimension does not match: "
                           f"{inner} vs. {b.shape[0]}.  Did you forget a transpose?  "
                           f"Dimensions of A: [{a_shape[0]}, {a_shape[1]}).  Dimensions of B: "
                           f"{_fmt(b.shape)}")
    out = np.zeros((n_out, b.shape[1]), dtype=b.dtype)
    np.add.at(out, rows, a_values[:, None] * b[cols])
    return out


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """The matrix product of a 2-D SparseTensor and a dense matrix (a dense tensor)."""
    _check_sparse(sp_a, "sparse_dense_matmul")
    b = convert_to_tensor(b, dtype=sp_a.dtype) if not isinstance(b, Tensor) else b
    if b.dtype is not sp_a.dtype:
        raise errors.op_error(errors.InvalidArgumentError, "SparseTensorDenseMatMul",
                              f"cannot compute SparseTensorDenseMatMul as input #3(zero-based) "
                              f"was expected to be a {sp_a.dtype.name} tensor but is a "
                              f"{b.dtype.name} tensor")
    return execute(_sparse_dense_matmul, (sp_a.indices, sp_a.values, sp_a.dense_shape, b),
                   {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)}, name=name)


# ---- sparse (op) dense elementwise --------------------------------------------------------

def _cwise_shape(indices, values, shape, dense):
    return values.dtype, values.shape


def _dense_at(dense, indices, shape):
    """The dense operand broadcast to the sparse shape, read at the sparse indices."""
    from tensorlite.ops import array
    return array.gather_nd(array.broadcast_to(dense, shape), indices)


def _scatter(indices, updates, shape, like):
    from tensorlite.ops import array
    return unbroadcast(array.scatter_nd(indices, updates, shape), like.shape)


def _mul_grad(op, grad):
    indices, values, shape, dense = op.inputs
    at = _dense_at(dense, indices, shape)
    return None, grad * at, None, _scatter(indices, grad * values, shape, dense)


def _div_grad(op, grad):
    indices, values, shape, dense = op.inputs
    at = _dense_at(dense, indices, shape)
    return None, grad / at, None, _scatter(indices, -grad * values / (at * at), shape, dense)


def _dense_values(indices, shape, dense, op_type):
    shape = tuple(int(d) for d in shape)
    try:
        full = np.broadcast_to(dense, shape)
    except ValueError:
        raise kernel_error(op_type, f"Only tensors with ranks between 1 and 5 are supported; "
                                    f"and dense shape {_fmt(np.shape(dense))} cannot broadcast "
                                    f"to {_fmt(shape)}") from None
    return full[tuple(indices.T)] if indices.size else np.zeros(0, full.dtype)


@op("SparseDenseCwiseMul", shape=_cwise_shape, grad=_mul_grad)
def _sparse_dense_mul(indices, values, shape, dense):
    return values * _dense_values(indices, shape, dense, "SparseDenseCwiseMul")


@op("SparseDenseCwiseDiv", shape=_cwise_shape, grad=_div_grad)
def _sparse_dense_div(indices, values, shape, dense):
    return values / _dense_values(indices, shape, dense, "SparseDenseCwiseDiv")


def _cwise(opdef, sp, other):
    if isinstance(other, SparseTensor):
        raise ValueError(f"Attempt to convert a value ({other!r}) with an unsupported type "
                         f"({type(other)}) to a Tensor.")
    dense = other if isinstance(other, Tensor) else convert_to_tensor(other, dtype=sp.dtype)
    if dense.dtype is not sp.dtype:
        raise ValueError(f"y: Tensor conversion requested dtype {sp.dtype.name} for Tensor with "
                         f"dtype {dense.dtype.name}: {dense!r}")
    values = execute(opdef, (sp.indices, sp.values, sp.dense_shape, dense))
    return SparseTensor(sp.indices, values, sp.dense_shape)


# ---- add ----------------------------------------------------------------------------------

def _dense_add_grad(op, grad):
    from tensorlite.ops import array
    return None, array.gather_nd(grad, op.inputs[0]), None, grad


@op("SparseTensorDenseAdd", shape=lambda i, v, s, b: (b.dtype, b.shape), grad=_dense_add_grad)
def _sparse_dense_add(indices, values, shape, dense):
    out = np.array(dense, copy=True)
    if indices.size:
        np.add.at(out, tuple(indices.T), values)
    return out


def _sparse_add_shape(a_i, a_v, a_s, b_i, b_v, b_s, thresh):
    return [(_int64, TensorShape([None, a_i.shape[1] if a_i.shape.rank else None])),
            (a_v.dtype, TensorShape([None])), (_int64, a_s.shape)]


def _sparse_add_grad(op, indices_grad, values_grad, shape_grad):
    a_val_grad, b_val_grad = execute(_sparse_add_grad_op, (values_grad, op.inputs[0],
                                                           op.inputs[3], op.outputs[0]))
    return None, a_val_grad, None, None, b_val_grad, None, None


@op("SparseAdd", shape=_sparse_add_shape, num_outputs=3, grad=_sparse_add_grad)
def _sparse_add(a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
    if not np.array_equal(a_shape, b_shape):
        raise kernel_error("SparseAdd", f"Operands do not have the same ranks; got shapes: "
                                        f"{_fmt(a_shape)} and {_fmt(b_shape)}")
    shape = np.asarray(a_shape)
    keys = np.concatenate([_linear(a_indices, shape), _linear(b_indices, shape)])
    values = np.concatenate([a_values, b_values])
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(len(unique), dtype=values.dtype)
    np.add.at(sums, inverse, values)
    keep = np.abs(sums) >= thresh if np.asarray(thresh) > 0 else np.ones(len(sums), bool)
    indices = np.stack(np.unravel_index(unique[keep], tuple(shape)), axis=1) if len(shape) \
        else np.zeros((int(keep.sum()), 0), np.int64)
    return indices.astype(np.int64).reshape(-1, len(shape)), sums[keep], shape.astype(np.int64)


@op("SparseAddGrad", shape=lambda g, a_i, b_i, s_i: [
    (g.dtype, TensorShape([a_i.shape[0] if a_i.shape.rank else None])),
    (g.dtype, TensorShape([b_i.shape[0] if b_i.shape.rank else None]))],
    num_outputs=2, differentiable=False)
def _sparse_add_grad_op(grad, a_indices, b_indices, sum_indices):
    where = {tuple(i): k for k, i in enumerate(sum_indices.tolist())}

    def pick(indices):
        out = np.zeros(len(indices), dtype=grad.dtype)
        for k, index in enumerate(indices.tolist()):
            pos = where.get(tuple(index))
            if pos is not None:
                out[k] = grad[pos]
        return out
    return pick(a_indices), pick(b_indices)


def add(a, b, threshold=0, name=None):
    """Sparse + sparse (a SparseTensor) or sparse + dense (a dense tensor).

    With two SparseTensors, sums whose magnitude is below `threshold` are dropped.
    """
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        if b.dtype is not a.dtype:
            raise TypeError(f"SparseTensors must have the same dtype, got {a.dtype.name} and "
                            f"{b.dtype.name}")
        thresh = convert_to_tensor(threshold, dtype=a.dtype)
        indices, values, shape = execute(_sparse_add, (
            a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape, thresh),
            name=name)
        return SparseTensor(indices, values, shape)
    if isinstance(b, SparseTensor):
        a, b = b, a
    if not isinstance(a, SparseTensor):
        raise TypeError("tf.sparse.add expects at least one SparseTensor")
    dense = b if isinstance(b, Tensor) else convert_to_tensor(b, dtype=a.dtype)
    return execute(_sparse_dense_add, (a.indices, a.values, a.dense_shape, dense), name=name)


def from_dense(tensor, name=None):
    """A SparseTensor holding the non-zero (non-empty) entries of a dense tensor."""
    from tensorlite.ops import array, math
    t = convert_to_tensor(tensor)
    zero = convert_to_tensor(b"" if t.dtype is _dtypes.string else 0, dtype=t.dtype)
    indices = array.where(math.not_equal(t, zero))
    return SparseTensor(indices, array.gather_nd(t, indices),
                        array.shape(t, out_type=_int64))



# ---- reductions and reshaping ----------------------------------------------------------

def _reduce_axes(axis, rank):
    if axis is None:
        return tuple(range(rank))
    axes = np.atleast_1d(np.asarray(axis)).tolist()
    return tuple(sorted({a % rank for a in axes}))


def _reduce_sum_shape(indices, values, shape, axis, keep_dims):
    dims = _shape_from(shape)
    if dims.rank is None:
        return values.dtype, TensorShape(None)
    sizes = dims.as_list()
    if keep_dims:
        return values.dtype, TensorShape([1 if i in axis else d for i, d in enumerate(sizes)])
    return values.dtype, TensorShape([d for i, d in enumerate(sizes) if i not in axis])


def _reduce_sum_grad(op, grad):
    from tensorlite.ops import array
    indices, _, shape = op.inputs
    axis = op.get_attr("axis")
    # The gradient reshaped with kept (size 1) reduced axes broadcasts back to every entry.
    kept = array.tensor_scatter_nd_update(shape, [[a] for a in axis],
                                          np.ones(len(axis), np.int64)) if axis else shape
    full = array.broadcast_to(array.reshape(grad, kept), shape)
    return None, array.gather_nd(full, indices), None


@op("SparseReduceSum", shape=_reduce_sum_shape, grad=_reduce_sum_grad)
def _sparse_reduce_sum(indices, values, shape, axis, keep_dims):
    dense = np.zeros(tuple(int(d) for d in shape), dtype=values.dtype)
    if indices.size:
        np.add.at(dense, tuple(indices.T), values)
    return np.asarray(dense.sum(axis=axis, keepdims=keep_dims), dtype=values.dtype)


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """The sum of the entries of a SparseTensor over `axis` (all axes when None).

    A dense tensor, or a SparseTensor with `output_is_sparse=True`.
    """
    _check_sparse(sp_input, "reduce_sum")
    rank = sp_input.shape.rank
    if rank is None:
        raise ValueError("reduce_sum needs a SparseTensor of known rank")
    out = execute(_sparse_reduce_sum, (sp_input.indices, sp_input.values, sp_input.dense_shape),
                  {"axis": _reduce_axes(axis, rank), "keep_dims": bool(keepdims)}, name=name)
    return from_dense(out) if output_is_sparse else out


def transpose(sp_input, perm=None, name=None):
    """Permutes the dimensions of a SparseTensor (reverses them when `perm` is None)."""
    from tensorlite.ops import array
    _check_sparse(sp_input, "transpose")
    rank = sp_input.shape.rank
    perm = list(range(rank))[::-1] if perm is None else [int(p) for p in perm]
    indices = array.gather(sp_input.indices, perm, axis=1)
    shape = array.gather(sp_input.dense_shape, perm)
    return reorder(SparseTensor(indices, sp_input.values, shape))


def expand_dims(sp_input, axis=None, name=None):
    """Inserts a dimension of size 1 at `axis` (negative counts from the end)."""
    from tensorlite.ops import array
    _check_sparse(sp_input, "expand_dims")
    rank = sp_input.shape.rank
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Axis {axis} out of range for a SparseTensor of rank {rank}")
    axis %= rank + 1
    indices = sp_input.indices
    column = array.zeros_like(indices[:, :1])
    indices = array.concat([indices[:, :axis], column, indices[:, axis:]], axis=1)
    one = convert_to_tensor([1], dtype=_int64)
    shape = array.concat([sp_input.dense_shape[:axis], one, sp_input.dense_shape[axis:]], 0)
    return SparseTensor(indices, sp_input.values, shape)


def retain(sp_input, to_retain):
    """The entries of a SparseTensor where the boolean vector `to_retain` is True."""
    from tensorlite.ops import array
    _check_sparse(sp_input, "retain")
    mask = convert_to_tensor(to_retain, dtype=_dtypes.bool)
    return SparseTensor(array.boolean_mask(sp_input.indices, mask),
                        array.boolean_mask(sp_input.values, mask), sp_input.dense_shape)


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None):
    """Joins SparseTensors along `axis`; with `expand_nonconcat_dims`, the other
    dimensions grow to the largest input's."""
    from tensorlite.ops import array, math
    for sp in sp_inputs:
        _check_sparse(sp, "concat")
    rank = sp_inputs[0].shape.rank
    axis = int(axis) % rank
    unit = array.one_hot(axis, rank, dtype=_int64)
    shapes = [sp.dense_shape for sp in sp_inputs]
    indices, offset = [], convert_to_tensor(np.int64(0))
    for sp, shape in zip(sp_inputs, shapes):
        indices.append(sp.indices + unit * offset)
        offset = offset + shape[axis]
    if expand_nonconcat_dims:
        others = math.reduce_max(array.stack(shapes), axis=0)
    else:
        others = shapes[0]
    shape = others * (1 - unit) + unit * offset
    joined = SparseTensor(array.concat(indices, axis=0),
                          array.concat([sp.values for sp in sp_inputs], axis=0), shape)
    return reorder(joined)
