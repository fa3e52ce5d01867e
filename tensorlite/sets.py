"""`tf.sets`: set operations on the last dimension of dense or sparse tensors."""
from tensorlite.structures.sets import difference, intersection, size, union  # noqa: F401
