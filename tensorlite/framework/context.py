"""Process-wide execution state: the tapes recording and the graphs being built.

Kept as plain module-level lists so the per-op hot path tests them with one
truth check (`if graph_stack:` / `if active_tapes:`) and pays nothing else.
"""

# GradientTape objects currently recording, innermost last.
active_tapes = []
# FuncGraphs being traced, innermost last; ops go to graph_stack[-1].
graph_stack = []


def executing_eagerly():
    """True unless a graph is being traced (`tf.executing_eagerly()`)."""
    return not graph_stack
