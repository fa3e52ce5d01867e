"""Test-session wiring: every kernel run during the tests also checks its op's shape rule.

The shape rules are what graph tracing and Keras's symbolic tensors rely on;
here each eager run of an op compares the rule's (dtype, shape) with what the
kernel produced, so a wrong rule fails whichever test first runs that op.
"""
import numpy as np
import pytest

import tensorlite  # noqa: F401 - registers the ops
from tensorlite.framework import dtypes
from tensorlite.framework.op_registry import REGISTRY
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.framework.variables import Resource


class Spec:
    """What a shape rule sees of an input: dtype, static shape, known value."""

    def __init__(self, value):
        if isinstance(value, Resource):
            self.dtype, self.shape, self.value = dtypes.resource, TensorShape([]), value
        else:
            self.dtype = dtypes.from_numpy(np.asarray(value).dtype)
            self.shape = TensorShape(np.shape(value))
            self.value = value


class ShapeRuleMismatch(AssertionError):
    pass


def _checked(opdef):
    kernel = opdef.kernel

    def run(*args, **attrs):
        out = kernel(*args, **attrs)
        rule = opdef.shape_fn(*[Spec(a) for a in args], **attrs)
        outs = out if opdef.num_outputs != 1 else (out,)
        rules = rule if opdef.num_outputs != 1 else [rule]
        if len(rules) != len(outs):
            raise ShapeRuleMismatch(f"{opdef.type}: shape rule gives {len(rules)} outputs, "
                                    f"kernel {len(outs)}")
        for i, ((dtype, shape), o) in enumerate(zip(rules, outs)):
            if dtype is dtypes.variant:  # host objects (a loop's kept states)
                continue
            got_dtype = dtypes.from_numpy(np.asarray(o).dtype)
            if dtype is not got_dtype or not TensorShape(shape).is_compatible_with(np.shape(o)) \
                    or TensorShape(shape).rank != np.ndim(o):
                raise ShapeRuleMismatch(
                    f"{opdef.type} output {i}: shape rule says {dtype} {TensorShape(shape)}, "
                    f"kernel gave {got_dtype} {np.shape(o)} (attrs {attrs})")
        return out
    run.__wrapped__ = kernel
    return run


def pytest_sessionstart(session):
    for opdef in REGISTRY.values():
        if not hasattr(opdef.kernel, "__wrapped_by_shape_check__"):
            opdef.kernel = _checked(opdef)
            opdef.kernel.__wrapped_by_shape_check__ = True


@pytest.fixture(autouse=True)
def _seeded():
    np.random.seed(0)
    yield
