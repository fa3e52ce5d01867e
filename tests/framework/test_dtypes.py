import numpy as np
import pytest

import tensorlite as tf


def test_repr_and_names():
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.int64) == "<dtype: 'int64'>"
    assert tf.float32.name == "float32"
    assert tf.double is tf.float64 and tf.half is tf.float16


@pytest.mark.parametrize("spelling,expected", [
    (np.float32, tf.float32), ("float32", tf.float32), (np.dtype("int64"), tf.int64),
    (float, tf.float32), (int, tf.int32), (bool, tf.bool), (str, tf.string),
    ("bfloat16", tf.bfloat16), (tf.uint8, tf.uint8), ("complex64", tf.complex64),
])
def test_as_dtype(spelling, expected):
    assert tf.as_dtype(spelling) is expected


def test_as_dtype_rejects_unknown():
    with pytest.raises(TypeError):
        tf.as_dtype("nope")


def test_equality_with_other_spellings():
    assert tf.float32 == np.float32
    assert tf.float32 == "float32"
    assert tf.float32 != tf.float64
    assert tf.float32 != "not a dtype"


def test_properties():
    assert tf.float16.is_floating and not tf.float16.is_integer
    assert tf.uint8.is_unsigned and tf.uint8.is_integer
    assert tf.complex64.is_complex and tf.complex64.real_dtype is tf.float32
    assert tf.int32.min == -2 ** 31 and tf.int32.max == 2 ** 31 - 1
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.bfloat16.size == 2
    assert tf.float32.as_datatype_enum == 1 and tf.resource.as_datatype_enum == 20


def test_bfloat16_tensor():
    t = tf.constant([1.5, 2.0], dtype=tf.bfloat16)
    assert t.dtype is tf.bfloat16
    np.testing.assert_array_equal(t.numpy().astype(np.float32), [1.5, 2.0])
