"""`keras.saving.save_model` / `load_model` / `save_weights` / `load_weights`, also behind
`model.save`, `keras.models.load_model`, `model.save_weights` and `model.load_weights`.

>>> model.save("my_model.keras")
>>> model = tf.keras.models.load_model("my_model.keras", custom_objects={"huber_fn": huber_fn})
>>> model.save_weights("my.weights.h5"); model.load_weights("my.weights.h5")
"""
import os

from tensorlite.keras.saving import keras_file, weights_h5
from tensorlite.keras.saving.serialization import (custom_object_scope,
                                                   deserialize_keras_object)


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves `model` to a `.keras` file (architecture, weights, optimizer, compile arguments).

    The file is written to a temporary name and then renamed, so an interrupted
    save never leaves a partial file behind.
    """
    filepath = os.fspath(filepath)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if filepath.endswith((".h5", ".hdf5")):
        raise ValueError(f"tensorlite does not write the legacy HDF5 model format "
                         f"(filepath={filepath}): save to a `.keras` file instead.")
    if not filepath.endswith(keras_file.KERAS_SUFFIX):
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` "
                         "extension for the native Keras format (recommended) or a `.h5` "
                         "extension. Use `model.export(filepath)` if you want to export a "
                         "SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={filepath}.")
    if zipped is False:
        raise ValueError("tensorlite saves `.keras` files zipped only: pass zipped=None or "
                         "True.")
    if not overwrite and os.path.exists(filepath) and not weights_h5.ask_to_overwrite(filepath):
        return
    keras_file.save_model(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save("x.keras")` (by tensorlite or Keras 3).

    Args:
        custom_objects: {name: class or function} for the custom objects of the model
            (a custom loss, layer or model class not registered with
            `register_keras_serializable`).
        compile: also compile the model as it was, restoring its optimizer state.
        safe_mode: refuse to deserialize Python bytecode (a Lambda layer's lambda); pass
            False only for files you trust.
    """
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an "
                         "accessible `.keras` zip file.")
    if not keras_file.is_keras_file(filepath) and not os.path.isdir(filepath):
        import zipfile
        if not zipfile.is_zipfile(filepath):
            raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only "
                             "supports V3 `.keras` files, legacy H5 format files (`.h5` "
                             "extension). Note that the legacy SavedModel format is not "
                             "supported by `load_model()` in Keras 3.")
    return keras_file.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                 safe_mode=safe_mode)


def model_from_json(json_string, custom_objects=None):
    """A new (untrained) model from `model.to_json()`'s text: the architecture only."""
    import json
    keras_file._register_builtins()
    config = json.loads(json_string)
    with custom_object_scope(custom_objects):
        return deserialize_keras_object(config, custom_objects=custom_objects)


def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """Saves the variables of `model` and its optimizer to a `.weights.h5` file."""
    if max_shard_size is not None:
        raise ValueError("tensorlite writes `.weights.h5` files unsharded: max_shard_size "
                         "must be None.")
    weights_h5.save_weights(model, filepath, overwrite=overwrite)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights (and optimizer state) from a `.weights.h5` or `.keras` file."""
    filepath = os.fspath(filepath)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if filepath.endswith(weights_h5.WEIGHTS_SUFFIX):
        weights_h5.load_weights(model, filepath, skip_mismatch=skip_mismatch)
    elif keras_file.is_keras_file(filepath):
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"[Errno 2] No such file or directory: '{filepath}'")
        keras_file.load_weights(model, filepath, skip_mismatch=skip_mismatch)
    else:
        raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only "
                         "supports V3 `.keras` files, `.weights.h5` files, legacy H5 format "
                         "files (`.h5` extension), or Orbax checkpoints.")
