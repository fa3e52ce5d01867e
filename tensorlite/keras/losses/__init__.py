"""`keras.losses`: loss functions (one loss per sample) and loss classes (reduced).

>>> loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
>>> loss_fn([1, 0], [[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]])   # mean over the batch
>>> tf.keras.losses.get("mse")                           # the function
"""
from tensorlite.keras.losses.builtin import (BinaryCrossentropy, CategoricalCrossentropy,
                                             CategoricalHinge, CosineSimilarity, Hinge, Huber,
                                             KLDivergence, LogCosh, LossFunctionWrapper,
                                             MeanAbsoluteError, MeanAbsolutePercentageError,
                                             MeanSquaredError, MeanSquaredLogarithmicError,
                                             Poisson, SparseCategoricalCrossentropy,
                                             SquaredHinge)
from tensorlite.keras.losses.functions import (binary_crossentropy, categorical_crossentropy,
                                               categorical_hinge, cosine_similarity, hinge,
                                               huber, kl_divergence, log_cosh,
                                               mean_absolute_error,
                                               mean_absolute_percentage_error,
                                               mean_squared_error,
                                               mean_squared_logarithmic_error, poisson,
                                               sparse_categorical_crossentropy, squared_hinge)
from tensorlite.keras.losses.loss import Loss, Reduction
from tensorlite.keras.saving import serialization

# tf.keras's short names of the functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_CLASSES = (Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber, LogCosh,
            CosineSimilarity, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
            BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy)
_FUNCTIONS = (mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, huber, log_cosh, cosine_similarity, kl_divergence,
              poisson, hinge, squared_hinge, categorical_hinge, binary_crossentropy,
              categorical_crossentropy, sparse_categorical_crossentropy)
for _obj in _CLASSES + _FUNCTIONS:
    serialization.register_builtin("keras.losses", _obj)
del _obj

# What `get` and `deserialize` resolve names with.
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS_DICT.update({
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "logcosh": log_cosh,
})


def serialize(loss):
    """Keras's serialization dict of a loss object or function."""
    return serialization.serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """The loss a `serialize` result (or a name) describes."""
    obj = serialization.deserialize_keras_object(
        name, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)
    return obj() if isinstance(obj, type) else obj  # a class name gives an instance


def get(identifier):
    """A loss from a name ("mse" gives the function, "MeanSquaredError" an instance), a
    serialized dict, a class (instantiated), an instance or a function; None stays None."""
    return serialization.get_from_identifier(identifier, "loss", ALL_OBJECTS_DICT,
                                             search_registered=False)
