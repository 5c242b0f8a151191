"""The details panel's explanations: ``net.explain`` of one name, and the update after Step.

``explain`` answers with what ``net.explain`` writes (plain lines and
MathML): a neuron's delta (at a time step of a sequence), a parameter's
gradient.  During a walk it explains only what the walk has reached.  With
``"update": true`` after Step it explains the update of a weight or bias:
the gradient's chain rule at the weights before the step and the update
line, ``w+ = w - eta * dE/dw`` with the numbers, as ``explain`` writes it for
plain SGD; for momentum, weight decay and Adam the step's numbers come from
the optimizer itself (the value before and after, and its state after the
step: the velocity, Adam's moments).

=============================  ========================================================
name                           what it is
=============================  ========================================================
``explain(pg, body)``          ``{"name", "text", "lines", "mathml", ...}``
=============================  ========================================================

>>> import neurograph as ng
>>> from neurograph.playground import Playground
>>> ex = ng.textbook.mazur()
>>> pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
>>> _ = pg.act("step")
>>> pg.act("explain", {"name": "w5", "update": True})["lines"][-1]
'w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480   [update]'
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.arithmetic import number_text
from ..core.errors import StateError
from .equations import explained
from .errors import ApiError

__all__ = ["explain"]


def _reached(pg: Any, obj: Any, name: str, t: Optional[int]) -> bool:
    """Has the walk reached the number *name* explains (a delta, or a complete gradient)?"""
    walk = pg.walk
    if walk.phase != "backward":
        return False
    if not hasattr(obj, "param"):
        got = walk.reached()["neurons"].get((name, t), {})
        return got.get("delta") is not None
    pname = obj.param.name
    seen = walk.reached()["params"]
    return pname in seen and any(pname in walk.steps[k]["complete"]
                                 for k in range(walk.pos + 1))


def explain(pg: Any, body: Dict[str, Any]) -> Dict[str, Any]:
    """``net.explain(name)`` of the body's ``name`` (``step``: a time step of a sequence;
    ``update``: the update of the last Step)."""
    name = body.get("name")
    if not isinstance(name, str):
        raise ApiError(400, "explain needs a name (a string)")
    update = body.get("update", False)
    if not isinstance(update, bool):
        raise ApiError(400, "update must be true or false, got %r" % (str(update)[:40],))
    net = pg.net
    obj = net[name]
    if update:
        return _update(pg, name, obj)
    step = body.get("step")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int)
                             or not pg.recurrent or not 0 <= step < len(pg.x)):
        raise ApiError(400, "step must be a time step of the sequence (0 to %d), got %r"
                       % (len(pg.x) - 1 if pg.recurrent else -1, str(step)[:40]))
    neuron = not hasattr(obj, "param")
    t = (step if step is not None else pg.view_time()) if pg.recurrent and neuron else None
    if pg.walk is not None:
        if not _reached(pg, obj, name, t):
            raise ApiError(400, "the walk has not reached the numbers of %s yet: press Next"
                           % name)
    elif pg.phase != "backward":
        raise StateError("no backward pass yet: press Backward to see the chain rule for %s"
                         % name)
    e = net.explain(name, step=t) if t is not None else net.explain(name)
    lines, mathml = explained(e)
    return {"name": name, "step": t, "text": str(e), "lines": lines, "mathml": mathml}


def _update(pg: Any, name: str, obj: Any) -> Dict[str, Any]:
    """The chain rule of the last Step's gradient of *name* and its update."""
    from ..net import Net
    u = pg.last_update
    if u is None:
        raise ApiError(400, "no Step yet: press Step to see the update of %s" % name)
    if not hasattr(obj, "param"):
        raise ApiError(400, "%s is a neuron: a weight or a bias has an update" % name)
    pname = obj.param.name
    if pname not in u["after"]:
        raise ApiError(400, "%s was not part of the last Step" % name)
    copy = Net.from_dict(pg.net.to_dict())      # the net as the step found it
    for pn, v in u["before"].items():
        other = copy[pn]
        if hasattr(other, "weight"):
            other.weight = v
        else:
            other.value = v
    s = u["settings"]
    loss = s.loss
    if pg.recurrent:
        copy.forward_sequence(u["x"])
        copy.backward_sequence(u["y"], loss=loss)
    else:
        copy.forward(u["x"])
        copy.backward(u["y"], loss=loss)
    plain = s.optimizer == "sgd" and copy.number_system.convert(s.weight_decay, "decay") == 0
    e = copy.explain(name, lr=copy.number_system.convert(s.lr, "lr") if plain else None)
    lines, mathml = explained(e)
    before, after = u["before"][pname], u["after"][pname]
    state = u["state"].get(pname, {})
    if not plain:
        lines = lines + [_step_line(name, s, before, after, state)]
    return {"name": name, "step": None, "text": "\n".join(lines), "lines": lines,
            "mathml": mathml,
            "update": {"optimizer": s.optimizer, "before": number_text(before),
                       "after": number_text(after), "grad": number_text(u["grads"][pname]),
                       "state": {k: number_text(v) for k, v in state.items()}}}


def _step_line(name: str, s: Any, before: Any, after: Any, state: Dict[str, Any]) -> str:
    """The optimizer's step of *name*, written from the numbers the optimizer holds."""
    def f(v: Any) -> str:
        return number_text(v, places=9) if isinstance(v, float) else number_text(v)
    kind = {"sgd": "SGD", "momentum": "SGD with momentum %s" % s.momentum,
            "adam": "Adam"}[s.optimizer]
    if s.weight_decay not in ("0", "0.0"):
        kind += ", weight decay %s" % s.weight_decay
    terms: List[str] = ["%s %s" % ({"velocity": "velocity v", "m": "first moment m",
                                    "v": "second moment v"}.get(k, k), f(v))
                        for k, v in state.items()]
    held = ("; the optimizer's state after the step: %s" % ", ".join(terms)) if terms else ""
    return "%s+ = %s (was %s): the %s step, lr %s%s   [update]" % (
        name, f(after), f(before), kind, s.lr, held)
