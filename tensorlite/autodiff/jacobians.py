"""Jacobians from a tape: one backward pass per element of the target."""
import numpy as np

from tensorlite.framework.variables import Variable
from tensorlite.util import nest


def _backward(tape, target, sources, seed):
    from tensorlite.autodiff.tape import _source_key, backprop
    from tensorlite.framework.tensor import convert_to_tensor
    grads = backprop(tape._records, tape._watched, [target],
                     [convert_to_tensor(seed, dtype=target.dtype)],
                     [_source_key(s) for s in sources])
    return [grads.get(id(_source_key(s))) for s in sources]


def _zeros_for(source, shape_prefix):
    from tensorlite.ops import array as _array
    src = source.value() if isinstance(source, Variable) else source
    return _array.zeros(list(shape_prefix) + src.shape.as_list(), dtype=src.dtype)


def _run(tape, fn):
    """Runs `fn` with the tape paused, and marks a non-persistent tape used."""
    if tape._used and not tape._persistent:
        raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                           "set of gradients (or jacobians)")
    was_recording = tape._recording
    if was_recording:
        tape._pop()
    try:
        return fn()
    finally:
        if not tape._persistent:
            tape._used = True
        if was_recording:
            tape._push()


def jacobian(tape, target, sources, unconnected_gradients="none"):
    """d target / d source for each source, shaped target.shape + source.shape."""
    from tensorlite.ops import array as _array
    flat_sources = nest.flatten(sources)
    shape = target.shape.as_list()
    size = int(np.prod(shape)) if shape else 1

    def compute():
        rows = [[] for _ in flat_sources]
        for i in range(size):
            seed = np.zeros(size, dtype=target.dtype.as_numpy_dtype)
            seed[i] = 1
            for k, g in enumerate(_backward(tape, target, flat_sources, seed.reshape(shape))):
                rows[k].append(g)
        out = []
        for src, grads in zip(flat_sources, rows):
            if all(g is None for g in grads):
                out.append(_zeros_for(src, shape) if unconnected_gradients == "zero" else None)
                continue
            grads = [g if g is not None else _zeros_for(src, []) for g in grads]
            stacked = _array.stack(grads)
            out.append(_array.reshape(stacked, shape + stacked.shape.as_list()[1:]))
        return nest.pack_sequence_as(sources, out)

    return _run(tape, compute)


def batch_jacobian(tape, target, source, unconnected_gradients="none"):
    """Per-example Jacobians of target (batch, ...) wrt source (batch, ...)."""
    from tensorlite.ops import array as _array
    shape = target.shape.as_list()
    if not shape:
        raise ValueError("Need first dimension of `target` shape to match batch size; "
                         "got a scalar target")
    batch, inner = shape[0], shape[1:]
    inner_size = int(np.prod(inner)) if inner else 1

    def compute():
        cols = []
        for j in range(inner_size):
            seed = np.zeros((batch, inner_size), dtype=target.dtype.as_numpy_dtype)
            seed[:, j] = 1
            (g,) = _backward(tape, target, [source], seed.reshape(shape))
            cols.append(g)
        if all(g is None for g in cols):
            if unconnected_gradients == "zero":
                src = source.value() if isinstance(source, Variable) else source
                return _array.zeros([batch] + inner + src.shape.as_list()[1:], dtype=src.dtype)
            return None
        cols = [g if g is not None else _array.zeros_like(
            source.value() if isinstance(source, Variable) else source) for g in cols]
        stacked = _array.stack(cols, axis=1)  # (batch, inner_size, source inner...)
        return _array.reshape(stacked, [batch] + inner + stacked.shape.as_list()[2:])

    return _run(tape, compute)
