"""The no-install page in headless Chromium: Python in a Web Worker, nothing installed.

Offline, as a classroom would run it: the page is built with the pinned
runtime copied in (``--pyodide PATH``), served from 127.0.0.1, and every
request to another host is blocked and fails the test.  The playground's own
browser tests (tests/test_playground_browser.py) run again against it, then
what only the page has: the loading banner, the numbers of Mazur and of an
XOR training against native CPython, save and load, Train in the worker, the
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
    states = page.eval_on_selector_all("button, input, select", "e => e.map(x => x.disabled)")
    assert states and all(states)
    page.wait_for_selector(READY, timeout=60000)
    assert page.inner_text("#status") == "ready"
    assert page.query_selector("#neurograph-loading") is None
    assert not any(page.eval_on_selector_all("button", "e => e.map(x => x.disabled)"))
    fractions = page.evaluate("window.__progress")
    assert fractions == sorted(fractions) and fractions[-1] == 1
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


def test_train_runs_in_the_worker_while_the_page_keeps_running(browser, site):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    ticks, seconds = page.evaluate("""async () => {
        let ticks = 0;
        const timer = setInterval(() => ticks++, 10);
        const t0 = performance.now();
        await window.neurographTransport.request('train', {epochs: 1000});
        clearInterval(timer);
        return [ticks, (performance.now() - t0) / 1000];
    }""")
    assert ticks >= 20 * seconds       # the main thread ran its timer (100/s) all along
    page.close()


def test_save_downloads_the_model_and_load_reads_a_picked_file(browser, site, tmp_path):
    page = open_page(browser, site[1])
    page.wait_for_selector(READY, timeout=60000)
    with page.expect_download() as info:
        page.click('[data-action="save"]')
    saved = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert saved == request(page, "model") and len(saved["connections"]) == 8
    path = tmp_path / "xor.json"
    ng.persistence.save(ng.Net.dense([2, 2, 1], seed=3), str(path))
    page.set_input_files("#load", str(path))
    page.wait_for_function("() => document.querySelectorAll('[data-neuron]').length === 5")
    assert len(request(page, "state")["connections"]) == 6
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
    for action, body in [("backward", {}), ("step", {}), ("train", {"epochs": 200}),
                         ("sample", {"index": 3}), ("backward", {})]:
        assert request(page, action, body) == \
            json.loads(native.answer(action, json.dumps(body)))["answer"], action
    page.click('[data-action="forward"]')
    page.wait_for_selector('#status:has-text("forward pass done")')
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
