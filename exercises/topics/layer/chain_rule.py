"""chain-rule, for a layer: one weight of one filter's kernel for one channel,
dL/dW_(o,c)[a,b] = sum_k dL/dZ_o[k] * X_c under that tap at step k. Only filter o's map used
the weight, and only channel c's values sat under it."""

from convprop.exercises.document import box, boxes, grids, math, par
from convprop.exercises.topics.chain_rule import summed_terms
from convprop.exercises.topics.common import D, carried_grid, given_grid, padded_muted, step_name
from convprop.exercises.topics.layer.common import at, channel_of, filter_of, w_name, x_name, z_name

TITLE = "Chain rule for one kernel weight"
MAX_TERMS_ASKED = 9  # past this the terms are worked in the key but not each asked


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    kh, kw = c.kernel_size
    o, ch = filter_of(pick, "chain-rule", c), channel_of(pick, "chain-rule", c)
    i = pick.index("chain-rule", kh * kw)
    a, b = divmod(i, kw)
    w = at(w_name(o, ch), a, b)
    zk = f"{z_name(o)}[k]"
    gradient = t.conv_grad.channel_weight_gradients[o][ch][i]
    out = [par("The weight ", math(w, "kernel"), f" (filter {o + 1}, channel {ch + 1}, row {a + 1}, column {b + 1}) "
               "is used by every output of filter ", str(o + 1), "'s map and by no other map, so ",
               math(f"{D('L', w)} = sum_k {D('L', zk)} dot {D(zk, w)}"), ", where ",
               math(D(zk, w)), " is the value of ", math(x_name(ch), "input"), " that sat under ", math(w, "kernel"),
               " at step ", math("k"), " (steps numbered row by row from 1). Use ",
               math(D("L", z_name(o)), "gradient"), " as given here:"),
           grids(carried_grid(D("L", z_name(o)), d["dL_dz"][o], "gradient", source=f"dL_dz[{o}]"))]
    asked = []
    if len(gradient.terms) <= MAX_TERMS_ASKED:
        for n, term in enumerate(gradient.terms):
            k = step_name(term.k)
            q = ask.ask(f"W-{o + 1}-{ch + 1}-{i + 1}-term-{k}", f"The chain-rule term of step {k} for {w}: "
                        f"dL/d{z_name(o)}[{k}] times d{z_name(o)}[{k}]/d{w}.",
                        f"dL_dkernel_terms[{o}][{ch}][{i}][{n}].product")
            asked.append(box(f"{D('L', f'{z_name(o)}[{k}]')} dot {D(f'{z_name(o)}[{k}]', w)}", q, "gradient"))
    total = ask.ask(f"dL-dW-{o + 1}-{ch + 1}-{i + 1}", f"dL/d{w}, the sum of its chain-rule terms over every step of "
                    f"filter {o + 1}'s map.", f"dL_dkernel[{o}][{ch}][{a}][{b}]")
    asked.append(box(D("L", w), total, "gradient"))
    out.append(boxes(*asked))
    marks = {tuple(term.input_position): "focus" for term in gradient.terms}
    label = x_name(ch) + (" \"padded\"" if c.padding else "")
    out.append(grids(given_grid(label, d["padded_input"][ch], "input", marks=marks, muted=padded_muted(t.geometry)),
                     worked=True))
    return out + summed_terms(gradient, w, zk, total)
