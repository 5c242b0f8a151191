"""Why a pass of a net is refused: the errors ``Net.forward`` and ``Net.backward`` raise.

A refused pass changes nothing (the net puts back what it touched); these
functions only say why, naming the neuron, the loss or the call to make.  The
error of a float overflow also carries the number that is not finite as its
``value`` (the loss, or the first output that is not finite): ``fit`` reports it.

=============================  ======================================================
name                           what it says
=============================  ======================================================
``optimizer_of(step, after)``  the optimizer of ``backward(step=opt)``, or a StateError
``recurrent(net, call)``       a recurrent net computes with ``forward_sequence``
``no_backward(net)``           why ``backward()`` cannot run now
``output_not_finite(net)``     a float output overflowed: the first neuron whose
                               ``a`` is not finite (a NumericalError), or None
``loss_not_finite(...)``       a float loss overflowed (a NumericalError)
``loss_failed(loss, error)``   a loss function raised (a Decimal overflow, say)
=============================  ======================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
>>> net["i1->o1"].weight = 1e308
>>> net.forward([10.0])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
neurograph.NumericalError: forward pass: OverflowError in neuron 'o1' (layer 1, identity: a = identity(z) at z = inf; ...
>>> net["o1"].a is None          # the pass changed nothing
True
"""

from __future__ import annotations

import math
from typing import Any, Optional

from .arithmetic import number_text
from .errors import NeurographError, NumberError, NumericalError, StateError
from .neuron import pass_error

__all__ = ["optimizer_of", "recurrent", "no_backward", "output_not_finite", "loss_not_finite",
           "loss_failed"]

Net = Any    # (neurograph.core.net.Net, the module that raises these errors)


def optimizer_of(step: Any, after_layer: Any) -> Any:
    """The optimizer of ``backward(step=opt)`` or ``backward(after_layer=opt.step)``.

    >>> optimizer_of(True, None)
    Traceback (most recent call last):
    ...
    neurograph.StateError: backward(step=...) takes an optimizer (step=opt), and after_layer an optimizer's step method (after_layer=opt.step); got True
    """
    opt = step if step is not None else getattr(after_layer, "__self__", None)
    if not hasattr(opt, "update") or not hasattr(opt, "steps"):
        raise StateError("backward(step=...) takes an optimizer (step=opt), and after_layer an "
                         "optimizer's step method (after_layer=opt.step); got %r"
                         % (step if step is not None else after_layer,))
    return opt


def recurrent(net: Net, call: str) -> str:
    """The message for *call* (``"forward(x)"``) on a net with delayed connections."""
    names = ", ".join(c.name for c in net._ordered().delayed[:4])
    return ("this net has delayed (recurrent) connections (%s): it computes over time "
            "steps, not with %s: use net.forward_sequence(xs) with one input list per step, "
            "and net.backward_sequence(ys)" % (names, call))


def no_backward(net: Net) -> StateError:
    """Why backward() cannot run now."""
    if net._order is not None and net._order.delayed:
        return StateError(recurrent(net, "backward(y)"))
    if net._forwarded is None:
        return StateError("backward() needs a forward() pass first: call net.forward(x) with "
                          "the sample whose target you pass to backward")
    return StateError("the net's structure changed after the last forward() pass: call "
                      "net.forward(x) again before backward()")


def output_not_finite(net: Net, order: Any) -> Optional[NeurographError]:
    """After a float forward pass whose outputs did not add up to a finite number: the
    NumericalError naming the first neuron (in the walk's order) whose ``a`` is not finite,
    or None when every ``a`` is finite (only the outputs' sum overflowed)."""
    for neuron in order.walk:
        if not math.isfinite(neuron.a):
            error = pass_error("forward", neuron, OverflowError(
                "a = %s: a float overflowed; nothing was changed" % number_text(neuron.a)))
            error.value = next((n.a for n in order.outputs if not math.isfinite(n.a)),
                               neuron.a)     # type: ignore[attr-defined]
            return error
    return None


def loss_not_finite(net: Net, loss: Any, E: Any, ys: Any, where: str = "backward pass"
                    ) -> NumericalError:
    """After a pass whose loss is not finite (*where*: ``"backward pass"``, ``"net.loss"``):
    the NumericalError naming the loss, the outputs and the targets *ys* (None: the loss
    summed over the steps of a sequence)."""
    if ys is None:
        what = "summed over the steps"
    else:
        what = "of the outputs [%s] against the targets [%s]" % (
            ", ".join(number_text(n.a, 6) for n in net._forwarded.outputs[:8]),
            ", ".join(number_text(y, 6) for y in list(ys)[:8]))
    error = NumericalError("%s: loss %r %s is %s: a float overflowed; no gradient was changed: "
                           "scale the targets (or the outputs) down"
                           % (where, getattr(loss, "name", loss), what, number_text(E)))
    error.value = E                             # type: ignore[attr-defined]
    return error


def loss_failed(loss: Any, error: BaseException, where: str = "net.loss") -> BaseException:
    """The error of a loss function that raised: a NumericalError for an ArithmeticError (a
    Decimal overflow), a NumberError for a ValueError or TypeError, naming *where* and the
    loss; any other error as it is.

    >>> loss_failed("mse", OverflowError("too big"))
    NumericalError("net.loss: loss 'mse': OverflowError: too big")
    """
    if isinstance(error, NeurographError) or not isinstance(
            error, (ArithmeticError, ValueError, TypeError)):
        return error
    kind = NumericalError if isinstance(error, ArithmeticError) else NumberError
    return kind("%s: loss %r: %s: %s" % (where, getattr(loss, "name", loss),
                                          type(error).__name__, error))
