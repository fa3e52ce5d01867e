"""The Keras 3 `.keras` file: a zip archive holding

- metadata.json: {"keras_version": ..., "date_saved": ...};
- config.json: the model's serialization dict (`serialize_keras_object`) with
  its "build_config" and "compile_config";
- model.weights.h5: the variables of the model and its optimizer, laid out as
  `weights_h5` describes.

Files written here load in Keras 3 and Keras 3's files load here, for the
layers tensorlite has.
"""
import datetime
import importlib
import io
import json
import os
import zipfile

import numpy as np

from tensorlite.keras.saving import weights_h5
from tensorlite.keras.saving.serialization import (custom_object_scope,
                                                   deserialize_keras_object, safe_mode_scope,
                                                   serialize_keras_object)

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
KERAS_SUFFIX = ".keras"


def _json_default(obj):
    """JSON for what configs may hold besides JSON types (NumPy values, shapes, dtypes)."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    as_list = getattr(obj, "as_list", None)  # TensorShape
    if callable(as_list):
        return as_list()
    name = getattr(obj, "name", None)  # DType
    if isinstance(name, str):
        return name
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def config_to_json(config):
    """A serialized config as JSON text."""
    return json.dumps(config, default=_json_default)


def _metadata():
    from tensorlite import keras
    return {"keras_version": keras.__version__,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}


def _weights_bytes(model):
    h5py = weights_h5._h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        weights_h5.save_state(model, f)
    return buffer.getvalue()


def save_model(model, filepath):
    """Writes `model` (architecture, weights, optimizer state, compile arguments) to a
    `.keras` file, atomically."""
    config = config_to_json(serialize_keras_object(model))
    metadata = json.dumps(_metadata())
    weights = _weights_bytes(model)

    def write(path):
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(METADATA_FILENAME, metadata)
            zf.writestr(CONFIG_FILENAME, config)
            zf.writestr(WEIGHTS_FILENAME, weights)
    weights_h5.atomic_write(filepath, write)


def _open_archive(filepath):
    """The `.keras` zip, or a ValueError naming the file if it is not a complete one."""
    try:
        zf = zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"The file {filepath} is not a valid `.keras` file: it is not a "
                         f"complete zip archive (it may be truncated or corrupted): {e}") from e
    missing = [n for n in (CONFIG_FILENAME, WEIGHTS_FILENAME) if n not in zf.namelist()]
    if missing:
        zf.close()
        raise ValueError(f"The file {filepath} is not a valid `.keras` file: it has no "
                         f"{' or '.join(missing)}.")
    return zf


def _read_member(zf, filepath, name):
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise ValueError(f"Could not read {name} in {filepath} (the file may be truncated or "
                         f"corrupted): {e}") from e


def _load_weights_from_archive(model, zf, filepath, skip_mismatch=False):
    h5py = weights_h5._h5py()
    data = _read_member(zf, filepath, WEIGHTS_FILENAME)
    try:
        f = h5py.File(io.BytesIO(data), "r")
    except OSError as e:
        raise ValueError(f"The weights in {filepath} are not a valid HDF5 file (the file may "
                         f"be truncated or corrupted): {e}") from e
    with f:
        weights_h5.load_state(model, f, skip_mismatch=skip_mismatch)


def _register_builtins():
    """Imports the Keras modules whose classes a config may name (they register on import)."""
    for name in _BUILTIN_MODULES:
        importlib.import_module(f"tensorlite.keras.{name}")


_BUILTIN_MODULES = ("activations", "constraints", "initializers", "layers", "losses", "metrics",
                    "models", "optimizers", "regularizers")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds the model saved in a `.keras` file: architecture, weights and, with
    `compile=True`, its compile arguments and optimizer state."""
    _register_builtins()
    with _open_archive(filepath) as zf:
        try:
            config = json.loads(_read_member(zf, filepath, CONFIG_FILENAME))
        except json.JSONDecodeError as e:
            raise ValueError(f"The config.json of {filepath} is not valid JSON (the file may be "
                             f"corrupted): {e}") from e
        if not compile:
            config.pop("compile_config", None)
        with custom_object_scope(custom_objects), safe_mode_scope(safe_mode):
            model = deserialize_keras_object(config, custom_objects=custom_objects,
                                             safe_mode=safe_mode)
        _load_weights_from_archive(model, zf, filepath)
    return model


def load_weights(model, filepath, skip_mismatch=False):
    """Loads only the weights (and optimizer state) stored in a `.keras` file."""
    with _open_archive(filepath) as zf:
        _load_weights_from_archive(model, zf, filepath, skip_mismatch=skip_mismatch)


def is_keras_file(filepath):
    return os.fspath(filepath).endswith(KERAS_SUFFIX)
