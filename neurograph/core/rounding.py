"""Rounding like a hand calculation: every intermediate quantity to a few places.

===================================  ==============================================
name                                 what it is
===================================  ==============================================
``rounding(places=, digits=, mode=)``  context manager: round every quantity a pass,
                                     a loss or an optimizer step writes down
``Rounding``                         the rule in force inside :func:`rounding`
``current_rounding()``               that rule, or None outside :func:`rounding`
``rounder(num)``, ``rounders(num)``  what the walk applies to each number it writes
``recording(sink, rule)``            context manager: the backward walk under *rule*,
                                     writing down each term and running sum it makes
``under(rule)``                       context manager: exactly *rule* (None: none)
===================================  ==============================================

>>> import neurograph as ng
>>> from decimal import Decimal
>>> ex = ng.textbook.mazur(Decimal)
>>> with ng.rounding(places=4):
...     ex.net.forward(ex.x)
[Decimal('0.7514'), Decimal('0.7729')]
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any, Callable, ContextManager, Dict, Iterator, List, Optional

from .arithmetic import DECIMAL, FLOAT, FRACTION, NumberSystem
from .errors import NumberError

__all__ = ["rounding", "Rounding", "current_rounding", "rounder", "rounders", "carrier",
           "recording"]

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
#: Where :func:`recording` writes the walk's terms down (a list, or None).
_RECORDING: "contextvars.ContextVar[Optional[List[Any]]]" = contextvars.ContextVar(
    "neurograph_recording", default=None)


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
def _in_force(rule: Optional[Rounding], sink: Optional[List[Any]] = None) -> Iterator[Any]:
    global OPEN_BLOCKS
    with _BLOCKS_LOCK:
        OPEN_BLOCKS += 1
    token = _ROUNDING.set(rule)
    recorded = _RECORDING.set(sink) if sink is not None else None
    try:
        yield rule if sink is None else sink
    finally:
        if recorded is not None:
            _RECORDING.reset(recorded)
        _ROUNDING.reset(token)
        with _BLOCKS_LOCK:
            OPEN_BLOCKS -= 1


#: How many ``with rounding(...)`` (or ``recording(...)``) blocks are open, in any thread:
#: while it is 0 no code needs to ask the context variables (a pure-Python call on PyPy).
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


def under(rule: Optional[Rounding]) -> ContextManager[Optional[Rounding]]:
    """Run the block under *rule* exactly: a :class:`Rounding`, or None for no rounding even
    inside a rounding block (a net keeps the rules of its last pass; explain replays the
    pass under them).

    >>> with rounding(places=2):
    ...     with under(None):
    ...         current_rounding() is None
    True
    >>> with under(Rounding(digits=3)):
    ...     current_rounding()
    Rounding(digits=3)
    """
    if rule is not None and not isinstance(rule, Rounding):
        raise NumberError("under(rule=%r): give a Rounding or None" % (rule,))
    return _in_force(rule)


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

_CARRIERS: Dict[Any, type] = {}


def _carrier_class(base: type, record: bool = False) -> type:
    """A subclass of *base* whose products come out rounded and whose sums round.

    Under :func:`rounding`, the backward walk holds each ``delta`` as one of
    these: ``delta * a`` and ``w * delta`` give the rounded product (again
    such a number), and adding one to a plain number (``grad + term``) gives
    that sum rounded, as a plain number.  So the walk's lines
    ``grad += delta * a`` (BP4) and ``grad_a += w * delta`` (BP2) round each
    term and each running sum, the way a hand calculation writes them down,
    with no second copy of the equations.  Outside a rounding rule it
    computes as *base* does.  With *record* (inside :func:`recording`) each
    product and sum is also appended to the recording's list.
    """
    cls = _CARRIERS.get((base, record))
    if cls is not None:
        return cls
    system = {float: FLOAT, Decimal: DECIMAL, Fraction: FRACTION}[base]

    def rnd(x: Any) -> Any:
        rule = _ROUNDING.get()
        return x if rule is None else system.round(x, rule)

    def note(op: str, other: Any, r: Any) -> Any:
        if record:
            _RECORDING.get().append((op, other, r))    # type: ignore[union-attr]
        return r

    def __mul__(self: Any, other: Any) -> Any:
        r = base.__mul__(self, other)
        return r if r is NotImplemented else cls(note("*", other, rnd(r)))

    def __rmul__(self: Any, other: Any) -> Any:
        r = base.__rmul__(self, other)
        return r if r is NotImplemented else cls(note("*", other, rnd(r)))

    def __add__(self: Any, other: Any) -> Any:
        r = base.__add__(self, other)
        return r if r is NotImplemented else note("+", other, rnd(r))

    def __radd__(self: Any, other: Any) -> Any:
        r = base.__radd__(self, other)
        return r if r is NotImplemented else note("+", other, rnd(r))

    cls = type(("Recorded" if record else "Rounded") + base.__name__.capitalize(), (base,), {
        "__slots__": (), "__mul__": __mul__, "__rmul__": __rmul__, "__add__": __add__,
        "__radd__": __radd__, "__doc__": _carrier_class.__doc__,
        "__module__": __name__})
    _CARRIERS[(base, record)] = cls
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
    """``(rounder(num), carrier(num))``: both None unless a rounding rule is in force; inside
    :func:`recording`, the carrier is the one that writes down each term and sum."""
    if not OPEN_BLOCKS:
        return None, None
    if _RECORDING.get() is not None:
        return rounder(num), _carrier_class(num.type, True)
    if _ROUNDING.get() is None:
        return None, None
    return rounder(num), carrier(num)


def recording(sink: List[Any], rule: Optional[Rounding] = None) -> ContextManager[List[Any]]:
    """Run the backward walk under the rounding *rule* (None: none, whatever rule is in force
    outside) and write down in *sink*, in the order the walk makes them, each product of a
    delta, ``("*", other factor, product)`` (BP4's ``delta * a``, BP2's ``w * delta``), and
    each running sum it is added to, ``("+", sum before, sum after)`` (``grad += term``,
    ``bias.g += delta``, ``grad_a += term``): the walk's own numbers, rounded as it rounds
    them.  (:func:`neurograph.debugging.explain` replays a pass inside it to show the terms.)

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 0.5
    >>> _ = net.forward([2.0])
    >>> with recording([]) as sink:
    ...     _ = net.backward([0.0])
    >>> sink      # o1: bias.g += delta; i1->o1: grad += delta * a; i1.grad_a += w * delta
    [('+', 0.0, 1.0), ('*', 2.0, 2.0), ('+', 0.0, 2.0), ('*', 0.5, 0.5), ('+', 0.0, 0.5)]
    """
    if not isinstance(sink, list):
        raise NumberError("recording(sink=%r): give a list to write the terms in" % (sink,))
    return _in_force(rule, sink)
