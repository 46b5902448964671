"""Build a scene with animations skipped and check what it draws after every play.

After each ``play`` (and at the end) the checker walks every mobject on screen and asserts:
- every NumberLabel shows its trace value at its displayed precision, and a grid's number sits
  in the cell of the entry it shows, muted exactly where the trace's geometry says (padding,
  inserted zeros);
- every number inside a Formula is the trace value at its displayed precision;
- a given value (the input, the weights and biases, the target) is shown as it was given,
  whenever a decimal of at most MAX_SHOWN_DECIMALS places writes it;
- plain text carries no digits (so no number can be typed by hand);
- every highlight (window outline, lit, shaded or skipped cell, winner outline) sits exactly
  on the cells of its grid that the trace's geometry names at its claim;
- every number is legible where it must be: its glyphs at least LEGIBLE_PX pixels tall at
  the rendered quality, counting the camera's zoom. Numbers under discussion (a formula's, a
  grid's marked ``focus``, those inside a focus highlight) always, and inside the camera's
  view; with ``legible="all"``, every visible number in view;
- everything lies inside the frame, and nothing within its title-safe 2 % edge, and every grid
  number keeps 10 % of its cell clear on each side (``tests/frame_rules.py``);
- no two pieces of text (numbers, formulas, words) overlap.
"""

import atexit
import functools
import hashlib
import re
import tempfile
from contextlib import contextmanager
from fractions import Fraction

import numpy as np
from manim import Typst, Wait, config, tempconfig
from manim.utils.color import ManimColor

from convprop.mathcore.exact import as_written
from convprop.mathcore.values import MAX_SHOWN_DECIMALS
from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.grid import GridSquares, NumberGrid
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.numbers import MINUS, NumberLabel, fmt, written
from convprop.scenes.kit.picture import Picture, shade
from convprop.scenes.kit.style import MUTED, current_theme
from convprop.scenes.kit.trace_paths import lookup, resolve
from tests.boxes import Boxes
from tests.frame_rules import cell_margin_problem, title_safe_problem

# Two boxes may touch by this much (in frame units) without counting as overlapping.
OVERLAP_SLACK = 0.02
FRAME_SLACK = 1e-6
PLACE_SLACK = 1e-3  # a highlight sits on its cells to within this (frame units)
LEGIBLE_PX = 9.0  # the least glyph height a 480p viewer reads comfortably
# Heights are measured at 480p, the lowest quality rendered: every higher quality only enlarges them.
REFERENCE_PIXEL_HEIGHT = 480


class ScreenError(AssertionError):
    pass


def _drawn(scene):
    """The scene's top-level mobjects, without the moving camera's own frame (never drawn)."""
    frame = getattr(scene.camera, "frame", None)
    return [m for m in scene.mobjects if m is not frame]


def _on_screen(scene, boxes: Boxes | None = None):
    seen, out = set(), []
    boxes = boxes or Boxes()
    for top in _drawn(scene):
        for m in boxes.family(top):
            if id(m) not in seen:
                seen.add(id(m))
                out.append(m)
    return out


def _visible(m, boxes: Boxes | None = None) -> bool:
    family = [leaf for leaf in (boxes or Boxes()).family(m) if leaf.has_points()]
    return any(leaf.get_fill_opacity() > 0.01 or leaf.get_stroke_opacity() > 0.01 for leaf in family)


# -- the camera and glyph heights ------------------------------------------------------------------


def camera_view(scene):
    """(centre, width, height) of what the camera shows: its frame when it moves, else the frame."""
    frame = getattr(scene.camera, "frame", None)
    if frame is None:
        return np.zeros(3), config.frame_width, config.frame_height
    return frame.get_center(), frame.width, frame.height


def glyph_px(m, pixels_per_unit: float, boxes: Boxes | None = None) -> float:
    """The height in pixels of the digits of a drawn number.

    A NumberLabel's outline is its digits, so its height is theirs. A formula term may hold
    parentheses, taller than digits, and a minus sign or a point, shorter: the least height of
    its tall glyphs is the digits'.
    """
    boxes = boxes or Boxes()
    if isinstance(m, NumberLabel):
        return boxes.height(m) * pixels_per_unit
    heights = [boxes.height(leaf) for leaf in boxes.family(m) if leaf.has_points()]
    tall = [h for h in heights if h > 0.5 * max(heights)]
    return min(tall) * pixels_per_unit


def whole_frame_glyphs(scene) -> list | None:
    """(number, its glyph height in px at 480p) of every visible number when the camera shows
    the whole frame, not a close-up; None during a close-up. The camera's frame is then as wide
    as the scene's and centred (its height is the pixels' aspect of that width, 7.99 at 854x480,
    not the configured 8). What an overview's rule of readable digits is held to."""
    centre, width, height = camera_view(scene)
    if not (np.isclose(width, config.frame_width) and np.allclose(centre[:2], 0)):
        return None
    boxes = Boxes()
    return [(m, glyph_px(m, REFERENCE_PIXEL_HEIGHT / height, boxes)) for m in _on_screen(scene, boxes)
            if isinstance(m, NumberLabel) and _visible(m, boxes)]


def _in_view(m, view, boxes: Boxes) -> bool:
    centre, width, height = view
    x, y = boxes.center(m)
    return abs(x - centre[0]) <= width / 2 and abs(y - centre[1]) <= height / 2


# -- given values: written as given ---------------------------------------------------------------

# Where the trace keeps a value that was given, not computed (in the pipeline, under each image's own trace).
_GIVEN = (("values",), ("target",), ("conv", "padded_input"), ("conv", "kernel"), ("conv", "bias"),
          ("conv_grad", "rotated_kernel"), ("conv", "X_padded"), ("conv", "W"), ("conv", "b"),
          ("conv_grad", "rotated_W"))


def _is_given(path) -> bool:
    path = tuple(path)
    if path[:2] == ("pipeline", "samples"):
        path = path[3:]
    # a chain-rule term's dz/dw is the input value under the weight
    return any(path[:len(p)] == p for p in _GIVEN) or path[-1:] == ("dz_dw",)


def _check_given(path, value, text, when):
    """A given value that some decimal up to MAX_SHOWN_DECIMALS places writes is shown exactly as written."""
    written = as_written(value)
    if _is_given(path) and 10 ** MAX_SHOWN_DECIMALS % written.denominator == 0:
        if Fraction(text.replace(MINUS, "-")) != written:
            raise ScreenError(f"{when}: the given value at {path} is {written} but shows {text!r}")


# The (path, decimals, text) found true of the last trace checked: a number shown after many plays
# is compared with the trace once. The trace is held, so no other trace can take its id meanwhile.
_TRUE_OF = {"trace": None, "shown": set()}


def _check_value(trace, path, decimals: int, text: str, when: str, what: str):
    """``text`` is the trace's value at ``path`` written with ``decimals``, and a given value is
    written as given."""
    if _TRUE_OF["trace"] is not trace:
        _TRUE_OF.update(trace=trace, shown=set())
    key = (repr(path), decimals, text)
    if key in _TRUE_OF["shown"]:
        return
    value = resolve(trace, path)
    expected = fmt(value, decimals)
    if text != expected:
        raise ScreenError(f"{when}: {what} at {path} shows {text!r}, trace says {expected!r}")
    _check_given(path, value, text, when)
    _TRUE_OF["shown"].add(key)


# -- the grids: numbers in their cells, muted where the geometry says, highlights on their cells -------


def _cell_of(grid, label):
    index = label.source[-1]
    if isinstance(index, tuple):
        return index
    return (0, index) if grid.rows == 1 and grid.vector else (index, 0)


def _inside(point, square, boxes: Boxes) -> bool:
    left, right, bottom, top = boxes.box(square)
    return left - PLACE_SLACK <= point[0] <= right + PLACE_SLACK and bottom - PLACE_SLACK <= point[1] <= top + PLACE_SLACK


def _check_grid(grid, trace, when, boxes: Boxes):
    muted = set(cells_at(trace, grid.muted_claim)) if grid.muted_claim is not None else None
    grey = ManimColor(MUTED).to_hex()
    for label in grid.numbers:
        if not isinstance(label, NumberLabel) or label.source is None:
            continue
        rc = _cell_of(grid, label)
        if not _inside(boxes.center(label), grid.square(*rc), boxes):
            raise ScreenError(f"{when}: number {label.source} is not inside its cell {rc} of {grid.path}")
        if muted is not None and (label.get_fill_color().to_hex() == grey) != (rc in muted):
            raise ScreenError(f"{when}: cell {rc} of {grid.path} is {'' if rc not in muted else 'not '}muted, "
                              f"but the trace's {grid.muted_claim} says otherwise")


@functools.lru_cache(maxsize=4096)
def _shade_bytes(paint, level, signed, theme) -> tuple:
    """The red, green and blue bytes of the colour ``paint`` (the kit's shade) gives a level on
    ``theme``, as ``ManimColor.to_hex`` writes them, once per level: a picture repeats few."""
    hexa = ManimColor(paint(level, signed)).to_hex()
    return tuple(int(hexa[i:i + 2], 16) for i in (1, 3, 5))


def _check_picture(picture, trace, when):
    """Every painted cell of a picture is the colour of the level the trace gives it (a blank
    cell, not painted yet, shows nothing to be wrong). The cells' colours are read as one array
    and written as ``to_hex`` writes them (each channel times 255, cut to an integer)."""
    shading = lookup(trace, picture.path[:-1])
    levels = np.asarray(shading.levels)
    cells = list(np.ndindex(levels.shape))
    rgbas = np.array([picture.square(r, c).get_fill_rgbas()[0] for r, c in cells])
    theme = current_theme().name
    expected = np.array([_shade_bytes(shade, float(levels[rc]), shading.signed, theme) for rc in cells])
    wrong = (rgbas[:, 3] > 0.01) & ((rgbas[:, :3] * 255).astype(int) != expected).any(axis=1)
    if wrong.any():
        i = int(np.argmax(wrong))
        painted = ManimColor(rgbas[i, :3]).to_hex()
        raise ScreenError(f"{when}: cell {cells[i]} of the picture {picture.path} is painted {painted}, "
                          f"not the colour of its level {levels[cells[i]]:.3f}")


def _region_box(grid, cells, boxes: Boxes) -> np.ndarray:
    """As ``kit.marks.region_box``: the smallest rectangle around ``cells`` of ``grid``."""
    squares = np.array([boxes.box(grid.square(*rc)) for rc in cells])
    return np.array([squares[:, 0].min(), squares[:, 1].max(), squares[:, 2].min(), squares[:, 3].max()])


def _check_mark(mark, grids, trace, when, boxes: Boxes) -> list:
    """The grids on which ``mark`` sits exactly on the cells its claim names; raise if none."""
    cells = cells_at(trace, mark.claim)
    candidates = [g for g in grids if g.path == mark.on_grid]
    if not candidates:
        raise ScreenError(f"{when}: a highlight of {mark.claim} marks {mark.on_grid}, which is not on screen")
    matched = []
    for grid in candidates:
        if isinstance(mark, Outline):
            ok = bool(cells) and np.allclose(boxes.box(mark), _region_box(grid, cells, boxes), atol=PLACE_SLACK)
        else:
            ok = len(mark.submobjects) == len(cells) and all(
                np.allclose(boxes.box(piece), boxes.box(grid.square(*rc)), atol=PLACE_SLACK)
                for piece, rc in zip(mark.submobjects, cells))
        if ok:
            matched.append(grid)
    if not matched:
        raise ScreenError(f"{when}: the highlight of {mark.claim} is not on the cells {cells[:4]}… "
                          f"of {mark.on_grid} that the trace names")
    return [(grid, set(cells)) for grid in matched]


# -- grids checked once while they stay as they were --------------------------------------------------

# During a walk (``build_and_check``), the grids found right after a play, each with the digest of
# every part of it as it was then: its numbers in their cells, muted where the trace says, clear of
# their borders, and a picture's colours depend on nothing else, so a grid the next play left
# untouched, to the bit, is not checked again. Its parts are held, so no other part can take an id.
_GRIDS_RIGHT: dict | None = None


def _grid_digest(grid, boxes: Boxes) -> bytes:
    digest = hashlib.blake2b(repr((grid.path, grid.muted_claim)).encode(), digest_size=16)
    for part in boxes.family(grid):
        digest.update(id(part).to_bytes(8, "little", signed=True))
        _digest_arrays(digest, part)
        digest.update(np.ascontiguousarray(part.get_stroke_width() if hasattr(part, "get_stroke_width") else 0.0))
    return digest.digest()


# -- the check ---------------------------------------------------------------------------------------


def check_screen(scene, trace, when: str, legible: str = "focus", boxes: Boxes | None = None) -> dict:
    """Raise ScreenError on the first problem; return counts and the smallest glyphs seen
    (``boxes``: the screen's, when the caller has measured it already)."""
    boxes = boxes or Boxes()  # nothing moves while the screen is checked
    mobjects = _on_screen(scene, boxes)
    boxes.read(mobjects)
    width, height = config.frame_width / 2, config.frame_height / 2
    for m in _drawn(scene):
        if not m.has_points() and not boxes.family(m)[1:]:
            continue
        left, right, bottom, top = boxes.box(m)
        if left < -width - FRAME_SLACK or right > width + FRAME_SLACK or bottom < -height - FRAME_SLACK or top > height + FRAME_SLACK:
            raise ScreenError(f"{when}: {m!r} leaves the frame: box {np.round([left, right, bottom, top], 2)}")
    if problem := title_safe_problem(_drawn(scene), boxes):
        raise ScreenError(f"{when}: {problem}")

    counts = {"numbers": 0, "formula_numbers": 0, "texts": 0, "marks": 0,
              "min_px": np.inf, "min_focus_px": np.inf}
    grids = list({id(g): g for g in [m for m in mobjects if isinstance(m, NumberGrid)]
                  + [m.grid for m in mobjects if isinstance(m, GridSquares)]}.values())
    for grid in grids:
        digest = _grid_digest(grid, boxes) if _GRIDS_RIGHT is not None else None
        if digest is not None and _GRIDS_RIGHT.get(id(grid), (None,))[0] == digest:
            continue  # as it was when found right
        _check_grid(grid, trace, when, boxes)
        if problem := cell_margin_problem(grid, _cell_of, boxes):
            raise ScreenError(f"{when}: {problem}")
        if isinstance(grid, Picture):
            _check_picture(grid, trace, when)
        if digest is not None:
            _GRIDS_RIGHT[id(grid)] = (digest, boxes.family(grid))
    focus_cells = []  # (grid, cells) under a visible focus highlight
    for m in mobjects:
        if isinstance(m, (Outline, CellMarks)):
            placed = _check_mark(m, grids, trace, when, boxes)
            counts["marks"] += 1
            if m.focus and _visible(m, boxes):
                focus_cells += placed
    in_focus = {id(label) for grid, cells in focus_cells for label in grid.numbers
                if isinstance(label, NumberLabel) and _cell_of(grid, label) in cells}

    view = camera_view(scene)
    pixels_per_unit = REFERENCE_PIXEL_HEIGHT / view[2]

    def measure(m, px, focus, what):
        if not _visible(m, boxes):
            return
        if not _in_view(m, view, boxes):
            return  # not on this frame: the camera looks elsewhere
        counts["min_px"] = min(counts["min_px"], px)
        if focus:
            counts["min_focus_px"] = min(counts["min_focus_px"], px)
        held = legible == "all" or (legible == "focus" and focus)
        if held and px < LEGIBLE_PX - 1e-6:
            raise ScreenError(f"{when}: {what} is {px:.1f} px tall at {REFERENCE_PIXEL_HEIGHT}p, "
                              f"below the legible {LEGIBLE_PX:g} px")

    # a Transform gives a number the pieces of what it came from as copies of itself: one number
    inner = {id(sub) for m in mobjects if isinstance(m, NumberLabel) for sub in boxes.family(m)[1:]}
    texts = []
    for m in mobjects:
        if isinstance(m, NumberLabel) and id(m) not in inner:
            if not m.family_members_with_points():
                raise ScreenError(f"{when}: number at {m.source} shows {m.text!r} with no glyph drawn")
            _check_value(trace, m.source, m.decimals, m.text, when, "number")
            counts["numbers"] += 1
            texts.append(m)
            measure(m, glyph_px(m, pixels_per_unit, boxes), getattr(m, "focus", False) or id(m) in in_focus,
                    f"number {m.source}")
        elif isinstance(m, Formula):
            for label, path, decimals, text, _ in m.numbers:
                _check_value(trace, path, decimals, text, when, "formula number")
                glyphs = len(m.term(label).family_members_with_points())
                if glyphs < len(text.replace(".", "")):
                    raise ScreenError(f"{when}: formula number {text!r} drew {glyphs} glyphs")
                counts["formula_numbers"] += 1
                measure(m, glyph_px(m.term(label), pixels_per_unit, boxes), getattr(m, "focus", True),
                        f"formula number {path}")
            _no_untraced_digits(m, when)
            _sums_add_up(m, trace, when)
            texts.append(m)
        elif isinstance(m, Typst):
            _no_untraced_digits(m, when)
            texts.append(m)
            counts["texts"] += 1
    texts = [t for t in texts if _visible(t, boxes)]
    _no_overlaps(texts, when, boxes)
    return counts


# -- written sums: they add up as written -----------------------------------------------------------

def _sums(reading):
    """The written sums of a formula read in order: (signed terms, total) wherever numbers joined
    only by + and - stand on one side of an '=' and a lone number on the other. A term or total
    is (sign, path, decimals, text)."""
    sides, signs = [[]], []
    for part in reading:
        if isinstance(part, str):
            pieces = part.split("=")
            sides[-1].append(pieces[0])
            for piece in pieces[1:]:
                sides.append([piece])
        else:
            sides[-1].append(part)
    for side in sides:
        numbers, sign, pure = [], 1, True
        for part in side:
            if isinstance(part, str):
                op = part.strip()
                if op in ("", "+"):
                    continue
                if op == "-":
                    sign = -sign
                    continue
                pure = False
                break
            numbers.append((sign, *part))
            sign = 1
        signs.append(numbers if pure and numbers else None)
    for a, b in zip(signs, signs[1:]):
        for terms, total in ((a, b), (b, a)):
            if terms and total and len(terms) >= 2 and len(total) == 1:
                yield terms, total[0]


def _sums_add_up(formula, trace, when):
    """A sum written out adds up as written: the terms as shown make the total as shown, unless
    no number of decimals up to MAX_SHOWN_DECIMALS would make them (sums of rounded floats)."""
    for terms, (_, total_path, total_decimals, total_text) in _sums(formula.reading):
        shown = sum(sign * Fraction(text.replace(MINUS, "-")) for sign, _, _, text in terms)
        if shown == Fraction(total_text.replace(MINUS, "-")):
            continue
        values = [sign * resolve(trace, path) for sign, path, _, _ in terms]
        total = resolve(trace, total_path)
        start = max(total_decimals, *(d for _, _, d, _ in terms))
        for d in range(start, MAX_SHOWN_DECIMALS + 1):
            if sum(written(v, d) for v in values) == written(total, d):
                raise ScreenError(f"{when}: {' + '.join(t for *_, t in terms)} is written = {total_text}, "
                                  f"which does not add up; at {d} decimals it would")


def _no_untraced_digits(m, when):
    source = m.words if isinstance(m, Formula) else m.typst_code
    # subscripts such as z_1, w_(12) or W_(1,3) (filter 1, channel 3) are names, not values; the
    # constants 0, 1 and 2 of a formula, as in "+ 1", "2p" or "Z > 0", are mathematics, not values
    source = re.sub(r"_\(?\d+(?:,\d+)*\)?", "", source)
    if isinstance(m, Formula):
        source = re.sub(r"(?<![\d.])[012](?![\d.])", "", source)
    if re.search(r"\d", source):
        raise ScreenError(f"{when}: text {m.typst_code!r} types a number instead of reading the trace")


def _no_overlaps(texts, when, screen: Boxes):
    if len(texts) < 2:
        return
    boxes = np.array([screen.box(t) for t in texts])
    s = OVERLAP_SLACK
    overlap_x = (boxes[:, None, 0] < boxes[None, :, 1] - s) & (boxes[None, :, 0] < boxes[:, None, 1] - s)
    overlap_y = (boxes[:, None, 2] < boxes[None, :, 3] - s) & (boxes[None, :, 2] < boxes[:, None, 3] - s)
    both = np.triu(overlap_x & overlap_y, k=1)
    # a text inside another text's family (a number inside its formula) is not an overlap
    for i, j in zip(*np.nonzero(both)):
        a, b = texts[i], texts[j]
        if a in screen.family(b) or b in screen.family(a):
            continue
        raise ScreenError(f"{when}: {a!r} overlaps {b!r}")


def build_and_check(scene_cls, trace, legible: str = "focus", told: list | None = None) -> dict:
    """Run the scene with animations skipped, checking the screen after every play.

    ``legible`` is which numbers must be legible: "all" visible in view, those under
    discussion ("focus"), or none ("off": sizes are only measured).

    Returns the counts of what was checked, and ``min_px`` / ``min_focus_px``: the smallest
    glyph height, in pixels at 480p, of any number and of any number under discussion.

    The same walk reads the scene's script (``tests/script_check.check_lines``): every number a
    beat's narration says is the trace's, and on screen while the beat plays
    (``spoken_numbers`` counts them). ``told``, when given, receives the script's lines.
    """
    totals = {"plays": 0, "numbers": 0, "formula_numbers": 0, "texts": 0, "marks": 0,
              "min_px": np.inf, "min_focus_px": np.inf}

    def add(counts):
        for key, value in counts.items():
            totals[key] = min(totals[key], value) if key.startswith("min_") else totals[key] + value

    from tests.script_check import check_lines, shown_numbers  # it reads the screen with this module's walk

    seen = []  # (time, numbers on screen) after every play: what the script is read against
    checked = []  # the fingerprint of the screen last checked

    class Checked(scene_cls):
        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            boxes = Boxes()
            on_screen = _on_screen(self, boxes)
            fingerprint = _fingerprint(self, on_screen)
            # a wait moves nothing: a screen the same to the bit as the one last checked is not checked again
            same = all(isinstance(a, Wait) for a in animations) and checked == [fingerprint]
            if not same:
                totals["plays"] += 1
                add(check_screen(self, trace, f"after play {totals['plays']}", legible, boxes))
                checked[:] = [fingerprint]
            seen.append((self.time, shown_numbers(on_screen)))

    global _GRIDS_RIGHT
    _GRIDS_RIGHT = {}
    try:
        with frameless():
            scene = Checked(trace, skip_animations=True)
            walk(scene)
            add(check_screen(scene, trace, "at the end", legible))
    finally:
        _GRIDS_RIGHT = None
    narrator = getattr(scene, "narrator", None)
    totals["spoken_numbers"] = check_lines(narrator.lines, seen, trace) if narrator is not None else 0
    if told is not None and narrator is not None:
        told.extend(narrator.lines)  # the script the walk told, for the caller to read further
    return totals


def _fingerprint(scene, on_screen) -> bytes:
    """What the checker reads of a screen, to the bit: the mobjects on it (``on_screen``), every
    point, colour and opacity, and where the camera looks."""
    frame = getattr(scene.camera, "frame", None)
    parts = list(on_screen) + ([frame] if frame is not None else [])
    digest = hashlib.blake2b(digest_size=16)
    for m in parts:
        digest.update(id(m).to_bytes(8, "little", signed=True))
        _digest_arrays(digest, m)
    return digest.digest()


def _digest_arrays(digest, m) -> None:
    """Add ``m``'s own points, fill and stroke colours to ``digest``."""
    for array in (m.points, getattr(m, "fill_rgbas", None), getattr(m, "stroke_rgbas", None)):
        if array is not None:
            digest.update(np.ascontiguousarray(array))  # its buffer, not a copy


@functools.cache
def _walks_media() -> str:
    """One media folder for every walk of this process, removed when it exits.

    The only files a walk writes there are Manim's compiled formulas, named by a hash of their
    Typst source. Manim keeps each formula it has read in memory too, keyed by that file's path:
    with one folder, a formula met in an earlier walk (the same sum on another lesson, a title, a
    legend) is neither compiled nor read again, as in a user's renders, which keep their media
    folder. A folder per walk made each walk compile every formula anew."""
    media = tempfile.TemporaryDirectory(prefix="convprop-walks-")
    atexit.register(media.cleanup)
    return media.name


@contextmanager
def frameless():
    """Manim's settings for walking a scene's mobjects: animations skipped, nothing written but
    the formulas' files (``_walks_media``)."""
    with tempconfig(
        {"dry_run": True, "media_dir": _walks_media(), "verbosity": "ERROR", "quality": "low_quality",
         "disable_caching": True, "progress_bar": "none"}
    ):
        yield


def walk(scene) -> None:
    """Play ``scene`` (made inside ``frameless``) through, painting no frame: a check reads
    mobjects, never pixels, and with animations skipped Cairo would still paint every play's
    still objects into a frame no one looks at (a third of a large layer's walk). Nor does
    the scene sort its mobjects into moving and still ones before each play: only that painting
    reads the sorting."""
    scene.renderer.update_frame = lambda *args, **kwargs: None
    scene.renderer.save_static_frame_data = lambda *args, **kwargs: None
    scene.get_moving_and_static_mobjects = lambda animations: ([], [])
    scene.render()
