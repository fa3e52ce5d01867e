"""`keras.models`: Model, Sequential, and cloning."""
from tensorlite.keras.models.cloning import clone_model
from tensorlite.keras.models.functional import Functional
from tensorlite.keras.models.model import Model
from tensorlite.keras.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model"]
