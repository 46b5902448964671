"""input-gradient: one dL/dx_j as the full convolution of the dilated, padded dL/dZ with the
kernel turned by 180 degrees."""

from convprop.exercises.document import box, boxes, cell, eq, grid, grids, math, par
from convprop.exercises.topics.common import video_decimals, D, carried_grid, chunks, g, given_grid, v, value_grid

TITLE = "Gradient for the input"


def _taps(geometry):
    """For each input cell, the taps of its full-convolution window that hold a real dL/dz (not a
    zero put in by the dilation or the padding): (row, col) in the padded dilated dL/dZ and
    (a, b) in the turned kernel, as mathcore's geometry places them; and the set of real cells."""
    (H, W), p = geometry.input_shape, geometry.padding
    used_rows, used_cols = geometry.used_shape
    real = {tuple(int(x) for x in cell) for cell in geometry.full_entries.reshape(-1, 2)}
    taps = {}
    for r in range(H):
        for c in range(W):
            R, C = r + p, c + p  # the cell in the padded input
            window = geometry.full_window_cells[R, C] if R < used_rows and C < used_cols else None
            taps[(r, c)] = [] if window is None else [
                (*cell, a, b) for a in range(window.shape[0]) for b in range(window.shape[1])
                if (cell := tuple(int(x) for x in window[a, b])) in real]
    return taps, real


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    H, W = c.input_size
    windows, real = _taps(t.geometry)
    most = max(len(taps) for taps in windows.values())
    candidates = sorted(cell for cell, taps in windows.items() if len(taps) == most)
    r, col = candidates[pick.index("input-gradient", len(candidates))]
    j = r * W + col + 1
    q = ask.ask(f"dL-dx-{j}", f"dL/dx_{j}, the gradient for the input value in row {r + 1}, column {col + 1} of X.",
                f"dL_dinput[{r}][{col}]")
    grad = t.conv_grad
    taps = windows[(r, col)]
    window_marks = {(R, C): "focus" for R, C, _, _ in taps}
    kernel_marks = {(a, b): "focus" for _, _, a, b in taps}
    out = [par("What gradient does the layer pass back to ", math(f"x_{j}", "input"), " (row ", str(r + 1), ", column ",
               str(col + 1), ")? Use ", math(D("L", "Z"), "gradient"), " as given; ", math("x_j"),
               " is numbered row by row from 1."),
           grids(carried_grid(D("L", "Z"), d["dL_dz"], "gradient", source="dL_dz"), given_grid("W", d["kernel"], "kernel", decimals=video_decimals(s, "kernel"))),
           boxes(box(D("L", f"x_{j}"), q, "gradient")),
           par("Spread ", math(D("L", "Z"), "gradient"), " by the stride (zeros between its entries), pad it with ",
               math("k - 1"), " zeros, and slide the kernel turned by 180° over it with step one:", worked=True),
           grids(grid("op(\"pad\")(op(\"dilate\")((partial L)/(partial Z)))",
                      [[cell(v(x).strip("()") if (R, C) in real else "0", "gradient" if (R, C) in real else "muted",
                             window_marks.get((R, C))) for C, x in enumerate(row)]
                       for R, row in enumerate(grad.padded_dilated_dL_dz.tolist())]),
                 given_grid("op(\"rot\")_(180)(W)", grad.rotated_kernel.tolist(), "kernel", marks=kernel_marks),
                 worked=True)]
    products = [f"{v(grad.padded_dilated_dL_dz[R, C])} dot {g(grad.rotated_kernel[a, b])}"
                for R, C, a, b in taps if grad.padded_dilated_dL_dz[R, C] != 0] or ["0"]  # zeros add nothing
    out.append(eq(f"{D('L', f'x_{j}')} = ", math(chunks(products, 4), "gradient"), " = ", math(q.shown, "gradient")))
    label = D("L", "X")
    out.append(grids(value_grid(label, d["dL_dinput"], "gradient", marks={(r, col): "focus"}), worked=True))
    return out
