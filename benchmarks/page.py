"""The no-install page (``neurograph page DIR``): start-up times, Step latency, folder sizes.

Builds the page three ways (runtime from the CDN; runtime copied in with
``--pyodide PATH``; one self-contained file), prints their sizes, then, in
headless Chromium, times from opening the page to a usable page (Mazur drawn,
buttons enabled: the status says "ready"):

- the copied-in folder served by a local ``http.server``: a first visit (a
  fresh browser profile) and a second visit (the same profile: HTTP cache,
  compiled WebAssembly), with Python's modules compiled at build time when
  Node.js is here, and without (compiled by the browser on the first visit
  and kept in IndexedDB for the second);
- the single file opened from disk (file://);
- the CDN folder with its CDN answered from the local copy of the runtime
  (so: no network time).

Then the Step latency: the transport's round trip (``request("step")`` in
the page's Web Worker) and a click on Step until the page has drawn it (the
page's status says "one optimizer step").  Then Play, which trains in the
worker in chunks (one ``play`` action a frame): epochs per second of wall
time for XOR (2-2-1) and, without ``--quick``, the two spirals (200 points,
2-8-8-1 tanh, both heatmaps redrawn every frame), as ``benchmarks/serve.py
--browser`` measures them against the local server.  Needs the playwright
package, Chromium and the pinned runtime (``.ci/setup-pyodide``); without
them it prints the sizes it can.  Prints timings and asserts none::

    PYTHONPATH=. python3 benchmarks/page.py            # 3 visits each, 100 steps
    PYTHONPATH=. python3 benchmarks/page.py --quick    # the vendored folder and the file (CI)
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from neurograph.page import build  # noqa: E402
from neurograph.page.runtime import CDN, VERSION, cached_tarball  # noqa: E402

READY = '#status:has-text("ready"), #neurograph-loading[role=alert]'
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
#: A click on Step until the page has drawn the new state: the page's last word after Step
#: (its status) and the next frame; NG.pending (the page's queue of actions) is then empty.
CLICK_STEP = """() => new Promise(done => {
    const status = document.querySelector('#status');
    status.textContent = '';
    const t0 = performance.now();
    const seen = new MutationObserver(() => {
        if (status.textContent.startsWith('one optimizer step')) {
            seen.disconnect();
            requestAnimationFrame(() => done(performance.now() - t0));   // drawn
        }
    });
    seen.observe(status, {childList: true, characterData: true, subtree: true});
    document.querySelector('[data-action=step]').click();
})"""
STEP = """async (n) => {
    const times = [];
    for (let i = 0; i < n + 5; i++) {
        const t0 = performance.now();
        await window.neurographTransport.request('step', {});
        times.push(performance.now() - t0);
    }
    return times.slice(5);
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


def mb(n):
    return "%5.1f MB" % (n / 1e6)


def visit(context, url):
    """Seconds from opening *url* to a usable page (or the page's error)."""
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY, timeout=120000)
    seconds = time.perf_counter() - t0
    if page.query_selector("#neurograph-loading[role=alert]"):
        raise SystemExit("the page did not start: " + page.inner_text("#neurograph-loading"))
    return seconds, page


def visits(chromium, url, runs, wait, route=None):
    """(first visits, second visits) in seconds, each pair in a fresh profile."""
    first, second = [], []
    for _ in range(runs):
        context = chromium.new_context()
        if route:
            context.route(CDN + "*", route)
        seconds, page = visit(context, url)
        first.append(seconds)
        page.wait_for_timeout(wait)        # (the browser keeps what it compiled)
        page.close()
        seconds, page = visit(context, url)
        second.append(seconds)
        context.close()
    return first, second


def show(label, times):
    times = sorted(times)
    print("  %-62s %5.2f s (of %d: %s)" % (label, statistics.median(times), len(times),
                                          ", ".join("%.2f" % t for t in times)))


def cdn_route(tarball):
    import tarfile
    with tarfile.open(tarball) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in tar.getmembers()
                 if m.isfile()}
    types = {"wasm": "application/wasm", "mjs": "text/javascript", "zip": "application/zip"}

    def route(r):
        name = r.request.url[len(CDN):]
        r.fulfill(status=200, body=files[name], headers={
            "Access-Control-Allow-Origin": "*", "Content-Type": types[name.rsplit(".", 1)[1]]})
    return route


def sizes(tmp, tarball):
    """Build the variants; print their sizes; return them by name."""
    built = {"cdn": build(os.path.join(tmp, "cdn"))}
    if tarball:
        built["vendored"] = build(os.path.join(tmp, "vendored"), pyodide=tarball)
        built["vendored-plain"] = build(os.path.join(tmp, "plain"), pyodide=tarball,
                                        compile=False)
        built["single"] = build(os.path.join(tmp, "single"), pyodide=tarball, single_file=True)
    print("neurograph page, Pyodide %s; sizes:" % VERSION)
    labels = {"cdn": "CDN folder (runtime from the CDN)",
              "vendored": "vendored folder (--pyodide PATH, .pyc compiled at build)",
              "vendored-plain": "vendored folder (--pyodide PATH --no-compile)",
              "single": "single file (--single-file, .pyc compiled at build)"}
    for key, b in built.items():
        note = "" if not b.compiled or key in ("cdn", "vendored-plain") else \
            "  (not compiled: %s)" % b.compiled
        print("  %-58s %s in %d files%s" % (labels[key], mb(b.size), b.files, note))
    return built


def timings(built, tarball, chromium_path, runs, steps, quick):
    from playwright.sync_api import sync_playwright
    wait = 6000      # ms on the first visit before the second: the browser keeps what it compiled
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        print("start, open to usable page (Mazur drawn, buttons enabled), median:")
        kinds = [("vendored", "vendored folder, .pyc from build", None)]
        if not quick:
            kinds += [("vendored-plain", "vendored folder, .pyc compiled by the browser", None),
                      ("cdn", "CDN folder (CDN answered locally)", cdn_route(tarball))]
        for key, label, route in kinds:
            server, url = serve_folder(built[key].folder)
            first, second = visits(chromium, url, runs, wait, route)
            show(label + ", first visit", first)
            show(label + ", second visit", second)
            server.shutdown()
        context = chromium.new_context()
        show("single file from disk (file://)",
             [visit(context, "file://" + built["single"].page)[0] for _ in range(runs)])
        context.close()
        step_latency(chromium, built["vendored"].folder, steps)
        play_rates(chromium, os.path.dirname(built["vendored"].folder), tarball, quick)
        chromium.close()


def step_latency(chromium, folder, steps):
    server, url = serve_folder(folder)
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = visit(context, url)[1]
    print("Step on Mazur's net in the page, %d each (median, 90th pct):" % steps)
    for label, times in (("request('step') to the worker and back", page.evaluate(STEP, steps)),
                         ("click Step until the page has drawn it",
                          [page.evaluate(CLICK_STEP) for _ in range(steps + 5)][5:])):
        times = sorted(times)
        print("  %-54s %5.1f ms  %5.1f ms" % (label, statistics.median(times),
                                              times[int(0.9 * (len(times) - 1))]))
    context.close()
    server.shutdown()


def play_rates(chromium, tmp, tarball, quick):
    """Play in the page on XOR (and the spirals): epochs per second of wall time, frames
    per second, at 1280x800, after a second to warm up."""
    seconds = 2.0 if quick else 5.0
    print("Play in the page's worker, 1280x800 (epochs per second of wall time):")
    models = [("xor", "XOR 2-2-1")]
    if not quick:
        models.append(("spiral", "spirals 2-8-8-1 tanh, 200 points, heatmaps"))
    for name, label in models:
        built = build(os.path.join(tmp, "play-" + name), model=name, pyodide=tarball,
                      compile=False)
        server, url = serve_folder(built.folder)
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = visit(context, url)[1]
        page.click('[data-action="play"]')
        page.wait_for_function("() => NG.stats.frames > 2", timeout=60000)
        page.wait_for_timeout(1000)
        e0, f0, t0 = page.evaluate("() => [NG.stats.epoch, NG.stats.frames, performance.now()]")
        page.wait_for_timeout(int(seconds * 1000))
        e1, f1, t1 = page.evaluate("() => [NG.stats.epoch, NG.stats.frames, performance.now()]")
        page.click('[data-action="play"]')
        wall = (t1 - t0) / 1000
        print("  %-54s %8.0f epochs/s  %5.1f frames/s" % (label, (e1 - e0) / wall,
                                                          (f1 - f0) / wall))
        context.close()
        server.shutdown()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1 visit each of the vendored folder "
                    "(first, second) and the single file, 20 steps")
    ap.add_argument("--runs", type=int, default=None, help="visits of each kind (default 3)")
    ap.add_argument("--pyodide", default=cached_tarball(), metavar="PATH",
                    help="the pinned npm tarball (default: the one .ci/setup-pyodide keeps)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    steps = 20 if args.quick else 100
    with tempfile.TemporaryDirectory() as tmp:
        built = sizes(tmp, args.pyodide)
        try:
            import playwright  # noqa: F401
        except ImportError:
            print("(no playwright package: start-up times and Step latency not measured)")
            return 0
        if not args.pyodide or not os.path.exists(args.chromium):
            print("(no pinned runtime or no Chromium: start-up times and Step latency not "
                  "measured; .ci/setup-pyodide and .ci/setup-browser install them)")
            return 0
        timings(built, args.pyodide, args.chromium, runs, steps, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
