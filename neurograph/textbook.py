"""Worked examples from textbooks and tutorials, built as nets.

================================  ===========================================
name                              what it is
================================  ===========================================
``mazur(number=float)``           Matt Mazur's 2-2-2 backpropagation example
``from_spec(spec, number=...)``   build a net from a JSON-style description
``load_spec(name)``               the bundled description (a dict)
================================  ===========================================

The Mazur example ("A Step by Step Backpropagation Example", 2015) uses two
inputs, two sigmoid hidden neurons sharing the bias ``b1``, two sigmoid
outputs sharing ``b2``, half squared error and learning rate 0.5; the
biases are not updated.  The bundled description also holds every number the
post prints and 30-digit exact values.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> [round(a, 9) for a in ex.net.forward(ex.x)]
[0.75136507, 0.772928465]
>>> round(ex.net.backward(ex.y, loss="half_sse"), 9)
0.298371109
>>> round(ex.net["w5"].grad, 9)
0.082167041
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict, List, NamedTuple

from .core.errors import FormatError
from .net import Net

__all__ = ["Example", "mazur", "from_spec", "load_spec"]


class Example(NamedTuple):
    """A worked example: the net, one input, its target, the learning rate and the source's numbers.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> ex.x, ex.y, ex.lr
    ([0.05, 0.1], [0.01, 0.99], 0.5)
    >>> ex.spec["source"]["title"]
    'A Step by Step Backpropagation Example'
    """
    net: Net
    x: List[Any]
    y: List[Any]
    lr: Any
    spec: Dict[str, Any]


def load_spec(name: str) -> Dict[str, Any]:
    """The bundled description of a worked example (``"mazur"``).

    >>> import neurograph as ng
    >>> spec = ng.textbook.load_spec("mazur")
    >>> spec["network"]["inputs"], spec["learning_rate"]
    (['i1', 'i2'], '0.5')
    """
    try:
        text = resources.files("neurograph").joinpath("data", name + ".json").read_text("utf-8")
    except FileNotFoundError:
        raise FormatError("no bundled example named %r (known: mazur)" % name) from None
    return json.loads(text)


def from_spec(spec: Dict[str, Any], number: Any = float) -> Net:
    """Build a net from a description like ``load_spec("mazur")``.

    ``network.inputs`` names the inputs; ``network.neurons`` gives each
    neuron's name, activation and bias parameter; ``network.edges`` the
    weights ``w`` from ``src`` to ``dst``; ``parameters`` their values (strings,
    taken exactly); ``frozen`` the parameters that are not trained.

    >>> from decimal import Decimal
    >>> import neurograph as ng
    >>> spec = {"parameters": {"w": "0.5", "b": "1"}, "frozen": ["b"],
    ...         "network": {"inputs": ["x"], "edges": [{"src": "x", "dst": "y", "w": "w"}],
    ...                     "neurons": [{"name": "y", "act": "identity", "bias": "b"}]}}
    >>> net = ng.textbook.from_spec(spec, Decimal)
    >>> net.forward(["4"]), net["b"].trainable
    ([Decimal('3.0')], False)
    """
    net = Net(number=number)
    params = spec["parameters"]
    frozen = set(spec.get("frozen", ()))
    network = spec["network"]
    for name in network["inputs"]:
        net.add_input(name)
    for n in network["neurons"]:
        b = n.get("bias")
        if b is not None and b not in net:
            net.add_parameter(b, params[b], trainable=b not in frozen)
        net.add_neuron(n["name"], activation=n["act"], bias=net[b] if b is not None else None)
    for e in network["edges"]:
        net.connect(e["src"], e["dst"], params[e["w"]], name=e["w"],
                    trainable=e["w"] not in frozen)
    return net


def mazur(number: Any = float) -> Example:
    """Mazur's 2-2-2 example: ``Example(net, x, y, lr, spec)`` in the chosen number type.

    >>> from decimal import Decimal
    >>> ex = mazur(Decimal)
    >>> ex.net["w1"].weight, ex.lr
    (Decimal('0.15'), Decimal('0.5'))
    """
    spec = load_spec("mazur")
    net = from_spec(spec, number)
    num = net.number_system
    x = [num.convert(spec["inputs"][i], "input %s" % i) for i in spec["network"]["inputs"]]
    y = [num.convert(spec["targets"][o], "target %s" % o) for o in spec["network"]["outputs"]]
    return Example(net, x, y, num.convert(spec["learning_rate"], "learning rate"), spec)
