"""Small callbacks: `TerminateOnNaN` and `LambdaCallback`."""
import numpy as np

from tensorlite.keras.callbacks.base import Callback


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite (raises a RuntimeError
    instead with `raise_error=True`)."""

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                               f"{loss}. Terminating training immediately.")
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback made of functions given as arguments, called at the matching hooks.

    Hook signatures: `on_epoch_begin(epoch, logs)`, `on_epoch_end(epoch, logs)`,
    `on_train_begin(logs)`, `on_train_end(logs)`, `on_train_batch_begin(batch, logs)`,
    `on_train_batch_end(batch, logs)`; any other hook (`on_test_begin=...`) may be
    given by keyword too.

    >>> print_epoch = tf.keras.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for hook, fn in hooks.items():
            if fn is not None:
                setattr(self, hook, fn)
        self._batch_functions = {hook: fn for hook, fn in self.__dict__.items()
                                 if hook in _BATCH_HOOKS}
        for legacy, hook in (("on_batch_begin", "on_train_batch_begin"),
                             ("on_batch_end", "on_train_batch_end")):
            if legacy in kwargs:
                self._batch_functions.setdefault(hook, kwargs[legacy])

    # The loops call only the per-batch hooks a callback's class defines: these forward
    # to the functions given.
    def _run_batch_hook(self, hook, batch, logs):
        fn = self._batch_functions.get(hook)
        if fn is not None:
            fn(batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._run_batch_hook("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._run_batch_hook("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._run_batch_hook("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._run_batch_hook("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._run_batch_hook("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._run_batch_hook("on_predict_batch_end", batch, logs)


_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end")
