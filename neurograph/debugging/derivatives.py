"""The pieces of an explanation: each partial derivative of the chain rule, written out.

An explanation is built from a handful of pieces, each an :class:`Equation`
with its symbols and its numbers: the chain rule of one use of a parameter
(``dE/dw = dE/d(out) * d(out)/d(net) * d(net)/dw``), the derivative of an
activation, ``dE/d(out)`` of an output (the loss gradient) or of a hidden
neuron (BP2, a sum over its outgoing connections), the closed forms of BP1
(softmax and cross-entropy, sigmoid and binary cross-entropy, the softmax
Jacobian), and the plain-SGD update line.  The chain rule itself is put
together in :mod:`neurograph.debugging.chain_rule`, through time in
:mod:`neurograph.debugging.in_time`.

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
``_Ctx(net, places)``      the net, its numbers and the weights the backward pass used;
                           ``local``, ``fprime_eqs``, ``grad_a_eqs``, ``closed_delta_eqs``
``_update(ctx, p, ...)``   the notes on ``.grad`` and changed weights, the update line
=========================  ==========================================================

>>> import neurograph as ng
>>> from neurograph.debugging.derivatives import _Ctx
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> [eq.lhs.text for eq in _Ctx(ex.net, 4).grad_a_eqs(ex.net["h1"])]
['dE/d(out_h1)', 'dE_o1/d(out_h1)', 'dE_o2/d(out_h1)']
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..core.net import Net, Neuron
from .hooks import _memory
from .notation import (_E, Equation, _S, _close, _d, _name, _net, _num_sym, _out, _prod, _raw,
                       _sum, _tex_escape, _tex_name)

__all__: List[str] = []


class _Ctx:
    """What an explanation needs: the net, number formatting, pre-step weights."""

    def __init__(self, net: Net, places: Optional[int]) -> None:
        self.net = net
        self.num = net.number_system
        self.places = places
        mem = _memory(net)
        self.saved: Dict[Any, Any] = dict(mem.saved) if mem is not None else {}

    def n(self, x: Any, paren: bool = False) -> _S:
        """*x* as a symbol, with the explanation's decimal places."""
        return _num_sym(x, self.places, paren)

    def text(self, x: Any) -> str:
        """*x* as plain text, with the explanation's decimal places."""
        return _num_sym(x, self.places).text

    def w(self, param: Any) -> Any:
        """A parameter's value as the last backward pass used it."""
        v = self.saved.get(param)
        return param.value if v is None else v

    def fprime(self, n: Neuron) -> Any:
        act = n.activation
        if act is None or not act.elementwise:
            return None
        try:
            df = act.functions(self.num)[1]
            return df(n.a) if act.wrt == "a" else df(n.z)
        except Exception:  # a user's derivative that fails: fall back to delta itself
            return None

    def factorable(self, n: Neuron) -> Optional[Any]:
        """f'(net_n) when delta_n = dE/d(out_n) * f'(net_n), else None (softmax, closed form)."""
        act = n.activation
        loss = self.net._last_pass[0]
        if n.is_output and act is not None and act.builtin and loss is not None and \
                loss.shortcut(act.name):
            return None                           # the closed form (see closed_delta_eqs)
        return self.fprime(n)

    # -- pieces ------------------------------------------------------------
    def local(self, n: Neuron, wrt: _S, dnet: Any, dnet_sym: _S, value: Any, tag: str,
              lhs: _S) -> Tuple[Equation, List[Equation]]:
        """``lhs = dE/d(out_n) * d(out_n)/d(net_n) * d(net_n)/d(wrt)`` and its follow-ups."""
        fp = self.factorable(n)
        bp = "BP1" if n.is_output else "BP2"
        if fp is not None:
            sym = _prod([_d(_E(), _out(n)), _d(_out(n), _net(n)), dnet_sym])
            nums = _prod([self.n(n.grad_a, True), self.n(fp, True), self.n(dnet, True)])
            main = Equation(lhs, [sym, nums, self.n(value)], "%s, %s" % (tag, bp))
            return main, self.fprime_eqs(n, fp) + self.grad_a_eqs(n)
        sym = _prod([_d(_E(), _net(n)), dnet_sym])
        nums = _prod([self.n(n.delta, True), self.n(dnet, True)])
        main = Equation(lhs, [sym, nums, self.n(value)], "%s, %s" % (tag, bp))
        return main, self.closed_delta_eqs(n)

    def fprime_eqs(self, n: Neuron, fp: Any) -> List[Equation]:
        name = n.activation.name if n.activation is not None else ""
        lhs = _d(_out(n), _net(n))
        o, a = _out(n), self.n(n.a, True)
        if name == "sigmoid":
            sym = _raw("%s * (1 - %s)" % (o.text, o.text), r"%s \cdot (1 - %s)" % (o.tex, o.tex))
            nums = _raw("%s * (1 - %s)" % (a.text, a.text), r"%s \cdot (1 - %s)" % (a.tex, a.tex))
        elif name == "tanh":
            sym = _raw("1 - %s^2" % o.text, r"1 - %s^{2}" % o.tex)
            nums = _raw("1 - %s^2" % a.text, r"1 - {%s}^{2}" % a.tex)
        else:
            z = self.n(n.z, True)
            fn = _tex_escape(name)
            return [Equation(lhs, [_raw("%s'(%s)" % (name, _net(n).text),
                                        r"\mathrm{%s}'(%s)" % (fn, _net(n).tex)),
                                   _raw("%s'(%s)" % (name, z.text), r"\mathrm{%s}'(%s)" % (fn, z.tex)),
                                   self.n(fp)], "f'", True)]
        return [Equation(lhs, [sym, nums, self.n(fp)], name + "'")]

    def grad_a_eqs(self, n: Neuron) -> List[Equation]:
        """dE/d(out_n): the loss gradient (outputs) or the sum over outgoing paths (BP2)."""
        lhs = _d(_E(), _out(n))
        if n.is_output:
            return [Equation(lhs, [self.n(n.grad_a)], "loss gradient at output %s" % n.name)]
        terms, vals, follow = [], [], []
        for c in n.outputs:
            k = c.dst
            terms.append(_d(_E(k), _out(n)))
            w = self.w(c.param)
            val = k.delta * w
            vals.append(val)
            wsym = _name(c.param.name) if c.tied or c.name == c.param.name else _name(c.name)
            follow.append(Equation(_d(_E(k), _out(n)), [
                _prod([_d(_E(), _net(k)), _d(_net(k), _out(n))]),
                _prod([self.n(k.delta, True), self.n(w, True)]),
                self.n(val)], "BP2: delta_%s * %s" % (k.name, wsym.text)))
        eq = Equation(lhs, [_sum(terms), _sum([self.n(v, i > 0) for i, v in enumerate(vals)]),
                            self.n(n.grad_a)],
                      "BP2: sum over the %d connection%s out of %s" % (
                          len(terms), "" if len(terms) == 1 else "s", n.name))
        if len(terms) == 1:
            eq = Equation(lhs, [terms[0], self.n(n.grad_a)], "BP2: one connection out of %s" % n.name)
        return [eq] + follow

    def closed_delta_eqs(self, n: Neuron) -> List[Equation]:
        """BP1 for an output whose delta is not dE/da * f'(z) alone: a softmax group, or a
        loss that cancels the activation's derivative (the closed form), numbers filled in."""
        loss = self.net._last_pass[0]
        act = n.activation
        if act is not None and act.builtin and loss is not None and \
                loss.shortcut(act.name) is not None:
            return [self._closed_form_eq(n)]
        if act is not None and not act.elementwise:   # the softmax Jacobian: a (g - sum g a)
            return [self._softmax_jacobian_eq(n)] + self.grad_a_eqs(n)
        return [Equation(_d(_E(), _net(n)), [self.n(n.delta)], "BP1")]

    def _closed_form_eq(self, n: Neuron) -> Equation:
        """delta = out - y, when the loss cancels the activation's derivative."""
        loss, targets = self.net._last_pass
        act = n.activation
        o, y = _out(n), _S("y_" + n.name, "y_{%s}" % _tex_name(n.name))
        t = targets.get(n)
        lhs = _d(_E(), _net(n))
        if act.elementwise:                       # e.g. sigmoid with cross-entropy
            sym = _raw("%s - %s" % (o.text, y.text), "%s - %s" % (o.tex, y.tex))
            nums = _raw("%s - %s" % (self.n(n.a).text, self.n(t, True).text),
                        "%s - %s" % (self.n(n.a).tex, self.n(t, True).tex))
            return Equation(lhs, [sym, nums, self.n(n.delta)],
                            "BP1, closed form: %s' cancels in %s" % (act.name, loss.name))
        total = None                              # softmax with cross-entropy
        for m in n.group or [n]:
            total = targets[m] if total is None else total + targets[m]
        if total == 1:
            sym = _raw("%s - %s" % (o.text, y.text), "%s - %s" % (o.tex, y.tex))
            nums = _raw("%s - %s" % (self.n(n.a).text, self.n(t, True).text),
                        "%s - %s" % (self.n(n.a).tex, self.n(t, True).tex))
            why = "the targets of the softmax group add up to 1"
        else:
            sym = _raw("%s * sum_j y_j - %s" % (o.text, y.text),
                       r"%s \sum_j y_j - %s" % (o.tex, y.tex))
            nums = _raw("%s * %s - %s" % (self.n(n.a).text, self.n(total, True).text,
                                          self.n(t, True).text),
                        r"%s \cdot %s - %s" % (self.n(n.a).tex, self.n(total, True).tex,
                                               self.n(t, True).tex))
            why = "sum_j y_j = %s" % self.n(total).text
        return Equation(lhs, [sym, nums, self.n(n.delta)],
                        "BP1, closed form: softmax and %s cancel; %s" % (loss.name, why))

    def _softmax_jacobian_eq(self, n: Neuron) -> Equation:
        """delta = out * (dE/d(out) - sum_j dE/d(out_j) * out_j), over the softmax group."""
        o = _out(n)
        group = n.group or [n]
        g = _d(_E(), o)
        sym = _raw("%s * (%s - sum_j dE/d(out_j) * out_j)" % (o.text, g.text),
                   r"%s \left(%s - \sum_j \frac{\partial E}{\partial out_j} out_j\right)"
                   % (o.tex, g.tex))
        shift = None
        parts_t, parts_x = [], []
        for m in group:
            term = m.grad_a * m.a
            shift = term if shift is None else shift + term
            parts_t.append("%s * %s" % (self.n(m.grad_a, True).text, self.n(m.a, True).text))
            parts_x.append(r"%s \cdot %s" % (self.n(m.grad_a, True).tex, self.n(m.a, True).tex))
        a, g_a = self.n(n.a), self.n(n.grad_a, True)
        nums = _raw("%s * (%s - (%s))" % (a.text, g_a.text, " + ".join(parts_t)),
                    r"%s \left(%s - (%s)\right)" % (a.tex, g_a.tex, " + ".join(parts_x)))
        shown = _raw("%s * (%s - %s)" % (a.text, g_a.text, self.n(shift, True).text),
                     r"%s \left(%s - %s\right)" % (a.tex, g_a.tex, self.n(shift, True).tex))
        return Equation(_d(_E(), _net(n)), [sym, nums, shown, self.n(n.delta)],
                        "BP1, the softmax Jacobian couples the group %s"
                        % ", ".join(m.name for m in group))


def _update(ctx: _Ctx, p: Any, total: Any, lr: Any, eqs: List[Equation], notes: List[str]) -> None:
    """The notes on accumulated gradients and changed weights, and the update line (*lr*)."""
    net = ctx.net
    psym = _name(p.name)
    lhs = _d(_E(), psym)
    grad = p.grad
    if not _close(grad, total):
        notes.append("%s.grad holds %s, not this pass's %s: gradients add up over backward "
                     "passes until zero_grad(); the update uses .grad" % (
                         p.name, ctx.text(grad), ctx.text(total)))
    w = ctx.w(p)
    if p in ctx.saved:
        notes.append("%s has been updated since that backward pass (it is now %s); the lines "
                     "above use the value the pass used, %s" % (
                         p.name, ctx.text(p.value), ctx.text(w)))
    if lr is not None:
        if not p.trainable:
            notes.append("%s is frozen: optimizers leave it at %s" % (p.name, ctx.text(w)))
        else:
            eta = net.number_system.convert(lr, "learning rate lr of explain")
            new = w - eta * grad
            plus = _S(p.name + "+", r"%s^{+}" % psym.tex)
            eqs.append(Equation(plus, [
                _S("%s - eta * %s" % (psym.text, lhs.text), r"%s - \eta \cdot %s" % (psym.tex, lhs.tex)),
                _S("%s - %s * %s" % (ctx.n(w).text, ctx.n(eta).text, ctx.n(grad, True).text),
                   r"%s - %s \cdot %s" % (ctx.n(w).tex, ctx.n(eta).tex, ctx.n(grad, True).tex)),
                ctx.n(new)], "update", True))
