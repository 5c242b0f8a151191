"""Recurrent nets: delayed connections, forward_sequence and back-propagation through time."""

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from conftest import central_difference


# ---------------------------------------------------------------------------
# random recurrent nets and central differences
# ---------------------------------------------------------------------------

def random_recurrent_net(seed, number=float, activations=("tanh", "sigmoid", "identity"),
                         rounded=False):
    """A random net: a feed-forward DAG plus delayed connections (self-connections, delays 1
    and 2, cycles through delayed edges), sometimes a shared weight and a shared bias."""
    rng = random.Random(seed)
    net = ng.Net(number=number, seed=seed)
    if number is float:
        conv = (lambda v: round(v, 3)) if rounded else (lambda v: v)
    else:
        conv = lambda v: number(repr(round(v, 3)))  # noqa: E731
    n_in, n_hidden, n_out = rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 2)
    ins = [net.add_input("x%d" % i) for i in range(n_in)]
    shared_bias = net.add_parameter("b", conv(rng.uniform(-0.5, 0.5))) if rng.random() < 0.3 else None
    hidden = [net.add_neuron("h%d" % i, activation=rng.choice(activations),
                             bias=shared_bias if shared_bias is not None and rng.random() < 0.5
                             else conv(rng.uniform(-0.5, 0.5))) for i in range(n_hidden)]
    outs = [net.add_neuron("o%d" % i, activation=rng.choice(activations),
                           bias=conv(rng.uniform(-0.5, 0.5))) for i in range(n_out)]
    shared = net.add_parameter("s", conv(rng.uniform(-0.8, 0.8))) if rng.random() < 0.4 else None

    def weight():
        if shared is not None and rng.random() < 0.2:
            return shared
        return conv(rng.uniform(-0.9, 0.9))

    for i, h in enumerate(hidden):               # undelayed: a DAG in creation order
        srcs = ins + hidden[:i]
        for s in rng.sample(srcs, rng.randint(1, len(srcs))):
            net.connect(s, h, weight())
    for o in outs:
        for s in rng.sample(ins + hidden, rng.randint(1, len(ins) + len(hidden))):
            net.connect(s, o, weight())
    for h in hidden:
        if rng.random() < 0.7:
            net.connect(h, h, weight(), delay=rng.choice((1, 2)))           # a self-connection
        for s in hidden + outs:                  # cycles through delayed connections
            if s is not h and rng.random() < 0.3:
                net.connect(s, h, weight(), name="%s~%s" % (s.name, h.name),
                            delay=rng.choice((1, 2)))
    if rng.random() < 0.2:                       # an input of the step before (named: the pair
        net.connect(ins[0], hidden[0], weight(), name="x_prev", delay=1)    # may be connected)
    for h in hidden:
        if rng.random() < 0.2:
            h.initial = conv(rng.uniform(-0.5, 0.5))
    T = rng.randint(1, 5)
    xs = [[conv(rng.uniform(-1, 1)) for _ in ins] for _ in range(T)]
    ys = [None if t < T - 1 and rng.random() < 0.3 else [conv(rng.uniform(0, 1))
                                                          for _ in net.outputs] for t in range(T)]
    return net, xs, ys


def sequence_loss(net, xs, ys):
    """The summed half_sse over the steps, computed from forward_sequence's outputs."""
    total = 0
    for out, y in zip(net.forward_sequence(xs), ys):
        if y is not None:
            total += sum((o - t) ** 2 for o, t in zip(out, y)) / 2
    return total


def central_differences(net, loss, eps):
    """{parameter name: the central difference of loss(net) with respect to it}."""
    return {p.name: central_difference(lambda: loss(net), p, eps) for p in net.parameters()}


def numeric_grads(net, xs, ys, eps):
    return central_differences(net, lambda n: sequence_loss(n, xs, ys), eps)


def test_gradients_of_100_random_recurrent_nets_agree_with_central_differences():
    kinds = {"self": 0, "delay2": 0, "cycle": 0, "shared": 0}
    for seed in range(100):
        net, xs, ys = random_recurrent_net(seed)
        delayed = net._ordered().delayed
        kinds["self"] += any(c.src is c.dst for c in delayed)
        kinds["delay2"] += any(c.delay == 2 for c in delayed)
        kinds["cycle"] += any(c.src is not c.dst for c in delayed)
        kinds["shared"] += any(len(p.uses()) > 1 for p in net.parameters())
        net.forward_sequence(xs)
        net.zero_grad()
        E = net.backward_sequence(ys)
        assert E == pytest.approx(sequence_loss(net, xs, ys), rel=1e-12, abs=1e-15)
        numeric = numeric_grads(net, xs, ys, 1e-6)
        for p in net.parameters():
            assert p.grad == pytest.approx(numeric[p.name], rel=1e-5, abs=1e-7), (seed, p.name)
    assert all(k >= 10 for k in kinds.values()), kinds


def test_gradcheck_takes_sequences_and_agrees_with_the_tests_own_differences():
    for seed in range(20):
        net, xs, ys = random_recurrent_net(seed)
        result = ng.gradcheck(net, xs, ys)
        assert result.ok, (seed, result.table())
        numeric = numeric_grads(net, xs, ys, 1e-6)
        assert [r.name for r in result.rows] == [p.name for p in net.parameters()]
        for row in result.rows:
            assert row.numeric == pytest.approx(numeric[row.name], rel=1e-6, abs=1e-9)


def test_gradcheck_of_a_sequence_finds_a_wrong_gradient_by_name():
    net, xs, ys = random_recurrent_net(3)
    recurrent = [c for c in net._ordered().delayed if c.src is c.dst][0]

    def broken(a, y):                            # twice the gradient of half_sse
        return [2 * (p - q) for p, q in zip(a, y)]

    loss = ng.Loss("broken", lambda a, y: sum((p - q) ** 2 for p, q in zip(a, y)) / 2, broken)
    result = ng.gradcheck(net, xs, ys, loss)
    assert not result.ok
    assert recurrent.name in [r.name for r in result.failures()]


def test_gradcheck_of_a_sequence_leaves_the_net_as_it_was():
    net, xs, ys = random_recurrent_net(5)
    net.forward_sequence(xs)
    net.backward_sequence(ys)
    before = ([(n.name, n.z, n.a, n.delta, n.grad_a, list(map(tuple, n._history)))
               for n in net.neurons], [(p.name, p.value, p.grad) for p in net.parameters()])
    ng.gradcheck(net, [[0.5] * len(net.inputs)] * 3, [None, None, [0.5] * len(net.outputs)])
    after = ([(n.name, n.z, n.a, n.delta, n.grad_a, list(map(tuple, n._history)))
              for n in net.neurons], [(p.name, p.value, p.grad) for p in net.parameters()])
    assert after == before
    s = net.outputs[0]
    assert net.explain(net.parameters()[0].name)      # the last passes still explain
    net.zero_grad()
    assert net.backward_sequence(ys) == pytest.approx(sequence_loss(net, xs, ys))
    assert s.a == net.forward_sequence(xs)[-1][0]


def test_gradcheck_of_a_recurrent_net_says_it_takes_steps():
    net = ng.Net.elman([2, 3, 1], seed=0)
    with pytest.raises(ng.ShapeError, match="list of steps"):
        ng.gradcheck(net, [0.5, 0.5], [1.0])


def test_fraction_gradients_are_exact_and_agree_with_floats():
    for seed in range(10):
        net, xs, ys = random_recurrent_net(seed, Fraction, activations=("identity",))
        net.forward_sequence(xs)
        net.backward_sequence(ys)
        numeric = numeric_grads(net, xs, ys, Fraction(1, 10 ** 6))
        for p in net.parameters():
            assert type(p.grad) is Fraction
            assert abs(p.grad - numeric[p.name]) < Fraction(1, 10 ** 9), (seed, p.name)


def test_decimal_and_float_nets_give_the_same_gradients():
    for seed in range(10):
        dnet, xs, ys = random_recurrent_net(seed, Decimal, activations=("tanh", "sigmoid"))
        fnet, fxs, fys = random_recurrent_net(seed, float, ("tanh", "sigmoid"), rounded=True)
        assert [[float(v) for v in x] for x in xs] == fxs
        dnet.forward_sequence(xs)
        dnet.backward_sequence(ys)
        fnet.forward_sequence(fxs)
        fnet.backward_sequence(fys)
        for p in dnet.parameters():
            assert type(p.grad) is Decimal
            assert float(p.grad) == pytest.approx(fnet[p.name].grad, rel=1e-9, abs=1e-12)


def test_rounding_rounds_every_step():
    net = ng.Net(number=Decimal)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias=None)
    net.connect(x, h, "0.5")
    net.connect(h, h, "0.8", delay=1)
    with ng.rounding(places=4):
        outs = net.forward_sequence([["1"], ["0"], ["0"]])
        E = net.backward_sequence([None, None, ["0"]])
    assert outs == [[Decimal("0.4621")], [Decimal("0.3537")], [Decimal("0.2757")]]   # 0.283 -> 0.2757
    for t in range(3):
        for q in (h.at(t).z, h.at(t).a, h.at(t).delta):
            assert q == q.quantize(Decimal("0.0001"))
    assert E == E.quantize(Decimal("0.0001"))


# ---------------------------------------------------------------------------
# the tiny example, by hand
# ---------------------------------------------------------------------------

def tiny(number=float):
    net = ng.Net(number=number)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias="0.1")
    net.connect(x, h, "0.5", name="u")
    net.connect(h, h, "0.8", name="w", delay=1)
    return net


def test_tiny_example_by_hand():
    net = tiny()
    xs, ys = [[1.0], [0.5], [-1.0]], [[0.5], None, [0.0]]
    outs = net.forward_sequence(xs)
    u, w, b = 0.5, 0.8, 0.1
    a, prev = [], 0.0
    for [x] in xs:
        prev = math.tanh(b + w * prev + u * x)
        a.append(prev)
    assert [o[0] for o in outs] == a
    # backward by hand: dE/da(t) = (a(t) - y(t)) + w * delta(t+1); delta = dE/da * (1 - a^2)
    delta = [0.0] * 3
    g_next = 0.0
    for t in (2, 1, 0):
        dEda = (a[t] - ys[t][0] if ys[t] is not None else 0.0) + w * g_next
        delta[t] = dEda * (1 - a[t] ** 2)
        g_next = delta[t]
    E = net.backward_sequence(ys)
    assert E == pytest.approx((a[0] - 0.5) ** 2 / 2 + a[2] ** 2 / 2, rel=1e-15)
    h = net["h"]
    assert [h.at(t).delta for t in range(3)] == pytest.approx(delta, rel=1e-14)
    assert net["w"].grad == pytest.approx(delta[1] * a[0] + delta[2] * a[1], rel=1e-14)
    assert net["u"].grad == pytest.approx(sum(d * x for d, [x] in zip(delta, xs)), rel=1e-14)
    assert net["h.bias"].grad == pytest.approx(sum(delta), rel=1e-14)
    assert (h.z, h.a, h.delta) == (h.at(2).z, h.at(2).a, h.at(2).delta)   # the last step's
    assert h.at(-1) == h.at(2) and h.at(0).step == 0


def test_truncate_cuts_the_sequence_into_windows():
    net = tiny()
    xs = [[0.3], [-0.2], [0.9], [0.1], [-0.5]]
    ys = [[0.1], [0.2], None, [0.4], [0.0]]
    net.forward_sequence(xs)
    net.zero_grad()
    full = net.backward_sequence(ys)
    full_grads = {p.name: p.grad for p in net.parameters()}
    for k in (5, 9):                                    # a window as long as the sequence
        net.forward_sequence(xs)
        net.zero_grad()
        assert net.backward_sequence(ys, truncate=k) == full
        assert {p.name: p.grad for p in net.parameters()} == full_grads
    for k in (1, 2, 3):                                 # the same as windows run on their own
        a = [o[0] for o in net.forward_sequence(xs)]
        net.zero_grad()
        E = net.backward_sequence(ys, truncate=k)
        got = {p.name: p.grad for p in net.parameters()}
        ref = ng.Net.from_dict(net.to_dict())
        ref.zero_grad()
        total = 0.0
        for start in range(0, len(xs), k):
            ref["h"].initial = a[start - 1] if start > 0 else None
            ref.forward_sequence(xs[start:start + k])
            total += ref.backward_sequence(ys[start:start + k])
        assert E == pytest.approx(total, rel=1e-14)
        for p in ref.parameters():
            assert got[p.name] == pytest.approx(p.grad, rel=1e-12), (k, p.name)
        if k < 5:
            assert got != full_grads


def test_softmax_and_cross_entropy_outputs_through_time():
    net = ng.Net(seed=2)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh")
    o = [net.add_neuron("o%d" % i, activation="softmax") for i in range(2)]
    net.connect(x, h, 0.7)
    net.connect(h, h, -0.4, delay=1)
    for k in o:
        net.connect(h, k)
    xs, ys = [[1.0], [0.0], [-1.0]], [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]

    def loss(net):
        return sum(-math.log(out[ys[t].index(1.0)]) for t, out in
                   enumerate(net.forward_sequence(xs)))
    net.forward_sequence(xs)
    assert net.backward_sequence(ys, loss="cross_entropy") == pytest.approx(loss(net))
    numeric = central_differences(net, loss, 1e-6)
    for p in net.parameters():
        assert p.grad == pytest.approx(numeric[p.name], rel=1e-5, abs=1e-8)


def test_output_feeding_back_with_cross_entropy():
    """A Jordan net (output -> hidden, delayed): the output's delta gets the carried dE/da,
    so the closed form of BP1 is not used there."""
    net = ng.Net(seed=4)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh")
    o = net.add_neuron("o", activation="sigmoid")
    net.connect(x, h, 0.9)
    net.connect(h, o, 1.3)
    net.connect(o, h, -0.7, delay=1)
    xs, ys = [[1.0], [0.0], [0.5]], [[1.0], [0.0], [1.0]]

    def loss(net):
        return sum(-math.log(out[0]) if y[0] else -math.log(1 - out[0])
                   for out, y in zip(net.forward_sequence(xs), ys))
    net.forward_sequence(xs)
    net.zero_grad()
    assert net.backward_sequence(ys, loss="cross_entropy") == pytest.approx(loss(net))
    numeric = central_differences(net, loss, 1e-6)
    for p in net.parameters():
        assert p.grad == pytest.approx(numeric[p.name], rel=1e-5, abs=1e-8), p.name


# ---------------------------------------------------------------------------
# wiring and errors
# ---------------------------------------------------------------------------

def test_delayed_connections_are_wired_apart_and_ignored_by_the_layers():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h")
    o = net.add_neuron("o")
    net.connect(x, h)
    net.connect(h, o)
    back = net.connect(o, h, 0.5, delay=2)
    self_loop = net.connect(h, h, 0.3, delay=1)
    assert back.delay == 2 and net["h->o"].delay == 0
    assert h.delayed_inputs == [back, self_loop] and o.delayed_outputs == [back]
    assert back not in h.inputs and back not in o.outputs
    assert [[n.name for n in layer] for layer in net.layers] == [["x"], ["h"], ["o"]]
    assert net.outputs == [o]                          # o feeds only later steps: still an output
    assert net["o->h"] is back and net["h->h"] is self_loop
    assert back in net.connections() and len(net.connections()) == 4
    assert repr(back) == "Connection(o->h, weight 0.5, grad 0, delay 2)"


def test_cycles_need_a_delay():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h")
    o = net.add_neuron("o")
    net.connect(x, h)
    net.connect(h, o)
    with pytest.raises(ng.TopologyError, match="cycle o -> h -> o"):
        net.connect(o, h)
    with pytest.raises(ng.TopologyError, match="needs a delay"):
        net.connect(h, h)
    with pytest.raises(ng.TopologyError, match="delay of connection h->h"):
        net.connect(h, h, delay=-1)
    with pytest.raises(ng.TopologyError, match="delay of connection h->h"):
        net.connect(h, h, delay=1.5)
    with pytest.raises(ng.TopologyError, match="into input neuron"):
        net.connect(h, x, delay=1)
    net.connect(o, h, delay=1)
    with pytest.raises(ng.TopologyError, match="already connected"):
        net.connect(o, h, delay=1)
    with pytest.raises(ng.TopologyError, match="a name of its own"):
        net.connect(o, h, delay=2)
    net.connect(o, h, delay=2, name="o2h")             # another delay: another connection


def test_neuron_fed_only_by_earlier_steps():
    net = ng.Net()
    x = net.add_input("x")
    c = net.add_neuron("c", activation="identity", bias=1.0)      # a counter: c(t) = c(t-1) + 1
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(c, c, 1.0, delay=1)
    net.connect(x, o, 1.0)
    net.connect(c, o, 1.0)
    assert c.layer == 1
    assert net.forward_sequence([[0.0], [0.0], [10.0]]) == [[1.0], [2.0], [13.0]]


def test_plain_passes_refuse_recurrent_nets():
    net = tiny()
    with pytest.raises(ng.StateError, match="forward_sequence"):
        net.forward([1.0])
    with pytest.raises(ng.StateError, match="backward_sequence"):
        net.backward([1.0])
    with pytest.raises(ng.StateError, match="forward_sequence"):
        net.loss([1.0], [0.0])


def test_sequence_errors():
    net = tiny()
    with pytest.raises(ng.StateError, match="forward_sequence"):
        net.backward_sequence([[0.0]])
    with pytest.raises(ng.ShapeError, match="at least one step"):
        net.forward_sequence([])
    with pytest.raises(ng.ShapeError, match="step 1: input has 2 values"):
        net.forward_sequence([[1.0], [1.0, 2.0]])           # ragged steps
    with pytest.raises(ng.ShapeError, match="step 0: input must be a sequence"):
        net.forward_sequence([1.0, 2.0])                     # one step, not a list of steps
    with pytest.raises(ng.ShapeError, match="list of steps"):
        net.forward_sequence("abc")
    net.forward_sequence([[1.0], [0.0]])
    with pytest.raises(ng.ShapeError, match="1 target for the 2 steps"):
        net.backward_sequence([[0.0]])
    with pytest.raises(ng.ShapeError, match="step 1: target has 2 values"):
        net.backward_sequence([[0.0], [0.0, 1.0]])
    with pytest.raises(ng.NumberError, match="truncate"):
        net.backward_sequence([[0.0], [0.0]], truncate=0)
    with pytest.raises(ng.ShapeError, match="step 5 is not one of the 2 steps"):
        net["h"].at(5)
    with pytest.raises(ng.StateError, match="no time steps"):
        ng.Net.dense([1, 1])["o1"].at(0)
    net.connect(net.add_input("x2"), "h", 0.1)
    with pytest.raises(ng.StateError, match="structure changed"):
        net.backward_sequence([[0.0], [0.0]])


def test_a_failed_step_changes_nothing():
    net = tiny()
    net.forward_sequence([[1.0], [0.0]])
    before = [net["h"].at(t) for t in range(2)]
    net["h"].activation = ng.Activation("exp", math.exp, math.exp)
    with pytest.raises(ng.NumericalError, match="neuron 'h'"):
        net.forward_sequence([[1.0], [10000.0]])
    assert [net["h"].at(t) for t in range(2)] == before
    assert net.step is None


def sequence_state(net):
    """Every number of every step, every gradient, and the records of the last sequence."""
    seq = net._sequence
    return ([(n.name, n.z, n.a, n.delta, n.grad_a, [tuple(r) for r in n._history])
             for n in net.neurons], [(p.name, p.value, p.grad) for p in net.parameters()],
            [(c.name, c.upstream.a, c.upstream.grad_a) for c in net.connections() if c.delay],
            net._last, net._forwarded, net._backwarded, net.samples_seen,
            seq and (seq.steps, seq.targets, seq.loss, seq.truncate, seq.initial))


def test_a_float_overflow_in_a_sequence_is_refused_and_changes_nothing():
    # (issue 22, items 6 and 8) an overflowing sequence pass is a NumericalError that keeps the
    # last sequence, every step's numbers and every gradient
    net = ng.Net()
    x = net.add_input("x")
    s = net.add_neuron("s", activation="identity", bias=None)
    net.connect(x, s, 1.0)
    net.connect(s, s, 1e300, delay=1)
    assert net.forward_sequence([[1.0], [1.0]]) == [[1.0], [1e300]]
    net.backward_sequence([None, [1e300]])
    before = sequence_state(net)
    with pytest.raises(ng.NumericalError, match="neuron 's'.*a = inf"):
        net.forward_sequence([[1.0], [1.0], [1.0]])
    assert sequence_state(net) == before
    with pytest.raises(ng.NumericalError, match="loss 'half_sse' summed over the steps is inf"):
        net.backward_sequence([None, [-1e300]])
    assert sequence_state(net) == before
    assert net.step is None
    net.explain("s->s")                                   # the last sequence still stands
    # right after a forward_sequence too (no step has a delta yet; the inputs' dE/da are 0)
    net.forward_sequence([[1.0], [1.0]])
    before = sequence_state(net)
    with pytest.raises(ng.NumericalError, match="summed over the steps is inf"):
        net.backward_sequence([[-1e300], [-1e300]])
    assert sequence_state(net) == before
    with pytest.raises(ng.NumericalError, match="a = inf"):
        net.forward_sequence([[1e300], [1.0]])
    assert sequence_state(net) == before


def test_feed_forward_net_runs_steps_on_their_own():
    net = ng.Net.dense([2, 3, 1], activation="tanh", seed=1)
    xs = [[0.1, 0.2], [0.3, -0.4]]
    outs = net.forward_sequence(xs)
    assert outs == [net.forward(x) for x in xs]
    net.forward_sequence(xs)
    net.zero_grad()
    E = net.backward_sequence([[0.5], [0.2]])
    seq = {p.name: p.grad for p in net.parameters()}
    net.zero_grad()
    E2 = 0.0
    for x, y in zip(xs, [[0.5], [0.2]]):
        net.forward(x)
        E2 += net.backward(y)
    assert E == pytest.approx(E2)
    assert seq == pytest.approx({p.name: p.grad for p in net.parameters()})


def test_save_and_load_a_recurrent_net(tmp_path):
    for seed in range(20):
        net, xs, ys = random_recurrent_net(seed)
        doc = net.to_dict()
        delays = [c.get("delay", 0) for c in doc["connections"]]
        assert delays == [c.delay for c in net.connections()]
        back = ng.Net.from_dict(doc)
        assert back.forward_sequence(xs) == net.forward_sequence(xs)
        assert [n.initial for n in back.neurons] == [n.initial for n in net.neurons]
    net = tiny(Decimal)
    net["h"].initial = "0.25"
    net.save(tmp_path / "rnn.json")
    back = ng.load(tmp_path / "rnn.json")
    assert back["w"].delay == 1 and back["h"].initial == Decimal("0.25")
    assert back.forward_sequence([[1], [0]]) == net.forward_sequence([[1], [0]])


def test_files_without_delays_load_and_bad_delays_are_refused():
    d = ng.Net.dense([1, 2, 1], seed=0).to_dict()
    assert all("delay" not in c for c in d["connections"])     # feed-forward files unchanged
    d["connections"].append({"src": "h1_1", "dst": "h1_1", "name": None, "weight": 0.5,
                             "trainable": True})
    with pytest.raises(ng.FormatError, match="only a delayed connection"):
        ng.Net.from_dict(d)
    d["connections"][-1]["delay"] = -1
    with pytest.raises(ng.FormatError, match="connections\\[4\\].delay"):
        ng.Net.from_dict(d)
    d["connections"][-1]["delay"] = 1
    assert ng.Net.from_dict(d)["h1_1->h1_1"].delay == 1
    d["connections"].append({"src": "o1", "dst": "h1_1", "name": None, "weight": 0.5,
                             "trainable": True})
    with pytest.raises(ng.FormatError, match="cycle"):
        ng.Net.from_dict(d)


def test_hooks_and_watchpoints_see_the_step():
    net = tiny()
    seen = []
    hook = net.add_hook(lambda event, obj: seen.append((event, obj.name, net.step)))
    net.forward_sequence([[1.0], [0.0], [0.5]])
    net.backward_sequence([[0.0]] * 3)
    hook.remove()
    assert [s for s in seen if s[1] == "h"] == [
        ("forward", "h", 0), ("forward", "h", 1), ("forward", "h", 2),
        ("backward", "h", 2), ("backward", "h", 1), ("backward", "h", 0)]
    assert ("backward", "w", 1) in seen                 # a delayed connection, with its dst
    hits = []
    w = net["h"].watch(on="backward", when=lambda n: n.net.step == 1,
                       action=lambda n: hits.append((n.net.step, n.delta)))
    net.forward_sequence([[1.0], [0.0], [0.5]])
    net.backward_sequence([[0.0]] * 3)
    w.remove()
    assert hits == [(1, net["h"].at(1).delta)]


# ---------------------------------------------------------------------------
# explain, trace, summary
# ---------------------------------------------------------------------------

def elman_tiny():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias=0.1)
    o = net.add_neuron("o", activation="sigmoid", bias=0.0)
    net.connect(x, h, 0.5, name="w_xh")
    net.connect(h, h, 0.8, name="w_hh", delay=1)
    net.connect(h, o, 1.2, name="w_ho")
    net.forward_sequence([[1.0], [0.5], [-1.0]])
    net.backward_sequence([[1.0], None, [0.0]])
    return net


def test_explain_a_recurrent_weight_sums_the_steps():
    net = elman_tiny()
    h = net["h"]
    e = net.explain("w_hh", digits=6)
    lines = str(e).splitlines()
    assert lines[0] == ("dE/d(w_hh) = sum over steps t of delta_h(t) * out_h(t-1)   "
                        "[BP4 through time: the sum over the 3 steps]")
    assert lines[1].strip() == ("= delta_h(2) * out_h(1) + delta_h(1) * out_h(0) + "
                                "delta_h(0) * out_h(-1)")       # as the walk adds them: last step first
    terms = ["%.6f" % h.at(1).delta, "%.6f" % h.at(0).a]
    assert " * ".join(terms) in lines[2]
    assert e.value == pytest.approx(net["w_hh"].grad, rel=1e-12)
    assert "out_h(-1) is h's value before step 0: 0" in e.notes[0]
    assert net.explain("w_ho").value == pytest.approx(net["w_ho"].grad, rel=1e-12)
    assert net.explain("h.bias").value == pytest.approx(net["h.bias"].grad, rel=1e-12)
    assert "\\sum_t" in e.latex()


def test_explain_a_delta_at_a_step_goes_through_time():
    net = elman_tiny()
    h, o = net["h"], net["o"]
    e = net.explain("h", step=1, digits=6)
    assert e.value == h.at(1).delta
    text = str(e)
    assert "dE/d(out_h(1)) = delta_h(2) * w_hh + delta_o(1) * w_ho" in text   # (the walk's order)
    assert "1 connection at step 1, 1 delayed connection into later steps" in text
    assert "%.6f * 0.800000" % h.at(2).delta in text
    last = net.explain("h", digits=6)                  # the last step: no later step to feed
    assert last.value == h.at(2).delta and "0 delayed connections" in str(last)
    assert net.explain("o", step=-3).value == o.at(0).delta
    assert "loss gradient at output o, step 0" in str(net.explain("o", step=0))
    with pytest.raises(ng.NameLookupError, match="3 steps"):
        net.explain("h", step=3)
    assert h.delta == h.at(2).delta                     # explain put the last step back


def test_explain_needs_backward_sequence():
    net = tiny()
    with pytest.raises(ng.StateError, match="forward_sequence"):
        net.explain("w")
    net.forward_sequence([[1.0]])
    with pytest.raises(ng.StateError, match="backward_sequence"):
        net.explain("w")
    ff = ng.Net.dense([1, 1])
    ff.forward([1.0])
    ff.backward([0.0])
    with pytest.raises(ng.StateError, match="step"):
        ff.explain("o1", step=0)


def test_trace_rows_carry_the_step():
    net = tiny()
    with net.trace() as t:
        net.forward_sequence([[1.0], [0.0]])
        net.backward_sequence([[0.5], [0.0]])
    h = net["h"]
    assert t.value("h", "a", step=1) == h.at(1).a
    assert t.value("h", "delta", step=0) == h.at(0).delta
    assert [r.step for r in t.filter(name="h", quantity="z")] == [0, 1]
    assert {r.sample for r in t} == {0}
    w_rows = t.filter(name="w", quantity="grad")
    assert [r.step for r in w_rows] == [1, 0]
    assert w_rows.rows[0].value == pytest.approx(h.at(1).delta * h.at(0).a)
    assert w_rows.rows[0].equation == "BP4: delta * a_src(t-1)"
    assert t.to_csv().splitlines()[0].endswith(",step")
    assert ng.diff(t, {("h(1)", "a"): h.at(1).a, ("h(0)", "delta"): h.at(0).delta}).ok


def test_summary_lists_the_delayed_connections():
    text = ng.Net.elman([1, 2, 1]).summary()
    assert "recurrent: 4 delayed connections (delay 1: h1_1->h1_1, h1_2->h1_1" in text
    assert "total: 4 neurons, 8 connections, 11 parameters" in text


# ---------------------------------------------------------------------------
# training on sequences
# ---------------------------------------------------------------------------

def test_elman_net_learns_binary_addition():
    train = ng.datasets.binary_addition(64, bits=6, seed=0)
    net = ng.Net.elman([2, 8, 1], seed=0)
    h = ng.fit(net, train, epochs=12, batch_size=4, optimizer="adam", lr=0.05,
               loss="cross_entropy", verbose=0,
               validation=ng.datasets.binary_addition(16, bits=6, seed=1))
    assert h.rows[-1]["accuracy"] == 1.0 and h.rows[-1]["val_accuracy"] == 1.0
    assert ng.accuracy(net, ng.datasets.binary_addition(64, bits=8, seed=2)) == 1.0  # longer


def test_elman_net_learns_to_echo():
    net = ng.Net.elman([1, 6, 1], seed=0)
    h = ng.fit(net, ng.datasets.echo(32, 8, delay=2, seed=0), epochs=10, batch_size=4,
               optimizer="adam", lr=0.05, loss="cross_entropy", verbose=0, truncate=4)
    assert h.rows[-1]["accuracy"] == 1.0
    assert ng.accuracy(net, ng.datasets.echo(32, 12, delay=2, seed=3)) == 1.0


def test_fit_on_sequences_is_seeded_and_checks_its_data():
    def run():
        net = ng.Net.elman([1, 3, 1], seed=5)
        ng.fit(net, ng.datasets.echo(8, 5, seed=0), epochs=2, batch_size=2, lr=0.1, verbose=0)
        return net.values()
    assert run() == run()
    net = ng.Net.elman([1, 3, 1])
    with pytest.raises(ng.ShapeError, match="sequence 1: 2 input steps and 1 targets"):
        ng.fit(net, [([[1.0]], [[0.0]]), ([[1.0], [0.0]], [[1.0]])], verbose=0)
    with pytest.raises(ng.ShapeError, match="sequence 0, step 1: input"):
        ng.fit(net, [([[1.0], [0.0, 1.0]], [None, [1.0]])], verbose=0)
    with pytest.raises(ng.ShapeError, match="list of \\(xs, ys\\) sequences"):
        ng.fit(net, ng.datasets.xor(), verbose=0)
    with pytest.raises(ng.StateError, match="immediate"):
        ng.fit(net, ng.datasets.echo(2, 3), update="immediate", verbose=0)
    with pytest.raises(ng.StateError, match="truncate"):
        ng.fit(ng.Net.dense([2, 1]), ng.datasets.xor(), truncate=2, verbose=0)


def test_datasets_for_sequences():
    for xs, ys in ng.datasets.binary_addition(20, bits=5, seed=3):
        def number(bits):
            return sum(int(v) << t for t, v in enumerate(bits))
        assert number([x[0] for x in xs]) + number([x[1] for x in xs]) == number(
            [y[0] for y in ys])
    for xs, ys in ng.datasets.echo(5, 6, delay=3, seed=1, number=Fraction):
        assert ys[:3] == [None] * 3 and ys[3:] == xs[:3]
        assert type(xs[0][0]) is Fraction
    with pytest.raises(ng.NumberError, match="longer than the delay"):
        ng.datasets.echo(2, 2, delay=2)


def test_pictures_draw_delayed_connections():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh")
    o = net.add_neuron("o")
    net.connect(x, h, 0.5)
    net.connect(h, o, 1.2)
    net.connect(h, h, 0.8, delay=1)
    net.connect(o, h, -0.3, delay=2)
    svg = net.to_svg()
    assert svg.count('class="delayed"') == 2
    assert "d=1 0.8" in svg and "d=2 -0.3" in svg and "delayed (recurrent) connection" in svg
    assert "4 connections" in svg
    dot = net.to_dot()
    assert 'n1 -> n1 [color="#6b46c1", style=dashed, constraint=false, label=<d=1 0.8>]' in dot
    assert "h = tanh(0.5*x + 0.8*h(t-1) - 0.3*o(t-2) + b 0)" in net.diagram()
    assert 'class="delayed"' not in ng.Net.dense([2, 2, 1]).to_svg()
