"""Training in chunks: ``ng.fit`` on the next samples of the epoch until the time is up.

No request may hold the server for long, so a long training runs as many
requests, each a chunk of at most about *seconds*: :class:`Epochs` keeps the
epoch in progress (its shuffled order, how far it got, its sums) between
chunks.  Each chunk calls :func:`neurograph.fit` for one epoch on the next
samples of that order (a whole number of batches, no shuffle), so the
weights move exactly as one ``fit`` run over the epoch would move them; the
last chunk of an epoch also passes the test samples as ``validation``.  An
epoch's row is the mean training loss over its samples (and the accuracy,
for data with classes) and the test loss (and accuracy) after it.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``Epochs``                     the epoch in progress; ``run(pg, epochs, seconds)``
``MAX_SECONDS``                the longest chunk a request may ask for
``MAX_EPOCHS``                 most epochs one ``train`` or ``play`` action asks for
=============================  ========================================================

>>> import neurograph as ng
>>> from neurograph.playground import Playground
>>> ex = ng.textbook.mazur()
>>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
>>> Epochs().run(pg, epochs=3, seconds=1.0)
3
>>> [round(float(r["loss"]), 4) for r in pg.history]
[0.2984, 0.291, 0.2835]
"""

from __future__ import annotations

import random
import time
from typing import Any, Dict, List, Optional

from .values import num

__all__ = ["Epochs", "MAX_SECONDS", "MAX_EPOCHS"]

#: The longest chunk one request may ask for, in seconds.
MAX_SECONDS = 0.25
#: Most epochs one ``train`` or ``play`` action asks for (each runs at most a chunk).
MAX_EPOCHS = 100000


class Epochs:
    """The epoch in progress between chunks: its order, position and sums."""

    def __init__(self) -> None:
        self.order: Optional[List[int]] = None
        self.pos = 0
        self.loss: Any = 0
        self.acc: Any = 0
        self.rate = 0.0              # seconds per sample, measured

    def copy(self) -> "Epochs":
        """A copy (a refused request puts it back)."""
        other = Epochs()
        other.order = None if self.order is None else list(self.order)
        other.pos, other.loss, other.acc, other.rate = self.pos, self.loss, self.acc, self.rate
        return other

    def progress(self, n: int) -> float:
        """How far the epoch in progress has got, 0 to 1."""
        return 0.0 if self.order is None or not n else self.pos / n

    def _size(self, left: int, batch: int, budget: float) -> int:
        """How many samples the next chunk takes: what fits in *budget*, whole batches."""
        if self.rate <= 0:
            k = batch * max(1, 8 // batch)
        else:
            k = int(budget / self.rate)
            k = max(batch, k - k % batch)
        return min(left, k)

    def run(self, pg: Any, epochs: int, seconds: float) -> int:
        """Train until *epochs* epochs are complete or *seconds* have passed; the number of
        epochs completed (the one in progress goes on at the next call)."""
        from ..training import fit
        train, test = pg.train_pairs or [(pg.x, pg.y)], pg.test_pairs   # (or the typed sample)
        n = len(train)
        s = pg.settings
        metrics = ("accuracy",) if pg.classification else ()
        start, done = time.perf_counter(), 0
        while done < epochs:
            if self.order is None:
                self.order = list(range(n))
                random.Random(len(pg.history) * 7919 + pg.data.seed).shuffle(self.order)
                self.pos, self.loss, self.acc = 0, 0, 0
            left = time.perf_counter() - start
            k = self._size(n - self.pos, s.batch, max(seconds - left, 0.0))
            part = [train[i] for i in self.order[self.pos:self.pos + k]]
            last = self.pos + k >= n
            t0 = time.perf_counter()
            h = fit(pg.net, part, epochs=1, batch_size=min(s.batch, k), optimizer=pg.opt,
                    loss=s.loss, shuffle=False, seed=None, metrics=metrics,
                    validation=test if last and test else None, verbose=0,
                    sequences=pg.sequences or None)
            self.rate = (time.perf_counter() - t0) / k
            row = h.rows[0]
            self.loss = self.loss + row["loss"] * k
            if metrics:
                self.acc = self.acc + row["accuracy"] * k
            pg.steps += -(-k // s.batch)
            self.pos += k
            if last:
                pg.history.append(self._row(pg, row, n, metrics))
                self.order = None
                done += 1
            if time.perf_counter() - start >= seconds:
                break
        return done

    def _row(self, pg: Any, row: Dict[str, Any], n: int, metrics: Any) -> Dict[str, Any]:
        out = {"epoch": len(pg.history) + 1, "loss": num(self.loss / n),
               "test_loss": num(row.get("val_loss")), "accuracy": None, "test_accuracy": None}
        if metrics:
            out["accuracy"] = num(self.acc / n)
            out["test_accuracy"] = num(row.get("val_accuracy"))
        return out
