"""`tf.cond`, `tf.while_loop`, `tf.case`, `tf.switch_case`.

Eagerly they are Python control flow. While a function is traced, each branch
(or loop condition and body) is traced into its own FuncGraph and compiled;
one `If`/`StatelessIf` or `While`/`StatelessWhile` node runs the compiled
branch programs. Gradients:
- through cond, by rematerialization: the gradient is a cond whose branches
  re-trace the chosen branch under a tape and differentiate it;
- through while_loop, the forward loop (when a tape records it) also keeps
  every iteration's loop state; the backward loop walks them in reverse with a
  compiled vector-Jacobian program of the body.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import active_tapes, graph_stack
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.framework.variables import Variable
from tensorlite.graph import compiler
from tensorlite.graph.func_graph import ExactName, FuncGraph, SymbolicTensor
from tensorlite.util import nest


def _static_bool(pred):
    """The value of `pred` if it is known without running anything, else None."""
    if isinstance(pred, (bool, np.bool_, int)):
        return bool(pred)
    if isinstance(pred, EagerTensor):
        return bool(pred._value)
    if isinstance(pred, SymbolicTensor) and isinstance(pred.value, (np.ndarray, np.generic)):
        return bool(pred.value)
    return None


def _is_stateful(graph):
    return any(o.opdef.stateful for o in graph.get_operations())


class _Branch:
    """A function traced into a FuncGraph nested in the current graph."""

    def __init__(self, fn, name, outer, args=()):
        self.fn = fn
        self.graph = FuncGraph(name, outer_graph=outer)
        self.arg_placeholders = []
        with self.graph.as_default():
            call_args = []
            for i, (dtype, shape) in enumerate(args):
                ph = self.graph.placeholder(dtype, shape, f"arg_{i}")
                self.arg_placeholders.append(ph)
                call_args.append(ph)
            result = fn(*call_args)
            self.structure = result
            flat = nest.flatten(result)
            # None outputs (a branch run for its side effects) stay None, not tensors
            self.none_positions = tuple(i for i, x in enumerate(flat) if x is None)
            self.outputs = [_as_graph_tensor(x) for x in flat if x is not None]

    def capture_all(self, outer_tensors):
        """Makes this branch take every tensor of `outer_tensors` (the union over branches)."""
        with self.graph.as_default():
            for t in outer_tensors:
                self.graph.capture(t)

    def compile(self, outer_tensors):
        cap = dict((id(v), ph) for v, ph in self.graph.captures)
        inputs = self.arg_placeholders + [cap[id(t)] for t in outer_tensors]
        self.graph.inputs = inputs
        return compiler.compile_graph(self.graph, inputs, self.outputs)


def _as_graph_tensor(x):
    if isinstance(x, Variable):
        x = x.value()
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x)
    if isinstance(x, EagerTensor) or x.graph is not graph_stack[-1]:
        from tensorlite.ops import array as _array
        x = _array.identity(x)
    return x


def _outer_tensors(*branches):
    """The tensors the branches capture from outside, in first-capture order."""
    seen, out = set(), []
    for b in branches:
        for value, _ in b.graph.captures:
            if id(value) not in seen:
                seen.add(id(value))
                out.append(value)
    return out


# ---- cond ------------------------------------------------------------------------------

def _if_shape(pred, *inputs, then_program, else_program, output_specs, **attrs):
    return list(output_specs)


def _if_kernel(pred, *inputs, then_program, else_program, output_specs, then_fn, else_fn):
    program = then_program if pred else else_program
    return tuple(program(list(inputs)))


def _if_grad(op, *upstream):
    """Re-traces the branch under a tape inside a new cond and differentiates it there."""
    pred = op.inputs[0]
    inputs = list(op.inputs[1:])

    def grad_branch(fn):
        def branch():
            from tensorlite.autodiff.tape import GradientTape
            with GradientTape() as tape:
                tape.watch([t for t in inputs if t.dtype in _dtypes.DIFFERENTIABLE
                            or t.dtype is _dtypes.resource])
                outs = nest.flatten(fn())
            return tape.gradient(outs, inputs, output_gradients=list(upstream),
                                 unconnected_gradients="zero")
        return branch

    grads = cond(pred, grad_branch(op.get_attr("then_fn")), grad_branch(op.get_attr("else_fn")))
    return [None] + list(grads)


_IF_ATTRS = dict(shape=_if_shape, grad=_if_grad, num_outputs=None)
_stateless_if = op("StatelessIf", **_IF_ATTRS)(_if_kernel)
_stateful_if = op("If", stateful=True, **_IF_ATTRS)(_if_kernel)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` if `pred` else `false_fn()`; in a graph, one If node running either.

    >>> tf.cond(x > 0, lambda: x, lambda: -x)
    """
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")
    static = _static_bool(pred)
    if static is not None or not graph_stack:
        if static is None:
            static = bool(pred)
        return true_fn() if static else false_fn()
    graph = graph_stack[-1]
    pred = convert_to_tensor(pred)
    if pred.dtype is not _dtypes.bool or pred.shape.rank not in (0, None):
        raise ValueError(f"The `pred` of tf.cond must be a scalar bool tensor, got {pred!r}")
    then_b = _Branch(true_fn, "cond_true", graph)
    else_b = _Branch(false_fn, "cond_false", graph)
    try:
        nest.assert_same_structure(then_b.structure, else_b.structure)
    except ValueError as e:
        raise ValueError("true_fn and false_fn arguments to tf.cond must have the same number, "
                         f"type, and overall structure of return values. {e}") from None
    if then_b.none_positions != else_b.none_positions:
        raise ValueError("true_fn and false_fn arguments to tf.cond must have the same number, "
                         "type, and overall structure of return values: one returns None "
                         "where the other returns a value.")
    specs = []
    for i, (a, b) in enumerate(zip(then_b.outputs, else_b.outputs)):
        if a.dtype is not b.dtype:
            raise TypeError(f"true_fn and false_fn arguments to tf.cond must have the same "
                            f"dtypes: output {i} is {a.dtype.name} in true_fn and "
                            f"{b.dtype.name} in false_fn.")
        specs.append((a.dtype, a.shape.most_specific_compatible_shape(b.shape)))
    outer = _outer_tensors(then_b, else_b)
    then_b.capture_all(outer)
    else_b.capture_all(outer)
    opdef = _stateful_if if _is_stateful(then_b.graph) or _is_stateful(else_b.graph) \
        else _stateless_if
    attrs = {"then_program": then_b.compile(outer), "else_program": else_b.compile(outer),
             "output_specs": tuple(specs), "then_fn": true_fn, "else_fn": false_fn}
    with graph.name_scope(name or "cond") as scope:
        outs = iter(execute(opdef, (pred, *outer), attrs, name=scope))
    n = len(nest.flatten(then_b.structure))
    flat = [None if i in then_b.none_positions else next(outs) for i in range(n)]
    return nest.pack_sequence_as(then_b.structure, flat)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The function paired with the first true predicate (else `default`)."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    if not pairs:
        if default is None:
            raise ValueError("pred_fn_pairs must not be empty without a default")
        return default()
    if default is None:
        *pairs, (_, default) = pairs
    result = default
    for pred, fn in reversed(pairs):
        result = (lambda p, f, rest: lambda: cond(p, f, rest))(pred, fn, result)
    return result()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """`branch_fns[branch_index]()`; out-of-range indices run `default` (or the last)."""
    fns = sorted(branch_fns.items()) if isinstance(branch_fns, dict) else list(enumerate(
        branch_fns))
    if default is None:
        default = fns[-1][1]
    from tensorlite.ops import math as _math
    index = convert_to_tensor(branch_index)
    return case([(_math.equal(index, i), fn) for i, fn in fns], default=default)


# ---- while_loop ---------------------------------------------------------------------------

def _while_shape(counter, max_iter, *inputs, output_specs, **attrs):
    return list(output_specs)


def _while_kernel(counter, max_iter, *inputs, cond_program, body_program, n_vars,
                  output_specs, keep_states, vjp=None):
    state = list(inputs[:n_vars])
    captured = list(inputs[n_vars:])
    states = [] if keep_states else None
    i = int(counter)
    limit = int(max_iter)
    while (limit < 0 or i < limit) and cond_program(state + captured)[0]:
        if keep_states:
            states.append(state)
        state = list(body_program(state + captured))
        i += 1
    if keep_states:
        return tuple(state) + (_States(states),)
    return tuple(state)


class _States:
    """The loop states a recorded while loop kept for its gradient (a host object)."""

    __slots__ = ("states",)
    dtype = np.dtype(object)
    shape = ()
    ndim = 0

    def __init__(self, states):
        self.states = states


def _while_grad(op, *upstream):
    n_vars = op.get_attr("n_vars")
    if not op.get_attr("keep_states"):
        raise LookupError("tf.while_loop was traced without a tape recording it; its "
                          "gradient needs the loop states (trace it under the GradientTape).")
    vjp = op.get_attr("vjp")
    inputs = op.inputs[2:]
    states = op.outputs[n_vars]
    grads = execute(_while_backward, (states, *upstream[:n_vars], *inputs[n_vars:]),
                    {"vjp_program": vjp.program, "n_vars": n_vars,
                     "n_captured": len(inputs) - n_vars, "output_specs": vjp.output_specs})
    return [None, None] + list(grads)


def _while_backward_shape(states, *args, output_specs, **attrs):
    return list(output_specs)


@op("WhileGrad", shape=_while_backward_shape, num_outputs=None, differentiable=False)
def _while_backward(states, *args, vjp_program, n_vars, n_captured, output_specs):
    upstream = list(args[:n_vars])
    captured = list(args[n_vars:])
    cap_grads = [None] * len(captured)
    for state in reversed(states.states):
        out = vjp_program(list(state) + upstream + captured)
        upstream = list(out[:n_vars])
        for k, g in enumerate(out[n_vars:]):
            cap_grads[k] = g if cap_grads[k] is None else cap_grads[k] + g
    for k, (g, (dtype, shape)) in enumerate(zip(cap_grads, output_specs[n_vars:])):
        if g is None:  # the loop ran zero times
            cap_grads[k] = np.zeros([d or 0 for d in shape] if shape.rank else (),
                                    dtype=dtype.as_numpy_dtype)
    return tuple(upstream) + tuple(cap_grads)


class _BodyVJP:
    """The body's vector-Jacobian product, traced once and compiled:
    (state, upstream, captures) -> (d state, d captures)."""

    def __init__(self, body, var_specs, outer, outer_tensors):
        from tensorlite.autodiff.tape import GradientTape
        graph = FuncGraph("while_body_grad", outer_graph=outer)
        with graph.as_default():
            state = [graph.placeholder(d, s, f"state_{i}") for i, (d, s) in enumerate(var_specs)]
            ups = [graph.placeholder(d, s, f"upstream_{i}") for i, (d, s) in enumerate(var_specs)]
            # Captured first, so the body's reads of outer tensors use these placeholders.
            caps = [graph.capture(t) for t in outer_tensors]
            watch = [t for t in state + caps
                     if t.dtype in _dtypes.DIFFERENTIABLE or t.dtype is _dtypes.resource]
            with GradientTape() as tape:
                tape.watch(watch)
                outs = [_as_graph_tensor(x) for x in nest.flatten(body(*state))]
            grads = tape.gradient(outs, state + caps, output_gradients=ups,
                                  unconnected_gradients="zero")
            grads = [_as_graph_tensor(g) if g is not None else None for g in grads]
        cap_phs = {id(v): ph for v, ph in graph.captures}
        inputs = state + ups + [cap_phs[id(t)] for t in outer_tensors]
        self.program = compiler.compile_graph(graph, inputs, grads)
        self.output_specs = tuple((d, s) for d, s in var_specs) + tuple(
            (g.dtype, g.shape) if g is not None else (t.dtype, t.shape)
            for g, t in zip(grads[len(var_specs):], outer_tensors))


_WHILE_ATTRS = dict(shape=_while_shape, grad=_while_grad, num_outputs=None)
_stateless_while = op("StatelessWhile", **_WHILE_ATTRS)(_while_kernel)
_stateful_while = op("While", stateful=True, **_WHILE_ATTRS)(_while_kernel)


def _loop_vars_as_tensors(loop_vars):
    return [v if isinstance(v, (Tensor, Variable)) else convert_to_tensor(v)
            for v in nest.flatten(loop_vars)]


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns loop_vars.

    >>> tf.while_loop(lambda i: i < 10, lambda i: (i + 1,), [0])
    """
    if not callable(cond) or not callable(body):
        raise TypeError("`cond` and `body` must be callable.")
    structure = loop_vars
    is_seq = isinstance(loop_vars, (list, tuple))

    def call(fn, flat):
        packed = nest.pack_sequence_as(structure, list(flat))
        return fn(*packed) if is_seq else fn(packed)

    if not graph_stack:
        flat = _loop_vars_as_tensors(loop_vars)
        i = 0
        while (maximum_iterations is None or i < int(maximum_iterations)) and \
                bool(call(cond, flat)):
            out = call(body, flat)
            out = nest.flatten(list(out) if isinstance(out, tuple) and not is_seq else out)
            flat = _loop_vars_as_tensors(out)
            i += 1
        return nest.pack_sequence_as(structure, flat)
    return _graph_while(call, cond, body, structure, shape_invariants, maximum_iterations, name)


def _graph_while(call, cond_fn, body_fn, structure, shape_invariants, maximum_iterations, name,
                 index_var=False):
    """A While node; with `index_var`, the first loop variable is the loop counter
    (how converted `for` loops count iterations)."""
    graph = graph_stack[-1]
    with graph.name_scope(name or "while") as scope:
        from tensorlite.ops.constant import constant
        max_iter = constant(-1 if maximum_iterations is None else maximum_iterations,
                            dtype=_dtypes.int32, name="maximum_iterations") \
            if not isinstance(maximum_iterations, Tensor) else maximum_iterations
        counter = constant(0, name="loop_counter")
    given = nest.flatten(structure)[1:] if index_var else structure
    flat = [_as_graph_tensor(v) if not isinstance(v, SymbolicTensor) or v.graph is not graph
            else v for v in _loop_vars_as_tensors(given)]
    if index_var:
        flat = [counter] + flat
    invariants = (nest.flatten(shape_invariants) if shape_invariants is not None
                  else [v.shape for v in flat])
    specs = [(v.dtype, TensorShape(s) if not isinstance(s, TensorShape) else s)
             for v, s in zip(flat, invariants)]
    cond_b = _Branch(lambda *vs: call(cond_fn, vs), "while_cond", graph, specs)
    body_b = _Branch(lambda *vs: _body_outputs(call(body_fn, vs)), "while_body", graph, specs)
    if len(body_b.outputs) != len(flat):
        raise ValueError(f"The body of tf.while_loop returned {len(body_b.outputs)} values for "
                         f"{len(flat)} loop variables.")
    for v, (dtype, shape), out in zip(flat, specs, body_b.outputs):
        if out.dtype is not dtype:
            raise TypeError(f"Loop variable {v.name} enters the loop with type {dtype.name}, "
                            f"but has type {out.dtype.name} after one iteration.")
        if not shape.is_compatible_with(out.shape) or (
                shape.rank is not None and out.shape.rank is not None and
                out.shape.most_specific_compatible_shape(shape) != shape):
            raise ValueError(
                f"Input tensor '{v.name}' enters the loop with shape {shape}, but has shape "
                f"{out.shape} after one iteration. To allow the shape to vary across "
                "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                "less-specific shape.")
    outer = _outer_tensors(cond_b, body_b)
    cond_b.capture_all(outer)
    body_b.capture_all(outer)
    keep_states = bool(active_tapes)
    output_specs = list(specs)
    attrs = {"cond_program": cond_b.compile(outer), "body_program": body_b.compile(outer),
             "n_vars": len(flat), "keep_states": keep_states}
    if keep_states:
        attrs["vjp"] = _BodyVJP(lambda *vs: _body_outputs(call(body_fn, vs)), specs, graph,
                                outer)
        output_specs.append((_dtypes.variant, TensorShape([])))
    attrs["output_specs"] = tuple(output_specs)
    stateful = _is_stateful(cond_b.graph) or _is_stateful(body_b.graph)
    opdef = _stateful_while if stateful else _stateless_while
    outs = execute(opdef, (counter, max_iter, *flat, *outer), attrs, name=ExactName(scope))
    return nest.pack_sequence_as(structure, list(outs[:len(flat)]))


def while_with_index(cond_fn, body_fn, loop_vars):
    """A graph while loop whose first variable is the iteration index (from 0)."""
    structure = [0] + list(loop_vars)

    def call(fn, flat):
        return fn(*flat)
    return _graph_while(call, cond_fn, body_fn, structure, None, None, None, index_var=True)


def _body_outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]
