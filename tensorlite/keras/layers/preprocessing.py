"""Preprocessing layers: Normalization (feature-wise standardization learned with `adapt`)."""
import math

import numpy as np

import tensorlite as tf
from tensorlite.keras import backend
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.saving.serialization import register_builtin


@register_builtin("keras.layers")
class Normalization(Layer):
    """Standardizes features: (x - mean) / sqrt(variance), per index of `axis`.

    The statistics are given (`mean=`, `variance=`) or learned from data with
    `adapt(data)` (a NumPy array, a tensor or a dataset of batches).

    >>> norm = tf.keras.layers.Normalization()
    >>> norm.adapt(np.array([[1., 2.], [3., 6.]]))
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be "
                             f"set. Received: mean={mean} and variance={variance}")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True

    def build(self, input_shape):
        if input_shape is None:
            return
        rank = len(input_shape)
        self._keep_axis = tuple(sorted(a % rank for a in self.axis))
        self._reduction_axis = tuple(d for d in range(rank) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1
                                 for d in range(rank)]
        stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=stats_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=stats_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)

    @property
    def mean(self):
        """The mean, shaped to broadcast against inputs."""
        source = self.input_mean if self.input_mean is not None else self.adapt_mean
        return tf.reshape(tf.cast(source, self.compute_dtype), self._broadcast_shape)

    @property
    def variance(self):
        source = self.input_variance if self.input_variance is not None else \
            self.adapt_variance
        return tf.reshape(tf.cast(source, self.compute_dtype), self._broadcast_shape)

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of `data` over all axes but `axis`."""
        if hasattr(data, "__array__") or isinstance(data, (list, tuple)):
            array = np.asarray(data)
            if not self.built:
                self.build(array.shape)
            mean = np.mean(array, axis=self._reduction_axis)
            variance = np.var(array, axis=self._reduction_axis)
            count = math.prod(array.shape[d] for d in self._reduction_axis)
        else:
            mean, variance, count = self._adapt_batches(data, steps)
        self.adapt_mean.assign(np.asarray(mean).reshape(tuple(self.adapt_mean.shape)))
        self.adapt_variance.assign(np.asarray(variance).reshape(
            tuple(self.adapt_variance.shape)))
        self.count.assign(count)

    def _adapt_batches(self, batches, steps):
        """Running mean and variance over batches (each merged by its share of the count)."""
        total_mean = total_var = None
        total_count = 0
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            batch = np.asarray(batch, dtype=np.float64)
            if not self.built:
                self.build(batch.shape)
            batch_mean = np.mean(batch, axis=self._reduction_axis)
            batch_var = np.var(batch, axis=self._reduction_axis)
            batch_count = math.prod(batch.shape[d] for d in self._reduction_axis)
            total_count += batch_count
            if total_mean is None:
                total_mean, total_var = batch_mean, batch_var
                continue
            w = batch_count / total_count
            new_mean = total_mean * (1 - w) + batch_mean * w
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1 - w)
                         + (batch_var + (batch_mean - new_mean) ** 2) * w)
            total_mean = new_mean
        if total_mean is None:
            raise ValueError("`adapt()` received no data.")
        return total_mean, total_var, total_count

    def call(self, inputs):
        if inputs.dtype.name != self.compute_dtype:
            inputs = tf.cast(inputs, self.compute_dtype)
        scale = tf.maximum(tf.sqrt(self.variance), backend.epsilon())
        if self.invert:
            return self.mean + inputs * scale
        return (inputs - self.mean) / scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if v is not None and not isinstance(
                v, (int, float)) else v
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": plain(self.input_mean), "variance": plain(self.input_variance)}
