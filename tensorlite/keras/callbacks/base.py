"""`keras.callbacks.Callback`, `CallbackList` and `History`: hooks into fit/evaluate/predict."""


class Callback:
    """Base class of callbacks: override any `on_*` hook; `self.model` is the model trained.

    Each hook receives a `logs` dict: the metric values of the batch, epoch or run.
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """A training batch starts (same as `on_train_batch_begin`)."""

    def on_batch_end(self, batch, logs=None):
        """A training batch ended (same as `on_train_batch_end`)."""

    def on_epoch_begin(self, epoch, logs=None):
        """A training epoch starts."""

    def on_epoch_end(self, epoch, logs=None):
        """A training epoch ended; `logs` holds its metrics and the `val_` ones."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """An evaluation batch starts."""

    def on_test_batch_end(self, batch, logs=None):
        """An evaluation batch ended."""

    def on_predict_batch_begin(self, batch, logs=None):
        """A prediction batch starts."""

    def on_predict_batch_end(self, batch, logs=None):
        """A prediction batch ended; `logs["outputs"]` holds its outputs."""

    def on_train_begin(self, logs=None):
        """`fit` starts."""

    def on_train_end(self, logs=None):
        """`fit` ended."""

    def on_test_begin(self, logs=None):
        """`evaluate` (or fit's validation) starts."""

    def on_test_end(self, logs=None):
        """`evaluate` (or fit's validation) ended."""

    def on_predict_begin(self, logs=None):
        """`predict` starts."""

    def on_predict_end(self, logs=None):
        """`predict` ended."""


_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end")


def _overrides(callback, hook):
    """True when `callback` does something in `hook` (the base class's hooks do nothing)."""
    method = getattr(type(callback), hook, None)
    if method is None:
        return True  # a duck-typed callback
    if method is not getattr(Callback, hook):
        return True
    # the train hooks forward to on_batch_begin/end, which may be overridden
    alias = {"on_train_batch_begin": "on_batch_begin",
             "on_train_batch_end": "on_batch_end"}.get(hook)
    return alias is not None and getattr(type(callback), alias) is not getattr(Callback, alias)


class CallbackList(Callback):
    """Calls each hook on a list of callbacks (fit adds History and the progress bar)."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(callbacks) if callbacks else []
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self._history = History()
            self.callbacks.append(self._history)
        else:
            self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if add_progbar and not any(type(c).__name__ == "ProgbarLogger"
                                   for c in self.callbacks):
            from tensorlite.keras.trainers.progbar import ProgbarLogger
            self.callbacks.append(ProgbarLogger())
        self._batch_hooks = {}
        self._refresh_batch_hooks()
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def _refresh_batch_hooks(self):
        # Per-batch hooks run every step: only the callbacks overriding them are called.
        self._batch_hooks = {hook: [getattr(c, hook) for c in self.callbacks
                                    if _overrides(c, hook)] for hook in _BATCH_HOOKS}

    def append(self, callback):
        self.callbacks.append(callback)
        self._refresh_batch_hooks()

    def set_params(self, params):
        self.params = params
        for c in self.callbacks:
            c.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        for c in self.callbacks:
            c.set_model(model)

    def _call(self, hook, *args):
        for c in self.callbacks:
            getattr(c, hook)(*args)

    def _batch(self, hook, batch, logs):
        for fn in self._batch_hooks[hook]:
            fn(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        self._batch("on_train_batch_begin", batch, logs or {})

    def on_batch_end(self, batch, logs=None):
        self._batch("on_train_batch_end", batch, logs or {})

    def on_train_batch_begin(self, batch, logs=None):
        self._batch("on_train_batch_begin", batch, logs or {})

    def on_train_batch_end(self, batch, logs=None):
        self._batch("on_train_batch_end", batch, logs or {})

    def on_test_batch_begin(self, batch, logs=None):
        self._batch("on_test_batch_begin", batch, logs or {})

    def on_test_batch_end(self, batch, logs=None):
        self._batch("on_test_batch_end", batch, logs or {})

    def on_predict_batch_begin(self, batch, logs=None):
        self._batch("on_predict_batch_begin", batch, logs or {})

    def on_predict_batch_end(self, batch, logs=None):
        self._batch("on_predict_batch_end", batch, logs or {})

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs or {})

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs or {})

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs or {})

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs or {})

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs or {})

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs or {})

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs or {})

    def __iter__(self):
        return iter(self.callbacks)


class History(Callback):
    """Records each epoch's logs: `history.history["loss"]` is the list of epoch losses.

    `fit` returns it (and sets it as `model.history`).
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)
        self.model.history = self
