"""Every decision the video and the JSON show is taken on the exact values a student reads.

The values are drawn from small decimal sets (inputs -0.2..0.2, kernels of -1, 0 and 1), so
exact zeros before a ReLU and ties inside a pooling window are frequent; the exact reference in
``tests/exact_reference.py`` decides them with rational arithmetic. mathcore must agree on every
ReLU mask and every pooling winner, and on every value within 1e-12; an exact zero must be 0.0.
"""

import math
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.batch import MAX_BATCH, run_batch
from convprop.mathcore.exact import integers_over
from convprop.mathcore.export import batch_to_json, trace_to_json
from tests.exact_reference import conv_exact, model_exact

TOL = 1e-12
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

INPUTS = [-0.2, -0.1, 0.0, 0.1, 0.2]
KERNELS = [-1.0, 0.0, 1.0]
BIASES = [-0.2, -0.1, 0.0, 0.1, 0.2]
WEIGHTS = [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5]


def matrix(draw, shape, values):
    return [[draw(st.sampled_from(values)) for _ in range(shape[1])] for _ in range(shape[0])]


@st.composite
def kink_cases(draw):
    """A small configuration with values that make exact zeros and ties likely."""
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    config = ModelConfig(
        input_size=(draw(st.integers(1, 7)), draw(st.integers(1, 7))), kernel_size=k,
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))), padding=draw(st.integers(0, min(k) - 1)),
        relu=draw(st.booleans()), pool=draw(st.sampled_from([0, 1, 2, 2, 3])),
    )
    try:
        config.validate()
    except ConfigError:
        assume(False)
    values = {
        "input": matrix(draw, config.input_size, INPUTS),
        "kernel": matrix(draw, config.kernel_size, KERNELS),
        "bias": draw(st.sampled_from(BIASES)),
        "fc_weight": [draw(st.sampled_from(WEIGHTS)) for _ in range(int(np.prod(config.pooled_size)))],
        "fc_bias": draw(st.sampled_from(BIASES)),
        "target": draw(st.sampled_from([0.0, 1.0])),
    }
    return config, values


def reference_for(config: ModelConfig, v) -> dict:
    return model_exact(v.input.tolist(), v.kernel.tolist(), v.bias, v.fc_weight.tolist(), v.fc_bias, v.target,
                       config.stride, config.padding, config.relu, config.pool)


def assert_same_decisions_and_values(trace, ref):
    exact_z = np.array([[float(v) for v in row] for row in ref["z"]])
    np.testing.assert_array_equal(trace.z, exact_z)  # the correctly rounded float of the exact z
    for z in trace.z.flat:
        assert z != 0 or math.copysign(1, z) > 0, "an exact zero must be written as 0, not -0"
    if ref["relu_mask"] is None:
        assert trace.head.relu_mask is None
    else:
        np.testing.assert_array_equal(trace.head.relu_mask, np.array(ref["relu_mask"]))
    if ref["winners"] is None:
        assert trace.head.pool_winners is None
    else:
        np.testing.assert_array_equal(trace.head.pool_winners, np.array(ref["winners"]))
    np.testing.assert_array_equal(trace.head.pooled, np.array([[float(v) for v in row] for row in ref["pooled"]]))
    assert abs(trace.head.logit - ref["logit"]) <= TOL * max(1, abs(ref["logit"]))
    for name, got in (("dL_dz", trace.dL_dz), ("dL_dkernel", trace.conv_grad.dL_dkernel),
                      ("dL_dinput", trace.conv_grad.dL_dinput)):
        np.testing.assert_allclose(got, np.array(ref[name]), rtol=TOL, atol=TOL, err_msg=name)
    assert abs(trace.conv_grad.dL_dbias - ref["dL_dbias"]) <= TOL
    # a blocked cell's gradient is 0 exactly: no -0.0 in what the JSON writes
    blocked = trace.dL_dz[trace.dL_dz == 0]
    assert all(math.copysign(1, g) > 0 for g in blocked)


@SETTINGS
@given(kink_cases())
def test_single_image_decisions_are_exact(case):
    config, values = case
    trace = run_model(config, values)
    assert_same_decisions_and_values(trace, reference_for(config, trace.values))


@SETTINGS
@given(kink_cases(), st.integers(1, MAX_BATCH))
def test_mini_batch_decisions_are_exact(case, size):
    config, values = case
    batch = run_batch(config, values, size)
    c = batch.config  # the pipeline's: ReLU and pooling on
    kernels = []
    for sample in batch.samples:
        ref = reference_for(c, sample.values)
        assert_same_decisions_and_values(sample, ref)
        kernels.append(ref["dL_dkernel"])
    np.testing.assert_allclose(batch.dL_dkernel, np.mean(kernels, axis=0), rtol=TOL, atol=TOL)


# The numbers of the bug report (seed 29's, drawn before seeded values were never zero): X, W and b.
REPORTED = {
    "input": [[-0.9, 0.0, 0.0, -0.5, -0.7], [-1.0, -0.2, -0.2, -1.0, -0.5], [0.6, 0.2, 1.0, 0.7, 0.3],
              [-0.6, 0.7, -0.2, -0.9, 0.9], [0.9, -0.4, 0.0, -0.5, 0.5], [0.9, 0.2, 0.2, -0.5, -0.5],
              [-0.2, 0.1, 0.5, -0.9, 0.1], [0.9, -0.6, -0.2, -0.9, 0.6]],
    "kernel": [[-0.7, 0.3, -0.5], [0.9, 0.7, 0.1], [0.3, 0.7, -0.6]],
    "bias": -0.3,
}


def test_the_reported_kink_blocks_the_gradient():
    """The case from the bug report: z at row 5, column 5 is exactly 0 (every value has one
    decimal), float sums make it 5.55e-17, and the ReLU must block there as PyTorch does."""
    config = ModelConfig(input_size=(8, 5), kernel_size=(3, 3), stride=(1, 1), padding=1, seed=29, relu=True)
    trace = run_model(config, REPORTED)
    z, _, _ = conv_exact(trace.values.input.tolist(), trace.values.kernel.tolist(), trace.values.bias,
                         config.stride, config.padding)
    assert z[4][4] == 0
    # the float sums the report was made with (all windows at once) leave rounding noise there
    float_z = (trace.conv.patches * trace.values.kernel).sum(axis=(2, 3)) + trace.values.bias
    assert float_z[4, 4] != 0
    assert trace.z[4, 4] == 0 and not trace.head.relu_mask[4, 4] and trace.dL_dz[4, 4] == 0
    data = trace_to_json(trace)
    assert data["z"][4][4] == 0 and data["dL_dz"][4][4] == 0


def test_json_writes_no_negative_zero():
    config = ModelConfig(input_size=(8, 5), kernel_size=(3, 3), stride=(1, 1), padding=1, seed=29, relu=True, pool=2)
    data = {"model": trace_to_json(run_model(config, REPORTED)),
            "batch": batch_to_json(run_batch(config, REPORTED, MAX_BATCH))}

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from walk(v)
        elif isinstance(x, list):
            for v in x:
                yield from walk(v)
        elif isinstance(x, float):
            yield x

    assert all(math.copysign(1, v) > 0 for v in walk(data) if v == 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e300, 1e300), min_size=1, max_size=12),
       st.sampled_from([0.1, 1e-7, 3.0]))
def test_any_floats_are_read_over_one_denominator_as_written(values, scale):
    """``integers_over`` reads every value as its shortest round-tripping decimal, the one printed:
    each numerator over the common denominator is ``Fraction(repr(value))``, whether the values
    have a few places (read by scaling) or any number (read from their digits)."""
    arr = np.array(values) * scale
    numerators, denominator = integers_over(arr)
    assert [Fraction(int(n), denominator) for n in numerators.flat] == [Fraction(repr(float(v))) for v in arr.flat]
