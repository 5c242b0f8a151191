"""What a Scaler refuses, and how it says so.

===================================  ===========================================================
name                                 what it does
===================================  ===========================================================
``_checked_settings(kind, ...)``     the settings of ``Scaler(...)``, converted and checked
``_not_finite(scaler, x, ...)``      the NumericalError for a row that scales to inf or NaN
``_features(scaler)``                "2 features (size, flag)", as the messages name them
===================================  ===========================================================

Every message names the scaler's kind, the feature and what to do.

>>> from neurograph.datasets import Scaler
>>> Scaler("minmax", [0.0], [0.0])
Traceback (most recent call last):
...
neurograph.NumberError: Scaler('minmax'): the scale of feature 'x1' is 0.0; it must be positive (a feature that is constant on the training data gets 1)
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from ..core.arithmetic import NumberSystem, number_text, system_for
from ..core.errors import NameLookupError, NumberError, NumericalError, ShapeError, suggest
from .scaler_dicts import _KINDS

__all__: List[str] = []

Settings = Tuple[NumberSystem, List[Any], List[Any], List[str], List[int]]


def _checked_settings(kind: Any, shift: Sequence[Any], scale: Sequence[Any],
                      feature_names: Optional[Sequence[str]], number: Any,
                      constant: Any) -> Settings:
    """``(num, shift, scale, names, constant)``: the arguments of ``Scaler(...)`` in the
    number system *number*, each checked (positive scales, constant features in range)."""
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
                              % (kind, what[1], n, number_text(v)))
    return num, conv_shift, conv_scale, names, _constant(kind, constant, len(names))


def _constant(kind: str, constant: Any, n: int) -> List[int]:
    """The indices of the constant features, sorted, each once, or a NeurographError."""
    if isinstance(constant, (str, bytes)) or not hasattr(constant, "__iter__"):
        raise ShapeError("Scaler(%r): constant= must be a list of feature indices (possibly "
                         "empty), got %r" % (kind, constant))
    constant = list(constant)
    for j in constant:
        if isinstance(j, bool) or not isinstance(j, int):
            raise NumberError("Scaler(%r): constant= holds %r; it lists feature indices, "
                              "whole numbers from 0 to %d" % (kind, j, n - 1))
    bad = [j for j in constant if not 0 <= j < n]
    if bad:
        raise ShapeError("Scaler(%r): constant feature index %r is out of range for %d "
                         "features" % (kind, bad[0], n))
    return sorted(set(constant))


def _features(scaler: Any) -> str:
    """The scaler's features as messages name them: their count and the first six names."""
    names = scaler.feature_names
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return "%d feature%s (%s)" % (len(names), "" if len(names) == 1 else "s", shown)


def _finite_result(finite: Any, v: Any, s: Any, c: Any, invert: bool) -> bool:
    """Whether one feature scales to a finite number (False where it overflows)."""
    try:
        return bool(finite(v * c + s if invert else (v - s) / c))
    except ArithmeticError:
        return False


def _not_finite(scaler: Any, x: Sequence[Any], where: str, method: str,
                invert: bool) -> NumericalError:
    """The error for row *x* (named by *where*), whose scaled value of some feature is not
    finite: it names that feature and writes out the formula with its numbers."""
    shift, scale = scaler.shift, scaler.scale
    finite = scaler._num.isfinite
    j = next(j for j, (v, s, c) in enumerate(zip(x, shift, scale)) if not _finite_result(
        finite, v, s, c, invert))
    if invert:
        formula = "x * scale + shift = %s * %s + %s" % tuple(
            map(number_text, (x[j], scale[j], shift[j])))
    else:
        formula = "(x - shift) / scale = (%s - %s) / %s" % tuple(
            map(number_text, (x[j], shift[j], scale[j])))
    return NumericalError(
        "Scaler(%r).%s: %s, feature %r: %s is not a finite number: the value is far "
        "outside the data the scaler was fitted on; check that row" % (
            scaler.kind, method, where, scaler.feature_names[j], formula))
