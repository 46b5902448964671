"""Build a scene with animations skipped and check what it draws after every play.

After each ``play`` (and at the end) the checker walks every mobject on screen and asserts:
- every NumberLabel shows its trace value at its displayed precision;
- every number inside a Formula is the trace value at its displayed precision;
- plain text carries no digits (so no number can be typed by hand);
- everything lies inside the frame;
- no two pieces of text (numbers, formulas, words) overlap.
"""

import re
import tempfile

import numpy as np
from manim import Typst, config, tempconfig

from scenes.formula import Formula
from scenes.numbers import NumberLabel, fmt
from scenes.trace_paths import resolve

# Two boxes may touch by this much (in frame units) without counting as overlapping.
OVERLAP_SLACK = 0.02
FRAME_SLACK = 1e-6


class ScreenError(AssertionError):
    pass


def _box(m):
    return np.array([m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]])


def _on_screen(scene):
    seen, out = set(), []
    for top in scene.mobjects:
        for m in top.get_family():
            if id(m) not in seen:
                seen.add(id(m))
                out.append(m)
    return out


def _visible(m) -> bool:
    family = [leaf for leaf in m.get_family() if leaf.has_points()]
    return any(leaf.get_fill_opacity() > 0.01 or leaf.get_stroke_opacity() > 0.01 for leaf in family)


def check_screen(scene, trace, when: str) -> dict:
    """Raise ScreenError on the first problem; return counts of what was checked."""
    mobjects = _on_screen(scene)
    width, height = config.frame_width / 2, config.frame_height / 2
    for m in scene.mobjects:
        if not m.has_points() and not m.get_family()[1:]:
            continue
        left, right, bottom, top = _box(m)
        if left < -width - FRAME_SLACK or right > width + FRAME_SLACK or bottom < -height - FRAME_SLACK or top > height + FRAME_SLACK:
            raise ScreenError(f"{when}: {m!r} leaves the frame: box {np.round([left, right, bottom, top], 2)}")

    texts, counts = [], {"numbers": 0, "formula_numbers": 0, "texts": 0}
    for m in mobjects:
        if isinstance(m, NumberLabel):
            expected = fmt(resolve(trace, m.source), m.decimals)
            if m.text != expected or not m.family_members_with_points():
                raise ScreenError(f"{when}: number at {m.source} shows {m.text!r}, trace says {expected!r}")
            counts["numbers"] += 1
            texts.append(m)
        elif isinstance(m, Formula):
            for label, path, decimals, text, _ in m.numbers:
                expected = fmt(resolve(trace, path), decimals)
                if text != expected:
                    raise ScreenError(f"{when}: formula number at {path} shows {text!r}, trace says {expected!r}")
                glyphs = len(m.term(label).family_members_with_points())
                if glyphs < len(text.replace(".", "")):
                    raise ScreenError(f"{when}: formula number {text!r} drew {glyphs} glyphs")
                counts["formula_numbers"] += 1
            _no_untraced_digits(m, when)
            texts.append(m)
        elif isinstance(m, Typst):
            _no_untraced_digits(m, when)
            texts.append(m)
            counts["texts"] += 1
    texts = [t for t in texts if _visible(t)]
    _no_overlaps(texts, when)
    return counts


def _no_untraced_digits(m, when):
    source = m.words if isinstance(m, Formula) else m.typst_code
    # subscripts such as z_1 or w_(12) are names, not values; the constants 0, 1 and 2 of a
    # formula, as in "+ 1", "2p" or "Z > 0", are mathematics, not values
    source = re.sub(r"_\(?\d+\)?", "", source)
    if isinstance(m, Formula):
        source = re.sub(r"(?<![\d.])[012](?![\d.])", "", source)
    if re.search(r"\d", source):
        raise ScreenError(f"{when}: text {m.typst_code!r} types a number instead of reading the trace")


def _no_overlaps(texts, when):
    if len(texts) < 2:
        return
    boxes = np.array([_box(t) for t in texts])
    s = OVERLAP_SLACK
    overlap_x = (boxes[:, None, 0] < boxes[None, :, 1] - s) & (boxes[None, :, 0] < boxes[:, None, 1] - s)
    overlap_y = (boxes[:, None, 2] < boxes[None, :, 3] - s) & (boxes[None, :, 2] < boxes[:, None, 3] - s)
    both = np.triu(overlap_x & overlap_y, k=1)
    # a text inside another text's family (a number inside its formula) is not an overlap
    for i, j in zip(*np.nonzero(both)):
        a, b = texts[i], texts[j]
        if a in b.get_family() or b in a.get_family():
            continue
        raise ScreenError(f"{when}: {a!r} overlaps {b!r}")


def build_and_check(scene_cls, trace) -> dict:
    """Run the scene with animations skipped, checking the screen after every play."""
    totals = {"plays": 0, "numbers": 0, "formula_numbers": 0, "texts": 0}

    class Checked(scene_cls):
        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            totals["plays"] += 1
            for key, value in check_screen(self, trace, f"after play {totals['plays']}").items():
                totals[key] += value

    with tempfile.TemporaryDirectory() as media, tempconfig(
        {"dry_run": True, "media_dir": media, "verbosity": "ERROR", "quality": "low_quality",
         "disable_caching": True, "progress_bar": "none"}
    ):
        scene = Checked(trace, skip_animations=True)
        scene.render()
        check_screen(scene, trace, "at the end")
    return totals
