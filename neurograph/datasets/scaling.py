"""Scaling fitted on the training part: ``standardize``, ``minmax`` and their ``Scaler``.

==============================  =============================================================
name                            what it is
==============================  =============================================================
``standardize(train, *rest)``   zero mean, unit variance, fitted on *train* only
``minmax(train, *rest)``        each feature scaled to [0, 1], fitted on *train* only
``Scaler``                      the fitted shift and scale (``.scaler`` of a scaled Dataset):
                                ``apply(rows)``, ``apply_one(x)``, ``invert_one``, ``to_dict``
==============================  =============================================================

The Scaler's work is done in four modules beside this one: fitting
(``scaler_fitting``), applying and inverting (``scaler_rows``), plain lists for
JSON (``scaler_dicts``) and its checks and messages (``scaler_errors``).

>>> from neurograph.datasets import Dataset
>>> (s,) = minmax(Dataset([[2.0], [6.0], [4.0]], [[0], [1], [0]]))
>>> s.inputs, s.scaler
([[0.0], [1.0], [0.5]], Scaler('minmax', 1 feature: x1 (x - 2) / 4))
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.arithmetic import number_text, system_for
from ..core.errors import ShapeError
from .samples import Dataset, _float_as_text
from .scaler_dicts import _from_dict, _to_dict
from .scaler_errors import _checked_settings
from .scaler_fitting import _check, _fit_minmax, _fit_standardize
from .scaler_rows import _apply_dataset, _row, _scaled

__all__ = ["Scaler", "standardize", "minmax"]

Number = Any


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
        num, shift_, scale_, names, constant_ = _checked_settings(
            kind, shift, scale, feature_names, number, constant)
        self.kind = kind
        self.shift: List[Number] = shift_
        self.scale: List[Number] = scale_
        self.feature_names: List[str] = names
        self.constant: List[int] = constant_
        self._num = num

    # -- fitting (scaler_fitting) ----------------------------------------------
    @classmethod
    def standardize(cls, train: Dataset) -> "Scaler":
        """Fit the mean and the (population) standard deviation of every feature of *train*.

        Fraction data has no exact square root: this raises
        :class:`~neurograph.NumberError` for it (use :meth:`minmax`).

        >>> Scaler.standardize(Dataset([[1.0], [3.0]], [[1, 0], [0, 1]]))
        Scaler('standardize', 1 feature: x1 (x - 2) / 1)
        """
        return cls("standardize", *_fit_standardize(train))

    @classmethod
    def minmax(cls, train: Dataset) -> "Scaler":
        """Fit the minimum and the range (``max - min``) of every feature of *train*.

        >>> Scaler.minmax(Dataset([[1.0], [5.0]], [[1, 0], [0, 1]])).apply_one([2.0])
        [0.25]
        """
        return cls("minmax", *_fit_minmax(train))

    # -- applying and inverting (scaler_rows) ----------------------------------
    @property
    def n_features(self) -> int:
        """The number of features the scaler was fitted on."""
        return len(self.shift)

    def apply_one(self, x: Sequence[Any]) -> List[Number]:
        """One sample, scaled: ``(x[j] - shift[j]) / scale[j]`` for every feature *j*.

        >>> sc = Scaler("minmax", [0.0], [1e-300])
        >>> sc.apply_one([1e300])
        Traceback (most recent call last):
        ...
        neurograph.NumericalError: Scaler('minmax').apply_one: the sample, feature 'x1': (x - shift) / scale = (1e+300 - 0.0) / 1e-300 is not a finite number: the value is far outside the data the scaler was fitted on; check that row
        """
        return _scaled(self, [_row(self, x, "the sample")], "the sample", "apply_one")[0]

    def invert_one(self, x: Sequence[Any]) -> List[Number]:
        """Undo :meth:`apply_one`: ``x[j] * scale[j] + shift[j]``.

        >>> import neurograph as ng
        >>> ng.datasets.Scaler("minmax", [1.0], [4.0]).invert_one([0.5])
        [3.0]
        """
        return _scaled(self, [_row(self, x, "the sample")], "the sample", "invert_one", True)[0]

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
            return _apply_dataset(self, data)
        if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
            raise ShapeError("Scaler.apply takes a Dataset or a list of rows, got %r" % (data,))
        rows = [_row(self, x, "row %d" % i) for i, x in enumerate(data)]
        return _scaled(self, rows, "row %d")

    # -- JSON (scaler_dicts) and display ---------------------------------------
    def to_dict(self) -> Dict[str, List[Number]]:
        """``{"mean": [...], "std": [...]}`` (standardize) or ``{"min": [...], "scale": [...]}``.

        >>> import neurograph as ng
        >>> train = ng.datasets.Dataset([[1.0], [5.0]], [[1, 0], [0, 1]])
        >>> ng.datasets.Scaler.minmax(train).to_dict()
        {'min': [1.0], 'scale': [4.0]}
        """
        return _to_dict(self.kind, self.shift, self.scale)

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
        kind, shift, scale = _from_dict(data, number)
        return cls(kind, shift, scale, feature_names, system_for(number).type)

    def convert(self, number: Any) -> "Scaler":
        """The same scaler in another number type (floats to Decimal/Fraction via their repr).

        >>> from decimal import Decimal
        >>> import neurograph as ng
        >>> ng.datasets.Scaler("standardize", [0.1], [0.5]).convert(Decimal).shift
        [Decimal('0.1')]
        """
        num = system_for(number)
        return Scaler(self.kind, [_float_as_text(v, num) for v in self.shift],
                      [_float_as_text(v, num) for v in self.scale], self.feature_names,
                      num.type, self.constant)

    def __repr__(self) -> str:
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
