import json
import os
import types
from decimal import Decimal, ROUND_HALF_UP

import pytest

import neurograph as ng

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, os.pardir, os.pardir, "shared")


def load_mazur_json():
    """The reference numbers: ../shared/textbook/mazur.json when present, else the bundled copy."""
    path = os.path.join(SHARED, "textbook", "mazur.json")
    if not os.path.exists(path):
        path = os.path.join(HERE, os.pardir, "neurograph", "textbook", "data", "mazur.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def to_printed_digits(value, printed):
    """Round *value* to as many decimal places as the string *printed* shows (half up)."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def central_difference(loss_of, param, eps=1e-6):
    """The numeric derivative of loss_of() (no arguments) with respect to param.value.

    (E(v + eps) - E(v - eps)) / (2 eps), where E is loss_of() with param.value set to v + eps,
    then v - eps; param.value is put back to v after.  param is a net's Parameter or anything
    else with a settable .value; eps may be of the net's number type (a Fraction, say).
    """
    v = param.value
    try:
        param.value = v + eps
        up = loss_of()
        param.value = v - eps
        down = loss_of()
    finally:
        param.value = v
    return (up - down) / (2 * eps)


def input_difference(loss_at, x, i, eps=1e-6):
    """The numeric derivative of loss_at(x) with respect to x[i]: central_difference with that
    one entry moved (loss_at gets a new list each time; x itself is not changed)."""
    entry = types.SimpleNamespace(value=x[i])
    return central_difference(lambda: loss_at(list(x[:i]) + [entry.value] + list(x[i + 1:])),
                              entry, eps)


@pytest.fixture(scope="session")
def mazur_json():
    return load_mazur_json()


# -- bad input: refused with a clear NeurographError, the net exactly as it was ------------

def two_input_net():
    """i1, i2 -> h (tanh) -> o (sigmoid), weights named w1, w2, w3, after one forward and one
    backward pass."""
    net = ng.Net()
    i1, i2 = net.add_input("i1"), net.add_input("i2")
    h = net.add_neuron("h", activation="tanh", bias=0.1)
    o = net.add_neuron("o", activation="sigmoid", bias=0.2)
    net.connect(i1, h, 0.5, name="w1")
    net.connect(i2, h, -0.5, name="w2")
    net.connect(h, o, 1.5, name="w3")
    net.forward([0.1, 0.2])
    net.backward([1.0])
    return net


def readable_state(net):
    """Every value a user can read: parameters, grads, flags, neuron state, wiring, names."""
    return (
        [(p.name, repr(p.value), repr(p.grad), p.trainable) for p in net.parameters()],
        [(n.name, repr(n.z), repr(n.a), repr(n.delta), repr(n.grad_a)) for n in net.neurons],
        [(c.name, c.src.name, c.dst.name) for c in net.connections()],
        sorted(net._names),
    )


def assert_refused(net, fn, exc=ng.NeurographError, match=None):
    """fn() raises exc (a NeurographError) with a message, and leaves the net exactly as it was."""
    before = readable_state(net)
    with pytest.raises(exc, match=match) as info:
        fn()
    assert isinstance(info.value, ng.NeurographError)
    assert str(info.value), "the message must say what was wrong"
    assert readable_state(net) == before
    return info.value
