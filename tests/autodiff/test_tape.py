import numpy as np
import pytest

import tensorlite as tf
from support import check_gradients


def f(w1, w2):
    return 3 * w1 ** 2 + 2 * w1 * w2


def test_book_gradients():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape() as tape:
        z = f(w1, w2)
    g = tape.gradient(z, [w1, w2])
    assert isinstance(g, list)
    assert [float(x) for x in g] == [36.0, 10.0]


def test_non_persistent_tape_used_once():
    w1 = tf.Variable(5.)
    with tf.GradientTape() as tape:
        z = w1 * w1
    tape.gradient(z, w1)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used"):
        tape.gradient(z, w1)


def test_persistent_tape():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape(persistent=True) as tape:
        z = f(w1, w2)
    assert float(tape.gradient(z, w1)) == 36.0
    assert float(tape.gradient(z, w2)) == 10.0


def test_constants_need_watch():
    c1, c2 = tf.constant(5.), tf.constant(3.)
    with tf.GradientTape() as tape:
        z = f(c1, c2)
    assert tape.gradient(z, [c1, c2]) == [None, None]
    with tf.GradientTape() as tape:
        tape.watch(c1)
        tape.watch(c2)
        z = f(c1, c2)
    assert [float(x) for x in tape.gradient(z, [c1, c2])] == [36.0, 10.0]


def test_list_target_sums():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape() as tape:
        zs = [f(w1, w2 + 2.), f(w1, w2 + 5.), f(w1, w2 + 7.)]
    assert [float(x) for x in tape.gradient(zs, [w1, w2])] == [136.0, 30.0]


def test_hessian_with_nested_tapes():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            z = f(w1, w2)
        jac = inner.gradient(z, [w1, w2])
    hess = [outer.gradient(j, [w1, w2]) for j in jac]
    assert float(hess[0][0]) == 6.0 and float(hess[0][1]) == 2.0
    assert float(hess[1][0]) == 2.0 and hess[1][1] is None


def test_unconnected_gradients():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape(persistent=True) as tape:
        z = 2. * w1
    assert tape.gradient(z, [w1, w2])[1] is None
    zero = tape.gradient(z, w2, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(zero) == 0.0 and zero.dtype is tf.float32
    with pytest.raises(ValueError):
        tape.gradient(z, w2, unconnected_gradients="bogus")


def test_nested_sources_and_output_gradients():
    x = tf.constant([1., 2.])
    y = tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x * y
    g = tape.gradient(z, {"a": x, "b": (y,)}, output_gradients=tf.constant([10., 100.]))
    np.testing.assert_allclose(g["a"].numpy(), [30., 300.])
    assert float(g["b"][0]) == 210.0


def test_integer_sources_give_none():
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_stop_recording():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape() as tape:
        z = w1 * w2
        with tape.stop_recording():
            extra = w1 * 100.
        z = z + w2 + extra
    g = tape.gradient(z, [w1, w2])
    assert float(g[0]) == 3.0 and float(g[1]) == 6.0


def test_watch_accessed_variables_false_and_watched_variables():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w2)
        z = w1 * w2
    assert tape.gradient(z, [w1, w2])[0] is None
    with tf.GradientTape() as tape:
        z = w2 * w1
    assert tape.watched_variables() == (w2, w1)


def test_non_trainable_variables_not_watched():
    v = tf.Variable(2., trainable=False)
    with tf.GradientTape() as tape:
        z = v * v
    assert tape.gradient(z, v) is None


def test_reset():
    x = tf.Variable(2.)
    with tf.GradientTape() as tape:
        y = x * x
        tape.reset()
        z = x * 3.
    assert float(tape.gradient(z, x)) == 3.0


def test_stop_gradient():
    w1, w2 = tf.Variable(5.), tf.Variable(3.)
    with tf.GradientTape() as tape:
        z = 3 * w1 ** 2 + tf.stop_gradient(2 * w1 * w2)
    assert float(z) == 105.0
    g = tape.gradient(z, [w1, w2])
    assert float(g[0]) == 30.0 and g[1] is None


def test_sqrt_gradient_at_zero_is_inf_and_softplus_nan():
    x = tf.Variable(1e-50)
    with tf.GradientTape() as tape:
        z = tf.sqrt(x)
    assert np.isinf(tape.gradient(z, x).numpy())
    x = tf.Variable([100.])
    with tf.GradientTape() as tape:
        z = tf.math.log(tf.exp(x) + 1.0)
    assert np.isnan(tape.gradient(z, x).numpy()[0])


def test_gradient_matches_central_differences():
    check_gradients(lambda a, b: a * b + a ** 3 - b / (a + 5.), [0.5, 1.5], [2.0, -1.0])


def test_reentering_a_recording_tape_raises():
    tape = tf.GradientTape()
    with tape:
        with pytest.raises(ValueError):
            tape.__enter__()


def test_no_recording_without_tape_costs_nothing_observable():
    from tensorlite.framework.context import active_tapes
    assert active_tapes == []
    _ = tf.constant(1.) + 1.
    assert active_tapes == []
