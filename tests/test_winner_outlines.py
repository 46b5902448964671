"""On a 28x28 picture the pool winners' outlines thin with the picture's cells: no outline's
stroke is more than OUTLINE_SHARE of its cell (FOCUS_OUTLINE_SHARE for the one block under
discussion, which must stand out from the rest), in pixels at the rendered quality, so that the
winners of neighbouring windows stay apart where a full-weight stroke would merge them.

Manim's Cairo camera draws a stroke of width w as w * STROKE_UNIT frame units (its
``cairo_line_width_multiple``, read from the camera here, not assumed), so both are measured in
pixels of a 480p frame as the camera draws them.
"""

import numpy as np

from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.picture import FOCUS_OUTLINE_SHARE, OUTLINE_SHARE, Picture
from convprop.scenes.registry import SCENES
from tests import scene_check
from tests.scene_check import REFERENCE_PIXEL_HEIGHT, build_and_check
from tests.test_large_loss_and_update import CASES
from tests.test_scenes_onscreen import _picture_lesson


def test_pool_winner_outlines_thin_with_the_picture_cells(monkeypatch):
    trace = _picture_lesson(*CASES["digit7-sobel-x-28x28-p1-relu-pool"])
    measured = []
    checked = scene_check.check_screen

    def check_screen(scene, trace, when, legible="focus", boxes=None):
        counts = checked(scene, trace, when, legible, boxes)
        per_unit = REFERENCE_PIXEL_HEIGHT / scene_check.camera_view(scene)[2]
        stroke_unit = scene.camera.cairo_line_width_multiple
        pictures = {m.path: m for m in scene_check._on_screen(scene) if isinstance(m, Picture)}
        for m in scene_check._on_screen(scene):
            if isinstance(m, CellMarks) and "pool_winners" in m.claim and m.on_grid in pictures and len(m):
                cell_px = pictures[m.on_grid].cell_size * per_unit
                stroke_px = max(piece.get_stroke_width() for piece in m) * stroke_unit * per_unit
                measured.append((when, len(m), cell_px, stroke_px))
                share = OUTLINE_SHARE if len(m) > 4 else FOCUS_OUTLINE_SHARE  # every winner, or one block's
                assert stroke_px <= share * cell_px + 1e-9, (
                    f"{when}: winners' outline {stroke_px:.2f} px on cells of {cell_px:.2f} px")
        return counts

    monkeypatch.setattr(scene_check, "check_screen", check_screen)
    build_and_check(SCENES["loss-gradient"], trace, legible="focus")
    assert measured, "no pool winner outline was drawn on a picture"
    many = [m for m in measured if m[1] > 4]  # every window's winner, not one block's
    assert many
    for when, n, cell, stroke in many:  # the block's outlines, drawn at the same moment, are bolder
        block = [s for w, k, _, s in measured if w == when and k <= 4]
        assert all(s > stroke for s in block), when
    print("\n".join(f"{w}: {n} outlines, cell {c:.2f} px, stroke {s:.2f} px" for w, n, c, s in measured))
