"""Saving, loading and exporting: exact round trips, atomic writes, malformed files."""
import json
import os
import random
import sys
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph import persistence as P


# ---------------------------------------------------------------------------
# nets to save
# ---------------------------------------------------------------------------

def skip_net(number=float):
    """Skip connection, shared bias, frozen weight, tied weight, leaky_relu with a slope."""
    num = ng.arithmetic.system_for(number)
    v = (lambda s: num.convert(s, "test value"))
    net = ng.Net(number=number, name="skip")
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    shared = net.add_parameter("shared_b", v("0.125"))
    tie = net.add_parameter("tie", v("-0.75"))
    frozen_b = net.add_parameter("fb", v("0.5"), trainable=False)
    h1 = net.add_neuron("h1", activation=ng.activation("leaky_relu", slope=v("0.2")), bias=shared)
    h2 = net.add_neuron("h2", activation="relu", bias=shared)
    h3 = net.add_neuron("h3", activation="identity", bias=v("0.3"))
    o = net.add_neuron("o", activation="identity", bias=frozen_b)
    net.connect(x1, h1, v("0.5"), name="a")
    net.connect(x2, h1, tie)
    net.connect(x1, h2, tie)
    net.connect(x2, h2, v("1.25"), trainable=False)
    net.connect(h1, h3, v("0.7"))
    net.connect(h1, o, v("1.5"), name="out1")
    net.connect(h2, o, v("-0.5"))
    net.connect(h3, o, v("2"))
    net.connect(x1, o, v("0.25"), name="skip")          # skips two layers
    return net


def smooth_net(number=float):
    return ng.Net.dense([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=3,
                        number=number)


def results(net, x, y, loss="half_sse"):
    """Everything a forward and backward pass computes, exactly."""
    net.zero_grad()
    outs = net.forward(x)
    E = net.backward(y, loss=loss)
    return (outs, E, [(n.name, n.z, n.a, n.delta, n.grad_a) for n in net.neurons],
            [(p.name, p.value, p.grad, p.trainable) for p in net.parameters()],
            [(c.name, c.src.name, c.dst.name, c.tied) for c in net.connections()])


def roundtrip(net, **kw):
    text = P.dumps(net, **kw)
    ck = P.loads(text, net_class=ng.Net)
    return text, ck


# ---------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("number", [float, Decimal, Fraction])
def test_roundtrip_exact_values_and_bit_identical_passes(number):
    net = skip_net(number)
    num = net.number_system
    x = [num.convert("0.3", "x"), num.convert("-1.7", "x")]
    y = [num.convert("0.9", "y")]
    # perturb every value so that it has many digits (float: not a short decimal)
    opt = ng.SGD(net, lr=num.convert("0.1", "lr"))
    for _ in range(3):
        net.forward(x)
        net.backward(y)
        opt.step()
        net.zero_grad()
    text, ck = roundtrip(net)
    copy_ = ck.net
    assert copy_.number is net.number
    assert P.dumps(copy_) == text                      # save -> load -> save: same bytes
    assert results(copy_, x, y) == results(net, x, y)  # bit-identical forward and backward
    for p in net.parameters():
        q = copy_[p.name]
        q = q.param if isinstance(q, ng.Connection) else q
        assert type(q.value) is type(p.value) and q.value == p.value
    assert copy_["h1"].activation.params["slope"] == num.convert("0.2", "slope")
    assert copy_.name == "skip"


def test_roundtrip_preserves_structure():
    net = skip_net()
    copy_ = P.loads(P.dumps(net), net_class=ng.Net).net
    assert [n.name for n in copy_.inputs] == ["x1", "x2"]
    assert copy_["h1"].bias is copy_["h2"].bias is copy_["shared_b"]
    assert copy_["x2->h1"].tied and copy_["x1->h2"].tied
    assert copy_["x2->h1"].param is copy_["tie"]
    assert not copy_["x2->h2"].trainable and not copy_["fb"].trainable
    assert copy_["skip"].src.name == "x1" and copy_["o"].layer == 3
    # tied weights stay tied after loading: one update moves both
    copy_["tie"].value = 2.0
    assert copy_["x2->h1"].weight == copy_["x1->h2"].weight == 2.0


def test_weight_shared_with_a_connection_listed_later():
    net = ng.Net()
    x = net.add_input("x")
    h1 = net.add_neuron("h1", activation="tanh")
    h2 = net.add_neuron("h2", activation="tanh")
    o = net.add_neuron("o", activation="identity")
    owner = net.connect(x, h2, 0.75, name="owner")
    net.connect(x, h1, owner.param)          # listed first in the file (h1 comes first)
    net.connect(h1, o, 1.0)
    net.connect(h2, o, -1.0)
    text = P.dumps(net)
    assert text.index('"param": "owner"') < text.index('"name": "owner"')
    back = P.loads(text, net_class=ng.Net).net
    assert P.dumps(back) == text
    assert back["x->h1"].tied and back["x->h1"].param is back["owner"].param
    assert results(back, [0.3], [0.1]) == results(net, [0.3], [0.1])


def test_weights_shared_in_a_circle_are_refused():
    doc = {"format": "neurograph", "version": 1, "number": "float", "name": "",
           "inputs": ["x", "y"], "parameters": [], "metadata": {}, "optimizer": None,
           "neurons": [{"name": "a", "activation": "relu", "bias": None},
                       {"name": "b", "activation": "relu", "bias": None}],
           "connections": [
               {"src": "x", "dst": "a", "name": None, "param": "q"},
               {"src": "y", "dst": "a", "name": "p", "weight": 1.0, "trainable": True},
               {"src": "x", "dst": "b", "name": None, "param": "p"},
               {"src": "y", "dst": "b", "name": "q", "weight": 1.0, "trainable": True}]}
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "connections[0].param" and "circle" in str(info.value)


def test_float_values_keep_every_bit():
    net = ng.Net.dense([2, 1], activation="identity")
    tricky = [0.1 + 0.2, 1e-310, -0.0, 5e-324, 1.7976931348623157e308]
    net["i1->o1"].weight, net["i2->o1"].weight = tricky[0], tricky[1]
    net["o1.bias"].value = tricky[2]
    copy_ = P.loads(P.dumps(net), net_class=ng.Net).net
    assert copy_["i1->o1"].weight == tricky[0]
    assert copy_["i2->o1"].weight == tricky[1]
    assert str(copy_["o1.bias"].value) == "-0.0"
    for t in tricky[3:]:
        net["i1->o1"].weight = t
        assert P.loads(P.dumps(net), net_class=ng.Net).net["i1->o1"].weight == t


def test_fraction_and_decimal_text_forms():
    net = ng.Net.dense([1, 1], activation="identity", number=Fraction)
    net["i1->o1"].weight = Fraction(1, 3)
    net["o1.bias"].value = Fraction(-7)
    d = net.to_dict()
    assert d["connections"][0]["weight"] == "1/3"
    assert d["parameters"][0]["value"] == "-7/1"
    big = Fraction(3 ** 9000, 7 ** 6000 + 1)               # beyond str(int)'s default limit
    net["i1->o1"].weight = big
    assert P.loads(P.dumps(net), net_class=ng.Net).net["i1->o1"].weight == big
    dnet = ng.Net.dense([1, 1], activation="identity", number=Decimal)
    dnet["i1->o1"].weight = Decimal("1.500")
    text = P.dumps(dnet)
    assert '"weight": "1.500"' in text
    assert str(P.loads(text, net_class=ng.Net).net["i1->o1"].weight) == "1.500"   # trailing zeros kept


def test_save_load_file_and_net_methods(tmp_path):
    net = skip_net()
    path = tmp_path / "model.json"
    net.save(path)
    copy_ = ng.load(path)
    assert isinstance(copy_, ng.Net)
    path2 = str(tmp_path / "again.json")
    copy_.save(path2)
    assert path.read_bytes() == open(path2, "rb").read()
    assert ng.Net.from_dict(net.to_dict()).to_dict() == net.to_dict()
    assert json.loads(path.read_text())["format"] == "neurograph"
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []


def test_chain_of_10000_neurons_saves_loads_and_draws(tmp_path):
    net = ng.Net()
    prev = net.add_input("x")
    for i in range(10000):
        n = net.add_neuron("n%d" % i, activation="tanh", bias=0.0)
        net.connect(prev, n, 1.0)
        prev = n
    path = tmp_path / "chain.json"
    net.save(path)
    back = ng.load(path)
    assert back.forward([0.5]) == net.forward([0.5])
    assert "<svg" in net.to_svg() and net.to_dot() and net.diagram()
    net.backward([0.0])
    assert "n0" in str(net.explain("n0"))


@pytest.mark.parametrize("kind", ["sgd", "nesterov", "adam"])
def test_optimizer_state_roundtrip_continues_identically(tmp_path, kind):
    def make_opt(net):
        if kind == "sgd":
            return ng.SGD(net, lr=0.1, momentum=0.9, weight_decay=0.01)
        if kind == "nesterov":
            return ng.SGD(net, lr=0.05, momentum=0.5, nesterov=True)
        return ng.Adam(net, lr=0.01, betas=(0.8, 0.99), eps=1e-7)

    data = [([0.1, 0.2, 0.3], [0.0, 1.0]), ([0.5, -0.4, 0.9], [1.0, 0.0])]

    def train(net, opt, rounds):
        for _ in range(rounds):
            for x, y in data:
                net.forward(x)
                net.backward(y)
                opt.step()
                opt.zero_grad()

    net = smooth_net()
    opt = make_opt(net)
    train(net, opt, 3)
    path = tmp_path / "ck.json"
    P.save(net, path, optimizer=opt, metadata={"epochs": 3, "data": "two points"})
    ck = P.load_checkpoint(path, net_class=ng.Net)
    assert type(ck.optimizer) is type(opt) and ck.optimizer.steps == opt.steps == 6
    assert ck.metadata == {"epochs": 3, "data": "two points"}
    for p in net.parameters():
        assert ck.optimizer.state(p.name) == opt.state(p.name)
    P.save(ck.net, tmp_path / "ck2.json", optimizer=ck.optimizer, metadata=ck.metadata)
    assert (tmp_path / "ck2.json").read_bytes() == path.read_bytes()
    train(net, opt, 2)
    train(ck.net, ck.optimizer, 2)
    assert ck.net.values() == net.values()   # training continues bit for bit


def test_optimizer_of_another_net_or_unknown_type_is_refused():
    net, other = smooth_net(), smooth_net()
    with pytest.raises(ng.StateError, match="another net"):
        P.dumps(net, optimizer=ng.SGD(other, lr=0.1))

    class Mine(ng.SGD):
        pass
    with pytest.raises(ng.FormatError, match="Mine"):
        P.dumps(net, optimizer=Mine(net, lr=0.1))


def test_custom_activation_cannot_be_saved():
    cube = ng.Activation("cube", lambda z: z ** 3, lambda z: 3 * z ** 2)
    net = ng.Net()
    x = net.add_input("x")
    y = net.add_neuron("y", activation=cube)
    net.connect(x, y, 1.0)
    with pytest.raises(ng.FormatError, match=r"neuron 'y' uses the custom activation 'cube'"):
        net.to_dict()


def test_incomplete_net_cannot_be_saved():
    net = ng.Net()
    net.add_input("x")
    net.add_neuron("y")
    with pytest.raises(ng.TopologyError, match="'y'"):
        net.to_dict()


def test_bad_metadata_is_refused():
    net = smooth_net()
    with pytest.raises(ng.FormatError, match="metadata.when"):
        P.dumps(net, metadata={"when": object()})
    with pytest.raises(ng.FormatError, match=r"metadata.x\[1\]"):
        P.dumps(net, metadata={"x": [1.0, float("nan")]})
    with pytest.raises(ng.FormatError, match=r"metadata.big: expected a whole number of at most"):
        P.dumps(net, metadata={"big": 10 ** 5000})


def test_huge_integers_are_reported_not_crashed_on():
    doc = base_doc()
    doc["version"] = 10 ** 5000
    with pytest.raises(ng.FormatError, match="version: .* about 5001 digits"):
        ng.Net.from_dict(doc)
    doc = base_doc()
    doc["connections"][0]["weight"] = 10 ** 400
    with pytest.raises(ng.FormatError, match=r"connections\[0\].weight: expected a number within"):
        ng.Net.from_dict(doc)


# ---------------------------------------------------------------------------
# atomic saving
# ---------------------------------------------------------------------------

def test_failed_rename_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = smooth_net()
    old.save(path)
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError("disk vanished")
    monkeypatch.setattr(os, "replace", boom)
    new = ng.Net.dense([3, 1], seed=9)
    with pytest.raises(OSError, match="disk vanished"):
        new.save(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.json"]


def test_crash_mid_write_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    smooth_net().save(path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()
            return False

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            raise KeyboardInterrupt   # as if the process were stopped mid-write

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(KeyboardInterrupt):
        ng.Net.dense([3, 5, 2], seed=1).save(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.json"]
    monkeypatch.undo()
    assert ng.load(path).to_dict() == smooth_net().to_dict()


def test_failed_fsync_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    smooth_net().save(path)
    before = path.read_bytes()

    def fail(fd):
        raise OSError("fsync failed")
    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="fsync"):
        ng.Net.dense([3, 1], seed=2).save(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saved_file_gets_the_usual_permissions(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    smooth_net().save(tmp_path / "model.json")
    assert os.stat(tmp_path / "model.json").st_mode & 0o777 == os.stat(plain).st_mode & 0o777


def test_unsavable_net_never_touches_the_file(tmp_path):
    path = tmp_path / "model.json"
    smooth_net().save(path)
    before = path.read_bytes()
    net = ng.Net()
    x = net.add_input("x")
    y = net.add_neuron("y", activation=ng.Activation("sq", lambda z: z * z, lambda z: 2 * z))
    net.connect(x, y, 1.0)
    with pytest.raises(ng.FormatError):
        net.save(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.json"]


# ---------------------------------------------------------------------------
# malformed documents: each defect with the JSON path it must be reported at
# ---------------------------------------------------------------------------

def base_doc():
    return json.loads(P.dumps(skip_net()))


def conn_index(d, src, dst):
    return next(i for i, c in enumerate(d["connections"]) if c["src"] == src and c["dst"] == dst)


def _set(path, value):
    def edit(d):
        *head, last = path
        t = d
        for k in head:
            t = t[k]
        t[last] = value
    return edit


def _del(path):
    def edit(d):
        *head, last = path
        t = d
        for k in head:
            t = t[k]
        del t[last]
    return edit


def _cycle(d):
    # h3 -> h1 closes h1 -> h3 -> h1
    d["connections"].append({"src": "h3", "dst": "h1", "name": None, "weight": 1.0,
                             "trainable": True})


def _long_cycle(d):
    d["connections"].append({"src": "o", "dst": "h1", "name": "back", "weight": 1.0,
                             "trainable": True})


def _dangling(d):
    d["neurons"].append({"name": "lonely", "activation": "relu", "bias": None})


def _dup_edge(d):
    d["connections"].append(dict(d["connections"][0]))


def _softmax_hidden(d):
    d["neurons"][0]["activation"] = "softmax"


def _opt(d):
    net = skip_net()
    d["optimizer"] = json.loads(P.dumps(net, optimizer=ng.SGD(net, lr=0.1, momentum=0.9)))[
        "optimizer"]


def _with_opt(edit):
    def f(d):
        _opt(d)
        edit(d)
    return f


def _with_adam(edit):
    def f(d):
        net = skip_net()
        d["optimizer"] = json.loads(P.dumps(net, optimizer=ng.Adam(net)))["optimizer"]
        edit(d)
    return f


MALFORMED = [
    # (id, edit, expected path, text in the message)
    ("not-an-object", lambda d: d.clear() or d.update({"x": 1}), "format", "missing"),
    ("wrong-format", _set(["format"], "keras"), "format", '"neurograph"'),
    ("newer-version", _set(["version"], 2), "version", "newer"),
    ("version-string", _set(["version"], "1"), "version", "whole number"),
    ("missing-key", _del(["neurons"]), "neurons", "missing"),
    ("extra-key", _set(["weights"], []), "weights", "unexpected key"),
    ("unknown-number", _set(["number"], "complex"), "number", "Decimal"),
    ("name-not-string", _set(["name"], 5), "name", "a string"),
    ("inputs-not-list", _set(["inputs"], "x1"), "inputs", "a list"),
    ("no-inputs", _set(["inputs"], []), "inputs", "at least one"),
    ("input-name-empty", _set(["inputs", 1], " "), "inputs[1]", "non-empty"),
    ("duplicate-name", _set(["neurons", 2, "name"], "x1"), "neurons[2].name", "already used at inputs[0]"),
    ("neuron-extra-key", _set(["neurons", 1, "color"], "red"), "neurons[1].color", "unexpected"),
    ("neuron-missing-bias", _del(["neurons", 3, "bias"]), "neurons[3].bias", "missing"),
    ("unknown-activation", _set(["neurons", 3, "activation"], "sigmod"), "neurons[3].activation", "built-in"),
    ("activation-wrong-type", _set(["neurons", 1, "activation"], 3), "neurons[1].activation", "activation name"),
    ("activation-bad-param", _set(["neurons", 0, "activation", "params"], {"alpha": 1.0}), "neurons[0].activation.params.slope", "missing"),
    ("activation-param-nan", _set(["neurons", 0, "activation", "params", "slope"], "NaN-marker"), "neurons[0].activation.params.slope", "finite"),
    ("params-on-plain-activation", _set(["neurons", 1, "activation"], {"name": "relu", "params": {}}), "neurons[1].activation", "no parameters"),
    ("bias-missing-param", _set(["neurons", 2, "bias"], "nope"), "neurons[2].bias", "not there"),
    ("parameter-value-string", _set(["parameters", 0, "value"], "0.1"), "parameters[0].value", "finite number"),
    ("parameter-value-inf", _set(["parameters", 1, "value"], "Infinity-marker"), "parameters[1].value", "finite"),
    ("parameter-value-huge", _set(["parameters", 1, "value"], "1e999-marker"), "parameters[1].value", "finite"),
    ("trainable-not-bool", _set(["parameters", 2, "trainable"], 1), "parameters[2].trainable", "true or false"),
    ("parameter-dup-name", _set(["parameters", 1, "name"], "shared_b"), "parameters[1].name", "already used"),
    ("conn-unknown-src", _set(["connections", 0, "src"], "ghost"), "connections[0].src", "neither"),
    ("conn-unknown-dst", _set(["connections", 0, "dst"], "ghost"), "connections[0].dst", "not there"),
    ("conn-into-input", _set(["connections", 0, "dst"], "x2"), "connections[0].dst", "is an input"),
    ("self-loop", _set(["connections", 4, "src"], "h3"), "connections[4]", "itself"),
    ("duplicate-edge", _dup_edge, "connections[9]", "already connects"),
    ("cycle", _cycle, "connections[9]", "closes the cycle h1 -> h3 -> h1"),
    ("long-cycle", _long_cycle, "connections[9]", "closes the cycle"),
    ("dangling-neuron", _dangling, "neurons[4]", "no connection"),
    ("weight-bool", _set(["connections", 3, "weight"], True), "connections[3].weight", "finite number"),
    ("weight-and-param", _set(["connections", 1, "weight"], 1.0), "connections[1].weight", "unexpected"),
    ("tied-unknown-param", _set(["connections", 1, "param"], "nope"), "connections[1].param", "parameter"),
    ("conn-name-arrow", _set(["connections", 0, "name"], "x1->h1"), "connections[0].name", "'->'"),
    ("conn-name-dup", _set(["connections", 5, "name"], "a"), "connections[5].name", "already used at connections[0].name"),
    ("softmax-hidden", _softmax_hidden, "neurons[0].activation", "softmax only on output"),
    ("metadata-not-object", _set(["metadata"], []), "metadata", "an object"),
    ("metadata-nan", _set(["metadata"], {"loss": "NaN-marker"}), "metadata.loss", "finite"),
    ("optimizer-unknown-type", _set(["optimizer"], {"type": "RMSprop"}), "optimizer.type", "SGD"),
    ("optimizer-negative-lr", _with_opt(_set(["optimizer", "lr"], -0.1)), "optimizer.lr", "must be >= 0"),
    ("optimizer-negative-momentum", _with_opt(_set(["optimizer", "momentum"], -0.5)), "optimizer.momentum", "must be >= 0"),
    ("optimizer-negative-decay", _with_opt(_set(["optimizer", "weight_decay"], -1)), "optimizer.weight_decay", "must be >= 0"),
    ("adam-beta-one", _with_adam(_set(["optimizer", "betas", 1], 1.0)), "optimizer.betas[1]", "each in [0, 1)"),
    ("adam-eps-zero", _with_adam(_set(["optimizer", "eps"], 0.0)), "optimizer.eps", "must be > 0"),
    ("optimizer-steps-float", _with_opt(_set(["optimizer", "steps"], 1.5)), "optimizer.steps", "whole number"),
    ("optimizer-state-missing", _with_opt(_del(["optimizer", "state", "tie"])), "optimizer.state.tie", "missing"),
    ("optimizer-state-extra", _with_opt(_set(["optimizer", "state", "ghost"], {"velocity": 0.0})), "optimizer.state.ghost", "unexpected"),
    ("optimizer-state-bad-value", _with_opt(_set(["optimizer", "state", "a", "velocity"], None)), "optimizer.state.a.velocity", "finite number"),
    ("nesterov-without-momentum", _with_opt(lambda d: d["optimizer"].update(momentum=0.0, nesterov=True)), "optimizer.nesterov", "momentum"),
]


def _text(doc):
    # markers become raw JSON tokens that json.dumps will not write itself
    text = json.dumps(doc)
    return (text.replace('"NaN-marker"', "NaN").replace('"Infinity-marker"', "Infinity")
            .replace('"1e999-marker"', "1e999"))


def test_malformed_suite_is_large():
    assert len({m[0] for m in MALFORMED}) >= 25


@pytest.mark.parametrize("name,edit,path,text", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_document(name, edit, path, text):
    doc = base_doc()
    edit(doc)
    with pytest.raises(ng.FormatError) as info:
        P.loads(_text(doc), net_class=ng.Net)
    assert info.value.path == path, str(info.value)
    assert str(info.value).startswith(path + ":")
    assert text in str(info.value)


@pytest.mark.parametrize("number,bad,expect", [
    ("Decimal", 0.5, "string such as"),
    ("Decimal", "0.5e", "finite decimal"),
    ("Decimal", "Infinity", "finite decimal"),
    ("Decimal", "1E+99999999", "exponent"),
    ("Decimal", "1/2", "is a fraction, which a Decimal net cannot hold"),
    ("Fraction", "0.5", "p/q"),
    ("Fraction", "1/0", "denominator"),
    ("Fraction", 3, "string"),
])
def test_malformed_exact_numbers(number, bad, expect):
    net = ng.Net.dense([1, 1], activation="identity", number=number)
    doc = net.to_dict()
    doc["connections"][0]["weight"] = bad
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "connections[0].weight"
    assert expect in str(info.value)


def test_decimal_exponent_limit_is_the_formats_not_the_contexts():
    net = ng.Net.dense([1, 1], activation="identity", number=Decimal)
    doc = net.to_dict()
    doc["connections"][0]["weight"] = "1E+1000005"
    with localcontext() as ctx:       # a reader with a wider context is refused all the same
        ctx.Emax = 2000000
        with pytest.raises(ng.FormatError, match=r"connections\[0\]\.weight: expected a decimal "
                                                 r"exponent of at most 999999 in size"):
            ng.Net.from_dict(doc)


def test_learning_rate_zero_is_saved_and_loaded():
    net = ng.Net.dense([2, 1], seed=0)
    for opt in (ng.SGD(net, lr=0), ng.Adam(net, lr=0)):
        ck = P.loads(P.dumps(net, optimizer=opt), net_class=ng.Net)
        assert type(ck.optimizer) is type(opt) and ck.optimizer.lr == 0


def test_cycle_behind_a_delayed_connection_names_the_documents_connection():
    doc = {"format": "neurograph", "version": 1, "number": "float", "name": "",
           "inputs": ["x"], "parameters": [], "metadata": {}, "optimizer": None,
           "neurons": [{"name": "a", "activation": "tanh", "bias": None},
                       {"name": "b", "activation": "tanh", "bias": None}],
           "connections": [
               {"src": "b", "dst": "a", "name": None, "weight": 1.0, "trainable": True, "delay": 1},
               {"src": "x", "dst": "a", "name": None, "weight": 1.0, "trainable": True},
               {"src": "a", "dst": "b", "name": None, "weight": 1.0, "trainable": True},
               {"src": "b", "dst": "a", "name": "back", "weight": 1.0, "trainable": True}]}
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "connections[3]"
    assert "closes the cycle a -> b -> a" in str(info.value)


def test_adam_in_fraction_file_is_refused():
    net = ng.Net.dense([1, 1], activation="identity", number=Fraction)
    doc = P.net_to_dict(net, optimizer=ng.SGD(net, lr="1/2"))
    doc["optimizer"] = {"type": "Adam", "lr": "1/2", "betas": ["1/2", "1/2"], "eps": "1/2",
                        "weight_decay": "0/1", "steps": 0, "state": {}}
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "optimizer.type"


def test_sigmoid_in_fraction_file_is_refused():
    doc = ng.Net.dense([1, 1], activation="relu", number=Fraction).to_dict()
    doc["neurons"][0]["activation"] = "sigmoid"
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "neurons[0].activation" and "Fraction" in str(info.value)


def test_duplicate_json_keys_are_refused():
    text = P.dumps(skip_net())
    bad = text.replace('"name": "x1"', '"name": "x1", "name": "x1"', 1)
    bad = text.replace('{"activation": "relu", "bias": "shared_b", "name": "h2"}',
                       '{"activation": "relu", "bias": "shared_b", "name": "h2", "name": "h9"}')
    assert bad != text
    with pytest.raises(ng.FormatError) as info:
        P.loads(bad, net_class=ng.Net)
    assert info.value.path == "neurons[1].name" and "more than once" in str(info.value)


def test_absurd_sizes_are_refused(monkeypatch):
    doc = base_doc()
    monkeypatch.setitem(P.LIMITS, "connections", 5)
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "connections" and "absurd" in str(info.value)
    monkeypatch.undo()
    doc["neurons"][0]["name"] = "n" * 5000
    with pytest.raises(ng.FormatError) as info:
        ng.Net.from_dict(doc)
    assert info.value.path == "neurons[0].name" and "at most" in str(info.value)
    with pytest.raises(ng.FormatError) as info:
        P.loads("[" * 100000 + "]" * 100000, net_class=ng.Net)
    assert info.value.path == "(document)"
    with pytest.raises(ng.FormatError) as info:
        P.loads('{"format": "neurograph", "version": 1%s}' % ("0" * 5000), net_class=ng.Net)
    assert info.value.path == "(document)"


def test_not_json_at_all(tmp_path):
    for text in ["", "not json", "{", "[1, 2]", "null", '"neurograph"', b"\xff\xfe{}"]:
        with pytest.raises(ng.FormatError):
            P.loads(text, net_class=ng.Net)
    path = tmp_path / "model.json"
    path.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(ng.FormatError, match="model.json"):
        ng.load(path)
    with pytest.raises(ng.FormatError, match="cannot read model file"):
        ng.load(tmp_path / "missing.json")


def test_loading_never_builds_half_a_net(monkeypatch):
    # a defect at the very end (metadata) is found before any Net is made
    made = []
    real_init = ng.Net.__init__

    def spy(self, *a, **k):
        made.append(1)
        real_init(self, *a, **k)
    doc = base_doc()
    doc["metadata"] = {"x": {"y": float("inf")}}
    monkeypatch.setattr(ng.Net, "__init__", spy)
    with pytest.raises(ng.FormatError, match=r"metadata\.x\.y"):
        ng.Net.from_dict(doc)
    assert made == []


def small_model_bytes():
    net = ng.Net.dense([2, 2, 1], activation="tanh", seed=5)
    return P.dumps(net, optimizer=ng.SGD(net, lr=0.1, momentum=0.5),
                   metadata={"k": [1, 2]}).encode("ascii")


def test_truncation_at_every_offset_raises_format_error_only():
    data = small_model_bytes()
    P.loads(data, net_class=ng.Net)  # the whole file loads
    for cut in range(len(data.rstrip())):   # every cut into the JSON text itself
        with pytest.raises(ng.FormatError):
            P.loads(data[:cut], net_class=ng.Net)


def test_random_byte_flips_raise_format_error_or_load():
    data = small_model_bytes()
    rng = random.Random(20261123)
    outcomes = {"error": 0, "loaded": 0}
    for trial in range(1500):
        b = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        try:
            net = P.loads(bytes(b), net_class=ng.Net).net
        except ng.FormatError:
            outcomes["error"] += 1
        else:   # a flip inside a number or a name can still be a valid model
            outcomes["loaded"] += 1
            assert isinstance(net, ng.Net)
            net.forward([0.5, -0.5])
    assert outcomes["error"] > 1000


# ---------------------------------------------------------------------------
# matrices
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("number", [float, Decimal])
def test_matrices_roundtrip(number):
    net = ng.Net.dense([4, 3, 2], activation="tanh", seed=7, number=number)
    for c in net.connections()[:3]:
        c.dst.bias.value = c.weight  # non-zero biases
    mats = net.to_matrices()
    assert [(len(W), len(W[0]), len(b)) for W, b in mats] == [(3, 4, 3), (2, 3, 2)]
    # weights[out][in]: row j holds the weights into neuron j of the layer
    assert mats[0][0][1][2] == net["i3->h1_2"].weight
    assert mats[1][1] == [net["o1.bias"].value, net["o2.bias"].value]
    back = ng.Net.from_matrices([W for W, _ in mats], [b for _, b in mats],
                                activations="tanh", number=number)
    assert back.to_matrices() == mats
    x = [number("0.5"), number("-1"), number("2"), number("0.25")] if number is Decimal else \
        [0.5, -1.0, 2.0, 0.25]
    assert back.forward(x) == net.forward(x)
    assert P.dumps(back) == P.dumps(net)   # same names, same values, same file


def test_matrices_of_mazur_and_per_layer_activations():
    net = ng.textbook.mazur().net
    mats = net.to_matrices()
    assert mats[0] == ([[0.15, 0.2], [0.25, 0.3]], [0.35, 0.35])
    back = ng.Net.from_matrices([m[0] for m in mats], [m[1] for m in mats],
                                activations=["sigmoid", "sigmoid"])
    assert back.forward([0.05, 0.1]) == net.forward([0.05, 0.1])


def test_matrices_refuse_non_dense_nets():
    with pytest.raises(ng.TopologyError, match="dense layered"):
        skip_net().to_matrices()
    net = ng.Net.dense([2, 2, 1], seed=0)
    net.connect("i1", "o1", 0.5, name="skip")
    with pytest.raises(ng.TopologyError, match="'skip' skips from layer 0 to layer 2"):
        net.to_matrices()
    net = ng.Net()
    a, b = net.add_input("a"), net.add_input("b")
    o = net.add_neuron("o")
    net.connect(a, o, 1.0)
    with pytest.raises(ng.TopologyError, match="no connection from 'b'"):
        net.to_matrices()


@pytest.mark.parametrize("weights,biases,match", [
    ([], [], "non-empty list"),
    ([[[1.0, 2.0]]], [[0.0], [1.0]], "one per weight matrix"),
    ([[[1.0, 2.0], [3.0]]], [[0.0, 0.0]], r"weights\[0\]\[1\] has 1"),
    ([[[1.0, 2.0]], [[1.0, 2.0]]], [[0.0], [0.0]], r"weights\[1\] has 2 columns"),
    ([[[1.0, 2.0]]], [[0.0, 1.0]], r"biases\[0\] must be a list of 1"),
    ([[[]]], [[0.0]], r"weights\[0\]\[0\] must be a non-empty row"),
])
def test_from_matrices_shape_errors(weights, biases, match):
    with pytest.raises(ng.ShapeError, match=match):
        ng.Net.from_matrices(weights, biases)


def _weight_as_bias_net(conn_name=None):
    net = ng.Net()
    i = net.add_input("i1")
    o = net.add_neuron("o1", activation="identity", bias=None)
    c = net.connect(i, o, 0.5, name=conn_name)
    o2 = net.add_neuron("o2", activation="identity", bias=None)
    net.connect(i, o2, 0.25)
    o2.bias = c.param
    return net


def _decimal_net(weight):
    with localcontext() as ctx:     # a context wider than the file format's limits
        ctx.Emax, ctx.Emin = 2000000, -2000000
        net = ng.Net(number=Decimal)
        i = net.add_input("i1")
        o = net.add_neuron("o1", activation="identity", bias=None)
        net.connect(i, o, Decimal(weight))
        assert net.forward(["0"]) == [Decimal(0)]       # the net itself works
    return net


@pytest.mark.parametrize("make,match", [
    (lambda: _decimal_net("1E+1000005"),
     r"connections\[0\]\.weight: expected a decimal exponent of at most 999999 in size"),
    (lambda: _decimal_net("0." + "1" * 100001),
     r"connections\[0\]\.weight: expected a number of at most 100000 characters, got 100003"),
], ids=["decimal-exponent", "number-chars"])
def test_save_refuses_what_load_would_refuse_with_loads_message(tmp_path, make, match):
    if hasattr(sys, "set_int_max_str_digits"):   # PyPy's pure-Python decimal converts the
        limit = sys.get_int_max_str_digits()     # digits through int(), which this limits
        sys.set_int_max_str_digits(0)
        try:
            net = make()
        finally:
            sys.set_int_max_str_digits(limit)
    else:
        net = make()
    path = tmp_path / "m.json"
    path.write_text("old")
    with pytest.raises(ng.FormatError, match=r"cannot be saved in a form that load\(\) reads "
                                             r"back: " + match) as info:
        net.save(path)
    assert info.value.path.startswith(("neurons[1]", "connections[0]"))
    assert path.read_text() == "old"                      # nothing written
    with pytest.raises(ng.FormatError, match=match):
        P.dumps(net)


@pytest.mark.parametrize("conn_name", [None, "w"])
def test_a_connections_own_weight_cannot_be_a_bias(conn_name):
    # (a file could not hold it either): share a Parameter instead
    with pytest.raises(ng.TopologyError, match="make it a Parameter"):
        _weight_as_bias_net(conn_name)


@pytest.mark.parametrize("bad", [None, 3, 1.5, ["m.json"]], ids=repr)
def test_load_with_no_path_is_a_format_error(bad):
    for fn in (ng.load, ng.load_checkpoint):
        with pytest.raises(ng.FormatError, match=r"load\(path=.*\): give the model file's path"):
            fn(bad)


@pytest.mark.parametrize("bad", [None, 3, b"relu"], ids=repr)
def test_from_matrices_activations_none_names_the_argument(bad):
    with pytest.raises(ng.NameLookupError, match=r"from_matrices\(activations=.*\): give one "
                                                 r"activation for every layer"):
        ng.Net.from_matrices([[[1.0]]], [[0.0]], activations=bad)


def test_saving_where_no_file_can_be_written_is_a_file_error_naming_the_path(tmp_path):
    net = ng.Net.dense([2, 1], seed=0)
    cases = [(tmp_path, "it is a folder"), (tmp_path / "missing" / "m.json", "does not exist"),
             ("", "empty name")]
    for path, words in cases:
        with pytest.raises(ng.FileError, match=words) as info:
            net.save(path)
        assert isinstance(info.value, OSError) and isinstance(info.value, ng.NeurographError)
        assert info.value.errno is not None
        if path:
            assert repr(str(path)) in str(info.value)
    with pytest.raises(ng.FileError, match="it is a folder"):
        net.save_svg(str(tmp_path))
    trace = traced()
    with pytest.raises(ng.FileError, match="does not exist"):
        trace.to_csv(tmp_path / "no" / "trace.csv")
    assert os.listdir(tmp_path) == []             # nothing written anywhere


def traced():
    net = ng.Net.dense([1, 1], seed=0)
    with net.trace() as trace:
        net.forward([1.0])
        net.backward([0.0])
    return trace


def test_trace_csv_is_written_whole(tmp_path):
    trace = traced()
    path = tmp_path / "t.csv"
    text = trace.to_csv(path)
    assert path.read_text(encoding="utf-8") == text
    assert os.listdir(tmp_path) == ["t.csv"]


# -- delayed weights, permissions, paths, nesting, a Decimal zero ------------------------

def test_to_matrices_refuses_a_recurrent_net_instead_of_dropping_its_delayed_weights():
    # (item 4) to_matrices() of an Elman net dropped the recurrent weights, and from_matrices
    # then built a net whose outputs differed
    net = ng.Net.elman([1, 2, 1], seed=0)
    before = net.to_dict()
    with pytest.raises(ng.TopologyError, match=r"4 delayed \(recurrent\) connections "
                       r"\(h1_1->h1_1, h1_2->h1_1, h1_1->h1_2, \.\.\.\).*net\.save"):
        net.to_matrices()
    assert net.to_dict() == before
    dense = ng.Net.dense([1, 2, 1], seed=0)              # the same layers without delays
    back = ng.Net.from_matrices(*zip(*dense.to_matrices()))
    assert back.forward([0.3]) == dense.forward([0.3])


def test_a_delayed_and_a_named_connection_between_the_same_neurons_save_and_load(tmp_path):
    # (item 1) net["h->o"] found the connection named ff, and save wrote a file load refused
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh")
    o = net.add_neuron("o", activation="identity")
    net.connect(x, h, 0.5)
    r = net.connect(h, o, 0.3, delay=1)                   # unnamed: its name is "h->o"
    ff = net.connect(h, o, 0.7, name="ff")
    assert net["h->o"] is r and net["ff"] is ff
    net.save(tmp_path / "m.json")
    back = ng.load(tmp_path / "m.json")
    assert back.to_dict() == net.to_dict()
    assert back["h->o"].delay == 1 and back["ff"].delay == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saving_over_a_model_keeps_its_permissions(tmp_path):
    # (item 13) a model chmod'ed 0600 was 0644 after save
    path = tmp_path / "model.json"
    smooth_net().save(path)
    os.chmod(path, 0o600)
    smooth_net().save(path)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_path_of_bytes_is_a_path_and_a_number_is_refused_naming_it(tmp_path):
    # (item 10) net.save(b"m.json") raised TypeError
    net = smooth_net()
    net.save(os.fsencode(str(tmp_path / "m.json")))
    assert ng.load(tmp_path / "m.json").to_dict() == net.to_dict()
    with pytest.raises(ng.FileError, match="cannot write to 123: a path is a str"):
        net.save(123)
    assert sorted(os.listdir(tmp_path)) == ["m.json"]


def test_json_nested_too_deeply_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    # (item 14) under WebAssembly a depth of 10,000 kills the runtime: never parse such a file
    from neurograph.files import JSON_DEPTH, read_json
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 10000 + "]" * 10000)
    parsed = []
    monkeypatch.setattr(json, "loads", lambda *a, **k: parsed.append(1))
    with pytest.raises(ng.FormatError, match=r"\(document\): arrays and objects nested more than "
                                             r"64 levels deep") as info:
        ng.load(deep)
    assert info.value.path == "(document)" and parsed == []
    monkeypatch.undo()
    # the limit counts arrays and objects, not brackets inside strings
    text = json.dumps({"a": ["[" * 100, "]]]\"{{", [[[1]]]], "b": "\\" + "[" * 100})
    assert read_json(text, "x") == json.loads(text)
    assert read_json("[" * JSON_DEPTH + "]" * JSON_DEPTH, "x") is not None
    with pytest.raises(ng.FormatError, match="request body: arrays and objects nested more than 3"):
        read_json(b'{"a": [[{"b": 1}]]}', "request body", max_depth=3)
    with pytest.raises(ng.FormatError, match="request body: not UTF-8 text: byte 0"):
        read_json(b"\xff", "request body")
    # a model whose metadata nests within the file's limit still gets the format's own check
    net = smooth_net()
    meta = {"m": [[[[1]]]]}
    net.save(tmp_path / "ok.json", metadata=meta)
    assert ng.load_checkpoint(tmp_path / "ok.json").metadata == meta


def test_a_decimal_zero_with_a_tiny_exponent_saves_and_loads(tmp_path):
    # a Decimal computation can leave a 0 written 0E-1000026 (below Emin): a 0 has no size
    net = ng.Net.dense([1, 1], activation="identity", number=Decimal, seed=0)
    net["i1->o1"].weight = Decimal("0E-1000026")
    net.save(tmp_path / "m.json")
    assert ng.load(tmp_path / "m.json")["i1->o1"].weight == 0
    net["i1->o1"].weight = Decimal("1E-1000010")           # a non-zero that small: refused
    with pytest.raises(ng.FormatError, match="decimal exponent of at most 999999"):
        net.save(tmp_path / "m.json")
