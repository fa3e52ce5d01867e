"""Parsing serialized protobufs: `tf.io.parse_single_example`, `parse_example`,
`parse_single_sequence_example` with `FixedLenFeature`, `VarLenFeature` and
`FixedLenSequenceFeature`; `tf.io.serialize_tensor` / `parse_tensor` (TensorProto bytes).

A feature description maps keys to features. A `FixedLenFeature` gives a dense
tensor (batch shape + its shape), a `VarLenFeature` a `SparseTensor` whose last
dimension indexes the values of the feature, a `FixedLenSequenceFeature` a dense
tensor padded along a leading dimension of unknown length.
"""
import collections

import numpy as np
from google.protobuf.message import DecodeError

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.context import init_scope
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor_shape import TensorShape, as_shape
from tensorlite.ops._helpers import to_tensor
from tensorlite.structures.sparse import SparseTensor
from tensorlite.train._protos import Example, SequenceExample, TensorProto

_PARSE_DTYPES = (_dtypes.float32, _dtypes.int64, _dtypes.string)
# a feature's kind in the protobuf, and TensorFlow's short name, per parsed dtype
_KINDS = {_dtypes.float32: ("float_list", "float"), _dtypes.int64: ("int64_list", "int64"),
          _dtypes.string: ("bytes_list", "string")}
_KIND_NAMES = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


class FixedLenFeature(collections.namedtuple("FixedLenFeature",
                                             ["shape", "dtype", "default_value"])):
    """A feature with a fixed number of values, parsed to a dense tensor of `shape`.

    >>> tf.io.FixedLenFeature([], tf.int64, default_value=0)

    Without a `default_value` the feature is required in every example.
    """

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature with any number of values, parsed to a `SparseTensor`."""


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """A list of values of `shape` each, parsed to a dense tensor [n] + shape (padded
    with `default_value` across a batch). `allow_missing`: a missing feature is empty."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


# ---- feature descriptions -----------------------------------------------------------------

def _parse_dtype(dtype, key):
    dtype = _dtypes.as_dtype(dtype)
    if dtype not in _PARSE_DTYPES:
        raise errors.InvalidArgumentError(
            None, None, f"Value for attr 'Tdense' of {dtype.name} is not in the list of "
                        f"allowed values: float, int64, string (feature '{key}')")
    return dtype


def _default_array(feature, dtype, shape, key):
    """The default value of a dense feature as an array of `shape` (None: required)."""
    if feature.default_value is None:
        return None
    with init_scope():  # a constant of the description, also while a function is traced
        value = np.asarray(to_tensor(feature.default_value, dtype=dtype).numpy())
    if dtype is _dtypes.string:
        value = value.astype(object)
    if isinstance(feature, FixedLenSequenceFeature):
        return value.reshape(())  # the padding value
    try:
        return value.reshape(shape)
    except ValueError:
        raise ValueError(f"Cannot reshape a tensor with {value.size} elements to shape "
                         f"{list(shape)} (default_value of feature '{key}')") from None


def _compile(features, what="features"):
    """A feature description as op attrs and default values, keys sorted as in TF."""
    if not isinstance(features, dict):
        raise TypeError(f"`{what}` must be a dict of feature keys to features, got "
                        f"{type(features).__name__}.")
    sparse_keys, sparse_types, dense_keys, dense_types = [], [], [], []
    dense_shapes, dense_sequence, defaults = [], [], []
    for key in sorted(features):
        feature = features[key]
        if isinstance(feature, VarLenFeature):
            sparse_keys.append(key)
            sparse_types.append(_parse_dtype(feature.dtype, key))
        elif isinstance(feature, (FixedLenFeature, FixedLenSequenceFeature)):
            dtype = _parse_dtype(feature.dtype, key)
            shape = as_shape(feature.shape)
            if not shape.is_fully_defined():
                raise ValueError(f"All dimensions of shape for feature {key} need to be known "
                                 f"but received {shape}.")
            dense_keys.append(key)
            dense_types.append(dtype)
            dense_shapes.append(tuple(shape.as_list()))
            sequence = isinstance(feature, FixedLenSequenceFeature)
            # per dense feature: False (fixed length), True (a sequence) or "missing_ok"
            # (a sequence that may be absent)
            dense_sequence.append(
                "missing_ok" if sequence and feature.allow_missing else bool(sequence))
            defaults.append(_default_array(feature, dtype, dense_shapes[-1], key))
        else:
            raise ValueError(f"Unsupported {type(feature).__name__} {feature}.")
    attrs = dict(sparse_keys=tuple(sparse_keys), sparse_types=tuple(sparse_types),
                 dense_keys=tuple(dense_keys), dense_types=tuple(dense_types),
                 dense_shapes=tuple(dense_shapes), dense_sequence=tuple(dense_sequence),
                 has_default=tuple(d is not None for d in defaults))
    return attrs, defaults


# ---- values of one feature ----------------------------------------------------------------

def _values(feature, key, dtype):
    """The values of one Feature message as a list, checked against `dtype`."""
    kind = feature.WhichOneof("kind")
    if kind is None:
        return []
    expected, name = _KINDS[dtype]
    if kind != expected:
        raise ValueError(f"Key: {key}.  Data types don't match. Data type: "
                         f"{_KIND_NAMES[kind]} but expected type: {name}")
    return getattr(feature, kind).value


def _array(values, dtype):
    if dtype is _dtypes.string:
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out
    return np.asarray(values, dtype=dtype.as_numpy_dtype).reshape(-1)


def _fill_value(dtype):
    return b"" if dtype is _dtypes.string else 0


def _sparse_outputs(rows, dtype, batch_shape):
    """(indices, values, dense_shape) of a VarLenFeature from its value lists, one per
    example (`batch_shape` () or (n,))."""
    lengths = [len(r) for r in rows]
    width = max(lengths, default=0)
    values = _array([v for r in rows for v in r], dtype)
    positions = np.concatenate([np.arange(n) for n in lengths]) if rows else np.zeros(0)
    positions = positions.astype(np.int64)
    if batch_shape:
        example = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        indices = np.stack([example, positions], axis=1)
    else:
        indices = positions.reshape(-1, 1)
    return indices, values, np.array(list(batch_shape) + [width], dtype=np.int64)


def _dense_output(rows, key, dtype, shape, default, sequence, names):
    """The dense tensor of a FixedLen(Sequence)Feature from its value lists (None: the
    feature is missing from that example)."""
    size = int(np.prod(shape))
    if sequence:
        counts = []
        for i, r in enumerate(rows):
            if r is None and sequence != "missing_ok":
                raise ValueError(f"Name: {names[i]}, Feature list '{key}' is required but "
                                 "could not be found.  Did you mean to include it in "
                                 "feature_list_dense_missing_assumed_empty or "
                                 "feature_list_dense_defaults?")
            n = 0 if r is None else len(r)
            if size and n % size:
                raise ValueError(f"Name: {names[i]}, Key: {key}, Index: {i}.  Number of "
                                 f"{_KINDS[dtype][1]} values is not a multiple of stride "
                                 f"length. Saw {n} values but output shape is: "
                                 f"{list(shape)}")
            counts.append(n // size if size else 0)
        steps = max(counts, default=0)
        fill = _fill_value(dtype) if default is None else default[()]
        out = np.full((len(rows), steps * size), fill,
                      dtype=object if dtype is _dtypes.string else dtype.as_numpy_dtype)
        for i, r in enumerate(rows):
            if r:
                out[i, :len(r)] = _array(r, dtype)
        return out.reshape((len(rows), steps) + tuple(shape))
    columns = []
    for i, r in enumerate(rows):
        if r is None:
            if default is None:
                raise ValueError(f"Feature: {key} (data type: {_KINDS[dtype][1]}) is "
                                 "required but could not be found.")
            columns.append(default)
            continue
        if len(r) != size:
            raise ValueError(f"Name: {names[i]}, Key: {key}, Index: {i}.  Number of "
                             f"{_KINDS[dtype][1]} values != expected.  Values size: {len(r)} "
                             f"but output shape: {list(shape)}")
        columns.append(_array(r, dtype).reshape(shape))
    if not columns:
        return np.zeros((0,) + tuple(shape),
                        dtype=object if dtype is _dtypes.string else dtype.as_numpy_dtype)
    return np.stack(columns)


def _parse_message(cls, data, what):
    message = cls()
    try:
        message.ParseFromString(bytes(data))
    except DecodeError:
        raise ValueError(f"Could not parse {what} input, value: '{data[:100]!r}'") from None
    return message


def _parse_features(feature_maps, names, batch_shape, defaults, sparse_keys, sparse_types,
                    dense_keys, dense_types, dense_shapes, dense_sequence):
    """The op outputs (sparse indices..., values..., shapes..., dense...) of the
    `features` maps (one per example)."""
    sparse = []
    for key, dtype in zip(sparse_keys, sparse_types):
        rows = [_values(m[key], key, dtype) if key in m else [] for m in feature_maps]
        sparse.append(_sparse_outputs(rows, dtype, batch_shape))
    dense = []
    for key, dtype, shape, sequence, default in zip(dense_keys, dense_types, dense_shapes,
                                                    dense_sequence, defaults):
        rows = [_values(m[key], key, dtype) if key in m else None for m in feature_maps]
        out = _dense_output(rows, key, dtype, shape, default, sequence, names)
        dense.append(out if batch_shape else out[0, ...])
    return tuple([s[0] for s in sparse] + [s[1] for s in sparse] + [s[2] for s in sparse]
                 + dense)


# ---- ParseExampleV2 -----------------------------------------------------------------------

def _parse_example_shape(serialized, *defaults, sparse_keys, sparse_types, dense_keys,
                         dense_types, dense_shapes, dense_sequence, has_default):
    batch = serialized.shape
    rank = batch.rank
    index_width = None if rank is None else rank + 1
    out = [(_dtypes.int64, TensorShape([None, index_width])) for _ in sparse_keys]
    out += [(dtype, TensorShape([None])) for dtype in sparse_types]
    out += [(_dtypes.int64, TensorShape([index_width])) for _ in sparse_keys]
    for dtype, shape, sequence in zip(dense_types, dense_shapes, dense_sequence):
        extra = [None] if sequence else []
        out.append((dtype, batch.concatenate(extra + list(shape))))
    return out


@op("ParseExampleV2", shape=_parse_example_shape, num_outputs=None, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _parse_example_kernel(serialized, *defaults, sparse_keys, sparse_types, dense_keys,
                          dense_types, dense_shapes, dense_sequence, has_default):
    array = np.asarray(serialized, dtype=object)
    if array.ndim > 1:
        raise ValueError("Expected serialized to be a scalar or vector, got shape: "
                         f"[{','.join(map(str, array.shape))}]")
    maps = [_parse_message(Example, s, "example").features.feature for s in array.reshape(-1)]
    defaults = _with_missing(defaults, has_default)
    return _parse_features(maps, ["<unknown>"] * len(maps), array.shape, defaults,
                           sparse_keys, sparse_types, dense_keys, dense_types, dense_shapes,
                           dense_sequence)


def _with_missing(defaults, has_default):
    """The default arrays in feature order, None where a feature has none."""
    given = iter(defaults)
    return [next(given) if has else None for has in has_default]


def _outputs_to_dict(outputs, attrs):
    """{key: tensor or SparseTensor} from the op outputs."""
    n = len(attrs["sparse_keys"])
    result = {}
    for i, key in enumerate(attrs["sparse_keys"]):
        result[key] = SparseTensor(outputs[i], outputs[n + i], outputs[2 * n + i])
    for key, value in zip(attrs["dense_keys"], outputs[3 * n:]):
        result[key] = value
    return result


def _serialized_tensor(serialized, what="serialized"):
    if isinstance(serialized, (list, tuple)):
        # as an object array: a NumPy bytes array would drop the trailing NUL bytes
        # that serialized protobufs often end with
        serialized = np.array(serialized, dtype=object)
    t = to_tensor(serialized)
    if t.dtype is not _dtypes.string:
        raise TypeError(f"Expected string passed to parameter '{what}' of op "
                        f"'ParseExampleV2', got {t.dtype.name}.")
    return t


def parse_example(serialized, features, example_names=None, name=None):
    """Parses a batch (vector) of serialized `tf.train.Example`s into a dict of tensors:
    dense [batch] + shape for fixed-length features, SparseTensors of dense_shape
    [batch, max_count] for variable-length ones.

    >>> parsed = tf.io.parse_example(serialized_examples, feature_description)
    """
    serialized = _serialized_tensor(serialized)
    attrs, defaults = _compile(features)
    if not attrs["sparse_keys"] and not attrs["dense_keys"]:
        raise ValueError("Invalid argument: features cannot be empty.")
    inputs = [serialized] + [to_tensor(d, dtype=t) for d, t in
                             zip(defaults, attrs["dense_types"]) if d is not None]
    outputs = execute(_parse_example_kernel, inputs, attrs, name)
    return _outputs_to_dict(outputs, attrs)


def parse_single_example(serialized, features, example_names=None, name=None):
    """Parses one serialized `tf.train.Example` (a scalar string) into a dict of tensors.

    >>> tf.io.parse_single_example(serialized_example, {
    ...     "id": tf.io.FixedLenFeature([], tf.int64, default_value=0),
    ...     "emails": tf.io.VarLenFeature(tf.string)})
    """
    serialized = _serialized_tensor(serialized)
    if serialized.shape.rank not in (0, None):
        raise ValueError("Input serialized must be a scalar")
    return parse_example(serialized, features, name=name)


# ---- ParseSequenceExampleV2 -----------------------------------------------------------------

def _split_attrs(attrs, prefix):
    return {prefix + k: v for k, v in attrs.items()}


class _Spec(collections.namedtuple("_Spec", ["dtype", "shape"])):
    """A spec standing for the steps of a sequence: batch shape + [None]."""


def _sequence_shape(serialized, *defaults, context_sparse_keys, context_sparse_types,
                    context_dense_keys, context_dense_types, context_dense_shapes,
                    context_dense_sequence, context_has_default, list_sparse_keys,
                    list_sparse_types, list_dense_keys, list_dense_types, list_dense_shapes,
                    list_dense_sequence, list_has_default):
    context = _parse_example_shape(
        serialized, sparse_keys=context_sparse_keys, sparse_types=context_sparse_types,
        dense_keys=context_dense_keys, dense_types=context_dense_types,
        dense_shapes=context_dense_shapes, dense_sequence=context_dense_sequence,
        has_default=context_has_default)
    batch = serialized.shape
    steps = _Spec(serialized.dtype, batch.concatenate([None]))
    lists = _parse_example_shape(
        steps, sparse_keys=list_sparse_keys, sparse_types=list_sparse_types,
        dense_keys=list_dense_keys, dense_types=list_dense_types,
        dense_shapes=list_dense_shapes, dense_sequence=(False,) * len(list_dense_keys),
        has_default=list_has_default)
    lengths = [(_dtypes.int64, batch) for _ in list_dense_keys]
    return context + lists + lengths


def _list_rows(lists, key, dtype):
    """The value lists of the steps of feature list `key` ([] when it is missing)."""
    steps = lists[key].feature if key in lists else []
    return [_values(step, key, dtype) for step in steps]


def _sparse_list(per_example, dtype, batched):
    """(indices, values, dense_shape) of a VarLenFeature list: [step, i], or
    [example, step, i] for a batch."""
    if not batched:
        return _sparse_outputs(per_example[0], dtype, (len(per_example[0]),))
    rows = [r for steps in per_example for r in steps]
    steps = max((len(s) for s in per_example), default=0)
    width = max((len(r) for r in rows), default=0)
    values = _array([v for r in rows for v in r], dtype)
    indices = [(b, t, i) for b, s in enumerate(per_example) for t, r in enumerate(s)
               for i in range(len(r))]
    indices = np.array(indices, dtype=np.int64).reshape(-1, 3)
    return indices, values, np.array([len(per_example), steps, width], dtype=np.int64)


def _dense_list(per_example, key, dtype, shape):
    """[examples, max steps] + shape, zero-padded, and the number of steps of each."""
    size = int(np.prod(shape))
    for steps in per_example:
        if any(len(r) != size for r in steps):
            raise ValueError(f"Feature list '{key}' has an unexpected number of values.  "
                             f"Total values size: {sum(map(len, steps))} is not consistent "
                             f"with output shape: [?,{','.join(map(str, shape))}]")
    lengths = np.array([len(s) for s in per_example], dtype=np.int64)
    longest = int(lengths.max(initial=0))
    np_dtype = object if dtype is _dtypes.string else dtype.as_numpy_dtype
    out = np.full((len(per_example), longest * size), _fill_value(dtype), dtype=np_dtype)
    for b, steps in enumerate(per_example):
        if steps:
            out[b, :len(steps) * size] = _array([v for r in steps for v in r], dtype)
    return out.reshape((len(per_example), longest) + tuple(shape)), lengths


@op("ParseSequenceExampleV2", shape=_sequence_shape, num_outputs=None, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _parse_sequence_kernel(serialized, *defaults, context_sparse_keys, context_sparse_types,
                           context_dense_keys, context_dense_types, context_dense_shapes,
                           context_dense_sequence, context_has_default, list_sparse_keys,
                           list_sparse_types, list_dense_keys, list_dense_types,
                           list_dense_shapes, list_dense_sequence, list_has_default):
    array = np.asarray(serialized, dtype=object)
    if array.ndim > 1:
        raise ValueError("Expected serialized to be a scalar or vector, got shape: "
                         f"[{','.join(map(str, array.shape))}]")
    batched = array.ndim == 1
    messages = [_parse_message(SequenceExample, s, "sequence example")
                for s in array.reshape(-1)]
    names = ["<unknown>"] * len(messages)
    context_defaults = _with_missing(defaults, context_has_default)
    context = _parse_features([m.context.feature for m in messages], names, array.shape,
                              context_defaults, context_sparse_keys, context_sparse_types,
                              context_dense_keys, context_dense_types, context_dense_shapes,
                              context_dense_sequence)
    lists = [m.feature_lists.feature_list for m in messages]
    sparse = [_sparse_list([_list_rows(m, key, dtype) for m in lists], dtype, batched)
              for key, dtype in zip(list_sparse_keys, list_sparse_types)]
    dense, lengths = [], []
    for key, dtype, shape, sequence in zip(list_dense_keys, list_dense_types,
                                           list_dense_shapes, list_dense_sequence):
        for i, m in enumerate(lists):
            if key not in m and sequence != "missing_ok":
                raise ValueError(f"Name: {names[i]}, Feature list '{key}' is required but "
                                 "could not be found.  Did you mean to include it in "
                                 "feature_list_dense_missing_assumed_empty or "
                                 "feature_list_dense_defaults?")
        values, steps = _dense_list([_list_rows(m, key, dtype) for m in lists], key, dtype,
                                    shape)
        dense.append(values if batched else values[0])
        lengths.append(steps if batched else steps[0, ...])
    return context + tuple([s[0] for s in sparse] + [s[1] for s in sparse]
                           + [s[2] for s in sparse] + dense + lengths)


def _parse_sequences(serialized, context_features, sequence_features, name):
    """(context dict, feature list dict, lengths dict) of ParseSequenceExampleV2."""
    serialized = _serialized_tensor(serialized)
    context_attrs, context_defaults = _compile(context_features or {}, "context_features")
    list_attrs, list_defaults = _compile(sequence_features or {}, "sequence_features")
    for key, feature in (sequence_features or {}).items():
        if isinstance(feature, FixedLenFeature):
            raise ValueError(f"Feature {key} is a FixedLenFeature: a sequence feature is a "
                             "FixedLenSequenceFeature or a VarLenFeature.")
        if getattr(feature, "default_value", None) is not None:
            raise ValueError(f"Value feature_list.dense_defaults[{key}] must be None")
    if not context_features and not sequence_features:
        raise ValueError("Missing features.")
    attrs = dict(_split_attrs(context_attrs, "context_"), **_split_attrs(list_attrs, "list_"))
    inputs = [serialized] + [to_tensor(d, dtype=t) for d, t in
                             zip(context_defaults, context_attrs["dense_types"])
                             if d is not None]
    outputs = execute(_parse_sequence_kernel, inputs, attrs, name)
    n_context = 3 * len(context_attrs["sparse_keys"]) + len(context_attrs["dense_keys"])
    n_lengths = len(list_attrs["dense_keys"])
    lists = outputs[n_context:len(outputs) - n_lengths]
    lengths = dict(zip(list_attrs["dense_keys"], outputs[len(outputs) - n_lengths:]))
    return (_outputs_to_dict(outputs[:n_context], context_attrs),
            _outputs_to_dict(lists, list_attrs), lengths)


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """Parses one serialized `tf.train.SequenceExample` into (context, feature_lists), two
    dicts of tensors: context features as in `parse_single_example`; a sequence feature
    is a SparseTensor of dense_shape [steps, max_count] (VarLenFeature) or a dense tensor
    [steps] + shape (FixedLenSequenceFeature).
    """
    if _serialized_tensor(serialized).shape.rank not in (0, None):
        raise ValueError("Input serialized must be a scalar")
    context, lists, _ = _parse_sequences(serialized, context_features, sequence_features,
                                         name)
    return context, lists


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """Parses a batch (vector) of serialized `tf.train.SequenceExample`s into (context,
    feature_lists, lengths): sequence features are [batch, max steps] + shape (padded with
    zeros) or SparseTensors [batch, max steps, max count]; `lengths` holds the number of
    steps of each example for every FixedLenSequenceFeature.
    """
    return _parse_sequences(serialized, context_features, sequence_features, name)


# ---- SerializeTensor / ParseTensor ----------------------------------------------------------

def _serialize_shape(tensor):
    return (_dtypes.string, TensorShape([]))


@op("SerializeTensor", shape=_serialize_shape, differentiable=False)
def _serialize_tensor_kernel(tensor):
    array = np.asarray(tensor)
    dtype = _dtypes.as_dtype(array.dtype)
    proto = TensorProto(dtype=dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()  # written even for a scalar, as TensorFlow does
    for size in array.shape:
        proto.tensor_shape.dim.add(size=size)
    if dtype is _dtypes.string:
        proto.string_val.extend(
            v.encode("utf-8") if isinstance(v, str) else v for v in array.reshape(-1))
    else:
        proto.tensor_content = np.ascontiguousarray(array).astype(
            array.dtype.newbyteorder("<"), copy=False).tobytes()
    out = np.empty((), dtype=object)
    out[()] = proto.SerializeToString()
    return out


def serialize_tensor(tensor, name=None):
    """The tensor as a scalar string: a serialized TensorProto (dtype, shape, content).

    >>> tf.io.parse_tensor(tf.io.serialize_tensor(t), out_type=tf.float32)
    """
    return execute(_serialize_tensor_kernel, [to_tensor(tensor)], name=name)


def _parse_tensor_shape(serialized, *, out_type):
    """The shape is in the data: known when the serialized value is (a constant)."""
    value = serialized.value
    if value is not None and np.ndim(value) == 0:
        try:
            proto = TensorProto.FromString(bytes(np.asarray(value, dtype=object)[()]))
        except DecodeError:
            return (out_type, TensorShape(None))
        return (out_type, TensorShape([d.size for d in proto.tensor_shape.dim]))
    return (out_type, TensorShape(None))


# the typed value fields of a TensorProto, per NumPy kind of the tensor
_VALUE_FIELDS = {np.dtype(np.float32): "float_val", np.dtype(np.float64): "double_val",
                 np.dtype(np.int64): "int64_val", np.dtype(np.bool_): "bool_val",
                 np.dtype(np.uint32): "uint32_val", np.dtype(np.uint64): "uint64_val",
                 np.dtype(np.complex64): "scomplex_val", np.dtype(np.complex128): "dcomplex_val"}


def _proto_values(proto, np_dtype, count):
    """The values of a TensorProto without tensor_content (typed *_val fields); a shorter
    list is padded with its last value, as TensorFlow does."""
    if np_dtype == object:
        values = list(proto.string_val)
        array = np.empty(len(values), dtype=object)
        array[:] = values
    elif np_dtype.kind == "c":
        pairs = np.asarray(getattr(proto, _VALUE_FIELDS[np_dtype]),
                           dtype=np.float32 if np_dtype == np.complex64 else np.float64)
        array = (pairs[0::2] + 1j * pairs[1::2]).astype(np_dtype)
    elif np_dtype.itemsize == 2 and np_dtype.kind == "f" or np_dtype.name == "bfloat16":
        array = np.asarray(proto.half_val, dtype=np.uint16).view(np_dtype)
    else:
        array = np.asarray(getattr(proto, _VALUE_FIELDS.get(np_dtype, "int_val")))
        array = array.astype(np_dtype)
    if array.size == count:
        return array
    if array.size == 0 or array.size > count:
        raise ValueError(f"Could not parse a tensor of {count} elements from {array.size} "
                         "values")
    return np.concatenate([array, np.repeat(array[-1:], count - array.size)])


def _tf_type_name(dtype):
    """The name TensorFlow's C++ messages give a dtype (float, double, half ...)."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name,
                                                                           dtype.name)


@op("ParseTensor", shape=_parse_tensor_shape, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _parse_tensor_kernel(serialized, *, out_type):
    data = np.asarray(serialized, dtype=object)
    if data.ndim:
        raise ValueError(f"Expected `serialized` to be a scalar, got shape: {list(data.shape)}")
    proto = _parse_message(TensorProto, data[()], "tensor")
    try:
        dtype = _dtypes.as_dtype(proto.dtype)
    except (TypeError, ValueError, KeyError):
        raise ValueError(f"Could not parse `serialized` as TensorProto: unknown dtype "
                         f"{proto.dtype}") from None
    if dtype is not out_type:
        raise ValueError(f"Type mismatch between parsed tensor ({_tf_type_name(dtype)}) and "
                         f"dtype ({_tf_type_name(out_type)})")
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    np_dtype = np.dtype(object) if dtype is _dtypes.string else np.dtype(dtype.as_numpy_dtype)
    count = int(np.prod(shape))
    if proto.tensor_content:
        array = np.frombuffer(proto.tensor_content,
                              dtype=np_dtype.newbyteorder("<")).astype(np_dtype)
    elif count:
        array = _proto_values(proto, np_dtype, count)
    else:
        array = np.zeros(0, dtype=np_dtype)
    return array.reshape(shape)


def parse_tensor(serialized, out_type, name=None):
    """The tensor stored by `serialize_tensor` in `serialized` (its dtype must be
    `out_type`)."""
    serialized = to_tensor(serialized)
    if serialized.dtype is not _dtypes.string:
        raise TypeError("Expected string passed to parameter 'serialized' of op "
                        f"'ParseTensor', got {serialized.dtype.name}.")
    return execute(_parse_tensor_kernel, [serialized],
                   {"out_type": _dtypes.as_dtype(out_type)}, name)
