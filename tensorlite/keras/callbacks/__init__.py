"""`keras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""
import importlib

from tensorlite.keras.callbacks.base import Callback, CallbackList, History
from tensorlite.keras.trainers.progbar import ProgbarLogger

# The other callbacks load on first use (the trainer imports this package).
_LAZY = {
    "BackupAndRestore": "backup_and_restore",
    "CSVLogger": "csv_logger",
    "EarlyStopping": "early_stopping",
    "LambdaCallback": "misc",
    "LearningRateScheduler": "learning_rate",
    "ModelCheckpoint": "model_checkpoint",
    "ReduceLROnPlateau": "learning_rate",
    "TensorBoard": "tensorboard",
    "TerminateOnNaN": "misc",
}

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"] + sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f"tensorlite.keras.callbacks.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'tensorlite.keras.callbacks' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
