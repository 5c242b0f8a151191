"""The equations of one step of the playground's walk, numbers filled in, as text and MathML.

A backward step shows what ``net.explain`` writes: the neuron's delta (BP1
or BP2; at a time step of a sequence, with the BP2 terms that come back from
the later step), then for its bias (BP3) and its incoming connections (BP4)
the chain-rule equation of that use.  A parameter used by several neurons
(a shared bias, a tied weight, any weight of a recurrent net) is summed over
its uses; the sum is shown at its last use, when the walk has reached every
term.  A forward step writes the neuron's weighted input and activation from
the numbers the objects hold (``explain`` explains gradients, not z).
Every step comes as plain ``lines`` and as ``mathml`` (see
:mod:`neurograph.playground.mathml`).

=================================  ========================================================
name                               what it is
=================================  ========================================================
``forward_lines(n, t)``            ``net_n = sum(w * out) + b``, ``out_n = f(net_n)``
``backward_lines(net, n, cs, ...)``  the delta (``net.explain``), then BP3 and BP4
``explained(e, eqs)``              lines and MathML of some equations of an Explanation
``SHOWN``                          most connections written out in one step
=================================  ========================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x)
>>> forward_lines(ex.net["o1"])["lines"][1]
'       = 0.400000000 * 0.593269992 + 0.450000000 * 0.596884378 + 0.600000000'
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.arithmetic import number_text
from ..core.errors import NeurographError
from .mathml import explanation_mathml, tex_to_mathml

__all__ = ["forward_lines", "backward_lines", "explained", "SHOWN"]

#: Most connections of one neuron written out in a step (the rest are counted).
SHOWN = 8


def _fmt(v: Any) -> str:
    """A number as ``explain`` writes it: a float to 9 places, Decimal and Fraction exactly."""
    if v is None:
        return "?"
    return number_text(v, places=9) if isinstance(v, float) else number_text(v)


def _tex(name: str) -> str:
    for a, b in (("\\", r"\backslash "), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
                 ("^", r"\hat{}"), ("#", r"\#"), ("%", r"\%"), ("&", r"\&"), ("$", r"\$")):
        name = name.replace(a, b)
    return r"\mathrm{%s}" % name.replace("->", r"{\to}")


def _texnum(v: Any) -> str:
    text = _fmt(v)
    if "/" in text:
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        top, _, bottom = body.partition("/")
        return r"%s\frac{%s}{%s}" % (sign, top, bottom)
    return text


def _past(c: Any, t: int) -> Any:
    """What delayed connection *c* delivered at step *t*: its source's a at t - delay."""
    s = t - c.delay
    if s >= 0:
        return c.src.at(s).a
    return c.src.initial if c.src.initial is not None else c.src.net.number_system.zero


def forward_lines(n: Any, t: Optional[int] = None) -> Dict[str, Any]:
    """The forward step of neuron *n* (at time step *t* of a sequence): its weighted input
    and its activation, written from the numbers the objects hold.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x)
    >>> step = forward_lines(ex.net["h1"])
    >>> step["connections"], step["lines"][3]
    (['w1', 'w2'], 'out_h1 = sigmoid(net_h1) = 0.593269992')
    """
    at = "" if t is None else "(%d)" % t
    z, a = (n.z, n.a) if t is None else tuple(n.at(t))[1:3]
    terms: List[Tuple[str, str, str, str]] = []      # (text, tex, number text, number tex)
    for c in list(n.inputs)[:SHOWN]:
        src = c.src.a if t is None else c.src.at(t).a
        terms.append(("%s * out_%s%s" % (c.name, c.src.name, at),
                      r"%s \cdot \mathrm{out}_{%s}%s" % (_tex(c.name), _tex(c.src.name), at),
                      "%s * %s" % (_fmt(c.weight), _fmt(src)),
                      r"%s \cdot %s" % (_texnum(c.weight), _texnum(src))))
    for c in list(n.delayed_inputs)[:SHOWN]:
        back = "(%d)" % (t - c.delay) if t is not None else "(t-%d)" % c.delay
        v = _past(c, t) if t is not None else None
        terms.append(("%s * out_%s%s" % (c.name, c.src.name, back),
                      r"%s \cdot \mathrm{out}_{%s}%s" % (_tex(c.name), _tex(c.src.name), back),
                      "%s * %s" % (_fmt(c.weight), _fmt(v)),
                      r"%s \cdot %s" % (_texnum(c.weight), _texnum(v))))
    more = len(n.inputs) + len(n.delayed_inputs) - len(terms)
    if more > 0:
        terms.append(("... (%d more)" % more, r"\ldots", "...", r"\ldots"))
    if n.bias is not None:
        terms.append((n.bias.name, _tex(n.bias.name), _fmt(n.bias.value), _texnum(n.bias.value)))
    lhs = "net_%s%s" % (n.name, at)
    pad = " " * len(lhs)
    act = n.activation.name
    lines = ["%s = %s" % (lhs, " + ".join(t[0] for t in terms) or "0"),
             "%s = %s" % (pad, " + ".join(t[2] for t in terms) or "0"),
             "%s = %s" % (pad, _fmt(z)),
             "out_%s%s = %s(net_%s%s) = %s" % (n.name, at, act, n.name, at, _fmt(a))]
    tex_net = r"\mathrm{net}_{%s}%s" % (_tex(n.name), at)
    tex = [r"%s = %s = %s = %s" % (tex_net, " + ".join(t[1] for t in terms) or "0",
                                   " + ".join(t[3] for t in terms) or "0", _texnum(z)),
           r"\mathrm{out}_{%s}%s = \mathrm{%s}(%s) = %s" % (
               _tex(n.name), at, act.replace("_", r"\_"), tex_net, _texnum(a))]
    mathml = [["math", {"display": "block"}] + tex_to_mathml(x) for x in tex]
    return {"neuron": n.name, "time": t, "connections": [c.name for c in _incoming(n)],
            "uses": [], "bias": n.bias.name if n.bias is not None else None,
            "lines": lines, "mathml": mathml}


def _incoming(n: Any) -> List[Any]:
    return list(n.inputs) + list(n.delayed_inputs)


def explained(e: Any, equations: Optional[Sequence[Any]] = None) -> Tuple[List[str], List[Any]]:
    """The plain lines and the MathML of *equations* of the explanation *e* (all of them,
    with its notes, when None), as ``net.explain`` writes them."""
    from ..debugging import Explanation
    if equations is None:
        return e.lines(), explanation_mathml(e)
    part = Explanation(e.title, e.value, list(equations), [])
    return part.lines(), explanation_mathml(part)


def _use_equations(e: Any, via: str, last: bool) -> List[Any]:
    """The equations of explanation *e* of a parameter that belong to its use *via*: the
    whole chain rule of a parameter with one use; of a shared one, the equation of this use
    (and the sum over the uses when *last*)."""
    eqs = e.equations
    mark = "(via %s)" % via
    mine = [eq for eq in eqs if eq.lhs.text.endswith(mark)]
    if not mine:
        return eqs[:1]
    return (eqs[:1] if last else []) + mine[:1]


def backward_lines(net: Any, n: Any, extra: List[Any], *, t: Optional[int] = None,
                   last: Sequence[Any] = ()) -> Dict[str, Any]:
    """The backward step of neuron *n* (at time step *t* of a sequence): its delta
    (``net.explain``), then the gradient of its bias (BP3) and of the connections in *extra*
    that the hook reported with it (BP4), each as ``net.explain`` writes its chain rule;
    *last* holds the parameters whose last use this step is (their sums are complete).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> step = backward_lines(ex.net, ex.net["o1"], [ex.net["w5"]], last=[ex.net["w5"].param])
    >>> step["uses"], step["lines"][-3]
    ([], 'dE/dw5 = dE/d(out_o1) * d(out_o1)/d(net_o1) * d(net_o1)/dw5   [BP4, BP1]')
    """
    try:
        e = net.explain(n.name, step=t) if t is not None else net.explain(n.name)
        lines, mathml = explained(e)
    except NeurographError as err:
        lines, mathml = ["delta_%s = %s   (%s)" % (n.name, _fmt(n.delta), err)], []
    conns = [c for c in extra if hasattr(c, "src")]
    params = ([(n.bias, n.name)] if n.bias is not None else []) + \
        [(c.param, c.name) for c in conns[:SHOWN]]
    for p, via in params:
        done = p in last
        if t is not None and not done:
            lines.append("dE/d%s adds this step's term: its sum over the steps is shown at "
                         "step 0   [%s]" % (p.name, "BP3" if via == n.name else "BP4"))
            continue
        try:
            pe = net.explain(p.name)
            more_lines, more_ml = explained(pe, _use_equations(pe, via, done))
        except NeurographError as err:
            more_lines, more_ml = ["dE/d%s: %s" % (p.name, err)], []
        lines += more_lines
        mathml += more_ml
    if len(conns) > SHOWN:
        lines.append("... and %d more connections, the same way   [BP4]" % (len(conns) - SHOWN))
    return {"neuron": n.name, "time": t, "connections": [c.name for c in conns],
            "uses": [c.name for c in list(n.outputs) + list(n.delayed_outputs)],
            "bias": n.bias.name if n.bias is not None else None, "lines": lines,
            "mathml": mathml}
