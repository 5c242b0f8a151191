"""The arguments of ``fit``, checked, and what they give: data, loss, metrics, optimizer.

===============================  ===============================================================
name                             what it does
===============================  ===============================================================
``_Setup(net, data, ...)``       every argument of ``fit`` checked, in the order fit always
                                 checked them; the data converted, the optimizer made
``_make_optimizer(net, o, lr)``  ``"sgd"``, ``"adam"`` or an Optimizer of this net, and the
                                 learning rate *lr* checked by ``core.optim.check_setting``
``_learning_rate(opt, value)``   a learning rate for *opt* (a schedule's), checked the same way
===============================  ===============================================================

Nothing about the net or the optimizer changes before every check has passed:
an optimizer passed in together with *lr* takes that learning rate last.

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], seed=0)
>>> _make_optimizer(net, "sgd", None)[0], _make_optimizer(net, "adam", "0.01")[0]
(SGD(lr=0.1, steps=0), Adam(lr=0.01, steps=0))
>>> _make_optimizer(net, "sgd", -1)
Traceback (most recent call last):
...
neurograph.NumberError: learning rate lr of SGD must be >= 0, got -1
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..core.errors import NameLookupError, NumberError, StateError, suggest
from ..core.losses import loss as _get_loss
from ..core.net import Net
from ..core.optim import SGD, Adam, Optimizer, check_setting
from ..core.wiring import check_seed
from ..debugging.snapshot import Snapshot, quietly
from .samples import _is_sequences, _pairs, _run, _scores, _sequence_pairs
from .schedules import Schedule
from .scoring import _metrics
from .stopping import EarlyStopping, _Watch

__all__: List[str] = []

_OPTIMIZERS = {"sgd": (SGD, "0.1"), "adam": (Adam, "0.001")}   # class, default lr


def _positive_int(value: Any, what: str, low: int = 1) -> int:
    """*value* as a whole number >= *low*, or NumberError naming fit's argument *what*."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise NumberError("fit(%s=%r): give a whole number >= %d" % (what, value, low))
    return value


def _learning_rate(opt: Optimizer, value: Any) -> Any:
    """*value* as *opt*'s learning rate, checked by the rule of every optimizer (>= 0)."""
    return check_setting(type(opt).__name__, "lr", value, opt.net.number_system)


def _make_optimizer(net: Net, optimizer: Any, lr: Any) -> Tuple[Optimizer, Any]:
    """The optimizer *optimizer* names (a new one, with learning rate *lr* when given; None) or
    is (unchanged; *lr* checked, for the caller to set once every check has passed)."""
    num = net.number_system
    if isinstance(optimizer, Optimizer):
        if optimizer.net is not net:
            raise StateError("the optimizer %r belongs to another net: build it with this net"
                             % (optimizer,))
        return optimizer, None if lr is None else _learning_rate(optimizer, lr)
    if isinstance(optimizer, str):
        name = optimizer.lower()
        if name in _OPTIMIZERS:
            cls, default = _OPTIMIZERS[name]
            return cls(net, lr=check_setting(cls.__name__, "lr", default if lr is None else lr,
                                             num)), None
        raise NameLookupError("unknown optimizer %r%s; known: 'sgd', 'adam' (or pass an "
                              "ng.SGD / ng.Adam instance)" % (optimizer, suggest(name, ["sgd", "adam"])))
    raise NameLookupError("optimizer must be 'sgd', 'adam' or an Optimizer, got %r"
                          % (optimizer,))


class _Setup:
    """Every argument of ``fit``, checked: what one training run needs."""

    def __init__(self, net: Any, data: Any, epochs: Any, batch_size: Any, optimizer: Any,
                 loss: Any, lr: Any, shuffle: Any, seed: Any, validation: Any, metrics: Any,
                 early_stopping: Any, callbacks: Any, schedule: Any, update: Any,
                 verbose: Any, sequences: Any, truncate: Any) -> None:
        if not isinstance(net, Net):
            raise StateError("fit() trains a Net; got %r" % (net,))
        self.net = net
        self._check_options(epochs, batch_size, update, sequences, truncate, verbose)
        self._read_data(data, validation, loss, metrics)
        self.optimizer, new_lr = _make_optimizer(net, optimizer, lr)
        self._check_hooks(schedule, early_stopping, callbacks)
        self.shuffle = shuffle
        self.seed = check_seed(seed, "fit")
        if new_lr is not None:                   # (every check has passed)
            self.optimizer.lr = new_lr

    def _check_options(self, epochs: Any, batch_size: Any, update: Any, sequences: Any,
                       truncate: Any, verbose: Any) -> None:
        """epochs, batch_size, update, sequences, truncate and verbose, and how they combine."""
        self.epochs = _positive_int(epochs, "epochs", 0)
        self.batch_size = _positive_int(batch_size, "batch_size")
        if update not in ("batch", "immediate"):
            raise NameLookupError("fit(update=%r): use 'batch' (every delta from the pre-step "
                                  "weights) or 'immediate' (each layer stepped as soon as its "
                                  "gradients are known)" % (update,))
        self.immediate = update == "immediate"
        self.seq = _is_sequences(self.net, sequences)
        if self.seq and self.immediate:
            raise StateError("fit(update='immediate') does not work through time: a weight is "
                             "used at every step; use update='batch'")
        if truncate is not None and not self.seq:
            raise StateError("fit(truncate=%r) is for sequences (a net with delayed connections)"
                             % (truncate,))
        if self.immediate and self.batch_size != 1:
            raise StateError("fit(update='immediate') steps after every sample: use batch_size=1")
        if not (verbose is None or isinstance(verbose, (int, float)) and verbose in (0, 1, 2)):
            raise NumberError("fit(verbose=%r): use None, 0, 1 or 2" % (verbose,))
        self.truncate = truncate
        self.verbose = verbose

    def _read_data(self, data: Any, validation: Any, loss: Any, metrics: Any) -> None:
        """The loss, the samples (converted, checked) and the metrics (tried on one sample)."""
        net = self.net
        self.loss = _get_loss(loss)
        net._ordered().bind_loss(net.number_system, self.loss)   # fail now on a bad loss/number pair
        read = _sequence_pairs if self.seq else _pairs
        self.pairs = read(net, data, "training data")
        self.val_pairs = read(net, validation, "validation data") if validation is not None else None
        self.metrics = _metrics(metrics)
        if self.metrics:              # a metric that returns no number fails before any step
            before = Snapshot(net)    # (the trial pass, unseen by hooks, leaves no trace)
            try:
                with quietly(net):
                    _scores(self.metrics, _run(net, self.pairs[0][0], self.seq),
                            self.pairs[0][1], self.seq)
            finally:
                before.restore()

    def _check_hooks(self, schedule: Any, early_stopping: Any,
                     callbacks: Sequence[Callable[[str, Dict[str, Any]], Any]]) -> None:
        """The schedule, the early stopping rule (a patience or an EarlyStopping) and the
        callbacks."""
        if schedule is not None and not callable(schedule):
            raise NumberError("fit(schedule=%r): give a Schedule or a function of the epoch"
                              % (schedule,))
        if isinstance(early_stopping, int) and not isinstance(early_stopping, bool):
            early_stopping = EarlyStopping(patience=early_stopping)
        elif early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
            raise NumberError("fit(early_stopping=%r): give a patience or an EarlyStopping"
                              % (early_stopping,))
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not callable(cb):
                raise NumberError("fit(callbacks=...): %r is not callable" % (cb,))
        self.schedule: Optional[Any] = schedule
        self.watch = None if early_stopping is None else _Watch(
            early_stopping, [m for m, _ in self.metrics], self.val_pairs is not None)

    def scheduled_lr(self, epoch: int) -> Any:
        """The learning rate the schedule gives epoch index *epoch*, checked."""
        s = self.schedule
        value = s.at(epoch, self.net.number_system) if isinstance(s, Schedule) else s(epoch)
        return _learning_rate(self.optimizer, value)
