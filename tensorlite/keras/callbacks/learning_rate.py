"""Learning-rate callbacks: `LearningRateScheduler` (a function of the epoch) and
`ReduceLROnPlateau` (divides the rate when a metric stops improving).

Both add the optimizer's learning rate to the epoch logs ("learning_rate"), so
it shows in `history.history`.
"""
import warnings

import numpy as np

from tensorlite.framework.tensor import Tensor
from tensorlite.keras.callbacks.base import Callback
from tensorlite.keras.callbacks.monitor_callback import MonitorCallback


def _optimizer(model):
    optimizer = getattr(model, "optimizer", None)
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError('Optimizer must have a "learning_rate" attribute.')
    return optimizer


def get_learning_rate(model):
    """The model optimizer's current learning rate as a Python float."""
    return float(np.asarray(_optimizer(model).learning_rate))


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to `schedule(epoch, lr)`.

    `schedule` takes the epoch index (from 0) and the current rate and returns
    the new rate as a float; a one-argument `schedule(epoch)` is accepted too.

    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = tf.keras.callbacks.LearningRateScheduler(scheduler)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = _optimizer(self.model)
        try:
            learning_rate = self.schedule(epoch, get_learning_rate(self.model))
        except TypeError:  # the older one-argument schedule(epoch)
            learning_rate = self.schedule(epoch)
        if isinstance(learning_rate, Tensor):
            learning_rate = np.asarray(learning_rate)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {learning_rate}")
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model)


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` when `monitor` has not improved for
    `patience` epochs.

    >>> reduce_lr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2,
    ...                                                  patience=5, min_lr=0.001)

    Args:
        monitor: the epoch log to watch.
        factor: the multiplier of the rate (< 1).
        patience: epochs without improvement before a reduction.
        verbose: 1 prints each reduction.
        mode: "min", "max" or "auto".
        min_delta: the least change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the rate is never reduced below this.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:  # Keras 2's name of min_delta
            min_delta = kwargs.pop("epsilon")
            warnings.warn("`epsilon` argument is deprecated and will be removed, use "
                          "`min_delta` instead.", stacklevel=2)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received "
                             f"factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_learning_rate(self.model)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn("Learning rate reduction is conditioned on metric "
                          f"`{self.monitor}` which is not available. Available metrics are: "
                          f"{','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    def _reduce(self, epoch):
        old_lr = get_learning_rate(self.model)
        # compared in float32, the optimizer's precision, so a rate at min_lr stays there
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            self.model.optimizer.learning_rate = new_lr
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                      f"{new_lr}.")
            self.cooldown_counter = self.cooldown
            self.wait = 0
