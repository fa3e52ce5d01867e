"""The user functions of transformations (map, filter, reduce ...).

As in TensorFlow, a function is traced once into a graph (AutoGraph converts
its Python control flow) with placeholders shaped like the input elements;
the output structure and specs come from the trace, and each element then
runs through the compiled graph, so Python side effects such as `print`
happen once, at trace time. A function that cannot be traced (it reads
`.numpy()`, returns datasets, or uses an op without graph support) is called
eagerly on each element instead, its output spec taken from the first element.
"""
import inspect

import optree

from tensorlite.data.dataset import Dataset, DatasetSpec, Structure, flatten_components
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import init_scope
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.framework.variables import Variable
from tensorlite.structures.sparse import SparseTensor, SparseTensorSpec

_NS = "tensorlite"


def _convert_leaves(x):
    if optree.is_namedtuple(x):
        return type(x)(*[_convert_leaves(v) for v in x])
    if isinstance(x, tuple):
        return tuple(_convert_leaves(v) for v in x)
    if isinstance(x, dict):
        return {k: _convert_leaves(v) for k, v in x.items()}
    if isinstance(x, (Tensor, Dataset, SparseTensor)):
        return x
    if isinstance(x, Variable):
        return x.value()
    return convert_to_tensor(x)  # Python values; nested lists become tensors, as in TF


def normalize_output(ret):
    """A function's return value as an element: a top-level list is a tuple, every
    other leaf a tensor (or a dataset)."""
    if isinstance(ret, list):
        ret = tuple(ret)
    return _convert_leaves(ret)


def _leaves(structure):
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NS)


def _spec_tree(output):
    return optree.tree_map(_spec_of, output, none_is_leaf=True, namespace=_NS)


def _spec_of(x):
    if isinstance(x, Dataset):
        return DatasetSpec(x.element_spec)
    if isinstance(x, SparseTensor):
        return SparseTensorSpec.from_value(x)
    return TensorSpec(x.shape, x.dtype)


class StructuredFunction:
    """`func` applied to elements of `input_structure` (a `dataset.Structure`).

    A tuple element is passed as positional arguments (`map(lambda x, y: ...)`),
    any other structure as one argument.
    """

    def __init__(self, func, input_structure, transformation, trace=True):
        if not callable(func):
            raise TypeError(f"`{transformation}` expects a callable, got {func!r}.")
        self._func = func
        self._input = input_structure
        self._transformation = transformation
        self._unpack = type(input_structure.spec) is tuple
        self._check_arity()
        self._concrete = None
        self._output_spec = None
        if trace and all(isinstance(s, TensorSpec) for s in input_structure.flat_specs):
            self._trace()

    @property
    def traced(self):
        return self._concrete is not None

    def _arguments(self, element):
        return element if self._unpack else (element,)

    def _check_arity(self):
        try:
            signature = inspect.signature(self._func)
        except (TypeError, ValueError):
            return  # builtins and C functions: found out when called
        n = len(self._input.spec) if self._unpack else 1
        try:
            signature.bind(*([None] * n))
        except TypeError as e:
            name = getattr(self._func, "__qualname__", type(self._func).__name__)
            raise TypeError(f"in user code of `{self._transformation}`: {name}() {e}") \
                from None

    def _trace(self):
        from tensorlite.graph import autograph
        from tensorlite.graph.function import Function
        structure = self._input
        try:
            user = autograph.convert(self._func)
        except SyntaxError:
            return

        traced_output = []  # the user-level output of the trace (SparseTensors too)

        def flat_function(*flat):
            # A traced function returns tensors only: sparse outputs leave it as
            # their components, and are packed again by `call`.
            element = structure.unflatten(list(flat))
            output = normalize_output(user(*self._arguments(element)))
            traced_output[:] = [output]
            return flatten_components(output)
        function = Function(flat_function, input_signature=list(structure.flat_specs),
                            autograph=False,
                            name=getattr(self._func, "__name__", self._transformation))
        try:
            with init_scope():  # a graph of its own, even when built inside a tf.function
                concrete = function.get_concrete_function()
        except Exception:  # noqa: BLE001 - not traceable: run eagerly per element
            return
        if any(t is None for t in _leaves(traced_output[0])):
            return
        self._concrete = concrete
        self._dtypes = [spec.dtype for spec in structure.flat_specs]
        self._output_spec = _spec_tree(traced_output[0])
        self._output_structure = Structure(self._output_spec)

    def output_spec(self, first_element):
        """The output element spec; eagerly it is read from the output on the first
        element, given by the callable `first_element` (None if there is none)."""
        if self._output_spec is None:
            flat = first_element()
            if flat is None:
                raise ValueError(f"Cannot infer the element_spec of `{self._transformation}` "
                                 "on an empty dataset: its function could not be traced.")
            self._output_spec = _spec_tree(self.call(flat))
        return self._output_spec

    def call(self, flat):
        """The output on a flat element, as user-level values (tensors, datasets)."""
        if self._concrete is not None:
            return self._output_structure.unflatten(self._call_traced(flat))
        element = self._input.pack(flat)
        return normalize_output(self._func(*self._arguments(element)))

    def _call_traced(self, flat):
        return self._concrete._call_flat(
            [EagerTensor(v, dtype) for v, dtype in zip(flat, self._dtypes)])

    def call_flat(self, flat):
        """The output on a flat element, as flat components (NumPy values; datasets
        as they are; a SparseTensor as its three components)."""
        if self._concrete is not None:
            components = self._call_traced(flat)
        else:
            components = flatten_components(self.call(flat))
        return tuple([x._value if isinstance(x, EagerTensor) else x for x in components])


def check_scalar_bool(spec, what):
    """`what` (a function output spec) must be a scalar tf.bool (ValueError)."""
    if not (isinstance(spec, TensorSpec) and spec.dtype is _dtypes.bool
            and spec.shape.is_compatible_with([])):
        raise ValueError(f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, "
                         f"but its return type is {spec!r}.")
