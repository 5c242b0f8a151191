"""Starting and stopping the playground page: :func:`serve` and its :class:`ServerHandle`.

``serve`` builds the :class:`~neurograph.playground.state.Playground` and
only then imports the HTTP server (:mod:`neurograph.playground.server`), so
importing neurograph loads no server, socket or HTTP module.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``serve(net, data)``       start the server in a daemon thread; returns a ServerHandle
``ServerHandle``           ``url``, ``stop()``, ``wait()``, ``request(path, body)``; in
                           Jupyter an iframe and a link while it runs, "stopped" after
``MAX_BODY``               request bodies larger than this many bytes are refused (413)
=========================  ============================================================

>>> import neurograph as ng
>>> with serve(ng.textbook.mazur(), open_browser=False) as handle:
...     handle.request("/api/backward")["loss"]
'0.2983711087600027'
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, Optional

from ..core.errors import NeurographError, NumberError
from .state import MAX_BODY, Playground

__all__ = ["serve", "ServerHandle", "MAX_BODY"]


class ServerHandle:
    """A running playground server: ``url``, ``stop()``, ``request()``; an iframe in Jupyter.

    Used in a ``with`` block, the server stops at its end.

    >>> import neurograph as ng
    >>> with ng.serve(ng.textbook.mazur(), open_browser=False) as handle:
    ...     handle.running, handle.request("/api/state")["sample"]["x"]
    (True, ['0.05', '0.1'])
    >>> handle.running
    False
    """

    def __init__(self, server: Any, thread: Any, url: str) -> None:
        self._server = server
        self._thread = thread
        self.url = url
        self.port = server.port
        self.token = server.token
        self.playground = server.playground

    @property
    def running(self) -> bool:
        """True while the server thread is serving."""
        return self._thread.is_alive()

    def request(self, path: str, body: Optional[Dict[str, Any]] = None, *,
                method: Optional[str] = None, timeout: float = 60) -> Any:
        """Call the API (token included) and decode its JSON answer; POST unless /api/state
        or /api/model without a body.  An error answer raises urllib's HTTPError.

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> state = handle.request("/api/edit", {"name": "w5", "value": "0.5"})
        >>> state["connections"][4]["weight"], state["phase"]
        ('0.5', 'forward')
        >>> handle.stop()
        """
        import urllib.request       # (http.client: loaded when a request is made)
        if method is None:
            method = "GET" if path in ("/api/state", "/api/model") and body is None else "POST"
        data = None if method == "GET" else json.dumps(body or {}).encode("utf-8")
        base = self.url.split("?", 1)[0].rstrip("/")
        req = urllib.request.Request(base + path, data=data, method=method, headers={
            "X-Neurograph-Token": self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read().decode("utf-8"))

    def open_browser(self) -> bool:
        """Open the page in the default web browser; True if a browser was started.

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle.open_browser()  # doctest: +SKIP
        True
        >>> handle.stop()
        """
        import webbrowser
        return webbrowser.open(self.url)

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here).

        >>> import neurograph as ng, threading
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> timer = threading.Timer(0.2, handle.stop); timer.start()
        >>> handle.wait(); timer.join(); handle.running
        False
        """
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop the server and close its socket (safe to call twice).

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle.stop(); handle.stop(); handle.running
        False
        """
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _repr_html_(self) -> str:
        """In a notebook: the page in an iframe with a plain link under it while the server
        runs; once stopped, only the word "stopped" (no iframe, no address, no token).

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle._repr_html_().startswith("<div><iframe")
        True
        >>> handle.stop(); handle._repr_html_()
        '<p>neurograph playground (stopped)</p>'
        """
        if not self.running:
            return "<p>neurograph playground (stopped)</p>"
        url = self.url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        return ('<div><iframe src="%s" width="100%%" height="760" '
                'style="border:1px solid #ccc"></iframe>'
                '<p><a href="%s" target="_blank" rel="noopener">open the playground in a new '
                'tab</a> (the kernel and the browser must be on one computer)</p></div>'
                % (url, url))

    def __repr__(self) -> str:
        """The address while running; "stopped" (and no address) after.

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle.stop(); handle
        <neurograph playground, stopped>
        """
        if not self.running:
            return "<neurograph playground, stopped>"
        return "<neurograph playground at %s>" % self.url


def serve(net: Any, data: Any = None, port: int = 0, open_browser: bool = True, *,
          host: str = "127.0.0.1", lr: Any = None, loss: Optional[str] = None,
          optimizer: str = "sgd", title: str = "", momentum: Any = None,
          weight_decay: Any = 0, batch: int = 1) -> ServerHandle:
    """Serve the playground page for *net* in a daemon thread and return at once.

    *net* is a :class:`~neurograph.Net` or a textbook example such as
    ``ng.textbook.get("mazur")`` (its sample, a sequence for a recurrent
    one, its learning rate, loss and optimizer are used); *data* a Dataset or
    a list of ``(input, target)`` pairs (of sequences, for a recurrent net)
    to pick samples from and train on.  *port* 0 picks a free port.  *lr*,
    *loss*, *optimizer* (``"sgd"``, ``"momentum"`` or ``"adam"``),
    *momentum*, *weight_decay* and *batch* are the starting settings, checked
    before the server starts (a bad one raises); the page can change them.
    The page's URL, with the access token, is ``handle.url``.

    >>> import neurograph as ng
    >>> handle = ng.serve(ng.textbook.mazur(), port=0, open_browser=False)
    >>> handle.playground.title, handle.playground.settings.lr
    ('A Step by Step Backpropagation Example', '0.5')
    >>> handle.stop()
    >>> ng.serve(ng.textbook.mazur(), loss="nope", open_browser=False)
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: unknown loss 'nope': use one of half_sse, sse, mse, binary_cross_entropy, categorical_cross_entropy
    """
    if sys.platform == "emscripten":    # Python in a browser (Pyodide): no sockets, no threads
        raise NeurographError("ng.serve cannot run in the browser's Python (Pyodide has no "
                              "sockets or threads): build the playground as a static page with "
                              "`neurograph page DIR` and open that instead")
    from .models import example_options
    if hasattr(net, "net") and hasattr(net, "x") and hasattr(net, "y"):   # a textbook Example
        net, own, options = example_options(net)
        title = title or options.get("title", "")
        data = own if data is None else data
        lr = options.get("lr") if lr is None else lr
        loss = loss or options.get("loss")
        if optimizer == "sgd" and "optimizer" in options:
            optimizer, momentum = options["optimizer"], options.get("momentum", momentum)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise NumberError("port must be a whole number from 0 to 65535, got %r" % (port,))
    pg = Playground(net, data, lr=lr, loss=loss, optimizer=optimizer, title=title,
                    momentum=momentum, weight_decay=weight_decay, batch=batch)
    from .server import start       # http.server is loaded here, when a page is served
    handle = ServerHandle(*start(pg, host, port))
    if open_browser:
        handle.open_browser()
    return handle
