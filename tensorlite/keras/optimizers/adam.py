"""The Adam family: `Adam` (and AMSGrad), `AdamW`, `Adamax`, `Nadam`, `Lamb`.

Moments are updated as m <- m + (g - m) * (1 - beta_1), which is
beta_1 * m + (1 - beta_1) * g; as in Keras, epsilon is added outside the
square root: w <- w - lr_t * m / (sqrt(v) + epsilon).
"""
import tensorlite as tf
from tensorlite.keras.optimizers.base import Optimizer
from tensorlite.keras.saving import serialization


class _AdamBase(Optimizer):
    """What the Adam variants share: beta_1, beta_2, epsilon, the two moment slots
    (`_momentums` and `_velocities`, named by `_SLOTS`) and the powers beta**t of the
    step t = iterations + 1."""

    _SLOTS = ("momentum", "velocity")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, list(self._SLOTS))

    def _local_step(self, dtype):
        return self._step_value("local_step", dtype,
                                lambda: tf.cast(self.iterations + 1, dtype))

    def _beta_powers(self, dtype):
        """(beta_1**t, beta_2**t) for this step."""
        def compute():
            t = self._local_step(dtype)
            return (tf.pow(tf.cast(self.beta_1, dtype), t), tf.pow(tf.cast(self.beta_2, dtype), t))
        return self._step_value("beta_powers", dtype, compute)

    def _update_moments(self, gradient, index):
        m = self._momentums[index]
        v = self._velocities[index]
        m.assign_add((gradient - m) * (1 - self.beta_1), read_value=False)
        v.assign_add((tf.square(gradient) - v) * (1 - self.beta_2), read_value=False)
        return m, v

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


@serialization.register_builtin("keras.optimizers")
class Adam(_AdamBase):
    """Adaptive moment estimation: m and v are running means of g and g**2 and
    w <- w - lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon).
    With `amsgrad`, v is replaced by its running maximum. Takes the common optimizer
    arguments too."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, **kwargs)
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)

        def step_size():
            beta_1_power, beta_2_power = self._beta_powers(dtype)
            return lr * tf.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        alpha = self._step_value("alpha", dtype, step_size)
        index = self._get_variable_index(variable)
        m, v = self._update_moments(gradient, index)
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            v_hat.assign(tf.maximum(v_hat, v), read_value=False)
            v = v_hat
        variable.assign_sub(m * alpha / (tf.sqrt(v) + self.epsilon), read_value=False)

    def get_config(self):
        return {**super().get_config(), "amsgrad": self.amsgrad}


@serialization.register_builtin("keras.optimizers")
class AdamW(Adam):
    """Adam with decoupled weight decay: each step first does
    w <- w - w * weight_decay * lr. Takes the common optimizer arguments too."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay,
                         **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. "
                             f"Received: weight_decay={weight_decay}")


@serialization.register_builtin("keras.optimizers")
class Adamax(_AdamBase):
    """Adam with the infinity norm: u <- max(beta_2 * u, |g|) and
    w <- w - lr * m / ((1 - beta_1**t) * (u + epsilon)). Takes the common optimizer
    arguments too."""

    _SLOTS = ("momentum", "norm")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)
        beta_1_power = self._step_value(
            "beta_1_power", dtype,
            lambda: tf.pow(tf.cast(self.beta_1, dtype), self._local_step(dtype)))
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        u = self._velocities[index]
        m.assign_add((gradient - m) * (1 - self.beta_1), read_value=False)
        u.assign(tf.maximum(self.beta_2 * u, tf.abs(gradient)), read_value=False)
        variable.assign_sub(lr * m / ((1 - beta_1_power) * (u + self.epsilon)),
                            read_value=False)


@serialization.register_builtin("keras.optimizers")
class Nadam(_AdamBase):
    """Adam with Nesterov momentum (Dozat 2016), with the momentum schedule
    mu_t = beta_1 * (1 - 0.5 * 0.96**t) and their running product. Takes the common
    optimizer arguments too."""

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        dtype = variables[0].dtype if variables else "float32"
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype,
                                            name="u_product")

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        dtype = self._u_product.dtype
        decay = tf.pow(0.96, tf.cast(self.iterations + 1, dtype))
        self._u_product.assign(self._u_product * self.beta_1 * (1.0 - 0.5 * decay),
                               read_value=False)
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def _momentum_schedule(self, dtype):
        """(mu_t, mu_t+1, prod mu up to t, prod mu up to t+1) for this step."""
        def compute():
            local_step = self._local_step(dtype)
            next_step = tf.cast(self.iterations + 2, dtype)
            decay = tf.cast(0.96, dtype)
            beta_1 = tf.cast(self.beta_1, dtype)
            u_t = beta_1 * (1.0 - 0.5 * tf.pow(decay, local_step))
            u_t_1 = beta_1 * (1.0 - 0.5 * tf.pow(decay, next_step))
            u_product_t = tf.cast(self._u_product, dtype)
            return u_t, u_t_1, u_product_t, u_product_t * u_t_1
        return self._step_value("momentum_schedule", dtype, compute)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)
        u_t, u_t_1, u_product_t, u_product_t_1 = self._momentum_schedule(dtype)
        beta_2_power = self._step_value(
            "beta_2_power", dtype,
            lambda: tf.pow(tf.cast(self.beta_2, dtype), self._local_step(dtype)))
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        m.assign_add((gradient - m) * (1 - beta_1), read_value=False)
        v.assign_add((tf.square(gradient) - v) * (1 - beta_2), read_value=False)
        m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * gradient / (1 - u_product_t)
        v_hat = v / (1 - beta_2_power)
        variable.assign_sub(m_hat * lr / (tf.sqrt(v_hat) + self.epsilon), read_value=False)


@serialization.register_builtin("keras.optimizers")
class Lamb(_AdamBase):
    """Layer-wise adaptive moments: Adam's bias-corrected step, rescaled per variable by
    the trust ratio ||w|| / ||step|| (1 when either norm is zero). Takes the common
    optimizer arguments too."""

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)
        beta_1_power, beta_2_power = self._beta_powers(dtype)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        m.assign(m * beta_1 + gradient * (1.0 - beta_1), read_value=False)
        v.assign(v * beta_2 + tf.square(gradient) * (1.0 - beta_2), read_value=False)
        m_hat = m / (1.0 - beta_1_power)
        v_sqrt = tf.sqrt(v / (1.0 - beta_2_power)) + self.epsilon
        update = m_hat / v_sqrt
        w_norm = tf.sqrt(tf.reduce_sum(tf.square(variable)))
        g_norm = tf.sqrt(tf.reduce_sum(tf.square(update)))
        ratio = tf.where(w_norm > 0, tf.where(g_norm > 0, w_norm / g_norm, 1.0), 1.0)
        variable.assign_sub(ratio * lr * update, read_value=False)
