"""`tf.custom_gradient`: a function that supplies its own gradient.

The decorated function runs with the tapes paused; its outputs are then
recorded as one op whose gradient rule is the user's `grad_fn`. Variables the
function reads become extra inputs of that op, and `grad_fn` must then accept
`variables=` and return `(input_grads, variable_grads)`, as in TensorFlow.
"""
import functools
import inspect

from tensorlite.framework.context import active_tapes
from tensorlite.framework.execute import record
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.variables import Variable
from tensorlite.util import nest


class _CustomGradientOp:
    """An unregistered op record standing for one call of a custom-gradient function."""

    type = "IdentityN"
    differentiable = True
    num_outputs = None

    def __init__(self, grad_fn):
        self.grad_fn = grad_fn


class _VariableReads:
    """Sits on the tape stack while the function runs, noting the variables it reads."""

    def __init__(self):
        self.variables = {}

    def _variable_accessed(self, var):
        self.variables.setdefault(id(var), var)

    def _record_operation(self, *args):
        pass


def custom_gradient(f=None):
    """Decorator: `f(*args)` returns `(result, grad_fn)`; `grad_fn(*upstream)` the input grads."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if not active_tapes:
            result, _ = f(*args, **kwargs)
            return result
        # Inputs are read before the tapes pause, so reads of variable arguments
        # are recorded and link those variables to the op's inputs.
        inputs = [convert_to_tensor(a) for a in nest.flatten([args, kwargs])
                  if isinstance(a, (Tensor, Variable))]
        tapes = list(active_tapes)
        reads = _VariableReads()
        active_tapes[:] = [reads]
        try:
            result, grad_fn = f(*args, **kwargs)
        finally:
            active_tapes[:] = tapes
        arg_ids = {id(a) for a in nest.flatten([args, kwargs])}
        used = [v for v in reads.variables.values() if id(v) not in arg_ids]
        return _record_call(inputs, result, grad_fn, used)

    return decorated


def _record_call(inputs, result, grad_fn, variables):
    from tensorlite.ops import array as _array
    if variables and "variables" not in inspect.signature(grad_fn).parameters and not any(
            p.kind is p.VAR_KEYWORD for p in inspect.signature(grad_fn).parameters.values()):
        raise TypeError("If using @custom_gradient with a function that uses variables, then "
                        "grad_fn must accept a keyword argument 'variables'.")
    flat_result = nest.flatten(result)
    # Fresh identities: the recorded op needs outputs that no other op produced.
    tapes = list(active_tapes)
    active_tapes.clear()
    try:
        outputs = tuple(_array.identity(r) for r in flat_result)
    finally:
        active_tapes[:] = tapes
    n_inputs = len(inputs)

    def grad(op_record, *upstream):
        if variables:
            in_grads, var_grads = grad_fn(*upstream, variables=variables)
        else:
            in_grads, var_grads = grad_fn(*upstream), []
        in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
        if len(in_grads) != n_inputs:
            raise ValueError(f"custom_gradient function expected to return {n_inputs} "
                             f"gradients, but returned {len(in_grads)} instead.")
        return in_grads + list(var_grads)

    for var in variables:
        for tape in active_tapes:
            tape._variable_accessed(var)
    record(_CustomGradientOp(grad), tuple(inputs) + tuple(v.handle for v in variables), {},
           outputs)
    return nest.pack_sequence_as(result, list(outputs))
