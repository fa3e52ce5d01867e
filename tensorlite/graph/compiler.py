"""Compiles a FuncGraph into one straight-line Python function over NumPy values.

The generated program calls each op's kernel directly: no Tensor objects, no
dispatch through `execute`, no tape. Before code generation the graph is
pruned to what the outputs and the stateful ops (variable updates, prints,
random draws) need, constants are folded, and repeated pure subexpressions
are computed once.

A graph traced with unknown dimensions (a Keras step's batch size) is compiled
once per concrete input shape: the ops' shape rules are re-run with the real
shapes, so shape arithmetic (`tf.shape(x)[0]`, a mean's element count) folds
into constants of that program.
"""
import functools

import numpy as np

from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.graph.func_graph import CONST, PLACEHOLDER


# Ops whose result depends only on their inputs' static shapes and dtypes: with fully
# known shapes they fold to constants (the gradient of a mean starts with OnesLike).
_SHAPE_ONLY = {"OnesLike", "ZerosLike", "Shape", "Size", "Rank", "ShapeN"}


class _Spec:
    """What a shape rule sees of a tensor during specialization."""

    __slots__ = ("dtype", "shape", "value")

    def __init__(self, dtype, shape, value=None):
        self.dtype = dtype
        self.shape = TensorShape(shape) if not isinstance(shape, TensorShape) else shape
        self.value = value


def _stand_in(spec):
    """A zero array of a spec's shape and dtype, or None if the shape is not known."""
    if spec.dtype.is_string or spec.dtype.as_numpy_dtype is None or \
            not spec.shape.is_fully_defined():
        return None
    return np.zeros(spec.shape.as_list(), dtype=spec.dtype.as_numpy_dtype)


def _specialized_specs(op, in_specs):
    """Output specs of `op` given its inputs' specs; the graph's own if the rule fails."""
    if op.opdef.shape_fn is None:
        return [_Spec(t.dtype, t.shape) for t in op.outputs]
    try:
        rule = op.opdef.shape_fn(*in_specs, **op.attrs)
    except Exception:  # noqa: BLE001 - a rule that needs more than shapes: keep the graph's
        return [_Spec(t.dtype, t.shape) for t in op.outputs]
    rules = [rule] if op.opdef.num_outputs == 1 else list(rule)
    if len(rules) != len(op.outputs):
        return [_Spec(t.dtype, t.shape) for t in op.outputs]
    return [_Spec(t.dtype, TensorShape(shape).merge_with(t.shape)
                  if TensorShape(shape).is_compatible_with(t.shape) else t.shape)
            for (dtype, shape), t in zip(rules, op.outputs)]


class Program:
    """A compiled graph: call with the list of input values (arguments, then captures)."""

    def __init__(self, fn, source, n_ops):
        self._fn = fn
        self.source = source
        self.n_ops = n_ops

    def __call__(self, values):
        return self._fn(values)


def _live_ops(graph, outputs):
    """Ops needed for `outputs`, plus every stateful op and what it needs (in order)."""
    needed = set()
    stack = [t.op for t in outputs if t is not None]
    stack += [op for op in graph._operations if op.opdef.stateful]
    while stack:
        op = stack.pop()
        if id(op) in needed:
            continue
        needed.add(id(op))
        stack.extend(t.op for t in op.inputs)
    return [op for op in graph._operations if id(op) in needed]


def _fold_key(op, names):
    """A hashable key for a pure op: equal keys compute equal values (CSE)."""
    try:
        attrs = tuple(sorted((k, _hashable(v)) for k, v in op.attrs.items()))
    except TypeError:
        return None
    return (op.opdef.type, tuple(names[id(t)] for t in op.inputs), attrs)


def _hashable(v):
    if isinstance(v, np.ndarray):
        return (v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    hash(v)
    return v


def needs_specialization(inputs):
    """True when some input's shape is not fully known (programs are then per shape)."""
    return any(not ph.shape.is_fully_defined() for ph in inputs)


def compile_graph(graph, inputs, outputs, input_shapes=None):
    """Generates and compiles the program computing `outputs` from `inputs`, for
    inputs of `input_shapes` if given (else of the placeholders' static shapes)."""
    env = {}
    names = {}           # id(tensor) -> variable name in the generated source
    specs = {}           # id(tensor) -> _Spec, with the concrete shapes
    lines = ["def program(values):"]
    for i, ph in enumerate(inputs):
        names[id(ph)] = f"a{i}"
        shape = ph.shape
        if input_shapes is not None and input_shapes[i] is not None:
            shape = TensorShape(input_shapes[i])
        specs[id(ph)] = _Spec(ph.dtype, shape, ph.value)
        lines.append(f"    a{i} = values[{i}]")
    seen = {}            # CSE: fold key -> output names
    counter = 0
    for op in _live_ops(graph, outputs):
        if op.opdef is PLACEHOLDER:
            if id(op.outputs[0]) not in names:
                raise ValueError(f"Placeholder {op.name} is not an input of the function")
            continue
        if op.opdef is CONST:
            cname = f"c{counter}"
            counter += 1
            env[cname] = op.attrs["value"]
            names[id(op.outputs[0])] = cname
            specs[id(op.outputs[0])] = _Spec(op.outputs[0].dtype, op.outputs[0].shape,
                                             op.attrs["value"])
            continue
        if op.opdef.type == "Identity":  # an alias: no call needed
            names[id(op.outputs[0])] = names[id(op.inputs[0])]
            specs[id(op.outputs[0])] = specs[id(op.inputs[0])]
            continue
        in_specs = [specs[id(t)] for t in op.inputs]
        for t, spec in zip(op.outputs, _specialized_specs(op, in_specs)):
            specs[id(t)] = spec
        key = None if op.opdef.stateful else _fold_key(op, names)
        if key is not None and key in seen:
            for t, n in zip(op.outputs, seen[key]):
                names[id(t)] = n
            continue
        folded_inputs = None
        if key is not None and all(names[id(t)].startswith("c") for t in op.inputs):
            folded_inputs = [env[names[id(t)]] for t in op.inputs]
        elif key is not None and op.opdef.type in _SHAPE_ONLY:
            stand_ins = [_stand_in(spec) for spec in in_specs]
            if all(x is not None for x in stand_ins):
                folded_inputs = stand_ins
        if folded_inputs is not None:
            # constant folding: the result is known now, so compute it once
            vals = op.opdef.kernel(*folded_inputs, **op.attrs)
            vals = vals if op.opdef.num_outputs != 1 else (vals,)
            outs = []
            for v in vals:
                cname = f"c{counter}"
                counter += 1
                env[cname] = v
                outs.append(cname)
            for t, n, v in zip(op.outputs, outs, vals):
                names[id(t)] = n
                specs[id(t)] = _Spec(t.dtype, np.shape(v), v)
            seen[key] = outs
            continue
        kname = f"k{counter}"
        counter += 1
        env[kname] = (functools.partial(op.opdef.kernel, **op.attrs) if op.attrs
                      else op.opdef.kernel)
        args = ", ".join(names[id(t)] for t in op.inputs)
        outs = [f"v{counter}_{i}" for i in range(len(op.outputs))]
        for t, n in zip(op.outputs, outs):
            names[id(t)] = n
        if key is not None:
            seen[key] = outs
        comment = f"  # {op.name} ({op.opdef.type})"
        if op.opdef.num_outputs == 1:
            lines.append(f"    {outs[0]} = {kname}({args}){comment}")
        elif outs:
            lines.append(f"    {', '.join(outs)}, = {kname}({args}){comment}")
        else:
            lines.append(f"    {kname}({args}){comment}")
    rets = ", ".join(names[id(t)] if t is not None else "None" for t in outputs)
    lines.append(f"    return ({rets}{',' if len(outputs) == 1 else ''})")
    source = "\n".join(lines) + "\n"
    code = compile(source, f"<tf.function {graph.name}>", "exec")
    exec(code, env)  # noqa: S102 - our own generated code
    return Program(env["program"], source, len(lines) - 2)
