"""The pieces of an explanation: each partial derivative of the chain rule, written out.

An explanation is built from a handful of pieces, each an :class:`Equation`
with its symbols and its numbers: the chain rule of one use of a parameter
(``dE/dw = dE/d(out) * d(out)/d(net) * d(net)/dw``), the derivative of an
activation, ``dE/d(out)`` of an output (the loss gradient) or of a hidden
neuron (BP2, a sum over its outgoing connections), and the closed forms of
BP1 (softmax and cross-entropy, sigmoid and binary cross-entropy, the
softmax Jacobian).  The chain rule itself is put together in
:mod:`neurograph.debugging.chain_rule`, through time in
:mod:`neurograph.debugging.in_time`, the update in
:mod:`neurograph.debugging.updates`.

Where each printed number comes from (no equation is computed here):

* ``z``, ``a``, ``delta``, ``grad_a`` and the targets are read from the
  objects after the pass (a time step's from ``neuron.at(t)``), a weight is
  the one the pass used (see :mod:`~neurograph.debugging.recording`);
* ``f'(z)`` is ``neuron.df``, the callable the walk calls, at the neuron's
  ``a`` (or ``z``); the walk rounds the product ``dE/da * f'`` and never
  ``f'`` alone, and so does not this;
* the softmax shift ``sum_j dE/da_j * a_j`` is
  :func:`neurograph.core.walk.softmax_shift`, and which outputs took a
  closed form or the softmax Jacobian is what
  :func:`neurograph.core.walk.given_deltas` returns;
* a term of a sum, BP2's ``w * delta`` of one path (Mazur's ``dE_o1/dout_h1``)
  and BP4's ``delta * a`` of one use, and this pass's gradient, are the
  walk's own products and sums, recorded in a replay of the pass
  (:mod:`~neurograph.debugging.recording`): a term is printed with the
  value the walk added, rounded as it rounded it, and a sum lists its terms
  in the order the walk added them.

Every number is a :class:`~neurograph.debugging.notation.Number` that says
which of these it is (``Explanation.numbers()``).

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
``_Ctx(net, places, rec)``  the net, its numbers, the replay's record; ``local``,
                           ``fprime_eqs``, ``grad_a_eqs``, ``given_eqs``
=========================  ==========================================================

>>> import neurograph as ng
>>> from neurograph.debugging.recording import replay
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> ctx = _Ctx(ex.net, 4, replay(ex.net))
>>> [eq.lhs.text for eq in ctx.grad_a_eqs(ex.net["h1"])]
['dE/d(out_h1)', 'dE_o1/d(out_h1)', 'dE_o2/d(out_h1)']
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Set, Tuple

from ..core import walk
from ..core.net import Net, Neuron
from .notation import (_E, Equation, Number, _S, _d, _form, _name, _net, _num_sym, _out, _prod,
                       _sum, _tex_escape, _tex_name)
from .recording import Recording

__all__: List[str] = []


class _Ctx:
    """What an explanation needs: the net, number formatting, the replay's record, and
    (through time) the step whose numbers the neurons hold now."""

    def __init__(self, net: Net, places: Optional[int], rec: Recording,
                 t: Optional[int] = None) -> None:
        self.net = net
        self.num = net.number_system
        self.places = places
        self.rec = rec
        self.t = t
        self.note_numbers: List[Number] = []
        loss, targets = net._last_pass
        self.loss, self.targets = loss, targets
        self.closed: Set[Neuron] = set()
        self.given: Set[Neuron] = set()
        #: through time: dE/d(out_n) at the context's step (see neurograph.debugging.in_time)
        self.grad_a_at: Optional[Callable[[Neuron], Equation]] = None
        order = net._forwarded
        if t is None and loss is not None and order is not None and (
                loss.cancels or order.softmax):
            ys = net._last[2]
            self.closed = set(loss.closed_form(order.outputs, ys)) if loss.cancels else set()
            self.given = set(walk.given_deltas(order, loss, ys))

    # -- numbers, each with where it comes from ----------------------------------
    def n(self, x: Any, source: Tuple[Any, ...], paren: bool = False) -> _S:
        """*x* as a symbol with the explanation's decimal places."""
        return _num_sym(x, self.places, paren, source)

    def obj(self, obj: Any, attr: str, paren: bool = False) -> _S:
        """``obj.attr`` after the pass (at the context's time step)."""
        return self.n(getattr(obj, attr), ("object", obj, attr, self.t), paren)

    def weight(self, p: Any, paren: bool = False) -> _S:
        """The weight of parameter *p* that the pass used."""
        return self.n(self.rec.weight(p), ("weight", p), paren)

    def walked(self, x: Any, kind: str, obj: Any, t: Optional[int], paren: bool = False) -> _S:
        """A term or sum the walk made (recorded in the replay)."""
        return self.n(x, ("walk", kind, obj, t), paren)

    def note(self, x: Any, source: Tuple[Any, ...]) -> str:
        """*x* as text for a note (the number is listed with the explanation's)."""
        s = self.n(x, source)
        self.note_numbers.extend(s.numbers)
        return s.text

    def fprime(self, n: Neuron) -> Any:
        """f'(z) by ``n.df``, the walk's callable, when delta_n = dE/d(out_n) * f'(net_n);
        None for a delta the walk took from a closed form or the softmax Jacobian."""
        if n in self.given or n.df is None or n.group is not None:
            return None
        try:
            return n.df(n.a if n.df_of_a else n.z)
        except Exception:  # a user's derivative that fails now: explain delta by itself
            return None

    def target(self, n: Neuron) -> _S:
        return self.n(self.targets.get(n), ("target", n, self.t), True)

    # -- pieces ------------------------------------------------------------
    def local(self, n: Neuron, dnet_sym: _S, dnet: _S, value: _S, tag: str,
              lhs: _S) -> Tuple[Equation, List[Equation]]:
        """``lhs = dE/d(out_n) * d(out_n)/d(net_n) * d(net_n)/d(...)`` and its follow-ups."""
        fp = self.fprime(n)
        bp = "BP1" if n.is_output else "BP2"
        if fp is not None:
            sym = _prod([_d(_E(), _out(n)), _d(_out(n), _net(n)), dnet_sym])
            nums = _prod([self.obj(n, "grad_a", True), self.n(fp, ("f'", n, self.t), True),
                          dnet])
            main = Equation(lhs, [sym, nums, value], "%s, %s" % (tag, bp))
            return main, self.fprime_eqs(n, fp) + self.grad_a_eqs(n)
        sym = _prod([_d(_E(), _net(n)), dnet_sym])
        nums = _prod([self.obj(n, "delta", True), dnet])
        main = Equation(lhs, [sym, nums, value], "%s, %s" % (tag, bp))
        return main, self.given_eqs(n)

    def fprime_eqs(self, n: Neuron, fp: Any) -> List[Equation]:
        """d(out_n)/d(net_n): the derivative's formula, with f' from ``n.df``."""
        act = n.activation
        name = act.name if act is not None else ""
        lhs = _d(_out(n), _net(n))
        o = _out(n)
        value = self.n(fp, ("f'", n, self.t))
        if act is not None and act.builtin and name == "sigmoid":
            a = self.obj(n, "a", True)
            return [Equation(lhs, [_form("%s * (1 - %s)", r"%s \cdot (1 - %s)", o, o),
                                   _form("%s * (1 - %s)", r"%s \cdot (1 - %s)", a, a), value],
                             "sigmoid'")]
        if act is not None and act.builtin and name == "tanh":
            a = self.obj(n, "a", True)
            return [Equation(lhs, [_form("1 - %s^2", "1 - %s^{2}", o),
                                   _form("1 - %s^2", "1 - {%s}^{2}", a), value], "tanh'")]
        at, x = (o, self.obj(n, "a", True)) if n.df_of_a else (_net(n), self.obj(n, "z", True))
        text, tex = name.replace("%", "%%") + "'(%s)", \
            r"\mathrm{" + _tex_escape(name).replace("%", "%%") + r"}'(%s)"
        return [Equation(lhs, [_form(text, tex, at), _form(text, tex, x), value], "f'", True)]

    def grad_a_eqs(self, n: Neuron) -> List[Equation]:
        """dE/d(out_n): the loss gradient (outputs) or the sum over outgoing paths (BP2),
        each path's term ``delta_k * w`` as the walk added it."""
        if self.grad_a_at is not None:
            return [self.grad_a_at(n)]
        lhs = _d(_E(), _out(n))
        if n.is_output:
            return [Equation(lhs, [self.obj(n, "grad_a")],
                             "loss gradient at output %s" % n.name)]
        t = self.t
        paths = self.rec.into.get((n, t), [])
        if not paths:
            return [Equation(lhs, [self.obj(n, "grad_a")], "no connection out of %s" % n.name)]
        terms, values, follow = [], [], []
        for c in paths:
            k, term = c.dst, self.rec.bp2[c, t]
            terms.append(_d(_E(k), _out(n)))
            values.append(self.walked(term.value, "BP2", c, t, bool(values)))
            wsym = _name(c.param.name) if c.tied or c.name == c.param.name else _name(c.name)
            follow.append(Equation(_d(_E(k), _out(n)), [
                _prod([_d(_E(), _net(k)), _d(_net(k), _out(n))]),
                _prod([self.obj(k, "delta", True), self.weight(c.param, True)]),
                self.walked(term.value, "BP2", c, t)],
                "BP2: delta_%s * %s" % (k.name, wsym.text)))
        if len(terms) == 1:
            eq = Equation(lhs, [terms[0], self.obj(n, "grad_a")],
                          "BP2: one connection out of %s" % n.name)
        else:
            eq = Equation(lhs, [_sum(terms), _sum(values), self.obj(n, "grad_a")],
                          "BP2: sum over the %d connections out of %s" % (len(terms), n.name))
        return [eq] + follow

    def given_eqs(self, n: Neuron) -> List[Equation]:
        """BP1 for an output whose delta is not dE/da * f'(z) alone: a loss that cancels the
        activation's derivative (the closed form), or a softmax group, numbers filled in."""
        if n in self.closed:
            return [self._closed_form_eq(n)]
        if n in self.given:                       # the softmax Jacobian: a (g - sum g a)
            return [self._softmax_jacobian_eq(n)] + self.grad_a_eqs(n)
        return [Equation(_d(_E(), _net(n)), [self.obj(n, "delta")],
                         "BP1" if n.is_output else "BP2")]

    def _closed_form_eq(self, n: Neuron) -> Equation:
        """delta = out - y (or out * sum_j y_j - y), when the loss cancels f'."""
        act = n.activation
        o, y = _out(n), _S("y_" + n.name, "y_{%s}" % _tex_name(n.name))
        lhs = _d(_E(), _net(n))
        a, t = self.obj(n, "a"), self.target(n)
        minus = _form("%s - %s", "%s - %s", o, y)
        if act.elementwise:                       # e.g. sigmoid with cross-entropy
            return Equation(lhs, [minus, _form("%s - %s", "%s - %s", a, t), self.obj(n, "delta")],
                            "BP1, closed form: %s' cancels in %s" % (act.name, self.loss.name))
        group = n.group or [n]                    # softmax with cross-entropy
        ys = [self.targets.get(m) for m in group]
        if all(v == 0 or v == 1 for v in ys) and sum(1 for v in ys if v == 1) == 1:
            return Equation(lhs, [minus, _form("%s - %s", "%s - %s", a, t), self.obj(n, "delta")],
                            "BP1, closed form: softmax and %s cancel; the targets are one-hot"
                            % self.loss.name)
        total = _sum([self.target(m) for m in group])
        return Equation(lhs, [_form("%s * sum_j y_j - %s", r"%s \sum_j y_j - %s", o, y),
                              _form("%s * (%s) - %s", r"%s \cdot (%s) - %s", a, total, t),
                              self.obj(n, "delta")],
                        "BP1, closed form: softmax and %s cancel; sum_j y_j over %s"
                        % (self.loss.name, ", ".join(m.name for m in group)))

    def _softmax_jacobian_eq(self, n: Neuron) -> Equation:
        """delta = out * (dE/d(out) - sum_j dE/d(out_j) * out_j), over the softmax group."""
        o, group = _out(n), n.group or [n]
        g = _d(_E(), o)
        sym = _form("%s * (%s - sum_j dE/d(out_j) * out_j)",
                    r"%s \left(%s - \sum_j \frac{\partial E}{\partial out_j} out_j\right)", o, g)
        parts = _sum([_prod([self.obj(m, "grad_a", True), self.obj(m, "a", True)])
                      for m in group])
        a, g_a = self.obj(n, "a"), self.obj(n, "grad_a", True)
        shift = self.n(walk.softmax_shift(group), ("shift", tuple(group), self.t), True)
        return Equation(_d(_E(), _net(n)), [
            sym, _form("%s * (%s - (%s))", r"%s \left(%s - (%s)\right)", a, g_a, parts),
            _form("%s * (%s - %s)", r"%s \left(%s - %s\right)", a, g_a, shift),
            self.obj(n, "delta")],
            "BP1, the softmax Jacobian couples the group %s" % ", ".join(m.name for m in group))

