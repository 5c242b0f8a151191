"""The checks that keep a net's wiring sound: names, connections, biases, cycles.

``Net`` calls these while it builds (``add_neuron``, ``connect``, ``neuron.bias =``);
each refuses what would break the net before anything is changed, with a
message that names the objects and the fix.

==================================  ===============================================
name                                what it checks or does
==================================  ===============================================
``check_name(name, what)``          a usable name (a non-empty string without ``->``)
``kind(obj)``                       how a message names a neuron, connection or parameter
``neuron_of(net, n, role)``         the neuron *n* (object or name) connect takes
``check_connection(net, s, d, ...)``  a connection s -> d connect can make
``check_not_connected(...)``        no second connection s -> d with the same delay
``check_acyclic(s, d)``             s -> d closes no cycle (a feed-forward net)
``give_bias(net, neuron, spec)``    a neuron's bias: a number, a shared Parameter or None
``check_seed(seed, where)``         a seed ``random.Random`` takes (Net, fit, split)
==================================  ===============================================
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Dict, Optional

from .errors import DuplicateNameError, NameLookupError, NumberError, TopologyError, suggest
from .neuron import Connection, Neuron, Parameter

__all__ = ["check_name", "kind", "neuron_of", "check_connection", "check_not_connected",
           "check_acyclic", "give_bias", "check_seed"]

Net = Any    # (neurograph.core.net.Net, the module above this one)


def check_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise NameLookupError("a %s name must be a non-empty string, got %r" % (what, name))
    if "->" in name:
        raise NameLookupError("%s name %r contains '->', which is reserved for connection "
                              "names like 'h1->o1'" % (what, name))
    return name


def kind(obj: Any) -> str:
    if isinstance(obj, Neuron):
        return "input neuron %r" % obj.name if obj.is_input else "neuron %r" % obj.name
    if isinstance(obj, Connection):
        return "connection %r" % obj.name
    return "parameter %r" % obj.name


def neuron_of(net: Net, n: Any, role: str) -> Neuron:
    """The neuron *n* (a Neuron of *net* or its name) that connect takes as its *role*."""
    if isinstance(n, str):
        obj = net._names.get(n)
        if not isinstance(obj, Neuron):
            raise NameLookupError("no neuron named %r (the %s of connect)%s" % (
                n, role, suggest(n, [m.name for m in net._neurons])))
        return obj
    if not isinstance(n, Neuron):
        raise TopologyError("the %s of connect must be a Neuron or a neuron name, got %r"
                            % (role, n))
    if n._net is not net:
        raise TopologyError("neuron %r belongs to another net: connect only neurons of the "
                            "same net" % n.name)
    return n


def check_connection(net: Net, s: Neuron, d: Neuron, name: Optional[str], trainable: Any,
                      delay: Any) -> None:
    """Refuse a connection s -> d that connect cannot make (and claim its *name*)."""
    if isinstance(delay, bool) or not isinstance(delay, int) or delay < 0:
        raise TopologyError("delay of connection %s->%s must be a whole number of time steps "
                            ">= 0 (0: no delay), got %r" % (s.name, d.name, delay))
    if d.is_input:
        raise TopologyError("cannot connect %r into input neuron %r: inputs take their value "
                            "from forward(); connect into a neuron made with add_neuron"
                            % (s.name, d.name))
    if s is d and not delay:
        raise TopologyError("cannot connect neuron %r to itself: a feed-forward net has no "
                            "loops (a recurrent connection needs a delay: "
                            "connect(..., delay=1))" % s.name)
    if not isinstance(trainable, bool):
        raise NumberError("trainable must be True or False, got %r" % (trainable,))
    if name is not None:
        net._claim_name(check_name(name, "connection"))


def check_not_connected(s: Neuron, d: Neuron, delay: int, name: Optional[str]) -> None:
    """Refuse a second connection s -> d with the same delay, and a second one without a
    name (both would answer to the default name ``"s->d"``).

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> h, o = net.add_input("h"), net.add_neuron("o")
    >>> _ = net.connect(h, o, 0.5, name="ff")
    >>> _ = net.connect(h, o, 0.3, delay=1)          # another delay, the only unnamed one
    >>> net.connect(h, o, 0.1, delay=2)
    Traceback (most recent call last):
    ...
    neurograph.TopologyError: neurons 'h' and 'o' are already connected by 'h->o' (delay 1), which answers to the name 'h->o': give this connection (delay 2) a name of its own, name=...
    """
    if len(s.outputs) + len(s.delayed_outputs) <= len(d.inputs) + len(d.delayed_inputs):
        if d not in map(_dst, s.outputs) and d not in map(_dst, s.delayed_outputs):
            return                          # (the common case: a scan in C of the shorter side)
    elif s not in map(_src, d.inputs) and s not in map(_src, d.delayed_inputs):
        return
    outs = s.outputs + s.delayed_outputs
    for c in outs:
        if c.dst is d and c.delay == delay:
            raise TopologyError("neurons %r and %r are already connected (by %r): change its "
                                "weight instead of adding a second connection"
                                % (s.name, d.name, c.name))
    for c in outs:
        if c.dst is d and name is None and c._name is None:
            raise TopologyError("neurons %r and %r are already connected by %r (delay %d), which "
                                "answers to the name %r: give this connection (delay %d) a name "
                                "of its own, name=..." % (s.name, d.name, c.name, c.delay,
                                                          c.name, delay))


_src, _dst = attrgetter("src"), attrgetter("dst")


def check_acyclic(s: Neuron, d: Neuron, ordered: bool = False) -> None:
    """Raise TopologyError if *d* already reaches *s*: a new connection s -> d would close a
    cycle.  (*ordered*: the layers are current, so s below d proves there is none.)

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x, a, b = net.add_input("x"), net.add_neuron("a"), net.add_neuron("b")
    >>> _ = net.connect(x, a); _ = net.connect(a, b)
    >>> ng.core.wiring.check_acyclic(b, a)
    Traceback (most recent call last):
    ...
    neurograph.TopologyError: connecting 'b' -> 'a' would close the cycle b -> a -> b: a feed-forward net must be acyclic
    """
    if not d.outputs or not s.inputs:
        return
    if ordered and s._layer < d._layer:
        return
    parent: Dict[Neuron, Optional[Neuron]] = {d: None}    # depth-first, no recursion
    stack = [d]
    while stack:
        n = stack.pop()
        if n is s:
            path = [s]
            p = parent[s]
            while p is not None:
                path.append(p)
                p = parent[p]
            path.reverse()  # d ... s
            raise TopologyError("connecting %r -> %r would close the cycle %s: a feed-forward "
                                "net must be acyclic" % (s.name, d.name, " -> ".join(
                                    [s.name] + [x.name for x in path])))
        for c in n.outputs:
            if c.dst not in parent:
                parent[c.dst] = n
                stack.append(c.dst)


def give_bias(net: Net, neuron: Neuron, spec: Any) -> None:
    """Set *neuron*'s bias to *spec*: a number (its own bias parameter, made if needed), a
    Parameter of *net* (shared) or None; its own bias parameter goes when it is replaced."""
    own = net._own_bias.get(neuron)
    if isinstance(spec, Parameter):
        if spec._net is not net:
            raise TopologyError("bias of neuron %r: parameter %r belongs to another net; "
                                "add it to this net with add_parameter" % (neuron.name, spec.name))
        new: Optional[Parameter] = spec
    elif spec is None:
        new = None
    elif isinstance(spec, Connection):
        raise TopologyError("bias of neuron %r: %r is a connection's own weight; to share one "
                            "number as a weight and a bias, make it a Parameter "
                            "(p = net.add_parameter(...)) and use it for both: "
                            "net.connect(src, dst, p) and neuron.bias = p"
                            % (neuron.name, spec.name))
    else:
        value = net._number(spec, "bias of neuron %r" % neuron.name)
        if own is not None:
            own.value = value
            new = own
        else:
            pname = neuron.name + ".bias"
            if pname in net._names:
                raise DuplicateNameError("name %r (the bias of neuron %r) is already used by "
                                         "%s" % (pname, neuron.name, kind(net._names[pname])))
            new = Parameter(net, pname, value)
            net._own_bias[neuron] = new
            net._params.append(new)
            net._names[pname] = new
    if own is not None and new is not own:      # its own bias is gone: so is the parameter
        del net._own_bias[neuron]
        net._params.remove(own)
        del net._names[own.name]
    neuron._bias = new


def check_seed(seed: Any, where: str) -> Any:
    """*seed* when ``random.Random`` takes it (None, a whole number, or a float, str or bytes),
    else a NumberError naming the call *where* (``"fit"``) and the fix.

    >>> check_seed(7, "fit")
    7
    >>> check_seed(1j, "fit")
    Traceback (most recent call last):
    ...
    neurograph.NumberError: fit(seed=1j): give a whole number, or None for a seed from the system
    """
    if seed is None or isinstance(seed, (int, float, str, bytes, bytearray)):
        return seed
    raise NumberError("%s(seed=%r): give a whole number, or None for a seed from the system"
                      % (where, seed))
