"""tf.io parsing: parse_single_example / parse_example / parse_single_sequence_example
with FixedLen, VarLen and FixedLenSequence features, defaults, errors (TensorFlow's
messages), shape rules in traced functions; serialize_tensor / parse_tensor."""
import numpy as np
import pytest

import tensorlite as tf
from tensorlite.framework import errors
from tensorlite.io.parsing import (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature,
                                   parse_example, parse_sequence_example,
                                   parse_single_example,
                                   parse_single_sequence_example, parse_tensor,
                                   serialize_tensor)
from tensorlite.train import (BytesList, Example, Feature, FeatureList, FeatureLists,
                              Features, FloatList, Int64List, SequenceExample)

_DESCRIPTION = {
    "name": FixedLenFeature([], tf.string, default_value=""),
    "id": FixedLenFeature([], tf.int64, default_value=0),
    "emails": VarLenFeature(tf.string),
}


def _example(**features):
    def feature(value):
        if isinstance(value[0], bytes):
            return Feature(bytes_list=BytesList(value=value))
        if isinstance(value[0], float):
            return Feature(float_list=FloatList(value=value))
        return Feature(int64_list=Int64List(value=value))
    return Example(features=Features(feature={k: feature(v) for k, v in features.items()}))


_PERSON = _example(name=[b"Alice"], id=[123], emails=[b"a@b.com", b"c@d.com"])


def test_feature_reprs():
    assert repr(FixedLenFeature([], tf.string, default_value="")) == \
        "FixedLenFeature(shape=[], dtype=tf.string, default_value='')"
    assert repr(VarLenFeature(tf.string)) == "VarLenFeature(dtype=tf.string)"
    assert repr(FixedLenSequenceFeature([], tf.int64, allow_missing=True)) == \
        ("FixedLenSequenceFeature(shape=[], dtype=tf.int64, allow_missing=True, "
         "default_value=None)")


def test_parse_single_example():
    parsed = parse_single_example(_PERSON.SerializeToString(), _DESCRIPTION)
    assert sorted(parsed) == ["emails", "id", "name"]
    assert repr(parsed["name"]) == "<tf.Tensor: shape=(), dtype=string, numpy=b'Alice'>"
    assert repr(parsed["id"]) == "<tf.Tensor: shape=(), dtype=int64, numpy=123>"
    emails = parsed["emails"]
    assert emails.indices.numpy().tolist() == [[0], [1]]
    assert emails.indices.dtype == tf.int64
    assert emails.values.numpy().tolist() == [b"a@b.com", b"c@d.com"]
    assert emails.dense_shape.numpy().tolist() == [2]


def test_missing_features_take_defaults():
    parsed = parse_single_example(Example().SerializeToString(), _DESCRIPTION)
    assert parsed["name"].numpy() == b"" and int(parsed["id"]) == 0
    assert parsed["emails"].values.shape == (0,)
    assert parsed["emails"].indices.shape == (0, 1)
    assert parsed["emails"].dense_shape.numpy().tolist() == [0]
    vector = parse_single_example(b"", {"v": FixedLenFeature([3], tf.int64,
                                                             default_value=[1, 2, 3])})
    assert vector["v"].numpy().tolist() == [1, 2, 3]


def test_dense_shapes_and_floats():
    data = _example(f=[1.0, 2.0, 3.0, 4.0]).SerializeToString()
    parsed = parse_single_example(data, {"f": FixedLenFeature([2, 2], tf.float32)})
    assert parsed["f"].dtype == tf.float32
    np.testing.assert_array_equal(parsed["f"].numpy(), [[1., 2.], [3., 4.]])


def test_parse_example_batch():
    data = [_PERSON.SerializeToString()] * 2 + [_example(id=[5]).SerializeToString()]
    parsed = parse_example(tf.constant(data), _DESCRIPTION)
    assert parsed["name"].numpy().tolist() == [b"Alice", b"Alice", b""]
    assert parsed["id"].numpy().tolist() == [123, 123, 5]
    emails = parsed["emails"]
    assert emails.dense_shape.numpy().tolist() == [3, 2]
    assert emails.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    empty = parse_example(tf.constant([], tf.string), _DESCRIPTION)
    assert empty["id"].shape == (0,) and empty["emails"].dense_shape.numpy().tolist() == [0, 0]


def test_fixed_len_sequence_feature_pads():
    data = [_example(a=[1, 2, 3]).SerializeToString(), b""]
    feature = FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)
    parsed = parse_example(data, {"a": feature})
    assert parsed["a"].numpy().tolist() == [[1, 2, 3], [-1, -1, -1]]
    with pytest.raises(errors.InvalidArgumentError, match="not a multiple of stride"):
        parse_example(data, {"a": FixedLenSequenceFeature([2], tf.int64, allow_missing=True)})


def test_parse_errors():
    data = _example(a=[1.0, 2.0]).SerializeToString()
    with pytest.raises(errors.InvalidArgumentError, match="Number of float values != expected"):
        parse_single_example(data, {"a": FixedLenFeature([3], tf.float32)})
    with pytest.raises(errors.InvalidArgumentError,
                       match="Data type: float but expected type: int64"):
        parse_single_example(data, {"a": FixedLenFeature([2], tf.int64)})
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Feature: b \(data type: float\) is required"):
        parse_single_example(data, {"b": FixedLenFeature([2], tf.float32)})
    with pytest.raises(errors.InvalidArgumentError, match="'Tdense' of int32"):
        parse_single_example(data, {"a": FixedLenFeature([2], tf.int32)})
    with pytest.raises(errors.InvalidArgumentError, match="Could not parse example input"):
        parse_single_example(b"\xff\xff", {"a": VarLenFeature(tf.float32)})
    with pytest.raises(ValueError, match="Input serialized must be a scalar"):
        parse_single_example([data], {"a": VarLenFeature(tf.float32)})
    with pytest.raises(ValueError, match="features cannot be empty"):
        parse_single_example(data, {})
    with pytest.raises(errors.InvalidArgumentError, match="scalar or vector"):
        parse_example([[data]], {"a": VarLenFeature(tf.float32)})
    with pytest.raises(TypeError, match="Expected string"):
        parse_example(tf.constant([1]), {"a": VarLenFeature(tf.float32)})


def test_parsing_inside_a_traced_function():
    description = {"id": FixedLenFeature([], tf.int64, default_value=0),
                   "emails": VarLenFeature(tf.string),
                   "pair": FixedLenFeature([2], tf.string, default_value=["x", "y"])}

    @tf.function
    def parse(serialized):
        parsed = parse_example(serialized, description)
        return parsed["id"], parsed["emails"].indices, parsed["pair"]

    concrete = parse.get_concrete_function(tf.TensorSpec([None], tf.string))
    ids, indices, pair = concrete.structured_outputs
    assert ids.shape.as_list() == [None] and indices.shape.as_list() == [None, 2]
    assert pair.shape.as_list() == [None, 2]
    ids, indices, pair = parse(tf.constant([_PERSON.SerializeToString(), b""]))
    assert ids.numpy().tolist() == [123, 0]
    assert indices.numpy().tolist() == [[0, 0], [0, 1]]
    assert pair.numpy().tolist() == [[b"x", b"y"], [b"x", b"y"]]


def test_dataset_map_of_parse(tmp_path):
    dataset = tf.data.Dataset.from_tensor_slices([_PERSON.SerializeToString()] * 3)
    dataset = dataset.map(lambda s: parse_single_example(
        s, {"id": FixedLenFeature([], tf.int64)})["id"])
    assert [int(t) for t in dataset] == [123, 123, 123]


def _words(*words):
    return Feature(bytes_list=BytesList(value=[w.encode() for w in words]))


def test_parse_single_sequence_example():
    sequence = SequenceExample(
        context=Features(feature={"author_id": Feature(int64_list=Int64List(value=[123])),
                                  "title": _words("A", "desert")}),
        feature_lists=FeatureLists(feature_list={
            "content": FeatureList(feature=[_words("When", "shall", "we"), _words("In")]),
            "pairs": FeatureList(feature=[Feature(float_list=FloatList(value=[1., 2.])),
                                          Feature(float_list=FloatList(value=[3., 4.]))])}))
    context, lists = parse_single_sequence_example(
        sequence.SerializeToString(),
        {"author_id": FixedLenFeature([], tf.int64), "title": VarLenFeature(tf.string)},
        {"content": VarLenFeature(tf.string), "pairs": FixedLenSequenceFeature([2], tf.float32),
         "none": VarLenFeature(tf.int64),
         "absent": FixedLenSequenceFeature([], tf.int64, allow_missing=True)})
    assert int(context["author_id"]) == 123
    assert context["title"].values.numpy().tolist() == [b"A", b"desert"]
    content = lists["content"]
    assert content.dense_shape.numpy().tolist() == [2, 3]
    assert content.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [1, 0]]
    assert lists["pairs"].numpy().tolist() == [[1., 2.], [3., 4.]]
    assert lists["none"].dense_shape.numpy().tolist() == [0, 0]
    assert lists["absent"].shape == (0,) and lists["absent"].dtype == tf.int64
    with pytest.raises(errors.InvalidArgumentError, match="Feature list 'm' is required"):
        parse_single_sequence_example(sequence.SerializeToString(), None,
                                      {"m": FixedLenSequenceFeature([], tf.int64)})
    with pytest.raises(errors.InvalidArgumentError, match="unexpected number of values"):
        parse_single_sequence_example(sequence.SerializeToString(), None,
                                      {"pairs": FixedLenSequenceFeature([3], tf.float32)})


def _sequence(n):
    return SequenceExample(
        context=Features(feature={"c": Feature(int64_list=Int64List(value=[n]))}),
        feature_lists=FeatureLists(feature_list={
            "s": FeatureList(feature=[Feature(float_list=FloatList(value=[1. * i, 2.]))
                                      for i in range(n)]),
            "v": FeatureList(feature=[Feature(int64_list=Int64List(value=list(range(i))))
                                      for i in range(n)])})).SerializeToString()


def test_parse_sequence_example_batch():
    context, lists, lengths = parse_sequence_example(
        [_sequence(1), _sequence(3)], {"c": FixedLenFeature([], tf.int64)},
        {"s": FixedLenSequenceFeature([2], tf.float32), "v": VarLenFeature(tf.int64)})
    assert context["c"].numpy().tolist() == [1, 3]
    assert lists["s"].numpy().tolist() == [[[0., 2.], [0., 0.], [0., 0.]],
                                           [[0., 2.], [1., 2.], [2., 2.]]]
    assert lengths["s"].numpy().tolist() == [1, 3] and lengths["s"].dtype == tf.int64
    assert lists["v"].indices.numpy().tolist() == [[1, 1, 0], [1, 2, 0], [1, 2, 1]]
    assert lists["v"].dense_shape.numpy().tolist() == [2, 3, 2]
    with pytest.raises(ValueError, match=r"dense_defaults\[s\] must be None"):
        parse_sequence_example([_sequence(1)], None, {
            "s": FixedLenSequenceFeature([2], tf.float32, default_value=-1.)})

    @tf.function
    def parse(serialized):
        _, lists, lengths = parse_sequence_example(
            serialized, None, {"s": FixedLenSequenceFeature([2], tf.float32),
                               "v": VarLenFeature(tf.int64)})
        return lists["s"], lists["v"].indices, lengths["s"]
    s, indices, length = parse.get_concrete_function(
        tf.TensorSpec([None], tf.string)).structured_outputs
    assert s.shape.as_list() == [None, None, 2] and indices.shape.as_list() == [None, 3]
    assert length.shape.as_list() == [None]
    batch = np.array([_sequence(2)], dtype=object)  # (keeps the final NUL bytes)
    assert parse(tf.constant(batch))[2].numpy().tolist() == [2]


def test_serialize_tensor_bytes_match_tensorflow():
    t = tf.constant([[0., 1.], [2., 3.], [4., 5.]])
    expected = (b'\x08\x01\x12\x08\x12\x02\x08\x03\x12\x02\x08\x02"\x18\x00\x00\x00\x00\x00\x00'
                b'\x80?\x00\x00\x00@\x00\x00@@\x00\x00\x80@\x00\x00\xa0@')
    assert serialize_tensor(t).numpy() == expected
    assert serialize_tensor(tf.constant(3)).numpy() == b'\x08\x03\x12\x00"\x04\x03\x00\x00\x00'
    assert serialize_tensor(tf.constant([b"a", b"bc"])).numpy() == \
        b"\x08\x07\x12\x04\x12\x02\x08\x02B\x01aB\x02bc"
    assert serialize_tensor(tf.zeros([0, 2], tf.int64)).numpy() == \
        b"\x08\t\x12\x06\x12\x00\x12\x02\x08\x02"


@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float32).reshape(3, 2), np.array(7, np.int32),
    np.array([True, False]), np.zeros((0, 3), np.float64), np.array([1 + 2j], np.complex64),
    np.array([[b"a"], [b""]], dtype=object), np.array([1.5, -2], np.float16)])
def test_serialize_parse_round_trip(value):
    t = tf.constant(value)
    back = parse_tensor(serialize_tensor(t), out_type=t.dtype)
    assert back.dtype == t.dtype and back.shape == t.shape
    np.testing.assert_array_equal(back.numpy(), value)


def test_parse_tensor_errors():
    data = serialize_tensor(tf.constant(1.))
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Type mismatch between parsed tensor \(float\) and dtype "
                             r"\(double\)"):
        parse_tensor(data, tf.float64)
    with pytest.raises(TypeError):
        parse_tensor(tf.constant(1.), tf.float32)

    @tf.function
    def round_trip(x):
        return parse_tensor(serialize_tensor(x), tf.float32)
    assert round_trip(tf.constant([1., 2.])).numpy().tolist() == [1., 2.]
