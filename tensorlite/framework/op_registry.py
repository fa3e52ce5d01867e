"""The op registry: every op is defined once, as a kernel + shape rule + gradient rule.

    @op("MatMul", shape=_matmul_shape, grad=_matmul_grad)
    def _matmul(a, b, *, transpose_a=False, transpose_b=False):
        ...  # NumPy in, NumPy out

- kernel: ndarrays (or NumPy scalars) in, ndarray out (a tuple when the op has
  several outputs). The only place that computes.
- shape rule: ``shape(*specs, **attrs)`` -> ``(dtype, TensorShape)`` or a list
  of them. A spec has ``.dtype``, ``.shape`` (a TensorShape, possibly with
  None dimensions) and ``.value`` (the ndarray if statically known, else None).
- gradient rule: ``grad(op, *output_grads)`` -> one gradient (or None) per
  input, written with public tf ops so it is differentiable and traceable.
  ``op`` has ``.inputs``, ``.outputs``, ``.get_attr(name)`` and ``.attrs``.

The decorator returns the `OpDef`; public functions call
``execute(OPDEF, inputs, attrs)``.
"""

REGISTRY = {}


class OpDef:
    """One registered op type."""

    __slots__ = ("type", "kernel", "shape_fn", "grad_fn", "dtypes", "dtype_names",
                 "num_outputs", "stateful", "differentiable")

    def __init__(self, type_, kernel, shape_fn, grad_fn, dtypes, num_outputs, stateful,
                 differentiable):
        self.type = type_
        self.kernel = kernel
        self.shape_fn = shape_fn
        self.grad_fn = grad_fn
        self.dtypes = dtypes
        # names hash in C; DTypes hash in Python (they compare equal to strings too)
        self.dtype_names = None if dtypes is None else frozenset(d.name for d in dtypes)
        self.num_outputs = num_outputs
        self.stateful = stateful
        self.differentiable = differentiable

    def __repr__(self):
        return f"<OpDef {self.type}>"


def op(type_, *, shape, grad=None, dtypes=None, num_outputs=1, stateful=False,
       differentiable=None):
    """Registers a kernel as the op `type_` (TensorFlow's op type name).

    dtypes: the allowed dtypes of input 0 (TensorFlow's attr ``T``), or None.
    num_outputs: 1, a fixed count, or None when the count follows from the
      attrs (Split, Unpack); kernels of ops with num_outputs != 1 return tuples.
    differentiable: False for ops whose outputs carry no gradient (comparisons,
      shapes, argmax, random draws); defaults to ``grad is not None``. An op
      that is differentiable must have a gradient rule; the test suite checks.
    """
    if differentiable is None:
        differentiable = grad is not None

    def register(kernel):
        if type_ in REGISTRY:
            raise ValueError(f"Op type {type_!r} is registered twice")
        opdef = OpDef(type_, kernel, shape, grad, dtypes, num_outputs, stateful,
                      differentiable)
        REGISTRY[type_] = opdef
        return opdef
    return register


def get(type_):
    """The OpDef registered under TensorFlow's op type name."""
    try:
        return REGISTRY[type_]
    except KeyError:
        raise LookupError(f"Op type not registered '{type_}'") from None
