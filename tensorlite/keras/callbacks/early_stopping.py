"""`keras.callbacks.EarlyStopping`: stops training when a metric stops improving."""
import warnings

from tensorlite.keras.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops `fit` once `monitor` has not improved for `patience` epochs.

    >>> callback = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3,
    ...                                             restore_best_weights=True)

    Args:
        monitor: the epoch log to watch ("val_loss").
        min_delta: the least change that counts as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints when training stops and when weights are restored.
        mode: "min", "max" or "auto" (from the metric's name).
        baseline: a value the metric must beat for the patience count to reset.
        restore_best_weights: at the end, set the weights of the best epoch back.
        start_from_epoch: epochs of warm-up during which nothing is monitored.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return  # nothing to watch yet, or still warming up
        if self.restore_best_weights and self.best_weights is None:
            # no best epoch yet: the current weights are the best so far
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # patience restarts only when the baseline is beaten too
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value in `logs` (None, with a warning, when it is missing)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}", stacklevel=2)
        return value
