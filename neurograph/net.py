"""The object graph: :class:`Neuron`, :class:`Connection`, :class:`Parameter`, :class:`Net`.

Every neuron and every connection is an object you can stop at in a debugger.
After ``net.forward(x)`` each neuron holds its weighted input ``z`` and its
activation ``a``; after ``net.backward(y)`` its error ``delta`` (and ``grad_a``,
the gradient of the loss with respect to ``a``), and each connection its
``weight`` and accumulated ``grad``.

The values live in a few flat lists owned by the net, and every object reads
and writes its own slot of them: there is exactly one copy of each number, so
an object can never show a stale value and a weight you set is the weight the
next forward pass uses.  The order in which the net walks its neurons (the
*plan*: layers in topological order, split into blocks of neurons that share
an activation) is derived from the objects and rebuilt whenever the wiring
changes.

==============================  ==============================================
name                            what it is
==============================  ==============================================
``Net()``                       an empty feed-forward net (any DAG)
``Net.dense(sizes, ...)``       a fully connected layered net, seeded
``net.add_input(name)``         an input neuron (layer 0)
``net.add_neuron(name, ...)``   a neuron with an activation and a bias
``net.add_parameter(name, v)``  a named number, shareable (biases, tied weights)
``net.connect(src, dst, w)``    a Connection ``src -> dst`` with weight ``w``
``net.forward(x)``              outputs; fills every ``z`` and ``a``
``net.backward(y, loss)``       loss; fills ``delta``, adds to every ``grad``
``net.zero_grad()``             every ``grad`` back to zero
``net[name]``                   a neuron, connection or parameter by name
``net.layers``                  neurons by layer (layer = 1 + max source layer)
``net.parameters()``            every Parameter once
==============================  ==============================================

>>> import neurograph as ng
>>> net = ng.Net()
>>> x = net.add_input("x")
>>> y = net.add_neuron("y", activation="identity", bias=0.5)
>>> w = net.connect(x, y, 2.0, name="w")
>>> net.forward([3.0])
[6.5]
>>> net.backward([6.0], loss="half_sse")
0.125
>>> y.delta, w.grad, net["y.bias"].grad
(0.5, 1.5, 0.5)
"""

from __future__ import annotations

import platform
import random
from collections import deque
from itertools import repeat
from operator import add, itemgetter, mul, sub
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set,
                    Tuple, Union)

from . import arithmetic
from .activations import Activation, activation as _get_activation
from .arithmetic import NumberSystem, system_for
from .errors import (DuplicateNameError, NameLookupError, NeurographError, NumberError,
                     NumericalError, ShapeError, StateError, TopologyError, suggest)
from .losses import Loss, loss as _get_loss

__all__ = ["Net", "Neuron", "Connection", "Parameter"]

Number = Any


def fmt(x: Any, digits: int = 6) -> str:
    """A short text for a number in a repr: ``0.593270``, ``Decimal 0.3775``, ``1/3``.

    >>> fmt(0.5932699921071872), fmt(None)
    ('0.59327', 'None')
    """
    if x is None:
        return "None"
    if isinstance(x, float):
        return "%.*g" % (digits, x)
    s = str(x)
    if len(s) > digits + 8:
        try:
            return "%.*g" % (digits, float(x))
        except (OverflowError, ValueError):
            return s[: digits + 8] + "..."
    return s


def _check_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise NameLookupError("a %s name must be a non-empty string, got %r" % (what, name))
    if "->" in name:
        raise NameLookupError("%s name %r contains '->', which is reserved for connection "
                              "names like 'h1->o1'" % (what, name))
    return name


# ---------------------------------------------------------------------------
# The objects
# ---------------------------------------------------------------------------

class Parameter:
    """A named number of a net that learning may change: a weight or a bias.

    ``value`` and ``grad`` read and write the net's storage directly.  A
    Parameter may be shared: a bias used by several neurons (Mazur's ``b1``) or
    a weight tied across connections; its ``grad`` sums every use.  A frozen
    parameter (``trainable=False``) still gets its ``grad`` but optimizers
    leave its value alone.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> b = net.add_parameter("b", 0.35, trainable=False)
    >>> b
    Parameter(b = 0.35, grad 0, frozen)
    >>> b.value = 0.4
    >>> b.value
    0.4
    """

    __slots__ = ("name", "_net", "_k")

    def __init__(self, net: "Net", name: str, slot: int) -> None:
        self.name = name
        self._net = net
        self._k = slot

    @property
    def value(self) -> Number:
        """The current value (settable; takes effect on the next forward pass)."""
        return self._net._V[self._k]

    @value.setter
    def value(self, v: Any) -> None:
        self._net._V[self._k] = self._net._num.convert(v, "value of parameter %r" % self.name)

    @property
    def grad(self) -> Number:
        """dE/d(value), summed over every use and every sample since ``zero_grad``."""
        return self._net._G[self._k]

    @grad.setter
    def grad(self, g: Any) -> None:
        self._net._G[self._k] = self._net._num.convert(g, "grad of parameter %r" % self.name)

    @property
    def trainable(self) -> bool:
        """False when optimizers must leave this parameter alone (settable)."""
        return self._k not in self._net._frozen

    @trainable.setter
    def trainable(self, flag: bool) -> None:
        self._net._set_trainable(self._k, flag, self.name)

    @property
    def net(self) -> "Net":
        return self._net

    def uses(self) -> List[Union["Connection", "Neuron"]]:
        """The connections whose weight and the neurons whose bias this is."""
        net = self._net
        out: List[Union[Connection, Neuron]] = []
        for n in net._neurons:
            for c in n.inputs:
                if c._k == self._k:
                    out.append(c)
            if n.bias is self:
                out.append(n)
        return out

    def __repr__(self) -> str:
        return "Parameter(%s = %s, grad %s%s)" % (
            self.name, fmt(self.value), fmt(self.grad), "" if self.trainable else ", frozen")


class Connection:
    """A directed edge ``src -> dst`` carrying a weight.

    ``weight`` and ``grad`` are those of its parameter ``param``: its own, or
    a shared one for tied weights.  ``local_grad`` is this edge's share of the
    last backward pass alone, ``dst.delta * src.a`` (BP4).

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> i, o = net.add_input("i"), net.add_neuron("o", activation="identity", bias=None)
    >>> c = net.connect(i, o, 0.25)
    >>> c
    Connection(i->o, weight 0.25, grad 0)
    >>> c.weight = 0.5
    >>> net.forward([2.0])
    [1.0]
    """

    __slots__ = ("src", "dst", "_k")

    def __init__(self, src: "Neuron", dst: "Neuron", slot: int) -> None:
        self.src = src
        self.dst = dst
        self._k = slot

    @property
    def net(self) -> "Net":
        return self.src._net

    @property
    def name(self) -> str:
        """The name given to ``connect``, or ``"src->dst"``."""
        net = self.src._net
        name = net._conn_names.get(self)
        return name if name is not None else "%s->%s" % (self.src.name, self.dst.name)

    @property
    def weight(self) -> Number:
        """The current weight (settable; takes effect on the next forward pass)."""
        return self.src._net._V[self._k]

    @weight.setter
    def weight(self, w: Any) -> None:
        net = self.src._net
        net._V[self._k] = net._num.convert(w, "weight of connection %r" % self.name)

    @property
    def grad(self) -> Number:
        """dE/dw accumulated since ``zero_grad`` (for a tied weight: summed over its uses)."""
        return self.src._net._G[self._k]

    @property
    def local_grad(self) -> Number:
        """This edge's gradient in the last backward pass: ``dst.delta * src.a`` (BP4)."""
        d, a = self.dst.delta, self.src.a
        if d is None or a is None:
            return None
        return d * a

    @property
    def param(self) -> Parameter:
        """The Parameter holding this connection's weight."""
        return self.src._net._param_for_slot(self._k)

    @property
    def tied(self) -> bool:
        """True when the weight is a shared Parameter."""
        return self in self.src._net._tied

    @property
    def trainable(self) -> bool:
        return self._k not in self.src._net._frozen

    @trainable.setter
    def trainable(self, flag: bool) -> None:
        self.src._net._set_trainable(self._k, flag, self.name)

    def watch(self, on: str = "backward", when: Optional[Callable[..., Any]] = None,
              action: Any = "break") -> Any:
        """A watchpoint on this connection (see :func:`neurograph.explain.watch`)."""
        from .explain import watch
        return watch(self, on=on, when=when, action=action)

    def __repr__(self) -> str:
        extra = "" if self.trainable else ", frozen"
        if self.tied:
            extra += ", tied to %s" % self.param.name
        return "Connection(%s, weight %s, grad %s%s)" % (
            self.name, fmt(self.weight), fmt(self.grad), extra)


class Neuron:
    """A neuron: ``z = sum(w * a_src) + b``, ``a = f(z)``.

    Attributes after a forward pass: ``z`` (None for inputs), ``a``; after a
    backward pass: ``delta`` = dE/dz and ``grad_a`` = dE/da.  ``inputs`` and
    ``outputs`` are its incoming and outgoing Connections, ``bias`` its bias
    Parameter (or None), ``layer`` its depth (inputs are layer 0).

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x = net.add_input("x")
    >>> h = net.add_neuron("h", activation="relu", bias=1.0)
    >>> _ = net.connect(x, h, 2.0)
    >>> _ = net.forward([1.0])
    >>> h
    Neuron(h, layer 1, relu, z 3, a 3, delta None)
    >>> h.inputs[0].src is x, x.outputs[0].dst is h
    (True, True)
    """

    __slots__ = ("name", "_net", "_k", "inputs", "outputs", "_act", "_bias", "_layer", "is_input",
                 "_order")

    def __init__(self, net: "Net", name: str, slot: int, act: Optional[Activation],
                 bias: Optional[Parameter], is_input: bool, order: int) -> None:
        self.name = name
        self._net = net
        self._k = slot
        self.inputs: List[Connection] = []
        self.outputs: List[Connection] = []
        self._act = act
        self._bias = bias
        self._layer = 0 if is_input else -1
        self.is_input = is_input
        self._order = order

    @property
    def net(self) -> "Net":
        return self._net

    @property
    def z(self) -> Number:
        """Weighted input ``z = sum(w * a_src) + b`` of the last forward pass (None for inputs)."""
        return self._net._Z[self._k]

    @property
    def a(self) -> Number:
        """Activation ``a = f(z)`` of the last forward pass (for inputs: the input value)."""
        return self._net._A[self._k]

    @property
    def delta(self) -> Number:
        """Error ``delta = dE/dz`` of the last backward pass (BP1, BP2)."""
        return self._net._D[self._k]

    @property
    def grad_a(self) -> Number:
        """``dE/da`` of the last backward pass: the sum over outgoing edges of ``w * delta``."""
        return self._net._E[self._k]

    @property
    def activation(self) -> Optional[Activation]:
        """The Activation (None for inputs).  Settable with a name or an Activation."""
        return self._act

    @activation.setter
    def activation(self, spec: Any) -> None:
        if self.is_input:
            raise TopologyError("input neuron %r has no activation" % self.name)
        act = self._net._bind_activation(spec, self.name)
        self._act = act
        self._net._changed()

    @property
    def bias(self) -> Optional[Parameter]:
        """The bias Parameter, or None.  Settable with a number, a Parameter or None."""
        return self._bias

    @bias.setter
    def bias(self, spec: Any) -> None:
        if self.is_input:
            raise TopologyError("input neuron %r has no bias" % self.name)
        net = self._net
        new = net._bias_param(spec, self.name)
        self._bias = new
        net._changed()

    @property
    def layer(self) -> int:
        """Depth in the net: 0 for inputs, else 1 + the largest layer among its sources."""
        self._net._compiled()
        return self._layer

    @property
    def is_output(self) -> bool:
        """True for a non-input neuron with no outgoing connections."""
        return not self.is_input and not self.outputs

    def watch(self, on: str = "forward", when: Optional[Callable[..., Any]] = None,
              action: Any = "break") -> Any:
        """A watchpoint on this neuron (see :func:`neurograph.explain.watch`)."""
        from .explain import watch
        return watch(self, on=on, when=when, action=action)

    def __repr__(self) -> str:
        if self.is_input:
            return "Neuron(%s, input, a %s)" % (self.name, fmt(self.a))
        layer = self._layer if self._net._plan_version == self._net._version else "?"
        return "Neuron(%s, layer %s, %s, z %s, a %s, delta %s)" % (
            self.name, layer, self._act.name if self._act else None, fmt(self.z), fmt(self.a),
            fmt(self.delta))


# ---------------------------------------------------------------------------
# The plan: the object graph's walking order, derived and cached
# ---------------------------------------------------------------------------

class _Block:
    """Neurons of one layer sharing an activation, stored contiguously at [lo, hi)."""

    __slots__ = ("lo", "hi", "neurons", "act", "f", "df", "dense", "slo", "shi", "src_inputs",
                 "wb", "pwb", "psl", "rows", "out_pos", "is_output", "layer", "pcols",
                 "gspan", "gn", "loops", "bp", "ap", "wrt_a", "ysl", "wsb", "pw0", "bw",
                 "excl")
    # Dense blocks (every neuron reads the same contiguous sources through contiguous
    # weight slots): ``wb`` = [(weight slice, bias slot or -1)] per neuron, ``pwb``/``psl``
    # the same restricted to non-input sources.  Other blocks: ``rows`` = [(weight slots,
    # source slots, bias slot, propagation pairs)] per neuron and ``pcols`` = [(source
    # slot, weight slots, positions in the block)] per non-input source, which adds a
    # source's dE/da terms in row order, as the dense path does.
    # ``gspan`` covers every weight and bias slot of a dense block (``gn`` slots).
    # ``loops``: walk this block with plain index loops (always under PyPy; on CPython
    # for a small fan-in, where a comprehension's call costs more than it saves); both
    # add in the same order, so the results are bit-identical.  ``bp``: the activation
    # uses the plain elementwise backprop (inlined, with ``wrt_a``), ``ap`` the plain
    # elementwise apply; ``ysl``: the
    # block's slice of the targets when its output positions are contiguous.


class _Layer:
    __slots__ = ("index", "blocks", "neurons", "slots")


class _Plan:
    __slots__ = ("n_in", "layers", "blocks", "out_idx", "outputs", "out_acts", "zeros_n",
                 "version", "num", "loops", "floats", "safe", "losses", "n_out", "out_sl",
                 "rlayers")
    # ``loops``: walk the lists with plain for-loops (PyPy's JIT prefers them) instead of
    # map/sum over slices (faster on CPython); both add in the same order, so the results
    # are bit-identical.  ``losses``: loss spec -> (Loss, value, gradient, shortcut per
    # output block), bound once per plan.  ``out_sl``: the outputs' storage as one slice
    # when contiguous.  ``safe``: a float net whose activations are all built in, where
    # forward and backward cannot raise; elsewhere they keep a copy of what they change
    # and put it back if anything goes wrong, so a failed call leaves the net as it was.


def _runs(slots: Iterable[int]) -> List[slice]:
    """Contiguous runs of sorted slot numbers as slices."""
    out: List[slice] = []
    start = prev = None
    for k in sorted(slots):
        if start is None:
            start = prev = k
        elif k == prev + 1:  # type: ignore[operator]
            prev = k
        else:
            out.append(slice(start, prev + 1))  # type: ignore[operator]
            start = prev = k
    if start is not None:
        out.append(slice(start, prev + 1))  # type: ignore[operator]
    return out


# ---------------------------------------------------------------------------
# The net
# ---------------------------------------------------------------------------

class Net:
    """A feed-forward network of Neuron objects (any directed acyclic graph).

    *number* is the number type every value of the net is kept in: ``float``
    (the default), ``decimal.Decimal`` or ``fractions.Fraction`` (or their
    names).  *seed* seeds the random initial weights of ``connect`` calls
    that give no weight.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 3, 1], seed=1)
    >>> net
    Net(2-3-1: 6 neurons, 9 connections, 13 parameters, float)
    >>> [len(layer) for layer in net.layers]
    [2, 3, 1]
    """

    #: ``zero`` 4096 times, copied into ``_G`` chunk by chunk by ``zero_grad``.
    #: (Lists, not tuples: PyPy copies a list of floats into a list of floats at
    #: memory speed, but converts a tuple's items one by one.)
    _zeros: List[Number] = []
    #: ``zero`` len(_G) times, for nets with at most 4096 parameter slots.
    _zeros_n: List[Number] = []

    def __init__(self, number: Any = float, *, seed: Optional[int] = 0, name: str = "") -> None:
        self._num: NumberSystem = system_for(number)
        self.name = name
        self._rng = random.Random(seed)
        self._neurons: List[Neuron] = []
        self._names: Dict[str, Any] = {}
        self._conn_names: Dict[Connection, str] = {}
        self._tied: Dict[Connection, Parameter] = {}
        self._params: Dict[int, Parameter] = {}      # slot -> Parameter object (made on demand)
        self._V: List[Number] = []                     # parameter values, one slot each
        self._Graw: List[Number] = []                  # parameter gradients (read _G)
        #: Gradients of dense rows not yet written into ``_Graw``: (first slot, end slot,
        #: delta, source activations), meaning ``grad[first + i] = delta * a[i]`` (see _G).
        self._pending: List[Tuple[int, int, Number, List[Number]]] = []
        #: True when every gradient is known to be zero (set by zero_grad, cleared by
        #: backward and by every reader of _G, who may write to it).
        self._clean = True
        self._frozen: Set[int] = set()
        self._frozen_version = 0
        self._Z: List[Number] = []                     # per neuron: z, a, delta, dE/da
        self._A: List[Number] = []
        self._D: List[Number] = []
        self._E: List[Number] = []
        self._n_edges = 0
        self._n_inputs = 0
        self._version = 0
        self._plan: Optional[_Plan] = None
        self._plan_version = -1
        self._fwd_version = -1
        self._ranges_cache: Dict[Any, List[slice]] = {}
        #: Callables ``hook(event, objects)`` told about "forward", "backward",
        #: "before_step" and "step" (see neurograph.explain); empty normally.
        self._hooks: List[Callable[[str, Any], None]] = []
        self.samples_seen = 0

    # -- number type -----------------------------------------------------
    @property
    def number(self) -> type:
        """The number type of every value in this net: float, Decimal or Fraction."""
        return self._num.type

    @property
    def number_system(self) -> NumberSystem:
        return self._num

    # -- gradients -------------------------------------------------------
    @property
    def _G(self) -> List[Number]:
        """Every parameter's gradient, one slot each: the list every reader uses.

        ``backward`` leaves the BP4 gradients of a dense row whose slots are all
        zero (as after ``zero_grad``) and used by no other edge as a record
        ``(slots, delta, a_src)`` in ``_pending``, because plain SGD can update the
        weights from it directly (``w - lr * (delta * a)``, the same numbers) without
        making and then dropping one float per edge.  Reading ``_G`` writes those
        records out first (``grad = delta * a``, exactly what backward would have
        stored), so a gradient read through any object or function is always current.
        """
        if self._pending:
            self._write_pending()
        self._clean = False
        return self._Graw

    def _write_pending(self) -> None:
        G = self._Graw
        for s, e, d, src in self._pending:   # BP4: dE/dw = delta * a_src
            G[s:e] = [d * a for a in src]
        self._pending.clear()                # (writing twice gives the same values)

    # -- building ----------------------------------------------------------
    def _changed(self) -> None:
        self._version += 1

    def _claim_name(self, name: str) -> None:
        if name in self._names:
            other = self._names[name]
            raise DuplicateNameError("name %r is already used by %s in this net: choose another "
                                     "name" % (name, _kind(other)))

    def _new_slot(self, value: Number) -> int:
        self._V.append(value)
        self._Graw.append(self._num.zero)
        return len(self._V) - 1

    def _new_neuron(self, name: str, act: Optional[Activation], bias: Optional[Parameter],
                    is_input: bool) -> Neuron:
        k = len(self._Z)
        n = Neuron(self, name, k, act, bias, is_input, len(self._neurons))
        for store in (self._Z, self._A, self._D, self._E):
            store.append(None)
        self._neurons.append(n)
        self._names[name] = n
        self._changed()
        return n

    def add_input(self, name: Optional[str] = None) -> Neuron:
        """Add an input neuron.  Inputs take the values given to ``forward`` in creation order.

        >>> import neurograph as ng
        >>> ng.Net().add_input("x1")
        Neuron(x1, input, a None)
        """
        if name is None:
            name = "i%d" % (self._n_inputs + 1)
        _check_name(name, "neuron")
        self._claim_name(name)
        self._n_inputs += 1
        return self._new_neuron(name, None, None, True)

    def _bind_activation(self, spec: Any, where: str) -> Activation:
        act = _get_activation(spec)
        try:
            act.functions(self._num)  # fail now, not at the first forward pass
        except NumberError as e:
            raise NumberError("neuron %r: %s" % (where, e)) from None
        return act

    def _bias_param(self, spec: Any, neuron_name: str) -> Optional[Parameter]:
        if spec is None:
            return None
        if isinstance(spec, Parameter):
            if spec._net is not self:
                raise TopologyError("bias of neuron %r: parameter %r belongs to another net; "
                                    "add it to this net with add_parameter" % (neuron_name, spec.name))
            return spec
        pname = neuron_name + ".bias"
        value = self._num.convert(spec, "bias of neuron %r" % neuron_name)
        if pname in self._names:
            raise DuplicateNameError("name %r (the bias of neuron %r) is already used by %s"
                                     % (pname, neuron_name, _kind(self._names[pname])))
        p = Parameter(self, pname, self._new_slot(value))
        self._params[p._k] = p
        self._names[pname] = p
        return p

    def add_neuron(self, name: Optional[str] = None, activation: Any = "sigmoid",
                   bias: Any = 0) -> Neuron:
        """Add a neuron with an activation (name or Activation) and a bias.

        *bias* is a number (a new trainable Parameter named ``"<name>.bias"``),
        a Parameter of this net (shared, as Mazur's ``b1``), or None.

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> net.add_neuron("h", activation="tanh", bias=0.1)
        Neuron(h, layer ?, tanh, z None, a None, delta None)
        >>> net["h.bias"].value
        0.1
        """
        if name is None:
            name = "n%d" % (len(self._neurons) + 1)
        _check_name(name, "neuron")
        self._claim_name(name)
        act = self._bind_activation(activation, name)
        if bias is not None and not isinstance(bias, Parameter):
            self._claim_name(name + ".bias")
        b = self._bias_param(bias, name)
        return self._new_neuron(name, act, b, False)

    def add_parameter(self, name: str, value: Any, trainable: bool = True) -> Parameter:
        """Add a named Parameter, to share as a bias or as a tied weight.

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> net.add_parameter("b1", 0.35, trainable=False)
        Parameter(b1 = 0.35, grad 0, frozen)
        """
        _check_name(name, "parameter")
        self._claim_name(name)
        if not isinstance(trainable, bool):
            raise NumberError("trainable of parameter %r must be True or False, got %r"
                              % (name, trainable))
        v = self._num.convert(value, "value of parameter %r" % name)
        p = Parameter(self, name, self._new_slot(v))
        self._params[p._k] = p
        self._names[name] = p
        if not trainable:
            self._frozen.add(p._k)
            self._frozen_version += 1
        return p

    def _neuron_arg(self, n: Any, role: str) -> Neuron:
        if isinstance(n, str):
            obj = self._names.get(n)
            if not isinstance(obj, Neuron):
                raise NameLookupError("no neuron named %r (the %s of connect)%s" % (
                    n, role, suggest(n, [m.name for m in self._neurons])))
            return obj
        if not isinstance(n, Neuron):
            raise TopologyError("the %s of connect must be a Neuron or a neuron name, got %r"
                                % (role, n))
        if n._net is not self:
            raise TopologyError("neuron %r belongs to another net: connect only neurons of the "
                                "same net" % n.name)
        return n

    def connect(self, src: Any, dst: Any, weight: Any = None, name: Optional[str] = None,
                trainable: bool = True) -> Connection:
        """Connect *src* to *dst* and return the Connection.

        *weight* is a number, a Parameter of this net (a tied weight), or None
        for a random value drawn from the net's seeded generator
        (uniform in [-1, 1]).

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> a, b = net.add_input("a"), net.add_neuron("b")
        >>> net.connect(a, b, 0.15, name="w1")
        Connection(w1, weight 0.15, grad 0)
        >>> net.connect(b, b, 1.0)
        Traceback (most recent call last):
        ...
        neurograph.errors.TopologyError: cannot connect neuron 'b' to itself: a feed-forward net has no loops
        """
        s = self._neuron_arg(src, "source")
        d = self._neuron_arg(dst, "destination")
        if s is d:
            raise TopologyError("cannot connect neuron %r to itself: a feed-forward net has no "
                                "loops" % s.name)
        if d.is_input:
            raise TopologyError("cannot connect %r into input neuron %r: inputs take their value "
                                "from forward(); connect into a neuron made with add_neuron"
                                % (s.name, d.name))
        if name is not None:
            _check_name(name, "connection")
            self._claim_name(name)
        if not isinstance(trainable, bool):
            raise NumberError("trainable must be True or False, got %r" % (trainable,))
        shorter = s.outputs if len(s.outputs) <= len(d.inputs) else d.inputs
        for c in shorter:
            if c.src is s and c.dst is d:
                raise TopologyError("neurons %r and %r are already connected (by %r): change its "
                                    "weight instead of adding a second connection"
                                    % (s.name, d.name, c.name))
        self._check_no_cycle(s, d)
        tied: Optional[Parameter] = None
        if isinstance(weight, Parameter):
            if weight._net is not self:
                raise TopologyError("parameter %r belongs to another net: add it to this one with "
                                    "add_parameter" % weight.name)
            tied = weight
            slot = weight._k
        else:
            if weight is None:
                value = self._num.from_float(self._rng.uniform(-1.0, 1.0))
            else:
                value = self._num.convert(weight, "weight of connection %s->%s" % (s.name, d.name))
            slot = self._new_slot(value)
            if not trainable:
                self._frozen.add(slot)
                self._frozen_version += 1
        c = Connection(s, d, slot)
        s.outputs.append(c)
        d.inputs.append(c)
        if tied is not None:
            self._tied[c] = tied
        if name is not None:
            self._conn_names[c] = name
            self._names[name] = c
        self._n_edges += 1
        self._changed()
        return c

    def _check_no_cycle(self, s: Neuron, d: Neuron) -> None:
        """Raise TopologyError if *d* already reaches *s* (the new edge would close a cycle)."""
        if not d.outputs or not s.inputs:
            return
        if self._plan_version == self._version and s._layer < d._layer:
            return
        # Iterative depth-first search from d along outgoing edges, remembering parents.
        parent: Dict[Neuron, Optional[Neuron]] = {d: None}
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
                raise TopologyError("connecting %r -> %r would close the cycle %s: a "
                                    "feed-forward net must be acyclic" % (s.name, d.name, " -> ".join(
                                        [s.name] + [x.name for x in path])))
            for c in n.outputs:
                if c.dst not in parent:
                    parent[c.dst] = n
                    stack.append(c.dst)

    @classmethod
    def dense(cls, sizes: Sequence[int], activation: Any = "sigmoid",
              output_activation: Any = None, *, seed: Optional[int] = 0, number: Any = float,
              bias: bool = True) -> "Net":
        """A fully connected layered net with ``sizes[0]`` inputs and seeded initial weights.

        Weights start as ``gauss(0, 1) / sqrt(fan_in)`` from ``random.Random(seed)``,
        biases at 0.  Names: inputs ``i1..``, hidden neurons ``h<layer>_<k>``,
        outputs ``o1..``; connections are named ``"src->dst"``, biases
        ``"<neuron>.bias"``.  *output_activation* defaults to *activation*.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([4, 8, 3], activation="relu", output_activation="softmax", seed=0)
        >>> [n.name for n in net.layers[1]][:3], net.outputs[0].activation.name
        (['h1_1', 'h1_2', 'h1_3'], 'softmax')
        """
        sizes = list(sizes)
        if len(sizes) < 2 or any(type(s) is not int or s < 1 for s in sizes):
            raise ShapeError("Net.dense needs at least two layer sizes, each a whole number >= 1; "
                             "got %r" % (sizes,))
        net = cls(number=number, seed=seed)
        rng = random.Random(seed)
        num = net._num
        hidden_act = net._bind_activation(activation, "hidden layers")
        out_act = net._bind_activation(output_activation if output_activation is not None
                                       else activation, "output layer")
        prev = [net.add_input("i%d" % (j + 1)) for j in range(sizes[0])]
        depth = len(sizes) - 1
        for L in range(1, depth + 1):
            last = L == depth
            act = out_act if last else hidden_act
            layer = []
            scale = 1.0 / len(prev) ** 0.5
            for j in range(sizes[L]):
                nm = "o%d" % (j + 1) if last else "h%d_%d" % (L, j + 1)
                b = net._bias_param(num.zero, nm) if bias else None
                if b is not None:
                    net._params[b._k] = b
                n = net._new_neuron(nm, act, b, False)
                for p in prev:  # checks skipped: a new neuron from existing ones is always valid
                    c = Connection(p, n, net._new_slot(num.from_float(rng.gauss(0.0, 1.0) * scale)))
                    p.outputs.append(c)
                    n.inputs.append(c)
                net._n_edges += len(prev)
                layer.append(n)
            prev = layer
        net._changed()
        return net

    # -- looking things up -------------------------------------------------
    def __getitem__(self, name: str) -> Any:
        """The neuron, connection or parameter called *name* (``"h1->o1"`` for unnamed edges)."""
        if not isinstance(name, str):
            raise NameLookupError("look objects up by their name (a string), got %r" % (name,))
        obj = self._names.get(name)
        if obj is not None:
            return obj
        if isinstance(name, str) and "->" in name:
            s_name, _, d_name = name.partition("->")
            s = self._names.get(s_name)
            if isinstance(s, Neuron):
                for c in s.outputs:
                    if c.dst.name == d_name:
                        return c
        choices = list(self._names)
        raise NameLookupError("this net has no neuron, connection or parameter named %r%s"
                              % (name, suggest(name, choices) if len(choices) < 5000 else ""))

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except (NameLookupError, TypeError):
            return False
        return True

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except NameLookupError:
            return default

    @property
    def neurons(self) -> List[Neuron]:
        """Every neuron, in creation order."""
        return list(self._neurons)

    @property
    def inputs(self) -> List[Neuron]:
        """The input neurons, in the order ``forward`` takes their values."""
        return [n for n in self._neurons if n.is_input]

    @property
    def outputs(self) -> List[Neuron]:
        """The output neurons (no outgoing connections), in creation order."""
        return [n for n in self._neurons if not n.is_input and not n.outputs]

    def connections(self) -> List[Connection]:
        """Every connection, grouped by destination neuron in creation order."""
        return [c for n in self._neurons for c in n.inputs]

    def parameters(self) -> List[Parameter]:
        """Every Parameter once (a shared one once), in creation order.

        >>> import neurograph as ng
        >>> [p.name for p in ng.Net.dense([1, 1]).parameters()]
        ['o1.bias', 'i1->o1']
        """
        used = self._used_slots()
        return [self._param_for_slot(k) for k in range(len(self._V)) if k in used]

    def _used_slots(self) -> Set[int]:
        used = set(self._params)
        for n in self._neurons:
            for c in n.inputs:
                used.add(c._k)
        return used

    def _param_for_slot(self, k: int) -> Parameter:
        p = self._params.get(k)
        if p is None:
            for n in self._neurons:
                for c in n.inputs:
                    if c._k == k:
                        p = Parameter(self, c.name, k)
                        self._params[k] = p
                        return p
            raise NameLookupError("no parameter in slot %d" % k)
        return p

    @property
    def layers(self) -> List[List[Neuron]]:
        """Neurons by layer; layer 0 holds the inputs, a neuron's layer is 1 + its sources' max."""
        plan = self._compiled()
        out: List[List[Neuron]] = [[] for _ in range(len(plan.layers) + 1)]
        for n in self._neurons:
            out[n._layer].append(n)
        return out

    def __repr__(self) -> str:
        sizes = ""
        try:
            if self._neurons and self._plan_version == self._version or self._compiled():
                sizes = "-".join(str(len(l)) for l in self.layers) + ": "
        except Exception:
            sizes = ""
        return "Net(%s%d neurons, %d connections, %d parameters, %s)" % (
            sizes, len(self._neurons), self._n_edges, len(self._used_slots()), self._num.name)

    # -- trainable flags ---------------------------------------------------
    def _set_trainable(self, k: int, flag: Any, name: str) -> None:
        if not isinstance(flag, bool):
            raise NumberError("trainable of %r must be True or False, got %r" % (name, flag))
        if flag:
            self._frozen.discard(k)
        else:
            self._frozen.add(k)
        self._frozen_version += 1

    def _trainable_ranges(self, layer: Optional[int] = None) -> List[slice]:
        """Slices of trainable slots (of one layer's parameters when *layer* is given)."""
        key = (layer, self._frozen_version, len(self._V), self._plan_version)
        r = self._ranges_cache.get(key)
        if r is None:
            if layer is None:
                slots: Iterable[int] = self._used_slots()
            else:
                plan = self._compiled()
                slots = (k for run in plan.layers[layer - 1].slots
                         for k in range(run.start, run.stop))
            r = _runs(k for k in slots if k not in self._frozen)
            if len(self._ranges_cache) > 64:
                self._ranges_cache.clear()
            self._ranges_cache[key] = r
        return r

    # -- the plan ----------------------------------------------------------
    def _compiled(self) -> _Plan:
        if self._plan_version == self._version and self._plan is not None:
            return self._plan
        return self._compile()

    def _compile(self) -> _Plan:
        """Order the neurons into layers and blocks; lay out their storage to match."""
        neurons = self._neurons
        n_in = sum(1 for n in neurons if n.is_input)
        if not neurons:
            raise StateError("this net is empty: add inputs with add_input and neurons with "
                             "add_neuron first")
        if n_in == 0:
            raise StateError("this net has no input neurons: add one with add_input")
        for n in neurons:
            if not n.is_input and not n.inputs:
                raise TopologyError("neuron %r has no incoming connections, so no input reaches "
                                    "it: connect something into it" % n.name)
        # Kahn's algorithm: layers in topological order, no recursion.
        layer = {n: 0 for n in neurons}
        missing = {n: len(n.inputs) for n in neurons}
        queue = deque(n for n in neurons if n.is_input)
        seen = 0
        while queue:
            n = queue.popleft()
            seen += 1
            ln = layer[n] + 1
            for c in n.outputs:
                d = c.dst
                if layer[d] < ln:
                    layer[d] = ln
                missing[d] -= 1
                if missing[d] == 0:
                    queue.append(d)
        if seen != len(neurons):
            stuck = [n.name for n in neurons if missing[n] > 0]
            raise TopologyError("the net has a cycle among neurons %s: remove a connection to "
                                "make it feed-forward" % ", ".join(stuck[:20]))
        outputs = [n for n in neurons if not n.is_input and not n.outputs]
        if not outputs:
            raise TopologyError("this net has no output neurons: add a neuron fed by the inputs")
        depth = max(layer.values())
        # Group each layer's neurons into blocks: same activation, same output-ness.
        by_layer: List[Dict[Any, List[Neuron]]] = [dict() for _ in range(depth + 1)]
        for n in neurons:
            key = None if n.is_input else (id(n._act), not n.outputs)
            by_layer[layer[n]].setdefault(key, []).append(n)
        order: List[Neuron] = []
        for groups in by_layer:
            for members in groups.values():
                order.extend(members)
        for n in neurons:
            if n._act is not None and n._act.name == "softmax" and n.outputs:
                raise TopologyError("neuron %r uses softmax but is not an output: softmax "
                                    "normalises a group of output neurons; use another "
                                    "activation for hidden neurons" % n.name)
        new_k = {n: i for i, n in enumerate(order)}
        out_pos = {n: i for i, n in enumerate(outputs)}
        # Everything checked: now build the plan and commit the new layout.
        plan = _Plan()
        plan.n_in = n_in
        plan.num = self._num
        plan.layers = []
        plan.blocks = []
        slot_layer: Dict[int, int] = {}
        w_uses: Dict[int, int] = {}      # weight slot -> how many edges use it (tied: > 1)
        pos = n_in
        for L in range(1, depth + 1):
            lay = _Layer()
            lay.index = L
            lay.blocks = []
            lay.neurons = []
            for (_, is_out), members in by_layer[L].items():
                blk = _Block()
                blk.layer = L
                blk.lo, blk.hi = pos, pos + len(members)
                pos = blk.hi
                blk.neurons = members
                blk.act = members[0]._act
                blk.f, blk.df = blk.act.functions(self._num)
                blk.is_output = is_out
                blk.out_pos = [out_pos[n] for n in members] if is_out else []
                rows = []
                for n in members:
                    widx = tuple(c._k for c in n.inputs)
                    sidx = tuple(new_k[c.src] for c in n.inputs)
                    b = n._bias._k if n._bias is not None else -1
                    rows.append((widx, sidx, b))
                    for k in widx:
                        slot_layer[k] = min(slot_layer.get(k, L), L)
                        w_uses[k] = w_uses.get(k, 0) + 1
                    if b >= 0:
                        slot_layer[b] = min(slot_layer.get(b, L), L)
                s0 = rows[0][1]
                dense = all(r[1] == s0 for r in rows) and _contiguous(s0) and all(
                    _contiguous(r[0]) for r in rows)
                blk.dense = dense
                if dense:
                    blk.slo, blk.shi = s0[0], s0[-1] + 1
                    blk.src_inputs = blk.shi <= n_in
                    blk.wb = [(slice(r[0][0], r[0][-1] + 1), r[2]) for r in rows]
                    # error propagation skips sources that are inputs
                    off = max(0, n_in - blk.slo)
                    blk.psl = slice(blk.slo + off, blk.shi)
                    blk.pwb = [slice(w.start + off, w.stop) for w, _ in blk.wb]
                    blk.rows = None
                    every = [k for w, b in blk.wb for k in range(w.start, w.stop)] + [
                        b for _, b in blk.wb if b >= 0]
                    blk.gspan = slice(min(every), max(every) + 1)
                    blk.gn = blk.gspan.stop - blk.gspan.start
                    blk.pcols = None
                else:
                    blk.slo = blk.shi = -1
                    blk.src_inputs = all(s < n_in for r in rows for s in r[1])
                    blk.wb = None
                    # per edge: (weight slot, source slot); propagation skips input sources
                    blk.rows = [(r[0], r[1], r[2], tuple((w, s) for w, s in zip(r[0], r[1])
                                                         if s >= n_in)) for r in rows]
                    blk.gspan, blk.gn = None, 0
                    blk.pcols = _columns(rows, n_in)
                blk.loops = dense and (_LOOPS or blk.shi - blk.slo < _LOOP_FANIN)
                blk.wsb = [(w.start, b) for w, b in blk.wb] if dense else None
                blk.pw0 = [w.start for w in blk.pwb] if dense else None
                blk.bw = dense and [k for w, b in blk.wb for k in [b] + list(range(
                    w.start, w.stop))] == list(range(blk.gspan.start, blk.gspan.stop))
                blk.bp = blk.act.elementwise and type(blk.act).backprop is Activation.backprop
                blk.ap = blk.act.elementwise and type(blk.act).apply is Activation.apply
                blk.wrt_a = blk.act.wrt == "a"
                op = blk.out_pos
                blk.ysl = (slice(op[0], op[-1] + 1) if op and op[-1] - op[0] == len(op) - 1
                           and _contiguous(tuple(op)) else None)
                lay.blocks.append(blk)
                lay.neurons.extend(members)
                plan.blocks.append(blk)
            plan.layers.append(lay)
        for blk in plan.blocks:
            # a dense block whose weight slots no other edge uses (no tied weights): its
            # gradient rows can be written whole, or kept as pending (see Net._G)
            blk.excl = blk.dense and all(w_uses[k] == 1 for w, _ in blk.wb
                                         for k in range(w.start, w.stop))
        per_layer: List[List[int]] = [[] for _ in plan.layers]
        for k, L in slot_layer.items():
            per_layer[L - 1].append(k)
        for lay, slots in zip(plan.layers, per_layer):
            lay.slots = _runs(slots)     # the layer's parameter slots, as contiguous runs
        plan.outputs = outputs
        plan.out_idx = [new_k[n] for n in outputs]
        plan.out_acts = [n._act for n in outputs]
        plan.n_out = len(outputs)
        plan.rlayers = plan.layers[::-1]
        oi = tuple(plan.out_idx)
        plan.out_sl = slice(oi[0], oi[-1] + 1) if _contiguous(oi) else None
        plan.losses = {}
        plan.zeros_n = [self._num.zero] * (len(order) - n_in)
        plan.loops = _LOOPS
        plan.floats = self._num.type is float
        plan.safe = plan.floats and all(blk.act.builtin for blk in plan.blocks)
        # Commit: move each neuron's values to its new slot.
        for name in ("_Z", "_A", "_D", "_E"):
            old = getattr(self, name)
            setattr(self, name, [old[n._k] for n in order])
        for n in order:
            n._k = new_k[n]
            n._layer = layer[n]
        plan.version = self._version
        self._plan = plan
        self._plan_version = self._version
        return plan

    # -- forward -----------------------------------------------------------
    def forward(self, x: Sequence[Any]) -> List[Number]:
        """Feed *x* to the inputs and return the outputs' activations.

        Each neuron's ``z = b + sum(w * a_src)`` and ``a = f(z)`` are stored on it.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight, net["i2->o1"].weight = 1.0, -1.0
        >>> net.forward([5.0, 3.0])
        [2.0]
        """
        plan = self._plan
        if plan is None or self._plan_version != self._version:
            plan = self._compile()
        num = self._num
        xs = _floats(x, plan.n_in) if plan.floats else None
        if xs is None:
            xs = num.vector(x, plan.n_in, "input")
        rnd = arithmetic.rounder(num) if arithmetic._ROUNDING.get() is not None else None
        Z, A, V = self._Z, self._A, self._V
        zero = num.zero
        hooks = self._hooks
        saved = None if plan.safe and not hooks else (Z[:], A[:])
        A[0:plan.n_in] = xs
        blk = None
        try:
            for blk in plan.blocks:
                lo, hi = blk.lo, blk.hi
                if blk.loops and _SEQ_SUM and rnd is None:
                    # z = b + w_1 a_1 + w_2 a_2 + ..., added in the order sum() adds
                    src = A[blk.slo:blk.shi]
                    k = lo
                    f = blk.f if blk.ap else None
                    for j, b in blk.wsb:
                        z = V[b] if b >= 0 else zero
                        for a in src:
                            z += V[j] * a
                            j += 1
                        Z[k] = z
                        if f is not None:
                            A[k] = f(z)
                        k += 1
                    if f is None:
                        A[lo:hi] = blk.act.apply(blk.f, Z[lo:hi])
                else:
                    if blk.dense and blk.bw:
                        # slots laid out bias, weights, bias, weights...: one copy of the
                        # block's values, read in order (map stops at the end of src, so
                        # each row takes its own weights; the bias is taken before them)
                        src = A[blk.slo:blk.shi]
                        it = iter(V[blk.gspan])
                        zs = [sum(map(mul, src, it), next(it)) for _ in blk.wb]
                    elif blk.dense:
                        src = A[blk.slo:blk.shi]
                        zs = [sum(map(mul, V[w], src), V[b] if b >= 0 else zero)
                              for w, b in blk.wb]
                    else:
                        zs = [sum(map(mul, [V[i] for i in wi], [A[i] for i in si]),
                                  V[b] if b >= 0 else zero) for wi, si, b, _ in blk.rows]
                    if rnd is not None:
                        zs = list(map(rnd, zs))
                    Z[lo:hi] = zs
                    if blk.ap:                   # Activation.apply, inlined
                        acts = map(blk.f, zs)
                    else:
                        acts = blk.act.apply(blk.f, zs)
                    if rnd is not None:
                        acts = map(rnd, acts)
                    A[lo:hi] = acts
                if hooks:
                    for h in hooks:
                        h("forward", blk.neurons)
        except BaseException as e:
            numeric = isinstance(e, ArithmeticError) and not isinstance(e, NeurographError)
            where = _blame(blk, Z, A) if numeric else ""
            if saved is not None:            # put every z and a back as it was
                Z[:], A[:] = saved
            else:
                self._fwd_version = -1
            if numeric:
                raise NumericalError("forward pass: %s in %s (%s: %s); scale the inputs or "
                                     "weights down, or pick an activation that saturates" % (
                                         type(e).__name__, where, type(e).__name__, e)) from e
            raise
        self._fwd_version = self._version
        self.samples_seen += 1
        if plan.out_sl is not None:
            return A[plan.out_sl]
        return [A[i] for i in plan.out_idx]

    def __call__(self, x: Sequence[Any]) -> List[Number]:
        """Same as :meth:`forward`."""
        return self.forward(x)

    # -- backward ----------------------------------------------------------
    def backward(self, target: Sequence[Any], loss: Any = "half_sse",
                 after_layer: Optional[Callable[[int], Any]] = None) -> Number:
        """Back-propagate the loss of the last forward pass against *target*.

        Sets every neuron's ``delta`` and ``grad_a``, ADDS this sample's
        gradient to every parameter's ``grad`` (call ``zero_grad`` to start
        afresh) and returns the loss.  *after_layer*, if given, is called with
        each layer's index as soon as that layer's gradients are complete and
        before its error is passed back (the "immediate" update order).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight = 2.0
        >>> net.forward([1.0])
        [2.0]
        >>> net.backward([0.0])
        2.0
        >>> net["i1->o1"].grad, net["o1"].delta
        (2.0, 2.0)
        """
        plan = self._plan
        if plan is None or self._fwd_version != self._version or self._plan_version != self._version:
            if self._fwd_version == -1 or plan is None:
                raise StateError("backward() needs a forward() pass first: call net.forward(x) "
                                 "with the sample whose target you pass to backward")
            raise StateError("the net's structure changed after the last forward() pass: call "
                             "net.forward(x) again before backward()")
        num = self._num
        ys = _floats(target, plan.n_out) if plan.floats else None
        if ys is None:
            ys = num.vector(target, plan.n_out, "target")
        try:
            L, value_fn, grad_fn, shortcuts = plan.losses[loss]
        except (KeyError, TypeError):
            L, value_fn, grad_fn, shortcuts = self._bind_loss(plan, loss)
        clean = self._clean and not self._hooks and after_layer is None   # nothing else writes
        A, D, E, G = self._A, self._D, self._E, self._G     # (_G writes out pending rows)
        rnd = arithmetic.rounder(num) if arithmetic._ROUNDING.get() is not None else None
        outs = A[plan.out_sl] if plan.out_sl is not None else [A[i] for i in plan.out_idx]
        try:
            cost = value_fn(outs, ys)
            gs = grad_fn(outs, ys)
        except (OverflowError, ArithmeticError) as e:
            raise NumericalError("loss %r: %s: %s at outputs %s" % (
                L.name, type(e).__name__, e, [fmt(a) for a in outs])) from e
        if rnd is not None:
            cost = rnd(cost)
            gs = list(map(rnd, gs))
        hooks = self._hooks
        saved = None if plan.safe and not hooks and after_layer is None else (D[:], E[:], G[:])
        try:
            self._backward_layers(plan, shortcuts, ys, gs, rnd, after_layer, clean)
        except BaseException as e:
            if saved is not None:            # deltas, dE/da and grads back as they were
                self._pending.clear()
                D[:], E[:], G[:] = saved
            if isinstance(e, ArithmeticError) and not isinstance(e, NeurographError):
                raise NumericalError("backward pass: %s: %s; no gradient was changed%s" % (
                    type(e).__name__, e, "" if after_layer is None else
                    " (updates already made by after_layer stay)")) from e
            raise
        return cost

    def _bind_loss(self, plan: _Plan, spec: Any) -> Tuple[Loss, Any, Any, Dict[_Block, Any]]:
        """The loss *spec* bound to this plan's outputs and number system (cached on the plan)."""
        L = _get_loss(spec).for_outputs(plan.out_acts)
        value_fn, grad_fn = L.functions(self._num)
        shortcuts = {}
        for blk in plan.blocks:
            sc = L.shortcut(blk.act.name) if blk.is_output and blk.act.builtin else None
            if sc is not None:
                shortcuts[blk] = sc
        bound = (L, value_fn, grad_fn, shortcuts)
        if isinstance(spec, (str, Loss)) and len(plan.losses) < 16:
            plan.losses[spec] = bound
        return bound

    def _backward_layers(self, plan: _Plan, shortcuts: Dict[_Block, Any], ys: List[Number],
                         gs: List[Number], rnd: Any,
                         after_layer: Optional[Callable[[int], Any]], clean: bool = False) -> None:
        """The layer walk of :meth:`backward`: BP1..BP4 from the outputs down.

        *clean*: every gradient was zero when backward began (zero_grad since).
        """
        A, Z, D, E, V, G = self._A, self._Z, self._D, self._E, self._V, self._Graw
        pending = self._pending
        n_in = plan.n_in
        floats, zero = plan.floats, self._num.zero
        E[n_in:] = plan.zeros_n
        if plan.out_sl is not None and type(gs) is list and len(gs) == plan.n_out:
            E[plan.out_sl] = gs          # dE/da of the outputs: the loss gradient
        else:
            for i, g in zip(plan.out_idx, gs):
                E[i] = g
        hooks = self._hooks
        for lay in plan.rlayers:
            # BP1 (outputs) and BP2 (hidden): delta = dE/da * f'(z), where dE/da of a
            # hidden neuron was summed from the layers above: sum_k w_kj delta_k.
            for blk in lay.blocks:
                lo, hi = blk.lo, blk.hi
                sc = shortcuts.get(blk) if shortcuts else None
                if sc is None and blk.loops and blk.bp and rnd is None:
                    continue             # computed row by row with the gradients below
                if sc is not None:       # BP1 in closed form (cross-entropy cancels f')
                    ds = sc(A[lo:hi], ys[blk.ysl] if blk.ysl is not None
                            else [ys[p] for p in blk.out_pos])
                elif blk.bp:             # Activation.backprop, inlined
                    ds = map(mul, E[lo:hi], map(blk.df, A[lo:hi] if blk.wrt_a else Z[lo:hi]))
                else:
                    ds = blk.act.backprop(blk.df, Z[lo:hi], A[lo:hi], E[lo:hi])
                if rnd is not None:
                    ds = map(rnd, ds)
                D[lo:hi] = ds
            # BP3 (dE/db = delta) and BP4 (dE/dw = a_src * delta), added to .grad.
            for blk in lay.blocks:
                if blk.loops and rnd is None:
                    src = A[blk.slo:blk.shi]
                    k = blk.lo
                    df = blk.df if blk.bp and not (shortcuts and blk in shortcuts) else None
                    X = A if blk.wrt_a else Z
                    for j, b in blk.wsb:        # (first weight slot, bias slot) per row
                        if df is not None:
                            d = D[k] = E[k] * df(X[k])                                 # BP1/BP2
                        else:
                            d = D[k]
                        k += 1
                        for a in src:
                            G[j] += d * a                                              # BP4
                            j += 1
                        if b >= 0:
                            G[b] += d                                                  # BP3
                    continue
                ds = D[blk.lo:blk.hi]
                if blk.dense:
                    src = A[blk.slo:blk.shi]
                    if rnd is not None:
                        for (w, b), d in zip(blk.wb, ds):
                            G[w] = map(rnd, map(add, G[w], map(rnd, map(mul, repeat(d), src))))
                            if b >= 0:
                                G[b] = rnd(G[b] + d)
                    else:
                        # Floats, grads all zero (as after zero_grad): 0 + d a is d a when the
                        # product is not zero, which |d| min|a| > 0 guarantees (rounding is
                        # monotone).  Such a row's gradient is kept as (slots, d, a) until
                        # something reads it (see Net._G); plain SGD never needs it written.
                        # (A block of untied weights still has the zeros it had at the start.)
                        gsp = blk.gspan
                        if floats and blk.excl and (clean or (
                                G[gsp.start] == zero and G[gsp].count(zero) == blk.gn)):
                            amin = min(map(abs, src))
                            for (w, b), d in zip(blk.wb, ds):
                                if abs(d) * amin > 0.0:
                                    pending.append((w.start, w.stop, d, src))          # BP4
                                else:
                                    G[w] = [g + d * a for g, a in zip(G[w], src)]      # BP4
                                if b >= 0:
                                    G[b] += d                                          # BP3
                        else:
                            for (w, b), d in zip(blk.wb, ds):
                                G[w] = [g + d * a for g, a in zip(G[w], src)]          # BP4
                                if b >= 0:
                                    G[b] += d                                          # BP3
                else:
                    for (wi, si, b, _), d in zip(blk.rows, ds):
                        for w, s in zip(wi, si):
                            G[w] = G[w] + d * A[s] if rnd is None else rnd(G[w] + rnd(d * A[s]))  # BP4
                        if b >= 0:
                            G[b] = G[b] + d if rnd is None else rnd(G[b] + d)                   # BP3
            if after_layer is not None:
                after_layer(lay.index)
            # BP2, first half: pass the error back along every edge, dE/da_src += w * delta,
            # adding the block's terms to each source in row order.
            for blk in lay.blocks:
                if blk.src_inputs:
                    continue             # inputs need no error
                if blk.loops and rnd is None:
                    s0, s1 = blk.psl.start, blk.psl.stop
                    k = blk.lo
                    for j in blk.pw0:           # first propagated weight slot per row
                        d = D[k]
                        k += 1
                        for i in range(s0, s1):
                            E[i] += d * V[j]                                           # BP2 sum
                            j += 1
                    continue
                ds = D[blk.lo:blk.hi]
                if rnd is not None:
                    if blk.dense:
                        sl = blk.psl
                        for w, d in zip(blk.pwb, ds):
                            E[sl] = map(rnd, map(add, E[sl], map(rnd, map(mul, repeat(d), V[w]))))
                    else:
                        for (_, _, _, prop), d in zip(blk.rows, ds):
                            for w, s in prop:
                                E[s] = rnd(E[s] + rnd(d * V[w]))
                elif blk.dense:
                    sl = blk.psl
                    for w, d in zip(blk.pwb, ds):
                        E[sl] = [e + d * v for e, v in zip(E[sl], V[w])]
                else:            # per source, its terms in row order: the same sums
                    for s, ws, ps in blk.pcols:
                        e = E[s]
                        for w, p in zip(ws, ps):
                            e += ds[p] * V[w]
                        E[s] = e
            if hooks:
                for h in hooks:
                    h("backward", lay.neurons)

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zero (``backward`` adds to it)."""
        self._pending.clear()
        self._clean = True
        G = self._Graw
        n = len(G)
        zeros = self._zeros
        if not zeros or zeros[0] is not self._num.zero:
            zeros = self._zeros = [self._num.zero] * 4096
        if n <= 4096:                        # one copy of the right length, kept for next time
            zn = self._zeros_n
            if len(zn) != n or (n and zn[0] is not zeros[0]):
                zn = self._zeros_n = zeros[:n]
            G[:] = zn
            return
        for i in range(0, n - 4095, 4096):   # a chunk at a time: no list as long as G
            G[i:i + 4096] = zeros
        i = n - n % 4096
        G[i:] = zeros[:n - i]

    # -- convenience -------------------------------------------------------
    def loss(self, x: Sequence[Any], target: Sequence[Any], loss: Any = "half_sse") -> Number:
        """The loss of one sample, without touching any gradient.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity")
        >>> net["i1->o1"].weight = 1.0
        >>> net.loss([2.0], [1.0])
        0.5
        """
        outs = self.forward(x)
        plan = self._compiled()
        L = _get_loss(loss).for_outputs(plan.out_acts)
        ys = self._num.vector(target, len(outs), "target")
        cost = L.functions(self._num)[0](outs, ys)
        rnd = arithmetic.rounder(self._num) if arithmetic._ROUNDING.get() is not None else None
        return cost if rnd is None else rnd(cost)      # rounded as backward() rounds it

    # -- explaining, drawing, saving (implemented in their own modules) ------
    def explain(self, name: str, **options: Any) -> Any:
        """The chain rule behind one gradient or delta (see :mod:`neurograph.explain`)."""
        from .explain import explain
        return explain(self, name, **options)

    def trace(self, **options: Any) -> Any:
        """``with net.trace() as t:`` records every computed quantity (see :mod:`neurograph.explain`)."""
        from .explain import trace
        return trace(self, **options)

    def add_hook(self, fn: Callable[..., Any], on: Any = ("forward", "backward")) -> Any:
        """Call *fn* for every neuron/connection as it is computed; returns a removable handle."""
        from .explain import add_hook
        return add_hook(self, fn, on=on)

    def summary(self) -> str:
        """A table of layers, neurons, parameters and counts."""
        from .explain import summary
        return summary(self)

    def to_svg(self, **options: Any) -> str:
        """A standalone SVG picture of the net (see :mod:`neurograph.draw`)."""
        from .draw import net_svg
        return net_svg(self, **options)

    def save_svg(self, path: Any, **options: Any) -> None:
        """Write :meth:`to_svg` to *path*."""
        from .draw import write_svg, net_svg
        write_svg(net_svg(self, **options), path)

    def to_dot(self, **options: Any) -> str:
        """Graphviz DOT text of the net."""
        from .draw import net_dot
        return net_dot(self, **options)

    def diagram(self, **options: Any) -> str:
        """A compact text picture of a small net, for the terminal."""
        from .draw import diagram
        return diagram(self, **options)

    def _repr_svg_(self) -> str:
        from .draw import net_svg
        return net_svg(self)

    def to_dict(self, **options: Any) -> Dict[str, Any]:
        """The net as a JSON-ready dict (see :mod:`neurograph.persistence`)."""
        from .persistence import net_to_dict
        return net_to_dict(self, **options)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Net":
        """Build a net from :meth:`to_dict` output, validating everything first."""
        from .persistence import net_from_dict
        return net_from_dict(data)

    def save(self, path: Any, **options: Any) -> None:
        """Write the net to a JSON file, atomically (see :mod:`neurograph.persistence`)."""
        from .persistence import save
        save(self, path, **options)

    def to_matrices(self) -> List[Tuple[List[List[Number]], List[Number]]]:
        """Per layer ``(weights[out][in], biases)`` for a dense layered net."""
        from .persistence import to_matrices
        return to_matrices(self)

    @classmethod
    def from_matrices(cls, weights: Any, biases: Any, activations: Any = "sigmoid",
                      **options: Any) -> "Net":
        """Build a dense net from per-layer weight matrices ``[out][in]`` and bias vectors."""
        from .persistence import from_matrices
        return from_matrices(weights, biases, activations=activations, **options)

    def values(self) -> Dict[str, Number]:
        """Every parameter's value by name (a snapshot, for comparing before and after)."""
        return {p.name: p.value for p in self.parameters()}


#: Plain for-loops instead of map/sum over slices: the faster choice under PyPy's JIT.
_LOOPS = platform.python_implementation() == "PyPy"
#: On CPython, dense blocks with fewer sources than this use plain loops too.
_LOOP_FANIN = 16
_FLOAT = {float}
#: True where sum() adds floats one after another (CPython before 3.12, PyPy): there a
#: plain loop gives the same z as ``sum(map(mul, w, a), b)``; later CPythons compensate.
_SEQ_SUM = sum([1.0, 1e100, 1.0, -1e100]) == 0.0


def _floats(values: Any, n: int) -> Optional[List[float]]:
    """*values* as a new list when it is a list or tuple of *n* finite floats, else None."""
    if type(values) in (list, tuple) and len(values) == n and set(map(type, values)) == _FLOAT:
        s = sum(values)
        if s - s == 0.0:     # finite (an overflowing sum goes the long way, which accepts it)
            return list(values)
    return None


def _columns(rows: List[Tuple[Tuple[int, ...], Tuple[int, ...], int]],
             n_in: int) -> List[Tuple[int, Tuple[int, ...], Tuple[int, ...]]]:
    """Per non-input source of a block: (source slot, weight slots, block positions), by row."""
    cols: Dict[int, Tuple[List[int], List[int]]] = {}
    for p, (widx, sidx, _) in enumerate(rows):
        for w, s in zip(widx, sidx):
            if s >= n_in:
                ws, ps = cols.setdefault(s, ([], []))
                ws.append(w)
                ps.append(p)
    return [(s, tuple(ws), tuple(ps)) for s, (ws, ps) in sorted(cols.items())]


def _contiguous(idx: Tuple[int, ...]) -> bool:
    return bool(idx) and idx[-1] - idx[0] == len(idx) - 1 and all(
        b - a == 1 for a, b in zip(idx, idx[1:]))


def _kind(obj: Any) -> str:
    if isinstance(obj, Neuron):
        return "input neuron %r" % obj.name if obj.is_input else "neuron %r" % obj.name
    if isinstance(obj, Connection):
        return "connection %r" % obj.name
    if isinstance(obj, Parameter):
        return "parameter %r" % obj.name
    return repr(obj)


def _blame(blk: Optional[_Block], Z: List[Any], A: List[Any]) -> str:
    if blk is None:
        return "the net"
    if blk.act.elementwise:  # re-evaluate the block's neurons one by one to name the culprit
        f = blk.f
        for n in blk.neurons:
            step = "z = b + sum w * a_src"
            try:
                z = n._bias.value if n._bias is not None else n._net._num.zero
                for c in n.inputs:
                    z = z + c.weight * c.src.a
                step = "a = %s(z) at z = %s" % (blk.act.name, fmt(z))
                f(z)
            except (OverflowError, ArithmeticError):
                net = n._net
                xs = [fmt(m.a) for m in net._neurons if m.is_input][:8]
                return "neuron %r (layer %d, %s: %s; sample %d, inputs [%s])" % (
                    n.name, blk.layer, blk.act.name, step, net.samples_seen, ", ".join(xs))
    names = [n.name for n in blk.neurons]
    return "neuron%s %s (layer %d, %s)" % ("" if len(names) == 1 else "s", ", ".join(
        repr(n) for n in names[:5]) + (" ..." if len(names) > 5 else ""), blk.layer, blk.act.name)
