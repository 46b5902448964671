// The explorer page: the lesson's every number, editable, recomputed at once.
//
// The arithmetic is explorer-compute.js (window.convprop.compute); this file lays the numbers out
// as the video does, writes them by the video's rules, lets the student edit the given ones and
// change the settings within the command's limits, and explains any value on hover or focus: its
// sum's terms with their numbers, and the cells they read, lit.
(function () {
  "use strict";
  const cp = window.convprop;
  const $ = (id) => document.getElementById(id);
  const readJSON = (id) => JSON.parse($(id).textContent);
  const SPEC = readJSON("convprop-decimals");
  const START = readJSON("convprop-lesson");
  const META = readJSON("convprop-meta");
  const LIMITS = META.limits;
  const MINUS = SPEC.minus;

  const GIVEN_KEYS = ["input", "kernel", "bias", "fc_weight", "fc_bias", "target", "learning_rate"];
  const SCENES = { forward: "forward-pass", head: "forward-pass", loss: "loss-gradient", kernel: "kernel-gradient",
                   chain: "chain-rule", input: "input-gradient", update: "weight-update" };

  let lesson = null, trace = null, decimals = null, seeded = !!META.seeded, scene = "forward-pass";
  let cells = [];  // every shown value: {key, index, el, input?}
  let cellAt = new Map();  // "key:index" -> a value's element (the last shown, for a value shown twice)
  let scaledBox = null;  // the patches times dL/dz_k
  let lit = [];

  // ---------- the lesson ----------
  function given(source) {
    const out = {};
    for (const key of GIVEN_KEYS.concat(["stride", "padding", "relu", "pool"])) out[key] = JSON.parse(JSON.stringify(source[key]));
    return out;
  }

  function valueMessage(name, value) {  // mathcore.values._number and the target's range, word for word
    if (!Number.isFinite(value)) return `'${name}' in --values must be a number, got ${JSON.stringify(String(value))}`;
    if (Math.abs(value) > LIMITS.max_abs_value) {
      return `'${name}' in --values is ${value}; values must lie within ±${LIMITS.max_abs_value} to fit a grid cell`;
    }
    if (name === "target" && !(value >= 0 && value <= 1)) return `'target' in --values must lie between 0 and 1, got ${value}`;
    if (name === "learning_rate" && !(value > 0 && value <= LIMITS.max_learning_rate)) {
      return `learning rate must be a positive finite number at most ${LIMITS.max_learning_rate}, got ${value}`;
    }
    return null;
  }

  // mathcore.config.ModelConfig.validate for one channel and one filter, word for word
  function configMessage(c) {
    const pair = (p) => `${p[0]}x${p[1]}`;
    for (const [name, p, limit] of [["input size", c.input, LIMITS.max_input_side], ["kernel size", c.kernel, LIMITS.max_kernel_side]]) {
      if (Math.min(...p) < 1) return `${name} ${pair(p)} must be at least 1x1`;
      if (Math.max(...p) > limit) return `${name} ${pair(p)} is larger than a readable video can show; use at most ${limit}x${limit}`;
    }
    if (Math.min(...c.stride) < 1) return `stride must be at least 1, got ${pair(c.stride)}`;
    if (c.padding < 0) return `padding must be 0 or more, got ${c.padding}`;
    if (c.padding >= Math.min(...c.kernel)) {
      return `padding ${c.padding} must be smaller than the kernel size ${pair(c.kernel)}; otherwise some outputs see only zeros`;
    }
    const padded = [c.input[0] + 2 * c.padding, c.input[1] + 2 * c.padding];
    const G = LIMITS.max_grid_side;
    if (Math.max(...padded) > G) {
      return `the padded input is ${pair(padded)}, more than the ${G}x${G} a readable video can show; use a smaller input or padding`;
    }
    if (c.kernel[0] > padded[0] || c.kernel[1] > padded[1]) {
      return `kernel ${pair(c.kernel)} is larger than the padded input ${pair(padded)}; use a smaller kernel, a larger input or more padding`;
    }
    if (Math.max(...c.stride) > G) return `stride must be at most ${G}, the widest grid a video shows`;
    if (c.pool < 0) return `pool must be 0 (none) or a window size of 1 or more, got ${c.pool}`;
    const out = [Math.floor((padded[0] - c.kernel[0]) / c.stride[0]) + 1, Math.floor((padded[1] - c.kernel[1]) / c.stride[1]) + 1];
    if (c.pool && c.pool > Math.min(...out)) {
      return `pool window ${c.pool} is larger than the convolution output ${pair(out)}; use --pool ${Math.min(...out)} or less, or --pool 0`;
    }
    return null;
  }

  // a given array resized: what overlaps is kept, a new cell takes a one-decimal value of a fixed pattern
  const pattern = (i) => (((i * 7 + 3) % 21) - 10) / 10;
  function resized(old, rows, cols) {
    return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) =>
      (old[r] && old[r][c] !== undefined ? old[r][c] : pattern(r * cols + c))));
  }

  // ---------- writing numbers ----------
  const NAMES = {
    input: (i) => `x${i[0] + 1},${i[1] + 1}`, padded_input: (i) => `x${i[0] + 1},${i[1] + 1}`,
    kernel: (i, t) => `w${i[0] * t.kernel[0].length + i[1] + 1}`, bias: () => "b",
    z: (i, t) => `z${i[0] * t.z[0].length + i[1] + 1}`, activated: (i, t) => `a${i[0] * t.z[0].length + i[1] + 1}`,
    pooled: (i, t) => `p${i[0] * t.pooled[0].length + i[1] + 1}`, features: (i) => `F${i[0] + 1}`,
    fc_weight: (i) => `v${i[0] + 1}`, fc_bias: () => "c", logit: () => "s", y_hat: () => "y hat", target: () => "y",
    loss: () => "L", learning_rate: () => "learning rate alpha", loss_updated: () => "L after the step",
    dy_hat_dlogit: () => "dy hat/ds",
  };
  const GRADIENT_OF = { dL_dy_hat: "y_hat", dL_dlogit: "logit", dL_dz: "z", dL_dkernel: "kernel", dL_dbias: "bias",
                        dL_dinput: "input", dL_dfc_weight: "fc_weight", dL_dfc_bias: "fc_bias", dL_dpooled: "pooled",
                        dL_dactivated: "activated" };
  const UPDATED_OF = { kernel_updated: "kernel", bias_updated: "bias", fc_weight_updated: "fc_weight", fc_bias_updated: "fc_bias" };
  function nameOf(key, index) {
    if (NAMES[key]) return NAMES[key](index, trace);
    if (GRADIENT_OF[key]) return "dL/d" + NAMES[GRADIENT_OF[key]](index, trace).replace("y hat", "y_hat");
    if (UPDATED_OF[key]) return NAMES[UPDATED_OF[key]](index, trace) + "*";
    if (key === "product") return `dL/dz${index[0] + 1} times patch ${index[0] + 1}, entry ${index[1] + 1}`;
    return key;
  }
  function valueAt(key, index) {
    if (key === "product") return trace.dL_dkernel_terms[index[1]][index[0]].product;
    let v = trace[key];
    for (const i of index) v = v[i];
    return v;
  }
  const decimalsOf = (key) => (key === "product" ? decimals.dL_dkernel : decimals[key]);
  const shown = (key, index) => {
    const v = valueAt(key, index);
    return v === null ? "∞" : cp.fmt(v, decimalsOf(key), MINUS);
  };
  const spoken = (key, index) => {
    const v = valueAt(key, index);
    return `${nameOf(key, index)} = ${v === null ? "infinite" : cp.fmt(v, decimalsOf(key))}`;
  };
  // a shown cell's spoken label from its shown text: the name is the cell's own (it depends on the
  // shapes alone, so it is made once per build), the number is the text with the keyboard's minus
  const label = (cell, text) => {
    if (cell.name === undefined) cell.name = nameOf(cell.key, cell.index);
    return `${cell.name} = ${text === "∞" ? "infinite" : text.replace(MINUS, "-")}`;
  };
  const num = (key, index) => shown(key, index);
  const paren = (text) => (text.startsWith(MINUS) ? `(${text})` : text);

  // ---------- building the page ----------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else if (k === "cls") node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  // one value: an editable field for a given one, a focusable number for a computed one
  // A shown number is one text node, kept: a new value rewrites that node's data alone, and only
  // when the written text differs from the last (cell.text).
  function valueCell(key, index, role, editable) {
    const node = editable
      ? el("input", { cls: "v " + role, type: "text", inputmode: "decimal", spellcheck: "false", autocomplete: "off" })
      : el("span", { cls: "v " + role, tabindex: "0", role: "img" });
    node.dataset.key = key;
    node.dataset.index = index.join(",");
    const cell = { key, index, el: node, editable, text: null, labelled: true, flashing: false, blocked: false, winner: false };
    if (!editable) cell.textNode = node.appendChild(document.createTextNode(""));
    cells.push(cell);
    node._cell = cell;
    return node;
  }

  function matrix(key, shape, role, opts) {
    opts = opts || {};
    const rows = shape[0], cols = shape[1];
    const g = el("div", { cls: "grid", role: "group", style: `--cols: ${cols}` });
    g.dataset.key = key;
    g.dataset.cols = cols;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (opts.pad && (r < opts.pad || c < opts.pad || r >= rows - opts.pad || c >= cols - opts.pad)) {
          g.appendChild(valueCell("padded_input", [r, c], "pad", false));
        } else if (opts.pad !== undefined) {
          const node = valueCell("input", [r - opts.pad, c - opts.pad], role, true);
          g.appendChild(node);
        } else {
          g.appendChild(valueCell(key, [r, c], role, !!opts.editable));
        }
      }
    }
    return g;
  }
  function row(key, length, role, opts) {
    const g = el("div", { cls: "grid vector", role: "group", style: `--cols: ${Math.min(length, 12)}` });
    g.dataset.cols = Math.min(length, 12);
    for (let i = 0; i < length; i++) g.appendChild(valueCell(key, [i], role, !!(opts && opts.editable)));
    return g;
  }
  function scalar(key, role, editable) { return valueCell(key, [], role, editable); }
  function panel(title, body, cls, section) {
    const p = el("figure", { cls: "panel " + (cls || "") }, [el("figcaption", { text: title }), ...body]);
    if (section) p.dataset.section = section;
    return p;
  }
  function line(label, node) { return el("div", { cls: "line" }, [el("span", { cls: "label", text: label }), node]); }

  function build() {
    cells = [];
    const s = cp.shapeOf(lesson);
    const main = $("values");
    main.textContent = "";

    const fwd = el("section", { cls: "stage", "aria-labelledby": "forward-heading" }, [el("h2", { id: "forward-heading", text: "Forward pass" })]);
    const fwdRow = el("div", { cls: "row" });
    fwdRow.append(
      panel(s.p ? `X, padded by ${s.p}` : "X", [matrix("input", [s.H + 2 * s.p, s.W + 2 * s.p], "input", { pad: s.p })], "", "forward"),
      panel("W", [matrix("kernel", [s.kh, s.kw], "kernel", { editable: true }), line("b =", scalar("bias", "kernel", true))], "", "forward"),
      panel("Z = X ⋆ W + b", [matrix("z", [s.oh, s.ow], "output")], "", "forward"));
    if (lesson.relu) fwdRow.append(panel("A = ReLU(Z)", [matrix("activated", [s.oh, s.ow], "output")], "", "head"));
    if (s.pool) fwdRow.append(panel(`P = maxpool(${lesson.relu ? "A" : "Z"})`, [matrix("pooled", [s.ph, s.pw], "output")], "", "head"));
    fwd.appendChild(fwdRow);
    const head = el("div", { cls: "row" });
    head.append(
      panel("F, flattened", [row("features", s.ph * s.pw, "output")], "", "head"),
      panel("dense weights v and bias c", [row("fc_weight", s.ph * s.pw, "kernel", { editable: true }), line("c =", scalar("fc_bias", "kernel", true))], "", "head"),
      panel("prediction and loss", [
        line("s = v · F + c =", scalar("logit", "output")), line("ŷ = σ(s) =", scalar("y_hat", "output")),
        line("y =", scalar("target", "text", true)), line("L =", scalar("loss", "focus"))], "", "head"));
    fwd.appendChild(head);

    const back = el("section", { cls: "stage", "aria-labelledby": "backward-heading" }, [el("h2", { id: "backward-heading", text: "Backward pass" })]);
    const b1 = el("div", { cls: "row" });
    b1.append(panel("from the loss to s", [
      line("dL/dŷ =", scalar("dL_dy_hat", "gradient")), line("dŷ/ds =", scalar("dy_hat_dlogit", "gradient")),
      line("dL/ds = ŷ − y =", scalar("dL_dlogit", "gradient"))], "", "loss"));
    if (s.pool) b1.append(panel("dL/dP", [matrix("dL_dpooled", [s.ph, s.pw], "gradient")], "", "loss"));
    if (s.pool || lesson.relu) b1.append(panel(lesson.relu ? "dL/dA" : "dL/dA (to the winners)", [matrix("dL_dactivated", [s.oh, s.ow], "gradient")], "", "loss"));
    b1.append(panel("dL/dZ", [matrix("dL_dz", [s.oh, s.ow], "gradient")], "", "loss"));
    back.appendChild(b1);
    const b2 = el("div", { cls: "row" });
    b2.append(
      panel("dL/dW = Σₖ dL/dzₖ · patchₖ", [matrix("dL_dkernel", [s.kh, s.kw], "gradient"), line("dL/db = Σₖ dL/dzₖ =", scalar("dL_dbias", "gradient"))], "", "kernel"),
      panel("dL/dX", [matrix("dL_dinput", [s.H, s.W], "gradient")], "", "input"),
      panel("dL/dv and dL/dc", [row("dL_dfc_weight", s.ph * s.pw, "gradient"), line("dL/dc =", scalar("dL_dfc_bias", "gradient"))], "", "head"));
    back.appendChild(b2);
    // the patches, each scaled by its dL/dz_k: what dL/dW adds up
    const strip = el("div", { cls: "row patches", role: "group", "aria-label": "patches times dL/dz" });
    for (let k = 0; k < s.oh * s.ow; k++) {
      const g = el("div", { cls: "grid small", role: "group", style: `--cols: ${s.kw}` });
      g.dataset.cols = s.kw;
      for (let i = 0; i < s.kh * s.kw; i++) g.appendChild(valueCell("product", [k, i], "gradient", false));
      strip.appendChild(panel(`dL/dz${k + 1} · patch${k + 1}`, [g], "mini", "chain"));
    }
    // closed past 16 patches: a closed box's numbers are written only when it is opened
    scaledBox = el("details", Object.assign({ cls: "scaled" }, s.oh * s.ow <= 16 ? { open: "" } : {}),
                   [el("summary", { text: `dL/dW as the ${s.oh * s.ow} patches times their dL/dzₖ` }), strip]);
    scaledBox.addEventListener("toggle", () => { if (scaledBox.open && trace) show(false); });
    back.appendChild(scaledBox);

    const step = el("section", { cls: "stage", "aria-labelledby": "update-heading" }, [el("h2", { id: "update-heading", text: "One step of gradient descent" })]);
    const u = el("div", { cls: "row" });
    u.append(
      panel("learning rate", [line("α =", scalar("learning_rate", "text", true))], "", "update"),
      panel("W* = W − α dL/dW", [matrix("kernel_updated", [s.kh, s.kw], "update"), line("b* =", scalar("bias_updated", "update"))], "", "update"),
      panel("v* and c*", [row("fc_weight_updated", s.ph * s.pw, "update"), line("c* =", scalar("fc_bias_updated", "update"))], "", "update"),
      panel("the loss after the step", [line("L =", scalar("loss", "focus")), line("L* =", scalar("loss_updated", "focus"))], "", "update"));
    step.appendChild(u);
    main.append(fwd, back, step);

    cellAt = new Map(cells.map((cell) => [cell.key + ":" + cell.index.join(","), cell.el]));
    for (const cell of cells) {
      cell.el.addEventListener("focus", () => explain(cell));
      cell.el.addEventListener("mouseenter", () => explain(cell));
      if (cell.editable) cell.el.setAttribute("aria-label", "");
    }
    // the cells a decision marks: blocked by the ReLU, or a pooling window's winner
    reluCells = lesson.relu ? cells.filter((c) => c.key === "dL_dz" || c.key === "activated") : [];
    winnerCells = s.pool ? cells.filter((c) => c.key === "activated" || (c.key === "z" && !lesson.relu)) : [];
    flashed = [];
    unlabelled = [];
    shownCommand = null;
    readSettings();
  }

  // ---------- showing the numbers ----------
  // An edit rewrites only what it changed, and reads no layout while writing: each number's text
  // node is written when its text differs from the last written; a class is added or removed only
  // when a cell's mark changes. A changed number is lit until the edits pause (one timer for all);
  // a number that changes again stays lit, so steady typing toggles few classes. The spoken
  // labels of an edit's numbers follow when the typing pauses (a focused or hovered number's at
  // once): a label is read when a value is reached, never while typing.
  let flashed = [], flashTimer = 0, reluCells = [], winnerCells = [], shownCommand = null;
  let unlabelled = [], labelTimer = 0;
  function writeLabel(cell) {
    if (cell.text !== null) cell.el.setAttribute("aria-label", label(cell, cell.text));
    cell.labelled = true;
  }
  function writeLabels() {
    for (const cell of unlabelled) if (!cell.labelled) writeLabel(cell);
    unlabelled = [];
  }
  function unflash() {
    for (const cell of flashed) { cell.el.classList.remove("changed"); cell.flashing = false; }
    flashed = [];
  }
  function show(flash) {
    decimals = cp.decimalsFor(trace, SPEC);
    const patchesShown = !scaledBox || scaledBox.open, changed = [], focused = document.activeElement;
    for (const cell of cells) {
      if (cell.key === "product" && !patchesShown) { cell.text = null; continue; }  // written when opened
      // the same value with the same decimals is the same text: not even formatted again
      const value = valueAt(cell.key, cell.index), places = decimalsOf(cell.key);
      if (cell.text !== null && value === cell.value && places === cell.places) continue;
      cell.value = value;
      cell.places = places;
      const text = value === null ? "∞" : cp.fmt(value, places, MINUS);
      if (text === cell.text) continue;  // the text last written: no DOM read, no DOM write
      cell.text = text;
      const node = cell.el;
      if (cell.editable) {
        if (focused !== node) node.value = text.replace(MINUS, "-");
      } else {
        cell.textNode.data = text;
        if (flash) changed.push(cell);
      }
      if (cell.labelled) { cell.labelled = false; unlabelled.push(cell); }
    }
    clearTimeout(labelTimer);
    if (flash) labelTimer = setTimeout(writeLabels, 150); else writeLabels();
    for (const cell of flashed) cell.flashing = false;
    for (const cell of changed) {
      if (!cell.el.classList.contains("changed")) cell.el.classList.add("changed");
      cell.flashing = true;
    }
    for (const cell of flashed) if (!cell.flashing) cell.el.classList.remove("changed");
    flashed = changed;
    clearTimeout(flashTimer);
    if (flashed.length) flashTimer = setTimeout(unflash, 600);
    if (reluCells.length) {
      const mask = trace.relu_mask;
      for (const cell of reluCells) {
        const blocked = !mask[cell.index[0]][cell.index[1]];
        if (blocked !== cell.blocked) { cell.el.classList.toggle("blocked", blocked); cell.blocked = blocked; }
      }
    }
    if (winnerCells.length) {
      const won = cp.shapeOf(lesson), grid = Array.from({ length: won.oh }, () => new Array(won.ow).fill(false));
      for (const row of trace.pool_winners) for (const [i, j] of row) grid[i][j] = true;
      for (const cell of winnerCells) {
        const winner = grid[cell.index[0]][cell.index[1]];
        if (winner !== cell.winner) { cell.el.classList.toggle("winner", winner); cell.winner = winner; }
      }
    }
    writeCommand();
    clearTimeout(fragmentTimer);  // the address is rewritten once the edits pause: browsers throttle it
    fragmentTimer = setTimeout(writeFragment, 250);
  }
  let fragmentTimer = 0;
  function writeCommand() {
    const text = command();
    if (text !== shownCommand) { $("command").textContent = text; shownCommand = text; }
  }

  function recompute(flash) {
    trace = cp.compute(lesson);
    show(flash);
  }

  // ---------- explaining a value ----------
  function light(pairs) {
    for (const node of lit) node.classList.remove("lit", "lit-main");
    lit = [];
    for (const [key, index, main] of pairs) {
      const node = cellAt.get(key + ":" + index.join(",")) ||
        (key === "padded_input" ? cellAt.get(`input:${index[0] - lesson.padding},${index[1] - lesson.padding}`) : null);
      if (node) { node.classList.add(main ? "lit-main" : "lit"); lit.push(node); }
    }
  }

  function explanation(cell) {
    const { key, index } = cell;
    const s = cp.shapeOf(lesson), t = trace, d = decimals;
    const f = (k, i) => num(k, i), name = (k, i) => nameOf(k, i);
    const sum = (parts) => parts.map((p, i) => (i ? paren(p) : p)).join(" + ");
    const me = [key, index, true];
    const [r, c] = index;
    switch (key) {
      case "input": case "padded_input": case "kernel": case "bias": case "fc_weight": case "fc_bias": case "target": case "learning_rate":
        return [`${name(key, index)} = ${f(key, index)}: given${cell.editable ? "; type a new value" : " (the padding's zero)"}.`, [me]];
      case "z": {
        const parts = [], lights = [me];
        for (let a = 0; a < s.kh; a++) for (let b = 0; b < s.kw; b++) {
          const i = r * s.sh + a, j = c * s.sw + b;
          parts.push(`${paren(f("padded_input", [i, j]))}·${paren(f("kernel", [a, b]))}`);
          lights.push(["padded_input", [i, j]], ["kernel", [a, b]]);
        }
        lights.push(["bias", []]);
        return [`${name(key, index)} = Σ patch ⊙ W + b = ${parts.join(" + ")} + ${paren(f("bias", []))} = ${f(key, index)}`, lights];
      }
      case "activated": {
        const pass = t.relu_mask[r][c];
        return [`${name(key, index)} = ReLU(${name("z", index)}) = max(${f("z", index)}, 0) = ${f(key, index)}: ${pass ? "z > 0 passes" : "z ≤ 0 is blocked"}`, [me, ["z", index]]];
      }
      case "pooled": {
        const from = lesson.relu ? "activated" : "z", parts = [], lights = [me];
        for (let a = 0; a < s.pool; a++) for (let b = 0; b < s.pool; b++) {
          const ij = [r * s.pool + a, c * s.pool + b];
          parts.push(f(from, ij));
          const win = t.pool_winners[r][c];
          lights.push([from, ij, win[0] === ij[0] && win[1] === ij[1]]);
        }
        return [`${name(key, index)} = max(${parts.join(", ")}) = ${f(key, index)}; the first largest wins`, lights];
      }
      case "features": {
        const src = s.pool ? "pooled" : lesson.relu ? "activated" : "z";
        const at = [Math.floor(r / s.pw), r % s.pw];
        return [`${name(key, index)} = ${name(src, at)} = ${f(key, index)} (flattened row by row)`, [me, [src, at]]];
      }
      case "logit": {
        const parts = [], lights = [me, ["fc_bias", []]];
        t.features.forEach((_, i) => { parts.push(`${paren(f("fc_weight", [i]))}·${paren(f("features", [i]))}`); lights.push(["fc_weight", [i]], ["features", [i]]); });
        return [`s = v · F + c = ${parts.join(" + ")} + ${paren(f("fc_bias", []))} = ${f(key, index)}`, lights];
      }
      case "y_hat": return [`ŷ = σ(s) = 1 / (1 + e^(−s)) = σ(${f("logit", [])}) = ${f(key, index)}`, [me, ["logit", []]]];
      case "loss": return [`L = −[y ln ŷ + (1 − y) ln(1 − ŷ)] with y = ${f("target", [])}, ŷ = ${f("y_hat", [])}: L = ${f(key, index)}`, [me, ["y_hat", []], ["target", []]]];
      case "dL_dy_hat": return [`dL/dŷ = −y/ŷ + (1 − y)/(1 − ŷ) = ${f(key, index)}`, [me, ["y_hat", []], ["target", []]]];
      case "dy_hat_dlogit": return [`dŷ/ds = ŷ (1 − ŷ) = ${f(key, index)}`, [me, ["y_hat", []]]];
      case "dL_dlogit": return [`dL/ds = dL/dŷ · dŷ/ds = ${f("dL_dy_hat", [])} · ${paren(f("dy_hat_dlogit", []))}, which is simply ŷ − y = ${f("y_hat", [])} − ${paren(f("target", []))} = ${f(key, index)}`, [me, ["y_hat", []], ["target", []]]];
      case "dL_dfc_weight": return [`dL/d${name("fc_weight", index)} = dL/ds · ${name("features", index)} = ${f("dL_dlogit", [])} · ${paren(f("features", index))} = ${f(key, index)}`, [me, ["dL_dlogit", []], ["features", index]]];
      case "dL_dfc_bias": return [`dL/dc = dL/ds = ${f(key, index)}`, [me, ["dL_dlogit", []]]];
      case "dL_dpooled": {
        const i = r * s.pw + c;
        return [`dL/d${name("pooled", index)} = dL/ds · v${i + 1} = ${f("dL_dlogit", [])} · ${paren(f("fc_weight", [i]))} = ${f(key, index)}`, [me, ["dL_dlogit", []], ["fc_weight", [i]]]];
      }
      case "dL_dactivated": {
        if (!s.pool) { const i = r * s.ow + c; return [`dL/d${name("activated", index)} = dL/ds · v${i + 1} = ${f(key, index)}`, [me, ["fc_weight", [i]], ["dL_dlogit", []]]]; }
        const pr = Math.floor(r / s.pool), pc = Math.floor(c / s.pool);
        const won = pr < s.ph && pc < s.pw && t.pool_winners[pr][pc][0] === r && t.pool_winners[pr][pc][1] === c;
        return [won ? `${name(lesson.relu ? "activated" : "z", index)} won its window: it takes dL/d${name("pooled", [pr, pc])} = ${f(key, index)}`
                    : `${name(lesson.relu ? "activated" : "z", index)} did not win a window: its gradient is 0`, [me].concat(won ? [["dL_dpooled", [pr, pc]]] : [])];
      }
      case "dL_dz": {
        if (lesson.relu) {
          return t.relu_mask[r][c] ? [`${name("z", index)} = ${f("z", index)} > 0: the ReLU passes dL/d${name("activated", index)} = ${f(key, index)}`, [me, ["dL_dactivated", index], ["z", index]]]
                                   : [`${name("z", index)} = ${f("z", index)} ≤ 0: the ReLU blocks the gradient, dL/d${name("z", index)} = 0`, [me, ["z", index]]];
        }
        if (s.pool) return [`dL/d${name("z", index)} = dL/dA there = ${f(key, index)}`, [me, ["dL_dactivated", index]]];
        const i = r * s.ow + c;
        return [`dL/d${name("z", index)} = dL/ds · v${i + 1} = ${f("dL_dlogit", [])} · ${paren(f("fc_weight", [i]))} = ${f(key, index)}`, [me, ["dL_dlogit", []], ["fc_weight", [i]]]];
      }
      case "dL_dkernel": {
        const terms = t.dL_dkernel_terms[r * s.kw + c], lights = [me, ["kernel", index]], parts = [];
        for (const term of terms) {
          const zr = Math.floor(term.k / s.ow), zc = term.k % s.ow;
          parts.push(`${paren(cp.fmt(term.dL_dz, d.dL_dz, MINUS))}·${paren(cp.fmt(term.dz_dw, d.input, MINUS))}`);
          lights.push(["dL_dz", [zr, zc]], ["padded_input", [zr * s.sh + r, zc * s.sw + c]], ["product", [term.k, r * s.kw + c]]);
        }
        return [`dL/d${name("kernel", index)} = Σₖ dL/dzₖ · xₖ = ${parts.join(" + ")} = ${f(key, index)}`, lights];
      }
      case "product": {
        const [k, i] = index, term = t.dL_dkernel_terms[i][k], a = Math.floor(i / s.kw), b = i % s.kw;
        const zr = Math.floor(k / s.ow), zc = k % s.ow;
        return [`dL/dz${k + 1} · x = ${cp.fmt(term.dL_dz, d.dL_dz, MINUS)} · ${paren(cp.fmt(term.dz_dw, d.input, MINUS))} = ${f(key, index)}, its share of dL/dw${i + 1}`,
                [me, ["dL_dz", [zr, zc]], ["padded_input", [zr * s.sh + a, zc * s.sw + b]], ["dL_dkernel", [a, b]]]];
      }
      case "dL_dbias": {
        const parts = [], lights = [me];
        t.dL_dz.forEach((rw, i) => rw.forEach((_, j) => { parts.push(f("dL_dz", [i, j])); lights.push(["dL_dz", [i, j]]); }));
        return [`dL/db = Σₖ dL/dzₖ = ${sum(parts)} = ${f(key, index)}`, lights];
      }
      case "dL_dinput": {
        const parts = [], lights = [me], i = r + s.p, j = c + s.p;
        for (let zr = 0; zr < s.oh; zr++) for (let zc = 0; zc < s.ow; zc++) {
          const a = i - zr * s.sh, b = j - zc * s.sw;
          if (a < 0 || b < 0 || a >= s.kh || b >= s.kw) continue;
          parts.push(`${paren(f("dL_dz", [zr, zc]))}·${paren(f("kernel", [a, b]))}`);
          lights.push(["dL_dz", [zr, zc]], ["kernel", [a, b]]);
        }
        return parts.length ? [`dL/d${name("input", index)} = Σ dL/dzₖ · w under it = ${parts.join(" + ")} = ${f(key, index)}`, lights]
                            : [`dL/d${name("input", index)} = 0: no window reads this cell (the stride skips it)`, lights];
      }
      case "kernel_updated": case "bias_updated": case "fc_weight_updated": case "fc_bias_updated": {
        const base = UPDATED_OF[key], grad = { kernel: "dL_dkernel", bias: "dL_dbias", fc_weight: "dL_dfc_weight", fc_bias: "dL_dfc_bias" }[base];
        return [`${name(key, index)} = ${name(base, index)} − α · dL/d${name(base, index)} = ${f(base, index)} − ${f("learning_rate", [])} · ${paren(f(grad, index))} = ${f(key, index)}`,
                [me, [base, index], [grad, index], ["learning_rate", []]]];
      }
      case "loss_updated": return [`L* = the loss computed again with W*, b*, v*, c* = ${f(key, index)} (before the step: ${f("loss", [])})`, [me, ["loss", []]]];
      default: return [spoken(key, index), [me]];
    }
  }

  function explain(cell) {
    if (!cell.labelled) writeLabel(cell);
    const [text, lights] = explanation(cell);
    $("why").textContent = text;
    light(lights);
    const sectionOf = cell.el.closest("[data-section]");
    if (sectionOf && SCENES[sectionOf.dataset.section]) { scene = SCENES[sectionOf.dataset.section]; writeCommand(); }
  }

  // ---------- editing ----------
  function message(text) {
    const node = $("message");
    if (node.textContent !== (text || "")) node.textContent = text || "";
  }

  function onEdit(event) {
    const node = event.target, cell = node._cell;
    if (!cell || !cell.editable) return;
    const raw = node.value.trim().replace(MINUS, "-");
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
    const problem = Number.isFinite(value) ? valueMessage(cell.key, value) : `'${cell.key}' in --values must be a number, got '${node.value}'`;
    if (node.getAttribute("aria-invalid") !== (problem ? "true" : "false")) node.setAttribute("aria-invalid", problem ? "true" : "false");
    message(problem);
    if (problem) return;
    if (cell.index.length === 2) lesson[cell.key][cell.index[0]][cell.index[1]] = value + 0;
    else if (cell.index.length === 1) lesson[cell.key][cell.index[0]] = value + 0;
    else lesson[cell.key] = value + 0;
    seeded = false;
    recompute(true);
  }

  function settingsFromControls() {
    const n = (id) => Number($(id).value);
    return { input: [n("set-rows"), n("set-cols")], kernel: [n("set-kh"), n("set-kw")], stride: [n("set-sh"), n("set-sw")],
             padding: n("set-padding"), pool: n("set-pool"), relu: $("set-relu").checked };
  }
  function readSettings() {
    const s = cp.shapeOf(lesson);
    const set = { "set-rows": s.H, "set-cols": s.W, "set-kh": s.kh, "set-kw": s.kw, "set-sh": s.sh, "set-sw": s.sw, "set-padding": s.p, "set-pool": s.pool };
    for (const [id, v] of Object.entries(set)) $(id).value = v;
    $("set-relu").checked = !!lesson.relu;
  }
  function onSettings() {
    const c = settingsFromControls();
    const whole = Object.values(c).every((v) => typeof v === "boolean" || (Array.isArray(v) ? v.every(Number.isInteger) : Number.isInteger(v)));
    const problem = whole ? configMessage(c) : "sizes, stride, padding and pool are whole numbers";
    message(problem);
    if (problem) return;
    const old = cp.shapeOf(lesson);
    lesson.input = resized(lesson.input, c.input[0], c.input[1]);
    lesson.kernel = resized(lesson.kernel, c.kernel[0], c.kernel[1]);
    Object.assign(lesson, { stride: c.stride, padding: c.padding, pool: c.pool, relu: c.relu });
    const s = cp.shapeOf(lesson);
    if (s.ph * s.pw !== lesson.fc_weight.length) lesson.fc_weight = resized([lesson.fc_weight], 1, s.ph * s.pw)[0];
    seeded = false;
    const same = ["H", "W", "kh", "kw", "sh", "sw", "p", "pool"].every((k) => old[k] === s[k]);
    if (!same || true) build();
    recompute(true);
  }

  // ---------- sharing: the fragment and the command ----------
  function writeFragment() {
    const state = Object.assign(given(lesson), { seed: META.seed, seeded: seeded });
    const hash = "#lesson=" + encodeURIComponent(JSON.stringify(state));
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function readFragment() {
    const m = /(?:^#|&)lesson=([^&]*)/.exec(location.hash);
    if (!m) return null;
    try {
      const state = JSON.parse(decodeURIComponent(m[1]));
      const s = cp.shapeOf(state);
      const problem = configMessage({ input: [s.H, s.W], kernel: [s.kh, s.kw], stride: [s.sh, s.sw], padding: s.p, pool: s.pool, relu: state.relu });
      if (problem) { message("the link's lesson: " + problem); return null; }
      for (const key of GIVEN_KEYS) {
        for (const v of [].concat(...[].concat(state[key]).map((x) => [].concat(x)))) {
          const bad = valueMessage(key, v);
          if (bad) { message("the link's lesson: " + bad); return null; }
        }
      }
      if (state.fc_weight.length !== s.ph * s.pw) { message("the link's lesson: the dense weights do not fit the pooled map"); return null; }
      seeded = !!state.seeded;
      return given(state);
    } catch (err) {
      message("the link's lesson cannot be read; the page shows the course's lesson");
      return null;
    }
  }

  const pairText = (a, b) => (a === b ? `${a}` : `${a}x${b}`);
  const VALUES_FILE = "explorer-values.json";
  function command() {
    const s = cp.shapeOf(lesson);
    const parts = ["convprop render", scene, "--input-size", pairText(s.H, s.W), "--kernel-size", pairText(s.kh, s.kw),
                   "--stride", pairText(s.sh, s.sw), "--padding", String(s.p)];
    if (lesson.relu) parts.push("--relu");
    if (s.pool) parts.push("--pool", String(s.pool));
    parts.push("--seed", String(META.seed));
    if (seeded) parts.push("--learning-rate", String(lesson.learning_rate));
    else parts.push("--values", VALUES_FILE);
    return parts.join(" ");
  }
  function valuesFile() {
    const out = {};
    for (const key of GIVEN_KEYS) out[key] = lesson[key];
    return JSON.stringify(out);
  }
  function copyCommand() {
    const text = command();
    const done = () => { $("copied").textContent = seeded ? "Copied." : `Copied; save the values as ${VALUES_FILE} beside you.`; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    } else fallbackCopy(text, done);
    const link = $("values-file");
    link.href = "data:application/json;charset=utf-8," + encodeURIComponent(valuesFile());
    link.hidden = seeded;
  }
  function fallbackCopy(text, done) {
    const area = el("textarea", { readonly: "", "aria-hidden": "true", cls: "offscreen" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (err) { /* the command stays shown on the page */ }
    area.remove();
    done();
  }

  // ---------- keyboard: arrows move between the cells of a grid ----------
  function onKey(event) {
    const node = event.target, cell = node._cell;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (!cell || !moves[event.key]) return;
    if (cell.editable && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      const atEdge = event.key === "ArrowLeft" ? node.selectionStart === 0 && node.selectionEnd === 0 : node.selectionStart === node.value.length;
      if (!atEdge) return;  // inside a field the arrows move the caret until it reaches an end
    }
    const grid = node.parentElement;
    if (!grid.classList.contains("grid")) return;
    const items = Array.from(grid.children), cols = Number(grid.dataset.cols);
    const at = items.indexOf(node), [dr, dc] = moves[event.key];
    const next = items[at + dr * cols + dc];
    if (next && (dc === 0 || Math.floor((at + dc) / cols) === Math.floor(at / cols))) {
      next.focus();
      if (next.select) next.select();
      event.preventDefault();
    }
  }

  // "#at=SCENE" (a chapter's "explore this step"): its part of the page, its first value focused
  function goToStep() {
    const at = /(?:^#|&)at=([\w-]+)/.exec(location.hash);
    const sectionFor = Object.entries(SCENES).find(([, v]) => at && v === at[1]);
    if (!sectionFor) return;
    if (sectionFor[0] === "chain") document.querySelector("details.scaled").open = true;
    const target = document.querySelector(`[data-section="${sectionFor[0]}"]`);
    if (target) { const first = target.querySelector(".v"); if (first) first.focus(); target.scrollIntoView(); }
    scene = at[1];
    writeCommand();
  }

  function start() {
    lesson = readFragment() || given(START);
    build();
    recompute(false);
    $("values").addEventListener("input", onEdit);
    $("values").addEventListener("keydown", onKey);
    $("settings").addEventListener("change", onSettings);
    $("copy").addEventListener("click", copyCommand);
    goToStep();
    window.addEventListener("hashchange", goToStep);
    document.body.dataset.ready = "true";
  }

  // for the tests and benchmarks: the shown text of a value, and the lesson in the page
  Object.assign(cp, { shownText: (key, index) => shown(key, index), lesson: () => lesson, command: () => command(),
                     link: () => { writeFragment(); return location.href; } });
  start();
})();
