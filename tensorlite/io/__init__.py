"""`tf.io`: parsing and file helpers."""
from tensorlite.io.decode_csv import decode_csv  # noqa: F401
