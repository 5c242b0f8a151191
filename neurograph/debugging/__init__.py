"""Seeing why each number is what it is: explain, trace, diff, watchpoints, anomalies, gradcheck.

``net.explain("w5")`` writes the chain rule behind one gradient (or one
neuron's ``delta``) with the numbers of the last backward pass filled in, the
way a textbook works it out by hand.  ``net.trace()`` records every quantity
the net computes; :func:`diff` finds the first line where a hand calculation
departs from it.  Watchpoints and hooks run code (or the debugger) as a
chosen neuron is computed, :func:`detect_anomaly` stops at the first NaN
or infinity, naming the neuron, and :func:`gradcheck` compares every
gradient with a central difference.

===================================  ===============================  ==============
name                                 what it is                       module
===================================  ===============================  ==============
``explain(net, name, ...)``          an :class:`Explanation`: str,    ``chain_rule``,
                                     ``.markdown()``, ``.latex()``;   ``in_time``,
                                     ``optimizer=``: the update;      ``updates``,
                                     ``phase=``: a neuron's step      ``steps``
``Explanation``, ``Equation``,       its lines; each printed          ``notation``
``Number``                           number and its source;
                                     ``EQUATIONS``: BP1..BP4
(the pieces, the replay)             ``derivatives``: the pieces of   ``derivatives``,
                                     the chain rule; the walk's       ``recording``,
                                     terms, recorded in a replay;     ``snapshot``
                                     a net's state, put back
``trace(net, ...)``                  a :class:`Trace` (context        ``tracing``
                                     manager) of every quantity;
                                     its rows are ``TraceRow``
``diff(a, b, rtol=, places=)``       a :class:`Diff`: the first       ``differences``
                                     ``Difference`` in reading order
``add_hook(net, fn, on=...)``        ``fn(event, obj)`` for every     ``hooks``
                                     neuron/connection/parameter
``watch(obj, on=, when=, action=)``  a watchpoint; both give a        ``hooks``
                                     :class:`HookHandle`
``remember(net)``                    keep the weights of the last     ``hooks``
                                     backward pass across steps
``detect_anomaly(net=None)``         context manager: NaN/infinity    ``anomaly``
                                     raises NumericalError
``summary(net)``                     a table of layers, neurons and   ``tables``
                                     parameters
``gradcheck(net, x, target)``        a :class:`GradcheckResult` of    ``checking``
                                     ``GradcheckRow`` per parameter
``ExplainMethods``                   ``net.explain``, ``.trace``,     (here)
                                     ``.add_hook``, ``.summary``
                                     and watchpoints, mixed into Net
===================================  ===============================  ==============

Notation (Mazur's): ``net_h1`` is neuron h1's weighted input ``z``, ``out_h1``
its activation ``a``, ``E`` the loss and ``E_o1`` the part of it that flows
through neuron o1.  Every line names the equation it uses (Nielsen's BP1..BP4).
Every number is the walk's (read from the objects, computed by the walk's own
functions, or a term the walk made, recorded in a replay of the pass) or the
optimizer's own account of its update: ``Explanation.numbers()`` says which.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> print(str(ex.net.explain("w5", lr=ex.lr)).splitlines()[-1])
w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480   [update]
>>> [(n.text, n.source[0]) for n in ex.net.explain("h1").numbers()][6]   # a BP2 term
('0.055399425', 'walk')
>>> ng.gradcheck(ex.net, ex.x, ex.y).ok
True
"""

from __future__ import annotations

from typing import Any

from .anomaly import detect_anomaly
from .chain_rule import explain
from .checking import GradcheckResult, GradcheckRow, gradcheck
from .differences import Diff, Difference, diff
from .hooks import HookHandle, add_hook, remember, watch
from .notation import EQUATIONS, Equation, Explanation, Number
from .tables import summary
from .tracing import Trace, TraceRow, trace

__all__ = ["explain", "Explanation", "Equation", "Number", "trace", "Trace", "TraceRow", "diff", "Diff",
           "Difference", "watch", "add_hook", "HookHandle", "detect_anomaly", "remember",
           "summary", "EQUATIONS", "gradcheck", "GradcheckResult", "GradcheckRow",
           "ExplainMethods"]


class ExplainMethods:
    """The methods of a net for explaining and debugging (the public ``Net`` mixes this class in).

    >>> import neurograph as ng
    >>> ng.Net.explain is ng.explain, ng.Net.summary is ng.summary
    (True, True)
    """

    explain = explain
    trace = trace
    add_hook = add_hook
    summary = summary

    def _watch(self, target: Any, on: str, when: Any, action: Any) -> HookHandle:
        return watch(target, on=on, when=when, action=action)
