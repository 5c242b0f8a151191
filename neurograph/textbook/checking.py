"""Checking a hand calculation: which numbers are right, and which mistake explains the others.

==================================  ========================================================
name                                what it is
==================================  ========================================================
``Exercise(example, ask=[...])``    the quantities to work out; ``.check(answers)``
``Report``                          one :class:`Check` per quantity asked; ``print`` it
``Check``                           answer, expected, correct, mistake, diagnosis, lines
==================================  ========================================================

An answer is correct when it agrees with the right number to the digits it
gives (``"0.1385"`` is right for 0.138498562: within half a unit of its last
digit; a fraction such as ``"1/3"`` must be exact).  A wrong answer is
matched against :data:`~neurograph.textbook.MISTAKES` in order, each
recomputed for that quantity from the net's own numbers; ``mistake`` names
the first that explains it, and is None when none does.

>>> import neurograph as ng
>>> ex = ng.Exercise(ng.textbook.mazur(), ask=["w5.updated"])
>>> print(ex.check({"w5.updated": "0.4411"}))
w5.updated: 0.4411 is wrong; the right value is 0.358916480 (w5+ in the source)
  mistake update_sign: the update went uphill: w + eta * grad instead of w - eta * grad
    dE/dw5 = dE/d(out_o1) * d(out_o1)/d(net_o1) * d(net_o1)/dw5   [BP4, BP1]
           = 0.741365070 * 0.186815602 * 0.593269992
           = 0.082167041
    d(out_o1)/d(net_o1) = out_o1 * (1 - out_o1)   [sigmoid']
                        = 0.751365070 * (1 - 0.751365070)
                        = 0.186815602
    dE/d(out_o1) = 0.741365070   [loss gradient at output o1]
    w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480   [update]
0 of 1 right
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Iterator, List, Mapping, NamedTuple, Optional, Sequence

from ..core.arithmetic import number_text, parse_number
from ..core.errors import NameLookupError, NumberError, suggest
from .mistakes import DESCRIPTIONS, candidates
from .explaining import lines as _lines
from .passes import Quantity, Run, parse

__all__ = ["Exercise", "Report", "Check"]


def _decimal(x: Any) -> Decimal:
    """*x* (float, Decimal or Fraction) as a Decimal to 60 digits."""
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            return Decimal(x.numerator) / Decimal(x.denominator)
    return Decimal(x)


class _Answer:
    """A student's number: its value and how many digits it gives."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text.strip()
        self.fraction = "/" in self.text
        if self.fraction:
            self.value: Any = parse_number(self.text, "Fraction", what)
            self.half = Decimal(0)
        else:
            d = parse_number(self.text, "Decimal", what)
            self.value = d
            self.half = Decimal(5).scaleb(min(d.as_tuple().exponent, 0) - 1)  # type: ignore

    def agrees(self, x: Any) -> bool:
        """True when *x* is this answer to the digits it gives."""
        if self.fraction:
            return _decimal(x) == _decimal(self.value) if not isinstance(x, Fraction) \
                else x == self.value
        with localcontext() as ctx:
            ctx.prec = 80
            return abs(_decimal(x) - self.value) <= self.half


class Check(NamedTuple):
    """The verdict on one answer: ``name``, the ``answer`` as given, the ``expected``
    number, ``correct``, the ``mistake`` that explains a wrong answer (None when none
    does, or when the answer is right), the ``diagnosis`` in words, the ``lines`` of the
    right calculation and the source's ``symbol`` for the quantity ("" if none)."""
    name: str
    answer: str
    expected: Any
    correct: bool
    mistake: Optional[str]
    diagnosis: str
    lines: List[str]
    symbol: str = ""

    def __str__(self) -> str:
        sym = " (%s in the source)" % self.symbol if self.symbol else ""
        if self.correct:
            head = "%s: %s is right%s" % (self.name, self.answer, sym)
        else:
            head = "%s: %s is wrong; the right value is %s%s" % (
                self.name, self.answer, _shown(self.expected), sym)
        out = [head, "  " + self.diagnosis] if not self.correct else [head]
        return "\n".join(out + ["    " + line for line in self.lines])


def _shown(x: Any) -> str:
    return number_text(x, places=9) if isinstance(x, float) else number_text(x)


class Report(Mapping[str, Check]):
    """The checks of one :meth:`Exercise.check`, by quantity name, in the order asked;
    ``score`` counts the right answers, ``str()`` shows every check.

    >>> import neurograph as ng
    >>> r = ng.Exercise(ng.textbook.toy_relu(), ask=["w1.grad"]).check({"w1.grad": "-2"})
    >>> r.score, r["w1.grad"].mistake
    (0, 'sign')
    """

    def __init__(self, checks: Sequence[Check]) -> None:
        self._checks = {c.name: c for c in checks}

    def __getitem__(self, name: str) -> Check:
        try:
            return self._checks[name]
        except KeyError:
            raise NameLookupError("this report has no quantity %r%s" % (
                name, suggest(name, self._checks))) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._checks)

    def __len__(self) -> int:
        return len(self._checks)

    @property
    def score(self) -> int:
        """How many answers are right."""
        return sum(c.correct for c in self._checks.values())

    @property
    def wrong(self) -> List[str]:
        """The names of the wrong answers."""
        return [n for n, c in self._checks.items() if not c.correct]

    def __str__(self) -> str:
        parts = [str(c) for c in self._checks.values()]
        return "\n".join(parts + ["%d of %d right" % (self.score, len(self))])

    def __repr__(self) -> str:
        return "<Report: %d of %d right>" % (self.score, len(self))


class Exercise:
    """A hand calculation to check: the quantities *ask* of the worked *example*.

    The example is worked on a copy of its net (its own net is not touched),
    under its settings: loss, learning rate, optimizer, rounding and number
    type.  ``names()`` lists every quantity that can be asked.

    >>> import neurograph as ng
    >>> ex = ng.Exercise(ng.textbook.mazur(), ask=["h1.delta", "w1.grad"])
    >>> report = ex.check({"h1.delta": "0.0364", "w1.grad": "0.000438568"})
    >>> report["h1.delta"].mistake, report["w1.grad"].correct
    ('missing_derivative', True)
    >>> ng.Exercise(ng.textbook.mazur(), ask=["h1.detla"])
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: the example 'mazur' has no quantity 'h1.detla' (did you mean 'h1.delta' or 'o1.delta' or 'h2.delta'?); quantities are NEURON.z, .a, .delta, .grad_a, PARAMETER.grad, .updated and loss, with @t for a time step and #k for the k-th update
    """

    def __init__(self, example: Any, ask: Sequence[str]) -> None:
        if isinstance(ask, str):
            ask = [ask]
        self.example = example
        self.run = Run(example)
        self.ask = [self._name(n) for n in ask]

    def names(self) -> List[str]:
        """Every quantity name this example can check.

        >>> import neurograph as ng
        >>> ng.Exercise(ng.textbook.toy_linear(), ask=[]).names()[:4]
        ['x.a', 'x.grad_a', 'yhat.z', 'yhat.a']
        """
        return list(self.run.values)

    def _name(self, name: Any) -> str:
        q = parse(name)
        key = name[:-2] if isinstance(name, str) and name.endswith("#1") else name
        if q is None or key not in self.run.values:
            why = ""
            if q is not None and q.attr == "updated" and self.run.optimizer is None:
                why = " (the example makes no update)"
            raise NameLookupError(
                "the example %r has no quantity %r%s%s; quantities are NEURON.z, .a, .delta, "
                ".grad_a, PARAMETER.grad, .updated and loss, with @t for a time step and #k "
                "for the k-th update" % (self.example.name, name, why,
                                         suggest(str(name), self.run.values)))
        return key

    def expected(self, name: str) -> Any:
        """The right number of quantity *name*.

        >>> import neurograph as ng
        >>> ng.Exercise(ng.textbook.toy_linear(), ask=[]).expected("w.updated")
        4.6
        """
        return self.run.values[self._name(name)]

    def check(self, answers: Mapping[str, Any]) -> Report:
        """A :class:`Report` on *answers* (quantity name -> number, as text or a number), for
        every quantity asked; a quantity asked but not answered is wrong, with no mistake.
        """
        given = {self._name(k): v for k, v in answers.items()}
        return Report([self._check(name, given.get(name)) for name in self.ask])

    def _check(self, name: str, answer: Any) -> Check:
        right = self.run.values[name]
        symbol = (self.example.notation or {}).get(name, "")
        if answer is None:
            return Check(name, "", right, False, None, "no answer given", self.lines(name),
                         symbol)
        text = answer if isinstance(answer, str) else number_text(answer)
        a = _Answer(text, "answer for %s" % name)
        if a.agrees(right):
            return Check(name, text, right, True, None, "right", self.lines(name), symbol)
        mistake = self.diagnose(name, a)
        words = "mistake %s: %s" % (mistake, DESCRIPTIONS[mistake]) if mistake else \
            "no common mistake gives this number"
        return Check(name, text, right, False, mistake, words, self.lines(name), symbol)

    def diagnose(self, name: str, answer: Any) -> Optional[str]:
        """The first mistake whose number agrees with *answer* (text or an answer) for quantity
        *name*, or None.

        >>> import neurograph as ng
        >>> ng.Exercise(ng.textbook.mazur(), ask=[]).diagnose("w5.updated", "0.3178")
        'missing_learning_rate'
        """
        name = self._name(name)
        a = answer if isinstance(answer, _Answer) else _Answer(
            str(answer), "answer for %s" % name)
        right = self.run.values[name]
        for mistake, value in candidates(self.run, self._quantity(name)):
            if a.agrees(value) and not a.agrees(right):
                return mistake
        return None

    def _quantity(self, name: str) -> Quantity:
        q = parse(name)
        if q.step is None and self.example.recurrent and q.attr not in ("loss", "grad",
                                                                         "updated"):
            raise NumberError("quantity %r of a recurrent example needs a time step" % name)
        return q

    def lines(self, name: str) -> List[str]:
        """The lines of the right calculation of quantity *name* (``net.explain``'s, or the
        forward pass's sum for a z or an a).

        >>> import neurograph as ng
        >>> print(ng.Exercise(ng.textbook.toy_relu(), ask=[]).lines("h.a")[0])
        net_h = 0.5 * 1 = 0.5;  out_h = relu(0.5) = 0.5
        """
        return _lines(self.run, self._quantity(self._name(name)))
