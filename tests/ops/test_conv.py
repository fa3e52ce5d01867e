"""tf.nn convolution and pooling: values against direct NumPy loops, TensorFlow's padding
split and hand-checked outputs, gradients by central differences, errors."""
import math

import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite.framework.errors import InvalidArgumentError, UnimplementedError
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import REGISTRY
from tensorlite.ops import conv as conv_ops

conftest.pytest_sessionstart(None)  # shape-check kernels registered after the session began

RNG = np.random.default_rng(0)


# ---- direct (slow, obvious) NumPy references ---------------------------------------------

def same_pads(n, k, s, d=1):
    """TensorFlow's SAME padding of one axis: the odd extra row goes after."""
    out = math.ceil(n / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def ref_conv2d(x, w, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    """Grouped, strided, dilated NHWC convolution by loops over output positions."""
    (sh, sw), (dh, dw) = strides, dilations
    kh, kw, cin, cout = w.shape
    if padding == "SAME":
        pads = (same_pads(x.shape[1], kh, sh, dh), same_pads(x.shape[2], kw, sw, dw))
    elif padding == "VALID":
        pads = ((0, 0), (0, 0))
    else:
        pads = padding
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    groups = x.shape[3] // cin
    gout = cout // groups
    oh = (xp.shape[1] - (kh - 1) * dh - 1) // sh + 1
    ow = (xp.shape[2] - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((x.shape[0], oh, ow, cout), np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * sh:i * sh + (kh - 1) * dh + 1:dh, j * sw:j * sw + (kw - 1) * dw + 1:dw]
            for g in range(groups):
                out[:, i, j, g * gout:(g + 1) * gout] = np.tensordot(
                    patch[..., g * cin:(g + 1) * cin], w[..., g * gout:(g + 1) * gout], axes=3)
    return out


def ref_pool(x, ksize, strides, padding, reduce):
    """Pooling by loops; SAME windows hold only the real elements."""
    (kh, kw), (sh, sw) = ksize, strides
    n, h, w, c = x.shape
    if padding == "SAME":
        (top, _), (left, _) = same_pads(h, kh, sh), same_pads(w, kw, sw)
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
    else:
        top = left = 0
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((n, oh, ow, c), x.dtype)
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            window = x[:, max(r0, 0):r0 + kh, max(c0, 0):c0 + kw]
            out[:, i, j] = reduce(window, axis=(1, 2))
    return out


CONV_CASES = [
    # x shape, filter shape, strides, padding, dilations
    ((2, 7, 7, 3), (3, 3, 3, 4), (1, 1), "SAME", (1, 1)),
    ((2, 8, 8, 3), (3, 3, 3, 4), (2, 2), "SAME", (1, 1)),
    ((2, 7, 9, 2), (2, 4, 2, 3), (2, 3), "VALID", (1, 1)),
    ((1, 9, 9, 2), (3, 3, 2, 3), (1, 1), "SAME", (2, 2)),
    ((1, 10, 8, 2), (3, 2, 2, 3), (1, 1), "VALID", (2, 3)),
    ((1, 9, 9, 2), (3, 3, 2, 3), (2, 2), "SAME", (2, 2)),
    ((2, 6, 6, 4), (3, 3, 2, 6), (1, 1), "SAME", (1, 1)),        # 2 groups
    ((2, 9, 9, 3), (5, 5, 3, 2), (3, 3), "SAME", (1, 1)),
    ((1, 5, 6, 1), (3, 3, 1, 2), (1, 2), ((1, 2), (0, 3)), (1, 1)),  # explicit
    ((1, 3, 3, 1), (4, 4, 1, 1), (1, 1), "SAME", (1, 1)),        # window > input
]


def _padding_arg(padding):
    if isinstance(padding, str):
        return padding
    return [[0, 0], list(padding[0]), list(padding[1]), [0, 0]]


# ---- conv2d values -------------------------------------------------------------------------

@pytest.mark.parametrize("xs,ws,strides,padding,dilations", CONV_CASES)
def test_conv2d_matches_direct_loops(xs, ws, strides, padding, dilations):
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    got = tf.nn.conv2d(x, w, list(strides), _padding_arg(padding), dilations=list(dilations))
    assert_tensor(got, ref_conv2d(x, w, strides, padding, dilations), tf.float64, rtol=1e-10,
                  atol=1e-10)


def test_same_padding_puts_the_extra_row_after():
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    # pad total 1 on each axis: nothing above/left, one row/column below/right
    got = tf.nn.conv2d(x, np.ones((3, 3, 1, 1)), 2, "SAME")
    assert_tensor(got[0, ..., 0], [[45.0, 39.0], [66.0, 50.0]])
    ones = tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, "SAME")
    assert_tensor(ones[0, ..., 0], [[4.0, 4.0, 2.0], [4.0, 4.0, 2.0], [2.0, 2.0, 1.0]])


def test_stride_two_same_is_odd_outputs_of_stride_one():
    # the book's check: with a 7x7 window, TF pads 2 above and 3 below at stride 2
    x, w = RNG.standard_normal((1, 14, 12, 2)), RNG.standard_normal((7, 7, 2, 2))
    s1 = tf.nn.conv2d(x, w, 1, "SAME").numpy()
    s2 = tf.nn.conv2d(x, w, 2, "SAME").numpy()
    np.testing.assert_allclose(s2, s1[:, 1::2, 1::2], rtol=1e-10)


@pytest.mark.parametrize("dtype,tol", [(np.float32, 1e-5), (np.float16, 2e-2),
                                       (tf.bfloat16, 5e-2), (np.int32, 0)])
def test_conv2d_dtypes(dtype, tol):
    x = RNG.integers(-3, 4, (2, 5, 5, 2))
    w = RNG.integers(-2, 3, (3, 3, 2, 3))
    got = tf.nn.conv2d(tf.cast(x, dtype), tf.cast(w, dtype), 1, "SAME")
    assert got.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(tf.cast(got, tf.float64).numpy(),
                               ref_conv2d(x, w, padding="SAME"), rtol=tol, atol=tol)


def test_conv2d_argument_forms():
    x, w = RNG.standard_normal((1, 6, 6, 1)), RNG.standard_normal((2, 2, 1, 1))
    want = ref_conv2d(x, w, (2, 2))
    for strides in (2, [2], [2, 2], [1, 2, 2, 1], np.array([2, 2])):
        np.testing.assert_allclose(tf.nn.conv2d(x, w, strides, "VALID").numpy(), want)
    # a Python list filter takes the input's dtype
    got = tf.nn.conv2d(tf.ones([1, 2, 2, 1]), [[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]], 1,
                       "VALID")
    assert_tensor(got, [[[[10.0]]]], tf.float32)


def test_conv2d_extra_batch_axes_and_empty_shapes():
    x, w = RNG.standard_normal((2, 3, 5, 5, 1)), RNG.standard_normal((3, 3, 1, 2))
    got = tf.nn.conv2d(x, w, 1, "VALID")
    assert got.shape == (2, 3, 3, 3, 2)
    np.testing.assert_allclose(got.numpy()[1, 2], ref_conv2d(x[1, 2][None], w)[0])
    assert tf.nn.conv2d(tf.ones([0, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, "SAME").shape == \
        (0, 3, 3, 1)
    assert tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 0]), 1, "SAME").shape == \
        (1, 3, 3, 0)
    # a window bigger than the input: (3 - 4 + 1) / 1 = 0 rows, as in TensorFlow
    assert tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([4, 4, 1, 1]), 1, "VALID").shape == \
        (1, 0, 0, 1)


def test_conv1d():
    x, w = RNG.standard_normal((2, 10, 3)), RNG.standard_normal((3, 3, 4))
    got = tf.nn.conv1d(x, w, 2, "SAME")
    want = ref_conv2d(x[:, None], w[None], (1, 2), ((0, 0), same_pads(10, 3, 2)))[:, 0]
    assert_tensor(got, want, tf.float64, rtol=1e-10)
    dilated = tf.nn.conv1d(x, w, 1, "VALID", dilations=2)
    assert_tensor(dilated, ref_conv2d(x[:, None], w[None], dilations=(1, 2))[:, 0], rtol=1e-10)
    assert tf.nn.conv1d(tf.ones([2, 2, 10, 3]), tf.ones([3, 3, 4]), 1, "VALID").shape == \
        (2, 2, 8, 4)
    assert_tensor(tf.nn.conv1d(tf.ones([1, 5, 1]), tf.ones([3, 1, 1]), [1, 1, 1], "VALID"),
                  np.full((1, 3, 1), 3.0))


def test_conv2d_transpose_is_the_input_gradient():
    w = RNG.standard_normal((3, 3, 2, 4))
    dy = RNG.standard_normal((2, 4, 4, 4))
    x = tf.constant(RNG.standard_normal((2, 8, 8, 2)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv2d(x, w, 2, "SAME")
    want = tape.gradient(y, x, output_gradients=tf.constant(dy))
    got = tf.nn.conv2d_transpose(dy, w, [2, 8, 8, 2], 2, "SAME")
    assert_tensor(got, want.numpy(), tf.float64, rtol=1e-10)
    assert tf.nn.conv2d_transpose(tf.ones([2, 4, 4, 8]), tf.ones([3, 3, 5, 8]), [2, 9, 9, 5], 2,
                                  "VALID").shape == (2, 9, 9, 5)


# ---- conv2d gradients -----------------------------------------------------------------------

@pytest.mark.parametrize("xs,ws,strides,padding,dilations", CONV_CASES[:-1])
def test_conv2d_gradients(xs, ws, strides, padding, dilations):
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    check_gradients(lambda a, b: tf.nn.conv2d(a, b, list(strides), _padding_arg(padding),
                                              dilations=list(dilations)), x, w)


def test_conv1d_and_transpose_gradients():
    check_gradients(lambda a, b: tf.nn.conv1d(a, b, 2, "SAME"), RNG.standard_normal((2, 7, 2)),
                    RNG.standard_normal((3, 2, 3)))
    check_gradients(lambda dy, w: tf.nn.conv2d_transpose(dy, w, [1, 5, 5, 2], 2, "SAME"),
                    RNG.standard_normal((1, 3, 3, 3)), RNG.standard_normal((3, 3, 2, 3)))


def test_backprop_filter_gradients():
    attrs = {"strides": (1, 2, 2, 1), "padding": "SAME", "explicit_paddings": (),
             "data_format": "NHWC", "dilations": (1, 1, 1, 1)}
    sizes = tf.constant([3, 3, 2, 3])

    def backprop_filter(x, dy):
        return execute(conv_ops._conv2d_backprop_filter, (x, sizes, dy), attrs)

    check_gradients(backprop_filter, RNG.standard_normal((1, 5, 5, 2)),
                    RNG.standard_normal((1, 3, 3, 3)))


def test_conv2d_second_order():
    x0, w0 = RNG.standard_normal((1, 5, 5, 2)), RNG.standard_normal((3, 3, 2, 2))
    check_second_order(lambda x: tf.nn.conv2d(x, w0, 2, "SAME") ** 2, x0)
    check_second_order(lambda w: tf.nn.conv2d(x0, w, 1, "VALID") ** 2, w0)


def test_only_needed_conv_gradients_are_computed():
    x, w = tf.ones([1, 4, 4, 1]), tf.Variable(tf.ones([2, 2, 1, 1]))
    with tf.GradientTape() as tape:
        y = tf.nn.conv2d(x, w, 1, "VALID")
    assert_tensor(tape.gradient(y, w), np.full((2, 2, 1, 1), 9.0))


# ---- depthwise convolution --------------------------------------------------------------------

DEPTHWISE_CASES = [((2, 7, 7, 3), (3, 3, 3, 2), 1, "SAME", (1, 1)),
                   ((1, 8, 7, 2), (3, 2, 2, 1), 2, "VALID", (1, 1)),
                   ((1, 9, 9, 2), (3, 3, 2, 2), 1, "SAME", (2, 2)),
                   ((1, 5, 6, 1), (2, 3, 1, 3), 1, ((1, 0), (2, 1)), (1, 1))]


@pytest.mark.parametrize("xs,ws,stride,padding,rate", DEPTHWISE_CASES)
def test_depthwise_conv2d_is_a_grouped_convolution(xs, ws, stride, padding, rate):
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    got = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], _padding_arg(padding),
                                 dilations=list(rate))
    # channel c with multiplier m is output c * multiplier + m, as in one group per channel
    grouped = w.reshape(ws[:2] + (1, ws[2] * ws[3]))
    assert_tensor(got, ref_conv2d(x, grouped, (stride, stride), padding, rate), tf.float64,
                  rtol=1e-10, atol=1e-10)
    check_gradients(lambda a, b: tf.nn.depthwise_conv2d(a, b, [1, stride, stride, 1],
                                                        _padding_arg(padding),
                                                        dilations=list(rate)), x, w)


def test_depthwise_conv2d_second_order_dtypes_and_errors():
    x0, w0 = RNG.standard_normal((1, 5, 5, 2)), RNG.standard_normal((3, 3, 2, 2))
    check_second_order(lambda x: tf.nn.depthwise_conv2d(x, w0, [1, 2, 2, 1], "SAME") ** 2, x0)
    check_second_order(lambda w: tf.nn.depthwise_conv2d(x0, w, [1, 1, 1, 1], "VALID") ** 2, w0)
    got = tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 2], tf.float16),
                                 tf.ones([2, 2, 2, 1], tf.float16), [1, 1, 1, 1], "VALID")
    assert_tensor(got, np.full((1, 2, 2, 2), 4.0), tf.float16)
    x, w = tf.ones([2, 7, 7, 3]), tf.ones([3, 3, 3, 2])
    with pytest.raises(InvalidArgumentError, match="input and filter must have the same depth: "
                                                   "3 vs 2"):
        tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 2, 2]), [1, 1, 1, 1], "SAME")
    with pytest.raises(InvalidArgumentError, match="equal length strides in the row and column"):
        tf.nn.depthwise_conv2d(x, w, [1, 1, 2, 1], "SAME")
    with pytest.raises(InvalidArgumentError, match="strides field must specify 4 dimensions"):
        tf.nn.depthwise_conv2d(x, w, [2, 2], "SAME")
    with pytest.raises(TypeError, match="Expected list for 'strides'"):
        tf.nn.depthwise_conv2d(x, w, 2, "SAME")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 1], tf.int32), tf.ones([2, 2, 1, 1], tf.int32),
                               [1, 1, 1, 1], "SAME")


# ---- pooling values ---------------------------------------------------------------------------

POOL_CASES = [((2, 5, 5, 3), (2, 2), (2, 2), "SAME"), ((2, 5, 5, 3), (2, 2), (2, 2), "VALID"),
              ((2, 6, 6, 2), (3, 3), (2, 2), "SAME"), ((2, 7, 6, 2), (3, 2), (2, 1), "SAME"),
              ((1, 7, 7, 1), (3, 3), (3, 3), "SAME"), ((1, 5, 5, 2), (6, 6), (1, 1), "SAME"),
              ((2, 4, 4, 3), (3, 3), (1, 1), "VALID")]


@pytest.mark.parametrize("xs,ksize,strides,padding", POOL_CASES)
def test_pools_match_direct_loops(xs, ksize, strides, padding):
    x = RNG.standard_normal(xs)
    assert_tensor(tf.nn.max_pool2d(x, list(ksize), list(strides), padding),
                  ref_pool(x, ksize, strides, padding, np.max), tf.float64)
    assert_tensor(tf.nn.avg_pool2d(x, list(ksize), list(strides), padding),
                  ref_pool(x, ksize, strides, padding, np.mean), tf.float64, rtol=1e-12)


def test_avg_pool_same_averages_real_elements_only():
    x = tf.reshape(tf.range(2 * 5 * 5 * 3, dtype=tf.float32), [2, 5, 5, 3]) % 7
    # values printed by TensorFlow
    assert_tensor(tf.nn.avg_pool2d(x, 2, 2, "SAME")[0, :, :, 0],
                  [[2.0, 2.75, 5.5], [4.0, 3.0, 0.5], [2.0, 4.5, 2.0]])
    assert_tensor(tf.nn.avg_pool2d(x, 3, 2, "SAME")[0, :, :, 0],
                  [[2.0, 3.0, 4.0], [3.5, 10 / 3, 19 / 6], [3.25, 11 / 3, 3.5]])


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.int64, np.float16,
                                   tf.bfloat16])
def test_max_pool_dtypes(dtype):
    x = RNG.integers(0, 100, (1, 4, 6, 2))
    got = tf.nn.max_pool2d(tf.cast(x, dtype), 2, 2, "SAME")
    assert got.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(tf.cast(got, tf.int64).numpy(),
                                  ref_pool(x, (2, 2), (2, 2), "SAME", np.max))


def test_avg_pool_half_precisions():
    x = RNG.standard_normal((1, 4, 4, 2))
    for dtype in (tf.float16, tf.bfloat16):
        got = tf.nn.avg_pool2d(tf.cast(x, dtype), 2, 1, "SAME")
        assert got.dtype == dtype
        np.testing.assert_allclose(tf.cast(got, tf.float64).numpy(),
                                   ref_pool(x, (2, 2), (1, 1), "SAME", np.mean), atol=3e-2)


def test_max_pool_edge_values():
    # TensorFlow starts every window from the dtype's lowest value and skips NaNs
    neg_inf = tf.fill([1, 2, 2, 1], -np.inf)
    assert_tensor(tf.nn.max_pool2d(neg_inf, 3, 1, "SAME"),
                  np.full((1, 2, 2, 1), np.finfo(np.float32).min))
    nan = tf.constant(np.array([np.nan, 3, 1, 2], np.float32).reshape(1, 2, 2, 1))
    assert_tensor(tf.nn.max_pool2d(nan, 2, 2, "VALID"), [[[[3.0]]]])


def test_depthwise_max_pool():
    x = RNG.standard_normal((2, 3, 4, 6))
    got = tf.nn.max_pool2d(x, [1, 1, 1, 3], [1, 1, 1, 3], "VALID")
    assert_tensor(got, x.reshape(2, 3, 4, 2, 3).max(-1), tf.float64)
    # spatial strides are ignored there, as in TensorFlow
    assert tf.nn.max_pool2d(x, [1, 1, 1, 3], [1, 2, 2, 3], "VALID").shape == (2, 3, 4, 2)


def test_explicit_max_pool_padding():
    x = RNG.standard_normal((1, 4, 4, 1))
    got = tf.nn.max_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 0], [0, 0]])
    padded = np.pad(x, ((0, 0), (1, 1), (1, 0), (0, 0)), constant_values=-np.inf)
    assert_tensor(got, ref_pool(padded, (2, 2), (2, 2), "VALID", np.max))


def test_generic_and_1d_pools():
    x = RNG.standard_normal((2, 7, 3))
    want_max = ref_pool(x[:, None], (1, 2), (1, 2), "SAME", np.max)[:, 0]
    want_avg = ref_pool(x[:, None], (1, 3), (1, 2), "VALID", np.mean)[:, 0]
    assert_tensor(tf.nn.max_pool1d(x, 2, 2, "SAME"), want_max)
    assert_tensor(tf.nn.max_pool(x, 2, 2, "SAME"), want_max)
    assert_tensor(tf.nn.avg_pool1d(x, 3, 2, "VALID"), want_avg, rtol=1e-12)
    assert_tensor(tf.nn.avg_pool(x, [3], [2], "VALID"), want_avg, rtol=1e-12)
    x4 = RNG.standard_normal((1, 4, 4, 2))
    assert_tensor(tf.nn.max_pool(x4, 2, 2, "VALID"), ref_pool(x4, (2, 2), (2, 2), "VALID", np.max))
    assert_tensor(tf.nn.avg_pool(x4, 2, 2, "VALID"),
                  ref_pool(x4, (2, 2), (2, 2), "VALID", np.mean))
    with pytest.raises(ValueError, match="rank"):
        tf.nn.max_pool(tf.ones([5, 3]), 2, 2, "SAME")


# ---- pooling gradients ----------------------------------------------------------------------

def _distinct(shape):
    """Values without ties (max pooling is differentiable there)."""
    return RNG.permutation(int(np.prod(shape))).reshape(shape) / 7.0


@pytest.mark.parametrize("xs,ksize,strides,padding", POOL_CASES)
def test_pool_gradients(xs, ksize, strides, padding):
    x = _distinct(xs)
    check_gradients(lambda a: tf.nn.max_pool2d(a, list(ksize), list(strides), padding), x)
    check_gradients(lambda a: tf.nn.avg_pool2d(a, list(ksize), list(strides), padding), x)


def test_pool_second_order():
    x = _distinct((1, 5, 5, 2))
    check_second_order(lambda a: tf.nn.max_pool2d(a, 3, 2, "SAME") ** 2, x)
    check_second_order(lambda a: tf.nn.avg_pool2d(a, 3, 2, "SAME") ** 2, x)
    check_second_order(lambda a: tf.nn.max_pool2d(a, 2, 2, "VALID") ** 3, x)


def test_max_pool_gradient_goes_to_the_first_maximum():
    # TensorFlow's routing: ties go to the first window element, overlapping windows add up
    ones = tf.ones([1, 2, 2, 1])
    with tf.GradientTape() as tape:
        tape.watch(ones)
        y = tf.nn.max_pool2d(ones, 2, 2, "VALID")
    assert_tensor(tape.gradient(y, ones)[0, ..., 0], [[1.0, 0.0], [0.0, 0.0]])
    x = tf.constant(np.array([1, 3, 3, 2, 3, 1], np.float32).reshape(1, 1, 6, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, [1, 3], 1, "VALID")
    assert_tensor(tf.reshape(tape.gradient(y, x), [-1]), [0.0, 2.0, 1.0, 0.0, 1.0, 0.0])


def test_max_pool_grad_grad_routes_back():
    x = tf.constant(_distinct((1, 4, 4, 1)))
    g = tf.constant(RNG.standard_normal((1, 2, 2, 1)))
    h = tf.constant(RNG.standard_normal((1, 4, 4, 1)))
    with tf.GradientTape() as outer:
        outer.watch(g)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.max_pool2d(x, 2, 2, "VALID")
        dx = inner.gradient(y, x, output_gradients=g)  # MaxPoolGrad
        total = tf.reduce_sum(dx * h)
    # d total / d g (MaxPoolGradGrad) picks h at each window's argmax
    windows = lambda t: t.numpy().reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
    argmax = windows(x).argmax(-1)
    want = np.take_along_axis(windows(h), argmax[..., None], -1)[..., 0]
    assert_tensor(outer.gradient(total, g)[0, ..., 0], want)


# ---- graphs ------------------------------------------------------------------------------------

def test_traced_with_unknown_batch_matches_eager():
    w = tf.constant(RNG.standard_normal((3, 3, 3, 4)), tf.float32)

    def fn(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, w, 1, "SAME")
            z = tf.nn.avg_pool2d(tf.nn.max_pool2d(y, 2, 2, "SAME"), 2, 2, "VALID")
            loss = tf.reduce_sum(z ** 2)
        depthwise = tf.nn.depthwise_conv2d(x, w[..., :2], [1, 2, 2, 1], "SAME")
        return z, tape.gradient(loss, x), tf.nn.conv1d(x[:, 0], w[0], 2, "SAME"), depthwise

    traced = tf.function(fn, input_signature=[tf.TensorSpec([None, 7, 7, 3], tf.float32)])
    graph = traced.get_concrete_function().graph
    shapes = {}
    for op in graph.get_operations():
        shapes.setdefault(op.type, op.outputs[0].shape.as_list())
    assert shapes["Conv2D"] == [None, 7, 7, 4]
    assert shapes["MaxPool"] == [None, 4, 4, 4]
    assert shapes["Conv2DBackpropInput"] == [None, 7, 7, 3]
    assert shapes["AvgPoolGrad"] == [None, 4, 4, 4]
    assert shapes["DepthwiseConv2dNative"] == [None, 4, 4, 6]
    x = tf.constant(RNG.standard_normal((2, 7, 7, 3)), tf.float32)
    for got, want in zip(traced(x), fn(x)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)


def test_ops_are_registered_under_tensorflow_names():
    for name in ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool",
                 "DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                 "DepthwiseConv2dNativeBackpropFilter",
                 "MaxPoolGrad", "MaxPoolGradGrad", "AvgPool", "AvgPoolGrad"):
        assert REGISTRY[name].grad_fn is not None


# ---- errors --------------------------------------------------------------------------------------

def test_conv2d_errors():
    x, w = tf.ones([2, 7, 7, 3]), tf.ones([3, 3, 3, 4])
    with pytest.raises(InvalidArgumentError, match="input depth must be evenly divisible by "
                                                   "filter depth: 3 vs 2"):
        tf.nn.conv2d(x, tf.ones([3, 3, 2, 4]), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="output depth must be evenly divisible"):
        tf.nn.conv2d(tf.ones([1, 5, 5, 4]), tf.ones([2, 2, 2, 3]), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'padding' of \"same\""):
        tf.nn.conv2d(x, w, 1, "same")
    with pytest.raises(ValueError, match="'EXPLICIT' is not a valid value"):
        tf.nn.conv2d(x, w, 1, "EXPLICIT")
    with pytest.raises(ValueError, match="it must be of size 4"):
        tf.nn.conv2d(x, w, 1, [[1, 2], [0, 1]])
    with pytest.raises(ValueError, match="element at index 2"):
        tf.nn.conv2d(x, w, 1, [[0, 0], [1, 1], 1, [0, 0]])
    with pytest.raises(InvalidArgumentError, match="Nonzero explicit padding in the batch"):
        tf.nn.conv2d(x, w, 1, [[1, 0], [1, 2], [0, 1], [0, 0]])
    with pytest.raises(InvalidArgumentError, match="must be nonnegative"):
        tf.nn.conv2d(x, w, 1, [[0, 0], [-1, 1], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="strides should be of length 1, 2 or 4"):
        tf.nn.conv2d(x, w, [1, 2, 2], "SAME")
    with pytest.raises(UnimplementedError, match="strides in the batch and depth"):
        tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME")
    with pytest.raises(InvalidArgumentError, match="strides should be larger than 0"):
        tf.nn.conv2d(x, w, 0, "SAME")
    with pytest.raises(InvalidArgumentError, match="Dilated rates should be larger than 0"):
        tf.nn.conv2d(x, w, 1, "SAME", dilations=0)
    with pytest.raises(UnimplementedError, match="only supports the NHWC tensor format"):
        tf.nn.conv2d(tf.ones([1, 3, 7, 7]), w, 1, "SAME", data_format="NCHW")
    with pytest.raises(InvalidArgumentError, match="attr 'data_format' of \"FOO\""):
        tf.nn.conv2d(x, w, 1, "SAME", data_format="FOO")
    with pytest.raises(InvalidArgumentError, match="convolution input must be 4-dimensional"):
        tf.nn.conv2d(tf.ones([3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="filter must be 4-dimensional: \\[2,2,1\\]"):
        tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1]), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="Computed output size would be negative: -1"):
        tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([5, 5, 1, 1]), 1, "VALID")
    with pytest.raises(InvalidArgumentError, match="was expected to be a double tensor but is a "
                                                   "float tensor"):
        tf.nn.conv2d(tf.ones([1, 3, 3, 1], tf.float64), tf.ones([2, 2, 1, 1]), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int64"):
        tf.nn.conv2d(tf.ones([1, 3, 3, 1], tf.int64), tf.ones([2, 2, 1, 1], tf.int64), 1, "SAME")
    with pytest.raises(TypeError, match="Expected string for argument 'padding'"):
        tf.nn.conv1d(tf.ones([2, 10, 3]), tf.ones([3, 3, 4]), 1, [[0, 0], [1, 1], [0, 0]])


def test_backprop_errors():
    with pytest.raises(InvalidArgumentError, match="Size of out_backprop doesn't match computed: "
                                                   "actual = 5, computed = 4"):
        tf.nn.conv2d_transpose(tf.ones([2, 5, 5, 8]), tf.ones([3, 3, 5, 8]), [2, 8, 8, 5], 2,
                               "SAME")
    with pytest.raises(InvalidArgumentError, match="same batch size"):
        tf.nn.conv2d_transpose(tf.ones([1, 4, 4, 8]), tf.ones([3, 3, 5, 8]), [2, 8, 8, 5], 2,
                               "SAME")


def test_pool_errors():
    x = tf.ones([2, 5, 5, 6])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'padding' of \"same\""):
        tf.nn.max_pool2d(x, 2, 2, "same")
    with pytest.raises(InvalidArgumentError, match="allowed values: \"SAME\", \"VALID\"\n"):
        tf.nn.avg_pool2d(x, 2, 2, "FOO")
    with pytest.raises(TypeError, match="Expected string for argument 'padding'"):
        tf.nn.avg_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match="ksize should be of length 1, 2 or 4"):
        tf.nn.max_pool2d(x, [2, 2, 2], 2, "SAME")
    with pytest.raises(UnimplementedError, match="not yet supported on the batch dimension"):
        tf.nn.max_pool2d(x, [2, 1, 1, 1], [2, 1, 1, 1], "VALID")
    with pytest.raises(UnimplementedError, match="exactly one of pooling across depth"):
        tf.nn.max_pool2d(x, [1, 2, 2, 3], [1, 1, 1, 3], "VALID")
    with pytest.raises(UnimplementedError, match="evenly divide the input depth"):
        tf.nn.max_pool2d(x, [1, 1, 1, 4], [1, 1, 1, 4], "VALID")
    with pytest.raises(UnimplementedError, match="equal the depth stride"):
        tf.nn.max_pool2d(x, [1, 1, 1, 3], [1, 1, 1, 1], "VALID")
    with pytest.raises(UnimplementedError, match="Non-spatial pooling"):
        tf.nn.avg_pool2d(x, [1, 1, 1, 3], [1, 1, 1, 3], "VALID")
    with pytest.raises(InvalidArgumentError, match="ksize must be positive"):
        tf.nn.max_pool2d(x, 0, 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="ksize must be a positive int32 value"):
        tf.nn.avg_pool2d(x, 0, 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="Stride must be > 0, but got 0"):
        tf.nn.max_pool2d(x, 2, 0, "SAME")
    with pytest.raises(InvalidArgumentError, match="must have 2 spatial dimensions"):
        tf.nn.max_pool2d(x[0], 2, 2, "SAME")
    with pytest.raises(InvalidArgumentError, match="only supports NHWC on device type CPU"):
        tf.nn.max_pool2d(x, 2, 2, "SAME", data_format="NCHW")
    with pytest.raises(InvalidArgumentError, match="Top padding 3 needs to be smaller"):
        tf.nn.max_pool2d(x, 2, 2, [[0, 0], [3, 3], [1, 1], [0, 0]])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of bool"):
        tf.nn.max_pool2d(tf.cast(x, tf.bool), 2, 2, "VALID")
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.nn.avg_pool2d(tf.cast(x, tf.int32), 2, 2, "VALID")
    with pytest.raises(InvalidArgumentError, match="Computed output size would be negative"):
        tf.nn.max_pool2d(tf.ones([1, 3, 3, 1]), 5, 1, "VALID")
    depthwise = tf.ones([1, 2, 2, 3])
    with tf.GradientTape() as tape:
        tape.watch(depthwise)
        y = tf.nn.max_pool2d(depthwise, [1, 1, 1, 3], [1, 1, 1, 3], "VALID")
    with pytest.raises(UnimplementedError, match="not yet supported on the depth dimension"):
        tape.gradient(y, depthwise)
