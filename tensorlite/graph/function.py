"""`tf.function`: trace a Python function into graphs, one per input signature, and run
each through a compiled program.

Retracing follows TensorFlow: tensors are keyed by dtype and shape, variables
by dtype and shape, Python values by value, other objects by identity.
"""
import functools
import inspect
import warnings
import weakref

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import active_tapes, graph_stack
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.framework.variables import Variable
from tensorlite.config import _state as _config_state
from tensorlite.graph import compiler
from tensorlite.graph.func_graph import FuncGraph, SymbolicTensor
from tensorlite.util import nest

_function_counter = [0]


def _relax(shape, relaxed):
    """A tensor argument's shape as traced: all dims unknown ("all"), the batch dim
    unknown ("batch", how Keras traces its steps), or as given (None)."""
    if relaxed is None or shape.rank is None or shape.rank == 0:
        return shape
    if relaxed == "batch":
        return TensorShape([None] + shape.as_list()[1:])
    return TensorShape([None] * shape.rank)


def _ndarray_to_tensor(x):
    return convert_to_tensor(x) if isinstance(x, np.ndarray) else x


def _leaf_key(x, relaxed):
    """The part of the trace cache key contributed by one argument leaf."""
    if isinstance(x, Tensor):
        return ("T", x.dtype, _relax(x.shape, relaxed).as_tuple())
    if isinstance(x, Variable):
        return ("V", x.dtype, x.shape.as_tuple())
    try:
        hash(x)
    except TypeError:
        return ("O", id(x))
    return ("P", type(x), x)


class _ArgPlaceholders:
    """Builds the traced function's inputs: placeholders for tensors and variables."""

    def __init__(self, graph, relaxed=None):
        self.graph = graph
        self.relaxed = relaxed   # see _relax
        self.placeholders = []   # in call order: (kind, placeholder)

    def make(self, value, name, spec=None):
        if spec is not None:
            ph = self.graph.placeholder(spec.dtype, spec.shape, spec.name or name)
            self.placeholders.append(("tensor", ph))
            return ph
        if isinstance(value, Tensor):
            ph = self.graph.placeholder(value.dtype, _relax(value.shape, self.relaxed), name)
            self.placeholders.append(("tensor", ph))
            return ph
        if isinstance(value, Variable):
            # The function gets the variable itself (code may key on its identity, as
            # an optimizer does); its handle is this input, not a capture.
            ph = self.graph.placeholder(_dtypes.resource, [], name,
                                        static_value=value._resource)
            self.placeholders.append(("variable", ph))
            self.graph._capture_ids[id(value._handle)] = ph
            self.graph.argument_handles.append(value._handle)  # keeps the id valid
            return value
        return value


class ConcreteFunction:
    """One traced graph of a tf.function, with its compiled program."""

    def __init__(self, graph, arg_names, input_specs, structured_outputs, flat_outputs,
                 function_name):
        self.graph = graph
        self._arg_names = arg_names
        self._input_specs = input_specs
        self.structured_outputs = structured_outputs
        self._flat_outputs = flat_outputs
        self._function_name = function_name
        self._single_output = isinstance(structured_outputs, Tensor)
        # Inputs of unknown shape get one program per concrete shape (see compiler).
        self._dynamic = [i for i, ph in enumerate(graph.inputs)
                         if not ph.shape.is_fully_defined()]
        self._programs = {}
        self._program = None if self._dynamic else compiler.compile_graph(
            graph, graph.inputs, flat_outputs)

    # -- calling -------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        flat = [a for a in nest.flatten([args, kwargs]) if isinstance(a, (Tensor, Variable))]
        return self._call_flat(flat)

    def _call_flat(self, flat_args):
        values = []
        for a in flat_args:
            if isinstance(a, Variable):
                values.append(a._resource)
            elif type(a) is EagerTensor:
                values.append(a._value)
            else:
                values.append(convert_to_tensor(a)._value)
        values.extend(v._value for v, _ in self.graph.captures)
        program = self._program
        if program is None:
            key = tuple([values[i].shape for i in self._dynamic])
            program = self._programs.get(key)
            if program is None:
                program = self._specialize(key)
        outs = program(values)
        if self._single_output:
            return EagerTensor(outs[0])
        results = [EagerTensor(o) if o is not None else None for o in outs]
        return nest.pack_sequence_as(self.structured_outputs, results) \
            if self.structured_outputs is not None else None

    def _specialize(self, key):
        shapes = [None] * len(self.graph.inputs)
        for i, shape in zip(self._dynamic, key):
            shapes[i] = shape
        program = compiler.compile_graph(self.graph, self.graph.inputs, self._flat_outputs,
                                         input_shapes=shapes)
        self._programs[key] = program
        return program

    # -- inspection ------------------------------------------------------------------
    @property
    def inputs(self):
        return list(self.graph.inputs)

    @property
    def outputs(self):
        return list(self._flat_outputs)

    @property
    def variables(self):
        return tuple(v for v, _ in self.graph.captures if v._dtype is _dtypes.resource)

    @property
    def structured_input_signature(self):
        return (tuple(self._input_specs), {})

    @property
    def function_def(self):
        from tensorlite.graph.function_def import function_def
        return function_def(self)

    @property
    def name(self):
        return self._function_name

    def pretty_printed_signature(self):
        args = ", ".join(f"{n}: {s!r}" for n, s in zip(self._arg_names, self._input_specs))
        outs = nest.map_structure(
            lambda t: TensorSpec(t.shape, t.dtype) if isinstance(t, Tensor) else t,
            self.structured_outputs)
        return f"({args}) -> {outs!r}"

    def print_program(self):
        """Prints the Python program(s) the graph was compiled to (one per input shape
        when the graph has unknown dimensions)."""
        if self._program is not None:
            print(self._program.source)
        for shapes, program in self._programs.items():
            print(f"# for input shapes {list(shapes)}")
            print(program.source)

    def __repr__(self):
        return f"<ConcreteFunction {self.pretty_printed_signature()} at 0x{id(self):X}>"


class Function:
    """A polymorphic callable made by `tf.function`: traces once per input signature."""

    def __init__(self, python_function, input_signature=None, autograph=True,
                 jit_compile=None, reduce_retracing=False, name=None, relax=None):
        self._python_function = python_function
        self._input_signature = (None if input_signature is None
                                 else list(input_signature))
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        # which dims a trace leaves unknown: None, "batch" or "all" (reduce_retracing)
        self._relax = relax or ("all" if reduce_retracing else None)
        self._name = name or getattr(python_function, "__name__", "function")
        self._cache = {}
        self._traces = 0
        self._created_variables = False
        self._recent_traces = []
        self._bound_instances = weakref.WeakKeyDictionary()
        self._signature = inspect.signature(python_function)
        params = list(self._signature.parameters.values())
        # Calls with exactly these positional tensors skip binding (the common case).
        self._fast_arity = len(params) if all(
            p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params) else -1
        self._fast_cache = {}
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def function_spec(self):
        return self._signature

    def experimental_get_tracing_count(self):
        return self._traces

    def __get__(self, instance, owner):
        if instance is None:
            return self
        try:
            return self._bound_instances[instance]
        except (KeyError, TypeError):
            pass
        bound = Function(self._python_function.__get__(instance, owner),
                         self._input_signature, self._autograph, self._jit_compile,
                         self._reduce_retracing, self._name, self._relax)
        try:
            self._bound_instances[instance] = bound
        except TypeError:  # an unhashable/un-weakrefable instance: cache on it
            instance.__dict__.setdefault("_tf_function_cache", {})[id(self)] = bound
        return bound

    # -- the call path --------------------------------------------------------------
    def _bind(self, args, kwargs):
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self._name}() {e}") from None
        bound.apply_defaults()
        return bound

    def _fast_key(self, args):
        """For calls with positional arguments that are (nests of) eager tensors and
        Nones: a cache key from the tree structure and each tensor's dtype and shape,
        and the tensors; else (None, None)."""
        leaves, treedef = nest.flatten_with_treedef(args)
        key, tensors = [treedef], []
        for a in leaves:
            if type(a) is np.ndarray and a.dtype.kind in "biuf":
                a = EagerTensor(a)  # NumPy arguments are tensors, as in TensorFlow
            if type(a) is EagerTensor:
                key.append((a._dtype, a._value.shape))
                tensors.append(a)
            elif a is None:
                key.append(None)
            else:
                return None, None
        return tuple(key), tensors

    def __call__(self, *args, **kwargs):
        if _config_state["functions_eagerly"]:
            return self._python_function(*args, **kwargs)
        fast = len(args) == self._fast_arity and not kwargs and not graph_stack \
            and not active_tapes
        if fast:
            fast_key, tensors = self._fast_key(args)
            concrete = self._fast_cache.get(fast_key)
            if concrete is not None:
                return concrete._call_flat(tensors)
        if self._input_signature is not None:
            concrete, flat = self._concrete_for_signature(args, kwargs)
            return concrete._call_flat(flat)
        if graph_stack:  # called while tracing another function: inline it
            return self._python_function(*args, **kwargs)
        # NumPy arrays are traced as tensors of their dtype and shape, as in TensorFlow
        args, kwargs = nest.map_structure(_ndarray_to_tensor, (args, kwargs))
        key, flat_dynamic = self._cache_key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = self._trace(args, kwargs)
            self._cache[key] = concrete
        if fast and fast_key is not None:
            self._fast_cache[fast_key] = concrete
        if active_tapes:
            # An outside tape must see the ops: the call runs the Python function eagerly
            # (the compiled program has no tape). Its Python side effects run again.
            return self._python_function(*args, **kwargs)
        return concrete._call_flat(flat_dynamic)

    def _cache_key(self, args, kwargs):
        bound = self._bind(args, kwargs)
        leaves = nest.flatten([bound.args, bound.kwargs])
        relaxed = self._relax
        key = tuple(_leaf_key(x, relaxed) for x in leaves)
        flat_dynamic = [x for x in leaves if isinstance(x, (Tensor, Variable))]
        return (key, str(nest.map_structure(lambda _: 0, [bound.args, bound.kwargs]))), \
            flat_dynamic

    def _concrete_for_signature(self, args, kwargs):
        flat = nest.flatten(list(args)) + nest.flatten(list(kwargs.values()))
        specs = nest.flatten(self._input_signature)
        tensors = [a if isinstance(a, (Tensor, Variable)) else convert_to_tensor(a)
                   for a in flat]
        ok = len(tensors) == len(specs) and all(
            s.is_compatible_with(t) for s, t in zip(specs, tensors))
        if not ok:
            arg_specs = ", ".join(repr(TensorSpec(t.shape, t.dtype)) for t in tensors)
            bad = next((TensorSpec(t.shape, t.dtype), s) for s, t in zip(specs, tensors)
                       if not s.is_compatible_with(t)) if len(tensors) == len(specs) else None
            names = list(self._signature.parameters)
            sig = ", ".join(f"{n}: {s!r}" for n, s in zip(names, specs))
            detail = (f"Can not cast {bad[0]!r} to {bad[1]!r}" if bad else
                      f"expected {len(specs)} arguments, got {len(tensors)} ({arg_specs})")
            raise TypeError(f"Binding inputs to tf.function failed due to `{detail}`. "
                            f"Received args: {tuple(args)!r} and kwargs: {kwargs!r} for "
                            f"signature: ({sig}).")
        concrete = self._cache.get("signature")
        if concrete is None:
            concrete = self._trace(args, kwargs, specs=specs)
            self._cache["signature"] = concrete
        return concrete, tensors

    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (tensors or TensorSpecs), traced if new."""
        if self._input_signature is not None and not args and not kwargs:
            args = tuple(self._input_signature)
        if self._input_signature is not None:
            specs = nest.flatten(self._input_signature)
            concrete = self._cache.get("signature")
            if concrete is None:
                concrete = self._trace(args, kwargs, specs=specs)
                self._cache["signature"] = concrete
            return concrete
        spec_args = nest.map_structure(_spec_to_placeholder_value, [list(args), kwargs])
        args, kwargs = tuple(spec_args[0]), spec_args[1]
        key, _ = self._cache_key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = self._trace(args, kwargs)
            self._cache[key] = concrete
        return concrete

    # -- tracing ------------------------------------------------------------------------
    def _trace(self, args, kwargs, specs=None):
        self._traces += 1
        self._note_retrace()
        _function_counter[0] += 1
        graph = FuncGraph(self._name)
        created = []
        graph.on_variable_created = created.append
        bound = self._bind(args, kwargs)
        builder = _ArgPlaceholders(graph, self._relax)
        spec_iter = iter(specs) if specs is not None else None
        call_args = {}
        names, input_specs = [], []
        with graph.as_default():
            for pname, value in bound.arguments.items():
                kind = self._signature.parameters[pname].kind
                if kind is inspect.Parameter.VAR_POSITIONAL:
                    call_args[pname] = tuple(
                        self._make_input(builder, v, f"{pname}_{i}", spec_iter, names,
                                         input_specs) for i, v in enumerate(value))
                elif kind is inspect.Parameter.VAR_KEYWORD:
                    call_args[pname] = {k: self._make_input(builder, v, k, spec_iter, names,
                                                            input_specs)
                                        for k, v in value.items()}
                else:
                    call_args[pname] = nest.map_structure(
                        lambda v, n=pname: self._make_input(builder, v, n, spec_iter, names,
                                                            input_specs), value)
            inner = bound.signature.bind_partial()
            inner.arguments.update(call_args)
            fn = self._converted_function()
            outputs = fn(*inner.args, **inner.kwargs)
            flat_outputs, structured = self._outputs_to_graph(graph, outputs)
        if created and self._created_variables:
            raise ValueError(
                f"tf.function only supports singleton tf.Variables created on the first call. "
                f"Make sure the tf.Variable is only created once or created outside "
                f"tf.function. Function: {self._name}")
        if created:
            # As TensorFlow does: the trace that created variables initialized them; the
            # function is traced again so its graph runs with the variables existing
            # (code like `if not built: build()` then takes its steady-state path).
            self._created_variables = True
            return self._trace(args, kwargs, specs)
        graph.inputs = [ph for _, ph in builder.placeholders] + [ph for _, ph in graph.captures]
        graph.outputs = flat_outputs
        graph.structured_outputs = structured
        graph.variables = created
        return ConcreteFunction(graph, names, input_specs, structured, flat_outputs,
                                f"__inference_{self._name}_{_function_counter[0]}")

    def _make_input(self, builder, value, name, spec_iter, names, input_specs):
        spec = next(spec_iter) if spec_iter is not None else None
        if spec is not None or isinstance(value, (Tensor, Variable)):
            names.append(name)
            input_specs.append(spec if spec is not None else (
                TensorSpec(value.shape, value.dtype) if isinstance(value, Tensor)
                else TensorSpec([], _dtypes.resource)))
        return builder.make(value, name, spec)

    def _converted_function(self):
        if not self._autograph:
            return self._python_function
        from tensorlite.graph import autograph
        return autograph.convert(self._python_function)

    def _outputs_to_graph(self, graph, outputs):
        from tensorlite.ops import array as _array

        def to_output(x):
            if x is None:
                return None
            if isinstance(x, Variable):
                x = x.value()
            if not isinstance(x, SymbolicTensor):
                x = convert_to_tensor(x)
            return _array.identity(x)
        structured = nest.map_structure(to_output, outputs)
        flat = [t for t in nest.flatten(structured)]
        return flat, structured

    def _note_retrace(self):
        self._recent_traces.append(self._traces)
        if self._traces == 6:
            warnings.warn(
                f"5 out of the last 5 calls to {self._python_function} triggered tf.function "
                "retracing. Tracing is expensive and the excessive number of tracings could "
                "be due to (1) creating @tf.function repeatedly in a loop, (2) passing tensors "
                "with different shapes, (3) passing Python objects instead of tensors.",
                stacklevel=4)

    def __repr__(self):
        return f"<tensorlite.graph.function.Function object at 0x{id(self):x}>"


def _spec_to_placeholder_value(x):
    """get_concrete_function(TensorSpec(...)): a stand-in tensor with that dtype/shape."""
    if isinstance(x, TensorSpec):
        return _SpecTensor(x)
    return x


class _SpecTensor(SymbolicTensor):
    """A TensorSpec passed where a tensor is expected (only its dtype/shape are read)."""

    __slots__ = ()

    def __init__(self, spec):
        super().__init__(None, 0, spec.dtype, spec.shape)


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """Compiles a Python function into a callable TensorFlow graph (`@tf.function`)."""
    relax = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(f):
        return Function(f, input_signature=input_signature, autograph=autograph,
                        jit_compile=jit_compile, reduce_retracing=relax)
    return decorate(func) if func is not None else decorate

