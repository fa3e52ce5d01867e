"""`tf.Variable`: mutable state, read and written through resource ops.

A variable's state lives in a `Resource` object; a tensor of dtype `resource`
(the variable's handle) carries it into ops, so reads and assignments are
ordinary registry ops (`ReadVariableOp`, `AssignVariableOp` ...) that work
eagerly, are seen by tapes, and become graph nodes when traced.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import active_tapes, graph_stack, init_scope
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, _numpy_text, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape


class Resource:
    """The storage of one variable: its current value, dtype and static shape."""

    __slots__ = ("value", "dtype", "shape", "name", "__weakref__")

    def __init__(self, value, dtype, shape, name):
        self.value = value
        self.dtype = dtype
        self.shape = shape
        self.name = name

    # A resource has no dtype NumPy knows; tensors of it report tf.resource.
    ndim = 0


def _read_shape(handle):
    res = handle.value
    return (res.dtype, res.shape) if isinstance(res, Resource) else (None, TensorShape(None))


@op("ReadVariableOp", shape=_read_shape, grad=lambda op, grad: (grad,), stateful=True)
def _read_variable(resource):
    return resource.value


@op("AssignVariableOp", shape=lambda h, v: [], stateful=True, num_outputs=0,
    differentiable=False)
def _assign_variable(resource, value):
    resource.value = value
    return ()


@op("AssignAddVariableOp", shape=lambda h, v: [], stateful=True, num_outputs=0,
    differentiable=False)
def _assign_add_variable(resource, value):
    resource.value = resource.value + value
    return ()


@op("AssignSubVariableOp", shape=lambda h, v: [], stateful=True, num_outputs=0,
    differentiable=False)
def _assign_sub_variable(resource, value):
    resource.value = resource.value - value
    return ()


def lift_creation(var, create):
    """Creates a variable met while tracing: eagerly, once (`init_scope`), and tells the
    graph being traced, which refuses variable creation on any later trace."""
    hook = getattr(graph_stack[-1], "on_variable_created", None)
    with init_scope():
        create()
    if hook is not None:
        hook(var)


class Variable:
    """A mutable tensor-valued state (`tf.Variable`).

    >>> v = tf.Variable([[1., 2.], [3., 4.]])
    >>> v.assign(2 * v)
    """

    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None, synchronization=None,
                 aggregation=None, shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("The `initial_value` arg (None) must be specified.")
        if graph_stack:
            if isinstance(initial_value, Tensor) and not isinstance(initial_value, EagerTensor):
                raise ValueError(
                    "The initial value of a tf.Variable created inside a tf.function must "
                    "not depend on the function's inputs; pass a callable or a constant.")
            return lift_creation(self, lambda: Variable.__init__(
                self, initial_value, trainable, validate_shape, caching_device, name,
                variable_def, dtype, import_scope, constraint, synchronization, aggregation,
                shape))
        if constraint is not None and not callable(constraint):
            raise ValueError(f"`constraint` with type {type(constraint)} must be a callable.")
        if callable(initial_value):
            initial_value = initial_value()
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype)
        if isinstance(initial_value, Tensor):
            init = initial_value if dtype is None else _cast_like(initial_value, dtype)
        elif isinstance(initial_value, Variable):
            init = initial_value.read_value()
            if dtype is not None and init.dtype is not dtype:
                init = _cast_like(init, dtype)
        else:
            init = convert_to_tensor(initial_value, dtype=dtype)
        if not isinstance(init, EagerTensor):
            raise NotImplementedError(
                "Creating a tf.Variable inside a traced function needs the "
                "tf.function variable-lifting support")
        value = np.array(init._value)  # own a copy: the caller's array may change
        var_shape = TensorShape(value.shape) if shape is None else as_shape(shape)
        if validate_shape is False:
            var_shape = TensorShape(None)
        if not var_shape.is_compatible_with(value.shape):
            raise ValueError(f"The initial value's shape ({TensorShape(value.shape)}) is "
                             f"not compatible with the explicitly supplied `shape` "
                             f"argument ({var_shape}).")
        from tensorlite.framework import name_scope as _ns
        base = name if name is not None else "Variable"
        self._shared_name = _ns.scoped_name(str(base).split(":")[0])
        self._dtype = init.dtype
        self._resource = Resource(value, init.dtype, var_shape, self._shared_name + ":0")
        self._handle = EagerTensor(self._resource, _dtypes.resource)
        self._trainable = True if trainable is None else bool(trainable)
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation

    # -- attributes -------------------------------------------------------
    @property
    def name(self):
        return self._shared_name + ":0"

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._resource.shape

    @property
    def ndim(self):
        return self._resource.shape.rank

    def get_shape(self):
        return self.shape

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def handle(self):
        return self._handle

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def initial_value(self):
        raise RuntimeError("initial_value is not supported for eager variables")

    # -- reading ------------------------------------------------------------
    def value(self):
        """The current value as a tensor (a `ReadVariableOp`)."""
        if active_tapes:
            for tape in active_tapes:
                tape._variable_accessed(self)
        return execute(_read_variable, (self._handle,))

    read_value = value

    def _as_tensor(self, dtype=None):
        t = self.value()
        if dtype is not None and dtype is not t.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for "
                             f"variable with dtype {t.dtype.name}: {self!r}")
        return t

    def numpy(self):
        value = self._resource.value
        return value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._resource.value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        return value.copy() if copy else value

    def __bool__(self):
        return bool(self._resource.value)

    def __int__(self):
        return int(self._resource.value)

    def __float__(self):
        return float(self._resource.value)

    def __index__(self):
        return int(self._resource.value)

    def __len__(self):
        return len(self._resource.value)

    def __iter__(self):
        return iter(self.value())

    def __format__(self, spec):
        return format(self.value(), spec)

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def ref(self):
        return Tensor.ref(self)

    experimental_ref = ref

    def __setitem__(self, key, value):
        raise TypeError("'ResourceVariable' object does not support item assignment")

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self._resource.value, True)}>")

    def __str__(self):
        return self.__repr__()

    def __deepcopy__(self, memo):
        return Variable(np.copy(self._resource.value), trainable=self._trainable,
                        name=self._shared_name, constraint=self._constraint)

    # -- writing ------------------------------------------------------------
    def _convert_update(self, value):
        value = convert_to_tensor(value, dtype=self._dtype)
        if not self._resource.shape.is_compatible_with(value.shape):
            raise ValueError(
                f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                f"The variable shape {self._resource.shape}, and the assigned value "
                f"shape {value.shape} are incompatible.")
        return value

    def _after_update(self, read_value):
        return _UnreadVariable(self) if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the value; returns the variable (unread) as TensorFlow does."""
        execute(_assign_variable, (self._handle, self._convert_update(value)))
        return self._after_update(read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        execute(_assign_add_variable, (self._handle, self._convert_update(delta)))
        return self._after_update(read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        execute(_assign_sub_variable, (self._handle, self._convert_update(delta)))
        return self._after_update(read_value)

    def scatter_nd_update(self, indices, updates, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_nd_update(self, indices, updates)

    def scatter_nd_add(self, indices, updates, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_nd_add(self, indices, updates)

    def scatter_nd_sub(self, indices, updates, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_nd_sub(self, indices, updates)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_update(self, sparse_delta)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_add(self, sparse_delta)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        from tensorlite.ops import variable_updates
        return variable_updates.scatter_sub(self, sparse_delta)


class _UnreadVariable(Variable):
    """What `assign` returns: the same variable, printed as TensorFlow prints it."""

    def __init__(self, parent):  # noqa: super() not called: shares the parent's state
        self.__dict__.update(parent.__dict__)
        self._parent = parent

    @property
    def name(self):
        return "UnreadVariable"

    def __repr__(self):
        return (f"<tf.Variable 'UnreadVariable' shape={self.shape} dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self._resource.value, True)}>")


def _cast_like(tensor, dtype):
    from tensorlite.ops import math as _math
    return _math.cast(tensor, dtype)



__all__ = ["Variable"]
