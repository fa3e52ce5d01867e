"""tf.RaggedTensor / tf.ragged: construction, indexing, conversion, concat, reprs, gradients."""
import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor
from tensorlite.structures import ragged
from tensorlite.structures.ragged import RaggedTensor
from tensorlite.structures.sparse import SparseTensor

conftest.pytest_sessionstart(None)  # ops registered by these modules get the shape-rule check

InvalidArgumentError = tf.errors.InvalidArgumentError


def test_constant_and_structure():
    r = ragged.constant([[65, 66], [], [67]])
    assert r.dtype == tf.int32 and r.ragged_rank == 1
    assert r.shape.as_list() == [3, None]
    assert_tensor(r.values, [65, 66, 67], tf.int32)
    assert_tensor(r.row_splits, [0, 2, 2, 3], tf.int64)
    assert_tensor(r.row_lengths(), [2, 0, 1], tf.int64)
    assert_tensor(r.value_rowids(), [0, 0, 2], tf.int64)
    assert_tensor(r.nrows(), 3, tf.int64)
    assert r.to_list() == [[65, 66], [], [67]]
    nested = ragged.constant([[[1, 2], [3]], [[4]]])
    assert nested.ragged_rank == 2 and nested.shape.as_list() == [2, None, None]
    assert nested.to_list() == [[[1, 2], [3]], [[4]]]
    inner = ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    assert inner.shape.as_list() == [2, None, 2]
    floats = ragged.constant([[1.5], []], dtype=tf.float64)
    assert floats.dtype == tf.float64


def test_constant_of_empty_list_is_dense():
    t = ragged.constant([])
    assert isinstance(t, tf.Tensor) and t.dtype == tf.float32 and t.shape == (0,)


def test_factories_and_validation():
    assert RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 3]).to_list() == [[1, 2], [3]]
    assert RaggedTensor.from_row_lengths([1, 2, 3], [2, 0, 1]).to_list() == [[1, 2], [], [3]]
    assert RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=4).to_list() == \
        [[1, 2], [], [3], []]
    assert RaggedTensor.from_nested_row_splits([1, 2, 3], [[0, 1, 2], [0, 2, 3]]).to_list() \
        == [[[1, 2]], [[3]]]
    assert RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], padding=0).to_list() == \
        [[1], [2, 3]]
    assert RaggedTensor.from_tensor([[1, 9], [2, 3]], lengths=[1, 2]).to_list() == \
        [[1], [2, 3]]
    with pytest.raises(InvalidArgumentError):
        RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 1])
    with pytest.raises(InvalidArgumentError):
        RaggedTensor.from_row_splits([1, 2, 3], [0, 2])
    with pytest.raises(ValueError, match="private"):
        RaggedTensor([1], [0, 1])


def test_from_sparse_and_to_sparse():
    st = SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [3, 4])
    r = RaggedTensor.from_sparse(st)
    assert r.to_list() == [[1, 2], [], [3]]
    back = r.to_sparse()
    assert_tensor(back.indices, [[0, 0], [0, 1], [2, 0]], tf.int64)
    assert_tensor(back.dense_shape, [3, 2], tf.int64)
    with pytest.raises(InvalidArgumentError, match="right-ragged"):
        RaggedTensor.from_sparse(SparseTensor([[0, 1]], [1], [1, 2]))


def test_indexing():
    r = ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert_tensor(r[0], [1, 2], tf.int32)
    assert_tensor(r[-1], [4, 5, 6], tf.int32)
    assert r[1:3].to_list() == [[3], [4, 5, 6]]
    assert r[::-1].to_list() == [[4, 5, 6], [3], [1, 2]]
    assert r[5:].to_list() == []
    assert_tensor(r[2, 1], 5, tf.int32)
    assert_tensor(r[2, 1:], [5, 6], tf.int32)
    assert [t.numpy().tolist() for t in r] == [[1, 2], [3], [4, 5, 6]]
    with pytest.raises(ValueError, match="inner ragged dimension"):
        r[:, 0]
    with pytest.raises(IndexError, match="Row key 3 out of bounds"):
        r[3]


def test_to_tensor_defaults_and_shape():
    r = ragged.constant([[1, 2], [3]])
    assert_tensor(r.to_tensor(), [[1, 2], [3, 0]], tf.int32)
    assert_tensor(r.to_tensor(default_value=9), [[1, 2], [3, 9]], tf.int32)
    assert_tensor(r.to_tensor(shape=[3, 4]), [[1, 2, 0, 0], [3, 0, 0, 0], [0, 0, 0, 0]])
    assert_tensor(r.to_tensor(shape=[1, 1]), [[1]])
    nested = ragged.constant([[[1], [2, 3]], [[4]]])
    assert_tensor(nested.to_tensor(), [[[1, 0], [2, 3]], [[4, 0], [0, 0]]], tf.int32)
    words = ragged.constant([[b"a"], [b"b", b"c"]])
    np.testing.assert_array_equal(words.to_tensor().numpy(),
                                  np.array([[b"a", b""], [b"b", b"c"]], object))
    assert ragged.constant([[]], dtype=tf.float32).to_tensor().shape == (1, 0)


def test_to_tensor_gradient_reaches_values():
    values = tf.constant([1., 2., 3.], dtype=tf.float64)
    weights = tf.constant([[1., 2.], [3., 4.]], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(values)
        dense = RaggedTensor.from_row_splits(values, [0, 2, 3]).to_tensor()
        loss = tf.reduce_sum(dense * weights)
    np.testing.assert_allclose(tape.gradient(loss, values).numpy(), [1., 2., 3.])


def test_concat_axis0_axis1_and_errors():
    r = ragged.constant([[1, 2], [3]])
    r2 = ragged.constant([[4], [], [5]])
    assert tf.concat([r, r2], axis=0).to_list() == [[1, 2], [3], [4], [], [5]]
    r3 = ragged.constant([[6, 7], [8]])
    joined = tf.concat([r, r3], axis=1)
    assert joined.to_list() == [[1, 2, 6, 7], [3, 8]]
    assert tf.concat([r, r3], axis=-1).to_list() == joined.to_list()
    assert tf.concat([r, tf.constant([[9, 9], [9, 9]])], axis=1).to_list() == \
        [[1, 2, 9, 9], [3, 9, 9]]
    nested = ragged.constant([[[1]], [[2], [3]]])
    assert tf.concat([nested, nested], axis=0).to_list() == [[[1]], [[2], [3]], [[1]],
                                                            [[2], [3]]]
    with pytest.raises(InvalidArgumentError, match="incompatible shapes"):
        tf.concat([r, r2], axis=1)


def test_concat_gradient():
    a = tf.constant([1., 2., 3.], dtype=tf.float64)
    b = tf.constant([4., 5.], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        joined = tf.concat([RaggedTensor.from_row_splits(a, [0, 1, 3]),
                            RaggedTensor.from_row_splits(b, [0, 2, 2])], axis=1)
        loss = tf.reduce_sum(joined.flat_values * tf.constant([1., 2., 3., 4., 5.],
                                                               dtype=tf.float64))
    # joined rows: [a0, b0, b1], [a1, a2]
    np.testing.assert_allclose(tape.gradient(loss, a).numpy(), [1., 4., 5.])
    np.testing.assert_allclose(tape.gradient(loss, b).numpy(), [2., 3.])


def test_repr_and_str_match_tensorflow():
    r = ragged.constant([[67, 97, 102, 233], [67, 111, 102, 102, 101, 101],
                         [99, 97, 102, 102, 232], [21654, 21857]])
    assert repr(r) == ("<tf.RaggedTensor [[67, 97, 102, 233], [67, 111, 102, 102, 101, 101],\n"
                       " [99, 97, 102, 102, 232], [21654, 21857]]>")
    assert str(ragged.constant([[1, 2], [3]])) == "<tf.RaggedTensor [[1, 2], [3]]>"
    assert repr(ragged.constant([[1, 2], [3, 4]])) == "<tf.RaggedTensor [[1, 2],\n [3, 4]]>"
    assert repr(ragged.constant([[1.5, 2], [3]])) == "<tf.RaggedTensor [[1.5, 2.0], [3.0]]>"
    assert repr(ragged.constant([[b"a", b"bc"], []])) == "<tf.RaggedTensor [[b'a', b'bc'], []]>"
    assert repr(ragged.constant([[[1, 2], [3]], [[4]]])) == \
        "<tf.RaggedTensor [[[1, 2], [3]], [[4]]]>"
    # rows of one length print as a NumPy matrix (of arrays when the inner rows are ragged)
    assert repr(ragged.constant([[b"a"], [b"b"]])) == "<tf.RaggedTensor [[b'a'],\n [b'b']]>"
    assert repr(ragged.constant([[[1], [2, 3]], [[4], [5]]])) == \
        "<tf.RaggedTensor [[[1], [2, 3]],\n [[4], [5]]]>"
    assert repr(ragged.constant([[[1], [2]], [[4], [5]]])) == \
        "<tf.RaggedTensor [[[1],\n  [2]],\n\n [[4],\n  [5]]]>"
    assert repr(ragged.constant([[], []])) == "<tf.RaggedTensor [[], []]>"


def test_elementwise_arithmetic_and_map_flat_values():
    r = ragged.constant([[1, 2], [3]])
    assert (r + 1).to_list() == [[2, 3], [4]]
    assert (10 - r).to_list() == [[9, 8], [7]]
    assert (r * r).to_list() == [[1, 4], [9]]
    assert (-r).to_list() == [[-1, -2], [-3]]
    assert ragged.map_flat_values(tf.square, r).to_list() == [[1, 4], [9]]
    with pytest.raises(InvalidArgumentError):
        r + ragged.constant([[1], [2, 3]])


def test_stack():
    s = ragged.stack([ragged.constant([[1], [2, 3]]), ragged.constant([[4]])])
    assert s.to_list() == [[[1], [2, 3]], [[4]]]


def test_concat_inner_axes():
    a = ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    b = ragged.constant([[[7]], [[8], [9]]], ragged_rank=1)
    assert tf.concat([a, b], axis=2).to_list() == [[[1, 2, 7]], [[3, 4, 8], [5, 6, 9]]]
    nested = ragged.constant([[[1], [2, 3]], [[4]]])
    more = ragged.constant([[[5, 6], []], [[7]]])
    assert tf.concat([nested, more], axis=2).to_list() == [[[1, 5, 6], [2, 3]], [[4, 7]]]
    with pytest.raises(InvalidArgumentError, match="incompatible shapes"):
        tf.concat([nested, ragged.constant([[[5]], [[7]]])], axis=2)
    with pytest.raises(ValueError, match="out of bounds"):
        tf.concat([a, b], axis=3)


def test_bounding_shape_and_merge_dims():
    r = ragged.constant([[[1], [2, 3]], [[4]], []])
    assert_tensor(r.bounding_shape(), [3, 2, 2], tf.int64)
    assert_tensor(ragged.constant([[1, 2], [3]]).bounding_shape(axis=1), 2, tf.int64)
    assert r.merge_dims(0, 1).to_list() == [[1], [2, 3], [4]]
    assert r.merge_dims(1, 2).to_list() == [[1, 2, 3], [4], []]
    assert_tensor(r.merge_dims(0, -1), [1, 2, 3, 4], tf.int32)
    dense_inner = ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    assert dense_inner.merge_dims(1, 2).to_list() == [[1, 2], [3, 4, 5, 6]]
    with pytest.raises(ValueError):
        r.merge_dims(2, 1)


def test_from_uniform_row_length_has_a_static_dimension():
    r = RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2)
    assert r.shape.as_list() == [3, 2]
    assert r.to_list() == [[1, 2], [3, 4], [5, 6]]
    assert (r * 2).shape.as_list() == [3, 2]
    with pytest.raises(InvalidArgumentError):
        RaggedTensor.from_uniform_row_length([1, 2, 3], 2, nrows=2)


def test_ragged_range_and_boolean_mask():
    assert ragged.ragged_range([3, 1, 0]).to_list() == [[0, 1, 2], [0], []]
    assert ragged.ragged_range([0, 2], [3, 5], 2).to_list() == [[0, 2], [2, 4]]
    floats = ragged.ragged_range(tf.constant([1., 2.]), 3.)
    assert floats.dtype == tf.float32 and floats.to_list() == [[1., 2.], [2.]]
    with pytest.raises(InvalidArgumentError, match="delta != 0"):
        ragged.ragged_range([1], [2], 0)
    data = tf.constant([[1, 2, 3], [4, 5, 6]])
    mask = tf.constant([[True, False, True], [False, False, True]])
    assert ragged.boolean_mask(data, mask).to_list() == [[1, 3], [6]]
    assert_tensor(ragged.boolean_mask(data, [False, True]), [[4, 5, 6]], tf.int32)
    kept = ragged.boolean_mask(ragged.constant([[1, 2], [], [3]]),
                               ragged.constant([[True, False], [], [True]]))
    assert kept.to_list() == [[1], [], [3]]
