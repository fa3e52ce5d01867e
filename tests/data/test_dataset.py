"""The Dataset base: reprs, iteration and iterators, re-iteration, AutoGraph loops,
options and the fast row path."""
import time

import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.framework import errors
from tensorlite.framework.tensor import EagerTensor

Dataset = tf.data.Dataset


def test_reprs_name_tensorflow_classes():
    ds = Dataset.from_tensor_slices(tf.range(10))
    assert repr(ds) == ("<_TensorSliceDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, "
                        "name=None)>")
    r = Dataset.range(5)
    for dataset, name in [(r, "_RangeDataset"), (r.shuffle(3), "_ShuffleDataset"),
                          (r.repeat(2), "_RepeatDataset"), (r.take(2), "_TakeDataset"),
                          (r.skip(2), "_SkipDataset"), (r.prefetch(1), "_PrefetchDataset"),
                          (r.filter(lambda x: x > 1), "_FilterDataset"),
                          (r.batch(2).unbatch(), "_UnbatchDataset"),
                          (r.padded_batch(2), "_PaddedBatchDataset"),
                          (r.shard(2, 0), "_ShardDataset"),
                          (r.concatenate(r), "_ConcatenateDataset"),
                          (Dataset.from_tensors(1), "_TensorDataset"),
                          (r.interleave(lambda x: Dataset.from_tensors(x), cycle_length=2),
                           "_InterleaveDataset"),
                          (r.batch(4).rebatch(3), "_RebatchDataset"),
                          (r.with_options(tf.data.Options()), "_OptionsDataset")]:
        assert repr(dataset).startswith(f"<{name} element_spec="), repr(dataset)


def test_iteration_yields_eager_tensors_and_restarts():
    ds = Dataset.from_tensor_slices((np.arange(3), np.array(["a", "b", "c"])))
    first = [(int(a), b.numpy()) for a, b in ds]
    assert first == [(0, b"a"), (1, b"b"), (2, b"c")]
    assert [(int(a), b.numpy()) for a, b in ds] == first
    a, b = next(iter(ds))
    assert type(a) is EagerTensor and b.dtype == tf.string and b.shape == ()


def test_iterator_protocol():
    it = iter(Dataset.range(2))
    assert iter(it) is it
    assert repr(it.element_spec) == "TensorSpec(shape=(), dtype=tf.int64, name=None)"
    assert [int(next(it)), int(it.get_next())] == [0, 1]
    with pytest.raises(errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    with pytest.raises(StopIteration):
        next(iter(Dataset.range(0)))


def test_as_numpy_iterator():
    d = Dataset.from_tensor_slices({"a": np.arange(2.), "b": np.array([b"x", b"y"])})
    items = list(d.as_numpy_iterator())
    assert items == [{"a": 0.0, "b": b"x"}, {"a": 1.0, "b": b"y"}]
    assert type(items[0]["a"]) is np.float64 and type(items[0]["b"]) is bytes
    batches = list(Dataset.range(5).batch(2).as_numpy_iterator())
    assert isinstance(batches[0], np.ndarray) and batches[-1].tolist() == [4]
    assert repr(Dataset.range(1).as_numpy_iterator()).startswith("NumpyIterator(iterator=")


def test_bool_and_element_spec_of_windows():
    assert bool(Dataset.range(0))
    spec = Dataset.from_tensor_slices((np.zeros((3, 2)), {"k": [1, 2, 3]})).window(2).element_spec
    assert repr(spec) == ("(DatasetSpec(TensorSpec(shape=(2,), dtype=tf.float64, name=None), "
                          "TensorShape([])), {'k': DatasetSpec(TensorSpec(shape=(), "
                          "dtype=tf.int32, name=None), TensorShape([]))})")
    assert spec[0] == tf.data.DatasetSpec(tf.TensorSpec([2], tf.float64))


# ---- AutoGraph `for` loops -------------------------------------------------------------------

def test_as_for_loop_runs_eagerly():
    ds = Dataset.range(5)

    def body(x, total, count):
        return total + x, count + 1
    total, count = ds._as_for_loop(body, (tf.constant(0, tf.int64), 0))
    assert (int(total), count) == (10, 5)
    stop = ds._as_for_loop(lambda x, n: (n + 1,), (0,), extra_test=lambda n: n < 3)
    assert stop == (3,)


def test_for_over_a_dataset_inside_tf_function_is_a_graph_loop():
    ds = Dataset.range(3)

    @tf.function
    def total():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s
    assert int(total()) == 3 and int(total()) == 3

    @tf.function(autograph=False)
    def first():
        return next(iter(ds))
    with pytest.raises(NotImplementedError, match="while tracing a tf.function"):
        first()


def test_datasets_built_inside_tf_function_hold_eager_values():
    built = []

    @tf.function
    def make():
        built.append(Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 2))
        return tf.constant(0)
    make()
    assert [int(x) for x in built[0]] == [2, 4, 6]


# ---- options ------------------------------------------------------------------------------------

def test_options_are_recorded_merged_and_checked():
    options = tf.data.Options()
    assert options.deterministic is None
    options.deterministic = False
    options.experimental_optimization.map_parallelization = True
    options.threading.private_threadpool_size = 2
    ds = Dataset.range(3).with_options(options).map(lambda x: x)
    assert ds.options().deterministic is False
    assert ds.options().threading.private_threadpool_size == 2
    assert ds.options().experimental_optimization.map_parallelization is True
    more = tf.data.Options()
    more.deterministic = True
    assert ds.with_options(more).options().deterministic is True
    assert Dataset.range(3).options().deterministic is None
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options."):
        options.foo = 1
    assert [int(x) for x in ds] == [0, 1, 2]


def test_constants():
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    assert tf.data.INFINITE_CARDINALITY == tf.data.experimental.INFINITE_CARDINALITY == -1
    assert tf.data.UNKNOWN_CARDINALITY == tf.data.experimental.UNKNOWN_CARDINALITY == -2
    assert tf.data.experimental.AutoShardPolicy.DATA == 2


# ---- the fast path for in-memory arrays --------------------------------------------------------

def test_shuffled_batches_of_a_large_array_are_fast():
    x = np.zeros((55000, 784), np.float32)
    x[:, 0] = np.arange(55000)  # each row says which it is
    y = (np.arange(55000) % 251).astype(np.uint8)
    ds = Dataset.from_tensor_slices((x, y)).shuffle(55000, seed=1).batch(32)
    start = time.perf_counter()
    n, seen = 0, 0
    for xb, yb in ds:
        n += 1
        seen += len(yb)
    per_batch = (time.perf_counter() - start) / n
    assert (n, seen) == (1719, 55000)
    assert per_batch < 200e-6  # about 25 us here (the row gather); generous for slow machines
    xb, yb = next(iter(ds))
    rows = xb.numpy()[:, 0].astype(int)
    np.testing.assert_array_equal(yb.numpy(), y[rows])  # rows of x and y stay together
    assert rows.tolist() != list(range(32))
