"""What `fit`, `evaluate` and `predict` accept as data, turned into batches of tensors.

- arrays (NumPy arrays, tensors, nested lists/tuples/dicts of them): sliced into
  batches of `batch_size` (default 32), shuffled each epoch if asked; float64
  arrays become float32 (Keras's floatx), as in Keras.
- datasets (`tf.data.Dataset` or any re-iterable of batches): iterated anew each
  epoch; with `steps_per_epoch`, one iterator continues across epochs.
- Python generators / iterators of batches: consumed as they come.

A batch is `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
"""
import math
import warnings

import numpy as np

from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.util import nest


def unpack_x_y_sample_weight(data):
    """A batch as (x, y, sample_weight), missing parts as None."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _to_array(x):
    """An array-like leaf as a NumPy array; float64 -> float32 as Keras does."""
    if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
        x = np.asarray(x)
    elif not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype == np.float64:
        x = x.astype(np.float32)
    return x


def _to_tensor(x):
    """A batch leaf as a tensor (float64 arrays as float32)."""
    if type(x) is EagerTensor or x is None or isinstance(x, Tensor):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype == np.float64:
            x = x.astype(np.float32)
        return EagerTensor(x) if isinstance(x, np.ndarray) else convert_to_tensor(x)
    if isinstance(x, (int, float, bool, list)):
        return convert_to_tensor(_to_array(x))
    return x


def batch_to_tensors(data):
    """Every array in a batch structure as a tensor."""
    return nest.map_structure(_to_tensor, data)


def _is_array(x):
    """An in-memory array: NumPy, a tensor or variable, or array-like (a pandas frame)."""
    return isinstance(x, (np.ndarray, Tensor)) or hasattr(x, "_as_tensor") or (
        hasattr(x, "__array__") and hasattr(x, "shape"))


def is_array_data(x):
    """True for arrays and (nested) lists/tuples/dicts of arrays."""
    return _is_array(x) or (isinstance(x, (list, tuple, dict)) and bool(x)
                            and all(_is_array(v) for v in nest.flatten(x)))


def _num_samples(arrays):
    sizes = {int(a.shape[0]) for a in nest.flatten(arrays) if a is not None}
    if len(sizes) > 1:
        raise ValueError("Data cardinality is ambiguous. Make sure all arrays contain the "
                         "same number of samples. " + ", ".join(
                             f"'{kind}' sizes: {s}" for kind, s in zip(
                                 ("x", "y", "sample_weight"),
                                 [sorted({int(a.shape[0]) for a in nest.flatten(p)
                                          if a is not None}) for p in arrays])))
    return sizes.pop() if sizes else 0


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from a {class index: weight} dict and the targets `y`."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.round(y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y).astype(int)
    weights = np.ones(labels.shape, dtype=np.float32)
    for cls, w in class_weight.items():
        weights[labels == int(cls)] = w
    return weights


class ArrayDataAdapter:
    """Batches sliced from in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        self._data = nest.map_structure(lambda a: None if a is None else _to_array(a),
                                        (x, y, sample_weight))
        x, y, sample_weight = self._data
        if class_weight is not None:
            if y is None or nest.is_nested(y):
                raise ValueError("`class_weight` is only supported for Models with a single "
                                 "output.")
            cw = class_weight_to_sample_weights(y, class_weight)
            sample_weight = cw if sample_weight is None else sample_weight * cw
            self._data = (x, y, sample_weight)
        self.num_samples = _num_samples(self._data)
        if steps is not None and batch_size is None:
            batch_size = int(math.ceil(self.num_samples / steps)) if steps else 32
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.num_batches = int(math.ceil(self.num_samples / self.batch_size))

    def batches(self):
        """One epoch of batches (shuffled if asked)."""
        n, size = self.num_samples, self.batch_size
        x, y, sw = self._data
        order = np.random.permutation(n) if self.shuffle and self.shuffle != "batch" else None
        if self.shuffle == "batch":
            order = _batch_shuffle(n, size)
        for start in range(0, n, size):
            if order is None:
                take = slice(start, start + size)
            else:
                take = order[start:start + size]
            yield _pack(nest.map_structure(
                lambda a: None if a is None else EagerTensor(a[take]), (x, y, sw)))


def _batch_shuffle(n, size):
    """Shuffles whole batches (keeping each batch's samples together), as shuffle="batch"."""
    starts = np.random.permutation(int(math.ceil(n / size))) * size
    return np.concatenate([np.arange(s, min(s + size, n)) for s in starts]) if n else \
        np.arange(0)


def _pack(triple):
    x, y, sw = triple
    return pack_x_y_sample_weight(x, y, sw)


class IterableDataAdapter:
    """Batches from a dataset (re-iterable) or a Python generator/iterator (single pass)."""

    def __init__(self, data):
        self._data = data
        self._reiterable = not (iter(data) is data)  # generators and iterators are their own iter
        self.num_batches = _cardinality(data)

    def iterator(self):
        return iter(self._data) if self._reiterable else self._data


def _cardinality(data):
    """The number of batches of a dataset when it is known, else None."""
    cardinality = getattr(data, "cardinality", None)
    if cardinality is not None:
        try:
            n = int(cardinality())
        except (TypeError, ValueError):
            return None
        return n if n >= 0 else None
    return None


class EpochIterator:
    """Yields (step, batch) for one epoch at a time, batches as tensors."""

    def __init__(self, x=None, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None):
        self.steps_per_epoch = steps_per_epoch
        if is_array_data(x):
            self._adapter = ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size,
                                             steps=None, shuffle=shuffle,
                                             class_weight=class_weight)
        else:
            if y is not None:
                raise ValueError("When providing `x` as a dataset or a generator, `y` should "
                                 f"not be passed. Instead, the targets should be included as "
                                 f"part of the dataset `x`. Received y={y!r}")
            if sample_weight is not None:
                raise ValueError("`sample_weight` argument is not supported when using a "
                                 "dataset or a generator. Instead, provide the sample "
                                 "weights as part of the dataset `x`.")
            if x is None:
                raise ValueError("Unrecognized data type: x=None")
            try:
                iter(x)
            except TypeError:
                raise ValueError(f"Unrecognized data type: x={x!r} (of type {type(x)})") \
                    from None
            self._adapter = IterableDataAdapter(x)
        self._current = None
        self.insufficient_data = False

    @property
    def num_batches(self):
        """Steps in one epoch, if known (the progress bar's target)."""
        return self.steps_per_epoch or self._adapter.num_batches

    def _fresh(self):
        if isinstance(self._adapter, ArrayDataAdapter):
            return self._adapter.batches()
        return self._adapter.iterator()

    def __iter__(self):
        """One epoch: (step, batch) pairs."""
        if self.steps_per_epoch is None:
            step = -1
            for step, batch in enumerate(self._fresh()):
                yield step, batch_to_tensors(batch)
            if step < 0:
                self._ran_out()
            return
        if self._current is None:
            self._current = iter(self._fresh())
        for step in range(self.steps_per_epoch):
            try:
                batch = next(self._current)
            except StopIteration:
                batch = self._restart() if step == 0 else None
                if batch is None:
                    self._ran_out()
                    return
            yield step, batch_to_tensors(batch)

    def _ran_out(self):
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your "
                      "dataset or generator can generate at least `steps_per_epoch * epochs` "
                      "batches. You may need to use the `.repeat()` function when building "
                      "your dataset.")
        self.insufficient_data = True

    def _restart(self):
        """At an epoch start, a new pass over re-iterable data (None for a spent generator)."""
        if not isinstance(self._adapter, ArrayDataAdapter) and not self._adapter._reiterable:
            return None
        self._current = iter(self._fresh())
        return next(self._current, None)


def train_validation_split(arrays, validation_split):
    """Splits (x, y, sample_weight) arrays: the last `validation_split` fraction validates."""
    flat = [a for a in nest.flatten(arrays) if a is not None]
    if not all(_is_array(a) for a in flat):
        raise ValueError("`validation_split` is only supported for Tensors or NumPy arrays, "
                         f"found following types in the input: {[type(a) for a in flat]}")
    n = int(flat[0].shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, "
                         "or a different value for the `validation_split` argument.")

    def part(sl):
        return nest.map_structure(lambda a: None if a is None else np.asarray(a)[sl], arrays)
    return part(slice(0, split_at)), part(slice(split_at, None))
