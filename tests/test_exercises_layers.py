"""Exercises of a convolution layer (input channels, several filters, dilation).

Every answer is proven twice: it is the value at its source (the command it names prints it), and
PyTorch recomputes it from the given values alone (conv2d with dilation, ReLU, max pooling, the
dense layer and the loss, float64 autograd); z and each channel's share also against the exact
rational reference. The sheets' text is read back: the key holds every answer and the question
asked, the worksheet the question and no answer.
"""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from pypdf import PdfReader

from convprop.exercises import FILES, build_for_course, numbers
from convprop.exercises.sources import resolve
from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from tests.gift_reader import read_gift
from tests.layer_exact_reference import layer_exact
from tests.test_exercises import answers, compute_json, folders, pdf_numbers, run
from tests.torch_reference import np64, t64

pytestmark = pytest.mark.xdist_group("exercises")

CNN = "forward,loss,chain-rule,kernel-gradient,update,input-gradient,pooling,batch"
# two channels, three filters, dilation, padding, ReLU and pooling (every layer topic); three
# channels and one filter, dilated along the rows only, straight into the dense layer; and one
# channel and one filter dilated, whose shapes are the lecture's 2-D ones
CONFIGS = {
    "layer": ("--seeds", "3", "--channels", "2", "--filters", "3", "--dilation", "2", "--input-size", "6",
              "--padding", "1", "--stride", "1", "--relu", "--pool", "2", "--topics", CNN),
    "channels": ("--seeds", "5", "--channels", "3", "--dilation", "2x1", "--input-size", "5", "--kernel-size", "2",
                 "--stride", "1", "--topics", "forward,loss,chain-rule,input-gradient,update"),
    "dilated": ("--seeds", "2", "--dilation", "3", "--input-size", "7", "--stride", "1",
                "--topics", "forward,kernel-gradient,input-gradient"),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param) / "ex"
    run("exercises", *CONFIGS[request.param], "--output", str(out))
    return request.param, out


_oracles: dict[tuple, dict] = {}


def oracle_for(args: list[str]) -> dict:
    key = tuple(args)
    if key not in _oracles:
        _oracles[key] = oracle(compute_json(args))
    return _oracles[key]


def oracle(d: dict) -> dict:
    """Every value a layer question can ask, recomputed by PyTorch from the given values of the
    compute JSON ``d`` (input, kernel, bias, dense weights, target, learning rate), laid out as
    that JSON lays them out, so an answer's path finds its oracle value too."""
    stride, padding, dilation = tuple(d["stride"]), d["padding"], tuple(d["dilation"])
    X, W, B = t64(d["input"], grad=True), t64(d["kernel"], grad=True), t64(d["bias"], grad=True)
    z = F.conv2d(X[None], W, B, stride=stride, padding=padding, dilation=dilation)[0]
    z.retain_grad()
    a = torch.relu(z) if d["relu"] else z
    p = F.max_pool2d(a[None], d["pool"], d["pool"])[0] if d["pool"] else a
    s = t64(d["fc_weight"]) @ p.reshape(-1) + d["fc_bias"]
    y_hat = torch.sigmoid(s)
    loss = F.binary_cross_entropy_with_logits(s, t64(d["target"]))
    loss.backward()
    shares = [[np64(F.conv2d(X[None, c:c + 1], W[o:o + 1, c:c + 1], stride=stride, padding=padding,
                             dilation=dilation)[0, 0]).tolist() for c in range(X.shape[0])] for o in range(W.shape[0])]
    rate, target, yh = d["learning_rate"], d["target"], float(y_hat.detach())
    padded = np.pad(np.asarray(d["input"], float), ((0, 0), (padding,) * 2, (padding,) * 2))
    dZ = np64(z.grad)
    oh, ow = dZ.shape[1:]
    kh, kw = W.shape[2:]

    def term(o, c, i, n):  # dL/dz of step n times the value under tap i at that step
        (r, col), (ta, tb) = divmod(n, ow), divmod(i, kw)
        return {"product": dZ[o, r, col] * padded[c, r * stride[0] + ta * dilation[0], col * stride[1] + tb * dilation[1]]}

    one = X.shape[0] == 1 and W.shape[0] == 1
    return {
        "z": np64(z).tolist(), "channel_sums": shares, "pooled": np64(p).tolist(),
        "y_hat": yh, "loss": float(loss.detach()), "dy_hat_dlogit": yh * (1 - yh),
        "dL_dy_hat": -target / yh + (1 - target) / (1 - yh),
        "dL_dz": dZ.tolist(), "dL_dkernel": np64(W.grad).tolist(), "dL_dbias": np64(B.grad).tolist(),
        "dL_dinput": np64(X.grad).tolist(),
        "dL_dkernel_terms": [[[[term(o, c, i, n) for n in range(oh * ow)] for i in range(kh * kw)]
                              for c in range(X.shape[0])] for o in range(W.shape[0])],
        "kernel_updated": np64(W - rate * W.grad).tolist(), "bias_updated": np64(B - rate * B.grad).tolist(),
        "batch": {"shapes": {"Z1": list(z.shape[1:]) if one else list(z.shape)},
                  "parameter_counts": {"conv": W.numel() + B.numel()}},
    }


def test_every_answer_is_at_its_source_and_pytorch_agrees(built):
    name, out = built
    for folder in folders(out):
        items = answers(folder)
        assert items and len({q["id"] for q in items}) == len(items)
        recomputed = 0
        for q in items:
            data = compute_json(q["source"]["args"])
            assert resolve(data, q["source"]["path"]) == q["answer"], q["id"]
            assert float(q["shown"]) == pytest.approx(q["answer"], abs=q["tolerance"] * 1.000001)
            if q["topic"] == "batch":  # the mini-batch is its own pipeline: the mean of the images' own
                continue
            expected = resolve(oracle_for(q["source"]["args"]), q["source"]["path"])
            assert q["answer"] == pytest.approx(expected, rel=1e-9, abs=1e-12), (q["id"], expected)
            recomputed += 1
        assert recomputed == sum(q["topic"] != "batch" for q in items) > 0


def test_z_and_each_channels_share_are_exact(built):
    name, out = built
    for folder in folders(out):
        for q in answers(folder):
            path = q["source"]["path"]
            if not (path.startswith("z[") or path.startswith("channel_sums[")):
                continue
            d = compute_json(q["source"]["args"])
            z, shares = layer_exact(d["input"], d["kernel"], d["bias"], d["stride"], d["padding"], d["dilation"])
            index = [int(i) for i in path[path.index("["):].strip("[]").split("][")]
            exact = z[index[0]][index[1]][index[2]] if path.startswith("z[") else shares[index[0]][index[1]][index[2]][index[3]]
            assert q["answer"] == float(exact) and q["shown"] == numbers.shown(float(exact)), q["id"]


def test_the_batch_answers_are_the_means_of_the_images_own(built):
    name, out = built
    for folder in folders(out):
        for q in answers(folder):
            if q["topic"] == "batch" and "dL_dkernel" in q["source"]["path"]:
                b = compute_json(q["source"]["args"])["batch"]
                step = q["source"]["path"].removeprefix("batch.averaged.")
                own = [resolve(sample, step) for sample in b["per_sample"]]
                assert q["answer"] == pytest.approx(sum(own) / len(own), rel=1e-12, abs=1e-15)


def _text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_sheets_and_the_quiz_ask_the_layers_questions_and_the_key_answers_them(built):
    name, out = built
    for folder in folders(out):
        items = answers(folder)
        key, sheet = _text(folder / "answers.pdf"), _text(folder / "worksheet.pdf")
        key_numbers, sheet_numbers = pdf_numbers(folder / "answers.pdf"), pdf_numbers(folder / "worksheet.pdf")
        for q in items:
            assert q["shown"] in key_numbers, q["id"]
            if "." in q["shown"]:
                assert q["shown"] not in sheet_numbers, q["id"]
        quiz = read_gift((folder / "quiz.gift").read_text())
        assert len(quiz) == len(items)
        for read, q in zip(quiz, items):
            assert q["prompt"] in read.text and read.answers[0][1] == q["answer"], q["id"]
        for text in (key, sheet):
            assert "Forward pass through the layer" in text and "how many numbers does the layer learn" in text
            if name != "dilated":
                assert "channel" in text.lower() and "filter" in text.lower()
        z = next(q for q in items if q["id"].startswith("forward.z-") and "channel" not in q["id"])
        o, r, col = (int(x) for x in z["id"].removeprefix("forward.z-").split("-"))
        assert f"Filter {o}'s window for row {r}, column {col}" in sheet
        if any(q["topic"] == "input-gradient" for q in items):
            x = next(q for q in items if q["topic"] == "input-gradient")
            c, r, col = (int(v) for v in x["id"].removeprefix("input-gradient.dL-dx-").split("-"))
            assert f"(channel {c}, row {r}, column {col})" in sheet
            assert "filter 1:" in key and ("filter 2:" in key) == (name == "layer")


def test_a_layer_lesson_gets_exercises_in_its_course(tmp_path):
    lesson = run_lesson(ModelConfig(seed=4, channels=2, filters=2, dilation=(2, 2), input_size=(6, 6)))
    paths = build_for_course(lesson, tmp_path / "exercises", topics=["forward", "update"])
    assert sorted(paths) == sorted(FILES) and all(p.is_file() for p in paths.values())
    items = json.loads(paths["answers.json"].read_text())
    assert {q["topic"] for q in items} == {"forward", "update"}
    for q in items:
        args = q["source"]["args"]
        assert args[args.index("--channels") + 1] == "2" and args[args.index("--dilation") + 1] == "2x2"
        assert resolve(compute_json(args), q["source"]["path"]) == q["answer"]


def test_a_topic_that_does_not_apply_to_the_layer_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    from convprop import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["convprop", "exercises", "--channels", "2", "--filters", "2", "--topics",
                                     "forward,pooling", "--output", "ex"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ") and "pooling" in err and "--pool" in err
    assert list(tmp_path.iterdir()) == []
