"""neurograph: a neural-network simulator in which every neuron is an object.

Back-propagation without matrices: each :class:`Neuron` holds its weighted
input ``z``, its activation ``a`` and its error ``delta``; each
:class:`Connection` its ``weight`` and ``grad``.  Pure standard library;
floats, ``decimal.Decimal`` and ``fractions.Fraction`` all work.

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
``Net``                    the network: add_input, add_neuron, connect, forward, backward
``Neuron``                 z, a, delta, grad_a, bias, inputs, outputs, layer, activation
``Connection``             src, dst, weight, grad, local_grad, param
``Parameter``              a named, shareable number: value, grad, trainable
``Activation``             f and its derivative; ``activation(name)`` looks one up
``Loss``                   a loss and its gradient; ``loss(name)`` looks one up
``SGD``, ``Adam``          optimizers: ``step()``, ``zero_grad()``
``gradcheck``              backward vs central differences, per parameter
``rounding``               round every intermediate quantity like a hand calculation
``explain``, ``trace``     the chain rule behind a number; every number of a pass
``diff``, ``watch``        where two sets of numbers part; stop at a neuron
``fit``, ``datasets``      training loops; iris, digits, XOR, CSV files
``net.save``, ``load``     exact JSON model files, written atomically
``forward_sequence``       recurrent nets through time (and ``backward_sequence``)
``serve``                  the playground page: watch back-propagation neuron by neuron
``textbook``               worked examples: ``catalog()``, ``get(name)``, ``mazur()``, ...
``Exercise``               check a hand calculation against an example: ``.check(answers)``
``NeurographError``        base class of every error (see ``neurograph.errors``)
=========================  ==========================================================

Where things live: ``neurograph/core/`` is the textbook (numbers, activations,
losses, the objects, their order, the walk, the net, the optimizers) and imports
nothing else; each folder beside it is a tool built on it: ``debugging``, ``draw``,
``persistence``, ``datasets``, ``training``, ``playground`` (``serve``) and the
command line (``cli``).  ``neurograph.net`` puts them together into :class:`Net`.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> net = ex.net
>>> [round(a, 8) for a in net.forward(ex.x)]
[0.75136507, 0.77292847]
>>> round(net.backward(ex.y, loss="half_sse"), 9)
0.298371109
>>> round(net["h1"].delta, 9), round(net["w5"].grad, 9)
(0.008771355, 0.082167041)
>>> ng.SGD(net, lr=0.5).step()
>>> round(net["w5"].weight, 8)
0.35891648
"""

from .core import activations, arithmetic, errors, losses, through_time
from .core.activations import (ACTIVATIONS, Activation, activation, elu, identity, leaky_relu,
                               relu, sigmoid, softmax, softplus, tanh)
from .core.rounding import rounding
from .core.errors import (DuplicateNameError, FileError, FormatError, NameLookupError,
                          NeurographError, NumberError, NumericalError, ShapeError, StateError,
                          TopologyError)
from .core.losses import LOSSES, Loss, loss
from .core.optim import SGD, Adam, Optimizer
from . import datasets, draw, persistence, textbook, training
from .draw import diagram, history_svg, net_dot, net_svg, sparkline, write_svg
from .debugging import (Diff, Explanation, GradcheckResult, Trace, add_hook, detect_anomaly, diff,
                        explain, gradcheck, remember, summary, trace, watch)
from .net import Connection, Net, Neuron, Parameter, load, load_checkpoint
from .persistence import Checkpoint
from .playground import serve
from .textbook import Exercise
from .training import (ConfusionMatrix, EarlyStopping, History, Schedule, accuracy,
                       confusion_matrix, exponential_decay, fit, step_decay)

__version__ = "0.1.0"

__all__ = [
    "Net", "Neuron", "Connection", "Parameter",
    "Activation", "activation", "ACTIVATIONS",
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax",
    "Loss", "loss", "LOSSES",
    "Optimizer", "SGD", "Adam",
    "gradcheck", "GradcheckResult", "rounding",
    "NeurographError", "ShapeError", "NumberError", "NameLookupError", "DuplicateNameError",
    "TopologyError", "StateError", "NumericalError", "FormatError", "FileError",
    "fit", "History", "accuracy", "confusion_matrix", "ConfusionMatrix", "Schedule",
    "step_decay", "exponential_decay", "EarlyStopping",
    "Explanation", "Trace", "Diff", "diff", "trace", "watch", "add_hook", "detect_anomaly",
    "remember", "summary", "explain",
    "net_svg", "net_dot", "diagram", "history_svg", "write_svg", "sparkline",
    "Checkpoint", "load", "load_checkpoint", "serve", "Exercise",
    "activations", "arithmetic", "errors", "losses", "textbook", "through_time", "training",
    "datasets", "draw", "persistence",
]
