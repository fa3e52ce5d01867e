import numpy as np
import pytest

import tensorlite as tf


def test_cond_eager_and_traced():
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2., lambda: -x)
    g = tf.function(f)
    for v in ([1., 2.], [-3., 1.]):
        x = tf.constant(v)
        np.testing.assert_array_equal(g(x).numpy(), f(x).numpy())
    types = {op.type for op in g.get_concrete_function(tf.constant([1.])).graph.get_operations()}
    assert "StatelessIf" in types


def test_cond_branch_mismatch_errors():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x, lambda: (x, x))
    with pytest.raises(ValueError, match="same number, type, and overall structure"):
        f(tf.constant(1.))

    @tf.function
    def g(x):
        return tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32))
    with pytest.raises(TypeError, match="same dtypes"):
        g(tf.constant(1.))


def test_while_loop_book_example_and_ops():
    @tf.function
    def add_10(x):
        final_i, final_x = tf.while_loop(lambda i, x: tf.less(i, 10),
                                         lambda i, x: (tf.add(i, 1), tf.add(x, 1)),
                                         [tf.constant(0), x])
        return final_x
    assert int(add_10(tf.constant(5))) == 15
    ops = repr(add_10.get_concrete_function(tf.constant(5)).graph.get_operations())
    assert ops == ("[<tf.Operation 'x' type=Placeholder>, <tf.Operation 'Const' type=Const>, "
                   "<tf.Operation 'while/maximum_iterations' type=Const>, "
                   "<tf.Operation 'while/loop_counter' type=Const>, "
                   "<tf.Operation 'while' type=StatelessWhile>, "
                   "<tf.Operation 'Identity' type=Identity>]")


def test_while_loop_eager_and_maximum_iterations():
    i, = tf.while_loop(lambda i: i < 100, lambda i: (i + 1,), [tf.constant(0)],
                       maximum_iterations=7)
    assert int(i) == 7

    @tf.function
    def f(n):
        return tf.while_loop(lambda i: i < n, lambda i: (i + 2,), [0], maximum_iterations=4)
    assert int(f(tf.constant(100))[0]) == 8


def test_while_loop_shape_invariants():
    @tf.function
    def grow(x):
        return tf.while_loop(lambda x: tf.reduce_sum(tf.ones_like(x)) < 8.,
                             lambda x: (tf.concat([x, x], 0),), [x])
    with pytest.raises(ValueError, match="shape_invariants"):
        grow(tf.constant([1.]))

    @tf.function
    def grow2(x):
        return tf.while_loop(lambda x: tf.reduce_sum(tf.ones_like(x)) < 8.,
                             lambda x: (tf.concat([x, x], 0),), [x],
                             shape_invariants=[tf.TensorShape([None])])
    assert grow2(tf.constant([1.]))[0].shape == [8]


def test_gradients_through_cond_and_while_inside_function_match_eager():
    w = tf.Variable(2.)

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: w * x * x, lambda: w + x)
            _, z = tf.while_loop(lambda i, z: i < 3, lambda i, z: (i + 1, z * w), [0, y])
        return tape.gradient(z, [w, x])
    traced = tf.function(step)
    for v in (3., -1.):
        x = tf.constant(v)
        eager = step(x)
        got = traced(x)
        np.testing.assert_allclose([float(g) for g in got], [float(g) for g in eager])
    # d/dw (w^4 x^2) = 4 w^3 x^2 at w=2, x=3
    assert float(traced(tf.constant(3.))[0]) == 288.0


def test_case_and_switch_case():
    x = tf.constant(5)
    r = tf.case([(x < 3, lambda: tf.constant(1)), (x < 10, lambda: tf.constant(2))],
                default=lambda: tf.constant(3))
    assert int(r) == 2
    assert int(tf.switch_case(tf.constant(1), [lambda: tf.constant(10),
                                               lambda: tf.constant(20)])) == 20

    @tf.function
    def f(i):
        return tf.switch_case(i, {0: lambda: tf.constant(10.), 1: lambda: tf.constant(20.)},
                              default=lambda: tf.constant(-1.))
    assert [float(f(tf.constant(k))) for k in (0, 1, 7)] == [10., 20., -1.]


def test_cond_branches_for_side_effects_only():
    v = tf.Variable(0.)

    def add(x):
        v.assign_add(x)

    @tf.function
    def f(x):
        tf.cond(x > 0, lambda: add(x), lambda: None)
        return v.read_value()
    assert float(f(tf.constant(2.))) == 2.0
    assert float(f(tf.constant(-1.))) == 2.0
    assert "If" in {op.type for op in f.get_concrete_function(tf.constant(1.)).graph.get_operations()}
