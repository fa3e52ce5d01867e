"""Convolution and pooling (`tf.nn.conv2d`, `conv1d`, `conv2d_transpose`, `max_pool2d`,
`avg_pool2d` ...): NHWC ops with TensorFlow's output sizes, padding split and errors.

Kernels work on the spatial axes of ``[batch, *spatial, channels]`` arrays through
a small "geometry" (window size, stride, dilation, padding before/after and
output size per spatial axis), so one set of helpers serves every op:

- convolution is im2col + one matrix product: the input windows are copied
  into a ``[batch, *out, *window, channels]`` buffer (one strided copy per window
  offset) and multiplied by the filter seen as a ``[window * channels, out]``
  matrix; the filter gradient is the same buffer times the output gradient,
  the input gradient the reverse product scattered back (col2im);
- pooling reduces the strided views of the input at each window offset
  (``np.fmax`` / ``+``), a few passes over the output instead of a window axis.

TensorFlow pads SAME convolutions with the extra row/column at the bottom/right,
pads max pooling with the dtype's lowest value, and averages SAME average
pooling over the real (unpadded) elements only; so does this module.
"""
import itertools
import math
import numbers

import numpy as np

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework import errors
from tensorlite.framework.execute import execute, unsupported_dtype
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor import Tensor, convert_to_tensor
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops import array as _array
from tensorlite.ops._helpers import binary_inputs, static_value, to_tensor

# TensorFlow has no top-level names for these: they live under `tf.nn`.
__all__ = []

_CONV_DTYPES = frozenset({_dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
                          _dtypes.float64, _dtypes.int32})
_MAX_POOL_DTYPES = frozenset({_dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
                              _dtypes.float64, _dtypes.int32, _dtypes.int64, _dtypes.uint8,
                              _dtypes.int16, _dtypes.int8, _dtypes.uint16})
_FLOAT_DTYPES = frozenset({_dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
                           _dtypes.float64})
# Half precisions are computed in float32 (NumPy has no fast half matmul; bfloat16 none).
_HALF = (np.dtype(np.float16), _dtypes.bfloat16._np)
_F32 = np.dtype(np.float32)


def _dims_text(dims):
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _work(x):
    return x.astype(_F32) if x.dtype in _HALF else x


def _unimplemented(op_type, message):
    return errors.op_error(errors.UnimplementedError, op_type, message)


# ---- window geometry -----------------------------------------------------------------

class _Axis:
    """One spatial axis of a sliding window: size k, stride s, dilation d, padding
    before/after, input size n and output size out."""

    __slots__ = ("k", "s", "d", "before", "after", "n", "out")

    def __init__(self, k, s, d, before, after, n, out):
        self.k, self.s, self.d = k, s, d
        self.before, self.after, self.n, self.out = before, after, n, out

    def window(self, offset):
        """The input rows (in padded coordinates) seen by window position `offset`."""
        if not self.out:  # (a negative stop would count from the end)
            return slice(0, 0)
        start = offset * self.d
        return slice(start, start + (self.out - 1) * self.s + 1, self.s)


def _windowed_size(n, eff, s):
    """VALID/EXPLICIT output size, truncated as TensorFlow's C++ does; < 0 is an error."""
    out = int((n - eff + s) / s)
    if out < 0:
        raise ValueError(f"Computed output size would be negative: {out} [input_size: {n}, "
                         f"effective_filter_size: {eff}, stride: {s}]")
    return out


def _axis(n, k, s, d, padding, explicit):
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-n // s)
        total = max((out - 1) * s + eff - n, 0)
        return _Axis(k, s, d, total // 2, total - total // 2, n, out)
    before, after = explicit if padding == "EXPLICIT" else (0, 0)
    return _Axis(k, s, d, before, after, n, _windowed_size(n + before + after, eff, s))


def _geometry(in_dims, window, strides, dilations, padding, explicit_paddings):
    """The `_Axis` of every spatial axis of an NHWC-like shape (lists include N and C)."""
    nd = len(in_dims) - 2
    pairs = [tuple(explicit_paddings[2 * i:2 * i + 2]) for i in range(1, nd + 1)] \
        if padding == "EXPLICIT" else [None] * nd
    return [_axis(in_dims[i + 1], window[i], strides[i + 1], dilations[i + 1], padding, pairs[i])
            for i in range(nd)]


def _offsets(geom):
    return itertools.product(*[range(a.k) for a in geom])


def _windows(geom, offset):
    """Index of the strided view of a padded input seen at window `offset`."""
    return (slice(None),) + tuple(a.window(o) for a, o in zip(geom, offset))


def _interior(geom):
    """Index of the unpadded part of a padded array."""
    return (slice(None),) + tuple(slice(a.before, a.before + a.n) for a in geom)


def _pad(x, geom, value):
    # (np.pad costs tens of microseconds per call; a fill and a copy do the same)
    if not any(a.before or a.after for a in geom):
        return x
    shape = _padded_shape(x.shape, geom)
    xp = np.zeros(shape, x.dtype) if value == 0 else np.full(shape, value, x.dtype)
    xp[_interior(geom)] = x
    return xp


def _crop(xp, geom):
    """The unpadded part of a padded array (inverse of `_pad`)."""
    return xp[_interior(geom)]


def _padded_shape(in_shape, geom):
    return (in_shape[0],) + tuple(a.n + a.before + a.after for a in geom) + (in_shape[-1],)


# ---- attribute checks shared by the kernels ---------------------------------------------

def _check_nhwc(op_type, data_format):
    if data_format != "NHWC":
        raise _unimplemented(op_type, f"The {op_type} op currently only supports the NHWC "
                                      f"tensor format on the CPU. The op was given the format: "
                                      f"{data_format}")


def _check_explicit(padding, explicit_paddings):
    if padding != "EXPLICIT":
        return
    if any(p < 0 for p in explicit_paddings):
        raise ValueError("All elements of explicit_paddings must be nonnegative")
    if any(explicit_paddings[i] for i in (0, 1, 6, 7)):
        raise ValueError("Nonzero explicit padding in the batch or depth dimensions is not "
                         "supported")


# ---- convolution kernels ----------------------------------------------------------------

def _conv_geometry(op_type, in_shape, filter_shape, strides, padding, explicit_paddings,
                   data_format, dilations):
    """Checks a Conv2D-family call as TensorFlow's kernels do; returns (geometry, groups)."""
    _check_nhwc(op_type, data_format)
    if len(in_shape) != 4:
        raise ValueError(f"convolution input must be 4-dimensional: {_dims_text(in_shape)}")
    if len(filter_shape) != 4:
        raise ValueError(f"convolution filter must be 4-dimensional: {_dims_text(filter_shape)}")
    if strides[0] != 1 or strides[3] != 1:
        raise _unimplemented(op_type, "Current implementation does not yet support strides in "
                                      "the batch and depth dimensions.")
    if strides[1] <= 0 or strides[2] <= 0:
        raise ValueError("Row and column strides should be larger than 0.")
    if dilations[0] != 1 or dilations[3] != 1:
        raise _unimplemented(op_type, "Current implementation does not yet support dilations "
                                      "in the batch and depth dimensions.")
    if dilations[1] <= 0 or dilations[2] <= 0:
        raise ValueError("Dilated rates should be larger than 0.")
    _check_explicit(padding, explicit_paddings)
    depth, filter_depth, out_depth = in_shape[3], filter_shape[2], filter_shape[3]
    if filter_depth <= 0:
        raise ValueError(f"filter depth must be stricly positive, got {filter_depth}")
    if depth % filter_depth:
        raise ValueError(f"input depth must be evenly divisible by filter depth: "
                         f"{depth} vs {filter_depth}")
    groups = depth // filter_depth
    if out_depth % groups:
        raise ValueError(f"output depth must be evenly divisible by number of groups: "
                         f"{out_depth} vs {groups}")
    geom = _geometry(in_shape, filter_shape[:2], strides, dilations, padding, explicit_paddings)
    return geom, groups


def _im2col(xp, geom):
    """The windows of a padded input, [batch, *out, *window, channels] (contiguous)."""
    nd = len(geom)
    cols = np.empty((xp.shape[0],) + tuple(a.out for a in geom) + tuple(a.k for a in geom)
                    + (xp.shape[-1],), xp.dtype)
    lead = (slice(None),) * (nd + 1)
    for offset in _offsets(geom):
        cols[lead + offset] = xp[_windows(geom, offset)]
    return cols


def _col2im(dcols, padded_shape, geom):
    """Adds every window of `dcols` back onto a zero padded input (transpose of im2col)."""
    dxp = np.zeros(padded_shape, dcols.dtype)
    lead = (slice(None),) * (len(geom) + 1)
    for offset in _offsets(geom):
        dxp[_windows(geom, offset)] += dcols[lead + offset]
    return dxp


def _column_matrix_shape(cols, nd):
    """(rows, columns) of an im2col buffer seen as a matrix: one row per output position."""
    return math.prod(cols.shape[:nd + 1]), math.prod(cols.shape[nd + 1:])


def _group_columns(cols, nd, groups):
    """The [rows, window * in] column matrix of each group of input channels."""
    rows, columns = _column_matrix_shape(cols, nd)
    if groups == 1:
        return [cols.reshape(rows, columns)]
    cin = cols.shape[-1] // groups
    c4 = cols.reshape(rows, columns // cols.shape[-1], groups, cin)
    return [c4[:, :, g].reshape(rows, -1) for g in range(groups)]


def _group_filters(w, groups):
    """The [window * in, out] filter matrix of each group: group g reads input channels
    g*in:(g+1)*in and writes output channels g*out:(g+1)*out, as TensorFlow's grouped
    convolution does."""
    cout = w.shape[-1] // groups
    rows = math.prod(w.shape[:-1])
    w2 = w.reshape(rows, w.shape[-1])
    return [w2[:, g * cout:(g + 1) * cout] for g in range(groups)]


def _conv_forward(x, w, geom, groups):
    x, w = _work(x), _work(w)
    cols = _im2col(_pad(x, geom, 0), geom)
    products = [c @ f for c, f in zip(_group_columns(cols, len(geom), groups),
                                      _group_filters(w, groups))]
    out = products[0] if groups == 1 else np.concatenate(products, axis=-1)
    return out.reshape(cols.shape[:len(geom) + 1] + (w.shape[-1],))


def _filter_grad(x, filter_shape, dy, geom, groups):
    x, dy = _work(x), _work(dy)
    cols = _im2col(_pad(x, geom, 0), geom)
    dys = np.split(dy.reshape(-1, dy.shape[-1]), groups, axis=-1)
    parts = [(c.T @ d).reshape(tuple(filter_shape[:3]) + (d.shape[-1],))
             for c, d in zip(_group_columns(cols, len(geom), groups), dys)]
    return parts[0] if groups == 1 else np.concatenate(parts, axis=-1)


def _input_grad(in_shape, w, dy, geom, groups):
    w, dy = _work(w), _work(dy)
    dys = np.split(dy.reshape(-1, dy.shape[-1]), groups, axis=-1)
    window = tuple(a.k for a in geom)
    parts = [(d @ f.T).reshape(dy.shape[:-1] + window + (w.shape[-2],))
             for d, f in zip(dys, _group_filters(w, groups))]
    dcols = parts[0] if groups == 1 else np.concatenate(parts, axis=-1)
    return _crop(_col2im(dcols, _padded_shape(in_shape, geom), geom), geom)


def _check_out_backprop(op_type, geom, in_shape, out_depth, dy):
    """out_backprop must have the convolution's output shape (TensorFlow's checks)."""
    if dy.ndim != 4:
        raise ValueError(f"out_backprop must be 4-dimensional: {_dims_text(dy.shape)}")
    if dy.shape[0] != in_shape[0]:
        raise ValueError(f"{op_type}: input and out_backprop must have the same batch size, "
                         f"input batch: {in_shape[0]}, outbackprop batch: {dy.shape[0]}, "
                         f"batch_dim: 0")
    for i, a in enumerate(geom):
        if dy.shape[i + 1] != a.out:
            raise ValueError(f"{op_type}: Size of out_backprop doesn't match computed: "
                             f"actual = {dy.shape[i + 1]}, computed = {a.out} spatial_dim: "
                             f"{i + 1} input: {a.n} filter: {a.k} output: {dy.shape[i + 1]} "
                             f"stride: {a.s} dilation: {a.d}")
    if dy.shape[3] != out_depth:
        raise ValueError(f"{op_type}: filter and out_backprop must have the same out_depth")


def _sizes(value, what):
    sizes = tuple(int(v) for v in np.asarray(value).reshape(-1))
    if len(sizes) != 4:
        raise ValueError(f"{what} must be a 1-D tensor of 4 elements, got {len(sizes)}")
    return sizes


# ---- convolution shape rules ---------------------------------------------------------------

def _rank4(spec, what, op_type):
    shape = spec.shape
    if shape.rank is None:
        return [None] * 4
    if shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {shape.rank} for '{op_type}' "
                         f"({what} shape: {shape})")
    return shape.as_list()


def _static_out(n, k, s, d, padding, explicit):
    """An output size from possibly unknown (None) input/window sizes."""
    if n is None or (k is None and padding != "SAME"):
        return None
    return _axis(n, 1 if k is None else k, s, d, padding, explicit).out


def _conv_out_dims(in_dims, filter_dims, strides, padding, explicit_paddings, dilations):
    pairs = [tuple(explicit_paddings[2 * i:2 * i + 2]) for i in (1, 2)] \
        if padding == "EXPLICIT" else [None, None]
    return [_static_out(in_dims[i + 1], filter_dims[i], strides[i + 1], dilations[i + 1],
                        padding, pairs[i]) for i in range(2)]


def _conv2d_shape(input, filter, strides, padding, explicit_paddings, data_format,  # noqa: A002
                  dilations):
    in_dims = _rank4(input, "input", "Conv2D")
    f_dims = _rank4(filter, "filter", "Conv2D")
    if in_dims[3] is not None and f_dims[2] and in_dims[3] % f_dims[2]:
        raise ValueError(f"Depth of input ({in_dims[3]}) is not a multiple of input depth of "
                         f"filter ({f_dims[2]}) for 'Conv2D'")
    spatial = _conv_out_dims(in_dims, f_dims, strides, padding, explicit_paddings, dilations)
    return input.dtype, TensorShape([in_dims[0]] + spatial + [f_dims[3]])


def _shape_from_sizes(sizes, fallback):
    """A static shape from a 1-D sizes tensor spec, or `fallback` dims when unknown."""
    value = static_value(sizes)
    if value is not None:
        return TensorShape([int(v) for v in np.asarray(value).reshape(-1)])
    return TensorShape(fallback)


def _backprop_input_shape(input_sizes, filter, out_backprop, **attrs):  # noqa: A002
    batch = out_backprop.shape[0] if out_backprop.shape.rank else None
    return filter.dtype, _shape_from_sizes(input_sizes, [batch, None, None, None])


def _backprop_filter_shape(input, filter_sizes, out_backprop, **attrs):  # noqa: A002
    out_depth = out_backprop.shape[-1] if out_backprop.shape.rank else None
    return input.dtype, _shape_from_sizes(filter_sizes, [None, None, None, out_depth])


# ---- convolution ops ------------------------------------------------------------------------

def _shape_tensor(x):
    """x's shape as an int32 tensor: a constant when static (so shape rules see it)."""
    if x.shape.is_fully_defined():
        return convert_to_tensor(np.array(x.shape.as_list(), dtype=np.int32))
    return _array.shape(x)


def _shaped_like(t, x):
    """t, with x's static shape when tracing (a shape rule cannot see a Shape op's partly
    known value, as for a gradient with an unknown batch size)."""
    if not t.shape.is_fully_defined():
        t.set_shape(x.shape)
    return t


def _input_backprop(x, w, grad, attrs):
    return _shaped_like(execute(_conv2d_backprop_input, (_shape_tensor(x), w, grad), attrs), x)


def _filter_backprop(x, w, grad, attrs):
    return _shaped_like(execute(_conv2d_backprop_filter, (x, _shape_tensor(w), grad), attrs), w)


def _conv2d_grad(op, grad):
    x, w = op.inputs
    need_x, need_w = op.needs_grad or (True, True)
    return (_input_backprop(x, w, grad, op.attrs) if need_x else None,
            _filter_backprop(x, w, grad, op.attrs) if need_w else None)


def _backprop_input_grad(op, grad):
    _, w, dy = op.inputs
    return None, _filter_backprop(grad, w, dy, op.attrs), execute(_conv2d, (grad, w), op.attrs)


def _backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    return _input_backprop(x, grad, dy, op.attrs), None, execute(_conv2d, (x, grad), op.attrs)


@op("Conv2D", shape=_conv2d_shape, grad=_conv2d_grad, dtypes=_CONV_DTYPES)
def _conv2d(input, filter, strides, padding, explicit_paddings, data_format,  # noqa: A002
            dilations):
    geom, groups = _conv_geometry("Conv2D", input.shape, filter.shape, strides, padding,
                                  explicit_paddings, data_format, dilations)
    return _conv_forward(input, filter, geom, groups).astype(input.dtype, copy=False)


@op("Conv2DBackpropInput", shape=_backprop_input_shape, grad=_backprop_input_grad)
def _conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                           explicit_paddings, data_format, dilations):
    in_shape = _sizes(input_sizes, "input_sizes")
    geom, groups = _conv_geometry("Conv2DBackpropInput", in_shape, filter.shape, strides,
                                  padding, explicit_paddings, data_format, dilations)
    _check_out_backprop("Conv2DCustomBackpropInput", geom, in_shape, filter.shape[3],
                        out_backprop)
    dx = _input_grad(in_shape, filter, out_backprop, geom, groups)
    return dx.astype(filter.dtype, copy=False)


@op("Conv2DBackpropFilter", shape=_backprop_filter_shape, grad=_backprop_filter_grad)
def _conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                            explicit_paddings, data_format, dilations):
    f_shape = _sizes(filter_sizes, "filter_sizes")
    geom, groups = _conv_geometry("Conv2DBackpropFilter", input.shape, f_shape, strides,
                                  padding, explicit_paddings, data_format, dilations)
    _check_out_backprop("Conv2DCustomBackpropFilter", geom, input.shape, f_shape[3],
                        out_backprop)
    return _filter_grad(input, f_shape, out_backprop, geom, groups).astype(input.dtype,
                                                                           copy=False)


# ---- depthwise convolution ---------------------------------------------------------------------
# Each input channel c has its own `multiplier` filters w[..., c, :]; output channel
# c * multiplier + m. One broadcast multiply-add per window offset, no im2col needed.

def _depthwise_geometry(op_type, in_shape, filter_shape, strides, padding, explicit_paddings,
                        data_format, dilations):
    _check_nhwc(op_type, data_format)
    if len(in_shape) != 4:
        raise ValueError(f"input must be 4-dimensional: {_dims_text(in_shape)}")
    if len(filter_shape) != 4:
        raise ValueError(f"filter must be 4-dimensional: {_dims_text(filter_shape)}")
    if strides[0] != 1 or strides[3] != 1:
        raise _unimplemented(op_type, "Current implementation does not yet support strides in "
                                      "the batch and depth dimensions.")
    if strides[1] != strides[2]:
        raise ValueError("Current implementation only supports equal length strides in the row "
                         "and column dimensions.")
    if strides[1] <= 0:
        raise ValueError("Row and column strides should be larger than 0.")
    if dilations[0] != 1 or dilations[3] != 1 or min(dilations) <= 0:
        raise ValueError("Dilations must be positive and 1 in the batch and depth dimensions.")
    _check_explicit(padding, explicit_paddings)
    if in_shape[3] != filter_shape[2]:
        raise ValueError(f"input and filter must have the same depth: {in_shape[3]} vs "
                         f"{filter_shape[2]}")
    return _geometry(in_shape, filter_shape[:2], strides, dilations, padding, explicit_paddings)


def _depthwise_forward(x, w, geom):
    x, w = _work(x), _work(w)
    xp = _pad(x, geom, 0)
    out = np.zeros((x.shape[0],) + tuple(a.out for a in geom) + w.shape[2:], x.dtype)
    for offset in _offsets(geom):
        out += xp[_windows(geom, offset)][..., None] * w[offset]
    return out.reshape(out.shape[:3] + (w.shape[2] * w.shape[3],))


def _per_channel(dy, multiplier):
    """[..., channels * multiplier] -> [..., channels, multiplier]."""
    return dy.reshape(dy.shape[:-1] + (dy.shape[-1] // multiplier, multiplier))


def _depthwise_filter_grad(x, filter_shape, dy, geom):
    x, dy = _work(x), _per_channel(_work(dy), filter_shape[3])
    xp = _pad(x, geom, 0)
    dw = np.empty(filter_shape, x.dtype)
    for offset in _offsets(geom):
        dw[offset] = np.einsum("nhwc,nhwcm->cm", xp[_windows(geom, offset)], dy)
    return dw


def _depthwise_input_grad(in_shape, w, dy, geom):
    w, dy = _work(w), _per_channel(_work(dy), w.shape[3])
    dxp = np.zeros(_padded_shape(in_shape, geom), w.dtype)
    for offset in _offsets(geom):
        dxp[_windows(geom, offset)] += np.einsum("nhwcm,cm->nhwc", dy, w[offset])
    return _crop(dxp, geom)


def _depthwise_shape(input, filter, strides, padding, explicit_paddings,  # noqa: A002
                     data_format, dilations):
    in_dims = _rank4(input, "input", "DepthwiseConv2dNative")
    f_dims = _rank4(filter, "filter", "DepthwiseConv2dNative")
    spatial = _conv_out_dims(in_dims, f_dims, strides, padding, explicit_paddings, dilations)
    depth = in_dims[3] if in_dims[3] is not None else f_dims[2]
    out = None if depth is None or f_dims[3] is None else depth * f_dims[3]
    return input.dtype, TensorShape([in_dims[0]] + spatial + [out])


def _depthwise_input_backprop(x, w, grad, attrs):
    return _shaped_like(execute(_depthwise_backprop_input, (_shape_tensor(x), w, grad), attrs),
                        x)


def _depthwise_filter_backprop(x, w, grad, attrs):
    return _shaped_like(execute(_depthwise_backprop_filter, (x, _shape_tensor(w), grad), attrs),
                        w)


def _depthwise_grad(op, grad):
    x, w = op.inputs
    need_x, need_w = op.needs_grad or (True, True)
    return (_depthwise_input_backprop(x, w, grad, op.attrs) if need_x else None,
            _depthwise_filter_backprop(x, w, grad, op.attrs) if need_w else None)


def _depthwise_backprop_input_grad(op, grad):
    _, w, dy = op.inputs
    return (None, _depthwise_filter_backprop(grad, w, dy, op.attrs),
            execute(_depthwise_conv2d, (grad, w), op.attrs))


def _depthwise_backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    return (_depthwise_input_backprop(x, grad, dy, op.attrs), None,
            execute(_depthwise_conv2d, (x, grad), op.attrs))


@op("DepthwiseConv2dNative", shape=_depthwise_shape, grad=_depthwise_grad,
    dtypes=_FLOAT_DTYPES)
def _depthwise_conv2d(input, filter, strides, padding, explicit_paddings,  # noqa: A002
                      data_format, dilations):
    geom = _depthwise_geometry("DepthwiseConv2dNative", input.shape, filter.shape, strides,
                               padding, explicit_paddings, data_format, dilations)
    return _depthwise_forward(input, filter, geom).astype(input.dtype, copy=False)


@op("DepthwiseConv2dNativeBackpropInput", shape=_backprop_input_shape,
    grad=_depthwise_backprop_input_grad)
def _depthwise_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa: A002
                              padding, explicit_paddings, data_format, dilations):
    in_shape = _sizes(input_sizes, "input_sizes")
    geom = _depthwise_geometry("DepthwiseConv2dNativeBackpropInput", in_shape, filter.shape,
                               strides, padding, explicit_paddings, data_format, dilations)
    _check_out_backprop("DepthwiseConv2dNativeBackpropInput", geom, in_shape,
                        filter.shape[2] * filter.shape[3], out_backprop)
    dx = _depthwise_input_grad(in_shape, filter, out_backprop, geom)
    return dx.astype(filter.dtype, copy=False)


@op("DepthwiseConv2dNativeBackpropFilter", shape=_backprop_filter_shape,
    grad=_depthwise_backprop_filter_grad)
def _depthwise_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa: A002
                               padding, explicit_paddings, data_format, dilations):
    f_shape = _sizes(filter_sizes, "filter_sizes")
    geom = _depthwise_geometry("DepthwiseConv2dNativeBackpropFilter", input.shape, f_shape,
                               strides, padding, explicit_paddings, data_format, dilations)
    _check_out_backprop("DepthwiseConv2dNativeBackpropFilter", geom, input.shape,
                        f_shape[2] * f_shape[3], out_backprop)
    dw = _depthwise_filter_grad(input, f_shape, out_backprop, geom)
    return dw.astype(input.dtype, copy=False)


# ---- max pooling kernels ---------------------------------------------------------------------

def _pool_geometry(op_type, in_shape, ksize, strides, padding, explicit_paddings,
                   data_format, kernel_name):
    """Checks a 2-D pooling call as TensorFlow's CPU kernels do; returns its geometry."""
    if data_format != "NHWC":
        raise ValueError(f"Default {kernel_name} only supports NHWC on device type CPU")
    if len(in_shape) != 4:
        raise ValueError(f"tensor_in_shape must have 2 spatial dimensions. {len(in_shape)} 0")
    if any(k <= 0 for k in ksize):
        raise ValueError(f"Sliding window ksize must be positive. The specified or inferred "
                         f"ksize is: {','.join(map(str, ksize))}")
    for s in strides:
        if s <= 0:
            raise ValueError(f"Stride must be > 0, but got {s}")
    if ksize[0] != 1 or strides[0] != 1:
        raise _unimplemented(op_type, "Pooling is not yet supported on the batch dimension.")
    _check_explicit(padding, explicit_paddings)
    geom = _geometry(in_shape, ksize[1:3], strides, (1, 1, 1, 1), padding, explicit_paddings)
    if padding == "EXPLICIT":
        for a, (first, last) in zip(geom, (("Top", "Bottom"), ("Left", "Right"))):
            for side, p in ((first, a.before), (last, a.after)):
                if p >= a.k:
                    raise ValueError(f"{side} padding {p} needs to be smaller than the window "
                                     f"size {a.k}")
    return geom


def _max_pool_geometry(op_type, x, ksize, strides, padding, explicit_paddings, data_format):
    return _pool_geometry(op_type, x.shape, ksize, strides, padding, explicit_paddings,
                          data_format, "MaxPoolingOp")


def _depth_window(op_type, x, ksize, strides):
    """The depth pooling window (1 = spatial pooling), checked as TensorFlow does."""
    k = ksize[3]
    if k == 1 and strides[3] == 1:
        return 1
    if ksize[1] != 1 or ksize[2] != 1:
        raise _unimplemented(op_type, "MaxPooling supports exactly one of pooling across depth "
                                      "or pooling across width/height.")
    if x.shape[3] % k:
        raise _unimplemented(op_type, "Depthwise max pooling requires the depth window to "
                                      "evenly divide the input depth")
    if strides[3] != k:
        raise _unimplemented(op_type, "Depthwise max pooling requires the depth window to "
                                      "equal the depth stride")
    return k


def _lowest(dtype):
    return _dtypes.from_numpy(dtype).min


def _pool_max(x, geom):
    """Window maxima; NaNs are skipped and the result is at least the dtype's lowest value,
    as in TensorFlow (which starts each window from that value)."""
    xp = _pad(x, geom, _lowest(x.dtype))
    out = None
    for offset in _offsets(geom):
        view = xp[_windows(geom, offset)]
        out = view.copy() if out is None else np.fmax(out, view, out=out)
    if x.dtype.kind == "f":
        np.fmax(out, _lowest(x.dtype), out=out)
    return out


def _first_max_masks(x, y, geom):
    """(window view index, mask) per window offset: where the window's maximum `y` is first
    reached, in row-major window order (where TensorFlow routes max pooling gradients; it
    recomputes an argmax instead, which differs only for windows holding NaNs)."""
    xp = _pad(x, geom, _lowest(x.dtype))
    offsets = list(_offsets(geom))
    free = None  # outputs whose maximum is not found yet
    for i, offset in enumerate(offsets):
        index = _windows(geom, offset)
        mask = np.equal(xp[index], y)
        if free is None:
            free = ~mask
        else:
            mask &= free
            if i + 1 < len(offsets):
                free ^= mask
        yield index, mask


def _disjoint(geom):
    """Whether the windows never overlap (each input element is in at most one)."""
    return all(a.k <= a.s for a in geom)


def _max_pool_grad_kernel(x, y, grad, geom):
    dxp = np.zeros(_padded_shape(x.shape, geom), grad.dtype)
    disjoint = _disjoint(geom)
    for index, mask in _first_max_masks(x, y, geom):
        if disjoint:
            np.multiply(grad, mask, out=dxp[index])
        else:
            dxp[index] += grad * mask
    return _crop(dxp, geom)


def _max_pool_grad_grad_kernel(x, y, grad, geom):
    gp = _pad(grad, geom, 0)
    out = np.zeros(y.shape, grad.dtype)
    for index, mask in _first_max_masks(x, y, geom):
        out += gp[index] * mask
    return out


# ---- pooling shape rules ---------------------------------------------------------------------

def _pool_shape(input, ksize, strides, padding, data_format, explicit_paddings=()):  # noqa: A002
    dims = _rank4(input, "input", "MaxPool")
    if ksize[3] != 1:  # depth pooling
        depth = None if dims[3] is None else dims[3] // ksize[3]
        return input.dtype, TensorShape(dims[:3] + [depth])
    pairs = [tuple(explicit_paddings[2 * i:2 * i + 2]) for i in (1, 2)] \
        if padding == "EXPLICIT" else [None, None]
    spatial = [_static_out(dims[i + 1], ksize[i + 1], strides[i + 1], 1, padding, pairs[i])
               for i in range(2)]
    return input.dtype, TensorShape([dims[0]] + spatial + [dims[3]])


def _same_as_input(orig_input, *rest, **attrs):
    return orig_input.dtype, orig_input.shape


def _same_as_output(orig_input, orig_output, grad, **attrs):
    return orig_output.dtype, orig_output.shape


# ---- max pooling ops ---------------------------------------------------------------------------

def _max_pool_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    return execute(_max_pool_grad_op, (x, y, grad), op.attrs)


def _max_pool_grad_grad(op, grad):
    x, y = op.inputs[0], op.inputs[1]
    return (_array.zeros_like(x), _array.zeros_like(y),
            execute(_max_pool_grad_grad_op, (x, y, grad), op.attrs))


def _max_pool_grad_grad_grad(op, grad):
    x, y = op.inputs[0], op.inputs[1]
    return (_array.zeros_like(x), _array.zeros_like(y),
            execute(_max_pool_grad_op, (x, y, grad), op.attrs))


@op("MaxPool", shape=_pool_shape, grad=_max_pool_grad, dtypes=_MAX_POOL_DTYPES)
def _max_pool(input, ksize, strides, padding, explicit_paddings, data_format):  # noqa: A002
    geom = _max_pool_geometry("MaxPool", input, ksize, strides, padding, explicit_paddings,
                              data_format)
    depth = _depth_window("MaxPool", input, ksize, strides)
    if depth != 1:  # TensorFlow ignores spatial strides and padding here
        n, h, w, c = input.shape
        out = np.fmax.reduce(input.reshape(n, h, w, c // depth, depth), axis=-1)
        return np.fmax(out, _lowest(input.dtype)) if input.dtype.kind == "f" else out
    return _pool_max(input, geom)


@op("MaxPoolGrad", shape=_same_as_input, grad=_max_pool_grad_grad, dtypes=_MAX_POOL_DTYPES)
def _max_pool_grad_op(orig_input, orig_output, grad, ksize, strides, padding,
                      explicit_paddings, data_format):
    geom = _max_pool_geometry("MaxPoolGrad", orig_input, ksize, strides, padding,
                              explicit_paddings, data_format)
    if ksize[3] != 1 or strides[3] != 1:
        raise _unimplemented("MaxPoolGrad", "MaxPoolingGrad is not yet supported on the depth "
                                            "dimension.")
    return _max_pool_grad_kernel(orig_input, orig_output, grad, geom)


@op("MaxPoolGradGrad", shape=_same_as_output, grad=_max_pool_grad_grad_grad,
    dtypes=_MAX_POOL_DTYPES)
def _max_pool_grad_grad_op(orig_input, orig_output, grad, ksize, strides, padding,
                           explicit_paddings, data_format):
    geom = _max_pool_geometry("MaxPoolGradGrad", orig_input, ksize, strides, padding,
                              explicit_paddings, data_format)
    if ksize[3] != 1 or strides[3] != 1:
        raise _unimplemented("MaxPoolGradGrad", "MaxPoolGradGrad is not yet supported on the "
                                                "depth dimension.")
    return _max_pool_grad_grad_kernel(orig_input, orig_output, grad, geom)


# ---- average pooling -----------------------------------------------------------------------------

def _window_counts(geom):
    """How many real (unpadded) elements each output window holds, broadcastable to the
    output: SAME average pooling divides by these."""
    counts = np.ones((1,) * (len(geom) + 2), np.float64)
    for i, a in enumerate(geom):
        start = np.arange(a.out) * a.s - a.before
        per_axis = np.minimum(start + a.k, a.n) - np.maximum(start, 0)
        shape = [1] * (len(geom) + 2)
        shape[i + 1] = a.out
        counts = counts * per_axis.reshape(shape)
    return counts


def _avg_pool_geometry(op_type, in_shape, ksize, strides, padding, data_format):
    if any(k <= 0 for k in ksize):
        raise ValueError(f"ksize must be a positive int32 value, got:{min(ksize)}")
    geom = _pool_geometry(op_type, in_shape, ksize, strides, padding, (), data_format,
                          "AvgPoolingOp")
    if ksize[3] != 1 or strides[3] != 1:
        raise _unimplemented(op_type, "Non-spatial pooling is not yet supported. Volunteers? :)")
    return geom


def _avg_pool_grad(op, grad):
    x = op.inputs[0]
    return _shaped_like(execute(_avg_pool_grad_op, (_shape_tensor(x), grad), op.attrs), x)


def _avg_pool_grad_grad(op, grad):
    return None, execute(_avg_pool, (grad,), op.attrs)


@op("AvgPool", shape=_pool_shape, grad=_avg_pool_grad, dtypes=_FLOAT_DTYPES)
def _avg_pool(value, ksize, strides, padding, data_format):
    geom = _avg_pool_geometry("AvgPool", value.shape, ksize, strides, padding, data_format)
    xp = _pad(_work(value), geom, 0)
    total = None
    for offset in _offsets(geom):
        view = xp[_windows(geom, offset)]
        total = view.copy() if total is None else np.add(total, view, out=total)
    counts = _window_counts(geom).astype(total.dtype)
    return (total / counts).astype(value.dtype, copy=False)


@op("AvgPoolGrad", shape=lambda orig_input_shape, grad, **attrs: (
        grad.dtype, _shape_from_sizes(orig_input_shape, [None] * 4)),
    grad=_avg_pool_grad_grad)
def _avg_pool_grad_op(orig_input_shape, grad, ksize, strides, padding, data_format):
    in_shape = _sizes(orig_input_shape, "orig_input_shape")
    geom = _avg_pool_geometry("AvgPoolGrad", in_shape, ksize, strides, padding, data_format)
    share = _work(grad) / _window_counts(geom).astype(_work(grad).dtype)
    dxp = np.zeros(_padded_shape(in_shape, geom), share.dtype)
    disjoint = _disjoint(geom)
    for offset in _offsets(geom):
        if disjoint:
            dxp[_windows(geom, offset)] = share
        else:
            dxp[_windows(geom, offset)] += share
    return _crop(dxp, geom).astype(grad.dtype, copy=False)


# ---- argument parsing (TensorFlow's conventions) ----------------------------------------------

def _as_int_list(value, name):
    if isinstance(value, Tensor):
        known = static_value(value)
        if known is None:
            raise ValueError(f"`{name}` must be known when the op is built, got {value!r}")
        value = known
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, numbers.Integral):
        return [int(value)]
    return [int(v) for v in value]


def _sequence(value, n, channel_index, name):
    """An int or a list of 1, n or n+2 ints as the n+2 per-axis values of an op attr."""
    if value is None:
        return (1,) * (n + 2)
    values = _as_int_list(value, name)
    if len(values) == n + 2:
        return tuple(values)
    if len(values) == 1:
        values = values * n
    elif len(values) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: "
                         f"{name}={value} of length {len(values)}")
    return tuple([1, 1] + values if channel_index == 1 else [1] + values + [1])


def _attr_error(op_type, attr, value, allowed):
    listed = ", ".join(f'"{a}"' for a in allowed)
    return errors.op_error(errors.InvalidArgumentError, op_type,
                           f"Value for attr '{attr}' of \"{value}\" is not in the list of allowed "
                           f"values: {listed}\n\t; NodeDef: {{{{node {op_type}}}}}; "
                           f"Op<name={op_type}>")


def _padding_attrs(padding, n, op_type, explicit_ok=True):
    """(padding, explicit_paddings) attrs from a padding string or a list of pairs."""
    if isinstance(padding, (list, tuple)):
        if not explicit_ok:
            raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
        flat = []
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError(f"When `padding` is a list, each element of `padding` must be "
                                 f"a list/tuple of size 2. Received: padding={padding} with "
                                 f"element at index {i} of type {type(pair)}")
            if len(pair) != 2:
                raise ValueError(f"When `padding` is a list, each element of `padding` must be "
                                 f"a list/tuple of size 2. Received: padding={padding} with "
                                 f"element at index {i} of size {len(pair)}")
            flat.extend(int(p) for p in pair)
        if len(padding) != n + 2:
            raise ValueError(f"When padding is a list, it must be of size {n + 2}. Received: "
                             f"padding={padding} of size {len(padding)}")
        return "EXPLICIT", tuple(flat)
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding == "EXPLICIT" and explicit_ok:
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit "
                         "padding, `padding` must be a list.")
    if padding not in ("SAME", "VALID"):
        allowed = ("SAME", "VALID", "EXPLICIT") if explicit_ok else ("SAME", "VALID")
        raise _attr_error(op_type, "padding", padding, allowed)
    return padding, ()


def _check_data_format(data_format, op_type, allowed=("NHWC", "NCHW")):
    if data_format not in allowed:
        raise _attr_error(op_type, "data_format", data_format, allowed)


def _channel_index(data_format):
    return 1 if data_format.startswith("NC") else len(data_format) - 1


def _dims(x, start, stop):
    """x's dims start:stop: a list of ints when static, else a slice of its Shape tensor."""
    dims = x.shape.as_list()[start:stop]
    return dims if None not in dims else _array.shape(x)[start:stop]


def _join_dims(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return _array.concat([a, b], 0)


def _with_batch_folded(x, fn):
    """fn (a rank-4 op) applied to x with its leading batch axes folded into one, then
    unfolded: TensorFlow's convolutions take inputs of rank > 4 that way."""
    rank = x.shape.rank
    if rank is None or rank <= 4:
        return fn(x)
    out = fn(_array.reshape(x, _join_dims([-1], _dims(x, rank - 3, rank))))
    return _array.reshape(out, _join_dims(_dims(x, 0, rank - 3), _dims(out, 1, 4)))


# ---- public API --------------------------------------------------------------------------------

def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """2-D convolution (cross-correlation) of NHWC `input` with [h, w, in, out] `filters`.

    strides/dilations: an int or a list of 1, 2 or 4 ints. padding: "SAME" (output
    size ceil(in / stride), the extra padding at the bottom/right), "VALID", or
    explicit [[0, 0], [top, bottom], [left, right], [0, 0]]. An input of depth
    `groups * in` makes a grouped convolution. Inputs of rank > 4 have several
    batch axes.

    >>> tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, "VALID")[0, ..., 0]
    # [[4., 4.], [4., 4.]]
    """
    _check_data_format(data_format, "Conv2D")
    channel = _channel_index(data_format)
    attrs = {"strides": _sequence(strides, 2, channel, "strides")}
    attrs["padding"], attrs["explicit_paddings"] = _padding_attrs(padding, 2, "Conv2D")
    attrs["data_format"] = data_format
    attrs["dilations"] = _sequence(dilations, 2, channel, "dilations")
    x, w = binary_inputs(input, filters, "Conv2D")
    return _with_batch_folded(x, lambda x4: execute(_conv2d, (x4, w), attrs, name=name))


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """1-D convolution of NWC `input` with [width, in, out] `filters` (a Conv2D of height 1).

    >>> tf.nn.conv1d(tf.ones([1, 5, 1]), tf.ones([3, 1, 1]), 1, "VALID")[0, :, 0]  # [3., 3., 3.]
    """
    if data_format in (None, "NWC", "NHWC"):
        data_format, spatial, channel = "NHWC", -3, 2
    elif data_format in ("NCW", "NCHW"):
        data_format, spatial, channel = "NCHW", -2, 1
    else:
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: "
                         f"data_format={data_format}")
    x, w = binary_inputs(input, filters, "Conv2D")
    strides = (1,) + _sequence(stride, 1, channel, "stride")
    dilations = (1,) + _sequence(dilations, 1, channel, "dilations")
    padding, _ = _padding_attrs(padding, 2, "Conv2D", explicit_ok=False)
    out = conv2d(_array.expand_dims(x, spatial), _array.expand_dims(w, 0), strides, padding,
                 data_format=data_format, dilations=dilations)
    return _array.squeeze(out, axis=[spatial], name=name)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose (gradient) of conv2d: maps NHWC `input` of conv2d's output shape back to
    `output_shape`, with [h, w, out_channels, in_channels] `filters`."""
    _check_data_format(data_format, "Conv2DBackpropInput")
    channel = _channel_index(data_format)
    attrs = {"strides": _sequence(strides, 2, channel, "strides")}
    attrs["padding"], attrs["explicit_paddings"] = _padding_attrs(padding, 2,
                                                                  "Conv2DBackpropInput")
    attrs["data_format"] = data_format
    attrs["dilations"] = _sequence(dilations, 2, channel, "dilations")
    w, dy = binary_inputs(filters, input, "Conv2DBackpropInput")
    if isinstance(output_shape, TensorShape):
        output_shape = output_shape.as_list()
    sizes = to_tensor(output_shape, dtype=_dtypes.int32) \
        if not isinstance(output_shape, Tensor) else output_shape
    if w.dtype not in _CONV_DTYPES:
        raise unsupported_dtype(_conv2d_backprop_input, w.dtype)
    return execute(_conv2d_backprop_input, (sizes, w, dy), attrs, name=name)


def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """Depthwise 2-D convolution: input channel c convolved with its own
    filter[..., c, :] of [h, w, in_channels, multiplier]; output channel
    c * multiplier + m. strides: a list of 4 ints; dilations: a list of 2.

    >>> tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1]), [1, 1, 1, 1],
    ...                        "VALID").shape
    TensorShape([1, 2, 2, 2])
    """
    data_format = data_format or "NHWC"
    _check_data_format(data_format, "DepthwiseConv2dNative")
    if not isinstance(strides, (list, tuple, np.ndarray)):
        raise TypeError(f"Expected list for 'strides' argument to 'depthwise_conv2d_native' Op, "
                        f"not {strides}.")
    strides = tuple(_as_int_list(strides, "strides"))
    if len(strides) != 4:
        raise errors.op_error(errors.InvalidArgumentError, "DepthwiseConv2dNative",
                              "Sliding window strides field must specify 4 dimensions")
    channel = _channel_index(data_format)
    rate = (1, 1) if dilations is None else tuple(_as_int_list(dilations, "dilations"))
    if len(rate) != 2:
        raise ValueError(f"`dilations` must have 2 elements. Received: dilations={dilations}")
    attrs = {"strides": strides}
    attrs["padding"], attrs["explicit_paddings"] = _padding_attrs(padding, 2,
                                                                  "DepthwiseConv2dNative")
    attrs["data_format"] = data_format
    attrs["dilations"] = _sequence(rate, 2, channel, "dilations")
    x, w = binary_inputs(input, filter, "DepthwiseConv2dNative")
    return execute(_depthwise_conv2d, (x, w), attrs, name=name)


def _pool_attrs(ksize, strides, padding, data_format, op_type, n=2, explicit_ok=True):
    _check_data_format(data_format, op_type, ("NHWC", "NCHW", "NCHW_VECT_C"))
    channel = _channel_index(data_format)
    attrs = {"ksize": _sequence(ksize, n, channel, "ksize"),
             "strides": _sequence(strides, n, channel, "strides")}
    attrs["padding"], explicit = _padding_attrs(padding, n, op_type, explicit_ok)
    if explicit_ok:
        attrs["explicit_paddings"] = explicit
    attrs["data_format"] = data_format
    return attrs


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Max pooling over [ksize] windows of NHWC `input` (ksize/strides: int or 1, 2 or 4 ints;
    padding "SAME", "VALID" or explicit pairs). A window over the channel axis alone
    ([1, 1, 1, k]) pools across depth.

    >>> tf.nn.max_pool2d(tf.reshape(tf.range(16.), [1, 4, 4, 1]), 2, 2, "VALID")[0, ..., 0]
    # [[5., 7.], [13., 15.]]
    """
    attrs = _pool_attrs(ksize, strides, padding, data_format, "MaxPool")
    return execute(_max_pool, (to_tensor(input),), attrs, name=name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Average pooling over [ksize] windows of NHWC `input`; SAME windows average only the
    real (unpadded) elements."""
    attrs = _pool_attrs(ksize, strides, padding, data_format, "AvgPool", explicit_ok=False)
    return execute(_avg_pool, (to_tensor(input),), attrs, name=name)


def _pool1d(pool2d, x, ksize, strides, padding, data_format, name):
    """A 1-D pooling as the 2-D one over a height-1 input (TensorFlow's way)."""
    if data_format not in ("NWC", "NCW"):
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: "
                         f"data_format={data_format}")
    x = to_tensor(x)
    channel = 1 if data_format == "NCW" else 2
    ksize = (1,) + _sequence(ksize, 1, channel, "ksize")
    strides = (1,) + _sequence(strides, 1, channel, "strides")
    axis = 1 if data_format == "NWC" else 2
    out = pool2d(_array.expand_dims(x, axis), ksize, strides, padding,
                 data_format="NHWC" if data_format == "NWC" else "NCHW")
    return _array.squeeze(out, axis=[axis], name=name)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Max pooling over windows of NWC `input` (a MaxPool of height 1)."""
    return _pool1d(max_pool2d, input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Average pooling over windows of NWC `input` (an AvgPool of height 1)."""
    return _pool1d(avg_pool2d, input, ksize, strides, padding, data_format, name)


def _pool_nd(pool1d, pool2d, x, ksize, strides, padding, data_format, name):
    x = to_tensor(x)
    rank = x.shape.rank
    if rank == 3:
        return pool1d(x, ksize, strides, padding, data_format or "NWC", name=name)
    if rank == 4:
        return pool2d(x, ksize, strides, padding, data_format or "NHWC", name=name)
    raise ValueError(f"`input.shape.rank` must be 3 or 4 (3-D pooling is not available). "
                     f"Received: input.shape={x.shape} of rank {rank}.")


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Max pooling of a rank-3 (NWC) or rank-4 (NHWC) input."""
    return _pool_nd(max_pool1d, max_pool2d, input, ksize, strides, padding, data_format, name)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Average pooling of a rank-3 (NWC) or rank-4 (NHWC) input."""
    return _pool_nd(avg_pool1d, avg_pool2d, input, ksize, strides, padding, data_format, name)
