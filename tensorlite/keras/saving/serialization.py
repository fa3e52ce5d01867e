"""The one serialization registry behind get_config/from_config, custom_objects and .keras files.

An object serializes to Keras 3's dict:
    {"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": None}
Built-in classes register themselves with `register_builtin`; user classes with
`@keras.saving.register_keras_serializable(package="MyPackage")`.
"""
import contextlib
import threading

# Keras's own objects. Names repeat across modules (keras.losses.MeanSquaredError and
# keras.metrics.MeanSquaredError), so they are keyed by (module, name); a bare name
# finds the first registered.
_BUILTINS = {}         # (module, name) -> class or function
_BUILTINS_BY_NAME = {}  # name -> class or function
_MODULE_OF = {}        # class or function -> the Keras module it reports ("keras.layers")
_CUSTOM = {}          # "package>Name" -> user class or function
_custom_scope = threading.local()


def register_builtin(module, obj=None, name=None):
    """Registers a Keras built-in under its class (or function) name; usable as a decorator."""
    def register(o):
        key = name or o.__name__
        _BUILTINS[(module, key)] = o
        _BUILTINS_BY_NAME.setdefault(key, o)
        _MODULE_OF.setdefault(o, module)
        return o
    return register(obj) if obj is not None else register


def register_keras_serializable(package="Custom", name=None):
    """Decorator registering a user class/function as ``"package>name"``."""
    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        if hasattr(obj, "get_config") is False and isinstance(obj, type):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _CUSTOM[key] = obj
        obj._registered_name = key
        return obj
    return decorator


def get_registered_name(obj):
    obj = obj if isinstance(obj, type) or callable(obj) else type(obj)
    return getattr(obj, "_registered_name", None) or obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None, module=None):
    """Looks `name` up in custom_objects, the custom-object scope, the user registry,
    `module_objects`, then the built-ins (of `module` first, when given)."""
    for table in (custom_objects or {}, _scope_objects(), _CUSTOM, module_objects or {}):
        if name in table:
            return table[name]
    if module is not None and (module, name) in _BUILTINS:
        return _BUILTINS[(module, name)]
    return _BUILTINS_BY_NAME.get(name)


def _scope_objects():
    merged = {}
    for objs in getattr(_custom_scope, "stack", []):
        merged.update(objs)
    return merged


@contextlib.contextmanager
def custom_object_scope(*scopes):
    """Makes `custom_objects` visible to deserialization within the block."""
    stack = getattr(_custom_scope, "stack", None)
    if stack is None:
        stack = _custom_scope.stack = []
    for s in scopes:
        stack.append(dict(s or {}))
    try:
        yield
    finally:
        for _ in scopes:
            stack.pop()


CustomObjectScope = custom_object_scope


def serialize_keras_object(obj):
    """An object (with get_config) or a function as Keras 3's serialization dict."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        cls = type(obj)
        name = cls.__name__
        return {"module": _MODULE_OF.get(cls, cls.__module__), "class_name": name,
                "config": obj.get_config(),
                "registered_name": getattr(cls, "_registered_name", None) or name}
    if callable(obj):
        name = obj.__name__
        return {"module": _MODULE_OF.get(obj, getattr(obj, "__module__", None)),
                "class_name": "function", "config": name,
                "registered_name": getattr(obj, "_registered_name", None) or name}
    raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj)}")


def deserialize_keras_object(config, custom_objects=None, module_objects=None, **kwargs):
    """Rebuilds an object from `serialize_keras_object`'s dict, or looks up a name string."""
    if config is None:
        return None
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(f"Could not interpret serialized object: {config!r}. Make sure "
                             "custom objects are passed in `custom_objects`.")
        return obj
    if not isinstance(config, dict):
        return config
    class_name = config.get("class_name")
    inner = config.get("config")
    module = config.get("module")
    lookup = config.get("registered_name") or class_name
    if class_name == "function":
        obj = get_registered_object(lookup, custom_objects, module_objects, module) or \
            get_registered_object(inner, custom_objects, module_objects, module)
        if obj is None:
            raise ValueError(f"Could not locate function '{inner}'. Make sure custom classes "
                             "are decorated with `@keras.saving.register_keras_serializable()`.")
        return obj
    cls = get_registered_object(lookup, custom_objects, module_objects, module) or \
        get_registered_object(class_name, custom_objects, module_objects, module)
    if cls is None:
        raise TypeError(f"Could not locate class '{class_name}'. Make sure custom classes are "
                        "decorated with `@keras.saving.register_keras_serializable()`. "
                        f"Full object config: {config}")
    if hasattr(cls, "from_config"):
        return cls.from_config(inner or {})
    return cls(**(inner or {}))
