"""Saving and loading nets as JSON, and exporting weight matrices.

A saved model is one JSON document (described in ``docs/format.md``): the
number type, the inputs, the named parameters, the neurons with their
activations and bias references, the connections with their weights, and
optionally an optimizer's state and free-form metadata.  Every value keeps
its exact value: floats are written by ``repr``, Decimals as strings,
Fractions as ``"p/q"``; the output is canonical, so save -> load -> save gives
the same bytes.  Loading checks the whole document before building anything
and reports the first problem as a :class:`~neurograph.FormatError` whose
``path`` attribute names the place (``neurons[3].activation``).

===================================  ===================================================
name                                 what it does
===================================  ===================================================
``save(net, path, ...)``             write a model file atomically (optimizer, metadata)
``load(path)``                       read a model file back as a Net
``load_checkpoint(path)``            ``Checkpoint(net, optimizer, metadata)``
``dumps(net, ...)``, ``loads(s)``    the same, to and from a string
``net_to_dict(net, ...)``            the JSON-ready dict
``net_from_dict(d)``                 a Net from such a dict (validated)
``checkpoint_from_dict(d)``          ``Checkpoint`` from such a dict (validated)
``to_matrices(net)``                 per layer ``(weights[out][in], biases)``
``from_matrices(W, b, ...)``         a dense net from such matrices
``FileMethods``                      these as methods of ``ng.Net``
``Checkpoint``                       ``(net, optimizer, metadata)``
``FORMAT_NAME``, ``FORMAT_VERSION``  the ``"format"`` and ``"version"`` written and read
``LIMITS``                           upper bounds a loaded document must keep
===================================  ===================================================

The modules inside:

==================  ==============================================================
module              what it holds
==================  ==============================================================
``json_values``     the format's constants, ``Checkpoint``, numbers as JSON values
``writer``          ``net_to_dict``, ``dumps``, ``save``
``checks``          the checks of single values (names, numbers, optimizer, ...)
``reader``          the checks of a whole document, the build, the loaders
``matrices``        ``to_matrices``, ``from_matrices``
``mixin``           ``FileMethods``
==================  ==============================================================

The loaders and builders take the class to build as ``net_class``; the
methods of ``ng.Net`` (``ng.load``, ``ng.Net.from_dict``, ...) pass it.

>>> import neurograph as ng
>>> net = ng.textbook.mazur().net
>>> text = ng.persistence.dumps(net)
>>> copy = ng.persistence.loads(text, net_class=ng.Net).net
>>> copy.forward([0.05, 0.10]) == net.forward([0.05, 0.10])
True
>>> ng.persistence.dumps(copy) == text
True
>>> net.to_matrices()[1]
([[0.4, 0.45], [0.5, 0.55]], [0.6, 0.6])
"""

from .json_values import FORMAT_NAME, FORMAT_VERSION, LIMITS, Checkpoint
from .matrices import from_matrices, to_matrices
from .mixin import FileMethods
from .reader import checkpoint_from_dict, load, load_checkpoint, loads, net_from_dict
from .writer import dumps, net_to_dict, save

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "LIMITS", "Checkpoint", "net_to_dict",
           "net_from_dict", "checkpoint_from_dict", "dumps", "loads", "save", "load",
           "load_checkpoint", "to_matrices", "from_matrices", "FileMethods"]
