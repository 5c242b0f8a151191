"""The details panel's explanations: ``net.explain`` of one name, and the update after Step.

``explain`` answers with what ``net.explain`` writes (plain lines and
MathML): a neuron's delta (at a time step of a sequence), a parameter's
gradient.  During a walk it explains only what the walk has reached.  With
``"update": true`` after Step it explains the update of a weight or bias:
the gradient's chain rule at the weights before the step, then the update
in the optimizer's own terms (``net.explain(name, optimizer=opt)``:
``w+ = w - eta * dE/dw`` for SGD, the decayed gradient, the velocity,
Adam's moments and their bias corrections, with the numbers).

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

from typing import Any, Dict, Optional

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
    """The chain rule of the last Step's gradient of *name* and the update the optimizer
    made: ``net.explain(name, optimizer=opt)`` on the net and optimizer as the step found
    them (kept as a model file), after the same passes."""
    from ..net import Net
    from ..persistence import checkpoint_from_dict
    u = pg.last_update
    if u is None:
        raise ApiError(400, "no Step yet: press Step to see the update of %s" % name)
    if not hasattr(obj, "param"):
        raise ApiError(400, "%s is a neuron: a weight or a bias has an update" % name)
    pname = obj.param.name
    if pname not in u["after"]:
        raise ApiError(400, "%s was not part of the last Step" % name)
    ck = checkpoint_from_dict(u["before"], net_class=Net)
    net, opt = ck.net, ck.optimizer
    if pg.recurrent:
        net.forward_sequence(u["x"])
        net.backward_sequence(u["y"], loss=u["loss"])
    else:
        net.forward(u["x"])
        net.backward(u["y"], loss=u["loss"])
    before = net[pname].value
    e = net.explain(name, optimizer=opt)
    lines, mathml = explained(e)
    return {"name": name, "step": None, "text": str(e), "lines": lines, "mathml": mathml,
            "update": {"optimizer": u["optimizer"], "before": number_text(before),
                       "after": number_text(u["after"][pname]),
                       "grad": number_text(net[pname].grad)}}
