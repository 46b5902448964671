"""The pieces the backward-pass videos show, each against torch: the two factors of dL/ds, and
dL/dX as a full convolution of the dilated, zero-padded dL/dZ with the kernel turned 180°."""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from convprop.mathcore import ConfigError, ModelConfig, run_model
from tests.torch_reference import t64

torch.set_default_dtype(torch.float64)


@st.composite
def configs(draw):
    config = ModelConfig(
        input_size=(draw(st.integers(1, 12)), draw(st.integers(1, 12))),
        kernel_size=(draw(st.integers(1, 5)), draw(st.integers(1, 5))),
        stride=(draw(st.integers(1, 4)), draw(st.integers(1, 4))),
        padding=draw(st.integers(0, 4)), relu=draw(st.booleans()), seed=draw(st.integers(0, 10_000)),
    )
    try:
        return config.validate()
    except ConfigError:
        assume(False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_loss_gradient_factors_match_autograd(config):
    trace = run_model(config)
    logit = t64(trace.head.logit, grad=True)
    y_hat = torch.sigmoid(logit)
    y_hat.retain_grad()
    F.binary_cross_entropy(y_hat, torch.tensor(trace.target)).backward()
    s = t64(trace.head.logit, grad=True)
    torch.sigmoid(s).backward()
    assert np.isclose(trace.dL_dy_hat, y_hat.grad.item(), rtol=1e-9, atol=1e-12)
    assert np.isclose(trace.dy_hat_dlogit, s.grad.item(), rtol=1e-9, atol=1e-15)
    assert np.isclose(trace.dL_dy_hat * trace.dy_hat_dlogit, trace.dL_dlogit, rtol=1e-9, atol=1e-12)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_input_gradient_is_full_convolution_of_dilated_gradient_with_rotated_kernel(config):
    trace = run_model(config)
    g = trace.conv_grad
    np.testing.assert_array_equal(g.rotated_kernel, np.rot90(trace.conv.kernel, 2))
    full = F.conv2d(t64(g.padded_dilated_dL_dz)[None, None], t64(g.rotated_kernel)[None, None])[0, 0].numpy()
    # torch's own gradient of the input, with padding, as the oracle
    x = t64(trace.conv.padded_input, grad=True)
    z = F.conv2d(x[None, None], t64(trace.conv.kernel)[None, None], stride=config.stride)[0, 0]
    z.backward(t64(g.dL_dz))
    expected = x.grad.numpy()
    rows, cols = full.shape
    np.testing.assert_allclose(full, expected[:rows, :cols], atol=1e-9)
    assert not expected[rows:, :].any() and not expected[:, cols:].any()  # cells no window reached
