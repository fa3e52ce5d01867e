"""`keras.initializers`: the starting values of weights.

An initializer is called as `initializer(shape, dtype=None)` and returns a
tensor. Random initializers follow Keras 3's seeding: each instance owns an
integer seed (given, or drawn from Python's `random` when it is created, so
`keras.utils.set_random_seed` makes them reproducible) and draws with the
stateless tf.random ops, so calling one instance twice gives the same values.

>>> keras.initializers.GlorotUniform(seed=42)((2, 3))
"""
import math
import random as _pyrandom

import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.saving import serialization

_MODULE = "keras.initializers"
ALL_OBJECTS_DICT = {}
_builtin = serialization.builtin_registrar(_MODULE, ALL_OBJECTS_DICT)


def _dtype(dtype):
    return tf.as_dtype(dtype if dtype is not None else backend.floatx())


def _shape(shape):
    """A shape argument as a tuple of Python ints."""
    if isinstance(shape, tf.TensorShape):
        return tuple(shape.as_list())
    return tuple(int(d) for d in shape)


class Initializer:
    """Base class of initializers: subclasses implement `__call__(shape, dtype=None)`."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


@_builtin
class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype=None):
        return tf.zeros(_shape(shape), dtype=_dtype(dtype))


@_builtin
class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None):
        return tf.ones(_shape(shape), dtype=_dtype(dtype))


@_builtin
class Constant(Initializer):
    """Every element set to `value` (a scalar, or a value broadcastable to the shape)."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        return tf.cast(self.value, dtype) * tf.ones(_shape(shape), dtype=dtype)

    def get_config(self):
        return {"value": serialization.serialize_keras_object(self.value)}


@_builtin
class Identity(Initializer):
    """`gain` times the identity matrix (2D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return self.gain * tf.eye(*shape, dtype=_dtype(dtype))


class RandomInitializer(Initializer):
    """An initializer that draws random values from its own seed."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = _pyrandom.randint(1, int(1e9))
        elif isinstance(seed, dict):
            seed = serialization.deserialize_keras_object(seed)
        elif isinstance(seed, bool) or not (isinstance(seed, int) or hasattr(seed, "next")):
            raise ValueError("`seed` argument should be an instance of "
                             "`keras.random.SeedGenerator()` or an integer. "
                             f"Received: seed={seed}")
        self.seed = seed

    def _stateless_seed(self):
        """The [2]-shaped seed of the next draw: fixed for an int seed, advanced by a
        SeedGenerator."""
        if isinstance(self.seed, int):
            return tf.constant([self.seed, 0], dtype=tf.int32)
        return self.seed.next()

    def get_config(self):
        return {"seed": serialization.serialize_keras_object(self._init_seed)}


@_builtin
class RandomNormal(RandomInitializer):
    """Values from a normal distribution N(mean, stddev**2)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return tf.random.stateless_normal(_shape(shape), self._stateless_seed(), mean=self.mean,
                                          stddev=self.stddev, dtype=_dtype(dtype))

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_builtin
class TruncatedNormal(RandomInitializer):
    """Normal values redrawn when more than two standard deviations from the mean."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return tf.random.stateless_truncated_normal(
            _shape(shape), self._stateless_seed(), mean=self.mean, stddev=self.stddev,
            dtype=_dtype(dtype))

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_builtin
class RandomUniform(RandomInitializer):
    """Values drawn uniformly from [minval, maxval) (integers for an integer dtype)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return tf.random.stateless_uniform(_shape(shape), self._stateless_seed(),
                                           minval=self.minval, maxval=self.maxval,
                                           dtype=_dtype(dtype))

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) of a weight shape: a Dense kernel is [fan_in, fan_out]; a
    convolution kernel multiplies both by its receptive field (all but the last two dims).
    `input_axes`/`output_axes` name the axes whose sizes multiply into each fan instead."""
    shape = tuple(shape)
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field = math.prod(shape[:-2])
        fan_in = shape[-2] * receptive_field
        fan_out = shape[-1] * receptive_field
    if input_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
    if output_axes is not None:
        fan_out = math.prod(shape[a] for a in output_axes)
    return int(fan_in), int(fan_out)


@_builtin
class VarianceScaling(RandomInitializer):
    """Random values whose variance is `scale / n`, n the fan-in, fan-out or their mean.

    distribution: "truncated_normal" (stddev corrected for the truncation),
    "untruncated_normal" or "uniform" (within +-sqrt(3 * scale / n)).
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("uniform", "truncated_normal", "untruncated_normal")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in self._MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of "
                             f"{set(self._MODES)}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution}."
                             f"Please use one of {set(self._DISTRIBUTIONS)}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape, dtype = _shape(shape), _dtype(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        seed = self._stateless_seed()
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a standard normal truncated to (-2, 2)
            stddev = math.sqrt(scale) / 0.87962566103423978
            return tf.random.stateless_truncated_normal(shape, seed, stddev=stddev, dtype=dtype)
        if self.distribution == "untruncated_normal":
            return tf.random.stateless_normal(shape, seed, stddev=math.sqrt(scale), dtype=dtype)
        limit = math.sqrt(3.0 * scale)
        return tf.random.stateless_uniform(shape, seed, minval=-limit, maxval=limit, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling preset: only the seed and fan axes are configurable."""

    _PRESET = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes,
                         **self._PRESET)

    def get_config(self):
        return {"seed": serialization.serialize_keras_object(self._init_seed),
                "input_axes": self.input_axes, "output_axes": self.output_axes}


@_builtin
class GlorotUniform(_FixedVarianceScaling):
    """Uniform in +-sqrt(6 / (fan_in + fan_out)) (Xavier uniform; Keras's default kernel)."""

    _PRESET = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


@_builtin
class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    _PRESET = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


@_builtin
class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(1 / fan_in) (for SELU)."""

    _PRESET = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


@_builtin
class LecunUniform(_FixedVarianceScaling):
    """Uniform in +-sqrt(3 / fan_in)."""

    _PRESET = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


@_builtin
class HeNormal(_FixedVarianceScaling):
    """Truncated normal with stddev sqrt(2 / fan_in) (for ReLU and ELU)."""

    _PRESET = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


@_builtin
class HeUniform(_FixedVarianceScaling):
    """Uniform in +-sqrt(6 / fan_in)."""

    _PRESET = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


@_builtin
class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (times `gain`), from the QR decomposition of a normal
    draw; shapes of rank > 2 are flattened to (prod(shape[:-1]), shape[-1])."""

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape, dtype = _shape(shape), _dtype(dtype)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat_shape = (max(rows, cols), min(rows, cols))
        a = tf.random.stateless_normal(flat_shape, self._stateless_seed(), dtype=dtype)
        q, r = tf.linalg.qr(a)
        # make the decomposition unique (and the distribution uniform): diag(r) > 0
        q = q * tf.sign(tf.linalg.diag_part(r))
        if rows < cols:
            q = tf.transpose(q)
        return self.gain * tf.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


# Keras's function-style spellings and string aliases
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
he_normal = HeNormal
he_uniform = HeUniform
orthogonal = Orthogonal
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal

ALL_OBJECTS_DICT.update({
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "identity": Identity, "IdentityInitializer": Identity, "random_normal": RandomNormal,
    "normal": RandomNormal, "random_uniform": RandomUniform, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform, "he_normal": HeNormal,
    "he_uniform": HeUniform, "orthogonal": Orthogonal, "OrthogonalInitializer": Orthogonal,
})


def serialize(initializer):
    """Keras's serialization dict of an initializer."""
    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """The initializer a `serialize` result (or a name) describes."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """An initializer from a name ("he_normal"), a serialized dict, a class, an instance or
    any callable `fn(shape, dtype=None)`; None stays None."""
    return serialization.get_from_identifier(identifier, "initializer", ALL_OBJECTS_DICT)
