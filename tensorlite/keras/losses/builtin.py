"""The built-in loss classes: each wraps one loss function with its arguments.

>>> tf.keras.losses.Huber(2.0)([[0.], [0.]], [[1.], [5.]])
<tf.Tensor: shape=(), dtype=float32, numpy=4.25>
"""
from tensorlite.keras.losses import functions as F
from tensorlite.keras.losses.loss import Loss, squeeze_or_expand_to_same_rank
from tensorlite.keras.saving.serialization import (deserialize_keras_object,
                                                   serialize_keras_object)


class LossFunctionWrapper(Loss):
    """A `Loss` computing `fn(y_true, y_pred, **kwargs)`; ranks of the targets and
    predictions are aligned first (a (batch, 1) target meets a (batch,) prediction)."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialize_keras_object(self.fn)
        config.update(serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = {**config, "fn": deserialize_keras_object(config["fn"])}
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _Builtin(LossFunctionWrapper):
    """A built-in wrapper: its config is the base one plus the `_config_keys` arguments
    (Keras leaves out e.g. Huber's delta and CosineSimilarity's axis, and so do we)."""

    _config_keys = ()

    def get_config(self):
        config = Loss.get_config(self)
        config.update({key: self._fn_kwargs[key] for key in self._config_keys})
        return config


class MeanSquaredError(_Builtin):
    """mean(square(y_true - y_pred)) per sample, reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(F.mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_Builtin):
    """mean(abs(y_true - y_pred)) per sample, reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(F.mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(_Builtin):
    """100 * mean(abs((y_true - y_pred) / y_true)) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(F.mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


class MeanSquaredLogarithmicError(_Builtin):
    """mean(square(log(y_pred + 1) - log(y_true + 1))) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(F.mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


class Huber(_Builtin):
    """The Huber loss with threshold `delta` (quadratic below it, linear above)."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(F.huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(_Builtin):
    """mean(log(cosh(y_pred - y_true))) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(F.log_cosh, name=name, reduction=reduction, dtype=dtype)


class CosineSimilarity(_Builtin):
    """Minus the cosine similarity of targets and predictions along `axis`."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(F.cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)


class KLDivergence(_Builtin):
    """The Kullback-Leibler divergence sum(y_true * log(y_true / y_pred)) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(F.kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(_Builtin):
    """mean(y_pred - y_true * log(y_pred)) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(F.poisson, name=name, reduction=reduction, dtype=dtype)


class Hinge(_Builtin):
    """mean(max(1 - y_true * y_pred, 0)) per sample (targets -1/1, or 0/1)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(F.hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(_Builtin):
    """mean(square(max(1 - y_true * y_pred, 0))) per sample."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(F.squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(_Builtin):
    """max(max_wrong - correct + 1, 0) per sample, with one-hot targets."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(F.categorical_hinge, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(_Builtin):
    """Binary cross-entropy between 0/1 targets and probabilities (or logits)."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(F.binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(_Builtin):
    """Cross-entropy between one-hot targets and class probabilities (or logits)."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(F.categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(_Builtin):
    """Cross-entropy between integer class ids and class probabilities (or logits).

    With `ignore_class`, targets of that class get no loss and the mean
    reductions average over the other targets only.
    """

    _config_keys = ("from_logits", "ignore_class")

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(F.sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def _loss_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return None
        return F.sparse_valid_mask(F.sparse_targets(y_true, y_pred), self.ignore_class)
