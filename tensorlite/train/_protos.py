"""TensorFlow's protobuf messages (feature.proto, example.proto, tensor.proto), as real
protobuf classes built at run time from descriptors written here in code.

The field names and numbers are TensorFlow's, so the wire bytes and the text format
match TensorFlow's. The classes live in a private descriptor pool: they do not clash
with TensorFlow's own classes when both are imported in one process.
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_OPTIONAL, _REPEATED = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
_SCALAR_TYPES = {"bytes": _F.TYPE_BYTES, "string": _F.TYPE_STRING, "float": _F.TYPE_FLOAT,
                 "double": _F.TYPE_DOUBLE, "int32": _F.TYPE_INT32, "int64": _F.TYPE_INT64,
                 "uint32": _F.TYPE_UINT32, "uint64": _F.TYPE_UINT64, "bool": _F.TYPE_BOOL}

# TensorFlow's DataType enum (types.proto), the values serialize_tensor writes.
DATA_TYPES = (
    ("DT_INVALID", 0), ("DT_FLOAT", 1), ("DT_DOUBLE", 2), ("DT_INT32", 3), ("DT_UINT8", 4),
    ("DT_INT16", 5), ("DT_INT8", 6), ("DT_STRING", 7), ("DT_COMPLEX64", 8), ("DT_INT64", 9),
    ("DT_BOOL", 10), ("DT_QINT8", 11), ("DT_QUINT8", 12), ("DT_QINT32", 13),
    ("DT_BFLOAT16", 14), ("DT_QINT16", 15), ("DT_QUINT16", 16), ("DT_UINT16", 17),
    ("DT_COMPLEX128", 18), ("DT_HALF", 19), ("DT_RESOURCE", 20), ("DT_VARIANT", 21),
    ("DT_UINT32", 22), ("DT_UINT64", 23),
)

# message name -> fields (name, number, type, repeated); a type is a scalar type name,
# "map<string, Message>", or the name of a message (or enum) of the same package.
_MESSAGES = {
    "tensorflow/core/example/feature.proto": {
        "BytesList": [("value", 1, "bytes", True)],
        "FloatList": [("value", 1, "float", True)],
        "Int64List": [("value", 1, "int64", True)],
        "Feature": [("bytes_list", 1, "BytesList", False),
                    ("float_list", 2, "FloatList", False),
                    ("int64_list", 3, "Int64List", False)],
        "Features": [("feature", 1, "map<string, Feature>", False)],
        "FeatureList": [("feature", 1, "Feature", True)],
        "FeatureLists": [("feature_list", 1, "map<string, FeatureList>", False)],
    },
    "tensorflow/core/example/example.proto": {
        "Example": [("features", 1, "Features", False)],
        "SequenceExample": [("context", 1, "Features", False),
                            ("feature_lists", 2, "FeatureLists", False)],
    },
    "tensorflow/core/framework/tensor.proto": {
        "TensorShapeProto": [("dim", 2, "TensorShapeProto.Dim", True),
                             ("unknown_rank", 3, "bool", False)],
        "TensorShapeProto.Dim": [("size", 1, "int64", False), ("name", 2, "string", False)],
        "TensorProto": [("dtype", 1, "DataType", False),
                        ("tensor_shape", 2, "TensorShapeProto", False),
                        ("version_number", 3, "int32", False),
                        ("tensor_content", 4, "bytes", False),
                        ("half_val", 13, "int32", True),
                        ("float_val", 5, "float", True),
                        ("double_val", 6, "double", True),
                        ("int_val", 7, "int32", True),
                        ("string_val", 8, "bytes", True),
                        ("scomplex_val", 9, "float", True),
                        ("int64_val", 10, "int64", True),
                        ("bool_val", 11, "bool", True),
                        ("dcomplex_val", 12, "double", True),
                        ("uint32_val", 16, "uint32", True),
                        ("uint64_val", 17, "uint64", True)],
    },
}
_ONEOFS = {"Feature": "kind"}  # Feature's three fields form the oneof `kind`
_ENUMS = {"DataType"}


def _set_type(field, type_name, map_entry=None):
    if type_name in _SCALAR_TYPES:
        field.type = _SCALAR_TYPES[type_name]
    elif type_name in _ENUMS:
        field.type, field.type_name = _F.TYPE_ENUM, ".tensorflow." + type_name
    else:
        field.type = _F.TYPE_MESSAGE
        field.type_name = ".tensorflow." + (map_entry or type_name)


def _add_map_field(message, name, number, value_type):
    """A `map<string, value_type>` field: a repeated nested `<Name>Entry` message."""
    entry_name = "".join(part.capitalize() for part in name.split("_")) + "Entry"
    entry = message.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, label=_OPTIONAL, type=_F.TYPE_STRING)
    value = entry.field.add(name="value", number=2, label=_OPTIONAL)
    _set_type(value, value_type)
    field = message.field.add(name=name, number=number, label=_REPEATED)
    _set_type(field, None, f"{message.name}.{entry_name}")


def _add_message(file, full_name, fields, parents):
    outer, _, inner = full_name.partition(".")
    if inner:
        message = parents[outer].nested_type.add(name=inner)
    else:
        message = parents[outer] = file.message_type.add(name=outer)
    oneof = _ONEOFS.get(full_name)
    if oneof:
        message.oneof_decl.add(name=oneof)
    for name, number, type_name, repeated in fields:
        if type_name.startswith("map<"):
            _add_map_field(message, name, number, type_name[len("map<string, "):-1])
            continue
        field = message.field.add(name=name, number=number,
                                  label=_REPEATED if repeated else _OPTIONAL)
        _set_type(field, type_name)
        if oneof:
            field.oneof_index = 0


def _file_descriptor(name, messages, dependencies):
    file = descriptor_pb2.FileDescriptorProto(name=name, package="tensorflow",
                                              syntax="proto3", dependency=dependencies)
    if name.endswith("tensor.proto"):
        enum = file.enum_type.add(name="DataType")
        for value_name, number in DATA_TYPES:
            enum.value.add(name=value_name, number=number)
    parents = {}
    for full_name, fields in messages.items():
        _add_message(file, full_name, fields, parents)
    return file


def _build():
    pool = descriptor_pool.DescriptorPool()
    dependencies = {"tensorflow/core/example/example.proto":
                    ["tensorflow/core/example/feature.proto"]}
    for name, messages in _MESSAGES.items():
        pool.Add(_file_descriptor(name, messages, dependencies.get(name, [])))
    classes = {}
    for messages in _MESSAGES.values():
        for full_name in messages:
            descriptor = pool.FindMessageTypeByName("tensorflow." + full_name)
            classes[full_name] = message_factory.GetMessageClass(descriptor)
    return classes


_CLASSES = _build()
BytesList = _CLASSES["BytesList"]
FloatList = _CLASSES["FloatList"]
Int64List = _CLASSES["Int64List"]
Feature = _CLASSES["Feature"]
Features = _CLASSES["Features"]
FeatureList = _CLASSES["FeatureList"]
FeatureLists = _CLASSES["FeatureLists"]
Example = _CLASSES["Example"]
SequenceExample = _CLASSES["SequenceExample"]
TensorShapeProto = _CLASSES["TensorShapeProto"]
TensorProto = _CLASSES["TensorProto"]
