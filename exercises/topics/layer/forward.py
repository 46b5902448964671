"""forward, for a layer: the output size with dilation, the number of trainable numbers, and one
z of one filter as each channel's patch times that channel's kernel, summed over the channels,
plus the filter's bias."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises import numbers
from convprop.exercises.topics.common import (chunks, g, given_grid, padded_muted, patch_padding, step_name,
                                              value_grid)
from convprop.exercises.topics.layer.common import (at, b_name, filter_of, output_shape_path, plain_at, w_name,
                                                    x_name, z_name)

TITLE = "Forward pass through the layer"
MAX_TERMS_WRITTEN = 9  # a channel's products written out term by term up to this many


def _size_questions(ask, c):
    (H, W), (kh, kw), (sh, sw), (dh, dw), p = c.input_size, c.kernel_size, c.stride, c.dilation, c.padding
    rows = ask.ask("output-rows", f"Rows of each output map Z_o: floor((H + 2p - d(k - 1) - 1)/s) + 1 with H = {H}, "
                   f"kernel {kh}x{kw}, stride {sh}x{sw}, padding {p}, dilation {dh}x{dw}.",
                   output_shape_path(c, 0), whole=True)
    cols = ask.ask("output-cols", f"Columns of each output map Z_o: floor((W + 2p - d(k - 1) - 1)/s) + 1 with "
                   f"W = {W}, kernel {kh}x{kw}, stride {sh}x{sw}, padding {p}, dilation {dh}x{dw}.",
                   output_shape_path(c, 1), whole=True)
    count = ask.ask("parameters", f"Trainable numbers of the convolution layer: F C kh kw weights plus F biases, with "
                    f"F = {c.filters} filters, C = {c.channels} channels and a {kh}x{kw} kernel.",
                    "batch.parameter_counts.conv", whole=True)
    out = [par("How many rows and columns does each output map ", math("Z_o", "output"),
               " have, and how many numbers does the layer learn?"),
           boxes(box("H_\"out\"", rows), box("W_\"out\"", cols), box("N_\"params\"", count)),
           eq(f"H_\"out\" = floor(({H} + 2 dot {p} - {dh} dot ({kh} - 1) - 1) / {sh}) + 1 = {rows.shown}, quad "
              f"W_\"out\" = floor(({W} + 2 dot {p} - {dw} dot ({kw} - 1) - 1) / {sw}) + 1 = {cols.shown}"),
           eq(f"N_\"params\" = F dot C dot k_h dot k_w + F = {c.filters} dot {c.channels} dot {kh} dot {kw} + "
              f"{c.filters} = {count.shown}")]
    return out


def blocks(ask, s, pick) -> list:
    c, d, t = s.lesson.model.config, s.cnn, s.lesson.model
    out = _size_questions(ask, c)
    o = filter_of(pick, "forward", c)
    k, r, col = pick.output("forward", d["z"][o])
    z = at(z_name(o), r, col)
    where = f"filter {o + 1}, {plain_at(r, col)} of its map"
    shares = []
    if c.channels > 1:  # each channel's share is worth a box of its own before the sum
        shares = [ask.ask(f"z-{o + 1}-{r + 1}-{col + 1}-channel-{ch + 1}",
                          f"Channel {ch + 1}'s share of {z} ({where}): the patch of X_{ch + 1} under the kernel "
                          f"times W_({o + 1},{ch + 1}), summed.", f"channel_sums[{o}][{ch}][{r}][{col}]")
                  for ch in range(c.channels)]
    zq = ask.ask(f"z-{o + 1}-{r + 1}-{col + 1}", f"{z}, the output of {where}: the sum over the channels of each "
                 f"channel's patch times that channel's kernel, plus b_{o + 1}.", f"z[{o}][{r}][{col}]")
    geometry = t.geometry
    origin = tuple(int(x) for x in geometry.window_origins[r, col])
    padded = "padded " if c.padding else ""
    out += [par(f"Filter {o + 1}'s window for {plain_at(r, col)} of ", math(z_name(o), "output"),
                f" (step {step_name(k)}) has its top-left tap on row {origin[0] + 1}, column {origin[1] + 1} of each "
                f"{padded}channel; ", math(f"X_c^(({step_name(k)}))", "input"), " is the patch of channel ", math("c"),
                " under its taps. Compute ",
                math(z, "output"), *((", with each channel's share ", math("Sigma_c", "input"), " (its patch times its kernel, summed)")
                                   if shares else ()), "."),
            boxes(*(box(f"Sigma_{ch + 1}", q, "input") for ch, q in enumerate(shares)), box(z, zq, "output"))]
    window = {tuple(int(x) for x in cell): "focus" for cell in geometry.window_cells[r, col].reshape(-1, 2)}
    muted = patch_padding(geometry, r, col)
    flat = lambda m: [x for row in m for x in row]  # noqa: E731
    sums, step = [], step_name(k)
    for ch in range(c.channels):
        patch, kernel = d["patches"][ch][r][col], d["kernel"][o][ch]
        products = t.conv.channel_products[o, ch, r, col]
        share = t.conv.channel_sums[o, ch, r, col]
        sums.append(share)
        name = f"Sigma_{ch + 1}" if shares else "Sigma"
        out.append(grids(given_grid(x_name(ch) + (" \"padded\"" if c.padding else ""), d["padded_input"][ch], "input",
                                    marks=window, muted=padded_muted(geometry)),
                         given_grid(f"{x_name(ch)}^(({step}))", patch, "input", muted=muted), given_grid(w_name(o, ch), kernel, "kernel"),
                         given_grid(f"{x_name(ch)}^(({step})) dot.o {w_name(o, ch)}", products.tolist(), "output"), worked=True))
        terms = [f"{g(x)} dot {g(w)}" for x, w in zip(flat(patch), flat(kernel))]
        if len(terms) <= MAX_TERMS_WRITTEN:
            out.append(eq(f"{name} = ", math(chunks(terms, 3), "input"), math(f" = {numbers.given(share)}", "output")))
        else:
            out.append(eq(f"{name} = sum {x_name(ch)}^(({step})) dot.o {w_name(o, ch)} = ",
                          math(numbers.given(share), "output")))
    added = " + ".join(g(x) for x in sums)
    total = " + ".join(f"Sigma_{ch + 1}" for ch in range(c.channels)) if shares else "Sigma"
    out.append(eq(f"{z} = {total} + {b_name(o)} = ", math(added, "output"), math(f" + {g(d['bias'][o])}", "kernel"),
                  math(f" = {zq.shown}", "output")))
    out.append(grids(value_grid(z_name(o), d["z"][o], "output", marks={(r, col): "focus"}), worked=True))
    return out
