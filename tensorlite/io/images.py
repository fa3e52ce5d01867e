"""Image files as tensors: `tf.io.encode_png` / `decode_png`, `encode_jpeg` /
`decode_jpeg` and `decode_image` (PNG, JPEG, GIF, BMP), with Pillow as the codec.

Images are uint8 tensors [height, width, channels] (channels 1, 2 (gray + alpha),
3 (RGB) or 4 (RGBA)); `decode_image` gives [frames, height, width, 3] for a GIF.
JPEG is lossy and Pillow's libjpeg may round a few values differently from
TensorFlow's decoder.
"""
import io

import numpy as np
from PIL import Image, UnidentifiedImageError

from tensorlite.framework import dtypes as _dtypes
from tensorlite.framework.execute import execute
from tensorlite.framework.op_registry import op
from tensorlite.framework.tensor_shape import TensorShape
from tensorlite.ops._helpers import to_tensor

_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _string_scalar(data):
    out = np.empty((), dtype=object)
    out[()] = data
    return out


def _pil_image(image, allowed_channels):
    """An [h, w, c] uint8 array as a Pillow image (ValueError, worded as TF, if not)."""
    if image.ndim != 3:
        raise ValueError(f"image must be 3-dimensional[{','.join(map(str, image.shape))}]")
    channels = image.shape[2]
    if channels not in allowed_channels:
        raise ValueError(f"image must have {' or '.join(map(str, allowed_channels))} "
                         f"channels, got {channels}")
    if channels == 1:
        return Image.fromarray(np.ascontiguousarray(image[:, :, 0]), "L")
    return Image.fromarray(np.ascontiguousarray(image), _MODES[channels])


def _encoded_shape(image, **attrs):
    return (_dtypes.string, TensorShape([]))


@op("EncodePng", shape=_encoded_shape, differentiable=False,
    dtypes=frozenset({_dtypes.uint8}))
def _encode_png(image, *, compression):
    buffer = io.BytesIO()
    level = 6 if compression == -1 else compression
    _pil_image(image, (1, 2, 3, 4)).save(buffer, "PNG", compress_level=level)
    return _string_scalar(buffer.getvalue())


def encode_png(image, compression=-1, name=None):
    """PNG-encodes a uint8 image [height, width, channels] (1 to 4 channels); returns a
    scalar string. compression: zlib level 0-9, -1 for the default."""
    return execute(_encode_png, [to_tensor(image)], {"compression": int(compression)}, name)


@op("EncodeJpeg", shape=_encoded_shape, differentiable=False,
    dtypes=frozenset({_dtypes.uint8}))
def _encode_jpeg(image, *, format, quality, progressive, optimize_size, chroma_downsampling,
                 density_unit, x_density, y_density):
    if format:
        channels = {"grayscale": 1, "rgb": 3}[format]
        if image.ndim == 3 and image.shape[2] != channels:
            raise ValueError(f"image must have {channels} channels for format '{format}', "
                             f"got {image.shape[2]}")
    dpi = (x_density, y_density) if density_unit == "in" else \
        (x_density * 2.54, y_density * 2.54)
    buffer = io.BytesIO()
    _pil_image(image, (1, 3)).save(
        buffer, "JPEG", quality=quality, progressive=progressive, optimize=optimize_size,
        subsampling=2 if chroma_downsampling else 0, dpi=dpi)
    return _string_scalar(buffer.getvalue())


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """JPEG-encodes a uint8 image [height, width, 1 or 3]; returns a scalar string.
    (`xmp_metadata` is not written.)"""
    if format not in ("", "grayscale", "rgb"):
        raise ValueError(f"format must be '', 'grayscale' or 'rgb', got '{format}'")
    if density_unit not in ("in", "cm"):
        raise ValueError(f"density_unit must be 'in' or 'cm', got '{density_unit}'")
    attrs = dict(format=format, quality=int(quality), progressive=bool(progressive),
                 optimize_size=bool(optimize_size),
                 chroma_downsampling=bool(chroma_downsampling), density_unit=density_unit,
                 x_density=int(x_density), y_density=int(y_density))
    return execute(_encode_jpeg, [to_tensor(image)], attrs, name)


# ---- decoding ---------------------------------------------------------------------------

def _open(contents):
    data = np.asarray(contents, dtype=object)
    if data.ndim:
        raise ValueError(f"contents must be scalar, got shape [{','.join(map(str, data.shape))}]")
    try:
        return Image.open(io.BytesIO(data[()]))
    except UnidentifiedImageError:
        raise ValueError("Unknown image file format. One of JPEG, PNG, GIF, BMP "
                         "required.") from None


def _source_channels(image):
    """How many channels the file holds (a palette becomes RGB, or RGBA if it has
    transparency)."""
    mode = image.mode
    if mode in ("1", "L", "I", "I;16"):
        return 1
    if mode in ("LA", "La"):
        return 2
    if mode in ("RGBA", "RGBa") or (mode == "P" and "transparency" in image.info):
        return 4
    return 3


def _frame_array(image, channels):
    """One frame as an [h, w, channels] uint8 array (channels 0: as in the file)."""
    channels = channels or _source_channels(image)
    array = np.asarray(image.convert(_MODES[channels]), dtype=np.uint8)
    return array.reshape(array.shape[:2] + (channels,))


def _decoded_shape(contents, *, channels, **attrs):
    return (_dtypes.uint8, TensorShape([None, None, channels or None]))


def _check_channels(channels, allowed=(0, 1, 2, 3, 4)):
    if channels not in allowed:
        raise ValueError(f"channels must be in {{{', '.join(map(str, allowed))}}}, "
                         f"got {channels}")


@op("DecodePng", shape=_decoded_shape, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _decode_png(contents, *, channels):
    return _frame_array(_open(contents), channels)


def decode_png(contents, channels=0, dtype=_dtypes.uint8, name=None):
    """Decodes a PNG (or GIF, BMP, JPEG) image into a uint8 tensor [height, width,
    channels]; channels 0 keeps the file's channels."""
    if _dtypes.as_dtype(dtype) is not _dtypes.uint8:
        raise TypeError(f"decode_png supports dtype uint8 only in tensorlite, got {dtype!r}")
    _check_channels(channels)
    return execute(_decode_png, [to_tensor(contents)], {"channels": int(channels)}, name)


@op("DecodeJpeg", shape=_decoded_shape, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _decode_jpeg(contents, *, channels, ratio):
    image = _open(contents)
    if ratio > 1:
        image = image.reduce(ratio)
    return _frame_array(image, channels)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                name=None):
    """Decodes a JPEG image into a uint8 tensor [height, width, channels] (channels 0:
    the file's, 1 or 3); `ratio` (1, 2, 4, 8) downscales while decoding."""
    _check_channels(channels, (0, 1, 3))
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"ratio must be 1, 2, 4, or 8, got {ratio}")
    return execute(_decode_jpeg, [to_tensor(contents)],
                   {"channels": int(channels), "ratio": int(ratio)}, name)


def _decode_image_shape(contents, *, channels, dtype, expand_animations):
    """[h, w, c], or [frames, h, w, 3] for a GIF: the rank is unknown until the data is,
    unless animations are not expanded."""
    if expand_animations:
        value = contents.value
        if value is None or np.ndim(value):
            return (dtype, TensorShape(None))
        if bytes(np.asarray(value, dtype=object)[()][:3]) == b"GIF":
            return (dtype, TensorShape([None, None, None, channels or 3]))
    return (dtype, TensorShape([None, None, channels or None]))


@op("DecodeImage", shape=_decode_image_shape, differentiable=False,
    dtypes=frozenset({_dtypes.string}))
def _decode_image(contents, *, channels, dtype, expand_animations):
    image = _open(contents)
    if image.format == "GIF" and expand_animations:
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(_frame_array(image, channels or 3))
        array = np.stack(frames)
    else:
        array = _frame_array(image, channels)
    if dtype is _dtypes.uint8:
        return array
    # as tf.image.convert_image_dtype: uint8 -> float in [0, 1]
    return (array / np.float32(255)).astype(dtype.as_numpy_dtype)


def decode_image(contents, channels=None, dtype=_dtypes.uint8, name=None,
                 expand_animations=True):
    """Decodes a PNG, JPEG, GIF or BMP image: [height, width, channels], or [frames,
    height, width, 3] for a GIF when `expand_animations`. A float `dtype` scales the
    values to [0, 1]."""
    dtype = _dtypes.as_dtype(dtype)
    if dtype not in (_dtypes.uint8, _dtypes.float16, _dtypes.float32, _dtypes.float64):
        raise ValueError(f"dtype must be uint8 or a float dtype in tensorlite, got {dtype!r}")
    channels = channels or 0
    _check_channels(channels)
    return execute(_decode_image, [to_tensor(contents)],
                   {"channels": int(channels), "dtype": dtype,
                    "expand_animations": bool(expand_animations)}, name)
