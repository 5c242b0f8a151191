"""The no-install page in headless Chromium: Python in a Web Worker, nothing installed.

Offline, as a classroom would run it: the page is built with the pinned
runtime copied in (``--pyodide PATH``), served from 127.0.0.1, and every
request to another host is blocked and fails the test.  The playground's own
browser tests (tests/test_playground_browser.py) run again against it, the
page driven as there (``data-action``, ``data-value``, ``data-neuron``, the
status texts, ``NG.pending``); then what only the page has: the loading
banner, the numbers of Mazur and of an XOR training against native CPython
(the answers' JSON compared), save and load, Train and Play in the worker
(the page trains in chunks, one ``train`` or ``play`` action each), the
single file opened from disk, and the CDN variant's hashes (its CDN answered
from the local copy of the runtime).

Skips (with the reason) without Playwright, Chromium or the pinned runtime
(``.ci/setup-pyodide`` fetches it).
"""

import functools
import http.server
import inspect
import json
import os
import shutil
import threading

import pytest

import neurograph as ng
from neurograph.page import Session, build
from neurograph.page.runtime import CDN, cached_tarball

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed (pip install "
                                      "playwright; CPython only)")
CHROMIUM = next((p for p in (os.environ.get("NEUROGRAPH_CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and os.path.exists(p)), None)
if CHROMIUM is None:
    pytest.skip("no Chromium found (/usr/bin/chromium); .ci/setup-browser installs it",
                allow_module_level=True)
TARBALL = cached_tarball()
if TARBALL is None:
    pytest.skip("the pinned Pyodide tarball is not here (.ci/setup-pyodide fetches it with npm "
                "pack)", allow_module_level=True)

import test_playground_browser as served  # noqa: E402  (the server page's tests, reused)
from conftest import load_mazur_json, to_printed_digits  # noqa: E402

ARGS = served.ARGS + ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
READY = '#status:has-text("ready"), #neurograph-loading[role=alert]'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The vendored folder (runtime copied in, modules compiled when Node is here), served
    on 127.0.0.1."""
    built = build(str(tmp_path_factory.mktemp("page") / "site"), pyodide=TARBALL)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=built.folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield built, "http://127.0.0.1:%d/" % server.server_address[1], server.server_address[1]
    server.shutdown()
    server.server_close()


class Offline:
    """A browser context in which only the page's own origin answers: any other request is
    aborted and recorded (the test that owns the context then fails)."""

    def __init__(self, chromium, allowed):
        self.blocked = []
        self.context = chromium.new_context(viewport={"width": 1280, "height": 800},
                                            accept_downloads=True)
        self.context.route("**/*", self._route)
        self.allowed = allowed

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith(("data:", "blob:")):
            return route.continue_()
        self.blocked.append(url)
        return route.abort("blockedbyclient")

    def new_page(self, **options):
        return self.context.new_page()

    def close(self):
        self.context.close()
        assert not self.blocked, "requests to other hosts: %s" % self.blocked


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as e:
            pytest.skip("Chromium at %s does not start: %s" % (CHROMIUM, str(e).splitlines()[0]))
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(chromium, site):
    """What the server page's tests call ``browser``: here one offline context (one HTTP
    cache, as a student's browser has) for all of them."""
    offline = Offline(chromium, site[1])
    yield offline
    offline.close()


class _Remote:
    """``handle.playground`` of the server's tests: the net is the page's, read through the
    transport as a model file."""

    def __init__(self, handle):
        self.handle = handle

    @property
    def net(self):
        model = self.handle.page.evaluate("window.neurographTransport.request('model')")
        return ng.Net.from_dict(model)


class PageHandle:
    """Stands in for the ServerHandle the server page's tests use."""

    def __init__(self, url, port):
        self.url, self.port, self.page = url, port, None
        self.playground = _Remote(self)


@pytest.fixture
def mazur(browser, site):
    handle = PageHandle(site[1], site[2])
    page = served.Page(browser, handle)
    handle.page = page.page
    yield page
    page.page.close()


def _reused(name, test):
    params = list(inspect.signature(test).parameters)
    return name.startswith("test_") and params == ["mazur"]


# The server page's tests whose only fixture is ``mazur``, run against the page here.
for _name, _test in list(vars(served).items()):
    if callable(_test) and _reused(_name, _test):
        globals()["test_in_page_" + _name[len("test_"):]] = _test


def request(page, action, body=None):
    return page.evaluate("([a, b]) => window.neurographTransport.request(a, b === null ? "
                         "undefined : b)", [action, body])


def open_page(browser, url, script=""):
    page = browser.new_page()
    if script:
        page.add_init_script(script)
    page.goto(url)
    return page


PROGRESS = ("window.__progress = []; addEventListener('neurograph-progress', "
            "(e) => window.__progress.push(e.detail.fraction));")


def test_loading_python_shows_progress_and_keeps_the_buttons_off(browser, site):
    page = open_page(browser, site[1], PROGRESS)
    assert page.inner_text("#neurograph-loading").startswith("Loading Python...")
    assert page.inner_text("#status") == "Loading Python..."
    states = page.eval_on_selector_all("button, input, select", "e => e.map(x => x.disabled)")
    assert states and all(states)
    page.wait_for_selector(READY, timeout=60000)
    assert page.inner_text("#status") == "ready"
    assert page.query_selector("#neurograph-loading") is None
    assert not any(page.eval_on_selector_all("button", "e => e.map(x => x.disabled)"))
    fractions = page.evaluate("window.__progress")
    assert fractions == sorted(fractions) and fractions[-1] == 1
    assert page.url == site[1]                      # no token in the address: none is needed
    page.close()


def test_mazurs_numbers_to_every_printed_digit(browser, site):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    native = Session("mazur")
    for action, body in [("forward", {}), ("backward", {}), ("explain", {"name": "w1"}),
                         ("walk", {"phase": "backward"}), ("step", {}), ("train", {"epochs": 5})]:
        answer = request(page, action, body)
        assert answer == json.loads(native.answer(action, json.dumps(body)))["answer"], action
    page.evaluate("window.neurographTransport.request('reset')")
    before = request(page, "backward")
    after = request(page, "step")
    values = {"net_h1": before["neurons"][2]["z"], "out_h1": before["neurons"][2]["a"],
              "out_h2": before["neurons"][3]["a"], "net_o1": before["neurons"][4]["z"],
              "out_o1": before["neurons"][4]["a"], "out_o2": before["neurons"][5]["a"],
              "E_total": before["loss"], "dE_o1/dnet_o1": before["neurons"][4]["delta"],
              "dE_total/dw5": before["connections"][4]["grad"],
              "dE_total/dw1": before["connections"][0]["grad"]}
    for k, c in enumerate(after["connections"]):
        values["w%d+" % (k + 1)] = c["weight"]
    printed = load_mazur_json()["printed"]
    for name, text in values.items():
        assert to_printed_digits(float(text), printed[name]) == printed[name], name
    page.close()


COUNT_CALLS = """() => {
    window.__ticks = 0;
    window.__timer = setInterval(() => window.__ticks++, 10);
    window.__calls = [];
    const t = window.neurographTransport, send = t.request;
    t.request = (action, body) => { window.__calls.push(action); return send(action, body); };
}"""


def settle(page, timeout=120000):
    page.wait_for_function("() => window.NG && NG.pending === 0", timeout=timeout)


def trained_natively(model, epochs):
    """A native Session trained *epochs* epochs, in chunks as the page asks for them."""
    native = Session(model)
    done = 0
    while done < epochs:
        answer = json.loads(native.answer("train", json.dumps({"epochs": epochs - done,
                                                                "seconds": 0.25})))["answer"]
        done = answer["history"][-1]["epoch"]
    return native


def last_bits(page_value, native_value, where="state"):
    """Where the page's answer differs from native CPython's: only numbers that differ in
    their last bits (by 1e-12 of their size) are allowed, and returned.  Pyodide's math.exp
    differs from glibc's by an ulp in about 7 of 10,000 inputs, so a long float training
    shows it now and then in an epoch's loss (Mazur's first is at epoch 746)."""
    if isinstance(page_value, dict) and isinstance(native_value, dict):
        assert sorted(page_value) == sorted(native_value), where
        return [d for k in page_value
                for d in last_bits(page_value[k], native_value[k], "%s.%s" % (where, k))]
    if isinstance(page_value, list) and isinstance(native_value, list):
        assert len(page_value) == len(native_value), where
        return [d for i, (a, b) in enumerate(zip(page_value, native_value))
                for d in last_bits(a, b, "%s[%d]" % (where, i))]
    if page_value == native_value:
        return []
    a, b = float(page_value), float(native_value)
    assert abs(a - b) <= 1e-12 * abs(b), (where, page_value, native_value)
    return [where]


def test_train_and_play_run_in_the_worker_in_chunks_as_cpython_trains(browser, site):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    page.evaluate(COUNT_CALLS)
    page.fill("#epochs", "3000")
    t0 = page.evaluate("performance.now()")
    page.click('[data-action="train"]')
    page.wait_for_selector('#status:text-is("trained")', timeout=120000)
    settle(page)
    ticks, seconds = page.evaluate("[window.__ticks, (performance.now() - %r) / 1000]" % t0)
    assert page.evaluate("window.__calls.filter(a => a === 'train').length") >= 2   # chunks
    assert ticks >= 20 * seconds       # the main thread ran its timer (100/s) all along
    assert "epoch 3000" in page.inner_text("#loss")
    native = trained_natively("mazur", 3000)
    assert request(page, "model") == json.loads(native.answer("model"))["answer"]   # weights
    ulps = last_bits(request(page, "state"), json.loads(native.answer("state"))["answer"])
    assert all(w.startswith("state.history[") for w in ulps) and len(ulps) <= 3, ulps
    page.click('[data-action="play"]')
    page.wait_for_function("() => NG.stats.frames > 3", timeout=60000)
    page.click('[data-action="play"]')                  # Pause
    page.wait_for_selector('#status:has-text("paused at epoch")', timeout=60000)
    settle(page)
    assert page.evaluate("window.__calls.filter(a => a === 'play').length") > 3
    epoch = request(page, "state")["history"][-1]["epoch"]
    assert epoch > 3000 and page.inner_text("#status") == "paused at epoch %d" % epoch
    native = trained_natively("mazur", epoch)
    assert request(page, "model") == json.loads(native.answer("model"))["answer"]
    assert len(last_bits(request(page, "state"), json.loads(native.answer("state"))["answer"])) <= 5
    page.close()


def test_save_downloads_the_model_and_load_reads_a_picked_file(browser, site, tmp_path):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    page.click('[data-action="step"]')
    page.wait_for_selector('#status:has-text("one optimizer step")')
    with page.expect_download() as info:
        page.click('[data-action="save"]')
    saved = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert saved == request(page, "model") and len(saved["connections"]) == 8
    assert info.value.suggested_filename.endswith(".json")
    assert page.inner_text("#status") == "saved " + info.value.suggested_filename
    path = tmp_path / "xor.json"
    ng.persistence.save(ng.Net.dense([2, 2, 1], seed=3), str(path))
    page.set_input_files("#load", str(path))
    page.wait_for_selector('#status:has-text("loaded xor.json")')
    settle(page)
    assert len(set(page.eval_on_selector_all("[data-neuron]", "e => e.map(x => x.dataset.neuron)"))) == 5
    assert len(request(page, "state")["connections"]) == 6
    page.set_input_files("#load", info.value.path())          # the saved model, back again
    page.wait_for_selector('#status:has-text("loaded")')
    settle(page)
    again = request(page, "model")         # the same net and page settings (the load starts
    assert again.pop("optimizer")["lr"] == saved.pop("optimizer")["lr"]    # a new optimizer)
    assert again == saved
    assert len(set(page.eval_on_selector_all("[data-neuron]", "e => e.map(x => x.dataset.neuron)"))) == 6
    page.close()


def test_a_deeply_nested_body_is_refused_and_python_lives_on(browser, site):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    status, message = page.evaluate("""async () => {
        let deep = [];
        for (let i = 0; i < 20000; i++) deep = [deep];
        try { await window.neurographTransport.request('load', {x: deep}); }
        catch (e) { return [e.status, e.message]; }
    }""")
    assert status == 400 and "deep" in message
    assert request(page, "backward")["loss"] == "0.2983711087600027"
    page.close()


def test_the_folder_opened_from_disk_says_how_to_open_it(chromium, site):
    offline = Offline(chromium, "file://")
    page = open_page(offline, "file://" + site[0].page)
    page.wait_for_selector("#neurograph-loading[role=alert]", timeout=20000)
    text = page.inner_text("#neurograph-loading")
    assert "opened from disk" in text and "http.server" in text and "--single-file" in text
    assert all(page.eval_on_selector_all("button", "e => e.map(x => x.disabled)"))
    offline.close()


def test_the_single_file_works_from_disk_and_trains_xor_as_cpython_does(chromium, tmp_path):
    built = build(str(tmp_path / "one"), model="xor", pyodide=TARBALL, single_file=True)
    offline = Offline(chromium, "file://")
    page = open_page(offline, "file://" + built.page)
    page.wait_for_selector(READY, timeout=90000)
    assert page.inner_text("#status") == "ready"
    native = Session("xor")
    steps = [("backward", {}), ("step", {})] + [("train", {"epochs": 20, "seconds": 0.25})] * 10 \
        + [("sample", {"index": 3}), ("backward", {})]
    for action, body in steps:
        answer = request(page, action, body)
        assert answer == json.loads(native.answer(action, json.dumps(body)))["answer"], action
    assert answer["history"][-1]["epoch"] == 200          # (each chunk did its 20 epochs)
    page.click('[data-action="forward"]')
    page.wait_for_selector('#status:has-text("forward pass done")')
    settle(page)
    state = json.loads(native.answer("forward", "{}"))["answer"]
    assert request(page, "state") == state
    drawn = page.text_content('[data-neuron="o1"] [data-value="a"]')     # the diagram's a of o1
    places = len(drawn.split(".")[1])
    assert float(drawn) == round(float(state["neurons"][-1]["a"]), places)
    offline.close()


# -- the CDN variant: the runtime checked by its SRI hashes ------------------------------------

@pytest.fixture(scope="module")
def cdn_site(tmp_path_factory):
    import tarfile
    built = build(str(tmp_path_factory.mktemp("cdn") / "site"))
    with tarfile.open(TARBALL) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in tar.getmembers()
                 if m.isfile()}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=built.folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d/" % server.server_address[1], files
    server.shutdown()
    server.server_close()


def _cdn_page(chromium, cdn_site, change=None):
    """The CDN page, its CDN answered from the tarball (*change* may alter or drop a file)."""
    url, files = cdn_site
    offline = Offline(chromium, url)
    types = {"wasm": "application/wasm", "mjs": "text/javascript", "zip": "application/zip"}

    def cdn(route):
        name = route.request.url[len(CDN):]
        body = files.get(name) if change is None else change(name, files.get(name))
        if body is None:
            return route.abort("internetdisconnected")
        route.fulfill(status=200, body=body, headers={
            "Access-Control-Allow-Origin": "*", "Content-Type": types[name.rsplit(".", 1)[1]]})
    offline.context.route(CDN + "*", cdn)
    page = open_page(offline, url)
    page.wait_for_selector(READY, timeout=90000)
    return offline, page


def test_the_cdn_page_loads_the_runtime_checked_by_hash(chromium, cdn_site):
    offline, page = _cdn_page(chromium, cdn_site)
    assert page.inner_text("#status") == "ready"
    assert request(page, "backward")["loss"] == "0.2983711087600027"
    offline.close()


def test_a_changed_runtime_file_from_the_cdn_is_refused(chromium, cdn_site):
    def tamper(name, body):
        if name != "python_stdlib.zip":
            return body
        return body[:1000] + bytes([body[1000] ^ 1]) + body[1001:]    # one bit changed
    offline, page = _cdn_page(chromium, cdn_site, tamper)
    text = page.inner_text("#neurograph-loading")
    assert "python_stdlib.zip" in text and "SHA-384" in text
    assert all(page.eval_on_selector_all("button", "e => e.map(x => x.disabled)"))
    offline.close()


def test_the_cdn_page_offline_says_so_and_what_to_do(chromium, cdn_site):
    offline, page = _cdn_page(chromium, cdn_site, lambda name, body: None)
    text = page.inner_text("#neurograph-loading")
    assert "Python could not start" in text and "offline" in text and "--pyodide PATH" in text
    offline.close()
