"""`keras.callbacks.ModelCheckpoint`: saves the model (or its weights) during training."""
import os
import warnings

import numpy as np

from tensorlite.keras.callbacks.monitor_callback import MonitorCallback
from tensorlite.keras.saving import saving_api


class ModelCheckpoint(MonitorCallback):
    """Saves the model to `filepath` at the end of each epoch (or every `save_freq` batches).

    `filepath` may hold format fields filled from the epoch (counted from 1), the
    batch and the logs: "model_{epoch:02d}_{val_loss:.2f}.keras".

    >>> checkpoint = tf.keras.callbacks.ModelCheckpoint("best.keras", monitor="val_loss",
    ...                                                 save_best_only=True)

    Args:
        filepath: a `.keras` file, or a `.weights.h5` file with `save_weights_only`.
        monitor: the log that decides which model is the best.
        verbose: 1 prints each save.
        save_best_only: save only when `monitor` improves on the best seen.
        save_weights_only: save `model.save_weights(...)` instead of the whole model.
        mode: "min", "max" or "auto".
        save_freq: "epoch", or save every N training batches.
        initial_value_threshold: the value `monitor` must beat for a first save.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                             "'epoch' or integer values")
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, "
                                 "the filepath provided must end in `.weights.h5` (Keras "
                                 f"weights format). Received: filepath={self.filepath}")
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError("The filepath provided must end in `.keras` (Keras model "
                             f"format). Received: filepath={self.filepath}")

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen_since_last_saving += 1
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _save_model(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if not self.save_best_only:
            self._message(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            self._save(filepath, epoch)
            return
        if self.monitor_op is None:
            self._set_monitor_op()
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=2)
            return
        if np.ndim(current) > 0:
            warnings.warn("Can save best model only when `monitor` is a scalar value. "
                          f"Received: {current}. Falling back to `save_best_only=False`.",
                          stacklevel=2)
            self._save(filepath, epoch)
            return
        current = float(np.asarray(current))
        if self._is_improvement(current, self.best):
            best = "None" if self.best is None else f"{self.best:.5f}"
            self._message(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                          f"{current:.5f}, saving model to {filepath}")
            self.best = current
            self._save(filepath, epoch)
        else:
            best = "None" if self.best is None else f"{self.best:.5f}"
            self._message(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")

    def _save(self, filepath, epoch):
        if self.save_weights_only:
            saving_api.save_weights(self.model, filepath, overwrite=True)
        else:
            saving_api.save_model(self.model, filepath, overwrite=True)
        self._message(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _message(self, text):
        if self.verbose > 0:
            print(text)

    def _get_file_path(self, epoch, batch, logs):
        """`filepath` with its fields filled: epoch and batch counted from 1, then the logs."""
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {e}") from e
