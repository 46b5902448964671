"""A formula met again is a copy of its first typesetting (``kit.formula._MET``): it
must be the formula a fresh typesetting gives, point for point and colour for colour, every term
selectable as before, carrying its own paths into the trace, and untouched by whatever a story did
to the formulas typeset before it."""

import numpy as np
import typst
from manim import RIGHT, config, tempconfig

from convprop.scenes.kit import formula
from convprop.scenes.kit.formula import Formula, Num, plain
from convprop.scenes.kit.style import use_theme

TRACE = {"z": [0.57, -1.25], "w": [0.57, -1.25], "b": 0.1}


def _parts(name: str) -> list:
    return ["z_1 =", Num((name, 0), 2), "+", Num((name, 1), 2, paren=True, color="#e0a030"), "=",
            Num(("b",), 1, label="bias")]


def _drawn(f: Formula):
    parts = [(m.points, m.fill_rgbas, m.stroke_rgbas) for m in f.family_members_with_points()]
    terms = {label: f.term(label).get_all_points() for label, *_ in f.numbers}
    return parts, terms


def _same(a: Formula, b: Formula) -> bool:
    (parts_a, terms_a), (parts_b, terms_b) = _drawn(a), _drawn(b)
    return (len(parts_a) == len(parts_b) and terms_a.keys() == terms_b.keys()
            and all(np.array_equal(x, y) for pa, pb in zip(parts_a, parts_b) for x, y in zip(pa, pb))
            and all(np.array_equal(terms_a[k], terms_b[k]) for k in terms_a))


def test_a_formula_met_again_is_the_one_typeset_anew_with_its_own_paths():
    formula._MET.clear()
    first, second = Formula(TRACE, _parts("z")), Formula(TRACE, _parts("z"))
    second.shift(RIGHT).set_color("#00ff00")  # what a story does to a formula it shows
    second.term("bias").set_color("#0000ff")
    third = Formula(TRACE, _parts("w"))  # the same text, read from other paths
    formula._MET.clear()
    fresh = Formula(TRACE, _parts("w"))
    assert _same(third, fresh) and _same(first, fresh) and not _same(second, fresh)
    assert third.numbers == fresh.numbers and third.reading == fresh.reading
    assert [path for _, path, *_ in third.numbers] == [("w", 0), ("w", 1), ("b",)]


def test_a_formula_is_typeset_anew_in_another_theme():
    formula._MET.clear()
    dark = [Formula(TRACE, _parts("z")) for _ in range(3)][-1]
    try:
        use_theme("light")
        light = [Formula(TRACE, _parts("z")) for _ in range(3)][-1]
    finally:
        use_theme("dark")
    assert not np.array_equal(dark.family_members_with_points()[0].fill_rgbas,
                              light.family_members_with_points()[0].fill_rgbas)


def test_the_fonts_gathered_once_typeset_as_typst_gathering_them_on_every_compile(tmp_path):
    """``kit.formula.fonts()`` hands Typst its fonts gathered once; every source a formula and a
    caption compile (the formula's own, and one per labelled number that Manim compiles to find
    the number's parts) must come out byte for byte as Typst's own gathering compiles it."""
    formula._MET.clear()
    formula._typeset.cache_clear()
    with tempconfig({"media_dir": str(tmp_path)}):
        Formula(TRACE, _parts("z"))
        plain("the kernel slides one step")
        sources = sorted(config.get_dir("tex_dir").glob("*.typ"))
    assert len(sources) == 5  # the formula, a probe for each of its three numbers, the caption
    for source in sources:
        assert typst.compile(source, format="svg") == typst.compile(source, format="svg", font_paths=formula.fonts())
