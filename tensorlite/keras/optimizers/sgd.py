"""`keras.optimizers.SGD`: gradient descent, with momentum and Nesterov momentum."""
import tensorlite as tf
from tensorlite.keras.optimizers.base import Optimizer
from tensorlite.keras.saving import serialization


@serialization.register_builtin("keras.optimizers")
class SGD(Optimizer):
    """Gradient descent: m <- momentum * m - lr * g; then w <- w + m, or with
    `nesterov` w <- w + momentum * m - lr * g. Without momentum, w <- w - lr * g.

    Takes the common optimizer arguments too (weight_decay, clipnorm, clipvalue,
    global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
    loss_scale_factor, gradient_accumulation_steps, name).

    >>> opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> opt.apply_gradients([(grad, var)])
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        lr = tf.cast(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        if self.momentum == 0:
            variable.assign_sub(gradient * lr, read_value=False)
            return
        m = self.momentums[self._get_variable_index(variable)]
        momentum = tf.cast(self.momentum, variable.dtype)
        m.assign(m * momentum - gradient * lr, read_value=False)
        if self.nesterov:
            variable.assign_add(m * momentum - gradient * lr, read_value=False)
        else:
            variable.assign_add(m, read_value=False)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
