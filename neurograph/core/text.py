"""Numbers written as text: read in one place, with limits, and written in one place.

Every place that turns text into a number (a weight typed in, a CSV cell, a
model file, the command line, the playground) goes through :func:`parse_number`
(usually by ``NumberSystem.convert``), and every picture, explanation, trace,
repr and page writes numbers with :func:`number_text`.

=============================  ==================================================
name                           what it is
=============================  ==================================================
``parse_number(text, num, w)`` the number in *text*, or a NumberError naming *w*
``TEXT_LIMITS``                what a number written as text may be
``number_text(x, ...)``        exact text, significant digits or decimal places
``text_to_int``, ``int_to_text``  integers of any length (no 4300-digit limit)
``fraction_of(d, what)``       a Decimal as a Fraction, within the limits
=============================  ==================================================
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from fractions import Fraction
from typing import Any, Dict, Optional

from .errors import NumberError

__all__ = ["parse_number", "number_text", "TEXT_LIMITS", "text_to_int", "int_to_text",
           "fraction_of", "decimal_in_range"]


#: What a number written as text may be (longer or larger is refused with a NumberError):
#: ``chars`` its length; ``exponent`` the size of its power of ten in a Fraction net (a
#: 12-character ``"1e100000000"`` would otherwise be a 100-million-digit integer); a Decimal's
#: exponent is bounded by the decimal context's ``Emax`` and ``Emin`` instead.
TEXT_LIMITS: Dict[str, int] = {"chars": 100000, "exponent": 100000}

_DECIMAL_TEXT = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\Z")
_FRACTION_TEXT = re.compile(r"[-+]?\d+/\d+\Z")
_CHUNK = 1000  # digits per piece when converting long integers (no str <-> int size limit)


def text_to_int(digits: str) -> int:
    """The integer of a string of decimal digits of any length (Python 3.11+ limits ``int()``
    to 4300 digits; this works the same on every version).

    >>> text_to_int("12"), text_to_int("1" * 5000) % 1000
    (12, 111)
    """
    if len(digits) <= _CHUNK:
        return int(digits)
    n = 0
    for i in range(0, len(digits), _CHUNK):
        piece = digits[i:i + _CHUNK]
        n = n * 10 ** len(piece) + int(piece)
    return n


def int_to_text(n: int) -> str:
    """The decimal digits of an integer of any length.

    >>> int_to_text(-12), len(int_to_text(10 ** 5000))
    ('-12', 5001)
    """
    if -10 ** 999 < n < 10 ** 999:
        return str(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    base = 10 ** _CHUNK
    parts = []
    while n:
        n, r = divmod(n, base)
        parts.append(r)
    parts.reverse()
    return sign + str(parts[0]) + "".join(str(p).zfill(_CHUNK) for p in parts[1:])


def parse_number(text: str, number: Any, what: str) -> Any:
    """The number written in *text*, of the type *number* (``float``, ``Decimal``,
    ``Fraction``, their names, or a NumberSystem), or a NumberError naming *what*.

    Every place that turns text into a number (a weight typed in, a CSV cell, a
    model file, the command line, the playground) comes here, so the same limits
    hold everywhere (:data:`TEXT_LIMITS`).  Decimal and Fraction take the text
    exactly; a Fraction also reads ``"p/q"``.

    >>> parse_number("0.15", Decimal, "weight w1"), parse_number("-3/20", "Fraction", "w")
    (Decimal('0.15'), Fraction(-3, 20))
    >>> parse_number("1e100000000", Fraction, "input[0]")
    Traceback (most recent call last):
    ...
    neurograph.NumberError: input[0] = '1e100000000' has a power of ten of 100000000; a Fraction net takes at most 100000 (write the number out, or use a Decimal net)
    """
    kind = _TYPES.get(number, number) if isinstance(number, str) else getattr(number, "type", number)
    if kind not in (float, Decimal, Fraction):
        raise NumberError("parse_number: number must be float, Decimal or Fraction (or a "
                          "NumberSystem), got %r" % (number,))
    if not isinstance(text, str):
        raise NumberError("%s must be a number written as text, got %r" % (what, text))
    s = text.strip()
    if len(s) > TEXT_LIMITS["chars"]:
        raise NumberError("%s is a number of %d characters; at most %d are taken"
                          % (what, len(s), TEXT_LIMITS["chars"]))
    if s.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
        raise NumberError("%s is %s: only finite numbers are allowed" % (what, _shown(s)))
    if kind is float:
        try:
            out = float(s)
        except ValueError:
            raise NumberError("%s = %s is not a number" % (what, _shown(s))) from None
        if not math.isfinite(out):
            raise NumberError("%s = %s is %s as a float: only finite numbers are allowed"
                              % (what, _shown(s), out))
        return out
    if kind is Fraction and _FRACTION_TEXT.match(s):
        p, q = s.split("/")
        den = text_to_int(q)
        if den == 0:
            raise NumberError("%s = %s has a denominator of 0" % (what, _shown(s)))
        num_ = text_to_int(p.lstrip("+-"))
        return Fraction(-num_ if p.startswith("-") else num_, den)
    if not _DECIMAL_TEXT.match(s):
        if kind is Decimal and "/" in s:
            raise NumberError("%s = %s is a fraction, which a Decimal net cannot hold exactly: "
                              "write it as a decimal string, or build the net with "
                              "number=Fraction" % (what, _shown(s)))
        raise NumberError("%s = %s is not a number" % (what, _shown(s)))
    d = Decimal(s)
    return decimal_in_range(d, what) if kind is Decimal else fraction_of(d, what, s)


def decimal_in_range(d: Decimal, what: str) -> Decimal:
    """*d* if it is finite and its power of ten is within the decimal context's range
    (beyond it, the first operation would overflow), else a NumberError naming *what*.

    >>> decimal_in_range(Decimal("1E+999999"), "w")
    Decimal('1E+999999')
    """
    if not d.is_finite():
        raise NumberError("%s is %s: only finite numbers are allowed" % (what, d))
    if d:
        ctx = getcontext()
        if not ctx.Emin - ctx.prec < d.adjusted() <= ctx.Emax:
            raise NumberError("%s = %s has a power of ten of %d, beyond the decimal context's "
                              "range (Emin %d, Emax %d)" % (what, _shown(str(d)), d.adjusted(),
                                                           ctx.Emin, ctx.Emax))
    return d


_TYPES = {"float": float, "Decimal": Decimal, "decimal": Decimal, "Fraction": Fraction,
          "fraction": Fraction}


def _shown(s: str) -> str:
    return repr(s) if len(s) <= 60 else repr(s[:57] + "...")


def fraction_of(d: Decimal, what: str, text: Optional[str] = None) -> Fraction:
    """A finite Decimal as a Fraction, refused when its power of ten is beyond the limit."""
    if not d.is_finite():
        raise NumberError("%s is %s: only finite numbers are allowed" % (what, d))
    if d and abs(d.adjusted()) > TEXT_LIMITS["exponent"]:
        raise NumberError("%s = %s has a power of ten of %d; a Fraction net takes at most %d "
                          "(write the number out, or use a Decimal net)"
                          % (what, _shown(text if text is not None else str(d)), d.adjusted(),
                             TEXT_LIMITS["exponent"]))
    sign, digits, exp = d.as_tuple()
    n = text_to_int("".join(map(str, digits)) or "0")
    if sign:
        n = -n
    return Fraction(n * 10 ** exp) if exp >= 0 else Fraction(n, 10 ** -exp)  # type: ignore[operator]


# --------------------------------------------------------------------------
# Numbers written as text: the one writer
# --------------------------------------------------------------------------

def number_text(x: Any, digits: Optional[int] = None, places: Optional[int] = None, *,
                none: str = "None", keep_short: bool = True) -> str:
    """*x* as text: exactly (the default), to *digits* significant digits, or with
    *places* decimal places.

    Exact text is what reads back as the same number (a float's ``repr``, a
    Decimal's or Fraction's ``str``).  With *digits*, an exact number whose
    exact text is short is kept as it is (``1/3``, ``0.35``); *keep_short*
    False gives it the digits too, worked out in its own type (a Decimal by
    Decimal rules, a Fraction exactly, beyond a float's range too), as the
    pictures do.  With *places* a number too small or too large for them is
    written with an exponent.  Reprs, pictures, explanations, traces and the
    playground all write numbers with this function.

    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> number_text(0.1), number_text(Decimal("0.10")), number_text(Fraction(1, 3))
    ('0.1', '0.10', '1/3')
    >>> number_text(0.5932699921071872, digits=6), number_text(Decimal("0.298371108760"), digits=4)
    ('0.59327', '0.2984')
    >>> number_text(0.0877135468, places=9), number_text(Fraction(1, 8), places=2)
    ('0.087713547', '0.13')
    >>> number_text(Decimal("0"), places=3), number_text(Decimal("0.000000123"), places=9)
    ('0.000', '0.000000123')
    >>> number_text(None), number_text(None, none="-"), number_text(float("nan"), digits=4)
    ('None', '-', 'nan')
    >>> number_text(Fraction(2, 3), 4, keep_short=False), number_text(Fraction(10 ** 400, 3), 4)
    ('0.6667', '3.333e+399')
    >>> number_text(Decimal("0.12345"), digits=4, keep_short=False)   # Decimal rounding
    '0.1234'
    """
    if x is None:
        return none
    if isinstance(x, (bool, int)):
        return int_to_text(x)
    if places is not None:
        return _with_places(x, places)
    if digits is not None:
        if keep_short:
            return _with_digits(x, digits)
        return _exact(x) if isinstance(x, Fraction) and x.denominator == 1 else _own_digits(x, digits)
    return _exact(x)


def _exact(x: Any) -> str:
    """The exact text of *x* (a Fraction of any size too: no 4300-digit limit)."""
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, Fraction):
        return int_to_text(x.numerator) if x.denominator == 1 else "%s/%s" % (
            int_to_text(x.numerator), int_to_text(x.denominator))
    return str(x)


def _with_digits(x: Any, digits: int) -> str:
    if isinstance(x, float):
        return "%.*g" % (digits, x)
    s = _exact(x)
    if len(s) <= digits + 8:
        return s
    try:
        f = float(x)
    except (TypeError, ValueError, OverflowError):
        f = math.inf
    if math.isfinite(f) and f != 0.0:
        return "%.*g" % (digits, f)          # (a float holds more digits than are shown)
    return _own_digits(x, digits)


def _own_digits(x: Any, digits: int) -> str:
    """*x* to *digits* significant digits in its own type: no float in between."""
    s = _exact(x)
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = digits + 4
            x = Decimal(x.numerator) / Decimal(x.denominator)
    try:
        return format(x, ".%dg" % digits)
    except (TypeError, ValueError):
        return s if len(s) <= digits + 8 else s[:digits + 7] + "\u2026"


def _with_places(x: Any, places: int) -> str:
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = max(60, places + 20)
            x = Decimal(x.numerator) / Decimal(x.denominator)
    if isinstance(x, Decimal):
        if not x.is_finite():
            return str(x)
        if x != 0 and (abs(x) < Decimal(10) ** -places or abs(x) >= Decimal(10) ** 15):
            return "%.6e" % float(x) if abs(x) < Decimal("1e300") else str(x)
        with localcontext() as ctx:
            ctx.prec = max(60, places + 20)
            # format "f": never an exponent (str gives 0E-9 for zero, 1.23E-7 for 0.000000123)
            return format(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    if isinstance(x, float):
        if not math.isfinite(x):
            return repr(x)
        if x != 0.0 and (abs(x) < 10.0 ** -places or abs(x) >= 1e15):
            return "%.6e" % x
        return "%.*f" % (places, x)
    return str(x)
