"""`--image` and `--kernel` through the real `convprop` script: bad input is one line and exit 2
with nothing written; good input gives the picture's values, the named kernel and torch's z."""

import pytest

from convprop.inputs import image_values, open_source
from convprop.mathcore.kernels import named_kernel
from tests.test_cli import COMPUTE, Case, _assert_close_to_torch, _strict_json, bad, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("cli-images")  # its own cases' pool: see test_cli

EMPTY_PGM = "P5\n0 5\n255\n"  # a grayscale image zero pixels wide
# 6 wide, 4 high, plain (text) PGM: a white bar down the middle of black
BAR_PGM = "P2\n6 4\n255\n" + "0 0 255 255 0 0\n" * 4

BAD = [
    bad("image-missing", "--image", "missing.png", expect="does not exist", render=True),
    Case("image-not-an-image", (*COMPUTE, "--image", "notes.png"), (("notes.png", "not a picture"),),
         expect="cannot be read"),
    Case("image-zero-width", (*COMPUTE, "--image", "empty.pgm"), (("empty.pgm", EMPTY_PGM),), expect="cannot be read"),
    bad("image-digit-12", "--image", "digit:12", expect="digit:0 to digit:9", render=True),
    bad("image-digit-word", "--image", "digit:seven", expect="digit:0 to digit:9"),
    bad("image-too-large", "--image", "digit:3", "--input-size", "29", expect="28x28", render=True),
    bad("image-and-input-in-values", "--image", "digit:1", values='{"input": [[1, 2], [3, 4]]}', expect="--image"),
    bad("kernel-unknown", "--kernel", "emboss", expect="emboss", render=True),
    bad("kernel-3x3-only-at-size-5", "--kernel", "sobel-x", "--kernel-size", "5", "--input-size", "7",
        expect="5x5", render=True),
    bad("kernel-not-square", "--kernel", "box-blur", "--kernel-size", "3x5", "--input-size", "7", expect="3x5"),
    bad("kernel-and-kernel-in-values", "--kernel", "edge", values='{"kernel": [[1]]}', expect="--kernel"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_picture_or_kernel_is_one_error_line_and_exit_2(run, case):
    _one_error_line(run, case)


DIGIT = Case("compute-digit-7-sobel-x", (*COMPUTE, "--image", "digit:7", "--kernel", "sobel-x",
                                         "--input-size", "12", "--stride", "1"))
BAR = Case("compute-image-one-side", (*COMPUTE, "--image", "bar.pgm", "--input-size", "3", "--kernel", "identity",
                                      "--stride", "1", "--padding", "1"), (("bar.pgm", BAR_PGM),))
GAUSS_5 = Case("compute-gaussian-5x5", (*COMPUTE, "--kernel", "gaussian-blur", "--kernel-size", "5",
                                        "--input-size", "7", "--stride", "1"))
HELP = Case("compute-help-images", ("compute", "--help"))


@pytest.mark.parametrize("case", [DIGIT], ids=[DIGIT.id])
def test_digit_and_named_kernel_are_the_given_values(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert data["input"] == image_values(open_source("digit:7"), (12, 12)).tolist()
    assert data["kernel"] == named_kernel("sobel-x").tolist()
    _assert_close_to_torch(data)
    assert r.after == r.before


@pytest.mark.parametrize("case", [BAR], ids=[BAR.id])
def test_a_lone_input_size_is_the_longer_side(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert data["input"] == [[0, 1, 0], [0, 1, 0]]  # 6x4 pixels -> 3 columns, 2 rows, each the block's mean
    assert [[round(v - data["bias"], 9) for v in row] for row in data["z"]] == data["input"]  # identity


@pytest.mark.parametrize("case", [GAUSS_5], ids=[GAUSS_5.id])
def test_a_named_5x5_kernel(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert data["kernel"] == named_kernel("gaussian-blur", 5).tolist()
    _assert_close_to_torch(data)


@pytest.mark.parametrize("case", [HELP], ids=[HELP.id])
def test_help_names_the_pictures_and_kernels(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    for word in ("--image", "digit:0", "--kernel", "sobel-x", "gaussian-blur"):
        assert word in r.stdout, word
