"""Normalization layers: BatchNormalization, LayerNormalization."""
import tensorlite as tf
from tensorlite.keras import constraints, initializers, regularizers
from tensorlite.keras.layers.base_layer import InputSpec, Layer
from tensorlite.keras.saving.serialization import register_builtin, serialize_keras_object


def _broadcast(v, axes, rank):
    """A per-feature tensor (one dim per axis in `axes`) reshaped to broadcast against a
    rank-`rank` input; trailing axes broadcast as they are."""
    if v is None or axes == list(range(rank - len(axes), rank)):
        return v
    shape = [1] * rank
    for a, d in zip(axes, v.shape):
        shape[a] = d
    return tf.reshape(v, shape)


def _normalize(x, mean, variance, gamma, beta, epsilon):
    """(x - mean) / sqrt(variance + epsilon) * gamma + beta, as Keras computes it."""
    inv = tf.math.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    res = -mean * inv
    if beta is not None:
        res = res + beta
    return x * inv + res


def _serialized(layer, *names):
    """{name: the serialized attribute} for the named initializers, regularizers and
    constraints of `layer`, in the given order."""
    return {name: serialize_keras_object(getattr(layer, name)) for name in names}


class _ScaledAndShifted(Layer):
    """A normalization layer with a learned scale `gamma` and shift `beta`: their
    initializers, regularizers, constraints and weights."""

    def __init__(self, beta_initializer, gamma_initializer, beta_regularizer,
                 gamma_regularizer, beta_constraint, gamma_constraint, **kwargs):
        super().__init__(**kwargs)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def _add_gamma_and_beta(self, shape, scale, center):
        """Creates `gamma` if `scale` and `beta` if `center`, both of `shape`."""
        if scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)


@register_builtin("keras.layers")
class BatchNormalization(_ScaledAndShifted):
    """Normalizes with the batch's mean/variance in training (updating moving averages with
    `momentum`) and with the moving averages at inference."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, **kwargs):
        super().__init__(beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) (batch "
                                      "renormalization) is not supported.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.synchronized = synchronized
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        rank = len(input_shape)
        axis = self.axis % rank
        shape = (input_shape[axis],)
        self._add_gamma_and_beta(shape, self.scale, self.center)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: input_shape[axis]})

    def call(self, inputs, training=None, mask=None):
        rank = inputs.shape.rank
        axis = self.axis % rank
        if inputs.dtype.name in ("float16", "bfloat16"):
            inputs = tf.cast(inputs, "float32")  # BN overflows in half precision
        if training and self.trainable:
            reduction_axes = [a for a in range(rank) if a != axis]
            mean, variance = tf.nn.moments(inputs, axes=reduction_axes)
            momentum = self.momentum
            self.moving_mean.assign(self.moving_mean * momentum + mean * (1.0 - momentum))
            self.moving_variance.assign(self.moving_variance * momentum
                                        + variance * (1.0 - momentum))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        out = _normalize(inputs, _broadcast(tf.convert_to_tensor(mean), [axis], rank),
                         _broadcast(tf.convert_to_tensor(variance), [axis], rank),
                         _broadcast(self.gamma, [axis], rank),
                         _broadcast(self.beta, [axis], rank), self.epsilon)
        return tf.cast(out, self.compute_dtype) if out.dtype.name != self.compute_dtype else out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **_serialized(self, "beta_initializer", "gamma_initializer",
                              "moving_mean_initializer", "moving_variance_initializer",
                              "beta_regularizer", "gamma_regularizer", "beta_constraint",
                              "gamma_constraint"),
                "synchronized": self.synchronized, "renorm": False, "renorm_clipping": None,
                "renorm_momentum": 0.99}


@register_builtin("keras.layers")
class LayerNormalization(_ScaledAndShifted):
    """Normalizes each example over `axis` (the last by default): (x - mean) /
    sqrt(variance + epsilon), then scales by `gamma` and shifts by `beta`."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling

    def _axes(self, rank):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        return sorted(a % rank for a in axes)

    def build(self, input_shape):
        axes = self._axes(len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        self._add_gamma_and_beta(shape, self.scale or self.rms_scaling,
                                 self.center and not self.rms_scaling)

    def call(self, inputs):
        rank = inputs.shape.rank
        axes = self._axes(rank)
        dtype = inputs.dtype
        if dtype.name in ("float16", "bfloat16") and self.dtype == "float32":
            inputs = tf.cast(inputs, "float32")
        gamma = _broadcast(self.gamma, axes, rank)
        beta = _broadcast(self.beta, axes, rank)
        if self.rms_scaling:
            variance = tf.reduce_mean(tf.square(inputs), axis=axes, keepdims=True)
            out = inputs * tf.math.rsqrt(variance + self.epsilon) * gamma
        else:
            mean, variance = tf.nn.moments(inputs, axes=axes, keepdims=True)
            out = _normalize(inputs, mean, variance, gamma, beta, self.epsilon)
        return tf.cast(out, self.compute_dtype) if out.dtype.name != self.compute_dtype else out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": self.rms_scaling,
                **_serialized(self, "beta_initializer", "gamma_initializer", "beta_regularizer",
                              "gamma_regularizer", "beta_constraint", "gamma_constraint")}
