"""MNIST-style datasets stored as four IDX files (train/t10k images and labels)."""
from tensorlite.keras.datasets._files import (KERAS_ORIGIN, find_or_fetch, gunzipped_sha256,
                                              load_idx)

FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


def load_idx_dataset(folder, content_hashes):
    """((x_train, y_train), (x_test, y_test)) from the folder's four IDX files; a download
    is checked against the sha256 of each file's decompressed content."""
    paths = [find_or_fetch(folder, f, KERAS_ORIGIN + f, content_hashes[f], gunzipped_sha256)
             for f in FILES]
    y_train, x_train, y_test, x_test = (load_idx(p) for p in paths)
    return (x_train, y_train), (x_test, y_test)
