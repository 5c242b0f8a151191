"""Splitting samples into a training part and a test part (``Dataset.split``).

==================================  ======================================================
name                                what it does
==================================  ======================================================
``_test_count(test, n)``            how many of *n* samples the test part gets
``_test_indices(labels, n, k, s)``  which samples: seeded, stratified when labels are given
==================================  ======================================================

A stratified split gives every class its share of the test part; the
rounding goes to the classes with the largest remainders.

>>> _test_count(0.2, 150), _test_count(7, 150)
(30, 7)
>>> _test_indices([0, 0, 0, 1, 1, 1], 6, 2, seed=0)
[0, 5]
"""

from __future__ import annotations

import math
import random
from typing import Any, Dict, List, Optional, Sequence, Union

from ..core.errors import NumberError, ShapeError

__all__: List[str] = []


def _test_count(test: Union[float, int], n: int) -> int:
    """The size of the test part: ``ceil(test * n)`` for a fraction, *test* for a count."""
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
    return n_test


def _test_indices(labels: Optional[Sequence[int]], n: int, n_test: int,
                  seed: Any) -> List[int]:
    """*n_test* of the sample indices 0..n-1, drawn with ``random.Random(seed)``; with
    *labels*, each class gives its share (largest remainders get the rounding)."""
    rng = random.Random(seed)
    if labels is None:
        idx = list(range(n))
        rng.shuffle(idx)
        return idx[:n_test]
    groups: Dict[int, List[int]] = {}
    for i, k in enumerate(labels):
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
    return chosen
