"""tf.TensorArray: fixed and dynamic size, clear_after_read, stacking, errors, gradients."""
import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor
from tensorlite.structures.tensor_array import TensorArray


def filled(**kwargs):
    array = TensorArray(dtype=tf.float32, size=3, **kwargs)
    array = array.write(0, tf.constant([1., 2.]))
    array = array.write(1, tf.constant([3., 10.]))
    return array.write(2, tf.constant([5., 7.]))


def test_read_clears_by_default():
    array = filled()
    assert_tensor(array.read(1), [3., 10.], tf.float32)
    assert_tensor(array.stack(), [[1., 2.], [0., 0.], [5., 7.]], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="twice"):
        array.read(1)


def test_clear_after_read_false_keeps_values():
    array = filled(clear_after_read=False)
    assert_tensor(array.read(1), [3., 10.])
    assert_tensor(array.read(1), [3., 10.])
    assert_tensor(array.stack(), [[1., 2.], [3., 10.], [5., 7.]])
    assert_tensor(array.size(), 3, tf.int32)


def test_dynamic_size_grows_and_fixed_size_refuses():
    array = TensorArray(dtype=tf.float32, size=0, dynamic_size=True)
    for i in range(3):
        array = array.write(i, [float(i)])
    assert_tensor(array.size(), 3, tf.int32)
    assert_tensor(array.stack(), [[0.], [1.], [2.]])
    fixed = TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.OutOfRangeError, match="not resizeable"):
        fixed.write(2, [1.])
    fixed.write(0, [1., 2.])  # the failed write fixed no element shape
    assert fixed.element_shape.as_list() == [2]


def test_unwritten_slots_are_zeros_and_shapes_must_agree():
    array = TensorArray(tf.int32, size=3).write(0, [1, 2])
    assert_tensor(array.read(2), [0, 0], tf.int32)
    with pytest.raises(ValueError, match="Incompatible shape"):
        array.write(1, [1])
    with pytest.raises(tf.errors.InvalidArgumentError):
        array.write(1, tf.constant([1., 2.]))
    assert_tensor(TensorArray(tf.float32, size=0).stack(), np.zeros(0, np.float32))
    assert TensorArray(tf.float32, size=0, element_shape=[2]).stack().shape == (0, 2)


def test_unstack_scatter_gather_concat_split():
    array = TensorArray(tf.int32, size=0, dynamic_size=True).unstack([[1, 2], [3, 4]])
    assert_tensor(array.size(), 2)
    assert_tensor(array.gather([1, 0]), [[3, 4], [1, 2]], tf.int32)
    assert_tensor(array.concat(), [1, 2, 3, 4], tf.int32)
    scattered = TensorArray(tf.float32, size=3).scatter([0, 2], [[1.], [2.]])
    assert_tensor(scattered.stack(), [[1.], [0.], [2.]])
    pieces = TensorArray(tf.float32, size=2, infer_shape=False).split([1., 2., 3.], [1, 2])
    assert_tensor(pieces.read(1), [2., 3.])
    assert scattered.element_shape.as_list() == [1]
    assert scattered.dtype == tf.float32 and not scattered.dynamic_size


def test_gradient_flows_through_stack():
    x = tf.constant([1., 2.], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        array = TensorArray(tf.float64, size=2).write(0, x * 2.0).write(1, x * x)
        loss = tf.reduce_sum(array.stack())
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [4., 6.])
