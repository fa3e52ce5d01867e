"""tf.data elements that are (or contain) `tf.SparseTensor`s: specs, map outputs and
inputs (traced and eager), and the transformations that pass them through."""
import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.structures.sparse import SparseTensorSpec

Dataset = tf.data.Dataset


def _sparse_of(x):
    return tf.SparseTensor([[0, 0], [1, 2]], tf.fill([2], x), [2, 3])


def _assert_sparse(s, indices, values, dense_shape):
    assert isinstance(s, tf.SparseTensor)
    np.testing.assert_array_equal(s.indices.numpy(), indices)
    np.testing.assert_array_equal(s.values.numpy(), values)
    np.testing.assert_array_equal(s.dense_shape.numpy(), dense_shape)
    assert s.indices.dtype is tf.int64 and s.dense_shape.dtype is tf.int64


def test_sparse_tensor_spec_repr_eq_and_components():
    spec = SparseTensorSpec([None], tf.string)
    assert repr(spec) == "SparseTensorSpec(TensorShape([None]), tf.string)"
    assert spec == SparseTensorSpec([None], tf.string)
    assert spec != SparseTensorSpec([None], tf.int64)
    assert spec.is_compatible_with(SparseTensorSpec([4], tf.string))
    assert not spec.is_compatible_with(SparseTensorSpec([4, 1], tf.string))
    indices, values, shape = SparseTensorSpec([None, 3], tf.float32).component_specs
    assert indices.shape.as_list() == [None, 2] and indices.dtype is tf.int64
    assert values.shape.as_list() == [None] and values.dtype is tf.float32
    assert shape.shape.as_list() == [2] and shape.dtype is tf.int64


def test_map_returning_a_sparse_tensor_is_traced_and_iterates_sparse_tensors():
    ds = Dataset.range(3).map(_sparse_of)
    assert ds.element_spec == SparseTensorSpec([2, 3], tf.int64)
    assert ds._function.traced
    elements = list(ds)
    assert len(elements) == 3
    for i, s in enumerate(elements):
        _assert_sparse(s, [[0, 0], [1, 2]], [i, i], [2, 3])


def test_eager_map_returning_a_sparse_tensor():
    def eager(x):  # .numpy() cannot be traced: runs per element
        return tf.SparseTensor([[int(x.numpy())]], [float(x.numpy()) + 0.5], [4])
    ds = Dataset.range(1, 3).map(eager)
    assert not ds._function.traced
    assert ds.element_spec == SparseTensorSpec([4], tf.float32)
    first, second = list(ds)
    _assert_sparse(first, [[1]], [1.5], [4])
    _assert_sparse(second, [[2]], [2.5], [4])


def test_sparse_leaf_inside_a_structure_and_a_map_reading_it():
    ds = Dataset.range(2).map(lambda x: {"a": x * 10, "s": tf.SparseTensor([[x]], [1.0], [3])})
    assert ds.element_spec == {"a": tf.TensorSpec([], tf.int64),
                               "s": SparseTensorSpec([3], tf.float32)}
    dense = ds.map(lambda d: (tf.sparse.to_dense(d["s"]), d["a"]))
    assert dense._function.traced
    assert [(v.numpy().tolist(), int(a)) for v, a in dense] == [([1.0, 0.0, 0.0], 0),
                                                                ([0.0, 1.0, 0.0], 10)]
    swapped = ds.map(lambda d: (d["s"], d["a"]))
    assert swapped.element_spec[0] == SparseTensorSpec([3], tf.float32)
    s, a = next(iter(swapped.skip(1)))
    _assert_sparse(s, [[1]], [1.0], [3])
    assert int(a) == 10


def test_parse_example_var_len_feature_in_map():
    example = tf.train.Example(features=tf.train.Features(feature={
        "e": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a", b"b"]))}))
    serialized = example.SerializeToString()
    features = {"e": tf.io.VarLenFeature(tf.string)}
    single = Dataset.from_tensor_slices([serialized, serialized]).map(
        lambda s: tf.io.parse_single_example(s, features))
    assert repr(single.element_spec["e"]) == "SparseTensorSpec(TensorShape([None]), tf.string)"
    _assert_sparse(next(iter(single))["e"], [[0], [1]], [b"a", b"b"], [2])
    batched = Dataset.from_tensor_slices([serialized] * 3).batch(2).map(
        lambda s: tf.io.parse_example(s, features))
    assert batched.element_spec["e"] == SparseTensorSpec([None, None], tf.string)
    first, last = [d["e"] for d in batched]
    _assert_sparse(first, [[0, 0], [0, 1], [1, 0], [1, 1]], [b"a", b"b", b"a", b"b"], [2, 2])
    _assert_sparse(last, [[0, 0], [0, 1]], [b"a", b"b"], [1, 2])


def test_pass_through_transformations_keep_sparse_elements():
    ds = Dataset.range(4).map(_sparse_of)
    kept = ds.filter(lambda s: tf.reduce_sum(s.values) > 2).repeat(2).skip(1).take(2)
    assert kept.element_spec == ds.element_spec
    values = [s.values.numpy().tolist() for s in kept]
    assert values == [[3, 3], [2, 2]]
    index, s = next(iter(ds.enumerate(start=5)))
    assert int(index) == 5
    _assert_sparse(s, [[0, 0], [1, 2]], [0, 0], [2, 3])


def test_window_of_sparse_elements():
    windows = Dataset.zip((Dataset.range(3).map(_sparse_of), Dataset.range(3))).window(2)
    out = [([s.values.numpy().tolist() for s in a], [int(b) for b in bs])
           for a, bs in windows]
    assert out == [([[0, 0], [1, 1]], [0, 1]), ([[2, 2]], [2])]


def test_batching_sparse_elements_is_rejected():
    ds = Dataset.range(3).map(_sparse_of)
    with pytest.raises(TypeError, match="cannot be batched"):
        ds.batch(2)
    with pytest.raises(TypeError, match="not a subclass of TensorSpec"):
        ds.padded_batch(2)


def test_as_numpy_iterator_gives_sparse_elements_dense():
    ds = Dataset.range(2).map(
        lambda x: {"n": x, "s": tf.SparseTensor([[1]], tf.fill([1], x + 5), [3])})
    out = list(ds.as_numpy_iterator())
    assert [int(d["n"]) for d in out] == [0, 1]
    np.testing.assert_array_equal(out[1]["s"], np.array([0, 6, 0], np.int64))
    assert out[1]["s"].dtype == np.int64
    single = next(Dataset.range(1).map(lambda x: _sparse_of(x + 2)).as_numpy_iterator())
    np.testing.assert_array_equal(single, [[2, 0, 0], [0, 0, 2]])
