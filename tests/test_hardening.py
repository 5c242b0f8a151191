"""Bad input gets a clear NeurographError and leaves the net exactly as it was."""
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from conftest import assert_refused, readable_state, two_input_net

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


def test_softmax_on_a_hidden_neuron_is_refused():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="softmax")
    o = net.add_neuron("o")
    net.connect(x, h, 1.0)
    net.connect(h, o, 1.0)
    with pytest.raises(ng.TopologyError, match="'h' uses softmax but is not an output"):
        net.forward([1.0])


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


def random_dag(rng):
    acts = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]
    net = ng.Net(seed=rng.randrange(10 ** 6))
    pool = [net.add_input() for _ in range(rng.randint(1, 4))]
    shared = net.add_parameter("shared", rng.uniform(-0.5, 0.5))
    for j in range(rng.randint(1, 10)):
        b = rng.random()
        n = net.add_neuron(activation=rng.choice(acts),
                           bias=None if b < 0.2 else shared if b < 0.4 else rng.uniform(-1, 1))
        for src in rng.sample(pool, rng.randint(1, min(4, len(pool)))):
            net.connect(src, n, rng.uniform(-1.5, 1.5))
        pool.append(n)
    return net


def test_200_random_dags_pass_gradcheck():
    rng = random.Random(2026)
    for trial in range(200):
        net = random_dag(rng)
        x = [rng.uniform(-1, 1) for _ in net.inputs]
        y = [rng.uniform(-1, 1) for _ in net.outputs]
        r = ng.gradcheck(net, x, y, rtol=1e-4, atol=1e-6)
        assert r.ok, (trial, r)


# -- failures in the middle of a pass change nothing ----------------------------

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


def test_decimal_overflow_in_backward_is_a_numerical_error_and_changes_nothing():
    from decimal import Decimal
    net = ng.Net(number=Decimal)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="identity", bias=None)
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(x, h, "1e600000")
    net.connect(h, o, "1e-100001")
    net.forward(["1"])
    before = readable_state(net)
    with pytest.raises(ng.NumericalError, match="backward pass"):
        net.backward(["0"])
    assert readable_state(net) == before


def test_decimal_overflow_in_a_step_is_a_numerical_error_and_changes_nothing():
    from decimal import Decimal
    ex = ng.textbook.mazur(Decimal)
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    net["w5"].param.grad = "100"     # lr * grad = 9e1000001: past Decimal's largest exponent
    opt = ng.SGD(net, lr="9e999999", momentum="0.9")
    before = readable_state(net)
    with pytest.raises(ng.NumericalError, match="no weight was changed"):
        opt.step()
    assert readable_state(net) == before
    assert opt.steps == 0 and opt.state("w5") == {"velocity": Decimal(0)}


def test_an_anomaly_found_in_backward_changes_nothing():
    net = two_input_net()
    net["w3"].weight = float("1e308")
    net.forward([0.1, 0.2])
    before = readable_state(net)
    with ng.detect_anomaly():
        with pytest.raises(ng.NumericalError):
            net.forward([0.1, 0.2]); net.backward([float("1e308")], loss="mse")
    assert readable_state(net) == before


def test_fit_refuses_bad_arguments_with_suggestions():
    net = two_input_net()
    data = [([0.1, 0.2], [1.0]), ([0.3, 0.4], [0.0])]
    e = assert_refused(net, lambda: ng.fit(net, data, epochs=1, optimizer="sgdd", verbose=0),
                       ng.NameLookupError)
    assert "did you mean 'sgd'" in str(e)
    for kw in (dict(batch_size=0), dict(batch_size=-3), dict(epochs=-1)):
        assert_refused(net, lambda: ng.fit(net, data, verbose=0, **dict(dict(epochs=1), **kw)),
                       ng.NumberError)
    mixed = [([0.1, 0.2], [1.0]), ([0.3], [0.0])]
    e = assert_refused(net, lambda: ng.fit(net, mixed, epochs=1, verbose=0), ng.ShapeError)
    assert "sample 1" in str(e)


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


def test_same_seed_gives_bit_identical_weights():
    import io
    import fingerprint  # tests/fingerprint.py; CI also compares its output across interpreters
    a, b = io.StringIO(), io.StringIO()
    fingerprint.main(a)
    fingerprint.main(b)
    assert a.getvalue() == b.getvalue()
    assert a.getvalue().count("\n") > 50


def test_net_loss_is_rounded_like_backward():
    from decimal import Decimal
    ex = ng.textbook.mazur(Decimal)
    with ng.rounding(places=4):
        assert ex.net.loss(ex.x, ex.y) == Decimal("0.2984")
        ex.net.forward(ex.x)
        assert ex.net.backward(ex.y) == Decimal("0.2984")


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


@pytest.mark.parametrize("where", ["input", "target", "validation"])
def test_fit_rows_with_both_infinities_are_number_errors(where):
    net = ng.Net.dense([2, 2, 2], seed=1)
    good = ([0.1, 0.2], [0.0, 1.0])
    bad = ([INF, -INF], [0.0, 1.0]) if where == "input" else ([0.1, 0.2], [INF, -INF])
    kind = "input" if where == "input" else "target"
    data, val = ([good], [bad]) if where == "validation" else ([good, bad], None)
    e = assert_refused(net, lambda: ng.fit(net, data, validation=val, epochs=1, verbose=0),
                       ng.NumberError)
    part = "validation data" if where == "validation" else "training data"
    sample = 0 if where == "validation" else 1
    assert str(e) == "%s, sample %d: %s[0] is inf: only finite numbers are allowed" % (
        part, sample, kind)
    with pytest.raises(ng.NumberError,
                       match=r"%s of sample 0, position 0 is inf: only finite" % kind):
        ng.datasets.Dataset([bad[0]], [bad[1]])


@pytest.mark.parametrize("number,eps", [(float, 0), (float, 0.0), (float, -1e-6),
                                        ("Decimal", "0"), ("Decimal", "-0.001"),
                                        ("Fraction", "0"), ("Fraction", "-1/1000")])
def test_gradcheck_eps_must_be_positive(number, eps):
    net = ng.Net.dense([2, 2, 1], activation="relu", output_activation="identity", seed=0,
                       number=number)
    assert_refused(net, lambda: ng.gradcheck(net, ["0.1", "0.2"], ["1"], eps=eps),
                   ng.NumberError, match=r"gradcheck\(eps=.*\): .* must be > 0")


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
