"""Neural-network ops (`tf.nn`): activations, softmax, cross-entropies, moments, dropout.

Ops TensorFlow runs as one kernel (Relu, Softmax, SoftmaxCrossEntropyWithLogits,
BiasAdd ...) are one registry record here; what TensorFlow writes in Python
from other ops (gelu, sigmoid cross-entropy, moments, dropout ...) is composed
of public ops the same way, so it differentiates and traces for free.
"""
import numbers

import numpy as np

from tensorlite.autodiff.stop_gradient import stop_gradient
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops import array as _array
from tensorlite.ops import math as _math
from tensorlite.ops import random as _random
from tensorlite.ops._helpers import (binary_inputs, broadcast_shape, static_value, to_tensor,
                                     unary_shape, unbroadcast)
from tensorlite.ops.math import quiet

# TensorFlow has no top-level names for these: they live under `tf.nn`.
__all__ = []

FLOAT = _dtypes.FLOATING
REAL = _dtypes.REAL_NUMERIC
_int32, _int64 = _dtypes.int32, _dtypes.int64

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _unary_op(type_, grad, dtypes):
    """Registers an elementwise activation kernel under `type_`."""
    return op(type_, shape=unary_shape, grad=grad, dtypes=dtypes)


# ---- activations --------------------------------------------------------------------

def _relu_grad_grad(op, grad):
    return execute(_relu_grad, (grad, op.inputs[1])), None


@op("ReluGrad", shape=lambda g, features: (g.dtype, g.shape), grad=_relu_grad_grad,
    dtypes=REAL)
def _relu_grad(gradients, features):
    # a multiply by the mask is several times faster than np.where on large arrays
    return np.multiply(gradients, features > 0, dtype=gradients.dtype)


@_unary_op("Relu", lambda op, g: execute(_relu_grad, (g, op.outputs[0])), REAL)
def _relu(x):
    return np.maximum(x, x.dtype.type(0))


def relu(features, name=None):
    """max(features, 0) elementwise.

    >>> tf.nn.relu([-1., 2.])   # [0., 2.]
    """
    return execute(_relu, (to_tensor(features),), name=name)


def _relu6_grad(op, g):
    x = op.inputs[0]
    zeros = _array.zeros_like(g)
    return _array.where(_math.greater(x, 0), _array.where(_math.less(x, 6), g, zeros), zeros)


@_unary_op("Relu6", _relu6_grad, REAL)
def _relu6(x):
    return np.clip(x, 0, 6).astype(x.dtype, copy=False)


def relu6(features, name=None):
    """min(max(features, 0), 6) elementwise."""
    return execute(_relu6, (to_tensor(features),), name=name)


def _elu_grad(op, g):
    # d elu / dx is 1 for x > 0, else exp(x) = y + 1.
    y = op.outputs[0]
    return _array.where(_math.greater(y, 0), g, _math.multiply(g, _math.add(y, 1)))


@_unary_op("Elu", _elu_grad, FLOAT)
@quiet
def _elu(x):
    return np.where(x > 0, x, np.expm1(x))


def elu(features, name=None):
    """features if > 0, else exp(features) - 1."""
    return execute(_elu, (to_tensor(features),), name=name)


def _selu_grad(op, g):
    # d selu / dx is scale for x > 0, else scale * alpha * exp(x) = y + scale * alpha.
    y = op.outputs[0]
    return _array.where(_math.greater(y, 0), _math.multiply(g, _SELU_SCALE),
                        _math.multiply(g, _math.add(y, _SELU_SCALE * _SELU_ALPHA)))


@_unary_op("Selu", _selu_grad, FLOAT)
@quiet
def _selu(x):
    # astype: bfloat16 times a Python float gives float32 in ml_dtypes
    return (_SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x))).astype(x.dtype,
                                                                                 copy=False)


def selu(features, name=None):
    """Scaled ELU: scale * (features if > 0 else alpha * (exp(features) - 1))."""
    return execute(_selu, (to_tensor(features),), name=name)


def _leaky_relu_grad(op, g):
    return _array.where(_math.greater(op.inputs[0], 0), g,
                        _math.multiply(g, op.get_attr("alpha")))


@_unary_op("LeakyRelu", _leaky_relu_grad, FLOAT)
def _leaky_relu(x, alpha):
    return np.where(x > 0, x, x * alpha).astype(x.dtype, copy=False)


def leaky_relu(features, alpha=0.2, name=None):
    """features if > 0, else alpha * features (integers are computed in float32)."""
    x = to_tensor(features)
    if x.dtype.is_integer:
        x = _math.cast(x, _dtypes.float32)
    return execute(_leaky_relu, (x,), {"alpha": float(alpha)}, name=name)


def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit: x * P(X <= x) for X ~ N(0, 1), i.e.
    0.5 * x * (1 + erf(x / sqrt(2))); with `approximate`, the tanh approximation
    0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))."""
    x = to_tensor(features)
    if not x.dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:"
                         f"features.dtype=<dtype: '{x.dtype.name}'>")
    if approximate:
        cube = _math.multiply(_math.multiply(x, x), x)
        inner = _math.multiply(_math.add(x, _math.multiply(cube, 0.044715)),
                               0.7978845608028654)
        cdf = _math.add(_math.tanh(inner), 1)
    else:
        cdf = _math.add(_math.erf(_math.multiply(x, 0.7071067811865476)), 1)
    return _math.multiply(_math.multiply(x, 0.5), cdf, name=name)


def silu(features, beta=1.0, name=None):
    """features * sigmoid(beta * features) (`tf.nn.swish`)."""
    x = to_tensor(features)
    scaled = x if _is_one(beta) else _math.multiply(x, beta)
    return _math.multiply(x, _math.sigmoid(scaled), name=name)


swish = silu


def _is_one(value):
    return type(value) in (int, float) and value == 1


# ---- softmax ----------------------------------------------------------------------------

def _work_dtype(x):
    """half and bfloat16 are computed in float32 (as TensorFlow's kernels do)."""
    return np.float32 if x.dtype.itemsize < 4 else x.dtype


def _softmax_parts(x):
    """(x - max, exp(x - max), sum of exp) over the last axis: subtracting the max
    first keeps exp from overflowing."""
    if x.ndim == 0:
        raise ValueError("logits must have >= 1 dimension, got []")
    x = x.astype(_work_dtype(x), copy=False)
    shifted = x - x.max(axis=-1, keepdims=True) if x.shape[-1] else x
    e = np.exp(shifted)
    return shifted, e, e.sum(axis=-1, keepdims=True)


def _softmax_grad(op, g):
    y = op.outputs[0]
    return _math.multiply(_math.subtract(g, _math.reduce_sum(_math.multiply(g, y), -1,
                                                             keepdims=True)), y)


@op("Softmax", shape=unary_shape, grad=_softmax_grad, dtypes=FLOAT)
@quiet
def _softmax(x):
    _, e, total = _softmax_parts(x)
    return (e / total).astype(x.dtype, copy=False)


def _log_softmax_grad(op, g):
    y = op.outputs[0]
    return _math.subtract(g, _math.multiply(_math.reduce_sum(g, -1, keepdims=True),
                                            _math.exp(y)))


@op("LogSoftmax", shape=unary_shape, grad=_log_softmax_grad, dtypes=FLOAT)
@quiet
def _log_softmax(x):
    shifted, _, total = _softmax_parts(x)
    return (shifted - np.log(total)).astype(x.dtype, copy=False)


def _on_last_axis(opdef, logits, axis, name):
    """Runs a last-axis op along `axis`, moving that axis last and back (as TF does)."""
    x = to_tensor(logits)
    rank = x.shape.rank
    if axis is None or axis == -1 or rank is None or axis == rank - 1:
        return execute(opdef, (x,), name=name)
    if not -rank <= axis < rank:
        raise errors.op_error(
            errors.InvalidArgumentError, opdef.type,
            f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of "
            f"dimensions in the input. Received: dim={axis}")
    perm = _swap_last(rank, axis % rank)
    return _array.transpose(execute(opdef, (_array.transpose(x, perm),)), perm, name=name)


def _swap_last(rank, axis):
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return perm


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits), axis), computed stably; `axis` defaults to -1.

    >>> tf.nn.softmax([[1., 2., 3.]])
    """
    return _on_last_axis(_softmax, logits, axis, name)


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits), axis)), computed stably; `axis` defaults to -1."""
    return _on_last_axis(_log_softmax, logits, axis, name)


# ---- softmax cross-entropy (fused: loss and backprop in one kernel) ------------------------

def _xent_logits_grad(grad_loss, backprop, grad_backprop, logits):
    """d/d logits of an xent op: grad_loss * backprop, plus the second-order term when
    the backprop output itself receives a gradient (backprop = softmax - labels)."""
    g = _math.multiply(_array.reshape(grad_loss, [-1, 1]), backprop)
    value = static_value(grad_backprop)
    if value is None or np.any(value):
        sm = execute(_softmax, (logits,))
        inner = _math.reduce_sum(_math.multiply(grad_backprop, sm), -1, keepdims=True)
        g = _math.add(g, _math.multiply(_math.subtract(grad_backprop, inner), sm))
    return g


def _xent_grad(op, grad_loss, grad_backprop):
    logits, labels = op.inputs
    need_logits, need_labels = op.needs_grad or (True, True)
    g_logits = g_labels = None
    if need_logits:
        g_logits = unbroadcast(
            _xent_logits_grad(grad_loss, op.outputs[1], grad_backprop, logits), logits.shape)
    if need_labels:
        g = _math.multiply(_array.reshape(grad_loss, [-1, 1]),
                           _math.negative(execute(_log_softmax, (logits,))))
        g_labels = unbroadcast(_math.subtract(g, grad_backprop), labels.shape)
    return g_logits, g_labels


def _xent_shape(features, labels):
    if features.shape.rank not in (None, 2) or labels.shape.rank not in (None, 2):
        raise ValueError("logits and labels must be 2-D")
    both = broadcast_shape(features.shape, labels.shape)
    rows = both[0] if both.rank is not None else None
    return [(features.dtype, TensorShape([rows])), (features.dtype, both)]


@op("SoftmaxCrossEntropyWithLogits", shape=_xent_shape, grad=_xent_grad, dtypes=FLOAT,
    num_outputs=2)
@quiet
def _softmax_xent(features, labels):
    try:
        features, labels = np.broadcast_arrays(features, labels)
    except ValueError:
        raise ValueError(f"logits and labels must be broadcastable: logits_size="
                         f"{_dims(features)} labels_size={_dims(labels)}") from None
    shifted, e, total = _softmax_parts(features)
    loss = (labels * (np.log(total) - shifted)).sum(axis=-1)
    backprop = e / total - labels
    return loss.astype(features.dtype, copy=False), backprop.astype(features.dtype, copy=False)


def _dims(a):
    return "[" + ",".join(str(d) for d in np.shape(a)) + "]"


def _sparse_xent_grad(op, grad_loss, grad_backprop):
    return _xent_logits_grad(grad_loss, op.outputs[1], grad_backprop, op.inputs[0]), None


def _sparse_xent_shape(features, labels):
    rows = features.shape[0] if features.shape.rank == 2 else None
    return [(features.dtype, TensorShape([rows])), (features.dtype, features.shape)]


@op("SparseSoftmaxCrossEntropyWithLogits", shape=_sparse_xent_shape, grad=_sparse_xent_grad,
    dtypes=FLOAT, num_outputs=2)
@quiet
def _sparse_softmax_xent(features, labels):
    if features.ndim != 2:
        raise ValueError(f"logits must be 2-D, but got shape {_dims(features)}")
    if labels.ndim != 1 or labels.shape[0] != features.shape[0]:
        raise ValueError(f"logits and labels must have the same first dimension, got logits "
                         f"shape {_dims(features)} and labels shape {_dims(labels)}")
    classes = features.shape[1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise ValueError(
            f"Received a label value of {labels[bad][0]} which is outside the valid range of "
            f"[0, {classes}).  Label values: {' '.join(str(v) for v in labels)}")
    rows = np.arange(labels.shape[0])
    shifted, e, total = _softmax_parts(features)
    loss = np.log(total[:, 0]) - shifted[rows, labels]
    backprop = e / total
    backprop[rows, labels] -= 1
    return loss.astype(features.dtype, copy=False), backprop.astype(features.dtype, copy=False)


def _precise(logits):
    """float16 logits are computed in float32, as TensorFlow's Python wrapper does."""
    return _math.cast(logits, _dtypes.float32) if logits.dtype is _dtypes.float16 else logits


def _flat_rows(x):
    """`x` as a matrix [rows, classes] for the 2-D xent kernels."""
    if x.shape.rank == 2:
        return x
    classes = x.shape[-1] if x.shape.rank else None
    return _array.reshape(x, [-1, -1 if classes is None else classes])


def _outer_shape(x):
    """The shape of `x` without its last axis (static when known)."""
    if x.shape.is_fully_defined():
        return x.shape.as_list()[:-1]
    return _array.shape(x)[:-1]


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between `labels` (a probability distribution along `axis`) and
    softmax(`logits`); one loss per row. Gradients flow to both arguments.

    >>> tf.nn.softmax_cross_entropy_with_logits([[0., 1.]], [[1., 2.]])   # [0.3132617]
    """
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    input_dtype = logits.dtype
    logits = _precise(logits)
    if labels.dtype is not logits.dtype:
        labels = _math.cast(labels, logits.dtype)
    rank = logits.shape.rank
    if rank is not None and axis not in (-1, rank - 1):
        perm = _swap_last(rank, axis % rank)
        logits, labels = _array.transpose(logits, perm), _array.transpose(labels, perm)
    loss, _ = execute(_softmax_xent, (_flat_rows(logits), _flat_rows(labels)))
    if rank != 2:
        loss = _array.reshape(loss, _outer_shape(logits))
    return _math.cast(loss, input_dtype) if loss.dtype is not input_dtype else loss


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy between integer class `labels` and softmax(`logits`) (last axis).

    Labels outside [0, num_classes) raise InvalidArgumentError.
    """
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    if labels.dtype not in (_int32, _int64):
        raise errors.op_error(
            errors.InvalidArgumentError, "SparseSoftmaxCrossEntropyWithLogits",
            f"Value for attr 'Tlabels' of {labels.dtype.name} is not in the list of allowed "
            f"values: int32, int64")
    lshape, xshape = labels.shape, logits.shape
    if xshape.rank == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {xshape}.")
    if lshape.rank is not None and xshape.rank is not None and (
            lshape.rank != xshape.rank - 1 or not lshape.is_compatible_with(xshape[:-1])):
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                         f"dimension. Received: labels.shape={lshape} and "
                         f"logits.shape={xshape}")
    input_dtype = logits.dtype
    logits = _precise(logits)
    rank = xshape.rank
    if rank == 2:
        loss, _ = execute(_sparse_softmax_xent, (logits, labels), name=name)
    else:
        loss, _ = execute(_sparse_softmax_xent, (_flat_rows(logits),
                                                 _array.reshape(labels, [-1])))
        loss = _array.reshape(loss, _outer_shape(logits))
    return _math.cast(loss, input_dtype) if loss.dtype is not input_dtype else loss


# ---- sigmoid cross-entropy (composite, as in TensorFlow) ----------------------------------

def _same_shape(labels, logits):
    if not labels.shape.is_compatible_with(logits.shape):
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({logits.shape} vs {labels.shape}).")


def _log1p_exp_neg_abs(x):
    """log(1 + exp(-|x|)): exp(-|x|) <= 1, so it never overflows."""
    return _math.log1p(_math.exp(_math.negative(_math.abs(x))))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise cross-entropy between `labels` in [0, 1] and sigmoid(`logits`).

    Computed as max(x, 0) - x * z + log(1 + exp(-|x|)), which neither overflows
    nor loses precision for large |x|.
    """
    logits, labels = to_tensor(logits), to_tensor(labels)
    _same_shape(labels, logits)
    return _math.add(_math.subtract(relu(logits), _math.multiply(logits, labels)),
                     _log1p_exp_neg_abs(logits), name=name)


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Sigmoid cross-entropy with the positive term weighted by `pos_weight`:
    (1 - z) * x + (1 + (q - 1) * z) * (log(1 + exp(-|x|)) + max(-x, 0))."""
    logits, labels = to_tensor(logits), to_tensor(labels)
    _same_shape(labels, logits)
    log_weight = _math.add(_math.multiply(pos_weight - 1, labels), 1)
    softplus_neg = _math.add(_log1p_exp_neg_abs(logits), relu(_math.negative(logits)))
    return _math.add(_math.multiply(_math.subtract(1, labels), logits),
                     _math.multiply(log_weight, softplus_neg), name=name)


# ---- normalization -----------------------------------------------------------------------------

def moments(x, axes, shift=None, keepdims=False, name=None):
    """The mean and variance of `x` over `axes`.

    >>> mean, variance = tf.nn.moments(X, axes=-1, keepdims=True)
    """
    x = to_tensor(x)
    y = _math.cast(x, _dtypes.float32) if x.dtype is _dtypes.float16 else x
    mean = _math.reduce_mean(y, axes, keepdims=True)
    centered = _math.subtract(y, stop_gradient(mean))
    variance = _math.reduce_mean(_math.multiply(centered, centered), axes, keepdims=keepdims)
    if not keepdims:
        mean = _array.reshape(mean, _array.shape(variance))
    if x.dtype is _dtypes.float16:
        return _math.cast(mean, x.dtype), _math.cast(variance, x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset (offset, scale may be None)."""
    x = to_tensor(x)
    inv = _math.rsqrt(_math.add(variance, variance_epsilon))
    if scale is not None:
        inv = _math.multiply(inv, scale)
    shift = _math.negative(_math.multiply(mean, inv))
    if offset is not None:
        shift = _math.add(shift, offset)
    return _math.add(_math.multiply(x, _math.cast(inv, x.dtype)), _math.cast(shift, x.dtype),
                     name=name)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon))."""
    x = to_tensor(x)
    axis = dim if axis is None else axis
    square_sum = _math.reduce_sum(_math.multiply(x, x), axis, keepdims=True)
    inv_norm = _math.rsqrt(_math.maximum(square_sum, convert_to_tensor(epsilon, dtype=x.dtype)))
    return _math.multiply(x, inv_norm, name=name)


@op("L2Loss", shape=lambda t: (t.dtype, TensorShape([])),
    grad=lambda op, g: _math.multiply(op.inputs[0], g), dtypes=FLOAT)
def _l2_loss(t):
    return (np.sum(np.square(t, dtype=_work_dtype(t))) / 2).astype(t.dtype)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, a scalar."""
    return execute(_l2_loss, (to_tensor(t),), name=name)


# ---- bias_add ------------------------------------------------------------------------------

def _bias_add_grad(op, g):
    value = op.inputs[0]
    rank = value.shape.rank
    channel = 1 if op.get_attr("data_format") == "NCHW" else rank - 1
    return g, _math.reduce_sum(g, [a for a in range(rank) if a != channel])


@op("BiasAdd", shape=lambda value, bias, data_format: (value.dtype, value.shape),
    grad=_bias_add_grad, dtypes=_dtypes.NUMERIC)
def _bias_add(value, bias, data_format):
    if value.ndim < 2:
        raise ValueError(f"Input tensor must be at least 2D: {_dims(value)}")
    if bias.ndim != 1:
        raise ValueError(f"Biases must be 1D: {_dims(bias)}")
    channel = 1 if data_format == "NCHW" else -1
    if bias.shape[0] != value.shape[channel]:
        where = "last" if channel == -1 else "channel"
        raise ValueError(f"Must provide as many biases as the {where} dimension of the input "
                         f"tensor: {_dims(bias)} vs. {_dims(value)}")
    if channel == 1:
        bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


def bias_add(value, bias, data_format=None, name=None):
    """`value` + `bias` along the channel axis: last ("N...C", the default) or
    second ("NC...")."""
    if data_format is None or (data_format.startswith("N") and data_format.endswith("C")):
        fmt = "NHWC"
    elif data_format.startswith("NC"):
        fmt = "NCHW"
    else:
        raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    value, bias = binary_inputs(value, bias, "BiasAdd")
    return execute(_bias_add, (value, bias), {"data_format": fmt}, name=name)


# ---- dropout ----------------------------------------------------------------------------------

def _noise_shape(x, noise_shape):
    """`noise_shape` with its None entries filled from `x`'s static shape."""
    if noise_shape is None:
        return _array.shape(x)
    if isinstance(noise_shape, (list, tuple, TensorShape)):
        dims = TensorShape(noise_shape).as_list() if TensorShape(noise_shape).rank else []
        if x.shape.rank == len(dims):
            return TensorShape([k if d is None else d
                                for d, k in zip(dims, x.shape.as_list())])
    return noise_shape


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Sets each element of `x` to 0 with probability `rate` and scales the others by
    1 / (1 - rate), so the expected sum is unchanged.

    `noise_shape` makes the keep/drop decision shared along the axes where it is 1.
    """
    x = to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype=<dtype: '{x.dtype.name}'>")
    if isinstance(rate, numbers.Real):
        if not 0 <= rate < 1:
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                             f"Received: rate={rate}")
        scaled = _math.multiply(x, convert_to_tensor(1 / (1 - rate), dtype=x.dtype))
        rate = convert_to_tensor(rate, dtype=x.dtype)
    else:
        rate = _math.cast(to_tensor(rate), x.dtype)
        if rate.shape.rank not in (None, 0):
            raise ValueError(f"Shape {rate.shape} must have rank 0")
        scaled = _math.divide(x, _math.subtract(1, rate))
    noise = _random.uniform(_noise_shape(x, noise_shape), dtype=x.dtype, seed=seed)
    keep = _math.greater_equal(noise, rate)
    return _array.where(keep, scaled, _array.zeros_like(scaled), name=name)


# ---- losses for custom training loops -----------------------------------------------------------

def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None,
                         name=None):
    """sum(per_example_loss * sample_weight) / global_batch_size (by default the size of
    the first dimension: one replica)."""
    loss = to_tensor(per_example_loss)
    input_dtype = loss.dtype
    if loss.shape.rank == 0:
        raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor "
                         "with at least rank 1.")
    if sample_weight is not None:
        weight = _math.cast(to_tensor(sample_weight), input_dtype)
        loss = _math.multiply(loss, weight)
    if global_batch_size is None:
        global_batch_size = loss.shape[0]
        if global_batch_size is None:
            global_batch_size = _array.shape(loss)[0]
    else:
        size = to_tensor(global_batch_size)
        if not size.dtype.is_integer:
            raise TypeError("global_batch_size must be an integer.")
        if size.shape.rank != 0:
            raise ValueError("global_batch_size must be scalar.")
        if static_value(size) is not None and static_value(size) <= 0:
            raise errors.InvalidArgumentError(None, None, "global_batch_size must be positive.")
        global_batch_size = size
    return _math.truediv(_math.reduce_sum(loss),
                         _math.cast(global_batch_size, input_dtype), name=name)


def scale_regularization_loss(regularization_loss, name=None):
    """The regularization loss summed and divided by the number of replicas (one)."""
    return _math.truediv(_math.reduce_sum(regularization_loss), 1, name=name)
