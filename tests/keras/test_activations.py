"""keras.activations: values against NumPy (and TensorFlow), gradients, lookup, serialization."""
import math

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras import activations as A
from support import check_gradients

X = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0, 10.0])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softplus(x):
    return np.log1p(np.exp(x))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
ERF = np.vectorize(math.erf)

REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "softplus": softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
    "gelu": lambda x: 0.5 * x * (1 + ERF(x / np.sqrt(2))),
    "silu": lambda x: x * sigmoid(x),
    "swish": lambda x: x * sigmoid(x),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "exponential": np.exp,
    "hard_sigmoid": lambda x: np.clip(x + 3, 0, 6) / 6,
    "hard_silu": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "linear": lambda x: x,
    "mish": lambda x: x * np.tanh(softplus(x)),
    "celu": lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0)),
    "log_sigmoid": lambda x: -softplus(-x),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "softmax": lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum(),
    "log_softmax": lambda x: x - x.max() - np.log(np.exp(x - x.max()).sum()),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_against_numpy(name, dtype):
    result = getattr(A, name)(tf.constant(X.astype(dtype)))
    assert result.dtype == tf.as_dtype(dtype) and tuple(result.shape) == X.shape
    np.testing.assert_allclose(result.numpy(), REFERENCES[name](X), rtol=2e-6, atol=1e-7)


def test_values_printed_by_tensorflow():
    x = tf.constant([-3., -1., 0., 0.5, 2., 10.])
    np.testing.assert_allclose(A.gelu(x, approximate=True).numpy(),
                               [-3.6374331e-03, -1.5880799e-01, 0.0, 3.4571400e-01, 1.9545977,
                                10.0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(A.glu(x).numpy(), [-1.8673780, -0.8807971, 0.0], rtol=1e-6)
    np.testing.assert_array_equal(A.sparsemax(x).numpy(), [0, 0, 0, 0, 0, 1])
    np.testing.assert_allclose(A.elu(x, alpha=2.).numpy(),
                               [-1.9004259, -1.2642411, 0., 0.5, 2., 10.], rtol=1e-6)
    np.testing.assert_allclose(A.leaky_relu(x, negative_slope=0.1).numpy(),
                               [-0.3, -0.1, 0., 0.5, 2., 10.], rtol=1e-6)


def test_relu_options():
    x = tf.constant([-3., -1., 0., 0.5, 2., 10.])
    np.testing.assert_allclose(A.relu(x, negative_slope=0.1, max_value=5., threshold=0.2).numpy(),
                               [-0.32, -0.12, -0.02, 0.5, 2., 5.], rtol=1e-6)
    assert A.relu(x, max_value=1.).numpy().tolist() == [0, 0, 0, 0.5, 1, 1]
    thresholded = A.relu(x, threshold=0.5).numpy()
    assert thresholded.tolist() == [0, 0, 0, 0, 2, 10] and not np.signbit(thresholded).any()
    assert A.relu(x, max_value=6).numpy().tolist() == [0, 0, 0, 0.5, 2, 6]
    assert A.relu(x, negative_slope=0.5).numpy().tolist() == [-1.5, -0.5, 0, 0.5, 2, 10]
    assert A.threshold(x, 0.4, -1.).numpy().tolist() == [-1, -1, -1, 0.5, 2, 10]


def test_softmax_axes():
    x = np.array([[1., 2., 3.], [3., 5., 4.]])
    for axis in [0, 1, -1]:
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        np.testing.assert_allclose(A.softmax(tf.constant(x), axis=axis),
                                   e / e.sum(axis=axis, keepdims=True), rtol=1e-12)
        np.testing.assert_allclose(A.log_softmax(tf.constant(x), axis=axis),
                                   np.log(e / e.sum(axis=axis, keepdims=True)), rtol=1e-12)
    np.testing.assert_allclose(A.softmax(tf.constant(x), axis=(0, 1)).numpy().sum(), 1.0)
    np.testing.assert_allclose(A.log_softmax(tf.constant(x), axis=(0, 1)),
                               x - np.log(np.exp(x).sum()), rtol=1e-12)
    with pytest.warns(UserWarning, match="This axis has size 1"):
        A.softmax(tf.ones([3, 1]))


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match="divisible by 2"):
        A.glu(tf.ones([3]))


def test_sparsemax_against_numpy():
    logits = np.random.randn(4, 6)

    def np_sparsemax(z):
        s = np.sort(z)[::-1]
        k = np.arange(1, len(z) + 1)
        support = 1 + k * s > np.cumsum(s)
        tau = (np.cumsum(s)[support][-1] - 1) / k[support][-1]
        return np.maximum(z - tau, 0)
    result = A.sparsemax(tf.constant(logits)).numpy()
    np.testing.assert_allclose(result, np.stack([np_sparsemax(r) for r in logits]), atol=1e-12)
    np.testing.assert_allclose(result.sum(axis=-1), 1.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "elu", "selu", "gelu", "silu",
                                  "mish", "celu", "softsign", "log_sigmoid", "squareplus",
                                  "hard_sigmoid", "softmax", "log_softmax"])
def test_gradients(name):
    # points away from kinks
    check_gradients(getattr(A, name), np.array([[-2.1, -0.7, 0.3], [0.8, 1.7, 2.6]]))


def test_second_order():
    from support import check_second_order
    check_second_order(A.silu, np.array([-1.3, 0.4, 2.2]))


def test_accepts_python_and_numpy_values():
    assert A.relu([-1.0, 2.0]).numpy().tolist() == [0.0, 2.0]
    assert A.sigmoid(np.zeros(2)).numpy().tolist() == [0.5, 0.5]


def test_get():
    assert A.get("relu") is A.relu and A.get("softmax") is A.softmax
    assert A.get(None) is A.linear
    assert A.get("swish") is A.silu and A.get("hard_swish") is A.hard_silu
    assert A.get(tf.exp) is tf.exp

    def my_softplus(z):
        return tf.math.log(tf.exp(z) + 1.0)
    assert A.get(my_softplus) is my_softplus
    assert A.get({"module": "keras.activations", "class_name": "function", "config": "relu",
                  "registered_name": None}) is A.relu
    for bad in ["nope", 3]:
        with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
            A.get(bad)


def test_serialize_round_trips_through_get():
    for name in ["relu", "elu", "selu", "sigmoid", "softmax", "exponential", "tanh", "linear"]:
        assert A.serialize(A.get(name)) == name
        assert A.get(A.serialize(A.get(name))) is A.get(name)
    assert A.serialize(A.swish) == "silu"
    assert A.serialize(A.get(None)) == "linear"

    def my_softplus(z):
        return tf.math.log(tf.exp(z) + 1.0)
    config = A.serialize(my_softplus)
    assert config["class_name"] == "function" and config["config"] == "my_softplus"
    assert A.deserialize(config, custom_objects={"my_softplus": my_softplus}) is my_softplus
