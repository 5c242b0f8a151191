"""The playground page in real headless Chromium, driven by Playwright.

Everything goes through the page's data-* contract: ``[data-neuron]``,
``[data-connection]``, ``[data-parameter]`` (each number drawn inside them
carries ``data-value``), ``[data-action]``, ``[data-control]``, ``#details``,
``#loss``, ``input[data-edit]`` and the class ``current``.  Skips (with the
reason) where Playwright or Chromium is missing, e.g. on PyPy.  The other
``tests/test_playground_*.py`` files import ``Page`` and the fixtures from here.
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


def screenshots(tmp_path):
    """Where the pictures go: docs/images with NEUROGRAPH_SCREENSHOTS=1, else *tmp_path*."""
    return IMAGES if os.environ.get("NEUROGRAPH_SCREENSHOTS") == "1" else str(tmp_path)


class Page:
    """A playground page on a fresh server, with every request it makes recorded."""

    def __init__(self, browser, handle, width=1280, height=800):
        self.handle = handle
        self.requests = []
        self.errors = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(handle.url)
        self.page.wait_for_selector('#status:has-text("ready")')

    def press(self, action):
        self.page.click('[data-action="%s"]' % action)
        self.settle()

    def settle(self):
        """Wait until the page's queue of actions is empty."""
        self.page.wait_for_function("() => window.NG && NG.pending === 0")
        self.page.evaluate("() => new Promise(r => setTimeout(r, 30))")
        self.page.wait_for_function("() => window.NG && NG.pending === 0")

    def details_of(self, selector, text):
        self.page.click(selector)
        self.page.wait_for_selector("#details:has-text(%r)" % text, timeout=10000)
        self.settle()
        return self.page.inner_text("#details")

    def current(self):
        return self.page.eval_on_selector_all("[data-neuron].current", "els => els.map(e => e.dataset.neuron)")

    def drawn(self, selector):
        """The text of the elements *selector* as drawn (empty strings left out)."""
        return [t for t in self.page.eval_on_selector_all(selector, "es => es.map(e => e.textContent)") if t]

    def control(self, selector, value):
        """Set a field or a select and let the page send its change."""
        el = self.page.locator(selector)
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(str(value))
            el.dispatch_event("change")
        self.settle()

    def close(self):
        assert not self.errors, self.errors
        self.page.close()


def open_page(browser, net, data=None, width=1280, height=800, **options):
    handle = ng.serve(net, data, open_browser=False, **options)
    return Page(browser, handle, width, height)


@pytest.fixture
def mazur(browser):
    ex = ng.textbook.mazur()
    handle = ng.serve(ex, loss="half_sse", open_browser=False)
    page = Page(browser, handle)
    yield page
    page.close()
    handle.stop()


def test_the_drawing_follows_the_contract(mazur):
    p = mazur.page
    assert sorted(set(p.eval_on_selector_all("[data-neuron]", "e => e.map(x => x.dataset.neuron)"))) == \
        ["h1", "h2", "i1", "i2", "o1", "o2"]
    assert sorted(set(p.eval_on_selector_all("[data-connection]", "e => e.map(x => x.dataset.connection)"))) \
        == ["w%d" % k for k in range(1, 9)]
    assert set(p.eval_on_selector_all("[data-parameter]", "e => e.map(x => x.dataset.parameter)")) == \
        {"b1", "b2"}
    for action in ("forward", "backward", "step", "train", "next", "prev", "reset", "quiz", "play"):
        assert p.query_selector('[data-action="%s"]' % action) is not None
    assert p.query_selector("#details") and p.query_selector("#loss")


def test_every_drawn_number_says_what_it_is(mazur):
    mazur.press("backward")
    kinds = mazur.page.eval_on_selector_all("#net text", """es => es.filter(e => /\\d/.test(e.textContent)
        && !e.classList.contains('layerlabel') && !e.classList.contains('name')
        && !e.classList.contains('bname') && !e.classList.contains('delay'))
        .map(e => [e.dataset.value, !!e.closest('[data-neuron],[data-connection],[data-parameter]')])""")
    assert kinds and all(k in ("z", "a", "delta", "grad", "weight", "value") and inside
                         for k, inside in kinds), kinds
    assert {k for k, _ in kinds} == {"z", "a", "delta", "grad", "weight", "value"}


def test_forward_backward_and_the_details_of_o1_and_w5(mazur):
    mazur.press("forward")
    assert "0.751365" in mazur.page.inner_text("#loss")
    mazur.press("backward")
    assert "0.298371109" in mazur.page.inner_text("#loss")
    text = mazur.details_of('[data-neuron="o1"]', "BP1")
    assert "0.138498562" in text and mazur.page.query_selector("#details math") is not None
    plain = mazur.page.text_content("#details details.plain pre")
    assert "delta_o1 = dE/d(out_o1) * d(out_o1)/d(net_o1)" in plain      # net.explain's text
    text = mazur.details_of('[data-connection="w5"]', "BP4")
    assert "0.082167041" in text
    mazur.page.hover('[data-neuron="h1"]')
    card = mazur.page.inner_text("#card")
    assert "0.008771" in card and "delta" in card


def test_step_makes_w5_0_35891648_and_shows_its_update(mazur):
    mazur.press("forward")
    mazur.press("backward")
    mazur.press("step")
    text = mazur.details_of('[data-connection="w5"]', "update")
    assert "0.35891648" in text
    plain = mazur.page.text_content("#details details.plain pre")
    assert "w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480" in plain
    assert "0.291027774" in mazur.page.inner_text("#loss")


def test_editing_w1_changes_the_outputs(mazur):
    mazur.press("forward")
    before = mazur.page.inner_text("#loss")
    mazur.details_of('[data-connection="w1"]', "weight")
    field = mazur.page.locator('input[data-edit="w1"]')
    field.fill("0.9")
    field.press("Enter")
    mazur.settle()
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
    assert sorted(set(mazur.page.eval_on_selector_all(
        ".conn.current", "e => e.map(x => x.dataset.connection)"))) == ["w3", "w4"]


def test_train_draws_the_loss(mazur):
    mazur.page.fill("#epochs", "5")
    mazur.press("train")
    assert "epoch 5" in mazur.page.inner_text("#loss")
    assert mazur.page.query_selector('#loss polyline[data-series="train"]') is not None
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


def test_a_transport_answers_every_request_when_the_page_has_one(browser):
    """The no-install page's hook: window.neurographTransport answers request(action, body)."""
    ex = ng.textbook.mazur()
    with ng.serve(ex, open_browser=False) as handle:
        pg = handle.playground
        page = browser.new_page()
        calls = []

        page.expose_function("pyAct", lambda action, body: (calls.append(action),
                                                            pg.act(action, body))[1])
        page.add_init_script("""window.neurographTransport = {
            ready: new Promise(r => { window.pythonLoaded = r; }),
            request: (action, body) => window.pyAct(action, body === undefined ? {} : body)};""")
        page.goto(handle.url.split("?")[0])          # no token: the transport needs none
        page.wait_for_selector('#status:has-text("Loading Python...")')
        assert page.is_disabled('[data-action="forward"]') and not calls
        page.evaluate("() => window.pythonLoaded()")
        page.wait_for_selector('#status:has-text("ready")')
        page.click('[data-action="backward"]')
        page.wait_for_function("() => NG.pending === 0")
        assert "0.298371109" in page.inner_text("#loss")
        assert calls[0] == "state" and "backward" in calls
        page.close()
