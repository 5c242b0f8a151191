"""The layout shared by the SVG and the DOT pictures: what is drawn, in which column.

A net becomes a :class:`_Model`: columns of nodes (one per neuron, or one
dashed node for the neurons of a collapsed layer, or one for a gap of
collapsed layers), the single connections drawn, bundles of the hidden ones,
and the delayed connections.  Both :func:`~neurograph.draw.net_svg` and
:func:`~neurograph.draw.net_dot` draw this model.

================================  ===================================================
name                              what it holds or does
================================  ===================================================
``_net_layers(net)``              neurons by depth (``core.layers.topological_layers``)
``_Node``, ``_Column``            a node of the picture; a column of nodes
``_Model(net, ...)``              columns, single edges, bundles, delayed edges
``_neuron_lines(n, show, d)``     the (label, value) lines written under a neuron
``_edge_lines(c, show, d)``       the (kind, text) lines written on a connection
``_Bias``, ``_shared_biases``     bias Parameters used by several neurons, as nodes
``_output_labels(net, labels)``   ``{output neuron: label}`` from ``output_labels=``
================================  ===================================================

>>> import neurograph as ng
>>> m = _Model(ng.Net.dense([20, 3, 1], seed=0), 12, 12, 600)
>>> [col.title for col in m.columns], m.hidden_neurons, m.columns[0].nodes[6].text
(['layer 0 (inputs)', 'layer 1', 'layer 2'], 9, '+9 more')
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Tuple

from ..core.errors import NameLookupError, ShapeError, StateError, suggest
from ..core.layers import topological_layers
from .text import _as_float, fmt_number

__all__: List[str] = []


def _net_layers(net: Any) -> List[List[Any]]:
    """Neurons by depth (Kahn's algorithm, through :func:`topological_layers`), without
    compiling the net: a neuron nothing feeds yet still gets a column of its own."""
    neurons = list(net.neurons)
    edges = [(c.src, c.dst) for n in neurons for c in n.inputs]
    layer, _ = topological_layers(neurons, edges,
                                  base=lambda n: 1 if not n.is_input and not n.inputs else 0)
    depth = max(layer.values()) if layer else -1
    out: List[List[Any]] = [[] for _ in range(depth + 1)]
    for n in neurons:
        out[layer[n]].append(n)
    return [lay for lay in out if lay] if out else []


class _Node:
    """A node of the picture: a neuron, or a dashed stand-in for collapsed ones."""
    __slots__ = ("id", "neuron", "kind", "count", "col", "row", "x", "y", "text")

    def __init__(self, id: str, neuron: Any, kind: str, count: int = 0) -> None:
        self.id = id
        self.neuron = neuron
        self.kind = kind          # "input", "hidden", "output", "more" (collapsed), "gap" (layers)
        self.count = count
        self.col = self.row = 0
        self.x = self.y = 0.0
        self.text = ""


class _Column:
    """A column of the picture: a layer (or a gap of collapsed layers) and its nodes."""
    __slots__ = ("title", "nodes")

    def __init__(self, title: str) -> None:
        self.title = title
        self.nodes: List[_Node] = []


class _Model:
    """What to draw: columns of nodes, single edges, bundles of hidden edges."""

    def __init__(self, net: Any, max_per_layer: int, max_layers: int, max_edges: int) -> None:
        if max_per_layer < 3 or max_layers < 3 or max_edges < 1:
            raise StateError("max_per_layer and max_layers must be at least 3 and max_edges at "
                             "least 1; got %r, %r, %r" % (max_per_layer, max_layers, max_edges))
        self.layers = _net_layers(net)
        self.columns: List[_Column] = []
        self.node_of: Dict[Any, _Node] = {}
        self.hidden_neurons = 0
        self.hidden_layers = 0
        self._add_columns(net, max_per_layer, max_layers)
        for ci, col in enumerate(self.columns):
            for ri, node in enumerate(col.nodes):
                node.col, node.row = ci, ri
        self._add_edges(net, max_edges)

    def _add_columns(self, net: Any, max_per_layer: int, max_layers: int) -> None:
        """One column per layer; past *max_layers*, the first and last ones around a gap."""
        layers = self.layers
        index = {n: i for i, n in enumerate(net.neurons)}
        if len(layers) > max_layers:
            head = (max_layers - 1) // 2
            tail = max_layers - 1 - head
            shown = list(range(head)) + [None] + list(range(len(layers) - tail, len(layers)))
        else:
            head = tail = 0
            shown = list(range(len(layers)))
        for L in shown:
            if L is None:
                self.columns.append(self._gap_column(head, tail))
            else:
                self.columns.append(self._layer_column(L, index, max_per_layer))

    def _gap_column(self, head: int, tail: int) -> _Column:
        """The column standing for the layers not drawn: one dashed node with their count."""
        layers = self.layers
        gap_layers = layers[head:len(layers) - tail]
        col = _Column("layers %d-%d" % (head, len(layers) - tail - 1))
        count = sum(len(g) for g in gap_layers)
        node = _Node("gap", None, "gap", count)
        node.text = "%s layers" % format(len(gap_layers), ",")
        col.nodes.append(node)
        self.hidden_layers = len(gap_layers)
        for g in gap_layers:
            for n in g:
                self.node_of[n] = node
        return col

    def _layer_column(self, L: int, index: Dict[Any, int], max_per_layer: int) -> _Column:
        """The column of layer *L*: past *max_per_layer* neurons, the first and last ones
        around a dashed node with the count of the others."""
        members = self.layers[L]
        title = "layer %d" % L
        if members and all(n.is_input for n in members):
            title += " (inputs)"
        col = _Column(title)
        if len(members) > max_per_layer:
            keep_head = max_per_layer // 2
            keep_tail = max_per_layer - 1 - keep_head
            head_part = members[:keep_head]
            tail_part = members[len(members) - keep_tail:]
            hidden = members[keep_head:len(members) - keep_tail]
        else:
            head_part, tail_part, hidden = members, [], []
        for n in head_part:
            col.nodes.append(self._neuron_node(n, index[n]))
        if hidden:
            more = _Node("more%d" % L, None, "more", len(hidden))
            more.text = "+%s more" % format(len(hidden), ",")
            col.nodes.append(more)
            self.hidden_neurons += len(hidden)
            for n in hidden:
                self.node_of[n] = more
        for n in tail_part:
            col.nodes.append(self._neuron_node(n, index[n]))
        return col

    def _add_edges(self, net: Any, max_edges: int) -> None:
        """Single edges between visible neurons (the *max_edges* strongest), bundles otherwise,
        and the delayed connections between visible neurons."""
        single = []
        bundles: Dict[Tuple[_Node, _Node], int] = {}
        self.n_edges = 0
        for n in net.neurons:
            d = self.node_of[n]
            for c in n.inputs:
                self.n_edges += 1
                s = self.node_of[c.src]
                if s.neuron is not None and d.neuron is not None:
                    single.append(c)
                elif s is not d:
                    bundles[(s, d)] = bundles.get((s, d), 0) + 1
        self.thinned = 0
        if len(single) > max_edges:
            single.sort(key=lambda c: -abs(_as_float(c.weight))
                        if not math.isnan(_as_float(c.weight)) else 0)
            self.thinned = len(single) - max_edges
            for c in single[max_edges:]:
                key = (self.node_of[c.src], self.node_of[c.dst])
                bundles[key] = bundles.get(key, 0) + 1
            single = single[:max_edges]
        self.edges = single
        # Delayed (recurrent) connections between visible neurons: loops and back-arcs.
        self.delayed = [c for n in net.neurons for c in n.delayed_inputs
                        if self.node_of[c.src].neuron is not None
                        and self.node_of[n].neuron is not None]
        self.n_edges += sum(len(n.delayed_inputs) for n in net.neurons)
        self.bundles = sorted(bundles.items(), key=lambda kv: (kv[0][0].col, kv[0][0].row,
                                                               kv[0][1].col, kv[0][1].row))

    def _neuron_node(self, n: Any, i: int) -> _Node:
        kind = "input" if n.is_input else ("output" if n.is_output else "hidden")
        node = _Node("n%d" % i, n, kind)
        node.text = n.name
        self.node_of[n] = node
        return node


def _neuron_lines(n: Any, show: Tuple[str, ...], digits: int) -> List[Tuple[str, str]]:
    """(label, value) pairs under a neuron, in the order of *show*."""
    lines = []
    for item in show:
        if item in ("a", "z", "delta", "grad_a") and getattr(n, item) is None:
            continue
        if item == "a":
            lines.append(("a", fmt_number(n.a, digits)))
        elif n.is_input:
            continue
        elif item == "z":
            lines.append(("z", fmt_number(n.z, digits)))
        elif item == "delta":
            lines.append(("\u03b4", fmt_number(n.delta, digits)))
        elif item == "grad_a":
            lines.append(("\u2202E/\u2202a", fmt_number(n.grad_a, digits)))
        elif item == "bias" and n.bias is not None:
            b = n.bias
            own = b.name == n.name + ".bias"
            lines.append(("b" if own else b.name, fmt_number(b.value, digits)))
    return lines


def _is_named(c: Any) -> bool:
    """Whether connection *c* has a name of its own (not ``src->dst``)."""
    return c.name != "%s->%s" % (c.src.name, c.dst.name)


def _edge_lines(c: Any, show: Tuple[str, ...], digits: int) -> List[Tuple[str, str]]:
    """(kind, text) lines on a connection: ``"w"`` its weight, ``"g"`` its gradient."""
    lines = []
    if "weight" in show:
        w = fmt_number(c.weight, digits)
        lines.append(("w", "%s = %s" % (c.name, w) if _is_named(c) else w))
    if "grad" in show:
        lines.append(("g", "\u2207 %s" % fmt_number(c.grad, digits)))
    return lines


class _Bias:
    """A shared bias Parameter drawn as a node: its users, its column and place."""
    __slots__ = ("name", "value", "users", "names", "col", "x", "y")

    def __init__(self, name: str, value: Any, users: List[_Node], names: List[str]) -> None:
        self.name, self.value, self.users, self.names = name, value, users, names
        self.col = max(0, min(u.col for u in users) - 1)
        self.x = self.y = 0.0

    def value_text(self, digits: int) -> str:
        return fmt_number(self.value, digits)


def _shared_biases(net: Any, m: _Model) -> List[_Bias]:
    """Bias parameters used by two or more neurons, with the nodes that draw those neurons."""
    users: Dict[str, List[Any]] = {}
    param: Dict[str, Any] = {}
    for n in net.neurons:
        b = None if n.is_input else n.bias
        if b is not None:
            users.setdefault(b.name, []).append(n)
            param[b.name] = b
    out = []
    for name, ns in users.items():
        if len(ns) < 2:
            continue
        nodes: List[_Node] = []
        for n in ns:
            node = m.node_of.get(n)
            if node is not None and node not in nodes:
                nodes.append(node)
        if nodes:
            out.append(_Bias(name, param[name].value, nodes, [n.name for n in ns]))
    out.sort(key=lambda b: (b.col, min(u.row for u in b.users)))
    return out


def _output_labels(net: Any, labels: Any) -> Dict[Any, str]:
    """{output neuron: label} from a list (``net.outputs`` order) or a dict of names."""
    if labels is None:
        return {}
    outs = list(net.outputs)
    if isinstance(labels, dict):
        by_name = {n.name: n for n in outs}
        for k in labels:
            if k not in by_name:
                raise NameLookupError("output_labels: %r is not an output neuron; the outputs "
                                      "are %s%s" % (k, ", ".join(by_name) or "none",
                                                    suggest(str(k), by_name)))
        return {by_name[k]: str(v) for k, v in labels.items()}
    if isinstance(labels, str):
        labels = [labels]
    labels = [str(v) for v in labels]
    if len(labels) != len(outs):
        raise ShapeError("output_labels: %d labels for %d output neurons (%s)" % (
            len(labels), len(outs), ", ".join(n.name for n in outs)))
    return dict(zip(outs, labels))
