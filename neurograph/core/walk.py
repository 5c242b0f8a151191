"""The walk: the forward and the backward pass, one plain loop over the neurons each.

This is where a net computes: every number is read from and written to the objects
(``neuron.z``, ``connection.grad``, ...), so a debugger stopped below shows them.  A
connection's weight is ``connection.w`` and its dE/dw ``connection.g`` (``weight`` and ``grad``
show them and check what is set by hand); it reads its input from ``connection.upstream``:
its source neuron, or for a delayed connection of a recurrent net that neuron's ``Past`` (its
a of an earlier time step).  The equations of back-propagation (E the loss, delta = dE/dz):

=====  ==============================================  ==================================
tag    equation                                        line below
=====  ==============================================  ==================================
BP1    delta = dE/da * f'(z), for an output            ``delta = neuron.grad_a * f'``
BP2    delta = (sum_k w_k delta_k) * f'(z), hidden     ``upstream.grad_a += w * delta``
                                                       adds the sum; then the BP1 line
BP3    dE/db = delta                                   ``bias.g += delta``
BP4    dE/dw = a_src * delta                           ``connection.g += delta * a``
=====  ==============================================  ==================================

Forward visits the neurons layer by layer (sources first) and starts each ``grad_a`` at 0;
backward visits them from the last layer back, so when it reaches a neuron every neuron it
feeds has added ``w * delta`` to its ``grad_a``.  Sums add left to right: the same bits anywhere.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Dict, List, Optional

from . import rounding
from .activations import softmax_of
from .layers import Order
from .losses import Loss
from .neuron import Neuron, pass_error

__all__ = ["forward", "backward", "softmax", "given_deltas", "softmax_shift"]

Net = Any    # (neurograph.core.net.Net, the module above this one, calls the walk)
_a = attrgetter("a")  # neuron -> neuron.a


def forward(net: Net, order: Order, xs: List[Any]) -> List[Any]:
    """Set every neuron's ``z`` and ``a`` from the inputs *xs*; return the outputs' ``a``.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight, net["i2->o1"].weight = 0.5, 2.0
    >>> net.forward([2.0, 1.0]), net["o1"].z, net["o1"].grad_a    # (dE/da starts at 0)
    ([3.0], 3.0, 0.0)
    """
    rnd = rounding.rounder(net.number_system) if rounding.OPEN_BLOCKS else None
    zero, hooks = net.number_system.zero, net._hooks   # (rnd: None outside ng.rounding)
    for neuron, x in zip(order.inputs, xs):
        neuron.a, neuron.grad_a = x, zero
    neuron = None
    try:
        for neuron in order.walk:                  # sources before the neurons they feed
            bias = neuron.bias
            z = bias.w if bias is not None else zero
            for connection in neuron.incoming:
                z += connection.w * connection.upstream.a          # z = b + sum w * a_src
            neuron.z = z if rnd is None else rnd(z)
            neuron.grad_a = zero                   # (dE/da: backward adds to it)
            if neuron.group is None:
                a = neuron.f(neuron.z)                             # a = f(z)
                neuron.a = a if rnd is None else rnd(a)
            elif neuron is neuron.group[-1]:       # the group's z are all known now
                softmax(neuron.group, rnd)
            else:
                continue                           # (its a comes with the group's last member)
            if hooks:
                for member in neuron.group or (neuron,):
                    for hook in hooks:
                        hook("forward", member)
    except (ArithmeticError, ValueError, TypeError) as e:
        raise pass_error("forward", neuron, e) from e
    return list(map(_a, order.outputs))                       # the outputs' activations


def softmax(group: List[Neuron], rnd: Optional[Callable[[Any], Any]] = None) -> None:
    """a_i = e^(z_i - m) / sum_j e^(z_j - m) for the group (m its largest z: no overflow)."""
    zs = [neuron.z for neuron in group]                # (a softmax neuron's f is exp)
    for neuron, a in zip(group, softmax_of(zs, group[0].f, rnd)):
        neuron.a = a


def given_deltas(order: Order, loss: Loss, ys: Any) -> Dict[Neuron, Any]:
    """BP1 for the outputs whose delta is not ``dE/da * f'(z)`` alone: the closed form of a loss
    that cancels the activation's derivative (e.g. ``a - y``), or a softmax group's."""
    given = loss.closed_form(order.outputs, ys) if loss.cancels else {}
    group = order.softmax
    if group and group[0] not in given:
        shift = softmax_shift(group)                           # sum_j dE/da_j * a_j
        for neuron in group:
            given[neuron] = neuron.a * (neuron.grad_a - shift)
    return given


def softmax_shift(group: List[Neuron]) -> Any:
    """sum_j dE/da_j * a_j over a softmax group (BP1: ``delta_i = a_i * (dE/da_i - shift)``)."""
    shift = group[0].grad_a * group[0].a
    for neuron in group[1:]:
        shift += neuron.grad_a * neuron.a
    return shift


def backward(net: Net, order: Order, ys: Any, loss: Loss, value: Any, gradient: Any,
             after: Optional[Callable[[Any], Any]] = None) -> Any:
    """Back-propagate the *loss* (*value* and *gradient* its functions) of the outputs
    against *ys*; set every ``delta`` and ``grad_a``, ADD to every ``grad``; return the loss.

    *after*, if given, is called with each neuron once its BP3 is done and with
    each connection once its BP4 is done, before it passes the error back (BP2):
    the "immediate" update order of some textbooks.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 2.0; _ = net.forward([1.0])
    >>> net.backward([0.5])                        # calls this function
    1.125
    >>> net["o1"].delta, net["i1->o1"].grad, net["i1"].grad_a  # by BP1, BP4, BP2
    (1.5, 1.5, 3.0)
    """
    rnd, carry = rounding.rounders(net.number_system) if rounding.OPEN_BLOCKS else (None, None)
    hooks, neuron = net._hooks, None
    try:
        outs = list(map(_a, order.outputs))
        for neuron, g in zip(order.outputs, gradient(outs, ys)):
            neuron.grad_a += g if rnd is None else rnd(g)              # dE/da of each output
        given = given_deltas(order, loss, ys) if loss.cancels or order.softmax else None
        for neuron in order.reverse:               # every neuron it feeds is done
            if given and neuron in given:
                delta = given[neuron]                                  # BP1 (given above)
            else:
                fprime = neuron.df(neuron.a if neuron.df_of_a else neuron.z)
                delta = neuron.grad_a * fprime                         # BP1 / BP2
            neuron.delta = delta = delta if rnd is None else rnd(delta)
            if carry is not None:
                delta = carry(delta)               # (a hand calculation rounds each term too)
            if neuron.bias is not None:
                neuron.bias.g += delta                                 # BP3
                if after is not None:
                    after(neuron)
            for connection in neuron.incoming:
                upstream = connection.upstream
                connection.g += delta * upstream.a                     # BP4
                if after is not None:              # the immediate order: w is stepped
                    after(connection)              # before it passes the error back
                upstream.grad_a += connection.w * delta                # BP2: the sum
            if hooks:
                for hook in hooks:
                    hook("backward", neuron)
        neuron = None                              # (an error from here on is the loss's)
        E = value(outs, ys)                        # the loss itself
    except (ArithmeticError, ValueError, TypeError) as e:
        raise pass_error("backward", neuron, e, loss) from e
    return E if rnd is None else rnd(E)
