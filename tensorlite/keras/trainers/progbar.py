"""Keras's progress bar (`keras.utils.Progbar`) and the callback that drives it in `fit`.

verbose=1 redraws one line per epoch, `3/8 ━━━━━━━╺━━━━ 1s 20ms/step - loss: 0.4852`
(bold count, green done part, ETA while running and elapsed time when done);
verbose=2 prints one line per epoch when it ends.
"""
import math
import os
import sys
import time

from tensorlite.keras.callbacks.base import Callback


def _format_value(value):
    value = float(value)
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


def _format_time(seconds_per_unit, unit_name):
    if seconds_per_unit >= 1 or seconds_per_unit == 0:
        return f"{seconds_per_unit:.0f}s/{unit_name}"
    if seconds_per_unit >= 1e-3:
        return f"{seconds_per_unit * 1e3:.0f}ms/{unit_name}"
    return f"{seconds_per_unit * 1e6:.0f}us/{unit_name}"


class Progbar:
    """A progress bar over `target` steps (None if unknown).

    `update(current, values)` shows step `current` with the running average of
    each value (names in `stateful_metrics` are shown as given).
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self._dynamic_display = ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
                                 or "ipykernel" in sys.modules or os.name == "posix")
        self._values = {}
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_width = 0

    def update(self, current, values=None, finalize=None):
        """Records `values` (a list of (name, value)) at step `current` and redraws."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            value = float(value)
            if name in self.stateful_metrics or finalize:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total = self._values.setdefault(name, [0.0, 0])
                total[0] += value * steps
                total[1] += steps
        self._seen_so_far = current
        now = time.time()
        per_step = self._step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._last_update = now
            self._write(self._line(current, now, per_step, finalize), finalize)
        elif self.verbose == 2 and finalize:
            count = f"{current}/{self.target}" if self.target else f"{current}/Unknown"
            line = (f"{count} - {now - self._start:.0f}s - {_format_time(per_step, self.unit_name)}"
                    f"{self._metrics_text()}")
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

    def _line(self, current, now, per_step, finalize):
        if self.target:
            digits = int(math.log10(self.target)) + 1
            done = int(self.width * current / self.target)
            line = f"\x1b[1m{current:>{digits}}/{self.target}\x1b[0m "
            if done > 0:
                line += f"\x1b[32m{'━' * done}\x1b[0m"
            line += f"\x1b[37m{'━' * (self.width - done)}\x1b[0m"
        else:
            line = f"{current:7d}/Unknown"
        if self.target and not finalize:
            eta = per_step * (self.target - current)
            if eta > 3600:
                eta_text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_text = f"{int(eta)}s"
        else:
            eta_text = f"{now - self._start:.0f}s"
        line += f" \x1b[1m{eta_text}\x1b[0m {_format_time(per_step, self.unit_name)}"
        return line + self._metrics_text()

    def _metrics_text(self):
        text = ""
        for name, (total, count) in self._values.items():
            text += f" - {name}: {_format_value(total / max(1, count))}"
        return text

    def _write(self, line, finalize):
        if self._dynamic_display:
            pad = max(0, self._prev_width - len(line))
            message = "\r" + line + " " * pad
        else:
            message = "\n" + line
        self._prev_width = len(line)
        if finalize:
            message += "\n"
        sys.stdout.write(message)
        sys.stdout.flush()

    def _step_duration(self, current, now):
        """Seconds per step, leaving out the first step (which builds and traces)."""
        if not current:
            return 0.0
        if self._time_after_first_step is None and current >= 1:
            self._time_after_first_step = now
            return (now - self._start) / current
        if current > 1 and now > self._time_after_first_step:
            return (now - self._time_after_first_step) / max(current - 1, 1)
        return (now - self._start) / current


class ProgbarLogger(Callback):
    """Shows the progress bar of `fit` (one per epoch), `evaluate` and `predict`."""

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset()

    def on_predict_begin(self, logs=None):
        self._reset()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(logs)

    def _reset(self):
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")

    def _update(self, batch, logs):
        if self.progbar is None:
            self._reset()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize(self, logs):
        if self.progbar is None:
            self._reset()
        if self.target is None:
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
