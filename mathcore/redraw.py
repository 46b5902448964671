"""Which of a seed's draws a lesson uses: the first that is worth teaching.

A seed's numbers are random, and some draws teach little: a kernel weight whose gradient
happens to vanish, so a whole beat scales a patch by zero; a target the network already
predicts, so every gradient is tiny; a step that leaves the loss as it was at the decimals
shown. So each draw (``values.drawn_values``: never exactly zero, at the precision shown) is
judged here, and a draw that fails is drawn again from the seed's next stream, up to
MAX_DRAWS times. The same seed always gives the same lesson, and ``convprop compute --explain``
(``explain``) says which draws were passed over and why.

The lesson's mini-batch pipeline (ReLU and max pooling on) shares the draw: its image 1 and its
kernel are the lecture's, so a draw is judged for both configurations, the pipeline's failures
named as such (``pipeline_values``).

A draw is judged on the configuration alone, before any given value replaces a seeded one: given
values (``--values``, a picture) are used as given, zeros and all, and the seeded rest stays the
seed's whatever was given. What a draw must show, every "exactly" decided in exact arithmetic
(integers over a common denominator, ``exact.integers_over``), never on floats:

- no dL/dz_k exactly zero where the gradient flows (the ReLU passes and the pool picks the
  cell): a zero there can only come from the draw, while a blocked cell's zero is the lesson;
- no dL/dw_i of any kernel exactly zero by non-zero terms cancelling (a weight whose every term
  is zero, each reading the padding or an output the gradient does not reach, is the padding's
  or the ReLU's lesson: the chain-rule scene explains a weight with terms, ``explained_weight``);
- no dL/db exactly zero: a filter the gradient does not reach at all;
- a prediction further than PREDICTION_MARGIN from the target;
- a loss that changes at the LOSS_DECIMALS places the update scene shows it with;
- with a ReLU, every map (of two cells or more) has cells it passes and cells it blocks;
- with max pooling, a map's winners (when it has two windows or more) do not all sit at the same
  place of their windows.

A z of exactly 0 at the ReLU, or a tie in a pool window, is left as drawn: each is decided as
PyTorch decides it (``mathcore.exact``), a lesson of its own, and on a 28x28 map of one-decimal
products some z is 0 in almost every draw.

A configuration that no draw can satisfy uses the draw with the fewest failures, the first of
them, and the explanation says what is left.
"""

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from convprop.mathcore import verdicts
from convprop.mathcore.batch import pipeline_config
from convprop.mathcore.config import ModelConfig
from convprop.mathcore.conv import ConvForward, conv_forward, parameter_gradients, windows
from convprop.mathcore.exact import integers_over
from convprop.mathcore.model import HeadForward, head_backward, head_forward, sgd_update
from convprop.mathcore.values import Values, drawn_values

MAX_DRAWS = 50  # a bound on the redraws: every lesson judges its draws, so the loop stays short
PREDICTION_MARGIN = 0.05  # a prediction this close to the target leaves almost no gradient to show


@dataclass(frozen=True)
class SeededDraw:
    """The draw a seed's lesson uses: ``values``, which of the seed's draws it is (``number``,
    from 1: draw 1 is the seed's own), the draws passed over with what each failed, and what the
    draw used still fails (nothing unless no draw within MAX_DRAWS passed)."""

    values: Values
    number: int
    passed_over: tuple[tuple[int, tuple[str, ...]], ...]
    unresolved: tuple[str, ...]


@dataclass(frozen=True)
class DrawReport:
    """What a trace tells of its seeded values: the ``SeededDraw`` without its values, and the
    names of the values given instead of drawn (used as given, never judged)."""

    seed: int
    number: int
    passed_over: tuple[tuple[int, tuple[str, ...]], ...]
    unresolved: tuple[str, ...]
    given: tuple[str, ...]


def draw_report(config: ModelConfig, given: dict | None = None) -> DrawReport:
    draw = seeded_draw(config)
    return DrawReport(config.seed, draw.number, draw.passed_over, draw.unresolved, tuple(sorted(given or {})))


def seeded_draw(config: ModelConfig) -> SeededDraw:
    """The first of the seed's draws that ``failures`` finds nothing wrong with."""
    pairs = {name: tuple(getattr(config, name)) for name in ("input_size", "kernel_size", "stride", "dilation")}
    return _seeded_draw(replace(config, **pairs))  # pairs given as lists hash as tuples


def pipeline_values(lecture: ModelConfig) -> Values:
    """The seeded values of the lecture's mini-batch pipeline: the same draw of the seed as the
    lecture's, drawn for the pipeline's configuration. Both draw input, kernel and bias first,
    so image 1 and the shared weights are the lecture's; the dense weights, the dense bias and
    the target are the pipeline's own (its pooling makes fewer features)."""
    return drawn_values(pipeline_config(lecture), seeded_draw(lecture).number - 1)


@lru_cache(maxsize=256)  # a lesson asks for the same configuration's draw many times (model, batch)
def _seeded_draw(config: ModelConfig) -> SeededDraw:
    """The first of the seed's draws that ``failures`` finds nothing wrong with, for the lesson
    and for its mini-batch pipeline (ReLU and max pooling on), which shares the draw."""
    pipeline = pipeline_config(config)
    passed_over, fewest = [], None
    for attempt in range(MAX_DRAWS):
        values = drawn_values(config, attempt)
        found = failures(config, values)
        if pipeline != config:
            found += tuple(f"in the mini-batch pipeline, {failure}"
                           for failure in failures(pipeline, drawn_values(pipeline, attempt)))
        if not found:
            return SeededDraw(values, attempt + 1, tuple(passed_over), ())
        passed_over.append((attempt + 1, found))
        if fewest is None or len(found) < len(fewest[1]):
            fewest = (values, found, attempt + 1)
    values, found, number = fewest
    return SeededDraw(values, number, tuple(item for item in passed_over if item[0] != number), found)


def failures(config: ModelConfig, v: Values) -> tuple[str, ...]:
    """Everything that makes the draw ``v`` a poor lesson for ``config``, in words; empty when
    nothing does. The forward pass and the step are mathcore's own (``conv_forward``,
    ``head_forward``, ``sgd_update``), so what is judged is what the trace will hold."""
    conv = conv_forward(v.X, v.W, v.b, config.stride, config.padding, config.dilation)
    head = head_forward(config, conv, v.fc_weight, v.fc_bias, v.target)
    found = [*_relu_failures(config, conv, head), *_pool_failures(config, head),
             *_gradient_failures(config, conv, head, v)]
    if abs(head.y_hat - v.target) <= PREDICTION_MARGIN:
        found.append(f"the prediction y_hat = {head.y_hat:.3f} is already within {PREDICTION_MARGIN} of "
                     f"the target {v.target:g}")
    back = head_backward(config, head, v.fc_weight, v.target)
    _, dL_dW, dL_db = parameter_gradients(conv, back.dL_dZ)
    after = sgd_update(config, v, head, back.dL_dlogit, dL_dW, dL_db).head_updated.loss
    decimals = verdicts.LOSS_DECIMALS
    if verdicts.change(head.loss, after, decimals) == verdicts.SAME:
        found.append(f"the step leaves the loss at {float(verdicts.shown(head.loss, decimals)):.{decimals}f} "
                     f"at {decimals} decimals")
    return tuple(found)


def _map_name(config: ModelConfig, o: int) -> str:
    return f" of map {o + 1}" if config.filters > 1 else ""


def _relu_failures(config: ModelConfig, conv: ConvForward, head: HeadForward) -> list[str]:
    if not config.relu:
        return []
    found = []
    for o, mask in enumerate(head.relu_masks):
        if mask.size > 1 and (mask.all() or not mask.any()):
            found.append(f"the ReLU {'passes' if mask.all() else 'blocks'} every cell{_map_name(config, o)}")
    return found


def _pool_failures(config: ModelConfig, head: HeadForward) -> list[str]:
    if not config.pool:
        return []
    found = []
    for o, winners in enumerate(head.winners):
        places = {(int(r) % config.pool, int(c) % config.pool) for r, c in winners.reshape(-1, 2)}
        if winners.shape[0] * winners.shape[1] > 1 and len(places) == 1:
            found.append(f"every pool winner{_map_name(config, o)} sits at the same place of its window")
    return found


def _gradient_failures(config: ModelConfig, conv: ConvForward, head: HeadForward, v: Values) -> list[str]:
    """dL/dz_k, dL/dw_i and dL/db exactly zero. Each is dL/dlogit (never exactly zero: the
    sigmoid never reaches a target of 0 or 1) times an exact sum of dense weights and inputs, so
    the sums decide: the dense weight routed to each z_k (``flow``), and that times the inputs.
    A dL/dw_i counts when non-zero terms cancel; when every term is zero (each reads the padding
    or an output the ReLU blocked or the pool passed over) the zero is the padding's or the
    ReLU's own lesson, and the chain rule explains a weight with terms (``explained_weight``)."""
    F_, rows, cols = conv.Z.shape
    fc, _ = integers_over(v.fc_weight)
    fc = fc.reshape(head.P.shape)
    flow = np.zeros(conv.Z.shape, dtype=object)  # Python int 0 where no gradient comes
    if config.pool:
        for (o, i, j), _ in np.ndenumerate(fc):
            r, c = head.winners[o, i, j]
            flow[o, r, c] += fc[o, i, j]
    else:
        flow[...] = fc
    if config.relu:
        flow = np.where(head.relu_masks, flow, 0)
    reaches = np.zeros(conv.Z.shape, bool)
    if config.pool:
        for o, i, j in np.ndindex(head.P.shape):
            reaches[(o, *head.winners[o, i, j])] = True
    else:
        reaches[...] = True
    if config.relu:
        reaches &= head.relu_masks
    found = []
    for (o, r, c), g in np.ndenumerate(flow):
        if reaches[o, r, c] and g == 0:
            found.append(f"dL/dz_{r * cols + c + 1}{_map_name(config, o)} is exactly 0 where the gradient flows")
    x, _ = integers_over(v.X)
    padded = np.zeros(conv.X_padded.shape, dtype=object)
    p = config.padding
    padded[:, p : p + x.shape[1], p : p + x.shape[2]] = x
    kernel_shape = conv.W.shape[2:]
    seen = windows(padded, kernel_shape, config.stride, config.dilation)
    kw = kernel_shape[1]
    for o in range(F_):
        if sum(flow[o].flat) == 0:
            found.append(f"dL/db{f'_{o + 1}' if F_ > 1 else ''} is exactly 0")
        carries = (flow[o] != 0)[:, :, None, None]
        for ch in range(conv.X.shape[0]):
            sums = (seen[ch] * flow[o][:, :, None, None]).sum(axis=(0, 1))
            cancels = ((seen[ch] != 0) & carries).any(axis=(0, 1)) & (sums == 0)
            for a, b in zip(*np.nonzero(cancels)):
                which = f" of filter {o + 1}, channel {ch + 1}" if conv.X.shape[0] * F_ > 1 else ""
                found.append(f"dL/dw_{a * kw + b + 1}{which} is exactly 0")
    return found


def explain(report: DrawReport) -> str:
    """In words, for a reader of the numbers: which of the seed's draws the lesson uses, why the
    draws before it were passed over, and which values were given instead of drawn."""
    lines = []
    if report.number == 1 and not report.passed_over:
        lines.append(f"Seed {report.seed}: its first draw is used; nothing in it needed drawing again.")
    else:
        lines.append(f"Seed {report.seed}: draw {report.number} is used.")
        for number, found in report.passed_over:
            lines.append(f"  draw {number} was drawn again: {'; '.join(found)}.")
    if report.unresolved:
        lines.append(f"  No draw within {MAX_DRAWS} avoids everything; the one used still has: "
                     f"{'; '.join(report.unresolved)}.")
    if report.given:
        lines.append(f"Given, and used as given: {', '.join(report.given)} (the draw is judged without them).")
    return "\n".join(lines)


def report_to_json(report: DrawReport) -> dict:
    """The report as plain data: the draw used (from 1), each draw passed over and why."""
    return {
        "seed": report.seed, "draw": report.number,
        "redrawn": [{"draw": number, "because": list(found)} for number, found in report.passed_over],
        "unresolved": list(report.unresolved), "given": list(report.given),
    }
