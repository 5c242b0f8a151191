"""The Python half of the no-install page: one Playground answering the page's requests.

The page's Web Worker runs this module under Pyodide.  A :class:`Session`
holds the same :class:`~neurograph.playground.Playground` that ``neurograph
serve`` uses, for the same model (:func:`neurograph.playground.resolve`
reads its name), and answers ``request(action, body)`` by calling
``Playground.act(action, body)``: the worker hands it the JSON text of the
body and gets back the JSON text of the answer, with the status the server
would have sent (200, or 400/404/413/500 and the server's message).  The
body is checked as the server checks it
(:func:`~neurograph.playground.body.read_body`).  No HTTP, no sockets, no
threads.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``Session(model)``             the page's Playground for a built-in model, a gallery
                               example or a model file
``Session.answer(a, text)``    one request: JSON text in, ``{"status", "answer"|"error"}``
                               as JSON text out
=============================  ==========================================================

>>> s = Session("mazur")
>>> import json
>>> answer = json.loads(s.answer("backward", "{}"))
>>> answer["status"], answer["answer"]["loss"]
(200, '0.2983711087600027')
>>> json.loads(s.answer("train", '{"epochs": 0}'))
{'status': 400, 'error': "epochs must be a whole number from 1 to 100000, got '0'"}
"""

from __future__ import annotations

import json
from typing import Any, Dict

from ..core.errors import NeurographError
from ..playground import Playground, resolve
from ..playground.body import read_body
from ..playground.errors import ApiError

__all__ = ["Session"]


class Session:
    """The page's Playground and its answers, as JSON text (what the worker passes on).

    *model* is what :func:`~neurograph.playground.resolve` takes.  The answer of each request
    is ``{"status": 200, "answer": ...}`` or ``{"status": 4xx/500, "error":
    message}``, the status and message the HTTP server would have sent.

    >>> import json
    >>> s = Session("mazur")
    >>> json.loads(s.answer("step"))["answer"]["connections"][4]["weight"]
    '0.35891647971788465'
    >>> json.loads(s.answer("edit", '{"name": "w99", "value": "1"}'))["status"]
    400
    >>> json.loads(s.answer("fly"))["status"]
    404
    """

    def __init__(self, model: str = "mazur") -> None:
        self.model = model
        net, data, options = resolve(model)
        self.playground = Playground(net, data, **options)

    def answer(self, action: str, body: Any = "") -> str:
        """Run *action* with the JSON text *body*; the answer as JSON text (never raises for a
        refused request: the status says what went wrong)."""
        try:
            out: Dict[str, Any] = {"status": 200,
                                   "answer": self.playground.act(action, read_body(body))}
        except ApiError as e:
            out = {"status": e.status, "error": str(e)}
        except NeurographError as e:
            out = {"status": 400, "error": " ".join(str(e).split("\n"))}
        except RecursionError as e:
            out = {"status": 400, "error": "too deeply nested: %s" % e}
        except Exception as e:  # the page survives any request, as the server does
            out = {"status": 500, "error": "internal error: %s: %s" % (type(e).__name__, e)}
        return json.dumps(out, separators=(",", ":"))
