"""Stopping at the first NaN or infinity: detect_anomaly.

Inside ``with ng.detect_anomaly():`` a NaN or an infinity in any quantity a
net computes raises :class:`~neurograph.NumericalError` at once, naming the
neuron, connection or parameter, the quantity, the sample and the inputs,
instead of spreading through the rest of the pass.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``detect_anomaly(net=None)``       context manager: NaN/infinity raises NumericalError
=================================  ==================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
>>> net["i1->o1"].weight = 1e300
>>> with ng.detect_anomaly(net):
...     net.forward([1e10])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
neurograph.NumericalError: neuron 'o1': ... the forward pass of sample 0 ...
"""

from __future__ import annotations

from typing import Any, List, Optional

from ..core.arithmetic import number_text
from ..core.errors import NumericalError, TopologyError
from ..core.net import EVERY_NET, Net, Neuron
from .hooks import HookHandle

__all__ = ["detect_anomaly"]


def _finite(num: Any, x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(num.isfinite(x))
    except (TypeError, ValueError, AttributeError):
        return True


def _inputs_text(net: Net) -> str:
    xs = [number_text(n.a, 6) for n in net.inputs]
    if len(xs) > 8:
        xs = xs[:8] + ["..."]
    return "[%s]" % ", ".join(xs)


def _terms_text(n: Neuron) -> str:
    terms = ["%s %s * %s" % (c.src.name, number_text(c.src.a, 6), number_text(c.weight, 6))
             for c in n.inputs[:4]]
    if len(n.inputs) > 4:
        terms.append("... %d more" % (len(n.inputs) - 4))
    if n.bias is not None:
        terms.append("bias %s" % number_text(n.bias.value, 6))
    return ", ".join(terms)


class _Anomaly:
    """The hook of :class:`detect_anomaly`: checks each number the net has just computed."""

    def __init__(self, net: Net) -> None:
        self.net = net

    def __call__(self, event: str, obj: Any) -> None:
        if event == "forward":
            self._forward(obj)
        elif event == "backward":
            self._backward(obj)
        elif event == "step":
            self._step(obj)

    def _forward(self, n: Neuron) -> None:
        net = self.net
        for q, v in (("z", n.z), ("a", n.a)):
            if not _finite(net.number_system, v):
                raise NumericalError(
                    "neuron %r: %s = %s in the forward pass of sample %d (inputs %s; "
                    "incoming a * w: %s): scale the inputs or weights down, or pick an "
                    "activation that saturates" % (n.name, q, number_text(v), net.samples_seen,
                                                   _inputs_text(net), _terms_text(n)))

    def _backward(self, n: Neuron) -> None:
        net = self.net
        num = net.number_system
        for q, v in (("grad_a", n.grad_a), ("delta", n.delta)):
            if not _finite(num, v):
                raise NumericalError(
                    "neuron %r: %s = %s in the backward pass of sample %d (inputs %s; "
                    "z %s, a %s): lower the learning rate or clip the gradients" % (
                        n.name, q, number_text(v), net.samples_seen - 1, _inputs_text(net),
                        number_text(n.z, 6), number_text(n.a, 6)))
        for c in n.inputs:
            if not _finite(num, c.grad):
                raise NumericalError(
                    "connection %r: grad = %s in the backward pass of sample %d (inputs "
                    "%s; delta of %s %s, a of %s %s)" % (
                        c.name, number_text(c.grad), net.samples_seen - 1, _inputs_text(net),
                        c.dst.name, number_text(c.dst.delta, 6), c.src.name,
                        number_text(c.src.a, 6)))

    def _step(self, params: Any) -> None:
        net = self.net
        for p in params:
            if not _finite(net.number_system, p.value):
                raise NumericalError(
                    "parameter %r became %s in an optimizer step after sample %d (grad %s): "
                    "lower the learning rate" % (p.name, number_text(p.value),
                                                 net.samples_seen - 1, number_text(p.grad, 6)))


class detect_anomaly:
    """Context manager: the first NaN or infinity raises NumericalError naming the object.

    With a *net*, watches that net; without, every net that runs a forward
    pass inside the block.  The message names the neuron or connection, the
    quantity, the sample index and the inputs.  Overflows (exceptions) are
    named by the net itself, with or without this.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation=ng.Activation("square", lambda z: z * z, lambda z: 2 * z))
    >>> with ng.detect_anomaly():
    ...     net.forward([1e200])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.NumericalError: neuron 'o1': a = inf in the forward pass of sample 0 ...
    """

    def __init__(self, net: Optional[Net] = None) -> None:
        if net is not None and not isinstance(net, Net):
            raise TopologyError("detect_anomaly(net): expected a Net, got %r" % (net,))
        self.net = net
        self._handles: List[HookHandle] = []

    def __enter__(self) -> "detect_anomaly":
        if self.net is not None:
            self._handles.append(_ensure_anomaly(self.net))
        else:
            EVERY_NET.append(self._watch)         # every net that runs a forward pass
        return self

    def _watch(self, net: Net) -> None:
        if not any(isinstance(h, _Anomaly) for h in net._hooks):
            self._handles.append(_ensure_anomaly(net))

    def __exit__(self, *exc: Any) -> None:
        if self.net is None:
            EVERY_NET.remove(self._watch)
        for h in self._handles:
            h.remove()
        self._handles = []


def _ensure_anomaly(net: Net) -> HookHandle:
    return HookHandle(net, _Anomaly(net), "detect_anomaly")
