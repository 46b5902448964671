"""Hypothesis strategies shared by the oracle tests."""

import numpy as np
from hypothesis import assume, strategies as st

from convprop.mathcore import ConfigError, ModelConfig
from convprop.mathcore.config import MAX_INPUT_SIDE, MAX_KERNEL_SIDE


@st.composite
def configs(draw):
    """Any valid lecture configuration, up to the CLI's limits (strides up to 4 keep the
    interesting cases: a stride larger than the kernel, non-tiling strides)."""
    kernel = (draw(st.integers(1, MAX_KERNEL_SIDE)), draw(st.integers(1, MAX_KERNEL_SIDE)))
    config = ModelConfig(
        input_size=(draw(st.integers(1, MAX_INPUT_SIDE)), draw(st.integers(1, MAX_INPUT_SIDE))),
        kernel_size=kernel,
        stride=(draw(st.integers(1, 4)), draw(st.integers(1, 4))),
        padding=draw(st.integers(0, min(kernel) - 1)),
        relu=draw(st.booleans()),
        pool=draw(st.sampled_from([0, 0, 1, 2, 3])),
        seed=draw(st.integers(0, 2**32 - 1)),
        learning_rate=draw(st.sampled_from([0.1, 0.5, 1.0, 0.01, 2.0])),
    )
    try:
        config.validate()
    except ConfigError:
        assume(False)
    return config


@st.composite
def configs_and_values(draw):
    """A valid config, and sometimes the user's own full-precision values instead of the seed's."""
    config = draw(configs())
    if not draw(st.booleans()):
        return config, None
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    given_values = {
        "input": rng.uniform(-2, 2, config.input_size).tolist(),
        "kernel": rng.uniform(-2, 2, config.kernel_size).tolist(),
        "bias": float(rng.uniform(-1, 1)),
        "fc_weight": rng.uniform(-2, 2, int(np.prod(config.pooled_size))).tolist(),
        "fc_bias": float(rng.uniform(-1, 1)),
        "target": float(rng.choice([0.0, 1.0, rng.uniform(0, 1)])),
    }
    return config, given_values
