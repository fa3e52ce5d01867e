"""`tf.train`: TensorFlow's Example protobufs (`tf.train.Example`, `Features`, `Feature`,
`BytesList`, ... and `SequenceExample`), as real protobuf message classes.

>>> example = tf.train.Example(features=tf.train.Features(feature={
...     "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[123]))}))
>>> data = example.SerializeToString()     # the bytes TensorFlow writes
"""
from tensorlite.train._protos import (BytesList, Example, Feature, FeatureList,  # noqa: F401
                                      FeatureLists, Features, FloatList, Int64List,
                                      SequenceExample)
