"""tf.sets: union / intersection / difference / size on dense and sparse sets."""
import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor
from tensorlite.structures import sets
from tensorlite.structures.sparse import SparseTensor, to_dense

conftest.pytest_sessionstart(None)  # ops registered by these modules get the shape-rule check

InvalidArgumentError = tf.errors.InvalidArgumentError
SET1 = [[2, 3, 5, 7], [7, 9, 0, 0]]
SET2 = [[4, 5, 6], [9, 10, 0]]


def test_union_single_set_gives_sorted_sparse_tensor():
    u = sets.union(tf.constant([[1, 5, 9]]), tf.constant([[5, 6, 9, 11]]))
    assert isinstance(u, SparseTensor)
    assert_tensor(u.indices, [[0, j] for j in range(5)], tf.int64)
    assert_tensor(u.values, [1, 5, 6, 9, 11], tf.int32)
    assert_tensor(u.dense_shape, [1, 5], tf.int64)


def test_dense_operations_keep_padding_as_elements():
    a = tf.constant([[1, 5, 9], [10, -1, -1]])
    b = tf.constant([[5, 6, 9, 11], [13, -1, -1, -1]])
    assert_tensor(to_dense(sets.union(a, b), default_value=-1),
                  [[1, 5, 6, 9, 11], [-1, 10, 13, -1, -1]], tf.int32)
    assert_tensor(to_dense(sets.difference(tf.constant(SET1), tf.constant(SET2))),
                  [[2, 3, 7], [7, 0, 0]])
    assert_tensor(to_dense(sets.difference(tf.constant(SET1), tf.constant(SET2),
                                           aminusb=False)), [[4, 6], [10, 0]])
    assert_tensor(to_dense(sets.intersection(tf.constant(SET1), tf.constant(SET2))),
                  [[5, 0], [0, 9]])


def test_sparse_inputs_and_swapped_difference():
    a = tf.constant([[1, 2], [3, 4]])
    sp = SparseTensor([[0, 0], [1, 0], [1, 1]], [2, 9, 3], [2, 3])
    assert_tensor(to_dense(sets.union(a, sp)), [[1, 2, 0], [3, 4, 9]])
    assert_tensor(to_dense(sets.difference(sp, a)), [[0], [9]])
    assert_tensor(to_dense(sets.difference(a, sp)), [[1], [4]])
    assert_tensor(to_dense(sets.intersection(sp, sp)), [[2, 0], [3, 9]])


def test_size_and_rank3_and_strings():
    sp = SparseTensor([[0, 0], [1, 0], [1, 1]], [2, 9, 9], [2, 3])
    assert_tensor(sets.size(sp), [1, 1], tf.int32)
    inter = sets.intersection(tf.constant(SET1)[:1], tf.constant([[5, 0, 0, 0]]))
    assert_tensor(sets.size(inter) > 0, [True], tf.bool)
    cube = sets.union(tf.constant([[[1, 2]], [[3, 3]]]), tf.constant([[[2]], [[4]]]))
    assert_tensor(cube.indices, [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1]], tf.int64)
    assert_tensor(cube.dense_shape, [2, 1, 2], tf.int64)
    words = sets.intersection(tf.constant([["a", "b"]]), tf.constant([["b", "c"]]))
    np.testing.assert_array_equal(words.values.numpy(), np.array([b"b"], object))
    empty = sets.intersection(tf.constant([[1]]), tf.constant([[2]]))
    assert_tensor(empty.dense_shape, [1, 0], tf.int64)


def test_errors():
    with pytest.raises(TypeError, match="Expected `SparseTensor`"):
        sets.size(tf.constant([[1, 2]]))
    with pytest.raises(TypeError, match="invalid dtype"):
        sets.union(tf.constant([[1.]]), tf.constant([[2.]]))
    with pytest.raises(TypeError, match="Types don't match"):
        sets.union(tf.constant([[1]]), tf.constant([[2]], tf.int64))
    with pytest.raises(InvalidArgumentError, match="rank 1 < 2"):
        sets.union(tf.constant([1, 2]), tf.constant([2]))
    with pytest.raises(InvalidArgumentError, match="Mismatched shapes"):
        sets.union(tf.constant([[1, 2]]), tf.constant([[2], [3]]))
