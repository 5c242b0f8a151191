"""The walk: the forward and the backward pass, one plain loop over the neurons each.

This is where a net computes.  Every number is read from and written to the
objects themselves (``neuron.z``, ``connection.grad``, ...), so a debugger
stopped anywhere below shows a ``neuron`` and its ``connection`` with their
numbers (a connection's weight is ``connection.w``, the textbook's w;
``connection.weight`` shows the same number).  The four equations of
back-propagation, in the names of Nielsen's book (E is the loss, delta = dE/dz):

=====  =================================================  ===============================
tag    equation                                           line below
=====  =================================================  ===============================
BP1    delta = dE/da * f'(z), for an output neuron        ``delta = neuron.grad_a * fprime``
BP2    delta = (sum_k w_k delta_k) * f'(z), for a hidden  ``src.grad_a += w * delta`` adds
       neuron                                             the sum; then the BP1 line
BP3    dE/db = delta                                      ``bias.grad += delta``
BP4    dE/dw = a_src * delta                              ``connection.grad += delta * a``
=====  =================================================  ===============================

Forward visits the neurons layer by layer (sources first) and starts each
``grad_a`` at 0; backward visits the layers from the last to the first, so
when it reaches a neuron every neuron it feeds has already added ``w * delta``
to its ``grad_a``.  Sums are added left to right with ``+=``, so every
interpreter gives the same bits.

Through time (a recurrent net, :mod:`neurograph.core.through_time`) each time step
is this same walk.  A *delayed* connection (``neuron.delayed_inputs``) delivers
``past.a``, its source's a of ``delay`` steps before: forward adds ``w * a`` to
z; backward adds ``delta * a`` to its grad (BP4) and ``w * delta`` to
``past.grad_a``, the BP2 sum that the walk of step t - d starts with.  A
feed-forward net has no delayed connections, and the walk skips those lines.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> ex.net.forward(ex.x)                       # calls forward() below
[0.7513650695523157, 0.7729284653214625]
>>> round(ex.net.backward(ex.y), 9)            # calls backward() below
0.298371109
>>> round(ex.net["o1"].delta, 9), round(ex.net["w5"].grad, 9)
(0.138498562, 0.082167041)
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, List, Optional

from . import rounding
from .errors import NeurographError, NumberError, NumericalError
from .arithmetic import number_text
from .neuron import Neuron

from .layers import Order
from .losses import Loss

#: The net walked (:class:`neurograph.core.net.Net`, a module above this one).
Net = Any

__all__ = ["forward", "backward"]

_activation = attrgetter("a")                      # neuron -> neuron.a


def forward(net: "Net", order: "Order", xs: List[Any]) -> List[Any]:
    """Set every neuron's ``z`` and ``a`` from the inputs *xs*; return the outputs' ``a``.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight, net["i2->o1"].weight = 0.5, 2.0
    >>> net.forward([2.0, 1.0])                    # calls this function
    [3.0]
    >>> net["o1"].z, net["o1"].a, net["o1"].grad_a          # (dE/da starts at 0)
    (3.0, 3.0, 0.0)
    """
    rnd = rounding.rounder(net.number_system) if rounding.OPEN_BLOCKS else None
    hooks = net._hooks                            # (rnd: None unless inside ng.rounding)
    zero = net.number_system.zero
    for neuron, x in zip(order.inputs, xs):
        neuron.a = x
        neuron.grad_a = zero                      # (dE/da starts at 0: backward adds to it)
    neuron = None
    try:
        for neuron in order.walk:                 # sources before the neurons they feed
            bias = neuron.bias
            z = bias.value if bias is not None else zero
            if neuron.delayed_inputs:             # a recurrent net: terms from earlier steps
                for connection in neuron.delayed_inputs:
                    z += connection.w * connection.past.a            # z += w * a_src(t - d)
            for connection in neuron.inputs:
                z += connection.w * connection.src.a               # z = b + sum w * a_src
            if rnd is not None:
                z = rnd(z)                        # a hand calculation writes z down rounded
            neuron.z = z
            neuron.grad_a = zero
            if neuron.group is None:
                a = neuron.f(z)                                    # a = f(z)
                neuron.a = a if rnd is None else rnd(a)
            elif neuron is neuron.group[-1]:      # every z of the softmax group is known now
                _softmax(neuron.group, rnd)
                if hooks:
                    for member in neuron.group:
                        for hook in hooks:
                            hook("forward", member)
                continue
            else:
                continue                          # its a comes with the group's last member
            if hooks:
                for hook in hooks:
                    hook("forward", neuron)
    except (ArithmeticError, ValueError, TypeError) as e:
        if isinstance(e, NeurographError):
            raise
        raise _blame("forward", neuron, e) from e
    return list(map(_activation, order.outputs))           # the outputs' activations


def _softmax(group: List[Neuron], rnd: Optional[Callable[[Any], Any]]) -> None:
    """a_i = e^(z_i - m) / sum_j e^(z_j - m) over the group (m = the largest z: no overflow)."""
    exp = group[0].f                               # a softmax neuron's f is exp
    m = max(neuron.z for neuron in group)
    es = [exp(neuron.z - m) for neuron in group]
    total = es[0]
    for e in es[1:]:
        total += e
    for neuron, e in zip(group, es):
        a = e / total
        neuron.a = a if rnd is None else rnd(a)


def backward(net: "Net", order: "Order", ys: Any, loss: "Loss", value: Any, gradient: Any,
             after: Optional[Callable[[Neuron], Any]] = None) -> Any:
    """Back-propagate the *loss* (*value* and *gradient* its functions) of the outputs
    against *ys*; return the loss.

    Sets every neuron's ``delta``, adds up its ``grad_a`` (which the forward
    pass started at 0; through time, ``backward_sequence`` starts it with the
    terms of later steps), and ADDS to every ``grad``.  *after*, if given, is
    called with each neuron once its BP3 is done and with each connection
    once its BP4 is done, before it passes the error back (BP2).  A delayed connection (a recurrent
    net) reads its source's activation of step t - d from ``connection.past``
    and passes its BP2 term back to that step through ``past.grad_a``.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 2.0; _ = net.forward([1.0])
    >>> net.backward([0.5])                        # calls this function
    1.125
    >>> net["o1"].delta, net["i1->o1"].grad, net["i1"].grad_a  # by BP1, BP4, BP2
    (1.5, 1.5, 3.0)
    """
    rnd, carry = rounding.rounders(net.number_system) if rounding.OPEN_BLOCKS else (
        None, None)                                # (None unless inside ng.rounding(...))
    neuron = None
    try:
        outs = list(map(_activation, order.outputs))
        for neuron, g in zip(order.outputs, gradient(outs, ys)):
            neuron.grad_a += g if rnd is None else rnd(g)             # dE/da of each output
        closed = loss.closed_form(order.outputs, ys) if loss.cancels else None
        for neuron in order.reverse:               # every neuron it feeds is done
            if closed and neuron in closed:
                delta = closed[neuron]                               # BP1 (closed form)
            elif neuron.group is None:
                fprime = neuron.df(neuron.a if neuron.df_of_a else neuron.z)
                delta = neuron.grad_a * fprime                       # BP1 / BP2
            else:                                  # softmax: f' couples the group's a
                if neuron is neuron.group[0]:      # (the group is walked first, in order)
                    shift = _weighted_sum(neuron.group)              # sum_j dE/da_j * a_j
                delta = neuron.a * (neuron.grad_a - shift)           # BP1 through softmax
            if rnd is not None:
                delta = rnd(delta)                 # a hand calculation writes delta down rounded
            neuron.delta = delta
            if carry is not None:
                delta = carry(delta)               # ... and each product and sum below too
            bias = neuron.bias
            if bias is not None:
                bias.grad += delta                                   # BP3
                if after is not None:
                    after(neuron)                  # (the "immediate" update order, see below)
            for connection in neuron.inputs:
                src = connection.src
                connection.grad += delta * src.a                     # BP4
                if after is not None:              # the "immediate" order: w is stepped
                    after(connection)              # before it passes the error back
                src.grad_a += connection.w * delta                   # BP2: the sum
            if neuron.delayed_inputs:             # a recurrent net: back to earlier steps
                for connection in neuron.delayed_inputs:
                    past = connection.past
                    connection.grad += delta * past.a                # BP4 with a_src(t - d)
                    past.grad_a += connection.w * delta              # BP2: the sum for step t - d
            if net._hooks:
                for hook in net._hooks:
                    hook("backward", neuron)
        neuron = None
        E = value(outs, ys)                        # the loss itself
    except (ArithmeticError, ValueError, TypeError) as e:
        if isinstance(e, NeurographError):
            raise
        raise _blame("backward", neuron, e, loss) from e
    return E if rnd is None else rnd(E)


def _weighted_sum(group: List[Neuron]) -> Any:
    """sum_j dE/da_j * a_j over a softmax group (the softmax Jacobian's shared term)."""
    total = group[0].grad_a * group[0].a
    for neuron in group[1:]:
        total += neuron.grad_a * neuron.a
    return total


def _blame(phase: str, neuron: Optional[Neuron], e: BaseException,
           loss: Optional["Loss"] = None) -> NeurographError:
    """The error to raise when a pass fails: it names the neuron (or the loss)."""
    kind = NumericalError if isinstance(e, ArithmeticError) else NumberError
    if neuron is None:
        return kind("%s pass: loss %r: %s: %s" % (
            phase, getattr(loss, "name", loss), type(e).__name__, e))
    act = neuron.activation.name if neuron.activation is not None else "input"
    net = neuron._net
    xs = ", ".join(number_text(n.a, 6) for n in net.inputs[:8]) + (", ..." if len(net.inputs) > 8 else "")
    if phase == "forward":
        where, advice = "%s: a = %s(z) at z = %s" % (act, act, number_text(neuron.z, 6)), (
            "scale the inputs or weights down, or pick an activation that saturates")
    else:
        where, advice = "%s: delta = dE/da * %s'(z) at z = %s, a = %s, dE/da = %s" % (
            act, act, number_text(neuron.z, 6), number_text(neuron.a, 6), number_text(neuron.grad_a, 6)), (
            "no gradient was changed; lower the learning rate or scale the inputs down")
    return kind("%s pass: %s in neuron %r (layer %d, %s; sample %d, inputs [%s]) (%s: %s); %s" % (
        phase, type(e).__name__, neuron.name, neuron._layer, where,
        net.samples_seen - (phase == "backward"), xs,                  # (forward counted it)
        type(e).__name__, e, advice))
