"""The boxes of a still screen's mobjects, as Manim measures them, each part read once.

Manim's ``get_left()``, ``get_top()``, ``width`` and ``get_center()`` each walk a mobject's whole
family again and stack its boundary points into a new array, one Python tuple per point. The
checker asks for tens of thousands of boxes after every play (every grid cell, number, outline
and text, and every part of whatever nears the frame's edge), and those walks were two thirds of
a scene walk's time. Nothing moves while a screen is checked, so a ``Boxes`` reads each part's
points once, with numpy slices, and answers every later question, a whole box included, from
what it read.

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
        self._boxes: dict[tuple[int, bool], np.ndarray] = {}

    def family(self, m) -> list:
        """``m.get_family()``, walked once (a part with no parts is its own family)."""
        key = id(m)
        if key not in self._families:
            self._families[key] = m.get_family() if m.submobjects else [m]
        return self._families[key]

    def read(self, parts) -> None:
        """Read the boundary of each of ``parts`` at once: every point of them stacked into one
        array, and two numpy reductions per kind of boundary over it, where one part at a time
        would take two per part (most of a screen's check). A vectorised part's anchors are the
        rows of its points at 0 and n-1 modulo n, its n points a curve: the rows it does not
        bound by are left out of the anchors' reductions (+inf and -inf)."""
        todo = [part for part in parts if (id(part), False) not in self._extents
                or (id(part), True) not in self._extents]
        arrays = [part.points for part in todo]
        lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
        for i in np.flatnonzero(lengths == 0):
            self._extents[(id(todo[i]), False)] = self._extents[(id(todo[i]), True)] = None
        sized = np.flatnonzero(lengths)
        if not len(sized):
            return
        lengths = lengths[sized]
        stacked = np.concatenate([arrays[i] for i in sized])
        starts = np.concatenate([[0], np.cumsum(lengths[:-1])])
        # n of each row's part where its anchors bound it (a vectorised part of more than one point), else 0
        curve = np.fromiter((todo[i].n_points_per_cubic_curve if isinstance(todo[i], VMobject) and n > 1 else 0
                             for i, n in zip(sized, lengths)), dtype=np.int64, count=len(sized))
        per_row = np.repeat(curve, lengths)
        within = np.arange(len(stacked)) - np.repeat(starts, lengths)
        step = np.maximum(per_row, 1)
        anchor = (per_row == 0) | (within % step == 0) | (within % step == step - 1)
        every = (np.minimum.reduceat(stacked, starts), np.maximum.reduceat(stacked, starts))
        bounding = (np.minimum.reduceat(np.where(anchor[:, None], stacked, np.inf), starts),
                    np.maximum.reduceat(np.where(anchor[:, None], stacked, -np.inf), starts))
        for k, i in enumerate(sized):
            key = id(todo[i])
            self._extents[(key, False)] = (every[0][k], every[1][k])
            self._extents[(key, True)] = (bounding[0][k], bounding[1][k])

    def box(self, m, anchors: bool | None = None) -> np.ndarray:
        """As ``[m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]]``
        (``anchors=False``: bounded by every point, handles too, as Manim's ``width`` is)."""
        if anchors is None:
            anchors = isinstance(m, VMobject)  # VMobject.get_points_defining_boundary: the anchors only
        key = (id(m), anchors)
        if key not in self._boxes:
            extents = [e for e in (self._extent(part, anchors) for part in self.family(m)) if e is not None]
            if not extents:
                self._boxes[key] = _NOTHING
            else:
                corners = np.array(extents)  # (part, low or high, x y z)
                low, high = corners[:, 0].min(axis=0), corners[:, 1].max(axis=0)
                self._boxes[key] = np.array([low[0], high[0], low[1], high[1]])
        return self._boxes[key].copy()

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
            points = self._boundary(part, anchors)
            self._extents[key] = (points.min(axis=0), points.max(axis=0)) if len(points) else None
        return self._extents[key]

    @staticmethod
    def _boundary(part, anchors: bool) -> np.ndarray:
        """``part``'s own points that bound it: a vectorised part's anchors (``anchors``), else all."""
        points = part.points
        if anchors and isinstance(part, VMobject) and len(points) > 1:
            n = part.n_points_per_cubic_curve
            points = np.concatenate([points[::n], points[n - 1::n]])
        return points
