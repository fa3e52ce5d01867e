"""tf.feature_column: column objects, their reprs/names/bucket counts and parse specs.

Expected reprs and messages were checked against TensorFlow 2.21.
"""
import numpy as np
import pytest

import tensorlite as tf
from tensorlite import feature_column as fc

NUMERIC_REPR = ("NumericColumn(key='housing_median_age', shape=(1,), default_value=None, "
                "dtype=tf.float32, normalizer_fn=None)")
VOCAB = ['<1H OCEAN', 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN']


def test_numeric_column():
    column = fc.numeric_column("housing_median_age")
    assert repr(column) == NUMERIC_REPR
    assert column.name == "housing_median_age" and column.shape == (1,)
    assert column.dtype == tf.float32
    wide = fc.numeric_column("x", shape=(2, 3), default_value=1, dtype=tf.int32)
    assert wide.default_value == ((1, 1, 1), (1, 1, 1))
    assert fc.numeric_column("x", shape=2, default_value=[1., 2.]).default_value == (1.0, 2.0)
    scaled = fc.numeric_column("x", normalizer_fn=lambda x: x / 2)
    assert scaled.normalizer_fn(4) == 2


def test_numeric_column_errors():
    with pytest.raises(ValueError, match="shape dimensions must be greater than 0"):
        fc.numeric_column("x", shape=[0])
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        fc.numeric_column("x", dtype=tf.string)
    with pytest.raises(ValueError, match="key must be a string"):
        fc.numeric_column(1)
    with pytest.raises(TypeError, match="normalizer_fn must be a callable"):
        fc.numeric_column("x", normalizer_fn=3)


def test_bucketized_column():
    income = fc.numeric_column("median_income")
    column = fc.bucketized_column(income, boundaries=[1.5, 3., 4.5, 6.])
    assert column.name == "median_income_bucketized"
    assert column.boundaries == (1.5, 3.0, 4.5, 6.0) and column.num_buckets == 5
    assert repr(column).startswith("BucketizedColumn(source_column=NumericColumn(")
    two_d = fc.bucketized_column(fc.numeric_column("x", shape=(2,)), [0.])
    assert two_d.num_buckets == 4
    grid = fc.bucketized_column(fc.numeric_column("lat"), list(np.linspace(32., 42., 19)))
    assert grid.num_buckets == 20
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        fc.bucketized_column(income, [2., 1.])
    with pytest.raises(ValueError, match="numeric_column"):
        fc.bucketized_column(fc.categorical_column_with_identity("i", 3), [1.])


def test_vocabulary_list_column():
    column = fc.categorical_column_with_vocabulary_list("ocean_proximity", VOCAB)
    assert repr(column) == (
        "VocabularyListCategoricalColumn(key='ocean_proximity', vocabulary_list=('<1H OCEAN',"
        " 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN'), dtype=tf.string, default_value=-1, "
        "num_oov_buckets=0)")
    assert column.num_buckets == 5
    ints = fc.categorical_column_with_vocabulary_list("n", [1, 2], num_oov_buckets=3)
    assert ints.dtype == tf.int64 and ints.num_buckets == 5
    with pytest.raises(ValueError, match="must be non-empty"):
        fc.categorical_column_with_vocabulary_list("k", [])
    with pytest.raises(ValueError, match="Duplicate keys"):
        fc.categorical_column_with_vocabulary_list("k", ["a", "a"])
    with pytest.raises(ValueError, match="Can't specify both"):
        fc.categorical_column_with_vocabulary_list("k", ["a"], num_oov_buckets=1,
                                                   default_value=0)


def test_vocabulary_file_column(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n")
    column = fc.categorical_column_with_vocabulary_file("k", str(path))
    assert column.vocabulary_size == 3 and column.num_buckets == 3
    assert repr(column).endswith("dtype=tf.string, default_value=-1, file_format=None)")
    assert fc.categorical_column_with_vocabulary_file(
        "k", str(path), vocabulary_size=2, num_oov_buckets=1).num_buckets == 3


def test_hash_bucket_and_identity_columns():
    city = fc.categorical_column_with_hash_bucket("city", hash_bucket_size=1000)
    assert (city.name, city.hash_bucket_size, city.num_buckets) == ("city", 1000, 1000)
    assert repr(city) == "HashedCategoricalColumn(key='city', hash_bucket_size=1000, " \
                         "dtype=tf.string)"
    with pytest.raises(ValueError, match="hash_bucket_size must be at least 1"):
        fc.categorical_column_with_hash_bucket("c", 0)
    ident = fc.categorical_column_with_identity("id", 4)
    assert repr(ident) == "IdentityCategoricalColumn(key='id', number_buckets=4, " \
                          "default_value=None)"
    assert ident.num_buckets == 4
    with pytest.raises(ValueError, match="num_buckets 0 < 1"):
        fc.categorical_column_with_identity("k", 0)


def test_crossed_column():
    age = fc.bucketized_column(fc.numeric_column("housing_median_age"), [-1., 0., 1.])
    ocean = fc.categorical_column_with_vocabulary_list("ocean_proximity", VOCAB)
    crossed = fc.crossed_column([age, ocean], hash_bucket_size=100)
    assert crossed.name == "housing_median_age_bucketized_X_ocean_proximity"
    assert crossed.num_buckets == 100
    assert fc.crossed_column(["b", "a"], 10).name == "a_X_b"
    with pytest.raises(ValueError, match="length > 1"):
        fc.crossed_column([age], 3)
    with pytest.raises(ValueError, match="Unsupported key type"):
        fc.crossed_column([fc.numeric_column("x"), "y"], 10)


def test_indicator_and_embedding_columns():
    ocean = fc.categorical_column_with_vocabulary_list("ocean_proximity", VOCAB)
    assert fc.indicator_column(ocean).name == "ocean_proximity_indicator"
    embed = fc.embedding_column(ocean, dimension=2)
    assert embed.name == "ocean_proximity_embedding"
    assert (embed.dimension, embed.combiner, embed.trainable) == (2, "mean", True)
    # the default initializer: truncated normal with stddev 1/sqrt(dimension)
    values = embed.initializer(shape=(2000, 2)).numpy()
    assert np.all(np.abs(values) <= 2 / np.sqrt(2) + 1e-6)
    with pytest.raises(ValueError, match="Invalid dimension 0"):
        fc.embedding_column(ocean, 0)
    with pytest.raises(ValueError, match="Input must be a CategoricalColumn"):
        fc.indicator_column(fc.numeric_column("x"))


def test_make_parse_example_spec():
    age = fc.bucketized_column(fc.numeric_column("age"), [1., 2.])
    ocean = fc.categorical_column_with_vocabulary_list("ocean", VOCAB)
    crossed = fc.crossed_column([age, ocean, "raw"], 100)
    spec = fc.make_parse_example_spec([age, ocean, crossed, fc.numeric_column("target")])
    assert sorted(spec) == ["age", "ocean", "raw", "target"]
    assert repr(spec["age"]) == \
        "FixedLenFeature(shape=(1,), dtype=tf.float32, default_value=None)"
    assert repr(spec["ocean"]) == "VarLenFeature(dtype=tf.string)"
    assert repr(fc.make_parse_example_spec([fc.categorical_column_with_identity("i", 2)])["i"]) \
        == "VarLenFeature(dtype=tf.int64)"
    with pytest.raises(ValueError, match="different parse_spec for key x"):
        fc.make_parse_example_spec([fc.numeric_column("x"), fc.numeric_column("x", shape=2)])
    with pytest.raises(ValueError, match="must be FeatureColumn instances"):
        fc.make_parse_example_spec([1])
