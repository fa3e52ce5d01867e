"""Metrics on the confusion matrix: true/false positive/negative counts, Precision, Recall
and AUC, all streaming over batches and computed at one or more thresholds.

>>> precision = tf.keras.metrics.Precision()
>>> precision([0, 1, 1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 0, 1, 0, 1])
<tf.Tensor: shape=(), dtype=float32, numpy=0.8>
"""
import numpy as np

import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.losses.loss import squeeze_or_expand_to_same_rank, to_dtype
from tensorlite.keras.metrics.base import Metric

NEG_INF = -1e10  # the threshold that makes every top-k prediction a positive one

TRUE_POSITIVES, FALSE_POSITIVES = "true_positives", "false_positives"
TRUE_NEGATIVES, FALSE_NEGATIVES = "true_negatives", "false_negatives"


def parse_thresholds(thresholds, default):
    """Thresholds as a list of floats in [0, 1] (`default` alone if None)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) \
        else [thresholds]
    invalid = [t for t in values if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return values


def update_confusion_matrix(variables, y_true, y_pred, thresholds, top_k=None, class_id=None,
                            sample_weight=None, multi_label=False, label_weights=None):
    """Adds this batch's (weighted) confusion counts at each threshold to `variables`, a
    dict from TRUE_POSITIVES/... to variables of shape (thresholds,) (or
    (thresholds, labels) with `multi_label`).

    A prediction is positive at threshold t when it is > t; a target is positive
    when it is nonzero. `top_k` keeps only the k largest predictions of each
    sample; `class_id` looks at that one class.
    """
    dtype = next(iter(variables.values())).dtype
    y_true, y_pred = to_dtype(y_true, dtype), to_dtype(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.expand_dims(to_dtype(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _keep_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.shape.rank == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             "(num_samples, num_classes), found shape: "
                             f"{tuple(y_pred.shape.as_list())}")
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]

    # Predictions get a leading axis against the thresholds: (T, samples * labels), or
    # (T, samples, labels) when each label is counted on its own.
    flat = [1, -1] if not multi_label else tf.concat([[1], tf.shape(y_pred)], axis=0)
    thresholds = tf.reshape(tf.constant(thresholds, dtype=dtype),
                            [-1, 1] if not multi_label else [-1, 1, 1])
    pred_is_pos = tf.reshape(y_pred, flat) > thresholds
    label_is_pos = tf.not_equal(tf.reshape(y_true, flat), tf.zeros([], dtype))
    weights = None
    if sample_weight is not None:
        weights = tf.reshape(tf.broadcast_to(sample_weight, tf.shape(y_pred)), flat)
    if label_weights is not None and not multi_label:
        label_weights = tf.reshape(
            tf.broadcast_to(tf.expand_dims(to_dtype(label_weights, dtype), 0),
                            tf.shape(y_pred)), flat)
        weights = label_weights if weights is None else weights * label_weights

    conditions = {
        TRUE_POSITIVES: lambda: (label_is_pos, pred_is_pos),
        FALSE_POSITIVES: lambda: (tf.logical_not(label_is_pos), pred_is_pos),
        TRUE_NEGATIVES: lambda: (tf.logical_not(label_is_pos), tf.logical_not(pred_is_pos)),
        FALSE_NEGATIVES: lambda: (label_is_pos, tf.logical_not(pred_is_pos)),
    }
    for key, variable in variables.items():
        hits = tf.cast(tf.logical_and(*conditions[key]()), dtype)
        if weights is not None:
            hits = hits * weights
        variable.assign_add(tf.reduce_sum(hits, axis=1))


def _keep_top_k(x, k):
    """`x` with all but the k largest entries of each row (last axis) set to NEG_INF;
    of equal entries the first ones win, as with tf.math.top_k."""
    n = tf.shape(x)[-1]
    index = tf.range(n)
    row, col = tf.expand_dims(x, -1), tf.expand_dims(x, -2)  # entry i vs entry j
    ahead = tf.logical_or(col > row, tf.logical_and(
        tf.equal(col, row), tf.expand_dims(index, 0) < tf.expand_dims(index, 1)))
    rank = tf.reduce_sum(tf.cast(ahead, tf.int32), axis=-1)
    return tf.where(rank < k, x, tf.fill(tf.shape(x), tf.constant(NEG_INF, x.dtype)))


class _ConfusionMatrixConditionCount(Metric):
    """One confusion-matrix count (at each threshold), in a variable "accumulator"."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, default=0.5)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix({self._condition: self.accumulator}, y_true, y_pred,
                                self.thresholds, sample_weight=sample_weight)

    def result(self):
        if len(self.thresholds) == 1:
            return self.accumulator[0]
        return tf.identity(self.accumulator)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positive targets predicted positive."""

    _condition = TRUE_POSITIVES


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negative targets predicted positive."""

    _condition = FALSE_POSITIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negative targets predicted negative."""

    _condition = TRUE_NEGATIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positive targets predicted negative."""

    _condition = FALSE_NEGATIVES


class _PrecisionRecall(Metric):
    """TP / (TP + <other count>) at each threshold, over all updates since the reset."""

    _other = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = parse_thresholds(thresholds,
                                           default=0.5 if top_k is None else NEG_INF)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros",
                                                name=TRUE_POSITIVES)
        self._other_count = self.add_variable(shape=shape, initializer="zeros",
                                              name=self._other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix(
            {TRUE_POSITIVES: self.true_positives, self._other: self._other_count},
            y_true, y_pred, self.thresholds, top_k=self.top_k, class_id=self.class_id,
            sample_weight=sample_weight)

    def result(self):
        value = tf.math.divide_no_nan(self.true_positives,
                                      self.true_positives + self._other_count)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """TP / (TP + FP): the fraction of positive predictions that are right.

    Predictions above `thresholds` (0.5 by default; a list gives one precision per
    threshold) are positive; with `top_k`, only the k largest of each sample are;
    `class_id` restricts it to one class of a multi-class prediction.
    """

    _other = FALSE_POSITIVES

    @property
    def false_positives(self):
        return self._other_count


class Recall(_PrecisionRecall):
    """TP / (TP + FN): the fraction of positive targets that are found (arguments as
    for Precision)."""

    _other = FALSE_NEGATIVES

    @property
    def false_negatives(self):
        return self._other_count


_CURVES = {"ROC": "ROC", "roc": "ROC", "PR": "PR", "pr": "PR"}
_SUMMATIONS = {spelling: method for method in ("interpolation", "majoring", "minoring")
               for spelling in (method, method.capitalize())}


class AUC(Metric):
    """The area under the ROC curve (or the precision-recall curve, `curve="PR"`),
    approximated on `num_thresholds` thresholds evenly spread over [0, 1].

    The confusion counts at every threshold stream over batches; `result()`
    sums the trapezoids between consecutive thresholds ("interpolation"; the
    PR curve then interpolates as Davis & Goadrich, 2006), or their lower
    ("minoring") or upper ("majoring") rectangles. With `multi_label`, each
    label (column) has its own curve and their areas are averaged (weighted by
    `label_weights`).
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if curve not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             '["PR", "ROC"]')
        if summation_method not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        super().__init__(name=name, dtype=dtype)
        self.curve = _CURVES[curve]
        self.summation_method = _SUMMATIONS[summation_method]
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(thresholds)
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        # End points just outside [0, 1] so predictions of exactly 0 or 1 are counted.
        eps = backend.epsilon()
        self._thresholds = np.array([0.0 - eps] + list(inner) + [1.0 + eps])
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else \
            to_dtype(label_weights, self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build(num_labels)
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, num_labels):
        shape = (self.num_thresholds,) if num_labels is None else \
            (self.num_thresholds, num_labels)
        self._num_labels = num_labels
        self.true_positives = self.add_variable(shape, "zeros", name=TRUE_POSITIVES)
        self.false_positives = self.add_variable(shape, "zeros", name=FALSE_POSITIVES)
        self.true_negatives = self.add_variable(shape, "zeros", name=TRUE_NEGATIVES)
        self.false_negatives = self.add_variable(shape, "zeros", name=FALSE_NEGATIVES)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            shape = tf.convert_to_tensor(y_pred).shape
            if shape.rank != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found "
                                 f"rank {shape.rank}. Full shape received for `y_pred`: "
                                 f"{tuple(shape.as_list())}")
            self._build(shape[1])
        if self._from_logits:
            y_pred = tf.math.sigmoid(tf.convert_to_tensor(y_pred))
        update_confusion_matrix(
            {TRUE_POSITIVES: self.true_positives, TRUE_NEGATIVES: self.true_negatives,
             FALSE_POSITIVES: self.false_positives, FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds, sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights)

    def result(self):
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average(self._interpolated_pr_areas(tp, fp, fn))
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = tf.math.divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, tf.math.divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[:-1], y[1:])
        else:
            heights = tf.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def _interpolated_pr_areas(self, tp, fp, fn):
        """The PR-curve pieces between thresholds, with precision interpolated along the
        line through the confusion counts (Davis & Goadrich, 2006)."""
        zero = tf.zeros([], self.dtype)
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = tf.math.divide_no_nan(dtp, tf.maximum(dp, zero))
        intercept = tp[1:] - slope * p[1:]
        both_positive = tf.logical_and(p[:-1] > zero, p[1:] > zero)
        p_ratio = tf.where(both_positive,
                           tf.math.divide_no_nan(p[:-1], tf.maximum(p[1:], zero)),
                           tf.ones_like(p[1:]))
        return tf.math.divide_no_nan(slope * (dtp + intercept * tf.math.log(p_ratio)),
                                     tf.maximum(tp[1:] + fn[1:], zero))

    def _average(self, pieces):
        """The area: the sum of the pieces, per label averaged over labels if multi-label."""
        if not self.multi_label:
            return tf.reduce_sum(pieces)
        by_label = tf.reduce_sum(pieces, axis=0)
        if self.label_weights is None:
            return tf.reduce_mean(by_label)
        return tf.math.divide_no_nan(tf.reduce_sum(by_label * self.label_weights),
                                     tf.reduce_sum(self.label_weights))

    def get_config(self):
        label_weights = None if self.label_weights is None else \
            self.label_weights.numpy().tolist()
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
