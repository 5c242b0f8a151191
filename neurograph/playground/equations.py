"""The equations of one step of the playground's walk, numbers filled in.

``Playground.walk`` records a real pass neuron by neuron; these functions
write each recorded step for the page: which neuron, which connections are
lit, and the equation lines.  Numbers in the lines have 9 decimal places
(``number_text(x, places=9)``); the API's own numbers stay exact.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``forward_lines(n)``           ``z = sum(w * a) + b`` and ``a = f(z)`` for neuron *n*
``backward_lines(net, n, cs)`` BP1/BP2 (``net.explain``), BP3 for the bias, BP4 for *cs*
``SHOWN``                      most connections written out in one step
=============================  ========================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x)
>>> forward_lines(ex.net["o1"])["lines"][1]
'     = 0.400000000 * 0.593269992 + 0.450000000 * 0.596884378 + 0.600000000'
"""

from __future__ import annotations

from typing import Any, Dict, List

from ..core.arithmetic import number_text
from ..core.errors import NeurographError

__all__ = ["forward_lines", "backward_lines", "SHOWN"]

#: Most connections of one neuron written out in a step (the rest are counted).
SHOWN = 8


def _fmt(v: Any) -> str:
    """A number for an equation line: 9 decimal places ("?" for no number yet)."""
    return number_text(v, places=9, none="?")


def forward_lines(n: Any) -> Dict[str, Any]:
    """The forward step of neuron *n*: its weighted input and its activation.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x)
    >>> step = forward_lines(ex.net["h1"])
    >>> step["connections"], step["lines"][3]
    (['w1', 'w2'], 'a_h1 = sigmoid(z_h1) = 0.593269992')
    """
    conns = list(n.inputs)
    terms = ["%s * %s" % (c.name, "a_" + c.src.name) for c in conns[:SHOWN]]
    nums = ["%s * %s" % (_fmt(c.weight), _fmt(c.src.a)) for c in conns[:SHOWN]]
    if len(conns) > SHOWN:
        terms.append("... (%d more)" % (len(conns) - SHOWN))
        nums.append("...")
    if n.bias is not None:
        terms.append(n.bias.name)
        nums.append(_fmt(n.bias.value))
    lines = ["z_%s = %s" % (n.name, " + ".join(terms) or "0"),
             "     = %s" % (" + ".join(nums) or "0"),
             "     = %s" % _fmt(n.z),
             "a_%s = %s(z_%s) = %s" % (n.name, n.activation.name, n.name, _fmt(n.a))]
    return {"neuron": n.name, "connections": [c.name for c in conns],
            "uses": [], "bias": n.bias.name if n.bias is not None else None, "lines": lines}


def backward_lines(net: Any, n: Any, extra: List[Any]) -> Dict[str, Any]:
    """The backward step of neuron *n*: its delta (``net.explain``), then the gradients of
    its bias (BP3) and of the connections in *extra* that the hook reported with it (BP4).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> step = backward_lines(ex.net, ex.net["o1"], [ex.net["w5"]])
    >>> step["uses"], step["lines"][-1]
    ([], 'dE/dw5 += delta_o1 * a_h1 = 0.138498562 * 0.593269992 = 0.082167041   [BP4]')
    """
    try:
        lines = str(net.explain(n.name)).split("\n")
    except NeurographError as e:
        lines = ["delta_%s = %s   (%s)" % (n.name, _fmt(n.delta), e)]
    if n.bias is not None:
        lines.append("dE/d%s += delta_%s = %s   [BP3]" % (n.bias.name, n.name, _fmt(n.delta)))
    conns = [c for c in extra if hasattr(c, "src")]
    for c in conns[:SHOWN]:
        lines.append("dE/d%s += delta_%s * a_%s = %s * %s = %s   [BP4]" % (
            c.name, n.name, c.src.name, _fmt(n.delta), _fmt(c.src.a), _fmt(n.delta * c.src.a)))
    if len(conns) > SHOWN:
        lines.append("... and %d more connections, the same way   [BP4]" % (len(conns) - SHOWN))
    return {"neuron": n.name, "connections": [c.name for c in conns],
            "uses": [c.name for c in n.outputs],
            "bias": n.bias.name if n.bias is not None else None, "lines": lines}
