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
``GRID``                       the default grid: GRID x GRID points (a neuron's map has
                               half that resolution: it is drawn small)
=============================  ========================================================

>>> import neurograph as ng
>>> from neurograph.playground import Playground
>>> pg = Playground(ng.Net.dense([2, 3, 1], activation="tanh"), ng.datasets.circle(20))
>>> h = heatmaps(pg, 4)
>>> h["size"], sorted(h["maps"]), len(h["maps"]["output"]), len(h["maps"]["h1_1"])
(4, ['h1_1', 'h1_2', 'h1_3', 'i1', 'i2', 'o1', 'output'], 16, 16)
>>> h = heatmaps(pg, 8)
>>> h["neuron_size"], len(h["maps"]["h1_1"]), len(h["maps"]["output"])
(4, 16, 64)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.arithmetic import number_text
from .choices import features_of

__all__ = ["heatmaps", "GRID"]

#: The heatmaps' grid: GRID x GRID points of the plane.
GRID = 32

_HALF = {"sigmoid": (0.5, 0.5), "softmax": (0.5, 0.5), "tanh": (0.0, 1.0)}
_GRIDS: Dict[Any, List[Any]] = {}     # (data, size, number type) -> the grid's input vectors


def _scaled(values: List[float], act: str) -> List[int]:
    mid, half = _HALF.get(act, (0.0, None))
    if half is None:
        half = max((abs(v) for v in values), default=1.0) or 1.0
    k = 100 / half
    return [-100 if v < -100 else 100 if v > 100 else int(round(v))
            for v in ((a - mid) * k for a in values)]


def _coarse(values: List[float], size: int) -> List[float]:
    """The *size* x *size* map *values* at half the resolution: the mean of each 2 x 2."""
    half = size // 2
    out = []
    for r in range(half):
        top, bottom = values[2 * r * size:(2 * r + 1) * size], values[(2 * r + 1) * size:(2 * r + 2) * size]
        out.extend((top[2 * c] + top[2 * c + 1] + bottom[2 * c] + bottom[2 * c + 1]) / 4
                   for c in range(half))
    return out


def _grid(data: Any, num: Any, size: int) -> List[Any]:
    """The net's inputs at the *size* x *size* points of the plane (rows from the top), made
    once per data choice, size and number type."""
    key = (id(data), size, num.type)
    if key not in _GRIDS:
        if len(_GRIDS) > 16:
            _GRIDS.clear()
        x0, x1, y0, y1 = data.extent(num)
        points = []
        for r in range(size):
            v = y1 - (y1 - y0) * (r + 0.5) / size
            for c in range(size):
                u = x0 + (x1 - x0) * (c + 0.5) / size
                point = [num.convert(number_text(round(w, 6), places=6), "a point of the plane")
                         for w in (u, v)]
                points.append(features_of(point, data.features, num))
        _GRIDS[key] = [data, points]          # (the data kept: its id stays its own)
    return _GRIDS[key][1]


def heatmaps(pg: Any, size: int = GRID) -> Optional[Dict[str, Any]]:
    """The heatmaps of the playground's net over the plane of its 2-D data, *size* x *size*
    points (rows from the top, x2 high, to the bottom), or None when the data is not 2-D.
    A neuron's map has half that resolution (``neuron_size``).  The net's numbers of the
    last pass are put back afterwards."""
    data = pg.data
    if not data.planar or pg.sequences:
        return None
    net, num = pg.net, pg.net.number_system
    neurons = list(net.neurons)            # (an input's map is its feature over the plane)
    reads: Dict[str, List[float]] = {n.name: [] for n in neurons}
    outputs = net.outputs
    classes: List[int] = []
    try:
        for x in _grid(data, num, size):
            net.forward(x)
            for n in neurons:
                reads[n.name].append(float(n.a))
            if len(outputs) > 1:
                classes.append(max(range(len(outputs)), key=lambda k: outputs[k].a))
    finally:
        pg.replay()
    small = size // 2 if size >= 8 else size
    maps = {n.name: _scaled(reads[n.name] if small == size else _coarse(reads[n.name], size),
                            "identity" if n.is_input else n.activation.name) for n in neurons}
    out = outputs[0]
    maps["output"] = classes if len(outputs) > 1 else _scaled(reads[out.name], out.activation.name)
    return {"size": size, "neuron_size": small, "extent": data.extent(num), "maps": maps,
            "classes": len(outputs) if len(outputs) > 1 else None}
