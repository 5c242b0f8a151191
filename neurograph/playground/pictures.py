"""Heatmaps over the plane, computed by the net's own forward passes.

For 2-D data the page draws, behind the points, what the net answers at
every place of the plane (the decision boundary of a classifier), and in
each neuron's circle that neuron's own ``a`` over the same plane.  Both come
from ``net.forward`` on a grid of points (their features computed as for
the data), one pass per point: every neuron's ``a`` is read after it.  The
values go out as whole numbers from -100 to 100 for drawing: a neuron's
``a`` measured from the middle of its activation's range (0.5 for sigmoid
and softmax, 0 otherwise), as a share of the half range (the largest
``|a|`` on the grid for unbounded activations).  The output map of a net
with several outputs holds the winning class (0, 1, ...) instead.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``heatmaps(pg, size)``         ``{"size", "extent", "maps": {name: [...]}, ...}`` or None
``GRID``                       the default grid: GRID x GRID points
=============================  ========================================================

>>> import neurograph as ng
>>> from neurograph.playground import Playground
>>> pg = Playground(ng.Net.dense([2, 3, 1], activation="tanh"), ng.datasets.circle(20))
>>> h = heatmaps(pg, 4)
>>> h["size"], sorted(h["maps"]), len(h["maps"]["output"])
(4, ['h1_1', 'h1_2', 'h1_3', 'o1', 'output'], 16)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.arithmetic import number_text
from .choices import features_of

__all__ = ["heatmaps", "GRID"]

#: The heatmaps' grid: GRID x GRID points of the plane.
GRID = 32

_HALF = {"sigmoid": (0.5, 0.5), "softmax": (0.5, 0.5), "tanh": (0.0, 1.0)}


def _scaled(values: List[float], act: str) -> List[int]:
    mid, half = _HALF.get(act, (0.0, None))
    if half is None:
        half = max((abs(v) for v in values), default=1.0) or 1.0
    return [max(-100, min(100, round((v - mid) / half * 100))) for v in values]


def heatmaps(pg: Any, size: int = GRID) -> Optional[Dict[str, Any]]:
    """The heatmaps of the playground's net over the plane of its 2-D data, *size* x *size*
    points (rows from the top, x2 high, to the bottom), or None when the data is not 2-D.
    The net's numbers of the last pass are put back afterwards."""
    data = pg.data
    if not data.planar or pg.sequences:
        return None
    net, num = pg.net, pg.net.number_system
    x0, x1, y0, y1 = data.extent(num)
    neurons = [n for n in net.neurons if not n.is_input]
    reads: Dict[str, List[float]] = {n.name: [] for n in neurons}
    outputs = net.outputs
    classes: List[int] = []
    try:
        for r in range(size):
            v = y1 - (y1 - y0) * (r + 0.5) / size
            for c in range(size):
                u = x0 + (x1 - x0) * (c + 0.5) / size
                point = [num.convert(number_text(round(w, 6), places=6), "a point of the plane")
                         for w in (u, v)]
                net.forward(features_of(point, data.features, num))
                for n in neurons:
                    reads[n.name].append(float(n.a))
                if len(outputs) > 1:
                    classes.append(max(range(len(outputs)), key=lambda k: outputs[k].a))
    finally:
        pg.replay()
    maps = {n.name: _scaled(reads[n.name], n.activation.name) for n in neurons}
    maps["output"] = classes if len(outputs) > 1 else maps[outputs[0].name]
    return {"size": size, "extent": [x0, x1, y0, y1], "maps": maps,
            "classes": len(outputs) if len(outputs) > 1 else None}
