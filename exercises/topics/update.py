"""update: W* = W - alpha dL/dW, entry by entry, and b* likewise."""

from convprop.exercises import numbers
from convprop.exercises.document import box, box_grid, boxes, eq, grids, math, par
from convprop.exercises.topics.common import video_decimals, carried_grid, carried_math, D, g, given_grid, v, value_grid

TITLE = "Gradient-descent update"
MAX_ENTRIES_WRITTEN = 9  # the key writes each entry's step out up to this many


def blocks(ask, s, pick) -> list:
    c, d = s.lesson.model.config, s.cnn
    kh, kw = c.kernel_size
    alpha = g(d["learning_rate"])
    rows = [[ask.ask(f"w-{a * kw + b + 1}-updated", f"w_{a * kw + b + 1}* = w_{a * kw + b + 1} - alpha dL/dw_{a * kw + b + 1}, "
                     f"the kernel weight in row {a + 1}, column {b + 1} after one step.", f"kernel_updated[{a}][{b}]")
             for b in range(kw)] for a in range(kh)]
    bias = ask.ask("b-updated", "b* = b - alpha dL/db, the convolution's bias after one step.", "bias_updated")
    out = [par("Take one step of gradient descent with ", math(f"alpha = {alpha}"), ", using ",
               math(D("L", "W"), "gradient"), " and ", math(D("L", "b"), "gradient"), " as given:"),
           grids(given_grid("W", d["kernel"], "kernel", decimals=video_decimals(s, "kernel")), carried_grid(D("L", "W"), d["dL_dkernel"], "gradient", source="dL_dkernel")),
           par(math(f"b = {numbers.as_video(d['bias'], video_decimals(s, 'bias'))}", "kernel"), ",   ",
               carried_math(f"{D('L', 'b')} = ", d["dL_dbias"], "gradient", source="dL_dbias"), "."),
           box_grid("W^*", rows, "update"),
           boxes(box("b^*", bias, "update"))]
    if kh * kw <= MAX_ENTRIES_WRITTEN:
        for a in range(kh):
            for b in range(kw):
                i = a * kw + b + 1
                out.append(eq(f"w_{i}^* = ", math(g(d["kernel"][a][b]), "kernel"), f" - {alpha} dot ",
                              math(v(d["dL_dkernel"][a][b]), "gradient"), " = ", math(rows[a][b].shown, "update")))
    else:
        out.append(eq("W^* = W - alpha (partial L)/(partial W)", worked=True))
        out.append(grids(value_grid("W^*", d["kernel_updated"], "update"), worked=True))
    out.append(eq("b^* = ", math(g(d["bias"]), "kernel"), f" - {alpha} dot ", math(v(d["dL_dbias"]), "gradient"),
                  " = ", math(bias.shown, "update")))
    return out
