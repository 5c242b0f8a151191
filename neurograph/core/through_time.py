"""Recurrent nets: the walk repeated over time steps, and back-propagation through time.

A connection made with ``net.connect(src, dst, w, delay=d)`` carries
``src``'s activation of ``d`` time steps before.  Self-connections and
cycles are allowed through such delayed connections only; the ordering into
layers ignores them.  A recurrent net computes over a sequence:

==================================  =============================================================
name                                what it is
==================================  =============================================================
``net.forward_sequence(xs)``        one output list per step of *xs* (one input list per step)
``net.backward_sequence(ys, ...)``  back-propagation through time: the summed loss; ADDS every
                                    gradient summed over the steps (``truncate=k``: BPTT(k))
``neuron.at(t)``                    that neuron's ``(step, z, a, delta, grad_a)`` at step t
``net.step``                        the step the walk is at (for hooks and watchpoints), or None
``Net.elman(sizes, ...)``           a simple recurrent (Elman) net, seeded
==================================  =============================================================

Each step is the plain walk (:mod:`neurograph.core.walk`), from the initial
state: before step 0 a delayed connection reads its source's ``initial``
(None, the default, meaning 0).  Forward, at step t each delayed connection
delivers ``a_src = a_src(t - d)`` and the walk computes
``z = b + sum_delayed w * a_src(t - d) + sum w * a_src(t)``; every neuron's z
and a are recorded per step.  Backward runs the walk from the last step to
the first with that step's z and a put back on the neurons; a neuron's
dE/da at step t starts with the terms ``w * delta_dst(t + d)`` of its
delayed outgoing connections (BP2 through time), and a delayed
connection's gradient adds ``delta_dst(t) * a_src(t - d)`` (BP4): every
gradient is the sum over the steps.  Afterwards ``neuron.z``, ``.a``,
``.delta`` and ``.grad_a`` hold the last step's numbers, ``neuron.at(t)``
those of any step.

>>> import neurograph as ng
>>> net = ng.Net()
>>> x = net.add_input("x")
>>> h = net.add_neuron("h", activation="tanh", bias=0.0)
>>> _ = net.connect(x, h, 0.5, name="u")
>>> w = net.connect(h, h, 0.8, name="w", delay=1)     # h(t) = tanh(0.5 x(t) + 0.8 h(t-1))
>>> [round(a, 6) for [a] in net.forward_sequence([[1.0], [0.0], [0.0]])]
[0.462117, 0.353724, 0.27566]
>>> round(net.backward_sequence([None, None, [0.0]]), 6)        # a target at the last step
0.037994
>>> round(w.grad, 6), round(h.at(0).delta, 6)
(0.172482, 0.112163)
"""

from __future__ import annotations

import random
from math import hypot, isfinite
from typing import Any, List, Optional, Sequence

from . import rounding, walk
from .arithmetic import FLOAT
from .errors import NumberError, ShapeError, StateError
from .layers import Order
from .refusals import loss_not_finite, output_not_finite

#: A net (:class:`neurograph.core.net.Net`, a module above this one, mixes ThroughTime in).
Net = Any

__all__ = ["ThroughTime", "forward_sequence", "backward_sequence", "elman"]


class _Sequence:
    """What backward_sequence needs from the last forward_sequence."""

    __slots__ = ("order", "steps", "initial", "samples_seen", "targets", "loss", "truncate")

    def __init__(self, order: Order, steps: int, initial: dict, samples_seen: int) -> None:
        self.order = order
        self.steps = steps
        self.initial = initial          # {source neuron: its a before step 0}
        self.samples_seen = samples_seen
        self.targets: Optional[List[Any]] = None    # of the last backward_sequence (explain)
        self.loss: Any = None
        self.truncate: Optional[int] = None


def _check_steps(net: Net, xs: Any, order: Order) -> List[List[Any]]:
    """*xs* as one input list of the net's number type per step (ShapeError names the step)."""
    if isinstance(xs, (str, bytes)) or not hasattr(xs, "__iter__"):
        raise ShapeError("forward_sequence takes a list of steps, each a list of input values; "
                         "got %r" % (xs,))
    xs = list(xs)
    if not xs:
        raise ShapeError("forward_sequence needs at least one step: give a list of steps, each "
                         "a list of %d input values" % len(order.inputs))
    values_for, out = net.number_system.values_for, []
    for t, x in enumerate(xs):
        try:
            out.append(values_for(x, order.inputs, "forward_sequence, step %d: input" % t))
        except ShapeError as e:
            raise ShapeError("%s; a sequence is a list of steps, each a list of input values"
                             % e) from None
    return out


def _initial(net: Net, order: Order) -> dict:
    """Each delayed connection's source's activation before step 0 (``initial`` or 0)."""
    out = {}
    for c in order.delayed:
        n = c.src
        if n not in out:
            out[n] = net.number_system.zero if n.initial is None else net._number(
                n.initial, "initial of neuron %r" % n.name)
    return out


def forward_sequence(net: Net, xs: Sequence[Sequence[Any]]) -> List[List[Any]]:
    """Run the net over the steps *xs* (one input list per step); return one output list per step.

    The net starts from the initial state (a delayed connection reads its
    source's ``initial``, 0 unless set, before step 0).  Every neuron's z and
    a of every step are kept (``neuron.at(t)``) for ``backward_sequence``;
    the neurons hold the last step's.  A net without delayed connections runs
    each step on its own.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x = net.add_input("x")
    >>> s = net.add_neuron("s", activation="identity", bias=None)
    >>> _ = net.connect(x, s, 1.0); _ = net.connect(s, s, 1.0, delay=1)   # a running sum
    >>> net.forward_sequence([[1.0], [2.0], [3.0]])
    [[1.0], [3.0], [6.0]]
    >>> s.initial = 10.0
    >>> net.forward_sequence([[1.0], [2.0]])
    [[11.0], [13.0]]
    """
    order = net._ordered()
    steps = _check_steps(net, xs, order)
    initial = _initial(net, order)
    neurons = net._neurons
    saved = [(n, n.z, n.a, n.grad_a, n._history) for n in neurons]
    pasts, floats = _pasts(order), net.number_system is FLOAT
    carried = [(past, past.a, past.grad_a) for past, _ in pasts]
    for n in neurons:
        n._history = []
    outs = []
    previous, net._sequence = net._sequence, None
    try:
        for t, x in enumerate(steps):
            for past, src in pasts:               # what the delayed connections deliver now
                d = past.delay
                past.a = src._history[t - d][1] if t >= d else initial[src]
            net.step = t
            outs.append(walk.forward(net, order, x))
            if floats and not isfinite(hypot(*outs[-1])):   # an output overflowed
                error = output_not_finite(net, order)
                if error is not None:
                    raise error
            for n in neurons:
                n._history.append([n.z, n.a, None, None, None])
    except BaseException:
        for n, z, a, grad_a, history in saved:    # every neuron as it was
            n.z, n.a, n.grad_a, n._history = z, a, grad_a, history
        for past, a, grad_a in carried:           # and what the delayed connections carry
            past.a, past.grad_a = a, grad_a
        net._sequence = previous                  # (and the last sequence still stands)
        raise
    finally:
        net.step = None
    net._forwarded, net._backwarded, net._far = order, False, True   # (_far: backward keeps
    net._rounded = (rounding.current_rounding(), None)
    net.samples_seen += 1                                             # a copy, to be safe)
    net._sequence = _Sequence(order, len(steps), initial, net.samples_seen)
    return outs


def _pasts(order: Order) -> List[Any]:
    """Each :class:`~neurograph.core.neuron.Past` of the delayed connections once, with its neuron
    (found once per wiring)."""
    if order._pasts is None:
        seen: dict = {}
        for c in order.delayed:
            seen.setdefault(c.past, c.src)
        order._pasts = list(seen.items())
    return order._pasts


def _state(net: Net) -> _Sequence:
    seq = net._sequence
    if seq is None or seq.samples_seen != net.samples_seen:
        raise StateError("backward_sequence() needs a forward_sequence(xs) pass first (the last "
                         "pass was not one): call net.forward_sequence(xs) with the steps whose "
                         "targets you pass")
    if seq.order is not net._order:
        raise StateError("the net's structure changed after the last forward_sequence() pass: "
                         "call net.forward_sequence(xs) again before backward_sequence()")
    return seq


class _NoTarget:
    """The loss of a step without a target: 0, and no dE/da from the loss at any output."""

    cancels = False

    def __init__(self, loss: Any, zero: Any) -> None:
        self.name = loss.name
        self.zero = zero

    def value(self, outs: List[Any], ys: Any) -> Any:
        return self.zero

    def gradient(self, outs: List[Any], ys: Any) -> List[Any]:
        return [self.zero] * len(outs)


class _NoClosedForm:
    """A loss without its closed-form BP1 (for an output that also feeds later steps)."""

    cancels = False

    def __init__(self, loss: Any) -> None:
        self.name = loss.name


def backward_sequence(net: Net, ys: Sequence[Any], loss: Any = "half_sse", *,
                      truncate: Optional[int] = None) -> Any:
    """Back-propagate through time the loss of the last ``forward_sequence``; return the summed loss.

    *ys* has one entry per step: a target list, or None for a step without a
    target.  The loss is the sum over the steps with a target.  Every
    neuron's delta and grad_a are set at every step (``neuron.at(t)``; the
    neurons hold the last step's) and each parameter's gradient, summed over
    the steps, is ADDED to its ``grad``.

    *truncate* k (BPTT(k)) cuts the sequence into windows of k steps (steps
    0..k-1, k..2k-1, ...): no gradient flows back from one window into an
    earlier one, as if the carried state were a constant there.  Every
    target still counts.  None (the default) is full back-propagation
    through time.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x = net.add_input("x")
    >>> s = net.add_neuron("s", activation="identity", bias=None)
    >>> u = net.connect(x, s, 1.0, name="u"); w = net.connect(s, s, 1.0, name="w", delay=1)
    >>> net.forward_sequence([[1.0], [2.0]])
    [[1.0], [3.0]]
    >>> net.backward_sequence([[0.0], [0.0]])      # (1**2 + 3**2) / 2
    5.0
    >>> u.grad, w.grad, [s.at(t).delta for t in (0, 1)]   # du: 1*4 + 2*3, dw: 3*1
    (10.0, 3.0, [4.0, 3.0])
    """
    seq = _state(net)
    order, T = seq.order, seq.steps
    targets = _targets(net, seq, ys, truncate)
    L, value, gradient = order.bind_loss(net.number_system, loss)
    num, neurons = net.number_system, net._neurons
    plan = [(past, src, past.delay, src._history) for past, src in _pasts(order)]
    saved = (net._numbers(), [[list(rec[2:]) for rec in n._history] for n in neurons],
             [(past, past.a, past.grad_a) for past, _, _, _ in plan])
    total = num.zero
    try:
        for n in neurons:
            for rec in n._history:
                rec[2] = rec[3] = rec[4] = None
        for t in range(T - 1, -1, -1):
            total += _step_back(net, seq, t, plan, targets[t], truncate, (L, value, gradient))
        if not num.isfinite(total):               # a float loss overflowed
            raise loss_not_finite(net, L, total, None)
    except BaseException:
        net._restore(saved[0])                    # every number and every step as it was,
        for n, recs in zip(neurons, saved[1]):
            for rec, back in zip(n._history, recs):
                rec[2:] = back
        for past, a, grad_a in saved[2]:          # and what the delayed connections carry
            past.a, past.grad_a = a, grad_a
        net.step = None
        raise
    net.step = None
    _last_step(net, seq)
    net._backwarded = True
    net._last = (L, order.outputs, targets[-1])   # (the last step's targets)
    net._rounded = (net._rounded[0], rounding.current_rounding())
    seq.targets, seq.loss, seq.truncate = targets, L, truncate
    rnd = rounding.rounder(num)
    return total if rnd is None else rnd(total)


def _targets(net: Net, seq: _Sequence, ys: Any, truncate: Any) -> List[Any]:
    """*ys* checked: one target list per step (or None), in the net's number type."""
    if isinstance(ys, (str, bytes)) or not hasattr(ys, "__iter__"):
        raise ShapeError("backward_sequence takes one target per step (a list of output values, "
                         "or None for no target); got %r" % (ys,))
    ys = list(ys)
    if len(ys) != seq.steps:
        raise ShapeError("backward_sequence got %d target%s for the %d steps of the last "
                         "forward_sequence: give one per step (None for a step without a "
                         "target)" % (len(ys), "" if len(ys) == 1 else "s", seq.steps))
    if truncate is not None and (isinstance(truncate, bool) or not isinstance(truncate, int)
                                 or truncate < 1):
        raise NumberError("backward_sequence(truncate=%r): give a whole number of steps >= 1, "
                          "or None for full back-propagation through time" % (truncate,))
    values_for, outputs = net.number_system.values_for, seq.order.outputs
    return [y if y is None else values_for(y, outputs, "backward_sequence, step %d: target" % t)
            for t, y in enumerate(ys)]


def _step_back(net: Net, seq: _Sequence, t: int, plan: List[Any], target: Any,
               truncate: Optional[int], bound: Any) -> Any:
    """The walk back through step *t*: that step's z and a back on the neurons, each dE/da
    started with what later steps passed back (BP2 through time), the walk, and its BP2
    terms for earlier steps recorded; returns the step's loss."""
    zero, initial = net.number_system.zero, seq.initial
    for n in net._neurons:                        # step t's numbers back on the neurons
        rec = n._history[t]
        n.z, n.a, n.grad_a = rec[0], rec[1], zero  # dE/da starts at 0 ...
    for past, src, d, history in plan:
        past.a = history[t - d][1] if t >= d else initial[src]
        past.grad_a = zero
    if target is None:                            # no target at this step: no loss term
        loss = _NoTarget(bound[0], zero)
        value, gradient = loss.value, loss.gradient
    else:
        loss, value, gradient = bound
    for n in initial:                             # ... plus what later steps passed back
        back = n._history[t][4]
        if back is not None:
            n.grad_a += back
            if loss.cancels and n.is_output:      # its delta is not the loss's alone
                loss = _NoClosedForm(loss)
    net.step = t
    E = walk.backward(net, seq.order, target, loss, value, gradient, None)
    for n in net._neurons:
        rec = n._history[t]
        rec[2], rec[3] = n.delta, n.grad_a
    for past, src, d, history in plan:            # BP2 through time: into step t - d
        s = t - d
        if s >= 0 and (truncate is None or s // truncate == t // truncate):
            rec = history[s]
            rec[4] = past.grad_a if rec[4] is None else rec[4] + past.grad_a
    return E


def _last_step(net: Net, seq: _Sequence) -> None:
    """Put the last step's numbers back on the neurons and delayed connections."""
    t = seq.steps - 1
    for n in net._neurons:
        if n._history:
            n.z, n.a, n.delta, n.grad_a = n._history[t][:4]
    for past, src in _pasts(seq.order):
        s = t - past.delay
        past.a = src._history[s][1] if s >= 0 else seq.initial[src]


def elman(cls: Any, sizes: Sequence[int], activation: Any = "tanh",
          output_activation: Any = "sigmoid", *, seed: Optional[int] = 0, number: Any = float,
          bias: bool = True, delay: int = 1) -> Net:
    """A simple recurrent (Elman) net: ``Net.dense(sizes)`` plus, in every hidden layer, a
    delayed connection (*delay* steps) from each neuron to each neuron of its layer
    (itself included).

    Recurrent weights start as ``gauss(0, 1) * 0.5 / sqrt(layer size)`` from
    ``random.Random(seed)``, after the weights of ``Net.dense``; they are
    named ``"h1_2->h1_1"`` like the others.

    >>> import neurograph as ng
    >>> net = ng.Net.elman([1, 3, 1], seed=0)
    >>> net
    Net(1-3-1: 5 neurons, 15 connections, 19 parameters, float)
    >>> [c.name for c in net["h1_1"].delayed_inputs]
    ['h1_1->h1_1', 'h1_2->h1_1', 'h1_3->h1_1']
    """
    sizes = list(sizes)
    if len(sizes) < 3:
        raise ShapeError("Net.elman needs at least three layer sizes (inputs, hidden, outputs); "
                         "got %r" % (sizes,))
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, float))):
        raise NumberError("Net.elman(seed=%r): give a whole number (the recurrent weights are "
                          "drawn from seed + 1), or None for a seed from the system" % (seed,))
    net = cls.dense(sizes, activation, output_activation, seed=seed, number=number, bias=bias)
    rng = random.Random(seed if seed is None else seed + 1)
    num = net.number_system
    for layer in net._ordered().layers[1:-1]:
        scale = 0.5 / len(layer) ** 0.5
        for dst in layer:
            for src in layer:
                net.connect(src, dst, num.from_float(rng.gauss(0.0, 1.0) * scale), delay=delay)
    return net


class ThroughTime:
    """The methods of a net for time steps (``Net`` mixes this class in)."""

    forward_sequence = forward_sequence
    backward_sequence = backward_sequence
    elman = classmethod(elman)
