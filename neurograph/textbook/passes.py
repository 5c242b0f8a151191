"""Working an example through on a copy of its net, and the quantities that gives.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``Run(example)``               the example's rounds worked on a copy: ``values``, ``rounds``
``Round``                      one forward, backward and update: every number it wrote
``Quantity``                   a parsed quantity name: ``(obj, attr, step, update)``
``parse(name)``                ``"h.delta@1#2"`` -> Quantity, or None
=============================  ==========================================================

Every number comes from the objects after a real ``forward`` (or
``forward_sequence``), ``backward`` and optimizer step of the net, under the
example's rounding rule: nothing here computes a pass itself.

>>> import neurograph as ng
>>> run = Run(ng.textbook.mazur())
>>> round(run.values["h1.delta"], 9), round(run.values["w5.updated"], 8)
(0.008771355, 0.35891648)
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, NamedTuple, Optional

from ..core import rounding as _rounding
from ..net import Net

__all__ = ["Run", "Round", "Quantity", "parse", "NEURON_ATTRS", "PARAM_ATTRS"]

#: What a neuron's quantity may be, and a parameter's.
NEURON_ATTRS = ("z", "a", "delta", "grad_a")
PARAM_ATTRS = ("grad", "updated")

_NAME = re.compile(r"^(?:(?P<obj>.+)\.(?P<attr>z|a|delta|grad_a|grad|updated)|(?P<loss>loss))"
                   r"(?:@(?P<t>\d+))?(?:#(?P<k>\d+))?$")


class Quantity(NamedTuple):
    """A quantity name taken apart: object (None for the loss), attribute, time step (None:
    not given) and update round (1 when not given).

    >>> parse("h.delta@1#2"), parse("loss")
    (Quantity(obj='h', attr='delta', step=1, update=2), Quantity(obj=None, attr='loss', step=None, update=1))
    """
    obj: Optional[str]
    attr: str
    step: Optional[int]
    update: int


def parse(name: Any) -> Optional[Quantity]:
    """*name* as a :class:`Quantity`, or None when it is not of the form NAME.ATTR[@t][#k].

    >>> parse("w5.updated"), parse("w5.weight")
    (Quantity(obj='w5', attr='updated', step=None, update=1), None)
    """
    m = _NAME.match(name) if isinstance(name, str) else None
    if m is None:
        return None
    t = None if m.group("t") is None else int(m.group("t"))
    k = 1 if m.group("k") is None else int(m.group("k"))
    if m.group("loss"):
        return Quantity(None, "loss", t, k)
    return Quantity(m.group("obj"), m.group("attr"), t, k)


class Round:
    """Every number one round (forward, backward, update) wrote: per time step each neuron's
    ``(z, a, delta, grad_a)``, each parameter's value ``before`` and ``after`` the update
    and its ``grads``, the loss and the loss of each step."""

    def __init__(self) -> None:
        self.steps: List[Dict[str, tuple]] = []
        self.before: Dict[str, Any] = {}
        self.after: Optional[Dict[str, Any]] = None
        self.grads: Dict[str, Any] = {}
        self.loss: Any = None
        self.step_losses: List[Any] = []


def copy_net(net: Net) -> Net:
    """A copy of *net* (its model file read back: the same numbers, names and wiring)."""
    return type(net).from_dict(net.to_dict())


class Run:
    """The example's rounds worked on a copy of its net; ``values`` maps every quantity name
    (``"h1.z"``, ``"w5.updated#2"``, ``"h.a@1"``, ``"loss"``) to the right number.

    >>> import neurograph as ng
    >>> run = Run(ng.textbook.bptt_prachub())
    >>> round(run.values["h.delta@1"], 4), run.steps
    (-0.3436, 2)
    """

    def __init__(self, example: Any) -> None:
        self.example = example
        self.net = copy_net(example.net)
        self.steps = len(example.x) if example.recurrent else 1
        self.rounds: List[Round] = []
        self._replayed: Dict[int, Net] = {}       # update -> the net after its passes
        self.optimizer = example.make_optimizer(self.net)
        with example.written(self.net):
            for k in range(1, max(1, example.updates) + 1):
                self.rounds.append(self._round(self.net, self.optimizer, k))
        self.values = self._values()

    def _round(self, net: Net, opt: Any, k: int = 1) -> Round:
        ex, r = self.example, Round()
        x, y = ex.sample(k)
        if ex.recurrent:
            net.forward_sequence(x)
            r.loss = net.backward_sequence(y, loss=ex.loss)
            r.steps = [{n.name: tuple(n.at(t))[1:] for n in net.neurons} for t in range(self.steps)]
            r.step_losses = [self._step_loss(net, t) for t in range(self.steps)]
        else:
            net.forward(x)
            r.loss = net.backward(y, loss=ex.loss)
            r.steps = [{n.name: (n.z, n.a, n.delta, n.grad_a) for n in net.neurons}]
        r.before = {p.name: p.value for p in net.parameters()}
        r.grads = {p.name: p.grad for p in net.parameters()}
        if opt is not None:
            opt.step()
            r.after = {p.name: p.value for p in net.parameters()}
        net.zero_grad()
        return r

    def _step_loss(self, net: Net, t: int) -> Any:
        """The loss of time step *t* alone (None without a target)."""
        y = self.example.y[t]
        if y is None:
            return None
        order = net._ordered()
        value = order.bind_loss(net.number_system, self.example.loss)[1]
        loss = value([n.at(t).a for n in order.outputs], y)
        rnd = _rounding.rounder(net.number_system)
        return loss if rnd is None else rnd(loss)

    def replay(self, update: int) -> Net:
        """A copy of the net after the forward and backward pass of round *update* (and the
        updates before it), under the example's rounding: what ``explain`` reads.  Built once
        per round and kept (explain leaves the net as it found it).

        >>> import neurograph as ng
        >>> net = Run(ng.textbook.mazur()).replay(1)
        >>> round(net["w5"].grad, 9)
        0.082167041
        """
        net = self._replayed.get(update)
        if net is not None:
            return net
        ex = self.example
        net = copy_net(ex.net)
        opt = ex.make_optimizer(net)
        with ex.written(net):
            for k in range(1, update):
                self._round(net, opt, k)
            x, y = ex.sample(update)
            if ex.recurrent:
                net.forward_sequence(x)
                net.backward_sequence(y, loss=ex.loss)
            else:
                net.forward(x)
                net.backward(y, loss=ex.loss)
        self._replayed[update] = net
        return net

    def _values(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        rec = self.example.recurrent
        for k, r in enumerate(self.rounds, 1):
            tag = "" if k == 1 else "#%d" % k
            for t, step in enumerate(r.steps):
                at = "@%d" % t if rec else ""
                for n in self.net.neurons:
                    for attr, v in zip(NEURON_ATTRS, step[n.name]):
                        if v is not None:
                            out["%s.%s%s%s" % (n.name, attr, at, tag)] = v
                if rec and r.step_losses[t] is not None:
                    out["loss@%d%s" % (t, tag)] = r.step_losses[t]
            out["loss" + tag] = r.loss
            for p in self.net.parameters():
                out["%s.grad%s" % (p.name, tag)] = r.grads[p.name]
                if r.after is not None and p.trainable:
                    out["%s.updated%s" % (p.name, tag)] = r.after[p.name]
        return out
