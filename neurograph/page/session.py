"""The Python half of the no-install page: one Playground answering the page's requests.

The page's Web Worker runs this module under Pyodide.  A :class:`Session`
holds the same :class:`~neurograph.playground.Playground` that ``neurograph
serve`` uses and answers ``request(action, body)`` by calling
``Playground.act(action, body)``: the worker hands it the JSON text of the
body and gets back the JSON text of the answer, with the status the server
would have sent (200, or 400/404/413/500 and the server's message).  No
HTTP, no sockets, no threads.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``Session(model)``             the page's Playground for a built-in model, a gallery
                               example or a model file
``Session.answer(a, text)``    one request: JSON text in, ``{"status", "answer"|"error"}``
                               as JSON text out
``playground_for(model)``      the Playground of ``neurograph serve MODEL`` (or a gallery
                               example)
``MAX_DEPTH``                  request bodies nested deeper than this are refused (400)
=============================  ==========================================================

>>> s = Session("mazur")
>>> import json
>>> answer = json.loads(s.answer("backward", "{}"))
>>> answer["status"], answer["answer"]["loss"]
(200, '0.2983711087600027')
>>> json.loads(s.answer("train", '{"epochs": 0}'))
{'status': 400, 'error': 'epochs must be a whole number from 1 to 1000, got 0'}
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict

from ..core.errors import NeurographError
from ..playground import EXAMPLES, Playground, example, model_file
from ..playground.state import MAX_BODY, ApiError

__all__ = ["Session", "playground_for", "MAX_DEPTH"]

#: A request body nested deeper than this (objects in lists in objects ...) is refused:
#: a model file needs about 5 levels, and a very deep one would exhaust the browser's stack.
MAX_DEPTH = 100


def playground_for(model: str) -> Playground:
    """The Playground for *model*: a built-in model of ``neurograph serve`` (mazur, xor,
    iris, digits), an example of the textbook's gallery, or a model file's path.

    >>> playground_for("xor").title
    'XOR, 2-2-1 sigmoid'
    >>> playground_for("toy_relu").lr_text
    '0.1'
    >>> playground_for("no-such-model")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: no model 'no-such-model': use mazur, xor, iris, digits, a gallery example (toy_linear, ...) or a model file
    """
    from ..core.errors import NameLookupError
    from ..textbook.gallery import get
    from ..textbook.worked import NAMES
    if model in EXAMPLES:
        net, data, options = example(model)
        return Playground(net, data, **options)
    if model in NAMES:
        ex = get(model)
        source = (getattr(ex, "spec", None) or {}).get("source") or {}
        return Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr, title=source.get("title", model))
    if os.path.isfile(model):
        net, data, options = model_file(model)
        return Playground(net, data, **options)
    others = ", ".join(n for n in NAMES if n not in EXAMPLES)
    raise NameLookupError("no model %r: use %s, a gallery example (%s) or a model file"
                          % (model, ", ".join(EXAMPLES), others))


def _depth(text: str) -> int:
    """How deeply the JSON *text* nests its lists and objects (brackets inside strings
    are not counted).

    >>> _depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    depth = most = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            most = max(most, depth)
        elif ch in "]}":
            depth -= 1
    return most


def _body(text: Any) -> Dict[str, Any]:
    """The request's JSON object, checked as the server checks it (ApiError if refused)."""
    if text is None or not str(text).strip():
        return {}
    text = str(text)
    size = len(text.encode("utf-8"))
    if size > MAX_BODY:
        raise ApiError(413, "request body of %d bytes: the limit is %d" % (size, MAX_BODY))
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        raise ApiError(400, "the body nests lists and objects more than %d deep" % MAX_DEPTH)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ApiError(400, "malformed JSON: %s" % e) from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object, got %s" % type(data).__name__)
    return data


class Session:
    """The page's Playground and its answers, as JSON text (what the worker passes on).

    *model* is what :func:`playground_for` takes.  The answer of each request
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
        self.playground = playground_for(model)

    def answer(self, action: str, body: Any = "") -> str:
        """Run *action* with the JSON text *body*; the answer as JSON text (never raises for a
        refused request: the status says what went wrong)."""
        try:
            out: Dict[str, Any] = {"status": 200,
                                   "answer": self.playground.act(action, _body(body))}
        except ApiError as e:
            out = {"status": e.status, "error": str(e)}
        except NeurographError as e:
            out = {"status": 400, "error": " ".join(str(e).split("\n"))}
        except RecursionError as e:
            out = {"status": 400, "error": "too deeply nested: %s" % e}
        except Exception as e:  # the page survives any request, as the server does
            out = {"status": 500, "error": "internal error: %s: %s" % (type(e).__name__, e)}
        return json.dumps(out, separators=(",", ":"))
