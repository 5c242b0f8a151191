"""The playground page in real headless Chromium, driven by Playwright.

Everything goes through the page's data-* contract: ``[data-neuron]``,
``[data-connection]``, ``[data-parameter]``, ``[data-action]``, ``#details``,
``#loss``, ``input[data-edit]`` and the class ``current``.  Skips (with the
reason) where Playwright or Chromium is missing, e.g. on PyPy.
"""

import os
import shutil

import pytest

import neurograph as ng

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed (pip install "
                                      "playwright; CPython only)")

CHROMIUM = next((p for p in (os.environ.get("NEUROGRAPH_CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and os.path.exists(p)), None)
if CHROMIUM is None:
    pytest.skip("no Chromium found (/usr/bin/chromium); .ci/setup-browser installs it",
                allow_module_level=True)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
IMAGES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "images")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as e:       # a browser that cannot start here: say why
            pytest.skip("Chromium at %s does not start: %s" % (CHROMIUM, str(e).splitlines()[0]))
        yield b
        b.close()


class Page:
    """A playground page on a fresh server, with every request it makes recorded."""

    def __init__(self, browser, handle):
        self.handle = handle
        self.requests = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(handle.url)
        self.page.wait_for_selector('#status:has-text("ready")')

    def press(self, action):
        self.page.click('[data-action="%s"]' % action)
        self.settle()

    def settle(self):
        """Wait until the page's queue of API calls is empty."""
        self.page.wait_for_function("() => !document.querySelector('#status').textContent.includes('...')")
        self.page.evaluate("() => new Promise(r => setTimeout(r, 50))")
        self.page.wait_for_load_state("networkidle")

    def details_of(self, selector, text):
        self.page.click(selector)
        self.page.wait_for_selector("#details:has-text(%r)" % text, timeout=10000)
        return self.page.inner_text("#details")

    def current(self):
        return self.page.eval_on_selector_all("[data-neuron].current", "els => els.map(e => e.dataset.neuron)")


@pytest.fixture
def mazur(browser):
    ex = ng.textbook.mazur()
    handle = ng.serve(ex, loss="half_sse", open_browser=False)
    page = Page(browser, handle)
    yield page
    page.page.close()
    handle.stop()


def test_the_drawing_follows_the_contract(mazur):
    p = mazur.page
    assert sorted(p.eval_on_selector_all("[data-neuron]", "e => e.map(x => x.dataset.neuron)")) == \
        ["h1", "h2", "i1", "i2", "o1", "o2"]
    assert sorted(p.eval_on_selector_all("[data-connection]", "e => e.map(x => x.dataset.connection)")) == \
        ["w%d" % k for k in range(1, 9)]
    assert set(p.eval_on_selector_all("[data-parameter]", "e => e.map(x => x.dataset.parameter)")) == \
        {"b1", "b2"}
    for action in ("forward", "backward", "step", "train", "next", "reset"):
        assert p.query_selector('[data-action="%s"]' % action) is not None
    assert p.query_selector("#details") and p.query_selector("#loss")


def test_forward_backward_and_the_details_of_o1_and_w5(mazur):
    mazur.press("forward")
    assert "0.751365" in mazur.page.inner_text("#loss")
    mazur.press("backward")
    assert "0.298371109" in mazur.page.inner_text("#loss")
    text = mazur.details_of('[data-neuron="o1"]', "BP1")
    assert "0.138498562" in text
    assert "delta_o1 = dE/d(out_o1) * d(out_o1)/d(net_o1)" in text      # net.explain's text
    text = mazur.details_of('[data-connection="w5"]', "BP4")
    assert "0.082167041" in text
    mazur.page.hover('[data-neuron="h1"]')
    card = mazur.page.inner_text("#card")
    assert "0.008771" in card and "delta" in card


def test_step_makes_w5_0_35891648(mazur):
    mazur.press("forward")
    mazur.press("backward")
    mazur.press("step")
    text = mazur.details_of('[data-connection="w5"]', "weight")
    assert "0.35891648" in text
    assert "0.291027774" in mazur.page.inner_text("#loss")


def test_editing_w1_changes_the_outputs(mazur):
    mazur.press("forward")
    before = mazur.page.inner_text("#loss")
    mazur.details_of('[data-connection="w1"]', "weight")
    field = mazur.page.locator('input[data-edit="w1"]')
    field.fill("0.9")
    field.press("Enter")
    mazur.page.wait_for_function("() => !document.querySelector('#loss').textContent.includes(%r)"
                                 % before.split("outputs")[1])
    after = mazur.page.inner_text("#loss")
    assert after != before
    assert mazur.handle.playground.net["w1"].weight == 0.9
    assert "0.900" in mazur.page.text_content('[data-label-for="w1"]')      # its label


def test_next_visits_the_neurons_in_walk_order(mazur):
    net = mazur.handle.playground.net
    ids = {id(n) for n in net.neurons}
    order = []
    h = net.add_hook(lambda e, obj: order.append(obj.name) if id(obj) in ids else None,
                     on="backward")
    net.forward(ng.textbook.mazur().x)
    net.backward(ng.textbook.mazur().y)
    h.remove()
    seen = []
    for _ in order:
        mazur.press("next")
        cur = mazur.current()
        assert len(cur) == 1
        seen.append(cur[0])
        assert "BP" in mazur.page.inner_text("#walk")
    assert seen == order == ["o1", "o2", "h1", "h2"]
    assert mazur.page.eval_on_selector_all("[data-connection].current",
                                           "e => e.map(x => x.dataset.connection)") == ["w3", "w4"]


def test_train_draws_the_loss(mazur):
    mazur.page.fill("#epochs", "5")
    mazur.press("train")
    assert "epoch 5" in mazur.page.inner_text("#loss")
    assert mazur.page.query_selector("#chart polyline") is not None
    mazur.press("reset")
    assert "no pass yet" in mazur.page.inner_text("#loss")


def test_no_request_goes_to_another_host(mazur):
    mazur.press("forward")
    mazur.press("backward")
    mazur.details_of('[data-neuron="o1"]', "BP1")
    mazur.press("next")
    mazur.press("step")
    base = "http://127.0.0.1:%d/" % mazur.handle.port
    assert mazur.requests
    assert all(u.startswith(base) or u.startswith("data:") or u.startswith("blob:")
               for u in mazur.requests), mazur.requests


def test_screenshots_for_the_docs(browser, tmp_path):
    """The pictures of docs/playground.md: Mazur's net stepped back to h1, iris after training.

    They go to a temporary folder; ``NEUROGRAPH_SCREENSHOTS=1 pytest
    tests/test_playground_browser.py`` writes them to docs/images instead.
    """
    folder = IMAGES if os.environ.get("NEUROGRAPH_SCREENSHOTS") == "1" else str(tmp_path)
    ex = ng.textbook.mazur()
    with ng.serve(ex, loss="half_sse", open_browser=False) as handle:
        page = Page(browser, handle)
        page.page.set_viewport_size({"width": 1200, "height": 720})
        page.press("backward")
        page.details_of('[data-connection="w5"]', "BP4")
        for _ in range(3):
            page.press("next")
        page.page.mouse.move(1, 700)
        page.page.screenshot(path=os.path.join(folder, "playground-mazur.png"))
        page.page.close()
    from neurograph.playground import example
    net, data, options = example("iris")
    with ng.serve(net, data, open_browser=False, **options) as handle:
        page = Page(browser, handle)
        page.page.set_viewport_size({"width": 1200, "height": 620})
        page.page.fill("#epochs", "20")
        page.press("train")
        page.press("backward")
        page.details_of('[data-neuron="h1_3"]', "BP2")
        page.page.mouse.move(1, 600)
        page.page.screenshot(path=os.path.join(folder, "playground-iris.png"))
        page.page.close()
    for name in ("playground-mazur.png", "playground-iris.png"):
        assert os.path.getsize(os.path.join(folder, name)) > 10000
