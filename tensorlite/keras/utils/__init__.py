"""`keras.utils`: seeding, label encoding and the progress bar."""
import random as _py_random

import numpy as np


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy's global generator and tf.random, as Keras does."""
    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} "
                         f"(of type {type(seed)})")
    _py_random.seed(seed)
    np.random.seed(seed)
    from tensorlite import random as _tf_random
    _tf_random.set_seed(seed)


def to_categorical(x, num_classes=None):
    """Integer class labels -> one-hot float32 rows (a NumPy array)."""
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(np.max(x)) + 1 if x.size else 0
    out = np.zeros((x.shape[0], num_classes), dtype="float32")
    out[np.arange(x.shape[0]), x] = 1.0
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """`x` scaled to unit `order`-norm along `axis` (a NumPy array)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
