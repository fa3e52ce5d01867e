"""The fast path of in-memory pipelines: elements that are rows of arrays.

`from_tensor_slices(arrays)` and `range(n)` produce rows of arrays; shuffle,
repeat, take, skip, shard, cache and prefetch only reorder or select rows. Such
a pipeline is a `RowPlan`: the arrays, and a function giving one pass's row
order as a stream of index chunks (`range`s or int arrays). Batching a plan
slices or gathers whole batches with one NumPy indexing per array, instead of
stacking elements one by one.
"""
import itertools

import numpy as np

_CHUNK = 1024  # rows per chunk when an order is produced row by row


class Arange:
    """The values of `range(start, start + n*step, step)` as an array-like of rows."""

    __slots__ = ("start", "step", "dtype", "ndim")

    def __init__(self, start, step, dtype):
        self.start, self.step, self.dtype, self.ndim = start, step, np.dtype(dtype), 1

    def __getitem__(self, key):
        if isinstance(key, slice):
            step = (key.step or 1) * self.step
            return np.arange(self.start + key.start * self.step,
                             self.start + key.stop * self.step, step).astype(self.dtype,
                                                                             copy=False)
        if isinstance(key, np.ndarray):
            return (self.start + key.astype(np.int64) * self.step).astype(self.dtype)
        return self.dtype.type(self.start + key * self.step)


def row_getter(array):
    """`i -> row i` of an array; string rows stay (0-d object) arrays, as tensors hold them."""
    if isinstance(array, np.ndarray) and array.dtype == object:
        return lambda i: array[i, ...]
    return array.__getitem__


def take_rows(array, piece):
    """The rows `piece` (a range: a view; an int array: a copy) of an array."""
    if isinstance(piece, range):
        return array[slice(piece.start, piece.stop, piece.step)]
    return array[piece]


class RowPlan:
    """Elements that are rows of `arrays`, in the order `passes()` gives for one pass."""

    __slots__ = ("arrays", "passes")

    def __init__(self, arrays, passes):
        self.arrays = arrays
        self.passes = passes

    def with_order(self, passes):
        return RowPlan(self.arrays, passes)

    def rows(self):
        """One pass, element by element (tuples of component values)."""
        getters = [row_getter(a) for a in self.arrays]
        for chunk in self.passes():
            indices = chunk if isinstance(chunk, range) else chunk.tolist()
            if len(getters) == 1:
                get = getters[0]
                for i in indices:
                    yield (get(i),)
            else:
                for i in indices:
                    yield tuple([get(i) for get in getters])

    def batches(self, size, drop_remainder):
        """One pass, `size` rows at a time (tuples of component arrays)."""
        arrays = self.arrays
        for piece in rechunk(self.passes(), size):
            if drop_remainder and len(piece) < size:
                return
            yield tuple([take_rows(a, piece) for a in arrays])


def as_indices(chunk):
    if isinstance(chunk, range):
        return np.arange(chunk.start, chunk.stop, chunk.step)
    return chunk


def _join(pieces):
    if len(pieces) == 1:
        return pieces[0]
    first, last = pieces[0], pieces[-1]
    if all(isinstance(p, range) and p.step == 1 for p in pieces) and all(
            a.stop == b.start for a, b in zip(pieces, pieces[1:])):
        return range(first.start, last.stop)
    return np.concatenate([as_indices(p) for p in pieces])


def rechunk(chunks, size):
    """Index chunks regrouped into pieces of exactly `size` (the last may be shorter)."""
    pending, count = [], 0
    for chunk in chunks:
        pos, n = 0, len(chunk)
        while pos < n:
            take = min(size - count, n - pos)
            pending.append(chunk[pos:pos + take])
            count += take
            pos += take
            if count == size:
                yield _join(pending)
                pending, count = [], 0
    if pending:
        yield _join(pending)


def chunked(indices):
    """A stream of ints as int64 chunks of `_CHUNK`."""
    it = iter(indices)
    while True:
        block = list(itertools.islice(it, _CHUNK))
        if not block:
            return
        yield np.array(block, dtype=np.int64)


def truncate(chunks, start, stop):
    """The positions [start, stop) (stop None: to the end) of a chunk stream."""
    pos = 0
    for chunk in chunks:
        n = len(chunk)
        lo, hi = max(start - pos, 0), n if stop is None else min(stop - pos, n)
        if lo < hi:
            yield chunk[lo:hi]
        pos += n
        if stop is not None and pos >= stop:
            return


def every_kth(chunks, k, index):
    """The positions p of a chunk stream with p % k == index."""
    pos = 0
    for chunk in chunks:
        first = (index - pos) % k
        part = chunk[first::k]
        if len(part):
            yield part
        pos += len(chunk)


def repeated(passes, count):
    """`count` passes one after another (count < 0: forever; stops if a pass is empty)."""
    epochs = itertools.count() if count < 0 else range(count)
    for _ in epochs:
        empty = True
        for chunk in passes():
            if len(chunk):
                empty = False
                yield chunk
        if empty:
            return


def buffer_shuffle(items, buffer_size, rng):
    """`items` reordered through a buffer of `buffer_size`: each output is drawn uniformly
    from the buffer, whose place the next input takes (TensorFlow's shuffle)."""
    it = iter(items)
    buffer = list(itertools.islice(it, buffer_size))
    size = len(buffer)
    draws, d = [], 0
    for item in it:
        if d == len(draws):
            draws, d = (rng.random(4096) * size).astype(np.int64).tolist(), 0
        j = draws[d]
        d += 1
        yield buffer[j]
        buffer[j] = item
    for j in rng.permutation(size).tolist():
        yield buffer[j]
