"""`tf.feature_column`: the (deprecated) Features API column descriptions.

Columns are immutable namedtuples, like TensorFlow's, so their reprs read
``NumericColumn(key='age', shape=(1,), default_value=None, dtype=tf.float32,
normalizer_fn=None)``. Each knows its ``name``, its bucket count (categorical
columns) and its ``parse_example_spec``, the feature descriptions that
`make_parse_example_spec` merges for `tf.io.parse_example`. The Keras 3
replacements that compute on tensors are the preprocessing layers
(Discretization, StringLookup, Hashing, CategoryEncoding, Embedding).
"""
import collections
import math
import numbers

import numpy as np

from tensorlite import io as _io
from tensorlite.framework import dtypes

__all__ = [
    "bucketized_column", "categorical_column_with_hash_bucket",
    "categorical_column_with_identity", "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list", "crossed_column", "embedding_column",
    "indicator_column", "make_parse_example_spec", "numeric_column",
]


class FeatureColumn:
    """Base of every column: a name and the feature descriptions it parses."""

    __slots__ = ()

    @property
    def parse_example_spec(self):
        return {}


class CategoricalColumn(FeatureColumn):
    """A column whose values are category ids in [0, num_buckets)."""

    __slots__ = ()


def _check_key(key):
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


class NumericColumn(FeatureColumn, collections.namedtuple(
        "NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn"))):
    """A dense numeric feature of a fixed shape."""

    __slots__ = ()

    @property
    def name(self):
        return self.key

    @property
    def parse_example_spec(self):
        return {self.key: _io.FixedLenFeature(self.shape, self.dtype, self.default_value)}


class BucketizedColumn(CategoricalColumn, collections.namedtuple(
        "BucketizedColumn", ("source_column", "boundaries"))):
    """A numeric column split into len(boundaries) + 1 buckets."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.source_column.name}_bucketized"

    @property
    def num_buckets(self):
        # one set of buckets per element of the source shape
        return (len(self.boundaries) + 1) * math.prod(self.source_column.shape)

    @property
    def parse_example_spec(self):
        return self.source_column.parse_example_spec


class _KeyedCategorical(CategoricalColumn):
    """A categorical column read from one variable-length feature."""

    __slots__ = ()

    @property
    def name(self):
        return self.key

    @property
    def parse_example_spec(self):
        return {self.key: _io.VarLenFeature(self.dtype)}


class VocabularyListCategoricalColumn(_KeyedCategorical, collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"))):
    """Categories by position in an in-memory vocabulary (+ hashed OOV buckets)."""

    __slots__ = ()

    @property
    def num_buckets(self):
        return len(self.vocabulary_list) + self.num_oov_buckets


class VocabularyFileCategoricalColumn(_KeyedCategorical, collections.namedtuple(
        "VocabularyFileCategoricalColumn",
        ("key", "vocabulary_file", "vocabulary_size", "num_oov_buckets", "dtype",
         "default_value", "file_format"))):
    """Categories by line number in a vocabulary file (+ hashed OOV buckets)."""

    __slots__ = ()

    @property
    def num_buckets(self):
        return self.vocabulary_size + self.num_oov_buckets


class HashedCategoricalColumn(_KeyedCategorical, collections.namedtuple(
        "HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype"))):
    """Categories by hash of the value modulo hash_bucket_size."""

    __slots__ = ()

    @property
    def num_buckets(self):
        return self.hash_bucket_size


class IdentityCategoricalColumn(_KeyedCategorical, collections.namedtuple(
        "IdentityCategoricalColumn", ("key", "number_buckets", "default_value"))):
    """Integer values used as category ids directly."""

    __slots__ = ()

    @property
    def dtype(self):
        return dtypes.int64

    @property
    def num_buckets(self):
        return self.number_buckets


class CrossedColumn(CategoricalColumn, collections.namedtuple(
        "CrossedColumn", ("keys", "hash_bucket_size", "hash_key"))):
    """Combinations of several categorical features, hashed into hash_bucket_size buckets."""

    __slots__ = ()

    @property
    def name(self):
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self.keys))

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    @property
    def parse_example_spec(self):
        spec = {}
        for key in self.keys:
            if isinstance(key, str):
                spec[key] = _io.VarLenFeature(dtypes.string)
            else:
                spec.update(key.parse_example_spec)
        return spec


class IndicatorColumn(FeatureColumn, collections.namedtuple(
        "IndicatorColumn", ("categorical_column",))):
    """A categorical column as one-hot (multi-hot) vectors of length num_buckets."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.categorical_column.name}_indicator"

    @property
    def parse_example_spec(self):
        return self.categorical_column.parse_example_spec


class EmbeddingColumn(FeatureColumn, collections.namedtuple(
        "EmbeddingColumn",
        ("categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
         "tensor_name_in_ckpt", "max_norm", "trainable", "use_safe_embedding_lookup"))):
    """A categorical column as trainable dense vectors (one row per bucket)."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.categorical_column.name}_embedding"

    @property
    def parse_example_spec(self):
        return self.categorical_column.parse_example_spec


def _default_array(default_value, shape, dtype, key):
    """The default value broadcast to `shape`, as nested tuples (TF stores it so)."""
    if default_value is None:
        return None
    py_type = int if dtype.is_integer else float
    try:
        value = np.broadcast_to(np.asarray(default_value), shape)
    except ValueError:
        raise ValueError(f"The shape of default_value must be equal to given shape. "
                         f"default_value: {default_value}, shape: {shape}, key: {key}") \
            from None

    def nested(a):
        return py_type(a) if a.ndim == 0 else tuple(nested(x) for x in a)
    return nested(value)


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32,
                   normalizer_fn=None):
    """A dense numeric feature `key` of `shape` (a normalizer_fn may transform it)."""
    _check_key(key)
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(int(d) for d in shape)
    if any(d < 1 for d in shape):
        raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, "
                         f"key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, _default_array(default_value, shape, dtype, key), dtype,
                         normalizer_fn)


def bucketized_column(source_column, boundaries):
    """Buckets a numeric column: value v is in bucket i when boundaries[i-1] <= v <
    boundaries[i]."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError("source_column must be a column generated with numeric_column(). "
                         f"Given: {source_column}")
    if len(source_column.shape) > 1:
        raise ValueError("source_column must be one-dimensional column. "
                         f"Given: {source_column}")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    boundaries = tuple(float(b) for b in boundaries)
    if any(a >= b for a, b in zip(boundaries, boundaries[1:])):
        raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, boundaries)


def _categorical_dtype(dtype, key):
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_string or dtype.is_integer):
        raise ValueError(f"dtype {dtype} is not supported for column {key}: only string "
                         "and integer.")
    return dtype


def _check_oov(num_oov_buckets, default_value, key):
    if num_oov_buckets < 0:
        raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    if num_oov_buckets and default_value is not None:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None,
                                            default_value=-1, num_oov_buckets=0):
    """Category = position of the value in `vocabulary_list`; others go to
    `default_value` or one of `num_oov_buckets` hashed buckets."""
    _check_key(key)
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, "
                         f"column_name: {key}")
    vocabulary = tuple(vocabulary_list)
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError(f"Duplicate keys in vocabulary_list {list(vocabulary_list)}, "
                         f"column_name: {key}")
    is_text = isinstance(vocabulary[0], (str, bytes))
    if dtype is None:
        dtype = dtypes.string if is_text else dtypes.int64
    dtype = _categorical_dtype(dtype, key)
    if dtype.is_string != is_text:
        raise ValueError(f"dtype {dtype} does not match the vocabulary values, "
                         f"column_name: {key}")
    _check_oov(num_oov_buckets, default_value if default_value != -1 else None, key)
    return VocabularyListCategoricalColumn(key, vocabulary, dtype, default_value,
                                           num_oov_buckets)


def categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None,
                                            num_oov_buckets=0, default_value=None,
                                            dtype=dtypes.string):
    """Category = line number of the value in `vocabulary_file` (one term per line)."""
    _check_key(key)
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if vocabulary_size is None:
        with open(vocabulary_file, encoding="utf-8") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    _check_oov(num_oov_buckets, default_value, key)
    dtype = _categorical_dtype(dtype, key)
    return VocabularyFileCategoricalColumn(
        key, vocabulary_file, vocabulary_size, num_oov_buckets, dtype,
        -1 if default_value is None else default_value, None)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """Category = fingerprint hash of the value modulo `hash_bucket_size`."""
    _check_key(key)
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be at least 1. hash_bucket_size: "
                         f"{hash_bucket_size}, key: {key}")
    return HashedCategoricalColumn(key, hash_bucket_size, _categorical_dtype(dtype, key))


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """Integer values in [0, num_buckets) used as category ids."""
    _check_key(key)
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), "
                         f"column_name {key}")
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """The cross of several categorical features (or raw string features by key)."""
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, CategoricalColumn)) or \
                isinstance(key, HashedCategoricalColumn):
            raise ValueError("Unsupported key type. All keys must be either string, or "
                             "categorical column except HashedCategoricalColumn. "
                             f"Given: {key}")
    return CrossedColumn(tuple(keys), hash_bucket_size, hash_key)


def indicator_column(categorical_column):
    """A categorical column as a one-hot (multi-hot) dense vector."""
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError("Unsupported input type. Input must be a CategoricalColumn. "
                         f"Given: {categorical_column}")
    return IndicatorColumn(categorical_column)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True, use_safe_embedding_lookup=True):
    """A categorical column as `dimension`-D trainable embeddings (truncated-normal
    initialized with stddev 1/sqrt(dimension) by default)."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError("Unsupported input type. Input must be a CategoricalColumn. "
                         f"Given: {categorical_column}")
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum'. "
                         f"Given: {combiner}")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` "
                         "or none of them.")
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified. Embedding of column_name:"
                         f" {categorical_column.name}")
    if initializer is None:
        from tensorlite.keras.initializers import TruncatedNormal
        initializer = TruncatedNormal(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(categorical_column, dimension, combiner, initializer,
                           ckpt_to_load_from, tensor_name_in_ckpt, max_norm, trainable,
                           use_safe_embedding_lookup)


def make_parse_example_spec(feature_columns):
    """The `{feature key: FixedLenFeature | VarLenFeature}` dict the columns parse."""
    result = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(f"All feature_columns must be FeatureColumn instances. "
                             f"Given: {column}")
        for key, spec in column.parse_example_spec.items():
            if key in result and result[key] != spec:
                raise ValueError(f"feature_columns contain different parse_spec for key {key}."
                                 f" Given {spec} and {result[key]}")
            result[key] = spec
    return result
