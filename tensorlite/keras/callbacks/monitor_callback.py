"""The base of the callbacks that watch one metric (EarlyStopping, ModelCheckpoint,
ReduceLROnPlateau): which way is better, and what counts as an improvement."""
import operator
import warnings

from tensorlite.keras.callbacks.base import Callback

# Which way each built-in metric improves, for metrics that do not say (`_direction`).
_UP = frozenset({
    "AUC", "Accuracy", "BinaryAccuracy", "BinaryIoU", "CategoricalAccuracy",
    "ConcordanceCorrelation", "CosineSimilarity", "F1Score", "FBetaScore", "IoU", "MeanIoU",
    "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation", "Precision", "PrecisionAtRecall",
    "R2Score", "Recall", "RecallAtPrecision", "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity",
    "TopKCategoricalAccuracy"})
_DOWN = frozenset({
    "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "Hinge",
    "KLDivergence", "LogCoshError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson", "RootMeanSquaredError",
    "SparseCategoricalCrossentropy", "SquaredHinge"})


def metric_direction(metric):
    """"up" or "down" when the metric says (or is a built-in of known direction), else None."""
    direction = getattr(metric, "_direction", None)
    if direction is not None:
        return direction
    for cls in type(metric).__mro__:
        if cls.__name__ in _UP:
            return "up"
        if cls.__name__ in _DOWN:
            return "down"
    return None


def _model_metrics(model):
    """The model's metrics, the compiled ones listed individually."""
    found = []
    for metric in getattr(model, "metrics", None) or []:
        inner = getattr(metric, "metrics", None)
        found.extend(inner if isinstance(inner, list) else [metric])
    return found


class MonitorCallback(Callback):
    """A callback that monitors `monitor` in the epoch logs, in `mode` "min", "max" or
    "auto" (the direction of the metric of that name, "min" for losses)."""

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor[len("val_"):] if self.monitor.startswith("val_") \
                else self.monitor
            if name == "loss":
                self.monitor_op = operator.lt
            for metric in _model_metrics(self.model):
                if metric.name == name:
                    direction = metric_direction(metric)
                    if direction is not None:
                        self.monitor_op = operator.gt if direction == "up" else operator.lt
        if self.monitor_op is None:
            raise ValueError(
                f"{type(self).__name__} callback received monitor={self.monitor}, but Keras "
                "isn't able to automatically determine whether that metric should be "
                "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                "highest metric value, or pass `mode='min'` in order to use the lowest value.")
        if self.monitor_op is operator.lt:
            self.min_delta = -abs(self.min_delta)

    def _is_improvement(self, value, reference):
        """True when `value` beats `reference` by more than min_delta (or there is none)."""
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
