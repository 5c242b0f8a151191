"""The progress bar of ``fit``: one line on stderr, redrawn at most ten times a second.

==============================  ==============================================================
name                            what it is
==============================  ==============================================================
``sparkline(values, width)``    block characters for the last *width* values (the loss curve
                                at the end of the bar)
``_Progress(stream, ...)``      the bar: epoch, batch, loss, samples/s, time left, sparkline
``_clock(seconds)``             ``m:ss`` or ``h:mm:ss``
==============================  ==============================================================

This ``sparkline`` is the bar's own.  ``neurograph.sparkline`` (from
:mod:`neurograph.draw`) is another one, which differs: it keeps None and NaN
as spaces (this one drops None), draws a flat series at mid height (this one
at the bottom), rounds half to even (this one half up) and shows 40 values
(this one 20).

>>> _clock(75), _clock(3725)
('1:15', '1:02:05')
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Sequence

from ..core.arithmetic import number_text

__all__ = ["sparkline"]

_SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def sparkline(values: Sequence[Any], width: int = 20) -> str:
    """Block characters for the last *width* values, scaled between their min and max.

    >>> sparkline([4, 3, 2, 1, 1])
    '\u2588\u2586\u2583\u2581\u2581'
    """
    vals = [float(v) for v in values[-width:] if v is not None]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    span = hi - lo
    if not span > 0:
        return _SPARK[0] * len(vals)
    return "".join(_SPARK[min(7, int((v - lo) / span * 7 + 0.5))] for v in vals)


def _clock(seconds: float) -> str:
    """*seconds* (rounded) as ``m:ss``, or ``h:mm:ss`` from an hour on."""
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)


class _Progress:
    """The bar of one ``fit``: :meth:`update` during an epoch, :meth:`end_epoch` after it."""

    def __init__(self, stream: Any, epochs: int, n: int, batch_size: int) -> None:
        self.stream = stream
        self.epochs = epochs
        self.n = n
        self.batches = (n + batch_size - 1) // batch_size
        self.batch_size = batch_size
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0
        self.losses: List[Any] = []

    def update(self, epoch: int, batch: int, seen: int, loss: Any, force: bool = False) -> None:
        """Redraw the line (unless the last redraw was under 0.1 s ago and not *force*)."""
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        total = self.epochs * self.n
        done = self.done + seen
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0.0
        width = 20
        fill = int(width * seen / self.n) if self.n else width
        bar = "#" * fill + "." * (width - fill)
        self.stream.write("\repoch %d/%d [%s] batch %d/%d loss %s  %s samples/s  ETA %s  %s\x1b[K"
                          % (epoch, self.epochs, bar, batch, self.batches, number_text(loss, 4),
                             number_text(round(rate)), _clock(eta),
                             sparkline(self.losses + [loss])))
        self.stream.flush()

    def end_epoch(self, epoch: int, row: Dict[str, Any]) -> None:
        """Finish the epoch's line with its other columns (val_loss, accuracy, ...)."""
        self.update(epoch, self.batches, self.n, row["loss"], force=True)
        self.losses.append(row["loss"])
        self.done += self.n
        extra = "".join("  %s %s" % (k, number_text(v, 4)) for k, v in row.items()
                        if k not in ("epoch", "lr", "loss") and v is not None)
        self.stream.write(extra + "\n")
        self.stream.flush()
