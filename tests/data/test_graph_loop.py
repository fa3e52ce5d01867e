import numpy as np

import tensorlite as tf


def _dataset():
    return tf.data.Dataset.from_tensor_slices(np.arange(10, dtype=np.float32)).batch(3)


def test_for_over_a_dataset_in_a_function_makes_one_pass_per_call():
    @tf.function
    def total(ds):
        s = tf.constant(0.)
        n = tf.constant(0)
        for batch in ds:
            s += tf.reduce_sum(batch)
            n += 1
        return s, n
    ds = _dataset()
    for _ in range(2):
        s, n = total(ds)
        assert float(s) == 45.0 and int(n) == 4
    types = {op.type for op in total.get_concrete_function(ds).graph.get_operations()}
    assert {"AnonymousIteratorV3", "IteratorGetNextAsOptional", "While"} <= types


def test_training_loop_over_a_dataset_matches_eager():
    def train(ds, w):
        for batch in ds:
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum((batch * w - 2.) ** 2)
            w.assign_sub(0.001 * tape.gradient(loss, w))
        return w.read_value()
    w_eager, w_graph = tf.Variable(1.0), tf.Variable(1.0)
    expected = train(_dataset(), w_eager)
    got = tf.function(train)(_dataset(), w_graph)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


def test_break_in_a_dataset_loop():
    @tf.function
    def first_big(ds):
        found = tf.constant(-1.)
        for batch in ds:
            if tf.reduce_max(batch) > 4.:
                found = tf.reduce_max(batch)
                break
        return found
    assert float(first_big(_dataset())) == 5.0
