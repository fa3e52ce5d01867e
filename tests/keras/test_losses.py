"""keras.losses: per-sample values against NumPy formulas, Keras 3's reductions and sample
weights, configs and serialization, errors, and gradients (central differences)."""
import warnings

import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite.framework.errors import InvalidArgumentError

L = tf.keras.losses
EPS = 1e-7

T = np.array([[0., 1., 0.], [1., 0., 0.], [0., 0., 1.], [1., 0., 1.]])
P = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.25, 0.15, 0.6], [0.4, 0.05, 0.9]])
REG_T = np.array([[0.5, 1.5, -2.], [3., 0.2, 1.]])
REG_P = np.array([[0.8, -0.4, 1.], [2.5, 0.6, 1.7]])


@pytest.fixture(autouse=True)
def _fresh_names():
    tf.keras.backend.clear_session()


def np_signed(t):
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


def np_log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def np_unit(x):
    return x / np.sqrt(np.maximum((x ** 2).sum(-1, keepdims=True), EPS ** 2))


NUMPY_LOSSES = {
    "mean_squared_error": lambda t, p: ((t - p) ** 2).mean(-1),
    "mean_absolute_error": lambda t, p: np.abs(t - p).mean(-1),
    "mean_absolute_percentage_error":
        lambda t, p: 100 * (np.abs(t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    "mean_squared_logarithmic_error":
        lambda t, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2)
        .mean(-1),
    "huber": lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2,
                                   np.abs(p - t) - 0.5).mean(-1),
    "log_cosh": lambda t, p: np.log(np.cosh(p - t)).mean(-1),
    "cosine_similarity": lambda t, p: -(np_unit(t) * np_unit(p)).sum(-1),
    "kl_divergence": lambda t, p: (np.clip(t, EPS, 1) *
                                   np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
    "poisson": lambda t, p: (p - t * np.log(p + EPS)).mean(-1),
    "hinge": lambda t, p: np.maximum(1 - np_signed(t) * p, 0).mean(-1),
    "squared_hinge": lambda t, p: (np.maximum(1 - np_signed(t) * p, 0) ** 2).mean(-1),
    "categorical_hinge": lambda t, p: np.maximum(
        ((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    "binary_crossentropy": lambda t, p: -(t * np.log(np.clip(p, EPS, 1 - EPS)) + (1 - t) *
                                          np.log(1 - np.clip(p, EPS, 1 - EPS))).mean(-1),
    "categorical_crossentropy":
        lambda t, p: -(t * np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))).sum(-1),
}
CLASSES = {
    "mean_squared_error": L.MeanSquaredError, "mean_absolute_error": L.MeanAbsoluteError,
    "mean_absolute_percentage_error": L.MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": L.MeanSquaredLogarithmicError, "huber": L.Huber,
    "log_cosh": L.LogCosh, "cosine_similarity": L.CosineSimilarity,
    "kl_divergence": L.KLDivergence, "poisson": L.Poisson, "hinge": L.Hinge,
    "squared_hinge": L.SquaredHinge, "categorical_hinge": L.CategoricalHinge,
    "binary_crossentropy": L.BinaryCrossentropy,
    "categorical_crossentropy": L.CategoricalCrossentropy,
}
DEFAULT_NAMES = {"huber": "huber_loss"}


def inputs_for(name):
    return (REG_T, REG_P) if name.startswith("mean_") or name in (
        "huber", "log_cosh", "cosine_similarity") else (T, P)


# ---- function forms ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(NUMPY_LOSSES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_function_values(name, dtype):
    t, p = inputs_for(name)
    out = getattr(L, name)(tf.constant(t, dtype), tf.constant(p, dtype))
    rtol = 1e-5 if dtype == "float32" else 1e-12
    assert_tensor(out, NUMPY_LOSSES[name](t, p), dtype, rtol=rtol, atol=rtol)


def test_keras_reference_values():
    # printed by TensorFlow 2.21 / Keras 3.15
    assert_tensor(L.binary_crossentropy([[0., 1.], [1., 0.]], [[0., 1.], [0.7, 0.3]]),
                  [1.1920929e-07, 3.5667497e-01], "float32")
    assert_tensor(L.categorical_crossentropy([[0., 1., 0.], [1., 0., 0.]],
                                             [[0.1, 0.8, 0.1], [0.0, 0.6, 0.4]]),
                  [0.22314353, 16.118095], "float32")
    assert_tensor(L.mean_absolute_percentage_error([[0., 1.], [2., 3.]], [[0.5, 3.], [2., 0.]]),
                  [2.500001e+08, 5.0e+01], "float32")
    assert_tensor(L.cosine_similarity([[1e-8, 0.]], [[1e-8, 0.]]), [-0.01], "float32")
    assert_tensor(L.huber([[0., 1.], [2., 3.]], [[0.5, 3.], [2., 0.]], delta=1.5),
                  [1.0, 1.6875], "float32")


def test_function_forms_accept_python_and_integer_values():
    assert_tensor(L.mean_squared_error([1, 2], [3, 5]), 6.5, "float32")
    assert_tensor(L.mse(0., [1., 3.]), 5.0, "float32")
    assert L.mae is L.mean_absolute_error and L.kld is L.kl_divergence
    assert L.logcosh is L.log_cosh and L.MSE is L.mean_squared_error


def test_regression_functions_align_a_trailing_dimension_of_one():
    t, p = tf.constant([[1.], [0.], [1.]]), tf.constant([0.2, 0.4, 0.9])
    assert_tensor(L.mean_squared_error(t, p), [0.64, 0.16, 0.01], "float32")
    assert_tensor(L.mean_squared_error(p, t), [0.64, 0.16, 0.01], "float32")
    # Keras does not align for these: (3, 1) and (3,) broadcast to (3, 3)
    assert_tensor(L.poisson(t, p), [1.3770294, 0.5, 1.3770294], "float32", rtol=1e-5)
    assert_tensor(L.hinge(p, t), [0.5, 1., 0.5], "float32")


def test_hinge_keeps_signed_labels():
    assert_tensor(L.hinge([[-1., 1.], [1., 0.]], [[0.5, -3.], [2., 0.3]]), [2.75, 0.5])
    assert_tensor(L.hinge([[0, 1], [1, 0]], [[0.5, -3.], [2., 0.3]]), [2.75, 0.65])


def test_huber_delta():
    t, p = np.array([[0., 0., 0.]]), np.array([[1., 2., 5.]])
    expected = np.where(np.abs(p - t) <= 2, 0.5 * (p - t) ** 2, 2 * np.abs(p - t) - 2).mean(-1)
    assert_tensor(L.huber(t, p, delta=2.0), expected, "float64")


def test_binary_crossentropy_options():
    t = np.array([[0., 1.], [1., 0.]])
    x = np.array([[50., 3.], [0.7, -0.3]])  # exp(50) would overflow a naive sigmoid
    np_logits = (np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))).mean(-1)
    assert_tensor(L.binary_crossentropy(t, x, from_logits=True), np_logits, "float64",
                  rtol=1e-12)
    p = np.array([[0.1, 0.9], [0.7, 0.3]])
    smoothed = t * 0.8 + 0.1
    assert_tensor(L.binary_crossentropy(t, p, label_smoothing=0.2),
                  NUMPY_LOSSES["binary_crossentropy"](smoothed, p), "float64")
    assert_tensor(L.binary_crossentropy(t, p, axis=0),
                  NUMPY_LOSSES["binary_crossentropy"](t.T, p.T), "float64")
    assert_tensor(L.binary_crossentropy([0, 1], [0.1, 0.8]),
                  -(np.log(0.9) + np.log(0.8)) / 2, "float32")


def test_categorical_crossentropy_options():
    x = np.array([[1., 2., 3.], [100., 0., -5.]])
    t = T[:2]
    assert_tensor(L.categorical_crossentropy(t, x, from_logits=True),
                  -(t * np_log_softmax(x)).sum(-1), "float64", atol=1e-12)
    smoothed = t * 0.9 + 0.1 / 3
    assert_tensor(L.categorical_crossentropy(t, P[:2], label_smoothing=0.1),
                  NUMPY_LOSSES["categorical_crossentropy"](smoothed, P[:2]), "float64")
    assert_tensor(L.categorical_crossentropy(T, P, axis=0),
                  NUMPY_LOSSES["categorical_crossentropy"](T.T, P.T), "float64")
    with pytest.warns(SyntaxWarning, match="num_classes > 1"):
        L.categorical_crossentropy([[1.], [1.]], [[0.3], [1.]])


def test_sparse_categorical_crossentropy():
    labels = np.array([1, 0, 2, 2])
    clipped = np.clip(P, EPS, 1 - EPS)  # the last row sums to 1.35: it is renormalized
    expected = np.log(clipped.sum(-1)) - np.log(clipped[np.arange(4), labels])
    assert_tensor(L.sparse_categorical_crossentropy(labels, P), expected, "float64")
    assert_tensor(L.sparse_categorical_crossentropy(labels[:, None].astype("float32"), P),
                  expected, "float64")
    x = np.array([[1., 2., 3.], [100., 0., -5.]])
    assert_tensor(L.sparse_categorical_crossentropy([2, 0], x, from_logits=True),
                  -np_log_softmax(x)[[0, 1], [2, 0]], "float64", atol=1e-12)
    ignored = L.sparse_categorical_crossentropy(labels, P, ignore_class=2)
    assert_tensor(ignored, [expected[0], expected[1], 0., 0.], "float64")


def test_crossentropy_errors():
    with pytest.raises(ValueError, match=r"same shape. Received: target.shape=\(1, 3\), "
                                         r"output.shape=\(1, 2\)"):
        L.categorical_crossentropy([[0., 1., 0.]], [[0.1, 0.8]])
    with pytest.raises(ValueError, match=r"same rank \(ndim\)"):
        L.binary_crossentropy(tf.constant([[0.], [1.]]), tf.constant([0.1, 0.9]))
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        L.categorical_crossentropy([[0., 1.]], [[0.1, 0.9]], axis=True)
    with pytest.raises(ValueError, match="Only axis=-1 is currently supported"):
        L.sparse_categorical_crossentropy([1, 0, 1], P[:2], axis=0)
    with pytest.raises(ValueError, match="same shape up until the last dimension"):
        L.sparse_categorical_crossentropy([1, 0, 1], P[:2])
    with pytest.raises(ValueError, match=r"must have rank \(ndim\) `target.ndim - 1`"):
        L.sparse_categorical_crossentropy([[[1, 0]]], P[:2])
    with pytest.raises(InvalidArgumentError):
        L.mean_squared_error([[0., 1., 1.]], [[0.1, 0.9]])


# ---- loss objects: reductions and sample weights --------------------------------------

Y_TRUE = [[1., 2.], [3., 4.], [0., 0.]]
Y_PRED = [[0., 0.], [1., 1.], [0., 1.]]   # per-sample MSE: 2.5, 6.5, 0.5
WEIGHTS = [1., 0.5, 0.]


@pytest.mark.parametrize("reduction, plain, weighted", [
    ("sum_over_batch_size", 9.5 / 3, 5.75 / 3),
    ("mean", 9.5 / 3, 5.75 / 3),
    ("sum", 9.5, 5.75),
    ("mean_with_sample_weight", 9.5 / 3, 5.75 / 1.5),
    ("none", [2.5, 6.5, 0.5], [2.5, 3.25, 0.]),
    (None, [2.5, 6.5, 0.5], [2.5, 3.25, 0.]),
])
def test_reductions(reduction, plain, weighted):
    loss = L.MeanSquaredError(reduction=reduction)
    assert loss.reduction == reduction
    assert_tensor(loss(Y_TRUE, Y_PRED), plain, "float32")
    assert_tensor(loss(Y_TRUE, Y_PRED, sample_weight=WEIGHTS), weighted, "float32")


def test_sample_weight_shapes():
    mse = L.MeanSquaredError()
    assert_tensor(mse(Y_TRUE, Y_PRED, sample_weight=2.), 9.5 * 2 / 3)
    assert_tensor(mse(Y_TRUE, Y_PRED, sample_weight=[[1.], [2.], [3.]]), (2.5 + 13 + 1.5) / 3)
    assert_tensor(mse(Y_TRUE, Y_PRED, sample_weight=[1, 2, 3]), (2.5 + 13 + 1.5) / 3,
                  "float32")
    assert_tensor(mse(Y_TRUE, Y_PRED, sample_weight=tf.constant(WEIGHTS, tf.float64)),
                  5.75 / 3, "float32")
    # per-timestep weights of a sequence loss
    ones, zeros = np.ones((2, 3, 4), "float32"), np.zeros((2, 3, 4), "float32")
    assert_tensor(mse(ones, zeros), 1.0)
    assert_tensor(mse(ones, zeros, sample_weight=[[1., 2., 3.], [0., 0., 1.]]), 7 / 6)
    assert_tensor(L.MeanSquaredError(reduction="none")(
        [[1.], [2.]], [[0.], [0.]], sample_weight=[1., 2.]), [1., 8.])
    with pytest.raises(InvalidArgumentError):
        mse(ones, zeros, sample_weight=[1., 2.])


def test_empty_batch_and_dtype():
    empty = L.MeanSquaredError()(np.zeros((0, 2), "float32"), np.zeros((0, 2), "float32"))
    assert_tensor(empty, np.zeros((0,), "float32"))
    f64 = tf.constant(Y_TRUE, tf.float64), tf.constant(Y_PRED, tf.float64)
    assert_tensor(L.MeanSquaredError()(*f64), 9.5 / 3, "float32")
    loss = L.MeanSquaredError(dtype="float64")
    assert loss.dtype == "float64" and L.MeanSquaredError().dtype == "float32"
    assert_tensor(loss(*f64), 9.5 / 3, "float64", rtol=1e-15)


def test_invalid_reduction():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`.*"
                                         "Received: reduction=bad"):
        L.MeanSquaredError(reduction="bad")
    assert L.Reduction.SUM_OVER_BATCH_SIZE == "sum_over_batch_size"
    assert L.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    with pytest.raises(ValueError, match="Invalid Reduction Key: bad"):
        L.Reduction.validate("bad")


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class_is_mean_of_function(name):
    t, p = inputs_for(name)
    loss = CLASSES[name]()
    assert loss.name == DEFAULT_NAMES.get(name, name)
    assert loss.fn is getattr(L, name)
    expected = NUMPY_LOSSES[name](t, p)
    assert_tensor(loss(t, p), expected.mean(), "float32", rtol=1e-5)
    w = np.array([0.5, 2., 1., 0.][:len(t)])
    assert_tensor(loss(t, p, sample_weight=w), (expected * w).mean(), "float32", rtol=1e-5)


def test_class_aligns_targets_and_predictions():
    bce = L.BinaryCrossentropy()
    expected = -(np.log(0.9) + np.log(0.9) + np.log(0.3)) / 3
    assert_tensor(bce([[0.], [1.], [1.]], [0.1, 0.9, 0.3]), expected, rtol=1e-6)
    assert_tensor(bce([0., 1., 1.], [0.1, 0.9, 0.3]), expected, rtol=1e-6)


def test_sparse_categorical_crossentropy_class():
    labels, probs = [1, 0, 2], [[0.1, 0.8, 0.1], [0.0, 0.6, 0.4], [0.3, 0.3, 0.4]]
    scce = L.SparseCategoricalCrossentropy()
    per_sample = np.array([-np.log(0.8), -np.log(EPS), -np.log(0.4)])
    assert_tensor(scce(labels, probs), per_sample.mean(), rtol=1e-6)
    assert_tensor(scce(np.array(labels)[:, None], probs), per_sample.mean(), rtol=1e-6)
    # the ignored class leaves the mean: printed by Keras 3.15
    ignoring = L.SparseCategoricalCrossentropy(ignore_class=2)
    assert_tensor(ignoring(labels, probs), 8.170619, rtol=1e-6)
    assert_tensor(ignoring(labels, probs, sample_weight=[2., 1., 5.]), 8.282191, rtol=1e-6)
    assert_tensor(L.SparseCategoricalCrossentropy(ignore_class=2, reduction="sum")(
        labels, probs), 16.341238, rtol=1e-6)
    logits = L.SparseCategoricalCrossentropy(from_logits=True)
    x = np.array([[1., 2., 3.], [0., 0., 0.]])
    assert_tensor(logits([2, 1], x), -np_log_softmax(x)[[0, 1], [2, 1]].mean(), rtol=1e-6)


def test_huber_class_delta_is_positional():
    assert_tensor(L.Huber(2.0)([[0.], [0.], [0.]], [[1.], [2.], [5.]]), (0.5 + 2 + 8) / 3)


class HuberLoss(L.Loss):
    """The book's custom loss (chapter 12)."""

    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < self.threshold
        squared_loss = tf.square(error) / 2
        linear_loss = self.threshold * tf.abs(error) - self.threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


def test_custom_loss_subclass():
    loss = HuberLoss(2.)
    t, p = tf.constant([[0.], [0.], [0.]]), tf.constant([[1.], [2.], [5.]])
    assert repr(loss(t, p)) == "<tf.Tensor: shape=(), dtype=float32, numpy=3.5>"
    assert repr(loss(t, p, sample_weight=tf.constant([1., 0., 2.]))) == \
        "<tf.Tensor: shape=(), dtype=float32, numpy=5.5>"
    assert sorted(loss.get_config().items()) == [
        ("name", "huber_loss"), ("reduction", "sum_over_batch_size"), ("threshold", 2.0)]
    assert HuberLoss().name == "huber_loss_1"
    clone = HuberLoss.from_config(loss.get_config())
    assert (clone.threshold, clone.name, clone.reduction) == (2.0, "huber_loss",
                                                               "sum_over_batch_size")


def test_custom_loss_results_are_cast_to_the_loss_dtype():
    class Identity(L.Loss):
        def call(self, y_true, y_pred):
            return tf.cast(y_true, tf.int32)

    assert_tensor(Identity()([1, 2], [0, 0]), 1.5, "float32")
    with pytest.raises(NotImplementedError):
        L.Loss()([1.], [1.])


# ---- configs, get, serialization -----------------------------------------------------

def test_configs_match_keras():
    assert L.MeanSquaredError().get_config() == {"name": "mean_squared_error",
                                                 "reduction": "sum_over_batch_size"}
    assert L.Huber(2.0).get_config() == {"name": "huber_loss",
                                         "reduction": "sum_over_batch_size"}
    assert L.CosineSimilarity(axis=0).get_config() == {"name": "cosine_similarity",
                                                       "reduction": "sum_over_batch_size"}
    assert L.BinaryCrossentropy(from_logits=True, reduction="sum").get_config() == {
        "name": "binary_crossentropy", "reduction": "sum", "from_logits": True,
        "label_smoothing": 0.0, "axis": -1}
    assert L.SparseCategoricalCrossentropy(ignore_class=0).get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "ignore_class": 0}
    cce = L.CategoricalCrossentropy.from_config(
        L.CategoricalCrossentropy(label_smoothing=0.1, name="cce").get_config())
    assert (cce.name, cce.label_smoothing, cce.from_logits) == ("cce", 0.1, False)


def test_loss_function_wrapper():
    wrapper = L.LossFunctionWrapper(L.huber, delta=3.0)
    assert wrapper.name == "loss_function_wrapper"
    config = wrapper.get_config()
    assert config["delta"] == 3.0 and config["fn"]["config"] == "huber"
    clone = L.LossFunctionWrapper.from_config(config)
    assert clone.fn is L.huber
    assert_tensor(clone([[0.]], [[5.]]), 5 * 3 - 4.5)
    assert repr(L.Huber(2.0)).startswith("<LossFunctionWrapper(<function huber at")
    assert repr(L.Huber(2.0)).endswith("kwargs={'delta': 2.0})>")


def test_get():
    assert L.get("mse") is L.mean_squared_error
    assert L.get("mean_squared_error") is L.mean_squared_error
    assert L.get("bce") is L.binary_crossentropy
    assert L.get("sparse_categorical_crossentropy") is L.sparse_categorical_crossentropy
    assert isinstance(L.get("MeanSquaredError"), L.MeanSquaredError)
    assert isinstance(L.get(L.Huber), L.Huber)
    assert L.get(None) is None
    loss = L.Huber()
    assert L.get(loss) is loss
    assert L.get(L.serialize(L.BinaryCrossentropy(from_logits=True))).from_logits is True
    for bad in ("nope", 3):
        with pytest.raises(ValueError, match=f"Could not interpret loss identifier: {bad}"):
            L.get(bad)


def test_serialize_deserialize():
    config = L.serialize(L.MeanSquaredError())
    assert config["class_name"] == "MeanSquaredError"
    assert config["config"] == {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}
    assert isinstance(L.deserialize(config), L.MeanSquaredError)
    assert L.deserialize("mse") is L.mean_squared_error
    assert isinstance(L.deserialize("MeanSquaredError"), L.MeanSquaredError)
    assert L.deserialize(L.serialize(L.mean_absolute_error)) is L.mean_absolute_error

    def huber_fn(y_true, y_pred):
        return tf.abs(y_true - y_pred)

    assert L.deserialize("huber_fn", custom_objects={"huber_fn": huber_fn}) is huber_fn
    restored = L.deserialize(L.serialize(HuberLoss(3.0)), custom_objects={"HuberLoss": HuberLoss})
    assert isinstance(restored, HuberLoss) and restored.threshold == 3.0


# ---- gradients -------------------------------------------------------------------------

GRAD_T = np.array([[0., 1., 0.], [1., 0., 0.]])
GRAD_P = np.array([[0.2, 0.7, 0.1], [0.55, 0.3, 0.15]])
GRAD_REG_T = np.array([[0.5, 1.5, 2.], [3., 0.2, 1.]])
GRAD_REG_P = np.array([[0.8, 0.4, 1.1], [2.4, 0.6, 1.7]])


@pytest.mark.parametrize("name", sorted(NUMPY_LOSSES))
def test_function_gradients(name):
    t, p = (GRAD_REG_T, GRAD_REG_P) if inputs_for(name)[0] is REG_T else (GRAD_T, GRAD_P)
    fn = getattr(L, name)
    check_gradients(lambda y_pred: fn(tf.constant(t), y_pred), p)


def test_crossentropy_gradients_from_logits():
    x = np.array([[0.3, -1.2, 2.], [1.5, 0.1, -0.4]])
    check_gradients(lambda z: L.binary_crossentropy(GRAD_T, z, from_logits=True), x)
    check_gradients(lambda z: L.categorical_crossentropy(GRAD_T, z, from_logits=True), x)
    check_gradients(lambda z: L.sparse_categorical_crossentropy([1, 0], z, from_logits=True), x)
    check_gradients(lambda z: L.sparse_categorical_crossentropy([1, 0], z), GRAD_P)


def test_loss_object_gradients_with_weights():
    for loss in (L.Huber(0.5, dtype="float64"), HuberLoss(0.5, dtype="float64"),
                 L.MeanSquaredError(reduction="sum", dtype="float64")):
        check_gradients(lambda p, w: loss(GRAD_REG_T, p, sample_weight=w),
                        GRAD_REG_P, [[0.3], [2.]])


@pytest.mark.parametrize("fn", [
    lambda p: L.mean_squared_error(GRAD_REG_T, p),
    lambda p: L.log_cosh(GRAD_REG_T, p),
    lambda p: L.binary_crossentropy(GRAD_T, p),
    lambda p: L.categorical_crossentropy(GRAD_T, p, from_logits=True),
])
def test_second_order(fn):
    check_second_order(fn, GRAD_P)


def test_no_numpy_warnings_on_saturated_probabilities():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # what `import tensorlite` installs: kernels' floating-point warnings are silent
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorlite(\.|$)")
        bce = L.binary_crossentropy([[0., 1.]], [[0., 1.]])
        cce = L.categorical_crossentropy([[0., 1.]], [[0., 0.]])
    # TF: probabilities are clipped to [eps, 1 - eps], so a perfect prediction costs
    # -log(1 - eps) ~ 2**-23; an all-zero prediction normalizes 0 / 0 to nan.
    np.testing.assert_allclose(bce.numpy(), [1.1920929e-07], rtol=1e-5)
    assert np.isnan(cce.numpy()).all() and cce.shape == (1,)
