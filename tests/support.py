"""Shared test helpers: numeric gradient checks and comparisons with NumPy."""
import numpy as np

import tensorlite as tf


def assert_tensor(t, expected, dtype=None, rtol=1e-6, atol=1e-6):
    """`t` is a tensor equal to `expected` (a NumPy value) with the expected dtype."""
    assert isinstance(t, tf.Tensor), f"expected a tensor, got {type(t)}"
    expected = np.asarray(expected)
    if dtype is not None:
        assert t.dtype == tf.as_dtype(dtype), f"dtype {t.dtype} != {dtype}"
    assert tuple(t.shape) == expected.shape, f"shape {t.shape} != {expected.shape}"
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(t.numpy(), expected, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(t.numpy(), expected)


def numeric_gradient(fn, args, i, eps=1e-6):
    """Central-difference d sum(fn(*args)) / d args[i], in float64."""
    # C-contiguous copies: reshape(-1) below must be a view that writes through
    args = [np.array(a, dtype=np.float64, order="C") for a in args]
    x = args[i]
    grad = np.zeros_like(x)
    flat = x.reshape(-1)
    gflat = grad.reshape(-1)
    for k in range(flat.size):
        orig = flat[k]
        flat[k] = orig + eps
        plus = np.sum(np.asarray(fn(*[tf.constant(a) for a in args])))
        flat[k] = orig - eps
        minus = np.sum(np.asarray(fn(*[tf.constant(a) for a in args])))
        flat[k] = orig
        gflat[k] = (plus - minus) / (2 * eps)
    return grad


def check_gradients(fn, *args, rtol=1e-5, atol=1e-6, wrt=None):
    """Tape gradients of sum(fn(*args)) equal central differences, for every float arg."""
    arrays = [np.array(a, dtype=np.float64) for a in args]
    tensors = [tf.constant(a) for a in arrays]
    wrt = range(len(args)) if wrt is None else wrt
    with tf.GradientTape(persistent=True) as tape:
        for t in tensors:
            tape.watch(t)
        out = fn(*tensors)
    for i in wrt:
        g = tape.gradient(out, tensors[i])
        expected = numeric_gradient(fn, arrays, i)
        assert g is not None, f"gradient for argument {i} is None"
        np.testing.assert_allclose(np.asarray(g), expected, rtol=rtol, atol=atol,
                                   err_msg=f"gradient wrt argument {i}")


def check_second_order(fn, *args, rtol=1e-4, atol=1e-5):
    """Hessian-vector check: d/dx of (d sum fn / dx) equals central differences of the
    tape gradient, for single-argument functions."""
    x0 = np.array(args[0], dtype=np.float64)

    def grad_of(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = fn(x)
        return t.gradient(y, x)

    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        g = grad_of(x)
    h = outer.gradient(g, x)
    expected = numeric_gradient(lambda a: grad_of(a), [x0], 0)
    np.testing.assert_allclose(np.asarray(h), expected, rtol=rtol, atol=atol)
