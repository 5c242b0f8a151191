"""Sequence tasks for recurrent nets: generated, seeded lists of ``(xs, ys)`` pairs.

====================================  =========================================================
name                                  what it is
====================================  =========================================================
``echo(n, length, delay)``            bit sequences whose target echoes the input *delay*
                                      steps back
``binary_addition(n, bits)``          sums of two numbers bit by bit, least significant first
``Sequences``                         the type of what they return
====================================  =========================================================

Each pair holds one input list per step (``xs``) and one target list, or
None for a step without a target, per step (``ys``): what
:func:`neurograph.fit` takes for a net with delayed connections.

>>> [len(xs) for xs, ys in echo(3, length=4)]
[4, 4, 4]
"""

from __future__ import annotations

import random
from typing import Any, List, Optional, Tuple

from ..core.arithmetic import system_for
from ..core.errors import NumberError
from ..core.wiring import check_seed

__all__ = ["echo", "binary_addition", "Sequences"]

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
    rng = random.Random(check_seed(seed, "echo"))
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
    rng = random.Random(check_seed(seed, "binary_addition"))
    out: Sequences = []
    for _ in range(n):
        a, b = rng.randrange(2 ** bits), rng.randrange(2 ** bits)
        c = a + b
        bit = [num.zero, num.one]
        xs = [[bit[(a >> t) & 1], bit[(b >> t) & 1]] for t in range(bits + 1)]
        ys: List[Optional[List[Any]]] = [[bit[(c >> t) & 1]] for t in range(bits + 1)]
        out.append((xs, ys))
    return out
