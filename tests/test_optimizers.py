"""Activations, losses and optimizers: central differences computed here, and two optimizer
steps written out by hand."""
import math
from fractions import Fraction as F

import pytest

import neurograph as ng
from conftest import assert_refused, central_difference, two_input_net

X = [0.3, -0.7, 0.9]


# -- losses written out independently of neurograph ------------------------------------
def half_sse(a, y):
    return 0.5 * sum((p - q) ** 2 for p, q in zip(a, y))


def mse(a, y):
    return sum((p - q) ** 2 for p, q in zip(a, y)) / len(a)


def bce(a, y):
    return -sum(q * math.log(p) + (1 - q) * math.log(1 - p) for p, q in zip(a, y))


def cce(a, y):
    return -sum(q * math.log(p) for p, q in zip(a, y) if q)


def quartic(a, y):
    return sum((p - q) ** 4 for p, q in zip(a, y)) / 4


QUARTIC = ng.Loss("quartic", quartic, lambda a, y: [(p - q) ** 3 for p, q in zip(a, y)])
SOFTSIGN_Z = ng.Activation("softsign_z", lambda z: z / (1 + abs(z)),
                           lambda z: 1 / (1 + abs(z)) ** 2, wrt="z")
SOFTSIGN_A = ng.Activation("softsign_a", lambda z: z / (1 + abs(z)),
                           lambda a: (1 - abs(a)) ** 2, wrt="a")
MY_SIGMOID = ng.Activation("my_sigmoid", lambda z: 1 / (1 + math.exp(-z)),
                           lambda a: a * (1 - a), wrt="a")


def check(net, x, y, value_fn, loss, eps=1e-6, tol=1e-6):
    """backward's grad of every parameter against a central difference of value_fn."""
    net.zero_grad()
    net.forward(x)
    net.backward(y, loss=loss)
    analytic = {p.name: p.grad for p in net.parameters()}
    assert len(analytic) == len(net.parameters()) > 0
    worst = 0.0
    for p in net.parameters():
        numeric = central_difference(lambda: value_fn(net.forward(x), y), p, eps)
        err = abs(analytic[p.name] - numeric)
        assert err <= tol * (1 + abs(numeric)), (p.name, analytic[p.name], numeric)
        worst = max(worst, abs(numeric))
    assert worst > 1e-4, "every gradient is zero: the check proves nothing"


HIDDEN = ["identity", "sigmoid", "tanh", "relu", ng.activation("leaky_relu", slope=0.2), "elu",
          ng.activation("elu", alpha=0.5), "softplus", SOFTSIGN_Z, SOFTSIGN_A, MY_SIGMOID]


@pytest.mark.parametrize("act", HIDDEN, ids=lambda a: getattr(a, "name", a) + (
    str(sorted(a.params.items())) if getattr(a, "params", None) else ""))
def test_every_activation_hidden_and_output(act):
    net = ng.Net.dense([3, 4, 2], activation=act, seed=3)
    for k, n in enumerate(net.layers[1]):
        n.bias.value = -0.3 if k % 2 else 0.3  # z of both signs: leaky/elu's both sides
    for n in net.outputs:
        n.bias.value = 0.5
    check(net, X, [0.2, 0.9], half_sse, "half_sse")


def test_leaky_relu_slope_and_elu_reach_their_negative_side():
    net = ng.Net.dense([3, 4, 2], activation=ng.activation("leaky_relu", slope=0.2), seed=3)
    for k, n in enumerate(net.layers[1]):
        n.bias.value = -0.3 if k % 2 else 0.3
    net.forward(X)
    zs = [n.z for n in net.layers[1]]
    assert any(z < 0 for z in zs) and any(z > 0 for z in zs)
    for n in net.layers[1]:
        assert n.a == (n.z if n.z > 0 else 0.2 * n.z)
    assert ng.activation("leaky_relu", slope=0.2).derivative(-1.0) == 0.2
    assert ng.elu.derivative(-1.0) == pytest.approx(math.exp(-1.0))


@pytest.mark.parametrize("loss,fn,out_act", [
    ("half_sse", half_sse, "sigmoid"),
    ("mse", mse, "sigmoid"),
    ("mse", mse, "identity"),
    ("binary_cross_entropy", bce, "sigmoid"),
    ("binary_cross_entropy", bce, MY_SIGMOID),          # no closed form: the generic path
    ("cross_entropy", bce, "sigmoid"),                   # Nielsen's form with sigmoid outputs
    ("cross_entropy", cce, "softmax"),                   # delta = a - y
    ("categorical_cross_entropy", cce, "softmax"),
    ("half_sse", half_sse, "softmax"),                   # softmax Jacobian, no shortcut
    (QUARTIC, quartic, "tanh"),
], ids=lambda v: getattr(v, "name", v) if not callable(v) or isinstance(v, ng.Loss) else "")
def test_every_loss(loss, fn, out_act):
    net = ng.Net.dense([3, 4, 3], activation="tanh", output_activation=out_act, seed=5)
    y = [0.0, 1.0, 0.0] if fn is cce else [0.1, 0.8, 0.4]
    check(net, X, y, fn, loss)


def test_softmax_with_cross_entropy_soft_targets_and_output_delta():
    net = ng.Net.dense([3, 4, 3], activation="sigmoid", output_activation="softmax", seed=2)
    y = [0.3, 0.5, 0.0]                      # not one-hot, not summing to 1
    check(net, X, y, cce, "cross_entropy")
    net.forward(X)
    net.backward([0.0, 0.0, 1.0], loss="cross_entropy")
    for o, t in zip(net.outputs, [0.0, 0.0, 1.0]):
        assert o.delta == pytest.approx(o.a - t, abs=1e-15)


def test_cross_entropy_never_raises_at_saturation():
    net = ng.Net.dense([1, 1], activation="sigmoid", seed=0)
    net["i1->o1"].weight = 1000.0
    net.forward([1.0])                      # a == 1.0 exactly
    assert net["o1"].a == 1.0
    value = net.backward([0.0], loss="binary_cross_entropy")
    assert math.isfinite(value) and value > 20


@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy"])
def test_cross_entropy_refuses_outputs_outside_0_1(loss):
    net = ng.Net.dense([3, 4, 3], activation="tanh", output_activation="identity")
    net.forward([0.1, 0.2, 0.3])
    with pytest.raises(ng.NumberError, match="identity.*sigmoid"):
        net.backward([1.0, 0.0, 0.0], loss=loss)
    with pytest.raises(ng.NumberError, match="identity"):
        ng.fit(net, [([0.1, 0.2, 0.3], [1.0, 0.0, 0.0])], epochs=1, loss=loss, verbose=0)


def test_custom_loss_and_activation_with_a_dag():
    net = ng.Net(seed=4)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h = net.add_neuron("h", activation=SOFTSIGN_A, bias=0.1)
    g = net.add_neuron("g", activation=SOFTSIGN_Z, bias=-0.2)
    o = net.add_neuron("o", activation="identity", bias=0.0)
    net.connect(x1, h, 0.5); net.connect(x2, h, -0.4); net.connect(h, g, 0.9)
    net.connect(x1, g, 0.3); net.connect(g, o, 1.1); net.connect(h, o, -0.7)
    check(net, [0.6, -0.8], [0.25], quartic, QUARTIC)


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "elu", "tanh", "relu", "leaky_relu",
                                  "identity"])
@pytest.mark.parametrize("z", [1e6, -1e6, 1e300, -1e300])
def test_activation_limits_without_overflow(name, z):
    act = ng.activation(name)
    a = act(z)
    d = act.derivative(z)
    assert not math.isnan(a) and not math.isnan(d)
    expected = {
        "sigmoid": 1.0 if z > 0 else 0.0, "tanh": 1.0 if z > 0 else -1.0,
        "softplus": z if z > 0 else 0.0, "elu": z if z > 0 else -1.0,
        "relu": z if z > 0 else 0.0, "leaky_relu": z if z > 0 else 0.01 * z, "identity": z,
    }[name]
    assert a == expected


def test_cross_entropy_stays_finite_at_0_and_1():
    for name in ("cross_entropy", "binary_cross_entropy", "categorical_cross_entropy"):
        L = ng.loss(name)
        v = L.value([0.0, 1.0], [1.0, 0.0])
        g = L.gradient([0.0, 1.0], [1.0, 0.0])
        assert math.isfinite(v) and all(math.isfinite(x) for x in g), name


def test_softmax_with_extreme_inputs():
    a = ng.softmax.of([1e6, 0.0, -1e6])
    assert a == [1.0, 0.0, 0.0]


# -- optimizers: two steps by hand --------------------------------------------------------
# One weight w, input 2, target 1, identity output, half_sse:
#   out = 2w, dC/dw = (2w - 1) * 2.
def one_weight(number=F, w="1"):
    net = ng.Net(number=number)
    i = net.add_input("i")
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(i, o, w, name="w")
    return net


def two_steps(net, opt):
    trail = []
    for _ in range(2):
        net.forward(["2"])
        net.backward(["1"])
        opt.step()
        opt.zero_grad()
        trail.append(net["w"].weight)
    return trail


def test_sgd_plain_by_hand():
    # g0 = (2 - 1) 2 = 2; w1 = 1 - 0.1*2 = 0.8; g1 = (1.6 - 1) 2 = 1.2; w2 = 0.8 - 0.12 = 0.68
    net = one_weight()
    assert two_steps(net, ng.SGD(net, lr="1/10")) == [F(4, 5), F(17, 25)]


def test_sgd_momentum_by_hand():
    # v1 = 2, w1 = 0.8; g1 = 1.2, v2 = 0.9*2 + 1.2 = 3.0, w2 = 0.8 - 0.3 = 0.5
    net = one_weight()
    opt = ng.SGD(net, lr="1/10", momentum="9/10")
    assert two_steps(net, opt) == [F(4, 5), F(1, 2)]
    assert opt.state("w") == {"velocity": F(3)}


def test_sgd_nesterov_by_hand():
    # v1 = 2, w1 = 1 - 0.1 (2 + 0.9*2) = 0.62; g1 = (1.24 - 1) 2 = 0.48;
    # v2 = 0.9*2 + 0.48 = 2.28, w2 = 0.62 - 0.1 (0.48 + 0.9*2.28) = 0.3668
    net = one_weight()
    opt = ng.SGD(net, lr="1/10", momentum="9/10", nesterov=True)
    assert two_steps(net, opt) == [F("0.62"), F("0.3668")]
    assert opt.state("w")["velocity"] == F("2.28")


def test_sgd_weight_decay_by_hand():
    # g0 = 2 + 0.5*1 = 2.5, w1 = 0.75; g1 = (1.5 - 1) 2 + 0.5*0.75 = 1.375, w2 = 0.6125
    net = one_weight()
    assert two_steps(net, ng.SGD(net, lr="1/10", weight_decay="1/2")) == [F("0.75"), F("0.6125")]


def test_adam_by_hand():
    net = one_weight(float, 1.0)
    opt = ng.Adam(net, lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    w1, w2 = two_steps(net, opt)
    # step 1: g = 2, m = 0.1*2 = 0.2, v = 0.001*4 = 0.004, m^ = 0.2/0.1 = 2, v^ = 0.004/0.001 = 4
    e1 = 1.0 - 0.1 * 2.0 / (math.sqrt(4.0) + 1e-8)
    assert w1 == pytest.approx(e1, rel=1e-14)
    # step 2: g = (2 w1 - 1) 2, m = 0.9*0.2 + 0.1 g, v = 0.999*0.004 + 0.001 g^2
    g = (2 * e1 - 1) * 2
    m = 0.9 * 0.2 + 0.1 * g
    v = 0.999 * 0.004 + 0.001 * g * g
    e2 = e1 - 0.1 * (m / (1 - 0.9 ** 2)) / (math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    assert w2 == pytest.approx(e2, rel=1e-14)
    assert opt.state("w")["m"] == pytest.approx(m, rel=1e-14)
    assert opt.state("w")["v"] == pytest.approx(v, rel=1e-14)
    assert opt.steps == 2


def test_adam_weight_decay_by_hand():
    net = one_weight(float, 1.0)
    opt = ng.Adam(net, lr=0.1, weight_decay=0.5)
    w1, _ = two_steps(net, opt)
    g = 2.0 + 0.5 * 1.0
    m, v = 0.1 * g, 0.001 * g * g
    assert w1 == pytest.approx(1.0 - 0.1 * (m / 0.1) / (math.sqrt(v / 0.001) + 1e-8), rel=1e-14)


@pytest.mark.parametrize("options,expected", [
    ({}, F(1, 2) - F(1, 10) * 5),                                  # w - lr g, g summed once
    ({"momentum": "1/2"}, F(1, 2) - F(1, 10) * 5),                 # first step: v = g
    ({"weight_decay": "1/10"}, F(1, 2) - F(1, 10) * (5 + F(1, 10) * F(1, 2))),
], ids=["plain", "momentum", "weight_decay"])
def test_sgd_frozen_skipped_shared_summed(options, expected):
    net = ng.Net(number=F)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    tied = net.add_parameter("tied", "1/2")
    frozen = net.add_parameter("frozen_b", "1/4", trainable=False)
    o = net.add_neuron("o", activation="identity", bias=frozen)
    c1 = net.connect(x1, o, tied)
    c2 = net.connect(x2, o, tied)
    net.forward(["1", "3"])                 # out = 1/2 + 3/2 + 1/4 = 9/4
    net.backward(["1"])                     # delta = 5/4
    assert tied.grad == F(5, 4) * 1 + F(5, 4) * 3 == c1.grad == c2.grad   # one summed gradient
    assert frozen.grad == F(5, 4)
    ng.SGD(net, lr="1/10", **options).step()
    assert tied.value == expected and c1.weight == c2.weight == expected
    assert frozen.value == F(1, 4)


def test_adam_skips_frozen_and_updates_shared_once():
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    tied = net.add_parameter("tied", 0.5)
    o = net.add_neuron("o", activation="identity", bias=0.25)
    net.connect(x1, o, tied)
    net.connect(x2, o, tied)
    net["o.bias"].trainable = False
    net.forward([1.0, 3.0]); net.backward([1.0])
    opt = ng.Adam(net, lr=0.1)
    opt.step()
    # one Adam step moves by lr * g / (|g| + eps): about 0.1, once (not twice)
    assert tied.value == pytest.approx(0.5 - 0.1 * 5.0 / (5.0 + 1e-8), rel=1e-14)
    assert net["o.bias"].value == 0.25


def test_lr_schedule_sets_opt_lr_every_epoch():
    net = one_weight()
    opt = ng.SGD(net, lr="1")
    seen = []
    h = ng.fit(net, [(["2"], ["1"])], epochs=5, optimizer=opt,
               schedule=ng.step_decay("1/10", every=2, factor="1/2"), metrics=(), verbose=0,
               callbacks=[lambda ev, info: seen.append(info["optimizer"].lr)
                          if ev == "epoch_begin" else None])
    assert seen == h.metric("lr") == [F(1, 10), F(1, 10), F(1, 20), F(1, 20), F(1, 40)]
    assert opt.lr == F(1, 40)
    net2 = one_weight()
    h2 = ng.fit(net2, [(["2"], ["1"])], epochs=3, optimizer="sgd",
                schedule=lambda e: F(1, 10 * (e + 1)), metrics=(), verbose=0)
    assert h2.metric("lr") == [F(1, 10), F(1, 20), F(1, 30)]
    h3 = ng.fit(one_weight(float, 1.0), [([2.0], [1.0])], epochs=3, optimizer="sgd",
                schedule=ng.exponential_decay(0.1, 0.5), metrics=(), verbose=0)
    assert h3.metric("lr") == [0.1, 0.05, 0.025]


def test_schedule_arguments_checked():
    with pytest.raises(ng.NumberError):
        ng.step_decay(0.1, every=0)
    with pytest.raises(ng.NumberError):
        ng.exponential_decay(0.1, 0.5)(-1)
    with pytest.raises(ng.NumberError):   # a schedule giving a negative rate is refused by opt.lr
        ng.fit(one_weight(float, 1.0), [([2.0], [1.0])], epochs=1, schedule=lambda e: -1.0,
               verbose=0)


@pytest.mark.parametrize("lr", [-0.1, -1, "-1e-9"])
def test_learning_rate_must_not_be_negative(lr):
    net = two_input_net()
    assert_refused(net, lambda: ng.SGD(net, lr=lr), match=">= 0")


def test_learning_rate_zero_changes_nothing():
    net = two_input_net()
    opt = ng.SGD(net, lr=0)          # accepted, as in most libraries: a frozen phase
    before = net.values()
    net.forward([0.1, 0.2]); net.backward([0.5]); opt.step()
    assert net.values() == before


@pytest.mark.parametrize("layer", [0, -1, 99, "1", 1.0, True])
def test_step_layer_is_checked(layer):
    net = ng.Net.dense([2, 3, 1])
    opt = ng.SGD(net, lr=0.5)
    net.forward([0.1, 0.2]); net.backward([1.0])
    before = net.values()
    with pytest.raises(ng.NumberError, match="from 1 to 2"):
        opt.step(layer=layer)
    assert net.values() == before and opt.steps == 0


def test_step_of_one_layer_updates_only_it():
    net = ng.Net.dense([2, 3, 1])
    opt = ng.SGD(net, lr=0.5)
    net.forward([0.1, 0.2]); net.backward([1.0])
    before = net.values()
    opt.step(layer=2)
    changed = {k for k, v in net.values().items() if v != before[k]}
    assert changed == {"o1.bias", "h1_1->o1", "h1_2->o1", "h1_3->o1"}


def test_optimizer_settings_are_checked_when_set():
    net = ng.Net.dense([1, 1])
    opt = ng.SGD(net, lr=0.1)
    with pytest.raises(ng.NumberError, match="weight_decay"):
        opt.weight_decay = -5.0
    adam = ng.Adam(net, lr=0.1)
    with pytest.raises(ng.NumberError, match="beta2"):
        adam.betas = (0.9, "x")
    with pytest.raises(ng.NumberError, match="beta2"):
        ng.Adam(net, betas=(0.9, "x"))
    assert adam.betas == (0.9, 0.999) and adam.steps == 0
    assert ng.SGD(net, lr=0).lr == 0                     # a rate of 0 is allowed


# -- a gradient set as text, a rate of 0, a failed immediate step ------------------------

def test_a_gradient_set_by_hand_as_text_is_stepped_once():
    # (item 2) SGD.step() applied the update twice when a grad was a string in a float net
    net = ng.Net.dense([1, 1], activation="identity", seed=0)
    net.forward([1.0])
    net.backward([0.0])
    net.zero_grad()
    net["o1.bias"].grad = 1.0
    w = net["i1->o1"]
    before = w.weight
    w.grad = "2"
    assert w.grad == 2.0
    ng.SGD(net, lr=0.1).step()
    assert net["o1.bias"].value == -0.1 and w.weight == before - 0.2
    for bad in (None, 10 ** 400, "x"):
        with pytest.raises(ng.NumberError):
            w.grad = bad
        assert w.grad == 2.0


def test_a_learning_rate_of_0_is_one_rule_everywhere(tmp_path):
    # (item 9) lr 0 was accepted by SGD, Adam and fit but refused by the reader
    net = ng.Net.dense([2, 1], seed=0)
    before = net.values()
    for opt in (ng.SGD(net, lr=0), ng.Adam(net, lr="0")):
        ng.fit(net, ng.datasets.xor(), epochs=1, optimizer=opt, verbose=0)
        assert net.values() == before                # lr 0 changes no weight
        net.save(tmp_path / "m.json", optimizer=opt)
        assert ng.load_checkpoint(tmp_path / "m.json").optimizer.lr == 0
    for bad in (-1, "-0.1", float("nan")):
        with pytest.raises(ng.NumberError, match=r"learning rate lr of SGD"):
            ng.SGD(net, lr=bad)


def test_a_failed_immediate_backward_puts_back_every_weight_and_the_step_count():
    # (item 6) backward(y, step=opt) that failed said "no gradient was changed" while a weight
    # was stepped, grads and deltas changed and opt.steps went from 0 to 1
    def boom(z):
        if z > 5:
            raise ValueError("math domain error")
        return 1.0
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation=ng.Activation("odd", lambda z: z, boom), bias=0.0)
    o = net.add_neuron("o", activation="identity", bias=0.0)
    net.connect(x, h, 10.0)
    net.connect(h, o, 2.0)
    opt = ng.SGD(net, lr=0.1, momentum=0.5)
    net.forward([1.0])
    numbers = ([(p.name, p.value, p.grad) for p in net.parameters()],
               [(n.name, n.z, n.a, n.delta, n.grad_a) for n in net.neurons])
    state = (opt.steps, opt.state("h->o"))
    with pytest.raises(ng.NumberError, match="neuron 'h'"):
        net.backward([0.0], step=opt)
    assert ([(p.name, p.value, p.grad) for p in net.parameters()],
            [(n.name, n.z, n.a, n.delta, n.grad_a) for n in net.neurons]) == numbers
    assert (opt.steps, opt.state("h->o")) == state == (0, {"velocity": 0.0})


def test_step_goes_through_update_so_a_subclass_that_overrides_it_is_used():
    net = ng.Net.dense([2, 1], activation="identity", seed=0)
    net.forward([1.0, 2.0])
    net.backward([0.0])
    calls = []

    class Clipped(ng.SGD):
        def update(self, params):
            calls.append(len(params))
            for p in params:
                p.grad = max(-0.01, min(0.01, p.grad))
            super().update(params)

    before = [p.value for p in net.parameters()]
    Clipped(net, lr=1.0).step()
    assert calls == [3]
    assert all(abs(p.value - b) <= 0.01 + 1e-15 for p, b in zip(net.parameters(), before))
