"""Applying a Scaler to rows and Datasets, and undoing it.

=================================  =============================================================
name                               what it does
=================================  =============================================================
``_row(scaler, x, where)``         one sample as a list in the scaler's number type, checked
``_scaled(scaler, rows, ...)``     ``(x - shift) / scale`` of every row (or
                                   ``x * scale + shift``), each result finite
``_apply_dataset(scaler, data)``   a new Dataset with scaled inputs and the scaler attached
=================================  =============================================================

>>> from neurograph.datasets import Scaler
>>> sc = Scaler("minmax", [1.0], [4.0])
>>> _scaled(sc, [[3.0], [5.0]], "row %d"), _scaled(sc, [[0.5]], "row %d", invert=True)
([[0.5], [1.0]], [[3.0]])
"""

from __future__ import annotations

from typing import Any, List

from ..core.errors import NumberError, ShapeError
from .samples import Dataset
from .scaler_errors import _features, _not_finite
from .scaler_fitting import _system_of

__all__: List[str] = []


def _row(scaler: Any, x: Any, where: str) -> List[Any]:
    """Sample *x* (named by *where*) converted to the scaler's number type, one value per
    feature."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        raise ShapeError("%s must be a sequence of %d numbers, got %r" % (
            where, scaler.n_features, x))
    x = list(x)
    if len(x) != scaler.n_features:
        raise ShapeError("%s has %d value%s, but the Scaler(%r) was fitted on %s: give one "
                         "value per feature" % (where, len(x), "" if len(x) == 1 else "s",
                                                scaler.kind, _features(scaler)))
    conv = scaler._num.convert
    return [conv(v, "%s, feature %r" % (where, n)) for v, n in zip(x, scaler.feature_names)]


def _scaled(scaler: Any, rows: List[List[Any]], where: str, method: str = "apply",
            invert: bool = False) -> List[List[Any]]:
    """``(x - shift) / scale`` of every row (``x * scale + shift`` when *invert*);
    NumericalError naming the row (*where*, with %d for its index) and the feature
    where a result is not finite."""
    shift, scale, finite = scaler.shift, scaler.scale, scaler._num.isfinite
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
        raise _not_finite(scaler, x, where % i if "%d" in where else where, method, invert)
    return out


def _apply_dataset(scaler: Any, data: Dataset) -> Dataset:
    """*data* with scaled inputs (targets and labels copied) and ``.scaler`` set to *scaler*."""
    if data.inputs and data.n_features != scaler.n_features:
        raise ShapeError("Dataset %r has %d features, but the Scaler(%r) was fitted on %s"
                         % (data.name, data.n_features, scaler.kind, _features(scaler)))
    if data.inputs and _system_of(data).type is not scaler._num.type:
        raise NumberError("Dataset %r holds %s numbers, but the Scaler(%r) was fitted on "
                          "%s data: convert it first with .convert(%s)" % (
                              data.name, _system_of(data).name, scaler.kind,
                              scaler._num.name, scaler._num.name))
    ins = _scaled(scaler, data.inputs, "sample %d of Dataset " + repr(data.name))
    out = data._like(ins, [list(y) for y in data.targets],
                     None if data.labels is None else list(data.labels), data.name)
    out.scaler = scaler
    return out
