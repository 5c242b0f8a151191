"""Pictures for a terminal: :func:`diagram` (a net as formulas) and :func:`sparkline`.

================================  ====================================================
name                              what it does
================================  ====================================================
``diagram(net, show=...)``        one line per neuron: its formula and its values
``sparkline(values)``             a one-line bar chart, for progress displays
``_formula(n, show, ...)``        ``h1 = sigmoid(0.15*i1 + 0.2*i2 + b1 0.35)``
``_join_terms(terms)``            ``a + b``, written ``a - b`` when b is negative
================================  ====================================================

>>> sparkline([3, 2, 1.5, 1, 0.8])
'█▅▃▂▁'
"""

from __future__ import annotations

import math
from typing import Any, Iterable, List, Optional, Tuple

from .layout import _net_layers, _neuron_lines
from .style import _known, _parse_show
from .text import _as_float, _clean, fmt_number

__all__ = ["diagram", "sparkline"]


def diagram(net: Any, show: Any = ("weight", "a", "delta"), *, max_per_layer: int = 8,
            max_layers: int = 8, max_terms: int = 6, digits: int = 4) -> str:
    """A compact text picture of *net*: one line per neuron, its inputs and its values.

    ``h1 = sigmoid(0.15*i1 + 0.2*i2 + b1 0.35)  a=0.5933 delta=0.008771``
    reads as the neuron's formula.  With ``"grad"`` in *show* each weight is
    followed by its gradient in braces.  Big layers and deep nets are
    shortened with a count of what is left out.

    >>> import neurograph as ng
    >>> print(ng.Net.dense([3, 20, 2], activation="relu", seed=0).diagram(show=("weight",),
    ...                                                                    max_per_layer=4))
    Net 3-20-2 (float)
    layer 0 (inputs): i1 | i2 | i3
    layer 1:
      h1_1 = relu(0.5437*i1 - 0.8063*i2 - 0.3924*i3 + b 0)
      h1_2 = relu(0.2139*i1 - 0.5868*i2 - 0.04164*i3 + b 0)
      ... 16 more neurons ...
      h1_19 = relu(-1.34*i1 - 0.06692*i2 + 0.5659*i3 + b 0)
      h1_20 = relu(0.4626*i1 - 0.196*i2 - 0.7001*i3 + b 0)
    layer 2 (outputs):
      o1 = relu(0.1099*h1_1 - 0.2562*h1_2 + 0.2962*h1_3 + ... 17 more)
      o2 = relu(0.4063*h1_1 - 0.3024*h1_2 - 0.2156*h1_3 + ... 17 more)
    """
    show = _known(net, _parse_show(show))
    layers = _net_layers(net)
    sizes = "-".join(str(len(lay)) for lay in layers) if len(layers) <= 12 else (
        "%d layers" % len(layers))
    sizes = sizes or "empty"
    lines = ["Net %s (%s)" % (sizes, getattr(net.number, "__name__", str(net.number)))]
    head = tail = 0
    if len(layers) > max_layers:
        head = max_layers // 2
        tail = max_layers - head
        shown: List[Optional[int]] = list(range(head)) + [None] + list(
            range(len(layers) - tail, len(layers)))
    else:
        shown = list(range(len(layers)))
    vals = tuple(s for s in show if s not in ("weight", "grad", "bias"))
    for L in shown:
        if L is None:
            hidden = layers[head:len(layers) - tail]
            lines.append("... %s layers (%s neurons) ..." % (
                format(len(hidden), ","), format(sum(len(h) for h in hidden), ",")))
        else:
            lines += _layer_lines(L, layers[L], show, vals, max_per_layer, max_terms, digits)
    return "\n".join(lines)


def _layer_lines(L: int, members: List[Any], show: Tuple[str, ...], vals: Tuple[str, ...],
                 max_per_layer: int, max_terms: int, digits: int) -> List[str]:
    """The lines of layer *L*: the inputs on one line, every other neuron as its formula;
    past *max_per_layer* neurons, the first and last ones around a count of the others."""
    if len(members) > max_per_layer:
        k = max_per_layer // 2
        rows: List[Any] = members[:k] + [len(members) - max_per_layer] + members[
            len(members) - (max_per_layer - k):]
    else:
        rows = list(members)
    if all(n.is_input for n in members):
        cells = [("... %d more" % n) if isinstance(n, int) else
                 _clean(n.name) + _values(n, vals, digits) for n in rows]
        return ["layer %d (inputs): %s" % (L, " | ".join(cells))]
    outs = all(n.is_output for n in members)
    lines = ["layer %d%s:" % (L, " (outputs)" if outs else "")]
    for n in rows:
        if isinstance(n, int):
            lines.append("  ... %d more neurons ..." % n)
        else:
            lines.append("  %s%s" % (_formula(n, show, max_terms, digits),
                                     _values(n, vals, digits)))
    return lines


def _values(n: Any, vals: Tuple[str, ...], digits: int) -> str:
    """``  a=0.5933 delta=0.008771``: the values of *vals* of neuron *n*, or nothing."""
    parts = []
    for lab, val in _neuron_lines(n, vals, digits):
        parts.append("%s=%s" % ("delta" if lab == "\u03b4" else (
            "dE/da" if lab.startswith("\u2202") else lab), val))
    return ("  " + " ".join(parts)) if parts else ""


def _formula(n: Any, show: Tuple[str, ...], max_terms: int, digits: int) -> str:
    """``h1 = sigmoid(0.15*i1 + 0.2*i2 + b1 0.35)``: at most *max_terms* inputs (and as many
    delayed ones), each weight followed by its gradient in braces when *show* has "grad"."""
    terms = []
    for c in n.inputs[:max_terms if len(n.inputs) > max_terms else None]:
        t = "%s*%s" % (fmt_number(c.weight, digits), _clean(c.src.name)) \
            if "weight" in show else _clean(c.src.name)
        if "grad" in show:
            t += " {%s}" % fmt_number(c.grad, digits)
        terms.append(t)
    for c in n.delayed_inputs[:max_terms]:     # from earlier time steps
        src = "%s(t-%d)" % (_clean(c.src.name), c.delay)
        terms.append("%s*%s" % (fmt_number(c.weight, digits), src)
                     if "weight" in show else src)
    if len(n.delayed_inputs) > max_terms:
        terms.append("... %d more delayed" % (len(n.delayed_inputs) - max_terms))
    if len(n.inputs) > max_terms:
        del terms[max(3, max_terms // 2):]
        terms.append("... %d more" % (len(n.inputs) - len(terms)))
    elif n.bias is not None:
        b = n.bias
        bn = "b" if b.name == n.name + ".bias" else _clean(b.name)
        terms.append("%s %s" % (bn, fmt_number(b.value, digits)))
    act = n.activation.name if n.activation is not None else "?"
    return "%s = %s(%s)" % (_clean(n.name), act, _join_terms(terms))


def _join_terms(terms: List[str]) -> str:
    """``a + b``, written ``a - b`` when b is negative."""
    out = ""
    for i, t in enumerate(terms):
        if i == 0:
            out = t
        elif t.startswith("-") and not t.startswith("-*"):
            out += " - " + t[1:]
        else:
            out += " + " + t
    return out


_BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def sparkline(values: Iterable[Any], width: int = 40, *, missing: str = "space",
              flat: str = "middle") -> str:
    """A one-line bar chart of *values* (the last *width* of them), scaled between their
    smallest and largest finite value.

    A value that is None, NaN or infinite is a space (*missing* ``"space"``) or left out
    (*missing* ``"drop"``: the chart is then shorter); a flat series sits at mid height
    (*flat* ``"middle"``) or on the bottom bar (*flat* ``"bottom"``).  Ties of the
    scaling round to the even bar, as Python's ``round`` does.

    >>> sparkline([1, 2, 3, 4, 5, 6, 7, 8])
    '▁▂▃▄▅▆▇█'
    >>> sparkline([])
    ''
    >>> sparkline([3, None, float("inf"), 1]), sparkline([3, None, 1], missing="drop")
    ('█  ▁', '█▁')
    >>> sparkline([2, 2, 2]), sparkline([2, 2, 2], flat="bottom")
    ('▄▄▄', '▁▁▁')
    """
    if missing not in ("space", "drop") or flat not in ("middle", "bottom"):
        raise ValueError("sparkline: missing= must be 'space' or 'drop' and flat= 'middle' or "
                         "'bottom', got %r and %r" % (missing, flat))
    vs = [math.nan if v is None else _as_float(v) for v in list(values)[-width:]]
    if missing == "drop":
        vs = [v for v in vs if math.isfinite(v)]
    finite = [v for v in vs if math.isfinite(v)]
    if not finite:
        return " " * len(vs)
    lo, hi = min(finite), max(finite)
    span = hi / 2 - lo / 2                 # (halves: no overflow between -1e308 and 1e308)
    level = 3 if flat == "middle" else 0
    out = []
    for v in vs:
        if not math.isfinite(v):
            out.append(" ")
        else:
            i = int(round((v / 2 - lo / 2) / span * 7)) if span > 0 else level
            out.append(_BARS[i])
    return "".join(out)
