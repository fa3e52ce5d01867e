"""keras.layers: one generic test applied to every built-in layer (build, symbolic vs eager
output shape, a training step, config round trip), then each layer's values against NumPy,
and the Layer base class (tracking, training flag, losses, weights, configs, errors)."""
import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras.layers import keras_tensor

keras = tf.keras
layers = tf.keras.layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def _adapted_normalization():
    layer = layers.Normalization()
    layer.adapt(np.array([[1., 2., 3.], [3., 6., 4.], [5., 7., 8.]]))
    return layer


# (id, constructor, input shape without batch, input dtype)
SINGLE_INPUT = [
    ("dense", lambda: layers.Dense(3, activation="relu"), (4,), "float32"),
    ("dense_rank3", lambda: layers.Dense(2, use_bias=False), (5, 4), "float32"),
    ("activation", lambda: layers.Activation("tanh"), (4,), "float32"),
    ("identity", lambda: layers.Identity(), (4,), "float32"),
    ("lambda", lambda: layers.Lambda(lambda x: x * 2.0 + 1.0), (4,), "float32"),
    ("embedding", lambda: layers.Embedding(10, 3), (5,), "int32"),
    ("flatten", lambda: layers.Flatten(), (3, 4), "float32"),
    ("reshape", lambda: layers.Reshape((6, 2)), (3, 4), "float32"),
    ("reshape_infer", lambda: layers.Reshape((-1, 2)), (3, 4), "float32"),
    ("dropout", lambda: layers.Dropout(0.5), (4,), "float32"),
    ("alpha_dropout", lambda: layers.AlphaDropout(0.2), (4,), "float32"),
    ("gaussian_noise", lambda: layers.GaussianNoise(0.1), (4,), "float32"),
    ("gaussian_dropout", lambda: layers.GaussianDropout(0.3), (4,), "float32"),
    ("activity_regularization", lambda: layers.ActivityRegularization(l1=0.01, l2=0.1),
     (4,), "float32"),
    ("relu", lambda: layers.ReLU(max_value=6.0), (4,), "float32"),
    ("leaky_relu", lambda: layers.LeakyReLU(negative_slope=0.2), (4,), "float32"),
    ("prelu", lambda: layers.PReLU(alpha_initializer="ones"), (3, 4), "float32"),
    ("elu", lambda: layers.ELU(alpha=0.5), (4,), "float32"),
    ("softmax", lambda: layers.Softmax(), (4,), "float32"),
    ("batch_norm", lambda: layers.BatchNormalization(), (4,), "float32"),
    ("batch_norm_axis1", lambda: layers.BatchNormalization(axis=1), (3, 2), "float32"),
    ("layer_norm", lambda: layers.LayerNormalization(), (4,), "float32"),
    ("layer_norm_2axes", lambda: layers.LayerNormalization(axis=[1, 2]), (3, 2), "float32"),
    ("normalization", _adapted_normalization, (3,), "float32"),
]

MERGING = [
    ("add", lambda: layers.Add()),
    ("subtract", lambda: layers.Subtract()),
    ("multiply", lambda: layers.Multiply()),
    ("average", lambda: layers.Average()),
    ("maximum", lambda: layers.Maximum()),
    ("minimum", lambda: layers.Minimum()),
    ("concatenate", lambda: layers.Concatenate()),
]


def _batch(shape, dtype, n=6, seed=0):
    rng = np.random.RandomState(seed)
    if dtype.startswith("int"):
        return rng.randint(0, 10, size=(n,) + shape).astype(dtype)
    return rng.randn(*((n,) + shape)).astype(dtype)


@pytest.mark.parametrize("name,make,shape,dtype", SINGLE_INPUT, ids=[c[0] for c in SINGLE_INPUT])
def test_generic_layer(name, make, shape, dtype):
    x = _batch(shape, dtype)
    # symbolic call: output spec without running kernels, a node of the graph
    layer = make()
    inputs = keras.Input(shape=shape, dtype=dtype)
    symbolic = layer(inputs)
    assert isinstance(symbolic, keras.KerasTensor)
    assert symbolic.shape[0] is None
    assert layer.built
    assert layer.input is inputs and layer.output is symbolic
    # eager call on a batch: same shape except the batch dimension
    eager = layer(x)
    assert isinstance(eager, tf.Tensor)
    assert tuple(eager.shape)[1:] == symbolic.shape[1:]
    assert eager.shape[0] == 6
    assert eager.dtype.name == symbolic.dtype
    # a training step: finite gradients for every trainable weight
    with tf.GradientTape() as tape:
        out = layer(x, training=True)
        loss = tf.reduce_sum(tf.cast(out, "float32") ** 2) + sum(layer.losses)
    grads = tape.gradient(loss, layer.trainable_weights)
    for w, g in zip(layer.trainable_weights, grads):
        assert g is not None, f"no gradient for {w.path}"
        assert g.shape == w.shape and np.all(np.isfinite(np.asarray(g)))
    # config round trip: same config, and same outputs with the same weights
    config = layer.get_config()
    clone = (type(layer).from_config(config, safe_mode=False) if name == "lambda"
             else type(layer).from_config(config))
    if name == "lambda":  # marshal's bytes of equal code objects may differ
        config.pop("function")
        assert {k: v for k, v in clone.get_config().items() if k != "function"} == config
    else:
        assert clone.get_config() == config
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x)), np.asarray(layer(x)), rtol=1e-6,
                               atol=1e-6)


@pytest.mark.parametrize("name,make", MERGING, ids=[c[0] for c in MERGING])
def test_generic_merging_layer(name, make):
    a, b = _batch((3,), "float32"), _batch((3,), "float32", seed=1)
    layer = make()
    ia, ib = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    symbolic = layer([ia, ib])
    eager = layer([a, b])
    assert symbolic.shape == (None,) + tuple(eager.shape)[1:]
    expected = {"add": a + b, "subtract": a - b, "multiply": a * b, "average": (a + b) / 2,
                "maximum": np.maximum(a, b), "minimum": np.minimum(a, b),
                "concatenate": np.concatenate([a, b], axis=-1)}[name]
    np.testing.assert_allclose(np.asarray(eager), expected, rtol=1e-6)
    ta, tb = tf.constant(a), tf.constant(b)
    with tf.GradientTape() as tape:
        tape.watch([ta, tb])
        loss = tf.reduce_sum(layer([ta, tb]))
    grads = tape.gradient(loss, [ta, tb])
    assert all(g is not None for g in grads)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


# ---- values ---------------------------------------------------------------------------------

def test_dense_values_and_weights():
    layer = layers.Dense(3, activation="relu", name="probe")
    x = np.arange(8, dtype="float32").reshape(2, 4) - 3
    y = layer(x)
    w, b = layer.get_weights()
    np.testing.assert_allclose(np.asarray(y), np.maximum(x @ w + b, 0), rtol=1e-6)
    assert [v.path for v in layer.weights] == ["probe/kernel", "probe/bias"]
    assert [v.name for v in layer.weights] == ["kernel", "bias"]
    assert layer.count_params() == 15
    assert np.all(b == 0) and np.abs(w).max() <= np.sqrt(6 / 7)  # glorot uniform limit


def test_dense_casts_integer_and_float64_inputs():
    layer = layers.Dense(2, kernel_initializer="ones")
    assert layer(np.ones((2, 3), dtype="int64")).dtype == tf.float32
    out = layer(np.ones((2, 3), dtype="float64"))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(np.asarray(out), np.full((2, 2), 3.0))


def test_dense_rejects_wrong_input_size():
    layer = layers.Dense(3)
    layer(np.ones((2, 4)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4, "
                                         r"but received input with shape \(2, 5\)"):
        layer(np.ones((2, 5)))
    with pytest.raises(ValueError, match="positive integer"):
        layers.Dense(0)


def test_dense_on_keras_tensor_counts_params():
    dense = layers.Dense(32)
    out = dense(keras.Input(shape=(10, 20)))
    assert out.shape == (None, 10, 32)
    assert dense.count_params() == 20 * 32 + 32


def test_dropout_training_and_inference():
    tf.keras.utils.set_random_seed(1)
    layer = layers.Dropout(0.5)
    x = np.ones((200, 50), dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    y = np.asarray(layer(x, training=True))
    assert set(np.unique(y)) == {0.0, 2.0}
    assert abs((y == 0).mean() - 0.5) < 0.05
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        layers.Dropout(1.5)


def test_noise_layers_statistics():
    tf.keras.utils.set_random_seed(2)
    x = np.zeros((400, 50), dtype="float32")
    noisy = np.asarray(layers.GaussianNoise(2.0)(x, training=True))
    assert abs(noisy.std() - 2.0) < 0.1
    mult = np.asarray(layers.GaussianDropout(0.5)(x + 1, training=True))
    assert abs(mult.mean() - 1.0) < 0.05 and abs(mult.std() - 1.0) < 0.1
    alpha = np.asarray(layers.AlphaDropout(0.3)(np.random.randn(400, 50).astype("float32"),
                                                training=True))
    assert abs(alpha.mean()) < 0.1 and abs(alpha.std() - 1.0) < 0.1


def test_activation_layers_values():
    x = np.array([[-3., -0.5, 0., 2., 8.]], dtype="float32")
    np.testing.assert_allclose(np.asarray(layers.ReLU(max_value=6.0)(x)),
                               np.clip(x, 0, 6))
    np.testing.assert_allclose(np.asarray(layers.ReLU(negative_slope=0.1, threshold=1.0)(x)),
                               np.where(x >= 1, x, 0.1 * (x - 1)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(layers.LeakyReLU()(x)), np.where(x > 0, x, 0.3 * x),
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(layers.ELU(alpha=0.5)(x)),
                               np.where(x > 0, x, 0.5 * (np.exp(x) - 1)), rtol=1e-6)
    e = np.exp(x - x.max())
    np.testing.assert_allclose(np.asarray(layers.Softmax()(x)), e / e.sum(), rtol=1e-6)
    prelu = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(np.asarray(prelu(x)), np.where(x > 0, x, 0.25 * x))
    assert prelu.weights[0].shape == (5,)
    shared = layers.PReLU(shared_axes=[1])
    shared(np.ones((2, 3, 4), dtype="float32"))
    assert shared.weights[0].shape == (1, 4)


def test_batch_normalization_training_and_inference():
    layer = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    x = np.array([[1., 10.], [3., 20.], [5., 60.]], dtype="float32")
    y = np.asarray(layer(x, training=True))
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(layer.moving_mean), 0.1 * mean, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(layer.moving_variance), 0.9 + 0.1 * var, rtol=1e-6)
    inference = np.asarray(layer(x))  # training=None: moving statistics, no update
    np.testing.assert_allclose(
        inference, (x - 0.1 * mean) / np.sqrt(0.9 + 0.1 * var + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(layer.moving_mean), 0.1 * mean, rtol=1e-6)
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean",
                                               "moving_variance"]
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    layer.trainable = False  # frozen BN runs in inference mode even with training=True
    np.testing.assert_allclose(np.asarray(layer(x, training=True)), inference, rtol=1e-6)


def test_layer_normalization_matches_numpy():
    x = np.random.RandomState(3).randn(4, 6).astype("float32") * 5 + 2
    layer = layers.LayerNormalization()
    layer.build(x.shape)
    gamma = np.linspace(0.5, 2, 6).astype("float32")
    beta = np.linspace(-1, 1, 6).astype("float32")
    layer.set_weights([gamma, beta])
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(np.asarray(layer(x)),
                               (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-5,
                               atol=1e-6)
    assert layer.get_config()["epsilon"] == 0.001


def test_normalization_adapt_and_fixed_statistics():
    data = np.array([[1., 2.], [3., 6.], [5., 7.]])
    layer = layers.Normalization()
    layer.adapt(data)
    assert [(w.name, w.dtype) for w in layer.weights] == [
        ("mean", "float32"), ("variance", "float32"), ("count", "int64")]
    np.testing.assert_allclose(np.asarray(layer(data)),
                               (data - data.mean(0)) / data.std(0), rtol=1e-5)
    assert layer.mean.shape == (1, 2)
    batched = layers.Normalization()
    batched.adapt(iter([data[:2], data[2:]]))  # batches: their statistics are merged
    np.testing.assert_allclose(np.asarray(batched.variance)[0], data.var(0), rtol=1e-5)
    fixed = layers.Normalization(mean=[1., 2.], variance=[4., 9.])
    np.testing.assert_allclose(np.asarray(fixed(np.array([[3., 5.]]))), [[1., 1.]])
    assert fixed.weights == []
    inverse = layers.Normalization(mean=[1., 2.], variance=[4., 9.], invert=True)
    np.testing.assert_allclose(np.asarray(inverse(np.array([[1., 1.]]))), [[3., 5.]])


def test_flatten_reshape_concatenate_shapes():
    assert layers.Flatten()(keras.Input((3, 4))).shape == (None, 12)
    assert layers.Flatten()(keras.Input((None, 4))).shape == (None, None)
    assert layers.Reshape((2, -1))(keras.Input((3, 4))).shape == (None, 2, 6)
    out = layers.Concatenate(axis=1)([keras.Input((2, 3)), keras.Input((5, 3))])
    assert out.shape == (None, 7, 3)
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        layers.Concatenate()([keras.Input((2, 3)), keras.Input((5, 3))])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([keras.Input((2,))] * 3)
    x = np.arange(12, dtype="float32").reshape(1, 3, 4)
    np.testing.assert_array_equal(np.asarray(layers.concatenate([x, x])),
                                  np.concatenate([x, x], -1))
    np.testing.assert_array_equal(np.asarray(layers.add([x, x, x])), 3 * x)


def test_embedding_lookup():
    layer = layers.Embedding(5, 2)
    ids = np.array([[0, 4], [2, 2]])
    out = np.asarray(layer(ids))
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(out, table[ids])
    assert out.shape == (2, 2, 2)


def test_activity_regularization_adds_loss_per_call():
    layer = layers.ActivityRegularization(l1=0.5, l2=0.25)
    x = np.array([[1., -2.]], dtype="float32")
    layer(x)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), 0.5 * 3 + 0.25 * 5)
    layer(x)
    assert len(layer.losses) == 1  # recomputed, not accumulated


# ---- the Layer base class ------------------------------------------------------------------------

class MyDense(layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[batch_input_shape[-1], self.units],
                                      initializer="he_normal")
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer="zeros")

    def call(self, X):
        return self.activation(X @ self.kernel + self.bias)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation)}


def test_custom_layer_build_and_config():
    layer = MyDense(3, activation="relu", name="my_dense_probe")
    assert not layer.built and layer.weights == []
    y = layer(tf.ones([2, 4]))
    assert layer.built and y.shape == (2, 3)
    assert [(v.name, tuple(v.shape)) for v in layer.trainable_weights] == [
        ("kernel", (4, 3)), ("bias", (3,))]
    config = layer.get_config()
    assert (config["name"], config["units"], config["activation"], config["trainable"]) == (
        "my_dense_probe", 3, "relu", True)
    layer.set_weights([np.arange(12, dtype=np.float32).reshape(4, 3) - 5.,
                       np.array([1., -20., 0.], dtype=np.float32)])
    np.testing.assert_array_equal(np.asarray(layer(tf.ones([2, 4]))), [[0., 0., 6.]] * 2)
    with pytest.raises(ValueError, match="expecting 2 weights"):
        layer.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r"weight shape \(4, 3\) is not compatible with "
                                         r"provided weight shape \(4, 2\)"):
        layer.set_weights([np.zeros((4, 2)), np.zeros(3)])


def test_build_receives_tuple_shapes():
    shapes = []

    class Probe(layers.Layer):
        def build(self, input_shape):
            shapes.append(input_shape)

        def call(self, x):
            return x

    Probe()(np.ones((2, 3)))
    Probe()(keras.Input((3,)))
    assert shapes == [(2, 3), (None, 3)]


def test_default_names_and_invalid_kwargs():
    assert [layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert layers.ReLU().name == "re_lu"
    assert MyDense(2).name == "my_dense"
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: "
                                         r"\{'foo': 1\}"):
        layers.Dense(2, foo=1)
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        layers.Dense(2, name="a/b")


def test_tracking_of_lists_dicts_and_nested_layers():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = [layers.Dense(4), layers.Dense(4)]
            self.heads = {"a": layers.Dense(1)}
            self.scale = keras.Variable(2.0, name="scale")
            self.extra = []

        def call(self, x):
            for layer in self.hidden + self.extra:
                x = layer(x)
            return self.heads["a"](x) * self.scale

    block = Block()
    block.extra.append(layers.Dense(4, name="late"))
    block(np.ones((2, 3)))
    names = [w.path for w in block.weights]
    assert names[0] == "scale"  # created outside build: not in the layer's scope
    assert len(block.weights) == 1 + 2 * 4
    assert [layer.name for layer in block._layers] == ["dense", "dense_1", "dense_2", "late"]
    assert "block/late/kernel" in names
    block.hidden[0].trainable = False
    assert len(block.trainable_weights) == 1 + 2 * 3
    assert len(block.non_trainable_weights) == 2
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 9


def test_training_flag_propagation():
    seen = []

    class Inner(layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Inner()

        def call(self, x):
            self.inner(x)
            return self.inner(x, training=False)

    outer = Outer()
    outer(np.ones((1, 2)), training=True)
    outer(np.ones((1, 2)))
    assert seen == [True, False, None, False]
    inner = Inner()
    inner(np.ones((1, 2)), True)  # positionally
    assert seen[-1] is True


def test_add_loss_cleared_at_each_outer_call():
    class WithLoss(layers.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.a, self.b = WithLoss(), WithLoss()

        def call(self, x):
            return self.b(self.a(x))

    outer = Outer()
    outer(np.ones((2, 2), "float32"))
    outer(np.full((2, 2), 2.0, "float32"))
    assert [float(v) for v in outer.losses] == [8.0, 8.0]
    outer(keras.Input((2,)))  # symbolic calls add no losses
    assert [float(v) for v in outer.losses] == [8.0, 8.0]


def test_weight_regularizer_losses():
    layer = layers.Dense(2, kernel_initializer="ones", kernel_regularizer=keras.regularizers.l2(0.1),
                         bias_regularizer=keras.regularizers.l1(1.0))
    layer(np.ones((1, 3)))
    np.testing.assert_allclose([float(v) for v in layer.losses], [0.1 * 6, 0.0], rtol=1e-6)


def test_add_weight_legacy_positional_and_constraint():
    class Legacy(layers.Layer):
        def build(self, input_shape):
            self.total = self.add_weight("total", initializer="zeros")
            self.w = self.add_weight("w", (2, 3))
            self.c = self.add_weight(shape=(2,), initializer="ones",
                                     constraint=keras.constraints.NonNeg(), trainable=False)

        def call(self, x):
            return x

    layer = Legacy()
    layer(np.ones((1, 1)))
    assert (layer.total.name, tuple(layer.total.shape)) == ("total", ())
    assert (layer.w.name, tuple(layer.w.shape)) == ("w", (2, 3))
    assert layer.c.constraint is not None and not layer.c.trainable
    assert layer.non_trainable_weights == [layer.c]


def test_auto_config_from_constructor_arguments():
    class Auto(layers.Layer):
        def __init__(self, a, b=2, **kwargs):
            super().__init__(**kwargs)
            self.a = a

        def call(self, x):
            return x

    config = Auto(3, name="n").get_config()
    assert {k: config[k] for k in ("name", "a", "b", "trainable")} == {
        "name": "n", "a": 3, "b": 2, "trainable": True}
    assert Auto.from_config(config).a == 3
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)`"):
        Auto(np.ones(2)).get_config()


def test_keras_tensor_properties_and_errors():
    x = keras.Input(shape=(3,), name="my_input")
    assert (x.shape, x.dtype, x.name) == ((None, 3), "float32", "my_input")
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a "
                                         "TensorFlow function"):
        tf.exp(x)
    y = x + 1.0
    assert y.shape == (None, 3)
    assert x[:, 0].shape == (None,)


def test_symbolic_call_traces_call_without_running_kernels():
    shapes = []

    class MyMultiLayer(layers.Layer):
        def call(self, X):
            X1, X2 = X
            shapes.append((tuple(X1.shape), tuple(X2.shape)))
            return X1 + X2, X1 * X2, X1 / X2

    outputs = MyMultiLayer()((keras.Input(shape=[2]), keras.Input(shape=[2])))
    assert isinstance(outputs, tuple) and [o.shape for o in outputs] == [(None, 2)] * 3
    assert shapes == [((None, 2), (None, 2))]


def test_compute_output_spec_falls_back_to_a_zero_batch():
    class DataDependent(layers.Layer):
        def call(self, x):
            if tf.reduce_sum(x) > 0:  # Python control flow on a tensor value: not traceable
                return x * 2.0
            return x

    out = DataDependent()(keras.Input((4,)))
    assert out.shape == (None, 4)
    assert keras_tensor.in_symbolic_trace() is False


def test_input_layer_and_shape_validation():
    inputs = keras.Input(batch_shape=(8, 3), dtype="int32")
    layer = inputs._keras_history.operation
    assert isinstance(layer, layers.InputLayer)
    assert layer.batch_shape == (8, 3) and inputs.dtype == "int32"
    with pytest.raises(ValueError, match="You must pass a `shape` argument."):
        layers.InputLayer()
    with pytest.raises(ValueError, match="Cannot convert"):
        keras.Input(shape=3)
