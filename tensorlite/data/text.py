"""`tf.data.TextLineDataset`: the lines of text files, as scalar tf.string tensors."""
import gzip
import zlib

import numpy as np

from tensorlite.data.dataset import Dataset, eager_tensor
from tensorlite.data.transformations import interleaved
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.tensor_spec import TensorSpec


def _read(path, compression_type):
    """The bytes of a file, decompressed as `compression_type` ("", "GZIP", "ZLIB") says."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.op_error(errors.NotFoundError, "IteratorGetNext",
                              f"{path}; No such file or directory") from None
    if compression_type == "GZIP":
        return gzip.decompress(data)
    if compression_type == "ZLIB":
        return zlib.decompress(data)
    return data


def _lines(path, compression_type):
    """The lines of a file without their line endings ('\\n', '\\r\\n') as flat elements."""
    lines = _read(path, compression_type).split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    values = np.empty(len(lines), dtype=object)
    values[:] = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    for i in range(len(values)):
        yield (values[i, ...],)


def _filenames(filenames):
    """The file names as a re-iterable source: a list of str, or a dataset of names."""
    if isinstance(filenames, Dataset):
        spec = filenames.element_spec
        if not isinstance(spec, TensorSpec) or spec.dtype is not _dtypes.string:
            raise TypeError("The `filenames` argument must contain `tf.string` elements. Got a "
                            f"dataset of {spec!r}.")
        return filenames
    t = eager_tensor(filenames)
    if t.dtype is not _dtypes.string:
        raise TypeError("The `filenames` argument must contain `tf.string` elements. Got "
                        f"`{t.dtype!r}` elements.")
    if t.shape.rank not in (0, 1):
        raise ValueError("The `filenames` argument must be a scalar or a vector of strings, "
                         f"got shape {t.shape}.")
    return [v.decode() for v in np.asarray(t.numpy(), dtype=object).reshape(-1)]


class TextLineDataset(Dataset):
    """The lines of one or more text files (without line endings).

    >>> dataset = tf.data.TextLineDataset(["file1.csv", "file2.csv"]).skip(1)

    compression_type: "" (none), "GZIP" or "ZLIB". With `num_parallel_reads` > 1,
    that many files are read at once and their lines interleaved.
    """

    _tf_name = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        self._filenames = _filenames(filenames)
        self._compression = compression_type or ""
        if self._compression not in ("", "GZIP", "ZLIB"):
            raise errors.op_error(errors.InvalidArgumentError, "TextLineDataset",
                                  f"Unsupported compression_type: {self._compression}.")
        self._parallel_reads = num_parallel_reads

    def _compute_element_spec(self):
        return TensorSpec([], _dtypes.string)

    def _paths(self):
        if isinstance(self._filenames, Dataset):
            return (flat[0][()].decode() for flat in self._filenames._iter_flat())
        return iter(self._filenames)

    def _iter_elements(self):
        paths = self._paths()
        n = self._parallel_reads
        if n is not None and n > 1:
            return interleaved(paths, lambda p: _lines(p, self._compression), n, 1)
        return (line for path in paths for line in _lines(path, self._compression))
