"""Convolution layers: Conv1D, Conv2D (Keras 3 arguments, defaults, checks and configs).

The layers run `tf.nn.conv1d` / `tf.nn.conv2d` on channels-last tensors; a
channels-first layer transposes around them (TensorFlow's CPU kernels are NHWC
only).
"""
import numpy as np

import tensorlite as tf
from tensorlite.keras import activations, backend, constraints, initializers, regularizers
from tensorlite.keras.layers.base_layer import InputSpec, Layer
from tensorlite.keras.saving.serialization import register_builtin, serialize_keras_object


def _serialize(obj):
    return serialize_keras_object(obj) if obj is not None else None


def standardize_tuple(value, n, name, allow_zero=False):
    """An int or n ints as a tuple of n ints, with Keras's ValueError otherwise."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, (int, np.integer)):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for v in values:
            if not isinstance(v, (int, np.integer)):
                raise ValueError(f"{message}including element {v} of type {type(v)}")
        values = tuple(int(v) for v in values)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        raise ValueError(f"{message}, including values {bad} that do not satisfy "
                         f"`value {'>= 0' if allow_zero else '> 0'}`")
    return values


def standardize_padding(value, allow_causal=False):
    """"valid"/"same" (and "causal" for 1-D convolutions), lower-cased."""
    if isinstance(value, (list, tuple)):
        return value
    padding = str(value).lower()
    allowed = ("{'causal', 'same', 'valid'}" if allow_causal else "{'valid', 'same'}")
    if padding not in (("valid", "same", "causal") if allow_causal else ("valid", "same")):
        raise ValueError(f"The `padding` argument must be a list/tuple or one of {allowed}. "
                         f"Received: {value}")
    return padding


def standardize_data_format(data_format):
    """None -> the configured image data format; else "channels_last"/"channels_first"."""
    if data_format is None:
        return backend.image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    return data_format


def to_channels_last(x, data_format):
    """NC... -> N...C for channels-first inputs (TensorFlow's CPU ops are channels-last)."""
    if data_format == "channels_last":
        return x
    rank = x.shape.rank
    return tf.transpose(x, [0] + list(range(2, rank)) + [1])


def to_channels_first(x, data_format):
    """The inverse of `to_channels_last`."""
    if data_format == "channels_last":
        return x
    rank = x.shape.rank
    return tf.transpose(x, [0, rank - 1] + list(range(1, rank - 1)))


def spatial_dims(input_shape, data_format):
    shape = list(input_shape)
    return shape[1:-1] if data_format == "channels_last" else shape[2:]


def with_spatial_dims(input_shape, spatial, channels, data_format):
    if data_format == "channels_last":
        return (input_shape[0],) + tuple(spatial) + (channels,)
    return (input_shape[0], channels) + tuple(spatial)


def _conv_output_spatial(spatial, kernel_size, strides, dilation_rate, padding):
    """Keras's output sizes (None stays None); None when a size would be <= 0."""
    out = []
    for n, k, s, d in zip(spatial, kernel_size, strides, dilation_rate):
        if n is None:
            out.append(None)
        elif padding == "valid":
            out.append((n - d * (k - 1) - 1) // s + 1)
        else:  # "same" and "causal"
            out.append((n - 1) // s + 1)
    return out


class BaseConv(Layer):
    """What Conv1D and Conv2D share: arguments, weights, the call and its output shape."""

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self.rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if self.filters is not None and self.filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={self.filters}.")
        if self.groups <= 0:
            raise ValueError("The number of groups must be a positive integer. Received: "
                             f"groups={self.groups}.")
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError("The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={self.groups}, filters={self.filters}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > "
                             f"1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.kernel = self.bias = None

    def _kernel_shape(self, input_channel):
        return self.kernel_size + (input_channel // self.groups, int(self.filters))

    def build(self, input_shape):
        channel_axis = -1 if self.data_format == "channels_last" else 1
        input_channel = input_shape[channel_axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: input_channel})
        if input_channel % self.groups != 0:
            raise ValueError("The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input "
                             f"has {input_channel} channels (full input shape is "
                             f"{tuple(input_shape)}).")
        self._check_output_size(input_shape, self._kernel_shape(input_channel))
        self.kernel = self.add_weight(name="kernel", shape=self._kernel_shape(input_channel),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(int(self.filters),),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _check_output_size(self, input_shape, kernel_shape):
        spatial = _conv_output_spatial(spatial_dims(input_shape, self.data_format),
                                       self.kernel_size, self.strides, self.dilation_rate,
                                       self.padding)
        if any(d is not None and d <= 0 for d in spatial):
            raise ValueError("Computed output size would be zero or negative. Received "
                             f"`inputs shape={tuple(input_shape)}`, `kernel shape="
                             f"{tuple(kernel_shape)}`, `dilation_rate="
                             f"{np.array(self.dilation_rate)}`, `strides={self.strides}`, "
                             f"`padding={self.padding}`.")
        return spatial

    def convolve(self, inputs):
        """The convolution of channels-last `inputs` with the kernel (no bias)."""
        raise NotImplementedError

    def call(self, inputs):
        if inputs.shape.rank is not None and inputs.shape.rank != self.rank + 2:
            raise ValueError("Kernel shape must have the same length as input, but received "
                             f"kernel of shape {tuple(self.kernel.shape)} and input of shape "
                             f"{tuple(inputs.shape)}.")
        outputs = self.convolve(to_channels_last(inputs, self.data_format))
        if self.use_bias:
            outputs = tf.nn.bias_add(outputs, self.bias)
        outputs = to_channels_first(outputs, self.data_format)
        if self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        channel = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        kernel_shape = self.kernel_size + (
            None if channel is None else channel // self.groups, self.filters)
        spatial = self._check_output_size(input_shape, kernel_shape)
        return with_spatial_dims(input_shape, spatial, self.filters, self.data_format)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": _serialize(self.kernel_initializer),
                "bias_initializer": _serialize(self.bias_initializer),
                "kernel_regularizer": _serialize(self.kernel_regularizer),
                "bias_regularizer": _serialize(self.bias_regularizer),
                "activity_regularizer": _serialize(self.activity_regularizer),
                "kernel_constraint": _serialize(self.kernel_constraint),
                "bias_constraint": _serialize(self.bias_constraint)}


@register_builtin("keras.layers")
class Conv2D(BaseConv):
    """2-D convolution: `activation(conv2d(inputs, kernel) + bias)` on (batch, rows, cols,
    channels) inputs (channels first with `data_format="channels_first"`).

    >>> conv = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")
    >>> conv(tf.ones([2, 28, 28, 1])).shape
    TensorShape([2, 28, 28, 32])
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)

    def convolve(self, inputs):
        return tf.nn.conv2d(inputs, self.kernel, self.strides, self.padding.upper(),
                            dilations=self.dilation_rate)


@register_builtin("keras.layers")
class Conv1D(BaseConv):
    """1-D convolution over (batch, steps, channels) inputs; `padding="causal"` pads on the
    left only, so output t never sees inputs after t."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)

    def convolve(self, inputs):
        padding = self.padding
        if padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            inputs = tf.pad(inputs, [[0, 0], [left, 0], [0, 0]])
            padding = "valid"
        return tf.nn.conv1d(inputs, self.kernel, self.strides, padding.upper(),
                            dilations=self.dilation_rate)


Convolution1D = Conv1D
Convolution2D = Conv2D

__all__ = ["Conv1D", "Conv2D", "Convolution1D", "Convolution2D"]
