"""`tf.RaggedTensor`: rows of different lengths, stored as flat values plus row splits.

A ragged tensor of ragged rank k holds `values` (a Tensor, or a RaggedTensor of
ragged rank k - 1) and `row_splits` (int64): row i is
``values[row_splits[i]:row_splits[i + 1]]``. Everything is written with public
tensor ops, so gradients flow from the flat values through `to_tensor`,
indexing and concatenation.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape

_int64 = _dtypes.int64


def _array_ops():
    from tensorlite.ops import array
    return array


def _to_splits(x, name="row_splits"):
    t = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype_hint=_int64)
    if t.dtype is not _int64:
        if not t.dtype.is_integer:
            raise TypeError(f"{name} must be an integer tensor, got {t.dtype.name}")
        from tensorlite.ops import math
        t = math.cast(t, _int64)
    return t


def _host(t):
    """A tensor's value as an ndarray (ragged bookkeeping is host-side, as in TF eager)."""
    return np.asarray(t)


def _check(condition, message):
    if not condition:
        raise errors.InvalidArgumentError(None, None, message)


class RaggedTensor:
    """A tensor whose rows may have different lengths (`tf.RaggedTensor`).

    >>> tf.ragged.constant([[65, 66], [], [67]])
    <tf.RaggedTensor [[65, 66], [], [67]]>
    """

    # Arithmetic with a ndarray on the left must come here, not to NumPy.
    __array_priority__ = 200
    _is_ragged = True  # tf.concat hands ragged inputs to ragged.concat

    def __init__(self, values, row_splits, internal=False, uniform_row_length=None):
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the "
                             "factory methods instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_splits
        # Rows known to share one length make that dimension static in `shape`.
        self._uniform_row_length = uniform_row_length

    # ---- factories -------------------------------------------------------------------

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``."""
        values = _as_values(values)
        splits = _to_splits(row_splits)
        if validate:
            s = _host(splits)
            _check(s.ndim == 1 and s.size >= 1, "row_splits must be a non-empty vector")
            _check(s[0] == 0, "Arguments to from_row_splits do not form a valid RaggedTensor:"
                              "zero")
            _check(np.all(s[1:] >= s[:-1]), "Arguments to from_row_splits do not form a "
                                            "valid RaggedTensor:monotonic")
            _check(s[-1] == _nrows_of(values), "Arguments to from_row_splits do not form a "
                                               "valid RaggedTensor:nvals")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        """Rows of the given lengths, taken in order from `values`."""
        lengths = _host(_to_splits(row_lengths, "row_lengths"))
        if validate:
            _check(np.all(lengths >= 0), "Arguments to from_row_lengths do not form a valid "
                                         "RaggedTensor:negative lengths")
        splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Value k goes to row ``value_rowids[k]`` (sorted); `nrows` allows empty last rows."""
        rowids = _host(_to_splits(value_rowids, "value_rowids"))
        if nrows is not None:
            n = int(_host(nrows))
        else:
            n = int(rowids[-1]) + 1 if rowids.size else 0
        if validate:
            _check(np.all(rowids[1:] >= rowids[:-1]), "Arguments to from_value_rowids do not "
                                                      "form a valid RaggedTensor:monotonic")
            _check(not rowids.size or (rowids[0] >= 0 and rowids[-1] < n),
                   "Arguments to from_value_rowids do not form a valid RaggedTensor:bounds")
        lengths = np.bincount(rowids, minlength=n).astype(np.int64)
        return cls.from_row_lengths(values, lengths, validate=validate)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True,
                                name=None):
        """Rows of `uniform_row_length` values each (a static dimension of the shape)."""
        values = _as_values(values)
        width = int(_host(uniform_row_length))
        n_values = _nrows_of(values)
        if nrows is None:
            nrows = n_values // width if width else 0
        nrows = int(_host(nrows))
        if validate:
            _check(nrows * width == n_values, "Arguments to from_uniform_row_length do not "
                                              "form a valid RaggedTensor")
        splits = convert_to_tensor(np.arange(nrows + 1, dtype=np.int64) * width)
        return cls(values, splits, internal=True, uniform_row_length=width)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        """Ragged rank ``len(nested_row_splits)``, outermost splits first."""
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None):
        """Each row of a dense tensor, cut to `lengths` or before trailing `padding`."""
        t = convert_to_tensor(tensor)
        if t.shape.rank is None or t.shape.rank < 2:
            raise ValueError("tensor must have rank at least 2")
        if ragged_rank != 1:
            raise ValueError("from_tensor supports ragged_rank=1")
        dense = _host(t)
        nrows, width = dense.shape[0], dense.shape[1]
        if lengths is not None:
            row_lengths = _host(_to_splits(lengths, "lengths")).astype(np.int64)
        elif padding is not None:
            pad = _host(convert_to_tensor(padding, dtype=t.dtype))
            is_pad = np.all((dense == pad).reshape(nrows, width, -1), axis=2)
            keep = ~np.logical_and.accumulate(is_pad[:, ::-1], axis=1)[:, ::-1]
            row_lengths = keep.sum(axis=1).astype(np.int64)
        else:
            row_lengths = np.full(nrows, width, dtype=np.int64)
        index = np.concatenate([np.arange(n) + i * width for i, n in enumerate(row_lengths)]
                               ).astype(np.int64) if nrows else np.zeros(0, np.int64)
        array = _array_ops()
        flat = array.reshape(t, [-1] + t.shape.as_list()[2:])
        return cls.from_row_lengths(array.gather(flat, index), row_lengths)

    @classmethod
    def from_sparse(cls, st_input, name=None):
        """A right-ragged 2-D SparseTensor (each row's columns are 0, 1, ...) as ragged."""
        indices = _host(st_input.indices)
        shape = _host(st_input.dense_shape)
        if indices.ndim != 2 or indices.shape[1] != 2:
            raise ValueError("rank(st_input) must be 2.")
        rows = indices[:, 0]
        starts = np.r_[True, rows[1:] != rows[:-1]] if rows.size else np.zeros(0, bool)
        expected_cols = np.arange(rows.size) - np.maximum.accumulate(
            np.where(starts, np.arange(rows.size), 0)) if rows.size else rows
        _check(np.array_equal(indices[:, 1], expected_cols) and
               np.all(rows[1:] >= rows[:-1]), "SparseTensor is not right-ragged")
        return cls.from_value_rowids(st_input.values, rows, nrows=shape[0])

    # ---- structure -------------------------------------------------------------------

    @property
    def values(self):
        """The concatenated rows (a Tensor, or a RaggedTensor for ragged rank > 1)."""
        return self._values

    @property
    def row_splits(self):
        return self._row_splits

    @property
    def flat_values(self):
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def nested_row_splits(self):
        out, v = [self._row_splits], self._values
        while isinstance(v, RaggedTensor):
            out.append(v._row_splits)
            v = v._values
        return tuple(out)

    @property
    def ragged_rank(self):
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self):
        return _int64

    @property
    def shape(self):
        """[nrows, None (ragged), ..., inner dims]."""
        n = self._row_splits.shape[0]
        values_shape = self._values.shape
        inner = values_shape.as_list()[1:] if values_shape.rank is not None else []
        return TensorShape([None if n is None else n - 1, self._uniform_row_length] + inner)

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self.shape.rank

    def nrows(self, out_type=_int64, name=None):
        return convert_to_tensor(np.asarray(len(_host(self._row_splits)) - 1,
                                            dtype=_dtypes.as_dtype(out_type)._np))

    def row_lengths(self, axis=1, name=None):
        """The length of each row (int64)."""
        if axis != 1:
            return self.with_values(self._values.row_lengths(axis - 1))
        s = _host(self._row_splits)
        return convert_to_tensor(s[1:] - s[:-1])

    def row_starts(self, name=None):
        return convert_to_tensor(_host(self._row_splits)[:-1])

    def row_limits(self, name=None):
        return convert_to_tensor(_host(self._row_splits)[1:])

    def value_rowids(self, name=None):
        s = _host(self._row_splits)
        return convert_to_tensor(np.repeat(np.arange(len(s) - 1, dtype=np.int64), np.diff(s)))

    def with_values(self, new_values):
        """The same row partition over `new_values`."""
        return RaggedTensor(_as_values(new_values), self._row_splits, internal=True,
                            uniform_row_length=self._uniform_row_length)

    def with_flat_values(self, new_values):
        """The same nested row partitions over new flat values."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def bounding_shape(self, axis=None, name=None, out_type=None):
        """The smallest dense shape holding every row (int64)."""
        splits = _host(self._row_splits)
        widest = int(np.diff(splits).max()) if len(splits) > 1 else 0
        if isinstance(self._values, RaggedTensor):
            inner = _host(self._values.bounding_shape())[1:].tolist()
        else:
            inner = list(np.shape(_host(self._values))[1:])
        dims = np.array([len(splits) - 1, widest] + inner, dtype=np.int64)
        if axis is not None:
            dims = dims[axis]
        out = convert_to_tensor(dims)
        if out_type is not None:
            from tensorlite.ops import math
            out = math.cast(out, out_type)
        return out

    def merge_dims(self, outer_axis, inner_axis):
        """Merges dimensions `outer_axis` through `inner_axis` into one.

        Merging every dimension gives a dense vector.
        """
        rank = self.shape.rank
        outer, inner = outer_axis % rank, inner_axis % rank
        if outer > inner:
            raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to "
                             f"inner_axis ({inner_axis})")
        if outer == inner:
            return self
        if outer == 0:
            result = self
            for _ in range(inner):
                result = _merge_first_two(result)
            return result
        if outer == 1:
            splits, values = _host(self._row_splits), self._values
            for _ in range(inner - outer):
                splits, values = _merge_under_splits(values, splits)
            return RaggedTensor.from_row_splits(values, splits, validate=False)
        return self.with_values(_merge_dims_of(self._values, outer - 1, inner - 1))

    # ---- conversion ------------------------------------------------------------------

    def to_tensor(self, default_value=None, name=None, shape=None):
        """A dense tensor, rows padded with `default_value` (zero by default).

        `shape` crops or pads each dimension to a given size (None keeps it).
        """
        array = _array_ops()
        inner = self._values.to_tensor(default_value) if isinstance(
            self._values, RaggedTensor) else self._values
        dtype = inner.dtype
        splits = _host(self._row_splits)
        lengths = np.diff(splits)
        nrows = len(lengths)
        width = int(lengths.max()) if nrows else 0
        if shape is not None:
            target = list(TensorShape(shape).as_list())
            nrows = target[0] if target[0] is not None else nrows
            width = target[1] if target[1] is not None else width
        # Gather each padded slot from the values, with the padding row appended last.
        n_values = int(splits[-1])
        cols = np.arange(width)
        slot = np.full((nrows, width), n_values, dtype=np.int64)
        for i in range(min(nrows, len(lengths))):
            keep = cols < lengths[i]
            slot[i, keep] = splits[i] + cols[keep]
        inner_dims = inner.shape.as_list()[1:]
        if default_value is None:
            pad = array.zeros([1] + inner_dims, dtype) if dtype is not _dtypes.string else \
                convert_to_tensor(np.full([1] + inner_dims, b"", dtype=object))
        else:
            pad = array.broadcast_to(array.reshape(convert_to_tensor(default_value, dtype=dtype),
                                                   [1] * (len(inner_dims) + 1)),
                                     [1] + inner_dims)
        source = array.concat([inner, pad], axis=0)
        return array.gather(source, slot)

    def to_list(self):
        """The rows as nested Python lists."""
        splits = _host(self._row_splits)
        values = self._values.to_list() if isinstance(self._values, RaggedTensor) \
            else _host(self._values).tolist()
        return [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]

    def numpy(self):
        """An object array of rows (a regular array when all rows have one length)."""
        values = self._values.numpy() if isinstance(self._values, RaggedTensor) \
            else _host(self._values)
        splits = _host(self._row_splits)
        rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if all(len(r) == len(rows[0]) for r in rows):
            return np.stack(rows)  # rows of arrays stay an object array of arrays
        out = np.empty(len(rows), dtype=object)
        for i, r in enumerate(rows):
            out[i] = r
        return out

    def to_sparse(self, name=None):
        """A SparseTensor with one entry per value (ragged rank 1)."""
        from tensorlite.structures.sparse import SparseTensor
        if isinstance(self._values, RaggedTensor):
            raise ValueError("to_sparse supports ragged_rank=1")
        splits = _host(self._row_splits)
        rows = _host(self.value_rowids())
        cols = np.arange(rows.size, dtype=np.int64) - splits[rows]
        width = int(np.diff(splits).max()) if len(splits) > 1 else 0
        inner = self._values.shape.as_list()[1:]
        return SparseTensor(np.stack([rows, cols], axis=1).reshape(-1, 2), self._values,
                            [len(splits) - 1, width] + inner)

    # ---- indexing --------------------------------------------------------------------

    def __getitem__(self, key):
        """`r[i]` is row i (a Tensor, or RaggedTensor for ragged rank > 1);
        `r[i:j]` is a RaggedTensor; `r[i, j]` indexes within row i."""
        if isinstance(key, tuple):
            if not key:
                return self
            head, rest = key[0], key[1:]
            if isinstance(head, slice):
                if head == slice(None) and rest:
                    raise ValueError("Cannot index into an inner ragged dimension.")
                return self[head][(slice(None),) + rest] if rest else self[head]
            row = self[head]
            return row[rest] if rest else row
        if isinstance(key, slice):
            return self._slice_rows(key)
        if key is Ellipsis:
            return self
        i = int(key)
        splits = _host(self._row_splits)
        n = len(splits) - 1
        if not -n <= i < n:
            raise IndexError(f"Row key {i} out of bounds")
        i %= n
        return self._values[int(splits[i]):int(splits[i + 1])]

    def _slice_rows(self, key):
        splits = _host(self._row_splits)
        rows = np.arange(len(splits) - 1)[key]
        if key.step in (None, 1):
            start, stop = (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)
            lo, hi = int(splits[start]), int(splits[stop])
            new_splits = splits[start:stop + 1] - lo if rows.size else np.zeros(1, np.int64)
            return RaggedTensor(self._values[lo:hi], convert_to_tensor(new_splits),
                                internal=True)
        return _take_rows(self, rows)

    def __iter__(self):
        for i in range(len(_host(self._row_splits)) - 1):
            yield self[i]

    # ---- text ------------------------------------------------------------------------

    def __repr__(self):
        if not _is_eager(self):
            return (f"tf.RaggedTensor(values={self._values}, "
                    f"row_splits={self._row_splits})")
        with np.printoptions(formatter={"all": _format}):
            text = _format(self.numpy())
        return f"<tf.RaggedTensor {text}>"

    __str__ = __repr__

    # ---- elementwise arithmetic (same row partition) ---------------------------------

    def _binary(self, other, fn, reverse=False):
        if isinstance(other, RaggedTensor):
            if not np.array_equal(_host(self._row_splits), _host(other._row_splits)):
                raise errors.InvalidArgumentError(None, None,
                                                  "Inputs must have identical ragged splits")
            other_values = other.flat_values
        else:
            other_t = convert_to_tensor(other, dtype_hint=self.dtype)
            if other_t.shape.rank:
                raise ValueError("A RaggedTensor combines elementwise with a scalar or a "
                                 "RaggedTensor of the same row partition")
            other_values = other_t
        a, b = (other_values, self.flat_values) if reverse else (self.flat_values, other_values)
        return self.with_flat_values(fn(a, b))

    def __add__(self, other):
        return self._binary(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._binary(other, lambda a, b: a + b, reverse=True)

    def __sub__(self, other):
        return self._binary(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._binary(other, lambda a, b: a - b, reverse=True)

    def __mul__(self, other):
        return self._binary(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self._binary(other, lambda a, b: a * b, reverse=True)

    def __truediv__(self, other):
        return self._binary(other, lambda a, b: a / b)

    def __neg__(self):
        return self.with_flat_values(-self.flat_values)


# ---- helpers ---------------------------------------------------------------------------

def _as_values(values):
    return values if isinstance(values, (RaggedTensor, Tensor)) else convert_to_tensor(values)


def _nrows_of(values):
    if isinstance(values, RaggedTensor):
        return len(_host(values._row_splits)) - 1
    return values.shape[0]


def _merge_first_two(x):
    """`x` with its two outermost dimensions merged (a ragged tensor's values)."""
    if isinstance(x, RaggedTensor):
        return x.values
    dims = x.shape.as_list()
    return _array_ops().reshape(x, [-1] + dims[2:])


def _merge_under_splits(values, splits):
    """Merges the two outer dimensions of `values`, carrying the outer `splits` along."""
    if isinstance(values, RaggedTensor):
        return _host(values.row_splits)[splits], values.values
    width = values.shape.as_list()[1]
    return splits * width, _merge_first_two(values)


def _merge_dims_of(x, outer, inner):
    if isinstance(x, RaggedTensor):
        return x.merge_dims(outer, inner)
    dims = x.shape.as_list()
    return _array_ops().reshape(x, dims[:outer] + [-1] + dims[inner + 1:])


def _gather_values(values, index):
    if isinstance(values, RaggedTensor):
        splits = _host(values._row_splits)
        inner = np.concatenate([np.arange(splits[r], splits[r + 1]) for r in index]
                               ).astype(np.int64) if index.size else np.zeros(0, np.int64)
        return RaggedTensor.from_row_lengths(_gather_values(values._values, inner),
                                             np.diff(splits)[index])
    return _array_ops().gather(values, index)


def _is_eager(rt):
    return isinstance(rt.flat_values, EagerTensor) and all(
        isinstance(s, EagerTensor) for s in rt.nested_row_splits)


def _format(x):
    """A (possibly object) array as TensorFlow prints ragged values: `[[1, 2], [3]]`."""
    if isinstance(x, np.ndarray):
        if x.size:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())
    return str(x)


def from_nested_row_splits_of_shape(flat_values, splits, shape):
    """Values split into ragged rows, one row per element of a dense `shape` (rank >= 1):
    the dense dimensions become uniform outer row partitions."""
    result = RaggedTensor.from_row_splits(flat_values, splits, validate=False)
    dims = shape.as_list()
    for d in reversed(dims[1:]):
        n = _nrows_of(result)
        result = RaggedTensor.from_row_splits(
            result, np.arange(0, n + 1, d, dtype=np.int64), validate=False)
    return result


# ---- tf.ragged -------------------------------------------------------------------------

def _depth(pylist):
    """The nesting depth of the scalars of a (possibly ragged) Python list; with no scalar,
    one more than the deepest empty list."""
    scalar_depths, empty_depth = set(), 0

    def walk(x, d):
        nonlocal empty_depth
        if isinstance(x, (list, tuple)):
            if not x:
                empty_depth = max(empty_depth, d + 1)
            for y in x:
                walk(y, d + 1)
        else:
            scalar_depths.add(d)
    walk(pylist, 0)
    if len(scalar_depths) > 1 or (scalar_depths and empty_depth > min(scalar_depths)):
        raise ValueError("all scalar values must have the same nesting depth")
    return scalar_depths.pop() if scalar_depths else empty_depth


def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
             row_splits_dtype=_int64):
    """A RaggedTensor from a nested Python list whose rows may differ in length.

    >>> tf.ragged.constant([[1, 2], [], [3]])
    <tf.RaggedTensor [[1, 2], [], [3]]>
    """
    if isinstance(pylist, np.ndarray):
        pylist = pylist.tolist()
    if not isinstance(pylist, (list, tuple)):
        raise ValueError("ragged.constant requires a list (not a scalar)")
    inner_rank = len(inner_shape) if inner_shape else 0
    depth = max(_depth(pylist), 1 + (ragged_rank or 0) + inner_rank)
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - inner_rank, 0)
    if ragged_rank == 0:
        return convert_to_tensor(pylist, dtype=dtype if dtype is not None else
                                 (_dtypes.float32 if not pylist else None))
    nested_splits = []
    level = list(pylist)
    for _ in range(ragged_rank):
        lengths = [len(x) for x in level]
        nested_splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
        level = [y for x in level for y in x]
    inner_dims = depth - 1 - ragged_rank
    if level:
        flat = convert_to_tensor(level, dtype=dtype)
    else:
        shape = [0] + (list(inner_shape) if inner_shape else [0] * inner_dims)
        flat = convert_to_tensor(np.zeros(shape, dtype=(_dtypes.as_dtype(dtype) if dtype
                                                        else _dtypes.float32)._np))
    return RaggedTensor.from_nested_row_splits(flat, nested_splits, validate=False)


def concat(values, axis):
    """`tf.concat` on ragged inputs: axis 0 stacks rows, axis 1 appends row to row,
    deeper axes join the rows' values (the inputs' rows must then match in length)."""
    values = [v if isinstance(v, RaggedTensor) else
              RaggedTensor.from_tensor(convert_to_tensor(v)) for v in values]
    rank = values[0].shape.rank
    if not -rank <= int(axis) < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis = int(axis) % rank
    if axis == 0:
        return _concat_rows(values)
    if axis == 1:
        return _concat_within_rows(values)
    splits = _host(values[0].row_splits)
    for i, v in enumerate(values[1:], 1):
        if not np.array_equal(_host(v.row_splits), splits):
            raise errors.InvalidArgumentError(
                None, None, f"Input tensors at index 0 (=x) and {i} (=y) have incompatible "
                            f"shapes.")
    return values[0].with_values(_array_ops().concat([v.values for v in values], axis - 1))


def _concat_rows(values):
    array = _array_ops()
    splits, offset = [np.zeros(1, np.int64)], 0
    for v in values:
        s = _host(v.row_splits)
        splits.append(s[1:] + offset)
        offset += int(s[-1])
    inner = [v.values for v in values]
    joined = concat(inner, 0) if isinstance(inner[0], RaggedTensor) else \
        array.concat(inner, axis=0)
    return RaggedTensor.from_row_splits(joined, np.concatenate(splits), validate=False)


def _concat_within_rows(values):
    nrows = [len(_host(v.row_splits)) - 1 for v in values]
    for i, n in enumerate(nrows[1:], 1):
        if n != nrows[0]:
            raise errors.InvalidArgumentError(
                None, None, f"Input tensors at index 0 (=x) and {i} (=y) have incompatible "
                            f"shapes.")
    # Stack all rows (input-major) then pick them row-major: row i of each input in turn.
    stacked = _concat_rows(values)
    n = nrows[0]
    order = np.arange(n * len(values)).reshape(len(values), n).T.reshape(-1)
    picked = _take_rows(stacked, order)
    lengths = np.diff(_host(picked.row_splits)).reshape(n, len(values)).sum(axis=1)
    return RaggedTensor.from_row_lengths(picked.values, lengths, validate=False)


def _take_rows(rt, rows):
    splits = _host(rt.row_splits)
    index = np.concatenate([np.arange(splits[r], splits[r + 1]) for r in rows]
                           ).astype(np.int64) if rows.size else np.zeros(0, np.int64)
    return RaggedTensor.from_row_lengths(_gather_values(rt.values, index),
                                         np.diff(splits)[rows], validate=False)


def map_flat_values(op, *args, **kwargs):
    """Applies `op` to the flat values of the ragged arguments (same row partitions)."""
    partition = None

    def flat(x):
        nonlocal partition
        if isinstance(x, RaggedTensor):
            partition = partition or x
            return x.flat_values
        return x
    new_args = [flat(a) for a in args]
    new_kwargs = {k: flat(v) for k, v in kwargs.items()}
    if partition is None:
        return op(*args, **kwargs)
    return partition.with_flat_values(op(*new_args, **new_kwargs))


def stack(values, axis=0, name=None):
    """Stacks ragged (or dense) tensors of the same rank along a new axis 0."""
    if axis != 0:
        raise ValueError("ragged.stack supports axis=0")
    values = [v if isinstance(v, RaggedTensor) else RaggedTensor.from_tensor(v)
              for v in values]
    joined = _concat_rows(values)
    counts = [len(_host(v.row_splits)) - 1 for v in values]
    return RaggedTensor.from_row_lengths(joined, counts, validate=False)


def _range_shape(starts, limits, deltas):
    return [(_int64, TensorShape([None])), (starts.dtype, TensorShape([None]))]


@op("RaggedRange", shape=_range_shape, num_outputs=2, differentiable=False)
def _ragged_range(starts, limits, deltas):
    starts, limits, deltas = np.broadcast_arrays(starts, limits, deltas)
    if np.any(deltas == 0):
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0 [Op:RaggedRange]")
    rows = [np.arange(a, b, d, dtype=starts.dtype) for a, b, d in
            zip(starts.reshape(-1), limits.reshape(-1), deltas.reshape(-1))]
    splits = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    values = np.concatenate(rows) if rows else np.zeros(0, starts.dtype)
    return splits, values.astype(starts.dtype)


def ragged_range(starts, limits=None, deltas=1, dtype=None, name=None,
                 row_splits_dtype=_int64):
    """One `tf.range(start, limit, delta)` row per element (`starts` alone are the limits).

    >>> tf.ragged.range([3, 1, 0])
    <tf.RaggedTensor [[0, 1, 2], [0], []]>
    """
    if limits is None:
        starts, limits = 0, starts
    args = [convert_to_tensor(x, dtype=dtype) if not isinstance(x, Tensor) else x
            for x in (starts, limits, deltas)]
    dtype = next((a.dtype for a in args if isinstance(a, Tensor) and a.shape.rank), args[0].dtype)
    args = [a if a.dtype is dtype else convert_to_tensor(np.asarray(a).astype(dtype._np))
            for a in args]
    splits, values = execute(_ragged_range, tuple(args), name=name)
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def boolean_mask(data, mask, name=None):
    """Keeps the entries of `data` where `mask` is True, row by row (a RaggedTensor
    when `mask` has rank 2 or is ragged; a dense tensor for a vector mask)."""
    array = _array_ops()
    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor) or mask.ragged_rank != 1:
            raise ValueError("a ragged mask needs ragged data of the same row partition")
        keep = _host(mask.values).astype(bool)
        splits = _host(mask.row_splits)
        lengths = [int(keep[a:b].sum()) for a, b in zip(splits[:-1], splits[1:])]
        return RaggedTensor.from_row_lengths(array.boolean_mask(data.values, keep), lengths)
    m = convert_to_tensor(mask)
    if m.shape.rank == 1:
        return array.boolean_mask(data, m)
    keep = _host(m).astype(bool)
    flat = array.reshape(data, [-1] + convert_to_tensor(data).shape.as_list()[2:])
    return RaggedTensor.from_row_lengths(array.boolean_mask(flat, keep.reshape(-1)),
                                         keep.sum(axis=1))
