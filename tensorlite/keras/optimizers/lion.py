"""`keras.optimizers.Lion`: EvoLved Sign Momentum (Chen et al. 2023)."""
import tensorlite as tf
from tensorlite.keras.optimizers.base import Optimizer
from tensorlite.keras.saving import serialization


@serialization.register_builtin("keras.optimizers")
class Lion(Optimizer):
    """w <- w - lr * sign(beta_1 * m + (1 - beta_1) * g); then
    m <- beta_2 * m + (1 - beta_2) * g. Takes the common optimizer arguments too."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        m = self._momentums[self._get_variable_index(variable)]
        variable.assign_sub(lr * tf.sign(m * beta_1 + gradient * (1.0 - beta_1)),
                            read_value=False)
        m.assign(m * beta_2 + gradient * (1.0 - beta_2), read_value=False)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
