"""update, for a layer: one filter's kernel for one channel, W_(o,c)* = W_(o,c) - alpha dL/dW_(o,c),
entry by entry, and the filter's bias b_o* likewise. Every other kernel steps the same way."""

from convprop.exercises import numbers
from convprop.exercises.document import box, box_grid, boxes, eq, grids, math, par
from convprop.exercises.topics.common import video_decimals, D, carried_grid, carried_math, g, given_grid, v, value_grid
from convprop.exercises.topics.layer.common import at, b_name, channel_of, filter_of, w_name

TITLE = "Gradient-descent update"
MAX_ENTRIES_WRITTEN = 9  # the key writes each entry's step out up to this many


def blocks(ask, s, pick) -> list:
    c, d = s.lesson.model.config, s.cnn
    kh, kw = c.kernel_size
    o, ch = filter_of(pick, "update", c), channel_of(pick, "update", c)
    W, b = w_name(o, ch), b_name(o)
    alpha = g(d["learning_rate"])
    rows = [[ask.ask(f"W-{o + 1}-{ch + 1}-{a * kw + b_ + 1}-updated",
                     f"{at(W, a, b_)}* = {at(W, a, b_)} - alpha dL/d{at(W, a, b_)}, the weight of filter {o + 1} on "
                     f"channel {ch + 1}, row {a + 1}, column {b_ + 1}, after one step.",
                     f"kernel_updated[{o}][{ch}][{a}][{b_}]") for b_ in range(kw)] for a in range(kh)]
    bias = ask.ask(f"b-{o + 1}-updated", f"{b}* = {b} - alpha dL/d{b}, filter {o + 1}'s bias after one step.",
                   f"bias_updated[{o}]")
    kernel, grad = d["kernel"][o][ch], d["dL_dkernel"][o][ch]
    out = [par("Take one step of gradient descent with ", math(f"alpha = {alpha}"), " on the kernel filter ", str(o + 1),
               " lays on channel ", str(ch + 1), " and on its bias, using ", math(D("L", W), "gradient"), " and ",
               math(D("L", b), "gradient"), " as given:"),
           grids(given_grid(W, kernel, "kernel", decimals=video_decimals(s, "kernel")), carried_grid(D("L", W), grad, "gradient", source=f"dL_dkernel[{o}][{ch}]")),
           par(math(f"{b} = {numbers.as_video(d['bias'][o], video_decimals(s, 'bias'))}", "kernel"), ",   ",
               carried_math(f"{D('L', b)} = ", d["dL_dbias"][o], "gradient", source=f"dL_dbias[{o}]"), "."),
           box_grid(f"{W}^*", rows, "update"),
           boxes(box(f"{b}^*", bias, "update"))]
    if kh * kw <= MAX_ENTRIES_WRITTEN:
        for a in range(kh):
            for b_ in range(kw):
                out.append(eq(f"{at(W, a, b_)}^* = ", math(g(kernel[a][b_]), "kernel"), f" - {alpha} dot ",
                              math(v(grad[a][b_]), "gradient"), " = ", math(rows[a][b_].shown, "update")))
    else:
        out.append(eq(f"{W}^* = {W} - alpha (partial L)/(partial {W})", worked=True))
        out.append(grids(value_grid(f"{W}^*", d["kernel_updated"][o][ch], "update"), worked=True))
    out.append(eq(f"{b}^* = ", math(g(d["bias"][o]), "kernel"), f" - {alpha} dot ", math(v(d["dL_dbias"][o]), "gradient"),
                  " = ", math(bias.shown, "update")))
    return out
