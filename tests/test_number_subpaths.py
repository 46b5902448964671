"""A number's subpaths (``NumberLabel.get_subpaths_from_points``, found with one comparison of all
its curves' ends) are Manim's (``VMobject.get_subpaths_from_points``, one ``np.allclose`` per
curve): for numbers of every digit and sign, for ends that meet within Manim's tolerance and just
outside it, absolute and relative, and as a number morphs into another (``align_points``)."""

import numpy as np
import pytest
from manim import VMobject

from convprop.scenes.kit.numbers import NumberLabel

VALUES = [(0.0, 2), (-0.57, 2), (12.5, 1), (-3.0625, 4), (100.0, 0), (0.0008, 4), (-987.654, 3)]


def manims(mob, points):
    return VMobject.get_subpaths_from_points(mob, points)


def same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b))


@pytest.mark.parametrize("value, decimals", VALUES)
def test_a_numbers_subpaths_are_manims(value, decimals):
    label = NumberLabel(value, decimals)
    ours = label.get_subpaths()
    assert len(ours) > 1  # a glyph of holes, or several glyphs: several subpaths
    assert same(ours, manims(label, label.points))


@pytest.mark.parametrize("scale", [1.0, 1000.0])  # at 1000 the relative tolerance decides
def test_ends_within_and_just_outside_the_tolerance_split_as_manims(scale):
    label = NumberLabel(-0.57, 2)
    n = label.n_points_per_cubic_curve
    starts = range(n, len(label.points), n)
    points = label.points * scale
    joined = [i for i in starts if np.allclose(points[i - 1], points[i], atol=label.tolerance_for_point_equality)]
    assert len(joined) > 4
    def tolerance(i):  # np.allclose's, at the start of curve i: absolute, and relative to that start
        return label.tolerance_for_point_equality + 1e-5 * np.abs(points[i])

    moved = points.copy()
    moved[joined[0], 0] -= tolerance(joined[0])[0] * 0.5  # still the same point
    moved[joined[1], 1] -= tolerance(joined[1])[1] * 2.0  # now a new subpath starts here
    moved[joined[2]] = np.nan  # never equal to anything
    for p in (points, moved):
        assert same(label.get_subpaths_from_points(p), manims(label, p))
    assert len(label.get_subpaths_from_points(moved)) == len(label.get_subpaths_from_points(points)) + 2


def test_a_number_morphing_into_another_is_aligned_as_manims():
    a, b = NumberLabel(-0.57, 2), NumberLabel(12.5, 1)
    plain_a, plain_b = VMobject().set_points(a.points), VMobject().set_points(b.points)
    assert a.get_num_points() != b.get_num_points()
    a.align_points(b)
    plain_a.align_points(plain_b)
    assert np.array_equal(a.points, plain_a.points) and np.array_equal(b.points, plain_b.points)
