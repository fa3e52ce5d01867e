"""`tf.ragged`: building and combining ragged tensors."""
from tensorlite.structures.ragged import (RaggedTensor, boolean_mask, constant,  # noqa: F401
                                          map_flat_values, stack)
from tensorlite.structures.ragged import ragged_range as range  # noqa: F401,A001
