"""Training: the mini-batch fit loop, its History, accuracy and learning-rate schedules.

==============================  ================================================================
name                            what it is
==============================  ================================================================
``fit(net, data, ...)``         train for some epochs; returns a :class:`History`
``History``                     one row per epoch (loss, val_loss, accuracy, ...), printable
``accuracy(net, data)``         fraction of samples whose predicted class is the target's
``confusion_matrix(net, data)`` a printable :class:`ConfusionMatrix` (rows: true class)
``step_decay(lr, every, f)``    learning rate ``lr * f ** (epoch // every)``
``exponential_decay(lr, g)``    learning rate ``lr * g ** epoch``
``EarlyStopping(patience)``     stop when the monitored loss stops improving
==============================  ================================================================

Each step uses the mean gradient of a mini-batch, every sample's gradient
taken at the pre-step weights (``w <- w - (lr / m) * sum dC_x/dw`` for
SGD); the definition is in :func:`fit` and ``docs/training.md``.

>>> import neurograph as ng
>>> net = ng.Net.dense([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=1)
>>> h = ng.fit(net, ng.datasets.xor(), epochs=300, batch_size=4, optimizer="adam", lr=0.05,
...            loss="cross_entropy", seed=0, verbose=0)
>>> len(h), h.rows[-1]["accuracy"], ng.accuracy(net, ng.datasets.xor())
(300, 1.0, 1.0)
>>> h.metric("loss")[-1] < h.metric("loss")[0]
True
"""

from __future__ import annotations

import math
import random
import signal
import sys
import threading
import time
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .core import arithmetic, rounding
from .datasets import Dataset
from .core.errors import NameLookupError, NumberError, NumericalError, ShapeError, StateError, suggest
from .core.losses import Loss, loss as _get_loss
from .core.arithmetic import number_text
from .core.net import Net
from .core.optim import SGD, Adam, Optimizer

__all__ = ["fit", "History", "accuracy", "confusion_matrix", "ConfusionMatrix",
           "Schedule", "step_decay", "exponential_decay", "EarlyStopping"]

Pairs = List[Tuple[List[Any], List[Any]]]


# ---------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Early stopping
# ---------------------------------------------------------------------------

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
    try:
        exact = Fraction(min_delta.strip() if isinstance(min_delta, str) else min_delta)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        raise bad from None
    if exact < 0:
        raise bad
    return exact


def _like(delta: Any, value: Any) -> Any:
    """*delta* (a checked min_delta) in the number type of the monitored *value*."""
    t = type(value)
    if t is type(delta) or t is int:
        return delta
    exact = _check_min_delta(delta)
    if t is Decimal:
        return Decimal(exact.numerator) / exact.denominator
    if t is Fraction:
        return exact
    return float(exact)


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------

class History:
    """What :func:`fit` measured, one row (a dict) per completed epoch.

    Every row has ``"epoch"`` (1 for the first), ``"lr"``, ``"loss"`` (mean
    training loss of the epoch's samples, each taken before its own step),
    ``"val_loss"`` (after the epoch; None without validation data) and for
    each metric ``name`` its training value and ``"val_" + name``.
    ``interrupted`` is True when Ctrl-C ended training; ``stopped_early`` is
    the epoch at which early stopping (or a callback returning False) ended it.

    >>> h = History([{"epoch": 1, "lr": 0.5, "loss": 0.25, "val_loss": None}])
    >>> h.metric("loss"), h.interrupted
    ([0.25], False)
    >>> print(h)
    epoch   lr  loss  val_loss
    -----  ---  ----  --------
        1  0.5  0.25         -
    """

    def __init__(self, rows: Optional[List[Dict[str, Any]]] = None) -> None:
        self.rows: List[Dict[str, Any]] = list(rows or [])
        self.interrupted = False
        self.stopped_early: Optional[int] = None
        #: the epoch whose weights early stopping put back (None if it did not)
        self.restored_epoch: Optional[int] = None
        #: samples trained on in the epoch that was interrupted (0 if none)
        self.partial_samples = 0

    def metric(self, name: str) -> List[Any]:
        """One value per epoch of column *name* ("loss", "val_accuracy", ...).

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> h.metric("loss")
        [0.5, 0.25]
        >>> h.metric("accuracy")
        Traceback (most recent call last):
        ...
        neurograph.NameLookupError: History has no column 'accuracy'; columns: epoch, loss
        """
        if self.rows and name not in self.rows[0]:
            raise NameLookupError("History has no column %r; columns: %s" % (
                name, ", ".join(self.rows[0])))
        return [r.get(name) for r in self.rows]

    @property
    def columns(self) -> List[str]:
        """The column names, in the order of the first row (empty before the first epoch)."""
        return list(self.rows[0]) if self.rows else []

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __getitem__(self, i: int) -> Dict[str, Any]:
        return self.rows[i]

    def __repr__(self) -> str:
        flag = ", interrupted" if self.interrupted else ""
        if self.stopped_early is not None:
            flag += ", stopped early"
        if not self.rows:
            return "History(0 epochs%s)" % flag
        return "History(%d epochs, loss %s -> %s%s)" % (
            len(self.rows), number_text(self.rows[0]["loss"], 6), number_text(self.rows[-1]["loss"], 6), flag)

    def table(self, max_rows: int = 20) -> str:
        """The rows as a text table; long histories show their first and last rows.

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": e, "loss": 1 / e} for e in range(1, 6)])
        >>> print(h.table(max_rows=2))
        epoch  loss
        -----  ----
            1     1
          ...   ...
            5   0.2
        """
        cols = self.columns
        if not cols:
            return "(no epochs)"
        rows = self.rows
        skip = None
        if len(rows) > max_rows:
            head = max_rows // 2
            skip = len(rows) - max_rows + head
            rows = rows[:head] + rows[skip:]
        cells = [["-" if r.get(c) is None else str(r[c]) if c == "epoch" else number_text(r[c], 6)
                  for c in cols] for r in rows]
        widths = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in enumerate(cols)]
        lines = ["  ".join(c.rjust(w) for c, w in zip(cols, widths)),
                 "  ".join("-" * w for w in widths)]
        for i, row in enumerate(cells):
            if skip is not None and i == max_rows // 2:
                lines.append("  ".join("...".rjust(w) for w in widths))
            lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        if self.interrupted:
            lines.append("(interrupted)")
        elif self.stopped_early is not None:
            lines.append("(stopped early after epoch %d%s)" % (
                self.stopped_early, "" if self.restored_epoch is None else
                "; the weights of epoch %d were put back" % self.restored_epoch))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def to_svg(self, **options: Any) -> str:
        """A standalone SVG chart of the loss curves (see :mod:`neurograph.draw`).

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> h.to_svg().startswith("<svg xmlns=")
        True
        """
        from .draw import history_svg
        return history_svg(self, **options)

    def save_svg(self, path: Any, **options: Any) -> None:
        """Write :meth:`to_svg` to *path*.

        >>> import os, tempfile
        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> path = os.path.join(tempfile.mkdtemp(), "loss.svg")
        >>> h.save_svg(path)
        >>> open(path).read() == h.to_svg()
        True
        """
        from .draw import history_svg, write_svg
        write_svg(history_svg(self, **options), path)

    def _repr_svg_(self) -> str:
        from .draw import history_svg
        return history_svg(self)


# ---------------------------------------------------------------------------
# Data, predictions, accuracy
# ---------------------------------------------------------------------------

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


def _predict_class(out: Sequence[Any], threshold: Any = 0.5) -> int:
    if len(out) == 1:
        return 1 if out[0] >= threshold else 0
    best = 0
    for j in range(1, len(out)):
        if out[j] > out[best]:
            best = j
    return best


def _hit(out: Sequence[Any], y: Sequence[Any]) -> bool:
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


class ConfusionMatrix:
    """Counts of (true class, predicted class); ``matrix[true][predicted]``.

    >>> cm = ConfusionMatrix([[5, 1], [0, 4]], ["no", "yes"])
    >>> cm.accuracy, cm.recall(), cm.precision()
    (0.9, [0.8333333333333334, 1.0], [1.0, 0.8])
    >>> print(cm)
    true \\ predicted  no  yes
    ----------------  --  ---
                  no   5    1
                 yes   0    4
    accuracy 0.9 (9 of 10)
    """

    def __init__(self, matrix: List[List[int]], class_names: Sequence[str]) -> None:
        self.matrix = [list(r) for r in matrix]
        self.class_names = list(class_names)

    @property
    def total(self) -> int:
        """The number of samples counted (the sum of all cells)."""
        return sum(map(sum, self.matrix))

    @property
    def correct(self) -> int:
        """The number of samples predicted correctly (the sum of the diagonal)."""
        return sum(self.matrix[i][i] for i in range(len(self.matrix)))

    @property
    def accuracy(self) -> float:
        """``correct / total`` (0.0 when nothing was counted)."""
        return self.correct / self.total if self.total else 0.0

    def recall(self) -> List[float]:
        """Per true class: the fraction predicted correctly.

        >>> import neurograph as ng
        >>> ng.ConfusionMatrix([[3, 1], [0, 4]], ["no", "yes"]).recall()
        [0.75, 1.0]
        """
        return [r[i] / sum(r) if sum(r) else 0.0 for i, r in enumerate(self.matrix)]

    def precision(self) -> List[float]:
        """Per predicted class: the fraction that was right.

        >>> import neurograph as ng
        >>> ng.ConfusionMatrix([[3, 1], [0, 4]], ["no", "yes"]).precision()
        [1.0, 0.8]
        """
        n = len(self.matrix)
        cols = [sum(self.matrix[i][j] for i in range(n)) for j in range(n)]
        return [self.matrix[j][j] / c if c else 0.0 for j, c in enumerate(cols)]

    def __str__(self) -> str:
        corner = "true \\ predicted"
        names = self.class_names
        w0 = max([len(corner)] + [len(c) for c in names])
        ws = [max(len(c), max(len(str(r[j])) for r in self.matrix)) for j, c in enumerate(names)]
        lines = ["  ".join([corner.rjust(w0)] + [c.rjust(w) for c, w in zip(names, ws)]),
                 "  ".join(["-" * w0] + ["-" * w for w in ws])]
        for name, row in zip(names, self.matrix):
            lines.append("  ".join([name.rjust(w0)] + [str(v).rjust(w) for v, w in zip(row, ws)]))
        lines.append("accuracy %s (%d of %d)" % (number_text(self.accuracy, 6), self.correct, self.total))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "ConfusionMatrix(%d classes, accuracy %s)" % (len(self.matrix), number_text(self.accuracy, 6))


def confusion_matrix(net: Net, data: Any, class_names: Optional[Sequence[str]] = None
                     ) -> ConfusionMatrix:
    """Count true class against predicted class over *data* (see :func:`accuracy`).

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
    >>> net["i1->o1"].weight, net["i2->o1"].weight, net["o1"].bias.value = 10.0, 10.0, -5.0
    >>> ng.confusion_matrix(net, ng.datasets.logic("and")).matrix
    [[1, 2], [0, 1]]
    """
    pairs = _pairs(net, data, "data")
    if class_names is None and isinstance(data, Dataset) and data.class_names:
        class_names = data.class_names
    n_out = len(pairs[0][1])
    k = 2 if n_out == 1 else n_out
    if class_names is None:
        class_names = [str(j) for j in range(k)]
    if len(class_names) != k:
        raise ShapeError("confusion_matrix: %d class names for %d classes" % (len(class_names), k))
    m = [[0] * k for _ in range(k)]
    for x, y in pairs:
        m[_predict_class(y)][_predict_class(net.forward(x))] += 1
    return ConfusionMatrix(m, class_names)


# ---------------------------------------------------------------------------
# Progress bar (stderr, only on a terminal)
# ---------------------------------------------------------------------------

_SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def sparkline(values: Sequence[Any], width: int = 20) -> str:
    """Block characters for the last *width* values, scaled between their min and max.

    >>> sparkline([4, 3, 2, 1, 1])
    '\u2588\u2586\u2583\u2581\u2581'
    """
    vals = [float(v) for v in values[-width:] if v is not None]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    span = hi - lo
    if not span > 0:
        return _SPARK[0] * len(vals)
    return "".join(_SPARK[min(7, int((v - lo) / span * 7 + 0.5))] for v in vals)


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)


class _Progress:
    def __init__(self, stream: Any, epochs: int, n: int, batch_size: int) -> None:
        self.stream = stream
        self.epochs = epochs
        self.n = n
        self.batches = (n + batch_size - 1) // batch_size
        self.batch_size = batch_size
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0
        self.losses: List[Any] = []

    def update(self, epoch: int, batch: int, seen: int, loss: Any, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        total = self.epochs * self.n
        done = self.done + seen
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0.0
        width = 20
        fill = int(width * seen / self.n) if self.n else width
        bar = "#" * fill + "." * (width - fill)
        self.stream.write("\repoch %d/%d [%s] batch %d/%d loss %s  %.0f samples/s  ETA %s  %s\x1b[K"
                          % (epoch, self.epochs, bar, batch, self.batches, number_text(loss, 4), rate,
                             _clock(eta), sparkline(self.losses + [loss])))
        self.stream.flush()

    def end_epoch(self, epoch: int, row: Dict[str, Any]) -> None:
        self.update(epoch, self.batches, self.n, row["loss"], force=True)
        self.losses.append(row["loss"])
        self.done += self.n
        extra = "".join("  %s %s" % (k, number_text(v, 4)) for k, v in row.items()
                        if k not in ("epoch", "lr", "loss") and v is not None)
        self.stream.write(extra + "\n")
        self.stream.flush()


# ---------------------------------------------------------------------------
# The fit loop
# ---------------------------------------------------------------------------

class _Deferred:
    """SIGINT handler for the main thread: the first Ctrl-C asks training to stop at the next
    sample boundary; a second one raises KeyboardInterrupt at once."""

    def __init__(self) -> None:
        self.requested = False
        self.old: Any = None
        self.installed = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        try:
            if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
                return           # someone else handles Ctrl-C: leave it alone
            self.old = signal.signal(signal.SIGINT, self)
            self.installed = True
        except (ValueError, OSError):  # pragma: no cover - embedded interpreters
            pass

    def remove(self) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.old)
            self.installed = False


class _Stop(Exception):
    pass


def _make_optimizer(net: Net, optimizer: Any, lr: Any) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if optimizer.net is not net:
            raise StateError("the optimizer %r belongs to another net: build it with this net"
                             % (optimizer,))
        if lr is not None:
            optimizer.lr = lr
        return optimizer
    if isinstance(optimizer, str):
        name = optimizer.lower()
        if name == "sgd":
            return SGD(net, lr="0.1" if lr is None else lr)
        if name == "adam":
            return Adam(net, lr="0.001" if lr is None else lr)
        raise NameLookupError("unknown optimizer %r%s; known: 'sgd', 'adam' (or pass an "
                              "ng.SGD / ng.Adam instance)" % (optimizer, suggest(name, ["sgd", "adam"])))
    raise NameLookupError("optimizer must be 'sgd', 'adam' or an Optimizer, got %r"
                          % (optimizer,))


def _metrics(metrics: Any) -> List[Tuple[str, Callable[[Sequence[Any], Sequence[Any]], Any]]]:
    if isinstance(metrics, str):
        metrics = (metrics,)
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


def _checked_metric(m: Callable[[Sequence[Any], Sequence[Any]], Any]
                    ) -> Callable[[Sequence[Any], Sequence[Any]], Any]:
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
    text = repr(v)
    return "%s (%s)" % (text if len(text) <= 60 else text[:57] + "...", type(v).__name__)


def _positive_int(value: Any, what: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise NumberError("fit(%s=%r): give a whole number >= %d" % (what, value, low))
    return value


def fit(net: Net, data: Any, epochs: int = 10, batch_size: int = 1, optimizer: Any = "sgd",
        loss: Any = "half_sse", *, lr: Any = None, shuffle: bool = True, seed: Optional[int] = 0,
        validation: Any = None, metrics: Any = ("accuracy",), early_stopping: Any = None,
        callbacks: Sequence[Callable[[str, Dict[str, Any]], Any]] = (),
        schedule: Any = None, update: str = "batch", verbose: Optional[int] = None,
        sequences: Optional[bool] = None, truncate: Optional[int] = None) -> History:
    """Train *net* on *data* and return the :class:`History`.

    *data* (and *validation*) is a :class:`~neurograph.datasets.Dataset` or a
    list of ``(input, target)`` pairs; every sample is converted to the net's
    number type and checked before the first step, so bad data changes
    nothing.  Each epoch visits every sample once, in an order shuffled by
    ``random.Random(seed)`` (the same seed gives bit-identical weights), in
    batches of *batch_size*: each sample's gradient is taken at the pre-step
    weights, the batch's summed gradient is divided by its size *m* and the
    optimizer takes one step (``w <- w - (lr / m) * sum dC_x/dw`` for SGD).

    *optimizer* is an :class:`~neurograph.Optimizer` of this net or ``"sgd"``
    / ``"adam"`` with learning rate *lr* (default 0.1 / 0.001).  *loss* is a
    loss name or :class:`~neurograph.Loss`.  *schedule* sets ``optimizer.lr``
    before every epoch: a :class:`Schedule` or any callable of the epoch
    index (0 for the first).  *update* ``"immediate"`` (``batch_size=1``
    only) steps each layer as soon as its gradients are known, going back.

    *metrics*: ``"accuracy"`` and functions ``metric(outputs, target)``
    averaged over the samples (during the epoch for training, after it for
    validation).  *early_stopping*: a patience (int) or an
    :class:`EarlyStopping`.  *callbacks*: functions ``cb(event, info)`` with
    event ``"epoch_begin"``, ``"sample"``, ``"batch_end"`` or ``"epoch_end"``
    and *info* a dict (``net``, ``optimizer``, ``epoch``, ``batch``,
    ``history``, and ``row`` at epoch end); returning False stops training
    after that event.

    A recurrent net (one with delayed connections, or *sequences* True)
    trains on sequences: *data* is a list of ``(xs, ys)`` pairs, xs one input
    list per step and ys one target list (or None) per step, such as
    ``ng.datasets.echo()``.  Each sequence is one sample: ``forward_sequence``,
    then ``backward_sequence`` (back-propagation through time, *truncate*
    steps if given); its loss is the sum over its steps and a metric its
    mean over the steps with a target.

    Ctrl-C stops between samples: the weights are those before or after the
    step in progress, never a mix, and the history so far comes back with
    ``interrupted=True``.  *verbose*: None (a progress bar when stderr is a
    terminal), 0 (quiet), 1 (bar on a terminal), 2 (one line per epoch).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> h = ng.fit(ex.net, [(ex.x, ex.y)], epochs=1, optimizer=ng.SGD(ex.net, lr=ex.lr),
    ...            metrics=(), verbose=0)
    >>> round(ex.net["w5"].weight, 8), round(ex.net.loss(ex.x, ex.y), 9)
    (0.35891648, 0.291027774)
    """
    if not isinstance(net, Net):
        raise StateError("fit() trains a Net; got %r" % (net,))
    epochs = _positive_int(epochs, "epochs", 0)
    batch_size = _positive_int(batch_size, "batch_size")
    if update not in ("batch", "immediate"):
        raise NameLookupError("fit(update=%r): use 'batch' (every delta from the pre-step "
                              "weights) or 'immediate' (each layer stepped as soon as its "
                              "gradients are known)" % (update,))
    immediate = update == "immediate"
    seq = _is_sequences(net, sequences)
    if seq and immediate:
        raise StateError("fit(update='immediate') does not work through time: a weight is used "
                         "at every step; use update='batch'")
    if truncate is not None and not seq:
        raise StateError("fit(truncate=%r) is for sequences (a net with delayed connections)"
                         % (truncate,))
    if immediate and batch_size != 1:
        raise StateError("fit(update='immediate') steps after every sample: use batch_size=1")
    if verbose not in (None, 0, 1, 2):
        raise NumberError("fit(verbose=%r): use None, 0, 1 or 2" % (verbose,))
    L = _get_loss(loss)
    net._ordered().bind_loss(net.number_system, L)   # fail now on a bad loss/number pair
    read = _sequence_pairs if seq else _pairs
    pairs = read(net, data, "training data")
    val_pairs = read(net, validation, "validation data") if validation is not None else None
    mets = _metrics(metrics)
    if mets:                      # a metric that returns no number fails before any step
        before = net._numbers()   # (the trial pass leaves the net as it was)
        try:
            _scores(mets, _run(net, pairs[0][0], seq), pairs[0][1], seq)
        finally:
            net._restore(before)
    opt = _make_optimizer(net, optimizer, lr)
    if schedule is not None and not callable(schedule):
        raise NumberError("fit(schedule=%r): give a Schedule or a function of the epoch"
                          % (schedule,))
    if isinstance(early_stopping, int) and not isinstance(early_stopping, bool):
        early_stopping = EarlyStopping(patience=early_stopping)
    elif early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise NumberError("fit(early_stopping=%r): give a patience or an EarlyStopping"
                          % (early_stopping,))
    callbacks = list(callbacks)
    for cb in callbacks:
        if not callable(cb):
            raise NumberError("fit(callbacks=...): %r is not callable" % (cb,))

    num = net.number_system
    rnd = rounding.rounder(num)
    n = len(pairs)
    order = list(range(n))
    rng = random.Random(seed)
    history = History()
    params = net.parameters()
    stream = sys.stderr
    tty = bool(getattr(stream, "isatty", lambda: False)())
    progress = _Progress(stream, epochs, n, batch_size) if (
        verbose == 2 or (verbose in (None, 1) and tty)) else None
    monitor = None
    best: Any = None
    best_values: Optional[List[Any]] = None
    best_epoch = 0
    waited = 0
    check_finite = num.type is float     # Decimal and Fraction raise instead of making NaN
    if early_stopping is not None:
        monitor = early_stopping.monitor or ("val_loss" if val_pairs is not None else "loss")
        valid = {"loss", "val_loss"} | {m for m, _ in mets} | {"val_" + m for m, _ in mets}
        if monitor not in valid:
            raise NameLookupError("EarlyStopping(monitor=%r): fit measures %s" % (
                monitor, ", ".join(sorted(valid))))
        if monitor.startswith("val_") and val_pairs is None:
            raise StateError("EarlyStopping(monitor=%r) needs validation data" % monitor)
    lower_better = monitor is not None and "loss" in monitor

    snapshot: Optional[Tuple[List[Any], Any]] = None

    def take_snapshot() -> Tuple[List[Any], Any]:
        """Every weight and the optimizer's state, to put back with put_back()."""
        return [p.value for p in params], opt._numbers()

    def put_back(saved: Tuple[List[Any], Any]) -> None:
        for p, v in zip(params, saved[0]):
            p.value = v
        opt._restore(saved[1])

    def tell(event: str, info: Dict[str, Any]) -> bool:
        stop = False
        for cb in callbacks:
            if cb(event, info) is False:
                stop = True
        return stop

    deferred = _Deferred()
    deferred.install()
    stop = False
    seen = 0
    try:
        for epoch in range(epochs):
            if schedule is not None:
                opt.lr = schedule.at(epoch, num) if isinstance(schedule, Schedule) \
                    else schedule(epoch)
            if shuffle:
                rng.shuffle(order)
            info: Dict[str, Any] = {"net": net, "optimizer": opt, "epoch": epoch + 1,
                                    "batch": 0, "history": history}
            if callbacks and tell("epoch_begin", info):
                stop = True
            epoch_start = take_snapshot() if check_finite else None
            total = num.zero
            sums = [0] * len(mets)
            seen = 0
            batch = 0
            net.zero_grad()
            for b0 in range(0, n, batch_size):
                if stop:
                    break
                idx = order[b0:b0 + batch_size]
                batch += 1
                for i in idx:
                    if deferred.requested:
                        raise _Stop
                    x, y = pairs[i]
                    if seq:                # a sequence: through time
                        out = net.forward_sequence(x)
                        cost = net.backward_sequence(y, L, truncate=truncate)
                    elif immediate:
                        out = net.forward(x)
                        snapshot = take_snapshot()
                        cost = net.backward(y, L, step=opt)
                        snapshot = None
                        net.zero_grad()
                    else:
                        out = net.forward(x)
                        cost = net.backward(y, L)
                    total = total + cost
                    for j, v in enumerate(_scores(mets, out, y, seq)):
                        sums[j] += v
                    seen += 1
                    if callbacks:
                        info["batch"] = batch
                        if tell("sample", info):
                            stop = True
                if not immediate:
                    if deferred.requested:
                        raise _Stop
                    snapshot = take_snapshot()
                    m = len(idx)
                    if m > 1:                      # the batch mean: (1/m) sum_x dC_x/dw
                        for p in params:
                            g = p.grad / m
                            p.grad = g if rnd is None else rnd(g)
                    opt.step()
                    snapshot = None
                    net.zero_grad()
                if callbacks:
                    info["batch"] = batch
                    if tell("batch_end", info):
                        stop = True
                if progress is not None and verbose != 2:
                    progress.update(epoch + 1, batch, seen, total / seen)
            if seen < n:                            # a callback stopped mid-epoch
                history.partial_samples = seen
                history.stopped_early = epoch
                break
            row: Dict[str, Any] = {"epoch": epoch + 1, "lr": opt.lr, "loss": total / n}
            if epoch_start is not None and not (math.isfinite(row["loss"]) and
                                                all(math.isfinite(p.value) for p in params)):
                _diverged(net, epoch + 1, row["loss"], lambda: put_back(epoch_start), history)
            val_out = None
            if val_pairs is not None:
                val_out = _evaluate(net, val_pairs, L, mets, seq)
                row["val_loss"] = val_out[0]
                if epoch_start is not None and not math.isfinite(val_out[0]):
                    _diverged(net, epoch + 1, val_out[0], lambda: put_back(epoch_start), history,
                              "the validation loss")
            else:
                row["val_loss"] = None
            for j, (name, _) in enumerate(mets):
                row[name] = sums[j] / n
                row["val_" + name] = None if val_out is None else val_out[1][j]
            history.rows.append(row)
            seen = 0
            if progress is not None:
                progress.end_epoch(epoch + 1, row)
            if callbacks:
                info["row"] = row
                if tell("epoch_end", info):
                    stop = True
            if early_stopping is not None:
                value = row[monitor]
                delta = _like(early_stopping.min_delta, value)
                better = best is None or (value < best - delta if lower_better
                                          else value > best + delta)
                if better:
                    best, waited, best_epoch = value, 0, epoch + 1
                    if early_stopping.restore_best:
                        best_values = [p.value for p in params]
                else:
                    waited += 1
                    if waited >= early_stopping.patience:
                        if best_values is not None:
                            for p, v in zip(params, best_values):
                                p.value = v
                            history.restored_epoch = best_epoch
                        stop = True
            if stop:
                if history.stopped_early is None:
                    history.stopped_early = epoch + 1
                break
        if deferred.requested:                      # Ctrl-C after the last sample
            history.interrupted = True
    except (KeyboardInterrupt, _Stop):
        if snapshot is not None:                    # a step was in progress: undo all of it
            put_back(snapshot)
        net.zero_grad()
        history.interrupted = True
        history.partial_samples = seen
        if progress is not None:
            stream.write("\ninterrupted\n")
    finally:
        deferred.remove()
    return history


def _diverged(net: Net, epoch: int, loss: Any, put_back: Callable[[], None],
              history: "History", which: str = "the loss") -> None:
    """Put back the weights of the epoch's start and raise NumericalError naming what broke."""
    bad = next(((p.name, p.value) for p in net.parameters() if not math.isfinite(p.value)), None)
    put_back()
    net.zero_grad()
    what = ("parameter %r became %r" % bad if bad is not None
            else "%s became %r" % (which, loss))
    err = NumericalError(
        "training diverged in epoch %d: %s; the weights from the start of that epoch were put "
        "back. Lower the learning rate, scale the inputs, or run one epoch inside "
        "ng.detect_anomaly() to find the first NaN or infinity" % (epoch, what))
    err.history = history  # type: ignore[attr-defined]
    raise err


def _evaluate(net: Net, pairs: Pairs, L: Loss, mets: Sequence[Tuple[str, Any]],
              seq: bool = False) -> Tuple[Any, List[Any]]:
    """Mean loss and mean metrics over *pairs*, without touching any gradient."""
    num = net.number_system
    value_fn = net._ordered().bind_loss(num, L)[1]
    total = num.zero
    sums = [0] * len(mets)
    for x, y in pairs:
        out = _run(net, x, seq)
        if seq:
            for o, t in zip(out, y):
                if t is not None:
                    total = total + value_fn(o, t)
        else:
            total = total + value_fn(out, y)
        for j, v in enumerate(_scores(mets, out, y, seq)):
            sums[j] += v
    n = len(pairs)
    return total / n, [s / n for s in sums]
