"""tf.strings: values against Python's own string handling, TensorFlow's dtypes and errors."""
import numpy as np
import pytest

import conftest
import tensorlite as tf
from support import assert_tensor
from tensorlite.ops import strings
from tensorlite.structures import ragged
from tensorlite.structures.ragged import RaggedTensor

conftest.pytest_sessionstart(None)  # the string ops get the session's shape-rule check

InvalidArgumentError = tf.errors.InvalidArgumentError
WORDS = ["Café", "Coffee", "caffè", "咖啡"]


def byte_array(items):
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode("utf-8") for s in items]
    return out


def test_length_bytes_and_utf8_chars():
    p = tf.constant(WORDS)
    assert_tensor(strings.length(p), [len(w.encode()) for w in WORDS], tf.int32)
    assert_tensor(strings.length(p, unit="UTF8_CHAR"), [4, 6, 5, 2], tf.int32)
    assert_tensor(strings.length(tf.constant("café")), 5, tf.int32)
    assert_tensor(strings.length(tf.constant([[""]])), [[0]], tf.int32)
    assert_tensor(strings.length(tf.constant([], dtype=tf.string)), np.zeros(0, np.int32))


def test_length_rejects_bad_unit_and_numbers():
    with pytest.raises(InvalidArgumentError, match="attr 'unit'"):
        strings.length(tf.constant("a"), unit="CHAR")
    with pytest.raises(InvalidArgumentError, match="StringLength"):
        strings.length(tf.constant([1, 2]))


def test_unicode_encode_scalar_and_batch():
    cafe = tf.constant([ord(c) for c in "café"])
    t = strings.unicode_encode(cafe, "UTF-8")
    assert t.dtype == tf.string and t.shape == () and t.numpy() == "café".encode()
    batch = strings.unicode_encode(tf.constant([[104, 105], [111, 107]]), "UTF-8")
    np.testing.assert_array_equal(batch.numpy(), byte_array(["hi", "ok"]))
    rows = ragged.constant([[99, 97], [233]])
    np.testing.assert_array_equal(strings.unicode_encode(rows, "UTF-8").numpy(),
                                  byte_array(["ca", "é"]))


def test_unicode_encode_utf16_and_invalid_code_points():
    t = strings.unicode_encode(tf.constant([233, 0x110000]), "UTF-16-BE")
    assert t.numpy() == "é\ufffd".encode("utf-16-be")
    with pytest.raises(InvalidArgumentError):
        strings.unicode_encode(tf.constant([0x110000]), "UTF-8", errors="strict")
    ignored = strings.unicode_encode(tf.constant([97, -1]), "UTF-8", errors="ignore")
    assert ignored.numpy() == b"a"
    with pytest.raises(ValueError, match="rank must be at least 1"):
        strings.unicode_encode(tf.constant(97), "UTF-8")
    with pytest.raises(InvalidArgumentError, match="output_encoding"):  # only decode takes UTF8
        strings.unicode_encode(tf.constant([97]), "UTF8")


def test_unicode_decode_scalar_vector_and_matrix():
    assert_tensor(strings.unicode_decode(tf.constant("café"), "UTF-8"),
                  [99, 97, 102, 233], tf.int32)
    r = strings.unicode_decode(tf.constant(WORDS), "UTF8")
    assert isinstance(r, RaggedTensor)
    assert r.to_list() == [[ord(c) for c in w] for w in WORDS]
    assert r.row_splits.dtype == tf.int64
    m = strings.unicode_decode(tf.constant([["ab", "c"], ["", "d"]]), "UTF-8")
    assert m.ragged_rank == 2
    assert m.to_list() == [[[97, 98], [99]], [[], [100]]]


def test_unicode_decode_errors_and_replacement():
    bad = tf.constant(b"a\xffb")
    assert_tensor(strings.unicode_decode(bad, "UTF-8"), [97, 0xFFFD, 98], tf.int32)
    assert_tensor(strings.unicode_decode(bad, "UTF-8", replacement_char=63), [97, 63, 98])
    assert_tensor(strings.unicode_decode(bad, "UTF-8", errors="ignore"), [97, 98])
    with pytest.raises(InvalidArgumentError):
        strings.unicode_decode(bad, "UTF-8", errors="strict")
    with pytest.raises(InvalidArgumentError, match="encoding"):
        strings.unicode_decode(bad, "NO-SUCH-CODEC")
    assert_tensor(strings.unicode_decode(bad, "latin-1"), [97, 255, 98])


def test_lower_upper_strip():
    t = tf.constant(["Hello World", " ÉtÉ "])
    np.testing.assert_array_equal(strings.lower(t).numpy(),
                                  np.array([b"hello world", " ÉtÉ ".encode()], dtype=object))
    np.testing.assert_array_equal(strings.upper(t, encoding="utf-8").numpy(),
                                  byte_array(["HELLO WORLD", " ÉTÉ "]))
    np.testing.assert_array_equal(strings.strip(t).numpy(), byte_array(["Hello World", "ÉtÉ"]))


def test_split_scalar_and_vector():
    assert_tensor(strings.split(tf.constant("a  b c")), np.array([b"a", b"b", b"c"], object))
    r = strings.split(tf.constant(["a b", "", "c,d"]), sep=",")
    assert r.to_list() == [[b"a b"], [b""], [b"c", b"d"]]
    r2 = strings.split(tf.constant(["x y z", "w"]), maxsplit=1)
    assert r2.to_list() == [[b"x", b"y z"], [b"w"]]
    with pytest.raises(ValueError):
        strings.split(tf.constant([["a"]]))


def test_join_and_reduce_join():
    joined = strings.join(["a", tf.constant(["b", "c"])], separator="-")
    np.testing.assert_array_equal(joined.numpy(), byte_array(["a-b", "a-c"]))
    m = tf.constant([["a", "b"], ["c", "d"]])
    assert strings.reduce_join(m).numpy() == b"abcd"
    np.testing.assert_array_equal(strings.reduce_join(m, axis=0, separator=",").numpy(),
                                  byte_array(["a,c", "b,d"]))
    kept = strings.reduce_join(m, axis=-1, keepdims=True)
    assert kept.shape == (2, 1) and kept.numpy()[1, 0] == b"cd"
    empty = strings.reduce_join(tf.constant(np.empty((0, 3), object), dtype=tf.string), axis=1)
    assert empty.shape == (0,)


def test_regex_replace_and_full_match():
    t = tf.constant(["hello 12 and 345", "none"])
    np.testing.assert_array_equal(strings.regex_replace(t, r"\d+", "#").numpy(),
                                  byte_array(["hello # and #", "none"]))
    first = strings.regex_replace(t, r"(\d)(\d)", r"\2\1", replace_global=False)
    assert first.numpy()[0] == b"hello 21 and 345"
    assert_tensor(strings.regex_full_match(t, r"[a-z]+"), [False, True], tf.bool)
    with pytest.raises(InvalidArgumentError):
        strings.regex_replace(t, "(", "x")


def test_substr_bytes_chars_negative_and_errors():
    t = tf.constant(["hello", "café"])
    np.testing.assert_array_equal(strings.substr(t, 1, 3).numpy(),
                                  np.array([b"ell", b"af\xc3"], object))
    np.testing.assert_array_equal(strings.substr(t, -2, 2, unit="UTF8_CHAR").numpy(),
                                  byte_array(["lo", "fé"]))
    np.testing.assert_array_equal(
        strings.substr(t, tf.constant([0, 2]), tf.constant([2, 2])).numpy(),
        np.array([b"he", b"f\xc3"], object))
    with pytest.raises(InvalidArgumentError, match="same shape"):
        strings.substr(t, tf.constant([0, 2]), 2)
    with pytest.raises(InvalidArgumentError, match="out of range"):
        strings.substr(tf.constant("abc"), 5, 1)


def test_to_number_and_as_string():
    assert_tensor(strings.to_number(tf.constant(["1.5", "-2e3"])), [1.5, -2000.0], tf.float32)
    assert_tensor(strings.to_number(tf.constant(["7"]), out_type=tf.int64), [7], tf.int64)
    with pytest.raises(InvalidArgumentError, match="could not correctly convert string: abc"):
        strings.to_number(tf.constant(["abc"]))
    with pytest.raises(InvalidArgumentError, match="attr 'out_type'"):
        strings.to_number(tf.constant(["1"]), out_type=tf.bool)
    np.testing.assert_array_equal(strings.as_string(tf.constant([3.5, 2.0])).numpy(),
                                  np.array([b"3.500000", b"2.000000"], object))
    np.testing.assert_array_equal(strings.as_string(tf.constant([7, -1])).numpy(),
                                  np.array([b"7", b"-1"], object))
    np.testing.assert_array_equal(strings.as_string(tf.constant([True, False])).numpy(),
                                  np.array([b"true", b"false"], object))
    assert strings.as_string(tf.constant(3.14159), precision=2).numpy() == b"3.14"
    assert strings.as_string(tf.constant(5), width=3, fill="0").numpy() == b"005"
    assert strings.as_string(tf.constant("x")).numpy() == b"x"


def test_unicode_split_bytes_split_and_transcode():
    np.testing.assert_array_equal(strings.unicode_split(tf.constant("café"), "UTF-8").numpy(),
                                  np.array([b"c", b"a", b"f", "é".encode()], object))
    chars = strings.unicode_split(tf.constant(["café", ""]), "UTF-8")
    assert chars.to_list() == [[b"c", b"a", b"f", "é".encode()], []]
    assert strings.bytes_split(tf.constant(["é", "ab"])).to_list() == \
        [[b"\xc3", b"\xa9"], [b"a", b"b"]]
    assert_tensor(strings.bytes_split(tf.constant("ab")), np.array([b"a", b"b"], object))
    utf16 = strings.unicode_transcode(tf.constant(["café"]), "UTF-8", "UTF-16-BE")
    assert utf16.numpy()[0] == "café".encode("utf-16-be")
    cleaned = strings.unicode_transcode(tf.constant("a\x01"), "UTF-8", "UTF-8",
                                        replace_control_characters=True)
    assert cleaned.numpy() == "a\ufffd".encode()
    with pytest.raises(InvalidArgumentError, match="output_encoding"):
        strings.unicode_transcode(tf.constant("a"), "UTF-8", "latin-1")


def test_string_ops_trace_like_eager():
    def fn(x, line):
        return (strings.length(x, unit="UTF8_CHAR"), strings.regex_replace(x, "a", "b"),
                strings.join([x, "z"]), strings.reduce_join(x, separator="|"),
                strings.upper(x), strings.split(line))

    x, line = tf.constant(["1a", "2 bé"]), tf.constant("a b")
    traced = tf.function(fn)(x, line)
    for got, want in zip(traced, fn(x, line)):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    encode = tf.function(lambda c: strings.unicode_encode(c, "UTF-8"),
                         input_signature=[tf.TensorSpec([None, None], tf.int32)])
    np.testing.assert_array_equal(encode(tf.constant([[104, 105], [111, 107]])).numpy(),
                                  byte_array(["hi", "ok"]))


def test_elementwise_ops_map_over_ragged_values():
    words = ragged.constant([["Ab", "c"], [], ["dé"]])
    assert strings.length(words, unit="UTF8_CHAR").to_list() == [[2, 1], [], [2]]
    # without an encoding only ASCII letters change case
    assert strings.upper(words).to_list() == [[b"AB", b"C"], [], [b"D" + "é".encode()]]
    assert strings.regex_replace(words, "[a-z]", "_").to_list() == [[b"A_", b"_"], [],
                                                                    ["_é".encode()]]
    numbers = strings.to_number(ragged.constant([["1", "2.5"], ["3"]]))
    assert numbers.to_list() == [[1.0, 2.5], [3.0]] and numbers.dtype == tf.float32
    assert strings.as_string(ragged.constant([[1], [2, 3]])).to_list() == [[b"1"], [b"2", b"3"]]
