"""The playground as a classroom tool (#23), in headless Chromium: one test (or a few) per
numbered part of the issue, the quiz of #25, and the screenshots docs/playground.md shows."""

import json
import os
import time

import pytest

import neurograph as ng
from neurograph.playground import example

from test_playground_browser import Page, browser, open_page, screenshots  # noqa: F401

OVERLAPS = """() => {
    const rs = [...document.querySelectorAll('#net text')].filter(t => t.textContent.trim())
        .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([_, r]) => r.width > 0);
    const bad = [];
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) {
        const a = rs[i][1], b = rs[j][1];
        if (a.left + 1 < b.right && b.left + 1 < a.right && a.top + 1 < b.bottom && b.top + 1 < a.bottom)
            bad.push(rs[i][0] + ' / ' + rs[j][0]);
    }
    return bad;
}"""


def served(browser, name, width=1280, height=800):
    net, data, options = example(name)
    return open_page(browser, net, data, width, height, **options)


def done(page):
    page.close()
    page.handle.stop()


def state_of(page):
    return page.handle.playground.act("state")


# ---------------------------------------------------------------------------
# 1. data in the page
# ---------------------------------------------------------------------------

def test_1_data_sets_noise_split_and_regenerate(browser):
    page = served(browser, "xor")
    p = page.page
    assert p.eval_on_selector_all('select[data-control="dataset"] option', "os => os.map(o => o.value)") \
        == ["own", "xor", "circle", "gaussian", "spiral", "iris", "digits"]
    page.control('select[data-control="dataset"]', "spiral")
    assert len(p.query_selector_all("#points circle")) == 200
    first = p.get_attribute("#points circle", "cx")
    page.control('input[data-control="noise"]', 20)
    page.control('input[data-control="split"]', 50)
    assert "100 train / 100 test" in p.inner_text("#split-count")
    assert len(p.query_selector_all('#points circle[data-test="1"]')) == 100
    assert page.handle.playground.data.noise == 20
    page.press("regenerate")
    assert p.get_attribute("#points circle", "cx") != first
    for kind in ("circle", "gaussian", "iris"):
        page.control('select[data-control="dataset"]', kind)
        assert page.handle.playground.data.kind == kind
    done(page)


# ---------------------------------------------------------------------------
# 2. architecture in the page
# ---------------------------------------------------------------------------

def test_2_layers_neurons_activations_and_features(browser):
    page = served(browser, "spiral")
    p, pg = page.page, page.handle.playground
    page.press("add-layer")
    assert pg.act("state")["architecture"]["hidden"] == [8, 8, 8]
    assert len(p.query_selector_all(".layerctl")) == 3
    page.press('add-neuron"][data-layer="1')
    page.press('remove-neuron"][data-layer="2')
    assert pg.act("state")["architecture"]["hidden"] == [9, 7, 8]
    assert len(set(p.eval_on_selector_all("[data-neuron]", "e => e.map(x => x.dataset.neuron)"))) == 2 + 24 + 1
    page.control('select[data-control="activation"][data-layer="1"]', "relu")
    assert pg.net["h1_1"].activation.name == "relu" and pg.net["h2_1"].activation.name == "tanh"
    page.press("remove-layer")
    assert pg.act("state")["architecture"]["hidden"] == [9, 7]
    p.check('input[type=checkbox][data-feature="x1^2"]')
    page.settle()
    p.check('input[type=checkbox][data-feature="sin(x2)"]')
    page.settle()
    assert len(pg.net.inputs) == 4 and pg.data.features == ["x1", "x2", "x1^2", "sin(x2)"]
    assert p.input_value("#lr") == "0.03" and pg.settings.optimizer == "adam"   # kept
    assert page.drawn(".feature") == ["x1", "x2", "x1^2", "sin(x2)"]
    done(page)


# ---------------------------------------------------------------------------
# 3. settings in the page
# ---------------------------------------------------------------------------

def test_3_learning_rate_loss_optimizer_batch_momentum_decay(browser):
    page = served(browser, "xor")
    page.control("#lr", "0.25")
    page.control("#lossname", "mse")
    page.control("#optimizer", "momentum")
    page.control('input[data-control="momentum"]', "0.8")
    page.control('input[data-control="weight_decay"]', "0.01")
    page.control('input[data-control="batch"]', 2)
    s = page.handle.playground.settings
    assert (s.lr, s.loss, s.optimizer, s.momentum, s.weight_decay, s.batch) == \
        ("0.25", "mse", "momentum", "0.8", "0.01", 2)
    opt = page.handle.playground.opt
    assert (opt.lr, opt.momentum, opt.weight_decay) == (0.25, 0.8, 0.01)
    page.control("#lr", "-1")                                  # refused: nothing changes
    assert "lr" in page.page.inner_text("#status") and page.handle.playground.settings.lr == "0.25"
    page.page.fill("#lr", "0.25")
    page.control("#optimizer", "adam")
    assert type(page.handle.playground.opt).__name__ == "Adam"
    done(page)


# ---------------------------------------------------------------------------
# 4. pictures that teach
# ---------------------------------------------------------------------------

PAINTED = """() => { const c = document.querySelector('canvas[data-heatmap="output"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


def test_4_heatmaps_and_the_loss_curves(browser):
    page = served(browser, "spiral")
    p = page.page
    assert p.evaluate(PAINTED) == 240 * 240
    hrefs = p.eval_on_selector_all("#net image[data-heatmap]", "es => es.map(e => [e.dataset.heatmap, e.getAttribute('href') || ''])")
    assert {h for h, _ in hrefs} >= {"i1", "h1_1", "h2_8", "o1"}
    assert all(href.startswith("data:image/png") for _, href in hrefs)
    before = p.get_attribute('[data-heatmap="h1_1"]', "href")
    p.fill("#epochs", "3")
    page.press("train")
    assert p.get_attribute('[data-heatmap="h1_1"]', "href") != before        # redrawn
    for series in ("train", "test", "accuracy", "test-accuracy"):
        assert p.query_selector('#loss [data-series="%s"]' % series) is not None, series
    done(page)
    page = served(browser, "mazur")                          # regression: no accuracy
    page.page.fill("#epochs", "3")
    page.press("train")
    assert page.page.query_selector('#loss [data-series="train"]') is not None
    assert page.page.query_selector('#loss [data-series="accuracy"]') is None
    assert page.page.is_hidden("#accchart") and page.page.is_hidden("#plane")
    done(page)


# ---------------------------------------------------------------------------
# 5. stepping that never shows the future
# ---------------------------------------------------------------------------

def test_5_backward_step_1_on_mazur_shows_nothing_later(browser):
    page = served(browser, "mazur")
    p = page.page
    page.press("backward")
    page.press("next")
    assert page.current() == ["o1"]
    for name in ("h1", "h2", "o2"):
        assert page.drawn('[data-neuron="%s"] [data-value="delta"]' % name) == [], name
    for k in range(1, 5):
        assert page.drawn('[data-connection="w%d"] [data-value="grad"]' % k) == [], k
    assert page.drawn('[data-parameter="b1"] [data-value="grad"]') == []
    assert page.drawn('[data-neuron="o1"] [data-value="delta"]') == ["\u03b4 0.1385"]
    assert page.drawn('[data-connection="w5"] [data-value="grad"]') == ["\u2207 0.0822"]
    p.hover('[data-neuron="h1"]')
    assert "delta: \u2013" in p.inner_text("#card")
    text = page.details_of('[data-connection="w1"]', "not reached")
    assert "0.000438" not in text
    assert "0.008771" not in p.inner_text("body") and "0.0088" not in p.inner_text("body")
    assert p.query_selector("#walk math") is not None
    assert "delta_o1 = dE/d(out_o1)" in p.text_content("#walk details.plain pre")
    page.press("next")
    page.press("next")
    assert page.current() == ["h1"]
    page.press("prev")
    assert page.current() == ["o2"] and page.drawn('[data-neuron="h1"] [data-value="delta"]') == []
    done(page)


# ---------------------------------------------------------------------------
# 6. any size
# ---------------------------------------------------------------------------

def test_6_a_2_8_1_net_fits_and_no_text_overlaps(browser):
    net = ng.Net.dense([2, 8, 1], activation="sigmoid", seed=3)
    page = open_page(browser, net, ng.datasets.xor(), lr=1.0, title="XOR, 2-8-1")
    page.press("backward")
    p = page.page
    box = p.evaluate("() => { const r = document.querySelector('#net').getBoundingClientRect(); "
                     "const b = document.querySelector('#netbox').getBoundingClientRect(); "
                     "return [r.bottom, r.right, b.right, innerHeight, document.documentElement.scrollHeight]; }")
    assert box[0] <= box[3] and box[1] <= box[2] + 1, box
    assert p.evaluate(OVERLAPS) == []
    page.page.click('[data-connection="h1_3->o1"]')           # its labels, and still no overlap
    page.settle()
    assert page.drawn('.clabel.selected [data-value="weight"]')
    assert p.evaluate(OVERLAPS) == []
    done(page)


def test_6_the_digits_net_stays_readable(browser):
    page = served(browser, "digits")
    p = page.page
    page.press("backward")
    assert len(p.query_selector_all("#net rect.pixel")) == 64
    size = p.evaluate("() => { const r = document.querySelector('#net').getBoundingClientRect(); "
                      "return [r.width, r.height, document.querySelector('#netbox').clientWidth]; }")
    assert size[0] <= size[2] + 1 and size[1] <= 2 * 800
    assert p.evaluate(OVERLAPS) == []
    assert page.drawn(".classname") == [str(k) for k in range(10)]
    p.hover('[data-neuron="h1_5"]')
    focus = p.eval_on_selector_all(".conn.focus", "es => es.length")
    assert focus == 64 + 10                                  # its connections in full
    done(page)


def test_6_on_a_phone_the_net_is_wide_and_the_panels_below(browser):
    page = served(browser, "mazur", 390, 844)
    page.press("backward")
    r = page.page.evaluate("() => [document.querySelector('#net').getBoundingClientRect().width, "
                           "document.querySelector('#netbox').getBoundingClientRect().bottom, "
                           "document.querySelector('aside').getBoundingClientRect().top]")
    assert r[0] >= 340 and r[2] >= r[1], r
    done(page)


# ---------------------------------------------------------------------------
# 7. recurrent nets
# ---------------------------------------------------------------------------

def test_7_an_elman_net_arcs_time_steps_and_bptt(browser):
    page = open_page(browser, ng.Net.elman([1, 3, 1]), ng.datasets.echo(8, length=5),
                     loss="binary_cross_entropy", lr=0.5)
    p, pg = page.page, page.handle.playground
    arcs = p.eval_on_selector_all("g.conn[data-delay]", "es => es.map(e => [e.dataset.delay, e.textContent])")
    assert len(arcs) == 9 and all(d == "1" and t == "t\u22121" for d, t in arcs)
    page.press("backward")
    assert len(p.query_selector_all("[data-time-step]")) == 5
    p.click('[data-time-step="2"]')
    page.settle()
    a = pg.net["h1_1"].at(2).a
    assert page.drawn('[data-neuron="h1_1"] [data-value="a"]') == ["%.4f" % a]
    text = page.details_of('[data-neuron="h1_1"]', "BP2")
    assert "through time" in text
    assert "delta_h1_1(2) = " in p.text_content("#details details.plain pre")     # at step 2
    for _ in range(6):
        page.press("next")
    walk = p.inner_text("#walk")
    assert "h1_1 (t=3)" in walk and "BP2 through time" in walk
    assert "delta_h1_1(4)" in p.text_content("#walk details.plain pre")    # from the later step
    done(page)


def test_7_neurograph_serve_echo_and_a_gallery_example(browser):
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in ("echo", "bptt_prachub"):
        proc = subprocess.Popen([sys.executable, "-m", "neurograph", "serve", name, "--no-browser"],
                                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector('#status:has-text("ready")')
            page.click('[data-action="backward"]')
            page.wait_for_function("() => NG.pending === 0")
            assert page.query_selector("g.conn[data-delay]") is not None
            assert page.query_selector("[data-time-step]") is not None
            page.close()
        finally:
            proc.terminate()
            proc.communicate(timeout=20)


# ---------------------------------------------------------------------------
# 8. fast Play, honest progress
# ---------------------------------------------------------------------------

def epochs_per_second(page, seconds):
    p = page.page
    p.click('[data-action="play"]')
    p.wait_for_function("() => NG.stats.frames > 2")
    start = p.evaluate("() => [NG.stats.epoch, performance.now()]")
    time.sleep(seconds)
    end = p.evaluate("() => [NG.stats.epoch, performance.now()]")
    p.click('[data-action="play"]')
    page.settle()
    return (end[0] - start[0]) / ((end[1] - start[1]) / 1000)


def test_8_play_is_fast_and_pauses(browser):
    page = served(browser, "xor")
    rate = epochs_per_second(page, 1.5)
    assert rate >= 100, rate                     # benchmarks/serve.py --browser: >= 200
    shown = page.page.inner_text('[data-readout="epoch"]')
    time.sleep(0.4)
    assert page.page.inner_text('[data-readout="epoch"]') == shown          # paused
    assert int(shown.split()[-1]) == len(page.handle.playground.history)
    done(page)
    page = served(browser, "spiral")
    assert epochs_per_second(page, 2.0) >= 5     # with both heatmaps redrawn each frame
    done(page)


def test_8_a_long_train_shows_progress_and_pauses(browser):
    page = served(browser, "digits")
    p = page.page
    p.fill("#epochs", "5")
    p.click('[data-action="train"]')
    p.wait_for_function("() => document.querySelector('#status').textContent.includes('% of the next')")
    p.click('[data-action="play"]')                       # Pause
    page.settle()
    assert "paused" in p.inner_text("#status")
    assert len(page.handle.playground.history) < 5
    done(page)


# ---------------------------------------------------------------------------
# 9. the faults listed in the issue
# ---------------------------------------------------------------------------

def test_9_load_reset_sample_toolbar_wrapping_colour_names(browser, tmp_path):
    page = served(browser, "iris")
    p = page.page
    assert page.drawn(".classname") == ["setosa", "versicolor", "virginica"]
    assert page.drawn(".feature") == page.handle.playground.data.input_names()
    assert p.input_value("#lossname") == "categorical_cross_entropy"
    p.select_option("#sample", "60")                       # a sample: its forward pass at once
    page.settle()
    assert "outputs" in p.inner_text("#loss") and page.handle.playground.phase == "forward"
    page.press("backward")
    text = page.details_of('[data-neuron="o1"]', "BP1")
    assert "categorical_cross_entropy" in p.text_content("#details")   # explain's name, the same
    places = [b.bounding_box() for b in p.query_selector_all("#controls [data-action]")]
    page.press("next")
    assert [b.bounding_box() for b in p.query_selector_all("#controls [data-action]")] == places
    p.click("#details details.plain summary")
    assert p.evaluate("() => { const e = document.querySelector('#details pre'); "
                      "return e.scrollWidth <= e.clientWidth + 1; }")
    wire = '[data-connection="h1_1->o1"] .wire'
    colour = p.get_attribute(wire, "stroke")
    p.click('g.conn[data-connection="h1_1->o1"]')
    page.settle()
    assert p.get_attribute(wire, "stroke") == colour
    assert p.evaluate("s => getComputedStyle(document.querySelector(s)).stroke", wire) in (
        colour, "rgb(43, 108, 176)" if colour == "#2b6cb0" else "rgb(197, 48, 48)")
    p.check("#full")
    page.settle()
    assert all(len(t) <= 8 for t in page.drawn('[data-value="a"]'))       # the diagram: short
    assert any(len(td) > 12 for td in p.eval_on_selector_all("#details td", "es => es.map(e => e.textContent)"))
    p.fill("#lr", "0.5")
    p.dispatch_event("#lr", "change")
    page.settle()
    page.press("reset")
    assert p.input_value("#lr") == "0.05"
    spiral = ng.playground.Playground(*example("spiral")[:2], **example("spiral")[2])
    spiral.act("dataset", {"kind": "circle", "split": 60})
    path = tmp_path / "circle.json"
    path.write_text(json.dumps(spiral.act("model")))
    p.set_input_files("#load", str(path))
    page.settle()
    assert "Two spirals" in p.inner_text("#title")
    assert p.input_value('select[data-control="dataset"]') == "circle"
    assert p.input_value("#lossname") == "binary_cross_entropy"
    assert "120 train / 80 test" in p.inner_text("#split-count")
    done(page)


# ---------------------------------------------------------------------------
# the quiz (#25)
# ---------------------------------------------------------------------------

def test_the_quiz_checks_each_answer_and_hides_the_numbers(browser):
    page = served(browser, "mazur")
    p = page.page
    page.press("quiz")
    field = p.locator("input[data-answer]")
    assert field.get_attribute("data-answer") == "o1.delta"
    assert page.drawn('[data-neuron="o1"] [data-value="delta"]') == []
    assert "0.1384" not in p.inner_text("#walk")
    field.fill("0.5")
    field.press("Enter")
    page.settle()
    assert p.get_attribute("[data-result]", "data-result") == "mistake"
    assert p.locator("input[data-answer]").get_attribute("data-answer") == "o1.delta"
    p.locator("input[data-answer]").fill("0.1385")
    p.locator("input[data-answer]").press("Enter")
    page.settle()
    assert p.get_attribute("[data-result]", "data-result") == "correct"
    assert page.drawn('[data-neuron="o1"] [data-value="delta"]') == ["\u03b4 0.1385"]
    assert p.locator("input[data-answer]").get_attribute("data-answer") == "o2.delta"
    page.press("next")                                       # skip o2
    f = p.locator("input[data-answer]")
    assert f.get_attribute("data-answer") == "h1.delta"
    f.fill("0.0364")
    f.press("Enter")
    page.settle()
    assert "derivative" in p.inner_text("[data-result]")     # missing_derivative, in words
    done(page)


# ---------------------------------------------------------------------------
# the pictures of docs/playground.md
# ---------------------------------------------------------------------------

def test_screenshots_for_the_docs(browser, tmp_path):
    """Mazur mid-walk, the spiral with heatmaps, digits, the Elman net, a phone.

    They go to a temporary folder; ``NEUROGRAPH_SCREENSHOTS=1 pytest
    tests/test_playground_classroom.py -k screenshots`` writes them to docs/images.
    """
    folder = screenshots(tmp_path)
    shots = []

    def shot(page, name):
        page.page.mouse.move(2, 2)
        page.page.screenshot(path=os.path.join(folder, name), full_page=True)
        shots.append(name)

    page = served(browser, "mazur", 1280, 800)
    page.press("backward")
    page.details_of('[data-connection="w5"]', "BP4")
    for _ in range(3):
        page.press("next")
    shot(page, "playground-mazur.png")
    done(page)
    page = served(browser, "spiral", 1280, 800)
    for f in ("sin(x1)", "sin(x2)"):
        page.page.check('input[data-feature="%s"]' % f)
        page.settle()
    page.page.fill("#epochs", "120")
    page.press("train")
    page.page.wait_for_function("() => document.querySelector('#status').textContent.includes('trained')")
    page.settle()
    shot(page, "playground-spiral.png")
    done(page)
    page = served(browser, "digits", 1280, 800)
    page.press("backward")
    page.details_of('[data-neuron="h1_5"]', "BP2")
    page.page.hover('[data-neuron="h1_5"]')
    page.page.screenshot(path=os.path.join(folder, "playground-digits.png"))
    shots.append("playground-digits.png")
    done(page)
    page = open_page(browser, ng.Net.elman([1, 3, 1]), ng.datasets.echo(8, length=5),
                     loss="binary_cross_entropy", lr=0.5, title="Elman 1-3-1 on the echo task")
    for _ in range(6):
        page.press("next")
    shot(page, "playground-elman.png")
    done(page)
    page = served(browser, "xor", 390, 844)
    page.press("backward")
    page.page.screenshot(path=os.path.join(folder, "playground-phone.png"))
    shots.append("playground-phone.png")
    done(page)
    for name in shots:
        assert os.path.getsize(os.path.join(folder, name)) > 10000, name
