"""keras.regularizers and keras.constraints: values on fixed tensors, configs, lookup."""
import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras import constraints as C
from tensorlite.keras import regularizers as R
from support import check_gradients

W = np.array([[1., -2.], [3., -4.]], np.float32)


# ---- regularizers -------------------------------------------------------------------------

def test_penalties_match_tensorflow():
    # TensorFlow's float32 values (the book's chapter 11 checks)
    w = tf.constant(W)
    assert R.l2(0.01)(w).numpy() == np.float32(0.29999998211860657)
    assert R.l1(0.01)(w).numpy() == np.float32(0.09999999403953552)
    assert R.l1_l2(l1=0.01, l2=0.01)(w).numpy() == np.float32(0.3999999761581421)
    assert R.L1L2(l1=0.1)(w).numpy() == np.float32(1.0)
    assert R.L2(0.0)(w).numpy() == 0.0


def test_penalties_against_numpy_in_float64():
    w = np.random.randn(4, 3)
    x = tf.constant(w)
    np.testing.assert_allclose(R.L1(0.3)(x), 0.3 * np.abs(w).sum(), rtol=1e-6)
    np.testing.assert_allclose(R.L2(0.2)(x), 0.2 * np.square(w).sum(), rtol=1e-12)
    np.testing.assert_allclose(R.L1L2(0.1, 0.2)(x),
                               0.1 * np.abs(w).sum() + 0.2 * np.square(w).sum(), rtol=1e-6)
    assert R.L1L2(0.1, 0.2)(x).dtype == tf.float64


def test_penalties_are_differentiable():
    check_gradients(lambda x: R.L2(0.3)(x), np.random.randn(3, 2))
    check_gradients(lambda x: R.L1L2(0.1, 0.2)(x), np.random.randn(3, 2) + 0.5)


def test_orthogonal_regularizer():
    w = tf.constant(W)
    # rows [1, -2] and [3, -4]: |cos| = 11 / (sqrt(5) * 5)
    np.testing.assert_allclose(float(R.OrthogonalRegularizer()(w)),
                               0.01 * 0.5 * 2 * 11 / (5 * np.sqrt(5)), rtol=1e-6)
    np.testing.assert_allclose(float(R.OrthogonalRegularizer(mode="columns")(w)),
                               0.009899494238197803, rtol=1e-6)
    assert float(R.OrthogonalRegularizer(factor=1.0)(tf.eye(3))) == 0.0
    with pytest.raises(ValueError, match="must have rank 2"):
        R.OrthogonalRegularizer()(tf.ones([2, 2, 2]))
    with pytest.raises(ValueError, match="Invalid value for argument `mode`"):
        R.OrthogonalRegularizer(mode="diag")


def test_regularizer_configs():
    # Keras keeps L1's factor as a float32 tensor, and its config shows it
    assert R.L1().get_config() == {"l1": 0.009999999776482582}
    assert R.L2().get_config() == {"l2": 0.01} and R.L2(None).get_config() == {"l2": 0.01}
    assert R.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert R.l1_l2(0.01, 0.01).get_config() == {"l1": 0.01, "l2": 0.01}
    assert R.OrthogonalRegularizer().get_config() == {"factor": 0.009999999776482582,
                                                      "mode": "rows"}
    with pytest.raises(ValueError, match="Invalid value for argument l2: expected a "
                                         "non-negative float"):
        R.L2(-1.0)
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        R.Regularizer().get_config()


def test_regularizer_lookup_and_serialization():
    config = R.serialize(R.l2(0.05))
    assert config == {"module": "keras.regularizers", "class_name": "L2",
                      "config": {"l2": 0.05}, "registered_name": None}
    clone = R.get(config)
    assert type(clone) is R.L2 and clone.l2 == 0.05
    assert type(R.get("l2")) is R.L2 and type(R.get("L1L2")) is R.L1L2
    assert R.get(None) is None
    for bad in ["l1_l2", "nope", 3]:
        with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
            R.get(bad)


def test_custom_regularizers():
    def my_l1_regularizer(weights):
        return tf.reduce_sum(tf.abs(0.01 * weights))
    assert R.get(my_l1_regularizer) is my_l1_regularizer

    class MyL1Regularizer(R.Regularizer):
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, weights):
            return tf.reduce_sum(tf.abs(self.factor * weights))

        def get_config(self):
            return {"factor": self.factor}

    reg = MyL1Regularizer(0.01)
    np.testing.assert_allclose(float(reg(tf.constant(W))), 0.1, rtol=1e-6)
    assert MyL1Regularizer.from_config(reg.get_config()).factor == 0.01
    assert R.serialize(reg)["config"] == {"factor": 0.01}


# ---- constraints ------------------------------------------------------------------------------

def test_max_norm_matches_tensorflow():
    w = tf.constant([[3., 0.1], [4., 0.2]])
    np.testing.assert_array_equal(C.max_norm(1.)(w).numpy(),
                                  np.array([[0.6, 0.09999996], [0.8, 0.19999991]], np.float32))
    np.testing.assert_allclose(C.MaxNorm(1., axis=1)(w).numpy(),
                               [[0.9994449, 0.03331483], [0.99875236, 0.04993762]], rtol=1e-6)
    out = C.max_norm(2., axis=[0, 1, 2])(tf.ones([3, 3, 1, 2]))
    np.testing.assert_allclose(out.numpy(), np.full((3, 3, 1, 2), 2 / 3), rtol=1e-6)
    # integer weights are constrained in float32
    ints = C.MaxNorm(1.)(tf.constant([1, -2]))
    assert ints.dtype == tf.float32
    np.testing.assert_allclose(ints.numpy(), [0.4472136, -0.8944272], rtol=1e-6)


def test_max_norm_against_numpy():
    w = np.random.randn(5, 4) * 2
    norms = np.sqrt((w ** 2).sum(axis=0, keepdims=True))
    expected = w * np.clip(norms, 0, 1.5) / (1e-7 + norms)
    np.testing.assert_allclose(C.MaxNorm(1.5)(tf.constant(w)), expected, rtol=1e-12)


def test_other_constraints():
    w = tf.constant([[3., 0.1], [4., 0.2]])
    result = C.NonNeg()(w - 1.)
    assert result.numpy().tolist() == [[2., 0.], [3., 0.]]
    assert not np.signbit(result.numpy()).any()  # no negative zeros
    assert C.NonNeg()(tf.constant([1, -2])).numpy().tolist() == [1, 0]
    np.testing.assert_allclose(C.UnitNorm()(w).numpy(),
                               [[0.6, 0.44721338], [0.8, 0.89442676]], rtol=1e-6)
    np.testing.assert_allclose(C.MinMaxNorm(0.5, 1.0)(w).numpy(),
                               [[0.6, 0.22360669], [0.8, 0.44721338]], rtol=1e-6)
    np.testing.assert_allclose(C.MinMaxNorm(0.5, 1.0, rate=0.5)(w).numpy(),
                               [[1.8000001, 0.16180332], [2.4, 0.32360664]], rtol=1e-6)
    np.testing.assert_array_equal(C.Constraint()(w), w)


def test_constraint_configs_and_lookup():
    assert sorted(C.max_norm(1.).get_config().items()) == [("axis", 0), ("max_value", 1.0)]
    assert C.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert C.NonNeg().get_config() == {} and C.UnitNorm().get_config() == {"axis": 0}
    assert C.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0,
                                           "axis": 0}
    config = C.serialize(C.max_norm(1.))
    assert config == {"module": "keras.constraints", "class_name": "MaxNorm",
                      "config": {"max_value": 1.0, "axis": 0}, "registered_name": None}
    assert C.get(config).get_config() == {"max_value": 1.0, "axis": 0}
    for name, cls in [("max_norm", C.MaxNorm), ("non_neg", C.NonNeg), ("unit_norm", C.UnitNorm),
                      ("min_max_norm", C.MinMaxNorm), ("MaxNorm", C.MaxNorm)]:
        assert type(C.get(name)) is cls
    assert C.get(None) is None

    def my_positive_weights(weights):
        return tf.where(weights < 0., tf.zeros_like(weights), weights)
    assert C.get(my_positive_weights) is my_positive_weights
    for bad in ["nonneg", 3]:
        with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
            C.get(bad)


def test_constraint_applied_by_an_optimizer():
    from tensorlite.keras import optimizers
    var = tf.Variable([[3.0, 0.1], [4.0, 0.2]], constraint=C.MaxNorm(1.0))
    optimizers.SGD(learning_rate=0.0).apply_gradients([(tf.zeros([2, 2]), var)])
    np.testing.assert_allclose(var.numpy(), [[0.6, 0.1], [0.8, 0.2]], rtol=1e-5)
