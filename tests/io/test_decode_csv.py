"""tf.io.decode_csv: values, defaults, quoting, errors (TensorFlow's messages), shape rule,
and use inside a traced dataset map."""
import numpy as np
import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.framework import errors
from tensorlite.framework.op_registry import REGISTRY
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.io.decode_csv import decode_csv


def test_defaults_fill_empty_fields():
    out = decode_csv(b"1,,3", record_defaults=[0., 5., 0.])
    assert repr(out) == ("[<tf.Tensor: shape=(), dtype=float32, numpy=1.0>, <tf.Tensor: "
                         "shape=(), dtype=float32, numpy=5.0>, <tf.Tensor: shape=(), "
                         "dtype=float32, numpy=3.0>]")


def test_types_shapes_and_na_value():
    ints, longs = decode_csv([[b"1;2"], [b"3;NA"]],
                             record_defaults=[0, tf.constant(7, tf.int64)], field_delim=";",
                             na_value="NA")
    assert ints.dtype == tf.int32 and ints.shape == (2, 1)
    assert longs.dtype == tf.int64 and longs.numpy().tolist() == [[2], [7]]
    f32, f64 = decode_csv(b"1e3,inf", record_defaults=[0., tf.constant(0., tf.float64)])
    assert (float(f32), f64.dtype, float(f64)) == (1000.0, tf.float64, np.inf)
    a, b = decode_csv(b" 1 ,.5", record_defaults=[0., 0.])
    assert (float(a), float(b)) == (1.0, 0.5)


def test_quoted_fields_and_select_cols():
    number, text = decode_csv([b'1,"a,b"', b'2,"x""y"'], record_defaults=[0, ""])
    assert number.numpy().tolist() == [1, 2]
    assert text.numpy().tolist() == [b"a,b", b'x"y']
    first, third = decode_csv(b"1,2,3", record_defaults=[0, 0], select_cols=[0, 2])
    assert (int(first), int(third)) == (1, 3)


@pytest.mark.parametrize("record, defaults, kwargs, message", [
    (b"1,2", [0., 5., 0.], {}, "Expect 3 fields but have 2 in record 0"),
    (b"1,", [0., tf.constant([], tf.float32)], {}, "Field 1 is required but missing in record 0!"),
    (b"abc,2", [0., 1.], {}, "Field 0 in record 0 is not a valid float: abc"),
    (b"1.5,2", [0, 1], {}, "Field 0 in record 0 is not a valid int32: 1.5"),
    (b"99999999999,1", [0, 0], {}, "is not a valid int32: 99999999999"),
    (b"0x10,1", [0, 0], {}, "is not a valid int32: 0x10"),
    (b'"1",2', [0, 0], {"use_quote_delim": False}, 'is not a valid int32: "1"'),
    (b"", [0], {}, "Expect 1 fields but have 0 in record 0"),
    (b"1,2", [0, 0], {"field_delim": ";;"}, "field_delim should be only 1 char"),
    (b'a"b,1', ["", 0], {}, "Unquoted fields cannot have quotes/CRLFs inside"),
    (b'"ab"c,1', ["", 0], {}, "Quote inside a string has to be escaped by another quote"),
    (b"1,2", [[0, 1], 0], {}, "There should only be 1 default per field but field 0 has 2"),
    (b"1,2", [True, 0], {}, "Value for attr 'OUT_TYPE' of bool is not in the list"),
])
def test_invalid_records(record, defaults, kwargs, message):
    with pytest.raises(errors.InvalidArgumentError, match=message):
        decode_csv(record, record_defaults=defaults, **kwargs)


def test_argument_errors():
    with pytest.raises(ValueError, match="Length of select_cols and record_defaults do not "
                       "match."):
        decode_csv(b"1,2,3", record_defaults=[0.0], select_cols=[0, 2])
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values: string"):
        decode_csv(5, record_defaults=[0])


class _Spec:
    def __init__(self, value):
        self.value = value
        self.shape = TensorShape(np.shape(value))
        self.dtype = tf.as_dtype(np.asarray(value).dtype)


def test_shape_rule_matches_the_kernel():
    opdef = REGISTRY["DecodeCSV"]
    records = np.array([[b"1,x"], [b"2,y"]], dtype=object)
    defaults = (np.array(0, np.int64), np.array([b"d"], dtype=object))
    attrs = {"field_delim": ",", "use_quote_delim": True, "na_value": "", "select_cols": []}
    kernel = getattr(opdef.kernel, "__wrapped__", opdef.kernel)
    outs = kernel(records, *defaults, **attrs)
    rules = opdef.shape_fn(_Spec(records), *[_Spec(d) for d in defaults], **attrs)
    for (dtype, shape), out in zip(rules, outs):
        assert dtype == tf.as_dtype(out.dtype) and TensorShape(shape) == TensorShape(out.shape)


def test_traced_in_a_dataset_map_equals_eager():
    lines = [b"1.5,2,a", b"3,,b"]
    defaults = [0., tf.constant(9, tf.int64), ""]
    ds = tf.data.Dataset.from_tensor_slices(lines).map(
        lambda line: tuple(decode_csv(line, record_defaults=defaults)))
    assert ds._function.traced
    assert ds.element_spec == (tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.int64),
                               tf.TensorSpec([], tf.string))
    traced = [tuple(t.numpy() for t in element) for element in ds]
    eager = [tuple(t.numpy() for t in decode_csv(line, record_defaults=defaults))
             for line in lines]
    assert traced == eager == [(1.5, 2, b"a"), (3.0, 9, b"b")]
