"""String ops (`tf.strings`): byte-string tensors are object arrays of Python bytes.

Unicode ops decode and encode code points; splitting and decoding vectors give
`tf.RaggedTensor`s, as in TensorFlow. No string op carries a gradient.
"""
import codecs
import functools
import re

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import broadcast_shape, reduction_shape, to_tensor, unary_shape

__all__ = ["as_string", "bytes_split", "join", "length", "lower", "reduce_join",
           "regex_full_match", "regex_replace", "split", "strip", "substr", "to_number",
           "unicode_decode", "unicode_encode", "unicode_split", "unicode_transcode", "upper"]

_string, _int32, _int64, _bool = _dtypes.string, _dtypes.int32, _dtypes.int64, _dtypes.bool

# The encodings UnicodeEncode allows; decoding takes any encoding Python knows.
_OUTPUT_ENCODINGS = ("UTF-8", "UTF-16-BE", "UTF-32-BE")


def _invalid(op_type, message):
    """A kernel's InvalidArgumentError, worded as TensorFlow's runtime words it."""
    return errors.op_error(
        errors.InvalidArgumentError, op_type,
        f"{{{{function_node __wrapped__{op_type}_device_/job:localhost/replica:0/task:0/"
        f"device:CPU:0}}}} {message}")


def _attr_error(op_type, attr, value, allowed):
    return errors.op_error(errors.InvalidArgumentError, op_type,
                           f"Value for attr '{attr}' of {value} is not in the list of allowed "
                           f"values: {allowed}\n\t; NodeDef: {{{{node {op_type}}}}}; "
                           f"Op<name={op_type}>")


def _map(fn, arr, np_dtype=object):
    """Applies `fn` to every element of an object array; an array of `np_dtype`."""
    arr = np.asarray(arr, dtype=object)
    out = np.empty(arr.shape, dtype=np_dtype)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, s in enumerate(flat_in):
        flat_out[i] = fn(s)
    return out


def _string_input(x, op_type):
    t = to_tensor(x)
    if t.dtype is not _string:
        raise errors.op_error(errors.InvalidArgumentError, op_type,
                              f"cannot compute {op_type} as input #0(zero-based) was expected "
                              f"to be a string tensor but is a {t.dtype.name} tensor")
    return t


def _codec(encoding, op_type):
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise _invalid(op_type, f"Could not create converter for input encoding: "
                                f"{encoding}") from None


def _ragged_elementwise(fn):
    """Lets an elementwise string op take a RaggedTensor: it maps over the flat values."""
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):  # noqa: A002
        if getattr(input, "_is_ragged", False):
            return input.with_flat_values(fn(input.flat_values, *args, **kwargs))
        return fn(input, *args, **kwargs)
    return wrapper


def _string_shape(x, **attrs):
    return _string, x.shape


# ---- length, case, strip ----------------------------------------------------------

@op("StringLength", shape=lambda x, unit: (_int32, x.shape), differentiable=False)
def _string_length(x, unit):
    if unit == "UTF8_CHAR":
        return _map(lambda s: len(s.decode("utf-8", errors="replace")), x, np.int32)
    return _map(len, x, np.int32)


@_ragged_elementwise
def length(input, unit="BYTE", name=None):  # noqa: A002 - TensorFlow's argument name
    """The length of each string, in bytes (`unit="BYTE"`) or UTF-8 characters
    (`unit="UTF8_CHAR"`).

    >>> tf.strings.length(tf.constant("café"), unit="UTF8_CHAR")   # 4
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise _attr_error("StringLength", "unit", f'"{unit}"', '"BYTE", "UTF8_CHAR"')
    return execute(_string_length, (_string_input(input, "StringLength"),), {"unit": unit},
                   name=name)


@op("StringLower", shape=_string_shape, differentiable=False)
def _string_lower(x, encoding):
    if encoding:
        return _map(lambda s: s.decode(encoding).lower().encode(encoding), x)
    return _map(bytes.lower, x)  # ASCII only, as TensorFlow without an encoding


@op("StringUpper", shape=_string_shape, differentiable=False)
def _string_upper(x, encoding):
    if encoding:
        return _map(lambda s: s.decode(encoding).upper().encode(encoding), x)
    return _map(bytes.upper, x)


@_ragged_elementwise
def lower(input, encoding="", name=None):  # noqa: A002
    """Lower-cases each string (ASCII letters only unless `encoding="utf-8"`)."""
    return execute(_string_lower, (_string_input(input, "StringLower"),),
                   {"encoding": encoding}, name=name)


@_ragged_elementwise
def upper(input, encoding="", name=None):  # noqa: A002
    """Upper-cases each string (ASCII letters only unless `encoding="utf-8"`)."""
    return execute(_string_upper, (_string_input(input, "StringUpper"),),
                   {"encoding": encoding}, name=name)


@op("StringStrip", shape=unary_shape, differentiable=False)
def _string_strip(x):
    return _map(bytes.strip, x)


@_ragged_elementwise
def strip(input, name=None):  # noqa: A002
    """Removes leading and trailing whitespace from each string."""
    return execute(_string_strip, (_string_input(input, "StringStrip"),), name=name)


# ---- unicode ----------------------------------------------------------------------------

def _decode_shape(x, input_encoding, errors, replacement_char, replace_control_characters):
    n = x.shape.num_elements()
    return [(_int64, TensorShape([None if n is None else n + 1])), (_int32, TensorShape([None]))]


def _decode_one(s, codec, errors_mode, replacement_char, replace_control):
    try:
        text = s.decode(codec, errors="strict" if errors_mode == "strict" else
                        "ignore" if errors_mode == "ignore" else "replace")
    except UnicodeDecodeError:
        raise _invalid("UnicodeDecode", "Invalid formatting on input string") from None
    points = [ord(c) for c in text]
    if errors_mode == "replace" and replacement_char != 0xFFFD:
        points = [replacement_char if p == 0xFFFD else p for p in points]
    if replace_control:
        points = [replacement_char if p < 0x20 else p for p in points]
    return points


@op("UnicodeDecode", shape=_decode_shape, num_outputs=2, differentiable=False)
def _unicode_decode(x, input_encoding, errors, replacement_char, replace_control_characters):
    codec = _codec(input_encoding, "UnicodeDecode")
    rows = [_decode_one(s, codec, errors, replacement_char, replace_control_characters)
            for s in np.asarray(x, dtype=object).reshape(-1)]
    splits = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=splits[1:])
    values = np.fromiter((p for r in rows for p in r), dtype=np.int32, count=int(splits[-1]))
    return splits, values


def unicode_decode(input, input_encoding, errors="replace",  # noqa: A002
                   replacement_char=65533, replace_control_characters=False, name=None):
    """Decodes each string into its code points (int32).

    A scalar gives a dense vector; a tensor of rank N gives a `tf.RaggedTensor`
    of rank N + 1.

    >>> tf.strings.unicode_decode(tf.constant(["Café", "咖啡"]), "UTF-8")
    <tf.RaggedTensor [[67, 97, 102, 233], [21654, 21857]]>
    """
    from tensorlite.structures import ragged
    if isinstance(input, ragged.RaggedTensor):
        return input.with_flat_values(unicode_decode(
            input.flat_values, input_encoding, errors, replacement_char,
            replace_control_characters, name))
    t = _string_input(input, "UnicodeDecode")
    splits, values = execute(_unicode_decode, (t,), {
        "input_encoding": input_encoding, "errors": errors,
        "replacement_char": replacement_char,
        "replace_control_characters": replace_control_characters}, name=name)
    if t.shape.rank == 0:
        return values
    return ragged.from_nested_row_splits_of_shape(values, splits, t.shape)


def _encode_shape(values, splits, output_encoding, errors, replacement_char):
    n = splits.shape[0]
    return _string, TensorShape([None if n is None else n - 1])


def _encode_one(points, codec, errors_mode, replacement_char):
    chars = []
    for p in points:
        if 0 <= p <= 0x10FFFF and not 0xD800 <= p <= 0xDFFF:
            chars.append(chr(p))
        elif errors_mode == "strict":
            raise _invalid("UnicodeEncode", "Code point is out of range for Unicode, or is a "
                                            "surrogate.")
        elif errors_mode == "replace":
            chars.append(chr(replacement_char))
    return "".join(chars).encode(codec)


@op("UnicodeEncode", shape=_encode_shape, differentiable=False)
def _unicode_encode(values, splits, output_encoding, errors, replacement_char):
    codec = _codec(output_encoding, "UnicodeEncode")
    values = values.tolist()
    out = np.empty(len(splits) - 1, dtype=object)
    for i in range(len(out)):
        out[i] = _encode_one(values[splits[i]:splits[i + 1]], codec, errors, replacement_char)
    return out


def unicode_encode(input, output_encoding, errors="replace",  # noqa: A002
                   replacement_char=65533, name=None):
    """Encodes code points (the innermost dimension) into strings.

    >>> tf.strings.unicode_encode(tf.constant([99, 97, 102, 233]), "UTF-8")  # b'caf\\xc3\\xa9'
    """
    from tensorlite.structures import ragged
    from tensorlite.ops import array as _array
    if output_encoding not in _OUTPUT_ENCODINGS:
        raise _attr_error("UnicodeEncode", "output_encoding", f'"{output_encoding}"',
                          ", ".join(f'"{e}"' for e in _OUTPUT_ENCODINGS))
    attrs = {"output_encoding": output_encoding, "errors": errors,
             "replacement_char": replacement_char}
    if isinstance(input, ragged.RaggedTensor):
        if input.ragged_rank > 1:
            return input.with_values(unicode_encode(input.values, output_encoding, errors,
                                                    replacement_char, name))
        values = to_tensor(input.values, _int32)
        return execute(_unicode_encode, (values, input.row_splits), attrs, name=name)
    t = to_tensor(input, _int32)
    if not t.shape.rank:
        raise ValueError("input_tensor's rank must be at least 1.")
    # Every row of the innermost dimension is one string: uniform splits.
    if t.shape.is_fully_defined():
        dims = t.shape.as_list()
        outer = dims[:-1]
        splits = to_tensor(np.arange(int(np.prod(outer, dtype=np.int64)) + 1,
                                     dtype=np.int64) * dims[-1])
    else:  # unknown dimensions (a traced function): the same, from the dynamic shape
        from tensorlite.ops import math as _math
        shape = _array.shape(t, out_type=_int64)
        outer = shape[:-1]
        splits = _array.range(_math.reduce_prod(outer) + 1, dtype=_int64) * shape[-1]
    flat = execute(_unicode_encode, (_array.reshape(t, [-1]), splits), attrs, name=name)
    return _array.reshape(flat, outer)


def unicode_split(input, input_encoding, errors="replace",  # noqa: A002
                  replacement_char=65533, name=None):
    """Splits each string into its characters (strings in the input encoding).

    A scalar gives a vector; a tensor of rank N gives a `tf.RaggedTensor` of rank N + 1.

    >>> tf.strings.unicode_split(tf.constant("café"), "UTF-8")  # [b'c', b'a', b'f', b'\xc3\xa9']
    """
    points = unicode_decode(input, input_encoding, errors, replacement_char, name=name)
    flat = points.flat_values if hasattr(points, "flat_values") else points
    n = flat.shape[0]
    from tensorlite.ops import array as _array
    one_each = _array.range(n + 1, dtype=_int64) if n is not None else _array.range(
        _array.shape(flat, out_type=_int64)[0] + 1, dtype=_int64)
    chars = execute(_unicode_encode, (flat, one_each), {
        "output_encoding": input_encoding, "errors": errors,
        "replacement_char": replacement_char})
    return points.with_flat_values(chars) if hasattr(points, "flat_values") else chars


def bytes_split(input, name=None):  # noqa: A002
    """Splits each string into single bytes (a vector for a scalar, else ragged)."""
    # Latin-1 maps every byte to one code point and back, so its characters are bytes.
    return unicode_split(input, "latin-1", errors="strict", name=name)


def _transcode_one(s, codec_in, codec_out, errors_mode, replacement_char, replace_control):
    points = _decode_one(s, codec_in, errors_mode, replacement_char, replace_control)
    return _encode_one(points, codec_out, errors_mode, replacement_char)


@op("UnicodeTranscode", shape=_string_shape, differentiable=False)
def _unicode_transcode(x, input_encoding, output_encoding, errors, replacement_char,
                       replace_control_characters):
    codec_in = _codec(input_encoding, "UnicodeTranscode")
    codec_out = _codec(output_encoding, "UnicodeTranscode")
    return _map(lambda s: _transcode_one(s, codec_in, codec_out, errors, replacement_char,
                                         replace_control_characters), x)


@_ragged_elementwise
def unicode_transcode(input, input_encoding, output_encoding, errors="replace",  # noqa: A002
                      replacement_char=65533, replace_control_characters=False, name=None):
    """Re-encodes each string from `input_encoding` to `output_encoding`."""
    if output_encoding not in _OUTPUT_ENCODINGS:
        raise _attr_error("UnicodeTranscode", "output_encoding", f'"{output_encoding}"',
                          ", ".join(f'"{e}"' for e in _OUTPUT_ENCODINGS))
    return execute(_unicode_transcode, (_string_input(input, "UnicodeTranscode"),), {
        "input_encoding": input_encoding, "output_encoding": output_encoding,
        "errors": errors, "replacement_char": replacement_char,
        "replace_control_characters": replace_control_characters}, name=name)


# ---- split / join ---------------------------------------------------------------------

def _split_shape(x, sep, maxsplit):
    return [(_int64, TensorShape([None, 2])), (_string, TensorShape([None])),
            (_int64, TensorShape([2]))]


@op("StringSplitV2", shape=_split_shape, num_outputs=3, differentiable=False)
def _string_split(x, sep, maxsplit):
    sep = sep or None  # an empty separator splits on runs of whitespace
    parts = [s.split(sep, maxsplit) for s in np.asarray(x, dtype=object).reshape(-1)]
    n = sum(len(p) for p in parts)
    indices = np.zeros((n, 2), dtype=np.int64)
    values = np.empty(n, dtype=object)
    k = 0
    for row, words in enumerate(parts):
        for col, w in enumerate(words):
            indices[k] = row, col
            values[k] = w
            k += 1
    widest = max((len(p) for p in parts), default=0)
    return indices, values, np.array([len(parts), widest], dtype=np.int64)


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """Splits each string on `sep` (runs of whitespace when None).

    A scalar gives a dense vector; a vector gives a `tf.RaggedTensor`.
    """
    from tensorlite.structures import ragged
    t = _string_input(input, "StringSplitV2")
    if isinstance(sep, bytes):
        sep = sep.decode("utf-8")
    rank = t.shape.rank
    if rank not in (0, 1):
        raise ValueError(f"input must be a scalar or a vector, got rank {rank}")
    from tensorlite.ops import array as _array
    flat = _array.reshape(t, [-1])
    indices, values, shape = execute(_string_split, (flat,),
                                     {"sep": (sep or "").encode("utf-8"), "maxsplit": maxsplit},
                                     name=name)
    if rank == 0:
        return values
    return ragged.RaggedTensor.from_value_rowids(values, indices[:, 0], nrows=shape[0])


def _join_shape(*xs, separator):
    out = TensorShape([])
    for x in xs:
        out = broadcast_shape(out, x.shape)
    return _string, out


@op("StringJoin", shape=_join_shape, differentiable=False)
def _string_join(*xs, separator):
    arrays = np.broadcast_arrays(*[np.asarray(x, dtype=object) for x in xs])
    out = np.empty(arrays[0].shape, dtype=object)
    flat = out.reshape(-1)
    columns = [a.reshape(-1) for a in arrays]
    for i in range(flat.size):
        flat[i] = separator.join(c[i] for c in columns)
    return out


def join(inputs, separator="", name=None):
    """Joins strings elementwise across `inputs` (scalars broadcast).

    >>> tf.strings.join(["a", tf.constant(["b", "c"])], separator="-")  # [b'a-b', b'a-c']
    """
    tensors = tuple(_string_input(x, "StringJoin") for x in inputs)
    if isinstance(separator, str):
        separator = separator.encode("utf-8")
    return execute(_string_join, tensors, {"separator": separator}, name=name)


@op("ReduceJoin", shape=lambda x, axis, keep_dims, separator:
    (_string, reduction_shape(x, axis, keep_dims)), differentiable=False)
def _reduce_join(x, axis, keep_dims, separator):
    x = np.asarray(x, dtype=object)
    axes = tuple(range(x.ndim)) if axis is None else tuple(a % x.ndim for a in axis)
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, rest + list(axes))
    lead = moved.shape[:len(rest)]
    n_rows = int(np.prod(lead, dtype=np.int64))
    rows = moved.reshape(n_rows, int(np.prod(moved.shape[len(rest):], dtype=np.int64)))
    out = np.empty(lead, dtype=object)
    flat_out = out.reshape(-1)
    for i in range(n_rows):
        flat_out[i] = separator.join(rows[i])
    if keep_dims:
        out = np.expand_dims(out, axes)
    return out


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Joins the strings of `inputs` along `axis` (all axes when None)."""
    t = _string_input(inputs, "ReduceJoin")
    if axis is not None:
        axis = tuple(np.atleast_1d(np.asarray(axis)).tolist())
    if isinstance(separator, str):
        separator = separator.encode("utf-8")
    return execute(_reduce_join, (t,), {"axis": axis, "keep_dims": bool(keepdims),
                                        "separator": separator}, name=name)


# ---- regex, substr -------------------------------------------------------------------

def _as_bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _compile(pattern, op_type):
    try:
        return re.compile(pattern)
    except re.error as e:
        raise _invalid(op_type, f"Invalid pattern: {pattern.decode('utf-8', 'replace')}, "
                                f"error: {e}") from None


@op("StaticRegexReplace", shape=_string_shape, differentiable=False)
def _regex_replace(x, pattern, rewrite, replace_global):
    compiled = _compile(pattern, "StaticRegexReplace")
    count = 0 if replace_global else 1
    return _map(lambda s: compiled.sub(rewrite, s, count=count), x)


@_ragged_elementwise
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Replaces matches of the regular expression `pattern` by `rewrite` (`\\1` for groups)."""
    return execute(_regex_replace, (_string_input(input, "StaticRegexReplace"),),
                   {"pattern": _as_bytes(pattern), "rewrite": _as_bytes(rewrite),
                    "replace_global": bool(replace_global)}, name=name)


@op("StaticRegexFullMatch", shape=lambda x, pattern: (_bool, x.shape), differentiable=False)
def _regex_full_match(x, pattern):
    compiled = _compile(pattern, "StaticRegexFullMatch")
    return _map(lambda s: compiled.fullmatch(s) is not None, x, np.bool_)


@_ragged_elementwise
def regex_full_match(input, pattern, name=None):  # noqa: A002
    """True where the whole string matches the regular expression `pattern`."""
    return execute(_regex_full_match, (_string_input(input, "StaticRegexFullMatch"),),
                   {"pattern": _as_bytes(pattern)}, name=name)


def _fmt(dims):
    return "[" + ",".join(str(d) for d in dims) + "]"


def _substr_one(s, pos, n, unit):
    text = s.decode("utf-8") if unit == "UTF8_CHAR" else s
    size = len(text)
    if not -size <= pos <= size:
        raise _invalid("Substr", f"pos {pos} out of range for string b'{s.decode('latin-1')}' "
                                 f"at index 0")
    if pos < 0:
        pos += size
    piece = text[pos:pos + max(n, 0)]
    return piece.encode("utf-8") if unit == "UTF8_CHAR" else piece


@op("Substr", shape=lambda x, pos, n, unit: (_string, broadcast_shape(
    x.shape, broadcast_shape(pos.shape, n.shape))), differentiable=False)
def _substr(x, pos, n, unit):
    if np.shape(pos) != np.shape(n):
        raise _invalid("Substr", f"pos and len should have the same shape, got: "
                                 f"{_fmt(np.shape(pos))} vs. {_fmt(np.shape(n))}")
    xs, ps, ns = np.broadcast_arrays(np.asarray(x, dtype=object), pos, n)
    out = np.empty(xs.shape, dtype=object)
    flat = out.reshape(-1)
    for i, (s, p, k) in enumerate(zip(xs.reshape(-1), ps.reshape(-1), ns.reshape(-1))):
        flat[i] = _substr_one(s, int(p), int(k), unit)
    return out


def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    """The substring of `len` bytes (or UTF-8 characters) starting at `pos` (may be negative)."""
    t = _string_input(input, "Substr")
    pos_t = to_tensor(pos)
    return execute(_substr, (t, pos_t, to_tensor(len, pos_t.dtype)), {"unit": unit}, name=name)


# ---- conversions -----------------------------------------------------------------------

def _parse_number(s, np_dtype):
    try:
        if np.dtype(np_dtype).kind == "f":
            return float(s)
        return int(s)
    except ValueError:
        raise _invalid("StringToNumber", f"StringToNumberOp could not correctly convert "
                                         f"string: {s.decode('utf-8', 'replace')}") from None


@op("StringToNumber", shape=lambda x, out_type: (out_type, x.shape), differentiable=False)
def _string_to_number(x, out_type):
    np_dtype = out_type._np
    return _map(lambda s: _parse_number(s, np_dtype), x, object).astype(np_dtype)


@_ragged_elementwise
def to_number(string_tensor, out_type=_dtypes.float32, name=None):
    """Parses each string as a number of `out_type` (float32, float64, int32 or int64)."""
    out_type = _dtypes.as_dtype(out_type)
    if out_type not in (_dtypes.float32, _dtypes.float64, _int32, _int64, _dtypes.uint32,
                        _dtypes.uint64):
        raise _attr_error("StringToNumber", "out_type", out_type.name,
                          "float, double, int32, int64, uint32, uint64")
    return execute(_string_to_number, (_string_input(string_tensor, "StringToNumber"),),
                   {"out_type": out_type}, name=name)


def _number_format(kind, precision, scientific, shortest, width, fill):
    """A %-format for one element, as TensorFlow's AsString builds it."""
    flags = "0" if fill == "0" else ""
    w = str(width) if width > -1 else ""
    if kind in "iu":
        return "%" + flags + w + "d"
    conv = "g" if shortest else "e" if scientific else "f"
    p = f".{precision}" if precision > -1 else ""
    return "%" + flags + w + p + conv


@op("AsString", shape=lambda x, **attrs: (_string, x.shape), differentiable=False)
def _as_string(x, precision, scientific, shortest, width, fill):
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        return _map(lambda v: b"true" if v else b"false", arr.astype(object))
    fmt = _number_format(arr.dtype.kind, precision, scientific, shortest, width, fill)
    pad = fill if fill not in ("", "0") else " "
    text = (fmt % v for v in arr.reshape(-1).tolist())
    out = np.empty(arr.shape, dtype=object)
    out.reshape(-1)[:] = [s.replace(" ", pad).encode("ascii") for s in text]
    return out


@_ragged_elementwise
def as_string(input, precision=-1, scientific=False, shortest=False, width=-1,  # noqa: A002
              fill="", name=None):
    """Formats each number as a string (`3.5` -> b'3.500000', `7` -> b'7', True -> b'true')."""
    t = to_tensor(input)
    if t.dtype is _string:
        return t  # already strings, as in TensorFlow
    return execute(_as_string, (t,), {"precision": precision, "scientific": scientific,
                                      "shortest": shortest, "width": width, "fill": fill},
                   name=name)
