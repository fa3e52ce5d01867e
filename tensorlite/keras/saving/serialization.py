"""The one serialization registry behind get_config/from_config, custom_objects and .keras files.

An object serializes to Keras 3's dict:
    {"module": "keras.layers", "class_name": "Dense", "config": {...}, "registered_name": None}
Built-in classes register themselves with `register_builtin`; user classes with
`@keras.saving.register_keras_serializable(package="MyPackage")`.
"""
import contextlib
import inspect
import threading

import numpy as np

from tensorlite.keras.naming import to_snake_case

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


def builtin_registrar(module, objects, snake_case=False):
    """The `@_builtin` decorator of a Keras module: registers a class (or function) as a
    built-in of `module` and adds it to `objects`, the module's name table, under its
    name (and its snake_case name when `snake_case`, e.g. "max_norm" for MaxNorm)."""
    def register(obj):
        objects[obj.__name__] = obj
        if snake_case:
            objects[to_snake_case(obj.__name__)] = obj
        return register_builtin(module, obj)
    return register


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


def get_custom_objects():
    """The global dict of registered custom objects ("package>Name" -> object); adding to
    it registers an object too."""
    return _CUSTOM


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


def get_from_identifier(identifier, kind, module_objects, search_registered=True):
    """What the `get` of a Keras module (initializers, regularizers, losses ...) returns:
    None for None; for a serialized dict, the object it describes; for a name, the object
    `module_objects` (then, if `search_registered`, the registered objects) hold under it;
    anything callable as itself; a class is instantiated with no arguments.
    `kind` names the module's objects in the error ("Could not interpret loss identifier")."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize_keras_object(identifier, module_objects=module_objects)
    elif isinstance(identifier, str):
        obj = module_objects.get(identifier)
        if obj is None and search_registered:
            obj = get_registered_object(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")


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


_safe_mode = threading.local()
_unsafe_deserialization = [False]


@contextlib.contextmanager
def safe_mode_scope(safe_mode=True):
    """Within the block, deserialization refuses (True) or allows (False) Python bytecode
    (a `Lambda` layer's lambda); None keeps the enclosing setting."""
    previous = getattr(_safe_mode, "value", None)
    if safe_mode is not None:
        _safe_mode.value = bool(safe_mode)
    try:
        yield
    finally:
        _safe_mode.value = previous


def in_safe_mode():
    """Whether deserializing Python bytecode is refused now (the default)."""
    value = getattr(_safe_mode, "value", None)
    if value is not None:
        return value
    return not _unsafe_deserialization[0]


def enable_unsafe_deserialization():
    """Allows the deserialization of Python lambdas everywhere (`keras.config`'s switch)."""
    _unsafe_deserialization[0] = True


def serialize_keras_object(obj):
    """An object (with get_config) or a function as Keras 3's serialization dict.

    Built-ins report their Keras module and `registered_name: None`; user classes
    `module: None` and their registered name; functions are
    `{"module": "builtins", "class_name": "function", "config": <name>, ...}`.
    Built layers add their "build_config", compiled models their "compile_config".
    """
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (list, tuple)):
        return type(obj)(serialize_keras_object(o) for o in obj) if isinstance(obj, tuple) \
            else [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        cls = type(obj)
        builtin = cls in _MODULE_OF
        config = {"module": _MODULE_OF[cls] if builtin else None, "class_name": cls.__name__,
                  "config": obj.get_config(),
                  "registered_name": None if builtin else get_registered_name(cls)}
        build_config = _call_if_present(obj, "get_build_config")
        if build_config is not None:
            config["build_config"] = build_config
        compile_config = _call_if_present(obj, "get_compile_config")
        if compile_config is not None:
            config["compile_config"] = compile_config
        return config
    if callable(obj):
        return {"module": "builtins", "class_name": "function",
                "config": get_registered_name(obj), "registered_name": "function"}
    raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj)}")


def _call_if_present(obj, method):
    fn = getattr(obj, method, None)
    return fn() if callable(fn) else None


def deserialize_keras_object(config, custom_objects=None, module_objects=None, safe_mode=None,
                             **kwargs):
    """Rebuilds an object from `serialize_keras_object`'s dict, or looks up a name string.

    A "build_config" builds the object (creating its weights) and a "compile_config"
    compiles the model. `safe_mode=False` allows Python lambdas (see `safe_mode_scope`).
    """
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
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "function":
        return _function(inner, config, custom_objects, module_objects, module)
    lookup = config.get("registered_name") or class_name
    cls = get_registered_object(lookup, custom_objects, module_objects, module) or \
        get_registered_object(class_name, custom_objects, module_objects, module)
    if cls is None:
        raise TypeError(f"Could not locate class '{class_name}'. Make sure custom classes are "
                        "decorated with `@keras.saving.register_keras_serializable()`. "
                        f"Full object config: {config}")
    with custom_object_scope(custom_objects), safe_mode_scope(safe_mode):
        instance = _from_config(cls, inner or {})
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            build_from_config(instance, build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
            optimizer = getattr(instance, "optimizer", None)
            if instance.built and optimizer is not None and not optimizer.built:
                optimizer.build(instance.trainable_variables)  # its state can then be loaded
    return instance


def _function(name, config, custom_objects, module_objects, module):
    """The function a serialized function config names ("huber_fn", "pkg>fn")."""
    registered = config.get("registered_name")
    for key in (name, registered):
        if key and key != "function":
            obj = get_registered_object(key, custom_objects, module_objects, module)
            if obj is not None:
                return obj
    if isinstance(name, str) and ">" not in name:
        # files of Keras <= 3.6 name registered functions without their package
        for key, obj in {**_scope_objects(), **(custom_objects or {}), **_CUSTOM}.items():
            if key.endswith(">" + name):
                return obj
    raise TypeError(f"Could not locate function '{name}'. Make sure custom classes and "
                    "functions are decorated with `@keras.saving.register_keras_serializable()"
                    "`. If they are already decorated, make sure they are all imported so that "
                    f"the decorator is run before trying to load them. Full object config: "
                    f"{config}")


def _from_config(cls, config):
    from_config = getattr(cls, "from_config", None)
    if from_config is None:
        return cls(**config)
    try:
        params = inspect.signature(from_config).parameters
    except (TypeError, ValueError):
        params = {}
    if "safe_mode" in params:
        return from_config(config, safe_mode=in_safe_mode())
    return from_config(config)


def build_from_config(layer, build_config):
    """Builds `layer` as its build config says. A layer without a `build` of its own (a
    subclassed model) is built by running its `call` on symbolic inputs of that shape,
    which builds the sublayers it calls."""
    from tensorlite.keras.layers.base_layer import Layer, map_shapes
    shape = build_config.get("input_shape")
    if type(layer).build is Layer.build and shape is not None and layer._layers:
        from tensorlite.keras.layers.keras_tensor import KerasTensor
        inputs = map_shapes(lambda s: KerasTensor(s, dtype=layer.input_dtype), shape)
        with layer._name_scope():
            layer.compute_output_spec(inputs)
        layer._build_shapes_dict = dict(build_config)
    else:
        layer.build_from_config(build_config)
    layer.built = True
