"""`keras.datasets.california_housing`: 20,640 census block groups, 8 features, house value.

Like Keras: the raw StatLib columns (longitude, latitude, housing median age,
total rooms, total bedrooms, population, households, median income) and the
median house value in dollars, shuffled with `seed` and split by `test_split`.
"""
import os

import numpy as np

from tensorlite.keras.datasets._files import KERAS_ORIGIN, find_or_fetch, search_dirs


def _raw(path):
    """(x, y): the raw StatLib file from a data folder, else Keras's npz (cache/download)."""
    for d in search_dirs("california-housing"):
        raw = os.path.join(d, "cal_housing.data.gz")
        if os.path.isfile(raw):
            data = np.loadtxt(raw, delimiter=",")
            return data[:, :8], data[:, 8]
    npz = find_or_fetch("", path, KERAS_ORIGIN + "california_housing.npz")
    with np.load(npz, allow_pickle=False) as f:
        return f["x"], f["y"]


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """((x_train, y_train), (x_test, y_test)); version "small" keeps the first 600 rows."""
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. "
                         f"Received: version={version}")
    x, y = _raw(path)
    if version == "small":
        x, y = x[:600], y[:600]
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices].astype("float32"), y[indices].astype("float32")
    n_train = int((1 - test_split) * len(x))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])
