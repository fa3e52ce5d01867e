"""Datasets that produce elements: from tensors, ranges, generators, file lists, and
the combinations of datasets (zip, concatenate)."""
import glob
import itertools

import numpy as np
import optree

from tensorlite.data import _rows
from tensorlite.data import options as _options
from tensorlite.data.dataset import (Dataset, eager_tensor, most_specific_compatible,
                                     normalize_element)
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape, as_shape
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.util import nest

_NS = "tensorlite"
_INFINITE, _UNKNOWN = _options.INFINITE_CARDINALITY, _options.UNKNOWN_CARDINALITY


class _TensorSliceDataset(Dataset):
    """The slices of tensors along their first dimension (`from_tensor_slices`)."""

    def __init__(self, tensors):
        spec, values = normalize_element(tensors)
        arrays, n = [], None
        for value in values:
            if isinstance(value, Dataset):
                raise TypeError("`from_tensor_slices` does not slice datasets.")
            array = np.asarray(value)
            if array.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if n is None:
                n = array.shape[0]
            elif array.shape[0] != n:
                raise ValueError(f"Dimensions {n} and {array.shape[0]} are not compatible")
            arrays.append(array)
        self._arrays = arrays
        self._n = n or 0
        self._spec = optree.tree_map(lambda s: TensorSpec(s.shape[1:], s.dtype), spec,
                                     none_is_leaf=True, namespace=_NS)

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return self._n

    def _row_plan(self):
        n = self._n
        return _rows.RowPlan(self._arrays, lambda: iter((range(n),)))


class _TensorDataset(Dataset):
    """A single element (`from_tensors`)."""

    def __init__(self, tensors):
        self._spec, self._values = normalize_element(tensors)

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return 1

    def _iter_elements(self):
        yield self._values


def _as_int(x, what):
    if isinstance(x, Tensor):
        x = x.numpy()
    try:
        return int(x)
    except (TypeError, ValueError):
        raise TypeError(f"`range` expects integer {what}s, got {x!r}") from None


class _RangeDataset(Dataset):
    """`range(start, stop, step)` as scalars of `output_type` (`Dataset.range`)."""

    def __init__(self, *args, output_type=_dtypes.int64):
        if not 1 <= len(args) <= 3:
            raise ValueError("Invalid `args`. The length of `args` should be between 1 and 3 "
                             f"but was {len(args)}.")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args + (1,) if len(args) == 2 else args)
        start, stop, step = (_as_int(v, n) for v, n in ((start, "start"), (stop, "stop"),
                                                        (step, "step")))
        if step == 0:
            raise errors.op_error(errors.InvalidArgumentError, "RangeDataset",
                                  "step must be a non-zero integer.")
        self._range = range(start, stop, step)
        self._dtype = _dtypes.as_dtype(output_type)

    def _compute_element_spec(self):
        return TensorSpec([], self._dtype)

    def _compute_cardinality(self):
        return len(self._range)

    def _row_plan(self):
        r = self._range
        values = _rows.Arange(r.start, r.step, self._dtype.as_numpy_dtype)
        return _rows.RowPlan([values], lambda: iter((range(len(r)),)))


class _VariantDataset(Dataset):
    """A dataset over a list of flat elements (a window of `window()`)."""

    def __init__(self, elements, spec):
        self._elements = elements
        self._spec = spec

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        return len(self._elements)

    def _iter_elements(self):
        return iter(self._elements)


# ---- from_generator ----------------------------------------------------------------------

def _generator_spec(output_types, output_shapes, output_signature):
    if output_signature is not None:
        if output_types is not None:
            raise TypeError("The `output_types` argument can not be used together with the "
                            "`output_signature` argument.")
        if output_shapes is not None:
            raise TypeError("The `output_shapes` argument can not be used together with the "
                            "`output_signature` argument.")
        for spec in nest.flatten(output_signature):
            if not isinstance(spec, TensorSpec):
                raise TypeError("`output_signature` must contain objects that are subclass of "
                                f"`tf.TypeSpec` but found {type(spec)} which is not.")
        return output_signature
    if output_types is None:
        raise TypeError("To specify the output signature you need to provide either the "
                        "`output_signature` argument or the `output_types` argument.")
    treedef = optree.tree_structure(output_types, none_is_leaf=True, namespace=_NS)
    types = treedef.flatten_up_to(output_types)
    shapes = ([None] * len(types) if output_shapes is None else
              treedef.flatten_up_to(output_shapes))
    return treedef.unflatten([TensorSpec(TensorShape(None) if s is None else as_shape(s), t)
                              for t, s in zip(types, shapes)])


def _generator_error(message):
    return errors.op_error(errors.InvalidArgumentError, "IteratorGetNext",
                           f"TypeError: `generator` {message}")


class _GeneratorDataset(Dataset):
    """The elements a Python generator yields (`from_generator`); TF shows it as the
    flat_map it builds."""

    _tf_name = "_FlatMapDataset"

    def __init__(self, generator, spec, args):
        self._generator = generator
        self._spec = spec
        self._args = args
        self._treedef = optree.tree_structure(spec, none_is_leaf=True, namespace=_NS)
        self._flat_specs = self._treedef.flatten_up_to(spec)

    def _compute_element_spec(self):
        return self._spec

    def _check(self, value):
        try:
            leaves = self._treedef.flatten_up_to(value)
            tensors = [convert_to_tensor(v, dtype=s.dtype) for v, s in
                       zip(leaves, self._flat_specs)]
        except (TypeError, ValueError):
            types = self._treedef.unflatten([s.dtype for s in self._flat_specs])
            raise _generator_error(
                "yielded an element that did not match the expected structure. The expected "
                f"structure was {types!r}, but the yielded element was {value!r}.") from None
        for t, s in zip(tensors, self._flat_specs):
            if not s.shape.is_compatible_with(t.shape):
                raise _generator_error(
                    f"yielded an element of shape {tuple(t.shape.as_list())} where an element "
                    f"of shape {tuple(s.shape.as_list())} was expected.")
        return tuple([t._value for t in tensors])

    def _iter_elements(self):
        for value in self._generator(*self._args):
            yield self._check(value)


def _generator_arg(x):
    return eager_tensor(x).numpy()


def from_generator(generator, output_types, output_shapes, args, output_signature):
    if not callable(generator):
        raise TypeError("`generator` must be a Python callable.")
    spec = _generator_spec(output_types, output_shapes, output_signature)
    args = () if args is None else tuple(_generator_arg(a) for a in args)
    return _GeneratorDataset(generator, spec, args)


# ---- list_files ---------------------------------------------------------------------------

def _patterns(file_pattern):
    if isinstance(file_pattern, Tensor):
        file_pattern = file_pattern.numpy()
    values = np.asarray(file_pattern, dtype=object).reshape(-1).tolist()
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def list_files(file_pattern, shuffle=None, seed=None):
    patterns = _patterns(file_pattern)
    files = sorted(path for pattern in patterns for path in glob.glob(pattern))
    if not files:
        raise errors.InvalidArgumentError(
            None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
            f"Summarized data: b'No files matched pattern: {', '.join(patterns)}'")
    dataset = _TensorSliceDataset(np.array([f.encode() for f in files], dtype=object))
    if shuffle is None or shuffle:
        dataset = dataset.shuffle(len(files), seed=seed)
    return dataset


# ---- zip and concatenate -------------------------------------------------------------------

class _ZipDataset(Dataset):
    """Elements of several datasets side by side, in the structure they were given."""

    def __init__(self, datasets):
        self._structure_of_datasets = datasets
        self._datasets = optree.tree_leaves(datasets, none_is_leaf=True, namespace=_NS)
        for d in self._datasets:
            if not isinstance(d, Dataset):
                raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) "
                                "structures of `tf.data.Dataset` objects but encountered "
                                f"object of type {type(d)}.")

    def _inputs(self):
        return list(self._datasets)

    def _compute_element_spec(self):
        return optree.tree_map(lambda d: d.element_spec, self._structure_of_datasets,
                               none_is_leaf=True, namespace=_NS)

    def _compute_cardinality(self):
        counts = [d._compute_cardinality() for d in self._datasets]
        if _UNKNOWN in counts:
            return _UNKNOWN
        finite = [c for c in counts if c != _INFINITE]
        return min(finite) if finite else _INFINITE

    def _iter_elements(self):
        iterators = [d._iter_flat() for d in self._datasets]
        if len(iterators) == 1:
            yield from iterators[0]
            return
        while True:
            flat = ()
            for it in iterators:
                part = next(it, None)
                if part is None:
                    return
                flat += part
            yield flat


def _concatenated_spec(a, b):
    message = f"Incompatible dataset elements:\n  {a!r} vs.   {b!r}"
    try:
        nest.assert_same_structure(a, b)
    except (ValueError, TypeError):
        raise TypeError(message) from None

    def merge(x, y):
        if not (isinstance(x, TensorSpec) and isinstance(y, TensorSpec)) or x.dtype != y.dtype:
            if x == y:
                return x
            raise TypeError(message)
        return most_specific_compatible(x, y)
    return optree.tree_map(merge, a, b, none_is_leaf=True, namespace=_NS)


class _ConcatenateDataset(Dataset):
    """The elements of one dataset, then those of another."""

    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"`dataset` must be a `tf.data.Dataset`, got {type(second)}.")
        self._first, self._second = first, second
        self._spec = _concatenated_spec(first.element_spec, second.element_spec)

    def _inputs(self):
        return [self._first, self._second]

    def _compute_element_spec(self):
        return self._spec

    def _compute_cardinality(self):
        a, b = self._first._compute_cardinality(), self._second._compute_cardinality()
        if _INFINITE in (a, b):
            return _INFINITE
        if _UNKNOWN in (a, b):
            return _UNKNOWN
        return a + b

    def _iter_elements(self):
        return itertools.chain(self._first._iter_flat(), self._second._iter_flat())
