"""The :class:`Net`: builds the object graph, names its objects and runs the walk.

A net is neurons wired by connections into any directed acyclic graph.
Building checks everything as it goes (names, number types, cycles); the
order the passes visit the neurons in comes from :mod:`neurograph.core.layers`
and the passes themselves from :mod:`neurograph.core.walk`.  Every number lives
on the objects (:mod:`neurograph.core.neuron`).

==============================  ==============================================
name                            what it is
==============================  ==============================================
``Net()``                       an empty feed-forward net (any DAG)
``Net.dense(sizes, ...)``       a fully connected layered net, seeded
``net.add_input(name)``         an input neuron (layer 0)
``net.add_neuron(name, ...)``   a neuron with an activation and a bias
``net.add_parameter(name, v)``  a named number, shareable (biases, tied weights)
``net.connect(src, dst, w)``    a Connection ``src -> dst`` with weight ``w`` (``delay=``)
``net.forward(x)``              outputs; fills every ``z`` and ``a``
``net.backward(y, loss)``       loss; fills ``delta``, ``grad_a``, adds to every ``grad``
``net.forward_sequence(xs)``    a recurrent net (delayed connections): outputs per step
``net.backward_sequence(ys)``   back-propagation through time (neurograph.core.through_time)
``net.zero_grad()``             every ``grad`` back to zero
``net[name]``                   a neuron, connection or parameter by name
``net.layers``                  neurons by layer (layer = 1 + max source layer)
``net.parameters()``            every parameter once
==============================  ==============================================

The tools built on the core (explaining, pictures, files) add their methods
in :mod:`neurograph.net`, whose ``Net`` mixes them into this class.

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

import random
from math import hypot
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import rounding, walk
from .activations import Activation, activation as _get_activation
from .arithmetic import FLOAT, PLAIN_LIMIT, NumberSystem, plain_floats, system_for
from .errors import (DuplicateNameError, NameLookupError, NumberError, ShapeError, StateError,
                     TopologyError, suggest)
from .layers import Order, order_neurons
from .losses import LOSSES, Loss
from .neuron import Connection, Neuron, Parameter, Past, TiedConnection
from .refusals import (loss_failed, loss_not_finite, no_backward, optimizer_of, output_not_finite,
                       recurrent)
from .through_time import ThroughTime
from .wiring import (check_acyclic, check_connection, check_name, check_not_connected,
                     check_seed, give_bias, kind, neuron_of)

__all__ = ["Net", "Neuron", "Connection", "Parameter", "TiedConnection", "EVERY_NET"]

Number = Any
AnyParameter = Union[Parameter, Connection]


#: Functions called with every net at the start of its forward pass: a tool that watches all
#: nets for a while (``with ng.detect_anomaly():``) adds itself here and removes itself after.
EVERY_NET: List[Callable[["Net"], None]] = []
#: Losses that cannot fail in a float net of built-in activations (no copy kept for them) ...
_SAFE = frozenset(LOSSES.values())
#: ... while the outputs and the targets are plain (hypot of each below PLAIN_LIMIT, 1e150):
#: the loss of outputs a against targets y is then at most hypot(a - y)^2 < 4e300, not inf.
_NEAR = PLAIN_LIMIT
#: The rounding rules of a pass run outside every ``ng.rounding`` block (forward, backward).
_UNROUNDED: Tuple[Any, Any] = (None, None)


class Net(ThroughTime):
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

    def __init__(self, number: Any = float, *, seed: Optional[int] = 0, name: str = "") -> None:
        self._num: NumberSystem = system_for(number)
        #: The arithmetic of the net's number type (conversion, exp, log, sqrt, rounding).
        self.number_system = self._num
        self.name = name
        self._rng = random.Random(check_seed(seed, "Net"))
        self._neurons: List[Neuron] = []
        self._names: Dict[str, Any] = {}
        self._params: List[AnyParameter] = []      # every parameter, in creation order
        self._own_bias: Dict[Neuron, Parameter] = {}
        self._n_edges = 0
        self._version = 0
        self._order: Optional[Order] = None
        self._forwarded: Optional[Order] = None    # the order of the last forward pass
        self._backwarded = False                   # a backward pass followed that forward pass
        self._far = False                          # its float outputs are far from 0 (>= _NEAR)
        self._last: Tuple[Any, List[Neuron], Any] = (None, [], [])   # its loss and targets
        #: The rounding rules (``ng.rounding``) the last forward and backward pass ran
        #: under, None for none: explain replays the pass under them.
        self._rounded: Tuple[Any, Any] = _UNROUNDED
        #: Callables ``hook(event, obj)`` told about every neuron of "forward" and
        #: "backward", and the parameters of "before_step" and "step" (neurograph.debugging).
        self._hooks: List[Callable[[str, Any], None]] = []
        self.samples_seen = 0
        #: The time step the walk is at inside forward_sequence/backward_sequence, else None.
        self.step: Optional[int] = None
        self._sequence: Any = None                  # the last forward_sequence (through_time)

    @property
    def number(self) -> type:
        """The number type of every value in this net: float, Decimal or Fraction."""
        return self._num.type


    # -- building ----------------------------------------------------------
    def _changed(self) -> None:
        """The wiring (or a trainable flag) changed: the walk's order is made again."""
        self._version += 1
        self._order = None

    def _claim_name(self, name: str) -> None:
        if name in self._names:
            raise DuplicateNameError("name %r is already used by %s in this net: choose another "
                                     "name" % (name, kind(self._names[name])))

    def _add(self, obj: Any, name: str) -> Any:
        self._names[name] = obj
        self._changed()
        return obj

    def add_input(self, name: Optional[str] = None) -> Neuron:
        """Add an input neuron.  Inputs take the values given to ``forward`` in creation order.

        >>> import neurograph as ng
        >>> ng.Net().add_input("x1")
        Neuron(x1, input, a None)
        """
        if name is None:
            name = "i%d" % (sum(1 for n in self._neurons if n.is_input) + 1)
        self._claim_name(check_name(name, "neuron"))
        neuron = Neuron(self, name)
        self._neurons.append(neuron)
        return self._add(neuron, name)

    def _bind_activation(self, spec: Any, where: str) -> Activation:
        act = _get_activation(spec)
        try:
            act.functions(self._num)  # fail now, not at the first forward pass
        except NumberError as e:
            raise NumberError("%s: %s" % (where, e)) from None
        return act

    def _number(self, value: Any, what: str) -> Number:
        """*value* in the net's number type; a parameter's name gets a hint to use the object."""
        try:
            return self._num.convert(value, what)
        except NumberError as e:
            if isinstance(value, str) and isinstance(self._names.get(value), Parameter):
                raise NumberError("%s: %r is the name of a parameter, not a number: pass the "
                                  "parameter itself, net[%r]" % (what, value, value)) from None
            raise e from None

    def _set_bias(self, neuron: Neuron, spec: Any) -> None:
        """Give *neuron* the bias *spec*: a number (its own), a Parameter (shared) or None."""
        give_bias(self, neuron, spec)
        self._changed()

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
        self._claim_name(check_name(name, "neuron"))
        act = self._bind_activation(activation, "neuron %r" % name)
        if isinstance(bias, Parameter):                         # check before adding anything
            if bias._net is not self:
                raise TopologyError("bias of neuron %r: parameter %r belongs to another net; "
                                    "add it to this net with add_parameter" % (name, bias.name))
        elif bias is not None:
            self._claim_name(name + ".bias")
            self._number(bias, "bias of neuron %r" % name)
        neuron = Neuron(self, name, act)
        self._neurons.append(neuron)
        self._add(neuron, name)
        self._set_bias(neuron, bias)
        return neuron

    def add_parameter(self, name: str, value: Any, trainable: bool = True) -> Parameter:
        """Add a named Parameter, to share as a bias or as a tied weight.

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> net.add_parameter("b1", 0.35, trainable=False)
        Parameter(b1 = 0.35, grad 0, frozen)
        """
        self._claim_name(check_name(name, "parameter"))
        if not isinstance(trainable, bool):
            raise NumberError("trainable of parameter %r must be True or False, got %r"
                              % (name, trainable))
        p = Parameter(self, name, self._number(value, "value of parameter %r" % name), trainable)
        self._params.append(p)
        return self._add(p, name)

    def connect(self, src: Any, dst: Any, weight: Any = None, name: Optional[str] = None,
                trainable: bool = True, delay: int = 0) -> Connection:
        """Connect *src* to *dst* and return the Connection.

        *weight* is a number, a Parameter or Connection of this net (a tied
        weight: this connection shares that weight), or None
        for a random value drawn from the net's seeded generator
        (uniform in [-1, 1]).

        *delay* d > 0 makes a recurrent connection: it carries *src*'s
        activation of d time steps before (see ``forward_sequence``).  Only
        delayed connections may connect a neuron to itself or close a cycle.

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> a, b = net.add_input("a"), net.add_neuron("b")
        >>> net.connect(a, b, 0.15, name="w1")
        Connection(w1, weight 0.15, grad 0)
        >>> net.connect(b, b, 1.0)
        Traceback (most recent call last):
        ...
        neurograph.TopologyError: cannot connect neuron 'b' to itself: a feed-forward net has no loops (a recurrent connection needs a delay: connect(..., delay=1))
        """
        s, d = neuron_of(self, src, "source"), neuron_of(self, dst, "destination")
        check_connection(self, s, d, name, trainable, delay)
        check_not_connected(s, d, delay, name)
        if not delay:
            check_acyclic(s, d, self._order is not None)
        if isinstance(weight, (Parameter, Connection)):      # a tied weight
            if weight.net is not self:
                raise TopologyError("parameter %r belongs to another net: add it to this one with "
                                    "add_parameter" % weight.name)
            return self._join(TiedConnection(s, d, weight.param, name, delay))
        if weight is None:
            value = self._num.from_float(self._rng.uniform(-1.0, 1.0))
        else:
            value = self._number(weight, "weight of connection %s->%s" % (s.name, d.name))
        return self._join(Connection(s, d, value, name, trainable, delay))

    def _join(self, c: Connection) -> Connection:
        """Add the connection *c*, checked, to the neurons it joins (and its weight, unless
        tied, to the parameters): the one place a connection becomes part of the net."""
        s, d, delay = c.src, c.dst, c.delay
        if not isinstance(c, TiedConnection):
            self._params.append(c)
        if delay:                                  # one Past per source and delay, shared
            c.upstream = next((o.upstream for o in s.delayed_outputs if o.delay == delay),
                              None) or Past(s, delay)
            s.delayed_outputs.append(c)
            d.delayed_inputs.append(c)
        else:
            s.outputs.append(c)
            d.inputs.append(c)
        self._n_edges += 1
        if c._name is not None:
            self._names[c._name] = c
        self._changed()
        return c

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
        check_seed(seed, "Net.dense")
        if len(sizes) < 2 or any(type(s) is not int or s < 1 for s in sizes):
            raise ShapeError("Net.dense needs at least two layer sizes, each a whole number >= 1; "
                             "got %r" % (sizes,))
        net = cls(number=number, seed=seed)
        hidden = net._bind_activation(activation, "Net.dense(activation=%r)" % (activation,))
        out = hidden if output_activation is None else net._bind_activation(
            output_activation, "Net.dense(output_activation=%r)" % (output_activation,))
        rng, zero = random.Random(seed), (net.number_system.zero if bias else None)
        prev = [net.add_input("i%d" % (j + 1)) for j in range(sizes[0])]
        for L in range(1, len(sizes)):
            last = L == len(sizes) - 1
            layer, scale = [], 1.0 / len(prev) ** 0.5
            for j in range(sizes[L]):
                name = "o%d" % (j + 1) if last else "h%d_%d" % (L, j + 1)
                d = net.add_neuron(name, out if last else hidden, zero)
                layer.append(d)
                for p in prev:                     # (a new neuron fed by older ones: none of
                    net._join(Connection(p, d, net.number_system.from_float(   # connect's
                        rng.gauss(0.0, 1.0) * scale), None, True, 0))          # checks can fail)
            prev = layer
        return net

    # -- looking things up -------------------------------------------------
    def __getitem__(self, name: str) -> Any:
        """The neuron, connection or parameter called *name* (``"h1->o1"`` for unnamed edges)."""
        if not isinstance(name, str):
            raise NameLookupError("look objects up by their name (a string), got %r" % (name,))
        obj = self._names.get(name)
        if obj is not None:
            return obj
        s_name, arrow, d_name = name.partition("->")
        s = self._names.get(s_name)
        if arrow and isinstance(s, Neuron):       # the default name of an unnamed connection
            for c in s.outputs + s.delayed_outputs:
                if c._name is None and c.dst.name == d_name:
                    return c
        choices = list(self._names)
        raise NameLookupError("this net has no neuron, connection or parameter named %r%s"
                              % (name, suggest(name, choices) if len(choices) < 5000 else ""))

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None  # type: ignore[arg-type]

    def get(self, name: str, default: Any = None) -> Any:
        """``net[name]``, or *default* when the net has nothing of that name.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], seed=0)
        >>> net.get("i1->o1").name, net.get("h9"), net.get("h9", "none")
        ('i1->o1', None, 'none')
        """
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
        """Every connection, grouped by destination neuron in creation order (a neuron's
        delayed connections after its others).

        >>> import neurograph as ng
        >>> [c.name for c in ng.Net.dense([2, 2, 1], seed=0).connections()]
        ['i1->h1_1', 'i2->h1_1', 'i1->h1_2', 'i2->h1_2', 'h1_1->o1', 'h1_2->o1']
        """
        return [c for n in self._neurons for c in n.inputs + n.delayed_inputs]

    def parameters(self) -> List[AnyParameter]:
        """Every parameter once, in creation order: Parameters and connections' own weights.

        >>> import neurograph as ng
        >>> [p.name for p in ng.Net.dense([1, 1]).parameters()]
        ['o1.bias', 'i1->o1']
        """
        return list(self._params)

    def values(self) -> Dict[str, Number]:
        """Every parameter's value by name (a snapshot, for comparing before and after).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], seed=0)
        >>> net["i1->o1"].weight = 0.5
        >>> net.values()
        {'o1.bias': 0.0, 'i1->o1': 0.5}
        """
        return {p.name: p.value for p in self._params}

    @property
    def layers(self) -> List[List[Neuron]]:
        """Neurons by layer; layer 0 holds the inputs, a neuron's layer is 1 + its sources' max."""
        return [list(layer) for layer in self._ordered().layers]

    def _ordered(self) -> Order:
        """The walk's order for the wiring as it is now (made again after every change)."""
        order = self._order
        if order is None:
            order = self._order = order_neurons(self)
            order.bind_loss(self._num, "half_sse")   # the default loss, bound with the order
        return order

    def __repr__(self) -> str:
        try:
            sizes = "-".join(str(len(layer)) for layer in self._ordered().layers) + ": "
        except (StateError, TopologyError):
            sizes = ""
        return "Net(%s%d neurons, %d connections, %d parameters, %s)" % (
            sizes, len(self._neurons), self._n_edges, len(self._params), self._num.name)

    # -- the passes --------------------------------------------------------
    def forward(self, x: Sequence[Any]) -> List[Number]:
        """Feed *x* to the inputs and return the outputs' activations.

        Each neuron's ``z = b + sum(w * a_src)`` and ``a = f(z)`` are stored on it.
        If the pass fails, every neuron keeps the values it had; in a float net an output
        that is not finite (an overflow: inf or nan) fails it with a NumericalError naming
        the first neuron whose ``a`` is not finite.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight, net["i2->o1"].weight = 1.0, -1.0
        >>> net.forward([5.0, 3.0])
        [2.0]
        """
        order = self._order or self._ordered()
        if order.delayed:
            raise StateError(recurrent(self, "forward(x)"))
        for tool in EVERY_NET:                  # (e.g. detect_anomaly() without a net)
            tool(self)
        num, neurons = self._num, self._neurons
        xs = x if num is FLOAT and type(x) is list and plain_floats(x, len(order.inputs)) else \
            num.values_for(x, order.inputs, "input")        # (the common case first)
        for n in neurons:                       # what a failed pass puts back
            n._kept = n.z, n.a, n.grad_a
        try:
            outs = walk.forward(self, order, xs)        # (every dE/da starts at 0 too)
            far = num is FLOAT and not hypot(*outs) < _NEAR     # (inf and nan are far)
            if far and (error := output_not_finite(self, order)) is not None:
                raise error
        except BaseException:
            for n in neurons:                   # as it was: the last pass stands
                n.z, n.a, n.grad_a = n._kept
            raise
        self._forwarded, self._backwarded, self._far = order, False, far
        if rounding.OPEN_BLOCKS or self._rounded is not _UNROUNDED:
            self._rounded = (rounding.current_rounding(), None) if rounding.OPEN_BLOCKS else _UNROUNDED
        self.samples_seen += 1
        return outs

    __call__ = forward

    def _loss(self, spec: Any) -> Loss:
        """The loss *spec* for this net's output activations (e.g. which cross-entropy)."""
        return self._ordered().bind_loss(self._num, spec)[0]

    def _restart_sums(self) -> None:
        for n in self._neurons:
            n.grad_a = self._num.zero

    def backward(self, target: Sequence[Any], loss: Any = "half_sse",
                 after_layer: Any = None, *, step: Any = None) -> Number:
        """Back-propagate the loss of the last forward pass against *target*; return the loss.

        Sets every neuron's ``delta`` and ``grad_a`` and ADDS this sample's
        gradient to every parameter's ``grad`` (call ``zero_grad`` to start
        afresh).  With *step* (an optimizer; ``after_layer=opt.step`` says
        the same) each parameter is updated as soon as its gradient is
        complete, before the error is passed back through it: the
        "immediate" update order of some textbooks.  If the pass fails (in a float net,
        also a loss that is not finite: a NumericalError), every number is as it was.

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
        if (order := self._forwarded) is None or order is not self._order or order.delayed:
            raise no_backward(self)             # (the order of the last forward pass)
        ys = target if self._num is FLOAT and type(target) is list and plain_floats(target, len(order.outputs)) \
            else self._num.values_for(target, order.outputs, "target")      # (as it is: below _NEAR)
        loss, value, gradient = (type(loss) is str and order.losses.get(loss)) or order.bind_loss(
            self._num, loss)                    # (bound once a wiring)
        opt = None if step is None and after_layer is None else optimizer_of(step, after_layer)
        plain = order.safe and loss in _SAFE and not (self._hooks or self._far) and opt is None
        saved = None if plain and (ys is target or hypot(*ys) < _NEAR) else (   # (far from inf)
            self._numbers(), opt._numbers() if opt is not None else None)
        try:
            if self._backwarded:                # a second backward pass after one forward:
                self._restart_sums()            # its dE/da start at 0 again
            E = walk.backward(self, order, ys, loss, value, gradient, opt and order.immediate(opt))
            if saved is not None and not self._num.isfinite(E):     # a float loss overflowed
                raise loss_not_finite(self, loss, E, ys)
        except BaseException:
            if saved is None:                   # (an interrupt: sums begun, none finished)
                self._restart_sums()
            else:                               # every number as it was (the weights too)
                self._restore(saved[0])
                if opt is not None:
                    opt._restore(saved[1])
            raise
        self._backwarded, self._last = True, (loss, order.outputs, ys)   # (explain reads them)
        if rounding.OPEN_BLOCKS or self._rounded is not _UNROUNDED:
            self._rounded = (self._rounded[0], rounding.current_rounding())
        return E

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zero (``backward`` adds to it).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight = 2.0
        >>> _ = net.forward([1.0]); _ = net.backward([0.0])
        >>> net.zero_grad()
        >>> net["i1->o1"].grad, net["o1.bias"].grad
        (0.0, 0.0)
        """
        zero = self._num.zero
        for p in self._params:
            p.g = zero

    def loss(self, x: Sequence[Any], target: Sequence[Any], loss: Any = "half_sse") -> Number:
        """The loss of one sample, without touching any gradient.

        The loss name and the target are checked before the forward pass; a float loss
        that is not finite is a NumericalError, and the net is then as it was.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity")
        >>> net["i1->o1"].weight = 1.0
        >>> net.loss([2.0], [1.0])
        0.5
        """
        L, value, _ = self._ordered().bind_loss(self._num, loss)    # (a wrong name: no pass)
        ys = self._num.values_for(target, self._ordered().outputs, "target")
        kept = self._forwarded, self._backwarded, self._far, self.samples_seen, self._rounded
        outs = self.forward(x)
        try:
            cost = value(outs, ys)
            if not self._num.isfinite(cost):
                raise loss_not_finite(self, L, cost, ys, "net.loss")
        except BaseException as e:              # the forward pass undone too
            for n in self._neurons:             # (what it found: see forward)
                n.z, n.a, n.grad_a = n._kept
            self._forwarded, self._backwarded, self._far, self.samples_seen, self._rounded = kept
            error = loss_failed(L, e)
            if error is e:
                raise
            raise error from e
        rnd = rounding.rounder(self._num)
        return cost if rnd is None else rnd(cost)      # rounded as backward() rounds it

    # -- every number at once (gradcheck, explain and rollbacks use these) ----
    @property
    def _last_pass(self) -> Tuple[Any, Dict[Neuron, Any]]:
        """The loss of the last backward pass and its target of each output neuron."""
        loss, outputs, ys = self._last
        return loss, dict(zip(outputs, ys or []))

    def _numbers(self) -> Tuple[Any, ...]:
        """Every number the net holds, to put back with :meth:`_restore`."""
        return ([(n, n.z, n.a, n.delta, n.grad_a) for n in self._neurons],
                [(p, p.w, p.g) for p in self._params], self.samples_seen, self._forwarded,
                self._backwarded, self._far)

    def _restore(self, saved: Tuple[Any, ...]) -> None:
        neurons, params, self.samples_seen, self._forwarded, self._backwarded, self._far = saved
        for n, z, a, delta, grad_a in neurons:
            n.z, n.a, n.delta, n.grad_a = z, a, delta, grad_a
        for p, value, grad in params:
            p.w, p.g = value, grad

    def _watch(self, target: Any, on: str, when: Any, action: Any) -> Any:
        raise StateError("watchpoints come with neurograph.debugging: import neurograph")
