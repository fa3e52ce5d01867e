"""Running means of the probabilistic and hinge losses."""
from tensorlite.keras.losses import functions as F
from tensorlite.keras.metrics.base import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The running mean of binary_crossentropy."""

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(F.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """The running mean of categorical_crossentropy."""

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(F.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The running mean of sparse_categorical_crossentropy."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(F.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)


class KLDivergence(MeanMetricWrapper):
    """The running mean of kl_divergence."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(F.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The running mean of poisson."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(F.poisson, name=name, dtype=dtype)


class Hinge(MeanMetricWrapper):
    """The running mean of hinge."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(F.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """The running mean of squared_hinge."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(F.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """The running mean of categorical_hinge."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(F.categorical_hinge, name=name, dtype=dtype)
