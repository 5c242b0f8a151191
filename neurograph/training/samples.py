"""The samples training reads: converted to the net's number type and checked first.

====================================  ========================================================
name                                  what it does
====================================  ========================================================
``_pairs(net, data, what)``           ``(input, target)`` pairs of a Dataset or a list
``_sequence_pairs(net, data, what)``  ``(xs, ys)`` sequences for a recurrent net (a target
                                      or None per step)
``_is_sequences(net, sequences)``     whether the samples are sequences
``_run(net, x, seq)``                 the outputs of one sample
``_scores(metrics, out, y, seq)``     each metric of one sample (of a sequence: the mean
                                      over its steps with a target)
``Pairs``                             the type of what ``_pairs`` returns
====================================  ========================================================

Every sample is converted before the first step, so bad data changes nothing.

>>> import neurograph as ng
>>> from decimal import Decimal
>>> net = ng.Net.dense([2, 1], seed=0, number=Decimal)
>>> _pairs(net, [(["0.5", 1], [0])], "data")
[([Decimal('0.5'), Decimal('1')], [Decimal('0')])]
"""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Sequence, Tuple

from ..core.errors import NumberError, ShapeError
from ..core.net import Net
from ..datasets import Dataset

__all__ = ["Pairs"]

Pairs = List[Tuple[List[Any], List[Any]]]


def _pairs(net: Net, data: Any, what: str) -> Pairs:
    """The samples of *data* converted to the net's number type (all checked before training)."""
    if isinstance(data, Dataset):
        items: Iterable[Any] = zip(data.inputs, data.targets)
    elif isinstance(data, (list, tuple)):
        items = data
    else:
        raise ShapeError("%s must be a Dataset or a list of (input, target) pairs, got %r"
                         % (what, type(data).__name__))
    num = net.number_system
    order = net._ordered()
    n_in, n_out = len(order.inputs), len(order.outputs)
    out: Pairs = []
    for i, item in enumerate(items):
        try:
            x, y = item
        except (TypeError, ValueError):
            raise ShapeError("%s, sample %d: expected an (input, target) pair, got %r" % (
                what, i, item)) from None
        try:
            out.append((num.vector(x, n_in, "%s, sample %d: input" % (what, i)),
                        num.vector(y, n_out, "%s, sample %d: target" % (what, i))))
        except NumberError as e:
            hint = ""
            if num.type is not float:
                hint = (" (load the data with number=%s, or use dataset.convert(%s))"
                        % (num.name, num.name))
            raise NumberError("%s%s" % (e, hint)) from None
    if not out:
        raise ShapeError("%s has no samples" % what)
    return out


def _is_sequences(net: Net, sequences: Optional[bool]) -> bool:
    """True when samples are sequences: asked for, or the net has delayed connections."""
    if sequences is None:
        return bool(net._ordered().delayed)
    if not isinstance(sequences, bool):
        raise NumberError("sequences must be True, False or None (None: sequences when the net "
                          "has delayed connections), got %r" % (sequences,))
    return sequences


def _sequence_pairs(net: Net, data: Any, what: str) -> Pairs:
    """Sequences ``(xs, ys)`` (one input list and one target list or None per step), converted
    to the net's number type and checked before training."""
    if isinstance(data, Dataset) or not isinstance(data, (list, tuple)):
        raise ShapeError("%s of a recurrent net must be a list of (xs, ys) sequences: xs one "
                         "input list per step, ys one target list (or None) per step; got %r"
                         % (what, type(data).__name__))
    num = net.number_system
    order = net._ordered()
    n_in, n_out = len(order.inputs), len(order.outputs)
    out: Pairs = []
    for i, item in enumerate(data):
        try:
            xs, ys = item
            xs, ys = list(xs), list(ys)
        except (TypeError, ValueError):
            raise ShapeError("%s, sequence %d: expected an (xs, ys) pair of step lists, got %r"
                             % (what, i, item)) from None
        if not xs or len(xs) != len(ys):
            raise ShapeError("%s, sequence %d: %d input steps and %d targets: give one target "
                             "(or None) per step" % (what, i, len(xs), len(ys)))
        out.append(([num.vector(x, n_in, "%s, sequence %d, step %d: input" % (what, i, t))
                     for t, x in enumerate(xs)],
                    [None if y is None else num.vector(
                        y, n_out, "%s, sequence %d, step %d: target" % (what, i, t))
                     for t, y in enumerate(ys)]))
    if not out:
        raise ShapeError("%s has no sequences" % what)
    return out


def _run(net: Net, x: Any, seq: bool) -> Any:
    """The outputs of one sample (a list per step for a sequence)."""
    return net.forward_sequence(x) if seq else net.forward(x)


def _scores(mets: Sequence[Tuple[str, Any]], out: Any, y: Any, seq: bool) -> List[Any]:
    """Each metric of one sample; for a sequence, its mean over the steps with a target."""
    if not seq:
        return [fn(out, y) for _, fn in mets]
    steps = [(o, t) for o, t in zip(out, y) if t is not None]
    return [sum(fn(o, t) for o, t in steps) / len(steps) if steps else 0 for _, fn in mets]
