"""Regularization layers, active only in training: Dropout, AlphaDropout, GaussianNoise,
GaussianDropout; and ActivityRegularization (adds an activity penalty to the losses)."""
import math

import tensorlite as tf
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin


def _check_rate(rate):
    if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError("Invalid value received for argument `rate`. Expected a float value "
                         f"between 0 and 1. Received: rate={rate}")


class _NoiseLayer(Layer):
    """A weightless layer applying noise in training and passing inputs through otherwise."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape


@register_builtin("keras.layers")
class Dropout(_NoiseLayer):
    """Zeroes a fraction `rate` of the inputs in training, scaling the rest by 1 / (1 - rate)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_rate(rate)
        self.rate = rate
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        shape = tf.shape(inputs)
        return tf.stack([shape[i] if d is None else d for i, d in enumerate(self.noise_shape)])

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return tf.nn.dropout(inputs, rate=self.rate, noise_shape=self._noise_shape(inputs),
                                 seed=self.seed)
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


@register_builtin("keras.layers")
class AlphaDropout(_NoiseLayer):
    """Dropout for SELU networks: dropped units take SELU's negative saturation value and
    the result is rescaled so the mean and variance are kept."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_rate(rate)
        self.rate = rate
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None

    def call(self, inputs, training=False):
        if not training or not 0 < self.rate < 1:
            return inputs
        alpha = 1.6732632423543772848170429916717
        scale = 1.0507009873554804934193349852946
        alpha_p = -alpha * scale
        shape = tf.shape(inputs) if self.noise_shape is None else tf.stack(
            [tf.shape(inputs)[i] if d is None else d for i, d in enumerate(self.noise_shape)])
        kept = tf.cast(tf.random.uniform(shape, dtype=inputs.dtype, seed=self.seed)
                       >= self.rate, inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


@register_builtin("keras.layers")
class GaussianNoise(_NoiseLayer):
    """Adds zero-mean Gaussian noise of standard deviation `stddev` in training."""

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if not 0 <= stddev:
            raise ValueError("Invalid value received for argument `stddev`. Expected a float "
                             f"value greater than 0. Received: stddev={stddev}")
        self.stddev = stddev

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            return inputs + tf.random.normal(tf.shape(inputs), mean=0.0, stddev=self.stddev,
                                             dtype=inputs.dtype, seed=self.seed)
        return inputs

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


@register_builtin("keras.layers")
class GaussianDropout(_NoiseLayer):
    """Multiplies the inputs by Gaussian noise of mean 1, stddev sqrt(rate / (1 - rate))."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_rate(rate)
        self.rate = rate

    def call(self, inputs, training=False):
        if training and 0 < self.rate < 1:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            return inputs * tf.random.normal(tf.shape(inputs), mean=1.0, stddev=stddev,
                                             dtype=inputs.dtype, seed=self.seed)
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@register_builtin("keras.layers")
class ActivityRegularization(Layer):
    """Passes inputs through and adds the L1/L2 activity penalty `l1 * sum|x| + l2 * sum x²`."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        from tensorlite.keras import regularizers
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
