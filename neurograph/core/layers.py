"""The ordering of a net's neurons into layers: the order the walk visits them in.

A neuron's *layer* is 0 for an input and otherwise 1 + the largest layer
among the neurons feeding it, so every connection goes from a lower layer
to a higher one, whatever the wiring (skip connections, sparse nets).  The
walk visits the neurons layer by layer, in creation order within a layer
(:func:`order_neurons`, Kahn's algorithm: no recursion, so a chain of 100,000
neurons is fine); the backward walk visits the layers from the last to the
first.  Softmax output neurons come last: they form one group,
normalised together, whatever their depth.

The :class:`Order` is derived from the objects and cached by the net until
its wiring changes; it holds neurons and parameters, never numbers.

>>> import neurograph as ng
>>> net = ng.Net()
>>> x = net.add_input("x")
>>> h = net.add_neuron("h")
>>> o = net.add_neuron("o")
>>> _ = net.connect(x, h); _ = net.connect(h, o); _ = net.connect(x, o)   # a skip connection
>>> order = order_neurons(net)
>>> [n.name for n in order.walk], [[n.name for n in layer] for layer in order.layers]
(['h', 'o'], [['x'], ['h'], ['o']])
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from .arithmetic import FLOAT
from .errors import StateError, TopologyError
from .losses import Loss, loss as _get_loss
from .neuron import Connection, Neuron, Parameter

#: The net being ordered (:class:`neurograph.core.net.Net`, a module above this one).
Net = Any

__all__ = ["Order", "order_neurons", "topological_layers"]


class Order:
    """The walk's order of one version of a net's wiring.

    ==============  ==============================================================
    attribute       what it holds
    ==============  ==============================================================
    ``inputs``      the input neurons, in the order ``forward`` takes values
    ``walk``        every other neuron, sources before the neurons they feed
                    (layer by layer, softmax outputs last)
    ``neurons``     ``inputs + walk``
    ``reverse``     the backward pass's order: every neuron after the neurons it
                    feeds (softmax outputs first, then the layers from the last to
                    the first, each in creation order, so a sum ``sum_k w_k
                    delta_k`` adds its terms in the order of the k)
    ``outputs``     the output neurons (no outgoing connections), creation order
    ``layers``      neurons by layer
    ``softmax``     the softmax output neurons: one group, or empty
    ``trainable``   the parameters optimizers update
    ``safe``        a float net of built-in activations: a backward pass with a
                    built-in loss cannot fail half-way, so it keeps no copy of
                    the gradients (unless the loss could overflow)
    ``losses``      the losses bound to these outputs so far (:meth:`bind_loss`)
    ``delayed``     the delayed connections of a recurrent net (empty for a
                    feed-forward one); the ordering ignores them
    ==============  ==============================================================

    >>> import neurograph as ng
    >>> order = ng.core.layers.order_neurons(ng.Net.dense([2, 2, 1], seed=0))
    >>> order
    <Order of 5 neurons in 3 layers>
    >>> [n.name for n in order.walk], [n.name for n in order.reverse]
    (['h1_1', 'h1_2', 'o1'], ['o1', 'h1_1', 'h1_2'])
    """

    __slots__ = ("inputs", "walk", "neurons", "reverse", "outputs", "layers", "softmax",
                 "trainable", "delayed", "version", "safe", "losses", "_completes",
                 "_pasts")

    def __repr__(self) -> str:
        return "<Order of %d neurons in %d layers>" % (
            len(self.inputs) + len(self.walk), len(self.layers))

    def bind_loss(self, num: Any, spec: Any) -> Tuple[Any, Any, Any]:
        """``(loss, value, gradient)``: the loss *spec* for these outputs (which cross-entropy,
        refused where it cannot apply) with its functions in *num*; bound once per order.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], seed=0)
        >>> order = ng.core.layers.order_neurons(net)
        >>> loss, value, gradient = order.bind_loss(net.number_system, "half_sse")
        >>> loss, value([0.75], [0.25]), gradient([0.75], [0.25])
        (<Loss half_sse>, 0.125, [0.5])
        """
        try:
            return self.losses[spec]
        except (KeyError, TypeError):
            pass
        L = _get_loss(spec)
        L.functions(num)                        # a log() in a Fraction net: say that first
        L = L.for_outputs([n.activation for n in self.outputs])
        bound = (L,) + tuple(L.functions(num))
        if isinstance(spec, (str, Loss)) and len(self.losses) < 16:
            self.losses[spec] = bound
        return bound  # type: ignore[return-value]

    def completes(self) -> Dict[Any, List[Union[Connection, Parameter]]]:
        """For each use of a parameter in the backward walk, a neuron (its bias, BP3) or a
        connection (its weight, BP4): the trainable parameters whose gradient is complete
        after it, because it is their last use walking back (the immediate update order).

        >>> import neurograph as ng
        >>> done = ng.core.layers.order_neurons(ng.Net.dense([1, 1], seed=0)).completes()
        >>> [(use.name, [p.name for p in params]) for use, params in done.items()]
        [('o1', ['o1.bias']), ('i1->o1', ['i1->o1'])]
        """
        if self._completes is None:
            last: Dict[Any, Any] = {}
            for neuron in self.reverse:
                if neuron.bias is not None:
                    last[neuron.bias] = neuron
                for c in neuron.inputs:
                    last[c.param] = c         # later in the reverse walk wins: the last use
            out: Dict[Any, List[Union[Connection, Parameter]]] = {}
            for p in self.trainable:
                if p in last:
                    out.setdefault(last[p], []).append(p)
            self._completes = out
        return self._completes

    def immediate(self, opt: Any) -> Callable[[Any], None]:
        """The walk's *after* for the "immediate" update order: each trainable parameter
        stepped by the optimizer *opt* as soon as its gradient is complete (after its last
        use walking back), before the error is passed back through it.  Counts a step.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> after = net._ordered().immediate(ng.SGD(net, lr=0.1))
        >>> callable(after)
        True
        """
        completes = self.completes()
        opt.steps += 1

        def after(use: Any) -> None:          # a neuron after its BP3, a connection after BP4
            done = completes.get(use)
            if done:
                opt.update(done)
        return after


def topological_layers(nodes: Sequence[Any], edges: Sequence[Tuple[Any, Any]],
                       base: Callable[[Any], int] = lambda node: 0
                       ) -> Tuple[Dict[Any, int], Optional[List[int]]]:
    """Kahn's algorithm: each node's layer (``base(node)`` for a node nothing feeds, else 1 +
    the largest layer among the nodes feeding it), and None; or, when *edges* (``(src, dst)``
    pairs) close a cycle, ``(layers so far, the indices of the edges of one cycle in order)``.

    No recursion, so a chain of 100,000 nodes is fine.  The net's order and the model
    file's check (:mod:`neurograph.persistence`, on names) both come here.

    >>> topological_layers("abc", [("a", "b"), ("b", "c"), ("a", "c")])
    ({'a': 0, 'b': 1, 'c': 2}, None)
    >>> topological_layers("abc", [("a", "b"), ("b", "c"), ("c", "b")])[1]   # b -> c -> b
    [1, 2]
    """
    layer = {n: base(n) for n in nodes}
    missing = {n: 0 for n in nodes}
    outs: Dict[Any, List[Any]] = {}
    for s, d in edges:
        missing[d] += 1
        outs.setdefault(s, []).append(d)
    queue = deque(n for n in nodes if missing[n] == 0)
    placed = 0
    while queue:
        n = queue.popleft()
        placed += 1
        below = layer[n] + 1
        for d in outs.get(n, ()):
            if layer[d] < below:
                layer[d] = below
            missing[d] -= 1
            if missing[d] == 0:
                queue.append(d)
    if placed == len(layer):
        return layer, None
    # Walk back along edges between unplaced nodes until a node repeats: that is a cycle.
    into: Dict[Any, int] = {}
    for i, (s, d) in enumerate(edges):
        if missing[s] > 0 and missing[d] > 0:
            into.setdefault(d, i)
    node = next(n for n in nodes if n in into)
    seen: Dict[Any, int] = {}
    path: List[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(into[node])
        node = edges[into[node]][0]
    cycle = path[seen[node]:]
    cycle.reverse()
    return layer, cycle


def order_neurons(net: "Net") -> Order:
    """Check the wiring and put the neurons in walk order (raises TopologyError/StateError).

    >>> import neurograph as ng
    >>> order = ng.core.layers.order_neurons(ng.Net.dense([2, 2, 1], seed=0))
    >>> [[n.name for n in layer] for layer in order.layers]
    [['i1', 'i2'], ['h1_1', 'h1_2'], ['o1']]
    """
    neurons = net.neurons
    if not neurons:
        raise StateError("this net is empty: add inputs with add_input and neurons with "
                         "add_neuron first")
    inputs = [n for n in neurons if n.is_input]
    if not inputs:
        raise StateError("this net has no input neurons: add one with add_input")
    for n in neurons:
        if not n.is_input and not n.inputs and not n.delayed_inputs:
            raise TopologyError("neuron %r has no incoming connections, so no input reaches "
                                "it: connect something into it" % n.name)
    # Delayed connections (from earlier time steps) do not count: a neuron fed by them alone
    # starts layer 1.
    edges = [(c.src, c.dst) for n in neurons for c in n.outputs]
    layer, cycle = topological_layers(neurons, edges, lambda n: 0 if n.is_input or n.inputs else 1)
    if cycle:
        names = [edges[i][0].name for i in cycle] + [edges[cycle[0]][0].name]
        raise TopologyError("the net has a cycle %s: remove a connection to make it "
                            "feed-forward, or give one of the cycle's connections a delay"
                            % " -> ".join(names))
    outputs = [n for n in neurons if not n.is_input and not n.outputs]
    if not outputs:
        raise TopologyError("this net has no output neurons: add a neuron fed by the inputs")
    for n in neurons:
        if n.activation is not None and not n.activation.elementwise and n.outputs:
            raise TopologyError("neuron %r uses %s but is not an output: %s normalises the "
                                "group of output neurons; use another activation for hidden "
                                "neurons" % (n.name, n.activation.name, n.activation.name))
    depth = max(layer.values())
    layers: List[List[Neuron]] = [[] for _ in range(depth + 1)]
    for n in neurons:                 # creation order within each layer
        layers[layer[n]].append(n)
        n._layer = layer[n]
    grouped = {n for n in outputs if not n.activation.elementwise}
    if len(grouped) == 1:
        n = next(iter(grouped))
        raise TopologyError("neuron %r is the only %s output: %s over one neuron is always 1, "
                            "so it cannot learn; give it a sigmoid for a yes/no output, or add "
                            "an output neuron per class" % (n.name, n.activation.name,
                                                           n.activation.name))
    softmax = [n for lay in layers for n in lay if n in grouped]   # in walk order
    for n in neurons:
        n.group = softmax if n in grouped else None
        n.incoming = n.delayed_inputs + n.inputs if n.delayed_inputs else n.inputs
    order = Order()
    order.inputs = inputs
    order.walk = [n for lay in layers[1:] for n in lay if n not in grouped] + [
        n for lay in layers[1:] for n in lay if n in grouped]
    order.neurons = inputs + order.walk
    order.reverse = [n for lay in layers[1:] for n in lay if n in grouped] + [
        n for lay in layers[:0:-1] for n in lay if n not in grouped]
    order.outputs = outputs
    order.layers = layers
    order.softmax = softmax
    order.trainable = [p for p in net.parameters() if p.trainable]
    order.delayed = [c for n in order.walk for c in n.delayed_inputs]
    order.version = net._version
    order.safe = net.number_system is FLOAT and all(n.activation.builtin for n in order.walk)
    order.losses = {}
    order._completes = None
    order._pasts = None
    return order
