"""Bad input gets a clear NeurographError and leaves the net exactly as it was."""

import pytest

import neurograph as ng
from conftest import assert_refused, readable_state, two_input_net


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


INF = float("inf")


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
