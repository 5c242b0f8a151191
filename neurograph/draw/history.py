"""The SVG chart of a training history: :func:`history_svg`.

Loss on the left panel, the metrics on the right one; training values solid,
validation values dashed; the legend under the panels, wrapped into as many
lines as it needs.

================================  ====================================================
name                              what it does
================================  ====================================================
``history_svg(history)``          loss and metrics per epoch, as a standalone SVG
``_Chart``                        one chart being made: its panels, margins, legend
``_nice_ticks(lo, hi, n)``        round tick values covering [lo, hi]
``_tick_text(t)``                 a tick's value as text (``number_text``, 6 digits)
``_rows_of(history)``             the per-epoch dicts of a History or a list
``_metric_keys(rows)``            the metrics the rows hold (``accuracy``, ...)
================================  ====================================================

>>> _nice_ticks(0, 0.93), _tick_text(-0.0), _tick_text(2.5e-07)
([0.0, 0.25, 0.5, 0.75, 1.0], '0', '2.5e-07')
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.arithmetic import number_text
from ..core.errors import FormatError
from .geometry import Point, _coord
from .style import FONT
from .text import _FS, _as_float, _esc, _fit_text, _text_width

__all__ = ["history_svg"]

_NOT_METRICS = {"epoch", "loss", "val_loss", "time", "seconds", "elapsed", "lr",
                "learning_rate", "step", "steps", "samples", "batch", "batches"}
_SERIES_COLOURS = ["#2b6cb0", "#d9730d", "#2f855a", "#805ad5", "#c53030", "#319795"]

#: A panel: its name, its series (key, points (epoch, value)) and its y ticks.
Panel = Tuple[str, List[Tuple[str, List[Point]]], List[float]]


def history_svg(history: Any, *, title: Optional[str] = None,
                metrics: Optional[Sequence[str]] = None,
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
    return _Chart(_rows_of(history), metrics, width, height).document(title)


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
    """A tick's value as text: six significant digits, and ``0`` (never ``-0``) at zero."""
    return number_text(0.0 if t == 0 else float(t), digits=6)


def _rows_of(history: Any) -> List[Dict[str, Any]]:
    """The per-epoch dicts of a History (its ``.rows``) or of a list; FormatError otherwise."""
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
    """The metrics in *rows*, without their ``val_`` prefix: numeric keys other than loss,
    epoch, time and the like."""
    keys: List[str] = []
    for row in rows:
        for k, v in row.items():
            base = k[4:] if k.startswith("val_") else k
            if base in _NOT_METRICS or base in keys or isinstance(v, (bool, str)):
                continue
            if v is None or isinstance(v, (int, float, Decimal, Fraction)):
                keys.append(base)
    return keys


class _Chart:
    """One history chart being made: the epochs and x ticks, each panel's series and y
    ticks, the margins measured from the labels, the legend's places, the document."""

    def __init__(self, rows: List[Dict[str, Any]], metrics: Optional[Sequence[str]],
                 width: int, height: int) -> None:
        self.rows, self.width, self.height = rows, width, height
        keys = list(metrics) if metrics is not None else _metric_keys(rows)
        panels: List[Tuple[str, List[str]]] = [("loss", ["loss", "val_loss"])]
        if keys:
            panels.append((keys[0] if len(keys) == 1 else "metrics",
                           [k for base in keys for k in (base, "val_" + base)]))
        self._epochs()
        # The values and y ticks of each panel come first: the margins are measured from
        # the labels.
        self.panels = [self._panel_data(name, series) for name, series in panels]
        self._margins()
        self._legend_places()
        self.pad_t, self.pad_b = 48.0, 78.0 + 18.0 * (self.n_lines - 1)
        n = len(self.panels)
        self.pw = (width - self.pad_l - self.pad_r - self.gap * (n - 1)) / n
        self.ph = height - self.pad_t - self.pad_b

    def _epochs(self) -> None:
        """The epoch of each row (its place when it has none), their range and x ticks."""
        epochs = []
        for i, row in enumerate(self.rows):
            e = _as_float(row.get("epoch", i + 1))
            epochs.append(e if math.isfinite(e) else float(i + 1))
        elo, ehi = (min(epochs), max(epochs)) if epochs else (0.0, 1.0)
        if ehi - elo < 1:
            ehi = elo + 1
        xt = [t for t in _nice_ticks(elo, ehi, 6) if elo - 1e-9 <= t <= ehi + 1e-9]
        if len(xt) < 2:
            xt = [elo, ehi]
        self.epochs, self.elo, self.ehi, self.xt = epochs, elo, ehi, xt

    def _panel_data(self, name: str, series: List[str]) -> Panel:
        """A panel's finite points per key of *series*, and y ticks covering them (from 0 for
        the loss and for metrics that are never negative)."""
        data = []
        for key in series:
            pts = [(e, _as_float(row.get(key))) for e, row in zip(self.epochs, self.rows)
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
        return (name, data, _nice_ticks(lo, hi))

    def _margins(self) -> None:
        """Left of each panel: its y tick labels (6 px from the axis), then the rotated panel
        name, whose glyphs reach 0.8 em left of its x and 0.25 em right of it."""
        self.name_off = [max(44.0, 6 + max(_text_width(_tick_text(t)) for t in yt) + 4
                             + 0.25 * _FS) for _, _, yt in self.panels]
        left = [off + 0.8 * _FS + 4 for off in self.name_off]
        xt = self.xt
        first_x, last_x = _text_width(_tick_text(xt[0])) / 2, _text_width(_tick_text(xt[-1])) / 2
        self.pad_l = max(62.0, left[0], first_x + 4)
        self.pad_r = max(16.0, last_x + 4)     # the last epoch label is centred on the right edge
        self.gap = max([70.0] + [lft + 6 for lft in left[1:]] +
                       ([last_x + first_x + 10] if len(self.panels) > 1 else []))

    def _legend_places(self) -> None:
        """Each series' colour (one per metric, training and validation alike) and the place
        of its legend entry, wrapped into as many lines as the legend needs."""
        self.items: List[Tuple[str, str, bool]] = []
        ci = 0
        self.base_colour: Dict[str, str] = {}
        for _, data, _ in self.panels:
            for key, _ in data:
                base = key[4:] if key.startswith("val_") else key
                if base not in self.base_colour:
                    self.base_colour[base] = _SERIES_COLOURS[ci % len(_SERIES_COLOURS)]
                    ci += 1
                self.items.append((key, self.base_colour[base], key.startswith("val_")))
        self.places: List[Tuple[float, int]] = []
        lx, line = self.pad_l, 0
        for key, _, dashed in self.items:
            label = ("validation " + key[4:]) if dashed else ("training " + key)
            w = 30 + _text_width(label)
            if lx > self.pad_l and lx + w > self.width - 4:
                lx, line = self.pad_l, line + 1
            self.places.append((lx, line))
            lx += w + 16
        self.n_lines = line + 1

    def document(self, title: Optional[str]) -> str:
        """The SVG text: the title, each panel, the legend."""
        width, height, rows = self.width, self.height, self.rows
        out: List[str] = []
        add = out.append
        add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
            'font-family="%s" font-size="%d">' % (width, height, width, height, FONT, _FS))
        if title is None:
            title = "Training history (%d epoch%s)" % (len(rows), "" if len(rows) == 1 else "s")
        add("<title>%s</title>" % _esc(title))
        add('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height))
        add('<text x="%s" y="22" font-size="15" font-weight="bold" fill="#222">%s</text>' % (
            _coord(self.pad_l), _esc(_fit_text(title, width - self.pad_l - 4, 15, bold=True))))
        for p, panel in enumerate(self.panels):
            out += self._panel(p, panel)
        for (key, colour, dashed), (lx, line) in zip(self.items, self.places):
            ly = height - 18.0 - 18.0 * (self.n_lines - 1 - line)
            label = ("validation " + key[4:]) if dashed else ("training " + key)
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>' % (
                _coord(lx), _coord(ly - 4), _coord(lx + 24), _coord(ly - 4), colour,
                ' stroke-dasharray="6 4"' if dashed else ""))
            add('<text x="%s" y="%s" fill="#222">%s</text>' % (
                _coord(lx + 30), _coord(ly), _esc(_fit_text(label, width - lx - 34, _FS))))
        add("</svg>")
        return "\n".join(out) + "\n"

    def _panel(self, p: int, panel: Panel) -> List[str]:
        """Panel *p*: its frame, grid and ticks, its name, and a line per series."""
        name, data, yt = panel
        pad_t, pw, ph, elo, ehi = self.pad_t, self.pw, self.ph, self.elo, self.ehi
        px = self.pad_l + p * (pw + self.gap)
        ylo, yhi = yt[0], yt[-1]

        def X(e: float) -> float:
            return px + (e - elo) / (ehi - elo) * pw

        def Y(v: float) -> float:
            return pad_t + ph - (v - ylo) / (yhi - ylo) * ph

        out = ['<g>', '<rect x="%s" y="%s" width="%s" height="%s" fill="#fbfbfb" stroke="#ddd"/>'
               % (_coord(px), _coord(pad_t), _coord(pw), _coord(ph))]
        add = out.append
        for t in yt:
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e4e4e4"/>' % (
                _coord(px), _coord(Y(t)), _coord(px + pw), _coord(Y(t))))
            add('<text x="%s" y="%s" text-anchor="end" fill="#444">%s</text>' % (
                _coord(px - 6), _coord(Y(t) + 4), _tick_text(t)))
        for t in self.xt:
            add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444"/>' % (
                _coord(X(t)), _coord(pad_t + ph), _coord(X(t)), _coord(pad_t + ph + 5)))
            add('<text x="%s" y="%s" text-anchor="middle" fill="#444">%s</text>' % (
                _coord(X(t)), _coord(pad_t + ph + 18), _tick_text(t)))
        add('<path d="M%s %sL%s %sL%s %s" fill="none" stroke="#444"/>' % (
            _coord(px), _coord(pad_t), _coord(px), _coord(pad_t + ph), _coord(px + pw),
            _coord(pad_t + ph)))
        add('<text x="%s" y="%s" text-anchor="middle" fill="#222">epoch</text>' % (
            _coord(px + pw / 2), _coord(pad_t + ph + 34)))
        nx, ny = _coord(px - self.name_off[p]), _coord(pad_t + ph / 2)
        add('<text x="%s" y="%s" text-anchor="middle" fill="#222" transform="rotate(-90 %s %s)">'
            '%s</text>' % (nx, ny, nx, ny, _esc(_fit_text(name, ph, _FS))))
        if not data:
            add('<text x="%s" y="%s" text-anchor="middle" fill="#888">no values yet</text>' % (
                _coord(px + pw / 2), _coord(pad_t + ph / 2)))
        for key, pts in data:
            colour = self.base_colour[key[4:] if key.startswith("val_") else key]
            dashed = key.startswith("val_")
            add('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s>'
                '<title>%s</title></polyline>' % (
                    " ".join("%s,%s" % (_coord(X(e)), _coord(Y(v))) for e, v in pts), colour,
                    ' stroke-dasharray="6 4"' if dashed else "", _esc(key)))
            if len(pts) <= 60:
                for e, v in pts:
                    add('<circle cx="%s" cy="%s" r="2.5" fill="%s"/>' % (
                        _coord(X(e)), _coord(Y(v)), colour))
        add("</g>")
        return out
