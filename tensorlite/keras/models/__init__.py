"""`keras.models`: Model, Sequential, cloning (and the saving functions, from keras.saving)."""
import importlib

from tensorlite.keras.models.cloning import clone_model
from tensorlite.keras.models.functional import Functional
from tensorlite.keras.models.model import Model
from tensorlite.keras.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model"]

# keras.models.load_model & co. are defined by keras.saving; looked up there on first use.
_FROM_SAVING = ("load_model", "save_model", "model_from_json")


def __getattr__(name):
    if name in _FROM_SAVING:
        saving = importlib.import_module("tensorlite.keras.saving")
        if hasattr(saving, name):
            return getattr(saving, name)
    raise AttributeError(f"module 'tensorlite.keras.models' has no attribute '{name}'")
