"""Settings and names that are one slip away from a real one: never silently ignored, and the
message names the one meant.

- a user's Manim class with a misspelled setting (``input_sizes``) is refused, naming
  ``input_size``; its own attributes and methods are left alone;
- a setting reads the same in Python as on the command line (``input_size = "7x7"``);
- ``render forward_pass`` -> "did you mean forward-pass?"; ``--quality 720p`` -> "720p is
  --quality medium"; ``lecture --scenes`` chooses scenes as ``course --scenes`` does (the
  lecture of the scenes chosen is rendered in test_render).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from convprop.app.options import parse
from convprop.inputs.settings import SettingError, lesson_from_settings
from tests.command_in_process import run_main

SCRIPT = Path(sys.executable).parent / "convprop"


def convprop(*args, cwd):
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from convprop import cli; cli.main()"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_a_misspelled_setting_in_a_users_scene_is_refused_with_the_setting_meant():
    from convprop import ForwardPassScene

    class Mine(ForwardPassScene):
        input_sizes = (7, 7)

    with pytest.raises(SettingError, match=r"Mine\.input_sizes is not a setting; did you mean input_size\?"):
        Mine.lesson_from_attributes()

    class Stide(ForwardPassScene):
        strde = 1

    with pytest.raises(SettingError, match="did you mean stride"):
        Stide.lesson_from_attributes()


def test_a_users_own_attributes_methods_and_manims_settings_are_left_alone():
    from convprop import ForwardPassScene

    class Mine(ForwardPassScene):
        input_size = (6, 6)
        counter = 3  # far from every setting
        camera_config = {}  # Manim's own

        def paddings(self):  # a method, whatever its name
            return 0

    assert Mine.lesson_from_attributes().config.input_size == (6, 6)


@pytest.mark.parametrize("written, expected", [("1x1", (1, 1)), ("2x1", (2, 1)), ("2", (2, 2)), (" 1X2 ", (1, 2))])
def test_settings_read_sizes_as_the_command_line_writes_them(written, expected):
    size = tuple(side + 5 for side in expected)
    assert lesson_from_settings(input_size=written.replace("1", "6").replace("2", "7"), kernel_size="3",
                                stride="1").config.input_size == size
    assert lesson_from_settings(input_size=7, stride=written).config.stride == expected


def test_a_size_that_is_not_n_or_nxm_names_the_setting():
    with pytest.raises(SettingError, match="input_size must be a whole number or a pair"):
        lesson_from_settings(input_size="7 by 7")


def test_a_one_number_size_string_lets_a_picture_choose_the_other_side():
    """As `--input-size 12` with an image: the longer side 12, the other in proportion."""
    as_string = lesson_from_settings(image="digit:7", input_size="12", stride=1)
    as_number = lesson_from_settings(image="digit:7", input_size=12, stride=1)
    assert as_string.config.input_size == as_number.config.input_size


def test_lecture_takes_scenes_as_course_does():
    params, _ = parse("lecture", ["--scenes", "forward-pass,chain-rule"])
    assert params["scene_list"] == "forward-pass,chain-rule"


# one case of each kind through the real command's process, the others through its entry point here
# (tests/command_in_process.py): the same message and exit status, without seconds of imports each
@pytest.mark.parametrize("in_process, args, message", [
    (False, ("render", "forward_pass"), "unknown scene 'forward_pass'; did you mean forward-pass?"),
    (True, ("render", "Chain-Rule"), "did you mean chain-rule?"),
    (False, ("render", "forward-pass", "--quality", "720p"), "720p is --quality medium"),
    (True, ("render", "forward-pass", "--quality", "1080p"), "1080p is --quality high"),
    (True, ("lecture", "--scenes", "forward-pass,chain_rule"),
     "--scenes: unknown scene 'chain_rule'; did you mean chain-rule?"),
    (True, ("course", "--scenes", "kernel-gradiant"), "did you mean kernel-gradient?"),
    (False, ("compute", "--image", "digit:3", "--input-size", "0"), "input size 0x0 must be at least 1x1"),
], ids=lambda value: ("in-process" if value else "command") if isinstance(value, bool) else None)
def test_near_misses_get_one_line_naming_the_one_meant(tmp_path, in_process, args, message):
    done = run_main(args, cwd=tmp_path) if in_process else convprop(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ")
    assert message in done.stderr
    assert list(tmp_path.iterdir()) == []
