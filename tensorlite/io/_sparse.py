"""The SparseTensor results of parsing (VarLenFeature).

A minimal stand-in until tensorlite has `tf.sparse.SparseTensor`: the three
component tensors under TensorFlow's attribute names, printed as TensorFlow
prints a SparseTensor.
"""
from tensorlite.framework.tensor_shape import TensorShape


class ParsedSparseTensor:
    """indices (int64 [n, rank]), values ([n]) and dense_shape (int64 [rank])."""

    def __init__(self, indices, values, dense_shape):
        self.indices = indices
        self.values = values
        self.dense_shape = dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        """The static shape: the dense shape's values when known."""
        value = getattr(self.dense_shape, "_value", None)
        if value is None:
            return TensorShape([None] * (self.dense_shape.shape[0] or 0))
        return TensorShape([int(d) for d in value])

    def __repr__(self):
        return (f"SparseTensor(indices={self.indices}, values={self.values}, "
                f"dense_shape={self.dense_shape})")


def sparse_tensor(indices, values, dense_shape):
    """A SparseTensor of the three component tensors."""
    return ParsedSparseTensor(indices, values, dense_shape)
