"""`tf.sparse`: ops on SparseTensors."""
from tensorlite.structures.sparse import (SparseTensor, add, from_dense, reorder,  # noqa: F401
                                          sparse_dense_matmul, to_dense)
