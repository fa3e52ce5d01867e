"""Categorical preprocessing layers: Discretization, CategoryEncoding, StringLookup,
IntegerLookup and Hashing (Keras 3 behaviour on TensorFlow).

The layers run on tensors with tf ops. The TensorFlow kernels they need are
registered here under TF's op names: "Bucketize" (bin index of each value),
"LookupTableFindV2" (vocabulary lookup in a static hash table),
"StringToHashBucketFast" (FarmHash Fingerprint64 of a string modulo a bucket
count) and "StringToHashBucketStrong" (keyed SipHash-2-4), plus "CrossHashed"
for HashedCrossing. Should the string-op family register the two string hashes
itself, its records are used.
"""
import collections

import numpy as np

import tensorlite as tf
from tensorlite.framework import errors
from tensorlite.framework import op_registry
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin
from tensorlite.ops import strings as _strings  # imported first: its op records win

_MASK64 = (1 << 64) - 1
_K0 = 0xc3a5c85c97cb3127
_K1 = 0xb492b66fbe98f273
_K2 = 0x9ae16a3b2f90404f


# ---- FarmHash Fingerprint64 (farmhashna::Hash64), on Python ints masked to 64 bits ---------

def _fetch64(s, i):
    return int.from_bytes(s[i:i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i:i + 4], "little")


def _rotate(v, shift):
    return v if shift == 0 else ((v >> shift) | (v << (64 - shift))) & _MASK64


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK64
    b ^= b >> 47
    return (b * mul) & _MASK64


def _hash_len0to16(s):
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _MASK64
        b = _fetch64(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK64
        d = ((_rotate(a, 25) + b) * mul) & _MASK64
        return _hash_len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _fetch32(s, 0)
        return _hash_len16(n + (a << 3), _fetch32(s, n - 4), mul)
    if n > 0:
        y = (s[0] + (s[n >> 1] << 8)) & 0xffffffff
        z = (n + (s[n - 1] << 2)) & 0xffffffff
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK64) * _K2) & _MASK64
    return _K2


def _hash_len17to32(s):
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K1) & _MASK64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _MASK64
    d = (_fetch64(s, n - 16) * _K2) & _MASK64
    return _hash_len16((_rotate((a + b) & _MASK64, 43) + _rotate(c, 30) + d) & _MASK64,
                       (a + _rotate((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)


def _hash_len33to64(s):
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K2) & _MASK64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _MASK64
    d = (_fetch64(s, n - 16) * _K2) & _MASK64
    y = (_rotate((a + b) & _MASK64, 43) + _rotate(c, 30) + d) & _MASK64
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)
    e = (_fetch64(s, 16) * mul) & _MASK64
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & _MASK64
    h = ((z + _fetch64(s, n - 24)) * mul) & _MASK64
    return _hash_len16((_rotate((e + f) & _MASK64, 43) + _rotate(g, 30) + h) & _MASK64,
                       (e + _rotate((f + a) & _MASK64, 18) + g) & _MASK64, mul)


def _weak_hash32(s, i, a, b):
    """The (first, second) pair of a 32-byte block at s[i:], seeded with a and b."""
    w, x, y, z = _fetch64(s, i), _fetch64(s, i + 8), _fetch64(s, i + 16), _fetch64(s, i + 24)
    a = (a + w) & _MASK64
    b = _rotate((b + a + z) & _MASK64, 21)
    c = a
    a = (a + x + y) & _MASK64
    b = (b + _rotate(a, 44)) & _MASK64
    return (a + z) & _MASK64, (b + c) & _MASK64


def fingerprint64(s):
    """FarmHash Fingerprint64 of the bytes `s` (TensorFlow's string fingerprint)."""
    n = len(s)
    if n <= 16:
        return _hash_len0to16(s)
    if n <= 32:
        return _hash_len17to32(s)
    if n <= 64:
        return _hash_len33to64(s)
    seed = 81
    y = (seed * _K1 + 113) & _MASK64
    z = (_shift_mix((y * _K2 + 113) & _MASK64) * _K2) & _MASK64
    v0 = v1 = w0 = w1 = 0
    x = (seed * _K2 + _fetch64(s, 0)) & _MASK64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v0 + _fetch64(s, i + 8)) & _MASK64, 37) * _K1) & _MASK64
        y = (_rotate((y + v1 + _fetch64(s, i + 48)) & _MASK64, 42) * _K1) & _MASK64
        x ^= w1
        y = (y + v0 + _fetch64(s, i + 40)) & _MASK64
        z = (_rotate((z + w0) & _MASK64, 33) * _K1) & _MASK64
        v0, v1 = _weak_hash32(s, i, (v1 * _K1) & _MASK64, (x + w0) & _MASK64)
        w0, w1 = _weak_hash32(s, i + 32, (z + w1) & _MASK64, (y + _fetch64(s, i + 16)) & _MASK64)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xff) << 1)
    i = last64
    w0 = (w0 + ((n - 1) & 63)) & _MASK64
    v0 = (v0 + w0) & _MASK64
    w0 = (w0 + v0) & _MASK64
    x = (_rotate((x + y + v0 + _fetch64(s, i + 8)) & _MASK64, 37) * mul) & _MASK64
    y = (_rotate((y + v1 + _fetch64(s, i + 48)) & _MASK64, 42) * mul) & _MASK64
    x ^= (w1 * 9) & _MASK64
    y = (y + v0 * 9 + _fetch64(s, i + 40)) & _MASK64
    z = (_rotate((z + w0) & _MASK64, 33) * mul) & _MASK64
    v0, v1 = _weak_hash32(s, i, (v1 * mul) & _MASK64, (x + w0) & _MASK64)
    w0, w1 = _weak_hash32(s, i + 32, (z + w1) & _MASK64, (y + _fetch64(s, i + 16)) & _MASK64)
    z, x = x, z
    return _hash_len16((_hash_len16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _MASK64,
                       (_hash_len16(v1, w1, mul) + x) & _MASK64, mul)


# ---- SipHash-2-4 (TensorFlow's keyed "strong" string hash) -------------------------------

def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & _MASK64
    v1 = _rotate(v1, 51) ^ v0  # rotate left 13 == rotate right 51
    v0 = _rotate(v0, 32)
    v2 = (v2 + v3) & _MASK64
    v3 = _rotate(v3, 48) ^ v2
    v0 = (v0 + v3) & _MASK64
    v3 = _rotate(v3, 43) ^ v0
    v2 = (v2 + v1) & _MASK64
    v1 = _rotate(v1, 47) ^ v2
    v2 = _rotate(v2, 32)
    return v0, v1, v2, v3


def siphash24(key0, key1, s):
    """SipHash-2-4 of the bytes `s` under the 128-bit key (key0, key1)."""
    v0 = key0 ^ 0x736f6d6570736575
    v1 = key1 ^ 0x646f72616e646f6d
    v2 = key0 ^ 0x6c7967656e657261
    v3 = key1 ^ 0x7465646279746573
    n = len(s)
    full = n - n % 8
    blocks = [_fetch64(s, i) for i in range(0, full, 8)]
    # the last block holds the remaining bytes and the length in its top byte
    blocks.append(int.from_bytes(s[full:], "little") | ((n & 0xff) << 56))
    for m in blocks:
        v3 ^= m
        for _ in range(2):
            v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0 ^= m
    v2 ^= 0xff
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


# ---- kernels ------------------------------------------------------------------------------

def _tf_op(type_, **kwargs):
    """`@op(type_, ...)`, unless the op family that owns `type_` registered it already."""
    def register(kernel):
        existing = op_registry.REGISTRY.get(type_)
        return existing if existing is not None else op(type_, **kwargs)(kernel)
    return register


def _as_bytes(value):
    return value.encode() if isinstance(value, str) else bytes(value)


def _same_shape(dtype):
    return lambda x, *rest, **attrs: (dtype, x.shape)


@_tf_op("StringToHashBucketFast", shape=_same_shape(tf.int64), differentiable=False)
def _string_to_hash_bucket_fast(string_tensor, *, num_buckets):
    flat = np.asarray(string_tensor, dtype=object).ravel()
    out = np.fromiter((fingerprint64(_as_bytes(s)) % num_buckets for s in flat),
                      dtype=np.int64, count=flat.size)
    return out.reshape(np.shape(string_tensor))


@_tf_op("StringToHashBucketStrong", shape=_same_shape(tf.int64), differentiable=False)
def _string_to_hash_bucket_strong(input, *, num_buckets, key):  # noqa: A002
    k0, k1 = (int(k) & _MASK64 for k in key)
    flat = np.asarray(input, dtype=object).ravel()
    out = np.fromiter((siphash24(k0, k1, _as_bytes(s)) % num_buckets for s in flat),
                      dtype=np.int64, count=flat.size)
    return out.reshape(np.shape(input))


_CROSS_MUL = 0xc6a4a7935bd1e995
_CROSS_SEED = 0xDECAFCAFFE  # TF's default hash_key of a hashed cross


def _fingerprint_cat64(fp1, fp2):
    """TF's FingerprintCat64: combines two 64-bit fingerprints, order-dependent."""
    result = fp1 ^ _CROSS_MUL
    result ^= (_shift_mix((fp2 * _CROSS_MUL) & _MASK64) * _CROSS_MUL) & _MASK64
    result = (result * _CROSS_MUL) & _MASK64
    result = (_shift_mix(result) * _CROSS_MUL) & _MASK64
    return _shift_mix(result)


def _feature_fingerprint(value):
    # strings by Fingerprint64, integers by their own 64-bit pattern
    if isinstance(value, (bytes, str)):
        return fingerprint64(_as_bytes(value))
    return int(value) & _MASK64


def _cross_shape(*features, num_buckets, hash_key):
    return tf.int64, features[0].shape


@op("CrossHashed", shape=_cross_shape, differentiable=False)
def _cross_hashed(*features, num_buckets, hash_key):
    # The dense, one-value-per-row case of TF's SparseCrossHashed: element i of the
    # output hashes the tuple (features[0][i], features[1][i], ...).
    flats = [np.asarray(f, dtype=object).ravel().tolist() for f in features]
    out = np.empty(len(flats[0]), dtype=np.int64)
    for i, row in enumerate(zip(*flats)):
        h = hash_key
        for value in row:
            h = _fingerprint_cat64(h, _feature_fingerprint(value))
        out[i] = h % num_buckets
    return out.reshape(np.shape(features[0]))


def _bucketize_shape(x, *, boundaries):
    return tf.int32, x.shape


@op("Bucketize", shape=_bucketize_shape, differentiable=False)
def _bucketize(input, *, boundaries):  # noqa: A002
    # bucket i holds boundaries[i-1] <= x < boundaries[i]
    return np.searchsorted(np.asarray(boundaries, dtype=np.float64),
                           np.asarray(input, dtype=np.float64), side="right").astype(np.int32)


class _StaticTable:
    """An immutable key -> value table (TF's StaticHashTable), hashed by identity."""

    def __init__(self, keys, values, value_dtype):
        self.mapping = dict(zip(keys, values))
        self.value_dtype = value_dtype


def _lookup_shape(keys, default_value, *, table):
    return table.value_dtype, keys.shape


@op("LookupTableFindV2", shape=_lookup_shape, differentiable=False)
def _lookup_table_find(keys, default_value, *, table):
    get = table.mapping.get
    default = default_value.item() if hasattr(default_value, "item") else default_value
    flat = np.asarray(keys).ravel()
    out = np.empty(flat.size, dtype=table.value_dtype.as_numpy_dtype)
    out[:] = [get(k, default) for k in flat.tolist()]
    return out.reshape(np.shape(keys))


# ---- shared helpers -----------------------------------------------------------------------

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def _check_output_mode(output_mode, allowed=_OUTPUT_MODES):
    if output_mode not in allowed:
        raise ValueError(f"Unknown arg for output_mode: {output_mode}")


def _encode(ids, depth, output_mode, dtype):
    """Integer ids as one-hot rows, or one multi-hot / count row per sample (last axis)."""
    if output_mode == "one_hot":
        if ids.shape.rank is not None and ids.shape.rank > 1 and ids.shape[-1] == 1:
            ids = tf.squeeze(ids, axis=-1)
        return tf.one_hot(ids, depth, dtype=dtype)
    hot = tf.one_hot(ids, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return tf.reduce_max(hot, axis=-2)
    return tf.reduce_sum(hot, axis=-2)


def _batches(data, steps=None):
    """The NumPy arrays `adapt` learns from: one for an array/tensor, else one per batch."""
    if isinstance(data, (list, tuple, np.ndarray, tf.Tensor)) or hasattr(data, "__array__"):
        yield np.asarray(data)
        return
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        yield np.asarray(batch)


# ---- Discretization -----------------------------------------------------------------------

def _summarize(values, epsilon):
    """An approximate quantile summary: every k-th sorted value with weight k (k ~ n*eps)."""
    # float32 like the layer's inputs, so the learned boundaries round as Keras's do
    values = np.sort(np.ravel(values).astype(np.float32))
    increment = values.size / (1.0 / epsilon)
    step = max(increment, 1)
    picked = values[int(increment)::int(step)]
    return np.stack([picked, np.full(picked.shape, step, dtype=np.float32)])


def _compress_summary(summary, epsilon):
    """Re-buckets a summary to about 1/epsilon points by interpolating its weight CDF."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_percents, summary[0])
    new_cum = np.interp(percents, cum_percents, cum_weights)
    new_weights = new_cum - np.concatenate(([0.0], new_cum[:-1]))
    return np.stack((new_bins, new_weights)).astype(np.float32)


def _merge_summaries(first, second, epsilon):
    merged = np.concatenate((first, second), axis=1)
    merged = merged[:, np.argsort(merged[0], kind="stable")]
    return _compress_summary(merged, epsilon)


@register_builtin("keras.layers")
class Discretization(Layer):
    """Buckets continuous values by `bin_boundaries` (or `num_bins` quantiles from `adapt`).

    >>> tf.keras.layers.Discretization(bin_boundaries=[0., 1.])(tf.constant([-1., 0.5, 2.]))
    <tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 1, 2], dtype=int32)>
    """

    def __init__(self, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None, bin_boundaries=None):
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError("`sparse=True` is not supported: outputs are dense tensors.")
        _check_output_mode(output_mode)
        if num_bins is not None and num_bins < 0:
            raise ValueError("`num_bins` must be greater than or equal to 0. "
                             f"Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. "
                             f"Received: `num_bins={num_bins}` and "
                             f"`bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.bin_boundaries = None if bin_boundaries is None else \
            [float(b) for b in bin_boundaries]
        self._summary = None

    def adapt(self, data, batch_size=None, steps=None):
        """Learns `num_bins - 1` boundaries splitting `data` into equal-count bins."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        summary = None
        for batch in _batches(data, steps):
            part = _summarize(batch, self.epsilon)
            summary = part if summary is None else \
                _merge_summaries(summary, part, self.epsilon)
        if summary is None:
            raise ValueError("`adapt()` received no data.")
        self._summary = summary
        self.bin_boundaries = _compress_summary(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can "
                             "start using the `Discretization` layer.")
        inputs = tf.convert_to_tensor(inputs)
        ids = execute(_bucketize, (inputs,), {"boundaries": tuple(self.bin_boundaries)})
        if self.output_mode == "int":
            return ids
        return _encode(ids, len(self.bin_boundaries) + 1, self.output_mode, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}


# ---- CategoryEncoding ---------------------------------------------------------------------

@register_builtin("keras.layers")
class CategoryEncoding(Layer):
    """Integer category ids in [0, num_tokens) as one-hot, multi-hot or count vectors.

    >>> tf.keras.layers.CategoryEncoding(num_tokens=3, output_mode="one_hot")([0, 2])
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of "
                             "tokens is not known beforehand, use the IntegerLookup layer "
                             "instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        _check_output_mode(output_mode, ("one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError("`sparse=True` is not supported: outputs are dense tensors.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        inputs = tf.convert_to_tensor(inputs)
        if inputs.dtype.is_floating:
            inputs = tf.cast(inputs, tf.int64)
        if count_weights is None:
            return _encode(inputs, self.num_tokens, self.output_mode, self.compute_dtype)
        hot = tf.one_hot(inputs, self.num_tokens, dtype=self.compute_dtype)
        weights = tf.cast(count_weights, self.compute_dtype)
        return tf.reduce_sum(hot * tf.expand_dims(weights, -1), axis=-2)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if self.output_mode == "one_hot" and len(shape) > 1 and shape[-1] == 1:
            return tuple(shape[:-1]) + (self.num_tokens,)
        if self.output_mode == "one_hot":
            return tuple(shape) + (self.num_tokens,)
        return tuple(shape[:-1]) + (self.num_tokens,)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}


# ---- StringLookup / IntegerLookup ---------------------------------------------------------

class _IndexLookup(Layer):
    """Maps vocabulary terms to indices (or back, with `invert=True`).

    Index layout: [mask_token] + [oov_token] * num_oov_indices + vocabulary.
    Out-of-vocabulary terms go to one of the OOV indices (by hash for strings, by
    value modulo num_oov_indices for integers).
    """

    _key_dtype = None

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                 invert, output_mode, pad_to_max_tokens, sparse, **kwargs):
        kwargs.pop("vocabulary_size", None)  # informational entry of get_config()
        super().__init__(**kwargs)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If set, `max_tokens` must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        _check_output_mode(output_mode)
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. "
                             f"Received: output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` is not supported: outputs are dense tensors.")
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.output_mode = output_mode
        self.pad_to_max_tokens = pad_to_max_tokens
        self.sparse = sparse
        self._vocabulary = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)

    # Subclasses define the host-side term conversions `_key(token)` (a hashable key of
    # the table's dtype) and `_token(key)` (the term as get_vocabulary returns it), and the
    # tensor-side `_keys_tensor(inputs)` and `_oov_indices(keys)`.

    def _special_tokens(self):
        mask = [] if self.mask_token is None else [self._token(self._key(self.mask_token))]
        return mask + [self._token(self._key(self.oov_token))] * self.num_oov_indices

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, array, tensor or the path of a one-term-per-line file)."""
        if idf_weights is not None:
            raise ValueError("`idf_weights` apply only to output_mode='tf_idf'.")
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line.rstrip("\n") for line in f]
        keys = [self._key(t) for t in np.asarray(vocabulary).ravel().tolist()]
        specials = set(self._key(t) for t in (self.mask_token, self.oov_token) if t is not None)
        # a vocabulary saved by get_vocabulary() starts with the special tokens
        while keys and keys[0] in specials:
            keys = keys[1:]
        repeated = [k for k, n in collections.Counter(keys).items() if n > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please "
                             "uniquify your dataset. The repeated terms are: "
                             f"{[self._token(k) for k in repeated]}")
        if self.max_tokens is not None and len(keys) + len(self._special_tokens()) > \
                self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab "
                             f"size. Received vocabulary size is {len(keys)}; `max_tokens` "
                             f"is {self.max_tokens}.")
        self._set_keys(keys)

    def _set_keys(self, keys):
        self._vocabulary = keys
        offset = len(self._special_tokens())
        indices = list(range(offset, offset + len(keys)))
        self._forward = _StaticTable(keys, indices, tf.int64)
        self._inverse = _StaticTable(indices, keys, self._key_dtype)

    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from `data`: terms by decreasing frequency."""
        counts = collections.Counter()
        for batch in _batches(data, steps):
            counts.update(self._key(t) for t in np.ravel(batch).tolist())
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(self._key(special), None)
        # most frequent first; ties: larger term first
        ordered = sorted(counts, key=lambda k: (counts[k], k), reverse=True)
        if self.max_tokens is not None:
            ordered = ordered[:max(self.max_tokens - len(self._special_tokens()), 0)]
        self._set_keys(ordered)

    def get_vocabulary(self, include_special_tokens=True):
        """The terms in index order (special tokens first unless excluded)."""
        vocab = [self._token(k) for k in (self._vocabulary or [])]
        if include_special_tokens:
            return self._special_tokens() + vocab
        return vocab

    def vocabulary_size(self):
        """The number of indices the layer outputs (vocabulary plus special tokens)."""
        return len(self._special_tokens()) + len(self._vocabulary or [])

    def _check_ready(self):
        if self._vocabulary is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode!r}` and "
                               "`vocabulary` is not set, you must call `adapt()` first, "
                               "or pass a vocabulary.")

    def call(self, inputs):
        self._check_ready()
        if self.invert:
            return self._lookup_tokens(inputs)
        keys = self._keys_tensor(inputs)
        ids = execute(_lookup_table_find, (keys, tf.constant(-1, tf.int64)),
                      {"table": self._forward})
        missing = tf.equal(ids, -1)
        if self.num_oov_indices == 0:
            # checked eagerly only: a traced graph has no value to test
            if tf.executing_eagerly() and bool(tf.reduce_any(missing)):
                raise errors.op_error(
                    errors.InvalidArgumentError, "LookupTableFindV2",
                    "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                    "values, consider setting `num_oov_indices=1`.")
        else:
            offset = 0 if self.mask_token is None else 1
            ids = tf.where(missing, self._oov_indices(keys) + offset, ids)
        if self.mask_token is not None:
            mask = tf.equal(keys, tf.constant(self._key(self.mask_token), keys.dtype))
            ids = tf.where(mask, tf.zeros_like(ids), ids)
        if self.output_mode == "int":
            return ids
        return _encode(ids, self._encoded_depth(), self.output_mode, tf.int64)

    def _encoded_depth(self):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        return self.vocabulary_size()

    def _lookup_tokens(self, inputs):
        ids = tf.cast(tf.convert_to_tensor(inputs), tf.int64)
        default = tf.constant(self._key(self.oov_token), self._key_dtype)
        tokens = execute(_lookup_table_find, (ids, default), {"table": self._inverse})
        if self.mask_token is not None:
            mask = tf.constant(self._key(self.mask_token), self._key_dtype)
            tokens = tf.where(tf.equal(ids, 0), tf.fill(tf.shape(ids), mask), tokens)
        return tokens

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        return CategoryEncoding(self._encoded_depth() or 1, output_mode=self.output_mode) \
            .compute_output_shape(input_shape)

    def get_config(self):
        vocab = self.get_vocabulary(include_special_tokens=False)
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode,
                "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary": [v.item() if hasattr(v, "item") else v for v in vocab] or None,
                "vocabulary_size": self.vocabulary_size()}


@register_builtin("keras.layers")
class StringLookup(_IndexLookup):
    """Maps strings to integer indices from a vocabulary (given or learned with `adapt`).

    >>> layer = tf.keras.layers.StringLookup(vocabulary=["a", "b"])
    >>> layer(tf.constant(["a", "z"]))   # [1, 0]: index 0 is the OOV token "[UNK]"
    """

    _key_dtype = tf.string

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 **kwargs):
        if idf_weights is not None:
            raise ValueError("`idf_weights` apply only to output_mode='tf_idf'.")
        self.encoding = encoding
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         invert, output_mode, pad_to_max_tokens, sparse, name=name, **kwargs)

    def _key(self, token):
        return token.encode(self.encoding) if isinstance(token, str) else bytes(token)

    def _token(self, key):
        return np.str_(key.decode(self.encoding))

    def _special_tokens(self):
        # Keras returns the special tokens as plain Python strings
        return [str(t) for t in super()._special_tokens()]

    def _keys_tensor(self, inputs):
        keys = tf.convert_to_tensor(inputs)
        if keys.dtype != tf.string:
            raise ValueError(f"StringLookup expects string inputs, got dtype {keys.dtype.name}.")
        return keys

    def _oov_indices(self, keys):
        return execute(_string_to_hash_bucket_fast, (keys,),
                       {"num_buckets": self.num_oov_indices})

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}


@register_builtin("keras.layers")
class IntegerLookup(_IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (given or learned with `adapt`).

    >>> tf.keras.layers.IntegerLookup(vocabulary=[12, 36])(tf.constant([36, 7]))   # [2, 0]
    """

    _key_dtype = tf.int64

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 output_mode="int", sparse=False, vocabulary=None, vocabulary_dtype="int64",
                 idf_weights=None, invert=False, pad_to_max_tokens=False, name=None,
                 **kwargs):
        if idf_weights is not None:
            raise ValueError("`idf_weights` apply only to output_mode='tf_idf'.")
        if vocabulary_dtype != "int64":
            raise ValueError("`vocabulary_dtype` must be 'int64'. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         invert, output_mode, pad_to_max_tokens, sparse, name=name, **kwargs)

    def _key(self, token):
        return int(token)

    def _token(self, key):
        return np.int64(key)

    def _special_tokens(self):
        return [int(t) for t in super()._special_tokens()]

    def _keys_tensor(self, inputs):
        keys = tf.convert_to_tensor(inputs)
        if not keys.dtype.is_integer:
            raise ValueError("IntegerLookup expects integer inputs, got dtype "
                             f"{keys.dtype.name}.")
        return tf.cast(keys, tf.int64)

    def _oov_indices(self, keys):
        return tf.math.floormod(keys, tf.constant(self.num_oov_indices, tf.int64))

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}


# ---- Hashing ------------------------------------------------------------------------------

@register_builtin("keras.layers")
class Hashing(Layer):
    """Hashes strings (or integers, via their decimal text) into `num_bins` bins with
    FarmHash Fingerprint64, as `tf.strings.to_hash_bucket_fast`; with a `salt` (an int or
    two ints) with keyed SipHash-2-4, as `tf.strings.to_hash_bucket_strong`.

    With `mask_value`, that value maps to bin 0 and the others to bins 1..num_bins-1.
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        kwargs.setdefault("dtype", "int64" if output_mode == "int" else None)
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        _check_output_mode(output_mode)
        if sparse:
            raise ValueError("`sparse=True` is not supported: outputs are dense tensors.")
        if isinstance(salt, int) and not isinstance(salt, bool):
            salt = [salt, salt]
        elif salt is not None and not (isinstance(salt, (list, tuple)) and len(salt) == 2
                                       and all(isinstance(k, int) for k in salt)):
            raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size 2 "
                             f"integers, or a single integer. Received: salt={salt}.")
        self.salt = None if salt is None else list(salt)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs)
        text = inputs
        if inputs.dtype != tf.string:
            # float inputs arrive cast to the layer's int64 dtype, as in Keras
            text = _strings.as_string(inputs)
        if self.mask_value is None:
            ids = self._hash(text, self.num_bins)
        else:
            ids = self._hash(text, self.num_bins - 1) + 1
            mask = tf.equal(inputs, tf.constant(self.mask_value, inputs.dtype))
            ids = tf.where(mask, tf.zeros_like(ids), ids)
        if self.output_mode == "int":
            return ids
        return _encode(ids, self.num_bins, self.output_mode, "float32")

    def _hash(self, text, num_buckets):
        if self.salt is None:
            return execute(_string_to_hash_bucket_fast, (text,), {"num_buckets": num_buckets})
        return execute(_string_to_hash_bucket_strong, (text,),
                       {"num_buckets": num_buckets, "key": tuple(self.salt)})

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        return CategoryEncoding(self.num_bins, output_mode=self.output_mode) \
            .compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}


@register_builtin("keras.layers")
class HashedCrossing(Layer):
    """Crosses features (a tuple of same-shape string/integer tensors) by hashing each
    combination into `num_bins` bins, as `tf.sparse.cross_hashed` does.

    >>> tf.keras.layers.HashedCrossing(num_bins=1000)((tf.constant(["A"]), tf.constant([101])))
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if dtype is None:
            dtype = "int64" if output_mode == "int" else None
        super().__init__(name=name, dtype=dtype, **kwargs)
        _check_output_mode(output_mode, ("int", "one_hot"))
        if sparse:
            raise ValueError("`sparse=True` is not supported: outputs are dense tensors.")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs):
        if not isinstance(inputs, (tuple, list)) or len(inputs) < 2:
            raise ValueError("`HashedCrossing` should be called on a list or tuple of "
                             f"inputs with at least two inputs. Received: inputs={inputs}")
        features = [tf.convert_to_tensor(x) for x in inputs]
        shape = features[0].shape
        for x in features:
            if x.shape.rank is not None and (x.shape.rank > 2 or (
                    x.shape.rank == 2 and x.shape[-1] not in (1, None))):
                raise ValueError("All `HashedCrossing` inputs should have shape `()`, "
                                 "`(batch_size)` or `(batch_size, 1)`. "
                                 f"Received: inputs={inputs}")
            if x.shape != shape:
                raise ValueError("All `HashedCrossing` inputs should have equal shape. "
                                 f"Received: inputs={inputs}")
        ids = execute(_cross_hashed, tuple(features),
                      {"num_buckets": self.num_bins, "hash_key": _CROSS_SEED})
        if self.output_mode == "int":
            return ids
        return _encode(ids, self.num_bins, "one_hot", "float32")

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        if shape and shape[-1] == 1:
            shape = shape[:-1]
        return shape + (self.num_bins,)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}
