"""`keras.optimizers`: SGD, RMSprop, Adam ... and `get`/`serialize`/`deserialize`.

>>> optimizer = keras.optimizers.get("adam")      # Adam() with Keras's defaults
>>> optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""
from tensorlite.keras.optimizers import legacy, schedules
from tensorlite.keras.optimizers.adam import Adam, Adamax, AdamW, Lamb, Nadam
from tensorlite.keras.optimizers.adaptive import Adadelta, Adagrad, RMSprop
from tensorlite.keras.optimizers.base import Optimizer
from tensorlite.keras.optimizers.ftrl import Ftrl
from tensorlite.keras.optimizers.lion import Lion
from tensorlite.keras.optimizers.sgd import SGD
from tensorlite.keras.saving import serialization

_CLASSES = (Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lamb, Lion, Nadam, Optimizer,
            RMSprop, SGD)
# Keras looks optimizer names up case-insensitively ("adam", "Adam", "rmsprop")
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in _CLASSES}


def serialize(optimizer):
    """Keras's serialization dict of an optimizer."""
    return serialization.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """The optimizer a `serialize` result describes (built-in class names match in any
    case)."""
    name = config.get("class_name")
    registered = config.get("registered_name")
    if isinstance(name, str) and name.lower() in ALL_OBJECTS_DICT and \
            (registered is None or registered == name):
        config = {**config, "class_name": name.lower(), "registered_name": None}
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """An optimizer from a name ("adam"), a serialized dict or an instance."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        cls = ALL_OBJECTS_DICT.get(identifier.lower()) or \
            serialization.get_registered_object(identifier)
        obj = cls() if isinstance(cls, type) else cls
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "AdamW", "Ftrl", "Lamb", "Lion", "Nadam",
           "Optimizer", "RMSprop", "SGD", "deserialize", "get", "legacy", "schedules",
           "serialize"]
