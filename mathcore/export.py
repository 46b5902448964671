"""Traces as plain JSON data: full float precision, matrices as nested row-major lists.

One channel, one filter and no dilation (the lecture's convolution) give 2-D matrices: input
H x W, kernel kh x kw, bias a number, z H' x W', and so on. Any other layer keeps every key with
its channel axes leading: input and padded_input C x H x W, kernel and kernel_updated
F x C x kh x kw, bias and bias_updated and dL_dbias lists of F, z, activated, pooled, dL_dz
F x rows x cols, patches C x H' x W' x kh x kw (each channel's windows, taps only), dL_dkernel
F x C x kh x kw, dL_dkernel_terms [filter][channel][weight][term], dL_dinput C x H x W (summed
over the filters); and it gains channels, filters, dilation and channel_sums
(F x C x H' x W': each channel's share of z before the bias).

Every trace's data ends with ``draw``: which of the seed's draws its seeded values are and why
the draws before it were drawn again (``mathcore.redraw``), and which values were given.
"""

import math

from convprop.mathcore.batch import BatchTrace
from convprop.mathcore.descent import DescentTrace
from convprop.mathcore.mlp import MLPTrace
from convprop.mathcore.model import ModelTrace
from convprop.mathcore.redraw import report_to_json


def plain_zeros(data):
    """The data with every -0.0 written as 0.0: an exact zero reads as 0, whatever sign a
    product of zero with a negative number left on it."""
    if isinstance(data, dict):
        return {key: plain_zeros(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain_zeros(value) for value in data]
    if isinstance(data, float) and data == 0:
        return 0.0
    return data


def trace_to_json(t: ModelTrace) -> dict:
    data = _trace_data(t) if t.config.is_single_channel else _layer_data(t)
    if t.draw is not None:  # which of the seed's draws, and why earlier ones were drawn again
        data["draw"] = report_to_json(t.draw)
    return plain_zeros(data)


def _terms(gradients) -> list:
    return [[{"k": term.k, "dL_dz": term.dL_dz, "dz_dw": term.dz_dw, "product": term.product} for term in g.terms]
            for g in gradients]


def _layer_data(t: ModelTrace) -> dict:
    """The trace of a layer with channels, filters or dilation: every key, channel axes first."""
    c, conv, grad = t.config, t.conv, t.conv_grad
    data = _trace_data(t)
    data.update({
        "channels": c.channels, "filters": c.filters, "dilation": list(c.dilation),
        "input": conv.X.tolist(), "padded_input": conv.X_padded.tolist(), "kernel": conv.W.tolist(),
        "bias": conv.b.tolist(), "z": conv.Z.tolist(), "channel_sums": conv.channel_sums.tolist(),
        "patches": conv.windows.tolist(), "activated": t.head.A.tolist(), "pooled": t.head.P.tolist(),
        "dL_dz": grad.dL_dZ.tolist(), "dL_dkernel": grad.dL_dW.tolist(),
        "dL_dkernel_terms": [[_terms(kernel) for kernel in row] for row in grad.channel_weight_gradients],
        "dL_dbias": grad.dL_db.tolist(), "dL_dinput": grad.dL_dX.tolist(),
        "kernel_updated": t.W_updated.tolist(), "bias_updated": t.b_updated.tolist(),
    })
    return data


def _trace_data(t: ModelTrace) -> dict:
    c = t.config
    return {
        "input": t.conv.input.tolist(),
        "padded_input": t.conv.padded_input.tolist(),
        "kernel": t.conv.kernel.tolist(),
        "kernel_name": t.kernel_name,
        "bias": t.conv.bias,
        "stride": list(c.stride),
        "padding": c.padding,
        "relu": c.relu,
        "pool": c.pool,
        "z": t.z.tolist(),
        "patches": t.conv.patches.tolist(),
        "activated": t.head.activated.tolist(),
        "pooled": t.head.pooled.tolist(),
        "features": t.head.features.tolist(),
        "fc_weight": t.values.fc_weight.tolist(),
        "fc_bias": t.values.fc_bias,
        "logit": t.head.logit,
        "y_hat": t.head.y_hat,
        "target": t.target,
        "loss": t.loss,
        "dL_dy_hat": t.dL_dy_hat if math.isfinite(t.dL_dy_hat) else None,  # null: the sigmoid saturated
        "dy_hat_dlogit": t.dy_hat_dlogit,
        "dL_dlogit": t.dL_dlogit,
        "dL_dz": t.dL_dz.tolist(),
        "dL_dkernel": t.conv_grad.dL_dkernel.tolist(),
        "dL_dkernel_terms": [
            [{"k": term.k, "dL_dz": term.dL_dz, "dz_dw": term.dz_dw, "product": term.product} for term in g.terms]
            for g in t.conv_grad.weight_gradients
        ],
        "dL_dbias": t.conv_grad.dL_dbias,
        "dL_dinput": t.conv_grad.dL_dinput.tolist(),
        "dL_dfc_weight": t.dL_dfc_weight.tolist(),
        "dL_dfc_bias": t.dL_dfc_bias,
        "learning_rate": t.learning_rate,
        "kernel_updated": t.kernel_updated.tolist(),
        "bias_updated": t.bias_updated,
        "fc_weight_updated": t.fc_weight_updated.tolist(),
        "fc_bias_updated": t.fc_bias_updated,
        "loss_updated": t.loss_updated,
    }


def _weights(array, prefix: str) -> dict:
    """w1..w8 (or b1, b2) by name, as the worked example names them."""
    return {f"{prefix}{i}": float(x) for i, x in enumerate(array, start=1)}


def batch_to_json(b: BatchTrace) -> dict:
    """The mini-batch pipeline: each image's values and gradients, and the averaged ones (with
    channels, filters or dilation: inputs C x H x W, kernels F x C x kh x kw, biases lists of F),
    and ``draw``: which of the seed's draws the pipeline's seeded values are (``mathcore.redraw``)."""
    data = _batch_data(b) if b.config.is_single_channel else _batch_layer_data(b)
    if b.samples[0].draw is not None:
        data["draw"] = report_to_json(b.samples[0].draw)
    return plain_zeros(data)


def _batch_layer_data(b: BatchTrace) -> dict:
    def gradients(dL_dW, dL_db, dL_dfc_weight, dL_dfc_bias) -> dict:
        return {"dL_dkernel": dL_dW.tolist(), "dL_dbias": dL_db.tolist(),
                "dL_dfc_weight": dL_dfc_weight.reshape(-1).tolist(), "dL_dfc_bias": float(dL_dfc_bias)}

    c = b.config
    data = _batch_data(b)
    data.update({
        "channels": c.channels, "filters": c.filters, "dilation": list(c.dilation),
        "inputs": [s.values.X.tolist() for s in b.samples],
        "per_sample": [gradients(s.conv_grad.dL_dW, s.conv_grad.dL_db, s.dL_dfc_weight, s.dL_dfc_bias)
                       for s in b.samples],
        "averaged": gradients(b.dL_dW, b.dL_db, b.dL_dfc_weight, b.dL_dfc_bias),
        "kernel_updated": b.W_updated.tolist(), "bias_updated": b.b_updated.tolist(),
    })
    return data


def _batch_data(b: BatchTrace) -> dict:
    def gradients(dL_dkernel, dL_dbias, dL_dfc_weight, dL_dfc_bias) -> dict:
        return {"dL_dkernel": dL_dkernel.tolist(), "dL_dbias": float(dL_dbias),
                "dL_dfc_weight": dL_dfc_weight.reshape(-1).tolist(), "dL_dfc_bias": float(dL_dfc_bias)}

    return {
        "size": b.size,
        "relu": b.config.relu,
        "pool": b.config.pool,
        "shapes": {name: list(shape) for name, shape in b.shapes.items()},
        "parameter_counts": b.parameter_counts,
        "inputs": [s.values.input.tolist() for s in b.samples],
        "targets": b.targets[0].tolist(),
        "features": b.features.tolist(),  # one column per image
        "logits": b.logits[0].tolist(),
        "predictions": b.predictions[0].tolist(),
        "losses": b.losses.tolist(),
        "loss": b.loss,
        "per_sample": [
            gradients(s.conv_grad.dL_dkernel, s.conv_grad.dL_dbias, s.dL_dfc_weight, s.dL_dfc_bias)
            for s in b.samples
        ],
        "averaged": gradients(b.dL_dkernel, b.dL_dbias, b.dL_dfc_weight, b.dL_dfc_bias),
        "learning_rate": b.learning_rate,
        "kernel_updated": b.kernel_updated.tolist(),
        "bias_updated": b.bias_updated,
        "fc_weight_updated": b.fc_weight_updated.tolist(),
        "fc_bias_updated": b.fc_bias_updated,
        "loss_updated": b.loss_updated,
    }


def mlp_to_json(t: MLPTrace) -> dict:
    """The 2-2-2 worked example under the names the textbook uses."""
    v, f = t.values, t.forward
    return {
        "inputs": v.inputs.tolist(),
        "targets": v.targets.tolist(),
        "weights": _weights(v.weights, "w"),
        "biases": _weights(v.biases, "b"),
        "net_hidden": f.net_hidden.tolist(),
        "out_hidden": f.out_hidden.tolist(),
        "net_output": f.net_output.tolist(),
        "out_output": f.out_output.tolist(),
        "error_total": f.error_total,
        "gradients": _weights(t.gradients, "w"),
        "learning_rate": v.learning_rate,
        "weights_updated": _weights(t.weights_updated, "w"),
        "error_total_after": t.error_total_after,
    }


def descent_to_json(d: DescentTrace) -> dict:
    """The loss after every step, per learning rate, on the network and on the bowl."""
    return {
        "rates": list(d.rates),
        "steps": d.steps,
        "network": [{"learning_rate": r.learning_rate, "losses": r.losses.tolist(), "behaviour": r.behaviour}
                    for r in d.network],
        "bowl": {"curvature": d.bowl.curvature, "minimum": d.bowl.minimum, "start": d.bowl.start},
        "bowl_runs": [{"learning_rate": r.learning_rate, "positions": r.positions.tolist(),
                       "losses": r.losses.tolist(), "factor": r.factor, "behaviour": r.behaviour}
                      for r in d.bowl_runs],
    }
