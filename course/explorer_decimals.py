"""How many decimals the explorer writes each value with: the video's rules, as data.

The scenes write a given value (X, W, b, the dense weights and bias) with the fewest decimals
that write it exactly, one to four (``mathcore.values.decimals_to_show``); the target and the
learning rate likewise but from none (``scenes.kit.numbers.exact_decimals``); the forward maps
z, ReLU(z), the pooled map and the features with two; the head's numbers, every gradient and
every updated value with three (``weight_update.LOSS_DECIMALS``, the gradient scenes' grids).

The page does its own formatting in JavaScript, so the rules are written once here and handed
to it as JSON (``spec()``, embedded in the page); the tests hold both sides to the scenes' own
functions and constants. Nothing here imports Manim.
"""

from convprop.mathcore.values import GIVEN_DECIMALS, MAX_SHOWN_DECIMALS

MAP_DECIMALS = 2  # z, ReLU(z), the pooled map and the features, as the forward pass and the head write them
GRADIENT_DECIMALS = 3  # the head's numbers, every gradient, every updated value and both losses
MINUS = "\u2212"  # the true minus sign the video draws (``scenes.kit.numbers.MINUS``)

GIVEN = ("input", "padded_input", "kernel", "bias", "fc_weight", "fc_bias")
EXACT = ("target", "learning_rate")
MAPS = ("z", "activated", "pooled", "features")
THREE = ("logit", "y_hat", "loss", "dL_dy_hat", "dy_hat_dlogit", "dL_dlogit", "dL_dz", "dL_dkernel",
         "dL_dbias", "dL_dinput", "dL_dfc_weight", "dL_dfc_bias", "kernel_updated", "bias_updated",
         "fc_weight_updated", "fc_bias_updated", "loss_updated", "dL_dpooled", "dL_dactivated")


def spec() -> dict:
    """The rules as plain data: per key, ``given`` (fewest exact decimals, from ``least`` to
    ``most``, the same for every entry of the key: padded_input follows input), ``exact`` (fewest
    exact decimals from 0 to ``most``, per value) or a fixed count."""
    return {
        "given": {"keys": list(GIVEN), "least": GIVEN_DECIMALS, "most": MAX_SHOWN_DECIMALS},
        "exact": {"keys": list(EXACT), "most": MAX_SHOWN_DECIMALS, "tolerance": 1e-9},
        "fixed": {**{key: MAP_DECIMALS for key in MAPS}, **{key: GRADIENT_DECIMALS for key in THREE}},
        "minus": MINUS,
    }
