"""The object graph: structure, naming, layers, errors."""
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from conftest import assert_refused, readable_state, two_input_net


def small():
    net = ng.Net()
    i1, i2 = net.add_input("i1"), net.add_input("i2")
    h = net.add_neuron("h", activation="tanh", bias=0.1)
    o = net.add_neuron("o", activation="sigmoid", bias=0.2)
    net.connect(i1, h, 0.5, name="w1")
    net.connect(i2, h, -0.5, name="w2")
    net.connect(h, o, 1.5, name="w3")
    net.connect(i1, o, 0.25, name="skip")
    return net


def snapshot(net):
    return ([(p.name, p.value, p.grad, p.trainable) for p in net.parameters()],
            [(n.name, n.z, n.a, n.delta) for n in net.neurons],
            [(c.name, c.src.name, c.dst.name) for c in net.connections()])


def test_layers_with_skip_connection():
    net = small()
    assert [[n.name for n in layer] for layer in net.layers] == [["i1", "i2"], ["h"], ["o"]]
    assert net["o"].layer == 2
    assert [n.name for n in net.outputs] == ["o"]


def test_lookup_by_name_and_default_edge_names():
    net = ng.Net.dense([2, 3, 1], seed=0)
    assert isinstance(net["h1_2"], ng.Neuron)
    c = net["i2->h1_3"]
    assert isinstance(c, ng.Connection) and c.src.name == "i2" and c.dst.name == "h1_3"
    assert isinstance(net["o1.bias"], ng.Parameter)
    with pytest.raises(ng.NameLookupError, match="h1_2"):
        net["h1_22x"]


def test_weight_set_takes_effect_and_objects_stay_current():
    net = small()
    out1 = net.forward([1.0, 2.0])
    net["w3"].weight = -2.0
    out2 = net.forward([1.0, 2.0])
    assert out1 != out2
    h = net["h"]
    assert h.z == pytest.approx(0.1 + 0.5 * 1.0 - 0.5 * 2.0)
    assert h.a == pytest.approx(math.tanh(h.z))
    assert net["o"].z == pytest.approx(0.2 - 2.0 * h.a + 0.25 * 1.0)


def test_structure_change_after_forward_keeps_values_and_requires_new_forward():
    net = small()
    net.forward([1.0, 2.0])
    a_before = net["h"].a
    h2 = net.add_neuron("h2", activation="relu")
    net.connect("i1", h2, 1.0)
    net.connect(h2, "o", 1.0)
    assert net["h"].a == a_before            # values kept across the re-layout
    with pytest.raises(ng.StateError, match="forward"):
        net.backward([0.5])
    net.forward([1.0, 2.0])
    net.backward([0.5])
    assert net["h2"].delta is not None


def test_backward_before_forward():
    with pytest.raises(ng.StateError, match="forward"):
        small().backward([0.0])


def test_sgd_skips_frozen_and_zero_grad():
    net = small()
    net["w1"].trainable = False
    net.forward([1.0, 2.0])
    net.backward([1.0])
    g = net["w1"].grad
    assert g != 0
    ng.SGD(net, lr=0.1).step()
    assert net["w1"].weight == 0.5
    assert net["w2"].weight != -0.5
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())


def test_gradients_accumulate_over_samples():
    net = small()
    for x, y in (([1.0, 0.0], [0.0]), ([0.0, 1.0], [1.0])):
        net.forward(x)
        net.backward(y)
    acc = {p.name: p.grad for p in net.parameters()}
    total = {}
    for x, y in (([1.0, 0.0], [0.0]), ([0.0, 1.0], [1.0])):
        net.zero_grad()
        net.forward(x)
        net.backward(y)
        for p in net.parameters():
            total[p.name] = total.get(p.name, 0.0) + p.grad
    assert acc == pytest.approx(total)


def test_dense_is_seeded():
    a = ng.Net.dense([3, 4, 2], seed=5)
    b = ng.Net.dense([3, 4, 2], seed=5)
    c = ng.Net.dense([3, 4, 2], seed=6)
    assert [p.value for p in a.parameters()] == [p.value for p in b.parameters()]
    assert [p.value for p in a.parameters()] != [p.value for p in c.parameters()]


def test_same_seed_gives_bit_identical_weights():
    import io
    import fingerprint  # tests/fingerprint.py; CI also compares its output across interpreters
    a, b = io.StringIO(), io.StringIO()
    fingerprint.main(a)
    fingerprint.main(b)
    assert a.getvalue() == b.getvalue()
    assert a.getvalue().count("\n") > 50


def test_chain_of_10000_neurons():
    net = ng.Net()
    prev = net.add_input("x")
    for i in range(10000):
        n = net.add_neuron("n%d" % i, activation="identity", bias=None)
        net.connect(prev, n, 1.0)
        prev = n
    assert net.forward([0.5]) == [0.5]
    assert net.backward([0.0]) == 0.125
    assert net["n0"].delta == 0.5
    assert net["n9999"].layer == 10000
    assert len(net.layers) == 10001


def test_one_neuron_with_100000_inputs():
    net = ng.Net()
    xs = [net.add_input("x%d" % i) for i in range(100000)]
    o = net.add_neuron("o", activation="identity", bias=None)
    for x in xs:
        net.connect(x, o, 0.5)
    assert net.forward([0.001] * 100000) == [pytest.approx(50.0)]
    net.backward([0.0])
    assert net["x99999->o"].grad == pytest.approx(50.0 * 0.001)


def test_chain_of_10000_neurons_everywhere_in_the_core():
    net = ng.Net()
    prev = net.add_input("x")
    for i in range(10000):
        n = net.add_neuron("n%d" % i, activation="tanh", bias=0.0)
        net.connect(prev, n, 1.0)
        prev = n
    net.forward([0.5])
    net.backward([0.0])
    ng.SGD(net, lr=0.1).step()
    assert len(net.layers) == 10001
    assert net["n0"].layer == 1
    # a cycle check across the whole chain is iterative too
    with pytest.raises(ng.TopologyError, match="cycle"):
        net.connect("n9999", "n0", 1.0)
    # BP2 down the whole chain: delta_n0 = product of tanh' along it times dE/da at the end
    assert net["n0"].delta is not None and net["n0"].grad_a is not None


def test_parameters_each_once():
    net = ng.textbook.mazur().net
    names = [p.name for p in net.parameters()]
    assert sorted(names) == sorted(["b1", "b2"] + ["w%d" % i for i in range(1, 9)])


def test_a_bias_given_as_a_parameter_name_suggests_the_object():
    net = ng.Net()
    net.add_parameter("b1", 0.35)
    with pytest.raises(ng.NumberError, match=r"pass the parameter itself, net\['b1'\]"):
        net.add_neuron("h", bias="b1")
    assert "h" not in net


def test_setting_a_neurons_bias_number_and_none():
    net = ng.Net.dense([1, 1], activation="identity")
    o1 = net["o1"]
    o1.bias = 0.5                               # its own bias: set, no DuplicateNameError
    assert net["o1.bias"] is o1.bias and o1.bias.value == 0.5
    o1.bias = None                              # gone, and so is the parameter
    assert "o1.bias" not in net
    assert [p.name for p in net.parameters()] == ["i1->o1"]
    assert "o1.bias" not in net.to_dict()["neurons"][0].values()
    opt = ng.SGD(net, lr=0.1, weight_decay=0.5)
    net.forward([1.0]); net.backward([0.0]); opt.step()
    o1.bias = 0.25                              # made again
    assert net["o1.bias"].value == 0.25 and net.parameters()[-1] is o1.bias
    shared = net.add_parameter("b", 1.0)
    o1.bias = shared                            # replaced by a shared one: the own one goes
    assert "o1.bias" not in net and o1.bias is shared


def test_repr_is_readable():
    net = small()
    net.forward([1.0, 2.0])
    assert repr(net["h"]).startswith("Neuron(h, layer 1, tanh, z ")
    assert repr(net["w1"]) == "Connection(w1, weight 0.5, grad 0)"
    assert repr(net).startswith("Net(2-1-1: 4 neurons, 4 connections")


# -- errors leave the net unchanged --------------------------------------------

@pytest.mark.parametrize("x, exc", [
    ([1.0], ng.ShapeError),
    ([1.0, 2.0, 3.0], ng.ShapeError),
    ([float("nan"), 1.0], ng.NumberError),
    ([float("inf"), 1.0], ng.NumberError),
    (["abc", 1.0], ng.NumberError),
    ([None, 1.0], ng.NumberError),
    ([True, 1.0], ng.NumberError),
    ([1j, 1.0], ng.NumberError),
    ("12", ng.ShapeError),
    (5.0, ng.ShapeError),
])
def test_bad_input(x, exc):
    net = small()
    net.forward([0.3, 0.4])
    before = snapshot(net)
    with pytest.raises(exc) as info:
        net.forward(x)
    assert "input" in str(info.value)
    assert snapshot(net) == before


def test_bad_target_length():
    net = small()
    net.forward([0.3, 0.4])
    before = snapshot(net)
    with pytest.raises(ng.ShapeError, match="target has 2 values but the net expects 1"):
        net.backward([0.0, 1.0])
    assert snapshot(net) == before


def test_a_target_of_the_wrong_length_names_the_outputs():
    net = ng.Net()
    x = net.add_input("x")
    h1 = net.add_neuron("h1")
    o1, o2 = net.add_neuron("o1"), net.add_neuron("o2")
    net.connect(x, h1)
    net.connect(x, o1)
    net.connect(x, o2)               # h1 feeds nothing: it is an output too
    net.forward([1.0])
    with pytest.raises(ng.ShapeError, match=r"one per output neuron: h1, o1, o2"):
        net.backward([0.0, 1.0])


def test_nan_message_names_position():
    net = small()
    with pytest.raises(ng.NumberError, match=r"input\[1\]"):
        net.forward([0.0, float("nan")])


def test_topology_errors_change_nothing():
    net = small()
    before = snapshot(net)
    cases = [
        (lambda: net.connect("o", "h", 1.0), ng.TopologyError, "cycle o -> h -> o"),
        (lambda: net.connect("h", "h", 1.0), ng.TopologyError, "itself"),
        (lambda: net.connect("h", "i1", 1.0), ng.TopologyError, "input neuron 'i1'"),
        (lambda: net.connect("i1", "h", 1.0), ng.TopologyError, "already connected"),
        (lambda: net.connect("i1", "nope", 1.0), ng.NameLookupError, "nope"),
        (lambda: net.add_neuron("h"), ng.DuplicateNameError, "'h'"),
        (lambda: net.add_parameter("w1", 0.0), ng.DuplicateNameError, "connection 'w1'"),
        (lambda: net.add_neuron("z", activation="sigmod"), ng.NameLookupError, "sigmoid"),
        (lambda: net.connect("i1", "o", float("nan")), ng.TopologyError, "already"),
        (lambda: net.connect("i2", "o", float("nan")), ng.NumberError, "i2->o"),
        (lambda: net.connect(ng.Net().add_input("q"), "o"), ng.TopologyError, "another net"),
    ]
    for fn, exc, text in cases:
        with pytest.raises(exc, match=text):
            fn()
        assert snapshot(net) == before


def test_long_cycle_is_named():
    net = ng.Net()
    x = net.add_input("x")
    prev = x
    chain = []
    for i in range(4):
        n = net.add_neuron("c%d" % i)
        net.connect(prev, n, 1.0)
        chain.append(n)
        prev = n
    with pytest.raises(ng.TopologyError, match="c3 -> c1 -> c2 -> c3"):
        net.connect(chain[3], chain[1], 1.0)


def test_dangling_neuron_and_empty_net():
    with pytest.raises(ng.StateError, match="empty"):
        ng.Net().forward([])
    net = ng.Net()
    net.add_input("x")
    net.add_neuron("lonely")
    with pytest.raises(ng.TopologyError, match="'lonely' has no incoming"):
        net.forward([1.0])


def test_sigmoid_no_overflow():
    for z, expected in ((1000.0, 1.0), (-1000.0, 0.0), (1e6, 1.0), (-1e6, 0.0)):
        assert ng.sigmoid(z) == expected


def test_sse_is_the_sum_of_squares_and_twice_half_sse():
    from fractions import Fraction
    a, y = [Fraction(3, 4), Fraction(1, 4)], [Fraction(1), Fraction(0)]
    assert ng.loss("sse").value(a, y) == Fraction(1, 16) + Fraction(1, 16)
    assert ng.loss("sse").gradient(a, y) == [Fraction(-1, 2), Fraction(1, 2)]
    net = ng.Net.dense([2, 3, 2], activation="tanh", seed=4)
    x, t = [0.3, -0.7], [0.5, -0.25]
    net.forward(x)
    E2 = net.backward(t, loss="sse")
    g2 = [p.grad for p in net.parameters()]
    net.zero_grad()
    net.forward(x)
    E1 = net.backward(t, loss="half_sse")
    assert E2 == pytest.approx(2 * E1, rel=1e-15)
    for p, g in zip(net.parameters(), g2):
        assert g == pytest.approx(2 * p.grad, rel=1e-12, abs=1e-15)
    assert ng.gradcheck(net, x, t, loss="sse").ok


def test_activation_and_loss_names_ignore_case_and_dashes():
    assert ng.activations.activation("ReLU") is ng.activations.activation("relu")
    assert ng.activations.activation("Leaky-ReLU").name == "leaky_relu"
    assert ng.activations.activation("LeakyReLU").name == "leaky_relu"
    assert ng.activations.activation(" Tanh ").name == "tanh"
    assert ng.loss("Half_SSE") is ng.loss("half_sse")
    assert ng.loss("binary-cross-entropy") is ng.loss("binary_cross_entropy")
    net = ng.Net.dense([2, 2], activation="Sigmoid", output_activation="Softmax", seed=0)
    assert net["o1"].activation.name == "softmax"
    with pytest.raises(ng.NameLookupError, match=r"unknown activation 'Sigmod' \(did you mean "
                                                 r"'sigmoid'\?\)"):
        ng.Net.dense([2, 1], activation="Sigmod")
    with pytest.raises(ng.NameLookupError, match=r"unknown loss 'MES' \(did you mean 'mse'\?\)"):
        ng.loss("MES")


def test_an_input_connected_to_itself_is_told_that_inputs_take_no_connections():
    net = ng.Net.dense([2, 1])
    with pytest.raises(ng.TopologyError, match="cannot connect 'i1' into input neuron 'i1'"):
        net.connect("i1", "i1", 0.5)


# -- bad input of every kind: a clear NeurographError, the net exactly as it was ---------

BAD_NUMBERS = [float("nan"), float("inf"), -float("inf"), None, True, "abc", 1j, [1.0], object()]


@pytest.mark.parametrize("bad", BAD_NUMBERS, ids=repr)
def test_bad_numbers_everywhere(bad):
    net = two_input_net()
    assert_refused(net, lambda: net.forward([bad, 0.0]), match="input")
    assert_refused(net, lambda: net.backward([bad]), match="target")
    assert_refused(net, lambda: setattr(net["w1"], "weight", bad), match="w1")
    assert_refused(net, lambda: setattr(net["h.bias"], "value", bad), match="h.bias")
    if bad is not None:  # None means "random weight" for connect and "no bias" for add_neuron
        assert_refused(net, lambda: net.connect("i1", "o", bad), match="i1->o")
        assert_refused(net, lambda: net.add_neuron("new", bias=bad), match="new")
    assert_refused(net, lambda: net.add_parameter("p", bad), match="'p'")
    assert_refused(net, lambda: ng.SGD(net, lr=bad), match="learning rate")
    assert_refused(net, lambda: ng.SGD(net, lr=0.1, momentum=bad), match="momentum")
    assert_refused(net, lambda: ng.Adam(net, lr=bad), match="learning rate")


def test_unknown_names_suggest_the_nearest():
    net = two_input_net()
    e = assert_refused(net, lambda: net["w11"], ng.NameLookupError)
    assert "did you mean" in str(e) and "'w1'" in str(e)
    e = assert_refused(net, lambda: net.backward([1.0], loss="half_ss"), ng.NameLookupError)
    assert "half_sse" in str(e)
    e = assert_refused(net, lambda: net.add_neuron("q", activation="tanhh"), ng.NameLookupError)
    assert "'tanh'" in str(e)
    e = assert_refused(net, lambda: net.connect("hh", "o", 1.0), ng.NameLookupError)
    assert "'h'" in str(e)


def test_names_are_checked():
    net = two_input_net()
    assert_refused(net, lambda: net.add_input("h"), ng.DuplicateNameError, "neuron 'h'")
    assert_refused(net, lambda: net.add_neuron("w3"), ng.DuplicateNameError, "connection 'w3'")
    net.add_neuron("h2", bias=net["h.bias"])
    assert_refused(net, lambda: net.add_neuron("h2"), ng.DuplicateNameError, "neuron 'h2'")
    assert_refused(net, lambda: net.add_neuron("o"), ng.DuplicateNameError, "neuron 'o'")
    net2 = two_input_net()
    assert_refused(net2, lambda: net2.add_neuron(""), ng.NameLookupError, "non-empty")
    assert_refused(net2, lambda: net2.add_neuron("a->b"), ng.NameLookupError, "reserved")
    assert_refused(net2, lambda: net2.add_neuron(3), ng.NameLookupError)
    assert_refused(net2, lambda: net2.connect("i1", "o", 1.0, name="w1"), ng.DuplicateNameError)


def test_topology_cases():
    net = two_input_net()
    other = ng.Net()
    foreign = other.add_input("x")
    assert_refused(net, lambda: net.connect("h", "h"), ng.TopologyError, "itself")
    assert_refused(net, lambda: net.connect("o", "h"), ng.TopologyError, "cycle o -> h -> o")
    assert_refused(net, lambda: net.connect("i2", "h"), ng.TopologyError, "already connected")
    assert_refused(net, lambda: net.connect(foreign, "h"), ng.TopologyError, "another net")
    assert_refused(net, lambda: net.connect("h", "i1"), ng.TopologyError, "input neuron 'i1'")
    assert_refused(net, lambda: net.connect("i1", "o", other.add_parameter("t", 1.0)),
                   ng.TopologyError, "another net")
    assert_refused(net, lambda: net.add_neuron("x", bias=other.add_parameter("b", 1.0)),
                   ng.TopologyError, "another net")


def test_empty_and_output_less_nets():
    with pytest.raises(ng.StateError, match="empty"):
        ng.Net().forward([])
    with pytest.raises(ng.StateError, match="forward"):
        ng.Net().backward([])
    only_inputs = ng.Net()
    only_inputs.add_input("x")
    with pytest.raises(ng.TopologyError, match="no output"):
        only_inputs.forward([1.0])
    no_inputs = ng.Net()
    no_inputs.add_neuron("n")
    with pytest.raises(ng.StateError, match="no input"):
        no_inputs.forward([])


def test_empty_input_for_a_net_with_inputs():
    net = two_input_net()
    assert_refused(net, lambda: net.forward([]), ng.ShapeError, "0 values but the net expects 2")


def test_structure_change_between_forward_and_backward():
    net = two_input_net()
    net.forward([0.1, 0.2])
    extra = net.add_neuron("extra")
    net.connect("i1", extra, 0.3)
    before = readable_state(net)
    with pytest.raises(ng.StateError, match="structure changed"):
        net.backward([1.0, 0.0])
    assert readable_state(net) == before


def test_softmax_on_a_hidden_neuron_is_refused():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="softmax")
    o = net.add_neuron("o")
    net.connect(x, h, 1.0)
    net.connect(h, o, 1.0)
    with pytest.raises(ng.TopologyError, match="'h' uses softmax but is not an output"):
        net.forward([1.0])


def test_a_single_softmax_output_is_refused_naming_it():
    net = ng.Net.dense([2, 1], output_activation="softmax")
    with pytest.raises(ng.TopologyError, match=r"'o1' is the only softmax output: softmax over "
                                               r"one neuron is always 1"):
        net.forward([1.0, 2.0])
    net["o1"].activation = "sigmoid"                     # the fix the message gives
    assert 0 < net.forward([1.0, 2.0])[0] < 1
    two = ng.Net.dense([2, 2], output_activation="softmax")
    assert sum(two.forward([1.0, 2.0])) == pytest.approx(1.0)


INF = float("inf")


@pytest.mark.parametrize("pair", [(INF, -INF), (-INF, INF), (INF, INF), (1e308, 1e308),
                                  (float("nan"), -INF)], ids=repr)
def test_mixed_infinities_are_number_errors_like_a_single_one(pair):
    """fsum of [inf, -inf] raised a raw ValueError before the per-element check."""
    net = two_input_net()
    first = pair[0]
    if first == 1e308:   # finite values whose sum overflows are fine
        net.forward(list(pair))
        return
    msg = "input[0] is %r: only finite numbers are allowed" % first
    e = assert_refused(net, lambda: net.forward(list(pair)), ng.NumberError)
    assert str(e) == msg
    e1 = assert_refused(net, lambda: net.forward([first, 0.0]), ng.NumberError)
    assert str(e1) == msg
    net2 = ng.Net.dense([2, 2, 2], seed=1)
    net2.forward([0.1, 0.2])
    e = assert_refused(net2, lambda: net2.backward(list(pair)), ng.NumberError)
    assert str(e) == "target[0] is %r: only finite numbers are allowed" % first


@pytest.mark.parametrize("number", [float, Decimal, Fraction])
def test_an_input_given_as_a_dict_or_set_asks_for_a_list(number):
    net = ng.Net.dense([2, 1], activation="identity", number=number)
    for values in ({"i1": 1, "i2": 2}, {1, 2}):
        with pytest.raises(ng.ShapeError, match=r"input must be a list of numbers in order, got "
                                                r"a (dict|set).*\(one per input neuron: i1, i2\)"):
            net.forward(values)
    net.forward([1, 2])
    with pytest.raises(ng.ShapeError, match="target must be a list of numbers in order, got a dict"):
        net.backward({"o1": 1})


def test_random_malformed_calls_never_escape_as_other_exceptions():
    rng = random.Random(1234)
    junk = BAD_NUMBERS + [[], [1.0], [1.0, 2.0, 3.0], "x", {}, (), -1, 10 ** 400, "1e999"]
    net = two_input_net()
    calls = [
        lambda v: net.forward(v), lambda v: net.forward([v, 0.1]), lambda v: net.backward(v),
        lambda v: net.backward([v]), lambda v: net[v], lambda v: net.add_neuron(v),
        lambda v: net.add_parameter("p%d" % rng.randrange(10 ** 9), v),
        lambda v: net.connect(v, "o"), lambda v: net.connect("i1", v),
        lambda v: net.connect("i1", "o", v, name="e%d" % rng.randrange(10 ** 9)),
        lambda v: setattr(net["w2"], "weight", v), lambda v: ng.SGD(net, lr=v),
        lambda v: ng.Adam(net, betas=v), lambda v: net.backward([1.0], loss=v),
        lambda v: net.add_neuron("a%d" % rng.randrange(10 ** 9), activation=v),
    ]
    for _ in range(400):
        fn = rng.choice(calls)
        v = rng.choice(junk)
        before = readable_state(net)
        try:
            fn(v)
        except ng.NeurographError:
            assert readable_state(net) == before
        else:
            net = two_input_net()  # a call that was valid may have changed the net: start again


# -- activations: the walk is the one place that applies them ---------------------

def test_activations_have_no_second_implementation_of_the_walk():
    # (issue 22, item 15) Activation.apply/backprop and _Softmax.apply/backprop were never
    # called by the walk: gone, so no subclass can override them in vain.
    for act in (ng.sigmoid, ng.softmax, ng.Activation("sq", lambda z: z * z, lambda z: 2 * z)):
        assert not hasattr(act, "apply") and not hasattr(act, "backprop")
    # what a subclass does override is used: the functions the walk binds
    class Doubled(ng.Activation):
        def functions(self, num):
            return (lambda z: 2 * z), (lambda z: 2.0)
    net = ng.Net()
    x = net.add_input("x")
    y = net.add_neuron("y", activation=Doubled("doubled", lambda z: z, lambda z: 1.0), bias=None)
    w = net.connect(x, y, 1.5)
    assert net.forward([1.0]) == [3.0]
    net.backward([0.0])
    assert y.delta == 6.0 and w.grad == 6.0
    assert [round(a, 6) for a in ng.softmax.of([1.0, 2.0, 3.0])] == [0.090031, 0.244728, 0.665241]


# -- float overflow is a NumericalError, and the pass changes nothing ---------------

def passes_state(net):
    """Every number a pass touches, and the records of the last pass."""
    return (snapshot(net), [n.grad_a for n in net.neurons], net._forwarded, net._backwarded,
            net._last, net.samples_seen)


def one_weight(w, act="identity"):
    net = ng.Net()
    x = net.add_input("x")
    y = net.add_neuron("y", activation=act)
    net.connect(x, y, w)
    return net


def test_a_float_output_that_overflows_is_a_numerical_error_naming_the_neuron():
    # (issue 22, item 8) weight 1e308 with input 10 gave [inf], loss inf, grad inf
    net = one_weight(1e308)
    assert net.forward([0.5]) == [5e307]
    net.backward([5e307])
    before = passes_state(net)
    with pytest.raises(ng.NumericalError, match=r"neuron 'y' .*a = inf: a float overflowed"):
        net.forward([10.0])
    assert passes_state(net) == before
    assert net.backward([5e307]) == 0.0                    # the last pass still stands


def test_nan_from_opposite_overflows_names_the_first_neuron_whose_a_is_not_finite():
    net = ng.Net()
    a, b = net.add_input("a"), net.add_input("b")
    h = net.add_neuron("h", activation="identity", bias=None)
    o = net.add_neuron("o", activation="tanh")
    net.connect(a, h, 1e308)
    net.connect(b, h, -1e308)
    net.connect(h, o, 1.0)
    before = passes_state(net)
    with pytest.raises(ng.NumericalError, match=r"neuron 'h' .*a = nan"):
        net.forward([10.0, 10.0])
    assert passes_state(net) == before


def test_finite_outputs_whose_sum_overflows_are_not_an_error():
    net = ng.Net()
    x = net.add_input("x")
    for name in ("o1", "o2"):
        net.connect(x, net.add_neuron(name, activation="identity", bias=None), 1.5e308)
    assert net.forward([1.0]) == [1.5e308, 1.5e308]


def test_a_custom_activation_that_overflows_silently_is_caught_too():
    net = one_weight(1.0, ng.Activation("cube", lambda z: z * z * z, lambda z: 3 * z * z))
    before = passes_state(net)
    with pytest.raises(ng.NumericalError, match="neuron 'y'"):
        net.forward([1e200])
    assert passes_state(net) == before


def test_a_float_loss_that_overflows_is_refused_and_changes_nothing():
    net = one_weight(1e200)
    net.forward([1.0])
    before = passes_state(net)
    for loss in ("half_sse", "sse", "mse"):
        with pytest.raises(ng.NumericalError, match=r"backward pass: loss '%s' of the outputs "
                           r"\[1e\+200\] against the targets \[-1e\+200\] is inf: a float "
                           r"overflowed; no gradient was changed" % loss):
            net.backward([-1e200], loss=loss)
        assert passes_state(net) == before
        with pytest.raises(ng.NumericalError, match="is inf"):
            net.loss([1.0], [-1e200], loss=loss)
        assert passes_state(net) == before
    assert net.backward([1e200]) == 0.0                   # far from 0, but no overflow
    assert net.loss([1e-100], [0.0]) == 0.5 * 1e100 ** 2


def test_net_loss_checks_the_loss_name_and_target_before_any_pass():
    # (issue 22, item 6) loss(x, y, loss="half_see") ran the forward pass first
    net = small()
    net.forward([0.1, 0.2])
    before = passes_state(net)
    with pytest.raises(ng.NameLookupError, match="half_sse"):
        net.loss([0.5, 0.5], [1.0], loss="half_see")
    with pytest.raises(ng.ShapeError):
        net.loss([0.5, 0.5], [1.0, 2.0])
    assert passes_state(net) == before


# -- a pass that fails halfway changes nothing -----------------------------------------

def _failing_net(fail_in):
    """A 2-layer net whose custom activation raises in f (forward) or df (backward)."""
    def f(z):
        if fail_in == "forward" and z > 5:
            raise ValueError("f refuses z > 5")
        return math.tanh(z)

    def df(z):
        if fail_in == "backward" and z > 5:
            raise ValueError("df refuses z > 5")
        return 1 - math.tanh(z) ** 2
    act = ng.Activation("picky", f, df)
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="sigmoid", bias=0.1)
    o = net.add_neuron("o", activation=act, bias=0.0)
    net.connect(x, h, 1.0, name="w1")
    net.connect(h, o, 10.0, name="w2")
    net.forward([-3.0])          # z_o about 0.5: fine
    net.backward([0.0])
    return net


def test_a_forward_pass_that_fails_halfway_changes_nothing():
    net = _failing_net("forward")
    before = readable_state(net)
    with pytest.raises(ValueError, match="refuses"):
        net.forward([3.0])       # h is computed, then o fails
    assert readable_state(net) == before
    net.backward([0.0])          # the earlier forward pass is still the one in place


def test_a_backward_pass_that_fails_halfway_changes_nothing():
    net = _failing_net("backward")
    net.forward([3.0])
    before = readable_state(net)
    with pytest.raises(ValueError, match="refuses"):
        net.backward([0.0])
    assert readable_state(net) == before


# -- refusals name the argument and change nothing -----------------------------------

def test_backward_step_that_is_not_an_optimizer_is_refused_before_any_change():
    # (item 10) backward(y, step=True) raised AttributeError
    net = small()
    net.forward([0.1, 0.2])
    before = passes_state(net)
    with pytest.raises(ng.StateError, match=r"takes an optimizer \(step=opt\).*got True"):
        net.backward([1.0], step=True)
    assert passes_state(net) == before


@pytest.mark.parametrize("build,words", [
    (lambda: ng.Net.elman([1, 2, 1], seed="abc"), r"Net.elman\(seed='abc'\): give a whole number"),
    (lambda: ng.Net(seed=[]), r"Net\(seed=\[\]\): give a whole number"),
    (lambda: ng.Net.dense([1, 1], seed=1j), r"Net.dense\(seed=1j\)"),
])
def test_a_seed_random_cannot_take_is_a_neurograph_error(build, words):
    # (item 10) Net.elman(seed="abc") raised TypeError
    with pytest.raises(ng.NumberError, match=words):
        build()


def test_text_beyond_the_limits_never_reaches_the_number_types():
    # (item 5) a 12-character number is a 100-million-digit Fraction
    from fractions import Fraction
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    y = net.add_neuron("y", activation="identity", bias="1/2")
    def state():
        return [(p.name, p.value) for p in net.parameters()], list(net._names), net.connections()
    before = state()
    with pytest.raises(ng.NumberError, match="power of ten of 100000000; a Fraction net takes "
                                             "at most 100000"):
        net.add_parameter("p", "1e100000000")
    with pytest.raises(ng.NumberError, match="power of ten of 100000000"):
        net.connect(x, y, "1e100000000")
    with pytest.raises(ng.NumberError, match="at most 100000 are taken"):
        net.connect(x, y, "1" * 100001)
    assert state() == before
    assert net.connect(x, y, "-3/20").weight == Fraction(-3, 20)
