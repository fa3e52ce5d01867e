"""TensorBoard event files: the records `keras.callbacks.TensorBoard` writes.

An event file ("events.out.tfevents.<time>.<host>.<pid>.<n>.v2") is a
sequence of TFRecords, each framing one serialized `Event` protobuf:

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)

The few protobuf messages needed are encoded by hand with their field numbers
(tensorboard's event.proto, summary.proto, tensor.proto, tensor_shape.proto):

    Event        wall_time=1 (double), step=2 (int64), file_version=3,
                 summary=5, source_metadata=10 {writer=1}
    Summary      value=1 (repeated Value)
    Value        tag=1, tensor=8 (TensorProto), metadata=9 (SummaryMetadata)
    Metadata     plugin_data=1 {plugin_name=1, content=2}
    TensorProto  dtype=1, tensor_shape=2 {dim=2 {size=1}}, tensor_content=4,
                 string_val=8

Scalars are written as TF 2's `tf.summary.scalar` writes them: a float32
tensor of shape () tagged with the "scalars" plugin.
"""
import itertools
import os
import socket
import struct
import time

import numpy as np

from tensorlite.io.crc32c import crc32c, frame_record  # noqa: F401 (crc32c: tests)

# ---- protobuf wire format ---------------------------------------------------------------------


def _varint(value):
    out = bytearray()
    value &= (1 << 64) - 1  # negative int64 values use ten bytes, as protobuf does
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field, wire_type):
    return _varint(field << 3 | wire_type)


def _int_field(field, value):
    return _key(field, 0) + _varint(value)


def _double_field(field, value):
    return _key(field, 1) + struct.pack("<d", value)


def _bytes_field(field, value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return _key(field, 2) + _varint(len(value)) + value


_DT_FLOAT, _DT_DOUBLE, _DT_STRING = 1, 2, 7


def _tensor_proto(dtype, shape, content=None, string_val=None):
    shape_msg = b"".join(_bytes_field(2, _int_field(1, d)) for d in shape)
    msg = _int_field(1, dtype) + _bytes_field(2, shape_msg)
    if content is not None:
        msg += _bytes_field(4, content)
    if string_val is not None:
        msg += _bytes_field(8, string_val)
    return msg


def _summary_value(tag, tensor, plugin_name, plugin_content=b""):
    plugin_data = _bytes_field(1, plugin_name)
    if plugin_content:
        plugin_data += _bytes_field(2, plugin_content)
    value = _bytes_field(1, tag) + _bytes_field(8, tensor) + _bytes_field(9, _bytes_field(
        1, plugin_data))
    return _bytes_field(1, value)  # Summary.value


def _event(wall_time, step=0, summary=None, file_version=None, writer=None):
    msg = _double_field(1, wall_time)
    if step:
        msg += _int_field(2, step)
    if file_version is not None:
        msg += _bytes_field(3, file_version)
    if summary is not None:
        msg += _bytes_field(5, summary)
    if writer is not None:
        msg += _bytes_field(10, _bytes_field(1, writer))
    return msg


def histogram_buckets(values, bucket_count=30):
    """(bucket_count, 3) float64 rows of (left edge, right edge, count), as TensorBoard's
    histogram summaries bucket `values` (equal widths between the min and the max)."""
    data = np.asarray(values, dtype=np.float64).ravel()
    if data.size == 0:
        return np.zeros((bucket_count, 3))
    low, high = data.min(), data.max()
    if low == high:  # one value: zero-width buckets, all the counts in the last one
        out = np.full((bucket_count, 3), low)
        out[:, 2] = 0
        out[-1, 2] = data.size
        return out
    width = (high - low) / bucket_count
    indices = np.minimum(np.floor((data - low) / width).astype(np.int64), bucket_count - 1)
    counts = np.bincount(indices, minlength=bucket_count).astype(np.float64)
    edges = np.linspace(low, high, bucket_count + 1)
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


_writer_ids = itertools.count()


class EventFileWriter:
    """Writes summaries to a new event file in `logdir` (created if needed).

    >>> writer = EventFileWriter("logs/train")
    >>> writer.add_scalar("epoch_loss", 0.25, step=0)
    >>> writer.close()
    """

    def __init__(self, logdir):
        os.makedirs(logdir, exist_ok=True)
        now = time.time()
        name = (f"events.out.tfevents.{int(now)}.{socket.gethostname()}.{os.getpid()}."
                f"{next(_writer_ids)}.v2")
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        self._write(_event(float(int(now)), file_version="brain.Event:2",
                           writer="tensorflow.core.util.events_writer"))
        self.flush()

    def _write(self, event):
        self._file.write(frame_record(event))

    def _add(self, step, summary):
        self._write(_event(time.time(), step=int(step), summary=summary))

    def add_scalar(self, tag, value, step):
        """A float32 scalar summary (TensorBoard's "scalars" plugin)."""
        tensor = _tensor_proto(_DT_FLOAT, (), content=struct.pack("<f", float(value)))
        self._add(step, _summary_value(tag, tensor, "scalars"))

    def add_histogram(self, tag, values, step, buckets=30):
        """A histogram of `values` ("histograms" plugin): float64 (buckets, 3) edges and counts."""
        rows = histogram_buckets(values, buckets)
        tensor = _tensor_proto(_DT_DOUBLE, rows.shape, content=rows.astype("<f8").tobytes())
        self._add(step, _summary_value(tag, tensor, "histograms"))

    def add_keras_model(self, config_json, step=0):
        """The model's JSON config, which TensorBoard's graph dashboard draws."""
        tensor = _tensor_proto(_DT_STRING, (), string_val=config_json)
        self._add(step, _summary_value("keras", tensor, "graph_keras_model", b"1"))

    def flush(self):
        self._file.flush()

    def close(self):
        if not self._file.closed:
            self._file.close()
