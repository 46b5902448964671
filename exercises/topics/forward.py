"""forward: the size of the output, and one z_k as the patch under the kernel times the kernel."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import chunks, g, given_grid, patch_padding, step_name, value_grid

TITLE = "Forward pass"


def blocks(ask, s, pick) -> list:
    c, d, conv = s.lesson.model.config, s.cnn, s.lesson.model.conv
    (H, W), (kh, kw), (sh, sw), p = c.input_size, c.kernel_size, c.stride, c.padding
    rows = ask.ask("output-rows", f"Rows of the convolution output Z: floor((H + 2p - k)/s) + 1 with H = {H}, "
                   f"kernel {kh}x{kw}, stride {sh}x{sw}, padding {p}.", "batch.shapes.Z1[0]", whole=True)
    cols = ask.ask("output-cols", f"Columns of the convolution output Z: floor((W + 2p - k)/s) + 1 with W = {W}, "
                   f"kernel {kh}x{kw}, stride {sh}x{sw}, padding {p}.", "batch.shapes.Z1[1]", whole=True)
    z = d["z"]
    k, r, col = pick.output("forward", z)
    name = f"z_{step_name(k)}"
    zq = ask.ask(f"z-{step_name(k)}", f"{name}, the convolution output at step {step_name(k)} "
                 f"(row {r + 1}, column {col + 1} of Z): the patch under the kernel times the kernel, summed, plus b.",
                 f"z[{r}][{col}]")
    geometry = s.lesson.model.geometry
    origin = tuple(int(x) for x in geometry.window_origins[r, col])
    muted = patch_padding(geometry, r, col)
    products = conv.products[r, col]
    flat = lambda m: [x for row in m for x in row]  # noqa: E731
    terms = [f"{g(x)} dot {g(w)}" for x, w in zip(flat(d["patches"][r][col]), flat(d["kernel"]))]
    out = [
        par("How many rows and columns does ", math("Z", "output"), " have?"),
        boxes(box("H_\"out\"", rows), box("W_\"out\"", cols)),
        eq(f"H_\"out\" = floor(({H} + 2 dot {p} - {kh}) / {sh}) + 1 = {rows.shown}, quad "
           f"W_\"out\" = floor(({W} + 2 dot {p} - {kw}) / {sw}) + 1 = {cols.shown}"),
        par(f"At step {step_name(k)} the kernel's top-left weight sits on row {origin[0] + 1}, column {origin[1] + 1} of the "
            + ("padded " if p else "") + "input. Compute ", math(name, "output"), "."),
        boxes(box(name, zq, "output")),
        grids(given_grid(f"X_({step_name(k)})", d["patches"][r][col], "input", muted=muted),
              given_grid("W", d["kernel"], "kernel"),
              given_grid(f"X_({step_name(k)}) dot.o W", products.tolist(), "output"), worked=True),
    ]
    if len(terms) <= 9:
        out.append(eq(f"{name} = ", math(chunks(terms, 3), "input"), math(f" + {g(d['bias'])}", "kernel"),
                      math(f" = {g(conv.sums[r, col])} + {g(d['bias'])} = {zq.shown}", "output")))
    else:
        out.append(eq(f"{name} = sum X_({step_name(k)}) dot.o W + b = {g(conv.sums[r, col])} + {g(d['bias'])} = ",
                      math(zq.shown, "output")))
    out.append(grids(value_grid("Z", z, "output", marks={(r, col): "focus"}), worked=True))
    return out
