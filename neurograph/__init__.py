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
``textbook.mazur()``       Mazur's 2-2-2 worked example
``NeurographError``        base class of every error (see ``neurograph.errors``)
=========================  ==========================================================

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

from . import activations, arithmetic, errors, losses, textbook
from .activations import (ACTIVATIONS, Activation, activation, elu, identity, leaky_relu, relu,
                          sigmoid, softmax, softplus, tanh)
from .arithmetic import rounding
from .errors import (DuplicateNameError, FileError, FormatError, NameLookupError,
                     NeurographError, NumberError, NumericalError, ShapeError, StateError,
                     TopologyError)
from .gradcheck import GradcheckResult, gradcheck
from .losses import LOSSES, Loss, loss
from .net import Connection, Net, Neuron, Parameter
from .optim import SGD, Adam, Optimizer

# -- added by the modules built on the core (one line each) --
# training:
from .training import (ConfusionMatrix, EarlyStopping, History, Schedule, accuracy,  # training:
                       confusion_matrix, exponential_decay, fit, step_decay)
__all__ = ["fit", "History", "accuracy", "confusion_matrix", "ConfusionMatrix", "Schedule",
           "step_decay", "exponential_decay", "EarlyStopping", "training"]
# datasets:
from . import datasets, training  # datasets:
__all__ += ["datasets"]
from .explain import (Diff, Explanation, Trace, add_hook, detect_anomaly, diff, remember,  # explain:
                      summary, trace, watch)
__all__ += ["Explanation", "Trace", "Diff", "diff", "trace", "watch", "add_hook",
            "detect_anomaly", "remember", "summary", "explain"]  # explain
from .draw import diagram, history_svg, net_dot, net_svg, sparkline, write_svg  # draw:
__all__ += ["net_svg", "net_dot", "diagram", "history_svg", "write_svg", "sparkline", "draw"]
from . import through_time  # through time: Net.forward_sequence, backward_sequence, elman
from .persistence import Checkpoint, load, load_checkpoint  # persistence:
__all__ += ["Checkpoint", "load", "load_checkpoint", "persistence"]  # persistence
from .serve import serve  # serve: the playground page (``neurograph serve``)
__all__ += ["serve"]  # serve

__version__ = "0.1.0"

__all__ += [  # names of the modules above were added to __all__ in their lines
    "Net", "Neuron", "Connection", "Parameter",
    "Activation", "activation", "ACTIVATIONS",
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax",
    "Loss", "loss", "LOSSES",
    "Optimizer", "SGD", "Adam",
    "gradcheck", "GradcheckResult", "rounding",
    "NeurographError", "ShapeError", "NumberError", "NameLookupError", "DuplicateNameError",
    "TopologyError", "StateError", "NumericalError", "FormatError", "FileError",
    "activations", "arithmetic", "errors", "losses", "textbook", "through_time",
]
