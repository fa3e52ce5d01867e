"""`keras.datasets.mnist`: 60,000 + 10,000 28x28 grayscale handwritten digits.

Reads the four IDX files from a data folder (see `_files`) if present, else
Keras's ``mnist.npz`` from its cache, downloading it (checksum-verified) if online.
"""
import os

import numpy as np

from tensorlite.keras.datasets._files import (KERAS_ORIGIN, find_or_fetch, search_dirs,
                                              sha256)
from tensorlite.keras.datasets._idx_datasets import FILES, load_idx_dataset

_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_CONTENT_SHA256 = {
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
}


def load_data(path="mnist.npz"):
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like Keras."""
    if any(all(os.path.isfile(os.path.join(d, f)) for f in FILES) for d in search_dirs("mnist")):
        return load_idx_dataset("mnist", _CONTENT_SHA256)
    npz = find_or_fetch("", path, KERAS_ORIGIN + "mnist.npz", _NPZ_SHA256, sha256)
    with np.load(npz, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
