"""chain-rule: one dL/dw_i, term by term: dL/dw_i = sum_k dL/dz_k * dz_k/dw_i."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import D, carried_grid, chunks, g, given_grid, padded_muted, step_name, v

TITLE = "Chain rule for one kernel weight"
MAX_TERMS_ASKED = 9  # past this the terms are worked in the key but not each asked


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    kh, kw = c.kernel_size
    i = pick.index("chain-rule", kh * kw)
    a, b = divmod(i, kw)
    w = f"w_{i + 1}"
    gradient = t.conv_grad.weight_gradients[i]
    out = [par("Every output ", math("z_k", "output"), " used ", math(w, "kernel"), ", so ",
               math(f"{D('L', w)} = sum_k {D('L', 'z_k')} dot {D('z_k', w)}"), ", where ",
               math(D("z_k", w)), " is the input value that sat under ", math(w, "kernel"), " at step ", math("k"),
               ". Use ", math(D("L", "Z"), "gradient"), " as given here:"),
           grids(carried_grid("(partial L)/(partial Z)", d["dL_dz"], "gradient", source="dL_dz"))]
    asked = []
    if len(gradient.terms) <= MAX_TERMS_ASKED:
        for n, term in enumerate(gradient.terms):
            k = step_name(term.k)
            q = ask.ask(f"term-{k}", f"The chain-rule term of step {k} for {w}: dL/dz_{k} times dz_{k}/d{w}.",
                        f"dL_dkernel_terms[{i}][{n}].product")
            asked.append(box(f"{D('L', 'z_' + k)} dot {D('z_' + k, w)}", q, "gradient"))
    total = ask.ask(f"dL-dw-{i + 1}", f"dL/d{w}, the sum of its chain-rule terms over every step.",
                    f"dL_dkernel[{a}][{b}]")
    asked.append(box(D("L", w), total, "gradient"))
    out.append(boxes(*asked))
    marks = {tuple(term.input_position): "focus" for term in gradient.terms}
    out.append(grids(given_grid("X \"padded\"" if c.padding else "X", d["padded_input"], "input",
                                marks=marks, muted=padded_muted(t.geometry)), worked=True))
    return out + summed_terms(gradient, w, "z_k", total)


def summed_terms(gradient, w: str, zk: str, total) -> list:
    """dL/dw as the sum of its chain-rule terms, the terms whose dL/dz is 0 left out and counted."""
    out = []
    terms = [term for term in gradient.terms if term.dL_dz != 0] or list(gradient.terms[:1])
    if len(terms) < len(gradient.terms):
        zeros = len(gradient.terms) - len(terms)
        out.append(par("Only the steps where ", math(D("L", zk), "gradient"), " is not 0 add anything; "
                       + ("the other term is 0." if zeros == 1 else f"the other {zeros} terms are 0."), worked=True))
    products = [f"{v(term.dL_dz)} dot {g(term.dz_dw)}" for term in terms]
    out.append(eq(f"{D('L', w)} = ", math(chunks(products, 3), "gradient")))
    out.append(eq("= ", math(chunks([v(term.product) for term in terms], 5), "gradient"),
                  " = ", math(total.shown, "gradient")))
    return out
