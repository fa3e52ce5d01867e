import numpy as np
import pytest

import tensorlite as tf


def test_python_range_unrolls():
    @tf.function
    def add_10(x):
        for i in range(10):
            x += 1
        return x
    assert int(add_10(tf.constant(5))) == 15
    ops = add_10.get_concrete_function(tf.constant(5)).graph.get_operations()
    assert [op.name for op in ops[1:5]] == ["add/y", "add", "add_1/y", "add_1"]
    assert len(ops) == 22


def test_for_over_tf_range_becomes_a_while_loop():
    @tf.function
    def sum_squares(n):
        s = tf.constant(0)
        for i in tf.range(n):
            s += i ** 2
        return s
    assert int(sum_squares(tf.constant(10))) == sum(i * i for i in range(10))
    types = [op.type for op in sum_squares.get_concrete_function(
        tf.constant(3)).graph.get_operations()]
    assert "StatelessWhile" in types or "While" in types


def test_if_on_tensor_becomes_cond_and_returns_in_both_branches():
    @tf.function
    def relu_or_neg(x):
        if tf.reduce_sum(x) > 0:
            return tf.maximum(x, 0.)
        else:
            return -x
    np.testing.assert_array_equal(relu_or_neg(tf.constant([1., -2., 3.])).numpy(), [1., 0., 3.])
    np.testing.assert_array_equal(relu_or_neg(tf.constant([-1., -2., 3.])).numpy(),
                                  [1., 2., -3.])


def test_early_return_and_assignments_in_branches():
    def f(x):
        if x > 0:
            return x * 2
        y = x - 1
        if y < -5:
            y = y * 10
        else:
            y = y + 100
        return y
    g = tf.function(f)
    for v in (3, -3, -10):
        assert int(g(tf.constant(v))) == int(f(tf.constant(v)))


def test_loops_with_break_continue_and_bool_ops():
    def f(x):
        total = tf.constant(0.)
        for row in x:
            if tf.reduce_sum(row) < 0:
                continue
            total += tf.reduce_sum(row)
            if total > 10.:
                break
        i = tf.constant(0)
        while i < 5 and total > 0:
            i += 1
        return total, i
    x = tf.constant([[1., 2.], [-5., 1.], [7., 8.], [100., 0.]])
    total, i = tf.function(f)(x)
    assert float(total) == 18.0 and int(i) == 5
    eager_total, eager_i = f(x)
    assert float(eager_total) == 18.0 and int(eager_i) == 5


def test_nested_loops_and_python_conditions_stay_python():
    @tf.function
    def f(n, flag=True):
        acc = tf.constant(0)
        for i in tf.range(n):
            for j in tf.range(i):
                acc += j
        if flag:
            acc = acc * 2
        return acc
    assert int(f(tf.constant(5))) == 2 * sum(j for i in range(5) for j in range(i))
    assert int(f(tf.constant(5), flag=False)) == sum(j for i in range(5) for j in range(i))


def test_variable_defined_in_one_branch_only_is_an_error():
    @tf.function
    def f(x):
        if x > 0:
            y = x
        return y
    with pytest.raises(ValueError, match="'y' must also be initialized in the else branch"):
        f(tf.constant(1))


def test_to_code_and_do_not_convert():
    def add_10(x):
        for i in tf.range(10):
            x += 1
        return x
    code = tf.autograph.to_code(add_10)
    assert code.startswith("def add_10(x):") and "ag__.for_stmt(tf.range(10)" in code

    @tf.autograph.experimental.do_not_convert
    def plain(x):
        if x > 0:
            return x
        return -x
    with pytest.raises(TypeError, match="symbolic `tf.Tensor` as a Python `bool`"):
        tf.function(plain)(tf.constant(1))


def test_errors_in_converted_code_point_at_the_users_line():
    import traceback

    @tf.function
    def f(x):
        for i in tf.range(3):
            x = x + 1
        return bool(x)  # a TF Function rule broken: a symbolic tensor used as a bool
    with pytest.raises(TypeError) as e:
        f(tf.constant(1))
    frames = [fr for fr in traceback.extract_tb(e.value.__traceback__)
              if fr.filename == __file__]
    assert frames[-1].line == "return bool(x)  # a TF Function rule broken: a symbolic tensor used as a bool"
