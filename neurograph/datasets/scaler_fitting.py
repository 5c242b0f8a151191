"""Fitting a Scaler: the per-feature shift and scale measured on the training part.

==================================  ========================================================
name                                what it does
==================================  ========================================================
``_fit_standardize(train)``         the mean and (population) standard deviation of each
                                    feature
``_fit_minmax(train)``              the minimum and the range (``max - min``) of each feature
``_check(train, rest, fn)``         Datasets with the same features, a non-empty first one
``_system_of(data)``                the number system of a Dataset's values
==================================  ========================================================

A feature that is constant on the training part gets scale 1 (it is only
shifted) and is listed as constant.  Sums are added left to right
(:func:`~neurograph.core.arithmetic.add_up`), so the same data gives the same
bits everywhere.

>>> from neurograph.datasets import Dataset
>>> shift, scale, names, number, constant = _fit_minmax(Dataset([[1.0, 7.0], [3.0, 7.0]], [[0], [1]]))
>>> shift, scale, constant
([1.0, 7.0], [2.0, 1.0], [1])
"""

from __future__ import annotations

import contextlib
from decimal import Decimal, DecimalException, getcontext
from fractions import Fraction
from typing import Any, Iterator, List, Sequence, Tuple

from ..core.arithmetic import NumberSystem, add_up, system_for
from ..core.errors import NumberError, NumericalError, ShapeError
from .samples import Dataset

__all__: List[str] = []

#: what a fitting gives: shifts, scales, feature names, number type, constant features
Fitted = Tuple[List[Any], List[Any], List[str], type, List[int]]


def _system_of(data: Dataset) -> NumberSystem:
    """The number system of *data*'s first value (float for an empty Dataset)."""
    for x in data.inputs:
        for v in x:
            if isinstance(v, (Decimal, Fraction)):
                return system_for(type(v))
            return system_for(float)
    return system_for(float)


def _check(train: Any, rest: Sequence[Any], fn: str) -> None:
    """Every argument of *fn* a Dataset with *train*'s number of features; *train* not empty."""
    for d in (train,) + tuple(rest):
        if not isinstance(d, Dataset):
            raise NumberError("%s() takes Datasets, got %r" % (fn, d))
        if d.n_features != train.n_features:
            raise ShapeError("%s(): %r has %d features but the training part %r has %d" % (
                fn, d.name, d.n_features, train.name, train.n_features))
    if not len(train):
        raise ShapeError("%s(): the training part is empty" % fn)


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


def _fit_standardize(train: Dataset) -> Fitted:
    """The mean and the population standard deviation of every feature of *train*."""
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
    return means, stds, train.feature_names, num.type, constant


def _fit_minmax(train: Dataset) -> Fitted:
    """The minimum and the range (``max - min``) of every feature of *train*."""
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
    return lows, spans, train.feature_names, num.type, constant
