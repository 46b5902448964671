"""A formula typeset a third time is a copy of its second typesetting (``kit.formula._MET``): it
must be the formula a fresh typesetting gives, point for point and colour for colour, every term
selectable as before, carrying its own paths into the trace, and untouched by whatever a story did
to the formulas typeset before it."""

import numpy as np
from manim import RIGHT

from convprop.scenes.kit import formula
from convprop.scenes.kit.formula import Formula, Num
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
