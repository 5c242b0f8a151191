"""``neurograph page DIR``: the static folder and the single file, checked without a browser.

The runtime's own checks (version, SHA-256, SRI) need the pinned npm tarball,
which ``.ci/setup-pyodide`` fetches; those tests skip without it.  The page
in a browser is tested in tests/test_page_browser.py.
"""

import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import zipfile

import pytest

import neurograph as ng
from neurograph.cli import main
from neurograph.page import Session, build
from neurograph.page import html as pagehtml
from neurograph.page.runtime import (CDN, FILES, TARBALL_SHA256, VERSION, RuntimeFileError,
                                     cached_tarball, read_runtime, sri)

TARBALL = cached_tarball()
needs_tarball = pytest.mark.skipif(TARBALL is None, reason="the pinned Pyodide tarball is not "
                                   "here (.ci/setup-pyodide fetches it with npm pack)")


def config_of(page_html):
    m = re.search(r'<script type="application/json" id="neurograph-page-config">(.*?)</script>',
                  page_html, re.S)
    return json.loads(m.group(1))


def read(folder, *parts):
    with open(os.path.join(folder, *parts), "rb") as f:
        return f.read()


def csp_of(page_html):
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                     page_html).group(1)


@pytest.fixture(scope="module")
def cdn_page(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cdn") / "site")
    return build(folder)


# -- the folder loading the runtime from the CDN ---------------------------------------------

def test_the_cdn_folder_holds_the_page_the_loader_and_neurograph(cdn_page):
    folder = cdn_page.folder
    assert sorted(os.listdir(os.path.join(folder, "neurograph-page"))) == \
        ["loader.js", "neurograph-%s.zip" % ng.__version__, "worker.js"]
    assert sorted(os.listdir(os.path.join(folder, "LICENSES"))) == \
        ["CPython-LICENSE.txt", "Pyodide-MPL-2.0.txt", "neurograph-LICENSE.txt"]
    assert "pyodide" not in os.listdir(folder)          # the folder stays small
    assert cdn_page.size < 1000000 and cdn_page.runtime == "cdn"
    for name in set(os.listdir(os.path.join(ng.__path__[0], "playground", "static"))) - \
            {"index.html", "__pycache__"}:
        assert read(folder, "static", name) == read(ng.__path__[0], "playground", "static", name)
    notice = read(folder, "NOTICE.txt").decode()
    assert "Mozilla Public License 2.0" in notice and "PSF License" in notice and CDN in notice


def test_paths_are_relative_and_the_loader_comes_before_the_page_scripts(cdn_page):
    page = read(cdn_page.folder, "index.html").decode()
    assert not re.search(r'\s(src|href)="/', page)
    assert page.index('src="neurograph-page/loader.js"') < page.index('src="static/playground.js"')
    assert page.index("Content-Security-Policy") < page.index("<link")


def test_the_csp_allows_the_page_its_files_wasm_and_the_cdn_only(cdn_page):
    policy = dict(p.split(" ", 1) for p in csp_of(read(cdn_page.folder, "index.html").decode())
                  .split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval' blob: https://cdn.jsdelivr.net"
    assert policy["connect-src"] == "'self' https://cdn.jsdelivr.net"
    assert policy["worker-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval'" not in \
        str(policy).replace("wasm-unsafe-eval'", "")


def test_the_config_pins_the_runtime_and_hashes_neurograph(cdn_page):
    config = config_of(read(cdn_page.folder, "index.html").decode())
    assert config["runtime"]["base"] == CDN == "https://cdn.jsdelivr.net/npm/pyodide@%s/" % VERSION
    assert {n: (f["size"], f["sri"]) for n, f in config["runtime"]["files"].items()} == \
        {n: (s, h) for n, (s, h, _) in FILES.items()}
    bundle = read(cdn_page.folder, "neurograph-page", config["bundle"]["name"])
    assert config["bundle"]["sri"] == sri(bundle) == "sha384-" + base64.b64encode(
        hashlib.sha384(bundle).digest()).decode()
    assert config["runtime"]["lock"]["packages"] == {}     # the runtime fetches no package
    assert config["model"] == "mazur" and config["pycache"] is True


def test_neurograph_travels_as_a_zip_of_the_installed_package(cdn_page):
    config = config_of(read(cdn_page.folder, "index.html").decode())
    z = zipfile.ZipFile(io.BytesIO(read(cdn_page.folder, "neurograph-page",
                                        config["bundle"]["name"])))
    names = z.namelist()
    assert "neurograph/page/session.py" in names and "neurograph/textbook/data/mazur.json" in names
    assert not [n for n in names if n.endswith(".pyc") or "/static/" in n or "/assets/" in n]
    assert z.read("neurograph/core/walk.py") == read(ng.__path__[0], "core", "walk.py")


def test_building_again_replaces_the_page_and_a_foreign_folder_is_refused(tmp_path):
    site = str(tmp_path / "site")
    build(site)
    build(site, model="xor")
    assert config_of(read(site, "index.html").decode())["model"] == "xor"
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("do not delete")
    with pytest.raises(ng.FileError, match="not empty"):
        build(str(tmp_path / "mine"))
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "do not delete"


def test_a_mirror_replaces_the_cdn_in_the_config_and_the_csp(tmp_path):
    built = build(str(tmp_path / "m"), pyodide="https://school.example/pyodide/v314")
    page = read(built.folder, "index.html").decode()
    assert config_of(page)["runtime"]["base"] == "https://school.example/pyodide/v314/"
    assert "https://school.example" in csp_of(page) and "jsdelivr" not in csp_of(page)
    with pytest.raises(RuntimeFileError, match="https://"):
        build(str(tmp_path / "n"), pyodide="http://school.example/pyodide/")


def test_a_model_file_travels_in_the_page(tmp_path):
    path = str(tmp_path / "tiny.json")
    ng.persistence.save(ng.Net.dense([2, 3, 1], seed=4), path)
    built = build(str(tmp_path / "site"), model=path)
    config = config_of(read(built.folder, "index.html").decode())
    assert config["modelFile"]["name"] == "tiny.json"
    assert json.loads(config["modelFile"]["text"]) == json.loads(open(path).read())
    (tmp_path / "bad.json").write_text('{"format": "neurograph"}')
    with pytest.raises(ng.FormatError):
        build(str(tmp_path / "other"), model=str(tmp_path / "bad.json"))


def test_the_single_file_needs_the_runtime_at_hand(tmp_path):
    with pytest.raises(ng.FileError, match="--pyodide PATH"):
        build(str(tmp_path / "s"), single_file=True)


# -- the runtime, checked against its pins ---------------------------------------------------

@needs_tarball
def test_the_tarball_is_the_pinned_one():
    with open(TARBALL, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == TARBALL_SHA256
    files = read_runtime(TARBALL)
    assert {n: (len(d), sri(d)) for n, d in files.items()} == \
        {n: (s, h) for n, (s, h, _) in FILES.items()}


def test_a_package_json_that_is_not_an_object_is_refused():
    from neurograph.page.runtime import _version_of
    with pytest.raises(RuntimeFileError, match="pkg: package.json is not a JSON object"):
        _version_of(b"[]", "pkg")
    with pytest.raises(RuntimeFileError, match="pkg: package.json: not valid JSON"):
        _version_of(b"{x", "pkg")
    with pytest.raises(RuntimeFileError, match="is nope 1; this neurograph pins pyodide"):
        _version_of(b'{"name": "nope", "version": "1"}', "pkg")


@needs_tarball
def test_a_changed_runtime_is_refused_naming_what_differs(tmp_path):
    with tarfile.open(TARBALL) as tar:
        tar.extractall(str(tmp_path), filter="data") if sys.version_info >= (3, 12) \
            else tar.extractall(str(tmp_path))
    assert read_runtime(str(tmp_path))                     # the unpacked package is accepted
    wasm = tmp_path / "package" / "pyodide.asm.wasm"
    wasm.write_bytes(wasm.read_bytes()[:-1] + b"\0")
    with pytest.raises(RuntimeFileError, match="pyodide.asm.wasm does not match"):
        read_runtime(str(tmp_path))
    meta = json.loads((tmp_path / "package" / "package.json").read_text())
    meta["version"] = "0.27.0"
    (tmp_path / "package" / "package.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeFileError, match="is pyodide 0.27.0; this neurograph pins pyodide "
                       + VERSION):
        read_runtime(str(tmp_path))
    other = tmp_path / "other.tgz"
    other.write_bytes(b"not the tarball")
    with pytest.raises(RuntimeFileError, match="SHA-256"):
        read_runtime(str(other))


@needs_tarball
def test_the_vendored_folder_holds_the_runtime(tmp_path):
    built = build(str(tmp_path / "v"), pyodide=TARBALL, compile=False)
    config = config_of(read(built.folder, "index.html").decode())
    assert config["runtime"]["base"] == "pyodide/" and built.runtime == "folder"
    for name, (size, digest, _) in FILES.items():
        assert sri(read(built.folder, "pyodide", name)) == digest
    policy = csp_of(read(built.folder, "index.html").decode())
    assert "https:" not in policy and "blob:" not in policy.split("img-src")[0]


@needs_tarball
def test_the_single_file_embeds_everything_and_its_csp_hashes_its_scripts(tmp_path):
    built = build(str(tmp_path / "s"), pyodide=TARBALL, single_file=True, compile=False)
    assert os.listdir(built.folder) == ["index.html"] and built.runtime == "single"
    page = read(built.folder, "index.html").decode()
    assert not re.search(r'\s(src|href)="(?!data:)', page)     # nothing to fetch
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    policy = csp_of(page)
    static = os.path.join(ng.__path__[0], "playground", "static")
    order = ["common.js", "drawing.js", "panels.js", "playground.js"]     # as index.html has them
    assert re.findall(r'src="/static/(\w+\.js)"', read(static, "index.html").decode()) == order
    assert scripts[0] == read(ng.__path__[0], "page", "assets", "loader.js").decode()
    assert scripts[1:] == [read(static, name).decode().replace("</script", "<\\/script")
                           for name in order]                           # every one, in order
    assert all(pagehtml.script_hash(s) in policy for s in scripts)     # each hashed in the CSP
    assert re.search(r"script-src ('sha256-[^']+' ){5}'wasm-unsafe-eval' blob:;", policy)
    for style in re.findall(r"<style>(.*?)</style>", page, re.S):
        assert pagehtml.script_hash(style) in policy
    assert "'self'" not in policy and "unsafe-inline" not in policy
    assets = dict(re.findall(r'data-neurograph-asset="([^"]+)">([^<]*)</script>', page))
    assert sorted(assets) == sorted(list(FILES) + ["neurograph-%s.zip" % ng.__version__])
    import gzip
    wasm = gzip.decompress(base64.b64decode(assets["pyodide.asm.wasm"]))
    assert sri(wasm) == FILES["pyodide.asm.wasm"][1]
    assert "Mozilla Public License" in page and "PSF" in page


# -- the Python half: the same answers as the server --------------------------------------

def test_the_session_answers_as_the_server_does():
    from neurograph.playground import example
    net, data, options = example("mazur")
    session = Session("mazur")
    with ng.serve(net, data, open_browser=False, **options) as handle:
        steps = [("/api/backward", "backward", {}), ("/api/step", "step", {}),
                 ("/api/walk", "walk", {"phase": "backward"}),
                 ("/api/explain", "explain", {"name": "w5"}),
                 ("/api/train", "train", {"epochs": 3}),
                 ("/api/edit", "edit", {"name": "w1", "value": "0.9"}),
                 ("/api/settings", "settings", {"optimizer": "adam", "lr": "0.01"}),
                 ("/api/state", "state", None), ("/api/reset", "reset", {})]
        for path, action, body in steps:
            over_http = handle.request(path, body)
            answer = json.loads(session.answer(action, "" if body is None else json.dumps(body)))
            assert answer == {"status": 200, "answer": over_http}, action


def test_the_session_refuses_what_the_server_refuses():
    import urllib.error
    session = Session("mazur")
    with ng.serve(ng.textbook.mazur(), open_browser=False) as handle:
        for action, body in [("train", '{"epochs": 0}'), ("edit", '{"name": "w99", "value": 1}'),
                             ("explain", '{"name": "w5"}'), ("settings", '{"lr": "fast"}'),
                             ("sample", "[1, 2]"), ("forward", "{not json"),
                             ("sample", '{"x": ' + "[" * 40 + "]" * 40 + "}")]:   # 41 deep
            with pytest.raises(urllib.error.HTTPError) as info:
                _raw_post(handle, action, body)
            answer = json.loads(session.answer(action, body))
            assert answer["status"] == info.value.code, action
            assert answer["error"] == json.loads(info.value.read())["error"], action
    assert json.loads(session.answer("fly"))["status"] == 404
    assert json.loads(session.answer("load", "x" * (2 << 20)))["status"] == 413
    deep = json.loads(session.answer("load", "[" * 5000 + "]" * 5000))
    assert deep["status"] == 400 and "deep" in deep["error"]
    assert json.loads(session.answer("state"))["status"] == 200      # nothing broke


def _raw_post(handle, action, text):
    import urllib.request
    base = handle.url.split("?", 1)[0].rstrip("/")
    req = urllib.request.Request(base + "/api/" + action, data=text.encode(), method="POST",
                                 headers={"X-Neurograph-Token": handle.token})
    urllib.request.urlopen(req, timeout=10)


def test_serve_and_the_page_read_a_models_name_with_one_function(tmp_path, capsys):
    from neurograph.playground import resolve
    for argv in (["serve", "xorr", "--no-browser"], ["page", str(tmp_path / "a"), "--model", "xorr"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2 and "no model 'xorr' (did you mean 'xor'?)" in \
            capsys.readouterr().err
    net, data, options = resolve("toy_relu")        # what neurograph serve toy_relu starts with
    pg = Session("toy_relu").playground
    assert (pg.title, pg.settings.loss, pg.settings.lr) == \
        (options["title"], options["loss"], str(options["lr"]))


def test_the_session_takes_built_in_gallery_and_file_models(tmp_path):
    assert json.loads(Session("xor").answer("state"))["answer"]["model"]["title"] == \
        "XOR, 2-2-1 sigmoid"
    assert json.loads(Session("toy_relu").answer("backward"))["status"] == 200
    path = str(tmp_path / "tiny.json")
    ng.persistence.save(ng.Net.dense([2, 3, 1], seed=4), path)
    assert len(json.loads(Session(path).answer("state"))["answer"]["neurons"]) == 6


def test_serve_in_the_browsers_python_says_to_build_the_page(monkeypatch):
    monkeypatch.setattr(sys, "platform", "emscripten")
    with pytest.raises(ng.NeurographError, match="neurograph page DIR"):
        ng.serve(ng.textbook.mazur(), open_browser=False)


def test_the_pages_python_loads_no_server_machinery():
    import subprocess
    code = ("import sys, neurograph.page.session as s; s.Session('mazur').answer('backward'); "
            "print(sorted(m for m in ('http.server', 'socketserver', 'neurograph.playground.server')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.stdout.strip() == "[]"


# -- the command -----------------------------------------------------------------------------

def test_the_command_builds_and_says_how_to_open_the_page(tmp_path, capsys):
    assert main(["page", str(tmp_path / "site"), "--model", "iris"]) == 0
    out = capsys.readouterr().out
    assert "model iris" in out and "Pyodide %s loaded from the CDN" % VERSION in out
    assert "http.server" in out
    assert config_of(read(str(tmp_path / "site"), "index.html").decode())["model"] == "iris"


def test_the_command_refuses_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["page", str(tmp_path / "a"), "--model", "nope"])
    assert info.value.code == 2 and "--model must be" in capsys.readouterr().err
    assert main(["page", str(tmp_path / "b"), "--single-file"]) == 1
    assert "--pyodide PATH" in capsys.readouterr().err
    assert main(["page", str(tmp_path / "c"), "--pyodide", str(tmp_path / "none.tgz")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert not os.path.exists(str(tmp_path / "c"))
