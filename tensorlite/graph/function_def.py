"""`ConcreteFunction.function_def`: the function's signature as TensorFlow's FunctionDef
proto shows it (protobuf text format), without depending on protobuf."""
from tensorlite.framework import dtypes as _dtypes

_TYPE_ENUM = {
    _dtypes.float32: "DT_FLOAT", _dtypes.float64: "DT_DOUBLE", _dtypes.float16: "DT_HALF",
    _dtypes.bfloat16: "DT_BFLOAT16", _dtypes.int8: "DT_INT8", _dtypes.int16: "DT_INT16",
    _dtypes.int32: "DT_INT32", _dtypes.int64: "DT_INT64", _dtypes.uint8: "DT_UINT8",
    _dtypes.uint16: "DT_UINT16", _dtypes.uint32: "DT_UINT32", _dtypes.uint64: "DT_UINT64",
    _dtypes.bool: "DT_BOOL", _dtypes.string: "DT_STRING", _dtypes.complex64: "DT_COMPLEX64",
    _dtypes.complex128: "DT_COMPLEX128", _dtypes.resource: "DT_RESOURCE",
    _dtypes.variant: "DT_VARIANT",
}


class ArgDef:
    """One input or output of the signature: a name and a DataType enum name."""

    def __init__(self, name, dtype):
        self.name = name
        self.type = _TYPE_ENUM[dtype]

    def _lines(self):
        return [f'name: "{self.name}"', f"type: {self.type}"]

    def __str__(self):
        return "\n".join(self._lines()) + "\n"


class OpDefSignature:
    """`function_def.signature`: name, input_arg and output_arg lists."""

    def __init__(self, name, input_arg, output_arg, is_stateful):
        self.name = name
        self.input_arg = input_arg
        self.output_arg = output_arg
        self.is_stateful = is_stateful

    def __str__(self):
        lines = [f'name: "{self.name}"']
        for field, args in (("input_arg", self.input_arg), ("output_arg", self.output_arg)):
            for a in args:
                lines.append(field + " {")
                lines.extend("  " + line for line in a._lines())
                lines.append("}")
        if self.is_stateful:
            lines.append("is_stateful: true")
        return "\n".join(lines) + "\n"


class FunctionDef:
    def __init__(self, signature):
        self.signature = signature

    def __str__(self):
        body = str(self.signature).rstrip("\n").split("\n")
        return "signature {\n" + "\n".join("  " + line for line in body) + "\n}\n"


def function_def(concrete):
    graph = concrete.graph
    inputs = [ArgDef(ph.op.name.lower(), ph.dtype) for ph in graph.inputs]
    outputs = [ArgDef(t.op.name.lower(), t.dtype) for t in concrete.outputs if t is not None]
    stateful = any(op.opdef.stateful for op in graph.get_operations())
    return FunctionDef(OpDefSignature(concrete.name, inputs, outputs, stateful))
