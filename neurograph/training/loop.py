"""The fit loop: epochs of mini-batches, each sample's gradient at the pre-step weights.

==============================  ===============================================================
name                            what it is
==============================  ===============================================================
``fit(net, data, ...)``         train for some epochs; returns a :class:`History`
``_Training(setup)``            one run: epochs, batches, samples, steps, history rows, early
                                stopping, Ctrl-C and progress
``_diverged(net, epoch, ...)``  the NumericalError for a float loss or weight gone inf or NaN
==============================  ===============================================================

The arguments are checked (and the data converted) by
:class:`~neurograph.training.arguments._Setup` before anything changes; the
loop then only trains.  Each step uses the mean gradient of a mini-batch
(``w <- w - (lr / m) * sum dC_x/dw`` for SGD).

>>> import neurograph as ng
>>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
>>> h = fit(net, ng.datasets.logic("or"), epochs=3, lr=2, verbose=0)
>>> h.columns, h.metric("loss")[-1] < h.metric("loss")[0]
(['epoch', 'lr', 'loss', 'val_loss', 'accuracy', 'val_accuracy'], True)
"""

from __future__ import annotations

import math
import random
import sys
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..core import rounding
from ..core.arithmetic import number_text
from ..core.errors import NumericalError
from ..core.net import Net
from ..debugging.snapshot import Snapshot
from .arguments import _Setup
from .interrupts import _Deferred, _Stop
from .progress import progress_for
from .records import History
from .samples import _scores
from .scoring import _evaluate

__all__ = ["fit"]

Weights = Tuple[List[Any], Any]     # every weight, and the optimizer's numbers


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
    terminal), 0 (quiet), 1 (bar on a terminal), 2 (one line per epoch); under
    a Jupyter kernel (None, 1 or 2) one display updated in place instead, which
    ends with a summary line.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> h = ng.fit(ex.net, [(ex.x, ex.y)], epochs=1, optimizer=ng.SGD(ex.net, lr=ex.lr),
    ...            metrics=(), verbose=0)
    >>> round(ex.net["w5"].weight, 8), round(ex.net.loss(ex.x, ex.y), 9)
    (0.35891648, 0.291027774)
    """
    setup = _Setup(net, data, epochs, batch_size, optimizer, loss, lr, shuffle, seed, validation,
                   metrics, early_stopping, callbacks, schedule, update, verbose, sequences,
                   truncate)
    return _Training(setup).run()


class _Training:
    """One run of :func:`fit`: what the loop keeps between samples, batches and epochs.

    ``snapshot`` holds the weights and optimizer state while a step is in
    progress, so that Ctrl-C (or a second one, raising KeyboardInterrupt
    anywhere) puts them back; ``seen`` counts the epoch's samples so far.
    """

    def __init__(self, setup: _Setup) -> None:
        self.s = setup
        self.net, self.opt, self.pairs = setup.net, setup.optimizer, setup.pairs
        self.num = self.net.number_system
        self.rnd = rounding.rounder(self.num)
        self.n = len(self.pairs)
        self.order = list(range(self.n))
        self.rng = random.Random(setup.seed)
        self.history = History()
        self.params = self.net.parameters()
        self.stream = sys.stderr
        self.progress = progress_for(setup.verbose, self.stream, setup.epochs, self.n,
                                     setup.batch_size)
        self.check_finite = self.num.type is float   # Decimal and Fraction raise, not make NaN
        self.snapshot: Optional[Weights] = None
        self.deferred = _Deferred()
        self.stop = False
        self.seen = 0
        self.total: Any = self.num.zero
        self.sums: List[Any] = []
        self.info: Dict[str, Any] = {}

    # -- the run: epochs, Ctrl-C ------------------------------------------------
    def run(self) -> History:
        """Train every epoch (or until something stops it) and return the history."""
        self.deferred.install()
        try:
            for epoch in range(self.s.epochs):
                if self.epoch(epoch):
                    break
            if self.deferred.requested:                 # Ctrl-C after the last sample
                self.history.interrupted = True
        except (KeyboardInterrupt, _Stop):
            if self.snapshot is not None:               # a step was in progress: undo all of it
                self.put_back(self.snapshot)
            self.net.zero_grad()
            self.history.interrupted = True
            self.history.partial_samples = self.seen
            if self.progress is not None:
                self.progress.interrupt()
        except Exception as e:                          # (e.g. NumericalError: the display ends)
            if self.progress is not None:
                self.progress.finish(self.history, e)
            raise
        finally:
            self.deferred.remove()
        if self.progress is not None:
            self.progress.finish(self.history)
        return self.history

    def take_snapshot(self) -> Weights:
        """Every weight and the optimizer's state, to put back with :meth:`put_back`."""
        return [p.value for p in self.params], self.opt._numbers()

    def put_back(self, saved: Weights) -> None:
        """Restore the weights and optimizer state of a :meth:`take_snapshot`."""
        for p, v in zip(self.params, saved[0]):
            p.value = v
        self.opt._restore(saved[1])

    def put_back_epoch(self, start: Tuple[Snapshot, Any]) -> None:
        """The net as it was when the epoch started (every weight, gradient, neuron's number
        and record of the last pass), and the optimizer's state."""
        start[0].restore()
        self.opt._restore(start[1])

    def tell(self, event: str) -> None:
        """Call every callback with *event*; one returning False stops training after it."""
        for cb in self.s.callbacks:
            if cb(event, self.info) is False:
                self.stop = True

    # -- one epoch ----------------------------------------------------------------
    def epoch(self, epoch: int) -> bool:
        """Train epoch index *epoch*; True when training ends with it (or inside it)."""
        s = self.s
        if s.schedule is not None:
            self.opt.lr = s.scheduled_lr(epoch)
        if s.shuffle:
            self.rng.shuffle(self.order)
        self.info = {"net": self.net, "optimizer": self.opt, "epoch": epoch + 1, "batch": 0,
                     "history": self.history}
        self.tell("epoch_begin")
        epoch_start = Snapshot(self.net), self.opt._numbers()    # (put back if it diverges)
        self.total, self.sums, self.seen = self.num.zero, [0] * len(s.metrics), 0
        self.net.zero_grad()
        try:
            for batch, b0 in enumerate(range(0, self.n, s.batch_size), start=1):
                if self.stop:
                    break
                self.batch(epoch, batch, self.order[b0:b0 + s.batch_size])
        except NumericalError as e:                 # an overflow in a pass or a step
            _diverged(self.net, epoch + 1, None, lambda: self.put_back_epoch(epoch_start),
                      self.history, error=e)
        if self.seen < self.n:                      # a callback stopped mid-epoch
            self.history.partial_samples = self.seen
            self.history.stopped_early = epoch
            return True
        row = self.row(epoch, epoch_start)
        self.history.rows.append(row)
        self.seen = 0
        if self.progress is not None:
            self.progress.end_epoch(epoch + 1, row)
        self.info["row"] = row
        self.tell("epoch_end")
        if s.watch is not None and s.watch.update(row, self.params):
            self.history.restored_epoch = s.watch.restored
            self.stop = True
        if self.stop and self.history.stopped_early is None:
            self.history.stopped_early = epoch + 1
        return self.stop

    def batch(self, epoch: int, batch: int, idx: List[int]) -> None:
        """Every sample of one batch (number *batch*, from 1), then the batch's step."""
        s = self.s
        for i in idx:
            if self.deferred.requested:
                raise _Stop
            x, y = self.pairs[i]
            out, cost = self.sample(x, y)
            self.total = self.total + cost
            for j, v in enumerate(_scores(s.metrics, out, y, s.seq)):
                self.sums[j] += v
            self.seen += 1
            self.info["batch"] = batch
            self.tell("sample")
        if not s.immediate:
            if self.deferred.requested:
                raise _Stop
            self.step(len(idx))
        self.info["batch"] = batch
        self.tell("batch_end")
        if self.progress is not None and s.verbose != 2:
            self.progress.update(epoch + 1, batch, self.seen, self.total / self.seen, metrics={
                name: self.sums[j] / self.seen for j, (name, _) in enumerate(s.metrics)})

    def sample(self, x: Any, y: Any) -> Tuple[Any, Any]:
        """Forward and backward for one sample (a sequence: through time); its outputs and
        loss.  With update="immediate" the backward pass also steps, layer by layer."""
        net, s = self.net, self.s
        if s.seq:
            out = net.forward_sequence(x)
            return out, net.backward_sequence(y, s.loss, truncate=s.truncate)
        out = net.forward(x)
        if not s.immediate:
            return out, net.backward(y, s.loss)
        self.snapshot = self.take_snapshot()
        cost = net.backward(y, s.loss, step=self.opt)
        self.snapshot = None
        net.zero_grad()
        return out, cost

    def step(self, m: int) -> None:
        """One optimizer step with the batch's mean gradient: ``(1/m) sum_x dC_x/dw``."""
        self.snapshot = self.take_snapshot()
        if m > 1:
            rnd = self.rnd
            for p in self.params:
                g = p.g / m
                p.g = g if rnd is None else rnd(g)
        self.opt.step()
        self.snapshot = None
        self.net.zero_grad()

    # -- the epoch's row ------------------------------------------------------------
    def row(self, epoch: int, epoch_start: Tuple[Snapshot, Any]) -> Dict[str, Any]:
        """The history row of the epoch just trained: lr, loss, validation loss and metrics;
        a float loss or weight gone inf or NaN puts back the epoch's start and raises."""
        s, n = self.s, self.n
        row: Dict[str, Any] = {"epoch": epoch + 1, "lr": self.opt.lr, "loss": self.total / n}
        if self.check_finite and not (math.isfinite(row["loss"]) and
                                      all(math.isfinite(p.value) for p in self.params)):
            _diverged(self.net, epoch + 1, row["loss"], lambda: self.put_back_epoch(epoch_start),
                      self.history)
        val_out = None
        if s.val_pairs is not None:
            try:
                val_out = _evaluate(self.net, s.val_pairs, s.loss, s.metrics, s.seq)
            except NumericalError as e:         # an output or loss that overflowed
                _diverged(self.net, epoch + 1, None, lambda: self.put_back_epoch(epoch_start),
                          self.history, "the validation loss", e)
            row["val_loss"] = val_out[0]
            if self.check_finite and not math.isfinite(val_out[0]):
                _diverged(self.net, epoch + 1, val_out[0], lambda: self.put_back_epoch(epoch_start),
                          self.history, "the validation loss")
        else:
            row["val_loss"] = None
        for j, (name, _) in enumerate(s.metrics):
            row[name] = self.sums[j] / n
            row["val_" + name] = None if val_out is None else val_out[1][j]
        return row


def _diverged(net: Net, epoch: int, loss: Any, put_back: Callable[[], None],
              history: History, which: str = "the loss", error: Any = None) -> None:
    """Put back the net as it was at the epoch's start (*put_back*: its weights, gradients and
    every record of its last pass, and the optimizer's state) and raise NumericalError naming
    what broke:
    a parameter that is not finite, *which* loss became *loss*, or the NumericalError *error*
    of a pass or a step (an overflow: its ``value``, if it has one, is what *which* became)."""
    bad = next(((p.name, p.value) for p in net.parameters()
                if not net.number_system.isfinite(p.value)), None)
    put_back()
    if error is not None:
        value = getattr(error, "value", None)
        what = str(error) if value is None else "%s became %s" % (which, number_text(value))
    elif bad is not None:
        what = "parameter %r became %s" % (bad[0], number_text(bad[1]))
    else:
        what = "%s became %s" % (which, number_text(loss))
    err = NumericalError(
        "training diverged in epoch %d: %s; the weights from the start of that epoch were put "
        "back. Lower the learning rate, scale the inputs, or run one epoch inside "
        "ng.detect_anomaly() to find the first NaN or infinity" % (epoch, what))
    err.history = history  # type: ignore[attr-defined]
    raise err from error
