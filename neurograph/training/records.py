"""What training measured: the :class:`History`, one row per epoch.

=======================  ================================================================
name                     what it is
=======================  ================================================================
``History``              the rows (dicts), ``metric(name)``, ``columns``, ``table()``,
                         ``to_svg()``; flags ``interrupted``, ``stopped_early``,
                         ``restored_epoch``, ``partial_samples``
=======================  ================================================================

>>> h = History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
>>> h, h.columns
(History(2 epochs, loss 0.5 -> 0.25), ['epoch', 'loss'])
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.arithmetic import number_text
from ..core.errors import NameLookupError

__all__ = ["History"]


class History:
    """What :func:`fit` measured, one row (a dict) per completed epoch.

    Every row has ``"epoch"`` (1 for the first), ``"lr"``, ``"loss"`` (mean
    training loss of the epoch's samples, each taken before its own step),
    ``"val_loss"`` (after the epoch; None without validation data) and for
    each metric ``name`` its training value and ``"val_" + name``.
    ``interrupted`` is True when Ctrl-C ended training; ``stopped_early`` is
    the epoch at which early stopping (or a callback returning False) ended it.

    >>> h = History([{"epoch": 1, "lr": 0.5, "loss": 0.25, "val_loss": None}])
    >>> h.metric("loss"), h.interrupted
    ([0.25], False)
    >>> print(h)
    epoch   lr  loss  val_loss
    -----  ---  ----  --------
        1  0.5  0.25         -
    """

    def __init__(self, rows: Optional[List[Dict[str, Any]]] = None) -> None:
        self.rows: List[Dict[str, Any]] = list(rows or [])
        self.interrupted = False
        self.stopped_early: Optional[int] = None
        #: the epoch whose weights early stopping put back (None if it did not)
        self.restored_epoch: Optional[int] = None
        #: samples trained on in the epoch that was interrupted (0 if none)
        self.partial_samples = 0

    def metric(self, name: str) -> List[Any]:
        """One value per epoch of column *name* ("loss", "val_accuracy", ...).

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> h.metric("loss")
        [0.5, 0.25]
        >>> h.metric("accuracy")
        Traceback (most recent call last):
        ...
        neurograph.NameLookupError: History has no column 'accuracy'; columns: epoch, loss
        """
        if self.rows and name not in self.rows[0]:
            raise NameLookupError("History has no column %r; columns: %s" % (
                name, ", ".join(self.rows[0])))
        return [r.get(name) for r in self.rows]

    @property
    def columns(self) -> List[str]:
        """The column names, in the order of the first row (empty before the first epoch)."""
        return list(self.rows[0]) if self.rows else []

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __getitem__(self, i: int) -> Dict[str, Any]:
        return self.rows[i]

    def __repr__(self) -> str:
        flag = ", interrupted" if self.interrupted else ""
        if self.stopped_early is not None:
            flag += ", stopped early"
        if not self.rows:
            return "History(0 epochs%s)" % flag
        return "History(%d epochs, loss %s -> %s%s)" % (
            len(self.rows), number_text(self.rows[0]["loss"], 6), number_text(self.rows[-1]["loss"], 6), flag)

    def table(self, max_rows: int = 20) -> str:
        """The rows as a text table; long histories show their first and last rows.

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": e, "loss": 1 / e} for e in range(1, 6)])
        >>> print(h.table(max_rows=2))
        epoch  loss
        -----  ----
            1     1
          ...   ...
            5   0.2
        """
        cols = self.columns
        if not cols:
            return "(no epochs)"
        rows = self.rows
        skip = None
        if len(rows) > max_rows:
            head = max_rows // 2
            skip = len(rows) - max_rows + head
            rows = rows[:head] + rows[skip:]
        cells = [["-" if r.get(c) is None else number_text(r[c]) if c == "epoch"
                  else number_text(r[c], 6) for c in cols] for r in rows]
        widths = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in enumerate(cols)]
        lines = ["  ".join(c.rjust(w) for c, w in zip(cols, widths)),
                 "  ".join("-" * w for w in widths)]
        for i, row in enumerate(cells):
            if skip is not None and i == max_rows // 2:
                lines.append("  ".join("...".rjust(w) for w in widths))
            lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        if self.interrupted:
            lines.append("(interrupted)")
        elif self.stopped_early is not None:
            lines.append("(stopped early after epoch %d%s)" % (
                self.stopped_early, "" if self.restored_epoch is None else
                "; the weights of epoch %d were put back" % self.restored_epoch))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def to_svg(self, **options: Any) -> str:
        """A standalone SVG chart of the loss curves (see :mod:`neurograph.draw`).

        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> h.to_svg().startswith("<svg xmlns=")
        True
        """
        from ..draw import history_svg
        return history_svg(self, **options)

    def save_svg(self, path: Any, **options: Any) -> None:
        """Write :meth:`to_svg` to *path*.

        >>> import os, tempfile
        >>> import neurograph as ng
        >>> h = ng.History([{"epoch": 1, "loss": 0.5}, {"epoch": 2, "loss": 0.25}])
        >>> path = os.path.join(tempfile.mkdtemp(), "loss.svg")
        >>> h.save_svg(path)
        >>> open(path).read() == h.to_svg()
        True
        """
        from ..draw import history_svg, write_svg
        write_svg(history_svg(self, **options), path)

    def _repr_svg_(self) -> str:
        from ..draw import history_svg
        return history_svg(self)
