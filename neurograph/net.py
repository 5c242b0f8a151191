"""The :class:`Net` users get: the core's net with the methods of every tool.

The core (:mod:`neurograph.core.net`) builds nets and runs the walk; each
tool adds its methods through one class mixed in here, so a type checker, an
IDE and ``help(ng.Net)`` see every method, and the core imports no tool.

=========================  ==============================================================
mixed in from              methods
=========================  ==============================================================
``debugging``              ``explain``, ``trace``, ``add_hook``, ``summary``
``draw``                   ``to_svg``, ``save_svg``, ``to_dot``, ``diagram``, ``_repr_svg_``
``persistence``            ``to_dict``, ``save``, ``to_matrices``, and the class methods
                           ``from_dict``, ``from_matrices``, ``load``, ``load_checkpoint``
``core.through_time``      ``forward_sequence``, ``backward_sequence``, ``elman``
=========================  ==============================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([2, 1], seed=0)
>>> isinstance(net, ng.core.net.Net), hasattr(net, "explain"), hasattr(net, "to_svg")
(True, True, True)
"""

from __future__ import annotations

from .core import net as _core
from .core.net import Connection, Neuron, Parameter
from .debugging import ExplainMethods
from .draw import DrawMethods
from .persistence import FileMethods

__all__ = ["Net", "Neuron", "Connection", "Parameter", "load", "load_checkpoint"]


class Net(ExplainMethods, DrawMethods, FileMethods, _core.Net):
    __doc__ = _core.Net.__doc__


#: Read a model file and return the net: ``ng.load(path)`` (see :meth:`Net.load`).
load = Net.load
#: Read a model file: ``Checkpoint(net, optimizer, metadata)`` (see :meth:`Net.load_checkpoint`).
load_checkpoint = Net.load_checkpoint
