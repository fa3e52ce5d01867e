"""`tf.io.decode_csv`: CSV records (strings) into one tensor per column."""
import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.ops._helpers import to_tensor

_OUT_TYPES = (_dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.int64, _dtypes.string)
_INT_RANGES = {np.dtype(np.int32): (-2 ** 31, 2 ** 31 - 1),
               np.dtype(np.int64): (-2 ** 63, 2 ** 63 - 1)}
_TYPE_NAMES = {np.dtype(np.float32): "float", np.dtype(np.float64): "double",
               np.dtype(np.int32): "int32", np.dtype(np.int64): "int64"}


def _split_quoted(record, delim):
    """The fields of a record holding quotes: `"a,b"` is one field, `""` an escaped quote."""
    fields, i, n = [], 0, len(record)
    while True:
        if i < n and record[i:i + 1] == b'"':
            j, field = i + 1, bytearray()
            while True:
                if j >= n:
                    raise ValueError("Quoted field has to end with quote followed by delim "
                                     "or end")
                if record[j:j + 1] == b'"':
                    if record[j + 1:j + 2] == b'"':
                        field += b'"'
                        j += 2
                        continue
                    j += 1
                    break
                field += record[j:j + 1]
                j += 1
            if j < n and record[j:j + 1] != delim:
                raise ValueError("Quote inside a string has to be escaped by another quote")
            fields.append(bytes(field))
            i = j
        else:
            j = record.find(delim, i)
            j = n if j < 0 else j
            if b'"' in record[i:j]:
                raise ValueError("Unquoted fields cannot have quotes/CRLFs inside")
            fields.append(record[i:j])
            i = j
        if i >= n:
            return fields
        i += 1  # past the delimiter
        if i == n:
            fields.append(b"")
            return fields


def _split(record, delim, use_quote_delim):
    if not record:
        return []
    if use_quote_delim and b'"' in record:
        return _split_quoted(record, delim)
    return record.split(delim)


def _parse(field, np_dtype, column, row):
    """A non-empty field as a value of `np_dtype` (ValueError with TF's message if not)."""
    if np_dtype == object:
        return field
    try:
        text = field.decode()
        if "_" in text:
            raise ValueError
        if np_dtype.kind == "f":
            return float(text)
        value = int(text)
        low, high = _INT_RANGES[np_dtype]
        if not low <= value <= high:
            raise ValueError
        return value
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"Field {column} in record {row} is not a valid "
                         f"{_TYPE_NAMES[np_dtype]}: {field.decode(errors='replace')}") from None


def _decode_csv_shape(records, *defaults, field_delim, use_quote_delim, na_value, select_cols):
    return [(d.dtype, records.shape) for d in defaults]


@op("DecodeCSV", shape=_decode_csv_shape, num_outputs=None, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _decode_csv(records, *defaults, field_delim, use_quote_delim, na_value, select_cols):
    delim, na = field_delim.encode(), na_value.encode()
    flat = np.asarray(records, dtype=object).reshape(-1)
    n_fields = len(defaults)
    wanted = select_cols or list(range(n_fields))
    fallbacks = [d.reshape(-1)[0] if np.size(d) else None for d in defaults]
    columns = [[] for _ in defaults]
    for row, record in enumerate(flat.tolist()):
        fields = _split(record, delim, use_quote_delim)
        if select_cols:
            if len(fields) <= select_cols[-1]:
                raise ValueError(f"Expect {select_cols[-1] + 1} fields but have {len(fields)} "
                                 f"in record {row}")
        elif len(fields) != n_fields:
            raise ValueError(f"Expect {n_fields} fields but have {len(fields)} in record {row}")
        for i, column in enumerate(wanted):
            field = fields[column]
            if field == b"" or field == na:
                if fallbacks[i] is None:
                    raise ValueError(f"Field {i} is required but missing in record {row}!")
                columns[i].append(fallbacks[i])
            else:
                columns[i].append(_parse(field, defaults[i].dtype, i, row))
    shape = np.shape(records)
    out = []
    for values, d in zip(columns, defaults):
        array = np.empty(len(values), dtype=d.dtype)
        array[:] = values
        out.append(array.reshape(shape))
    return tuple(out)


def _check_defaults(defaults):
    for i, d in enumerate(defaults):
        if d.dtype not in _OUT_TYPES:
            raise errors.op_error(errors.InvalidArgumentError, "DecodeCSV",
                                  f"Value for attr 'OUT_TYPE' of {d.dtype.name} is not in the "
                                  "list of allowed values: float, double, int32, int64, string")
        if d.shape.rank is not None and (d.shape.rank > 1 or (
                d.shape.num_elements() is not None and d.shape.num_elements() > 1)):
            raise errors.op_error(errors.InvalidArgumentError, "DecodeCSV",
                                  f"There should only be 1 default per field but field {i} has "
                                  f"{d.shape.num_elements()}")


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None):
    """Parses CSV records into a list of tensors, one per column, each shaped like
    `records` and typed like its default.

    A column's default (a scalar, or a 1-element tensor) fills empty fields; an
    empty default (`tf.constant([], tf.float32)`) makes the column required.

    >>> tf.io.decode_csv(b'1,,3', record_defaults=[0., 5., 0.])   # [1., 5., 3.]
    """
    records = to_tensor(records)
    if records.dtype is not _dtypes.string:
        raise TypeError("Value passed to parameter 'records' has DataType "
                        f"{records.dtype.name} not in list of allowed values: string")
    defaults = [to_tensor(d) for d in record_defaults]
    if not defaults:
        raise ValueError("`record_defaults` must contain at least one default.")
    _check_defaults(defaults)
    if len(field_delim) != 1:
        raise errors.op_error(errors.InvalidArgumentError, "DecodeCSV",
                              "field_delim should be only 1 char")
    cols = [int(c) for c in select_cols] if select_cols is not None else []
    if select_cols is not None:
        if len(cols) != len(defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
        if any(b <= a for a, b in zip(cols, cols[1:])) or (cols and cols[0] < 0):
            raise ValueError("select_cols is not strictly increasing.")
    return list(execute(_decode_csv, (records, *defaults),
                        {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                         "na_value": na_value, "select_cols": cols}, name=name))
