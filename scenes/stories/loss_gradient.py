"""Where dL/dz_k comes from: from the loss back through sigmoid, the dense layer, the reshape,
[max pooling] and [ReLU] to one gradient per output position of the convolution.

For a layer of F filters the same happens map by map: dL/dF is cut into F pieces in F's order
(map, then row, then column), each reshaped into its map's dL/dP, routed to that map's pool
winners and masked by that map's ReLU; the maps stand side by side, each going back through the
stages in its place. A layer's channels do not appear: nothing here reaches back to X.

From an input too large to number (a 28x28 digit) a map past NUMBERED_SIDE cells a side is
drawn as a picture (``kit.map_view``), and a block of its cells is written close up under it (a
``Loupe``): there a few gradients are followed, stage by stage: reshaped into the map, flown to
their windows' winners, through the ReLU. The block is the one mathcore finds worth reading
(``mathcore.close_up``: where the ReLU passes some cells and blocks others).

Every screen is split from the room under its title (``DenseRegions``); the dense beat hands the
rows it fills, and the first term it works out, to the beat that takes them back to the maps
(``Dense``).
"""

from typing import NamedTuple

from manim import (
    RIGHT, UP, Create, FadeIn, FadeOut, ReplacementTransform, SurroundingRectangle, TransformFromCopy, VGroup,
)

from convprop.mathcore.close_up import close_up
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, fit_cell, lines_down, one_above_another, place, shrink_to_width, split_bottom, under,
)
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_view import map_view
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.panels import NAME_GAP, LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.kit.vector_rows import NAME_GAP as ROW_NAME_GAP
from convprop.scenes.kit.vector_rows import VectorRows
from convprop.scenes.stories.head import flattened_name
from convprop.scenes.story import Story, StoryScene

# The dense screen under its title: the rows of w and dL/dF with the first term under them take
# this share of the height, the maps the other, ROWS_GAP apart; the rule said of a stage stands
# in a band at the bottom, RULE_GAP under the maps.
ROWS_SHARE, MAPS_SHARE = 2.6, 3.2
ROWS_GAP = 0.35
TERM_GAP = 0.25  # between the rows and the first term worked out under them
RULE_GAP = 0.15
MAPS_GAP = 0.15  # between the rows and a layer's maps' names, once the first term has gone
ROW_NAMES = ("w", "dL/dF")
GRADIENT_CELL = 0.8  # the largest cell of a row or map of gradients
POOL_RULE = "each gradient goes to the cell that won its window's max; zero elsewhere"
RELU_RULE = "(partial L) / (partial Z) = (partial L) / (partial A) dot.o [Z > 0]"
RELU_GREY = "quad \"grey: Z\" <= 0"
# An input too large to number: each map above its block close up, in these shares of the height
MAPS_AND_LOUPES = (2.6, 1.4)
LOUPE_GAP = 0.3
LOUPE_CELL = 0.7  # the largest cell of a block close up
BLOCK = 3  # cells a side of the block close up when there is no pool
BLOCK_WINDOWS = 2  # pool windows a side of it when there is one: as many cells a side of P


class DenseRegions(NamedTuple):
    """Where each part of the dense screen stands, split from the room under its title: the
    rows (less the room of their names on the left and a "…" on the right), the first term's
    band under them, the single map's stages, a layer's maps (which take the first term's room
    too, as it leaves before them) and the rule's band at the bottom."""
    rows: Box
    term: Box
    panels: Box
    maps: Box
    rule: Box


class Stage(NamedTuple):
    """One map the gradient passes through on its way back to Z: which it is ("P", "A", "Z" or
    "dZ"), its values, its picture in ``trace.pictures``, its name (words, or a formula for a
    layer's), its colour and decimals."""
    kind: str
    path: tuple
    shading: tuple
    label: str
    color: object
    decimals: int


class Close(NamedTuple):
    """A map drawn from a large input, with a block close up: the map's picture, its name, the
    outline of the block read closely on it, and the block's numbers (a ``Loupe``)."""
    view: Picture
    caption: object
    outline: Outline
    loupe: Loupe


class Dense(NamedTuple):
    """What the dense beat leaves on screen for the next: the rows and the first term."""
    rows: VectorRows
    first_term: object


class LossGradientStory(Story):
    name = "loss-gradient"
    summary = "From L back to every z_k: dL/dy_hat, dy_hat/ds, the dense weights, [max pool routing], [ReLU mask]"
    draws_layers = True  # F maps are told map by map; the channels are not drawn at all
    # It never draws X; the maps of a large input are pictures, a block of each close up.
    pictures_large_input = True
    pictures_large_layer = True

    def tell(self):
        with self.beat("The loss changes with the prediction, and the prediction with its input s."):
            self.through_the_sigmoid(under(self.show_title("Where dL/dz comes from")))
        self.clear()
        with self.beat("Each feature reaches s through its own dense weight."):
            regions = self.dense_regions(self.show_title("Back through the dense layer"))
            dense = self.through_the_dense_layer(regions)
        if self.trace.config.filters == 1 and not self.trace.config.numbered:
            with self.beat("The features are reshaped back into the map they came from, one gradient per z_k; "
                           "its first cells, close up, are followed back to Z."):
                self.back_to_the_map_closely(dense, regions)
        elif self.trace.config.filters == 1:
            with self.beat("The features are reshaped back into the map they came from, one gradient per z_k."):
                self.back_to_the_map(dense.rows, regions)
        else:
            with self.beat("dL/dF is cut map by map, in F's order; each piece goes back into its own map, "
                           "through that map's pool and ReLU."):
                if self.trace.config.numbered:
                    self.back_to_the_maps(dense, regions)
                else:
                    self.back_to_the_maps_closely(dense, regions)
        self.wait(1.5)

    # -- where things stand ----------------------------------------------------------------------

    def dense_regions(self, title) -> DenseRegions:
        """The room under ``title`` split for the dense screen, from the measured first term,
        rules, row names and maps' names."""
        said = [plain(POOL_RULE, font_size=LABEL_SIZE), self._relu_rule()]
        rest, rule = split_bottom(under(title), max(line.height for line in said), gap=RULE_GAP)
        upper, panels = one_above_another(rest, (ROWS_SHARE, MAPS_SHARE), gap=ROWS_GAP)
        rows, term = split_bottom(upper, self._first_term().height, gap=TERM_GAP)
        names = max(plain(name, font_size=LABEL_SIZE).width for name in ROW_NAMES) + 2 * ROW_NAME_GAP
        more = plain("…", font_size=LABEL_SIZE).width + 2 * ROW_NAME_GAP
        maps = Box(panels.left, panels.right, panels.bottom, rows.bottom - MAPS_GAP)
        return DenseRegions(rows.inset(left=names, right=more), term, panels, maps, rule)

    def maps_name_room(self) -> float:
        """The height a layer's map's name (a fraction) takes above its grid, measured."""
        return self.formula("(partial L) / (partial P_1)", font_size=LABEL_SIZE).height + NAME_GAP

    # -- beats ---------------------------------------------------------------------------------

    def through_the_sigmoid(self, area: Box):
        """The chain from L to s, one line under another, spread down ``area``."""
        lines = [
            self.formula("(partial L) / (partial hat(y)) = - y / hat(y) + (1 - y) / (1 - hat(y)) =",
                         Num(("dL_dy_hat",), 3, color=GRADIENT), ", quad y =", Num(("target",), exact_decimals(self.trace.target)), ", quad hat(y) =",
                         Num(("head", "y_hat"), 3, color=OUTPUT), font_size=28),
            self.formula("(partial hat(y)) / (partial s) = hat(y) (1 - hat(y)) =",
                         Num(("dy_hat_dlogit",), 3, color=GRADIENT), font_size=28),
            self.formula("(partial L) / (partial s) = (partial L) / (partial hat(y)) dot (partial hat(y)) / (partial s) =",
                         Num(("dL_dy_hat",), 3, paren=True), "dot", Num(("dy_hat_dlogit",), 3), "=",
                         Num(("dL_dlogit",), 3, color=GRADIENT, label="ds"), font_size=28),
            self.formula("\"which is simply\" quad hat(y) - y =", Num(("head", "y_hat"), 3, color=OUTPUT), "-",
                         Num(("target",), exact_decimals(self.trace.target)), "=", Num(("dL_dlogit",), 3, color=GRADIENT),
                         font_size=28),
        ]
        for line in lines_down(lines, area.top, area.bottom):
            self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
            self.wait(0.8)

    def through_the_dense_layer(self, regions: DenseRegions) -> Dense:
        """w over dL/dF, the first term worked out and the rest filled in; returns the rows and
        the first term, which stay."""
        t = self.trace
        rows = VectorRows(t, [(("values", "fc_weight"), t.values.decimals["fc_weight"], KERNEL, ROW_NAMES[0], False),
                              (("dL_dfeatures",), 3, GRADIENT, ROW_NAMES[1], True)], regions.rows, max_cell=GRADIENT_CELL,
                          header=lambda o: f"\"to\" {flattened_name(t.config)}_{o + 1}")
        self.play(FadeIn(rows.row(0)), Create(rows.squares(1)), FadeIn(rows.names[1]),
                  *(FadeIn(m) for m in [*rows.more[1], *rows.headers]), run_time=0.9)
        first = place(shrink_to_width(self._first_term(), MAX_TEXT_WIDTH), regions.term)
        focus = VGroup(SurroundingRectangle(rows.square(0, 0), color=FOCUS, buff=0),
                       SurroundingRectangle(rows.square(1, 0), color=FOCUS, buff=0))
        self.play(FadeIn(first), FadeIn(focus), run_time=0.9)
        labels = rows.fill(t, 1)
        self.play(TransformFromCopy(first.term("first"), labels[0]), run_time=0.7)
        self.play(*(FadeIn(label) for label in labels[1:]), focus.animate.set_opacity(0), run_time=0.8)
        return Dense(rows, first)

    def back_to_the_map(self, rows, regions: DenseRegions):
        """The single map's stages side by side, from dL/dF back to dL/dZ."""
        t, cfg = self.trace, self.trace.config
        panels = []
        if cfg.pool:
            panels.append((("dL_dpooled",), "dL/dP: reshaped", GRADIENT))
            panels.append((("dL_dactivated",), "to the max of each window", GRADIENT))
        elif cfg.relu:
            panels.append((("dL_dactivated",), "dL/dA: reshaped", GRADIENT))
        if cfg.relu:
            panels.append((("conv", "z"), "Z: where is it positive?", OUTPUT))
        panels.append((("conv_grad", "dL_dz"), "dL/dZ", GRADIENT))
        shapes = [lookup(t, path).shape for path, *_ in panels]
        grids = []
        for (path, label, color), shape, box in zip(panels, shapes, equal_panels(regions.panels, len(shapes))):
            grid = NumberGrid(t, path, 3 if color == GRADIENT else 2, fit_cell(box, shape, GRADIENT_CELL), color)
            panel = LabelledPanel(grid.move_to(box.center), plain(label, font_size=LABEL_SIZE, color=color))
            grids.append((panel.grid, panel.words))

        source = rows.numbers(1)
        for (path, _, _), (grid, caption) in zip(panels, grids):
            if path == ("conv", "z"):
                self.play(FadeIn(grid), FadeIn(caption), run_time=0.7)
                continue
            self.play(TransformFromCopy(source, grid.numbers), FadeIn(grid.squares), FadeIn(caption), run_time=1.0)
            if path == ("dL_dactivated",) and cfg.pool:
                winners = CellMarks(grid, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
                rule = place(plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT), regions.rule)
                self.play(FadeIn(winners), FadeIn(rule), run_time=0.8)
                self.wait(1.0)
                self.play(winners.animate.set_opacity(0), rule.animate.set_opacity(0), run_time=0.4)
            if path == ("conv_grad", "dL_dz") and cfg.relu:
                z_grid = next(g for (p, _, _), (g, _) in zip(panels, grids) if p == ("conv", "z"))
                rule = place(self._relu_rule(), regions.rule)
                off = CellMarks(z_grid, t, ("head_geometry", "relu_off_cells"), fill=MUTED, fill_opacity=0.5)
                self.play(FadeIn(rule), FadeIn(off), run_time=0.8)
            source = grid.numbers

    def back_to_the_map_closely(self, dense: Dense, regions: DenseRegions):
        """The single map's stages from an input too large to number, side by side, each map
        above its block close up (the block mathcore finds worth reading): the gradients
        reshaped into it, flown to their windows' winners, passed where Z is positive. The first
        term goes first, leaving its room to the maps, as a layer's do."""
        cfg = self.trace.config
        self.play(FadeOut(dense.first_term), run_time=0.4)
        spot = self._spot(0)
        stages = self._stages()
        closes = [self._close(stage, spot, box, loupe, plain(stage.label, font_size=LABEL_SIZE, color=stage.color))
                  for stage, (box, loupe) in zip(stages, self._close_boxes(regions.maps, len(stages)))]
        previous = None
        for stage, close in zip(stages, closes):
            self.play(FadeIn(close.view), FadeIn(close.caption), run_time=1.0)
            if stage.kind == "A" and cfg.pool:
                self._winners_closely([close], [previous], [spot], regions.rule)
            elif previous is None or stage.kind == "Z":
                self._blocks_closely([close], [], [FadeIn(close.loupe.grid.numbers)])
            else:  # the same cells of the map before it
                self._blocks_closely([close], self._same_numbers([previous], [close]), [])
            if stage.kind == "dZ" and cfg.relu:
                z = closes[[s.kind for s in stages].index("Z")]
                self._relu_closely(z, self._relu_marks(z, ("head_geometry",), spot),
                                   [place(self._relu_rule(), regions.rule)])
            if stage.kind != "Z":  # Z is read, not passed on: the gradient goes on from the map before it
                previous = close

    def back_to_the_maps_closely(self, dense: Dense, regions: DenseRegions):
        """A layer's F maps from an input too large to number, side by side, each a picture above
        its own block close up; each map's stages replace it in its place, the block's numbers
        flying from one stage to the next (to the winners, through the ReLU); the first map is
        read closely for them all."""
        maps = self.trace.config.filters
        self.play(FadeOut(dense.first_term), run_time=0.4)
        spots = [self._spot(o) for o in range(maps)]
        boxes = self._close_boxes(regions.maps, maps, self.maps_name_room())
        staged = [self._layer_stages(o) for o in range(maps)]
        shown, marked = None, []  # the maps shown, and the ReLU's marks on them
        for i in range(len(staged[0])):
            stages = [staged[o][i] for o in range(maps)]
            after = [self._close(stage, spot, box, loupe, self.formula(stage.label, font_size=LABEL_SIZE,
                                                                       color=stage.color), width=box.width)
                     for stage, spot, (box, loupe) in zip(stages, spots, boxes)]
            if shown is None:
                self.play(*(FadeIn(c.view) for c in after), *(FadeIn(c.caption) for c in after), run_time=1.0)
                self._blocks_closely(after, [], [FadeIn(c.loupe.grid.numbers) for c in after])
            else:
                self.play(*(FadeOut(m) for c in shown for m in (c.view, c.outline)), *(FadeOut(m) for m in marked),
                          *(FadeIn(c.view) for c in after),
                          *(ReplacementTransform(c.caption, a.caption) for c, a in zip(shown, after)), run_time=1.0)
                gone = [FadeOut(c.loupe) for c in shown]
                if stages[0].kind == "A" and self.trace.config.pool:
                    self._winners_closely(after, shown, spots, regions.rule, gone)
                else:
                    self._blocks_closely(after, self._same_numbers(shown, after), gone)
            if stages[0].kind == "A" and self.trace.config.relu:
                said, grey = self._relu_rule(), self.formula(RELU_GREY, font_size=26, color=MUTED)
                place(shrink_to_width(VGroup(said, grey).arrange(RIGHT, buff=0.1), MAX_TEXT_WIDTH), regions.rule)
                marked = [m for o, close in enumerate(after)
                          for m in self._relu_marks(close, ("filter_head_geometry", o), spots[o])]
                self._relu_closely(after[0], marked, [said, grey])
                marked.append(grey)
            shown = after

    def _spot(self, o: int):
        """The block of map ``o`` read closely, as mathcore finds it worth reading."""
        t, cfg = self.trace, self.trace.config
        mask = t.filter_head_geometry[o].relu_mask if cfg.relu else None
        return close_up(t.conv.Z[o], mask, cfg.pool, BLOCK_WINDOWS if cfg.pool else BLOCK)

    @staticmethod
    def _close_boxes(area: Box, count: int, name_room: float = 0.4) -> list[tuple[Box, Box]]:
        """``count`` columns across ``area``: each map's box (less ``name_room`` for its name)
        above the box of its block close up."""
        maps, loupes = one_above_another(area, MAPS_AND_LOUPES, gap=LOUPE_GAP)
        return list(zip(equal_panels(maps, count, name_room=name_room), equal_panels(loupes, count, name_room=0)))

    def _stages(self) -> list[Stage]:
        """The maps from dL/dF back to dL/dZ for one filter: [dL/dP], [dL/dA], [Z], dL/dZ."""
        cfg = self.trace.config
        stages = []
        if cfg.pool:
            stages.append(Stage("P", ("dL_dpooled",), ("pictures", "dL_dpooled"), "dL/dP: reshaped", GRADIENT, 3))
            stages.append(Stage("A", ("dL_dactivated",), ("pictures", "dL_dactivated"), "to the max of each window",
                                GRADIENT, 3))
        elif cfg.relu:
            stages.append(Stage("A", ("dL_dactivated",), ("pictures", "dL_dactivated"), "dL/dA: reshaped", GRADIENT, 3))
        if cfg.relu:
            stages.append(Stage("Z", ("conv", "z"), ("pictures", "z"), "Z: where is it positive?", OUTPUT, 2))
        stages.append(Stage("dZ", ("conv_grad", "dL_dz"), ("pictures", "dL_dz"), "dL/dZ", GRADIENT, 3))
        return stages

    def _layer_stages(self, o: int) -> list[Stage]:
        """The maps of filter ``o`` from its piece of dL/dF back to dL/dZ_o: [dL/dP_o], [dL/dA_o], dL/dZ_o."""
        cfg, n = self.trace.config, o + 1
        stages = []
        if cfg.pool:
            stages.append(Stage("P", ("dL_dP", o), ("pictures", "dL_dpooleds", o), f"(partial L) / (partial P_{n})",
                                GRADIENT, 3))
        if cfg.pool or cfg.relu:
            stages.append(Stage("A", ("dL_dA", o), ("pictures", "dL_dactivateds", o),
                                f"(partial L) / (partial A_{n})", GRADIENT, 3))
        stages.append(Stage("dZ", ("conv_grad", "dL_dZ", o), ("pictures", "dL_dzs", o), f"(partial L) / (partial Z_{n})",
                            GRADIENT, 3))
        return stages

    def _close(self, stage: Stage, spot, box: Box, loupe_box: Box, name, width: float | None = None) -> Close:
        """``stage``'s map in ``box`` with its ``name`` above it (shrunk to ``width``), its block
        outlined and the block's numbers in ``loupe_box``, joined to the outline. Every map is a
        picture, P too when it could be numbered: beside the others its numbers would be too
        small to read, as in the head."""
        t = self.trace
        view = map_view(t, stage.path, stage.shading, stage.decimals, box, stage.color, picture=True)
        shrink_to_width(view, box.width).move_to(box.center)  # its bar's end values wider than BAR_ROOM keeps
        caption = LabelledPanel(view, name, width=width).words
        block = spot.p_block if stage.kind == "P" else spot.z_block
        # the block's cells (r, c) are those of the outputs (r, c), in every map, as in Z
        outline = Outline(view, t, ("geometry", "output_cells", block), color=FOCUS, stroke_width=3)
        shape = lookup(t, stage.path + (block,)).shape
        loupe = Loupe(t, stage.path + (block,), stage.decimals, fit_cell(loupe_box, shape, LOUPE_CELL), stage.color)
        loupe.move_to(loupe_box.center).join(outline)
        return Close(view, caption, outline, loupe)

    def _blocks_closely(self, closes, flights, appearing):
        """The blocks outlined on their maps and written close up under them, the camera close on
        the first while its numbers are too small to read; ``flights`` bring numbers from where
        they were, ``appearing`` shows the rest. Each loupe is one piece on the stage after."""
        first = closes[0].loupe
        opening = [m for c in closes for m in (Create(c.outline), FadeIn(c.loupe.grid.squares), Create(c.loupe.lines))]
        # every loupe's numbers are as large as the first's: legible wherever the camera shows them
        digits = [label for close in closes for label in close.loupe.grid.numbers]
        with self.closely(first, closes[0].outline, digits=digits, opening=opening):
            self.play(*flights, *appearing, run_time=1.0)
            self.wait(0.8)
        for close in closes:  # however its numbers came, the loupe goes on as one
            self.scene.remove(*close.loupe.get_family())
            self.scene.add(close.loupe)

    @staticmethod
    def _same_numbers(before, after) -> list:
        """Each block's numbers into the same cells of the block of the next stage."""
        return [TransformFromCopy(b.loupe.grid.numbers, a.loupe.grid.numbers) for b, a in zip(before, after)]

    def _winners_closely(self, closes, before, spots, rule_band: Box, gone=()):
        """Every window's winner marked on each map of dL/dA with the rule, those of its block
        brighter; then the blocks close up: each gradient of P's block flies to its window's
        winner, the other cells are zeros. ``gone`` leave meanwhile."""
        t = self.trace
        heads = ([("head_geometry",)] if t.config.filters == 1 else
                 [("filter_head_geometry", o) for o in range(len(closes))])
        marks = [CellMarks(c.view, t, head + ("pool_winners",), stroke=FOCUS, stroke_width=1)
                 for c, head in zip(closes, heads)]
        marks += [CellMarks(c.view, t, head + ("pool_winners", spot.p_block), stroke=FOCUS, stroke_width=4)
                  for c, head, spot in zip(closes, heads, spots)]
        rule = place(plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT), rule_band)
        self.play(*(FadeIn(m) for m in marks), FadeIn(rule), run_time=0.8)
        flights, zeros = [], []
        for close, b, head, spot in zip(closes, before, heads, spots):
            grid = close.loupe.grid
            landing = [grid.label(*rc) for rc in spot.within(lookup(t, head + ("pool_winners", spot.p_block)))]
            flights += [TransformFromCopy(src, dst) for src, dst in zip(b.loupe.grid.numbers, landing)]
            zeros += [FadeIn(label) for label in grid.numbers if label not in set(landing)]
        self._blocks_closely(closes, flights, [*zeros, *gone])
        self.play(*(FadeOut(m) for m in marks), rule.animate.set_opacity(0), run_time=0.4)

    def _relu_marks(self, close: Close, head: tuple, spot) -> list:
        """On map ``close`` (``head`` names its geometry): where Z is not positive, greyed on its
        picture, and the cells of its block where Z is positive, where the gradient passes,
        marked close up."""
        t = self.trace
        off = CellMarks(close.view, t, head + ("relu_off_cells",), fill=MUTED, fill_opacity=0.5)
        # a slice of the mask names its passed cells as cells of the block, where the loupe has them
        passed = CellMarks(close.loupe.grid, t, head + ("relu_mask", spot.z_block), stroke=FOCUS, stroke_width=4)
        return [off, passed]

    def _relu_closely(self, close: Close, marks, said):
        """The ReLU's ``marks`` and the lines ``said`` appear, the camera close on ``close``'s block."""
        with self.closely(close.loupe, digits=list(close.loupe.grid.numbers),
                          opening=[*(FadeIn(m) for m in marks), *(FadeIn(line) for line in said)]):
            self.wait(1.0)

    def back_to_the_maps(self, dense: Dense, regions: DenseRegions):
        """The F maps side by side, each back from its piece of dL/dF: reshaped into dL/dP_o,
        routed to its pool's winners, masked where its Z_o is not positive, to dL/dZ_o."""
        t, cfg = self.trace, self.trace.config
        maps = cfg.filters
        self.play(FadeOut(dense.first_term), run_time=0.4)
        boxes = equal_panels(regions.maps, maps, name_room=self.maps_name_room())
        stages = []  # (path of map o, its name, the rule said as it appears)
        if cfg.pool:
            stages.append((lambda o: ("dL_dP", o), lambda n: f"(partial L) / (partial P_{n})", None))
            stages.append((lambda o: ("dL_dA", o), lambda n: f"(partial L) / (partial A_{n})", "pool"))
        elif cfg.relu:
            stages.append((lambda o: ("dL_dA", o), lambda n: f"(partial L) / (partial A_{n})", None))
        stages.append((lambda o: ("conv_grad", "dL_dZ", o), lambda n: f"(partial L) / (partial Z_{n})",
                       "relu" if cfg.relu else None))
        chars = max(chars_for(lookup(t, stage[0](0)[:-1]), 3) for stage in stages)

        def panel(o, stage):
            path = stages[stage][0](o)
            grid = NumberGrid(t, path, 3, fit_cell(boxes[o], lookup(t, path).shape, GRADIENT_CELL), GRADIENT, chars=chars)
            words = self.formula(stages[stage][1](o + 1), font_size=LABEL_SIZE, color=GRADIENT)
            return LabelledPanel(grid.move_to(boxes[o].center), words, width=boxes[o].width)

        shown = [panel(o, 0) for o in range(maps)]
        self.play(*(TransformFromCopy(segment.numbers, p.grid.numbers) for segment, p in zip(dense.rows.segments[1], shown)),
                  *(FadeIn(p.grid.squares) for p in shown), *(FadeIn(p.words) for p in shown), run_time=1.2)
        for stage in range(1, len(stages)):
            rule = stages[stage][2]
            after = [panel(o, stage) for o in range(maps)]
            if rule == "pool":  # each gradient flies to its window's winner in dL/dA_o; the rest are zeros
                won = [cells_at(t, ("filter_head_geometry", o, "pool_winners")) for o in range(maps)]
                landing = [VGroup(*(q.grid.label(*rc) for rc in cells)) for q, cells in zip(after, won)]
                zeros = [VGroup(*(label for label in q.grid.numbers if label not in set(land)))
                         for q, land in zip(after, landing)]
                self.play(*(TransformFromCopy(p.grid.numbers, land) for p, land in zip(shown, landing)),
                          *(FadeIn(z) for z in zeros), *(FadeIn(q.grid.squares) for q in after),
                          *(ReplacementTransform(p.words, q.words) for p, q in zip(shown, after)),
                          *(FadeOut(p.grid) for p in shown), run_time=1.2)
                marks = [CellMarks(q.grid, t, ("filter_head_geometry", o, "pool_winners"), stroke=FOCUS,
                                   stroke_width=4) for o, q in enumerate(after)]
                said = place(plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT), regions.rule)
                self.play(*(FadeIn(m) for m in marks), FadeIn(said), run_time=0.8)
                self._first_map_closely(after[0].grid, marks[0])
                self.play(*(FadeOut(m) for m in marks), FadeOut(said), run_time=0.4)
            elif rule == "relu":  # the cells the ReLU blocked, on the gradient that is about to be masked
                marks = [CellMarks(p.grid, t, ("filter_head_geometry", o, "relu_off_cells"), fill=MUTED,
                                   fill_opacity=0.3) for o, p in enumerate(shown)]
                said = self._relu_rule()
                grey = self.formula(RELU_GREY, font_size=26, color=MUTED)
                place(shrink_to_width(VGroup(said, grey).arrange(RIGHT, buff=0.1), MAX_TEXT_WIDTH), regions.rule)
                self.play(*(FadeIn(m) for m in marks), FadeIn(said), FadeIn(grey), run_time=0.8)
                self._first_map_closely(shown[0].grid, marks[0])
                self.play(*self._same_cells(shown, after), *(FadeOut(m) for m in marks), FadeOut(grey), run_time=1.0)
            else:
                self.play(*self._same_cells(shown, after), run_time=1.0)
            shown = after

    def _first_term(self):
        """dL/dF_j = dL/ds w_j, and its first term with its numbers (placed by the caller)."""
        t = self.trace
        return self.formula("(partial L) / (partial F_j) = (partial L) / (partial s) w_j quad",
                            "(partial L) / (partial F_1) =", Num(("dL_dlogit",), 3, color=GRADIENT), "dot",
                            Num(("values", "fc_weight", 0), t.values.decimals["fc_weight"], paren=True, color=KERNEL), "=",
                            Num(("dL_dfeatures", 0), 3, color=GRADIENT, label="first"), font_size=28)

    def _relu_rule(self):
        """The ReLU's rule: the gradient passes where Z was positive (placed by the caller)."""
        return self.formula(RELU_RULE, font_size=26)

    @staticmethod
    def _same_cells(shown, after):
        """Each map's numbers into the same cells of its next stage, its name changing with them."""
        return [*(TransformFromCopy(p.grid.numbers, q.grid.numbers) for p, q in zip(shown, after)),
                *(FadeIn(q.grid.squares) for q in after), *(FadeOut(p.grid) for p in shown),
                *(ReplacementTransform(p.words, q.words) for p, q in zip(shown, after))]

    def _first_map_closely(self, grid, marks):
        """The first map with its marks, brought close when its numbers are too small to read: one
        map read closely stands for them all."""
        with self.closely(grid, marks, digits=list(grid.numbers)):
            self.wait(1.2)


class LossGradientScene(StoryScene):
    story = LossGradientStory
