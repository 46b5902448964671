"""From dL/dF back to dL/dZ on maps small enough to number: the features reshaped into the map
they came from, each gradient routed to its pool window's winner, masked where Z was not
positive. One map's stages stand side by side; a layer's F maps stand side by side, each going
back through its stages in its place. Which stages there are is ``kit.map_stages``'s.
"""

from manim import ReplacementTransform, TransformFromCopy, VGroup

from convprop.scenes.kit.dense_screen import GRADIENT_CELL, Dense, DenseRegions, maps_name_room
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import plain
from convprop.scenes.kit.grid import NumberGrid, cell_for, chars_for
from convprop.scenes.kit.layout import place
from convprop.scenes.kit.map_stages import POOL_RULE, layer_map_stages, map_stages, relu_rule, relu_rule_greyed
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, LABEL_SIZE, MUTED, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.loss_gradient_words import SaysTheMaps


class BackToTheMaps(SaysTheMaps):

    def back_to_the_map(self, rows, regions: DenseRegions):
        """The single map's stages side by side, from dL/dF back to dL/dZ."""
        t, cfg = self.trace, self.trace.config
        stages = map_stages(cfg)
        grids = []
        for stage, box in zip(stages, equal_panels(regions.panels, len(stages))):
            grid = NumberGrid(t, stage.path, stage.decimals, cell_for(t, stage.path, stage.decimals, box, GRADIENT_CELL),
                              stage.color)
            panel = LabelledPanel(grid.move_to(box.center), plain(stage.label, font_size=LABEL_SIZE, color=stage.color))
            grids.append((panel.grid, panel.words))

        source = rows.numbers(1)
        for i, (stage, (grid, caption)) in enumerate(zip(stages, grids)):
            with self.stage_beat(stage.kind, i):
                if stage.kind == "Z":
                    self.play(FadeIn(grid), FadeIn(caption), run_time=0.7)
                    continue
                self.play(TransformFromCopy(source, grid.numbers), FadeIn(grid.squares), FadeIn(caption),
                          run_time=1.0)
                if stage.kind == "A" and cfg.pool:
                    winners = CellMarks(grid, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
                    rule = place(plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT), regions.rule)
                    self.play(FadeIn(winners), FadeIn(rule), run_time=0.8)
                    self.wait(1.0)
                    self.play(winners.animate.set_opacity(0), rule.animate.set_opacity(0), run_time=0.4)
                if stage.kind == "dZ" and cfg.relu:
                    z_grid = next(g for s, (g, _) in zip(stages, grids) if s.kind == "Z")
                    rule = place(relu_rule(t), regions.rule)
                    off = CellMarks(z_grid, t, ("head_geometry", "relu_off_cells"), fill=MUTED, fill_opacity=0.5)
                    self.play(FadeIn(rule), FadeIn(off), run_time=0.8)
                source = grid.numbers

    def back_to_the_maps(self, dense: Dense, regions: DenseRegions):
        """The F maps side by side, each back from its piece of dL/dF: reshaped into dL/dP_o,
        routed to its pool's winners, masked where its Z_o is not positive, to dL/dZ_o."""
        t, cfg = self.trace, self.trace.config
        maps = cfg.filters
        self.play(FadeOut(dense.first_term), run_time=0.4)
        boxes = equal_panels(regions.maps, maps, name_room=maps_name_room(t))
        staged = [layer_map_stages(cfg, o) for o in range(maps)]
        chars = max(chars_for(lookup(t, stage.path[:-1]), 3) for stage in staged[0])

        def panel(o, i):
            stage = staged[o][i]
            grid = NumberGrid(t, stage.path, 3, cell_for(t, stage.path, 3, boxes[o], GRADIENT_CELL, chars=chars),
                              stage.color, chars=chars)
            words = self.formula(stage.label, font_size=LABEL_SIZE, color=stage.color)
            return LabelledPanel(grid.move_to(boxes[o].center), words, width=boxes[o].width)

        shown = [panel(o, 0) for o in range(maps)]
        with self.stage_beat(staged[0][0].kind, 0):
            self.play(*(TransformFromCopy(segment.numbers, p.grid.numbers)
                        for segment, p in zip(dense.rows.segments[1], shown)),
                      *(FadeIn(p.grid.squares) for p in shown), *(FadeIn(p.words) for p in shown), run_time=1.2)
        for i in range(1, len(staged[0])):
            with self.stage_beat(staged[0][i].kind, i):
                shown = self._next_stage(i, staged, shown, panel, regions)

    def _next_stage(self, i, staged, shown, panel, regions):
        """Every map from its stage ``shown`` to its stage i (``panel`` makes map o's); returns the maps shown."""
        t, cfg = self.trace, self.trace.config
        maps = cfg.filters
        kind = staged[0][i].kind
        after = [panel(o, i) for o in range(maps)]
        if kind == "A" and cfg.pool:  # each gradient flies to its window's winner in dL/dA_o; the rest are zeros
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
        elif kind == "dZ" and cfg.relu:  # the cells the ReLU blocked, on the gradient that is about to be masked
            marks = [CellMarks(p.grid, t, ("filter_head_geometry", o, "relu_off_cells"), fill=MUTED,
                               fill_opacity=0.3) for o, p in enumerate(shown)]
            said, grey = relu_rule_greyed(t, regions.rule)
            self.play(*(FadeIn(m) for m in marks), FadeIn(said), FadeIn(grey), run_time=0.8)
            self._first_map_closely(shown[0].grid, marks[0])
            self.play(*self._same_cells(shown, after), *(FadeOut(m) for m in marks), FadeOut(grey), run_time=1.0)
        else:
            self.play(*self._same_cells(shown, after), run_time=1.0)
        return after

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
