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

==================================  ==================================================
name                                what it does
==================================  ==================================================
``save(net, path, ...)``            write a model file atomically (optimizer, metadata)
``load(path)``                      read a model file back as a Net
``load_checkpoint(path)``           ``Checkpoint(net, optimizer, metadata)``
``dumps(net, ...)``, ``loads(s)``   the same, to and from a string
``net_to_dict(net, ...)``           the JSON-ready dict
``net_from_dict(d)``                a Net from such a dict (validated)
``checkpoint_from_dict(d)``         ``Checkpoint`` from such a dict (validated)
``to_matrices(net)``                per layer ``(weights[out][in], biases)``
``from_matrices(W, b, ...)``        a dense net from such matrices
==================================  ==================================================

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

from __future__ import annotations

import json
import math
import os
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple, Union

from .core.activations import ACTIVATIONS, Activation
from .core.arithmetic import NumberSystem, system_for
from .core.errors import (FormatError, NameLookupError, NeurographError, ShapeError,
                     StateError, TopologyError)
from .core.net import Connection, Net, Parameter
from .core.optim import SGD, Adam, Optimizer
from .files import write_atomically

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "LIMITS", "Checkpoint", "net_to_dict",
           "net_from_dict", "checkpoint_from_dict", "dumps", "loads", "save", "load",
           "load_checkpoint", "to_matrices", "from_matrices", "FileMethods"]

#: The value of the document's ``"format"`` key.
FORMAT_NAME = "neurograph"
#: The format version this module writes and reads.
FORMAT_VERSION = 1

#: Upper bounds checked when loading (a document beyond them is refused).
LIMITS: Dict[str, int] = {
    "file_bytes": 256 * 1024 * 1024,   # size of a model file
    "name_chars": 1000,                # length of a name
    "number_chars": 100000,            # length of a Decimal or Fraction string
    "decimal_exponent": 999999,        # |exponent| of a Decimal (the default context's Emax)
    "neurons": 1000000,                # inputs + neurons
    "connections": 10000000,
    "parameters": 10000000,
    "metadata_depth": 32,              # nesting of lists and objects in metadata
}

_NUMBER_NAMES = ("float", "Decimal", "Fraction")
_DECIMAL_RE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\Z")
_FRACTION_RE = re.compile(r"-?\d+/\d+\Z")
_CHUNK = 1000  # digits per piece when converting long integers (no str<->int size limit)


class Checkpoint(NamedTuple):
    """What a model file holds: the net, the optimizer (or None) and the metadata dict.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], seed=0)
    >>> text = ng.persistence.dumps(net, ng.SGD(net, lr=0.1), {"epochs": 3})
    >>> net2, opt2, meta = ng.persistence.loads(text, net_class=ng.Net)
    >>> opt2, opt2.net is net2, meta
    (SGD(lr=0.1, steps=0), True, {'epochs': 3})
    """
    net: Net
    optimizer: Optional[Optimizer]
    metadata: Dict[str, Any]


# ---------------------------------------------------------------------------
# Numbers <-> JSON values
# ---------------------------------------------------------------------------

def _int_to_str(n: int) -> str:
    """Decimal digits of *n*, for integers of any length."""
    if -10 ** 999 < n < 10 ** 999:
        return str(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    base = 10 ** _CHUNK
    parts = []
    while n:
        n, r = divmod(n, base)
        parts.append(r)
    parts.reverse()
    return sign + str(parts[0]) + "".join(str(p).zfill(_CHUNK) for p in parts[1:])


def _str_to_int(s: str) -> int:
    """The integer of a string of decimal digits of any length."""
    if len(s) <= _CHUNK:
        return int(s)
    n = 0
    for i in range(0, len(s), _CHUNK):
        piece = s[i:i + _CHUNK]
        n = n * 10 ** len(piece) + int(piece)
    return n


def _encoder(num: NumberSystem) -> Callable[[Any], Any]:
    if num.type is float:
        return float
    if num.type is Decimal:
        return str
    return lambda q: "%s/%s" % (_int_to_str(q.numerator), _int_to_str(q.denominator))


class _NonFinite:
    """Stands for NaN/Infinity met while parsing, so the check can name its path."""

    def __init__(self, text: str) -> None:
        self.text = text


class _DupDict(dict):
    """A JSON object that had repeated keys (remembered for the check)."""
    dups: List[str]


def _pairs(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    d: Dict[str, Any] = {}
    dups = []
    for k, v in pairs:
        if k in d:
            dups.append(k)
        d[k] = v
    if dups:
        out = _DupDict(d)
        out.dups = dups
        return out
    return d


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and v.bit_length() > 128:
        return "a whole number of about %d digits" % int(v.bit_length() * 0.30103 + 1)
    if isinstance(v, (int, float)):
        return "the number %s" % (repr(v) if len(repr(v)) < 40 else repr(v)[:37] + "...")
    if isinstance(v, str):
        return "the string %s" % (json.dumps(v) if len(v) < 40 else json.dumps(v[:37]) + "...")
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, _NonFinite):
        return v.text
    return type(v).__name__


def _join(path: str, key: str) -> str:
    return key if path == "(document)" else "%s.%s" % (path, key)


def _fail(path: str, expected: str, got: Any = None, *, raw: bool = False) -> FormatError:
    if not raw and not expected.startswith("expected "):
        expected = "expected " + expected
    msg = "%s: %s" % (path, expected) if raw else "%s: %s, got %s" % (
        path, expected, _json_type(got))
    err = FormatError(msg)
    err.path = path  # type: ignore[attr-defined]
    return err


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def _activation_doc(act: Activation, num: NumberSystem, where: str) -> Any:
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
    conns = net.connections()
    standalone = [p for p in net.parameters() if isinstance(p, Parameter)]
    params_doc = [{"name": p.name, "value": enc(p.value), "trainable": p.trainable}
                  for p in standalone]
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
    conns_doc = []
    for c in conns:
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
    doc: Dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "number": num.name,
        "name": net.name,
        "inputs": [n.name for n in net.inputs],
        "parameters": params_doc,
        "neurons": neurons_doc,
        "connections": conns_doc,
        "optimizer": _optimizer_doc(net, optimizer) if optimizer is not None else None,
        "metadata": _metadata_doc(metadata),
    }
    _readable(doc)
    return doc


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
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise FormatError("metadata must be a dict of JSON values, got %r" % (metadata,))
    _Reader(float)._metadata(metadata, "metadata", 0)
    return json.loads(json.dumps(metadata, allow_nan=False))


def _dump_value(v: Any) -> str:
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


# ---------------------------------------------------------------------------
# Reading: check everything, then build
# ---------------------------------------------------------------------------

class _Reader:
    """Checks a parsed document; every check raises a FormatError naming its JSON path."""

    def __init__(self, number: Any) -> None:
        self.num = system_for(number)

    # generic shapes ---------------------------------------------------------
    def obj(self, v: Any, path: str, keys: Sequence[str], what: str = "an object",
            optional: Sequence[str] = ()) -> Dict[str, Any]:
        if not isinstance(v, dict):
            raise _fail(path, "%s with keys %s" % (what, ", ".join(keys)), v)
        if isinstance(v, _DupDict):
            raise _fail(_join(path, v.dups[0]), "this key appears more than once in the object; "
                        "each key may appear once", raw=True)
        odd = [k for k in v if not isinstance(k, str)]
        if odd:
            raise _fail(path, "expected %s with string keys, got the key %r" % (what, odd[0]), raw=True)
        missing = [k for k in keys if k not in v]
        if missing:
            raise _fail(_join(path, missing[0]), "missing: %s needs the keys %s"
                        % (what, ", ".join(keys)), raw=True)
        keyset = set(keys) | set(optional)
        extra = sorted(k for k in v if k not in keyset)
        if extra:
            raise _fail(_join(path, extra[0]), "unexpected key; %s has exactly the keys %s%s"
                        % (what, ", ".join(keys), "" if not optional else
                           " (and optionally %s)" % ", ".join(optional)), raw=True)
        return v

    def lst(self, v: Any, path: str, what: str, limit: Optional[str] = None) -> List[Any]:
        if not isinstance(v, list):
            raise _fail(path, "expected a list of %s" % what, v)
        if limit is not None and len(v) > LIMITS[limit]:
            raise _fail(path, "expected at most %d %s (a larger model is refused as absurd), got %d"
                        % (LIMITS[limit], what, len(v)), raw=True)
        return v

    def boolean(self, v: Any, path: str) -> bool:
        if not isinstance(v, bool):
            raise _fail(path, "true or false", v)
        return v

    def text(self, v: Any, path: str, what: str = "a string") -> str:
        if not isinstance(v, str):
            raise _fail(path, what, v)
        return v

    def name(self, v: Any, path: str, what: str = "a name") -> str:
        if not isinstance(v, str) or not v.strip():
            raise _fail(path, "%s (a non-empty string)" % what, v)
        if len(v) > LIMITS["name_chars"]:
            raise _fail(path, "expected a name of at most %d characters, got %d"
                        % (LIMITS["name_chars"], len(v)), raw=True)
        if "->" in v:
            raise _fail(path, "expected a name without '->' (reserved for default connection names), got %s"
                        % json.dumps(v), raw=True)
        return v

    def count(self, v: Any, path: str) -> int:
        if type(v) is not int or v < 0:
            raise _fail(path, "expected a whole number >= 0", v)
        return v

    def number(self, v: Any, path: str) -> Any:
        """A value of the document's number type, checked and converted exactly."""
        t = self.num.type
        if t is float:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise _fail(path, "expected a finite number", v)
            try:
                x = float(v)
            except OverflowError:
                raise _fail(path, "expected a number within the float range", v) from None
            if not math.isfinite(x):
                raise _fail(path, "expected a finite number", v)
            return x
        if t is Decimal:
            if not isinstance(v, str):
                raise _fail(path, "expected a Decimal written as a string such as \"0.15\"", v)
            if len(v) > LIMITS["number_chars"]:
                raise _fail(path, "expected a number of at most %d characters, got %d"
                            % (LIMITS["number_chars"], len(v)), raw=True)
            if not _DECIMAL_RE.match(v):
                raise _fail(path, "expected a finite decimal number such as \"0.15\" or \"-1.5E-3\"", v)
            try:
                d = Decimal(v)
            except (InvalidOperation, ValueError):
                raise _fail(path, "expected a finite decimal number", v) from None
            if abs(d.adjusted()) > LIMITS["decimal_exponent"]:
                raise _fail(path, "expected a decimal exponent of at most %d in size"
                            % LIMITS["decimal_exponent"], v)
            return d
        if not isinstance(v, str):
            raise _fail(path, "expected a Fraction written as a string \"p/q\" such as \"3/20\"", v)
        if len(v) > LIMITS["number_chars"]:
            raise _fail(path, "expected a number of at most %d characters, got %d"
                        % (LIMITS["number_chars"], len(v)), raw=True)
        if not _FRACTION_RE.match(v):
            raise _fail(path, "expected a fraction \"p/q\" of whole numbers such as \"3/20\"", v)
        p, q = v.split("/")
        neg = p.startswith("-")
        den = _str_to_int(q)
        if den == 0:
            raise _fail(path, "expected a fraction with a denominator other than 0", v)
        num_ = _str_to_int(p.lstrip("-"))
        return Fraction(-num_ if neg else num_, den)

    def _metadata(self, v: Any, path: str, depth: int) -> None:
        if depth > LIMITS["metadata_depth"]:
            raise _fail(path, "metadata nested at most %d levels deep"
                        % LIMITS["metadata_depth"], raw=True)
        if isinstance(v, _DupDict):
            raise _fail(path + "." + v.dups[0], "this key appears more than once in the object",
                        raw=True)
        if isinstance(v, dict):
            for k, x in v.items():
                if not isinstance(k, str):
                    raise _fail(path, "expected an object with string keys, got key %r" % (k,), raw=True)
                self._metadata(x, "%s.%s" % (path, k), depth + 1)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                self._metadata(x, "%s[%d]" % (path, i), depth + 1)
        elif isinstance(v, (float, _NonFinite)):
            if isinstance(v, _NonFinite) or not math.isfinite(v):
                raise _fail(path, "expected a finite number", v)
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 10000:
            raise _fail(path, "a whole number of at most 3,000 digits", v)
        elif v is None or isinstance(v, (str, bool, int)):
            pass
        else:
            raise _fail(path, "expected a JSON value (string, number, true/false, null, list or object)", v)


_TOP_KEYS = ("format", "version", "number", "name", "inputs", "parameters", "neurons",
             "connections", "optimizer", "metadata")


class _Plan(NamedTuple):
    number: str
    name: str
    inputs: List[str]
    params: List[Tuple[str, Any, bool]]
    neurons: List[Tuple[str, Activation, Optional[str]]]
    conns: List[Tuple[str, str, Optional[str], Any, bool, Optional[str], int]]
    order: List[int]
    optimizer: Optional[Dict[str, Any]]
    metadata: Dict[str, Any]
    initials: Dict[str, Any]


def _check(data: Any) -> _Plan:
    """Check a whole document; return what to build."""
    if not isinstance(data, dict):
        raise _fail("(document)", "expected a JSON object with the keys %s" % ", ".join(_TOP_KEYS), data)
    if isinstance(data, _DupDict):
        raise _fail(data.dups[0], "this key appears more than once in the document", raw=True)
    fmt = data.get("format", None)
    if "format" not in data:
        raise _fail("format", "missing: a neurograph model file starts with "
                    "\"format\": \"neurograph\"", raw=True)
    if fmt != FORMAT_NAME:
        raise _fail("format", "\"%s\" (this is not a neurograph model file)" % FORMAT_NAME, fmt)
    if "version" not in data:
        raise _fail("version", "missing: the format version (this library reads version %d)"
                    % FORMAT_VERSION, raw=True)
    ver = data["version"]
    if type(ver) is not int:
        raise _fail("version", "the whole number %d" % FORMAT_VERSION, ver)
    if ver != FORMAT_VERSION:
        raise _fail("version", "expected format version %d, which this version of neurograph reads "
                    "(the file was written by %s version of neurograph)"
                    % (FORMAT_VERSION, "a newer" if ver > FORMAT_VERSION else "an older"), ver)
    R = _Reader(float)
    R.obj(data, "(document)", _TOP_KEYS, "a model document")
    number = data["number"]
    if number not in _NUMBER_NAMES:
        raise _fail("number", "one of \"float\", \"Decimal\", \"Fraction\"", number)
    R = _Reader(number)
    name = R.text(data["name"], "name")
    if len(name) > LIMITS["name_chars"]:
        raise _fail("name", "expected a name of at most %d characters" % LIMITS["name_chars"], raw=True)

    taken: Dict[str, str] = {}   # every name in the net -> the path that defined it

    def claim(nm: str, path: str) -> None:
        if nm in taken:
            raise _fail(path, "expected a unique name, but %s is already used at %s"
                        % (json.dumps(nm), taken[nm]), raw=True)
        taken[nm] = path

    inputs_raw = R.lst(data["inputs"], "inputs", "input neuron names", "neurons")
    if not inputs_raw:
        raise _fail("inputs", "expected at least one input neuron name", raw=True)
    inputs = []
    for i, v in enumerate(inputs_raw):
        p = "inputs[%d]" % i
        inputs.append(R.name(v, p, "an input neuron name"))
        claim(v, p)

    params_raw = R.lst(data["parameters"], "parameters", "parameters", "parameters")
    params = []
    param_names: Dict[str, str] = {}
    for i, v in enumerate(params_raw):
        p = "parameters[%d]" % i
        R.obj(v, p, ("name", "value", "trainable"), "a parameter")
        nm = R.name(v["name"], p + ".name", "a parameter name")
        claim(nm, p + ".name")
        value = R.number(v["value"], p + ".value")
        params.append((nm, value, R.boolean(v["trainable"], p + ".trainable")))
        param_names[nm] = p

    neurons_raw = R.lst(data["neurons"], "neurons", "neurons", "neurons")
    if len(neurons_raw) + len(inputs) > LIMITS["neurons"]:
        raise _fail("neurons", "expected at most %d neurons in all (a larger model is refused as absurd)"
                    % LIMITS["neurons"], raw=True)
    if not neurons_raw:
        raise _fail("neurons", "expected at least one neuron besides the inputs (a net needs an output)",
                    raw=True)
    acts: Dict[str, Activation] = {}
    initials: Dict[str, Any] = {}
    neurons = []
    neuron_path: Dict[str, str] = {}
    for i, v in enumerate(neurons_raw):
        p = "neurons[%d]" % i
        R.obj(v, p, ("name", "activation", "bias"), "a neuron", ("initial",))
        nm = R.name(v["name"], p + ".name", "a neuron name")
        claim(nm, p + ".name")
        neuron_path[nm] = p
        act = _read_activation(R, v["activation"], p + ".activation", acts)
        b = v["bias"]
        if b is not None:
            R.name(b, p + ".bias", "the name of a parameter in \"parameters\", or null,")
            if b not in param_names:
                raise _fail(p + ".bias", "expected the name of a parameter listed in \"parameters\" (or "
                            "null for no bias), got %s, which is not there" % json.dumps(b),
                            raw=True)
        if "initial" in v:
            initials[nm] = R.number(v["initial"], p + ".initial")
        neurons.append((nm, act, b))

    conns_raw = R.lst(data["connections"], "connections", "connections", "connections")
    input_set = set(inputs)
    conns = []
    own_weight: Dict[str, int] = {}   # connection name -> index, for weights shared by name
    edges: Dict[Tuple[str, str], int] = {}
    fan_in: Dict[str, int] = {}
    for i, v in enumerate(conns_raw):
        p = "connections[%d]" % i
        if isinstance(v, dict) and "param" in v:
            R.obj(v, p, ("src", "dst", "name", "param"), "a connection with a shared weight",
                  ("delay",))
        else:
            R.obj(v, p, ("src", "dst", "name", "weight", "trainable"), "a connection", ("delay",))
        delay = v.get("delay", 0)
        if type(delay) is not int or delay < 0:
            raise _fail(p + ".delay", "expected a whole number of time steps >= 0 (0 or no "
                        "\"delay\": an ordinary connection)", delay)
        src = R.name(v["src"], p + ".src", "a neuron name")
        dst = R.name(v["dst"], p + ".dst", "a neuron name")
        if src not in input_set and src not in neuron_path:
            raise _fail(p + ".src", "expected the name of an input or of a neuron, got %s, which is "
                        "neither" % json.dumps(src), raw=True)
        if dst in input_set:
            raise _fail(p + ".dst", "expected a neuron listed in \"neurons\"; %s is an input, and "
                        "nothing connects into an input" % json.dumps(dst), raw=True)
        if dst not in neuron_path:
            raise _fail(p + ".dst", "expected the name of a neuron listed in \"neurons\", got %s, which "
                        "is not there" % json.dumps(dst), raw=True)
        if src == dst and not delay:
            raise _fail(p, "expected a connection between two different neurons, got %s -> itself"
                        " (only a delayed connection, \"delay\" >= 1, may feed a neuron itself)"
                        % json.dumps(src), raw=True)
        if (src, dst, delay) in edges:
            raise _fail(p, "expected at most one connection from %s to %s%s; connections[%d] "
                        "already connects them" % (json.dumps(src), json.dumps(dst),
                                                   " with delay %d" % delay if delay else "",
                                                   edges[(src, dst, delay)]), raw=True)
        edges[(src, dst, delay)] = i
        fan_in[dst] = fan_in.get(dst, 0) + 1
        cname = v["name"]
        if cname is not None:
            R.name(cname, p + ".name", "a connection name or null")
            claim(cname, p + ".name")
        if "param" in v:
            ref = v["param"]
            if not isinstance(ref, str):
                raise _fail(p + ".param", "expected the name of a shared parameter", ref)
            conns.append((src, dst, cname, None, True, ref, delay))
        else:
            w = R.number(v["weight"], p + ".weight")
            t = R.boolean(v["trainable"], p + ".trainable")
            own_weight[cname if cname is not None else "%s->%s" % (src, dst)] = i
            conns.append((src, dst, cname, w, t, None, delay))
    for i, c in enumerate(conns):
        ref = c[5]
        if ref is not None and ref not in param_names and ref not in own_weight:
            raise _fail("connections[%d].param" % i, "expected the name of a parameter in "
                        "\"parameters\" or of a connection with its own weight, got %s"
                        % json.dumps(ref), raw=True)
    order = _creation_order(conns, own_weight)
    for i, (nm, act, _) in enumerate(neurons):
        if nm not in fan_in:
            raise _fail("neurons[%d]" % i, "expected a neuron that some connection feeds, but no "
                        "connection has \"dst\": %s" % json.dumps(nm), raw=True)
    _check_acyclic(inputs, neurons, [c for c in conns if not c[6]])
    has_out = {c[0] for c in conns if not c[6]}
    for i, (nm, act, _) in enumerate(neurons):
        if act.name == "softmax" and nm in has_out:
            raise _fail("neurons[%d].activation" % i, "expected softmax only on output neurons (neurons "
                        "that feed nothing); %s feeds other neurons" % json.dumps(nm), raw=True)
    opt = data["optimizer"]
    if opt is not None:
        names = [nm for nm, _, _ in params]
        names += [c[2] if c[2] is not None else "%s->%s" % (c[0], c[1]) for c in conns
                  if c[5] is None]
        opt = _read_optimizer(R, opt, names)
    meta = data["metadata"]
    if not isinstance(meta, dict):
        raise _fail("metadata", "expected an object (use {} for none)", meta)
    R._metadata(meta, "metadata", 0)
    return _Plan(number, name, inputs, params, neurons, conns, order, opt, meta, initials)


def _read_activation(R: _Reader, v: Any, path: str, cache: Dict[str, Activation]) -> Activation:
    known = ", ".join(ACTIVATIONS)
    if isinstance(v, str):
        if v not in ACTIVATIONS:
            raise _fail(path, "expected a built-in activation name (%s)" % known, v)
        act = ACTIVATIONS[v]
        try:
            act.functions(R.num)
        except NeurographError as e:
            raise _fail(path, "expected an activation that works in a %s net: %s" % (R.num.name, e),
                        raw=True) from None
        return act
    if not isinstance(v, dict):
        raise _fail(path, "expected an activation name (%s) or an object {\"name\": ..., \"params\": "
                    "{...}}" % known, v)
    R.obj(v, path, ("name", "params"), "an activation with parameters")
    nm = v["name"]
    if not isinstance(nm, str) or nm not in ACTIVATIONS:
        raise _fail(path + ".name", "expected a built-in activation name (%s)" % known, nm)
    base = ACTIVATIONS[nm]
    ps = v["params"]
    expected = sorted(base.params)
    if not expected:
        raise _fail(path, "expected just the name: activation %s has no parameters" % json.dumps(nm),
                    raw=True)
    R.obj(ps, path + ".params", expected, "the parameters of %s" % nm)
    values = {k: R.number(ps[k], "%s.params.%s" % (path, k)) for k in expected}
    key = json.dumps([nm, [(k, str(values[k])) for k in expected]])
    act = cache.get(key)
    if act is None:
        act = base.with_params(**values)
        try:
            act.functions(R.num)
        except NeurographError as e:
            raise _fail(path, "expected an activation that works in a %s net: %s" % (R.num.name, e),
                        raw=True) from None
        cache[key] = act
    return act


def _creation_order(conns: List[Tuple[Any, ...]], own_weight: Dict[str, int]) -> List[int]:
    """An order to create the connections in: each destination's connections in file order
    (that order is the order of its inputs, hence of its sums), and a connection sharing
    another connection's weight after that connection."""
    queues: Dict[str, List[int]] = {}
    for i, c in enumerate(conns):
        queues.setdefault(c[1], []).append(i)
    heads = {d: 0 for d in queues}
    done: Set[int] = set()
    order: List[int] = []
    while len(order) < len(conns):
        progress = False
        for d, q in queues.items():
            while heads[d] < len(q):
                i = q[heads[d]]
                ref = conns[i][5]
                owner = own_weight.get(ref) if ref is not None else None
                if owner is not None and owner not in done:
                    break
                order.append(i)
                done.add(i)
                heads[d] += 1
                progress = True
        if not progress:
            i = min(q[heads[d]] for d, q in queues.items() if heads[d] < len(q))
            raise _fail("connections[%d].param" % i, "expected a weight that can be created "
                        "before this connection, but the connections sharing weights here wait "
                        "for each other in a circle", raw=True)
    return order


def _check_acyclic(inputs: List[str], neurons: List[Tuple[str, Activation, Optional[str]]],
                   conns: List[Tuple[Any, ...]]) -> None:
    """Kahn's algorithm over the document's graph; a cycle is reported with its path."""
    outs: Dict[str, List[Tuple[str, int]]] = {}
    missing: Dict[str, int] = {nm: 0 for nm, _, _ in neurons}
    for i, c in enumerate(conns):
        outs.setdefault(c[0], []).append((c[1], i))
        missing[c[1]] += 1
    queue = list(inputs) + [nm for nm, _, _ in neurons if missing[nm] == 0]   # fed by delayed
    done = 0
    while queue:
        n = queue.pop()
        done += 1
        for d, _ in outs.get(n, ()):
            missing[d] -= 1
            if missing[d] == 0:
                queue.append(d)
    if done == len(inputs) + len(neurons):
        return
    # Walk backwards along unfinished edges until a neuron repeats: that is a cycle.
    into: Dict[str, List[Tuple[str, int]]] = {}
    for i, c in enumerate(conns):
        if missing.get(c[0], 0) > 0 and missing[c[1]] > 0:
            into.setdefault(c[1], []).append((c[0], i))
    start = next(nm for nm, _, _ in neurons if missing[nm] > 0 and nm in into)
    seen: Dict[str, int] = {}
    path: List[Tuple[str, int]] = []
    n = start
    while n not in seen:
        seen[n] = len(path)
        src, i = into[n][0]
        path.append((src, i))
        n = src
    cyc = path[seen[n]:]
    names = [n] + [s for s, _ in cyc]
    names.reverse()
    raise _fail("connections[%d]" % cyc[0][1], "expected an acyclic (feed-forward) net, but this "
                "connection closes the cycle %s" % " -> ".join(names), raw=True)


def _read_optimizer(R: _Reader, v: Any, names: List[str]) -> Dict[str, Any]:
    path = "optimizer"
    if not isinstance(v, dict) or v.get("type") not in ("SGD", "Adam"):
        if isinstance(v, dict) and "type" in v:
            raise _fail(path + ".type", "\"SGD\" or \"Adam\"", v["type"])
        R.obj(v, path, ("type",), "an optimizer")
    kind = v["type"]
    if kind == "SGD":
        keys = ("type", "lr", "momentum", "nesterov", "weight_decay", "steps", "state")
        slots: Tuple[str, ...] = ("velocity",)
    else:
        keys = ("type", "lr", "betas", "eps", "weight_decay", "steps", "state")
        slots = ("m", "v")
        if R.num.exact:
            raise _fail(path + ".type", "expected an optimizer a Fraction net can use (SGD): Adam needs "
                        "square roots", raw=True)
    R.obj(v, path, keys, "an %s optimizer" % kind)
    out: Dict[str, Any] = {"type": kind}
    out["lr"] = R.number(v["lr"], path + ".lr")
    if out["lr"] <= 0:
        raise _fail(path + ".lr", "expected a learning rate > 0", v["lr"])
    out["weight_decay"] = R.number(v["weight_decay"], path + ".weight_decay")
    if out["weight_decay"] < 0:
        raise _fail(path + ".weight_decay", "expected a weight decay >= 0", v["weight_decay"])
    out["steps"] = R.count(v["steps"], path + ".steps")
    if kind == "SGD":
        out["momentum"] = R.number(v["momentum"], path + ".momentum")
        if out["momentum"] < 0:
            raise _fail(path + ".momentum", "expected a momentum >= 0", v["momentum"])
        out["nesterov"] = R.boolean(v["nesterov"], path + ".nesterov")
        if out["nesterov"] and not out["momentum"]:
            raise _fail(path + ".nesterov", "expected false when momentum is 0 (Nesterov needs momentum)",
                        v["nesterov"])
    else:
        b = R.lst(v["betas"], path + ".betas", "two numbers")
        if len(b) != 2:
            raise _fail(path + ".betas", "expected a list of two numbers [beta1, beta2], got %d items"
                        % len(b), raw=True)
        betas = [R.number(x, "%s.betas[%d]" % (path, i)) for i, x in enumerate(b)]
        for i, x in enumerate(betas):
            if not 0 <= x < 1:
                raise _fail("%s.betas[%d]" % (path, i), "a number in [0, 1)", b[i])
        out["betas"] = tuple(betas)
        out["eps"] = R.number(v["eps"], path + ".eps")
        if out["eps"] <= 0:
            raise _fail(path + ".eps", "expected a number > 0", v["eps"])
    st = v["state"]
    if not isinstance(st, dict):
        raise _fail(path + ".state", "expected an object mapping each parameter name to its state", st)
    R.obj(st, path + ".state", names, "the state of every parameter (by name)")
    state = {}
    for nm in names:
        p = "%s.state.%s" % (path, nm)
        entry = R.obj(st[nm], p, slots, "the state of one parameter")
        state[nm] = {s: R.number(entry[s], "%s.%s" % (p, s)) for s in slots}
    out["state"] = state
    return out


def _build(plan: _Plan, net_class: Any) -> Checkpoint:
    where = "(document)"
    try:
        net = net_class(number=plan.number, name=plan.name)
        for i, nm in enumerate(plan.inputs):
            where = "inputs[%d]" % i
            net.add_input(nm)
        for i, (nm, value, trainable) in enumerate(plan.params):
            where = "parameters[%d]" % i
            net.add_parameter(nm, value, trainable=trainable)
        for i, (nm, act, b) in enumerate(plan.neurons):
            where = "neurons[%d]" % i
            net.add_neuron(nm, activation=act, bias=net[b] if b is not None else None)
        for i in plan.order:
            src, dst, cname, w, t, ref, delay = plan.conns[i]
            where = "connections[%d]" % i
            if ref is not None:
                obj = net[ref]
                net.connect(src, dst, obj.param if isinstance(obj, Connection) else obj,
                            name=cname, delay=delay)
            else:
                net.connect(src, dst, w, name=cname, trainable=t, delay=delay)
        for nm, value in plan.initials.items():
            net[nm].initial = value
        where = "connections"
        net._ordered()
        opt: Optional[Optimizer] = None
        if plan.optimizer is not None:
            where = "optimizer"
            o = plan.optimizer
            if o["type"] == "SGD":
                opt = SGD(net, lr=o["lr"], momentum=o["momentum"], nesterov=o["nesterov"],
                          weight_decay=o["weight_decay"])
            else:
                opt = Adam(net, lr=o["lr"], betas=o["betas"], eps=o["eps"],
                           weight_decay=o["weight_decay"])
            opt.steps = o["steps"]
            for nm, st in o["state"].items():
                param = net[nm].param
                for s, x in st.items():
                    opt._state[s][param] = x
    except NeurographError as e:
        if isinstance(e, FormatError):
            raise
        raise _fail(where, str(e), raw=True) from None
    return Checkpoint(net, opt, plan.metadata)


def checkpoint_from_dict(data: Any, *, net_class: Any) -> Checkpoint:
    """``Checkpoint(net, optimizer, metadata)`` from a model document, checked first.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], seed=0)
    >>> ck = ng.persistence.checkpoint_from_dict(ng.persistence.net_to_dict(net, ng.Adam(net)),
    ...                                        net_class=ng.Net)
    >>> ck.optimizer, ck.net.to_dict() == net.to_dict()
    (Adam(lr=0.001, steps=0), True)
    >>> ng.persistence.checkpoint_from_dict({"format": "neurograph"}, net_class=ng.Net)
    Traceback (most recent call last):
    ...
    neurograph.FormatError: version: missing: the format version (this library reads version 1)
    """
    try:
        plan = _check(data)
    except RecursionError:
        raise _fail("(document)", "expected a document nested less deeply", raw=True) from None
    return _build(plan, net_class)


def net_from_dict(data: Any, *, net_class: Any) -> Net:
    """A Net from a model document (a dict as :func:`net_to_dict` returns), checked first.

    >>> import neurograph as ng
    >>> d = ng.Net.dense([2, 1]).to_dict()
    >>> d["neurons"][0]["activation"] = "sigmod"
    >>> ng.Net.from_dict(d)
    Traceback (most recent call last):
    ...
    neurograph.FormatError: neurons[0].activation: expected a built-in activation name (identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax), got the string "sigmod"
    """
    return checkpoint_from_dict(data, net_class=net_class).net


def _parse(text: Union[str, bytes]) -> Any:
    if isinstance(text, bytes):
        if len(text) > LIMITS["file_bytes"]:
            raise _fail("(document)", "expected a model file of at most %d bytes" % LIMITS["file_bytes"],
                        raw=True)
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _fail("(document)", "UTF-8 text, but byte %d is not valid UTF-8" % e.start,
                        raw=True) from None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_NonFinite)
    except RecursionError:
        raise _fail("(document)", "JSON nested less deeply", raw=True) from None
    except json.JSONDecodeError as e:
        raise _fail("(document)", "valid JSON, but at line %d column %d: %s"
                    % (e.lineno, e.colno, e.msg), raw=True) from None
    except ValueError as e:  # e.g. an integer with too many digits
        raise _fail("(document)", "valid JSON numbers: %s" % e, raw=True) from None


def loads(text: Union[str, bytes], *, net_class: Any) -> Checkpoint:
    """``Checkpoint(net, optimizer, metadata)`` from a model file's text.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 1], seed=0)
    >>> ck = ng.persistence.loads(ng.persistence.dumps(net, metadata={"epochs": 3}), net_class=ng.Net)
    >>> ck.net.to_dict() == net.to_dict(), ck.optimizer, ck.metadata
    (True, None, {'epochs': 3})
    >>> ng.persistence.loads('{"format": "other"}', net_class=ng.Net)
    Traceback (most recent call last):
    ...
    neurograph.FormatError: format: expected "neurograph" (this is not a neurograph model file), got the string "other"
    """
    return checkpoint_from_dict(_parse(text), net_class=net_class)


def load_checkpoint(path: Any, *, net_class: Any) -> Checkpoint:
    """Read a model file: ``Checkpoint(net, optimizer, metadata)``.

    ``optimizer`` is an SGD or Adam of the new net with the saved
    hyperparameters, step count and per-parameter state (None if the file
    holds none), so training can continue where it stopped.

    >>> import os, tempfile
    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    >>> opt = ng.Adam(net, lr=0.01)
    >>> h = ng.fit(net, ng.datasets.xor(), epochs=2, optimizer=opt, verbose=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "xor.json")
    >>> net.save(path, optimizer=opt, metadata={"data": "xor", "epochs": 2})
    >>> ck = ng.load_checkpoint(path)
    >>> ck.optimizer, ck.metadata
    (Adam(lr=0.01, steps=8), {'data': 'xor', 'epochs': 2})
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise FormatError("load(path=%r): give the model file's path as a str or a pathlib.Path "
                          "(for a model file's text use ng.persistence.loads(text))" % (path,))
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read(LIMITS["file_bytes"] + 1)
    except OSError as e:
        raise FormatError("cannot read model file %r: %s" % (path, e.strerror or e)) from None
    try:
        return loads(data, net_class=net_class)
    except FormatError as e:
        err = FormatError("%s: %s" % (path, e))
        err.path = getattr(e, "path", None)  # type: ignore[attr-defined]
        raise err from None


def load(path: Any, *, net_class: Any) -> Net:
    """Read a model file written by :func:`save` (``net.save``) and return the Net.

    Everything is checked before anything is built; a problem raises
    FormatError naming the file and the JSON path.  Use
    :func:`load_checkpoint` to get the saved optimizer and metadata too.

    >>> import os, tempfile
    >>> import neurograph as ng
    >>> net = ng.Net.dense([2, 3, 1], seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net.save(path)
    >>> ng.load(path).forward([1.0, 2.0]) == net.forward([1.0, 2.0])
    True
    """
    return load_checkpoint(path, net_class=net_class).net


# ---------------------------------------------------------------------------
# Matrices
# ---------------------------------------------------------------------------

def to_matrices(net: Net) -> List[Tuple[List[List[Any]], List[Any]]]:
    """Per layer ``(weights, biases)``: ``weights[j][k]`` from neuron k of the layer below to
    neuron j (PyTorch's ``nn.Linear.weight`` layout); a missing bias counts as 0.

    Only for dense layered nets: every neuron of a layer fed by every neuron of the
    layer below and nothing else.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([3, 2, 1], seed=0)
    >>> [(len(W), len(W[0]), len(b)) for W, b in net.to_matrices()]
    [(2, 3, 2), (1, 2, 1)]
    """
    layers = net.layers
    zero = net.number_system.zero
    out = []
    for L in range(1, len(layers)):
        below = layers[L - 1]
        pos = {n: k for k, n in enumerate(below)}
        W = []
        for n in layers[L]:
            row = [None] * len(below)
            for c in n.inputs:
                k = pos.get(c.src)
                if k is None:
                    raise TopologyError(
                        "to_matrices needs a dense layered net, but connection %r skips from "
                        "layer %d to layer %d: export the weights by name with net.values() "
                        "instead" % (c.name, c.src.layer, L))
                row[k] = c.weight
            if len(n.inputs) != len(below):
                gap = next(m.name for m, w in zip(below, row) if w is None)
                raise TopologyError(
                    "to_matrices needs a dense layered net, but neuron %r of layer %d has no "
                    "connection from %r of layer %d: connect it (weight 0 if need be) or "
                    "export the weights by name with net.values()" % (n.name, L, gap, L - 1))
            W.append(row)
        b = [n.bias.value if n.bias is not None else zero for n in layers[L]]
        out.append((W, b))
    return out


def from_matrices(weights: Sequence[Sequence[Sequence[Any]]], biases: Sequence[Sequence[Any]],
                  activations: Any = "sigmoid", *, number: Any = float, net_class: Any) -> Net:
    """A dense net from per-layer weight matrices ``[out][in]`` and bias vectors.

    *activations* is one activation for every layer or a list with one per
    layer.  Names follow :meth:`Net.dense`: ``i1..``, ``h<layer>_<k>``, ``o1..``.

    >>> import neurograph as ng
    >>> net = ng.Net.from_matrices([[[1.0, -1.0]], [[2.0]]], [[0.5], [0.0]],
    ...                            activations=["relu", "identity"])
    >>> net.forward([3.0, 1.0])
    [5.0]
    >>> net.to_matrices()
    [([[1.0, -1.0]], [0.5]), ([[2.0]], [0.0])]
    """
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence) or not weights:
        raise ShapeError("weights must be a non-empty list of matrices (one per layer), got %r"
                         % (weights,))
    if isinstance(biases, (str, bytes)) or not isinstance(biases, Sequence) or \
            len(biases) != len(weights):
        raise ShapeError("biases must be a list of %d vectors (one per weight matrix), got %r"
                         % (len(weights), biases if not isinstance(biases, Sequence) else
                            "%d" % len(biases)))
    if isinstance(activations, (str, Activation)):
        acts = [activations] * len(weights)
    else:
        if isinstance(activations, bytes) or not hasattr(activations, "__iter__"):
            raise NameLookupError(
                "from_matrices(activations=%r): give one activation for every layer (a name such "
                "as 'sigmoid' or an ng.Activation) or a list with one per layer" % (activations,))
        acts = list(activations)
        if len(acts) != len(weights):
            raise ShapeError("activations: need one per layer (%d), got %d"
                             % (len(weights), len(acts)))
    sizes = []
    for L, W in enumerate(weights):
        if isinstance(W, (str, bytes)) or not isinstance(W, Sequence) or not W:
            raise ShapeError("weights[%d] must be a non-empty matrix (a list of rows)" % L)
        width = None
        for j, row in enumerate(W):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or not row:
                raise ShapeError("weights[%d][%d] must be a non-empty row of numbers" % (L, j))
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise ShapeError("weights[%d][%d] has %d numbers but row 0 has %d: every row of "
                                 "a matrix has one weight per neuron below" % (L, j, len(row), width))
        if L == 0:
            sizes.append(width)
        elif width != sizes[-1]:
            raise ShapeError("weights[%d] has %d columns but layer %d has %d neurons: weights are "
                             "[out][in]" % (L, width, L, sizes[-1]))
        b = biases[L]
        if isinstance(b, (str, bytes)) or not isinstance(b, Sequence) or len(b) != len(W):
            raise ShapeError("biases[%d] must be a list of %d numbers (one per row of weights[%d])"
                             % (L, len(W), L))
        sizes.append(len(W))
    net = net_class(number=number)
    prev = [net.add_input("i%d" % (k + 1)) for k in range(sizes[0])]
    depth = len(weights)
    for L in range(1, depth + 1):
        layer = []
        for j in range(sizes[L]):
            nm = "o%d" % (j + 1) if L == depth else "h%d_%d" % (L, j + 1)
            n = net.add_neuron(nm, activation=acts[L - 1], bias=biases[L - 1][j])
            for k, src in enumerate(prev):
                net.connect(src, n, weights[L - 1][j][k])
            layer.append(n)
        prev = layer
    return net


class FileMethods:
    """The methods of a net for files and matrices (the public ``Net`` mixes this class in)."""

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
