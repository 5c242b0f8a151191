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

``opt.describe(p)`` tells what ``step()`` would do to one parameter, with every number of
its update (the learning rate, the gradient, the decayed gradient, the velocity before and
after, Adam's moments and bias corrections, the new value): the optimizer runs its own update
of that parameter alone with a record attached, then puts everything back.  While a tool
listens to the net (a hook: ``ng.remember``, a trace), every update also keeps that record:
``opt.last_update(p)``.  The update equations exist once, in each ``_update``.

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

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import rounding
from .arithmetic import FLOAT
from .errors import NameLookupError, NeurographError, NumberError, NumericalError, StateError
from .net import Connection, Net, Parameter

__all__ = ["Optimizer", "SGD", "Adam", "check_setting", "SETTING_RULES"]

AnyParameter = Union[Parameter, Connection]


#: The rule each optimizer setting follows: checked when an optimizer is made or a setting
#: is changed, when a model file is read, and by ``fit`` and the command line.
SETTING_RULES: Dict[str, str] = {
    "lr": ">= 0",
    "momentum": ">= 0",
    "weight_decay": ">= 0",
    "eps": "> 0",
    "betas": "a pair (beta1, beta2), each in [0, 1)",
}


_NAMES = {"lr": "learning rate lr"}   # (how messages name a setting)


def check_setting(owner: str, name: str, value: Any, num: Any) -> Any:
    """*value* of the setting *name* of the optimizer *owner* (``"SGD"``, ``"Adam"``) in the
    number system *num*, or a NumberError naming the setting and its rule
    (:data:`SETTING_RULES`).

    >>> from neurograph.core.arithmetic import FLOAT
    >>> check_setting("SGD", "lr", "0.5", FLOAT)
    0.5
    >>> check_setting("Adam", "eps", 0, FLOAT)
    Traceback (most recent call last):
    ...
    neurograph.NumberError: eps of Adam must be > 0, got 0
    """
    if name == "betas":
        try:
            b1, b2 = value
        except (TypeError, ValueError):
            raise NumberError("betas of %s must be %s, got %r"
                              % (owner, SETTING_RULES[name], value)) from None
        pair = (num.convert(b1, "beta1 of %s" % owner), num.convert(b2, "beta2 of %s" % owner))
        if not all(0 <= b < 1 for b in pair):
            raise NumberError("betas of %s must be %s, got %r" % (owner, SETTING_RULES[name],
                                                                  value))
        return pair
    what = "%s of %s" % (_NAMES.get(name, name), owner)
    v = num.convert(value, what)
    rule = SETTING_RULES[name]
    if v < 0 or (rule == "> 0" and not v > 0):
        raise NumberError("%s must be %s, got %r" % (what, rule, value))
    return v


class Optimizer:
    """Base class: holds the net, the learning rate and per-parameter state.

    ``step()`` updates every trainable parameter from its ``grad``;
    ``update(params)`` updates just those (the backward pass's "immediate"
    order uses it); ``state(p)`` is the state kept for one parameter.

    >>> import neurograph as ng
    >>> opt = ng.SGD(ng.Net.dense([1, 1], seed=0), lr=0.5)
    >>> isinstance(opt, ng.Optimizer), opt
    (True, SGD(lr=0.5, steps=0))
    """

    #: names of the per-parameter state, e.g. ("velocity",)
    state_names: Tuple[str, ...] = ()

    def __init__(self, net: Net, lr: Any) -> None:
        if not isinstance(net, Net):
            raise NumberError("an optimizer needs a Net as its first argument, got %r" % (net,))
        self.net = net
        self._num = net.number_system
        self.lr = lr
        self.steps = 0
        #: per state name: {parameter: value}; a parameter not in it has state zero
        self._state: Dict[str, Dict[AnyParameter, Any]] = {s: {} for s in self.state_names}
        #: while not None, ``_update`` writes each parameter's numbers here (see describe)
        self._record: Optional[Dict[AnyParameter, Dict[str, Any]]] = None
        self._made: Dict[AnyParameter, Dict[str, Any]] = {}   # (last_update)

    @property
    def lr(self) -> Any:
        """The learning rate, >= 0 (settable; learning-rate schedules set it every epoch; 0
        changes no weight, as in a frozen phase)."""
        return self._lr

    @lr.setter
    def lr(self, value: Any) -> None:
        self._lr = check_setting(type(self).__name__, "lr", value, self._num)

    @property
    def weight_decay(self) -> Any:
        """L2 weight decay, >= 0: ``weight_decay * w`` is added to each gradient (settable)."""
        return self._wd

    @weight_decay.setter
    def weight_decay(self, value: Any) -> None:
        self._wd = check_setting(type(self).__name__, "weight_decay", value, self._num)

    def zero_grad(self) -> None:
        """Set every gradient of the net to zero.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> _ = net.forward([1.0]); _ = net.backward([0.0])
        >>> ng.SGD(net, lr=0.1).zero_grad()
        >>> [p.grad for p in net.parameters()]
        [0.0, 0.0]
        """
        self.net.zero_grad()

    def _layer_params(self, layer: Any) -> List[AnyParameter]:
        order = self.net._ordered()
        if layer is None:
            return order.trainable
        depth = len(order.layers) - 1
        if type(layer) is not int or not 1 <= layer <= depth:
            raise NumberError("step(layer=%r): layer must be a whole number from 1 to %d, the "
                              "layers that have parameters (layer 0 holds the inputs)"
                              % (layer, depth))
        out: Dict[AnyParameter, None] = {}
        for neuron in order.layers[layer]:
            if neuron.bias is not None:
                out[neuron.bias] = None
            for c in neuron.inputs:
                out[c.param] = None
        return [p for p in out if p.trainable]

    def step(self, layer: Optional[int] = None) -> None:
        """Update every trainable parameter (only those of *layer* when given).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight = 1.0
        >>> _ = net.forward([1.0]); _ = net.backward([0.0])   # both gradients are 1.0
        >>> opt = ng.SGD(net, lr=0.5); opt.step()
        >>> [p.value for p in net.parameters()], opt.steps    # o1.bias, i1->o1
        ([-0.5, 0.5], 1)
        """
        order = self.net._order
        params = order.trainable if layer is None and order is not None else \
            self._layer_params(layer)
        self.steps += 1
        try:
            self.update(params)
        except BaseException:
            self.steps -= 1                     # (update put every weight back)
            raise

    def update(self, params: Sequence[AnyParameter]) -> None:
        """Update *params* from their ``grad`` now; if anything fails, nothing changes.

        Unlike :meth:`step`, it does not count a step.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight = 1.0
        >>> _ = net.forward([1.0]); _ = net.backward([0.0])   # both gradients are 1.0
        >>> opt = ng.SGD(net, lr=0.5); opt.update([net["o1"].bias])
        >>> [p.value for p in net.parameters()], opt.steps    # o1.bias, i1->o1
        ([-0.5, 1.0], 0)
        """
        hooks = self.net._hooks
        # Float updates of the built-in optimizers cannot raise (every grad is a float: the
        # walk writes floats, and a grad set by hand is checked); elsewhere keep a copy of
        # what a step changes, so that a failed step leaves weights and state as they were.
        if self._num is FLOAT and not hooks:
            if not rounding.OPEN_BLOCKS:
                self._update(params, None)      # (no copy, no hook to tell, no rounding)
                return
            saved = None
        else:
            saved = [(p, p.w, p.g) for p in params], self._numbers()
        rnd = rounding.rounder(self._num) if rounding.OPEN_BLOCKS else None
        try:
            for hook in hooks:
                hook("before_step", params)
            self._record = {} if hooks else None   # (a tool listens: keep what each update did)
            self._update(params, rnd)
            record, self._record = self._record, None
            if record:
                self._made.update(record)
            for hook in hooks:
                hook("step", params)
        except BaseException as e:
            self._record = None
            if saved is not None:
                for p, v, g in saved[0]:
                    p.w, p.g = v, g
                self._restore(saved[1])
            if isinstance(e, ArithmeticError) and not isinstance(e, NeurographError):
                raise NumericalError("%s step: %s: %s; no weight was changed: lower the "
                                     "learning rate" % (type(self).__name__, type(e).__name__, e)) from e
            raise

    def _update(self, params: Sequence[AnyParameter], rnd: Any) -> None:
        """Update *params* (each value rounded by *rnd* when not None); while ``_record`` is a
        dict, write each parameter's numbers into it (see :meth:`describe`)."""
        raise NotImplementedError

    def _param(self, name: Union[str, AnyParameter]) -> Any:
        """The Parameter or Connection holding the weight of *name* (a name or an object)."""
        obj = self.net[name] if isinstance(name, str) else name
        if not isinstance(obj, (Parameter, Connection)) or obj.net is not self.net:
            raise NameLookupError("%r is not a parameter or connection of this optimizer's net"
                                  % (name,))
        return obj.param

    def describe(self, param: Union[str, AnyParameter]) -> Dict[str, Any]:
        """What :meth:`step` would do to *param* now, with every number of its update.

        The optimizer runs its own update of *param* alone, as the next step
        would (from its current weight, gradient and state, under the rounding
        rule in force), with a record attached, and then puts the weight, its
        state and its step count back; no hook is told.  The dict holds the
        settings (``optimizer``, ``lr``, ``weight_decay``; SGD's ``momentum``
        and ``nesterov``; Adam's ``beta1``, ``beta2``, ``eps`` and step ``t``) and the
        numbers: ``weight`` and ``grad`` before, ``decayed`` (``grad +
        weight_decay * weight``, or None), SGD's ``velocity`` before and
        ``velocity_after`` (None without momentum) and ``step`` (what ``lr``
        multiplies), Adam's ``m``, ``v``, ``m_after``, ``v_after``,
        ``correction1`` and ``correction2`` (``1 - beta^t``), ``m_hat``,
        ``v_hat`` and ``denominator`` (``sqrt(v_hat) + eps``), and ``after``,
        the new value.  A frozen parameter gives ``trainable`` False and its
        value.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> opt = ng.SGD(ex.net, lr=0.5, momentum=0.9, weight_decay=0.1)
        >>> d = opt.describe("w5")
        >>> round(d["decayed"], 9), round(d["velocity_after"], 9), round(d["after"], 9)
        (0.122167041, 0.122167041, 0.33891648)
        >>> opt.step(); ex.net["w5"].weight == d["after"]
        True
        """
        p = self._param(param)
        if not p.trainable:
            return {"optimizer": type(self).__name__, "trainable": False, "weight": p.w,
                    "after": p.w}
        saved = p.w, p.g, self._numbers()
        rnd = rounding.rounder(self._num) if rounding.OPEN_BLOCKS else None
        self._record = record = {}
        self.steps += 1                        # (step() counts the step before updating)
        try:
            self._update([p], rnd)
        finally:
            self._record = None
            p.w, p.g = saved[0], saved[1]
            self._restore(saved[2])
        if p not in record:
            raise StateError("%s does not describe its updates: its _update writes nothing "
                             "into self._record" % type(self).__name__)
        return dict(record[p], trainable=True)

    def last_update(self, param: Union[str, AnyParameter]) -> Optional[Dict[str, Any]]:
        """The numbers of the last update this optimizer made to *param* while a tool listened
        to the net (a hook such as ``ng.remember``), as :meth:`describe` gives them; else None.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> keep = ng.remember(ex.net)
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> opt = ng.SGD(ex.net, lr=0.5); opt.step()
        >>> opt.last_update("w5")["after"] == ex.net["w5"].weight
        True
        >>> keep.remove()
        """
        made = self._made.get(self._param(param))
        return None if made is None else dict(made, trainable=True)

    def _numbers(self) -> Tuple[Any, ...]:
        """The optimizer's state and step count, to put back with :meth:`_restore`."""
        return {k: dict(v) for k, v in self._state.items()}, self.steps

    def _restore(self, saved: Tuple[Any, ...]) -> None:
        states, self.steps = saved
        for k, v in states.items():
            self._state[k] = dict(v)

    def state(self, name: Union[str, AnyParameter]) -> Dict[str, Any]:
        """This optimizer's state for one parameter, by name or object.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], seed=0)
        >>> ng.SGD(net, lr=0.1, momentum=0.9).state("i1->o1")
        {'velocity': 0.0}
        """
        obj = self.net[name] if isinstance(name, str) else name
        if not isinstance(obj, (Parameter, Connection)):
            raise NameLookupError("%r is not a parameter or connection" % (name,))
        p = obj.param
        zero = self._num.zero
        return {s: self._state[s].get(p, zero) for s in self.state_names}

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
        self.weight_decay = weight_decay
        self.momentum = momentum
        if not isinstance(nesterov, bool):
            raise NumberError("nesterov must be True or False, got %r" % (nesterov,))
        if nesterov and not self.momentum:
            raise NumberError("nesterov=True needs a momentum > 0")
        self.nesterov = nesterov

    @property
    def momentum(self) -> Any:
        """The momentum mu, >= 0 (settable)."""
        return self._mu

    @momentum.setter
    def momentum(self, value: Any) -> None:
        self._mu = check_setting(type(self).__name__, "momentum", value, self._num)

    def _update(self, params: Sequence[AnyParameter], rnd: Any) -> None:
        lr, mu, wd, record = self._lr, self._mu, self._wd, self._record
        if not mu and not wd and rnd is None and record is None:
            for p in params:
                p.w = p.w - lr * p.g                               # w <- w - lr * g
            return
        velocity = self._state["velocity"]
        zero = self._num.zero
        v0 = v = None
        for p in params:
            w0 = p.w
            grad = g = p.g
            if wd:
                g = g + wd * w0                                     # g + wd * w
            if mu:
                v0 = velocity.get(p, zero)
                v = mu * v0 + g                                     # v <- mu v + g
                if rnd is not None:
                    v = rnd(v)
                velocity[p] = v
                step = g + mu * v if self.nesterov else v
            else:
                step = g
            w = w0 - lr * step
            p.w = w if rnd is None else rnd(w)
            if record is not None:                # (see describe)
                record[p] = {"optimizer": type(self).__name__, "lr": lr, "weight_decay": wd,
                             "momentum": mu, "nesterov": self.nesterov, "weight": w0,
                             "grad": grad, "decayed": g if wd else None, "velocity": v0,
                             "velocity_after": v, "step": step, "after": p.w}


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
        if isinstance(net, Net) and net.number_system.exact:
            raise NumberError("Adam needs sqrt(), which has no exact Fraction value: use SGD in "
                              "a Fraction net, or build the net with number=Decimal")
        super().__init__(net, lr)
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay

    @property
    def betas(self) -> Tuple[Any, Any]:
        """(beta1, beta2), each in [0, 1) (settable)."""
        return self._betas

    @betas.setter
    def betas(self, betas: Any) -> None:
        self._betas = check_setting("Adam", "betas", betas, self._num)

    @property
    def eps(self) -> Any:
        """The eps added to Adam's denominator, > 0 (settable)."""
        return self._eps

    @eps.setter
    def eps(self, value: Any) -> None:
        self._eps = check_setting("Adam", "eps", value, self._num)

    def _update(self, params: Sequence[AnyParameter], rnd: Any) -> None:
        M, S = self._state["m"], self._state["v"]
        b1, b2 = self._betas
        one, zero = self._num.one, self._num.zero
        t = max(self.steps, 1)
        c1 = one - b1 ** t
        c2 = one - b2 ** t
        lr, eps, wd, record = self._lr, self._eps, self._wd, self._record
        sqrt = self._num.sqrt
        for p in params:
            w0 = p.w
            grad = g = p.g
            if wd:
                g = g + wd * w0
            m0, v0 = M.get(p, zero), S.get(p, zero)
            m = b1 * m0 + (one - b1) * g                           # first moment
            v = b2 * v0 + (one - b2) * g * g                       # second moment
            if rnd is not None:
                m, v = rnd(m), rnd(v)
            M[p], S[p] = m, v
            m_hat, v_hat = m / c1, v / c2                          # bias corrections
            den = sqrt(v_hat) + eps
            w = w0 - lr * m_hat / den
            p.w = w if rnd is None else rnd(w)
            if record is not None:                # (see describe)
                record[p] = {"optimizer": type(self).__name__, "lr": lr, "weight_decay": wd,
                             "beta1": b1, "beta2": b2, "eps": eps, "t": t, "weight": w0,
                             "grad": grad, "decayed": g if wd else None, "m": m0, "v": v0,
                             "m_after": m, "v_after": v, "correction1": c1, "correction2": c2,
                             "m_hat": m_hat, "v_hat": v_hat, "denominator": den,
                             "after": p.w}
