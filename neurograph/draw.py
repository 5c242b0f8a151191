"""Pictures of a net and of its learning: SVG for notebooks and browsers, DOT, text.

Everything here is drawn with the standard library alone.  The SVG pictures
are standalone files (one ``<svg>`` element with a ``viewBox``) that a
browser, a notebook or an image viewer shows as they are.

=================================  ==================================================
name                               what it draws
=================================  ==================================================
``net_svg(net, show=...)``         neurons by layer (inputs left), weights coloured
                                   by sign with width by magnitude, gradients, legend
``net_dot(net, show=...)``         the same picture as Graphviz DOT text
``diagram(net)``                   a compact text view of a small net, for a terminal
``history_svg(history)``           loss and metrics per epoch, training and validation
``write_svg(svg_text, path)``      write a picture atomically (temporary file + rename)
``sparkline(values)``              a one-line text chart, for progress displays
=================================  ==================================================

Large nets stay drawable: a layer with more than ``max_per_layer`` neurons
shows its first and last few and one dashed "more" node with the count, a net
with more than ``max_layers`` layers shows its first and last layers around a
dashed gap, and connections to hidden neurons are drawn as one faint line per
pair of visible nodes.  Connections that skip layers are routed over (or
under) the layers in between.

>>> import neurograph as ng
>>> import xml.etree.ElementTree as ET
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> svg = ex.net.to_svg(show=("weight", "grad", "a"))
>>> root = ET.fromstring(svg)
>>> root.get("viewBox") is not None, "w5 = 0.4" in svg
(True, True)
>>> print(ex.net.diagram(show=("weight", "a")))
Net 2-2-2 (float)
layer 0 (inputs): i1 a=0.05 | i2 a=0.1
layer 1:
  h1 = sigmoid(0.15*i1 + 0.2*i2 + b1 0.35)  a=0.5933
  h2 = sigmoid(0.25*i1 + 0.3*i2 + b1 0.35)  a=0.5969
layer 2 (outputs):
  o1 = sigmoid(0.4*h1 + 0.45*h2 + b2 0.6)  a=0.7514
  o2 = sigmoid(0.5*h1 + 0.55*h2 + b2 0.6)  a=0.7729
>>> sparkline([3, 2, 1.5, 1, 0.8])
'█▅▃▂▁'
"""

from __future__ import annotations

import math
import os
from collections import deque
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .core.errors import FormatError, NameLookupError, StateError, suggest

__all__ = ["net_svg", "net_dot", "diagram", "history_svg", "write_svg", "save_svg", "sparkline", "DrawMethods"]

#: The values a picture can show, with the short label used next to each number.
SHOWABLE = {
    "weight": "w", "grad": "\u2207", "a": "a", "z": "z", "delta": "\u03b4",
    "grad_a": "\u2202E/\u2202a", "bias": "b",
}

POS = "#2b6cb0"        # positive weight
NEG = "#c53030"        # negative weight
ZERO = "#8a8a8a"       # zero or not a number
GRAD = "#d9730d"       # gradients (the second colour)
BUNDLE = "#a0a0a0"     # connections to collapsed neurons
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"


# ---------------------------------------------------------------------------
# Numbers and text
# ---------------------------------------------------------------------------

def fmt_number(v: Any, digits: int = 4) -> str:
    """*v* with *digits* significant digits, for float, Decimal, Fraction or int.

    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> fmt_number(0.0087713546), fmt_number(Decimal("0.298371108760"))
    ('0.008771', '0.2984')
    >>> fmt_number(Fraction(1, 3)), fmt_number(None), fmt_number(float("nan"))
    ('0.3333', '-', 'nan')
    """
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        with localcontext() as ctx:
            ctx.prec = digits + 4
            v = Decimal(v.numerator) / Decimal(v.denominator)
    try:
        s = format(v, ".%dg" % digits)
    except (TypeError, ValueError):
        s = str(v)
        return s if len(s) <= digits + 8 else s[:digits + 7] + "\u2026"
    return s


def _f(v: Any) -> float:
    """A float for geometry and colour only (never for the numbers printed)."""
    if v is None:
        return 0.0
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf
    except (TypeError, ValueError, ArithmeticError):
        return math.nan


def _clean(text: Any) -> str:
    """*text* without the characters XML 1.0 forbids (control characters)."""
    s = str(text)
    return "".join(ch if (ch >= " " or ch in "\t\n\r") and ch not in "\ufffe\uffff"
                   else "\ufffd" for ch in s)


def _esc(text: Any) -> str:
    """Escape *text* for an XML text node or a double-quoted attribute."""
    return (_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _short(name: str, n: int = 9) -> str:
    return name if len(name) <= n else name[: n - 1] + "\u2026"


def _n(x: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    s = "%.1f" % x
    return s[:-2] if s.endswith(".0") else s


def _parse_show(show: Any) -> Tuple[str, ...]:
    if show is None:
        return ()
    if isinstance(show, str):
        show = (show,)
    out = []
    for item in show:
        if item not in SHOWABLE:
            raise NameLookupError("show=%r: unknown value %r; choose from %s%s" % (
                show, item, ", ".join(sorted(SHOWABLE)), suggest(str(item), SHOWABLE)))
        if item not in out:
            out.append(item)
    return tuple(out)


# ---------------------------------------------------------------------------
# The layout shared by the SVG and the DOT pictures
# ---------------------------------------------------------------------------

def _layers(net: Any) -> List[List[Any]]:
    """Neurons by depth, without recursion (Kahn's algorithm) and without compiling the net."""
    neurons = list(net.neurons)
    layer = {n: 0 for n in neurons}
    missing = {n: len(n.inputs) for n in neurons}
    queue = deque(n for n in neurons if missing[n] == 0)
    for n in neurons:  # a neuron nothing feeds yet still gets a column
        if not n.is_input and not n.inputs:
            layer[n] = 1
    while queue:
        n = queue.popleft()
        for c in n.outputs:
            d = c.dst
            if layer[d] < layer[n] + 1:
                layer[d] = layer[n] + 1
            missing[d] -= 1
            if missing[d] == 0:
                queue.append(d)
    depth = max(layer.values()) if layer else -1
    out: List[List[Any]] = [[] for _ in range(depth + 1)]
    for n in neurons:
        out[layer[n]].append(n)
    return [lay for lay in out if lay] if out else []


class _Node:
    __slots__ = ("id", "neuron", "kind", "count", "col", "row", "x", "y", "text")

    def __init__(self, id: str, neuron: Any, kind: str, count: int = 0) -> None:
        self.id = id
        self.neuron = neuron
        self.kind = kind          # "input", "hidden", "output", "more" (collapsed), "gap" (layers)
        self.count = count
        self.col = self.row = 0
        self.x = self.y = 0.0
        self.text = ""


class _Column:
    __slots__ = ("title", "nodes")

    def __init__(self, title: str) -> None:
        self.title = title
        self.nodes: List[_Node] = []


class _Model:
    """What to draw: columns of nodes, single edges, bundles of hidden edges."""

    def __init__(self, net: Any, max_per_layer: int, max_layers: int, max_edges: int) -> None:
        if max_per_layer < 3 or max_layers < 3 or max_edges < 1:
            raise StateError("max_per_layer and max_layers must be at least 3 and max_edges at "
                             "least 1; got %r, %r, %r" % (max_per_layer, max_layers, max_edges))
        layers = _layers(net)
        self.layers = layers
        self.columns: List[_Column] = []
        self.node_of: Dict[Any, _Node] = {}
        self.hidden_neurons = 0
        self.hidden_layers = 0
        index = {n: i for i, n in enumerate(net.neurons)}
        if len(layers) > max_layers:
            head = (max_layers - 1) // 2
            tail = max_layers - 1 - head
            shown = list(range(head)) + [None] + list(range(len(layers) - tail, len(layers)))
        else:
            shown = list(range(len(layers)))
        for L in shown:
            if L is None:
                gap_layers = layers[head:len(layers) - tail]
                col = _Column("layers %d-%d" % (head, len(layers) - tail - 1))
                count = sum(len(g) for g in gap_layers)
                node = _Node("gap", None, "gap", count)
                node.text = "%s layers" % format(len(gap_layers), ",")
                col.nodes.append(node)
                self.hidden_layers = len(gap_layers)
                for g in gap_layers:
                    for n in g:
                        self.node_of[n] = node
                self.columns.append(col)
                continue
            members = layers[L]
            title = "layer %d" % L
            if members and all(n.is_input for n in members):
                title += " (inputs)"
            col = _Column(title)
            if len(members) > max_per_layer:
                keep_head = max_per_layer // 2
                keep_tail = max_per_layer - 1 - keep_head
                head_part = members[:keep_head]
                tail_part = members[len(members) - keep_tail:]
                hidden = members[keep_head:len(members) - keep_tail]
            else:
                head_part, tail_part, hidden = members, [], []
            for n in head_part:
                col.nodes.append(self._neuron_node(n, index[n]))
            if hidden:
                more = _Node("more%d" % L, None, "more", len(hidden))
                more.text = "+%s more" % format(len(hidden), ",")
                col.nodes.append(more)
                self.hidden_neurons += len(hidden)
                for n in hidden:
                    self.node_of[n] = more
            for n in tail_part:
                col.nodes.append(self._neuron_node(n, index[n]))
            self.columns.append(col)
        for ci, col in enumerate(self.columns):
            for ri, node in enumerate(col.nodes):
                node.col, node.row = ci, ri
        # Edges: single ones between visible neurons, bundles otherwise.
        single = []
        bundles: Dict[Tuple[_Node, _Node], int] = {}
        self.n_edges = 0
        for n in net.neurons:
            d = self.node_of[n]
            for c in n.inputs:
                self.n_edges += 1
                s = self.node_of[c.src]
                if s.neuron is not None and d.neuron is not None:
                    single.append(c)
                elif s is not d:
                    bundles[(s, d)] = bundles.get((s, d), 0) + 1
        self.thinned = 0
        if len(single) > max_edges:
            single.sort(key=lambda c: -abs(_f(c.weight)) if not math.isnan(_f(c.weight)) else 0)
            self.thinned = len(single) - max_edges
            for c in single[max_edges:]:
                key = (self.node_of[c.src], self.node_of[c.dst])
                bundles[key] = bundles.get(key, 0) + 1
            single = single[:max_edges]
        self.edges = single
        # Delayed (recurrent) connections between visible neurons: loops and back-arcs.
        self.delayed = [c for n in net.neurons for c in n.delayed_inputs
                        if self.node_of[c.src].neuron is not None
                        and self.node_of[n].neuron is not None]
        self.n_edges += sum(len(n.delayed_inputs) for n in net.neurons)
        self.bundles = sorted(bundles.items(), key=lambda kv: (kv[0][0].col, kv[0][0].row,
                                                               kv[0][1].col, kv[0][1].row))

    def _neuron_node(self, n: Any, i: int) -> _Node:
        kind = "input" if n.is_input else ("output" if n.is_output else "hidden")
        node = _Node("n%d" % i, n, kind)
        node.text = n.name
        self.node_of[n] = node
        return node


def _neuron_lines(n: Any, show: Tuple[str, ...], digits: int) -> List[Tuple[str, str]]:
    """(label, value) pairs under a neuron, in the order of *show*."""
    lines = []
    for item in show:
        if item in ("a", "z", "delta", "grad_a") and getattr(n, item) is None:
            continue
        if item == "a":
            lines.append(("a", fmt_number(n.a, digits)))
        elif n.is_input:
            continue
        elif item == "z":
            lines.append(("z", fmt_number(n.z, digits)))
        elif item == "delta":
            lines.append(("\u03b4", fmt_number(n.delta, digits)))
        elif item == "grad_a":
            lines.append(("\u2202E/\u2202a", fmt_number(n.grad_a, digits)))
        elif item == "bias" and n.bias is not None:
            b = n.bias
            own = b.name == n.name + ".bias"
            lines.append(("b" if own else b.name, fmt_number(b.value, digits)))
    return lines


def _is_named(c: Any) -> bool:
    return c.name != "%s->%s" % (c.src.name, c.dst.name)


def _edge_lines(c: Any, show: Tuple[str, ...], digits: int) -> List[Tuple[str, str]]:
    lines = []
    if "weight" in show:
        w = fmt_number(c.weight, digits)
        lines.append(("w", "%s = %s" % (c.name, w) if _is_named(c) else w))
    if "grad" in show:
        lines.append(("g", "\u2207 %s" % fmt_number(c.grad, digits)))
    return lines


def _colour(w: float) -> str:
    if math.isnan(w) or w == 0:
        return ZERO
    return POS if w > 0 else NEG


# ---------------------------------------------------------------------------
# SVG of a net
# ---------------------------------------------------------------------------

def net_svg(net: Any, show: Any = ("weight", "grad", "a", "delta"), *,
            max_per_layer: int = 12, max_layers: int = 12, max_edges: int = 600,
            label_edges: Optional[bool] = None, digits: int = 4,
            title: Optional[str] = None, output_labels: Any = None,
            bias_nodes: bool = True) -> str:
    """A standalone SVG picture of *net*.

    *show* picks the numbers written on the picture: ``"weight"`` and
    ``"grad"`` on the connections, ``"a"``, ``"z"``, ``"delta"``,
    ``"grad_a"`` and ``"bias"`` under the neurons.  Connections are blue when
    positive and red when negative, their width grows with ``|weight|``; the
    gradient ``dE/dw`` is written in orange beside the weight.  Connection
    labels are drawn when there are at most 40 connections (*label_edges*
    forces them on or off).  A layer with more than *max_per_layer* neurons
    is collapsed to its first and last ones and a dashed node with the count;
    at most *max_edges* single connections are drawn (the largest weights).

    A bias Parameter shared by several neurons (Mazur's ``b1`` and ``b2``) is
    drawn as a small node with its value and a dashed line to each neuron
    using it (*bias_nodes* False leaves them out).  Connection labels sit on
    their own line where no other line, neuron or label is under them; the
    legend's "shown:" line lists only the values actually written.

    Delayed (recurrent) connections are dashed purple with an arrowhead: a
    loop over a neuron feeding itself, an arc right of the column between two
    neurons of one layer (nested, so that no two lie on top of each other), a
    lane under the picture between layers; each labelled ``d=<delay> <weight>``
    along its own arc, except in a layer with more than 16 of them.

    *output_labels* names what each output neuron stands for, written to its
    right: a list with one name per output neuron (in ``net.outputs`` order),
    or a dict from output neuron names to labels, such as the class names of
    the data set the net was trained on.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([784, 30, 10], seed=0)
    >>> svg = net_svg(net)
    >>> "+773 more" in svg, "+19 more" in svg, len(svg) < 2_000_000
    (True, True, True)
    """
    show = _parse_show(show)
    m = _Model(net, max_per_layer, max_layers, max_edges)
    arcs = _delayed_arcs(m, digits)
    out_label = _output_labels(net, output_labels)
    if label_edges is None:
        label_edges = len(m.edges) <= 40
    edge_show = tuple(s for s in show if s in ("weight", "grad")) if label_edges else ()
    r = 20.0
    max_lines = 0
    for col in m.columns:
        for node in col.nodes:
            if node.neuron is not None:
                max_lines = max(max_lines, len(_neuron_lines(node.neuron, show, digits)))
    row_h = 2 * r + 14 + 13 * max_lines + 8
    if edge_show:
        row_h = max(row_h, 124.0)
    col_w = 240.0 if edge_show else (150.0 if max_lines else 110.0)
    # Delayed connections: loops over their neurons (room above each row for the loop and its
    # label), arcs right of their column (room for their labels along them, a wider gap when
    # there are many).
    loop_room = 0.0
    if any(a.kind == "loop" for a in arcs):
        loop_room = 24.0 if all(a.quiet for a in arcs if a.kind == "loop") else 38.0
        row_h = max(row_h, 2 * r + 14 + 13 * max_lines + 8 + loop_room)
    if any(a.kind == "column" and not a.quiet for a in arcs):
        row_h = max(row_h, 120.0 + loop_room)
    base: Dict[int, float] = {}
    levels: Dict[int, int] = {}
    zone = 0.0
    for ci, col in enumerate(m.columns):
        levels[ci] = _arc_levels(arcs, ci)
        if not levels[ci]:
            continue
        half = r
        for node in col.nodes:
            if node.neuron is not None:
                for lab, val in _neuron_lines(node.neuron, show, digits):
                    half = max(half, _text_width(lab + " " + val, 11) / 2 + 1)
                if node.neuron in out_label:
                    half = max(half, r + 10 + _text_width(_short(out_label[node.neuron], 24),
                                                          11, bold=True))
        for a in arcs:      # a loop's label above it, clear of the arcs beside the column
            if a.kind == "loop" and a.s.col == ci and not a.quiet:
                half = max(half, _text_width(a.text, 10) / 2 + _PAD + 2)
        base[ci] = half + 12
        if ci < len(m.columns) - 1:         # room for the labels of the next gap's lines
            zone = max(zone, base[ci] + (levels[ci] - 1) * _DSTEP + 10)
    col_w = max(col_w, zone + col_w * 0.6)
    n_rows = max((len(c.nodes) for c in m.columns), default=1)
    skips = [c for c in m.edges if m.node_of[c.dst].col - m.node_of[c.src].col > 1]
    skip_bundles = [kv for kv in m.bundles if kv[0][1].col - kv[0][0].col > 1]
    n_skip = len(skips) + len(skip_bundles)

    def upper(s: _Node, d: _Node) -> bool:
        """Route over the layers (True) when the ends sit in the upper half of their columns."""
        rel = [(x.row + 0.5) / len(m.columns[x.col].nodes) for x in (s, d)]
        return sum(rel) <= 1.0

    n_up = sum(1 for c in skips if upper(m.node_of[c.src], m.node_of[c.dst])) + sum(
        1 for (a, b), _ in skip_bundles if upper(a, b))
    lanes_up = min(n_up, 8)
    lanes_down = min(n_skip - n_up, 8)
    lane_h = 26.0 if edge_show else 10.0
    margin = 40.0
    top = 56.0 + (lanes_up * lane_h + 12 if n_skip else 0)
    body_h = n_rows * row_h
    nodes_bottom = top + body_h
    below = nodes_bottom + (lanes_down * lane_h + 16 if lanes_down else 12)
    # delayed connections between layers run along lanes of their own under everything
    n_cross = sum(1 for a in arcs if a.kind == "cross")
    cross_y = nodes_bottom + (lanes_down * lane_h + 6 if lanes_down else 0) + 16
    if n_cross:
        below = cross_y + (n_cross - 1) * _DSTEP + 16
    # Shared biases (one Parameter feeding several neurons, like Mazur's b1 and b2) get a
    # node of their own, in a row under the gap before the column of their first neuron.
    biases = _shared_biases(net, m) if bias_nodes else []
    rb = 13.0
    bias_y = below + rb + 4
    if biases:
        below = bias_y + rb + 14 + 12
    legend_top = below
    # Room right of the last column for the output labels, and as much on the left: the
    # columns stay centred.
    side = max([margin + r + 20] + [r + 8 + _text_width(_short(t, 24), 11, bold=True) + 12
                                    for n, t in out_label.items() if n in m.node_of])
    last = len(m.columns) - 1
    right = side
    if levels.get(last):
        right = max(side, base[last] + (levels[last] - 1) * _DSTEP + 26)
    width = max(side + right + (len(m.columns) - 1) * col_w, 660.0)
    x0 = side + (width - side - right - (len(m.columns) - 1) * col_w) / 2
    # Positions: each column centred vertically.
    for col in m.columns:
        off = (n_rows - len(col.nodes)) * row_h / 2
        for node in col.nodes:
            node.x = x0 + node.col * col_w
            node.y = top + off + node.row * row_h + r + 4 + loop_room
    # Each bias node sits in the gap before its neurons' column, where its lines cross the
    # fewest neurons and the texts under them.
    keep_clear: List[Tuple[float, float, float, float]] = []
    for col in m.columns:
        for node in col.nodes:
            keep_clear.append((node.x - r - 2, node.y - r - 2, node.x + r + 2, node.y + r + 2))
            if node.neuron is not None:
                for j, (lab, val) in enumerate(_neuron_lines(node.neuron, show, digits)):
                    keep_clear.append(_text_box(node.x, [node.y + r + 13 + 13 * j],
                                                [lab + " " + val], pad=1))
    taken: List[float] = []
    for b in biases:
        b.y = bias_y
        lo = x0 + b.col * col_w + r + rb + 4
        hi = x0 + (b.col + 1) * col_w
        best = None
        for k in range(41):
            bx = hi - (hi - lo) * k / 40
            if any(abs(bx - t) < 2 * rb + 6 for t in taken):
                continue
            cost = 0
            for d in b.users:
                dx, dy = d.x - bx, d.y - b.y
                dist = math.hypot(dx, dy) or 1.0
                p1 = (bx + dx / dist * rb, b.y + dy / dist * rb)
                p2 = (d.x - dx / dist * (r + 3), d.y - dy / dist * (r + 3))
                cost += sum(1 for o in keep_clear if _seg_hits_box(p1, p2, o))
            if best is None or cost < best[0] or (cost == best[0] and
                                                  abs(bx - hi + 0.3 * col_w) < best[2]):
                best = (cost, bx, abs(bx - hi + 0.3 * col_w))
        b.x = best[1] if best is not None else hi
        taken.append(b.x)
    # What is written on the picture, for the legend's "shown:" line.
    neuron_items = [s for s in show if s not in ("weight", "grad") and any(
        _neuron_lines(node.neuron, (s,), digits) for col in m.columns for node in col.nodes
        if node.neuron is not None)]
    drawn = tuple(s for s in show if (s in edge_show and m.edges) or s in neuron_items)
    legend_items = _legend_items(m, show, edge_show, n_skip, bool(biases),
                                 any(a.quiet for a in arcs))
    legend_rows = _legend_rows(legend_items, _legend_cols(width))
    height = legend_top + 30 + 20 * legend_rows + (18 if drawn else 0) + 12
    out: List[str] = []
    add = out.append
    add('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
        'font-family="%s" font-size="11">' % (_n(width), _n(height), _n(width), _n(height),
                                               FONT))
    if title is None:
        sizes = "-".join(str(len(lay)) for lay in m.layers) or "empty"
        title = "Net %s%s (%s)" % (net.name + " " if getattr(net, "name", "") else "",
                                   sizes if len(m.layers) <= 12 else "%d layers" % len(m.layers),
                                   getattr(net.number, "__name__", str(net.number)))
    add("<title>%s</title>" % _esc(title))
    add('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>' % (_n(width), _n(height)))
    add('<text x="%s" y="22" font-size="15" font-weight="bold" fill="#222">%s</text>'
        % (_n(margin / 2), _esc(title)))
    sub = "%s neurons, %s connections" % (format(len(net.neurons), ","), format(m.n_edges, ","))
    if m.hidden_neurons or m.hidden_layers or m.thinned:
        parts = []
        if m.hidden_neurons:
            parts.append("%s neurons collapsed" % format(m.hidden_neurons, ","))
        if m.hidden_layers:
            parts.append("%s layers collapsed" % format(m.hidden_layers, ","))
        if m.thinned:
            parts.append("%s weakest connections bundled" % format(m.thinned, ","))
        sub += " (" + "; ".join(parts) + ")"
    add('<text x="%s" y="38" fill="#555">%s</text>' % (_n(margin / 2), _esc(sub)))
    # Everything a connection label must keep clear of, as boxes (x1, y1, x2, y2).
    boxes: List[Tuple[float, float, float, float]] = [(0, 0, width, 44)]
    col_title_y = top - 4 - (lanes_up * lane_h + 12 if n_skip else 0) + 2 if n_skip else top - 4
    for col in m.columns:
        if col.nodes:
            add('<text x="%s" y="%s" text-anchor="middle" fill="#777">%s</text>' % (
                _n(col.nodes[0].x), _n(col_title_y), _esc(col.title)))
            boxes.append(_text_box(col.nodes[0].x, [col_title_y], [col.title]))
        for node in col.nodes:
            if node.neuron is None:
                boxes.append((node.x - 34, node.y - r, node.x + 34, node.y + r + 16))
                continue
            boxes.append((node.x - r, node.y - r, node.x + r, node.y + r))
            for j, (lab, val) in enumerate(_neuron_lines(node.neuron, show, digits)):
                boxes.append(_text_box(node.x, [node.y + r + 13 + 13 * j], [lab + " " + val]))
            if node.neuron in out_label:
                t = _short(out_label[node.neuron], 24)
                boxes.append((node.x + r + 6, node.y - 6,
                              node.x + r + 10 + _text_width(t, 11, bold=True), node.y + 8))
    for b in biases:
        boxes.append((b.x - rb, b.y - rb, b.x + rb, b.y + rb))
        boxes.append(_text_box(b.x, [b.y + rb + 13], [b.value_text(digits)]))
    # Bundled connections first (beneath), then single ones, then the neurons on top.
    wmax = max((abs(_f(c.weight)) for c in m.edges if math.isfinite(_f(c.weight))), default=0.0)
    lane = [0, 0]

    def route(s: _Node, d: _Node) -> Tuple[str, List[Tuple[float, float]], int]:
        """Path data, the points of its polyline, and which of its segments a label may sit
        on (-1: any); skip connections go around the layers between."""
        if d.col - s.col <= 1:
            pts = [(s.x + r, s.y), (d.x - r, d.y)]
            return ("M%s %sL%s %s" % (_n(s.x + r), _n(s.y), _n(d.x - r), _n(d.y)), pts, -1)
        up = upper(s, d)
        i = lane[0 if up else 1]
        lane[0 if up else 1] += 1
        if up:
            yl = top - 6 - (i % max(lanes_up, 1)) * lane_h - (lane_h - 10 if edge_show else 0)
        else:
            yl = nodes_bottom + 6 + (i % max(lanes_down, 1)) * lane_h
        # Rise (or sink) to the lane in the gap right after the source's column, run along
        # the lane past the layers in between, come back in the gap before the destination.
        sx, ex = s.x + r, d.x - r
        h = col_w * 0.5
        c1 = [(sx, s.y), (sx + h * 0.6, s.y), (sx + h * 0.3, yl), (sx + h, yl)]
        c2 = [(ex - h, yl), (ex - h * 0.3, yl), (ex - h * 0.6, d.y), (ex, d.y)]
        path = "M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %s" % tuple(
            _n(v) for p in c1 + c2 for v in p)
        pts = _bezier(c1) + _bezier(c2)
        return path, pts, 8
    paths: List[Tuple[Any, str, List[Tuple[float, float]], int]] = []
    for (s, d), count in m.bundles:
        path, pts, _ = route(s, d)
        add('<path d="%s" fill="none" stroke="%s" stroke-width="1" stroke-dasharray="4 3" '
            'opacity="0.7"><title>%s</title></path>' % (
                path, BUNDLE, _esc("%s connection%s between %s and %s" % (
                    format(count, ","), "" if count == 1 else "s", s.text, d.text))))
        paths.append((None, path, pts, -1))
    for b in biases:
        for d in b.users:
            dx, dy = d.x - b.x, d.y - b.y
            dist = math.hypot(dx, dy) or 1.0
            p1 = (b.x + dx / dist * rb, b.y + dy / dist * rb)
            p2 = (d.x - dx / dist * r, d.y - dy / dist * r)
            add('<path d="M%s %sL%s %s" fill="none" stroke="%s" stroke-width="1.2" '
                'stroke-dasharray="5 3" class="bias-line"><title>%s</title></path>' % (
                    _n(p1[0]), _n(p1[1]), _n(p2[0]), _n(p2[1]), BIAS,
                    _esc("%s = %s: bias of %s" % (b.name, b.value_text(8), d.text))))
            paths.append((None, "", [p1, p2], -1))
    for c in m.edges:
        s, d = m.node_of[c.src], m.node_of[c.dst]
        w = _f(c.weight)
        frac = abs(w) / wmax if wmax > 0 and math.isfinite(w) else (1.0 if math.isinf(w) else 0)
        sw = 0.6 + 4.4 * frac
        path, pts, seg = route(s, d)
        tip = "%s: weight %s, grad %s" % (c.name, fmt_number(c.weight, 6), fmt_number(c.grad, 6))
        add('<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linecap="round" '
            'opacity="%s"><title>%s</title></path>' % (
                path, _colour(w), _n(sw) if sw >= 1 else "%.2f" % sw,
                "0.85" if edge_show else "0.55", _esc(tip)))
        paths.append((c, tip, pts, seg))
    for a in arcs:
        _arc_geometry(a, r, base, levels, cross_y + a.lane * _DSTEP)
        add('<path d="%s" fill="none" stroke="%s" stroke-width="1.4" stroke-dasharray="6 3" '
            'class="delayed"><title>%s</title></path>' % (a.path, RECUR, _esc(a.tip)))
        add('<polygon points="%s" fill="%s" class="delayed-arrow"/>' % (a.arrow, RECUR))
        paths.append((None, "", a.pts, -1))
    arc_index = len(paths) - len(arcs)
    segments = [(i, pts[k], pts[k + 1]) for i, (_, _, pts, _) in enumerate(paths)
                for k in range(len(pts) - 1)] if edge_show or arcs else []
    # The labels of the delayed connections go first: they have only their own arc to sit
    # along, the others their whole line.
    arc_labels = []
    for i, a in enumerate(arcs):
        if not a.quiet:
            cx, cy, upright = _place_delayed_label(a, arc_index + i, segments, boxes, width,
                                                   legend_top)
            boxes.append(_delayed_box(cx, cy, a.text, upright))
            arc_labels.append((a, cx, cy, upright, boxes[-1]))
    if edge_show:
        for i, (c, tip, pts, seg) in enumerate(paths):
            if c is None:
                continue
            lines = _edge_lines(c, edge_show, digits)
            texts = [t for _, t in lines]
            lx, ly = _place_label(pts, seg, texts, i, segments, boxes, width, legend_top)
            ys = [ly + 12 * j for j in range(len(lines))]
            box = _text_box(lx, ys, texts, pad=_PAD)
            boxes.append(box)
            add('<g class="edge-label"><title>%s</title>' % _esc(tip))
            add('<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#ffffff" '
                'opacity="0.92"/>' % (_n(box[0]), _n(box[1]), _n(box[2] - box[0]),
                                      _n(box[3] - box[1])))
            for (kind, text), y in zip(lines, ys):
                add('<text x="%s" y="%s" text-anchor="middle" fill="%s" stroke="#fff" '
                    'stroke-width="3" paint-order="stroke"%s>%s</text>' % (
                        _n(lx), _n(y), GRAD if kind == "g" else "#222",
                        ' font-style="italic"' if kind == "g" else "", _esc(text)))
            add("</g>")
    for a, cx, cy, upright, box in arc_labels:
        add('<g class="delayed-label"><title>%s</title>' % _esc(a.tip))
        add('<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#ffffff" '
            'opacity="0.92"/>' % (_n(box[0]), _n(box[1]), _n(box[2] - box[0]),
                                  _n(box[3] - box[1])))
        add('<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="%s"%s>%s</text>'
            '</g>' % (_n(cx), _n(cy + 3.5), RECUR, ' transform="rotate(-90 %s %s)"' % (
                _n(cx), _n(cy)) if upright else "", _esc(a.text)))
    for b in biases:
        add('<g class="bias"><title>%s</title>' % _esc("shared bias %s = %s, used by %s" % (
            b.name, b.value_text(8), ", ".join(b.names))))
        add('<circle cx="%s" cy="%s" r="%s" fill="#fdf3dc" stroke="%s" stroke-width="1.2"/>' % (
            _n(b.x), _n(b.y), _n(rb), BIAS))
        add('<text x="%s" y="%s" text-anchor="middle" font-size="10" font-weight="bold" '
            'fill="#5a3d0a">%s</text>' % (_n(b.x), _n(b.y + 3.5), _esc(_short(b.name, 4))))
        add('<text x="%s" y="%s" text-anchor="middle" fill="#5a3d0a">%s</text></g>' % (
            _n(b.x), _n(b.y + rb + 13), _esc(b.value_text(digits))))
    for col in m.columns:
        for node in col.nodes:
            _svg_node(add, node, show, digits, r, out_label.get(node.neuron))
    _svg_legend(add, legend_items, margin / 2, legend_top, width, drawn)
    add("</svg>")
    return "\n".join(out) + "\n"


BIAS = "#b7791f"       # shared bias nodes and their lines
RECUR = "#6b46c1"      # delayed (recurrent) connections


_DELAY_LABELS_MAX = 16   # a layer with more delayed connections has them drawn without labels
_DSTEP = 16.0            # room between two neighbouring delayed arcs beside a column


class _Arc:
    """A delayed connection on the picture: a loop over its neuron (``kind`` "loop"), an arc
    bulging out right of the column (``"column"``, both ends in one layer) or a run along a
    lane under the layers (``"cross"``, between layers); ``level`` is its distance from the
    column (0 is the innermost) at its source and ``level_d`` at its destination."""
    __slots__ = ("c", "s", "d", "kind", "level", "level_d", "lane", "quiet", "pts", "run",
                 "path", "arrow", "text", "tip")

    def __init__(self, c: Any, s: _Node, d: _Node) -> None:
        self.c, self.s, self.d = c, s, d
        self.kind = "loop" if s is d else ("column" if s.col == d.col else "cross")
        self.level = self.level_d = self.lane = 0
        self.quiet = False
        self.pts: List[Tuple[float, float]] = []
        self.run = (0, 0)
        self.path = self.arrow = ""
        self.text = ""
        self.tip = ""


def _delayed_arcs(m: _Model, digits: int) -> List[_Arc]:
    """The delayed connections with their places beside the columns: arcs between the same
    two rows nest, the shorter inside, so that arcs between different pairs do not lie on
    top of each other; an arc that leaves its column for another layer is the outermost."""
    arcs = [_Arc(c, m.node_of[c.src], m.node_of[c.dst]) for c in m.delayed]
    per_col: Dict[int, int] = {}
    for a in arcs:
        per_col[a.d.col] = per_col.get(a.d.col, 0) + 1
    claims: Dict[int, List[Tuple[float, float, float, _Arc, bool]]] = {}
    lane = 0
    for a in arcs:
        a.quiet = per_col[a.d.col] > _DELAY_LABELS_MAX
        a.tip = "%s: delay %d, weight %s, grad %s" % (
            a.c.name, a.c.delay, fmt_number(a.c.weight, 6), fmt_number(a.c.grad, 6))
        a.text = "d=%d %s" % (a.c.delay, fmt_number(a.c.weight, digits))
        if a.kind == "column":
            lo, hi = sorted((a.s.row, a.d.row))
            claims.setdefault(a.s.col, []).append((hi - lo, lo, hi, a, True))
        elif a.kind == "cross":
            a.lane = lane
            lane += 1
            for node, src in ((a.s, True), (a.d, False)):
                claims.setdefault(node.col, []).append((1e6 - node.row, node.row, 1e9, a, src))
    for col_claims in claims.values():
        col_claims.sort(key=lambda t: (t[0], t[1]))
        placed: List[Tuple[int, float, float]] = []
        for _, lo, hi, a, src in col_claims:
            level = 0
            while any(L == level and lo < h and l < hi for L, l, h in placed):
                level += 1
            placed.append((level, lo, hi))
            if src:
                a.level = level
            if not src or a.kind == "column":
                a.level_d = level
    return arcs


def _arc_levels(arcs: List[_Arc], col: int) -> int:
    """How many arcs lie side by side right of column *col*."""
    return max([a.level + 1 for a in arcs if a.kind != "loop" and a.s.col == col]
               + [a.level_d + 1 for a in arcs if a.kind == "cross" and a.d.col == col] + [0])


def _arc_geometry(a: _Arc, r: float, base: Dict[int, float], levels: Dict[int, int],
                  lane_y: float) -> None:
    """The path of arc *a* (``path``, sampled as ``pts``), which of its points bound the
    stretch a label may sit along (``run``) and the arrowhead at its destination."""
    def attach(node: _Node, level: int, down: bool) -> Tuple[float, float, float]:
        """Where the arc meets the neuron: the inner arcs lower (or higher) on the circle."""
        n = levels[node.col]
        phi = math.radians(62 - 52 * level / max(n - 1, 1))
        x = base[node.col] + node.x + level * _DSTEP
        return (node.x + r * math.cos(phi), node.y + (1 if down else -1) * r * math.sin(phi), x)

    def corner(p: Tuple[float, float], x: float, y: float) -> List[Tuple[float, float]]:
        """From the circle at *p* out to the run at *x*, turning to reach (x, y)."""
        return [p, (p[0] + (x - p[0]) * 0.6, p[1]), (x, y - (y - p[1]) * 0.55), (x, y)]

    if a.kind == "loop":
        x, y = a.s.x, a.s.y
        h = r * math.cos(math.radians(30))
        curve = [(x - r / 2, y - h), (x - 26, y - r - 32), (x + 26, y - r - 32),
                 (x + r / 2, y - h)]
        a.path = "M%s %sC%s %s %s %s %s %s" % tuple(_n(v) for p in curve for v in p)
        a.pts = _bezier(curve)
        a.run = (0, len(a.pts) - 1)
        tip, back = curve[3], curve[2]
    else:
        down = a.kind == "cross" or a.d.row > a.s.row
        p0 = attach(a.s, a.level, down)
        p3 = attach(a.d, a.level_d, a.kind == "cross" or not down)
        sign = 1 if down else -1
        q0 = (p0[2], a.s.y + sign * (r + 10))
        c0 = corner(p0[:2], q0[0], q0[1])
        if a.kind == "cross":
            q1 = (p3[2], a.d.y + r + 10)
        else:
            q1 = (p3[2], a.d.y - sign * (r + 10))
        c1 = corner(p3[:2], q1[0], q1[1])[::-1]
        if a.kind == "column":
            a.path = "M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %s" % tuple(
                _n(v) for p in c0 + c1 for v in p)
            first = _bezier(c0)
            a.pts = first + _bezier(c1)
            a.run = (len(first) - 1, len(first))
        else:
            # down beside the source's column, along its lane, up beside the destination's
            k = 8.0 if q0[0] > q1[0] else -8.0
            c2 = [(q0[0], lane_y - 8), (q0[0], lane_y - 4), (q0[0] - k / 2, lane_y),
                  (q0[0] - k, lane_y)]
            c3 = [(q1[0] + k, lane_y), (q1[0] + k / 2, lane_y), (q1[0], lane_y - 4),
                  (q1[0], lane_y - 8)]
            a.path = ("M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %s"
                      "L%s %sC%s %s %s %s %s %s") % tuple(
                          _n(v) for p in c0 + c2 + c3 + c1 for v in p)
            part = _bezier(c0) + _bezier(c2)
            a.pts = part + _bezier(c3) + _bezier(c1)
            a.run = (len(part) - 1, len(part))
        tip, back = c1[3], c1[2]
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    a.arrow = " ".join("%s,%s" % (_n(x), _n(y)) for x, y in (
        tip, (tip[0] - 8 * ux - 3.5 * uy, tip[1] - 8 * uy + 3.5 * ux),
        (tip[0] - 8 * ux + 3.5 * uy, tip[1] - 8 * uy - 3.5 * ux)))


def _delayed_box(cx: float, cy: float, text: str, upright: bool
                 ) -> Tuple[float, float, float, float]:
    """The box of a delayed connection's label (10 px) centred on (cx, cy); *upright* labels
    are turned a quarter to run along a vertical arc."""
    w = _text_width(text, 10) / 2 + _PAD
    h = 6.5 + _PAD
    return (cx - h, cy - w, cx + h, cy + w) if upright else (cx - w, cy - h, cx + w, cy + h)


def _place_delayed_label(a: _Arc, own: int,
                         segments: List[Tuple[int, Tuple[float, float], Tuple[float, float]]],
                         boxes: List[Tuple[float, float, float, float]], width: float,
                         bottom: float) -> Tuple[float, float, bool]:
    """Centre and orientation of the label of arc *a*: along its own stretch (on the line,
    whose white box it interrupts, or beside it), where no other line, neuron, text or label
    is under it; else the place with the fewest collisions."""
    (ax, ay), (bx, by) = a.pts[a.run[0]], a.pts[a.run[1]]
    w = _text_width(a.text, 10) / 2 + _PAD
    if a.kind == "loop":
        x, top = a.s.x, a.s.y - 20 - 24
        spots = [(x, top - 8, False), (x + 28 + w, top + 8, False), (x - 28 - w, top + 8, False),
                 (x + 18 + w, top - 8, False), (x - 18 - w, top - 8, False),
                 (x + 30 + w, top + 22, False), (x - 30 - w, top + 22, False)]
    elif a.kind == "column":
        along = sorted((k / 40 for k in range(2, 39)), key=lambda t: abs(t - 0.5))
        spots = [(ax + off, ay + (by - ay) * t, True) for off in (0.0, 15.0, -15.0)
                 for t in along]
    else:
        spots = [(ax + (bx - ax) * t, ay + off, False) for off in (0.0, 14.0, -14.0)
                 for t in _ALONG]
    best = None
    for cx, cy, upright in spots:
        box = _delayed_box(cx, cy, a.text, upright)
        cost = 0
        if box[0] < 2 or box[2] > width - 2 or box[1] < 46 or box[3] > bottom:
            cost += 100
        cost += sum(1 for i, p, q in segments if i != own and _seg_hits_box(p, q, box)) * 10
        cost += sum(1 for o in boxes if _boxes_meet(box, o)) * 10
        if cost == 0:
            return cx, cy, upright
        if best is None or cost < best[0]:
            best = (cost, cx, cy, upright)
    assert best is not None
    return best[1], best[2], best[3]


_PAD = 2.0             # room kept around a connection label


class _Bias:
    """A shared bias Parameter drawn as a node: its users, its column and place."""
    __slots__ = ("name", "value", "users", "names", "col", "x", "y")

    def __init__(self, name: str, value: Any, users: List[_Node], names: List[str]) -> None:
        self.name, self.value, self.users, self.names = name, value, users, names
        self.col = max(0, min(u.col for u in users) - 1)
        self.x = self.y = 0.0

    def value_text(self, digits: int) -> str:
        return fmt_number(self.value, digits)


def _shared_biases(net: Any, m: _Model) -> List[_Bias]:
    """Bias parameters used by two or more neurons, with the nodes that draw those neurons."""
    users: Dict[str, List[Any]] = {}
    param: Dict[str, Any] = {}
    for n in net.neurons:
        b = None if n.is_input else n.bias
        if b is not None:
            users.setdefault(b.name, []).append(n)
            param[b.name] = b
    out = []
    for name, ns in users.items():
        if len(ns) < 2:
            continue
        nodes: List[_Node] = []
        for n in ns:
            node = m.node_of.get(n)
            if node is not None and node not in nodes:
                nodes.append(node)
        if nodes:
            out.append(_Bias(name, param[name].value, nodes, [n.name for n in ns]))
    out.sort(key=lambda b: (b.col, min(u.row for u in b.users)))
    return out


def _bezier(p: List[Tuple[float, float]], steps: int = 8) -> List[Tuple[float, float]]:
    """Points along the cubic Bezier curve with control points *p*."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append((u ** 3 * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0]
                    + t ** 3 * p[3][0],
                    u ** 3 * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1]
                    + t ** 3 * p[3][1]))
    return out


def _text_box(x: float, ys: List[float], texts: List[str], pad: float = 0.0
              ) -> Tuple[float, float, float, float]:
    """The box of centred text lines at *x* with baselines *ys* (11 px font, wide side)."""
    w = max(_text_width(t, 11) for t in texts) / 2 + pad
    return (x - w, min(ys) - 9 - pad, x + w, max(ys) + 3 + pad)


def _seg_hits_box(p: Tuple[float, float], q: Tuple[float, float],
                  box: Tuple[float, float, float, float]) -> bool:
    """Whether the segment p-q meets the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = box
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for num, den in ((p[0] - x1, -dx), (x2 - p[0], dx), (p[1] - y1, -dy), (y2 - p[1], dy)):
        if den == 0:
            if num < 0:
                return False
            continue
        t = num / den
        if den < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _boxes_meet(a: Tuple[float, float, float, float], b: Tuple[float, float, float, float]
                ) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65, 0.45, 0.55, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85)


def _place_label(pts: List[Tuple[float, float]], seg: int, texts: List[str], own: int,
                 segments: List[Tuple[int, Tuple[float, float], Tuple[float, float]]],
                 boxes: List[Tuple[float, float, float, float]], width: float, bottom: float
                 ) -> Tuple[float, float]:
    """Where a connection's label goes (centre x, first baseline): on its own line (which its
    white box interrupts), at the first place along it where no other line, neuron, text or
    label is under it; else beside the line; else the place with the fewest collisions."""
    if seg >= 0:
        a, b = pts[seg], pts[seg + 1]                   # the straight run along a lane
    else:
        a, b = pts[0], pts[-1]
    n = len(texts)
    height = 12 * (n - 1)
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length                  # a unit normal
    if ny > 0:
        nx, ny = -nx, -ny                               # pointing up
    half_w = max(_text_width(t, 11) for t in texts) / 2 + _PAD
    half_h = (height + 12) / 2 + _PAD
    # the distance from the centre to the box's edge along the normal, plus a gap
    reach = abs(nx) * half_w + abs(ny) * half_h + 3
    best = None
    for off in (0.0, reach, -reach):
        for t in _ALONG:
            cx = a[0] + dx * t + nx * off
            cy = a[1] + dy * t + ny * off
            y0 = cy - height / 2 + 3                    # first baseline, text centred on cy
            box = _text_box(cx, [y0, y0 + height], texts, pad=_PAD)
            cost = 0
            if box[0] < 2 or box[2] > width - 2 or box[3] > bottom:
                cost += 100
            cost += sum(1 for i, p, q in segments if i != own and _seg_hits_box(p, q, box)) * 10
            cost += sum(1 for o in boxes if _boxes_meet(box, o)) * 10
            if cost == 0:
                return cx, y0
            if best is None or cost < best[0]:
                best = (cost, cx, y0)
    assert best is not None
    return best[1], best[2]


def _output_labels(net: Any, labels: Any) -> Dict[Any, str]:
    """{output neuron: label} from a list (``net.outputs`` order) or a dict of names."""
    if labels is None:
        return {}
    outs = list(net.outputs)
    if isinstance(labels, dict):
        by_name = {n.name: n for n in outs}
        for k in labels:
            if k not in by_name:
                raise NameLookupError("output_labels: %r is not an output neuron; the outputs "
                                      "are %s%s" % (k, ", ".join(by_name) or "none",
                                                    suggest(str(k), by_name)))
        return {by_name[k]: str(v) for k, v in labels.items()}
    if isinstance(labels, str):
        labels = [labels]
    labels = [str(v) for v in labels]
    if len(labels) != len(outs):
        from .core.errors import ShapeError
        raise ShapeError("output_labels: %d labels for %d output neurons (%s)" % (
            len(labels), len(outs), ", ".join(n.name for n in outs)))
    return dict(zip(outs, labels))


def _svg_node(add: Any, node: _Node, show: Tuple[str, ...], digits: int, r: float,
              out_label: Optional[str] = None) -> None:
    x, y = node.x, node.y
    if node.neuron is None:
        label = ("%s neurons not drawn" if node.kind == "more" else "%s neurons in the %s not drawn"
                 ) % (format(node.count, ","), node.text) if node.kind == "gap" else (
                     "%s neurons not drawn" % format(node.count, ","))
        add('<g><title>%s</title>' % _esc(label))
        add('<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="#f4f4f4" stroke="#666" '
            'stroke-dasharray="4 3"/>' % (_n(x - 34), _n(y - r), _n(68), _n(2 * r)))
        add('<text x="%s" y="%s" text-anchor="middle" font-size="15" fill="#444">'
            '\u22ee</text>' % (_n(x), _n(y - 3)))
        add('<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text></g>' % (
            _n(x), _n(y + 12), _esc(node.text)))
        return
    n = node.neuron
    fill = {"input": "#e3effc", "output": "#e3f5e6", "hidden": "#ffffff"}[node.kind]
    act = n.activation.name if n.activation is not None else "input"
    tip = "%s (%s)" % (n.name, act)
    if out_label is not None:
        tip += ": %s" % out_label
    add('<g><title>%s</title>' % _esc(tip))
    add('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#333" stroke-width="1.5"/>' % (
        _n(x), _n(y), _n(r), fill))
    add('<text x="%s" y="%s" text-anchor="middle" font-weight="bold" fill="#111">%s</text>' % (
        _n(x), _n(y + 4), _esc(_short(n.name))))
    if out_label is not None:
        add('<text x="%s" y="%s" font-weight="bold" fill="#1c5f2c" class="output-label">%s'
            '</text>' % (_n(x + r + 8), _n(y + 4), _esc(_short(out_label, 24))))
    values = _neuron_lines(n, show, digits)
    if values:
        # a white backing, so that the lines passing under the values do not cross them
        bx = _text_box(x, [y + r + 13 + 13 * j for j in range(len(values))],
                       [lab + " " + val for lab, val in values], pad=1)
        add('<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#ffffff" opacity="0.92"/>'
            % (_n(bx[0]), _n(bx[1]), _n(bx[2] - bx[0]), _n(bx[3] - bx[1])))
    for j, (lab, val) in enumerate(values):
        add('<text x="%s" y="%s" text-anchor="middle" fill="%s" stroke="#fff" stroke-width="3" '
            'paint-order="stroke">%s %s</text>' % (
            _n(x), _n(y + r + 13 + 13 * j), "#555" if lab != "\u03b4" else "#7b3fa0",
            _esc(lab), _esc(val)))
    add("</g>")


def _legend_items(m: _Model, show: Tuple[str, ...], edge_show: Tuple[str, ...],
                  n_skip: int, biases: bool = False, quiet: bool = False
                  ) -> List[Tuple[str, str]]:
    items = [("pos", "positive weight"), ("neg", "negative weight"),
             ("width", "width grows with |weight|")]
    if "grad" in edge_show and m.edges:
        items.append(("grad", "\u2207 gradient dE/dw"))
    if biases:
        items.append(("bias", "shared bias (value below it)"))
    if n_skip:
        items.append(("skip", "skip connection (routed around layers)"))
    if m.bundles:
        items.append(("bundle", "connections of collapsed neurons"))
    if m.hidden_neurons or m.hidden_layers:
        items.append(("more", "collapsed neurons (count)"))
    if m.delayed:
        items.append(("delay", "delayed (recurrent) connection, d = delay"))
        if quiet:
            items.append(("note", "A layer with more than %d delayed connections has them drawn "
                                  "without labels; their tooltips give delay, weight and "
                                  "gradient." % _DELAY_LABELS_MAX))
    return items


def _legend_cols(width: float) -> int:
    """Legend entries per row: each needs about 270 pixels."""
    return max(1, min(3, int((width - 40) // 270)))


def _legend_rows(items: List[Tuple[str, str]], cols: int) -> int:
    """Rows of the legend: the entries in *cols* columns, then each note on a row of its own."""
    notes = sum(1 for kind, _ in items if kind == "note")
    return (len(items) - notes + cols - 1) // cols + notes


def _svg_legend(add: Any, items: List[Tuple[str, str]], x0: float, y0: float, width: float,
                show: Tuple[str, ...]) -> None:
    add('<g font-size="11" fill="#333"><text x="%s" y="%s" font-weight="bold">Legend</text>'
        % (_n(x0), _n(y0 + 12)))
    cols = _legend_cols(width)
    col_w = (width - 2 * x0) / cols
    grid = [item for item in items if item[0] != "note"]
    for i, (kind, text) in enumerate(items):
        x = x0 + (i % cols) * col_w
        y = y0 + 30 + (i // cols) * 20
        if kind == "note":
            y = y0 + 30 + ((len(grid) + cols - 1) // cols + i - len(grid)) * 20
            add('<text x="%s" y="%s" fill="#555">%s</text>' % (_n(x0), _n(y), _esc(text)))
            continue
        if kind in ("pos", "neg"):
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>' % (
                _n(x), _n(y - 4), _n(x + 26), _n(y - 4), POS if kind == "pos" else NEG))
        elif kind == "width":
            add('<path d="M%s %sL%s %s" stroke="%s" stroke-width="1"/>' % (
                _n(x), _n(y - 7), _n(x + 26), _n(y - 7), POS))
            add('<path d="M%s %sL%s %s" stroke="%s" stroke-width="4"/>' % (
                _n(x), _n(y - 1), _n(x + 26), _n(y - 1), POS))
        elif kind == "grad":
            add('<text x="%s" y="%s" fill="%s" font-style="italic">\u2207 0.1</text>' % (
                _n(x), _n(y), GRAD))
        elif kind == "skip":
            add('<path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="2"/>'
                % (_n(x), _n(y), _n(x + 4), _n(y - 12), _n(x + 22), _n(y - 12), _n(x + 26),
                   _n(y), POS))
        elif kind == "bundle":
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="4 3"/>' % (
                _n(x), _n(y - 4), _n(x + 26), _n(y - 4), BUNDLE))
        elif kind == "bias":
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.2" '
                'stroke-dasharray="5 3"/>' % (_n(x + 8), _n(y - 4), _n(x + 30), _n(y - 4), BIAS))
            add('<circle cx="%s" cy="%s" r="6" fill="#fdf3dc" stroke="%s"/>' % (
                _n(x + 6), _n(y - 4), BIAS))
        elif kind == "more":
            add('<rect x="%s" y="%s" width="26" height="12" rx="3" fill="#f4f4f4" stroke="#666" '
                'stroke-dasharray="3 2"/>' % (_n(x), _n(y - 10)))
        elif kind == "delay":
            add('<path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="1.4" '
                'stroke-dasharray="6 3"/>' % (_n(x + 26), _n(y - 4), _n(x + 26), _n(y + 6),
                                              _n(x), _n(y + 6), _n(x), _n(y - 4), RECUR))
        add('<text x="%s" y="%s">%s</text>' % (_n(x + 44), _n(y), _esc(text)))
    if show:
        names = {"a": "a activation", "z": "z weighted input", "delta": "\u03b4 error dE/dz",
                 "grad_a": "\u2202E/\u2202a", "bias": "b bias", "weight": "w weight",
                 "grad": "\u2207 dE/dw"}
        y = y0 + 30 + _legend_rows(items, cols) * 20
        add('<text x="%s" y="%s" fill="#555">shown: %s</text>' % (
            _n(x0), _n(y), _esc(" \u00b7 ".join(names[s] for s in show))))
    add("</g>")


# ---------------------------------------------------------------------------
# DOT
# ---------------------------------------------------------------------------

def _dot_html(text: Any) -> str:
    return _esc(text)


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
    show = _parse_show(show)
    m = _Model(net, max_per_layer, max_layers, max_edges)
    out_label = _output_labels(net, output_labels)
    biases = _shared_biases(net, m) if bias_nodes else []
    wmax = max((abs(_f(c.weight)) for c in m.edges if math.isfinite(_f(c.weight))), default=0.0)
    out = ["digraph net {",
           '  rankdir=LR; splines=true; nodesep=0.5; ranksep=1.6;',
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];']
    for ci, col in enumerate(m.columns):
        out.append("  subgraph layer%d { rank=same;" % ci)
        for node in col.nodes:
            if node.neuron is None:
                out.append('    %s [shape=box, style="rounded,dashed", label=<&#8942;<br/>%s>];'
                           % (node.id, _dot_html(node.text)))
                continue
            n = node.neuron
            rows = "".join("<br/>%s %s" % (_dot_html(lab), _dot_html(val))
                           for lab, val in _neuron_lines(n, show, digits))
            fill = {"input": "#e3effc", "output": "#e3f5e6", "hidden": "#ffffff"}[node.kind]
            extra = ""
            if n in out_label:
                extra = ', xlabel=<<font color="#1c5f2c"><b>%s</b></font>>' % _dot_html(
                    out_label[n])
            out.append('    %s [shape=circle, style=filled, fillcolor="%s", label=<<b>%s</b>%s>%s];'
                       % (node.id, fill, _dot_html(n.name), rows, extra))
        out.append("  }")
    for k, b in enumerate(biases):
        out.append('  bias%d [shape=box, style="rounded,filled", fillcolor="#fdf3e1", '
                   'label=<<b>%s</b><br/>%s>];' % (k, _dot_html(b.name),
                                                   _dot_html(b.value_text(digits))))
        for node in b.users:
            out.append('  bias%d -> %s [style=dotted, color="#b7791f", arrowhead=none];'
                       % (k, node.id))
    for c in m.edges:
        s, d = m.node_of[c.src], m.node_of[c.dst]
        w = _f(c.weight)
        frac = abs(w) / wmax if wmax > 0 and math.isfinite(w) else 0.0
        parts = []
        for kind, text in _edge_lines(c, show, digits):
            parts.append('<font color="%s">%s</font>' % (GRAD, _dot_html(text)) if kind == "g"
                         else _dot_html(text))
        label = ", label=<%s>" % "<br/>".join(parts) if parts else ""
        out.append('  %s -> %s [color="%s", penwidth=%.2f%s];' % (
            s.id, d.id, _colour(w), 0.5 + 3.5 * frac, label))
    for (s, d), count in m.bundles:
        out.append('  %s -> %s [color="%s", style=dashed, label="%s"];' % (
            s.id, d.id, BUNDLE, "%s connections" % format(count, ",")))
    for c in m.delayed:
        out.append('  %s -> %s [color="%s", style=dashed, constraint=false, label=<d=%d %s>];' % (
            m.node_of[c.src].id, m.node_of[c.dst].id, RECUR, c.delay,
            _dot_html(fmt_number(c.weight, digits))))
    legend = ["blue: positive weight", "red: negative weight", "width: |weight|"]
    if "grad" in show and m.edges:
        legend.append('<font color="%s">orange: gradient dE/dw</font>' % GRAD)
    if biases:
        legend.append("dotted: a shared bias and its neurons")
    if m.bundles:
        legend.append("dashed: connections of collapsed neurons")
    if m.delayed:
        legend.append("dashed, d = delay: a delayed (recurrent) connection")
    out.append("  labelloc=b; label=<%s>;" % "; ".join(legend))
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Terminal
# ---------------------------------------------------------------------------

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
    show = _parse_show(show)
    layers = _layers(net)
    sizes = "-".join(str(len(lay)) for lay in layers) if len(layers) <= 12 else (
        "%d layers" % len(layers))
    sizes = sizes or "empty"
    lines = ["Net %s (%s)" % (sizes, getattr(net.number, "__name__", str(net.number)))]
    if len(layers) > max_layers:
        head = max_layers // 2
        tail = max_layers - head
        shown: List[Optional[int]] = list(range(head)) + [None] + list(
            range(len(layers) - tail, len(layers)))
    else:
        shown = list(range(len(layers)))
    vals = [s for s in show if s not in ("weight", "grad", "bias")]

    def values(n: Any) -> str:
        parts = []
        for lab, val in _neuron_lines(n, tuple(vals), digits):
            parts.append("%s=%s" % ("delta" if lab == "\u03b4" else (
                "dE/da" if lab.startswith("\u2202") else lab), val))
        return ("  " + " ".join(parts)) if parts else ""

    for L in shown:
        if L is None:
            hidden = layers[head:len(layers) - tail]
            lines.append("... %s layers (%s neurons) ..." % (
                format(len(hidden), ","), format(sum(len(h) for h in hidden), ",")))
            continue
        members = layers[L]
        if len(members) > max_per_layer:
            k = max_per_layer // 2
            rows: List[Any] = members[:k] + [len(members) - max_per_layer] + members[
                len(members) - (max_per_layer - k):]
        else:
            rows = list(members)
        if all(n.is_input for n in members):
            lines.append("layer %d (inputs): %s" % (L, " | ".join(
                ("... %d more" % n) if isinstance(n, int) else (_clean(n.name) + values(n))
                for n in rows)))
            continue
        outs = all(n.is_output for n in members)
        lines.append("layer %d%s:" % (L, " (outputs)" if outs else ""))
        for n in rows:
            if isinstance(n, int):
                lines.append("  ... %d more neurons ..." % n)
                continue
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
            lines.append("  %s = %s(%s)%s" % (_clean(n.name), act, _join_terms(terms), values(n)))
    return "\n".join(lines)


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


def sparkline(values: Iterable[Any], width: int = 40) -> str:
    """A one-line bar chart of *values* (the last *width* of them); None or nan is a space.

    >>> sparkline([1, 2, 3, 4, 5, 6, 7, 8])
    '▁▂▃▄▅▆▇█'
    >>> sparkline([])
    ''
    """
    vs = [math.nan if v is None else _f(v) for v in list(values)[-width:]]
    finite = [v for v in vs if math.isfinite(v)]
    if not finite:
        return " " * len(vs)
    lo, hi = min(finite), max(finite)
    span = hi - lo
    out = []
    for v in vs:
        if not math.isfinite(v):
            out.append(" ")
        else:
            i = int(round((v - lo) / span * 7)) if span > 0 else 3
            out.append(_BARS[i])
    return "".join(out)


# ---------------------------------------------------------------------------
# Training history
# ---------------------------------------------------------------------------

_NOT_METRICS = {"epoch", "loss", "val_loss", "time", "seconds", "elapsed", "lr",
                "learning_rate", "step", "steps", "samples", "batch", "batches"}
_SERIES_COLOURS = ["#2b6cb0", "#d9730d", "#2f855a", "#805ad5", "#c53030", "#319795"]


def _nice_ticks(lo: float, hi: float, n: int = 5) -> List[float]:
    """About *n* round tick values (1, 2, 5 times a power of ten) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9 and len(ticks) < 50:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 12))
    return ticks


def _tick_text(t: float) -> str:
    return ("%.6g" % t) if t != 0 else "0"


_FS = 11        # the font size of the chart's labels
_EM = 0.64      # a label's width per character, in em: DejaVu Sans digits are 0.636 em wide
_EM_BOLD = 0.72


def _text_width(text: str, size: float = _FS, bold: bool = False) -> float:
    """An estimate (on the wide side) of *text*'s width in px at font size *size*."""
    return len(text) * size * (_EM_BOLD if bold else _EM)


def _fit_text(text: str, room: float, size: float = _FS, bold: bool = False) -> str:
    """*text*, cut short with an ellipsis when it would be wider than *room* px."""
    if _text_width(text, size, bold) <= room:
        return text
    keep = max(int(room / (size * (_EM_BOLD if bold else _EM))) - 1, 0)
    return text[:keep] + "\u2026"


def _rows_of(history: Any) -> List[Dict[str, Any]]:
    rows = getattr(history, "rows", history)
    try:
        rows = list(rows)
    except TypeError:
        raise FormatError("history_svg needs a History (with .rows) or a list of per-epoch dicts, "
                          "got %r" % (history,)) from None
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise FormatError("history row %d is %r, not a dict of per-epoch values such as "
                              "{'epoch': 1, 'loss': 0.5}" % (i, row))
    return rows


def _metric_keys(rows: List[Dict[str, Any]]) -> List[str]:
    keys: List[str] = []
    for row in rows:
        for k, v in row.items():
            base = k[4:] if k.startswith("val_") else k
            if base in _NOT_METRICS or base in keys or isinstance(v, (bool, str)):
                continue
            if v is None or isinstance(v, (int, float, Decimal, Fraction)):
                keys.append(base)
    return keys


def history_svg(history: Any, *, title: Optional[str] = None, metrics: Optional[Sequence[str]] = None,
                width: int = 760, height: int = 340) -> str:
    """An SVG chart of a training history: loss (and each metric) per epoch.

    *history* is a ``History`` (anything with ``.rows``) or a list of dicts
    with ``"epoch"``, ``"loss"``, ``"val_loss"`` (None without validation)
    and metric keys such as ``"accuracy"`` and ``"val_accuracy"``.  Training
    values are solid lines, validation values dashed; loss on the left panel,
    the metrics on the right one.

    >>> rows = [{"epoch": e, "loss": 1 / e, "val_loss": 1.2 / e, "accuracy": 1 - 0.5 / e,
    ...          "val_accuracy": None} for e in range(1, 6)]
    >>> svg = history_svg(rows)
    >>> "val_loss" in svg, "accuracy" in svg, svg.count("<polyline")
    (True, True, 3)
    """
    rows = _rows_of(history)
    keys = list(metrics) if metrics is not None else _metric_keys(rows)
    panels: List[Tuple[str, List[str]]] = [("loss", ["loss", "val_loss"])]
    if keys:
        panels.append((keys[0] if len(keys) == 1 else "metrics",
                       [k for base in keys for k in (base, "val_" + base)]))
    epochs = []
    for i, row in enumerate(rows):
        e = _f(row.get("epoch", i + 1))
        epochs.append(e if math.isfinite(e) else float(i + 1))
    elo, ehi = (min(epochs), max(epochs)) if epochs else (0.0, 1.0)
    if ehi - elo < 1:
        ehi = elo + 1
    xt = [t for t in _nice_ticks(elo, ehi, 6) if elo - 1e-9 <= t <= ehi + 1e-9]
    if len(xt) < 2:
        xt = [elo, ehi]
    # The values and y ticks of each panel come first: the margins are measured from the labels.
    drawn: List[Tuple[str, List[Tuple[str, List[Tuple[float, float]]]], List[float]]] = []
    for name, series in panels:
        data = []
        for key in series:
            pts = [(e, _f(row.get(key))) for e, row in zip(epochs, rows)
                   if row.get(key) is not None]
            pts = [(e, v) for e, v in pts if math.isfinite(v)]
            if pts:
                data.append((key, pts))
        ys = [v for _, pts in data for _, v in pts]
        if ys:
            lo, hi = min(ys), max(ys)
            if name == "loss" or lo >= 0:
                lo = min(lo, 0.0)
            if hi - lo < 1e-12:
                hi = lo + (abs(lo) or 1.0)
        else:
            lo, hi = 0.0, 1.0
        drawn.append((name, data, _nice_ticks(lo, hi)))
    # Left of each panel: its y tick labels (6 px from the axis), then the rotated panel name,
    # whose glyphs reach 0.8 em left of its x and 0.25 em right of it.
    name_off = [max(44.0, 6 + max(_text_width(_tick_text(t)) for t in yt) + 4 + 0.25 * _FS)
                for _, _, yt in drawn]
    left = [off + 0.8 * _FS + 4 for off in name_off]
    first_x, last_x = _text_width(_tick_text(xt[0])) / 2, _text_width(_tick_text(xt[-1])) / 2
    pad_l = max(62.0, left[0], first_x + 4)
    pad_r = max(16.0, last_x + 4)            # the last epoch label is centred on the right edge
    gap = max([70.0] + [lft + 6 for lft in left[1:]] +
              ([last_x + first_x + 10] if len(panels) > 1 else []))
    # Legend under the panels, wrapped into as many lines as it needs.
    items: List[Tuple[str, str, bool]] = []
    ci = 0
    base_colour: Dict[str, str] = {}
    for _, data, _ in drawn:
        for key, _ in data:
            base = key[4:] if key.startswith("val_") else key
            if base not in base_colour:
                base_colour[base] = _SERIES_COLOURS[ci % len(_SERIES_COLOURS)]
                ci += 1
            items.append((key, base_colour[base], key.startswith("val_")))
    places: List[Tuple[float, int]] = []
    lx, line = pad_l, 0
    for key, _, dashed in items:
        label = ("validation " + key[4:]) if dashed else ("training " + key)
        w = 30 + _text_width(label)
        if lx > pad_l and lx + w > width - 4:
            lx, line = pad_l, line + 1
        places.append((lx, line))
        lx += w + 16
    n_lines = line + 1
    pad_t, pad_b = 48.0, 78.0 + 18.0 * (n_lines - 1)
    pw = (width - pad_l - pad_r - gap * (len(panels) - 1)) / len(panels)
    ph = height - pad_t - pad_b
    out: List[str] = []
    add = out.append
    add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="%s" font-size="%d">' % (width, height, width, height, FONT, _FS))
    if title is None:
        title = "Training history (%d epoch%s)" % (len(rows), "" if len(rows) == 1 else "s")
    add("<title>%s</title>" % _esc(title))
    add('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height))
    add('<text x="%s" y="22" font-size="15" font-weight="bold" fill="#222">%s</text>' % (
        _n(pad_l), _esc(_fit_text(title, width - pad_l - 4, 15, bold=True))))
    for p, (name, data, yt) in enumerate(drawn):
        px = pad_l + p * (pw + gap)
        ylo, yhi = yt[0], yt[-1]

        def X(e: float) -> float:
            return px + (e - elo) / (ehi - elo) * pw

        def Y(v: float) -> float:
            return pad_t + ph - (v - ylo) / (yhi - ylo) * ph

        add('<g>')
        add('<rect x="%s" y="%s" width="%s" height="%s" fill="#fbfbfb" stroke="#ddd"/>' % (
            _n(px), _n(pad_t), _n(pw), _n(ph)))
        for t in yt:
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4"/>' % (
                _n(px), _n(Y(t)), _n(px + pw), _n(Y(t))))
            add('<text x="%s" y="%s" text-anchor="end" fill="#444">%s</text>' % (
                _n(px - 6), _n(Y(t) + 4), _tick_text(t)))
        for t in xt:
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444"/>' % (
                _n(X(t)), _n(pad_t + ph), _n(X(t)), _n(pad_t + ph + 5)))
            add('<text x="%s" y="%s" text-anchor="middle" fill="#444">%s</text>' % (
                _n(X(t)), _n(pad_t + ph + 18), _tick_text(t)))
        add('<path d="M%s %sL%s %sL%s %s" fill="none" stroke="#444"/>' % (
            _n(px), _n(pad_t), _n(px), _n(pad_t + ph), _n(px + pw), _n(pad_t + ph)))
        add('<text x="%s" y="%s" text-anchor="middle" fill="#222">epoch</text>' % (
            _n(px + pw / 2), _n(pad_t + ph + 34)))
        nx = px - name_off[p]
        add('<text x="%s" y="%s" text-anchor="middle" fill="#222" transform="rotate(-90 %s %s)">'
            '%s</text>' % (_n(nx), _n(pad_t + ph / 2), _n(nx), _n(pad_t + ph / 2),
                           _esc(_fit_text(name, ph, _FS))))
        if not data:
            add('<text x="%s" y="%s" text-anchor="middle" fill="#888">no values yet</text>' % (
                _n(px + pw / 2), _n(pad_t + ph / 2)))
        for key, pts in data:
            colour = base_colour[key[4:] if key.startswith("val_") else key]
            dashed = key.startswith("val_")
            add('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s>'
                '<title>%s</title></polyline>' % (
                    " ".join("%s,%s" % (_n(X(e)), _n(Y(v))) for e, v in pts), colour,
                    ' stroke-dasharray="6 4"' if dashed else "", _esc(key)))
            if len(pts) <= 60:
                for e, v in pts:
                    add('<circle cx="%s" cy="%s" r="2.5" fill="%s"/>' % (_n(X(e)), _n(Y(v)), colour))
        add("</g>")
    for (key, colour, dashed), (lx, line) in zip(items, places):
        ly = height - 18.0 - 18.0 * (n_lines - 1 - line)
        label = ("validation " + key[4:]) if dashed else ("training " + key)
        add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>' % (
            _n(lx), _n(ly - 4), _n(lx + 24), _n(ly - 4), colour,
            ' stroke-dasharray="6 4"' if dashed else ""))
        add('<text x="%s" y="%s" fill="#222">%s</text>' % (
            _n(lx + 30), _n(ly), _esc(_fit_text(label, width - lx - 34, _FS))))
    add("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def write_svg(svg_text: str, path: Union[str, "os.PathLike[str]"]) -> None:
    """Write *svg_text* to *path* atomically: a temporary file in the same folder, then a rename.

    A reader never sees a half-written file, and a failure leaves any old file as it was.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> write_svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', os.path.join(d, "x.svg"))
    >>> os.listdir(d)
    ['x.svg']
    """
    if not isinstance(svg_text, str):
        raise FormatError("write_svg needs the SVG as text (a str), got %s; pass net.to_svg() "
                          "or history.to_svg()" % type(svg_text).__name__)
    from .files import write_atomically
    write_atomically(path, svg_text.encode("utf-8"))


def save_svg(net: Any, path: Any, **options: Any) -> None:
    """Write :func:`net_svg` of *net* to *path* (``net.save_svg(path, **options)``), atomically.

    >>> import os, tempfile
    >>> import neurograph as ng
    >>> folder = tempfile.mkdtemp()
    >>> ng.Net.dense([2, 1], seed=0).save_svg(os.path.join(folder, "net.svg"))
    >>> os.listdir(folder)
    ['net.svg']
    """
    write_svg(net_svg(net, **options), path)


class DrawMethods:
    """The methods of a net for pictures (the public ``Net`` mixes this class in)."""

    to_svg = net_svg
    save_svg = save_svg
    to_dot = net_dot
    diagram = diagram

    def _repr_svg_(self) -> str:
        return net_svg(self)
