"""`keras.activations`: activation functions, by name or as callables.

Each function is written with tf ops, so it differentiates and traces like any
user function. `get` resolves what layers accept as `activation=`: a name
("relu"), None (linear), a serialized dict or any callable.

>>> keras.activations.get("relu")(tf.constant([-1., 2.]))
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 2.], dtype=float32)>
"""
import types
import warnings

import tensorlite as tf
from tensorlite.keras.saving import serialization

_MODULE = "keras.activations"
ALL_OBJECTS_DICT = {}
_builtin = serialization.builtin_registrar(_MODULE, ALL_OBJECTS_DICT)


def _tensor(x):
    return tf.convert_to_tensor(x)


@_builtin
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with a slope below `threshold` and a ceiling at `max_value` if given."""
    x = _tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return tf.nn.relu(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0.0:
            return tf.nn.leaky_relu(x, alpha=negative_slope)
        negative_part = tf.nn.relu(threshold - x if threshold != 0.0 else -x)
    clip_max = max_value is not None
    if threshold != 0.0:
        x = tf.where(x > threshold, x, 0.0)
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, tf.cast(0.0, x.dtype), tf.cast(max_value, x.dtype))
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


@_builtin
def leaky_relu(x, negative_slope=0.2):
    """x for x >= 0, negative_slope * x below."""
    return tf.nn.leaky_relu(_tensor(x), alpha=negative_slope)


@_builtin
def relu6(x):
    """min(max(x, 0), 6)."""
    return tf.nn.relu6(x)


@_builtin
def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) below."""
    x = _tensor(x)
    res = tf.nn.elu(x)
    if alpha == 1:
        return res
    return tf.where(x > 0, res, alpha * res)


@_builtin
def selu(x):
    """Scaled ELU (self-normalizing networks): scale * elu(x, alpha), fixed constants."""
    return tf.nn.selu(x)


@_builtin
def softplus(x):
    """log(exp(x) + 1)."""
    return tf.math.softplus(x)


@_builtin
def softsign(x):
    """x / (|x| + 1)."""
    return tf.math.softsign(x)


@_builtin
def sigmoid(x):
    """1 / (1 + exp(-x))."""
    return tf.math.sigmoid(x)


@_builtin
def tanh(x):
    """The hyperbolic tangent."""
    return tf.math.tanh(x)


@_builtin
def exponential(x):
    """exp(x)."""
    return tf.math.exp(x)


@_builtin
def linear(x):
    """The identity: returns `x` unchanged."""
    return x


@_builtin
def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis` (an int or a tuple of axes)."""
    x = _tensor(x)
    if isinstance(axis, int) and x.shape.rank and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape)}. "
            "This axis has size 1. The softmax operation will always return the value 1, "
            "which is likely not what you intended. Did you mean to use a sigmoid instead?",
            stacklevel=2)
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    shifted = x - tf.reduce_max(x, axis=axis, keepdims=True)
    e = tf.exp(shifted)
    return e / tf.reduce_sum(e, axis=axis, keepdims=True)


@_builtin
def log_softmax(x, axis=-1):
    """log(softmax(x)) along `axis`, computed stably."""
    x = _tensor(x)
    if isinstance(axis, int):
        return tf.nn.log_softmax(x, axis=axis)
    shifted = x - tf.reduce_max(x, axis=axis, keepdims=True)
    return shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=axis, keepdims=True))


@_builtin
def gelu(x, approximate=False):
    """Gaussian error linear unit: x * P(X <= x), X ~ N(0, 1) (tanh form if `approximate`)."""
    return tf.nn.gelu(x, approximate=approximate)


@_builtin
def silu(x):
    """x * sigmoid(x) (also called swish)."""
    return tf.nn.silu(x)


swish = silu


@_builtin
def hard_sigmoid(x):
    """A piecewise-linear sigmoid: relu6(x + 3) / 6."""
    x = _tensor(x)
    return tf.nn.relu6(x + 3.0) / 6.0


@_builtin
def hard_silu(x):
    """x * hard_sigmoid(x) (also called hard_swish)."""
    x = _tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


@_builtin
def mish(x):
    """x * tanh(softplus(x))."""
    x = _tensor(x)
    return x * tf.math.tanh(tf.math.softplus(x))


@_builtin
def celu(x, alpha=1.0):
    """max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)."""
    x = _tensor(x)
    return tf.maximum(x, 0.0) + alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha)


@_builtin
def glu(x, axis=-1):
    """Gated linear unit: a * sigmoid(b), where x splits into halves a and b along `axis`."""
    x = _tensor(x)
    size = x.shape[axis]
    if size is not None and size % 2:
        raise ValueError("axis size must be divisible by 2. "
                         f"Received: x.shape={tuple(x.shape)} with axis={axis}")
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.math.sigmoid(b)


@_builtin
def log_sigmoid(x):
    """log(sigmoid(x)), computed stably as -softplus(-x)."""
    return -tf.math.softplus(-_tensor(x))


@_builtin
def sparse_plus(x):
    """0 for x <= -1, x for x >= 1, (x + 1)**2 / 4 between."""
    x = _tensor(x)
    return tf.where(x <= -1.0, 0.0, tf.where(x >= 1.0, x, tf.square(x + 1.0) / 4.0))


@_builtin
def sparse_sigmoid(x):
    """0 for x <= -1, 1 for x >= 1, (x + 1) / 2 between."""
    x = _tensor(x)
    return tf.where(x <= -1.0, 0.0, tf.where(x >= 1.0, 1.0, 0.5 * (x + 1.0)))


@_builtin
def squareplus(x, b=4):
    """(x + sqrt(x**2 + b)) / 2."""
    x = _tensor(x)
    return (x + tf.sqrt(tf.square(x) + b)) / 2.0


@_builtin
def soft_shrink(x, threshold=0.5):
    """x - threshold above it, x + threshold below -threshold, 0 between."""
    x = _tensor(x)
    return tf.where(x > threshold, x - threshold,
                    tf.where(x < -threshold, x + threshold, 0.0))


@_builtin
def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0."""
    x = _tensor(x)
    return tf.where(tf.abs(x) > threshold, x, 0.0)


@_builtin
def tanh_shrink(x):
    """x - tanh(x)."""
    x = _tensor(x)
    return x - tf.math.tanh(x)


@_builtin
def hard_tanh(x):
    """x clipped to [-1, 1]."""
    x = _tensor(x)
    return tf.clip_by_value(x, tf.cast(-1.0, x.dtype), tf.cast(1.0, x.dtype))


@_builtin
def threshold(x, threshold, default_value):  # noqa: A002 - Keras's argument name
    """x where x > threshold, else `default_value`."""
    x = _tensor(x)
    return tf.where(x > threshold, x, default_value)


@_builtin
def sparsemax(x, axis=-1):
    """The Euclidean projection of x onto the probability simplex along `axis`."""
    x = _tensor(x)
    rank = x.shape.rank
    axis = axis % rank
    ordered = tf.sort(x, axis=axis, direction="DESCENDING")
    cumulative = tf.cumsum(ordered, axis=axis)
    ranks_shape = [1] * rank
    ranks_shape[axis] = -1
    ranks = tf.reshape(tf.range(1, tf.shape(x)[axis] + 1), ranks_shape)
    ranks = tf.cast(ranks, x.dtype)
    support = 1.0 + ranks * ordered > cumulative
    support_size = tf.reduce_sum(tf.cast(support, x.dtype), axis=axis, keepdims=True)
    support_sum = tf.reduce_sum(tf.where(support, ordered, tf.zeros_like(ordered)),
                                axis=axis, keepdims=True)
    tau = (support_sum - 1.0) / support_size
    return tf.maximum(x - tau, tf.zeros_like(x))


# ---- lookup and serialization --------------------------------------------------------

def serialize(activation):
    """A built-in activation as its name; anything else as Keras's serialization dict."""
    config = serialization.serialize_keras_object(activation)
    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized due to invalid "
            "function name. Make sure to use an activation name that matches the references "
            "defined in activations.py or use `@keras.saving.register_keras_serializable()` "
            f"to register any custom activations. config={config}")
    if not isinstance(activation, types.FunctionType):
        return config  # an activation object (e.g. a layer) keeps its full config
    name = config["config"]
    if isinstance(name, str) and name in ALL_OBJECTS_DICT:
        return name
    config["config"] = serialization.get_registered_name(activation)
    return config


def deserialize(config, custom_objects=None):
    """The activation a `serialize` result names."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """An activation function from a name, a serialized dict, a callable, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier) or serialization.get_registered_object(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")


ALL_OBJECTS_DICT.update({"swish": silu, "hard_swish": hard_silu})
