"""`tf.data.Dataset`: a re-iterable pipeline of elements, and its iterators.

An element is a nested structure (tuples, dicts, namedtuples) of tensors
(or SparseTensors), described by `element_spec` (the same structure of
`TensorSpec`s / `SparseTensorSpec`s). Inside the pipeline an element travels
flat, as a tuple of NumPy values (one per component; a SparseTensor is three:
indices, values, dense_shape); iterating a dataset wraps them into
`EagerTensor`s (and SparseTensors) in the element's structure.

A subclass implements:
- `_compute_element_spec()`: the element structure of TensorSpecs;
- `_iter_elements()`: a generator of flat elements for one pass;
- `_compute_cardinality()`: the number of elements, INFINITE or UNKNOWN;
- optionally `_row_plan()`: a `RowPlan` when elements are rows of in-memory
  arrays (the fast batching path, see `_rows`), and `_inputs()`.

Datasets are re-iterable: each `iter()` starts a new pass.
"""
import numpy as np
import optree

from tensorlite.data import options as _options
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.context import graph_stack, init_scope
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.structures.sparse import SparseTensor, SparseTensorSpec
from tensorlite.util import nest

_NS = "tensorlite"


class DatasetSpec:
    """The type of a dataset-valued element (what `window()` produces)."""

    __slots__ = ("_element_spec", "_dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = as_shape(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def shape(self):
        return self._dataset_shape

    @property
    def dtype(self):
        return _dtypes.variant

    def is_compatible_with(self, other):
        return isinstance(other, (DatasetSpec, Dataset)) and nest.flatten(
            self._element_spec) == nest.flatten(getattr(other, "element_spec", None))

    def __eq__(self, other):
        return (isinstance(other, DatasetSpec) and self._element_spec == other._element_spec
                and self._dataset_shape == other._dataset_shape)

    def __hash__(self):
        return hash((DatasetSpec, tuple(nest.flatten(self._element_spec))))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


# ---- element structures ------------------------------------------------------------------

def _wrapper(spec):
    """How one flat component value becomes what the user sees."""
    if isinstance(spec, TensorSpec):
        dtype = spec.dtype
        return lambda v: EagerTensor(v, dtype)
    return lambda v: v  # a nested dataset


def _components(spec):
    """The flat component specs of one element leaf (a SparseTensor has three)."""
    if isinstance(spec, SparseTensorSpec):
        return list(spec.component_specs)
    return [spec]


def _flatten_leaf(leaf):
    if isinstance(leaf, SparseTensor):
        return [leaf.indices, leaf.values, leaf.dense_shape]
    return [leaf]


def flatten_components(element):
    """An element (tensors, SparseTensors, datasets) as its flat components."""
    leaves = optree.tree_leaves(element, none_is_leaf=True, namespace=_NS)
    return [c for leaf in leaves for c in _flatten_leaf(leaf)]


class Structure:
    """An element structure: its spec, its flat component specs, and flat values ->
    user values. A SparseTensor leaf is three components (indices, values,
    dense_shape); every other leaf is one."""

    __slots__ = ("spec", "flat_specs", "treedef", "_wrappers", "_single", "_sparse")

    def __init__(self, spec):
        self.spec = spec
        self.treedef = optree.tree_structure(spec, none_is_leaf=True, namespace=_NS)
        leaves = optree.tree_leaves(spec, none_is_leaf=True, namespace=_NS)
        self._sparse = any(isinstance(s, SparseTensorSpec) for s in leaves)
        self.flat_specs = [c for s in leaves for c in _components(s)]
        self._wrappers = [_wrapper(s) for s in self.flat_specs]
        self._single = not nest.is_nested(spec) and not self._sparse

    @property
    def num_components(self):
        return len(self.flat_specs)

    def pack(self, flat):
        """A flat element as the user's structure of tensors."""
        if self._single:
            return self._wrappers[0](flat[0])
        return self.unflatten([w(v) for w, v in zip(self._wrappers, flat)])

    def unflatten(self, components):
        """Flat components (tensors, symbolic too) as the element structure, the
        components of each sparse leaf packed into a SparseTensor."""
        if not self._sparse:
            return self.treedef.unflatten(components)
        return self.unflatten_leaves(components, lambda spec, *parts: SparseTensor.
                                     _from_components(*parts, spec.shape))

    def unflatten_leaves(self, components, pack_sparse):
        """Flat components as the element structure, each sparse leaf's components
        packed by `pack_sparse(spec, indices, values, dense_shape)`."""
        leaves, i = [], 0
        for spec in optree.tree_leaves(self.spec, none_is_leaf=True, namespace=_NS):
            if isinstance(spec, SparseTensorSpec):
                leaves.append(pack_sparse(spec, *components[i:i + 3]))
                i += 3
            else:
                leaves.append(components[i])
                i += 1
        return self.treedef.unflatten(leaves)



def eager_tensor(x, dtype=None):
    """`x` as an eager tensor, even while a tf.function is traced (datasets hold values)."""
    if isinstance(x, Tensor) and not isinstance(x, EagerTensor):
        raise NotImplementedError(
            "tf.data datasets are built from eager values; a symbolic tensor "
            f"({x!r}) cannot become part of a dataset: create the dataset outside "
            "the tf.function.")
    with init_scope():
        return convert_to_tensor(x, dtype=dtype)


def _leaf_value(x):
    """A tensor-like leaf as (NumPy value, TensorSpec); lists are tensors, as in TF."""
    if isinstance(x, Dataset):
        return x, DatasetSpec(x.element_spec)
    t = eager_tensor(x)
    return t._value, TensorSpec(t.shape, t.dtype)


class _Leaf:
    __slots__ = ("value", "spec")

    def __init__(self, value, spec):
        self.value, self.spec = value, spec


def _convert_structure(x):
    if optree.is_namedtuple(x):
        return type(x)(*[_convert_structure(v) for v in x])
    if isinstance(x, tuple):
        return tuple(_convert_structure(v) for v in x)
    if isinstance(x, dict):
        return {k: _convert_structure(v) for k, v in x.items()}
    return _Leaf(*_leaf_value(x))


def normalize_element(element):
    """A user's element as (structure spec, flat NumPy values): tuples, dicts and
    namedtuples are structure; every other leaf (lists too) becomes a tensor."""
    converted = _convert_structure(element)
    leaves = optree.tree_leaves(converted, none_is_leaf=True, namespace=_NS)
    spec = optree.tree_map(lambda leaf: leaf.spec, converted, none_is_leaf=True, namespace=_NS)
    return spec, tuple(leaf.value for leaf in leaves)


def spec_of_values(flat_values, structure_like):
    """The element spec of concrete flat values, shaped like `structure_like`."""
    specs = [DatasetSpec(v.element_spec) if isinstance(v, Dataset) else
             TensorSpec(np.shape(v), _dtypes.as_dtype(v.dtype)) for v in flat_values]
    return nest.pack_sequence_as(structure_like, specs)


def most_specific_compatible(a, b):
    """The most specific spec compatible with both TensorSpecs (shapes may differ)."""
    if a.shape.is_compatible_with(b.shape):
        return TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)
    if a.shape.rank == b.shape.rank:
        return TensorSpec([x if x == y else None for x, y in zip(a.shape.as_list(),
                                                                 b.shape.as_list())], a.dtype)
    return TensorSpec(TensorShape(None), a.dtype)


# ---- the dataset -------------------------------------------------------------------------

def _t():
    from tensorlite.data import transformations
    return transformations


def _s():
    from tensorlite.data import sources
    return sources


class Dataset:
    """A sequence of elements, built from sources and transformed by chaining methods.

    >>> dataset = tf.data.Dataset.from_tensor_slices(tf.range(10))
    >>> for batch in dataset.repeat(3).batch(7):
    ...     print(batch)
    """

    _tf_name = None  # the class name TensorFlow's repr shows, when it differs from ours

    # -- subclass protocol -------------------------------------------------------------
    def _compute_element_spec(self):
        raise NotImplementedError

    def _iter_elements(self):
        raise NotImplementedError

    def _compute_cardinality(self):
        return _options.UNKNOWN_CARDINALITY

    def _row_plan(self):
        return None

    def _inputs(self):
        return []

    # -- structure ---------------------------------------------------------------------
    @property
    def element_spec(self):
        """The structure of `tf.TensorSpec`s describing one element."""
        return self._structure.spec

    @property
    def _structure(self):
        structure = self.__dict__.get("_structure_cache")
        if structure is None:
            structure = self.__dict__["_structure_cache"] = Structure(
                self._compute_element_spec())
        return structure

    def _iter_flat(self):
        """One pass of flat elements (the row plan's when there is one)."""
        plan = self._row_plan()
        if plan is not None:
            return plan.rows()
        return self._iter_elements()

    # -- iteration -----------------------------------------------------------------------
    def __iter__(self):
        if graph_stack:
            raise NotImplementedError(
                "Iterating over a tf.data.Dataset while tracing a tf.function is not "
                "supported by tensorlite: iterate over it eagerly (outside the "
                "tf.function), and call the tf.function on each element.")
        return OwnedIterator(self)

    def _as_for_loop(self, body, values, extra_test=None):
        """AutoGraph's `for element in dataset:`: a Python loop eagerly; inside a traced
        function, a graph loop that makes one pass over the data per call."""
        if graph_stack:
            from tensorlite.data.graph_loop import dataset_for_loop
            return dataset_for_loop(self, body, values, extra_test)
        state = tuple(values)
        for element in self:
            if extra_test is not None and not extra_test(*state):
                break
            state = tuple(body(element, *state))
        return state

    def as_numpy_iterator(self):
        """An iterator over the elements as NumPy values (bytes for strings)."""
        return NumpyIterator(self)

    def __bool__(self):
        return True

    def __len__(self):
        n = self._compute_cardinality()
        if n == _options.INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if n == _options.UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return n

    def cardinality(self):
        """The number of elements as an int64 tensor; -1 if infinite, -2 if unknown."""
        return EagerTensor(np.int64(self._compute_cardinality()), _dtypes.int64)

    def __repr__(self):
        return f"<{self._tf_name or type(self).__name__} element_spec={self.element_spec!r}>"

    # -- sources -----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of `tensors` along their first dimension."""
        return _s()._TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element, `tensors`."""
        return _s()._TensorDataset(tensors)

    @staticmethod
    def range(*args, output_type=_dtypes.int64, name=None):
        """`range(stop)`, `range(start, stop[, step])` as a dataset of `output_type` scalars."""
        return _s()._RangeDataset(*args, output_type=output_type)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """A dataset of what `generator(*args)` yields, each element checked against
        `output_signature` (or `output_types` / `output_shapes`)."""
        return _s().from_generator(generator, output_types, output_shapes, args,
                                   output_signature)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The file names matching the glob pattern(s), shuffled unless `shuffle=False`."""
        return _s().list_files(file_pattern, shuffle, seed)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements of several datasets side by side (a tuple or other structure)."""
        if datasets is not None:
            if args:
                raise TypeError("Both `*args` and `datasets` cannot be set.")
            args = (datasets,)
        if not args:
            raise TypeError("Must pass at least one dataset to `zip`.")
        return _s()._ZipDataset(args[0] if len(args) == 1 else args)

    # -- transformations ---------------------------------------------------------------------
    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by `dataset`'s."""
        return _s()._ConcatenateDataset(self, dataset)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to each element (a tuple element is passed unpacked)."""
        return _t()._MapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """The elements for which `predicate` returns True (a scalar tf.bool)."""
        return _t()._FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked into batches of `batch_size` (the last may be
        smaller unless `drop_remainder`)."""
        return _t()._BatchDataset(self, batch_size, drop_remainder, num_parallel_calls)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batches elements of different shapes, padding each component to a common
        shape (`padded_shapes`, by default the largest in the batch)."""
        return _t()._PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                       drop_remainder)

    def unbatch(self, name=None):
        """Splits each element into the slices along its first dimension."""
        return _t()._UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Rebatches the elements of a batched dataset into batches of `batch_size`."""
        return _t()._RebatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Randomly shuffles the elements through a buffer of `buffer_size` elements."""
        return _t()._ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """Repeats the dataset `count` times (None or -1: forever)."""
        return _t()._RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first `count` elements (-1: all)."""
        return _t()._TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (-1: none)."""
        return _t()._SkipDataset(self, count)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element, starting at `index`."""
        return _t()._ShardDataset(self, num_shards, index)

    def prefetch(self, buffer_size, name=None):
        """Prepares elements ahead of use (here: the same elements, in order)."""
        return _t()._PrefetchDataset(self, buffer_size)

    def cache(self, filename="", name=None):
        """Keeps the elements of the first complete pass in memory and replays them."""
        return _t().CacheDataset(self, filename)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Groups elements into windows: each element becomes a (structure of) dataset(s)."""
        return _t()._WindowDataset(self, size, shift, stride, drop_remainder)

    def flat_map(self, map_func, name=None):
        """Maps each element to a dataset and flattens the datasets in order."""
        return _t()._FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """Maps each element to a dataset and interleaves `cycle_length` of them,
        `block_length` consecutive elements from each in turn."""
        return _t()._InterleaveDataset(self, map_func, cycle_length, block_length,
                                      num_parallel_calls)

    def enumerate(self, start=0, name=None):
        """Pairs `(index, element)`, the index an int64 counting from `start`."""
        return Dataset.zip((Dataset.range(start, np.iinfo(np.int64).max), self))

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a dataset."""
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(dataset)}.")
        return dataset

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds the elements into a state: `state = reduce_func(state, element)`."""
        return _t().reduce_dataset(self, initial_state, reduce_func)

    def get_single_element(self, name=None):
        """The only element of the dataset (InvalidArgumentError otherwise)."""
        it = self._iter_flat()
        first = next(it, None)
        if first is None:
            raise errors.op_error(errors.InvalidArgumentError, "DatasetToSingleElement",
                                  "Dataset was empty.")
        if next(it, None) is not None:
            raise errors.op_error(errors.InvalidArgumentError, "DatasetToSingleElement",
                                  "Dataset had more than one element.")
        return self._structure.pack(first)

    def with_options(self, options, name=None):
        """This dataset with `options` (a `tf.data.Options`) set."""
        return _t()._OptionsDataset(self, options)

    def options(self):
        """The options set on this dataset and its inputs."""
        merged = _options.Options()
        for dataset in self._inputs():
            merged = merged.merge(dataset.options())
        own = self.__dict__.get("_own_options")
        return merged.merge(own) if own is not None else merged


class OwnedIterator:
    """An iterator over one pass of a dataset (`iter(dataset)`)."""

    def __init__(self, dataset):
        self._structure = dataset._structure
        self._flat = dataset._iter_flat()

    @property
    def element_spec(self):
        return self._structure.spec

    def __iter__(self):
        return self

    def __next__(self):
        return self._structure.pack(next(self._flat))

    def get_next(self):
        """The next element; OutOfRangeError at the end."""
        try:
            return next(self)
        except StopIteration:
            raise errors.op_error(errors.OutOfRangeError, "IteratorGetNext",
                                  "End of sequence") from None


def _to_numpy(value):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def _dense_numpy(spec, indices, values, dense_shape):
    """A sparse element's components as a dense array (what TF's as_numpy_iterator gives)."""
    fill = b"" if values.dtype == object else 0
    dense = np.full(tuple(dense_shape), fill, dtype=values.dtype)
    dense[tuple(np.asarray(indices).T)] = values
    return dense


class NumpyIterator:
    """An iterator over a dataset's elements as NumPy values (`as_numpy_iterator()`)."""

    def __init__(self, dataset):
        self._structure = dataset._structure
        self._flat = dataset._iter_flat()

    def __iter__(self):
        return self

    def __next__(self):
        flat = [v if isinstance(v, Dataset) else _to_numpy(v) for v in next(self._flat)]
        if len(flat) == 1 and not nest.is_nested(self._structure.spec):
            return flat[0]
        return self._structure.unflatten_leaves(flat, _dense_numpy)

    def __repr__(self):
        return f"NumpyIterator(iterator={object.__repr__(self)})"
