"""A layer's input gradient, filter by filter: every filter sends its own share back to every
channel, and dL/dX_c is their sum. Filter 1's shares, worked step by step before, move into a
table of one column per filter; the other filters' shares appear whole; one cell's sum is
written out, and every other cell of every channel is added the same way.
"""

from manim import UP, Create, TransformFromCopy, VGroup

from convprop.scenes.kit.choreography import one_by_one
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.filter_shares import filter_line, shares_table, sum_of_shares
from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.input_gradient_stage import Shown
from convprop.scenes.kit.layout import line_in
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.style import FOCUS
from convprop.scenes.narration import say, subscript
from convprop.scenes.stories.input_gradient_slide import channel_number, filter_number
from convprop.scenes.story import Story


class FilterShares(Story):

    def add_filters(self, stage, names, shares, shown):
        """Every filter's share of every channel, one column per filter, added into dL/d(padded X_c);
        one cell's sum written out. Returns the channels' totals and what stays."""
        t = self.trace
        F, C = t.config.filters, t.config.channels
        drawn = shares_table(t, names, stage.whole)
        table, totals, heads, signs, rows = drawn.shares, drawn.totals, drawn.heads, drawn.signs, drawn.rows
        with self.beat("Every filter sends its own share back to every channel; each channel's ∂L/∂X is their sum.",
                       say("Filter {filter}'s shares move into a table with one column per filter. Every filter "
                           "sends its own share back to every channel, and a channel's ∂L/∂X is the sum of the "
                           "shares it receives.", filter=filter_number())):
            gone = [shown.grid, shown.label, shown.rotated, shown.rotated_label, shown.titles, *shown.leftovers]
            self.play(*(FadeOut(m) for m in gone), *(FadeOut(share) for share in shares),
                      *(TransformFromCopy(VGroup(*share.numbers), table[c][0].numbers) for c, share in enumerate(shares)),
                      *(FadeIn(table[c][0].squares) for c in range(C)), FadeIn(heads[0]), FadeIn(rows),
                      run_time=1.2)
            self.wait(0.8)
        line = None
        with self.beat("The other filters: the same steps, each with its own ∂L/∂Z and kernels, give their shares of "
                       "every channel.",
                       say("The other filters go through the same steps, each with its own ∂L/∂Z and its own "
                           "kernels turned round, and give their shares of every channel.")):
            for o in range(1, F):
                cells = cells_at(t, ("geometry", "padded_cells"))
                fills = [label for c in range(C) for label in table[c][o].fill(t, cells)]
                how = line_in(filter_line(t, o), stage.line)
                self.play(*(Create(table[c][o].squares) for c in range(C)), FadeIn(heads[o]),
                          *(FadeIn(s) for s in signs[o - 1::F]), *([FadeOut(line)] if line else []),
                          FadeIn(how, shift=UP * 0.2),
                          one_by_one(fills, lag_ratio=0.002), run_time=1.0)
                self.wait(1.0)
                line = how
        at = ("geometry", "input_cells", (0, 0))
        (rc,) = cells_at(t, at)
        index = rc[0] * t.conv.padded_input.shape[1] + rc[1] + 1
        # the sum's numbers are the formula's, legible at the bottom; the marks show where they sit
        equation = line_in(sum_of_shares(t, names, rc, index), stage.line)
        with self.beat("Each cell of a channel's ∂L/∂X adds up the same cell of every filter's share.",
                       self._sum_narration(equation, index)):
            marks = [CellMarks(g, t, at, stroke=FOCUS, stroke_width=4) for g in (*table[0], totals[0])]
            self.play(Create(totals[0].squares), *(Create(totals[c].squares) for c in range(1, C)), FadeIn(heads[F]),
                      *(FadeIn(s) for s in signs[F - 1::F]), run_time=0.8)
            self.play(*(FadeIn(m) for m in marks), FadeOut(line), FadeIn(equation, shift=UP * 0.2), run_time=0.8)
            [total] = totals[0].fill(t, [rc])
            self.play(TransformFromCopy(equation.term("v"), total), run_time=0.8)
            self.wait(1.5)
        with self.beat("Every other cell of every channel in the same way.",
                       say("Every other cell of every channel is added up the same way.")):
            rest = [(c, cell_rc) for c in range(C) for cell_rc in cells_at(t, ("geometry", "padded_cells"))
                    if (c, cell_rc) != (0, rc)]
            fills = [label for c, cell_rc in rest for label in totals[c].fill(t, [cell_rc])]
            self.play(*(FadeOut(m) for m in marks), FadeOut(equation),
                      one_by_one(fills, lag_ratio=0.002), run_time=1.2)
            self.wait(0.8)
        return totals, Shown(grid=VGroup(*(g for row in table for g in row)), label=VGroup(*heads[:F], rows),
                             titles=heads[F], leftovers=[signs])

    def _sum_narration(self, equation, index: int):
        """The cell's sum as the equation at the bottom writes it: each filter's share, at the
        decimals that make them add up to the total written."""
        *shares, total = (Num(path, decimals) for _, path, decimals, _, _ in equation.numbers)
        values = {f"share{o + 1}": share for o, share in enumerate(shares)}
        return say(f"Each cell of a channel's ∂L/∂X adds up the same cell of every filter's share. For cell "
                   f"x{subscript(index)} of channel {{channel}}: " + " plus ".join(f"{{{n}}}" for n in values)
                   + " makes {total}.", total=total, channel=channel_number(0), **values)
