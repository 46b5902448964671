"""A sum written out on screen adds up as written.

Every number of a written sum is rounded on its own, so a true sum can read 0.000 + (-0.005) =
-0.004. The scenes write such a sum with the fewest decimals at which it adds up
(``decimals_that_add``); the checker holds every written sum to it (``scene_check._sums_add_up``),
and here both are tested against sums worked by hand.
"""

import pytest

from convprop.scenes.kit.formula import Formula, Num
from convprop.scenes.kit.numbers import decimals_that_add
from tests.scene_check import ScreenError, _sums, _sums_add_up

# 0.0004 + (-0.0049) = -0.0045: at three decimals 0.000 + (-0.005) = -0.004 (as Python rounds
# the float -0.0045, a hair above -0.0045), at four 0.0004 + (-0.0049) = -0.0045
TRACE = {"a": 0.0004, "b": -0.0049, "total": -0.0045, "c": 0.25, "d": 0.5, "e": 0.75}


def _sum(decimals, names=("a", "b", "total")):
    a, b, total = names
    return Formula(TRACE, ["x =", Num((a,), decimals), "+", Num((b,), decimals, paren=True), "=",
                           Num((total,), decimals)])


def test_the_fewest_decimals_at_which_a_sum_adds_up():
    assert decimals_that_add([0.0004, -0.0049], -0.0045, 3) == 4
    assert decimals_that_add([0.25, 0.5], 0.75, 2) == 2
    assert decimals_that_add([1 / 3, 1 / 3], 2 / 3, 2) == 2  # no decimals make thirds add: as asked


def test_the_checker_reads_the_sums_a_formula_writes():
    [(terms, total)] = list(_sums(_sum(3).reading))
    assert [t[1] for t in terms] == [("a",), ("b",)] and total[1] == ("total",)
    # a product is not a sum: nothing to check
    product = Formula(TRACE, ["x =", Num(("c",), 2), "dot", Num(("d",), 2), "=", Num(("e",), 2)])
    assert list(_sums(product.reading)) == []
    # a difference counts its sign: 0.75 - 0.5 = 0.25
    difference = Formula(TRACE, [Num(("e",), 2), "-", Num(("d",), 2), "=", Num(("c",), 2)])
    assert _sums_add_up(difference, TRACE, "now") is None


def test_the_checker_catches_a_sum_that_does_not_add_up_as_written():
    with pytest.raises(ScreenError, match="does not add up; at 4 decimals it would"):
        _sums_add_up(_sum(3), TRACE, "now")
    _sums_add_up(_sum(decimals_that_add([TRACE["a"], TRACE["b"]], TRACE["total"], 3)), TRACE, "now")
