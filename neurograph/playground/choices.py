"""The data on the page: which data set, its noise, the train/test split, the input features.

A :class:`DataChoice` is one choice of the data controls: the model's own
data (what ``serve`` was given), a 2-D set of :mod:`neurograph.datasets.planar`
(``xor``, ``circle``, ``gaussian``, ``spiral``), or the bundled ``iris`` and
``digits`` (standardized with the training part's mean and deviation).  It
is immutable: a change makes a new one (:meth:`DataChoice.changed`), so a
refused change leaves the old one as it was.  Its samples keep the order of
the data set; a seeded shuffle picks which are for training (*split* percent)
and which for testing.  For 2-D data the net's inputs are *features* of the
point: ``x1``, ``x2``, ``x1^2``, ``x2^2``, ``x1*x2``, ``sin(x1)``, ``sin(x2)``.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``DataChoice``                 kind, noise, split, seed, features; ``samples(num)``
``KINDS``                      the data sets the page offers
``FEATURES``                   the features of a 2-D point
``features_of(p, fs, num)``    the features *fs* of the point *p*, in the number system
=============================  ========================================================

>>> from neurograph.core.arithmetic import FLOAT
>>> d = DataChoice(None, "circle", noise=10, split=75)
>>> s = d.samples(FLOAT)
>>> len(s.train), len(s.test), s.train[0][0] == s.raw[s.train_index[0]][0]
(150, 50, True)
"""

from __future__ import annotations

import math
import random
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ..core.arithmetic import number_text
from ..core.errors import NeurographError
from .errors import ApiError

__all__ = ["DataChoice", "Samples", "KINDS", "FEATURES", "features_of"]

#: The data sets of the page ("own": the model's own data, as ``serve`` got it).
KINDS = ("own", "xor", "circle", "gaussian", "spiral", "iris", "digits")
#: The features of a 2-D point (x1, x2) that can be the net's inputs.
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
#: How many points a 2-D data set has.
POINTS = 200


def features_of(point: Sequence[Any], features: Sequence[str], num: Any) -> List[Any]:
    """The values of *features* for the 2-D *point*, in the number system *num* (a sine is
    taken in floats and converted exactly).

    >>> from neurograph.core.arithmetic import FLOAT
    >>> features_of([0.5, -2.0], ["x1", "x1*x2", "x2^2"], FLOAT)
    [0.5, -1.0, 4.0]
    """
    x1, x2 = point
    out = []
    for f in features:
        if f == "x1":
            out.append(x1)
        elif f == "x2":
            out.append(x2)
        elif f == "x1^2":
            out.append(x1 * x1)
        elif f == "x2^2":
            out.append(x2 * x2)
        elif f == "x1*x2":
            out.append(x1 * x2)
        else:
            v = x1 if f == "sin(x1)" else x2
            out.append(num.from_float(math.sin(float(v))))
    return out


class Samples(NamedTuple):
    """The samples of a DataChoice in one number system: ``raw`` (every sample as the data
    set has it), ``pairs`` (the net's inputs: features for 2-D data), the indices of the
    training and test samples and their pairs."""
    raw: List[Tuple[Any, Any]]
    pairs: List[Tuple[Any, Any]]
    train_index: List[int]
    test_index: List[int]
    train: List[Tuple[Any, Any]]
    test: List[Tuple[Any, Any]]


class DataChoice:
    """One choice of the page's data controls (immutable; :meth:`changed` makes another).

    *own* is the model's own data: a Dataset, a list of ``(x, y)`` pairs (of
    sequences, for a recurrent net) or None.  *noise* (0 to 50) is a
    percentage for the 2-D sets, *split* (1 to 100) the percentage of samples
    for training, *seed* the shuffle's and the 2-D points' seed.

    >>> DataChoice(None, "spiral").describe()["features"]
    ['x1', 'x2']
    """

    def __init__(self, own: Any, kind: str = "own", *, noise: int = 0, split: Optional[int] = None,
                 seed: int = 0, features: Sequence[str] = ("x1", "x2"),
                 sequences: bool = False) -> None:
        self.own, self.kind, self.noise, self.seed = own, kind, noise, seed
        self.features = list(features)
        self.sequences = sequences and kind == "own"
        n_own = len(own) if own is not None else 0
        self.split = split if split is not None else (100 if kind == "own" and n_own < 10 else 80)
        self._cache: Dict[Any, Samples] = {}
        self._set = self._dataset()

    # -- what it is ------------------------------------------------------------
    def _dataset(self) -> Any:
        """The data set in floats (or the own data as it is), for names and shapes."""
        from .. import datasets
        if self.kind == "own":
            return self.own
        if self.kind in datasets.PLANAR:
            return datasets.planar(self.kind, POINTS, self.noise / 100, seed=self.seed)
        return datasets.load_iris() if self.kind == "iris" else datasets.load_digits()

    @property
    def planar(self) -> bool:
        """True for the 2-D point sets, and own data of 2 inputs in classes (such as the XOR
        table): features and heatmaps apply."""
        from ..datasets import PLANAR
        if self.kind != "own":
            return self.kind in PLANAR
        if self.sequences or self._set is None or not len(self._set) or not self.labelled:
            return False
        first = next(iter(self._set))[0]
        return len(first) == 2

    @property
    def labelled(self) -> bool:
        """True when the samples have classes (a Dataset with class names)."""
        return bool(getattr(self._set, "class_names", None))

    @property
    def class_names(self) -> Optional[List[str]]:
        names = getattr(self._set, "class_names", None)
        return list(names) if names else None

    @property
    def labels(self) -> Optional[List[int]]:
        labels = getattr(self._set, "labels", None)
        return list(labels) if labels and self.labelled else None

    def input_names(self) -> List[str]:
        """The names of the net's inputs: the features, or the data set's feature names."""
        if self.planar and self.kind != "own":
            return list(self.features)
        if self.planar and self.features != ["x1", "x2"]:
            return list(self.features)
        names = getattr(self._set, "feature_names", None)
        return list(names) if names else []

    def shape(self) -> Optional[Tuple[int, int]]:
        """(inputs, outputs) a net needs for these samples, or None without samples."""
        if self._set is None or not len(self._set):
            return None
        x, y = next(iter(self._set))
        if self.sequences:
            step = next((t for t in y if t is not None), [None])
            return len(x[0]), len(step)
        n_in = len(self.features) if self.planar else len(x)
        return n_in, len(y)

    def __len__(self) -> int:
        return 0 if self._set is None else len(self._set)

    # -- changing it -----------------------------------------------------------
    def changed(self, body: Dict[str, Any]) -> "DataChoice":
        """A new choice with the changes of *body* (``kind``, ``noise``, ``split``,
        ``regenerate``, ``features``); an :class:`ApiError` (400) for a bad value."""
        kind = body.get("kind", self.kind)
        if kind not in KINDS:
            raise ApiError(400, "no data set %r: use one of %s" % (str(kind)[:40], ", ".join(KINDS)))
        if kind == "own" and self.own is None:
            raise ApiError(400, "this model came with no data of its own: choose one of %s"
                           % ", ".join(KINDS[1:]))
        noise = _whole(body.get("noise", self.noise), "noise", 0, 50)
        split = _whole(body.get("split", self.split), "split", 1, 100)
        regenerate = body.get("regenerate", False)
        if not isinstance(regenerate, bool):
            raise ApiError(400, "regenerate must be true or false, got %r" % (regenerate,))
        features = body.get("features", self.features)
        if not isinstance(features, list) or not features or len(features) > len(FEATURES) or \
                any(f not in FEATURES for f in features) or len(set(features)) != len(features):
            raise ApiError(400, "features must be a list of different names from %s (at least "
                           "one), got %r" % (", ".join(FEATURES), str(features)[:80]))
        order = [f for f in FEATURES if f in features]
        if kind != self.kind and self.kind == "own" and "split" not in body and self.split == 100:
            split = 80
        return DataChoice(self.own, kind, noise=noise, split=split,
                          seed=self.seed + (1 if regenerate else 0), features=order,
                          sequences=self.sequences)

    def checked(self) -> "DataChoice":
        """This choice with every value checked (an ApiError for a bad one): for a choice
        read from a file."""
        return self.changed({})

    # -- its samples -------------------------------------------------------------
    def samples(self, num: Any) -> Samples:
        """The samples in the number system *num* (cached per number type)."""
        key = num.type
        if key not in self._cache:
            self._cache[key] = self._samples(num)
        return self._cache[key]

    def _raw(self, num: Any) -> List[Tuple[Any, Any]]:
        from .. import datasets
        if self.kind == "own":
            return [self._own(num, x, y) for x, y in self.own] if self.own is not None else []
        if self.kind in datasets.PLANAR:
            return list(datasets.planar(self.kind, POINTS, self.noise / 100, seed=self.seed,
                                        number=num.type))
        whole = datasets.load_iris(num.type) if self.kind == "iris" else \
            datasets.load_digits(num.type)
        train, test = self._split(len(whole))
        fitted = datasets.standardize(whole.subset(train), whole)
        return list(fitted[1])

    def _own(self, num: Any, x: Any, y: Any) -> Tuple[Any, Any]:
        """A sample of the own data in the number system *num* (a NumberError if it is not
        one: the playground then has no samples)."""
        if self.sequences:
            return ([num.vector(s, None, "input") for s in x],
                    [None if s is None else num.vector(s, None, "target") for s in y])
        return num.vector(x, None, "input"), num.vector(y, None, "target")

    def _split(self, n: int) -> Tuple[List[int], List[int]]:
        order = list(range(n))
        random.Random(self.seed).shuffle(order)
        k = n if self.split >= 100 else max(1, min(n, round(n * self.split / 100)))
        return sorted(order[:k]), sorted(order[k:])

    def _samples(self, num: Any) -> Samples:
        raw = self._raw(num)
        if self.planar:
            pairs = [(features_of(x, self.features, num), y) for x, y in raw]
        else:
            pairs = raw
        train_i, test_i = self._split(len(raw))
        return Samples(raw, pairs, train_i, test_i, [pairs[i] for i in train_i],
                       [pairs[i] for i in test_i])

    def extent(self, num: Any) -> List[float]:
        """``[x1 low, x1 high, x2 low, x2 high]`` of the plane the heatmaps cover: the points'
        box, widened by a tenth, at least -6..6 for the 2-D sets."""
        raw = self.samples(num).raw
        xs = [float(x[0]) for x, _ in raw] or [0.0]
        ys = [float(x[1]) for x, _ in raw] or [0.0]
        lo = [min(xs), min(ys)]
        hi = [max(xs), max(ys)]
        if self.kind != "own":
            lo, hi = [min(v, -5.5) for v in lo], [max(v, 5.5) for v in hi]
        out = []
        for a, b in zip(lo, hi):
            pad = max(b - a, 0.5) * 0.1
            out += [a - pad, b + pad]
        return [round(v, 3) for v in out]

    def describe(self, num: Any = None) -> Dict[str, Any]:
        """The data part of the page's state."""
        out: Dict[str, Any] = {
            "kind": self.kind, "kinds": [k for k in KINDS if k != "own" or self.own is not None],
            "noise": self.noise, "split": self.split, "seed": self.seed,
            "planar": self.planar, "features": list(self.features) if self.planar else None,
            "feature_choices": list(FEATURES) if self.planar else None,
            "sequences": self.sequences, "classes": self.class_names}
        if num is not None:
            try:
                s = self.samples(num)
            except NeurographError:
                return dict(out, train=0, test=0, points=None, extent=None)
            out["train"], out["test"] = len(s.train), len(s.test)
            out["points"] = self._points(s) if self.planar else None
            out["extent"] = self.extent(num) if self.planar else None
        return out

    def _points(self, s: Samples) -> List[List[Any]]:
        """Each 2-D point for the picture: ``[x1, x2, class, test]`` (x1, x2 as text)."""
        test = set(s.test_index)
        labels = self.labels
        out = []
        for i, (x, y) in enumerate(s.raw):
            label = labels[i] if labels else (1 if float(y[0]) >= 0.5 else 0) if len(y) == 1 \
                else 0
            out.append([number_text(x[0], digits=6), number_text(x[1], digits=6), label,
                        i in test])
        return out


def _whole(v: Any, what: str, low: int, high: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise ApiError(400, "%s must be a whole number from %d to %d, got %r"
                       % (what, low, high, str(v)[:40]))
    return v


def check_data(data: Any) -> None:
    """Raise a NeurographError when *data* cannot be the model's own data."""
    try:
        len(data)
        iter(data)
    except TypeError:
        raise NeurographError("data must be a Dataset or a list of (input, target) pairs, got %r"
                              % (type(data).__name__,)) from None
