"""`keras.saving`: serialization registry and model files."""
from tensorlite.keras.saving.serialization import (  # noqa: F401
    deserialize_keras_object, get_registered_name, get_registered_object,
    register_keras_serializable, serialize_keras_object)
