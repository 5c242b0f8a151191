"""Mazur's 2-2-2 worked example, reproduced through the public API."""
from decimal import Decimal, localcontext

import pytest

import neurograph as ng
from conftest import to_printed_digits


def one_step(number=float):
    """Forward, backward and one SGD update; return (example, quantities before the update)."""
    ex = ng.textbook.mazur(number)
    net = ex.net
    net.forward(ex.x)
    E = net.backward(ex.y, loss="half_sse")
    h1, o1, o2 = net["h1"], net["o1"], net["o2"]
    half = ex.lr / ex.lr / 2  # 1/2 in the net's number type
    q = {
        "net_h1": h1.z, "out_h1": h1.a, "out_h2": net["h2"].a, "net_o1": o1.z,
        "out_o1": o1.a, "out_o2": o2.a,
        "E_o1": half * (ex.y[0] - o1.a) ** 2, "E_o2": half * (ex.y[1] - o2.a) ** 2,
        "E_total": E,
        "dE_total/dout_o1": o1.grad_a,
        "dout_o1/dnet_o1": ng.sigmoid.derivative(o1.z) if number is float else o1.a * (1 - o1.a),
        "dnet_o1/dw5": h1.a,
        "dE_total/dw5": net["w5"].grad,
        "dE_o1/dnet_o1": o1.delta,
        "dnet_o1/dout_h1": net["w5"].weight,
        "dE_o1/dout_h1": o1.delta * net["w5"].weight,
        "dE_o2/dout_h1": o2.delta * net["w7"].weight,
        "dE_total/dout_h1": h1.grad_a,
        "out_h1 (operand printed in the dout_h1/dnet_h1 line)": h1.a,
        "dout_h1/dnet_h1": h1.a * (1 - h1.a),
        "dnet_h1/dw1": net["i1"].a,
        "dE_total/dw1": net["w1"].grad,
    }
    b_before = (net["b1"].value, net["b2"].value)
    ng.SGD(net, lr=ex.lr).step()
    for k in range(1, 9):
        q["w%d+" % k] = net["w%d" % k].weight
    assert (net["b1"].value, net["b2"].value) == b_before, "frozen shared biases must not move"
    return ex, q


def test_every_printed_number(mazur_json):
    _, q = one_step()
    printed = mazur_json["printed"]
    assert set(printed) <= set(q)
    for name, text in printed.items():
        assert to_printed_digits(q[name], text) == text, name


def test_biases_shared_frozen_but_have_gradients():
    ex, _ = one_step()
    b1 = ex.net["b1"]
    assert not b1.trainable
    assert b1.value == 0.35
    # BP3 summed over both uses: dE/db1 = delta_h1 + delta_h2
    assert b1.grad == pytest.approx(ex.net["h1"].delta + ex.net["h2"].delta, rel=1e-15)
    assert [u.name for u in b1.uses()] == ["h1", "h2"]


def test_hidden_delta_is_bp2():
    ex, _ = one_step()
    net = ex.net
    h1 = net["h1"]
    expected = (net["o1"].delta * 0.40 + net["o2"].delta * 0.50) * h1.a * (1 - h1.a)
    assert h1.delta == pytest.approx(expected, rel=1e-14)


def train(number, rounds, immediate=False):
    ex = ng.textbook.mazur(number)
    net = ex.net
    opt = ng.SGD(net, lr=ex.lr)
    for _ in range(rounds):
        net.forward(ex.x)
        if immediate:
            net.backward(ex.y, after_layer=opt.step)
        else:
            net.backward(ex.y)
            opt.step()
        opt.zero_grad()
    return net.loss(ex.x, ex.y), net.forward(ex.x)


def sig(x, digits):
    return float("%.*g" % (digits, x))


def test_after_training_correct_values(mazur_json):
    ref = mazur_json["after_training"]
    E1, _ = train(float, 1)
    assert sig(E1, 9) == sig(float(ref["E_total after the first round"]), 9)
    E, outs = train(float, 10000)
    assert sig(E, 9) == sig(float(ref["E_total after 10,000 rounds"]), 9)
    assert sig(outs[0], 9) == sig(float(ref["out_o1 after 10,000 rounds"]), 9)
    assert sig(outs[1], 9) == sig(float(ref["out_o2 after 10,000 rounds"]), 9)


def test_immediate_order_reproduces_the_posts_last_paragraph():
    E1, _ = train(float, 1, immediate=True)
    assert "%.9f" % E1 == "0.291027924"
    E, outs = train(float, 10000, immediate=True)
    assert "%.9f" % E == "0.000035085"
    assert ["%.9f" % o for o in outs] == ["0.015912196", "0.984065734"]


def test_decimal_matches_30_digits(mazur_json):
    exact = mazur_json["exact_30_digits"]
    with localcontext() as ctx:
        ctx.prec = 50
        _, q = one_step(Decimal)
        for name, text in exact.items():
            assert isinstance(q[name], Decimal), name
            # compare to as many digits as the reference shows
            ref = Decimal(text)
            assert q[name].quantize(ref) == ref, name


def test_decimal_after_training(mazur_json):
    ref = mazur_json["after_training"]
    with localcontext() as ctx:
        ctx.prec = 50
        E1, _ = train(Decimal, 1)
        r = Decimal(ref["E_total after the first round"])
        assert E1.quantize(r) == r
