"""Optimizers: how a parameter's value moves given its gradient.

An optimizer updates every *trainable* parameter of a net from the ``grad``
that ``backward`` accumulated; frozen parameters are skipped and a shared
parameter gets one update from its summed gradient.  The usual loop::

    net.forward(x); net.backward(y); opt.step(); opt.zero_grad()

==================================  =========================================================
name                                update (g = grad + weight_decay * w)
==================================  =========================================================
``SGD(net, lr)``                    w <- w - lr * g
``SGD(net, lr, momentum=mu)``       v <- mu v + g;  w <- w - lr * v
``SGD(..., nesterov=True)``         v <- mu v + g;  w <- w - lr * (g + mu v)
``Adam(net, lr, betas, eps)``       m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
                                    w <- w - lr * m^ / (sqrt(v^) + eps), m^ = m / (1-b1^t), v^ = v / (1-b2^t)
==================================  =========================================================

Numbers keep the net's type: a Decimal net's learning rate, momentum and
Adam moments are Decimals (Adam's square root is ``Decimal.sqrt``).

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
>>> net["i1->o1"].weight = 1.0
>>> _ = net.forward([1.0]); _ = net.backward([0.0])
>>> opt = ng.SGD(net, lr=0.5)
>>> opt.step()
>>> net["i1->o1"].weight
0.5
"""

from __future__ import annotations

from itertools import repeat
from operator import add, mul, sub
from typing import Any, Dict, List, Optional, Tuple, Union

from . import arithmetic
from .errors import NameLookupError, NeurographError, NumberError, NumericalError
from .net import Net, Parameter

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Base class: holds the net, the learning rate and per-parameter state."""

    #: names of the per-parameter state lists, e.g. ("velocity",)
    state_names: Tuple[str, ...] = ()
    #: (layer, net version, frozen version, slots) of the last step, and its slot ranges
    _rkey: Any = None
    _ranges: List[slice] = []

    def __init__(self, net: Net, lr: Any) -> None:
        if not isinstance(net, Net):
            raise NumberError("an optimizer needs a Net as its first argument, got %r" % (net,))
        self.net = net
        self._num = net._num
        self.lr = lr
        self.steps = 0
        self._state: Dict[str, List[Any]] = {s: [] for s in self.state_names}

    @property
    def lr(self) -> Any:
        """The learning rate (settable; learning-rate schedules set it every epoch)."""
        return self._lr

    @lr.setter
    def lr(self, value: Any) -> None:
        v = self._positive(value, "learning rate lr")
        self._lr = v

    def _positive(self, value: Any, what: str, allow_zero: bool = False) -> Any:
        v = self._num.convert(value, "%s of %s" % (what, type(self).__name__))
        if v < 0 or (v == 0 and not allow_zero):
            raise NumberError("%s of %s must be %s, got %r" % (
                what, type(self).__name__, ">= 0" if allow_zero else "> 0", value))
        return v

    def zero_grad(self) -> None:
        """Set every gradient of the net to zero."""
        self.net.zero_grad()

    def _needs(self, state_name: str) -> bool:
        """False for state that stays zero with these settings (no list is kept for it)."""
        return True

    def _grow(self, every: bool = False) -> None:
        """Extend the per-slot state lists to the net's size (*every*: also unused ones)."""
        n = len(self.net._V)
        zero = self._num.zero
        for s, lst in self._state.items():
            if len(lst) < n and (every or self._needs(s)):
                lst.extend([zero] * (n - len(lst)))

    def step(self, layer: Optional[int] = None) -> None:
        """Update every trainable parameter (only those of *layer*, for the immediate order)."""
        net = self.net
        key = (layer, net._version, net._frozen_version, len(net._V))
        if key != self._rkey:        # the net changed (or another layer): look again
            self._ranges = net._trainable_ranges(layer)
            self._rkey = key
        ranges = self._ranges
        self._grow()                 # every time: settings such as momentum may have changed
        top = layer is None or layer == len(net._compiled().layers)
        hooks = net._hooks
        # Float updates of the built-in optimizers cannot raise; elsewhere keep a copy of
        # what a step changes, so that a failed step leaves weights and state as they were.
        saved = None if net._num.type is float and not hooks else (
            net._V[:], {k: v[:] for k, v in self._state.items()}, self.steps)
        try:
            if top:
                self.steps += 1
            if hooks:
                for h in hooks:
                    h("before_step", ranges)
            rnd = arithmetic.rounder(self._num) if arithmetic._ROUNDING.get() is not None else None
            for sl in ranges:
                self._update(sl, rnd)
            if hooks:
                for h in hooks:
                    h("step", ranges)
        except BaseException as e:
            if saved is not None:
                net._V[:], states, self.steps = saved
                for k, v in states.items():
                    self._state[k][:] = v
            if isinstance(e, ArithmeticError) and not isinstance(e, NeurographError):
                raise NumericalError("%s step: %s: %s; no weight was changed: lower the "
                                     "learning rate" % (type(self).__name__, type(e).__name__, e)) from e
            raise

    def _update(self, sl: slice, rnd: Any) -> None:
        raise NotImplementedError

    def state(self, name: Union[str, Parameter]) -> Dict[str, Any]:
        """This optimizer's state for one parameter, by name or object.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], seed=0)
        >>> ng.SGD(net, lr=0.1, momentum=0.9).state("i1->o1")
        {'velocity': 0.0}
        """
        obj = self.net[name] if isinstance(name, str) else name
        k = getattr(obj, "_k", None)
        if k is None or not hasattr(obj, "grad"):
            raise NameLookupError("%r is not a parameter or connection" % (name,))
        self._grow(every=True)
        return {s: self._state[s][k] for s in self.state_names}

    def __repr__(self) -> str:
        return "%s(lr=%s, steps=%d)" % (type(self).__name__, self._lr, self.steps)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, Nesterov and weight decay.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> p = net["i1->o1"]
    >>> p.weight = 1.0
    >>> opt = ng.SGD(net, lr=0.1, momentum=0.5)
    >>> for _ in range(2):
    ...     _ = net.forward([1.0]); _ = net.backward([0.0]); opt.step(); opt.zero_grad()
    >>> round(p.weight, 6), round(opt.state(p)["velocity"], 6)
    (0.77, 1.3)
    """

    state_names = ("velocity",)

    def __init__(self, net: Net, lr: Any = "0.01", momentum: Any = 0, nesterov: bool = False,
                 weight_decay: Any = 0) -> None:
        super().__init__(net, lr)
        self.momentum = self._positive(momentum, "momentum", allow_zero=True)
        self.weight_decay = self._positive(weight_decay, "weight_decay", allow_zero=True)
        if not isinstance(nesterov, bool):
            raise NumberError("nesterov must be True or False, got %r" % (nesterov,))
        if nesterov and not self.momentum:
            raise NumberError("nesterov=True needs a momentum > 0")
        self.nesterov = nesterov

    def _needs(self, state_name: str) -> bool:
        return bool(self.momentum)   # without momentum the velocity is never used

    def _update(self, sl: slice, rnd: Any) -> None:
        lr, mu, wd = self._lr, self.momentum, self.weight_decay
        if not mu and not wd and rnd is None:                          # w <- w - lr * g
            net = self.net
            V, G = net._V, net._Graw
            start, stop = sl.start, sl.stop
            k = start
            if net._pending:
                # Rows whose gradient backward kept as (slots, delta, a): g = delta * a,
                # so w - lr * (delta * a) is the number the loop below would compute.
                rows = sorted(r for r in net._pending if r[0] < stop and r[1] > start)
                if any(s < start or e > stop for s, e, _, _ in rows):
                    G = net._G                 # a row only partly trainable: write all out
                    rows = []
                for s, e, d, src in rows:
                    for k in range(k, s):
                        V[k] = V[k] - lr * G[k]
                    k = s
                    for a in src:
                        V[k] = V[k] - lr * (d * a)
                        k += 1
            # An index loop: each new weight reuses the memory of the one it replaces
            # (a comprehension would hold both), which keeps the next forward pass in cache.
            for k in range(k, stop):
                V[k] = V[k] - lr * G[k]
            return
        V, G = self.net._V, self.net._G
        gs = G[sl]
        if wd:
            gs = list(map(add, gs, map(mul, repeat(wd), V[sl])))      # g + wd * w
        if mu:
            buf = self._state["velocity"]
            vs = list(map(add, map(mul, repeat(mu), buf[sl]), gs))    # v <- mu v + g
            if rnd is not None:
                vs = list(map(rnd, vs))
            buf[sl] = vs
            gs = list(map(add, gs, map(mul, repeat(mu), vs))) if self.nesterov else vs
        new = map(sub, V[sl], map(mul, repeat(lr), gs))
        V[sl] = map(rnd, new) if rnd is not None else new


class Adam(Optimizer):
    """Adam (Kingma and Ba), with optional L2 weight decay added to the gradient.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 1.0
    >>> opt = ng.Adam(net, lr=0.1)
    >>> _ = net.forward([1.0]); _ = net.backward([0.0]); opt.step()
    >>> round(net["i1->o1"].weight, 6)   # the first Adam step moves by about lr
    0.9
    """

    state_names = ("m", "v")

    def __init__(self, net: Net, lr: Any = "0.001", betas: Tuple[Any, Any] = ("0.9", "0.999"),
                 eps: Any = "1e-8", weight_decay: Any = 0) -> None:
        super().__init__(net, lr)
        if net._num.exact:
            raise NumberError("Adam needs sqrt(), which has no exact Fraction value: use SGD in "
                              "a Fraction net, or build the net with number=Decimal")
        num = self._num
        conv = num.convert
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise NumberError("betas must be a pair (beta1, beta2), got %r" % (betas,)) from None
        self.betas = (conv(b1, "beta1 of Adam"), conv(b2, "beta2 of Adam"))
        for b in self.betas:
            if not 0 <= b < 1:
                raise NumberError("Adam betas must be in [0, 1), got %r" % (betas,))
        self.eps = conv(eps, "eps of Adam")
        if self.eps <= 0:
            raise NumberError("eps of Adam must be > 0, got %r" % (eps,))
        self.weight_decay = self._positive(weight_decay, "weight_decay", allow_zero=True)

    def _update(self, sl: slice, rnd: Any) -> None:
        V, G = self.net._V, self.net._G
        M, S = self._state["m"], self._state["v"]
        b1, b2 = self.betas
        one = self._num.one
        t = max(self.steps, 1)
        c1 = one - b1 ** t
        c2 = one - b2 ** t
        lr, eps, wd = self._lr, self.eps, self.weight_decay
        sqrt = self._num.sqrt
        for k in range(sl.start, sl.stop):
            g = G[k]
            if wd:
                g = g + wd * V[k]
            m = b1 * M[k] + (one - b1) * g                  # first moment
            v = b2 * S[k] + (one - b2) * g * g              # second moment
            if rnd is not None:
                m, v = rnd(m), rnd(v)
            M[k], S[k] = m, v
            w = V[k] - lr * (m / c1) / (sqrt(v / c2) + eps)
            V[k] = rnd(w) if rnd is not None else w
