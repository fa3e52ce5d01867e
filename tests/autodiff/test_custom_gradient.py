import numpy as np
import pytest

import tensorlite as tf


@tf.custom_gradient
def stable_softplus(z):
    def grad(upstream):
        return upstream * (1 - 1 / (1 + tf.exp(z)))
    return tf.math.log(1 + tf.exp(-tf.abs(z))) + tf.maximum(0., z), grad


def test_custom_gradient_replaces_the_rule():
    x = tf.Variable([1000.])
    with tf.GradientTape() as tape:
        z = stable_softplus(x)
    np.testing.assert_allclose(z.numpy(), [1000.])
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), [1.])


def test_custom_gradient_without_tape_just_runs():
    np.testing.assert_allclose(stable_softplus(tf.constant([0.])).numpy(), [np.log(2.)],
                               rtol=1e-6)


def test_custom_gradient_user_rule_is_used_not_autodiff():
    @tf.custom_gradient
    def clip_grad(x):
        return tf.identity(x) * 1.0, lambda dy: dy * 0.5

    x = tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clip_grad(x) * 4.
    assert float(tape.gradient(y, x)) == 2.0


def test_custom_gradient_with_variables():
    v = tf.Variable(2.)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            return dy * v, [dy * x * 10.]   # deliberately not the true d/dv
        return x * v, grad

    x = tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    gx, gv = tape.gradient(y, [x, v])
    assert float(gx) == 2.0 and float(gv) == 30.0


def test_custom_gradient_with_variables_needs_variables_kwarg():
    v = tf.Variable(2.)

    @tf.custom_gradient
    def scale(x):
        return x * v, lambda dy: dy * v

    with tf.GradientTape() as tape:
        with pytest.raises(TypeError, match="variables"):
            scale(tf.constant(1.))


def test_second_order_through_custom_gradient():
    @tf.custom_gradient
    def cube(x):
        return x * x * x, lambda dy: dy * 3. * x * x

    x = tf.Variable(2.)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = cube(x)
        g = inner.gradient(y, x)
    assert float(g) == 12.0
    assert float(outer.gradient(g, x)) == 12.0
