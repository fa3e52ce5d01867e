"""`keras.layers`: the Layer base class, `Input`, and the built-in layers."""
from tensorlite.keras.layers.activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from tensorlite.keras.layers.base_layer import DTypePolicy, InputSpec, Layer
from tensorlite.keras.layers.core import Activation, Dense, Embedding, Identity, Lambda
from tensorlite.keras.layers.input_layer import Input, InputLayer
from tensorlite.keras.layers.keras_tensor import KerasTensor
from tensorlite.keras.layers.merging import (Add, Average, Concatenate, Maximum, Minimum,
                                             Multiply, Subtract, add, average, concatenate,
                                             maximum, minimum, multiply, subtract)
from tensorlite.keras.layers.normalization import BatchNormalization, LayerNormalization
from tensorlite.keras.layers.preprocessing import Normalization
from tensorlite.keras.layers.regularization import (ActivityRegularization, AlphaDropout,
                                                    Dropout, GaussianDropout, GaussianNoise)
from tensorlite.keras.layers.reshaping import Flatten, Reshape

__all__ = [
    "Activation", "ActivityRegularization", "Add", "AlphaDropout", "Average",
    "BatchNormalization", "Concatenate", "DTypePolicy", "Dense", "Dropout", "ELU",
    "Embedding", "Flatten", "GaussianDropout", "GaussianNoise", "Identity", "Input",
    "InputLayer", "InputSpec", "KerasTensor", "Lambda", "Layer", "LayerNormalization",
    "LeakyReLU", "Maximum", "Minimum", "Multiply", "Normalization", "PReLU", "ReLU",
    "Reshape", "Softmax", "Subtract", "add", "average", "concatenate", "maximum", "minimum",
    "multiply", "subtract",
]
