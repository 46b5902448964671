"""loss, for a layer: from the prediction back to one z of one filter's map. F holds the maps one
after the other, so the gradient of filter o's cell k is the one of feature o·(cells per map) + k."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import D, g, v, value_grid
from convprop.exercises.topics.loss import ask_head, work_head
from convprop.exercises.topics.layer.common import at, filter_of, plain_at, z_name

TITLE = "Loss and its gradient"
MAX_TERMS_WRITTEN = 16  # s = w_fc . F + b_fc written term by term up to this many features


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    head, asked = ask_head(ask, d)
    o = filter_of(pick, "loss", c)
    k, r, col = pick.output("loss", d["z"][o])
    name = at(z_name(o), r, col)
    dz = ask.ask(f"dL-dz-{o + 1}-{r + 1}-{col + 1}", f"dL/d{name}: the gradient of the loss with respect to filter "
                 f"{o + 1}'s output at {plain_at(r, col)} of its map.", f"dL_dz[{o}][{r}][{col}]")
    asked.append(box(D("L", name), dz, "gradient"))

    out = [par("Run the network forward, then back from ", math("L"), " to ", math(name, "output"), "."),
           boxes(*asked)]
    for m in range(c.filters):
        forward = [value_grid(z_name(m), d["z"][m], "output")]
        if c.relu:
            forward.append(value_grid(f"A_{m + 1}", d["activated"][m], "output"))
        if c.pool:
            forward.append(value_grid(f"P_{m + 1}", d["pooled"][m], "output"))
        out.append(grids(*forward, worked=True))
    out.append(grids(value_grid("F", [d["features"]], "output"), worked=True))
    out += work_head(d, head, max_terms=MAX_TERMS_WRITTEN)
    per_map = len(t.dL_dP[o].reshape(-1))
    if c.pool or c.relu:
        route = [value_grid(D("L", f"P_{o + 1}"), t.dL_dP[o].tolist(), "gradient")] if c.pool else []
        if c.relu:
            route.append(value_grid(D("L", f"A_{o + 1}"), t.dL_dA[o].tolist(), "gradient"))
        route.append(value_grid(D("L", z_name(o)), d["dL_dz"][o], "gradient", marks={(r, col): "focus"}))
        out.append(eq(f"{D('L', 'F_j')} = {D('L', 's')} dot w_(f c, j)", worked=True))
        out.append(par(f"Filter {o + 1}'s part of ", math("F"), f" is features {o * per_map + 1} to {(o + 1) * per_map}.",
                       worked=True))
        out.append(grids(*route, worked=True))
        words = "max pooling passes each window's gradient to the cell that won it and 0 to the others" if c.pool else ""
        if c.relu:
            words += ("; " if words else "") + "the ReLU passes the gradient where z > 0 and 0 elsewhere"
        out.append(par("The route back: " + words + " (see the grids above). So ", math(f"{D('L', name)} = "),
                       math(dz.shown, "gradient"), ".", worked=True))
    else:
        j = o * per_map + k + 1
        maps = [math("Z_1", "output")] + ([", ", math("Z_2", "output"), ", ..."] if c.filters > 1 else [])
        out.append(par(math("F"), " is ", *maps, " read row by row, so ", math(name, "output"), " is feature ",
                       math(f"F_{j}"), ":", worked=True))
        out.append(eq(f"{D('L', name)} = {D('L', f'F_{j}')} = {D('L', 's')} dot w_(f c, {j}) = "
                      f"{v(d['dL_dlogit'])} dot {g(d['fc_weight'][j - 1])} = ", math(dz.shown, "gradient")))
    return out
