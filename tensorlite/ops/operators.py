"""Python operators on tensors and variables, each the tf op TensorFlow maps it to.

Installed onto `Tensor` and `Variable` here (not in the framework) because
the framework sits below the ops it would call.
"""
from tensorlite.framework.context import graph_stack
from tensorlite.framework.tensor import Tensor
from tensorlite.framework.variables import Variable
from tensorlite.ops import array as _array
from tensorlite.ops import linalg as _linalg
from tensorlite.ops import math as _math


def _binary(name):
    """Forward and reflected operator methods calling `tf.math.<name>`."""
    def forward(self, other):
        return getattr(_math, name)(self, other)

    def reflected(self, other):
        return getattr(_math, name)(other, self)
    return forward, reflected


def _matmul(self, other):
    return _linalg.matmul(self, other)


def _rmatmul(self, other):
    return _linalg.matmul(other, self)


def _eq(self, other):
    return _math.tensor_equals(self, other)


def _ne(self, other):
    return _math.tensor_not_equals(self, other)


def _getitem(self, key):
    return _array.getitem(self, key)


def _scoped(fn, scope):
    """Operator methods for `fn`; in a graph the op and its converted operand are
    named as TensorFlow names them (`pow`, `pow/y`, then `pow_1` ...)."""
    def forward(self, other):
        if graph_stack:
            with graph_stack[-1].name_scope(scope) as name:
                return fn(self, other, name=name)
        return fn(self, other)

    def reflected(self, other):
        if graph_stack:
            with graph_stack[-1].name_scope(scope) as name:
                return fn(other, self, name=name)
        return fn(other, self)
    return forward, reflected


def _install(cls):
    for dunder, fn, scope in (("add", _math.add, "add"), ("sub", _math.subtract, "sub"),
                              ("mul", _math.multiply, "mul"),
                              ("truediv", _math.truediv, "truediv"), ("pow", _math.pow, "pow")):
        forward, reflected = _scoped(fn, scope)
        setattr(cls, f"__{dunder}__", forward)
        setattr(cls, f"__r{dunder}__", reflected)
    for dunder, name in (("floordiv", "floordiv"), ("mod", "floormod"),
                         ("and", "logical_and_or_bitwise"), ("or", "logical_or_or_bitwise"),
                         ("xor", "logical_xor_or_bitwise")):
        forward, reflected = _binary(name)
        setattr(cls, f"__{dunder}__", forward)
        setattr(cls, f"__r{dunder}__", reflected)
    cls.__matmul__ = _matmul
    cls.__rmatmul__ = _rmatmul
    cls.__neg__ = _math.negative
    cls.__abs__ = _math.abs
    cls.__invert__ = lambda self: _math.invert_or_logical_not(self)
    cls.__lt__ = _math.less
    cls.__le__ = _math.less_equal
    cls.__gt__ = _math.greater
    cls.__ge__ = _math.greater_equal
    cls.__eq__ = _eq
    cls.__ne__ = _ne
    cls.__getitem__ = _getitem


_install(Tensor)
_install(Variable)
