"""Writing a model file: the net (optionally an optimizer and metadata) as canonical JSON.

The document is checked by the reader's own checks before it is returned, so
whatever is written loads back; the text is canonical (sorted keys, one
neuron, connection or parameter per line), so equal nets give equal bytes.

==================================  ===================================================
name                                what it does
==================================  ===================================================
``net_to_dict(net, ...)``           the JSON-ready dict
``dumps(net, ...)``                 the model file's text
``save(net, path, ...)``            write a model file atomically (optimizer, metadata)
==================================  ===================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
>>> sorted(net_to_dict(net))[:4]
['connections', 'format', 'inputs', 'metadata']
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from ..core.activations import ACTIVATIONS, Activation
from ..core.arithmetic import NumberSystem
from ..core.errors import FormatError, StateError
from ..core.net import Net, Parameter
from ..core.optim import SGD, Adam, Optimizer
from ..files import write_atomically
from .checks import _Reader
from .json_values import FORMAT_NAME, FORMAT_VERSION, _encoder
from .reader import _check

__all__ = ["net_to_dict", "dumps", "save"]


def _activation_doc(act: Activation, num: NumberSystem, where: str) -> Any:
    """A built-in activation's name, or ``{"name", "params"}`` for one with settings."""
    base = ACTIVATIONS.get(act.name)
    if not act.builtin or base is None or base._factory is not act._factory:
        raise FormatError(
            "%s uses the custom activation %r, which cannot be saved: a model file names "
            "its activations, and only the built-in ones (%s) have names that load back; "
            "use a built-in activation or keep the code that builds this net"
            % (where, act.name, ", ".join(ACTIVATIONS)))
    if not act.params:
        return act.name
    enc = _encoder(num)
    params = {k: enc(num.convert(v, "%s parameter %s" % (act.name, k)))
              for k, v in act.params.items()}
    return {"name": act.name, "params": params}


def net_to_dict(net: Net, optimizer: Optional[Optimizer] = None,
                metadata: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The net (and optionally an optimizer's state and metadata) as a JSON-ready dict.

    The net must be complete (``forward`` must be able to run); custom
    activations cannot be saved.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity")
    >>> d = net_to_dict(net, metadata={"note": "tiny"})
    >>> d["number"], d["inputs"], d["neurons"]
    ('float', ['i1'], [{'name': 'o1', 'activation': 'identity', 'bias': 'o1.bias'}])
    >>> d["connections"][0]["src"], d["metadata"]
    ('i1', {'note': 'tiny'})
    """
    if not isinstance(net, Net):
        raise FormatError("net_to_dict needs a Net, got %r" % (net,))
    if not isinstance(net.name, str):
        raise FormatError("the net's name must be a string to be saved, got %r" % (net.name,))
    net._ordered()  # a file holds a working net: refuse dangling neurons, cycles, ...
    num = net.number_system
    enc = _encoder(num)
    standalone = [p for p in net.parameters() if isinstance(p, Parameter)]
    params_doc = [{"name": p.name, "value": enc(p.value), "trainable": p.trainable}
                  for p in standalone]
    doc: Dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "number": num.name,
        "name": net.name,
        "inputs": [n.name for n in net.inputs],
        "parameters": params_doc,
        "neurons": _neurons_doc(net),
        "connections": _connections_doc(net),
        "optimizer": _optimizer_doc(net, optimizer) if optimizer is not None else None,
        "metadata": _metadata_doc(metadata),
    }
    _readable(doc)
    return doc


def _neurons_doc(net: Net) -> List[Dict[str, Any]]:
    """The ``"neurons"`` entries: every neuron but the inputs, with its initial value if set."""
    num = net.number_system
    enc = _encoder(num)
    neurons_doc = []
    for n in net.neurons:
        if n.is_input:
            continue
        neurons_doc.append({
            "name": n.name,
            "activation": _activation_doc(n.activation, num, "neuron %r" % n.name),
            "bias": n.bias.name if n.bias is not None else None,
        })
    for n in net.neurons:                         # a recurrent net's state before step 0
        if n.initial is not None:
            initial = enc(net._number(n.initial, "initial of neuron %r" % n.name))
            if n.is_input:
                raise FormatError("input neuron %r has an initial value (%s), which a model file "
                                  "cannot hold: set initial on neurons made with add_neuron"
                                  % (n.name, initial))
            next(d for d in neurons_doc if d["name"] == n.name)["initial"] = initial
    return neurons_doc


def _connections_doc(net: Net) -> List[Dict[str, Any]]:
    """The ``"connections"`` entries, grouped by destination in input order."""
    enc = _encoder(net.number_system)
    conns_doc = []
    for c in net.connections():
        entry: Dict[str, Any] = {"src": c.src.name, "dst": c.dst.name,
                                 "name": c._name}
        if c.tied:
            entry["param"] = c.param.name
        else:
            entry["weight"] = enc(c.weight)
            entry["trainable"] = c.trainable
        if c.delay:
            entry["delay"] = c.delay                  # a recurrent connection (absent: 0)
        conns_doc.append(entry)
    return conns_doc


def _readable(doc: Dict[str, Any]) -> None:
    """Refuse a document that :func:`load` would refuse, with load's own message.

    A net can hold what the file format cannot (a connection's weight used as
    a bias, a Decimal beyond the exponent or length limits in ``LIMITS``):
    saving it would write a file that cannot be read back.
    """
    try:
        _check(doc)
    except FormatError as e:
        err = FormatError("this net cannot be saved in a form that load() reads back: %s" % e)
        err.path = getattr(e, "path", None)  # type: ignore[attr-defined]
        raise err from None


def _optimizer_doc(net: Net, opt: Optimizer) -> Dict[str, Any]:
    """An SGD's or Adam's settings, step count and per-parameter state."""
    if type(opt) not in (SGD, Adam):
        raise FormatError("cannot save an optimizer of type %s: only SGD and Adam have a saved "
                          "form" % type(opt).__name__)
    if opt.net is not net:
        raise StateError("the optimizer given to save belongs to another net: pass the "
                         "optimizer made for this net")
    enc = _encoder(net.number_system)
    doc: Dict[str, Any] = {"type": type(opt).__name__, "lr": enc(opt.lr), "steps": opt.steps,
                           "weight_decay": enc(opt.weight_decay)}
    if isinstance(opt, SGD):
        doc["momentum"] = enc(opt.momentum)
        doc["nesterov"] = opt.nesterov
    else:
        doc["betas"] = [enc(opt.betas[0]), enc(opt.betas[1])]
        doc["eps"] = enc(opt.eps)
    doc["state"] = {p.name: {s: enc(v) for s, v in opt.state(p).items()}
                    for p in net.parameters()}
    return doc


def _metadata_doc(metadata: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A copy of *metadata* as plain JSON values (checked like a loaded file's)."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise FormatError("metadata must be a dict of JSON values, got %r" % (metadata,))
    _Reader(float).metadata(metadata, "metadata")
    return json.loads(json.dumps(metadata, allow_nan=False))


def _dump_value(v: Any) -> str:
    """One JSON value on one line, keys sorted."""
    return json.dumps(v, sort_keys=True, allow_nan=False, separators=(", ", ": "))


def _dumps_doc(doc: Dict[str, Any]) -> str:
    """Canonical text: sorted keys, one list item (neuron, connection, ...) per line."""
    lines = ["{"]
    keys = sorted(doc)
    for j, key in enumerate(keys):
        v = doc[key]
        comma = "," if j < len(keys) - 1 else ""
        head = "  %s: " % json.dumps(key)
        if isinstance(v, list) and v:
            items = ",\n".join("    " + _dump_value(x) for x in v)
            lines.append(head + "[\n" + items + "\n  ]" + comma)
        elif key == "optimizer" and isinstance(v, dict):
            inner = []
            okeys = sorted(v)
            for i, k in enumerate(okeys):
                c2 = "," if i < len(okeys) - 1 else ""
                x = v[k]
                if k == "state" and isinstance(x, dict) and x:
                    skeys = sorted(x)
                    body = ",\n".join("      %s: %s" % (json.dumps(s), _dump_value(x[s]))
                                      for s in skeys)
                    inner.append("    %s: {\n%s\n    }%s" % (json.dumps(k), body, c2))
                else:
                    inner.append("    %s: %s%s" % (json.dumps(k), _dump_value(x), c2))
            lines.append(head + "{\n" + "\n".join(inner) + "\n  }" + comma)
        else:
            lines.append(head + _dump_value(v) + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dumps(net: Net, optimizer: Optional[Optimizer] = None,
          metadata: Optional[Dict[str, Any]] = None) -> str:
    """The model file's text for *net* (canonical: equal nets give equal text).

    Each neuron, connection and parameter takes one line:

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 0.5
    >>> print(ng.persistence.dumps(net).splitlines()[2])
        {"dst": "o1", "name": null, "src": "i1", "trainable": true, "weight": 0.5}
    """
    return _dumps_doc(net_to_dict(net, optimizer=optimizer, metadata=metadata))


def save(net: Net, path: Any, optimizer: Optional[Optimizer] = None,
         metadata: Optional[Dict[str, Any]] = None) -> None:
    """Write *net* to the JSON file *path*, atomically.

    The text goes to a temporary file in the same folder, which is flushed,
    synced to disk and then renamed over *path*: a failure at any point leaves
    the previous file untouched and no partial file behind.  *optimizer*
    (SGD or Adam of this net) adds its hyperparameters and per-parameter
    state; *metadata* is any dict of JSON values (epochs, data set, notes).
    ``net.save(path, ...)`` is this function.

    >>> import os, tempfile
    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 3, 1], seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net.save(path, metadata={"note": "untrained"})
    >>> ng.load(path).to_dict() == net.to_dict()
    True
    """
    write_atomically(path, dumps(net, optimizer=optimizer, metadata=metadata).encode("ascii"))
