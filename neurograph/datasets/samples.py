"""The Dataset: samples as inputs, targets and labels, with their names.

============================  ===========================================================
name                          what it is
============================  ===========================================================
``Dataset``                   inputs, targets, labels, names; ``subset``, ``split``,
                              ``convert``, ``class_counts``; indexing gives ``(x, y)``
============================  ===========================================================

Every value is checked when a Dataset is made: rows of equal length, finite
numbers, class indices for labels.  The helpers here (``_rows``,
``_check_labels``, ...) are shared by the other modules of the package.

>>> d = Dataset([[0, 0], [1, 1]], [[1, 0], [0, 1]], name="tiny")
>>> d, d.labels, d.class_names
(Dataset('tiny', 2 samples, 2 features, 2 classes), [0, 1], ['0', '1'])
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

from ..core.arithmetic import NumberSystem, number_text, system_for
from ..core.errors import NumberError, ShapeError, StateError
from ..core.wiring import check_seed
from .splitting import _test_count, _test_indices

__all__ = ["Dataset"]

Number = Any


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal, Fraction)) and not isinstance(v, bool)


def _is_finite(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, Decimal):
        return v.is_finite()
    return True


def _float_as_text(v: Any, num: NumberSystem) -> Any:
    """*v*, or its repr when it is a float going to Decimal or Fraction (the repr is the
    shortest text that reads back as that float, which is what the user typed)."""
    return repr(v) if isinstance(v, float) and num.type is not float else v


def _rows(rows: Any, what: str, name: str) -> List[List[Any]]:
    """*rows* as a list of lists, or ShapeError: each sample must be a sequence of numbers."""
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise ShapeError("Dataset %r: %s must be a list with one row (a list of numbers) per "
                         "sample, got %r" % (name, what, rows))
    out = []
    for i, r in enumerate(rows):
        if isinstance(r, (str, bytes)) or not hasattr(r, "__iter__"):
            raise ShapeError("Dataset %r: %s of sample %d is %r, not a row of numbers: give one "
                             "list per sample, e.g. [[1, 2], [3, 4]] (a single feature is [[1], "
                             "[2]])" % (name, what[:-1], i, r))
        out.append(list(r))
    return out


def _check_values(rows: List[List[Any]], what: str, name: str) -> None:
    """Rows of one length, holding finite numbers only, or a NeurographError naming the cell."""
    if not rows:
        return
    n = len(rows[0])
    for i, r in enumerate(rows):
        if len(r) != n:
            raise ShapeError("Dataset %r: %s of sample %d has %d values, sample 0 has "
                             "%d" % (name, what, i, len(r), n))
        for j, v in enumerate(r):
            if not _is_number(v):
                raise NumberError("Dataset %r: %s of sample %d, position %d is %r, "
                                  "not a number" % (name, what, i, j, v))
            if not _is_finite(v):
                raise NumberError("Dataset %r: %s of sample %d, position %d is %s: "
                                  "only finite numbers are allowed"
                                  % (name, what, i, j, number_text(v)))


def _check_labels(labels: Any, name: str) -> List[int]:
    """*labels* as a list of class indices 0, 1, ..., or a NeurographError naming the sample."""
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
        raise ShapeError("Dataset %r: labels must be a list of class indices, got %r"
                         % (name, labels))
    out = []
    for i, k in enumerate(labels):
        if isinstance(k, bool) or not isinstance(k, int):
            raise NumberError("Dataset %r: the label of sample %d is %r; labels are class indices "
                              "0, 1, 2, ... (give the names as class_names=[...])" % (name, i, k))
        if k < 0:
            raise NumberError("Dataset %r: the label of sample %d is %d; labels are class indices "
                              "0, 1, 2, ..., never negative" % (name, i, k))
        out.append(int(k))
    return out


def _labels_from_targets(targets: List[List[Any]]) -> Optional[List[int]]:
    """The class of each one-hot (or single 0/1) target; None when a target is neither."""
    if not targets:
        return []
    labels = []
    width = len(targets[0])
    for y in targets:
        if width == 1:
            if y[0] not in (0, 1):
                return None
            labels.append(int(y[0]))
            continue
        ones = [j for j, v in enumerate(y) if v == 1]
        if len(ones) != 1 or any(v != 0 for j, v in enumerate(y) if j != ones[0]):
            return None
        labels.append(ones[0])
    return labels


def _class_names(class_names: Any, labels: Optional[List[int]], name: str
                 ) -> Optional[List[str]]:
    """The checked class names: one per class the labels use ("0", "1", ... when not given)."""
    if class_names is not None and labels:
        if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__iter__"):
            raise ShapeError("Dataset %r: class_names must be a list of names, got %r"
                             % (name, class_names))
        class_names = list(class_names)
        top = max(labels)
        if top >= len(class_names):
            raise ShapeError("Dataset %r: label %d (sample %d) needs at least %d class names, "
                             "but class_names has %d; give one name per class"
                             % (name, top, labels.index(top), top + 1, len(class_names)))
    if class_names is None and labels is not None:
        class_names = [str(k) for k in range(max(labels) + 1)] if labels else []
    return list(class_names) if class_names is not None else None


class Dataset:
    """Samples for training or testing: ``inputs``, ``targets``, ``labels`` and names.

    *inputs* and *targets* are equally long lists of number lists.  *labels*
    (optional) gives each sample's class index; when omitted and every
    target is one-hot, the labels are read off the targets.  Indexing with an
    int gives an ``(x, y)`` pair, with a slice a smaller Dataset.

    >>> d = Dataset([[0, 0], [1, 1]], [[1, 0], [0, 1]], class_names=["off", "on"], name="tiny")
    >>> d
    Dataset('tiny', 2 samples, 2 features, 2 classes)
    >>> d.labels, d[1]
    ([0, 1], ([1, 1], [0, 1]))
    >>> list(d)
    [([0, 0], [1, 0]), ([1, 1], [0, 1])]
    """

    #: the Scaler that :func:`standardize` or :func:`minmax` scaled these inputs with (else None)
    scaler: Optional[Any] = None

    def __init__(self, inputs: Sequence[Sequence[Any]], targets: Sequence[Sequence[Any]],
                 labels: Optional[Sequence[int]] = None,
                 feature_names: Optional[Sequence[str]] = None,
                 class_names: Optional[Sequence[str]] = None, name: str = "") -> None:
        inputs = _rows(inputs, "inputs", name)
        targets = _rows(targets, "targets", name)
        if len(inputs) != len(targets):
            raise ShapeError("Dataset %r: %d inputs but %d targets; give one target per input"
                             % (name, len(inputs), len(targets)))
        _check_values(inputs, "input", name)
        _check_values(targets, "target", name)
        if labels is None:
            labels = _labels_from_targets(targets)
        else:
            labels = _check_labels(labels, name)
            if len(labels) != len(inputs):
                raise ShapeError("Dataset %r: %d labels for %d samples" % (
                    name, len(labels), len(inputs)))
        class_names = _class_names(class_names, labels, name)
        n_features = len(inputs[0]) if inputs else 0
        if feature_names is None:
            feature_names = ["x%d" % (j + 1) for j in range(n_features)]
        feature_names = list(feature_names)
        if inputs and len(feature_names) != n_features:
            raise ShapeError("Dataset %r: %d feature names for %d features" % (
                name, len(feature_names), n_features))
        self.inputs: List[List[Number]] = inputs
        self.targets: List[List[Number]] = targets
        self.labels: Optional[List[int]] = labels
        self.feature_names: List[str] = feature_names
        self.class_names: Optional[List[str]] = class_names
        self.name = name

    # -- container protocol ------------------------------------------------
    def __len__(self) -> int:
        return len(self.inputs)

    def __iter__(self) -> Iterator[Tuple[List[Number], List[Number]]]:
        return iter(zip(self.inputs, self.targets))

    def __getitem__(self, i: Union[int, slice]) -> Any:
        if isinstance(i, slice):
            return self.subset(range(len(self))[i])
        i = self._index(i, "index")
        return self.inputs[i], self.targets[i]

    def __repr__(self) -> str:
        n_cls = "" if self.class_names is None else ", %d classes" % len(self.class_names)
        return "Dataset(%r, %d samples, %d features%s)" % (
            self.name, len(self), len(self.feature_names), n_cls)

    @property
    def n_features(self) -> int:
        """The number of input features (the length of ``feature_names``)."""
        return len(self.feature_names)

    def subset(self, indices: Sequence[int], name: Optional[str] = None) -> "Dataset":
        """A Dataset of the samples at *indices* (in that order).

        >>> import neurograph as ng
        >>> d = ng.datasets.xor().subset([3, 0], name="two rows")
        >>> d, d.inputs
        (Dataset('two rows', 2 samples, 2 features, 2 classes), [[1.0, 1.0], [0.0, 0.0]])
        """
        if isinstance(indices, (str, bytes)) or not hasattr(indices, "__iter__"):
            raise ShapeError("Dataset %r: subset() takes a list of sample indices, got %r"
                             % (self.name, indices))
        idx = [self._index(i, "subset() position %d: index" % k) for k, i in enumerate(indices)]
        return self._like([self.inputs[i] for i in idx], [self.targets[i] for i in idx],
                          None if self.labels is None else [self.labels[i] for i in idx],
                          self.name if name is None else name)

    def _index(self, i: Any, where: str) -> int:
        """*i* as a sample index (negative counts from the end), or a NeurographError."""
        if isinstance(i, bool) or not isinstance(i, int):
            raise NumberError("Dataset %r: %s %r is not a whole number; give a sample index "
                              "from 0 to %d" % (self.name, where, i, len(self) - 1))
        if not -len(self) <= i < len(self):
            raise ShapeError("Dataset %r has %d samples: %s %d is out of range (use 0 to "
                             "%d, or -%d to -1 from the end)"
                             % (self.name, len(self), where, i, len(self) - 1, len(self)))
        return i

    def _like(self, inputs: List[List[Number]], targets: List[List[Number]],
              labels: Optional[List[int]], name: str) -> "Dataset":
        """A Dataset of these (already checked) samples with this one's names and scaler."""
        d = Dataset.__new__(Dataset)
        d.inputs, d.targets, d.labels = inputs, targets, labels
        d.feature_names = list(self.feature_names)
        d.class_names = None if self.class_names is None else list(self.class_names)
        d.name = name
        if self.scaler is not None:
            d.scaler = self.scaler
        return d

    def class_counts(self) -> List[int]:
        """How many samples each class has, in class order.

        >>> import neurograph as ng
        >>> ng.datasets.logic("and").class_counts()
        [3, 1]
        """
        if self.labels is None or self.class_names is None:
            raise StateError("Dataset %r has no labels to count" % self.name)
        counts = [0] * len(self.class_names)
        for k in self.labels:
            counts[k] += 1
        return counts

    def split(self, test: Union[float, int] = 0.2, seed: Optional[int] = 0,
              stratify: bool = True) -> Tuple["Dataset", "Dataset"]:
        """``(train, test)``: a seeded, by default stratified, split.

        *test* is a fraction of the samples (the test part gets
        ``ceil(test * n)`` of them) or a count.  With *stratify* every class
        keeps its share in both parts (largest remainders decide the rounding);
        the samples of each part stay in their original order.

        >>> import neurograph as ng
        >>> tr, te = ng.datasets.load_digits().split(test=0.2, seed=0)
        >>> len(tr), len(te)
        (1437, 360)
        """
        n = len(self)
        n_test = _test_count(test, n)
        check_seed(seed, "Dataset.split")
        in_test = set(_test_indices(self.labels if stratify else None, n, n_test, seed))
        train = [i for i in range(n) if i not in in_test]
        test_idx = sorted(in_test)
        return (self.subset(train, self.name + " (train)" if self.name else ""),
                self.subset(test_idx, self.name + " (test)" if self.name else ""))

    def convert(self, number: Any) -> "Dataset":
        """The same samples in another number type (float data to Decimal goes via repr).

        >>> from decimal import Decimal
        >>> import neurograph as ng
        >>> ng.datasets.Dataset([[0.1, 2.5]], [[1]]).convert(Decimal).inputs
        [[Decimal('0.1'), Decimal('2.5')]]
        """
        num = system_for(number)

        def conv(v: Any, what: str) -> Any:
            return num.convert(_float_as_text(v, num), what)
        ins = [[conv(v, "input of sample %d" % i) for v in x] for i, x in enumerate(self.inputs)]
        tgs = [[conv(v, "target of sample %d" % i) for v in y] for i, y in enumerate(self.targets)]
        d = self._like(ins, tgs, None if self.labels is None else list(self.labels), self.name)
        if self.scaler is not None:
            d.scaler = self.scaler.convert(number)
        return d
