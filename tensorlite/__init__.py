"""tensorlite: the TensorFlow 2 / tf.keras programming model on NumPy.

    import tensorlite as tf
"""
__version__ = "2.21.0"
VERSION = __version__

import warnings as _warnings

# TensorFlow returns inf/nan silently (log(0), 1/0, overflow). NumPy's
# floating-point RuntimeWarnings raised from our kernels are ignored by module,
# which costs nothing per op; the user's own NumPy code keeps its warnings.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorlite(\.|$)")

from tensorlite.framework import dtypes
from tensorlite.framework.dtypes import (DType, as_dtype, bfloat16, bool, complex64,  # noqa: A004
                                         complex128, double, float16, float32, float64,
                                         half, int8, int16, int32, int64, resource,
                                         string, uint8, uint16, uint32, uint64, variant)
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.framework.tensor import Tensor, convert_to_tensor, is_tensor
from tensorlite.framework.variables import Variable
from tensorlite.framework.name_scope import name_scope
from tensorlite.framework.context import executing_eagerly
from tensorlite import errors
from tensorlite.util import nest

from tensorlite.ops import operators as _operators  # noqa: F401 - installs tensor operators
from tensorlite.ops.constant import constant
# Each op family's `__all__` lists the names TensorFlow has at the top level.
from tensorlite.ops.math import *  # noqa: F401,F403
from tensorlite.ops.array import *  # noqa: F401,F403
from tensorlite.ops.linalg import *  # noqa: F401,F403
from tensorlite.ops.logging import print  # noqa: A004
from tensorlite.autodiff.tape import GradientTape, UnconnectedGradients
from tensorlite.autodiff.stop_gradient import stop_gradient
from tensorlite.autodiff.custom_gradient import custom_gradient
from tensorlite.framework.tensor_spec import TensorSpec
from tensorlite.graph.function import function
from tensorlite.graph.control_flow import case, cond, switch_case, while_loop
from tensorlite import math, linalg, nn, random, autograph, config
from tensorlite import strings, ragged, sparse, sets, queue
from tensorlite.structures.ragged import RaggedTensor
from tensorlite.structures.sparse import SparseTensor, SparseTensorSpec
from tensorlite.structures.tensor_array import TensorArray
config.default_blas_threads()
from tensorlite.framework.context import init_scope

newaxis = None


def __getattr__(name):
    # Keras is imported on first use so `import tensorlite` stays fast.
    # These load on first use (tf.train pulls in protobuf, tf.data optree and more), so
    # `import tensorlite` stays fast.
    if name in ("keras", "train", "data", "io", "feature_column"):
        import importlib
        return importlib.import_module(f"tensorlite.{name}")
    raise AttributeError(f"module 'tensorlite' has no attribute '{name}'")
