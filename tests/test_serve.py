"""The playground server (neurograph.playground): its JSON API and its defences."""

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.playground import MAX_BODY, Playground, example, serve

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def mazur():
    ex = ng.textbook.mazur()
    handle = serve(ex.net, data=[(ex.x, ex.y)], lr=ex.lr, loss="half_sse", open_browser=False)
    yield handle
    handle.stop()


def call(handle, path, body=None, method=None):
    return handle.request(path, body, method=method)


def error_of(handle, path, body=None, method=None):
    """(status, message) of a call that must fail."""
    with pytest.raises(urllib.error.HTTPError) as info:
        handle.request(path, body, method=method)
    err = info.value
    payload = json.loads(err.read().decode("utf-8"))
    return err.code, payload["error"]


def by_name(items, name):
    return next(i for i in items if i["name"] == name)


def raw(handle, data, read=True, timeout=5.0):
    """Send raw bytes to the server; the answer's first line (or '' when none)."""
    with socket.create_connection(("127.0.0.1", handle.port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            return ""
        if not read:
            return ""
        try:
            answer = s.recv(4096)
        except OSError:
            return ""
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def http_status(handle, method, path, headers=None, body=None):
    """Status and JSON body of a request with hand-made headers (http.client)."""
    conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        headers = dict({"Host": "127.0.0.1:%d" % handle.port}, **(headers or {}))
        for k, v in headers.items():
            if v is not None:
                conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        return r.status, data
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# Mazur's numbers through the API
# ---------------------------------------------------------------------------

def test_url_and_state_before_any_pass(mazur):
    assert mazur.url.startswith("http://127.0.0.1:%d/?token=" % mazur.port)
    state = call(mazur, "/api/state")
    assert state["phase"] == "none"
    assert [n["name"] for n in state["neurons"]] == ["i1", "i2", "h1", "h2", "o1", "o2"]
    assert [c["name"] for c in state["connections"]] == ["w%d" % k for k in range(1, 9)]
    assert by_name(state["connections"], "w5")["weight"] == "0.4"
    assert by_name(state["neurons"], "o1")["a"] is None and state["loss"] is None
    assert [b["name"] for b in state["biases"]] == ["b1", "b2"]
    assert state["model"]["number"] == "float" and state["model"]["lr"] == "0.5"


def test_forward_then_backward_gives_mazurs_numbers(mazur):
    state = call(mazur, "/api/forward")
    assert state["phase"] == "forward"
    assert [round(float(a), 8) for a in state["outputs"]] == [0.75136507, 0.77292847]
    assert by_name(state["neurons"], "o1")["delta"] is None       # no stale deltas
    state = call(mazur, "/api/backward")
    assert state["phase"] == "backward"
    assert round(float(state["loss"]), 9) == 0.298371109
    assert round(float(by_name(state["neurons"], "o1")["delta"]), 9) == 0.138498562
    assert round(float(by_name(state["connections"], "w5")["grad"]), 9) == 0.082167041
    # the strings are the objects' own numbers, exactly
    assert float(by_name(state["connections"], "w5")["grad"]) == mazur.playground.net["w5"].grad


def test_backward_twice_does_not_double_the_gradient(mazur):
    call(mazur, "/api/backward")
    state = call(mazur, "/api/backward")
    assert round(float(by_name(state["connections"], "w5")["grad"]), 9) == 0.082167041


def test_step_makes_w5_0_35891648(mazur):
    call(mazur, "/api/forward")
    call(mazur, "/api/backward")
    state = call(mazur, "/api/step")
    assert round(float(by_name(state["connections"], "w5")["weight"]), 8) == 0.35891648
    assert state["steps"] == 1 and state["phase"] == "forward"
    assert round(float(state["loss"]), 9) == 0.291027774          # the loss after one update


def test_explain_gives_the_chain_rule(mazur):
    call(mazur, "/api/backward")
    text = call(mazur, "/api/explain", {"name": "w5"})["text"]
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    ex.net.backward(ex.y)
    assert text == str(ex.net.explain("w5"))
    assert "0.082167041" in text and "BP4" in text
    assert "0.138498562" in call(mazur, "/api/explain", {"name": "o1"})["text"]


def test_explain_before_backward_is_a_400_with_the_reason(mazur):
    status, message = error_of(mazur, "/api/explain", {"name": "w5"})
    assert status == 400 and "Backward" in message


def test_editing_w1_changes_the_outputs(mazur):
    before = call(mazur, "/api/forward")["outputs"]
    state = call(mazur, "/api/edit", {"name": "w1", "value": "0.9"})
    assert by_name(state["connections"], "w1")["weight"] == "0.9"
    assert state["outputs"] != before and state["phase"] == "forward"
    assert mazur.playground.net["w1"].weight == 0.9
    state = call(mazur, "/api/edit", {"name": "b1", "value": "0.5"})
    assert by_name(state["biases"], "b1")["value"] == "0.5"


def test_editing_after_backward_keeps_the_gradients_current(mazur):
    call(mazur, "/api/backward")
    state = call(mazur, "/api/edit", {"name": "w5", "value": "0.5"})
    assert state["phase"] == "backward"
    ex = ng.textbook.mazur()
    ex.net["w5"].weight = 0.5
    ex.net.forward(ex.x)
    ex.net.backward(ex.y)
    assert float(by_name(state["connections"], "w6")["grad"]) == ex.net["w6"].grad


def test_walk_order_is_the_hook_order(mazur):
    net = mazur.playground.net
    seen = []
    ids = {id(n) for n in net.neurons}
    h = net.add_hook(lambda event, obj: seen.append(obj.name) if id(obj) in ids else None,
                     on="backward")
    call(mazur, "/api/backward")
    h.remove()
    walk = call(mazur, "/api/walk", {"phase": "backward"})
    assert [s["neuron"] for s in walk["steps"]] == seen == ["o1", "o2", "h1", "h2"]
    first = walk["steps"][0]
    assert first["connections"] == ["w5", "w6"] and first["bias"] == "b2"
    text = "\n".join(first["lines"])
    assert "0.138498562" in text and "BP1" in text and "BP3" in text and "BP4" in text
    assert "0.082167041" in text                     # BP4 for w5: delta_o1 * a_h1
    assert walk["steps"][2]["lines"] is None         # a step not reached: no numbers
    call(mazur, "/api/next")
    hidden = call(mazur, "/api/next")["walk"]["step"]
    assert hidden["neuron"] == "h1" and hidden["position"] == 2
    assert hidden["uses"] == ["w5", "w7"] and "BP2" in "\n".join(hidden["lines"])
    assert walk["state"]["phase"] == "backward"


def test_forward_walk(mazur):
    walk = call(mazur, "/api/walk", {"phase": "forward"})
    assert [s["neuron"] for s in walk["steps"]] == ["h1", "h2", "o1", "o2"]
    assert "0.593269992" in "\n".join(walk["steps"][0]["lines"])
    assert walk["state"]["phase"] == "forward"
    assert error_of(mazur, "/api/walk", {"phase": "sideways"})[0] == 400


def test_settings_reset_and_train(mazur):
    state = call(mazur, "/api/settings", {"lr": "0.25", "optimizer": "adam", "loss": "mse"})
    assert state["model"]["lr"] == "0.25" and state["model"]["optimizer"] == "adam"
    assert error_of(mazur, "/api/settings", {"loss": "nope"})[0] == 400
    assert error_of(mazur, "/api/settings", {"lr": "fast"})[0] == 400
    call(mazur, "/api/settings", {"lr": "0.5", "optimizer": "sgd", "loss": "half_sse"})
    state = call(mazur, "/api/train", {"epochs": 3})
    assert [r["epoch"] for r in state["history"]] == [1, 2, 3]
    assert float(state["history"][1]["loss"]) < float(state["history"][0]["loss"])
    assert error_of(mazur, "/api/train", {"epochs": 0})[0] == 400
    assert error_of(mazur, "/api/train", {"epochs": "10"})[0] == 400
    state = call(mazur, "/api/reset")
    assert state["history"] == [] and by_name(state["connections"], "w5")["weight"] == "0.4"


def test_model_download_and_upload(mazur):
    call(mazur, "/api/edit", {"name": "w5", "value": "0.125"})
    model = call(mazur, "/api/model")
    assert model["format"] == "neurograph"
    net = ng.Net.from_dict(model)
    assert net["w5"].weight == 0.125
    call(mazur, "/api/edit", {"name": "w5", "value": "0.75"})
    state = call(mazur, "/api/model", model)
    assert by_name(state["connections"], "w5")["weight"] == "0.125"
    status, message = error_of(mazur, "/api/model", {"format": "something else"})
    assert status == 400 and "format" in message
    status, message = error_of(mazur, "/api/model", {"format": "neurograph"})
    assert status == 400


def test_samples_of_a_data_set():
    net, data, options = example("iris")
    with serve(net, data, open_browser=False, **options) as handle:
        state = call(handle, "/api/state")
        assert state["samples"] == 150
        assert state["model"]["loss"] == "categorical_cross_entropy"     # explain's name
        state = call(handle, "/api/forward", {"index": 60})
        assert state["sample"]["index"] == 60 and state["sample"]["y"] == ["0.0", "1.0", "0.0"]
        state = call(handle, "/api/backward", {"x": ["1", "0", "-1", "0.5"], "y": [1, 0, 0]})
        assert state["sample"] == {"index": None, "x": ["1.0", "0.0", "-1.0", "0.5"],
                                   "y": ["1.0", "0.0", "0.0"]}
        assert state["phase"] == "backward"
        assert error_of(handle, "/api/sample", {"index": 150})[0] == 400
        status, message = error_of(handle, "/api/sample", {"x": ["1", "2"]})
        assert status == 400 and "input" in message
        state = call(handle, "/api/train", {"epochs": 1})
        assert float(state["history"][0]["accuracy"]) > 0.5


@pytest.mark.parametrize("name", ["mazur", "xor", "iris", "digits"])
def test_built_in_models(name):
    net, data, options = example(name)
    pg = Playground(net, data, **{k: v for k, v in options.items()})
    pg.backward()
    state = pg.state()
    assert state["phase"] == "backward" and state["loss"] is not None
    json.dumps(state)


def test_exact_numbers_travel_as_exact_strings():
    ex = ng.textbook.mazur(Decimal)
    with serve(ex, open_browser=False) as handle:
        state = call(handle, "/api/backward")
        assert state["model"]["number"] == "Decimal"
        delta = by_name(state["neurons"], "o1")["delta"]
        assert Decimal(delta) == handle.playground.net["o1"].delta
        state = call(handle, "/api/edit", {"name": "w1", "value": "0.1"})
        assert by_name(state["connections"], "w1")["weight"] == "0.1"
        assert handle.playground.net["w1"].weight == Decimal("0.1")
        status, message = error_of(handle, "/api/edit", {"name": "w1", "value": "1/3"})
        assert status == 400 and "Decimal" in message
    net = ng.Net.dense([2, 2, 1], activation="relu", output_activation="identity",
                       number=Fraction, seed=3)
    with serve(net, [(["1/2", "1/3"], ["1"])], lr="1/10", open_browser=False) as handle:
        state = call(handle, "/api/edit", {"name": "i1->h1_1", "value": "1/3"})
        assert by_name(state["connections"], "i1->h1_1")["weight"] == "1/3"
        assert state["sample"]["x"] == ["1/2", "1/3"] and state["model"]["lr"] == "1/10"
        state = call(handle, "/api/step")
        assert Fraction(state["loss"]) == handle.playground.loss_value


def test_unknown_names_and_bad_values_are_400_with_a_message(mazur):
    status, message = error_of(mazur, "/api/edit", {"name": "w55", "value": "1"})
    assert status == 400 and "w55" in message
    assert error_of(mazur, "/api/edit", {"name": "w1", "value": "abc"})[0] == 400
    assert error_of(mazur, "/api/edit", {"name": "w1", "value": None})[0] == 400
    assert error_of(mazur, "/api/edit", {"name": "h1", "value": "1"})[0] == 400
    assert error_of(mazur, "/api/explain", {"name": ["w1"]})[0] == 400
    assert error_of(mazur, "/api/nothing")[0] == 404
    assert error_of(mazur, "/api/forward", method="GET")[0] == 405
    assert error_of(mazur, "/api/state", {}, method="POST")[0] == 405


def test_handle_repr_html_is_an_iframe_and_a_link_then_stopped(mazur):
    html = mazur._repr_html_()
    assert html.startswith("<div><iframe") and mazur.url.replace("&", "&amp;") in html
    assert html.count(mazur.token) == 2 and "<a href=" in html          # the plain link
    assert "playground" in repr(mazur) and mazur.token in repr(mazur)
    mazur.stop()
    for text in (mazur._repr_html_(), repr(mazur)):
        assert "stopped" in text and "iframe" not in text and mazur.token not in text
        assert str(mazur.port) not in text


def test_stop_frees_the_port():
    ex = ng.textbook.mazur()
    handle = serve(ex, open_browser=False)
    port = handle.port
    handle.stop()
    handle.stop()
    assert not handle.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# ---------------------------------------------------------------------------
# the page's files
# ---------------------------------------------------------------------------

def test_the_page_and_its_files_are_served(mazur):
    with urllib.request.urlopen(mazur.url, timeout=10) as r:
        html = r.read().decode("utf-8")
        assert r.headers["Content-Type"].startswith("text/html")
        assert "connect-src 'self'" in r.headers["Content-Security-Policy"]
    assert 'id="details"' in html and 'data-action="forward"' in html
    for name in ("playground.js", "playground.css", "common.js", "drawing.js", "panels.js"):
        with urllib.request.urlopen("http://127.0.0.1:%d/static/%s" % (mazur.port, name),
                                    timeout=10) as r:
            assert r.status == 200 and len(r.read()) > 500


def test_the_page_uses_no_other_host():
    static = os.path.join(ROOT, "neurograph", "playground", "static")
    for name in os.listdir(static):
        with open(os.path.join(static, name), encoding="utf-8") as f:
            text = f.read()
        for bad in ("http://", "https://", "//cdn", "@import"):
            body = text.replace("http://www.w3.org/2000/svg", "").replace(
                "http://www.w3.org/1998/Math/MathML", "")          # namespace names
            assert bad not in body, (name, bad)


# ---------------------------------------------------------------------------
# defences
# ---------------------------------------------------------------------------

def test_the_api_needs_the_token(mazur):
    base = "http://127.0.0.1:%d" % mazur.port
    for headers in ({}, {"X-Neurograph-Token": "wrong"}, {"X-Neurograph-Token": ""}):
        status, body = http_status(mazur, "GET", "/api/state", headers)
        assert status == 403 and "token" in json.loads(body)["error"]
        status, _ = http_status(mazur, "POST", "/api/forward", headers, b"{}")
        assert status == 403
    with urllib.request.urlopen(base + "/api/state?token=" + mazur.token, timeout=10) as r:
        assert json.loads(r.read())["phase"] == "none"
    assert mazur.playground.phase == "none"                  # the refused POSTs did nothing


def test_a_foreign_host_header_is_refused(mazur):
    tok = {"X-Neurograph-Token": mazur.token}
    for host in ("evil.example:%d" % mazur.port, "127.0.0.1:1", "127.0.0.1", "", None):
        status, _ = http_status(mazur, "GET", "/api/state", dict(tok, Host=host))
        assert status == 403, host
        status, _ = http_status(mazur, "GET", "/", {"Host": host})
        assert status == 403, host
    for host in ("localhost:%d" % mazur.port, "127.0.0.1:%d" % mazur.port):
        assert http_status(mazur, "GET", "/api/state", dict(tok, Host=host))[0] == 200


def test_another_sites_origin_is_refused(mazur):
    tok = {"X-Neurograph-Token": mazur.token}
    for origin in ("http://evil.example", "null", "http://127.0.0.1:1",
                   "https://127.0.0.1:%d" % mazur.port):
        status, _ = http_status(mazur, "POST", "/api/forward", dict(tok, Origin=origin), b"{}")
        assert status == 403, origin
    own = "http://127.0.0.1:%d" % mazur.port
    assert http_status(mazur, "POST", "/api/forward", dict(tok, Origin=own), b"{}")[0] == 200


def test_big_bodies_get_413(mazur):
    tok = {"X-Neurograph-Token": mazur.token, "Content-Type": "application/json"}
    body = b'{"name": "' + b"x" * MAX_BODY + b'"}'
    status, data = http_status(mazur, "POST", "/api/explain", tok, body)
    assert status == 413 and "limit" in json.loads(data)["error"]
    # a Content-Length far beyond the limit is refused before any body is read
    line = raw(mazur, ("POST /api/forward HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                       "X-Neurograph-Token: %s\r\nContent-Length: 999999999999\r\n\r\n"
                       % (mazur.port, mazur.token)).encode())
    assert line.endswith("413 Request Entity Too Large") or " 413 " in line


def test_malformed_json_is_a_400(mazur):
    tok = {"X-Neurograph-Token": mazur.token}
    for body in (b"{", b"[1, 2]", b"\xff\xfe", b'"text"', b"{'a': 1}", b"NaN]"):
        status, data = http_status(mazur, "POST", "/api/edit", tok, body)
        assert status == 400 and json.loads(data)["error"], body


def test_no_path_outside_the_static_files(mazur):
    for path in ("/../server.py", "/static/../server.py", "/static/%2e%2e/server.py",
                 "/static/..%2fserver.py", "/..%2f..%2fetc%2fpasswd", "//etc/passwd",
                 "/static/", "/static/index.html/..", "/static//etc/passwd", "/server.py",
                 "/static/./playground.js", "/static/PLAYGROUND.JS", "/%00", "/static/\\..\\x"):
        status, body = http_status(mazur, "GET", path)
        assert status in (400, 404), path
        assert b"import" not in body and b"root:" not in body, path


def test_concurrent_requests_do_not_interleave():
    net, data, options = example("iris")
    with serve(net, data, open_browser=False, **options) as handle:
        errors = []

        def worker(k):
            try:
                for i in range(8):
                    call(handle, ("/api/backward", "/api/step", "/api/forward")[(i + k) % 3],
                         {"index": (k * 8 + i) % 150})
                    call(handle, "/api/state")
            except Exception as e:       # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        state = call(handle, "/api/backward", {"index": 3})
        ref = ng.Net.from_dict(handle.request("/api/model"))
        ref.forward(handle.playground.x)
        ref.zero_grad()
        ref.backward(handle.playground.y, loss="cross_entropy")
        assert [n["delta"] for n in state["neurons"] if not n["input"]] == \
            [repr(n.delta) for layer in ref.layers[1:] for n in layer]


def test_the_server_survives_malformed_requests(mazur):
    """A few hundred garbage requests over raw sockets; then the page and API still work."""
    rng = random.Random(16)
    port, tok = mazur.port, mazur.token
    host = "Host: 127.0.0.1:%d\r\n" % port
    auth = "X-Neurograph-Token: %s\r\n" % tok
    fixed = [
        b"\r\n\r\n", b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n", b"G" * 70000 + b"\r\n\r\n",
        ("GET / HTTP/1.1\r\n" + host + "X-Big: " + "a" * 70000 + "\r\n\r\n").encode(),
        ("GET / HTTP/1.1\r\n" + host + "".join("X-%d: y\r\n" % i for i in range(150))
         + "\r\n").encode(),
        ("POST /api/edit HTTP/1.1\r\n" + host + auth + "Content-Length: -5\r\n\r\n").encode(),
        ("POST /api/edit HTTP/1.1\r\n" + host + auth + "Content-Length: abc\r\n\r\n").encode(),
        ("POST /api/edit HTTP/1.1\r\n" + host + auth + "Content-Length: 50\r\n\r\n{").encode(),
        ("POST /api/edit HTTP/1.1\r\n" + host + auth
         + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").encode(),
        ("DELETE /api/state HTTP/1.1\r\n" + host + auth + "\r\n").encode(),
        ("PUT /api/model HTTP/1.1\r\n" + host + auth + "Content-Length: 2\r\n\r\n{}").encode(),
        ("OPTIONS * HTTP/1.1\r\n" + host + "\r\n").encode(),
        ("GET /api/state HTTP/1.1\r\n" + host + "X-Neurograph-Token: \xe9\r\n\r\n").encode("latin-1"),
        ("GET /static/../../../etc/passwd HTTP/1.1\r\n" + host + "\r\n").encode(),
        ("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + host + "\r\n").encode(),
        ("GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n").encode(),
        ("POST /api/step HTTP/1.1\r\n" + host + "X-Neurograph-Token: nope\r\n"
         "Content-Length: 2\r\n\r\n{}").encode(),
    ]
    bodies = [b"{", b"}", b"[]", b"null", b'{"name": 1}', b'{"name": "w1", "value": {}}',
              b'{"epochs": 1e9}', b'{"index": -1}', b'{"x": "abc"}', b'{"phase": 3}',
              b'{"lr": "inf"}', b'{"format": "neurograph", "neurons": 7}', b"\xff" * 20,
              json.dumps({"name": "w1", "value": "1" * 5000}).encode(),
              json.dumps({"x": [[]] * 3}).encode()]
    calls = ["/api/edit", "/api/explain", "/api/sample", "/api/train", "/api/walk",
             "/api/settings", "/api/model", "/api/forward", "/api/nothing", "/api/state"]
    sent = 0
    for data in fixed:
        raw(mazur, data)
        sent += 1
    while sent < 300:
        kind = rng.randrange(4)
        answer = True
        if kind == 0:      # random bytes
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
            if rng.random() < 0.5:
                data += b"\r\n\r\n"
            else:
                answer = False   # an unfinished request line: hang up
        elif kind == 1:    # an API call with a bad body
            body = rng.choice(bodies)
            data = ("POST %s HTTP/1.1\r\n%s%sContent-Length: %d\r\n\r\n"
                    % (rng.choice(calls), host, auth, len(body))).encode() + body
        elif kind == 2:    # a bad path or method
            path = rng.choice(["/", "/static/x", "/api/state", "/..", "/%ff", "/?" + "a" * 9000])
            meth = rng.choice(["GET", "POST", "HEAD", "PATCH", "TRACE", "get", "G\x00T"])
            data = ("%s %s HTTP/1.1\r\n%s\r\n" % (meth, path, host)).encode("latin-1")
        else:              # a request cut short: the client hangs up
            data = ("POST /api/edit HTTP/1.1\r\n%s%sContent-Length: 100\r\n\r\n{\"na"
                    % (host, auth)).encode()
            answer = False
        raw(mazur, data, read=answer and rng.random() < 0.8, timeout=2.0)
        sent += 1
    # still serving the page and the API, with Mazur's numbers
    with urllib.request.urlopen(mazur.url, timeout=10) as r:
        assert r.status == 200
    call(mazur, "/api/reset")
    state = call(mazur, "/api/backward")
    assert round(float(by_name(state["connections"], "w5")["grad"]), 9) == 0.082167041


# ---------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------

def test_neurograph_serve_prints_the_url_first_and_stops_on_ctrl_c(tmp_path):
    ex = ng.textbook.mazur()
    model = tmp_path / "m.json"
    ex.net.save(str(model))
    for what in ("xor", str(model)):
        proc = subprocess.Popen([sys.executable, "-m", "neurograph", "serve", what, "--no-browser",
                                 "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:") and "/?token=" in url
            base, token = url.split("/?token=")
            req = urllib.request.Request(base + "/api/backward", data=b"{}",
                                         headers={"X-Neurograph-Token": token})
            with urllib.request.urlopen(req, timeout=20) as r:
                assert json.loads(r.read())["phase"] == "backward"
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped" in out


def test_a_model_trained_on_iris_comes_with_its_scaled_samples(tmp_path, capsys):
    from neurograph.cli import main
    from neurograph.playground import model_file
    path = str(tmp_path / "iris.json")
    assert main(["train", "--data", "iris", "--epochs", "2", "--save", path]) == 0
    net, data, options = model_file(path)
    assert len(data) == 150 and options["lr"] == 0.1 and options["title"] == "iris.json"
    assert abs(sum(x[0] for x in data.inputs) / 150) < 0.2          # about mean 0: scaled
    with serve(net, data, open_browser=False, **options) as handle:
        state = call(handle, "/api/backward", {"index": 0})
        assert state["samples"] == 150
        assert state["model"]["loss"] == "categorical_cross_entropy"     # explain's name
    ex = ng.textbook.mazur()
    plain = str(tmp_path / "mazur.json")
    ex.net.save(plain)
    net, data, options = model_file(plain)
    assert data is None and "lr" not in options


def test_neurograph_serve_usage_errors():
    from neurograph.cli import main
    with pytest.raises(SystemExit) as info:
        main(["serve", "no-such-model.json", "--no-browser"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", "70000", "--no-browser"])
    assert info.value.code == 2
