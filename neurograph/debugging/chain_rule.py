"""The chain rule behind one number: explain a gradient or a neuron's delta.

``net.explain("w5")`` writes the chain rule behind one gradient (or one
neuron's ``delta``) with the numbers of the last backward pass filled in, the
way a textbook works it out by hand.  Every line names the equation it uses
(Nielsen's BP1..BP4; see :data:`~neurograph.debugging.notation.EQUATIONS`).

=================================  ==================================================
name                               what it is
=================================  ==================================================
``explain(net, name, ...)``        an :class:`~neurograph.debugging.notation.Explanation`
                                   of a parameter's gradient or a neuron's delta
=================================  ==================================================

Notation (Mazur's): ``net_h1`` is neuron h1's weighted input ``z``, ``out_h1``
its activation ``a``, ``E`` the loss and ``E_o1`` the part of it that flows
through neuron o1.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> print(ex.net.explain("w5", lr=ex.lr))
dE/dw5 = dE/d(out_o1) * d(out_o1)/d(net_o1) * d(net_o1)/dw5   [BP4, BP1]
       = 0.741365070 * 0.186815602 * 0.593269992
       = 0.082167041
d(out_o1)/d(net_o1) = out_o1 * (1 - out_o1)   [sigmoid']
                    = 0.751365070 * (1 - 0.751365070)
                    = 0.186815602
dE/d(out_o1) = 0.741365070   [loss gradient at output o1]
w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480   [update]
"""

from __future__ import annotations

from typing import Any, Iterable, List, Optional

from ..core.arithmetic import number_text
from ..core.errors import FormatError, NameLookupError, StateError, TopologyError
from ..core.net import Connection, Net, Neuron, Parameter
from .derivatives import _Ctx, _update
from .in_time import _explain_neuron_in_time, _explain_param_in_time, _sequence
from .notation import (_E, Equation, Explanation, _S, _close, _d, _delta, _name, _net, _out,
                       _prod, _sum, _tex_name)

__all__ = ["explain"]


def _check_state(net: Net, obj: Any) -> None:
    if net._forwarded is None or net._forwarded is not net._order or not net._backwarded:
        raise StateError("explain needs a forward and a backward pass on the net as it is now: "
                         "call net.forward(x) and net.backward(y) first")
    for n in net._neurons:
        if not n.is_input:
            if n.delta is None:
                raise StateError("explain needs a backward pass: call net.backward(y) after "
                                 "net.forward(x) (neuron %r has no delta yet)" % n.name)
            break


def _check_weights(ctx: _Ctx, neurons: Iterable[Neuron]) -> None:
    """Refuse to explain with weights that changed since the backward pass."""
    for n in neurons:
        if n.is_input or n.is_output or n.grad_a is None:
            continue
        total = None
        for c in n.outputs:
            t = ctx.w(c.param) * c.dst.delta
            total = t if total is None else total + t
        if total is not None and not _close(total, n.grad_a):
            raise StateError(
                "the weights changed after the last backward pass (dE/d(out_%s) was %s, the "
                "current weights give %s): explain uses the values of that pass, so call it "
                "before opt.step(), or call ng.remember(net) before training to keep "
                "the weights the backward pass used"
                % (n.name, number_text(n.grad_a, 6), number_text(total, 6)))


def explain(net: Net, name: Any, *, digits: Optional[int] = None, lr: Any = None,
            step: Optional[int] = None) -> Explanation:
    """The chain rule behind the gradient of parameter *name*, or the delta of neuron *name*.

    *digits* is the number of decimal places (floats default to 9; Decimal
    and Fraction nets print exact values unless *digits* is given).  With
    *lr*, a trainable parameter's plain-SGD update ``w+ = w - eta * dE/dw``
    is shown too.  The numbers are those the objects hold after the last
    backward pass: call explain before ``opt.step()``, or call
    :func:`remember` once so the pre-step weights are kept.

    After ``forward_sequence`` and ``backward_sequence`` (a recurrent net) a
    gradient is the sum over the time steps, written with each step's term
    (``delta_h(t) * out_h(t-1)`` for a delayed connection), and a neuron's
    delta is explained at time step *step* (default: the last) through its
    connections at that step and its delayed ones into later steps.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> print(ex.net.explain("h1", digits=6).lines()[0])
    delta_h1 = dE/d(out_h1) * d(out_h1)/d(net_h1)   [BP2]
    """
    if not isinstance(net, Net):
        raise TopologyError("explain needs a Net as its first argument, got %r" % (net,))
    obj = net[name] if isinstance(name, str) else name
    if getattr(obj, "net", None) is not net:
        raise NameLookupError("%r is not a neuron, connection or parameter of this net" % (name,))
    if digits is not None and (type(digits) is not int or digits < 0):
        raise FormatError("digits must be a whole number >= 0, got %r" % (digits,))
    seq = _sequence(net)
    if seq is not None:
        if seq.targets is None:
            raise StateError("explain needs a backward pass: call net.backward_sequence(ys) "
                             "after net.forward_sequence(xs)")
        ctx = _Ctx(net, digits)
        if isinstance(obj, Neuron):
            return _explain_neuron_in_time(ctx, seq, obj, step)
        return _explain_param_in_time(ctx, seq, obj.param if isinstance(obj, Connection) else obj,
                                      lr)
    if step is not None:
        raise StateError("explain(step=%r) reads a time step of forward_sequence and "
                         "backward_sequence; the last passes were forward and backward" % (step,))
    if net._ordered().delayed:
        raise StateError("explain needs a forward_sequence(xs) and a backward_sequence(ys) pass "
                         "on this recurrent net first")
    _check_state(net, obj)
    ctx = _Ctx(net, digits)
    if isinstance(obj, Neuron):
        return _explain_neuron(ctx, obj)
    param = obj.param if isinstance(obj, Connection) else obj
    return _explain_param(ctx, param, lr)


def _explain_neuron(ctx: _Ctx, n: Neuron) -> Explanation:
    _check_weights(ctx, [n])
    if n.is_input:        # dE/dx: the error passed back to the input (as micrograd's x.grad)
        return Explanation("dE/d" + n.name, n.grad_a, ctx.grad_a_eqs(n), [])
    lhs = _delta(n)
    fp = ctx.factorable(n)
    bp = "BP1" if n.is_output else "BP2"
    if fp is None:
        eqs = [Equation(lhs, [_d(_E(), _net(n)), ctx.n(n.delta)], bp)]
        eqs += ctx.closed_delta_eqs(n)
    else:
        eqs = [Equation(lhs, [_prod([_d(_E(), _out(n)), _d(_out(n), _net(n))]),
                              _prod([ctx.n(n.grad_a, True), ctx.n(fp, True)]), ctx.n(n.delta)], bp)]
        eqs += ctx.fprime_eqs(n, fp) + ctx.grad_a_eqs(n)
    return Explanation("delta_" + n.name, n.delta, eqs, [])


def _explain_param(ctx: _Ctx, p: Parameter, lr: Any) -> Explanation:
    net = ctx.net
    uses = p.uses()
    if not uses:
        raise TopologyError("parameter %r is not used by any connection or neuron, so it has no "
                            "gradient: use it as a bias or a tied weight" % p.name)
    _check_weights(ctx, [u.dst if isinstance(u, Connection) else u for u in uses])
    psym = _name(p.name)
    lhs = _d(_E(), psym)
    eqs: List[Equation] = []
    shares: List[Any] = []
    use_eqs: List[Equation] = []
    for u in uses:
        if isinstance(u, Connection):
            dst, dnet, tag = u.dst, u.src.a, "BP4"
            dsym = _d(_net(dst), psym)
            via = u.name
        else:
            dst, dnet, tag = u, net.number_system.one, "BP3"
            dsym = _d(_net(dst), psym)
            via = u.name
        value = dst.delta * dnet
        shares.append(value)
        ulhs = lhs if len(uses) == 1 else _S("%s (via %s)" % (lhs.text, via),
                                             r"%s\big|_{%s}" % (lhs.tex, _tex_name(via)))
        main, follow = ctx.local(dst, psym, dnet, dsym, value, tag, ulhs)
        use_eqs.append(main)
        use_eqs.extend(follow)
    total = shares[0]
    for s in shares[1:]:
        total = total + s
    if len(uses) > 1:
        vias = [_S("%s (via %s)" % (lhs.text, u.name), r"%s\big|_{%s}" % (lhs.tex, _tex_name(u.name)))
                for u in uses]
        eqs.append(Equation(lhs, [_sum(vias), _sum([ctx.n(v, i > 0) for i, v in enumerate(shares)]),
                                  ctx.n(total)],
                            "shared parameter: sum over its %d uses" % len(uses)))
    eqs.extend(use_eqs)
    notes: List[str] = []
    _update(ctx, p, total, lr, eqs, notes)
    return Explanation("dE/d" + p.name, total, eqs, notes)
