"""The actions of the playground's API, one function each: what ``Playground.act`` runs.

Each function takes the :class:`~neurograph.playground.state.Playground` and
the request's JSON object, checks every value first (a bad one is an
:class:`~neurograph.playground.errors.ApiError` with status 400), then
changes the state; ``act`` runs it as a transaction, so a failure half way
puts everything back.  The answer of an action in ``CHANGES`` is the state;
the others return their own dict.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``ACTION_FUNCTIONS``           action name -> ``fn(pg, body)``
=============================  ========================================================

>>> sorted(ACTION_FUNCTIONS)[:4]
['answer', 'architecture', 'backward', 'dataset']
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from .architecture import build, checked, describe
from .chunks import MAX_EPOCHS, MAX_SECONDS
from .details import explain
from .errors import ApiError
from .models import load_file, model_file_of
from .pictures import heatmaps
from .stepping import record
from .values import frame_values, num, thin

__all__ = ["ACTION_FUNCTIONS"]


def _whole(body: Dict[str, Any], key: str, default: Any, low: int, high: int) -> int:
    v = body.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise ApiError(400, "%s must be a whole number from %d to %d, got %r"
                       % (key, low, high, str(v)[:40]))
    return v


def _seconds(body: Dict[str, Any]) -> float:
    v = body.get("seconds", 0.2)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.01 <= v <= MAX_SECONDS:
        raise ApiError(400, "seconds must be a number from 0.01 to %s, got %r"
                       % (MAX_SECONDS, str(v)[:40]))
    return float(v)


# ---------------------------------------------------------------------------
# The sample, the passes, training
# ---------------------------------------------------------------------------

def _sample(pg: Any, body: Dict[str, Any]) -> None:
    """Choose the sample; a chosen sample runs forward at once."""
    if pg.set_sample(body):
        pg.forward()


def _train(pg: Any, body: Dict[str, Any]) -> int:
    epochs = _whole(body, "epochs", 1, 1, MAX_EPOCHS)
    seconds = _seconds(body)
    done = pg.epochs.run(pg, epochs, seconds)
    pg.forward()
    return done


def _play(pg: Any, body: Dict[str, Any]) -> Dict[str, Any]:
    """A chunk of training and the numbers that changed (no structure): a frame."""
    since = _whole(body, "since", 0, 0, 10 ** 9)
    pictures = body.get("heatmaps", False)
    if not isinstance(pictures, bool):
        raise ApiError(400, "heatmaps must be true or false, got %r" % (str(pictures)[:40],))
    done = _train(pg, body)
    rows = [r for r in pg.history[-2000:] if r["epoch"] > since]
    return {"model": pg.model_id, "epoch": len(pg.history), "done": done,
            "progress": pg.epochs.progress(len(pg.train_pairs)), "history": thin(rows, 200),
            "values": frame_values(pg.net, True, pg.view_time()), "loss": num(pg.loss_value),
            "outputs": [num(n.a) for n in pg.net.outputs], "steps": pg.steps,
            "phase": pg.phase, "heatmaps": heatmaps(pg) if pictures else None}


def _edit(pg: Any, body: Dict[str, Any]) -> None:
    """Set a weight or a bias, then run the passes the state shows again."""
    name, value = body.get("name"), body.get("value")
    if not isinstance(name, str) or isinstance(value, bool) or \
            not isinstance(value, (str, int, float)):
        raise ApiError(400, "edit needs a name and a value (a string such as \"0.25\")")
    obj = pg.net[name]
    if not hasattr(obj, "param"):
        raise ApiError(400, "%s is a neuron: edit a weight or a bias" % name)
    v = pg.net.number_system.convert(value, "new value of %s" % name)
    if hasattr(obj, "weight"):
        obj.weight = v
    else:
        obj.value = v
    was = pg.phase
    pg.forward()
    if was == "backward":
        pg.backward()


# ---------------------------------------------------------------------------
# Settings, data, architecture, files
# ---------------------------------------------------------------------------

def _settings(pg: Any, body: Dict[str, Any]) -> None:
    new = pg.settings.changed(pg.net, body)
    opt = new.make_optimizer(pg.net)
    if new.loss != pg.settings.loss:
        pg.phase, pg.loss_value = "none", None
    pg.settings, pg.opt = new, opt


def _reset(pg: Any, body: Dict[str, Any]) -> None:
    """The net, settings, data and title the playground started with."""
    from ..net import Net
    start_net, settings, data, title = pg._start
    pg.data, pg.title, pg.notice = data, title, ""
    pg._install(Net.from_dict(start_net), settings)


def _load(pg: Any, body: Dict[str, Any]) -> None:
    net, settings, data, title, notice = load_file(body, pg)
    pg.data, pg.title, pg.notice = data, title, notice
    pg._install(net, settings)


def _new_net(pg: Any, data: Any, arch: Dict[str, Any]) -> Any:
    """A new net for the samples of *data* with the hidden layers of *arch* (seeded)."""
    shape = data.shape()
    if shape is None:
        shape = (len(pg.net.inputs), len(pg.net.outputs))
    if data.kind != "own":
        arch = dict(arch, recurrent=False,
                    output="softmax" if shape[1] > 1 and data.labelled else "sigmoid")
    if not arch["hidden"]:
        arch = dict(arch, hidden=[4], activations=["tanh"])
    return build(shape, arch, pg.net.number, seed=0)


def _dataset(pg: Any, body: Dict[str, Any]) -> None:
    """Another data set, noise, split, seed or features; a new net when the shape changes
    (the model's own data brings back the starting net)."""
    from ..net import Net
    from .settings import default_loss, loss_for
    data = pg.data.changed(body)
    net, settings = pg.net, pg.settings
    same = data.kind == pg.data.kind and data.shape() == (len(net.inputs), len(net.outputs))
    start = Net.from_dict(pg._start[0]) if data.kind == "own" and pg.data.kind != "own" else None
    if start is not None and data.shape() in (None, (len(start.inputs), len(start.outputs))):
        net, settings, same = start, pg._start[1], True          # the model's own net again
    if not same:
        net = _new_net(pg, data, describe(net))
        loss = "binary_cross_entropy" if len(net.outputs) == 1 and data.labelled else \
            default_loss(net)
        settings = settings._replace(loss=loss_for(loss, net))
    pg.data, pg.notice = data, ""
    pg._install(net, settings.for_net(net))


def _architecture(pg: Any, body: Dict[str, Any]) -> None:
    """A new seeded net with the hidden layers the body asks for; the settings stay."""
    arch = checked(body, describe(pg.net))
    net = build((len(pg.net.inputs), len(pg.net.outputs)), arch, pg.net.number, seed=0)
    pg._install(net, pg.settings.for_net(net))


def _time(pg: Any, body: Dict[str, Any]) -> None:
    if not pg.recurrent:
        raise ApiError(400, "time steps are for a recurrent net; this one has none")
    pg.time_step = _whole(body, "step", None, 0, len(pg.x) - 1)


# ---------------------------------------------------------------------------
# Walking, the quiz
# ---------------------------------------------------------------------------

def _walk(pg: Any, body: Dict[str, Any], quiz: bool = False) -> Dict[str, Any]:
    pg.walk = walk = record(pg, body.get("phase", "backward"), quiz)
    state = pg.state()
    steps = [dict(h, lines=walk.lines(k)[0] if k <= walk.pos and walk.asking is None
                  else None) for k, h in enumerate(state["walk"]["headers"])]
    return {"phase": walk.phase, "steps": steps, "position": walk.pos, "total": len(steps),
            "step": state["walk"]["step"], "state": state}


def _next(pg: Any, body: Dict[str, Any]) -> None:
    if pg.walk is None:
        raise ApiError(400, "no walk to go on with: start one with the action walk (Next)")
    if not pg.walk.next():
        pg.walk = None                  # past the last step: the whole pass is shown


def _prev(pg: Any, body: Dict[str, Any]) -> None:
    if pg.walk is None:
        raise ApiError(400, "no walk to go back in: start one with the action walk (Next)")
    pg.walk.prev()


def _answer(pg: Any, body: Dict[str, Any]) -> Dict[str, Any]:
    walk = pg.walk
    if walk is None or not walk.quiz:
        raise ApiError(400, "no quiz is running: start one with the action quiz")
    out = walk.answer(pg, body.get("name"), body.get("answer"))
    if walk.frontier >= len(walk.steps):
        pg.walk = None
    out["state"] = pg.state()
    return out


def _heatmaps(pg: Any, body: Dict[str, Any]) -> Dict[str, Any]:
    size = _whole(body, "size", 32, 2, 64)
    return {"model": pg.model_id, "heatmaps": heatmaps(pg, size)}


def _model(pg: Any, body: Dict[str, Any]) -> Dict[str, Any]:
    return model_file_of(pg)


ACTION_FUNCTIONS: Dict[str, Callable[[Any, Dict[str, Any]], Any]] = {
    "state": lambda pg, b: pg.state(),
    "model": _model,
    "sample": _sample,
    "forward": lambda pg, b: (pg.set_sample(b), pg.forward()),
    "backward": lambda pg, b: (pg.set_sample(b), pg.backward()),
    "step": lambda pg, b: (pg.set_sample(b), pg.step()),
    "train": _train,
    "edit": _edit,
    "settings": _settings,
    "reset": _reset,
    "load": _load,
    "dataset": _dataset,
    "architecture": _architecture,
    "time": _time,
    "next": _next,
    "prev": _prev,
    "explain": explain,
    "walk": _walk,
    "quiz": lambda pg, b: _walk(pg, b, quiz=True),
    "answer": _answer,
    "play": _play,
    "heatmaps": _heatmaps,
}
