"""The equations of one step of the playground's walk, as ``net.explain`` writes them.

Each step of a walk is one neuron's step of a real pass, and
``net.explain(name, phase=...)`` writes exactly that: going forward the
neuron's weighted input with every term (delayed ones too) and its
activation; going back its delta (BP1 or BP2; at a time step of a sequence
with the BP2 terms that come back from the later step), then what it adds to
its bias's gradient (BP3) and to each incoming connection's (BP4).  The
playground computes none of these numbers: every line and number is
explain's.  Each step comes as plain ``lines`` and as ``mathml`` (see
:mod:`neurograph.playground.mathml`).

=================================  ========================================================
name                               what it is
=================================  ========================================================
``step_lines(net, n, phase, t)``   one neuron's step of the walk: its lines and MathML
``explained(e, eqs)``              lines and MathML of some equations of an Explanation
=================================  ========================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x)
>>> step_lines(ex.net, ex.net["o1"], "forward")["lines"][1]
'       = 0.600000000 + 0.400000000 * 0.593269992 + 0.450000000 * 0.596884378'
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from .mathml import explanation_mathml

__all__ = ["step_lines", "explained"]


def explained(e: Any, equations: Optional[Sequence[Any]] = None) -> Tuple[List[str], List[Any]]:
    """The plain lines and the MathML of *equations* of the explanation *e* (all of them,
    with its notes, when None), as ``net.explain`` writes them."""
    from ..debugging import Explanation
    if equations is None:
        return e.lines(), explanation_mathml(e)
    part = Explanation(e.title, e.value, list(equations), [])
    return part.lines(), explanation_mathml(part)


def step_lines(net: Any, n: Any, phase: str, t: Optional[int] = None,
               connections: Sequence[Any] = (), lines: bool = True) -> Dict[str, Any]:
    """The *phase* step of neuron *n* (at time step *t* of a sequence):
    ``net.explain(n.name, phase=phase, step=t)`` as lines and MathML, with the
    connections the step lights (*connections*: those the hook reported with it going
    back; going forward, the neuron's incoming ones) and those its error goes back
    through (``uses``).  With *lines* False only the neuron and its connections (explain
    is not called).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> step = step_lines(ex.net, ex.net["o1"], "backward", connections=[ex.net["w5"]])
    >>> step["connections"], step["lines"][-2]
    (['w5'], 'dE/dw5 += delta_o1 * out_h1 = 0.138498562 * 0.593269992 = 0.082167041   [BP4]')
    """
    text: List[str] = []
    mathml: List[Any] = []
    if lines:
        e = net.explain(n.name, phase=phase) if t is None else \
            net.explain(n.name, phase=phase, step=t)
        text, mathml = explained(e)
    if phase == "forward":
        lit = [c.name for c in list(n.inputs) + list(n.delayed_inputs)]
        uses: List[str] = []
    else:
        lit = [c.name for c in connections if hasattr(c, "src")]
        uses = [c.name for c in list(n.outputs) + list(n.delayed_outputs)]
    return {"neuron": n.name, "time": t, "connections": lit, "uses": uses,
            "bias": n.bias.name if n.bias is not None else None, "lines": text,
            "mathml": mathml}
