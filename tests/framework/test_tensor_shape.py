import pytest

import tensorlite as tf


def test_repr_str():
    assert repr(tf.TensorShape([2, 3])) == "TensorShape([2, 3])"
    assert repr(tf.TensorShape([None, 2])) == "TensorShape([None, 2])"
    assert str(tf.TensorShape([None, 2])) == "(None, 2)"
    assert str(tf.TensorShape([4])) == "(4,)"
    assert str(tf.TensorShape([])) == "()"
    assert repr(tf.TensorShape(None)) == "TensorShape(None)"
    assert str(tf.TensorShape(None)) == "<unknown>"


def test_indexing_and_slicing():
    s = tf.TensorShape([None, 28, 3])
    assert s[0] is None and s[-1] == 3
    assert s[1:] == tf.TensorShape([28, 3])
    assert s[-1:].as_list() == [3]
    assert s.as_list() == [None, 28, 3]
    assert len(s) == 3 and s.rank == 3 and s.ndims == 3
    assert list(s) == [None, 28, 3]


def test_compatibility_and_merge():
    a = tf.TensorShape([None, 3])
    assert a.is_compatible_with([5, 3])
    assert not a.is_compatible_with([5, 4])
    assert not a.is_compatible_with([5, 3, 1])
    assert tf.TensorShape(None).is_compatible_with([1, 2])
    assert a.merge_with([5, None]) == tf.TensorShape([5, 3])
    with pytest.raises(ValueError):
        a.merge_with([5, 4])
    assert a.most_specific_compatible_shape([5, 3]).as_list() == [None, 3]


def test_fully_defined_and_elements():
    assert tf.TensorShape([2, 3]).is_fully_defined()
    assert tf.TensorShape([2, 3]).num_elements() == 6
    assert not tf.TensorShape([None, 3]).is_fully_defined()
    assert tf.TensorShape([None, 3]).num_elements() is None


def test_equality_and_concat():
    assert tf.TensorShape([2, 3]) == [2, 3]
    assert tf.TensorShape([2, 3]) == (2, 3)
    assert tf.TensorShape([2, 3]) != [3, 2]
    assert tf.TensorShape([2]) + [3] == tf.TensorShape([2, 3])
    assert tf.TensorShape([2]).concatenate(tf.TensorShape(None)) == tf.TensorShape(None)


def test_unknown_rank_errors_and_bad_dims():
    with pytest.raises(ValueError):
        tf.TensorShape(None).as_list()
    with pytest.raises(ValueError):
        len(tf.TensorShape(None))
    with pytest.raises(ValueError):
        tf.TensorShape([-1])
    with pytest.raises(TypeError):
        tf.TensorShape(["a"])
