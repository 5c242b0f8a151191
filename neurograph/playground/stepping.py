"""Walking a pass neuron by neuron without showing the future, and the quiz on it.

:func:`record` runs a real pass (``forward``/``backward``, or
``forward_sequence``/``backward_sequence`` for a recurrent net) with a hook
and keeps, for each neuron the hook reports, the numbers the pass had written
AT THAT MOMENT: its z and a going forward; its delta, dE/da and the gradients
of its bias and incoming connections going back (a shared or recurrent
parameter's gradient is then a partial sum).  A :class:`Walk` is a position
in those steps: :meth:`Walk.mask` replaces the state's numbers by what the
walk has reached, so a number it has not reached is null in the state, and
drawn nowhere.  In a quiz the numbers of the current step stay hidden until
the student has given them (:meth:`Walk.answer`, checked by ``ng.Exercise``)
or skipped them.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``record(pg, phase)``          a real pass, recorded: a :class:`Walk` at its first step
``Walk``                       steps, position; ``mask``, ``next``, ``prev``, ``answer``
=============================  ========================================================

>>> import neurograph as ng
>>> from neurograph.playground import Playground
>>> ex = ng.textbook.mazur()
>>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
>>> w = record(pg, "backward")
>>> [s["neuron"] for s in w.steps], w.steps[0]["values"]["params"]["w5"]
(['o1', 'o2', 'h1', 'h2'], 0.08216704056423078)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Tuple

from ..core.arithmetic import number_text
from .equations import step_lines
from .errors import ApiError

__all__ = ["record", "Walk"]


def _run(pg: Any, phase: str, hook: Any) -> None:
    """The pass *phase* on the playground's sample, *hook* told about the walk's neurons."""
    net, seq = pg.net, pg.sequences
    loss = pg.settings.loss
    if phase == "forward":
        net.zero_grad()
        handle = net.add_hook(hook, on=("forward",))
        try:                                # (net.loss runs the forward pass, hooks told)
            if seq:
                net.forward_sequence(pg.x)
            pg.loss_value = None if seq else net.loss(pg.x, pg.y, loss=loss)
        finally:
            handle.remove()
        return
    net.forward_sequence(pg.x) if seq else net.forward(pg.x)
    net.zero_grad()
    handle = net.add_hook(hook, on=("backward",))
    try:
        pg.loss_value = net.backward_sequence(pg.y, loss=loss) if seq else \
            net.backward(pg.y, loss=loss)
    finally:
        handle.remove()


def record(pg: Any, phase: str, quiz: bool = False) -> "Walk":
    """A real *phase* pass on the playground's sample, recorded step by step."""
    if phase not in ("forward", "backward"):
        raise ApiError(400, "phase must be 'forward' or 'backward', got %r" % (str(phase)[:40],))
    net = pg.net
    ids = {id(n) for n in net.neurons}
    events: List[Dict[str, Any]] = []

    def hook(event: str, obj: Any) -> None:
        if id(obj) in ids:
            vals: Dict[str, Any] = ({"z": obj.z, "a": obj.a} if phase == "forward"
                                    else {"delta": obj.delta, "grad_a": obj.grad_a})
            params = {obj.bias.name: obj.bias.grad} if obj.bias is not None and \
                phase == "backward" else {}
            events.append({"obj": obj, "time": net.step, "extra": [], "values": vals,
                           "params": params})
        elif events:
            events[-1]["extra"].append(obj)
            if phase == "backward" and hasattr(obj, "param"):
                events[-1]["params"][obj.param.name] = obj.grad

    _run(pg, phase, hook)
    pg.phase = phase
    last_use: Dict[str, int] = {}
    for k, e in enumerate(events):
        for name in e["params"]:
            last_use[name] = k
    steps = []
    for k, e in enumerate(events):
        n = e["obj"]
        step = {"neuron": n.name, "time": e["time"], "obj": n, "extra": e["extra"],
                "values": {"neuron": e["values"], "params": e["params"]},
                "complete": sorted(name for name, at in last_use.items() if at == k)}
        step.update(_header(step_lines(net, n, phase, e["time"], e["extra"], lines=False)))
        steps.append(step)
    return Walk(phase, steps, pg.sequences, quiz, net)


def _header(step: Dict[str, Any]) -> Dict[str, Any]:
    return {k: step[k] for k in ("neuron", "time", "connections", "uses", "bias")}


class Walk:
    """The recorded steps of one pass and the position in them (0: the first step shown).

    In a quiz the quantities of the step at the frontier (the first step not
    yet given or skipped) are asked one by one, and that step's numbers stay
    hidden until each is given.
    """

    def __init__(self, phase: str, steps: List[Dict[str, Any]], sequences: bool,
                 quiz: bool = False, net: Any = None) -> None:
        self.phase, self.steps, self.sequences, self.net = phase, steps, sequences, net
        self.pos = 0
        self.quiz = quiz
        self.frontier = 0               # quiz: steps before this one are revealed
        self.given: Set[str] = set()    # quiz: quantities of the frontier step given
        self.right = self.asked = 0
        self._exercise: Any = None

    # -- what is asked, what is shown ----------------------------------------------
    def asks(self, k: int) -> List[str]:
        """The quantity names (``ng.Exercise``'s) a quiz asks at step *k*."""
        s = self.steps[k]
        at = "" if s["time"] is None else "@%d" % s["time"]
        attrs = ("z", "a") if self.phase == "forward" else ("delta",)
        return ["%s.%s%s" % (s["neuron"], attr, at) for attr in attrs]

    @property
    def asking(self) -> Optional[str]:
        """The quantity the quiz asks now, or None (no quiz, or this step is revealed)."""
        if not self.quiz or self.pos != self.frontier or self.frontier >= len(self.steps):
            return None
        left = [q for q in self.asks(self.frontier) if q not in self.given]
        return left[0] if left else None

    def _shown(self, k: int) -> Dict[str, Any]:
        """The values of step *k* that may be shown now."""
        vals = self.steps[k]["values"]
        if not self.quiz or k < self.frontier:
            return vals
        if self.phase == "forward":
            keep = {q.split(".")[1].split("@")[0] for q in self.given}
            return {"neuron": {a: v for a, v in vals["neuron"].items() if a in keep},
                    "params": {}}
        return vals if self.asks(k)[0] in self.given else {"neuron": {}, "params": {}}

    def reached(self) -> Dict[str, Any]:
        """Every value reached so far: ``neurons`` by (name, time), ``params`` by name."""
        neurons: Dict[Any, Dict[str, Any]] = {}
        params: Dict[str, Any] = {}
        for k in range(self.pos + 1):
            s = self.steps[k]
            shown = self._shown(k)
            neurons.setdefault((s["neuron"], s["time"]), {}).update(shown["neuron"])
            params.update(shown["params"])
        return {"neurons": neurons, "params": params}

    @property
    def time(self) -> Optional[int]:
        """The time step of the current step (None outside a sequence)."""
        return self.steps[self.pos]["time"] if self.steps else None

    def mask(self, neurons: List[Dict[str, Any]], conns: List[Dict[str, Any]],
             biases: List[Dict[str, Any]]) -> None:
        """Replace, in the state's lists, every number the walk has not reached by None and
        the reached ones by what the pass had written then."""
        seen = self.reached()
        t = self.time
        for n in neurons:
            got = seen["neurons"].get((n["name"], t), {})
            if self.phase == "forward":
                if not n["input"]:
                    n["z"], n["a"] = _text(got.get("z")), _text(got.get("a"))
            else:
                n["delta"], n["grad_a"] = _text(got.get("delta")), _text(got.get("grad_a"))
        for c in conns + biases:
            c["grad"] = _text(seen["params"].get(c["name"])) if self.phase == "backward" else None

    def describe(self) -> Dict[str, Any]:
        """The walk part of the page's state: position, the current step (its lines and
        MathML hidden while a quiz asks for its numbers), the quiz."""
        step = dict(_header(self.steps[self.pos]), position=self.pos, total=len(self.steps))
        if self.asking is None:
            step["lines"], step["mathml"] = self.lines(self.pos)
        else:
            step["lines"], step["mathml"] = [], []
        out = {"phase": self.phase, "position": self.pos, "total": len(self.steps),
               "step": step, "headers": [_header(s) for s in self.steps], "quiz": None}
        if self.quiz:
            out["quiz"] = {"asking": self.asking, "right": self.right, "asked": self.asked,
                           "given": sorted(self.given)}
        return out

    def lines(self, k: int) -> Tuple[List[str], List[Any]]:
        """The lines and MathML of step *k*, written by ``net.explain`` when the walk first
        shows that step (the net holds the recorded pass while the walk lasts: any other
        change ends the walk)."""
        s = self.steps[k]
        if "lines" not in s:
            written = step_lines(self.net, s["obj"], self.phase, s["time"], s["extra"])
            s["lines"], s["mathml"] = written["lines"], written["mathml"]
        return s["lines"], s["mathml"]

    # -- moving ----------------------------------------------------------------------
    def next(self) -> bool:
        """One step on (in a quiz at the frontier: skip its quantities, revealing them);
        False when the walk has gone past its last step."""
        if self.quiz and self.pos == self.frontier:
            self.frontier += 1
            self.given = set()
        if self.pos + 1 >= len(self.steps):
            return False
        self.pos += 1
        return True

    def prev(self) -> None:
        """One step back (a 400 at the first step)."""
        if self.pos == 0:
            raise ApiError(400, "this is the first step of the walk: there is no step before")
        self.pos -= 1

    def answer(self, pg: Any, name: Any, answer: Any) -> Dict[str, Any]:
        """Check the student's *answer* for the quantity the quiz asks (``ng.Exercise``);
        a right one is revealed and the quiz moves to the next quantity."""
        asking = self.asking
        if asking is None:
            raise ApiError(400, "the quiz asks for nothing now: press quiz to start one, or "
                           "Next to go on")
        if name is not None and name != asking:
            raise ApiError(400, "the quiz asks for %s, not %r" % (asking, str(name)[:60]))
        if isinstance(answer, bool) or not isinstance(answer, (str, int, float)):
            raise ApiError(400, "answer must be a number (a string such as \"0.1385\")")
        exercise = self.exercise(pg)
        exercise.ask = [asking]            # (the walk's own quantity names: always known)
        check = exercise.check({asking: answer})[asking]
        self.asked += 1
        out = {"name": asking, "answer": check.answer, "correct": check.correct,
               "mistake": check.mistake, "diagnosis": check.diagnosis,
               "expected": None, "lines": []}
        if check.correct:
            self.right += 1
            self.given.add(asking)
            out["expected"], out["lines"] = number_text(check.expected), list(check.lines)
            if all(q in self.given for q in self.asks(self.frontier)):
                self.next()
        return out

    def exercise(self, pg: Any) -> Any:
        """The ``ng.Exercise`` of this pass: the playground's net, sample and loss."""
        if self._exercise is None:
            from ..textbook import Example, Exercise
            from ..net import Net
            net = Net.from_dict(pg.net.to_dict())
            spec = {"sequence": True} if self.sequences else {}
            ex = Example(net, pg.x, pg.y, None, spec, name=pg.title, loss=pg.settings.loss)
            self._exercise = Exercise(ex, ask=[])
        return self._exercise


def _text(v: Any) -> Optional[str]:
    return None if v is None else number_text(v)
