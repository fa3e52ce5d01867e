"""`tf.ragged`: building and combining ragged tensors."""
from tensorlite.structures.ragged import RaggedTensor, constant, map_flat_values, stack  # noqa: F401
