"""keras.callbacks beyond the base: EarlyStopping, ModelCheckpoint, LearningRateScheduler,
ReduceLROnPlateau, CSVLogger, TerminateOnNaN, LambdaCallback, BackupAndRestore, TensorBoard.

Expected sequences and messages were checked against Keras 3.15 driven the same way."""
import json
import os
import struct

import numpy as np
import pytest

import tensorlite as tf
from tensorlite.keras.callbacks.backup_and_restore import BackupAndRestore
from tensorlite.keras.callbacks.csv_logger import CSVLogger
from tensorlite.keras.callbacks.early_stopping import EarlyStopping
from tensorlite.keras.callbacks.event_file import crc32c, histogram_buckets
from tensorlite.keras.callbacks.learning_rate import LearningRateScheduler, ReduceLROnPlateau
from tensorlite.keras.callbacks.misc import LambdaCallback, TerminateOnNaN
from tensorlite.keras.callbacks.model_checkpoint import ModelCheckpoint
from tensorlite.keras.callbacks.tensorboard import TensorBoard
from tensorlite.keras.saving import saving_api

keras = tf.keras


def tiny_model(learning_rate=0.1, momentum=0.0, metrics=None, loss="mse"):
    tf.keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate, momentum=momentum), loss=loss,
                  metrics=metrics)
    return model


def data(n=8):
    rng = np.random.RandomState(0)
    x = rng.normal(size=(n, 2)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0]], "float32") + 0.5).astype("float32")


class StandIn:
    """A model stand-in for driving callbacks by hand."""

    def __init__(self, metrics=()):
        self.stop_training = False
        self.metrics = list(metrics)
        self.w = None

    def get_weights(self):
        return [self.w]

    def set_weights(self, weights):
        self.w = weights[0]


def drive(callback, monitor, values, model=None):
    """on_epoch_end with each value until the model is told to stop; returns the epoch."""
    model = model or StandIn()
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        model.w = epoch
        callback.on_epoch_end(epoch, {monitor: value})
        if model.stop_training:
            break
    callback.on_train_end()
    return epoch, model


# ---- EarlyStopping ------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, values, stopped_at, wait, best", [
    (dict(patience=2), [1.0, 0.9, 0.95, 0.91, 0.8, 0.85], 3, 2, 0.9),
    (dict(patience=1, min_delta=0.1), [1.0, 0.95, 0.85, 0.84, 0.7], 1, 1, 1.0),
    (dict(patience=0), [1.0, 1.1, 0.5], 1, 1, 1.0),
    (dict(patience=1, start_from_epoch=2), [1.0, 2.0, 3.0, 4.0, 5.0], 3, 1, 3.0),
])
def test_early_stopping_sequences(kwargs, values, stopped_at, wait, best):
    es = EarlyStopping(monitor="val_loss", **kwargs)
    epoch, model = drive(es, "val_loss", values)
    assert (epoch, es.stopped_epoch, es.wait, es.best) == (stopped_at, stopped_at, wait, best)
    assert model.stop_training


def test_early_stopping_baseline_not_beaten_never_resets_patience_nor_stops():
    es = EarlyStopping(monitor="val_loss", patience=2, baseline=0.5)
    epoch, model = drive(es, "val_loss", [1.0, 0.9, 0.8, 0.7])
    assert (epoch, es.wait, es.best, model.stop_training) == (3, 4, 0.7, False)


def test_early_stopping_max_mode_and_auto_mode_from_metric_direction():
    es = EarlyStopping(monitor="val_accuracy", patience=1, mode="max")
    assert drive(es, "val_accuracy", [0.5, 0.6, 0.6, 0.7])[0] == 2
    accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
    es = EarlyStopping(monitor="val_accuracy", patience=1)
    drive(es, "val_accuracy", [0.5, 0.6], model=StandIn([accuracy]))
    assert es.best == 0.6  # auto picked "max" from the accuracy metric
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        drive(EarlyStopping(monitor="val_thing"), "val_thing", [1.0])


def test_early_stopping_restore_best_weights():
    es = EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    epoch, model = drive(es, "val_loss", [1.0, 0.5, 0.7, 0.9])
    assert (epoch, es.best_epoch, model.w) == (2, 1, 1)  # weights of epoch 1 put back


def test_early_stopping_warnings():
    with pytest.warns(UserWarning, match="mode 'bogus' is unknown, fallback to auto mode"):
        es = EarlyStopping(mode="bogus")
    with pytest.warns(UserWarning, match="metric `val_loss` which is not available. Available "
                                         "metrics are: loss"):
        drive(es, "loss", [1.0])


def test_early_stopping_in_fit_stops_training():
    model = tiny_model(learning_rate=0.0)  # nothing changes: no improvement after epoch 0
    x, y = data()
    history = model.fit(x, y, epochs=10, verbose=0, validation_data=(x, y),
                        callbacks=[EarlyStopping(patience=2)])
    assert len(history.history["loss"]) == 3


# ---- learning rate ------------------------------------------------------------------------------

def test_reduce_lr_on_plateau_sequence():
    model = tiny_model(learning_rate=0.01)
    reduce = ReduceLROnPlateau(factor=0.5, patience=5)
    reduce.set_model(model)
    reduce.on_train_begin()
    lrs = []
    for epoch, val_loss in enumerate([1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.8, 0.85,
                                      0.85, 0.85, 0.85, 0.85, 0.85]):
        logs = {"val_loss": val_loss}
        reduce.on_epoch_end(epoch, logs)
        assert logs["learning_rate"] == pytest.approx(lrs[-1] if lrs else 0.01)
        lrs.append(round(float(model.optimizer.learning_rate.numpy()), 8))
    assert lrs == [0.01] * 6 + [0.005] * 7 + [0.0025] * 2


def test_reduce_lr_on_plateau_cooldown_and_min_lr(capsys):
    model = tiny_model(learning_rate=0.2)
    reduce = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, verbose=1, min_lr=0.03,
                               cooldown=1)
    reduce.set_model(model)
    reduce.on_train_begin()
    seen = []
    for epoch in range(8):
        reduce.on_epoch_end(epoch, {"loss": 1.0})
        seen.append((round(float(model.optimizer.learning_rate.numpy()), 6), reduce.wait,
                     reduce.cooldown_counter))
    assert seen == [(0.2, 0, 0), (0.1, 0, 1), (0.05, 0, 1), (0.03, 0, 1), (0.03, 1, 0),
                    (0.03, 2, 0), (0.03, 3, 0), (0.03, 4, 0)]
    assert "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.10000000149011612.\n" \
        in capsys.readouterr().out


def test_reduce_lr_on_plateau_errors():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Received factor=1"):
        ReduceLROnPlateau(factor=1.0)
    reduce = ReduceLROnPlateau(monitor="val_loss")
    reduce.set_model(tiny_model())
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not"):
        reduce.on_epoch_end(0, {"loss": 1.0})


def test_learning_rate_scheduler_in_fit():
    x, y = data()
    model = tiny_model(learning_rate=0.01)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch, lr: lr * 0.1 ** (1 / 20))])
    assert [round(v, 8) for v in history.history["learning_rate"]] == [0.00891251, 0.00794328,
                                                                       0.00707946]
    model = tiny_model(learning_rate=0.01)
    history = model.fit(x, y, epochs=6, initial_epoch=3, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch: 0.01 if epoch < 5 else 0.005)])  # old signature
    assert [round(v, 8) for v in history.history["learning_rate"]] == [0.01, 0.01, 0.005]


def test_learning_rate_scheduler_checks_the_schedule_output(capsys):
    model = tiny_model()
    for bad, shown in [(lambda e, lr: 1, "1"), (lambda e, lr: "a", "a"),
                       (lambda e, lr: tf.constant(0.5), "0.5")]:
        scheduler = LearningRateScheduler(bad)
        scheduler.set_model(model)
        with pytest.raises(ValueError, match=f"should be a float. Got: {shown}$"):
            scheduler.on_epoch_begin(0)
    scheduler = LearningRateScheduler(lambda e, lr: np.float32(0.5), verbose=1)
    scheduler.set_model(model)
    scheduler.on_epoch_begin(1)
    assert float(model.optimizer.learning_rate.numpy()) == 0.5
    assert capsys.readouterr().out == ("\nEpoch 2: LearningRateScheduler setting learning rate "
                                       "to 0.5.\n")


# ---- CSVLogger, TerminateOnNaN, LambdaCallback --------------------------------------------------

def test_csv_logger_values_and_reserved_validation_columns(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.set_model(StandIn())
    logger.on_train_begin()
    logger.on_epoch_end(0, {"b": "s", "a": np.array([1, 2]), "c": np.float32(0.1),
                            "d": np.array(2.5)})
    logger.on_train_end()
    assert path.read_bytes() == (b'epoch,a,b,c,d,val_a,val_b,val_c,val_d\r\n'
                                 b'0,"""[1, 2]""",s,0.1,2.5,NA,NA,NA,NA\r\n')


def test_csv_logger_in_fit_and_append(tmp_path):
    path = str(tmp_path / "log.csv")
    x, y = data()
    model = tiny_model(metrics=["mae"])
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=[CSVLogger(path)])
    model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
              callbacks=[CSVLogger(path, append=True, separator=";")])
    lines = open(path, newline="").read().split("\r\n")
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    assert lines[1] == f"0,{history.history['loss'][0]},{history.history['mae'][0]},NA,NA"
    assert lines[3].startswith("0;") and lines[3].count(";") == 4  # appended, no header
    assert len(lines) == 5 and lines[4] == ""


def test_terminate_on_nan(capsys):
    model = StandIn()
    callback = TerminateOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(3, {"loss": 1.0})
    assert not model.stop_training
    callback.on_train_batch_end(3, {"loss": float("nan")})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 3: Invalid loss, terminating training\n"
    callback = TerminateOnNaN(raise_error=True)
    callback.set_model(model)
    with pytest.raises(RuntimeError, match=r"NaN or Inf loss encountered at batch 3\. Loss "
                                           r"value: inf\. Terminating training immediately\."):
        callback.on_train_batch_end(3, {"loss": float("inf")})


def test_terminate_on_nan_in_fit():
    x, y = data()
    y[:] = np.nan
    model = tiny_model()
    history = model.fit(x, y, epochs=3, batch_size=2, verbose=0, callbacks=[TerminateOnNaN()])
    assert len(history.history["loss"]) == 1


def test_lambda_callback_hooks_in_fit():
    calls = []
    callback = LambdaCallback(
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_train_batch_end=lambda batch, logs: calls.append(("batch", batch)),
        on_train_end=lambda logs: calls.append(("train_end",)),
        on_test_batch_end=lambda batch, logs: calls.append(("test_batch", batch)))
    x, y = data(4)
    tiny_model().fit(x, y, epochs=1, batch_size=2, verbose=0, validation_data=(x, y),
                     callbacks=[callback])
    assert calls == [("epoch_begin", 0), ("batch", 0), ("batch", 1), ("test_batch", 0),
                     ("test_batch", 1), ("epoch_end", 0, ["loss", "val_loss"]),
                     ("train_end",)]


# ---- ModelCheckpoint ----------------------------------------------------------------------------

def test_model_checkpoint_best_only_with_formatted_paths(tmp_path, capsys):
    model = tiny_model()
    checkpoint = ModelCheckpoint(str(tmp_path / "m_{epoch:02d}_{val_loss:.2f}.keras"),
                                 save_best_only=True, verbose=1)
    drive(checkpoint, "val_loss", [0.5, 0.25, 0.3], model=model)
    assert sorted(os.listdir(tmp_path)) == ["m_01_0.50.keras", "m_02_0.25.keras"]
    assert checkpoint.best == 0.25
    out = capsys.readouterr().out
    assert "\nEpoch 1: val_loss improved from None to 0.50000, saving model to " in out
    assert "\nEpoch 3: val_loss did not improve from 0.25000\n" in out
    loaded = saving_api.load_model(tmp_path / "m_02_0.25.keras")
    np.testing.assert_array_equal(loaded.layers[0].kernel.numpy(),
                                  model.layers[0].kernel.numpy())


def test_model_checkpoint_in_fit_weights_only_every_n_batches(tmp_path):
    x, y = data(4)
    model = tiny_model()
    path = str(tmp_path / "w_{epoch}_{batch}.weights.h5")
    model.fit(x, y, epochs=2, batch_size=1, verbose=0,
              callbacks=[ModelCheckpoint(path, save_weights_only=True, save_freq=3)])
    assert sorted(os.listdir(tmp_path)) == ["w_1_3.weights.h5", "w_2_2.weights.h5"]


def test_model_checkpoint_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        ModelCheckpoint("a.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="must end in `.keras`"):
        ModelCheckpoint("a.ckpt")
    with pytest.raises(ValueError, match="Unrecognized save_freq: batch"):
        ModelCheckpoint("a.keras", save_freq="batch")
    checkpoint = ModelCheckpoint(str(tmp_path / "{nokey}.keras"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        drive(checkpoint, "val_loss", [1.0], model=tiny_model())
    checkpoint = ModelCheckpoint(str(tmp_path / "a.keras"), monitor="val_acc",
                                 save_best_only=True, mode="max")
    with pytest.warns(UserWarning, match="Can save best model only with val_acc available"):
        drive(checkpoint, "val_loss", [1.0], model=tiny_model())
    assert not os.path.exists(tmp_path / "a.keras")


# ---- BackupAndRestore ----------------------------------------------------------------------------

class Interrupt(Exception):
    pass


class InterruptAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise Interrupt


def test_backup_and_restore_saves_and_restores_weights_optimizer_state_and_epoch(tmp_path):
    x, y = data()
    backup = str(tmp_path / "backup")
    model = tiny_model(momentum=0.9)
    with pytest.raises(Interrupt):
        model.fit(x, y, epochs=5, batch_size=4, shuffle=False, verbose=0,
                  callbacks=[BackupAndRestore(backup), InterruptAt(2)])
    with open(os.path.join(backup, "training_metadata.json")) as f:
        assert json.load(f) == {"epoch": 2, "batch": 0}
    fresh = tiny_model(momentum=0.9)
    restore = BackupAndRestore(backup)
    restore.set_model(fresh)
    restore.on_train_begin()
    assert fresh._initial_epoch == 2
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(fresh.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(fresh.optimizer.iterations.numpy()) == 4  # 2 epochs of 2 batches
    restore.on_train_end()
    assert not os.path.exists(backup) and fresh._initial_epoch is None


def test_backup_and_restore_double_checkpoint_falls_back_to_the_previous(tmp_path):
    backup = str(tmp_path / "backup")
    model = tiny_model()
    callback = BackupAndRestore(backup, double_checkpoint=True)
    callback.set_model(model)
    for epoch in range(2):
        callback.on_epoch_end(epoch)
    with open(os.path.join(backup, "latest.weights.h5"), "wb") as f:
        f.write(b"torn write")
    fresh = tiny_model()
    restore = BackupAndRestore(backup, double_checkpoint=True)
    restore.set_model(fresh)
    restore.on_train_begin()
    assert fresh._initial_epoch == 1  # the previous backup: after epoch 0


def test_backup_and_restore_argument_errors():
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="Invalid value for argument `save_freq`"):
        BackupAndRestore("b", save_freq=0)


def test_backup_and_restore_resumed_fit_matches_an_uninterrupted_one(tmp_path):
    x, y = data()
    fit_args = dict(epochs=5, batch_size=4, shuffle=False, verbose=0)
    reference = tiny_model(momentum=0.9)
    reference.fit(x, y, **fit_args)
    model = tiny_model(momentum=0.9)
    backup = str(tmp_path / "backup")
    with pytest.raises(Interrupt):
        model.fit(x, y, callbacks=[BackupAndRestore(backup), InterruptAt(3)], **fit_args)
    resumed = tiny_model(momentum=0.9)
    history = resumed.fit(x, y, callbacks=[BackupAndRestore(backup)], **fit_args)
    assert len(history.history["loss"]) == 2  # epochs 3 and 4 only
    for a, b in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


# ---- TensorBoard --------------------------------------------------------------------------------

def _bitwise_crc32c(data):
    """CRC32C bit by bit (independent of the table-driven implementation)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 * (crc & 1))
    return crc ^ 0xFFFFFFFF


def _unmask(masked):
    rot = (masked - 0xA282EAD8) & 0xFFFFFFFF
    return ((rot << 15) | (rot >> 17)) & 0xFFFFFFFF


def _records(path):
    data = open(path, "rb").read()
    i, out = 0, []
    while i < len(data):
        header = data[i:i + 8]
        length = struct.unpack("<Q", header)[0]
        assert _unmask(struct.unpack("<I", data[i + 8:i + 12])[0]) == _bitwise_crc32c(header)
        payload = data[i + 12:i + 12 + length]
        crc = struct.unpack("<I", data[i + 12 + length:i + 16 + length])[0]
        assert _unmask(crc) == _bitwise_crc32c(payload)
        out.append(payload)
        i += 16 + length
    return out


def _fields(buf):
    """Protobuf wire format -> {field: [values]} (varints, fixed64 bytes, length-delimited)."""
    out, i = {}, 0

    def varint():
        nonlocal i
        result = shift = 0
        while True:
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result
    while i < len(buf):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            value = varint()
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            n = varint()
            value, i = buf[i:i + n], i + n
        out.setdefault(field, []).append(value)
    return out


def _summaries(folder):
    """[(step, tag, plugin, dtype, dims, content)] of the summaries of a run folder."""
    files = os.listdir(folder)
    assert len(files) == 1 and files[0].startswith("events.out.tfevents.")
    records = _records(os.path.join(folder, files[0]))
    first = _fields(records[0])
    assert first[3] == [b"brain.Event:2"]
    out = []
    for record in records[1:]:
        event = _fields(record)
        value = _fields(_fields(event[5][0])[1][0])
        tensor = _fields(value[8][0])
        plugin = _fields(_fields(value[9][0])[1][0])[1][0].decode()
        dims = [_fields(d)[1][0] for d in _fields(tensor[2][0]).get(2, [])]
        content = tensor.get(4, tensor.get(8, [b""]))[0]
        out.append((event.get(2, [0])[0], value[1][0].decode(), plugin, tensor[1][0], dims,
                    content))
    return out


def test_crc32c_and_histogram_buckets():
    assert crc32c(b"123456789") == 0xE3069283 == _bitwise_crc32c(b"123456789")
    np.testing.assert_array_equal(histogram_buckets([0., 1., 2., 3., 10.], 4),
                                  [[0, 2.5, 3], [2.5, 5, 1], [5, 7.5, 0], [7.5, 10, 1]])
    np.testing.assert_array_equal(histogram_buckets([3., 3., 3.], 2), [[3, 3, 0], [3, 3, 3]])
    np.testing.assert_array_equal(histogram_buckets([], 2), np.zeros((2, 3)))


def test_tensorboard_writes_event_files(tmp_path):
    x, y = data()
    model = tiny_model(metrics=["mae"])
    log_dir = str(tmp_path / "logs")
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, validation_data=(x, y),
                        callbacks=[TensorBoard(log_dir, histogram_freq=1)])
    assert sorted(os.listdir(log_dir)) == ["train", "validation"]

    train = _summaries(os.path.join(log_dir, "train"))
    scalars = {(tag, step): struct.unpack("<f", content)[0]
               for step, tag, plugin, dtype, dims, content in train if plugin == "scalars"}
    for epoch in range(2):
        assert scalars[("epoch_loss", epoch)] == np.float32(history.history["loss"][epoch])
        assert scalars[("epoch_mae", epoch)] == np.float32(history.history["mae"][epoch])
        assert scalars[("epoch_learning_rate", epoch)] == np.float32(0.1)
    histograms = [s for s in train if s[2] == "histograms"]
    assert len(histograms) == 4  # kernel and bias, two epochs
    step, tag, _, dtype, dims, content = histograms[0]
    assert (step, tag.endswith("kernel/histogram"), dtype, dims) == (0, True, 2, [30, 3])
    assert np.frombuffer(content, "<f8").reshape(30, 3)[:, 2].sum() == 2  # 2 kernel values
    assert [s[1] for s in train if s[2] == "graph_keras_model"] == ["keras"]

    validation = _summaries(os.path.join(log_dir, "validation"))
    tags = {(tag, step) for step, tag, *_ in validation}
    assert {("evaluation_loss_vs_iterations", 2), ("evaluation_loss_vs_iterations", 4),
            ("epoch_loss", 0), ("epoch_loss", 1), ("epoch_mae", 1)} <= tags
    values = {(tag, step): struct.unpack("<f", c)[0] for step, tag, _, _, _, c in validation}
    assert values[("epoch_loss", 1)] == np.float32(history.history["val_loss"][1])


def test_tensorboard_batch_level_scalars(tmp_path):
    x, y = data()
    log_dir = str(tmp_path / "logs")
    tiny_model().fit(x, y, epochs=1, batch_size=2, verbose=0,
                     callbacks=[TensorBoard(log_dir, update_freq=2, write_graph=False)])
    train = _summaries(os.path.join(log_dir, "train"))
    assert [(tag, step) for step, tag, *_ in train if tag.startswith("batch_")] == [
        ("batch_loss", 2), ("batch_loss", 4)]

