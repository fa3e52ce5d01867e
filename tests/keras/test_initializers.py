"""keras.initializers: values, statistics, shapes/dtypes, seeding, lookup and serialization."""
import math
import random

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras import initializers as K


def test_constant_initializers():
    np.testing.assert_array_equal(K.Zeros()((2, 3)), np.zeros((2, 3)))
    ones = K.Ones()([2])
    assert ones.dtype == tf.float32 and ones.numpy().tolist() == [1.0, 1.0]
    assert K.Zeros()((2,), dtype=tf.float64).dtype == tf.float64
    assert K.Zeros()((2,), dtype="int32").numpy().tolist() == [0, 0]
    assert K.Ones()(tf.TensorShape([2, 1])).shape == (2, 1)
    assert K.Constant(3)((2, 2), dtype="int32").numpy().tolist() == [[3, 3], [3, 3]]
    assert K.Constant([1, 2])((3, 2)).numpy().tolist() == [[1.0, 2.0]] * 3
    assert K.Constant(2.5).get_config() == {"value": 2.5}
    assert K.Identity(gain=2.0)((2, 3)).numpy().tolist() == [[2, 0, 0], [0, 2, 0]]
    assert K.Zeros()(()).shape == ()


def test_random_draws_have_the_requested_distribution():
    n = (200, 250)
    normal = K.RandomNormal(mean=1.0, stddev=2.0, seed=1)(n).numpy()
    assert abs(normal.mean() - 1.0) < 0.05 and abs(normal.std() - 2.0) < 0.05
    uniform = K.RandomUniform(minval=-1.0, maxval=3.0, seed=1)(n).numpy()
    assert uniform.min() >= -1.0 and uniform.max() < 3.0 and abs(uniform.mean() - 1.0) < 0.03
    truncated = K.TruncatedNormal(stddev=0.5, seed=1)(n).numpy()
    assert np.abs(truncated).max() <= 1.0  # within two standard deviations
    ints = K.RandomUniform(minval=0, maxval=10, seed=3)((1000,), dtype="int32")
    assert ints.dtype == tf.int32 and set(ints.numpy().tolist()) == set(range(10))
    assert K.RandomNormal(seed=2)((3,), dtype="float64").dtype == tf.float64


@pytest.mark.parametrize("cls, mode_n, scale, distribution", [
    (K.GlorotUniform, lambda fi, fo: (fi + fo) / 2, 1.0, "uniform"),
    (K.GlorotNormal, lambda fi, fo: (fi + fo) / 2, 1.0, "truncated_normal"),
    (K.HeNormal, lambda fi, fo: fi, 2.0, "truncated_normal"),
    (K.HeUniform, lambda fi, fo: fi, 2.0, "uniform"),
    (K.LecunNormal, lambda fi, fo: fi, 1.0, "truncated_normal"),
    (K.LecunUniform, lambda fi, fo: fi, 1.0, "uniform"),
])
def test_variance_scaling_presets(cls, mode_n, scale, distribution):
    fan_in, fan_out = 300, 200
    w = cls(seed=7)((fan_in, fan_out)).numpy()
    variance = scale / mode_n(fan_in, fan_out)
    assert w.shape == (300, 200) and w.dtype == np.float32
    # the truncated normal's stddev is corrected so the variance is still scale / n
    assert abs(w.var() / variance - 1.0) < 0.03
    if distribution == "uniform":
        assert np.abs(w).max() <= math.sqrt(3 * variance)
    else:
        assert np.abs(w).max() <= 2 * math.sqrt(variance) / 0.87962566103423978 + 1e-6
    assert cls(seed=3).get_config() == {"seed": 3, "input_axes": None, "output_axes": None}


def test_fans_of_convolution_kernels_and_axes():
    assert K.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert K.compute_fans((5,)) == (5, 5) and K.compute_fans(()) == (1, 1)
    assert K.compute_fans((3, 4, 5), input_axes=[0, 1], output_axes=[2]) == (12, 5)
    w = K.VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=1,
                          input_axes=[0], output_axes=[2])((3, 4, 5)).numpy()
    assert np.abs(w).max() <= 1.0 and np.abs(w).max() > 0.9  # limit sqrt(3 / 3)
    w = K.VarianceScaling(scale=2.0, mode="fan_out", distribution="untruncated_normal",
                          seed=1)((100, 400)).numpy()
    assert abs(w.std() - math.sqrt(2 / 400)) < 0.003


def test_orthogonal():
    q = K.Orthogonal(seed=1)((3, 5)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-6)
    q = K.Orthogonal(gain=2.0, seed=1)((6, 4)).numpy()
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(4), atol=1e-5)
    assert K.Orthogonal(seed=1)((2, 3, 4)).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        K.Orthogonal()((2,))


def test_seeding_follows_keras3():
    seeded = K.RandomNormal(seed=5)
    np.testing.assert_array_equal(seeded((4,)), seeded((4,)))
    np.testing.assert_array_equal(K.GlorotUniform(seed=5)((3, 3)), K.GlorotUniform(seed=5)((3, 3)))
    assert not np.array_equal(K.GlorotUniform(seed=5)((3, 3)), K.GlorotUniform(seed=6)((3, 3)))
    # an unseeded instance draws its seed from Python's `random` when created ...
    unseeded = K.HeNormal()
    np.testing.assert_array_equal(unseeded((3, 3)), unseeded((3, 3)))
    assert not np.array_equal(K.HeNormal()((3, 3)), K.HeNormal()((3, 3)))
    # ... so seeding Python's random (keras.utils.set_random_seed does) reproduces it
    random.seed(11)
    first = K.HeNormal()((3, 3)).numpy()
    random.seed(11)
    np.testing.assert_array_equal(K.HeNormal()((3, 3)), first)
    assert K.RandomNormal().get_config()["seed"] is None
    with pytest.raises(ValueError, match="`seed` argument should be an instance"):
        K.RandomNormal(seed="x")


def test_stateless_draw_with_the_seed():
    expected = tf.random.stateless_normal((4,), seed=[5, 0], stddev=0.05)
    np.testing.assert_array_equal(K.RandomNormal(seed=5)((4,)), expected)


def test_errors():
    with pytest.raises(ValueError, match="only be used for 2D matrices"):
        K.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="`scale` must be positive"):
        K.VarianceScaling(scale=-1)
    with pytest.raises(ValueError, match="Invalid `mode` argument: x"):
        K.VarianceScaling(mode="x")
    with pytest.raises(ValueError, match="Invalid `distribution` argument: x"):
        K.VarianceScaling(distribution="x")
    with pytest.raises(NotImplementedError, match="must implement the `__call__"):
        K.Initializer()((2,))


def test_get_by_name_and_aliases():
    for name, cls in [("glorot_uniform", K.GlorotUniform), ("GlorotUniform", K.GlorotUniform),
                      ("he_normal", K.HeNormal), ("lecun_normal", K.LecunNormal),
                      ("zeros", K.Zeros), ("ones", K.Ones), ("uniform", K.RandomUniform),
                      ("normal", K.RandomNormal), ("orthogonal", K.Orthogonal),
                      ("identity", K.Identity), ("truncated_normal", K.TruncatedNormal),
                      ("variance_scaling", K.VarianceScaling)]:
        assert type(K.get(name)) is cls
    assert K.get("he_normal") is not K.get("he_normal")
    assert K.glorot_normal is K.GlorotNormal and K.he_normal is K.HeNormal
    assert K.get(None) is None
    instance = K.Ones()
    assert K.get(instance) is instance and type(K.get(K.Zeros)) is K.Zeros
    for bad in ["nope", 3]:
        with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
            K.get(bad)


def test_custom_initializer_function():
    def my_glorot_initializer(shape, dtype=tf.float32):
        stddev = tf.sqrt(2. / (shape[0] + shape[1]))
        return tf.random.normal(shape, stddev=stddev, dtype=dtype)
    assert K.get(my_glorot_initializer) is my_glorot_initializer
    assert K.get(my_glorot_initializer)((3, 4)).shape == (3, 4)


def test_serialization_round_trip():
    init = K.VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform", seed=4)
    config = K.serialize(init)
    assert (config["module"], config["class_name"]) == ("keras.initializers", "VarianceScaling")
    assert config["config"] == {"seed": 4, "scale": 2.0, "mode": "fan_avg",
                                "distribution": "uniform", "input_axes": None,
                                "output_axes": None}
    clone = K.get(config)
    assert type(clone) is K.VarianceScaling and clone.get_config() == init.get_config()
    np.testing.assert_array_equal(clone((2, 2)), init((2, 2)))
    assert K.deserialize("he_uniform") is K.HeUniform
    assert K.RandomUniform(seed=1).get_config() == {"seed": 1, "minval": -0.05, "maxval": 0.05}
    assert K.Orthogonal().get_config() == {"seed": None, "gain": 1.0}
    assert K.GlorotUniform(seed=2).clone().get_config()["seed"] == 2


def test_custom_initializer_subclass():
    class Twos(K.Initializer):
        def __call__(self, shape, dtype=None):
            return 2 * tf.ones(shape, dtype=dtype or tf.float32)

    assert Twos()((2,)).numpy().tolist() == [2.0, 2.0]
    assert Twos().get_config() == {} and type(Twos.from_config({})) is Twos
