"""`keras.layers`: the Layer base class, `Input`, and the built-in layers."""
from tensorlite.keras.layers.activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from tensorlite.keras.layers.base_layer import DTypePolicy, InputSpec, Layer
from tensorlite.keras.layers.core import Activation, Dense, Embedding, Identity, Lambda
from tensorlite.keras.layers.convolutional import Conv1D, Conv2D, Convolution1D, Convolution2D
from tensorlite.keras.layers.input_layer import Input, InputLayer
from tensorlite.keras.layers.keras_tensor import KerasTensor
from tensorlite.keras.layers.merging import (Add, Average, Concatenate, Maximum, Minimum,
                                             Multiply, Subtract, add, average, concatenate,
                                             maximum, minimum, multiply, subtract)
from tensorlite.keras.layers.normalization import BatchNormalization, LayerNormalization
from tensorlite.keras.layers.pooling import (AveragePooling1D, AveragePooling2D, AvgPool1D,
                                             AvgPool2D, GlobalAveragePooling1D,
                                             GlobalAveragePooling2D, GlobalAvgPool1D,
                                             GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D,
                                             GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D,
                                             MaxPool2D, MaxPooling1D, MaxPooling2D)
from tensorlite.keras.layers.preprocessing import Normalization
from tensorlite.keras.layers.preprocessing_layers import (CategoryEncoding, Discretization,
                                                          HashedCrossing, Hashing, IntegerLookup,
                                                          StringLookup)
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
__all__ += [
    "AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D", "Conv1D", "Conv2D",
    "Convolution1D", "Convolution2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPool1D", "MaxPool2D", "MaxPooling1D",
    "MaxPooling2D",
]
__all__ += ["CategoryEncoding", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup",
            "StringLookup"]
