"""The trainer: compile/fit/evaluate/predict and the batch methods against hand-computed
gradient descent, history and metric names, data forms (arrays, dicts, generators,
datasets, validation split/data, sample and class weights), custom steps, callbacks, the
progress bar, and a Fashion-MNIST MLP that must learn."""
import gzip
import os

import numpy as np
import pytest

import tensorlite as tf

keras = tf.keras
layers = tf.keras.layers

FASHION_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets",
                           "fashion-mnist")


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def linear_model(units=1, inputs=2):
    model = keras.Sequential([keras.Input((inputs,)),
                              layers.Dense(units, kernel_initializer="zeros")])
    return model


X = np.array([[1., 2.], [3., -1.], [0., 1.], [2., 2.], [-1., 0.]], dtype="float32")
Y = np.array([[1.], [2.], [0.], [3.], [-1.]], dtype="float32")


def numpy_sgd_epoch(x, y, w, b, lr, batch_size):
    """Mini-batch gradient descent on MSE; returns w, b and the per-batch (loss, size)."""
    losses = []
    for start in range(0, len(x), batch_size):
        xb, yb = x[start:start + batch_size], y[start:start + batch_size]
        err = xb @ w + b - yb
        losses.append((np.mean(err ** 2), len(xb)))
        w = w - lr * 2 * xb.T @ err / err.size
        b = b - lr * 2 * err.sum(0) / err.size
    return w, b, losses


def test_fit_matches_hand_computed_sgd_and_weighted_epoch_loss():
    model = linear_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    w, b = np.zeros((2, 1)), np.zeros(1)
    epoch_losses = []
    for _ in range(2):
        w, b, losses = numpy_sgd_epoch(X, Y, w, b, 0.1, 2)
        epoch_losses.append(sum(l * n for l, n in losses) / len(X))
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], b, rtol=1e-5)
    assert list(history.history) == ["loss"]
    np.testing.assert_allclose(history.history["loss"], epoch_losses, rtol=1e-5)
    assert history.epoch == [0, 1] and model.history is history
    assert int(model.optimizer.iterations) == 6


def test_history_keys_metrics_names_and_evaluate_forms():
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(X, Y, epochs=2, validation_data=(X, Y), verbose=0)
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert model.metrics_names == ["loss", "compile_metrics"]
    loss, mae = model.evaluate(X, Y, verbose=0)
    pred = model.predict(X, verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred - Y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(pred - Y)), rtol=1e-5)
    assert model.evaluate(X, Y, verbose=0, return_dict=True).keys() == {"loss", "mae"}
    np.testing.assert_allclose(history.history["val_loss"][-1], loss, rtol=1e-5)
    plain = linear_model()
    plain.compile(optimizer="sgd", loss="mse")
    assert isinstance(plain.evaluate(X, Y, verbose=0), float)


def test_predict_concatenates_batches_and_structures():
    model = linear_model(units=3)
    out = model.predict(np.ones((70, 2)), batch_size=32, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 3)
    x = keras.Input((2,))
    two = keras.Model(x, [layers.Dense(1)(x), layers.Dense(4)(x)])
    a, b = two.predict(np.ones((33, 2)), verbose=0)
    assert a.shape == (33, 1) and b.shape == (33, 4)
    np.testing.assert_allclose(two.predict_on_batch(np.ones((3, 2)))[1], b[:3], rtol=1e-6)


def test_accuracy_resolves_from_shapes():
    x = np.random.RandomState(0).randn(8, 4).astype("float32")
    cases = [(1, "sigmoid", np.ones((8, 1)), "BinaryAccuracy"),
             (3, "softmax", np.arange(8) % 3, "SparseCategoricalAccuracy"),
             (3, "softmax", np.eye(3)[np.arange(8) % 3], "CategoricalAccuracy")]
    for units, activation, y, expected in cases:
        model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation=activation)])
        model.compile(optimizer="sgd", loss="mse" if units == 1 or y.ndim == 2 else
                      "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.evaluate(x, y, verbose=0)
        metric = model._compile_metrics.metrics[0]
        assert type(metric).__name__ == expected and metric.name == "accuracy"


def test_multi_output_losses_weights_and_names():
    inp = keras.Input((3,), name="inp")
    h = layers.Dense(4, activation="relu")(inp)
    model = keras.Model(inp, [layers.Dense(1, name="priority")(h),
                              layers.Dense(2, activation="softmax", name="department")(h)])
    model.compile(optimizer="rmsprop", loss=["mean_squared_error", "categorical_crossentropy"],
                  loss_weights=[2.0, 0.5], metrics=[["mean_absolute_error"], ["accuracy"]])
    rng = np.random.RandomState(0)
    x, y1, y2 = rng.randn(16, 3), rng.rand(16, 1), np.eye(2)[rng.randint(0, 2, 16)]
    history = model.fit(x, [y1, y2], epochs=1, verbose=0)
    assert list(history.history) == ["department_accuracy", "department_loss", "loss",
                                     "priority_loss", "priority_mean_absolute_error"]
    results = model.evaluate(x, [y1, y2], verbose=0, return_dict=True)
    p1, p2 = model.predict(x, verbose=0)
    mse = np.mean((p1 - y1) ** 2)
    cce = np.mean(-np.sum(y2 * np.log(np.clip(p2, 1e-7, 1)), axis=-1))
    np.testing.assert_allclose(results["priority_loss"], mse, rtol=1e-4)
    np.testing.assert_allclose(results["department_loss"], cce, rtol=1e-4)
    np.testing.assert_allclose(results["loss"], 2.0 * mse + 0.5 * cce, rtol=1e-4)
    assert model.metrics_names == ["loss", "compile_metrics", "priority_loss",
                                   "department_loss"]
    dict_loss = keras.Model(inp, {"a": layers.Dense(1, name="a")(h),
                                  "b": layers.Dense(1, name="b")(h)})
    dict_loss.compile(optimizer="sgd", loss={"a": "mse", "b": "mae"})
    logs = dict_loss.fit(x, {"a": y1, "b": y1}, verbose=0).history
    assert sorted(logs) == ["a_loss", "b_loss", "loss"]


def test_subclassed_model_with_dict_inputs_and_tuple_outputs():
    class Ticket(keras.Model):
        def __init__(self):
            super().__init__()
            self.concat = layers.Concatenate()
            self.mix = layers.Dense(4, activation="relu")
            self.priority = layers.Dense(1, activation="sigmoid")
            self.department = layers.Dense(3, activation="softmax")

        def call(self, inputs):
            features = self.mix(self.concat([inputs["title"], inputs["tags"]]))
            return self.priority(features), self.department(features)

    rng = np.random.RandomState(1)
    data = {"title": rng.randint(0, 2, (20, 5)), "tags": rng.randint(0, 2, (20, 2))}
    targets = [rng.rand(20, 1), np.eye(3)[rng.randint(0, 3, 20)]]
    model = Ticket()
    model.compile(optimizer="rmsprop", loss=["mean_squared_error", "categorical_crossentropy"],
                  metrics=[["mean_absolute_error"], ["accuracy"]])
    history = model.fit(data, targets, epochs=1, verbose=0)
    assert list(history.history) == ["accuracy", "categorical_crossentropy_loss", "loss",
                                     "mean_absolute_error", "mean_squared_error_loss"]
    assert len(model.evaluate(data, targets, verbose=0)) == 5
    p, d = model.predict(data, verbose=0)
    assert p.shape == (20, 1) and d.shape == (20, 3)


def test_add_loss_and_regularization_enter_the_training_loss():
    class Penalized(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1, kernel_initializer="ones",
                                      kernel_regularizer=keras.regularizers.l2(0.5))

        def call(self, x):
            self.add_loss(tf.constant(3.0))
            return self.dense(x)

    model = Penalized()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    logs = model.train_on_batch(x, y, return_dict=True)
    np.testing.assert_allclose(logs["loss"], 2.0 ** 2 + 3.0 + 0.5 * 2, rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), 4.0 + 3.0 + 1.0, rtol=1e-6)


def test_sample_weight_and_class_weight():
    model = linear_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse",
                  weighted_metrics=["mse"])
    sw = np.array([1., 0., 2., 1., 0.5])
    results = model.evaluate(X, Y, sample_weight=sw, batch_size=5, verbose=0, return_dict=True)
    per_sample = Y[:, 0] ** 2
    np.testing.assert_allclose(results["loss"], np.sum(per_sample * sw) / 5, rtol=1e-6)
    np.testing.assert_allclose(results["mse"], np.sum(per_sample * sw) / sw.sum(), rtol=1e-6)
    labels = np.array([0, 1, 1, 0, 1])
    clf = keras.Sequential([keras.Input((2,)), layers.Dense(2, activation="softmax",
                                                            kernel_initializer="zeros")])
    clf.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0),
                loss="sparse_categorical_crossentropy")
    logs = clf.fit(X, labels, class_weight={0: 2.0, 1: 0.0}, batch_size=5, verbose=0)
    np.testing.assert_allclose(logs.history["loss"][0], 2 * 2 * np.log(2) / 5, rtol=1e-5)


def test_validation_split_generators_and_datasets():
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.tile(X, (4, 1)), np.tile(Y, (4, 1)), validation_split=0.25,
                        epochs=1, verbose=0)
    assert list(history.history) == ["loss", "val_loss"]

    def generator():
        while True:
            yield X, Y

    history = model.fit(generator(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2

    class Batches:  # re-iterable, like a tf.data.Dataset
        def __iter__(self):
            return iter([(X[:3], Y[:3]), (X[3:], Y[3:])])

    history = model.fit(Batches(), epochs=2, validation_data=Batches(), verbose=0)
    assert list(history.history) == ["loss", "val_loss"]
    assert model.predict(Batches(), verbose=0).shape == (5, 1)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(Batches(), Y, verbose=0)
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(iter([(X, Y)]), steps_per_epoch=2, epochs=2, verbose=0)
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(iter([(X, Y)]), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 2  # the second epoch found no data: stopped


def test_batch_methods_accumulate_metrics():
    model = linear_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse",
                  metrics=["mae"])
    first = model.train_on_batch(X[:2], Y[:2])
    second = model.test_on_batch(X[2:], Y[2:], return_dict=True)
    assert first[0] == pytest.approx(np.mean(Y[:2] ** 2))
    assert second["loss"] == pytest.approx(np.mean(Y ** 2))  # running over both batches
    model.reset_metrics()
    assert model.test_on_batch(X[2:], Y[2:])[0] == pytest.approx(np.mean(Y[2:] ** 2))


def test_custom_train_step_and_metrics_property():
    loss_fn = keras.losses.MeanSquaredError()
    tracker = keras.metrics.Mean(name="loss")

    class Custom(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with tf.GradientTape() as tape:
                loss = loss_fn(targets, self(inputs, training=True))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            tracker.update_state(loss)
            return {"loss": tracker.result()}

        @property
        def metrics(self):
            return [tracker]

    x = keras.Input((2,))
    model = Custom(x, layers.Dense(1)(x))
    model.compile(optimizer=keras.optimizers.RMSprop())
    history = model.fit(X, Y, epochs=3, verbose=0)
    assert list(history.history) == ["loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_callbacks_receive_every_hook_in_order():
    events = []

    class Recorder(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin {epoch}")

        def on_batch_end(self, batch, logs=None):
            events.append(f"batch_end {batch} {sorted(logs)}")

        def on_test_begin(self, logs=None):
            events.append("test_begin")

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end {epoch} {sorted(logs)}")
            if epoch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            events.append("train_end")

    model = linear_model()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(X, Y, batch_size=3, epochs=5, validation_data=(X, Y), verbose=0,
                        callbacks=[Recorder()])
    assert events == ["train_begin", "epoch_begin 0", "batch_end 0 ['loss']",
                      "batch_end 1 ['loss']", "test_begin", "epoch_end 0 ['loss', 'val_loss']",
                      "epoch_begin 1", "batch_end 0 ['loss']", "batch_end 1 ['loss']",
                      "test_begin", "epoch_end 1 ['loss', 'val_loss']", "train_end"]
    assert len(history.history["loss"]) == 2


def test_progress_bar_output(capsys):
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(X, Y, batch_size=2, epochs=2, verbose=2, validation_data=(X, Y))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert lines[1].startswith("3/3 - ")
    assert "ms/step - loss: " in lines[1] or "us/step - loss: " in lines[1]
    assert lines[1].split(" - ")[3:] == [
        f"{k}: {v}" for k, v in zip(["loss", "mae", "val_loss", "val_mae"],
                                    [p.split(": ")[1] for p in lines[1].split(" - ")[3:]])]
    model.evaluate(X, Y, batch_size=2, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("\r\x1b[1m1/3\x1b[0m") or "\x1b[1m3/3\x1b[0m" in out
    assert "\x1b[32m" + "━" * 20 in out and out.endswith("\n")
    model.fit(X, Y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_errors():
    model = linear_model()
    with pytest.raises(ValueError, match="You must call `compile\\(\\)` before using the model"):
        model.fit(X, Y, verbose=0)
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(X, Y, verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="Arguments not recognized"):
        model.evaluate(X, Y, verbose=0, foo=1)
    with pytest.raises(ValueError, match="not sufficient to split"):
        model.fit(X[:1], Y[:1], validation_split=0.5, verbose=0)
    x = keras.Input((2,))
    two = keras.Model(x, [layers.Dense(1)(x), layers.Dense(1)(x)])
    two.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match="as many entries as the model has outputs"):
        two.fit(X, [Y, Y], verbose=0)
    two.compile(optimizer="sgd", loss="mse", loss_weights=[0.9, 0.1])
    with pytest.raises(ValueError, match="got 1 losses and 2 weights"):
        two.fit(X, [Y, Y], verbose=0)


def test_compile_config_round_trip():
    model = linear_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    config = model.get_compile_config()
    other = linear_model()
    other.compile_from_config(config)
    assert type(other.optimizer).__name__ == "Adam" and other.loss == "mse"


def _load_idx(path):
    raw = gzip.open(path, "rb").read()
    ndim = raw[3]
    shape = np.frombuffer(raw, ">u4", count=ndim, offset=4)
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir(FASHION_DIR), reason="Fashion-MNIST files not available")
def test_fashion_mnist_mlp_learns():
    x_train = _load_idx(os.path.join(FASHION_DIR, "train-images-idx3-ubyte.gz"))
    y_train = _load_idx(os.path.join(FASHION_DIR, "train-labels-idx1-ubyte.gz"))
    x_test = _load_idx(os.path.join(FASHION_DIR, "t10k-images-idx3-ubyte.gz"))
    y_test = _load_idx(os.path.join(FASHION_DIR, "t10k-labels-idx1-ubyte.gz"))
    x_train, x_test = x_train[:20000] / 255.0, x_test[:5000] / 255.0
    y_train, y_test = y_train[:20000], y_test[:5000]
    tf.keras.utils.set_random_seed(42)
    model = keras.Sequential([
        layers.Flatten(input_shape=[28, 28]),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam",
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=2, batch_size=64, verbose=0,
                        validation_data=(x_test, y_test))
    assert history.history["accuracy"][1] > history.history["accuracy"][0]
    assert history.history["val_accuracy"][-1] > 0.8
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1], abs=1e-6)
    assert model.predict(x_test[:10], verbose=0).argmax(-1).shape == (10,)
