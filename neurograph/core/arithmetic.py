"""Number systems: float, Decimal and Fraction; numbers read from text and written as text.

A :class:`~neurograph.Net` computes in exactly one number type, chosen when it
is built (``ng.Net(number=Decimal)``).  Every value that enters the net
(weights, biases, inputs, targets, learning rates) is converted to that type
at the door by :meth:`NumberSystem.convert`, which rejects anything that is not
a finite real number and anything that would silently lose exactness (a float
entering a Decimal or Fraction net).  Strings such as ``"0.15"`` are always
accepted and taken exactly.

============================  ==================================================
name                          what it is
============================  ==================================================
``NumberSystem``              one number type: convert, zero/one, exp, log, sqrt,
                              expm1, log1p, round
``system_for(number)``        the NumberSystem for ``float``, ``Decimal``, ``Fraction``
``add_up(values)``            a sum added left to right (the same bits everywhere)
``plain_floats(values, n)``   n floats below PLAIN_LIMIT, taken as they are (one check)
``PLAIN_LIMIT``               1e150: a sum of squares of plain floats cannot overflow
============================  ==================================================

Numbers written as text are read by one function with limits and written by
one function (:mod:`neurograph.core.text`: ``parse_number``, ``number_text``);
they are imported here too.

Rounding every intermediate quantity like a hand calculation is in
:mod:`neurograph.core.rounding`.

Decimal nets compute under the active :mod:`decimal` context (its ``prec``
is the number of significant digits of every result).  ``exp``, ``log`` and
``sqrt`` are Decimal's own, correctly rounded; ``expm1`` and ``log1p`` work
with extra digits internally, so that ``tanh``, ``elu`` and ``softplus`` keep
every digit near zero, where ``e^x - 1`` and ``ln(1 + x)`` would cancel.

>>> from decimal import Decimal
>>> system_for(Decimal).convert("0.15", "weight w1")
Decimal('0.15')
>>> system_for(float).convert(2, "input 1")
2.0
>>> system_for(Decimal).convert(0.15, "weight w1")
Traceback (most recent call last):
...
neurograph.NumberError: weight w1 = 0.15 is a float, but this net computes in Decimal: pass the exact value as a string ('0.15') or a Decimal, or build the net with number=float
"""

from __future__ import annotations

import math
from math import hypot
from decimal import Decimal, getcontext, localcontext
from fractions import Fraction
from typing import Any, Callable, List, Optional

from .errors import NumberError, ShapeError
from .text import (TEXT_LIMITS, decimal_in_range, fraction_of, int_to_text,  # noqa: F401
                   number_text, parse_number, text_to_int)   # (re-exported here too)

__all__ = ["NumberSystem", "system_for", "parse_number", "number_text", "TEXT_LIMITS", "add_up",
           "plain_floats", "PLAIN_LIMIT", "FLOAT", "DECIMAL", "FRACTION"]

Number = Any  # float | Decimal | Fraction
_FLOATS = {float}
#: The size below which floats are plain (taken as they are): a sum of squares of such
#: numbers, the loss of plain outputs against plain targets, cannot overflow.
PLAIN_LIMIT = 1e150

_NUMBER_NAMES = {"float": float, "Decimal": Decimal, "decimal": Decimal, "Fraction": Fraction, "fraction": Fraction}


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "%s (%s)" % (text, type(value).__name__)


def add_up(values: Any, start: Any = 0) -> Any:
    """*start* + the *values*, added left to right.

    The built-in ``sum()`` compensates float rounding on CPython 3.12 and
    later, so it gives other bits there than on 3.9-3.11 and PyPy; every sum
    neurograph forms is added in order, so the same seed gives the same
    numbers everywhere.

    >>> add_up([0.1, 0.2, 0.3]), add_up([1e100, 1.0, -1e100])
    (0.6000000000000001, 0.0)
    """
    total = start
    for v in values:
        total += v
    return total


def plain_floats(values: Any, n: int) -> bool:
    """True when the list (or tuple) *values* holds *n* floats, each finite and below
    :data:`PLAIN_LIMIT` (1e150) in size (their hypot is), to be taken as they are: the one check of a list of floats
    (``FLOAT.values_for``, ``FLOAT.vector`` and the passes).  A list that fails it is converted
    value by value (a float of 1e200 is still a number: it only takes the longer way).

    >>> plain_floats([0.5, -2.0], 2), plain_floats([0.5, 1], 2), plain_floats([1e308 * 10], 1)
    (True, False, False)
    """
    return len(values) == n and _FLOATS.issuperset(map(type, values)) and hypot(*values) < PLAIN_LIMIT


class NumberSystem:
    """The arithmetic of one number type (``float``, ``Decimal`` or ``Fraction``).

    ``convert`` validates and converts a single value; ``vector`` a sequence.
    ``exp``, ``log``, ``sqrt``, ``expm1`` (``e^x - 1``) and ``log1p``
    (``ln(1 + x)``) compute in the type itself (``Decimal`` uses its own
    methods under the active decimal context).  ``exact`` is true for
    Fraction, whose nets may use only rational operations: its
    transcendental functions raise NumberError.  ``round(x, rule)`` rounds
    one value by a :class:`Rounding`.

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
        """Return *value* as this system's number, or raise NumberError naming *what*.

        >>> FRACTION.convert("0.25", "weight w1"), DECIMAL.convert(3, "input[0]")
        (Fraction(1, 4), Decimal('3'))
        >>> FLOAT.convert(float("nan"), "input[0]")
        Traceback (most recent call last):
        ...
        neurograph.NumberError: input[0] is nan: only finite numbers are allowed
        """
        raise NotImplementedError

    def vector(self, values: Any, n: Optional[int], what: str) -> List[Number]:
        """Convert a sequence of *n* values (any *n* if None); *what* names it ("input").

        >>> DECIMAL.vector(["0.5", 2], 2, "input")
        [Decimal('0.5'), Decimal('2')]
        >>> FLOAT.vector([1.0], 2, "input")
        Traceback (most recent call last):
        ...
        neurograph.ShapeError: input has 1 value but the net expects 2
        """
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise ShapeError(
                "%s must be a sequence of numbers, got %s" % (what, _describe(values)))
        if isinstance(values, (dict, set, frozenset)):
            raise ShapeError("%s must be a list of numbers in order, got a %s: give the values "
                             "as a list" % (what, type(values).__name__))
        values = list(values)
        if n is not None and len(values) != n:
            raise ShapeError("%s has %d value%s but the net expects %d"
                             % (what, len(values), "" if len(values) == 1 else "s", n))
        return [self.convert(v, "%s[%d]" % (what, i)) for i, v in enumerate(values)]

    def values_for(self, values: Any, neurons: List[Any], what: str) -> List[Number]:
        """*values* as numbers of this type, one per neuron of *neurons* (*what*: "input" or
        "target"); a ShapeError names the neurons.

        >>> FLOAT.values_for([1, 2.5], [], "input")
        Traceback (most recent call last):
        ...
        neurograph.ShapeError: input has 2 values but the net expects 0 (one per input neuron: )
        """
        return values if type(values) is list and self is FLOAT and plain_floats(values, len(neurons)) \
            else self._values_for(values, neurons, what)        # (the common case first)

    def _values_for(self, values: Any, neurons: List[Any], what: str) -> List[Number]:
        n = len(neurons)
        try:
            return self.vector(values, n, what)
        except ShapeError as e:
            names = ", ".join(m.name for m in neurons[:8]) + (", ..." if n > 8 else "")
            raise ShapeError("%s (one per %s neuron: %s)" % (
                e, "input" if what == "input" else "output", names)) from None

    def from_float(self, x: float) -> Number:
        """Convert a float made by neurograph itself (initialisation) via its repr.

        >>> DECIMAL.from_float(0.1), FRACTION.from_float(0.1)
        (Decimal('0.1'), Fraction(1, 10))
        """
        return self.convert(repr(x), "initial value")

    def isfinite(self, x: Number) -> bool:
        """True unless *x* is infinite or NaN (a Fraction is always finite).

        >>> FLOAT.isfinite(1e308), FLOAT.isfinite(float("inf")), DECIMAL.isfinite(Decimal("NaN"))
        (True, False, False)
        """
        return math.isfinite(x)

    # transcendental functions (overridden per system) -------------------
    def exp(self, x: Number) -> Number:
        """``e^x`` in this type (Decimal: to the context's precision).

        >>> DECIMAL.exp(Decimal(1))
        Decimal('2.718281828459045235360287471')
        >>> FRACTION.exp(Fraction(1))
        Traceback (most recent call last):
        ...
        neurograph.NumberError: exp() has no exact Fraction value: a Fraction net may use only identity, relu and leaky_relu with half_sse or mse; build the net with number=Decimal to compute exp() to any precision
        """
        raise NotImplementedError

    def log(self, x: Number) -> Number:
        """The natural logarithm ``ln x`` in this type (Decimal: to the context's precision).

        >>> DECIMAL.log(Decimal(10))
        Decimal('2.302585092994045684017991455')
        """
        raise NotImplementedError

    def sqrt(self, x: Number) -> Number:
        """The square root of *x* in this type (Decimal: to the context's precision).

        >>> FLOAT.sqrt(2.25), DECIMAL.sqrt(Decimal(2))
        (1.5, Decimal('1.414213562373095048801688724'))
        """
        raise NotImplementedError

    def expm1(self, x: Number) -> Number:
        """``e^x - 1``, accurate also for *x* near 0.

        >>> DECIMAL.expm1(Decimal("1e-10")), DECIMAL.exp(Decimal("1e-10")) - 1
        (Decimal('1.000000000050000000001666667E-10'), Decimal('1.00000000005000000E-10'))
        """
        raise NotImplementedError

    def log1p(self, x: Number) -> Number:
        """``ln(1 + x)``, accurate also for *x* near 0.

        >>> DECIMAL.log1p(Decimal("1e-10"))
        Decimal('9.999999999500000000033333333E-11')
        """
        raise NotImplementedError

    def round(self, x: Number, rule: Any) -> Number:
        """Round *x* by *rule* (its places or digits, and its mode), keeping the type.

        >>> from neurograph.core.rounding import Rounding
        >>> FLOAT.round(0.125, Rounding(places=2)), FRACTION.round(Fraction(2, 3), Rounding(places=3))
        (0.13, Fraction(667, 1000))
        """
        raise NotImplementedError

    @staticmethod
    def rounded_once(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """*fn*, evaluated so that its result is rounded once (Decimal: with guard digits).

        Float and Fraction systems return *fn* unchanged (a Fraction is exact; a float has
        no guard digits to add):

        >>> FLOAT.rounded_once(abs) is abs
        True
        """
        return fn


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
            return parse_number(value, self, what)
        raise NumberError("%s must be a real number, got %s" % (what, _describe(value)))

    def vector(self, values: Any, n: Optional[int], what: str) -> List[float]:
        if type(values) in (list, tuple) and plain_floats(values, len(values) if n is None else n):
            return list(values)                 # taken as it is
        return NumberSystem.vector(self, values, n, what)

    def from_float(self, x: float) -> float:
        return x

    exp = staticmethod(math.exp)  # type: ignore[assignment]
    sqrt = staticmethod(math.sqrt)  # type: ignore[assignment]
    expm1 = staticmethod(math.expm1)  # type: ignore[assignment]
    log1p = staticmethod(math.log1p)  # type: ignore[assignment]

    @staticmethod
    def log(x: float) -> float:  # type: ignore[override]
        return math.log(x)

    def round(self, x: float, rule: Any) -> float:
        # A float is rounded as the decimal a person reads: its shortest repr.
        return float(rule.round_decimal(Decimal(repr(x))))


class _DecimalSystem(NumberSystem):
    name = "Decimal"
    type = Decimal
    zero = Decimal(0)
    one = Decimal(1)

    def convert(self, value: Any, what: str) -> Decimal:
        t = type(value)
        if t is Decimal:
            return decimal_in_range(value, what)
        if t is bool or value is None:
            raise NumberError("%s must be a number, got %s" % (what, _describe(value)))
        if isinstance(value, int):
            return Decimal(int(value))
        if isinstance(value, str):
            return parse_number(value, self, what)
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

    @staticmethod
    def expm1(x: Decimal) -> Decimal:  # type: ignore[override]
        """``e^x - 1`` to the context's precision, also for tiny ``|x|``.

        >>> from decimal import localcontext
        >>> with localcontext() as ctx:
        ...     ctx.prec = 10
        ...     DECIMAL.expm1(Decimal("1e-8")), DECIMAL.exp(Decimal("1e-8")) - 1
        (Decimal('1.000000005E-8'), Decimal('1.0E-8'))
        """
        return _guarded(x, _exp_minus_one)

    @staticmethod
    def log1p(x: Decimal) -> Decimal:  # type: ignore[override]
        """``ln(1 + x)`` to the context's precision, also for tiny ``|x|``.

        >>> from decimal import localcontext
        >>> with localcontext() as ctx:
        ...     ctx.prec = 10
        ...     DECIMAL.log1p(Decimal("1.234567891e-7")), DECIMAL.log(1 + Decimal("1.234567891e-7"))
        (Decimal('1.234567815E-7'), Decimal('1.229999924E-7'))
        """
        return _guarded(x, _ln_one_plus)

    def round(self, x: Decimal, rule: Any) -> Decimal:
        return rule.round_decimal(x)

    @staticmethod
    def rounded_once(fn: Callable[[Decimal], Decimal]) -> Callable[[Decimal], Decimal]:
        """*fn* computed with 3 extra digits and rounded once to the caller's precision.

        A formula such as ``1 / (1 + e^-z)`` rounds three times; with the guard
        digits its result is the correctly rounded value except in rare
        near-ties, however small the context's precision.

        >>> from decimal import localcontext
        >>> sig = lambda z: 1 / (1 + (-z).exp())
        >>> with localcontext() as ctx:
        ...     ctx.prec = 3
        ...     sig(Decimal("0.378")), DECIMAL.rounded_once(sig)(Decimal("0.378"))
        (Decimal('0.595'), Decimal('0.593'))
        """
        def once(x: Decimal) -> Decimal:
            with localcontext() as ctx:
                ctx.prec += 3
                r = fn(x)
            return +r
        once.__name__ = getattr(fn, "__name__", "once")
        return once


def _exp_minus_one(x: Decimal) -> Decimal:
    return x.exp() - 1


def _ln_one_plus(x: Decimal) -> Decimal:
    return (1 + x).ln()


def _guarded(x: Decimal, fn: Callable[[Decimal], Decimal]) -> Decimal:
    """``fn(x)`` for a function that behaves like ``x (1 + O(x))`` near 0, to full precision.

    e^x - 1 and ln(1 + x) lose about ``-log10|x|`` digits to cancellation when
    computed directly, so they are computed with that many extra digits and
    rounded once to the caller's precision.  Below ``10^-(prec+1)`` the
    result equals *x* to every digit of the context.
    """
    if not x:
        return +x
    prec = getcontext().prec
    adj = x.adjusted()
    if adj < -prec - 2:
        return +x
    with localcontext() as ctx:
        ctx.prec = prec + (3 - adj if adj < 0 else 3)
        r = fn(x)
    return +r  # one rounding, to the caller's context


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
            return parse_number(value, self, what)
        if isinstance(value, float):
            raise NumberError(
                "%s = %r is a float, but this net computes in Fraction: pass the exact "
                "value as a string ('%r' or 'p/q') or a Fraction" % (what, value, value))
        if isinstance(value, Decimal):
            return fraction_of(value, what)
        if isinstance(value, Fraction):
            return Fraction(value)
        raise NumberError("%s must be a real number, got %s" % (what, _describe(value)))

    def isfinite(self, x: Fraction) -> bool:
        return True

    exp = staticmethod(_no_exact("exp"))  # type: ignore[assignment]
    log = staticmethod(_no_exact("log"))  # type: ignore[assignment]
    sqrt = staticmethod(_no_exact("sqrt"))  # type: ignore[assignment]
    expm1 = staticmethod(_no_exact("expm1"))  # type: ignore[assignment]
    log1p = staticmethod(_no_exact("log1p"))  # type: ignore[assignment]

    def round(self, x: Fraction, rule: Any) -> Fraction:
        return rule.round_fraction(x)  # exact: the result is a Fraction with a power-of-10 denominator


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
