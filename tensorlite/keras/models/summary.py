"""`model.summary()`: Keras 3's table of layers, output shapes and parameter counts.

The table is drawn as Keras draws it with `rich` (box characters, a width of
min(88 or 108, terminal columns - 4), column widths from `positions`, words
wrapped to the column and over-long words cut with an ellipsis), with no
dependency on `rich`.
"""
import math
import shutil

from tensorlite.keras.layers.base_layer import Layer, map_shapes
from tensorlite.keras.layers.keras_tensor import standardize_dtype
from tensorlite.util import nest

_DTYPE_BITS = {"float16": 16, "bfloat16": 16, "float32": 32, "float64": 64, "int8": 8,
               "uint8": 8, "int16": 16, "uint16": 16, "int32": 32, "uint32": 32, "int64": 64,
               "uint64": 64, "bool": 8, "complex64": 64, "complex128": 128}


def count_params(weights):
    """The number of scalars in `weights` (each variable counted once)."""
    unique = {id(w): w for w in weights}.values()
    return int(sum(math.prod(w.shape.as_list()) for w in unique))


def weight_memory_size(weights):
    """Bytes taken by `weights` (each variable counted once)."""
    unique = {id(w): w for w in weights}.values()
    bits = sum(math.prod(w.shape.as_list()) * _DTYPE_BITS.get(standardize_dtype(w.dtype), 32)
               for w in unique)
    return bits / 8


def readable_memory_size(size):
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def format_layer_shape(layer):
    """A layer's output shape(s) as the summary prints them; "?" when unknown."""
    if layer._inbound_nodes:
        shapes = [_format_shape(t.shape) for t in layer._inbound_nodes[-1].output_tensors]
    elif not layer._build_shapes_dict:
        return "?"
    elif hasattr(layer, "output_shape"):
        shapes = nest.flatten(map_shapes(_format_shape, layer.output_shape))
    elif type(layer).compute_output_shape is Layer.compute_output_shape:
        return "?"  # no shape rule of its own: Keras does not trace it here
    else:
        try:
            out = layer.compute_output_shape(**layer._build_shapes_dict)
        except (NotImplementedError, TypeError, ValueError):
            return "?"
        shapes = nest.flatten(map_shapes(_format_shape, out))
    if len(shapes) == 1:
        return shapes[0]
    return "[" + ", ".join(shapes) + "]"


def _wrap(text, width):
    """Lines of `text` word-wrapped to `width`, words longer than the width cut with '…'."""
    lines = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if len(word) > width:
                word = word[:width - 1] + "…"
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _column_widths(positions, line_length):
    """Content widths of the columns, shrunk as rich shrinks a table to the line length."""
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width + 2)  # each cell is padded by one space on both sides
        current += width
    available = line_length - (len(widths) + 1)
    excess = sum(widths) - available
    if excess > 0:
        # even reduction, each column's share rounded (Python's round, as rich)
        remaining, ratio = excess, len(widths)
        reduced = []
        for w in widths:
            cut = min(w, round(remaining / ratio)) if remaining > 0 else 0
            reduced.append(w - cut)
            remaining -= cut
            ratio -= 1
        widths = reduced
    return [w - 2 for w in widths]


def _render_table(headers, alignments, rows, widths):
    def border(left, fill, mid, right):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def render_row(cells, sep):
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(c) for c in wrapped)
        out = []
        for i in range(height):
            parts = []
            for lines, w, align in zip(wrapped, widths, alignments):
                text = lines[i] if i < len(lines) else ""
                if align == "right":
                    text = text.rjust(w)
                elif align == "center":
                    text = text.center(w)
                else:
                    text = text.ljust(w)
                parts.append(" " + text + " ")
            out.append(sep + sep.join(parts) + sep)
        return out

    lines = [border("┏", "━", "┳", "┓")]
    lines += render_row(headers, "┃")
    lines.append(border("┡", "━", "╇", "┩"))
    for i, row in enumerate(rows):
        if i:
            lines.append(border("├", "─", "┼", "┤"))
        lines += render_row(row, "│")
    lines.append(border("└", "─", "┴", "┘"))
    return lines


def _is_sequential_like(model):
    from tensorlite.keras.models.functional import Functional
    if not isinstance(model, Functional) or getattr(model, "_is_sequential", False):
        return True
    nodes = []
    for depth_nodes in model._nodes_by_depth.values():
        if len(depth_nodes) > 1 or (len(depth_nodes) == 1
                                    and len(depth_nodes[0].input_tensors) > 1):
            return False
        nodes += depth_nodes
    for layer in model.layers:
        if sum(node in nodes for node in layer._inbound_nodes) > 1:
            return False
    return True


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    """Prints (or passes to `print_fn`) the summary table of `model`."""
    from tensorlite.keras.models.functional import Functional
    sequential_like = _is_sequential_like(model)
    if isinstance(model, Functional) and not getattr(model, "_is_sequential", False):
        layers = model._operations
    else:
        layers = model.layers
    if sequential_like:
        default_length, default_positions = 88, [0.45, 0.80, 1.0]
        headers, alignments = ["Layer (type)", "Output Shape", "Param #"], \
            ["left", "left", "right"]
        relevant_nodes = None
    else:
        default_length, default_positions = 108, [0.3, 0.56, 0.74, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignments = ["left", "left", "right", "left"]
        relevant_nodes = [n for nodes in model._nodes_by_depth.values() for n in nodes]
    positions = list(positions or default_positions)
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        headers.append("Trainable")
        alignments.append("center")
    columns = shutil.get_terminal_size().columns
    line_length = line_length or min(default_length, columns - 4)
    widths = _column_widths(positions, line_length)
    if layer_range is not None:
        names = [layer.name for layer in layers]
        start, end = names.index(layer_range[0]), names.index(layer_range[1])
        layers = layers[start:end + 1]

    rows = []
    for layer in layers:
        rows.extend(_layer_rows(layer, sequential_like, relevant_nodes, show_trainable,
                                expand_nested, level=0))

    trainable = count_params(model.trainable_weights)
    trainable_size = weight_memory_size(model.trainable_weights)
    non_trainable = count_params(model.non_trainable_weights)
    non_trainable_size = weight_memory_size(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    optimizer_vars = list(getattr(optimizer, "variables", ()) or ()) if getattr(
        model, "compiled", False) and optimizer is not None and getattr(
        optimizer, "built", False) else None
    total = trainable + non_trainable
    total_size = trainable_size + non_trainable_size
    if optimizer_vars is not None:
        total += count_params(optimizer_vars)
        total_size += weight_memory_size(optimizer_vars)

    out = [f'Model: "{model.name}"']
    out += _render_table(headers, alignments, rows, widths)
    out.append(f" Total params: {total:,} ({readable_memory_size(total_size)})")
    out.append(f" Trainable params: {trainable:,} ({readable_memory_size(trainable_size)})")
    out.append(f" Non-trainable params: {non_trainable:,} "
               f"({readable_memory_size(non_trainable_size)})")
    if optimizer_vars is not None:
        out.append(f" Optimizer params: {count_params(optimizer_vars):,} "
                   f"({readable_memory_size(weight_memory_size(optimizer_vars))})")
    if print_fn is None:
        print("\n".join(out))
    else:
        print_fn("\n".join(out) + "\n")


def _layer_rows(layer, sequential_like, relevant_nodes, show_trainable, expand_nested, level):
    prefix = "   " * level + "└ " if level else ""
    class_name = getattr(layer, "operation_class_name", None) or type(layer).__name__
    name = f"{prefix}{layer.name} ({class_name})"
    if not layer.built:
        params = "0 (unbuilt)"
    else:
        params = f"{layer.count_params():,}"
    row = [name, format_layer_shape(layer), params]
    if not sequential_like:
        row.append(_connections(layer, relevant_nodes))
    if show_trainable:
        row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
    rows = [row]
    if expand_nested and hasattr(layer, "layers") and layer.layers:
        for sub in layer.layers:
            rows.extend(_layer_rows(sub, sequential_like, relevant_nodes, show_trainable,
                                    expand_nested, level + 1))
    return rows


def _connections(layer, relevant_nodes):
    parts = []
    for node in layer._inbound_nodes:
        if relevant_nodes and node not in relevant_nodes:
            continue
        for t in node.input_tensors:
            op, node_index, tensor_index = t._keras_history
            parts.append(f"{op.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) if parts else "-"

