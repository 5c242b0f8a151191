"""The Graphviz DOT text of a net: :func:`net_dot`, the same picture as :func:`net_svg`.

================================  ====================================================
name                              what it does
================================  ====================================================
``net_dot(net, show=...)``        DOT text: layers as ranks, HTML-like labels, legend
``_dot_nodes(m, show, ...)``      the neurons, one subgraph per column
``_dot_legend(m, show, ...)``     the legend: only what is drawn
================================  ====================================================

>>> import neurograph as ng
>>> net_dot(ng.Net.dense([2, 1], seed=0)).splitlines()[0]
'digraph net {'
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Tuple

from .layout import _edge_lines, _Model, _neuron_lines, _output_labels, _shared_biases
from .style import BUNDLE, GRAD, RECUR, _known, _parse_show, _weight_colour
from .text import _as_float, _esc, fmt_number

__all__ = ["net_dot"]


def net_dot(net: Any, show: Any = ("weight", "grad", "a", "delta"), *,
            max_per_layer: int = 12, max_layers: int = 12, max_edges: int = 600,
            digits: int = 4, output_labels: Any = None, bias_nodes: bool = True) -> str:
    """Graphviz DOT text of *net*, with the same information and collapsing as :func:`net_svg`.

    Render it with ``dot -Tsvg net.dot > net.svg`` where Graphviz is installed.
    As in :func:`net_svg`, a bias shared by several neurons is a node with a
    dotted line to each of them (*bias_nodes* False leaves them out),
    *output_labels* names what each output neuron stands for, and the legend
    lists only what is drawn.

    >>> import neurograph as ng
    >>> dot = ng.textbook.mazur().net.to_dot()
    >>> dot.splitlines()[0], 'label=<<b>h1</b>' in dot
    ('digraph net {', True)
    """
    show = _known(net, _parse_show(show))
    m = _Model(net, max_per_layer, max_layers, max_edges)
    out_label = _output_labels(net, output_labels)
    biases = _shared_biases(net, m) if bias_nodes else []
    wmax = max((abs(_as_float(c.weight)) for c in m.edges
                if math.isfinite(_as_float(c.weight))), default=0.0)
    out = ["digraph net {",
           '  rankdir=LR; splines=true; nodesep=0.5; ranksep=1.6;',
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];']
    out += _dot_nodes(m, show, digits, out_label)
    for k, b in enumerate(biases):
        out.append('  bias%d [shape=box, style="rounded,filled", fillcolor="#fdf3e1", '
                   'label=<<b>%s</b><br/>%s>];' % (k, _esc(b.name), _esc(b.value_text(digits))))
        for node in b.users:
            out.append('  bias%d -> %s [style=dotted, color="#b7791f", arrowhead=none];'
                       % (k, node.id))
    for c in m.edges:
        s, d = m.node_of[c.src], m.node_of[c.dst]
        w = _as_float(c.weight)
        frac = abs(w) / wmax if wmax > 0 and math.isfinite(w) else 0.0
        parts = []
        for kind, text in _edge_lines(c, show, digits):
            parts.append('<font color="%s">%s</font>' % (GRAD, _esc(text)) if kind == "g"
                         else _esc(text))
        label = ", label=<%s>" % "<br/>".join(parts) if parts else ""
        out.append('  %s -> %s [color="%s", penwidth=%.2f%s];' % (
            s.id, d.id, _weight_colour(w), 0.5 + 3.5 * frac, label))
    for (s, d), count in m.bundles:
        out.append('  %s -> %s [color="%s", style=dashed, label="%s"];' % (
            s.id, d.id, BUNDLE, "%s connections" % format(count, ",")))
    for c in m.delayed:
        out.append('  %s -> %s [color="%s", style=dashed, constraint=false, label=<d=%d %s>];' % (
            m.node_of[c.src].id, m.node_of[c.dst].id, RECUR, c.delay,
            _esc(fmt_number(c.weight, digits))))
    out.append("  labelloc=b; label=<%s>;" % "; ".join(_dot_legend(m, show, bool(biases))))
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_nodes(m: _Model, show: Tuple[str, ...], digits: int, out_label: Dict[Any, str]
               ) -> List[str]:
    """The nodes, one ``rank=same`` subgraph per column: a neuron with its values under its
    name (and its output label beside it), or a dashed box for collapsed ones."""
    out = []
    for ci, col in enumerate(m.columns):
        out.append("  subgraph layer%d { rank=same;" % ci)
        for node in col.nodes:
            if node.neuron is None:
                out.append('    %s [shape=box, style="rounded,dashed", label=<&#8942;<br/>%s>];'
                           % (node.id, _esc(node.text)))
                continue
            n = node.neuron
            rows = "".join("<br/>%s %s" % (_esc(lab), _esc(val))
                           for lab, val in _neuron_lines(n, show, digits))
            fill = {"input": "#e3effc", "output": "#e3f5e6", "hidden": "#ffffff"}[node.kind]
            extra = ""
            if n in out_label:
                extra = ', xlabel=<<font color="#1c5f2c"><b>%s</b></font>>' % _esc(out_label[n])
            out.append('    %s [shape=circle, style=filled, fillcolor="%s", label=<<b>%s</b>%s>%s];'
                       % (node.id, fill, _esc(n.name), rows, extra))
        out.append("  }")
    return out


def _dot_legend(m: _Model, show: Tuple[str, ...], biases: bool) -> List[str]:
    """The legend's entries: the colours, and the kinds of lines the picture has."""
    legend = ["blue: positive weight", "red: negative weight", "width: |weight|"]
    if "grad" in show and m.edges:
        legend.append('<font color="%s">orange: gradient dE/dw</font>' % GRAD)
    if biases:
        legend.append("dotted: a shared bias and its neurons")
    if m.bundles:
        legend.append("dashed: connections of collapsed neurons")
    if m.delayed:
        legend.append("dashed, d = delay: a delayed (recurrent) connection")
    return legend
