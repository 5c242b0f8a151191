"""Check back-propagated gradients against finite differences.

For every parameter ``p``, :func:`gradcheck` compares the gradient that
``backward`` computes with the central difference
``(E(p + eps) - E(p - eps)) / (2 eps)``.  The net is left exactly as it was (every
number, the last pass's loss and targets, a recurrent net's sequence and every step's
history: see :class:`~neurograph.debugging.snapshot.Snapshot`), and its hooks do not see
the probing passes.  A row with an infinite or NaN number (a gradient, a loss, the
difference) never passes.

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
:func:`gradcheck`          compare every parameter's gradient with a central difference
:class:`GradcheckResult`   ``ok``, ``rows``, ``worst``, ``failures()``, ``table()``
:class:`GradcheckRow`      one parameter: name, analytic, numeric, errors, ok
=========================  ==========================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([3, 4, 2], activation="tanh", seed=1)
>>> result = ng.gradcheck(net, [0.1, -0.2, 0.3], [0.0, 1.0])
>>> result.ok
True
>>> len(result.rows) == len(net.parameters())
True

A recurrent net (one with delayed connections) is checked over a sequence:
*x* is one input list per time step and *target* one target list (or None)
per step, as ``forward_sequence`` and ``backward_sequence`` take them; the
gradient checked is that of full back-propagation through time.

>>> rnn = ng.Net.elman([1, 3, 1], seed=2)
>>> ng.gradcheck(rnn, [[0.5], [-1.0], [0.25]], [None, [1.0], [0.0]]).ok
True
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from fractions import Fraction
from operator import attrgetter
from typing import Any, Callable, List, NamedTuple, Optional, Sequence, Tuple

from ..core.arithmetic import number_text
from ..core.errors import NumberError, ShapeError
from ..core.net import Net
from .snapshot import Snapshot, quietly

__all__ = ["gradcheck", "GradcheckResult", "GradcheckRow"]


class GradcheckRow(NamedTuple):
    """One parameter's comparison: backward's gradient, the central difference, their errors.

    In a Fraction net whose loss is quadratic in each parameter (identity
    outputs, half_sse) the central difference is exact, and so is the match:

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", number="Fraction", seed=0)
    >>> net["i1->o1"].weight = "1/2"
    >>> ng.gradcheck(net, ["1/2"], ["1"]).rows[1]
    GradcheckRow(name='i1->o1', analytic=Fraction(-3, 8), numeric=Fraction(-3, 8), abs_error=Fraction(0, 1), rel_error=0.0, ok=True)
    """
    name: str
    analytic: Any
    numeric: Any
    abs_error: Any
    rel_error: float
    ok: bool


class GradcheckResult:
    """The outcome of :func:`gradcheck`: ``ok``, per-parameter ``rows`` and the ``worst`` one.

    It is true when every row passed.

    >>> import neurograph as ng
    >>> result = ng.gradcheck(ng.Net.dense([2, 1], activation="sigmoid", seed=0), [0.5, -0.5], [1.0])
    >>> bool(result), len(result.rows), result.worst.rel_error < 1e-6
    (True, 3, True)
    """

    def __init__(self, rows: List[GradcheckRow], eps: Any, rtol: Any, atol: Any) -> None:
        self.rows = rows
        self.eps, self.rtol, self.atol = eps, rtol, atol
        self.ok = all(r.ok for r in rows)
        self.worst: Optional[GradcheckRow] = max(rows, key=attrgetter("rel_error")) if rows else None

    def __bool__(self) -> bool:
        return self.ok

    def failures(self) -> List[GradcheckRow]:
        """The rows that did not pass (empty when ``ok``).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], activation="tanh", seed=0)
        >>> ng.gradcheck(net, [0.5, -0.5], [1.0]).failures()
        []
        """
        return [r for r in self.rows if not r.ok]

    def __repr__(self) -> str:
        w = self.worst
        if w is None:
            return "GradcheckResult(ok=True, no parameters)"
        return ("GradcheckResult(ok=%s, %d parameters, worst %s: analytic %s vs numeric %s, "
                "relative error %s)" % (self.ok, len(self.rows), w.name, number_text(w.analytic, 10),
                                         number_text(w.numeric, 10), number_text(w.rel_error, 2)))

    def table(self) -> str:
        """A plain-text table, one row per parameter.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> print(ng.gradcheck(net, [2.0], [0.0]).table().splitlines()[0])
        parameter                      analytic            numeric    rel.err  ok
        """
        lines = ["%-20s %18s %18s %10s  %s" % ("parameter", "analytic", "numeric", "rel.err", "ok")]
        for r in self.rows:
            lines.append("%-20s %18s %18s %10s  %s" % (r.name, number_text(r.analytic, 10),
                                                    number_text(r.numeric, 10),
                                                    number_text(r.rel_error, 2),
                                                    "yes" if r.ok else "NO"))
        return "\n".join(lines)


def _steps(x: Any) -> bool:
    """True when *x* is a list of steps (each a list or tuple of input values)."""
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(
        isinstance(step, (list, tuple)) for step in x)


def _defaults(net: Net) -> Tuple[Any, Any, Any]:
    """eps, rtol and atol for the net's number type."""
    t = net.number
    if t is Decimal:
        p = getcontext().prec
        return (Decimal(10) ** -(p // 3), Decimal(10) ** -(p // 2), Decimal(10) ** -(p // 2))
    if t is Fraction:
        return Fraction(1, 10 ** 6), Fraction(1, 10 ** 6), Fraction(1, 10 ** 12)
    return 1e-6, 1e-5, 1e-8


def _settings(net: Net, eps: Any, rtol: Any, atol: Any) -> Tuple[Any, Any, Any]:
    """eps, rtol and atol in the net's numbers (the defaults where None)."""
    d_eps, d_rtol, d_atol = _defaults(net)
    num = net.number_system
    eps = d_eps if eps is None else num.convert(eps, "eps of gradcheck")
    rtol = d_rtol if rtol is None else num.convert(rtol, "rtol of gradcheck")
    atol = d_atol if atol is None else num.convert(atol, "atol of gradcheck")
    if not eps > 0:
        raise NumberError("gradcheck(eps=%s): eps is the step of the central difference "
                          "(E(p + eps) - E(p - eps)) / (2 eps) and must be > 0, e.g. eps=1e-6"
                          % number_text(eps))
    return eps, rtol, atol


def gradcheck(net: Net, x: Sequence[Any], target: Sequence[Any], loss: Any = "half_sse", *,
              eps: Any = None, rtol: Any = None, atol: Any = None) -> GradcheckResult:
    """Compare ``backward``'s gradient of every parameter with central differences.

    A row passes when ``|analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)``.
    Defaults: float eps 1e-6, rtol 1e-5, atol 1e-8; Decimal nets scale them
    with the context precision; Fraction nets use eps 1e-6 exactly.  For a
    recurrent net, or when *x* is a list of input lists, *x* and *target* are
    sequences, one entry per time step (see the module's docstring).

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="sigmoid", seed=0)
    >>> ng.gradcheck(net, [0.5, -0.5], [1.0], loss="binary_cross_entropy").ok
    True
    """
    if not isinstance(net, Net):
        raise ShapeError("gradcheck needs a Net, got %r" % (net,))
    eps, rtol, atol = _settings(net, eps, rtol, atol)
    recurrent = bool(net._ordered().delayed) or _steps(x)
    if recurrent:                        # E: the loss of the sequence, with every gradient
        def E() -> Any:                  # of back-propagation through time added
            net.forward_sequence(x)
            return net.backward_sequence(target, loss)
    else:
        def E() -> Any:
            return net.loss(x, target, loss)
    before = Snapshot(net)               # every number and record, put back at the end
    try:
        with quietly(net):               # (the probes are not the user's passes)
            net.zero_grad()
            if recurrent:
                E()
            else:
                net.forward(x)
                net.backward(target, loss)
            params = net.parameters()
            analytic = [p.grad for p in params]  # (a sequence's E runs backward again)
            rows = [_compare(p, a, E, eps, rtol, atol) for p, a in zip(params, analytic)]
    finally:
        before.restore()
    return GradcheckResult(rows, eps, rtol, atol)


def _compare(p: Any, a: Any, E: Callable[[], Any], eps: Any, rtol: Any,
             atol: Any) -> GradcheckRow:
    """Parameter *p*'s gradient *a* against the central difference of the loss *E*
    (*p*'s value is put back)."""
    two = p.net.number_system.one + p.net.number_system.one
    orig = p.value
    p.value = orig + eps
    up = E()
    p.value = orig - eps
    down = E()
    p.value = orig
    finite = p.net.number_system.isfinite
    try:
        numeric = (up - down) / (two * eps)
        err = abs(a - numeric)
    except ArithmeticError:              # (a Decimal infinity minus itself)
        numeric = err = None
    if err is None or not all(map(finite, (a, up, down, numeric, err))):
        return GradcheckRow(p.name, a, numeric, err, math.inf, False)   # never ok on inf, NaN
    scale = max(abs(a), abs(numeric))
    ok = err <= atol + rtol * scale
    rel = float(err / scale) if scale else 0.0
    return GradcheckRow(p.name, a, numeric, err, rel, bool(ok))
