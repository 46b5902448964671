"""kernel-gradient, for a layer: the whole dL/dW_(o,c) of one filter's kernel for one channel,
channel c's patches scaled by filter o's dL/dz_k and summed, and that filter's dL/db_o."""

from convprop.exercises.document import box, box_grid, boxes, eq, grids, math, par
from convprop.exercises.topics.common import (D, carried_grid, chunks, given_grid, patch_padding, step_name, v,
                                              value_grid)
from convprop.exercises.topics.layer.common import at, b_name, channel_of, filter_of, w_name, x_name, z_name

TITLE = "One kernel's gradient"
MAX_PATCHES_SHOWN = 16  # beyond this the key shows the correlation form only


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    kh, kw = c.kernel_size
    o, ch = filter_of(pick, "kernel-gradient", c), channel_of(pick, "kernel-gradient", c)
    W, Z, b, X = w_name(o, ch), z_name(o), b_name(o), x_name(ch)
    rows = [[ask.ask(f"dL-dW-{o + 1}-{ch + 1}-{a * kw + b_ + 1}", f"dL/d{at(W, a, b_)}, row {a + 1}, column {b_ + 1} "
                     f"of dL/d{W}, the kernel filter {o + 1} lays on channel {ch + 1}.",
                     f"dL_dkernel[{o}][{ch}][{a}][{b_}]") for b_ in range(kw)] for a in range(kh)]
    bias = ask.ask(f"dL-db-{o + 1}", f"dL/d{b}, the gradient of filter {o + 1}'s bias: the sum of dL/d{Z}[k] over "
                   f"every step of its map.", f"dL_dbias[{o}]")
    out = [par("Compute all of ", math(D("L", W), "gradient"), " and ", math(D("L", b), "gradient"),
               ": each patch ", math(f"{X}^((k))", "input"), " of ", math(X, "input"), f" that filter {o + 1}'s kernel saw, "
               "scaled by ", math(D("L", f"{Z}[k]"), "gradient"), ", summed over the steps. Use ",
               math(D("L", Z), "gradient"), " as given:"),
           grids(carried_grid(D("L", Z), d["dL_dz"][o], "gradient", source=f"dL_dz[{o}]")),
           box_grid(D("L", W), rows, "gradient"),
           boxes(box(D("L", b), bias, "gradient"))]
    oh, ow = len(d["z"][o]), len(d["z"][o][0])
    scaled = t.conv_grad.scaled_windows[o, ch]
    if oh * ow <= MAX_PATCHES_SHOWN:
        items = []
        for r in range(oh):
            for col in range(ow):
                k = step_name(r * ow + col)
                items.append(given_grid(f"{X}^(({k}))", d["patches"][ch][r][col], "input",
                                        muted=patch_padding(t.geometry, r, col)))
                items.append(value_grid(f"{v(d['dL_dz'][o][r][col])} dot {X}^(({k}))", scaled[r, col].tolist(), "gradient"))
        out.append(grids(*items, worked=True))
        out.append(eq(f"{D('L', W)} = sum_k {D('L', f'{Z}[k]')} dot {X}^((k))", worked=True))
    else:
        out.append(eq(f"{D('L', W)} = {X} star op(\"dilate\")({D('L', Z)})", worked=True))
        out.append(par("the correlation of channel ", str(ch + 1), " with ", math(D("L", Z), "gradient"),
                       ", its entries spread apart by the stride, read at the kernel's taps.", worked=True))
    out.append(grids(value_grid(D("L", W), d["dL_dkernel"][o][ch], "gradient"), worked=True))
    flat = [v(x) for row in d["dL_dz"][o] for x in row if x != 0] or ["0"]  # the zeros add nothing
    out.append(eq(f"{D('L', b)} = sum_k {D('L', f'{Z}[k]')} = ", math(chunks(flat, 8), "gradient"),
                  " = ", math(bias.shown, "gradient")))
    if c.channels > 1:
        out.append(par(f"The bias is added once to each z of filter {o + 1}, whichever channel: ",
                       math(D("L", b), "gradient"), " does not depend on the channel.", worked=True))
    return out
