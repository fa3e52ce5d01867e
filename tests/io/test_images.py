"""tf.io image codecs: PNG round trips (lossless), JPEG shape/dtype and closeness,
channel conversions, decode_image on PNG/JPEG/GIF, shape rules, errors."""
import io

import numpy as np
import pytest
from PIL import Image

import tensorlite as tf
from tensorlite.framework import errors
from tensorlite.io.images import decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png

_IMAGE = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3) * 4


def _gif(frames):
    buffer = io.BytesIO()
    images = [Image.fromarray(f, "RGB") for f in frames]
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip(channels):
    image = np.random.default_rng(channels).integers(0, 256, (6, 7, channels), dtype=np.uint8)
    png = encode_png(image)
    assert png.dtype == tf.string and png.shape == ()
    assert png.numpy()[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(decode_png(png).numpy(), image)
    np.testing.assert_array_equal(decode_image(png).numpy(), image)
    assert decode_png(png, channels=channels).shape == (6, 7, channels)


def test_png_channel_conversion_and_compression():
    png = encode_png(_IMAGE, compression=0)
    assert len(png.numpy()) > len(encode_png(_IMAGE, compression=9).numpy())
    rgba = decode_png(png, channels=4).numpy()
    np.testing.assert_array_equal(rgba[..., :3], _IMAGE)
    assert (rgba[..., 3] == 255).all()
    gray = decode_png(encode_png(np.full((2, 2, 3), 200, np.uint8)), channels=1)
    assert gray.numpy().tolist() == [[[200], [200]], [[200], [200]]]


def test_jpeg():
    smooth = np.tile(np.linspace(0, 255, 16, dtype=np.uint8)[None, :, None], (16, 1, 3))
    jpeg = encode_jpeg(smooth, quality=95)
    assert jpeg.numpy()[:2] == b"\xff\xd8"
    decoded = decode_jpeg(jpeg)
    assert decoded.shape == (16, 16, 3) and decoded.dtype == tf.uint8
    assert np.abs(decoded.numpy().astype(int) - smooth).max() <= 8
    assert decode_jpeg(jpeg, channels=1).shape == (16, 16, 1)
    assert decode_jpeg(jpeg, ratio=2).shape == (8, 8, 3)
    assert decode_image(jpeg).shape == (16, 16, 3)
    gray = encode_jpeg(smooth[..., :1], format="grayscale")
    assert decode_jpeg(gray).shape == (16, 16, 1)


def test_decode_image_gif_and_float():
    frames = [np.full((3, 4, 3), v, np.uint8) for v in (0, 255)]
    gif = _gif(frames)
    animation = decode_image(gif)
    assert animation.shape == (2, 3, 4, 3)
    np.testing.assert_array_equal(animation.numpy(), np.stack(frames))
    assert decode_image(gif, expand_animations=False).shape == (3, 4, 3)
    as_float = decode_image(encode_png(_IMAGE), dtype=tf.float32)
    assert as_float.dtype == tf.float32
    np.testing.assert_allclose(as_float.numpy(), _IMAGE / 255, rtol=1e-6)


def test_shape_rules_in_traced_functions():
    @tf.function
    def decode(data):
        return decode_png(data, channels=3), decode_image(data, expand_animations=False), \
            decode_image(data)

    png_shape, image_shape, any_shape = decode.get_concrete_function(
        tf.TensorSpec([], tf.string)).structured_outputs
    assert png_shape.shape.as_list() == [None, None, 3]
    assert image_shape.shape.as_list() == [None, None, None]
    assert any_shape.shape.rank is None
    out = decode(encode_png(_IMAGE))
    np.testing.assert_array_equal(out[0].numpy(), _IMAGE)


def test_errors():
    with pytest.raises(errors.InvalidArgumentError, match="3-dimensional"):
        encode_png(_IMAGE[0])
    with pytest.raises(errors.InvalidArgumentError, match="channels"):
        encode_jpeg(np.zeros((2, 2, 4), np.uint8))
    with pytest.raises(errors.InvalidArgumentError, match="uint8"):
        encode_png(_IMAGE.astype(np.float32))
    with pytest.raises(errors.InvalidArgumentError, match="Unknown image file format"):
        decode_image(b"not an image")
    with pytest.raises(ValueError, match="channels"):
        decode_jpeg(encode_jpeg(_IMAGE), channels=2)
    with pytest.raises(ValueError, match="ratio"):
        decode_jpeg(encode_jpeg(_IMAGE), ratio=3)
