"""`keras.saving`: serialization registry and model files (`.keras`, `.weights.h5`)."""
from tensorlite.keras.saving.saving_api import (load_model, load_weights, model_from_json,
                                                save_model, save_weights)
from tensorlite.keras.saving.serialization import (  # noqa: F401
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
    get_registered_name, get_registered_object, register_keras_serializable,
    serialize_keras_object)

__all__ = [
    "CustomObjectScope", "custom_object_scope", "deserialize_keras_object",
    "get_custom_objects", "get_registered_name", "get_registered_object", "load_model",
    "load_weights", "model_from_json", "register_keras_serializable", "save_model",
    "save_weights", "serialize_keras_object",
]
