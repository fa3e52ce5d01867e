"""FuncGraph, Operation and symbolic tensors: what tracing a function builds.

While a FuncGraph is on `context.graph_stack`, `execute()` hands every op to
`FuncGraph.create_op`, which infers output dtypes and shapes with the op's
shape rule and appends an `Operation`. Names follow TensorFlow's scheme
(`x`, `pow/y`, `pow`, `Identity`, `pow_1`) so `get_operations()` reads as in
the book.
"""
import contextlib

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import graph_stack
from tensorlite.framework.tensor import EagerTensor, Tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape


class ExactName(str):
    """A node name already made unique (a name scope's own name): used as is."""


class SymbolicTensor(Tensor):
    """An output of a graph operation: known dtype, static shape, no value."""

    __slots__ = ("op", "value_index", "_dtype", "_shape", "__weakref__")

    def __init__(self, op, value_index, dtype, shape):
        self.op = op
        self.value_index = value_index
        self._dtype = dtype
        self._shape = as_shape(shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    @property
    def name(self):
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        return self.op.graph

    @property
    def value(self):
        """The statically known value (a Const's array, a captured resource), else None."""
        return self.op._static_value if self.value_index == 0 else None

    def numpy(self):
        raise NotImplementedError(
            "numpy() is only available when eager execution is enabled. Tensor "
            f"{self.name} is symbolic (inside a tf.function).")

    def __bool__(self):
        raise TypeError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can "
            "attempt the following resolutions to the problem: If you are running in Graph "
            "mode, use Eager execution mode or decorate this function with @tf.function. "
            "If you are using AutoGraph, you can try decorating this function with "
            "@tf.function. If that does not work, then you may be using an unsupported "
            "feature or your source code may not be visible to AutoGraph.")

    def __len__(self):
        n = self._shape[0] if self._shape.rank else None
        if n is None:
            raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). "
                            "Please call `x.shape` rather than `len(x)` for shape information.")
        return n

    def __iter__(self):
        n = self._shape[0] if self._shape.rank else None
        if n is None:
            raise TypeError("Iterating over a symbolic `tf.Tensor` is not allowed.")
        from tensorlite.ops import array as _array
        return iter(_array.unstack(self, num=n))

    def __index__(self):
        raise TypeError(f"Symbolic tensor {self.name} cannot be used as a Python index.")

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'


class Operation:
    """A node of a FuncGraph."""

    __slots__ = ("graph", "name", "opdef", "inputs", "outputs", "attrs", "_static_value",
                 "needs_grad", "__weakref__")

    def __init__(self, graph, name, opdef, inputs, attrs):
        self.graph = graph
        self.name = name
        self.opdef = opdef
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.outputs = ()
        self._static_value = None
        self.needs_grad = None

    @property
    def type(self):
        return self.opdef.type

    def get_attr(self, name):
        return self.attrs[name]

    @property
    def values(self):
        return self.outputs

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.opdef.type}>"


class _OpDefStub:
    """Op types that only graphs have (Placeholder, Const): no kernel runs them."""

    def __init__(self, type_):
        self.type = type_
        self.kernel = None
        self.shape_fn = None
        self.grad_fn = None
        self.dtypes = None
        self.num_outputs = 1
        self.stateful = False
        self.differentiable = False


PLACEHOLDER = _OpDefStub("Placeholder")
CONST = _OpDefStub("Const")


class _CaptureOpDef(_OpDefStub):
    """What a tape records for a capture: the placeholder is the outside tensor."""

    def __init__(self):
        super().__init__("Capture")
        self.differentiable = True
        self.grad_fn = lambda op, grad: grad


CAPTURE = _CaptureOpDef()


def _link_for_tapes(value, ph):
    """Tells each recording tape that watches `value` (an outside tensor, or a variable's
    handle) that `ph` stands for it here, so gradients reach `value`: once per tape."""
    from tensorlite.framework.context import active_tapes
    for tape in active_tapes:
        watched = getattr(tape, "_watched", None)
        if watched is not None and id(value) in watched and id(ph) not in watched:
            tape._record_operation(CAPTURE, (value,), {}, (ph,))


class FuncGraph:
    """The graph of one traced function: operations in creation (program) order."""

    def __init__(self, name, outer_graph=None):
        self.name = name
        self.outer_graph = outer_graph  # the graph a cond/while branch is traced inside
        self._operations = []
        self._names = {}
        self._scope = ""
        self.inputs = []          # Placeholders of the function's arguments, then captures
        self.outputs = []
        self.captures = []        # (eager value, placeholder) pairs, in capture order
        self._capture_ids = {}
        self.argument_handles = []  # handles of variables passed as arguments
        self.structured_outputs = None
        self.variables = []

    # -- naming -----------------------------------------------------------------
    def unique_name(self, base):
        """`base` inside the current scope, suffixed _1, _2 ... if taken (as TensorFlow)."""
        name = self._scope + base
        key = name.lower()
        if key not in self._names:
            self._names[key] = 1
            return name
        i = self._names[key]
        while f"{key}_{i}" in self._names:
            i += 1
        self._names[key] = i + 1
        self._names[f"{key}_{i}"] = 1
        return f"{name}_{i}"

    @contextlib.contextmanager
    def name_scope(self, base):
        """A unique scope ("pow", "pow_1" ...); yields the scope name without '/'."""
        scope_name = self.unique_name(base)
        saved = self._scope
        self._scope = scope_name + "/"
        try:
            yield ExactName(scope_name)
        finally:
            self._scope = saved

    # -- building ------------------------------------------------------------------
    def _add_op(self, opdef, inputs, attrs, name):
        op = Operation(self, name, opdef, inputs, attrs)
        self._operations.append(op)
        return op

    def placeholder(self, dtype, shape, name, static_value=None):
        op = self._add_op(PLACEHOLDER, (), {"dtype": dtype, "shape": as_shape(shape)},
                          self.unique_name(name))
        op._static_value = static_value
        t = SymbolicTensor(op, 0, dtype, shape)
        op.outputs = [t]
        return t

    def constant(self, value, name="Const"):
        """A Const node holding a host ndarray."""
        arr = value
        dtype = _dtypes.from_numpy(np.asarray(arr).dtype)
        op = self._add_op(CONST, (), {"value": arr, "dtype": dtype}, self.unique_name(name))
        op._static_value = arr
        t = SymbolicTensor(op, 0, dtype, TensorShape(np.shape(arr)))
        op.outputs = [t]
        return t

    def capture(self, value, consumer_name="Const"):
        """A tensor from outside this graph (an eager tensor, a variable handle, or a
        tensor of an enclosing graph) as a placeholder input of this graph."""
        key = id(value)
        if key in self._capture_ids:
            ph = self._capture_ids[key]
            _link_for_tapes(value, ph)
            return ph
        if self.outer_graph is not None and not (
                isinstance(value, SymbolicTensor) and value.graph is self.outer_graph):
            # Reach the value through the enclosing graph first.
            outer = self.outer_graph.capture(value, consumer_name)
            ph = self.capture(outer, consumer_name)
            self._capture_ids[key] = ph
            _link_for_tapes(value, ph)
            return ph
        if isinstance(value, SymbolicTensor):
            ph = self.placeholder(value.dtype, value.shape, value.op.name.split("/")[-1],
                                  static_value=value.value)
        elif value._dtype is _dtypes.resource:
            ph = self.placeholder(_dtypes.resource, [], consumer_name.lower() + "_resource",
                                  static_value=value._value)
        else:
            ph = self.placeholder(value._dtype, np.shape(value._value), "Const")
        self.captures.append((value, ph))
        self._capture_ids[key] = ph
        _link_for_tapes(value, ph)
        return ph

    def create_op(self, opdef, inputs, attrs, name=None):
        """Adds `opdef` applied to `inputs`; returns its symbolic output(s)."""
        op_name = name if isinstance(name, ExactName) else self.unique_name(name or opdef.type)
        converted = []
        for t in inputs:
            if isinstance(t, SymbolicTensor):
                if t.graph is not self:
                    t = self._capture_symbolic(t, op_name)
                converted.append(t)
            elif isinstance(t, EagerTensor):
                converted.append(self.capture(t, op_name))
            else:
                raise TypeError(f"{opdef.type}: expected tensors as inputs, got {t!r}")
        op = Operation(self, op_name, opdef, converted, attrs)
        rule = opdef.shape_fn(*converted, **attrs)
        specs = [rule] if opdef.num_outputs == 1 else list(rule)
        op.outputs = [SymbolicTensor(op, i, dtype, shape) for i, (dtype, shape) in enumerate(specs)]
        self._operations.append(op)
        from tensorlite.framework.context import active_tapes
        if active_tapes:
            from tensorlite.framework.execute import record
            record(opdef, op.inputs, attrs, op.outputs)
        if opdef.num_outputs == 1:
            return op.outputs[0]
        return tuple(op.outputs)

    def _capture_symbolic(self, t, consumer_name):
        g = self.outer_graph
        while g is not None and g is not t.graph:
            g = g.outer_graph
        if g is None:
            raise ValueError(f"Tensor {t.name} belongs to another graph: a tensor of one "
                             "tf.function cannot be used in another.")
        return self.capture(t, consumer_name)

    # -- inspection ---------------------------------------------------------------------
    def get_operations(self):
        return list(self._operations)

    def get_operation_by_name(self, name):
        for op in self._operations:
            if op.name == name:
                return op
        raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")

    def get_tensor_by_name(self, name):
        op_name, _, index = name.partition(":")
        op = self.get_operation_by_name(op_name)
        try:
            return op.outputs[int(index or 0)]
        except IndexError:
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist.")

    def as_default(self):
        return _GraphContext(self)


class _GraphContext:
    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        graph_stack.append(self._graph)
        return self._graph

    def __exit__(self, *exc):
        graph_stack.pop()
        return False


def is_symbolic(x):
    return isinstance(x, SymbolicTensor)
