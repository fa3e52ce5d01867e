"""`tf.stop_gradient`: an identity whose output no tape differentiates through."""
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.ops._helpers import to_tensor, unary_shape


@op("StopGradient", shape=unary_shape, differentiable=False)
def _stop_gradient(x):
    return x


def stop_gradient(input, name=None):  # noqa: A002 - TensorFlow's argument name
    """Returns `input` unchanged, but gradients do not flow through it.

    >>> with tf.GradientTape() as tape:
    ...     z = 3 * w1 ** 2 + tf.stop_gradient(2 * w1 * w2)
    >>> tape.gradient(z, [w1, w2])   # [30.0, None]
    """
    return execute(_stop_gradient, (to_tensor(input),), name=name)
