"""`keras.Variable`: the state of layers, metrics and optimizers.

A tf.Variable with Keras 3's naming: `name` is the bare name ("kernel") and
`path` is where it lives ("dense/kernel"); it prints as Keras 3 prints it.
"""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.context import graph_stack
from tensorlite.framework.variables import Variable as _TFVariable
from tensorlite.framework.variables import lift_creation


class Variable(_TFVariable):
    """A Keras variable: `keras.Variable(initializer, shape, dtype, trainable, name)`."""

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        if graph_stack:  # created while a function is traced (e.g. a lazy build)
            return lift_creation(self, lambda: Variable.__init__(
                self, initializer, shape, dtype, trainable, autocast, aggregation,
                synchronization, name))
        name = name or "variable"
        if isinstance(name, str) and "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name}")
        if callable(initializer) and not hasattr(initializer, "shape"):
            if shape is None:
                raise ValueError("When creating a Variable from an initializer, the `shape` "
                                 "argument should be specified.")
            value = initializer(tuple(shape), dtype=dtype or "float32")
        else:
            value = initializer
        dtype = _dtypes.as_dtype(dtype) if dtype is not None else None
        super().__init__(value, trainable=trainable, dtype=dtype, name=name)
        from tensorlite.framework import name_scope as _ns
        scope = _ns.current_scope()
        self._keras_name = name
        self._path = scope + name
        self._autocast = autocast
        self._aggregation = aggregation

    @property
    def name(self):
        return self._keras_name

    @property
    def dtype(self):
        """The dtype's name, a string as in Keras 3 ("float32")."""
        return self._dtype.name

    @property
    def path(self):
        return self._path

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    def __repr__(self):
        value = np.asarray(self._resource.value)
        text = repr(value.item()) if value.ndim == 0 else np.array2string(value, separator=" ")
        if value.ndim == 0 and value.dtype.kind == "f":
            text = str(value.item())
        return (f"<Variable path={self._path}, shape={tuple(self.shape)}, "
                f"dtype={self._dtype.name}, value={text}>")
