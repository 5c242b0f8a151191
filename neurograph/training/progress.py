"""The progress display of ``fit``: a bar on a terminal, one display updated in place in a
notebook.

================================  ============================================================
name                              what it is
================================  ============================================================
``sparkline(values, width)``      :func:`neurograph.draw.sparkline` (the same function): the
                                  loss curve at the end of the bar
``progress_for(verbose, ...)``    the display ``fit`` uses: None, a :class:`_Progress` or a
                                  :class:`_NotebookProgress`
``_Progress(stream, ...)``        the terminal bar: epoch, batch, loss, samples/s, time left,
                                  sparkline; one line on stderr, redrawn at most ten times a
                                  second
``_NotebookProgress(...)``        under an IPython kernel: one display updated in place (at
                                  most four times a second), plain text, then one summary line
``kernel_display()``              IPython's ``display`` when a kernel runs this code, or None
``_clock(seconds)``               ``m:ss`` or ``h:mm:ss``
================================  ============================================================

The notebook display is used only when IPython is already imported (as it is
inside a Jupyter kernel): neurograph itself imports nothing outside the
standard library.

>>> _clock(75), _clock(3725)
('1:15', '1:02:05')
>>> kernel_display() is None          # a plain Python process
True
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Dict, List, Optional

from ..core.arithmetic import number_text
from ..draw.terminal import sparkline

__all__ = ["sparkline", "progress_for", "kernel_display"]


def _clock(seconds: float) -> str:
    """*seconds* (rounded) as ``m:ss``, or ``h:mm:ss`` from an hour on."""
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)


def kernel_display() -> Optional[Callable[..., Any]]:
    """IPython's ``display`` function when this code runs under an IPython kernel (a
    Jupyter notebook), else None.  Imports IPython only when it is already imported.

    >>> kernel_display() is None
    True
    """
    if "IPython" not in sys.modules:
        return None
    try:
        ipython = sys.modules["IPython"].get_ipython()
        if ipython is None or getattr(ipython, "kernel", None) is None:
            return None
        from IPython.display import display
    except Exception:                          # an IPython too old or half set up: no display
        return None
    return display


def progress_for(verbose: Optional[int], stream: Any, epochs: int, n: int,
                 batch_size: int) -> Any:
    """The display of one ``fit``: under an IPython kernel a notebook display (unless
    *verbose* is 0), else the terminal bar when *verbose* is 2 or (None or 1) and *stream*
    is a terminal, else None.

    >>> import io
    >>> progress_for(None, io.StringIO(), 3, 10, 1) is None, progress_for(0, None, 3, 10, 1)
    (True, None)
    >>> type(progress_for(2, io.StringIO(), 3, 10, 1)).__name__
    '_Progress'
    """
    if verbose == 0:
        return None
    display = kernel_display()
    if display is not None:
        return _NotebookProgress(display, epochs, n, batch_size, per_epoch=verbose == 2)
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if verbose == 2 or tty:
        return _Progress(stream, epochs, n, batch_size)
    return None


def _bar(done: int, total: int, width: int = 20, full: str = "#", empty: str = ".") -> str:
    fill = min(width, int(width * done / total)) if total else width
    return full * fill + empty * (width - fill)


def _extras(row: Dict[str, Any]) -> str:
    """``  val_loss 0.1  accuracy 0.9``: a row's columns other than epoch, lr and loss."""
    return "".join("  %s %s" % (k, number_text(v, 4)) for k, v in row.items()
                   if k not in ("epoch", "lr", "loss") and v is not None)


class _Progress:
    """The terminal bar of one ``fit``: :meth:`update` during an epoch, :meth:`end_epoch`
    after it, :meth:`finish` at the end (nothing more to write on a terminal)."""

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
        self.open = False                      # a line is drawn and not ended yet

    def update(self, epoch: int, batch: int, seen: int, loss: Any, force: bool = False,
               metrics: Optional[Dict[str, Any]] = None) -> None:
        """Redraw the line (unless the last redraw was under 0.1 s ago and not *force*)."""
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last, self.open = now, True
        total = self.epochs * self.n
        done = self.done + seen
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0.0
        self.stream.write("\repoch %d/%d [%s] batch %d/%d loss %s  %s samples/s  ETA %s  %s\x1b[K"
                          % (epoch, self.epochs, _bar(seen, self.n), batch, self.batches,
                             number_text(loss, 4), number_text(round(rate)), _clock(eta),
                             sparkline(self.losses + [loss], 20, flat="bottom")))
        self.stream.flush()

    def end_epoch(self, epoch: int, row: Dict[str, Any]) -> None:
        """Finish the epoch's line with its other columns (val_loss, accuracy, ...)."""
        self.update(epoch, self.batches, self.n, row["loss"], force=True)
        self.losses.append(row["loss"])
        self.done += self.n
        self.stream.write(_extras(row) + "\n")
        self.stream.flush()
        self.open = False

    def interrupt(self) -> None:
        """Ctrl-C stopped training: say so on a line of its own."""
        self.stream.write("\ninterrupted\n")
        self.stream.flush()
        self.open = False

    def finish(self, history: Any, failure: Optional[BaseException] = None) -> None:
        """The end of training: a line an error cut short is ended (the error follows)."""
        if failure is not None and self.open:
            self.stream.write("\n")
            self.stream.flush()


class _NotebookProgress:
    """One display in a notebook, updated in place at most four times a second: epoch,
    batch, a bar of text characters, loss and metrics, the loss curve; replaced at the end
    by one summary line.  Plain text, no terminal control codes."""

    INTERVAL = 0.25

    def __init__(self, display: Callable[..., Any], epochs: int, n: int, batch_size: int,
                 per_epoch: bool = False) -> None:
        self.display = display
        self.epochs, self.n = epochs, n
        self.batches = (n + batch_size - 1) // batch_size
        self.per_epoch = per_epoch
        self.start = time.monotonic()
        self.last = 0.0
        self.losses: List[Any] = []
        self.handle: Any = None
        self.updates = 0

    def interrupt(self) -> None:
        """Ctrl-C stopped training: :meth:`finish` says so."""

    def _show(self, text: str) -> None:
        data = {"text/plain": text}
        if self.handle is None:
            self.handle = self.display(data, raw=True, display_id=True)
        else:
            self.handle.update(data, raw=True)
        self.updates += 1

    def update(self, epoch: int, batch: int, seen: int, loss: Any, force: bool = False,
               metrics: Optional[Dict[str, Any]] = None) -> None:
        """Show the epoch so far (unless the last update was under 0.25 s ago and not
        *force*)."""
        now = time.monotonic()
        if not force and now - self.last < self.INTERVAL:
            return
        self.last = now
        extra = "".join("  %s %s" % (k, number_text(v, 4)) for k, v in (metrics or {}).items())
        self._show("epoch %d/%d  [%s]  batch %d/%d  loss %s%s  %s" % (
            epoch, self.epochs, _bar(seen, self.n, 24, "\u2588", "\u2591"), batch,
            self.batches, number_text(loss, 4), extra,
            sparkline(self.losses + [loss], 40, flat="bottom")))

    def end_epoch(self, epoch: int, row: Dict[str, Any]) -> None:
        """Show the finished epoch with its row (val_loss, accuracy, ...)."""
        self.losses.append(row["loss"])
        last_epoch = epoch == self.epochs
        if not (last_epoch or self.per_epoch) and time.monotonic() - self.last < self.INTERVAL:
            return
        self.last = time.monotonic()
        self._show("epoch %d/%d  [%s]  batch %d/%d  loss %s%s  %s" % (
            epoch, self.epochs, _bar(self.n, self.n, 24, "\u2588", "\u2591"), self.batches,
            self.batches, number_text(row["loss"], 4), _extras(row),
            sparkline(self.losses, 40, flat="bottom")))

    def finish(self, history: Any, failure: Optional[BaseException] = None) -> None:
        """Replace the display by one summary line: epochs, time, the last row, and how
        training ended when it ended early."""
        rows = history.rows
        text = "fit: %d epoch%s in %s" % (len(rows), "" if len(rows) == 1 else "s",
                                          _clock(time.monotonic() - self.start))
        if rows:
            text += "; loss %s -> %s" % (number_text(rows[0]["loss"], 4),
                                         number_text(rows[-1]["loss"], 4))
            text += "".join(", %s %s" % (k, number_text(v, 4)) for k, v in rows[-1].items()
                            if k not in ("epoch", "lr", "loss") and v is not None)
        if failure is not None:
            text += "; stopped: %s" % str(failure).split(";")[0]
        elif history.interrupted:
            text += "; interrupted (Ctrl-C)"
        elif history.stopped_early is not None and len(rows) < self.epochs:
            text += "; stopped early after epoch %d" % history.stopped_early
        self._show(text)
