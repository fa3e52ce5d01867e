"""tf.nn: values against NumPy, dtypes, gradients (central differences), TF's errors."""
import math

import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite import nn
from tensorlite import random as tf_random
from tensorlite.framework.errors import InvalidArgumentError

conftest.pytest_sessionstart(None)  # shape-check kernels registered after the session began

rng = np.random.default_rng(0)
X = rng.normal(size=(3, 4)) * 2


def np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# ---- activations ----------------------------------------------------------------------

ACTIVATIONS = {
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (nn.relu6, lambda x: np.clip(x, 0, 6)),
    "elu": (nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "selu": (nn.selu, lambda x: 1.0507009873554805 * np.where(
        x > 0, x, 1.6732632423543772 * np.expm1(x))),
    "leaky_relu": (nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("shape", [(), (0,), (2, 3)])
def test_activation_values(name, dtype, shape):
    fn, ref = ACTIVATIONS[name]
    x = (rng.normal(size=shape) * 5).astype(dtype)
    assert_tensor(fn(tf.constant(x)), ref(x.astype(np.float64)).astype(dtype),
                  dtype=dtype, rtol=2e-3 if dtype == np.float16 else 1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradients(name):
    fn = ACTIVATIONS[name][0]
    x = np.array([-7.5, -2.3, -0.4, 0.3, 1.7, 4.2, 8.1])  # away from the kinks
    check_gradients(fn, x)


@pytest.mark.parametrize("fn", [nn.elu, nn.selu, nn.softmax, nn.log_softmax])
def test_smooth_second_order(fn):
    check_second_order(fn, np.array([[-1.3, -0.2, 0.7, 2.1]]))


def test_relu_second_order_is_zero():
    check_second_order(lambda x: nn.relu(x) * nn.relu(x), np.array([-1.5, 0.5, 2.0]))


@pytest.mark.parametrize("fn", [nn.relu, nn.relu6, nn.elu, nn.selu, nn.leaky_relu, nn.softmax,
                                nn.log_softmax, nn.l2_loss])
def test_bfloat16_is_kept(fn):
    assert fn(tf.constant([1., -2., 0.5], tf.bfloat16)).dtype == tf.bfloat16


def test_relu_integer_dtypes():
    assert_tensor(nn.relu([1, -2]), np.array([1, 0], np.int32), dtype=tf.int32)
    assert_tensor(nn.relu6(tf.constant([1, -2, 8], tf.int8)), np.array([1, 0, 6], np.int8),
                  dtype=tf.int8)


def test_leaky_relu_alpha_and_integers():
    assert_tensor(nn.leaky_relu([1., -2.], alpha=2.), np.array([1., -4.], np.float32))
    assert_tensor(nn.leaky_relu([1, -2]), np.array([1., -0.4], np.float32), dtype=tf.float32)
    check_gradients(lambda x: nn.leaky_relu(x, alpha=0.3), np.array([-2., 1.5]))


def np_gelu(x, approximate=False):
    if approximate:
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / np.sqrt(2)))


@pytest.mark.parametrize("approximate", [False, True])
def test_gelu(approximate):
    x = np.linspace(-6, 6, 25)
    assert_tensor(nn.gelu(tf.constant(x), approximate=approximate), np_gelu(x, approximate),
                  dtype=tf.float64, rtol=1e-12, atol=1e-12)
    out = nn.gelu(tf.constant(x, tf.float32), approximate=approximate)
    assert_tensor(out, np_gelu(x, approximate).astype(np.float32), dtype=tf.float32,
                  rtol=1e-5, atol=1e-6)
    check_gradients(lambda t: nn.gelu(t, approximate=approximate), x)
    check_second_order(lambda t: nn.gelu(t, approximate=approximate), x[::4])
    with pytest.raises(ValueError, match="floating point"):
        nn.gelu([1, -2], approximate=approximate)


def test_silu():
    x = np.linspace(-8, 8, 17)
    assert_tensor(nn.silu(tf.constant(x)), x / (1 + np.exp(-x)), rtol=1e-12)
    assert_tensor(nn.swish(tf.constant(x), beta=2.), x / (1 + np.exp(-2 * x)), rtol=1e-12)
    check_gradients(nn.silu, x)
    check_second_order(lambda t: nn.silu(t, beta=0.5), x[::3])


def test_math_activations_are_in_tf_nn():
    from tensorlite.ops import math as math_ops
    for name in ("sigmoid", "tanh", "softplus", "softsign"):
        assert getattr(nn, name) is getattr(math_ops, name)


def test_activation_dtype_errors():
    with pytest.raises(InvalidArgumentError, match="Relu"):
        nn.relu([True])
    with pytest.raises(InvalidArgumentError, match="Elu"):
        nn.elu([1, -2])
    with pytest.raises(InvalidArgumentError, match="Selu"):
        nn.selu([1, -2])


# ---- softmax -------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,axis", [((4,), -1), ((3, 4), -1), ((3, 4), 0), ((2, 3, 4), 1),
                                        ((2, 3, 4), None), ((0, 3), -1)])
def test_softmax_values(shape, axis):
    x = rng.normal(size=shape) * 3
    ax = -1 if axis is None else axis
    expected = np.exp(np_log_softmax(x, ax))
    assert_tensor(nn.softmax(tf.constant(x), axis=axis), expected, dtype=tf.float64)
    assert_tensor(nn.log_softmax(tf.constant(x), axis=axis), np_log_softmax(x, ax))


def test_softmax_is_stable_and_keeps_dtype():
    big = np.array([[1000., 1001., 1002.]], np.float32)
    assert_tensor(nn.softmax(big), np.exp(np_log_softmax(big.astype(np.float64))),
                  dtype=tf.float32)
    assert np.isfinite(nn.log_softmax(big).numpy()).all()
    half = nn.softmax(tf.constant([1., 2., 3.], tf.float16))
    assert half.dtype == tf.float16
    np.testing.assert_allclose(half.numpy().astype(np.float64),
                               np.exp(np_log_softmax(np.array([1., 2., 3.]))), rtol=1e-3)


def test_softmax_gradients_on_any_axis():
    check_gradients(lambda x: nn.softmax(x) * tf.constant(X), X)
    check_gradients(lambda x: nn.softmax(x, axis=0) * tf.constant(X), X)
    check_gradients(lambda x: nn.log_softmax(x, axis=0) * tf.constant(X), X)


def test_softmax_errors():
    with pytest.raises(InvalidArgumentError, match="Softmax"):
        nn.softmax([1, 2])
    with pytest.raises(InvalidArgumentError, match="dim"):
        nn.softmax([[1., 2.]], axis=3)
    with pytest.raises(InvalidArgumentError, match="at least|>= 1 dimension"):
        nn.log_softmax(3.)


# ---- softmax cross-entropy ------------------------------------------------------------------

def np_xent(labels, logits, axis=-1):
    return -(labels * np_log_softmax(logits, axis)).sum(axis=axis)


def test_softmax_xent_values():
    labels = np.exp(np_log_softmax(rng.normal(size=(3, 4))))
    assert_tensor(nn.softmax_cross_entropy_with_logits(labels, X), np_xent(labels, X))
    out = nn.softmax_cross_entropy_with_logits([[0., 1.]], [[1., 2.]])
    assert_tensor(out, np.array([0.31326166], np.float32), dtype=tf.float32)
    # rank 1, rank 3, another axis, integer labels cast to the logits' dtype
    assert_tensor(nn.softmax_cross_entropy_with_logits([0., 1., 0.], [1., 2., 3.]),
                  np.float32(1.4076059), dtype=tf.float32)
    x3 = rng.normal(size=(2, 3, 4))
    l3 = np.exp(np_log_softmax(rng.normal(size=(2, 3, 4))))
    assert_tensor(nn.softmax_cross_entropy_with_logits(l3, x3), np_xent(l3, x3))
    assert_tensor(nn.softmax_cross_entropy_with_logits(l3, x3, axis=1), np_xent(l3, x3, 1))
    assert_tensor(nn.softmax_cross_entropy_with_logits([[0, 1]], [[1., 2.]]),
                  np.array([0.31326166], np.float32))


def test_softmax_xent_float16_and_extremes():
    out = nn.softmax_cross_entropy_with_logits(tf.constant([[0., 1.]], tf.float16),
                                               tf.constant([[1., 2.]], tf.float16))
    assert out.dtype == tf.float16
    big = nn.softmax_cross_entropy_with_logits([[1., 0.]], [[-500., 500.]])
    assert_tensor(big, np.array([1000.], np.float32))


def test_softmax_xent_gradients():
    # The fused backprop is softmax - labels: labels must sum to 1 along the axis.
    labels = np.exp(np_log_softmax(rng.normal(size=(3, 4))))
    check_gradients(nn.softmax_cross_entropy_with_logits, labels, X)
    labels0 = np.exp(np_log_softmax(rng.normal(size=(3, 4)), axis=0))
    check_gradients(lambda lab, x: nn.softmax_cross_entropy_with_logits(lab, x, axis=0),
                    labels0, X)
    lab = tf.constant(labels)
    check_second_order(lambda x: nn.softmax_cross_entropy_with_logits(lab, x), X)


def test_softmax_xent_backprop_output_second_order():
    # d/dx of the gradient (which uses the fused backprop output) is the softmax Jacobian.
    lab = tf.constant([[0.2, 0.5, 0.3]], tf.float64)
    x = tf.constant([[0.1, -0.4, 0.9]], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = nn.softmax_cross_entropy_with_logits(lab, x)
        g = inner.gradient(loss, x)
        picked = tf.reduce_sum(g * tf.constant([[1., 0., 0.]], tf.float64))
    h = outer.gradient(picked, x).numpy()[0]
    s = np.exp(np_log_softmax(x.numpy()))[0]
    np.testing.assert_allclose(h, s[0] * (np.eye(3)[0] - s), rtol=1e-10)


def test_softmax_xent_errors():
    with pytest.raises(InvalidArgumentError, match="broadcastable"):
        nn.softmax_cross_entropy_with_logits([[0., 1., 0.]], [[1., 2.]])


def test_sparse_xent_values_and_gradients():
    labels = np.array([0, 3, 1])
    expected = -np_log_softmax(X)[np.arange(3), labels]
    for dtype in (tf.int32, tf.int64):
        out = nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels, dtype), X)
        assert_tensor(out, expected, dtype=tf.float64)
    lab = tf.constant(labels)
    check_gradients(lambda x: nn.sparse_softmax_cross_entropy_with_logits(lab, x), X)
    check_second_order(lambda x: nn.sparse_softmax_cross_entropy_with_logits(lab, x), X)


def test_sparse_xent_shapes():
    x3 = rng.normal(size=(2, 3, 4))
    l2 = np.array([[0, 1, 2], [3, 3, 0]])
    expected = -np.take_along_axis(np_log_softmax(x3), l2[..., None], -1)[..., 0]
    assert_tensor(nn.sparse_softmax_cross_entropy_with_logits(l2, x3), expected)
    assert_tensor(nn.sparse_softmax_cross_entropy_with_logits(0, [1., 2., 3.]),
                  np.float32(2.4076059), dtype=tf.float32)
    lab = tf.constant(l2)
    check_gradients(lambda x: nn.sparse_softmax_cross_entropy_with_logits(lab, x), x3)
    empty = nn.sparse_softmax_cross_entropy_with_logits(tf.zeros([0], tf.int32),
                                                        tf.zeros([0, 3]))
    assert empty.shape == (0,)


def test_sparse_xent_errors():
    logits = [[1., 2., 3.], [1., 2., 3.]]
    with pytest.raises(InvalidArgumentError,
                       match=r"label value of 5 which is outside the valid range of \[0, 3\)"
                             r"\.  Label values: 0 5"):
        nn.sparse_softmax_cross_entropy_with_logits([0, 5], logits)
    with pytest.raises(InvalidArgumentError, match="-1"):
        nn.sparse_softmax_cross_entropy_with_logits([0, -1], logits)
    with pytest.raises(InvalidArgumentError, match="Tlabels"):
        nn.sparse_softmax_cross_entropy_with_logits([0., 1.], logits)
    with pytest.raises(ValueError, match="except for the last dimension"):
        nn.sparse_softmax_cross_entropy_with_logits([0, 1, 1], logits)


# ---- sigmoid cross-entropies -----------------------------------------------------------------

def np_sigmoid_xent(z, x):
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


def test_sigmoid_xent():
    z = rng.uniform(size=(3, 4))
    assert_tensor(nn.sigmoid_cross_entropy_with_logits(z, X), np_sigmoid_xent(z, X))
    extreme = nn.sigmoid_cross_entropy_with_logits([0., 1., 1., 0.], [-100., 100., -100., 100.])
    assert_tensor(extreme, np.array([0., 0., 100., 100.], np.float32))
    check_gradients(nn.sigmoid_cross_entropy_with_logits, z, X)
    with pytest.raises(ValueError, match="same shape"):
        nn.sigmoid_cross_entropy_with_logits([0., 1.], [1., 2., 3.])
    with pytest.raises(InvalidArgumentError, match="int32"):  # converted separately, as in TF
        nn.sigmoid_cross_entropy_with_logits([0, 1], [-1., 1.])


def test_weighted_xent():
    z = rng.uniform(size=(3, 4))
    q = 2.5
    expected = (1 - z) * X + (1 + (q - 1) * z) * (np.log1p(np.exp(-np.abs(X)))
                                                   + np.maximum(-X, 0))
    assert_tensor(nn.weighted_cross_entropy_with_logits(z, X, q), expected)
    # pos_weight 1 is the plain sigmoid cross-entropy
    assert_tensor(nn.weighted_cross_entropy_with_logits(z, X, 1.), np_sigmoid_xent(z, X))
    check_gradients(lambda lab, x: nn.weighted_cross_entropy_with_logits(lab, x, q), z, X)


# ---- moments, normalization -------------------------------------------------------------------

def test_moments():
    x = rng.normal(size=(3, 4, 5))
    mean, var = nn.moments(tf.constant(x), axes=[0, 2])
    assert_tensor(mean, x.mean(axis=(0, 2)))
    assert_tensor(var, x.var(axis=(0, 2)))
    mean, var = nn.moments(tf.constant(x, tf.float32), axes=-1, keepdims=True)
    assert_tensor(mean, x.mean(-1, keepdims=True).astype(np.float32), dtype=tf.float32,
                  rtol=1e-5)
    assert_tensor(var, x.var(-1, keepdims=True).astype(np.float32), rtol=1e-5)
    imean, ivar = nn.moments(tf.constant([1, 2, 4]), axes=[0])
    assert_tensor(imean, np.int32(2), dtype=tf.int32)
    assert_tensor(ivar, np.int32(1), dtype=tf.int32)
    hmean, hvar = nn.moments(tf.constant([1., 2., 4.], tf.float16), axes=[0])
    assert hmean.dtype == tf.float16 and hvar.dtype == tf.float16
    np.testing.assert_allclose(float(hvar), 14 / 9, rtol=1e-3)


def test_moments_gradients():
    weights = tf.constant([1., 3., 2.], tf.float64)
    check_gradients(lambda x: (nn.moments(x, axes=[0])[0] + 2 * nn.moments(x, axes=[0])[1])
                    * weights, np.ascontiguousarray(X.T))


def test_batch_normalization():
    x = rng.normal(size=(5, 3))
    mean, var = x.mean(0), x.var(0)
    offset, scale = np.array([0.1, 0.2, 0.3]), np.array([1.5, 0.5, 2.])
    out = nn.batch_normalization(tf.constant(x), mean, var, offset, scale, 1e-3)
    assert_tensor(out, (x - mean) / np.sqrt(var + 1e-3) * scale + offset)
    assert_tensor(nn.batch_normalization(tf.constant(x), mean, var, None, None, 1e-3),
                  (x - mean) / np.sqrt(var + 1e-3))
    check_gradients(lambda a, m, v, o, s: nn.batch_normalization(a, m, v, o, s, 1e-3),
                    x, mean, var + 0.5, offset, scale)


def test_l2_normalize():
    assert_tensor(nn.l2_normalize([3., 4.]), np.array([0.6, 0.8], np.float32))
    assert_tensor(nn.l2_normalize(tf.constant(X), axis=1),
                  X / np.linalg.norm(X, axis=1, keepdims=True))
    assert_tensor(nn.l2_normalize(tf.zeros([3])), np.zeros(3, np.float32))
    check_gradients(lambda x: nn.l2_normalize(x, axis=0) * tf.constant(X), X)
    with pytest.raises(TypeError):
        nn.l2_normalize([3, 4])


def test_l2_loss():
    assert_tensor(nn.l2_loss(tf.constant(X)), np.sum(X ** 2) / 2, dtype=tf.float64)
    assert_tensor(nn.l2_loss(tf.zeros([0])), np.float32(0), dtype=tf.float32)
    check_gradients(nn.l2_loss, X)


# ---- bias_add ---------------------------------------------------------------------------------

def test_bias_add():
    v = rng.normal(size=(2, 3, 4))
    b = rng.normal(size=4)
    assert_tensor(nn.bias_add(tf.constant(v), b), v + b)
    c = rng.normal(size=3)
    for fmt in ("NCHW", "NCW", "NC..."):
        assert_tensor(nn.bias_add(tf.constant(v), c, data_format=fmt), v + c[:, None])
    assert_tensor(nn.bias_add(tf.constant(v), b, data_format="NWC"), v + b)
    assert_tensor(nn.bias_add([[1, 2]], [3, 4]), np.array([[4, 6]], np.int32), dtype=tf.int32)
    check_gradients(nn.bias_add, v, b)
    check_gradients(lambda x, y: nn.bias_add(x, y, data_format="NCHW"), v, c)


def test_bias_add_errors():
    with pytest.raises(InvalidArgumentError, match=r"as many biases .*\[3\] vs. \[1,2\]"):
        nn.bias_add([[1., 2.]], [1., 2., 3.])
    with pytest.raises(InvalidArgumentError, match="Biases must be 1D"):
        nn.bias_add([[1., 2.]], [[1., 2.]])
    with pytest.raises(InvalidArgumentError, match="at least 2D"):
        nn.bias_add([1., 2.], [1., 2.])
    with pytest.raises(InvalidArgumentError, match="BiasAdd"):
        nn.bias_add(tf.constant([[1., 2.]]), tf.constant([1, 2]))
    with pytest.raises(ValueError, match="data_format"):
        nn.bias_add(tf.ones([1, 2, 3]), [1., 2.], data_format="XYZ")


# ---- dropout --------------------------------------------------------------------------------------

def test_dropout_scales_kept_units():
    x = tf.ones([20000])
    out = nn.dropout(x, 0.3).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert abs(1 - kept.mean() - 0.3) < 0.02
    assert_tensor(nn.dropout(tf.constant(X), 0.), X)
    tensor_rate = nn.dropout(tf.ones([20000]), tf.constant(0.5)).numpy()
    assert set(np.unique(tensor_rate)) <= {0., 2.}
    assert abs((tensor_rate == 0).mean() - 0.5) < 0.03


def test_dropout_noise_shape_and_seed():
    out = nn.dropout(tf.ones([4, 50]), 0.5, noise_shape=[4, 1]).numpy()
    assert all(len(set(row)) == 1 for row in out)  # one decision per row
    out = nn.dropout(tf.ones([4, 50]), 0.5, noise_shape=[None, 1]).numpy()
    assert all(len(set(row)) == 1 for row in out)
    tf_random.set_seed(7)
    a = nn.dropout(tf.ones([100]), 0.5, seed=3).numpy()
    tf_random.set_seed(7)
    b = nn.dropout(tf.ones([100]), 0.5, seed=3).numpy()
    tf_random.set_seed(None)
    np.testing.assert_array_equal(a, b)


def test_dropout_gradient_is_the_mask():
    x = tf.constant(rng.normal(size=1000))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = nn.dropout(x, 0.25)
    g = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(g, np.where(y.numpy() != 0, 1 / 0.75, 0.))


def test_dropout_errors():
    for rate in (1.0, -0.1):
        with pytest.raises(ValueError, match=r"in the range \[0, 1\)"):
            nn.dropout(tf.ones([3]), rate)
    with pytest.raises(ValueError, match="floating point"):
        nn.dropout(tf.ones([3], tf.int32), 0.5)
    with pytest.raises(ValueError, match="rank 0"):
        nn.dropout(tf.ones([3]), tf.constant([0.5, 0.5]))


# ---- losses for custom loops --------------------------------------------------------------------

def test_compute_average_loss():
    assert_tensor(nn.compute_average_loss([1., 2., 3.]), np.float32(2.), dtype=tf.float32)
    assert_tensor(nn.compute_average_loss([1., 2., 3.], global_batch_size=6), np.float32(1.))
    assert_tensor(nn.compute_average_loss([[1., 2., 3.]], sample_weight=2.), np.float32(12.))
    assert_tensor(nn.compute_average_loss([1, 2, 3]), np.float64(2.), dtype=tf.float64)
    with pytest.raises(TypeError, match="integer"):
        nn.compute_average_loss([1., 2.], global_batch_size=2.)
    with pytest.raises(ValueError, match="rank 1"):
        nn.compute_average_loss(1.)
    check_gradients(lambda x: nn.compute_average_loss(x), X)


def test_scale_regularization_loss():
    assert_tensor(nn.scale_regularization_loss([1., 2., 3.]), np.float32(6.), dtype=tf.float32)
    assert_tensor(nn.scale_regularization_loss(2.), np.float32(2.))


# ---- traced with an unknown batch dimension (shape rules with None dims) ----------------------

def test_traced_with_unknown_batch_matches_eager():
    labels = np.array([1, 0, 3])

    def fn(x):
        sparse = nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels), x)
        dense = nn.softmax_cross_entropy_with_logits(nn.softmax(x), x)
        mean, var = nn.moments(x, axes=[0])
        return (sparse, dense, nn.log_softmax(x, axis=0), nn.bias_add(x, tf.ones([4])),
                mean, var, nn.l2_normalize(x, axis=1), nn.elu(x), nn.relu(x))

    traced = tf.function(fn, input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    x = tf.constant(X, tf.float32)
    for got, want in zip(traced(x), fn(x)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)


def test_traced_gradient_matches_eager():
    def loss_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(nn.sparse_softmax_cross_entropy_with_logits(
                tf.constant([1, 0, 3]), nn.selu(x)))
        return tape.gradient(loss, x)

    x = tf.constant(X, tf.float32)
    traced = tf.function(loss_grad, input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    np.testing.assert_allclose(traced(x).numpy(), loss_grad(x).numpy(), rtol=1e-6)


def test_traced_dropout_draws_new_masks():
    @tf.function(input_signature=[tf.TensorSpec([None, 50], tf.float32)])
    def f(x):
        return nn.dropout(x, 0.5)

    a, b = f(tf.ones([2, 50])).numpy(), f(tf.ones([2, 50])).numpy()
    assert set(np.unique(a)) == {0., 2.} and not np.array_equal(a, b)
