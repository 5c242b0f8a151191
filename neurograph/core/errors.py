"""The exceptions neurograph raises.

Every error is a subclass of :class:`NeurographError`.  Where Python users
would reach for a built-in exception, the neurograph class inherits from it
too, so ``except ValueError`` keeps working.

=====================  ==============================================  ==================
class                  raised when                                      also a
=====================  ==============================================  ==================
``NeurographError``    base class of all of the below                   ``Exception``
``ShapeError``         an input, target or batch has the wrong length   ``ValueError``
``NumberError``        a value is not a usable number (NaN, inf, str,   ``ValueError``,
                       bool, None, a float in a Decimal net, ...)       ``TypeError``
``NameLookupError``    no neuron, connection or parameter of that name  ``KeyError``
``DuplicateNameError`` a name is already taken in this net              ``ValueError``
``TopologyError``      self-connection, cycle, duplicate edge, edge     ``ValueError``
                       into an input, foreign neuron, dangling neuron
``StateError``         an operation in the wrong order (backward        ``RuntimeError``
                       before forward, after the structure changed)
``NumericalError``     NaN, infinity or overflow met while computing    ``ArithmeticError``
``FormatError``        a saved model or data file is malformed          ``ValueError``
``FileError``          a file cannot be written (a folder, a missing    ``OSError``
                       folder, no permission, a full disk)
=====================  ==============================================  ==================

>>> import neurograph as ng
>>> issubclass(ng.ShapeError, ValueError)
True
"""

from __future__ import annotations

import difflib
from typing import Iterable

__all__ = [
    "NeurographError",
    "ShapeError",
    "NumberError",
    "NameLookupError",
    "DuplicateNameError",
    "TopologyError",
    "StateError",
    "NumericalError",
    "FormatError",
    "FileError",
    "suggest",
]


class NeurographError(Exception):
    """Base class of every error neurograph raises.

    >>> import neurograph as ng
    >>> try:
    ...     ng.Net.dense([2, 1]).forward([1.0])
    ... except ng.NeurographError as e:
    ...     print(type(e).__name__)
    ShapeError
    """


class ShapeError(NeurographError, ValueError):
    """An input, target or batch has the wrong number of values.

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1]).forward([1.0])
    Traceback (most recent call last):
    ...
    neurograph.ShapeError: input has 1 value but the net expects 2 (one per input neuron: i1, i2)
    """


class NumberError(NeurographError, ValueError, TypeError):
    """A value is not a number this net can use (NaN, inf, str, bool, None, ...).

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1]).forward([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    neurograph.NumberError: input[1] is nan: only finite numbers are allowed
    """


class NameLookupError(NeurographError, KeyError):
    """No neuron, connection, parameter, activation or loss has this name.

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1])["w9"]
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: this net has no neuron, connection or parameter named 'w9'
    """

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class DuplicateNameError(NeurographError, ValueError):
    """The name is already used by another object of the same net.

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1]).add_neuron("o1")
    Traceback (most recent call last):
    ...
    neurograph.DuplicateNameError: name 'o1' is already used by neuron 'o1' in this net: choose another name
    """


class TopologyError(NeurographError, ValueError):
    """The wiring is not a valid feed-forward graph.

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1]).connect("o1", "i1")
    Traceback (most recent call last):
    ...
    neurograph.TopologyError: cannot connect 'o1' into input neuron 'i1': inputs take their value from forward(); connect into a neuron made with add_neuron
    """


class StateError(NeurographError, RuntimeError):
    """An operation was called in the wrong order.

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1]).backward([1.0])
    Traceback (most recent call last):
    ...
    neurograph.StateError: backward() needs a forward() pass first: call net.forward(x) with the sample whose target you pass to backward
    """


class NumericalError(NeurographError, ArithmeticError):
    """A NaN, an infinity or an overflow appeared in a computation.

    >>> import math, neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation=ng.Activation("exp", math.exp, math.exp))
    >>> net.forward([1000.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.NumericalError: forward pass: OverflowError in neuron 'o1' (layer 1, exp: a = exp(z) at z = 941.715; ...
    """


class FormatError(NeurographError, ValueError):
    """A saved model or a data file is malformed.

    >>> import neurograph as ng
    >>> ng.Net.from_dict({})
    Traceback (most recent call last):
    ...
    neurograph.FormatError: format: missing: a neurograph model file starts with "format": "neurograph"
    """


class FileError(NeurographError, OSError):
    """A file cannot be written: the path is a folder, its folder does not exist, or the
    system refused (permissions, a full disk).  ``errno`` is the system's error number.

    >>> import neurograph as ng, tempfile
    >>> ng.Net.dense([2, 1]).save(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.FileError: [Errno 21] cannot write '...': it is a folder; give the path of a file in it
    """


# Tracebacks name each error as users reach it: ``neurograph.ShapeError``.
for _error in (NeurographError, ShapeError, NumberError, NameLookupError, DuplicateNameError,
               TopologyError, StateError, NumericalError, FormatError, FileError):
    _error.__module__ = "neurograph"
del _error


def suggest(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``.

    >>> suggest("sigmod", ["sigmoid", "tanh"])
    " (did you mean 'sigmoid'?)"
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
