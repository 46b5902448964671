"""A formula read with ``kit.named_groups.NamedGroups`` is the formula Manim's own SVG reading
gives: the same drawn parts in the same order, point for point and colour for colour; every
named group (each labelled number, each of its repeats, each glyph) with the same members in
the same order; every term selected alike. Only the unnamed groups, which nothing reads, are
left out."""

import numpy as np
import pytest
from manim import SVGMobject

from convprop.scenes.kit import formula
from convprop.scenes.kit.formula import Formula, Num, d
from convprop.scenes.kit.named_groups import UNNAMED

TRACE = {"z": [0.57, -1.25, 3.0], "w": [[0.125, -2.5], [1.0, 0.0]], "b": -0.1}


class ManimsFormula(Formula):
    """A formula read by Manim's own ``get_mobjects_from``."""

    get_mobjects_from = SVGMobject.get_mobjects_from


FORMULAS = {
    "sum": ["z_1 =", Num(("z", 0)), "+", Num(("z", 1), paren=True, color="#e0a030"), "=", Num(("b",), 1, label="bias")],
    "fraction": [d("L", "w_(1,2)"), "=", Num(("w", 0, 0), 3), "dot", Num(("w", 0, 1), paren=True)],
    "matrix": ["W = mat(", Num(("w", 0, 0)), ",", Num(("w", 0, 1)), ";", Num(("w", 1, 0)), ",", Num(("w", 1, 1)), ")"],
    "repeated label": ["x =", Num(("z", 2), 1, label="same"), "+", Num(("z", 2), 1, label="same")],
}


def _read(f: Formula):
    drawn = list(f.submobjects)
    where = {id(m): i for i, m in enumerate(drawn)}
    named = {name: [where[id(m)] for m in group] for name, group in f.id_to_vgroup_dict.items()
             if not name.startswith(UNNAMED)}
    parts = [(m.points, m.fill_rgbas, m.stroke_rgbas, m.stroke_width) for m in f.family_members_with_points()]
    terms = {label: f.term(label).get_all_points() for label, *_ in f.numbers}
    return drawn, named, parts, terms


@pytest.mark.parametrize("parts", FORMULAS.values(), ids=FORMULAS.keys())
def test_a_formula_read_with_named_groups_only_is_manims(parts):
    formula._MET.clear()
    ours, manims = _read(Formula(TRACE, parts)), _read(ManimsFormula(TRACE, parts))
    assert len(ours[0]) == len(manims[0]) > 0
    assert ours[1] == manims[1]
    assert sum(len(members) > 0 for name, members in ours[1].items() if name != "root") >= len(parts) // 2
    assert len(ours[2]) == len(manims[2])
    for a, b in zip(ours[2], manims[2]):
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert ours[3].keys() == manims[3].keys()
    assert all(np.array_equal(ours[3][k], manims[3][k]) for k in ours[3])


def test_manims_reading_makes_the_unnamed_groups_left_out():
    """The groups left out exist in Manim's reading, so the comparison above is of something."""
    formula._MET.clear()
    manims = ManimsFormula(TRACE, FORMULAS["sum"]).id_to_vgroup_dict
    ours = Formula(TRACE, FORMULAS["sum"]).id_to_vgroup_dict
    assert sum(name.startswith(UNNAMED) for name in manims) > 20
    assert not any(name.startswith(UNNAMED) for name in ours)
    assert set(ours) == {name for name in manims if not name.startswith(UNNAMED)}
