"""The `Loss` base class and how Keras 3 weights and reduces per-sample losses.

Calling a loss object converts `y_true`/`y_pred` to the loss's dtype, runs
`call()` (one loss per sample), multiplies by `sample_weight` and reduces:

- "sum_over_batch_size" (default) and "mean": sum of the weighted losses divided by
  their number (not by the sum of the weights),
- "mean_with_sample_weight": divided by the sum of the weights instead,
- "sum": the plain sum; "none" / None: the weighted losses themselves.
"""
import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.naming import to_snake_case, uniquify

REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)


class Reduction:
    """tf.keras's legacy names of the reduction strings (`Reduction.SUM_OVER_BATCH_SIZE`)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError("Invalid value for argument `reduction`. Expected one of {'sum', "
                         "'mean', 'sum_over_batch_size', 'mean_with_sample_weight', None, "
                         f"'none'}}. Received: reduction={reduction}")
    return reduction


def dtype_name(dtype):
    """A dtype argument (None, a string or a DType) as its name; None means floatx."""
    return tf.as_dtype(dtype if dtype is not None else backend.floatx()).name


def to_dtype(x, dtype):
    """`x` as a tensor of `dtype`: Python values convert to it directly, tensors and
    arrays of another dtype are cast."""
    if not isinstance(x, tf.Tensor):
        x = tf.convert_to_tensor(x, dtype_hint=dtype)
    if x.dtype is dtype or x.dtype.name == dtype:  # a DType or its name
        return x
    return tf.cast(x, dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks that differ by a trailing dimension of 1 agree, as Keras does:
    the longer one is squeezed, unless the shorter one has rank 1 and
    `expand_rank_1` (then the shorter one gets the trailing 1)."""
    rank1, rank2 = x1.shape.rank, x2.shape.rank
    if rank1 is None or rank2 is None or rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, -1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, -1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a mask of valid entries into the sample weights.

    For the mean reductions, valid entries are scaled by total / valid so that
    dividing by the number of entries averages over the valid ones only.
    """
    mask = tf.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = tf.cast(tf.size(mask), dtype)
        valid = tf.reduce_sum(mask)
        mask = mask * (total / (valid + backend.epsilon()))
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, tf.cast(sample_weight, dtype))
    return sample_weight * mask


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces already weighted losses; a scalar or an empty vector is returned as is."""
    shape = values.shape
    if reduction in (None, "none") or shape.rank == 0 or (shape.rank == 1 and shape[0] == 0):
        return values
    loss = tf.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
        elif values.shape.is_fully_defined():
            divisor = tf.constant(values.shape.num_elements(), loss.dtype)
        else:
            divisor = tf.cast(tf.size(values), loss.dtype)
        loss = tf.math.divide_no_nan(loss, divisor)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights per-sample losses by `sample_weight` (and `mask`) and reduces them."""
    dtype = dtype if isinstance(dtype, str) else dtype_name(dtype)
    values = to_dtype(values, dtype)
    if sample_weight is not None:
        sample_weight = to_dtype(sample_weight, dtype)
    if mask is not None:
        sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class of losses: subclasses implement `call(y_true, y_pred)`, returning
    one loss per sample; calling the object weights and reduces them.

    >>> class HuberLoss(tf.keras.losses.Loss):
    ...     def call(self, y_true, y_pred): ...
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = dtype_name(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        with tf.name_scope(self.name):
            y_pred = to_dtype(y_pred, self._dtype)
            y_true = to_dtype(y_true, self._dtype)
            losses = self.call(y_true, y_pred)
            mask = self._loss_mask(y_true, y_pred)
            return reduce_weighted_values(losses, sample_weight, mask=mask,
                                          reduction=self.reduction, dtype=self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def _loss_mask(self, y_true, y_pred):
        """The entries of `call()`'s result that count (None: all of them)."""
        return None

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
