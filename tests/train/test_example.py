"""tf.train's Example protobufs: construction, TensorFlow's wire bytes, parsing back,
equality, text format, oneof, SequenceExample."""
import pytest

import tensorlite.train as train
from tensorlite.train import (BytesList, Example, Feature, FeatureList, FeatureLists,
                              Features, FloatList, Int64List, SequenceExample)

# bytes TensorFlow 2.21 writes for these messages
_FEATURE_BYTES = {
    "f": b"\x12\n\n\x08\x00\x00\xc0?\x00\x00\x00\xc0",
    "i": b"\x1a\x0e\n\x0c\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\xac\x02",
    "b": b"\n\x04\n\x02ab",
}
_SEQUENCE_BYTES = (b"\n\x0c\n\n\n\x01c\x12\x05\x1a\x03\n\x01\x05\x12\x11\n\x0f\n\x01s\x12\n\n"
                   b"\x08\x12\x06\n\x04\x00\x00\x80?")


def _person():
    return Example(features=Features(feature={
        "name": Feature(bytes_list=BytesList(value=[b"Alice"])),
        "id": Feature(int64_list=Int64List(value=[123])),
        "emails": Feature(bytes_list=BytesList(value=[b"a@b.com", b"c@d.com"]))}))


def test_exports():
    assert train.Example is Example and train.FeatureList is FeatureList
    assert Example.DESCRIPTOR.full_name == "tensorflow.Example"
    assert [f.name for f in Feature.DESCRIPTOR.fields] == ["bytes_list", "float_list",
                                                           "int64_list"]


def test_feature_wire_bytes_match_tensorflow():
    features = {
        "f": Feature(float_list=FloatList(value=[1.5, -2.0])),
        "i": Feature(int64_list=Int64List(value=[-1, 300])),
        "b": Feature(bytes_list=BytesList(value=[b"ab"])),
    }
    for key, feature in features.items():
        assert feature.SerializeToString() == _FEATURE_BYTES[key]
    example = Example(features=Features(feature=features))
    assert len(example.SerializeToString()) == 57


def test_round_trip_and_equality():
    person = _person()
    data = person.SerializeToString()
    assert len(data) == 66
    back = Example()
    assert back.ParseFromString(data) == 66
    assert back == person
    assert back.features.feature["name"].bytes_list.value[0] == b"Alice"
    back.features.feature["id"].int64_list.value[0] = 7
    assert back != person


def test_text_format():
    text = str(Feature(int64_list=Int64List(value=[1623, 12, 25])))
    assert text == "int64_list {\n  value: 1623\n  value: 12\n  value: 25\n}\n"
    person = str(_person())
    assert person.startswith('features {\n  feature {\n    key: "name"\n    value {\n'
                             '      bytes_list {\n        value: "Alice"\n')


def test_oneof_and_types():
    feature = Feature(bytes_list=BytesList(value=[b"x"]))
    assert feature.WhichOneof("kind") == "bytes_list"
    feature.int64_list.value.append(3)
    assert feature.WhichOneof("kind") == "int64_list" and not feature.HasField("bytes_list")
    assert Feature().WhichOneof("kind") is None
    assert FloatList(value=[0.1]).value[0] == pytest.approx(0.1)  # stored as float32
    with pytest.raises(TypeError):
        Int64List(value=[1.5])
    with pytest.raises(TypeError):
        BytesList(value=[1])


def test_sequence_example():
    sequence = SequenceExample(
        context=Features(feature={"c": Feature(int64_list=Int64List(value=[5]))}),
        feature_lists=FeatureLists(feature_list={
            "s": FeatureList(feature=[Feature(float_list=FloatList(value=[1.0]))])}))
    assert sequence.SerializeToString() == _SEQUENCE_BYTES
    back = SequenceExample.FromString(_SEQUENCE_BYTES)
    assert back == sequence
    assert len(back.feature_lists.feature_list["s"].feature) == 1
    assert "feature_lists {\n  feature_list {\n    key: \"s\"" in str(back)
