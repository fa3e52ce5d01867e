"""`keras.Model`: a Layer with training (Trainer) and layer access; three front doors.

- subclassing: `class MyModel(keras.Model)` with layers as attributes and `call`;
- Functional: `keras.Model(inputs, outputs)` returns a `Functional` model (also for
  a subclass of Model constructed that way);
- Sequential: `keras.Sequential([...])`.
"""
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin
from tensorlite.keras.trainers.trainer import TRAINER_ATTRIBUTES, Trainer

_functional_subclasses = {}


def functional_init_arguments(args, kwargs):
    """True when a constructor call looks like `Model(inputs, outputs)`."""
    return (len(args) == 2 or (len(args) == 1 and "outputs" in kwargs)
            or ("inputs" in kwargs and "outputs" in kwargs))


def _functional_class(cls):
    """`cls` (a Model subclass built functional-style) with Functional mixed in."""
    from tensorlite.keras.models.functional import Functional
    if cls is Model:
        return Functional
    if issubclass(cls, Functional):
        return cls
    if cls not in _functional_subclasses:
        _functional_subclasses[cls] = type(cls.__name__, (cls, Functional),
                                           {"__module__": cls.__module__,
                                            "__qualname__": cls.__qualname__})
    return _functional_subclasses[cls]


@register_builtin("keras")
class Model(Trainer, Layer):
    """A model: layers plus `compile`/`fit`/`evaluate`/`predict`.

    >>> inputs = tf.keras.Input(shape=(3,))
    >>> outputs = tf.keras.layers.Dense(1)(inputs)
    >>> model = tf.keras.Model(inputs=inputs, outputs=outputs)
    """

    _UNTRACKED = Layer._UNTRACKED | TRAINER_ATTRIBUTES

    def __new__(cls, *args, **kwargs):
        if functional_init_arguments(args, kwargs):
            cls = _functional_class(cls)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        Trainer.__init__(self)
        if functional_init_arguments(args, kwargs):
            from tensorlite.keras.models.functional import Functional
            Functional.__init__(self, *args, **kwargs)
        else:
            Layer.__init__(self, *args, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Functional config rebuilds the graph; a subclass's config goes to its __init__."""
        if all(key in config for key in ("layers", "input_layers", "output_layers")):
            from tensorlite.keras.models.functional import Functional
            return Functional.from_config.__func__(_functional_class(cls), config,
                                                   custom_objects=custom_objects)
        return super().from_config(config)

    @property
    def layers(self):
        """The model's direct sublayers, in the order they were set."""
        return [layer for layer in self._layers if not getattr(layer, "_is_operation", False)]

    def get_layer(self, name=None, index=None):
        """A layer by `name` or by `index` (in `model.layers`)."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model to a `.keras` file (see `keras.saving.save_model`)."""
        from tensorlite.keras.saving import saving_api
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and optimizer state) to a `.weights.h5` file."""
        from tensorlite.keras.saving import saving_api
        saving_api.save_weights(self, filepath, overwrite=overwrite,
                                max_shard_size=max_shard_size)

    def to_json(self, **kwargs):
        """The model's config as JSON, as `keras.models.model_from_json` reads it."""
        from tensorlite.keras.saving import keras_file, serialization
        return keras_file.config_to_json(serialization.serialize_keras_object(self))

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights saved by `save_weights` (or from a `.keras` file)."""
        from tensorlite.keras.saving import saving_api
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from tensorlite.keras.models.summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)
