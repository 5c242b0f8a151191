"""Wrong answers and rough edges found by testing (each test failed before its fix)."""
import math
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from conftest import central_difference, input_difference


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


# -- explain -----------------------------------------------------------------------

def test_explain_refuses_a_forward_pass_newer_than_the_backward_pass():
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    net.forward([0.9, -0.3])
    with pytest.raises(ng.StateError, match="forward and a backward pass on the net as it is now"):
        net.explain("w5")
    net.backward(ex.y)
    text = str(net.explain("w5"))
    assert "closed form" not in text          # half_sse with sigmoid has no closed form


def test_closed_form_label_only_where_the_loss_cancels():
    net = ng.Net.dense([2, 3, 2], activation="tanh", output_activation="sigmoid", seed=3)
    net.forward([0.4, -0.2])
    net.backward([1.0, 0.0], loss="binary_cross_entropy")
    text = str(net.explain("o1"))
    o1 = net["o1"]
    assert "closed form" in text and "out_o1 - y_o1" in text
    assert "%.9f - 1.000000000" % o1.a in text
    assert o1.delta == pytest.approx(o1.a - 1.0)
    net.forward([0.4, -0.2])
    net.backward([1.0, 0.0], loss="half_sse")
    assert "closed form" not in str(net.explain("o1"))


def test_explain_shows_the_softmax_numbers():
    net = ng.Net.dense([2, 3], activation="identity", output_activation="softmax", seed=1)
    net.forward([0.5, -1.0])
    net.backward([0.0, 1.0, 0.0], loss="cross_entropy")
    o2 = net["o2"]
    text = str(net.explain("o2"))
    assert "out_o2 - y_o2" in text and "%.9f - 1.000000000" % o2.a in text
    assert o2.delta == pytest.approx(o2.a - 1.0)
    # another loss: a_i (g_i - sum_j g_j a_j) with every term filled in
    net.forward([0.5, -1.0])
    net.backward([0.0, 1.0, 0.0], loss="half_sse")
    text = str(net.explain("o2"))
    os = net.outputs
    shift = sum(n.grad_a * n.a for n in os)
    assert "softmax Jacobian couples the group o1, o2, o3" in text
    for n in os:
        assert "%.9f * %.9f" % (n.grad_a, n.a) in text.replace("(-", "-").replace(")", "") or \
               ("%.9f" % n.grad_a) in text
    assert ("%.9f" % shift) in text
    assert o2.delta == pytest.approx(o2.a * (o2.grad_a - shift))


def test_inputs_have_grad_a_and_explain_it():
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    i1 = net["i1"]
    expected = net["h1"].delta * 0.15 + net["h2"].delta * 0.25
    assert i1.grad_a == pytest.approx(expected, rel=1e-15)
    dEdx = i1.grad_a                     # (the next forward pass starts it at 0 again)
    numeric = input_difference(lambda x: net.loss(x, ex.y), ex.x, 0, 1e-6)
    assert dEdx == pytest.approx(numeric, rel=1e-6)
    assert i1.grad_a == 0                # a new pass: its error is not known yet
    net.forward(ex.x)
    net.backward(ex.y)
    e = net.explain("i1")
    assert e.value == i1.grad_a and "BP2" in str(e) and "delta_h1" in str(e)


# -- cross-entropy on outputs that can leave (0, 1) ---------------------------------


# -- errors that said the wrong thing ------------------------------------------------


def test_explain_and_rounding_modes_stay_exact_in_decimal():
    ex = ng.textbook.mazur(Decimal)
    ex.net.forward(ex.x)
    with ng.rounding(places=4):
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    assert ex.net["o1"].delta == Decimal("0.1385")
    assert type(ex.net["o1"].delta) is Decimal and type(ex.net["w5"].grad) is Decimal
    assert ex.net["w5"].grad == Decimal("0.0822")


def test_fraction_net_stays_fraction_through_the_walk():
    net = ng.Net.dense([2, 2, 1], activation="identity", number=Fraction)
    net.forward(["1/3", "1/7"])
    net.backward(["1/2"])
    for n in net.neurons:
        assert type(n.a) is Fraction and type(n.grad_a) is Fraction
    for p in net.parameters():
        assert type(p.grad) is Fraction
