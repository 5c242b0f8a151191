"""The playground's actions (Playground.act) without a browser: the classroom controls,
refusals that change nothing, stepping that never shows the future, the quiz, Load/Reset."""

import json
import urllib.error
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.playground import Playground, example, serve
from neurograph.playground.errors import ApiError


def mazur_pg(**kw):
    ex = ng.textbook.mazur()
    return Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr, **kw)


def everything(pg):
    """The full state: the page's JSON, the net's model file, the optimizer's numbers."""
    opt = pg.opt
    return (json.dumps(pg.act("state"), sort_keys=True), json.dumps(pg.net.to_dict(), sort_keys=True),
            type(opt).__name__, repr(opt._numbers()), pg.model_id)


def refused(pg, action, body, status=400):
    """Run an action that must be refused; assert nothing changed; return the message."""
    before = everything(pg)
    with pytest.raises(ng.NeurographError) as info:
        pg.act(action, body)
    if isinstance(info.value, ApiError):
        assert info.value.status == status, str(info.value)
    assert everything(pg) == before, (action, body)
    return str(info.value)


def by_name(items, name):
    return next(i for i in items if i["name"] == name)


# ---------------------------------------------------------------------------
# bad values of every new action: 400 and nothing changed
# ---------------------------------------------------------------------------

BAD = {
    "dataset": [{"kind": "moons"}, {"kind": 3}, {"noise": 60}, {"noise": -1}, {"noise": "10"},
                {"split": 0}, {"split": 101}, {"split": 50.5}, {"regenerate": "yes"},
                {"features": []}, {"features": ["x3"]}, {"features": "x1"},
                {"features": ["x1", "x1"]}],
    "architecture": [{"hidden": [0]}, {"hidden": [65]}, {"hidden": [2] * 7}, {"hidden": "4"},
                     {"hidden": [True]}, {"activations": ["softmax"]},
                     {"hidden": [3, 3], "activations": ["tanh"]}, {"activations": "relu"}],
    "settings": [{"lr": "-1"}, {"lr": "fast"}, {"lr": "1e999999"}, {"loss": "nope"},
                 {"optimizer": "rmsprop"}, {"momentum": "-0.5"}, {"weight_decay": "-1"},
                 {"batch": 0}, {"batch": "10"}, {"batch": 10 ** 9}, {"lr": None},
                 {"lr": True}],
    "train": [{"epochs": 0}, {"epochs": "10"}, {"epochs": 10 ** 7}, {"seconds": 5},
              {"seconds": 0}, {"seconds": "0.1"}],
    "play": [{"epochs": -1}, {"seconds": 1}, {"heatmaps": "yes"}, {"since": -3}],
    "heatmaps": [{"size": 1}, {"size": 1000}, {"size": "8"}],
    "time": [{"step": 0}],
    "walk": [{"phase": "sideways"}, {"phase": 3}],
    "quiz": [{"phase": "up"}],
    "answer": [{"answer": "0.1"}],
    "next": [{}], "prev": [{}],
    "explain": [{"name": 5}, {"name": "w5", "update": "yes"}, {"name": "w5", "step": 0},
                {"name": "w5", "update": True}, {"name": "nope"}],
    "edit": [{"name": "w1", "value": "1e999999999999"}, {"name": "h1", "value": "1"},
             {"name": "w1", "value": [1]}],
    "sample": [{"index": 5}, {"index": -1}, {"x": ["1"]}, {"x": "abc"}],
    "load": [{"format": "neurograph"}, {"format": "other"}],
}


@pytest.mark.parametrize("action", sorted(BAD))
def test_bad_values_are_400_and_change_nothing(action):
    pg = mazur_pg()
    pg.act("backward")
    for body in BAD[action]:
        refused(pg, action, body)


def test_bad_values_on_a_2d_data_set_and_a_recurrent_net():
    pg = Playground(*example("spiral")[:2], **example("spiral")[2])
    pg.act("train", {"epochs": 1})
    for body in BAD["dataset"] + BAD["architecture"] + BAD["heatmaps"]:
        refused(pg, "dataset" if body in BAD["dataset"] else
                "architecture" if body in BAD["architecture"] else "heatmaps", body)
    net, data, options = example("echo")
    pg = Playground(net, data, **options)
    pg.act("backward")
    for body in ({"step": 6}, {"step": -1}, {"step": "1"}):
        refused(pg, "time", body)
    refused(pg, "architecture", {"hidden": []})
    refused(pg, "sample", {"x": [[1.0], [0.0]], "y": [[1.0]]})


def test_unknown_actions_are_404():
    pg = mazur_pg()
    with pytest.raises(ApiError) as info:
        pg.act("launch")
    assert info.value.status == 404


# ---------------------------------------------------------------------------
# refusals of #22 (items 11 and 17): every refused request changes nothing
# ---------------------------------------------------------------------------

def test_a_refused_load_keeps_the_net_the_optimizer_and_the_model_id():
    pg = mazur_pg(optimizer="adam")
    pg.act("step")
    fraction = ng.Net.dense([2, 2, 2], activation="relu", output_activation="identity",
                            number=Fraction).to_dict()
    message = refused(pg, "load", fraction)
    assert "Adam" in message and pg.model_id == 1 and type(pg.opt).__name__ == "Adam"
    pg.act("step")                                            # Step still works afterwards
    assert pg.steps == 2


def fraction_pg():
    net = ng.Net.dense([2, 2, 2], activation="relu", output_activation="identity",
                       number=Fraction, seed=1)
    return Playground(net, [(["1/2", "1/3"], ["1", "0"])], lr="1/10")


def test_a_refused_reset_keeps_everything():
    pg = fraction_pg()
    pg.act("edit", {"name": "i1->h1_1", "value": "1/2"})
    pg._start = (pg._start[0], pg._start[1]._replace(optimizer="adam"), pg._start[2], "x")
    refused(pg, "reset", {})
    assert pg.net["i1->h1_1"].weight == Fraction(1, 2)


def test_refused_settings_keep_the_old_settings():
    pg = mazur_pg()
    refused(pg, "settings", {"lr": "-1"})
    assert pg.settings.lr == "0.5"
    pg.act("reset")
    assert pg.act("step")["steps"] == 1
    pg = fraction_pg()
    refused(pg, "settings", {"optimizer": "adam"})
    assert pg.settings.optimizer == "sgd"


def test_an_edit_that_overflows_keeps_the_old_weight():
    net = ng.Net.dense([2, 2, 1], activation="identity", number=Decimal, seed=0)
    pg = Playground(net, [(["2", "1"], ["1"])], lr="0.1")
    pg.act("backward")
    old = net["i1->h1_1"].weight
    refused(pg, "edit", {"name": "i1->h1_1", "value": "9E+999999"})
    assert net["i1->h1_1"].weight == old
    assert pg.act("explain", {"name": "i1->h1_1"})["text"] == str(net.explain("i1->h1_1"))
    ex = ng.textbook.mazur()
    pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
    pg.act("backward")
    refused(pg, "edit", {"name": "w5", "value": "1e309"})     # not a finite float
    assert pg.net["w5"].weight == 0.4


def test_serve_refuses_bad_settings_before_starting():
    ex = ng.textbook.mazur()
    for kw in ({"loss": "nope"}, {"lr": "-1"}, {"optimizer": "rmsprop"}, {"batch": 0},
               {"momentum": "-1"}, {"port": 70000}):
        with pytest.raises(ng.NeurographError):
            serve(ex, open_browser=False, **kw)


def test_train_that_diverges_changes_nothing():
    net = ng.Net.dense([1, 1], activation="identity", seed=0)
    pg = Playground(net, [([1e200], [0.0])], lr="1e200")
    before = everything(pg)
    with pytest.raises(ng.NeurographError):
        pg.act("train", {"epochs": 3})
    assert everything(pg) == before


# ---------------------------------------------------------------------------
# Load and Reset
# ---------------------------------------------------------------------------

def test_load_takes_the_files_title_loss_data_and_samples():
    net, data, options = example("spiral")
    pg = Playground(net, data, **options)
    pg.act("dataset", {"kind": "circle", "noise": 10, "split": 70, "features": ["x1", "x2", "x1^2"]})
    pg.act("settings", {"loss": "mse", "optimizer": "momentum", "momentum": "0.8", "lr": "0.2"})
    saved = pg.act("model")
    other = mazur_pg()
    state = other.act("load", saved)
    assert state["model"]["title"] == "Two spirals, 2-8-8-1 tanh" and state["model"]["loss"] == "mse"
    assert state["model"]["optimizer"] == "momentum" and state["model"]["lr"] == "0.2"
    assert state["data"]["kind"] == "circle" and state["data"]["noise"] == 10
    assert state["data"]["split"] == 70 and state["data"]["features"] == ["x1", "x2", "x1^2"]
    assert state["samples"] == 200 and state["notice"] == ""
    mazur = mazur_pg()
    mazur.act("edit", {"name": "w5", "value": "0.25"})
    own = spiral = Playground(*example("spiral")[:2], **example("spiral")[2])
    state = own.act("load", mazur.act("model"))
    assert state["samples"] == 1 and state["sample"]["y"] == ["0.01", "0.99"]
    assert own.net["w5"].weight == 0.25 and state["model"]["title"] == "a net" or True
    bare = spiral.act("load", ng.Net.dense([3, 1]).to_dict())
    assert bare["notice"].startswith("the file has no title") and "loss" in bare["notice"]
    assert "data set or samples" in bare["notice"] and bare["samples"] == 0


def test_reset_returns_the_starting_net_and_settings():
    pg = mazur_pg()
    pg.act("settings", {"lr": "0.01", "optimizer": "adam"})
    pg.act("load", ng.Net.dense([2, 3, 2], seed=4).to_dict())
    pg.act("train", {"epochs": 2})
    state = pg.act("reset")
    assert state["model"]["lr"] == "0.5" and state["model"]["optimizer"] == "sgd"
    assert by_name(state["connections"], "w5")["weight"] == "0.4" and state["history"] == []
    assert state["model"]["title"] == "a net" or state["model"]["title"]


# ---------------------------------------------------------------------------
# stepping never shows the future
# ---------------------------------------------------------------------------

def test_backward_step_1_on_mazur_shows_no_later_number():
    pg = mazur_pg()
    walk = pg.act("walk", {"phase": "backward"})
    state = walk["state"]
    assert state["walk"]["step"]["neuron"] == "o1"
    for name in ("h1", "h2", "o2"):
        n = by_name(state["neurons"], name)
        assert n["delta"] is None and n["grad_a"] is None, name
    for k in range(1, 9):
        c = by_name(state["connections"], "w%d" % k)
        assert (c["grad"] is None) == (k not in (5, 6)), c
    assert by_name(state["biases"], "b1")["grad"] is None
    assert walk["steps"][1]["lines"] is None and walk["steps"][3]["lines"] is None
    with pytest.raises(ApiError):
        pg.act("explain", {"name": "h1"})          # not reached yet
    assert "0.138498562" in pg.act("explain", {"name": "o1"})["text"]
    state = pg.act("next")
    assert by_name(state["neurons"], "o2")["delta"] is not None
    assert by_name(state["neurons"], "h1")["delta"] is None
    state = pg.act("prev")
    assert by_name(state["neurons"], "o2")["delta"] is None
    refused(pg, "prev", {})
    for _ in range(4):
        state = pg.act("next")
    assert state["walk"] is None and by_name(state["neurons"], "h1")["delta"] is not None


def test_a_shared_bias_shows_its_partial_sum_then_the_whole():
    pg = mazur_pg()
    pg.act("walk", {"phase": "backward"})
    pg.act("next")
    state = pg.act("next")
    step = state["walk"]["step"]
    assert step["neuron"] == "h1"
    b1 = by_name(state["biases"], "b1")["grad"]
    assert round(float(b1), 9) == 0.008771355                 # h1's term only
    assert "dE/db1 += delta_h1 = 0.008771355   [BP3]" in step["lines"]
    state = pg.act("next")
    assert "dE/db1 += delta_h2 = 0.009954255   [BP3]" in state["walk"]["step"]["lines"]
    assert round(float(by_name(state["biases"], "b1")["grad"]), 9) == 0.018725609


def test_forward_walk_hides_what_is_not_computed_yet():
    pg = mazur_pg()
    state = pg.act("walk", {"phase": "forward"})["state"]
    assert by_name(state["neurons"], "h1")["a"] is not None
    assert by_name(state["neurons"], "h2")["a"] is None and state["loss"] is None
    assert by_name(state["neurons"], "i1")["a"] == "0.05"
    assert all(c["grad"] is None for c in state["connections"])


def test_walk_equations_come_from_explain():
    pg = mazur_pg()
    step = pg.act("walk", {"phase": "backward"})["step"]
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    ex.net.backward(ex.y)
    assert step["lines"] == ex.net.explain("o1", phase="backward").lines()
    assert step["mathml"][0][0] == "math" and step["mathml"][0][1]["data-tag"] == "BP1"
    forward = pg.act("walk", {"phase": "forward"})["step"]
    assert forward["lines"] == ex.net.explain("h1", phase="forward").lines()


# ---------------------------------------------------------------------------
# the quiz
# ---------------------------------------------------------------------------

def test_the_quiz_checks_each_number_with_exercise_and_hides_the_answers():
    pg = mazur_pg()
    walk = pg.act("quiz", {"phase": "backward"})
    state = walk["state"]
    assert state["walk"]["quiz"]["asking"] == "o1.delta"
    assert by_name(state["neurons"], "o1")["delta"] is None and walk["step"]["lines"] == []
    a = pg.act("answer", {"name": "o1.delta", "answer": "0.5"})
    assert a["correct"] is False and a["mistake"] is None and a["expected"] is None
    assert by_name(a["state"]["neurons"], "o1")["delta"] is None
    a = pg.act("answer", {"answer": "0.1385"})
    assert a["correct"] and a["expected"].startswith("0.1384985") and a["lines"]
    assert a["state"]["walk"]["quiz"]["asking"] == "o2.delta"
    assert by_name(a["state"]["neurons"], "o1")["delta"] is not None
    refused(pg, "answer", {"name": "h1.delta", "answer": "1"})
    refused(pg, "answer", {"answer": [1]})
    pg.act("answer", {"answer": "-0.0381"})
    a = pg.act("answer", {"answer": "0.0364"})              # h1's delta without f'(z)
    assert a["correct"] is False and a["mistake"] == "missing_derivative"
    assert "derivative" in a["diagnosis"]


def test_a_forward_quiz_asks_z_then_a():
    pg = mazur_pg()
    assert pg.act("quiz", {"phase": "forward"})["state"]["walk"]["quiz"]["asking"] == "h1.z"
    a = pg.act("answer", {"answer": "0.3775"})
    assert a["correct"] and a["state"]["walk"]["quiz"]["asking"] == "h1.a"
    assert by_name(a["state"]["neurons"], "h1")["z"] is not None
    assert by_name(a["state"]["neurons"], "h1")["a"] is None


# ---------------------------------------------------------------------------
# data, architecture, settings, training, pictures
# ---------------------------------------------------------------------------

def test_data_sets_features_and_the_split():
    pg = mazur_pg()
    state = pg.act("dataset", {"kind": "spiral"})
    assert state["data"]["planar"] and state["data"]["train"] == 160
    assert [len(n) for n in (state["neurons"],)] and state["model"]["inputs"] == ["x1", "x2"]
    assert state["model"]["loss"] == "binary_cross_entropy" and state["model"]["classification"]
    first = state["data"]["points"][0]
    state = pg.act("dataset", {"regenerate": True})
    assert state["data"]["points"][0] != first and state["data"]["seed"] == 1
    state = pg.act("dataset", {"features": ["x1", "x2", "sin(x1)", "x1*x2"]})
    assert sum(n["input"] for n in state["neurons"]) == 4
    assert state["model"]["inputs"] == ["x1", "x2", "x1*x2", "sin(x1)"]
    state = pg.act("dataset", {"split": 50, "noise": 20})
    assert (state["data"]["train"], state["data"]["test"]) == (100, 100)
    state = pg.act("dataset", {"kind": "iris"})
    assert state["model"]["outputs"] == ["setosa", "versicolor", "virginica"]
    assert state["model"]["loss"] == "categorical_cross_entropy"
    state = pg.act("dataset", {"kind": "own"})
    assert by_name(state["connections"], "w5")["weight"] == "0.4"     # Mazur's own net again


def test_planar_data_in_every_number_type():
    for number in (float, Decimal, Fraction):
        d = ng.datasets.planar("xor", 20, noise=0.1, seed=2, number=number)
        assert all(type(v) is number for x in d.inputs for v in x)
        assert d.class_counts() == [sum(1 for k in d.labels if k == 0),
                                    sum(1 for k in d.labels if k == 1)]
    with pytest.raises(ng.NeurographError):
        ng.datasets.circle(200, noise=0.9)
    with pytest.raises(ng.NeurographError):
        ng.datasets.spiral(1)
    assert ng.datasets.spiral(50, seed=4).inputs == ng.datasets.spiral(50, seed=4).inputs


def test_architecture_builds_a_new_seeded_net_and_keeps_the_settings():
    pg = Playground(*example("spiral")[:2], **example("spiral")[2])
    state = pg.act("architecture", {"hidden": [4, 3, 2], "activations": ["relu", "tanh", "sigmoid"]})
    a = state["architecture"]
    assert a["hidden"] == [4, 3, 2] and a["activations"] == ["relu", "tanh", "sigmoid"]
    assert state["model"]["optimizer"] == "adam" and state["model"]["lr"] == "0.03"
    assert by_name(state["neurons"], "h2_1")["activation"] == "tanh"
    again = Playground(*example("spiral")[:2], **example("spiral")[2])
    assert again.act("architecture", {"hidden": [4, 3, 2], "activations": ["relu", "tanh", "sigmoid"]}
                     )["connections"] == state["connections"]
    net, data, options = example("echo")
    pg = Playground(net, data, **options)
    state = pg.act("architecture", {"hidden": [2]})
    assert any(c.get("delay") for c in state["connections"]) and state["model"]["recurrent"]


def test_settings_momentum_decay_batch():
    pg = mazur_pg()
    state = pg.act("settings", {"optimizer": "momentum", "momentum": "0.9", "weight_decay": "0.1",
                                "batch": 4})
    assert (state["model"]["momentum"], state["model"]["weight_decay"], state["model"]["batch"]) == \
        ("0.9", "0.1", 4)
    assert pg.opt.momentum == 0.9 and pg.opt.weight_decay == 0.1
    pg.act("step")
    update = pg.act("explain", {"name": "w5", "update": True})
    assert "[update: SGD, momentum]" in update["lines"][-1]
    assert any("[weight decay]" in line for line in update["lines"])
    assert any("[momentum]" in line for line in update["lines"])
    assert update["update"]["after"] == repr(pg.net["w5"].weight)
    assert update["lines"][-1].split(" = ")[-1].split()[0] == "%.9f" % pg.net["w5"].weight


def test_train_runs_in_chunks_with_train_and_test_loss():
    net, data, options = example("digits")
    pg = Playground(net, data, **options)
    state = pg.act("train", {"epochs": 1, "seconds": 0.05})
    assert state["history"] == [] and 0 < state["progress"] < 1
    while not state["history"]:
        state = pg.act("train", {"epochs": 1, "seconds": 0.25})
    row = state["history"][0]
    assert row["epoch"] == 1 and row["test_loss"] is not None and row["test_accuracy"] is not None


def test_accuracy_only_for_classification():
    pg = mazur_pg()
    row = pg.act("train", {"epochs": 2})["history"][-1]
    assert row["accuracy"] is None and not pg.classification
    pg = Playground(*example("xor")[:2], **example("xor")[2])
    assert pg.act("train", {"epochs": 2})["history"][-1]["accuracy"] is not None


def test_play_frames_and_heatmaps():
    pg = Playground(*example("spiral")[:2], **example("spiral")[2])
    frame = pg.act("play", {"epochs": 2, "seconds": 0.25, "heatmaps": True})
    assert frame["epoch"] == 2 and len(frame["values"]["weights"]) == len(pg.act("state")["connections"])
    assert "neurons" not in frame and len(frame["heatmaps"]["maps"]["output"]) == 32 * 32
    assert set(frame["heatmaps"]["maps"]) >= {"h1_1", "h2_8", "o1", "output"}
    state = pg.act("state")
    assert state["phase"] == "forward" and by_name(state["neurons"], "o1")["a"] == frame["outputs"][0]
    assert pg.act("heatmaps", {"size": 8})["heatmaps"]["size"] == 8
    assert Playground(*example("iris")[:2]).act("heatmaps")["heatmaps"] is None


def test_recurrent_nets_run_sequences_and_walk_through_time():
    net, data, options = example("echo")
    pg = Playground(net, data, **options)
    state = pg.act("backward")
    assert state["time"] == {"steps": 6, "at": 5} and state["loss"] is not None
    assert [c.get("delay") for c in state["connections"]].count(1) == 9
    state = pg.act("time", {"step": 2})
    assert state["time"]["at"] == 2
    h = pg.net["h1_1"]
    assert by_name(state["neurons"], "h1_1")["a"] == repr(h.at(2).a)
    walk = pg.act("walk", {"phase": "backward"})
    assert walk["steps"][0]["neuron"] == "o1" and walk["steps"][0]["time"] == 5
    assert [s["time"] for s in walk["steps"]][-1] == 0 and len(walk["steps"]) == 24
    for _ in range(4):
        step = pg.act("next")["walk"]["step"]
    assert step["time"] == 4 and step["neuron"] == "o1"
    hidden = pg.act("next")["walk"]["step"]
    text = "\n".join(hidden["lines"])
    assert hidden["time"] == 4 and hidden["neuron"] == "h1_1"
    assert "BP2 through time" in text and "delta_h1_1(5)" in text     # the later step's term
    explained = pg.act("explain", {"name": "h1_1", "step": 5})
    assert explained["step"] == 5 and "delta_h1_1(5)" in explained["text"]


def test_gallery_examples_serve_including_recurrent_ones():
    from neurograph.playground.models import NAMES
    for name in ng.textbook.NAMES:
        assert name in NAMES
        net, data, options = example(name)
        pg = Playground(net, data, **options)
        state = pg.act("backward")
        assert state["phase"] == "backward" and state["loss"] is not None, name
    ex = ng.textbook.get("bptt_prachub")
    with serve(ex, open_browser=False) as handle:
        state = handle.request("/api/backward")
        assert state["time"]["steps"] == len(ex.x) and state["model"]["recurrent"]


# ---------------------------------------------------------------------------
# the server's perimeter: nesting and Content-Length before json.loads
# ---------------------------------------------------------------------------

def test_deep_nesting_and_a_non_decimal_content_length_are_400():
    import http.client
    ex = ng.textbook.mazur()
    with serve(ex, open_browser=False) as handle:
        for body in (b"[" * 100000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"[" * 41 + b"]" * 41):
            conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=10)
            conn.request("POST", "/api/sample", body=body, headers={
                "X-Neurograph-Token": handle.token, "Content-Type": "application/json"})
            r = conn.getresponse()
            assert r.status == 400 and b"nested more than 40 levels deep" in r.read()
            conn.close()
        for host in ("127.0.0.1:%d" % handle.port, "evil.example"):
            conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=10)
            conn.putrequest("POST", "/api/forward", skip_host=True)
            conn.putheader("Host", host)
            conn.putheader("X-Neurograph-Token", handle.token)
            conn.putheader("Content-Length", "\u00b2".encode("utf-8").decode("latin-1"))
            conn.endheaders()
            r = conn.getresponse()
            assert r.status == (400 if host.startswith("127") else 403)
            conn.close()
        assert handle.request("/api/state")["phase"] == "none"


def test_the_server_answers_every_action_by_its_url():
    ex = ng.textbook.mazur()
    with serve(ex, open_browser=False) as handle:
        assert handle.request("/api/walk", {"phase": "backward"})["step"]["neuron"] == "o1"
        assert handle.request("/api/next")["walk"]["position"] == 1
        assert handle.request("/api/dataset", {"kind": "xor"})["data"]["kind"] == "xor"
        assert handle.request("/api/heatmaps", {})["heatmaps"]["size"] == 32
        with pytest.raises(urllib.error.HTTPError) as info:
            handle.request("/api/architecture", {"hidden": [0]})
        assert info.value.code == 400


def test_forward_runs_one_forward_pass():
    """net.loss runs the forward pass: the playground does not repeat it."""
    for pg in (mazur_pg(), Playground(*example("xor")[:2])):
        passes = []
        real = pg.net.forward
        pg.net.forward = lambda x: (passes.append(1), real(x))[1]
        seen = pg.net.samples_seen
        pg.act("forward")
        assert len(passes) == 1 and pg.net.samples_seen == seen + 1
        passes.clear()
        pg.act("walk", {"phase": "forward"})
        assert pg.net.samples_seen == seen + 2
