"""`tf.linalg`: the public names of the linear-algebra ops."""
from tensorlite.ops.array import eye  # noqa: F401 - tf.eye, also under tf.linalg
from tensorlite.ops.linalg import (adjoint, band_part, cholesky, cholesky_solve,  # noqa: F401
                                   cross, det, diag, diag_part, eigh, eigvalsh, einsum, inv,
                                   logdet, matmul, matrix_transpose, matvec, norm, qr,
                                   set_diag, slogdet, solve, svd, tensordot, trace,
                                   triangular_solve)
from tensorlite.ops.nn import l2_normalize  # noqa: F401 - tf.nn's, also under tf.linalg
