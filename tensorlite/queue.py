"""`tf.queue`: queues of tuples of tensors."""
from tensorlite.structures.queues import (FIFOQueue, PaddingFIFOQueue, PriorityQueue,  # noqa: F401
                                          QueueBase, RandomShuffleQueue)
