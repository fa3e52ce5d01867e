"""Regression metrics: running means of the regression losses, RMSE, cosine similarity."""
import tensorlite as tf
from tensorlite.keras.losses import functions as F
from tensorlite.keras.losses.loss import squeeze_or_expand_to_same_rank, to_dtype
from tensorlite.keras.metrics.base import Mean, MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """The running mean of mean_squared_error."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(F.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The running mean of mean_absolute_error."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(F.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The running mean of mean_absolute_percentage_error."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(F.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The running mean of mean_squared_logarithmic_error."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(F.mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """The running mean of log_cosh (Keras names it "logcosh")."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(F.log_cosh, name=name, dtype=dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between targets and predictions along `axis` (1 when they
    point the same way): the loss of the same name without its minus sign."""
    return -F.cosine_similarity(y_true, y_pred, axis=axis)


class CosineSimilarity(MeanMetricWrapper):
    """The running mean of the cosine similarity of targets and predictions."""

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """sqrt of the running (weighted) mean of the squared errors."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = squeeze_or_expand_to_same_rank(to_dtype(y_true, self.dtype),
                                                        to_dtype(y_pred, self.dtype))
        super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())
