"""The legend of the SVG picture of a net: what each colour and line means.

===================================  ==================================================
name                                 what it does
===================================  ==================================================
``_legend_items(m, show, ...)``      the (kind, text) entries the picture needs
``_legend_cols(width)``              entries per row of the legend
``_legend_rows(items, cols)``        rows of the legend, its notes included
``_svg_legend(add, items, ...)``     the legend's SVG, and the "shown:" line
===================================  ==================================================

>>> _legend_cols(660), _legend_rows([("pos", ""), ("neg", ""), ("width", ""), ("note", "")], 2)
(2, 3)
"""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

from .arcs import _DELAY_LABELS_MAX
from .geometry import _coord
from .layout import _Model
from .style import BIAS, BUNDLE, GRAD, NEG, POS, RECUR
from .text import _esc

__all__: List[str] = []

_SHOWN_NAMES = {"a": "a activation", "z": "z weighted input", "delta": "\u03b4 error dE/dz",
                "grad_a": "\u2202E/\u2202a", "bias": "b bias", "weight": "w weight",
                "grad": "\u2207 dE/dw"}


def _legend_items(m: _Model, show: Tuple[str, ...], edge_show: Tuple[str, ...],
                  n_skip: int, biases: bool = False, quiet: bool = False
                  ) -> List[Tuple[str, str]]:
    """The legend's entries, (kind, text), for what the picture of *m* has on it."""
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


def _svg_legend(add: Callable[[str], Any], items: List[Tuple[str, str]], x0: float, y0: float,
                width: float, show: Tuple[str, ...]) -> None:
    """The legend at (*x0*, *y0*): its entries in columns, its notes, the "shown:" line."""
    add('<g font-size="11" fill="#333"><text x="%s" y="%s" font-weight="bold">Legend</text>'
        % (_coord(x0), _coord(y0 + 12)))
    cols = _legend_cols(width)
    col_w = (width - 2 * x0) / cols
    grid = [item for item in items if item[0] != "note"]
    for i, (kind, text) in enumerate(items):
        x = x0 + (i % cols) * col_w
        y = y0 + 30 + (i // cols) * 20
        if kind == "note":
            y = y0 + 30 + ((len(grid) + cols - 1) // cols + i - len(grid)) * 20
            add('<text x="%s" y="%s" fill="#555">%s</text>' % (_coord(x0), _coord(y), _esc(text)))
            continue
        _legend_key(add, kind, x, y)
        add('<text x="%s" y="%s">%s</text>' % (_coord(x + 44), _coord(y), _esc(text)))
    if show:
        y = y0 + 30 + _legend_rows(items, cols) * 20
        add('<text x="%s" y="%s" fill="#555">shown: %s</text>' % (
            _coord(x0), _coord(y), _esc(" \u00b7 ".join(_SHOWN_NAMES[s] for s in show))))
    add("</g>")


def _legend_key(add: Callable[[str], Any], kind: str, x: float, y: float) -> None:
    """The small drawing left of a legend entry of *kind*, its text's baseline at *y*."""
    x1, x26 = _coord(x), _coord(x + 26)
    if kind in ("pos", "neg"):
        add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>' % (
            x1, _coord(y - 4), x26, _coord(y - 4), POS if kind == "pos" else NEG))
    elif kind == "width":
        add('<path d="M%s %sL%s %s" stroke="%s" stroke-width="1"/>' % (
            x1, _coord(y - 7), x26, _coord(y - 7), POS))
        add('<path d="M%s %sL%s %s" stroke="%s" stroke-width="4"/>' % (
            x1, _coord(y - 1), x26, _coord(y - 1), POS))
    elif kind == "grad":
        add('<text x="%s" y="%s" fill="%s" font-style="italic">\u2207 0.1</text>' % (
            x1, _coord(y), GRAD))
    elif kind == "skip":
        add('<path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="2"/>'
            % (x1, _coord(y), _coord(x + 4), _coord(y - 12), _coord(x + 22), _coord(y - 12),
               x26, _coord(y), POS))
    elif kind == "bundle":
        add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="4 3"/>' % (
            x1, _coord(y - 4), x26, _coord(y - 4), BUNDLE))
    elif kind == "bias":
        add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.2" '
            'stroke-dasharray="5 3"/>' % (_coord(x + 8), _coord(y - 4), _coord(x + 30),
                                          _coord(y - 4), BIAS))
        add('<circle cx="%s" cy="%s" r="6" fill="#fdf3dc" stroke="%s"/>' % (
            _coord(x + 6), _coord(y - 4), BIAS))
    elif kind == "more":
        add('<rect x="%s" y="%s" width="26" height="12" rx="3" fill="#f4f4f4" stroke="#666" '
            'stroke-dasharray="3 2"/>' % (x1, _coord(y - 10)))
    elif kind == "delay":
        add('<path d="M%s %sC%s %s %s %s %s %s" fill="none" stroke="%s" stroke-width="1.4" '
            'stroke-dasharray="6 3"/>' % (x26, _coord(y - 4), x26, _coord(y + 6),
                                          x1, _coord(y + 6), x1, _coord(y - 4), RECUR))
