"""`tf.print`: printing that happens when the op runs (each call of a traced function)."""
import sys

import numpy as np

from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.variables import Variable
from tensorlite.util import nest

__all__ = ["print"]


def _format_value(value, summarize):
    """A tensor value as TensorFlow prints it: `[1 2 3]`, `[[1.5 2]\\n [3 4]]`, `b'x'`→`x`."""
    arr = np.asarray(value)
    if arr.dtype == object:
        fmt = {"all": lambda s: s.decode("utf-8", "replace") if isinstance(s, bytes) else str(s)}
    elif arr.dtype.kind == "f":
        fmt = {"float_kind": lambda v: np.format_float_positional(v, trim="-")}
    elif arr.dtype.kind == "b":
        fmt = {"bool": lambda v: str(bool(v))}
    else:
        fmt = None
    if arr.ndim == 0:
        item = arr.item()
        if isinstance(item, bytes):
            return item.decode("utf-8", "replace")
        if isinstance(item, float):
            return np.format_float_positional(item, trim="-")
        return str(item)
    threshold = arr.size + 1 if summarize is None or summarize < 0 else 2 * summarize
    return np.array2string(arr, separator=" ", formatter=fmt, threshold=threshold,
                           edgeitems=summarize if summarize and summarize > 0 else 3,
                           max_line_width=10 ** 9)


def _print_shape(*tensors, **attrs):
    return []


@op("PrintV2", shape=_print_shape, num_outputs=0, stateful=True, differentiable=False)
def _print_v2(*values, template, output_stream, sep, end, summarize):
    values = iter(values)
    parts = [_format_value(next(values), summarize) if item is _TENSOR else item
             for item in template]
    stream = output_stream
    if stream is None or stream == "stdout":
        stream = sys.stdout
    elif stream == "stderr":
        stream = sys.stderr
    stream.write(sep.join(parts) + end)
    return ()


class _TensorSlot:
    """Marks where a tensor's value goes in a print template."""


_TENSOR = _TensorSlot()


def print(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\n",  # noqa: A001
          name=None):
    """Prints tensors (and other values) when the op runs, also inside tf.function.

    >>> tf.print("loss:", loss)
    """
    if output_stream is sys.stdout:
        output_stream = "stdout"
    elif output_stream is sys.stderr:
        output_stream = "stderr"
    template, tensors = [], []
    for item in inputs:
        if isinstance(item, (Tensor, Variable)):
            tensors.append(convert_to_tensor(item))
            template.append(_TENSOR)
        elif nest.is_nested(item) and any(isinstance(x, (Tensor, Variable))
                                          for x in nest.flatten(item)):
            flat = nest.flatten(item)
            tensors.extend(convert_to_tensor(x) for x in flat)
            template.extend([_TENSOR] * len(flat))
        else:
            template.append(str(item))
    attrs = {"template": tuple(template), "output_stream": output_stream, "sep": sep,
             "end": end, "summarize": summarize}
    return execute(_print_v2, tuple(tensors), attrs, name=name)
