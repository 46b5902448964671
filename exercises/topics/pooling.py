"""pooling: the gradient routed back through max pooling (to each window's winner) and the ReLU."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import D, carried_grid, step_name, value_grid

TITLE = "Routing through max pooling"
MAX_CELLS_ASKED = 9  # a larger window asks for the winner's gradient only


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    n = c.pool
    pooled = d["pooled"]
    ph, pw = len(pooled), len(pooled[0])
    j = pick.index("pooling", ph * pw)
    pr, pc = divmod(j, pw)
    ow = len(d["z"][0])
    winner = tuple(int(x) for x in t.head.pool_winners[pr, pc])
    cells = [tuple(int(x) for x in cell) for cell in t.head_geometry.pool_window_cells[pr, pc].reshape(-1, 2)]
    source = "A" if c.relu else "Z"
    p = ask.ask(f"p-{j + 1}", f"p_{j + 1}, max pooling's output for window {j + 1} (row {pr + 1}, column {pc + 1} of P).",
                f"pooled[{pr}][{pc}]")
    asked = [box(f"p_{j + 1}", p, "output")]
    for r, col in (cells if len(cells) <= MAX_CELLS_ASKED else [winner]):
        k = step_name(r * ow + col)
        q = ask.ask(f"dL-dz-{k}", f"dL/dz_{k} (row {r + 1}, column {col + 1} of Z), routed back through max pooling"
                    + (" and the ReLU." if c.relu else "."), f"dL_dz[{r}][{col}]")
        asked.append(box(D("L", f"z_{k}"), q, "gradient"))
    window = {cell: "focus" for cell in cells}
    out = [par(f"Max pooling takes the largest value of each {n}×{n} window of ", math(source, "output"),
               f". Window {j + 1} covers the cells marked below. Given ", math(D("L", "P"), "gradient"),
               ", find the pooled value and the gradient each cell of the window gets back."),
           grids(carried_grid(source, d["activated"] if c.relu else d["z"], "output", marks=window),
                 carried_grid(D("L", "P"), t.dL_dpooled.tolist(), "gradient", marks={(pr, pc): "focus"})),
           boxes(*asked)]
    k = step_name(winner[0] * ow + winner[1])
    out.append(par("The winner is ", math(f"{source.lower()}_{k}", "output"), f" (row {winner[0] + 1}, column {winner[1] + 1}); ",
                   "it alone gets the window's gradient, every other cell 0.", worked=True))
    out.append(grids(value_grid(D("L", source), t.dL_dactivated.tolist(), "gradient", marks=window), worked=True))
    if c.relu:
        out.append(eq(f"{D('L', 'z_k')} = {D('L', 'a_k')} dot [z_k > 0]", worked=True))
        out.append(grids(value_grid("Z", d["z"], "output", marks=window),
                         value_grid(D("L", "Z"), d["dL_dz"], "gradient", marks=window), worked=True))
    return out
