"""The net's architecture on the page: its hidden layers, their activations, a new net from them.

The page adds and removes layers and neurons and picks each hidden layer's
activation; each change is a new, seeded net built by ``Net.dense`` (or
``Net.elman`` for a recurrent net, whose hidden layers feed themselves one
step later), with the activation of each hidden layer set on its neurons.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``describe(net)``              hidden sizes, their activations, the output's activation
``build(shape, arch, ...)``    a new net for *shape* = (inputs, outputs) with *arch*
``checked(body, arch)``        the architecture a request asks for (ApiError if bad)
``ACTIVATIONS``                the hidden activations the page offers
``MAX_LAYERS``, ``MAX_WIDTH``  at most this many hidden layers, neurons in one
=============================  ========================================================

>>> import neurograph as ng
>>> arch = describe(ng.Net.dense([2, 4, 3, 1], activation="tanh", output_activation="sigmoid"))
>>> arch
{'hidden': [4, 3], 'activations': ['tanh', 'tanh'], 'output': 'sigmoid', 'recurrent': False}
>>> build((2, 1), dict(arch, hidden=[5], activations=["relu"]), float)
Net(2-5-1: 8 neurons, 15 connections, 21 parameters, float)
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from .errors import ApiError

__all__ = ["describe", "build", "checked", "ACTIVATIONS", "MAX_LAYERS", "MAX_WIDTH"]

#: The activations a hidden layer can have on the page.
ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "elu", "softplus", "identity")
#: At most this many hidden layers, and neurons in one.
MAX_LAYERS = 6
MAX_WIDTH = 64


def _activation(layer: List[Any]) -> str:
    act = layer[0].activation
    return act.name if act is not None else "identity"


def describe(net: Any) -> Dict[str, Any]:
    """The hidden layers of *net* (sizes and activations), its output activation and
    whether it is recurrent (has delayed connections)."""
    layers = net.layers
    hidden = layers[1:-1]
    return {"hidden": [len(layer) for layer in hidden],
            "activations": [_activation(layer) for layer in hidden],
            "output": _activation(layers[-1]) if len(layers) > 1 else "identity",
            "recurrent": any(n.delayed_inputs for n in net.neurons)}


def build(shape: Tuple[int, int], arch: Dict[str, Any], number: Any, seed: int = 0) -> Any:
    """A new net with *shape* ``(inputs, outputs)`` and the hidden layers of *arch*: built by
    ``Net.dense`` (``Net.elman`` when *arch* is recurrent), each hidden layer's activation
    then set on its neurons.

    >>> net = build((1, 1), {"hidden": [3], "activations": ["tanh"], "output": "sigmoid",
    ...                      "recurrent": True}, float)
    >>> [c.name for c in net["h1_1"].delayed_inputs]
    ['h1_1->h1_1', 'h1_2->h1_1', 'h1_3->h1_1']
    """
    from ..net import Net
    sizes = [shape[0]] + list(arch["hidden"]) + [shape[1]]
    acts = list(arch["activations"]) or ["tanh"]
    output = arch.get("output") or "sigmoid"
    if arch.get("recurrent") and len(sizes) >= 3:
        net = Net.elman(sizes, acts[0], output, seed=seed, number=number)
    else:
        net = Net.dense(sizes, acts[0], output, seed=seed, number=number)
    for layer, act in zip(net.layers[1:-1], acts):
        if act != _activation(layer):
            for n in layer:
                n.activation = act
    return net


def _sizes(v: Any) -> List[int]:
    if not isinstance(v, list) or len(v) > MAX_LAYERS or any(
            isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_WIDTH for k in v):
        raise ApiError(400, "hidden must be a list of at most %d layer sizes, each a whole "
                       "number from 1 to %d, got %r" % (MAX_LAYERS, MAX_WIDTH, str(v)[:80]))
    return list(v)


def checked(body: Dict[str, Any], arch: Dict[str, Any]) -> Dict[str, Any]:
    """The architecture *body* asks for (``hidden``: sizes, ``activations``: one name per
    hidden layer, ``output``), starting from *arch*; an ApiError (400) for a bad value.

    >>> checked({"hidden": [4, 4]}, {"hidden": [2], "activations": ["relu"],
    ...                              "output": "sigmoid", "recurrent": False})["activations"]
    ['relu', 'relu']
    >>> checked({"hidden": [0]}, {"hidden": [2], "activations": ["relu"]})
    Traceback (most recent call last):
    ...
    neurograph.playground.errors.ApiError: hidden must be a list of at most 6 layer sizes, each a whole number from 1 to 64, got '[0]'
    """
    hidden = _sizes(body.get("hidden", arch["hidden"]))
    old = list(arch["activations"]) or ["tanh"]
    acts = body.get("activations")
    if acts is None:
        acts = (old + [old[-1]] * len(hidden))[:len(hidden)]
    if not isinstance(acts, list) or len(acts) != len(hidden) or \
            any(a not in ACTIVATIONS for a in acts):
        raise ApiError(400, "activations must be a list of one name per hidden layer (%d), each "
                       "one of %s, got %r" % (len(hidden), ", ".join(ACTIVATIONS),
                                              str(acts)[:80]))
    if arch.get("recurrent") and not hidden:
        raise ApiError(400, "a recurrent net needs at least one hidden layer (its delayed "
                       "connections go from a hidden layer to itself)")
    return dict(arch, hidden=hidden, activations=list(acts))
