"""A local web page on which a class watches back-propagation neuron by neuron.

``serve(net)`` starts a small HTTP server (standard library only) on
127.0.0.1 and returns at once; the page it serves draws the net and drives
it through a JSON API: every number on the page comes from the Neuron,
Connection and Parameter objects here, the page never computes a forward
or backward pass itself.  ``neurograph serve`` on the command line does the
same for Mazur's example, XOR, iris, digits or a saved model.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``serve(net, data)``       start the server in a daemon thread; returns a ServerHandle
``ServerHandle``           ``url``, ``stop()``, ``request(path, body)``; an iframe in Jupyter
``Playground``             the state behind the page: net, sample, optimizer, history
``example(name)``          ``(net, data, options)`` for mazur, xor, iris and digits
``model_file(path)``       the same for a saved model (with its data set when it names one)
=========================  ============================================================

The API (every call needs the token of the URL, in the ``X-Neurograph-Token``
header or a ``token`` query parameter; numbers travel as strings, exact for
Decimal and Fraction nets):

===================  ========================================================
call                 what it does
===================  ========================================================
``GET /api/state``   the net's layout and every value, the sample, the loss history
``POST /api/sample``     ``{"index": i}`` or ``{"x": [..], "y": [..]}``: the current sample
``POST /api/forward``    a forward pass on the current sample
``POST /api/backward``   forward, ``zero_grad`` and backward: deltas and gradients
``POST /api/step``       one optimizer update (after a backward pass on the sample)
``POST /api/train``      ``{"epochs": n}``: ``fit`` on the data; the history grows
``POST /api/walk``       ``{"phase": "backward"}``: a real pass, recorded neuron by neuron
``POST /api/edit``       ``{"name": "w1", "value": "0.2"}``: set a weight or bias
``POST /api/explain``    ``{"name": "w5"}``: ``net.explain(name)`` as text
``POST /api/settings``   ``{"lr": "0.5", "loss": "half_sse", "optimizer": "sgd"}``
``POST /api/reset``      the net as it was when the server started
``GET /api/model``       the net as a model file (``net.to_dict()``)
``POST /api/model``      load a model file (``Net.from_dict``)
===================  ========================================================

The forward and backward pass of Mazur's example through the API:

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> handle = ng.serve(ex.net, data=[(ex.x, ex.y)], lr=ex.lr, open_browser=False)
>>> handle.url.startswith("http://127.0.0.1:") and "?token=" in handle.url
True
>>> state = handle.request("/api/backward")
>>> state["loss"], state["neurons"][-2]["delta"]
('0.2983711087600027', '0.13849856162855698')
>>> handle.request("/api/step")["connections"][4]["weight"][:10]
'0.35891647'
>>> handle.stop()
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import os
import secrets
import socket
import threading
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .core.errors import NeurographError, StateError

__all__ = ["serve", "ServerHandle", "Playground", "example", "model_file", "EXAMPLES", "MAX_BODY"]

#: Request bodies larger than this many bytes are refused with 413.
MAX_BODY = 1 << 20
#: The built-in models of ``neurograph serve``.
EXAMPLES = ("mazur", "xor", "iris", "digits")
#: Most epochs one ``/api/train`` call runs.
MAX_EPOCHS = 1000

_STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'")
_OPTIMIZERS = ("sgd", "adam")


class ApiError(Exception):
    """A request the API refuses: an HTTP status and a message for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _num(v: Any) -> Optional[str]:
    """A number as the API sends it: repr for floats (round-trips), str otherwise."""
    if v is None:
        return None
    return repr(v) if isinstance(v, float) else str(v)


def _fmt(v: Any, places: int = 9) -> str:
    """A number for an equation line: 9 decimal places for floats, exact otherwise."""
    if v is None:
        return "?"
    if isinstance(v, float):
        return "%.*f" % (places, v)
    return str(v)


# ---------------------------------------------------------------------------
# The state behind the page
# ---------------------------------------------------------------------------

class Playground:
    """A net, its data, the current sample, an optimizer and the loss history.

    Every method takes the lock: the server's threads never interleave a
    forward and a backward pass.  The methods return JSON-ready dicts.

    *data* is a :class:`~neurograph.datasets.Dataset`, a list of
    ``(input, target)`` pairs, or None (the page then types a sample in).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
    >>> [s["neuron"] for s in pg.walk("backward")["steps"]]
    ['o1', 'o2', 'h1', 'h2']
    """

    def __init__(self, net: Any, data: Any = None, *, lr: Any = None, loss: Optional[str] = None,
                 optimizer: str = "sgd", title: str = "") -> None:
        self.lock = threading.RLock()
        self.title = title or getattr(net, "name", "") or "a net"
        self._start_net = net.to_dict()
        self._data = data
        self._pairs: List[Tuple[List[Any], List[Any]]] = []
        self._labels = bool(getattr(data, "labels", None))
        self.loss_name = loss or self._default_loss(net)
        self.optimizer_name = optimizer
        self.lr_text = _num(lr) if lr is not None else ("0.001" if optimizer == "adam" else "0.1")
        self.model_id = 0
        self._install(net)

    # -- setting up --------------------------------------------------------
    @staticmethod
    def _default_loss(net: Any) -> str:
        acts = {n.activation.name for n in net.outputs if n.activation is not None}
        return "cross_entropy" if acts == {"softmax"} else "half_sse"

    def _install(self, net: Any) -> None:
        """Use *net* from now on: samples converted to its numbers, a new optimizer."""
        self.net = net
        self.model_id += 1
        n_in, n_out = len(net.inputs), len(net.outputs)
        num = net.number_system
        self._pairs = []
        if self._data is not None:
            try:
                pairs = [(num.vector(x, n_in, "input"), num.vector(y, n_out, "target"))
                         for x, y in self._data]
            except NeurographError:
                pairs = []   # a loaded model of another shape: samples are typed in
            self._pairs = pairs
        if self._pairs:
            self.x, self.y = self._pairs[0]
            self.index: Optional[int] = 0
        else:
            self.x, self.y = [num.zero] * n_in, [num.zero] * n_out
            self.index = None
        self.phase = "none"
        self.loss_value: Any = None
        self.history: List[Dict[str, Any]] = []
        self.steps = 0
        self._make_optimizer()

    def _make_optimizer(self) -> None:
        from .core.optim import SGD, Adam
        lr = self.net.number_system.convert(self.lr_text, "learning rate")
        self.opt = (Adam if self.optimizer_name == "adam" else SGD)(self.net, lr=lr)

    # -- the state the page draws -------------------------------------------
    def state(self) -> Dict[str, Any]:
        """The layout and every value: neurons, connections, biases, sample, loss, history.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> [n["name"] for n in pg.state()["neurons"]], pg.state()["sample"]
        (['i1', 'i2', 'h1', 'h2', 'o1', 'o2'], {'index': 0, 'x': ['0.05', '0.1'], 'y': ['0.01', '0.99']})
        """
        with self.lock:
            net, phase = self.net, self.phase
            fwd, bwd = phase in ("forward", "backward"), phase == "backward"
            neurons, conns, biases, seen = [], [], [], set()
            for L, layer in enumerate(net.layers):
                for n in layer:
                    inp = L == 0                   # layer 0 holds the inputs
                    b = None if inp else n.bias
                    neurons.append({
                        "name": n.name, "layer": L, "input": inp,
                        "output": not inp and not n.outputs,
                        "activation": None if inp else n.activation.name,
                        "z": _num(n.z) if fwd and not inp else None,
                        "a": _num(n.a) if fwd else None,
                        "delta": _num(n.delta) if bwd and not inp else None,
                        "grad_a": _num(n.grad_a) if bwd and not inp else None,
                        "bias": None if b is None else b.name})
                    if b is not None and b.name not in seen:
                        seen.add(b.name)
                        biases.append({"name": b.name, "value": _num(b.value),
                                       "grad": _num(b.grad)})
                    for c in n.inputs:
                        conns.append({"name": c.name, "src": c.src.name, "dst": c.dst.name,
                                      "weight": _num(c.weight), "grad": _num(c.grad)})
            outputs = [_num(n.a) for n in net.outputs] if fwd else None
            return {
                "model": {"id": self.model_id, "title": self.title,
                          "number": net.number.__name__, "loss": self.loss_name,
                          "optimizer": self.optimizer_name, "lr": self.lr_text,
                          "losses": _loss_names(), "optimizers": list(_OPTIMIZERS)},
                "phase": phase, "neurons": neurons, "connections": conns, "biases": biases,
                "sample": {"index": self.index, "x": [_num(v) for v in self.x],
                           "y": [_num(v) for v in self.y]},
                "samples": len(self._pairs), "outputs": outputs,
                "loss": _num(self.loss_value), "steps": self.steps, "history": self.history}

    # -- the sample ---------------------------------------------------------
    def set_sample(self, body: Dict[str, Any]) -> None:
        """``{"index": i}`` picks a sample of the data, ``{"x": [..], "y": [..]}`` types one.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.set_sample({"x": [1, 0], "y": [0, 1]})
        >>> pg.state()["sample"]
        {'index': None, 'x': ['1.0', '0.0'], 'y': ['0.0', '1.0']}
        """
        with self.lock:
            net, num = self.net, self.net.number_system
            if "index" in body and body["index"] is not None:
                i = body["index"]
                if type(i) is not int or not 0 <= i < len(self._pairs):
                    raise ApiError(400, "sample index must be a whole number from 0 to %d, got %r"
                                   % (len(self._pairs) - 1, i))
                self.index = i
                self.x, self.y = self._pairs[i]
            elif "x" in body or "y" in body:
                x = num.vector(body.get("x", self.x), len(net.inputs), "input")
                y = num.vector(body.get("y", self.y), len(net.outputs), "target")
                self.x, self.y, self.index = x, y, None
            else:
                return
            self.phase, self.loss_value = "none", None

    # -- passes ---------------------------------------------------------------
    def forward(self) -> None:
        """Gradients back to zero and a forward pass on the sample (with its loss).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.forward()
        >>> pg.phase, round(pg.loss_value, 9)
        ('forward', 0.298371109)
        """
        with self.lock:
            net = self.net
            net.zero_grad()
            self.loss_value = net.loss(self.x, self.y, loss=self.loss_name)
            net.forward(self.x)
            self.phase = "forward"

    def backward(self) -> None:
        """Forward, zero_grad, backward: every delta and this sample's gradients.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.backward()
        >>> pg.phase, round(pg.net["o1"].delta, 9), round(pg.net["w5"].grad, 9)
        ('backward', 0.138498562, 0.082167041)
        """
        with self.lock:
            net = self.net
            net.forward(self.x)
            net.zero_grad()
            self.loss_value = net.backward(self.y, loss=self.loss_name)
            self.phase = "backward"

    def step(self) -> None:
        """One optimizer update from this sample's gradients, then a forward pass.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.step()
        >>> pg.steps, round(pg.net["w5"].weight, 9)
        (1, 0.35891648)
        """
        with self.lock:
            if self.phase != "backward":
                self.backward()
            self.opt.step()
            self.steps += 1
            self.forward()

    def train(self, epochs: int) -> None:
        """``fit`` for *epochs* epochs on the data (or the one sample); the history grows.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.train(3)
        >>> [(row["epoch"], round(float(row["loss"]), 4)) for row in pg.history]
        [(1, 0.2984), (2, 0.291), (3, 0.2835)]
        """
        from .training import fit
        if type(epochs) is not int or not 1 <= epochs <= MAX_EPOCHS:
            raise ApiError(400, "epochs must be a whole number from 1 to %d, got %r"
                           % (MAX_EPOCHS, epochs))
        with self.lock:
            data: Any = self._data if self._pairs else [(self.x, self.y)]
            if self._pairs and not hasattr(data, "labels"):
                data = self._pairs
            metrics = ("accuracy",) if self._labels or len(self.net.outputs) > 1 else ()
            start = len(self.history)
            h = fit(self.net, data, epochs=epochs, optimizer=self.opt, loss=self.loss_name,
                    seed=start, metrics=metrics, verbose=0)
            for i, row in enumerate(h.rows):
                self.history.append({"epoch": start + i + 1, "loss": _num(row.get("loss")),
                                     "accuracy": _num(row.get("accuracy"))})
            self.steps += epochs * len(data)   # one update per sample (batch size 1)
            self.forward()

    # -- step by step -----------------------------------------------------------
    def walk(self, phase: str = "backward") -> Dict[str, Any]:
        """A real pass on the sample, recorded neuron by neuron with a hook.

        The order of the steps is the order in which the net told the hook
        about its neurons; each step names the connections the hook reported
        with the neuron and holds its equations with the numbers filled in.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> steps = pg.walk("forward")["steps"]
        >>> [s["neuron"] for s in steps], steps[0]["lines"][0]
        (['h1', 'h2', 'o1', 'o2'], 'z_h1 = w1 * a_i1 + w2 * a_i2 + b1')
        """
        if phase not in ("forward", "backward"):
            raise ApiError(400, "phase must be 'forward' or 'backward', got %r" % (phase,))
        with self.lock:
            net = self.net
            ids = {id(n) for n in net.neurons}
            events: List[Tuple[Any, List[Any]]] = []

            def record(event: str, obj: Any) -> None:
                if id(obj) in ids:
                    events.append((obj, []))
                elif events:
                    events[-1][1].append(obj)

            handle = net.add_hook(record, on=(phase,))
            try:
                if phase == "forward":
                    net.zero_grad()
                    self.loss_value = net.loss(self.x, self.y, loss=self.loss_name)
                    del events[:]          # only the last forward pass's events
                    net.forward(self.x)
                    self.phase = "forward"
                else:
                    net.forward(self.x)
                    del events[:]          # only the backward pass's events
                    net.zero_grad()
                    self.loss_value = net.backward(self.y, loss=self.loss_name)
                    self.phase = "backward"
            finally:
                handle.remove()
            make = self._forward_step if phase == "forward" else self._backward_step
            steps = [make(n, extra) for n, extra in events]
            return {"phase": phase, "steps": steps}

    def _forward_step(self, n: Any, _extra: List[Any]) -> Dict[str, Any]:
        conns = list(n.inputs)
        terms = ["%s * %s" % (c.name, "a_" + c.src.name) for c in conns[:8]]
        nums = ["%s * %s" % (_fmt(c.weight), _fmt(c.src.a)) for c in conns[:8]]
        if len(conns) > 8:
            terms.append("... (%d more)" % (len(conns) - 8))
            nums.append("...")
        if n.bias is not None:
            terms.append(n.bias.name)
            nums.append(_fmt(n.bias.value))
        lines = ["z_%s = %s" % (n.name, " + ".join(terms) or "0"),
                 "     = %s" % (" + ".join(nums) or "0"),
                 "     = %s" % _fmt(n.z),
                 "a_%s = %s(z_%s) = %s" % (n.name, n.activation.name, n.name, _fmt(n.a))]
        return {"neuron": n.name, "connections": [c.name for c in conns],
                "uses": [], "bias": n.bias.name if n.bias is not None else None, "lines": lines}

    def _backward_step(self, n: Any, extra: List[Any]) -> Dict[str, Any]:
        try:
            lines = str(self.net.explain(n.name)).split("\n")
        except NeurographError as e:
            lines = ["delta_%s = %s   (%s)" % (n.name, _fmt(n.delta), e)]
        if n.bias is not None:
            lines.append("dE/d%s += delta_%s = %s   [BP3]" % (n.bias.name, n.name, _fmt(n.delta)))
        conns = [c for c in extra if hasattr(c, "src")]
        for c in conns[:8]:
            lines.append("dE/d%s += delta_%s * a_%s = %s * %s = %s   [BP4]" % (
                c.name, n.name, c.src.name, _fmt(n.delta), _fmt(c.src.a), _fmt(n.delta * c.src.a)))
        if len(conns) > 8:
            lines.append("... and %d more connections, the same way   [BP4]" % (len(conns) - 8))
        return {"neuron": n.name, "connections": [c.name for c in conns],
                "uses": [c.name for c in n.outputs],
                "bias": n.bias.name if n.bias is not None else None, "lines": lines}

    # -- editing, explaining, settings -------------------------------------------
    def edit(self, name: Any, value: Any) -> None:
        """Set the weight of connection *name* or the value of parameter *name*; then forward.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.edit("w5", "0.5")
        >>> pg.net["w5"].weight, pg.phase
        (0.5, 'forward')
        """
        if not isinstance(name, str) or not isinstance(value, (str, int, float)) \
                or isinstance(value, bool):
            raise ApiError(400, "edit needs a name and a value (a string such as \"0.25\")")
        with self.lock:
            obj = self.net[name]
            v = self.net.number_system.convert(value, "new value of %s" % name)
            if hasattr(obj, "weight"):
                obj.weight = v
            elif hasattr(obj, "value") and hasattr(obj, "grad"):
                obj.value = v
            else:
                raise ApiError(400, "%s is a neuron: edit a weight or a bias" % name)
            was = self.phase
            self.forward()
            if was == "backward":
                self.backward()

    def explain(self, name: Any) -> Dict[str, Any]:
        """``net.explain(name)`` as text (a StateError before a backward pass).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.backward()
        >>> pg.explain("w5")["text"].splitlines()[0]
        'dE/dw5 = dE/d(out_o1) * d(out_o1)/d(net_o1) * d(net_o1)/dw5   [BP4, BP1]'
        """
        if not isinstance(name, str):
            raise ApiError(400, "explain needs a name (a string)")
        with self.lock:
            if self.phase != "backward":
                self.net[name]   # an unknown name is reported as such
                raise StateError("no backward pass yet: press Backward to see the chain rule "
                                 "for %s" % name)
            return {"name": name, "text": str(self.net.explain(name))}

    def settings(self, body: Dict[str, Any]) -> None:
        """Change the learning rate, loss or optimizer (a new optimizer is made).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.settings({"optimizer": "adam", "lr": "0.01"})
        >>> type(pg.opt).__name__, pg.lr_text, pg.loss_name
        ('Adam', '0.01', 'half_sse')
        """
        with self.lock:
            loss = body.get("loss", self.loss_name)
            opt = body.get("optimizer", self.optimizer_name)
            lr = body.get("lr", self.lr_text)
            if loss not in _loss_names():
                raise ApiError(400, "unknown loss %r: use one of %s"
                               % (loss, ", ".join(_loss_names())))
            if opt not in _OPTIMIZERS:
                raise ApiError(400, "unknown optimizer %r: use sgd or adam" % (opt,))
            if not isinstance(lr, (str, int, float)) or isinstance(lr, bool):
                raise ApiError(400, "lr must be a number (a string such as \"0.5\")")
            self.net.number_system.convert(lr, "learning rate")
            changed = loss != self.loss_name
            self.loss_name, self.optimizer_name, self.lr_text = loss, opt, str(lr)
            self._make_optimizer()
            if changed:
                self.phase, self.loss_value = "none", None

    def reset(self) -> None:
        """Back to the net the server started with, a new optimizer, no history.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.edit("w5", "0"); pg.step()
        >>> pg.reset()
        >>> pg.net["w5"].weight, pg.steps
        (0.4, 0)
        """
        from .net import Net
        with self.lock:
            self._install(Net.from_dict(self._start_net))

    def model(self) -> Dict[str, Any]:
        """The net as a model file (the dict of ``net.to_dict()``).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> model = pg.model()
        >>> model["format"], len(model["neurons"]), len(model["connections"])
        ('neurograph', 4, 8)
        """
        with self.lock:
            return self.net.to_dict()

    def load(self, data: Any) -> None:
        """Replace the net by one built from a model file's dict.

        The data's samples stay when they fit the new net; here they do not
        (one output, two targets), so the page types samples in.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.load(ng.Net.dense([2, 1], seed=0).to_dict())
        >>> pg.net, pg.state()["samples"]
        (Net(2-1: 3 neurons, 2 connections, 3 parameters, float), 0)
        """
        from .net import Net
        net = Net.from_dict(data)
        with self.lock:
            self._start_net = net.to_dict()
            self.title = net.name or self.title
            if self.loss_name not in _loss_names():
                self.loss_name = self._default_loss(net)
            self._install(net)


def _loss_names() -> List[str]:
    from .core.losses import LOSSES
    return list(LOSSES)


# ---------------------------------------------------------------------------
# Built-in models
# ---------------------------------------------------------------------------

def example(name: str) -> Tuple[Any, Any, Dict[str, Any]]:
    """``(net, data, options)`` of a built-in model: mazur, xor, iris or digits.

    *options* holds ``lr``, ``loss``, ``optimizer`` and ``title`` for :func:`serve`.

    >>> net, data, options = example("xor")
    >>> net, len(data), options["loss"]
    (Net(2-2-1: 5 neurons, 6 connections, 9 parameters, float), 4, 'half_sse')
    """
    from . import datasets, textbook
    from .net import Net
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
    from .core.errors import NameLookupError
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
    from . import datasets
    from .net import Net
    ck = Net.load_checkpoint(path)
    net, meta = ck.net, ck.metadata or {}
    options: Dict[str, Any] = {"title": os.path.basename(path)}
    if ck.optimizer is not None:
        options["lr"] = ck.optimizer.lr
        options["optimizer"] = "adam" if type(ck.optimizer).__name__ == "Adam" else "sgd"
    if meta.get("loss") in _loss_names():
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


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

_POST: Dict[str, Callable[[Playground, Dict[str, Any]], Any]] = {
    "/api/sample": lambda pg, b: pg.set_sample(b),
    "/api/forward": lambda pg, b: (pg.set_sample(b), pg.forward()),
    "/api/backward": lambda pg, b: (pg.set_sample(b), pg.backward()),
    "/api/step": lambda pg, b: (pg.set_sample(b), pg.step()),
    "/api/train": lambda pg, b: pg.train(b.get("epochs", 1)),
    "/api/edit": lambda pg, b: pg.edit(b.get("name"), b.get("value")),
    "/api/settings": lambda pg, b: pg.settings(b),
    "/api/reset": lambda pg, b: pg.reset(),
    "/api/model": lambda pg, b: pg.load(b),
}
#: POST calls that answer with something other than the state.
_ANSWERS: Dict[str, Callable[[Playground, Dict[str, Any]], Dict[str, Any]]] = {
    "/api/explain": lambda pg, b: pg.explain(b.get("name")),
    "/api/walk": lambda pg, b: dict(pg.walk(b.get("phase", "backward")), state=pg.state()),
}


def _static_files() -> Dict[str, str]:
    """URL path -> file path of every file shipped in ``neurograph/static``."""
    files = {}
    try:
        names = os.listdir(_STATIC)
    except OSError:
        names = []
    for name in names:
        full = os.path.join(_STATIC, name)
        if os.path.isfile(full) and os.path.splitext(name)[1] in _TYPES:
            files["/static/" + name] = full
    if "/static/index.html" in files:
        files["/"] = files["/static/index.html"]
    return files


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: Tuple[str, int], playground: Playground, token: str) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.playground = playground
        self.token = token
        self.files = _static_files()
        host, port = address[0], self.server_address[1]
        self.port = port
        names = {host} | ({"localhost", "127.0.0.1", "[::1]", "::1"} if _is_loopback(host) else set())
        self.allowed_hosts = {("[%s]" % h if ":" in h and not h.startswith("[") else h)
                              + ":%d" % port for h in names}
        self.any_ip_host = _is_wildcard(host)

    def host_ok(self, value: Optional[str]) -> bool:
        """Is *value* (a Host header) this server's own address:port? (DNS rebinding guard)"""
        if not value:
            return False
        value = value.strip().lower()
        if value in self.allowed_hosts:
            return True
        if self.any_ip_host:
            name, _, port = value.rpartition(":")
            if port != str(self.port):
                return False
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return name in ("localhost", socket.gethostname().lower(),
                                socket.getfqdn().lower())
        return False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass   # a client that went away or sent garbage: nothing to report


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    server_version = "neurograph"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 15   # seconds a client may take to send its request

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- answers ------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, extra: Sequence[Tuple[str, str]] = ()
              ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        self._send(status, body, "application/json")

    def _error(self, status: int, message: str) -> None:
        self.close_connection = True
        self._drain()
        self._json(status, {"error": message})

    def _drain(self) -> None:
        """Read an unread request body (up to 4 MB), so that closing the connection does not
        reset it before the client has read the answer."""
        if getattr(self, "_body_read", True):
            return
        self._body_read = True
        length = self.headers.get("Content-Length", "").strip()
        if not length.isdigit() or int(length) > 4 * MAX_BODY:
            return        # not worth reading: the answer goes out and the connection closes
        left = int(length)
        try:
            self.connection.settimeout(2)
            while left > 0:
                chunk = self.rfile.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    # -- checks -------------------------------------------------------------
    def _checked(self) -> Optional[urllib.parse.SplitResult]:
        """The parsed URL when Host and Origin are this server's, else None (403 sent)."""
        if not self.server.host_ok(self.headers.get("Host")):
            self._error(403, "this server answers only to its own address (Host header)")
            return None
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != "http://" + self.headers.get("Host", "").lower():
            self._error(403, "requests from other sites are refused (Origin %s)" % origin[:100])
            return None
        return urllib.parse.urlsplit(self.path)

    def _token_ok(self, url: urllib.parse.SplitResult) -> bool:
        given = self.headers.get("X-Neurograph-Token")
        if given is None:
            given = urllib.parse.parse_qs(url.query).get("token", [""])[0]
        return secrets.compare_digest(given.encode("utf-8", "replace"),
                                      self.server.token.encode("ascii"))

    def _body(self) -> Any:
        self._body_read = True
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise ApiError(411, "send the body with a Content-Length")
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit():
            raise ApiError(400, "bad Content-Length %r" % length[:40])
        n = int(length)
        if n > MAX_BODY:
            self._body_read = False   # _error drains what it can
            raise ApiError(413, "request body of %d bytes: the limit is %d" % (n, MAX_BODY))
        raw = self.rfile.read(n) if n else b""
        if len(raw) < n:
            raise ApiError(400, "the request body ended early")
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise ApiError(400, "malformed JSON: %s" % e) from None
        if not isinstance(data, dict):
            raise ApiError(400, "the body must be a JSON object, got %s" % type(data).__name__)
        return data

    # -- methods -------------------------------------------------------------
    def do_GET(self) -> None:
        self._safely(self._get)

    def do_HEAD(self) -> None:
        self._safely(self._get)

    def do_POST(self) -> None:
        self._safely(self._post)

    def _safely(self, fn: Callable[[], None]) -> None:
        self._body_read = self.command != "POST"
        try:
            fn()
        except ApiError as e:
            self._error(e.status, str(e))
        except NeurographError as e:
            self._error(400, " ".join(str(e).split("\n")))
        except (ConnectionError, socket.timeout):
            self.close_connection = True
        except Exception as e:   # the server survives any request
            try:
                self._error(500, "internal error: %s: %s" % (type(e).__name__, e))
            except Exception:
                self.close_connection = True

    def _get(self) -> None:
        url = self._checked()
        if url is None:
            return
        path = url.path
        if path.startswith("/api/"):
            if not self._token_ok(url):
                raise ApiError(403, "missing or wrong token: open the URL the server printed")
            pg = self.server.playground
            if path == "/api/state":
                return self._json(200, pg.state())
            if path == "/api/model":
                body = json.dumps(pg.model(), indent=1).encode("utf-8")
                name = "".join(ch for ch in pg.title if ch.isalnum() or ch in "-_")[:40] or "model"
                return self._send(200, body, "application/json", [
                    ("Content-Disposition", 'attachment; filename="%s.json"' % name)])
            if path in _POST or path in _ANSWERS:
                raise ApiError(405, "%s needs POST" % path)
            raise ApiError(404, "no API call %s" % path[:100])
        full = self.server.files.get(path)
        if full is None:
            raise ApiError(404, "not found")
        with open(full, "rb") as f:
            body = f.read()
        self._send(200, body, _TYPES[os.path.splitext(full)[1]],
                   [("Content-Security-Policy", _CSP)])

    def _post(self) -> None:
        url = self._checked()
        if url is None:
            return
        path = url.path
        if not path.startswith("/api/"):
            raise ApiError(405, "POST is for /api/ calls")
        if not self._token_ok(url):
            raise ApiError(403, "missing or wrong token: open the URL the server printed")
        body = self._body()
        pg = self.server.playground
        if path in _ANSWERS:
            with pg.lock:
                return self._json(200, _ANSWERS[path](pg, body))
        if path not in _POST:
            if path == "/api/state":
                raise ApiError(405, "/api/state needs GET")
            raise ApiError(404, "no API call %s" % path[:100])
        with pg.lock:
            _POST[path](pg, body)
            state = pg.state()
        self._json(200, state)


# ---------------------------------------------------------------------------
# Starting and stopping
# ---------------------------------------------------------------------------

class ServerHandle:
    """A running playground server: ``url``, ``stop()``, ``request()``; an iframe in Jupyter.

    Used in a ``with`` block, the server stops at its end.

    >>> import neurograph as ng
    >>> with ng.serve(ng.textbook.mazur(), open_browser=False) as handle:
    ...     handle.running, handle.request("/api/state")["sample"]["x"]
    (True, ['0.05', '0.1'])
    >>> handle.running
    False
    """

    def __init__(self, server: _Server, thread: threading.Thread, url: str) -> None:
        self._server = server
        self._thread = thread
        self.url = url
        self.port = server.port
        self.token = server.token
        self.playground = server.playground

    @property
    def running(self) -> bool:
        """True while the server thread is serving."""
        return self._thread.is_alive()

    def request(self, path: str, body: Optional[Dict[str, Any]] = None, *,
                method: Optional[str] = None, timeout: float = 60) -> Any:
        """Call the API (token included) and decode its JSON answer; POST unless /api/state
        or /api/model without a body.  An error answer raises urllib's HTTPError.

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> state = handle.request("/api/edit", {"name": "w5", "value": "0.5"})
        >>> state["connections"][4]["weight"], state["phase"]
        ('0.5', 'forward')
        >>> handle.stop()
        """
        if method is None:
            method = "GET" if path in ("/api/state", "/api/model") and body is None else "POST"
        data = None if method == "GET" else json.dumps(body or {}).encode("utf-8")
        base = self.url.split("?", 1)[0].rstrip("/")
        req = urllib.request.Request(base + path, data=data, method=method, headers={
            "X-Neurograph-Token": self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read().decode("utf-8"))

    def open_browser(self) -> bool:
        """Open the page in the default web browser; True if a browser was started.

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle.open_browser()  # doctest: +SKIP
        True
        >>> handle.stop()
        """
        import webbrowser
        return webbrowser.open(self.url)

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here).

        >>> import neurograph as ng, threading
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> timer = threading.Timer(0.2, handle.stop); timer.start()
        >>> handle.wait(); timer.join(); handle.running
        False
        """
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop the server and close its socket (safe to call twice).

        >>> import neurograph as ng
        >>> handle = ng.serve(ng.textbook.mazur(), open_browser=False)
        >>> handle.stop(); handle.stop(); handle.running
        False
        """
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _repr_html_(self) -> str:
        return ('<iframe src="%s" width="100%%" height="760" style="border:1px solid #ccc">'
                '</iframe>' % self.url.replace("&", "&amp;").replace('"', "&quot;"))

    def __repr__(self) -> str:
        return "<neurograph playground at %s%s>" % (self.url, "" if self.running else ", stopped")


def serve(net: Any, data: Any = None, port: int = 0, open_browser: bool = True, *,
          host: str = "127.0.0.1", lr: Any = None, loss: Optional[str] = None,
          optimizer: str = "sgd", title: str = "") -> ServerHandle:
    """Serve the playground page for *net* in a daemon thread and return at once.

    *net* is a :class:`~neurograph.Net` (or a textbook example such as
    ``ng.textbook.mazur()``, whose sample and learning rate are used);
    *data* a Dataset or a list of ``(input, target)`` pairs to pick samples
    from.  *port* 0 picks a free port.  *lr*, *loss* and *optimizer*
    (``"sgd"`` or ``"adam"``) are the starting settings; the page can change
    them.  The page's URL, with the access token, is ``handle.url``.

    >>> import neurograph as ng
    >>> handle = ng.serve(ng.textbook.mazur(), port=0, open_browser=False)
    >>> handle.playground.title, handle.playground.lr_text
    ('A Step by Step Backpropagation Example', '0.5')
    >>> handle.stop()
    """
    if hasattr(net, "net") and hasattr(net, "x") and hasattr(net, "y"):   # a textbook Example
        source = (getattr(net, "spec", None) or {}).get("source") or {}
        title = title or source.get("title", "")
        if data is None:
            data = [(net.x, net.y)]
        if lr is None:
            lr = getattr(net, "lr", None)
        net = net.net
    if optimizer not in _OPTIMIZERS:
        from .core.errors import NameLookupError
        raise NameLookupError("unknown optimizer %r: use sgd or adam" % (optimizer,))
    if type(port) is not int or not 0 <= port <= 65535:
        from .core.errors import NumberError
        raise NumberError("port must be a whole number from 0 to 65535, got %r" % (port,))
    pg = Playground(net, data, lr=lr, loss=loss, optimizer=optimizer, title=title)
    token = secrets.token_urlsafe(24)
    server = _Server((host, port), pg, token)
    shown = host if not _is_wildcard(host) else "127.0.0.1"
    if ":" in shown:
        shown = "[%s]" % shown
    url = "http://%s:%d/?token=%s" % (shown, server.port, token)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="neurograph-serve", daemon=True)
    thread.start()
    handle = ServerHandle(server, thread, url)
    if open_browser:
        handle.open_browser()
    return handle
