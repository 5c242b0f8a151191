"""The ``neurograph`` command line (also ``python -m neurograph``).

==================================================  ==========================================
command                                             what it does
==================================================  ==========================================
``neurograph demo [--out DIR]``                     Mazur's example step by step, then a net
                                                    trained on iris: accuracy, confusion matrix
``neurograph train --data iris ... --save m.json``  train a dense net on a data set or CSV file
``neurograph explain mazur w5``                     the chain rule behind one gradient
``neurograph explain m.json --input .. --target .. w``  the same for a saved model
``neurograph draw m.json -o net.svg``               an SVG picture of a saved model (or mazur)
``neurograph gradcheck m.json --input .. --target ..``  backward against finite differences
``neurograph info m.json``                          what a model file holds
``neurograph serve [mazur|xor|iris|digits|m.json]``  a web page to watch back-propagation
``neurograph textbook [NAME]``                      the gallery of worked examples, or one
                                                    example's source and printed numbers
``neurograph page DIR [--pyodide PATH]``            the same page as a static folder that runs
                                                    Python in the browser: nothing to install
==================================================  ==========================================

=========================  ==============================================================
module                     what it holds
=========================  ==============================================================
``command``                ``build_parser``, ``main``: the parser and the exit codes
``demo``                   ``demo``; ``mazur_walkthrough``, ``train_rounds``
``train``                  ``train``; ``train_net`` (split, scale, fit, evaluate)
``inspection``             ``explain``, ``draw``, ``gradcheck``, ``info``
``serving``                ``serve``: the playground page
``gallery``                ``textbook``: the worked examples and their printed numbers
``static_page``            ``page``: the playground as a static page (Python in the browser)
``inputs``                 models, samples, names and output files from the arguments
=========================  ==============================================================

Every command has ``--help``.  Exit codes: 0 success, 2 usage error (bad
arguments), 1 bad data or model (a one-line message on stderr names it).

>>> from neurograph.cli import main
>>> main(["explain", "mazur", "o1"])
delta_o1 = dE/d(out_o1) * d(out_o1)/d(net_o1)   [BP1]
         = 0.741365070 * 0.186815602
         = 0.138498562
d(out_o1)/d(net_o1) = out_o1 * (1 - out_o1)   [sigmoid']
                    = 0.751365070 * (1 - 0.751365070)
                    = 0.186815602
dE/d(out_o1) = 0.741365070   [loss gradient at output o1]
0
"""

from .command import build_parser, main
from .demo import mazur_walkthrough, train_rounds
from .inputs import BUILTIN_MODELS, UsageError  # noqa: F401  (UsageError: exit code 2)

__all__ = ["main", "build_parser", "mazur_walkthrough", "train_rounds", "BUILTIN_MODELS"]
