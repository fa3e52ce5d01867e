"""`keras.Sequential`: a plain stack of single-input, single-output layers.

Once the input shape is known (an `Input`/`input_shape=` first layer, `build`,
or the first call), the stack is connected as a Functional model that runs it.
"""
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.layers.input_layer import InputLayer, standardize_shape
from tensorlite.keras.layers.keras_tensor import KerasTensor
from tensorlite.keras.models.functional import Functional
from tensorlite.keras.models.model import Model
from tensorlite.keras.saving.serialization import (deserialize_keras_object, register_builtin,
                                                   serialize_keras_object)
from tensorlite.keras.trainers.trainer import Trainer


@register_builtin("keras")
class Sequential(Model):
    """A linear stack of layers.

    >>> model = tf.keras.Sequential([
    ...     tf.keras.layers.Dense(30, activation="relu", input_shape=(8,)),
    ...     tf.keras.layers.Dense(1)])
    """

    _UNTRACKED = Model._UNTRACKED | {"_stack", "_functional"}
    _build_sets_built = True  # build() may leave the model unbuilt (unknown input shape)

    def __new__(cls, *args, **kwargs):
        return Layer.__new__(cls)

    def __init__(self, layers=None, trainable=True, name=None):
        Trainer.__init__(self)
        Layer.__init__(self, trainable=trainable, name=name)
        self._functional = None
        self._stack = []
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    @property
    def _layers(self):
        return list(self._stack)

    @property
    def layers(self):
        """The layers added (without the InputLayer the model creates)."""
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[1:]
        return list(self._stack)

    def add(self, layer, rebuild=True):
        """Adds a layer on top of the stack (a `keras.Input` sets the input shape)."""
        if not self._stack and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=layer._input_shape_arg,
                                batch_size=getattr(layer, "_batch_size_arg", None)))
        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history.operation,
                                                         InputLayer):
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer} (of type {type(layer)})")
        if any(other.name == layer.name and other is not layer for other in self._stack):
            raise ValueError("All layers added to a Sequential model should have unique names. "
                             f"Name '{layer.name}' is already the name of a layer in this "
                             "model. Update the `name` argument to pass a unique name.")
        if isinstance(layer, InputLayer) and self._stack and isinstance(self._stack[0],
                                                                         InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to "
                             f"use input shape {self._stack[0].batch_shape}. You cannot add a "
                             "different Input layer to it.")
        self._stack.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._functional = None

    def pop(self, rebuild=True):
        """Removes and returns the top layer."""
        layer = self._stack.pop()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built = False
        self._functional = None
        if len(self._stack) < 2:
            return
        first = self._stack[0]
        if isinstance(first, InputLayer):
            self.build(first.batch_shape)
        elif hasattr(first, "input_shape"):
            self.build(first.input_shape)

    def build(self, input_shape=None):
        """Connects the stack on an input of `input_shape` (batch dimension included)."""
        try:
            input_shape = standardize_shape(input_shape)
        except (ValueError, TypeError):
            return  # not the shape of one input: the layers run one after the other
        if not self._stack:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no "
                             "layers. Call `model.add(layer)`.")
        if isinstance(self._stack[0], InputLayer):
            if self._stack[0].batch_shape != input_shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured "
                                 f"to use input shape {self._stack[0].batch_shape}. You cannot "
                                 f"build it with input_shape {input_shape}")
        else:
            self._stack = [InputLayer(batch_shape=input_shape,
                                      dtype=self._stack[0].compute_dtype)] + self._stack
        inputs = self._stack[0].output
        x = inputs
        for layer in self._stack[1:]:
            try:
                x = layer(x)
            except NotImplementedError:
                return
        self._functional = Functional(inputs=inputs, outputs=x)
        self._build_shapes_dict = {"input_shape": input_shape}
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        for layer in self.layers:
            if training is not None and layer._get_call_info().has_training:
                inputs = layer(inputs, training=training)
            else:
                inputs = layer(inputs)
        return inputs

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs, training=training, mask=mask)
        for layer in self.layers:
            inputs = layer.compute_output_spec(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        if self._functional is not None:
            return self._functional.compute_output_shape(input_shape)
        return Layer.compute_output_shape(self, input_shape)

    def _functional_or_raise(self, what):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined {what} yet.")
        return self._functional

    @property
    def inputs(self):
        return self._functional_or_raise("inputs").inputs

    @property
    def outputs(self):
        return self._functional_or_raise("outputs").outputs

    @property
    def input_shape(self):
        return self._functional_or_raise("input shape").input_shape

    @property
    def output_shape(self):
        return self._functional_or_raise("output shape").output_shape

    @property
    def input_dtype(self):
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[0].dtype
        return super().input_dtype

    def get_config(self):
        config = Layer.get_config(self)
        config["layers"] = [serialize_keras_object(layer) for layer in self._stack]
        if self._functional is not None:
            config["build_input_shape"] = self._stack[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize_keras_object(layer_config, custom_objects=custom_objects))
        build_input_shape = config.get("build_input_shape")
        if model._functional is None and isinstance(build_input_shape, (list, tuple)):
            model.build(tuple(build_input_shape))
        return model
