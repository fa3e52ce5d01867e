"""keras.layers convolution and pooling: a generic check of every layer (symbolic vs eager
shapes, a training step, config round trip), then values against tf.nn / NumPy, Keras's
defaults, configs, output shapes and errors."""
import numpy as np
import pytest

import tensorlite as tf

keras = tf.keras
layers = tf.keras.layers

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def _images(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


# (id, constructor, input shape without batch)
LAYERS = [
    ("conv2d", lambda: layers.Conv2D(4, 3, activation="relu"), (7, 6, 2)),
    ("conv2d_same_strided", lambda: layers.Conv2D(3, (3, 2), strides=2, padding="same"),
     (7, 6, 2)),
    ("conv2d_dilated_groups", lambda: layers.Conv2D(4, 3, dilation_rate=2, groups=2,
                                                    use_bias=False), (8, 8, 2)),
    ("conv2d_channels_first", lambda: layers.Conv2D(3, 2, data_format="channels_first"),
     (2, 5, 6)),
    ("conv1d", lambda: layers.Conv1D(3, 3, strides=2, padding="same"), (9, 2)),
    ("conv1d_causal", lambda: layers.Conv1D(2, 3, padding="causal", dilation_rate=2), (9, 2)),
    ("max_pooling2d", lambda: layers.MaxPooling2D(), (7, 6, 2)),
    ("max_pooling2d_same", lambda: layers.MaxPooling2D(3, 2, padding="same"), (7, 6, 2)),
    ("average_pooling2d", lambda: layers.AveragePooling2D(2, strides=1), (7, 6, 2)),
    ("average_pooling2d_cf", lambda: layers.AveragePooling2D(2, data_format="channels_first"),
     (2, 6, 4)),
    ("max_pooling1d", lambda: layers.MaxPooling1D(padding="same"), (7, 3)),
    ("average_pooling1d", lambda: layers.AveragePooling1D(3), (7, 3)),
    ("global_average_pooling2d", lambda: layers.GlobalAveragePooling2D(), (4, 5, 3)),
    ("global_max_pooling2d", lambda: layers.GlobalMaxPooling2D(keepdims=True), (4, 5, 3)),
    ("global_average_pooling1d", lambda: layers.GlobalAveragePooling1D(), (5, 3)),
    ("global_max_pooling1d", lambda: layers.GlobalMaxPooling1D(data_format="channels_first"),
     (5, 3)),
]


@pytest.mark.parametrize("name,make,shape", LAYERS, ids=[c[0] for c in LAYERS])
def test_generic_layer(name, make, shape):
    x = _images((4,) + shape)
    layer = make()
    symbolic = layer(keras.Input(shape=shape))
    assert symbolic.shape[0] is None
    eager = layer(x)
    assert tuple(eager.shape) == (4,) + tuple(symbolic.shape[1:])
    assert tuple(layer.compute_output_shape((None,) + shape)) == tuple(symbolic.shape)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(layer(xt) ** 2)
    grads = tape.gradient(loss, [xt] + layer.trainable_weights)
    for g, w in zip(grads, [xt] + layer.trainable_weights):
        assert g is not None and g.shape == w.shape
        assert np.all(np.isfinite(g.numpy()))
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), eager.numpy(), rtol=1e-6, atol=1e-6)


# ---- Conv2D / Conv1D -----------------------------------------------------------------------

def test_conv2d_is_conv_plus_bias_then_activation():
    x = _images((2, 6, 5, 3))
    layer = layers.Conv2D(4, 3, strides=(1, 2), padding="same", activation="relu")
    y = layer(x)
    kernel = _images((3, 3, 3, 4), seed=1)
    bias = np.linspace(-1, 1, 4).astype("float32")
    layer.set_weights([kernel, bias])
    want = np.maximum(tf.nn.conv2d(x, kernel, (1, 2), "SAME").numpy() + bias, 0)
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)
    assert y.shape == (2, 6, 3, 4)
    assert [w.path for w in layer.weights] == ["conv2d/kernel", "conv2d/bias"]
    assert layer.kernel.shape == (3, 3, 3, 4) and layer.count_params() == 3 * 3 * 3 * 4 + 4


def test_conv2d_defaults_and_glorot_kernel():
    layer = layers.Conv2D(8, 3)
    assert layer.get_config() == {
        "name": "conv2d", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "filters": 8, "kernel_size": (3, 3), "strides": (1, 1), "padding": "valid",
        "data_format": "channels_last", "dilation_rate": (1, 1), "groups": 1,
        "activation": "linear", "use_bias": True,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                               "config": {"seed": None, "input_axes": None,
                                          "output_axes": None}, "registered_name": None},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",
                             "config": {}, "registered_name": None},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}
    layer.build((None, 10, 10, 16))
    limit = np.sqrt(6 / (9 * 16 + 9 * 8))  # fans include the receptive field
    kernel = layer.kernel.numpy()
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit
    np.testing.assert_array_equal(layer.bias.numpy(), np.zeros(8))
    assert repr(layers.Conv2D(2, 1)) == "<Conv2D name=conv2d_1, built=False>"
    assert layers.Conv2D(2, 1, padding="SAME").padding == "same"


def test_conv2d_channels_first_matches_channels_last():
    x = _images((2, 7, 6, 3))
    last = layers.Conv2D(4, 3, strides=2, activation="tanh")
    first = layers.Conv2D(4, 3, strides=2, activation="tanh", data_format="channels_first")
    y_last = last(x)
    first.build((None, 3, 7, 6))
    first.set_weights(last.get_weights())
    y_first = first(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(y_first.numpy(), np.transpose(y_last.numpy(), (0, 3, 1, 2)),
                               rtol=1e-5, atol=1e-6)


def test_grouped_conv2d_kernel_and_values():
    x = _images((1, 5, 5, 4))
    layer = layers.Conv2D(6, 3, groups=2, use_bias=False)
    y = layer(x)
    assert layer.kernel.shape == (3, 3, 2, 6)
    kernel = layer.kernel.numpy()
    halves = [tf.nn.conv2d(x[..., 2 * g:2 * g + 2], kernel[..., 3 * g:3 * g + 3], 1,
                           "VALID").numpy() for g in range(2)]
    np.testing.assert_allclose(y.numpy(), np.concatenate(halves, -1), rtol=1e-5, atol=1e-6)


def test_conv1d_causal_sees_only_the_past():
    x = np.arange(6, dtype="float32").reshape(1, 6, 1)
    layer = layers.Conv1D(1, 3, padding="causal", kernel_initializer="ones", use_bias=False)
    np.testing.assert_allclose(layer(x).numpy().ravel(), [0, 1, 3, 6, 9, 12])
    dilated = layers.Conv1D(1, 2, padding="causal", dilation_rate=2, kernel_initializer="ones",
                            use_bias=False)
    np.testing.assert_allclose(dilated(x).numpy().ravel(), [0, 1, 2, 4, 6, 8])
    assert layers.Conv1D(4, 3, strides=2, padding="causal").compute_output_shape(
        (None, 10, 3)) == (None, 5, 4)


def test_conv_output_shapes():
    assert layers.Conv2D(8, 3).compute_output_shape((None, 5, 5, 3)) == (None, 3, 3, 8)
    assert layers.Conv2D(8, 3, strides=2, padding="same").compute_output_shape(
        (None, None, 5, 3)) == (None, None, 3, 8)
    assert layers.Conv2D(8, 3, dilation_rate=2).compute_output_shape((2, 9, 9, 1)) == \
        (2, 5, 5, 8)
    assert layers.Conv2D(8, 3, data_format="channels_first").compute_output_shape(
        (None, 3, 10, 10)) == (None, 8, 8, 8)
    with pytest.raises(ValueError, match="Computed output size would be zero or negative. "
                                         "Received `inputs shape=\\(None, 5, 5, 3\\)`"):
        layers.Conv2D(8, 7).compute_output_shape((None, 5, 5, 3))
    with pytest.raises(ValueError, match="kernel shape=\\(7, 7, 3, 8\\)"):
        layers.Conv2D(8, 7)(np.ones((1, 5, 5, 3), "float32"))


def test_conv_regularizers_constraints_and_dtype():
    layer = layers.Conv2D(1, 3, kernel_regularizer="l2", kernel_initializer="ones",
                          bias_constraint=keras.constraints.NonNeg())
    layer(np.ones((1, 5, 5, 1), "float32"))
    np.testing.assert_allclose(layer.losses[0].numpy(), 0.01 * 9, rtol=1e-6)
    assert layer.bias.constraint is not None
    wide = layers.Conv2D(1, 3, dtype="float64")
    assert wide(np.ones((1, 5, 5, 1), "float32")).dtype == tf.float64


def test_conv_argument_errors():
    with pytest.raises(ValueError, match="one of \\{'valid', 'same'\\}. Received: foo"):
        layers.Conv2D(8, 3, padding="foo")
    with pytest.raises(ValueError, match="\\{'causal', 'same', 'valid'\\}. Received: causa"):
        layers.Conv1D(8, 3, padding="causa")
    with pytest.raises(ValueError, match="Expected a strictly positive value. Received "
                                         "filters=0."):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="The `kernel_size` argument must be a tuple of 2 "
                                         "integers. Received kernel_size=\\(3, 3, 3\\)"):
        layers.Conv2D(8, (3, 3, 3))
    with pytest.raises(ValueError, match="including values \\{0\\} that do not satisfy "
                                         "`value > 0`"):
        layers.Conv2D(8, 3, strides=0)
    with pytest.raises(ValueError, match="must be a tuple of 2 integers. Received "
                                         "kernel_size=3.0"):
        layers.Conv2D(8, 3.0)
    with pytest.raises(ValueError, match="`strides > 1` not supported in conjunction with "
                                         "`dilation_rate > 1`"):
        layers.Conv2D(8, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="number of groups must be a positive integer"):
        layers.Conv2D(8, 3, groups=0)
    with pytest.raises(ValueError, match="filters must be evenly divisible by the number of "
                                         "groups. Received: groups=3, filters=8."):
        layers.Conv2D(8, 3, groups=3)
    with pytest.raises(ValueError, match="input channels must be evenly divisible by the "
                                         "number of groups. Received groups=2, but the input "
                                         "has 3 channels"):
        layers.Conv2D(8, 3, groups=2)(np.ones((1, 5, 5, 3), "float32"))
    layer = layers.Conv2D(8, 3)
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.ones((1, 5, 5, 4), "float32"))
    with pytest.raises(ValueError, match="expected min_ndim=4, found ndim=3"):
        layers.Conv2D(8, 3)(np.ones((5, 5, 3), "float32"))


# ---- pooling ---------------------------------------------------------------------------------

def test_max_and_average_pooling_values():
    x = tf.constant(np.arange(2 * 4 * 4 * 3, dtype=np.float32).reshape(2, 4, 4, 3) % 7)
    # values printed by TensorFlow (the book's pooling cells)
    np.testing.assert_array_equal(layers.MaxPool2D(pool_size=2)(x)[0, :, :, 0].numpy(),
                                  [[5.0, 6.0], [6.0, 5.0]])
    np.testing.assert_array_equal(layers.AvgPool2D(pool_size=2)(x)[0, :, :, 0].numpy(),
                                  [[2.25, 3.0], [3.5, 2.5]])
    np.testing.assert_array_equal(layers.GlobalAvgPool2D()(x).numpy(),
                                  [[2.8125, 2.9375, 3.0625], [3.125, 2.8125, 2.9375]])
    images = _images((2, 9, 8, 3))
    np.testing.assert_array_equal(layers.MaxPooling2D(3, 2, padding="same")(images).numpy(),
                                  tf.nn.max_pool2d(images, 3, 2, "SAME").numpy())
    np.testing.assert_allclose(layers.GlobalMaxPooling2D()(images).numpy(),
                               images.max(axis=(1, 2)))


def test_pooling_defaults_and_configs():
    layer = layers.MaxPooling2D()
    assert (layer.pool_size, layer.strides, layer.padding) == ((2, 2), (2, 2), "valid")
    assert layers.MaxPooling2D(3).strides == (3, 3)
    assert layers.MaxPooling1D().get_config() == {
        "name": "max_pooling1d", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy",
                  "config": {"name": "float32"}, "registered_name": None},
        "pool_size": (2,), "padding": "valid", "strides": (2,), "data_format": "channels_last"}
    assert layers.GlobalAveragePooling2D().get_config()["keepdims"] is False
    with pytest.raises(TypeError):
        layers.AveragePooling2D()  # Keras 3: pool_size is required
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.AvgPool1D is layers.AveragePooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.MaxPooling2D().input_spec.ndim == 4


def test_pooling_output_shapes_and_errors():
    assert layers.MaxPooling2D(3, 2, "same").compute_output_shape((None, None, 5, 3)) == \
        (None, None, 3, 3)
    assert layers.MaxPooling2D(3, 2).compute_output_shape((None, 7, 5, 3)) == (None, 3, 2, 3)
    assert layers.GlobalAveragePooling2D(keepdims=True).compute_output_shape(
        (None, 7, 5, 3)) == (None, 1, 1, 3)
    assert layers.GlobalMaxPooling2D(data_format="channels_first").compute_output_shape(
        (None, 3, 7, 5)) == (None, 3)
    with pytest.raises(ValueError, match="Computed output size would be zero or negative. "
                                         "Received: `inputs.shape=\\[None 5 5 3\\]`, "
                                         "`pool_size=\\[7 7\\]`"):
        layers.MaxPooling2D(7).compute_output_shape((None, 5, 5, 3))
    with pytest.raises(ValueError, match="pool_size=0, including values \\{0\\}"):
        layers.MaxPooling2D(0)
    gap = layers.GlobalAveragePooling2D()
    gap(np.ones((2, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        gap(np.ones((2, 4, 4), "float32"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'padding' of \"FOO\""):
        layers.MaxPooling2D(padding="foo")(np.ones((1, 4, 4, 1), "float32"))


def test_channels_first_pooling():
    x = np.arange(32.0, dtype="float32").reshape(1, 2, 4, 4)
    np.testing.assert_array_equal(
        layers.MaxPooling2D(2, data_format="channels_first")(x).numpy().ravel(),
        [5, 7, 13, 15, 21, 23, 29, 31])
    np.testing.assert_array_equal(
        layers.AveragePooling2D(2, data_format="channels_first")(x).numpy().ravel(),
        [2.5, 4.5, 10.5, 12.5, 18.5, 20.5, 26.5, 28.5])
    np.testing.assert_array_equal(
        layers.GlobalAveragePooling2D(data_format="channels_first")(x).numpy(), [[7.5, 23.5]])


def test_global_pooling_of_integers_and_masks():
    ints = np.arange(32).reshape(1, 2, 4, 4)
    assert layers.GlobalMaxPooling2D()(ints).dtype == tf.int64
    mean = layers.GlobalAveragePooling2D()(ints)
    assert mean.dtype == tf.float32
    np.testing.assert_array_equal(mean.numpy(), [[14.0, 15.0, 16.0, 17.0]])
    steps = np.arange(12, dtype="float32").reshape(1, 6, 2)
    gap = layers.GlobalAveragePooling1D()
    np.testing.assert_array_equal(gap(steps).numpy(), [[5.0, 6.0]])
    mask = np.array([[1, 1, 0, 0, 0, 0]], bool)
    np.testing.assert_array_equal(gap(steps, mask=mask).numpy(), [[1.0, 2.0]])


# ---- in a model ------------------------------------------------------------------------------

def test_small_cnn_trains():
    rng = np.random.default_rng(1)
    x = rng.random((64, 8, 8, 1)).astype("float32")
    y = (x[:, :4].mean(axis=(1, 2, 3)) > x[:, 4:].mean(axis=(1, 2, 3))).astype("int32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(4, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2, activation="softmax"),
    ])
    assert [tuple(layer.output.shape) for layer in model.layers] == [
        (None, 8, 8, 4), (None, 4, 4, 4), (None, 2, 2, 4), (None, 4), (None, 2)]
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(0.05))
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
