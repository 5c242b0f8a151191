"""Reading a model file: check the whole document, then build the net.

Nothing is built before every part of the document has been checked; the
first problem raises a :class:`~neurograph.FormatError` whose message starts
with its JSON path (also its ``path`` attribute).  The checks go part by part
(header, inputs, parameters, neurons, their initial values, connections and
the wiring they make, optimizer, metadata) and give a plan; :func:`_build`
then makes the net, the optimizer and the metadata from it.  The builders
take the class to build as ``net_class`` (the public ``Net`` passes itself).

================================  =====================================================
name                              what it does
================================  =====================================================
``load(path, net_class=...)``     read a model file back as a net
``load_checkpoint(path, ...)``    ``Checkpoint(net, optimizer, metadata)`` from a file
``loads(text, net_class=...)``    the same from the file's text
``checkpoint_from_dict(d, ...)``  ``Checkpoint`` from a parsed document (checked)
``net_from_dict(d, ...)``         a net from a parsed document (checked)
``_check(d)``                     check a whole document; the ``_Plan`` to build
``_build(plan, net_class)``       the Checkpoint a plan describes
================================  =====================================================

>>> import neurograph as ng
>>> d = ng.Net.dense([1, 1], activation="identity").to_dict()
>>> plan = _check(d)
>>> plan.inputs, [n for n, _, _ in plan.neurons], plan.order
(['i1'], ['o1'], [0])
"""

from __future__ import annotations

import json
import os
from typing import AbstractSet, Any, Dict, List, NamedTuple, Optional, Tuple, Union

from ..core.activations import Activation
from ..core.errors import FormatError, NeurographError
from ..core.layers import topological_layers
from ..core.net import Connection, Net
from ..core.optim import SGD, Adam, Optimizer
from ..files import read_json
from .checks import _read_activation, _read_optimizer, _Reader
from .json_values import (_NUMBER_NAMES, FORMAT_NAME, FORMAT_VERSION, LIMITS, Checkpoint,
                          _DupDict, _fail, _NonFinite, _pairs)

__all__ = ["net_from_dict", "checkpoint_from_dict", "loads", "load", "load_checkpoint"]

_TOP_KEYS = ("format", "version", "number", "name", "inputs", "parameters", "neurons",
             "connections", "optimizer", "metadata")

#: A connection as checked: (src, dst, name, weight, trainable, shared parameter, delay).
_Conn = Tuple[str, str, Optional[str], Any, bool, Optional[str], int]


class _Plan(NamedTuple):
    """What a checked document describes, ready to build."""
    number: str
    name: str
    inputs: List[str]
    params: List[Tuple[str, Any, bool]]
    neurons: List[Tuple[str, Activation, Optional[str]]]
    conns: List[_Conn]
    order: List[int]
    optimizer: Optional[Dict[str, Any]]
    metadata: Dict[str, Any]
    initials: Dict[str, Any]


# ---------------------------------------------------------------------------
# Checking, part by part
# ---------------------------------------------------------------------------

def _check(data: Any) -> _Plan:
    """Check a whole document; return what to build."""
    number, name = _check_header(data)
    R = _Reader(number)
    inputs = _check_inputs(R, data["inputs"])
    params = _check_parameters(R, data["parameters"])
    param_names = {nm for nm, _, _ in params}
    neurons = _check_neurons(R, data["neurons"], len(inputs), param_names)
    initials = _check_initials(R, data["neurons"])
    conns, own_weight = _check_connections(R, data["connections"], inputs,
                                           {nm for nm, _, _ in neurons}, param_names)
    order = _creation_order(conns, own_weight)
    _check_wiring(inputs, neurons, conns)
    opt = _check_optimizer(R, data["optimizer"], params, conns)
    meta = _check_metadata(R, data["metadata"])
    return _Plan(number, name, inputs, params, neurons, conns, order, opt, meta, initials)


def _check_header(data: Any) -> Tuple[str, str]:
    """The document is a model object of this format and version: its number type and name."""
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
    name = R.text(data["name"], "name")
    if len(name) > LIMITS["name_chars"]:
        raise _fail("name", "expected a name of at most %d characters" % LIMITS["name_chars"], raw=True)
    return number, name


def _check_inputs(R: _Reader, v: Any) -> List[str]:
    """``"inputs"``: at least one name, each unique."""
    inputs_raw = R.lst(v, "inputs", "input neuron names", "neurons")
    if not inputs_raw:
        raise _fail("inputs", "expected at least one input neuron name", raw=True)
    inputs = []
    for i, x in enumerate(inputs_raw):
        p = "inputs[%d]" % i
        inputs.append(R.name(x, p, "an input neuron name"))
        R.claim(x, p)
    return inputs


def _check_parameters(R: _Reader, v: Any) -> List[Tuple[str, Any, bool]]:
    """``"parameters"``: ``(name, value, trainable)`` of each."""
    params = []
    for i, x in enumerate(R.lst(v, "parameters", "parameters", "parameters")):
        p = "parameters[%d]" % i
        R.obj(x, p, ("name", "value", "trainable"), "a parameter")
        nm = R.name(x["name"], p + ".name", "a parameter name")
        R.claim(nm, p + ".name")
        value = R.number(x["value"], p + ".value")
        params.append((nm, value, R.boolean(x["trainable"], p + ".trainable")))
    return params


def _check_neurons(R: _Reader, v: Any, n_inputs: int, param_names: AbstractSet[str]
                   ) -> List[Tuple[str, Activation, Optional[str]]]:
    """``"neurons"``: ``(name, activation, bias parameter's name or None)`` of each."""
    neurons_raw = R.lst(v, "neurons", "neurons", "neurons")
    if len(neurons_raw) + n_inputs > LIMITS["neurons"]:
        raise _fail("neurons", "expected at most %d neurons in all (a larger model is refused as absurd)"
                    % LIMITS["neurons"], raw=True)
    if not neurons_raw:
        raise _fail("neurons", "expected at least one neuron besides the inputs (a net needs an output)",
                    raw=True)
    acts: Dict[str, Activation] = {}
    neurons = []
    for i, x in enumerate(neurons_raw):
        p = "neurons[%d]" % i
        R.obj(x, p, ("name", "activation", "bias"), "a neuron", ("initial",))
        nm = R.name(x["name"], p + ".name", "a neuron name")
        R.claim(nm, p + ".name")
        act = _read_activation(R, x["activation"], p + ".activation", acts)
        b = x["bias"]
        if b is not None:
            R.name(b, p + ".bias", "the name of a parameter in \"parameters\", or null,")
            if b not in param_names:
                raise _fail(p + ".bias", "expected the name of a parameter listed in \"parameters\" (or "
                            "null for no bias), got %s, which is not there" % json.dumps(b),
                            raw=True)
        neurons.append((nm, act, b))
    return neurons


def _check_initials(R: _Reader, neurons_raw: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The ``"initial"`` values of the (checked) neurons that have one, by name."""
    return {x["name"]: R.number(x["initial"], "neurons[%d].initial" % i)
            for i, x in enumerate(neurons_raw) if "initial" in x}


def _check_connections(R: _Reader, v: Any, inputs: List[str], neuron_names: AbstractSet[str],
                       param_names: AbstractSet[str]) -> Tuple[List[_Conn], Dict[str, int]]:
    """``"connections"``: each one, and which connections own a weight (name -> index)."""
    conns: List[_Conn] = []
    own_weight: Dict[str, int] = {}   # connection name -> index, for weights shared by name
    edges: Dict[Tuple[str, str, int], int] = {}
    input_set = set(inputs)
    for i, x in enumerate(R.lst(v, "connections", "connections", "connections")):
        c = _check_connection(R, x, "connections[%d]" % i, input_set, neuron_names)
        src, dst, cname, _, _, ref, delay = c
        if (src, dst, delay) in edges:
            raise _fail("connections[%d]" % i, "expected at most one connection from %s to %s%s; "
                        "connections[%d] already connects them"
                        % (json.dumps(src), json.dumps(dst), " with delay %d" % delay if delay else "",
                           edges[(src, dst, delay)]), raw=True)
        edges[(src, dst, delay)] = i
        if cname is not None:
            R.claim(cname, "connections[%d].name" % i)
        if ref is None:
            own_weight[cname if cname is not None else "%s->%s" % (src, dst)] = i
        conns.append(c)
    for i, c in enumerate(conns):
        ref = c[5]
        if ref is not None and ref not in param_names and ref not in own_weight:
            raise _fail("connections[%d].param" % i, "expected the name of a parameter in "
                        "\"parameters\" or of a connection with its own weight, got %s"
                        % json.dumps(ref), raw=True)
    return conns, own_weight


def _check_connection(R: _Reader, v: Any, p: str, input_set: AbstractSet[str],
                      neuron_names: AbstractSet[str]) -> _Conn:
    """One connection at path *p*, on its own (not yet against the others)."""
    if isinstance(v, dict) and "param" in v:
        R.obj(v, p, ("src", "dst", "name", "param"), "a connection with a shared weight", ("delay",))
    else:
        R.obj(v, p, ("src", "dst", "name", "weight", "trainable"), "a connection", ("delay",))
    delay = v.get("delay", 0)
    if type(delay) is not int or delay < 0:
        raise _fail(p + ".delay", "expected a whole number of time steps >= 0 (0 or no "
                    "\"delay\": an ordinary connection)", delay)
    src = R.name(v["src"], p + ".src", "a neuron name")
    dst = R.name(v["dst"], p + ".dst", "a neuron name")
    if src not in input_set and src not in neuron_names:
        raise _fail(p + ".src", "expected the name of an input or of a neuron, got %s, which is "
                    "neither" % json.dumps(src), raw=True)
    if dst in input_set:
        raise _fail(p + ".dst", "expected a neuron listed in \"neurons\"; %s is an input, and "
                    "nothing connects into an input" % json.dumps(dst), raw=True)
    if dst not in neuron_names:
        raise _fail(p + ".dst", "expected the name of a neuron listed in \"neurons\", got %s, which "
                    "is not there" % json.dumps(dst), raw=True)
    if src == dst and not delay:
        raise _fail(p, "expected a connection between two different neurons, got %s -> itself"
                    " (only a delayed connection, \"delay\" >= 1, may feed a neuron itself)"
                    % json.dumps(src), raw=True)
    cname = v["name"]
    if cname is not None:
        R.name(cname, p + ".name", "a connection name or null")
    if "param" in v:
        ref = v["param"]
        if not isinstance(ref, str):
            raise _fail(p + ".param", "expected the name of a shared parameter", ref)
        return (src, dst, cname, None, True, ref, delay)
    w = R.number(v["weight"], p + ".weight")
    return (src, dst, cname, w, R.boolean(v["trainable"], p + ".trainable"), None, delay)


def _creation_order(conns: List[_Conn], own_weight: Dict[str, int]) -> List[int]:
    """An order to create the connections in: each destination's connections in file order
    (that order is the order of its inputs, hence of its sums), and a connection sharing
    another connection's weight after that connection."""
    queues: Dict[str, List[int]] = {}
    for i, c in enumerate(conns):
        queues.setdefault(c[1], []).append(i)
    heads = {d: 0 for d in queues}
    done = set()
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


def _check_wiring(inputs: List[str], neurons: List[Tuple[str, Activation, Optional[str]]],
                  conns: List[_Conn]) -> None:
    """The connections make a working net: every neuron is fed, the ordinary (undelayed)
    connections make no cycle, softmax is only on output neurons."""
    fed = {c[1] for c in conns}
    for i, (nm, _, _) in enumerate(neurons):
        if nm not in fed:
            raise _fail("neurons[%d]" % i, "expected a neuron that some connection feeds, but no "
                        "connection has \"dst\": %s" % json.dumps(nm), raw=True)
    now = [i for i, c in enumerate(conns) if not c[6]]      # delayed ones may close cycles
    edges = [(conns[i][0], conns[i][1]) for i in now]
    _, cycle = topological_layers(inputs + [nm for nm, _, _ in neurons], edges)
    if cycle:
        names = [edges[k][0] for k in cycle] + [edges[cycle[0]][0]]
        raise _fail("connections[%d]" % now[cycle[-1]], "expected an acyclic (feed-forward) net, "
                    "but this connection closes the cycle %s" % " -> ".join(names), raw=True)
    has_out = {src for src, _ in edges}
    for i, (nm, act, _) in enumerate(neurons):
        if act.name == "softmax" and nm in has_out:
            raise _fail("neurons[%d].activation" % i, "expected softmax only on output neurons (neurons "
                        "that feed nothing); %s feeds other neurons" % json.dumps(nm), raw=True)


def _check_optimizer(R: _Reader, v: Any, params: List[Tuple[str, Any, bool]],
                     conns: List[_Conn]) -> Optional[Dict[str, Any]]:
    """``"optimizer"``: null, or an optimizer with the state of every parameter."""
    if v is None:
        return None
    names = [nm for nm, _, _ in params]
    names += [c[2] if c[2] is not None else "%s->%s" % (c[0], c[1]) for c in conns
              if c[5] is None]
    return _read_optimizer(R, v, names)


def _check_metadata(R: _Reader, v: Any) -> Dict[str, Any]:
    """``"metadata"``: an object of JSON values."""
    if not isinstance(v, dict):
        raise _fail("metadata", "expected an object (use {} for none)", v)
    R.metadata(v, "metadata")
    return v


# ---------------------------------------------------------------------------
# Building what was checked
# ---------------------------------------------------------------------------

def _build(plan: _Plan, net_class: Any) -> Checkpoint:
    """The net, optimizer and metadata of a checked plan (an error names the part)."""
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
            opt = _build_optimizer(net, plan.optimizer)
    except NeurographError as e:
        if isinstance(e, FormatError):
            raise
        raise _fail(where, str(e), raw=True) from None
    return Checkpoint(net, opt, plan.metadata)


def _build_optimizer(net: Net, o: Dict[str, Any]) -> Optimizer:
    """The SGD or Adam of *net* with the checked settings, step count and state *o*."""
    opt: Optimizer
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
    return opt


# ---------------------------------------------------------------------------
# From a dict, a string, a file
# ---------------------------------------------------------------------------

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
    """The JSON value of a model file's text (bytes: UTF-8), keeping what the checks report;
    nesting deeper than :data:`neurograph.files.JSON_DEPTH` is refused before parsing."""
    if isinstance(text, bytes) and len(text) > LIMITS["file_bytes"]:
        raise _fail("(document)", "expected a model file of at most %d bytes" % LIMITS["file_bytes"],
                    raw=True)
    try:
        return read_json(text, "(document)", object_pairs_hook=_pairs, parse_constant=_NonFinite)
    except FormatError as e:
        e.path = "(document)"  # type: ignore[attr-defined]
        raise


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
