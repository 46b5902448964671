"""mlp: the 2-2-2 network's worked example: dE/dw5, dE/dw1 (through both outputs), their updates."""

from convprop.exercises import numbers
from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.common import g, given_grid, v

TITLE = "The 2-2-2 network"


OUT_O1, NET_O1, OUT_H1, NET_H1 = '"out"_(o_1)', '"net"_(o_1)', '"out"_(h_1)', '"net"_(h_1)'


def _D(num, den):
    return f"(partial {num}) / (partial {den})"


def blocks(ask, s, pick) -> list:
    d, t = s.mlp, s.lesson.mlp
    w = d["weights"]
    eta = g(d["learning_rate"])
    out_h1 = ask.ask("out-h1", "out_h1 = sigmoid(net_h1), where net_h1 = w1 i1 + w2 i2 + b1.", "out_hidden[0]", "compute mlp")
    out_o1 = ask.ask("out-o1", "out_o1 = sigmoid(net_o1), where net_o1 = w5 out_h1 + w6 out_h2 + b2.", "out_output[0]",
                     "compute mlp")
    error = ask.ask("error-total", "E_total = 1/2 (t_o1 - out_o1)^2 + 1/2 (t_o2 - out_o2)^2.", "error_total", "compute mlp")
    g5 = ask.ask("dE-dw5", "dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5.", "gradients.w5", "compute mlp")
    w5 = ask.ask("w5-updated", f"w5* = w5 - eta dE/dw5 with eta = {eta}.", "weights_updated.w5", "compute mlp")
    g1 = ask.ask("dE-dw1", "dE/dw1 = dE/dout_h1 * dout_h1/dnet_h1 * dnet_h1/dw1, where dE/dout_h1 sums the routes "
                 "through o1 and o2.", "gradients.w1", "compute mlp")
    w1 = ask.ask("w1-updated", f"w1* = w1 - eta dE/dw1 with eta = {eta}.", "weights_updated.w1", "compute mlp")
    names = [f"w_{n}" for n in range(1, 9)]
    out = [par("The textbook network: inputs ", math("i_1, i_2", "input"), ", hidden units ", math("h_1, h_2"),
               ", outputs ", math("o_1, o_2"), ", every unit a sigmoid; ", math("w_1: i_1 -> h_1"), ", ",
               math("w_2: i_2 -> h_1"), ", ", math("w_3: i_1 -> h_2"), ", ", math("w_4: i_2 -> h_2"), ", ",
               math("w_5: h_1 -> o_1"), ", ", math("w_6: h_2 -> o_1"), ", ", math("w_7: h_1 -> o_2"), ", ",
               math("w_8: h_2 -> o_2"), "; bias ", math("b_1", "kernel"), " into both hidden units and ",
               math("b_2", "kernel"), " into both outputs (the biases are not updated); ",
               math("E_\"total\" = sum 1/2 (t - \"out\")^2"), " and learning rate ", math(f"eta = {eta}"), "."),
           grids(given_grid("i", [d["inputs"]], "input"), given_grid("t", [d["targets"]]),
                 given_grid(", ".join(names), [[w[n.replace("_", "")] for n in names]], "kernel"),
                 given_grid("b_1, b_2", [[d["biases"]["b1"], d["biases"]["b2"]]], "kernel")),
           boxes(box("\"out\"_(h_1)", out_h1, "output"), box("\"out\"_(o_1)", out_o1, "output"),
                 box("E_\"total\"", error, "output")),
           boxes(box(_D("E", "w_5"), g5, "gradient"), box("w_5^*", w5, "update")),
           boxes(box(_D("E", "w_1"), g1, "gradient"), box("w_1^*", w1, "update"))]
    i1, i2 = (g(x) for x in d["inputs"])
    out += [
        eq(f"\"net\"_(h_1) = {g(w['w1'])} dot {i1} + {g(w['w2'])} dot {i2} + {g(d['biases']['b1'])} = ",
           math(numbers.shown(d["net_hidden"][0]), "output"), ",  ", "\"out\"_(h_1) = sigma(\"net\"_(h_1)) = ",
           math(out_h1.shown, "output")),
        eq(f"\"net\"_(o_1) = {g(w['w5'])} dot {v(d['out_hidden'][0])} + {g(w['w6'])} dot {v(d['out_hidden'][1])} "
           f"+ {g(d['biases']['b2'])} = ", math(numbers.shown(d["net_output"][0]), "output"), ",  ",
           "\"out\"_(o_1) = ", math(out_o1.shown, "output"), ",  ", "\"out\"_(o_2) = ", math(numbers.shown(d["out_output"][1]), "output")),
        eq("E_\"total\" = ", f"1/2 ({g(d['targets'][0])} - {v(d['out_output'][0])})^2 + "
           f"1/2 ({g(d['targets'][1])} - {v(d['out_output'][1])})^2 = ", math(error.shown, "output")),
        eq(f"{_D('E', 'w_5')} = {_D('E', OUT_O1)} dot {_D(OUT_O1, NET_O1)} dot "
           f"{_D(NET_O1, 'w_5')} = ", math(f"{v(t.upstream[4])} dot {v(t.local[4])} dot {v(t.dnet_dw[4])}", "gradient"),
           " = ", math(g5.shown, "gradient")),
        eq(f"w_5^* = {g(w['w5'])} - {eta} dot ", math(v(d["gradients"]["w5"]), "gradient"), " = ", math(w5.shown, "update")),
        eq(f"{_D('E', OUT_H1)} = delta_(o_1) w_5 + delta_(o_2) w_7 = ",
           math(f"{v(t.dE_dout_hidden_terms[0, 0])} + {v(t.dE_dout_hidden_terms[0, 1])} = {numbers.shown(t.dE_dout_hidden[0])}", "gradient"),
           ",  \"where\"  ", "delta_o = (\"out\"_o - t_o) \"out\"_o (1 - \"out\"_o)"),
        eq(f"{_D('E', 'w_1')} = {_D('E', OUT_H1)} dot {_D(OUT_H1, NET_H1)} dot "
           f"{_D(NET_H1, 'w_1')} = ", math(f"{v(t.upstream[0])} dot {v(t.local[0])} dot {v(t.dnet_dw[0])}", "gradient"),
           " = ", math(g1.shown, "gradient")),
        eq(f"w_1^* = {g(w['w1'])} - {eta} dot ", math(v(d["gradients"]["w1"]), "gradient"), " = ", math(w1.shown, "update")),
    ]
    return out
