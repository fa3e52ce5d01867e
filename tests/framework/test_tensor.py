import numpy as np
import pytest

import tensorlite as tf


def test_constant_defaults():
    assert tf.constant(1.0).dtype is tf.float32
    assert tf.constant(1).dtype is tf.int32
    assert tf.constant(2 ** 40).dtype is tf.int64
    assert tf.constant(True).dtype is tf.bool
    assert tf.constant("hi").dtype is tf.string
    assert tf.constant([[1., 2.], [3., 4.]]).dtype is tf.float32
    assert tf.constant(np.arange(3)).dtype is tf.int64
    assert tf.constant(np.array([1., 2.])).dtype is tf.float64
    assert tf.constant([1, 2], dtype=np.float32).dtype is tf.float32


def test_constant_shape_argument():
    t = tf.constant(0.5, shape=[2, 2])
    np.testing.assert_array_equal(t.numpy(), np.full((2, 2), 0.5, np.float32))
    t = tf.constant([1, 2, 3, 4], shape=(2, 2))
    assert t.shape == [2, 2]
    with pytest.raises(TypeError):
        tf.constant([1, 2, 3], shape=(2, 2))


def test_conversion_refuses_lossy_values():
    with pytest.raises(TypeError, match="Cannot convert 0.5 to EagerTensor of dtype int32"):
        tf.constant([1, 2]) * 0.5
    with pytest.raises(TypeError):
        tf.convert_to_tensor(2 ** 40, dtype=tf.int32)
    with pytest.raises(ValueError):
        tf.convert_to_tensor(tf.constant(1.0), dtype=tf.int32)
    with pytest.raises(ValueError):
        tf.constant([[1, 2], [3]])


def test_repr_and_str():
    t = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    assert repr(t) == ("<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\n"
                       "array([[1., 2., 3.],\n       [4., 5., 6.]], dtype=float32)>")
    assert repr(tf.constant(42)) == "<tf.Tensor: shape=(), dtype=int32, numpy=42>"
    assert str(tf.constant([0, 1, 2])) == "tf.Tensor([0 1 2], shape=(3,), dtype=int32)"
    assert str(tf.constant(b"This is")) == "tf.Tensor(b'This is', shape=(), dtype=string)"
    assert repr(tf.constant(np.array([2., 4., 5.]))) == \
        "<tf.Tensor: shape=(3,), dtype=float64, numpy=array([2., 4., 5.])>"
    assert repr(tf.constant(True)) == "<tf.Tensor: shape=(), dtype=bool, numpy=True>"


def test_format_numpy_and_python_conversions():
    t = tf.constant(3.14159)
    assert f"{t:.2f}" == "3.14"
    assert "{:.1f}".format(t) == "3.1"
    assert float(t) == pytest.approx(3.14159, rel=1e-6)
    assert int(tf.constant(7)) == 7
    assert bool(tf.constant(0)) is False
    assert isinstance(t.numpy(), np.float32)
    a = tf.constant([1., 2.])
    assert isinstance(np.array(a), np.ndarray) and np.array(a).dtype == np.float32
    assert isinstance(np.square(a), np.ndarray)
    assert len(a) == 2
    assert [float(x) for x in a] == [1.0, 2.0]


def test_numpy_on_the_left_gives_a_tensor():
    out = np.array([1., 2.], dtype=np.float32) + tf.constant([1., 1.])
    assert isinstance(out, tf.Tensor)
    np.testing.assert_array_equal(out.numpy(), [2., 3.])


def test_dtype_mismatch_message():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.constant(2.0) + tf.constant(40)
    assert str(e.value) == ("cannot compute AddV2 as input #1(zero-based) was expected to be a "
                            "float tensor but is a int32 tensor [Op:AddV2] name: ")
    with pytest.raises(tf.errors.InvalidArgumentError, match="but is a double tensor"):
        tf.constant(2.0) + tf.constant(40., dtype=tf.float64)


def test_tensors_are_unhashable_but_refable():
    t = tf.constant(1.0)
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)
    d = {t.ref(): 1}
    assert d[t.ref()] == 1 and t.ref().deref() is t


def test_isinstance_and_is_tensor():
    assert isinstance(tf.constant(1), tf.Tensor)
    assert tf.is_tensor(tf.constant(1)) and tf.is_tensor(tf.Variable(1.))
    assert not tf.is_tensor(np.ones(2))


def test_errors_module():
    e = tf.errors.InvalidArgumentError(None, None, "bad")
    assert isinstance(e, tf.errors.OpError) and e.message == "bad" and str(e) == "bad"
    assert tf.errors.NotFoundError.error_code == tf.errors.NOT_FOUND


def test_strings_keep_trailing_nul_bytes():
    t = tf.constant([b"a\x00", b"bc"])
    assert t.numpy().tolist() == [b"a\x00", b"bc"]
    assert tf.constant([["a", "b"], ["c", "d"]]).shape == [2, 2]


def test_single_elements_of_string_tensors():
    t = tf.constant([b"ab", b"c\x00"])
    assert t[0].numpy() == b"ab" and t[0].shape == [] and t[0].dtype is tf.string
    assert tf.gather(t, 1).numpy() == b"c\x00"
    assert [x.numpy() for x in t] == [b"ab", b"c\x00"]
    assert [x.numpy() for x in tf.unstack(t)] == [b"ab", b"c\x00"]
