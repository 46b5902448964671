"""The values every layer topic starts from: each channel of X, each filter's kernel per channel
and its bias, the dense layer; the first section of the sheet, never worked."""

from convprop.exercises import numbers
from convprop.exercises.document import grids, math, note, par, section
from convprop.exercises.topics.common import given_grid, padded_muted, video_decimals
from convprop.exercises.topics.layer.common import b_name, layer_words, w_name, x_name

SIDE_BY_SIDE = 8  # channels up to this many columns wide share a row; wider ones take a row each


def layer_givens(s) -> dict:
    c, d = s.lesson.model.config, s.cnn
    shown = lambda name, value: numbers.as_video(value, video_decimals(s, name))  # noqa: E731
    (dh, dw), (kh, kw) = c.dilation, c.kernel_size
    layers = ["a convolution layer (", layer_words(c), "): filter ", math("o"), " makes the map ",
              math("Z_o = sum_c X_c star W_(o,c) + b_o", "output")]
    if c.relu:
        layers += [", then ", math("A_o = op(\"ReLU\")(Z_o)", "output")]
    if c.pool:
        layers += [f", then max pooling of each map with a {c.pool}" + "×" + f"{c.pool} window and stride {c.pool}"]
    blocks = [
        par("A convolutional network: ", *layers, ", the maps flattened one after the other, each row by row, into ",
            math("F", "output"), "; then ", math("s = w_(f c) dot F + b_(f c)", "output"), ", ",
            math("hat(y) = sigma(s)", "output"), " and the binary cross-entropy ",
            math("L = -[y ln hat(y) + (1 - y) ln(1 - hat(y))]", "output"), ". One step of gradient descent updates every weight: ",
            math("W^* = W - alpha (partial L)/(partial W)", "update"), "."),
        par(f"Stride {c.stride[0]}×{c.stride[1]} (rows × columns), padding {c.padding}"
            + (" zero on every side of each channel" if c.padding else "") + ", learning rate ",
            math(f"alpha = {numbers.given(c.learning_rate)}"), ", target ", math(f"y = {shown('target', d['target'])}"), "."),
    ]
    if (dh, dw) != (1, 1):
        blocks.append(par(f"Dilation {dh}×{dw}: the kernel's taps sit {dh} rows and {dw} columns apart, so a "
                          f"{kh}×{kw} kernel spans ", math(f"d(k - 1) + 1 = {c.span[0]}"), " rows and ",
                          math(f"{c.span[1]}"), " columns; only the cells under its taps are multiplied."))
    muted = padded_muted(s.lesson.model.geometry)
    label = (lambda ch: f"{x_name(ch)} \"padded\"") if c.padding else x_name
    channels = [given_grid(label(ch), d["padded_input"][ch], "input", muted=muted, decimals=video_decimals(s, "input"))
                for ch in range(c.channels)]
    if c.padded_size[1] <= SIDE_BY_SIDE:
        blocks.append(grids(*channels))
    else:  # a block apiece, so a page may break between wide channels
        blocks += [grids(item) for item in channels]
    blocks.append(grids(*(given_grid(w_name(o, ch), d["kernel"][o][ch], "kernel", decimals=video_decimals(s, "kernel"))
                          for o in range(c.filters) for ch in range(c.channels))))
    blocks.append(grids(given_grid("w_(f c)", [d["fc_weight"]], "output", decimals=video_decimals(s, "fc_weight"))))
    blocks.append(par(*(part for o in range(c.filters) for part in
                        (math(f"{b_name(o)} = {shown('bias', d['bias'][o])}", "kernel"), ",   ")),
                      math(f"b_(f c) = {shown('fc_bias', d['fc_bias'])}", "output"), "."))
    blocks.append(note("Channels, filters, rows and columns are numbered from 1: ", math("X_c"), " is input channel ",
                       math("c"), ", ", math("W_(o,c)"), " the kernel filter ", math("o"), " lays on it, ",
                       math("Z_o[r,j]"), " row ", math("r"), ", column ", math("j"), " of filter ", math("o"),
                       "'s map. ", math("F"), " holds ", math("Z_1"), "'s cells (after ReLU and pooling) first, then ",
                       math("Z_2"), "'s, and so on."))
    return section("Given", blocks)
