"""The boxes of a still screen's mobjects, as Manim measures them, each part read once.

Manim's ``get_left()``, ``get_top()``, ``width`` and ``get_center()`` each walk a mobject's whole
family again and stack its boundary points into a new array, one Python tuple per point. The
checker asks for tens of thousands of boxes after every play (every grid cell, number, outline
and text, and every part of whatever nears the frame's edge), and those walks were two thirds of
a scene walk's time. Nothing moves while a screen is checked, so a ``Boxes`` reads each part's
points once, with numpy slices, and answers every later question from what it read.

The numbers are Manim's own: for its edges and centre a vectorised mobject is bounded by the
anchors of its curves (the start and end of each Bézier piece, not its handles), anything else by
all of its family's points; its ``height`` counts every point, handles too; and a mobject with no
points at all sits at the origin with no size (``Mobject.get_critical_point``). ``tests/test_boxes.py`` holds the two to each other.
"""

import numpy as np
from manim import VMobject

_NOTHING = np.zeros(4)


class Boxes:
    """(left, right, bottom, top) of mobjects on one still screen; make a new one after a play."""

    def __init__(self):
        self._families: dict[int, list] = {}
        self._extents: dict[tuple[int, bool], tuple | None] = {}

    def family(self, m) -> list:
        """``m.get_family()``, walked once."""
        key = id(m)
        if key not in self._families:
            self._families[key] = m.get_family()
        return self._families[key]

    def box(self, m, anchors: bool | None = None) -> np.ndarray:
        """As ``[m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]]``
        (``anchors=False``: bounded by every point, handles too, as Manim's ``width`` is)."""
        if anchors is None:
            anchors = isinstance(m, VMobject)  # VMobject.get_points_defining_boundary: the anchors only
        extents = [e for e in (self._extent(part, anchors) for part in self.family(m)) if e is not None]
        if not extents:
            return _NOTHING.copy()
        lows, highs = zip(*extents)
        low, high = np.min(lows, axis=0), np.max(highs, axis=0)
        return np.array([low[0], high[0], low[1], high[1]])

    def center(self, m) -> np.ndarray:
        """As ``m.get_center()[:2]``."""
        left, right, bottom, top = self.box(m)
        return np.array([(left + right) / 2, (bottom + top) / 2])

    def height(self, m) -> float:
        """As ``m.height`` (``length_over_dim``: every point of the family, handles too)."""
        _, _, bottom, top = self.box(m, anchors=False)
        return top - bottom

    def _extent(self, part, anchors: bool):
        """(low, high) corners of ``part``'s own boundary points (not its submobjects'), or None."""
        key = (id(part), anchors)
        if key not in self._extents:
            points = part.points
            if len(points) == 0:
                self._extents[key] = None
            else:
                if anchors and isinstance(part, VMobject) and len(points) > 1:
                    n = part.n_points_per_cubic_curve
                    points = np.concatenate([points[::n], points[n - 1::n]])
                self._extents[key] = (points.min(axis=0), points.max(axis=0))
        return self._extents[key]
