"""A layer's input gradient, filter by filter: every filter sends its own share back to every
channel, and dL/dX_c is their sum. Filter 1's shares, worked step by step before, move into a
table of one column per filter; the other filters' shares appear whole; one cell's sum is
written out, and every other cell of every channel is added the same way.
"""

from manim import UP, Create, FadeIn, FadeOut, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.filter_shares import filter_line, shares_table, sum_of_shares
from convprop.scenes.kit.input_gradient_stage import Shown
from convprop.scenes.kit.layout import line_in
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.style import FOCUS
from convprop.scenes.story import Story


class FilterShares(Story):

    def add_filters(self, stage, names, shares, shown):
        """Every filter's share of every channel, one column per filter, added into dL/d(padded X_c);
        one cell's sum written out. Returns the channels' totals and what stays."""
        t = self.trace
        F, C = t.config.filters, t.config.channels
        drawn = shares_table(t, names, stage.whole)
        table, totals, heads, signs, rows = drawn.shares, drawn.totals, drawn.heads, drawn.signs, drawn.rows
        with self.beat("Every filter sends its own share back to every channel; dL/dX_c is their sum."):
            gone = [shown.grid, shown.label, shown.rotated, shown.rotated_label, shown.titles, *shown.leftovers]
            self.play(*(FadeOut(m) for m in gone), *(FadeOut(share) for share in shares),
                      *(TransformFromCopy(VGroup(*share.numbers), table[c][0].numbers) for c, share in enumerate(shares)),
                      *(FadeIn(table[c][0].squares) for c in range(C)), FadeIn(heads[0]), FadeIn(rows),
                      run_time=1.2)
            self.wait(0.8)
        line = None
        for o in range(1, F):
            with self.beat(f"Filter {o + 1}: the same steps, with its own dL/dZ and kernels, give its share "
                           f"of every channel."):
                cells = cells_at(t, ("geometry", "padded_cells"))
                fills = [label for c in range(C) for label in table[c][o].fill(t, cells)]
                how = line_in(filter_line(t, o), stage.line)
                self.play(*(Create(table[c][o].squares) for c in range(C)), FadeIn(heads[o]),
                          *(FadeIn(s) for s in signs[o - 1::F]), *([FadeOut(line)] if line else []),
                          FadeIn(how, shift=UP * 0.2),
                          LaggedStart(*(FadeIn(f) for f in fills), lag_ratio=0.002), run_time=1.0)
                self.wait(1.0)
                line = how
        with self.beat("Each cell of dL/dX_c adds up the same cell of every filter's share."):
            at = ("geometry", "input_cells", (0, 0))
            (rc,) = cells_at(t, at)
            # the sum's numbers are the formula's, legible at the bottom; the marks show where they sit
            marks = [CellMarks(g, t, at, stroke=FOCUS, stroke_width=4) for g in (*table[0], totals[0])]
            equation = line_in(sum_of_shares(t, names, rc, rc[0] * t.conv.padded_input.shape[1] + rc[1] + 1),
                               stage.line)
            self.play(Create(totals[0].squares), *(Create(totals[c].squares) for c in range(1, C)), FadeIn(heads[F]),
                      *(FadeIn(s) for s in signs[F - 1::F]), run_time=0.8)
            self.play(*(FadeIn(m) for m in marks), FadeOut(line), FadeIn(equation, shift=UP * 0.2), run_time=0.8)
            [total] = totals[0].fill(t, [rc])
            self.play(TransformFromCopy(equation.term("v"), total), run_time=0.8)
            self.wait(1.5)
        with self.beat("Every other cell of every channel in the same way."):
            rest = [(c, cell_rc) for c in range(C) for cell_rc in cells_at(t, ("geometry", "padded_cells"))
                    if (c, cell_rc) != (0, rc)]
            fills = [label for c, cell_rc in rest for label in totals[c].fill(t, [cell_rc])]
            self.play(*(FadeOut(m) for m in marks), FadeOut(equation),
                      LaggedStart(*(FadeIn(f) for f in fills), lag_ratio=0.002), run_time=1.2)
            self.wait(0.8)
        return totals, Shown(grid=VGroup(*(g for row in table for g in row)), label=VGroup(*heads[:F], rows),
                             titles=heads[F], leftovers=[signs])
