"""keras models: Sequential (list/add/build/input_shape), Functional (graph, multiple inputs
and outputs, dicts, layer reuse, nesting, connectivity), subclassing (tracking, build), the
summary table (Keras 3's layout at 80 columns), configs and clone_model."""
import numpy as np
import pytest

import tensorlite as tf

keras = tf.keras
layers = tf.keras.layers


@pytest.fixture(autouse=True)
def _fresh_names(monkeypatch):
    keras.backend.clear_session()
    monkeypatch.setenv("COLUMNS", "80")


def summary_text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return "".join(lines).rstrip("\n")


# ---- Sequential ---------------------------------------------------------------------------

def test_sequential_builds_when_input_shape_known():
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])
    assert not model.built and model.weights == []
    model.build(input_shape=(None, 3))
    assert [tuple(w.shape) for w in model.weights] == [(3, 64), (64,), (64, 10), (10,)]
    assert [w.path for w in model.weights[:2]] == ["sequential/dense/kernel",
                                                   "sequential/dense/bias"]
    assert model.input_shape == (None, 3) and model.output_shape == (None, 10)

    with_input = keras.Sequential()
    with_input.add(layers.Dense(64, activation="relu", input_shape=(10,)))
    with_input.add(layers.Dense(1, activation="sigmoid"))
    assert with_input.built and with_input.count_params() == 769
    with pytest.raises(ValueError, match=r"Sequential model 'sequential_1' has already been "
                                         r"configured to use input shape \(None, 10\). You "
                                         r"cannot build it with input_shape \(None, 3\)"):
        with_input.build(input_shape=(None, 3))


def test_sequential_first_call_builds_with_the_batch_shape():
    model = keras.Sequential([layers.Dense(2), layers.Dense(1)])
    out = model(np.ones((5, 3)))
    assert out.shape == (5, 1) and model.built
    assert model.input_shape == (5, 3)
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert isinstance(model._layers[0], layers.InputLayer)


def test_sequential_add_errors():
    model = keras.Sequential([layers.Dense(1, name="a")])
    with pytest.raises(ValueError, match="should have unique names. Name 'a'"):
        model.add(layers.Dense(1, name="a"))
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added"):
        model.add(1)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="cannot add a different Input layer"):
        model.add(layers.InputLayer(shape=(4,)))
    assert model.pop().name == "dense" and model.layers == []


def test_sequential_shared_block_and_nesting():
    block = layers.Dense(4, name="shared")
    model = keras.Sequential([layers.Dense(4), block, block, layers.Dense(1)])
    model.build((None, 3))
    assert sum(layer is block for layer in model.layers) == 2
    assert model.count_params() == 16 + 20 + 5
    lower = keras.Sequential([layers.Dense(5)])
    upper = keras.Sequential([layers.Dense(2)])
    stacked = keras.Sequential([lower, upper])
    stacked(np.ones((4, 3)))
    ids = {id(v) for v in stacked.trainable_variables}
    assert ids == {id(v) for v in lower.trainable_variables + upper.trainable_variables}
    assert not {id(v) for v in lower.trainable_variables} & {id(v) for v in
                                                             upper.trainable_variables}


def test_sequential_training_flag_reaches_layers():
    model = keras.Sequential([layers.Dropout(0.5)])
    x = np.ones((50, 20), "float32")
    np.testing.assert_array_equal(np.asarray(model(x)), x)
    assert (np.asarray(model(x, training=True)) == 0).any()


# ---- Functional -----------------------------------------------------------------------------

def ticket_model():
    title = keras.Input(shape=(10,), name="title")
    body = keras.Input(shape=(10,), name="text_body")
    tags = keras.Input(shape=(4,), name="tags")
    features = layers.Concatenate()([title, body, tags])
    features = layers.Dense(8, activation="relu")(features)
    priority = layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = layers.Dense(3, activation="softmax", name="department")(features)
    return keras.Model(inputs=[title, body, tags], outputs=[priority, department])


def test_functional_graph_and_connectivity():
    model = ticket_model()
    assert type(model).__name__ == "Functional" and model.name == "functional"
    assert [layer.name for layer in model.layers] == [
        "title", "text_body", "tags", "concatenate", "dense", "priority", "department"]
    concat = model.get_layer("concatenate")
    assert [t.shape for t in concat.input] == [(None, 10), (None, 10), (None, 4)]
    assert concat.output.shape == (None, 24)
    assert model.get_layer(index=4) is model.layers[4]
    assert model.output_names == ["priority", "department"]
    assert [t.shape for t in model.outputs] == [(None, 1), (None, 3)]
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")


def test_functional_call_with_lists_dicts_and_casts():
    model = ticket_model()
    rng = np.random.RandomState(0)
    data = [rng.randint(0, 2, size=(5, 10)), rng.randint(0, 2, size=(5, 10)),
            rng.randint(0, 2, size=(5, 4))]
    priority, department = model(data)
    assert priority.shape == (5, 1) and department.dtype == tf.float32
    by_name = model({"title": data[0], "text_body": data[1], "tags": data[2]})
    np.testing.assert_allclose(np.asarray(by_name[1]), np.asarray(department), rtol=1e-6)
    with pytest.raises(ValueError, match='expects 3 input\\(s\\), but it received 2'):
        model(data[:2])


def test_functional_reuses_intermediate_outputs_and_shares_weights():
    model = ticket_model()
    features = model.layers[4].output
    difficulty = layers.Dense(2, activation="softmax", name="difficulty")(features)
    new_model = keras.Model(inputs=model.inputs, outputs=model.outputs + [difficulty])
    assert [layer.name for layer in new_model.layers][-3:] == ["priority", "department",
                                                               "difficulty"]
    assert new_model.count_params() - model.count_params() == 8 * 2 + 2
    x = [np.ones((2, 10)), np.ones((2, 10)), np.ones((2, 4))]
    np.testing.assert_allclose(np.asarray(new_model(x)[0]), np.asarray(model(x)[0]), rtol=1e-6)


def test_functional_nested_models_and_operations():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, layers.Dense(2)(inner_in), name="inner")

    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3, activation="softmax")

        def call(self, inputs):
            return self.dense(inputs)

    x = keras.Input((4,))
    y = Classifier()(inner(x) * 2.0 + 1.0)
    model = keras.Model(x, y)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Functional", "Classifier"]
    out = model(np.ones((3, 4), "float32"))
    expected = inner(np.ones((3, 4), "float32")) * 2.0 + 1.0
    np.testing.assert_allclose(np.asarray(out), np.asarray(model.layers[2](expected)),
                               rtol=1e-6)


def test_functional_errors():
    a, b = keras.Input((2,)), keras.Input((2,))
    out = layers.Add()([a, b])
    with pytest.raises(ValueError, match="Output with path `` is not connected to `inputs`"):
        keras.Model(inputs=a, outputs=out)
    with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
        keras.Model(inputs=a, outputs=np.ones(2))
    x = keras.Input((2,))
    y = layers.Dense(2, name="same")(layers.Dense(2, name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times'):
        keras.Model(x, y)


def test_functional_subclass_constructed_functional_style():
    class CustomModel(keras.Model):
        def train_step(self, data):
            return {"custom": 1.0}

    x = keras.Input((3,))
    model = CustomModel(x, layers.Dense(1)(x))
    assert isinstance(model, CustomModel) and type(model).__name__ == "CustomModel"
    assert model.name == "custom_model" and model(np.ones((2, 3))).shape == (2, 1)


def test_functional_dict_outputs_and_config_round_trip():
    x = keras.Input((3,), name="x")
    h = layers.Dense(4, activation="relu", name="hidden")(x)
    model = keras.Model(x, {"a": layers.Dense(1, name="a")(h), "b": layers.Dense(2, name="b")(h)})
    config = model.get_config()
    assert config["input_layers"] == ["x", 0, 0]
    assert config["output_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    clone = keras.Model.from_config(config)
    assert [layer.name for layer in clone.layers] == ["x", "hidden", "a", "b"]
    clone.set_weights(model.get_weights())
    data = np.random.RandomState(1).randn(2, 3).astype("float32")
    np.testing.assert_allclose(np.asarray(clone(data)["b"]), np.asarray(model(data)["b"]),
                               rtol=1e-6)


def test_sequential_config_round_trip_and_clone():
    model = keras.Sequential([layers.Dense(3, activation="relu", input_shape=(4,)),
                              layers.Dropout(0.1), layers.Dense(1)], name="seq")
    config = model.get_config()
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Dense", "Dropout",
                                                           "Dense"]
    assert config["build_input_shape"] == (None, 4)
    restored = keras.Sequential.from_config(config)
    assert restored.built and restored.count_params() == model.count_params()
    clone = keras.models.clone_model(model)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    functional_clone = keras.models.clone_model(ticket_model())
    assert functional_clone.count_params() == ticket_model().count_params()


# ---- subclassing ------------------------------------------------------------------------------

class ResidualBlock(layers.Layer):
    def __init__(self, n_layers, n_neurons, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [layers.Dense(n_neurons, activation="relu") for _ in range(n_layers)]

    def call(self, inputs):
        z = inputs
        for layer in self.hidden:
            z = layer(z)
        return inputs + z


class ResidualRegressor(keras.Model):
    def __init__(self, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = layers.Dense(30, activation="relu")
        self.block1 = ResidualBlock(2, 30)
        self.block2 = ResidualBlock(2, 30)
        self.out = layers.Dense(output_dim)

    def call(self, inputs):
        z = self.hidden1(inputs)
        for _ in range(4):
            z = self.block1(z)
        return self.out(self.block2(z))


def test_subclassed_model_tracks_layers_and_weights():
    model = ResidualRegressor(1)
    model(np.ones((2, 8)))
    assert [layer.name for layer in model.layers] == ["dense", "residual_block",
                                                      "residual_block_1", "dense_5"]
    assert len(model.weights) == len(model.trainable_weights) == 12
    assert model.count_params() == 8 * 30 + 30 + 4 * (30 * 30 + 30) + 31
    assert [len(block.weights) for block in (model.block1, model.block2)] == [4, 4]
    assert model.weights[0].path == "residual_regressor/dense/kernel"


def test_subclassed_model_build_and_add_loss():
    class Reconstructing(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = [layers.Dense(5, activation="relu") for _ in range(2)]
            self.out = layers.Dense(1)

        def build(self, batch_input_shape):
            self.reconstruct = layers.Dense(batch_input_shape[-1])

        def call(self, inputs):
            z = inputs
            for layer in self.hidden:
                z = layer(z)
            self.add_loss(0.05 * tf.reduce_mean(tf.square(self.reconstruct(z) - inputs)))
            return self.out(z)

    model = Reconstructing()
    model(tf.constant(np.ones((3, 8)), dtype=tf.float32))
    assert model.reconstruct.kernel.shape == (5, 8)
    assert len(model.losses) == 1 and model.losses[0].shape == ()
    model.build((None, 8))  # already built: no change
    assert len(model.layers) == 4


def test_call_without_call_method_raises():
    with pytest.raises(NotImplementedError, match="does not have a `call\\(\\)` method"):
        keras.Model()(np.ones((1, 2)))


# ---- summary ---------------------------------------------------------------------------------

def test_summary_of_sequential_model():
    model = keras.Sequential(name="my_example_model")
    model.add(layers.Dense(64, activation="relu", name="my_first_layer"))
    model.add(layers.Dense(10, activation="softmax", name="my_last_layer"))
    model.build((None, 3))
    assert summary_text(model) == """\
Model: "my_example_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ my_first_layer (Dense)          │ (None, 64)             │           256 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ my_last_layer (Dense)           │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 906 (3.54 KB)
 Trainable params: 906 (3.54 KB)
 Non-trainable params: 0 (0.00 B)"""


def test_summary_of_multi_input_functional_model():
    title = keras.Input(shape=(10000,), name="title")
    body = keras.Input(shape=(10000,), name="text_body")
    tags = keras.Input(shape=(100,), name="tags")
    features = layers.Dense(64, activation="relu")(layers.Concatenate()([title, body, tags]))
    model = keras.Model([title, body, tags], [
        layers.Dense(1, activation="sigmoid", name="priority")(features),
        layers.Dense(4, activation="softmax", name="department")(features)])
    lines = summary_text(model).split("\n")
    assert lines[1] == "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓"
    assert lines[2] == "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃"
    assert lines[6:9] == [
        "│ text_body           │ (None, 10000)     │          0 │ -                 │",
        "│ (InputLayer)        │                   │            │                   │",
        "├─────────────────────┼───────────────────┼────────────┼───────────────────┤"]
    assert lines[11:15] == [
        "│ concatenate         │ (None, 20100)     │          0 │ title[0][0],      │",
        "│ (Concatenate)       │                   │            │ text_body[0][0],  │",
        "│                     │                   │            │ tags[0][0]        │",
        "├─────────────────────┼───────────────────┼────────────┼───────────────────┤"]
    assert lines[15] == "│ dense (Dense)       │ (None, 64)        │  1,286,464 │ concatenate[0][0] │"
    assert lines[-3:] == [" Total params: 1,286,789 (4.91 MB)",
                          " Trainable params: 1,286,789 (4.91 MB)",
                          " Non-trainable params: 0 (0.00 B)"]


def test_summary_of_subclassed_model_and_unbuilt_layers():
    class Square(layers.Layer):
        def call(self, x):
            return x * x

    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(3)
            self.s = Square()
            self.late = layers.Dense(2)

        def call(self, x):
            return self.s(self.d(x))

    model = M()
    model(np.ones((2, 4)))
    rows = [line for line in summary_text(model).split("\n") if line.startswith("│")]
    assert rows == [
        "│ dense (Dense)                   │ (2, 3)                 │            15 │",
        "│ square (Square)                 │ ?                      │             0 │",
        "│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │"]


def test_summary_long_names_and_trainable_column():
    x = keras.Input((4,), name="x")
    y = layers.Dense(5, name="averyveryverylongdensename_abcdefgh")(x)
    lines = summary_text(keras.Model(x, y)).split("\n")
    assert lines[6:8] == [
        "│ averyveryverylongdensename_abc… │ (None, 5)              │            25 │",
        "│ (Dense)                         │                        │               │"]
    model = keras.Sequential([layers.Dense(2, input_shape=(3,)), layers.Dropout(0.1)])
    lines = summary_text(model, show_trainable=True).split("\n")
    assert lines[2] == "┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃"
    assert lines[4] == "│ dense (Dense)               │ (None, 2)             │          8 │   Y   │"
    assert lines[6] == "│ dropout (Dropout)           │ (None, 2)             │          0 │   -   │"


def test_functional_with_dict_inputs_and_float64_layers():
    inputs = {"b": keras.Input((2,), name="b"), "a": keras.Input((3,), name="a")}
    merged = layers.Concatenate()([inputs["a"], inputs["b"]])
    model = keras.Model(inputs, layers.Dense(1, dtype="float64", kernel_initializer="ones")(merged))
    assert [t.name for t in model.inputs] == ["a", "b"]  # dict inputs flatten by key
    out = model({"a": np.ones((4, 3)), "b": np.full((4, 2), 2.0)})
    assert out.dtype == tf.float64 and model.layers[-1].weights[0].dtype == "float64"
    np.testing.assert_allclose(np.asarray(out), np.full((4, 1), 7.0))
