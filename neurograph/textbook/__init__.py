"""Worked examples from textbooks and tutorials, built as nets, and a checker of hand calculations.

==================================  ==========================================================
name                                what it is
==================================  ==========================================================
``catalog()``                       the gallery: name, description and citation of each example
``get(name, number=float)``         an :class:`Example` by name
``mazur()``                         Matt Mazur's 2-2-2 backpropagation example (2015)
``toy_linear()``                    one linear neuron, one SGD step, exact (adilce009)
``toy_sigmoid()``                   sigmoid hidden neuron, rounded to 3 places, errata (adilce009)
``toy_relu()``                      the same net with ReLU, exact (adilce009)
``softmax_regression()``            softmax outputs with cross-entropy, errata (MihirSaiDudekula)
``softmax_sigmoid()``               sigmoid hidden layer, softmax outputs, errata (PostNetwork)
``samsel_221()``                    2-2-1 sigmoid net, the updated-weight mistake (Nathan Samsel)
``xor_epochs()``                    XOR, 2-2-1 sigmoid net, epochs of online updates (Stack Overflow)
``adam_quadratic()``                three Adam steps on theta^2 (gbasran)
``rnn_forward()``                   a tanh recurrent neuron over three steps, errata (Ayan Paul)
``bptt_prachub()``                  back-propagation through time by hand, errata (PracHub)
``bptt_thsis()``                    two recurrent tanh units, BPTT and one update, errata (thsis)
``Example``                         net, sample, settings, source, printed numbers, errata
``Exercise(example, ask=[...])``    check a hand calculation: ``.check(answers)`` -> Report
``MISTAKES``                        the common mistakes a wrong answer is matched against
``load_spec``, ``from_spec``,       the bundled descriptions (``textbook/data/*.json``) and
``build``                           the nets and examples they make
==================================  ==========================================================

Quantities are named ``NEURON.z``, ``NEURON.a``, ``NEURON.delta``,
``NEURON.grad_a``, ``PARAMETER.grad``, ``PARAMETER.updated`` and ``loss``;
``@t`` picks time step t of a recurrent example (``h.delta@1``) and ``#k``
the k-th update of an example that works several (``theta.updated#2``).

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> report = ng.Exercise(ex, ask=["o1.delta", "h1.delta"]).check(
...     {"o1.delta": "0.1385", "h1.delta": "0.0364"})
>>> report["o1.delta"].correct, report["h1.delta"].correct, report["h1.delta"].mistake
(True, False, 'missing_derivative')
"""

from .checking import Check, Exercise, Report
from .gallery import (Entry, adam_quadratic, bptt_prachub, bptt_thsis, catalog, get, rnn_forward,
                      samsel_221, softmax_regression, softmax_sigmoid, toy_linear, toy_relu,
                      toy_sigmoid, xor_epochs)
from .mistakes import MISTAKES
from .worked import NAMES, Example, build, from_spec, load_spec, mazur

__all__ = ["Example", "mazur", "from_spec", "load_spec", "build", "catalog", "get", "Entry",
           "NAMES", "toy_linear", "toy_sigmoid", "toy_relu", "softmax_regression",
           "softmax_sigmoid", "samsel_221", "xor_epochs", "adam_quadratic", "rnn_forward", "bptt_prachub",
           "bptt_thsis", "Exercise", "Report", "Check", "MISTAKES"]
