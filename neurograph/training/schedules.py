"""Learning-rate schedules: the learning rate as a function of the epoch index.

================================  ===========================================================
name                              what it is
================================  ===========================================================
``Schedule``                      a named function of the epoch index; ``at(epoch, num)``
``step_decay(lr, every, f)``      ``lr * f ** (epoch // every)``
``exponential_decay(lr, g)``      ``lr * g ** epoch``
================================  ===========================================================

:func:`neurograph.fit` sets ``optimizer.lr`` from its *schedule* before
every epoch (index 0 for the first), in the net's number type.

>>> [step_decay(1, every=2, factor="0.5")(e) for e in range(4)]
[1.0, 1.0, 0.5, 0.5]
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

from ..core import arithmetic
from ..core.errors import NumberError

__all__ = ["Schedule", "step_decay", "exponential_decay"]


class Schedule:
    """A learning rate as a function of the epoch index (0 for the first epoch).

    Built-in schedules compute in the net's number type when :func:`fit`
    uses them; called directly they compute in the type of their arguments.

    >>> s = step_decay("0.1", every=2, factor="0.5")
    >>> s
    step_decay(lr='0.1', every=2, factor='0.5')
    >>> [s(e) for e in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, name: str, fn: Callable[[int, Any], Any], **params: Any) -> None:
        self.name = name
        self._fn = fn
        self.params = params

    def at(self, epoch: int, num: Any) -> Any:
        """The learning rate of epoch index *epoch*, computed in the number system *num*.

        >>> import neurograph as ng
        >>> ng.step_decay("0.1", every=2).at(3, ng.arithmetic.system_for("Decimal"))
        Decimal('0.05')
        """
        return self._fn(epoch, num)

    def __call__(self, epoch: int) -> Any:
        vals = [v for v in self.params.values() if isinstance(v, (Decimal, Fraction))]
        num = arithmetic.system_for(type(vals[0]) if vals else float)
        return self._fn(epoch, num)

    def __repr__(self) -> str:
        return "%s(%s)" % (self.name, ", ".join("%s=%r" % kv for kv in self.params.items()))


def _epoch_arg(epoch: Any) -> int:
    """*epoch* as an epoch index (a whole number >= 0), or NumberError."""
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise NumberError("a schedule takes an epoch index >= 0, got %r" % (epoch,))
    return epoch


def step_decay(lr: Any, every: int, factor: Any = "0.5") -> Schedule:
    """``lr * factor ** (epoch // every)``: multiply by *factor* every *every* epochs.

    >>> import neurograph as ng
    >>> [ng.step_decay(0.1, every=2)(e) for e in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise NumberError("step_decay(every=%r): give a whole number of epochs >= 1" % (every,))

    def fn(epoch: int, num: Any) -> Any:
        k = _epoch_arg(epoch) // every
        return num.convert(lr, "lr of step_decay") * num.convert(
            factor, "factor of step_decay") ** k
    return Schedule("step_decay", fn, lr=lr, every=every, factor=factor)


def exponential_decay(lr: Any, gamma: Any) -> Schedule:
    """``lr * gamma ** epoch``.

    >>> [round(r, 6) for r in map(exponential_decay(0.1, 0.9), range(3))]
    [0.1, 0.09, 0.081]
    """
    def fn(epoch: int, num: Any) -> Any:
        return num.convert(lr, "lr of exponential_decay") * num.convert(
            gamma, "gamma of exponential_decay") ** _epoch_arg(epoch)
    return Schedule("exponential_decay", fn, lr=lr, gamma=gamma)
