"""`tf.sparse`: ops on SparseTensors."""
from tensorlite.structures.sparse import (SparseTensor, add, concat, expand_dims,  # noqa: F401
                                          from_dense, reduce_sum, reorder, retain,
                                          sparse_dense_matmul, to_dense, transpose)
