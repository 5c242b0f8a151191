"""Numbers and text on the pictures: how a value is written, escaped and measured.

Every number a picture writes goes through :func:`fmt_number`, a thin alias of
:func:`neurograph.core.arithmetic.number_text` with the pictures' settings.

==============================  ======================================================
name                            what it does
==============================  ======================================================
``fmt_number(v, digits=4)``     *v* with *digits* significant digits, in its own type
                                (``number_text(v, digits, none="-", keep_short=False)``)
``_as_float(v)``                a float for geometry and colour only, never printed
``_clean(text)``                *text* without the characters XML 1.0 forbids
``_esc(text)``                  *text* escaped for an XML text node or attribute
``_short(name, n)``             *name* cut to *n* characters with an ellipsis
``_text_width(text, size)``     an estimate (on the wide side) of *text*'s width in px
``_fit_text(text, room)``       *text* cut short to fit *room* px
==============================  ======================================================

>>> fmt_number(0.0087713546), _esc('<b>&"'), _short("a_long_name", 6)
('0.008771', '&lt;b&gt;&amp;&quot;', 'a_lon…')
"""

from __future__ import annotations

import math
from typing import Any

from ..core.arithmetic import number_text

__all__ = ["fmt_number"]


def fmt_number(v: Any, digits: int = 4) -> str:
    """*v* as the pictures write it: *digits* significant digits, worked out in its own type
    (a Decimal net shows Decimal digits, a Fraction net its exact value, beyond a float's
    range too), ``-`` for None.  The same as
    ``number_text(v, digits, none="-", keep_short=False)``.

    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> fmt_number(0.0087713546), fmt_number(Decimal("0.298371108760"))
    ('0.008771', '0.2984')
    >>> fmt_number(Fraction(1, 3)), fmt_number(None), fmt_number(float("nan"))
    ('0.3333', '-', 'nan')
    """
    return number_text(v, digits, none="-", keep_short=False)


def _as_float(v: Any) -> float:
    """A float for geometry and colour only (never for the numbers printed)."""
    if v is None:
        return 0.0
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf
    except (TypeError, ValueError, ArithmeticError):
        return math.nan


def _clean(text: Any) -> str:
    """*text* without the characters XML 1.0 forbids (control characters)."""
    s = str(text)
    return "".join(ch if (ch >= " " or ch in "\t\n\r") and ch not in "\ufffe\uffff"
                   else "\ufffd" for ch in s)


def _esc(text: Any) -> str:
    """Escape *text* for an XML text node or a double-quoted attribute."""
    return (_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _short(name: str, n: int = 9) -> str:
    """*name*, cut to *n* characters with an ellipsis when it is longer."""
    return name if len(name) <= n else name[: n - 1] + "\u2026"


_FS = 11        # the font size of the labels
_EM = 0.64      # a label's width per character, in em: DejaVu Sans digits are 0.636 em wide
_EM_BOLD = 0.72


def _text_width(text: str, size: float = _FS, bold: bool = False) -> float:
    """An estimate (on the wide side) of *text*'s width in px at font size *size*."""
    return len(text) * size * (_EM_BOLD if bold else _EM)


def _fit_text(text: str, room: float, size: float = _FS, bold: bool = False) -> str:
    """*text*, cut short with an ellipsis when it would be wider than *room* px."""
    if _text_width(text, size, bold) <= room:
        return text
    keep = max(int(room / (size * (_EM_BOLD if bold else _EM))) - 1, 0)
    return text[:keep] + "\u2026"
