"""Discretization, CategoryEncoding, StringLookup, IntegerLookup and Hashing.

Expected values were checked against TensorFlow 2.21 / Keras 3.
"""
import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras import layers
from tensorlite.keras.layers.preprocessing_layers import fingerprint64, siphash24
from tests.support import assert_tensor


# ---- FarmHash Fingerprint64 ---------------------------------------------------------------

# (bytes, TF's tf.fingerprint value) covering every length branch of the algorithm
FINGERPRINTS = [
    (b"", 11160318154034397263), (b"a", 12917804110809363939),
    (b"abc", 2640714258260161385), (b"abcd", 1897425971756105985),
    (b"Paris", 5711262949473805650), (b"London!!", 12297450238816186355),
    (b"0123456789abcdef", 6105018409752412263), (b"0123456789abcdefg", 12024047538191061578),
    (b"x" * 32, 12901576723999808517), (b"y" * 33, 8610735037765521150),
    (b"z" * 64, 294799756062990872), (b"q" * 65, 7692644312256273193),
    (bytes(range(200)), 525935771297148851),
    (b"The quick brown fox jumps over the lazy dog" * 5, 7867177600520443285),
]


@pytest.mark.parametrize("data,expected", FINGERPRINTS)
def test_fingerprint64_matches_tensorflow(data, expected):
    assert fingerprint64(data) == expected


def test_siphash24_matches_tensorflow_strong_hash():
    # tf.strings.to_hash_bucket_strong(s, 2**62, key=[1, 2]) for each length branch
    expected = {b"": 443797209252341627, b"a": 546566331822570742,
                b"abcdefg": 957890530879302020, b"abcdefgh": 2649018002260510108,
                b"x" * 30: 1525248810734689176}
    for data, value in expected.items():
        assert siphash24(1, 2, data) % 2 ** 62 == value


# ---- Discretization -----------------------------------------------------------------------

def test_discretization_bin_boundaries():
    layer = layers.Discretization(bin_boundaries=[1.5, 3., 4.5, 6.])
    out = layer(tf.constant([[3.], [7.2], [1.]]))
    assert_tensor(out, np.array([[2], [4], [0]], dtype=np.int32))
    # a value equal to a boundary goes to the bucket above it
    assert_tensor(layer(tf.constant([1.5, 0., 6.])), np.array([1, 0, 4], dtype=np.int32))
    assert_tensor(layer(tf.zeros([0])), np.zeros([0], np.int32))


def test_discretization_adapt_quantiles():
    layer = layers.Discretization(num_bins=4)
    layer.adapt(np.arange(10.))
    assert layer.bin_boundaries == [1.4999998807907104, 4.0, 6.5]
    assert_tensor(layer(np.array([0., 3., 9.])), np.array([0, 1, 3], dtype=np.int32))
    skewed = layers.Discretization(num_bins=3)
    skewed.adapt(np.array([1., 2, 2, 2, 5, 7, 9, 10, 11, 12, 40]))
    assert skewed.bin_boundaries == [2.0, 9.333333015441895]


def test_discretization_adapt_over_batches():
    layer = layers.Discretization(num_bins=2)
    layer.adapt(tf.data.Dataset.from_tensor_slices(np.arange(100.)).batch(10))
    assert 45. <= layer.bin_boundaries[0] <= 55.


def test_discretization_one_hot_output():
    layer = layers.Discretization(bin_boundaries=[0.], output_mode="one_hot")
    assert_tensor(layer(tf.constant([-1., 2.])), np.array([[1., 0.], [0., 1.]], np.float32))


def test_discretization_errors():
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="should not be set"):
        layers.Discretization(num_bins=2, bin_boundaries=[1.])
    with pytest.raises(ValueError, match="output_mode"):
        layers.Discretization(num_bins=2, output_mode="bad")
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(tf.constant([1.]))
    assert layers.Discretization(bin_boundaries=[1, 2]).get_config()["bin_boundaries"] == \
        [1.0, 2.0]


# ---- CategoryEncoding ---------------------------------------------------------------------

def test_category_encoding_one_hot():
    layer = layers.CategoryEncoding(num_tokens=5, output_mode="one_hot")
    # a trailing axis of size 1 is the token axis and is replaced
    assert_tensor(layer(tf.constant([[2], [4], [0]])), np.eye(5, dtype=np.float32)[[2, 4, 0]])
    assert_tensor(layer(tf.constant([1, 3])), np.eye(5, dtype=np.float32)[[1, 3]])
    assert layer(tf.constant([[2, 2, 1], [4, 0, 0]])).shape == (2, 3, 5)


def test_category_encoding_multi_hot_and_count():
    ids = tf.constant([[2, 2, 1], [4, 0, 0]])
    multi = layers.CategoryEncoding(num_tokens=5)(ids)
    assert_tensor(multi, np.array([[0, 1, 1, 0, 0], [1, 0, 0, 0, 1]], np.float32))
    count = layers.CategoryEncoding(num_tokens=5, output_mode="count")(ids)
    assert_tensor(count, np.array([[0, 1, 2, 0, 0], [2, 0, 0, 0, 1]], np.float32))
    # a rank-1 input is one sample
    single = layers.CategoryEncoding(num_tokens=5)(tf.constant([1, 3]))
    assert_tensor(single, np.array([0, 1, 0, 1, 0], np.float32))


def test_category_encoding_count_weights():
    layer = layers.CategoryEncoding(num_tokens=3, output_mode="count")
    out = layer(tf.constant([[0, 2, 2]]), count_weights=tf.constant([[0.5, 1., 2.]]))
    assert_tensor(out, np.array([[0.5, 0., 3.]], np.float32))


def test_category_encoding_errors_and_config():
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="Unknown arg for output_mode: bad"):
        layers.CategoryEncoding(num_tokens=3, output_mode="bad")
    config = layers.CategoryEncoding(num_tokens=3).get_config()
    assert config["num_tokens"] == 3 and config["output_mode"] == "multi_hot"


# ---- StringLookup -------------------------------------------------------------------------

VOCAB = ['<1H OCEAN', 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN']


def test_string_lookup_without_oov():
    layer = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    out = layer(tf.constant([["NEAR OCEAN"], ["INLAND"], ["INLAND"]]))
    assert_tensor(out, np.array([[4], [1], [1]], np.int64))
    assert [str(t) for t in layer.get_vocabulary()] == VOCAB
    assert layer.vocabulary_size() == 5
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_oov_indices=0"):
        layer(tf.constant(["UNKNOWN"]))


def test_string_lookup_oov_and_mask():
    layer = layers.StringLookup(vocabulary=VOCAB)
    assert_tensor(layer(tf.constant(["NEAR BAY", "UNKNOWN"])), np.array([4, 0], np.int64))
    assert layer.get_vocabulary()[:2] == ["[UNK]", "<1H OCEAN"]
    masked = layers.StringLookup(vocabulary=["a", "b", "c"], mask_token="")
    assert_tensor(masked(tf.constant(["a", "", "q"])), np.array([2, 0, 1], np.int64))
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b", "c"]


def test_string_lookup_several_oov_indices_hash():
    layer = layers.StringLookup(vocabulary=["a", "b", "c"], num_oov_indices=2)
    # OOV terms go to fingerprint64(term) % 2: "zz" -> 0, "q" -> 1 (as in TF)
    assert_tensor(layer(tf.constant(["a", "zz", "c", "q"])), np.array([2, 0, 4, 1], np.int64))


def test_string_lookup_encoded_outputs():
    layer = layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    out = layer(tf.constant([["a", "b", "a"], ["z", "z", "b"]]))
    assert_tensor(out, np.array([[0, 1, 1], [1, 0, 1]], np.int64))
    count = layers.StringLookup(vocabulary=["a", "b"], output_mode="count")
    assert_tensor(count(tf.constant([["a", "b", "a"], ["z", "z", "b"]])),
                  np.array([[0, 2, 1], [2, 0, 1]], np.int64))
    one_hot = layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")
    assert_tensor(one_hot(tf.constant([["a"], ["z"]])), np.array([[0, 1, 0], [1, 0, 0]],
                                                                 np.int64))


def test_string_lookup_pad_to_max_tokens():
    layer = layers.StringLookup(vocabulary=["a", "b"], max_tokens=5, pad_to_max_tokens=True,
                                output_mode="multi_hot")
    assert_tensor(layer(tf.constant([["a", "z"]])), np.array([[1, 1, 0, 0, 0]], np.int64))


def test_string_lookup_invert():
    layer = layers.StringLookup(vocabulary=["a", "b"], invert=True)
    out = layer(tf.constant([[0, 2, 7]]))
    assert out.dtype == tf.string
    assert out.numpy().tolist() == [[b"[UNK]", b"b", b"[UNK]"]]


def test_string_lookup_adapt_orders_by_frequency():
    layer = layers.StringLookup()
    layer.adapt(tf.constant(["b", "a", "d", "c", "c", "c"]))
    # ties are ordered by decreasing term
    assert layer.get_vocabulary() == ["[UNK]", "c", "d", "b", "a"]
    capped = layers.StringLookup(max_tokens=3)
    capped.adapt(["b", "a", "b", "c", "c", "c"])
    assert capped.get_vocabulary() == ["[UNK]", "c", "b"]
    assert_tensor(capped(tf.constant(["a", "b"])), np.array([0, 2], np.int64))


def test_string_lookup_vocabulary_file_and_config(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\n")
    layer = layers.StringLookup(vocabulary=str(path))
    assert_tensor(layer(tf.constant(["y", "x"])), np.array([2, 1], np.int64))
    config = layer.get_config()
    assert config["vocabulary"] == ["x", "y"] and config["vocabulary_size"] == 3
    assert config["oov_token"] == "[UNK]" and config["num_oov_indices"] == 1


def test_string_lookup_errors():
    with pytest.raises(ValueError, match="repeated term"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="output_mode"):
        layers.StringLookup(vocabulary=["a"], output_mode="bad")
    with pytest.raises(RuntimeError, match="adapt"):
        layers.StringLookup()(tf.constant(["a"]))
    with pytest.raises(ValueError, match="string inputs"):
        layers.StringLookup(vocabulary=["a"])(tf.constant([1]))


# ---- IntegerLookup ------------------------------------------------------------------------

def test_integer_lookup():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    assert_tensor(layer(tf.constant([12, 1138, 42, 7])), np.array([1, 3, 4, 0], np.int64))
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42]
    masked = layers.IntegerLookup(vocabulary=[12, 36], mask_token=0)
    assert_tensor(masked(tf.constant([0, 12, 7])), np.array([0, 2, 1], np.int64))


def test_integer_lookup_adapt_and_oov_modulo():
    layer = layers.IntegerLookup(num_oov_indices=2)
    layer.adapt(np.array([5, 3, 5, 5, 9]))
    assert layer.get_vocabulary() == [-1, -1, 5, 9, 3]
    # integer OOV values go to value % num_oov_indices
    assert_tensor(layer(tf.constant([5, 100, 101])), np.array([2, 0, 1], np.int64))


def test_integer_lookup_invert_and_errors():
    layer = layers.IntegerLookup(vocabulary=[7, 8], invert=True)
    assert_tensor(layer(tf.constant([2, 0, 1])), np.array([8, -1, 7], np.int64))
    with pytest.raises(ValueError, match="integer inputs"):
        layers.IntegerLookup(vocabulary=[1])(tf.constant([1.5]))


# ---- Hashing ------------------------------------------------------------------------------

def test_hashing_strings():
    out = layers.Hashing(num_bins=1000)(tf.constant([["Paris"], ["London"], ["Paris"]]))
    assert_tensor(out, np.array([[650], [550], [650]], np.int64))


def test_hashing_integers_and_mask():
    out = layers.Hashing(num_bins=3)(tf.constant([[1], [2], [12345]]))
    assert_tensor(out, np.array([[0], [1], [1]], np.int64))
    masked = layers.Hashing(num_bins=3, mask_value="")(tf.constant([[""], ["a"], ["b"]]))
    assert_tensor(masked, np.array([[0], [2], [1]], np.int64))


def test_hashing_with_salt():
    out = layers.Hashing(num_bins=1000, salt=133)(tf.constant(["Paris", "London"]))
    assert_tensor(out, np.array([708, 262], np.int64))
    pair = layers.Hashing(num_bins=1000, salt=[1, 2])
    assert_tensor(pair(tf.constant(["Paris", "London"])), np.array([439, 299], np.int64))
    assert layers.Hashing(num_bins=3, salt=133).get_config()["salt"] == [133, 133]
    with pytest.raises(ValueError, match="can only be a tuple of size 2"):
        layers.Hashing(num_bins=3, salt="x")


def test_hashing_one_hot_and_errors():
    out = layers.Hashing(num_bins=5, output_mode="one_hot")(tf.constant(["a", "b"]))
    assert_tensor(out, np.array([[0, 0, 0, 0, 1], [0, 0, 1, 0, 0]], np.float32))
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        layers.Hashing(num_bins=None)
    # floats are cast to the layer dtype (int64) first, then hashed as decimal text
    assert_tensor(layers.Hashing(num_bins=1000)(tf.constant([1.5, 2.0])),
                  np.array([849, 759], np.int64))
    assert layers.Hashing(num_bins=3).get_config()["num_bins"] == 3


# ---- HashedCrossing -----------------------------------------------------------------------

def test_hashed_crossing_values():
    layer = layers.HashedCrossing(num_bins=1000)
    out = layer((tf.constant(["A", "B", "C"]), tf.constant([101, 102, 103])))
    assert_tensor(out, np.array([891, 576, 703], np.int64))
    assert_tensor(layer((tf.constant(["A", "B"]), tf.constant(["x", "y"]))),
                  np.array([210, 8], np.int64))
    assert_tensor(layer((tf.constant([[1], [2]]), tf.constant([[3], [4]]))),
                  np.array([[651], [547]], np.int64))


def test_hashed_crossing_one_hot_and_errors():
    layer = layers.HashedCrossing(num_bins=4, output_mode="one_hot")
    out = layer((tf.constant(["A", "B"]), tf.constant(["x", "y"])))
    assert_tensor(out, np.array([[0, 0, 1, 0], [1, 0, 0, 0]], np.float32))
    with pytest.raises(ValueError, match="at least two inputs"):
        layers.HashedCrossing(num_bins=4)(tf.constant(["A"]))
    with pytest.raises(ValueError, match="equal shape"):
        layers.HashedCrossing(num_bins=4)((tf.constant(["A"]), tf.constant(["x", "y"])))
    with pytest.raises(ValueError, match="should have shape"):
        layers.HashedCrossing(num_bins=4)((tf.constant([["A", "B"]]),
                                           tf.constant([["x", "y"]])))


# ---- in a model ---------------------------------------------------------------------------

def test_lookup_then_embedding_in_sequence():
    lookup = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    embedding = layers.Embedding(input_dim=5, output_dim=2)
    vectors = embedding(lookup(tf.constant([["INLAND"], ["ISLAND"], ["INLAND"]])))
    assert vectors.shape == (3, 1, 2)
    np.testing.assert_array_equal(vectors.numpy()[0], vectors.numpy()[2])
    assert not np.array_equal(vectors.numpy()[0], vectors.numpy()[1])


@pytest.mark.parametrize("make", [
    lambda: layers.Discretization(bin_boundaries=[1., 2.]),
    lambda: layers.CategoryEncoding(3, output_mode="count"),
    lambda: layers.StringLookup(vocabulary=["a", "b"], mask_token=""),
    lambda: layers.IntegerLookup(vocabulary=[3, 4]),
    lambda: layers.Hashing(5, salt=3, mask_value=""),
    lambda: layers.HashedCrossing(7, output_mode="one_hot"),
])
def test_serialization_round_trip(make):
    from tensorlite.keras.saving.serialization import (deserialize_keras_object,
                                                       serialize_keras_object)
    layer = make()
    restored = deserialize_keras_object(serialize_keras_object(layer))
    assert type(restored) is type(layer)
    assert restored.get_config() == layer.get_config()


def test_layers_trace_in_tf_function():
    lookup = layers.StringLookup(vocabulary=["a", "b"])
    bins = layers.Discretization(bin_boundaries=[0.])
    hashing = layers.Hashing(num_bins=1000)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string),
                                  tf.TensorSpec([None], tf.float32)])
    def preprocess(words, values):
        return lookup(words), bins(values), hashing(words)

    ids, buckets, hashed = preprocess(tf.constant(["b", "z"]), tf.constant([-1., 1.]))
    assert_tensor(ids, np.array([2, 0], np.int64))
    assert_tensor(buckets, np.array([0, 1], np.int32))
    assert hashed.dtype == tf.int64 and hashed.shape == (2,)
