"""The input gradient as a full convolution, for one channel (and, for a layer, filter 1's share
of every channel): dL/dZ is dilated by the stride and padded by d(k-1) zeros all round, so that
the rotated kernel can slide over it with step one (``input_gradient_slide``); cropping the
padding from what the slide gives leaves dL/dX, which the layer passes back.

An input too large to number is told on pictures (``kit.map_view``'s rule): dL/dZ, its dilation
and its ring of zeros each a picture with cells of one size. The drawing is
``kit.full_convolution``'s; where it stands, ``kit.input_gradient_stage``'s.
"""

import numpy as np
from manim import UP, Create, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import plain
from convprop.scenes.kit.full_convolution import (
    DECIMALS, PLAN_SIZE, crop_rule, full_convolution_plan, padding_rule, sparse_grid, stride_rule,
)
from convprop.scenes.kit.grid import NumberGrid, cell_for
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.input_gradient_stage import FINAL_CELL, GAP, NAME_ROOM, Shown, gradient_picture
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, fit_cell, line_in, shrink_to_width
from convprop.scenes.kit.map_view import is_picture, numberable
from convprop.scenes.kit.marks import Outline, cells_at, region_box
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.pictured_grids import cells_of, centre, family, pieces, swap_trim, trim
from convprop.scenes.kit.style import FOCUS, GRADIENT
from convprop.scenes.kit.tiles import tile
from convprop.scenes.stories.input_gradient_slide import TheSlide


class FullConvolution(TheSlide):

    def show_plan(self, names):
        formula = shrink_to_width(full_convolution_plan(self.trace, names), MAX_TEXT_WIDTH)
        self.play(FadeIn(formula, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)
        return formula

    def show_dz(self, stage, names, plan) -> Shown:
        """dL/dZ of filter 1, where its entries will stand once dilated and padded."""
        t = self.trace
        shape = t.conv_grad.padded_dilated_dL_dz.shape
        if numberable(shape):
            cell = cell_for(t, names.padded_dilated(0), DECIMALS, stage.grad_box)
            pd_grid = sparse_grid(t, names.padded_dilated(0), ("geometry", "full_zero_mask"), cell)
            dil_grid = sparse_grid(t, names.dilated(0), ("geometry", "inserted_zero_mask"), cell)
            dz_grid = NumberGrid(t, names.dz(0), DECIMALS, cell, GRADIENT)
        else:  # too large to number: all three as pictures, each entry a cell of the same size
            pd_grid = gradient_picture(t, ("pictures", "padded_dilated_dL_dzs", 0), stage.grad_box)
            dil_grid, dz_grid = (Picture(t, ("pictures", which, 0), pd_grid.cell_size, DECIMALS, GRADIENT)
                                 for which in ("dilated_dL_dzs", "dL_dzs"))
        pd_grid.move_to(stage.grad_box.center)
        left, right, bottom, top = region_box(pd_grid, cells_at(t, ("geometry", "full_entries")))
        centre(dil_grid, [(left + right) / 2, (bottom + top) / 2, 0])
        centre(dz_grid, cells_of(dil_grid).get_center())
        label = over_cells(t, "dL/dZ" if names.single else "\"dL/dZ\"_1", dz_grid)
        shrink = min(28 / PLAN_SIZE, MAX_TEXT_WIDTH / plan.width)
        self.play(plan.animate.scale(shrink).move_to(stage.line.center), FadeIn(dz_grid), FadeIn(label),
                  run_time=1.0)
        self.wait(1.0)
        return Shown(grid=dz_grid, label=label, line=plan, coming=(dil_grid, pd_grid))

    def dilate(self, stage, names, shown) -> Shown:
        t = self.trace
        dz_grid, (dil_grid, pd_grid) = shown.grid, shown.coming
        entries = t.geometry.dilated_entries
        oh, ow = dz_grid.rows, dz_grid.cols
        moves = []
        for r in range(oh):
            for c in range(ow):
                target = dil_grid.square(*entries[r, c]).get_center()
                moves += [piece.animate.move_to(target) for piece in pieces(dz_grid, [(r, c)])
                          if not np.allclose(piece.get_center(), target)]  # at stride 1 none moves
        zeros = pieces(dil_grid, cells_at(t, ("geometry", "inserted_zero_mask")))
        label = over_cells(t, "dL/dZ, dilated" if names.single else "\"dL/dZ\"_1 \" dilated\"", dil_grid)
        rule = line_in(stride_rule(t), stage.line)
        self.play(*moves, FadeIn(zeros), *swap_trim(dz_grid, dil_grid), FadeOut(shown.label), FadeIn(label),
                  FadeOut(shown.line), FadeIn(rule, shift=UP * 0.2), run_time=1.5)
        # the moved entries and the new zeros are exactly the dilated grid: swap it in
        self.scene.remove(*family(dz_grid, zeros, *trim(dil_grid)))
        self.scene.add(dil_grid)
        self.wait(2.0)
        return Shown(grid=dil_grid, label=label, line=rule, coming=(pd_grid,))

    def pad(self, stage, names, shown) -> Shown:
        t = self.trace
        (pd_grid,) = shown.coming
        ring = pieces(pd_grid, cells_at(t, ("geometry", "full_padding_mask")))
        label = over_cells(t, "dL/dZ, dilated and padded" if names.single
                           else "\"dL/dZ\"_1 \" dilated and padded\"", pd_grid)
        rule = line_in(padding_rule(t), stage.line)
        self.play(FadeIn(ring), *swap_trim(shown.grid, pd_grid), FadeOut(shown.label), FadeIn(label),
                  FadeOut(shown.line), FadeIn(rule, shift=UP * 0.2), run_time=1.2)
        self.scene.remove(*family(shown.grid, ring, *trim(pd_grid)))
        self.scene.add(pd_grid)
        self.wait(2.0)
        return Shown(grid=pd_grid, label=label, line=rule)

    def crop(self, stage, names, results, shown):
        """The padding cropped from each channel's gradient: dL/dX, one grid per channel.
        Returns the grids, their names and the line at the bottom."""
        t = self.trace
        channels = len(results)
        if names.single:
            boxes, cell = [stage.final], fit_cell(stage.final, t.conv_grad.dL_dinput.shape, FINAL_CELL)
        else:
            boxes, cell = tile(stage.whole, channels, t.conv_grad.dL_dinput.shape, GAP * 2, NAME_ROOM,
                               FINAL_CELL)
        finals = [self._final_view(names, c, box, cell) for c, box in enumerate(boxes)]
        frames = [Outline(grid, t, ("geometry", "input_cells"), color=FOCUS, stroke_width=5, focus=False)
                  for grid in results]
        rule = line_in(crop_rule(t), stage.line)
        gone = [m for m in (shown.grid, shown.label, shown.rotated, shown.rotated_label, shown.line) if m is not None]
        self.play(*(FadeOut(m) for m in gone + shown.leftovers), *(Create(f) for f in frames),
                  FadeIn(rule, shift=UP * 0.2), run_time=0.8)
        self.wait(1.2)
        labels = [over_cells(t, "dL/dX" if names.single else f"\"dL/dX\"_{c + 1}", grid)
                  for c, grid in enumerate(finals)]
        self.play(*(FadeOut(g) for g in results), FadeOut(shown.titles), *(FadeOut(f) for f in frames),
                  *(move for result, final in zip(results, finals) for move in self._cropped(result, final)),
                  *(FadeIn(label) for label in labels), run_time=1.5)
        return finals, labels, rule

    def pass_back(self, stage, line):
        words = plain("dL/dX: what this layer passes back to the layer before it", font_size=28, color=GRADIENT)
        self.play(FadeOut(line), FadeIn(line_in(words, stage.line), shift=UP * 0.2), run_time=0.8)
        return words

    # -- views -----------------------------------------------------------------------------------

    def _final_view(self, names, c, box, cell):
        """Channel ``c``'s dL/dX in ``box``: numbers in ``cell``-sized cells, or a picture (the
        heat map it will be) when too large to number."""
        t = self.trace
        if numberable(t.conv_grad.dL_dinput.shape):
            return NumberGrid(t, names.final(c), DECIMALS, cell, GRADIENT).move_to(box.center)
        return gradient_picture(t, ("pictures", "dL_dinputs", c), box, max_cell=FINAL_CELL)

    def _cropped(self, result, final) -> list:
        """The inside of the padded gradient ``result`` (its numbers, or a picture's cells) becomes
        ``final``'s; the rest of ``final`` (its squares, or a picture's frame and bar) fades in."""
        inside = cells_at(self.trace, ("geometry", "input_cells"))
        source = VGroup(*(result.square(*rc) if is_picture(result) else result.label(*rc) for rc in inside))
        if is_picture(final):
            return [TransformFromCopy(source, final.squares), *(FadeIn(m) for m in trim(final))]
        return [TransformFromCopy(source, final.numbers), FadeIn(final.squares)]
