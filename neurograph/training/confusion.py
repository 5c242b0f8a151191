"""The confusion matrix: true class against predicted class, counted.

===============================  ==============================================================
name                             what it is
===============================  ==============================================================
``confusion_matrix(net, data)``  count the classes of *data* and of the net's predictions
``ConfusionMatrix``              the counts (``matrix[true][predicted]``), ``accuracy``,
                                 ``recall()``, ``precision()``; prints as a table
===============================  ==============================================================

>>> ConfusionMatrix([[2, 0], [1, 1]], ["a", "b"])
ConfusionMatrix(2 classes, accuracy 0.75)
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

from ..core.arithmetic import number_text
from ..core.errors import ShapeError
from ..core.net import Net
from ..datasets import Dataset
from .samples import _pairs
from .scoring import _predict_class

__all__ = ["ConfusionMatrix", "confusion_matrix"]


class ConfusionMatrix:
    """Counts of (true class, predicted class); ``matrix[true][predicted]``.

    >>> cm = ConfusionMatrix([[5, 1], [0, 4]], ["no", "yes"])
    >>> cm.accuracy, cm.recall(), cm.precision()
    (0.9, [0.8333333333333334, 1.0], [1.0, 0.8])
    >>> print(cm)
    true \\ predicted  no  yes
    ----------------  --  ---
                  no   5    1
                 yes   0    4
    accuracy 0.9 (9 of 10)
    """

    def __init__(self, matrix: List[List[int]], class_names: Sequence[str]) -> None:
        self.matrix = [list(r) for r in matrix]
        self.class_names = list(class_names)

    @property
    def total(self) -> int:
        """The number of samples counted (the sum of all cells)."""
        return sum(map(sum, self.matrix))

    @property
    def correct(self) -> int:
        """The number of samples predicted correctly (the sum of the diagonal)."""
        return sum(self.matrix[i][i] for i in range(len(self.matrix)))

    @property
    def accuracy(self) -> float:
        """``correct / total`` (0.0 when nothing was counted)."""
        return self.correct / self.total if self.total else 0.0

    def recall(self) -> List[float]:
        """Per true class: the fraction predicted correctly.

        >>> import neurograph as ng
        >>> ng.ConfusionMatrix([[3, 1], [0, 4]], ["no", "yes"]).recall()
        [0.75, 1.0]
        """
        return [r[i] / sum(r) if sum(r) else 0.0 for i, r in enumerate(self.matrix)]

    def precision(self) -> List[float]:
        """Per predicted class: the fraction that was right.

        >>> import neurograph as ng
        >>> ng.ConfusionMatrix([[3, 1], [0, 4]], ["no", "yes"]).precision()
        [1.0, 0.8]
        """
        n = len(self.matrix)
        cols = [sum(self.matrix[i][j] for i in range(n)) for j in range(n)]
        return [self.matrix[j][j] / c if c else 0.0 for j, c in enumerate(cols)]

    def __str__(self) -> str:
        corner = "true \\ predicted"
        names = self.class_names
        cells = [[number_text(v) for v in r] for r in self.matrix]
        w0 = max([len(corner)] + [len(c) for c in names])
        ws = [max(len(c), max(len(r[j]) for r in cells)) for j, c in enumerate(names)]
        lines = ["  ".join([corner.rjust(w0)] + [c.rjust(w) for c, w in zip(names, ws)]),
                 "  ".join(["-" * w0] + ["-" * w for w in ws])]
        for name, row in zip(names, cells):
            lines.append("  ".join([name.rjust(w0)] + [v.rjust(w) for v, w in zip(row, ws)]))
        lines.append("accuracy %s (%d of %d)" % (number_text(self.accuracy, 6), self.correct, self.total))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "ConfusionMatrix(%d classes, accuracy %s)" % (len(self.matrix), number_text(self.accuracy, 6))


def confusion_matrix(net: Net, data: Any, class_names: Optional[Sequence[str]] = None
                     ) -> ConfusionMatrix:
    """Count true class against predicted class over *data* (see :func:`accuracy`).

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
    >>> net["i1->o1"].weight, net["i2->o1"].weight, net["o1"].bias.value = 10.0, 10.0, -5.0
    >>> ng.confusion_matrix(net, ng.datasets.logic("and")).matrix
    [[1, 2], [0, 1]]
    """
    pairs = _pairs(net, data, "data")
    if class_names is None and isinstance(data, Dataset) and data.class_names:
        class_names = data.class_names
    n_out = len(pairs[0][1])
    k = 2 if n_out == 1 else n_out
    if class_names is None:
        class_names = [str(j) for j in range(k)]
    if len(class_names) != k:
        raise ShapeError("confusion_matrix: %d class names for %d classes" % (len(class_names), k))
    m = [[0] * k for _ in range(k)]
    for x, y in pairs:
        m[_predict_class(y)][_predict_class(net.forward(x))] += 1
    return ConfusionMatrix(m, class_names)
