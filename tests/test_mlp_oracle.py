"""The 2-2-2 sigmoid network of the worked example (E = sum 1/2 (target - out)^2, one SGD step)
against three independent oracles: torch autograd in float64, finite differences, and the numbers
published with the example (Matt Mazur, "A Step by Step Backpropagation Example", 2015)."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from convprop.mathcore import ConfigError
from convprop.mathcore.mlp import TEXTBOOK, MLPValues, mlp_forward, mlp_values, run_mlp
from tests.torch_reference import TOL, central_difference, np64, num, t64

torch.set_default_dtype(torch.float64)

SETTINGS = settings(max_examples=60, deadline=None)

# which unit each weight feeds (0, 1: h1, h2; 2, 3: o1, o2) and which value it multiplies, by the
# textbook's numbering: w1 i1->h1, w2 i2->h1, w3 i1->h2, w4 i2->h2, w5 h1->o1, w6 h2->o1, w7 h1->o2, w8 h2->o2
FEEDS = (0, 0, 1, 1, 2, 2, 3, 3)


# --- the torch reference --------------------------------------------------------------------------

def torch_mlp(inputs, targets, weights, biases, learning_rate) -> dict:
    """The network in torch autograd, each factor read from autograd, then one torch.optim.SGD step."""
    i, t, b = t64(inputs), t64(targets), t64(biases)
    w = t64(weights, grad=True)

    def forward(w):
        net_h = w[:4].reshape(2, 2) @ i + b[0]
        out_h = torch.sigmoid(net_h)
        net_o = w[4:].reshape(2, 2) @ out_h + b[1]
        out_o = torch.sigmoid(net_o)
        errors = 0.5 * (t - out_o) ** 2
        return net_h, out_h, net_o, out_o, errors

    net_h, out_h, net_o, out_o, errors = forward(w)
    for x in (net_h, out_h, net_o, out_o):
        x.retain_grad()
    E = errors.sum()
    E.backward(retain_graph=True)
    grads = {name: np64(x.grad) for name, x in (("net_h", net_h), ("out_h", out_h), ("net_o", net_o), ("out_o", out_o),
                                                 ("w", w))}
    # dE_o/dout_h through one output alone: the textbook's "dE_o1/dout_h1" terms, [h, o]. (Read after
    # the .grad fields above: a retained .grad also accumulates during autograd.grad.)
    terms = torch.stack([torch.autograd.grad(errors[o], out_h, retain_graph=True)[0] for o in range(2)], dim=1)

    def local(net):  # dout/dnet of each unit: sigmoid is elementwise, so the Jacobian is diagonal
        n = net.detach().clone().requires_grad_(True)
        torch.sigmoid(n).sum().backward()
        return np64(n.grad)

    def nets(wv):  # the units' nets with the values feeding them held fixed
        return torch.cat([wv[:4].reshape(2, 2) @ i + b[0], wv[4:].reshape(2, 2) @ out_h.detach() + b[1]])

    J = np64(torch.autograd.functional.jacobian(nets, w.detach()))  # (4 units, 8 weights)
    dE_dout = np.concatenate([grads["out_h"], grads["out_o"]])
    dout_dnet = np.concatenate([local(net_h), local(net_o)])
    out = {
        "net_hidden": np64(net_h), "out_hidden": np64(out_h), "net_output": np64(net_o), "out_output": np64(out_o),
        "errors": np64(errors), "error_total": num(E),
        "dE_dout_output": grads["out_o"], "dout_dnet_output": local(net_o), "delta_output": grads["net_o"],
        "dE_dout_hidden_terms": np64(terms), "dE_dout_hidden": grads["out_h"],
        "dout_dnet_hidden": local(net_h), "delta_hidden": grads["net_h"],
        "upstream": dE_dout[list(FEEDS)], "local": dout_dnet[list(FEEDS)],
        "dnet_dw": J[list(FEEDS), range(8)], "jacobian": J, "gradients": grads["w"],
    }
    torch.optim.SGD([w], lr=learning_rate).step()
    with torch.no_grad():
        after = forward(w)
    out["weights_updated"] = np64(w)
    out["after"] = dict(zip(("net_hidden", "out_hidden", "net_output", "out_output", "errors"), map(np64, after)))
    out["after"]["error_total"] = num(after[-1].sum())
    return out


def reference(values: MLPValues) -> dict:
    return torch_mlp(values.inputs, values.targets, values.weights, values.biases, values.learning_rate)


FORWARD = ("net_hidden", "out_hidden", "net_output", "out_output", "errors", "error_total")
BACKWARD = ("dE_dout_output", "dout_dnet_output", "delta_output", "dE_dout_hidden_terms", "dE_dout_hidden",
            "dout_dnet_hidden", "delta_hidden", "upstream", "local", "dnet_dw", "gradients", "weights_updated")


def close(actual, expected, name, **tol):
    a, e = np.asarray(actual, float), np.asarray(expected, float)
    assert a.shape == e.shape, (name, a.shape, e.shape)
    np.testing.assert_allclose(a, e, err_msg=name, **(tol or TOL))


def check_against_torch(values: MLPValues):
    trace, ref = run_mlp(values), reference(values)
    for key in FORWARD:
        close(getattr(trace.forward, key), ref[key], key)
        close(getattr(trace.forward_after, key), ref["after"][key], f"forward_after.{key}")
    for key in BACKWARD:
        close(getattr(trace, key), ref[key], key)
    # the three chain-rule factors of each weight multiply to its gradient
    close(trace.upstream * trace.local * trace.dnet_dw, trace.gradients, "upstream * local * dnet_dw")
    close(trace.dE_dout_hidden_terms.sum(axis=1), trace.dE_dout_hidden, "sum of the terms")
    assert trace.error_total_after == pytest.approx(ref["after"]["error_total"], rel=1e-9, abs=1e-12)
    assert trace.learning_rate == values.learning_rate
    # each weight feeds exactly one unit: the textbook's numbering (zero only where the fed value is)
    J = ref["jacobian"]
    for n in range(8):
        assert all(J[u, n] == 0 for u in range(4) if u != FEEDS[n]), f"w{n + 1}"
    return trace


# --- hypothesis against torch -------------------------------------------------------------------------

def floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def given_values(draw):
    return {
        "inputs": draw(st.lists(floats(-10, 10), min_size=2, max_size=2)),
        "targets": draw(st.lists(st.one_of(floats(0, 1), st.sampled_from([0.0, 1.0])), min_size=2, max_size=2)),
        "weights": draw(st.lists(floats(-10, 10), min_size=8, max_size=8)),
        "biases": draw(st.lists(floats(-10, 10), min_size=2, max_size=2)),
    }


@SETTINGS
@given(given_values(), st.one_of(floats(1e-3, 10), st.sampled_from([0.5, 1.0, 50.0, 1000.0])))
def test_mlp_matches_torch_autograd(raw, rate):
    values = mlp_values(raw, learning_rate=rate)
    for name in ("inputs", "targets", "weights", "biases"):  # the given values replace the textbook's
        np.testing.assert_array_equal(getattr(values, name), raw[name])
    assert values.learning_rate == rate
    check_against_torch(values)


@SETTINGS
@given(given_values())
def test_mlp_matches_finite_differences(raw):
    values = mlp_values(raw)
    trace = run_mlp(values)
    fd = central_difference(lambda w: mlp_forward(values, w).error_total, values.weights)
    np.testing.assert_allclose(trace.gradients, fd, rtol=1e-6, atol=1e-9)
    # delta_hidden = dE/dnet_h, by shifting one hidden unit's net in a forward pass written out here
    h = 1e-6

    def error_with_hidden_net_shift(unit, d):
        net_h = values.hidden_weights @ values.inputs + values.biases[0]
        net_h[unit] += d
        out_h = 1 / (1 + np.exp(-net_h))
        out_o = 1 / (1 + np.exp(-(values.output_weights @ out_h + values.biases[1])))
        return float(np.sum(0.5 * (values.targets - out_o) ** 2))

    fd_delta = [(error_with_hidden_net_shift(u, h) - error_with_hidden_net_shift(u, -h)) / (2 * h) for u in range(2)]
    np.testing.assert_allclose(trace.delta_hidden, fd_delta, rtol=1e-6, atol=1e-9)


def test_textbook_matches_torch():
    assert run_mlp().values is TEXTBOOK
    check_against_torch(TEXTBOOK)


# --- the published numbers of the worked example ----------------------------------------------------------

def decimals(published: str) -> int:
    return len(published.split(".")[1])


def at_published_precision(got: float, published: str, name: str):
    """``got`` rounds to the printed figure: within half a unit of its last printed digit."""
    tol = 0.5 * 10.0 ** -decimals(published) * (1 + 1e-9)
    assert abs(got - float(published)) <= tol, f"{name}: got {got!r}, published {published}"


def test_textbook_forward_pass_matches_the_published_numbers():
    fwd = run_mlp().forward
    at_published_precision(fwd.net_hidden[0], "0.3775", "net_h1")
    at_published_precision(fwd.out_hidden[0], "0.593269992", "out_h1")
    at_published_precision(fwd.out_hidden[1], "0.596884378", "out_h2")
    at_published_precision(fwd.net_output[0], "1.105905967", "net_o1")
    at_published_precision(fwd.out_output[0], "0.75136507", "out_o1")
    at_published_precision(fwd.out_output[1], "0.772928465", "out_o2")
    at_published_precision(fwd.errors[0], "0.274811083", "E_o1")
    at_published_precision(fwd.errors[1], "0.023560026", "E_o2")
    at_published_precision(fwd.error_total, "0.298371109", "E_total")


def test_textbook_updated_weights_match_the_published_numbers():
    updated = run_mlp().weights_updated
    published = ("0.149780716", "0.19956143", "0.24975114", "0.29950229",
                 "0.35891648", "0.408666186", "0.511301270", "0.561370121")
    for n, figure in enumerate(published):
        at_published_precision(updated[n], figure, f"w{n + 1}+")


def test_textbook_chain_rule_factors_match_the_published_numbers():
    """The article's factors of dE/dw5 and dE/dw1, which the scene shows one by one."""
    t = run_mlp()
    # dE/dw5 = dE_total/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5
    at_published_precision(t.upstream[4], "0.74136507", "dE_total/dout_o1")
    at_published_precision(t.local[4], "0.186815602", "dout_o1/dnet_o1")
    at_published_precision(t.dnet_dw[4], "0.593269992", "dnet_o1/dw5")
    at_published_precision(t.gradients[4], "0.082167041", "dE_total/dw5")
    # dE/dw1 = dE_total/dout_h1 * dout_h1/dnet_h1 * dnet_h1/dw1, with dE_o1/dout_h1 one of its two terms
    at_published_precision(t.dE_dout_hidden_terms[0, 0], "0.055399425", "dE_o1/dout_h1")
    at_published_precision(t.upstream[0], "0.036350306", "dE_total/dout_h1")
    at_published_precision(t.local[0], "0.241300709", "dout_h1/dnet_h1")
    at_published_precision(t.dnet_dw[0], "0.05", "dnet_h1/dw1")
    at_published_precision(t.gradients[0], "0.000438568", "dE_total/dw1")


def test_textbook_values_are_the_published_inputs():
    values = mlp_values()
    np.testing.assert_array_equal(values.inputs, [0.05, 0.10])
    np.testing.assert_array_equal(values.targets, [0.01, 0.99])
    np.testing.assert_array_equal(values.weights, [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])
    np.testing.assert_array_equal(values.biases, [0.35, 0.60])
    assert values.learning_rate == 0.5
    # the step lowers the error of the example, as the article reports
    trace = run_mlp(values)
    assert trace.error_total_after < trace.error_total


# --- mlp_values: given values and validation ------------------------------------------------------------

def test_given_values_replace_the_textbooks():
    values = mlp_values({"inputs": [1, -2], "targets": [0, 1], "weights": [0.1 * k for k in range(8)],
                         "biases": [-0.5, 0.25], "learning_rate": 0.03})
    np.testing.assert_array_equal(values.inputs, [1.0, -2.0])
    np.testing.assert_array_equal(values.targets, [0.0, 1.0])
    np.testing.assert_array_equal(values.weights, [0.1 * k for k in range(8)])
    np.testing.assert_array_equal(values.biases, [-0.5, 0.25])
    assert values.learning_rate == 0.03
    check_against_torch(values)


def test_named_entries_replace_only_themselves():
    values = mlp_values({"weights": {"w5": 0.3, "w2": -1}, "biases": {"b2": 0.0}, "targets": {"t1": 0.5},
                         "inputs": {"i2": 7}})
    expected = TEXTBOOK.weights.copy()
    expected[4], expected[1] = 0.3, -1.0
    np.testing.assert_array_equal(values.weights, expected)
    np.testing.assert_array_equal(values.biases, [0.35, 0.0])
    np.testing.assert_array_equal(values.targets, [0.5, 0.99])
    np.testing.assert_array_equal(values.inputs, [0.05, 7.0])
    assert values.learning_rate == TEXTBOOK.learning_rate
    # the textbook itself is untouched, and read-only
    np.testing.assert_array_equal(TEXTBOOK.weights, [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])
    with pytest.raises(ValueError):
        TEXTBOOK.weights[0] = 1.0
    check_against_torch(values)


def test_learning_rate_given_twice_must_agree():
    assert mlp_values({"learning_rate": 0.2}, learning_rate=0.2).learning_rate == 0.2
    with pytest.raises(ConfigError, match="learning_rate"):
        mlp_values({"learning_rate": 0.2}, learning_rate=0.3)
    assert mlp_values(learning_rate=7).learning_rate == 7.0


NAN, INF = float("nan"), float("inf")

BAD = [
    # unknown keys
    ({"weight": [0.0] * 8}, "weight"),
    ({"learning-rate": 0.1}, "learning-rate"),
    ({"weights": {"w9": 0.1}}, "weights"),
    ({"biases": {"b3": 0.1}}, "biases"),
    ({"inputs": {"x1": 0.1}}, "inputs"),
    # wrong lengths, or not a list
    ({"inputs": [0.1]}, "inputs"),
    ({"inputs": [0.1, 0.2, 0.3]}, "inputs"),
    ({"targets": [0.5]}, "targets"),
    ({"weights": [0.1] * 7}, "weights"),
    ({"weights": [0.1] * 9}, "weights"),
    ({"biases": []}, "biases"),
    ({"inputs": 0.5}, "inputs"),
    ({"weights": "0.1,0.2"}, "weights"),
    # not numbers
    ({"inputs": ["a", 0.1]}, "inputs"),
    ({"weights": [0.1] * 7 + [None]}, "weights"),
    ({"biases": [[0.1], 0.2]}, "biases"),
    ({"weights": {"w3": "0.5"}}, "weights"),
    ({"learning_rate": "0.5"}, "learning_rate"),
    ({"learning_rate": None}, "learning_rate"),
    ({"learning_rate": [0.5]}, "learning_rate"),
    # booleans are not numbers, even where 0 or 1 would be allowed
    ({"targets": [True, 0.5]}, "targets"),
    ({"targets": {"t2": False}}, "targets"),
    ({"inputs": [0.1, True]}, "inputs"),
    ({"learning_rate": True}, "learning_rate"),
    # NaN and infinities
    ({"inputs": [NAN, 0.1]}, "inputs"),
    ({"weights": [0.1] * 7 + [INF]}, "weights"),
    ({"biases": [-INF, 0.0]}, "biases"),
    ({"biases": {"b1": NAN}}, "biases"),
    ({"targets": [NAN, 0.5]}, "targets"),
    ({"learning_rate": NAN}, "learning_rate"),
    ({"learning_rate": INF}, "learning_rate"),
    # targets outside [0, 1], the range of a sigmoid
    ({"targets": [-0.1, 0.5]}, "targets"),
    ({"targets": [0.5, 1.0001]}, "targets"),
    ({"targets": {"t1": 2}}, "targets"),
    # learning rates at or below 0, or above 1000
    ({"learning_rate": 0}, "learning_rate"),
    ({"learning_rate": 0.0}, "learning_rate"),
    ({"learning_rate": -0.5}, "learning_rate"),
    ({"learning_rate": 1000.5}, "learning_rate"),
    ({"learning_rate": 1e6}, "learning_rate"),
    # values beyond what a node label shows
    ({"inputs": [101, 0.0]}, "inputs"),
    ({"weights": {"w8": -1e3}}, "weights"),
]


def names_the_key(message: str, key: str) -> bool:
    return key in message or key.replace("_", " ") in message


@pytest.mark.parametrize("bad, key", BAD, ids=[repr(b) for b, _ in BAD])
def test_mlp_values_rejects_bad_values_naming_the_key(bad, key):
    with pytest.raises(ConfigError) as info:
        mlp_values(bad)
    message = str(info.value)
    assert names_the_key(message, key), message
    assert "\n" not in message


@pytest.mark.parametrize("rate", [0, 0.0, -1.0, 1000.0001, 1e9, NAN, INF, -INF])
def test_learning_rate_argument_outside_the_range_raises(rate):
    with pytest.raises(ConfigError) as info:
        mlp_values(learning_rate=rate)
    assert names_the_key(str(info.value), "learning_rate")


@pytest.mark.parametrize("rate", [1e-6, 0.5, 100, 250.0, 1000])
def test_every_rate_up_to_1000_is_accepted_by_the_argument_and_by_the_values(rate):
    """(0, 1000] is the learning rate's range everywhere (MAX_LEARNING_RATE); the same rate must be
    accepted whether it comes as --learning-rate or as "learning_rate" in --values."""
    assert mlp_values(learning_rate=rate).learning_rate == rate
    assert mlp_values({"learning_rate": rate}).learning_rate == rate


def test_unknown_key_message_lists_the_allowed_keys():
    with pytest.raises(ConfigError) as info:
        mlp_values({"bias": [0.1, 0.2]})
    for key in ("inputs", "targets", "weights", "biases", "learning_rate"):
        assert key in str(info.value)
    assert math.isclose(run_mlp(mlp_values({})).error_total, run_mlp().error_total)
