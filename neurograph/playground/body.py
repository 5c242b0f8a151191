"""A request's body: the JSON text of an action's object, checked and read the same way by
every transport (the HTTP server, and the no-install page's worker).

=========================  ============================================================
name                       what it is
=========================  ============================================================
``read_body(raw)``         the body's JSON object, or an ApiError (413 too large, 400
                           nested too deeply, not JSON, or not an object)
``MAX_BODY``               request bodies larger than this many bytes are refused (413)
``MAX_NESTING``            a body may nest arrays and objects at most this deep (400)
=========================  ============================================================

The nesting is checked before the text is parsed, by
:func:`neurograph.files.read_json` (a deep document would exhaust the
parser's stack; under WebAssembly that ends the runtime).

>>> read_body(b'{"epochs": 3}')
{'epochs': 3}
>>> read_body("")
{}
"""

from __future__ import annotations

from typing import Any, Dict, Union

from ..core.errors import FormatError
from ..files import read_json
from .errors import ApiError

__all__ = ["read_body", "MAX_BODY", "MAX_NESTING"]

#: Request bodies larger than this many bytes are refused with 413.
MAX_BODY = 1 << 20
#: How deeply a request body may nest arrays and objects (a model file needs about 5 levels).
MAX_NESTING = 40


def read_body(raw: Union[bytes, str, None]) -> Dict[str, Any]:
    """The JSON object of a request body (bytes in UTF-8, or text); empty is ``{}``.  A
    body over MAX_BODY bytes is an ApiError with status 413; one nested more than
    MAX_NESTING deep, not JSON, or not an object, one with status 400.

    >>> read_body("[1, 2]")
    Traceback (most recent call last):
    ...
    neurograph.playground.errors.ApiError: the body must be a JSON object, got list
    >>> read_body("[" * 41 + "]" * 41)
    Traceback (most recent call last):
    ...
    neurograph.playground.errors.ApiError: request body: arrays and objects nested more than 40 levels deep; give a document nested less deeply
    >>> read_body(b"x" * (MAX_BODY + 1)).status
    Traceback (most recent call last):
    ...
    neurograph.playground.errors.ApiError: request body of 1048577 bytes: the limit is 1048576
    """
    if raw is None:
        return {}
    size = len(raw) if isinstance(raw, (bytes, bytearray)) else len(raw.encode("utf-8"))
    if size > MAX_BODY:
        raise ApiError(413, "request body of %d bytes: the limit is %d" % (size, MAX_BODY))
    if not raw.strip():
        return {}
    try:
        data = read_json(raw, "request body", max_depth=MAX_NESTING)
    except FormatError as e:
        raise ApiError(400, str(e)) from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object, got %s" % type(data).__name__)
    return data
