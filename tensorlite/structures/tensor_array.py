"""`tf.TensorArray`: a list of same-shaped tensors, written and read by index.

This is TensorFlow's eager TensorArray: a Python list of tensors. Methods
return the array itself so the functional style (`ta = ta.write(i, x)`)
works; stacking uses `tf.stack`, so gradients flow to the written tensors.
"""
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape


def _array_ops():
    from tensorlite.ops import array
    return array


class TensorArray:
    """A list of tensors of one dtype and shape (`tf.TensorArray`).

    >>> ta = tf.TensorArray(tf.float32, size=2).write(0, [1., 2.]).write(1, [3., 4.])
    >>> ta.stack()   # [[1., 2.], [3., 4.]]
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = _dtypes.as_dtype(dtype)
        n = 0 if size is None else int(size)
        self._items = [None] * n
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = TensorShape(element_shape) if element_shape is not None \
            else TensorShape(None)
        self._read_and_cleared = set()

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def handle(self):
        return None

    @property
    def flow(self):
        return None

    def size(self, name=None):
        """The number of slots (an int32 scalar)."""
        return convert_to_tensor(len(self._items))

    def identity(self):
        return self

    def close(self, name=None):
        self._items = []

    # ---- writing -----------------------------------------------------------------------

    def _value(self, value):
        t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=self._dtype)
        if t.dtype is not self._dtype:
            raise errors.InvalidArgumentError(
                None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying to "
                            f"write dtype {t.dtype.name} ")
        if self._infer_shape:
            if not self._element_shape.is_compatible_with(t.shape):
                raise ValueError(f"Incompatible shape for value ({t.shape}), expected "
                                 f"({self._element_shape})")
            self._element_shape = self._element_shape.merge_with(t.shape)
        return t

    def write(self, index, value, name=None):
        """Stores `value` at `index` (growing the array if `dynamic_size`); returns the array."""
        index = int(index)
        if index < 0:
            raise errors.OutOfRangeError(None, None, f"Writing to negative indices (index "
                                                     f"{index}) is not allowed.")
        if index >= len(self._items) and not self._dynamic_size:
            raise errors.OutOfRangeError(
                None, None, f"Tried to write to index {index} but array is not resizeable "
                            f"and size is: {len(self._items)} ")
        t = self._value(value)
        if index >= len(self._items):
            self._items.extend([None] * (index + 1 - len(self._items)))
        self._items[index] = t
        self._read_and_cleared.discard(index)
        return self

    def unstack(self, value, name=None):
        """Writes the rows of `value` to slots 0, 1, ...; returns the array."""
        t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=self._dtype)
        rows = _array_ops().unstack(t) if t.shape[0] else []
        return self.scatter(list(range(len(rows))), rows) if rows else self

    def scatter(self, indices, value, name=None):
        """Writes row k of `value` to slot ``indices[k]``; returns the array."""
        rows = value if isinstance(value, list) else _array_ops().unstack(
            value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=self._dtype))
        for i, row in zip([int(i) for i in _as_list(indices)], rows):
            self.write(i, row)
        return self

    def split(self, value, lengths, name=None):
        """Writes consecutive pieces of `value` (of the given lengths) to slots 0, 1, ..."""
        t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=self._dtype)
        start = 0
        for i, n in enumerate(int(n) for n in _as_list(lengths)):
            self.write(i, t[start:start + n])
            start += n
        return self

    # ---- reading -----------------------------------------------------------------------

    def _zeros(self):
        if not self._element_shape.is_fully_defined():
            raise errors.InvalidArgumentError(
                None, None, "TensorArray has no element shape: write a value first or pass "
                            "element_shape")
        return _array_ops().zeros(self._element_shape.as_list(), self._dtype)

    def read(self, index, name=None):
        """The tensor at `index` (zeros if never written); clears it when `clear_after_read`."""
        index = int(index)
        if not 0 <= index < len(self._items):
            raise errors.OutOfRangeError(
                None, None, f"Tried to read from index {index} but array size is: "
                            f"{len(self._items)}")
        t = self._items[index]
        if t is None:
            if index in self._read_and_cleared:
                raise errors.InvalidArgumentError(
                    None, None, f"Could not read index {index} twice because it was cleared "
                                f"after a previous read (perhaps try setting clear_after_read "
                                f"= false?)")
            t = self._zeros()
        if self._clear_after_read:
            self._items[index] = None
            self._read_and_cleared.add(index)
        return t

    def _filled(self, items):
        return [self._zeros() if t is None else t for t in items]

    def stack(self, name=None):
        """All slots stacked along a new axis 0 (unwritten slots are zeros)."""
        if not self._items:
            dims = self._element_shape.as_list() if self._element_shape.rank is not None else []
            return _array_ops().zeros([0] + dims, self._dtype)
        return _array_ops().stack(self._filled(self._items))

    def gather(self, indices, name=None):
        """The slots at `indices`, stacked."""
        return _array_ops().stack(self._filled([self._items[int(i)]
                                                for i in _as_list(indices)]))

    def concat(self, name=None):
        """All slots concatenated along their axis 0."""
        if not self._items:
            return _array_ops().zeros([0], self._dtype)
        return _array_ops().concat(self._filled(self._items), axis=0)


def _as_list(x):
    if isinstance(x, Tensor):
        return x.numpy().reshape(-1).tolist()
    return list(x)
