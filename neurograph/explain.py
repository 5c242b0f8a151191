"""Seeing why each number is what it is: explain, trace, diff, watchpoints, anomalies.

``net.explain("w5")`` writes the chain rule behind one gradient (or one
neuron's ``delta``) with the numbers of the last backward pass filled in, the
way a textbook works it out by hand.  ``net.trace()`` records every quantity
the net computes; :func:`diff` finds the first line where a hand calculation
departs from it.  Watchpoints and hooks run code (or the debugger) as a
chosen neuron is computed, and :func:`detect_anomaly` stops at the first NaN
or infinity, naming the neuron.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``explain(net, name, ...)``        an :class:`Explanation`: str, ``.markdown()``, ``.latex()``
``trace(net, ...)``                a :class:`Trace` (context manager) of every quantity
``diff(a, b, rtol=, places=)``     a :class:`Diff`: first differences in reading order
``watch(obj, on=, when=, action=)``  a watchpoint on a neuron, connection or parameter
``add_hook(net, fn, on=...)``      ``fn(event, obj)`` for every neuron/connection/parameter
``detect_anomaly(net=None)``       context manager: NaN/infinity raises NumericalError
``remember(net)``                  keep the weights of the last backward pass across steps
``summary(net)``                   a table of layers, neurons and parameters
=================================  ==================================================

Notation (Mazur's): ``net_h1`` is neuron h1's weighted input ``z``, ``out_h1``
its activation ``a``, ``E`` the loss and ``E_o1`` the part of it that flows
through neuron o1.  Every line names the equation it uses (Nielsen's BP1..BP4).

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

import builtins
import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import (Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence,
                    Tuple)

from .core import rounding
from .core.errors import FormatError, NameLookupError, NumberError, NumericalError, StateError, TopologyError
from .core.arithmetic import number_text
from .core.net import Connection, Net, Neuron, Parameter

__all__ = ["explain", "Explanation", "Equation", "trace", "Trace", "TraceRow", "diff", "Diff",
           "Difference", "watch", "add_hook", "HookHandle", "detect_anomaly", "remember",
           "summary", "EQUATIONS", "ExplainMethods"]

#: What each equation tag means (Nielsen's numbering).
EQUATIONS = {
    "BP1": "delta of an output neuron = dE/d(out) * f'(net)",
    "BP2": "delta of a hidden neuron = (sum over outgoing connections of w * delta) * f'(net)",
    "BP3": "dE/d(bias) = delta of the neuron",
    "BP4": "dE/dw = out of the source neuron * delta of the destination neuron",
}


# ---------------------------------------------------------------------------
# Symbols: each piece of an equation in plain text and in LaTeX
# ---------------------------------------------------------------------------

class _S(NamedTuple):
    text: str
    tex: str
    atom: bool = False  # True: needs no parentheses after "d" (w5, E, E_o1)


_TEX_ESCAPES = [("\\", r"\backslash "), ("{", r"\{"), ("}", r"\}"), ("_", r"\_"), ("#", r"\#"),
                ("%", r"\%"), ("&", r"\&"), ("$", r"\$"), ("^", r"\hat{}"), ("~", r"\sim "),
                (" ", r"\ ")]


def _tex_escape(text: str) -> str:
    for a, b in _TEX_ESCAPES:
        text = text.replace(a, b)
    return text.replace("->", r"{\to}")


def _tex_name(name: str) -> str:
    return r"\mathrm{%s}" % _tex_escape(name)


def _out(n: Neuron) -> _S:
    return _S("out_" + n.name, r"\mathrm{out}_{%s}" % _tex_name(n.name))


def _net(n: Neuron) -> _S:
    return _S("net_" + n.name, r"\mathrm{net}_{%s}" % _tex_name(n.name))


def _delta(n: Neuron) -> _S:
    return _S("delta_" + n.name, r"\delta_{%s}" % _tex_name(n.name))


def _E(through: Optional[Neuron] = None) -> _S:
    if through is None:
        return _S("E", "E", True)
    return _S("E_" + through.name, "E_{%s}" % _tex_name(through.name), True)


def _name(name: str) -> _S:
    return _S(name, _tex_name(name), name.isalnum())


def _d(num: _S, den: _S) -> _S:
    def wrap(s: _S) -> str:
        return s.text if s.atom else "(%s)" % s.text
    return _S("d%s/d%s" % (wrap(num), wrap(den)), r"\frac{\partial %s}{\partial %s}" % (num.tex, den.tex))


def _join(parts: Sequence[_S], op: str, tex_op: str) -> _S:
    return _S((" %s " % op).join(p.text for p in parts), (" %s " % tex_op).join(p.tex for p in parts))


def _prod(parts: Sequence[_S]) -> _S:
    return _join(parts, "*", r"\cdot")


def _sum(parts: Sequence[_S]) -> _S:
    return _join(parts, "+", "+")


def _raw(text: str, tex: str) -> _S:
    return _S(text, tex)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_DEFAULT_PLACES = 9


def _format(x: Any, places: Optional[int]) -> str:
    """*x* with *places* decimals (floats default to 9; exact types print exactly when None)."""
    if x is None:
        return "None"
    if isinstance(x, Fraction):
        if places is None:
            return str(x)
        with localcontext() as ctx:
            ctx.prec = 60
            x = Decimal(x.numerator) / Decimal(x.denominator)
    if isinstance(x, Decimal):
        if places is None or not x.is_finite():
            return str(x)
        if x != 0 and (abs(x) < Decimal(10) ** -places or abs(x) >= Decimal(10) ** 15):
            return "%.*e" % (6, float(x)) if abs(x) < Decimal("1e300") else str(x)
        with localcontext() as ctx:
            ctx.prec = max(60, places + 20)
            return str(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if isinstance(x, float):
        p = _DEFAULT_PLACES if places is None else places
        if not math.isfinite(x):
            return repr(x)
        if x != 0.0 and (abs(x) < 10.0 ** -p or abs(x) >= 1e15):
            return "%.6e" % x
        return "%.*f" % (p, x)
    return str(x)


def _num_sym(x: Any, places: Optional[int], paren: bool = False) -> _S:
    text = _format(x, places)
    tex = text
    if "/" in text:
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        n, _, d = body.partition("/")
        tex = r"%s\frac{%s}{%s}" % (sign, n, d)
    elif "e" in text.lower() and text.lower() not in ("inf", "-inf", "nan"):
        mant, _, ex = text.lower().partition("e")
        tex = r"%s \times 10^{%d}" % (mant, int(ex))
    if paren and text.startswith("-"):
        return _S("(%s)" % text, r"\left(%s\right)" % tex)
    return _S(text, tex)


def _close(x: Any, y: Any, rel: float = 1e-6) -> bool:
    try:
        fx, fy = float(x), float(y)
    except (OverflowError, TypeError, ValueError):
        return x == y
    return math.isclose(fx, fy, rel_tol=rel, abs_tol=1e-12)


# ---------------------------------------------------------------------------
# Explanation
# ---------------------------------------------------------------------------

class Equation(NamedTuple):
    """One equation of an :class:`Explanation`: ``lhs = steps[0] = steps[1] = ...``.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> eq = ex.net.explain("o1").equations[0]
    >>> eq.lhs.text, eq.tag, [s.text for s in eq.steps]
    ('delta_o1', 'BP1', ['dE/d(out_o1) * d(out_o1)/d(net_o1)', '0.741365070 * 0.186815602', '0.138498562'])
    """
    lhs: _S
    steps: List[_S]
    tag: str
    inline: bool = False


class Explanation:
    """The chain rule behind one gradient or delta, with the numbers filled in.

    ``str(e)`` is plain text, :meth:`markdown` and :meth:`latex` the same for
    documents; ``value`` is the number explained, ``equations`` the lines and
    ``notes`` any remarks (accumulated gradients, changed weights).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> e = ex.net.explain("o1")
    >>> e, round(e.value, 9)
    (<Explanation of delta_o1 = 0.138499: 3 equations>, 0.138498562)
    """

    def __init__(self, title: str, value: Any, equations: List[Equation], notes: List[str]) -> None:
        self.title = title
        self.value = value
        self.equations = equations
        self.notes = notes

    def __repr__(self) -> str:
        return "<Explanation of %s = %s: %d equations>" % (self.title, number_text(self.value, 6),
                                                            len(self.equations))

    def _tags(self) -> List[str]:
        seen: List[str] = []
        for eq in self.equations:
            for t in eq.tag.split(", "):
                if t in EQUATIONS and t not in seen:
                    seen.append(t)
        return sorted(seen)

    def lines(self) -> List[str]:
        """The plain-text lines (``str(e)`` joins them).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> lines = ex.net.explain("o1").lines()
        >>> len(lines), lines[0]
        (7, 'delta_o1 = dE/d(out_o1) * d(out_o1)/d(net_o1)   [BP1]')
        """
        out: List[str] = []
        for eq in self.equations:
            tag = "   [%s]" % eq.tag if eq.tag else ""
            if eq.inline:
                out.append("%s = %s%s" % (eq.lhs.text, " = ".join(s.text for s in eq.steps), tag))
                continue
            pad = " " * len(eq.lhs.text)
            for i, s in enumerate(eq.steps):
                out.append("%s = %s%s" % (eq.lhs.text if i == 0 else pad, s.text, tag if i == 0 else ""))
        out.extend("note: " + n for n in self.notes)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def markdown(self) -> str:
        """Markdown: a heading, the equations in a code block, the equations used.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> md = ex.net.explain("w5").markdown().splitlines()
        >>> md[0], md[-1]
        ('#### dE/dw5', '- **BP4**: dE/dw = out of the source neuron * delta of the destination neuron')
        """
        parts = ["#### %s" % self.title.replace("_", r"\_"), "", "```text"] + self.lines() + ["```"]
        tags = self._tags()
        if tags:
            parts.append("")
            parts.extend("- **%s**: %s" % (t, EQUATIONS[t]) for t in tags)
        return "\n".join(parts) + "\n"

    def latex(self) -> str:
        r"""A LaTeX ``align*`` environment (amsmath); names are escaped, braces balanced.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> tex = ex.net.explain("o1").latex().splitlines()
        >>> print(tex[0]); print(tex[2])
        \begin{align*}
         &= 0.741365070 \cdot 0.186815602 \\
        """
        rows: List[str] = []
        for eq in self.equations:
            tag = r" && \text{(%s)}" % _tex_escape(eq.tag).replace(r"\ ", " ") if eq.tag else ""
            if eq.inline:
                rows.append("%s &= %s%s" % (eq.lhs.tex, " = ".join(s.tex for s in eq.steps), tag))
                continue
            for i, s in enumerate(eq.steps):
                rows.append("%s &= %s%s" % (eq.lhs.tex if i == 0 else "", s.tex, tag if i == 0 else ""))
        for n in self.notes:
            rows.append(r"\intertext{%s}" % _tex_escape(n).replace(r"\ ", " "))
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"

    def _repr_markdown_(self) -> str:
        return self.markdown()


def _memory(net: Net) -> Optional["_Memory"]:
    for h in net._hooks:
        if isinstance(h, _Memory):
            return h
    return None


class _Ctx:
    """What an explanation needs: the net, number formatting, pre-step weights."""

    def __init__(self, net: Net, places: Optional[int]) -> None:
        self.net = net
        self.num = net.number_system
        self.places = places
        mem = _memory(net)
        self.saved: Dict[Any, Any] = dict(mem.saved) if mem is not None else {}

    def n(self, x: Any, paren: bool = False) -> _S:
        return _num_sym(x, self.places, paren)

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
        lhs = _d(_E(), _net(n))
        loss, targets = self.net._last_pass
        act = n.activation
        closed = act is not None and act.builtin and loss is not None and \
            loss.shortcut(act.name) is not None
        o, y = _out(n), _S("y_" + n.name, "y_{%s}" % _tex_name(n.name))
        t = targets.get(n)
        if closed and act.elementwise:            # e.g. sigmoid with cross-entropy
            sym = _raw("%s - %s" % (o.text, y.text), "%s - %s" % (o.tex, y.tex))
            nums = _raw("%s - %s" % (self.n(n.a).text, self.n(t, True).text),
                        "%s - %s" % (self.n(n.a).tex, self.n(t, True).tex))
            return [Equation(lhs, [sym, nums, self.n(n.delta)],
                             "BP1, closed form: %s' cancels in %s" % (act.name, loss.name))]
        group = n.group or [n]
        if closed:                                # softmax with cross-entropy
            total = None
            for m in group:
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
            return [Equation(lhs, [sym, nums, self.n(n.delta)],
                             "BP1, closed form: softmax and %s cancel; %s" % (loss.name, why))]
        if act is not None and not act.elementwise:   # the softmax Jacobian: a (g - sum g a)
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
            nums = _raw("%s * (%s - (%s))" % (self.n(n.a).text, self.n(n.grad_a, True).text,
                                              " + ".join(parts_t)),
                        r"%s \left(%s - (%s)\right)" % (self.n(n.a).tex, self.n(n.grad_a, True).tex,
                                                         " + ".join(parts_x)))
            shown = _raw("%s * (%s - %s)" % (self.n(n.a).text, self.n(n.grad_a, True).text,
                                             self.n(shift, True).text),
                         r"%s \left(%s - %s\right)" % (self.n(n.a).tex, self.n(n.grad_a, True).tex,
                                                        self.n(shift, True).tex))
            return [Equation(lhs, [sym, nums, shown, self.n(n.delta)],
                             "BP1, the softmax Jacobian couples the group %s" % ", ".join(
                                 m.name for m in group))] + self.grad_a_eqs(n)
        return [Equation(lhs, [self.n(n.delta)], "BP1")]


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
                "before opt.step(), or call ng.explain.remember(net) before training to keep "
                "the weights the backward pass used" % (n.name, number_text(n.grad_a, 6), number_text(total, 6)))


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


def _update(ctx: _Ctx, p: Any, total: Any, lr: Any, eqs: List[Equation], notes: List[str]) -> None:
    """The notes on accumulated gradients and changed weights, and the update line (*lr*)."""
    net = ctx.net
    psym = _name(p.name)
    lhs = _d(_E(), psym)
    grad = p.grad
    if not _close(grad, total):
        notes.append("%s.grad holds %s, not this pass's %s: gradients add up over backward "
                     "passes until zero_grad(); the update uses .grad" % (
                         p.name, _format(grad, ctx.places), _format(total, ctx.places)))
    w = ctx.w(p)
    if p in ctx.saved:
        notes.append("%s has been updated since that backward pass (it is now %s); the lines "
                     "above use the value the pass used, %s" % (
                         p.name, _format(p.value, ctx.places), _format(w, ctx.places)))
    if lr is not None:
        if not p.trainable:
            notes.append("%s is frozen: optimizers leave it at %s" % (p.name, _format(w, ctx.places)))
        else:
            eta = net.number_system.convert(lr, "learning rate lr of explain")
            new = w - eta * grad
            plus = _S(p.name + "+", r"%s^{+}" % psym.tex)
            eqs.append(Equation(plus, [
                _S("%s - eta * %s" % (psym.text, lhs.text), r"%s - \eta \cdot %s" % (psym.tex, lhs.tex)),
                _S("%s - %s * %s" % (ctx.n(w).text, ctx.n(eta).text, ctx.n(grad, True).text),
                   r"%s - %s \cdot %s" % (ctx.n(w).tex, ctx.n(eta).tex, ctx.n(grad, True).tex)),
                ctx.n(new)], "update", True))


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


# ---------------------------------------------------------------------------
# Hooks: handles, net-level hooks, watchpoints
# ---------------------------------------------------------------------------

_EVENTS = ("forward", "backward", "before_step", "step")


def _events(on: Any) -> Tuple[str, ...]:
    evs = (on,) if isinstance(on, str) else tuple(on)
    for e in evs:
        if e not in _EVENTS:
            raise NameLookupError("unknown hook event %r: use one of %s" % (e, ", ".join(_EVENTS)))
    return evs


class HookHandle:
    """A hook installed on a net; ``remove()`` takes it off (also on leaving a ``with``).

    >>> import neurograph as ng
    >>> net, seen = ng.Net.dense([1, 1]), []
    >>> with net.add_hook(lambda event, obj: seen.append(obj.name), on="forward") as h:
    ...     _ = net.forward([1.0])
    >>> seen, h.active
    (['o1'], False)
    """

    def __init__(self, net: Net, hook: Callable[[str, Any], None], what: str) -> None:
        self.net = net
        self.hook = hook
        self.what = what
        net._hooks.append(hook)

    @property
    def active(self) -> bool:
        """True while the hook is installed on the net."""
        return any(h is self.hook for h in self.net._hooks)

    def remove(self) -> None:
        """Uninstall the hook (safe to call twice).

        >>> import neurograph as ng
        >>> h = ng.Net.dense([1, 1]).add_hook(print)
        >>> h.remove(); h.remove(); h.active
        False
        """
        hooks = self.net._hooks
        for i, h in enumerate(hooks):
            if h is self.hook:
                del hooks[i]
                return

    def __enter__(self) -> "HookHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()

    def __repr__(self) -> str:
        return "<HookHandle %s, %s>" % (self.what, "active" if self.active else "removed")


def add_hook(net: Net, fn: Callable[[str, Any], Any], on: Any = ("forward", "backward")) -> HookHandle:
    """Call ``fn(event, obj)`` for every neuron (and its incoming connections on "backward",
    every parameter on "before_step"/"step") as the net computes it.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity")
    >>> seen = []
    >>> h = net.add_hook(lambda event, obj: seen.append((event, obj.name)))
    >>> _ = net.forward([1.0]); _ = net.backward([0.0]); h.remove()
    >>> seen
    [('forward', 'o1'), ('backward', 'o1'), ('backward', 'i1->o1')]
    """
    evs = _events(on)

    def hook(event: str, obj: Any) -> None:
        if event not in evs:
            return
        if event in ("before_step", "step"):
            for p in obj:                 # the parameters the optimizer updates
                fn(event, p)
            return
        fn(event, obj)                    # the neuron the walk has just done
        if event == "backward":
            for c in obj.inputs:
                fn(event, c)
            for c in obj.delayed_inputs:
                fn(event, c)
    return HookHandle(net, hook, "add_hook(%s)" % getattr(fn, "__name__", "fn"))


def watch(target: Any, on: str = "forward", when: Optional[Callable[[Any], Any]] = None,
          action: Any = "break") -> HookHandle:
    """A watchpoint: on event *on*, if ``when(target)`` is true, run *action*.

    *target* is a Neuron, Connection or Parameter; *on* is "forward",
    "backward" or "step" (a connection is computed with its destination
    neuron).  *action* "break" enters the debugger with ``target`` at hand;
    a callable is called with the target.  Returns a handle with ``remove()``.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity")
    >>> hits = []
    >>> h = net["o1"].watch(when=lambda n: n.a > 0, action=hits.append)
    >>> net["i1->o1"].weight = 1.0
    >>> _ = net.forward([-1.0]); _ = net.forward([2.0])
    >>> hits
    [Neuron(o1, layer 1, identity, z 2, a 2, delta None)]
    >>> h.remove()
    """
    if not isinstance(target, (Neuron, Connection, Parameter)):
        raise TopologyError("watch needs a Neuron, Connection or Parameter, got %r" % (target,))
    if on not in ("forward", "backward", "step"):
        raise NameLookupError("watch(on=%r): use 'forward', 'backward' or 'step'" % (on,))
    if not (action == "break" or callable(action)):
        raise NameLookupError("watch(action=%r): use 'break' or a callable" % (action,))
    if when is not None and not callable(when):
        raise NameLookupError("watch(when=%r): give a callable taking the watched object" % (when,))
    net = target.net
    if isinstance(target, Neuron):
        neuron: Optional[Neuron] = target
        params: Tuple[Any, ...] = ()
    elif isinstance(target, Connection):
        neuron, params = target.dst, (target.param,)
    else:
        neuron, params = None, (target,)
    if on in ("forward", "backward") and neuron is None:
        uses = target.uses()
        dsts = [u.dst if isinstance(u, Connection) else u for u in uses]
    else:
        dsts = [neuron] if neuron is not None else []

    def fire() -> None:
        if when is not None and not when(target):
            return
        if action == "break":
            watched = target  # noqa: F841  (in scope at the debugger prompt)
            builtins.breakpoint()
        else:
            action(target)

    def hook(event: str, obj: Any) -> None:
        if event != on:
            return
        if event == "step":               # obj: the parameters just updated
            if any(p is q for p in obj for q in params):
                fire()
            return
        if any(obj is d for d in dsts):   # obj: the neuron the walk has just done
            fire()
    return HookHandle(net, hook, "watch %s on %s" % (target.name, on))


# ---------------------------------------------------------------------------
# remember: keep the weights of the last backward pass across optimizer steps
# ---------------------------------------------------------------------------

class _Memory:
    """Hook saving each parameter's value before its first update after a forward pass."""

    def __init__(self, net: Net) -> None:
        self.net = net
        self.saved: Dict[Any, Any] = {}

    def __call__(self, event: str, obj: Any) -> None:
        if event == "forward":
            if self.saved:
                self.saved = {}
        elif event == "before_step":
            saved = self.saved
            for p in obj:
                if p not in saved:
                    saved[p] = p.value


def remember(net: Net) -> HookHandle:
    """Keep the weights the last backward pass used, so :func:`explain` works after a step.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> keep = ng.remember(ex.net)
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y); ng.SGD(ex.net, lr=ex.lr).step()
    >>> ex.net.explain("w5", lr=ex.lr).value == ex.net["w5"].grad
    True
    >>> keep.remove()
    """
    mem = _memory(net)
    if mem is None:
        mem = _Memory(net)
        return HookHandle(net, mem, "remember")
    h = HookHandle.__new__(HookHandle)
    h.net, h.hook, h.what = net, mem, "remember"
    return h


# ---------------------------------------------------------------------------
# trace
# ---------------------------------------------------------------------------

class TraceRow(NamedTuple):
    """One recorded quantity (*step*: the time step of a sequence, else None).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace(names=["o1"]) as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> row = t.rows[-1]
    >>> row.phase, row.name, row.quantity, round(row.value, 9), row.equation
    ('backward', 'o1', 'delta', 0.138498562, 'BP1')
    """
    sample: int
    phase: str
    name: str
    quantity: str
    value: Any
    equation: str
    step: Optional[int] = None


def _value_text(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


class Trace:
    """Every quantity computed while recording: ``rows`` of :class:`TraceRow`.

    Use as ``with net.trace() as t:``.  Samples are numbered from 0 (one per
    forward pass, or one per ``forward_sequence``); "weight_before"/"weight_after" rows
    come from optimizer steps.  A recurrent net's rows carry their time step
    in ``step`` (None otherwise; the CSV and Markdown tables get a ``step``
    column when some row has one).  ``t.filter(name=, phase=, quantity=,
    sample=, step=)`` selects rows, ``t.value(name, quantity)`` reads one.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace() as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> round(t.value("o1", "delta"), 9)
    0.138498562
    >>> t.filter(name="h1", phase="forward").rows[0]  # doctest: +ELLIPSIS
    TraceRow(sample=0, phase='forward', name='h1', quantity='z', value=0.3775, equation='z = b + sum w * a_src', step=None)
    """

    def __init__(self, net: Optional[Net] = None, rows: Optional[List[TraceRow]] = None,
                 phases: Sequence[str] = ("forward", "backward", "step"),
                 names: Optional[Iterable[str]] = None) -> None:
        self.net = net
        self.rows: List[TraceRow] = list(rows or [])
        for p in phases:
            if p not in ("forward", "backward", "step"):
                raise NameLookupError("unknown trace phase %r: use forward, backward or step" % (p,))
        self.phases = tuple(phases)
        self.names = None if names is None else set(names)
        self._handle: Optional[HookHandle] = None
        self._start = 0
        self._last_fwd: Any = -1
        self._shared: Dict[Any, int] = {}
        self._version = -1

    # -- recording -----------------------------------------------------------
    def __enter__(self) -> "Trace":
        if self.net is None:
            raise StateError("this Trace has no net to record: use net.trace()")
        self._start = self.net.samples_seen
        self._handle = HookHandle(self.net, self._hook, "trace")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _add(self, sample: int, phase: str, name: str, quantity: str, value: Any, eq: str) -> None:
        if self.names is None or name in self.names:
            self.rows.append(TraceRow(sample, phase, name, quantity, value, eq,
                                      self.net.step if self.net is not None else None))

    def _hook(self, event: str, obj: Any) -> None:
        net = self.net
        assert net is not None
        if event == "forward":
            if "forward" not in self.phases:
                return
            s = net.samples_seen - self._start
            if (s, net.step) != self._last_fwd:
                self._last_fwd = (s, net.step)
                for n in net.inputs:
                    self._add(s, "forward", n.name, "a", n.a, "input")
            n = obj
            self._add(s, "forward", n.name, "z", n.z, "z = b + sum w * a_src(t-d) + sum w * a_src"
                      if n.delayed_inputs else "z = b + sum w * a_src")
            self._add(s, "forward", n.name, "a", n.a, "a = %s(z)" % n.activation.name)
        elif event == "backward":
            if "backward" not in self.phases:
                return
            s = net.samples_seen - 1 - self._start
            if self._version != net._version:
                count: Dict[Any, int] = {}
                for m in net.neurons:
                    for c in m.inputs + m.delayed_inputs:
                        count[c.param] = count.get(c.param, 0) + 1
                    if m.bias is not None:
                        count[m.bias] = count.get(m.bias, 0) + 1
                self._shared = {p: k for p, k in count.items() if k > 1}
                self._version = net._version
            shared = self._shared
            n = obj
            bp = "BP1" if n.is_output else "BP2"
            self._add(s, "backward", n.name, "grad_a", n.grad_a,
                      "loss gradient" if n.is_output else "BP2: sum w * delta")
            self._add(s, "backward", n.name, "delta", n.delta, bp)
            if n.bias is not None:
                b = n.bias
                self._add(s, "backward", b.name, "grad" if b not in shared else
                          "grad via " + n.name, n.delta, "BP3")
            rnd = rounding.rounder(net.number_system)
            for c in n.inputs + n.delayed_inputs:
                q = "grad" if c.param not in shared else "grad via " + c.name
                g = c.local_grad         # this sample's share, rounded as backward rounds it
                self._add(s, "backward", c.param.name if c.param in shared else c.name, q,
                          g if rnd is None else rnd(g), "BP4" if not c.delay else
                          "BP4: delta * a_src(t-%d)" % c.delay)
            if shared and n is net._ordered().reverse[-1]:     # the walk's last neuron
                for p in shared:
                    self._add(s, "backward", p.name, "grad", p.grad, "sum over uses")
        elif event in ("before_step", "step"):
            if "step" not in self.phases:
                return
            s = net.samples_seen - 1 - self._start
            q = "weight_before" if event == "before_step" else "weight_after"
            for p in obj:
                self._add(s, "step", p.name, q, p.value, "optimizer update" if event == "step" else "")

    # -- reading -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[TraceRow]:
        return iter(self.rows)

    def __repr__(self) -> str:
        samples = len({r.sample for r in self.rows})
        return "<Trace: %d rows, %d sample%s>" % (len(self.rows), samples, "" if samples == 1 else "s")

    def filter(self, name: Any = None, phase: Any = None, quantity: Any = None,
               sample: Optional[int] = None, step: Optional[int] = None) -> "Trace":
        """The rows matching every given criterion (a name or list of names, ...).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace() as t:
        ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> [(r.name, r.quantity) for r in t.filter(name=["o1", "w5"], phase="backward")]
        [('o1', 'grad_a'), ('o1', 'delta'), ('w5', 'grad')]
        """
        def ok(v: Any, want: Any) -> bool:
            if want is None:
                return True
            if isinstance(want, str) or isinstance(want, int):
                return v == want
            return v in want
        rows = [r for r in self.rows if ok(r.name, name) and ok(r.phase, phase)
                and ok(r.quantity, quantity) and ok(r.sample, sample) and ok(r.step, step)]
        return Trace(None, rows)

    def value(self, name: str, quantity: str, sample: int = 0, step: Optional[int] = None) -> Any:
        """The first recorded value of *quantity* of *name* in *sample* (at time *step*).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace() as t:
        ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> round(t.value("h1", "a"), 9), round(t.value("w5", "grad"), 9)
        (0.593269992, 0.082167041)
        """
        for r in self.rows:
            if r.name == name and r.quantity == quantity and r.sample == sample and (
                    step is None or r.step == step):
                return r.value
        raise NameLookupError("the trace has no %r of %r in sample %d (quantities of %r: %s)" % (
            quantity, name, sample, name, ", ".join(sorted({r.quantity for r in self.rows
                                                            if r.name == name})) or "none"))

    def to_csv(self, path: Any = None) -> str:
        """CSV text ``sample,phase,name,quantity,value,equation``; written to *path* if given.

        >>> import neurograph as ng, os, tempfile
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace(names=["h1"]) as t:
        ...     _ = ex.net.forward(ex.x)
        >>> path = os.path.join(tempfile.mkdtemp(), "h1.csv")
        >>> print(t.filter(quantity="z").to_csv(path), end="")
        sample,phase,name,quantity,value,equation
        0,forward,h1,z,0.3775,z = b + sum w * a_src
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        steps = any(r.step is not None for r in self.rows)
        w.writerow(TraceRow._fields if steps else TraceRow._fields[:-1])
        for r in self.rows:
            w.writerow([r.sample, r.phase, r.name, r.quantity, _value_text(r.value), r.equation]
                       + (["" if r.step is None else r.step] if steps else []))
        text = buf.getvalue()
        if path is not None:                       # whole or not at all (FileError if not)
            from .files import write_atomically
            write_atomically(path, text.encode("utf-8"))
        return text

    def to_markdown(self, digits: Optional[int] = None) -> str:
        """A Markdown table of the rows (values with *digits* decimals if given).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace(names=["h1"]) as t:
        ...     _ = ex.net.forward(ex.x)
        >>> print(t.to_markdown(digits=4), end="")
        | sample | phase | name | quantity | value | equation |
        | ---: | --- | --- | --- | ---: | --- |
        | 0 | forward | h1 | z | 0.3775 | z = b + sum w * a_src |
        | 0 | forward | h1 | a | 0.5933 | a = sigmoid(z) |
        """
        steps = any(r.step is not None for r in self.rows)
        out = ["| sample | phase | name | quantity | value | equation |" + (" step |" if steps else ""),
               "| ---: | --- | --- | --- | ---: | --- |" + (" ---: |" if steps else "")]
        for r in self.rows:
            out.append("| %d | %s | %s | %s | %s | %s |" % (
                r.sample, r.phase, r.name.replace("|", r"\|"), r.quantity,
                _format(r.value, digits) if digits is not None else _value_text(r.value),
                r.equation.replace("|", r"\|")) + (
                    (" %s |" % ("" if r.step is None else r.step)) if steps else ""))
        return "\n".join(out) + "\n"


def trace(net: Net, *, phases: Sequence[str] = ("forward", "backward", "step"),
          names: Optional[Iterable[str]] = None) -> Trace:
    """A :class:`Trace` recording *net* while used as a context manager.

    *phases* limits what is recorded; *names* limits it to some objects.

    ``net.trace(...)`` is this function.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 2.0
    >>> with net.trace(phases=["forward"]) as t:
    ...     _ = net.forward([3.0])
    >>> [(row.name, row.quantity, row.value) for row in t.rows]
    [('i1', 'a', 3.0), ('o1', 'z', 6.0), ('o1', 'a', 6.0)]
    """
    if not isinstance(net, Net):
        raise TopologyError("trace needs a Net, got %r" % (net,))
    return Trace(net, phases=phases, names=names)


# ---------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------

class Difference(NamedTuple):
    """One quantity that differs: where, both values and by how much.

    >>> import neurograph as ng
    >>> ng.diff({("o1", "a"): 0.25}, {("o1", "a"): 0.5}).first
    Difference(name='o1', quantity='a', sample=None, phase='', expected=0.25, actual=0.5, equation='')
    """
    name: str
    quantity: str
    sample: Optional[int]
    phase: str
    expected: Any
    actual: Any
    equation: str

    def __str__(self) -> str:
        where = "sample %d, %s" % (self.sample, self.phase) if self.sample is not None else self.phase
        if self.actual is None:
            return "%s %s (%s): %s in the first table, missing in the second" % (
                self.name, self.quantity, where, _value_text(self.expected))
        if self.expected is None:
            return "%s %s: %s in the second table, not recorded in the first" % (
                self.name, self.quantity, _value_text(self.actual))
        try:
            by = " (off by %s)" % number_text(self.actual - self.expected, 6)
        except TypeError:
            by = ""
        return "%s %s (%s%s): %s vs %s%s" % (
            self.name, self.quantity, where, ", " + self.equation if self.equation else "",
            _value_text(self.expected), _value_text(self.actual), by)


class Diff:
    """The result of :func:`diff`: ``differences`` in reading order, ``ok``, ``first``.

    >>> import neurograph as ng
    >>> d = ng.diff({"h1": {"a": 0.5}, "o1": {"a": 0.25}}, {"h1": {"a": "0.50"}, "o1": {"a": "0.30"}})
    >>> d, d.ok, d.compared
    (<Diff: 1 differences, first o1 a>, False, 2)
    """

    def __init__(self, differences: List[Difference], compared: int, limit: int = 5) -> None:
        self.differences = differences
        self.compared = compared
        self.limit = limit

    @property
    def ok(self) -> bool:
        """True when no compared quantity differs."""
        return not self.differences

    @property
    def first(self) -> Optional[Difference]:
        """The first difference in reading order, or None when there is none."""
        return self.differences[0] if self.differences else None

    def __len__(self) -> int:
        return len(self.differences)

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    def __str__(self) -> str:
        if self.ok:
            return "no differences in %d compared quantities" % self.compared
        lines = ["%d of %d quantities differ; first in reading order:" % (
            len(self.differences), self.compared)]
        lines += ["  " + str(d) for d in self.differences[: self.limit]]
        if len(self.differences) > self.limit:
            lines.append("  ... and %d more" % (len(self.differences) - self.limit))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "<Diff: %s>" % ("ok" if self.ok else "%d differences, first %s %s" % (
            len(self.differences), self.first.name, self.first.quantity))  # type: ignore[union-attr]


_Entry = Tuple[Tuple[str, str], Optional[int], str, Any, str]  # key, sample, phase, value, eq


def _entries(src: Any, sample: Optional[int]) -> Tuple[List[_Entry], bool]:
    """Normalise a Trace, dict, CSV path or CSV text; returns (entries, has_samples)."""
    if isinstance(src, Trace):
        rows = src.rows
        if sample is None and rows:
            sample = rows[0].sample
        out = [((r.name if r.step is None else "%s(%d)" % (r.name, r.step), r.quantity),
                r.sample, r.phase, r.value, r.equation) for r in rows if r.sample == sample]
        return out, True
    if isinstance(src, dict):
        out = []
        for k, v in src.items():
            if isinstance(k, tuple) and len(k) == 2:
                out.append(((str(k[0]), str(k[1])), None, "", v, ""))
            elif isinstance(v, dict):
                for q, val in v.items():
                    out.append(((str(k), str(q)), None, "", val, ""))
            else:
                raise FormatError("diff: dict key %r must be a (name, quantity) pair, or map a "
                                  "name to {quantity: value}" % (k,))
        return out, False
    if isinstance(src, str) or hasattr(src, "__fspath__"):
        text = str(src)
        if "\n" not in text and "," not in text:
            try:
                with open(text, encoding="utf-8", newline="") as f:
                    text = f.read()
            except OSError as e:
                raise FormatError("diff: cannot read %r: %s" % (str(src), e)) from None
        rows = [r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)]
        if not rows:
            return [], False
        head = [c.strip().lower() for c in rows[0]]
        if "name" in head and "quantity" in head and "value" in head:
            iname, iq, iv = head.index("name"), head.index("quantity"), head.index("value")
            isample = head.index("sample") if "sample" in head else None
            body = rows[1:]
            first = 2
        else:
            iname, iq, iv, isample = 0, 1, 2, None
            body = rows
            first = 1
        out = []
        for i, r in enumerate(body):
            if len(r) <= max(iname, iq, iv):
                raise FormatError("diff: CSV row %d has %d fields, expected name,quantity,value: %r"
                                  % (i + first, len(r), r))
            s = None
            if isinstance(isample, int):
                try:
                    s = int(r[isample])
                except ValueError:
                    raise FormatError("diff: CSV row %d, column 'sample': %r is not a whole number "
                                      "(the sample index 0, 1, ...)" % (i + first, r[isample])) from None
                if sample is not None and s != sample:
                    continue
            out.append(((r[iname].strip(), r[iq].strip()), s, "", r[iv].strip(), ""))
        if isinstance(isample, int) and sample is None and out:
            s0 = out[0][1]
            out = [e for e in out if e[1] == s0]
        return out, isinstance(isample, int)
    raise FormatError("diff compares Traces, dicts {(name, quantity): value} and CSV files or "
                      "text 'name,quantity,value'; got %r" % (src,))


def _check_diff_args(rtol: Any, places: Any, sample: Any) -> None:
    """diff()'s keyword arguments, checked before anything is read."""
    for label, v in (("places", places), ("sample", sample)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise NumberError("diff(%s=%r): give a whole number >= 0 (or leave it out)"
                              % (label, v))
    if rtol is not None:
        ok = not isinstance(rtol, bool) and isinstance(rtol, (int, float, Decimal, Fraction))
        if not ok or not (0 <= rtol < float("inf")):
            raise NumberError("diff(rtol=%r): give a finite number >= 0, e.g. rtol=1e-9 (or "
                              "leave it out)" % (rtol,))


def _diff_value(v: Any, key: Tuple[str, str], side: str) -> Any:
    """*v* if it is a finite number; else FormatError naming the quantity and the table."""
    if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, Fraction)) or (
            not isinstance(v, Fraction) and not (v == v and abs(v) != float("inf"))):
        raise FormatError("diff: %s %s in the %s table is %r: give a finite number (or a "
                          "string such as '0.5933')" % (key[0], key[1], side, v))
    return v


def _as_number(v: Any, like: Any) -> Any:
    if isinstance(v, str):
        t = v.strip()
        try:
            if isinstance(like, Decimal):
                return Decimal(t)
            if isinstance(like, Fraction):
                return Fraction(t)
            return float(t)
        except (ValueError, ArithmeticError):
            raise FormatError("diff: %r is not a number" % (v,)) from None
    return v


def _places_of(v: Any) -> Optional[int]:
    if isinstance(v, str) and "." in v and "e" not in v.lower():
        return len(v.strip().split(".")[1])
    return None


def _same(a: Any, b: Any, rtol: Any, places: Optional[int]) -> bool:
    if places is not None:
        def q(x: Any) -> Decimal:
            if isinstance(x, Fraction):
                with localcontext() as c:
                    c.prec = 60
                    x = Decimal(x.numerator) / Decimal(x.denominator)
            d = x if isinstance(x, Decimal) else Decimal(repr(float(x)))
            with localcontext() as c:
                c.prec = 80
                return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return q(a) == q(b)
    try:
        return abs(float(a) - float(b)) <= float(rtol) * max(abs(float(a)), abs(float(b))) or a == b
    except (TypeError, ValueError, OverflowError):
        return a == b


def diff(a: Any, b: Any, *, rtol: Any = None, places: Optional[int] = None,
         sample: Optional[int] = None) -> Diff:
    """Compare two traces, or a trace and a table of hand-calculated values.

    *a* and *b* are each a :class:`Trace`, a dict ``{(name, quantity): value}``
    (or ``{name: {quantity: value}}``), or a CSV file/text with columns
    ``name,quantity,value``.  Values agree when they round to the same
    *places* decimals, or are within relative tolerance *rtol*; by default a
    hand value given as a string is compared to as many decimals as it shows,
    anything else with ``rtol=1e-9``.  Quantities present on both sides are
    compared for one sample (*sample*, default the first).  Differences come
    in the reading order of *a* (a trace: the order of computation); each is
    shown as "*a*'s value vs *b*'s value (off by *b* - *a*)", so put the
    trusted values first.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace() as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> hand = {("h1", "a"): "0.593269992", ("o1", "delta"): "0.138498561"}
    >>> print(ng.diff(t, hand))  # doctest: +ELLIPSIS
    1 of 2 quantities differ; first in reading order:
      o1 delta (sample 0, backward, BP1): 0.13849856162855698 vs 0.138498561 (off by ...)
    """
    _check_diff_args(rtol, places, sample)
    ea, _ = _entries(a, sample)
    eb, _ = _entries(b, sample)
    bmap: Dict[Tuple[str, str], _Entry] = {}
    for e in eb:
        bmap.setdefault(e[0], e)
    seen = set()
    out: List[Difference] = []
    compared = 0
    for key, s, phase, va, eq in ea:
        if key in seen:
            continue
        seen.add(key)
        other = bmap.get(key)
        if other is None:
            continue
        vb = other[3]
        compared += 1
        p = places
        if p is None and rtol is None:
            p = _places_of(vb) if _places_of(vb) is not None else _places_of(va)
        na = _diff_value(_as_number(va, vb), key, "first")
        nb = _diff_value(_as_number(vb, na), key, "second")
        tol = 1e-9 if rtol is None else rtol
        if not _same(na, nb, tol, p):
            out.append(Difference(key[0], key[1], s, phase or other[2], na, nb, eq or other[4]))
    a_keys = {e[0] for e in ea}
    for e in eb:
        if e[0] not in a_keys and isinstance(a, Trace):
            out.append(Difference(e[0][0], e[0][1], None, "", None,
                                  _diff_value(_as_number(e[3], 0.0), e[0], "second"), ""))
            a_keys.add(e[0])
    return Diff(out, compared)


# ---------------------------------------------------------------------------
# detect_anomaly
# ---------------------------------------------------------------------------

def _finite(num: Any, x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(num.isfinite(x))
    except (TypeError, ValueError, AttributeError):
        return True


def _inputs_text(net: Net) -> str:
    xs = [number_text(n.a, 6) for n in net.inputs]
    if len(xs) > 8:
        xs = xs[:8] + ["..."]
    return "[%s]" % ", ".join(xs)


def _terms_text(n: Neuron) -> str:
    terms = ["%s %s * %s" % (c.src.name, number_text(c.src.a, 6), number_text(c.weight, 6)) for c in n.inputs[:4]]
    if len(n.inputs) > 4:
        terms.append("... %d more" % (len(n.inputs) - 4))
    if n.bias is not None:
        terms.append("bias %s" % number_text(n.bias.value, 6))
    return ", ".join(terms)


class _Anomaly:
    def __init__(self, net: Net) -> None:
        self.net = net

    def __call__(self, event: str, obj: Any) -> None:
        net = self.net
        num = net.number_system
        if event == "forward":
            n = obj
            for q, v in (("z", n.z), ("a", n.a)):
                if not _finite(num, v):
                    raise NumericalError(
                        "neuron %r: %s = %s in the forward pass of sample %d (inputs %s; "
                        "incoming a * w: %s): scale the inputs or weights down, or pick an "
                        "activation that saturates" % (n.name, q, v, net.samples_seen,
                                                       _inputs_text(net), _terms_text(n)))
        elif event == "backward":
            n = obj
            for q, v in (("grad_a", n.grad_a), ("delta", n.delta)):
                if not _finite(num, v):
                    raise NumericalError(
                        "neuron %r: %s = %s in the backward pass of sample %d (inputs %s; "
                        "z %s, a %s): lower the learning rate or clip the gradients" % (
                            n.name, q, v, net.samples_seen - 1, _inputs_text(net),
                            number_text(n.z, 6), number_text(n.a, 6)))
            for c in n.inputs:
                if not _finite(num, c.grad):
                    raise NumericalError(
                        "connection %r: grad = %s in the backward pass of sample %d (inputs "
                        "%s; delta of %s %s, a of %s %s)" % (
                            c.name, c.grad, net.samples_seen - 1, _inputs_text(net),
                            c.dst.name, number_text(c.dst.delta, 6), c.src.name, number_text(c.src.a, 6)))
        elif event == "step":
            for p in obj:
                if not _finite(num, p.value):
                    raise NumericalError(
                        "parameter %r became %s in an optimizer step after sample %d (grad %s): "
                        "lower the learning rate" % (p.name, p.value, net.samples_seen - 1,
                                                     number_text(p.grad, 6)))


class detect_anomaly:
    """Context manager: the first NaN or infinity raises NumericalError naming the object.

    With a *net*, watches that net; without, every net that runs a forward
    pass inside the block.  The message names the neuron or connection, the
    quantity, the sample index and the inputs.  Overflows (exceptions) are
    named by the net itself, with or without this.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation=ng.Activation("square", lambda z: z * z, lambda z: 2 * z))
    >>> with ng.detect_anomaly():
    ...     net.forward([1e200])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.NumericalError: neuron 'o1': a = inf in the forward pass of sample 0 ...
    """

    _depth = 0
    _original: Any = None
    _installed: List[HookHandle] = []

    def __init__(self, net: Optional[Net] = None) -> None:
        if net is not None and not isinstance(net, Net):
            raise TopologyError("detect_anomaly(net): expected a Net, got %r" % (net,))
        self.net = net
        self._handle: Optional[HookHandle] = None

    def __enter__(self) -> "detect_anomaly":
        if self.net is not None:
            self._handle = _ensure_anomaly(self.net)
            return self
        cls = detect_anomaly
        if cls._depth == 0:
            cls._original = Net.forward
            original = cls._original

            def forward(net: Net, x: Sequence[Any]) -> List[Any]:
                if not any(isinstance(h, _Anomaly) for h in net._hooks):
                    cls._installed.append(_ensure_anomaly(net))
                return original(net, x)
            forward.__doc__ = original.__doc__
            Net.forward = forward  # type: ignore[assignment]
        cls._depth += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.net is not None:
            if self._handle is not None:
                self._handle.remove()
            return
        cls = detect_anomaly
        cls._depth -= 1
        if cls._depth == 0:
            Net.forward = cls._original  # type: ignore[assignment]
            for h in cls._installed:
                h.remove()
            cls._installed = []


def _ensure_anomaly(net: Net) -> HookHandle:
    return HookHandle(net, _Anomaly(net), "detect_anomaly")


# ---------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------

def summary(net: Net) -> str:
    """A table of layers, neurons, activations and parameters, then the totals.

    >>> import neurograph as ng
    >>> print(ng.textbook.mazur().net.summary())
    layer  neurons  activation  parameters  names
    0      2        input       0           i1, i2
    1      2        sigmoid     5           h1, h2
    2      2        sigmoid     5           o1, o2
    total: 6 neurons, 8 connections, 10 parameters (8 trainable, 2 frozen, 2 shared), float
    """
    layers = net.layers
    first: Dict[Any, int] = {}            # each parameter counts in the first layer using it
    for L, ns in enumerate(layers):
        for n in ns:
            for p in ([n.bias] if n.bias is not None else []) + [
                    c.param for c in n.inputs + n.delayed_inputs]:
                first.setdefault(p, L)
    per_layer = [0] * len(layers)
    for L in first.values():
        per_layer[L] += 1
    rows = [("layer", "neurons", "activation", "parameters", "names")]
    for L, ns in enumerate(layers):
        acts = sorted({n.activation.name for n in ns if n.activation is not None}) or ["input"]
        nparams = per_layer[L]
        names = ", ".join(n.name for n in ns[:4]) + (", ... (%d more)" % (len(ns) - 4)
                                                     if len(ns) > 4 else "")
        rows.append((str(L), str(len(ns)), "/".join(acts), str(nparams), names))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
    params = net.parameters()
    frozen = sum(1 for p in params if not p.trainable)
    uses: Dict[Any, int] = {}
    for n in net.neurons:
        for c in n.inputs + n.delayed_inputs:
            uses[c.param] = uses.get(c.param, 0) + 1
        if n.bias is not None:
            uses[n.bias] = uses.get(n.bias, 0) + 1
    shared = sum(1 for v in uses.values() if v > 1)
    delayed = net._ordered().delayed
    if delayed:
        by_delay: Dict[int, List[str]] = {}
        for c in delayed:
            by_delay.setdefault(c.delay, []).append(c.name)
        lines.append("recurrent: %d delayed connection%s (%s); run it with forward_sequence" % (
            len(delayed), "" if len(delayed) == 1 else "s", "; ".join(
                "delay %d: %s" % (d, ", ".join(ns[:4]) + (", ..." if len(ns) > 4 else ""))
                for d, ns in sorted(by_delay.items()))))
    lines.append("total: %d neurons, %d connections, %d parameters (%d trainable, %d frozen, "
                 "%d shared), %s" % (len(net.neurons), len(net.connections()), len(params),
                                     len(params) - frozen, frozen, shared,
                                     net.number_system.name))
    return "\n".join(lines)


class ExplainMethods:
    """The methods of a net for explaining and debugging (the public ``Net`` mixes this class in)."""

    explain = explain
    trace = trace
    add_hook = add_hook
    summary = summary

    def _watch(self, target: Any, on: str, when: Any, action: Any) -> HookHandle:
        return watch(target, on=on, when=when, action=action)
