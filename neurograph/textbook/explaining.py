"""The lines of the right calculation of a quantity, for a report.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``lines(run, quantity)``       ``net.explain``'s lines for a delta, dE/da, gradient or
                               update; the forward pass's sum for a z or an a
=============================  ==========================================================

>>> import neurograph as ng
>>> from neurograph.textbook.passes import Run, parse
>>> print(lines(Run(ng.textbook.mazur()), parse("h1.z"))[0])
net_h1 = 0.35 + 0.15 * 0.05 + 0.2 * 0.1 = 0.3775;  out_h1 = sigmoid(0.3775) = 0.5932699921
"""

from __future__ import annotations

from typing import Any, List

from ..core.arithmetic import number_text
from ..core.errors import NeurographError
from .passes import Quantity, Run

__all__ = ["lines"]


def _n(x: Any) -> str:
    return number_text(x, digits=10) if isinstance(x, float) else number_text(x)


def _forward_line(run: Run, q: Quantity) -> List[str]:
    """``net_n = b + w * a + ... = z;  out_n = f(z) = a`` with the round's numbers."""
    r = run.rounds[q.update - 1]
    t = q.step or 0
    n = run.net[q.obj]
    z, a = r.steps[t][n.name][:2]
    if n.is_input:
        return ["out_%s = %s (an input)" % (n.name, _n(a))]
    parts = [] if n.bias is None else [_n(r.before[n.bias.name])]
    for c in n.delayed_inputs:
        s = t - c.delay
        src = r.steps[s][c.src.name][1] if s >= 0 else (c.src.initial or 0)
        parts.append("%s * %s" % (_n(r.before[c.param.name]), _n(src)))
    for c in n.inputs:
        parts.append("%s * %s" % (_n(r.before[c.param.name]), _n(r.steps[t][c.src.name][1])))
    act = n.activation.name
    f = "%s(z over the group)" % act if n.group is not None else "%s(%s)" % (act, _n(z))
    return ["net_%s = %s = %s;  out_%s = %s = %s" % (n.name, " + ".join(parts), _n(z), n.name,
                                                      f, _n(a))]


def lines(run: Run, q: Quantity) -> List[str]:
    """The lines of the right calculation of quantity *q* of *run*.

    >>> import neurograph as ng
    >>> from neurograph.textbook.passes import Run, parse
    >>> lines(Run(ng.textbook.toy_linear()), parse("loss"))
    ['E = sse(outputs, targets) = 16']
    """
    ex = run.example
    if q.attr in ("z", "a"):
        return _forward_line(run, q)
    r = run.rounds[q.update - 1]
    if q.attr == "loss":
        value = r.loss if q.step is None else r.step_losses[q.step]
        at = "" if q.step is None else " at step %d" % q.step
        return ["E%s = %s(outputs, targets) = %s" % (at, ex.loss, _n(value))]
    net = run.replay(q.update)
    plain = ex.optimizer is not None and ex.optimizer["name"] == "sgd" and \
        not ex.optimizer.get("momentum")
    lr = ex.lr if q.attr == "updated" and plain else None
    try:
        with ex.written(net):
            out = net.explain(q.obj, lr=lr, step=q.step if q.attr in ("delta", "grad_a")
                              else None).lines()
    except NeurographError as e:         # (e.g. sums written down rounded: explain refuses)
        key = "%s.%s" % (q.obj, q.attr) + ("" if q.step is None else "@%d" % q.step)
        out = ["%s = %s   [net.explain: %s]" % (key, _n(run.values[key + (
            "" if q.update == 1 else "#%d" % q.update)]), str(e).split(":")[0])]
    if q.attr == "updated" and not plain:
        name = net[q.obj].param.name
        out.append("%s+ = %s step from %s = %s" % (q.obj, ex.optimizer["name"],
                                                   _n(r.before[name]), _n(r.after[name])))
    return out
