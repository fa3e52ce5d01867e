"""`keras.layers.Layer`: state (weights) plus computation (`call`), as in Keras 3.

A layer creates its weights in `build(input_shape)`, called on its first
`__call__` with the shape of the input (a tuple, None for unknown dims).
`__call__` converts NumPy inputs to tensors, casts float inputs to the
layer's compute dtype, resolves the `training` flag (the call's argument, else
the enclosing layer call's, else the default of `call`'s signature) and, on
KerasTensors, records a node of the Functional graph instead of computing.

Sublayers, weights and metrics are found from the layer's attributes
(including lists, tuples and dicts of them), so `self.hidden = [Dense(30) ...]`
is tracked as in Keras.
"""
import functools
import inspect
import itertools
import warnings

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import init_scope
from tensorlite.framework.name_scope import current_scope, name_scope
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.keras import backend
from tensorlite.keras import naming
from tensorlite.keras.layers import keras_tensor as kt
from tensorlite.keras.saving.serialization import (register_builtin, serialize_keras_object,
                                                   deserialize_keras_object)
from tensorlite.keras.variables import Variable
from tensorlite.util import nest


# ---- dtype policies -------------------------------------------------------------------

@register_builtin("keras")
class DTypePolicy:
    """The dtypes a layer computes in and stores its variables in ("mixed_float16" splits them)."""

    def __init__(self, name=None):
        name = name or backend.floatx()
        if name.startswith("mixed_"):
            compute, variable = name[len("mixed_"):], "float32"
        else:
            compute = variable = kt.standardize_dtype(name)
        self._name = name
        self._compute_dtype = kt.standardize_dtype(compute)
        self._variable_dtype = kt.standardize_dtype(variable)

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


def as_dtype_policy(dtype):
    """A layer's `dtype` argument (None, string, DType, policy or its config) as a policy."""
    if dtype is None:
        return DTypePolicy()
    if isinstance(dtype, DTypePolicy):
        return dtype
    if isinstance(dtype, dict):
        return deserialize_keras_object(dtype)
    if isinstance(dtype, str):
        return DTypePolicy(dtype)
    return DTypePolicy(_dtypes.as_dtype(dtype).name)


# ---- input specs -------------------------------------------------------------------------

class InputSpec:
    """What a layer accepts: rank (`ndim`, `min_ndim`, `max_ndim`), fixed `axes` sizes, dtype."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = kt.standardize_dtype(dtype) if dtype is not None else None
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim is not None else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum "
                                 f"allowed value: {max_dim}")

    def __repr__(self):
        fields = [f"{k}={getattr(self, k)}" for k in
                  ("dtype", "shape", "ndim", "max_ndim", "min_ndim") if getattr(self, k)]
        if self.axes:
            fields.append(f"axes={self.axes}")
        return f"InputSpec({', '.join(fields)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_input_spec(layer, specs, inputs):
    """Raises Keras's ValueError when `inputs` do not match the layer's InputSpec(s)."""
    if type(inputs) is EagerTensor and type(specs) is InputSpec and specs.shape is None \
            and specs.ndim is None and specs.max_ndim is None:
        # the common case (Dense): a rank minimum and fixed sizes of some axes
        shape = inputs._value.shape
        rank = len(shape)
        if (specs.min_ndim is None or rank >= specs.min_ndim) and all(
                not -rank <= axis < rank or shape[axis] == value or value is None
                for axis, value in specs.axes.items()):
            return
    specs = specs if isinstance(specs, (list, tuple)) else [specs]
    flat = nest.flatten(inputs)
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        rank = len(shape)
        name = getattr(x, "name", None) if isinstance(x, kt.KerasTensor) else None
        where = f"Input {i} with name '{name}' of layer '{layer.name}' is incompatible with " \
                f"the layer"
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
            raise ValueError(f"{where}: expected ndim={spec.ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        if spec.max_ndim is not None and rank > spec.max_ndim:
            raise ValueError(f"{where}: expected max_ndim={spec.max_ndim}, found "
                             f"ndim={rank}")
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(f"{where}: expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        for axis, value in spec.axes.items():
            if value is None or not -rank <= axis < rank:
                continue
            if shape[axis] not in (value, None):
                raise ValueError(f"{where}: expected axis {axis} of input shape to have "
                                 f"value {value}, but received input with shape {shape}")
        if spec.shape is not None and rank == len(spec.shape):
            for want, got in zip(spec.shape, shape):
                if want is not None and got is not None and want != got:
                    raise ValueError(f"{where}: expected shape={spec.shape}, found "
                                     f"shape={shape}")


# ---- call context ---------------------------------------------------------------------------

class _CallContext:
    """State shared by the nested layer calls of one outermost call (the `training` flag)."""

    __slots__ = ("training",)

    def __init__(self):
        self.training = None


_call_context = [None]
# Layers whose `_losses` are not empty: lets the outermost call skip clearing when none are.
_layers_with_losses = []


class _CallInfo:
    """What `__call__` needs to know of a class's `call` signature (computed once per class)."""

    __slots__ = ("has_training", "training_default", "params", "training_index")

    def __init__(self, call):
        try:
            sig = inspect.signature(call)
        except (TypeError, ValueError):
            sig = None
        params = sig.parameters if sig is not None else {}
        self.has_training = "training" in params
        p = params.get("training")
        self.training_default = (p.default if p is not None and p.default is not p.empty
                                 else None)
        self.params = [n for n, p in params.items() if n != "self" and p.kind in (
            p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        # where `training` sits among the positional arguments (None: keyword only)
        self.training_index = (self.params.index("training") if "training" in self.params
                               else None)


def _wrap_build(build):
    """A subclass's `build`: runs in the layer's name scope, then marks the layer built."""
    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        with self._name_scope():
            build(self, *args, **kwargs)
        if getattr(self, "_build_shapes_dict", None) is None:
            try:
                bound = inspect.signature(build).bind(self, *args, **kwargs).arguments
                bound.pop("self", None)
                self._build_shapes_dict = dict(bound)
            except TypeError:
                self._build_shapes_dict = {}
        if not getattr(self, "_build_sets_built", False):
            self.built = True
    wrapper._is_build_wrapper = True
    return wrapper


class _LayerScope:
    """`with name_scope(layer.name)` unless the layer's scope is already the innermost."""

    __slots__ = ("layer", "pushed")

    def __init__(self, layer):
        self.layer = layer
        self.pushed = []  # one entry per (possibly nested) entry: the scope pushed, or None

    def __enter__(self):
        layer = self.layer
        state = layer.__dict__
        if state["_scope_depth"] and current_scope().endswith(layer.name + "/"):
            scope = None
        else:
            scope = name_scope(layer.name)
            scope.__enter__()
        self.pushed.append(scope)
        state["_scope_depth"] += 1

    def __exit__(self, *exc):
        self.layer.__dict__["_scope_depth"] -= 1
        scope = self.pushed.pop()
        if scope is not None:
            scope.__exit__(*exc)
        return False


def _is_basic(value):
    """Values an automatic config can hold (JSON-like)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_basic(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_basic(v) for k, v in value.items())
    return False


def _is_metric(value):
    return (hasattr(value, "update_state") and hasattr(value, "result")
            and hasattr(value, "reset_state") and not isinstance(value, Layer))


def _collect(value, layers, variables, metrics, depth=0):
    """Sorts an attribute value (or the items of a list/tuple/dict) into the tracked kinds."""
    if isinstance(value, Layer):
        layers.append(value)
    elif isinstance(value, Variable):
        variables.append(value)
    elif isinstance(value, (list, tuple)):
        if depth < 4 and value and not isinstance(value[0], (int, float, str, bytes, np.ndarray,
                                                             Tensor)):
            for v in value:
                _collect(v, layers, variables, metrics, depth + 1)
    elif isinstance(value, dict):
        if depth < 4:
            for v in value.values():
                _collect(v, layers, variables, metrics, depth + 1)
    elif _is_metric(value):
        metrics.append(value)


class _TrackedList(list):
    """A list attribute of a layer: changing it makes the layer re-scan its children."""

    def __init__(self, owner, items=()):
        super().__init__(_track_nested(owner, v) for v in items)
        self._owner = owner

    def _changed(self):
        self._owner.__dict__["_tracked_cache"] = None

    def append(self, value):
        super().append(_track_nested(self._owner, value))
        self._changed()

    def extend(self, values):
        super().extend(_track_nested(self._owner, v) for v in values)
        self._changed()

    def insert(self, index, value):
        super().insert(index, _track_nested(self._owner, value))
        self._changed()

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        self._changed()

    def __iadd__(self, values):
        self.extend(values)
        return self

    def _mutator(name):  # noqa: N805 - builds methods at class creation
        def method(self, *args):
            result = getattr(list, name)(self, *args)
            self._changed()
            return result
        method.__name__ = name
        return method

    __delitem__ = _mutator("__delitem__")
    pop = _mutator("pop")
    remove = _mutator("remove")
    clear = _mutator("clear")
    sort = _mutator("sort")
    reverse = _mutator("reverse")
    del _mutator


class _TrackedDict(dict):
    """A dict attribute of a layer: changing it makes the layer re-scan its children."""

    def __init__(self, owner, items=()):
        super().__init__((k, _track_nested(owner, v)) for k, v in dict(items).items())
        self._owner = owner

    def _changed(self):
        self._owner.__dict__["_tracked_cache"] = None

    def __setitem__(self, key, value):
        super().__setitem__(key, _track_nested(self._owner, value))
        self._changed()

    def update(self, *args, **kwargs):
        for k, v in dict(*args, **kwargs).items():
            super().__setitem__(k, _track_nested(self._owner, v))
        self._changed()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def _mutator(name):  # noqa: N805 - builds methods at class creation
        def method(self, *args):
            result = getattr(dict, name)(self, *args)
            self._changed()
            return result
        method.__name__ = name
        return method

    __delitem__ = _mutator("__delitem__")
    pop = _mutator("pop")
    popitem = _mutator("popitem")
    clear = _mutator("clear")
    del _mutator


def _track_nested(owner, value):
    """Lists and dicts stored in a layer become tracked containers (Keras's TrackedList)."""
    if type(value) is list:
        return _TrackedList(owner, value)
    if type(value) is dict:
        return _TrackedDict(owner, value)
    return value


def _shape_of(x):
    """A tensor's (or KerasTensor's, or array's) shape as a tuple; None for non-tensors."""
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list()) if shape.rank is not None else None
    return tuple(shape)


def map_shapes(fn, shapes):
    """Applies `fn` to each shape in a structure where tuples of ints/None are leaves."""
    if isinstance(shapes, TensorShape):
        return fn(tuple(shapes.as_list()))
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, (int, np.integer))
                                                 for d in shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: map_shapes(fn, v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(map_shapes(fn, s) for s in shapes)
    return fn(shapes)


class Layer:
    """The base class of all layers: `build(input_shape)` creates weights, `call` computes.

    >>> class MyDense(tf.keras.layers.Layer):
    ...     def __init__(self, units, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = units
    ...     def build(self, input_shape):
    ...         self.kernel = self.add_weight(shape=(input_shape[-1], self.units))
    ...     def call(self, x):
    ...         return x @ self.kernel
    """

    # Attributes never searched for sublayers/weights/metrics (bookkeeping of the base classes).
    _UNTRACKED = frozenset({
        "_inbound_nodes", "_outbound_nodes", "_trainable_variables", "_non_trainable_variables",
        "_losses", "_build_shapes_dict", "_auto_config", "_scope", "input_spec",
        "_dtype_policy", "_scope_depth", "_tracked_cache", "built", "name"})
    _call_infos = {}

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._auto_config = _auto_config(cls, args, kwargs)
        return obj

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_is_build_wrapper", False):
            cls.build = _wrap_build(build)

    def __setattr__(self, name, value):
        if name not in self._UNTRACKED:
            value = _track_nested(self, value)
            self.__dict__["_tracked_cache"] = None
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        object.__delattr__(self, name)
        self.__dict__["_tracked_cache"] = None

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {kwargs}")
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            batch_size, input_shape = batch_input_shape[0], batch_input_shape[1:]
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        self._batch_size_arg = batch_size
        if name is None:
            name = naming.uniquify(naming.to_snake_case(type(self).__name__))
        elif not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name} (of type {type(name)})")
        self.name = name
        self._trainable = bool(trainable)
        self._dtype_policy = as_dtype_policy(dtype)
        self.autocast = autocast
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._losses = []
        self._inbound_nodes = []
        self._outbound_nodes = []
        self._build_shapes_dict = None
        self._scope_depth = 0
        self._scope = _LayerScope(self)
        self._activity_regularizer = None
        if activity_regularizer is not None:
            from tensorlite.keras import regularizers
            self._activity_regularizer = regularizers.get(activity_regularizer)

    # ---- dtypes -------------------------------------------------------------------------
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = as_dtype_policy(value)

    @property
    def dtype(self):
        """The dtype of the layer's variables (a string, "float32")."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, value):
        from tensorlite.keras import regularizers
        self._activity_regularizer = regularizers.get(value)

    # ---- building ---------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Creates the layer's weights for inputs of `input_shape` (overridden by layers)."""
        if type(self).build is Layer.build and any(not lr.built for lr in self._layers):
            warnings.warn(f"`build()` was called on layer '{self.name}', however the layer does "
                          "not have a `build()` method implemented and it looks like it has "
                          "unbuilt state. This will cause the layer to be marked as built, "
                          "despite not being actually built, which may cause failures down "
                          "the line. Make sure to implement a proper `build()` method.")
        if self._build_shapes_dict is None:
            self._build_shapes_dict = {"input_shape": input_shape}
        self.built = True

    def _name_scope(self):
        return self._scope

    def _maybe_build(self, args, kwargs):
        first = args[0] if args else next(iter(kwargs.values()), None)
        shapes = nest.map_structure(_shape_of, first)
        build = type(self).build
        if build is Layer.build:
            # No build(): sublayers are built by the call itself.
            self._build_shapes_dict = {"input_shape": shapes}
            return
        params = [p for p in inspect.signature(build).parameters.values()
                  if p.name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(params) <= 1:
            self.build(shapes)
        else:
            self.build(**self._build_shapes_for(params, args, kwargs))
        if self.input_spec is not None:
            _check_input_spec(self, self.input_spec, first)

    def _build_shapes_for(self, params, args, kwargs):
        """Shapes for a `build(x_shape, y_shape)` from the call's arguments `x`, `y`."""
        names = self._get_call_info().params
        values = dict(zip(names, args))
        values.update(kwargs)
        shapes = {}
        for p in params:
            arg = p.name[:-len("_shape")] if p.name.endswith("_shape") else p.name
            if arg in values:
                shapes[p.name] = nest.map_structure(_shape_of, values[arg])
        return shapes

    def build_from_config(self, config):
        """Builds the layer from `get_build_config()`'s dict (used when loading models)."""
        if config and not self.built:
            shapes = config.get("input_shape")
            if shapes is not None or "input_shape" in config:
                self.build(_tuples(shapes))
            else:
                self.build(**{k: _tuples(v) for k, v in config.items()})

    def get_build_config(self):
        if self._build_shapes_dict is not None:
            return dict(self._build_shapes_dict)
        return None

    # ---- weights ------------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Creates a variable of the layer ("layer_name/name"); Keras 2's positional
        `add_weight(name, shape, dtype, initializer)` is accepted too."""
        if isinstance(shape, str):
            name, shape = shape, None
            if isinstance(initializer, (tuple, list, TensorShape)):
                shape, initializer = initializer, None
            if isinstance(trainable, str) or (callable(trainable) and initializer is None):
                initializer, trainable = trainable, True
        from tensorlite.keras import constraints, initializers, regularizers
        shape = () if shape is None else tuple(
            TensorShape(shape).as_list() if isinstance(shape, TensorShape) else shape)
        dtype = kt.standardize_dtype(dtype) if dtype is not None else self.variable_dtype
        if initializer is None:
            initializer = "glorot_uniform" if _dtypes.as_dtype(dtype).is_floating else "zeros"
        initializer = initializers.get(initializer)
        with init_scope(), self._name_scope():
            variable = Variable(initializer=initializer, shape=shape, dtype=dtype,
                                trainable=trainable, autocast=autocast, aggregation=aggregation,
                                name=name or "variable")
        variable.regularizer = regularizers.get(regularizer)
        variable._constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        if trainable:
            self._trainable_variables.append(variable)
        else:
            self._non_trainable_variables.append(variable)
        return variable

    def _tracked(self):
        """(sublayers, variables, metrics) found in the layer's attributes, in order
        (cached until an attribute or a tracked list/dict changes)."""
        cache = self.__dict__.get("_tracked_cache")
        if cache is None:
            layers, variables, metrics = [], [], []
            untracked = self._UNTRACKED
            for key, value in self.__dict__.items():
                if key not in untracked:
                    _collect(value, layers, variables, metrics)
            cache = self.__dict__["_tracked_cache"] = (layers, variables, metrics)
        return cache

    @property
    def _layers(self):
        """The direct sublayers (deduplicated, attribute order)."""
        seen, out = set(), []
        for layer in self._tracked()[0]:
            if id(layer) not in seen and layer is not self:
                seen.add(id(layer))
                out.append(layer)
        return out

    def _flatten_layers(self, include_self=True, recursive=True):
        """This layer and its sublayers, depth first, each once."""
        out = [self] if include_self else []
        seen = {id(self)}
        stack = list(reversed(self._layers))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if recursive:
                stack.extend(reversed(layer._layers))
        return out

    def _own_variables(self):
        own = self._trainable_variables + self._non_trainable_variables
        extra = [v for v in self._tracked()[1] if all(v is not w for w in own)]
        return own + extra

    def _with_sublayers(self, own, attribute):
        """`own`, then each sublayer's `attribute` ("weights" or "variables"), each
        variable once."""
        out, seen = [], set()
        for group in itertools.chain([own], (getattr(layer, attribute) for layer in self._layers)):
            for v in group:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def weights(self):
        """All the layer's weights and its sublayers' (deduplicated), own ones first."""
        return self._with_sublayers(self._own_variables(), "weights")

    def _split_trainable(self, variables, trainable):
        """The trainable (or the other) ones of `variables`; none trainable if frozen."""
        if not self.trainable:
            return [] if trainable else variables
        return [v for v in variables if v.trainable == trainable]

    @property
    def trainable_weights(self):
        return self._split_trainable(self.weights, True)

    @property
    def non_trainable_weights(self):
        return self._split_trainable(self.weights, False)

    @property
    def variables(self):
        """Weights plus the state of tracked metrics."""
        own = self._own_variables() + [v for m in self._metrics for v in m.variables]
        return self._with_sublayers(own, "variables")

    @property
    def trainable_variables(self):
        return self._split_trainable(self.variables, True)

    @property
    def non_trainable_variables(self):
        return self._split_trainable(self.variables, False)

    @property
    def _metrics(self):
        return self._tracked()[2]

    @property
    def metrics(self):
        """The metric objects tracked by this layer and its sublayers."""
        out = list(self._metrics)
        for layer in self._layers:
            out.extend(layer.metrics)
        return out

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freezes (False) or unfreezes the layer, its variables and sublayers."""
        value = bool(value)
        self._trainable = value
        for v in self._trainable_variables:
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def get_weights(self):
        """The weights' values as a list of NumPy arrays."""
        return [np.array(v) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays (same order and shapes as `weights`)."""
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(layer_weights)} weights.")
        for variable, value in zip(layer_weights, weights):
            value_shape = tuple(np.shape(value))
            if tuple(variable.shape) != value_shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape)} is not "
                                 f"compatible with provided weight shape {value_shape}.")
            variable.assign(np.asarray(value))

    def count_params(self):
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the "
                             "layer isn't built. You can build it manually via: "
                             "`layer.build(input_shape)`.")
        return int(sum(np.prod(v.shape.as_list(), dtype=np.int64) for v in self.weights))

    # ---- losses -------------------------------------------------------------------------------
    def add_loss(self, loss):
        """Adds scalar loss tensor(s) to `layer.losses` (cleared at each outermost call)."""
        if kt.in_symbolic_trace():
            return
        for x in nest.flatten(loss):
            if not isinstance(x, Tensor):
                x = convert_to_tensor(x, dtype_hint=self.compute_dtype)
            if not self._losses:
                _layers_with_losses.append(self)
            self._losses.append(x)

    @property
    def losses(self):
        """`add_loss` losses of the last call (this layer's and sublayers') and weight
        regularization penalties (computed from the current weights)."""
        layers = self._flatten_layers()
        out = [loss for layer in layers for loss in layer._losses]
        if self.trainable:
            seen = set()
            for layer in layers:
                for v in layer._own_variables():
                    regularizer = getattr(v, "regularizer", None)
                    if regularizer is not None and v.trainable and id(v) not in seen:
                        seen.add(id(v))
                        out.append(regularizer(v))
        return out

    def _clear_losses(self):
        if not _layers_with_losses:
            return
        for layer in self._flatten_layers():
            if layer._losses:
                layer._losses.clear()
                _layers_with_losses.remove(layer)

    # ---- calling -------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method "
                                  "implemented.")

    def _get_call_info(self):
        cls = type(self)
        info = Layer._call_infos.get(cls)
        if info is None:
            info = Layer._call_infos[cls] = _CallInfo(cls.call)
        return info

    def _convert_input(self, x):
        """A NumPy input as a tensor; float inputs cast to the compute dtype."""
        if isinstance(x, Tensor):
            if self.autocast and x.dtype.is_floating and x.dtype.name != self.compute_dtype:
                from tensorlite.ops import math as _math
                return _math.cast(x, self.compute_dtype)
            return x
        if isinstance(x, (np.ndarray, np.generic)):
            if self.autocast and x.dtype.kind == "f" and x.dtype.name != self.compute_dtype:
                x = x.astype(self.compute_dtype)
            return convert_to_tensor(x)
        return x

    def __call__(self, *args, **kwargs):
        if kt.any_keras_tensor(args, kwargs):
            return self._symbolic_call(args, kwargs)
        info = self._get_call_info()
        if len(args) == 1 and type(args[0]) is EagerTensor and (
                not args[0]._dtype.is_floating or args[0]._dtype.name == self.compute_dtype):
            pass  # the common case needs no conversion
        else:
            args = nest.map_structure(self._convert_input, args)
        ctx = _call_context[0]
        entry = ctx is None
        if entry:
            ctx = _call_context[0] = _CallContext()
            self._clear_losses()
        outer_training = ctx.training
        try:
            training = self._resolve_training(info, kwargs, outer_training, args)
            ctx.training = training
            with self._scope:
                if not self.built:
                    self._maybe_build(args, kwargs)
                elif self.input_spec is not None and args:
                    _check_input_spec(self, self.input_spec, args[0])
                outputs = self.call(*args, **kwargs)
            if not self.built:
                self.built = True
            if self._activity_regularizer is not None:
                for output in nest.flatten(outputs):
                    if isinstance(output, Tensor):
                        self.add_loss(self._activity_regularizer(output))
        finally:
            if entry:
                _call_context[0] = None
            else:
                ctx.training = outer_training
        return outputs

    def _resolve_training(self, info, kwargs, outer_training, args=()):
        """The `training` value of this call: explicit, else inherited, else the default."""
        index = info.training_index
        if index is not None and len(args) > index:
            return args[index]  # passed positionally: nothing to add
        training = kwargs.get("training")
        if training is None:
            training = outer_training if outer_training is not None else info.training_default
        if info.has_training:
            if training is not None:
                kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        return training

    def _symbolic_call(self, args, kwargs):
        """A call on KerasTensors: output specs without computing, recorded as a graph node."""
        info = self._get_call_info()
        user_kwargs = dict(kwargs)
        ctx = _call_context[0]
        entry = ctx is None
        if entry:
            ctx = _call_context[0] = _CallContext()
        outer_training = ctx.training
        try:
            ctx.training = self._resolve_training(info, kwargs, outer_training, args)
            with self._scope:
                if not self.built:
                    self._maybe_build(args, kwargs)
                elif self.input_spec is not None and args:
                    _check_input_spec(self, self.input_spec, args[0])
                outputs = self.compute_output_spec(*args, **kwargs)
        finally:
            if entry:
                _call_context[0] = None
            else:
                ctx.training = outer_training
        kt.Node(self, args, user_kwargs, outputs)
        self.built = True
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors for the outputs: from `compute_output_shape` if the layer defines
        it, else by tracing `call` symbolically."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            first = args[0] if args else next(iter(kwargs.values()))
            shapes = nest.map_structure(_shape_of, first)
            output_shape = self.compute_output_shape(shapes)
            dtype = self.compute_dtype
            return map_shapes(lambda s: kt.KerasTensor(s, dtype=dtype), output_shape)
        return kt.compute_output_spec(self.call, args, kwargs)

    def compute_output_shape(self, input_shape):
        """The output shape(s) for inputs of `input_shape` (traced from `call` by default)."""
        def spec(shape):
            return kt.KerasTensor(shape, dtype=self.compute_dtype)
        inputs = map_shapes(spec, input_shape)
        outputs = kt.compute_output_spec(self.call, (inputs,), {})
        return nest.map_structure(lambda t: t.shape, outputs)

    # ---- functional connectivity ----------------------------------------------------------------
    def _node_attribute(self, attr, attr_name):
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has no "
                                 f"defined {attr_name}.")
        values = getattr(self._inbound_nodes[0], attr)
        return values[0] if isinstance(values, list) and len(values) == 1 else values

    @property
    def input(self):
        """The KerasTensor(s) the layer was first called on."""
        return self._node_attribute("input_tensors", "input")

    @property
    def output(self):
        """The KerasTensor(s) the layer's first call returned."""
        return self._node_attribute("output_tensors", "output")

    # ---- configuration ------------------------------------------------------------------------
    def get_config(self):
        """The layer's constructor arguments as a JSON-like dict."""
        config = {"name": self.name}
        if type(self).get_config is Layer.get_config:
            # No get_config of its own: use the constructor arguments if JSON-like.
            if self._auto_config is None:
                raise NotImplementedError(
                    f"\nObject {type(self).__name__} was created by passing\nnon-serializable "
                    "argument values in `__init__()`,\nand therefore the object must override "
                    "`get_config()` in\norder to be serializable. Please implement "
                    "`get_config()`.")
            config.update(self._auto_config)
            spec = inspect.getfullargspec(type(self).__init__)
            if spec.varkw != "kwargs" and "name" not in spec.args[1:]:
                config.pop("name")  # as Keras: only kept when __init__ takes **kwargs
        config["trainable"] = self.trainable
        config["dtype"] = serialize_keras_object(self._dtype_policy)
        if self._activity_regularizer is not None:
            config["activity_regularizer"] = serialize_keras_object(self._activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()`'s dict: `cls(**config)`."""
        try:
            return cls(**config)
        except Exception as e:
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using "
                            f"config={config}.\n\nException encountered: {e}") from e

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _auto_config(cls, args, kwargs):
    """The constructor arguments when they are all JSON-like (Keras's automatic config)."""
    init = cls.__init__
    if init is Layer.__init__:
        return dict(kwargs) if _is_basic(kwargs) else None
    try:
        bound = inspect.signature(init).bind(None, *args, **kwargs)
    except TypeError:
        return None
    config = {}
    for key, value in list(bound.arguments.items())[1:]:
        param = bound.signature.parameters[key]
        if param.kind is param.VAR_KEYWORD:
            config.update(value)
        elif param.kind is param.VAR_POSITIONAL:
            if value:
                return None
        else:
            config[key] = value
    for key, param in list(bound.signature.parameters.items())[1:]:
        if key not in config and param.default is not param.empty and param.kind not in (
                param.VAR_KEYWORD, param.VAR_POSITIONAL):
            config[key] = param.default
    return config if _is_basic(config) else None


def _tuples(shapes):
    """Shapes read back from a config (lists) as tuples."""
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, int) for d in shapes):
        return tuple(shapes)
    if isinstance(shapes, (list, tuple)):
        return [_tuples(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _tuples(v) for k, v in shapes.items()}
    return shapes
