"""The numbers of the page's state: every neuron, connection and bias, as exact text.

Numbers go out as exact text (``number_text``): ``repr`` for floats, exact
for Decimal and Fraction; None (JSON null) is a number not known, or not
shown yet.  A recurrent net's neurons are read at one time step
(``neuron.at(t)``).  A *frame* is the same numbers as flat lists in the
order of the state's lists: what the page needs to redraw while training,
without the structure.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``num(v)``                     a number as the API sends it (None stays None)
``net_values(net, ...)``       the neurons, connections and biases of the state
``frame_values(net, ...)``     the same numbers as flat lists
``thin(rows, most)``           at most *most* rows, evenly spaced, the last kept
=============================  ========================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x)
>>> neurons, conns, biases = net_values(ex.net, True, False)
>>> neurons[2]["a"], conns[0]["name"], biases[0]
('0.5932699921071872', 'w1', {'name': 'b1', 'value': '0.35', 'grad': None})
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..core.arithmetic import number_text

__all__ = ["num", "net_values", "frame_values", "thin"]


def num(v: Any) -> Optional[str]:
    """A number as the API sends it: exact text (None stays None, JSON's null)."""
    return None if v is None else number_text(v)


def _at(n: Any, t: Optional[int]) -> Tuple[Any, Any, Any, Any]:
    """(z, a, delta, grad_a) of neuron *n*, at time step *t* when given."""
    if t is None:
        return n.z, n.a, n.delta, n.grad_a
    try:
        v = n.at(t)
    except Exception:
        return None, None, None, None
    return v.z, v.a, v.delta, v.grad_a


def _connections(n: Any) -> List[Any]:
    return list(n.inputs) + list(n.delayed_inputs)


def net_values(net: Any, fwd: bool, bwd: bool, t: Optional[int] = None
               ) -> Tuple[List[Any], List[Any], List[Any]]:
    """The neurons, connections and biases of the state, layer by layer: z and a when
    *fwd*, delta, dE/da and the gradients when *bwd*; a neuron's numbers at time step *t*
    of a sequence when *t* is given.  A delayed connection has its ``delay``."""
    neurons: List[Any] = []
    conns: List[Any] = []
    biases: List[Any] = []
    seen = set()
    for L, layer in enumerate(net.layers):
        for n in layer:
            inp = n.is_input
            b = None if inp else n.bias
            z, a, delta, grad_a = _at(n, t)
            neurons.append({
                "name": n.name, "layer": L, "input": inp,
                "output": not inp and not n.outputs,
                "activation": None if inp else n.activation.name,
                "z": num(z) if fwd and not inp else None,
                "a": num(a) if fwd else None,
                "delta": num(delta) if bwd and not inp else None,
                "grad_a": num(grad_a) if bwd and not inp else None,
                "bias": None if b is None else b.name})
            if b is not None and b.name not in seen:
                seen.add(b.name)
                biases.append({"name": b.name, "value": num(b.value),
                               "grad": num(b.grad) if bwd else None})
            for c in _connections(n):
                conns.append({"name": c.name, "src": c.src.name, "dst": c.dst.name,
                              "weight": num(c.weight), "grad": num(c.grad) if bwd else None})
                if c.delay:
                    conns[-1]["delay"] = c.delay          # (a delayed connection only)
    return neurons, conns, biases


def frame_values(net: Any, fwd: bool, t: Optional[int] = None) -> Dict[str, List[Any]]:
    """The numbers that change while training, as flat lists in the state's order: the
    weights, the biases' values, and each neuron's z and a (when *fwd*)."""
    weights, biases, zs, activations = [], [], [], []
    seen = set()
    for layer in net.layers:
        for n in layer:
            z, a = _at(n, t)[:2] if fwd else (None, None)
            zs.append(None if n.is_input else num(z))
            activations.append(num(a))
            b = n.bias
            if b is not None and b.name not in seen:
                seen.add(b.name)
                biases.append(num(b.value))
            for c in _connections(n):
                weights.append(num(c.weight))
    return {"weights": weights, "biases": biases, "z": zs, "a": activations}


def thin(rows: List[Any], most: int) -> List[Any]:
    """At most *most* of *rows*, evenly spaced, always with the last.

    >>> thin(list(range(10)), 4)
    [0, 3, 6, 9]
    """
    n = len(rows)
    if n <= most:
        return list(rows)
    step = (n - 1) / (most - 1)
    return [rows[round(i * step)] for i in range(most)]
