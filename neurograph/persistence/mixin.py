"""The methods a net has for files and matrices: the public ``Net`` mixes in :class:`FileMethods`.

The class methods pass their own class as ``net_class``, so ``ng.Net.load``
builds an ``ng.Net`` (and a subclass's ``load`` builds the subclass).

=====================================  ===============================================
method                                 is
=====================================  ===============================================
``net.to_dict(...)``                   :func:`net_to_dict`
``net.save(path, ...)``                :func:`save`
``net.to_matrices()``                  :func:`to_matrices`
``Net.from_dict(d)``                   :func:`net_from_dict` building this class
``Net.from_matrices(W, b, ...)``       :func:`from_matrices` building this class
``Net.load(path)``                     :func:`load` building this class
``Net.load_checkpoint(path)``          :func:`load_checkpoint` building this class
=====================================  ===============================================

>>> import neurograph as ng
>>> issubclass(ng.Net, FileMethods), ng.Net.from_dict(ng.Net.dense([1, 1]).to_dict()).__class__
(True, <class 'neurograph.net.Net'>)
"""

from __future__ import annotations

from typing import Any, Dict

from .json_values import Checkpoint
from .matrices import from_matrices, to_matrices
from .reader import load, load_checkpoint, net_from_dict
from .writer import net_to_dict, save

__all__ = ["FileMethods"]


class FileMethods:
    """The methods of a net for files and matrices (the public ``Net`` mixes this class in).

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], seed=0)
    >>> ng.Net.from_dict(net.to_dict()).to_matrices() == net.to_matrices()
    True
    """

    to_dict = net_to_dict
    save = save
    to_matrices = to_matrices

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Any:
        """Build a net from :meth:`to_dict` output, validating everything first.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], seed=0)
        >>> copy = ng.Net.from_dict(net.to_dict())
        >>> copy.values() == net.values(), copy is net
        (True, False)
        """
        return net_from_dict(data, net_class=cls)

    @classmethod
    def from_matrices(cls, weights: Any, biases: Any, activations: Any = "sigmoid", *,
                      number: Any = float) -> Any:
        """Build a dense net from per-layer weight matrices ``[out][in]`` and bias vectors
        (see :func:`from_matrices`).

        >>> import neurograph as ng
        >>> net = ng.Net.from_matrices([[[2.0]]], [[0.5]], activations="identity")
        >>> net.forward([3.0])
        [6.5]
        """
        return from_matrices(weights, biases, activations, number=number, net_class=cls)

    @classmethod
    def load(cls, path: Any) -> Any:
        """Read a model file written by ``net.save`` and return the net (``ng.load(path)``).

        Everything is checked before anything is built; a problem raises
        FormatError naming the file and the JSON path.

        >>> import os, tempfile
        >>> import neurograph as ng
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> ng.Net.dense([2, 1], seed=0).save(path)
        >>> ng.load(path)
        Net(2-1: 3 neurons, 2 connections, 3 parameters, float)
        """
        return load(path, net_class=cls)

    @classmethod
    def load_checkpoint(cls, path: Any) -> Checkpoint:
        """Read a model file: ``Checkpoint(net, optimizer, metadata)`` (``ng.load_checkpoint``).

        >>> import os, tempfile
        >>> import neurograph as ng
        >>> net = ng.Net.dense([2, 1], seed=0)
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> net.save(path, optimizer=ng.SGD(net, lr=0.1), metadata={"epochs": 3})
        >>> ng.load_checkpoint(path)[1:]
        (SGD(lr=0.1, steps=0), {'epochs': 3})
        """
        return load_checkpoint(path, net_class=cls)
