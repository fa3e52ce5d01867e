"""tf.Variable: construction, reprs, assignments (whole, slices, scatters), dtype and shape
strictness, operators, NumPy interop and gradients through reads; the outputs are
TensorFlow's (checked against it)."""
import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor

InvalidArgumentError = tf.errors.InvalidArgumentError


# ---- construction ------------------------------------------------------------------------

@pytest.mark.parametrize("value,dtype,shape", [
    (1., tf.float32, ()), ([1, 2], tf.int32, (2,)), (np.array([1., 2.]), tf.float64, (2,)),
    (True, tf.bool, ()), ("abc", tf.string, ()), (np.int64(3), tf.int64, ()),
    (tf.constant([[1., 2.]], tf.float16), tf.float16, (1, 2))])
def test_dtype_and_shape_from_initial_value(value, dtype, shape):
    v = tf.Variable(value)
    assert v.dtype == dtype
    assert v.shape == tf.TensorShape(shape)
    assert v.name == "Variable:0"
    assert v.trainable


def test_explicit_dtype_name_trainable_and_initializer_callable():
    assert tf.Variable(1., dtype=tf.float64).dtype == tf.float64
    assert_tensor(tf.Variable(1, dtype=tf.float32).value(), 1., dtype=tf.float32)
    assert tf.Variable(1., name="w").name == "w:0"
    with tf.name_scope("layer"):
        assert tf.Variable(1., name="kernel").name == "layer/kernel:0"
    assert not tf.Variable([1., 2.], trainable=False).trainable
    assert_tensor(tf.Variable(lambda: tf.ones([2])).value(), [1., 1.])
    copy = tf.Variable(tf.Variable([5., 6.]))
    assert_tensor(copy.value(), [5., 6.])


def test_constraint_and_shape_arguments():
    clip = lambda x: tf.minimum(x, 1.)  # noqa: E731
    assert tf.Variable(2., constraint=clip).constraint is clip
    with pytest.raises(ValueError):
        tf.Variable(1., constraint=3)
    with pytest.raises(ValueError):
        tf.Variable(None)
    with pytest.raises(ValueError, match=r"\(\(2,\)\) is not compatible with the explicitly "
                                         r"supplied `shape` argument"):
        tf.Variable([1., 2.], shape=[3])
    loose = tf.Variable([1, 2], shape=[None])
    assert repr(loose) == ("<tf.Variable 'Variable:0' shape=(None,) dtype=int32, "
                           "numpy=array([1, 2], dtype=int32)>")
    assert_tensor(loose.assign([1, 2, 3]).value(), [1, 2, 3])
    assert str(tf.Variable([1, 2], shape=tf.TensorShape(None)).shape) == "<unknown>"


def test_reprs_are_tensorflows():
    v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
    assert repr(v) == ("<tf.Variable 'Variable:0' shape=(2, 3) dtype=float32, numpy=\n"
                       "array([[1., 2., 3.],\n       [4., 5., 6.]], dtype=float32)>")
    assert str(v) == repr(v)
    assert repr(tf.Variable(3, name="my_counter")) == \
        "<tf.Variable 'my_counter:0' shape=() dtype=int32, numpy=3>"
    assert repr(tf.Variable(True)) == "<tf.Variable 'Variable:0' shape=() dtype=bool, numpy=True>"
    assert repr(tf.Variable("abc")) == \
        "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b'abc'>"


# ---- assign, assign_add, assign_sub ------------------------------------------------------

def test_assign_returns_the_unread_variable():
    v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
    assert repr(v.assign(2 * v)) == (
        "<tf.Variable 'UnreadVariable' shape=(2, 3) dtype=float32, numpy=\n"
        "array([[ 2.,  4.,  6.],\n       [ 8., 10., 12.]], dtype=float32)>")
    w = tf.Variable([1., 2.])
    assert repr(w.assign_add([10., 20.])) == ("<tf.Variable 'UnreadVariable' shape=(2,) "
                                              "dtype=float32, numpy=array([11., 22.], "
                                              "dtype=float32)>")
    assert repr(w.assign_sub([1., 1.])) == ("<tf.Variable 'UnreadVariable' shape=(2,) "
                                            "dtype=float32, numpy=array([10., 21.], "
                                            "dtype=float32)>")
    assert repr(w) == ("<tf.Variable 'Variable:0' shape=(2,) dtype=float32, "
                       "numpy=array([10., 21.], dtype=float32)>")
    n = tf.Variable(3, name="my_counter")
    assert repr(n.assign_add(2)) == "<tf.Variable 'UnreadVariable' shape=() dtype=int32, numpy=5>"
    assert w.assign([0., 0.], read_value=False) is None
    chained = tf.Variable(1.).assign(2.).assign_add(1.)
    assert float(chained) == 3.


def test_assign_dtype_and_shape_strictness():
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.Variable(3).assign_add(1.5)
    assert float(tf.Variable(3.).assign_add(1)) == 4.  # a Python int into a float variable
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype float64"):
        tf.Variable([1., 2.]).assign_add(tf.constant([1., 2.], tf.float64))
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype int32"):
        tf.Variable([1., 2.]).assign(tf.constant([1, 2]))
    with pytest.raises(ValueError, match=r"^Cannot assign value to variable ' Variable:0': "
                                         r"Shape mismatch\.The variable shape \(2,\), and the "
                                         r"assigned value shape \(3,\) are incompatible\.$"):
        tf.Variable([1., 2.]).assign([1., 2., 3.])


def test_earlier_reads_keep_their_values():
    v = tf.Variable([1., 2., 3.])
    before = v.value()
    row = v[1]
    v.assign_add([1., 1., 1.])
    v[0].assign(9.)
    v.scatter_nd_update([[2]], [7.])
    v.scatter_add(tf.IndexedSlices(tf.constant([5.]), tf.constant([1])))
    assert_tensor(before, [1., 2., 3.])
    assert_tensor(row, 2.)
    assert_tensor(v.value(), [9., 8., 7.])


# ---- slices ------------------------------------------------------------------------------

def test_slice_assign_as_in_the_book():
    v = tf.Variable([[2., 4., 6.], [8., 10., 12.]])
    assert repr(v[0, 1].assign(42)) == (
        "<tf.Variable 'UnreadVariable' shape=(2, 3) dtype=float32, numpy=\n"
        "array([[ 2., 42.,  6.],\n       [ 8., 10., 12.]], dtype=float32)>")
    v[:, 2].assign([0., 1.])
    assert_tensor(v.value(), [[2., 42., 0.], [8., 10., 1.]])
    with pytest.raises(TypeError, match="^'ResourceVariable' object does not support item "
                                        "assignment$"):
        v[1] = [7., 8., 9.]


@pytest.mark.parametrize("key,value", [
    ((slice(None), slice(None, None, -1)), [[5., 6.]]), (0, 5), ((0, slice(1, None)), [7.]),
    ((Ellipsis, 0), 3.), ((None, 0), [[1., 1.]])])
def test_slice_assign_matches_numpy(key, value):
    start = np.array([[1., 2.]], np.float32)
    v = tf.Variable(start)
    out = v[key].assign(value)
    expected = start.copy()
    expected[key] = value
    assert out.name == "UnreadVariable"
    assert_tensor(v.value(), expected)


def test_slice_reads_are_tensors_with_assign():
    v = tf.Variable([1, 2, 3])
    s = v[::2]
    assert isinstance(s, tf.Tensor) and type(s).__name__ == "EagerTensor"
    assert_tensor(s, [1, 3], dtype=tf.int32)
    s.assign([7, 8])
    assert_tensor(v.value(), [7, 2, 8])
    assert_tensor(s, [1, 3])  # the slice read before the assignment keeps its value
    assert_tensor(tf.Variable([[1, 2], [3, 4]])[1].assign([5]).value(), [[1, 2], [5, 5]])
    with pytest.raises(AttributeError):
        (v[0] + 1).assign(1)  # only a slice read from the variable itself can assign


def test_slice_assign_errors():
    v = tf.Variable([[1., 2.]])
    with pytest.raises(InvalidArgumentError, match=r"Cannot broadcast input shape \[3\] into "
                                                   r"final shape \[2\] "
                                                   r"\[Op:ResourceStridedSliceAssign\]"):
        v[0].assign([5., 6., 7.])
    with pytest.raises(InvalidArgumentError, match="slice index 5 of dimension 1 out of "
                                                   "bounds."):
        v[0, 5].assign(5.)
    with pytest.raises(TypeError):
        tf.Variable([1, 2])[0].assign(1.5)
    with pytest.raises(InvalidArgumentError, match="Attempting to slice scalar input."):
        tf.Variable(1.)[0]


# ---- scatter updates ---------------------------------------------------------------------

def test_scatter_nd_updates():
    v = tf.Variable([[2., 42., 0.], [8., 10., 1.]])
    out = v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100., 200.])
    assert repr(out) == ("<tf.Variable 'UnreadVariable' shape=(2, 3) dtype=float32, numpy=\n"
                         "array([[100.,  42.,   0.],\n       [  8.,  10., 200.]], "
                         "dtype=float32)>")
    w = tf.Variable([[1., 2.]])
    assert_tensor(w.scatter_nd_add([[0, 1], [0, 1]], [1., 3.]).value(), [[1., 6.]])
    assert_tensor(w.scatter_nd_sub([[0, 1], [0, 1]], [1., 3.]).value(), [[1., 2.]])
    assert_tensor(w.scatter_nd_update([[0]], [[7., 8.]]).value(), [[7., 8.]])
    assert_tensor(w.scatter_nd_update([[0, 1]], [1]).value(), [[7., 1.]])  # ints into floats
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[0, 5\] does not index "
                                                   r"into shape \[1,2\] "
                                                   r"\[Op:ResourceScatterNdUpdate\]"):
        w.scatter_nd_update([[0, 5]], [1.])


def test_scatter_updates_with_indexed_slices():
    v = tf.Variable([[100., 42., 0.], [8., 10., 200.]])
    delta = tf.IndexedSlices(values=[[1., 2., 3.], [4., 5., 6.]], indices=[1, 0])
    assert repr(v.scatter_update(delta)) == (
        "<tf.Variable 'UnreadVariable' shape=(2, 3) dtype=float32, numpy=\n"
        "array([[4., 5., 6.],\n       [1., 2., 3.]], dtype=float32)>")
    w = tf.Variable([[1., 2.], [3., 4.]])
    twice = tf.IndexedSlices(tf.constant([[1., 1.], [2., 2.]]), tf.constant([1, 1]))
    assert_tensor(w.scatter_add(twice).value(), [[1., 2.], [6., 7.]])
    assert_tensor(w.scatter_sub(twice).value(), [[1., 2.], [3., 4.]])
    assert_tensor(w.scatter_update(tf.IndexedSlices([1., 1.], 1)).value(), [[1., 2.], [1., 1.]])
    with pytest.raises(TypeError, match=r"Argument `sparse_delta` must be a `tf.IndexedSlices`. "
                                        r"Received arg: \[\[1.0, 1.0\]\]"):
        w.scatter_update([[1., 1.]])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = 5 is not in \[0, 2\) "
                                                   r"\[Op:ResourceScatterUpdate\]"):
        w.scatter_update(tf.IndexedSlices([[1., 1.]], [5]))


# ---- behaving like a tensor --------------------------------------------------------------

def test_operators_and_tf_ops_read_the_variable():
    w = tf.Variable([10., 21.])
    assert repr(w + 1.) == ("<tf.Tensor: shape=(2,), dtype=float32, "
                            "numpy=array([11., 22.], dtype=float32)>")
    assert repr(tf.square(w)) == ("<tf.Tensor: shape=(2,), dtype=float32, "
                                  "numpy=array([100., 441.], dtype=float32)>")
    assert_tensor(2 * w, [20., 42.])
    assert_tensor(-w, [-10., -21.])
    assert_tensor(w > 15., [False, True])
    assert_tensor(w == tf.Variable([10., 0.]), [True, False])
    m = tf.Variable([[1., 2.]])
    assert_tensor(m @ tf.Variable([[1.], [2.]]), [[5.]])
    assert_tensor(tf.convert_to_tensor(w), [10., 21.])
    assert_tensor(w.read_value(), [10., 21.])
    with pytest.raises(ValueError):
        tf.convert_to_tensor(w, dtype=tf.float64)
    with pytest.raises(InvalidArgumentError):
        w + tf.constant([1., 2.], tf.float64)


def test_numpy_interop():
    w = tf.Variable([10., 21.])
    assert repr(w.numpy()) == "array([10., 21.], dtype=float32)"
    np.testing.assert_array_equal(np.array(w), [10., 21.])
    out = np.square(w)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_array_equal(out, [100., 441.])
    assert float(tf.Variable(2.5)) == 2.5 and int(tf.Variable(3)) == 3
    assert not bool(tf.Variable(0.))
    assert [float(x) for x in w] == [10., 21.]
    assert w.dtype == tf.float32 and w.shape == tf.TensorShape([2]) and w.ndim == 1
    assert w.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    with pytest.raises(TypeError, match="Variable is unhashable"):
        hash(w)
    assert {w.ref(): 1}[w.ref()] == 1


# ---- gradients ---------------------------------------------------------------------------

def test_gradients_through_reads_slices_and_gathers():
    v = tf.Variable([[1., 2.], [3., 4.]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[0] * tf.gather(v, [1, 1])) + tf.reduce_sum(v * v)
    grad = tape.gradient(y, v)
    # d/dv[0] = 2 * v[1] + 2 v[0]; d/dv[1] = 2 * v[0] + 2 v[1]
    assert_tensor(grad, [[6. + 2., 8. + 4.], [2. + 6., 4. + 8.]])
    watched = tape.watched_variables()
    assert len(watched) == 1 and watched[0] is v


def test_untrainable_variables_are_not_watched():
    frozen = tf.Variable(3., trainable=False)
    w = tf.Variable(2.)
    with tf.GradientTape() as tape:
        z = 3 * w ** 2 + frozen * w
    dw, dfrozen = tape.gradient(z, [w, frozen])
    assert_tensor(dw, 15.)
    assert dfrozen is None
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        z = frozen * frozen
    assert_tensor(tape.gradient(z, frozen), 6.)


def test_assignments_inside_tf_function():
    v = tf.Variable([[1., 2.], [3., 4.]])

    @tf.function
    def update(i):
        v[i, 1].assign(tf.cast(i, tf.float32) * 10.)
        v.scatter_nd_add([[0, 0]], [1.])
        v.scatter_update(tf.IndexedSlices(tf.constant([[7., 7.]]), tf.constant([1])))
        return v[i]

    assert_tensor(update(tf.constant(0)), [2., 0.])
    assert_tensor(v.value(), [[2., 0.], [7., 7.]])
    assert_tensor(update(tf.constant(1)), [7., 7.])
    assert_tensor(v.value(), [[3., 0.], [7., 7.]])
