"""The SVG picture of a net: :func:`net_svg`.

The picture is made in steps, each a method of :class:`_NetPicture`: the
layout (row height, column width, lanes for skip connections, room for the
delayed arcs, the shared biases and the legend; then the places of the
nodes and the bias nodes), the document's head, the lines (bundles, bias
lines, connections, delayed arcs), the labels along them, the bias nodes,
the neurons, and the legend.

==================================  ===================================================
name                                what it does
==================================  ===================================================
``net_svg(net, show=...)``          a standalone SVG picture of a net
``_NetPicture``                     one picture being made: its layout and its lines
``_svg_node(add, node, ...)``       a neuron (or a collapsed node) with its values
==================================  ===================================================

>>> import neurograph as ng
>>> svg = net_svg(ng.Net.dense([2, 2, 1], seed=0))
>>> svg.startswith("<svg") and svg.count("<circle") >= 5
True
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Tuple

from .arcs import (_DSTEP, _arc_geometry, _arc_levels, _delayed_arcs, _delayed_box,
                   _place_delayed_label)
from .geometry import (_PAD, Box, Point, Segment, _bezier, _coord, _place_label, _seg_hits_box,
                       _text_box)
from .layout import (_Bias, _edge_lines, _Model, _neuron_lines, _Node, _output_labels,
                     _shared_biases)
from .legend import _legend_cols, _legend_items, _legend_rows, _svg_legend
from .style import BIAS, BUNDLE, FONT, GRAD, RECUR, _known, _parse_show, _weight_colour
from .text import _as_float, _esc, _short, _text_width, fmt_number

__all__ = ["net_svg"]

#: A line drawn, for the labels to keep clear of: (its connection or None, its tooltip,
#: the points of its polyline, the segment a label may sit on or -1 for any).
Drawn = Tuple[Any, str, List[Point], int]


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
    show = _known(net, _parse_show(show))
    m = _Model(net, max_per_layer, max_layers, max_edges)
    picture = _NetPicture(net, show, digits, m, label_edges, output_labels, bias_nodes)
    picture.lay_out()
    return picture.document(title)


class _NetPicture:
    """One SVG picture of a net being made: the model drawn, the sizes measured from what
    is written on it, the boxes labels keep clear of, and the document's lines."""

    r = 20.0            # a neuron's radius
    rb = 13.0           # a bias node's radius
    margin = 40.0

    def __init__(self, net: Any, show: Tuple[str, ...], digits: int, m: _Model,
                 label_edges: Optional[bool], output_labels: Any, bias_nodes: bool) -> None:
        self.net, self.show, self.digits, self.m = net, show, digits, m
        self.arcs = _delayed_arcs(m, digits)
        self.out_label = _output_labels(net, output_labels)
        if label_edges is None:
            label_edges = len(m.edges) <= 40
        self.edge_show = tuple(s for s in show if s in ("weight", "grad")) if label_edges else ()
        self.biases: List[_Bias] = _shared_biases(net, m) if bias_nodes else []
        self.out: List[str] = []
        self.add: Callable[[str], None] = self.out.append
        self.boxes: List[Box] = []          # what a connection label must keep clear of
        self.paths: List[Drawn] = []        # the lines drawn, in order
        self.lane = [0, 0]                  # skip connections routed so far: over, under

    # -- layout --------------------------------------------------------------------------

    def lay_out(self) -> None:
        """Measure the picture and place its nodes, its bias nodes and its legend."""
        self._measure_columns()
        self._measure_rows()
        self._place_nodes()
        self._place_biases()
        self._measure_legend()

    def _lines_of(self, node: _Node) -> List[Tuple[str, str]]:
        return _neuron_lines(node.neuron, self.show, self.digits)

    def _measure_columns(self) -> None:
        """Row height and column width, from the values under the neurons, the connection
        labels and the delayed connections: loops over their neurons (room above each row
        for the loop and its label), arcs right of their column (room for their labels
        along them, a wider gap when there are many)."""
        m, r, arcs = self.m, self.r, self.arcs
        max_lines = 0
        for col in m.columns:
            for node in col.nodes:
                if node.neuron is not None:
                    max_lines = max(max_lines, len(self._lines_of(node)))
        row_h = 2 * r + 14 + 13 * max_lines + 8
        if self.edge_show:
            row_h = max(row_h, 124.0)
        col_w = 240.0 if self.edge_show else (150.0 if max_lines else 110.0)
        loop_room = 0.0
        if any(a.kind == "loop" for a in arcs):
            loop_room = 24.0 if all(a.quiet for a in arcs if a.kind == "loop") else 38.0
            row_h = max(row_h, 2 * r + 14 + 13 * max_lines + 8 + loop_room)
        if any(a.kind == "column" and not a.quiet for a in arcs):
            row_h = max(row_h, 120.0 + loop_room)
        self.row_h, self.loop_room = row_h, loop_room
        self.base: Dict[int, float] = {}
        self.levels: Dict[int, int] = {}
        zone = 0.0
        for ci, col in enumerate(m.columns):
            self.levels[ci] = _arc_levels(arcs, ci)
            if not self.levels[ci]:
                continue
            self.base[ci] = self._arc_base(ci)
            if ci < len(m.columns) - 1:         # room for the labels of the next gap's lines
                zone = max(zone, self.base[ci] + (self.levels[ci] - 1) * _DSTEP + 10)
        self.col_w = max(col_w, zone + col_w * 0.6)

    def _arc_base(self, ci: int) -> float:
        """How far right of column *ci* its innermost delayed arc runs: clear of the values
        under its neurons, their output labels and the labels of its loops."""
        r = self.r
        half = r
        for node in self.m.columns[ci].nodes:
            if node.neuron is not None:
                for lab, val in self._lines_of(node):
                    half = max(half, _text_width(lab + " " + val, 11) / 2 + 1)
                if node.neuron in self.out_label:
                    half = max(half, r + 10 + _text_width(_short(self.out_label[node.neuron], 24),
                                                          11, bold=True))
        for a in self.arcs:      # a loop's label above it, clear of the arcs beside the column
            if a.kind == "loop" and a.s.col == ci and not a.quiet:
                half = max(half, _text_width(a.text, 10) / 2 + _PAD + 2)
        return half + 12

    def _upper(self, s: _Node, d: _Node) -> bool:
        """Route over the layers (True) when the ends sit in the upper half of their columns."""
        rel = [(x.row + 0.5) / len(self.m.columns[x.col].nodes) for x in (s, d)]
        return sum(rel) <= 1.0

    def _measure_rows(self) -> None:
        """The heights: lanes over and under the layers for skip connections, the rows of
        neurons, lanes for delayed connections between layers, the bias nodes, the legend."""
        m = self.m
        self.n_rows = max((len(c.nodes) for c in m.columns), default=1)
        skips = [c for c in m.edges if m.node_of[c.dst].col - m.node_of[c.src].col > 1]
        skip_bundles = [kv for kv in m.bundles if kv[0][1].col - kv[0][0].col > 1]
        self.n_skip = n_skip = len(skips) + len(skip_bundles)
        n_up = sum(1 for c in skips if self._upper(m.node_of[c.src], m.node_of[c.dst])) + sum(
            1 for (a, b), _ in skip_bundles if self._upper(a, b))
        self.lanes_up = lanes_up = min(n_up, 8)
        self.lanes_down = lanes_down = min(n_skip - n_up, 8)
        self.lane_h = lane_h = 26.0 if self.edge_show else 10.0
        self.top = 56.0 + (lanes_up * lane_h + 12 if n_skip else 0)
        self.nodes_bottom = nodes_bottom = self.top + self.n_rows * self.row_h
        below = nodes_bottom + (lanes_down * lane_h + 16 if lanes_down else 12)
        # delayed connections between layers run along lanes of their own under everything
        n_cross = sum(1 for a in self.arcs if a.kind == "cross")
        self.cross_y = nodes_bottom + (lanes_down * lane_h + 6 if lanes_down else 0) + 16
        if n_cross:
            below = self.cross_y + (n_cross - 1) * _DSTEP + 16
        # Shared biases (one Parameter feeding several neurons, like Mazur's b1 and b2) get a
        # node of their own, in a row under the gap before the column of their first neuron.
        self.bias_y = below + self.rb + 4
        if self.biases:
            below = self.bias_y + self.rb + 14 + 12
        self.legend_top = below

    def _place_nodes(self) -> None:
        """The width (room right of the last column for the output labels, and as much on
        the left: the columns stay centred) and each node's place, columns centred
        vertically."""
        m, r = self.m, self.r
        side = max([self.margin + r + 20] + [r + 8 + _text_width(_short(t, 24), 11, bold=True)
                                             + 12 for n, t in self.out_label.items()
                                             if n in m.node_of])
        last = len(m.columns) - 1
        right = side
        if self.levels.get(last):
            right = max(side, self.base[last] + (self.levels[last] - 1) * _DSTEP + 26)
        self.width = width = max(side + right + (len(m.columns) - 1) * self.col_w, 660.0)
        self.x0 = side + (width - side - right - (len(m.columns) - 1) * self.col_w) / 2
        for col in m.columns:
            off = (self.n_rows - len(col.nodes)) * self.row_h / 2
            for node in col.nodes:
                node.x = self.x0 + node.col * self.col_w
                node.y = self.top + off + node.row * self.row_h + r + 4 + self.loop_room

    def _place_biases(self) -> None:
        """Each bias node sits in the gap before its neurons' column, where its lines cross
        the fewest neurons and the texts under them."""
        r, rb, col_w = self.r, self.rb, self.col_w
        keep_clear: List[Box] = []
        for col in self.m.columns:
            for node in col.nodes:
                keep_clear.append((node.x - r - 2, node.y - r - 2, node.x + r + 2, node.y + r + 2))
                if node.neuron is not None:
                    for j, (lab, val) in enumerate(self._lines_of(node)):
                        keep_clear.append(_text_box(node.x, [node.y + r + 13 + 13 * j],
                                                    [lab + " " + val], pad=1))
        taken: List[float] = []
        for b in self.biases:
            b.y = self.bias_y
            lo = self.x0 + b.col * col_w + r + rb + 4
            hi = self.x0 + (b.col + 1) * col_w
            best = None
            for k in range(41):
                bx = hi - (hi - lo) * k / 40
                if any(abs(bx - t) < 2 * rb + 6 for t in taken):
                    continue
                cost = self._bias_crossings(b, bx, keep_clear)
                if best is None or cost < best[0] or (cost == best[0] and
                                                      abs(bx - hi + 0.3 * col_w) < best[2]):
                    best = (cost, bx, abs(bx - hi + 0.3 * col_w))
            b.x = best[1] if best is not None else hi
            taken.append(b.x)

    def _bias_crossings(self, b: _Bias, bx: float, keep_clear: List[Box]) -> int:
        """How many of the boxes *keep_clear* the lines of bias node *b* at *bx* would cross."""
        r, rb = self.r, self.rb
        cost = 0
        for d in b.users:
            dx, dy = d.x - bx, d.y - b.y
            dist = math.hypot(dx, dy) or 1.0
            p1 = (bx + dx / dist * rb, b.y + dy / dist * rb)
            p2 = (d.x - dx / dist * (r + 3), d.y - dy / dist * (r + 3))
            cost += sum(1 for o in keep_clear if _seg_hits_box(p1, p2, o))
        return cost

    def _measure_legend(self) -> None:
        """The legend's entries, what is written on the picture (for the legend's "shown:"
        line) and the picture's height."""
        m, show = self.m, self.show
        neuron_items = [s for s in show if s not in ("weight", "grad") and any(
            _neuron_lines(node.neuron, (s,), self.digits) for col in m.columns
            for node in col.nodes if node.neuron is not None)]
        self.drawn = tuple(s for s in show
                           if (s in self.edge_show and m.edges) or s in neuron_items)
        self.legend_items = _legend_items(m, show, self.edge_show, self.n_skip,
                                          bool(self.biases), any(a.quiet for a in self.arcs))
        legend_rows = _legend_rows(self.legend_items, _legend_cols(self.width))
        self.height = (self.legend_top + 30 + 20 * legend_rows + (18 if self.drawn else 0)
                       + 12)

    # -- the document --------------------------------------------------------------------

    def document(self, title: Optional[str]) -> str:
        """The SVG text: head, lines, labels, bias nodes, neurons, legend."""
        self._head(title)
        self._column_titles()
        self._lines()
        self._labels()
        self._bias_nodes()
        for col in self.m.columns:
            for node in col.nodes:
                _svg_node(self.add, node, self.show, self.digits, self.r,
                          self.out_label.get(node.neuron))
        _svg_legend(self.add, self.legend_items, self.margin / 2, self.legend_top, self.width,
                    self.drawn)
        self.add("</svg>")
        return "\n".join(self.out) + "\n"

    def _head(self, title: Optional[str]) -> None:
        """The ``<svg>`` element, the title and the line of counts under it."""
        net, m, add = self.net, self.m, self.add
        w, h = _coord(self.width), _coord(self.height)
        add('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
            'font-family="%s" font-size="11">' % (w, h, w, h, FONT))
        if title is None:
            sizes = "-".join(str(len(lay)) for lay in m.layers) or "empty"
            title = "Net %s%s (%s)" % (net.name + " " if getattr(net, "name", "") else "",
                                       sizes if len(m.layers) <= 12 else
                                       "%d layers" % len(m.layers),
                                       getattr(net.number, "__name__", str(net.number)))
        add("<title>%s</title>" % _esc(title))
        add('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>' % (w, h))
        add('<text x="%s" y="22" font-size="15" font-weight="bold" fill="#222">%s</text>'
            % (_coord(self.margin / 2), _esc(title)))
        sub = "%s neurons, %s connections" % (format(len(net.neurons), ","),
                                              format(m.n_edges, ","))
        if m.hidden_neurons or m.hidden_layers or m.thinned:
            parts = []
            if m.hidden_neurons:
                parts.append("%s neurons collapsed" % format(m.hidden_neurons, ","))
            if m.hidden_layers:
                parts.append("%s layers collapsed" % format(m.hidden_layers, ","))
            if m.thinned:
                parts.append("%s weakest connections bundled" % format(m.thinned, ","))
            sub += " (" + "; ".join(parts) + ")"
        add('<text x="%s" y="38" fill="#555">%s</text>' % (_coord(self.margin / 2), _esc(sub)))

    def _column_titles(self) -> None:
        """The columns' titles; and everything a connection label must keep clear of, as
        boxes (x1, y1, x2, y2): the head, the titles, the neurons, their values and labels,
        the bias nodes."""
        r, rb, add, boxes = self.r, self.rb, self.add, self.boxes
        boxes.append((0, 0, self.width, 44))
        col_title_y = self.top - 4
        if self.n_skip:
            col_title_y = self.top - 4 - (self.lanes_up * self.lane_h + 12) + 2
        for col in self.m.columns:
            if col.nodes:
                add('<text x="%s" y="%s" text-anchor="middle" fill="#777">%s</text>' % (
                    _coord(col.nodes[0].x), _coord(col_title_y), _esc(col.title)))
                boxes.append(_text_box(col.nodes[0].x, [col_title_y], [col.title]))
            for node in col.nodes:
                if node.neuron is None:
                    boxes.append((node.x - 34, node.y - r, node.x + 34, node.y + r + 16))
                    continue
                boxes.append((node.x - r, node.y - r, node.x + r, node.y + r))
                for j, (lab, val) in enumerate(self._lines_of(node)):
                    boxes.append(_text_box(node.x, [node.y + r + 13 + 13 * j],
                                           [lab + " " + val]))
                if node.neuron in self.out_label:
                    t = _short(self.out_label[node.neuron], 24)
                    boxes.append((node.x + r + 6, node.y - 6,
                                  node.x + r + 10 + _text_width(t, 11, bold=True), node.y + 8))
        for b in self.biases:
            boxes.append((b.x - rb, b.y - rb, b.x + rb, b.y + rb))
            boxes.append(_text_box(b.x, [b.y + rb + 13], [b.value_text(self.digits)]))

    # -- lines ---------------------------------------------------------------------------

    def _route(self, s: _Node, d: _Node) -> Tuple[str, List[Point], int]:
        """Path data, the points of its polyline, and which of its segments a label may sit
        on (-1: any); skip connections go around the layers between."""
        r = self.r
        if d.col - s.col <= 1:
            pts = [(s.x + r, s.y), (d.x - r, d.y)]
            return ("M%s %sL%s %s" % (_coord(s.x + r), _coord(s.y), _coord(d.x - r),
                                      _coord(d.y)), pts, -1)
        up = self._upper(s, d)
        i = self.lane[0 if up else 1]
        self.lane[0 if up else 1] += 1
        if up:
            yl = (self.top - 6 - (i % max(self.lanes_up, 1)) * self.lane_h
                  - (self.lane_h - 10 if self.edge_show else 0))
        else:
            yl = self.nodes_bottom + 6 + (i % max(self.lanes_down, 1)) * self.lane_h
        # Rise (or sink) to the lane in the gap right after the source's column, run along
        # the lane past the layers in between, come back in the gap before the destination.
        sx, ex = s.x + r, d.x - r
        h = self.col_w * 0.5
        c1 = [(sx, s.y), (sx + h * 0.6, s.y), (sx + h * 0.3, yl), (sx + h, yl)]
        c2 = [(ex - h, yl), (ex - h * 0.3, yl), (ex - h * 0.6, d.y), (ex, d.y)]
        path = "M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %s" % tuple(
            _coord(v) for p in c1 + c2 for v in p)
        pts = _bezier(c1) + _bezier(c2)
        return path, pts, 8

    def _lines(self) -> None:
        """Bundled connections first (beneath), then the bias lines, the single connections
        and the delayed arcs; the neurons come on top later."""
        add, paths = self.add, self.paths
        for (s, d), count in self.m.bundles:
            path, pts, _ = self._route(s, d)
            add('<path d="%s" fill="none" stroke="%s" stroke-width="1" stroke-dasharray="4 3" '
                'opacity="0.7"><title>%s</title></path>' % (
                    path, BUNDLE, _esc("%s connection%s between %s and %s" % (
                        format(count, ","), "" if count == 1 else "s", s.text, d.text))))
            paths.append((None, path, pts, -1))
        self._bias_lines()
        self._edges()
        for a in self.arcs:
            _arc_geometry(a, self.r, self.base, self.levels, self.cross_y + a.lane * _DSTEP)
            add('<path d="%s" fill="none" stroke="%s" stroke-width="1.4" stroke-dasharray="6 3" '
                'class="delayed"><title>%s</title></path>' % (a.path, RECUR, _esc(a.tip)))
            add('<polygon points="%s" fill="%s" class="delayed-arrow"/>' % (a.arrow, RECUR))
            paths.append((None, "", a.pts, -1))

    def _bias_lines(self) -> None:
        """A dashed line from each shared bias node to each neuron using it."""
        r, rb = self.r, self.rb
        for b in self.biases:
            for d in b.users:
                dx, dy = d.x - b.x, d.y - b.y
                dist = math.hypot(dx, dy) or 1.0
                p1 = (b.x + dx / dist * rb, b.y + dy / dist * rb)
                p2 = (d.x - dx / dist * r, d.y - dy / dist * r)
                self.add('<path d="M%s %sL%s %s" fill="none" stroke="%s" stroke-width="1.2" '
                         'stroke-dasharray="5 3" class="bias-line"><title>%s</title></path>' % (
                             _coord(p1[0]), _coord(p1[1]), _coord(p2[0]), _coord(p2[1]), BIAS,
                             _esc("%s = %s: bias of %s" % (b.name, b.value_text(8), d.text))))
                self.paths.append((None, "", [p1, p2], -1))

    def _edges(self) -> None:
        """The single connections: coloured by sign, wider with ``|weight|``."""
        m = self.m
        wmax = max((abs(_as_float(c.weight)) for c in m.edges
                    if math.isfinite(_as_float(c.weight))), default=0.0)
        for c in m.edges:
            s, d = m.node_of[c.src], m.node_of[c.dst]
            w = _as_float(c.weight)
            frac = abs(w) / wmax if wmax > 0 and math.isfinite(w) else (
                1.0 if math.isinf(w) else 0)
            sw = 0.6 + 4.4 * frac
            path, pts, seg = self._route(s, d)
            tip = "%s: weight %s, grad %s" % (c.name, fmt_number(c.weight, 6),
                                              fmt_number(c.grad, 6))
            self.add('<path d="%s" fill="none" stroke="%s" stroke-width="%s" '
                     'stroke-linecap="round" opacity="%s"><title>%s</title></path>' % (
                         path, _weight_colour(w), _coord(sw) if sw >= 1 else "%.2f" % sw,
                         "0.85" if self.edge_show else "0.55", _esc(tip)))
            self.paths.append((c, tip, pts, seg))

    # -- labels --------------------------------------------------------------------------

    def _labels(self) -> None:
        """The labels of the delayed connections go first: they have only their own arc to
        sit along, the others their whole line."""
        paths, arcs = self.paths, self.arcs
        arc_index = len(paths) - len(arcs)
        segments: List[Segment] = [(i, pts[k], pts[k + 1]) for i, (_, _, pts, _) in
                                   enumerate(paths) for k in range(len(pts) - 1)
                                   ] if self.edge_show or arcs else []
        arc_labels = []
        for i, a in enumerate(arcs):
            if not a.quiet:
                cx, cy, upright = _place_delayed_label(a, arc_index + i, segments, self.boxes,
                                                       self.width, self.legend_top)
                self.boxes.append(_delayed_box(cx, cy, a.text, upright))
                arc_labels.append((a, cx, cy, upright, self.boxes[-1]))
        if self.edge_show:
            for i, (c, tip, pts, seg) in enumerate(paths):
                if c is not None:
                    self._edge_label(i, c, tip, pts, seg, segments)
        for a, cx, cy, upright, box in arc_labels:
            self.add('<g class="delayed-label"><title>%s</title>' % _esc(a.tip))
            self._backing(box)
            self.add('<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="%s"%s>%s'
                     '</text></g>' % (_coord(cx), _coord(cy + 3.5), RECUR,
                                      ' transform="rotate(-90 %s %s)"' % (_coord(cx), _coord(cy))
                                      if upright else "", _esc(a.text)))

    def _backing(self, box: Box) -> None:
        """A white box under a label, interrupting the line it sits on."""
        self.add('<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#ffffff" '
                 'opacity="0.92"/>' % (_coord(box[0]), _coord(box[1]),
                                       _coord(box[2] - box[0]), _coord(box[3] - box[1])))

    def _edge_label(self, i: int, c: Any, tip: str, pts: List[Point], seg: int,
                    segments: List[Segment]) -> None:
        """The weight and gradient of connection *c* (the *i*-th line), placed along it."""
        lines = _edge_lines(c, self.edge_show, self.digits)
        texts = [t for _, t in lines]
        lx, ly = _place_label(pts, seg, texts, i, segments, self.boxes, self.width,
                              self.legend_top)
        ys = [ly + 12 * j for j in range(len(lines))]
        box = _text_box(lx, ys, texts, pad=_PAD)
        self.boxes.append(box)
        self.add('<g class="edge-label"><title>%s</title>' % _esc(tip))
        self._backing(box)
        for (kind, text), y in zip(lines, ys):
            self.add('<text x="%s" y="%s" text-anchor="middle" fill="%s" stroke="#fff" '
                     'stroke-width="3" paint-order="stroke"%s>%s</text>' % (
                         _coord(lx), _coord(y), GRAD if kind == "g" else "#222",
                         ' font-style="italic"' if kind == "g" else "", _esc(text)))
        self.add("</g>")

    def _bias_nodes(self) -> None:
        """The shared bias nodes: name inside, value under them."""
        rb, add = self.rb, self.add
        for b in self.biases:
            add('<g class="bias"><title>%s</title>' % _esc("shared bias %s = %s, used by %s" % (
                b.name, b.value_text(8), ", ".join(b.names))))
            add('<circle cx="%s" cy="%s" r="%s" fill="#fdf3dc" stroke="%s" stroke-width="1.2"/>'
                % (_coord(b.x), _coord(b.y), _coord(rb), BIAS))
            add('<text x="%s" y="%s" text-anchor="middle" font-size="10" font-weight="bold" '
                'fill="#5a3d0a">%s</text>' % (_coord(b.x), _coord(b.y + 3.5),
                                              _esc(_short(b.name, 4))))
            add('<text x="%s" y="%s" text-anchor="middle" fill="#5a3d0a">%s</text></g>' % (
                _coord(b.x), _coord(b.y + rb + 13), _esc(b.value_text(self.digits))))


def _svg_node(add: Callable[[str], Any], node: _Node, show: Tuple[str, ...], digits: int,
              r: float, out_label: Optional[str] = None) -> None:
    """A neuron (circle, name, the values of *show* under it, its output label), or the
    dashed stand-in for collapsed neurons or layers."""
    x, y = node.x, node.y
    if node.neuron is None:
        label = ("%s neurons not drawn" if node.kind == "more" else "%s neurons in the %s not drawn"
                 ) % (format(node.count, ","), node.text) if node.kind == "gap" else (
                     "%s neurons not drawn" % format(node.count, ","))
        add('<g><title>%s</title>' % _esc(label))
        add('<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="#f4f4f4" stroke="#666" '
            'stroke-dasharray="4 3"/>' % (_coord(x - 34), _coord(y - r), _coord(68),
                                          _coord(2 * r)))
        add('<text x="%s" y="%s" text-anchor="middle" font-size="15" fill="#444">'
            '\u22ee</text>' % (_coord(x), _coord(y - 3)))
        add('<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text></g>' % (
            _coord(x), _coord(y + 12), _esc(node.text)))
        return
    n = node.neuron
    fill = {"input": "#e3effc", "output": "#e3f5e6", "hidden": "#ffffff"}[node.kind]
    act = n.activation.name if n.activation is not None else "input"
    tip = "%s (%s)" % (n.name, act)
    if out_label is not None:
        tip += ": %s" % out_label
    add('<g><title>%s</title>' % _esc(tip))
    add('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#333" stroke-width="1.5"/>' % (
        _coord(x), _coord(y), _coord(r), fill))
    add('<text x="%s" y="%s" text-anchor="middle" font-weight="bold" fill="#111">%s</text>' % (
        _coord(x), _coord(y + 4), _esc(_short(n.name))))
    if out_label is not None:
        add('<text x="%s" y="%s" font-weight="bold" fill="#1c5f2c" class="output-label">%s'
            '</text>' % (_coord(x + r + 8), _coord(y + 4), _esc(_short(out_label, 24))))
    values = _neuron_lines(n, show, digits)
    if values:
        # a white backing, so that the lines passing under the values do not cross them
        bx = _text_box(x, [y + r + 13 + 13 * j for j in range(len(values))],
                       [lab + " " + val for lab, val in values], pad=1)
        add('<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#ffffff" opacity="0.92"/>'
            % (_coord(bx[0]), _coord(bx[1]), _coord(bx[2] - bx[0]), _coord(bx[3] - bx[1])))
    for j, (lab, val) in enumerate(values):
        add('<text x="%s" y="%s" text-anchor="middle" fill="%s" stroke="#fff" stroke-width="3" '
            'paint-order="stroke">%s %s</text>' % (
                _coord(x), _coord(y + r + 13 + 13 * j), "#555" if lab != "\u03b4" else "#7b3fa0",
                _esc(lab), _esc(val)))
    add("</g>")
