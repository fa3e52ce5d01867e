"""Datasets in Keras: fit / evaluate / predict on datasets, and a custom loop over one."""
import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data

keras = tf.keras


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    x = rng.rand(256, 4).astype(np.float32)
    y = (x.sum(axis=1) > 2).astype(np.int32)
    return x, y


def _model():
    tf.keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_evaluate_predict_on_datasets(data):
    x, y = data
    train = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256, seed=1).batch(32)
    model = _model()  # unbuilt: built from the dataset's element_spec
    history = model.fit(train, epochs=8, validation_data=train.take(2), verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(train, verbose=0)
    assert accuracy > 0.8
    assert int(model.optimizer.iterations) == 8 * 8
    predictions = model.predict(tf.data.Dataset.from_tensor_slices(x).batch(50), verbose=0)
    assert predictions.shape == (256, 2)
    np.testing.assert_allclose(predictions, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    # (x, y) elements: predict uses x
    assert model.predict(train, verbose=0).shape == (256, 2)


def test_fit_on_a_repeated_dataset_with_steps_per_epoch(data):
    x, y = data
    model = _model()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).repeat()
    history = model.fit(ds, steps_per_epoch=5, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert int(model.optimizer.iterations) == 15


def test_custom_training_loop_over_a_dataset(data):
    x, y = data
    model = _model()
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    optimizer = keras.optimizers.Adam(0.02)

    @tf.function
    def train_step(inputs, targets):
        with tf.GradientTape() as tape:
            loss = loss_fn(targets, model(inputs, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    losses = [float(np.mean([float(train_step(xb, yb)) for xb, yb in ds])) for _ in range(5)]
    assert losses[-1] < losses[0]
    assert int(optimizer.iterations) == 5 * 8
