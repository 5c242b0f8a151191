"""Random sequences of what a user does to a net: every failure is a NeurographError.

Each run builds a small seeded net (float or Decimal) and applies 30 random
operations: passes, steps, weight, bias and activation edits, new neurons and
connections (delayed ones too), explanations, save and load, pictures,
sequences and gradient checks.  Whatever is refused must be refused with a
NeurographError that leaves the net exactly as it was; a save must load back
to the same net.  The playground's actions get random requests, right and wrong,
on feed-forward, recurrent, Decimal and gallery models: a refused one changes
nothing a client can read (the state, the model file, the optimizer's numbers).
"""

import os
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng

ACTS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax"]
LOSSES = ["half_sse", "sse", "mse", "binary_cross_entropy", "cross_entropy"]


def operate(rng, net, opt, folder):
    """One random operation on *net* (the net may refuse it with a NeurographError)."""
    exact = net.number is Decimal

    def u(a, b):
        v = rng.uniform(a, b)
        return Decimal(repr(round(v, 4))) if exact else v

    k = rng.randrange(14)
    neurons = net.neurons
    if k == 0:
        net.forward([u(-2, 2) for _ in net.inputs])
    elif k == 1:
        net.backward([u(0, 1) for _ in net.outputs], loss=rng.choice(LOSSES))
    elif k == 2:
        opt.step()
    elif k == 3:
        opt.zero_grad()
    elif k == 4 and net.connections():
        rng.choice(net.connections()).weight = u(-1, 1)
    elif k == 5:
        n = rng.choice(neurons)
        if not n.is_input:
            n.activation = rng.choice(ACTS)
    elif k == 6:
        n = rng.choice(neurons)
        if not n.is_input:
            n.bias = rng.choice([None, u(-1, 1)])
    elif k == 7:
        net.connect(rng.choice(neurons), rng.choice(neurons), u(-1, 1),
                    delay=rng.choice([0, 0, 1]))
    elif k == 8:
        net.add_neuron(None, rng.choice(ACTS[:-1]))
    elif k == 9:
        names = [n.name for n in neurons] + [p.name for p in net.parameters()]
        assert str(net.explain(rng.choice(names)))
    elif k == 10:
        path = os.path.join(folder, "m.json")
        net.save(path)
        assert ng.load(path).to_dict() == net.to_dict()
    elif k == 11:
        assert net.to_svg() and net.to_dot() and net.diagram() and net.summary()
    elif k == 12:
        T = rng.randint(1, 3)
        net.forward_sequence([[u(-1, 1) for _ in net.inputs] for _ in range(T)])
        net.backward_sequence([None] * (T - 1) + [[u(0, 1) for _ in net.outputs]])
    else:
        ng.gradcheck(net, [u(-1, 1) for _ in net.inputs], [u(0, 1) for _ in net.outputs])


def snapshot(net):
    """Every number, name and wire of *net*."""
    return ([(n.name, n.z, n.a, n.delta, n.grad_a, n.activation and n.activation.name,
              n.bias and n.bias.name) for n in net.neurons],
            [(p.name, p.value, p.grad, p.trainable) for p in net.parameters()],
            [(c.name, c.src.name, c.dst.name, c.delay) for c in net.connections()])


@pytest.mark.parametrize("block", range(4))
def test_random_use_fails_only_with_neurograph_errors(block, tmp_path):
    refused = 0
    for seed in range(block * 50, block * 50 + 50):
        rng = random.Random(seed)
        number = rng.choice([float, float, Decimal])
        net = ng.Net.dense([rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)],
                           activation=rng.choice(ACTS[:-1]), number=number, seed=seed)
        opt = rng.choice([ng.SGD(net, lr="0.1"), ng.Adam(net, lr="0.01")])
        for _ in range(30):
            before = snapshot(net)
            try:
                operate(rng, net, opt, str(tmp_path))
            except ng.NeurographError as e:
                refused += 1
                assert snapshot(net) == before, (seed, e)     # refused: nothing changed
    assert refused > 0                       # the runs do reach the refusals


# ---------------------------------------------------------------------------
# Refusals over float, Decimal and Fraction nets, feed-forward and recurrent: the passes,
# the sequence APIs, fit and the optimizers change nothing when they refuse
# ---------------------------------------------------------------------------

EXACT_ACTS = ["identity", "relu", "leaky_relu"]       # (a Fraction net has no exp)
EXACT_LOSSES = ["half_sse", "sse", "mse"]


def full_state(net, opt):
    """Everything a refused call must leave as it was: the model (to_dict), every gradient,
    the last-pass records (each neuron's z, a, delta, grad_a and its steps, what each delayed
    connection carries), the net's ``_last`` and ``_sequence``, and the optimizer's settings,
    step count and state."""
    loss, outputs, ys = net._last
    seq = net._sequence
    try:
        model = net.to_dict()
    except ng.FormatError:                  # (exact numbers too long for a file: by name)
        model = [(p.name, p.value, p.trainable) for p in net.parameters()]
    return (model,
            [(p.name, p.grad) for p in net.parameters()],
            [(n.name, n.z, n.a, n.delta, n.grad_a, [tuple(r) for r in n._history])
             for n in net.neurons],
            [(c.name, c.upstream.a, c.upstream.grad_a) for c in net.connections() if c.delay],
            (getattr(loss, "name", loss), [n.name for n in outputs], list(ys or [])),
            (net._forwarded is None, net._backwarded, net.samples_seen, net.step),
            None if seq is None else (seq.steps, seq.targets, getattr(seq.loss, "name", None),
                                      seq.truncate, seq.samples_seen),
            (type(opt).__name__, opt.lr, opt.steps, opt.weight_decay,
             {k: sorted((p.name, v) for p, v in d.items()) for k, d in opt._state.items()}))


def make_net(rng, number, recurrent):
    """A small seeded net of *number*, recurrent (Elman) or not, and an optimizer of it."""
    exact = number is Fraction
    acts = EXACT_ACTS if exact else ACTS[:-1]
    sizes = [rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 2)]
    seed = rng.randrange(1000)
    act = rng.choice(acts)
    out = rng.choice(["identity", "relu"] if exact else ["identity", "sigmoid", "tanh"])
    if recurrent:
        net = ng.Net.elman(sizes, act, out, seed=seed, number=number)
    else:
        net = ng.Net.dense(sizes, act, out, seed=seed, number=number)
    kinds = ["sgd", "momentum"] if exact else ["sgd", "momentum", "adam"]
    kind = rng.choice(kinds)
    opt = (ng.Adam(net, lr="0.01") if kind == "adam" else
           ng.SGD(net, lr="0.1", momentum="0.5" if kind == "momentum" else 0))
    return net, opt


def value(rng, number, bad=0.15):
    """A number for *number* nets, now and then one that must be refused or that overflows."""
    r = rng.random()
    if r < bad:
        return rng.choice([float("nan"), float("inf"), "abc", None, "1e100000000", True,
                           "1" * 100001, 1e308 if number is float else "1e999999"])
    if r < bad + 0.05:
        return 1e300 if number is float else number("1e300")
    v = round(rng.uniform(-2, 2), 3)
    return v if number is float else number(repr(v)) if number is Decimal else \
        Fraction(repr(v))


def vector(rng, number, n):
    if rng.random() < 0.1:
        return rng.choice([[value(rng, number, 0)] * (n + 1), "1,2", 5, [], {0: 1.0}])
    return [value(rng, number) for _ in range(n)]


def refusing_operation(rng, net, opt, number):
    """One random call, often one that must be refused."""
    exact = number is Fraction
    n_in, n_out = len(net.inputs), len(net.outputs)
    losses = EXACT_LOSSES if exact else LOSSES
    loss = rng.choice(losses + ["half_see", 3])
    recurrent = bool(net._ordered().delayed)
    k = rng.randrange(11)
    if k == 0:
        if recurrent and rng.random() < 0.1:
            net.forward(vector(rng, number, n_in))       # (refused: it takes steps)
        elif recurrent:
            T = rng.randint(0, 3)
            net.forward_sequence([vector(rng, number, n_in) for _ in range(T)])
        else:
            net.forward(vector(rng, number, n_in))
    elif k == 1:
        if recurrent:
            T = net._sequence.steps if net._sequence is not None else 1
            ys = [rng.choice([None, vector(rng, number, n_out)]) for _ in range(T)]
            net.backward_sequence(ys + [None] * rng.choice([0, 0, 0, 1]), loss=loss,
                                  truncate=rng.choice([None, None, 1, 0, "2"]))
        else:
            step = rng.choice([None, None, None, opt, True])
            net.backward(vector(rng, number, n_out), loss=loss, step=step)
    elif k == 2:
        opt.step(rng.choice([None, None, None, 1, 7, "1"]))
    elif k == 3:
        opt.zero_grad()
    elif k == 4:
        opt.lr = rng.choice(["0.05", "0", -1, float("nan"), "x", None, "1e100000000"] +
                            ([] if exact else ["1e150"]))      # (1e150: fit will diverge)
    elif k == 5 and not recurrent:
        net.loss(vector(rng, number, n_in), vector(rng, number, n_out), loss=loss)
    elif k == 6:
        c = rng.choice(net.connections())
        c.weight = value(rng, number)
    elif k == 7:
        if recurrent:
            data = [([vector(rng, number, n_in) for _ in range(2)],
                     [None, vector(rng, number, n_out)]) for _ in range(3)]
        else:
            data = [(vector(rng, number, n_in), vector(rng, number, n_out)) for _ in range(4)]
        kwargs = dict(epochs=1, optimizer=opt, verbose=0, metrics=())
        kwargs.update(rng.choice([{}, {}, {"seed": 1j}, {"metrics": True}, {"verbose": "loud"},
                                  {"batch_size": 0}, {"loss": loss}, {"lr": "-1"}]))
        ng.fit(net, data, **kwargs)
    elif k == 8 and isinstance(opt, ng.SGD):
        opt.momentum = rng.choice(["0.9", -1, "nan"])
    elif k == 9 and isinstance(opt, ng.Adam):
        opt.betas = rng.choice([("0.9", "0.99"), ("1", "0.9"), "x"])
    elif k == 10:
        p = rng.choice(net.parameters())
        p.grad = value(rng, number)


@pytest.mark.parametrize("number", [float, Decimal, Fraction], ids=lambda t: t.__name__)
@pytest.mark.parametrize("recurrent", [False, True], ids=["feed-forward", "recurrent"])
def test_every_refusal_of_passes_sequences_fit_and_optimizers_changes_nothing(number, recurrent):
    refused = done = 0
    kinds = set()
    for seed in range(50):
        rng = random.Random(1000 * seed + 10 * [float, Decimal, Fraction].index(number) + recurrent)
        net, opt = make_net(rng, number, recurrent)
        for _ in range(25):
            before = full_state(net, opt)
            try:
                refusing_operation(rng, net, opt, number)
            except ng.NeurographError as e:
                refused += 1
                kinds.add(type(e).__name__)
                after = full_state(net, opt)
                assert after == before, (seed, repr(e))        # refused: nothing changed
            else:
                done += 1
    assert refused > 50 and done > 50, (refused, done)
    assert {"NumberError", "ShapeError"} <= kinds, kinds


# -- the playground's actions: every refused request changes nothing ----------------------

def _junk(rng):
    """A value of the wrong kind or out of range, or a number written too long to parse."""
    return rng.choice([None, -1, 0, 10 ** 9, "x", "nan", "-1", "1e100000000", [], {}, True,
                       "1/0", 1e308, "0." + "9" * 5000])


def _request(rng, pg):
    """A random action with a body that is sometimes right and often not."""
    neurons = [n["name"] for n in pg.state()["neurons"]]
    names = neurons + [c["name"] for c in pg.state()["connections"]]
    bodies = {
        "sample": [{"index": rng.randrange(-1, 5)}, {"x": [_junk(rng)]},
                   {"x": ["0.1"] * len(pg.net.inputs), "y": [_junk(rng)] * len(pg.net.outputs)}],
        "forward": [{}, {"index": _junk(rng)}],
        "backward": [{}, {"index": 0}, {"x": _junk(rng)}],
        "step": [{}, {"index": _junk(rng)}],
        "train": [{"epochs": rng.choice([1, 2, _junk(rng)]), "seconds": rng.choice([0.01, _junk(rng)])}],
        "play": [{"epochs": rng.choice([1, _junk(rng)]), "seconds": 0.01, "since": _junk(rng)}],
        "edit": [{"name": rng.choice(names + ["nope"]), "value": rng.choice(["0.25", _junk(rng)])}],
        "settings": [{"lr": rng.choice(["0.1", _junk(rng)])},
                     {"optimizer": rng.choice(["sgd", "momentum", "adam", "nope", _junk(rng)])},
                     {"loss": rng.choice(["half_sse", "mse", "cross_entropy", _junk(rng)])},
                     {"momentum": _junk(rng)}, {"batch": _junk(rng)},
                     {"weight_decay": rng.choice(["0.01", _junk(rng)])}],
        "dataset": [{"kind": rng.choice(["own", "xor", "circle", "spiral", "nope", _junk(rng)]),
                     "noise": rng.choice([0, 10, _junk(rng)]),
                     "split": rng.choice([50, 80, _junk(rng)])},
                    {"features": rng.choice([["x1", "x2"], ["nope"], _junk(rng)])}],
        "architecture": [{"hidden": rng.choice([[2], [3, 2], [], _junk(rng), [0], [10 ** 6]]),
                          "activations": rng.choice([["tanh"], ["nope"], _junk(rng)])}],
        "time": [{"step": rng.choice([0, 1, _junk(rng)])}],
        "walk": [{"phase": rng.choice(["forward", "backward", _junk(rng)])}],
        "quiz": [{"phase": rng.choice(["forward", "backward", _junk(rng)])}],
        "next": [{}], "prev": [{}],
        "answer": [{"name": rng.choice(["o1.delta", "nope", _junk(rng)]),
                    "answer": rng.choice(["0.1", _junk(rng)])}],
        "explain": [{"name": rng.choice(names + ["nope", _junk(rng)]),
                     "update": rng.choice([False, True]), "step": _junk(rng)}],
        "heatmaps": [{"size": rng.choice([8, _junk(rng)])}],
        "reset": [{}],
        "load": [{"format": "neurograph", "version": _junk(rng)}, {}, _junk(rng)],
        "nope": [{}],
    }
    action = rng.choice(sorted(bodies))
    return action, rng.choice(bodies[action])


def _everything(pg):
    """All a client can read of the playground, and the optimizer's numbers."""
    import json
    return (json.dumps(pg.state(), sort_keys=True, default=str),
            json.dumps(pg.act("model"), sort_keys=True, default=str),
            repr(pg.opt._numbers()))


@pytest.mark.parametrize("model", ["mazur", "xor", "echo", "mazur-decimal", "toy_relu"])
def test_every_refused_playground_action_changes_nothing(model):
    from neurograph.playground import Playground, resolve
    from neurograph.playground.errors import ApiError
    refused = done = 0
    for seed in range(6):
        rng = random.Random(seed)
        if model == "mazur-decimal":
            ex = ng.textbook.mazur(Decimal)
            pg = Playground(ex.net, [(ex.x, ex.y)], lr=ex.lr)
        else:
            net, data, options = resolve(model)
            pg = Playground(net, data, **options)
        for _ in range(25):
            action, body = _request(rng, pg)
            before = _everything(pg)
            try:
                pg.act(action, body)
            except (ApiError, ng.NeurographError) as e:
                refused += 1
                assert _everything(pg) == before, (model, seed, action, body, str(e)[:200])
            else:
                done += 1
    assert refused > 20 and done > 20, (refused, done)
