"""`tf.keras`: Keras 3's API as tf.keras exposes it, written with tensorlite ops.

Submodules and top-level names load on first use, so `import tensorlite`
stays fast and `tf.keras.layers.Dense` costs only what it imports.
"""
import importlib

_SUBMODULES = {
    "activations", "backend", "callbacks", "constraints", "datasets", "initializers",
    "layers", "losses", "metrics", "models", "optimizers", "regularizers", "saving",
    "utils", "ops", "random",
}
# top-level name -> module that defines it
_NAMES = {
    "Variable": "tensorlite.keras.variables",
    "Sequential": "tensorlite.keras.models",
    "Model": "tensorlite.keras.models",
    "Input": "tensorlite.keras.layers",
    "Layer": "tensorlite.keras.layers",
    "KerasTensor": "tensorlite.keras.layers",
    "Loss": "tensorlite.keras.losses",
    "Metric": "tensorlite.keras.metrics",
    "Optimizer": "tensorlite.keras.optimizers",
    "Initializer": "tensorlite.keras.initializers",
    "Regularizer": "tensorlite.keras.regularizers",
    "Constraint": "tensorlite.keras.constraints",
    "InputSpec": "tensorlite.keras.layers",
}

__version__ = "3.15.1"


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"tensorlite.keras.{name}")
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'tensorlite.keras' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(_NAMES))
