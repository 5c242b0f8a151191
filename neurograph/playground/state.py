"""The state behind the playground page: a net, its data, a sample, an optimizer, a history.

:class:`Playground` knows nothing of HTTP.  Its methods take and return
JSON-ready values, and :meth:`Playground.act` runs one action of the API by
its name, so the HTTP server (:mod:`neurograph.playground.server`) and any
other transport call the same object.  Numbers go out as exact text
(``number_text``) and come in through the net's ``NumberSystem``.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``Playground``             net, data, sample, optimizer, loss history; one lock
``Playground.act``         one action by name (``ACTIONS``) -> its JSON answer
``ACTIONS``                ``READS``, ``CHANGES`` and ``ANSWERS``: the names ``act`` takes
``ApiError``               a refused request: a status (as in HTTP) and a message
``loss_names()``           the losses the page offers
``MAX_EPOCHS``             most epochs one ``train`` action runs
``OPTIMIZERS``             the optimizers the page offers: sgd, adam
=========================  ============================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
>>> pg.act("backward")["loss"]
'0.2983711087600027'
>>> pg.act("explain", {"name": "w5"})["text"].splitlines()[2]
'       = 0.082167041'
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..core.arithmetic import number_text
from ..core.errors import NeurographError, StateError
from .equations import backward_lines, forward_lines

__all__ = ["Playground", "ApiError", "loss_names", "ACTIONS", "READS", "CHANGES", "ANSWERS",
           "MAX_EPOCHS", "OPTIMIZERS"]

#: Most epochs one ``train`` action runs.
MAX_EPOCHS = 1000
#: Request bodies larger than this many bytes are refused with 413.
MAX_BODY = 1 << 20
#: The optimizers the page offers.
OPTIMIZERS = ("sgd", "adam")
#: Actions of :meth:`Playground.act` that read: the state, the net as a model file.
READS = ("state", "model")
#: Actions that change the state and answer with the new state.
CHANGES = ("sample", "forward", "backward", "step", "train", "edit", "settings", "reset", "load")
#: Actions that answer with something of their own.
ANSWERS = ("explain", "walk")
#: Every action :meth:`Playground.act` takes.
ACTIONS = READS + CHANGES + ANSWERS


class ApiError(NeurographError):
    """A request the playground refuses: a status (as in HTTP: 400 a bad request) and a
    message for the page.

    >>> e = ApiError(400, "epochs must be a whole number")
    >>> e.status, str(e)
    (400, 'epochs must be a whole number')
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _num(v: Any) -> Optional[str]:
    """A number as the API sends it: exact text (None stays None, JSON's null)."""
    return None if v is None else number_text(v)


def loss_names() -> List[str]:
    """The names of the losses the page offers (those of ``neurograph.LOSSES``).

    >>> loss_names()[:2]
    ['half_sse', 'sse']
    """
    from ..core.losses import LOSSES
    return list(LOSSES)


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
        from ..core.optim import SGD, Adam
        lr = self.net.number_system.convert(self.lr_text, "learning rate")
        self.opt = (Adam if self.optimizer_name == "adam" else SGD)(self.net, lr=lr)

    # -- one action by name ----------------------------------------------------
    def act(self, action: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Run the action *action* (one of :data:`ACTIONS`) with the JSON object *body*.

        The answer is the new state for :data:`CHANGES`, the net's model file
        for ``model``, and the action's own dict for ``explain`` and ``walk``
        (``walk`` with the state under ``"state"``).  An unknown action is an
        :class:`ApiError` with status 404.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.act("edit", {"name": "w5", "value": "0.5"})["connections"][4]["weight"]
        '0.5'
        >>> pg.act("walk", {"phase": "forward"})["steps"][0]["neuron"]
        'h1'
        """
        body = {} if body is None else body
        run = _ACTIONS.get(action)
        if run is None:
            raise ApiError(404, "no action %r: use one of %s" % (action[:100], ", ".join(ACTIONS)))
        with self.lock:
            answer = run(self, body)
            return self.state() if action in CHANGES else answer

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
            neurons, conns, biases = self._values(phase in ("forward", "backward"),
                                                  phase == "backward")
            outputs = [_num(n.a) for n in net.outputs] if phase in ("forward", "backward") else None
            return {
                "model": {"id": self.model_id, "title": self.title,
                          "number": net.number.__name__, "loss": self.loss_name,
                          "optimizer": self.optimizer_name, "lr": self.lr_text,
                          "losses": loss_names(), "optimizers": list(OPTIMIZERS)},
                "phase": phase, "neurons": neurons, "connections": conns, "biases": biases,
                "sample": {"index": self.index, "x": [_num(v) for v in self.x],
                           "y": [_num(v) for v in self.y]},
                "samples": len(self._pairs), "outputs": outputs,
                "loss": _num(self.loss_value), "steps": self.steps,
                "history": list(self.history)}

    def _values(self, fwd: bool, bwd: bool) -> Tuple[List[Any], List[Any], List[Any]]:
        """The neurons, connections and biases of :meth:`state`, layer by layer."""
        neurons, conns, biases, seen = [], [], [], set()
        for L, layer in enumerate(self.net.layers):
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
                    biases.append({"name": b.name, "value": _num(b.value), "grad": _num(b.grad)})
                for c in n.inputs:
                    conns.append({"name": c.name, "src": c.src.name, "dst": c.dst.name,
                                  "weight": _num(c.weight), "grad": _num(c.grad)})
        return neurons, conns, biases

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
        from ..training import fit
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
        with the neuron and holds its equations with the numbers filled in
        (see :mod:`neurograph.playground.equations`).

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
                else:
                    net.forward(self.x)
                    del events[:]          # only the backward pass's events
                    net.zero_grad()
                    self.loss_value = net.backward(self.y, loss=self.loss_name)
                self.phase = phase
            finally:
                handle.remove()
            if phase == "forward":
                steps = [forward_lines(n) for n, _ in events]
            else:
                steps = [backward_lines(net, n, extra) for n, extra in events]
            return {"phase": phase, "steps": steps}

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
            if loss not in loss_names():
                raise ApiError(400, "unknown loss %r: use one of %s"
                               % (loss, ", ".join(loss_names())))
            if opt not in OPTIMIZERS:
                raise ApiError(400, "unknown optimizer %r: use sgd or adam" % (opt,))
            if not isinstance(lr, (str, int, float)) or isinstance(lr, bool):
                raise ApiError(400, "lr must be a number (a string such as \"0.5\")")
            self.net.number_system.convert(lr, "learning rate")
            changed = loss != self.loss_name
            self.loss_name, self.optimizer_name = loss, opt
            self.lr_text = lr if isinstance(lr, str) else number_text(lr)
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
        from ..net import Net
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
        from ..net import Net
        net = Net.from_dict(data)
        with self.lock:
            self._start_net = net.to_dict()
            self.title = net.name or self.title
            if self.loss_name not in loss_names():
                self.loss_name = self._default_loss(net)
            self._install(net)


#: What each action of :meth:`Playground.act` runs, with the JSON object of the request.
_ACTIONS: Dict[str, Callable[[Playground, Dict[str, Any]], Any]] = {
    "state": lambda pg, b: pg.state(),
    "model": lambda pg, b: pg.model(),
    "sample": lambda pg, b: pg.set_sample(b),
    "forward": lambda pg, b: (pg.set_sample(b), pg.forward()),
    "backward": lambda pg, b: (pg.set_sample(b), pg.backward()),
    "step": lambda pg, b: (pg.set_sample(b), pg.step()),
    "train": lambda pg, b: pg.train(b.get("epochs", 1)),
    "edit": lambda pg, b: pg.edit(b.get("name"), b.get("value")),
    "settings": lambda pg, b: pg.settings(b),
    "reset": lambda pg, b: pg.reset(),
    "load": lambda pg, b: pg.load(b),
    "explain": lambda pg, b: pg.explain(b.get("name")),
    "walk": lambda pg, b: dict(pg.walk(b.get("phase", "backward")), state=pg.state()),
}
