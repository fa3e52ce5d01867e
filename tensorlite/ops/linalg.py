"""Linear algebra (`tf.linalg`): matmul and friends."""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import binary_inputs, broadcast_shape

__all__ = ["matmul"]

_MATMUL_DTYPES = _dtypes.FLOATING | _dtypes.COMPLEX | {_dtypes.int32, _dtypes.int64,
                                                        _dtypes.int16, _dtypes.int8}


def _matmul_shape(a, b, transpose_a=False, transpose_b=False):
    if a.shape.rank is None or b.shape.rank is None:
        return a.dtype, TensorShape(None)
    da, db = a.shape.as_list(), b.shape.as_list()
    if len(da) < 2 or len(db) < 2:
        raise ValueError(f"Shape must be rank >= 2 for MatMul, but is rank "
                         f"{min(len(da), len(db))}")
    m, ka = (da[-1], da[-2]) if transpose_a else (da[-2], da[-1])
    kb, n = (db[-1], db[-2]) if transpose_b else (db[-2], db[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(f"Dimensions must be equal, but are {ka} and {kb} for 'MatMul' "
                         f"with input shapes: {a.shape}, {b.shape}.")
    batch = broadcast_shape(TensorShape(da[:-2]), TensorShape(db[:-2]))
    return a.dtype, batch.concatenate([m, n])


def _matmul_grad(op, grad):
    from tensorlite.ops._helpers import unbroadcast
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    need_a, need_b = op.needs_grad or (True, True)
    ga = gb = None
    if need_a:
        if not ta:
            ga = matmul(grad, b, transpose_b=not tb)
        else:
            ga = matmul(b, grad, transpose_a=tb, transpose_b=True)
        ga = unbroadcast(ga, a.shape)
    if need_b:
        if not tb:
            gb = matmul(a, grad, transpose_a=not ta)
        else:
            gb = matmul(grad, a, transpose_a=True, transpose_b=ta)
        gb = unbroadcast(gb, b.shape)
    return ga, gb


@op("BatchMatMulV2", shape=_matmul_shape, grad=_matmul_grad, dtypes=_MATMUL_DTYPES)
def _batch_matmul(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return _checked_matmul(a, b)


@op("MatMul", shape=_matmul_shape, grad=_matmul_grad, dtypes=_MATMUL_DTYPES)
def _matmul(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = a.T
    if transpose_b:
        b = b.T
    return _checked_matmul(a, b)


def _checked_matmul(a, b):
    if a.shape[-1] != b.shape[-2]:
        raise ValueError(f"Matrix size-incompatible: In[0]: [{','.join(map(str, a.shape))}], "
                         f"In[1]: [{','.join(map(str, b.shape))}]")
    return np.matmul(a, b)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    """The matrix product a @ b, over the last two axes with batch broadcasting."""
    a, b = binary_inputs(a, b, "MatMul")
    if adjoint_a:
        a, transpose_a = _conj(a), True
    if adjoint_b:
        b, transpose_b = _conj(b), True
    ra, rb = a.shape.rank, b.shape.rank
    if ra is not None and rb is not None and (ra < 2 or rb < 2):
        raise errors.op_error(
            errors.InvalidArgumentError, "MatMul",
            f"In[0] and In[1] has different ndims: {a.shape} vs. {b.shape}"
            if ra != rb else f"In[0] ndims must be >= 2: {ra}")
    opdef = _matmul if ra == 2 and rb == 2 else _batch_matmul
    attrs = {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b)}
    return execute(opdef, (a, b), attrs, name=name)


def _conj(x):
    if x.dtype.is_complex:
        from tensorlite.ops import math as _math
        return _math.conj(x)
    return x
