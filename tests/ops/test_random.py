"""tf.random: shapes and dtypes, distributions (moments), seeding semantics, stateless
determinism, Generators, errors. TensorFlow's Philox numbers are not reproduced; the
tests check what TensorFlow documents instead."""
import numpy as np
import pytest

import conftest
import tensorlite as tf
from tensorlite import random as tfr
from tensorlite.framework.errors import InvalidArgumentError

conftest.pytest_sessionstart(None)  # shape-check kernels registered after the session began

N = 40000


@pytest.fixture(autouse=True)
def _no_global_seed():
    tfr.set_seed(None)
    yield
    tfr.set_seed(None)


# ---- shapes and dtypes ---------------------------------------------------------------------

@pytest.mark.parametrize("shape", [[2, 3], (2, 3), tf.TensorShape([2, 3]),
                                   tf.constant([2, 3]), tf.constant([2, 3], tf.int64),
                                   np.array([2, 3]), (2, tf.constant(3))])
def test_shape_forms(shape):
    for draw in (tfr.uniform, tfr.normal, tfr.truncated_normal):
        out = draw(shape)
        assert out.shape == (2, 3) and out.dtype == tf.float32


def test_shape_from_tf_shape():
    x = tf.zeros([4, 5])
    assert tfr.normal(tf.shape(x), stddev=0.1).shape == (4, 5)
    assert tfr.uniform([]).shape == ()
    assert tfr.uniform([0, 3]).shape == (0, 3)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float32, tf.float64])
def test_float_dtypes(dtype):
    u = tfr.uniform([N // 4], dtype=dtype)
    assert u.dtype == dtype
    values = np.asarray(u.numpy(), np.float64)
    assert values.min() >= 0 and values.max() < 1
    for draw in (tfr.normal, tfr.truncated_normal):
        assert draw([3], dtype=dtype).dtype == dtype


def test_shape_errors():
    with pytest.raises(ValueError, match="partially known TensorShape"):
        tfr.uniform(tf.TensorShape([2, None]))
    with pytest.raises(InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tfr.uniform([-1])
    with pytest.raises(InvalidArgumentError, match="'T' of float32"):
        tfr.uniform([2.5])
    with pytest.raises(InvalidArgumentError, match="vector"):
        tfr.uniform(3)


def test_dtype_errors():
    with pytest.raises(ValueError, match="Accepted dtypes"):
        tfr.uniform([2], dtype=tf.string)
    with pytest.raises(TypeError, match="Cannot convert 0.0"):
        tfr.normal([2], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match="dtype"):
        tfr.normal([2], mean=0, stddev=1, dtype=tf.int32)
    with pytest.raises(TypeError):
        tfr.truncated_normal([2], dtype=tf.int32)


# ---- distributions ---------------------------------------------------------------------------

def test_uniform_moments_and_range():
    u = tfr.uniform([N], minval=-2., maxval=4.).numpy().astype(np.float64)
    assert u.min() >= -2 and u.max() < 4
    assert abs(u.mean() - 1) < 0.05 and abs(u.var() - 3) < 0.1  # (b - a)^2 / 12 = 3
    v = tfr.uniform([N], maxval=5.).numpy()
    assert 0 <= v.min() and v.max() < 5 and abs(v.mean() - 2.5) < 0.05


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64])
def test_uniform_integers(dtype):
    u = tfr.uniform([N], minval=-3, maxval=4, dtype=dtype)
    assert u.dtype == dtype
    assert set(np.unique(u.numpy())) == set(range(-3, 4))
    assert abs(u.numpy().mean()) < 0.05


def test_uniform_integer_errors():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tfr.uniform([2], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match="Need minval < maxval, got 5 >= 5"):
        tfr.uniform([2], 5, 5, dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match="minval must be 0-D"):
        tfr.uniform([3], minval=[1, 2, 3], maxval=4, dtype=tf.int32)


def test_normal_moments():
    z = tfr.normal([N], mean=3., stddev=2.).numpy().astype(np.float64)
    assert abs(z.mean() - 3) < 0.05 and abs(z.std() - 2) < 0.05
    z64 = tfr.normal([N], dtype=tf.float64).numpy()
    assert abs(z64.mean()) < 0.03 and abs(z64.std() - 1) < 0.03
    # elementwise mean broadcasts over the draw, as in TF
    m = tfr.normal([3, N // 3], mean=[[0.], [10.], [20.]]).numpy()
    np.testing.assert_allclose(m.mean(axis=1), [0, 10, 20], atol=0.1)


def test_truncated_normal():
    t = tfr.truncated_normal([N], mean=1., stddev=2.).numpy().astype(np.float64)
    assert t.min() >= -3 and t.max() <= 5
    # std of a standard normal truncated at +-2 is 0.8796
    assert abs(t.mean() - 1) < 0.05 and abs(t.std() - 2 * 0.8796) < 0.05


def test_gradients_flow_to_mean_and_stddev():
    mean, stddev = tf.Variable(1.5), tf.Variable(2.)
    with tf.GradientTape() as tape:
        z = tfr.normal([1000], mean=mean, stddev=stddev)
        total = tf.reduce_sum(z)
    dmean, dstd = tape.gradient(total, [mean, stddev])
    assert float(dmean) == 1000.
    # d/d stddev of sum(mean + stddev * e) is sum(e) = (sum(z) - n * mean) / stddev
    np.testing.assert_allclose(float(dstd), (float(total) - 1500.) / 2., rtol=1e-3)
    lo, hi = tf.Variable(1.), tf.Variable(3.)
    with tf.GradientTape() as tape:
        u = tf.reduce_sum(tfr.uniform([100], minval=lo, maxval=hi))
    dlo, dhi = tape.gradient(u, [lo, hi])
    np.testing.assert_allclose(float(dlo) + float(dhi), 100., rtol=1e-5)


def test_draws_are_not_recorded():
    x = tf.constant(1.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tfr.uniform([2]) + 0 * x
    assert tape.gradient(y, x) is not None  # only the arithmetic is differentiated


def test_categorical():
    logits = np.log([[0.1, 0.6, 0.3], [0.5, 1.0, 0.5]])
    logits[1, 1] = -np.inf
    s = tfr.categorical(logits, N // 4)
    assert s.dtype == tf.int64 and s.shape == (2, N // 4)
    freq = [np.bincount(row, minlength=3) / row.size for row in s.numpy()]
    np.testing.assert_allclose(freq[0], [0.1, 0.6, 0.3], atol=0.02)
    np.testing.assert_allclose(freq[1], [0.5, 0.0, 0.5], atol=0.02)
    assert freq[1][1] == 0  # a -inf logit is never drawn
    assert tfr.categorical([[1., 2.]], 3, dtype=tf.int32).dtype == tf.int32
    assert tfr.categorical([[1., 2.]], 0).shape == (1, 0)
    assert tfr.categorical(tf.zeros([0, 2]), 3).shape == (0, 3)


def test_categorical_errors():
    with pytest.raises(InvalidArgumentError, match="logits should be a matrix"):
        tfr.categorical([1., 2.], 3)
    with pytest.raises(InvalidArgumentError, match="num_samples should be non-negative"):
        tfr.categorical([[1., 2.]], -1)
    with pytest.raises(InvalidArgumentError, match="num_classes should be positive"):
        tfr.categorical(tf.zeros([2, 0]), 3)
    with pytest.raises(ValueError, match="Accepted dtypes"):
        tfr.categorical([[1., 2.]], 3, dtype=tf.float32)


def test_shuffle():
    x = np.arange(20).reshape(10, 2)
    s = tfr.shuffle(x).numpy()
    assert sorted(map(tuple, s)) == sorted(map(tuple, x))  # rows are kept whole
    assert any(not np.array_equal(tfr.shuffle(x).numpy(), x) for _ in range(5))
    assert tfr.shuffle(5).numpy() == 5
    assert tfr.shuffle(tf.zeros([0, 2])).shape == (0, 2)
    assert tfr.shuffle(["a", "b"]).dtype == tf.string


# ---- seeding semantics (tf.random.set_seed) ------------------------------------------------------

def test_no_seed_is_nondeterministic():
    a = tfr.uniform([4]).numpy()
    b = tfr.uniform([4]).numpy()
    tfr.set_seed(None)
    c = tfr.uniform([4]).numpy()
    assert not np.array_equal(a, b) and not np.array_equal(a, c)


def test_global_seed_repeats_the_program_sequence():
    tfr.set_seed(1234)
    first = [tfr.uniform([3]).numpy(), tfr.uniform([3]).numpy(), tfr.normal([3]).numpy()]
    assert not np.array_equal(first[0], first[1])
    tfr.set_seed(1234)
    again = [tfr.uniform([3]).numpy(), tfr.uniform([3]).numpy(), tfr.normal([3]).numpy()]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    tfr.set_seed(4321)
    assert not np.array_equal(tfr.uniform([3]).numpy(), first[0])


def test_op_seed_alone_fixes_the_sequence():
    a1, a2 = tfr.uniform([3], seed=7).numpy(), tfr.uniform([3], seed=7).numpy()
    assert not np.array_equal(a1, a2)  # the kernel keeps drawing from its stream
    tfr.set_seed(None)  # as a new program run does, restarts the kernels
    np.testing.assert_array_equal(tfr.uniform([3], seed=7).numpy(), a1)
    np.testing.assert_array_equal(tfr.uniform([3], seed=7).numpy(), a2)
    assert not np.array_equal(tfr.uniform([3], seed=8).numpy(), a1)


def test_global_and_op_seed():
    tfr.set_seed(1)
    a = tfr.uniform([3], seed=5).numpy()
    tfr.uniform([3])  # seedless draws do not disturb an op seed's sequence
    b = tfr.uniform([3], seed=5).numpy()
    tfr.set_seed(1)
    np.testing.assert_array_equal(tfr.uniform([3], seed=5).numpy(), a)
    np.testing.assert_array_equal(tfr.uniform([3], seed=5).numpy(), b)
    tfr.set_seed(2)
    assert not np.array_equal(tfr.uniform([3], seed=5).numpy(), a)


def test_seeded_ops_of_every_kind_repeat():
    def draws():
        return [tfr.normal([3], seed=1).numpy(), tfr.truncated_normal([3], seed=1).numpy(),
                tfr.uniform([3], maxval=100, dtype=tf.int64, seed=1).numpy(),
                tfr.categorical([[0., 1., 2.]], 8, seed=1).numpy(),
                tfr.shuffle(np.arange(10), seed=1).numpy()]
    tfr.set_seed(3)
    first = draws()
    tfr.set_seed(3)
    for a, b in zip(first, draws()):
        np.testing.assert_array_equal(a, b)


def test_traced_function_draws_new_values_each_call():
    tfr.set_seed(11)

    @tf.function
    def f():
        return tfr.uniform([]), tfr.normal([2], seed=3)

    first, second = f(), f()
    assert float(first[0]) != float(second[0])
    assert not np.array_equal(first[1].numpy(), second[1].numpy())
    tfr.set_seed(11)

    @tf.function
    def g():
        return tfr.uniform([]), tfr.normal([2], seed=3)

    again = g()
    assert float(again[0]) == float(first[0])
    np.testing.assert_array_equal(again[1].numpy(), first[1].numpy())


# ---- stateless ------------------------------------------------------------------------------------

def test_stateless_same_seed_same_values():
    for draw in (tfr.stateless_uniform, tfr.stateless_normal, tfr.stateless_truncated_normal):
        a = draw([2, 3], seed=[1, 2]).numpy()
        np.testing.assert_array_equal(a, draw([2, 3], seed=tf.constant([1, 2], tf.int64)))
        assert not np.array_equal(a, draw([2, 3], seed=[1, 3]).numpy())
    c = tfr.stateless_categorical([[0., 1., 2.]], 10, seed=[4, 5])
    assert c.dtype == tf.int64 and c.shape == (1, 10)
    np.testing.assert_array_equal(c, tfr.stateless_categorical([[0., 1., 2.]], 10, seed=[4, 5]))


def test_stateless_distributions():
    u = tfr.stateless_uniform([N], seed=[3, 4], minval=2., maxval=3.).numpy()
    assert u.min() >= 2 and u.max() < 3 and abs(u.mean() - 2.5) < 0.01
    z = tfr.stateless_normal([N], seed=[3, 4], mean=-1., stddev=0.5).numpy()
    assert abs(z.mean() + 1) < 0.02 and abs(z.std() - 0.5) < 0.02
    t = tfr.stateless_truncated_normal([N], seed=[3, 4]).numpy()
    assert np.abs(t).max() <= 2 and abs(t.std() - 0.8796) < 0.02


def test_stateless_integers():
    i = tfr.stateless_uniform([N], seed=[1, 2], minval=0, maxval=10, dtype=tf.int32)
    assert i.dtype == tf.int32 and set(np.unique(i.numpy())) == set(range(10))
    full = tfr.stateless_uniform([N], seed=[1, 2], minval=None, maxval=None, dtype=tf.int64)
    assert full.dtype == tf.int64 and full.numpy().min() < -2 ** 60 < 2 ** 60 < full.numpy().max()
    u32 = tfr.stateless_uniform([4], seed=[1, 2], minval=None, maxval=None, dtype=tf.uint32)
    assert u32.dtype == tf.uint32


def test_stateless_errors():
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[3\]"):
        tfr.stateless_uniform([2], seed=[1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="Tseed"):
        tfr.stateless_uniform([2], seed=[1., 2.])
    with pytest.raises(ValueError, match="must be both None or not None"):
        tfr.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)
    with pytest.raises(ValueError, match="Accepted dtypes"):
        tfr.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None, dtype=tf.int8)


def test_stateless_split_and_fold_in():
    seeds = tfr.experimental.stateless_split([1, 2], num=3)
    assert seeds.shape == (3, 2) and seeds.dtype == tf.int32
    np.testing.assert_array_equal(seeds, tfr.experimental.stateless_split([1, 2], num=3))
    assert len({tuple(s) for s in seeds.numpy()}) == 3
    folded = tfr.experimental.stateless_fold_in([1, 2], 3)
    assert folded.shape == (2,) and folded.numpy()[1] == 3
    assert folded.numpy()[0] == seeds.numpy()[0, 0]  # the first word of the seed's own stream


# ---- Generator --------------------------------------------------------------------------------------

def test_generator_from_seed_is_reproducible():
    g1, g2 = tfr.Generator.from_seed(42), tfr.Generator.from_seed(42)
    a, b = g1.normal([3]).numpy(), g1.normal([3]).numpy()
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(g2.normal([3]).numpy(), a)
    np.testing.assert_array_equal(g2.normal([3]).numpy(), b)
    assert not np.array_equal(tfr.Generator.from_seed(43).normal([3]).numpy(), a)
    g1.reset_from_seed(42)
    np.testing.assert_array_equal(g1.normal([3]).numpy(), a)


def test_generator_state_variable():
    g = tfr.Generator.from_seed(1)
    assert isinstance(g.state, tf.Variable)
    assert g.state.dtype == tf.int64 and g.state.shape == (3,)
    before = g.state.numpy().copy()
    g.uniform([5])
    assert not np.array_equal(g.state.numpy(), before)
    copy = tfr.Generator(copy_from=g)
    np.testing.assert_array_equal(copy.uniform([4]).numpy(), g.uniform([4]).numpy())
    with pytest.raises(ValueError):
        tfr.Generator()


def test_generator_distributions():
    g = tfr.Generator.from_seed(7)
    z = g.normal([N], mean=1., stddev=3.).numpy()
    assert abs(z.mean() - 1) < 0.1 and abs(z.std() - 3) < 0.1
    u = g.uniform([N], minval=1., maxval=2., dtype=tf.float64)
    assert u.dtype == tf.float64 and 1 <= u.numpy().min() and u.numpy().max() < 2
    t = g.truncated_normal([N]).numpy()
    assert np.abs(t).max() <= 2
    i = g.uniform([N], minval=0, maxval=6, dtype=tf.int64)
    assert set(np.unique(i.numpy())) == set(range(6))
    full = g.uniform([3], minval=None, maxval=None, dtype=tf.int32)
    assert full.dtype == tf.int32
    assert g.uniform_full_int([2]).dtype == tf.uint64
    with pytest.raises(ValueError, match="both `None` or both non-`None`"):
        g.uniform([2], dtype=tf.int32)


def test_generator_make_seeds_and_split():
    g = tfr.Generator.from_seed(5)
    seeds = g.make_seeds(4)
    assert seeds.shape == (2, 4) and seeds.dtype == tf.int64
    np.testing.assert_array_equal(seeds.numpy()[1], 0)
    out = tfr.stateless_normal([3], seed=seeds.numpy()[:, 0])
    assert out.shape == (3,)
    kids = g.split(2)
    a, b = kids[0].normal([3]).numpy(), kids[1].normal([3]).numpy()
    assert not np.array_equal(a, b)
    again = tfr.Generator.from_seed(5)
    again.make_seeds(4)
    np.testing.assert_array_equal(again.split(2)[0].normal([3]).numpy(), a)


def test_generator_in_traced_function():
    g = tfr.Generator.from_seed(3)

    @tf.function
    def f():
        return g.normal([2])

    a, b = f().numpy(), f().numpy()
    assert not np.array_equal(a, b)
    ref = tfr.Generator.from_seed(3)
    np.testing.assert_array_equal(a, ref.normal([2]).numpy())


def test_global_generator():
    g = tfr.get_global_generator()
    assert g is tfr.get_global_generator()
    mine = tfr.Generator.from_seed(9)
    tfr.set_global_generator(mine)
    try:
        assert tfr.get_global_generator() is mine
    finally:
        tfr.set_global_generator(g)


def test_random_ops_are_stateful_and_not_differentiable():
    from tensorlite.framework.op_registry import get
    for type_ in ("RandomUniform", "RandomUniformInt", "RandomStandardNormal",
                  "TruncatedNormal", "Multinomial", "RandomShuffle", "StatefulUniform",
                  "StatefulUniformInt", "StatefulUniformFullInt", "StatefulStandardNormalV2",
                  "StatefulTruncatedNormal"):
        assert get(type_).stateful and not get(type_).differentiable, type_
    for type_ in ("StatelessRandomUniform", "StatelessRandomNormal",
                  "StatelessTruncatedNormal", "StatelessRandomUniformInt",
                  "StatelessRandomUniformFullInt", "StatelessMultinomial"):
        assert not get(type_).stateful and not get(type_).differentiable, type_


def test_traced_shapes_from_unknown_dims():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        return (tfr.normal(tf.shape(x)), tfr.stateless_uniform(tf.shape(x), seed=[1, 2]),
                tfr.categorical(x, 4), tfr.shuffle(x))

    n, s, c, sh = f(tf.zeros([5, 3]))
    assert n.shape == (5, 3) and s.shape == (5, 3) and c.shape == (5, 4) and sh.shape == (5, 3)
    np.testing.assert_array_equal(s, tfr.stateless_uniform([5, 3], seed=[1, 2]))
