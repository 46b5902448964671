"""pooling, for a layer: each filter's map is pooled on its own; one window of one map, the
gradient routed back to its winner (and through the ReLU)."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import D, carried_grid, value_grid
from convprop.exercises.topics.layer.common import at, filter_of, plain_at, z_name

TITLE = "Routing through max pooling"
MAX_CELLS_ASKED = 9  # a larger window asks for the winner's gradient only


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    n = c.pool
    o = filter_of(pick, "pooling", c)
    pooled = d["pooled"][o]
    ph, pw = len(pooled), len(pooled[0])
    j = pick.index("pooling", ph * pw)
    pr, pc = divmod(j, pw)
    winner = tuple(int(x) for x in t.head.winners[o, pr, pc])
    cells = [tuple(int(x) for x in cell) for cell in t.filter_head_geometry[o].pool_window_cells[pr, pc].reshape(-1, 2)]
    source = f"A_{o + 1}" if c.relu else z_name(o)
    P = f"P_{o + 1}"
    p = ask.ask(f"p-{o + 1}-{pr + 1}-{pc + 1}", f"{at(P, pr, pc)}, max pooling's output for window {j + 1} "
                f"({plain_at(pr, pc)}) of filter {o + 1}'s map.", f"pooled[{o}][{pr}][{pc}]")
    asked = [box(at(P, pr, pc), p, "output")]
    for r, col in (cells if len(cells) <= MAX_CELLS_ASKED else [winner]):
        q = ask.ask(f"dL-dz-{o + 1}-{r + 1}-{col + 1}", f"dL/d{at(z_name(o), r, col)} ({plain_at(r, col)} of filter "
                    f"{o + 1}'s map), routed back through max pooling" + (" and the ReLU." if c.relu else "."),
                    f"dL_dz[{o}][{r}][{col}]")
        asked.append(box(D("L", at(z_name(o), r, col)), q, "gradient"))
    window = {cell: "focus" for cell in cells}
    out = [par(f"Max pooling takes the largest value of each {n}×{n} window of each map on its own. Window {j + 1} of ",
               math(source, "output"), " covers the cells marked below. Given ", math(D("L", P), "gradient"),
               ", find the pooled value and the gradient each cell of the window gets back."),
           grids(carried_grid(source, d["activated"][o] if c.relu else d["z"][o], "output", marks=window),
                 carried_grid(D("L", P), t.dL_dP[o].tolist(), "gradient", marks={(pr, pc): "focus"})),
           boxes(*asked)]
    out.append(par("The winner is ", math(at(source, *winner), "output"), f" ({plain_at(*winner)}); ",
                   "it alone gets the window's gradient, every other cell 0.", worked=True))
    out.append(grids(value_grid(D("L", source), t.dL_dA[o].tolist(), "gradient", marks=window), worked=True))
    if c.relu:
        out.append(eq(f"{D('L', 'z')} = {D('L', 'a')} dot [z > 0]", worked=True))
        out.append(grids(value_grid(z_name(o), d["z"][o], "output", marks=window),
                         value_grid(D("L", z_name(o)), d["dL_dz"][o], "gradient", marks=window), worked=True))
    return out
