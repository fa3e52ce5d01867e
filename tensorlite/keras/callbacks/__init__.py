"""`keras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""
from tensorlite.keras.callbacks.base import Callback, CallbackList, History
from tensorlite.keras.trainers.progbar import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
