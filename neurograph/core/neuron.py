"""The objects of a net: :class:`Neuron`, :class:`Connection`, :class:`Parameter`.

Every number a net computes or learns is a plain attribute of one of these
objects, so ``p neuron.delta`` in pdb, a notebook's variable view or a
``print`` shows it.  There is exactly one copy of each number:

===========================  ===============================================================
object                       its numbers
===========================  ===============================================================
``Neuron``                   ``z`` (weighted input), ``a`` (activation), ``delta`` (dE/dz),
                             ``grad_a`` (dE/da); inputs have ``a`` and ``grad_a`` only
``Connection``               ``weight`` and ``grad`` (dE/dw summed since ``zero_grad``)
``Parameter``                ``value`` and ``grad``: a bias, or a weight shared by connections
===========================  ===============================================================

A connection's weight is a parameter in its own right (``connection.value``
is another name for ``connection.weight``), unless the connection was given
a shared :class:`Parameter` (a *tied* weight): then ``weight`` and ``grad``
read and write that Parameter's ``value`` and ``grad``.

Setting ``weight`` or ``value`` checks and converts the number (the string
``"0.1"`` in a Decimal net becomes ``Decimal("0.1")``; NaN, or a float in an
exact net, is refused naming the object); the walk reads the stored number
directly: a connection's is ``connection.w``, the textbook's w.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> o1, w5, b2 = ex.net["o1"], ex.net["w5"], ex.net["b2"]
>>> round(o1.z, 6), round(o1.a, 6), round(o1.delta, 6), round(o1.grad_a, 6)
(1.105906, 0.751365, 0.138499, 0.741365)
>>> w5.w == w5.weight == w5.value == 0.4, round(w5.grad, 9)
(True, 0.082167041)
>>> b2.value, round(b2.grad, 6), b2.trainable
(0.6, 0.1004, False)
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, List, NamedTuple, Optional, Union

from .activations import Activation
from .arithmetic import number_text
from .errors import (NeurographError, NumberError, NumericalError, ShapeError, StateError,
                     TopologyError)

#: The net an object belongs to (:class:`neurograph.core.net.Net`, a module above this one).
Net = Any

__all__ = ["Neuron", "Connection", "Parameter", "Past", "StepValues", "pass_error"]

Number = Any


def _set_grad(obj: Any, g: Any) -> None:
    """``obj.grad = g`` for a Parameter or a Connection: a number of the net's type (a
    gradient set by hand is checked like a weight, so an optimizer never meets another)."""
    obj.g = obj.net._number(g, "grad of %r" % obj.name)


def _set_trainable(obj: Any, flag: Any) -> None:
    """``obj.trainable = flag`` for a Parameter or a Connection (the walk's order is remade)."""
    if not isinstance(flag, bool):
        raise NumberError("trainable of %r must be True or False, got %r" % (obj.name, flag))
    obj._trainable = flag
    obj.net._changed()


class Parameter:
    """A named number of a net that learning may change: a bias, or a shared weight.

    ``value`` and ``grad`` are checked and converted when set, and stored in
    ``w`` and ``g`` (as a connection's weight and gradient are), which the
    walk and the optimizers read and write.  A Parameter may be shared:
    a bias used by several neurons (Mazur's ``b1``) or a weight tied across
    connections; its ``grad`` sums every use.  A frozen parameter
    (``trainable=False``) still gets its ``grad``, but optimizers leave its
    value alone.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> b = net.add_parameter("b", 0.35, trainable=False)
    >>> b
    Parameter(b = 0.35, grad 0, frozen)
    >>> b.value = 0.4
    >>> b.value
    0.4
    """

    __slots__ = ("name", "w", "g", "_trainable", "_net", "__weakref__")

    def __init__(self, net: "Net", name: str, value: Number, trainable: bool = True) -> None:
        self.name = name
        self.w = value            # the number itself (set through .value, which checks it)
        self.g = net.number_system.zero   # dE/dw summed since zero_grad (set through .grad)
        self._trainable = trainable
        self._net = net

    def _set_value(self, v: Any) -> None:
        self.w = self._net._number(v, "value of parameter %r" % self.name)

    # (read by a C function, not a Python one: the walk reads every bias once per pass)
    value = property(attrgetter("w"), _set_value, doc=(
        "The current value (settable; checked and converted to the net's number type)."))
    grad = property(attrgetter("g"), lambda self, g: _set_grad(self, g), doc=(
        "dE/d(value) summed since ``zero_grad`` (settable; checked and converted)."))

    @property
    def net(self) -> "Net":
        """The net this parameter belongs to."""
        return self._net

    trainable = property(attrgetter("_trainable"), lambda self, flag: _set_trainable(self, flag),
                         doc="False when optimizers must leave this parameter alone (settable).")

    @property
    def param(self) -> "Parameter":
        """The parameter itself (as ``connection.param`` is a connection's)."""
        return self

    def uses(self) -> List[Union["Connection", "Neuron"]]:
        """The connections whose weight and the neurons whose bias this is.

        >>> import neurograph as ng
        >>> [n.name for n in ng.textbook.mazur().net["b1"].uses()]
        ['h1', 'h2']
        """
        return _uses(self, self._net)

    def __repr__(self) -> str:
        return "Parameter(%s = %s, grad %s%s)" % (
            self.name, number_text(self.value, 6), number_text(self.grad, 6), "" if self._trainable else ", frozen")


def _uses(param: Any, net: "Net") -> List[Union["Connection", "Neuron"]]:
    out: List[Union[Connection, Neuron]] = []
    for n in net.neurons:
        for c in n.inputs + n.delayed_inputs:
            if c.param is param:
                out.append(c)
        if n.bias is param:
            out.append(n)
    return out


class Past:
    """A neuron's activation of *delay* time steps before, as its delayed connections of that
    delay carry it: ``a`` (set by ``forward_sequence`` before each step; the walk adds
    ``w * a`` to z and ``delta * a`` to the connection's grad) and ``grad_a``, the sum of
    their ``w * delta``: the BP2 terms the walk of step t - delay adds to that neuron's dE/da.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x, h = net.add_input("x"), net.add_neuron("h", activation="identity", bias=None)
    >>> _ = net.connect(x, h, 1.0); c = net.connect(h, h, 0.5, delay=1)
    >>> net.forward_sequence([[1.0], [2.0]])        # step 1: z = 1.0 * 2.0 + 0.5 * 1.0
    [[1.0], [2.5]]
    >>> c.past                                      # h's a of step 0, as step 1 read it
    Past(h, t-1, a 1, grad_a None)
    """

    __slots__ = ("neuron", "delay", "a", "grad_a")

    def __init__(self, neuron: "Neuron", delay: int) -> None:
        self.neuron = neuron
        self.delay = delay
        self.a: Number = None
        self.grad_a: Number = None

    def __repr__(self) -> str:
        return "Past(%s, t-%d, a %s, grad_a %s)" % (self.neuron.name, self.delay, number_text(self.a, 6),
                                                   number_text(self.grad_a, 6))


class Connection:
    """A directed edge ``src -> dst`` carrying a weight.

    ``weight`` (also called ``value``, so a connection is a parameter like any
    other) and ``grad`` are checked and converted when set, and stored in ``w``
    and ``g``, which the walk and the optimizers read and write.  A
    connection made with a shared Parameter (a *tied* weight) is a
    :class:`TiedConnection`: its ``weight`` and ``grad`` are that
    Parameter's.  ``local_grad`` is this edge's share of the last backward
    pass alone, ``dst.delta * src.a`` (BP4).

    A *delayed* connection (``delay`` d > 0, made by ``connect(..., delay=d)``)
    carries its source's activation of d time steps before: it lives in
    ``src.delayed_outputs`` and ``dst.delayed_inputs`` (not ``outputs`` and
    ``inputs``).  Its ``past`` is the :class:`Past` it shares with every
    delayed connection out of ``src`` with the same delay: during a step t of
    ``forward_sequence`` ``past.a`` is ``src.a`` at step t - d (also read as
    ``a_src``).  ``delay`` is 0 and ``past`` None for every other connection.

    ``upstream`` is what the walk reads the connection's input from and
    passes its error back to: ``src`` itself, or for a delayed connection
    ``past`` (both have ``a`` and ``grad_a``), so one loop serves both.

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

    __slots__ = ("src", "dst", "w", "g", "delay", "upstream", "_trainable", "_name")

    def __init__(self, src: "Neuron", dst: "Neuron", weight: Number, name: Optional[str] = None,
                 trainable: bool = True, delay: int = 0) -> None:
        self.src = src
        self.dst = dst
        self.w = weight           # the number itself (set through .weight, which checks it)
        self.g = src._net.number_system.zero      # dE/dw summed since zero_grad (.grad)
        self.delay = delay        # 0: today's connection; d > 0: carries src's a of step t - d
        self.upstream: Union["Neuron", Past] = src   # what it reads a from: src, or src's Past
        self._trainable = trainable
        self._name = name

    def _set_weight(self, w: Any) -> None:
        self.w = self.src._net._number(w, "weight of connection %r" % self.name)

    weight = value = property(attrgetter("w"), _set_weight, doc=(
        "The current weight (settable; checked and converted to the net's number type)."))
    grad = property(attrgetter("g"), lambda self, g: _set_grad(self, g), doc=(
        "dE/dw summed since ``zero_grad`` (settable; checked and converted)."))

    @property
    def net(self) -> "Net":
        """The net this connection belongs to."""
        return self.src._net

    @property
    def name(self) -> str:
        """The name given to ``connect``, or ``"src->dst"``."""
        return self._name if self._name is not None else "%s->%s" % (self.src.name, self.dst.name)

    @property
    def param(self) -> Union["Connection", Parameter]:
        """What holds this connection's weight: the connection itself, or the tied Parameter."""
        return self

    @property
    def tied(self) -> bool:
        """True when the weight is a shared Parameter."""
        return False

    trainable = property(attrgetter("_trainable"), lambda self, flag: _set_trainable(self, flag),
                         doc="False when optimizers must leave this weight alone (settable).")

    def uses(self) -> List[Union["Connection", "Neuron"]]:
        """The connections whose weight this is: this one, and any tied to it.

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> x, y, z = net.add_input("x"), net.add_neuron("y"), net.add_neuron("z")
        >>> w = net.connect(x, y, 0.5, name="w")
        >>> v = net.connect(x, z, w, name="v")          # v's weight is w's
        >>> [c.name for c in w.uses()], v.weight
        (['w', 'v'], 0.5)
        """
        return _uses(self.param, self.src._net)

    @property
    def past(self) -> Optional[Past]:
        """For a delayed connection, the :class:`Past` it reads from (``upstream``); else None."""
        return self.upstream if self.delay else None  # type: ignore[return-value]

    @property
    def a_src(self) -> Number:
        """The activation this connection delivers: ``src.a``, or for a delayed connection
        ``src``'s a of ``delay`` steps before (``past.a``)."""
        return self.upstream.a

    @property
    def local_grad(self) -> Number:
        """This edge's gradient in the last backward pass: ``dst.delta * src.a`` (BP4); for a
        delayed connection ``dst.delta * a_src``, the source's a of ``delay`` steps before."""
        d, a = self.dst.delta, self.upstream.a
        if d is None or a is None:
            return None
        return d * a

    def watch(self, on: str = "backward", when: Optional[Callable[..., Any]] = None,
              action: Any = "break") -> Any:
        """A watchpoint on this connection (see :func:`neurograph.debugging.watch`).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> w, grads = net["i1->o1"], []
        >>> h = w.watch(action=lambda c: grads.append(c.grad))   # on "backward"
        >>> w.weight = 2.0; _ = net.forward([1.0]); _ = net.backward([0.0]); h.remove()
        >>> grads
        [2.0]
        """
        return self.src._net._watch(self, on, when, action)

    def __repr__(self) -> str:
        extra = "" if self.trainable else ", frozen"
        if self.tied:
            extra += ", tied to %s" % self.param.name
        if self.delay:
            extra += ", delay %d" % self.delay
        return "Connection(%s, weight %s, grad %s%s)" % (
            self.name, number_text(self.weight, 6), number_text(self.grad, 6), extra)


class TiedConnection(Connection):
    """A connection whose weight is a shared :class:`Parameter` (``param``).

    ``weight`` and ``grad`` read and write the Parameter's ``value`` and
    ``grad``, so every connection tied to it sees the same number and the
    backward pass adds each use's gradient to the one shared ``grad``.

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x, y = net.add_input("x"), net.add_neuron("y")
    >>> p = net.add_parameter("p", 0.5)
    >>> net.connect(x, y, p)
    Connection(x->y, weight 0.5, grad 0, tied to p)
    """

    __slots__ = ("_param",)

    def __init__(self, src: "Neuron", dst: "Neuron", param: Parameter,
                 name: Optional[str] = None, delay: int = 0) -> None:
        self.src = src
        self.dst = dst
        self._param = param
        self._name = name
        self.delay = delay
        self.upstream = src

    def _get_weight(self) -> Number:
        return self._param.w

    def _set_weight(self, w: Number) -> None:
        self._param.value = w

    weight = value = property(_get_weight, _set_weight,  # type: ignore[assignment]
                              doc="The shared Parameter's value.")
    w = property(_get_weight, doc="The shared Parameter's value.")  # type: ignore[assignment]

    def _get_g(self) -> Number:
        return self._param.g

    def _set_g(self, g: Number) -> None:
        self._param.g = g

    g = property(_get_g, _set_g, doc="The shared Parameter's g (the walk adds to it).")  # type: ignore[assignment]

    @property  # type: ignore[override]
    def grad(self) -> Number:
        """The shared Parameter's grad: dE/dw summed over every connection tied to it."""
        return self._param.g

    @grad.setter
    def grad(self, g: Number) -> None:
        self._param.grad = g

    @property
    def param(self) -> Parameter:  # type: ignore[override]
        """The shared Parameter that holds this connection's weight."""
        return self._param

    @property
    def tied(self) -> bool:
        """True: the weight is a shared Parameter."""
        return True

    @property
    def trainable(self) -> bool:  # type: ignore[override]
        """The shared Parameter's ``trainable`` (settable)."""
        return self._param.trainable

    @trainable.setter
    def trainable(self, flag: bool) -> None:
        self._param.trainable = flag


class StepValues(NamedTuple):
    """A neuron's numbers at one time step of a sequence (``neuron.at(t)``).

    >>> import neurograph as ng
    >>> net = ng.Net()
    >>> x, h = net.add_input("x"), net.add_neuron("h", activation="identity", bias=None)
    >>> _ = net.connect(x, h, 1.0); _ = net.connect(h, h, 0.5, delay=1)
    >>> _ = net.forward_sequence([[1.0], [0.0]])
    >>> h.at(-1).step, h.at(-1).z, h.at(-1).a
    (1, 0.5, 0.5)
    """
    step: int
    z: Any
    a: Any
    delta: Any
    grad_a: Any


class Neuron:
    """A neuron: ``z = b + sum(w * a_src)``, ``a = f(z)``.

    After a forward pass it holds ``z`` (None for inputs) and ``a``; after a
    backward pass ``delta`` = dE/dz and ``grad_a`` = dE/da (inputs too:
    their ``grad_a`` is dE/dx).  ``inputs`` and ``outputs`` are its incoming
    and outgoing Connections, ``bias`` its bias Parameter (or None),
    ``layer`` its depth (inputs are layer 0).  ``f`` and ``df`` are its
    activation's function and derivative in the net's number type (``df``
    takes ``a`` when ``df_of_a``, else ``z``); ``group`` lists the softmax
    output neurons it is normalised with (None for other activations).

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

    __slots__ = ("name", "z", "a", "delta", "grad_a", "inputs", "outputs", "f", "df", "df_of_a",
                 "group", "is_input", "delayed_inputs", "delayed_outputs", "incoming", "initial",
                 "_history", "_kept",     # (_kept: z, a, grad_a before the last forward)
                 "_bias", "_activation", "_layer", "_net", "__weakref__")

    def __init__(self, net: "Net", name: str, activation: Optional["Activation"] = None,
                 bias: Optional[Parameter] = None) -> None:
        self.name = name
        self.z: Number = None
        self.a: Number = None
        self.delta: Number = None
        self.grad_a: Number = None
        self.inputs: List[Connection] = []
        self.outputs: List[Connection] = []
        self.delayed_inputs: List[Connection] = []    # connections from earlier time steps
        self.delayed_outputs: List[Connection] = []   # connections into later time steps
        self.incoming: List[Connection] = self.inputs  # what the walk reads: delayed + inputs
        self.initial: Number = None     # a before step 0, as delayed connections read it
        self._history: List[List[Number]] = []        # [z, a, delta, grad_a, carried] per step
        self.is_input = activation is None
        self._net = net
        self._bias = bias
        self._layer = 0 if self.is_input else -1
        self._activation = None
        self.f = self.df = None
        self.df_of_a = False
        self.group: Optional[List["Neuron"]] = None   # the softmax group it belongs to
        if activation is not None:
            self._bind(activation)

    def _bind(self, act: "Activation") -> None:
        self._activation = act
        self.f, self.df = act.functions(self._net.number_system)
        self.df_of_a = act.wrt == "a"

    @property
    def net(self) -> "Net":
        """The net this neuron belongs to."""
        return self._net

    def _set_activation(self, spec: Any) -> None:
        if self.is_input:
            raise TopologyError("input neuron %r has no activation" % self.name)
        self._bind(self._net._bind_activation(spec, "neuron %r" % self.name))
        self._net._changed()

    activation = property(attrgetter("_activation"), _set_activation, doc=(
        "The Activation (None for inputs).  Settable with a name or an Activation."))

    def _set_bias(self, spec: Any) -> None:
        if self.is_input:
            raise TopologyError("input neuron %r has no bias" % self.name)
        self._net._set_bias(self, spec)

    # (read by a C function, not a Python one: the walk reads it once per neuron and pass)
    bias = property(attrgetter("_bias"), _set_bias, doc="""The bias Parameter, or None.

        Settable with a number (this neuron's own bias ``"<name>.bias"``, made
        again if it was removed), a Parameter of the net (shared), or None
        (no bias; the neuron's own bias parameter is removed from the net).
        """)

    @property
    def layer(self) -> int:
        """Depth in the net: 0 for inputs, else 1 + the largest layer among its sources."""
        self._net._ordered()
        return self._layer

    @property
    def is_output(self) -> bool:
        """True for a non-input neuron with no outgoing connections."""
        return not self.is_input and not self.outputs

    def at(self, step: int) -> "StepValues":
        """This neuron's numbers at time step *step* of the last ``forward_sequence`` (and
        ``backward_sequence``): a :class:`StepValues` ``(step, z, a, delta, grad_a)``.
        Negative steps count from the end (``at(-1)`` is the last step).

        >>> import neurograph as ng
        >>> net = ng.Net()
        >>> x, h = net.add_input("x"), net.add_neuron("h", activation="identity", bias=None)
        >>> _ = net.connect(x, h, 1.0); _ = net.connect(h, h, 0.5, delay=1)
        >>> net.forward_sequence([[1.0], [0.0], [0.0]])
        [[1.0], [0.5], [0.25]]
        >>> h.at(1)
        StepValues(step=1, z=0.5, a=0.5, delta=None, grad_a=None)
        """
        history = self._history
        if not history:
            raise StateError("neuron %r has no time steps: at(t) reads the steps of the last "
                             "net.forward_sequence(xs)" % self.name)
        n = len(history)
        if isinstance(step, bool) or not isinstance(step, int) or not -n <= step < n:
            raise ShapeError("neuron %r: step %r is not one of the %d steps of the last "
                             "forward_sequence (0..%d, or negative from the end)"
                             % (self.name, step, n, n - 1))
        if step < 0:
            step += n
        z, a, delta, grad_a = history[step][:4]
        return StepValues(step, z, a, delta, grad_a)

    def watch(self, on: str = "forward", when: Optional[Callable[..., Any]] = None,
              action: Any = "break") -> Any:
        """A watchpoint on this neuron (see :func:`neurograph.debugging.watch`).

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
        >>> net["i1->o1"].weight, seen = 2.0, []
        >>> h = net["o1"].watch(action=lambda n: seen.append(n.a))   # on "forward"
        >>> _ = net.forward([3.0]); h.remove()
        >>> seen
        [6.0]
        """
        return self._net._watch(self, on, when, action)

    def __repr__(self) -> str:
        if self.is_input:
            return "Neuron(%s, input, a %s)" % (self.name, number_text(self.a, 6))
        layer = self._layer if self._net._order is not None else "?"
        return "Neuron(%s, layer %s, %s, z %s, a %s, delta %s)" % (
            self.name, layer, self._activation.name if self._activation else None, number_text(self.z, 6),
            number_text(self.a, 6), number_text(self.delta, 6))


def pass_error(phase: str, neuron: Optional[Neuron], error: BaseException,
               loss: Any = None) -> NeurographError:
    """The error a pass raises when computing fails: it names the neuron (or the loss), its
    numbers, the inputs of the sample, and advice that fits the error.  It carries the
    failing function's frames (an activation's, a loss's), so a post-mortem debugger
    (``pdb.pm()``) starts where the error happened; ``up`` reaches the walk and its
    ``neuron``.  A NeurographError raised inside (by a hook, say) passes through as it is.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> _ = net.forward([2.0])
    >>> print(pass_error("forward", net["o1"], ValueError("math domain error")))  # doctest: +ELLIPSIS
    forward pass: ValueError in neuron 'o1' (layer 1, identity: a = identity(z) at z = ...; sample 1, inputs [2]) (ValueError: math domain error); the activation is not defined at this z: ...
    """
    if isinstance(error, NeurographError):
        return error
    deeper = error.__traceback__.tb_next if error.__traceback__ is not None else None
    return _pass_error(phase, neuron, error, loss).with_traceback(deeper)


def _pass_error(phase: str, neuron: Optional[Neuron], error: BaseException,
                loss: Any) -> NeurographError:
    kind = NumericalError if isinstance(error, ArithmeticError) else NumberError
    if neuron is None:
        return kind("%s pass: loss %r: %s: %s" % (
            phase, getattr(loss, "name", loss), type(error).__name__, error))
    act = neuron.activation.name if neuron.activation is not None else "input"
    net = neuron._net
    xs = ", ".join(number_text(n.a, 6) for n in net.inputs[:8]) + (
        ", ..." if len(net.inputs) > 8 else "")
    overflow = isinstance(error, (OverflowError, ArithmeticError)) and not isinstance(
        error, ZeroDivisionError)
    if phase == "forward":
        where = "%s: a = %s(z) at z = %s" % (act, act, number_text(neuron.z, 6))
        advice = ("scale the inputs or weights down, or pick an activation that saturates"
                  if overflow else "the activation is not defined at this z: check its "
                  "function (its domain), or the inputs and weights that give this z")
    else:
        where = "%s: delta = dE/da * %s'(z) at z = %s, a = %s, dE/da = %s" % (
            act, act, number_text(neuron.z, 6), number_text(neuron.a, 6),
            number_text(neuron.grad_a, 6))
        advice = "no gradient was changed; " + (
            "lower the learning rate or scale the inputs down" if overflow else
            "the derivative is not defined here: check the activation's derivative")
    return kind("%s pass: %s in neuron %r (layer %d, %s; sample %d, inputs [%s]) (%s: %s); %s" % (
        phase, type(error).__name__, neuron.name, neuron._layer, where,
        net.samples_seen - (phase == "backward"), xs,                   # (forward counted it)
        type(error).__name__, error, advice))

