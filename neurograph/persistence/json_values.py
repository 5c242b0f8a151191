"""The model file's constants, and numbers and other values as they appear in its JSON.

A float is a JSON number (written by ``repr``), a Decimal a string (``"0.150"``),
a Fraction a string ``"p/q"`` (``"-7/1"``); long integers go through
:func:`~neurograph.core.arithmetic.int_to_text`, which has no length limit.  Parsing
keeps what plain JSON would lose (repeated keys, ``NaN``) so that the checks can
report them at their JSON path.

=====================  ==========================================================
name                   what it is
=====================  ==========================================================
``FORMAT_NAME``        the value of the document's ``"format"`` key
``FORMAT_VERSION``     the format version written and read
``LIMITS``             upper bounds a loaded document must keep
``Checkpoint``         ``(net, optimizer, metadata)``: what a model file holds
``_encoder(num)``      number -> JSON value for one number system
``_pairs``             ``json.loads`` hook that remembers repeated keys
``_NonFinite``         stands for ``NaN``/``Infinity`` met while parsing
``_fail(path, ...)``   the FormatError naming a JSON path
=====================  ==========================================================

>>> from fractions import Fraction
>>> from neurograph.core.arithmetic import system_for
>>> _encoder(system_for(Fraction))(Fraction(-7))
'-7/1'
>>> _fail("neurons[0].bias", "a name", 3)
FormatError('neurons[0].bias: expected a name, got the number 3')
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from ..core.arithmetic import NumberSystem, int_to_text, number_text
from ..core.errors import FormatError
from ..core.net import Net
from ..core.optim import Optimizer

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "LIMITS", "Checkpoint"]

#: The value of the document's ``"format"`` key.
FORMAT_NAME = "neurograph"
#: The format version this module writes and reads.
FORMAT_VERSION = 1

#: Upper bounds checked when loading (a document beyond them is refused).  They are rules
#: of the file format, the same wherever a file is read: a number's text is then also read
#: by :func:`~neurograph.core.arithmetic.parse_number`, with its own limits.
LIMITS: Dict[str, int] = {
    "file_bytes": 256 * 1024 * 1024,   # size of a model file
    "name_chars": 1000,                # length of a name
    "number_chars": 100000,            # length of a Decimal or Fraction string
    "decimal_exponent": 999999,        # |exponent| of a Decimal (the default context's Emax)
    "neurons": 1000000,                # inputs + neurons
    "connections": 10000000,
    "parameters": 10000000,
    "metadata_depth": 32,              # nesting of lists and objects in metadata
}

_NUMBER_NAMES = ("float", "Decimal", "Fraction")


class Checkpoint(NamedTuple):
    """What a model file holds: the net, the optimizer (or None) and the metadata dict.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], seed=0)
    >>> text = ng.persistence.dumps(net, ng.SGD(net, lr=0.1), {"epochs": 3})
    >>> net2, opt2, meta = ng.persistence.loads(text, net_class=ng.Net)
    >>> opt2, opt2.net is net2, meta
    (SGD(lr=0.1, steps=0), True, {'epochs': 3})
    """
    net: Net
    optimizer: Optional[Optimizer]
    metadata: Dict[str, Any]


# ---------------------------------------------------------------------------
# Numbers -> JSON values
# ---------------------------------------------------------------------------

def _fraction_text(q: Any) -> str:
    """``"p/q"`` for a Fraction of any size (``"-7/1"`` for a whole number)."""
    return "%s/%s" % (int_to_text(q.numerator), int_to_text(q.denominator))


def _encoder(num: NumberSystem) -> Callable[[Any], Any]:
    """The function that turns a number of *num* into its JSON value."""
    if num.type is float:
        return float
    if num.type is Decimal:
        return number_text
    return _fraction_text


# ---------------------------------------------------------------------------
# JSON text -> values the checks can report on
# ---------------------------------------------------------------------------

class _NonFinite:
    """Stands for NaN/Infinity met while parsing, so the check can name its path."""

    def __init__(self, text: str) -> None:
        self.text = text


class _DupDict(dict):
    """A JSON object that had repeated keys (remembered for the check)."""
    dups: List[str]


def _pairs(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    """The ``object_pairs_hook`` of the parser: a dict, or a _DupDict naming repeated keys."""
    d: Dict[str, Any] = {}
    dups = []
    for k, v in pairs:
        if k in d:
            dups.append(k)
        d[k] = v
    if dups:
        out = _DupDict(d)
        out.dups = dups
        return out
    return d


def _json_type(v: Any) -> str:
    """What a JSON value is, for messages (``the string "sigmod"``, ``a list``)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and v.bit_length() > 128:
        return "a whole number of about %d digits" % int(v.bit_length() * 0.30103 + 1)
    if isinstance(v, (int, float)):
        shown = number_text(v)
        return "the number %s" % (shown if len(shown) < 40 else shown[:37] + "...")
    if isinstance(v, str):
        return "the string %s" % (json.dumps(v) if len(v) < 40 else json.dumps(v[:37]) + "...")
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, _NonFinite):
        return v.text
    return type(v).__name__


def _join(path: str, key: str) -> str:
    """The JSON path of *key* inside the object at *path*."""
    return key if path == "(document)" else "%s.%s" % (path, key)


def _fail(path: str, expected: str, got: Any = None, *, raw: bool = False) -> FormatError:
    """A FormatError ``"<path>: expected <expected>, got <what got is>"`` with ``.path``
    set; with *raw* the message is ``"<path>: <expected>"`` as given."""
    if not raw and not expected.startswith("expected "):
        expected = "expected " + expected
    msg = "%s: %s" % (path, expected) if raw else "%s: %s, got %s" % (
        path, expected, _json_type(got))
    err = FormatError(msg)
    err.path = path  # type: ignore[attr-defined]
    return err
