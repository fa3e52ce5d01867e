"""`tf.data.TFRecordDataset`: the records of TFRecord files, as scalar tf.string tensors."""
import os

import numpy as np

from tensorlite.data.dataset import Dataset
from tensorlite.data.options import AUTOTUNE
from tensorlite.data.text import _filenames
from tensorlite.data.transformations import interleaved
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.io.tfrecord import _compression_name, read_records


def _elements(path, compression_type):
    """The records of one file as flat elements: 1-tuples of 0-d object arrays."""
    for record in read_records(path, compression_type):
        value = np.empty((), dtype=object)
        value[()] = record
        yield (value,)


class TFRecordDataset(Dataset):
    """The records of one or more TFRecord files, checksums verified.

    >>> dataset = tf.data.TFRecordDataset(["my_data.tfrecord"])
    >>> dataset = tf.data.TFRecordDataset(paths, compression_type="GZIP",
    ...                                   num_parallel_reads=3)

    compression_type: "" or None (none), "GZIP" or "ZLIB". With
    `num_parallel_reads` > 1, that many files are read at once and their records
    interleaved one by one (AUTOTUNE: one file per CPU core). `buffer_size` (the
    read buffer in bytes) is accepted for compatibility.
    """

    _tf_name = "TFRecordDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        self._filenames = _filenames(filenames)
        # (TensorFlow silently reads an unknown compression_type as none: refused here)
        self._compression = _compression_name(compression_type)
        self._parallel_reads = num_parallel_reads

    def _compute_element_spec(self):
        return TensorSpec([], _dtypes.string)

    def _paths(self):
        if isinstance(self._filenames, Dataset):
            return (flat[0][()].decode() for flat in self._filenames._iter_flat())
        return iter(self._filenames)

    def _iter_elements(self):
        compression = self._compression
        paths = self._paths()
        n = self._parallel_reads
        if n == AUTOTUNE:  # as TensorFlow: one file per CPU core
            n = os.cpu_count() or 1
        if n is not None and n > 1:
            return interleaved(paths, lambda p: _elements(p, compression), n, 1)
        return (element for path in paths for element in _elements(path, compression))
