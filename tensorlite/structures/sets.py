"""`tf.sets`: set operations on the last dimension of dense or sparse tensors.

Each row of the last dimension is one set (for a dense tensor, every element
counts, padding included). Results are SparseTensors whose rows hold the
sorted elements of each resulting set.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.structures.sparse import SparseTensor, kernel_error

_int32, _int64 = _dtypes.int32, _dtypes.int64
_VALID_DTYPES = {_dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64, _dtypes.uint8,
                 _dtypes.uint16, _dtypes.string}


# ---- host-side set bookkeeping -----------------------------------------------------------

def _fmt(dims):
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def _dense_sets(x, op_type):
    """{row index tuple: set} for a dense tensor; and the group shape (all dims but last)."""
    x = np.asarray(x)
    if x.ndim < 2:
        raise kernel_error(op_type, f"Shape {_fmt(x.shape)} has rank {x.ndim} < 2")
    groups = x.shape[:-1]
    rows = x.reshape(-1, x.shape[-1]) if x.size else np.zeros((int(np.prod(groups)), 0))
    keys = list(np.ndindex(*groups))
    return {k: set(r.tolist()) for k, r in zip(keys, rows)}, groups


def _sparse_sets(indices, values, shape):
    sets = {}
    for index, v in zip(indices.tolist(), values.tolist()):
        sets.setdefault(tuple(index[:-1]), set()).add(v)
    return sets, tuple(int(d) for d in shape[:-1])


def _combine(sets_a, sets_b, groups, operation, op_type):
    """The sparse result (indices, values, shape) of `operation` applied row by row."""
    fn = {"union": set.union, "intersection": set.intersection,
          "a-b": set.difference, "b-a": lambda a, b: b - a}[operation]
    indices, values, width = [], [], 0
    for key in np.ndindex(*groups):
        row = sorted(fn(sets_a.get(key, set()), sets_b.get(key, set())))
        width = max(width, len(row))
        for j, v in enumerate(row):
            indices.append(key + (j,))
            values.append(v)
    return indices, values, list(groups) + [width]


def _result(indices, values, shape, like):
    """The three output arrays; values keep the input's dtype."""
    vals = np.empty(len(values), dtype=like.dtype)
    vals[:] = values
    return (np.array(indices, dtype=np.int64).reshape(-1, len(shape)), vals,
            np.array(shape, dtype=np.int64))


def _check_groups(groups_a, groups_b, op_type):
    if tuple(groups_a) != tuple(groups_b):
        raise kernel_error(op_type, f"Mismatched shapes {_fmt(groups_a)} vs {_fmt(groups_b)}")


def _set_shape(rank, dtype):
    return [(_int64, TensorShape([None, rank])), (dtype, TensorShape([None])),
            (_int64, TensorShape([rank]))]


# ---- ops -----------------------------------------------------------------------------------

@op("DenseToDenseSetOperation", num_outputs=3, differentiable=False,
    shape=lambda a, b, set_operation, validate_indices: _set_shape(a.shape.rank, a.dtype))
def _dense_dense(a, b, set_operation, validate_indices):
    sets_a, groups = _dense_sets(a, "DenseToDenseSetOperation")
    sets_b, groups_b = _dense_sets(b, "DenseToDenseSetOperation")
    _check_groups(groups, groups_b, "DenseToDenseSetOperation")
    return _result(*_combine(sets_a, sets_b, groups, set_operation,
                             "DenseToDenseSetOperation"), np.asarray(a))


@op("DenseToSparseSetOperation", num_outputs=3, differentiable=False,
    shape=lambda a, bi, bv, bs, set_operation, validate_indices:
    _set_shape(a.shape.rank, a.dtype))
def _dense_sparse(a, b_indices, b_values, b_shape, set_operation, validate_indices):
    sets_a, groups = _dense_sets(a, "DenseToSparseSetOperation")
    sets_b, groups_b = _sparse_sets(b_indices, b_values, b_shape)
    _check_groups(groups, groups_b, "DenseToSparseSetOperation")
    return _result(*_combine(sets_a, sets_b, groups, set_operation,
                             "DenseToSparseSetOperation"), np.asarray(a))


@op("SparseToSparseSetOperation", num_outputs=3, differentiable=False,
    shape=lambda ai, av, a_s, bi, bv, bs, set_operation, validate_indices:
    _set_shape(a_s.shape[0], av.dtype))
def _sparse_sparse(a_indices, a_values, a_shape, b_indices, b_values, b_shape,
                   set_operation, validate_indices):
    sets_a, groups = _sparse_sets(a_indices, a_values, a_shape)
    sets_b, groups_b = _sparse_sets(b_indices, b_values, b_shape)
    _check_groups(groups, groups_b, "SparseToSparseSetOperation")
    return _result(*_combine(sets_a, sets_b, groups, set_operation,
                             "SparseToSparseSetOperation"), np.asarray(a_values))


def _size_shape(indices, values, shape, validate_indices):
    n = shape.shape[0] if shape.shape.rank else None
    return _int32, TensorShape(None if n is None else [None] * (n - 1))


@op("SetSize", shape=_size_shape, differentiable=False)
def _set_size(indices, values, shape, validate_indices):
    sets, groups = _sparse_sets(indices, values, shape)
    out = np.zeros(groups, dtype=np.int32)
    for key, s in sets.items():
        out[key] = len(s)
    return out


# ---- public API ----------------------------------------------------------------------------

def _operand(x):
    if isinstance(x, SparseTensor):
        return x
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _set_operation(a, b, operation, validate_indices):
    a, b = _operand(a), _operand(b)
    if a.dtype is not b.dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")
    if a.dtype not in _VALID_DTYPES:
        raise TypeError(f"'a' has invalid dtype `{a.dtype}` not in supported dtypes: "
                        f"{sorted(d.name for d in _VALID_DTYPES)}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        # Only dense-op-sparse exists: swap, and flip the direction of a difference.
        a, b = b, a
        operation = {"a-b": "b-a", "b-a": "a-b"}.get(operation, operation)
    attrs = {"set_operation": operation, "validate_indices": bool(validate_indices)}
    if isinstance(a, SparseTensor):
        outs = execute(_sparse_sparse, (a.indices, a.values, a.dense_shape,
                                        b.indices, b.values, b.dense_shape), attrs)
    elif isinstance(b, SparseTensor):
        outs = execute(_dense_sparse, (a, b.indices, b.values, b.dense_shape), attrs)
    else:
        outs = execute(_dense_dense, (a, b), attrs)
    return SparseTensor(*outs)


def union(a, b, validate_indices=True):
    """The union of the sets in the last dimension of `a` and `b` (a SparseTensor).

    >>> tf.sparse.to_dense(tf.sets.union([[1, 5, 9]], [[5, 6, 9, 11]]))  # [[1, 5, 6, 9, 11]]
    """
    return _set_operation(a, b, "union", validate_indices)


def intersection(a, b, validate_indices=True):
    """The intersection of the sets in the last dimension of `a` and `b` (a SparseTensor)."""
    return _set_operation(a, b, "intersection", validate_indices)


def difference(a, b, aminusb=True, validate_indices=True):
    """`a - b` (or `b - a` when `aminusb=False`) for the sets in the last dimension."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def size(a, validate_indices=True):
    """The number of distinct elements of each set of a SparseTensor (int32)."""
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    if a.dtype not in _VALID_DTYPES:
        raise TypeError(f"Invalid dtype {a.dtype}.")
    return execute(_set_size, (a.indices, a.values, a.dense_shape),
                   {"validate_indices": bool(validate_indices)})
