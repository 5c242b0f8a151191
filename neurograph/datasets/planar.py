"""Points in the plane in two classes: the classic 2-D data sets of a classroom.

Each function returns a :class:`~neurograph.datasets.Dataset` of *n*
seeded points ``(x1, x2)`` with coordinates from about -5 to 5 (the scale of
TensorFlow Playground, so that ``sin(x1)`` is a useful feature), one target
(0 or 1: a net with one sigmoid output learns it) and two class names.
*noise* (0 to 0.5) moves each point by up to ``5 * noise`` in each direction
after its class is chosen (for the Gaussian clusters it widens them), so
noisy classes overlap; the same *seed* gives the same points.  Coordinates
have four decimal places, taken exactly in a Decimal or Fraction data set
(``number=``).

=================================  ========================================================
name                               what it is
=================================  ========================================================
``circle(n, noise, seed)``         a disc (class 1) inside a ring (class 0)
``quadrants(n, noise, seed)``      the XOR pattern: class 1 where x1 and x2 differ in sign
``gaussian(n, noise, seed)``       two round clusters; more noise, wider clusters
``spiral(n, noise, seed)``         two arms winding around each other
``planar(kind, n, noise, seed)``   one of the above by name: ``PLANAR``
``PLANAR``                         ``("xor", "circle", "gaussian", "spiral")``
``RADIUS``                         5: coordinates lie from about -5 to 5
=================================  ========================================================

>>> import neurograph as ng
>>> d = ng.datasets.circle(6, seed=1)
>>> d, d.class_names, d.labels
(Dataset('circle', 6 samples, 2 features, 2 classes), ['ring', 'disc'], [1, 0, 0, 1, 0, 1])
>>> d.inputs[0], d.targets[0]
([1.9085, -0.0608], [1.0])
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..core.arithmetic import number_text, system_for
from ..core.errors import NameLookupError, NumberError, suggest
from .samples import Dataset

__all__ = ["circle", "quadrants", "gaussian", "spiral", "planar", "PLANAR", "RADIUS"]

#: The kinds :func:`planar` makes ("xor" is :func:`quadrants`).
PLANAR = ("xor", "circle", "gaussian", "spiral")
#: The radius of the data: coordinates lie from about -RADIUS to RADIUS.
RADIUS = 5.0

Point = Tuple[float, float, int]


def _check(kind: str, n: Any, noise: Any) -> float:
    """*noise* as a float, after checking *n* and *noise* (NumberError naming the call)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 100000:
        raise NumberError("%s(n=%r): give a whole number of points from 2 to 100000"
                          % (kind, n))
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or \
            not 0 <= noise <= 0.5:
        raise NumberError("%s(noise=%r): give a number from 0 to 0.5 (the most a point moves "
                          "in each direction)" % (kind, noise))
    return float(noise)


def _make(kind: str, points: List[Point], noise: float, rng: random.Random, number: Any,
          classes: List[str]) -> Dataset:
    """The Dataset of *points* (x1, x2, class), moved by *noise*, in the order shuffled."""
    num = system_for(number)
    rng.shuffle(points)
    inputs, targets, labels = [], [], []
    for x1, x2, label in points:
        if noise:
            x1 += rng.uniform(-noise, noise) * RADIUS
            x2 += rng.uniform(-noise, noise) * RADIUS
        inputs.append([num.convert(number_text(round(v, 4), places=4), "a coordinate")
                       for v in (x1, x2)])
        targets.append([num.one if label else num.zero])
        labels.append(label)
    return Dataset(inputs, targets, labels=labels, feature_names=["x1", "x2"],
                   class_names=classes, name=kind)


def circle(n: int = 200, noise: float = 0.0, *, seed: Optional[int] = 0,
           number: Any = float) -> Dataset:
    """Half the points in a disc of radius 2.5 (class 1, "disc"), half in a ring from 3.5 to
    5 around it (class 0, "ring").

    >>> import neurograph as ng
    >>> d = ng.datasets.circle(200, seed=0)
    >>> d.class_counts(), max(abs(v) for x in d.inputs for v in x) <= 5
    ([100, 100], True)
    """
    noise = _check("circle", n, noise)
    rng = random.Random(seed)
    points: List[Point] = []
    for i in range(n):
        label = int(i < n // 2)
        r = rng.uniform(0, 0.5) if label else rng.uniform(0.7, 1.0)
        r *= RADIUS
        t = rng.uniform(0, 2 * math.pi)
        points.append((r * math.sin(t), r * math.cos(t), label))
    return _make("circle", points, noise, rng, number, ["ring", "disc"])


def quadrants(n: int = 200, noise: float = 0.0, *, seed: Optional[int] = 0,
              number: Any = float) -> Dataset:
    """The XOR pattern in the plane: points in the square -5..5 (kept 0.3 away from the
    axes), class 1 ("differ") where x1 and x2 have opposite signs, class 0 ("same") where
    they have the same sign.

    >>> import neurograph as ng
    >>> d = ng.datasets.quadrants(100, seed=2)
    >>> all((x1 * x2 < 0) == (label == 1) for (x1, x2), label in zip(d.inputs, d.labels))
    True
    """
    noise = _check("quadrants", n, noise)
    rng = random.Random(seed)
    points: List[Point] = []
    for _ in range(n):
        x1, x2 = (rng.uniform(0.3, RADIUS) * rng.choice((-1, 1)) for _ in range(2))
        points.append((x1, x2, int(x1 * x2 < 0)))
    return _make("xor", points, noise, rng, number, ["same", "differ"])


def gaussian(n: int = 200, noise: float = 0.0, *, seed: Optional[int] = 0,
             number: Any = float) -> Dataset:
    """Two round clusters of n/2 points each, around (2, 2) (class 1, "B") and (-2, -2)
    (class 0, "A"), with standard deviation 0.7 + 4 * noise.

    >>> import neurograph as ng
    >>> d = ng.datasets.gaussian(50, noise=0.1, seed=0, number="Decimal")
    >>> d.inputs[0], d.class_counts()
    ([Decimal('-1.8925'), Decimal('-4.2484')], [25, 25])
    """
    noise = _check("gaussian", n, noise)
    rng = random.Random(seed)
    sd = 0.7 + 4 * noise
    points: List[Point] = []
    for i in range(n):
        label = int(i < n // 2)
        c = 2.0 if label else -2.0
        points.append((rng.gauss(c, sd), rng.gauss(c, sd), label))
    return _make("gaussian", points, 0.0, rng, number, ["A", "B"])


def spiral(n: int = 200, noise: float = 0.0, *, seed: Optional[int] = 0,
           number: Any = float) -> Dataset:
    """Two spiral arms of n/2 points each, winding out from the centre to radius 5 in
    1.75 turns, the second arm the first turned by half a circle (classes 0 "arm A" and
    1 "arm B").

    >>> import neurograph as ng
    >>> d = ng.datasets.spiral(200, seed=0)
    >>> d.class_counts(), d.feature_names
    ([100, 100], ['x1', 'x2'])
    """
    noise = _check("spiral", n, noise)
    rng = random.Random(seed)
    points: List[Point] = []
    half = max(1, n // 2)
    for i in range(n):
        label = int(i >= half)
        k = i - half if label else i
        r = RADIUS * k / half
        t = 1.75 * 2 * math.pi * k / half + (math.pi if label else 0.0)
        points.append((r * math.sin(t), r * math.cos(t), label))
    return _make("spiral", points, noise, rng, number, ["arm A", "arm B"])


_KINDS: Dict[str, Callable[..., Dataset]] = {
    "xor": quadrants, "circle": circle, "gaussian": gaussian, "spiral": spiral}


def planar(kind: str, n: int = 200, noise: float = 0.0, *, seed: Optional[int] = 0,
           number: Any = float) -> Dataset:
    """The 2-D data set *kind* (one of :data:`PLANAR`): ``"xor"`` (:func:`quadrants`),
    ``"circle"``, ``"gaussian"`` or ``"spiral"``.

    >>> import neurograph as ng
    >>> ng.datasets.planar("spiral", 20, noise=0.1, seed=3).inputs[:2]
    [[2.3921, -3.1864], [-0.3375, -1.1205]]
    >>> ng.datasets.planar("spirals")
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: no 2-D data set 'spirals' (did you mean 'spiral'?): use one of xor, circle, gaussian, spiral
    """
    make = _KINDS.get(kind) if isinstance(kind, str) else None
    if make is None:
        raise NameLookupError("no 2-D data set %r%s: use one of %s"
                              % (kind, suggest(str(kind), PLANAR), ", ".join(PLANAR)))
    return make(n, noise, seed=seed, number=number)
