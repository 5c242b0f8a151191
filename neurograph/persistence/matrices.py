"""Weight matrices: a dense layered net as per-layer ``(weights[out][in], biases)`` and back.

``weights[j][k]`` is the weight from neuron k of the layer below to neuron j,
the layout of PyTorch's ``nn.Linear.weight`` and of Nielsen's ``network.py``.

==================================  ===================================================
name                                what it does
==================================  ===================================================
``to_matrices(net)``                per layer ``(weights[out][in], biases)``; a
                                    recurrent net is refused (TopologyError)
``from_matrices(W, b, ...)``        a dense net from such matrices
==================================  ===================================================

>>> import neurograph as ng
>>> ng.textbook.mazur().net.to_matrices()[1]
([[0.4, 0.45], [0.5, 0.55]], [0.6, 0.6])
"""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

from ..core.activations import Activation
from ..core.errors import NameLookupError, ShapeError, TopologyError
from ..core.net import Net

__all__ = ["to_matrices", "from_matrices"]


def to_matrices(net: Net) -> List[Tuple[List[List[Any]], List[Any]]]:
    """Per layer ``(weights, biases)``: ``weights[j][k]`` from neuron k of the layer below to
    neuron j (PyTorch's ``nn.Linear.weight`` layout); a missing bias counts as 0.

    Only for dense layered nets: every neuron of a layer fed by every neuron of the
    layer below and nothing else.  A recurrent net (delayed connections, such as
    ``Net.elman``) is refused: its recurrent weights have no place in these
    matrices, and a net rebuilt from them would compute something else.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([3, 2, 1], seed=0)
    >>> [(len(W), len(W[0]), len(b)) for W, b in net.to_matrices()]
    [(2, 3, 2), (1, 2, 1)]
    >>> ng.Net.elman([1, 2, 1], seed=0).to_matrices()
    Traceback (most recent call last):
    ...
    neurograph.TopologyError: to_matrices exports the layers of a feed-forward net, but this net has 4 delayed (recurrent) connections (h1_1->h1_1, h1_2->h1_1, h1_1->h1_2, ...) that per-layer matrices cannot hold: save the whole net with net.save(path) or net.to_dict(), or read every weight by name with net.values()
    """
    delayed = net._ordered().delayed
    if delayed:
        raise TopologyError(
            "to_matrices exports the layers of a feed-forward net, but this net has %d delayed "
            "(recurrent) connections (%s) that per-layer matrices cannot hold: save the whole "
            "net with net.save(path) or net.to_dict(), or read every weight by name with "
            "net.values()" % (len(delayed), ", ".join(c.name for c in delayed[:3]) + (
                ", ..." if len(delayed) > 3 else "")))
    layers = net.layers
    zero = net.number_system.zero
    out = []
    for L in range(1, len(layers)):
        below = layers[L - 1]
        pos = {n: k for k, n in enumerate(below)}
        W = []
        for n in layers[L]:
            row = [None] * len(below)
            for c in n.inputs:
                k = pos.get(c.src)
                if k is None:
                    raise TopologyError(
                        "to_matrices needs a dense layered net, but connection %r skips from "
                        "layer %d to layer %d: export the weights by name with net.values() "
                        "instead" % (c.name, c.src.layer, L))
                row[k] = c.weight
            if len(n.inputs) != len(below):
                gap = next(m.name for m, w in zip(below, row) if w is None)
                raise TopologyError(
                    "to_matrices needs a dense layered net, but neuron %r of layer %d has no "
                    "connection from %r of layer %d: connect it (weight 0 if need be) or "
                    "export the weights by name with net.values()" % (n.name, L, gap, L - 1))
            W.append(row)
        b = [n.bias.value if n.bias is not None else zero for n in layers[L]]
        out.append((W, b))
    return out


def from_matrices(weights: Sequence[Sequence[Sequence[Any]]], biases: Sequence[Sequence[Any]],
                  activations: Any = "sigmoid", *, number: Any = float, net_class: Any) -> Net:
    """A dense feed-forward net from per-layer weight matrices ``[out][in]`` and bias vectors
    (:func:`to_matrices` refuses recurrent nets, so none is rebuilt without its delays).

    *activations* is one activation for every layer or a list with one per
    layer.  Names follow :meth:`Net.dense`: ``i1..``, ``h<layer>_<k>``, ``o1..``.

    >>> import neurograph as ng
    >>> net = ng.Net.from_matrices([[[1.0, -1.0]], [[2.0]]], [[0.5], [0.0]],
    ...                            activations=["relu", "identity"])
    >>> net.forward([3.0, 1.0])
    [5.0]
    >>> net.to_matrices()
    [([[1.0, -1.0]], [0.5]), ([[2.0]], [0.0])]
    """
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence) or not weights:
        raise ShapeError("weights must be a non-empty list of matrices (one per layer), got %r"
                         % (weights,))
    if isinstance(biases, (str, bytes)) or not isinstance(biases, Sequence) or \
            len(biases) != len(weights):
        raise ShapeError("biases must be a list of %d vectors (one per weight matrix), got %r"
                         % (len(weights), biases if not isinstance(biases, Sequence) else
                            "%d" % len(biases)))
    if isinstance(activations, (str, Activation)):
        acts = [activations] * len(weights)
    else:
        if isinstance(activations, bytes) or not hasattr(activations, "__iter__"):
            raise NameLookupError(
                "from_matrices(activations=%r): give one activation for every layer (a name such "
                "as 'sigmoid' or an ng.Activation) or a list with one per layer" % (activations,))
        acts = list(activations)
        if len(acts) != len(weights):
            raise ShapeError("activations: need one per layer (%d), got %d"
                             % (len(weights), len(acts)))
    sizes = _layer_sizes(weights, biases)
    net = net_class(number=number)
    prev = [net.add_input("i%d" % (k + 1)) for k in range(sizes[0])]
    depth = len(weights)
    for L in range(1, depth + 1):
        layer = []
        for j in range(sizes[L]):
            nm = "o%d" % (j + 1) if L == depth else "h%d_%d" % (L, j + 1)
            n = net.add_neuron(nm, activation=acts[L - 1], bias=biases[L - 1][j])
            for k, src in enumerate(prev):
                net.connect(src, n, weights[L - 1][j][k])
            layer.append(n)
        prev = layer
    return net


def _layer_sizes(weights: Sequence[Sequence[Sequence[Any]]], biases: Sequence[Sequence[Any]]
                 ) -> List[int]:
    """The number of neurons of each layer (inputs first) that the matrices describe, or a
    ShapeError naming the matrix, row or vector that does not fit."""
    sizes = []
    for L, W in enumerate(weights):
        if isinstance(W, (str, bytes)) or not isinstance(W, Sequence) or not W:
            raise ShapeError("weights[%d] must be a non-empty matrix (a list of rows)" % L)
        width = None
        for j, row in enumerate(W):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or not row:
                raise ShapeError("weights[%d][%d] must be a non-empty row of numbers" % (L, j))
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise ShapeError("weights[%d][%d] has %d numbers but row 0 has %d: every row of "
                                 "a matrix has one weight per neuron below" % (L, j, len(row), width))
        if L == 0:
            sizes.append(width)
        elif width != sizes[-1]:
            raise ShapeError("weights[%d] has %d columns but layer %d has %d neurons: weights are "
                             "[out][in]" % (L, width, L, sizes[-1]))
        b = biases[L]
        if isinstance(b, (str, bytes)) or not isinstance(b, Sequence) or len(b) != len(W):
            raise ShapeError("biases[%d] must be a list of %d numbers (one per row of weights[%d])"
                             % (L, len(W), L))
        sizes.append(len(W))
    return sizes
