"""The loss functions: `fn(y_true, y_pred)` returns one loss per sample (reduced over
the last axis), in the dtype of `y_pred`.

>>> tf.keras.losses.mean_squared_error([[0., 1.], [0., 0.]], [[1., 1.], [1., 0.]])
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.5, 0.5], dtype=float32)>
"""
import math
import warnings

import tensorlite as tf
from tensorlite import nn
from tensorlite.keras import backend
from tensorlite.keras.losses.loss import squeeze_or_expand_to_same_rank, to_dtype


def _inputs(y_true, y_pred, align=True):
    """y_pred as a float tensor and y_true in its dtype. With `align`, ranks that differ
    by a trailing 1 are made equal, so (batch, 1) targets and (batch,) predictions do
    not broadcast to a matrix; Keras does not align them for the probabilistic and
    hinge losses, and neither do we."""
    y_pred = _float(y_pred)
    y_true = to_dtype(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred) if align else (y_true, y_pred)


def _const(value, like):
    return tf.constant(value, dtype=like.dtype)


# ---- regression ---------------------------------------------------------------

def mean_squared_error(y_true, y_pred):
    """mean(square(y_true - y_pred), axis=-1)."""
    y_true, y_pred = _inputs(y_true, y_pred)
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(abs(y_true - y_pred), axis=-1)."""
    y_true, y_pred = _inputs(y_true, y_pred)
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)."""
    y_true, y_pred = _inputs(y_true, y_pred)
    eps = _const(backend.epsilon(), y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), eps))
    return _const(100.0, y_pred) * tf.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1), both clipped at epsilon."""
    y_true, y_pred = _inputs(y_true, y_pred)
    eps, one = _const(backend.epsilon(), y_pred), _const(1.0, y_pred)
    first_log = tf.math.log(tf.maximum(y_pred, eps) + one)
    second_log = tf.math.log(tf.maximum(y_true, eps) + one)
    return tf.reduce_mean(tf.square(first_log - second_log), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: 0.5 * x**2 if |x| <= delta, else delta * |x| - 0.5 * delta**2
    (x = y_pred - y_true), averaged over the last axis."""
    y_true, y_pred = _inputs(y_true, y_pred)
    delta = _const(delta, y_pred)
    half = _const(0.5, y_pred)
    error = y_pred - y_true
    abs_error = tf.abs(error)
    return tf.reduce_mean(
        tf.where(abs_error <= delta, half * tf.square(error),
                 delta * abs_error - half * tf.square(delta)),
        axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true)), axis=-1), computed without overflow as
    x + softplus(-2x) - log(2)."""
    y_true, y_pred = _inputs(y_true, y_pred)
    x = y_pred - y_true
    return tf.reduce_mean(
        x + tf.math.softplus(_const(-2.0, x) * x) - _const(math.log(2.0), x), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis): -1 for parallel vectors,
    0 for orthogonal ones (or a zero vector)."""
    y_true, y_pred = _inputs(y_true, y_pred)
    return -tf.reduce_sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def _l2_normalize(x, axis):
    # Keras caps the inverse norm at 1 / epsilon, i.e. floors the squared norm at epsilon**2.
    square_sum = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
    return x * tf.math.rsqrt(tf.maximum(square_sum, _const(backend.epsilon() ** 2, x)))


# ---- probabilistic --------------------------------------------------------------

def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred), axis=-1), both clipped to [epsilon, 1]."""
    y_true, y_pred = _inputs(y_true, y_pred, align=False)
    eps, one = _const(backend.epsilon(), y_pred), _const(1.0, y_pred)
    y_true = tf.clip_by_value(y_true, eps, one)
    y_pred = tf.clip_by_value(y_pred, eps, one)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)."""
    y_true, y_pred = _inputs(y_true, y_pred, align=False)
    eps = _const(backend.epsilon(), y_pred)
    return tf.reduce_mean(y_pred - y_true * tf.math.log(y_pred + eps), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy averaged over `axis`.

    Probabilities are clipped to [epsilon, 1 - epsilon]; with `from_logits`,
    `nn.sigmoid_cross_entropy_with_logits` is used. Label smoothing moves the
    targets towards 0.5: y * (1 - s) + 0.5 * s.
    """
    y_pred = _float(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    if label_smoothing:
        s = _const(label_smoothing, y_pred)
        y_true = y_true * (_const(1.0, y_pred) - s) + _const(0.5, y_pred) * s
    _check_same_shape(y_true, y_pred)
    if from_logits:
        losses = nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        one = _const(1.0, y_pred)
        eps = _const(backend.epsilon(), y_pred)
        y_pred = tf.clip_by_value(y_pred, eps, one - eps)
        losses = -(y_true * tf.math.log(y_pred) + (one - y_true) * tf.math.log(one - y_pred))
    return tf.reduce_mean(losses, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) targets and class probabilities along `axis`.

    Probabilities are first rescaled to sum to 1, then clipped to
    [epsilon, 1 - epsilon]; with `from_logits`, `nn.softmax_cross_entropy_with_logits`
    is used. Label smoothing: y * (1 - s) + s / num_classes.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")
    y_pred = _float(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    if y_pred.shape.rank and y_pred.shape[-1] == 1:
        warnings.warn("In loss categorical_crossentropy, expected y_pred.shape to be "
                      "(batch_size, num_classes) with num_classes > 1. Received: "
                      f"y_pred.shape={_shape_tuple(y_pred)}. Consider using "
                      "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning,
                      stacklevel=2)
    if label_smoothing:
        s = _const(label_smoothing, y_pred)
        num_classes = tf.cast(tf.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (_const(1.0, y_pred) - s) + s / num_classes
    _check_same_shape(y_true, y_pred, min_rank=1)
    if from_logits:
        return nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    eps = _const(backend.epsilon(), y_pred)
    y_pred = y_pred / tf.reduce_sum(y_pred, axis=axis, keepdims=True)
    y_pred = tf.clip_by_value(y_pred, eps, _const(1.0, y_pred) - eps)
    return -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Cross-entropy between integer class ids and class probabilities (last axis).

    Probabilities are clipped to [epsilon, 1 - epsilon]; with `from_logits`,
    `nn.sparse_softmax_cross_entropy_with_logits` is used. Targets equal to
    `ignore_class` get a loss of 0.
    """
    y_pred = _float(y_pred)
    y_true = sparse_targets(y_true, y_pred)
    if ignore_class is None:
        return _sparse_crossentropy(y_true, y_pred, from_logits, axis)
    valid = sparse_valid_mask(y_true, ignore_class)
    y_true = y_true * tf.cast(valid, y_true.dtype)
    y_pred = y_pred * tf.cast(tf.expand_dims(valid, -1), y_pred.dtype)
    losses = _sparse_crossentropy(y_true, y_pred, from_logits, axis)
    return tf.where(valid, losses, tf.zeros_like(losses))


def sparse_targets(y_true, y_pred):
    """Class ids as a tensor, a trailing dimension of 1 dropped ((batch, 1) -> (batch,))."""
    y_true = tf.convert_to_tensor(y_true)
    if y_true.shape.rank is not None and y_true.shape.rank == y_pred.shape.rank \
            and y_true.shape[-1] == 1:
        y_true = tf.squeeze(y_true, -1)
    return y_true


def sparse_valid_mask(y_true, ignore_class):
    """Which sparse targets are not `ignore_class` (True where the loss counts)."""
    return tf.not_equal(y_true, tf.cast(ignore_class, y_true.dtype))


def _sparse_crossentropy(target, output, from_logits, axis):
    rank = output.shape.rank
    if axis != -1 and axis != rank - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    if rank < 1:
        raise ValueError("Argument `output` must be at least rank 1. Received: "
                         f"output.shape={_shape_tuple(output)}")
    if target.shape.rank != rank - 1:
        raise ValueError("Argument `output` must have rank (ndim) `target.ndim - 1`. "
                         f"Received: target.shape={_shape_tuple(target)}, "
                         f"output.shape={_shape_tuple(output)}")
    for t, o in zip(target.shape, output.shape[:-1]):
        if t is not None and o is not None and t != o:
            raise ValueError("Arguments `target` and `output` must have the same shape up "
                             f"until the last dimension: target.shape={_shape_tuple(target)}, "
                             f"output.shape={_shape_tuple(output)}")
    if not from_logits:
        eps = _const(backend.epsilon(), output)
        output = tf.math.log(tf.clip_by_value(output, eps, _const(1.0, output) - eps))
    target = tf.cast(target, tf.int64)
    return nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


def _float(x):
    x = tf.convert_to_tensor(x)
    return x if x.dtype.is_floating else tf.cast(x, backend.floatx())


def _shape_tuple(x):
    return tuple(x.shape.as_list()) if x.shape.rank is not None else None


def _check_same_shape(target, output, min_rank=0):
    if target.shape.rank is None or output.shape.rank is None:
        return
    if target.shape.rank < min_rank:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={_shape_tuple(target)}, "
                         f"output.shape={_shape_tuple(output)}")
    if target.shape.rank != output.shape.rank:
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). "
                         f"Received: target.shape={_shape_tuple(target)}, "
                         f"output.shape={_shape_tuple(output)}")
    for t, o in zip(target.shape, output.shape):
        if t is not None and o is not None and t != o:
            raise ValueError("Arguments `target` and `output` must have the same shape. "
                             f"Received: target.shape={_shape_tuple(target)}, "
                             f"output.shape={_shape_tuple(output)}")


# ---- hinge -----------------------------------------------------------------------

def _signed_labels(y_true):
    """Targets in {0, 1} become {-1, 1}; anything else is left as is."""
    zero, one = _const(0.0, y_true), _const(1.0, y_true)
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, zero), tf.equal(y_true, one)))
    return tf.where(is_binary, _const(2.0, y_true) * y_true - one, y_true)


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0), axis=-1); 0/1 targets are mapped to -1/1."""
    y_true, y_pred = _inputs(y_true, y_pred, align=False)
    y_true = _signed_labels(y_true)
    return tf.reduce_mean(
        tf.maximum(_const(1.0, y_pred) - y_true * y_pred, _const(0.0, y_pred)), axis=-1)


def squared_hinge(y_true, y_pred):
    """mean(square(max(1 - y_true * y_pred, 0)), axis=-1); 0/1 targets become -1/1."""
    y_true, y_pred = _inputs(y_true, y_pred, align=False)
    y_true = _signed_labels(y_true)
    return tf.reduce_mean(
        tf.square(tf.maximum(_const(1.0, y_pred) - y_true * y_pred, _const(0.0, y_pred))),
        axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last axis."""
    y_true, y_pred = _inputs(y_true, y_pred, align=False)
    one = _const(1.0, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((one - y_true) * y_pred, axis=-1)
    return tf.maximum(neg - pos + one, _const(0.0, y_pred))
