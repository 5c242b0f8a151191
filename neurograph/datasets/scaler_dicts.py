"""A Scaler as plain lists and back: what ``Scaler.to_dict`` gives and ``from_dict`` reads.

==============================  ==============================================================
name                            what it does
==============================  ==============================================================
``_KINDS``                      each kind's names for its shift and scale: ``mean``/``std``,
                                ``min``/``scale``
``_to_dict(kind, shift, ...)``  ``{"mean": [...], "std": [...]}`` or ``{"min": [...], ...}``
``_from_dict(data, number)``    the kind and the two lists of such a dict, checked
==============================  ==============================================================

Floats read into a Decimal or Fraction scaler are taken through their repr
(the shortest text that reads back as that float).

>>> _to_dict("minmax", [1.0], [4.0])
{'min': [1.0], 'scale': [4.0]}
>>> _from_dict({"mean": [0.1], "std": [2.0]}, "Decimal")
('standardize', ['0.1'], ['2.0'])
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from ..core.arithmetic import system_for
from ..core.errors import FormatError
from .samples import _float_as_text

__all__: List[str] = []

_KINDS = {"standardize": ("mean", "std"), "minmax": ("min", "scale")}


def _to_dict(kind: str, shift: Sequence[Any], scale: Sequence[Any]) -> Dict[str, List[Any]]:
    """The settings of a Scaler of *kind* under their names (copies of the lists)."""
    a, b = _KINDS[kind]
    return {a: list(shift), b: list(scale)}


def _from_dict(data: Any, number: Any) -> Tuple[str, List[Any], List[Any]]:
    """``(kind, shift, scale)`` of a dict made by :func:`_to_dict`, or a FormatError."""
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
        lists.append([_float_as_text(v, num) for v in vals])
    return kind, lists[0], lists[1]
