"""`tf.IndexedSlices`: a sparse set of rows of a dense tensor (values at row indices).

TensorFlow uses it for the gradient of a gather and as the argument of
`Variable.scatter_update`. It converts to a dense tensor when `dense_shape` is
known: rows with the same index are summed, missing rows are zeros.
"""
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape


class IndexedSlices:
    """Rows `values[i]` of a dense tensor at row `indices[i]`.

    >>> s = tf.IndexedSlices(values=tf.constant([[1., 2.]]), indices=tf.constant([1]),
    ...                      dense_shape=tf.constant([3, 2]))
    >>> tf.convert_to_tensor(s)   # [[0., 0.], [1., 2.], [0., 0.]]
    """

    def __init__(self, values, indices, dense_shape=None):
        # Stored as given, as TensorFlow does: `Variable.scatter_update` converts
        # the values to the variable's dtype.
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self):
        return self._values.device

    @property
    def shape(self):
        """The static shape of the dense tensor (unknown without `dense_shape`)."""
        if self._dense_shape is None:
            return TensorShape(None)
        dims = self._dense_shape
        if isinstance(dims, Tensor):
            from tensorlite.ops._helpers import static_value
            known = static_value(dims)
            if known is None:
                return TensorShape([None] * dims.shape[0]) if dims.shape.rank == 1 \
                    else TensorShape(None)
            dims = known.tolist()
        return TensorShape(dims)

    def __neg__(self):
        from tensorlite.ops import math as _math
        return IndexedSlices(_math.negative(self._values), self._indices, self._dense_shape)

    def __str__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def _as_tensor(self, dtype=None):
        """The dense tensor (what `tf.convert_to_tensor` gives): rows summed per index."""
        if self._dense_shape is None:
            raise ValueError(f"Tensor conversion requested for IndexedSlices for argument "
                             f"`value` without dense_shape: {self}")
        from tensorlite.ops import array as _array
        values = convert_to_tensor(self._values)
        if dtype is not None and dtype is not values.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for "
                             f"IndexedSlices with dtype {values.dtype.name}: {self}")
        rows = convert_to_tensor(self._dense_shape)[0]
        return _array.unsorted_segment_sum(values, self._indices, rows)
