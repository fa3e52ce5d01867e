"""Python operators on tensors and variables, each the tf op TensorFlow maps it to.

Installed onto `Tensor` and `Variable` here (not in the framework) because
the framework sits below the ops it would call.
"""
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
    if other is None:
        return False
    try:
        return _math.equal(self, other)
    except (TypeError, ValueError):
        return False


def _ne(self, other):
    if other is None:
        return True
    try:
        return _math.not_equal(self, other)
    except (TypeError, ValueError):
        return True


def _getitem(self, key):
    return _array.getitem(self, key)


def _install(cls):
    cls.__add__ = _math.add
    cls.__radd__ = lambda self, other: _math.add(other, self)
    cls.__sub__ = _math.subtract
    cls.__rsub__ = lambda self, other: _math.subtract(other, self)
    cls.__mul__ = _math.multiply
    cls.__rmul__ = lambda self, other: _math.multiply(other, self)
    cls.__truediv__ = _math.truediv
    cls.__rtruediv__ = lambda self, other: _math.truediv(other, self)
    cls.__pow__ = _math.pow
    cls.__rpow__ = lambda self, other: _math.pow(other, self)
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
