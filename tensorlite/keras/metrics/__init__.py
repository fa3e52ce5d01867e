"""`keras.metrics`: streaming metrics (Keras 3's `Metric`, not a layer) and the per-sample
metric functions.

>>> m = tf.keras.metrics.Precision()
>>> m([0, 1, 1, 1], [1, 1, 0, 1]); m.result(); m.reset_state()
>>> tf.keras.metrics.get("accuracy")        # an Accuracy() instance
"""
from tensorlite.keras.losses.functions import (binary_crossentropy, categorical_crossentropy,
                                               categorical_hinge, hinge, huber, kl_divergence,
                                               log_cosh, mean_absolute_error,
                                               mean_absolute_percentage_error,
                                               mean_squared_error,
                                               mean_squared_logarithmic_error, poisson,
                                               sparse_categorical_crossentropy, squared_hinge)
from tensorlite.keras.metrics.accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                               SparseCategoricalAccuracy,
                                               SparseTopKCategoricalAccuracy,
                                               TopKCategoricalAccuracy, binary_accuracy,
                                               categorical_accuracy,
                                               sparse_categorical_accuracy,
                                               sparse_top_k_categorical_accuracy,
                                               top_k_categorical_accuracy)
from tensorlite.keras.metrics.base import Mean, MeanMetricWrapper, Metric, Sum
from tensorlite.keras.metrics.confusion import (AUC, FalseNegatives, FalsePositives, Precision,
                                                Recall, TrueNegatives, TruePositives)
from tensorlite.keras.metrics.probabilistic import (BinaryCrossentropy,
                                                    CategoricalCrossentropy, CategoricalHinge,
                                                    Hinge, KLDivergence, Poisson,
                                                    SparseCategoricalCrossentropy, SquaredHinge)
from tensorlite.keras.metrics.regression import (CosineSimilarity, LogCoshError,
                                                 MeanAbsoluteError,
                                                 MeanAbsolutePercentageError, MeanSquaredError,
                                                 MeanSquaredLogarithmicError,
                                                 RootMeanSquaredError)
from tensorlite.keras.naming import to_snake_case
from tensorlite.keras.saving import serialization

# tf.keras's short names of the functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError,
            CosineSimilarity, LogCoshError, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
            BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
            KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge, TruePositives,
            FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, AUC)
for _cls in _CLASSES:
    serialization.register_builtin("keras.metrics", _cls)
for _fn in (binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
            top_k_categorical_accuracy, sparse_top_k_categorical_accuracy):
    serialization.register_builtin("keras.metrics", _fn)
del _cls, _fn

# What `get` and `deserialize` resolve names with: class names, in CamelCase and
# snake_case ("accuracy" -> Accuracy), and a few short names.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
})


def serialize(metric):
    """Keras's serialization dict of a metric object or function."""
    return serialization.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """The metric a `serialize` result (or a name) describes."""
    obj = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)
    return obj() if isinstance(obj, type) else obj  # a class name gives an instance


def get(identifier):
    """A metric from a name ("accuracy", "mse", "AUC": a new instance), a serialized dict,
    a class (instantiated), an instance or a function; None stays None."""
    return serialization.get_from_identifier(identifier, "metric", ALL_OBJECTS_DICT,
                                             search_registered=False)
