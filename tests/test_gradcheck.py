"""gradcheck: it leaves the net exactly as it was, never passes a non-finite number, agrees on
random DAGs and checks its eps."""
import math
import random

import pytest

import neurograph as ng
from conftest import assert_refused


def state(net):
    """Everything a pass writes, to compare before and after."""
    seq = net._sequence
    return (net.to_dict(), [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons],
            [p.grad for p in net.parameters()], net._last, net.samples_seen, net._forwarded,
            net._backwarded, seq, None if seq is None else (seq.targets, seq.loss, seq.truncate),
            [[list(r) for r in n._history] for n in net.neurons],
            [(c.upstream.a, c.upstream.grad_a) for n in net.neurons for c in n.delayed_inputs])


def test_gradcheck_leaves_the_last_pass_and_explain_prints_true_arithmetic():
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward([1.0, 0.0], loss="binary_cross_entropy")
    text, before = str(net.explain("o1")), state(net)
    assert ng.gradcheck(net, ex.x, [0.0, 0.0], loss="binary_cross_entropy").ok
    assert state(net) == before
    assert str(net.explain("o1")) == text
    assert "= 0.751365070 - 1.000000000" in text        # out_o1 - y_o1 of the last pass


def test_gradcheck_leaves_a_recurrent_net_and_every_step_as_they_were():
    rnn = ng.Net.elman([1, 2, 1], seed=2)
    rnn["h1_1"].initial = 0.25
    rnn.forward_sequence([[0.5], [-1.0], [0.3]])
    rnn.backward_sequence([None, [1.0], [0.0]], truncate=2)
    text, before = str(rnn.explain("h1_1", step=0)), state(rnn)
    assert ng.gradcheck(rnn, [[1.0], [0.0]], [[0.0], [1.0]]).ok
    assert state(rnn) == before
    assert str(rnn.explain("h1_1", step=0)) == text


def test_gradcheck_probes_are_not_seen_by_hooks_and_remember_keeps_its_weights():
    ex = ng.textbook.mazur()
    net = ex.net
    keep = ng.remember(net)
    seen = []
    h = net.add_hook(lambda event, obj: seen.append(event))
    net.forward(ex.x)
    net.backward(ex.y)
    ng.SGD(net, lr=ex.lr).step()
    seen.clear()
    saved = dict(keep.hook.saved)
    assert ng.gradcheck(net, ex.x, ex.y).ok
    assert seen == [] and keep.hook.saved == saved
    assert "updated since that backward pass" in str(net.explain("w5", lr=ex.lr))
    h.remove()
    keep.remove()


@pytest.mark.parametrize("weights, x", [((1e308,), [10.0]), ((1e308, -1e308), [1e308, 1e308])])
def test_gradcheck_never_reports_ok_on_non_finite_numbers(weights, x):
    net = ng.Net.dense([len(x), 1], activation="identity", seed=0)
    for c, w in zip(net["o1"].inputs, weights):
        c.weight = w
    try:
        result = ng.gradcheck(net, x, [0.0])
    except ng.NumericalError:
        return                                   # (a pass that refuses to overflow is fine too)
    assert not result.ok
    bad = [r for r in result.rows if not all(map(math.isfinite, (float(r.analytic), float(
        r.numeric if r.numeric is not None else math.nan))))]
    assert bad and all(not r.ok and r.rel_error == math.inf for r in bad)
    assert result.worst.rel_error == math.inf


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


@pytest.mark.parametrize("number,eps", [(float, 0), (float, 0.0), (float, -1e-6),
                                        ("Decimal", "0"), ("Decimal", "-0.001"),
                                        ("Fraction", "0"), ("Fraction", "-1/1000")])
def test_gradcheck_eps_must_be_positive(number, eps):
    net = ng.Net.dense([2, 2, 1], activation="relu", output_activation="identity", seed=0,
                       number=number)
    assert_refused(net, lambda: ng.gradcheck(net, ["0.1", "0.2"], ["1"], eps=eps),
                   ng.NumberError, match=r"gradcheck\(eps=.*\): .* must be > 0")
