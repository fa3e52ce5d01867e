"""`execute`: the single entry point through which every op runs.

Eagerly it runs the kernel now, wraps the result and tells the recording
tapes; while a graph is traced it adds a node to that graph instead.
"""
import numpy as np

from tensorlite.framework import errors
from tensorlite.framework.context import active_tapes, graph_stack
from tensorlite.framework.tensor import EagerTensor

_EMPTY = {}


def execute(opdef, inputs, attrs=_EMPTY, name=None):
    """Runs `opdef` on `inputs` (tensors) with `attrs`; returns a tensor or a tuple."""
    if graph_stack:
        return graph_stack[-1].create_op(opdef, inputs, attrs, name)
    if opdef.dtype_names is not None and inputs and \
            inputs[0]._dtype.name not in opdef.dtype_names:
        raise unsupported_dtype(opdef, inputs[0]._dtype)
    try:
        if attrs:
            out = opdef.kernel(*[t._value for t in inputs], **attrs)
        else:
            out = opdef.kernel(*[t._value for t in inputs])
    except errors.OpError:
        raise
    except (ValueError, IndexError, TypeError, FloatingPointError) as e:
        raise errors.op_error(errors.InvalidArgumentError, opdef.type, str(e), name) from None
    if opdef.num_outputs == 1:
        try:
            result = EagerTensor(out)
        except AttributeError:  # one element of a string array: a Python bytes object
            result = EagerTensor(host_array(out))
        if active_tapes:
            record(opdef, inputs, attrs, (result,))
        return result
    result = tuple([EagerTensor(o if hasattr(o, "dtype") else host_array(o)) for o in out])
    if active_tapes:
        record(opdef, inputs, attrs, result)
    return result


def host_array(value):
    """A kernel result NumPy left as a Python object (bytes) as a 0-d object array."""
    arr = np.empty((), dtype=object)
    arr[()] = value
    return arr


def record(opdef, inputs, attrs, outputs):
    """Offers an executed op to every recording tape (they keep what they watch)."""
    if not opdef.differentiable:
        return
    for tape in active_tapes:
        tape._record_operation(opdef, inputs, attrs, outputs)


def unsupported_dtype(opdef, dtype):
    allowed = ", ".join(sorted(d.name for d in opdef.dtypes))
    return errors.op_error(
        errors.InvalidArgumentError, opdef.type,
        f"Value for attr 'T' of {dtype.name} is not in the list of allowed values: "
        f"{allowed}\n\t; NodeDef: {{{{node {opdef.type}}}}}; Op<name={opdef.type}>")
