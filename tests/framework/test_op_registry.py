"""Every registered op is complete: a kernel, a shape rule, and a gradient rule unless
it is declared non-differentiable."""
import tensorlite  # noqa: F401 - registers the ops
from tensorlite.framework.op_registry import REGISTRY, get
import pytest


def test_differentiable_ops_have_gradient_rules():
    missing = [t for t, d in REGISTRY.items() if d.differentiable and d.grad_fn is None]
    assert not missing, f"ops registered as differentiable without a gradient rule: {missing}"


def test_every_op_has_a_shape_rule_and_kernel():
    for type_, opdef in REGISTRY.items():
        assert callable(opdef.kernel), type_
        assert callable(opdef.shape_fn), type_


def test_core_ops_use_tensorflow_names():
    for name in ("AddV2", "Mul", "Pow", "MatMul", "ReadVariableOp", "AssignVariableOp",
                 "AssignAddVariableOp", "Identity", "StopGradient", "Reshape", "Cast"):
        assert get(name).type == name


def test_unknown_op_type():
    with pytest.raises(LookupError):
        get("NoSuchOp")
