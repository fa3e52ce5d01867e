"""Reshaping layers: Flatten, Reshape."""
import math

import tensorlite as tf
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin


def _batch_size(x):
    """The batch dimension: a Python int when known, else a scalar tensor."""
    batch = x.shape[0]
    return batch if batch is not None else tf.shape(x)[0]


@register_builtin("keras.layers")
class Flatten(Layer):
    """Flattens each example: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.shape.rank > 2:
            perm = [0] + list(range(2, inputs.shape.rank)) + [1]
            inputs = tf.transpose(inputs, perm)
        rest = inputs.shape[1:]
        if rest.is_fully_defined():
            return tf.reshape(inputs, (-1, int(math.prod(rest.as_list()))))
        return tf.reshape(inputs, [_batch_size(inputs), -1])

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(math.prod(rest))
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


@register_builtin("keras.layers")
class Reshape(Layer):
    """Reshapes each example to `target_shape` (one dimension may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, inputs):
        return tf.reshape(inputs, [_batch_size(inputs)] + list(self.target_shape))

    def compute_output_shape(self, input_shape):
        target = list(self.target_shape)
        if -1 in target:
            known = input_shape[1:]
            i = target.index(-1)
            if any(d is None for d in known):
                target[i] = None
            else:
                rest = math.prod(d for d in target if d != -1)
                total = math.prod(known)
                if rest == 0 or total % rest:
                    raise ValueError("The total size of the tensor must be unchanged. "
                                     f"Received: input_shape={input_shape}, "
                                     f"target_shape={self.target_shape}")
                target[i] = total // rest
        return (input_shape[0],) + tuple(target)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
