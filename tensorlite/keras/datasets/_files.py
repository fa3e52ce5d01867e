"""Finding dataset files offline, and downloading them (checksum-verified) when online.

Search order for a dataset folder such as ``fashion-mnist``:
1. ``$TENSORLITE_DATASETS/<name>/`` (a local data folder, e.g. a checkout's shared datasets),
2. Keras's cache: ``$KERAS_HOME/datasets/<name>/`` or ``~/.keras/datasets/<name>/``,
3. Debian's dataset packages: ``/usr/share/datasets/<name>/`` (``apt-get install
   dataset-fashion-mnist``),
4. ``../shared/datasets/<name>/`` beside the current directory (a tensorlite checkout).
Only then is the file downloaded into the Keras cache, and a download that fails
raises an error saying where to put the files.
"""
import gzip
import hashlib
import os
import tempfile
import urllib.request

import numpy as np

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def keras_cache_dir():
    """Keras's dataset cache: $KERAS_HOME/datasets or ~/.keras/datasets."""
    base = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(base, "datasets")


def search_dirs(name):
    dirs = []
    if os.environ.get("TENSORLITE_DATASETS"):
        dirs.append(os.path.join(os.environ["TENSORLITE_DATASETS"], name))
    dirs.append(os.path.join(keras_cache_dir(), name))
    dirs.append(os.path.join("/usr/share/datasets", name))
    dirs.append(os.path.join(os.getcwd(), "..", "shared", "datasets", name))
    return dirs


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gunzipped_sha256(path):
    """sha256 of a .gz file's content (gzip headers differ between mirrors; content not)."""
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_or_fetch(folder, filename, url, file_hash=None, hasher=sha256):
    """The path of `folder/filename` from the search dirs, else downloaded to the cache
    (`folder` "" means the cache root) and checked against `file_hash`."""
    for d in search_dirs(folder) if folder else [keras_cache_dir()]:
        path = os.path.join(d, filename)
        if os.path.isfile(path):
            return path
    target_dir = os.path.join(keras_cache_dir(), folder)
    target = os.path.join(target_dir, filename)
    try:
        os.makedirs(target_dir, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".download-")
        os.close(fd)
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(tmp, "wb") as out:
                for chunk in iter(lambda: response.read(1 << 20), b""):
                    out.write(chunk)
            if file_hash is not None and hasher(tmp) != file_hash:
                raise ValueError(f"checksum mismatch for {url}")
            os.replace(tmp, target)  # atomic: no half-written file is ever found later
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    except Exception as e:  # noqa: BLE001 - every failure gets the same advice
        places = "\n  ".join(search_dirs(folder) if folder else [keras_cache_dir()])
        raise FileNotFoundError(
            f"Could not find '{filename}' for the {folder} dataset and could not download it "
            f"from {url} ({type(e).__name__}: {e}). Put the file in one of:\n  {places}\n"
            f"(or set TENSORLITE_DATASETS to a folder holding a '{folder}/' subfolder)."
        ) from None
    return target


def load_idx(path):
    """An IDX file (gzip or plain) as a uint8 array of its declared shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 8:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    ndim = raw[3]
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated: header says {shape}, found {data.size} bytes")
    return data.reshape(shape).copy()
