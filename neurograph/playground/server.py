"""The playground's HTTP server: the page's files and the JSON API, on http.server.

Only :func:`neurograph.playground.serve` imports this module (when it is
called), so ``import neurograph`` does not load ``http.server``.  The
handler checks each request (Host, Origin, token, body size) and hands the
API call to the :class:`~neurograph.playground.state.Playground` as an action
(``pg.act(name, body)``); it knows nothing of nets.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``start(pg, host, port)``  listen, serve in a daemon thread: ``(server, thread, url)``
``_Server``                a ThreadingHTTPServer: the playground, the token, the files
``_Handler``               one request: checks, static files, API calls
``ROUTES``                 ``GET``/``POST`` path -> the Playground action it runs
=========================  ============================================================

Every body is checked before it is parsed: a declared length that is not
plain ASCII digits is a 400; then :func:`~neurograph.playground.body.read_body`
(the check the no-install page makes too) refuses a body over MAX_BODY bytes
(413) or nested deeper than MAX_NESTING (400).

>>> import neurograph as ng
>>> from neurograph.playground.state import Playground
>>> ex = ng.textbook.mazur()
>>> server, thread, url = start(Playground(ex.net, [(ex.x, ex.y)]), "127.0.0.1", 0)
>>> url.startswith("http://127.0.0.1:%d/?token=" % server.port), thread.daemon
(True, True)
>>> server.shutdown(); thread.join(); server.server_close()
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import os
import secrets
import socket
import threading
import urllib.parse
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from ..core.errors import NeurographError
from .body import MAX_BODY, read_body
from .state import ANSWERS, CHANGES, ApiError, Playground

__all__ = ["start", "ROUTES"]

_STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'")

#: Every API call: (method, path) -> the Playground action it runs.  ``GET /api/model``
#: downloads the net, ``POST /api/model`` loads one; every other POST is named by its action
#: (the page's request(action, body) maps an action to its URL the same way).
ROUTES: Dict[Tuple[str, str], str] = dict(
    [(("GET", "/api/state"), "state"), (("GET", "/api/model"), "model")]
    + [(("POST", "/api/model" if a == "load" else "/api/" + a), a) for a in CHANGES + ANSWERS])


def _length(text: str) -> Optional[int]:
    """A Content-Length: plain ASCII digits (not '²' or '١'), else None."""
    text = text.strip()
    if not text or len(text) > 20 or not all("0" <= ch <= "9" for ch in text):
        return None
    return int(text)


def _static_files() -> Dict[str, str]:
    """URL path -> file path of every file shipped in ``neurograph/playground/static``."""
    files = {}
    try:
        names = os.listdir(_STATIC)
    except OSError:
        names = []
    for name in names:
        full = os.path.join(_STATIC, name)
        if os.path.isfile(full) and os.path.splitext(name)[1] in _TYPES:
            files["/static/" + name] = full
    if "/static/index.html" in files:
        files["/"] = files["/static/index.html"]
    return files


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: Tuple[str, int], playground: Playground, token: str) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.playground = playground
        self.token = token
        self.files = _static_files()
        host, port = address[0], self.server_address[1]
        self.port = port
        names = {host} | ({"localhost", "127.0.0.1", "[::1]", "::1"} if _is_loopback(host) else set())
        self.allowed_hosts = {("[%s]" % h if ":" in h and not h.startswith("[") else h)
                              + ":%d" % port for h in names}
        self.any_ip_host = _is_wildcard(host)

    def host_ok(self, value: Optional[str]) -> bool:
        """Is *value* (a Host header) this server's own address:port? (DNS rebinding guard)"""
        if not value:
            return False
        value = value.strip().lower()
        if value in self.allowed_hosts:
            return True
        if self.any_ip_host:
            name, _, port = value.rpartition(":")
            if port != str(self.port):
                return False
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return name in ("localhost", socket.gethostname().lower(),
                                socket.getfqdn().lower())
        return False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass   # a client that went away or sent garbage: nothing to report


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    server_version = "neurograph"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 15   # seconds a client may take to send its request
    # headers and body go out as two writes: without TCP_NODELAY the body would wait for the
    # client's delayed ACK (about 40 ms on Linux) on a kept-alive connection
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- answers ------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, extra: Sequence[Tuple[str, str]] = ()
              ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        self._send(status, body, "application/json")

    def _error(self, status: int, message: str) -> None:
        self.close_connection = True
        self._drain()
        self._json(status, {"error": message})

    def _drain(self) -> None:
        """Read an unread request body (up to 4 MB), so that closing the connection does not
        reset it before the client has read the answer."""
        if getattr(self, "_body_read", True):
            return
        self._body_read = True
        left = _length(self.headers.get("Content-Length", ""))
        if left is None or left > 4 * MAX_BODY:
            return        # not worth reading: the answer goes out and the connection closes
        try:
            self.connection.settimeout(2)
            while left > 0:
                chunk = self.rfile.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    # -- checks -------------------------------------------------------------
    def _checked(self) -> Optional[urllib.parse.SplitResult]:
        """The parsed URL when Host and Origin are this server's, else None (403 sent)."""
        if not self.server.host_ok(self.headers.get("Host")):
            self._error(403, "this server answers only to its own address (Host header)")
            return None
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != "http://" + self.headers.get("Host", "").lower():
            self._error(403, "requests from other sites are refused (Origin %s)" % origin[:100])
            return None
        return urllib.parse.urlsplit(self.path)

    def _token_ok(self, url: urllib.parse.SplitResult) -> bool:
        given = self.headers.get("X-Neurograph-Token")
        if given is None:
            given = urllib.parse.parse_qs(url.query).get("token", [""])[0]
        return secrets.compare_digest(given.encode("utf-8", "replace"),
                                      self.server.token.encode("ascii"))

    def _body(self) -> Any:
        self._body_read = True
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise ApiError(411, "send the body with a Content-Length")
        length = self.headers.get("Content-Length", "0").strip() or "0"
        n = _length(length)
        if n is None:
            raise ApiError(400, "bad Content-Length %r: give the body's size in bytes, as "
                           "digits 0-9" % length[:40])
        if n > MAX_BODY:
            self._body_read = False   # _error drains what it can
            raise ApiError(413, "request body of %d bytes: the limit is %d" % (n, MAX_BODY))
        raw = self.rfile.read(n) if n else b""
        if len(raw) < n:
            raise ApiError(400, "the request body ended early")
        return read_body(raw)

    # -- methods -------------------------------------------------------------
    def do_GET(self) -> None:
        self._safely(self._get)

    def do_HEAD(self) -> None:
        self._safely(self._get)

    def do_POST(self) -> None:
        self._safely(self._post)

    def _safely(self, fn: Callable[[], None]) -> None:
        self._body_read = self.command != "POST"
        try:
            fn()
        except ApiError as e:
            self._error(e.status, str(e))
        except NeurographError as e:
            self._error(400, " ".join(str(e).split("\n")))
        except (ConnectionError, socket.timeout):
            self.close_connection = True
        except Exception as e:   # the server survives any request
            try:
                self._error(500, "internal error: %s: %s" % (type(e).__name__, e))
            except Exception:
                self.close_connection = True

    def _get(self) -> None:
        url = self._checked()
        if url is None:
            return
        path = url.path
        if path.startswith("/api/"):
            if not self._token_ok(url):
                raise ApiError(403, "missing or wrong token: open the URL the server printed")
            pg = self.server.playground
            action = ROUTES.get(("GET", path))
            if action == "model":
                body = json.dumps(pg.act("model"), indent=1).encode("utf-8")
                name = "".join(ch for ch in pg.title if ch.isalnum() or ch in "-_")[:40] or "model"
                return self._send(200, body, "application/json", [
                    ("Content-Disposition", 'attachment; filename="%s.json"' % name)])
            if action is not None:
                return self._json(200, pg.act(action))
            if ("POST", path) in ROUTES:
                raise ApiError(405, "%s needs POST" % path)
            raise ApiError(404, "no API call %s" % path[:100])
        full = self.server.files.get(path)
        if full is None:
            raise ApiError(404, "not found")
        with open(full, "rb") as f:
            body = f.read()
        self._send(200, body, _TYPES[os.path.splitext(full)[1]],
                   [("Content-Security-Policy", _CSP)])

    def _post(self) -> None:
        url = self._checked()
        if url is None:
            return
        path = url.path
        if not path.startswith("/api/"):
            raise ApiError(405, "POST is for /api/ calls")
        if not self._token_ok(url):
            raise ApiError(403, "missing or wrong token: open the URL the server printed")
        body = self._body()
        action = ROUTES.get(("POST", path))
        if action is None:
            if ("GET", path) in ROUTES:
                raise ApiError(405, "%s needs GET" % path)
            raise ApiError(404, "no API call %s" % path[:100])
        self._json(200, self.server.playground.act(action, body))


# ---------------------------------------------------------------------------
# Starting
# ---------------------------------------------------------------------------

def start(playground: Playground, host: str, port: int
          ) -> Tuple[_Server, threading.Thread, str]:
    """Listen on *host*:*port* (0: a free port) and serve *playground* in a daemon thread.

    Returns the server, its thread and the page's URL with a new access token.

    >>> import neurograph as ng
    >>> from neurograph.playground.state import Playground
    >>> server, thread, url = start(Playground(ng.Net.dense([2, 1])), "localhost", 0)
    >>> url == "http://localhost:%d/?token=%s" % (server.port, server.token)
    True
    >>> server.shutdown(); thread.join(); server.server_close()
    """
    token = secrets.token_urlsafe(24)
    server = _Server((host, port), playground, token)
    shown = host if not _is_wildcard(host) else "127.0.0.1"
    if ":" in shown:
        shown = "[%s]" % shown
    url = "http://%s:%d/?token=%s" % (shown, server.port, token)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="neurograph-serve", daemon=True)
    thread.start()
    return server, thread, url
