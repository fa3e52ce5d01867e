"""`tf.strings`: ops on byte strings and Unicode strings."""
from tensorlite.ops.strings import *  # noqa: F401,F403
