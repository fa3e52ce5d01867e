"""`tf.GradientTape`: records ops on watched tensors, then runs gradient rules backwards.

A tape keeps the ids of the tensors it watches (sources it was told to watch,
variables read while it records, and every output of a recorded op). An op
is recorded when one of its inputs is watched. `gradient()` walks the record
in reverse, calling each op's gradient rule, which is written with public ops
and so runs through `execute` again: an outer tape records the inner tape's
backward pass (Hessians), and inside a traced function the backward pass
becomes part of the graph.
"""
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import active_tapes
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.variables import Variable
from tensorlite.util import nest

_DIFFERENTIABLE = _dtypes.DIFFERENTIABLE
# Resource tensors (variable handles inside graphs) carry their variable's gradient.
_WATCHABLE = _DIFFERENTIABLE | {_dtypes.resource}


class UnconnectedGradients:
    """What `gradient()` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class OpRecord:
    """One recorded op as gradient rules see it: `.inputs`, `.outputs`, `.get_attr`."""

    __slots__ = ("opdef", "inputs", "attrs", "outputs", "needs_grad")

    def __init__(self, opdef, inputs, attrs, outputs):
        self.opdef = opdef
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = outputs
        self.needs_grad = None

    @property
    def type(self):
        return self.opdef.type

    def get_attr(self, name):
        return self.attrs[name]


class GradientTape:
    """Records operations for automatic differentiation.

    >>> w = tf.Variable(5.)
    >>> with tf.GradientTape() as tape:
    ...     z = 3 * w ** 2
    >>> tape.gradient(z, w)   # 30.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._watched = set()       # ids of watched tensors and variable handles
        self._keep = []             # keeps watched objects alive so ids stay unique
        self._records = []
        self._accessed = {}         # id(variable) -> variable, in access order
        self._recording = False
        self._used = False

    # -- context --------------------------------------------------------------
    def __enter__(self):
        self._push()
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._pop()
        return False

    def _push(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to "
                             "re-enter an already-active tape.")
        active_tapes.append(self)
        self._recording = True

    def _pop(self):
        active_tapes.remove(self)
        self._recording = False

    class _StopRecording:
        def __init__(self, tape):
            self._tape = tape

        def __enter__(self):
            if not self._tape._recording:
                raise ValueError("Tape is not recording.")
            self._tape._pop()

        def __exit__(self, *exc):
            self._tape._push()
            return False

    def stop_recording(self):
        """A context in which operations are not recorded."""
        return GradientTape._StopRecording(self)

    def reset(self):
        """Clears everything recorded so far (the tape keeps recording)."""
        self._watched.clear()
        self._keep.clear()
        self._records.clear()
        self._accessed.clear()
        self._used = False

    # -- watching -------------------------------------------------------------
    def watch(self, tensor):
        """Makes the tape track operations on `tensor` (a tensor, variable, or nest)."""
        for t in nest.flatten(tensor):
            if isinstance(t, Variable):
                self._watch_variable(t)
            elif isinstance(t, Tensor):
                if t.dtype in _WATCHABLE:
                    self._watched.add(id(t))
                    self._keep.append(t)
            else:
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, "
                                 "not tf.Tensor or tf.Variable or ExtensionType.")

    def _watch_variable(self, var):
        handle = var._handle
        if id(handle) not in self._watched:
            self._watched.add(id(handle))
            self._keep.append(handle)
        self._accessed.setdefault(id(var), var)

    def _variable_accessed(self, var):
        if self._watch_accessed_variables and var._trainable:
            self._watch_variable(var)

    def watched_variables(self):
        """The variables this tape has watched, in the order they were accessed."""
        return tuple(self._accessed.values())

    def _record_operation(self, opdef, inputs, attrs, outputs):
        watched = self._watched
        needs = tuple([id(t) in watched for t in inputs])
        if True not in needs:
            return
        rec = OpRecord(opdef, inputs, attrs, outputs)
        # which inputs a gradient must flow to: those this tape watches (not constants)
        rec.needs_grad = needs
        self._records.append(rec)
        for o in outputs:
            if o._dtype.carries_gradient:
                watched.add(id(o))

    # -- gradients ------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """The gradient of `target` (summed if a nest) with respect to `sources`.

        Returns a structure like `sources`, with None (or zeros, if
        `unconnected_gradients="zero"`) where a source does not affect the target.
        """
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to "
                               "compute one set of gradients (or jacobians)")
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        was_recording = self._recording
        if was_recording:
            self._pop()
        try:
            flat_targets = [_as_target(t) for t in (
                (target,) if isinstance(target, Tensor) else nest.flatten(target))]
            flat_sources = sources if type(sources) is list and all(
                isinstance(s, (Tensor, Variable)) for s in sources) else nest.flatten(sources)
            for s in flat_sources:
                if not isinstance(s, (Tensor, Variable)):
                    raise ValueError(f"Passed in object {s!r} of type "
                                     f"{type(s).__name__!r}, not tf.Tensor or tf.Variable.")
            if output_gradients is None:
                flat_out = [None] * len(flat_targets)
            else:
                flat_out = nest.flatten(output_gradients)
            grads = backprop(self._records, self._watched, flat_targets, flat_out,
                             [_source_key(s) for s in flat_sources])
            result = []
            for s in flat_sources:
                g = grads.get(id(_source_key(s)))
                if g is None and unconnected_gradients == "zero":
                    g = _zeros_for_source(s)
                result.append(g)
        finally:
            if not self._persistent:
                self._used = True
                self._records = []
            if was_recording:
                self._push()
        if flat_sources is sources:
            return result
        return nest.pack_sequence_as(sources, result)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """d target[i...] / d source[j...], shaped target.shape + source.shape."""
        from tensorlite.autodiff import jacobians
        return jacobians.jacobian(self, target, sources, unconnected_gradients)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: shape (batch,) + target.shape[1:] + source.shape[1:]."""
        from tensorlite.autodiff import jacobians
        return jacobians.batch_jacobian(self, target, source, unconnected_gradients)


def _zeros_for_source(s):
    from tensorlite.ops import array as _array
    if isinstance(s, Variable):
        return _array.zeros_like(s.value())
    if s.dtype is _dtypes.resource:  # a variable's handle inside a graph
        res = getattr(s, "value", None)
        return _array.zeros(res.shape.as_list(), dtype=res.dtype)
    return _array.zeros_like(s)


def _as_target(t):
    if isinstance(t, Variable):
        return t.value()
    if not isinstance(t, Tensor):
        return convert_to_tensor(t)
    return t


def _source_key(s):
    return s._handle if isinstance(s, Variable) else s


def backprop(records, watched, targets, output_gradients, sources):
    """Runs gradient rules over `records` in reverse; returns {id(tensor): gradient}."""
    ops = _ops()
    grads = {}
    for t, og in zip(targets, output_gradients):
        if id(t) not in watched:
            continue
        g = ops.ones_like(t) if og is None else convert_to_tensor(og, dtype=t.dtype)
        _accumulate(grads, t, g, ops)
    if not grads:
        return grads
    for rec in reversed(records):
        outs = rec.outputs
        if len(outs) == 1:
            g = grads.get(id(outs[0]))
            if g is None:
                continue
            out_grads = (g,)
        else:
            out_grads = [grads.get(id(o)) for o in outs]
            if all(g is None for g in out_grads):
                continue
            out_grads = [g if g is not None else ops.zeros_like(o)
                         for g, o in zip(out_grads, outs)]
        grad_fn = rec.opdef.grad_fn
        if grad_fn is None:
            raise LookupError(f"No gradient defined for operation '{rec.opdef.type}' "
                              f"(op type: {rec.opdef.type}).")
        needs = rec.needs_grad
        in_grads = grad_fn(rec, *out_grads)
        if type(in_grads) is not tuple and type(in_grads) is not list:
            in_grads = (in_grads,)
        for x, g, need in zip(rec.inputs, in_grads, needs):
            if g is not None and need:
                _accumulate(grads, x, g, ops)
    return grads


class _Ops:
    """The few ops backprop itself needs, imported once on first use (ops sit above us)."""

    def __init__(self):
        from tensorlite.ops import array, math
        self.ones_like = array.ones_like
        self.zeros_like = array.zeros_like
        self.add = math.add


_OPS = []


def _ops():
    if not _OPS:
        _OPS.append(_Ops())
    return _OPS[0]


def _accumulate(grads, x, g, ops):
    key = id(x)
    prev = grads.get(key)
    grads[key] = g if prev is None else ops.add(prev, g)
