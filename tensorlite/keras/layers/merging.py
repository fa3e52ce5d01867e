"""Merging layers: combine a list of tensors (Add, Subtract, Multiply, Average, Maximum,
Minimum, Concatenate) and their functional forms (`layers.add([a, b])` ...)."""
import functools

import tensorlite as tf
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin


def _broadcast_dims(a, b):
    """Elementwise broadcast of two shapes (tuples, None = unknown), with Keras's error."""
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + tuple(b)
    try:
        return tuple(tf.broadcast_static_shape(tf.TensorShape(a), tf.TensorShape(b)).as_list())
    except ValueError:
        raise ValueError(f"Inputs have incompatible shapes. Received shapes {a} and {b}") \
            from None


class Merge(Layer):
    """Base of the elementwise merge layers: `_merge(inputs)` reduces a list of tensors."""

    _min_inputs = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_list(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape} (not a list of shapes)")
        if len(input_shape) < self._min_inputs:
            raise ValueError(f"A merge layer should be called on a list of at least "
                             f"{self._min_inputs} inputs. Got {len(input_shape)} inputs. "
                             f"Full input_shape received: {input_shape}")

    def build(self, input_shape):
        self._check_list(input_shape)
        functools.reduce(_broadcast_dims, [tuple(s)[1:] for s in input_shape])

    def call(self, inputs):
        return self._merge(list(inputs))

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        shape = functools.reduce(_broadcast_dims, [tuple(s) for s in input_shape])
        batches = {s[0] for s in input_shape if s and s[0] is not None}
        return ((batches.pop() if len(batches) == 1 else None),) + shape[1:]

    def get_config(self):
        return super().get_config()


@register_builtin("keras.layers")
class Add(Merge):
    """Sums a list of tensors elementwise."""

    _min_inputs = 2

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


@register_builtin("keras.layers")
class Subtract(Merge):
    """Subtracts two tensors: `inputs[0] - inputs[1]`."""

    _min_inputs = 2

    def _check_list(self, input_shape):
        super()._check_list(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={input_shape}")

    def _merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return inputs[0] - inputs[1]


@register_builtin("keras.layers")
class Multiply(Merge):
    """Multiplies a list of tensors elementwise."""

    _min_inputs = 2

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


@register_builtin("keras.layers")
class Average(Merge):
    """The elementwise mean of a list of tensors."""

    _min_inputs = 2

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


@register_builtin("keras.layers")
class Maximum(Merge):
    """The elementwise maximum of a list of tensors."""

    _min_inputs = 2

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = tf.maximum(out, x)
        return out


@register_builtin("keras.layers")
class Minimum(Merge):
    """The elementwise minimum of a list of tensors."""

    _min_inputs = 2

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = tf.minimum(out, x)
        return out


@register_builtin("keras.layers")
class Concatenate(Merge):
    """Concatenates a list of tensors along `axis` (the last by default)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_concat(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 "
                             f"input. Received: input_shape={input_shape}")
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise ValueError("A `Concatenate` layer requires inputs with matching shapes "
                             "except for the concatenation axis. Received: "
                             f"input_shape={input_shape}")
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            known = {s[i] for s in input_shape if s[i] is not None}
            if len(known) > 1:
                raise ValueError("A `Concatenate` layer requires inputs with matching shapes "
                                 "except for the concatenation axis. Received: "
                                 f"input_shape={input_shape}")
        return rank, axis

    def build(self, input_shape):
        self._check_concat(input_shape)

    def call(self, inputs):
        return tf.concat(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        rank, axis = self._check_concat(input_shape)
        out = []
        for i in range(rank):
            dims = [s[i] for s in input_shape]
            if i == axis:
                out.append(None if any(d is None for d in dims) else sum(dims))
            else:
                known = [d for d in dims if d is not None]
                out.append(known[0] if known else None)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def add(inputs, **kwargs):
    """`Add(**kwargs)(inputs)`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract(**kwargs)(inputs)`."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply(**kwargs)(inputs)`."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average(**kwargs)(inputs)`."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum(**kwargs)(inputs)`."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum(**kwargs)(inputs)`."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """`Concatenate(axis=axis, **kwargs)(inputs)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
