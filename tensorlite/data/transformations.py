"""The transformations of `tf.data.Dataset` (map, filter, batch, shuffle, repeat ...).

Each is a dataset over an input dataset. Those that only reorder or select
elements (shuffle, repeat, take, skip, shard, cache, prefetch) keep the
input's row plan when it has one, so that `from_tensor_slices(...).shuffle(...)
.batch(...)` gathers whole batches with NumPy (see `_rows`).
"""
import itertools
import math
import os

import numpy as np
import optree

from tensorlite.data import _rows
from tensorlite.data import options as _options
from tensorlite.data.dataset import (Dataset, DatasetSpec, Structure, eager_tensor,
                                     normalize_element)
from tensorlite.data.functions import StructuredFunction, check_scalar_bool
from tensorlite.data.sources import _VariantDataset
from tensorlite.framework import errors
from tensorlite.framework.tensor import EagerTensor, Tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.util import nest

_NS = "tensorlite"
_INFINITE, _UNKNOWN = _options.INFINITE_CARDINALITY, _options.UNKNOWN_CARDINALITY


def _int(value):
    """A count argument (Python int or scalar tensor) as an int."""
    if isinstance(value, Tensor):
        value = value.numpy()
    return int(value)


def _tree_map(fn, *trees):
    return optree.tree_map(fn, *trees, none_is_leaf=True, namespace=_NS)


def _dtype_text(dtype):
    return f"<dtype: '{dtype.name}'>"


class _UnaryDataset(Dataset):
    """A transformation of one input dataset; by default it keeps the input's elements."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"Expected a tf.data.Dataset, got {type(input_dataset)}.")
        self._input = input_dataset

    def _inputs(self):
        return [self._input]

    def _compute_element_spec(self):
        return self._input.element_spec

    def _compute_cardinality(self):
        return self._input._compute_cardinality()

    def _iter_elements(self):
        return self._input._iter_flat()


# ---- map and filter -----------------------------------------------------------------------

class _MapDataset(_UnaryDataset):
    def __init__(self, input_dataset, map_func, num_parallel_calls=None):
        super().__init__(input_dataset)
        self._function = StructuredFunction(map_func, input_dataset._structure, "map")
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelMapDataset"

    def _compute_element_spec(self):
        return self._function.output_spec(lambda: next(self._input._iter_flat(), None))

    def _iter_elements(self):
        call = self._function.call_flat
        for flat in self._input._iter_flat():
            yield call(flat)


def _is_true(flat, traced):
    value = flat[0]
    if not traced:
        array = np.asarray(value)
        if len(flat) != 1 or array.dtype != np.bool_ or array.ndim:
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             f"tensor, but it returned {value!r}.")
    return bool(value)


class _FilterDataset(_UnaryDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._function = StructuredFunction(predicate, input_dataset._structure, "filter")
        if self._function.traced:
            check_scalar_bool(self._function.output_spec(None), "predicate")

    def _compute_cardinality(self):
        return _UNKNOWN

    def _iter_elements(self):
        call, traced = self._function.call_flat, self._function.traced
        for flat in self._input._iter_flat():
            if _is_true(call(flat), traced):
                yield flat


# ---- batching -------------------------------------------------------------------------------

def _batch_size(batch_size, op_type):
    size = _int(batch_size)
    if size <= 0:
        raise errors.op_error(errors.InvalidArgumentError, op_type,
                              "Batch size must be greater than zero.")
    return size


def _batched_spec(spec, size):
    def batched(s):
        if not isinstance(s, TensorSpec):
            raise TypeError(f"Elements of type {s!r} cannot be batched.")
        return TensorSpec(TensorShape([size]).concatenate(s.shape), s.dtype)
    return _tree_map(batched, spec)


def _batched_cardinality(n, size, drop_remainder):
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


def _dims_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _stack(values):
    """One component of a batch: the elements' values stacked (all of one shape)."""
    try:
        return np.stack(values)
    except ValueError:
        first = np.shape(values[0])
        shape = next(np.shape(v) for v in values if np.shape(v) != first)
        raise errors.op_error(
            errors.InvalidArgumentError, "IteratorGetNext",
            "Cannot add tensor to the batch: number of elements does not match. Shapes "
            f"are: [tensor]: {_dims_text(shape)}, [batch]: {_dims_text(first)}") from None


def _group(iterator, size, drop_remainder):
    """Lists of `size` consecutive items (the last may be shorter unless dropped)."""
    while True:
        group = list(itertools.islice(iterator, size))
        if not group or (drop_remainder and len(group) < size):
            return
        yield group


class _BatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, drop_remainder=False,
                 num_parallel_calls=None):
        super().__init__(input_dataset)
        self._size = _batch_size(batch_size, "BatchDatasetV2")
        self._drop = bool(drop_remainder)
        self._spec = _batched_spec(input_dataset.element_spec,
                                   self._size if self._drop else None)
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelBatchDataset"

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return _batched_cardinality(self._input._compute_cardinality(), self._size, self._drop)

    def _iter_elements(self):
        plan = self._input._row_plan()
        if plan is not None:
            return plan.batches(self._size, self._drop)
        return self._stacked()

    def _stacked(self):
        for group in _group(self._input._iter_flat(), self._size, self._drop):
            yield tuple([_stack(component) for component in zip(*group)])


def _padded_shapes(spec, padded_shapes):
    flat_specs = nest.flatten(spec)
    if padded_shapes is None:
        return [s.shape for s in flat_specs]
    treedef = optree.tree_structure(spec, none_is_leaf=True, namespace=_NS)
    shapes = []
    for given, s in zip(treedef.flatten_up_to(padded_shapes), flat_specs):
        if isinstance(given, Tensor):
            given = given.numpy().tolist()
        dims = [given] if isinstance(given, int) else list(as_shape(
            [None if d is not None and int(d) == -1 else d for d in given]))
        shape = TensorShape(dims)
        if not shape.is_compatible_with(s.shape):
            raise ValueError(f"The padded shape {shape} is not compatible with the shape "
                             f"{s.shape} of the corresponding input component.")
        shapes.append(shape)
    return shapes


def _padding_values(spec, padding_values):
    flat_specs = nest.flatten(spec)
    if padding_values is None:
        return [b"" if s.dtype.name == "string" else s.dtype.as_numpy_dtype(0)
                for s in flat_specs]
    if nest.is_nested(spec) and not nest.is_nested(padding_values):
        given = [padding_values] * len(flat_specs)
    else:
        treedef = optree.tree_structure(spec, none_is_leaf=True, namespace=_NS)
        given = treedef.flatten_up_to(padding_values)
    values = []
    for value, s in zip(given, flat_specs):
        t = eager_tensor(value)
        if t.dtype != s.dtype:
            raise TypeError(f"Invalid `padding_values`. `padding_values` values type "
                            f"{_dtype_text(t.dtype)} does not match type "
                            f"{_dtype_text(s.dtype)} of the corresponding input component.")
        if t.shape.rank != 0:
            raise ValueError("Invalid `padding_values`. `padding_values` values should be "
                             f"scalars, but got {t!r}.")
        values.append(t.numpy())
    return values


def _pad(values, shape, pad_value):
    """Values of one component, padded at the end of each dimension and stacked."""
    ranks = {np.ndim(v) for v in values}
    if len(ranks) != 1:
        raise errors.op_error(errors.InvalidArgumentError, "IteratorGetNext",
                              "All elements in a batch must have the same rank as the "
                              "padded shape for component.")
    largest = np.max([np.shape(v) for v in values], axis=0).tolist() if ranks != {0} else []
    target = [m if d is None else d for d, m in zip(shape.as_list(), largest)] \
        if shape.rank is not None else largest
    if any(m > t for m, t in zip(largest, target)):
        raise errors.op_error(errors.DataLossError, "IteratorGetNext",
                              "Attempted to pad to a smaller size than the input element.")
    first = np.asarray(values[0])
    out = np.full([len(values)] + target, pad_value, dtype=first.dtype)
    for i, v in enumerate(values):
        out[(i,) + tuple(slice(0, d) for d in np.shape(v))] = v
    return out


class _PaddedBatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, padded_shapes=None, padding_values=None,
                 drop_remainder=False):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        for s in nest.flatten(spec):
            if not isinstance(s, TensorSpec):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor "
                    "elements but type spec of elements in the input dataset is not a "
                    f"subclass of TensorSpec: `{s!r}`.")
        self._size = _batch_size(batch_size, "PaddedBatchDatasetV2")
        self._drop = bool(drop_remainder)
        self._shapes = _padded_shapes(spec, padded_shapes)
        self._pads = _padding_values(spec, padding_values)
        flat = [TensorSpec(TensorShape([self._size if self._drop else None]).concatenate(shape),
                           s.dtype) for shape, s in zip(self._shapes, nest.flatten(spec))]
        self._spec = nest.pack_sequence_as(spec, flat)

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return _batched_cardinality(self._input._compute_cardinality(), self._size, self._drop)

    def _iter_elements(self):
        for group in _group(self._input._iter_flat(), self._size, self._drop):
            yield tuple([_pad(component, shape, pad) for component, shape, pad in
                         zip(zip(*group), self._shapes, self._pads)])


def _unbatched_spec(spec):
    def unbatched(s):
        if not isinstance(s, TensorSpec) or s.shape.rank == 0:
            raise ValueError("Cannot unbatch an input with scalar components.")
        return TensorSpec(s.shape[1:] if s.shape.rank is not None else TensorShape(None),
                          s.dtype)
    flat = nest.flatten(spec)
    known = {s.shape[0] for s in flat if isinstance(s, TensorSpec) and s.shape.rank
             and s.shape[0] is not None}
    if len(known) > 1:
        a, b = sorted(known)[:2]
        raise ValueError("`unbatch()` is only supported for datasets of elements whose "
                         f"components have a matching leading dimension. Encountered both "
                         f"{a} and {b}.")
    return _tree_map(unbatched, spec)


def _rows_of(flat):
    """The slices of a flat batched element along the first dimension."""
    n = len(flat[0])
    for c, v in enumerate(flat[1:], 1):
        if len(v) != n:
            raise errors.op_error(
                errors.InvalidArgumentError, "IteratorGetNext",
                "Input element must have the same batch size in each component. Component 0 "
                f"had size {n} but component {c} had size {len(v)}.")
    getters = [_rows.row_getter(v) for v in flat]
    for i in range(n):
        yield tuple([get(i) for get in getters])


class _UnbatchDataset(_UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._spec = _unbatched_spec(input_dataset.element_spec)

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        n = self._input._compute_cardinality()
        return _INFINITE if n == _INFINITE else _UNKNOWN

    def _iter_elements(self):
        for flat in self._input._iter_flat():
            yield from _rows_of(flat)


class _RebatchDataset(_UnaryDataset):
    """The rows of a batched dataset regrouped into batches of `batch_size` (an int, or a
    list of sizes used in turn)."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        sizes = batch_size.numpy().tolist() if isinstance(batch_size, Tensor) else batch_size
        self._sizes = [int(s) for s in (sizes if isinstance(sizes, (list, tuple)) else [sizes])]
        if not self._sizes or any(s <= 0 for s in self._sizes):
            raise ValueError(f"Invalid `batch_size`: {batch_size!r}.")
        for s in nest.flatten(input_dataset.element_spec):
            if s.shape.rank == 0:
                raise ValueError("Invalid `batch_sizes`. Expected dataset with rank of >= 1 but "
                                 "found a dataset with scalar elements. Fix the issue by "
                                 "adding the `batch` transformation to the dataset.")
        self._drop = bool(drop_remainder)
        fixed = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        self._spec = _batched_spec(_unbatched_spec(input_dataset.element_spec), fixed)

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return _UNKNOWN

    def _iter_elements(self):
        rows = (row for flat in self._input._iter_flat() for row in _rows_of(flat))
        for size in itertools.cycle(self._sizes):
            group = list(itertools.islice(rows, size))
            if not group or (self._drop and len(group) < size):
                return
            yield tuple([_stack(component) for component in zip(*group)])


# ---- reordering and selecting ------------------------------------------------------------

def _rng_key(seed):
    """The Philox key of a shuffle: from tf.random's seeds, or drawn at random."""
    from tensorlite.ops.random import get_seed
    seed, seed2 = get_seed(seed)
    if (seed, seed2) == (0, 0):
        return np.random.SeedSequence().generate_state(2, np.uint64)
    return np.array([seed, seed2], dtype=np.uint64)


def _generator(key):
    return np.random.Generator(np.random.Philox(key=key))


class _ShuffleDataset(_UnaryDataset):
    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True):
        super().__init__(input_dataset)
        size = _int(buffer_size)
        if size <= 0 and size != _UNKNOWN:
            raise errors.op_error(errors.InvalidArgumentError, "ShuffleDatasetV3",
                                  "buffer_size must be greater than zero or "
                                  "UNKNOWN_CARDINALITY")
        self._buffer_size = size
        self._key = _rng_key(seed)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._rng = _generator(self._key)

    def _pass_rng(self):
        """Each pass continues one random stream (reshuffling), or restarts it."""
        return self._rng if self._reshuffle else _generator(self._key)

    def _buffer(self):
        """The buffer size; UNKNOWN_CARDINALITY means the whole dataset."""
        if self._buffer_size == _UNKNOWN:
            return math.inf
        return self._buffer_size

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None:
            return None
        n = self._input._compute_cardinality()
        buffer = self._buffer()

        def passes():
            rng = self._pass_rng()
            if 0 <= n <= buffer:  # the buffer holds everything: a uniform permutation
                order = _rows._join(list(plan.passes())) if n else range(0)
                if order == range(n):
                    yield rng.permutation(n)
                else:
                    yield _rows.as_indices(order)[rng.permutation(len(order))]
                return
            indices = (i for chunk in plan.passes()
                       for i in (chunk if isinstance(chunk, range) else chunk.tolist()))
            yield from _rows.chunked(_rows.buffer_shuffle(indices, buffer, rng))
        return plan.with_order(passes)

    def _iter_elements(self):
        buffer = self._buffer()
        return _rows.buffer_shuffle(self._input._iter_flat(),
                                    buffer if buffer != math.inf else None, self._pass_rng())


class _RepeatDataset(_UnaryDataset):
    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = -1 if count is None else _int(count)

    def _compute_cardinality(self):
        n, count = self._input._compute_cardinality(), self._count
        if count == 0 or n == 0:
            return 0
        if count < 0:
            return _INFINITE
        return n if n < 0 else n * count

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None:
            return None
        return plan.with_order(lambda: _rows.repeated(plan.passes, self._count))

    def _iter_elements(self):
        epochs = itertools.count() if self._count < 0 else range(self._count)
        for _ in epochs:
            empty = True
            for flat in self._input._iter_flat():
                empty = False
                yield flat
            if empty:
                return


class _TakeDataset(_UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int(count)

    def _compute_cardinality(self):
        n, count = self._input._compute_cardinality(), self._count
        if count < 0 or n == _UNKNOWN:
            return n
        return count if n == _INFINITE else min(n, count)

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None or self._count < 0:
            return plan
        return plan.with_order(lambda: _rows.truncate(plan.passes(), 0, self._count))

    def _iter_elements(self):
        it = self._input._iter_flat()
        return it if self._count < 0 else itertools.islice(it, self._count)


class _SkipDataset(_UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int(count)

    def _compute_cardinality(self):
        n, count = self._input._compute_cardinality(), self._count
        if n < 0:
            return n
        return 0 if count < 0 else max(n - count, 0)

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None:
            return None
        if self._count < 0:
            return plan.with_order(lambda: iter(()))
        return plan.with_order(lambda: _rows.truncate(plan.passes(), self._count, None))

    def _iter_elements(self):
        it = self._input._iter_flat()
        if self._count < 0:
            for _ in it:
                pass
            return iter(())
        return itertools.islice(it, self._count, None)


class _ShardDataset(_UnaryDataset):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        k, i = _int(num_shards), _int(index)
        if k <= 0:
            raise errors.op_error(errors.InvalidArgumentError, "ShardDataset",
                                  "Number of shards must be greater than zero (currently "
                                  f"num_shards = {k}).")
        if not 0 <= i < k:
            raise errors.op_error(errors.InvalidArgumentError, "ShardDataset",
                                  f"Index must be between 0 and {k - 1} (currently index = "
                                  f"{i}).")
        self._k, self._index = k, i

    def _compute_cardinality(self):
        n = self._input._compute_cardinality()
        if n < 0:
            return n
        return n // self._k + (1 if self._index < n % self._k else 0)

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None:
            return None
        return plan.with_order(lambda: _rows.every_kth(plan.passes(), self._k, self._index))

    def _iter_elements(self):
        return itertools.islice(self._input._iter_flat(), self._index, None, self._k)


class _PrefetchDataset(_UnaryDataset):
    """Elements as they come: the pipeline runs in the caller's thread, so there is
    nothing to prepare ahead."""

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        self._buffer_size = _int(buffer_size)

    def _row_plan(self):
        return self._input._row_plan()


class CacheDataset(_UnaryDataset):
    """The first complete pass, kept in memory and replayed (`filename` is accepted and
    the cache kept in memory all the same)."""

    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        self._filename = filename
        self._elements = None   # the cached pass, once one has completed
        self._order = None      # the same for a row plan: its index chunks

    def _row_plan(self):
        plan = self._input._row_plan()
        if plan is None:
            return None

        def passes():
            if self._order is not None:
                return iter(self._order)
            return self._recorded(plan.passes(), "_order")
        return plan.with_order(passes)

    def _recorded(self, items, attribute):
        record = []
        for item in items:
            record.append(item)
            yield item
        setattr(self, attribute, record)

    def _iter_elements(self):
        if self._elements is not None:
            return iter(self._elements)
        return self._recorded(self._input._iter_flat(), "_elements")


class _OptionsDataset(_UnaryDataset):
    def __init__(self, input_dataset, options):
        super().__init__(input_dataset)
        own = self.__dict__.get("_own_options")
        self._own_options = options if own is None else own.merge(options)

    def _row_plan(self):
        return self._input._row_plan()


# ---- windows and nested datasets ------------------------------------------------------------

def _positive(value, what):
    value = _int(value)
    if value <= 0:
        raise errors.op_error(errors.InvalidArgumentError, "WindowDataset",
                              f"Window {what} must be greater than zero.")
    return value


def _windows(iterator, size, shift, stride, drop_remainder):
    """Lists of the elements of each window (windows start every `shift` elements)."""
    span = (size - 1) * stride + 1
    buffer = []
    exhausted = False
    while True:
        while len(buffer) < span and not exhausted:
            item = next(iterator, None)
            if item is None:
                exhausted = True
            else:
                buffer.append(item)
        if not buffer:
            return
        window = buffer[0:span:stride]
        if drop_remainder and len(window) < size:
            return
        yield window
        if shift >= len(buffer):
            for _ in range(shift - len(buffer)):
                if exhausted or next(iterator, None) is None:
                    exhausted = True
                    break
            buffer = []
        else:
            del buffer[:shift]


class _WindowDataset(_UnaryDataset):
    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = _positive(size, "size")
        self._shift = _positive(self._size if shift is None else shift, "shift")
        self._stride = _positive(stride, "stride")
        self._drop = bool(drop_remainder)

    def _compute_element_spec(self):
        return _tree_map(DatasetSpec, self._input.element_spec)

    def _compute_cardinality(self):
        n = self._input._compute_cardinality()
        if n < 0:
            return n
        if self._drop:
            span = (self._size - 1) * self._stride + 1
            return max(0, (n - span) // self._shift + 1) if n >= span else 0
        return -(-n // self._shift)

    def _iter_elements(self):
        # one dataset per element leaf, over that leaf's components (3 for a SparseTensor)
        leaves = optree.tree_leaves(self._input.element_spec, none_is_leaf=True, namespace=_NS)
        spans, start = [], 0
        for spec in leaves:
            n = Structure(spec).num_components
            spans.append((spec, start, start + n))
            start += n
        for window in _windows(self._input._iter_flat(), self._size, self._shift,
                               self._stride, self._drop):
            yield tuple([_VariantDataset([tuple(element[a:b]) for element in window], spec)
                         for spec, a, b in spans])


def _dataset_function(func, input_dataset, transformation):
    function = StructuredFunction(func, input_dataset._structure, transformation, trace=False)

    def call(flat):
        dataset = function.call(flat)
        if not isinstance(dataset, Dataset):
            raise TypeError(f"`map_func` must return a `Dataset` object. Got {type(dataset)}.")
        return dataset
    return call


class _DatasetOfDatasets(_UnaryDataset):
    """Flat_map and interleave: a dataset per input element, whose elements are output."""

    def _compute_element_spec(self):
        first = next(self._input._iter_flat(), None)
        if first is None:
            raise ValueError("Cannot infer the element_spec of a `flat_map` / `interleave` "
                             "over an empty dataset.")
        return self._call(first).element_spec

    def _compute_cardinality(self):
        return _UNKNOWN


class _FlatMapDataset(_DatasetOfDatasets):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._call = _dataset_function(map_func, input_dataset, "flat_map")

    def _iter_elements(self):
        for flat in self._input._iter_flat():
            yield from self._call(flat)._iter_flat()


def interleaved(inputs, open_fn, cycle_length, block_length):
    """TensorFlow's interleave order: `cycle_length` open iterators visited in turn,
    `block_length` items from each; an exhausted one gives its place, on the next
    visit, to the iterator of the next input."""
    slots = [None] * cycle_length
    exhausted = False
    pos = 0
    while True:
        if slots[pos] is None and not exhausted:
            item = next(inputs, None)
            if item is None:
                exhausted = True
            else:
                slots[pos] = open_fn(item)
        it = slots[pos]
        if it is None:
            if exhausted and all(s is None for s in slots):
                return
        else:
            for _ in range(block_length):
                value = next(it, None)
                if value is None:
                    slots[pos] = None
                    break
                yield value
        pos = (pos + 1) % cycle_length


class _InterleaveDataset(_DatasetOfDatasets):
    def __init__(self, input_dataset, map_func, cycle_length=None, block_length=None,
                 num_parallel_calls=None):
        super().__init__(input_dataset)
        self._call = _dataset_function(map_func, input_dataset, "interleave")
        cycle = _options.AUTOTUNE if cycle_length is None else _int(cycle_length)
        self._cycle = (os.cpu_count() or 1) if cycle == _options.AUTOTUNE else cycle
        self._block = 1 if block_length is None else _int(block_length)
        if self._cycle <= 0:
            raise errors.op_error(errors.InvalidArgumentError, "InterleaveDataset",
                                  "cycle_length must be greater than zero.")
        if self._block <= 0:
            raise errors.op_error(errors.InvalidArgumentError, "InterleaveDataset",
                                  "block_length must be greater than zero.")
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelInterleaveDataset"

    def _iter_elements(self):
        return interleaved(self._input._iter_flat(), lambda flat: self._call(flat)._iter_flat(),
                           self._cycle, self._block)


# ---- reduce ---------------------------------------------------------------------------------

def _flat_dtypes_text(spec):
    dtypes = [_dtype_text(s.dtype) for s in nest.flatten(spec)]
    return dtypes[0] if len(dtypes) == 1 else "(" + ", ".join(dtypes) + ")"


def _traced_reducer(dataset, state_spec, reduce_func):
    """The reduce function traced for a state spec general enough for every step: the
    state's shapes are relaxed until the function's output fits them."""
    while True:
        structure = Structure((state_spec, dataset.element_spec))
        function = StructuredFunction(reduce_func, structure, "reduce")
        if not function.traced:
            return function, state_spec
        out_spec = function.output_spec(None)
        state_flat, out_flat = nest.flatten(state_spec), nest.flatten(out_spec)
        if len(out_flat) != len(state_flat):
            raise errors.op_error(
                errors.InvalidArgumentError, "ReduceDataset",
                "The number of components of the initial state and the reduce function output "
                f"does not match. (initial_state={len(state_flat)}, output={len(out_flat)}).")
        if any(a.dtype != b.dtype for a, b in zip(state_flat, out_flat)):
            raise TypeError("The element types for the new state must match the initial "
                            f"state. Expected {_flat_dtypes_text(state_spec)} but got "
                            f"{_flat_dtypes_text(out_spec)}.")
        relaxed = [TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)
                   for a, b in zip(state_flat, out_flat)]
        if relaxed == state_flat:
            return function, state_spec
        state_spec = nest.pack_sequence_as(state_spec, relaxed)


def reduce_dataset(dataset, initial_state, reduce_func):
    """`Dataset.reduce`: the state after `state = reduce_func(state, element)` for every
    element."""
    state_spec, state = normalize_element(initial_state)
    function, state_spec = _traced_reducer(dataset, state_spec, reduce_func)
    n_state = len(state)
    for flat in dataset._iter_flat():
        state = function.call_flat(state + flat)
        if len(state) != n_state:
            raise errors.op_error(
                errors.InvalidArgumentError, "ReduceDataset",
                "The number of components of the initial state and the reduce function output "
                f"does not match. (initial_state={n_state}, output={len(state)}).")
    return nest.pack_sequence_as(state_spec, [EagerTensor(v) for v in state])
