"""Pictures as X: a test image with known pixels converts and shrinks to known values; the
project's digits are the table the stroke script draws; the oracles hold on picture inputs."""

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from convprop.inputs import ImageError, image_values, input_shape, open_source
from convprop.inputs import draw_digits
from convprop.inputs.digits import TABLE, digit_pixels
from convprop.mathcore import ModelConfig, run_model
from convprop.mathcore.kernels import KERNELS
from tests.test_exact_decisions import assert_same_decisions_and_values, reference_for
from tests.torch_reference import away_from_kinks
from tests.test_model_oracle import COMPARED, assert_matches, ours, reference


def blocks(values, block=2, mode="L") -> Image.Image:
    """An image of block x block squares, one per entry of ``values`` (rows of pixel values)."""
    big = np.kron(np.array(values, dtype=np.uint8), np.ones((block, block), dtype=np.uint8))
    return Image.fromarray(big).convert(mode)


def test_each_cell_is_the_average_of_its_pixels_rounded_once(tmp_path):
    # 2x3 blocks of 2x2 pixels; 0.25 * 255 would round to 0.3 only if rounded twice (64/255 = 0.251)
    path = tmp_path / "blocks.png"
    blocks([[0, 255, 51], [102, 153, 204]]).save(path)
    image = open_source(str(path))
    assert image.size == (6, 4)
    np.testing.assert_array_equal(image_values(image, (2, 3)), [[0, 1, 0.2], [0.4, 0.6, 0.8]])
    # mixed pixels inside one cell: (0 + 255 + 255 + 255) / 4 / 255 = 0.75 -> 0.8 (as np.round)
    mixed = Image.fromarray(np.array([[0, 255], [255, 255]], dtype=np.uint8))
    assert image_values(mixed, (1, 1)).tolist() == [[0.8]]
    # the same numbers at full size, untouched by the resize
    np.testing.assert_array_equal(image_values(image, (4, 6)), np.kron([[0, 1, 0.2], [0.4, 0.6, 0.8]], np.ones((2, 2))))


def test_colour_becomes_luma_and_jpeg_and_alpha_open(tmp_path):
    # pure red, green, blue: ITU-R 601-2 luma 0.299, 0.587, 0.114 of white -> 0.3, 0.6, 0.1
    rgb = Image.fromarray(np.kron(np.eye(3, dtype=np.uint8)[None] * 255, np.ones((4, 4, 1), np.uint8)))
    for name in ("rgb.png", "rgb.bmp"):
        rgb.save(tmp_path / name)
        assert image_values(open_source(str(tmp_path / name)), (1, 3)).tolist() == [[0.3, 0.6, 0.1]]
    Image.new("RGBA", (8, 8), (255, 255, 255, 255)).save(tmp_path / "white.png")
    assert image_values(open_source(str(tmp_path / "white.png")), (2, 2)).tolist() == [[1, 1], [1, 1]]
    Image.new("RGB", (16, 16), (128, 128, 128)).save(tmp_path / "grey.jpg", quality=95)
    assert image_values(open_source(str(tmp_path / "grey.jpg")), (2, 2)).tolist() == [[0.5, 0.5], [0.5, 0.5]]


def test_values_are_in_zero_to_one_with_the_given_decimals_and_no_negative_zero():
    for digit in range(10):
        x = image_values(open_source(f"digit:{digit}"), (12, 12))
        assert x.shape == (12, 12) and x.min() == 0 and x.max() <= 1 and x.max() >= 0.8
        np.testing.assert_array_equal(x, np.round(x, 1))
        assert "-0.0" not in repr(x.tolist())


def test_one_side_given_takes_the_images_proportions():
    assert input_shape((300, 200), (12, 12), one_side=True) == (8, 12)
    assert input_shape((200, 300), (12, 12), one_side=True) == (12, 8)
    assert input_shape((28, 28), (12, 12), one_side=True) == (12, 12)
    assert input_shape((1000, 1), (5, 5), one_side=True) == (1, 5)  # never 0 rows
    assert input_shape((300, 200), (5, 9), one_side=False) == (5, 9)  # both sides given: as given


def test_the_digit_table_is_what_the_strokes_draw():
    assert TABLE.read_text() == draw_digits.table_text()
    for digit in range(10):
        pixels = digit_pixels(digit)
        assert pixels.shape == (28, 28) and pixels.dtype == np.uint8
        ink = np.argwhere(pixels > 127)
        assert ink.min() >= 2 and ink.max() <= 25, digit  # inside the frame, like the classic sets
    assert len({digit_pixels(d).tobytes() for d in range(10)}) == 10


@pytest.mark.parametrize("source, expect", [
    ("missing.png", "does not exist"), ("not-an-image.png", "cannot be read"), ("empty.pgm", "cannot be read"),
    ("digit:12", "digit:0 to digit:9"), ("digit:-1", "digit:0 to digit:9"), ("digit:", "digit:0 to digit:9"),
])
def test_bad_images_are_one_line_errors(tmp_path, monkeypatch, source, expect):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "not-an-image.png").write_text("hello")
    (tmp_path / "empty.pgm").write_bytes(b"P5\n0 5\n255\n")  # zero pixels wide
    with pytest.raises(ImageError, match=expect) as err:
        open_source(source)
    assert "\n" not in str(err.value)


CASES = [  # (digit, kernel name, config): every named 3x3 kernel, a 5x5, ReLU and pooling
    (digit, name, ModelConfig(input_size=(12, 12), stride=(1, 1), relu=relu, pool=pool))
    for digit, (name, relu, pool) in enumerate([
        ("identity", False, 0), ("box-blur", True, 2), ("gaussian-blur", False, 0), ("sharpen", True, 0),
        ("sobel-x", True, 2), ("sobel-y", False, 5), ("laplacian", True, 0), ("edge", True, 2),
    ])
] + [(7, "gaussian-blur", ModelConfig(input_size=(12, 8), kernel_size=(5, 5), stride=(2, 1), padding=2, relu=True))]


@pytest.mark.parametrize("digit, name, config", CASES, ids=[f"digit{c[0]}-{c[1]}" for c in CASES])
def test_oracles_hold_on_picture_inputs(digit, name, config):
    x = image_values(open_source(f"digit:{digit}"), config.input_size)
    kernel = KERNELS[config.kernel_size[0]][name]
    trace = run_model(config, {"input": x.tolist(), "kernel": kernel.tolist()})
    np.testing.assert_array_equal(trace.values.input, x)
    # PyTorch autograd on the smooth model (no ReLU, no pool): black ground gives many z exactly
    # 0, where float rounding in torch may fall either side of a ReLU's kink
    smooth = run_model(replace(config, relu=False, pool=0), {"input": x.tolist(), "kernel": kernel.tolist()})
    assert_matches(ours(smooth), reference(smooth), COMPARED)
    ref = reference(trace)
    if away_from_kinks(ref["z"], config.relu, config.pool, 1e-9):
        assert_matches(ours(trace), ref, COMPARED)
    # exact decisions and gradients: z, the ReLU mask and the pool winners in rational arithmetic
    assert_same_decisions_and_values(trace, reference_for(config, trace.values))


def test_sobel_x_finds_the_edges_of_a_digits_upright_stroke():
    """digit:1 is one near-vertical stroke: left of it Z is positive (dark to bright), right of it
    negative, and far from it Z is the bias alone."""
    x = image_values(open_source("digit:1"), (12, 12))
    trace = run_model(ModelConfig(input_size=(12, 12), stride=(1, 1)),
                      {"input": x.tolist(), "kernel": KERNELS[3]["sobel-x"].tolist(), "bias": 0})
    z = trace.z
    for r in range(3, 8):  # the middle rows, where the stroke is upright
        row = z[r]
        assert row.max() >= 2 and row.min() <= -2, row
        assert np.argmax(row) < np.argmin(row)  # bright edge on the left, dark edge on the right
        assert np.all(row[: np.argmax(row) - 2] == 0) and np.all(row[np.argmin(row) + 3:] == 0)
