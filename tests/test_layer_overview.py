"""A layer of three channels and four filters: its overview draws no digit too small to read,
and its close-ups bring the numbers under discussion to the legible size.

Numbered in their columns, the padded 9x9 channels beside four 5x5 maps would carry digits of
2 to 5 px at 480p. The forward pass draws them as shaded squares instead (``map_view.readable``)
and writes each window's numbers close up. The scene is built as the on-screen checker builds
it (every number equal to the trace, every highlight on its cells, the numbers under discussion
at least LEGIBLE_PX tall); on top of that, after every play, whatever number is visible on the
whole frame must be at least READABLE_PX tall, and the channels and maps must be pictures with
no number in their cells.
"""

import numpy as np
import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.map_view import READABLE_HEIGHT, is_picture
from convprop.scenes.registry import SCENES
from tests import scene_check
from tests.scene_check import LEGIBLE_PX, REFERENCE_PIXEL_HEIGHT, build_and_check

READABLE_PX = READABLE_HEIGHT / 8 * REFERENCE_PIXEL_HEIGHT  # 6 px at 480p
LAYERS = {
    "3-channels-4-filters-7x7-p1-s1": ModelConfig(input_size=(7, 7), stride=(1, 1), padding=1, channels=3,
                                                  filters=4),
    "3-channels-4-filters-k5-7x7-p1-s1": ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1),
                                                     padding=1, channels=3, filters=4),
}


def _overview_paths(trace):
    channels, filters = trace.config.channels, trace.config.filters
    return ({("conv", "X_padded", c) for c in range(channels)}
            | {("pictures", "inputs", c, "levels") for c in range(channels)}
            | {("conv", "Z", o) for o in range(filters)} | {("pictures", "zs", o, "levels") for o in range(filters)})


@pytest.mark.parametrize("config", list(LAYERS.values()), ids=list(LAYERS))
def test_the_overview_shades_its_cells_and_the_close_up_is_legible(config, monkeypatch):
    lesson = run_lesson(config)
    seen = {"overviews": 0, "whole_frame_plays": 0, "smallest_px": np.inf}
    checked = scene_check.check_screen

    def check_screen(scene, trace, when, legible="focus", boxes=None):
        counts = checked(scene, trace, when, legible, boxes)
        on = scene_check._on_screen(scene)
        paths = list(_overview_paths(trace))  # a list: some paths hold a slice, unhashable before Python 3.12
        overviews = [m for m in on if getattr(m, "path", None) in paths and hasattr(m, "squares")]
        for grid in overviews:
            assert is_picture(grid) and len(grid.numbers) == 0, f"{when}: {grid.path} is numbered in the overview"
        seen["overviews"] = max(seen["overviews"], len(overviews))
        if (glyphs := scene_check.whole_frame_glyphs(scene)) is not None:
            seen["whole_frame_plays"] += 1
            for m, px in glyphs:
                seen["smallest_px"] = min(seen["smallest_px"], px)
                assert px >= READABLE_PX - 1e-6, f"{when}: {m.source} is drawn {px:.1f} px tall on the whole frame"
        return counts

    monkeypatch.setattr(scene_check, "check_screen", check_screen)
    totals = build_and_check(SCENES["forward-pass"], lesson, legible="focus")
    assert seen["overviews"] == config.channels + config.filters  # every channel and map, pictured
    assert seen["whole_frame_plays"] > 0
    assert totals["min_focus_px"] >= LEGIBLE_PX  # the close-ups: every number under discussion legible
    print(f"smallest digit on the whole frame {seen['smallest_px']:.1f} px; "
          f"smallest under discussion {totals['min_focus_px']:.1f} px")
