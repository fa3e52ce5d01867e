"""Core layers: Dense, Activation, Lambda, Embedding, Identity."""
import base64
import marshal
import types

import tensorlite as tf
from tensorlite.keras import activations, constraints, initializers, regularizers
from tensorlite.keras.layers import keras_tensor as kt
from tensorlite.keras.layers.base_layer import InputSpec, Layer, map_shapes
from tensorlite.keras.saving.serialization import (register_builtin, serialize_keras_object,
                                                   deserialize_keras_object)
from tensorlite.util import nest


def _serialize(obj):
    return serialize_keras_object(obj) if obj is not None else None


@register_builtin("keras.layers")
class Dense(Layer):
    """A densely connected layer: `activation(inputs @ kernel + bias)` on the last axis.

    >>> layer = tf.keras.layers.Dense(3, activation="relu")
    >>> layer(tf.ones([2, 4])).shape
    TensorShape([2, 3])
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            try:
                units = int(units)
            except (TypeError, ValueError):
                units = 0
            if units <= 0:
                raise ValueError("Received an invalid value for `units`, expected a positive "
                                 f"integer. Received: units={units}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(name="kernel", shape=(input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs, training=None):
        if inputs.dtype.name != self.compute_dtype:
            inputs = tf.cast(inputs, self.compute_dtype)  # ints are not autocast
        x = tf.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        if self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": _serialize(self.kernel_initializer),
                "bias_initializer": _serialize(self.bias_initializer),
                "kernel_regularizer": _serialize(self.kernel_regularizer),
                "bias_regularizer": _serialize(self.bias_regularizer),
                "kernel_constraint": _serialize(self.kernel_constraint),
                "bias_constraint": _serialize(self.bias_constraint),
                "quantization_config": None}


@register_builtin("keras.layers")
class Activation(Layer):
    """Applies an activation function: `Activation("relu")(x)`."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


@register_builtin("keras.layers")
class Identity(Layer):
    """Returns its input unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return super().get_config()


@register_builtin("keras.layers")
class Embedding(Layer):
    """Maps integer indices to dense vectors: a lookup in an (input_dim, output_dim) table."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, **kwargs):
        kwargs.pop("input_length", None)  # Keras 2's argument, ignored by Keras 3
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.autocast = False
        self._initial_weights = weights

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, inputs):
        if inputs.dtype.name not in ("int32", "int64"):
            inputs = tf.cast(inputs, "int32")
        return tf.gather(self.embeddings, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": _serialize(self.embeddings_initializer),
                "embeddings_regularizer": _serialize(self.embeddings_regularizer),
                "activity_regularizer": _serialize(self.activity_regularizer),
                "embeddings_constraint": _serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero}


# ---- Lambda --------------------------------------------------------------------------------------

def _func_dump(fn):
    """A lambda's bytecode, defaults and closure (Keras's "__lambda__" serialization)."""
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return {"code": code, "defaults": fn.__defaults__, "closure": closure}


def _func_load(config):
    code = marshal.loads(base64.b64decode(config["code"].encode("ascii")))
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(c) for c in closure)
    defaults = config.get("defaults")
    return types.FunctionType(code, globals(), code.co_name,
                              tuple(defaults) if defaults is not None else None, closure)


@register_builtin("keras.layers")
class Lambda(Layer):
    """Wraps an expression as a layer: `Lambda(lambda x: tf.exp(x))`."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = False
        import inspect
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_has_training = "training" in params
        self._fn_has_mask = "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_has_mask:
            kwargs["mask"] = mask
        if self._fn_has_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return kt.compute_output_spec(self.call, args, kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return Layer.compute_output_shape(self, input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = nest.flatten(map_shapes(lambda s: s[0] if s else None, input_shape))[0]
        return map_shapes(lambda s: (batch,) + tuple(s), self._output_shape)

    def get_config(self):
        fn = self.function
        if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
            function = {"class_name": "__lambda__", "config": _func_dump(fn)}
        else:
            function = serialize_keras_object(fn)
        output_shape = self._output_shape
        if callable(output_shape):
            output_shape = {"class_name": "__lambda__", "config": _func_dump(output_shape)}
        return {**super().get_config(), "function": function, "output_shape": output_shape,
                "arguments": self.arguments}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds a Lambda; a serialized lambda's bytecode loads only with safe_mode=False."""
        config = dict(config)
        for key in ("function", "output_shape"):
            value = config.get(key)
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                if safe_mode is not False:
                    raise ValueError(
                        "Requested the deserialization of a `Lambda` layer whose `function` "
                        "is a Python lambda. This carries a potential risk of arbitrary code "
                        "execution and thus it is disallowed by default. If you trust the "
                        "source of the artifact, you can override this error by passing "
                        "`safe_mode=False` to the loading function, or calling "
                        "`keras.config.enable_unsafe_deserialization().")
                config[key] = _func_load(value["config"])
            elif isinstance(value, dict):
                config[key] = deserialize_keras_object(value, custom_objects=custom_objects)
        return cls(**config)


class TFOpLambda(Lambda):
    """A tf expression applied to KerasTensors (`x + 1`, `x[:, 0]`): a node of the graph that
    models run, shown in summaries but not listed in `model.layers` (Keras's Operation)."""

    _is_operation = True

    def call(self, *inputs):
        return self.function(*inputs)

    def compute_output_spec(self, *args, **kwargs):
        return kt.compute_output_spec(self.call, args, kwargs)

    @property
    def operation_class_name(self):
        base = self.name.rsplit("_", 1)[0] if self.name.rsplit("_", 1)[-1].isdigit() \
            else self.name
        return "".join(part.capitalize() for part in base.split("_"))
