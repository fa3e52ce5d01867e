"""keras.optimizers: update equations against NumPy, TensorFlow's numbers, state and API."""
import warnings

import numpy as np
import pytest

import tensorlite as tf
from tensorlite import keras
from tensorlite.keras import optimizers as O

GRADS = [[0.5, -1.0, 2.0], [0.25, -1.0, -1.0], [1.0, 0.0, 0.5], [-2.0, 3.0, 0.1]]
W0 = [1.0, 2.0, 3.0]


def run(opt, grads=GRADS, w0=W0, dtype=tf.float32):
    var = tf.Variable(w0, dtype=dtype)
    for g in grads:
        opt.apply_gradients([(tf.constant(g, dtype=dtype), var)])
    return var.numpy()


# ---- NumPy references: the update equations, in float64 ------------------------------------

def np_sgd(lr, momentum=0.0, nesterov=False):
    w, m = np.array(W0), np.zeros(3)
    for g in map(np.array, GRADS):
        if momentum == 0:
            w = w - lr * g
            continue
        m = momentum * m - lr * g
        w = w + (momentum * m - lr * g if nesterov else m)
    return w


def np_adagrad(lr, init=0.1, eps=1e-7):
    w, s = np.array(W0), np.full(3, init)
    for g in map(np.array, GRADS):
        s = s + g * g
        w = w - lr * g / np.sqrt(s + eps)
    return w


def np_rmsprop(lr, rho=0.9, momentum=0.0, centered=False, eps=1e-7):
    w, s, mom, mg = np.array(W0), np.zeros(3), np.zeros(3), np.zeros(3)
    for g in map(np.array, GRADS):
        s = rho * s + (1 - rho) * g * g
        denom = s + eps
        if centered:
            mg = rho * mg + (1 - rho) * g
            denom = s - mg * mg + eps
        step = lr * g / np.sqrt(denom)
        if momentum:
            mom = momentum * mom + step
            step = mom
        w = w - step
    return w


def np_adadelta(lr, rho=0.95, eps=1e-7):
    w, s, u = np.array(W0), np.zeros(3), np.zeros(3)
    for g in map(np.array, GRADS):
        s = rho * s + (1 - rho) * g * g
        d = -np.sqrt(u + eps) / np.sqrt(s + eps) * g
        u = rho * u + (1 - rho) * d * d
        w = w + lr * d
    return w


def np_adam_keras(lr, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, weight_decay=None):
    """Adam as Keras writes it: alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
    w -= alpha_t * m / (sqrt(v) + eps)."""
    w, m, v, vmax = np.array(W0), np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(map(np.array, GRADS), 1):
        if weight_decay:
            w = w - w * weight_decay * lr
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w = w - alpha * m / (np.sqrt(vmax if amsgrad else v) + eps)
    return w


def np_adamax(lr, b1=0.9, b2=0.999, eps=1e-7):
    w, m, u = np.array(W0), np.zeros(3), np.zeros(3)
    for t, g in enumerate(map(np.array, GRADS), 1):
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr * m / ((1 - b1 ** t) * (u + eps))
    return w


def np_nadam(lr, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v, prod = np.array(W0), np.zeros(3), np.zeros(3), 1.0
    for t, g in enumerate(map(np.array, GRADS), 1):
        mu_t = b1 * (1 - 0.5 * 0.96 ** t)
        mu_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        prod = prod * mu_t
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = mu_next * m / (1 - prod * mu_next) + (1 - mu_t) * g / (1 - prod)
        v_hat = v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


def np_ftrl(lr, power=-0.5, init=0.1, l1=0.0, l2=0.0, shrinkage=0.0, beta=0.0):
    w, n, z = np.array(W0), np.full(3, init), np.zeros(3)
    for g in map(np.array, GRADS):
        n_new = n + g * g
        sigma = (n_new ** -power - n ** -power) / lr
        z = z + g + 2 * shrinkage * w - sigma * w
        quadratic = n_new ** -power / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quadratic
        n = n_new
    return w


def np_lion(lr, b1=0.9, b2=0.99):
    w, m = np.array(W0), np.zeros(3)
    for g in map(np.array, GRADS):
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        m = b2 * m + (1 - b2) * g
    return w


def np_lamb(lr, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v = np.array(W0), np.zeros(3), np.zeros(3)
    for t, g in enumerate(map(np.array, GRADS), 1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        update = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        ratio = np.linalg.norm(w) / np.linalg.norm(update)
        w = w - ratio * lr * update
    return w


@pytest.mark.parametrize("make, reference", [
    (lambda: O.SGD(learning_rate=0.1), lambda: np_sgd(0.1)),
    (lambda: O.SGD(learning_rate=0.1, momentum=0.9), lambda: np_sgd(0.1, 0.9)),
    (lambda: O.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
     lambda: np_sgd(0.1, 0.9, True)),
    (lambda: O.Adagrad(learning_rate=0.1), lambda: np_adagrad(0.1)),
    (lambda: O.Adagrad(learning_rate=0.1, initial_accumulator_value=1.0, epsilon=1e-3),
     lambda: np_adagrad(0.1, 1.0, 1e-3)),
    (lambda: O.RMSprop(learning_rate=0.1), lambda: np_rmsprop(0.1)),
    (lambda: O.RMSprop(learning_rate=0.1, rho=0.8, momentum=0.5, centered=True),
     lambda: np_rmsprop(0.1, 0.8, 0.5, True)),
    (lambda: O.Adadelta(learning_rate=1.0), lambda: np_adadelta(1.0)),
    (lambda: O.Adam(learning_rate=0.1), lambda: np_adam_keras(0.1)),
    (lambda: O.Adam(learning_rate=0.1, beta_1=0.5, amsgrad=True),
     lambda: np_adam_keras(0.1, b1=0.5, amsgrad=True)),
    (lambda: O.AdamW(learning_rate=0.1, weight_decay=0.2),
     lambda: np_adam_keras(0.1, weight_decay=0.2)),
    (lambda: O.Adamax(learning_rate=0.1), lambda: np_adamax(0.1)),
    (lambda: O.Nadam(learning_rate=0.1), lambda: np_nadam(0.1)),
    (lambda: O.Ftrl(learning_rate=0.1), lambda: np_ftrl(0.1)),
    (lambda: O.Ftrl(learning_rate=0.1, learning_rate_power=-0.25, l1_regularization_strength=0.01,
                    l2_regularization_strength=0.1, l2_shrinkage_regularization_strength=0.05,
                    beta=0.3),
     lambda: np_ftrl(0.1, -0.25, 0.1, 0.01, 0.1, 0.05, 0.3)),
    (lambda: O.Lion(learning_rate=0.1), lambda: np_lion(0.1)),
    (lambda: O.Lamb(learning_rate=0.1), lambda: np_lamb(0.1)),
])
def test_update_equations_match_numpy(make, reference):
    np.testing.assert_allclose(run(make()), reference(), rtol=2e-5, atol=1e-6)


def test_float64_variables():
    # the learning rate and some hyperparameters pass through float32, as in Keras
    result = run(O.Adam(learning_rate=0.1), dtype=tf.float64)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, np_adam_keras(0.1), rtol=1e-5)
    np.testing.assert_allclose(run(O.SGD(learning_rate=0.1, momentum=0.9), dtype=tf.float64),
                               np_sgd(0.1, 0.9), rtol=1e-6)
    # TensorFlow: one Adam step from [1, 2] with gradient 1 in float64
    var = tf.Variable([1.0, 2.0], dtype=tf.float64)
    O.Adam(learning_rate=0.1).apply_gradients([(tf.constant([1.0, 1.0], tf.float64), var)])
    np.testing.assert_allclose(var.numpy(), [0.90000098, 1.90000098], rtol=0, atol=1e-8)


# TensorFlow 2.21 / Keras 3.15's float32 results for the same four steps
TF_RESULTS = {
    "SGD": (lambda: O.SGD(learning_rate=0.1, momentum=0.9),
            [0.770300030708313, 2.3148999214172363, 2.4781999588012695]),
    "Adagrad": (lambda: O.Adagrad(learning_rate=0.1),
                [0.8783859014511108, 2.074307680130005, 2.9195713996887207]),
    "RMSprop": (lambda: O.RMSprop(learning_rate=0.1, momentum=0.5, centered=True),
                [-0.10435232520103455, 2.775852918624878, 2.5034878253936768]),
    "Adam": (lambda: O.Adam(learning_rate=0.1, amsgrad=True),
             [0.7293174266815186, 2.2516541481018066, 2.8089282512664795]),
    "AdamW": (lambda: O.AdamW(learning_rate=0.1),
              [0.7279492616653442, 2.2482640743255615, 2.804286003112793]),
    "Adamax": (lambda: O.Adamax(learning_rate=0.1),
               [0.7738438248634338, 2.2490015029907227, 2.8389017581939697]),
    "Nadam": (lambda: O.Nadam(learning_rate=0.1),
              [0.8344577550888062, 2.097661256790161, 2.8964216709136963]),
    "Ftrl": (lambda: O.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01,
                            l2_regularization_strength=0.1,
                            l2_shrinkage_regularization_strength=0.05, beta=0.3),
             [0.21412722766399384, 1.0862319469451904, 2.079418897628784]),
    "Adadelta": (lambda: O.Adadelta(learning_rate=0.1),
                 [0.9998272061347961, 2.000065326690674, 2.999890089035034]),
    "Lion": (lambda: O.Lion(learning_rate=0.1),
             [0.7999999523162842, 2.1999998092651367, 2.8000001907348633]),
    "Lamb": (lambda: O.Lamb(learning_rate=0.1),
             [0.38886070251464844, 2.478755474090576, 2.3390445709228516]),
}


@pytest.mark.parametrize("name", sorted(TF_RESULTS))
def test_float32_results_are_tensorflows_bit_for_bit(name):
    make, expected = TF_RESULTS[name]
    np.testing.assert_array_equal(run(make()), np.array(expected, np.float32))


def test_book_chapter11_three_steps():
    # the conformance script's numbers (TensorFlow's, rounded to 5 decimals)
    grads = GRADS[:3]
    cases = [(O.SGD(learning_rate=0.1), [0.825, 2.2, 2.85]),
             (O.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), [0.5703, 2.6149, 2.4882]),
             (O.RMSprop(learning_rate=0.1, rho=0.9), [0.25447, 2.54564, 2.75575]),
             (O.Adam(learning_rate=0.1), [0.71588, 2.2773, 2.83932]),
             (O.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01),
              [0.25621, 1.56038, 2.45488])]
    for opt, expected in cases:
        assert [round(float(v), 5) for v in run(opt, grads)] == expected
        assert int(opt.iterations) == 3


# ---- state: variables, names, iterations ------------------------------------------------------

def test_variables_paths_and_order():
    keras.backend.clear_session()
    kernel = keras.Variable(np.ones((2, 2), np.float32), name="kernel")
    with tf.name_scope("sc"):
        plain = tf.Variable([1.0, 2.0], name="w")
    opt = O.Adam()
    assert opt.name == "adam"
    opt.build([kernel, plain])
    assert [v.path for v in opt.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/kernel_momentum", "adam/kernel_velocity",
        "adam/sc_w_0_momentum", "adam/sc_w_0_velocity"]
    assert opt.variables[2].name == "kernel_momentum"
    assert O.Adam().name == "adam_1"
    assert O.RMSprop().name == "rm_sprop" and O.AdamW().name == "adam_w"
    assert O.SGD(name="mine").name == "mine" and O.SGD(name="mine").name == "mine"


def test_slot_variables_of_each_optimizer():
    keras.backend.clear_session()
    var = keras.Variable(np.zeros(2, np.float32), name="b")

    def slots(opt):
        opt.build([var])
        return [v.name for v in opt.variables[2:]]
    assert slots(O.SGD()) == []
    assert slots(O.SGD(momentum=0.5)) == ["b_momentum"]
    assert slots(O.RMSprop()) == ["b_velocity"]
    assert slots(O.RMSprop(momentum=0.9, centered=True)) == [
        "b_velocity", "b_momentum", "b_average_gradient"]
    assert slots(O.Adam(amsgrad=True)) == ["b_momentum", "b_velocity", "b_velocity_hat"]
    assert slots(O.Adamax()) == ["b_momentum", "b_norm"]
    assert slots(O.Ftrl()) == ["b_accumulator", "b_linear"]
    assert slots(O.Adadelta()) == ["b_accumulated_grad", "b_accumulated_delta_var"]
    assert slots(O.Nadam()) == ["b_momentum", "b_velocity", "u_product"]
    acc = O.Adagrad(initial_accumulator_value=0.25)
    acc.build([var])
    np.testing.assert_array_equal(acc.variables[2].numpy(), [0.25, 0.25])


def test_iterations_is_an_int64_variable_counted_per_apply():
    opt = O.SGD()
    var = tf.Variable([1.0])
    assert opt.iterations.dtype == tf.int64 and int(opt.iterations) == 0
    returned = opt.apply_gradients([(tf.constant([1.0]), var)])
    assert returned is opt.iterations
    opt.apply([tf.constant([1.0])], [var])
    assert int(opt.iterations) == 2
    opt.apply([tf.constant([1.0])])  # the variables it was built with
    assert int(opt.iterations) == 3


def test_minimizing_a_quadratic_with_a_tape():
    for opt in [O.SGD(learning_rate=0.1, momentum=0.9), O.Adam(learning_rate=0.1),
                O.Nadam(learning_rate=0.1), O.RMSprop(learning_rate=0.1)]:
        var = tf.Variable([3.0, -2.0])
        for _ in range(50):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(var - 1.0))
            opt.apply_gradients(zip(tape.gradient(loss, [var]), [var]))
        assert float(tf.reduce_sum(tf.square(var - 1.0))) < 0.5


# ---- learning rate ------------------------------------------------------------------------

def test_learning_rate_variable_and_setter():
    opt = O.SGD(learning_rate=0.5)
    lr = opt.learning_rate
    assert isinstance(lr, keras.Variable) and lr.path.endswith("/learning_rate")
    opt.learning_rate = 0.25
    assert opt.learning_rate is lr and float(lr.numpy()) == 0.25
    var = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([2.0]), var)])
    np.testing.assert_allclose(var.numpy(), [0.5])


def test_learning_rate_schedule_uses_iterations():
    schedule = O.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = O.SGD(schedule)
    assert [v.name for v in opt.variables] == ["iteration"]
    var = tf.Variable([0.0])
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0]), var)])
    np.testing.assert_allclose(var.numpy(), [-(0.1 + 0.05 + 0.025)], rtol=1e-6)
    np.testing.assert_allclose(float(opt.learning_rate), 0.0125)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_setting_a_schedule_drops_the_learning_rate_variable():
    opt = O.SGD(learning_rate=0.1)
    opt.learning_rate = O.schedules.InverseTimeDecay(1.0, 1, 1.0)
    assert [v.name for v in opt.variables] == ["iteration"]
    assert float(opt.learning_rate) == 1.0


def test_callable_learning_rate():
    opt = O.SGD(learning_rate=lambda: 0.5)
    assert opt.learning_rate == 0.5
    var = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([1.0]), var)])
    np.testing.assert_allclose(var.numpy(), [0.5])


@pytest.mark.parametrize("bad", [1, -0.1, "x", np.float32(0.1), True])
def test_learning_rate_must_be_a_float_schedule_or_callable(bad):
    with pytest.raises(ValueError, match="Argument `learning_rate` should be float"):
        O.SGD(learning_rate=bad)


def test_old_lr_argument_is_rejected_as_in_keras3():
    with pytest.raises(ValueError) as e:
        O.SGD(lr=0.001, momentum=0.9)
    assert str(e.value) == "Argument(s) not recognized: {'lr': 0.001}"


def test_decay_argument_warns_and_is_ignored():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        O.SGD(learning_rate=0.01, decay=1e-4)


# ---- gradient processing ------------------------------------------------------------------------

def test_none_gradients_are_skipped_with_a_warning():
    opt = O.SGD(learning_rate=1.0)
    a, b = tf.Variable([1.0], name="a"), tf.Variable([1.0], name="b")
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b:0'\]"):
        opt.apply_gradients([(tf.constant([1.0]), a), (None, b)])
    assert a.numpy()[0] == 0.0 and b.numpy()[0] == 1.0
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        opt.apply_gradients([(None, a)])


def test_unknown_variable_and_unbuilt_apply_errors():
    opt = O.SGD()
    opt.apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])
    with pytest.raises(ValueError, match="must already be built"):
        O.SGD().apply([tf.constant([1.0])])


def test_clipping():
    def step(**kwargs):
        a, b = tf.Variable([1.0, 2.0]), tf.Variable([0.0])
        O.SGD(learning_rate=1.0, **kwargs).apply_gradients(
            [(tf.constant([3.0, 4.0]), a), (tf.constant([12.0]), b)])
        return a.numpy(), b.numpy()
    a, b = step(clipnorm=1.0)
    np.testing.assert_allclose(a, [0.4, 1.2], rtol=1e-6)
    np.testing.assert_allclose(b, [-1.0], rtol=1e-6)
    a, b = step(global_clipnorm=1.0)  # global norm 13
    np.testing.assert_allclose(a, [1 - 3 / 13, 2 - 4 / 13], rtol=1e-6)
    np.testing.assert_allclose(b, [-12 / 13], rtol=1e-6)
    a, b = step(clipvalue=3.5)
    np.testing.assert_allclose(a, [-2.0, -1.5])
    np.testing.assert_allclose(b, [-3.5])
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue`"):
        O.SGD(clipnorm=1.0, global_clipnorm=1.0)


def test_clipnorm_keeps_zero_gradients_finite():
    var = tf.Variable([1.0, 2.0])
    O.SGD(clipnorm=1.0).apply_gradients([(tf.zeros([2]), var)])
    np.testing.assert_array_equal(var.numpy(), [1.0, 2.0])


def test_weight_decay_and_exclusions():
    opt = O.SGD(learning_rate=0.01, weight_decay=0.1)
    var = tf.Variable([1.0, 2.0])
    opt.apply_gradients([(tf.zeros([2]), var)])
    np.testing.assert_allclose(var.numpy(), [0.999, 1.998], rtol=1e-6)

    opt = O.SGD(learning_rate=1.0, weight_decay=0.5)
    bias, kernel, other = (tf.Variable([1.0, 2.0], name=n) for n in ("bias", "kern", "other"))
    opt.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    opt.apply_gradients([(tf.zeros([2]), v) for v in (bias, kernel, other)])
    np.testing.assert_array_equal(bias.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(other.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(kernel.numpy(), [0.5, 1.0])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["x"])


def test_adamw_requires_weight_decay():
    assert O.AdamW().get_config()["weight_decay"] == 0.004
    with pytest.raises(ValueError, match="Argument `weight_decay` must be a float"):
        O.AdamW(weight_decay=None)


def test_loss_scale_factor():
    opt = O.SGD(learning_rate=1.0, loss_scale_factor=4.0)
    var = tf.Variable([1.0, 2.0])
    opt.apply_gradients([(tf.constant([4.0, 4.0]), var)])
    np.testing.assert_array_equal(var.numpy(), [0.0, 1.0])
    assert float(opt.scale_loss(tf.constant(2.0))) == 8.0


def test_exponential_moving_average():
    # TensorFlow: EMA copies the variable on the first step, then averages, and
    # every second step overwrites the variable with its average
    opt = O.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    var = tf.Variable([1.0, 2.0])
    seen = []
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), var)])
        seen.append((var.numpy().tolist(), opt.variables[2].numpy().tolist()))
    assert seen == [([0.0, 1.0], [0.0, 1.0]), ([-0.5, 0.5], [-0.5, 0.5]),
                    ([-1.5, -0.5], [-1.0, 0.0])]
    assert opt.variables[2].name == "Variable_0_average"
    opt.finalize_variable_values([var])
    assert var.numpy().tolist() == [-1.0, 0.0]
    with pytest.raises(ValueError, match="`ema_momentum` must be in the range"):
        O.SGD(use_ema=True, ema_momentum=2)


def test_gradient_accumulation():
    opt = O.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    var = tf.Variable([1.0, 2.0])
    seen = []
    for g in [1.0, 3.0, 5.0]:
        opt.apply_gradients([(tf.constant([g, g]), var)])
        seen.append((var.numpy().tolist(), int(opt.iterations),
                     opt.variables[2].numpy().tolist()))
    # the mean of the accumulated gradients is applied every second call
    assert seen == [([1.0, 2.0], 0, [1.0, 1.0]), ([-1.0, 0.0], 1, [0.0, 0.0]),
                    ([-1.0, 0.0], 1, [5.0, 5.0])]
    with pytest.raises(ValueError, match="must be an integer >= 2"):
        O.SGD(gradient_accumulation_steps=1)


def test_constraints_are_applied_after_the_update():
    var = tf.Variable([1.0, -2.0], constraint=lambda w: tf.maximum(w, 0.0))
    O.SGD(learning_rate=1.0).apply_gradients([(tf.constant([2.0, -1.0]), var)])
    np.testing.assert_array_equal(var.numpy(), [0.0, 0.0])


def test_optimizer_step_inside_tf_function_matches_eager():
    def train(step_fn):
        var = tf.Variable([1.0, 2.0, 3.0])
        opt = O.Adam(learning_rate=0.1)
        for g in GRADS:
            step_fn(opt, var, tf.constant(g))
        return var.numpy(), int(opt.iterations)

    def eager_step(opt, var, g):
        opt.apply_gradients([(g, var)])

    traced = tf.function(eager_step)
    eager_values, eager_iterations = train(eager_step)
    traced_values, traced_iterations = train(traced)
    np.testing.assert_array_equal(traced_values, eager_values)
    assert traced_iterations == eager_iterations == 4


# ---- configuration, serialization, saving -----------------------------------------------------

def test_get_config_and_from_config():
    config = O.SGD(learning_rate=0.001, momentum=0.9).get_config()
    assert round(config["learning_rate"], 6) == 0.001
    assert (config["momentum"], config["nesterov"]) == (0.9, False)
    assert O.Adam().get_config()["epsilon"] == 1e-07
    assert list(O.Adam(name="a").get_config()) == [
        "name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
        "gradient_accumulation_steps", "beta_1", "beta_2", "epsilon", "amsgrad"]
    ftrl = O.Ftrl(l1_regularization_strength=0.5, beta=0.1)
    clone = O.Ftrl.from_config(ftrl.get_config())
    assert clone.get_config() == ftrl.get_config() and clone is not ftrl


def test_schedule_round_trips_through_the_config():
    opt = O.SGD(O.schedules.ExponentialDecay(0.1, 10, 0.5))
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    clone = O.SGD.from_config(config)
    assert isinstance(clone._learning_rate, O.schedules.ExponentialDecay)
    assert clone._learning_rate.get_config() == opt._learning_rate.get_config()


def test_get_serialize_deserialize():
    for name, cls in [("sgd", O.SGD), ("Adam", O.Adam), ("ADAM", O.Adam),
                      ("rmsprop", O.RMSprop), ("nadam", O.Nadam), ("adamw", O.AdamW)]:
        assert type(O.get(name)) is cls
    opt = O.RMSprop(learning_rate=0.5, rho=0.8)
    config = O.serialize(opt)
    assert (config["module"], config["class_name"]) == ("keras.optimizers", "RMSprop")
    clone = O.deserialize(config)
    assert type(clone) is O.RMSprop and clone.rho == 0.8
    assert O.get(config).get_config()["learning_rate"] == 0.5
    assert O.get(opt) is opt and O.get(None) is None
    for bad in ["nope", 3]:
        with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
            O.get(bad)
    assert keras.Optimizer is O.Optimizer


def test_save_and_load_own_variables():
    var = tf.Variable([1.0, 2.0])
    opt = O.Adam(learning_rate=0.1)
    opt.apply_gradients([(tf.constant([1.0, -1.0]), var)])
    store = {}
    opt.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    other_var = tf.Variable([1.0, 2.0])
    other = O.Adam(learning_rate=0.5)
    other.build([other_var])
    other.load_own_variables(store)
    assert int(other.iterations) == 1
    np.testing.assert_allclose(float(other.learning_rate), 0.1)
    np.testing.assert_array_equal(other.variables[2].numpy(), opt.variables[2].numpy())
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        O.Adam().load_own_variables(store)


def test_custom_optimizer_subclass():
    class PlainSGD(O.Optimizer):
        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, gradient * tf.cast(learning_rate, variable.dtype))

    opt = PlainSGD(learning_rate=0.5)
    assert opt.name.startswith("plain_sgd")
    var = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([1.0]), var)])
    assert var.numpy()[0] == 0.5
    with pytest.raises(NotImplementedError):
        O.Optimizer(learning_rate=0.1).apply_gradients([(tf.constant(1.0), tf.Variable(1.0))])


@pytest.mark.parametrize("make, message", [
    (lambda: O.SGD(momentum=1), "`momentum` must be a float between"),
    (lambda: O.SGD(momentum=-0.5), "`momentum` must be a float between"),
    (lambda: O.Lion(beta_1=0.0), "Argument `beta_1` must be in the"),
    (lambda: O.Ftrl(initial_accumulator_value=-1.0), "`initial_accumulator_value` needs"),
    (lambda: O.Ftrl(learning_rate_power=0.5), "`learning_rate_power` needs to be negative"),
    (lambda: O.Ftrl(l2_regularization_strength=-1.0), "`l2_regularization_strength` needs"),
])
def test_hyperparameter_validation(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_no_warnings_on_a_normal_step():
    var = tf.Variable([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        O.Nadam().apply_gradients([(tf.constant([1.0]), var)])
    np.testing.assert_allclose(var.numpy(), [0.9989372], rtol=1e-6)  # TF's value


@pytest.mark.parametrize("options", [
    {"gradient_accumulation_steps": 2},
    {"use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2},
    {"clipnorm": 1.0, "weight_decay": 0.1},
])
def test_conditional_updates_trace_like_eager(options):
    def train(traced):
        opt = O.SGD(learning_rate=1.0, **options)
        var = tf.Variable([1.0, 2.0])

        def step(g):
            opt.apply_gradients([(g, var)])
        step = tf.function(step) if traced else step
        seen = []
        for g in [1.0, 3.0, 5.0, 2.0]:
            step(tf.constant([g, -g]))
            seen.append((var.numpy().tolist(), int(opt.iterations)))
        return seen
    assert train(traced=True) == train(traced=False)


def test_sparse_gradients_are_densified():
    from tensorlite.framework.indexed_slices import IndexedSlices
    grad = IndexedSlices(tf.constant([[1.0, 1.0], [2.0, 2.0]]), tf.constant([0, 2]),
                         tf.constant([3, 2]))
    var = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    O.SGD(learning_rate=0.1).apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy(), [[0.9, 1.9], [3.0, 4.0], [4.8, 5.8]], rtol=1e-6)


def test_legacy_optimizers_are_gone_in_keras3():
    with pytest.raises(ImportError, match="`keras.optimizers.legacy` is not supported"):
        O.legacy.Adam(learning_rate=0.1)
