"""Geometry of the SVG pictures: coordinates, curves, boxes, and where labels go.

Nothing here writes a number as a value for a reader: coordinates are written
by :func:`_coord`, with at most one decimal.

===================================  ==================================================
name                                 what it does
===================================  ==================================================
``_coord(x)``                        a coordinate as SVG text: one decimal at most
``_bezier(p)``                       points along a cubic Bezier curve
``_text_box(x, ys, texts)``          the box of centred text lines
``_seg_hits_box(p, q, box)``         whether a segment meets a box (Liang-Barsky)
``_boxes_meet(a, b)``                whether two boxes overlap
``_place_label(pts, ...)``           where a connection's label goes along its line
===================================  ==================================================

>>> _coord(12.0), _coord(3.14159), _boxes_meet((0, 0, 2, 2), (1, 1, 3, 3))
('12', '3.1', True)
"""

from __future__ import annotations

import math
from typing import List, Tuple

from .text import _text_width

__all__: List[str] = []

Point = Tuple[float, float]
Box = Tuple[float, float, float, float]          # x1, y1, x2, y2
Segment = Tuple[int, Point, Point]               # (index of its path, start, end)

_PAD = 2.0             # room kept around a connection label
#: The places along a line a label is tried at, as fractions of its length, best first.
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65, 0.45, 0.55, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85)


def _coord(x: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    s = "%.1f" % x
    return s[:-2] if s.endswith(".0") else s


def _bezier(p: List[Point], steps: int = 8) -> List[Point]:
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


def _text_box(x: float, ys: List[float], texts: List[str], pad: float = 0.0) -> Box:
    """The box of centred text lines at *x* with baselines *ys* (11 px font, wide side)."""
    w = max(_text_width(t, 11) for t in texts) / 2 + pad
    return (x - w, min(ys) - 9 - pad, x + w, max(ys) + 3 + pad)


def _seg_hits_box(p: Point, q: Point, box: Box) -> bool:
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


def _boxes_meet(a: Box, b: Box) -> bool:
    """Whether boxes *a* and *b* overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(pts: List[Point], seg: int, texts: List[str], own: int,
                 segments: List[Segment], boxes: List[Box], width: float, bottom: float
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
