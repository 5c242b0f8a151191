"""Round trips of the playground's JSON API (``neurograph serve``), and the page's Play rates.

A click on Step costs the page one request: ``POST /api/step`` runs a backward
pass if needed, one SGD update and a forward pass, and answers with the whole
state (every neuron and connection, 2,368 weights as exact strings), which the
page then draws.  This script times that round trip with urllib against a
server in the same process (its own thread), and the plain ``GET /api/state``
fetch, and prints the median, the 90th percentile and the answer's size.

With ``--browser`` it also drives the page in headless Chromium: a click on
Step until the page has drawn the answer, and Play, whose frames ask only
for the numbers that changed (``POST /api/play``: a chunk of training, the
weights and activations, the heatmaps): epochs per second of wall time for
XOR (2-2-1) and for the two spirals (200 points, 2-8-8-1 tanh) with both
heatmaps redrawn every frame.  The targets: XOR at least 200 epochs/s, the
spirals at least 10.

Standard library only (``--browser`` needs the playwright package); runs on CPython and PyPy::

    PYTHONPATH=. python3 benchmarks/serve.py             # 200 round trips each
    PYTHONPATH=. python3 benchmarks/serve.py --quick     # 30, for CI
    PYTHONPATH=. python3 benchmarks/serve.py --browser   # also Step and Play in headless Chromium
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import neurograph as ng  # noqa: E402
from neurograph.playground import ServerHandle, example  # noqa: E402


def timed(handle: ServerHandle, path: str, body: object, n: int):
    """Times in ms of *n* round trips (after 5 to warm up) and the answer's size in bytes."""
    base = handle.url.split("?", 1)[0].rstrip("/")
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"X-Neurograph-Token": handle.token, "Content-Type": "application/json"}
    times, size = [], 0
    for i in range(n + 5):
        req = urllib.request.Request(base + path, data=data, headers=headers,
                                     method="GET" if data is None else "POST")
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            json.loads(raw)             # the page parses it too
        if i >= 5:
            times.append((time.perf_counter() - t0) * 1000)
        size = len(raw)
    return times, size


CLICK_STEP = """() => new Promise(done => {
    const status = document.querySelector('#status');
    status.textContent = '';
    const t0 = performance.now();
    const seen = new MutationObserver(() => {
        if (status.textContent.includes('one optimizer step')) {
            seen.disconnect();
            requestAnimationFrame(() => done(performance.now() - t0));   // drawn
        }
    });
    seen.observe(status, {childList: true, characterData: true, subtree: true});
    document.querySelector('[data-action=step]').click();
})"""


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def browser_clicks(handle: ServerHandle, n: int, chromium: str):
    """Times in ms from a click on Step to the next frame after the page drew the new state."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = b.new_page(viewport={"width": 1280, "height": 800})
            page.goto(handle.url)
            page.wait_for_selector('#status:has-text("ready")')
            return [page.evaluate(CLICK_STEP) for _ in range(n + 5)][5:]
        finally:
            b.close()


def play_rate(name: str, seconds: float, chromium: str):
    """Epochs per second of wall time while Play runs on the built-in model *name*, and the
    frames per second, in headless Chromium at 1280x800 (after a second to warm up)."""
    from playwright.sync_api import sync_playwright
    net, data, options = example(name)
    with ng.serve(net, data, open_browser=False, **options) as handle, sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = b.new_page(viewport={"width": 1280, "height": 800})
            page.goto(handle.url)
            page.wait_for_selector('#status:has-text("ready")')
            page.click('[data-action="play"]')
            page.wait_for_function("() => NG.stats.frames > 2")
            time.sleep(1.0)
            e0, f0, t0 = page.evaluate("() => [NG.stats.epoch, NG.stats.frames, performance.now()]")
            time.sleep(seconds)
            e1, f1, t1 = page.evaluate("() => [NG.stats.epoch, NG.stats.frames, performance.now()]")
            page.click('[data-action="play"]')
            wall = (t1 - t0) / 1000
            return (e1 - e0) / wall, (f1 - f0) / wall
        finally:
            b.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="30 round trips instead of 200")
    ap.add_argument("--n", type=int, default=None, help="round trips per call")
    ap.add_argument("--browser", metavar="CHROMIUM", nargs="?", const="/usr/bin/chromium",
                    help="also time a click on Step in headless Chromium until the page has "
                    "drawn the answer, and Play's epochs per second on XOR and the spirals "
                    "(needs the playwright package)")
    args = ap.parse_args(argv)
    n = args.n or (30 if args.quick else 200)
    net, data, options = example("digits")
    print("playground API round trips, %s net on digits, %s %s, %d each (median, 90th pct):"
          % ("-".join(str(len(l)) for l in net.layers), platform.python_implementation(),
             platform.python_version(), n))
    with ng.serve(net, data, open_browser=False, **options) as handle:
        handle.request("/api/backward")
        for label, path, body in (("click Step (POST /api/step -> state)", "/api/step", {}),
                                  ("GET /api/state", "/api/state", None),
                                  ("click Backward (POST /api/backward)", "/api/backward", {})):
            times, size = timed(handle, path, body, n)
            times.sort()
            print("  %-40s %7.1f ms  %7.1f ms  (%d kB)" % (
                label, statistics.median(times), times[int(0.9 * (len(times) - 1))],
                size // 1024))
        if args.browser:
            times = sorted(browser_clicks(handle, n, args.browser))
            print("  %-40s %7.1f ms  %7.1f ms" % ("click Step in Chromium, page drawn",
                                                  statistics.median(times),
                                                  times[int(0.9 * (len(times) - 1))]))
    if args.browser:
        seconds = 2.0 if args.quick else 5.0
        print("Play in headless Chromium, 1280x800 (epochs per second of wall time):")
        for name, label, target in (("xor", "XOR 2-2-1", 200),
                                    ("spiral", "spirals 2-8-8-1 tanh, 200 points, heatmaps", 10)):
            rate, fps = play_rate(name, seconds, args.browser)
            print("  %-44s %8.0f epochs/s  %5.1f frames/s  (target >= %d: %s)"
                  % (label, rate, fps, target, "met" if rate >= target else "NOT MET"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
