"""Wrong answers and rough edges found by testing (each test failed before its fix)."""
import math

import pytest

import neurograph as ng
from conftest import central_difference


# -- softmax outputs at different depths form one group -----------------------------

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
