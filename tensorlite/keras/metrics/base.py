"""Keras 3's streaming metrics: `Metric` (state in variables, `update_state` / `result` /
`reset_state`), `Mean`, `Sum` and `MeanMetricWrapper` (the running mean of a function).

>>> m = tf.keras.metrics.Mean()
>>> m([1., 2., 3.]); m([4.], sample_weight=[2.])
<tf.Tensor: shape=(), dtype=float32, numpy=2.8>
"""
import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.losses.loss import dtype_name, squeeze_or_expand_to_same_rank, to_dtype
from tensorlite.keras.naming import to_snake_case, uniquify
from tensorlite.keras.saving.serialization import (deserialize_keras_object,
                                                   serialize_keras_object)
from tensorlite.keras.variables import Variable


class Metric:
    """Base class of metrics: state lives in variables made by `add_variable`/`add_weight`;
    subclasses implement `update_state(...)` and `result()`.

    Calling a metric updates its state and returns the result so far. A metric
    assigned as an attribute of another one is tracked: its variables are part
    of the outer metric's `variables` and are reset with them.
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self._dtype = dtype_name(dtype)
        self._variables = []
        self.__dict__.setdefault("_metrics", [])

    def __setattr__(self, name, value):
        if isinstance(value, Metric):
            self.__dict__.setdefault("_metrics", []).append(value)
        elif isinstance(value, Variable) and "_variables" in self.__dict__ \
                and not any(value is v for v in self._variables):
            self._variables.append(value)
        object.__setattr__(self, name, value)

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        """The metric's variables, then those of the metrics it holds."""
        found = list(self._variables)
        for metric in self._metrics:
            found.extend(v for v in metric.variables if not any(v is f for f in found))
        return found

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """A non-trainable variable named "<metric name>/<name>" (`initializer` may be a
        name such as "zeros", an initializer or a callable `(shape, dtype)`)."""
        self._check_super_called()
        from tensorlite.keras import initializers
        initializer = initializers.get("zeros" if initializer is None else initializer)
        # An absolute scope: a metric's variables are "metric/var" wherever it is created.
        with tf.name_scope(self.name.replace("/", ">") + "/"):
            variable = Variable(initializer, shape=shape, dtype=dtype or backend.floatx(),
                                trainable=False, aggregation=aggregation,
                                name=name or uniquify("variable"))
        self._variables.append(variable)
        return variable

    def add_weight(self, *args, **kwargs):
        """`add_weight(shape=(), initializer=None, dtype=None, name=None)` (Keras 3); Keras 2's
        positional `add_weight(name, shape, ...)` is accepted too. The initializer
        defaults to zeros."""
        order = ("name", "shape") if args and isinstance(args[0], str) else \
            ("shape", "initializer", "dtype", "name")
        if len(args) > len(order):
            raise TypeError(f"add_weight() takes at most {len(order)} positional arguments "
                            f"({len(args)} given)")
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"add_weight() got multiple values for argument '{key}'")
            kwargs[key] = value
        kwargs.pop("synchronization", None)  # Keras 2 argument; metric state is local here
        kwargs.setdefault("shape", ())
        kwargs.setdefault("initializer", None)
        return self.add_variable(**kwargs)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        """Sets every variable (including those of held metrics) back to zero."""
        for variable in self.variables:
            variable.assign(tf.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self):
        """The Keras 2 name of `reset_state`."""
        self.reset_state()

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` "
                               "method. Go add it!")

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weighted per-sample values, and per-sample weights, as Keras's Mean/Sum use them.

    Values with more axes than the weights are first reduced (by `reduce_fn`) down
    to the weights' rank, then multiplied by the (broadcast) weights; finally
    everything is reduced to one value (and one weight) per sample.
    """
    values = to_dtype(values, dtype)
    if sample_weight is not None:
        sample_weight = to_dtype(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, values_rank = sample_weight.shape.rank, values.shape.rank
        if values_rank > weight_rank:
            values = reduce_fn(values, axis=list(range(weight_rank, values_rank)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_rank)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


class Sum(Metric):
    """The running (weighted) sum of the values given to `update_state`."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, tf.reduce_sum,
                                                self.dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def result(self):
        return tf.identity(self.total)


class Mean(Metric):
    """The running (weighted) mean of the values given to `update_state`:
    sum(values * weights) / sum(weights), over every update since the last reset."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight,
                                                            tf.reduce_mean, self.dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            num_samples = tf.reduce_sum(sample_weight)
        else:
            num_samples = tf.cast(tf.size(values), self.dtype)  # values has rank <= 1 here
        self.count.assign_add(num_samples)

    def result(self):
        return tf.math.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The running mean of `fn(y_true, y_pred, **kwargs)` (per-sample values), weighted
    by `sample_weight`: how Keras tracks a function given as a metric."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = y_true if isinstance(y_true, tf.Tensor) else tf.convert_to_tensor(y_true)
        y_pred = y_pred if isinstance(y_pred, tf.Tensor) else tf.convert_to_tensor(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        if type(self) is MeanMetricWrapper:  # built-in subclasses know their function
            config["fn"] = serialize_keras_object(self._fn)
        config.update(serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = {**config, "fn": deserialize_keras_object(config["fn"])}
        return cls(**config)
