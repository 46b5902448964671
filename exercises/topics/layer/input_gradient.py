"""input-gradient, for a layer: one dL/dX_c as a sum over the filters. Each filter o sends back,
for every window whose tap (a, b) sat on the cell, dL/dZ_o there times W_(o,c)[a,b]; the cell's
gradient is what every filter sends, added up."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import video_decimals, D, carried_grid, chunks, g, given_grid, v, value_grid
from convprop.exercises.topics.layer.common import at, channel_of, plain_at, w_name, x_name, z_name

TITLE = "Gradient for the input"


def _covers(geometry) -> dict:
    """For each cell of X (not the padding), the (window row, window col, tap row, tap col) of
    every window tap that sat on it, as mathcore's geometry places them."""
    (H, W), p = geometry.input_shape, geometry.padding
    cells = geometry.window_cells
    covers = {(r, c): [] for r in range(H) for c in range(W)}
    oh, ow, kh, kw = cells.shape[:4]
    for rr in range(oh):
        for cc in range(ow):
            for a in range(kh):
                for b in range(kw):
                    R, C = (int(x) for x in cells[rr, cc, a, b])
                    if (R - p, C - p) in covers:
                        covers[(R - p, C - p)].append((rr, cc, a, b))
    return covers


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    ch = channel_of(pick, "input-gradient", c)
    covers = _covers(t.geometry)
    most = max(len(taps) for taps in covers.values())
    candidates = sorted(cell for cell, taps in covers.items() if len(taps) == most)
    r, col = candidates[pick.index("input-gradient", len(candidates))]
    x = at(x_name(ch), r, col)
    q = ask.ask(f"dL-dx-{ch + 1}-{r + 1}-{col + 1}", f"dL/d{x}, the gradient for the input value of channel {ch + 1} "
                f"in {plain_at(r, col)}: what every filter sends back to it, added up.", f"dL_dinput[{ch}][{r}][{col}]")
    taps = covers[(r, col)]
    given = [item for o in range(c.filters)
             for item in (carried_grid(D("L", z_name(o)), d["dL_dz"][o], "gradient", source=f"dL_dz[{o}]"),
                          given_grid(w_name(o, ch), d["kernel"][o][ch], "kernel", decimals=video_decimals(s, "kernel")))]
    every = (f"Every filter's kernel lay on channel {ch + 1}, so every filter sends some back. Use each "
             if c.filters > 1 else "Use ")
    out = [par("What gradient does the layer pass back to ", math(x, "input"), f" (channel {ch + 1}, {plain_at(r, col)})? ",
               every, math(D("L", "Z_o" if c.filters > 1 else z_name(0)), "gradient"), " as given:"),
           grids(*given),
           boxes(box(D("L", x), q, "gradient")),
           par(f"The windows that covered {plain_at(r, col)}" + (" of the unpadded channel" if c.padding else "")
               + " are marked in each ", math(D("L", "Z_o"), "gradient"), ", and the taps that sat on it in each ",
               math(f"W_(o,{ch + 1})", "kernel"), ": each window adds ", math(D("L", "Z_o") + " dot W_(o,c)[a,b]"),
               " for its tap on the cell.", worked=True)]
    parts = []
    for o in range(c.filters):
        part = t.conv_grad.dL_dX_by_filter[o, ch, r, col]
        parts.append(part)
        out.append(grids(carried_grid(D("L", z_name(o)), d["dL_dz"][o], "gradient",
                                      marks={(rr, cc): "focus" for rr, cc, _, _ in taps}),
                         given_grid(w_name(o, ch), d["kernel"][o][ch], "kernel",
                                    marks={(a, b): "focus" for _, _, a, b in taps}), worked=True))
        products = [f"{v(d['dL_dz'][o][rr][cc])} dot {g(d['kernel'][o][ch][a][b])}" for rr, cc, a, b in taps
                    if d["dL_dz"][o][rr][cc] != 0] or ["0"]  # zeros add nothing
        out.append(eq(f"\"filter {o + 1}:\" quad ", math(chunks(products, 4), "gradient"), " = ",
                      math(v(part).strip("()"), "gradient")))
    if c.filters > 1:
        out.append(eq(f"{D('L', x)} = ", math(" + ".join(v(p) for p in parts), "gradient"), " = ",
                      math(q.shown, "gradient")))
    else:
        out.append(eq(f"{D('L', x)} = ", math(q.shown, "gradient")))
    out.append(grids(value_grid(D("L", x_name(ch)), d["dL_dinput"][ch], "gradient", marks={(r, col): "focus"}),
                     worked=True))
    return out
