"""A picture and a named kernel from Python, as a scene's class attributes or a notebook's
settings: the same values the command gives for --image and --kernel, and the same refusals."""

import json
import subprocess
import sys

import pytest

from convprop.inputs.settings import SettingError, lesson_from_settings


def _compute(*args) -> dict:
    out = subprocess.run([sys.executable, "-c", "from convprop import cli; cli.main()", "compute", "--json", *args],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_image_and_kernel_settings_give_what_the_command_gives():
    lesson = lesson_from_settings(image="digit:7", kernel="sobel-x", input_size=12, stride=1)
    data = _compute("--image", "digit:7", "--kernel", "sobel-x", "--input-size", "12", "--stride", "1")
    assert lesson.conv.input.tolist() == data["input"]
    assert lesson.conv.kernel.tolist() == data["kernel"] == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert lesson.kernel_name == "sobel-x"


def test_a_pair_is_the_shape_and_a_lone_side_the_longer_one():
    assert lesson_from_settings(image="digit:1", input_size=(6, 8)).conv.input.shape == (6, 8)
    assert lesson_from_settings(image="digit:1", input_size=9).conv.input.shape == (9, 9)  # the digits are square


@pytest.mark.parametrize("settings, words", [
    (dict(kernel="emboss"), "emboss"),
    (dict(image="digit:12"), "digit:0 to digit:9"),
    (dict(image=7), "image must be a string"),
    (dict(kernel="sobel-x", kernel_size=5, input_size=7), "5x5"),
    (dict(image="digit:3", values={"input": [[1, 2], [3, 4]]}), "both give X"),
])
def test_bad_picture_settings_name_the_problem(settings, words):
    with pytest.raises(SettingError, match=words):
        lesson_from_settings(**settings)


def test_a_scene_takes_its_picture_from_class_attributes():
    from convprop.scenes.stories.forward_pass import ForwardPassScene

    class Digit(ForwardPassScene):
        image = "digit:7"
        kernel = "sobel-x"
        input_size = 12
        stride = 1

    trace = Digit().trace
    assert trace.kernel_name == "sobel-x" and trace.conv.input.shape == (12, 12)
