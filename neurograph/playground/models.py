"""The playground's built-in models and saved model files: ``(net, data, options)``.

``neurograph serve NAME`` and ``ng.serve(*example(NAME)[:2], **example(NAME)[2])``
start the page with one of these; *options* are :func:`~neurograph.playground.serve`'s
starting settings (``lr``, ``loss``, ``optimizer``, ``title``).

=========================  ============================================================
name                       what it is
=========================  ============================================================
``example(name)``          mazur, xor, iris or digits: a net, its data, its settings
``model_file(path)``       a saved model, with its data set when it names a bundled one
``EXAMPLES``               the names ``example`` knows
=========================  ============================================================

>>> net, data, options = example("mazur")
>>> net, options["lr"], options["title"]
(Net(2-2-2: 6 neurons, 8 connections, 10 parameters, float), 0.5, "Mazur's 2-2-2 example")
"""

from __future__ import annotations

import os
from typing import Any, Dict, Tuple

from ..core.errors import NeurographError
from .state import loss_names

__all__ = ["example", "model_file", "EXAMPLES"]

#: The built-in models of ``neurograph serve``.
EXAMPLES = ("mazur", "xor", "iris", "digits")


def example(name: str) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of a built-in model: mazur, xor, iris or digits.

    *options* holds ``lr``, ``loss``, ``optimizer`` and ``title`` for :func:`serve`.

    >>> net, data, options = example("xor")
    >>> net, len(data), options["loss"]
    (Net(2-2-1: 5 neurons, 6 connections, 9 parameters, float), 4, 'half_sse')
    """
    from .. import datasets, textbook
    from ..net import Net
    if name == "mazur":
        ex = textbook.mazur()
        return ex.net, [(ex.x, ex.y)], {"lr": ex.lr, "loss": "half_sse", "optimizer": "sgd",
                                        "title": "Mazur's 2-2-2 example"}
    if name == "xor":
        net = Net.dense([2, 2, 1], activation="sigmoid", seed=1)
        return net, datasets.xor(), {"lr": 1.0, "loss": "half_sse", "optimizer": "sgd",
                                     "title": "XOR, 2-2-1 sigmoid"}
    if name in ("iris", "digits"):
        raw = datasets.load_iris() if name == "iris" else datasets.load_digits()
        (data,) = datasets.standardize(raw)
        sizes = [4, 8, 3] if name == "iris" else [64, 32, 10]
        net = Net.dense(sizes, activation="tanh", output_activation="softmax", seed=0)
        return net, data, {"lr": 0.05 if name == "iris" else 0.02, "loss": "cross_entropy",
                           "optimizer": "sgd",
                           "title": "%s, %s tanh/softmax (standardized features)"
                           % (name, "-".join(map(str, sizes)))}
    from ..core.errors import NameLookupError
    raise NameLookupError("no built-in model %r: use one of %s" % (name, ", ".join(EXAMPLES)))


def model_file(path: str) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of a saved model file.

    A model that ``neurograph train`` made on a bundled data set (iris, digits,
    xor) comes with that data set, scaled as in training; any other with no
    data (the page types samples in).  The saved optimizer's learning rate and
    the saved loss are the starting settings.

    >>> import neurograph as ng, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "xor.json")
    >>> net = ng.Net.dense([2, 2, 1], seed=0)
    >>> ng.persistence.save(net, path, optimizer=ng.SGD(net, lr=0.5), metadata={"data": "xor"})
    >>> net, data, options = model_file(path)
    >>> len(data), options
    (4, {'title': 'xor.json', 'lr': 0.5, 'optimizer': 'sgd'})
    """
    from .. import datasets
    from ..net import Net
    ck = Net.load_checkpoint(path)
    net, meta = ck.net, ck.metadata or {}
    options: Dict[str, Any] = {"title": os.path.basename(path)}
    if ck.optimizer is not None:
        options["lr"] = ck.optimizer.lr
        options["optimizer"] = "adam" if type(ck.optimizer).__name__ == "Adam" else "sgd"
    if meta.get("loss") in loss_names():
        options["loss"] = meta["loss"]
    loaders = {"iris": datasets.load_iris, "digits": datasets.load_digits, "xor": datasets.xor}
    data = None
    load = loaders.get(meta.get("data"))   # type: ignore[arg-type]
    if load is not None:
        try:
            data = load(net.number)
            if meta.get("standardize") is not None:
                scaler = datasets.Scaler.from_dict(meta["standardize"],
                                                   [n.name for n in net.inputs], net.number)
                data = scaler.apply(data)
            if data.n_features != len(net.inputs) or len(data.targets[0]) != len(net.outputs):
                data = None
        except NeurographError:
            data = None
    return net, data, options
