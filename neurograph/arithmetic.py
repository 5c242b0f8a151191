"""Number systems: float, Decimal and Fraction, and rounding like a hand calculation.

A :class:`~neurograph.Net` computes in exactly one number type, chosen when it
is built (``ng.Net(number=Decimal)``).  Every value that enters the net
(weights, biases, inputs, targets, learning rates) is converted to that type
at the door by :meth:`NumberSystem.convert`, which rejects anything that is not
a finite real number and anything that would silently lose exactness (a float
entering a Decimal or Fraction net).  Strings such as ``"0.15"`` are always
accepted and taken exactly.

==========================  ====================================================
name                        what it is
==========================  ====================================================
``NumberSystem``            one number type: conversion, zero/one, exp, log, sqrt
``system_for(number)``      the NumberSystem for ``float``, ``Decimal``, ``Fraction``
``rounding(places=, digits=)``  context manager: round every intermediate quantity
``Rounding``                the rule in force inside :func:`rounding`
==========================  ====================================================

>>> from decimal import Decimal
>>> system_for(Decimal).convert("0.15", "weight w1")
Decimal('0.15')
>>> system_for(float).convert(2, "input 1")
2.0
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Callable, Iterator, List, Optional, Sequence

from .errors import NumberError, ShapeError

__all__ = ["NumberSystem", "system_for", "rounding", "Rounding", "current_rounding"]

Number = Any  # float | Decimal | Fraction

_NUMBER_NAMES = {"float": float, "Decimal": Decimal, "decimal": Decimal, "Fraction": Fraction, "fraction": Fraction}


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "%s (%s)" % (text, type(value).__name__)


class NumberSystem:
    """The arithmetic of one number type (``float``, ``Decimal`` or ``Fraction``).

    ``convert`` validates and converts a single value; ``vector`` a sequence.
    ``exp``, ``log``, ``sqrt`` and ``log1p`` compute in the type itself
    (``Decimal`` uses its own methods under the active decimal context).
    ``exact`` is true for Fraction, whose nets may use only rational
    operations.

    >>> from fractions import Fraction
    >>> F = system_for(Fraction)
    >>> F.convert("1/3", "weight w")
    Fraction(1, 3)
    >>> F.exact
    True
    """

    name: str
    type: type
    exact: bool = False
    zero: Number
    one: Number

    def __repr__(self) -> str:
        return "<NumberSystem %s>" % self.name

    # conversion -----------------------------------------------------------
    def convert(self, value: Any, what: str) -> Number:
        """Return *value* as this system's number, or raise NumberError naming *what*."""
        raise NotImplementedError

    def vector(self, values: Any, n: Optional[int], what: str) -> List[Number]:
        """Convert a sequence of *n* values (any *n* if None); *what* names it ("input")."""
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise ShapeError(
                "%s must be a sequence of numbers, got %s" % (what, _describe(values)))
        values = list(values)
        if n is not None and len(values) != n:
            raise ShapeError("%s has %d value%s but the net expects %d"
                             % (what, len(values), "" if len(values) == 1 else "s", n))
        return [self.convert(v, "%s[%d]" % (what, i)) for i, v in enumerate(values)]

    def from_float(self, x: float) -> Number:
        """Convert a float made by neurograph itself (initialisation) via its repr."""
        return self.convert(repr(x), "initial value")

    def isfinite(self, x: Number) -> bool:
        return math.isfinite(x)

    # transcendental functions (overridden per system) -------------------
    def exp(self, x: Number) -> Number:
        raise NotImplementedError

    def log(self, x: Number) -> Number:
        raise NotImplementedError

    def sqrt(self, x: Number) -> Number:
        raise NotImplementedError

    def round(self, x: Number, rule: "Rounding") -> Number:
        """Round *x* by *rule* (ROUND_HALF_UP), keeping the type."""
        raise NotImplementedError


class _FloatSystem(NumberSystem):
    name = "float"
    type = float
    zero = 0.0
    one = 1.0

    def convert(self, value: Any, what: str) -> float:
        t = type(value)
        if t is float:
            if value - value == 0.0:  # finite (inf - inf and nan - nan are nan)
                return value
            raise NumberError("%s is %r: only finite numbers are allowed" % (what, value))
        if t is bool or value is None:
            raise NumberError("%s must be a number, got %s" % (what, _describe(value)))
        if t is int or isinstance(value, (int, Fraction, Decimal)):
            if isinstance(value, Decimal) and not value.is_finite():
                raise NumberError("%s is %s: only finite numbers are allowed" % (what, value))
            try:
                out = float(value)
            except OverflowError:
                raise NumberError("%s = %s is too large for a float" % (what, _describe(value))) from None
            if not math.isfinite(out):
                raise NumberError("%s = %s is too large for a float" % (what, _describe(value)))
            return out
        if isinstance(value, float):  # float subclass
            return self.convert(float(value), what)
        if isinstance(value, str):
            try:
                out = float(value)
            except ValueError:
                raise NumberError("%s = %r is not a number" % (what, value)) from None
            return self.convert(out, what)
        raise NumberError("%s must be a real number, got %s" % (what, _describe(value)))

    def vector(self, values: Any, n: Optional[int], what: str) -> List[float]:
        # Fast path: a list or tuple of finite floats is taken as is.
        if type(values) in (list, tuple) and (n is None or len(values) == n):
            try:
                if all(type(v) is float for v in values) and math.isfinite(math.fsum(values)):
                    return list(values)
            except OverflowError:
                pass
        return NumberSystem.vector(self, values, n, what)

    def from_float(self, x: float) -> float:
        return x

    exp = staticmethod(math.exp)  # type: ignore[assignment]
    sqrt = staticmethod(math.sqrt)  # type: ignore[assignment]

    @staticmethod
    def log(x: float) -> float:  # type: ignore[override]
        return math.log(x)

    def round(self, x: float, rule: "Rounding") -> float:
        return float(rule.round_decimal(Decimal(repr(x))))


class _DecimalSystem(NumberSystem):
    name = "Decimal"
    type = Decimal
    zero = Decimal(0)
    one = Decimal(1)

    def convert(self, value: Any, what: str) -> Decimal:
        t = type(value)
        if t is Decimal:
            if value.is_finite():
                return value
            raise NumberError("%s is %s: only finite numbers are allowed" % (what, value))
        if t is bool or value is None:
            raise NumberError("%s must be a number, got %s" % (what, _describe(value)))
        if isinstance(value, int):
            return Decimal(int(value))
        if isinstance(value, str):
            try:
                out = Decimal(value.strip())
            except InvalidOperation:
                raise NumberError("%s = %r is not a number" % (what, value)) from None
            return self.convert(out, what)
        if isinstance(value, float):
            raise NumberError(
                "%s = %r is a float, but this net computes in Decimal: pass the exact "
                "value as a string ('%r') or a Decimal, or build the net with number=float"
                % (what, value, value))
        if isinstance(value, Fraction):
            raise NumberError(
                "%s = %s is a Fraction, but this net computes in Decimal: pass a string "
                "or a Decimal" % (what, value))
        if isinstance(value, Decimal):
            return self.convert(Decimal(value), what)
        raise NumberError("%s must be a real number, got %s" % (what, _describe(value)))

    def isfinite(self, x: Decimal) -> bool:
        return x.is_finite()

    @staticmethod
    def exp(x: Decimal) -> Decimal:  # type: ignore[override]
        return x.exp()

    @staticmethod
    def log(x: Decimal) -> Decimal:  # type: ignore[override]
        return x.ln()

    @staticmethod
    def sqrt(x: Decimal) -> Decimal:  # type: ignore[override]
        return x.sqrt()

    def round(self, x: Decimal, rule: "Rounding") -> Decimal:
        return rule.round_decimal(x)


def _no_exact(function: str) -> Callable[[Any], Any]:
    def f(x: Any) -> Any:
        raise NumberError(
            "%s() has no exact Fraction value: a Fraction net may use only identity, relu "
            "and leaky_relu with half_sse or mse; build the net with number=Decimal to "
            "compute %s() to any precision" % (function, function))
    f.__name__ = function
    return f


class _FractionSystem(NumberSystem):
    name = "Fraction"
    type = Fraction
    exact = True
    zero = Fraction(0)
    one = Fraction(1)

    def convert(self, value: Any, what: str) -> Fraction:
        t = type(value)
        if t is Fraction:
            return value
        if t is bool or value is None:
            raise NumberError("%s must be a number, got %s" % (what, _describe(value)))
        if isinstance(value, int):
            return Fraction(int(value))
        if isinstance(value, str):
            try:
                return Fraction(value.strip())
            except (ValueError, ZeroDivisionError):
                raise NumberError("%s = %r is not a number" % (what, value)) from None
        if isinstance(value, float):
            raise NumberError(
                "%s = %r is a float, but this net computes in Fraction: pass the exact "
                "value as a string ('%r' or 'p/q') or a Fraction" % (what, value, value))
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise NumberError("%s is %s: only finite numbers are allowed" % (what, value))
            return Fraction(value)
        if isinstance(value, Fraction):
            return Fraction(value)
        raise NumberError("%s must be a real number, got %s" % (what, _describe(value)))

    def isfinite(self, x: Fraction) -> bool:
        return True

    exp = staticmethod(_no_exact("exp"))  # type: ignore[assignment]
    log = staticmethod(_no_exact("log"))  # type: ignore[assignment]
    sqrt = staticmethod(_no_exact("sqrt"))  # type: ignore[assignment]

    def round(self, x: Fraction, rule: "Rounding") -> Fraction:
        # Exact: convert through a Decimal with enough digits to be exact after rounding.
        q = rule.round_fraction(x)
        return q


FLOAT = _FloatSystem()
DECIMAL = _DecimalSystem()
FRACTION = _FractionSystem()
_SYSTEMS = {float: FLOAT, Decimal: DECIMAL, Fraction: FRACTION}


def system_for(number: Any) -> NumberSystem:
    """Return the NumberSystem for ``float``, ``Decimal`` or ``Fraction`` (or their names).

    >>> system_for("Decimal").name
    'Decimal'
    """
    if isinstance(number, NumberSystem):
        return number
    if isinstance(number, str):
        number = _NUMBER_NAMES.get(number, number)
    try:
        return _SYSTEMS[number]
    except (KeyError, TypeError):
        raise NumberError("number must be float, Decimal or Fraction, got %r" % (number,)) from None


# --------------------------------------------------------------------------
# Rounding like a hand calculation
# --------------------------------------------------------------------------

class Rounding:
    """A rounding rule: *places* decimal places or *digits* significant digits, ROUND_HALF_UP.

    >>> Rounding(places=4).round_decimal(Decimal("0.59326999"))
    Decimal('0.5933')
    >>> Rounding(digits=3).round_decimal(Decimal("0.00123456"))
    Decimal('0.00123')
    """

    __slots__ = ("places", "digits")

    def __init__(self, places: Optional[int] = None, digits: Optional[int] = None) -> None:
        if (places is None) == (digits is None):
            raise NumberError("rounding() takes exactly one of places= or digits=")
        for label, v in (("places", places), ("digits", digits)):
            if v is not None and (type(v) is not int or v < (0 if label == "places" else 1)):
                raise NumberError("rounding %s= must be a whole number %s, got %r"
                                  % (label, ">= 0" if label == "places" else ">= 1", v))
        self.places = places
        self.digits = digits

    def __repr__(self) -> str:
        if self.places is not None:
            return "Rounding(places=%d)" % self.places
        return "Rounding(digits=%d)" % self.digits

    def round_decimal(self, x: Decimal) -> Decimal:
        if self.places is not None:
            return x.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP,
                              context=Context(prec=max(28, x.adjusted() + self.places + 2)))
        return Context(prec=self.digits, rounding=ROUND_HALF_UP).plus(x)

    def round_fraction(self, x: Fraction) -> Fraction:
        if self.places is not None:
            scale = 10 ** self.places
        else:
            if x == 0:
                return x
            ax = abs(x)
            e = len(str(ax.numerator)) - len(str(ax.denominator))
            p = Fraction(10) ** e
            while p > ax:  # make 10**e <= |x| < 10**(e+1)
                e -= 1
                p /= 10
            while p * 10 <= ax:
                e += 1
                p *= 10
            scale = Fraction(10) ** (self.digits - 1 - e)
        y = abs(x) * scale
        r = int(y + Fraction(1, 2))  # half up, away from zero for negatives
        out = Fraction(r) / scale
        return out if x >= 0 else -out


_ROUNDING: "contextvars.ContextVar[Optional[Rounding]]" = contextvars.ContextVar(
    "neurograph_rounding", default=None)


def current_rounding() -> Optional[Rounding]:
    """The Rounding in force (inside :func:`rounding`), or None."""
    return _ROUNDING.get()


@contextlib.contextmanager
def rounding(places: Optional[int] = None, digits: Optional[int] = None) -> Iterator[Rounding]:
    """Round every intermediate quantity, the way a hand calculation does.

    Inside the block each z, a, dE/da, delta, gradient, updated weight and loss
    that a net computes is rounded to *places* decimal places (or *digits*
    significant digits), ROUND_HALF_UP, as soon as it is computed.

    >>> import neurograph as ng
    >>> net = ng.Net(number="Decimal")
    >>> x = net.add_input("x")
    >>> y = net.add_neuron("y", activation="sigmoid")
    >>> c = net.connect(x, y, "0.5")
    >>> with ng.rounding(places=4):
    ...     net.forward(["1"])
    [Decimal('0.6225')]
    """
    token = _ROUNDING.set(Rounding(places=places, digits=digits))
    try:
        yield _ROUNDING.get()  # type: ignore[misc]
    finally:
        _ROUNDING.reset(token)


def rounder(num: NumberSystem) -> Optional[Callable[[Any], Any]]:
    """The function that rounds one value of *num* under the current rule, or None."""
    rule = _ROUNDING.get()
    if rule is None:
        return None
    rnd = num.round
    return lambda x: rnd(x, rule)
