"""Explanations through time: a recurrent net after forward_sequence and backward_sequence.

A gradient of a recurrent net is the sum over the time steps of one term per
step (``delta_h(t) * out_h(t-1)`` for a connection of delay 1); a neuron's
delta at step *t* gathers its connections at that step and its delayed
connections into later steps (BP2 through time).  :func:`explain
<neurograph.debugging.chain_rule.explain>` comes here when the net's last
passes were ``forward_sequence`` and ``backward_sequence``.

==========================================  =========================================
name                                        what it is
==========================================  =========================================
``_sequence(net)``                          the last forward_sequence, if still current
``_explain_param_in_time(ctx, seq, p, lr)``  dE/dp: the sum over the steps
``_explain_neuron_in_time(ctx, seq, n, t)``  delta_n(t), with step *t*'s numbers
==========================================  =========================================

>>> import neurograph as ng
>>> rnn = ng.Net.elman([1, 2, 1], seed=2)
>>> _ = rnn.forward_sequence([[0.5], [-1.0]]); _ = rnn.backward_sequence([None, [1.0]])
>>> print(rnn.explain("h1_1", step=0).lines()[0])
delta_h1_1(0) = dE/d(out_h1_1(0)) * d(out_h1_1)/d(net_h1_1)   [BP2]
"""

from __future__ import annotations

from typing import Any, List

from ..core.errors import NameLookupError, StateError, TopologyError
from ..core.net import Connection, Net, Neuron
from .derivatives import _Ctx, _update
from .notation import (_E, Equation, Explanation, _S, _d, _delta, _name, _net, _out, _prod,
                       _sum)

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


def _at(sym: _S, t: Any) -> _S:
    """*sym* at time step *t* (a number, or a text such as "t-1")."""
    return _S("%s(%s)" % (sym.text, t), r"%s(%s)" % (sym.tex, t))


def _minus(t: str, d: int) -> str:
    return t if not d else "%s-%d" % (t, d)


def _a_at(seq: Any, n: Neuron, t: int) -> Any:
    """Neuron *n*'s activation at step *t* (its ``initial``, or 0, before step 0)."""
    return n._history[t][1] if t >= 0 else seq.initial[n]


def _explain_param_in_time(ctx: _Ctx, seq: Any, p: Any, lr: Any) -> Explanation:
    uses = p.uses()
    if not uses:
        raise TopologyError("parameter %r is not used by any connection or neuron, so it has no "
                            "gradient: use it as a bias or a tied weight" % p.name)
    lhs = _d(_E(), _name(p.name))
    general, syms, nums, values = [], [], [], []
    before_start = []
    for u in uses:
        if isinstance(u, Connection):
            general.append(_prod([_at(_delta(u.dst), "t"), _at(_out(u.src), _minus("t", u.delay))]))
        else:
            general.append(_at(_delta(u), "t"))
    for t in range(seq.steps):
        for u in uses:
            if isinstance(u, Connection):
                s = t - u.delay
                delta, a = u.dst._history[t][2], _a_at(seq, u.src, s)
                syms.append(_prod([_at(_delta(u.dst), t), _at(_out(u.src), s)]))
                nums.append(_prod([ctx.n(delta, True), ctx.n(a, True)]))
                values.append(delta * a)
                if s < 0 and u.src not in before_start:
                    before_start.append(u.src)
            else:
                delta = u._history[t][2]
                syms.append(_at(_delta(u), t))
                nums.append(ctx.n(delta, True))
                values.append(delta)
    total = values[0]
    for v in values[1:]:
        total = total + v
    body = general[0] if len(general) == 1 else _S("(%s)" % _sum(general).text,
                                                   r"\left(%s\right)" % _sum(general).tex)
    what = "BP3" if all(isinstance(u, Neuron) for u in uses) else "BP4"
    eqs = [Equation(lhs, [_S("sum over steps t of " + body.text, r"\sum_t " + body.tex),
                          _sum(syms), _sum(nums), ctx.n(total)],
                    "%s through time: the sum over the %d step%s" % (
                        what, seq.steps, "" if seq.steps == 1 else "s"))]
    notes = ["%s(%d) is %s's value before step 0: %s" % (
        _out(n).text, -1, n.name, "its initial" if n.initial is not None else "0")
        for n in before_start]
    dsts = []
    for u in uses:
        d = u.dst if isinstance(u, Connection) else u
        if d not in dsts:
            dsts.append(d)
    notes.append("each delta at step t: net.explain(%s, step=t)" % " or ".join(
        repr(d.name) for d in dsts))
    _update(ctx, p, total, lr, eqs, notes)
    return Explanation("dE/d" + p.name, total, eqs, notes)


def _explain_neuron_in_time(ctx: _Ctx, seq: Any, n: Neuron, step: Any) -> Explanation:
    if n.is_input:
        raise StateError("input neuron %r has no delta (inputs take their values from "
                         "forward_sequence); explain a neuron made with add_neuron, or a weight"
                         % n.name)
    T = seq.steps
    t = T - 1 if step is None else step
    if isinstance(t, bool) or not isinstance(t, int) or not -T <= t < T:
        raise NameLookupError("explain(step=%r): the last forward_sequence had %d steps "
                              "(0..%d, or negative from the end)" % (step, T, T - 1))
    if t < 0:
        t += T
    net = ctx.net
    saved = [(m, m.z, m.a, m.delta, m.grad_a) for m in net._neurons]
    try:
        for m in net._neurons:                    # step t's numbers on the neurons
            m.z, m.a, m.delta, m.grad_a = m._history[t][:4]
        return _neuron_at(ctx, seq, n, t)
    finally:
        for m, z, a, delta, grad_a in saved:
            m.z, m.a, m.delta, m.grad_a = z, a, delta, grad_a


def _neuron_at(ctx: _Ctx, seq: Any, n: Neuron, t: int) -> Explanation:
    lhs = _at(_delta(n), t)
    out_t = _at(_out(n), t)
    fp = ctx.factorable(n)
    bp = "BP1" if n.is_output else "BP2"
    if fp is None:
        eqs = [Equation(lhs, [_d(_E(), _at(_net(n), t)), ctx.n(n.delta)], bp)]
        eqs += ctx.closed_delta_eqs(n)
        return Explanation("delta_%s(%d)" % (n.name, t), n.delta, eqs, [])
    eqs = [Equation(lhs, [_prod([_d(_E(), out_t), _d(_out(n), _net(n))]),
                          _prod([ctx.n(n.grad_a, True), ctx.n(fp, True)]), ctx.n(n.delta)], bp)]
    eqs += ctx.fprime_eqs(n, fp)
    syms, nums = [], []
    if n.is_output and seq.targets[t] is not None:
        outputs = seq.order.outputs
        gs = seq.loss.functions(ctx.num)[1]([o.a for o in outputs], seq.targets[t])
        syms.append(_d(_S("E(%d)" % t, "E(%d)" % t, True), out_t))
        nums.append(ctx.n(gs[outputs.index(n)]))
    now = later = 0
    for c in n.outputs:
        k = c.dst
        syms.append(_prod([_at(_delta(k), t), _name(c.param.name if c.tied else c.name)]))
        nums.append(_prod([ctx.n(k.delta, True), ctx.n(ctx.w(c.param), True)]))
        now += 1
    for c in n.delayed_outputs:
        s = t + c.delay
        if s >= seq.steps or (seq.truncate is not None and s // seq.truncate != t // seq.truncate):
            continue
        syms.append(_prod([_at(_delta(c.dst), s), _name(c.param.name if c.tied else c.name)]))
        nums.append(_prod([ctx.n(c.dst._history[s][2], True), ctx.n(ctx.w(c.param), True)]))
        later += 1
    if len(syms) == 1 and now == later == 0:
        eqs.append(Equation(_d(_E(), out_t), [nums[0]],
                            "loss gradient at output %s, step %d" % (n.name, t)))
        return Explanation("delta_%s(%d)" % (n.name, t), n.delta, eqs, [])
    parts = []
    if n.is_output:
        parts.append("the loss at step %d" % t if seq.targets[t] is not None
                     else "no target at step %d" % t)
    parts.append("%d connection%s at step %d" % (now, "" if now == 1 else "s", t))
    parts.append("%d delayed connection%s into later steps" % (later, "" if later == 1 else "s"))
    steps = [_sum(syms), _sum([_S(x.text if i == 0 or not x.text.startswith("-") else
                                  "(%s)" % x.text, x.tex) for i, x in enumerate(nums)])] \
        if syms else [_S("0", "0")]
    eqs.append(Equation(_d(_E(), out_t), steps + [ctx.n(n.grad_a)],
                        "BP2 through time: " + ", ".join(parts)))
    return Explanation("delta_%s(%d)" % (n.name, t), n.delta, eqs, [])
