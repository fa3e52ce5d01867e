"""What converted code calls (`ag__.if_stmt`, `ag__.for_stmt` ...): Python control flow
for Python values and eager tensors, graph control flow for symbolic tensors."""
from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.graph.func_graph import SymbolicTensor


class Undefined:
    """The value of a variable not yet assigned when a converted statement starts."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<undefined {self.name}>"

    def __getattr__(self, attr):
        raise NameError(f"'{self.name}' is used before it is assigned (or it is assigned "
                        "in only one branch of a converted `if`).")


def get_vars(local_vars, names):
    return tuple(local_vars[n] if n in local_vars else Undefined(n) for n in names)


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def not_(x):
    if _is_symbolic(x):
        from tensorlite.ops import math as _math
        return _math.logical_not(x)
    return not x


def and_(a, b):
    left = a()
    if _is_symbolic(left):
        from tensorlite.graph.control_flow import cond
        return cond(left, lambda: _as_bool(b()), lambda: convert_to_tensor(False))
    return left and b()


def or_(a, b):
    left = a()
    if _is_symbolic(left):
        from tensorlite.graph.control_flow import cond
        return cond(left, lambda: convert_to_tensor(True), lambda: _as_bool(b()))
    return left or b()


def _as_bool(x):
    return convert_to_tensor(x, dtype=_dtypes.bool)


def _check_defined(names, values, where):
    for n, v in zip(names, values):
        if isinstance(v, Undefined):
            raise ValueError(f"'{n}' must also be initialized in the {where} branch")


def if_stmt(test, true_fn, false_fn, values, names, returns):
    """`if test:` with the branches as functions of the variables they assign."""
    if not _is_symbolic(test):
        return true_fn(*values) if test else false_fn(*values)
    from tensorlite.graph.control_flow import cond

    def branch(fn, where):
        def run():
            out = fn(*values)
            if not returns:
                _check_defined(names, out, where)
            return out
        return run
    return cond(test, branch(true_fn, "if"), branch(false_fn, "else"))


def for_stmt(iterable, body, values, names, extra_test=None):
    """`for x in iterable:`; a symbolic tensor iterates in a while_loop over its rows."""
    if _is_symbolic(iterable):
        return _tensor_for(iterable, body, values, names, extra_test)
    if hasattr(iterable, "_as_for_loop"):  # tf.data datasets
        return iterable._as_for_loop(body, values, extra_test)
    state = tuple(values)
    for item in iterable:
        if extra_test is not None and not extra_test(*state):
            break
        state = tuple(body(item, *state))
    return state


def _zeros_like(t):
    """Zeros shaped like `t`: a folded constant when the shape is static, as in TF."""
    from tensorlite.ops import array as _array
    if t.shape.is_fully_defined():
        from tensorlite.ops.constant import constant
        return constant(0, dtype=t.dtype, shape=t.shape.as_list(), name="zeros_like")
    return _array.zeros_like(t)


def _range_bounds(t):
    """(start, limit, delta) if `t` is the output of a Range op, else None."""
    op = getattr(t, "op", None)
    if op is not None and op.type == "Range":
        return op.inputs
    return None


class LoopState:
    """Splits a loop's variables into those carried through the graph loop (defined
    before it) and loop-local ones (first assigned inside it: Undefined after it)."""

    def __init__(self, values):
        self.values = tuple(values)
        self.carried = [i for i, v in enumerate(self.values) if not isinstance(v, Undefined)]

    def initial(self):
        return tuple(self.values[i] for i in self.carried)

    def full(self, carried):
        out = list(self.values)
        for i, v in zip(self.carried, carried):
            out[i] = v
        return out

    def select(self, full):
        return tuple(full[i] for i in self.carried)


def _tensor_for(iterable, body, values, names, extra_test):
    from tensorlite.graph.control_flow import while_with_index
    from tensorlite.ops import array as _array
    from tensorlite.ops import math as _math
    loop_state = LoopState(values)
    bounds = _range_bounds(iterable)
    if bounds is not None:
        start, limit, delta = bounds
        # the trip count of range(start, limit, delta), at least 0
        span = _math.subtract(limit, start, name="sub")
        quotient = _math.floordiv(span, delta, name="floordiv")
        remainder = _math.floormod(span, delta, name="mod")
        partial = _math.cast(_math.not_equal(remainder, _zeros_like(remainder)), span.dtype)
        n = _math.add(quotient, partial, name="add")
        n = _math.maximum(n, _zeros_like(n))

        def element(i):
            return _math.add(start, _math.multiply(i, delta))
    else:
        n = _array.shape(iterable)[0]

        def element(i):
            return _array.gather(iterable, i)

    def cond(i, *state):
        ok = _math.less(_math.cast(i, n.dtype) if i.dtype is not n.dtype else i, n)
        if extra_test is not None:
            return and_(lambda: ok, lambda: extra_test(*loop_state.full(state)))
        return ok

    def loop_body(i, *state):
        index = _math.cast(i, n.dtype) if i.dtype is not n.dtype else i
        out = body(element(index), *loop_state.full(state))
        return (_math.add(i, 1),) + loop_state.select(out)

    result = while_with_index(cond, loop_body, loop_state.initial())
    return tuple(loop_state.full(result[1:]))


def while_stmt(test, body, values, names):
    """`while test:`; a symbolic test makes it a tf.while_loop over the assigned variables."""
    first = test(*values)
    if not _is_symbolic(first):
        state = tuple(values)
        while first:
            state = tuple(body(*state))
            first = test(*state)
            if _is_symbolic(first):
                raise ValueError("A while loop's condition became a tensor after the first "
                                 "iteration; make it a tensor from the start.")
        return state
    from tensorlite.graph.control_flow import while_loop
    loop_state = LoopState(values)
    init = tuple(v if isinstance(v, Tensor) else convert_to_tensor(v)
                 for v in loop_state.initial())
    result = while_loop(lambda *s: test(*loop_state.full(s)),
                        lambda *s: loop_state.select(body(*loop_state.full(s))), init)
    return tuple(loop_state.full(result))

