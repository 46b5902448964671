"""Exercises made from a picture and a named kernel: every answer's source command names them,
and running that command prints the answer."""

import json

from convprop.exercises.sources import resolve
from tests.test_exercises import compute_json, run


def test_the_sources_name_the_picture_and_the_kernel(tmp_path):
    out = tmp_path / "ex"
    run("exercises", "--image", "digit:7", "--kernel", "sobel-x", "--input-size", "6", "--stride", "1",
        "--seed", "2", "--topics", "forward,input-gradient", "--output", str(out))
    answers = json.loads((out / "seed-2" / "answers.json").read_text())
    assert answers
    for answer in answers:
        args = answer["source"]["args"]
        if answer["source"]["command"] == "compute":
            assert args[args.index("--image") + 1] == "digit:7" and args[args.index("--kernel") + 1] == "sobel-x"
        assert resolve(compute_json(args), answer["source"]["path"]) == answer["answer"], answer["id"]
