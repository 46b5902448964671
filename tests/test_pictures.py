"""The levels a picture is painted with, and the values its colour bar names."""

import numpy as np

from convprop.mathcore import ModelConfig, run_model
from convprop.mathcore.export import trace_to_json
from convprop.mathcore.kernels import named_kernel
from convprop.mathcore.pictures import grey, signed


def test_grey_runs_from_the_smallest_value_to_the_largest():
    s = grey([[-1.5, 0.0], [0.5, 2.5]])
    assert s.levels.tolist() == [[0.0, 0.375], [0.5, 1.0]] and (s.low, s.high, s.signed) == (-1.5, 2.5, False)
    flat = grey(np.full((2, 3), 0.7))
    assert flat.levels.tolist() == [[0.0] * 3] * 2 and flat.low == flat.high == 0.7


def test_signed_keeps_zero_at_zero_and_equal_sizes_equally_strong():
    s = signed([[0.2, -0.4], [0.0, 0.4]])
    assert s.levels.tolist() == [[0.5, -1.0], [0.0, 1.0]] and (s.low, s.high, s.signed) == (-0.4, 0.4, True)
    zero = signed(np.zeros((2, 2)))
    assert zero.levels.tolist() == [[0.0, 0.0], [0.0, 0.0]] and zero.low == 0 and "-0.0" not in repr(zero)


def test_a_trace_names_its_kernel_and_has_its_pictures():
    kernel = named_kernel("sobel-x").tolist()
    trace = run_model(ModelConfig(input_size=(5, 6), stride=(1, 1), padding=1),
                      {"input": [[0, 0, 0, 1, 1, 1]] * 5, "kernel": kernel, "bias": 0})
    assert trace.kernel_name == "sobel-x" and trace_to_json(trace)["kernel_name"] == "sobel-x"
    assert run_model(ModelConfig()).kernel_name is None
    p = trace.pictures
    assert p.input.levels.shape == (7, 8) and p.input.low == 0 and p.input.high == 1  # the padded input
    np.testing.assert_array_equal(p.z.levels, (trace.z - trace.z.min()) / (trace.z.max() - trace.z.min()))
    assert p.z.high == trace.z.max() and p.z.low == trace.z.min()
    g = trace.conv_grad.dL_dinput
    assert p.dL_dinput.high == np.abs(g).max() and p.dL_dinput.levels.shape == g.shape
    for arr in (p.input.levels, p.z.levels, p.dL_dinput.levels):
        assert not arr.flags.writeable


def test_a_layer_has_a_picture_per_channel_and_per_filter_dL_dX_on_one_shared_range():
    trace = run_model(ModelConfig(input_size=(6, 6), stride=(1, 1), padding=1, channels=2, filters=3, relu=True,
                                  pool=2))
    p, g = trace.pictures, trace.conv_grad
    assert len(p.inputs) == len(p.dL_dinputs) == 2 and len(p.zs) == len(p.dL_dzs) == len(p.pooleds) == 3
    for c in range(2):
        x = trace.conv.X_padded[c]
        np.testing.assert_array_equal(p.inputs[c].levels, (x - x.min()) / (x.max() - x.min()))
        # dL/dX's channels share one scale: the largest magnitude over every channel
        assert p.dL_dinputs[c].high == np.abs(g.dL_dX).max() and p.dL_dinputs[c].levels.shape == (6, 6)
        np.testing.assert_array_equal(p.dL_dinputs[c].levels, g.dL_dX[c] / np.abs(g.dL_dX).max())
    assert np.abs(p.dL_dinputs[0].levels).max() != np.abs(p.dL_dinputs[1].levels).max()  # one channel is weaker
    for o in range(3):
        z, dz = trace.conv.Z[o], g.dL_dZ[o]
        assert (p.zs[o].low, p.zs[o].high) == (z.min(), z.max())
        np.testing.assert_array_equal(p.dL_dzs[o].levels, dz / np.abs(dz).max())
        assert p.dL_dpooleds[o].levels.shape == trace.dL_dP[o].shape == (3, 3)
        assert p.dL_dactivateds[o].high == np.abs(trace.dL_dA[o]).max()
    assert p.dL_dz is p.dL_dzs[0] and p.input is p.inputs[0]


def test_the_input_gradients_working_maps_are_pictured_per_filter_and_channel():
    trace = run_model(ModelConfig(input_size=(7, 7), stride=(2, 2), padding=1, channels=2, filters=2))
    p, g = trace.pictures, trace.conv_grad
    for o in range(2):
        d = g.padded_dilated_dL_dZ[o]
        np.testing.assert_array_equal(p.padded_dilated_dL_dzs[o].levels, d / np.abs(d).max())
        assert p.dilated_dL_dzs[o].levels.shape == g.dilated_dL_dZ[o].shape
    for c in range(2):
        assert p.dL_dpadded_inputs[c].levels.shape == (9, 9) and p.dL_dpadded_inputs[c].high == np.abs(g.dL_dX_padded).max()  # one scale
