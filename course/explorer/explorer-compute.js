// The lecture's CNN computed in the browser: conv -> [ReLU] -> [max pool] -> flatten -> dense ->
// sigmoid -> BCE, its backward pass and one SGD step, for one channel and one filter.
//
// This is a second implementation of mathcore (model.py, conv.py, layers.py), kept equal to it by
// the tests over hundreds of random lessons. As in mathcore, the decisions (ReLU at z = 0, ties in
// a pooling window) are taken on exact values: every given number is taken as written (the
// shortest decimal that gives back its double, which JavaScript's String() and Python's repr()
// both print), and the sums that decide are exact: integers in doubles when every value has a few
// decimals (mathcore.exact's own way), else BigInt decimals where a float bound cannot decide.
//
// Numbers are written by the video's rules (course/explorer_decimals.py), handed over as data.
(function (root) {
  "use strict";

  // ---- exact decimals: n * 10^-e ----
  function exact(x) {
    const text = String(x);
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
    if (!m) throw new Error("not a finite number: " + text);
    const frac = m[3] || "";
    let n = BigInt(m[2] + frac);
    let e = frac.length - (m[4] ? parseInt(m[4], 10) : 0);
    if (e < 0) { n *= 10n ** BigInt(-e); e = 0; }
    return { n: m[1] ? -n : n, e: e };
  }
  const ZERO = { n: 0n, e: 0 };
  function align(a, b) {
    if (a.e === b.e) return [a.n, b.n, a.e];
    if (a.e > b.e) return [a.n, b.n * 10n ** BigInt(a.e - b.e), a.e];
    return [a.n * 10n ** BigInt(b.e - a.e), b.n, b.e];
  }
  function add(a, b) { const [x, y, e] = align(a, b); return { n: x + y, e: e }; }
  function mul(a, b) { return { n: a.n * b.n, e: a.e + b.e }; }
  function greater(a, b) { const [x, y] = align(a, b); return x > y; }
  // the correctly rounded double of an exact value (parseFloat rounds a decimal correctly)
  function toFloat(a) { return a.n === 0n ? 0 : parseFloat(a.n.toString() + "e" + (-a.e)); }

  // ---- the layers ----
  function sigmoid(x) {
    const e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  function bce(logit, target) {  // from the logit, never the log of 0 (layers.bce_with_logit)
    return Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
  }
  function lossSlope(logit, target) {  // dL/dy_hat (model.loss_slope_at_prediction); null when infinite
    const yHat = sigmoid(logit), oneMinus = sigmoid(-logit);
    let total = 0;
    for (const [weight, p] of [[-target, yHat], [1 - target, oneMinus]]) {
      if (weight) total += p ? weight / p : (weight > 0 ? Infinity : -Infinity);
    }
    return Number.isFinite(total) ? total : null;
  }
  const plain = (v) => (v === 0 ? 0 : v);  // -0 written as 0, as mathcore.export does
  const grid = (rows, cols, f) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => f(r, c)));

  function shapeOf(lesson) {
    const H = lesson.input.length, W = lesson.input[0].length;
    const kh = lesson.kernel.length, kw = lesson.kernel[0].length;
    const [sh, sw] = lesson.stride, p = lesson.padding;
    const oh = Math.floor((H + 2 * p - kh) / sh) + 1, ow = Math.floor((W + 2 * p - kw) / sw) + 1;
    const pool = lesson.pool || 0;
    const ph = pool ? Math.floor((oh - pool) / pool) + 1 : oh, pw = pool ? Math.floor((ow - pool) / pool) + 1 : ow;
    return { H, W, kh, kw, sh, sw, p, oh, ow, pool, ph, pw };
  }

  // ---- z and what ReLU and pooling decide on, for the values as written ----
  // Every value of an array over one common power of ten, when each has at most four decimals
  // and lies below a million (mathcore.exact.integers_over's common case): {n, scale}, or null.
  // A decimal of so few places is the one the float is written as: no other lies as near it.
  function integersOver(values) {
    for (let places = 0; places <= 4; places++) {
      const scale = 10 ** places, n = new Array(values.length);
      let ok = true;
      for (let i = 0; i < values.length && ok; i++) {
        const v = values[i];
        n[i] = Math.round(v * scale);
        ok = Math.abs(v) < 1e6 && n[i] / scale === v;
      }
      if (ok) return { n, scale };
    }
    return null;
  }
  const EXACT_INTEGERS = 2 ** 53;  // every integer below it, and every sum of such below it, is exact in a double
  const U = 2 ** -53;  // the unit roundoff

  // The convolution's sums z, their ReLU mask, and `above(a, b)`: whether the decided value
  // (ReLU(z) with ReLU, else z) at window a is larger than at b, exactly, for the values as written.
  // Three ways, each giving mathcore's decisions:
  //  * integers: every given value of few decimals (the lessons' own and what a student types):
  //    the sums are exact integers in doubles, and z, one integer over a power of ten, is divided
  //    once, so it is the correctly rounded value of the exact sum;
  //  * `rounded` (the lesson's own z, which is shown): else every sum exact in BigInt decimals,
  //    then correctly rounded;
  //  * otherwise (the forward pass after the step, for L* alone): float sums with an error bound
  //    against the exact sum of the values as written; where the bound cannot decide a sign or
  //    an order, that window's sum is taken exactly.
  // `way` (the tests' handle) forces one way: "integers", "exact" or "bounded".
  function convolve(s, relu, padded, kernel, bias, rounded, way) {
    const taps = s.kh * s.kw;
    const exactAt = (() => {
      let xs = null, ws = null, b = null;
      const memo = new Map();
      return (r, c) => {
        const key = r * s.ow + c;
        if (memo.has(key)) return memo.get(key);
        if (!xs) { xs = padded.map((row) => row.map(exact)); ws = kernel.map((row) => row.map(exact)); b = exact(bias); }
        let sum = ZERO;
        for (let a = 0; a < s.kh; a++) {
          for (let k = 0; k < s.kw; k++) sum = add(sum, mul(xs[r * s.sh + a][c * s.sw + k], ws[a][k]));
        }
        sum = add(sum, b);
        memo.set(key, sum);
        return sum;
      };
    })();

    const xi = way && way !== "integers" ? null : integersOver([].concat(...padded));
    const wi = xi && integersOver([].concat(...kernel)), bi = wi && integersOver([bias]);
    if (way === "integers" && !bi) throw new Error("a value has more than four decimals");
    if (bi) {
      const productScale = xi.scale * wi.scale, scale = Math.max(productScale, bi.scale);  // the lcm of powers of ten
      const up = scale / productScale, b = bi.n[0] * (scale / bi.scale);
      let widest = 0, kernelSum = 0;
      for (const n of xi.n) widest = Math.max(widest, Math.abs(n));
      for (const n of wi.n) kernelSum += Math.abs(n);
      if (widest * kernelSum * up + Math.abs(b) < EXACT_INTEGERS) {
        const cols = padded[0].length;
        const sums = grid(s.oh, s.ow, (r, c) => {
          let sum = 0;
          for (let a = 0; a < s.kh; a++) {
            const row = (r * s.sh + a) * cols + c * s.sw, kernelRow = a * s.kw;
            for (let k = 0; k < s.kw; k++) sum += xi.n[row + k] * wi.n[kernelRow + k];
          }
          return sum * up + b;
        });
        const mask = relu ? sums.map((row) => row.map((v) => v > 0)) : null;
        const decided = relu ? sums.map((row) => row.map((v) => (v > 0 ? v : 0))) : sums;
        return { z: sums.map((row) => row.map((v) => v / scale)), mask,
                 above: (a, b) => decided[a[0]][a[1]] > decided[b[0]][b[1]] };
      }
      if (way === "integers") throw new Error("the sums pass 2^53");
    }
    if (way) rounded = way === "exact";

    // floats, each with a bound on its distance from the exact sum of the values as written: a
    // value as written is within U of its double, relatively, so a product within 3U, and the
    // sum of taps + 1 terms adds at most taps U of their absolute sum; the bound is twice that,
    // plus an absolute margin for products below the doubles' normal range
    const zf = [], bound = [];
    for (let r = 0; r < s.oh; r++) {
      const fr = [], br = [];
      for (let c = 0; c < s.ow; c++) {
        let sum = 0, size = 0;
        for (let a = 0; a < s.kh; a++) {
          for (let k = 0; k < s.kw; k++) { const p = padded[r * s.sh + a][c * s.sw + k] * kernel[a][k]; sum += p; size += Math.abs(p); }
        }
        fr.push(sum + bias);
        br.push(2 * (taps + 4) * U * (size + Math.abs(bias)) + 1e-300);
      }
      zf.push(fr);
      bound.push(br);
    }
    const sign = (r, c) => (Math.abs(zf[r][c]) > bound[r][c] ? Math.sign(zf[r][c]) : (n => (n > 0n ? 1 : n < 0n ? -1 : 0))(exactAt(r, c).n));
    const mask = relu ? grid(s.oh, s.ow, (r, c) => sign(r, c) > 0) : null;
    const z = rounded ? grid(s.oh, s.ow, (r, c) => toFloat(exactAt(r, c))) : zf;
    const decidedExact = (i, j) => (relu && !mask[i][j] ? ZERO : exactAt(i, j));
    const decidedFloat = (i, j) => (relu && !mask[i][j] ? [0, 0] : [zf[i][j], bound[i][j]]);
    return {
      z, mask,
      above: (a, b) => {
        const [fa, ea] = decidedFloat(a[0], a[1]), [fb, eb] = decidedFloat(b[0], b[1]);
        const gap = fa - fb, slack = (ea + eb) * (1 + 4 * U) + 4 * U * Math.abs(gap);
        if (Math.abs(gap) > slack || (ea === 0 && eb === 0)) return gap > 0;  // a bound of 0: both exactly 0
        return greater(decidedExact(a[0], a[1]), decidedExact(b[0], b[1]));
      },
    };
  }

  // the forward pass for one set of weights; `rounded`: z is shown, so correctly rounded
  function forward(s, lesson, padded, kernel, bias, fcWeight, fcBias, rounded, way) {
    const conv = convolve(s, lesson.relu, padded, kernel, bias, rounded, way);
    const z = conv.z, mask = conv.mask;
    const activated = lesson.relu ? z.map((row) => row.map((v) => Math.max(v, 0))) : z;
    let pooled = activated, winners = null;
    if (s.pool) {
      winners = grid(s.ph, s.pw, (r, c) => {
        let best = [r * s.pool, c * s.pool];
        for (let a = 0; a < s.pool; a++) {
          for (let b = 0; b < s.pool; b++) {
            const at = [r * s.pool + a, c * s.pool + b];
            if ((a || b) && conv.above(at, best)) best = at;  // ties: the first stays
          }
        }
        return best;
      });
      pooled = winners.map((row) => row.map(([i, j]) => activated[i][j]));
    }
    const features = [].concat(...pooled);
    let logit = 0;
    for (let i = 0; i < features.length; i++) logit += fcWeight[i] * features[i];
    logit += fcBias;
    const yHat = sigmoid(logit);
    return { z, mask, activated, pooled, winners, features, logit, yHat, loss: bce(logit, lesson.target) };
  }

  // Every value of the lesson, under the names and shapes `convprop compute --json` gives them
  // (its single-channel keys), and the decisions: relu_mask and pool_winners.
  function paddedOf(s, lesson) {
    return grid(s.H + 2 * s.p, s.W + 2 * s.p, (r, c) => {
      const i = r - s.p, j = c - s.p;
      return i >= 0 && i < s.H && j >= 0 && j < s.W ? lesson.input[i][j] : 0;
    });
  }

  // The lesson's z, ReLU mask and pool winners taken one given way (for the tests: each way must
  // decide as mathcore does, also where floats decide otherwise).
  function decisions(lesson, way) {
    const s = shapeOf(lesson);
    const f = forward(s, lesson, paddedOf(s, lesson), lesson.kernel, lesson.bias, lesson.fc_weight, lesson.fc_bias, true, way);
    return { z: f.z, relu_mask: f.mask, pool_winners: f.winners };
  }

  function compute(lesson) {
    const s = shapeOf(lesson);
    const padded = paddedOf(s, lesson);
    const f = forward(s, lesson, padded, lesson.kernel, lesson.bias, lesson.fc_weight, lesson.fc_bias, true);
    const patches = grid(s.oh, s.ow, (r, c) => grid(s.kh, s.kw, (a, b) => padded[r * s.sh + a][c * s.sw + b]));

    const dL_dlogit = f.yHat - lesson.target;
    const dL_dfeatures = lesson.fc_weight.map((w) => dL_dlogit * w);
    const dL_dpooled = grid(s.ph, s.pw, (r, c) => dL_dfeatures[r * s.pw + c]);
    let dL_dactivated = dL_dpooled;
    if (s.pool) {
      dL_dactivated = grid(s.oh, s.ow, () => 0);
      f.winners.forEach((row, r) => row.forEach(([i, j], c) => { dL_dactivated[i][j] += dL_dpooled[r][c]; }));
    }
    const dL_dz = lesson.relu ? dL_dactivated.map((row, r) => row.map((v, c) => (f.mask[r][c] ? v : 0))) : dL_dactivated;

    const dL_dkernel = grid(s.kh, s.kw, () => 0);
    const terms = [];
    for (let a = 0; a < s.kh; a++) {
      for (let b = 0; b < s.kw; b++) {
        const list = [];
        for (let r = 0; r < s.oh; r++) {
          for (let c = 0; c < s.ow; c++) {
            const x = patches[r][c][a][b], g = dL_dz[r][c];
            list.push({ k: r * s.ow + c, dL_dz: plain(g), dz_dw: plain(x), product: plain(g * x) });
            dL_dkernel[a][b] += x * g;
          }
        }
        terms.push(list);
      }
    }
    let dL_dbias = 0;
    const dPadded = grid(s.H + 2 * s.p, s.W + 2 * s.p, () => 0);
    for (let r = 0; r < s.oh; r++) {
      for (let c = 0; c < s.ow; c++) {
        const g = dL_dz[r][c];
        dL_dbias += g;
        for (let a = 0; a < s.kh; a++) {
          for (let b = 0; b < s.kw; b++) dPadded[r * s.sh + a][c * s.sw + b] += g * lesson.kernel[a][b];
        }
      }
    }
    const dL_dinput = grid(s.H, s.W, (i, j) => dPadded[i + s.p][j + s.p]);
    const dL_dfc_weight = f.features.map((x) => dL_dlogit * x);

    const rate = lesson.learning_rate;
    const kernelUpdated = lesson.kernel.map((row, a) => row.map((w, b) => w - rate * dL_dkernel[a][b]));
    const biasUpdated = lesson.bias - rate * dL_dbias;
    const fcWeightUpdated = lesson.fc_weight.map((w, i) => w - rate * dL_dfc_weight[i]);
    const fcBiasUpdated = lesson.fc_bias - rate * dL_dlogit;
    const after = forward(s, lesson, padded, kernelUpdated, biasUpdated, fcWeightUpdated, fcBiasUpdated, false);

    const m = (a) => a.map((row) => row.map(plain));
    return {
      input: m(lesson.input), padded_input: m(padded), kernel: m(lesson.kernel), bias: plain(lesson.bias),
      stride: [s.sh, s.sw], padding: s.p, relu: !!lesson.relu, pool: s.pool,
      z: m(f.z), patches: patches.map((row) => row.map(m)), activated: m(f.activated), pooled: m(f.pooled),
      features: f.features.map(plain), fc_weight: lesson.fc_weight.map(plain), fc_bias: plain(lesson.fc_bias),
      logit: plain(f.logit), y_hat: f.yHat, target: lesson.target, loss: f.loss,
      dL_dy_hat: lossSlope(f.logit, lesson.target), dy_hat_dlogit: f.yHat * sigmoid(-f.logit),
      dL_dlogit: plain(dL_dlogit), dL_dz: m(dL_dz), dL_dkernel: m(dL_dkernel), dL_dkernel_terms: terms,
      dL_dbias: plain(dL_dbias), dL_dinput: m(dL_dinput), dL_dfc_weight: dL_dfc_weight.map(plain),
      dL_dfc_bias: plain(dL_dlogit), learning_rate: rate, kernel_updated: m(kernelUpdated),
      bias_updated: plain(biasUpdated), fc_weight_updated: fcWeightUpdated.map(plain),
      fc_bias_updated: plain(fcBiasUpdated), loss_updated: after.loss,
      // not in compute --json: the map-0 names of the trace (dL_dpooled, dL_dactivated) and the decisions
      dL_dpooled: m(dL_dpooled), dL_dactivated: m(dL_dactivated), relu_mask: f.mask, pool_winners: f.winners,
    };
  }

  // ---- the video's way of writing numbers (scenes.kit.numbers, mathcore.values) ----
  // fixed decimals of the exact binary value, ties to even, as Python's format() does
  function fixed(value, decimals) {
    const v = Math.abs(value);
    let text = v.toFixed(decimals);
    const scaled = v * 10 ** decimals;
    if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6 && v < 1e21) {  // perhaps an exact tie
      const digits = v.toFixed(100).replace(/0+$/, "");
      const frac = digits.split(".")[1] || "";
      if (frac.length === decimals + 1 && frac.endsWith("5")) {  // a tie: toFixed went up, go to even
        const up = BigInt(text.replace(".", ""));
        const n = up % 2n ? up - 1n : up;
        const s = n.toString().padStart(decimals + 1, "0");
        text = decimals ? s.slice(0, -decimals) + "." + s.slice(-decimals) : s;
      }
    }
    const negative = value < 0 || Object.is(value, -0);
    return negative && /[1-9]/.test(text) ? "-" + text : text;
  }
  function fmt(value, decimals, minus) {  // scenes.kit.numbers.fmt: never "-0.00"
    const text = fixed(value, decimals);
    return minus ? text.replace("-", minus) : text;
  }
  function decimalsToShow(values, spec) {  // mathcore.values.decimals_to_show
    let needed = null;
    for (const v of values) {
      const w = String(v);
      const d = w.includes("e") ? spec.most : (w.includes(".") ? w.split(".")[1].length : 0);
      needed = needed === null ? d : Math.max(needed, d);
    }
    if (needed === null) needed = spec.least;
    return Math.min(Math.max(needed, spec.least), spec.most);
  }
  function exactDecimals(value, spec) {  // scenes.kit.numbers.exact_decimals
    for (let d = 0; d <= spec.most; d++) {
      if (Math.abs(Number(fixed(value, d)) - value) < spec.tolerance * Math.max(1, Math.abs(value))) return d;
    }
    return spec.most;
  }
  const flat = (x) => (Array.isArray(x) ? [].concat(...x.map(flat)) : [x]);
  // decimals per key for a trace (the key's name as compute --json gives it)
  function decimalsFor(trace, spec) {
    const out = {};
    const given = { input: "input", padded_input: "input", kernel: "kernel", bias: "bias", fc_weight: "fc_weight", fc_bias: "fc_bias" };
    for (const key of spec.given.keys) out[key] = decimalsToShow(flat(trace[given[key]]), spec.given);
    for (const key of spec.exact.keys) out[key] = exactDecimals(trace[key], spec.exact);
    Object.assign(out, spec.fixed);
    return out;
  }

  const api = root.convprop = root.convprop || {};
  Object.assign(api, { compute, shapeOf, fmt, fixed, decimalsToShow, exactDecimals, decimalsFor, exact, toFloat, integersOver, decisions });
})(typeof window !== "undefined" ? window : globalThis);
