"""One neuron's step of the walk, written out: its forward step, its backward step.

``net.explain("h1", phase="forward")`` writes how the walk computed neuron
h1 on the forward pass, ``z = b + sum w * a_src`` with every term (for a
recurrent net the delayed ones too, ``w * out_h(t-1)``) and ``a = f(z)``;
``phase="backward"`` its delta (as ``net.explain("h1")``), then what the walk
added to its bias's gradient (BP3) and to each incoming connection's
(BP4, the term as the walk made it).  These are the lines the playground
shows at each step of its walk.  Weights are those the pass used; ``z``,
``a`` and ``delta`` are read from the neuron; the BP4 terms are recorded in
a replay of the pass (:mod:`~neurograph.debugging.recording`).

=====================================  ================================================
name                                   what it is
=====================================  ================================================
``forward_step(ctx, n, seq)``          z with every term, then a = f(z)
``backward_step(ctx, n, delta)``       delta's lines, then BP3 and BP4 lines
``_a_src(ctx, seq, c)``                what connection *c* delivered (a delayed one:
                                       its source's a of *delay* steps before)
=====================================  ================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x)
>>> print(ex.net.explain("h1", phase="forward"))
net_h1 = b1 + w1 * out_i1 + w2 * out_i2   [z = b + sum w * a_src]
       = 0.350000000 + 0.150000000 * 0.050000000 + 0.200000000 * 0.100000000
       = 0.377500000
out_h1 = sigmoid(net_h1) = sigmoid(0.377500000) = 0.593269992   [a = f(z)]
"""

from __future__ import annotations

from typing import Any, List

from ..core.net import Neuron
from .derivatives import _Ctx
from .notation import (_E, Equation, Explanation, _S, _at, _d, _form, _name, _net, _out, _prod,
                       _sum, _tex_escape)

__all__: List[str] = []


def _a_src(ctx: _Ctx, seq: Any, c: Any, paren: bool = True) -> _S:
    """The activation connection *c* delivered at the context's step: its source's ``a``
    (at step t: ``src.at(t).a``), for a delayed connection its source's a of ``delay`` steps
    before (before step 0: the source's initial value)."""
    if ctx.t is None:
        return ctx.obj(c.src, "a", paren)
    s = ctx.t - c.delay
    if s >= 0:
        return ctx.n(c.src._history[s][1], ("object", c.src, "a", s), paren)
    return ctx.n(seq.initial[c.src], ("initial", c.src), paren)


def _src_sym(ctx: _Ctx, c: Any) -> _S:
    """``out_src``, ``out_src(t)`` or ``out_src(t-d)``: the symbol of what *c* delivers."""
    if ctx.t is None:
        return _out(c.src)
    return _at(_out(c.src), ctx.t - c.delay)


def _at_t(ctx: _Ctx, sym: _S) -> _S:
    return sym if ctx.t is None else _at(sym, ctx.t)


def _w_sym(c: Any) -> _S:
    return _name(c.param.name if c.tied else c.name)


def forward_step(ctx: _Ctx, n: Neuron, seq: Any = None) -> Explanation:
    """Neuron *n*'s forward step: ``z`` as the walk summed it, then ``a = f(z)``."""
    out_n = _at_t(ctx, _out(n))
    if n.is_input:
        return Explanation("out_" + n.name, n.a, [Equation(out_n, [ctx.obj(n, "a")],
                                                          "an input", True)], [])
    syms: List[_S] = []
    nums: List[_S] = []
    if n.bias is not None:                        # the walk starts z at the bias
        syms.append(_name(n.bias.name))
        nums.append(ctx.weight(n.bias))
    for c in n.incoming:                          # (delayed connections first, as it reads them)
        syms.append(_prod([_w_sym(c), _src_sym(ctx, c)]))
        nums.append(_prod([ctx.weight(c.param, True), _a_src(ctx, seq, c)]))
    delayed = " + sum w * a_src(t-d)" if n.delayed_inputs else ""
    z_line = Equation(_at_t(ctx, _net(n)), [_sum(syms) if syms else _S("0", "0"),
                                            _sum(nums) if nums else _S("0", "0"),
                                            ctx.obj(n, "z")], "z = b%s + sum w * a_src" % delayed)
    act = n.activation.name
    f_tex = r"\mathrm{%s}" % _tex_escape(act).replace("%", "%%") + "(%s)"
    if n.group is None:
        a_line = Equation(out_n, [_form(act.replace("%", "%%") + "(%s)", f_tex,
                                        _at_t(ctx, _net(n))),
                                  _form(act.replace("%", "%%") + "(%s)", f_tex, ctx.obj(n, "z")),
                                  ctx.obj(n, "a")], "a = f(z)", True)
    else:
        group = n.group
        a_line = Equation(out_n, [
            _form("e^%s / (%s)", r"e^{%s} / (%s)", _at_t(ctx, _net(n)),
                  _sum([_form("e^%s", "e^{%s}", _at_t(ctx, _net(m))) for m in group])),
            _form("e^%s / (%s)", r"e^{%s} / (%s)", ctx.obj(n, "z", True),
                  _sum([_form("e^%s", "e^{%s}", ctx.obj(m, "z", True)) for m in group])),
            ctx.obj(n, "a")], "a = softmax over %s" % ", ".join(m.name for m in group), True)
    return Explanation("out_" + n.name, n.a, [z_line, a_line], [], ctx.note_numbers)


def backward_step(ctx: _Ctx, n: Neuron, delta: Explanation,
                  seq: Any = None) -> Explanation:
    """Neuron *n*'s backward step: the lines of *delta* (its explanation), then what the
    walk added to its bias's gradient (BP3) and to each incoming connection's (BP4)."""
    eqs = list(delta.equations)
    if n.is_input:
        return delta
    t = ctx.t
    d_n = _at_t(ctx, _S("delta_" + n.name, r"\delta_{%s}" % n.name))
    if n.bias is not None:
        eqs.append(Equation(_d(_E(), _name(n.bias.name)), [d_n, ctx.obj(n, "delta")], "BP3",
                            True, "+="))
    for c in n.incoming:                          # in the walk's order
        term = ctx.rec.bp4[c, t]
        eqs.append(Equation(_d(_E(), _w_sym(c)), [
            _prod([d_n, _src_sym(ctx, c)]),
            _prod([ctx.obj(n, "delta", True), _a_src(ctx, seq, c)]),
            ctx.walked(term.value, "BP4", c, t)],
            "BP4" if not c.delay else "BP4: delta * a_src(t-%d)" % c.delay, True, "+="))
    return Explanation(delta.title, delta.value, eqs, delta.notes, delta._note_numbers)
