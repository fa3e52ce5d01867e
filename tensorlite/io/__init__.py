"""`tf.io`: parsing and file helpers."""
from tensorlite.io.decode_csv import decode_csv  # noqa: F401
from tensorlite.io.images import (decode_image, decode_jpeg, decode_png,  # noqa: F401
                                  encode_jpeg, encode_png)
from tensorlite.io.parsing import (FixedLenFeature, FixedLenSequenceFeature,  # noqa: F401
                                   VarLenFeature, parse_example, parse_single_example,
                                   parse_sequence_example,
                                   parse_single_sequence_example, parse_tensor,
                                   serialize_tensor)
from tensorlite.io.tfrecord import TFRecordOptions, TFRecordWriter  # noqa: F401
