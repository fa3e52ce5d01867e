"""Accuracy metrics: per-sample 0./1. functions and their running means.

>>> tf.keras.metrics.sparse_categorical_accuracy([2, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 0.], dtype=float32)>
"""
import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.losses.loss import squeeze_or_expand_to_same_rank, to_dtype
from tensorlite.keras.metrics.base import MeanMetricWrapper


def _matches(condition):
    return tf.cast(condition, backend.floatx())


def accuracy(y_true, y_pred):
    """1. where the prediction equals the target, elementwise."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(to_dtype(y_true, y_pred.dtype), y_pred)
    return _matches(tf.equal(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1. where (y_pred > threshold) equals the 0/1 target, elementwise."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(tf.convert_to_tensor(y_true),
                                                    tf.convert_to_tensor(y_pred))
    predicted = tf.cast(y_pred > tf.cast(threshold, y_pred.dtype), y_true.dtype)
    return _matches(tf.equal(y_true, predicted))


def categorical_accuracy(y_true, y_pred):
    """1. per sample where the most probable class is the one-hot target's class."""
    true_ids = tf.argmax(tf.convert_to_tensor(y_true), axis=-1)
    return _matches(tf.equal(true_ids, tf.argmax(tf.convert_to_tensor(y_pred), axis=-1)))


def sparse_categorical_accuracy(y_true, y_pred):
    """1. per sample where the most probable class is the integer target (int or float;
    a (batch, 1) target gives a (batch,) result)."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = tf.squeeze(y_true, -1)
    predicted = tf.cast(tf.argmax(y_pred, axis=-1), y_true.dtype)
    matches = _matches(tf.equal(y_true, predicted))
    if matches.shape.rank > 1 and matches.shape[-1] == 1:
        matches = tf.squeeze(matches, -1)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1. per sample where the one-hot target's class is among the k most probable."""
    true_ids = tf.argmax(tf.convert_to_tensor(y_true), axis=-1)
    return _top_k_matches(true_ids, tf.convert_to_tensor(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1. per sample where the integer target is among the k most probable classes; with
    `from_sorted_ids`, y_pred holds class ids sorted by score and the first k count."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true),
                     y_pred.dtype if from_sorted_ids else tf.int32)
    if not from_sorted_ids:
        return _top_k_matches(y_true, y_pred, k)
    shape, y_true, y_pred = _flat(y_true, y_pred)
    matches = _matches(tf.reduce_any(tf.equal(tf.expand_dims(y_true, 1), y_pred[:, :k]),
                                     axis=1))
    return matches if shape is None else tf.reshape(matches, shape)


def _top_k_matches(true_ids, y_pred, k):
    shape, true_ids, y_pred = _flat(true_ids, y_pred)
    matches = _matches(_in_top_k(true_ids, y_pred, k))
    return matches if shape is None else tf.reshape(matches, shape)


def _flat(y_true, y_pred):
    """Targets as (samples,) and predictions as (samples, classes); also the targets'
    shape to give back to the result (None if they were flat already)."""
    if y_pred.shape.rank > 2:
        y_pred = tf.reshape(y_pred, tf.concat([[-1], tf.shape(y_pred)[-1:]], axis=0))
    shape = None
    if y_true.shape.rank > 1:
        shape = tf.shape(y_true)
        y_true = tf.reshape(y_true, [-1])
    return shape, y_true, y_pred


def _in_top_k(targets, predictions, k):
    """tf.math.in_top_k: whether predictions[i, targets[i]] is finite and fewer than k
    classes score strictly higher (so ties at the boundary count as in the top k)."""
    classes = tf.range(tf.shape(predictions)[-1])
    is_target = tf.equal(tf.expand_dims(classes, 0),
                         tf.expand_dims(tf.cast(targets, tf.int32), 1))
    target_score = tf.reduce_sum(tf.where(is_target, predictions, tf.zeros_like(predictions)),
                                 axis=-1)
    higher = tf.reduce_sum(
        tf.cast(predictions > tf.expand_dims(target_score, 1), tf.int32), axis=-1)
    valid = tf.logical_and(tf.reduce_any(is_target, axis=-1), tf.math.is_finite(target_score))
    return tf.logical_and(valid, higher < k)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal targets (exactly)."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often (y_pred > threshold) equals the 0/1 target."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the most probable class is the one-hot target's class."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the most probable class is the integer target."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target's class is among the k most probable."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the k most probable classes."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self._fn_kwargs["k"]}
        if self._fn_kwargs["from_sorted_ids"]:  # Keras saves it only when set
            config["from_sorted_ids"] = True
        return config
