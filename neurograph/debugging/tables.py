"""A net at a glance: summary.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``summary(net)``                   a table of layers, neurons and parameters, then the totals
=================================  ==================================================

A parameter is counted in the first layer that uses it; a recurrent net gets a
line listing its delayed connections.

>>> import neurograph as ng
>>> print(ng.summary(ng.Net.dense([3, 2, 1], seed=0)))
layer  neurons  activation  parameters  names
0      3        input       0           i1, i2, i3
1      2        sigmoid     8           h1_1, h1_2
2      1        sigmoid     3           o1
total: 6 neurons, 8 connections, 11 parameters (11 trainable, 0 frozen, 0 shared), float
"""

from __future__ import annotations

from typing import Any, Dict, List

from ..core.errors import TopologyError
from ..core.net import Net

__all__ = ["summary"]


def summary(net: Net) -> str:
    """A table of layers, neurons, activations and parameters, then the totals.

    >>> import neurograph as ng
    >>> print(ng.textbook.mazur().net.summary())
    layer  neurons  activation  parameters  names
    0      2        input       0           i1, i2
    1      2        sigmoid     5           h1, h2
    2      2        sigmoid     5           o1, o2
    total: 6 neurons, 8 connections, 10 parameters (8 trainable, 2 frozen, 2 shared), float
    """
    if not isinstance(net, Net):
        raise TopologyError("summary needs a Net, got %r: call net.summary() or "
                            "ng.summary(net)" % (net,))
    layers = net.layers
    per_layer = _parameters_per_layer(layers)
    rows = [("layer", "neurons", "activation", "parameters", "names")]
    for L, ns in enumerate(layers):
        acts = sorted({n.activation.name for n in ns if n.activation is not None}) or ["input"]
        names = ", ".join(n.name for n in ns[:4]) + (", ... (%d more)" % (len(ns) - 4)
                                                     if len(ns) > 4 else "")
        rows.append((str(L), str(len(ns)), "/".join(acts), str(per_layer[L]), names))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
    if net._ordered().delayed:
        lines.append(_recurrent_line(net))
    params = net.parameters()
    frozen = sum(1 for p in params if not p.trainable)
    lines.append("total: %d neurons, %d connections, %d parameters (%d trainable, %d frozen, "
                 "%d shared), %s" % (len(net.neurons), len(net.connections()), len(params),
                                     len(params) - frozen, frozen, len(shared_parameters(net)),
                                     net.number_system.name))
    return "\n".join(lines)


def _parameters_per_layer(layers: List[List[Any]]) -> List[int]:
    """How many parameters each layer holds (each counts in the first layer using it)."""
    first: Dict[Any, int] = {}
    for L, ns in enumerate(layers):
        for n in ns:
            for p in ([n.bias] if n.bias is not None else []) + [
                    c.param for c in n.inputs + n.delayed_inputs]:
                first.setdefault(p, L)
    per_layer = [0] * len(layers)
    for L in first.values():
        per_layer[L] += 1
    return per_layer


def shared_parameters(net: Net) -> Dict[Any, int]:
    """The parameters used more than once (tied weights, shared biases), with their uses."""
    uses: Dict[Any, int] = {}
    for n in net.neurons:
        for c in n.inputs + n.delayed_inputs:
            uses[c.param] = uses.get(c.param, 0) + 1
        if n.bias is not None:
            uses[n.bias] = uses.get(n.bias, 0) + 1
    return {p: k for p, k in uses.items() if k > 1}


def _recurrent_line(net: Net) -> str:
    """The delayed connections of a recurrent net, by delay."""
    delayed = net._ordered().delayed
    by_delay: Dict[int, List[str]] = {}
    for c in delayed:
        by_delay.setdefault(c.delay, []).append(c.name)
    return "recurrent: %d delayed connection%s (%s); run it with forward_sequence" % (
        len(delayed), "" if len(delayed) == 1 else "s", "; ".join(
            "delay %d: %s" % (d, ", ".join(ns[:4]) + (", ..." if len(ns) > 4 else ""))
            for d, ns in sorted(by_delay.items())))
