"""Scoring a net: predicted classes, accuracy, metric functions and evaluation.

====================================  ==========================================================
name                                  what it is
====================================  ==========================================================
``accuracy(net, data)``               fraction of samples whose predicted class is the target's
``_predict_class(out)``               the index of the largest output (one output: >= 0.5)
``_metrics(metrics)``                 fit's *metrics* as ``(name, function)`` pairs, checked
``_evaluate(net, pairs, L, mets)``    mean loss and mean metrics, touching no gradient
====================================  ==========================================================

>>> _predict_class([0.1, 0.7, 0.2]), _predict_class([0.4]), _predict_class([0.5])
(1, 0, 1)
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, List, Sequence, Tuple

from ..core.errors import NameLookupError, NeurographError, NumberError, NumericalError
from ..core.losses import Loss
from ..core.net import Net
from .samples import Pairs, _is_sequences, _pairs, _run, _scores, _sequence_pairs

__all__ = ["accuracy"]

Metric = Callable[[Sequence[Any], Sequence[Any]], Any]


def _predict_class(out: Sequence[Any], threshold: Any = 0.5) -> int:
    """The class of outputs (or a target) *out*: the index of the largest value; for one
    value, 1 when it is >= *threshold*, else 0."""
    if len(out) == 1:
        return 1 if out[0] >= threshold else 0
    best = 0
    for j in range(1, len(out)):
        if out[j] > out[best]:
            best = j
    return best


def _hit(out: Sequence[Any], y: Sequence[Any]) -> bool:
    """Whether outputs *out* predict the class of target *y*."""
    return _predict_class(out) == _predict_class(y)


def accuracy(net: Net, data: Any) -> float:
    """The fraction of samples whose predicted class equals the target's class.

    The class is the index of the largest output (and of the largest target
    value); with one output it is 1 when the value is >= 0.5, else 0.  For a
    recurrent net (*data* a list of sequences) it is the fraction of the
    steps with a target that are right.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
    >>> net["i1->o1"].weight, net["i2->o1"].weight, net["o1"].bias.value = 10.0, 10.0, -5.0
    >>> ng.accuracy(net, ng.datasets.logic("or")), ng.accuracy(net, ng.datasets.logic("and"))
    (1.0, 0.5)
    """
    if _is_sequences(net, None):
        hits = total = 0
        for xs, ys in _sequence_pairs(net, data, "data"):
            for o, y in zip(net.forward_sequence(xs), ys):
                if y is not None:
                    hits += _hit(o, y)
                    total += 1
        return hits / total if total else 0.0
    pairs = _pairs(net, data, "data")
    hits = sum(1 for x, y in pairs if _hit(net.forward(x), y))
    return hits / len(pairs)


def _metrics(metrics: Any) -> List[Tuple[str, Metric]]:
    """fit's *metrics* (``"accuracy"`` and functions ``metric(outputs, target)``) as
    ``(name, function)`` pairs; each function raises NumberError when it gives no number."""
    if isinstance(metrics, str) or callable(metrics):
        metrics = (metrics,)
    if metrics is not None and (isinstance(metrics, (bytes, dict)) or
                                not hasattr(metrics, "__iter__")):
        raise NameLookupError("fit(metrics=%r): give a list of metrics, each 'accuracy' or a "
                              "function metric(outputs, target) -> number, or () for none"
                              % (metrics,))
    out = []
    for m in metrics or ():
        if m == "accuracy":
            out.append(("accuracy", lambda o, y: 1 if _hit(o, y) else 0))
        elif callable(m):
            out.append((getattr(m, "__name__", "metric"), _checked_metric(m)))
        else:
            raise NameLookupError("unknown metric %r: use 'accuracy' or a function "
                                  "metric(outputs, target) -> number" % (m,))
    return out


def _checked_metric(m: Metric) -> Metric:
    """*m*, raising NumberError when it returns something that is not a number."""
    name = getattr(m, "__name__", "metric")

    def metric(o: Sequence[Any], y: Sequence[Any]) -> Any:
        v = m(o, y)
        if not isinstance(v, (int, float, Decimal, Fraction)):
            raise NumberError("metric %r returned %s for outputs %r and target %r: a metric "
                              "must return a number (int, float, Decimal or Fraction)"
                              % (name, _short(v), list(o), list(y)))
        return v
    metric.__name__ = name
    return metric


def _short(v: Any) -> str:
    """The repr of *v* cut to 60 characters, and its type."""
    text = repr(v)
    return "%s (%s)" % (text if len(text) <= 60 else text[:57] + "...", type(v).__name__)


def _evaluate(net: Net, pairs: Pairs, L: Loss, mets: Sequence[Tuple[str, Any]],
              seq: bool = False) -> Tuple[Any, List[Any]]:
    """Mean loss and mean metrics over *pairs*, without touching any gradient."""
    num = net.number_system
    value_fn = net._ordered().bind_loss(num, L)[1]
    total = num.zero
    sums = [0] * len(mets)
    for i, (x, y) in enumerate(pairs):
        out = _run(net, x, seq)
        try:
            if seq:
                for o, t in zip(out, y):
                    if t is not None:
                        total = total + value_fn(o, t)
            else:
                total = total + value_fn(out, y)
        except ArithmeticError as e:            # (a Decimal loss that overflows)
            if isinstance(e, NeurographError):
                raise
            raise NumericalError("the loss %r of sample %d: %s: %s" % (
                getattr(L, "name", L), i, type(e).__name__, e)) from e
        for j, v in enumerate(_scores(mets, out, y, seq)):
            sums[j] += v
    n = len(pairs)
    return total / n, [s / n for s in sums]
