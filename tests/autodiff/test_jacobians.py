import numpy as np
import pytest

import tensorlite as tf


def test_jacobian_of_elementwise_and_matmul():
    x = tf.constant([[1., 2.], [3., 4.]])
    w = tf.Variable([[1., 0., 2.], [0., 1., 3.]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.matmul(x, w)          # (2, 3)
    jx = tape.jacobian(y, x)          # (2, 3, 2, 2)
    assert jx.shape == [2, 3, 2, 2]
    expected = np.zeros((2, 3, 2, 2))
    for i in range(2):
        for j in range(3):
            expected[i, j, i, :] = w.numpy()[:, j]
    np.testing.assert_allclose(jx.numpy(), expected)
    jw = tape.jacobian(y, w)
    assert jw.shape == [2, 3, 2, 3]
    np.testing.assert_allclose(jw.numpy()[1, 2, :, 2], x.numpy()[1])


def test_jacobian_of_scalar_and_unconnected():
    x = tf.constant([1., 2., 3.])
    z = tf.constant(1.)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = tf.reduce_sum(x * x)
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), [2., 4., 6.])
    assert tape.jacobian(y, z) is None
    assert float(tape.jacobian(y, z, unconnected_gradients="zero")) == 0.0


def test_batch_jacobian():
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x * tf.constant([1., 10.])      # (3, 2), per-example diagonal
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == [3, 2, 2]
    for b in range(3):
        np.testing.assert_allclose(bj.numpy()[b], np.diag(2 * x.numpy()[b] * [1., 10.]))


def test_jacobian_on_used_non_persistent_tape_raises():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError):
        tape.jacobian(y, x)
