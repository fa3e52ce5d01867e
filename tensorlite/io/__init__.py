"""`tf.io`: parsing and file helpers.

TFRecord files, Example parsing and image codecs load on first use: they import
protobuf and Pillow, which `import tensorlite` need not pay for.
"""
import importlib

from tensorlite.io.decode_csv import decode_csv  # noqa: F401

_LAZY = {
    "TFRecordOptions": "tfrecord", "TFRecordWriter": "tfrecord",
    "FixedLenFeature": "parsing", "FixedLenSequenceFeature": "parsing",
    "VarLenFeature": "parsing", "parse_example": "parsing", "parse_single_example": "parsing",
    "parse_sequence_example": "parsing", "parse_single_sequence_example": "parsing",
    "serialize_tensor": "parsing", "parse_tensor": "parsing",
    "encode_png": "images", "decode_png": "images", "encode_jpeg": "images",
    "decode_jpeg": "images", "decode_image": "images",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tensorlite.io' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"tensorlite.io.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
