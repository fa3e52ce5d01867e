"""`for element in dataset:` inside a traced function: a While loop that pulls elements
from an iterator op, so each call of the compiled function makes one pass over the data.

    it = AnonymousIteratorV3()                      # a fresh pass, per call
    has, *element = IteratorGetNextAsOptional(it)
    while has (and the loop's own test):
        state = body(element, *state)
        has, *element = IteratorGetNextAsOptional(it)
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.util import nest


class _HostIterator:
    """One pass over a dataset, held by the graph as a variant value."""

    __slots__ = ("elements",)
    dtype = np.dtype(object)
    shape = ()
    ndim = 0

    def __init__(self, elements):
        self.elements = elements


@op("AnonymousIteratorV3", shape=lambda dataset, specs: (_dtypes.variant, TensorShape([])),
    stateful=True, differentiable=False)
def _make_iterator(dataset, specs):
    return _HostIterator(dataset._iter_flat())


def _get_next_shape(iterator, dataset, specs):
    return [(_dtypes.bool, TensorShape([]))] + [(s.dtype, s.shape) for s in specs]


def _empty(spec):
    """A stand-in element once the data is exhausted (never read by the loop body)."""
    shape = [0 if d is None else d for d in spec.shape.as_list()]
    return np.zeros(shape, dtype=spec.dtype.as_numpy_dtype)


@op("IteratorGetNextAsOptional", shape=_get_next_shape, num_outputs=None, stateful=True,
    differentiable=False)
def _get_next(iterator, dataset, specs):
    try:
        flat = next(iterator.elements)
    except StopIteration:
        return (np.bool_(False),) + tuple(_empty(s) for s in specs)
    return (np.bool_(True),) + tuple(np.asarray(v, dtype=s.dtype.as_numpy_dtype)
                                     for v, s in zip(flat, specs))


def dataset_for_loop(dataset, body, values, extra_test=None):
    """Runs AutoGraph's `for element in dataset:` as a graph While loop."""
    from tensorlite.graph.autograph_runtime import LoopState, and_
    from tensorlite.graph.control_flow import while_loop
    specs = tuple(nest.flatten(dataset.element_spec))
    attrs = {"dataset": dataset, "specs": specs}
    iterator = execute(_make_iterator, (), attrs)
    has, *first = execute(_get_next, (iterator,), attrs)
    state = LoopState(values)
    n = len(specs)

    def cond(has_value, *rest):
        if extra_test is None:
            return has_value
        return and_(lambda: has_value, lambda: extra_test(*state.full(rest[n:])))

    def loop_body(has_value, *rest):
        element = nest.pack_sequence_as(dataset.element_spec, list(rest[:n]))
        out = body(element, *state.full(rest[n:]))
        has_next, *following = execute(_get_next, (iterator,), attrs)
        return (has_next, *following) + state.select(out)

    initial = state.initial()
    invariants = [TensorShape([])] + [s.shape for s in specs] + [
        getattr(v, "shape", TensorShape([])) for v in initial]
    result = while_loop(cond, loop_body, [has, *first, *initial],
                        shape_invariants=invariants)
    return tuple(state.full(result[1 + n:]))
