"""Hypothesis strategies shared by the oracle tests."""

from hypothesis import assume, strategies as st

from mathcore import ConfigError, ModelConfig


@st.composite
def configs(draw):
    """Any valid lecture configuration, up to the CLI's limits (strides up to 4 keep the
    interesting cases: a stride larger than the kernel, non-tiling strides)."""
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    config = ModelConfig(
        input_size=(draw(st.integers(1, 12)), draw(st.integers(1, 12))),
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
