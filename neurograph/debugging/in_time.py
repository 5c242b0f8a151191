"""Explanations through time: a recurrent net after forward_sequence and backward_sequence.

A gradient of a recurrent net is the sum over the time steps of one term per
step (``delta_h(t) * out_h(t-1)`` for a connection of delay 1); a neuron's
delta at step *t* gathers what later steps passed back through its delayed
connections, the loss at step *t* (an output) and its connections at that
step (BP2 through time).  :func:`explain
<neurograph.debugging.chain_rule.explain>` comes here when the net's last
passes were ``forward_sequence`` and ``backward_sequence``.

Sums are written in the order the walk added their terms: back-propagation
through time goes from the last step to the first, so a gradient's terms
start at the last step; a neuron's dE/da at step *t* starts with what later
steps passed back, then its loss gradient, then its connections at step *t*.
Each term is the walk's own (recorded in a replay of the sequence, see
:mod:`~neurograph.debugging.recording`); each step's ``z``, ``a``, ``delta``
and ``grad_a`` are read from ``neuron.at(t)``; the loss gradient at step *t*
is the loss's own gradient function, rounded as the walk rounded it.

==============================================  ==========================================
name                                            what it is
==============================================  ==========================================
``_sequence(net)``                              the last forward_sequence, if still current
``_explain_param_in_time(ctx, seq, p, ...)``    dE/dp: the sum over the steps
``_explain_neuron_in_time(ctx, seq, n, t, ph)``  delta_n(t) (or its step of the walk)
==============================================  ==========================================

>>> import neurograph as ng
>>> rnn = ng.Net.elman([1, 2, 1], seed=2)
>>> _ = rnn.forward_sequence([[0.5], [-1.0]]); _ = rnn.backward_sequence([None, [1.0]])
>>> print(rnn.explain("h1_1", step=0).lines()[0])
delta_h1_1(0) = dE/d(out_h1_1(0)) * d(out_h1_1)/d(net_h1_1)   [BP2]
"""

from __future__ import annotations

from typing import Any, List, Optional

from ..core import walk
from ..core.errors import NameLookupError, StateError, TopologyError
from ..core.net import Connection, Net, Neuron
from .derivatives import _Ctx
from .notation import _E, Equation, Explanation, _S, _at, _d, _delta, _name, _net, _out, _prod, _sum
from .steps import _a_src, backward_step, forward_step
from .updates import grad_notes, update_eqs

__all__: List[str] = []


# ---------------------------------------------------------------------------
# Through time: a recurrent net after forward_sequence and backward_sequence
# ---------------------------------------------------------------------------

def _sequence(net: Net) -> Any:
    """The last forward_sequence, if it is the net's last pass on its current wiring."""
    seq = net._sequence
    if seq is None or seq.samples_seen != net.samples_seen or seq.order is not net._order:
        return None
    return seq


def _minus(t: str, d: int) -> str:
    return t if not d else "%s-%d" % (t, d)


class _NoClosedForm:
    """A loss the walk used without its closed form at a step (no target there, or an output
    that also feeds later steps: see ``core.through_time._step_back``)."""

    cancels = False


def _at_step(ctx: _Ctx, seq: Any, t: int) -> None:
    """Point the context at step *t*: its targets, and which outputs took a closed form or the
    softmax Jacobian there (:func:`neurograph.core.walk.given_deltas`, with the loss the walk
    used at that step)."""
    ctx.t = t
    ctx.grad_a_at = lambda n: _grad_a_at(ctx, seq, n, t)
    if seq.targets is None:                       # (a forward_sequence alone)
        return
    order, y = seq.order, seq.targets[t]
    ctx.loss = seq.loss
    ctx.targets = dict(zip(order.outputs, y)) if y is not None else {}
    loss: Any = seq.loss
    if y is None or (loss.cancels and any(n.is_output and n._history[t][4] is not None
                                          for n in seq.initial)):
        loss = _NoClosedForm()
    ctx.closed = set(loss.closed_form(order.outputs, y)) if loss.cancels else set()
    ctx.given = set(walk.given_deltas(order, loss, y)) if loss.cancels or order.softmax else set()


def _explain_param_in_time(ctx: _Ctx, seq: Any, p: Any, opt: Any, given: bool) -> Explanation:
    uses = p.uses()
    adds = ctx.rec.adds.get(p)
    if not uses or not adds:
        raise TopologyError("parameter %r is not used by any connection or neuron, so it has no "
                            "gradient: use it as a bias or a tied weight" % p.name)
    lhs = _d(_E(), _name(p.name))
    general, syms, nums, values = [], [], [], []
    before_start: List[Neuron] = []
    for u in uses:
        if isinstance(u, Connection):
            general.append(_prod([_at(_delta(u.dst), "t"), _at(_out(u.src), _minus("t", u.delay))]))
        else:
            general.append(_at(_delta(u), "t"))
    for u, t in adds:                             # in the order the walk added them
        ctx.t = t
        if isinstance(u, Connection):
            s = t - u.delay
            delta = ctx.n(u.dst._history[t][2], ("object", u.dst, "delta", t), True)
            syms.append(_prod([_at(_delta(u.dst), t), _at(_out(u.src), s)]))
            nums.append(_prod([delta, _a_src(ctx, seq, u)]))
            values.append(ctx.rec.bp4[u, t].value)
            if s < 0 and u.src not in before_start:
                before_start.append(u.src)
        else:
            syms.append(_at(_delta(u), t))
            nums.append(ctx.n(u._history[t][2], ("object", u, "delta", t), bool(nums)))
    ctx.t = None
    total = ctx.rec.grads[p]
    body = general[0] if len(general) == 1 else _S("(%s)" % _sum(general).text,
                                                   r"\left(%s\right)" % _sum(general).tex)
    what = "BP3" if all(isinstance(u, Neuron) for u in uses) else "BP4"
    eqs = [Equation(lhs, [_S("sum over steps t of " + body.text, r"\sum_t " + body.tex),
                          _sum(syms), _sum(nums), ctx.walked(total, "grad", p, None)],
                    "%s through time: the sum over the %d step%s" % (
                        what, seq.steps, "" if seq.steps == 1 else "s"))]
    notes = ["%s(%d) is %s's value before step 0: %s" % (
        _out(n).text, -1, n.name, "its initial" if n.initial is not None else "0")
        for n in before_start]
    dsts: List[Neuron] = []
    for u in uses:
        d = u.dst if isinstance(u, Connection) else u
        if d not in dsts:
            dsts.append(d)
    notes.append("each delta at step t: net.explain(%s, step=t)" % " or ".join(
        repr(d.name) for d in dsts))
    notes += grad_notes(ctx, p, total)
    update, more = update_eqs(ctx, p, opt, given)
    return Explanation("dE/d" + p.name, total, eqs + update, notes + more, ctx.note_numbers)


def _explain_neuron_in_time(ctx: _Ctx, seq: Any, n: Neuron, step: Any,
                            phase: Optional[str] = None) -> Explanation:
    if n.is_input and phase != "forward":
        raise StateError("input neuron %r has no delta (inputs take their values from "
                         "forward_sequence); explain a neuron made with add_neuron, or a weight"
                         % n.name)
    T = seq.steps
    t = T - 1 if step is None else step
    if not -T <= t < T:
        raise NameLookupError("explain(step=%r): the last forward_sequence had %d steps "
                              "(0..%d, or negative from the end)" % (step, T, T - 1))
    if t < 0:
        t += T
    net = ctx.net
    saved = [(m, m.z, m.a, m.delta, m.grad_a) for m in net._neurons]
    try:
        for m in net._neurons:                    # step t's numbers on the neurons
            m.z, m.a, m.delta, m.grad_a = m._history[t][:4]
        _at_step(ctx, seq, t)
        if phase == "forward":
            return forward_step(ctx, n, seq)
        e = _neuron_at(ctx, seq, n, t)
        return e if phase is None else backward_step(ctx, n, e, seq)
    finally:
        for m, z, a, delta, grad_a in saved:
            m.z, m.a, m.delta, m.grad_a = z, a, delta, grad_a


def _neuron_at(ctx: _Ctx, seq: Any, n: Neuron, t: int) -> Explanation:
    lhs = _at(_delta(n), t)
    out_t = _at(_out(n), t)
    fp = ctx.fprime(n)
    bp = "BP1" if n.is_output else "BP2"
    title = "delta_%s(%d)" % (n.name, t)
    if fp is None:
        eqs = [Equation(lhs, [_d(_E(), _at(_net(n), t)), ctx.obj(n, "delta")], bp)]
        eqs += ctx.given_eqs(n)
        return Explanation(title, n.delta, eqs, [], ctx.note_numbers)
    eqs = [Equation(lhs, [_prod([_d(_E(), out_t), _d(_out(n), _net(n))]),
                          _prod([ctx.obj(n, "grad_a", True), ctx.n(fp, ("f'", n, t), True)]),
                          ctx.obj(n, "delta")], bp)]
    eqs += ctx.fprime_eqs(n, fp) + ctx.grad_a_eqs(n)
    return Explanation(title, n.delta, eqs, [], ctx.note_numbers)


def _grad_a_at(ctx: _Ctx, seq: Any, n: Neuron, t: int) -> Equation:
    """dE/d(out_n(t)) as the walk added it up: what later steps passed back through the
    delayed connections, the loss gradient at step t, the connections at step t."""
    out_t = _at(_out(n), t)
    rec = ctx.rec
    syms: List[_S] = []
    factors: List[_S] = []
    terms: List[Any] = []                         # (value, where it comes from)
    later = 0
    pasts = {}                                    # each Past of n once, the latest step first
    for c in n.delayed_outputs:
        pasts.setdefault(c.upstream, c.delay)
    for past, d in sorted(pasts.items(), key=lambda item: -item[1]):
        s = t + d
        if s >= seq.steps or (seq.truncate is not None and s // seq.truncate != t // seq.truncate):
            continue
        for c in rec.into.get((past, s), []):
            syms.append(_prod([_at(_delta(c.dst), s), _name(c.param.name if c.tied else c.name)]))
            factors.append(_prod([ctx.n(c.dst._history[s][2], ("object", c.dst, "delta", s),
                                        True), ctx.weight(c.param, True)]))
            terms.append((rec.bp2[c, s].value, ("walk", "BP2", c, s)))
            later += 1
    if n.is_output and seq.targets[t] is not None:
        syms.append(_d(_S("E(%d)" % t, "E(%d)" % t, True), out_t))
        terms.append((rec.loss_gradients[n, t], ("loss gradient", n, t)))
        factors.append(ctx.n(*terms[-1], bool(factors)))
    now = rec.into.get((n, t), [])
    for c in now:
        syms.append(_prod([_at(_delta(c.dst), t), _name(c.param.name if c.tied else c.name)]))
        factors.append(_prod([ctx.obj(c.dst, "delta", True), ctx.weight(c.param, True)]))
        terms.append((rec.bp2[c, t].value, ("walk", "BP2", c, t)))
    lhs = _d(_E(), out_t)
    if n.is_output and not later and not now and seq.targets[t] is not None:
        return Equation(lhs, [ctx.obj(n, "grad_a")],
                        "loss gradient at output %s, step %d" % (n.name, t))
    parts = []
    if n.is_output:
        parts.append("the loss at step %d" % t if seq.targets[t] is not None
                     else "no target at step %d" % t)
    parts.append("%d connection%s at step %d" % (len(now), "" if len(now) == 1 else "s", t))
    parts.append("%d delayed connection%s into later steps" % (later, "" if later == 1 else "s"))
    steps = [_sum(syms), _sum(factors)] if syms else []
    if len(terms) > 1:
        steps.append(_sum([ctx.n(x, src, i > 0) for i, (x, src) in enumerate(terms)]))
    return Equation(lhs, steps + [ctx.obj(n, "grad_a")], "BP2 through time: " + ", ".join(parts))
