"""The gallery: every bundled worked example by name, and the catalog that lists them.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``catalog()``                  one :class:`Entry` (name, description, citation) per example
``get(name, number=float)``    the :class:`~neurograph.textbook.Example` called *name*
``toy_linear()`` ...           one function per example (see the table in the package)
=============================  ==========================================================

>>> import neurograph as ng
>>> [e.name for e in ng.textbook.catalog()][:3]
['mazur', 'toy_linear', 'toy_sigmoid']
>>> ng.textbook.get("toy_linear", "Fraction").net["w"].weight
Fraction(3, 1)
"""

from __future__ import annotations

from typing import Any, List, NamedTuple

from ..core.errors import NameLookupError, suggest
from .worked import NAMES, Example, build, load_spec, mazur

__all__ = ["Entry", "catalog", "get", "toy_linear", "toy_sigmoid", "toy_relu",
           "softmax_regression", "softmax_sigmoid", "samsel_221", "xor_epochs", "adam_quadratic",
           "rnn_forward", "bptt_prachub", "bptt_thsis"]


class Entry(NamedTuple):
    """One line of the catalog: the example's ``name``, a one-line ``description`` and the
    ``citation`` of its source; ``printed`` and ``errata`` count its numbers.

    >>> import neurograph as ng
    >>> e = ng.textbook.catalog()[0]
    >>> e.name, e.printed, e.errata
    ('mazur', 20, 0)
    """
    name: str
    description: str
    citation: str
    printed: int
    errata: int


def get(name: str, number: Any = float) -> Example:
    """The gallery's example called *name*, in the number type *number*.

    >>> import neurograph as ng
    >>> ng.textbook.get("toy_relu").printed["w1.grad"]
    '2'
    >>> ng.textbook.get("xor")
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: no example named 'xor' in the gallery (known: mazur, toy_linear, toy_sigmoid, toy_relu, softmax_regression, softmax_sigmoid, samsel_221, xor_epochs, adam_quadratic, rnn_forward, bptt_prachub, bptt_thsis)
    """
    if not isinstance(name, str) or name not in NAMES:
        raise NameLookupError("no example named %r in the gallery%s (known: %s)"
                              % (name, suggest(str(name), NAMES), ", ".join(NAMES)))
    if name == "mazur":
        return mazur(number)
    return build(load_spec(name), number)


def catalog() -> List[Entry]:
    """Every example of the gallery, in order.

    >>> import neurograph as ng
    >>> for e in ng.textbook.catalog()[1:2]:
    ...     print(e.name, "-", e.description)
    toy_linear - one linear neuron, squared error, one SGD step and the forward pass after it (exact)
    """
    out = []
    for name in NAMES:
        ex = get(name)
        out.append(Entry(name, ex.description, ex.citation(), len(ex.printed or {}),
                         len(ex.errata or {})))
    return out


def toy_linear(number: Any = float) -> Example:
    """One linear neuron ``yhat = w x``, ``L = (y - yhat)^2``, one SGD step (adilce009, section 3).

    >>> from fractions import Fraction
    >>> ex = toy_linear(Fraction)
    >>> ex.net.forward(ex.x), ex.y, ex.lr
    ([Fraction(6, 1)], [Fraction(10, 1)], Fraction(1, 10))
    """
    return get("toy_linear", number)


def toy_sigmoid(number: Any = float) -> Example:
    """A sigmoid hidden neuron and a linear output, rounded to 3 places (adilce009, section 4).

    >>> ex = toy_sigmoid()
    >>> with ex.rounded():
    ...     ex.net.forward(ex.x)
    [-0.622]
    """
    return get("toy_sigmoid", number)


def toy_relu(number: Any = float) -> Example:
    """The same net with a ReLU hidden neuron, exact (adilce009, section 5).

    >>> ex = toy_relu("Fraction")
    >>> ex.net.forward(ex.x), ex.net.backward(ex.y, loss=ex.loss), ex.net["w1"].grad
    ([Fraction(-1, 2)], Fraction(1, 1), Fraction(2, 1))
    """
    return get("toy_relu", number)


def softmax_regression(number: Any = float) -> Example:
    """Two inputs, three softmax outputs and cross-entropy (MihirSaiDudekula, DLP2.md).

    >>> ex = softmax_regression()
    >>> [round(a, 3) for a in ex.net.forward(ex.x)]
    [0.099, 0.659, 0.242]
    """
    return get("softmax_regression", number)


def softmax_sigmoid(number: Any = float) -> Example:
    """A 3-2-2 net, sigmoid hidden layer and softmax outputs (PostNetwork Academy).

    >>> ex = softmax_sigmoid()
    >>> with ex.rounded():
    ...     ex.net.forward(ex.x)
    [0.567, 0.433]
    """
    return get("softmax_sigmoid", number)


def samsel_221(number: Any = float) -> Example:
    """A 2-2-1 sigmoid net with learning rate 1 (Nathan Samsel's README).

    >>> ex = samsel_221()
    >>> round(ex.net.forward(ex.x)[0], 2)
    0.69
    """
    return get("samsel_221", number)


def xor_epochs(number: Any = float) -> Example:
    """XOR on a 2-2-1 sigmoid net from all weights 0.6: three epochs of online updates
    (a Stack Overflow answer quoting a teacher's runs).

    >>> ex = xor_epochs()
    >>> len(ex.samples), ex.updates, ex.lr
    (4, 16, 0.1)
    """
    return get("xor_epochs", number)


def adam_quadratic(number: Any = float) -> Example:
    """Three Adam steps on ``theta^2`` from ``theta = 5`` (gbasran, "The Full Adam Algorithm").

    >>> ex = adam_quadratic()
    >>> ex.updates, ex.optimizer["name"], ex.rounding
    (3, 'adam', {'digits': 5})
    """
    return get("adam_quadratic", number)


def rnn_forward(number: Any = float) -> Example:
    """One tanh recurrent neuron over three steps from ``h0 = 0.1`` (Ayan Paul, notebook 48).

    >>> ex = rnn_forward()
    >>> [round(a, 6) for [a] in ex.net.forward_sequence(ex.x)]
    [0.753066, 0.809829, 0.708873]
    """
    return get("rnn_forward", number)


def bptt_prachub(number: Any = float) -> Example:
    """A tanh recurrent neuron and a linear output over two steps: BPTT (PracHub).

    >>> ex = bptt_prachub()
    >>> _ = ex.net.forward_sequence(ex.x)
    >>> round(ex.net.backward_sequence(ex.y, loss=ex.loss), 4)
    0.0994
    """
    return get("bptt_prachub", number)


def bptt_thsis(number: Any = float) -> Example:
    """Two tanh units with a recurrent matrix and a linear output over three steps, one SGD
    step after BPTT, errata (thsis, "Backpropagation on RNN").

    >>> ex = bptt_thsis()
    >>> round(ex.net.forward_sequence(ex.x)[2][0], 8)
    5.99720442
    >>> round(ex.net.backward_sequence(ex.y, loss=ex.loss), 6), round(ex.net["W_1"].grad, 8)
    (0.502799, -0.00309606)
    """
    return get("bptt_thsis", number)
