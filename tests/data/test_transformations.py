"""Dataset transformations: values, orders, specs, cardinalities and errors (checked
against TensorFlow 2.21)."""
import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.framework import errors
from tensorlite.framework.tensor import EagerTensor

Dataset = tf.data.Dataset


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def values(dataset):
    return [_plain(v) for v in dataset.as_numpy_iterator()]


def spec(shape, dtype=tf.int64):
    return tf.TensorSpec(shape, dtype)


# ---- map ------------------------------------------------------------------------------------

def test_map_repeat_batch_unbatch_filter_chain():
    ds = Dataset.from_tensor_slices(tf.range(10)).repeat(3).batch(7)
    assert [len(b) for b in ds] == [7, 7, 7, 7, 2]
    ds = ds.map(lambda x: x * 2).apply(tf.data.experimental.unbatch())
    ds = ds.filter(lambda x: x < 10)
    assert values(ds) == [0, 2, 4, 6, 8] * 3


def test_map_traces_the_function_once():
    calls = []

    def double(x):
        calls.append(x)
        if x > 2:  # AutoGraph: a tf.cond in the traced graph
            return x * 2
        return x
    ds = Dataset.range(5).map(double)
    assert values(ds) == [0, 1, 2, 6, 8]
    assert values(ds) == [0, 1, 2, 6, 8]
    assert len(calls) == 1 and not isinstance(calls[0], EagerTensor)  # traced: symbolic
    assert repr(ds) == "<_MapDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"


def test_map_unpacks_tuples_but_not_dicts():
    pairs = Dataset.from_tensor_slices(([1, 2], [3, 4]))
    assert values(pairs.map(lambda a, b: a + b)) == [4, 6]
    with pytest.raises(TypeError, match="too many positional arguments"):
        pairs.map(lambda ab: ab)
    dicts = Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert values(dicts.map(lambda d: d["a"] * d["b"])) == [3, 8]
    with pytest.raises(TypeError, match="missing a required argument: 'y'"):
        Dataset.range(3).map(lambda x, y: x)


def test_map_output_structures():
    ds = Dataset.range(3).map(lambda x: [x, x])  # a returned list is a tuple
    assert ds.element_spec == (spec([]), spec([]))
    ds = Dataset.range(3).map(lambda x: {"b": x, "a": [x, x], "c": "s"})
    assert ds.element_spec == {"b": spec([]), "a": spec([2]), "c": spec([], tf.string)}
    assert list(ds.element_spec) == ["b", "a", "c"]
    assert values(ds)[2] == {"b": 2, "a": [2, 2], "c": b"s"}
    ds = Dataset.range(3).map(lambda x: (5, 2.0, True))
    assert ds.element_spec == (spec([], tf.int32), spec([], tf.float32), spec([], tf.bool))


def test_map_shapes_come_from_the_trace():
    ds = Dataset.range(4).map(lambda x: tf.fill([x], x))
    assert ds.element_spec == spec([None])
    assert values(ds) == [[], [1], [2, 2], [3, 3, 3]]
    batched = Dataset.from_tensor_slices(np.zeros((6, 3), np.float32)).batch(4)
    assert batched.map(lambda x: x * 2.0).element_spec == spec([None, 3], tf.float32)


def test_map_of_an_untraceable_function_runs_eagerly():
    ds = Dataset.range(3).map(lambda x: x.numpy() * 10)  # .numpy() only exists eagerly
    assert values(ds) == [0, 10, 20]
    assert ds.element_spec == spec([])
    assert repr(Dataset.range(3).map(lambda x: x, num_parallel_calls=tf.data.AUTOTUNE)) \
        .startswith("<_ParallelMapDataset")


def test_map_uses_variables_and_keeps_cardinality():
    scale = tf.Variable(3, dtype=tf.int64)
    ds = Dataset.range(3).map(lambda x: x * scale)
    assert values(ds) == [0, 3, 6]
    scale.assign(10)
    assert values(ds) == [0, 10, 20]  # the variable is read at run time
    assert int(ds.cardinality()) == 3
    assert int(Dataset.range(3).repeat().map(lambda x: x).cardinality()) == -1


# ---- filter ---------------------------------------------------------------------------------

def test_filter_values_cardinality_and_tuple_elements():
    ds = Dataset.range(10).filter(lambda x: x % 3 == 0)
    assert values(ds) == [0, 3, 6, 9]
    assert int(ds.cardinality()) == -2
    pairs = Dataset.from_tensor_slices(([1, 2], [3, 4])).filter(lambda a, b: a > 1)
    assert values(pairs) == [(2, 4)]
    assert values(Dataset.range(3).filter(lambda x: True)) == [0, 1, 2]


def test_filter_predicate_must_return_a_scalar_bool():
    with pytest.raises(ValueError, match=r"`predicate` must return a `tf.bool` scalar tensor, "
                       r"but its return type is TensorSpec\(shape=\(\), dtype=tf.int64"):
        Dataset.range(3).filter(lambda x: x)


# ---- batch / padded_batch / unbatch / rebatch -------------------------------------------------

def test_batch_specs_and_values():
    ds = Dataset.range(10).batch(4)
    assert repr(ds) == "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, " \
                       "name=None)>"
    assert values(ds) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    dropped = Dataset.range(10).batch(4, drop_remainder=True)
    assert repr(dropped.element_spec) == "TensorSpec(shape=(4,), dtype=tf.int64, name=None)"
    assert values(dropped) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert (int(ds.cardinality()), int(dropped.cardinality())) == (3, 2)
    assert repr(Dataset.range(3).batch(2, num_parallel_calls=2)).startswith(
        "<_ParallelBatchDataset")


def test_batch_of_arrays_equals_batch_of_elements():
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    sliced = Dataset.from_tensor_slices((x, {"y": np.arange(10)})).batch(4)
    mapped = Dataset.from_tensor_slices((x, {"y": np.arange(10)})).map(
        lambda a, b: (a, b)).batch(4)  # no row plan: elements stacked one by one
    for (a1, b1), (a2, b2) in zip(sliced, mapped):
        np.testing.assert_array_equal(a1.numpy(), a2.numpy())
        np.testing.assert_array_equal(b1["y"].numpy(), b2["y"].numpy())
    last = list(sliced)[-1]
    assert last[0].shape == (2, 3) and last[1]["y"].dtype == tf.int64


def test_batch_errors():
    with pytest.raises(errors.InvalidArgumentError, match="Batch size must be greater than zero"):
        Dataset.range(3).batch(0)
    ragged = Dataset.range(3).map(lambda x: tf.fill([x], x)).batch(2)
    with pytest.raises(errors.InvalidArgumentError, match=r"Cannot add tensor to the batch: "
                       r"number of elements does not match. Shapes are: \[tensor\]: \[1\], "
                       r"\[batch\]: \[0\]"):
        list(ragged)


def test_batch_of_strings():
    ds = Dataset.from_tensor_slices(["a", "bc", "d"]).map(lambda s: s).batch(2)
    assert ds.element_spec == spec([None], tf.string)
    assert values(ds) == [[b"a", b"bc"], [b"d"]]


def test_padded_batch_pads_to_the_longest():
    ds = Dataset.range(4).map(lambda x: tf.fill([x], x)).padded_batch(2)
    assert ds.element_spec == spec([None, None])
    assert values(ds) == [[[0], [1]], [[2, 2, 0], [3, 3, 3]]]


def test_padded_batch_shapes_values_and_structures():
    lengths = Dataset.range(5).map(lambda x: tf.fill([x], x))
    ds = lengths.padded_batch(2, padded_shapes=[5], padding_values=tf.constant(-1, tf.int64))
    assert values(ds)[1] == [[2, 2, -1, -1, -1], [3, 3, 3, -1, -1]]
    assert lengths.padded_batch(2, padded_shapes=[5], drop_remainder=True).element_spec == \
        spec([2, 5])
    assert lengths.padded_batch(2, padded_shapes=4).element_spec == spec([None, 4])
    pairs = Dataset.range(3).map(lambda x: (x, tf.fill([x], x))).padded_batch(
        2, padding_values=(np.int64(7), np.int64(-1)))
    assert pairs.element_spec == (spec([None]), spec([None, None]))
    assert values(pairs)[0] == ([0, 1], [[-1], [1]])


def test_padded_batch_errors():
    lengths = Dataset.range(5).map(lambda x: tf.fill([x], x))
    with pytest.raises(TypeError, match="values type <dtype: 'int32'> does not match type "
                       "<dtype: 'int64'>"):
        lengths.padded_batch(2, padding_values=-1)
    with pytest.raises(ValueError, match=r"The padded shape \(None, 2\) is not compatible"):
        lengths.padded_batch(2, padded_shapes=[None, 2])
    with pytest.raises(errors.DataLossError, match="pad to a smaller size"):
        list(lengths.padded_batch(2, padded_shapes=[2]))


def test_unbatch():
    assert values(Dataset.range(6).batch(4).unbatch()) == [0, 1, 2, 3, 4, 5]
    ds = Dataset.from_tensor_slices(np.zeros((4, 3))).batch(2).unbatch()
    assert ds.element_spec == spec([3], tf.float64)
    assert int(ds.cardinality()) == -2
    assert int(Dataset.range(2).repeat().batch(2).unbatch().cardinality()) == -1
    with pytest.raises(ValueError, match="Cannot unbatch an input with scalar components"):
        Dataset.range(5).unbatch()
    with pytest.raises(ValueError, match="Encountered both 2 and 3"):
        Dataset.from_tensors((tf.zeros([2]), tf.zeros([3]))).unbatch()
    strings = Dataset.from_tensors(tf.constant(["x", "yz"])).unbatch()
    assert values(strings) == [b"x", b"yz"]


def test_rebatch():
    assert values(Dataset.range(1, 6).batch(2).rebatch(3)) == [[1, 2, 3], [4, 5]]
    assert values(Dataset.range(1, 6).batch(2).rebatch([1, 2])) == [[1], [2, 3], [4], [5]]
    assert Dataset.range(3).batch(2).rebatch(3).element_spec == spec([None])
    with pytest.raises(ValueError, match="scalar elements"):
        Dataset.range(3).rebatch(2)


# ---- shuffle --------------------------------------------------------------------------------

def test_shuffle_is_a_permutation_that_changes_each_epoch():
    ds = Dataset.range(10).repeat(3).shuffle(buffer_size=5, seed=42).batch(7)
    batches = [b.numpy() for b in ds]
    assert [b.shape for b in batches] == [(7,), (7,), (7,), (7,), (2,)]
    items = np.concatenate(batches).tolist()
    assert sorted(items) == sorted(list(range(10)) * 3) and items != list(range(10)) * 3
    full = Dataset.range(100).shuffle(100, seed=1)
    first, second = values(full), values(full)
    assert sorted(first) == list(range(100)) and first != second  # reshuffled


def test_shuffle_seeds_and_reshuffle_each_iteration():
    fixed = Dataset.range(20).shuffle(20, seed=42, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    assert values(Dataset.range(20).shuffle(20, seed=42)) == \
        values(Dataset.range(20).shuffle(20, seed=42))
    tf.random.set_seed(7)
    a = values(Dataset.range(20).shuffle(20))
    tf.random.set_seed(7)
    b = values(Dataset.range(20).shuffle(20))
    tf.random.set_seed(None)
    assert a == b and sorted(a) == list(range(20))


def test_shuffle_buffer_keeps_items_near_their_position():
    items = values(Dataset.range(1000).shuffle(10, seed=3))
    assert sorted(items) == list(range(1000))
    # an output is drawn from a buffer holding the next 10 inputs, at most
    assert all(v <= i + 9 for i, v in enumerate(items))
    unplanned = values(Dataset.range(1000).map(lambda x: x).shuffle(10, seed=3))
    assert sorted(unplanned) == list(range(1000)) and unplanned != list(range(1000))
    assert all(v <= i + 9 for i, v in enumerate(unplanned))


def test_shuffle_of_arrays_keeps_rows_together():
    x = np.arange(50)
    ds = Dataset.from_tensor_slices((x, x * 10)).shuffle(50, seed=0).batch(8)
    pairs = [(a.numpy(), b.numpy()) for a, b in ds]
    for a, b in pairs:
        np.testing.assert_array_equal(b, a * 10)
    assert sorted(np.concatenate([a for a, _ in pairs]).tolist()) == list(range(50))


def test_shuffle_errors():
    with pytest.raises(errors.InvalidArgumentError, match="buffer_size must be greater than zero"):
        Dataset.range(3).shuffle(0)


# ---- repeat / take / skip / shard / prefetch / cache -----------------------------------------

def test_repeat_take_skip():
    assert values(Dataset.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert values(Dataset.range(0).repeat()) == []
    assert values(Dataset.range(5).take(-1)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(10).skip(7)) == [7, 8, 9]
    assert values(Dataset.range(5).skip(-1)) == [] and values(Dataset.range(5).skip(10)) == []
    assert values(Dataset.range(5).repeat(2).batch(3)) == [[0, 1, 2], [3, 4, 0], [1, 2, 3],
                                                          [4]]
    assert values(Dataset.range(5).map(lambda x: x).repeat(2).skip(3).take(4)) == [3, 4, 0, 1]


def test_shard():
    assert values(Dataset.range(10).shard(num_shards=3, index=1)) == [1, 4, 7]
    assert values(Dataset.range(10).map(lambda x: x).shard(3, 0)) == [0, 3, 6, 9]
    assert values(Dataset.range(10).repeat(2).shard(4, 3)) == [3, 7, 1, 5, 9]
    with pytest.raises(errors.InvalidArgumentError, match=r"Index must be between 0 and 1 "
                       r"\(currently index = 2\)"):
        Dataset.range(5).shard(2, 2)
    with pytest.raises(errors.InvalidArgumentError, match="Number of shards must be greater"):
        Dataset.range(5).shard(0, 0)


def test_prefetch_and_cache():
    assert values(Dataset.range(10).prefetch(tf.data.AUTOTUNE).take(2)) == [0, 1]
    ds = Dataset.range(5).map(lambda x: x * x).cache()
    assert values(ds) == values(ds) == [0, 1, 4, 9, 16]
    assert repr(ds).startswith("<CacheDataset")
    shuffled = Dataset.range(30).shuffle(30).cache()  # the first order is kept
    assert values(shuffled) == values(shuffled)
    partial = Dataset.range(30).map(lambda x: x).shuffle(30).cache()
    first = values(partial)
    assert values(partial) == first and sorted(first) == list(range(30))


@pytest.mark.parametrize("make, expected", [
    (lambda: Dataset.range(10).batch(4), 3),
    (lambda: Dataset.range(10).filter(lambda x: x > 3), -2),
    (lambda: Dataset.range(10).repeat(), -1),
    (lambda: Dataset.range(10).repeat(0), 0),
    (lambda: Dataset.range(10).shard(3, 2), 3),
    (lambda: Dataset.range(10).window(3), 4),
    (lambda: Dataset.range(10).window(3, drop_remainder=True), 3),
    (lambda: Dataset.range(10).window(3, 2), 5),
    (lambda: Dataset.range(10).window(12, drop_remainder=True), 0),
    (lambda: Dataset.range(10).shuffle(3), 10),
    (lambda: Dataset.range(10).repeat().take(5), 5),
    (lambda: Dataset.range(10).repeat().skip(5), -1),
    (lambda: Dataset.range(10).repeat().batch(3), -1),
    (lambda: Dataset.range(10).filter(lambda x: True).repeat(), -1),
    (lambda: Dataset.range(10).filter(lambda x: True).repeat(2), -2),
    (lambda: Dataset.range(10).filter(lambda x: True).take(2), -2),
    (lambda: Dataset.range(10).padded_batch(3, drop_remainder=True), 3),
    (lambda: Dataset.range(10).flat_map(lambda x: Dataset.from_tensors(x)), -2),
    (lambda: Dataset.range(3).enumerate(), 3),
])
def test_cardinality(make, expected):
    assert int(make().cardinality()) == expected
    assert int(tf.data.experimental.cardinality(make())) == expected


def test_len():
    assert len(Dataset.range(7).batch(2)) == 4
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(Dataset.range(2).repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(Dataset.range(2).filter(lambda x: True))


# ---- window / flat_map / interleave ------------------------------------------------------------

def test_window_of_scalars():
    windows = Dataset.range(7).window(3, shift=2, drop_remainder=True)
    assert repr(windows) == ("<_WindowDataset element_spec=DatasetSpec(TensorSpec(shape=(), "
                             "dtype=tf.int64, name=None), TensorShape([]))>")
    assert [values(w) for w in windows] == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert [values(w) for w in Dataset.range(7).window(3, 2, 2)] == [[0, 2, 4], [2, 4, 6],
                                                                      [4, 6], [6]]
    assert [values(w) for w in Dataset.range(10).window(4, 3, drop_remainder=True)] == \
        [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]
    assert [values(w) for w in Dataset.range(5).window(2, shift=3)] == [[0, 1], [3, 4]]


def test_window_of_structures_and_flat_map_batching():
    pairs = Dataset.zip((Dataset.range(5), Dataset.range(5).map(lambda x: -x))).window(2)
    assert [(values(a), values(b)) for a, b in pairs] == [([0, 1], [0, -1]), ([2, 3], [-2, -3]),
                                                          ([4], [-4])]
    batched = Dataset.range(5).window(2).flat_map(lambda w: w.batch(2))
    assert values(batched) == [[0, 1], [2, 3], [4]]
    assert batched.element_spec == spec([None])


def test_window_errors():
    for args, what in [((0,), "size"), ((2, 0), "shift"), ((2, 1, 0), "stride")]:
        with pytest.raises(errors.InvalidArgumentError, match=f"Window {what} must be greater"):
            Dataset.range(3).window(*args)


def test_flat_map():
    ds = Dataset.range(3).flat_map(lambda x: Dataset.from_tensor_slices(tf.fill([x + 1], x)))
    assert values(ds) == [0, 1, 1, 2, 2, 2]
    assert repr(ds).startswith("<_FlatMapDataset element_spec=TensorSpec(shape=(), "
                               "dtype=tf.int64")
    with pytest.raises(TypeError, match="`map_func` must return a `Dataset` object"):
        list(Dataset.range(3).flat_map(lambda x: x))


@pytest.mark.parametrize("cycle, block, expected", [
    (2, 2, [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5]),
    (3, 1, [1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 4, 5, 5, 5]),
    (2, 1, [1, 2, 2, 3, 3, 4, 3, 4, 4, 5, 4, 5, 5, 5, 5]),
])
def test_interleave_order_matches_tensorflow(cycle, block, expected):
    ds = Dataset.range(1, 6).interleave(lambda x: Dataset.from_tensors(x).repeat(x),
                                        cycle_length=cycle, block_length=block)
    assert values(ds) == expected


def test_interleave_parallel_name_and_errors():
    ds = Dataset.range(3).interleave(lambda x: Dataset.range(x), cycle_length=2,
                                     num_parallel_calls=2)
    assert repr(ds).startswith("<_ParallelInterleaveDataset")
    assert values(ds) == [0, 0, 1]
    with pytest.raises(errors.InvalidArgumentError, match="cycle_length must be greater"):
        Dataset.range(3).interleave(lambda x: Dataset.range(x), cycle_length=0)


# ---- enumerate / reduce / get_single_element / apply ---------------------------------------------

def test_enumerate():
    ds = Dataset.range(3).enumerate(start=5)
    assert ds.element_spec == (spec([]), spec([]))
    assert values(ds) == [(5, 0), (6, 1), (7, 2)]
    assert repr(ds).startswith("<_ZipDataset")


def test_reduce():
    total = Dataset.range(5).reduce(tf.constant(0, tf.int64), lambda state, x: state + x)
    assert repr(total) == "<tf.Tensor: shape=(), dtype=int64, numpy=10>"
    pair = Dataset.range(3).reduce((np.int64(0), np.int64(1)),
                                   lambda s, x: (s[0] + x, s[1] * 2))
    assert [int(t) for t in pair] == [3, 8]
    # the state's shape is relaxed until the function's output fits
    grown = Dataset.range(3).reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    assert grown.numpy().tolist() == [0, 1, 2]


def test_reduce_errors():
    with pytest.raises(TypeError, match="Expected <dtype: 'int64'> but got <dtype: 'int32'>"):
        Dataset.range(3).reduce(np.int64(0), lambda s, x: tf.cast(s, tf.int32))
    with pytest.raises(errors.InvalidArgumentError, match=r"\(initial_state=1, output=2\)"):
        Dataset.range(3).reduce(np.int64(0), lambda s, x: (s, s))


def test_get_single_element_and_apply():
    assert int(Dataset.range(1).get_single_element()) == 0
    with pytest.raises(errors.InvalidArgumentError, match="Dataset had more than one element"):
        Dataset.range(5).get_single_element()
    with pytest.raises(errors.InvalidArgumentError, match="Dataset was empty"):
        Dataset.range(0).get_single_element()
    assert values(Dataset.range(3).apply(lambda d: d.map(lambda x: x + 1))) == [1, 2, 3]
    with pytest.raises(TypeError, match="must return a `tf.data.Dataset`"):
        Dataset.range(3).apply(lambda d: 3)
