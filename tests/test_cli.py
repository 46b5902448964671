"""The `convprop` console script, run for real as a subprocess in an empty working directory.

Bad input must end in exit status 2, one "Error: ..." line on stderr, nothing on stdout and no
file left behind. Good input must give valid JSON whose numbers agree with PyTorch.

Every subprocess pays for importing the CLI (about 1.3 s, most of it manim), so a module's
selected cases are started together, in parallel, the first time any of them is asked for.
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

# under pytest-xdist a module's cases run on one worker, so the pool below starts each case once;
# each module that runs cases is a group of its own, so two workers share the modules
pytestmark = pytest.mark.xdist_group("cli")

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "convprop"
OUT = "out"  # the --output directory of the render cases, relative to the working directory
RENDER = ("render", "forward-pass", "--output", OUT)
COMPUTE = ("compute", "--json")


def _command() -> list[str]:
    if SCRIPT.exists():
        return [str(SCRIPT)]
    return [sys.executable, "-c", "from convprop import cli; cli.main()"]


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()  # (name, text) written into the working directory first
    expect: str = ""  # a word the error message must contain (case-insensitive)
    mkdir_out: bool = False  # create an empty --output directory beforehand


def bad(id, *args, values=None, expect="", mkdir_out=False, render=False, command=COMPUTE, values_option="--values"):
    """A bad-input case for ``command`` (`compute --json` by default), or, with ``render``,
    `render forward-pass --output out --format png`."""
    files = ()
    if values is not None:
        files = (("values.json", values),)
        args = (*args, values_option, "values.json")
    if render:
        args = (*RENDER, *args) if "--format" in args else (*RENDER, "--format", "png", *args)
    else:
        args = (*command, *args)
    return Case(id, tuple(args), files, expect, mkdir_out)


MLP = ("compute", "mlp", "--json")
RATES = ("compute", "learning-rate", "--json")


BAD = [
    # sizes, strides and padding
    bad("kernel-larger-than-padded-input", "--input-size", "3", "--kernel-size", "5", expect="kernel", render=True),
    bad("stride-0", "--stride", "0", expect="stride", render=True, mkdir_out=True),
    bad("stride-0x2", "--stride", "0x2", expect="stride"),
    bad("stride-abc", "--stride", "abc", expect="stride", render=True),
    bad("stride-2x2x2", "--stride", "2x2x2", expect="stride"),
    bad("input-size-with-underscore", "--input-size", "1_0", expect="whole numbers"),
    bad("input-size-0", "--input-size", "0", expect="input size", render=True),
    bad("input-size-29", "--input-size", "29", expect="28x28", render=True),
    bad("kernel-size-6", "--input-size", "10", "--kernel-size", "6", expect="5x5"),
    bad("padded-input-over-32", "--input-size", "28", "--kernel-size", "5", "--padding", "3",
        expect="32x32", render=True),
    bad("padding-equals-kernel", "--kernel-size", "3", "--padding", "3", expect="padding", render=True),
    bad("padding-negative", "--padding", "-1", expect="padding"),
    bad("pool-larger-than-conv-output", "--pool", "3", expect="pool", render=True),
    bad("learning-rate-0", "--learning-rate", "0", expect="learning rate", render=True),
    bad("learning-rate-negative", "--learning-rate", "-0.1", expect="learning rate"),
    bad("learning-rate-overflows", "--learning-rate", "1e308", expect="finite"),
    bad("seed-negative", "--seed", "-1", expect="seed"),
    # render's own choices
    Case("unknown-scene", ("render", "no-such-scene", "--output", OUT, "--format", "png"), expect="scene",
         mkdir_out=True),
    bad("quality-ultra", "--quality", "ultra", expect="quality", render=True),
    bad("format-avi", "--format", "avi", expect="format", render=True),
    # --values: shapes
    bad("fc-weight-wrong-length", values='{"fc_weight": [0.1, 0.2, 0.3]}', expect="fc_weight", render=True),
    bad("kernel-2x2-vs-kernel-size-3", "--kernel-size", "3", values='{"kernel": [[1, 0], [0, 1]]}',
        expect="kernel", render=True),
    bad("ragged-input", values='{"input": [[1, 2, 3], [4, 5], [6, 7, 8]]}', expect="input", render=True),
    # --values: numbers
    bad("nan", values='{"bias": NaN}', expect="bias", render=True),
    bad("infinity-in-kernel", values='{"kernel": [[Infinity, 0], [0, 1]]}', expect="kernel"),
    bad("letter-in-matrix", values='{"kernel": [[1, "a"], [0, 1]]}', expect="kernel"),
    bad("huge-input-values", values=json.dumps({"input": [[1e308] * 5] * 5}), expect="input", render=True),
    bad("target-above-1", values='{"target": 1.5}', expect="target", render=True),
    # --values: the file itself
    bad("malformed-json", values='{"kernel": [[1, 0], [0, 1]]', expect="JSON", render=True),
    bad("deeply-nested", values='{"input": %s1%s}' % ("[" * 50000, "]" * 50000), expect="values"),
    bad("json-array", values="[[1, 0], [0, 1]]", expect="object", render=True),
    bad("missing-file", "--values", "missing.json", expect="missing.json", render=True),
    bad("unknown-key", values='{"kernal": [[1, 0], [0, 1]]}', expect="kernal", render=True),
    bad("mlp-key-in-cnn-values", values='{"weights": [1, 2]}', expect="--mlp-values", render=True),
    # the mini-batch
    bad("batch-0", "--batch", "0", expect="batch", render=True),
    bad("batch-5", "--batch", "5", expect="batch"),
    bad("batch-abc", "--batch", "abc", expect="batch", render=True),
    # the 2-2-2 network's values
    bad("mlp-weights-too-few", values='{"weights": [0.1, 0.2]}', expect="weights", command=MLP),
    bad("mlp-unknown-weight-name", values='{"weights": {"w9": 0.1}}', expect="w9", command=MLP),
    bad("mlp-input-not-a-number", values='{"inputs": ["a", 0.1]}', expect="inputs", command=MLP),
    bad("mlp-bias-boolean", values='{"biases": {"b1": true}}', expect="biases", command=MLP),
    bad("mlp-target-above-1", values='{"targets": [0.5, 1.5]}', expect="targets", command=MLP),
    bad("mlp-huge-weight", values='{"weights": {"w5": 1e6}}', expect="weights", command=MLP),
    bad("mlp-unknown-key", values='{"kernel": [[1]]}', expect="kernel", command=MLP),
    bad("mlp-learning-rate-0", "--learning-rate", "0", expect="learning rate", command=MLP),
    bad("mlp-values-disagree-with-option", "--learning-rate", "0.1", values='{"learning_rate": 0.2}',
        expect="learning_rate", command=MLP),
    bad("mlp-values-in-render", values='{"weights": [1, 2, 3]}', expect="weights", render=True,
        values_option="--mlp-values"),
    # the learning rates
    bad("cnn-option-before-mlp", command=("compute", "--stride", "9", "--input-size", "3", "mlp", "--json"),
        expect="applies to the CNN"),
    bad("cnn-option-before-learning-rate", command=("compute", "--relu", "learning-rate", "--json"), expect="--relu"),
    bad("cnn-rate-before-mlp", command=("compute", "--learning-rate", "0.3", "mlp", "--json"), expect="after `mlp`"),
    bad("rates-not-numbers", "--rates", "0.1,fast", expect="rates", command=RATES),
    bad("rates-empty-entry", "--rates", "0.1,,1", expect="rates", command=RATES),
    bad("rates-zero", "--rates", "0,0.5", expect="learning rate", command=RATES),
    bad("rates-too-many", "--rates", "1,2,3,4,5,6", expect="at most", command=RATES),
    bad("rates-repeat", "--rates", "0.5,0.5", expect="once", command=RATES),
    bad("rates-in-render", "--rates", "nan", expect="learning rate", render=True),
    bad("steps-0", "--steps", "0", expect="steps", command=RATES),
    bad("steps-101", "--steps", "101", expect="steps", render=True),
]
assert len({case.id for case in BAD}) == len(BAD), "case ids must be unique"

VALUES = {
    # 4x6 input, 2x3 kernel, stride 2, padding 1: z is 3x3, so nine fc weights
    "input": [[round(0.1 * (r * 6 + c) - 1.13, 4) for c in range(6)] for r in range(4)],
    "kernel": [[0.123456789012345, -0.5, 0.25], [1e-3, -0.75, 0.3333333333333333]],
    "bias": -0.0625,
    "fc_weight": [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9],
    "fc_bias": 0.015625,
    "target": 0.75,
    "learning_rate": 0.05,
}
GOOD_VALUES = Case("compute-values", (*COMPUTE, "--padding", "1", "--values", "values.json"),
                   (("values.json", json.dumps(VALUES)),))
GOOD_5X7 = Case("compute-5x7-stride-2x3", (*COMPUTE, "--input-size", "5x7", "--stride", "2x3", "--seed", "7"))
GOOD_HELP = Case("compute-help", ("compute", "--help"))
GOOD_MLP = Case("compute-mlp", MLP)
MLP_VALUES = {"inputs": [1.5, -2.0], "weights": {"w5": -0.3, "w8": 0.9}, "biases": [0.1, -0.2],
              "targets": [0.2, 0.7], "learning_rate": 0.25}
GOOD_MLP_VALUES = Case("compute-mlp-values", (*MLP, "--values", "values.json"), (("values.json", json.dumps(MLP_VALUES)),))
GOOD_RATES = Case("compute-learning-rate", (*RATES, "--rates", "2,0.1", "--steps", "7"))
MLP_KEYS = ("inputs", "targets", "weights", "biases", "net_hidden", "out_hidden", "net_output", "out_output",
            "error_total", "gradients", "learning_rate", "weights_updated", "error_total_after")
GOOD_LIST = Case("list", ("list",))

TRACE_KEYS = (
    "input", "kernel", "bias", "stride", "padding", "z", "fc_weight", "fc_bias", "y_hat", "target", "loss",
    "dL_dz", "dL_dkernel", "dL_dbias", "dL_dinput", "dL_dfc_weight", "dL_dfc_bias", "learning_rate",
    "kernel_updated", "bias_updated",
)


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str
    cwd: Path
    before: dict
    after: dict


def _snapshot(root: Path) -> dict:
    """Every path under root with its bytes (None for a directory)."""
    return {
        str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def _run(case: Case, cwd: Path) -> Result:
    for name, text in case.files:
        (cwd / name).write_text(text)
    if case.mkdir_out:
        (cwd / OUT).mkdir()
    before = _snapshot(cwd)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))  # for the fallback
    proc = subprocess.run([*_command(), *case.args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr, cwd, before, _snapshot(cwd))


@pytest.fixture(scope="module")
def run(request, tmp_path_factory):
    """run(case) -> Result; every case selected in the module is started at once on first use,
    in the module's order, so a test waits for its own case and those before it, not another
    module's."""
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1))
    futures = {}

    def submit(case):
        if case.id not in futures:
            futures[case.id] = pool.submit(_run, case, tmp_path_factory.mktemp(case.id, numbered=True))
        return futures[case.id]

    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
        if isinstance(case, Case):
            submit(case)
    yield lambda case: submit(case).result()
    pool.shutdown(cancel_futures=True)


def _strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_input_is_one_error_line_and_exit_2(run, case):
    r = run(case)
    lines = r.stderr.splitlines()
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("Error:"), r.stderr[-2000:]
    assert case.expect.lower() in lines[0].lower(), lines[0]
    assert r.stdout == ""
    assert r.after == r.before, "the command left files behind or changed them"
    out = r.cwd / OUT
    assert not out.exists() or (case.mkdir_out and not any(out.iterdir()))


def _torch_z(data) -> list:
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x = torch.tensor(data["input"], dtype=torch.float64)[None, None]
    k = torch.tensor(data["kernel"], dtype=torch.float64)[None, None]
    b = torch.tensor([data["bias"]], dtype=torch.float64)
    z = F.conv2d(x, k, b, stride=tuple(data["stride"]), padding=data["padding"])
    return z[0, 0].tolist()


def _assert_close_to_torch(data):
    want = _torch_z(data)
    got = data["z"]
    assert (len(got), len(got[0])) == (len(want), len(want[0]))
    assert all(len(row) == len(want[0]) for row in got)
    for got_row, want_row in zip(got, want):
        assert got_row == pytest.approx(want_row, abs=1e-9, rel=0)


@pytest.mark.parametrize("case", [GOOD_VALUES], ids=[GOOD_VALUES.id])
def test_compute_json_echoes_the_values_file_exactly(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stderr == ""
    data = _strict_json(r.stdout)
    assert set(TRACE_KEYS) <= set(data), sorted(set(TRACE_KEYS) - set(data))
    for key, value in VALUES.items():
        assert data[key] == value, key
    assert data["stride"] == [2, 2] and data["padding"] == 1
    assert [len(data["z"]), len(data["z"][0])] == [3, 3]
    _assert_close_to_torch(data)
    assert r.after == r.before


@pytest.mark.parametrize("case", [GOOD_5X7], ids=[GOOD_5X7.id])
def test_compute_json_rectangular_input_and_stride_match_torch(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert set(TRACE_KEYS) <= set(data), sorted(set(TRACE_KEYS) - set(data))
    assert data["stride"] == [2, 3]
    assert [len(data["input"]), len(data["input"][0])] == [5, 7]
    _assert_close_to_torch(data)
    assert r.after == r.before


@pytest.mark.parametrize("case", [GOOD_HELP], ids=[GOOD_HELP.id])
def test_help_states_the_size_limits(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    for limit in ("28x28", "5x5", "16x16", "32x32", "1 to 4"):
        assert limit in r.stdout, limit


@pytest.mark.parametrize("case", [GOOD_LIST], ids=[GOOD_LIST.id])
def test_list_prints_one_line_per_scene(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert lines and all(line.strip() for line in lines)
    names = [line.split()[0] for line in lines]
    assert len(set(names)) == len(names)
    assert "forward-pass" in names
    assert all(len(line.split(None, 1)) == 2 for line in lines), "every scene has a summary"


@pytest.mark.parametrize("case", [GOOD_5X7], ids=[GOOD_5X7.id])
def test_compute_json_has_per_sample_and_averaged_gradients(run, case):
    r = run(case)
    batch = _strict_json(r.stdout)["batch"]
    assert batch["size"] == 2 and len(batch["per_sample"]) == 2 and batch["relu"] is True
    assert batch["inputs"][0] == _strict_json(r.stdout)["input"]  # image 1 is the lecture's input
    for key in ("dL_dkernel", "dL_dbias", "dL_dfc_weight", "dL_dfc_bias"):
        per_sample = [sample[key] for sample in batch["per_sample"]]
        mean = [sum(xs) / 2 for xs in zip(*map(_flat, per_sample))]
        assert _flat(batch["averaged"][key]) == pytest.approx(mean, abs=1e-12), key
    features = batch["features"]
    assert len(features[0]) == 2, "F has one column per image"


def _flat(x) -> list:
    if isinstance(x, list):
        return [y for item in x for y in _flat(item)]
    return [x]


def _torch_mlp(values: dict) -> dict:
    """The 2-2-2 network in PyTorch, from the textbook's definition, for the CLI's JSON."""
    torch = pytest.importorskip("torch")
    t = lambda x: torch.tensor(x, dtype=torch.float64)
    w = t([values["weights"][f"w{i}"] for i in range(1, 9)]).requires_grad_()
    i, target = t(values["inputs"]), t(values["targets"])
    b1, b2 = values["biases"]["b1"], values["biases"]["b2"]
    out_h = torch.sigmoid(w[:4].reshape(2, 2) @ i + b1)
    out_o = torch.sigmoid(w[4:].reshape(2, 2) @ out_h + b2)
    error = (0.5 * (target - out_o) ** 2).sum()
    error.backward()
    return {"out_output": out_o.tolist(), "error_total": error.item(), "gradients": w.grad.tolist()}


@pytest.mark.parametrize("case", [GOOD_MLP, GOOD_MLP_VALUES], ids=[GOOD_MLP.id, GOOD_MLP_VALUES.id])
def test_compute_mlp_json_has_the_issue_keys_and_matches_torch(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert set(MLP_KEYS) == set(data)
    assert list(data["weights"]) == [f"w{i}" for i in range(1, 9)] == list(data["gradients"])
    want = _torch_mlp(data)
    assert data["out_output"] == pytest.approx(want["out_output"], abs=1e-12)
    assert data["error_total"] == pytest.approx(want["error_total"], abs=1e-12)
    assert list(data["gradients"].values()) == pytest.approx(want["gradients"], abs=1e-12)
    rate = data["learning_rate"]
    for name, w in data["weights"].items():
        assert data["weights_updated"][name] == pytest.approx(w - rate * data["gradients"][name], abs=1e-12)
    if case is GOOD_MLP:  # the textbook's own numbers
        assert data["out_output"][0] == pytest.approx(0.75136507, abs=1e-8)
        assert data["error_total"] == pytest.approx(0.298371109, abs=1e-9)
        assert data["weights_updated"]["w5"] == pytest.approx(0.35891648, abs=1e-8)
    else:  # the file's values replaced the textbook's, and only those
        assert data["inputs"] == [1.5, -2.0] and data["targets"] == [0.2, 0.7] and rate == 0.25
        assert data["weights"]["w5"] == -0.3 and data["weights"]["w8"] == 0.9 and data["weights"]["w1"] == 0.15
        assert data["biases"] == {"b1": 0.1, "b2": -0.2}


@pytest.mark.parametrize("case", [GOOD_RATES], ids=[GOOD_RATES.id])
def test_compute_learning_rate_json_runs_each_rate_from_the_same_start(run, case):
    r = run(case)
    assert r.returncode == 0, r.stderr[-2000:]
    data = _strict_json(r.stdout)
    assert data["rates"] == [0.1, 2.0] and data["steps"] == 7
    start = _torch_mlp({"weights": {f"w{i}": w for i, w in enumerate(
        [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55], start=1)}, "inputs": [0.05, 0.10],
        "targets": [0.01, 0.99], "biases": {"b1": 0.35, "b2": 0.60}})["error_total"]
    for run_ in data["network"]:
        assert len(run_["losses"]) == 8 and run_["losses"][0] == pytest.approx(start, abs=1e-12)
    assert data["network"][1]["losses"][-1] < data["network"][0]["losses"][-1]  # the larger step gets further
