"""Linear algebra (`tf.linalg`): products, einsum, inverses and solves, decompositions,
diagonals and bands, norms.

Kernels follow TensorFlow's batching convention: the last two axes hold the
matrices, every leading axis is a batch axis.  LAPACK has no half precision, so
float16/bfloat16 inputs are computed in float32 and rounded back.
"""
import functools
import numbers
import string

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops import array as _array
from tensorlite.ops import math as _math
from tensorlite.ops._helpers import (binary_inputs, broadcast_shape, dtype_mismatch,
                                     static_value, to_tensor, unbroadcast)

__all__ = ["einsum", "matmul", "norm", "tensordot"]

_LINALG_DTYPES = frozenset({_dtypes.float16, _dtypes.float32, _dtypes.float64,
                            _dtypes.complex64, _dtypes.complex128})
_HALF = (np.dtype(np.float16), _dtypes.bfloat16._np)


# ---- shared helpers -------------------------------------------------------------------

def _dims_text(dims):
    """A shape as TensorFlow's kernels print it: [2,3]."""
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _shape_text(shape):
    return "<unknown>" if shape.rank is None else _dims_text(shape.as_list())


def _for_lapack(x):
    """`x` in a dtype NumPy's linalg accepts (half precisions go through float32)."""
    return x.astype(np.float32) if x.dtype in _HALF else x


def _like(out, x):
    """`out` in the dtype of the input `x` (undoes `_for_lapack`, NumPy's upcasts)."""
    return out if out.dtype is x.dtype else out.astype(x.dtype, copy=False)


def _np_adjoint(x):
    x = np.swapaxes(x, -1, -2)
    return x.conj() if x.dtype.kind == "c" else x


def _check_matrices(x, index=0):
    if x.ndim < 2:
        raise ValueError(f"Input tensor {index} must have rank >= 2, got {x.ndim}")


def _check_square(x):
    _check_matrices(x)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError("Input matrix must be square.")


def _square_shape(x, **attrs):
    """Shape rule of ops mapping square matrices to same-shaped ones (inverse, cholesky)."""
    shape = x.shape
    if shape.rank is not None:
        if shape.rank < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {shape.rank}")
        n, m = shape[-2], shape[-1]
        if n is not None and m is not None and n != m:
            raise ValueError(f"Dimensions must be equal, but are {n} and {m} with input "
                             f"shape {_shape_text(shape)}")
    return x.dtype, shape


def _batch_dims(shape):
    """The batch part of a static matrix shape ([..., m, n] -> [...])."""
    return TensorShape(None) if shape.rank is None else TensorShape(shape.as_list()[:-2])


def _conj(x):
    return _math.conj(x) if x.dtype.is_complex else x


def _expand_matrix_dims(t):
    """t[..., None, None]: a per-matrix scalar broadcast over its matrix."""
    return _array.expand_dims(_array.expand_dims(t, -1), -1)


def _static_int(value, what):
    """An integer op parameter given as a Python/NumPy int or a known tensor."""
    if isinstance(value, Tensor):
        known = static_value(value)
        if known is None:
            raise ValueError(f"`{what}` must be known when the op is built, got {value!r}")
        value = known
    return int(value)


# ---- matmul ---------------------------------------------------------------------------

_MATMUL_DTYPES = _dtypes.FLOATING | _dtypes.COMPLEX | {_dtypes.int32, _dtypes.int64}
_BATCH_MATMUL_DTYPES = _MATMUL_DTYPES | {_dtypes.int16}
_MATMUL_V3_DTYPES = _dtypes.FLOATING | _dtypes.COMPLEX | {
    _dtypes.uint8, _dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64}


def _product_dims(a, b, adj_a, adj_b, op_type):
    """[m, n] of op(a) @ op(b) from static shapes; raises on a known inner mismatch."""
    da, db = a.as_list(), b.as_list()
    m, ka = (da[-1], da[-2]) if adj_a else (da[-2], da[-1])
    kb, n = (db[-1], db[-2]) if adj_b else (db[-2], db[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(f"Dimensions must be equal, but are {ka} and {kb} for '{op_type}' "
                         f"with input shapes: {_dims_text(da)}, {_dims_text(db)}.")
    return [m, n]


def _matmul_shape(a, b, transpose_a=False, transpose_b=False):
    for s in (a.shape, b.shape):
        if s.rank is not None and s.rank != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {s.rank} for 'MatMul' with "
                             f"input shapes: {_shape_text(a.shape)}, {_shape_text(b.shape)}.")
    if a.shape.rank is None or b.shape.rank is None:
        return a.dtype, TensorShape([None, None])
    return a.dtype, TensorShape(_product_dims(a.shape, b.shape, transpose_a, transpose_b,
                                              "MatMul"))


def _batch_matmul_shape(a, b, adj_x=False, adj_y=False, Tout=None):  # noqa: N803
    dtype = a.dtype if Tout is None else Tout
    if a.shape.rank is None or b.shape.rank is None:
        return dtype, TensorShape(None)
    for s in (a.shape, b.shape):
        if s.rank < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {s.rank} for "
                             f"'BatchMatMulV2' with input shapes: {_shape_text(a.shape)}, "
                             f"{_shape_text(b.shape)}.")
    dims = _product_dims(a.shape, b.shape, adj_x, adj_y, "BatchMatMulV2")
    return dtype, broadcast_shape(_batch_dims(a.shape), _batch_dims(b.shape)).concatenate(dims)


def _matmul_grad(op, grad):
    """MatMul: C = op(A) op(B) with op a plain transpose (so complex inputs are conjugated)."""
    a, b = _conj(op.inputs[0]), _conj(op.inputs[1])
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    need_a, need_b = op.needs_grad or (True, True)
    ga = gb = None
    if need_a:
        ga = (matmul(b, grad, transpose_a=tb, transpose_b=True) if ta
              else matmul(grad, b, transpose_b=not tb))
    if need_b:
        gb = (matmul(grad, a, transpose_a=True, transpose_b=ta) if tb
              else matmul(a, grad, transpose_a=not ta))
    return ga, gb


def _adjoint_product_grads(x, y, grad, adj_x, adj_y, needs):
    """Gradients of op(x) @ op(y), op the adjoint, summed over broadcast batch axes."""
    need_x, need_y = needs or (True, True)
    gx = gy = None
    if need_x:
        gx = (matmul(y, grad, adjoint_a=adj_y, adjoint_b=True) if adj_x
              else matmul(grad, y, adjoint_b=not adj_y))
        gx = unbroadcast(gx, x.shape)
    if need_y:
        gy = (matmul(grad, x, adjoint_a=True, adjoint_b=adj_x) if adj_y
              else matmul(x, grad, adjoint_a=not adj_x))
        gy = unbroadcast(gy, y.shape)
    return gx, gy


def _batch_matmul_grad(op, grad):
    x, y = op.inputs
    return _adjoint_product_grads(x, y, grad, op.get_attr("adj_x"), op.get_attr("adj_y"),
                                  op.needs_grad)


def _batch_matmul_v3_grad(op, grad):
    x, y = op.inputs
    tout = op.get_attr("Tout")
    gx, gy = _adjoint_product_grads(_math.cast(x, tout), _math.cast(y, tout), grad,
                                    op.get_attr("adj_x"), op.get_attr("adj_y"), op.needs_grad)
    # Integer operands (int8 x int8 -> int32) carry no gradient.
    gx = _math.cast(gx, x.dtype) if gx is not None and x.dtype.is_floating else None
    gy = _math.cast(gy, y.dtype) if gy is not None and y.dtype.is_floating else None
    return gx, gy


@op("MatMul", shape=_matmul_shape, grad=_matmul_grad, dtypes=_MATMUL_DTYPES)
def _matmul(a, b, transpose_a=False, transpose_b=False):
    for i, t in enumerate((a, b)):
        if t.ndim < 2:
            raise ValueError(f"In[{i}] ndims must be >= 2")
    x = a.T if transpose_a else a
    y = b.T if transpose_b else b
    if x.shape[1] != y.shape[0]:
        raise ValueError(f"Matrix size-incompatible: In[0]: {_dims_text(a.shape)}, "
                         f"In[1]: {_dims_text(b.shape)}")
    return _like(x @ y, a)


def _batch_product(x, y, adj_x, adj_y):
    for i, t in enumerate((x, y)):
        if t.ndim < 2:
            raise ValueError(f"In[{i}] ndims must be >= 2: {t.ndim}")
    a = _np_adjoint(x) if adj_x else x
    b = _np_adjoint(y) if adj_y else y
    if a.shape[-1] != b.shape[-2]:
        raise ValueError(f"Matrix size-incompatible: In[0]: {_dims_text(x.shape)}, "
                         f"In[1]: {_dims_text(y.shape)} {int(adj_x)} {int(adj_y)}")
    try:
        return _like(np.matmul(a, b), x)
    except ValueError:
        raise ValueError(f"In[0] and In[1] must have compatible batch dimensions: "
                         f"{_dims_text(x.shape)} vs. {_dims_text(y.shape)}") from None


@op("BatchMatMulV2", shape=_batch_matmul_shape, grad=_batch_matmul_grad,
    dtypes=_BATCH_MATMUL_DTYPES)
def _batch_matmul(x, y, adj_x=False, adj_y=False):
    return _batch_product(x, y, adj_x, adj_y)


@op("BatchMatMulV3", shape=_batch_matmul_shape, grad=_batch_matmul_v3_grad,
    dtypes=_MATMUL_V3_DTYPES)
def _batch_matmul_v3(x, y, adj_x=False, adj_y=False, Tout=None):  # noqa: N803
    return _batch_product(x.astype(Tout._np, copy=False), y.astype(Tout._np, copy=False),
                          adj_x, adj_y)


# The attrs of MatMul, shared (attrs are never mutated) to keep tiny products cheap.
_TRANSPOSE_ATTRS = {(ta, tb): {"transpose_a": ta, "transpose_b": tb}
                    for ta in (False, True) for tb in (False, True)}


def _rank(t):
    return t._value.ndim if type(t) is EagerTensor else t.shape.rank


def _product_inputs(a, b):
    """Converts matmul's operands; a dtype mismatch names the op TensorFlow would run."""
    if type(a) is EagerTensor and type(b) is EagerTensor and a._dtype is b._dtype:
        return a, b
    try:
        return binary_inputs(a, b, "MatMul")
    except errors.InvalidArgumentError:
        a, b = to_tensor(a), to_tensor(b)
        ops_type = "MatMul" if a.shape.rank == 2 and b.shape.rank == 2 else "BatchMatMulV2"
        raise dtype_mismatch(ops_type, 1, a.dtype, b.dtype) from None


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False,
           grad_b=False, name=None):
    """The matrix product of `a` and `b` over their last two axes (`a @ b`).

    Leading axes are batch axes and broadcast. `transpose_*` transposes and
    `adjoint_*` conjugate-transposes an operand first. With `output_type`, the
    operands may differ in dtype (int8 x int8 -> int32).

    >>> tf.matmul([[1., 2.]], [[3.], [4.]])   # [[11.]]
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of `transpose_a` and `adjoint_a` can be True. "
                         "Received `transpose_a`=True, `adjoint_a`=True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of `transpose_b` and `adjoint_b` can be True. "
                         "Received `transpose_b`=True, `adjoint_b`=True.")
    if output_type is not None:
        a, b = to_tensor(a), to_tensor(b)
    else:
        a, b = _product_inputs(a, b)
    ra, rb = _rank(a), _rank(b)
    if output_type is None and ra is not None and rb is not None and ra <= 2 and rb <= 2:
        # MatMul transposes only; an adjoint is a conjugate then a transpose.
        if adjoint_a:
            a, transpose_a = _conj(a), True
        if adjoint_b:
            b, transpose_b = _conj(b), True
        return execute(_matmul, (a, b), _TRANSPOSE_ATTRS[bool(transpose_a), bool(transpose_b)],
                       name=name)
    # The batch ops take adjoints only; a transpose is an adjoint of the conjugate.
    if transpose_a and a.dtype.is_complex:
        a = _conj(a)
    if transpose_b and b.dtype.is_complex:
        b = _conj(b)
    attrs = {"adj_x": bool(transpose_a or adjoint_a), "adj_y": bool(transpose_b or adjoint_b)}
    if output_type is None:
        return execute(_batch_matmul, (a, b), attrs, name=name)
    attrs["Tout"] = _dtypes.as_dtype(output_type)
    return execute(_batch_matmul_v3, (a, b), attrs, name=name)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """The matrix-vector product of `a` [..., m, n] and `b` [..., n] (batches broadcast)."""
    a, b = _product_inputs(a, b)
    product = matmul(a, _array.expand_dims(b, -1), transpose_a=transpose_a,
                     adjoint_a=adjoint_a)
    return _array.squeeze(product, axis=-1)


# ---- tensordot ------------------------------------------------------------------------

def _tensordot_axes(axes, rank_a, rank_b):
    """The contracted axes of a and b, as two lists of non-negative ints."""
    if isinstance(axes, Tensor):
        axes = static_value(axes)
        if axes is None:
            raise ValueError("tensordot needs `axes` known when the op is built")
    if isinstance(axes, np.ndarray):
        axes = axes.tolist()
    if isinstance(axes, numbers.Integral):
        n = int(axes)
        if n < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {n}.")
        if n > rank_a or n > rank_b:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of "
                             f"tensor {rank_a if n > rank_a else rank_b}. Received {n}.")
        return list(range(rank_a - n, rank_a)), list(range(n))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
    a_axes, b_axes = ([x] if isinstance(x, numbers.Integral) else list(x) for x in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes `a` and `b`, "
                         f"{len(a_axes)} != {len(b_axes)}.")
    for axis_list, rank in ((a_axes, rank_a), (b_axes, rank_b)):
        for x in axis_list:
            if not -rank <= x < rank:
                raise ValueError(f"Axis {x} is out of range for a tensor of rank {rank}")
    return [int(x) % rank_a for x in a_axes], [int(x) % rank_b for x in b_axes]


def _flatten_for_product(x, front, back):
    """`x` transposed to `front + back` axes and reshaped to a matrix."""
    dims = x.shape.as_list()
    perm = front + back
    if perm != list(range(len(dims))):
        x = _array.transpose(x, perm)
    rows = int(np.prod([dims[i] for i in front], dtype=np.int64))
    cols = int(np.prod([dims[i] for i in back], dtype=np.int64))
    if len(dims) != 2 or [dims[i] for i in perm] != [rows, cols]:
        x = _array.reshape(x, [rows, cols])
    return x


def tensordot(a, b, axes, name=None):
    """Sums the product of `a` and `b` over the given axes.

    `axes` is an int N (the last N axes of a with the first N of b) or a pair
    of axis lists. The result has a's free axes, then b's.
    """
    a, b = _product_inputs(a, b)
    if a.shape.rank is None or b.shape.rank is None:
        raise ValueError("tensordot needs inputs of known rank")
    a_axes, b_axes = _tensordot_axes(axes, a.shape.rank, b.shape.rank)
    free_a = [i for i in range(a.shape.rank) if i not in a_axes]
    free_b = [i for i in range(b.shape.rank) if i not in b_axes]
    if not (a.shape.is_fully_defined() and b.shape.is_fully_defined()):
        # Unknown sizes (graph tracing): one einsum keeps every static dimension it can.
        letters = iter(string.ascii_letters)
        sub_a = [next(letters) for _ in range(a.shape.rank)]
        sub_b = [next(letters) for _ in range(b.shape.rank)]
        for i, j in zip(a_axes, b_axes):
            sub_b[j] = sub_a[i]
        out = "".join(sub_a[i] for i in free_a) + "".join(sub_b[j] for j in free_b)
        return einsum(f"{''.join(sub_a)},{''.join(sub_b)}->{out}", a, b, name=name)
    # TensorFlow's lowering: one matrix product between two transposed reshapes.
    product = matmul(_flatten_for_product(a, free_a, a_axes),
                     _flatten_for_product(b, b_axes, free_b))
    out_dims = ([a.shape[i] for i in free_a] + [b.shape[j] for j in free_b])
    if product.shape.as_list() != out_dims:
        product = _array.reshape(product, out_dims)
    return product


# ---- einsum ---------------------------------------------------------------------------

_EINSUM_DTYPES = _dtypes.FLOATING | _dtypes.COMPLEX | {_dtypes.int32, _dtypes.int64}


@functools.lru_cache(maxsize=512)
def _split_equation(equation):
    """An explicit equation 'ab,bc->ac' as (('ab', 'bc'), 'ac')."""
    lhs, out = equation.split("->")
    return tuple(lhs.split(",")), out


def _parse_equation(equation, n_inputs):
    """Validates a user equation; returns it explicit ('ij,jk' -> 'ij,jk->ik'), no spaces."""
    eq = equation.replace(" ", "")
    if eq.count("->") > 1:
        raise ValueError(f"Subscripts have more than one '->': {equation}")
    lhs, arrow, out = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != n_inputs:
        raise ValueError(f'Got {n_inputs} inputs for equation "{equation}", expecting '
                         f"{len(inputs)}")
    for sub in inputs + ([out] if arrow else []):
        labels = sub.replace("...", "", 1)
        if not all(c in string.ascii_letters for c in labels):
            raise ValueError(f"Subscripts of the equation '{equation}' may hold letters and "
                             f"one '...' each; got '{sub}'")
    if not arrow:
        # Implicit output: the labels used once, in alphabetical (ASCII) order.
        labels = "".join(inputs).replace("...", "")
        once = sorted(c for c in set(labels) if labels.count(c) == 1)
        out = ("..." if any("..." in s for s in inputs) else "") + "".join(once)
    out_labels = out.replace("...", "")
    for c in out_labels:
        if out_labels.count(c) > 1:
            raise ValueError(f"Output subscripts contain a label appearing more than once: "
                             f"{eq}")
        if not any(c in s for s in inputs):
            raise ValueError(f"Output subscripts contain the label {c} not present in the "
                             f"input subscripts.")
    return ",".join(inputs) + "->" + out


def _label_axes(sub, rank):
    """(axis, label) pairs of a subscript for an input of `rank`, and its ellipsis rank."""
    left, ellipsis, right = sub.partition("...")
    n_ellipsis = rank - len(left) - len(right) if ellipsis else 0
    pairs = list(enumerate(left)) + [(rank - len(right) + k, c) for k, c in enumerate(right)]
    return pairs, n_ellipsis


def _check_einsum_inputs(equation, inputs):
    """TensorFlow's checks: ranks fit the subscripts, a label has one size everywhere,
    and broadcast (ellipsis) axes appear in the output."""
    subs, out = _split_equation(equation)
    sizes = {}
    n_broadcast = 0
    for i, (sub, x) in enumerate(zip(subs, inputs)):
        shape = x.shape
        if shape.rank is None:
            continue
        n_labels = len(sub.replace("...", ""))
        if "..." not in sub and shape.rank != n_labels:
            raise errors.op_error(errors.InvalidArgumentError, "Einsum",
                                  f"Expected input {i} to have rank {n_labels} but got: "
                                  f"{shape.rank}")
        if shape.rank < n_labels:
            raise errors.op_error(errors.InvalidArgumentError, "Einsum",
                                  f"Expected input {i} to have rank at least {n_labels} but "
                                  f"got: {shape.rank}")
        pairs, n_ellipsis = _label_axes(sub, shape.rank)
        n_broadcast = max(n_broadcast, n_ellipsis)
        for axis, c in pairs:
            d = shape[axis]
            if d is None:
                continue
            if sizes.get(c, d) != d:
                raise errors.op_error(
                    errors.InvalidArgumentError, "Einsum",
                    f"Expected dimension {sizes[c]} at axis {axis} of the input shaped "
                    f"{_shape_text(shape)} but got dimension {d}")
            sizes[c] = d
    if n_broadcast and "..." not in out:
        raise errors.op_error(errors.InvalidArgumentError, "Einsum",
                              f"Output contains {n_broadcast} broadcasting dimension(s) but no "
                              f"ellipsis (...) was found in the output subscripts.")


def _merge_size(known, d):
    """One label's size over operands; size 1 broadcasts (gradient equations use it)."""
    if known is None or known == 1:
        return d if d is not None else known
    return known


def _einsum_shape(*xs, equation):
    subs, out = _split_equation(equation)
    sizes = {}
    ellipsis = TensorShape([])
    for sub, x in zip(subs, xs):
        if x.shape.rank is None:
            if "..." in sub:
                ellipsis = TensorShape(None)
            continue
        dims = x.shape.as_list()
        pairs, n_ellipsis = _label_axes(sub, len(dims))
        for axis, c in pairs:
            sizes[c] = _merge_size(sizes.get(c), dims[axis])
        if "..." in sub:
            start = len(sub.partition("...")[0])
            ellipsis = broadcast_shape(ellipsis, TensorShape(dims[start:start + n_ellipsis]))
    left, has_ellipsis, right = out.partition("...")
    if has_ellipsis and ellipsis.rank is None:
        return xs[0].dtype, TensorShape(None)
    dims = ([sizes.get(c) for c in left] + (ellipsis.as_list() if has_ellipsis else [])
            + [sizes.get(c) for c in right])
    return xs[0].dtype, TensorShape(dims)


def _einsum_grad(op, grad):
    """d/dx_i of an einsum is an einsum of the output gradient with the other operands
    (conjugated), written back onto x_i's subscript."""
    equation = op.get_attr("equation")
    xs = op.inputs
    if any(x.shape.rank is None for x in xs):
        raise NotImplementedError("The Einsum gradient needs operands of known rank")
    subs, out, fresh = _explicit_subscripts(equation, [x.shape.rank for x in xs])
    conj = [_conj(x) for x in xs]
    needs = op.needs_grad or (True,) * len(xs)
    return [_einsum_input_grad(i, subs, out, conj, grad, list(fresh)) if need else None
            for i, need in enumerate(needs)]


def _explicit_subscripts(equation, ranks):
    """The equation with each '...' replaced by letters for its axes (right-aligned, as
    ellipsis axes broadcast), plus the letters left unused."""
    subs, out = _split_equation(equation)
    free = [c for c in string.ascii_letters if c not in equation]
    n_broadcast = max([_label_axes(s, r)[1] for s, r in zip(subs, ranks)] + [0])
    if n_broadcast > len(free):
        raise NotImplementedError("Too many broadcast axes for an Einsum gradient")
    batch = "".join(free[:n_broadcast])

    def expand(sub, n):
        return sub.replace("...", batch[n_broadcast - n:] if n else "")
    explicit = [expand(s, _label_axes(s, r)[1]) for s, r in zip(subs, ranks)]
    return explicit, expand(out, n_broadcast), free[n_broadcast:]


def _einsum_input_grad(i, subs, out, operands, grad, fresh):
    x = operands[i]
    sub = subs[i]
    in_subs = [out] + [s for j, s in enumerate(subs) if j != i]
    args = [grad] + [t for j, t in enumerate(operands) if j != i]
    provided = set("".join(in_subs))
    if any(c not in provided for c in sub):
        # Labels summed away inside x alone: the gradient is constant along them.
        in_subs.append(sub)
        args.append(_array.ones_like(x))
    target = []
    for c in sub:
        if c not in target:
            target.append(c)
            continue
        # A repeated label reads a diagonal: the gradient lands on that diagonal.
        if not fresh:
            raise NotImplementedError("Too many repeated labels for an Einsum gradient")
        f = fresh.pop(0)
        diagonal = execute(_einsum, (x,), {"equation": f"{sub}->{c}"})
        in_subs.append(c + f)
        args.append(diag(_array.ones_like(diagonal)))
        target.append(f)
    g = execute(_einsum, tuple(args), {"equation": ",".join(in_subs) + "->" + "".join(target)})
    return unbroadcast(g, x.shape)


@op("Einsum", shape=_einsum_shape, grad=_einsum_grad, dtypes=_EINSUM_DTYPES)
def _einsum(*xs, equation):
    if xs[0].dtype == _HALF[1]:
        return _like(np.einsum(equation, *[x.astype(np.float32) for x in xs]), xs[0])
    # The optimized path (BLAS contractions) pays off for several or large operands.
    optimize = len(xs) > 2 or sum(x.size for x in xs) > 4096
    return np.einsum(equation, *xs, optimize=optimize)


def einsum(equation, *inputs, **kwargs):
    """Einstein summation: `tf.einsum('ij,jk->ik', a, b)` is the matrix product.

    Labels are letters; '...' stands for broadcast axes; without '->' the output
    is the labels used once, sorted.
    """
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"Invalid keyword argument(s): {sorted(kwargs)}")
    tensors = [to_tensor(x) for x in inputs]
    for k, t in enumerate(tensors[1:], 1):
        if t.dtype is not tensors[0].dtype:
            raise dtype_mismatch("Einsum", k, tensors[0].dtype, t.dtype)
    explicit = _parse_equation(equation, len(tensors))
    _check_einsum_inputs(explicit, tensors)
    return execute(_einsum, tuple(tensors), {"equation": explicit}, name=name)


# ---- inverse, determinants --------------------------------------------------------------

def _inverse_grad(op, grad):
    # d(A^-1) = -A^-1 dA A^-1; with C = inv(A) (or inv(A^H) when adjoint):
    c = op.outputs[0]
    if op.get_attr("adjoint"):
        return _math.negative(matmul(c, matmul(grad, c, adjoint_a=True)))
    return _math.negative(matmul(c, matmul(grad, c, adjoint_b=True), adjoint_a=True))


@op("MatrixInverse", shape=_square_shape, grad=_inverse_grad, dtypes=_LINALG_DTYPES)
def _matrix_inverse(x, adjoint=False):
    _check_square(x)
    a = _np_adjoint(x) if adjoint else x
    try:
        return _like(np.linalg.inv(_for_lapack(a)), x)
    except np.linalg.LinAlgError:
        raise ValueError("Input is not invertible.") from None


def inv(input, adjoint=False, name=None):  # noqa: A002 - TensorFlow's argument name
    """The inverse of each square matrix in `input` (of its adjoint if `adjoint`)."""
    return execute(_matrix_inverse, (to_tensor(input),), {"adjoint": bool(adjoint)}, name=name)


def _det_shape(x):
    _square_shape(x)
    return x.dtype, _batch_dims(x.shape)


def _det_grad(op, grad):
    # d det(A) = det(A) tr(A^-1 dA): the gradient is grad * det * A^-H. (For complex A,
    # TensorFlow leaves det unconjugated; so do we, to give its values.)
    scale = _math.multiply(grad, op.outputs[0])
    return _math.multiply(_expand_matrix_dims(scale), inv(op.inputs[0], adjoint=True))


@op("MatrixDeterminant", shape=_det_shape, grad=_det_grad, dtypes=_LINALG_DTYPES)
def _matrix_determinant(x):
    _check_square(x)
    return _like(np.asarray(np.linalg.det(_for_lapack(x))), x)


def det(input, name=None):  # noqa: A002
    """The determinant of each square matrix in `input`."""
    return execute(_matrix_determinant, (to_tensor(input),), name=name)


def _slogdet_shape(x):
    dtype, shape = _det_shape(x)
    return [(dtype, shape), (dtype, shape)]


def _slogdet_grad(op, grad_sign, grad_log_abs):
    # d log|det A| = Re tr(A^-1 dA); the sign is piecewise constant.
    return _math.multiply(_expand_matrix_dims(grad_log_abs), inv(op.inputs[0], adjoint=True))


@op("LogMatrixDeterminant", shape=_slogdet_shape, grad=_slogdet_grad, num_outputs=2,
    dtypes=_LINALG_DTYPES)
def _log_matrix_determinant(x):
    _check_square(x)
    sign, log_abs = np.linalg.slogdet(_for_lapack(x))
    return _like(np.asarray(sign), x), _like(np.asarray(log_abs), x)


def slogdet(input, name=None):  # noqa: A002
    """(sign, log|det|) of each square matrix: a determinant that does not overflow."""
    return execute(_log_matrix_determinant, (to_tensor(input),), name=name)


def logdet(matrix, name=None):
    """log(det(matrix)) of Hermitian positive-definite matrices, through a Cholesky factor."""
    chol = cholesky(matrix)
    diagonal = diag_part(chol)
    if diagonal.dtype.is_complex:
        diagonal = _math.real(diagonal)
    log_sum = _math.reduce_sum(_math.log(diagonal), axis=-1)
    return _math.multiply(convert_to_tensor(2, dtype=log_sum.dtype), log_sum)


# ---- cholesky, solves -------------------------------------------------------------------

def _cholesky_grad(op, grad):
    # For A = L L^H: A_bar = sym(L^-H Phi(L^H L_bar) L^-1), Phi taking the lower triangle
    # with a halved diagonal (Murray 2016); A is symmetric, so is its gradient.
    chol = op.outputs[0]
    chol_inv = triangular_solve(chol, _identity_like(diag_part(chol)), lower=True)
    middle = matmul(chol, grad, adjoint_a=True)
    half = convert_to_tensor(0.5, dtype=middle.dtype)
    middle = set_diag(band_part(middle, -1, 0), _math.multiply(half, diag_part(middle)))
    s = matmul(chol_inv, matmul(middle, chol_inv), adjoint_a=True)
    return _math.multiply(_math.add(s, adjoint(s)), half)


@op("Cholesky", shape=_square_shape, grad=_cholesky_grad, dtypes=_LINALG_DTYPES)
def _cholesky(x):
    _check_square(x)
    a = _for_lapack(x)
    try:
        return _like(np.linalg.cholesky(a), x)
    except np.linalg.LinAlgError:
        # TensorFlow does not raise either: matrices that are not positive definite give
        # NaN factors while the others in the batch are factored.
        return _like(_cholesky_each(a), x)


def _cholesky_each(a):
    flat = a.reshape((-1,) + a.shape[-2:])
    out = np.empty_like(flat)
    for k, m in enumerate(flat):
        try:
            out[k] = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            out[k] = np.nan
    return out.reshape(a.shape)


def cholesky(input, name=None):  # noqa: A002
    """The lower-triangular L with L L^H = input, for Hermitian positive-definite matrices.

    Only the lower triangle of `input` is read.
    """
    return execute(_cholesky, (to_tensor(input),), name=name)


def _solve_shape(matrix, rhs, adjoint=False):
    _square_shape(matrix)
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return rhs.dtype, rhs.shape
    if matrix.shape.rank != rhs.shape.rank:
        raise ValueError(f"Shape must be rank {matrix.shape.rank} but is rank "
                         f"{rhs.shape.rank} for 'MatrixSolve'")
    batch = _batch_dims(matrix.shape).merge_with(_batch_dims(rhs.shape))
    return rhs.dtype, batch.concatenate([matrix.shape[-1], rhs.shape[-1]])


def _solve_grads(op, grad, solve_fn, band=None):
    """Gradients of X = op(A)^-1 B: B_bar = op(A)^-H G and A_bar = -B_bar X^H (or its
    adjoint when op is the adjoint)."""
    a, b = op.inputs
    x = op.outputs[0]
    adj = op.get_attr("adjoint")
    gb = solve_fn(a, grad, not adj)
    need_a, need_b = op.needs_grad or (True, True)
    ga = None
    if need_a:
        ga = _math.negative(matmul(x, gb, adjoint_b=True) if adj
                            else matmul(gb, x, adjoint_b=True))
        if band is not None:
            ga = band_part(ga, *band)
        ga = unbroadcast(ga, a.shape)
    return ga, unbroadcast(gb, b.shape) if need_b else None


@op("MatrixSolve", shape=_solve_shape, dtypes=_LINALG_DTYPES,
    grad=lambda op, g: _solve_grads(op, g, lambda a, b, adj: solve(a, b, adjoint=adj)))
def _matrix_solve(matrix, rhs, adjoint=False):
    _check_square(matrix)
    if matrix.ndim != rhs.ndim:
        raise ValueError("All input tensors must have the same rank.")
    if matrix.shape[:-2] != rhs.shape[:-2]:
        raise ValueError("All input tensors must have the same outer dimensions.")
    if matrix.shape[-1] != rhs.shape[-2]:
        raise ValueError("Input matrix and rhs are incompatible.")
    a = _np_adjoint(matrix) if adjoint else matrix
    try:
        return _like(np.linalg.solve(_for_lapack(a), _for_lapack(rhs)), rhs)
    except np.linalg.LinAlgError:
        raise ValueError("Input matrix is not invertible.") from None


def solve(matrix, rhs, adjoint=False, name=None):
    """X with matrix @ X = rhs (adjoint(matrix) @ X = rhs if `adjoint`), per batch entry."""
    matrix, rhs = binary_inputs(matrix, rhs, "MatrixSolve")
    return execute(_matrix_solve, (matrix, rhs), {"adjoint": bool(adjoint)}, name=name)


def _triangular_solve_shape(matrix, rhs, lower=True, adjoint=False):
    _square_shape(matrix)
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return rhs.dtype, TensorShape(None)
    batch = broadcast_shape(_batch_dims(matrix.shape), _batch_dims(rhs.shape))
    return rhs.dtype, batch.concatenate([matrix.shape[-1], rhs.shape[-1]])


def _triangular_solve_grad(op, grad):
    lower = op.get_attr("lower")
    return _solve_grads(
        op, grad, lambda a, b, adj: triangular_solve(a, b, lower=lower, adjoint=adj),
        band=(-1, 0) if lower else (0, -1))


@op("MatrixTriangularSolve", shape=_triangular_solve_shape, grad=_triangular_solve_grad,
    dtypes=_LINALG_DTYPES | {_dtypes.bfloat16})
def _matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False):
    for i, t in enumerate((matrix, rhs)):
        if t.ndim < 2:
            raise ValueError(f"In[{i}] ndims must be >= 2: {t.ndim}")
    if matrix.shape[-1] != matrix.shape[-2]:
        raise ValueError("Input matrix must be square.")
    if matrix.shape[-1] != rhs.shape[-2]:
        raise ValueError(f"In[0] mismatch In[1] shape: {matrix.shape[-1]} vs. "
                         f"{rhs.shape[-2]}: {_dims_text(matrix.shape)} "
                         f"{_dims_text(rhs.shape)} {int(lower)} {int(adjoint)}")
    try:
        batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    except ValueError:
        raise ValueError(f"In[0] and In[1] must have compatible batch dimensions: "
                         f"{_dims_text(matrix.shape)} vs. {_dims_text(rhs.shape)}") from None
    a = _for_lapack(np.tril(matrix) if lower else np.triu(matrix))
    if adjoint:
        a = _np_adjoint(a)
    b = _for_lapack(rhs)
    try:
        out = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        # A zero on the diagonal: substitution gives TensorFlow's infs and NaNs.
        out = _substitute(np.broadcast_to(a, batch + a.shape[-2:]),
                          np.broadcast_to(b, batch + b.shape[-2:]), lower != adjoint)
    return _like(out, rhs)


def _substitute(a, b, lower):
    """Forward (lower) or back substitution, row by row, over a batch."""
    n = a.shape[-1]
    x = np.zeros(np.broadcast_shapes(a.shape[:-1], b.shape[:-1]) + b.shape[-1:],
                 dtype=np.result_type(a, b))
    with np.errstate(all="ignore"):
        for i in (range(n) if lower else range(n - 1, -1, -1)):
            done = slice(0, i) if lower else slice(i + 1, n)
            partial = np.einsum("...k,...kj->...j", a[..., i, done], x[..., done, :])
            x[..., i, :] = (b[..., i, :] - partial) / a[..., i, i:i + 1]
    return x


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """X with matrix @ X = rhs for triangular `matrix` (only its `lower` or upper
    triangle is read); batch axes broadcast."""
    matrix, rhs = binary_inputs(matrix, rhs, "MatrixTriangularSolve")
    return execute(_matrix_triangular_solve, (matrix, rhs),
                   {"lower": bool(lower), "adjoint": bool(adjoint)}, name=name)


def cholesky_solve(chol, rhs, name=None):
    """X with A @ X = rhs, given chol = cholesky(A)."""
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)


# ---- bands and diagonals ----------------------------------------------------------------

def _band_shape(x, num_lower, num_upper):
    if x.shape.rank is not None and x.shape.rank < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.rank} for "
                         f"'MatrixBandPart'")
    return x.dtype, x.shape


@op("MatrixBandPart", shape=_band_shape,
    grad=lambda op, g: band_part(g, op.get_attr("num_lower"), op.get_attr("num_upper")))
def _matrix_band_part(x, num_lower, num_upper):
    if x.ndim < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {_dims_text(x.shape)}")
    m, n = x.shape[-2:]
    if num_lower > m:
        raise ValueError(f"num_lower must be negative or less or equal to number of rows ({m}) "
                         f"got: {num_lower}")
    if num_upper > n:
        raise ValueError(f"num_upper must be negative or less or equal to number of columns "
                         f"({n}) got: {num_upper}")
    below = np.arange(m)[:, None] - np.arange(n)[None, :]   # row - column
    keep = np.ones((m, n), dtype=bool)
    if num_lower >= 0:
        keep &= below <= num_lower
    if num_upper >= 0:
        keep &= -below <= num_upper
    return np.where(keep, x, np.zeros((), dtype=x.dtype))


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keeps `num_lower` sub- and `num_upper` superdiagonals of each matrix (negative =
    all) and zeroes the rest: band_part(x, -1, 0) is the lower triangle."""
    return execute(_matrix_band_part, (to_tensor(input),),
                   {"num_lower": _static_int(num_lower, "num_lower"),
                    "num_upper": _static_int(num_upper, "num_upper")}, name=name)


def _diagonal_length(m, n, d):
    """The length of diagonal `d` (0 main, > 0 above) of an m x n matrix."""
    return max(0, min(m + min(0, d), n - max(0, d)))


def _diagonal_index(m, n, d):
    """Row and column indices of diagonal `d` of an m x n matrix."""
    rows = np.arange(max(0, -d), max(0, -d) + _diagonal_length(m, n, d))
    return rows, rows + d


def _pad_before(d, max_len, length, align):
    """Leading padding of diagonal `d` in a packed band: 'RIGHT' aligned diagonals are
    padded on the left. `align` names superdiagonals' alignment, then subdiagonals'."""
    super_align, sub_align = align.split("_")
    return max_len - length if (super_align if d >= 0 else sub_align) == "RIGHT" else 0


def _band_diagonals(k):
    lo, hi = k
    return range(hi, lo - 1, -1)   # packed top row first: the highest diagonal


def _check_k(k, m, n):
    lo, hi = k
    if lo > hi:
        raise ValueError(f"lower_diag_index must not be larger than upper_diag_index: "
                         f"{lo} > {hi}")
    for what, d in (("lower", lo), ("upper", hi)):
        if m and n and not -m < d < n:
            raise ValueError(f"{what}_diag_index is out of bound: {d}. It must be between "
                             f"{-m} and {n}")


def _diag_part_shape(x, k, padding_value, align):
    if x.shape.rank is None:
        return x.dtype, TensorShape(None)
    if x.shape.rank < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.rank}")
    m, n = x.shape[-2], x.shape[-1]
    lo, hi = k
    if m is None or n is None:
        tail = [None] if lo == hi else [hi - lo + 1, None]
    elif lo == hi:
        tail = [_diagonal_length(m, n, lo)]
    else:
        tail = [hi - lo + 1, max(_diagonal_length(m, n, d) for d in range(lo, hi + 1))]
    return x.dtype, _batch_dims(x.shape).concatenate(tail)


def _diag_part_grad(op, grad):
    x = op.inputs[0]
    rows, cols = (-1 if d is None else d for d in x.shape.as_list()[-2:])
    return diag(grad, k=op.get_attr("k"), num_rows=rows, num_cols=cols,
                align=op.get_attr("align"))


@op("MatrixDiagPartV3", shape=_diag_part_shape, grad=_diag_part_grad)
def _matrix_diag_part(x, k, padding_value, align):
    if x.ndim < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {_dims_text(x.shape)}")
    m, n = x.shape[-2:]
    _check_k(k, m, n)
    lo, hi = k
    if lo == hi:
        return x[(..., *_diagonal_index(m, n, lo))]
    max_len = max(_diagonal_length(m, n, d) for d in range(lo, hi + 1))
    out = np.full(x.shape[:-2] + (hi - lo + 1, max_len), padding_value, dtype=x.dtype)
    for row, d in enumerate(_band_diagonals(k)):
        rows, cols = _diagonal_index(m, n, d)
        start = _pad_before(d, max_len, len(rows), align)
        out[..., row, start:start + len(rows)] = x[..., rows, cols]
    return out


def _diag_k(k):
    """k as TensorFlow takes it (one diagonal or a (low, high) band) -> (low, high)."""
    if isinstance(k, Tensor):
        k = static_value(k)
    k = np.asarray(k).reshape(-1).tolist()
    if len(k) not in (1, 2):
        raise ValueError(f"diag_index must be a scalar or a vector of length 2, got {k}")
    return (int(k[0]), int(k[-1]))


def _align_attr(align):
    if align not in ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        raise ValueError(f"Attr align has value '{align}' not in list of allowed values: "
                         f"\"LEFT_RIGHT\", \"RIGHT_LEFT\", \"LEFT_LEFT\", \"RIGHT_RIGHT\"")
    return align


def diag_part(input, name="diag_part", k=0, padding_value=0,  # noqa: A002
              align="RIGHT_LEFT"):
    """The main (or `k`-th, or a band of) diagonal(s) of each matrix in `input`.

    >>> tf.linalg.diag_part([[1, 2], [3, 4]])   # [1, 4]
    """
    x = to_tensor(input)
    return execute(_matrix_diag_part, (x,), {"k": _diag_k(k),
                                             "padding_value": _padding(padding_value, x.dtype),
                                             "align": _align_attr(align)}, name=name)


def _padding(value, dtype):
    """A padding value as a NumPy scalar of the op's dtype."""
    return np.asarray(static_value(value) if isinstance(value, Tensor) else value,
                      dtype=dtype._np)[()]


def _diag_sizes(shape, k, num_rows, num_cols):
    """(rows, cols) of the matrices MatrixDiagV3 builds; None where unknown."""
    lo, hi = k
    max_len = shape[-1]
    if max_len is None:
        return (num_rows if num_rows >= 0 else None), (num_cols if num_cols >= 0 else None)
    min_rows = max_len - min(hi, 0)
    min_cols = max_len + max(lo, 0)
    if num_rows < 0 and num_cols < 0:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows < 0:
        num_rows = min_rows
    elif num_cols < 0:
        num_cols = min_cols
    if num_rows < min_rows:
        raise ValueError("The number of rows is too small.")
    if num_cols < min_cols:
        raise ValueError("The number of columns is too small.")
    if num_rows != min_rows and num_cols != min_cols:
        raise ValueError("The number of rows or columns is not consistent with the specified "
                         "d_lower, d_upper, and diagonal.")
    return num_rows, num_cols


def _diag_shape(diagonal, k, num_rows, num_cols, padding_value, align):
    if diagonal.shape.rank is None:
        return diagonal.dtype, TensorShape(None)
    dims = diagonal.shape.as_list()
    batch = dims[:-1] if k[0] == k[1] else dims[:-2]
    return diagonal.dtype, TensorShape(batch + list(_diag_sizes(dims, k, num_rows, num_cols)))


def _diag_grad(op, grad):
    return diag_part(grad, k=op.get_attr("k"), align=op.get_attr("align"))


@op("MatrixDiagV3", shape=_diag_shape, grad=_diag_grad)
def _matrix_diag(diagonal, k, num_rows, num_cols, padding_value, align):
    if diagonal.ndim < 1:
        raise ValueError(f"diagonal must be at least 1-dim, received shape: "
                         f"{_dims_text(diagonal.shape)}")
    lo, hi = k
    if lo > hi:
        raise ValueError(f"lower_diag_index must not be larger than upper_diag_index: "
                         f"{lo} > {hi}")
    if lo == hi:
        packed, batch = diagonal[..., None, :], diagonal.shape[:-1]
    else:
        if diagonal.ndim < 2 or diagonal.shape[-2] != hi - lo + 1:
            raise ValueError(f"The number of diagonals provided in the input does not match "
                             f"the lower_diag_index and upper_diag_index range: "
                             f"{_dims_text(diagonal.shape)}, k=({lo}, {hi})")
        packed, batch = diagonal, diagonal.shape[:-2]
    m, n = _diag_sizes(diagonal.shape, k, num_rows, num_cols)
    out = np.full(batch + (m, n), padding_value, dtype=diagonal.dtype)
    _write_diagonals(out, packed, k, align)
    return out


def _write_diagonals(out, packed, k, align):
    """Writes packed diagonals (rows highest diagonal first) into the matrices `out`."""
    m, n = out.shape[-2:]
    max_len = packed.shape[-1]
    for row, d in enumerate(_band_diagonals(k)):
        rows, cols = _diagonal_index(m, n, d)
        start = _pad_before(d, max_len, len(rows), align) if k[0] != k[1] else 0
        out[..., rows, cols] = packed[..., row, start:start + len(rows)]


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """Matrices with the given diagonal(s) and `padding_value` elsewhere.

    >>> tf.linalg.diag([1, 2])   # [[1, 0], [0, 2]]
    """
    d = to_tensor(diagonal)
    attrs = {"k": _diag_k(k), "num_rows": _static_int(num_rows, "num_rows"),
             "num_cols": _static_int(num_cols, "num_cols"),
             "padding_value": _padding(padding_value, d.dtype), "align": _align_attr(align)}
    return execute(_matrix_diag, (d,), attrs, name=name)


def _set_diag_grad(op, grad):
    k, align = op.get_attr("k"), op.get_attr("align")
    diagonal = op.inputs[1]
    return (set_diag(grad, _array.zeros_like(diagonal), k=k, align=align),
            diag_part(grad, k=k, align=align))


@op("MatrixSetDiagV3", shape=lambda x, d, k, align: (x.dtype, x.shape), grad=_set_diag_grad)
def _matrix_set_diag(x, diagonal, k, align):
    if x.ndim < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {_dims_text(x.shape)}")
    m, n = x.shape[-2:]
    _check_k(k, m, n)
    lo, hi = k
    max_len = max(_diagonal_length(m, n, d) for d in range(lo, hi + 1))
    expected = x.shape[:-2] + (() if lo == hi else (hi - lo + 1,)) + (max_len,)
    if diagonal.shape != expected:
        raise ValueError(
            f"Either first dimensions of diagonal don't match input.shape[:-2], or "
            f"diagonal.shape[:-1] is not equal to the longests diagonal in range "
            f"[lower_diag_index:upper_diag_index].\nInput shape: {_dims_text(x.shape)}\n"
            f"Diagonal shape: {_dims_text(diagonal.shape)}\nExpected diagonal shape: "
            f"{_dims_text(expected)}")
    out = x.copy()
    _write_diagonals(out, diagonal[..., None, :] if lo == hi else diagonal, k, align)
    return out


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """`input` with its main (or `k`-th, or a band of) diagonal(s) replaced by `diagonal`."""
    x, d = binary_inputs(input, diagonal, "MatrixSetDiagV3")
    return execute(_matrix_set_diag, (x, d), {"k": _diag_k(k), "align": _align_attr(align)},
                   name=name)


def _identity_like(vector):
    """Identity matrices [..., n, n] for a batch of vectors [..., n]."""
    return diag(_array.ones_like(vector))


def trace(x, name=None):
    """The sum of the main diagonal of each matrix in `x`."""
    return _math.reduce_sum(diag_part(x), axis=-1, name=name)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the last two axes of `a` (conjugating too, if `conjugate`)."""
    a = to_tensor(a)
    rank = a.shape.rank
    if rank is not None and rank < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received "
                         f"`a` = {a.numpy() if isinstance(a, EagerTensor) else a} with shape: "
                         f"{tuple(a.shape.as_list())}")
    if rank is None:
        raise ValueError("matrix_transpose needs an input of known rank")
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    return _array.transpose(a, perm, conjugate=conjugate)


def adjoint(matrix, name=None):
    """The conjugate transpose of each matrix in `matrix`."""
    return matrix_transpose(matrix, conjugate=True)


# ---- cross --------------------------------------------------------------------------------

@op("Cross", shape=lambda a, b: (a.dtype, a.shape.merge_with(b.shape)),
    grad=lambda op, g: (cross(op.inputs[1], g), cross(g, op.inputs[0])),
    dtypes=_dtypes.REAL_NUMERIC)
def _cross(a, b):
    if a.shape != b.shape:
        raise ValueError(f"Both inputs must be of same shape: {_dims_text(a.shape)} vs. "
                         f"{_dims_text(b.shape)}")
    if a.ndim < 1 or a.shape[-1] != 3:
        raise errors.op_error(errors.FailedPreconditionError, "Cross",
                              "Cross-products are only defined for 3-element vectors.")
    return np.cross(a, b)


def cross(a, b, name=None):
    """The cross product of 3-element vectors along the last axis."""
    a, b = binary_inputs(a, b, "Cross")
    return execute(_cross, (a, b), name=name)


# ---- decompositions -------------------------------------------------------------------------

def _decomposed_dims(x):
    """(batch dims, m, n, min(m, n)) of a decomposition's [..., m, n] input of known rank
    (None where a dim is unknown)."""
    if x.shape.rank < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.rank}")
    m, n = x.shape[-2], x.shape[-1]
    k = None if m is None or n is None else min(m, n)
    return _batch_dims(x.shape), m, n, k


def _qr_shape(x, full_matrices):
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * 2
    batch, m, n, k = _decomposed_dims(x)
    cols_q, rows_r = (m, m) if full_matrices else (k, k)
    return [(x.dtype, batch.concatenate([m, cols_q])), (x.dtype, batch.concatenate([rows_r, n]))]


def _copy_lower_to_upper(m):
    """The Hermitian matrix whose lower triangle is that of `m`."""
    lower = band_part(m, -1, 0)
    return _math.subtract(_math.add(lower, adjoint(lower)), diag(diag_part(m)))


def _qr_grad(op, grad_q, grad_r):
    a = op.inputs[0]
    q, r = op.outputs
    m, n = a.shape[-2], a.shape[-1]
    if m is None or n is None or (op.get_attr("full_matrices") and m > n):
        raise NotImplementedError(
            f"The Qr gradient needs static matrix sizes, and full_matrices=False when there "
            f"are more rows than columns; got shape {a.shape} with "
            f"full_matrices={op.get_attr('full_matrices')}")
    if m >= n:
        return _square_qr_grad(q, r, grad_q, grad_r)
    # Wide A = [X | Y] = Q [U | V]: X = QU is a square QR and Y = QV, so V_bar flows
    # to Y as Q V_bar and to Q as Y V_bar^H.
    x, y = _array.split(a, [m, n - m], axis=-1)
    u, _ = _array.split(r, [m, n - m], axis=-1)
    grad_u, grad_v = _array.split(grad_r, [m, n - m], axis=-1)
    grad_q = _math.add(grad_q, matmul(y, grad_v, adjoint_b=True))
    return _array.concat([_square_qr_grad(q, u, grad_q, grad_u), matmul(q, grad_v)], axis=-1)


def _square_qr_grad(q, r, grad_q, grad_r):
    """For A = QR with at least as many rows as columns (reduced): A_bar =
    (Q_bar + Q copyltu(M)) R^-H with M = R R_bar^H - Q_bar^H Q (Walter & Lehmann 2018)."""
    mid = _math.subtract(matmul(r, grad_r, adjoint_b=True), matmul(grad_q, q, adjoint_a=True))
    b = _math.add(grad_q, matmul(q, _copy_lower_to_upper(mid)))
    return adjoint(triangular_solve(r, adjoint(b), lower=False))


@op("Qr", shape=_qr_shape, grad=_qr_grad, num_outputs=2, dtypes=_LINALG_DTYPES)
def _qr(x, full_matrices):
    _check_matrices(x)
    q, r = np.linalg.qr(_for_lapack(x), mode="complete" if full_matrices else "reduced")
    return _like(q, x), _like(r, x)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """(q, r) with input = q @ r, q with orthonormal columns, r upper triangular."""
    return execute(_qr, (to_tensor(input),), {"full_matrices": bool(full_matrices)}, name=name)


def _svd_shape(x, compute_uv, full_matrices):
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * 3
    batch, m, n, k = _decomposed_dims(x)
    s = (x.dtype.real_dtype, batch.concatenate([k]))
    if not compute_uv:
        return [s, (x.dtype, TensorShape([0])), (x.dtype, TensorShape([0]))]
    u_cols, v_cols = (m, n) if full_matrices else (k, k)
    return [s, (x.dtype, batch.concatenate([m, u_cols])),
            (x.dtype, batch.concatenate([n, v_cols]))]


def _reciprocal_gaps(values):
    """F[..., i, j] = 1 / (values_j - values_i) off the diagonal, 0 on it."""
    gaps = _math.subtract(_array.expand_dims(values, -2), _array.expand_dims(values, -1))
    return _math.divide(gaps, _math.add(_math.square(gaps), _identity_like(values)))


def _svd_grad(op, grad_s, grad_u, grad_v):
    # Townsend, "Differentiating the singular value decomposition" (2016), for the
    # reduced real SVD A = U S V^T with distinct singular values.
    a = op.inputs[0]
    if not op.get_attr("compute_uv"):
        s, u, v = svd(a, compute_uv=True, full_matrices=False)
        return matmul(_math.multiply(u, _array.expand_dims(grad_s, -2)), v, adjoint_b=True)
    m, n = a.shape[-2], a.shape[-1]
    if op.get_attr("full_matrices") and m != n:
        raise NotImplementedError(f"The Svd gradient with full_matrices=True is implemented "
                                  f"for square matrices only; got shape {a.shape}")
    if a.dtype.is_complex:
        raise NotImplementedError("The Svd gradient is implemented for real matrices")
    s, u, v = op.outputs
    f = _reciprocal_gaps(_math.square(s))
    s_row = _array.expand_dims(s, -2)          # multiplies columns by s
    ut_gu = matmul(u, grad_u, adjoint_a=True)
    vt_gv = matmul(v, grad_v, adjoint_a=True)
    inner = _math.add_n([
        _math.multiply(_math.multiply(f, _math.subtract(ut_gu, adjoint(ut_gu))), s_row),
        diag(grad_s),
        _math.multiply(matrix_transpose(s_row),
                       _math.multiply(f, _math.subtract(vt_gv, adjoint(vt_gv)))),
    ])
    grad_a = matmul(u, matmul(inner, v, adjoint_b=True))
    # Parts of U_bar and V_bar outside the spans of U and V (tall or wide matrices).
    u_out = _math.divide(_math.subtract(grad_u, matmul(u, ut_gu)), s_row)
    v_out = _math.divide(_math.subtract(grad_v, matmul(v, vt_gv)), s_row)
    return _math.add_n([grad_a, matmul(u_out, v, adjoint_b=True),
                        matmul(u, v_out, adjoint_b=True)])


@op("Svd", shape=_svd_shape, grad=_svd_grad, num_outputs=3, dtypes=_LINALG_DTYPES)
def _svd(x, compute_uv, full_matrices):
    _check_matrices(x)
    a = _for_lapack(x)
    real = x.real if x.dtype.kind == "c" else x   # singular values are real
    if not compute_uv:
        empty = np.zeros((0,), dtype=x.dtype)
        return _like(np.linalg.svd(a, compute_uv=False), real), empty, empty
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return _like(s, real), _like(u, x), _like(_np_adjoint(vh), x)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular values s (descending) and, if `compute_uv`, u and v with
    tensor = u @ diag(s) @ adjoint(v). Returns (s, u, v) or s."""
    s, u, v = execute(_svd, (to_tensor(tensor),), {"compute_uv": bool(compute_uv),
                                                   "full_matrices": bool(full_matrices)},
                      name=name)
    return (s, u, v) if compute_uv else s


def _eigh_shape(x, compute_v):
    _square_shape(x)
    if x.shape.rank is None:
        return [(x.dtype, TensorShape(None))] * 2
    e = (x.dtype, TensorShape(x.shape.as_list()[:-1]))
    return [e, (x.dtype, x.shape if compute_v else TensorShape([0]))]


def _eigh_grad(op, grad_e, grad_v):
    # A_bar = V (diag(e_bar) + F o (V^H V_bar)) V^H for distinct eigenvalues; the op reads
    # the lower triangle only, so the gradient is folded onto it, as TensorFlow does.
    a = op.inputs[0]
    if op.get_attr("compute_v"):
        e, v = op.outputs
        inner = _math.add(diag(grad_e), _math.multiply(_reciprocal_gaps(e),
                                                       matmul(v, grad_v, adjoint_a=True)))
    else:
        e, v = eigh(a)
        inner = diag(grad_e)
    full = matmul(v, matmul(inner, v, adjoint_b=True))
    lower = band_part(_math.add(full, adjoint(full)), -1, 0)
    half = convert_to_tensor(0.5, dtype=a.dtype)
    return set_diag(lower, _math.multiply(half, diag_part(lower)))


@op("SelfAdjointEigV2", shape=_eigh_shape, grad=_eigh_grad, num_outputs=2,
    dtypes=_LINALG_DTYPES)
def _self_adjoint_eig(x, compute_v):
    _check_square(x)
    a = _for_lapack(x)
    if not compute_v:
        return _like(np.linalg.eigvalsh(a), x), np.zeros((0,), dtype=x.dtype)
    e, v = np.linalg.eigh(a)
    return _like(e, x), _like(v, x)


def eigh(tensor, name=None):
    """(e, v): eigenvalues (ascending) and eigenvectors of self-adjoint matrices.

    Only the lower triangle of `tensor` is read.
    """
    return execute(_self_adjoint_eig, (to_tensor(tensor),), {"compute_v": True}, name=name)


def eigvalsh(tensor, name=None):
    """The eigenvalues (ascending) of self-adjoint matrices."""
    return execute(_self_adjoint_eig, (to_tensor(tensor),), {"compute_v": False},
                   name=name)[0]


# ---- norms ---------------------------------------------------------------------------------

_MATRIX_ORDS = ("euclidean", "fro", 1, 2, np.inf)


def _norm_axes(axis):
    """axis validated as TensorFlow does: None, an int, or two distinct ints."""
    if isinstance(axis, (list, tuple)) and len(axis) == 2 and \
            all(isinstance(a, numbers.Integral) for a in axis) and axis[0] != axis[1]:
        return tuple(int(a) for a in axis)
    if axis is None or isinstance(axis, numbers.Integral):
        return axis
    raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                     f"got {axis}")


def _is_ord(ord, value):  # noqa: A002
    return isinstance(ord, str) == isinstance(value, str) and ord == value


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """The vector or matrix norm of `tensor`.

    Vector norms (axis None or an int): ord 'euclidean' (= 2), 1, np.inf or any
    p > 0. Matrix norms (axis a pair): 'euclidean'/'fro' (Frobenius), 1 (max
    column sum), 2 (largest singular value), np.inf (max row sum).
    """
    axis = _norm_axes(axis)
    keepdims = bool(keepdims)
    if isinstance(axis, tuple):
        if not any(_is_ord(ord, o) for o in _MATRIX_ORDS):
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', "
                             f"1, 2, inf], got {ord}")
    elif (isinstance(ord, str) and ord != "euclidean") or \
            (not isinstance(ord, str) and not (isinstance(ord, numbers.Real) and ord > 0)):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    x = to_tensor(tensor)
    if _is_ord(ord, "euclidean") or _is_ord(ord, "fro") or \
            (_is_ord(ord, 2) and not isinstance(axis, tuple)):
        # sqrt(sum |x|^2): the gradient at 0 is NaN, as TensorFlow's.
        return _math.sqrt(_math.reduce_sum(_math.multiply(x, _conj(x)), axis=axis,
                                           keepdims=keepdims), name=name)
    if isinstance(axis, tuple):
        return _matrix_norm(x, ord, axis, keepdims)
    if _is_ord(ord, 1):
        return _math.reduce_sum(_math.abs(x), axis=axis, keepdims=keepdims, name=name)
    if _is_ord(ord, np.inf):
        return _math.reduce_max(_math.abs(x), axis=axis, keepdims=keepdims, name=name)
    magnitude = _math.abs(x)
    p = convert_to_tensor(ord, dtype=magnitude.dtype)
    total = _math.reduce_sum(_math.pow(magnitude, p), axis=axis, keepdims=keepdims)
    return _math.pow(total, _math.truediv(convert_to_tensor(1, dtype=p.dtype), p), name=name)


def _matrix_norm(x, ord, axis, keepdims):  # noqa: A002
    rank = x.shape.rank
    if rank is None:
        raise ValueError("A matrix norm needs an input of known rank")
    rows, cols = (a % rank for a in axis)
    if _is_ord(ord, 2):
        # The largest singular value of the matrices moved to the last two axes.
        batch = [i for i in range(rank) if i not in (rows, cols)]
        s = svd(_array.transpose(x, batch + [rows, cols]), compute_uv=False)
        result = _math.reduce_max(s, axis=-1)
        if keepdims:
            for a in sorted((rows, cols)):
                result = _array.expand_dims(result, a)
        return result
    # 1: the largest column sum of |x|; inf: the largest row sum.
    summed, maxed = (rows, cols) if _is_ord(ord, 1) else (cols, rows)
    sums = _math.reduce_sum(_math.abs(x), axis=summed, keepdims=keepdims)
    if not keepdims and maxed > summed:
        maxed -= 1
    return _math.reduce_max(sums, axis=maxed, keepdims=keepdims)
