"""Delayed (recurrent) connections on the SVG picture: loops, arcs, lanes, their labels.

A delayed connection is a loop over a neuron feeding itself (``"loop"``), an
arc bulging out right of the column between two neurons of one layer
(``"column"``; arcs between nearer neurons nest inside those between farther
ones), or a run along a lane under the layers between two layers
(``"cross"``).  Each is labelled ``d=<delay> <weight>`` along its own arc.

===================================  ==================================================
name                                 what it does
===================================  ==================================================
``_Arc``                             one delayed connection on the picture
``_delayed_arcs(m, digits)``         the arcs of a model, with their levels and lanes
``_arc_levels(arcs, col)``           how many arcs lie side by side right of a column
``_arc_geometry(a, r, ...)``         an arc's path, its label's stretch, its arrowhead
``_delayed_box(cx, cy, text, up)``   the box of an arc's label
``_place_delayed_label(a, ...)``     where an arc's label goes
===================================  ==================================================

>>> import neurograph as ng
>>> from neurograph.draw.layout import _Model
>>> arcs = _delayed_arcs(_Model(ng.Net.elman([2, 3, 1], seed=1), 12, 12, 600), 4)
>>> sorted({a.kind for a in arcs}), len(arcs)
(['column', 'loop'], 9)
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Tuple

from .geometry import (_ALONG, _PAD, Box, Point, Segment, _bezier, _boxes_meet, _coord,
                       _seg_hits_box)
from .layout import _Model, _Node
from .text import _text_width, fmt_number

__all__: List[str] = []

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
        self.pts: List[Point] = []
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

    def corner(p: Point, x: float, y: float) -> List[Point]:
        """From the circle at *p* out to the run at *x*, turning to reach (x, y)."""
        return [p, (p[0] + (x - p[0]) * 0.6, p[1]), (x, y - (y - p[1]) * 0.55), (x, y)]

    if a.kind == "loop":
        x, y = a.s.x, a.s.y
        h = r * math.cos(math.radians(30))
        curve = [(x - r / 2, y - h), (x - 26, y - r - 32), (x + 26, y - r - 32),
                 (x + r / 2, y - h)]
        a.path = "M%s %sC%s %s %s %s %s %s" % tuple(_coord(v) for p in curve for v in p)
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
                _coord(v) for p in c0 + c1 for v in p)
            first = _bezier(c0)
            a.pts = first + _bezier(c1)
            a.run = (len(first) - 1, len(first))
        else:
            _lane_path(a, c0, c1, q0, q1, lane_y)
        tip, back = c1[3], c1[2]
    a.arrow = _arrowhead(tip, back)


def _lane_path(a: _Arc, c0: List[Point], c1: List[Point], q0: Point, q1: Point,
               lane_y: float) -> None:
    """The path of a ``"cross"`` arc: down beside the source's column, along its lane at
    *lane_y*, up beside the destination's column."""
    k = 8.0 if q0[0] > q1[0] else -8.0
    c2 = [(q0[0], lane_y - 8), (q0[0], lane_y - 4), (q0[0] - k / 2, lane_y),
          (q0[0] - k, lane_y)]
    c3 = [(q1[0] + k, lane_y), (q1[0] + k / 2, lane_y), (q1[0], lane_y - 4),
          (q1[0], lane_y - 8)]
    a.path = ("M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %s"
              "L%s %sC%s %s %s %s %s %s") % tuple(
                  _coord(v) for p in c0 + c2 + c3 + c1 for v in p)
    part = _bezier(c0) + _bezier(c2)
    a.pts = part + _bezier(c3) + _bezier(c1)
    a.run = (len(part) - 1, len(part))


def _arrowhead(tip: Point, back: Point) -> str:
    """The points of an arrowhead at *tip*, pointing away from *back*."""
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    return " ".join("%s,%s" % (_coord(x), _coord(y)) for x, y in (
        tip, (tip[0] - 8 * ux - 3.5 * uy, tip[1] - 8 * uy + 3.5 * ux),
        (tip[0] - 8 * ux + 3.5 * uy, tip[1] - 8 * uy - 3.5 * ux)))


def _delayed_box(cx: float, cy: float, text: str, upright: bool) -> Box:
    """The box of a delayed connection's label (10 px) centred on (cx, cy); *upright* labels
    are turned a quarter to run along a vertical arc."""
    w = _text_width(text, 10) / 2 + _PAD
    h = 6.5 + _PAD
    return (cx - h, cy - w, cx + h, cy + w) if upright else (cx - w, cy - h, cx + w, cy + h)


def _place_delayed_label(a: _Arc, own: int, segments: List[Segment], boxes: List[Box],
                         width: float, bottom: float) -> Tuple[float, float, bool]:
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
