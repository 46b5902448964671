"""learning-rate: on the bowl L(w) = 1/2 h (w - w_min)^2 each step multiplies the distance to the
minimum by 1 - alpha h; what that factor does for each rate."""

from convprop.exercises import numbers
from convprop.exercises.document import box, boxes, eq, math, par
from convprop.exercises.topics.common import g

TITLE = "The learning rate"
BEHAVIOURS = "crawls / converges / oscillates / diverges"


def blocks(ask, s, pick) -> list:
    d = s.descent
    bowl = d["bowl"]
    h, w0, wmin = (numbers.given(bowl[k]) for k in ("curvature", "start", "minimum"))
    out = [par("Gradient descent on the bowl ", math("L(w) = 1/2 h (w - w_min)^2"), " with ", math(f"h = {h}"), ", ",
               math(f"w_min = {wmin}"), ", starting at ", math(f"w_0 = {w0}"), ": each step ",
               math("w_(t+1) = w_t - alpha h (w_t - w_min)", "update"), " multiplies the distance to the minimum by ",
               math("1 - alpha h"), ". For each learning rate give that factor and the first step ", math("w_1"),
               f", and circle what the run does over {s.lesson.descent.bowl_steps} steps.")]
    for n, run in enumerate(d["bowl_runs"]):
        alpha = numbers.given(run["learning_rate"])
        factor = ask.ask(f"factor-{n + 1}", f"1 - alpha h on the bowl for alpha = {alpha} (h = {h}).",
                         f"bowl_runs[{n}].factor", "compute learning-rate")
        first = ask.ask(f"w1-{n + 1}", f"w_1, the first step from w_0 = {w0} on the bowl with alpha = {alpha}.",
                        f"bowl_runs[{n}].positions[1]", "compute learning-rate")
        out.append(par(math(f"alpha = {alpha}", "update"), ":   ", BEHAVIOURS, sheet_only=True))
        out.append(par(math(f"alpha = {alpha}", "update"), ":   the run ", math(f"\"{run['behaviour']}\"", "focus"),
                       worked=True))
        out.append(boxes(box("1 - alpha h", factor), box("w_1", first, "update")))
        out.append(eq(f"1 - {g(run['learning_rate'])} dot {h} = {factor.shown}, quad w_1 = {wmin} + ({factor.shown})"
                      f"({w0} - {wmin}) = ", math(first.shown, "update")))
        positions = ", ".join(numbers.given(x, cap=4) for x in run["positions"])
        out.append(par("Positions ", math("w_0, w_1, ...", "update"), ": ", positions, ".", worked=True))
    return out
