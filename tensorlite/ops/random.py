"""Random ops (`tf.random`): seeded stateful draws, stateless draws and `Generator`s.

Seeding follows `tf.random.set_seed`. A stateful op carries two seed attrs,
``seed`` and ``seed2``, fixed when it is created (`get_seed`), and its kernel
owns a random stream keyed by (op type, dtype, seed, seed2) -- TensorFlow's
kernel cache. So:

- neither a global nor an op seed: the kernel's stream is seeded from OS
  entropy (a new sequence every program run);
- an op seed alone: a default global seed is used; the op's sequence repeats
  from one program run to the next;
- a global seed: each op without its own seed gets the next op seed of a
  sequence the global seed fixes, so the whole program's sequence repeats;
  `set_seed` restarts that sequence and every kernel's stream;
- inside a traced function the seeds are fixed at trace time and the kernel
  keeps drawing from its stream, so each call gives new values.

Stateless ops draw from a stream keyed by their ``seed`` input alone: the same
seed always gives the same values. A `Generator` keeps its Philox state
(counter and key) in an int64 variable, advanced by each draw.

NumPy's Philox generator stands in for TensorFlow's: the distributions and
the seeding semantics are TensorFlow's, the numbers are not.
"""
import random as _pyrandom
from collections import OrderedDict

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor, is_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.framework.variables import Variable
from tensorlite.ops import math as _math
from tensorlite.ops._helpers import static_value, to_tensor, unary_shape

# TensorFlow has no top-level random names (everything is under `tf.random`).
__all__ = []

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1
_UINT64_MASK = 2 ** 64 - 1
# Eager calls under a global seed create a kernel per call (a fresh op seed
# each time); the cache keeps the most recently used ones.
_MAX_KERNELS = 1024

_FLOATS = (_dtypes.float16, _dtypes.bfloat16, _dtypes.float32, _dtypes.float64)
_INTS = (_dtypes.int32, _dtypes.int64)
_FULL_INTS = (_dtypes.int32, _dtypes.int64, _dtypes.uint32, _dtypes.uint64)
_SHAPE_DTYPES = frozenset(_INTS)
_NO_DIMS = np.zeros([0], np.int32)  # the shape of a scalar draw

_global_seed = None
_op_seeds = None        # random.Random(global seed): hands out op seeds
_kernels = OrderedDict()  # (op type, np dtype, seed, seed2) -> np.random.Generator


# ---- seeding ---------------------------------------------------------------------

def set_seed(seed):
    """Sets the global random seed (None: back to nondeterministic seeding).

    With a global seed, random ops without an op seed give the same sequence
    every time the program runs; calling `set_seed` again restarts it:

    >>> tf.random.set_seed(1234)
    >>> tf.random.uniform([1])  # A1
    >>> tf.random.uniform([1])  # A2
    >>> tf.random.set_seed(1234)
    >>> tf.random.uniform([1])  # A1 again
    """
    global _global_seed, _op_seeds
    if seed is None:
        _global_seed = _op_seeds = None
    else:
        _global_seed = int(seed)
        _op_seeds = _pyrandom.Random(_global_seed)
    _kernels.clear()


def get_seed(op_seed):
    """The (seed, seed2) attrs a random op gets for `op_seed` (None: not given)."""
    if _global_seed is not None:
        if op_seed is None:
            op_seed = _op_seeds.randint(0, _MAXINT32)
        seeds = (_global_seed % _MAXINT32, int(op_seed) % _MAXINT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, int(op_seed) % _MAXINT32)
    else:
        return 0, 0
    # (0, 0) means "seed from entropy" to the kernels; a user's seeds never do.
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


def _kernel_stream(op_type, np_dtype, seed, seed2):
    """The random stream owned by the kernel of a stateful op with these attrs."""
    key = (op_type, np_dtype, seed, seed2)
    gen = _kernels.get(key)
    if gen is None:
        if seed == 0 and seed2 == 0:
            bits = np.random.Philox()
        else:
            bits = np.random.Philox(key=np.array([seed, seed2], dtype=np.uint64))
        gen = _kernels[key] = np.random.Generator(bits)
        if len(_kernels) > _MAX_KERNELS:
            _kernels.popitem(last=False)
    else:
        _kernels.move_to_end(key)
    return gen


def _stateless_stream(seed):
    """A stream that depends on the shape-[2] `seed` only."""
    if np.shape(seed) != (2,):
        raise ValueError(f"seed must have shape [2], not {_dims_text(np.shape(seed))}")
    key = np.asarray(seed).astype(np.int64).view(np.uint64)
    return np.random.Generator(np.random.Philox(key=key))


# ---- drawing (NumPy) ---------------------------------------------------------------

def _dims_text(dims):
    return "[" + ",".join(str(d) for d in dims) + "]"


def _dims(shape):
    """The output dimensions from a shape input (a vector of non-negative ints)."""
    if np.ndim(shape) != 1:
        raise ValueError(f"shape must be a vector of {{int32,int64}}, got shape "
                         f"{_dims_text(np.shape(shape))}")
    dims = tuple(shape.tolist())
    if dims and min(dims) < 0:
        raise ValueError(f"Dimension {min(dims)} must be >= 0")
    return dims


def _uniform01(gen, dims, np_dtype):
    """Uniform in [0, 1) of `np_dtype`."""
    if np_dtype.itemsize >= 4:
        return gen.random(dims, dtype=np_dtype)
    # half and bfloat16: a grid of their mantissa's width, so rounding never gives 1.0
    bits = 10 if np_dtype == np.float16 else 7
    return (gen.integers(0, 1 << bits, size=dims) * (1.0 / (1 << bits))).astype(np_dtype)


def _standard_normal(gen, dims, np_dtype):
    work = np_dtype if np_dtype.itemsize >= 4 else np.float32
    return gen.standard_normal(dims, dtype=work).astype(np_dtype, copy=False)


def _truncated_normal(gen, dims, np_dtype):
    """Standard normal values, each redrawn until it is within 2 of the mean."""
    work = np_dtype if np_dtype.itemsize >= 4 else np.float32
    x = gen.standard_normal(dims, dtype=work)
    outside = np.abs(x) > 2
    while outside.any():
        x[outside] = gen.standard_normal(int(outside.sum()), dtype=work)
        outside = np.abs(x) > 2
    return x.astype(np_dtype, copy=False)


def _uniform_int(gen, dims, minval, maxval):
    for label, v in (("minval", minval), ("maxval", maxval)):
        if np.ndim(v) != 0:
            raise ValueError(f"{label} must be 0-D, got shape {_dims_text(np.shape(v))}")
    lo, hi = int(minval), int(maxval)
    if not lo < hi:
        raise ValueError(f"Need minval < maxval, got {lo} >= {hi}")
    return gen.integers(lo, hi, size=dims, dtype=np.result_type(minval))


def _full_int(gen, dims, np_dtype):
    info = np.iinfo(np_dtype)
    return gen.integers(info.min, info.max, size=dims, dtype=np_dtype, endpoint=True)


def _multinomial(gen, logits, num_samples, np_dtype):
    """`num_samples` class indices per row of `logits`, drawn by inverting the CDF."""
    if np.ndim(logits) != 2:
        raise ValueError(f"logits should be a matrix, got shape {_dims_text(np.shape(logits))}")
    batch, classes = logits.shape
    if classes == 0:
        raise ValueError("num_classes should be positive, got 0")
    n = int(num_samples)
    if n < 0:
        raise ValueError(f"num_samples should be non-negative, got {n}")
    with np.errstate(all="ignore"):
        x = logits.astype(np.float64)
        p = np.exp(x - x.max(axis=1, keepdims=True))
        cdf = np.cumsum(p, axis=1)
        cdf /= cdf[:, -1:]
    # Row i's CDF lies in [i, i + 1], so one sorted search serves every row.
    offsets = np.arange(batch, dtype=np.float64)[:, None]
    flat = (cdf + offsets).reshape(-1)
    u = gen.random((batch, n)) + offsets
    found = np.searchsorted(flat, u.reshape(-1), side="right").reshape(batch, n)
    found -= (np.arange(batch) * classes)[:, None]
    return np.minimum(found, classes - 1).astype(np_dtype)


def _shuffle(gen, value):
    return gen.permutation(value) if np.ndim(value) else np.array(value)


# ---- shape rules ---------------------------------------------------------------------

def _static_dims(shape_spec):
    """The static output shape from a shape input's spec (None where unknown)."""
    value = static_value(shape_spec)
    if value is not None:
        return TensorShape([int(d) if d >= 0 else None for d in np.reshape(value, -1)])
    n = shape_spec.shape[0] if shape_spec.shape.rank == 1 else None
    return TensorShape(None if n is None else [None] * n)


def _draw_shape(shape, *seed, dtype, **attrs):
    return dtype, _static_dims(shape)


def _int_draw_shape(shape, minval, maxval, **attrs):
    return minval.dtype, _static_dims(shape)


def _multinomial_shape(logits, num_samples, *seed, output_dtype, **attrs):
    n = static_value(num_samples)
    rows = logits.shape[0] if logits.shape.rank == 2 else None
    return output_dtype, TensorShape([rows, None if n is None else int(n)])


def _stateful_shape(resource, shape, *bounds, dtype=None):
    return (dtype if dtype is not None else bounds[0].dtype), _static_dims(shape)


# ---- stateful ops ---------------------------------------------------------------------

def _stateful_op(type_, shape=_draw_shape, dtypes=_SHAPE_DTYPES):
    return op(type_, shape=shape, dtypes=dtypes, stateful=True, differentiable=False)


@_stateful_op("RandomUniform")
def _random_uniform(shape, *, dtype, seed, seed2):
    np_dtype = dtype._np
    return _uniform01(_kernel_stream("RandomUniform", np_dtype, seed, seed2), _dims(shape),
                      np_dtype)


@_stateful_op("RandomUniformInt", shape=_int_draw_shape)
def _random_uniform_int(shape, minval, maxval, *, seed, seed2):
    gen = _kernel_stream("RandomUniformInt", np.result_type(minval), seed, seed2)
    return _uniform_int(gen, _dims(shape), minval, maxval)


@_stateful_op("RandomStandardNormal")
def _random_standard_normal(shape, *, dtype, seed, seed2):
    np_dtype = dtype._np
    return _standard_normal(_kernel_stream("RandomStandardNormal", np_dtype, seed, seed2),
                            _dims(shape), np_dtype)


@_stateful_op("TruncatedNormal")
def _random_truncated_normal(shape, *, dtype, seed, seed2):
    np_dtype = dtype._np
    return _truncated_normal(_kernel_stream("TruncatedNormal", np_dtype, seed, seed2),
                             _dims(shape), np_dtype)


@_stateful_op("Multinomial", shape=_multinomial_shape, dtypes=_dtypes.REAL_NUMERIC)
def _random_multinomial(logits, num_samples, *, output_dtype, seed, seed2):
    gen = _kernel_stream("Multinomial", output_dtype._np, seed, seed2)
    return _multinomial(gen, logits, num_samples, output_dtype._np)


@_stateful_op("RandomShuffle", shape=unary_shape, dtypes=None)
def _random_shuffle(value, *, seed, seed2):
    return _shuffle(_kernel_stream("RandomShuffle", np.result_type(value), seed, seed2), value)


# ---- stateless ops ----------------------------------------------------------------------

def _stateless_op(type_, shape=_draw_shape, dtypes=_SHAPE_DTYPES):
    return op(type_, shape=shape, dtypes=dtypes, differentiable=False)


@_stateless_op("StatelessRandomUniform")
def _stateless_uniform(shape, seed, *, dtype):
    return _uniform01(_stateless_stream(seed), _dims(shape), dtype._np)


@_stateless_op("StatelessRandomUniformInt",
               shape=lambda shape, seed, minval, maxval: (minval.dtype, _static_dims(shape)))
def _stateless_uniform_int(shape, seed, minval, maxval):
    return _uniform_int(_stateless_stream(seed), _dims(shape), minval, maxval)


@_stateless_op("StatelessRandomUniformFullInt")
def _stateless_uniform_full_int(shape, seed, *, dtype):
    return _full_int(_stateless_stream(seed), _dims(shape), dtype._np)


@_stateless_op("StatelessRandomNormal")
def _stateless_normal(shape, seed, *, dtype):
    return _standard_normal(_stateless_stream(seed), _dims(shape), dtype._np)


@_stateless_op("StatelessTruncatedNormal")
def _stateless_truncated_normal(shape, seed, *, dtype):
    return _truncated_normal(_stateless_stream(seed), _dims(shape), dtype._np)


@_stateless_op("StatelessMultinomial", shape=_multinomial_shape, dtypes=_dtypes.REAL_NUMERIC)
def _stateless_multinomial(logits, num_samples, seed, *, output_dtype):
    return _multinomial(_stateless_stream(seed), logits, num_samples, output_dtype._np)


# ---- Generator ops: input 0 is the state variable's resource ---------------------------------

def _with_state(resource, draw):
    """Runs `draw(numpy Generator)` from a [counter_lo, counter_hi, key] int64 state,
    then stores the advanced counter (a new array: earlier reads keep their value)."""
    state = np.asarray(resource.value).view(np.uint64)
    bits = np.random.Philox(counter=np.array([state[0], state[1], 0, 0], dtype=np.uint64),
                            key=np.array([state[2], 0], dtype=np.uint64))
    out = draw(np.random.Generator(bits))
    counter = bits.state["state"]["counter"]
    resource.value = np.array([counter[0], counter[1], state[2]], dtype=np.uint64).view(np.int64)
    return out


def _generator_op(type_):
    return op(type_, shape=_stateful_shape, stateful=True, differentiable=False)


@_generator_op("StatefulUniform")
def _stateful_uniform(resource, shape, *, dtype):
    return _with_state(resource, lambda g: _uniform01(g, _dims(shape), dtype._np))


@_generator_op("StatefulUniformInt")
def _stateful_uniform_int(resource, shape, minval, maxval):
    return _with_state(resource, lambda g: _uniform_int(g, _dims(shape), minval, maxval))


@_generator_op("StatefulUniformFullInt")
def _stateful_uniform_full_int(resource, shape, *, dtype):
    return _with_state(resource, lambda g: _full_int(g, _dims(shape), dtype._np))


@_generator_op("StatefulStandardNormalV2")
def _stateful_normal(resource, shape, *, dtype):
    return _with_state(resource, lambda g: _standard_normal(g, _dims(shape), dtype._np))


@_generator_op("StatefulTruncatedNormal")
def _stateful_truncated_normal(resource, shape, *, dtype):
    return _with_state(resource, lambda g: _truncated_normal(g, _dims(shape), dtype._np))


# ---- argument handling --------------------------------------------------------------------

def _shape_tensor(shape):
    """A shape given as list, tuple, TensorShape or 1-D int tensor -> an int tensor."""
    if isinstance(shape, Tensor):
        return shape
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a "
                             "Tensor.")
        return convert_to_tensor(shape.as_list(), dtype=_dtypes.int32)
    if isinstance(shape, (list, tuple)) and any(is_tensor(d) for d in shape):
        from tensorlite.ops import array as _array
        return _array.stack([_math.cast(to_tensor(d), _dtypes.int32) for d in shape])
    if isinstance(shape, (list, tuple)) and not shape:
        return convert_to_tensor(_NO_DIMS)
    return convert_to_tensor(shape, dtype_hint=_dtypes.int32)


def _accepted(dtype, allowed):
    """`dtype` as a DType, or TensorFlow's ValueError if it is not in `allowed`."""
    dtype = _dtypes.as_dtype(dtype)
    if dtype not in allowed:
        names = ", ".join(repr(d) for d in allowed)
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. "
                         f"Accepted dtypes are ({names}).")
    return dtype


def _require_float(op_type, dtype, *params):
    """A normal draw needs a float dtype. TensorFlow converts the parameters first,
    so a float mean with an integer dtype raises its TypeError."""
    if dtype.is_floating:
        return
    for p in params:
        convert_to_tensor(p, dtype=dtype)
    raise errors.op_error(
        errors.InvalidArgumentError, op_type,
        f"Value for attr 'dtype' of {dtype.name} is not in the list of allowed values: "
        "half, bfloat16, float, double")


def _is_number(value, number):
    return type(value) in (int, float) and value == number


def _scale_shift(rnd, scale, shift, dtype, name):
    """rnd * scale + shift with TF's float conversions; identity parts are skipped, so
    tensor parameters still receive gradients through Mul/AddV2."""
    if not _is_number(scale, 1):
        rnd = _math.multiply(rnd, convert_to_tensor(scale, dtype=dtype))
    if not _is_number(shift, 0):
        rnd = _math.add(rnd, convert_to_tensor(shift, dtype=dtype), name=name)
    return rnd


def _uniform_range(rnd, minval, maxval, dtype, name):
    """Maps a [0, 1) draw onto [minval, maxval)."""
    if maxval is None:
        maxval = 1
    if _is_number(minval, 0):
        return _scale_shift(rnd, maxval, 0, dtype, name)
    lo = convert_to_tensor(minval, dtype=dtype)
    hi = convert_to_tensor(maxval, dtype=dtype)
    return _math.add(_math.multiply(rnd, _math.subtract(hi, lo)), lo, name=name)


def _int_bounds(dtype, minval, maxval, message):
    if maxval is None:
        raise ValueError(message)
    return convert_to_tensor(minval, dtype=dtype), convert_to_tensor(maxval, dtype=dtype)


def _seed_attrs(seed):
    seed1, seed2 = get_seed(seed)
    return {"seed": seed1, "seed2": seed2}


def _stateless_seed(seed):
    seed = to_tensor(seed)
    if seed.dtype not in _SHAPE_DTYPES:
        raise errors.op_error(
            errors.InvalidArgumentError, "StatelessRandomGetKeyCounter",
            f"Value for attr 'Tseed' of {seed.dtype.name} is not in the list of allowed "
            "values: int32, int64")
    return seed


def _normal_draw(opdef, shape, mean, stddev, dtype, seed, name):
    """mean + stddev * a draw of the stateful normal-family op `opdef`."""
    dtype = _dtypes.as_dtype(dtype)
    _require_float(opdef.type, dtype, mean, stddev)
    shape = _shape_tensor(shape)
    attrs = _seed_attrs(seed)
    attrs["dtype"] = dtype
    rnd = execute(opdef, (shape,), attrs)
    return _scale_shift(rnd, stddev, mean, dtype, name)


def _stateless_normal_draw(opdef, shape, seed, mean, stddev, dtype, name):
    """mean + stddev * a draw of the stateless normal-family op `opdef` from `seed`."""
    dtype = _dtypes.as_dtype(dtype)
    _require_float(opdef.type, dtype, mean, stddev)
    rnd = execute(opdef, (_shape_tensor(shape), _stateless_seed(seed)), {"dtype": dtype})
    return _scale_shift(rnd, stddev, mean, dtype, name)


# ---- public: stateful ----------------------------------------------------------------------

def uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Values drawn uniformly from [minval, maxval) (`tf.random.uniform`).

    Floats default to [0, 1); integer dtypes need `maxval`.

    >>> tf.random.uniform([2, 3], maxval=10, dtype=tf.int32)
    """
    dtype = _accepted(dtype, _FLOATS + _INTS)
    shape = _shape_tensor(shape)
    attrs = _seed_attrs(seed)
    if dtype.is_integer:
        lo, hi = _int_bounds(dtype, minval, maxval,
                             f"Must specify maxval for integer dtype {dtype!r}")
        return execute(_random_uniform_int, (shape, lo, hi), attrs, name=name)
    attrs["dtype"] = dtype
    rnd = execute(_random_uniform, (shape,), attrs)
    return _uniform_range(rnd, minval, maxval, dtype, name)


def normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Values from a normal distribution (`tf.random.normal`).

    `mean` and `stddev` may be tensors; gradients flow to them.
    """
    return _normal_draw(_random_standard_normal, shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None,
                     name=None):
    """Normal values, redrawn where more than 2 standard deviations from the mean."""
    return _normal_draw(_random_truncated_normal, shape, mean, stddev, dtype, seed, name)


def _categorical_dtype(dtype):
    return _dtypes.int64 if dtype is None else _accepted(dtype, _INTS)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Samples class indices from each row of `logits` [batch, classes] (unnormalized
    log-probabilities): an int64 tensor [batch, num_samples]."""
    dtype = _categorical_dtype(dtype)
    logits = to_tensor(logits)
    n = convert_to_tensor(num_samples, dtype=_dtypes.int32)
    attrs = _seed_attrs(seed)
    attrs["output_dtype"] = dtype
    return execute(_random_multinomial, (logits, n), attrs, name=name)


def shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted."""
    return execute(_random_shuffle, (to_tensor(value),), _seed_attrs(seed), name=name)


# ---- public: stateless -------------------------------------------------------------------------

def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=_dtypes.float32, name=None,
                      alg="auto_select"):
    """Uniform values that depend only on `seed` (a shape-[2] int tensor).

    For full-range random integers, pass minval=None and maxval=None with an
    integer dtype.
    """
    dtype = _accepted(dtype, _FLOATS + _FULL_INTS)
    shape, seed = _shape_tensor(shape), _stateless_seed(seed)
    if dtype.is_integer:
        if minval is None and maxval is None:
            return execute(_stateless_uniform_full_int, (shape, seed), {"dtype": dtype},
                           name=name)
        lo, hi = _int_bounds(
            dtype, minval, maxval,
            f"For integer `dtype` argument <dtype: '{dtype.name}'>, argument `minval` and "
            f"`maxval` must be both None or not None. Got `minval`={minval} and "
            f"`maxval`={maxval}.")
        return execute(_stateless_uniform_int, (shape, seed, lo, hi), name=name)
    rnd = execute(_stateless_uniform, (shape, seed), {"dtype": dtype})
    return _uniform_range(rnd, minval, maxval, dtype, name)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None,
                     alg="auto_select"):
    """Normal values that depend only on `seed` (a shape-[2] int tensor)."""
    return _stateless_normal_draw(_stateless_normal, shape, seed, mean, stddev, dtype, name)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dtypes.float32,
                               name=None, alg="auto_select"):
    """Truncated normal values (within 2 stddev) that depend only on `seed`."""
    return _stateless_normal_draw(_stateless_truncated_normal, shape, seed, mean, stddev, dtype,
                                  name)


def stateless_categorical(logits, num_samples, seed, dtype=_dtypes.int64, name=None):
    """Class indices sampled from `logits` rows, depending only on `seed`."""
    dtype = _categorical_dtype(dtype)
    n = convert_to_tensor(num_samples, dtype=_dtypes.int32)
    return execute(_stateless_multinomial, (to_tensor(logits), n, _stateless_seed(seed)),
                   {"output_dtype": dtype}, name=name)


def stateless_split(seed, num=2, alg="auto_select"):
    """`num` new stateless seeds (shape [num, 2]) derived from `seed`."""
    seed = _stateless_seed(seed)
    return stateless_uniform([num, 2], seed, minval=None, maxval=None, dtype=seed.dtype)


def stateless_fold_in(seed, data, alg="auto_select"):
    """A new stateless seed from `seed` and an integer `data`."""
    from tensorlite.ops import array as _array
    seed = _stateless_seed(seed)
    data = convert_to_tensor(data, dtype=seed.dtype)
    first = stateless_uniform([], seed, minval=None, maxval=None, dtype=seed.dtype)
    return _array.stack([first, data])


# ---- Generator ----------------------------------------------------------------------------------

_ALGORITHMS = {"philox": 1, "threefry": 2, "auto_select": 3, 1: 1, 2: 2, 3: 3}


def _algorithm(alg):
    if alg is None:
        return 1
    key = alg.lower() if isinstance(alg, str) else getattr(alg, "value", alg)
    if key not in _ALGORITHMS:
        raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are "
                         "'philox', 'threefry' and 'auto_select'.")
    return 1 if _ALGORITHMS[key] == 3 else _ALGORITHMS[key]


def _seed_state(seed):
    """The [counter_lo, counter_hi, key] state of `from_seed(seed)`: the seed is the key."""
    return np.array([0, 0, int(seed) & _UINT64_MASK], dtype=np.uint64).view(np.int64)


class Generator:
    """A random-number generator whose state lives in a variable (`tf.random.Generator`).

    Each draw advances the state, also inside traced functions.

    >>> g = tf.random.Generator.from_seed(1234)
    >>> g.normal(shape=[2, 3])
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("When `copy_from` is not None, neither `state` nor `alg` "
                                 "should be set.")
            state, alg = copy_from.state.numpy(), copy_from.algorithm
        elif state is None:
            raise ValueError("When `copy_from` is None, `state` must be set.")
        self._alg = _algorithm(alg)
        state = np.asarray(state, dtype=np.int64).reshape(-1)
        if state.shape != (3,):
            raise ValueError(f"The state of a Philox generator has 3 elements, got "
                             f"{state.shape[0]}")
        self._state_var = Variable(state, dtype=_dtypes.int64, trainable=False,
                                   name="StateVar")

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose sequence is fixed by the integer `seed`."""
        return cls(state=_seed_state(seed), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from OS entropy."""
        state = np.random.SeedSequence().generate_state(3, np.uint64).view(np.int64)
        return cls(state=state, alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        """A generator starting from `state` ([counter_lo, counter_hi, key])."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a key (shape [1]) and a counter (shape [2])."""
        state = np.concatenate([np.reshape(counter, -1), np.reshape(key, -1)])
        return cls(state=state, alg=alg)

    def reset(self, state):
        """Sets the state."""
        self._state_var.assign(np.asarray(state, dtype=np.int64).reshape(-1))

    def reset_from_seed(self, seed):
        """Restarts the sequence of `from_seed(seed)`."""
        self._state_var.assign(_seed_state(seed))

    @property
    def state(self):
        """The int64 variable [counter_lo, counter_hi, key] holding the state."""
        return self._state_var

    @property
    def algorithm(self):
        return self._alg

    @property
    def key(self):
        return self._state_var.value()[-1]

    def _draw(self, opdef, inputs, attrs=None):
        return execute(opdef, (self._state_var.handle,) + inputs, attrs or {})

    def uniform(self, shape, minval=0, maxval=None, dtype=_dtypes.float32, name=None):
        """Uniform values in [minval, maxval); integers with both bounds None span
        the dtype's full range."""
        dtype = _accepted(dtype, _FLOATS + _FULL_INTS)
        shape = _shape_tensor(shape)
        if dtype.is_integer:
            if minval is None and maxval is None:
                return self.uniform_full_int(shape, dtype)
            if minval is None or maxval is None:
                raise ValueError(f"For integer dtype <dtype: '{dtype.name}'>, minval and "
                                 "maxval must be both `None` or both non-`None`; got "
                                 f"minval={minval} and maxval={maxval}")
            lo = convert_to_tensor(minval, dtype=dtype)
            hi = convert_to_tensor(maxval, dtype=dtype)
            return self._draw(_stateful_uniform_int, (shape, lo, hi))
        rnd = self._draw(_stateful_uniform, (shape,), {"dtype": dtype})
        return _uniform_range(rnd, minval, maxval, dtype, name)

    def uniform_full_int(self, shape, dtype=_dtypes.uint64, name=None):
        """Integers uniform over the whole range of `dtype`."""
        dtype = _accepted(dtype, _FULL_INTS)
        return self._draw(_stateful_uniform_full_int, (_shape_tensor(shape),),
                          {"dtype": dtype})

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        """Normal values."""
        dtype = _dtypes.as_dtype(dtype)
        _require_float("StatefulStandardNormalV2", dtype, mean, stddev)
        rnd = self._draw(_stateful_normal, (_shape_tensor(shape),), {"dtype": dtype})
        return _scale_shift(rnd, stddev, mean, dtype, name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32,
                         name=None):
        """Normal values within 2 standard deviations of the mean."""
        dtype = _dtypes.as_dtype(dtype)
        _require_float("StatefulTruncatedNormal", dtype, mean, stddev)
        rnd = self._draw(_stateful_truncated_normal, (_shape_tensor(shape),),
                         {"dtype": dtype})
        return _scale_shift(rnd, stddev, mean, dtype, name)

    def make_seeds(self, count=1):
        """`count` seeds for stateless ops: an int64 tensor [2, count]."""
        from tensorlite.ops import array as _array
        keys = self.uniform_full_int([count], _dtypes.int64)
        return _array.stack([keys, _array.zeros_like(keys)])

    def split(self, count=1):
        """`count` new generators with states derived from (and advancing) this one."""
        keys = self.uniform_full_int([count], _dtypes.int64).numpy()
        return [Generator(state=[0, 0, k], alg=self._alg) for k in keys]


_global_generator = None


def get_global_generator():
    """The global `Generator` (created from OS entropy on first use)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator):
    """Replaces the global `Generator`."""
    global _global_generator
    _global_generator = generator
