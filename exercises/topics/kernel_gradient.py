"""kernel-gradient: the whole dL/dW as the patches scaled by dL/dz_k and summed, and dL/db."""

from convprop.exercises.document import box, box_grid, boxes, eq, grids, math, par
from convprop.exercises.topics.common import carried_grid, D, chunks, given_grid, patch_padding, step_name, v, value_grid

TITLE = "The kernel's gradient"
MAX_PATCHES_SHOWN = 16  # beyond this the key shows the correlation form only


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    kh, kw = c.kernel_size
    rows = [[ask.ask(f"dL-dw-{a * kw + b + 1}", f"dL/dw_{a * kw + b + 1}, row {a + 1}, column {b + 1} of dL/dW.",
                     f"dL_dkernel[{a}][{b}]") for b in range(kw)] for a in range(kh)]
    bias = ask.ask("dL-db", "dL/db, the gradient of the convolution's bias: the sum of dL/dz_k over every step.",
                   "dL_dbias")
    out = [par("Compute all of ", math(D("L", "W"), "gradient"), " and ", math(D("L", "b"), "gradient"),
               ": each patch ", math("X_k", "input"), " the kernel saw, scaled by ", math(D("L", "z_k"), "gradient"),
               ", summed over the steps. Use ", math(D("L", "Z"), "gradient"), " as given:"),
           grids(carried_grid("(partial L)/(partial Z)", d["dL_dz"], "gradient", source="dL_dz")),
           box_grid(D("L", "W"), rows, "gradient"),
           boxes(box(D("L", "b"), bias, "gradient"))]
    oh, ow = len(d["z"]), len(d["z"][0])
    scaled = t.conv_grad.scaled_patches
    if oh * ow <= MAX_PATCHES_SHOWN:
        items = []
        for r in range(oh):
            for col in range(ow):
                k = step_name(r * ow + col)
                muted = patch_padding(t.geometry, r, col)
                items.append(given_grid(f"X_({k})", d["patches"][r][col], "input", muted=muted))
                items.append(value_grid(f"{v(d['dL_dz'][r][col])} dot X_({k})", scaled[r, col].tolist(), "gradient"))
        out.append(grids(*items, worked=True))
        out.append(eq(f"{D('L', 'W')} = sum_k {D('L', 'z_k')} dot X_((k))", worked=True))
    else:
        out.append(eq(f"{D('L', 'W')} = X star op(\"dilate\")({D('L', 'Z')})", worked=True))
        out.append(par("the correlation of the input with ", math(D("L", "Z"), "gradient"),
                       ", its entries spread apart by the stride.", worked=True))
    out.append(grids(value_grid(D("L", "W"), d["dL_dkernel"], "gradient"), worked=True))
    flat = [v(x) for row in d["dL_dz"] for x in row if x != 0] or ["0"]  # the zeros add nothing
    out.append(eq(f"{D('L', 'b')} = sum_k {D('L', 'z_k')} = ", math(chunks(flat, 8), "gradient"),
                  " = ", math(bias.shown, "gradient")))
    return out
