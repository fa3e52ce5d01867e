"""keras.optimizers.schedules: values at fixed steps (TensorFlow's), configs, serialization."""
import math

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras.optimizers import schedules as S

STEPS = [0, 1, 5, 9, 10, 11, 15, 20, 25, 30, 40]


def values(schedule, steps=STEPS):
    return [round(float(schedule(step)), 7) for step in steps]


# Values printed by TensorFlow 2.21 / Keras 3.15 for the same schedules and steps.
@pytest.mark.parametrize("schedule, expected", [
    (S.ExponentialDecay(0.1, 10, 0.5, staircase=True),
     [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.00625]),
    (S.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
     [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1]),
    (S.InverseTimeDecay(0.1, 10, 0.5),
     [0.1, 0.0952381, 0.08, 0.0689655, 0.0666667, 0.0645161, 0.0571429, 0.05, 0.0444444, 0.04,
      0.0333333]),
    (S.InverseTimeDecay(0.1, 10, 0.5, staircase=True),
     [0.1, 0.1, 0.1, 0.1, 0.0666667, 0.0666667, 0.0666667, 0.05, 0.05, 0.04, 0.0333333]),
    (S.PolynomialDecay(0.1, 10, 0.01, power=2.0),
     [0.1, 0.0829, 0.0325, 0.0109, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]),
    (S.PolynomialDecay(0.1, 10, 0.01, power=0.5, cycle=True),
     [0.1, 0.0953815, 0.0736396, 0.0384605, 0.01, 0.0703738, 0.055, 0.01, 0.0467423, 0.01, 0.01]),
    (S.CosineDecay(0.1, 10, alpha=0.1),
     [0.1, 0.0977975, 0.055, 0.0122025, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]),
    (S.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=5),
     [0.0, 0.02, 0.1, 0.0654508, 0.05, 0.0345491, 0.0, 0.0, 0.0, 0.0, 0.0]),
    (S.CosineDecayRestarts(0.1, 10),
     [0.1, 0.0975528, 0.05, 0.0024472, 0.1, 0.0993844, 0.0853553, 0.05, 0.0146447, 0.1,
      0.0853553]),
    (S.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
     [0.1, 0.0977975, 0.055, 0.0122025, 0.055, 0.0538988, 0.0325, 0.0325, 0.02125, 0.02125,
      0.015625]),
])
def test_values_at_fixed_steps(schedule, expected):
    np.testing.assert_allclose(values(schedule), expected, rtol=2e-6, atol=1e-7)


def test_formulas_against_numpy():
    steps = np.arange(0, 50, 3)

    def at(schedule):
        return [float(schedule(int(step))) for step in steps]
    np.testing.assert_allclose(at(S.ExponentialDecay(0.01, 7, 0.3)), 0.01 * 0.3 ** (steps / 7),
                               rtol=1e-5)
    np.testing.assert_allclose(at(S.InverseTimeDecay(0.01, 100, 1.0)),
                               0.01 / (1 + steps / 100), rtol=1e-6)
    clipped = np.minimum(steps, 20)
    np.testing.assert_allclose(at(S.CosineDecay(0.2, 20)),
                               0.2 * 0.5 * (1 + np.cos(math.pi * clipped / 20)), atol=1e-7)
    np.testing.assert_allclose(at(S.PolynomialDecay(0.2, 20, 0.0)), 0.2 * (1 - clipped / 20),
                               atol=1e-7)


def test_book_chapter11_values():
    s = 20 * 5000 // 32
    lr = S.ExponentialDecay(0.01, s, 0.1)
    assert [round(float(lr(step)), 8) for step in [0, s // 2, s, 2 * s]] == \
        [0.01, 0.00316344, 0.001, 0.0001]
    # called with an optimizer's int64 iterations variable
    assert round(float(lr(tf.Variable(314, dtype=tf.int64))), 8) == 0.00793451
    piecewise = S.PiecewiseConstantDecay(boundaries=[785, 2355], values=[0.01, 0.005, 0.001])
    assert [round(float(piecewise(step)), 6) for step in [0, 785, 786, 2355, 2356]] == \
        [0.01, 0.01, 0.005, 0.005, 0.001]


def test_result_dtypes():
    result = S.ExponentialDecay(0.1, 10, 0.5)(3)
    assert isinstance(result, tf.Tensor) and result.dtype == tf.float32
    assert S.PiecewiseConstantDecay([10, 20], [1, 5, 7])(3).dtype == tf.int32
    assert S.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])(tf.constant(15, tf.int64)) == 0.5
    np.testing.assert_allclose(float(S.ExponentialDecay(0.1, 10, 0.5)(3.5)), 0.07845841, rtol=1e-6)


def test_schedules_trace_into_a_graph():
    schedule = S.CosineDecayRestarts(0.1, 10)
    traced = tf.function(lambda step: schedule(step))
    for step in [0, 7, 13, 31]:
        np.testing.assert_allclose(float(traced(tf.constant(step))), float(schedule(step)),
                                   rtol=1e-6)


def test_configs_and_serialization():
    assert sorted(S.ExponentialDecay(0.01, 3125, 0.1).get_config().items()) == [
        ("decay_rate", 0.1), ("decay_steps", 3125), ("initial_learning_rate", 0.01),
        ("name", "ExponentialDecay"), ("staircase", False)]
    assert S.PiecewiseConstantDecay([1], [1.0, 0.5]).get_config()["name"] == "PiecewiseConstant"
    assert S.CosineDecayRestarts(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 2.0, "m_mul": 1.0,
        "alpha": 0.0, "name": "SGDRDecay"}
    assert S.CosineDecay(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 10, "alpha": 0.0, "name": "CosineDecay",
        "warmup_target": None, "warmup_steps": 0}
    for schedule in [S.ExponentialDecay(0.1, 10, 0.5, staircase=True),
                     S.PolynomialDecay(0.1, 10, cycle=True), S.InverseTimeDecay(0.1, 5, 2.0)]:
        config = S.serialize(schedule)
        assert config["module"] == "keras.optimizers.schedules"
        assert config["class_name"] == type(schedule).__name__
        clone = S.deserialize(config)
        assert type(clone) is type(schedule) and clone is not schedule
        assert clone.get_config() == schedule.get_config()


def test_errors():
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        S.LearningRateSchedule()(1)
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less"):
        S.PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        S.ExponentialDecay(0.1, 0, 0.5)


def test_custom_schedule_subclass_with_an_optimizer():
    class Halving(S.LearningRateSchedule):
        def __call__(self, step):
            return 1.0 / tf.pow(2.0, tf.cast(step, tf.float32))

        def get_config(self):
            return {}

    from tensorlite.keras import optimizers
    opt = optimizers.SGD(Halving())
    var = tf.Variable([0.0])
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0]), var)])
    np.testing.assert_allclose(var.numpy(), [-1.75])
