"""The explorer page's arithmetic is JavaScript, a second implementation of mathcore: here it is
held equal to mathcore in Debian's headless Chromium, the page served from 127.0.0.1.

Hundreds of random lessons go to ``window.convprop.compute`` in one page load; lessons built
with exact zeros and exact ties (that floats get wrong) check the ReLU's and the pool's
decisions; an edit typed into the page is read back from the DOM at the shown precision.
"""

import json
import random
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from convprop.course.explorer_decimals import GRADIENT_DECIMALS, MAP_DECIMALS, spec
from convprop.course.explorer_page import ExplorerError, LESSON_KEYS, publish_explorer
from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.export import trace_to_json
from convprop.mathcore.values import decimals_to_show
from tests.course_browser import browser_available, chromium, console_errors, serve, wait_for

pytestmark = [pytest.mark.xdist_group("explorer"),
              pytest.mark.skipif(not browser_available(), reason="needs Debian's chromium and chromium-driver")]

LESSONS = 300
RATES = (0.01, 0.1, 0.5, 1.0, 5.0)


def close(page, want, path="") -> None:
    """Every number of ``want`` (mathcore's) equals the page's within 1e-9 (relative past 1)."""
    if isinstance(want, dict):
        for key, value in want.items():
            close(page[key], value, f"{path}.{key}")
    elif isinstance(want, (list, tuple)):
        assert isinstance(page, list) and len(page) == len(want), path
        for i, (p, w) in enumerate(zip(page, want)):
            close(p, w, f"{path}[{i}]")
    elif isinstance(want, bool) or want is None:
        assert page == want, path
    else:
        assert abs(page - want) <= 1e-9 * max(1.0, abs(want)), f"{path}: page {page!r}, mathcore {want!r}"


def random_config(rng: random.Random) -> ModelConfig:
    while True:
        kh, kw = rng.randint(1, 5), rng.randint(1, 5)
        config = ModelConfig(
            input_size=(rng.randint(max(1, kh - 2), 12), rng.randint(max(1, kw - 2), 12)), kernel_size=(kh, kw),
            stride=(rng.randint(1, 3), rng.randint(1, 3)), padding=rng.randint(0, min(kh, kw) - 1),
            relu=rng.random() < 0.5, pool=rng.choice((0, 0, 2, 3)), seed=rng.randint(0, 10_000),
            learning_rate=rng.choice(RATES))
        try:
            return config.validate()
        except ConfigError:
            continue


def random_lessons(count: int, seed: int = 24):
    """(config, given values) of ``count`` lessons: seeded ones, a third with given values of two
    decimals and a target between 0 and 1, and a sixth with values of five to twelve decimals
    (which the page cannot add as integers over a few powers of ten)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        config = random_config(rng)
        given = {}
        if n % 6 == 1:
            h, w = config.input_size
            long = lambda: round(rng.uniform(-2, 2), rng.choice((5, 7, 12)))  # noqa: E731
            given = {"input": [[long() for _ in range(w)] for _ in range(h)],
                     "kernel": [[long() for _ in range(config.kernel_size[1])] for _ in range(config.kernel_size[0])],
                     "bias": long()}
        if n % 3 == 2:
            h, w = config.input_size
            given = {"input": [[rng.randint(-200, 200) / 100 for _ in range(w)] for _ in range(h)],
                     "kernel": [[rng.randint(-100, 100) / 100 for _ in range(config.kernel_size[1])]
                                for _ in range(config.kernel_size[0])],
                     "bias": rng.randint(-50, 50) / 100, "target": rng.choice((0.0, 0.25, 0.7, 1.0))}
        out.append((config, given))
    return out


def exact_z(lesson: dict) -> list:
    """z as written, in Fractions: the independent check that a kink lesson has its kinks."""
    x, w = lesson["padded_input"], lesson["kernel"]
    (sh, sw), kh, kw = lesson["stride"], len(w), len(w[0])
    rows, cols = len(lesson["z"]), len(lesson["z"][0])
    f = lambda v: Fraction(repr(float(v)))  # noqa: E731
    return [[sum(f(x[r * sh + a][c * sw + b]) * f(w[a][b]) for a in range(kh) for b in range(kw)) + f(lesson["bias"])
             for c in range(cols)] for r in range(rows)]


def float_z(lesson: dict) -> list:
    x, w = lesson["padded_input"], lesson["kernel"]
    (sh, sw), kh, kw = lesson["stride"], len(w), len(w[0])
    return [[sum(x[r * sh + a][c * sw + b] * w[a][b] for a in range(kh) for b in range(kw)) + lesson["bias"]
             for c in range(len(lesson["z"][0]))] for r in range(len(lesson["z"]))]


def kink_lessons(count: int = 60, seed: int = 7, long: bool = False):
    """Lessons whose decisions sit on kinks as written, where floats decide otherwise. Half cancel
    the first window's sum with the bias, so z1 is exactly 0 as written (ReLU on); half are pooled
    with a 1x2 kernel of tenths whose first two windows tie as written while floats rank the
    second higher. Products of tenths are rarely exact in floats. ``long``: the input's last cell,
    outside the kinks' windows, has seven decimals, so the page cannot take the sums as integers
    over a few powers of ten and must add them as exact decimals."""
    rng = random.Random(seed)
    tenths = (0.1, 0.2, 0.3, 0.6, -0.1, -0.2, -0.3)
    f = lambda v: Fraction(repr(v))  # noqa: E731
    out = []
    while len(out) < count:
        h, w = rng.randint(3, 6), rng.randint(3, 6)
        x = [[rng.choice(tenths) for _ in range(w)] for _ in range(h)]
        if len(out) % 2 == 0:
            kernel = [[rng.choice(tenths) for _ in range(2)] for _ in range(2)]
            first = sum(f(x[a][b]) * f(kernel[a][b]) for a in range(2) for b in range(2))
            config = ModelConfig(input_size=(h, w), kernel_size=(2, 2), stride=(1, 1), relu=True,
                                 pool=rng.choice((0, 2)), seed=rng.randint(0, 999))
            if long:
                x[-1][-1] = 0.1234567
            out.append((config, {"input": x, "kernel": kernel, "bias": float(-first)}))
            continue
        k0, k1, a, b, c = (rng.choice(tenths[:4]) for _ in range(5))
        if f(a) * f(k0) + f(b) * f(k1) != f(b) * f(k0) + f(c) * f(k1) or a * k0 + b * k1 >= b * k0 + c * k1:
            continue  # not a tie as written, or one floats already decide as exact arithmetic does
        x[0][:3] = [a, b, c]
        x[1] = [0.0] * w  # the window's second row below the tie
        if long:
            x[-1][-1] = 0.1234567
        config = ModelConfig(input_size=(h, w), kernel_size=(1, 2), stride=(1, 1), relu=rng.random() < 0.5, pool=2,
                             seed=rng.randint(0, 999))
        out.append((config, {"input": x, "kernel": [[k0, k1]], "bias": 0.0}))
    return out


def first_max(values) -> int:
    best = 0
    for i, v in enumerate(values):
        if v > values[best]:
            best = i
    return best


def winners(z, relu: bool, pool: int) -> list:
    """The pool's winners decided on ``z`` (exact or float), the first maximum of each window."""
    a = [[max(v, 0) if relu else v for v in row] for row in z]
    rows, cols = (len(a) - pool) // pool + 1, (len(a[0]) - pool) // pool + 1
    out = []
    for r in range(rows):
        for c in range(cols):
            cells = [(r * pool + i, c * pool + j) for i in range(pool) for j in range(pool)]
            out.append(list(cells[first_max([a[i][j] for i, j in cells])]))
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The default lesson's explorer, served on 127.0.0.1 and open in headless Chromium."""
    folder = tmp_path_factory.mktemp("explorer") / "explorer"
    publish_explorer(folder, run_model(ModelConfig()))
    with serve(folder) as (base, _), chromium(tmp_path_factory.mktemp("profile"), 1400, 1000) as driver:
        driver.get(base + "explorer.html")
        wait_for(driver, "return document.body.dataset.ready")
        yield driver, base
        assert console_errors(driver) == []


def lesson_of(trace) -> dict:
    """What the page is given of a lesson: compute --json's keys that the page reads."""
    data = trace_to_json(trace)
    return {key: data[key] for key in LESSON_KEYS}


def page_compute(driver, lessons: list) -> list:
    return driver.execute_script("return arguments[0].map((l) => window.convprop.compute(l))", lessons)


def expected(trace) -> dict:
    """Mathcore's values for every key the page returns: compute --json's, the map-0 gradients
    and the exact decisions."""
    data = trace_to_json(trace)
    for words in ("kernel_name", "draw"):  # words, not numbers: the page shows neither
        data.pop(words, None)
    data["dL_dpooled"] = trace.dL_dpooled.tolist()
    data["dL_dactivated"] = trace.dL_dactivated.tolist()
    data["relu_mask"] = None if trace.head.relu_mask is None else trace.head.relu_mask.tolist()
    data["pool_winners"] = None if trace.head.pool_winners is None else trace.head.pool_winners.tolist()
    return data


def test_every_value_equals_mathcore_over_random_lessons(page):
    driver, _ = page
    lessons = random_lessons(LESSONS)
    assert sum(any(len(repr(v).split(".")[-1]) > 4 for v in g.get("kernel", [[]])[0]) for _, g in lessons) >= 30
    traces = [run_model(config, given) for config, given in lessons]
    lessons = [lesson_of(t) for t in traces]
    results = page_compute(driver, lessons)
    assert len(results) == LESSONS
    shapes = set()
    for trace, result in zip(traces, results):
        want = expected(trace)
        assert set(result) == set(want)
        close(result, want)
        c = trace.config
        shapes.add((c.relu, bool(c.pool), c.padding > 0, max(c.stride) > 1))
    assert len(shapes) == 16  # ReLU, pool, padding and stride in every combination


def kinks_decided(traces, results) -> tuple[int, int]:
    """Each result's ReLU mask and pool winners are mathcore's exact ones; the kinks where floats
    decide otherwise: (zeros, ties)."""
    zero_traps = tie_traps = 0
    for trace, result in zip(traces, results):
        full = trace_to_json(trace)
        exact, floats = exact_z(full), float_z(full)
        c = trace.config
        if c.relu:
            assert result["relu_mask"] == [[v > 0 for v in row] for row in exact]
            zero_traps += sum(e == 0 and f > 0 for er, fr in zip(exact, floats) for e, f in zip(er, fr))
        if c.pool:
            decided = winners(exact, c.relu, c.pool)
            assert [w for row in result["pool_winners"] for w in row] == decided
            tie_traps += decided != winners(floats, c.relu, c.pool)
        close(result["z"], full["z"])
    return zero_traps, tie_traps


@pytest.mark.parametrize("long", [False, True], ids=["few-decimals", "many-decimals"])
def test_decisions_at_exact_kinks_are_mathcore_exact_ones(page, long):
    driver, _ = page
    traces = [run_model(config, given) for config, given in kink_lessons(long=long)]
    lessons = [lesson_of(t) for t in traces]
    results = page_compute(driver, lessons)
    zero_traps, tie_traps = kinks_decided(traces, results)
    for trace, result in zip(traces, results):
        close(result, expected(trace))
    # the lessons must hold kinks that floats decide otherwise, or this test could not fail
    assert zero_traps >= 5 and tie_traps >= 20, (zero_traps, tie_traps)


@pytest.mark.parametrize("way", ["integers", "exact", "bounded"])
def test_each_way_the_page_decides_is_exact_at_kinks(page, way):
    """The page decides a lesson's kinks one of three ways (explorer-compute.js, convolve): sums
    of integers, exact decimals, or floats with an error bound that hands a close call to exact
    decimals (the forward pass after the step). Each, forced on the kink lessons, decides as
    mathcore does."""
    driver, _ = page
    traces = [run_model(config, given) for config, given in kink_lessons()]
    lessons = [lesson_of(t) for t in traces]
    results = driver.execute_script(
        "return arguments[0].map((l) => window.convprop.decisions(l, arguments[1]))", lessons, way)
    zero_traps, tie_traps = kinks_decided(traces, results)
    assert zero_traps >= 5 and tie_traps >= 20, (zero_traps, tie_traps)


@pytest.mark.parametrize("settings", [
    {"input": [5, 5], "kernel": [3, 3], "stride": [2, 2], "padding": 3, "pool": 0},
    {"input": [30, 5], "kernel": [3, 3], "stride": [2, 2], "padding": 0, "pool": 0},
    {"input": [5, 5], "kernel": [6, 3], "stride": [1, 1], "padding": 0, "pool": 0},
    {"input": [3, 3], "kernel": [3, 3], "stride": [1, 1], "padding": 0, "pool": 2},
    {"input": [2, 2], "kernel": [3, 3], "stride": [1, 1], "padding": 0, "pool": 0},
    {"input": [28, 28], "kernel": [5, 5], "stride": [1, 1], "padding": 3, "pool": 0},
    {"input": [5, 5], "kernel": [3, 3], "stride": [0, 1], "padding": 0, "pool": 0},
])
def test_a_setting_out_of_range_gets_the_commands_message(page, settings):
    driver, _ = page
    config = ModelConfig(input_size=tuple(settings["input"]), kernel_size=tuple(settings["kernel"]),
                         stride=tuple(settings["stride"]), padding=settings["padding"], pool=settings["pool"])
    with pytest.raises(ConfigError) as refused:
        config.validate()
    ids = {"set-rows": settings["input"][0], "set-cols": settings["input"][1], "set-kh": settings["kernel"][0],
           "set-kw": settings["kernel"][1], "set-sh": settings["stride"][0], "set-sw": settings["stride"][1],
           "set-padding": settings["padding"], "set-pool": settings["pool"]}
    message = driver.execute_script("""
        const ids = arguments[0], keep = {};
        for (const [id, v] of Object.entries(ids)) { keep[id] = document.getElementById(id).value; document.getElementById(id).value = v; }
        document.getElementById('settings').dispatchEvent(new Event('change'));
        const text = document.getElementById('message').textContent;
        for (const [id, v] of Object.entries(keep)) document.getElementById(id).value = v;
        document.getElementById('settings').dispatchEvent(new Event('change'));
        return text;""", ids)
    assert message == str(refused.value)


def python_shown(trace, key, value) -> str:
    """How the video writes ``value`` of ``key``: the scenes' own functions."""
    from convprop.scenes.kit.numbers import exact_decimals, fmt

    given = {"input": "input", "padded_input": "input", "kernel": "kernel", "bias": "bias", "fc_weight": "fc_weight",
             "fc_bias": "fc_bias"}
    if key in given:
        decimals = trace.values.decimals[given[key]]
    elif key in ("target", "learning_rate"):
        decimals = exact_decimals(getattr(trace, key))
    else:
        decimals = spec()["fixed"][key]
    return fmt(value, decimals)


def paren(text: str) -> str:
    return f"({text})" if text.startswith("\u2212") else text


def displayed(driver) -> list:
    """(key, index, text) of every number the page shows (a field's value for a given one)."""
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('#values .v')).map((n) => [n.dataset.key,
            n.dataset.index === '' ? [] : n.dataset.index.split(',').map(Number), n.value !== undefined ? n.value : n.textContent]);""")


def test_an_edit_typed_into_the_page_shows_mathcores_numbers(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver, base = page
    driver.get(base + "explorer.html")
    wait_for(driver, "return document.body.dataset.ready")
    cell = driver.find_element(By.CSS_SELECTOR, 'input[data-key="kernel"][data-index="1,1"]')
    cell.click()
    cell.send_keys(Keys.CONTROL, "a")
    cell.send_keys("-0.35")
    kernel = run_model(ModelConfig()).conv.kernel.tolist()
    kernel[1][1] = -0.35
    trace = run_model(ModelConfig(), {"kernel": kernel})
    data = trace_to_json(trace)
    data["dL_dpooled"], data["dL_dactivated"] = trace.dL_dpooled.tolist(), trace.dL_dactivated.tolist()
    seen = 0
    for key, index, text in displayed(driver):
        if key == "product":
            k, i = index
            value = data["dL_dkernel_terms"][i][k]["product"]
            want = python_shown(trace, "dL_dkernel", value)
        else:
            value = data[key]
            for i in index:
                value = value[i]
            want = python_shown(trace, key, value)
        if key in ("input", "kernel", "bias", "fc_weight", "fc_bias", "target", "learning_rate"):
            want = want.replace("\u2212", "-")  # a field is typed in with the keyboard's minus
        assert text == want, (key, index)
        seen += 1
    assert seen > 100
    assert driver.execute_script("return window.convprop.shownText('kernel', [1, 1])") == "\u22120.35"
    # the video's decimals: a given value with two places shows every kernel entry with two
    assert trace.values.decimals["kernel"] == 2
    assert driver.find_element(By.CSS_SELECTOR, 'input[data-key="kernel"][data-index="0,0"]').get_attribute("value") == \
        f"{kernel[0][0]:.2f}"
    # the spoken labels follow once the typing pauses: every value's name and number, the keyboard's minus
    label = f"dL/dw5 = {trace.conv_grad.dL_dkernel[1, 1]:.3f}"
    assert wait_for(driver, "return document.querySelector('[data-key=\"dL_dkernel\"][data-index=\"1,1\"]')"
                    ".getAttribute('aria-label') === arguments[0]", 5, label)


def test_an_edit_rewrites_only_the_numbers_it_changed(page):
    """An edit writes the text of each number whose text changed and nothing else: no element is
    added or removed, no unchanged number is touched, and a changed number is lit until the
    typing pauses."""
    driver, base = page
    driver.get(base + "explorer.html")
    wait_for(driver, "return document.body.dataset.ready")
    before, after, written, nodes, lit = driver.execute_script("""
        const texts = () => Array.from(document.querySelectorAll('#values span.v')).map((n) => n.textContent);
        const before = texts(), records = [];
        const watch = new MutationObserver((list) => records.push(...list));
        watch.observe(document.getElementById('values'), {subtree: true, childList: true, characterData: true});
        const cell = document.querySelector('input[data-key="input"][data-index="1,1"]');
        cell.value = '-0.9';
        cell.dispatchEvent(new Event('input', {bubbles: true}));
        records.push(...watch.takeRecords());
        watch.disconnect();
        const spans = Array.from(document.querySelectorAll('#values span.v'));
        const written = records.filter((r) => r.type === 'characterData').map((r) => spans.indexOf(r.target.parentNode));
        return [before, texts(), written, records.filter((r) => r.type === 'childList').length,
                spans.map((n, i) => n.classList.contains('changed') ? i : -1).filter((i) => i >= 0)];""")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(changed) > 20 and len(changed) < len(before)  # an edit of one cell leaves some numbers as they were
    assert sorted(written) == changed and nodes == 0
    assert lit == changed
    wait_for(driver, "return document.querySelectorAll('#values .changed').length === 0", 5)


@pytest.mark.parametrize("settings", [{}, {"set-rows": 12, "set-cols": 12, "set-sh": 1, "set-sw": 1, "set-padding": 1,
                                         "set-pool": 2, "set-relu": True},
                                      {"set-rows": 7, "set-cols": 6, "set-kh": 2, "set-kw": 5, "set-sh": 1, "set-sw": 1}])
def test_every_grid_shows_its_rows_and_columns(page, settings):
    """A grid's cells float in a box sized for its columns: each row of the matrix is one line on
    screen, its cells left to right, whatever the lesson's shape."""
    driver, base = page
    driver.get(base + "explorer.html")
    wait_for(driver, "return document.body.dataset.ready")
    driver.execute_script("""
        for (const [id, v] of Object.entries(arguments[0])) {
          const node = document.getElementById(id);
          if (node.type === 'checkbox') node.checked = v; else node.value = v;
        }
        document.getElementById('settings').dispatchEvent(new Event('change'));
        document.querySelector('details.scaled').open = true;""", settings)
    assert driver.find_element("id", "message").text == ""
    grids = driver.execute_script("""
        return Array.from(document.querySelectorAll('#values .grid')).map((g) => {
          const cells = Array.from(g.children).map((n) => n.getBoundingClientRect());
          return [Number(g.dataset.cols), cells.map((r) => [Math.round(r.top), Math.round(r.left)])];
        });""")
    assert len(grids) > 10
    for cols, places in grids:
        rows = [places[i:i + cols] for i in range(0, len(places), cols)]
        assert all(len({top for top, _ in row}) == 1 for row in rows), places
        assert len({row[0][0] for row in rows}) == len(rows)  # one line per row
        assert all(row == sorted(row, key=lambda p: p[1]) for row in rows)
        assert all([left for _, left in row] == [left for _, left in rows[0][:len(row)]] for row in rows)
    driver.get(base + "explorer.html")  # the course's lesson again, for the tests that follow
    wait_for(driver, "return document.body.dataset.ready")


def test_the_page_formats_numbers_as_the_video_does(page):
    from convprop.scenes.kit.numbers import exact_decimals, fmt
    from convprop.scenes.stories import weight_update

    assert weight_update.LOSS_DECIMALS == GRADIENT_DECIMALS
    assert MAP_DECIMALS == 2
    driver, _ = page
    rng = np.random.default_rng(3)
    values = [0.125, -0.125, 0.0625, 2.5, 0.5, -0.5, 1.5, 0.0005, -0.0004, -1e-12, 0.0, 1000.0, -999.9995, 0.1 + 0.2,
              *rng.uniform(-2, 2, 200).tolist(), *(np.round(rng.uniform(-2, 2, 100), 3)).tolist()]
    cases = [(v, d) for v in values for d in range(5)]
    page_texts = driver.execute_script(
        "return arguments[0].map(([v, d]) => window.convprop.fmt(v, d, '\u2212'))", cases)
    assert page_texts == [fmt(v, d) for v, d in cases]
    groups = [[0.1, 0.25], [5.0], [0.00001], [1 / 3], [0.1111, 0.3], [-0.5, 2.0, 0.125], [1e-7]]
    page_decimals = driver.execute_script(
        "return arguments[0].map((g) => window.convprop.decimalsToShow(g, arguments[1]))", groups, spec()["given"])
    assert page_decimals == [decimals_to_show(g) for g in groups]
    singles = [0.1, 0.05, 5.0, 0.3 - 0.05, 4 - 0.05 * 1.2, 1 / 3, 0.125, 0.00005]
    page_exact = driver.execute_script(
        "return arguments[0].map((v) => window.convprop.exactDecimals(v, arguments[1]))", singles, spec()["exact"])
    assert page_exact == [exact_decimals(v) for v in singles]


def test_keyboard_tab_reaches_every_value_and_arrows_move_between_cells(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver, base = page
    driver.get(base + "explorer.html")
    wait_for(driver, "return document.body.dataset.ready")
    values = driver.execute_script("return document.querySelectorAll('#values .v').length")
    driver.execute_script("document.querySelector('#values .v').focus()")
    reached = set()
    for _ in range(values + 20):
        reached.add(driver.execute_script(
            "return Array.from(document.querySelectorAll('#values .v')).indexOf(document.activeElement)"))
        ActionChains(driver).send_keys(Keys.TAB).perform()
    assert reached - {-1} == set(range(values))
    driver.execute_script("document.querySelector('[data-key=\"z\"][data-index=\"0,0\"]').focus()")
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    assert driver.execute_script("return document.activeElement.dataset.index") == "1,1"
    trace = run_model(ModelConfig())
    label = driver.execute_script("return document.querySelector('[data-key=\"dL_dkernel\"][data-index=\"1,1\"]').getAttribute('aria-label')")
    assert label == f"dL/dw5 = {trace.conv_grad.dL_dkernel[1, 1]:.3f}"
    # focusing a value explains it: its sum's terms, and the cells they read lit
    driver.execute_script("document.querySelector('[data-key=\"z\"][data-index=\"0,0\"]').focus()")
    why = driver.find_element("id", "why").text
    from convprop.scenes.kit.numbers import fmt

    assert why.startswith("z1 = ") and why.endswith("= " + fmt(trace.z[0, 0], 2))
    terms = why.split(" = ")[2].split(" + ")
    assert terms[:9] == [f"{paren(fmt(x, 1))}·{paren(fmt(w, 1))}"
                         for x, w in zip(trace.conv.patches[0, 0].flat, trace.conv.kernel.flat)]
    assert terms[9] == paren(fmt(trace.conv.bias, 1))
    assert driver.execute_script("return document.querySelectorAll('.lit').length") == 9 + 9 + 1


def test_the_link_and_the_command_give_back_the_lesson(page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from convprop import cli

    driver, base = page
    driver.get(base + "explorer.html")
    wait_for(driver, "return document.body.dataset.ready")
    assert driver.execute_script("return window.convprop.command()") == \
        "convprop render forward-pass --input-size 5 --kernel-size 3 --stride 2 --padding 0 --seed 0 --learning-rate 0.1"
    driver.execute_script("const p = document.getElementById('set-padding'); p.value = 1;"
                          "document.getElementById('set-relu').checked = true;"
                          "document.getElementById('settings').dispatchEvent(new Event('change'))")
    cell = driver.find_element(By.CSS_SELECTOR, 'input[data-key="input"][data-index="2,2"]')
    cell.click()
    cell.send_keys(Keys.CONTROL, "a")
    cell.send_keys("0.45")
    link, command, lesson, shown = driver.execute_script(
        "return [window.convprop.link(), window.convprop.command(), window.convprop.lesson(), window.convprop.compute(window.convprop.lesson())]")
    assert "#lesson=" in link and lesson["input"][2][2] == 0.45 and lesson["padding"] == 1 and lesson["relu"] is True
    # a fresh page opened on the link holds the same lesson
    driver.get("about:blank")
    driver.get(link)
    wait_for(driver, "return document.body.dataset.ready")
    assert driver.execute_script("return window.convprop.lesson()") == lesson
    # the command, with the values file the page offers, computes the same lesson
    values = tmp_path / "explorer-values.json"
    values.write_text(json.dumps({k: lesson[k] for k in ("input", "kernel", "bias", "fc_weight", "fc_bias", "target",
                                                         "learning_rate")}))
    args = command.split()[3:]  # after `convprop render forward-pass`
    args[args.index("--values") + 1] = str(values)
    done = CliRunner().invoke(cli.cli, ["compute", *args, "--json"])
    assert done.exit_code == 0, done.output
    close(shown, {k: v for k, v in json.loads(done.output).items() if k in shown})


def test_the_page_is_written_whole_or_refused_in_one_line(tmp_path):
    trace = run_model(ModelConfig())
    made = publish_explorer(tmp_path / "a" / "b", trace)
    assert sorted(p.name for p in made.parent.iterdir()) == ["explorer-compute.js", "explorer.css", "explorer.html",
                                                             "explorer.js"]
    publish_explorer(tmp_path / "a" / "b", trace)  # an earlier explorer is replaced
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ExplorerError, match="holds files that are not the explorer"):
        publish_explorer(other, trace)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    with pytest.raises(ExplorerError, match="one input channel"):
        publish_explorer(tmp_path / "c", run_model(ModelConfig(channels=3)))
    assert not (tmp_path / "c").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "other"]


def test_the_page_works_from_a_file_url(tmp_path):
    page = publish_explorer(tmp_path / "explorer", run_model(ModelConfig(relu=True, stride=(1, 1), pool=3)))
    with chromium(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        wait_for(driver, "return document.body.dataset.ready")
        assert driver.execute_script("return window.convprop.shownText('loss', [])") == \
            f"{run_model(ModelConfig(relu=True, stride=(1, 1), pool=3)).loss:.3f}"
        # a chapter's "explore this step" opens the page at its part, and the command renders that scene
        driver.get(page.as_uri() + "#at=chain-rule")
        wait_for(driver, "return document.body.dataset.ready")
        assert driver.execute_script("return window.convprop.command()").startswith("convprop render chain-rule ")
        assert driver.execute_script("return document.activeElement.dataset.key") == "product"
        assert console_errors(driver) == []


def test_the_course_gets_the_page_and_a_link_for_each_step(tmp_path):
    from types import SimpleNamespace

    from convprop.course.explorer_page import course_explorer
    from convprop.mathcore.lesson import run_lesson

    chapters = [SimpleNamespace(number=n, name=name, title=name.replace("-", " ").capitalize())
                for n, name in enumerate(("forward-pass", "chain-rule", "mlp-worked-example"), start=1)]
    html = course_explorer(tmp_path, run_lesson(ModelConfig()), chapters)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explorer-compute.js", "explorer.css", "explorer.html",
                                                          "explorer.js"]
    assert 'href="explorer.html"' in html
    assert 'href="explorer.html#at=forward-pass"' in html and 'href="explorer.html#at=chain-rule"' in html
    assert "mlp-worked-example" not in html  # the page has no part for the 2-2-2 network
    layer = tmp_path / "layer"
    layer.mkdir()
    assert course_explorer(layer, run_model(ModelConfig(filters=2)), chapters) == ""
    assert list(layer.iterdir()) == []


def test_the_command_writes_the_page_or_refuses_in_one_line(tmp_path):
    import subprocess
    import sys

    def explorer(*args):
        return subprocess.run([sys.executable, "-c", "from convprop import cli; cli.main()", "explorer", *args],
                              cwd=tmp_path, capture_output=True, text=True)

    done = explorer("--input-size", "7", "--stride", "1", "--padding", "1", "--relu", "--pool", "2", "--output", "page")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str((tmp_path / "page" / "explorer.html").resolve())]
    lesson = json.loads((tmp_path / "page" / "explorer.html").read_text().split('id="convprop-lesson">')[1]
                        .split("</script>")[0])
    trace = run_model(ModelConfig(input_size=(7, 7), stride=(1, 1), padding=1, relu=True, pool=2))
    assert lesson == lesson_of(trace)
    for args, words in ((("--filters", "2"), "one input channel, one filter"),
                        (("--padding", "3"), "padding 3 must be smaller than the kernel size 3x3")):
        refused = explorer(*args, "--output", "refused")
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and words in refused.stderr
        assert not (tmp_path / "refused").exists()
