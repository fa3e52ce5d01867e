"""`keras.optimizers.legacy`: the Keras 2 optimizers, which Keras 3 no longer has.

As in tf.keras with Keras 3, the names exist but creating one raises ImportError.
"""

_MESSAGE = (
    "`keras.optimizers.legacy` is not supported in Keras 3. When using `tf.keras`, to "
    "continue using a `tf.keras.optimizers.legacy` optimizer, you can install the `tf_keras` "
    "package (Keras 2) and set the environment variable `TF_USE_LEGACY_KERAS=True` to "
    "configure TensorFlow to use `tf_keras` when accessing `tf.keras`.")


class _LegacyOptimizer:
    def __init__(self, *args, **kwargs):
        raise ImportError(_MESSAGE)


class Optimizer(_LegacyOptimizer):
    pass


class SGD(_LegacyOptimizer):
    pass


class Adagrad(_LegacyOptimizer):
    pass


class Adam(_LegacyOptimizer):
    pass


class Ftrl(_LegacyOptimizer):
    pass


class RMSprop(_LegacyOptimizer):
    pass
