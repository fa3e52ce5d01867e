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


class init_scope:  # noqa: N801 - TensorFlow's name
    """Leaves any graph being traced and pauses tapes: code here runs eagerly once
    (how variables created inside a tf.function get their initial values)."""

    def __enter__(self):
        self._graphs = list(graph_stack)
        self._tapes = list(active_tapes)
        graph_stack.clear()
        active_tapes.clear()

    def __exit__(self, *exc):
        graph_stack[:] = self._graphs
        active_tapes[:] = self._tapes
        return False
