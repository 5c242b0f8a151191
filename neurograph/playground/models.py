"""The playground's models: built-in examples, the textbook gallery, and model files.

``neurograph serve NAME`` and ``ng.serve(*example(NAME)[:2], **example(NAME)[2])``
start the page with one of these; *options* are :func:`~neurograph.playground.serve`'s
starting settings (``lr``, ``loss``, ``optimizer``, ``title``, ...).  A model
file saved by the page (``model_file_of``) holds, beside the net and its
optimizer, the page's title, loss and data choice, and the model's own
samples; :func:`load_file` reads all of them back, and says what a file
lacks.

=============================  ============================================================
name                           what it is
=============================  ============================================================
``resolve(model)``             what ``neurograph serve MODEL`` and ``neurograph page --model
                               MODEL`` start with: a built-in model, a gallery example or a
                               model file's path
``example(name)``              a built-in model or a gallery example: net, data, settings
``model_file(path)``           a saved model, with its data set when it names one
``load_file(doc, pg)``         net, settings, data, title and a notice from a model file
``model_file_of(pg)``          the playground's net as a model file, with its metadata
``EXAMPLES``                   the built-in models' names
``NAMES``                      every name ``example`` knows (built-ins, then the gallery)
=============================  ============================================================

>>> net, data, options = example("mazur")
>>> net, options["lr"], options["title"]
(Net(2-2-2: 6 neurons, 8 connections, 10 parameters, float), 0.5, "Mazur's 2-2-2 example")
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple

from ..core.arithmetic import number_text
from ..core.errors import NameLookupError, NeurographError, suggest
from .choices import KINDS, DataChoice
from .settings import OPTIMIZERS, Settings, loss_names

__all__ = ["resolve", "example", "model_file", "load_file", "model_file_of", "EXAMPLES", "NAMES",
           "example_options"]

#: The built-in models of ``neurograph serve``.
EXAMPLES = ("mazur", "xor", "spiral", "iris", "digits", "echo")


def _gallery() -> Tuple[str, ...]:
    from ..textbook import NAMES as GALLERY
    return tuple(n for n in GALLERY if n not in EXAMPLES)


def names() -> List[str]:
    """Every name :func:`example` knows.

    >>> names()[:7]
    ['mazur', 'xor', 'spiral', 'iris', 'digits', 'echo', 'toy_linear']
    """
    return list(EXAMPLES) + list(_gallery())


NAMES = tuple(names())


def example_options(ex: Any) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of a textbook Example: its samples (a sequence for a
    recurrent one), its learning rate, loss and optimizer, its source's title.

    >>> import neurograph as ng
    >>> net, data, options = example_options(ng.textbook.get("xor_epochs"))
    >>> len(data), options["loss"]
    (4, 'half_sse')
    """
    source = ex.source or (getattr(ex, "spec", None) or {}).get("source") or {}
    options: Dict[str, Any] = {"title": source.get("title", "") or ex.name, "loss": ex.loss}
    if ex.lr is not None:
        options["lr"] = ex.lr
    opt = ex.optimizer or {}
    if opt.get("name") == "adam":
        options["optimizer"] = "adam"
    elif opt.get("momentum") not in (None, 0, "0"):
        options["optimizer"], options["momentum"] = "momentum", opt["momentum"]
    samples = getattr(ex, "samples", None)          # (an example worked over several samples)
    return ex.net, list(samples) if samples else [(ex.x, ex.y)], options


def example(name: str) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of a built-in model (mazur, xor, spiral, iris, digits, echo)
    or of an example of the textbook gallery (``ng.textbook.NAMES``).

    >>> net, data, options = example("xor")
    >>> net, len(data), options["loss"]
    (Net(2-2-1: 5 neurons, 6 connections, 9 parameters, float), 4, 'half_sse')
    >>> example("echo")[0]
    Net(1-3-1: 5 neurons, 15 connections, 19 parameters, float)
    """
    from .. import datasets, textbook
    from ..net import Net
    if name == "mazur":
        net, data, options = example_options(textbook.mazur())
        return net, data, dict(options, title="Mazur's 2-2-2 example")
    if name == "xor":
        net = Net.dense([2, 2, 1], activation="sigmoid", seed=1)
        return net, datasets.xor(), {"lr": 1.0, "loss": "half_sse", "optimizer": "sgd",
                                     "title": "XOR, 2-2-1 sigmoid"}
    if name == "spiral":
        net = Net.dense([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", seed=0)
        return net, datasets.spiral(200), {"lr": 0.03, "loss": "binary_cross_entropy",
                                           "optimizer": "adam", "batch": 10,
                                           "title": "Two spirals, 2-8-8-1 tanh"}
    if name == "echo":
        net = Net.elman([1, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
        return net, datasets.echo(16, length=6), {
            "lr": 0.5, "loss": "binary_cross_entropy", "optimizer": "sgd",
            "title": "Echo: an Elman 1-3-1 net repeats its input one step later"}
    if name in ("iris", "digits"):
        raw = datasets.load_iris() if name == "iris" else datasets.load_digits()
        (data,) = datasets.standardize(raw)
        sizes = [4, 8, 3] if name == "iris" else [64, 32, 10]
        net = Net.dense(sizes, activation="tanh", output_activation="softmax", seed=0)
        return net, data, {"lr": 0.05 if name == "iris" else 0.02,
                           "loss": "categorical_cross_entropy", "optimizer": "sgd",
                           "title": "%s, %s tanh/softmax (standardized features)"
                           % (name, "-".join(map(str, sizes)))}
    if isinstance(name, str) and name in _gallery():
        return example_options(textbook.get(name))
    raise NameLookupError("no built-in model or gallery example %r%s: use one of %s"
                          % (name, suggest(str(name), NAMES), ", ".join(NAMES)))


def resolve(model: str) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of *model*: a built-in model (mazur, xor, spiral, iris,
    digits, echo), an example of the textbook gallery, or the path of a model file.  The
    one reading of a model's name: ``neurograph serve`` and ``neurograph page --model``
    (and the page's Python) use it.

    >>> net, data, options = resolve("toy_relu")
    >>> net, options["lr"]
    (Net(1-1-1: 3 neurons, 2 connections, 2 parameters, float), 0.1)
    >>> resolve("xorr")
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: no model 'xorr' (did you mean 'xor'?): give a built-in model (mazur, xor, spiral, iris, digits, echo), a gallery example (neurograph textbook lists them) or a model file's path
    """
    if isinstance(model, str) and model in NAMES:
        return example(model)
    if isinstance(model, str) and os.path.isfile(model):
        return model_file(model)
    raise NameLookupError("no model %r%s: give a built-in model (%s), a gallery example "
                          "(neurograph textbook lists them) or a model file's path"
                          % (model, suggest(str(model), NAMES), ", ".join(EXAMPLES)))


def _bundled_data(net: Any, meta: Dict[str, Any]) -> Any:
    """The bundled data set a ``neurograph train`` model names (scaled as in training), or
    None when it names none or it does not fit the net."""
    from .. import datasets
    loaders = {"iris": datasets.load_iris, "digits": datasets.load_digits, "xor": datasets.xor}
    load = loaders.get(meta.get("data"))   # type: ignore[arg-type]
    if load is None:
        return None
    try:
        data = load(net.number)
        if meta.get("standardize") is not None:
            scaler = datasets.Scaler.from_dict(meta["standardize"],
                                               [n.name for n in net.inputs], net.number)
            data = scaler.apply(data)
        if data.n_features != len(net.inputs) or len(data.targets[0]) != len(net.outputs):
            return None
    except NeurographError:
        return None
    return data


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
    from ..net import Net
    ck = Net.load_checkpoint(path)
    net, meta = ck.net, ck.metadata or {}
    options: Dict[str, Any] = {"title": os.path.basename(path)}
    options.update(_optimizer_options(ck.optimizer))
    if meta.get("loss") in loss_names() + ["cross_entropy"]:
        options["loss"] = meta["loss"]
    return net, _bundled_data(net, meta), options


def _optimizer_options(opt: Any) -> Dict[str, Any]:
    if opt is None:
        return {}
    out: Dict[str, Any] = {"lr": opt.lr}
    if type(opt).__name__ == "Adam":
        out["optimizer"] = "adam"
    elif getattr(opt, "momentum", 0):
        out["optimizer"], out["momentum"] = "momentum", opt.momentum
    else:
        out["optimizer"] = "sgd"
    if getattr(opt, "weight_decay", 0):
        out["weight_decay"] = opt.weight_decay
    return out


def _samples_of(meta: Dict[str, Any]) -> Optional[List[Any]]:
    samples = meta.get("samples")
    if not isinstance(samples, list) or not samples or len(samples) > 100000:
        return None
    if not all(isinstance(s, list) and len(s) == 2 for s in samples):
        return None
    return [(s[0], s[1]) for s in samples]


def load_file(doc: Any, pg: Any) -> Tuple[Any, Settings, DataChoice, str, str]:
    """``(net, settings, data, title, notice)`` of a model file's JSON object *doc*: its
    title, loss, optimizer, data choice and samples from the metadata the page saves (or
    ``neurograph train`` writes); *notice* says what the file lacks."""
    from ..net import Net
    from ..persistence import checkpoint_from_dict
    ck = checkpoint_from_dict(doc, net_class=Net)
    net, meta = ck.net, ck.metadata if isinstance(ck.metadata, dict) else {}
    lacks: List[str] = []
    title = meta.get("title") if isinstance(meta.get("title"), str) else (net.name or "")
    if not title:
        lacks.append("title")
    opts = _optimizer_options(ck.optimizer)
    if not opts:
        lacks.append("optimizer (the page's stays)")
        opts = {"lr": pg.settings.lr, "optimizer": pg.settings.optimizer}
    loss = meta.get("loss")
    if loss not in loss_names() + ["cross_entropy"]:
        lacks.append("loss")
        loss = None
    kind = opts.pop("optimizer", "sgd")
    settings = Settings.start(net, loss=loss, optimizer=kind if kind in OPTIMIZERS else "sgd",
                              **opts)
    data = _data_of(net, meta, lacks)
    notice = "" if not lacks else "the file has no %s" % ", no ".join(lacks)
    return net, settings, data, title or "a loaded model", notice


def _data_of(net: Any, meta: Dict[str, Any], lacks: List[str]) -> DataChoice:
    """The data choice a file's metadata describes: the page's (its data set, noise,
    split, seed, features, or the model's own samples), or the bundled data set that
    ``neurograph train`` used."""
    recurrent = any(n.delayed_inputs for n in net.neurons)
    if not meta.get("playground"):
        own = _bundled_data(net, meta)
        if own is None:
            lacks.append("data set or samples (type a sample in, or choose a data set)")
        return DataChoice(own, "own", sequences=recurrent)
    own = _samples_of(meta)
    kind = meta.get("data")
    keys = {k: meta[k] for k in ("noise", "split", "seed")
            if isinstance(meta.get(k), int) and not isinstance(meta.get(k), bool)}
    features = meta.get("features")
    if kind in KINDS and (kind != "own" or own is not None):
        try:
            return DataChoice(own, kind, sequences=recurrent,
                              features=features if isinstance(features, list) and features
                              else ("x1", "x2"), **keys).checked()
        except NeurographError:
            lacks.append("data set the page can make (it names %s)" % str(kind)[:40])
    else:
        lacks.append("data set or samples (type a sample in, or choose a data set)")
    return DataChoice(own, "own", sequences=recurrent)


def model_file_of(pg: Any) -> Dict[str, Any]:
    """The playground's net and optimizer as a model file, with the page's title, loss,
    data choice and (for the model's own data) the samples, as text, in the metadata."""
    from ..persistence import net_to_dict
    d = pg.data
    meta: Dict[str, Any] = {"playground": 1, "title": pg.title, "loss": pg.settings.loss,
                            "data": d.kind,
                            "noise": d.noise, "split": d.split, "seed": d.seed,
                            "features": list(d.features)}
    if d.kind == "own" and pg.pairs and len(pg.pairs) <= 5000:
        meta["samples"] = [[_texts(x), _texts(y)] for x, y in pg.pairs]
    return net_to_dict(pg.net, optimizer=pg.opt, metadata=meta)


def _texts(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, list):
        return [_texts(x) for x in v]
    return number_text(v)
