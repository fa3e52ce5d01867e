"""`tf.queue`: FIFO, random-shuffle, padding and priority queues of tuples of tensors.

As in TensorFlow, a dequeue from an empty open queue (or an enqueue into a full
one) blocks until another thread makes room or closes the queue, so producer
and consumer threads can share a queue.
"""
import heapq
import itertools
import threading

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape

_queue_ids = itertools.count()


def _array_ops():
    from tensorlite.ops import array
    return array


def _is_shape_list(shapes):
    """`[(), (2,)]` is a list of shapes; `[2, 3]` or `()` is one shape."""
    return isinstance(shapes, (list, tuple)) and bool(shapes) and all(
        s is None or isinstance(s, (list, tuple, TensorShape)) for s in shapes)


class QueueBase:
    """The common machinery: a bounded container of element tuples guarded by a condition."""

    _kind = "Queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, name="queue"):
        dtypes = dtypes if isinstance(dtypes, (list, tuple)) else [dtypes]
        self._dtypes = [_dtypes.as_dtype(d) for d in dtypes]
        if shapes is None:
            self._shapes = [TensorShape(None)] * len(self._dtypes)
        else:
            shapes = list(shapes) if _is_shape_list(shapes) else [shapes]
            self._shapes = [TensorShape(s) for s in shapes]
            if len(self._shapes) != len(self._dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes")
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            if len(names) != len(self._dtypes):
                raise ValueError("Queue names must have the same length as dtypes")
        self._names = names
        self._capacity = int(capacity)
        self._name = name
        self._id = next(_queue_ids)
        self._closed = False
        self._cond = threading.Condition()

    # ---- properties --------------------------------------------------------------------

    @property
    def name(self):
        return self._name

    @property
    def dtypes(self):
        return list(self._dtypes)

    @property
    def shapes(self):
        return list(self._shapes)

    @property
    def names(self):
        return self._names

    @property
    def queue_ref(self):
        return None

    # ---- storage (overridden by each kind) ---------------------------------------------

    def _put(self, element):
        raise NotImplementedError

    def _take(self):
        raise NotImplementedError

    def _count(self):
        raise NotImplementedError

    def _available(self):
        """How many elements a dequeue may take now (RandomShuffleQueue keeps a reserve)."""
        return self._count()

    # ---- element conversion ------------------------------------------------------------

    def _components(self, vals):
        """The user's value (a tensor, list/tuple or dict of names) as a component list."""
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("Queue with names expects a dict of values")
            return [vals[n] for n in self._names]
        vals = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        if len(vals) != len(self._dtypes):
            have = ", ".join(convert_to_tensor(v).dtype.name for v in vals)
            expected = ", ".join(d.name for d in self._dtypes)
            raise errors.InvalidArgumentError(
                None, None, f"Signature mismatch, have: resource, {have}-> expected: resource, "
                            f"{expected}-> [Op:QueueEnqueueV2] name: ")
        return vals

    def _convert(self, vals, batched):
        out = []
        for i, (v, dtype, shape) in enumerate(zip(self._components(vals), self._dtypes,
                                                  self._shapes)):
            t = v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype)
            if t.dtype is not dtype:
                raise errors.InvalidArgumentError(
                    None, None, f"Type mismatch in tuple component {i}. Expected "
                                f"{dtype.name}, got {t.dtype.name}")
            element_shape = t.shape[1:] if batched else t.shape
            if not shape.is_compatible_with(element_shape):
                raise ValueError(f"Shapes {shape} and {element_shape} are incompatible")
            out.append(np.asarray(t))
        return out

    def _closed_error(self, op_type, requested):
        return errors.OutOfRangeError(
            None, None, f"{self._kind} '{self._id}' is closed and has insufficient elements "
                        f"(requested {requested}, current size {self._count()}) "
                        f"[Op:{op_type}] name: ")

    # ---- public API --------------------------------------------------------------------

    def enqueue(self, vals, name=None):
        """Adds one element (one value per component); blocks while the queue is full."""
        self._enqueue([self._convert(vals, batched=False)], "QueueEnqueueV2")

    def enqueue_many(self, vals, name=None):
        """Adds the rows of each component as separate elements."""
        arrays = self._convert(vals, batched=True)
        n = {len(a) for a in arrays}
        if len(n) != 1:
            raise ValueError("All components of enqueue_many must have the same batch size")
        self._enqueue([[a[i] for a in arrays] for i in range(n.pop())], "QueueEnqueueManyV2")

    def _enqueue(self, elements, op_type):
        with self._cond:
            for element in elements:
                while not self._closed and self._count() >= self._capacity:
                    self._cond.wait()
                if self._closed:
                    raise errors.CancelledError(None, None, f"{self._kind} '{self._id}' is "
                                                            f"closed. [Op:{op_type}] name: ")
                self._put(element)
                self._cond.notify_all()

    def _dequeue(self, n, op_type, up_to=False):
        with self._cond:
            while not self._closed and self._available() < n:
                self._cond.wait()
            if self._closed and self._count() < n and not (up_to and self._count()):
                raise self._closed_error(op_type, n)
            take = min(n, self._count()) if self._closed else n
            elements = [self._take() for _ in range(take)]
            self._cond.notify_all()
        return elements

    def _output(self, components):
        tensors = [convert_to_tensor(c, dtype=d) for c, d in zip(components, self._dtypes)]
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def dequeue(self, name=None):
        """Removes and returns one element (blocks while the queue is empty)."""
        return self._output(self._dequeue(1, "QueueDequeueV2")[0])

    def dequeue_many(self, n, name=None):
        """Removes `n` elements and returns them stacked per component."""
        return self._output(self._batch(self._dequeue(int(n), "QueueDequeueManyV2")))

    def dequeue_up_to(self, n, name=None):
        """Like dequeue_many, but returns fewer than `n` elements once the queue is closed."""
        return self._output(self._batch(self._dequeue(int(n), "QueueDequeueUpToV2",
                                                      up_to=True)))

    def _batch(self, elements):
        out = []
        for i, dtype in enumerate(self._dtypes):
            column = [e[i] for e in elements]
            if column:
                out.append(np.stack(column))
            else:
                dims = self._shapes[i].as_list() if self._shapes[i].rank is not None else []
                out.append(np.zeros([0] + [d or 0 for d in dims], dtype=dtype._np))
        return out

    def size(self, name=None):
        """The number of elements in the queue (an int32 scalar)."""
        with self._cond:
            return convert_to_tensor(np.int32(self._count()))

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: enqueues fail, dequeues drain what is left then fail."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def is_closed(self, name=None):
        return convert_to_tensor(self._closed)


class FIFOQueue(QueueBase):
    """A queue that dequeues elements in the order they were enqueued."""

    _kind = "FIFOQueue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, name)
        self._items = []
        self._head = 0

    def _put(self, element):
        self._items.append(element)

    def _take(self):
        element = self._items[self._head]
        self._head += 1
        if self._head > 64 and self._head * 2 > len(self._items):
            del self._items[:self._head]
            self._head = 0
        return element

    def _count(self):
        return len(self._items) - self._head


class PaddingFIFOQueue(FIFOQueue):
    """A FIFO queue whose `dequeue_many` pads each component to the batch's largest shape.

    `shapes` is required; None marks a dimension that may vary between elements.
    """

    _kind = "PaddingFIFOQueue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        if shapes is None:
            raise ValueError("shapes must be specified for PaddingFIFOQueue")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)

    def _batch(self, elements):
        out = []
        for i, dtype in enumerate(self._dtypes):
            column = [e[i] for e in elements]
            dims = [max([np.shape(c)[d] for c in column] or [0]) for d in
                    range(self._shapes[i].rank)]
            padding = b"" if dtype is _dtypes.string else 0
            batch = np.full([len(column)] + dims, padding, dtype=dtype._np)
            for k, c in enumerate(column):
                batch[(k,) + tuple(slice(0, s) for s in np.shape(c))] = c
            out.append(batch)
        return out


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues its elements in a random order.

    Dequeues wait until more than `min_after_dequeue` elements remain (unless
    the queue is closed), so that the shuffle has something to choose from.
    """

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name="random_shuffle_queue"):
        super().__init__(capacity, dtypes, shapes, names, name)
        self._min_after_dequeue = int(min_after_dequeue)
        self._items = []
        self._rng = np.random.default_rng(seed)

    def _put(self, element):
        self._items.append(element)

    def _take(self):
        k = int(self._rng.integers(len(self._items)))
        self._items[k], self._items[-1] = self._items[-1], self._items[k]
        return self._items.pop()

    def _count(self):
        return len(self._items)

    def _available(self):
        return max(len(self._items) - self._min_after_dequeue, 0)


class PriorityQueue(QueueBase):
    """A queue that dequeues the element of lowest priority first.

    Each element starts with an int64 priority scalar, followed by one value
    per type of `types`; dequeued elements include their priority.
    """

    _kind = "PriorityQueue"

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None,
                 name="priority_queue"):
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        shapes = None if shapes is None else [()] + list(shapes)
        names = None if names is None else ["priority"] + list(names)
        super().__init__(capacity, [_dtypes.int64] + types, shapes, names, name)
        self._heap = []
        self._order = itertools.count()

    def _put(self, element):
        heapq.heappush(self._heap, (int(element[0]), next(self._order), element))

    def _take(self):
        return heapq.heappop(self._heap)[2]

    def _count(self):
        return len(self._heap)
