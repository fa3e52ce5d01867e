"""tf.linalg: values against NumPy (and TensorFlow where they differ), gradients by
central differences, TensorFlow's errors."""
import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite.framework.op_registry import REGISTRY
from tensorlite.framework.tensor_shape import TensorShape

InvalidArgumentError = tf.errors.InvalidArgumentError


def rand(*shape):
    return np.random.rand(*shape)


def well_conditioned(n, batch=()):
    return rand(*batch, n, n) + n * np.eye(n)


def spd(n):
    a = rand(n, n)
    return a @ a.T + n * np.eye(n)


def symmetrize(a):
    """Operators reading one triangle get symmetric perturbations through this."""
    return (a + tf.linalg.matrix_transpose(a)) / 2


# ---- matmul ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32, np.int64,
                                   np.complex64])
def test_matmul_dtypes(dtype):
    a = (rand(2, 3) * 4).astype(dtype)
    b = (rand(3, 4) * 4).astype(dtype)
    assert_tensor(tf.matmul(a, b), a @ b, dtype=dtype, rtol=1e-2 if dtype == np.float16 else 1e-6)


@pytest.mark.parametrize("sa,sb", [((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((3, 4), (5, 4, 2)),
                                   ((2, 1, 2, 3), (4, 3, 2)), ((0, 3), (3, 2)),
                                   ((2, 0), (0, 3)), ((0, 2, 3), (3, 2))])
def test_matmul_shapes(sa, sb):
    a, b = rand(*sa), rand(*sb)
    assert_tensor(tf.matmul(a, b), np.matmul(a, b))
    assert_tensor(tf.constant(a) @ tf.constant(b), np.matmul(a, b))


@pytest.mark.parametrize("batch", [(), (2,)])
@pytest.mark.parametrize("flags", [dict(transpose_a=True), dict(transpose_b=True),
                                   dict(adjoint_a=True, transpose_b=True),
                                   dict(adjoint_a=True, adjoint_b=True), dict(adjoint_b=True)])
def test_matmul_transposes(batch, flags):
    x = rand(*batch, 2, 3) + 1j * rand(*batch, 2, 3)    # op(a)
    y = rand(*batch, 3, 4) + 1j * rand(*batch, 3, 4)    # op(b)

    def stored(m, transpose, adjoint):
        m = np.swapaxes(m, -1, -2) if transpose or adjoint else m
        return m.conj() if adjoint else m
    a = stored(x, flags.get("transpose_a"), flags.get("adjoint_a"))
    b = stored(y, flags.get("transpose_b"), flags.get("adjoint_b"))
    assert_tensor(tf.matmul(a, b, **flags), x @ y)
    assert_tensor(tf.matmul(a.real, b.real, **flags), x.real @ y.real)


def test_matmul_output_type():
    a = np.array([[100, 100]], np.int8)
    out = tf.matmul(a, a.T.copy(), output_type=tf.int32)
    assert_tensor(out, [[20000]], dtype=np.int32)


def test_matmul_errors():
    with pytest.raises(InvalidArgumentError,
                       match=r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\] "
                             r"\[Op:MatMul\]"):
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
    with pytest.raises(InvalidArgumentError, match=r"In\[0\]: \[1,2,3\], In\[1\]: \[1,2,2\] 0 1 "
                                                   r"\[Op:BatchMatMulV2\]"):
        tf.matmul(tf.ones([1, 2, 3]), tf.ones([1, 2, 2]), adjoint_b=True)
    with pytest.raises(InvalidArgumentError, match="compatible batch dimensions: "
                                                   r"\[4,2,3\] vs. \[3,3,2\]"):
        tf.matmul(tf.ones([4, 2, 3]), tf.ones([3, 3, 2]))
    with pytest.raises(InvalidArgumentError, match=r"In\[0\] ndims must be >= 2 \[Op:MatMul\]"):
        tf.matmul(tf.ones([3]), tf.ones([3, 2]))
    with pytest.raises(InvalidArgumentError, match=r"In\[1\] ndims must be >= 2: 1"):
        tf.matmul(tf.ones([2, 2, 3]), tf.ones([3]))
    with pytest.raises(InvalidArgumentError, match="expected to be a float tensor but is a "
                                                   r"double tensor \[Op:MatMul\]"):
        tf.matmul(tf.ones([2, 3]), tf.ones([3, 2], tf.float64))
    with pytest.raises(InvalidArgumentError, match=r"double tensor \[Op:BatchMatMulV2\]"):
        tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 2], tf.float64))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int8 is not in the list"):
        tf.matmul(tf.ones([2, 3], tf.int8), tf.ones([3, 2], tf.int8))
    with pytest.raises(ValueError, match="Only one of `transpose_a` and `adjoint_a`"):
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]), transpose_a=True, adjoint_a=True)


@pytest.mark.parametrize("flags", [{}, dict(transpose_a=True), dict(transpose_b=True),
                                   dict(transpose_a=True, transpose_b=True)])
def test_matmul_gradient(flags):
    sa = (3, 2) if flags.get("transpose_a") else (2, 3)
    sb = (4, 3) if flags.get("transpose_b") else (3, 4)
    check_gradients(lambda a, b: tf.matmul(a, b, **flags), rand(*sa), rand(*sb))


@pytest.mark.parametrize("flags", [{}, dict(adjoint_a=True), dict(transpose_b=True),
                                   dict(adjoint_a=True, adjoint_b=True)])
def test_batch_matmul_gradient_broadcasts(flags):
    sa = (2, 1, 3, 2) if flags.get("adjoint_a") else (2, 1, 2, 3)
    sb = (4, 4, 3) if flags.get("transpose_b") or flags.get("adjoint_b") else (4, 3, 4)
    check_gradients(lambda a, b: tf.matmul(a, b, **flags), rand(*sa), rand(*sb))


def test_matmul_second_order():
    check_second_order(lambda x: tf.matmul(tf.matmul(x, x), x, transpose_b=True), rand(3, 3))
    check_second_order(lambda x: tf.matmul(x, tf.matmul(x, x)), rand(2, 3, 3))


def check_complex_gradients(fn, *args, eps=1e-6):
    """Tape gradients of complex ops with upstream gradient w equal TensorFlow's convention:
    dL/dRe(z) + i dL/dIm(z) for L = Re(sum(conj(w) * fn(...)))."""
    tensors = [tf.constant(a) for a in args]
    w = rand(*fn(*tensors).shape) + 1j * rand(*fn(*tensors).shape)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(tensors)
        out = fn(*tensors)
    for i, a in enumerate(args):
        expected = np.zeros_like(a)
        for k in np.ndindex(a.shape):
            for step in (1, 1j):
                plus, minus = [np.array(x) for x in args], [np.array(x) for x in args]
                plus[i][k] += eps * step
                minus[i][k] -= eps * step
                diff = [np.sum(np.conj(w) * fn(*[tf.constant(x) for x in xs]).numpy()).real
                        for xs in (plus, minus)]
                expected[k] += step * (diff[0] - diff[1]) / (2 * eps)
        got = tape.gradient(out, tensors[i], output_gradients=tf.constant(w))
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("flags", [{}, dict(transpose_a=True), dict(adjoint_b=True),
                                   dict(adjoint_a=True, transpose_b=True)])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_complex_matmul_gradient(flags, batch):
    def c(*shape):
        return rand(*shape) + 1j * rand(*shape)
    sa = (3, 2) if flags.get("transpose_a") or flags.get("adjoint_a") else (2, 3)
    sb = (4, 3) if flags.get("transpose_b") or flags.get("adjoint_b") else (3, 4)
    check_complex_gradients(lambda a, b: tf.matmul(a, b, **flags), c(*batch, *sa), c(*sb))


def test_complex_gradients_of_einsum_inverse_solve():
    def c(*shape):
        return rand(*shape) + 1j * rand(*shape)
    check_complex_gradients(lambda a, b: tf.einsum("bij,jk->bik", a, b), c(2, 2, 3), c(3, 2))
    check_complex_gradients(lambda a: tf.linalg.inv(a), c(3, 3) + 3 * np.eye(3))
    check_complex_gradients(lambda a, b: tf.linalg.solve(a, b), c(3, 3) + 3 * np.eye(3),
                            c(3, 2))


def test_matmul_gradient_in_a_traced_function_with_unknown_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 2, 3], tf.float64),
                                  tf.TensorSpec([3, 4], tf.float64)])
    def grads(x, w):
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = tf.matmul(x, w) + tf.einsum("bij,jk->bik", x, w)
        return tape.gradient(y, [x, w])
    x, w = rand(5, 2, 3), rand(3, 4)
    gx, gw = grads(tf.constant(x), tf.constant(w))
    assert_tensor(gw, 2 * np.einsum("bij,bik->jk", x, np.ones((5, 2, 4))))
    assert_tensor(gx, 2 * np.ones((5, 2, 4)) @ w.T)


def test_matmul_shape_rules_with_unknown_dims():
    spec = _specs([None, 2, 3], [3, None])
    assert REGISTRY["BatchMatMulV2"].shape_fn(*spec)[1].as_list() == [None, 2, None]
    spec = _specs([None, 3], [4, 5])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        REGISTRY["MatMul"].shape_fn(*spec)
    assert REGISTRY["MatMul"].shape_fn(*_specs(None, [3, 5]))[1].as_list() == [None, None]


class _Spec:
    def __init__(self, dims, dtype=tf.float32):
        self.shape, self.dtype, self.value = TensorShape(dims), dtype, None


def _specs(*shapes):
    return [_Spec(s) for s in shapes]


# ---- matvec, tensordot --------------------------------------------------------------------

def test_matvec():
    a, b = rand(4, 2, 3), rand(3)
    assert_tensor(tf.linalg.matvec(a, b), a @ b)
    b = rand(4, 2)
    assert_tensor(tf.linalg.matvec(a, b, transpose_a=True), np.einsum("bij,bi->bj", a, b))
    check_gradients(lambda a, b: tf.linalg.matvec(a, b), rand(2, 3), rand(3))
    with pytest.raises(InvalidArgumentError, match="Matrix size-incompatible"):
        tf.linalg.matvec(tf.ones([2, 3]), tf.ones([2]))


@pytest.mark.parametrize("sa,sb,axes", [((2, 3), (3, 4), 1), ((2, 3), (3, 4), [[1], [0]]),
                                        ((2, 3), (3, 4), [1, 0]), ((2, 3), (4, 5), 0),
                                        ((2, 3, 4), (4, 3, 5), [[1, 2], [1, 0]]),
                                        ((3, 2, 3), (3, 3, 2), [[0, 2], [1, 0]]),
                                        ((2, 3), (2, 3), 2), ((), (), 0),
                                        ((2, 3), (3, 4), [[-1], [0]])])
def test_tensordot(sa, sb, axes):
    a, b = rand(*sa), rand(*sb)
    assert_tensor(tf.tensordot(a, b, axes), np.tensordot(a, b, axes), rtol=1e-10)


def test_tensordot_gradient_and_errors():
    check_gradients(lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]), rand(3, 2, 4),
                    rand(4, 3, 5))
    with pytest.raises(ValueError, match="`axes` must be at least 0. Received: -1."):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), -1)
    with pytest.raises(ValueError, match="Different number of contraction axes `a` and `b`, "
                                         "2 != 1."):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), [[1, 0], [0]])
    with pytest.raises(ValueError, match="must be an integer or have length 2"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), [[1], [0], [1]])
    with pytest.raises(InvalidArgumentError, match=r"In\[0\]: \[3,2\], In\[1\]: \[3,4\]"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), [[0], [0]])


# ---- einsum ----------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]), ("ii->", [(3, 3)]), ("ij->", [(2, 3)]), ("ij->ji", [(2, 3)]),
    ("i,j->ij", [(3,), (2,)]), ("i,i->", [(3,), (3,)]), ("iij,jk->ik", [(3, 3, 2), (2, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]), ("...ij->...ji", [(2, 3, 4)]),
    ("...i,...i->...", [(3, 1, 4), (2, 4)]), ("...ii->...", [(2, 3, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("b i j, b k j -> b i k", [(2, 2, 3), (2, 4, 3)]),
    ("bA", [(2, 3)]), ("i->", [(0,)]), ("->", [()]), (",->", [(), ()]),
]


@pytest.mark.parametrize("equation,shapes", EINSUM_CASES)
def test_einsum_values(equation, shapes):
    xs = [rand(*s) for s in shapes]
    assert_tensor(tf.einsum(equation, *xs), np.einsum(equation.replace(" ", ""), *xs),
                  rtol=1e-10)


# Scalars and empty operands have no central differences to compare with.
@pytest.mark.parametrize("equation,shapes",
                         [c for c in EINSUM_CASES if all(s and all(s) for s in c[1])])
def test_einsum_gradient(equation, shapes):
    check_gradients(lambda *xs: tf.einsum(equation, *xs), *[rand(*s) for s in shapes])


def test_einsum_dtypes_and_second_order():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    assert_tensor(tf.einsum("ij,kj->ik", a, a), a @ a.T, dtype=np.int32)
    assert_tensor(tf.einsum("ij->j", a.astype(np.float16)), a.sum(0), dtype=np.float16)
    check_second_order(lambda x: tf.einsum("ij,jk,kl->il", x, x, x), rand(3, 3))
    check_second_order(lambda x: tf.einsum("ii,ij->j", x, x), rand(3, 3))


def test_einsum_errors():
    a, b = tf.ones([2, 3]), tf.ones([3, 4])
    with pytest.raises(InvalidArgumentError, match=r"Expected dimension 3 at axis 1 of the input "
                                                   r"shaped \[3,4\] but got dimension 4"):
        tf.einsum("ij,kj->ik", a, b)
    with pytest.raises(InvalidArgumentError, match=r"Expected dimension 3 at axis 0 of the input "
                                                   r"shaped \[1\] but got dimension 1"):
        tf.einsum("i,i->", tf.ones([3]), tf.ones([1]))
    with pytest.raises(InvalidArgumentError, match="Expected input 0 to have rank 3 but got: 2"):
        tf.einsum("ijk,jk->i", a, b)
    with pytest.raises(InvalidArgumentError, match="Output contains 1 broadcasting dimension"):
        tf.einsum("...ij,jk->ik", tf.ones([5, 2, 3]), b)
    with pytest.raises(ValueError, match="label appearing more than once: ij,jk->ii"):
        tf.einsum("ij,jk->ii", a, b)
    with pytest.raises(ValueError, match="the label z not present"):
        tf.einsum("ij,jk->iz", a, b)
    with pytest.raises(ValueError, match='Got 1 inputs for equation "ij,jk->ik", expecting 2'):
        tf.einsum("ij,jk->ik", a)
    with pytest.raises(InvalidArgumentError, match="expected to be a float tensor but is a "
                                                   "double tensor"):
        tf.einsum("ij,jk->ik", a, tf.ones([3, 4], tf.float64))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of bool"):
        tf.einsum("ij->i", tf.ones([2, 2], tf.bool))


def test_einsum_shape_rule_unknown_dims():
    rule = REGISTRY["Einsum"].shape_fn
    dtype, shape = rule(*_specs([None, 2, 3], [4, 3, None]), equation="...ij,...jk->...ik")
    assert rule(*_specs([None, 1, 2, 3], [3, 2]), equation="...ij,...jk->...ik")[1].as_list() \
        == [None, 1, 2, 2]
    assert shape.as_list() == [4, 2, None]
    assert rule(*_specs(None, [3, 5]), equation="ij,jk->ik")[1].as_list() == [None, 5]


# ---- norm ------------------------------------------------------------------------------------

X = np.array([[1., -2.], [3., 4.]])


@pytest.mark.parametrize("ord,axis,expected", [
    ("euclidean", None, 5.4772256), ("euclidean", 0, [3.1622777, 4.472136]),
    (2, -1, [2.236068, 5.]), ("euclidean", [0, 1], 5.4772256), ("fro", (0, 1), 5.4772256),
    (1, None, 10.), (1, 0, [4., 6.]), (1, [0, 1], 6.), (1, [1, 0], 7.), (1, [-2, -1], 6.),
    (2, None, 5.4772256), (2, [0, 1], 5.1166735), (np.inf, None, 4.), (np.inf, -1, [2., 4.]),
    (np.inf, [0, 1], 7.), (np.inf, [1, 0], 6.), (3, -1, [2.0800838, 4.4979415]),
    (0.5, None, 37.77657)])
def test_norm_values_as_tensorflow(ord, axis, expected):
    assert_tensor(tf.norm(X.astype(np.float32), ord=ord, axis=axis), np.float32(expected),
                  dtype=tf.float32, rtol=1e-5)
    assert_tensor(tf.linalg.norm(X, ord=ord, axis=axis), expected, rtol=1e-6)


def test_norm_keepdims_and_batches():
    x = rand(2, 3, 4)
    assert_tensor(tf.norm(x, keepdims=True), np.linalg.norm(x.ravel()).reshape(1, 1, 1))
    assert_tensor(tf.norm(x, axis=1, keepdims=True), np.linalg.norm(x, axis=1, keepdims=True))
    for ord in (1, 2, np.inf, "fro"):
        expected = np.linalg.norm(x, ord=ord, axis=(1, 2), keepdims=True)
        assert_tensor(tf.norm(x, ord=ord, axis=[1, 2], keepdims=True), expected)
        assert_tensor(tf.norm(x, ord=ord, axis=[2, 0]), np.linalg.norm(x, ord=ord, axis=(2, 0)))
    assert_tensor(tf.norm(tf.zeros([0])), np.float32(0.))
    assert_tensor(tf.norm(3.), np.float32(3.))


def test_norm_errors():
    with pytest.raises(ValueError, match="'ord' must be a supported vector norm, got fro"):
        tf.norm(X, ord="fro")
    with pytest.raises(ValueError, match="'ord' must be a supported vector norm, got 0"):
        tf.norm(X, ord=0)
    with pytest.raises(ValueError, match=r"'ord' must be a supported matrix norm in \['euclidean'"
                                         r", 'fro', 1, 2, inf\], got nuc"):
        tf.norm(X, ord="nuc", axis=[0, 1])
    with pytest.raises(ValueError, match=r"'axis' must be None, an integer, or a tuple of 2 "
                                         r"unique integers, got \[0, 1, 2\]"):
        tf.norm(tf.ones([2, 3, 4]), axis=[0, 1, 2])
    with pytest.raises(ValueError, match=r"got \(0, 0\)"):
        tf.norm(tf.ones([2, 3]), axis=(0, 0))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.norm(tf.ones([3], tf.int32))


@pytest.mark.parametrize("ord,axis", [("euclidean", None), (1, None), (np.inf, 1), (3, -1),
                                      ("fro", (0, 1)), (1, (0, 1)), (np.inf, (1, 0)),
                                      (2, (0, 1))])
def test_norm_gradient(ord, axis):
    check_gradients(lambda x: tf.norm(x, ord=ord, axis=axis), rand(3, 4) - 0.5)


def test_norm_gradient_at_zero_as_tensorflow():
    z = tf.zeros([3])
    for ord, expected in (("euclidean", np.nan), (1, 0.), (np.inf, 0.), (3, np.nan)):
        with tf.GradientTape() as tape:
            tape.watch(z)
            n = tf.norm(z, ord=ord)
        np.testing.assert_array_equal(tape.gradient(n, z).numpy(), np.full(3, expected))


def test_matrix_2_norm_gradient_as_tensorflow():
    m = np.array([[1., 2, 0.5], [0.3, 1, 2], [2, 0.1, 1], [1, 1, 1]])
    x = tf.constant(m)
    with tf.GradientTape() as tape:
        tape.watch(x)
        n = tf.norm(x, ord=2, axis=[0, 1])
    expected = [[0.302278549429281, 0.3001607450636608, 0.3216748885474541],
                [0.29396621164498477, 0.29190664464116656, 0.31282917212007044],
                [0.27181031461136107, 0.2699059748161907, 0.28925159533727873],
                [0.2626763669739558, 0.2608360208502463, 0.2795315487318943]]
    assert_tensor(tape.gradient(n, x), expected, rtol=1e-8)


# ---- inverse, determinants -------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.complex128])
def test_inv(dtype):
    a = well_conditioned(3, (2,))
    if dtype == np.complex128:
        a = a + 1j * rand(2, 3, 3)
    tol = 1e-2 if dtype == np.float16 else 1e-5
    assert_tensor(tf.linalg.inv(a.astype(dtype)), np.linalg.inv(a), dtype=dtype, rtol=tol,
                  atol=tol)
    adj = np.swapaxes(a, -1, -2).conj()
    assert_tensor(tf.linalg.inv(a.astype(dtype), adjoint=True), np.linalg.inv(adj), rtol=tol,
                  atol=tol)
    assert_tensor(tf.linalg.inv(np.zeros((3, 0, 0), dtype)), np.zeros((3, 0, 0)), dtype=dtype)


def test_inv_errors():
    with pytest.raises(InvalidArgumentError, match=r"Input is not invertible. \[Op:MatrixInverse"):
        tf.linalg.inv([[1., 2.], [2., 4.]])
    with pytest.raises(InvalidArgumentError, match="Input matrix must be square."):
        tf.linalg.inv(tf.ones([2, 3]))
    with pytest.raises(InvalidArgumentError, match="Input tensor 0 must have rank >= 2, got 1"):
        tf.linalg.inv(tf.ones([3]))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32 is not in the list"):
        tf.linalg.inv(tf.ones([2, 2], tf.int32))


def test_inv_gradients():
    check_gradients(lambda a: tf.linalg.inv(a), well_conditioned(3, (2,)))
    check_gradients(lambda a: tf.linalg.inv(a, adjoint=True), well_conditioned(3))
    check_second_order(lambda a: tf.linalg.inv(a), well_conditioned(3))


def test_det_and_slogdet():
    a = rand(2, 3, 3) - 0.5
    assert_tensor(tf.linalg.det(a), np.linalg.det(a))
    assert_tensor(tf.linalg.det(a.astype(np.float32)), np.linalg.det(a), dtype=np.float32,
                  rtol=1e-5)
    assert_tensor(tf.linalg.det(np.zeros((0, 0))), 1.)
    sign, log_abs = tf.linalg.slogdet(a)
    expected = np.linalg.slogdet(a)
    assert_tensor(sign, expected.sign)
    assert_tensor(log_abs, expected.logabsdet)
    sign, log_abs = tf.linalg.slogdet([[1., 2.], [2., 4.]])
    assert (sign.numpy(), log_abs.numpy()) == (0., -np.inf)
    with pytest.raises(InvalidArgumentError, match=r"must be square. \[Op:MatrixDeterminant\]"):
        tf.linalg.det(tf.ones([2, 3]))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.linalg.slogdet(tf.ones([2, 2], tf.int32))


def test_det_gradients():
    check_gradients(lambda a: tf.linalg.det(a), rand(2, 3, 3))
    check_gradients(lambda a: tf.linalg.slogdet(a)[1], rand(2, 3, 3) - 0.5)
    check_second_order(lambda a: tf.linalg.det(a), well_conditioned(3))


def test_logdet():
    a = spd(3)
    assert_tensor(tf.linalg.logdet(a), np.log(np.linalg.det(a)))
    assert_tensor(tf.linalg.logdet([[2., 1.], [1., 4.]]), np.float32(1.9459102))
    check_gradients(lambda a: tf.linalg.logdet(symmetrize(a)), a)


# ---- cholesky, solves ---------------------------------------------------------------------------

def test_cholesky():
    a = np.stack([spd(3), spd(3)])
    assert_tensor(tf.linalg.cholesky(a), np.linalg.cholesky(a))
    # Only the lower triangle is read.
    upper_garbage = a + np.triu(np.full((3, 3), 100.), 1)
    assert_tensor(tf.linalg.cholesky(upper_garbage), np.linalg.cholesky(a))
    # Not positive definite: NaN factors, no error, the rest of the batch factored.
    out = tf.linalg.cholesky(np.stack([[[4., 2.], [2., -1.]], [[4., 2.], [2., 3.]]])).numpy()
    assert np.isnan(out[0]).all()
    np.testing.assert_allclose(out[1], [[2., 0.], [1., np.sqrt(2.)]])
    with pytest.raises(InvalidArgumentError, match=r"must be square. \[Op:Cholesky\]"):
        tf.linalg.cholesky(tf.ones([2, 3]))


def test_cholesky_gradient():
    check_gradients(lambda a: tf.linalg.cholesky(symmetrize(a)), spd(4))
    a = tf.constant([[4., 2., 0.6], [2., 3., 0.4], [0.6, 0.4, 2.]], tf.float64)
    weights = tf.constant(np.arange(1., 10.).reshape(3, 3))
    with tf.GradientTape() as tape:
        tape.watch(a)
        out = tf.linalg.cholesky(a) * weights
    expected = [[0.36929353042559915, -0.2170596420638956, -0.07175806262434298],
                [-0.2170596420638956, 1.6344964867340839, 2.6654093246456902],
                [-0.07175806262434298, 2.6654093246456902, 3.2603560020099827]]
    assert_tensor(tape.gradient(out, a), expected, rtol=1e-8)   # TensorFlow's values


def test_solve():
    a, b = well_conditioned(3, (2,)), rand(2, 3, 4)
    assert_tensor(tf.linalg.solve(a, b), np.linalg.solve(a, b))
    assert_tensor(tf.linalg.solve(a, b, adjoint=True),
                  np.linalg.solve(np.swapaxes(a, -1, -2), b))
    pd = spd(3)
    assert_tensor(tf.linalg.cholesky_solve(np.linalg.cholesky(pd), b[0]),
                  np.linalg.solve(pd, b[0]))
    with pytest.raises(InvalidArgumentError, match=r"Input matrix is not invertible. "
                                                   r"\[Op:MatrixSolve\]"):
        tf.linalg.solve([[1., 2.], [2., 4.]], tf.ones([2, 1]))
    with pytest.raises(InvalidArgumentError, match="Input matrix and rhs are incompatible."):
        tf.linalg.solve(np.eye(2, dtype=np.float32), tf.ones([3, 1]))
    with pytest.raises(InvalidArgumentError, match="All input tensors must have the same rank."):
        tf.linalg.solve(np.eye(2, dtype=np.float32), tf.ones([2]))
    with pytest.raises(InvalidArgumentError, match="must have the same outer dimensions"):
        tf.linalg.solve(np.ones((3, 2, 2), np.float32), tf.ones([1, 2, 1]))


def test_solve_gradients():
    check_gradients(lambda a, b: tf.linalg.solve(a, b), well_conditioned(3, (2,)), rand(2, 3, 2))
    check_gradients(lambda a, b: tf.linalg.solve(a, b, adjoint=True), well_conditioned(3),
                    rand(3, 2))
    check_gradients(lambda c, b: tf.linalg.cholesky_solve(c, b),
                    np.tril(well_conditioned(3)), rand(3, 2))


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_triangular_solve(lower, adjoint):
    a, b = well_conditioned(3, (2, 1)), rand(3, 3, 2)
    tri = np.tril(a) if lower else np.triu(a)
    if adjoint:
        tri = np.swapaxes(tri, -1, -2)
    assert_tensor(tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint),
                  np.linalg.solve(tri, b))
    check_gradients(lambda a, b: tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint),
                    a, b)


def test_triangular_solve_singular_and_errors():
    out = tf.linalg.triangular_solve([[1., 0.], [2., 0.]], tf.ones([2, 1]))
    assert_tensor(out, np.float32([[1.], [-np.inf]]))
    with pytest.raises(InvalidArgumentError, match=r"In\[0\] mismatch In\[1\] shape: 2 vs. 3: "
                                                   r"\[2,2\] \[3,1\] 1 0"):
        tf.linalg.triangular_solve(np.eye(2, dtype=np.float32), tf.ones([3, 1]))
    with pytest.raises(InvalidArgumentError, match=r"compatible batch dimensions: \[3,2,2\] vs. "
                                                   r"\[2,2,2\]"):
        tf.linalg.triangular_solve(tf.ones([3, 2, 2]), tf.ones([2, 2, 2]))


# ---- bands, diagonals, trace ----------------------------------------------------------

M = np.arange(1., 13.).reshape(3, 4)


def test_band_part():
    assert_tensor(tf.linalg.band_part(M, 1, 0), [[1, 0, 0, 0], [5, 6, 0, 0], [0, 10, 11, 0]])
    assert_tensor(tf.linalg.band_part(M, -1, 0), np.tril(M))
    assert_tensor(tf.linalg.band_part(M, 0, -1), np.triu(M))
    assert_tensor(tf.linalg.band_part(M.astype(np.int32), tf.constant(0, tf.int64), 1),
                  np.triu(np.tril(M, 1)).astype(np.int32), dtype=np.int32)
    assert_tensor(tf.linalg.band_part(np.ones((2, 2), bool), 1, 0), [[True, False], [True, True]])
    with pytest.raises(InvalidArgumentError, match=r"num_lower must be negative or less or equal "
                                                   r"to number of rows \(3\) got: 5"):
        tf.linalg.band_part(M, 5, 0)
    with pytest.raises(InvalidArgumentError, match=r"columns \(4\) got: 7"):
        tf.linalg.band_part(M, 1, 7)
    with pytest.raises(InvalidArgumentError, match=r"at least 2-dim, received shape: \[3\]"):
        tf.linalg.band_part(tf.ones([3]), 1, 0)
    check_gradients(lambda x: tf.linalg.band_part(x, 1, 0), rand(2, 3, 4))


def test_diag_part():
    assert_tensor(tf.linalg.diag_part(M), [1., 6., 11.])
    assert_tensor(tf.linalg.diag_part(M, k=1), [2., 7., 12.])
    assert_tensor(tf.linalg.diag_part(M, k=-2), [9.])
    assert_tensor(tf.linalg.diag_part(M, k=(-1, 1)), [[2, 7, 12], [1, 6, 11], [5, 10, 0]])
    assert_tensor(tf.linalg.diag_part(M, k=(-1, 1), align="LEFT_RIGHT", padding_value=9),
                  [[2, 7, 12], [1, 6, 11], [9, 5, 10]])
    assert_tensor(tf.linalg.diag_part(np.arange(24.).reshape(2, 3, 4), k=(-2, 2),
                                      padding_value=-1),
                  [[[-1, 2, 7], [1, 6, 11], [0, 5, 10], [4, 9, -1], [8, -1, -1]],
                   [[-1, 14, 19], [13, 18, 23], [12, 17, 22], [16, 21, -1], [20, -1, -1]]])
    with pytest.raises(InvalidArgumentError, match="lower_diag_index is out of bound: 4. It must "
                                                   "be between -3 and 4"):
        tf.linalg.diag_part(M, k=4)
    with pytest.raises(InvalidArgumentError, match="must not be larger than upper_diag_index: "
                                                   "1 > -1"):
        tf.linalg.diag_part(M, k=(1, -1))
    with pytest.raises(InvalidArgumentError, match=r"at least 2-dim, received shape: \[3\]"):
        tf.linalg.diag_part(tf.ones([3]))
    check_gradients(lambda x: tf.linalg.diag_part(x, k=(-1, 2)), rand(2, 3, 4))
    check_gradients(lambda x: tf.linalg.diag_part(x, k=1), rand(4, 3))


def test_diag():
    assert_tensor(tf.linalg.diag([1., 2.]), [[1., 0.], [0., 2.]])
    assert_tensor(tf.linalg.diag([1, 2], k=1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]],
                  dtype=np.int32)
    assert_tensor(tf.linalg.diag([1., 2.], k=-1, num_cols=4),
                  [[0, 0, 0, 0], [1, 0, 0, 0], [0, 2, 0, 0]])
    assert_tensor(tf.linalg.diag([1., 2.], num_rows=3), [[1, 0], [0, 2], [0, 0]])
    assert_tensor(tf.linalg.diag([[1., 2.], [3., 4.]], k=(0, 1), padding_value=7),
                  [[3, 2], [7, 4]])
    assert_tensor(tf.linalg.diag([[1., 2, 3], [4, 5, 6]], k=(0, 1), num_rows=3, num_cols=4),
                  [[4, 1, 0, 0], [0, 5, 2, 0], [0, 0, 6, 3]])
    assert_tensor(tf.linalg.diag([[1., 2, 3], [4, 5, 6]], k=(-1, 0), num_rows=3,
                                 align="RIGHT_RIGHT"),
                  [[1, 0, 0], [5, 2, 0], [0, 6, 3]])
    assert_tensor(tf.linalg.diag(np.ones((2, 0))), np.ones((2, 0, 0)))
    with pytest.raises(InvalidArgumentError, match="The number of rows or columns is not "
                                                   "consistent"):
        tf.linalg.diag([1., 2.], num_rows=3, num_cols=3)
    with pytest.raises(InvalidArgumentError, match="The number of rows is too small."):
        tf.linalg.diag([1., 2.], num_rows=1, num_cols=3)
    with pytest.raises(InvalidArgumentError, match=r"at least 1-dim, received shape: \[\]"):
        tf.linalg.diag(1.)
    check_gradients(lambda d: tf.linalg.diag(d), rand(2, 3))
    check_gradients(lambda d: tf.linalg.diag(d, k=(-1, 1), num_cols=4), rand(3, 3))


def test_set_diag():
    assert_tensor(tf.linalg.set_diag(np.zeros((2, 3)), [1., 2.]), [[1, 0, 0], [0, 2, 0]])
    assert_tensor(tf.linalg.set_diag(np.zeros((2, 3)), [1., 2.], k=1), [[0, 1, 0], [0, 0, 2]])
    assert_tensor(tf.linalg.set_diag(np.zeros((3, 4)), [[1., 2, 3], [4, 5, 6]], k=(-1, 0),
                                     align="LEFT_RIGHT"),
                  [[1, 0, 0, 0], [5, 2, 0, 0], [0, 6, 3, 0]])
    assert_tensor(tf.linalg.set_diag(np.zeros((3, 4)), [[1., 2, 3], [4, 5, 6]], k=(-1, 0)),
                  [[1, 0, 0, 0], [4, 2, 0, 0], [0, 5, 3, 0]])
    with pytest.raises(InvalidArgumentError, match=r"Expected diagonal shape: \[2\]"):
        tf.linalg.set_diag(tf.zeros([2, 3]), [1., 2., 3.])
    check_gradients(lambda x, d: tf.linalg.set_diag(x, d, k=(0, 1)), rand(3, 4), rand(2, 3))


def test_eye_is_in_the_namespace():
    assert_tensor(tf.linalg.eye(2, 3), np.eye(2, 3, dtype=np.float32), dtype=tf.float32)


def test_trace_transpose_adjoint():
    assert_tensor(tf.linalg.trace(M), 18.)
    assert_tensor(tf.linalg.trace(np.ones((2, 3), np.int32)), 2, dtype=np.int32)
    check_gradients(lambda x: tf.linalg.trace(x), rand(2, 3, 3))
    x = rand(2, 3, 4)
    assert_tensor(tf.linalg.matrix_transpose(x), np.swapaxes(x, -1, -2))
    c = np.array([[1 + 2j, 3j]])
    assert_tensor(tf.linalg.adjoint(c), [[1 - 2j], [-3j]])
    with pytest.raises(ValueError, match="should be a \\(batch\\) matrix with rank >= 2"):
        tf.linalg.matrix_transpose(tf.ones([3]))


# ---- cross --------------------------------------------------------------------------------------

def test_cross():
    a, b = rand(2, 3), rand(2, 3)
    assert_tensor(tf.linalg.cross(a, b), np.cross(a, b))
    assert_tensor(tf.linalg.cross([1, 2, 3], [4, 5, 6]), [-3, 6, -3], dtype=np.int32)
    check_gradients(lambda a, b: tf.linalg.cross(a, b), a, b)
    with pytest.raises(tf.errors.FailedPreconditionError, match="only defined for 3-element"):
        tf.linalg.cross([1., 2.], [4., 5.])
    with pytest.raises(InvalidArgumentError, match=r"same shape: \[1,3\] vs. \[3\]"):
        tf.linalg.cross([[1., 2., 3.]], [4., 5., 6.])


# ---- decompositions ---------------------------------------------------------------------------

QR_INPUT = np.array([[1., 2, 0.5], [0.3, 1, 2], [2, 0.1, 1], [1, 1, 1]])


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
@pytest.mark.parametrize("full", [False, True])
def test_qr_values(shape, full):
    a = rand(*shape)
    q, r = tf.linalg.qr(a, full_matrices=full)
    expected_q, expected_r = np.linalg.qr(a, mode="complete" if full else "reduced")
    assert_tensor(q, expected_q)
    assert_tensor(r, expected_r)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, atol=1e-12)


def test_qr_gradient():
    def loss(a):
        q, r = tf.linalg.qr(a)
        return q * np.arange(12.).reshape(4, 3) + tf.reduce_sum(r * r)
    check_gradients(loss, QR_INPUT)
    check_gradients(lambda a: tf.linalg.qr(a)[0] ** 2 + tf.linalg.qr(a)[1], rand(3, 3))
    x = tf.constant(QR_INPUT)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = loss(x)
    expected = [[24.754248227754054, 49.06672569147294, 13.109578626920623],
                [12.469203104487685, 23.15381877776896, 48.85520882312064],
                [45.8134829599629, 2.649683597848008, 24.899065685844782],
                [26.038024920973825, 22.68776147950035, 20.835727354453617]]
    assert_tensor(tape.gradient(out, x), expected, rtol=1e-8)   # TensorFlow's values
    with tf.GradientTape() as tape:
        tape.watch(x)
        q, r = tf.linalg.qr(x, full_matrices=True)
    with pytest.raises(NotImplementedError, match="full_matrices"):
        tape.gradient(q, x)


@pytest.mark.parametrize("full", [False, True])
def test_wide_qr_gradient(full):
    def loss(a):
        q, r = tf.linalg.qr(a, full_matrices=full)
        return tf.reduce_sum(q * [[1., 2], [3, 4]]) + tf.reduce_sum(r * np.arange(8.).reshape(2, 4))
    check_gradients(loss, rand(2, 2, 4))
    x = tf.constant([[1., 2, 0.5, 0.7], [0.3, 1, 2, 0.1]], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = loss(x)
    expected = [[8.667888511395825, -2.394565713052883, -3.6397398838403756, -4.884914054627872],
                [-28.892961704652713, 4.501783540539412, 5.172261940194217, 5.842740339849024]]
    assert_tensor(tape.gradient(out, x), expected, rtol=1e-8)   # TensorFlow's values


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 4), (2, 4, 3)])
def test_svd(shape):
    a = rand(*shape)
    s, u, v = tf.linalg.svd(a)
    assert_tensor(s, np.linalg.svd(a, compute_uv=False))
    np.testing.assert_allclose(u.numpy() * s.numpy()[..., None, :] @ np.swapaxes(v.numpy(), -1, -2),
                               a, atol=1e-12)
    assert_tensor(tf.linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False))
    s, u, v = tf.linalg.svd(a, full_matrices=True)
    assert u.shape[-1] == shape[-2] and v.shape[-1] == shape[-1]


def test_svd_complex_singular_values_are_real():
    s = tf.linalg.svd(np.array([[1 + 1j, 2], [3, 4j]], np.complex64), compute_uv=False)
    assert s.dtype == tf.float32


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 4)])
def test_svd_gradient(shape):
    weights = rand(min(shape), 2)

    def loss(a):
        # Functions of u and v invariant under the sign of each singular vector.
        s, u, v = tf.linalg.svd(a)
        return (tf.reduce_sum(s * np.arange(1., 1 + min(shape)))
                + tf.reduce_sum(tf.matmul(u * u, weights)) + tf.reduce_sum((v * v) ** 2))
    check_gradients(loss, rand(*shape))


def test_singular_values_gradient_as_tensorflow():
    check_gradients(lambda a: tf.linalg.svd(a, compute_uv=False), rand(2, 3, 4))
    x = tf.constant(QR_INPUT)
    with tf.GradientTape() as tape:
        tape.watch(x)
        s = tf.linalg.svd(x, compute_uv=False) * np.array([1., 2., 3.])
    expected = [[0.4828639102485387, 1.7855792800097623, -1.2340928537131428],
                [-1.0904110460316638, -0.2545866668585475, 2.123674250813594],
                [1.5245973737198577, -0.8453760279554637, 0.15269515395195857],
                [0.3077988592228365, 0.31712414701896474, 0.18460636656878332]]
    assert_tensor(tape.gradient(s, x), expected, rtol=1e-8)


def test_eigh():
    a = np.stack([spd(3), spd(3)])
    e, v = tf.linalg.eigh(a)
    assert_tensor(e, np.linalg.eigvalsh(a))
    np.testing.assert_allclose(v.numpy() @ (e.numpy()[..., None] * np.swapaxes(v.numpy(), -1, -2)),
                               a, atol=1e-10)
    assert_tensor(tf.linalg.eigvalsh(a), np.linalg.eigvalsh(a))
    with pytest.raises(InvalidArgumentError, match=r"must be square. \[Op:SelfAdjointEigV2\]"):
        tf.linalg.eigh(tf.ones([4, 3]))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.linalg.eigvalsh(tf.ones([2, 2], tf.int32))


def test_eigh_gradient():
    a = spd(3)
    # The op reads the lower triangle: the gradient lives there (as TensorFlow's does).
    check_gradients(lambda a: tf.linalg.eigh(a)[0] * np.arange(1., 4.), a)
    check_gradients(lambda a: tf.linalg.eigvalsh(a) ** 2, a)
    check_gradients(lambda a: tf.linalg.eigh(a)[1] ** 2, a)
    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        e = tf.linalg.eigvalsh(x)
    np.testing.assert_allclose(tape.gradient(e, x).numpy(), np.eye(3), atol=1e-12)


def test_decomposition_errors():
    with pytest.raises(InvalidArgumentError, match="Input tensor 0 must have rank >= 2, got 1"):
        tf.linalg.qr(tf.ones([3]))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.linalg.svd(tf.ones([2, 2], tf.int32))
