"""keras.saving: `.keras` files and `.weights.h5` in Keras 3's layout, custom objects, safe
mode, corrupt files; the fixtures in tests/keras/fixtures were made by real Keras 3.15
(make_fixtures.py), and a slow test has real Keras read the files tensorlite writes."""
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras.saving import keras_file, saving_api, serialization, weights_h5

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
sys.path.insert(0, FIXTURES)
import custom_objects  # noqa: E402
import make_fixtures  # noqa: E402

keras = tf.keras
h5py = pytest.importorskip("h5py")
REFERENCE_PYTHON = "/opt/tfref/bin/python"
TRAINED = ("sequential", "functional", "subclassed")


@pytest.fixture(scope="module")
def models():
    return make_fixtures.build_models(keras)


@pytest.fixture(scope="module")
def expected():
    return np.load(os.path.join(FIXTURES, "expected.npz"))


def predict(model, inputs):
    return make_fixtures._predict(model, inputs)


def save_and_load(model, tmp_path, **load_kwargs):
    path = str(tmp_path / "model.keras")
    saving_api.save_model(model, path)
    return saving_api.load_model(path, **load_kwargs)


def datasets(h5):
    """{path: (shape, dtype)} of the datasets of an open h5 file."""
    found = {}
    h5.visititems(lambda name, obj: found.__setitem__(name, (obj.shape, obj.dtype.name))
                  if isinstance(obj, h5py.Dataset) else None)
    return found


# ---- round trips -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", TRAINED)
def test_round_trip_gives_identical_predictions_and_optimizer_state(models, name, tmp_path):
    model, inputs = models[name]
    loaded = save_and_load(model, tmp_path)
    assert type(loaded).__name__ == type(model).__name__
    np.testing.assert_array_equal(predict(loaded, inputs), predict(model, inputs))
    assert [v.numpy().tolist() for v in loaded.optimizer.variables] == \
        [v.numpy().tolist() for v in model.optimizer.variables]
    assert loaded.compiled and type(loaded.optimizer) is type(model.optimizer)


def test_loaded_model_trains_on_like_the_original(models, tmp_path):
    model, (xa, xb) = models["functional"]
    loaded = save_and_load(model, tmp_path)
    y = np.ones((5, 1), "float32")
    # momentum carries the saved velocity: the next steps match only if it was restored
    for _ in range(2):
        model.train_on_batch([xa, xb], y)
        loaded.train_on_batch([xa, xb], y)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_load_without_compiling(models, tmp_path):
    loaded = save_and_load(models["sequential"][0], tmp_path, compile=False)
    assert not loaded.compiled and loaded.optimizer is None


def test_keras_file_contents(models, tmp_path):
    path = str(tmp_path / "model.keras")
    saving_api.save_model(models["sequential"][0], path)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        metadata = json.loads(zf.read("metadata.json"))
        config = json.loads(zf.read("config.json"))
    assert metadata["keras_version"] == keras.__version__ and "@" in metadata["date_saved"]
    assert (config["module"], config["class_name"], config["registered_name"]) == \
        ("keras", "Sequential", None)
    assert config["build_config"] == {"input_shape": [None, 4]}
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    dense = config["config"]["layers"][1]
    assert (dense["module"], dense["class_name"], dense["build_config"]) == \
        ("keras.layers", "Dense", {"input_shape": [None, 4]})


@pytest.mark.parametrize("name", TRAINED)
def test_weights_layout_matches_the_keras_files(models, name, tmp_path):
    saving_api.save_model(models[name][0], str(tmp_path / "model.keras"))

    def layout(path):
        with zipfile.ZipFile(path) as zf:
            with h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as f:
                return datasets(f)
    assert layout(tmp_path / "model.keras") == layout(os.path.join(FIXTURES, f"{name}.keras"))


# ---- real Keras files ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", TRAINED)
def test_loads_keras_fixture(name, expected):
    model = saving_api.load_model(os.path.join(FIXTURES, f"{name}.keras"))
    inputs = make_fixtures._inputs(expected, name)
    np.testing.assert_allclose(predict(model, inputs), expected[f"{name}_y"], atol=1e-5)
    assert int(model.optimizer.iterations.numpy()) == int(expected[f"{name}_iterations"])


def test_loads_keras_weights_file(expected):
    model = saving_api.load_model(os.path.join(FIXTURES, "sequential.keras"))
    for layer in model.layers:
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    saving_api.load_weights(model, os.path.join(FIXTURES, "sequential.weights.h5"))
    inputs = make_fixtures._inputs(expected, "sequential")
    np.testing.assert_allclose(predict(model, inputs), expected["sequential_y"], atol=1e-5)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11),
                    reason="the fixture's lambda is Python 3.11 bytecode")
def test_safe_mode_refuses_a_keras_lambda_unless_disabled(expected):
    path = os.path.join(FIXTURES, "lambda.keras")
    with pytest.raises(ValueError, match="Requested the deserialization of a `Lambda` layer "
                                         "whose `function` is a Python lambda"):
        saving_api.load_model(path)
    model = saving_api.load_model(path, safe_mode=False)
    np.testing.assert_allclose(predict(model, [expected["lambda_x0"]]), expected["lambda_y"],
                               atol=1e-5)


# ---- weights files -----------------------------------------------------------------------------

def test_weights_h5_round_trip_into_a_fresh_model(models, tmp_path):
    model, inputs = models["subclassed"]
    path = str(tmp_path / "w.weights.h5")
    saving_api.save_weights(model, path)
    fresh = custom_objects.define(keras)["TinyResidual"](width=4)
    fresh(inputs[0])
    saving_api.load_weights(fresh, path)
    np.testing.assert_array_equal(predict(fresh, inputs), predict(model, inputs))
    with h5py.File(path, "r") as f:
        assert f["vars"].attrs["name"] == model.name
        assert sorted(datasets(f)) == [
            "hidden/dense/vars/0", "hidden/dense/vars/1", "hidden/scaled_dense/vars/0",
            "hidden/scaled_dense/vars/1", "hidden/scaled_dense/vars/2", "inp/vars/0",
            "inp/vars/1", "layers/dense_2/vars/0", "layers/dense_2/vars/1",
            "optimizer/vars/0", "optimizer/vars/1", "optimizer/vars/2", "optimizer/vars/3",
            "optimizer/vars/4", "optimizer/vars/5", "optimizer/vars/6", "optimizer/vars/7",
            "optimizer/vars/8", "optimizer/vars/9"]


def test_load_weights_from_a_keras_file(models, tmp_path):
    model, inputs = models["functional"]
    path = str(tmp_path / "model.keras")
    saving_api.save_model(model, path)
    other = saving_api.load_model(path)
    other.layers[1].set_weights([np.zeros_like(w) for w in other.layers[1].get_weights()])
    saving_api.load_weights(other, path)
    np.testing.assert_array_equal(predict(other, inputs), predict(model, inputs))


def test_load_weights_into_another_architecture(models, tmp_path):
    path = str(tmp_path / "w.weights.h5")
    saving_api.save_weights(models["sequential"][0], path)
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5),
                              keras.layers.BatchNormalization(), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="objects could not be loaded"):
        saving_api.load_weights(other, path)
    with pytest.warns(UserWarning, match="objects could not be loaded"):
        saving_api.load_weights(other, path, skip_mismatch=True)


def test_file_name_checks(models, tmp_path):
    model = models["sequential"][0]
    with pytest.raises(ValueError, match=r"The filename must end in `\.weights\.h5`"):
        saving_api.save_weights(model, str(tmp_path / "w.h5"))
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        saving_api.save_model(model, str(tmp_path / "m.pb"))
    with pytest.raises(ValueError, match="File format not supported"):
        saving_api.load_weights(model, str(tmp_path / "m.ckpt"))


# ---- custom objects ------------------------------------------------------------------------------

def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    return tf.where(tf.abs(error) < 1, tf.square(error) / 2, tf.abs(error) - 0.5)


class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        return huber_fn(y_true / self.threshold, y_pred / self.threshold)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


class Doubler(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def _custom_model(loss):
    tf.keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((2,)), Doubler(), keras.layers.Dense(1)])
    model.compile(optimizer="nadam", loss=loss)
    model.train_on_batch(np.ones((2, 2), "float32"), np.zeros((2, 1), "float32"))
    return model


@pytest.mark.parametrize("loss, objects", [
    (huber_fn, {"huber_fn": huber_fn}),
    (HuberLoss(2.0), {"HuberLoss": HuberLoss}),
])
def test_custom_objects_passed_at_load(loss, objects, tmp_path):
    model = _custom_model(loss)
    path = str(tmp_path / "custom.keras")
    saving_api.save_model(model, path)
    loaded = saving_api.load_model(path, custom_objects={**objects, "Doubler": Doubler})
    x = np.ones((3, 2), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    if isinstance(loss, HuberLoss):
        assert type(loaded.loss) is HuberLoss and loaded.loss.threshold == 2.0
    else:
        assert loaded.loss is huber_fn
    with pytest.raises(TypeError, match="Could not locate class 'Doubler'"):
        saving_api.load_model(path, custom_objects=objects)


def test_registered_custom_model_needs_no_custom_objects(models, tmp_path):
    path = str(tmp_path / "sub.keras")
    saving_api.save_model(models["subclassed"][0], path)
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
    assert (config["module"], config["registered_name"]) == (None, "fixtures>TinyResidual")
    assert type(saving_api.load_model(path)).__name__ == "TinyResidual"


# ---- corrupt files, atomic writes --------------------------------------------------------------

def test_corrupt_and_truncated_files_give_clear_errors(tmp_path):
    source = os.path.join(FIXTURES, "sequential.keras")
    data = open(source, "rb").read()
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match="truncated.keras is not a valid `.keras` file"):
        saving_api.load_model(str(truncated))
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="garbage.keras is not a valid `.keras` file"):
        saving_api.load_model(str(garbage))
    with pytest.raises(ValueError, match="File not found: filepath=.*missing.keras"):
        saving_api.load_model(str(tmp_path / "missing.keras"))
    other = tmp_path / "model.txt"
    other.write_text("hello")
    with pytest.raises(ValueError, match="File format not supported: filepath=.*model.txt"):
        saving_api.load_model(str(other))
    weights = open(os.path.join(FIXTURES, "sequential.weights.h5"), "rb").read()
    cut = tmp_path / "cut.weights.h5"
    cut.write_bytes(weights[:len(weights) // 3])
    model = saving_api.load_model(source)
    with pytest.raises(ValueError, match="cut.weights.h5"):
        saving_api.load_weights(model, str(cut))
    with pytest.raises(FileNotFoundError):
        saving_api.load_weights(model, str(tmp_path / "none.weights.h5"))


def test_corrupt_weights_inside_a_keras_file(tmp_path):
    with zipfile.ZipFile(os.path.join(FIXTURES, "sequential.keras")) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["model.weights.h5"] = members["model.weights.h5"][:500]
    path = tmp_path / "bad.keras"
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    with pytest.raises(ValueError, match="bad.keras"):
        saving_api.load_model(str(path))


def test_a_failed_save_leaves_the_previous_file_intact(models, tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    shutil.copy(os.path.join(FIXTURES, "sequential.keras"), path)
    before = path.read_bytes()

    def fail(model, h5file):
        raise RuntimeError("disk full")
    monkeypatch.setattr(weights_h5, "save_state", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        saving_api.save_model(models["sequential"][0], str(path))
    with pytest.raises(RuntimeError, match="disk full"):
        saving_api.save_weights(models["sequential"][0], str(tmp_path / "w.weights.h5"))
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]  # no temporary files left


def test_safe_mode_for_a_tensorlite_lambda(models, tmp_path):
    model, inputs = models["lambda"]
    path = str(tmp_path / "lambda.keras")
    saving_api.save_model(model, path)
    with pytest.raises(ValueError, match="`safe_mode=False`"):
        saving_api.load_model(path)
    loaded = saving_api.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(predict(loaded, inputs), predict(model, inputs))


def test_model_from_json_rebuilds_the_architecture(models):
    model, inputs = models["functional"]
    text = keras_file.config_to_json(serialization.serialize_keras_object(model))
    rebuilt = saving_api.model_from_json(text)
    assert [type(layer).__name__ for layer in rebuilt.layers] == \
        [type(layer).__name__ for layer in model.layers]
    assert rebuilt.compiled and predict(rebuilt, inputs).shape == (5, 1)


def test_json_of_configs_with_numpy_values():
    assert keras_file.config_to_json({"a": np.float32(0.5), "b": (1, None),
                                      "c": np.arange(2)}) == \
        '{"a": 0.5, "b": [1, null], "c": [0, 1]}'


# ---- real Keras reads tensorlite's files -------------------------------------------------------

@pytest.fixture(scope="module")
def keras_check(models, tmp_path_factory):
    """What real Keras said about each file tensorlite wrote: {name: "OK" or the error}."""
    directory = str(tmp_path_factory.mktemp("for_keras"))
    make_fixtures.save_models(keras, models, directory)
    result = subprocess.run([REFERENCE_PYTHON, os.path.join(FIXTURES, "make_fixtures.py"),
                             "--check", directory], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, timeout=300)
    verdicts = {}
    for line in result.stdout.splitlines():
        status, _, rest = line.partition(" ")
        name, _, error = rest.partition(":")
        verdicts[name] = "OK" if status == "OK" else error.strip()
    assert verdicts, result.stderr[-3000:]
    return verdicts


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(REFERENCE_PYTHON), reason="no reference Keras")
@pytest.mark.parametrize("name", ["sequential", "subclassed", "lambda", "functional"])
def test_real_keras_loads_tensorlite_files(keras_check, name):
    assert keras_check[name] == "OK"
