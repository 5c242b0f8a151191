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
``NumberSystem``            one number type: convert, zero/one, exp, log, sqrt,
                            expm1, log1p, round
``system_for(number)``      the NumberSystem for ``float``, ``Decimal``, ``Fraction``
``rounding(places=, digits=, mode=)``  context manager: round every intermediate quantity
``Rounding``                the rule in force inside :func:`rounding`
``current_rounding()``      that rule, or None outside :func:`rounding`
==========================  ====================================================

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

import contextlib
import contextvars
import math
import threading
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, getcontext, localcontext
from fractions import Fraction
from typing import Any, Callable, ContextManager, Dict, Iterator, List, Optional

from .errors import NumberError, ShapeError

__all__ = ["NumberSystem", "system_for", "rounding", "Rounding", "current_rounding"]

Number = Any  # float | Decimal | Fraction

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

    def round(self, x: Number, rule: "Rounding") -> Number:
        """Round *x* by *rule* (its places or digits, and its mode), keeping the type.

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
            except (OverflowError, ValueError):  # fsum: "-inf + inf", or an overflowing sum
                pass
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

    def round(self, x: float, rule: "Rounding") -> float:
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
                if "/" in value:
                    raise NumberError(
                        "%s = %r is a fraction, which a Decimal net cannot hold exactly: write "
                        "it as a decimal string, or build the net with number=Fraction"
                        % (what, value)) from None
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

    def round(self, x: Decimal, rule: "Rounding") -> Decimal:
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
    expm1 = staticmethod(_no_exact("expm1"))  # type: ignore[assignment]
    log1p = staticmethod(_no_exact("log1p"))  # type: ignore[assignment]

    def round(self, x: Fraction, rule: "Rounding") -> Fraction:
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


# --------------------------------------------------------------------------
# Rounding like a hand calculation
# --------------------------------------------------------------------------

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def _check_mode(mode: Any) -> str:
    if isinstance(mode, str) and mode in _MODES:
        return mode
    raise NumberError("rounding mode= must be 'half_up' (ties away from zero), 'half_even' "
                      "(ties to the even digit) or 'down' (truncate toward zero), got %r"
                      % (mode,))


class Rounding:
    """A rounding rule: *places* decimal places or *digits* significant digits, and a *mode*.

    *mode* is ``"half_up"`` (the default: ties go away from zero, for
    negative numbers too), ``"half_even"`` (ties go to the even digit, the
    banker's rounding of :data:`decimal.ROUND_HALF_EVEN`) or ``"down"``
    (truncation toward zero: the digits beyond the last kept one are
    dropped).  A negative number that rounds to zero becomes plain ``0`` (a
    hand calculation writes ``0.0000``, not ``-0.0000``).  Exactly one of
    *places* and *digits* is given.

    >>> Rounding(places=4).round_decimal(Decimal("0.59326999"))
    Decimal('0.5933')
    >>> Rounding(places=4).round_decimal(Decimal("-0.00005")), Rounding(places=4).round_decimal(Decimal("0.00005"))
    (Decimal('-0.0001'), Decimal('0.0001'))
    >>> Rounding(digits=3).round_decimal(Decimal("0.00123456"))
    Decimal('0.00123')
    >>> Rounding(places=2).round_fraction(Fraction(-1, 8))
    Fraction(-13, 100)
    >>> Rounding(places=2, mode="half_even").round_fraction(Fraction(-1, 8))
    Fraction(-3, 25)
    >>> Rounding(digits=2, mode="down")
    Rounding(digits=2, mode='down')
    """

    __slots__ = ("places", "digits", "mode", "_quantum", "_ctx", "_dmode")

    def __init__(self, places: Optional[int] = None, digits: Optional[int] = None,
                 *, mode: str = "half_up") -> None:
        if (places is None) == (digits is None):
            raise NumberError("rounding() takes exactly one of places= (decimal places) or "
                              "digits= (significant digits), e.g. rounding(places=4)")
        for label, v in (("places", places), ("digits", digits)):
            if v is not None and (type(v) is not int or v < (0 if label == "places" else 1)):
                raise NumberError("rounding %s= must be a whole number %s, got %r"
                                  % (label, ">= 0" if label == "places" else ">= 1", v))
        self.mode = _check_mode(mode)
        self._dmode = _MODES[mode]
        self.places = places
        self.digits = digits
        if places is not None:
            self._quantum = Decimal(1).scaleb(-places, Context(prec=1))
            self._ctx = None
        else:
            self._quantum = None
            self._ctx = Context(prec=digits, rounding=self._dmode)

    def __repr__(self) -> str:
        if self.places is not None:
            text = "Rounding(places=%d" % self.places
        else:
            text = "Rounding(digits=%d" % self.digits
        if self.mode != "half_up":
            text += ", mode=%r" % self.mode
        return text + ")"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rounding):
            return NotImplemented
        return (self.places, self.digits, self.mode) == (other.places, other.digits, other.mode)

    def __hash__(self) -> int:
        return hash((self.places, self.digits, self.mode))

    def round_decimal(self, x: Decimal) -> Decimal:
        """*x* rounded by this rule's mode; independent of the active decimal context.

        >>> Rounding(places=1, mode="down").round_decimal(Decimal("-2.79"))
        Decimal('-2.7')
        >>> Rounding(digits=2).round_decimal(Decimal("1250"))
        Decimal('1.3E+3')
        """
        if self._ctx is None:
            # quantize needs room for every digit left of the point plus the places.
            prec = max(28, x.adjusted() + self.places + 2)  # type: ignore[operator]
            r = x.quantize(self._quantum, rounding=self._dmode, context=Context(prec=prec))
        else:
            r = self._ctx.plus(x)
        if not r and r.is_signed():
            r = r.copy_abs()
        return r

    def round_fraction(self, x: Fraction) -> Fraction:
        """*x* rounded by this rule's mode, exactly (the result is a Fraction).

        >>> Rounding(places=3).round_fraction(Fraction(2, 3))
        Fraction(667, 1000)
        >>> Rounding(digits=2, mode="half_even").round_fraction(Fraction(1, 8))
        Fraction(3, 25)
        """
        if not x:
            return x
        ax = abs(x)
        if self.places is not None:
            scale = Fraction(10) ** self.places
        else:
            # e with 10**e <= |x| < 10**(e+1): a first guess from the digit counts, then fixed.
            e = len(str(ax.numerator)) - len(str(ax.denominator))
            p = Fraction(10) ** e
            while p > ax:
                e -= 1
                p /= 10
            while p * 10 <= ax:
                e += 1
                p *= 10
            scale = Fraction(10) ** (self.digits - 1 - e)  # type: ignore[operator]
        y = ax * scale
        r = y.numerator // y.denominator
        rest = y - r
        half = Fraction(1, 2)
        if self.mode == "half_up":
            if rest >= half:  # half up on |x|: away from zero for negatives
                r += 1
        elif self.mode == "half_even":
            if rest > half or (rest == half and r % 2):
                r += 1
        # "down": truncation of |x|, i.e. toward zero
        out = r / scale
        return out if x > 0 else -out


_ROUNDING: "contextvars.ContextVar[Optional[Rounding]]" = contextvars.ContextVar(
    "neurograph_rounding", default=None)
#: The rounding rule in force (``ROUNDING.get()``: a Rounding, or None).
ROUNDING = _ROUNDING


def current_rounding() -> Optional[Rounding]:
    """The Rounding in force (inside :func:`rounding`), or None.

    >>> current_rounding() is None
    True
    >>> with rounding(digits=3):
    ...     current_rounding()
    Rounding(digits=3)
    """
    return _ROUNDING.get()


@contextlib.contextmanager
def _in_force(rule: Rounding) -> Iterator[Rounding]:
    global OPEN_BLOCKS
    with _BLOCKS_LOCK:
        OPEN_BLOCKS += 1
    token = _ROUNDING.set(rule)
    try:
        yield rule
    finally:
        _ROUNDING.reset(token)
        with _BLOCKS_LOCK:
            OPEN_BLOCKS -= 1


#: How many ``with rounding(...)`` blocks are open, in any thread: while it is 0 no
#: code needs to ask the context variable (a pure-Python call on PyPy) for a rule.
OPEN_BLOCKS = 0
_BLOCKS_LOCK = threading.Lock()


def rounding(places: Optional[int] = None, digits: Optional[int] = None,
             *, mode: str = "half_up") -> ContextManager[Rounding]:
    """Round every intermediate quantity, the way a hand calculation does.

    Inside ``with rounding(places=4):`` (or ``digits=`` for significant
    digits) every net computes as a person who writes each intermediate
    result down rounded, by default ROUND_HALF_UP (ties away from zero):

    * forward: each ``z`` (the sum ``b + sum(w * a)`` is formed exactly as the
      net's number type allows, then rounded once) and each ``a = f(z)``;
    * backward: the loss, each output's ``dE/da``, each ``delta`` (BP1/BP2:
      ``dE/da * f'(z)`` rounded as a whole, ``f'(z)`` is not rounded by
      itself), each term ``w * delta`` and each running sum of a hidden
      neuron's ``dE/da``, each term ``delta * a_src`` (BP4) and each running
      sum of a ``grad`` (BP3/BP4);
    * optimizers: each updated weight, SGD's velocity, Adam's two moments.

    Not rounded: the inputs, targets and initial parameters (taken as
    given), the products inside ``z``, ``lr * grad`` before the subtraction,
    Adam's bias corrections and square root.  The rule holds for float,
    Decimal and Fraction nets alike (a float is rounded as its shortest
    decimal repr reads; a Fraction stays exact).  The rule is a context
    variable: it applies to the code inside the block only, and threads and
    async tasks each see their own.

    *mode* chooses how the dropped digits are treated:

    * ``"half_up"`` (the default): a tie goes away from zero, ``0.125 -> 0.13``
      and ``-0.125 -> -0.13``;
    * ``"half_even"``: a tie goes to the even last digit, ``0.125 -> 0.12``,
      ``0.135 -> 0.14`` (Python's ``round`` and IEEE 754 do the same);
    * ``"down"``: the digits beyond the last kept one are dropped (truncation
      toward zero), ``0.129 -> 0.12`` and ``-0.129 -> -0.12``.

    >>> from decimal import Decimal
    >>> from neurograph.core.arithmetic import DECIMAL, FLOAT
    >>> [DECIMAL.round(Decimal(v), Rounding(places=2)) for v in ("0.125", "-0.125", "0.135")]
    [Decimal('0.13'), Decimal('-0.13'), Decimal('0.14')]
    >>> [DECIMAL.round(Decimal(v), Rounding(places=2, mode="half_even")) for v in ("0.125", "-0.125", "0.135")]
    [Decimal('0.12'), Decimal('-0.12'), Decimal('0.14')]
    >>> [FLOAT.round(v, Rounding(digits=2, mode="down")) for v in (0.129, -0.129, 1999.0)]
    [0.12, -0.12, 1900.0]

    >>> import neurograph as ng
    >>> net = ng.Net(number="Decimal")
    >>> x = net.add_input("x")
    >>> y = net.add_neuron("y", activation="sigmoid")
    >>> c = net.connect(x, y, "0.5")
    >>> with ng.rounding(places=4):
    ...     net.forward(["1"])
    [Decimal('0.6225')]
    >>> net.forward(["1"])
    [Decimal('0.6224593312018545646389005657')]
    >>> ng.rounding(places=-1)
    Traceback (most recent call last):
    ...
    neurograph.NumberError: rounding places= must be a whole number >= 0, got -1
    >>> ng.rounding(places=2, mode="half_down")
    Traceback (most recent call last):
    ...
    neurograph.NumberError: rounding mode= must be 'half_up' (ties away from zero), 'half_even' (ties to the even digit) or 'down' (truncate toward zero), got 'half_down'
    """
    return _in_force(Rounding(places=places, digits=digits, mode=mode))


def rounder(num: NumberSystem) -> Optional[Callable[[Any], Any]]:
    """The function that rounds one value of *num* under the current rule, or None."""
    rule = _ROUNDING.get() if OPEN_BLOCKS else None
    if rule is None:
        return None
    rnd = num.round
    return lambda x: rnd(x, rule)


# --------------------------------------------------------------------------
# Rounded numbers: how the backward walk rounds each product and running sum
# --------------------------------------------------------------------------

_CARRIERS: Dict[type, type] = {}


def _carrier_class(base: type) -> type:
    """A subclass of *base* whose products come out rounded and whose sums round.

    Under :func:`rounding`, the backward walk holds each ``delta`` as one of
    these: ``delta * a`` and ``w * delta`` give the rounded product (again
    such a number), and adding one to a plain number (``grad + term``) gives
    that sum rounded, as a plain number.  So the walk's lines
    ``grad += delta * a`` (BP4) and ``grad_a += w * delta`` (BP2) round each
    term and each running sum, the way a hand calculation writes them down,
    with no second copy of the equations.  Outside a rounding rule it
    computes as *base* does.
    """
    cls = _CARRIERS.get(base)
    if cls is not None:
        return cls
    system = _SYSTEMS[base]

    def rnd(x: Any) -> Any:
        rule = _ROUNDING.get()
        return x if rule is None else system.round(x, rule)

    def __mul__(self: Any, other: Any) -> Any:
        r = base.__mul__(self, other)
        return r if r is NotImplemented else cls(rnd(r))

    def __rmul__(self: Any, other: Any) -> Any:
        r = base.__rmul__(self, other)
        return r if r is NotImplemented else cls(rnd(r))

    def __add__(self: Any, other: Any) -> Any:
        r = base.__add__(self, other)
        return r if r is NotImplemented else rnd(r)

    def __radd__(self: Any, other: Any) -> Any:
        r = base.__radd__(self, other)
        return r if r is NotImplemented else rnd(r)

    cls = type("Rounded" + base.__name__.capitalize(), (base,), {
        "__slots__": (), "__mul__": __mul__, "__rmul__": __rmul__, "__add__": __add__,
        "__radd__": __radd__, "__doc__": _carrier_class.__doc__,
        "__module__": __name__})
    _CARRIERS[base] = cls
    return cls


def carrier(num: NumberSystem) -> Optional[Callable[[Any], Any]]:
    """Under a rounding rule: a function turning a rounded value into a number whose
    products and sums come out rounded (see :func:`_carrier_class`); else None.

    >>> from decimal import Decimal
    >>> with rounding(places=2):
    ...     d = carrier(DECIMAL)(Decimal("0.12"))
    ...     Decimal("1") + d * Decimal("0.333")     # 0.03996 -> 0.04, then 1.04
    Decimal('1.04')
    """
    if _ROUNDING.get() is None:
        return None
    return _carrier_class(num.type)


def rounders(num: NumberSystem) -> Any:
    """``(rounder(num), carrier(num))``: both None unless a rounding rule is in force."""
    if not OPEN_BLOCKS or _ROUNDING.get() is None:
        return None, None
    return rounder(num), carrier(num)
