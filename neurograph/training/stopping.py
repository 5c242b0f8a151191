"""Early stopping: end training when the monitored column stops improving.

==============================  ===============================================================
name                            what it is
==============================  ===============================================================
``EarlyStopping(patience)``     the rule: *monitor*, *patience*, *min_delta*, *restore_best*
``_Watch(rule, metrics, val)``  the rule during one ``fit``: the best value so far, the epochs
                                waited, the weights of the best epoch
==============================  ===============================================================

*min_delta* may be given in any number type (a str such as ``"0.01"`` is
read exactly, through :func:`~neurograph.core.arithmetic.parse_number`); it is
compared in the type of the monitored value.

>>> stop = EarlyStopping(patience=2, min_delta="0.1")
>>> watch = _Watch(stop, [], has_validation=False)
>>> [watch.update({"epoch": e, "loss": v}, []) for e, v in enumerate([1.0, 0.95, 0.5, 0.45, 0.44], 1)]
[False, False, False, False, True]
>>> watch.best_epoch
3
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence

from ..core.arithmetic import FRACTION
from ..core.errors import NameLookupError, NumberError, StateError

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Stop when *monitor* has not improved by more than *min_delta* for *patience* epochs.

    *monitor* defaults to ``"val_loss"`` when there is validation data, else
    ``"loss"``; names containing "loss" improve downwards, others upwards.
    With *restore_best* the weights of the best epoch are put back when
    training stops early.  ``fit(..., early_stopping=5)`` means
    ``EarlyStopping(patience=5)``.

    Below, no epoch can lower the loss by more than *min_delta* (a half
    squared error stays under 0.5), so training stops after two epochs
    without improvement and the weights of epoch 1 are put back:

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
    >>> stop = ng.EarlyStopping(patience=2, min_delta=1)
    >>> h = ng.fit(net, ng.datasets.logic("or"), epochs=100, early_stopping=stop, verbose=0)
    >>> len(h), h.stopped_early, h.restored_epoch
    (3, 3, 1)
    """

    def __init__(self, patience: int = 5, monitor: Optional[str] = None, min_delta: Any = 0,
                 restore_best: bool = True) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise NumberError("EarlyStopping(patience=%r): give a whole number >= 1" % (patience,))
        _check_min_delta(min_delta)
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.restore_best = restore_best

    def __repr__(self) -> str:
        return "EarlyStopping(patience=%d, monitor=%r, min_delta=%r, restore_best=%r)" % (
            self.patience, self.monitor, self.min_delta, self.restore_best)


def _check_min_delta(min_delta: Any) -> Fraction:
    """*min_delta* as an exact number >= 0, or NumberError (a str such as "0.01" is exact)."""
    bad = NumberError("EarlyStopping(min_delta=%r): give a finite number >= 0, such as 0.001 "
                      "or \"0.001\"" % (min_delta,))
    if isinstance(min_delta, bool) or not isinstance(min_delta, (int, float, Decimal, Fraction, str)):
        raise bad
    try:                       # a float exactly; text through parse_number, with its limits
        exact = Fraction(min_delta) if isinstance(min_delta, float) else FRACTION.convert(
            min_delta, "min_delta")
    except (NumberError, ValueError, OverflowError):
        raise bad from None
    if exact < 0:
        raise bad
    return exact


def _like(exact: Fraction, value: Any) -> Any:
    """*exact* (a checked min_delta) in the number type of the monitored *value*."""
    t = type(value)
    if t is float:
        return float(exact)
    if t is Decimal:
        return Decimal(exact.numerator) / exact.denominator
    return exact                  # (a Fraction, or an int)


class _Watch:
    """An :class:`EarlyStopping` rule during one ``fit``: the column it monitors (checked
    against what fit measures), the best value so far and the weights of its epoch."""

    def __init__(self, rule: EarlyStopping, metric_names: Sequence[str],
                 has_validation: bool) -> None:
        monitor = rule.monitor or ("val_loss" if has_validation else "loss")
        valid = {"loss", "val_loss"} | set(metric_names) | {"val_" + m for m in metric_names}
        if monitor not in valid:
            raise NameLookupError("EarlyStopping(monitor=%r): fit measures %s" % (
                monitor, ", ".join(sorted(valid))))
        if monitor.startswith("val_") and not has_validation:
            raise StateError("EarlyStopping(monitor=%r) needs validation data" % monitor)
        self.rule = rule
        self.min_delta = _check_min_delta(rule.min_delta)   # (exact, read once)
        self.monitor = monitor
        self.lower_better = "loss" in monitor
        self.best: Any = None
        self.best_values: Optional[List[Any]] = None
        self.best_epoch = 0
        self.waited = 0

    def update(self, row: Dict[str, Any], params: Sequence[Any]) -> bool:
        """Take the epoch's *row*; True when training should stop, the weights of the best
        epoch then put back into *params* (when the rule says so; see ``restored``)."""
        value = row[self.monitor]
        delta = _like(self.min_delta, value)
        better = self.best is None or (value < self.best - delta if self.lower_better
                                       else value > self.best + delta)
        if better:
            self.best, self.waited, self.best_epoch = value, 0, row["epoch"]
            if self.rule.restore_best:
                self.best_values = [p.value for p in params]
            return False
        self.waited += 1
        if self.waited < self.rule.patience:
            return False
        if self.best_values is not None:
            for p, v in zip(params, self.best_values):
                p.value = v
        return True

    @property
    def restored(self) -> Optional[int]:
        """The epoch whose weights were put back when training stopped (None if none were)."""
        return self.best_epoch if self.best_values is not None else None
