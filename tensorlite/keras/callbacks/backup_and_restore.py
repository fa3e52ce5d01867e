"""`keras.callbacks.BackupAndRestore`: resumes an interrupted `fit` where it stopped.

At each epoch end (or every `save_freq` batches) the weights and the optimizer
state go to `backup_dir/latest.weights.h5` and the number of finished epochs to
`backup_dir/training_metadata.json`. When `fit` starts again with the callback,
both are read back and `fit` continues at the next epoch (it reads
`model._initial_epoch`). A successful `fit` deletes the backup.
"""
import json
import os
import shutil

from tensorlite.keras.callbacks.base import Callback
from tensorlite.keras.saving import weights_h5


class BackupAndRestore(Callback):
    """Backs training up to `backup_dir` and restores it when `fit` is run again.

    >>> callback = tf.keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[callback])  # killed at epoch 4
    >>> model.fit(x, y, epochs=10, callbacks=[callback])  # goes on from epoch 5

    Args:
        backup_dir: the folder of the backup (not shared with another training).
        save_freq: "epoch", or back up every N training batches.
        double_checkpoint: keep the previous backup too, used when the latest cannot be
            read (a crash while writing it).
        delete_checkpoint: delete the backup when training ends normally.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError("Invalid value for argument `save_freq`. Received: "
                             f"save_freq={save_freq}. Expected either 'epoch' or an integer "
                             "value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = self._weights_path + ".bkp"
        self._prev_training_metadata_path = self._training_metadata_path + ".bkp"

    def on_train_begin(self, logs=None):
        if not os.path.exists(self._training_metadata_path) and not os.path.exists(
                self._prev_training_metadata_path):
            return
        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             f"before you call `fit()`. Model {self.model} is unbuilt. You can "
                             "build it beforehand by calling it on a batch of data.")
        try:
            self._restore(self._weights_path, self._training_metadata_path)
        except (OSError, ValueError, KeyError, json.JSONDecodeError):
            if not (self.double_checkpoint and os.path.exists(self._prev_weights_path)):
                raise
            self._restore(self._prev_weights_path, self._prev_training_metadata_path)

    def _restore(self, weights_path, metadata_path):
        with open(metadata_path) as f:
            metadata = json.load(f)
        weights_h5.load_weights(self.model, weights_path)
        self._current_epoch = metadata["epoch"]
        self.model._initial_epoch = metadata["epoch"]

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._last_batch_seen = batch
        self._batches_seen_since_last_saving += 1
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._backup()

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._backup()

    def _backup(self):
        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             f"before you call `fit()`. Model {self.model} is unbuilt. You can "
                             "build it beforehand by calling it on a batch of data.")
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            os.replace(self._weights_path, self._prev_weights_path)
            if os.path.exists(self._training_metadata_path):
                os.replace(self._training_metadata_path, self._prev_training_metadata_path)
        # weights first: the metadata names an epoch only once its weights are safe
        weights_h5.save_weights(self.model, self._weights_path, overwrite=True)
        metadata = json.dumps({"epoch": self._current_epoch, "batch": self._last_batch_seen})
        weights_h5.atomic_write(self._training_metadata_path,
                                lambda path: _write_text(path, metadata))

    def on_train_end(self, logs=None):
        self.model._initial_epoch = None
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)


def _write_text(path, text):
    with open(path, "w") as f:
        f.write(text)
