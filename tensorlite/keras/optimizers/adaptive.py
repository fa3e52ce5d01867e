"""Per-coordinate adaptive learning rates: `Adagrad`, `RMSprop`, `Adadelta`.

As in Keras, epsilon is added to the accumulated squares inside the square root.
"""
import tensorlite as tf
from tensorlite.keras import initializers
from tensorlite.keras.optimizers.base import Optimizer
from tensorlite.keras.saving import serialization


@serialization.register_builtin("keras.optimizers")
class Adagrad(Optimizer):
    """s <- s + g**2; w <- w - lr * g / sqrt(s + epsilon), s starting at
    `initial_accumulator_value`. Takes the common optimizer arguments too."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value))

    def update_step(self, gradient, variable, learning_rate):
        lr = tf.cast(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        accumulator.assign_add(tf.square(gradient), read_value=False)
        variable.assign_sub(lr * gradient / tf.sqrt(accumulator + self.epsilon),
                            read_value=False)

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}


@serialization.register_builtin("keras.optimizers")
class RMSprop(Optimizer):
    """s <- rho * s + (1 - rho) * g**2; step = lr * g / sqrt(s + epsilon) (with `centered`,
    the squared running mean of g is subtracted from s first); w <- w - step, or through
    a momentum m <- momentum * m + step. Takes the common optimizer arguments too."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(variables,
                                                                   "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        lr = tf.cast(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        velocity = self._velocities[index]
        rho = self.rho
        velocity.assign(rho * velocity + (1 - rho) * tf.square(gradient), read_value=False)
        if self.centered:
            average_grad = self._average_gradients[index]
            average_grad.assign(rho * average_grad + (1 - rho) * gradient, read_value=False)
            denominator = velocity - tf.square(average_grad) + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = lr * gradient / tf.sqrt(denominator)
        if self.momentum > 0:
            momentum = self._momentums[index]
            momentum.assign(self.momentum * momentum + increment, read_value=False)
            variable.assign_sub(momentum, read_value=False)
        else:
            variable.assign_sub(increment, read_value=False)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


@serialization.register_builtin("keras.optimizers")
class Adadelta(Optimizer):
    """Adagrad's step scaled by the running RMS of past updates:
    s <- rho * s + (1 - rho) * g**2; d = -sqrt(u + eps) / sqrt(s + eps) * g;
    u <- rho * u + (1 - rho) * d**2; w <- w + lr * d. Takes the common optimizer
    arguments too."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, gradient, variable, learning_rate):
        lr = tf.cast(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta_var = self._accumulated_delta_vars[index]
        rho = self.rho
        accumulated_grad.assign(rho * accumulated_grad + (1 - rho) * tf.square(gradient),
                                read_value=False)
        delta_var = -(tf.sqrt(accumulated_delta_var + self.epsilon) * gradient /
                      tf.sqrt(accumulated_grad + self.epsilon))
        accumulated_delta_var.assign(rho * accumulated_delta_var +
                                     (1 - rho) * tf.square(delta_var), read_value=False)
        variable.assign_add(lr * delta_var, read_value=False)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
