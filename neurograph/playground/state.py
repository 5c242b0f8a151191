"""The state behind the playground page: a net, its data, a sample, its settings, a history.

:class:`Playground` knows nothing of HTTP.  :meth:`Playground.act` runs one
action of the API by its name with a JSON object and returns a JSON-ready
answer, so the HTTP server (:mod:`neurograph.playground.server`) and any
other transport (the no-install page runs the same object under Pyodide)
call the same code.  Numbers go out as exact text (``number_text``) and come
in through the net's ``NumberSystem``.  An action that is refused (an
:class:`ApiError` or any NeurographError) changes nothing: every action that
changes the state runs as a transaction, and a failure puts back the net,
its numbers, the optimizer and its state, the settings, the data and the
history, and repeats the last pass, so every record is as it was.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``Playground``             net, data, sample, settings, history, walk; one lock
``Playground.act``         one action by name (``ACTIONS``) -> its JSON answer
``ACTIONS``                ``READS``, ``CHANGES`` and ``ANSWERS``: the names ``act`` takes
``ApiError``               a refused request: a status (as in HTTP) and a message
``loss_names()``           the losses the page offers
``MAX_EPOCHS``             most epochs one ``train`` or ``play`` action asks for
``OPTIMIZERS``             the optimizers the page offers: sgd, momentum, adam
=========================  ============================================================

The actions themselves are written in :mod:`neurograph.playground.actions`.

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
from typing import Any, Dict, List, Optional, Tuple

from ..core.errors import NeurographError, ShapeError
from .architecture import ACTIVATIONS, MAX_LAYERS, MAX_WIDTH, describe
from .actions import ACTION_FUNCTIONS
from .body import MAX_BODY
from .chunks import MAX_EPOCHS, Epochs
from .choices import DataChoice, check_data
from .errors import ApiError
from .settings import OPTIMIZERS, Settings, loss_names
from .values import net_values, num, thin

__all__ = ["Playground", "ApiError", "loss_names", "ACTIONS", "READS", "CHANGES", "ANSWERS",
           "MAX_EPOCHS", "MAX_BODY", "OPTIMIZERS"]

#: Most rows of the history the state holds (evenly spaced, the last one kept).
HISTORY_ROWS = 1000
#: Actions of :meth:`Playground.act` that read: the state, the net as a model file.
READS = ("state", "model")
#: Actions that change the state and answer with the new state.
CHANGES = ("sample", "forward", "backward", "step", "train", "edit", "settings", "reset", "load",
           "dataset", "architecture", "time", "next", "prev")
#: Actions that answer with something of their own.
ANSWERS = ("explain", "walk", "quiz", "answer", "play", "heatmaps")
#: Every action :meth:`Playground.act` takes.
ACTIONS = READS + CHANGES + ANSWERS
#: The actions after which a walk goes on (any other change ends it).
_KEEP_WALK = ("next", "prev", "answer", "explain", "heatmaps", "state", "model")


class Playground:
    """A net, its data, the current sample, the settings, the loss history and a walk.

    Every action takes the lock: the server's threads never interleave a
    forward and a backward pass.  *data* is a :class:`~neurograph.datasets.Dataset`,
    a list of ``(input, target)`` pairs (sequences of them for a recurrent
    net), or None (the page then types a sample in, or picks a data set).
    The starting settings are checked here: ``loss="nope"`` is refused.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
    >>> [s["neuron"] for s in pg.act("walk", {"phase": "backward"})["steps"]]
    ['o1', 'o2', 'h1', 'h2']
    """

    def __init__(self, net: Any, data: Any = None, *, lr: Any = None, loss: Optional[str] = None,
                 optimizer: str = "sgd", title: str = "", momentum: Any = None,
                 weight_decay: Any = 0, batch: int = 1) -> None:
        from ..net import Net
        if not isinstance(net, Net):
            raise NeurographError("serve needs a Net (or a textbook Example), got %r"
                                  % (type(net).__name__,))
        if data is not None:
            check_data(data)
        self.lock = threading.RLock()
        settings = Settings.start(net, lr, loss, optimizer, momentum, weight_decay, batch)
        self.title = title or getattr(net, "name", "") or "a net"
        self.data = DataChoice(data, "own", sequences=_recurrent(net))
        self.model_id = 0
        self.notice = ""
        self._start = (net.to_dict(), settings, self.data, self.title)
        self._install(net, settings)

    # -- setting up --------------------------------------------------------
    @property
    def lr_text(self) -> str:
        """The learning rate as the text it was given in (``settings.lr``)."""
        return self.settings.lr

    @property
    def loss_name(self) -> str:
        """The loss's name (``settings.loss``)."""
        return self.settings.loss

    @property
    def optimizer_name(self) -> str:
        """The optimizer's name: sgd, momentum or adam (``settings.optimizer``)."""
        return self.settings.optimizer

    @property
    def sequences(self) -> bool:
        """True for a recurrent net: a sample is a sequence."""
        return self.recurrent

    def _convert(self, pairs: List[Tuple[Any, Any]]) -> List[Tuple[Any, Any]]:
        net, numsys = self.net, self.net.number_system
        n_in, n_out = len(net.inputs), len(net.outputs)
        if self.recurrent:
            return [([numsys.vector(s, n_in, "input") for s in xs],
                     [None if t is None else numsys.vector(t, n_out, "target") for t in ys])
                    for xs, ys in pairs]
        return [(numsys.vector(x, n_in, "input"), numsys.vector(y, n_out, "target"))
                for x, y in pairs]

    def _install(self, net: Any, settings: Settings) -> None:
        """Use *net* and *settings* from now on: the data's samples in its numbers, a new
        optimizer, no history.  Builds everything before changing anything."""
        self.net = net
        self.recurrent = _recurrent(net)
        opt = settings.make_optimizer(net)
        self.settings, self.opt = settings, opt
        try:
            samples = self.data.samples(net.number_system)
            pairs = self._convert(samples.pairs)
        except NeurographError as e:
            samples, pairs = None, []
            self.notice = ("the data (%s) does not fit this net: %s; type a sample in or "
                           "choose a data set" % (self.data.kind, str(e).split(";")[0]))
        self.pairs = pairs
        self.train_index = samples.train_index if samples and pairs else []
        self.test_index = samples.test_index if samples and pairs else []
        self.train_pairs = [pairs[i] for i in self.train_index]
        self.test_pairs = [pairs[i] for i in self.test_index]
        self.classification = bool(pairs) and (self.data.labelled or
                                               _zero_one(pairs, self.recurrent))
        zero = net.number_system.zero
        if pairs:
            self.index: Optional[int] = 0
            self.x, self.y = pairs[0]
        else:
            self.index = None
            blank = [zero] * len(net.inputs), [zero] * len(net.outputs)
            self.x, self.y = ([blank[0]], [blank[1]]) if self.recurrent else blank
        self.phase = "none"
        self.loss_value: Any = None
        self.history: List[Dict[str, Any]] = []
        self.epochs = Epochs()
        self.steps = 0
        self.walk: Any = None
        self.time_step: Optional[int] = None
        self.last_update: Optional[Dict[str, Any]] = None
        self.model_id += 1

    # -- one action by name, as a transaction -----------------------------------
    def act(self, action: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Run the action *action* (one of :data:`ACTIONS`) with the JSON object *body*.

        The answer is the new state for :data:`CHANGES`, the net's model file
        for ``model``, and the action's own dict for :data:`ANSWERS` (with the
        state under ``"state"`` when it changes it).  An unknown action is an
        :class:`ApiError` with status 404; a refused action changes nothing.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.act("edit", {"name": "w5", "value": "0.5"})["connections"][4]["weight"]
        '0.5'
        >>> pg.act("walk", {"phase": "forward"})["steps"][0]["neuron"]
        'h1'
        """
        run = ACTION_FUNCTIONS.get(action) if isinstance(action, str) else None
        if run is None:
            raise ApiError(404, "no action %r: use one of %s" % (str(action)[:100],
                                                                ", ".join(ACTIONS)))
        body = {} if body is None else body
        if not isinstance(body, dict):
            raise ApiError(400, "the body must be a JSON object, got %s" % type(body).__name__)
        with self.lock:
            if action in READS:
                return run(self, body)
            saved = self._save()
            try:
                if action not in _KEEP_WALK:
                    self.walk = None
                answer = run(self, body)
                return self.state() if action in CHANGES else answer
            except BaseException:
                self._restore(saved)
                raise

    def _save(self) -> Tuple[Any, ...]:
        """Everything an action may change, to put back with :meth:`_restore`."""
        return (dict(self.__dict__), list(self.history), self.epochs.copy(),
                [(p, p.w, p.g) for p in self.net.parameters()], self.opt._numbers())

    def _restore(self, saved: Tuple[Any, ...]) -> None:
        state, history, epochs, params, opt_numbers = saved
        self.__dict__.clear()
        self.__dict__.update(state)
        self.history, self.epochs = history, epochs
        self.opt._restore(opt_numbers)
        for p, w, g in params:
            p.w = w
        try:
            self.replay()
        except NeurographError:      # (it ran before; a net that cannot is shown with none)
            self.phase = "none"
        for p, w, g in params:
            p.w, p.g = w, g

    def replay(self) -> None:
        """The current phase's passes again on the sample: every neuron's numbers as the
        state shows them (after heatmaps or a refused action)."""
        net, x, y, loss = self.net, self.x, self.y, self.settings.loss
        if self.phase == "none":
            return
        net.zero_grad()
        if self.recurrent:
            net.forward_sequence(x)
            if self.phase == "backward":
                net.backward_sequence(y, loss=loss)
        else:
            net.forward(x)
            if self.phase == "backward":
                net.backward(y, loss=loss)

    # -- the state the page draws -------------------------------------------
    def state(self) -> Dict[str, Any]:
        """The layout and every value: neurons, connections, biases, the sample, the loss,
        the history, the data, the architecture, the walk.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> [n["name"] for n in pg.state()["neurons"]], pg.state()["sample"]["x"]
        (['i1', 'i2', 'h1', 'h2', 'o1', 'o2'], ['0.05', '0.1'])
        """
        with self.lock:
            net, phase, walk = self.net, self.phase, self.walk
            fwd = phase in ("forward", "backward")
            t = self.view_time()
            neurons, conns, biases = net_values(net, fwd, phase == "backward", t)
            outputs = [n["a"] for n in neurons if n["output"]] if fwd else None
            loss = num(self.loss_value)
            if walk is not None:
                walk.mask(neurons, conns, biases)
                if walk.phase == "forward":
                    outputs, loss = None, None
            return {
                "model": self._model(), "phase": phase, "neurons": neurons,
                "connections": conns, "biases": biases, "sample": self._sample(),
                "samples": len(self.pairs), "sample_labels": self._labels(),
                "outputs": outputs, "loss": loss, "steps": self.steps,
                "history": thin(self.history, HISTORY_ROWS),
                "progress": self.epochs.progress(len(self.train_pairs)),
                "data": self.data.describe(net.number_system),
                "architecture": dict(describe(net), choices=list(ACTIVATIONS),
                                     max_layers=MAX_LAYERS, max_width=MAX_WIDTH),
                "time": self._time(), "walk": None if walk is None else walk.describe(),
                "update": None if self.last_update is None else {
                    "optimizer": self.last_update["optimizer"],
                    "steps": self.last_update["steps"]},
                "notice": self.notice}

    def view_time(self) -> Optional[int]:
        """The time step of a sequence the state shows (None for a plain net)."""
        if not self.recurrent or self.phase == "none":
            return None
        if self.walk is not None and self.walk.time is not None:
            return self.walk.time
        steps = len(self.x)
        t = self.time_step if self.time_step is not None else steps - 1
        return min(t, steps - 1)

    def _time(self) -> Optional[Dict[str, Any]]:
        if not self.recurrent:
            return None
        return {"steps": len(self.x), "at": self.view_time()}

    def _model(self) -> Dict[str, Any]:
        net = self.net
        out = {"id": self.model_id, "title": self.title, "number": net.number.__name__,
               "recurrent": self.recurrent, "classification": self.classification,
               "inputs": self.data.input_names() if self.pairs else [],
               "outputs": self._output_names()}
        out.update(self.settings.describe())
        return out

    def _output_names(self) -> List[str]:
        names = self.data.class_names
        if names and len(names) == len(self.net.outputs) and len(names) > 1:
            return names
        return []

    def _labels(self) -> Optional[List[List[Any]]]:
        """Per sample: its class name (or "") and whether it is a test sample."""
        if not self.pairs:
            return None
        labels, names = self.data.labels, self.data.class_names
        test = set(self.test_index)
        return [[names[labels[i]] if labels and names else "", i in test]
                for i in range(len(self.pairs))]

    def _sample(self) -> Dict[str, Any]:
        if self.recurrent:
            return {"index": self.index, "x": [[num(v) for v in s] for s in self.x],
                    "y": [None if s is None else [num(v) for v in s] for s in self.y]}
        return {"index": self.index, "x": [num(v) for v in self.x],
                "y": [num(v) for v in self.y]}

    # -- the sample and the passes ------------------------------------------------
    def set_sample(self, body: Dict[str, Any]) -> bool:
        """``{"index": i}`` picks a sample, ``{"x": [..], "y": [..]}`` types one (a list of
        steps for a recurrent net); True when the sample changed.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.set_sample({"x": [1, 0], "y": [0, 1]})
        True
        >>> pg.state()["sample"]
        {'index': None, 'x': ['1.0', '0.0'], 'y': ['0.0', '1.0']}
        """
        if "index" in body and body["index"] is not None:
            i = body["index"]
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.pairs):
                raise ApiError(400, "sample index must be a whole number from 0 to %d, got %r"
                               % (len(self.pairs) - 1, str(i)[:40]))
            self.index = i
            self.x, self.y = self.pairs[i]
        elif "x" in body or "y" in body:
            x, y = body.get("x", self.x), body.get("y", self.y)
            (self.x, self.y), self.index = self._typed(x, y), None
        else:
            return False
        self.phase, self.loss_value, self.time_step = "none", None, None
        return True

    def _typed(self, x: Any, y: Any) -> Tuple[Any, Any]:
        numsys, n_in, n_out = self.net.number_system, len(self.net.inputs), len(self.net.outputs)
        if not self.recurrent:
            return numsys.vector(x, n_in, "input"), numsys.vector(y, n_out, "target")
        if not isinstance(x, list) or not isinstance(y, list) or not x or len(x) != len(y) \
                or len(x) > 1000:
            raise ShapeError("a sequence is a list of steps (at most 1000), each a list of %d "
                             "inputs, and one target list (or null) per step" % n_in)
        return ([numsys.vector(s, n_in, "input, step %d" % t) for t, s in enumerate(x)],
                [None if s is None else numsys.vector(s, n_out, "target, step %d" % t)
                 for t, s in enumerate(y)])

    def forward(self) -> None:
        """Gradients back to zero and a forward pass on the sample (with its loss; a
        sequence's loss comes with its backward pass).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.forward()
        >>> pg.phase, round(pg.loss_value, 9)
        ('forward', 0.298371109)
        """
        net = self.net
        net.zero_grad()
        if self.recurrent:
            net.forward_sequence(self.x)
            self.loss_value = None
        else:
            self.loss_value = net.loss(self.x, self.y, loss=self.settings.loss)  # (its pass)
        self.phase = "forward"

    def backward(self) -> None:
        """Forward, zero_grad, backward (through time for a sequence): every delta and this
        sample's gradients.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.backward()
        >>> pg.phase, round(pg.net["o1"].delta, 9), round(pg.net["w5"].grad, 9)
        ('backward', 0.138498562, 0.082167041)
        """
        net, loss = self.net, self.settings.loss
        if self.recurrent:
            net.forward_sequence(self.x)
            net.zero_grad()
            self.loss_value = net.backward_sequence(self.y, loss=loss)
        else:
            net.forward(self.x)
            net.zero_grad()
            self.loss_value = net.backward(self.y, loss=loss)
        self.phase = "backward"

    def step(self) -> None:
        """One optimizer update from this sample's gradients, then a forward pass.  The net
        and its optimizer as the step found them are kept (as a model file), so the details
        of a weight can show the update the optimizer made (see ``explain``).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        >>> pg.step()
        >>> pg.steps, round(pg.net["w5"].weight, 9)
        (1, 0.35891648)
        """
        from ..persistence import net_to_dict
        if self.phase != "backward":
            self.backward()
        params = self.net.parameters()
        before = net_to_dict(self.net, optimizer=self.opt)
        self.opt.step()
        self.steps += 1
        self.last_update = {"optimizer": self.settings.optimizer, "steps": self.steps,
                            "before": before, "after": {p.name: p.value for p in params},
                            "x": self.x, "y": self.y, "loss": self.settings.loss}
        self.forward()


def _recurrent(net: Any) -> bool:
    return any(n.delayed_inputs for n in net.neurons)


def _zero_one(pairs: List[Tuple[Any, Any]], sequences: bool) -> bool:
    """True when every target value is 0 or 1 (classes, for the accuracy)."""
    for _, y in pairs[:2000]:
        steps = y if sequences else [y]
        for s in steps:
            if s is not None and any(v != 0 and v != 1 for v in s):
                return False
    return True
