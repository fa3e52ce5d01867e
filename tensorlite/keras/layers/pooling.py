"""Pooling layers: MaxPooling1D/2D, AveragePooling1D/2D and the global poolings (Keras 3
arguments, defaults and output shapes), written with `tf.nn` pooling and reductions."""
import numpy as np

import tensorlite as tf
from tensorlite.keras.layers.base_layer import InputSpec, Layer
from tensorlite.keras.layers.convolutional import (spatial_dims, standardize_data_format,
                                                   standardize_tuple, to_channels_first,
                                                   to_channels_last, with_spatial_dims)
from tensorlite.keras.saving.serialization import register_builtin


class BasePooling(Layer):
    """Max or average pooling over `pool_size` windows moved by `strides` (default:
    `pool_size`), "valid" or "same" padded."""

    pool_dimensions = None
    pool_mode = None

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(name=name, **kwargs)
        n = self.pool_dimensions
        self.pool_size = standardize_tuple(pool_size, n, "pool_size")
        self.strides = self.pool_size if strides is None else \
            standardize_tuple(strides, n, "strides")
        self.padding = padding
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=n + 2)

    def call(self, inputs):
        x = to_channels_last(inputs, self.data_format)
        if self.pool_dimensions == 1:
            pool = tf.nn.max_pool1d if self.pool_mode == "max" else tf.nn.avg_pool1d
        else:
            pool = tf.nn.max_pool2d if self.pool_mode == "max" else tf.nn.avg_pool2d
        outputs = pool(x, self.pool_size, self.strides, self.padding.upper())
        return to_channels_first(outputs, self.data_format)

    def compute_output_shape(self, input_shape):
        padding = self.padding.lower()
        spatial = []
        for n, k, s in zip(spatial_dims(input_shape, self.data_format), self.pool_size,
                           self.strides):
            if n is None:
                spatial.append(None)
            elif padding == "valid":
                spatial.append((n - k) // s + 1)
            else:
                spatial.append((n - 1) // s + 1)
        if padding == "valid" and any(d is not None and d <= 0 for d in spatial):
            raise ValueError("Computed output size would be zero or negative. Received: "
                             f"`inputs.shape={np.array(input_shape)}`, `pool_size="
                             f"{np.array(self.pool_size)}`, `strides={self.strides}`, "
                             f"`padding={self.padding}`.")
        channel_axis = -1 if self.data_format == "channels_last" else 1
        return with_spatial_dims(input_shape, spatial, input_shape[channel_axis],
                                 self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


@register_builtin("keras.layers")
class MaxPooling2D(BasePooling):
    """The maximum of each `pool_size` window of (batch, rows, cols, channels) inputs.

    >>> tf.keras.layers.MaxPooling2D()(tf.ones([1, 28, 28, 3])).shape
    TensorShape([1, 14, 14, 3])
    """

    pool_dimensions, pool_mode = 2, "max"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


@register_builtin("keras.layers")
class AveragePooling2D(BasePooling):
    """The mean of each `pool_size` window of (batch, rows, cols, channels) inputs ("same"
    windows average their real elements only)."""

    pool_dimensions, pool_mode = 2, "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


@register_builtin("keras.layers")
class MaxPooling1D(BasePooling):
    """The maximum of each `pool_size` window of (batch, steps, channels) inputs."""

    pool_dimensions, pool_mode = 1, "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


@register_builtin("keras.layers")
class AveragePooling1D(BasePooling):
    """The mean of each `pool_size` window of (batch, steps, channels) inputs."""

    pool_dimensions, pool_mode = 1, "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class BaseGlobalPooling(Layer):
    """A reduction over all spatial axes: (batch, ..., channels) -> (batch, channels), or
    size-1 spatial axes with `keepdims=True`."""

    pool_dimensions = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.pool_dimensions + 2)

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return list(range(first, first + self.pool_dimensions))

    def compute_output_shape(self, input_shape):
        channel_axis = -1 if self.data_format == "channels_last" else 1
        if self.keepdims:
            return with_spatial_dims(input_shape, [1] * self.pool_dimensions,
                                     input_shape[channel_axis], self.data_format)
        return (input_shape[0], input_shape[channel_axis])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


def _mean_input(x):
    """Integer inputs average as float32, as Keras's mean does."""
    return x if x.dtype.is_floating else tf.cast(x, tf.float32)


@register_builtin("keras.layers")
class GlobalAveragePooling2D(BaseGlobalPooling):
    """The mean over rows and columns of each channel."""

    pool_dimensions = 2

    def call(self, inputs):
        return tf.reduce_mean(_mean_input(inputs), axis=self._spatial_axes(),
                              keepdims=self.keepdims)


@register_builtin("keras.layers")
class GlobalMaxPooling2D(BaseGlobalPooling):
    """The maximum over rows and columns of each channel."""

    pool_dimensions = 2

    def call(self, inputs):
        return tf.reduce_max(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)


@register_builtin("keras.layers")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean over the steps of each channel; with a (batch, steps) `mask`, over the
    unmasked steps only."""

    pool_dimensions = 1

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        x = _mean_input(inputs)
        axis = self._spatial_axes()
        if mask is None:
            return tf.reduce_mean(x, axis=axis, keepdims=self.keepdims)
        mask = tf.expand_dims(tf.cast(mask, x.dtype),
                              2 if self.data_format == "channels_last" else 1)
        return (tf.reduce_sum(x * mask, axis=axis, keepdims=self.keepdims)
                / tf.reduce_sum(mask, axis=axis, keepdims=self.keepdims))


@register_builtin("keras.layers")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """The maximum over the steps of each channel."""

    pool_dimensions = 1

    def call(self, inputs):
        return tf.reduce_max(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)


# Keras's aliases.
MaxPool1D, MaxPool2D = MaxPooling1D, MaxPooling2D
AvgPool1D, AvgPool2D = AveragePooling1D, AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
