"""tf.queue: FIFO, padding, random-shuffle and priority queues; closing; threads."""
import threading

import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor
from tensorlite.structures.queues import (FIFOQueue, PaddingFIFOQueue, PriorityQueue,
                                          RandomShuffleQueue)


def test_fifo_enqueue_dequeue_many():
    q = FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    assert q.enqueue([10, b"windy"]) is None
    q.enqueue([15, b"sunny"])
    assert_tensor(q.size(), 2, tf.int32)
    first = q.dequeue()
    assert_tensor(first[0], 10, tf.int32)
    assert first[1].numpy() == b"windy"
    q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
    batch = q.dequeue_many(3)
    assert_tensor(batch[0], [15, 13, 16], tf.int32)
    np.testing.assert_array_equal(batch[1].numpy(),
                                  np.array([b"sunny", b"cloudy", b"rainy"], object))
    assert q.dtypes == [tf.int32, tf.string] and q.shapes[0].as_list() == []


def test_single_dtype_queue_returns_tensors_and_names_give_dicts():
    q = FIFOQueue(3, tf.int32)
    q.enqueue(5)
    assert_tensor(q.dequeue(), 5, tf.int32)
    named = FIFOQueue(3, [tf.int32, tf.float32], names=["a", "b"], shapes=[(), ()])
    named.enqueue({"a": 1, "b": 2.})
    out = named.dequeue()
    assert set(out) == {"a", "b"}
    assert_tensor(out["b"], 2., tf.float32)


def test_close_and_errors():
    q = FIFOQueue(3, tf.int32, shapes=[()])
    q.enqueue_many([[1, 2]])
    q.close()
    assert bool(q.is_closed())
    assert_tensor(q.dequeue_up_to(5), [1, 2], tf.int32)
    with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
        q.dequeue()
    with pytest.raises(tf.errors.CancelledError, match="is closed"):
        q.enqueue(3)
    typed = FIFOQueue(2, tf.int32, shapes=[()])
    with pytest.raises(ValueError):
        typed.enqueue([[1, 2]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Signature mismatch"):
        typed.enqueue([1, 2])


def test_blocking_dequeue_waits_for_a_producer_thread():
    q = FIFOQueue(1, tf.int32, shapes=[()])
    producer = threading.Thread(target=lambda: [q.enqueue(i) for i in range(3)])
    producer.start()
    got = [int(q.dequeue()) for _ in range(3)]
    producer.join(timeout=5)
    assert got == [0, 1, 2]


def test_padding_fifo_queue_pads_batches():
    q = PaddingFIFOQueue(5, [tf.int32], shapes=[[None]])
    q.enqueue([[1, 2, 3]])
    q.enqueue([[4]])
    assert_tensor(q.dequeue_many(2), [[1, 2, 3], [4, 0, 0]], tf.int32)  # one component
    with pytest.raises(ValueError):
        PaddingFIFOQueue(5, [tf.int32], shapes=None)


def test_random_shuffle_queue_returns_every_element_once():
    q = RandomShuffleQueue(10, 0, [tf.int32], shapes=[()], seed=3)
    q.enqueue_many([list(range(8))])
    out = q.dequeue_many(8).numpy()
    assert sorted(out.tolist()) == list(range(8))
    q.enqueue_many([list(range(8))])
    assert q.dequeue_many(8).numpy().tolist() != list(range(8)) or \
        out.tolist() != list(range(8))


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed():
    q = RandomShuffleQueue(10, 2, tf.int32, shapes=[()])
    q.enqueue_many([[1, 2, 3]])
    q.dequeue()  # 3 elements, 2 must stay: one may go
    q.close()
    assert_tensor(q.size(), 2)
    assert len(q.dequeue_up_to(5).numpy()) == 2


def test_priority_queue_orders_by_priority():
    q = PriorityQueue(5, [tf.string], shapes=[()])
    for priority, word in [(3, b"c"), (1, b"a"), (2, b"b")]:
        q.enqueue((priority, word))
    first = q.dequeue()
    assert_tensor(first[0], 1, tf.int64)
    assert first[1].numpy() == b"a"
    rest = q.dequeue_many(2)
    assert_tensor(rest[0], [2, 3], tf.int64)
    np.testing.assert_array_equal(rest[1].numpy(), np.array([b"b", b"c"], object))
