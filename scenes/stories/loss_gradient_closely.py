"""From dL/dF back to dL/dZ on maps too large to number (a 28x28 digit's): every map is a
picture above a block of its cells written close up (``kit.close_up_maps``), where a few
gradients are followed stage by stage: reshaped into the map, flown to their windows' winners,
through the ReLU. One map's stages stand side by side; a layer's F maps each go through their
stages in their place, the first read closely for them all.
"""

from manim import Create, ReplacementTransform, TransformFromCopy

from convprop.scenes.kit.close_up_maps import (
    block_read_closely, close_boxes, close_up, relu_marks, same_numbers,
)
from convprop.scenes.kit.dense_screen import Dense, DenseRegions, maps_name_room
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import plain
from convprop.scenes.kit.layout import Box, place
from convprop.scenes.kit.map_stages import POOL_RULE, layer_map_stages, map_stages, relu_rule, relu_rule_greyed
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.picture import FOCUS_OUTLINE_SHARE, outline_width
from convprop.scenes.kit.style import FOCUS, LABEL_SIZE, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.loss_gradient_words import SaysTheMaps


class BackToTheMapsClosely(SaysTheMaps):

    def back_to_the_map_closely(self, dense: Dense, regions: DenseRegions):
        """The single map's stages from an input too large to number, side by side, each map
        above its block close up (the block mathcore finds worth reading): the gradients
        reshaped into it, flown to their windows' winners, passed where Z is positive. The first
        term goes first, leaving its room to the maps, as a layer's do."""
        t, cfg = self.trace, self.trace.config
        self.play(FadeOut(dense.first_term), run_time=0.4)
        spot = block_read_closely(t, 0)
        stages = map_stages(cfg)
        closes = [close_up(t, stage, spot, box, loupe, plain(stage.label, font_size=LABEL_SIZE, color=stage.color))
                  for stage, (box, loupe) in zip(stages, close_boxes(regions.maps, len(stages)))]
        previous = None
        for i, (stage, close) in enumerate(zip(stages, closes)):
            with self.stage_beat(stage.kind, i):
                self.play(FadeIn(close.view), FadeIn(close.caption), run_time=1.0)
                if stage.kind == "A" and cfg.pool:
                    self._winners_closely([close], [previous], [spot], regions.rule)
                elif previous is None or stage.kind == "Z":
                    self._blocks_closely([close], [], [FadeIn(close.loupe.grid.numbers)])
                else:  # the same cells of the map before it
                    self._blocks_closely([close], same_numbers([previous], [close]), [])
                if stage.kind == "dZ" and cfg.relu:
                    z = closes[[s.kind for s in stages].index("Z")]
                    self._relu_closely(z, relu_marks(t, z, ("head_geometry",), spot),
                                       [place(relu_rule(t), regions.rule)])
            if stage.kind != "Z":  # Z is read, not passed on: the gradient goes on from the map before it
                previous = close

    def back_to_the_maps_closely(self, dense: Dense, regions: DenseRegions):
        """A layer's F maps from an input too large to number, side by side, each a picture above
        its own block close up; each map's stages replace it in its place, the block's numbers
        flying from one stage to the next (to the winners, through the ReLU); the first map is
        read closely for them all."""
        t = self.trace
        maps = t.config.filters
        self.play(FadeOut(dense.first_term), run_time=0.4)
        spots = [block_read_closely(t, o) for o in range(maps)]
        boxes = close_boxes(regions.maps, maps, maps_name_room(t))
        staged = [layer_map_stages(t.config, o) for o in range(maps)]
        shown, marked = None, []  # the maps shown, and the ReLU's marks on them
        for i in range(len(staged[0])):
            with self.stage_beat(staged[0][i].kind, i):
                shown, marked = self._next_stage_closely(i, staged, spots, boxes, shown, marked, regions)

    def _next_stage_closely(self, i, staged, spots, boxes, shown, marked, regions):
        """Every map's stage i, each a picture above its block close up, in place of its stage
        ``shown`` (None before the first) and the ReLU's ``marked`` cells; returns what is shown
        and marked after it."""
        t = self.trace
        maps = t.config.filters
        stages = [staged[o][i] for o in range(maps)]
        after = [close_up(t, stage, spot, box, loupe, self.formula(stage.label, font_size=LABEL_SIZE,
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
            if stages[0].kind == "A" and t.config.pool:
                self._winners_closely(after, shown, spots, regions.rule, gone)
            else:
                self._blocks_closely(after, same_numbers(shown, after), gone)
        if stages[0].kind == "A" and t.config.relu:
            said, grey = relu_rule_greyed(t, regions.rule)
            marked = [m for o, close in enumerate(after)
                      for m in relu_marks(t, close, ("filter_head_geometry", o), spots[o])]
            self._relu_closely(after[0], marked, [said, grey])
            marked.append(grey)
        return after, marked

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

    def _winners_closely(self, closes, before, spots, rule_band: Box, gone=()):
        """Every window's winner marked on each map of dL/dA with the rule, those of its block
        brighter; then the blocks close up: each gradient of P's block flies to its window's
        winner, the other cells are zeros. ``gone`` leave meanwhile."""
        t = self.trace
        heads = ([("head_geometry",)] if t.config.filters == 1 else
                 [("filter_head_geometry", o) for o in range(len(closes))])
        # on a picture's small cells the outlines thin with the cell (``outline_width``): every
        # winner faint, the block's as bold as the cell allows
        marks = [CellMarks(c.view, t, head + ("pool_winners",), stroke=FOCUS,
                           stroke_width=outline_width(c.view.cell_size, 1))
                 for c, head in zip(closes, heads)]
        marks += [CellMarks(c.view, t, head + ("pool_winners", spot.p_block), stroke=FOCUS,
                            stroke_width=outline_width(c.view.cell_size, 4, FOCUS_OUTLINE_SHARE))
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

    def _relu_closely(self, close, marks, said):
        """The ReLU's ``marks`` and the lines ``said`` appear, the camera close on ``close``'s block."""
        with self.closely(close.loupe, digits=list(close.loupe.grid.numbers),
                          opening=[*(FadeIn(m) for m in marks), *(FadeIn(line) for line in said)]):
            self.wait(1.0)
