"""`tf.data.experimental`: constants and helpers that predate the Dataset methods."""
from tensorlite.data.options import (AUTOTUNE, INFINITE_CARDINALITY,  # noqa: F401
                                     UNKNOWN_CARDINALITY, AutoShardPolicy, AutotuneOptions,
                                     DistributeOptions, ExternalStatePolicy,
                                     OptimizationOptions, ThreadingOptions)


def cardinality(dataset):
    """The number of elements of `dataset` as an int64 tensor (-1 infinite, -2 unknown)."""
    return dataset.cardinality()


def get_single_element(dataset):
    """The only element of `dataset`."""
    return dataset.get_single_element()


def unbatch():
    """A transformation for `dataset.apply()`: `dataset.unbatch()`."""
    return lambda dataset: dataset.unbatch()


def enumerate_dataset(start=0):
    """A transformation for `dataset.apply()`: `dataset.enumerate(start)`."""
    return lambda dataset: dataset.enumerate(start)
