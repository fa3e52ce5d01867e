import gzip
import os
import shutil

import numpy as np
import pytest

from tensorlite.keras.datasets import _files, california_housing, fashion_mnist, mnist

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets")
needs_shared = pytest.mark.skipif(not os.path.isdir(SHARED),
                                  reason="../shared/datasets not present")


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No data anywhere but where the test puts it; cwd has no ../shared."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("TENSORLITE_DATASETS", raising=False)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(_files, "search_dirs", lambda name: [
        os.path.join(os.environ.get("TENSORLITE_DATASETS", str(tmp_path / "none")), name),
        os.path.join(_files.keras_cache_dir(), name)])
    return tmp_path


@needs_shared
def test_fashion_mnist_from_a_data_folder(isolated, monkeypatch):
    monkeypatch.setenv("TENSORLITE_DATASETS", SHARED)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_test.shape == (10000,) and np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:5].tolist() == [9, 0, 0, 3, 0]


@needs_shared
def test_mnist_from_the_keras_cache_layout(isolated):
    dest = isolated / "keras" / "datasets" / "mnist"
    dest.mkdir(parents=True)
    for f in os.listdir(os.path.join(SHARED, "mnist")):
        shutil.copy(os.path.join(SHARED, "mnist", f), dest / f)
    (x_train, y_train), (x_test, _) = mnist.load_data()
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert abs(x_train.mean() / 255 - 0.130660) < 1e-5 and x_test.shape == (10000, 28, 28)


@needs_shared
def test_california_housing_split_like_keras(isolated, monkeypatch):
    monkeypatch.setenv("TENSORLITE_DATASETS", SHARED)
    (x_train, y_train), (x_test, y_test) = california_housing.load_data()
    assert x_train.shape == (16512, 8) and x_test.shape == (4128, 8)
    raw = np.loadtxt(os.path.join(SHARED, "california-housing", "cal_housing.data.gz"),
                     delimiter=",")
    idx = np.arange(len(raw))
    np.random.RandomState(113).shuffle(idx)
    np.testing.assert_allclose(x_train[0], raw[idx[0], :8].astype(np.float32))
    np.testing.assert_allclose(y_test[-1], raw[idx[-1], 8])
    (xs, _), _ = california_housing.load_data(version="small")
    assert xs.shape == (480, 8)
    with pytest.raises(ValueError):
        california_housing.load_data(version="medium")


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_offline_failure_says_where_to_put_files(isolated, monkeypatch):
    monkeypatch.setattr(_files, "KERAS_ORIGIN", "file:///nonexistent/")
    from tensorlite.keras.datasets import _idx_datasets
    monkeypatch.setattr(_idx_datasets, "KERAS_ORIGIN", "file:///nonexistent/")
    with pytest.raises(FileNotFoundError, match="Put the file in one of"):
        fashion_mnist.load_data()
    assert not any(n.startswith(".download") for n in os.listdir(
        isolated / "keras" / "datasets" / "fashion-mnist"))


def test_download_is_checksum_verified_and_atomic(isolated, monkeypatch):
    origin = isolated / "origin"
    origin.mkdir()
    _write_idx(origin / "t.gz", np.arange(6).reshape(2, 3))
    good = _files.gunzipped_sha256(str(origin / "t.gz"))
    path = _files.find_or_fetch("demo", "t.gz", (origin / "t.gz").as_uri(), good,
                                _files.gunzipped_sha256)
    np.testing.assert_array_equal(_files.load_idx(path), np.arange(6).reshape(2, 3))
    with pytest.raises(FileNotFoundError, match="checksum mismatch"):
        _files.find_or_fetch("demo", "u.gz", (origin / "t.gz").as_uri(), "0" * 64,
                             _files.gunzipped_sha256)
    assert not os.path.exists(isolated / "keras" / "datasets" / "demo" / "u.gz")


def test_truncated_idx_file_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.gz"
    with gzip.open(p, "wb") as f:
        f.write(bytes([0, 0, 8, 1]) + np.asarray([10], ">u4").tobytes() + b"abc")
    with pytest.raises(ValueError, match="truncated"):
        _files.load_idx(str(p))
    with pytest.raises(ValueError, match="not an IDX file"):
        p2 = tmp_path / "x.gz"
        with gzip.open(p2, "wb") as f:
            f.write(b"hello world")
        _files.load_idx(str(p2))
