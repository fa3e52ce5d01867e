"""`KerasTensor`: the symbolic placeholders of the Functional API, and the graph of layer calls.

`keras.Input(shape=(8,))` returns a KerasTensor (a shape with a None batch
dimension and a dtype, no value). Calling a layer on KerasTensors runs no
kernel: the layer's output spec comes from its `compute_output_shape`, or from
tracing its `call` on symbolic tensors whose shapes follow the ops' shape
rules (`compute_output_spec` below). Each such call is recorded as a `Node`
(layer, call arguments, outputs), so a Functional model can replay the graph
of layer calls on real tensors.
"""
import collections

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import init_scope
from tensorlite.framework.tensor import Tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.keras import naming
from tensorlite.util import nest

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])

_KERAS_TENSOR_IN_TF_FUNCTION = (
    "A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a "
    "symbolic placeholder for a shape and dtype, used when constructing Keras Functional "
    "models or Keras Functions. You can only use it as input to a Keras layer or a Keras "
    "operation (from the namespaces `keras.layers` and `keras.ops`). You are likely doing "
    "something like:\n\n```\nx = Input(...)\n...\ntf_fn(x)  # Invalid.\n```\n\nWhat you "
    "should do instead is wrap `tf_fn` in a layer:\n\n```\nclass MyLayer(Layer):\n    "
    "def call(self, x):\n        return tf_fn(x)\n\nx = MyLayer()(x)\n```\n")


def standardize_dtype(dtype):
    """A dtype (DType, NumPy dtype or string) as Keras's dtype string ("float32")."""
    if dtype is None:
        return "float32"
    if isinstance(dtype, str):
        return _dtypes.as_dtype(dtype).name
    return _dtypes.as_dtype(dtype).name


class KerasTensor:
    """A symbolic tensor of the Functional API: `shape` (a tuple, None = unknown), `dtype`."""

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True,
                 name=None):
        self._shape = tuple(None if d is None else int(d) for d in shape)
        self._dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or naming.uniquify("keras_tensor")
        self._keras_history = None
        self.record_history = record_history

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __str__(self):
        return self.__repr__()

    def _as_tensor(self, dtype=None):
        raise ValueError(_KERAS_TENSOR_IN_TF_FUNCTION)

    def __array__(self, dtype=None, copy=None):
        raise ValueError("A KerasTensor is symbolic: it's a placeholder for a shape an a dtype. "
                         "It doesn't have any actual numerical value. You cannot convert it "
                         "to a NumPy array.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __iter__(self):
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __hash__(self):
        return id(self)

    # Python operators on KerasTensors add small operation layers to the graph
    # (`x + 1`, `x[:, 0]`), as Keras's `keras.ops` do.
    def __add__(self, other):
        return _operation("add", lambda a, b: a + b, self, other)

    def __radd__(self, other):
        return _operation("add", lambda a, b: b + a, self, other)

    def __sub__(self, other):
        return _operation("subtract", lambda a, b: a - b, self, other)

    def __rsub__(self, other):
        return _operation("subtract", lambda a, b: b - a, self, other)

    def __mul__(self, other):
        return _operation("multiply", lambda a, b: a * b, self, other)

    def __rmul__(self, other):
        return _operation("multiply", lambda a, b: b * a, self, other)

    def __truediv__(self, other):
        return _operation("divide", lambda a, b: a / b, self, other)

    def __rtruediv__(self, other):
        return _operation("divide", lambda a, b: b / a, self, other)

    def __pow__(self, other):
        return _operation("power", lambda a, b: a ** b, self, other)

    def __matmul__(self, other):
        return _operation("matmul", lambda a, b: a @ b, self, other)

    def __neg__(self):
        return _operation("negative", lambda a, b: -a, self, None)

    def __getitem__(self, key):
        return _operation("get_item", lambda a, b: a[key], self, None)


def _operation(name, fn, x, other):
    """Applies a tf-op expression on KerasTensors as a layer node (an `Operation` in Keras)."""
    from tensorlite.keras.layers.core import TFOpLambda
    if isinstance(other, KerasTensor):
        return TFOpLambda(fn, name=naming.uniquify(name))(x, other)
    return TFOpLambda(lambda a: fn(a, other), name=naming.uniquify(name))(x)


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def any_keras_tensor(args, kwargs):
    """True when a call's arguments hold a KerasTensor (then the call is symbolic)."""
    for x in args:
        if isinstance(x, KerasTensor):
            return True
        if isinstance(x, (list, tuple, dict)) and _nested_keras_tensor(x):
            return True
    for x in kwargs.values():
        if isinstance(x, KerasTensor) or (isinstance(x, (list, tuple, dict))
                                          and _nested_keras_tensor(x)):
            return True
    return False


def _nested_keras_tensor(structure):
    return any(isinstance(x, KerasTensor) for x in nest.flatten(structure))


class Node:
    """One call of a layer on KerasTensors: `operation`, `call_args`, `call_kwargs`, `outputs`."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.input_tensors = [x for x in nest.flatten((self.call_args, self.call_kwargs))
                              if isinstance(x, KerasTensor)]
        self.outputs = outputs
        self.output_tensors = [x for x in nest.flatten(outputs) if isinstance(x, KerasTensor)]
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = KerasHistory(operation, node_index, i)
        for tensor in self.input_tensors:
            if tensor._keras_history is not None:
                tensor._keras_history.operation._outbound_nodes.append(self)

    @property
    def is_input(self):
        return not self.input_tensors

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for x in self.input_tensors:
            if x._keras_history is not None:
                op, node_index, _ = x._keras_history
                node = op._inbound_nodes[node_index]
                if node not in parents:
                    parents.append(node)
        return parents

    def __repr__(self):
        return f"<Node operation={self.operation.name}, id={id(self)}>"


# -- output specs ---------------------------------------------------------------------

_trace_depth = [0]


def in_symbolic_trace():
    """True while a layer's `call` runs on symbolic tensors to infer its output spec."""
    return _trace_depth[0] > 0


def compute_output_spec(fn, args, kwargs):
    """KerasTensors describing what `fn(*args, **kwargs)` returns, with no kernel run.

    THE place where the Functional API infers shapes: KerasTensors in the
    arguments become placeholders of a scratch FuncGraph and `fn` is traced,
    every op getting its output dtype and shape from its shape rule; variables
    created on the way (layers built by the call) are lifted out and created
    eagerly. If `fn` cannot be traced (Python control flow on tensor values,
    an op without a symbolic path), it runs eagerly on a zero batch of size 1
    (None dims as 1) and the batch dimension is reported as None.
    """
    _trace_depth[0] += 1
    try:
        try:
            return _traced_output_spec(fn, args, kwargs)
        except Exception:  # noqa: BLE001 - any failure to trace: try concrete values
            return _eager_output_spec(fn, args, kwargs)
    finally:
        _trace_depth[0] -= 1


def _traced_output_spec(fn, args, kwargs):
    from tensorlite.graph.func_graph import FuncGraph
    graph = FuncGraph("scratch_graph")

    def to_placeholder(x):
        if isinstance(x, KerasTensor):
            return graph.placeholder(_dtypes.as_dtype(x.dtype), TensorShape(x.shape),
                                     "keras_tensor")
        return x
    with graph.as_default():
        args, kwargs = nest.map_structure(to_placeholder, (args, kwargs))
        outputs = fn(*args, **kwargs)
    return nest.map_structure(_to_keras_tensor, outputs)


def _to_keras_tensor(x):
    if isinstance(x, Tensor):
        return KerasTensor(x.shape.as_list(), dtype=x.dtype.name)
    if hasattr(x, "shape") and hasattr(x, "dtype"):  # a variable
        return KerasTensor(tuple(x.shape), dtype=standardize_dtype(x.dtype))
    return x


def _eager_output_spec(fn, args, kwargs):
    from tensorlite.ops import array as _array
    batched = [False]

    def to_zeros(x):
        if isinstance(x, KerasTensor):
            batched[0] = batched[0] or (x.ndim > 0 and x.shape[0] is None)
            shape = [1 if d is None else d for d in x.shape]
            return _array.zeros(shape, dtype=x.dtype)
        return x
    args, kwargs = nest.map_structure(to_zeros, (args, kwargs))
    with init_scope():
        outputs = fn(*args, **kwargs)

    def to_spec(x):
        spec = _to_keras_tensor(x)
        if isinstance(spec, KerasTensor) and batched[0] and spec.ndim > 0:
            spec._shape = (None,) + spec.shape[1:]
        return spec
    return nest.map_structure(to_spec, outputs)

