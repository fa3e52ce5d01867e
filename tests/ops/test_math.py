"""tf.math: values against NumPy, dtypes, TF's errors, gradients (central differences)."""
import os
import math
import warnings

import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor, check_gradients, check_second_order
from tensorlite.framework import dtypes
from tensorlite.framework.errors import InvalidArgumentError, UnimplementedError
from tensorlite.framework.op_registry import get
from tensorlite.framework.tensor_shape import TensorShape

rng = np.random.default_rng(0)


def grads(fn, *values):
    """Tape gradients of sum(fn(*xs)) for float64 constants xs (None where unconnected)."""
    xs = [tf.constant(np.asarray(v, dtype=np.float64)) for v in values]
    with tf.GradientTape(persistent=True) as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    return [tape.gradient(y, x) for x in xs]


class Spec:
    """What a shape rule sees while tracing: a dtype and a static shape, no value."""

    def __init__(self, dtype, shape):
        self.dtype, self.shape, self.value = dtype, TensorShape(shape), None


# ---- arithmetic ---------------------------------------------------------------------------

BINARY = {
    "add": (tf.add, np.add),
    "subtract": (tf.subtract, np.subtract),
    "multiply": (tf.multiply, np.multiply),
    "maximum": (tf.maximum, np.maximum),
    "minimum": (tf.minimum, np.minimum),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.uint8])
@pytest.mark.parametrize("shapes", [((), ()), ((0,), ()), ((2, 3), (3,)), ((2, 1), (1, 4))])
def test_binary_values(name, dtype, shapes):
    fn, ref = BINARY[name]
    x = (rng.uniform(1, 9, shapes[0]) * 3).astype(dtype)
    y = rng.uniform(1, 9, shapes[1]).astype(dtype)
    assert_tensor(fn(x, y), ref(x, y), dtype)


def test_add_concatenates_strings():
    assert_tensor(tf.add(tf.constant(["a", "b"]), "c"), np.array([b"ac", b"bc"], object))
    assert tf.add(tf.constant("x"), tf.constant("y")).numpy() == b"xy"


def test_bool_arithmetic_is_rejected():
    with pytest.raises(InvalidArgumentError, match=r"(?s)attr 'T' of bool.*\[Op:AddV2\]"):
        tf.add(tf.constant([True]), tf.constant([True]))


def test_mixed_dtypes_raise_like_tensorflow():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant(2.0) + tf.constant(40)
    assert str(e.value) == ("cannot compute AddV2 as input #1(zero-based) was expected to be a "
                            "float tensor but is a int32 tensor [Op:AddV2] name: ")
    with pytest.raises(TypeError, match="Cannot convert 0.5 to EagerTensor of dtype int32"):
        tf.constant([1, 2]) * 0.5


def test_incompatible_shapes():
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] "
                                                   r"\[Op:Mul\]"):
        tf.ones([2]) * tf.ones([3])
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2,3\] vs. \[2\]"):
        tf.add(tf.ones([2, 3]), tf.ones([2]))


def test_reflected_operators_with_python_and_numpy_values():
    t = tf.constant([1.0, 2.0, 3.0])
    assert_tensor(2 * t, [2.0, 4.0, 6.0], tf.float32)
    assert_tensor(1 - t, [0.0, -1.0, -2.0], tf.float32)
    assert_tensor(6 / t, [6.0, 3.0, 2.0], tf.float32)
    assert_tensor(np.ones(3) + t, [2.0, 3.0, 4.0], tf.float32)
    assert_tensor(np.float32(2) * t, [2.0, 4.0, 6.0], tf.float32)
    assert_tensor(2 ** t, [2.0, 4.0, 8.0], tf.float32)
    assert_tensor([1, 2] + tf.constant([1, 2]), [2, 4], tf.int32)
    assert_tensor(-t, [-1.0, -2.0, -3.0], tf.float32)
    assert_tensor(abs(tf.constant([-1, 2])), [1, 2], tf.int32)


def test_variables_take_part():
    v = tf.Variable([1.0, 2.0])
    assert_tensor(v * 2 + v, [3.0, 6.0], tf.float32)
    assert_tensor(tf.reduce_sum(v), 3.0, tf.float32)


@pytest.mark.parametrize("dtype,expected", [
    (tf.int8, tf.float32), (tf.uint8, tf.float32), (tf.int16, tf.float32),
    (tf.int32, tf.float64), (tf.int64, tf.float64), (tf.float16, tf.float16),
    (tf.float32, tf.float32), (tf.float64, tf.float64), (tf.complex64, tf.complex64)])
def test_truediv_result_dtypes(dtype, expected):
    x = tf.constant([1, 2], dtype=dtype)
    y = tf.constant([2, 4], dtype=dtype)
    assert_tensor(x / y, [0.5, 0.5], expected)
    assert tf.divide(x, y).dtype == expected
    assert tf.math.truediv(x, y).dtype == expected


def test_truediv_errors():
    with pytest.raises(TypeError, match=r"Invalid dtype tf.bool in __truediv__"):
        tf.constant([True]) / tf.constant([True])
    with pytest.raises(TypeError, match=r"`x` and `y` must have the same dtype, got "
                                        r"tf.float32 != tf.int32."):
        tf.constant([1.0]) / tf.constant([1])
    with pytest.raises(TypeError, match="same dtype"):
        tf.constant([1, 2]) / 0.5
    with pytest.raises(InvalidArgumentError, match=r"\[Op:RealDiv\]"):
        tf.realdiv(tf.constant([1, 2]), 2)


def test_python_numbers_divide_to_float64():
    assert_tensor(tf.divide(1, 2), 0.5, tf.float64)
    assert_tensor(tf.realdiv(1.0, 4.0), 0.25, tf.float32)


def test_floordiv_and_floormod_follow_python():
    x = np.array([7, -7, 7, -7], np.int32)
    y = np.array([2, 2, -2, -2], np.int32)
    assert_tensor(tf.constant(x) // tf.constant(y), x // y, tf.int32)
    assert_tensor(tf.constant(x) % tf.constant(y), x % y, tf.int32)
    assert_tensor(tf.math.mod(x, y), x % y, tf.int32)
    xf = np.array([7.5, -7.5, 1.0], np.float32)
    yf = np.array([2.0, 2.0, 0.0], np.float32)
    assert_tensor(tf.math.floordiv(xf, yf), [3.0, -4.0, np.inf], tf.float32)
    assert_tensor(tf.math.floormod(xf, yf), [1.5, 0.5, np.nan], tf.float32)
    # int8 wraps like TensorFlow's kernel: -128 // -1 stays -128
    assert_tensor(tf.math.floordiv(tf.constant([-128], tf.int8), tf.constant([-1], tf.int8)),
                  [-128], tf.int8)


def test_truncated_division_follows_c():
    x = np.array([7, -7, 7, -7, 6], np.int32)
    y = np.array([2, 2, -2, -2, -3], np.int32)
    assert_tensor(tf.truncatediv(x, y), [3, -3, -3, 3, -2], tf.int32)
    assert_tensor(tf.truncatemod(x, y), [1, -1, 1, -1, 0], tf.int32)
    assert_tensor(tf.truncatediv(np.float32([7.0, -7.0]), np.float32([2.0, 2.0])), [3.0, -3.0])


@pytest.mark.parametrize("fn", [tf.math.floordiv, tf.math.floormod, tf.truncatediv,
                                tf.truncatemod])
def test_integer_division_by_zero(fn):
    with pytest.raises(InvalidArgumentError, match="Integer division by zero"):
        fn(tf.constant([1, 2]), tf.constant([1, 0]))


def test_pow():
    assert_tensor(tf.pow(tf.constant([2, 3]), 2), [4, 9], tf.int32)
    assert_tensor(tf.constant([4.0, 9.0]) ** 0.5, [2.0, 3.0], tf.float32)
    assert_tensor(tf.pow(tf.constant([0.0, -1.0]), tf.constant([0.0, 0.5])), [1.0, np.nan])
    with pytest.raises(InvalidArgumentError, match="Integers to negative integer powers are "
                                                   r"not allowed \[Op:Pow\]"):
        tf.constant(2) ** -1
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Pow\]"):
        tf.pow(tf.constant([2], tf.uint8), tf.constant([2], tf.uint8))


def test_no_nan_ops():
    assert_tensor(tf.math.divide_no_nan([1.0, 0.0, 3.0], [0.0, 0.0, 2.0]), [0.0, 0.0, 1.5])
    assert_tensor(tf.math.divide_no_nan(tf.constant([1, 4]), tf.constant([0, 2])), [0.0, 2.0],
                  tf.float64)
    assert_tensor(tf.math.multiply_no_nan([np.inf, np.nan, 2.0], [0.0, 0.0, 3.0]),
                  [0.0, 0.0, 6.0])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:MulNoNan\]"):
        tf.math.multiply_no_nan(tf.constant([1]), tf.constant([0]))


def test_squared_difference_scalar_mul_reciprocal():
    assert_tensor(tf.math.squared_difference([1, 2], [3, 5]), [4, 9], tf.int32)
    assert_tensor(tf.math.squared_difference(tf.constant([1 + 1j]), tf.constant([0j])), [2 + 0j])
    assert_tensor(tf.math.scalar_mul(2, tf.constant([1.0, 2.0])), [2.0, 4.0], tf.float32)
    with pytest.raises(ValueError, match=r"The input scalar must be a 0-D value. Received "
                                         r"shape \(1,\)."):
        tf.math.scalar_mul(tf.constant([2.0]), tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError):
        tf.math.scalar_mul(2.0, tf.constant([1, 2]))
    assert_tensor(tf.math.reciprocal([2.0, 0.0]), [0.5, np.inf], tf.float32)
    out = tf.math.reciprocal(tf.constant([2 + 0j])).numpy()
    assert np.signbit(out.imag) == [False]  # 1/(2+0j) is 0.5+0j, not 0.5-0j


def test_add_n():
    assert_tensor(tf.add_n([tf.constant([1.0, 2.0]), [3.0, 4.0], np.float32([1, 1])]),
                  [5.0, 7.0], tf.float32)
    assert_tensor(tf.add_n([1, 2]), 3, tf.int32)
    assert_tensor(tf.add_n(tf.constant([[1, 2], [3, 4]])), [4, 6], tf.int32)
    single = tf.constant([1.0])
    assert tf.add_n([single]) is single
    with pytest.raises(ValueError, match="at least one Tensor"):
        tf.add_n([])
    with pytest.raises(InvalidArgumentError, match=r"must have the same size and shape.  "
                                                   r"Input 0: \[2\] != input 1: \[\]"):
        tf.add_n([tf.constant([1.0, 2.0]), tf.constant(3.0)])
    with pytest.raises(InvalidArgumentError, match=r"cannot compute AddN as input #1"):
        tf.add_n([tf.constant([1.0, 2.0]), tf.constant([1, 2])])


# ---- unary ------------------------------------------------------------------------------------

UNARY = {
    "negative": (tf.negative, np.negative, (-3, 3)),
    "square": (tf.square, np.square, (-3, 3)),
    "sqrt": (tf.sqrt, np.sqrt, (0.1, 4)),
    "rsqrt": (tf.math.rsqrt, lambda x: 1 / np.sqrt(x), (0.1, 4)),
    "exp": (tf.exp, np.exp, (-3, 3)),
    "expm1": (tf.math.expm1, np.expm1, (-3, 3)),
    "log": (tf.math.log, np.log, (0.1, 4)),
    "log1p": (tf.math.log1p, np.log1p, (-0.9, 4)),
    "reciprocal": (tf.math.reciprocal, lambda x: 1 / x, (0.5, 4)),
    "abs": (tf.abs, np.abs, (-3, 3)),
    "sign": (tf.sign, np.sign, (-3, 3)),
    "sin": (tf.sin, np.sin, (-3, 3)),
    "cos": (tf.cos, np.cos, (-3, 3)),
    "tan": (tf.tan, np.tan, (-1.2, 1.2)),
    "asin": (tf.asin, np.arcsin, (-0.9, 0.9)),
    "acos": (tf.acos, np.arccos, (-0.9, 0.9)),
    "atan": (tf.atan, np.arctan, (-3, 3)),
    "sinh": (tf.sinh, np.sinh, (-3, 3)),
    "cosh": (tf.cosh, np.cosh, (-3, 3)),
    "tanh": (tf.tanh, np.tanh, (-3, 3)),
    "asinh": (tf.asinh, np.arcsinh, (-3, 3)),
    "acosh": (tf.acosh, np.arccosh, (1.1, 4)),
    "atanh": (tf.atanh, np.arctanh, (-0.9, 0.9)),
    "sigmoid": (tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), (-5, 5)),
    "softplus": (tf.math.softplus, lambda x: np.log1p(np.exp(x)), (-5, 5)),
    "softsign": (tf.math.softsign, lambda x: x / (1 + np.abs(x)), (-5, 5)),
    "erf": (tf.math.erf, np.vectorize(math.erf, otypes=[float]), (-3, 3)),
    "erfc": (tf.math.erfc, np.vectorize(math.erfc, otypes=[float]), (-3, 3)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (0,), (2, 3)])
def test_unary_values(name, dtype, shape):
    fn, ref, (lo, hi) = UNARY[name]
    x = rng.uniform(lo, hi, shape).astype(dtype)
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    assert_tensor(fn(x), ref(x.astype(np.float64)).astype(dtype), dtype, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "tanh", "sigmoid", "square",
                                  "reciprocal", "sign", "negative"])
def test_unary_complex(name):
    fn, ref, _ = UNARY[name]
    z = np.array([1 + 2j, -0.5 + 0.25j])
    assert_tensor(fn(z), ref(z), tf.complex128, rtol=1e-12)


@pytest.mark.parametrize("fn,dtype", [
    (tf.sqrt, tf.int32), (tf.exp, tf.int32), (tf.sigmoid, tf.int32), (tf.math.erf, tf.int32),
    (tf.floor, tf.int32), (tf.math.is_nan, tf.int32), (tf.negative, tf.uint8),
    (tf.abs, tf.uint8), (tf.square, tf.bool), (tf.math.softplus, tf.complex128)])
def test_unary_dtype_errors(fn, dtype):
    x = tf.cast(tf.constant([1]), dtype)
    with pytest.raises(InvalidArgumentError, match=f"attr 'T' of {dtype.name} is not in the "
                                                   "list of allowed values"):
        fn(x)


def test_integer_unary_ops_keep_dtype():
    x = np.array([-3, 0, 2], np.int8)
    assert_tensor(tf.abs(x), [3, 0, 2], tf.int8)
    assert_tensor(tf.sign(x), [-1, 0, 1], tf.int8)
    assert_tensor(tf.square(x), [9, 0, 4], tf.int8)
    assert_tensor(tf.negative(x), [3, 0, -2], tf.int8)


def test_edge_values_come_silently():
    # A user's default warning filters plus the one `import tensorlite` installs: no
    # NumPy floating-point warning reaches stderr (checked in a fresh interpreter).
    import subprocess
    import sys
    code = ("import tensorlite as tf\n"
            "tf.math.log([0.0, -1.0]); tf.sqrt(-1.0); tf.exp(1000.0)\n"
            "tf.constant([1.0, -1.0]) / 0.0; tf.constant(3e38) * 10\n"
            "tf.reduce_mean(tf.zeros([0])); tf.reduce_sum(tf.constant([3e38, 3e38]))\n"
            "tf.math.floormod(1.0, 0.0); tf.math.rsqrt(0.0); tf.sigmoid([-1000.0])\n")
    run = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True,
                         text=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                             os.path.abspath(__file__)))))
    assert run.returncode == 0 and run.stderr == "", run.stderr
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorlite(\.|$)")
        assert_tensor(tf.math.log([0.0, -1.0]), [-np.inf, np.nan])
        assert_tensor(tf.sqrt(-1.0), np.nan)
        assert_tensor(tf.exp(1000.0), np.inf)
        assert_tensor(tf.constant([1.0, -1.0]) / 0.0, [np.inf, -np.inf])
        assert_tensor(tf.constant(np.inf) - np.inf, np.nan)
        assert_tensor(tf.constant(3e38) * 10, np.inf)
        assert_tensor(tf.math.rsqrt(0.0), np.inf)
        assert_tensor(tf.sigmoid([-1000.0, 1000.0]), [0.0, 1.0])
        assert_tensor(tf.math.softplus([1000.0, -1000.0, 0.0]), [1000.0, 0.0, np.log(2)])
        assert_tensor(tf.math.log1p(-1.0), -np.inf)
        assert_tensor(tf.atanh(1.0), np.inf)
        assert_tensor(tf.reduce_mean(tf.zeros([0])), np.nan)
        assert_tensor(tf.reduce_sum(tf.constant([3e38, 3e38])), np.inf)
        assert_tensor(tf.cast(tf.constant([np.nan]), tf.int32), [-2 ** 31])
        assert_tensor(tf.math.floormod(1.0, 0.0), np.nan)


def test_sign_of_special_values():
    assert_tensor(tf.sign([-2.0, 0.0, np.nan]), [-1.0, 0.0, np.nan])
    assert_tensor(tf.sign(tf.constant([-3 + 4j, 0j])), [-0.6 + 0.8j, 0j])
    assert_tensor(tf.abs(tf.constant([-3 + 4j], tf.complex64)), [5.0], tf.float32)


def test_erf_matches_math_erf_to_float64_precision():
    x = np.concatenate([np.linspace(-6, 6, 2001), np.geomspace(1e-300, 30, 400),
                        -np.geomspace(1e-12, 30, 100), np.linspace(20, 26.5, 300),
                        [0.0, 0.49999999, 0.5, 27.0, 40.0]])
    erf = tf.math.erf(x).numpy()
    erfc = tf.math.erfc(x).numpy()
    ref_erf = np.array([math.erf(v) for v in x])
    ref_erfc = np.array([math.erfc(v) for v in x])
    # math.erf(c) is itself within ~3e-16 of the true values
    np.testing.assert_allclose(erf, ref_erf, rtol=6e-16, atol=1e-300)
    np.testing.assert_allclose(erfc, ref_erfc, rtol=1e-15, atol=1e-300)


def test_erf_special_values_and_float32():
    assert_tensor(tf.math.erf([np.inf, -np.inf, np.nan]), [1.0, -1.0, np.nan])
    assert_tensor(tf.math.erfc([np.inf, -np.inf, np.nan]), [0.0, 2.0, np.nan])
    x = np.linspace(-4, 4, 101).astype(np.float32)
    out = tf.math.erf(x)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [math.erf(v) for v in x], rtol=3e-7, atol=1e-7)


def test_rounding():
    halves = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4], np.float32)
    assert_tensor(tf.round(halves), [0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0], tf.float32)
    assert_tensor(tf.math.rint(halves), [0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0], tf.float32)
    ints = tf.constant([1, 2])
    assert tf.round(ints) is ints
    assert_tensor(tf.floor([1.5, -1.5]), [1.0, -2.0])
    assert_tensor(tf.math.ceil([1.5, -1.5]), [2.0, -1.0])


def test_predicates():
    x = tf.constant([1.0, np.nan, np.inf, -np.inf], tf.float16)
    assert_tensor(tf.math.is_nan(x), [False, True, False, False], tf.bool)
    assert_tensor(tf.math.is_inf(x), [False, False, True, True], tf.bool)
    assert_tensor(tf.math.is_finite(x), [True, False, False, False], tf.bool)


def test_complex_parts():
    z = tf.complex(tf.constant([1.0, np.inf]), tf.constant([2.0, 1.0]))
    assert_tensor(z, [1 + 2j, complex(np.inf, 1.0)], tf.complex64)
    assert_tensor(tf.math.real(z), [1.0, np.inf], tf.float32)
    assert_tensor(tf.math.imag(z), [2.0, 1.0], tf.float32)
    assert_tensor(tf.math.conj(z), [1 - 2j, complex(np.inf, -1.0)], tf.complex64)
    assert_tensor(tf.math.angle(tf.constant([1j, -1 + 0j])), [np.pi / 2, np.pi], tf.float64)
    assert_tensor(tf.math.angle([-1.0, 2.0]), [np.pi, 0.0], tf.float32)
    real = tf.constant([1, 2])
    assert tf.math.real(real) is real and tf.math.conj(real) is real
    assert_tensor(tf.math.imag(real), [0, 0], tf.int32)
    with pytest.raises(TypeError, match="Cannot convert 3.14159"):
        tf.math.angle(tf.constant([1, 2]))
    with pytest.raises(TypeError, match=r"incorrect types: float64 float32"):
        tf.complex(tf.constant([1.0], tf.float64), tf.constant([2.0]))
    with pytest.raises(TypeError, match="Expected numeric or variant tensor, got dtype "
                                        "tf.string."):
        tf.math.conj(tf.constant(["a"]))


# ---- comparisons and logic ---------------------------------------------------------------------

COMPARE = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less,
           "less_equal": np.less_equal, "greater": np.greater,
           "greater_equal": np.greater_equal}


@pytest.mark.parametrize("name", sorted(COMPARE))
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.uint8])
def test_comparisons(name, dtype):
    x = rng.integers(0, 3, (2, 3)).astype(dtype)
    y = rng.integers(0, 3, (3,)).astype(dtype)
    assert_tensor(getattr(tf, name)(x, y), COMPARE[name](x, y), tf.bool)
    assert_tensor(getattr(tf, name)(tf.zeros([0]), 1.0), np.zeros([0], bool), tf.bool)


def test_comparison_operators_and_errors():
    t = tf.constant([1.0, 2.0])
    assert_tensor(t < 2, [True, False], tf.bool)
    assert_tensor(t >= 2, [False, True], tf.bool)
    assert_tensor(t == 1, [True, False], tf.bool)
    assert (t == None) is False  # noqa: E711 - what `==` does with None
    assert_tensor(tf.equal(tf.constant(["a", "b"]), "a"), [True, False], tf.bool)
    assert_tensor(tf.not_equal(tf.constant([True]), True), [False], tf.bool)
    with pytest.raises(InvalidArgumentError, match="cannot compute Equal as input #1"):
        tf.equal(tf.constant([1.0]), tf.constant([1]))
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] "
                                                   r"\[Op:Less\]"):
        tf.less(tf.constant([1, 2]), tf.constant([1, 2, 3]))
    with pytest.raises(InvalidArgumentError, match=r"attr 'T' of string"):
        tf.less(tf.constant(["a"]), "b")
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        tf.constant([1, 2]) < 1.5


def test_operator_equality_semantics():
    from tensorlite.ops.math import tensor_equals, tensor_not_equals
    t = tf.constant([1, 2])
    assert_tensor(tensor_equals(t, tf.constant([1, 2, 3])), False, tf.bool)
    assert_tensor(tensor_not_equals(t, tf.constant([1, 2, 3])), True, tf.bool)
    assert_tensor(tensor_equals(t, 2), [False, True], tf.bool)
    assert tensor_equals(t, None) is False and tensor_not_equals(t, None) is True
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        tensor_equals(t, 1.5)


def test_logical_ops():
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    assert_tensor(tf.logical_and(a, b), [True, False, False, False], tf.bool)
    assert_tensor(tf.logical_or(a, b), [True, True, True, False], tf.bool)
    assert_tensor(tf.math.logical_xor(a, b), [False, True, True, False], tf.bool)
    assert_tensor(tf.logical_not(a), [False, False, True, True], tf.bool)
    assert_tensor(tf.math.logical_and(True, False), False, tf.bool)
    assert_tensor(a & b, [True, False, False, False], tf.bool)
    assert_tensor(a | b, [True, True, True, False], tf.bool)
    assert_tensor(a ^ b, [False, True, True, False], tf.bool)
    assert_tensor(~a, [False, False, True, True], tf.bool)
    assert_tensor(True & b, [True, False, True, False], tf.bool)
    with pytest.raises(InvalidArgumentError, match=r"cannot compute LogicalAnd as input "
                                                   r"#1\(zero-based\) was expected to be a "
                                                   r"bool tensor but is a int32 tensor"):
        tf.logical_and(a, tf.constant([1, 0, 1, 0]))
    with pytest.raises(InvalidArgumentError, match="cannot compute LogicalNot as input #0"):
        tf.logical_not(tf.constant([1]))


def test_bitwise_operators_on_integers():
    x, y = tf.constant([12, 10]), tf.constant([10, 6])
    assert_tensor(x & y, [8, 2], tf.int32)
    assert_tensor(x | y, [14, 14], tf.int32)
    assert_tensor(x ^ y, [6, 12], tf.int32)
    assert_tensor(~x, [-13, -11], tf.int32)
    assert_tensor(tf.constant([1, 2], tf.uint8) ^ 3, [2, 1], tf.uint8)
    with pytest.raises(InvalidArgumentError, match=r"\[Op:BitwiseAnd\]"):
        tf.constant([1.0]) & tf.constant([1.0])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Invert\]"):
        ~tf.constant([1.0])


# ---- maximum, minimum, clip ------------------------------------------------------------------

def test_maximum_minimum_nan_and_errors():
    assert_tensor(tf.maximum([1.0, np.nan], [np.nan, 2.0]), [np.nan, np.nan])
    assert_tensor(tf.maximum(0.0, tf.constant([-1.0, 1.0])), [0.0, 1.0])
    with pytest.raises(InvalidArgumentError, match=r"(?s)attr 'T' of bool.*\[Op:Maximum\]"):
        tf.maximum(tf.constant([True]), tf.constant([False]))


def test_clip_by_value():
    assert_tensor(tf.clip_by_value([1, 5, 9], 2, 6), [2, 5, 6], tf.int32)
    assert_tensor(tf.clip_by_value(tf.constant([[1.0, 5.0], [3.0, 0.0]]), [0.0, 2.0], 4.0),
                  [[1.0, 4.0], [3.0, 2.0]], tf.float32)
    assert_tensor(tf.clip_by_value(tf.constant([1.0, 5.0]), 6.0, 2.0), [6.0, 6.0])
    with pytest.raises(TypeError, match="Cannot convert 6.0 to EagerTensor of dtype int32"):
        tf.clip_by_value(tf.constant([1, 5]), 2, 6.0)
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] "
                                                   r"\[Op:Maximum\]"):
        tf.clip_by_value(tf.constant([1.0, 5.0]), [2.0, 3.0, 4.0], 6.0)
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(2,\) are incompatible"):
        tf.clip_by_value(tf.constant(1.0), [0.0, 2.0], 3.0)
    with pytest.raises(InvalidArgumentError, match="cannot compute Minimum as input #1"):
        tf.clip_by_value(tf.constant([1.0]), 0.0, tf.constant(1.0, tf.float64))


# ---- reductions --------------------------------------------------------------------------------

REDUCTIONS = {
    "reduce_sum": (tf.reduce_sum, np.sum),
    "reduce_mean": (tf.reduce_mean, np.mean),
    "reduce_max": (tf.reduce_max, np.max),
    "reduce_min": (tf.reduce_min, np.min),
    "reduce_prod": (tf.reduce_prod, np.prod),
    "reduce_variance": (tf.math.reduce_variance, np.var),
    "reduce_std": (tf.math.reduce_std, np.std),
    "reduce_logsumexp": (tf.reduce_logsumexp,
                         lambda x, axis=None, keepdims=False: np.log(np.sum(
                             np.exp(x), axis=axis, keepdims=keepdims))),
    "reduce_euclidean_norm": (tf.math.reduce_euclidean_norm,
                              lambda x, axis=None, keepdims=False: np.sqrt(np.sum(
                                  x * x, axis=axis, keepdims=keepdims))),
}
AXES = [None, 0, 1, -1, [0, 2], (-1, 0), [], np.int64(1)]


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", AXES, ids=repr)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(name, axis, keepdims):
    fn, ref = REDUCTIONS[name]
    x = rng.uniform(0.5, 2.0, (2, 3, 4))
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    assert_tensor(fn(x, axis=axis, keepdims=keepdims),
                  ref(x, axis=np_axis, keepdims=keepdims), tf.float64, rtol=1e-12)
    assert_tensor(fn(x.astype(np.float32), axis=axis, keepdims=keepdims),
                  ref(x, axis=np_axis, keepdims=keepdims).astype(np.float32), tf.float32,
                  rtol=1e-5)


def test_reduction_axis_as_tensor():
    x = np.arange(6.0).reshape(2, 3)
    assert_tensor(tf.reduce_sum(x, axis=tf.constant([1])), [3.0, 12.0])
    assert_tensor(tf.reduce_sum(x, axis=tf.constant(0, tf.int64)), [3.0, 5.0, 7.0])
    assert_tensor(tf.reduce_sum(x, axis=[[0]]), [3.0, 5.0, 7.0])


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint8, np.int64])
def test_integer_reductions_keep_dtype(dtype):
    x = np.array([[1, 2, 9], [4, 4, 3]], dtype)
    assert_tensor(tf.reduce_sum(x, 1), x.sum(1).astype(dtype), dtype)
    assert_tensor(tf.reduce_prod(x, 0), x.prod(0).astype(dtype), dtype)
    assert_tensor(tf.reduce_max(x), 9, dtype)
    assert_tensor(tf.reduce_min(x, 1), [1, 3], dtype)
    assert_tensor(tf.reduce_mean(x, 1), [4, 3], dtype)
    assert_tensor(tf.math.reduce_euclidean_norm(x, 1), [9, 6], dtype)


def test_integer_mean_truncates_and_does_not_overflow():
    assert_tensor(tf.reduce_mean(tf.constant([-1, -2])), -1, tf.int32)
    assert_tensor(tf.reduce_mean(tf.constant([-1, -2, -2])), -1, tf.int32)
    assert_tensor(tf.reduce_mean(tf.constant([2 ** 30, 2 ** 30])), 2 ** 30, tf.int32)
    assert_tensor(tf.reduce_sum(tf.constant([100, 100], tf.int8)), -56, tf.int8)


@pytest.mark.parametrize("fn,dtype,expected", [
    (tf.reduce_sum, tf.float32, 0.0), (tf.reduce_prod, tf.float32, 1.0),
    (tf.reduce_max, tf.float32, -np.inf), (tf.reduce_min, tf.float32, np.inf),
    (tf.reduce_max, tf.int32, -2 ** 31), (tf.reduce_min, tf.uint8, 255),
    (tf.reduce_mean, tf.float32, np.nan), (tf.reduce_mean, tf.int32, 0),
    (tf.reduce_logsumexp, tf.float32, -np.inf), (tf.math.reduce_std, tf.float32, np.nan),
    (tf.math.reduce_euclidean_norm, tf.float32, 0.0),
    (tf.math.count_nonzero, tf.float32, 0)])
def test_reductions_of_empty_tensors(fn, dtype, expected):
    out = fn(tf.zeros([0], dtype))
    assert out.shape == ()
    np.testing.assert_array_equal(out.numpy(), expected)
    assert_tensor(fn(tf.zeros([2, 0], dtype), axis=1), np.full(2, expected))


def test_bool_reductions():
    x = tf.constant([[True, False], [True, True]])
    assert_tensor(tf.reduce_any(x, axis=1), [True, True], tf.bool)
    assert_tensor(tf.reduce_all(x, axis=1), [False, True], tf.bool)
    assert_tensor(tf.reduce_all(True), True, tf.bool)
    assert_tensor(tf.reduce_any(tf.zeros([0], tf.bool)), False, tf.bool)
    assert_tensor(tf.reduce_all(tf.zeros([0], tf.bool)), True, tf.bool)
    with pytest.raises(InvalidArgumentError, match="cannot compute Any as input #0"):
        tf.reduce_any(tf.constant([1]))


def test_reduction_errors():
    x = tf.ones([2, 3])
    with pytest.raises(InvalidArgumentError, match=r"Invalid reduction dimension \(2 for "
                                                   r"input with 2 dimension\(s\) \[Op:Sum\]"):
        tf.reduce_sum(x, axis=2)
    with pytest.raises(InvalidArgumentError, match=r"Invalid reduction dimension \(-3"):
        tf.reduce_max(x, axis=-3)
    with pytest.raises(InvalidArgumentError, match="Axes contains duplicate dimension: 0"):
        tf.reduce_sum(x, axis=[0, -2])
    with pytest.raises(InvalidArgumentError, match=r"\(0 for input with 0 dimension"):
        tf.reduce_sum(tf.constant(5.0), axis=0)
    with pytest.raises(TypeError, match="Cannot convert 1.0"):
        tf.reduce_sum(x, axis=1.0)
    with pytest.raises(InvalidArgumentError, match=r"(?s)attr 'T' of bool.*\[Op:Sum\]"):
        tf.reduce_sum(tf.constant([True]))
    with pytest.raises(TypeError, match="Input must be either real or complex. Received "
                                        "integer type <dtype: 'int32'>."):
        tf.math.reduce_std(tf.constant([1, 2]))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:IsFinite\]"):
        tf.reduce_logsumexp(tf.constant([1, 2]))


def test_logsumexp_is_stable():
    assert_tensor(tf.reduce_logsumexp([1000.0, 1000.0]), 1000.0 + np.log(2), tf.float32)
    assert_tensor(tf.reduce_logsumexp([-np.inf, -np.inf]), -np.inf)
    assert_tensor(tf.reduce_logsumexp([np.inf, 1.0]), np.inf)
    assert_tensor(tf.reduce_logsumexp([[-1000.0, -1000.0]], axis=1, keepdims=True),
                  [[-1000.0 + np.log(2)]])


def test_complex_reductions():
    z = tf.constant([1 + 1j, 2 + 0j])
    assert_tensor(tf.reduce_sum(z), 3 + 1j, tf.complex128)
    assert_tensor(tf.math.reduce_variance(z), 0.5, tf.float64)
    assert_tensor(tf.math.reduce_std(z), np.sqrt(0.5), tf.float64)
    assert_tensor(tf.math.reduce_euclidean_norm(tf.constant([3 + 4j])), 5 + 0j, tf.complex128)


def test_count_nonzero():
    assert_tensor(tf.math.count_nonzero([1.0, 0.0, 2.0]), 2, tf.int64)
    assert_tensor(tf.math.count_nonzero(tf.constant([[1, 0], [2, 3]]), axis=1, keepdims=True,
                                        dtype=tf.int32), [[1], [2]], tf.int32)
    assert_tensor(tf.math.count_nonzero(tf.constant(["a", ""])), 1, tf.int64)
    assert_tensor(tf.math.count_nonzero(tf.constant([True, False])), 1, tf.int64)


# ---- argmax / argmin ---------------------------------------------------------------------------

def test_argmax_argmin():
    x = np.array([[1, 5, 5], [7, 2, 7]], np.int32)
    assert_tensor(tf.argmax(x), [1, 0, 1], tf.int64)
    assert_tensor(tf.argmax(x, axis=1, output_type=tf.int32), [1, 0], tf.int32)
    assert_tensor(tf.argmin(x, axis=-1), [0, 1], tf.int64)
    assert_tensor(tf.argmax(x, axis=tf.constant(1)), [1, 0], tf.int64)
    assert_tensor(tf.argmax([True, False, True]), 0, tf.int64)
    assert_tensor(tf.argmax(tf.zeros([2, 0]), axis=0), np.zeros([0], np.int64), tf.int64)


def test_argmax_skips_nan_like_tensorflow():
    assert_tensor(tf.argmax([np.nan, 1.0]), 1, tf.int64)
    assert_tensor(tf.argmax([1.0, np.nan]), 0, tf.int64)
    assert_tensor(tf.argmin([np.nan, np.nan]), 0, tf.int64)
    assert_tensor(tf.argmin([np.nan, -1.0]), 1, tf.int64)


def test_argmax_errors():
    with pytest.raises(InvalidArgumentError, match=r"Reduction axis 0 is empty in shape \[0\]"):
        tf.argmax(tf.zeros([0]))
    with pytest.raises(InvalidArgumentError, match=r"Expected dimension in the range \[-1, 1\), "
                                                   "but got 1"):
        tf.argmax(tf.constant([1.0]), axis=1)
    with pytest.raises(InvalidArgumentError, match=r"range \[0, 0\), but got 0"):
        tf.argmax(tf.constant(3.0))
    with pytest.raises(InvalidArgumentError, match="Value for attr 'output_type' of float"):
        tf.argmax(tf.constant([1.0]), output_type=tf.float32)
    with pytest.raises(TypeError, match="axis must be int or Tensor"):
        tf.argmax(tf.constant([1, 2]), axis=[0])
    with pytest.raises(InvalidArgumentError, match="attr 'T' of complex128"):
        tf.argmax(tf.constant([1 + 1j]))


# ---- cumsum / cumprod --------------------------------------------------------------------------

@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumulative_ops(exclusive, reverse, axis):
    x = rng.uniform(0.5, 2.0, (3, 4))

    def ref(np_fn, identity):
        v = np.flip(x, axis) if reverse else x
        out = np_fn(v, axis=axis)
        if exclusive:
            out = np.concatenate([np.full_like(np.take(out, [0], axis), identity),
                                  np.delete(out, -1, axis)], axis)
        return np.flip(out, axis) if reverse else out

    kwargs = {"axis": axis, "exclusive": exclusive, "reverse": reverse}
    assert_tensor(tf.cumsum(x, **kwargs), ref(np.cumsum, 0), tf.float64, rtol=1e-12)
    assert_tensor(tf.math.cumprod(x, **kwargs), ref(np.cumprod, 1), tf.float64, rtol=1e-12)


def test_cumulative_ops_dtypes_and_errors():
    assert_tensor(tf.cumsum([1, 2, 3], exclusive=True, reverse=True), [5, 3, 0], tf.int32)
    assert_tensor(tf.cumsum(tf.constant([100, 100], tf.int8)), [100, -56], tf.int8)
    assert_tensor(tf.cumsum(tf.zeros([0])), np.zeros([0], np.float32))
    assert_tensor(tf.math.cumprod(tf.zeros([2, 0]), axis=1, exclusive=True), np.zeros([2, 0]))
    assert_tensor(tf.cumsum([1, 2], axis=tf.constant(0)), [1, 3], tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"ScanOp: Expected scan axis in the range "
                                                   r"\[-1, 1\), but got 2"):
        tf.cumsum(tf.constant([1, 2]), axis=2)
    with pytest.raises(InvalidArgumentError, match=r"range \[0, 0\), but got 0"):
        tf.cumsum(tf.constant(3.0))
    with pytest.raises(InvalidArgumentError, match=r"ScanOp: axis must be a scalar, not \[1\]"):
        tf.cumsum(tf.constant([1, 2]), axis=[0])
    with pytest.raises(InvalidArgumentError, match=r"(?s)attr 'T' of bool.*\[Op:Cumsum\]"):
        tf.cumsum(tf.constant([True]))


def test_cumulative_logsumexp():
    x = np.array([[1.0, 2.0, 1000.0], [-1000.0, -1000.0, 0.5]])
    ref = np.logaddexp.accumulate(x, axis=1)
    assert_tensor(tf.math.cumulative_logsumexp(x, axis=1), ref, tf.float64, rtol=1e-12)
    assert_tensor(tf.math.cumulative_logsumexp(x, axis=1, exclusive=True, reverse=True),
                  [[np.logaddexp(2.0, 1000.0), 1000.0, -np.inf], [np.logaddexp(-1000.0, 0.5),
                                                                 0.5, -np.inf]], rtol=1e-12)
    with pytest.raises(InvalidArgumentError, match=r"\[Op:CumulativeLogsumexp\]"):
        tf.math.cumulative_logsumexp(tf.constant([1]))


# ---- other tf.math functions --------------------------------------------------------------------

def test_x_log_y_family():
    assert_tensor(tf.math.xlogy([0.0, 1.0, 2.0], [0.0, 2.0, np.nan]), [0.0, np.log(2), np.nan])
    assert_tensor(tf.math.xdivy([0.0, 1.0], [0.0, 2.0]), [0.0, 0.5])
    assert_tensor(tf.math.xlog1py([0.0, 1.0], [-1.0, 1.0]), [0.0, np.log(2)])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Xlogy\]"):
        tf.math.xlogy(tf.constant([1]), tf.constant([1]))


def test_small_helpers():
    assert_tensor(tf.math.reciprocal_no_nan([0.0, 2.0]), [0.0, 0.5], tf.float32)
    with pytest.raises(InvalidArgumentError, match=r"\[Op:DivNoNan\]"):
        tf.math.reciprocal_no_nan(tf.constant([1]))
    assert_tensor(tf.math.log_sigmoid([-1000.0, 0.0, 1000.0]), [-1000.0, -np.log(2), 0.0])
    assert_tensor(tf.math.polyval([1.0, 2.0, 3.0], tf.constant([2.0])), [11.0], tf.float32)
    assert_tensor(tf.math.polyval([3.0], tf.constant([2.0, 1.0])), 3.0, tf.float32)
    assert_tensor(tf.math.polyval([], tf.constant([2.0, 1.0])), [0.0, 0.0], tf.float32)
    with pytest.raises(InvalidArgumentError, match="cannot compute Mul"):
        tf.math.polyval([1, 2.0], tf.constant([2.0]))
    assert_tensor(tf.math.zero_fraction([0, 1, 0, 3]), 0.5, tf.float32)
    assert_tensor(tf.math.nextafter(tf.constant([1.0]), 2.0), [np.nextafter(np.float32(1), 2)])
    assert_tensor(tf.math.accumulate_n([tf.constant([1.0, 2.0]), [3.0, 4.0]]), [4.0, 6.0])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are not compatible"):
        tf.math.accumulate_n([tf.constant([1.0, 2.0])], shape=[3])


def test_monotonicity():
    assert tf.math.is_non_decreasing([1, 2, 2]).numpy()
    assert not tf.math.is_strictly_increasing([1, 2, 2]).numpy()
    assert tf.math.is_strictly_increasing([[1.0, 2.0], [3.0, 4.0]]).numpy()
    assert not tf.math.is_non_decreasing([[1.0, 2.0], [0.0, 4.0]]).numpy()
    assert tf.math.is_strictly_increasing(tf.constant(3)).numpy()
    with pytest.raises(TypeError, match="Expected x to be numeric"):
        tf.math.is_non_decreasing(tf.constant(["a"]))


# ---- cast -------------------------------------------------------------------------------------

def test_cast():
    x = tf.constant([-1.7, 0.0, 2.9])
    assert_tensor(tf.cast(x, tf.int32), [-1, 0, 2], tf.int32)
    assert_tensor(tf.cast(x, tf.bool), [True, False, True], tf.bool)
    assert_tensor(tf.cast(x, "float64"), x.numpy().astype(np.float64), tf.float64)
    assert_tensor(tf.cast(1.7, tf.int32), 1, tf.int32)
    assert_tensor(tf.cast(tf.constant([1 + 2j]), tf.float32), [1.0], tf.float32)
    assert_tensor(tf.cast(tf.constant([2.5]), tf.complex64), [2.5 + 0j], tf.complex64)
    assert tf.cast(x, tf.float32) is x
    with pytest.raises(UnimplementedError, match="Cast string to int32 is not supported"):
        tf.cast(tf.constant(["1"]), tf.int32)


def test_saturate_cast():
    assert_tensor(tf.saturate_cast(tf.constant([-1.5, 300.7, 7.0]), tf.uint8), [0, 255, 7],
                  tf.uint8)
    assert_tensor(tf.saturate_cast(tf.constant([300, -300]), tf.int8), [127, -128], tf.int8)
    assert_tensor(tf.saturate_cast(tf.constant([1e40], tf.float64), tf.float32),
                  [np.finfo(np.float32).max], tf.float32)


# ---- gradients ---------------------------------------------------------------------------------

X23 = rng.uniform(0.5, 1.5, (2, 3))
Y3 = rng.uniform(0.5, 1.5, (3,))
UNIT = rng.uniform(-0.8, 0.8, (2, 3))

GRADIENT_CASES = {
    "add": (tf.add, X23, Y3),
    "subtract": (tf.subtract, X23, Y3),
    "multiply": (tf.multiply, X23, Y3),
    "truediv": (tf.math.truediv, X23, Y3),
    "realdiv": (tf.realdiv, Y3, X23),
    "pow": (tf.pow, X23, Y3),
    "squared_difference": (tf.math.squared_difference, X23, Y3),
    "divide_no_nan": (tf.math.divide_no_nan, X23, Y3),
    "multiply_no_nan": (tf.math.multiply_no_nan, X23, Y3),
    "floormod": (tf.math.floormod, X23 * 3, Y3),
    "atan2": (tf.atan2, UNIT, Y3),
    "maximum": (tf.maximum, X23, Y3),
    "minimum": (tf.minimum, X23, Y3),
    "clip_by_value": (lambda x, lo, hi: tf.clip_by_value(x, lo, hi), UNIT, [-0.5, 0, -0.2],
                      0.4),
    "add_n": (lambda a, b: tf.add_n([a, b, a]), X23, X23 * 2),
    "scalar_mul": (lambda s, x: tf.math.scalar_mul(tf.reshape(s, []), x), 1.5, X23),
    "negative": (tf.negative, UNIT),
    "square": (tf.square, UNIT),
    "sqrt": (tf.sqrt, X23),
    "rsqrt": (tf.math.rsqrt, X23),
    "exp": (tf.exp, UNIT),
    "expm1": (tf.math.expm1, UNIT),
    "log": (tf.math.log, X23),
    "log1p": (tf.math.log1p, UNIT),
    "reciprocal": (tf.math.reciprocal, X23),
    "abs": (tf.abs, UNIT),
    "sign": (lambda x: tf.sign(x) * x, UNIT),
    "sin": (tf.sin, UNIT), "cos": (tf.cos, UNIT), "tan": (tf.tan, UNIT),
    "asin": (tf.asin, UNIT), "acos": (tf.acos, UNIT), "atan": (tf.atan, UNIT),
    "sinh": (tf.sinh, UNIT), "cosh": (tf.cosh, UNIT), "tanh": (tf.tanh, UNIT),
    "asinh": (tf.asinh, UNIT), "acosh": (tf.acosh, X23 + 1), "atanh": (tf.atanh, UNIT),
    "sigmoid": (tf.sigmoid, UNIT),
    "softplus": (tf.math.softplus, UNIT * 5),
    "softsign": (tf.math.softsign, UNIT),
    "erf": (tf.math.erf, UNIT * 2),
    "erfc": (tf.math.erfc, UNIT * 2),
    "cast": (lambda x: tf.math.real(tf.cast(x, tf.complex128) * (2 + 1j)), UNIT),
    "complex_parts": (lambda a, b: tf.math.real(tf.complex(a, b) * tf.complex(b, a))
                      + tf.math.imag(tf.math.conj(tf.complex(a, b)) ** 2), X23, UNIT),
    "complex_abs": (lambda a, b: tf.abs(tf.complex(a, b)), X23, UNIT),
    "angle": (lambda a, b: tf.math.angle(tf.complex(a, b)), X23, UNIT),
    "complex_exp_log": (lambda a, b: tf.math.real(tf.math.log(tf.exp(tf.complex(a, b)) + 1.0)),
                        X23, UNIT),
    "reduce_sum": (lambda x: tf.reduce_sum(x, axis=0), X23),
    "reduce_sum_keep": (lambda x: tf.reduce_sum(x, axis=[0, 1], keepdims=True) * x, X23),
    "reduce_mean": (lambda x: tf.reduce_mean(x, axis=-1) ** 2, X23),
    "reduce_max": (lambda x: tf.reduce_max(x, axis=1), X23),
    "reduce_min": (lambda x: tf.reduce_min(x), X23),
    "reduce_prod": (lambda x: tf.reduce_prod(x, axis=0), X23),
    "reduce_prod_all": (lambda x: tf.reduce_prod(x, keepdims=True), X23),
    "reduce_variance": (lambda x: tf.math.reduce_variance(x, axis=1), X23),
    "reduce_std": (lambda x: tf.math.reduce_std(x), X23),
    "reduce_logsumexp": (lambda x: tf.reduce_logsumexp(x, axis=0), X23),
    "reduce_euclidean_norm": (lambda x: tf.math.reduce_euclidean_norm(x, axis=1), X23),
    "cumsum": (lambda x: tf.cumsum(x, axis=1, exclusive=True) * x, X23),
    "cumsum_reverse": (lambda x: tf.cumsum(x, reverse=True) ** 2, X23),
    "cumprod": (lambda x: tf.math.cumprod(x, axis=1), X23),
    "cumprod_exclusive_reverse": (lambda x: tf.math.cumprod(x, axis=0, exclusive=True,
                                                            reverse=True), X23),
    "cumulative_logsumexp": (lambda x: tf.math.cumulative_logsumexp(x, axis=1) * [1.0, -2.0, 3.0],
                             X23),
    "cumulative_logsumexp_excl_rev": (lambda x: tf.exp(tf.math.cumulative_logsumexp(
        x, exclusive=True, reverse=True) * 0.5) * [[1.0], [-2.0]], X23),
    "xlogy": (tf.math.xlogy, X23, Y3),
    "xdivy": (tf.math.xdivy, X23, Y3),
    "xlog1py": (tf.math.xlog1py, X23, Y3),
    "log_sigmoid": (tf.math.log_sigmoid, UNIT * 5),
    "reciprocal_no_nan": (tf.math.reciprocal_no_nan, X23),
    "polyval": (lambda x: tf.math.polyval(list(np.array([2.0, -1.0, 0.5])), x), UNIT),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_central_differences(name):
    fn, *args = GRADIENT_CASES[name]
    check_gradients(fn, *args)


@pytest.mark.parametrize("fn,x", [
    (tf.tanh, UNIT), (tf.sigmoid, UNIT), (tf.math.erf, UNIT), (tf.sqrt, X23),
    (lambda x: tf.reduce_logsumexp(x, axis=1), X23), (lambda x: x / (1.0 + x * x), UNIT),
    (lambda x: tf.math.reduce_prod(x, axis=1), X23), (tf.math.softplus, UNIT)])
def test_second_order(fn, x):
    check_second_order(fn, x)


def test_gradients_at_edge_points_follow_tensorflow():
    assert grads(tf.sqrt, [0.0, 4.0])[0].numpy().tolist() == [np.inf, 0.25]
    assert grads(tf.abs, [0.0, -2.0])[0].numpy().tolist() == [0.0, -1.0]
    assert grads(tf.math.rsqrt, [0.0])[0].numpy().tolist() == [-np.inf]
    assert grads(tf.sign, [0.0, -2.0])[0].numpy().tolist() == [0.0, 0.0]
    gx, gy = grads(tf.maximum, [1.0, 2.0, 3.0], [1.0, 1.0, 5.0])
    assert gx.numpy().tolist() == [1.0, 1.0, 0.0] and gy.numpy().tolist() == [0.0, 0.0, 1.0]
    gx, gy = grads(tf.minimum, [1.0, 2.0, 3.0], [1.0, 1.0, 5.0])
    assert gx.numpy().tolist() == [1.0, 0.0, 1.0] and gy.numpy().tolist() == [0.0, 1.0, 0.0]
    gx, glo, ghi = grads(tf.clip_by_value, [0.0, 1.0, 2.0, 3.0, 4.0], 1.0, 3.0)
    assert gx.numpy().tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]
    assert glo.numpy() == 1.0 and ghi.numpy() == 1.0
    assert grads(tf.reduce_max, [1.0, 3.0, 3.0])[0].numpy().tolist() == [0.0, 0.5, 0.5]
    assert grads(tf.reduce_prod, [1.0, 0.0, 3.0])[0].numpy().tolist() == [0.0, 3.0, 0.0]
    assert grads(tf.reduce_prod, [0.0, 0.0, 3.0])[0].numpy().tolist() == [0.0, 0.0, 0.0]
    gx, gy = grads(tf.pow, [0.0, -2.0], [2.0, 3.0])
    assert gx.numpy().tolist() == [0.0, 12.0] and gy.numpy().tolist() == [0.0, 0.0]
    assert grads(tf.math.softplus, [1000.0, -1000.0])[0].numpy().tolist() == [1.0, 0.0]
    assert grads(tf.math.divide_no_nan, [1.0], [0.0])[1].numpy().tolist() == [0.0]
    gx, gy = grads(tf.math.xlogy, [0.0, 1.0], [0.0, 2.0])
    assert gx.numpy().tolist() == [0.0, np.log(2)] and gy.numpy().tolist() == [0.0, 0.5]
    # TensorFlow's cumprod gradient divides by x, taking x == 0 as giving 0
    assert grads(tf.math.cumprod, [2.0, 0.0, 3.0])[0].numpy().tolist() == [1.0, 0.0, 0.0]
    assert np.isnan(grads(tf.math.reduce_euclidean_norm, [0.0, 0.0])[0].numpy()).all()
    g = grads(lambda x: tf.cast(x, tf.float32) * 3.0, [1.0])[0]
    assert g.dtype == tf.float64 and g.numpy().tolist() == [3.0]


@pytest.mark.parametrize("fn", [
    tf.round, tf.floor, tf.math.ceil, tf.math.rint,
    lambda x: tf.cast(tf.argmax(x), tf.float64), lambda x: tf.cast(tf.argmin(x), tf.float64),
    lambda x: tf.cast(tf.math.is_nan(x), tf.float64),
    lambda x: tf.cast(tf.equal(x, 1.0), tf.float64),
    lambda x: tf.cast(tf.math.count_nonzero(x), tf.float64),
    lambda x: tf.math.floordiv(x, 2.0), lambda x: tf.truncatediv(x, 2.0),
    lambda x: tf.cast(tf.cast(x, tf.int32), tf.float64), lambda x: tf.math.angle(x)])
def test_non_differentiable_ops_give_none(fn):
    assert grads(fn, [1.5, -2.0])[0] is None


def test_unneeded_input_gradients_are_skipped():
    x = tf.constant([1.0, 2.0])
    y = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = x * y / y
    assert_tensor(tape.gradient(z, x), [1.0, 1.0])


# ---- traced == eager ----------------------------------------------------------------------------

TRACED = {
    "mean": lambda x, y: tf.reduce_mean(x, axis=1),
    "max": lambda x, y: tf.reduce_max(x, axis=0),
    "prod": lambda x, y: tf.reduce_prod(x, axis=1),
    "std": lambda x, y: tf.math.reduce_std(x, axis=1),
    "logsumexp": lambda x, y: tf.reduce_logsumexp(x, axis=1),
    "norm": lambda x, y: tf.math.reduce_euclidean_norm(x, axis=1),
    "broadcast": lambda x, y: x * y - y / x + tf.maximum(x, y) ** 2,
    "clip": lambda x, y: tf.clip_by_value(x, 0.7, 1.2),
    "scans": lambda x, y: tf.math.cumprod(x, axis=1) + tf.cumsum(x, reverse=True),
    "unary": lambda x, y: tf.sigmoid(x) * tf.math.erf(x) + tf.sqrt(x) + tf.abs(x - 1.0),
}
SIGNATURES = {
    "python": None,
    "batch": [tf.TensorSpec([None, 3], tf.float64), tf.TensorSpec([3], tf.float64)],
    "unknown": [tf.TensorSpec([None, None], tf.float64), tf.TensorSpec([None], tf.float64)],
}


@pytest.mark.parametrize("name", sorted(TRACED))
@pytest.mark.parametrize("sig", sorted(SIGNATURES))
def test_traced_equals_eager_with_gradients(name, sig):
    fn = TRACED[name]

    def value_and_grads(x, y):
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = fn(x, y)
        return [z] + tape.gradient(z, [x, y])

    x, y = tf.constant(X23), tf.constant(Y3)
    eager = value_and_grads(x, y)
    traced = tf.function(value_and_grads, input_signature=SIGNATURES[sig])(x, y)
    for e, t in zip(eager, traced):
        if e is None:
            assert t is None
        else:
            np.testing.assert_allclose(t.numpy(), e.numpy(), rtol=1e-12)


# ---- shape rules with unknown dimensions ---------------------------------------------------------

F32 = dtypes.float32


@pytest.mark.parametrize("type_,specs,attrs,expected", [
    ("AddV2", [(F32, [None, 3]), (F32, [3])], {}, (F32, [None, 3])),
    ("Less", [(F32, [None, 1]), (F32, [4])], {}, (dtypes.bool, [None, 4])),
    ("Equal", [(F32, [2]), (F32, [3])], {"incompatible_shape_error": False},
     (dtypes.bool, [])),
    ("IsNan", [(F32, [None])], {}, (dtypes.bool, [None])),
    ("Sum", [(F32, [None, 3, None])], {"axis": 1, "keepdims": False}, (F32, [None, None])),
    ("Mean", [(F32, [None, 3])], {"axis": (0, 1), "keepdims": True}, (F32, [1, 1])),
    ("Max", [(F32, [None, 3])], {"axis": None, "keepdims": False}, (F32, [])),
    ("ArgMax", [(F32, [None, 3])], {"axis": -1, "output_type": dtypes.int64},
     (dtypes.int64, [None])),
    ("Cumsum", [(F32, [None, 3])], {"axis": 1, "exclusive": False, "reverse": False},
     (F32, [None, 3])),
    ("Cast", [(F32, [None])], {"DstT": dtypes.int32}, (dtypes.int32, [None])),
    ("AddN", [(F32, [None, 3]), (F32, [2, None])], {}, (F32, [2, 3])),
    ("ComplexAbs", [(dtypes.complex64, [None])], {}, (F32, [None])),
    ("Complex", [(F32, [None, 1]), (F32, [5])], {"Tout": dtypes.complex64},
     (dtypes.complex64, [None, 5])),
    ("ClipByValue", [(F32, [None, 2]), (F32, []), (F32, [2])], {}, (F32, [None, 2])),
])
def test_shape_rules_with_unknown_dims(type_, specs, attrs, expected):
    dtype, shape = get(type_).shape_fn(*[Spec(d, s) for d, s in specs], **attrs)
    assert dtype is expected[0]
    assert TensorShape(shape).as_list() == expected[1]


def test_shape_rules_reject_bad_axes():
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        get("Sum").shape_fn(Spec(F32, [None, 3]), axis=2, keepdims=False)
    with pytest.raises(ValueError, match="Expected dimension in the range"):
        get("ArgMax").shape_fn(Spec(F32, [None]), axis=1, output_type=dtypes.int64)
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        get("Mul").shape_fn(Spec(F32, [2]), Spec(F32, [3]))


# ---- namespaces ---------------------------------------------------------------------------------

def test_namespaces():
    assert tf.math.add is tf.add and tf.math.reduce_sum is tf.reduce_sum
    assert tf.math.mod is tf.math.floormod
    assert callable(tf.math.log) and not hasattr(tf, "log")
    for name in ("cumprod", "erf", "is_nan", "softplus", "floordiv", "reduce_std", "xlogy",
                 "softmax"):
        assert not hasattr(tf, name), name
        assert callable(getattr(tf.math, name))
    assert tf.sigmoid.__name__ == "sigmoid" and tf.math.is_nan.__name__ == "is_nan"
    assert tf.greater_equal.__name__ == "greater_equal"
