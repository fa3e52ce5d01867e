"""Partial updates of variables: slice assignment and scatter updates.

`v[0, 1].assign(42)`, `v.scatter_nd_update(indices, updates)` and
`v.scatter_update(tf.IndexedSlices(values, indices))` are stateful resource ops,
like `AssignVariableOp`: each kernel computes the new value from the variable's
current one and replaces the stored array (never mutating it, so tensors read
earlier keep their values). Each returns the variable, unread, as TensorFlow does.
"""
import numpy as np

from tensorlite.framework.execute import execute
from tensorlite.framework.indexed_slices import IndexedSlices
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import convert_to_tensor
from tensorlite.framework.variables import _UnreadVariable
from tensorlite.ops.array import _fmt, _indices, scatter_nd_into, strided_index


def _no_outputs(*inputs, **attrs):
    return []


def _as_updates(var, value):
    """An update converted to the variable's dtype (a tensor of another dtype raises)."""
    return convert_to_tensor(value, dtype=var.dtype)


# ---- slice assignment ----------------------------------------------------------------

@op("ResourceStridedSliceAssign", shape=_no_outputs, num_outputs=0, stateful=True,
    differentiable=False)
def _strided_slice_assign(resource, begin, end, strides, value, **masks):
    current = resource.value
    index, dims = strided_index(np.shape(current), begin.tolist(), end.tolist(),
                                strides.tolist(), **masks)
    target = tuple(dims)
    try:
        fits = np.broadcast_shapes(np.shape(value), target) == target
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"Cannot broadcast input shape {_fmt(np.shape(value))} into final "
                         f"shape {_fmt(target)}")
    new = np.array(current, copy=True)
    new[index] = value
    resource.value = new
    return ()


def strided_slice_assign(var, begin, end, strides, attrs, value, name=None):
    """Writes `value` (broadcast) into the strided slice of `var`; returns `var` unread."""
    execute(_strided_slice_assign, (var.handle, begin, end, strides, _as_updates(var, value)),
            attrs, name=name or "strided_slice/_assign")
    return _UnreadVariable(var)


# ---- scatter_nd_update / add / sub --------------------------------------------------------

def _scatter_nd_op(type_, mode):
    @op(type_, shape=_no_outputs, num_outputs=0, stateful=True, differentiable=False)
    def kernel(resource, indices, updates):
        resource.value = scatter_nd_into(resource.value, indices, updates, mode, type_)
        return ()

    def public(var, indices, updates, name=None):
        execute(kernel, (var.handle, _indices(indices, type_), _as_updates(var, updates)),
                name=name)
        return _UnreadVariable(var)
    return public


scatter_nd_update = _scatter_nd_op("ResourceScatterNdUpdate", "update")
scatter_nd_update.__doc__ = "Writes `updates` into `var` at the coordinates `indices`."
scatter_nd_add = _scatter_nd_op("ResourceScatterNdAdd", "add")
scatter_nd_add.__doc__ = "Adds `updates` to `var` at the coordinates `indices`."
scatter_nd_sub = _scatter_nd_op("ResourceScatterNdSub", "sub")
scatter_nd_sub.__doc__ = "Subtracts `updates` from `var` at the coordinates `indices`."


# ---- scatter_update / add / sub (rows given as IndexedSlices) ---------------------------------

def _scattered_rows(current, indices, updates):
    """The row indices and one update row per index, checked as TensorFlow does."""
    n = np.shape(current)[0]
    flat = np.reshape(indices, -1)
    bad = (flat < 0) | (flat >= n)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"indices[{i}] = {flat[i]} is not in [0, {n})")
    expected = np.shape(indices) + np.shape(current)[1:]
    if np.ndim(updates) and np.shape(updates) != expected:
        raise ValueError(f"Must have updates.shape = indices.shape + params.shape[1:] or "
                         f"updates.shape = [], got updates.shape {_fmt(np.shape(updates))}, "
                         f"indices.shape {_fmt(np.shape(indices))}, params.shape "
                         f"{_fmt(np.shape(current))}")
    rows = np.broadcast_to(updates, expected).reshape((flat.size,) + np.shape(current)[1:])
    return flat, rows


def _scatter_op(type_, mode):
    @op(type_, shape=_no_outputs, num_outputs=0, stateful=True, differentiable=False)
    def kernel(resource, indices, updates):
        flat, rows = _scattered_rows(resource.value, indices, updates)
        new = np.array(resource.value, copy=True)
        if mode == "update":
            new[flat] = rows
        elif mode == "add":
            np.add.at(new, flat, rows)
        else:
            np.subtract.at(new, flat, rows)
        resource.value = new
        return ()

    def public(var, sparse_delta, name=None):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received "
                            f"arg: {sparse_delta}")
        indices = _indices(sparse_delta.indices, type_)
        execute(kernel, (var.handle, indices, _as_updates(var, sparse_delta.values)),
                name=name)
        return _UnreadVariable(var)
    return public


scatter_update = _scatter_op("ResourceScatterUpdate", "update")
scatter_update.__doc__ = "Writes the rows of an IndexedSlices into `var` at its indices."
scatter_add = _scatter_op("ResourceScatterAdd", "add")
scatter_add.__doc__ = "Adds the rows of an IndexedSlices to `var` at its indices."
scatter_sub = _scatter_op("ResourceScatterSub", "sub")
scatter_sub.__doc__ = "Subtracts the rows of an IndexedSlices from `var` at its indices."
