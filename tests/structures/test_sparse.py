"""tf.SparseTensor / tf.sparse: values against dense NumPy, gradients, TensorFlow's errors."""
import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor, check_gradients
from tensorlite.structures import sparse
from tensorlite.structures.sparse import SparseTensor

conftest.pytest_sessionstart(None)  # ops registered by these modules get the shape-rule check

InvalidArgumentError = tf.errors.InvalidArgumentError
INDICES = [[0, 1], [1, 0], [2, 3]]


def dense_of(indices, values, shape):
    out = np.zeros(shape)
    for i, v in zip(indices, values):
        out[tuple(i)] = v
    return out


def make(values=(1., 2., 3.), dtype=tf.float32):
    return SparseTensor(INDICES, tf.constant(values, dtype=dtype), [3, 4])


def test_construction_and_attributes():
    s = make()
    assert s.indices.dtype == tf.int64 and s.dense_shape.dtype == tf.int64
    assert s.dtype == tf.float32 and s.shape.as_list() == [3, 4]
    assert_tensor(s.values, [1., 2., 3.], tf.float32)
    with pytest.raises(ValueError):
        SparseTensor([0, 1], [1.], [3])
    with pytest.raises(ValueError):
        SparseTensor([[0, 1]], [1., 2.], [3, 4])
    with pytest.raises(ValueError):
        SparseTensor([[0, 1]], [1.], [3, 4, 5])


def test_repr_matches_tensorflow():
    s = SparseTensor(INDICES, [42., 84., 126.], [3, 4])
    assert repr(s) == (
        "SparseTensor(indices=tf.Tensor(\n[[0 1]\n [1 0]\n [2 3]], shape=(3, 2), dtype=int64), "
        "values=tf.Tensor([ 42.  84. 126.], shape=(3,), dtype=float32), "
        "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))")


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int32, tf.int64])
def test_to_dense_values_and_default(dtype):
    s = make((1, 2, 3), dtype)
    assert_tensor(sparse.to_dense(s), dense_of(INDICES, [1, 2, 3], (3, 4)), dtype)
    filled = sparse.to_dense(s, default_value=-1)
    assert filled.numpy()[0, 0] == -1 and filled.numpy()[2, 3] == 3


def test_to_dense_strings_empty_and_rank3():
    words = SparseTensor([[0], [2]], [b"a", b"c"], [3])
    np.testing.assert_array_equal(sparse.to_dense(words).numpy(),
                                  np.array([b"a", b"", b"c"], object))
    empty = SparseTensor(np.zeros((0, 2), np.int64), tf.constant([], tf.float32), [2, 2])
    assert_tensor(sparse.to_dense(empty), np.zeros((2, 2)), tf.float32)
    cube = SparseTensor([[0, 1, 1], [1, 0, 0]], [5., 6.], [2, 2, 2])
    assert_tensor(sparse.to_dense(cube), dense_of([[0, 1, 1], [1, 0, 0]], [5, 6], (2, 2, 2)))


def test_to_dense_errors():
    unordered = SparseTensor([[0, 2], [0, 1]], [1., 2.], [3, 4])
    with pytest.raises(InvalidArgumentError) as info:
        sparse.to_dense(unordered)
    message = str(info.value)
    assert "indices[1] = [0,1] is out of order. Many sparse ops require sorted indices." in message
    assert "Use `tf.sparse.reorder` to create a correctly ordered copy." in message
    assert "[Op:SparseToDense]" in message
    with pytest.raises(InvalidArgumentError, match="out of bounds"):
        sparse.to_dense(SparseTensor([[3, 0]], [1.], [3, 4]))
    with pytest.raises(InvalidArgumentError, match="is repeated"):
        sparse.to_dense(SparseTensor([[0, 0], [0, 0]], [1., 2.], [3, 4]))
    assert_tensor(sparse.to_dense(unordered, validate_indices=False),
                  dense_of([[0, 2], [0, 1]], [1, 2], (3, 4)))
    with pytest.raises(TypeError):
        sparse.to_dense(tf.constant([1.]))


def test_to_dense_gradient():
    check_gradients(lambda v, d: sparse.to_dense(SparseTensor(INDICES, v, [3, 4]),
                                                 default_value=d) * 2.0,
                    [1., 2., 3.], 0.5)


def test_reorder_values_and_gradient():
    s = SparseTensor([[1, 0], [0, 2], [0, 1]], [1., 2., 3.], [3, 4])
    r = sparse.reorder(s)
    assert_tensor(r.indices, [[0, 1], [0, 2], [1, 0]], tf.int64)
    assert_tensor(r.values, [3., 2., 1.], tf.float32)
    weights = tf.constant([1., 10., 100.], tf.float64)
    check_gradients(lambda v: sparse.reorder(
        SparseTensor([[1, 0], [0, 2], [0, 1]], v, [3, 4])).values * weights, [1., 2., 3.])


def test_multiply_and_divide_by_dense():
    s = make()
    product = s * 42.0
    assert isinstance(product, SparseTensor)
    assert_tensor(product.values, [42., 84., 126.], tf.float32)
    row = tf.constant([1., 2., 3., 4.])
    assert_tensor((s * row).values, [2., 2., 12.], tf.float32)
    assert_tensor((s / 2.0).values, [.5, 1., 1.5], tf.float32)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'SparseTensor' "
                                        r"and 'float'"):
        s + 42.0
    with pytest.raises(ValueError, match="requested dtype float32"):
        s * tf.constant(2)
    with pytest.raises(ValueError, match="unsupported type"):
        s * s


def test_multiply_gradients():
    check_gradients(lambda v, d: (SparseTensor(INDICES, v, [3, 4]) * d).values,
                    [1., 2., 3.], [[1., 2., 3., 4.]])
    check_gradients(lambda v, d: (SparseTensor(INDICES, v, [3, 4]) / d).values,
                    [1., 2., 3.], [[1., 2., 3., 4.]])


def test_sparse_dense_matmul():
    s = make()
    b = np.array([[10., 20.], [30., 40.], [50., 60.], [70., 80.]], np.float32)
    a = dense_of(INDICES, [1, 2, 3], (3, 4))
    assert_tensor(sparse.sparse_dense_matmul(s, b), a @ b, tf.float32)
    assert_tensor(sparse.sparse_dense_matmul(s, b.T, adjoint_b=True), a @ b)
    c = np.arange(6, dtype=np.float32).reshape(3, 2)
    assert_tensor(sparse.sparse_dense_matmul(s, c, adjoint_a=True), a.T @ c)
    with pytest.raises(InvalidArgumentError, match="inner dimension"):
        sparse.sparse_dense_matmul(s, c)
    with pytest.raises(InvalidArgumentError):
        sparse.sparse_dense_matmul(s, tf.constant(b, tf.float64))


@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, False), (True, False), (False, True)])
def test_sparse_dense_matmul_gradients(adjoint_a, adjoint_b):
    b = np.random.rand(2, 4) if adjoint_b else np.random.rand(4, 2)
    indices = [[1, 0], [0, 1], [3, 2]] if adjoint_a else INDICES
    shape = [4, 3] if adjoint_a else [3, 4]
    check_gradients(lambda v, m: sparse.sparse_dense_matmul(
        SparseTensor(indices, v, shape), m, adjoint_a=adjoint_a, adjoint_b=adjoint_b),
        [1., 2., 3.], b)


def test_add_sparse_sparse_and_dense():
    a = make()
    b = SparseTensor([[0, 1], [2, 0]], [10., 20.], [3, 4])
    total = sparse.add(a, b)
    assert isinstance(total, SparseTensor)
    assert_tensor(sparse.to_dense(total), dense_of(INDICES, [1, 2, 3], (3, 4)) +
                  dense_of([[0, 1], [2, 0]], [10, 20], (3, 4)))
    pruned = sparse.add(a, SparseTensor([[0, 1]], [-0.5], [3, 4]), threshold=1.0)
    assert_tensor(pruned.indices, [[1, 0], [2, 3]], tf.int64)
    dense = np.ones((3, 4), np.float32)
    assert_tensor(sparse.add(a, dense), dense + dense_of(INDICES, [1, 2, 3], (3, 4)))
    assert_tensor(sparse.add(dense, a), dense + dense_of(INDICES, [1, 2, 3], (3, 4)))
    with pytest.raises(TypeError):
        sparse.add(tf.constant(1.), tf.constant(2.))


def test_add_gradients():
    check_gradients(lambda v, d: sparse.add(SparseTensor(INDICES, v, [3, 4]), d) * 3.0,
                    [1., 2., 3.], np.ones((3, 4)))
    weights = tf.constant([1., 2., 3., 4.], tf.float64)
    check_gradients(lambda u, v: sparse.add(
        SparseTensor([[0, 1], [1, 1], [2, 3]], u, [3, 4]),
        SparseTensor([[0, 0], [1, 1]], v, [3, 4])).values * weights,
        [1., 2., 3.], [5., 7.])


def test_from_dense_round_trip():
    x = np.array([[0., 1.5], [2., 0.]], np.float32)
    s = sparse.from_dense(x)
    assert_tensor(s.indices, [[0, 1], [1, 0]], tf.int64)
    assert_tensor(s.values, [1.5, 2.], tf.float32)
    assert_tensor(sparse.to_dense(s), x)


def test_reduce_sum_values_and_gradients():
    s = make()
    a = dense_of(INDICES, [1, 2, 3], (3, 4))
    assert_tensor(sparse.reduce_sum(s), a.sum(), tf.float32)
    assert_tensor(sparse.reduce_sum(s, axis=1), a.sum(axis=1))
    assert_tensor(sparse.reduce_sum(s, axis=0, keepdims=True), a.sum(axis=0, keepdims=True))
    as_sparse = sparse.reduce_sum(s, axis=-1, output_is_sparse=True)
    assert isinstance(as_sparse, SparseTensor)
    assert_tensor(sparse.to_dense(as_sparse), a.sum(axis=-1))
    weights = tf.constant([1., 10., 100.], tf.float64)
    check_gradients(lambda v: sparse.reduce_sum(SparseTensor(INDICES, v, [3, 4]), axis=1)
                    * weights, [1., 2., 3.])
    check_gradients(lambda v: sparse.reduce_sum(SparseTensor(INDICES, v, [3, 4])) * 2.0,
                    [1., 2., 3.])
    check_gradients(lambda v: sparse.reduce_sum(SparseTensor(INDICES, v, [3, 4]), axis=0,
                                                keepdims=True) * tf.constant(
        [[1., 2., 3., 4.]], tf.float64), [1., 2., 3.])


def test_transpose_expand_dims_retain():
    s = make()
    a = dense_of(INDICES, [1, 2, 3], (3, 4))
    t = sparse.transpose(s)
    assert_tensor(t.indices, [[0, 1], [1, 0], [3, 2]], tf.int64)
    assert_tensor(sparse.to_dense(t), a.T)
    assert_tensor(sparse.to_dense(sparse.expand_dims(s, 1)), a[:, None, :])
    assert_tensor(sparse.expand_dims(s, -1).dense_shape, [3, 4, 1], tf.int64)
    with pytest.raises(ValueError):
        sparse.expand_dims(s, 3)
    kept = sparse.retain(s, [True, False, True])
    assert_tensor(kept.values, [1., 3.])
    assert_tensor(kept.indices, [[0, 1], [2, 3]], tf.int64)


def test_concat_axes_and_expansion():
    s = make()
    a = dense_of(INDICES, [1, 2, 3], (3, 4))
    row = SparseTensor([[0, 0]], [9.], [1, 4])
    assert_tensor(sparse.to_dense(sparse.concat(0, [s, row])),
                  np.concatenate([a, dense_of([[0, 0]], [9], (1, 4))]))
    cols = SparseTensor([[0, 0], [2, 1]], [9., 8.], [3, 2])
    joined = sparse.concat(1, [s, cols])
    assert_tensor(sparse.to_dense(joined),
                  np.concatenate([a, dense_of([[0, 0], [2, 1]], [9, 8], (3, 2))], axis=1))
    small = SparseTensor([[0, 0], [1, 1]], [5., 6.], [2, 2])
    grown = sparse.concat(1, [s, small], expand_nonconcat_dims=True)
    assert_tensor(grown.dense_shape, [3, 6], tf.int64)
    check_gradients(lambda u, v: sparse.concat(1, [SparseTensor(INDICES, u, [3, 4]),
                                                   SparseTensor([[0, 0], [2, 1]], v, [3, 2])]
                                               ).values * tf.constant([1., 2., 3., 4., 5.],
                                                                      tf.float64),
                    [1., 2., 3.], [9., 8.])
