"""An image (a file, or ``digit:N``) -> the input matrix X a student reads.

Grayscale, brightness 0 (black) to 1 (white); with three channels (``--channels 3``) red, green
and blue, each 0 to 1. A ``digit:N`` has no colour of its own: in three channels it is the same
digit in each (the RGB picture of a grey image), so every channel of X holds the grayscale X. Resized with Pillow's BOX filter: each cell of X is
the plain average of the pixels it covers, the filter suited to shrinking a photo to a few
cells (no ringing past black or white, as Lanczos gives) and one a student can check by hand.
Then rounded to the decimals of every given value (``GIVEN_DECIMALS``), before any computation.
"""

import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from convprop.inputs.digits import digit_image
from convprop.mathcore.config import ConfigError
from convprop.mathcore.values import rounded_as_given

DIGIT = re.compile(r"digit:(.*)")
WHITE = 255  # an 8-bit grayscale pixel's brightest value


class ImageError(ConfigError):
    """An image that cannot become X; the message says which and how to fix it."""


def open_source(source: str, colour: bool = False) -> Image.Image:
    """``digit:N`` (N from 0 to 9) or the path of any image Pillow reads, as an 8-bit grayscale
    image (ITU-R 601-2 luma, Pillow's ``convert("L")``), or with ``colour`` an 8-bit RGB one,
    upright as its EXIF data says."""
    mode = "RGB" if colour else "L"
    digit = DIGIT.fullmatch(source)
    if digit:
        if not re.fullmatch(r"[0-9]", digit.group(1)):
            raise ImageError(f"--image {source!r} names no digit; the digits are digit:0 to digit:9")
        return digit_image(int(digit.group(1))).convert(mode)
    path = Path(source)
    if not path.is_file():
        raise ImageError(f"image '{source}' does not exist; give the path of an image file, or digit:0 to digit:9")
    try:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image).convert(mode)
    except (UnidentifiedImageError, SyntaxError, ValueError, OSError, Image.DecompressionBombError) as err:
        reason = "not an image Pillow can read, or one with no pixels" if isinstance(err, UnidentifiedImageError) else str(err) or type(err).__name__
        raise ImageError(f"image '{source}' cannot be read ({reason}); give a PNG, JPEG or other image file") from None
    if 0 in image.size:
        raise ImageError(f"image '{source}' is {image.size[0]}x{image.size[1]} pixels; it needs at least one of each")
    return image


def input_shape(pixels_wide_high: tuple[int, int], size: tuple[int, int], one_side: bool) -> tuple[int, int]:
    """The shape of X: ``size`` as given, or, when one side alone was given, that side for the
    image's longer side and the other in the image's proportion (at least 1).

    >>> input_shape((300, 200), (12, 12), one_side=True)
    (8, 12)
    """
    wide, high = pixels_wide_high
    if not one_side:
        return tuple(size)
    side = size[0]
    if wide >= high:
        return max(1, round(side * high / wide)), side
    return side, max(1, round(side * wide / high))


def image_values(image: Image.Image, shape: tuple[int, int]) -> np.ndarray:
    """The image resized to ``shape`` (rows, columns) by averaging, as brightness in [0, 1]
    rounded like every given value: exactly the numbers the video writes and mathcore uses.
    Rows x columns for a grayscale image; 3 x rows x columns (red, green, blue) for an RGB one,
    each channel averaged on its own."""
    if image.mode == "RGB":
        return np.stack([image_values(band, shape) for band in image.split()])
    rows, cols = shape
    averaged = image.convert("F").resize((cols, rows), Image.Resampling.BOX)
    return rounded_as_given(np.asarray(averaged, dtype=float) / WHITE)


def with_picture(source: str, input_size, one_side: bool, channels: int, given: dict) -> tuple[tuple, dict]:
    """The picture as the ``input`` of the given values (grayscale, or red, green and blue for
    3 channels), and the input size it has: what ``--image`` and the ``image`` setting mean."""
    if "input" in given:
        raise ImageError("--image and 'input' in --values both give X; drop one of them")
    if channels not in (1, 3):
        raise ImageError(f"--image gives 1 channel (grayscale) or 3 (red, green, blue), not --channels "
                         f"{channels}; use --channels 1 or 3")
    picture = open_source(source, colour=channels == 3)
    shape = input_shape(picture.size, input_size, one_side=one_side)
    return shape, {**given, "input": image_values(picture, shape).tolist()}
