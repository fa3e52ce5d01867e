"""Array ops: values against NumPy (and TensorFlow's documented results), gradients by
central differences, shape rules with unknown dimensions, TensorFlow's errors."""
import re

import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite.framework.op_registry import REGISTRY
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops import array as array_ops

InvalidArgumentError = tf.errors.InvalidArgumentError


def rand(*shape):
    return np.random.rand(*shape)


class _Spec:
    """What a shape rule sees of a graph tensor: dtype, static shape, maybe a value."""

    def __init__(self, dims, dtype=tf.float32, value=None):
        self.shape, self.dtype, self.value = TensorShape(dims), dtype, value


def _int_spec(values):
    values = np.asarray(values, np.int32)
    return _Spec(values.shape, tf.int32, values)


# ---- creation ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int32, tf.int64, tf.bool,
                                   tf.complex64, tf.uint8])
def test_zeros_ones_dtypes(dtype):
    assert_tensor(tf.zeros([2, 3], dtype), np.zeros((2, 3), dtype.as_numpy_dtype), dtype=dtype)
    assert_tensor(tf.ones((3,), dtype), np.ones(3, dtype.as_numpy_dtype), dtype=dtype)


@pytest.mark.parametrize("shape", [[], [0], [2, 0, 3], (4,), tf.TensorShape([2, 2]),
                                   tf.constant([3, 1]), np.array([2], np.int64),
                                   [tf.constant(2), 3]])
def test_zeros_shape_arguments(shape):
    expected = tuple(np.asarray([int(d) for d in (shape if not isinstance(shape, tf.Tensor)
                                                  else shape.numpy())], int))
    assert_tensor(tf.zeros(shape), np.zeros(expected, np.float32), dtype=tf.float32)


def test_zeros_string_and_like():
    assert tf.zeros((), tf.string).numpy() == b""
    assert_tensor(tf.zeros_like(tf.constant(["a", "b"])), np.array([b"", b""], object))
    assert_tensor(tf.zeros_like([1, 2]), [0, 0], dtype=tf.int32)
    assert_tensor(tf.zeros_like([1, 2], dtype=tf.float32), [0., 0.], dtype=tf.float32)
    assert_tensor(tf.ones_like(tf.constant([[1.5]], tf.float64)), [[1.]], dtype=tf.float64)
    assert_tensor(tf.ones_like([True, False], dtype=tf.int64), [1, 1], dtype=tf.int64)
    assert_tensor(tf.zeros_like(tf.Variable([3., 4.])), [0., 0.], dtype=tf.float32)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of string"):
        tf.ones_like(tf.constant(["a"]))


def test_fill():
    assert_tensor(tf.fill([2, 3], 9), np.full((2, 3), 9, np.int32), dtype=tf.int32)
    assert_tensor(tf.fill([2], 1.5), [1.5, 1.5], dtype=tf.float32)
    assert_tensor(tf.fill([0, 2], tf.constant(1., tf.float64)), np.zeros((0, 2)), dtype=tf.float64)
    with pytest.raises(InvalidArgumentError, match=r"Dimension -1 must be >= 0 \[Op:Fill\]"):
        tf.fill([2, -1], 3.)
    with pytest.raises(InvalidArgumentError, match=r"value must represent a scalar, got shape "
                                                   r"\[2\]"):
        tf.fill([2], [1, 2])


def test_range():
    assert_tensor(tf.range(5), np.arange(5), dtype=tf.int32)
    assert_tensor(tf.range(5.), np.arange(5.), dtype=tf.float32)
    assert_tensor(tf.range(1, 5, 2), [1, 3], dtype=tf.int32)
    assert_tensor(tf.range(10, 1, -3), [10, 7, 4], dtype=tf.int32)
    assert_tensor(tf.range(3, 5.5), [3., 4., 5.], dtype=tf.float32)
    assert_tensor(tf.range(0, 1, 0.3), np.float32([0, 0.3, 0.6, 0.90000004]), dtype=tf.float32)
    assert_tensor(tf.range(3, dtype=tf.float64), [0., 1., 2.], dtype=tf.float64)
    assert_tensor(tf.range(np.int64(3)), [0, 1, 2], dtype=tf.int64)
    assert_tensor(tf.range(tf.constant(3, tf.int64)), [0, 1, 2], dtype=tf.int64)
    assert_tensor(tf.range(tf.constant(3.), 10, 2), [3., 5., 7., 9.], dtype=tf.float32)
    assert_tensor(tf.range(0), np.zeros(0), dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"Requires delta != 0: 0 \[Op:Range\]"):
        tf.range(1, 5, 0)
    with pytest.raises(InvalidArgumentError, match="Requires start <= limit when delta > 0: "
                                                   "5/1"):
        tf.range(5, 1)
    with pytest.raises(InvalidArgumentError, match="Requires start >= limit when delta < 0: "
                                                   "0/10"):
        tf.range(0, 10, -1)
    with pytest.raises(TypeError):
        tf.range(2.5, dtype=tf.int32)


def test_eye():
    assert_tensor(tf.eye(2), np.eye(2), dtype=tf.float32)
    assert_tensor(tf.eye(2, 3), np.eye(2, 3), dtype=tf.float32)
    assert_tensor(tf.eye(3, 2, dtype=tf.int32), np.eye(3, 2), dtype=tf.int32)
    assert_tensor(tf.eye(2, dtype=tf.bool), np.eye(2, dtype=bool), dtype=tf.bool)
    assert_tensor(tf.eye(0), np.zeros((0, 0)), dtype=tf.float32)
    assert_tensor(tf.eye(2, 3, batch_shape=[2]), np.broadcast_to(np.eye(2, 3), (2, 2, 3)))


def test_linspace():
    assert_tensor(tf.linspace(0., 1., 5), np.linspace(0, 1, 5), dtype=tf.float32)
    assert_tensor(tf.linspace(0, 1, 5), np.linspace(0, 1, 5), dtype=tf.float64)
    assert_tensor(tf.linspace(1., 0., 3), [1., .5, 0.], dtype=tf.float32)
    assert_tensor(tf.linspace(0., 1., 1), [0.], dtype=tf.float32)
    assert_tensor(tf.linspace(0., 1., 0), np.zeros(0), dtype=tf.float32)
    out = tf.linspace([0., 1.], [1., 2.], 3, axis=1)
    assert_tensor(out, [[0., .5, 1.], [1., 1.5, 2.]])
    assert_tensor(tf.linspace([0., 1.], 3., 4), np.linspace([0., 1.], 3., 4))
    # The last value is `stop` exactly.
    assert tf.linspace(0.1, 0.7, 7).numpy()[-1] == np.float32(0.7)
    check_gradients(lambda a, b: tf.linspace(a, b, 4, axis=-1), rand(2), rand(2))


def test_one_hot():
    assert_tensor(tf.one_hot([0, 2, -1, 5], 3),
                  [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], dtype=tf.float32)
    assert_tensor(tf.one_hot([0, 2], 3, dtype=tf.int32), [[1, 0, 0], [0, 0, 1]], dtype=tf.int32)
    assert_tensor(tf.one_hot([0, 2], 3, on_value=5, off_value=-1),
                  [[5, -1, -1], [-1, -1, 5]], dtype=tf.int32)
    assert_tensor(tf.one_hot([0, 2], 3, on_value=5, dtype=tf.float32),
                  [[5, 0, 0], [0, 0, 5]], dtype=tf.float32)
    assert_tensor(tf.one_hot([0, 2], 3, axis=0), [[1, 0], [0, 0], [0, 1]])
    assert_tensor(tf.one_hot([[0, 2]], tf.constant(3), axis=1), [[[1, 0], [0, 0], [0, 1]]])
    assert_tensor(tf.one_hot(1, 3), [0., 1., 0.])
    assert_tensor(tf.one_hot(np.array([1], np.uint8), 2, on_value=True, off_value=False),
                  [[False, True]], dtype=tf.bool)
    with pytest.raises(TypeError, match="dtype <dtype: 'float32'> of on_value does not match "
                                        "dtype <dtype: 'int32'> of off_value"):
        tf.one_hot([0, 2], 3, on_value=5., off_value=-1)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'TI' of float"):
        tf.one_hot([0., 2.], 3)
    with pytest.raises(InvalidArgumentError, match="depth must be non-negative, got: -1"):
        tf.one_hot([0, 1], -1)
    with pytest.raises(InvalidArgumentError, match=r"Expected axis to be -1 or between \[0, 2\)"
                                                   r"\.  But received: 3"):
        tf.one_hot([0, 1], 3, axis=3)


# ---- shapes ------------------------------------------------------------------------------

def test_shape_size_rank():
    x = tf.ones([2, 3, 1])
    assert_tensor(tf.shape(x), [2, 3, 1], dtype=tf.int32)
    assert_tensor(tf.shape(x, out_type=tf.int64), [2, 3, 1], dtype=tf.int64)
    assert_tensor(tf.shape(5.), np.zeros(0), dtype=tf.int32)
    assert_tensor(tf.size(x), 6, dtype=tf.int32)
    assert_tensor(tf.size(x, out_type=tf.int64), 6, dtype=tf.int64)
    assert_tensor(tf.size([]), 0, dtype=tf.int32)
    assert_tensor(tf.rank(x), 3, dtype=tf.int32)
    assert_tensor(tf.rank(7), 0, dtype=tf.int32)
    a, b = tf.shape_n([x, [1., 2.]])
    assert_tensor(a, [2, 3, 1])
    assert_tensor(b, [2])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'out_type' of float"):
        tf.shape(x, out_type=tf.float32)


@pytest.mark.parametrize("src,target", [((6,), [2, 3]), ((6,), [-1, 3]), ((2, 3), [-1]),
                                        ((2, 3), [3, -1, 1]), ((), [1, 1]), ((1,), []),
                                        ((0, 5), [5, 0]), ((0, 5), [2, -1])])
def test_reshape(src, target):
    x = np.arange(int(np.prod(src))).reshape(src).astype(np.float32)
    assert_tensor(tf.reshape(x, target), x.reshape(target))
    assert_tensor(tf.reshape(x, tf.constant(np.array(target, np.int64))), x.reshape(target))


def test_reshape_empty_inference_and_errors():
    # TensorFlow infers -1 from the non-zero input dims when the shape has a zero.
    assert tf.reshape(tf.zeros([0, 5]), [-1, 0]).shape == (5, 0)
    assert tf.reshape(tf.range(0), [-1, 0]).shape == (1, 0)
    with pytest.raises(InvalidArgumentError, match=r"Input to reshape is a tensor with 6 "
                                                   r"values, but the requested shape has 4 "
                                                   r"\[Op:Reshape\]"):
        tf.reshape(tf.range(6), [4])
    with pytest.raises(InvalidArgumentError, match="requested shape requires a multiple of 4"):
        tf.reshape(tf.range(6), [-1, 4])
    with pytest.raises(InvalidArgumentError, match="Only one input size may be -1, not both 0 "
                                                   "and 1"):
        tf.reshape(tf.range(6), [-1, -1])
    with pytest.raises(InvalidArgumentError, match="Size 0 must be non-negative, not -2"):
        tf.reshape(tf.range(6), [-2, 3])


def test_reshape_shape_rule_with_unknown_dims():
    rule = REGISTRY["Reshape"].shape_fn
    assert rule(_Spec([None, 28, 28]), _int_spec([-1, 784]))[1].as_list() == [None, 784]
    assert rule(_Spec([4, 6]), _int_spec([-1, 3]))[1].as_list() == [8, 3]
    assert rule(_Spec([4, 6]), _Spec([2], tf.int32))[1].as_list() == [None, None]


def test_squeeze_and_expand_dims():
    x = rand(1, 2, 1)
    assert_tensor(tf.squeeze(x), x.reshape(2))
    assert_tensor(tf.squeeze(x, axis=-1), x.reshape(1, 2))
    assert_tensor(tf.squeeze(x, [0, 2]), x.reshape(2))
    assert_tensor(tf.squeeze([[1.], [2.]]), [1., 2.])
    assert_tensor(tf.expand_dims(x, 0), x[None])
    assert_tensor(tf.expand_dims(x, -1), x[..., None])
    assert_tensor(tf.expand_dims([1, 2], -2), [[1, 2]], dtype=tf.int32)
    assert_tensor(tf.expand_dims(3., tf.constant(0)), [3.])
    with pytest.raises(InvalidArgumentError, match=r"Can not squeeze dim\[1\], expected a "
                                                   r"dimension of 1, got 2 \[Op:Squeeze\]"):
        tf.squeeze(x, 1)
    with pytest.raises(InvalidArgumentError, match="Tried to squeeze dim index 5 for tensor "
                                                   "with 3 dimensions."):
        tf.squeeze(x, [0, 5])
    with pytest.raises(InvalidArgumentError, match="Tried to expand dim index -3 for tensor "
                                                   "with 1 dimensions."):
        tf.expand_dims([1, 2], -3)
    assert REGISTRY["Squeeze"].shape_fn(_Spec([None, 1, 3]), squeeze_dims=(1,))[1] == \
        TensorShape([None, 3])
    assert REGISTRY["Squeeze"].shape_fn(_Spec([None, 1]), squeeze_dims=())[1].rank is None


def test_broadcasting():
    assert_tensor(tf.broadcast_to([1, 2], [3, 2]), np.broadcast_to([1, 2], (3, 2)))
    assert_tensor(tf.broadcast_to(5., []), 5.)
    assert tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])) == [2, 3]
    assert tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([3])) == \
        tf.TensorShape([None, 3])
    assert_tensor(tf.broadcast_dynamic_shape([2, 1], [3]), [2, 3], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3,3\] "
                                                   r"\[Op:BroadcastTo\]"):
        tf.broadcast_to([1, 2], [3, 3])
    with pytest.raises(ValueError, match=r"Incompatible shapes for broadcasting.*Received: "
                                         r"\(2, 2\) and \(3,\)\."):
        tf.broadcast_static_shape(tf.TensorShape([2, 2]), tf.TensorShape([3]))
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2,2\] vs. \[3\]"):
        tf.broadcast_dynamic_shape([2, 2], [3])


# ---- transpose, reverse ------------------------------------------------------------------

def test_transpose():
    x = rand(2, 3, 4)
    assert_tensor(tf.transpose(x), x.T)
    assert_tensor(tf.transpose(x, [1, 0, 2]), x.transpose(1, 0, 2))
    assert_tensor(tf.transpose(x, tf.constant([2, 0, 1])), x.transpose(2, 0, 1))
    assert_tensor(tf.transpose(3.), 3.)
    c = rand(2, 3) + 1j * rand(2, 3)
    assert_tensor(tf.transpose(c, conjugate=True), c.conj().T)
    assert_tensor(tf.transpose(c), c.T)
    with pytest.raises(InvalidArgumentError, match=r"1 is missing from \{0,0\}\. "
                                                   r"\[Op:Transpose\]"):
        tf.transpose(tf.ones([2, 3]), [0, 0])
    with pytest.raises(InvalidArgumentError, match="transpose expects a vector of size 2. But "
                                                   r"input\(1\) is a vector of size 1"):
        tf.transpose(tf.ones([2, 3]), [0])
    with pytest.raises(InvalidArgumentError, match=r"2 is out of range \[0 \.\. 2\)"):
        tf.transpose(tf.ones([2, 3]), [0, 2])
    assert_tensor(array_ops.invert_permutation([2, 0, 1]), [1, 2, 0], dtype=tf.int32)


def test_reverse():
    x = rand(2, 3)
    assert_tensor(tf.reverse(x, [1]), x[:, ::-1])
    assert_tensor(tf.reverse(x, [-1, 0]), x[::-1, ::-1])
    assert_tensor(tf.reverse(x, []), x)
    with pytest.raises(InvalidArgumentError, match=r"'axis'\[0\] = 2 is out of valid range "
                                                   r"\[0, 1"):
        tf.reverse(x, [2])
    with pytest.raises(InvalidArgumentError, match="axis 0 specified more than once."):
        tf.reverse([1, 2], [0, 0])


# ---- where, boolean_mask -----------------------------------------------------------------

def test_where():
    assert_tensor(tf.where([True, False, True]), [[0], [2]], dtype=tf.int64)
    assert_tensor(tf.where([[True, False], [False, True]]), [[0, 0], [1, 1]], dtype=tf.int64)
    assert_tensor(tf.where([1, 0, 3]), [[0], [2]], dtype=tf.int64)
    assert_tensor(tf.where([True, False], [1, 2], [3, 4]), [1, 4], dtype=tf.int32)
    assert_tensor(tf.where([[True], [False]], 1., [5., 6.]), [[1., 1.], [5., 6.]])
    with pytest.raises(InvalidArgumentError, match=r"condition \[2\], then \[2\], and else "
                                                   r"\[3\] must be broadcastable"):
        tf.where([True, False], [1, 2], [3, 4, 5])
    with pytest.raises(ValueError, match="x and y must both be non-None"):
        tf.where([True], [1])


def test_boolean_mask():
    x = np.arange(12).reshape(3, 4)
    assert_tensor(tf.boolean_mask([1, 2, 3], [True, False, True]), [1, 3], dtype=tf.int32)
    assert_tensor(tf.boolean_mask(x, [True, False, True]), x[[0, 2]])
    assert_tensor(tf.boolean_mask(x, [True, False, False, True], axis=1), x[:, [0, 3]])
    mask = x % 3 == 0
    assert_tensor(tf.boolean_mask(x, mask), x[mask])
    assert_tensor(tf.boolean_mask([1, 2, 3], [1, 0, 1]), [1, 3])
    assert_tensor(tf.constant(x)[tf.constant([True, False, True])], x[[0, 2]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        tf.boolean_mask(x, [True, False])
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        tf.constant([1, 2, 3])[True]


# ---- stack, concat, split, tile, pad -----------------------------------------------------

def test_stack_unstack():
    a, b = rand(2, 3), rand(2, 3)
    assert_tensor(tf.stack([a, b]), np.stack([a, b]))
    assert_tensor(tf.stack([a, b], axis=-1), np.stack([a, b], -1))
    assert_tensor(tf.stack([1, 2]), [1, 2], dtype=tf.int32)
    assert_tensor(tf.stack([tf.constant(1.), 2]), [1., 2.], dtype=tf.float32)
    parts = tf.unstack(a, axis=1)
    assert len(parts) == 3
    assert_tensor(parts[2], a[:, 2])
    assert tf.unstack(tf.zeros([0, 2])) == []
    with pytest.raises(InvalidArgumentError, match=r"Shapes of all inputs must match: "
                                                   r"values\[0\]\.shape = \[2\] != "
                                                   r"values\[1\]\.shape = \[1\]"):
        tf.stack([[1, 2], [3]])
    with pytest.raises(ValueError, match=r"Argument `axis` = 3 not in range \[-2, 2\)"):
        tf.stack([[1, 2], [3, 4]], axis=3)
    with pytest.raises(ValueError, match=r"Argument `axis` = -3 not in range \[-2, 2\)"):
        tf.unstack(tf.ones([2, 3]), axis=-3)
    with pytest.raises(InvalidArgumentError, match=r"Input shape axis 0 must equal 3, got "
                                                   r"shape \[2,3\]"):
        tf.unstack(tf.ones([2, 3]), num=3)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_, np.complex128])
def test_concat(dtype):
    a, b = (rand(2, 3) > .5).astype(dtype), (rand(2, 1) > .5).astype(dtype)
    assert_tensor(tf.concat([a, b], 1), np.concatenate([a, b], 1), dtype=dtype)
    assert_tensor(tf.concat([a, b], -1), np.concatenate([a, b], 1), dtype=dtype)
    assert_tensor(tf.concat([a], 0), a, dtype=dtype)
    assert_tensor(tf.concat([a.T, b.T, np.zeros((0, 2), dtype)], 0),
                  np.concatenate([a.T, b.T]), dtype=dtype)


def test_concat_errors():
    assert_tensor(tf.concat([[1, 2], [3]], 0), [1, 2, 3], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"ConcatOp : Dimension 1 in both shapes "
                                                   r"must be equal: shape\[0\] = \[2,3\] vs\. "
                                                   r"shape\[1\] = \[2,2\] \[Op:ConcatV2\] "
                                                   r"name: concat"):
        tf.concat([tf.ones([2, 3]), tf.ones([2, 2])], 0)
    with pytest.raises(InvalidArgumentError, match=r"Expected concatenating dimensions in the "
                                                   r"range \[-2, 2\), but got 2"):
        tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], 2)
    with pytest.raises(InvalidArgumentError, match="Ranks of all input tensors should match"):
        tf.concat([tf.ones([2, 3]), tf.ones([3])], 0)
    with pytest.raises(InvalidArgumentError, match="cannot compute ConcatV2 as input "
                                                   r"#1\(zero-based\) was expected to be a "
                                                   "float tensor but is a int32 tensor"):
        tf.concat([tf.ones([2, 3]), tf.ones([2, 2], tf.int32)], 0)


def test_concat_shape_rule_with_unknown_dims():
    rule = REGISTRY["ConcatV2"].shape_fn
    assert rule(_Spec([None, 3]), _Spec([2, 3]), axis=0)[1].as_list() == [None, 3]
    assert rule(_Spec([None, 3]), _Spec([2, None]), axis=1)[1].as_list() == [2, None]
    assert rule(_Spec([4, 3]), _Spec([2, 3]), axis=0)[1].as_list() == [6, 3]


def test_split():
    x = np.arange(12.).reshape(2, 6)
    parts = tf.split(x, 3, axis=1)
    assert len(parts) == 3
    for got, want in zip(parts, np.split(x, 3, axis=1)):
        assert_tensor(got, want)
    parts = tf.split(x, [1, -1, 2], axis=-1)
    for got, want in zip(parts, np.split(x, [1, 4], axis=1)):
        assert_tensor(got, want)
    assert [p.shape for p in tf.split(tf.range(6), tf.constant([1, 5]))] == [(1,), (5,)]
    with pytest.raises(InvalidArgumentError, match=r"Number of ways to split should evenly "
                                                   r"divide the split dimension, but got "
                                                   r"split_dim 0 \(size = 6\) and num_split 4"):
        tf.split(tf.range(6), 4)
    with pytest.raises(InvalidArgumentError, match="There can only be one -1 in the input."):
        tf.split(tf.range(6), [1, -1, -1])
    with pytest.raises(InvalidArgumentError, match="Determined shape must either match input "
                                                   ".*Got: 3"):
        tf.split(tf.range(6), [1, 2])


def test_tile():
    x = rand(2, 3)
    assert_tensor(tf.tile(x, [2, 3]), np.tile(x, (2, 3)))
    assert_tensor(tf.tile([1, 2], [3]), [1, 2, 1, 2, 1, 2], dtype=tf.int32)
    assert_tensor(tf.tile(x, tf.constant([1, 0], tf.int64)), np.zeros((2, 0)))
    with pytest.raises(InvalidArgumentError, match="Expected multiples argument to be a vector "
                                                   "of length 2 but got length 1"):
        tf.tile(x, [2])
    with pytest.raises(InvalidArgumentError, match=r"Expected multiples\[0\] >= 0, but got -1"):
        tf.tile([1, 2], [-1])


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC", "reflect"])
def test_pad_modes(mode):
    x = np.arange(1., 7.).reshape(2, 3)
    paddings = [[1, 1], [2, 1]]
    expected = np.pad(x, paddings, mode=mode.lower())
    assert_tensor(tf.pad(x, paddings, mode), expected)


def test_pad_constant_values_and_errors():
    x = [[1, 2], [3, 4]]
    assert_tensor(tf.pad(x, [[1, 1], [2, 2]], constant_values=9),
                  np.pad(x, [[1, 1], [2, 2]], constant_values=9), dtype=tf.int32)
    assert_tensor(tf.pad(x, tf.constant([[0, 0], [1, 1]], tf.int64)),
                  [[0, 1, 2, 0], [0, 3, 4, 0]])
    assert_tensor(tf.pad(tf.constant(["a"]), [[1, 0]]), np.array([b"", b"a"], object))
    with pytest.raises(TypeError):
        tf.pad([1, 2], [[1, 1]], constant_values=1.5)
    with pytest.raises(ValueError, match='Value of argument `mode` expected to be one of '
                                         '"CONSTANT", "REFLECT", or "SYMMETRIC". Received '
                                         '`mode` = FOO'):
        tf.pad(x, [[1, 1], [1, 1]], "foo")
    with pytest.raises(InvalidArgumentError, match=r"The first dimension of paddings must be "
                                                   r"the rank of inputs\[1,2\] \[2,2\]"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(InvalidArgumentError, match="Paddings must be non-negative: -1 1"):
        tf.pad(x, [[-1, 1], [0, 0]])
    with pytest.raises(InvalidArgumentError, match="paddings must be less than the dimension "
                                                   "size: 2, 2 not less than 2"):
        tf.pad(x, [[2, 2], [0, 0]], "REFLECT")
    with pytest.raises(InvalidArgumentError, match="paddings must be no greater than the "
                                                   "dimension size: 3, 2 greater than 2"):
        tf.pad(x, [[3, 2], [0, 0]], "SYMMETRIC")


# ---- slice, strided_slice, getitem -------------------------------------------------------

def test_slice():
    x = np.arange(24).reshape(2, 3, 4)
    assert_tensor(tf.slice(x, [0, 1, 1], [-1, 2, 2]), x[:, 1:3, 1:3])
    assert_tensor(tf.slice(x, tf.constant([1, 0, 0], tf.int64), tf.constant([1, 3, 0], tf.int64)),
                  x[1:, :, :0])
    with pytest.raises(InvalidArgumentError, match=r"Expected size\[0\] in \[0, 2\], but got 3"):
        tf.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [3, 2])
    with pytest.raises(InvalidArgumentError, match=r"Expected begin\[0\] in \[0, 3\], but got "
                                                   r"-1"):
        tf.slice([1, 2, 3], [-1], [1])


X = np.arange(60).reshape(3, 4, 5)
KEYS = [0, -1, 2, (1, 2), (-1, -2, -3), slice(None), slice(1, None), slice(None, -1),
        slice(None, None, 2), slice(None, None, -1), slice(-1, 0, -1), slice(5, 10),
        slice(-10, 2), slice(2, 0), slice(None, None, -2), slice(10, -10, -1),
        (slice(None), 1), (slice(None), slice(None, None, 2), slice(None, None, 2)),
        (Ellipsis, 1), (Ellipsis, 1, None), (None, 1), (0, None, Ellipsis, None),
        (Ellipsis,), (Ellipsis, slice(1, 3)), (1, Ellipsis, 2), (None,), (None, None, 0),
        (np.int64(1), np.int32(-1)), (slice(None), np.array(2))]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_getitem_matches_numpy(key):
    assert_tensor(tf.constant(X)[key], X[key], dtype=tf.int64)


def test_getitem_lists_of_ints_and_tensor_indices():
    t = tf.constant(X)
    assert_tensor(t[[1, 2]], X[1, 2])  # a list key indexes like a tuple
    assert_tensor(t[tf.constant(1)], X[1])
    assert_tensor(t[tf.constant(1, tf.int64), 2:], X[1, 2:])
    assert_tensor(t[1:tf.constant(3), ::tf.constant(2)], X[1:3, ::2])
    assert_tensor(t[:, tf.constant(-1)], X[:, -1])
    assert_tensor(tf.Variable(X)[tf.Variable(2)], X[2])
    assert_tensor(tf.constant(3.)[...], 3.)
    assert_tensor(tf.constant(3.)[None], [3.])
    t2 = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    assert_tensor(t2[:, 1:], [[2., 3.], [5., 6.]])
    assert_tensor(t2[..., 1, tf.newaxis], [[2.], [5.]])


def test_getitem_errors():
    t = tf.constant([1, 2, 3])
    with pytest.raises(InvalidArgumentError, match=r"^slice index 5 of dimension 0 out of "
                                                   r"bounds\. \[Op:StridedSlice\] name: "
                                                   r"strided_slice/$"):
        t[5]
    with pytest.raises(InvalidArgumentError, match="slice index -1 of dimension 0 out of "
                                                   "bounds."):
        t[-4]
    with pytest.raises(InvalidArgumentError, match="slice index 3 of dimension 1 out of "
                                                   "bounds."):
        tf.constant([[1, 2, 3]])[0, 3]
    with pytest.raises(InvalidArgumentError, match="Index out of range using input dim 2; "
                                                   "input has only 2 dims"):
        tf.constant([[1, 2, 3]])[0, 0, 0]
    with pytest.raises(InvalidArgumentError, match="Attempting to slice scalar input."):
        tf.constant(3)[0]
    with pytest.raises(InvalidArgumentError, match="Multiple ellipses in slice spec not "
                                                   "allowed"):
        t[..., ...]
    with pytest.raises(InvalidArgumentError, match=r"strides\[0\] must be non-zero"):
        t[::0]
    message = (r"Only integers, slices \(`:`\), ellipsis \(`...`\), tf.newaxis \(`None`\) and "
               r"scalar tf.int32/tf.int64 tensors are valid indices, got ")
    for bad, shown in [(1.5, "1.5"), ("a", "'a'"), (tf.constant(1.), "<tf.Tensor: shape=()"),
                       (tf.constant([1]), "<tf.Tensor: shape=(1,)"), ((0, [1]), "[1]")]:
        with pytest.raises(TypeError, match=message + re.escape(shown)):
            t[bad]


def test_strided_slice_function():
    x = np.arange(24).reshape(4, 6)
    assert_tensor(tf.strided_slice(x, [1, 0], [3, 6], [1, 2]), x[1:3, 0:6:2])
    assert_tensor(tf.strided_slice(x, [1, 0], [0, 0], begin_mask=2, end_mask=2,
                                   shrink_axis_mask=1), x[1, :])
    assert_tensor(tf.strided_slice(x, [0, 0], [0, 0], [1, 1], new_axis_mask=1, end_mask=2),
                  x[None, :])
    assert_tensor(tf.strided_slice(x, [-1], [0], [-1], end_mask=1), x[::-1])


def test_strided_slice_shape_rule_with_unknown_dims():
    images = _Spec([None, 28, 28])
    begin, end, strides, attrs = array_ops._slice_spec((slice(None), slice(None, None, 2),
                                                        slice(None, None, 2)))
    rule = REGISTRY["StridedSlice"].shape_fn
    specs = [_int_spec(t.numpy()) for t in (begin, end, strides)]
    assert rule(images, *specs, **attrs)[1].as_list() == [None, 14, 14]
    begin, end, strides, attrs = array_ops._slice_spec((0, Ellipsis, None, slice(1, None)))
    specs = [_int_spec(t.numpy()) for t in (begin, end, strides)]
    assert rule(images, *specs, **attrs)[1].as_list() == [28, 1, 27]
    unknown = [_Spec([4], tf.int32)] * 3
    # unknown begin/end values: the ellipsis still keeps dim 1 (28) and the new axis is 1
    assert rule(images, *unknown, **attrs)[1].as_list() == [28, 1, None]


def test_strided_slice_traced_with_unknown_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32)])
    def shrink(images):
        return images[:, ::2, ::2]

    assert shrink.get_concrete_function().outputs[0].shape.as_list() == [None, 14, 14]
    x = rand(3, 28, 28).astype(np.float32)
    assert_tensor(shrink(x), x[:, ::2, ::2])


def test_traced_equals_eager():
    def f(x, i):
        return (x[i, 1:], tf.concat([x, x[::-1]], 0), tf.gather(x, [1, 0], axis=1),
                tf.reshape(x, [-1]), tf.pad(x, [[1, 0], [0, 1]], "SYMMETRIC"),
                tf.tile(x, [1, 2]), tf.split(x, [1, -1], axis=1)[1], tf.sort(x, axis=0),
                tf.gather_nd(x, [[1, 0]]), tf.one_hot([0, 1], 3), tf.range(3))

    x, i = tf.constant(rand(3, 4)), tf.constant(1)
    for traced, eager in zip(tf.function(f)(x, i), f(x, i)):
        assert_tensor(traced, eager.numpy(), dtype=eager.dtype)


# ---- gather / scatter --------------------------------------------------------------------

def test_gather():
    p = np.arange(24).reshape(2, 3, 4)
    assert_tensor(tf.gather(p, [1, 0]), p[[1, 0]])
    assert_tensor(tf.gather(p, [[2, 0], [1, 1]], axis=1), np.take(p, [[2, 0], [1, 1]], axis=1))
    assert_tensor(tf.gather(p, 3, axis=-1), p[..., 3])
    assert_tensor(tf.gather(p, tf.constant([0], tf.int64), axis=2), p[..., [0]])
    assert_tensor(tf.gather([[1, 2], [3, 4]], [[1], [0]], axis=1, batch_dims=1), [[2], [3]])
    idx = np.array([[1, 0, 1], [2, 2, 0]])
    expected = np.stack([np.take(p[b], idx[b], axis=1) for b in range(2)])
    assert_tensor(tf.gather(p, idx, axis=2, batch_dims=1), expected)
    assert_tensor(tf.gather(p, idx, axis=-2, batch_dims=-1),
                  np.stack([p[b][idx[b]] for b in range(2)]))
    assert_tensor(tf.gather(tf.Variable([1., 2.]), [1]), [2.])


def test_gather_errors():
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = 5 is not in \[0, 3\) "
                                                   r"\[Op:GatherV2\]"):
        tf.gather([1, 2, 3], [5])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0,1\] = 5 is not in \[0, 2\)"):
        tf.gather([[1, 2], [3, 4]], [[1, 5]], axis=1)
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = -1 is not in \[0, 2\)"):
        tf.gather([1, 2], [-1])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'Tindices' of float is not "
                                                   "in the list of allowed values: int16, "
                                                   "int32, int64"):
        tf.gather([1, 2, 3], [1.])
    with pytest.raises(InvalidArgumentError, match="Shape must be at least rank 3 but is "
                                                   "rank 2"):
        tf.gather([[1, 2], [3, 4]], [1], axis=2)
    with pytest.raises(InvalidArgumentError, match=r"params.shape\[0\]: 2 should be equal to "
                                                   r"indices.shape\[0\]: 3"):
        tf.gather([[1, 2], [3, 4]], [[1], [0], [1]], axis=1, batch_dims=1)


def test_gather_nd():
    p = np.arange(24).reshape(2, 3, 4)
    assert_tensor(tf.gather_nd(p, [[1, 0], [0, 2]]), p[[1, 0], [0, 2]])
    assert_tensor(tf.gather_nd(p, [[1, 2, 3]]), [p[1, 2, 3]])
    assert_tensor(tf.gather_nd(p, [1]), p[1])
    assert_tensor(tf.gather_nd(p, [[[1], [0]]]), p[[[1, 0]]])
    assert_tensor(tf.gather_nd(p, np.zeros((2, 0), np.int32)), np.stack([p, p]))
    # batch_dims=1: each batch element is indexed by its own coordinates
    idx = np.array([[[1], [0]], [[2], [2]]])
    assert_tensor(tf.gather_nd(p, idx, batch_dims=1), np.stack([p[b][idx[b, :, 0]]
                                                                 for b in range(2)]))
    assert_tensor(tf.gather_nd([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[1], [0]], batch_dims=1),
                  [[3, 4], [5, 6]])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[0, 5\] does not index "
                                                   r"into param shape \[2,2\], node name: "
                                                   r"GatherNd \[Op:GatherNd\]"):
        tf.gather_nd([[1, 2], [3, 4]], [[0, 5]])
    with pytest.raises(InvalidArgumentError, match="index innermost dimension length must be "
                                                   "<= params rank; saw: 3 vs. 2"):
        tf.gather_nd([[1, 2], [3, 4]], [[1, 0, 0]])


def test_scatter_nd():
    assert_tensor(tf.scatter_nd([[0], [2]], [1., 2.], [4]), [1., 0., 2., 0.], dtype=tf.float32)
    assert_tensor(tf.scatter_nd([[0], [0]], [1., 2.], [4]), [3., 0., 0., 0.])
    assert_tensor(tf.scatter_nd([[1]], [[5, 6]], tf.constant([2, 2], tf.int64)),
                  [[0, 0], [5, 6]], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = \[5\] does not index into "
                                                   r"shape \[4\] \[Op:ScatterNd\]"):
        tf.scatter_nd([[0], [5]], [1., 2.], [4])
    with pytest.raises(InvalidArgumentError, match=r"Dimensions \[0,1\) of indices\[shape="
                                                   r"\[2,1\]\] must match dimensions \[0,1\) "
                                                   r"of updates\[shape=\[3\]\]"):
        tf.scatter_nd([[0], [2]], [1., 2., 3.], [4])


def test_tensor_scatter_nd():
    t = [1, 2, 3, 4]
    assert_tensor(tf.tensor_scatter_nd_update(t, [[0], [2]], [9, 9]), [9, 2, 9, 4])
    assert_tensor(tf.tensor_scatter_nd_add(t, [[0], [0]], [9, 9]), [19, 2, 3, 4])
    assert_tensor(tf.tensor_scatter_nd_sub(t, [[0], [2]], [9, 9]), [-8, 2, -6, 4])
    assert_tensor(tf.tensor_scatter_nd_update([[1., 2.], [3., 4.]], [[1]], [[9, 9]]),
                  [[1., 2.], [9., 9.]], dtype=tf.float32)
    original = tf.constant([1., 2.])
    tf.tensor_scatter_nd_update(original, [[0]], [5.])
    assert_tensor(original, [1., 2.])  # the input is not modified
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[7\] does not index into "
                                                   r"shape \[4\] \[Op:TensorScatterUpdate\]"):
        tf.tensor_scatter_nd_update(t, [[7]], [9])
    with pytest.raises(InvalidArgumentError, match=r"Outer dimensions of indices and update "
                                                   r"must match\. Indices shape: \[2,1\], "
                                                   r"updates shape:\[1\]"):
        tf.tensor_scatter_nd_update(t, [[0], [2]], [9])


def test_segment_sums():
    uss = array_ops.unsorted_segment_sum
    assert_tensor(uss([1, 2, 3, 4], [0, 2, 0, -1], 3), [4, 0, 2], dtype=tf.int32)
    data = rand(4, 2)
    assert_tensor(uss(data, [1, 1, 0, 1], tf.constant(3, tf.int64)),
                  [data[2], data[0] + data[1] + data[3], [0, 0]])
    assert_tensor(uss(np.zeros((2, 0)), [0, 0], 3), np.zeros((3, 0)))
    d = rand(2, 2)
    assert_tensor(uss(d, [[0, 1], [1, 1]], 2), [d[0, 0], d[0, 1] + d[1, 0] + d[1, 1]])
    assert_tensor(array_ops.segment_sum([1, 2, 3, 4], [0, 0, 2, 2]), [3, 0, 7])
    assert_tensor(array_ops.segment_sum([[1, 2], [3, 4]], [0, 0]), [[4, 6]])
    with pytest.raises(InvalidArgumentError, match=r"segment_ids\[3\] = 5 is out of range "
                                                   r"\[0, 3\)"):
        uss([1, 2, 3, 4], [0, 2, 0, 5], 3)
    with pytest.raises(InvalidArgumentError, match=r"data.shape = \[4\] does not start with "
                                                   r"segment_ids.shape = \[3\]"):
        uss([1, 2, 3, 4], [0, 2, 0], 3)
    with pytest.raises(InvalidArgumentError, match="segment ids are not increasing"):
        array_ops.segment_sum([1, 2, 3, 4], [0, 0, 2, 1])


# ---- sort, top_k, unique, repeat, sequence_mask, meshgrid --------------------------------

def test_top_k():
    values, indices = array_ops.top_k([1, 3, 2], 2)
    assert_tensor(values, [3, 2], dtype=tf.int32)
    assert_tensor(indices, [1, 2], dtype=tf.int32)
    x = np.array([[1., 3., 3., 0.], [2., 2., 5., 2.]])
    top = array_ops.top_k(x, k=tf.constant(3), index_type=tf.int64)
    assert_tensor(top.values, [[3., 3., 1.], [5., 2., 2.]])
    assert_tensor(top.indices, [[1, 2, 0], [2, 0, 1]], dtype=tf.int64)  # ties: lower index first
    assert array_ops.top_k([[1., 2.]], 0).values.shape == (1, 0)
    with pytest.raises(InvalidArgumentError, match="input must have at least k columns. Had 3, "
                                                   "needed 5"):
        array_ops.top_k([1, 3, 2], 5)
    with pytest.raises(InvalidArgumentError, match=r"input must be >= 1-D, got shape \[\]"):
        array_ops.top_k(3, 1)
    with pytest.raises(InvalidArgumentError, match="Need k >= 0, got -1"):
        array_ops.top_k([1., 2.], -1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_sort_argsort(dtype):
    x = (rand(3, 5) * 10).astype(dtype)
    x[0, 1] = x[0, 3]  # a tie
    for axis in (-1, 0):
        assert_tensor(tf.sort(x, axis=axis), np.sort(x, axis=axis), dtype=dtype)
        assert_tensor(tf.sort(x, axis=axis, direction="DESCENDING"),
                      -np.sort(-x, axis=axis), dtype=dtype)
        assert_tensor(tf.argsort(x, axis=axis, stable=True),
                      np.argsort(x, axis=axis, kind="stable"), dtype=tf.int32)
    assert_tensor(tf.argsort([3., 1, 2, 1], direction="DESCENDING"), [0, 2, 1, 3])
    assert_tensor(tf.argsort([3, 1, 2, 1]), [1, 3, 2, 0])
    with pytest.raises(ValueError, match="Argument `direction` should be one of ASCENDING, "
                                         "DESCENDING. Received: direction=foo"):
        tf.sort([3, 1, 2], direction="foo")


def test_unique():
    y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert_tensor(y, [1, 2, 4, 7, 8], dtype=tf.int32)
    assert_tensor(idx, [0, 0, 1, 2, 2, 2, 3, 4, 4], dtype=tf.int32)
    out = tf.unique([5., 3., 5., 1.], out_idx=tf.int64)
    assert_tensor(out.y, [5., 3., 1.])  # first-occurrence order, not sorted
    assert_tensor(out.idx, [0, 1, 0, 2], dtype=tf.int64)
    y, idx = tf.unique(["a", "b", "a"])
    assert_tensor(y, np.array([b"a", b"b"], object))
    assert_tensor(idx, [0, 1, 0])
    with pytest.raises(InvalidArgumentError, match="unique expects a 1D vector."):
        tf.unique([[1, 2]])


def test_repeat():
    x = np.array([[1, 2], [3, 4]])
    assert_tensor(tf.repeat([1, 2], 2), [1, 1, 2, 2], dtype=tf.int32)
    assert_tensor(tf.repeat(x, [1, 2], axis=0), np.repeat(x, [1, 2], axis=0))
    assert_tensor(tf.repeat(x, 2), np.repeat(x, 2))
    assert_tensor(tf.repeat(x, [3], axis=1), np.repeat(x, 3, axis=1))
    assert_tensor(tf.repeat(x, [0, 2], axis=1), np.repeat(x, [0, 2], axis=1))
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.repeat([1, 2], [1, 2, 3])


def test_sequence_mask():
    assert_tensor(tf.sequence_mask([1, 3, 2], 5), np.arange(5) < np.array([[1], [3], [2]]),
                  dtype=tf.bool)
    assert_tensor(tf.sequence_mask([1, 3, 2]), np.arange(3) < np.array([[1], [3], [2]]))
    assert_tensor(tf.sequence_mask([[1], [3]], 3, dtype=tf.float32),
                  [[[1., 0., 0.]], [[1., 1., 1.]]], dtype=tf.float32)
    assert_tensor(tf.sequence_mask(tf.constant([2], tf.int64), tf.constant(3)),
                  [[True, True, False]])


def test_meshgrid():
    x, y = [1, 2, 3], [4, 5]
    for indexing in ("xy", "ij"):
        got = tf.meshgrid(x, y, indexing=indexing)
        for g, want in zip(got, np.meshgrid(x, y, indexing=indexing)):
            assert_tensor(g, want, dtype=tf.int32)
    a, b, c = tf.meshgrid([1., 2.], [3., 4., 5.], [6.])
    for g, want in zip((a, b, c), np.meshgrid([1., 2.], [3., 4., 5.], [6.])):
        assert_tensor(g, want)
    with pytest.raises(ValueError, match="Argument `indexing` parameter must be either 'xy' or "
                                         "'ij', got 'zz'"):
        tf.meshgrid(x, y, indexing="zz")


# ---- IndexedSlices -----------------------------------------------------------------------

def test_indexed_slices():
    values = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    s = tf.IndexedSlices(values, tf.constant([1, 0]), dense_shape=tf.constant([3, 3]))
    assert s.values is values
    assert s.dtype == tf.float32
    assert s.shape == tf.TensorShape([3, 3])
    assert_tensor(tf.convert_to_tensor(s), [[4., 5., 6.], [1., 2., 3.], [0., 0., 0.]])
    summed = tf.IndexedSlices(values, tf.constant([1, 1]), tf.constant([3, 3]))
    assert_tensor(tf.convert_to_tensor(summed), [[0., 0., 0.], [5., 7., 9.], [0., 0., 0.]])
    assert_tensor(tf.convert_to_tensor(-s)[0], [-4., -5., -6.])
    assert str(s) == ("IndexedSlices(indices=tf.Tensor([1 0], shape=(2,), dtype=int32), "
                      "values=tf.Tensor(\n[[1. 2. 3.]\n [4. 5. 6.]], shape=(2, 3), "
                      "dtype=float32), dense_shape=tf.Tensor([3 3], shape=(2,), dtype=int32))")
    assert repr(s).startswith("<tensorlite.framework.indexed_slices.IndexedSlices object at ")
    raw = tf.IndexedSlices(values=[[1., 2.]], indices=[0])
    assert raw.values == [[1., 2.]] and raw.dense_shape is None
    assert raw.shape == tf.TensorShape(None)
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices for "
                                         "argument `value` without dense_shape"):
        tf.convert_to_tensor(tf.IndexedSlices(values, tf.constant([1, 0])))


# ---- gradients ---------------------------------------------------------------------------

def _t(x):
    return tf.constant(np.asarray(x))


GRADIENT_CASES = {
    "Identity": (lambda x: tf.identity(x), [rand(3)]),
    "Fill": (lambda v: tf.fill([2, 3], v), [1.5]),
    "Reshape": (lambda x: tf.reshape(x, [3, -1]), [rand(2, 3)]),
    "Squeeze": (lambda x: tf.squeeze(x, 0), [rand(1, 3)]),
    "ExpandDims": (lambda x: tf.expand_dims(x, 1), [rand(3)]),
    "BroadcastTo": (lambda x: tf.broadcast_to(x, [2, 3]), [rand(1, 3)]),
    "Transpose": (lambda x: tf.transpose(x, [2, 0, 1]), [rand(2, 3, 4)]),
    "ReverseV2": (lambda x: tf.reverse(x, [0, 1]), [rand(2, 3)]),
    "SelectV2": (lambda x, y: tf.where(_t([[True, False, True]]), x, y),
                 [rand(2, 3), rand(3)]),
    "Pack": (lambda x, y: tf.stack([x, y], axis=1), [rand(3), rand(3)]),
    "Unpack": (lambda x: tf.unstack(x, axis=1)[1], [rand(2, 3)]),
    "ConcatV2": (lambda x, y: tf.concat([x, y], -1), [rand(2, 3), rand(2, 2)]),
    "Split": (lambda x: tf.split(x, 2, axis=1)[0], [rand(2, 4)]),
    "SplitV": (lambda x: tf.split(x, [1, -1], axis=0)[1], [rand(3, 2)]),
    "Tile": (lambda x: tf.tile(x, [2, 3]), [rand(2, 2)]),
    "Pad": (lambda x: tf.pad(x, [[1, 0], [2, 1]]), [rand(2, 3)]),
    "PadV2": (lambda x: tf.pad(x, [[1, 1]], constant_values=2.), [rand(3)]),
    "MirrorPad": (lambda x: tf.pad(x, [[2, 1], [1, 2]], "REFLECT"), [rand(3, 4)]),
    "Slice": (lambda x: tf.slice(x, [1, 0], [2, -1]), [rand(3, 3)]),
    "StridedSlice": (lambda x: x[1:, ::-2, None], [rand(3, 4)]),
    "GatherV2": (lambda x: tf.gather(x, [[2, 0], [2, 2]], axis=1), [rand(2, 3)]),
    "GatherNd": (lambda x: tf.gather_nd(x, [[1, 0], [1, 0], [0, 2]]), [rand(2, 3)]),
    "ScatterNd": (lambda u: tf.scatter_nd([[1], [1], [3]], u, [4, 2]), [rand(3, 2)]),
    "TensorScatterUpdate": (lambda t, u: tf.tensor_scatter_nd_update(t, [[0, 1]], u),
                            [rand(2, 2), rand(1)]),
    "TensorScatterAdd": (lambda t, u: tf.tensor_scatter_nd_add(t, [[1], [1]], u),
                         [rand(2, 2), rand(2, 2)]),
    "TensorScatterSub": (lambda t, u: tf.tensor_scatter_nd_sub(t, [[0]], u),
                         [rand(2, 2), rand(1, 2)]),
    "UnsortedSegmentSum": (lambda d: array_ops.unsorted_segment_sum(d, [2, -1, 0, 2], 3),
                           [rand(4, 2)]),
    "SegmentSum": (lambda d: array_ops.segment_sum(d, [0, 0, 2]), [rand(3, 2)]),
    "TopKV2": (lambda x: array_ops.top_k(x, 2).values, [rand(2, 4)]),
}


def _check_weighted(fn, *args):
    """check_gradients of sum(fn(*args) * w) for fixed random weights w, so that each
    output element weighs differently in the sum."""
    out = fn(*[tf.constant(np.asarray(a, np.float64)) for a in args])
    weights = tf.constant(rand(*out.shape))
    check_gradients(lambda *a: fn(*a) * weights, *args)


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(name):
    fn, args = GRADIENT_CASES[name]
    _check_weighted(fn, *args)


def test_more_gradients():
    _check_weighted(lambda x: tf.gather(x, [[1, 0], [0, 0]], axis=1, batch_dims=1), rand(2, 3))
    _check_weighted(lambda x: tf.gather(x, [[1, 0], [2, 2]], axis=2, batch_dims=1),
                    rand(2, 4, 3))
    _check_weighted(lambda x: tf.gather_nd(x, [[[1], [0]], [[2], [2]]], batch_dims=1),
                    rand(2, 3, 2))
    _check_weighted(lambda x: tf.pad(x, [[2, 2], [1, 0]], "SYMMETRIC"), rand(2, 3))
    _check_weighted(lambda x: tf.sort(x, axis=0), rand(3, 2))
    _check_weighted(lambda x: tf.boolean_mask(x, [[True, False], [True, True]]), rand(2, 2))
    _check_weighted(lambda x: tf.repeat(x, [2, 1], axis=0), rand(2, 2))
    _check_weighted(lambda x: x[..., tf.constant(1)], rand(2, 3))
    _check_weighted(lambda x: tf.transpose(x, tf.constant([1, 0])), rand(2, 3))
    _check_weighted(lambda x: tf.convert_to_tensor(tf.IndexedSlices(
        x, tf.constant([2, 0]), tf.constant([3, 2]))), rand(2, 2))


def test_second_order():
    check_second_order(lambda x: tf.square(x[1:, ::-1]), rand(3, 2))
    check_second_order(lambda x: tf.square(tf.pad(x, [[1, 2]], "REFLECT")), rand(4))
    check_second_order(lambda x: tf.square(tf.gather(x, [0, 0, 2])), rand(3))
    check_second_order(lambda x: tf.square(array_ops.top_k(x, 2).values), rand(4))
    check_second_order(lambda x: tf.square(tf.tile(tf.concat([x, x], 0), [2])), rand(2))


def test_every_differentiable_array_op_is_gradient_checked():
    checked = set(GRADIENT_CASES) | {"MirrorPadGrad", "StridedSliceGrad", "ConjugateTranspose"}
    ours = {name for name, opdef in REGISTRY.items() if opdef.differentiable and getattr(
        opdef.kernel, "__wrapped__", opdef.kernel).__module__ == array_ops.__name__}
    assert ours - checked == set()


def test_conjugate_transpose_gradient():
    x = tf.constant(rand(2, 3) + 1j * rand(2, 3))
    w = tf.constant(rand(3, 2) + 1j * rand(3, 2))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.transpose(x, conjugate=True) * w
    # TensorFlow's result (checked against it): w transposed, not conjugated.
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), w.numpy().T)
