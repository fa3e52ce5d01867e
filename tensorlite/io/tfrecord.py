"""TFRecord files: `tf.io.TFRecordWriter`, `tf.io.TFRecordOptions`, and the record
reader behind `tf.data.TFRecordDataset`.

A TFRecord file is a sequence of records, each framed as

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)

(little-endian), optionally compressed as a whole with GZIP or ZLIB. Files written
here are read by TensorFlow and the other way round.
"""
import gzip
import os
import secrets
import struct
import zlib

from tensorlite.framework import errors
from tensorlite.io.crc32c import frame_record, masked_crc32c

_COMPRESSIONS = ("", "GZIP", "ZLIB")
_HEADER = 12  # uint64 length + uint32 CRC of the length


def _compression_name(compression_type):
    """"", "GZIP" or "ZLIB" from None, a name, or a `TFRecordOptions`."""
    if isinstance(compression_type, TFRecordOptions):
        return compression_type.compression_type
    name = compression_type or ""
    if name not in _COMPRESSIONS:
        raise ValueError(f'Not a valid compression_type: "{name}"')
    return name


class TFRecordOptions:
    """Options of a TFRecord file: its compression ("", "GZIP" or "ZLIB").

    >>> options = tf.io.TFRecordOptions(compression_type="GZIP")
    >>> with tf.io.TFRecordWriter("data.tfrecord.gz", options) as f:
    ...     f.write(b"record")

    compression_level: 0-9 (zlib's levels), None for the default (6, as zlib).
    The remaining zlib tuning arguments of TensorFlow are accepted for
    compatibility; only `compression_level` changes the output.
    """

    compression_type_map = {"": 0, "ZLIB": 1, "GZIP": 2}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        if compression_type is None:
            compression_type = ""
        self.compression_type = _compression_name(compression_type)
        if compression_level is not None and not 0 <= compression_level <= 9:
            raise ValueError(f"compression_level must be in [0, 9], got {compression_level}")
        self.compression_level = compression_level
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        """The compression name ("", "GZIP", "ZLIB") of `options` (options, a name or None)."""
        if options is None:
            return ""
        return _compression_name(options)

    def __repr__(self):
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


class _ZlibFile:
    """A binary file object writing one zlib stream (TensorFlow's "ZLIB" files)."""

    def __init__(self, raw, level):
        self._raw = raw
        self._zlib = zlib.compressobj(6 if level is None else level)

    def write(self, data):
        self._raw.write(self._zlib.compress(data))

    def flush(self):
        self._raw.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._raw.flush()

    def close(self):
        self._raw.write(self._zlib.flush())
        self._raw.close()


def _open_temporary(path):
    """A new file beside `path` (same file system, so it can be renamed over `path`),
    created with the permissions an ordinary `open` gives."""
    directory, name = os.path.split(os.path.abspath(path))
    while True:
        tmp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return open(tmp, "xb"), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") \
                from None


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file.

    >>> with tf.io.TFRecordWriter("my_data.tfrecord") as f:
    ...     f.write(b"This is the first record")

    The file is written under a temporary name in the same directory and renamed
    to `path` when the writer is closed, so readers never see a partial file.
    """

    def __init__(self, path, options=None):
        path = os.fspath(path)
        compression = TFRecordOptions.get_compression_type_string(options)
        level = options.compression_level if isinstance(options, TFRecordOptions) else None
        self._path = path
        raw, self._tmp = _open_temporary(path)
        if compression == "GZIP":
            # mtime=0 and no file name: the same records always give the same bytes
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0,
                                       compresslevel=6 if level is None else level)
            self._raw = raw
        elif compression == "ZLIB":
            self._file, self._raw = _ZlibFile(raw, level), None
        else:
            self._file, self._raw = raw, None
        self._closed = False

    def _check_open(self):
        if self._closed:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")

    def write(self, record):
        """Appends one record (bytes; a str is written as its UTF-8 bytes)."""
        self._check_open()
        if isinstance(record, str):
            record = record.encode("utf-8")
        elif not isinstance(record, bytes):
            record = _as_bytes(record)
        self._file.write(frame_record(record))

    def flush(self):
        """Pushes buffered records to the (temporary) file."""
        self._check_open()
        self._file.flush()

    def close(self):
        """Finishes the file and moves it to its final path; closing twice does nothing."""
        if self._closed:
            return
        self._closed = True
        self._file.close()
        if self._raw is not None:
            self._raw.close()
        os.replace(self._tmp, self._path)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not self._closed:
            # a failed block leaves no file behind (the old one, if any, stays)
            self._closed = True
            self._file.close()
            if self._raw is not None:
                self._raw.close()
            os.remove(self._tmp)
            return
        self.close()

    def __del__(self):
        if not getattr(self, "_closed", True):
            self.close()


def _as_bytes(record):
    """A record given as a scalar tf.string tensor or a NumPy bytes scalar, as bytes."""
    value = record.numpy() if hasattr(record, "numpy") else record
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str):
        return value.encode("utf-8")
    if not isinstance(value, bytes):
        raise TypeError(f"write() argument must be bytes, not {type(record).__name__}")
    return value


def _open(path, compression_type):
    """`path` opened for reading, decompressed as `compression_type` says."""
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise errors.op_error(errors.NotFoundError, "IteratorGetNext",
                              f"{path}; No such file or directory") from None
    if compression_type == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression_type == "ZLIB":
        return _ZlibReader(raw)
    return raw


class _ZlibReader:
    """A readable file object over one zlib stream (TensorFlow's "ZLIB" files)."""

    def __init__(self, raw):
        self._raw = raw
        self._zlib = zlib.decompressobj()
        self._buffer = b""

    def read(self, n):
        while len(self._buffer) < n and not self._zlib.eof:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                break
            self._buffer += self._zlib.decompress(chunk)
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def close(self):
        self._raw.close()


def _data_loss(message):
    return errors.op_error(errors.DataLossError, "IteratorGetNext", message)


def _read_exact(f, n):
    """`n` bytes from `f`; fewer only at the end of the data. A stream that cannot be
    decompressed is a DataLossError, as in TensorFlow."""
    try:
        return f.read(n)
    except (OSError, EOFError, zlib.error) as e:
        raise _data_loss(f"inflate() failed: {e}") from None


def read_records(path, compression_type=""):
    """The records of one TFRecord file (bytes each), their checksums verified.

    A corrupted length or record, or a record cut short, raises DataLossError; an
    incomplete header at the very end of the file ends the file, as in TensorFlow.
    """
    f = _open(path, compression_type)
    try:
        offset = 0
        while True:
            header = _read_exact(f, _HEADER)
            if len(header) < _HEADER:
                return
            length_bytes = header[:8]
            if struct.unpack("<I", header[8:])[0] != masked_crc32c(length_bytes):
                raise _data_loss(f"corrupted record at {offset}"
                                 + (" (Is this even a TFRecord file?)" if offset == 0 else ""))
            (length,) = struct.unpack("<Q", length_bytes)
            payload = _read_exact(f, length + 4)
            if len(payload) < length + 4:
                raise _data_loss(f"truncated record at {offset}' failed with Read less bytes "
                                 "than requested")
            data = payload[:length]
            if struct.unpack("<I", payload[length:])[0] != masked_crc32c(data):
                raise _data_loss(f"corrupted record at {offset + _HEADER}")
            yield data
            offset += _HEADER + length + 4
    finally:
        f.close()
