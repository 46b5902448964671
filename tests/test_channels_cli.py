"""`--channels`, `--filters` and `--dilation` on the command line: shapes in the JSON, pictures
in three channels, and one-line refusals (exit status 2, no traceback, nothing written)."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

COMMAND = [sys.executable, "-c", "from convprop import cli; cli.main()"]


def run(tmp_path, *args):
    return subprocess.run([*COMMAND, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def compute(tmp_path, *args) -> dict:
    result = run(tmp_path, "compute", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_layer_json_shapes_and_rgb_pictures(tmp_path):
    Image.fromarray(np.stack([np.full((4, 4), 255), np.zeros((4, 4)), np.full((4, 4), 51)], axis=-1)
                    .astype(np.uint8)).save(tmp_path / "red.png")
    cases = [
        ("--channels", "3", "--filters", "2", "--dilation", "2", "--input-size", "7", "--stride", "1", "--relu",
         "--pool", "2"),
        ("--image", "red.png", "--channels", "3", "--input-size", "4", "--kernel-size", "2", "--stride", "1"),
        ("--image", "digit:7", "--channels", "3", "--input-size", "8", "--stride", "1"),
        ("--dilation", "1x2", "--input-size", "6", "--stride", "1"),
    ]
    with ThreadPoolExecutor(4) as pool:
        layer, red, digit, dilated = pool.map(lambda args: compute(tmp_path, *args), cases)
    assert np.shape(layer["input"]) == (3, 7, 7) and np.shape(layer["kernel"]) == (2, 3, 3, 3)
    assert np.shape(layer["z"]) == (2, 3, 3) and np.shape(layer["pooled"]) == (2, 1, 1)
    assert layer["batch"]["parameter_counts"]["conv"] == 2 * 3 * 3 * 3 + 2
    assert layer["batch"]["shapes"]["X"] == [3, 7, 7]
    # red 255, green 0, blue 51 -> 1.0, 0.0, 0.2 in the three channels
    assert np.array_equal(np.array(red["input"]), np.stack([np.ones((4, 4)), np.zeros((4, 4)), np.full((4, 4), 0.2)]))
    # a digit has no colour: the same grey digit in each channel
    x = np.array(digit["input"])
    assert x.shape == (3, 8, 8) and np.array_equal(x[0], x[1]) and np.array_equal(x[1], x[2]) and x.max() > 0.5
    # one channel, one filter, dilated: the channel axes lead, and the dilation is named
    assert np.shape(dilated["input"]) == (1, 6, 6) and np.shape(dilated["z"]) == (1, 4, 2)  # columns: 6 - 2(3 - 1) - 1 + 1
    assert dilated["dilation"] == [1, 2]


def test_values_in_channels_and_filters(tmp_path):
    (tmp_path / "v.json").write_text(json.dumps({
        "input": [[[1, 0], [0, 1]], [[0.5, 0.5], [0, 0]]], "kernel": [[[[1]], [[2]]], [[[-1]], [[0]]]],
        "bias": [0.5, 0]}))
    data = compute(tmp_path, "--values", "v.json", "--kernel-size", "1", "--stride", "1")
    assert data["channels"] == 2 and data["filters"] == 2
    assert data["z"] == [[[2.5, 1.5], [0.5, 1.5]], [[-1.0, 0.0], [0.0, -1.0]]]


BAD = {
    "too many channels": (("--channels", "4"), "--channels 1 to 3"),
    "too many filters": (("--filters", "5"), "--filters 1 to 4"),
    "no filters": (("--filters", "0"), "--filters 1 to 4"),
    "dilation too large": (("--dilation", "4"), "--dilation 1 to 3"),
    "dilated kernel larger than the padded input": (("--dilation", "3", "--input-size", "6"), "spans 7x7"),
    "windows only on padding": (("--dilation", "2", "--kernel-size", "2", "--input-size", "1", "--padding", "1",
                                 "--stride", "1"), "padding"),
    "input channels disagree": (("--values", "v.json", "--channels", "3"), "--channels is 3"),
    "kernel filters disagree": (("--values", "k.json", "--filters", "1"), "--filters is 1"),
    "bias count disagrees": (("--values", "b.json", "--filters", "2"), "--filters is 2"),
    "values disagree with each other": (("--values", "mixed.json",), "'input' is for 2"),
    "image in two channels": (("--image", "digit:3", "--channels", "2"), "--channels 1 or 3"),
    "named kernel with channels": (("--kernel", "sobel-x", "--channels", "3"), "one filter of one channel"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_layers_are_one_line_and_exit_2(tmp_path, case):
    args, expect = BAD[case]
    (tmp_path / "v.json").write_text(json.dumps({"input": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]}))
    (tmp_path / "k.json").write_text(json.dumps({"kernel": [[[[1]]], [[[2]]]]}))
    (tmp_path / "b.json").write_text(json.dumps({"bias": [1, 2, 3]}))
    (tmp_path / "mixed.json").write_text(json.dumps({"input": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]], "kernel": [[1]]}))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(tmp_path, "compute", "--json", *args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.stderr
    assert expect in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_layer_exercises_refuse_pooling_without_a_pool_and_write_nothing(tmp_path):
    """A layer's exercises ask every topic of the layer (tests/test_exercises_layers.py); a topic that
    does not apply is still refused in one line."""
    result = run(tmp_path, "exercises", "--filters", "2", "--topics", "pooling", "--output", "ex")
    assert result.returncode == 2 and "pooling" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ex").exists()


def test_help_gives_the_output_size_formula(tmp_path):
    result = run(tmp_path, "compute", "--help")
    text = " ".join(result.stdout.split())
    assert "floor((i + 2p - D(K-1) - 1) / S) + 1" in text
    for option in ("--channels", "--filters", "--dilation"):
        assert option in text


@pytest.mark.parametrize("command", ["render", "lecture", "course", "exercises"])
def test_every_trace_command_takes_the_layer_options(command):
    from convprop import cli

    names = {p.name for p in cli.cli.commands[command].params}
    assert {"channels", "filters", "dilation"} <= names
