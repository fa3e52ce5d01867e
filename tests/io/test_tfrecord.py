"""TFRecord files: the framing (TensorFlow's bytes), compression, atomic writes, corrupted
and truncated files (DataLossError), and tf.data.TFRecordDataset with interleaved reads."""
import gzip
import os
import struct
import zlib

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.data.tfrecord_dataset import TFRecordDataset
from tensorlite.framework import errors
from tensorlite.io.crc32c import crc32c, masked_crc32c
from tensorlite.io.tfrecord import TFRecordOptions, TFRecordWriter, read_records

# my_data.tfrecord of the book, as TensorFlow writes it (first record and its CRCs)
_FIRST_HEADER = bytes.fromhex("1800000000000000a37f4b22")
_FIRST_DATA_CRC = bytes.fromhex("e9b7555e")


def _write(path, records, options=None):
    with TFRecordWriter(str(path), options) as f:
        for record in records:
            f.write(record)


def _read(path, **kwargs):
    return [t.numpy() for t in TFRecordDataset([str(path)], **kwargs)]


def test_crc32c_known_values():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    assert masked_crc32c(b"") == 0xA282EAD8


def test_file_layout_is_tensorflows(tmp_path):
    path = tmp_path / "my_data.tfrecord"
    _write(path, [b"This is the first record", b"And this is the second record"])
    raw = path.read_bytes()
    assert len(raw) == 85
    assert raw[:12] == _FIRST_HEADER
    assert raw[12:36] == b"This is the first record"
    assert raw[36:40] == _FIRST_DATA_CRC
    assert struct.unpack("<Q", raw[40:48])[0] == 29


def test_dataset_yields_string_scalars(tmp_path):
    path = tmp_path / "a.tfrecord"
    _write(path, [b"one", b"", "two"])
    dataset = TFRecordDataset(str(path))
    assert dataset.element_spec == tf.TensorSpec([], tf.string)
    items = list(dataset)
    assert [t.numpy() for t in items] == [b"one", b"", b"two"]
    assert items[0].shape == () and items[0].dtype == tf.string
    assert repr(dataset).startswith("<TFRecordDatasetV2 element_spec=TensorSpec(shape=()")
    batch = next(iter(dataset.batch(3)))
    assert batch.numpy().tolist() == [b"one", b"", b"two"]


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_compressed_files(tmp_path, compression):
    path = tmp_path / "c.tfrecord"
    records = [b"Compress, compress, compress!", b"x" * 5000]
    _write(path, records, TFRecordOptions(compression_type=compression))
    raw = path.read_bytes()
    plain = gzip.decompress(raw) if compression == "GZIP" else zlib.decompress(raw)
    assert list(read_records_from_bytes(tmp_path, plain)) == records
    assert _read(path, compression_type=compression) == records
    # the options may also be given as the name
    _write(path, records, compression)
    assert _read(path, compression_type=compression) == records


def read_records_from_bytes(tmp_path, data):
    path = tmp_path / "plain.tfrecord"
    path.write_bytes(data)
    return read_records(str(path))


def test_wrong_compression_is_data_loss(tmp_path):
    path = tmp_path / "p.tfrecord"
    _write(path, [b"abc"])
    with pytest.raises(errors.DataLossError):
        _read(path, compression_type="GZIP")


def test_options():
    options = TFRecordOptions("ZLIB")
    assert (options.compression_type, options.compression_level) == ("ZLIB", None)
    assert TFRecordOptions().compression_type == ""
    assert TFRecordOptions.get_compression_type_string(None) == ""
    assert TFRecordOptions.get_compression_type_string(options) == "ZLIB"
    with pytest.raises(ValueError, match='Not a valid compression_type: "FOO"'):
        TFRecordOptions(compression_type="FOO")
    with pytest.raises(ValueError, match="compression_type"):
        TFRecordDataset(["x"], compression_type="BZ2")


def test_interleaved_reads(tmp_path):
    paths = []
    for i in range(3):
        paths.append(str(tmp_path / f"f{i}.tfrecord"))
        _write(paths[-1], [f"File {i} record {j}".encode() for j in range(i + 1)])
    sequential = [t.numpy() for t in TFRecordDataset(paths)]
    assert sequential == [b"File 0 record 0", b"File 1 record 0", b"File 1 record 1",
                          b"File 2 record 0", b"File 2 record 1", b"File 2 record 2"]
    parallel = [t.numpy() for t in TFRecordDataset(paths, num_parallel_reads=3)]
    assert parallel == [b"File 0 record 0", b"File 1 record 0", b"File 2 record 0",
                        b"File 1 record 1", b"File 2 record 1", b"File 2 record 2"]
    autotuned = [t.numpy() for t in TFRecordDataset(paths, num_parallel_reads=tf.data.AUTOTUNE)]
    assert sorted(autotuned) == sorted(sequential)
    names = tf.data.Dataset.from_tensor_slices(paths[:2])
    assert len([t for t in TFRecordDataset(names)]) == 3


def test_corruption_and_truncation(tmp_path):
    path = tmp_path / "x.tfrecord"
    _write(path, [b"abc", b"defgh"])
    raw = path.read_bytes()
    cases = [(raw[:-2], "truncated record at 19"),
             (raw[:16] + b"X" + raw[17:], "corrupted record at 12"),
             (raw[:8] + b"XXXX" + raw[12:], r"corrupted record at 0 \(Is this even a TFRecord")]
    for data, message in cases:
        path.write_bytes(data)
        with pytest.raises(errors.DataLossError, match=message):
            _read(path)
    path.write_bytes(raw[:5])  # an incomplete header at the end: no more records
    assert _read(path) == []
    with pytest.raises(errors.NotFoundError, match="No such file or directory"):
        _read(tmp_path / "missing.tfrecord")


def test_writer_is_atomic_and_closes(tmp_path):
    path = tmp_path / "w.tfrecord"
    writer = TFRecordWriter(str(path))
    writer.write(b"a")
    writer.flush()
    assert not path.exists()  # written under a temporary name until closed
    writer.close()
    assert _read(path) == [b"a"]
    assert os.listdir(tmp_path) == ["w.tfrecord"]
    with pytest.raises(errors.FailedPreconditionError, match="Writer is closed"):
        writer.write(b"b")
    writer.close()  # closing again does nothing
    with pytest.raises(RuntimeError):
        with TFRecordWriter(str(path)) as f:
            f.write(b"new")
            raise RuntimeError
    assert _read(path) == [b"a"] and os.listdir(tmp_path) == ["w.tfrecord"]


def test_written_file_has_ordinary_permissions(tmp_path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    path = tmp_path / "r.tfrecord"
    _write(path, [b"a"])
    assert os.stat(path).st_mode == os.stat(plain).st_mode
    with pytest.raises(errors.NotFoundError, match="No such file or directory"):
        TFRecordWriter(str(tmp_path / "missing" / "r.tfrecord"))


def test_write_accepts_string_tensors(tmp_path):
    path = tmp_path / "t.tfrecord"
    _write(path, [tf.constant(b"tensor"), np.bytes_(b"numpy")])
    assert _read(path) == [b"tensor", b"numpy"]
    with pytest.raises(TypeError, match="bytes"):
        _write(path, [123])
