"""Data sets: the bundled iris and digits tables, logic tables, and your own CSV files.

A :class:`Dataset` is a list of samples: ``inputs`` (one list of numbers per
sample), one-hot ``targets``, integer ``labels`` (the class index of each
sample), ``feature_names`` and ``class_names``.  Iterating over it gives
``(x, y)`` pairs, which is what :func:`neurograph.fit` and ``net.forward`` /
``net.backward`` take.

==============================  ===========================================================
name                            what it is
==============================  ===========================================================
``Dataset``                     inputs, targets, labels, names; ``split``, ``subset``
``load_iris(number=float)``     Fisher's iris: 150 samples, 4 features, 3 classes
``load_digits(number=float)``   8x8 handwritten digits: 1,797 samples, 64 features, 10 classes
``xor()``, ``logic(op)``        the truth tables of XOR, AND, OR, NAND, NOR (one output)
``echo(n, length, delay)``      bit sequences whose target echoes the input *delay* steps back
``binary_addition(n, bits)``    sums of two numbers bit by bit (sequences for a recurrent net)
``load_csv(path, label=...)``   a CSV file with a header row and one label column
``standardize(train, *rest)``   zero mean, unit variance, fitted on *train* only
``minmax(train, *rest)``        each feature scaled to [0, 1], fitted on *train* only
``Scaler``                      the fitted shift and scale (``.scaler`` of a scaled Dataset):
                                ``apply(rows)``, ``apply_one(x)``, ``invert_one``, ``to_dict``
==============================  ===========================================================

Values are kept in the number type given as ``number=`` (float, Decimal or
Fraction); CSV cells are parsed from their text, so ``number=Decimal`` or
``number=Fraction`` gives the exact values written in the file.  The origin,
license (CC BY 4.0) and citations of the bundled files are in
``neurograph/data/DATASETS.md``.

>>> import neurograph as ng
>>> iris = ng.datasets.load_iris()
>>> iris
Dataset('iris', 150 samples, 4 features, 3 classes)
>>> iris.inputs[0], iris.targets[0], iris.labels[0], iris.class_names[0]
([5.1, 3.5, 1.4, 0.2], [1.0, 0.0, 0.0], 0, 'setosa')
>>> train, test = iris.split(test=0.2, seed=0)
>>> len(train), len(test), test.class_counts()
(120, 30, [10, 10, 10])
>>> train, test = ng.datasets.standardize(train, test)
>>> round(sum(x[0] for x in train.inputs) / len(train), 12) == 0
True
>>> train.scaler.apply_one([5.1, 3.5, 1.4, 0.2]) == train.scaler.apply([[5.1, 3.5, 1.4, 0.2]])[0]
True
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import random
from decimal import Decimal, DecimalException, getcontext
from fractions import Fraction
from importlib import resources
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from .core.arithmetic import NumberSystem, add_up, system_for
from .core.errors import (FormatError, NameLookupError, NumberError, NumericalError, ShapeError,
                     StateError, suggest)

__all__ = ["Dataset", "load_iris", "load_digits", "xor", "logic", "echo", "binary_addition",
           "load_csv", "standardize",
           "minmax", "Scaler"]

Number = Any


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal, Fraction)) and not isinstance(v, bool)


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


def _is_finite(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, Decimal):
        return v.is_finite()
    return True


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
    scaler: Optional["Scaler"] = None

    def __init__(self, inputs: Sequence[Sequence[Any]], targets: Sequence[Sequence[Any]],
                 labels: Optional[Sequence[int]] = None,
                 feature_names: Optional[Sequence[str]] = None,
                 class_names: Optional[Sequence[str]] = None, name: str = "") -> None:
        inputs = _rows(inputs, "inputs", name)
        targets = _rows(targets, "targets", name)
        if len(inputs) != len(targets):
            raise ShapeError("Dataset %r: %d inputs but %d targets; give one target per input"
                             % (name, len(inputs), len(targets)))
        for what, rows in (("input", inputs), ("target", targets)):
            if rows:
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
                                              % (name, what, i, j, v))
        if labels is None:
            labels = _labels_from_targets(targets)
        else:
            labels = _check_labels(labels, name)
            if len(labels) != len(inputs):
                raise ShapeError("Dataset %r: %d labels for %d samples" % (
                    name, len(labels), len(inputs)))
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
        n_features = len(inputs[0]) if inputs else 0
        if feature_names is None:
            feature_names = ["x%d" % (j + 1) for j in range(n_features)]
        feature_names = list(feature_names)
        if inputs and len(feature_names) != n_features:
            raise ShapeError("Dataset %r: %d feature names for %d features" % (
                name, len(feature_names), n_features))
        if class_names is None and labels is not None:
            class_names = [str(k) for k in range(max(labels) + 1)] if labels else []
        self.inputs: List[List[Number]] = inputs
        self.targets: List[List[Number]] = targets
        self.labels: Optional[List[int]] = labels
        self.feature_names: List[str] = feature_names
        self.class_names: Optional[List[str]] = list(class_names) if class_names is not None else None
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
        if isinstance(test, bool) or not isinstance(test, (int, float)):
            raise NumberError("split(test=...) takes a fraction in (0, 1) or a count, got %r"
                              % (test,))
        if isinstance(test, float):
            if not 0 < test < 1:
                raise NumberError("split(test=%r): a fraction must be between 0 and 1" % test)
            n_test = int(math.ceil(test * n - 1e-9))
        else:
            n_test = test
        if not 0 < n_test < n:
            raise ShapeError("split(test=%r) of %d samples leaves %d for testing: both parts must "
                             "be non-empty" % (test, n, n_test))
        rng = random.Random(seed)
        if stratify and self.labels is not None:
            groups: dict = {}
            for i, k in enumerate(self.labels):
                groups.setdefault(k, []).append(i)
            keys = sorted(groups)
            share = [len(groups[k]) * n_test / n for k in keys]
            take = [int(s) for s in share]
            rest = n_test - sum(take)
            order = sorted(range(len(keys)), key=lambda j: (-(share[j] - take[j]), j))
            for j in order[:rest]:
                take[j] += 1
            chosen: List[int] = []
            for k, t in zip(keys, take):
                idx = list(groups[k])
                rng.shuffle(idx)
                chosen.extend(idx[:t])
        else:
            idx = list(range(n))
            rng.shuffle(idx)
            chosen = idx[:n_test]
        in_test = set(chosen)
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
            if isinstance(v, float) and num.type is not float:
                return num.convert(repr(v), what)
            return num.convert(v, what)
        ins = [[conv(v, "input of sample %d" % i) for v in x] for i, x in enumerate(self.inputs)]
        tgs = [[conv(v, "target of sample %d" % i) for v in y] for i, y in enumerate(self.targets)]
        d = self._like(ins, tgs, None if self.labels is None else list(self.labels), self.name)
        if self.scaler is not None:
            d.scaler = self.scaler.convert(number)
        return d


def _labels_from_targets(targets: List[List[Any]]) -> Optional[List[int]]:
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


# ---------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------

def _read_table(text: str, source: str, label: Union[str, int, None], number: Any,
                name: str) -> Dataset:
    num = system_for(number)
    reader = csv.reader(io.StringIO(text))
    rows, lines = [], []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)       # the file line where this row ends
    except csv.Error as e:
        raise FormatError("%s, line %d: %s" % (source, reader.line_num, e)) from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise FormatError("%s is empty: a CSV file needs a header row and data rows" % source)
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise FormatError("%s, line 1: column name %s appears more than once" % (source, dup[0]))
    if label is None:
        col = None
    elif isinstance(label, int) and not isinstance(label, bool):
        if not -len(header) <= label < len(header):
            raise NameLookupError("%s has %d columns; label=%d is out of range" % (
                source, len(header), label))
        col = label % len(header)
    elif isinstance(label, str):
        if label not in header:
            raise NameLookupError("%s has no column %r%s; columns: %s" % (
                source, label, suggest(label, header), ", ".join(header)))
        col = header.index(label)
    else:
        raise NameLookupError("label must be a column name, a column index or None, got %r"
                              % (label,))
    feat_cols = [j for j in range(len(header)) if j != col]
    inputs: List[List[Any]] = []
    raw_labels: List[str] = []
    fast = num.type is float
    for r, row in enumerate(rows[1:], start=1):
        where = "%s, line %d (data row %d)" % (source, lines[r], r)
        if not any(c.strip() for c in row):
            raise FormatError("%s: empty row; remove it" % where)
        if len(row) != len(header):
            raise FormatError("%s: %d cells, but the header has %d columns" % (
                where, len(row), len(header)))
        x = []
        for j in feat_cols:
            cell = row[j].strip()
            try:
                if fast:
                    v = float(cell)
                    if not math.isfinite(v):
                        raise ValueError
                else:
                    v = num.convert(cell, "cell")
            except (ValueError, NumberError):
                raise FormatError("%s, column %r: %r is not a finite number; fix or remove that "
                                  "cell" % (where, header[j], row[j])) from None
            x.append(v)
        inputs.append(x)
        if col is not None:
            cell = row[col].strip()
            if not cell:
                raise FormatError("%s, column %r: the label is empty" % (where, header[col]))
            raw_labels.append(cell)
    if not inputs:
        raise FormatError("%s has a header but no data rows" % source)
    feature_names = [header[j] for j in feat_cols]
    if col is None:
        return Dataset(inputs, [[] for _ in inputs], labels=None, feature_names=feature_names,
                       name=name)
    classes = sorted(set(raw_labels))
    try:
        classes.sort(key=lambda s: Fraction(s))
    except (ValueError, ZeroDivisionError):
        pass
    index = {c: k for k, c in enumerate(classes)}
    zero, one = num.zero, num.one
    labels = [index[c] for c in raw_labels]
    targets = [[one if k == j else zero for j in range(len(classes))] for k in labels]
    d = Dataset.__new__(Dataset)
    d.inputs, d.targets, d.labels = inputs, targets, labels
    d.feature_names, d.class_names, d.name = feature_names, classes, name
    return d


def load_csv(path: Any, label: Union[str, int, None] = -1, number: Any = float,
             name: Optional[str] = None) -> Dataset:
    """Read a CSV file with a header row into a :class:`Dataset`.

    *label* names the class column (a header name or an index; default the
    last column; None for no labels).  Classes are numbered in sorted order
    (numerically when every label is a number).  Every other column is a
    feature, parsed from its text into *number* (float, Decimal, Fraction),
    so Decimal and Fraction nets get exactly the values written in the file.
    A bad cell raises :class:`~neurograph.FormatError` naming its line, data row and column.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("a,b,kind\\n0.1,2,cat\\n0.3,x,dog\\n")
    >>> load_csv(path, label="kind")
    Traceback (most recent call last):
    ...
    neurograph.FormatError: t.csv, line 3 (data row 2), column 'b': 'x' is not a finite number; fix or remove that cell
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise FormatError("load_csv(path=%r): give the file's path as a str or a pathlib.Path"
                          % (path,))
    fname = getattr(path, "name", None) or str(path)
    short = str(fname).replace("\\", "/").rsplit("/", 1)[-1]
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:   # -sig: drop a BOM
            text = f.read()
    except OSError as e:
        raise FormatError("cannot read CSV file %s: %s" % (fname, e.strerror or e)) from None
    except UnicodeDecodeError as e:
        raise FormatError("CSV file %s is not UTF-8 text (%s)" % (fname, e)) from None
    return _read_table(text, short, label, number, short.rsplit(".", 1)[0] if name is None else name)


def _bundled(file: str, label: str, number: Any, name: str) -> Dataset:
    text = resources.files("neurograph").joinpath("data", file).read_text("utf-8")
    return _read_table(text, file, label, number, name)


def load_iris(number: Any = float) -> Dataset:
    """Fisher's iris data: 150 flowers, 4 measurements in cm, 3 species (50 each).

    >>> from decimal import Decimal
    >>> load_iris(Decimal).inputs[0]
    [Decimal('5.1'), Decimal('3.5'), Decimal('1.4'), Decimal('0.2')]
    """
    d = _bundled("iris.csv", "species", number, "iris")
    d.class_names = ["setosa", "versicolor", "virginica"]
    return d


def load_digits(number: Any = float) -> Dataset:
    """Handwritten digits: 1,797 images of 8x8 pixels (integers 0..16), classes "0".."9".

    >>> d = load_digits()
    >>> d, d.feature_names[:2], d.class_counts()[:3]
    (Dataset('digits', 1797 samples, 64 features, 10 classes), ['pixel0', 'pixel1'], [178, 182, 177])
    """
    return _bundled("digits.csv", "label", number, "digits")


_LOGIC = {
    "xor": lambda a, b: a != b, "and": lambda a, b: a and b, "or": lambda a, b: a or b,
    "nand": lambda a, b: not (a and b), "nor": lambda a, b: not (a or b),
}


def logic(op: str, number: Any = float) -> Dataset:
    """The four-row truth table of a two-input logic gate, one output (0 or 1).

    >>> [(x, y) for x, y in logic("and")]
    [([0.0, 0.0], [0.0]), ([0.0, 1.0], [0.0]), ([1.0, 0.0], [0.0]), ([1.0, 1.0], [1.0])]
    """
    fn = _LOGIC.get(op.lower() if isinstance(op, str) else op)
    if fn is None:
        raise NameLookupError("unknown logic table %r%s; known: %s" % (
            op, suggest(str(op), _LOGIC), ", ".join(_LOGIC)))
    num = system_for(number)
    zero, one = num.zero, num.one
    inputs, targets = [], []
    for a in (0, 1):
        for b in (0, 1):
            inputs.append([one if a else zero, one if b else zero])
            targets.append([one if fn(a, b) else zero])
    return Dataset(inputs, targets, feature_names=["a", "b"], class_names=["0", "1"],
                   name=op.lower())


def xor(number: Any = float) -> Dataset:
    """The XOR truth table (``logic("xor")``).

    >>> [y[0] for y in xor().targets]
    [0.0, 1.0, 1.0, 0.0]
    """
    return logic("xor", number)


# ---------------------------------------------------------------------------
# Sequence tasks for recurrent nets (generated, seeded)
# ---------------------------------------------------------------------------

Sequences = List[Tuple[List[List[Any]], List[Optional[List[Any]]]]]


def echo(n: int = 32, length: int = 8, delay: int = 1, *, seed: Optional[int] = 0,
         number: Any = float) -> Sequences:
    """*n* random bit sequences of *length* steps; the target at step t is the input bit of
    step t - *delay* (None for the first *delay* steps: nothing to echo yet).

    A list of ``(xs, ys)`` pairs, one per sequence, as :func:`neurograph.fit`
    takes for a recurrent net; an Elman net learns it in seconds.

    >>> xs, ys = echo(1, length=5, delay=2, seed=1)[0]
    >>> [x[0] for x in xs], ys
    ([0.0, 0.0, 1.0, 0.0, 1.0], [None, None, [0.0], [0.0], [1.0]])
    """
    for label, v, low in (("n", n, 1), ("length", length, 1), ("delay", delay, 1)):
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            raise NumberError("echo(%s=%r): give a whole number >= %d" % (label, v, low))
    if length <= delay:
        raise NumberError("echo(length=%d, delay=%d): the sequences must be longer than the "
                          "delay, or no step has a target" % (length, delay))
    num = system_for(number)
    rng = random.Random(seed)
    out: Sequences = []
    for _ in range(n):
        bits = [rng.randint(0, 1) for _ in range(length)]
        xs = [[num.one if b else num.zero] for b in bits]
        ys: List[Optional[List[Any]]] = [None if t < delay else xs[t - delay]
                                         for t in range(length)]
        out.append((xs, ys))
    return out


def binary_addition(n: int = 64, bits: int = 6, *, seed: Optional[int] = 0,
                    number: Any = float) -> Sequences:
    """*n* random additions of two *bits*-bit numbers, least significant bit first: the input
    of step t is bit t of both numbers, the target bit t of their sum (one step more than
    *bits*, for the last carry).  A recurrent net must carry a bit from step to step.

    >>> xs, ys = binary_addition(1, bits=3, seed=6)[0]     # 1 + 7 = 8, written LSB first
    >>> xs, ys
    ([[1.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, 0.0]], [[0.0], [0.0], [0.0], [1.0]])
    """
    for label, v in (("n", n), ("bits", bits)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise NumberError("binary_addition(%s=%r): give a whole number >= 1" % (label, v))
    num = system_for(number)
    rng = random.Random(seed)
    out: Sequences = []
    for _ in range(n):
        a, b = rng.randrange(2 ** bits), rng.randrange(2 ** bits)
        c = a + b
        bit = [num.zero, num.one]
        xs = [[bit[(a >> t) & 1], bit[(b >> t) & 1]] for t in range(bits + 1)]
        ys: List[Optional[List[Any]]] = [[bit[(c >> t) & 1]] for t in range(bits + 1)]
        out.append((xs, ys))
    return out


# ---------------------------------------------------------------------------
# Scaling fitted on the training part
# ---------------------------------------------------------------------------

def _system_of(data: Dataset) -> NumberSystem:
    for x in data.inputs:
        for v in x:
            if isinstance(v, (Decimal, Fraction)):
                return system_for(type(v))
            return system_for(float)
    return system_for(float)


def _finite_result(finite: Any, v: Number, s: Number, c: Number, invert: bool) -> bool:
    """Whether one feature scales to a finite number (False where it overflows)."""
    try:
        return bool(finite(v * c + s if invert else (v - s) / c))
    except ArithmeticError:
        return False


@contextlib.contextmanager
def _overflow_named(fn: str, train: Dataset, what: str, j: int) -> Iterator[None]:
    """Turn a decimal Overflow (or another decimal trap) into a NumericalError naming the feature."""
    try:
        yield
    except DecimalException as e:
        raise NumericalError(
            "%s(): %s of feature %r of Dataset %r is beyond the decimal context (%s, Emax=%d): "
            "the values are too large; scale them down first, or compute inside a "
            "decimal.localcontext() with a larger Emax" % (
                fn, what, train.feature_names[j], train.name, type(e).__name__,
                getcontext().Emax)) from None


def _check(train: Any, rest: Sequence[Any], fn: str) -> None:
    for d in (train,) + tuple(rest):
        if not isinstance(d, Dataset):
            raise NumberError("%s() takes Datasets, got %r" % (fn, d))
        if d.n_features != train.n_features:
            raise ShapeError("%s(): %r has %d features but the training part %r has %d" % (
                fn, d.name, d.n_features, train.name, train.n_features))
    if not len(train):
        raise ShapeError("%s(): the training part is empty" % fn)


_KINDS = {"standardize": ("mean", "std"), "minmax": ("min", "scale")}


class Scaler:
    """A per-feature shift and scale fitted on training data: ``x' = (x - shift) / scale``.

    :func:`standardize` and :func:`minmax` fit one on their first Dataset
    and attach it to every Dataset they return as ``.scaler``; use it to
    scale new samples exactly as the training data was scaled (a sample typed
    in by hand, a test set read later, the input of a saved model).
    ``Scaler.standardize(train)`` and ``Scaler.minmax(train)`` fit one
    without scaling anything.

    * ``apply(data)``: a Dataset (gives a scaled Dataset) or a list of rows
      (gives a list of scaled rows);
    * ``apply_one(x)``: one sample; ``invert_one(x)`` undoes the scaling;
    * ``to_dict()`` / ``Scaler.from_dict(d)``: plain lists for JSON (the
      ``neurograph train`` command saves ``to_dict()`` in a model's metadata).

    ``shift`` and ``scale`` hold one number per feature in the training
    data's number type: the mean and standard deviation for ``standardize``,
    the minimum and ``max - min`` for ``minmax``.  A feature that is constant
    on the training data gets scale 1 (it is only shifted); ``constant``
    lists those features.  Values are converted to the scaler's number type
    first, so a Decimal or Fraction scaler takes exact strings such as ``"5.1"``.

    >>> from fractions import Fraction as F
    >>> train = Dataset([[F(1), F(10)], [F(3), F(10)]], [[1, 0], [0, 1]],
    ...                 feature_names=["size", "flag"])
    >>> sc = Scaler.minmax(train)
    >>> sc
    Scaler('minmax', 2 features: size (x - 1) / 2, flag (x - 10) / 1 [constant])
    >>> sc.apply_one(["2", 12])
    [Fraction(1, 2), Fraction(2, 1)]
    >>> sc.invert_one(sc.apply_one(["2", 12]))
    [Fraction(2, 1), Fraction(12, 1)]
    >>> sc.apply_one([2, 12, 0])
    Traceback (most recent call last):
    ...
    neurograph.ShapeError: the sample has 3 values, but the Scaler('minmax') was fitted on 2 features (size, flag): give one value per feature
    """

    def __init__(self, kind: str, shift: Sequence[Any], scale: Sequence[Any],
                 feature_names: Optional[Sequence[str]] = None, number: Any = float,
                 constant: Sequence[int] = ()) -> None:
        if kind not in _KINDS:
            raise NameLookupError("Scaler kind %r%s: use 'standardize' or 'minmax'" % (
                kind, suggest(str(kind), _KINDS)))
        num = system_for(number)
        shift, scale = list(shift), list(scale)
        if len(shift) != len(scale):
            raise ShapeError("Scaler(%r): %d shifts but %d scales; give one of each per feature"
                             % (kind, len(shift), len(scale)))
        names = (["x%d" % (j + 1) for j in range(len(shift))] if feature_names is None
                 else [str(n) for n in feature_names])
        if len(names) != len(shift):
            raise ShapeError("Scaler(%r): %d feature names for %d features" % (
                kind, len(names), len(shift)))
        what = _KINDS[kind]
        conv_shift = [num.convert(v, "%s of feature %r" % (what[0], n)) for v, n in zip(shift, names)]
        conv_scale = [num.convert(v, "%s of feature %r" % (what[1], n)) for v, n in zip(scale, names)]
        for v, n in zip(conv_scale, names):
            if not v > 0:
                raise NumberError("Scaler(%r): the %s of feature %r is %s; it must be positive "
                                  "(a feature that is constant on the training data gets 1)"
                                  % (kind, what[1], n, v))
        if isinstance(constant, (str, bytes)) or not hasattr(constant, "__iter__"):
            raise ShapeError("Scaler(%r): constant= must be a list of feature indices (possibly "
                             "empty), got %r" % (kind, constant))
        constant = list(constant)
        for j in constant:
            if isinstance(j, bool) or not isinstance(j, int):
                raise NumberError("Scaler(%r): constant= holds %r; it lists feature indices, "
                                  "whole numbers from 0 to %d" % (kind, j, len(names) - 1))
        bad = [j for j in constant if not 0 <= j < len(names)]
        if bad:
            raise ShapeError("Scaler(%r): constant feature index %r is out of range for %d "
                             "features" % (kind, bad[0], len(names)))
        self.kind = kind
        self.shift: List[Number] = conv_shift
        self.scale: List[Number] = conv_scale
        self.feature_names: List[str] = names
        self.constant: List[int] = sorted(set(constant))
        self._num = num

    # -- fitting -------------------------------------------------------------
    @classmethod
    def standardize(cls, train: Dataset) -> "Scaler":
        """Fit the mean and the (population) standard deviation of every feature of *train*.

        Fraction data has no exact square root: this raises
        :class:`~neurograph.NumberError` for it (use :meth:`minmax`).

        >>> Scaler.standardize(Dataset([[1.0], [3.0]], [[1, 0], [0, 1]]))
        Scaler('standardize', 1 feature: x1 (x - 2) / 1)
        """
        _check(train, (), "standardize")
        num = _system_of(train)
        if num.exact:
            raise NumberError("standardize() needs a square root, which Fraction data has no "
                              "exact value for: use ng.datasets.minmax(train, test), or Decimal "
                              "data")
        n = len(train)
        cols = list(zip(*train.inputs))
        means = []
        for j, c in enumerate(cols):
            with _overflow_named("standardize", train, "the mean", j):
                means.append(add_up(c, num.zero) / n)
        stds, constant = [], []
        for j, (c, m) in enumerate(zip(cols, means)):
            with _overflow_named("standardize", train, "the variance", j):
                var = add_up([(v - m) * (v - m) for v in c], num.zero) / n
            sd = num.sqrt(var) if var > 0 else num.zero
            if not sd > 0:
                constant.append(j)
            stds.append(sd if sd > 0 else num.one)
        return cls("standardize", means, stds, train.feature_names, num.type, constant)

    @classmethod
    def minmax(cls, train: Dataset) -> "Scaler":
        """Fit the minimum and the range (``max - min``) of every feature of *train*.

        >>> Scaler.minmax(Dataset([[1.0], [5.0]], [[1, 0], [0, 1]])).apply_one([2.0])
        [0.25]
        """
        _check(train, (), "minmax")
        num = _system_of(train)
        cols = list(zip(*train.inputs))
        lows = [min(c) for c in cols]
        spans = []
        for j, (c, lo) in enumerate(zip(cols, lows)):
            with _overflow_named("minmax", train, "the range (max - min)", j):
                spans.append(max(c) - lo)
        constant = [j for j, sp in enumerate(spans) if not sp > 0]
        spans = [sp if sp > 0 else num.one for sp in spans]
        return cls("minmax", lows, spans, train.feature_names, num.type, constant)

    # -- using it ------------------------------------------------------------
    @property
    def n_features(self) -> int:
        """The number of features the scaler was fitted on."""
        return len(self.shift)

    def _row(self, x: Any, where: str) -> List[Number]:
        if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
            raise ShapeError("%s must be a sequence of %d numbers, got %r" % (
                where, self.n_features, x))
        x = list(x)
        if len(x) != self.n_features:
            raise ShapeError("%s has %d value%s, but the Scaler(%r) was fitted on %s: give one "
                             "value per feature" % (where, len(x), "" if len(x) == 1 else "s",
                                                    self.kind, self._features()))
        conv = self._num.convert
        return [conv(v, "%s, feature %r" % (where, n)) for v, n in zip(x, self.feature_names)]

    def _features(self) -> str:
        names = self.feature_names
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        return "%d feature%s (%s)" % (len(names), "" if len(names) == 1 else "s", shown)

    def _scaled(self, rows: List[List[Number]], where: str, method: str = "apply",
                invert: bool = False) -> List[List[Number]]:
        """``(x - shift) / scale`` of every row (``x * scale + shift`` when *invert*);
        NumericalError naming the row (*where*, with %d for its index) and the feature
        where a result is not finite."""
        shift, scale, finite = self.shift, self.scale, self._num.isfinite
        out = []
        for i, x in enumerate(rows):
            try:
                r = [v * c + s for v, s, c in zip(x, shift, scale)] if invert else [
                    (v - s) / c for v, s, c in zip(x, shift, scale)]
                if all(map(finite, r)):
                    out.append(r)
                    continue
            except ArithmeticError:            # a decimal Overflow
                pass
            j = next(j for j, (v, s, c) in enumerate(zip(x, shift, scale)) if not _finite_result(
                finite, v, s, c, invert))
            formula = "x * scale + shift = %s * %s + %s" if invert else \
                "(x - shift) / scale = (%s - %s) / %s"
            raise NumericalError(
                "Scaler(%r).%s: %s, feature %r: %s is not a finite number: the value is far "
                "outside the data the scaler was fitted on; check that row" % (
                    self.kind, method, where % i if "%d" in where else where,
                    self.feature_names[j], formula % ((x[j], scale[j], shift[j]) if invert
                                                      else (x[j], shift[j], scale[j]))))
        return out

    def apply_one(self, x: Sequence[Any]) -> List[Number]:
        """One sample, scaled: ``(x[j] - shift[j]) / scale[j]`` for every feature *j*.

        >>> sc = Scaler("minmax", [0.0], [1e-300])
        >>> sc.apply_one([1e300])
        Traceback (most recent call last):
        ...
        neurograph.NumericalError: Scaler('minmax').apply_one: the sample, feature 'x1': (x - shift) / scale = (1e+300 - 0.0) / 1e-300 is not a finite number: the value is far outside the data the scaler was fitted on; check that row
        """
        return self._scaled([self._row(x, "the sample")], "the sample", "apply_one")[0]

    def invert_one(self, x: Sequence[Any]) -> List[Number]:
        """Undo :meth:`apply_one`: ``x[j] * scale[j] + shift[j]``.

        >>> import neurograph as ng
        >>> ng.datasets.Scaler("minmax", [1.0], [4.0]).invert_one([0.5])
        [3.0]
        """
        return self._scaled([self._row(x, "the sample")], "the sample", "invert_one", True)[0]

    def apply(self, data: Any) -> Any:
        """Scale a Dataset (a new Dataset, this scaler attached) or a list of rows (new lists).

        >>> sc = Scaler.standardize(Dataset([[1.0], [3.0]], [[1, 0], [0, 1]]))
        >>> sc.apply([[5.0], [2.0]])
        [[3.0], [0.0]]
        >>> sc.apply([[5.0], [2.0, 1.0]])
        Traceback (most recent call last):
        ...
        neurograph.ShapeError: row 1 has 2 values, but the Scaler('standardize') was fitted on 1 feature (x1): give one value per feature
        """
        if isinstance(data, Dataset):
            if data.inputs and data.n_features != self.n_features:
                raise ShapeError("Dataset %r has %d features, but the Scaler(%r) was fitted on %s"
                                 % (data.name, data.n_features, self.kind, self._features()))
            if data.inputs and _system_of(data).type is not self._num.type:
                raise NumberError("Dataset %r holds %s numbers, but the Scaler(%r) was fitted on "
                                  "%s data: convert it first with .convert(%s)" % (
                                      data.name, _system_of(data).name, self.kind,
                                      self._num.name, self._num.name))
            ins = self._scaled(data.inputs, "sample %d of Dataset " + repr(data.name))
            out = data._like(ins, [list(y) for y in data.targets],
                             None if data.labels is None else list(data.labels), data.name)
            out.scaler = self
            return out
        if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
            raise ShapeError("Scaler.apply takes a Dataset or a list of rows, got %r" % (data,))
        rows = [self._row(x, "row %d" % i) for i, x in enumerate(data)]
        return self._scaled(rows, "row %d")

    # -- JSON and display ----------------------------------------------------
    def to_dict(self) -> Dict[str, List[Number]]:
        """``{"mean": [...], "std": [...]}`` (standardize) or ``{"min": [...], "scale": [...]}``.

        >>> import neurograph as ng
        >>> train = ng.datasets.Dataset([[1.0], [5.0]], [[1, 0], [0, 1]])
        >>> ng.datasets.Scaler.minmax(train).to_dict()
        {'min': [1.0], 'scale': [4.0]}
        """
        a, b = _KINDS[self.kind]
        return {a: list(self.shift), b: list(self.scale)}

    @classmethod
    def from_dict(cls, data: Any, feature_names: Optional[Sequence[str]] = None,
                  number: Any = float) -> "Scaler":
        """The Scaler whose :meth:`to_dict` is *data* (for example a model's saved metadata).

        Float values given to a Decimal or Fraction scaler are read through their repr.

        >>> Scaler.from_dict({"mean": [2.0], "std": [0.5]}).apply_one([3])
        [2.0]
        >>> Scaler.from_dict({"mean": [2.0], "std": [0.0]})
        Traceback (most recent call last):
        ...
        neurograph.NumberError: Scaler('standardize'): the std of feature 'x1' is 0.0; it must be positive (a feature that is constant on the training data gets 1)
        """
        if not isinstance(data, dict):
            raise FormatError("Scaler.from_dict needs a dict such as {'mean': [...], 'std': "
                              "[...]}, got %r" % (data,))
        for kind, (a, b) in _KINDS.items():
            if a in data and b in data:
                break
        else:
            raise FormatError("Scaler.from_dict: %r has neither 'mean' and 'std' (standardize) "
                              "nor 'min' and 'scale' (minmax)" % (sorted(data),))
        num = system_for(number)
        lists = []
        for key in (a, b):
            vals = data[key]
            if not isinstance(vals, (list, tuple)):
                raise FormatError("Scaler.from_dict: %r must be a list of numbers, got %r" % (
                    key, vals))
            lists.append([repr(v) if isinstance(v, float) and num.type is not float else v
                          for v in vals])
        return cls(kind, lists[0], lists[1], feature_names, num.type)

    def convert(self, number: Any) -> "Scaler":
        """The same scaler in another number type (floats to Decimal/Fraction via their repr).

        >>> from decimal import Decimal
        >>> import neurograph as ng
        >>> ng.datasets.Scaler("standardize", [0.1], [0.5]).convert(Decimal).shift
        [Decimal('0.1')]
        """
        num = system_for(number)

        def conv(vs: List[Any]) -> List[Any]:
            return [repr(v) if isinstance(v, float) and num.type is not float else v for v in vs]
        return Scaler(self.kind, conv(self.shift), conv(self.scale), self.feature_names, num.type,
                      self.constant)

    def __repr__(self) -> str:
        from .core.arithmetic import number_text
        parts = []
        for j, (n, s, c) in enumerate(zip(self.feature_names, self.shift, self.scale)):
            if j == 3 and self.n_features > 4:
                parts.append("... (%d more)" % (self.n_features - 3))
                break
            parts.append("%s (x - %s) / %s%s" % (n, number_text(s, 6), number_text(c, 6),
                                                 " [constant]" if j in self.constant else ""))
        return "Scaler(%r, %d feature%s: %s)" % (self.kind, self.n_features,
                                                 "" if self.n_features == 1 else "s",
                                                 ", ".join(parts))


def standardize(train: Dataset, *others: Dataset) -> Tuple[Dataset, ...]:
    """Shift and scale every feature to mean 0 and standard deviation 1 *on train*.

    The mean and (population) standard deviation come from *train* alone and
    are applied to it and to every other Dataset given, so no information
    from the test part leaks into training.  A feature that is constant on
    *train* is only shifted.  Returns new Datasets ``(train, *others)``, each
    with the fitted :class:`Scaler` as ``.scaler``: ``train.scaler.apply_one(x)``
    scales a new sample the same way.  Fraction data has no exact square
    root: use :func:`minmax` for it.

    >>> a = Dataset([[1.0], [3.0]], [[1, 0], [0, 1]])
    >>> b = Dataset([[5.0]], [[0, 1]])
    >>> sa, sb = standardize(a, b)
    >>> sa.inputs, sb.inputs
    ([[-1.0], [1.0]], [[3.0]])
    >>> sa.scaler is sb.scaler, sa.scaler.apply_one([2.0]), sa.scaler.to_dict()
    (True, [0.0], {'mean': [2.0], 'std': [1.0]})
    """
    _check(train, others, "standardize")
    scaler = Scaler.standardize(train)
    return tuple(scaler.apply(d) for d in (train,) + tuple(others))


def minmax(train: Dataset, *others: Dataset) -> Tuple[Dataset, ...]:
    """Scale every feature to [0, 1] using the minimum and maximum *on train*.

    Values of the other Datasets may fall outside [0, 1].  A feature that is
    constant on *train* is only shifted.  Exact for Fraction and Decimal data.
    The fitted :class:`Scaler` is attached to every Dataset returned as ``.scaler``.

    >>> from fractions import Fraction as F
    >>> a = Dataset([[F(1)], [F(4)]], [[1, 0], [0, 1]])
    >>> (m,) = minmax(a)
    >>> m.inputs, m.scaler.apply_one(["5/2"])
    ([[Fraction(0, 1)], [Fraction(1, 1)]], [Fraction(1, 2)])
    """
    _check(train, others, "minmax")
    scaler = Scaler.minmax(train)
    return tuple(scaler.apply(d) for d in (train,) + tuple(others))
