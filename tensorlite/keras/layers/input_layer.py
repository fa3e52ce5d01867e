"""`keras.Input` and `InputLayer`: the entry points of a Functional model."""
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.keras import backend
from tensorlite.keras import naming
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.layers.keras_tensor import KerasTensor, Node, standardize_dtype
from tensorlite.keras.saving.serialization import register_builtin


def standardize_shape(shape):
    """A shape argument (tuple, list, TensorShape) as a tuple of ints/None."""
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, str) or not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape.")
    out = []
    for d in shape:
        if d is None:
            out.append(None)
            continue
        if isinstance(d, bool) or not hasattr(d, "__index__"):
            raise ValueError(f"Cannot convert '{shape}' to a shape. Found invalid entry "
                             f"'{d}' of type '{type(d)}'. ")
        if int(d) < 0:
            raise ValueError(f"Cannot convert '{shape}' to a shape. Negative dimensions are "
                             "not allowed.")
        out.append(int(d))
    return tuple(out)


@register_builtin("keras.layers")
class InputLayer(Layer):
    """The layer of a model input: holds the input's KerasTensor (`layer.output`)."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        user_name = name
        super().__init__(name=name or naming.uniquify("input_layer"), **kwargs)
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError("Argument `input_tensor` must be a KerasTensor. Received "
                                 f"invalid type: input_tensor={input_tensor} (of type "
                                 f"{type(input_tensor)})")
            batch_shape = input_tensor.shape
            dtype = input_tensor.dtype
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same "
                             "time.")
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            batch_shape = (batch_size,) + standardize_shape(shape)
        self._batch_shape = standardize_shape(batch_shape)
        self._dtype_name = standardize_dtype(dtype or backend.floatx())
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        tensor = input_tensor or KerasTensor(self._batch_shape, dtype=self._dtype_name,
                                             sparse=self.sparse, ragged=self.ragged,
                                             name=user_name)
        Node(self, outputs=tensor)
        self.built = True

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype_name

    def call(self):
        return None

    def get_config(self):
        return {"batch_shape": self._batch_shape, "dtype": self._dtype_name,
                "sparse": self.sparse, "ragged": self.ragged, "name": self.name,
                "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """A symbolic input of a Functional model: a KerasTensor of shape (batch_size,) + shape.

    >>> x = tf.keras.Input(shape=(3,), name="my_input")
    >>> x.shape
    (None, 3)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
                       optional=optional, name=name)
    return layer.output
