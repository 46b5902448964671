"""Long vectors of the dense layer as aligned rows: F over w, w over dL/dF, entry j of one row
standing over entry j of the other, each row named on its left.

A vector longer than FEATURES_SHOWN is shown by its first entries and a "…". The features of
several maps (a layer with F filters) come map by map, in PyTorch's order
(``trace.flatten_geometry``): then each map's first entries are one segment, named above it
(``header``), with a "…" after it when its map gives more, so every map is seen in its place in
F. One map's features are one segment, drawn as a single row always was.

Example::

    rows = VectorRows(trace, [(("head", "features"), 2, OUTPUT, "F", False),
                              (("values", "fc_weight"), 3, KERNEL, "w", False)], box,
                      header=lambda o: f"P_{o + 1}")
    scene.play(FadeIn(rows.row(0)), FadeIn(rows.headers))
"""

from manim import DOWN, LEFT, RIGHT, UP, VGroup

from convprop.scenes.kit.formula import Formula, plain
from convprop.scenes.kit.grid import NumberGrid, chars_for, legible_cell
from convprop.scenes.kit.layout import FEATURES_SHOWN
from convprop.scenes.kit.style import LABEL_SIZE, MUTED, TEXT
from convprop.scenes.kit.trace_paths import lookup

NAME_GAP = 0.15  # between a row and its name on the left
MORE_GAP = 0.1  # between a segment and the "…" after it
HEADER_GAP = 0.1  # between a segment and its map's name above it


def shown_segments(trace, limit: int = FEATURES_SHOWN) -> list[tuple[int, int]]:
    """(first, count) of the entries shown of each map's features: an equal share of ``limit``
    each, from its first, or all of them when the map gives fewer."""
    g = trace.flatten_geometry
    maps = len(g.first_feature)
    share = max(1, limit // maps)
    return [(int(first), min(g.per_map, share)) for first in g.first_feature]


class VectorRows(VGroup):
    """Rows of vectors of the features' length, in ``box``, segment by segment (``shown_segments``).

    ``rows`` are (path, decimals, colour, name, blank): the vector at ``path`` in the trace, its
    name left of it, ``blank`` for one whose numbers are filled in later (``fill``). ``header``
    gives the name shown above map o's segment when there are several maps (muted: it only orients). The parts are read
    by the scene to show them at different moments: ``segments[i][o]`` (a NumberGrid of map o's
    shown entries of row i), ``names[i]``, ``more[i]`` (its "…"s) and ``headers``.
    """

    def __init__(self, trace, rows, box, max_cell: float = 0.75, header=None, limit: int = FEATURES_SHOWN):
        super().__init__()
        self.spans = shown_segments(trace, limit)
        many = len(self.spans) > 1
        cut = [count < trace.flatten_geometry.per_map for _, count in self.spans]
        dots = plain("…", font_size=LABEL_SIZE, color=TEXT)
        gap = dots.width + 2 * MORE_GAP if many else 0.0
        names = [Formula(trace, (header(o),), font_size=LABEL_SIZE, color=MUTED)
                 for o in range(len(self.spans))] if many and header else []
        header_room = max((n.height for n in names), default=-HEADER_GAP) + HEADER_GAP
        shown = sum(count for _, count in self.spans)

        def width_for(gap):
            return (box.width - gap * (len(self.spans) - 1)) / (shown + 1)

        def cell_for(gap):
            return min(width_for(gap), (box.height - header_room) / len(rows), max_cell)

        # segments stand far enough apart that their maps' names above them do not touch
        for _ in range(3):
            cell = cell_for(gap)
            narrowest = cell * min(count for _, count in self.spans)
            gap = max(gap, max((n.width for n in names), default=0.0) - narrowest + 2 * MORE_GAP)
        parts_of = [[tuple(path) + (slice(first, first + count),) for first, count in self.spans]
                    for path, *_ in rows]
        # the segments of a row share one font, sized for the widest of them
        widest = [max(chars_for(lookup(trace, part), decimals) for part in parts)
                  for parts, (_, decimals, *_) in zip(parts_of, rows)]
        # square cells, made wider than tall (every row alike, so entries stay aligned) where the
        # widest row's numbers would be drawn under the legible size and the box has the room
        side = cell_for(gap)
        width = min(width_for(gap), max(side, legible_cell(max(widest))))
        cell = (width, side) if width > side else side
        self.segments, self.names, self.more, self._after = [], [], [], []
        for (path, decimals, color, name, blank), parts, chars in zip(rows, parts_of, widest):
            segments = [NumberGrid(trace, part, decimals, cell, color, as_row=True, blank=blank, chars=chars)
                        for part in parts]
            VGroup(*segments).arrange(RIGHT, buff=gap)
            self.segments.append(segments)
        body = VGroup(*(VGroup(*segments) for segments in self.segments)).arrange(DOWN, buff=0)
        body.move_to(box.center + DOWN * header_room / 2)
        for (path, decimals, color, name, blank), segments in zip(rows, self.segments):
            self.names.append(plain(name, font_size=LABEL_SIZE, color=color).next_to(segments[0], LEFT, buff=NAME_GAP))
            after = [dots.copy().next_to(segment, RIGHT, buff=MORE_GAP) if short else None
                     for segment, short in zip(segments, cut)]
            self._after.append(after)
            self.more.append(VGroup(*(dot for dot in after if dot is not None)))
        self.headers = VGroup(*(n.next_to(segment, UP, buff=HEADER_GAP) for n, segment in zip(names, self.segments[0])))
        self.add(body, *self.names, *self.more, self.headers)

    def row(self, i: int) -> VGroup:
        """Row ``i`` whole: its segments, its name and its "…"s."""
        return VGroup(*self.segments[i], self.names[i], self.more[i])

    def more_after(self, i: int, o: int) -> list:
        """The "…" after map ``o``'s segment of row ``i``, if its map gives more than it shows."""
        return [dot for dot in self._after[i][o:o + 1] if dot is not None]

    def numbers(self, i: int) -> VGroup:
        """The numbers of row ``i``, in the order of the vector."""
        return VGroup(*(label for segment in self.segments[i] for label in segment.numbers))

    def squares(self, i: int) -> VGroup:
        return VGroup(*(segment.squares for segment in self.segments[i]))

    def square(self, i: int, k: int):
        """The cell of the ``k``-th entry shown of row ``i``."""
        for segment in self.segments[i]:
            if k < segment.cols:
                return segment.square(0, k)
            k -= segment.cols
        raise IndexError(k)

    def fill(self, trace, i: int) -> list:
        """The numbers of blank row ``i``, placed in their cells, in the vector's order."""
        return [label for segment in self.segments[i]
                for label in segment.fill(trace, [(0, k) for k in range(segment.cols)])]


def map_cells_shown(o: int, count: int) -> tuple:
    """The claim naming the cells of map ``o`` whose features are the first ``count`` of F's
    segment for it, in the order they enter F: a mark on them shows where each came from."""
    return ("flatten_geometry", "map_cells", o, slice(0, count))
