"""`tf.linalg`: the public names of the linear-algebra ops."""
from tensorlite.ops.linalg import matmul  # noqa: F401
