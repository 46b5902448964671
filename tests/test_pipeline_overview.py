"""The whole CNN for a layer of three channels: its overviews draw no digit too small to read, and
the numbers under discussion are legible.

Numbered in its row, a stage of three channels and four 5x5 filters carries digits of 2 to 5 px
at 480p (X 3.7, W1 3.2, Z1 and A1 2.5, P1 on the dense screen 5.6, dL/dA1 3.5, dL/dZ1 3.2 and
dL/dW1 1.7 px, measured on the numbered drawing); three channels and two 3x3 filters leave only
dL/dW1 so small (5.4 px). Those stages are drawn as shaded squares, as the forward pass draws
its overview (``map_view.readable``), with no number in them, not even a colour bar's; F's
column, dL/dF's and one worked entry of dL/dW1 carry the numbers under discussion.

Where a stage is shaded, one entry of dL/dW1 is worked out in a line: the weight of filter 1's
kernel for channel 1 with the most terms that are not zero, ties to the lowest index (the rule
of ``mathcore.explained_weight``), found again here with numpy from X and dL/dZ1 alone, its
written terms among those not zero, its highlights on X's cells it meets and on its own cell.

The scene is built as the on-screen checker builds it (every number equal to the trace, every
picture painted with the trace's levels, every highlight on its cells, the numbers under
discussion at least LEGIBLE_PX tall); on top of that, after every play on the whole frame,
whatever number is visible must be at least READABLE_PX tall.
"""

import numpy as np
import pytest

from convprop.mathcore import ModelConfig, run_model
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.map_view import READABLE_HEIGHT, is_picture
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.registry import SCENES
from tests import scene_check
from tests.scene_check import LEGIBLE_PX, REFERENCE_PIXEL_HEIGHT, build_and_check

READABLE_PX = READABLE_HEIGHT / 8 * REFERENCE_PIXEL_HEIGHT  # 6 px at 480p
FIRST = ("pipeline", "samples", 0)
# a stage -> its full array's path under the first image's trace, and the name of its pictures
STAGES = {
    "X": (("conv", "X_padded"), "inputs"), "W1": (("conv", "W"), "kernels"), "Z1": (("conv", "Z"), "zs"),
    "A1": (("head", "A"), "activateds"), "P1": (("head", "P"), "pooleds"), "dL/dP1": (("dL_dP",), "dL_dpooleds"),
    "dL/dA1": (("dL_dA",), "dL_dactivateds"), "dL/dZ1": (("conv_grad", "dL_dZ"), "dL_dzs"),
    "dL/dW1": (("conv_grad", "dL_dW"), "dL_dkernels"),
}
# the layer, its batch, and the stages whose digits were under READABLE_PX when numbered
LAYERS = {
    "3-channels-4-filters-k5-7x7-p1-s1": (
        ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1), padding=1, channels=3, filters=4), 2,
        {"X", "W1", "Z1", "A1", "P1", "dL/dA1", "dL/dZ1", "dL/dW1"}),
    # only the kernel gradients: a picture in a row of numbers, its entry worked out under it
    "3-channels-2-filters-batch4": (ModelConfig(channels=3, filters=2), 4, {"dL/dW1"}),
}


WORKED = FIRST + ("conv_grad", "weight_gradients")  # the entries of dL/dW1[0, 0], a worked line's terms


def _worked_on(scene, trace, seen):
    """Note the worked entry of dL/dW1 on screen: the weight its line's terms belong to, which
    terms are written, and the cells its highlights claim on X and on dL/dW1."""
    for m in scene_check._on_screen(scene):
        if isinstance(m, Formula):
            for _, path, *_ in m.numbers:
                path = tuple(path)
                if path[:len(WORKED)] == WORKED and len(path) > len(WORKED) + 2 and path[len(WORKED) + 1] == "terms":
                    seen["weights"].add(path[len(WORKED)])
                    seen["terms"].add(path[len(WORKED) + 2])
        elif isinstance(m, (CellMarks, Outline)):
            name = m.claim[len(FIRST):len(FIRST) + 2]
            if m.claim[:len(FIRST)] == FIRST and name in (("geometry", "weight_cells"), ("geometry", "kernel_cells")):
                seen[name[1]].add(frozenset(cells_at(trace, m.claim)))


def _explained_by_numpy(trace):
    """Of filter 1's kernel for channel 1, the row-major index of the first weight with the most
    terms that are not zero, each term's input value and dL/dz per output cell, and the input
    cells each weight meets: from the padded X and dL/dZ1 by slicing, not from the trace's terms."""
    x, dz = np.asarray(trace.conv.X_padded[0]), np.asarray(trace.conv_grad.dL_dZ[0])
    kh, kw = trace.conv.W.shape[2:]
    (sr, sc), (dr, dc) = trace.conv.stride, trace.conv.dilation
    rows, cols = dz.shape
    inputs, cells = {}, {}
    for a in range(kh):
        for b in range(kw):
            r0, c0 = a * dr, b * dc
            inputs[a, b] = x[r0:r0 + sr * (rows - 1) + 1:sr, c0:c0 + sc * (cols - 1) + 1:sc]
            cells[a, b] = {(r0 + sr * i, c0 + sc * j) for i in range(rows) for j in range(cols)}
    counts = [int(np.count_nonzero((dz != 0) & (inputs[divmod(i, kw)] != 0))) for i in range(kh * kw)]
    return int(np.argmax(counts)), max(counts), inputs, dz, cells


def _stage_of(path) -> str | None:
    """The stage a grid on screen draws, by its numbers' path or its picture's."""
    path = tuple(path)
    if path[:len(FIRST)] != FIRST:
        return None
    rest = path[len(FIRST):]
    for stage, (numbers, picture) in STAGES.items():
        if rest[:2] == ("pictures", picture) or (rest[:len(numbers)] == numbers and len(rest) > len(numbers)):
            return stage
    return None


@pytest.mark.parametrize("layer", list(LAYERS.values()), ids=list(LAYERS))
def test_the_pipelines_overviews_shade_their_cells_and_what_is_discussed_is_legible(layer, monkeypatch):
    config, batch, unreadable = layer
    lesson = run_lesson(config, batch=batch)
    seen = {"pictured": set(), "numbered": set(), "whole_frame_plays": 0, "smallest_px": np.inf,
            "weights": set(), "terms": set(), "weight_cells": set(), "kernel_cells": set()}
    checked = scene_check.check_screen

    def check_screen(scene, trace, when, legible="focus", boxes=None):
        counts = checked(scene, trace, when, legible, boxes)
        _worked_on(scene, trace, seen)
        on = scene_check._on_screen(scene)
        for grid in (m for m in on if hasattr(m, "squares") and hasattr(m, "path")):
            stage = _stage_of(grid.path)
            if stage is None:
                continue
            if is_picture(grid):
                assert len(grid.numbers) == 0 and grid.bar is None, f"{when}: the picture of {stage} writes numbers"
                seen["pictured"].add(stage)
            else:
                seen["numbered"].add(stage)
        if (glyphs := scene_check.whole_frame_glyphs(scene)) is not None:
            seen["whole_frame_plays"] += 1
            for m, px in glyphs:
                seen["smallest_px"] = min(seen["smallest_px"], px)
                assert px >= READABLE_PX - 1e-6, f"{when}: {m.source} is drawn {px:.1f} px tall on the whole frame"
        return counts

    monkeypatch.setattr(scene_check, "check_screen", check_screen)
    totals = build_and_check(SCENES["cnn-pipeline"], lesson, legible="focus")
    assert seen["pictured"] == unreadable  # every stage too small to read is shaded, and only those
    assert seen["numbered"].isdisjoint(unreadable)
    assert seen["whole_frame_plays"] > 0
    assert totals["min_focus_px"] >= LEGIBLE_PX  # every number under discussion legible
    # the worked entry of dL/dW1 is the weight the rule picks, found again with numpy, and its line
    # writes terms that are not zero
    trace = lesson.pipeline.samples[0]
    explained, most, inputs, dz, cells = _explained_by_numpy(trace)
    kw = trace.conv.W.shape[3]
    position = divmod(explained, kw)
    assert seen["weights"] == {explained} == {trace.explained_weights[0][0]}
    np.testing.assert_allclose(trace.conv_grad.dL_dW[0, 0][position], np.sum(dz * inputs[position]))
    written = [(dz.flat[k], inputs[position].flat[k]) for k in seen["terms"]]
    assert most > 0 and any(g != 0 and v != 0 for g, v in written)
    if len(seen["terms"]) < dz.size:  # only some terms written: every one of them not zero
        assert all(g != 0 and v != 0 for g, v in written), written
    for k in seen["terms"]:  # the numbers written are the terms of that weight
        term = trace.conv_grad.weight_gradients[explained].terms[k]
        assert (term.dL_dz, term.dz_dw) == (dz.flat[k], inputs[position].flat[k])
    # its highlights: the cells of X it meets, and its own cell of dL/dW1
    assert seen["weight_cells"] == {frozenset(cells[position])}
    assert seen["kernel_cells"] == {frozenset({position})}
    print(f"smallest digit on the whole frame {seen['smallest_px']:.1f} px; "
          f"smallest under discussion {totals['min_focus_px']:.1f} px")


def test_a_layers_kernels_are_grey_each_on_its_range_and_their_gradients_signed_on_one():
    trace = run_model(ModelConfig(channels=3, filters=2))
    p, W, dW = trace.pictures, trace.conv.W, trace.conv_grad.dL_dW
    bound = max(abs(float(v)) for v in dW.flat)  # one scale for the whole block of F x C kernels
    for o in range(2):
        for c in range(3):
            k = [float(v) for v in W[o, c].flat]
            low, high = min(k), max(k)
            assert (p.kernels[o][c].low, p.kernels[o][c].high, p.kernels[o][c].signed) == (low, high, False)
            np.testing.assert_allclose(p.kernels[o][c].levels.ravel(), [(v - low) / (high - low) for v in k])
            assert (p.dL_dkernels[o][c].low, p.dL_dkernels[o][c].high) == (-bound, bound)
            np.testing.assert_allclose(p.dL_dkernels[o][c].levels.ravel(), [float(v) / bound for v in dW[o, c].flat])
    assert p.kernel is p.kernels[0][0] and p.dL_dkernel is p.dL_dkernels[0][0]
