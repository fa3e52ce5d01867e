"""keras.metrics: streaming values over two updates with sample weights and resets (hand-
computed, or printed by TensorFlow 2.21 / Keras 3.15 where noted), the Metric protocol,
names, configs, get/serialize/deserialize."""
import numpy as np
import pytest

import tensorlite as tf
from support import assert_tensor

M = tf.keras.metrics


@pytest.fixture(autouse=True)
def _fresh_names():
    tf.keras.backend.clear_session()


def stream(metric, *updates):
    """The metric's value after each update, then after a reset (as lists)."""
    values = [np.asarray(metric(*args)).tolist() for args in updates]
    assert np.allclose(np.asarray(metric.result()), values[-1])
    metric.reset_state()
    values.append(np.asarray(metric.result()).tolist())
    return values


def assert_stream(metric, updates, expected, rtol=1e-6):
    got = stream(metric, *updates)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=rtol, atol=1e-7)


# ---- the Metric protocol ----------------------------------------------------------------

def create_huber(threshold=1.0):
    def huber_fn(y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < threshold
        squared_loss = tf.square(error) / 2
        linear_loss = threshold * tf.abs(error) - threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)
    return huber_fn


class HuberMetric(M.Metric):
    """The book's streaming metric (chapter 12)."""

    def __init__(self, threshold=1.0, **kwargs):
        super().__init__(**kwargs)
        self.threshold = threshold
        self.huber_fn = create_huber(threshold)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        sample_metrics = self.huber_fn(y_true, y_pred)
        self.total.assign_add(tf.reduce_sum(sample_metrics))
        self.count.assign_add(tf.cast(tf.size(y_true), tf.float32))

    def result(self):
        return self.total / self.count

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


class HuberMean(M.Mean):
    """The book's Mean-based version, with sample weights."""

    def __init__(self, threshold=1.0, name="HuberMetric", dtype=None):
        self.threshold = threshold
        self.huber_fn = create_huber(threshold)
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self.huber_fn(y_true, y_pred), sample_weight)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


def test_book_huber_metric():
    m = HuberMetric(2.)
    assert float(m(tf.constant([[2.]]), tf.constant([[10.]]))) == 14.  # 2 * 8 - 2
    # total = 14 + 0.5 + (2 * 4.25 - 2) = 21, count = 3
    assert float(m(tf.constant([[0.], [5.]]), tf.constant([[1.], [9.25]]))) == 7.
    assert float(m.result()) == 7.
    assert repr(m.variables) == (
        "[<Variable path=huber_metric/total, shape=(), dtype=float32, value=21.0>, "
        "<Variable path=huber_metric/count, shape=(), dtype=float32, value=3.0>]")
    m.reset_state()
    assert [float(v) for v in m.variables] == [0., 0.]
    assert m.name == "huber_metric"
    assert sorted(m.get_config().items()) == [("dtype", "float32"), ("name", "huber_metric"),
                                              ("threshold", 2.0)]
    assert HuberMetric().name == "huber_metric_1"


def test_book_mean_based_huber_metric():
    m = HuberMean(2.)
    assert float(m(tf.constant([[2.]]), tf.constant([[10.]]))) == 14.
    # total = 14 + 1 * 0.5 + 3 * 6.5 = 34, count = 1 + 1 + 3 = 5
    assert np.isclose(float(m(tf.constant([[0.], [5.]]), tf.constant([[1.], [9.25]]),
                              sample_weight=tf.constant([1., 3.]))), 6.8)
    assert [(v.path, float(v)) for v in m.variables] == [("HuberMetric/total", 34.),
                                                          ("HuberMetric/count", 5.)]
    assert m.get_config() == {"name": "HuberMetric", "dtype": "float32", "threshold": 2.0}


class Counters(M.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a = self.add_weight("a", (2,), initializer="ones")  # Keras 2's positional form
        self.b = self.add_weight(name="b", initializer="zeros", dtype="int32")
        self.c = self.add_variable((3,), "zeros", name="c")
        self.d = self.add_weight(shape=(2,), initializer=tf.keras.initializers.Constant(3.))
        self.e = self.add_weight()

    def update_state(self, x):
        self.b.assign_add(x)

    def result(self):
        return tf.identity(self.b)


def test_add_weight_forms_and_variable_paths():
    m = Counters()
    assert [(v.path, v.dtype, tuple(v.shape), np.asarray(v).tolist())
            for v in m.variables] == [
        ("counters/a", "float32", (2,), [1., 1.]), ("counters/b", "int32", (), 0),
        ("counters/c", "float32", (3,), [0., 0., 0.]),
        ("counters/variable", "float32", (2,), [3., 3.]),
        ("counters/variable_1", "float32", (), 0.)]
    assert not any(v.trainable for v in m.variables)
    assert int(m(3)) == 3 and int(m(4)) == 7
    m.reset_states()  # Keras 2's name; resets to zeros whatever the initializer
    assert [np.asarray(v).tolist() for v in m.variables] == [[0., 0.], 0, [0., 0., 0.],
                                                            [0., 0.], 0.]
    assert Counters(name="my/metric").variables[0].path == "my>metric/a"
    with pytest.raises(TypeError, match="multiple values for argument 'initializer'"):
        Counters().add_weight((2,), "zeros", initializer="ones")


def test_variables_ignore_outer_name_scopes():
    with tf.name_scope("outer"):
        m = M.Mean()
    assert [v.path for v in m.variables] == ["mean/total", "mean/count"]


def test_metric_base_behaviour():
    m = M.Metric(dtype="float64")
    assert (m.name, m.dtype, repr(m), str(m)) == ("metric", "float64", "<Metric name=metric>",
                                                  "<Metric name=metric>")
    assert M.Metric().name == "metric_1"
    with pytest.raises(NotImplementedError):
        m.result()
    with pytest.raises(NotImplementedError):
        m.update_state()

    class NoSuper(M.Metric):
        def __init__(self):
            self.x = 1

    with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
        NoSuper().add_weight(name="x")
    clone = Counters.from_config({"name": "q", "dtype": "float32"})
    assert clone.name == "q" and clone.get_config() == {"name": "q", "dtype": "float32"}


def test_held_metrics_are_tracked():
    class Outer(M.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = M.Mean(name="inner")
            self.t = self.add_weight(name="t")

        def update_state(self, x):
            self.inner.update_state(x)

        def result(self):
            return self.inner.result()

    m = Outer()
    assert [v.path for v in m.variables] == ["outer/t", "inner/total", "inner/count"]
    assert float(m(3.)) == 3.
    m.reset_state()
    assert float(m.result()) == 0.


# ---- Mean, Sum, MeanMetricWrapper --------------------------------------------------------

def test_mean():
    assert_stream(M.Mean(), [([1., 2., 3.],), ([4.], [2.])], [2., 14 / 5, 0.])
    # 2-D values and weights: per-sample weighted means, divided by per-sample mean weights
    assert_stream(M.Mean(), [([[1., 2.], [3., 5.]], [[1., 0.], [1., 1.]]),
                             ([[4., 6.]], [0.5])],
                  [(0.5 + 4) / (0.5 + 1), (4.5 + 0.5 * 5) / (1.5 + 0.5), 0.])
    assert_stream(M.Mean(), [([[1., 2.], [3., 5.]], [1., 2.])], [(1.5 + 8) / 3, 0.])
    assert_stream(M.Mean(), [(5.,), (7., 3.)], [5., (5 + 21) / 4, 0.])
    assert_stream(M.Mean(), [([1., 2.], [0., 0.])], [0., 0.])
    assert_tensor(M.Mean()(np.zeros((0,), "float32")), 0.)


def test_mean_of_sequences_with_weights():
    values = np.arange(12.).reshape(2, 3, 2)
    weights = np.array([[1., 3., 0.], [1., 1., 1.]])
    per_step = values.mean(-1) * weights
    expected = per_step.mean(-1).sum() / weights.mean(-1).sum()
    assert_tensor(M.Mean()(values, weights), expected, "float32")
    assert_tensor(M.Mean()(values, weights[..., None]), expected, "float32")
    assert_tensor(M.Mean()(values, [1., 3.]), (2.5 + 3 * 8.5) / 4, "float32")
    assert_tensor(M.Mean()(np.arange(6.).reshape(2, 3), [[2.]]), 2.5, "float32")


def test_sum_and_dtypes():
    assert_stream(M.Sum(), [([[1., 2.], [3., 5.]], [1., 2.]), (4.,)], [19., 23., 0.])
    assert_tensor(M.Sum()(np.arange(12.).reshape(2, 3, 2), [[1., 3., 0.], [1., 1., 1.]]),
                  67., "float32")
    assert_tensor(M.Mean(dtype="float64")([1, 2]), 1.5, "float64")
    assert M.Mean(dtype=tf.float64).dtype == "float64"
    assert [v.path for v in M.Sum().variables] == ["sum/total"]


def test_mean_metric_wrapper():
    m = M.MeanMetricWrapper(M.mean_squared_error)
    assert m.name == "mean_metric_wrapper"
    assert_stream(m, [([[0., 1.]], [[1., 1.]]), ([[2., 2.]], [[0., 0.]], [3.])],
                  [0.5, (0.5 + 12) / 4, 0.])
    config = M.MeanMetricWrapper(M.binary_accuracy, name="ba", threshold=0.7).get_config()
    assert config["name"] == "ba" and config["threshold"] == 0.7
    assert config["fn"]["config"] == "binary_accuracy"
    clone = M.MeanMetricWrapper.from_config(config)
    assert clone._fn is M.binary_accuracy
    assert float(clone([1., 1.], [0.6, 0.8])) == 0.5
    assert float(M.MeanMetricWrapper(lambda a, b: a - b)([3.], [1.])) == 2.


# ---- regression ---------------------------------------------------------------------------

def test_regression_metrics():
    first = ([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    second = ([[1, 1], [0, 0]], [[1, 1], [1, 0]], [1, 0])
    # per-sample squared (= absolute) errors: [0.5, 0], then [0, 0.5] weighted [1, 0]
    assert_stream(M.MeanSquaredError(), [first, second], [0.25, 0.5 / 3, 0.])
    assert_stream(M.MeanAbsoluteError(), [first, second], [0.25, 0.5 / 3, 0.])
    assert_stream(M.RootMeanSquaredError(), [first, second], [0.5, np.sqrt(0.5 / 3), 0.])
    t, p = np.array([[1., 2.], [4., 1.]]), np.array([[1.5, 2.], [3., 0.5]])
    assert_tensor(M.MeanAbsolutePercentageError()(t, p),
                  100 * (np.abs(t - p) / t).mean(), "float32")
    assert_tensor(M.MeanSquaredLogarithmicError()(t, p),
                  ((np.log1p(p) - np.log1p(t)) ** 2).mean(), "float32")
    assert_tensor(M.LogCoshError()(t, p), np.log(np.cosh(p - t)).mean(), "float32")
    cosine = (t * p).sum(-1) / np.linalg.norm(t, axis=-1) / np.linalg.norm(p, axis=-1)
    assert_tensor(M.CosineSimilarity()(t, p), cosine.mean(), "float32")
    assert_tensor(M.CosineSimilarity(axis=0)(t, p), ((t * p).sum(0) / np.linalg.norm(
        t, axis=0) / np.linalg.norm(p, axis=0)).mean(), "float32")


def test_probabilistic_metrics():
    # printed by Keras 3.15
    assert_stream(M.BinaryCrossentropy(),
                  [([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]),
                   ([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0])],
                  [0.8149245, 0.8487132, 0.])
    probs = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    assert_stream(M.CategoricalCrossentropy(),
                  [([[0, 1, 0], [0, 0, 1]], probs), ([[0, 1, 0], [0, 0, 1]], probs, [0.3, 0.7])],
                  [1.1769392, 1.3270254, 0.])
    assert_stream(M.SparseCategoricalCrossentropy(),
                  [([1, 2], probs), ([1, 2], probs, [0.3, 0.7])], [1.1769392, 1.3270254, 0.])
    t, p = np.array([[0.2, 0.8]]), np.array([[0.5, 0.5]])
    assert_tensor(M.KLDivergence()(t, p), (t * np.log(t / p)).sum(), "float32")
    assert_tensor(M.Poisson()(t, p), (p - t * np.log(p + 1e-7)).mean(), "float32")
    h = np.array([[1., -1.]]), np.array([[0.3, 0.4]])
    assert_tensor(M.Hinge()(*h), (0.7 + 1.4) / 2, "float32")
    assert_tensor(M.SquaredHinge()(*h), (0.49 + 1.96) / 2, "float32")
    assert_tensor(M.CategoricalHinge()([[0., 1.]], [[0.3, 0.4]]), 0.9, "float32")


# ---- accuracy -----------------------------------------------------------------------------

def test_accuracy_functions():
    assert_tensor(M.binary_accuracy([[1., 0.], [0., 1.]], [[0.6, 0.4], [0.5, 0.7]]),
                  [[1., 1.], [1., 1.]], "float32")
    assert_tensor(M.binary_accuracy([1, 0, 1], [0.6, 0.4, 0.3], threshold=0.25),
                  [1., 0., 1.], "float32")
    assert_tensor(M.binary_accuracy(tf.constant([[1.], [0.]]), tf.constant([0.6, 0.7])),
                  [[1.], [0.]], "float32")
    assert_tensor(M.categorical_accuracy([[0, 0, 1], [0, 1, 0]],
                                         [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]), [1., 0.])
    # ties go to the first class, as argmax does
    assert_tensor(M.categorical_accuracy([[0, 0, 1], [0, 1, 0]],
                                         [[0.4, 0.2, 0.4], [0.3, 0.3, 0.2]]), [0., 0.])
    probs = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]
    for labels in ([2, 1], [2., 1.], [[2], [1]]):
        assert_tensor(M.sparse_categorical_accuracy(labels, probs), [1., 0.], "float32")
    assert_tensor(M.sparse_categorical_accuracy([[2, 1]], [probs]), [[1., 0.]], "float32")


def test_top_k_accuracy_functions():
    probs = tf.constant([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])
    assert_tensor(M.top_k_categorical_accuracy([[0, 0, 1.], [0, 1., 0]], probs, k=1), [1., 0.])
    assert_tensor(M.top_k_categorical_accuracy([[0, 0, 1.], [0, 0, 1.]], probs, k=2), [1., 0.])
    assert_tensor(M.top_k_categorical_accuracy([[0, 0, 1.], [0, 0, 1.]], probs), [1., 1.])
    assert_tensor(M.sparse_top_k_categorical_accuracy([2, 2], probs, k=2), [1., 0.])
    assert_tensor(M.sparse_top_k_categorical_accuracy([[2], [2]], probs, k=2), [[1.], [0.]])
    # classes tied at the boundary all count as in the top k
    assert_tensor(M.sparse_top_k_categorical_accuracy(
        [0, 2], [[0.3, 0.3, 0.3], [0.5, 0.3, 0.3]], k=2), [1., 1.])
    assert_tensor(M.sparse_top_k_categorical_accuracy(
        [0, 2], [[0, 1], [1, 0]], k=2, from_sorted_ids=True), [1., 0.])
    assert_tensor(M.sparse_top_k_categorical_accuracy(
        [[0, 2]], [[[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]]], k=1), [[0., 1.]])


def test_accuracy_metrics_stream_with_weights():
    assert_stream(M.Accuracy(), [([[1], [2], [3], [4]], [[0], [2], [3], [4]]),
                                 ([1, 2], [1, 2], [0.5, 1])], [0.75, 4.5 / 5.5, 0.])
    binary = ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert_stream(M.BinaryAccuracy(), [binary, binary + ([1, 0, 0, 1],)], [0.75, 4 / 6, 0.])
    assert_stream(M.BinaryAccuracy(threshold=0.7),
                  [([[1, 0], [1, 1]], [[0.8, 0.1], [0.6, 0.9]])], [0.75, 0.])
    onehot, probs = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    # one right of two, then the right one weighted 0.3 of 1: (1 + 0.3) / (2 + 1)
    for metric, labels in ((M.CategoricalAccuracy(), onehot),
                           (M.SparseCategoricalAccuracy(), [[2], [1]]),
                           (M.TopKCategoricalAccuracy(k=1), onehot),
                           (M.SparseTopKCategoricalAccuracy(k=1), [2, 1])):
        assert_stream(metric, [(labels, probs), (labels, probs, [0.7, 0.3])],
                      [0.5, 1.3 / 3, 0.])


# ---- confusion-matrix metrics ----------------------------------------------------------------

def test_book_precision():
    precision = M.Precision()
    assert float(precision([0, 1, 1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 0, 1, 0, 1])) == \
        np.float32(0.8)                                     # TP = 4, FP = 1
    assert float(precision([0, 1, 0, 0, 1, 0, 1, 1], [1, 0, 1, 1, 0, 0, 0, 0])) == 0.5
    assert float(precision.result()) == 0.5                 # TP = 4, FP = 4
    assert repr(precision.variables) == (
        "[<Variable path=precision/true_positives, shape=(1,), dtype=float32, value=[4.]>, "
        "<Variable path=precision/false_positives, shape=(1,), dtype=float32, value=[4.]>]")
    precision.reset_state()
    assert float(precision.result()) == 0.
    assert [np.asarray(v).tolist() for v in precision.variables] == [[0.], [0.]]
    assert precision.name == "precision" and M.Precision().name == "precision_1"


def test_precision_and_recall():
    y, p = [0, 1, 1, 1], [1, 0, 1, 1]
    assert_stream(M.Precision(), [(y, p), (y, p, [0, 0, 1, 0])], [2 / 3, 3 / 4, 0.])
    assert_stream(M.Recall(), [(y, p), (y, p, [0, 0, 1, 0])], [2 / 3, 3 / 4, 0.])
    scores, weights = [0.9, 0.2, 0.5, 0.85], [1, 2, 3, 4]
    # at 0.3: TP 2 FP 1, then + TP 3+4 FP 1; at 0.8: TP 1 FP 1, then + TP 4 FP 1
    assert_stream(M.Precision(thresholds=[0.3, 0.8]), [(y, scores), (y, scores, weights)],
                  [[2 / 3, 1 / 2], [9 / 11, 5 / 7], [0., 0.]])
    assert_stream(M.Precision(thresholds=0.3), [(y, scores)], [2 / 3, 0.])
    assert_stream(M.Precision(), [([False, True, True], [True, True, False])], [0.5, 0.])
    recall_2d = ([[0, 1], [1, 1]], [[1, 0], [1, 1]])
    assert_stream(M.Recall(), [recall_2d, recall_2d + ([[0.5], [2]],)], [2 / 3, 4 / 5, 0.])
    assert_stream(M.Recall(), [recall_2d + ([0.5, 2],)], [4 / 4.5, 0.])
    assert_stream(M.Recall(), [recall_2d + ([[0.5, 1], [2, 3]],)], [5 / 6, 0.])
    assert [v.name for v in M.Recall().variables] == ["true_positives", "false_negatives"]


def test_precision_top_k_and_class_id():
    assert_stream(M.Precision(top_k=2), [([[0, 0, 1, 1]], [[1, 1, 0, 0]])], [0., 0.])
    assert_stream(M.Precision(top_k=2), [([[0, 0, 1, 1], [1, 0, 0, 1]],
                                          [[0.2, 0.9, 0.7, 0.4], [0.5, 0.4, 0.45, 0.1]])],
                  [0.5, 0.])
    # ties: the first of equal scores is in the top 1, as with tf.math.top_k
    assert_stream(M.Precision(top_k=1), [([[0, 1, 0], [1, 0, 0]],
                                          [[0.2, 0.5, 0.5], [0.6, 0.6, 0.1]])], [1., 0.])
    y = [[0, 0, 1], [0, 1, 0], [0, 0, 1]]
    p = [[0.2, 0.9, 0.7], [0.1, 0.2, 0.8], [0.1, 0.2, 0.3]]
    assert_stream(M.Precision(class_id=2), [(y, p)], [0.5, 0.])
    assert_stream(M.Precision(class_id=2, top_k=1), [(y, p)], [0.5, 0.])
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D"):
        M.Precision(class_id=2)([0, 1], [0.2, 0.4])


def test_condition_counts():
    y, p = [0, 1, 1, 1], [1, 0, 1, 1]
    assert_stream(M.TruePositives(), [(y, p), (y, p, [0, 0, 1, 0])], [2., 3., 0.])
    y, p = [0, 1, 0, 0], [0.2, 0., 0.7, 0.05]
    assert_stream(M.TrueNegatives(thresholds=[0.1, 0.5]), [(y, p)], [[1., 2.], [0., 0.]])
    assert_stream(M.FalsePositives(), [(y, p)], [1., 0.])
    assert_stream(M.FalseNegatives(), [(y, p)], [1., 0.])
    assert [v.path for v in M.TruePositives().variables] == ["true_positives_1/accumulator"]
    assert M.FalsePositives(thresholds=[0.2]).get_config() == {
        "name": "false_positives_1", "dtype": "float32", "thresholds": [0.2]}


def test_threshold_errors():
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]. "
                                         r"Received: \[1.5, -1\]"):
        M.Precision(thresholds=[0.5, 1.5, -1])


def np_roc_auc(y, p, w, num_thresholds):
    """The trapezoid area under the thresholded ROC curve, in NumPy."""
    inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    thresholds = np.array([-1e-7] + inner + [1 + 1e-7], "float32")
    pos = p[None, :] > thresholds[:, None]
    tp, fp = (pos * (y == 1) * w).sum(1), (pos * (y == 0) * w).sum(1)
    fn, tn = ((~pos) * (y == 1) * w).sum(1), ((~pos) * (y == 0) * w).sum(1)
    tpr, fpr = tp / (tp + fn), fp / (fp + tn)
    return ((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2).sum()


Y = np.array([0, 0, 1, 1, 0, 1, 0, 1, 1, 0], "float32")
SCORES = np.array([0.1, 0.4, 0.35, 0.8, 0.6, 0.9, 0.05, 0.3, 0.65, 0.5], "float32")
W = np.array([1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2], "float32")


@pytest.mark.parametrize("kwargs, expected", [
    # printed by Keras 3.15: after the first six samples, then after the weighted rest
    ({}, [0.7777778, 0.8]),
    ({"num_thresholds": 3}, [0.6666666, 0.7375]),
    ({"num_thresholds": 7}, [0.8333334, 0.8250000]),
    ({"curve": "PR"}, [0.8512377, 0.7989485]),
    ({"curve": "pr", "num_thresholds": 5}, [0.8759022, 0.8201389]),
    ({"summation_method": "minoring"}, [0.7777778, 0.8]),
    ({"summation_method": "majoring", "curve": "PR"}, [0.8666667, 0.8111112]),
    ({"thresholds": [0.3, 0.5, 0.7]}, [0.8333334, 0.775]),
    ({"from_logits": True}, [0.7777778, 0.8]),
])
def test_auc(kwargs, expected):
    assert_stream(M.AUC(**kwargs), [(Y[:6], SCORES[:6]), (Y[6:], SCORES[6:], W[6:])],
                  expected + [0.], rtol=2e-6)


def test_auc_against_numpy():
    m = M.AUC(num_thresholds=50)
    assert_tensor(m(Y, SCORES, W), np_roc_auc(Y, SCORES, W, 50), rtol=1e-5)
    assert float(M.AUC()([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])) == 1.0
    assert float(M.AUC()([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])) == 0.0


def test_auc_multi_label():
    y = np.array([[0, 1], [1, 1], [0, 0], [1, 0], [1, 1]], "float32")
    p = np.array([[0.2, 0.6], [0.7, 0.4], [0.1, 0.3], [0.8, 0.55], [0.45, 0.9]], "float32")
    # printed by Keras 3.15
    assert_stream(M.AUC(multi_label=True, num_thresholds=4), [(y[:3], p[:3]), (y[3:], p[3:])],
                  [1.0, 0.9166667, 0.])
    assert_stream(M.AUC(multi_label=True, num_thresholds=4, label_weights=[0.3, 0.7]),
                  [(y[:3], p[:3]), (y[3:], p[3:])], [1.0, 0.8833334, 0.])
    assert_stream(M.AUC(num_thresholds=4, label_weights=[0.3, 0.7]),
                  [(y[:3], p[:3]), (y[3:], p[3:])], [1.0, 0.9008333, 0.])
    assert_stream(M.AUC(num_thresholds=4), [(y[:3], p[:3]), (y[3:], p[3:])], [1.0, 0.9375, 0.])
    lazy = M.AUC(multi_label=True)
    assert lazy.variables == []
    lazy(y, p)
    assert [(v.path, tuple(v.shape)) for v in lazy.variables] == [
        ("auc_4/true_positives", (200, 2)), ("auc_4/false_positives", (200, 2)),
        ("auc_4/true_negatives", (200, 2)), ("auc_4/false_negatives", (200, 2))]
    assert tuple(M.AUC(multi_label=True, num_labels=3).variables[0].shape) == (200, 3)


def test_auc_arguments_and_config():
    m = M.AUC()
    assert m.name == "auc" and len(m.thresholds) == 200
    assert np.allclose(M.AUC(num_thresholds=5).thresholds,
                       [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7])
    assert M.AUC(thresholds=[0.6, 0.3]).thresholds[1:3] == [0.3, 0.6]
    assert m.get_config() == {"name": "auc", "dtype": "float32", "num_thresholds": 200,
                              "curve": "ROC", "summation_method": "interpolation",
                              "multi_label": False, "num_labels": None, "label_weights": None,
                              "from_logits": False}
    config = M.AUC(thresholds=[0.6, 0.3], curve="pr", label_weights=[1., 2.]).get_config()
    assert (config["thresholds"], config["num_thresholds"], config["curve"],
            config["label_weights"]) == ([0.3, 0.6], 4, "PR", [1., 2.])
    clone = M.AUC.from_config(config)
    assert clone.thresholds == M.AUC(thresholds=[0.3, 0.6]).thresholds
    for kwargs, message in (({"curve": "xx"}, 'Invalid AUC curve value: "xx"'),
                            ({"summation_method": "MINORING"},
                             "Invalid AUC summation method value"),
                            ({"num_thresholds": 1}, "must be an integer > 1"),
                            ({"num_labels": 3}, "`num_labels` is needed only when")):
        with pytest.raises(ValueError, match=message):
            M.AUC(**kwargs)
    with pytest.raises(ValueError, match="`y_pred` must have rank 2 when `multi_label=True`"):
        M.AUC(multi_label=True)([0., 1.], [0.2, 0.9])


# ---- names, configs, get, serialization ---------------------------------------------------

def test_default_names_and_configs():
    assert [cls().name for cls in (M.Precision, M.Recall, M.AUC, M.Mean, M.Sum, M.Accuracy,
                                   M.LogCoshError, M.KLDivergence)] == [
        "precision", "recall", "auc", "mean", "sum", "accuracy", "logcosh", "kl_divergence"]
    assert M.Mean().name == "mean"  # an explicit default is not made unique
    assert M.BinaryAccuracy().get_config() == {"name": "binary_accuracy", "dtype": "float32",
                                               "threshold": 0.5}
    assert M.TopKCategoricalAccuracy().get_config()["k"] == 5
    assert M.SparseTopKCategoricalAccuracy().get_config() == {
        "name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 5}
    assert M.SparseTopKCategoricalAccuracy(from_sorted_ids=True).get_config()["from_sorted_ids"]
    assert M.CosineSimilarity(axis=0).get_config() == {"name": "cosine_similarity",
                                                       "dtype": "float32"}
    assert M.MeanSquaredError().get_config() == {"name": "mean_squared_error",
                                                 "dtype": "float32"}
    assert M.CategoricalCrossentropy().get_config() == {
        "name": "categorical_crossentropy", "dtype": "float32", "from_logits": False,
        "label_smoothing": 0, "axis": -1}
    assert M.Recall(thresholds=[0.2, 0.5], class_id=1).get_config() == {
        "name": "recall_1", "dtype": "float32", "thresholds": [0.2, 0.5], "top_k": None,
        "class_id": 1}
    for cls in (M.Precision, M.BinaryAccuracy, M.SparseCategoricalCrossentropy, M.Mean):
        config = cls(name="x").get_config()
        assert cls.from_config(config).get_config() == config


def test_functions_are_shared_with_losses():
    assert M.mean_squared_error is tf.keras.losses.mean_squared_error
    assert M.binary_crossentropy is tf.keras.losses.binary_crossentropy
    assert M.mse is M.mean_squared_error and M.kld is M.kl_divergence


def test_get():
    for name, cls in (("accuracy", M.Accuracy), ("mse", M.MeanSquaredError),
                      ("mae", M.MeanAbsoluteError), ("AUC", M.AUC), ("auc", M.AUC),
                      ("precision", M.Precision), ("bce", M.BinaryCrossentropy),
                      ("sparse_categorical_accuracy", M.SparseCategoricalAccuracy),
                      ("binary_accuracy", M.BinaryAccuracy), ("Mean", M.Mean)):
        assert type(M.get(name)) is cls, name
    assert M.get(M.binary_accuracy) is M.binary_accuracy
    metric = M.Recall()
    assert M.get(metric) is metric and M.get(None) is None
    assert isinstance(M.get(M.Precision), M.Precision)
    assert M.get(M.serialize(M.Precision(thresholds=[0.3, 0.6]))).thresholds == [0.3, 0.6]
    for bad in ("acc", "huber", 3):
        with pytest.raises(ValueError, match=f"Could not interpret metric identifier: {bad}"):
            M.get(bad)


def test_serialize_deserialize():
    config = M.serialize(M.Precision(thresholds=[0.3, 0.6]))
    assert (config["module"], config["class_name"]) == ("keras.metrics", "Precision")
    assert config["config"] == {"name": "precision", "dtype": "float32",
                                "thresholds": [0.3, 0.6], "top_k": None, "class_id": None}
    restored = M.deserialize(config)
    assert isinstance(restored, M.Precision) and restored.get_config() == config["config"]
    assert isinstance(M.deserialize("accuracy"), M.Accuracy)
    m = M.deserialize(M.serialize(HuberMetric(3.)), custom_objects={"HuberMetric": HuberMetric})
    assert isinstance(m, HuberMetric) and m.threshold == 3.0


def test_metrics_and_losses_trace_with_unknown_batch_size():
    auc, mean, recall = M.AUC(), M.Mean(), M.Recall(class_id=1)
    top1, rmse = M.SparseTopKCategoricalAccuracy(k=1), M.RootMeanSquaredError()
    scce = tf.keras.losses.SparseCategoricalCrossentropy(ignore_class=1)
    spec = [tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32),
            tf.TensorSpec([None], tf.int32), tf.TensorSpec([None, 3], tf.float32),
            tf.TensorSpec([None], tf.float32)]

    @tf.function(input_signature=spec)
    def step(y, scores, labels, probs, w):
        auc.update_state(y, scores, w)
        mean.update_state(scores, w)
        top1.update_state(labels, probs, w)
        recall.update_state(tf.one_hot(labels, 3), probs, w)
        rmse.update_state(y, scores, w)
        return scce(labels, probs, w)

    probs = [[0.5, 0.2, 0.3], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]
    loss = step(tf.constant([0., 1., 1.]), tf.constant([0.2, 0.7, 0.4]), tf.constant([0, 2, 1]),
                tf.constant(probs), tf.constant([1., 2., 0.5]))
    # printed by TensorFlow 2.21 for the same traced step
    np.testing.assert_allclose(float(loss), 0.5697171, rtol=1e-6)
    np.testing.assert_allclose([float(m.result()) for m in (auc, mean, top1, recall, rmse)],
                               [1.0, 0.5142857, 0.8571429, 0.0, 0.3380617], rtol=1e-6)
