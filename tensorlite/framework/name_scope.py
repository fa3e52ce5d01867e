"""`tf.name_scope`: prefixes for the names of variables and graph nodes."""
_stack = []


def current_scope():
    """The active scope prefix, e.g. ``"outer/inner/"`` or ``""``."""
    return _stack[-1] if _stack else ""


def scoped_name(base):
    return current_scope() + base


class name_scope:  # noqa: N801 - TensorFlow's name
    """A context manager that prefixes names with ``name + "/"``.

    >>> with tf.name_scope("my_scope"):
    ...     v = tf.Variable(1.)   # v.name == 'my_scope/Variable:0'
    """

    def __init__(self, name):
        if name and not isinstance(name, str):
            raise TypeError(f"name_scope name must be a string, got {name!r}")
        self._name = name or ""
        self._pushed = False

    @property
    def name(self):
        return self._name

    def __enter__(self):
        if self._name.endswith("/"):
            scope = self._name  # an absolute scope, as returned by a previous scope
        elif self._name:
            scope = current_scope() + self._name + "/"
        else:
            scope = ""
        _stack.append(scope)
        return scope

    def __exit__(self, *exc):
        _stack.pop()
        return False
