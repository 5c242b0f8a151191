"""Back-propagated gradients against the tests' own central differences (conftest.py), on random
DAGs and on softmax outputs at different depths."""
import math
import random

import pytest

import neurograph as ng
from conftest import central_difference

ACTS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]


def random_dag(rng, acts=ACTS, n_in=None, n_hidden=None):
    """A random DAG: each new neuron draws sources from all earlier neurons (skip connections)."""
    net = ng.Net(seed=rng.randrange(10 ** 6))
    n_in = n_in or rng.randint(1, 4)
    pool = [net.add_input("x%d" % i) for i in range(n_in)]
    shared = net.add_parameter("shared_b", rng.uniform(-0.5, 0.5))
    tied = net.add_parameter("tied_w", rng.uniform(-1, 1))
    for j in range(n_hidden or rng.randint(2, 9)):
        bias_choice = rng.random()
        bias = None if bias_choice < 0.2 else shared if bias_choice < 0.4 else rng.uniform(-1, 1)
        n = net.add_neuron("n%d" % j, activation=rng.choice(acts), bias=bias)
        k = rng.randint(1, min(4, len(pool)))
        for src in rng.sample(pool, k):
            w = tied if rng.random() < 0.15 else rng.uniform(-1.5, 1.5)
            net.connect(src, n, w)
        pool.append(n)
    return net


def half_sse(outs, ys):
    return 0.5 * sum((a - y) ** 2 for a, y in zip(outs, ys))


def numeric_grad(net, p, x, y):
    return central_difference(lambda: half_sse(net.forward(x), y), p)


@pytest.mark.parametrize("seed", range(40))
def test_random_dag_gradients(seed):
    rng = random.Random(seed)
    net = random_dag(rng)
    x = [rng.uniform(-1, 1) for _ in net.inputs]
    y = [rng.uniform(-1, 1) for _ in net.outputs]
    net.zero_grad()
    net.forward(x)
    net.backward(y, loss="half_sse")
    analytic = {p.name: p.grad for p in net.parameters()}
    for p in net.parameters():
        num = numeric_grad(net, p, x, y)
        assert analytic[p.name] == pytest.approx(num, rel=1e-5, abs=1e-7), p.name


def test_every_activation_alone():
    for act in ACTS:
        net = ng.Net()
        x = net.add_input("x")
        h = net.add_neuron("h", activation=act, bias=0.3)
        o = net.add_neuron("o", activation=act, bias=-0.2)
        net.connect(x, h, 0.7)
        net.connect(h, o, -1.3)
        net.connect(x, o, 0.4)  # skip connection
        net.forward([0.9])
        net.backward([0.1])
        for p in net.parameters():
            assert p.grad == pytest.approx(numeric_grad(net, p, [0.9], [0.1]), rel=1e-5,
                                           abs=1e-8), (act, p.name)


def two_depth_softmax_net():
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h = net.add_neuron("h", activation="tanh", bias=0.1)
    o1 = net.add_neuron("o1", activation="softmax", bias=0.2)     # fed by an input: layer 1
    o2 = net.add_neuron("o2", activation="softmax", bias=-0.3)    # fed by h: layer 2
    net.connect(x1, h, 0.7)
    net.connect(x2, h, -0.4)
    net.connect(x1, o1, 0.5)
    net.connect(x2, o1, 0.25)
    net.connect(h, o2, 1.5)
    return net


def test_softmax_outputs_at_different_depths_are_normalised_together():
    net = two_depth_softmax_net()
    assert [n.layer for n in net.outputs] == [1, 2]
    a1, a2 = net.forward([0.3, -0.8])
    z1, z2 = net["o1"].z, net["o2"].z
    assert a1 + a2 == pytest.approx(1.0)
    assert a1 == pytest.approx(math.exp(z1) / (math.exp(z1) + math.exp(z2)))
    loss = net.backward([1.0, 0.0], loss="cross_entropy")
    assert loss == pytest.approx(-math.log(a1))
    assert loss > 0.01


@pytest.mark.parametrize("loss", ["cross_entropy", "half_sse", "mse"])
def test_softmax_at_different_depths_gradients_match_central_differences(loss):
    net = two_depth_softmax_net()
    x, y = [0.3, -0.8], [0.2, 0.8]
    net.forward(x)
    net.backward(y, loss=loss)
    for p in net.parameters():
        numeric = central_difference(lambda: net.loss(x, y, loss), p)
        assert p.grad == pytest.approx(numeric, rel=1e-5, abs=1e-8), p.name


def test_gradcheck_agrees_and_names_worst():
    net = random_dag(random.Random(7))
    x = [0.3] * len(net.inputs)
    y = [0.1] * len(net.outputs)
    result = ng.gradcheck(net, x, y)
    assert result.ok
    assert result.worst.name in {p.name for p in net.parameters()}


def test_gradcheck_fails_on_a_wrong_derivative():
    wrong = ng.Activation("wrong", math.tanh, lambda z: 1.0)  # derivative deliberately wrong
    net = ng.Net()
    x = net.add_input("x")
    o = net.add_neuron("o", activation=wrong, bias=0.1)
    net.connect(x, o, 0.8, name="w")
    result = ng.gradcheck(net, [1.0], [0.0])
    assert not result.ok
    assert {r.name for r in result.failures()} == {"w", "o.bias"}


def test_gradcheck_leaves_net_unchanged():
    net = random_dag(random.Random(3))
    x = [0.5] * len(net.inputs)
    y = [0.0] * len(net.outputs)
    net.forward(x)
    net.backward(y)
    before = [(p.name, p.value, p.grad) for p in net.parameters()]
    state = [(n.z, n.a, n.delta) for n in net.neurons]
    ng.gradcheck(net, x, y)
    assert [(p.name, p.value, p.grad) for p in net.parameters()] == before
    assert [(n.z, n.a, n.delta) for n in net.neurons] == state


def test_shared_parameter_accumulates_every_use():
    net = ng.Net()
    x = net.add_input("x")
    t = net.add_parameter("t", 0.5)
    h = net.add_neuron("h", activation="identity", bias=None)
    o = net.add_neuron("o", activation="identity", bias=None)
    c1 = net.connect(x, h, t)
    c2 = net.connect(h, o, t)
    net.forward([2.0])          # o = t * t * x = 0.5
    net.backward([0.0])         # E = 1/2 o^2, dE/dt = o * 2 t x = 0.5 * 2 * 0.5 * 2 = 1.0
    assert t.grad == pytest.approx(1.0)
    assert c1.grad == c2.grad == t.grad
    assert c1.local_grad + c2.local_grad == pytest.approx(t.grad)
    assert c1.tied and c1.param is t
