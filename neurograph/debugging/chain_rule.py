"""The chain rule behind one number: explain a gradient or a neuron's delta.

``net.explain("w5")`` writes the chain rule behind one gradient (or one
neuron's ``delta``) with the numbers of the last backward pass filled in, the
way a textbook works it out by hand.  Every line names the equation it uses
(Nielsen's BP1..BP4; see :data:`~neurograph.debugging.notation.EQUATIONS`).
With ``optimizer=`` (or ``lr=``, plain gradient descent) the update follows,
in the optimizer's own numbers (:mod:`~neurograph.debugging.updates`); with
``phase="forward"`` or ``"backward"`` a neuron's step of the walk is written
out instead (:mod:`~neurograph.debugging.steps`).

Every number printed is read from the objects, computed by the walk's own
functions (``neuron.df``, ``core.walk.softmax_shift``), recorded from the
walk's own arithmetic in a replay of the pass
(:mod:`~neurograph.debugging.recording`: BP2's per-path terms such as
Mazur's ``dE_o1/dout_h1 = w5 * delta_o1``, BP4's per-use and per-step
terms, this pass's gradient), or described by the optimizer; nothing is
computed here.  See :mod:`~neurograph.debugging.derivatives` for which is
which, and ``Explanation.numbers()``.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``explain(net, name, ...)``        an :class:`~neurograph.debugging.notation.Explanation`
                                   of a parameter's gradient or a neuron's delta
``MAX_DIGITS``                     the most decimal places ``digits=`` may ask for
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

from typing import Any, List, Optional

from ..core.errors import FormatError, NameLookupError, StateError, TopologyError
from ..core.net import Connection, Net, Neuron, Parameter
from .derivatives import _Ctx
from .in_time import _explain_neuron_in_time, _explain_param_in_time, _sequence
from .notation import (_E, Equation, Explanation, _S, _d, _delta, _name, _net, _out, _prod,
                       _sum, _tex_name)
from .recording import replay
from .steps import backward_step, forward_step
from .updates import grad_notes, optimizer_of, update_eqs

__all__ = ["explain", "MAX_DIGITS"]

#: The most decimal places ``explain(digits=)`` may ask for.
MAX_DIGITS = 1000
_PHASES = (None, "forward", "backward")


def _check_state(net: Net, forward_only: bool) -> None:
    if forward_only:
        if net._forwarded is None or net._forwarded is not net._order:
            raise StateError("explain(phase='forward') needs a forward pass on the net as it is "
                             "now: call net.forward(x) first")
        return
    if net._forwarded is None or net._forwarded is not net._order or not net._backwarded:
        raise StateError("explain needs a forward and a backward pass on the net as it is now: "
                         "call net.forward(x) and net.backward(y) first")


def _check_arguments(net: Net, name: Any, digits: Any, step: Any, phase: Any) -> Any:
    """The object *name* names, once every argument of explain is checked."""
    if not isinstance(net, Net):
        raise TopologyError("explain needs a Net as its first argument, got %r" % (net,))
    obj = net[name] if isinstance(name, str) else name
    if getattr(obj, "net", None) is not net:
        raise NameLookupError("%r is not a neuron, connection or parameter of this net" % (name,))
    if digits is not None and (type(digits) is not int or not 0 <= digits <= MAX_DIGITS):
        raise FormatError("explain(digits=%r): give a whole number of decimal places from 0 to "
                          "%d, or None (a float with 9, a Decimal or Fraction exactly)"
                          % (digits, MAX_DIGITS))
    if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
        raise NameLookupError("explain(step=%r): give a whole number, the time step of the last "
                              "forward_sequence (negative counts from the end)" % (step,))
    if phase not in _PHASES:
        raise NameLookupError("explain(phase=%r): use 'forward' (a neuron's z and a), "
                              "'backward' (its delta and what it adds to the gradients) or None"
                              % (phase,))
    if phase is not None and not isinstance(obj, Neuron):
        raise NameLookupError("explain(phase=%r) writes out one neuron's step of the walk; %r "
                              "is a parameter: leave phase out" % (phase, name))
    return obj


def explain(net: Net, name: Any, *, digits: Optional[int] = None, lr: Any = None,
            step: Optional[int] = None, optimizer: Any = None,
            phase: Optional[str] = None) -> Explanation:
    """The chain rule behind the gradient of parameter *name*, or the delta of neuron *name*.

    *digits* is the number of decimal places (floats default to 9; Decimal
    and Fraction nets print exact values unless *digits* is given).  With
    *optimizer* (an optimizer of this net) the update it makes follows, in its
    own numbers: what ``opt.step()`` would do, or, after a step with
    :func:`remember` listening, what it did; *lr* is plain gradient descent,
    ``w+ = w - eta * dE/dw``.  The numbers are those of the last backward
    pass: call explain before ``opt.step()``, or call :func:`remember` once so
    the weights the pass used are kept.

    After ``forward_sequence`` and ``backward_sequence`` (a recurrent net) a
    gradient is the sum over the time steps, written with each step's term
    (``delta_h(t) * out_h(t-1)`` for a delayed connection), and a neuron's
    delta is explained at time step *step* (default: the last) through its
    connections at that step and its delayed ones into later steps.

    *phase* writes out one neuron's step of the walk instead: ``"forward"``
    its ``z`` with every term (delayed ones too) and ``a = f(z)`` (a forward
    pass is enough); ``"backward"`` its delta, then what it adds to its
    bias's gradient (BP3) and to each incoming connection's (BP4).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> print(ex.net.explain("h1", digits=6).lines()[0])
    delta_h1 = dE/d(out_h1) * d(out_h1)/d(net_h1)   [BP2]
    >>> print(ex.net.explain("o1", phase="backward").lines()[-1])
    dE/dw6 += delta_o1 * out_h2 = 0.138498562 * 0.596884378 = 0.082667628   [BP4]
    """
    obj = _check_arguments(net, name, digits, step, phase)
    forward_only = phase == "forward"
    seq = _sequence(net)
    if seq is not None:
        if seq.targets is None and not forward_only:
            raise StateError("explain needs a backward pass: call net.backward_sequence(ys) "
                             "after net.forward_sequence(xs)")
    else:
        if step is not None:
            raise StateError("explain(step=%r) reads a time step of forward_sequence and "
                             "backward_sequence; the last passes were forward and backward"
                             % (step,))
        if net._ordered().delayed:
            raise StateError("explain needs a forward_sequence(xs) and a backward_sequence(ys) "
                             "pass on this recurrent net first")
        _check_state(net, forward_only)
    opt = optimizer_of(net, optimizer, lr)  # (checked now; a neuron has no update)
    made = optimizer is not None            # (an optimizer given: it may have stepped)
    ctx = _Ctx(net, digits, replay(net, seq, forward_only))
    if seq is not None:
        if isinstance(obj, Neuron):
            return _explain_neuron_in_time(ctx, seq, obj, step, phase)
        return _explain_param_in_time(ctx, seq, obj.param, opt, made)
    if phase == "forward":
        return forward_step(ctx, obj)
    if phase == "backward":
        return backward_step(ctx, obj, _explain_neuron(ctx, obj))
    if isinstance(obj, Neuron):
        return _explain_neuron(ctx, obj)
    return _explain_param(ctx, obj.param, opt, made)


def _explain_neuron(ctx: _Ctx, n: Neuron) -> Explanation:
    if n.is_input:        # dE/dx: the error passed back to the input (as micrograd's x.grad)
        return Explanation("dE/d" + n.name, n.grad_a, ctx.grad_a_eqs(n), [])
    lhs = _delta(n)
    fp = ctx.fprime(n)
    bp = "BP1" if n.is_output else "BP2"
    if fp is None:
        eqs = [Equation(lhs, [_d(_E(), _net(n)), ctx.obj(n, "delta")], bp)]
        eqs += ctx.given_eqs(n)
    else:
        eqs = [Equation(lhs, [_prod([_d(_E(), _out(n)), _d(_out(n), _net(n))]),
                              _prod([ctx.obj(n, "grad_a", True), ctx.n(fp, ("f'", n, None), True)]),
                              ctx.obj(n, "delta")], bp)]
        eqs += ctx.fprime_eqs(n, fp) + ctx.grad_a_eqs(n)
    return Explanation("delta_" + n.name, n.delta, eqs, [], ctx.note_numbers)


def _explain_param(ctx: _Ctx, p: Parameter, opt: Any, given: bool) -> Explanation:
    uses = ctx.rec.adds.get(p)
    if not uses:
        raise TopologyError("parameter %r is not used by any connection or neuron, so it has no "
                            "gradient: use it as a bias or a tied weight" % p.name)
    psym = _name(p.name)
    lhs = _d(_E(), psym)
    eqs: List[Equation] = []
    shares: List[Any] = []                 # each use's term: (value, where it comes from)
    use_eqs: List[Equation] = []
    for u, _ in uses:
        if isinstance(u, Connection):
            dst, tag, dnet = u.dst, "BP4", ctx.obj(u.src, "a", True)
            share = (ctx.rec.bp4[u, None].value, ("walk", "BP4", u, None))
        else:
            dst, tag, dnet = u, "BP3", _S("1", "1")
            share = (u.delta, ("object", u, "delta", None))
        shares.append(share)
        ulhs = lhs if len(uses) == 1 else _S("%s (via %s)" % (lhs.text, u.name),
                                             r"%s\big|_{%s}" % (lhs.tex, _tex_name(u.name)))
        main, follow = ctx.local(dst, _d(_net(dst), psym), dnet, ctx.n(*share), tag, ulhs)
        use_eqs.append(main)
        use_eqs.extend(follow)
    total = ctx.rec.grads[p]
    if len(uses) > 1:
        vias = [_S("%s (via %s)" % (lhs.text, u.name), r"%s\big|_{%s}" % (lhs.tex, _tex_name(u.name)))
                for u, _ in uses]
        eqs.append(Equation(lhs, [_sum(vias), _sum([ctx.n(x, src, i > 0) for i, (x, src) in
                                                    enumerate(shares)]),
                                  ctx.walked(total, "grad", p, None)],
                            "shared parameter: sum over its %d uses" % len(uses)))
    eqs.extend(use_eqs)
    notes = grad_notes(ctx, p, total)
    update, more = update_eqs(ctx, p, opt, given)
    return Explanation("dE/d" + p.name, total, eqs + update, notes + more, ctx.note_numbers)
