"""loss: from the prediction back to one dL/dz_k: dL/dy_hat, dy_hat/ds, their product, the route."""

from convprop.exercises import numbers
from convprop.exercises.document import box, boxes, eq, grids, math, note, par
from convprop.exercises.topics.common import D, chunks, g, step_name, v, value_grid

TITLE = "Loss and its gradient"


def ask_head(ask, d) -> tuple[tuple, list]:
    """Ask y_hat, L, dL/dy_hat (unless the sigmoid saturated) and dy_hat/ds: the head every
    network in the lesson shares, a single channel's or a layer's. Returns the answers (y_hat, L,
    dy_hat/ds) and their boxes."""
    y_hat = ask.ask("y-hat", "y_hat = sigmoid(s), the prediction, where s = w_fc . F + b_fc.", "y_hat")
    loss = ask.ask("loss", "L = -[y ln y_hat + (1 - y) ln(1 - y_hat)], the binary cross-entropy.", "loss")
    asked = [box("hat(y)", y_hat, "output"), box("L", loss, "output")]
    if d["dL_dy_hat"] is not None:  # null when the sigmoid saturated: then only the product exists
        asked.append(box(D("L", "hat(y)"), ask.ask("dL-dy-hat", "dL/dy_hat = -y/y_hat + (1 - y)/(1 - y_hat).",
                                                   "dL_dy_hat"), "gradient"))
    dy = ask.ask("dy-hat-ds", "dy_hat/ds = y_hat (1 - y_hat), the slope of the sigmoid.", "dy_hat_dlogit")
    asked.append(box(D("hat(y)", "s"), dy, "gradient"))
    return (y_hat, loss, dy), asked


def work_head(d, head, max_terms: int | None = None) -> list:
    """The head worked out, from s to dL/ds; s is written term by term unless F has more than
    ``max_terms`` features."""
    y_hat, loss, dy = head
    out = []
    if max_terms is None or len(d["features"]) <= max_terms:
        terms = chunks([f"{g(w)} dot {v(f)}" for w, f in zip(d["fc_weight"], d["features"])], 4)
        out.append(eq("s = w_(f c) dot F + b_(f c) = ", math(f"{terms} + {g(d['fc_bias'])}", "output"),
                      math(f" = {numbers.shown(d['logit'])}", "output")))
    else:
        out.append(eq("s = w_(f c) dot F + b_(f c) = ", math(numbers.shown(d["logit"]), "output")))
    out += [
        eq("hat(y) = sigma(s) = 1/(1 + e^(-s)) = ", math(y_hat.shown, "output")),
        eq(f"L = -[{g(d['target'])} ln {y_hat.shown} + (1 - {g(d['target'])}) ln(1 - {y_hat.shown})] = ",
           math(loss.shown, "output")),
    ]
    if d["dL_dy_hat"] is not None:
        out.append(eq(f"{D('L', 'hat(y)')} = -y/hat(y) + (1 - y)/(1 - hat(y)) = ", math(numbers.shown(d["dL_dy_hat"]), "gradient"),
                      math(",   "), f"{D('hat(y)', 's')} = hat(y)(1 - hat(y)) = ", math(dy.shown, "gradient")))
    else:
        out.append(note("The sigmoid has saturated to exactly 0 or 1, so ", math(D("L", "hat(y)")),
                        " is infinite; only the product below is finite.", worked=True))
        out.append(eq(f"{D('hat(y)', 's')} = hat(y)(1 - hat(y)) = ", math(dy.shown, "gradient")))
    out.append(eq(f"{D('L', 's')} = {D('L', 'hat(y)')} dot {D('hat(y)', 's')} = hat(y) - y = "
                  f"{y_hat.shown} - {g(d['target'])} = ", math(numbers.shown(d["dL_dlogit"]), "gradient")))
    return out


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    head, asked = ask_head(ask, d)
    z = d["z"]
    k, r, col = pick.output("loss", z)
    name = f"z_{step_name(k)}"
    dz = ask.ask(f"dL-dz-{step_name(k)}", f"dL/d{name}: the gradient of the loss with respect to the output at step "
                 f"{step_name(k)} (row {r + 1}, column {col + 1} of Z).", f"dL_dz[{r}][{col}]")
    asked.append(box(D("L", name), dz, "gradient"))

    out = [par("Run the network forward, then back from ", math("L"), " to ", math(name, "output"), "."),
           boxes(*asked)]
    forward = [value_grid("Z", z, "output")]
    if c.relu:
        forward.append(value_grid("A = op(\"ReLU\")(Z)", d["activated"], "output"))
    if c.pool:
        forward.append(value_grid("P = op(\"maxpool\")(A)" if c.relu else "P = op(\"maxpool\")(Z)", d["pooled"], "output"))
    forward.append(value_grid("F", [d["features"]], "output"))
    out.append(grids(*forward, worked=True))
    out += work_head(d, head)
    out.append(eq(f"{D('L', 'F_j')} = {D('L', 's')} dot w_(f c, j)", worked=True))
    route = [value_grid("(partial L)/(partial F)", [t.dL_dfeatures.tolist()], "gradient")]
    if c.pool:
        route.append(value_grid("(partial L)/(partial A)", t.dL_dactivated.tolist(), "gradient"))
    route.append(value_grid("(partial L)/(partial Z)", d["dL_dz"], "gradient", marks={(r, col): "focus"}))
    out.append(grids(*route, worked=True))
    if c.pool or c.relu:
        route = "max pooling passes each window's gradient to the cell that won it and 0 to the others" if c.pool else ""
        if c.relu:
            route += ("; " if route else "") + "the ReLU passes the gradient where z > 0 and 0 elsewhere"
        out.append(par("The route back: " + route + " (see the grids above). So ", math(f"{D('L', name)} = "),
                       math(dz.shown, "gradient"), ".", worked=True))
    else:
        j = step_name(k)
        out.append(par(math("F"), " is ", math("Z", "output"), " read row by row, so ", worked=True))
        out.append(eq(f"{D('L', name)} = {D('L', 'F_' + j)} = {D('L', 's')} dot w_(f c, {j}) = "
                      f"{v(d['dL_dlogit'])} dot {g(d['fc_weight'][k])} = ", math(dz.shown, "gradient")))
    return out
