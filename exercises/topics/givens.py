"""The values every CNN topic starts from: the first section of the sheet, never worked."""

from convprop.exercises import numbers
from convprop.exercises.document import grids, math, note, par, section
from convprop.exercises.topics.common import given_grid, padded_muted, video_decimals



def cnn_givens(s) -> dict:
    c, d = s.lesson.model.config, s.cnn
    shown = lambda name, value: numbers.as_video(value, video_decimals(s, name))  # noqa: E731
    layers = ["the convolution ", math("Z = X star W + b", "output")]
    if c.relu:
        layers += [", then ", math("A = op(\"ReLU\")(Z)", "output")]
    if c.pool:
        layers += [f", then max pooling with a {c.pool}" + "×" + f"{c.pool} window and stride {c.pool}"]
    blocks = [
        par("A one-channel convolutional network: ", *layers, ", flattened row by row into ",
            math("F", "output"), "; then ", math("s = w_(f c) dot F + b_(f c)", "output"), ", ",
            math("hat(y) = sigma(s)", "output"), " and the binary cross-entropy ",
            math("L = -[y ln hat(y) + (1 - y) ln(1 - hat(y))]", "output"), ". One step of gradient descent updates every weight: ",
            math("W^* = W - alpha (partial L)/(partial W)", "update"), "."),
        par(f"Stride {c.stride[0]}×{c.stride[1]} (rows × columns), padding {c.padding}"
            + (" zero on every side" if c.padding else "") + ", learning rate ",
            math(f"alpha = {numbers.given(c.learning_rate)}"), ", target ", math(f"y = {shown('target', d['target'])}"), "."),
    ]
    items = [given_grid("X", d["input"], "input", decimals=video_decimals(s, "input")),
             given_grid("W", d["kernel"], "kernel", decimals=video_decimals(s, "kernel"))]
    if c.padding:
        items.insert(1, given_grid("X \"padded\"", d["padded_input"], "input", muted=padded_muted(s.lesson.model.geometry),
                                   decimals=video_decimals(s, "input")))
    items.append(given_grid("w_(f c)", [d["fc_weight"]], "output", decimals=video_decimals(s, "fc_weight")))
    blocks.append(grids(*items))
    blocks.append(par(math(f"b = {shown('bias', d['bias'])}", "kernel"), ",   ",
                      math(f"b_(f c) = {shown('fc_bias', d['fc_bias'])}", "output"), "."))
    blocks.append(note("Steps are numbered from 1 row by row, as in the video: ", math("z_1"),
                       " is the top-left output, ", math("w_1"), " the top-left kernel weight."))
    return section("Given", blocks)
