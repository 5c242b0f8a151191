"""The walk's own terms: the last pass replayed with a recorder attached.

A backward pass keeps its results on the objects (each ``delta``, ``grad_a``
and ``grad``), not the terms it added up: BP2's ``w * delta`` of each path,
BP4's ``delta * a`` of each use of a weight (and of each time step), nor
this pass's share of a ``grad`` that adds up over passes.  To show them,
:func:`explain <neurograph.debugging.explain>` runs the last pass again: the
same inputs, targets, loss, weights (those the pass used: what
:func:`~neurograph.debugging.remember` kept for the weights an optimizer
changed since) and rounding rule, every gradient starting from zero, with
no hook of the user's listening.  Inside
:func:`neurograph.core.rounding.recording` the walk writes down each product
of a delta and each running sum it makes, with its own arithmetic; a hook on
the walk's per-neuron "backward" event files them under the neuron's bias
and connections.  The replay must give every ``z``, ``a``, ``delta`` and
``grad_a`` the net holds (each time step's too), or explain refuses, naming
the first that differs; then everything is put back
(:class:`~neurograph.debugging.snapshot.Snapshot`).

The net keeps the rounding rules its last forward and backward pass ran
under (``ng.rounding``, or none): the replay runs each under its own, so a
pass made inside a rounding block is explained after the block is closed.

=============================  ==============================================================
name                           what it is
=============================  ==============================================================
:class:`Term`                  one term: the factor next to the delta, the product, and the
                               running sum before and after it was added
:class:`Recording`             the replay's terms (``bp2``, ``bp3``, ``bp4``), the order they
                               were added in (``adds``, ``into``), this pass's gradients
``replay(net, seq, ...)``      the last pass replayed: a :class:`Recording`
=============================  ==============================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> rec = replay(ex.net)
>>> w5 = ex.net["w5"]
>>> term = rec.bp2[w5, None]                 # w5 * delta_o1, added to h1's dE/da
>>> term.factor, round(term.value, 9), round(term.after, 9)
(0.4, 0.055399425, 0.055399425)
>>> rec.grads[w5] == w5.grad                 # this pass's gradient: the grads were zeroed
True
"""

from __future__ import annotations

import weakref
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ..core import rounding
from ..core.arithmetic import number_text
from ..core.errors import NeurographError, StateError
from ..core.net import Net
from .hooks import _memory
from .snapshot import Snapshot, quietly

__all__ = ["Term", "Recording", "replay"]


class Term(NamedTuple):
    """One term the walk added: *factor* (the other factor of a product with a delta: the
    ``a`` of BP4, the ``w`` of BP2; None for BP3, whose term is the delta), *value*, and the
    running sum it was added to, *before* and *after*."""
    factor: Any
    value: Any
    before: Any
    after: Any


Key = Tuple[Any, Optional[int]]   # (object, time step or None)


class Recording:
    """The terms of a replayed pass, filed by ``(object, time step)`` (step None outside a
    sequence): ``bp4[connection, t]`` (``delta * a``, added to its weight's grad),
    ``bp3[neuron, t]`` (its delta, added to its bias's grad), ``bp2[connection, t]``
    (``w * delta``, added to the ``grad_a`` of the connection's ``upstream``: its source,
    or that source's :class:`~neurograph.core.neuron.Past`); ``adds[param]`` the uses
    ``(connection or neuron, t)`` in the order they were added to its grad, ``into[upstream,
    t]`` the connections in the order their BP2 terms were added; ``grads[param]`` this
    pass's gradient; ``loss_gradients[output, t]`` a sequence's dE(t)/da from the loss,
    rounded as the walk rounds it; ``used[param]`` the weights the pass used where they
    differ from today's; ``rule`` the rounding rule.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> rec = replay(ex.net)
    >>> [c.name for c in rec.into[ex.net["h1"], None]]      # BP2 into h1, in the walk's order
    ['w5', 'w7']
    >>> [use.name for use, t in rec.adds[ex.net["b1"]]]      # the shared bias's two uses
    ['h1', 'h2']
    """

    def __init__(self, net: Net, used: Dict[Any, Any], rule: Any) -> None:
        self.net = net
        self.used = used
        self.rule = rule
        self.bp2: Dict[Key, Term] = {}
        self.bp3: Dict[Key, Term] = {}
        self.bp4: Dict[Key, Term] = {}
        self.adds: Dict[Any, List[Key]] = {}
        self.into: Dict[Key, List[Any]] = {}
        self.grads: Dict[Any, Any] = {}
        self.loss_gradients: Dict[Key, Any] = {}
        self.sink: List[Any] = []

    def weight(self, p: Any) -> Any:
        """The weight of parameter *p* that the pass used."""
        return self.used.get(p, p.w)

    def __call__(self, event: str, neuron: Any) -> None:
        """The walk's "backward" event for *neuron*: file what it wrote down since the last."""
        if event != "backward":
            return
        t, records = self.net.step, self.sink[:]
        del self.sink[:]
        want = ("+",) * (neuron.bias is not None) + ("*", "+", "*", "+") * len(neuron.incoming)
        if tuple(r[0] for r in records) != want:
            raise StateError("explain could not follow the walk's arithmetic at neuron %r (it "
                             "wrote down %d numbers, not %d)" % (neuron.name, len(records),
                                                                 len(want)))
        i = 0
        if neuron.bias is not None:
            self.bp3[neuron, t] = Term(None, neuron.delta, records[0][1], records[0][2])
            self.adds.setdefault(neuron.bias, []).append((neuron, t))
            i = 1
        for c in neuron.incoming:
            (_, a, bp4), (_, g0, g1), (_, w, bp2), (_, s0, s1) = records[i:i + 4]
            i += 4
            self.bp4[c, t] = Term(a, bp4, g0, g1)
            self.adds.setdefault(c.param, []).append((c, t))
            self.bp2[c, t] = Term(w, bp2, s0, s1)
            self.into.setdefault((c.upstream, t), []).append(c)


def _same(x: Any, y: Any) -> bool:
    return x == y or (x != x and y != y)       # (NaN is NaN)


def _differs(before: Snapshot, seq: Any, forward_only: bool) -> Optional[str]:
    """What the replay gave differently from the snapshot of the pass (the first in the order
    of the passes: every z and a, then every delta and dE/da), or None."""
    passes = [(0, 1)] if forward_only else [(0, 1), (2, 3)]
    names = ("z", "a", "delta", "grad_a")
    for fields in passes:
        if seq is not None:
            for t in range(seq.steps):
                for n, _, _, values in before.histories:
                    for k in fields:
                        old, new = values[t][k], n._history[t][k]
                        if not _same(old, new):
                            return "%s of neuron %r at step %d was %s, now %s" % (
                                names[k], n.name, t, number_text(old, 6), number_text(new, 6))
            continue
        for (n, *old) in before.numbers[0]:
            for k in fields:
                new = getattr(n, names[k])
                if not (n.is_input and k in (0, 2)) and not _same(old[k], new):
                    return "%s of neuron %r was %s, now %s" % (
                        names[k], n.name, number_text(old[k], 6), number_text(new, 6))
    return None


def _run(net: Net, seq: Any, rec: Recording, forward_only: bool, forward_rule: Any) -> None:
    """The last pass again, as the net's records describe it (*seq*: its sequence, if any),
    the forward pass under *forward_rule* (the backward pass runs under the caller's)."""
    if seq is not None:
        order = seq.order
        xs = [[n._history[t][1] for n in order.inputs] for t in range(seq.steps)]
        with rounding.under(forward_rule):
            net.forward_sequence(xs)
        if forward_only:
            return
        net.backward_sequence(seq.targets, seq.loss, truncate=seq.truncate)
        gradient = order.bind_loss(net.number_system, seq.loss)[2]
        rnd = rounding.rounder(net.number_system)
        for t, y in enumerate(seq.targets):
            if y is not None:
                outs = [o._history[t][1] for o in order.outputs]
                for o, g in zip(order.outputs, gradient(outs, y)):
                    rec.loss_gradients[o, t] = g if rnd is None else rnd(g)
        return
    order = net._ordered()
    with rounding.under(forward_rule):
        net.forward([n.a for n in order.inputs])
    if not forward_only:
        loss, outputs, ys = net._last
        net.backward(ys, loss)


def replay(net: Net, seq: Any = None, forward_only: bool = False) -> Recording:
    """The last pass run again with a recorder attached (see the module's docstring): the
    forward and backward pass, or with *seq* (the net's last ``forward_sequence``) the
    sequence; *forward_only*: the forward pass alone.  The net is left exactly as it was.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> ng.SGD(ex.net, lr=0.5).step()             # the weights are no longer the pass's
    >>> replay(ex.net)                            # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.StateError: explain runs the last pass again ... (z of neuron 'h1' was 0.3775, now 0.377445): ...
    """
    mem = _memory(net)
    used = {p: w for p, w in (mem.saved.items() if mem is not None else ()) if w != p.w}
    key = _state_key(net, seq, used)
    kept = _KEPT.get(net)
    if kept is not None and kept[0] == key and (kept[1] or forward_only):
        return kept[2]                            # (the same pass, nothing changed since)
    rec = _replay(net, seq, forward_only, used)
    _KEPT[net] = (key, not forward_only, rec)
    return rec


#: The last replay of each net, with what the net held then: explaining several numbers of
#: one pass (the playground's walk explains every neuron) replays it once.
_KEPT: "weakref.WeakKeyDictionary[Net, Tuple[Any, bool, Recording]]" = weakref.WeakKeyDictionary()


def _state_key(net: Net, seq: Any, used: Dict[Any, Any]) -> Tuple[Any, ...]:
    """Everything a replay depends on and checks: while it is equal, so is the replay."""
    return (net._version, net.samples_seen, net._last, net._rounded, seq, tuple(used.items()),
            tuple(p.w for p in net._params),
            tuple((n.z, n.a, n.delta, n.grad_a) for n in net._neurons),
            None if seq is None else (seq.targets, seq.loss, seq.truncate, tuple(
                tuple(map(tuple, n._history)) for n in net._neurons)))


def _replay(net: Net, seq: Any, forward_only: bool, used: Dict[Any, Any]) -> Recording:
    """:func:`replay` itself: the pass again under the rounding rules it ran under."""
    forward_rule, backward_rule = net._rounded
    before = Snapshot(net)
    try:
        rec = Recording(net, used, backward_rule)
        for p, w in used.items():
            p.w = w
        for p in net._params:
            p.g = net.number_system.zero
        try:
            with quietly(net, rec), rounding.recording(rec.sink, backward_rule):
                _run(net, seq, rec, forward_only, forward_rule)
            differs = _differs(before, seq, forward_only)
        except (NeurographError, ArithmeticError, ValueError, TypeError) as e:
            differs = "the pass fails now: %s" % e
        if differs is None:
            rec.grads = {p: p.g for p in net._params}
            return rec
    finally:
        before.restore()
    raise StateError(
        "explain runs the last pass again to show the walk's terms, and now it gives other "
        "numbers (%s): the weights or the inputs changed after that pass. "
        "Call explain before opt.step(), or call "
        "ng.remember(net) before training to keep the weights the pass used (a "
        "backward(y, step=opt) pass changes them as it goes: it cannot be replayed)" % differs)
