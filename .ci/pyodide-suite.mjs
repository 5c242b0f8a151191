// The unit suite under Pyodide (CPython compiled to WebAssembly) in Node.js: the Python
// the no-install page runs, on the repository's own tests and doctests.
//
//   node .ci/pyodide-suite.mjs RUNTIME_DIR REPO_DIR SITE_PACKAGES [pytest arguments...]
//
// RUNTIME_DIR holds the pinned runtime's files (the npm package, unpacked), SITE_PACKAGES
// a folder holding pytest and its pure-Python dependencies (those of the CPython run).
// Tests that need what the browser's Python lacks (subprocesses, sockets, threads, the
// playground's server) are skipped, each with the reason; everything else must pass.
// Exits with pytest's exit code.
import path from "node:path";
import {pathToFileURL} from "node:url";

const [runtime, repo, site, ...args] = process.argv.slice(2);
const {loadPyodide} = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: runtime + path.sep,
  lockFileContents: {info: {abi_version: "2026_0"}, packages: {}},
  env: {PYTHONDONTWRITEBYTECODE: "1", PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", HOME: "/home/pyodide"},
});
for (const [from, to] of [[repo, "/repo"], [site, "/site"]]) {
  py.FS.mkdirTree(to);
  py.FS.mount(py.FS.filesystems.NODEFS, {root: from}, to);
}
py.globals.set("_args", py.toPy(args));
const code = await py.runPythonAsync(`
import os, sys
sys.dont_write_bytecode = True
os.chdir("/repo")
sys.path[:0] = ["/repo"]
sys.path.append("/site")

import pytest

REASON = "not available in the browser's Python (Pyodide, emscripten): %s"


class Unavailable(pytest.skip.Exception):
    """Raised where a test reaches for a subprocess, a socket or a thread: a skip."""


def _refuse(what):
    def refuse(*args, **kwargs):
        raise Unavailable(REASON % what)
    return refuse


TANH = ("math.tanh of Pyodide's C library differs from glibc's by an ulp or two on some "
        "inputs (about 8 in 100)")
#: Tests that cannot pass here, and why.
KNOWN = {
    "tests/test_persistence.py::test_absurd_sizes_are_refused":
        "a JSON document nested 100,000 deep overflows the WebAssembly stack, which ends the "
        "runtime (CPython raises RecursionError); the page refuses request bodies nested more "
        "than 40 deep before they are parsed",
    "neurograph/__init__.py::neurograph.FileError": "errno numbers differ (EISDIR is 31)",
    "docs/errors.md::errors.md": "errno numbers differ (EISDIR is 31)",
    "docs/debugging.md::debugging.md": TANH + ", which changes gradcheck's worst parameter",
    "docs/tutorial/09-debugging.md::09-debugging.md": TANH + ": 20 epochs of training drift",
    "docs/tutorial/solutions.md::solutions.md": TANH + ": 20 epochs of training drift",
}


class BrowserLimits:
    """Patches what Pyodide cannot do so that the tests reaching for it skip, with why."""

    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            if item.nodeid in KNOWN:
                item.runtest = _refuse(KNOWN[item.nodeid])

    def pytest_configure(self, config):
        import socket, subprocess, threading
        subprocess.Popen.__init__ = _refuse("subprocesses")
        subprocess.run = _refuse("subprocesses")
        socket.socket.__init__ = _refuse("sockets")
        socket.create_connection = _refuse("sockets")
        threading.Thread.start = _refuse("threads")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if call.excinfo is None or report.outcome != "failed":
            return
        text = str(call.excinfo.value) + str(report.longrepr)
        if "ng.serve cannot run in the browser" in text:
            report.outcome = "skipped"
            report.longrepr = (str(item.path), 0, "Skipped: " + REASON % "ng.serve (a server "
                               "needs sockets and threads; it says to build the page instead)")


def limits_said():
    """What the page relies on: no server machinery on import, ng.serve says to use the page."""
    import neurograph
    loaded = sorted(m for m in ("http.server", "socketserver") if m in sys.modules)
    try:
        neurograph.serve(neurograph.textbook.mazur(), open_browser=False)
        said = "ng.serve started"
    except neurograph.NeurographError as e:
        said = str(e)
    print("import neurograph loads %s; ng.serve: %s" % (loaded or "no server module", said))
    return not loaded and "neurograph page" in said


print(sys.version.split()[0], sys.platform)
ok = limits_said()
exit_code = pytest.main(["-p", "no:cacheprovider"] + list(_args), plugins=[BrowserLimits()])
int(exit_code) if ok else 1
`);
process.exit(code);
