"""Dataset sources: from_tensor_slices, from_tensors, range, from_generator, list_files,
zip and concatenate."""
import collections
import os
import re

import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.framework import errors

Dataset = tf.data.Dataset


def values(dataset):
    return list(dataset.as_numpy_iterator())


# ---- from_tensor_slices ----------------------------------------------------------------------

def test_slices_of_a_tensor_yield_eager_scalars_in_order():
    ds = Dataset.from_tensor_slices(tf.range(4))
    items = list(ds)
    assert [type(t).__name__ for t in items] == ["EagerTensor"] * 4
    assert [int(t) for t in items] == [0, 1, 2, 3]
    assert items[0].dtype == tf.int32 and items[0].shape == ()


def test_slices_of_python_lists_use_tensorflow_default_dtypes():
    assert Dataset.from_tensor_slices([1.5, 2.5]).element_spec == tf.TensorSpec([], tf.float32)
    assert Dataset.from_tensor_slices([[1, 2], [3, 4]]).element_spec == tf.TensorSpec(
        [2], tf.int32)
    assert Dataset.from_tensor_slices(np.zeros((5, 3, 2))).element_spec == tf.TensorSpec(
        [3, 2], tf.float64)


def test_slices_of_a_tuple_and_a_dict_keep_the_structure():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    y = np.array([7, 8, 9], dtype=np.uint8)
    ds = Dataset.from_tensor_slices((x, y))
    assert ds.element_spec == (tf.TensorSpec([2], tf.float32), tf.TensorSpec([], tf.uint8))
    first = next(iter(ds))
    assert isinstance(first, tuple)
    np.testing.assert_array_equal(first[0].numpy(), [0, 1])
    assert first[1].dtype == tf.uint8 and int(first[1]) == 7
    d = Dataset.from_tensor_slices({"b": [1, 2], "a": [3., 4.]})
    assert list(d.element_spec) == ["b", "a"]  # insertion order, as TensorFlow shows it
    assert values(d) == [{"b": 1, "a": 3.0}, {"b": 2, "a": 4.0}]


def test_slices_of_namedtuples_and_strings():
    Point = collections.namedtuple("Point", "x y")
    ds = Dataset.from_tensor_slices(Point([1, 2], ["a", "bc"]))
    first = next(iter(ds))
    assert type(first) is Point and first.y.dtype == tf.string
    assert first.y.numpy() == b"a"
    assert values(ds)[1] == Point(2, b"bc")


def test_slices_reject_scalars_and_mismatched_lengths():
    with pytest.raises(ValueError, match="rank >= 1"):
        Dataset.from_tensor_slices(5)
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        Dataset.from_tensor_slices((np.arange(3), np.arange(4)))
    with pytest.raises(ValueError, match="non-rectangular"):
        Dataset.from_tensor_slices([[1, 2], [3]])


def test_slices_of_a_variable_read_its_value():
    ds = Dataset.from_tensor_slices(tf.Variable([1.5, 2.5]))
    assert values(ds) == [1.5, 2.5]


# ---- from_tensors / range ------------------------------------------------------------------

def test_from_tensors_is_one_element_with_the_full_shape():
    ds = Dataset.from_tensors(tf.constant([[1, 2], [3, 4]]))
    assert repr(ds.element_spec) == "TensorSpec(shape=(2, 2), dtype=tf.int32, name=None)"
    assert [t.numpy().tolist() for t in ds] == [[[1, 2], [3, 4]]]
    pair = Dataset.from_tensors(([1, 2], "x"))
    assert pair.element_spec == (tf.TensorSpec([2], tf.int32), tf.TensorSpec([], tf.string))
    assert int(pair.cardinality()) == 1


@pytest.mark.parametrize("args, expected", [
    ((5,), [0, 1, 2, 3, 4]), ((2, 10, 3), [2, 5, 8]), ((10, 2, -3), [10, 7, 4]),
    ((3, 1), []), ((-2, 2), [-2, -1, 0, 1]),
])
def test_range_follows_python_range(args, expected):
    ds = Dataset.range(*args)
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert values(ds) == expected
    assert int(ds.cardinality()) == len(expected)


def test_range_output_type_and_errors():
    ds = Dataset.range(3, output_type=tf.int32)
    assert [t.dtype for t in ds] == [tf.int32] * 3
    assert values(ds.batch(2)) [0].dtype == np.int32
    with pytest.raises(errors.InvalidArgumentError, match="step must be a non-zero integer"):
        Dataset.range(10, 2, 0)
    with pytest.raises(ValueError, match="between 1 and 3"):
        Dataset.range(1, 2, 3, 4)


# ---- from_generator --------------------------------------------------------------------------

def _gen():
    for i in range(3):
        yield i, [i] * i


def test_from_generator_with_output_signature():
    ds = Dataset.from_generator(
        _gen, output_signature=(tf.TensorSpec([], tf.int32), tf.TensorSpec([None], tf.int32)))
    assert repr(ds) == ("<_FlatMapDataset element_spec=(TensorSpec(shape=(), dtype=tf.int32, "
                        "name=None), TensorSpec(shape=(None,), dtype=tf.int32, name=None))>")
    assert [(int(a), b.numpy().tolist()) for a, b in ds] == [(0, []), (1, [1]), (2, [2, 2])]
    # re-iterable: the generator is called again
    assert len(list(ds)) == 3
    assert int(ds.cardinality()) == -2


def test_from_generator_with_output_types_and_shapes():
    ds = Dataset.from_generator(lambda: iter([(1, [2])]), output_types=(tf.int32, tf.int32),
                                output_shapes=([], [None]))
    assert ds.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([None], tf.int32))
    ds = Dataset.from_generator(lambda: iter([{"a": 1}]), output_types={"a": tf.int32})
    assert repr(ds.element_spec) == ("{'a': TensorSpec(shape=<unknown>, dtype=tf.int32, "
                                     "name=None)}")
    assert values(ds) == [{"a": 1}]


def test_from_generator_passes_args_as_numpy_values():
    seen = []

    def gen(n, word):
        seen.append((type(n).__name__, word))
        yield from range(n)
    ds = Dataset.from_generator(gen, output_types=tf.int32, args=(3, "hi"))
    assert values(ds) == [0, 1, 2]
    assert seen == [("int32", b"hi")]


def test_from_generator_checks_what_is_yielded():
    bad_type = Dataset.from_generator(lambda: iter([1, 2.5]), output_types=tf.int32)
    with pytest.raises(errors.InvalidArgumentError, match="did not match the expected "
                       "structure. The expected structure was tf.int32, but the yielded "
                       "element was 2.5"):
        list(bad_type)
    bad_shape = Dataset.from_generator(lambda: iter([[1], [2, 3]]),
                                       output_signature=tf.TensorSpec([1], tf.int32))
    with pytest.raises(errors.InvalidArgumentError, match=r"yielded an element of shape "
                       r"\(2,\) where an element of shape \(1,\) was expected"):
        list(bad_shape)
    bad_structure = Dataset.from_generator(lambda: iter([(1, 2)]),
                                           output_signature=(tf.TensorSpec([], tf.int32),))
    with pytest.raises(errors.InvalidArgumentError, match="did not match"):
        list(bad_structure)


def test_from_generator_argument_errors():
    with pytest.raises(TypeError, match="must be a Python callable"):
        Dataset.from_generator(iter([1]), output_types=tf.int32)
    with pytest.raises(TypeError, match="either the `output_signature` argument or the "
                       "`output_types`"):
        Dataset.from_generator(lambda: iter([1]))
    with pytest.raises(TypeError, match="can not be used together"):
        Dataset.from_generator(lambda: iter([1]), output_types=tf.int32,
                               output_signature=tf.TensorSpec([], tf.int32))
    with pytest.raises(TypeError, match="subclass of `tf.TypeSpec`"):
        Dataset.from_generator(lambda: iter([1]), output_signature=tf.int32)


# ---- list_files ------------------------------------------------------------------------------

@pytest.fixture
def files(tmp_path):
    for name in ("c.txt", "a.txt", "b.txt", "d.csv"):
        (tmp_path / name).write_text("x\n")
    return tmp_path


def _names(ds):
    return [os.path.basename(p.decode()) for p in values(ds)]


def test_list_files_unshuffled_is_sorted(files):
    ds = Dataset.list_files(str(files / "*.txt"), shuffle=False)
    assert _names(ds) == ["a.txt", "b.txt", "c.txt"]
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    # several patterns: all matches, sorted together (duplicates kept), as TF's MatchingFiles
    ds = Dataset.list_files([str(files / "c.txt"), str(files / "a.txt"), str(files / "*.txt")],
                            shuffle=False)
    assert _names(ds) == ["a.txt", "a.txt", "b.txt", "c.txt", "c.txt"]


def test_list_files_shuffles_with_a_seed(files):
    pattern = str(files / "*")
    first = _names(Dataset.list_files(pattern, seed=42))
    assert sorted(first) == ["a.txt", "b.txt", "c.txt", "d.csv"]
    assert _names(Dataset.list_files(pattern, seed=42)) == first
    assert repr(Dataset.list_files(pattern)).startswith("<_ShuffleDataset")
    orders = {tuple(_names(Dataset.list_files(pattern, seed=s))) for s in range(12)}
    assert len(orders) > 1


def test_list_files_without_a_match_raises(tmp_path):
    pattern = str(tmp_path / "*.csv")
    with pytest.raises(errors.InvalidArgumentError,
                       match="No files matched pattern: " + re.escape(pattern)):
        Dataset.list_files(pattern)


# ---- zip / concatenate -----------------------------------------------------------------------

def test_zip_of_a_tuple_positional_datasets_and_a_dict():
    zipped = Dataset.zip((Dataset.range(3), Dataset.range(3).map(lambda x: -x)))
    assert [(int(a), int(b)) for a, b in zipped] == [(0, 0), (1, -1), (2, -2)]
    assert values(Dataset.zip(Dataset.range(2), Dataset.range(3))) == [(0, 0), (1, 1)]
    nested = Dataset.zip({"a": Dataset.range(2), "b": (Dataset.range(3),)})
    assert values(nested) == [{"a": 0, "b": (0,)}, {"a": 1, "b": (1,)}]
    assert repr(Dataset.zip(Dataset.range(2))).startswith("<_ZipDataset element_spec=TensorSpec")


def test_zip_of_nested_elements_keeps_each_structure():
    left = Dataset.from_tensor_slices(({"k": [1, 2]}, [3, 4]))
    zipped = Dataset.zip((left, Dataset.range(2)))
    assert values(zipped)[1] == (({"k": 2}, 4), 1)


def test_zip_errors_and_cardinality():
    with pytest.raises(TypeError, match="encountered object of type <class 'int'>"):
        Dataset.zip((1, 2))
    infinite = Dataset.range(3).repeat()
    assert int(Dataset.zip((infinite, Dataset.range(3))).cardinality()) == 3
    assert int(Dataset.zip((infinite, infinite)).cardinality()) == -1
    unknown = Dataset.range(3).filter(lambda x: x > 0)
    assert int(Dataset.zip((unknown, Dataset.range(3))).cardinality()) == -2


def test_concatenate_values_specs_and_errors():
    ds = Dataset.range(3).concatenate(Dataset.range(10, 12))
    assert values(ds) == [0, 1, 2, 10, 11]
    assert int(ds.cardinality()) == 5
    mixed = Dataset.from_tensor_slices(np.zeros((2, 3), np.int64))
    assert repr(Dataset.range(3).concatenate(mixed).element_spec) == \
        "TensorSpec(shape=<unknown>, dtype=tf.int64, name=None)"
    vectors = Dataset.from_tensor_slices(np.zeros((2, 3), np.int64)).concatenate(
        Dataset.from_tensor_slices(np.zeros((2, 4), np.int64)))
    assert vectors.element_spec == tf.TensorSpec([None], tf.int64)
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices([1.0]))
    assert int(Dataset.range(3).concatenate(Dataset.range(1).repeat()).cardinality()) == -1
