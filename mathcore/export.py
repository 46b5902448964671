"""The trace as plain JSON data: full float precision, matrices as nested row-major lists."""

import math

from mathcore.model import ModelTrace


def trace_to_json(t: ModelTrace) -> dict:
    c = t.config
    return {
        "input": t.conv.input.tolist(),
        "padded_input": t.conv.padded_input.tolist(),
        "kernel": t.conv.kernel.tolist(),
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
