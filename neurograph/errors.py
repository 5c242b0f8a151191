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
    """Base class of every error neurograph raises."""


class ShapeError(NeurographError, ValueError):
    """An input, target or batch has the wrong number of values."""


class NumberError(NeurographError, ValueError, TypeError):
    """A value is not a number this net can use (NaN, inf, str, bool, None, ...)."""


class NameLookupError(NeurographError, KeyError):
    """No neuron, connection, parameter, activation or loss has this name."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class DuplicateNameError(NeurographError, ValueError):
    """The name is already used by another object of the same net."""


class TopologyError(NeurographError, ValueError):
    """The wiring is not a valid feed-forward graph."""


class StateError(NeurographError, RuntimeError):
    """An operation was called in the wrong order."""


class NumericalError(NeurographError, ArithmeticError):
    """A NaN, an infinity or an overflow appeared in a computation."""


class FormatError(NeurographError, ValueError):
    """A saved model or a data file is malformed."""


class FileError(NeurographError, OSError):
    """A file cannot be written: the path is a folder, its folder does not exist, or the
    system refused (permissions, a full disk).  ``errno`` is the system's error number."""


def suggest(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``.

    >>> suggest("sigmod", ["sigmoid", "tanh"])
    " (did you mean 'sigmoid'?)"
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
