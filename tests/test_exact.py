"""Exact and fixed-precision arithmetic: Decimal, Fraction, and rounding like a hand calculation.

Every expected number here is computed in this file, independently of the
library: by hand (Fractions, derived line by line in the comments), by the
textbook's 30-digit values, or by series and Newton iterations written below
at 90 digits.
"""
import math
from decimal import ROUND_HALF_UP, Context, Decimal, Underflow, localcontext
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.core.arithmetic import DECIMAL, FLOAT, FRACTION
from neurograph.core.rounding import Rounding, current_rounding
from conftest import readable_state

D, F = Decimal, Fraction


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def all_values(net, opt=None):
    """Every number the net (and optimizer) holds, with a label saying where."""
    out = []
    for n in net.neurons:
        for attr in ("z", "a", "delta", "grad_a"):
            v = getattr(n, attr)
            if v is not None or not n.is_input and attr in ("z", "a"):
                out.append(("%s.%s" % (n.name, attr), v))
    for c in net.connections():
        out += [(c.name + ".weight", c.weight), (c.name + ".grad", c.grad)]
    for p in net.parameters():
        out += [(p.name + ".value", p.value), (p.name + ".grad", p.grad)]
    if opt is not None:
        out.append(("lr", opt.lr))
        for name in ("momentum", "weight_decay", "eps"):
            if hasattr(opt, name):
                out.append((name, getattr(opt, name)))
        for k, b in enumerate(getattr(opt, "betas", ())):
            out.append(("beta%d" % (k + 1), b))
        for p in net.parameters():
            for s, v in opt.state(p).items():
                out.append(("%s state %s" % (p.name, s), v))
    return out


def assert_all_of_type(net, T, opt=None):
    values = all_values(net, opt)
    assert values
    wrong = [(where, v) for where, v in values if type(v) is not T]
    assert not wrong, wrong[:5]


def snapshot(net):
    return ([(p.value, p.grad) for p in net.parameters()], [n.a for n in net.neurons],
            [n.name for n in net.neurons], [c.name for c in net.connections()], net._version)


# ---------------------------------------------------------------------------
# Mazur in Decimal: 30 digits after 10,000 rounds
# ---------------------------------------------------------------------------

def test_mazur_decimal_10000_rounds_all_30_digits(mazur_json):
    ref = mazur_json["after_training"]
    with localcontext() as ctx:
        ctx.prec = 50
        ex = ng.textbook.mazur(Decimal)
        net = ex.net
        opt = ng.SGD(net, lr=ex.lr)
        for r in range(10000):
            net.forward(ex.x)
            net.backward(ex.y)
            opt.step()
            opt.zero_grad()
            if r == 0:
                E1 = net.loss(ex.x, ex.y)
        E = net.loss(ex.x, ex.y)
        outs = net.forward(ex.x)
        assert_all_of_type(net, Decimal, opt)
        got = {"E_total after the first round": E1, "E_total after 10,000 rounds": E,
               "out_o1 after 10,000 rounds": outs[0], "out_o2 after 10,000 rounds": outs[1]}
        assert set(got) == set(ref)
        for name, text in ref.items():
            r = Decimal(text)
            assert len(r.as_tuple().digits) >= 30, name
            assert got[name].quantize(r, rounding=ROUND_HALF_UP) == r, name


# ---------------------------------------------------------------------------
# A 60-digit net against a 90-digit reference written out here
# ---------------------------------------------------------------------------

REF_PREC = 90


def r_exp(x):
    """e^x by its Taylor series after halving x until it is small, then squaring back."""
    with localcontext() as ctx:
        ctx.prec = REF_PREC + 20
        x = +x
        k = 0
        while abs(x) > D("0.001"):
            x /= 2
            k += 1
        total, term, n = D(1), D(1), 0
        tiny = D(10) ** -(REF_PREC + 18)
        while True:
            n += 1
            term = term * x / n
            total += term
            if abs(term) < tiny:
                break
        for _ in range(k):
            total *= total
    return +total


def r_ln(x):
    """ln x by Halley's iteration on e^y = x (a float guess to start; each step triples the digits)."""
    assert x > 0
    with localcontext() as ctx:
        ctx.prec = REF_PREC + 20
        y = D(math.log(float(x)))
        for _ in range(5):
            e = r_exp(y)
            y += 2 * (x - e) / (x + e)
    return +y


def r_sqrt(x):
    """sqrt x by Newton's iteration (a float guess to start)."""
    with localcontext() as ctx:
        ctx.prec = REF_PREC + 20
        y = D(math.sqrt(float(x)))
        for _ in range(8):
            y = (y + x / y) / 2
    return +y


def test_reference_functions_are_right():
    # checks of the reference itself: identities that owe nothing to Decimal.exp/ln
    with localcontext() as ctx:
        ctx.prec = REF_PREC
        e = r_exp(D(1))
        assert str(e)[:52] == "2.71828182845904523536028747135266249775724709369995"
        assert abs(r_ln(e) - 1) < D("1e-88")
        assert abs(r_sqrt(D(2)) ** 2 - 2) < D("1e-88")
        assert abs(r_exp(D("0.5")) * r_exp(D("-0.5")) - 1) < D("1e-88")


# the net: 2 inputs; sigmoid, tanh, softplus, elu hidden neurons; 3 softmax outputs
X = ["0.3", "-0.7"]
Y = ["0.2", "0.7", "0.1"]            # soft targets: every ln(a_i) enters the loss
HIDDEN = [("s", "sigmoid", ["0.4", "-0.3"], "0.1"),
          ("t", "tanh", ["-0.6", "0.25"], "0.05"),
          ("p", "softplus", ["0.8", "0.9"], "-0.2"),
          ("e", "elu", ["0.5", "0.6"], "0.15")]       # z < 0: elu uses e^z
ELU_ALPHA = "0.5"
OUT = [("o1", ["0.3", "-0.2", "0.5", "0.1"], "0.0"),
       ("o2", ["-0.4", "0.6", "0.2", "-0.3"], "0.1"),
       ("o3", ["0.7", "0.1", "-0.5", "0.4"], "-0.1")]
LR, B1, B2, EPS = "0.01", "0.9", "0.999", "1e-8"


def build_60():
    net = ng.Net(number=Decimal)
    ins = [net.add_input("x1"), net.add_input("x2")]
    hid = []
    for name, act, ws, b in HIDDEN:
        a = ng.activation("elu", alpha=ELU_ALPHA) if act == "elu" else act
        h = net.add_neuron(name, activation=a, bias=b)
        for i, w in zip(ins, ws):
            net.connect(i, h, w)
        hid.append(h)
    for name, ws, b in OUT:
        o = net.add_neuron(name, activation="softmax", bias=b)
        for h, w in zip(hid, ws):
            net.connect(h, o, w)
    return net


def reference_run(steps):
    """Forward, cross-entropy backward and Adam, by hand, at REF_PREC digits."""
    with localcontext() as ctx:
        ctx.prec = REF_PREC
        x = [D(v) for v in X]
        y = [D(v) for v in Y]
        alpha = D(ELU_ALPHA)
        W = {}
        for name, _, ws, b in HIDDEN:
            W["%s.bias" % name] = D(b)
            for i, w in zip(("x1", "x2"), ws):
                W["%s->%s" % (i, name)] = D(w)
        for name, ws, b in OUT:
            W["%s.bias" % name] = D(b)
            for (h, _, _, _), w in zip(HIDDEN, ws):
                W["%s->%s" % (h, name)] = D(w)
        M = {k: D(0) for k in W}
        V = {k: D(0) for k in W}
        acts = {name: act for name, act, _, _ in HIDDEN}
        record = []
        for t in range(1, steps + 2):
            q = {}
            # forward: z = b + sum w a, then a = f(z)
            for name, act, _, _ in HIDDEN:
                z = W[name + ".bias"] + sum(W["%s->%s" % (i, name)] * xi
                                            for i, xi in zip(("x1", "x2"), x))
                if act == "sigmoid":
                    a = 1 / (1 + r_exp(-z))
                    da = a * (1 - a)
                elif act == "tanh":
                    a = (r_exp(z) - r_exp(-z)) / (r_exp(z) + r_exp(-z))
                    da = 1 - a * a
                elif act == "softplus":
                    a = r_ln(1 + r_exp(z))
                    da = 1 / (1 + r_exp(-z))
                else:  # elu
                    a = z if z > 0 else alpha * (r_exp(z) - 1)
                    da = 1 if z > 0 else alpha * r_exp(z)
                q[name + ".z"], q[name + ".a"], q[name + "'"] = z, a, da
            zo = {}
            for name, _, _ in OUT:
                zo[name] = W[name + ".bias"] + sum(W["%s->%s" % (h, name)] * q[h + ".a"]
                                                   for h in acts)
                q[name + ".z"] = zo[name]
            es = {name: r_exp(z) for name, z in zo.items()}
            total = sum(es.values())
            for name in zo:
                q[name + ".a"] = es[name] / total                    # softmax
            q["loss"] = -sum(yi * r_ln(q[name + ".a"])                # cross-entropy
                             for yi, (name, _, _) in zip(y, OUT))
            if t == steps + 1:
                record.append(q)
                break
            # backward: output deltas a sum(y) - y, then BP2..BP4
            sy = sum(y)
            G = {}
            for yi, (name, _, _) in zip(y, OUT):
                d = q[name + ".a"] * sy - yi
                q[name + ".delta"] = d
                G[name + ".bias"] = d
                for h in acts:
                    G["%s->%s" % (h, name)] = d * q[h + ".a"]
            for h in acts:
                g = sum(W["%s->%s" % (h, name)] * q[name + ".delta"] for name, _, _ in OUT)
                q[h + ".grad_a"] = g
                d = g * q[h + "'"]
                q[h + ".delta"] = d
                G[h + ".bias"] = d
                for i, xi in zip(("x1", "x2"), x):
                    G["%s->%s" % (i, h)] = d * xi
            for k, g in G.items():
                q[k + ".grad"] = g
            # Adam
            b1, b2, lr, eps = D(B1), D(B2), D(LR), D(EPS)
            for k in W:
                g = G[k]
                M[k] = b1 * M[k] + (1 - b1) * g
                V[k] = b2 * V[k] + (1 - b2) * g * g
                W[k] = W[k] - lr * (M[k] / (1 - b1 ** t)) / (r_sqrt(V[k] / (1 - b2 ** t)) + eps)
            for k in W:
                q[k + ".new"], q[k + ".m"], q[k + ".v"] = W[k], M[k], V[k]
            record.append(q)
    return record


def test_net_at_60_digits_matches_90_digit_reference_to_55_digits():
    steps = 2
    ref = reference_run(steps)
    got = []
    with localcontext() as ctx:
        ctx.prec = 60
        net = build_60()
        opt = ng.Adam(net, lr=LR, betas=(B1, B2), eps=EPS)
        for t in range(steps + 1):
            q = {}
            net.forward(X)
            for n in net.neurons:
                if not n.is_input:
                    q[n.name + ".z"], q[n.name + ".a"] = n.z, n.a
            if t == steps:
                q["loss"] = net.loss(X, Y, loss="cross_entropy")
                got.append(q)
                break
            q["loss"] = net.backward(Y, loss="cross_entropy")
            for n in net.neurons:
                if not n.is_input:
                    q[n.name + ".delta"] = n.delta
                    if not n.is_output:
                        q[n.name + ".grad_a"] = n.grad_a
            for p in net.parameters():
                q[p.name + ".grad"] = p.grad
            opt.step()
            for p in net.parameters():
                st = opt.state(p)
                q[p.name + ".new"], q[p.name + ".m"], q[p.name + ".v"] = p.value, st["m"], st["v"]
            assert_all_of_type(net, Decimal, opt)
            opt.zero_grad()
            got.append(q)
        assert_all_of_type(net, Decimal, opt)
    assert len(got) == len(ref) == steps + 1
    checked = 0
    worst = D(1)
    for t, (g, r) in enumerate(zip(got, ref)):
        assert set(g) <= set(r), set(g) - set(r)
        assert len(g) >= (25 if t < steps else 15)
        for k, v in g.items():
            assert isinstance(v, Decimal), (t, k)
            if r[k] == 0:
                assert v == 0, (t, k)
                continue
            rel = abs((v - r[k]) / r[k])
            worst = min(worst, rel) if rel else worst
            assert rel < D("1e-55"), (t, k, v, r[k], rel)
            checked += 1
    assert checked >= 100
    # the test sees every kind: elu below zero, all ln's, Adam's sqrt in step 2
    assert ref[0]["e.z"] < 0 and got[0]["e.a"] > -D(ELU_ALPHA)
    assert ref[1]["o1.bias.m"] != ref[0]["o1.bias.m"] and ref[1]["s->o1.v"] != ref[0]["s->o1.v"]


def test_tiny_and_large_arguments_keep_every_digit():
    """tanh, elu, softplus near 0 and softplus far left: no digits lost to cancellation."""
    with localcontext() as ctx:
        ctx.prec = 60
        cases = []
        for s in ("1e-20", "-3e-9", "0.001", "2.5"):
            z = D(s)
            with localcontext() as c2:
                c2.prec = REF_PREC
                e2 = r_exp(2 * z)
                tanh_ref = (e2 - 1) / (e2 + 1)
                # e^z - 1 by its series directly, no cancellation
                elu_ref = sum((z ** n / math.factorial(n) for n in range(1, 60)), D(0)) \
                    if abs(z) < 1 else r_exp(z) - 1
            cases.append((ng.tanh(z), tanh_ref))
            if z < 0:
                cases.append((ng.elu(z), elu_ref))
        for s in ("-150", "-40", "-1e-5", "30"):
            z = D(s)
            with localcontext() as c2:
                c2.prec = REF_PREC
                u = r_exp(-abs(z))
                if u < D("0.01"):   # ln(1 + u) by its series: no 1 + u formed
                    lp = sum((-(-u) ** n / n for n in range(1, 40)), D(0))
                else:
                    lp = r_ln(1 + u)
                ref = max(z, D(0)) + lp
            cases.append((ng.softplus(z), ref))
        for got, ref in cases:
            assert isinstance(got, Decimal)
            assert abs(got - ref) <= abs(ref) * D("1e-58"), (got, ref)


# ---------------------------------------------------------------------------
# Fraction: exact, derived by hand
# ---------------------------------------------------------------------------

def test_fraction_linear_2_2_1_two_sgd_steps_by_hand():
    net = ng.Net(number=Fraction)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="identity", bias="0")
    h2 = net.add_neuron("h2", activation="identity", bias="1/5")
    o = net.add_neuron("o", activation="identity", bias="0.1")
    net.connect(x1, h1, "1/3")
    net.connect(x2, h1, "1/4")
    net.connect(x1, h2, "1")
    net.connect(x2, h2, "-0.5")
    net.connect(h1, o, "2")
    net.connect(h2, o, "-1")
    x, y = ["1/2", "1"], ["1"]
    opt = ng.SGD(net, lr="1/2")

    # forward:  z_h1 = 1/3 * 1/2 + 1/4 * 1 + 0   = 1/6 + 1/4 = 5/12
    #           z_h2 = 1 * 1/2 - 1/2 * 1 + 1/5  = 1/5
    #           z_o  = 2 * 5/12 - 1 * 1/5 + 1/10 = 5/6 - 1/10 = 11/15
    assert net.forward(x) == [F(11, 15)]
    assert (h1.z, h1.a, h2.z, h2.a) == (F(5, 12), F(5, 12), F(1, 5), F(1, 5))
    # half_sse:  E = 1/2 (11/15 - 1)^2 = 1/2 * 16/225 = 8/225
    assert net.backward(y) == F(8, 225)
    # BP1: delta_o = a - y = -4/15
    assert o.delta == F(-4, 15)
    # BP4/BP3: dE/dw(h1->o) = -4/15 * 5/12 = -1/9;  dE/dw(h2->o) = -4/15 * 1/5 = -4/75
    assert net["h1->o"].grad == F(-1, 9)
    assert net["h2->o"].grad == F(-4, 75)
    assert net["o.bias"].grad == F(-4, 15)
    # BP2: dE/da_h1 = 2 * -4/15 = -8/15, identity so delta_h1 = -8/15;
    #      dE/da_h2 = -1 * -4/15 = 4/15 = delta_h2
    assert (h1.grad_a, h1.delta, h2.grad_a, h2.delta) == (F(-8, 15), F(-8, 15), F(4, 15), F(4, 15))
    # dE/dw(x1->h1) = -8/15 * 1/2 = -4/15;  dE/dw(x2->h1) = -8/15;  dE/db_h1 = -8/15
    # dE/dw(x1->h2) = 4/15 * 1/2 = 2/15;    dE/dw(x2->h2) = 4/15;   dE/db_h2 = 4/15
    assert [net[k].grad for k in ("x1->h1", "x2->h1", "h1.bias", "x1->h2", "x2->h2", "h2.bias")] \
        == [F(-4, 15), F(-8, 15), F(-8, 15), F(2, 15), F(4, 15), F(4, 15)]
    opt.step()
    opt.zero_grad()
    # w <- w - 1/2 g:
    #   h1->o: 2 + 1/18 = 37/18          h2->o: -1 + 2/75 = -73/75      o.bias: 1/10 + 2/15 = 7/30
    #   x1->h1: 1/3 + 2/15 = 7/15        x2->h1: 1/4 + 4/15 = 31/60     h1.bias: 0 + 4/15 = 4/15
    #   x1->h2: 1 - 1/15 = 14/15         x2->h2: -1/2 - 2/15 = -19/30   h2.bias: 1/5 - 2/15 = 1/15
    assert net.values() == {
        "h1.bias": F(4, 15), "h2.bias": F(1, 15), "o.bias": F(7, 30),
        "x1->h1": F(7, 15), "x2->h1": F(31, 60), "x1->h2": F(14, 15), "x2->h2": F(-19, 30),
        "h1->o": F(37, 18), "h2->o": F(-73, 75)}

    # step 2, forward: z_h1 = 7/15 * 1/2 + 31/60 + 4/15 = (14 + 31 + 16)/60 = 61/60
    #                  z_h2 = 14/15 * 1/2 - 19/30 + 1/15 = (14 - 19 + 2)/30 = -1/10
    #   z_o = 37/18 * 61/60 + 73/75 * 1/10 + 7/30 = 2257/1080 + 73/750 + 7/30
    #       = (56425 + 2628 + 6300)/27000 = 65353/27000
    assert net.forward(x) == [F(65353, 27000)]
    assert (h1.z, h2.z) == (F(61, 60), F(-1, 10))
    # E = 1/2 (65353/27000 - 1)^2 = 1/2 (38353/27000)^2 = 1470952609/1458000000
    assert net.backward(y) == F(1470952609, 1458000000)
    # delta_o = 38353/27000;  o.bias <- 7/30 - 1/2 * 38353/27000 = (12600 - 38353)/54000
    # h2->o: grad = 38353/27000 * -1/10;  new = -73/75 + 38353/540000 = (-525600 + 38353)/540000
    opt.step()
    assert net["o.bias"].value == F(-25753, 54000)
    assert net["h2->o"].weight == F(-487247, 540000)
    assert_all_of_type(net, Fraction, opt)


def test_fraction_relu_net_with_momentum_by_hand():
    net = ng.Net(number=Fraction)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    r1 = net.add_neuron("r1", activation="relu", bias="0")
    r2 = net.add_neuron("r2", activation="relu", bias="1/6")
    o = net.add_neuron("o", activation="identity", bias="-0.25")
    net.connect(x1, r1, "1/2")
    net.connect(x2, r1, "-1/4")
    net.connect(x1, r2, "-1")
    net.connect(x2, r2, "1/3")
    net.connect(r1, o, "2/3")
    net.connect(r2, o, "1/2")
    x, y = ["1", "-1"], ["1"]
    opt = ng.SGD(net, lr="0.1", momentum="1/2")

    # z_r1 = 1/2 + 1/4 + 0 = 3/4 -> a = 3/4;   z_r2 = -1 - 1/3 + 1/6 = -7/6 -> a = 0 (dead)
    # z_o = 2/3 * 3/4 + 1/2 * 0 - 1/4 = 1/4
    assert net.forward(x) == [F(1, 4)]
    assert (r1.a, r2.z, r2.a) == (F(3, 4), F(-7, 6), F(0))
    # mse with one output: E = (1/4 - 1)^2 = 9/16; dE/da = 2 (a - y) = -3/2 = delta_o
    assert net.backward(y, loss="mse") == F(9, 16)
    assert o.delta == F(-3, 2)
    # grads: r1->o = -3/2 * 3/4 = -9/8; r2->o = -3/2 * 0 = 0; o.bias = -3/2
    # dE/da_r1 = 2/3 * -3/2 = -1, relu'(3/4) = 1: delta_r1 = -1
    # dE/da_r2 = 1/2 * -3/2 = -3/4, relu'(-7/6) = 0: delta_r2 = 0
    # x1->r1 = -1 * 1 = -1; x2->r1 = -1 * -1 = 1; r1.bias = -1; r2's three grads are 0
    assert (r1.delta, r2.grad_a, r2.delta) == (F(-1), F(-3, 4), F(0))
    assert [net[k].grad for k in ("r1->o", "r2->o", "o.bias", "x1->r1", "x2->r1", "r1.bias",
                                  "x1->r2", "x2->r2", "r2.bias")] == \
        [F(-9, 8), 0, F(-3, 2), F(-1), F(1), F(-1), 0, 0, 0]
    opt.step()
    opt.zero_grad()
    # velocity v = 1/2 * 0 + g = g;  w <- w - 1/10 v:
    #   r1->o: 2/3 + 9/80 = 187/240    o.bias: -1/4 + 3/20 = -1/10
    #   x1->r1: 1/2 + 1/10 = 3/5       x2->r1: -1/4 - 1/10 = -7/20    r1.bias: 1/10
    assert opt.state("r1->o") == {"velocity": F(-9, 8)}
    assert [net.values()[k] for k in ("r1->o", "r2->o", "o.bias", "x1->r1", "x2->r1", "r1.bias",
                                   "x1->r2", "x2->r2", "r2.bias")] == \
        [F(187, 240), F(1, 2), F(-1, 10), F(3, 5), F(-7, 20), F(1, 10), F(-1), F(1, 3), F(1, 6)]

    # step 2: z_r1 = 3/5 + 7/20 + 1/10 = 21/20;  r2 still dead
    #         z_o = 187/240 * 21/20 - 1/10 = 3927/4800 - 480/4800 = 3447/4800 = 1149/1600
    assert net.forward(x) == [F(1149, 1600)]
    # E = (1149/1600 - 1)^2 = (451/1600)^2 = 203401/2560000;  delta_o = 2 (-451/1600) = -451/800
    assert net.backward(y, loss="mse") == F(203401, 2560000)
    # grad r1->o = -451/800 * 21/20 = -9471/16000
    # v = 1/2 * -9/8 - 9471/16000 = -9000/16000 - 9471/16000 = -18471/16000
    # w = 187/240 + 1/10 * 18471/16000 = 374000/480000 + 55413/480000 = 429413/480000
    # delta_r1 = 187/240 * -451/800 = -84337/192000
    assert net["r1->o"].grad == F(-9471, 16000)
    assert r1.delta == F(-84337, 192000)
    opt.step()
    assert opt.state("r1->o") == {"velocity": F(-18471, 16000)}
    assert net["r1->o"].weight == F(429413, 480000)
    assert_all_of_type(net, Fraction, opt)


def test_fraction_leaky_relu_rational_slope_and_exact_losses():
    leaky = ng.activation("leaky_relu", slope="1/3")
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    h = net.add_neuron("h", activation=leaky, bias="0")
    net.connect(x, h, "3/7")
    # z = 3/7 * -2 = -6/7 < 0: a = 1/3 * -6/7 = -2/7, f'(z) = 1/3
    assert net.forward(["-2"]) == [F(-2, 7)]
    # half_sse with y = 0: E = 1/2 * 4/49 = 2/49; delta = (-2/7 - 0) * 1/3 = -2/21
    assert net.backward(["0"]) == F(2, 49)
    assert h.delta == F(-2, 21)
    assert net["x->h"].grad == F(4, 21)       # -2/21 * -2
    assert ng.leaky_relu(F(-5)) == F(-1, 20)  # default slope 0.01 is exactly 1/100
    assert ng.leaky_relu.derivative(F(-5)) == F(1, 100)
    # the losses on their own
    a, yv = [F(1, 3), F(3, 4)], [F(0), F(1)]
    assert ng.loss("half_sse").value(a, yv) == F(1, 2) * (F(1, 9) + F(1, 16)) == F(25, 288)
    assert ng.loss("half_sse").gradient(a, yv) == [F(1, 3), F(-1, 4)]
    assert ng.loss("mse").value(a, yv) == (F(1, 9) + F(1, 16)) / 2 == F(25, 288)
    assert ng.loss("mse").gradient(a, yv) == [F(1, 3), F(-1, 4)]   # 2/n (a - y) with n = 2


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "softplus", "elu", "softmax"])
def test_fraction_transcendental_activation_refused(act):
    net = ng.Net(number=Fraction)
    net.add_input("x")
    before = snapshot(net)
    with pytest.raises(ng.NumberError) as e:
        net.add_neuron("h", activation=act)
    msg = str(e.value)
    assert "'h'" in msg and act in msg and "number=Decimal" in msg and "Fraction" in msg
    assert snapshot(net) == before and "h" not in net
    with pytest.raises(ng.NumberError, match="number=Decimal"):
        ng.Net.dense([2, 1], activation=act, number=Fraction)


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "cross_entropy",
                                  "categorical_cross_entropy"])
def test_fraction_log_loss_refused(loss):
    net = ng.Net.dense([1, 1], activation="identity", number=Fraction)
    net.forward(["1"])
    before = snapshot(net)
    with pytest.raises(ng.NumberError) as e:
        net.backward(["1"], loss=loss)
    assert "log()" in str(e.value) and "number=Decimal" in str(e.value)
    assert snapshot(net) == before


def test_fraction_adam_and_functions_refused():
    net = ng.Net.dense([1, 1], activation="identity", number=Fraction)
    with pytest.raises(ng.NumberError, match="sqrt.*number=Decimal"):
        ng.Adam(net)
    for fn in ("exp", "log", "sqrt", "expm1", "log1p"):
        with pytest.raises(ng.NumberError, match="number=Decimal"):
            getattr(FRACTION, fn)(F(1, 2))


def test_fraction_net_stays_fraction_through_the_walk():
    net = ng.Net.dense([2, 2, 1], activation="identity", number=Fraction)
    net.forward(["1/3", "1/7"])
    net.backward(["1/2"])
    for n in net.neurons:
        assert type(n.a) is Fraction and type(n.grad_a) is Fraction
    for p in net.parameters():
        assert type(p.grad) is Fraction


# ---------------------------------------------------------------------------
# Strings are exact; floats are refused, by name
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("number", [Decimal, Fraction])
def test_strings_are_exact(number):
    net = ng.Net(number=number)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="identity", bias="0.35")
    c = net.connect(x, h, "0.15")
    exact = number("0.15") if number is Decimal else F(3, 20)
    assert c.weight == exact and type(c.weight) is number
    assert net["h.bias"].value == number("0.35") if number is Decimal else F(7, 20)
    assert net.forward(["0.05"]) == [number("0.15") * number("0.05") + number("0.35")]
    assert str(c.weight) == ("0.15" if number is Decimal else "3/20")
    assert 0.15 != c.weight   # the float 0.15 is not the number 0.15


def float_cases():
    """(label, action(net, opt), words the message must contain)."""
    return [
        ("input", lambda n, o: n.forward([0.05, "0.1"]), ["input[0]", "0.05"]),
        ("target", lambda n, o: (n.forward(["0.05", "0.1"]), n.backward(["0.01", 0.99])),
         ["target[1]", "0.99"]),
        ("weight (connect)", lambda n, o: n.connect("i1", "o1", 0.4),
         ["weight of connection i1->o1", "0.4"]),
        ("weight (set)", lambda n, o: setattr(n["w1"], "weight", 0.2), ["weight of connection 'w1'", "0.2"]),
        ("bias (new neuron)", lambda n, o: n.add_neuron("hx", activation="identity", bias=0.35),
         ["bias of neuron 'hx'", "0.35"]),
        ("bias (parameter)", lambda n, o: n.add_parameter("b9", 0.6), ["parameter 'b9'", "0.6"]),
        ("bias (set)", lambda n, o: setattr(n["b1"], "value", 0.35), ["parameter 'b1'", "0.35"]),
        ("learning rate", lambda n, o: ng.SGD(n, lr=0.5), ["learning rate", "SGD", "0.5"]),
        ("learning rate (set)", lambda n, o: setattr(o, "lr", 0.25), ["learning rate", "0.25"]),
        ("momentum", lambda n, o: ng.SGD(n, lr="0.5", momentum=0.9), ["momentum", "0.9"]),
        ("weight decay", lambda n, o: ng.SGD(n, lr="0.5", weight_decay=0.01), ["weight_decay", "0.01"]),
    ]


@pytest.mark.parametrize("number", [Decimal, Fraction])
@pytest.mark.parametrize("case", float_cases(), ids=[c[0] for c in float_cases()])
def test_float_is_refused_and_named(number, case):
    label, action, words = case
    spec = ng.textbook.load_spec("mazur")
    if number is Fraction:   # Mazur's wiring, with the rational activation
        for n in spec["network"]["neurons"]:
            n["act"] = "identity"
    net = ng.textbook.from_spec(spec, number)
    lr = number("0.5")
    opt = ng.SGD(net, lr="0.5")
    net.forward(["0.05", "0.1"])
    before = snapshot(net)
    with pytest.raises(ng.NumberError) as e:
        action(net, opt)
    msg = str(e.value)
    for w in words:
        assert w in msg, (w, msg)
    assert "float" in msg and number.__name__ in msg and "string" in msg, msg
    if label != "target":     # (the target case ran a forward pass first)
        assert snapshot(net) == before
    assert opt.lr == lr and type(opt.lr) is number


def test_float_refused_in_adam_decimal():
    net = ng.textbook.mazur(Decimal).net
    with pytest.raises(ng.NumberError, match="beta1 of Adam = 0.9 is a float"):
        ng.Adam(net, lr="0.1", betas=(0.9, "0.999"))
    with pytest.raises(ng.NumberError, match="eps of Adam = 1e-08 is a float"):
        ng.Adam(net, lr="0.1", eps=1e-8)


@pytest.mark.parametrize("number", [Decimal, Fraction])
def test_custom_functions_returning_floats_are_caught(number):
    net = ng.Net(number=number)
    net.add_input("x")
    half = ng.Activation("half", lambda z: z / 2, lambda z: 0.5)           # df leaks a float
    bad = ng.Activation("bad", lambda z: float(z), lambda z: 1)
    h = net.add_neuron("h", activation=bad, bias=None)
    net.connect("x", h, "1")
    with pytest.raises(ng.NumberError, match="activation 'bad'.*float"):
        net.forward(["1"])
    h.activation = half
    assert net.forward(["3"]) == [number(3) / 2]
    with pytest.raises(ng.NumberError, match="activation 'half': its derivative returned the float"):
        net.backward(["0"])
    h.activation = ng.Activation("int_ok", lambda z: z if z > 0 else 0, lambda z: 1 if z > 0 else 0)
    assert net.forward(["-1"]) == [0] and type(h.a) is number   # ints are converted exactly
    leaky_loss = ng.Loss("l1f", lambda a, y: 0.5, lambda a, y: [p - q for p, q in zip(a, y)])
    with pytest.raises(ng.NumberError, match="loss 'l1f': its value returned the float"):
        net.backward(["0"], loss=leaky_loss)


def test_decimal_net_refuses_fraction_strings_and_values():
    net = ng.Net(number=Decimal)
    net.add_input("x")
    with pytest.raises(ng.NumberError, match="'1/3' is a fraction.*number=Fraction"):
        net.add_neuron("h", activation="identity", bias="1/3")
    with pytest.raises(ng.NumberError, match="is a Fraction"):
        net.add_parameter("p", F(1, 3))
    with pytest.raises(ng.NumberError, match="only finite"):
        net.add_parameter("p", "NaN")
    with pytest.raises(ng.NumberError, match="only finite"):
        net.add_parameter("p", Decimal("-Infinity"))
    assert [n.name for n in net.neurons] == ["x"] and "p" not in net


# ---------------------------------------------------------------------------
# Rounding like a hand calculation
# ---------------------------------------------------------------------------

def sigma(z):
    return 1 / (1 + (-z).exp())


def hand_mazur(r):
    """Mazur's first step as a person would do it, writing each result down through r().

    One line per quantity; r rounds (or, for the unrounded run, does nothing).
    The names follow the post.  Returns the quantities and the updated weights.
    """
    w1, w2, w3, w4 = D("0.15"), D("0.20"), D("0.25"), D("0.30")
    w5, w6, w7, w8 = D("0.40"), D("0.45"), D("0.50"), D("0.55")
    b1, b2, i1, i2, t1, t2, lr = D("0.35"), D("0.60"), D("0.05"), D("0.10"), D("0.01"), D("0.99"), D("0.5")
    q = {}
    q["net_h1"] = r(w1 * i1 + w2 * i2 + b1)
    q["out_h1"] = r(sigma(q["net_h1"]))
    q["net_h2"] = r(w3 * i1 + w4 * i2 + b1)
    q["out_h2"] = r(sigma(q["net_h2"]))
    q["net_o1"] = r(w5 * q["out_h1"] + w6 * q["out_h2"] + b2)
    q["out_o1"] = r(sigma(q["net_o1"]))
    q["net_o2"] = r(w7 * q["out_h1"] + w8 * q["out_h2"] + b2)
    q["out_o2"] = r(sigma(q["net_o2"]))
    q["E_total"] = r(D("0.5") * ((q["out_o1"] - t1) ** 2 + (q["out_o2"] - t2) ** 2))
    q["dE/dout_o1"] = r(q["out_o1"] - t1)
    q["dE/dout_o2"] = r(q["out_o2"] - t2)
    q["delta_o1"] = r(q["dE/dout_o1"] * q["out_o1"] * (1 - q["out_o1"]))
    q["delta_o2"] = r(q["dE/dout_o2"] * q["out_o2"] * (1 - q["out_o2"]))
    q["dE/dw5"] = r(q["delta_o1"] * q["out_h1"])
    q["dE/dw6"] = r(q["delta_o1"] * q["out_h2"])
    q["dE/dw7"] = r(q["delta_o2"] * q["out_h1"])
    q["dE/dw8"] = r(q["delta_o2"] * q["out_h2"])
    q["dE/db2"] = r(q["delta_o1"] + q["delta_o2"])
    q["dE/dout_h1"] = r(r(q["delta_o1"] * w5) + r(q["delta_o2"] * w7))
    q["dE/dout_h2"] = r(r(q["delta_o1"] * w6) + r(q["delta_o2"] * w8))
    q["delta_h1"] = r(q["dE/dout_h1"] * q["out_h1"] * (1 - q["out_h1"]))
    q["delta_h2"] = r(q["dE/dout_h2"] * q["out_h2"] * (1 - q["out_h2"]))
    q["dE/dw1"] = r(q["delta_h1"] * i1)
    q["dE/dw2"] = r(q["delta_h1"] * i2)
    q["dE/dw3"] = r(q["delta_h2"] * i1)
    q["dE/dw4"] = r(q["delta_h2"] * i2)
    q["dE/db1"] = r(q["delta_h1"] + q["delta_h2"])
    for k, w in zip(range(1, 9), (w1, w2, w3, w4, w5, w6, w7, w8)):
        q["w%d+" % k] = r(w - lr * q["dE/dw%d" % k])
    return q


def net_mazur(number):
    """The same quantities, read off the net after forward, backward and one SGD step."""
    ex = ng.textbook.mazur(number)
    net = ex.net
    net.forward(ex.x)
    q = {"E_total": net.backward(ex.y)}
    for n in ("h1", "h2", "o1", "o2"):
        q["net_" + n], q["out_" + n] = net[n].z, net[n].a
    for n in ("o1", "o2"):
        q["dE/dout_" + n] = net[n].grad_a
    for n in ("h1", "h2"):
        q["dE/dout_" + n] = net[n].grad_a
    for n in ("o1", "o2", "h1", "h2"):
        q["delta_" + n] = net[n].delta
    for k in range(1, 9):
        q["dE/dw%d" % k] = net["w%d" % k].grad
    q["dE/db1"], q["dE/db2"] = net["b1"].grad, net["b2"].grad
    ng.SGD(net, lr=ex.lr).step()
    for k in range(1, 9):
        q["w%d+" % k] = net["w%d" % k].weight
    return q


def places4(x):
    return x.quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def digits4(x):
    return Context(prec=4, rounding=ROUND_HALF_UP).plus(x)


def test_rounding_places_4_reproduces_the_hand_calculation_digit_for_digit():
    hand = hand_mazur(places4)
    # The hand calculation's numbers, as the person writes them down (a calculator
    # for sigma, everything else on paper; "tie" marks a 5 in the fifth place, rounded up
    # away from zero):
    written = {
        "net_h1": "0.3775",       # 0.15*0.05 + 0.20*0.10 + 0.35 = 0.0075 + 0.02 + 0.35
        "out_h1": "0.5933",       # sigma(0.3775) = 0.593270
        "net_h2": "0.3925",       # 0.0125 + 0.03 + 0.35
        "out_h2": "0.5969",       # sigma(0.3925) = 0.596884
        "net_o1": "1.1059",       # 0.40*0.5933 + 0.45*0.5969 + 0.60 = 1.105925
        "out_o1": "0.7514",       # sigma(1.1059) = 0.751364
        "net_o2": "1.2249",       # 0.50*0.5933 + 0.55*0.5969 + 0.60 = 1.224945
        "out_o2": "0.7729",       # sigma(1.2249) = 0.772925
        "E_total": "0.2984",      # (0.7414^2 + 0.2171^2) / 2 = 0.59680637 / 2 = 0.298403
        "dE/dout_o1": "0.7414",   # 0.7514 - 0.01
        "dE/dout_o2": "-0.2171",  # 0.7729 - 0.99
        "delta_o1": "0.1385",     # 0.7414 * 0.7514 * 0.2486 = 0.7414 * 0.18679804 = 0.138492
        "delta_o2": "-0.0381",    # -0.2171 * 0.7729 * 0.2271 = -0.2171 * 0.17552559 = -0.038107
        "dE/dw5": "0.0822",       # 0.1385 * 0.5933 = 0.082172
        "dE/dw6": "0.0827",       # 0.1385 * 0.5969 = 0.082671
        "dE/dw7": "-0.0226",      # -0.0381 * 0.5933 = -0.022605
        "dE/dw8": "-0.0227",      # -0.0381 * 0.5969 = -0.022742
        "dE/db2": "0.1004",       # 0.1385 - 0.0381
        "dE/dout_h1": "0.0363",   # 0.1385*0.40 = 0.0554, -0.0381*0.50 = -0.01905 -> -0.0191 (tie)
        "dE/dout_h2": "0.0413",   # 0.1385*0.45 = 0.062325 -> 0.0623, -0.0381*0.55 = -0.020955 -> -0.0210
        "delta_h1": "0.0088",     # 0.0363 * 0.5933 * 0.4067 = 0.0363 * 0.24129511 = 0.008759
        "delta_h2": "0.0099",     # 0.0413 * 0.5969 * 0.4031 = 0.0413 * 0.24060939 = 0.009937
        "dE/dw1": "0.0004",       # 0.0088 * 0.05 = 0.00044
        "dE/dw2": "0.0009",       # 0.0088 * 0.10 = 0.00088
        "dE/dw3": "0.0005",       # 0.0099 * 0.05 = 0.000495 (tie)
        "dE/dw4": "0.0010",       # 0.0099 * 0.10 = 0.00099
        "dE/db1": "0.0187",       # 0.0088 + 0.0099
        "w1+": "0.1498",          # 0.15 - 0.5 * 0.0004
        "w2+": "0.1996",          # 0.20 - 0.00045 = 0.19955 (tie)
        "w3+": "0.2498",          # 0.25 - 0.00025 = 0.24975 (tie)
        "w4+": "0.2995",          # 0.30 - 0.0005
        "w5+": "0.3589",          # 0.40 - 0.0411
        "w6+": "0.4087",          # 0.45 - 0.04135 = 0.40865 (tie)
        "w7+": "0.5113",          # 0.50 + 0.0113
        "w8+": "0.5614"}          # 0.55 + 0.01135 = 0.56135 (tie)
    assert {k: str(v) for k, v in hand.items()} == written
    with ng.rounding(places=4):
        got = net_mazur(Decimal)
    assert {k: str(v) for k, v in got.items()} == written
    # the same rule, in a float net: each float is the nearest float to the written number
    with ng.rounding(places=4):
        got_f = net_mazur(float)
    assert {k: repr(v) for k, v in got_f.items()} == {k: repr(float(v)) for k, v in written.items()}
    # outside the block nothing is rounded
    assert str(net_mazur(Decimal)["out_h1"]) != "0.5933"


def test_rounding_changes_the_answer_where_it_should():
    """Rounding at every step vs computing exactly and rounding only what is shown."""
    with localcontext() as ctx:
        ctx.prec = 50
        exact = hand_mazur(lambda x: x)
        exact_net = net_mazur(Decimal)
    for k in exact:                             # the unrounded net is the exact calculation
        assert abs(exact_net[k] - exact[k]) < D("1e-45"), k
    with ng.rounding(places=4):
        rounded_net = net_mazur(Decimal)
    shown = {k: places4(v) for k, v in exact.items()}
    differ = {k for k in exact if rounded_net[k] != shown[k]}
    assert differ == {k for k, v in hand_mazur(places4).items() if v != shown[k]}
    # Where they differ: dE/dout_h1 is a sum of two rounded terms, 0.0554 - 0.0191
    # = 0.0363, while exactly it is 0.036350.. -> 0.0364; the same for dE/dout_h2
    # (0.0413 vs 0.041370.. -> 0.0414), and delta_h2 carries that on
    # (0.0099 vs 0.009954.. -> 0.0100).  Everything else agrees to 4 places.
    assert {k: (str(rounded_net[k]), str(shown[k])) for k in differ} == {
        "dE/dout_h1": ("0.0363", "0.0364"), "dE/dout_h2": ("0.0413", "0.0414"),
        "delta_h2": ("0.0099", "0.0100")}
    # Over training the differences spread to the weights (20 rounds: most of them).
    def train(rounds):
        ex = ng.textbook.mazur(Decimal)
        opt = ng.SGD(ex.net, lr=ex.lr)
        for _ in range(rounds):
            ex.net.forward(ex.x)
            ex.net.backward(ex.y)
            opt.step()
            opt.zero_grad()
        return ex.net
    plain = {k: places4(v) for k, v in train(20).values().items()}
    with ng.rounding(places=4):
        rounded = train(20).values()
    weights = ["w%d" % k for k in range(1, 9)]   # (b1, b2 are frozen: never rounded)
    assert all(str(rounded[k]) == str(places4(rounded[k])) for k in weights)
    assert sum(rounded[k] != plain[k] for k in plain) >= 5


def test_rounding_digits_significant():
    hand = hand_mazur(digits4)
    with ng.rounding(digits=4):
        got = net_mazur(Decimal)
    assert got == hand
    assert {k: str(v) for k, v in got.items() if k in ("dE/dw1", "delta_h1", "w5+", "E_total")} \
        == {"dE/dw1": "0.0004385", "delta_h1": "0.008769", "w5+": "0.3589", "E_total": "0.2984"}
    # by hand: delta_o2 = -0.2171 * 0.17552559 = -0.038107 -> -0.03811;
    # dE/dout_h1 = 0.0554 + (-0.03811 * 0.5 = -0.019055 -> -0.01906) = 0.03634;
    # delta_h1 = 0.03634 * 0.24129511 = 0.0087687 -> 0.008769; dE/dw1 = 0.00043845 -> 0.0004385
    # four significant digits keep small gradients that four places would flatten
    with ng.rounding(places=4):
        assert net_mazur(Decimal)["dE/dw1"] == D("0.0004")


def test_rounding_fraction_net_is_exact_half_up():
    # a one-weight linear net, rounded to 1 place at every step
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(x, o, "1/3")
    with ng.rounding(places=1):
        # z = 1/3 * 1 = 0.333.. -> 0.3;  E = 1/2 (0.3 - 1)^2 = 0.245 -> 0.2 (to one place)
        assert net.forward(["1"]) == [F(3, 10)]
        assert net.backward(["1"]) == F(2, 10)
        # delta = 0.3 - 1 = -0.7; grad = -0.7 * 1 = -0.7; w <- 1/3 + 1/2 * 0.7 = 0.6833.. -> 0.7
        assert o.delta == F(-7, 10) and net["x->o"].grad == F(-7, 10)
        ng.SGD(net, lr="1/2").step()
    assert net["x->o"].weight == F(7, 10)
    with ng.rounding(places=2):
        # half up, away from zero: -0.125 -> -0.13, 0.125 -> 0.13; 1/8 exactly
        assert net.forward(["-5/28"]) == [F(-13, 100)]
        assert net.forward(["5/28"]) == [F(13, 100)]


@pytest.mark.parametrize("rule,value,expected", [
    (dict(places=4), "0.00005", "0.0001"), (dict(places=4), "-0.00005", "-0.0001"),
    (dict(places=4), "0.00015", "0.0002"), (dict(places=4), "-0.00025", "-0.0003"),
    (dict(places=4), "-0.00004", "0"), (dict(places=0), "-2.5", "-3"),
    (dict(digits=2), "0.0125", "0.013"), (dict(digits=2), "-0.0125", "-0.013"),
    (dict(digits=2), "-995", "-1000"), (dict(digits=1), "0.95", "1"),
])
def test_round_half_up_every_type(rule, value, expected):
    R = Rounding(**rule)
    assert DECIMAL.round(D(value), R) == D(expected)
    assert not DECIMAL.round(D(value), R).is_signed() or D(expected) < 0   # never -0
    assert FRACTION.round(F(value), R) == F(expected)
    assert FLOAT.round(float(value), R) == float(expected)
    assert str(FLOAT.round(float(value), R)) == str(float(expected))   # "0.0", not "-0.0"


def test_rounding_arguments_checked_at_once():
    for bad in (dict(), dict(places=2, digits=2), dict(places=-1), dict(digits=0),
                dict(places=1.5), dict(places=True)):
        with pytest.raises(ng.NumberError):
            ng.rounding(**bad)
    with ng.rounding(places=3) as rule:
        assert current_rounding() == rule == Rounding(places=3)
        with ng.rounding(digits=2):
            assert current_rounding() == Rounding(digits=2)
        assert current_rounding() == rule
    assert current_rounding() is None


@pytest.mark.parametrize("mode,rule,value,expected", [
    ("half_up", dict(places=2), "0.125", "0.13"), ("half_up", dict(places=2), "-0.125", "-0.13"),
    ("half_even", dict(places=2), "0.125", "0.12"), ("half_even", dict(places=2), "-0.125", "-0.12"),
    ("half_even", dict(places=2), "0.135", "0.14"), ("half_even", dict(places=2), "-0.135", "-0.14"),
    ("half_even", dict(places=2), "0.1251", "0.13"), ("half_even", dict(places=0), "2.5", "2"),
    ("half_even", dict(places=4), "-0.00005", "0"), ("half_even", dict(digits=2), "0.0125", "0.012"),
    ("half_even", dict(digits=2), "-995", "-1000"), ("half_even", dict(digits=1), "0.85", "0.8"),
    ("down", dict(places=2), "0.129", "0.12"), ("down", dict(places=2), "-0.129", "-0.12"),
    ("down", dict(places=4), "-0.00009", "0"), ("down", dict(places=0), "-2.9", "-2"),
    ("down", dict(digits=2), "0.01299", "0.012"), ("down", dict(digits=2), "-1999", "-1900"),
    ("down", dict(digits=1), "0.99", "0.9"),
])
def test_rounding_modes_every_type(mode, rule, value, expected):
    R = Rounding(mode=mode, **rule)
    assert DECIMAL.round(D(value), R) == D(expected)
    assert not DECIMAL.round(D(value), R).is_signed() or D(expected) < 0   # never -0
    assert FRACTION.round(F(value), R) == F(expected)
    assert FLOAT.round(float(value), R) == float(expected)
    assert str(FLOAT.round(float(value), R)) == str(float(expected))   # "0.0", not "-0.0"


def test_rounding_mode_in_nets_repr_equality_and_errors():
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(x, o, "1")
    outs = {}
    for mode in ("half_up", "half_even", "down"):
        with ng.rounding(places=2, mode=mode) as rule:
            assert current_rounding() == rule
            outs[mode] = net.forward(["1/8"]) + net.forward(["-1/8"]) + net.forward(["1/3"])
    assert outs == {"half_up": [F(13, 100), F(-13, 100), F(33, 100)],
                    "half_even": [F(12, 100), F(-12, 100), F(33, 100)],
                    "down": [F(12, 100), F(-12, 100), F(33, 100)]}
    assert repr(Rounding(places=2)) == "Rounding(places=2)"
    assert repr(Rounding(places=2, mode="half_up")) == "Rounding(places=2)"
    assert repr(Rounding(digits=3, mode="half_even")) == "Rounding(digits=3, mode='half_even')"
    assert repr(Rounding(places=0, mode="down")) == "Rounding(places=0, mode='down')"
    assert Rounding(places=2) == Rounding(places=2, mode="half_up")
    assert Rounding(places=2) != Rounding(places=2, mode="down")
    assert len({Rounding(places=2), Rounding(places=2, mode="half_up"),
                Rounding(places=2, mode="half_even"), Rounding(places=2, mode="down")}) == 3
    for bad in ("HALF_UP", "half_down", "", None, 1, ROUND_HALF_UP):
        with pytest.raises(ng.NumberError, match="mode= must be 'half_up'.*'half_even'.*'down'"):
            ng.rounding(places=2, mode=bad)
    assert current_rounding() is None


def test_rounding_in_momentum_and_adam_state():
    with ng.rounding(places=3):
        net = ng.Net.dense([2, 2, 1], activation="tanh", number=Decimal, seed=3)
        sgd = ng.SGD(net, lr="0.1", momentum="0.9")
        for _ in range(3):
            net.forward(["0.5", "-0.25"])
            net.backward(["0.3"])
            sgd.step()
            sgd.zero_grad()
        adam_net = ng.Net.dense([2, 2, 1], activation="tanh", number=Decimal, seed=3)
        adam = ng.Adam(adam_net, lr="0.01")
        for _ in range(2):
            adam_net.forward(["0.5", "-0.25"])
            adam_net.backward(["0.3"])
            adam.step()
    three = D("0.001")
    for n, opt in ((net, sgd), (adam_net, adam)):
        for where, v in all_values(n, opt):
            if where.startswith(("lr", "momentum", "beta", "eps", "weight_decay")) or v == 0:
                continue
            if where.endswith(".value") or where.endswith(".weight") :
                continue   # updated weights are checked below; initial ones are not rounded
            assert v == v.quantize(three), (where, v)
        for p in n.parameters():
            assert p.value == p.value.quantize(three), p
            for s, v in opt.state(p).items():
                assert v == v.quantize(three), (p.name, s, v)


def test_net_loss_is_rounded_like_backward():
    from decimal import Decimal
    ex = ng.textbook.mazur(Decimal)
    with ng.rounding(places=4):
        assert ex.net.loss(ex.x, ex.y) == Decimal("0.2984")
        ex.net.forward(ex.x)
        assert ex.net.backward(ex.y) == Decimal("0.2984")


def test_explain_and_rounding_modes_stay_exact_in_decimal():
    ex = ng.textbook.mazur(Decimal)
    ex.net.forward(ex.x)
    with ng.rounding(places=4):
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    assert ex.net["o1"].delta == Decimal("0.1385")
    assert type(ex.net["o1"].delta) is Decimal and type(ex.net["w5"].grad) is Decimal
    assert ex.net["w5"].grad == Decimal("0.0822")


# ---------------------------------------------------------------------------
# Small precision and extreme arguments
# ---------------------------------------------------------------------------

def test_decimal_precision_3_mazur():
    with localcontext() as ctx:
        ctx.prec = 50
        fine = net_mazur(Decimal)
    with localcontext() as ctx:
        ctx.prec = 3
        coarse = net_mazur(Decimal)
    assert set(coarse) == set(fine)
    for k, v in coarse.items():
        assert isinstance(v, Decimal), k
        assert len(v.as_tuple().digits) <= 3, (k, v)
        # 3 digits each; a sum of two terms of opposite sign (dE/dout_h1) loses one more
        assert abs(v - fine[k]) <= abs(fine[k]) * D("0.03"), (k, v, fine[k])


@pytest.mark.parametrize("prec", [3, 28])
def test_decimal_extreme_z_gives_the_limits(prec):
    with localcontext() as ctx:
        ctx.prec = prec
        big, small = D("1e6"), D("-1e6")
        assert ng.sigmoid(big) == 1
        s = ng.sigmoid(small)
        assert 0 < s < D("1e-434000")                          # e^-1e6, not 0 and not an error
        assert ng.softplus(big) == big
        sp = ng.softplus(small)
        assert 0 < sp < D("1e-434000") and abs(sp - s) <= s * D("1e-2")  # ln(1 + e^z) ~ e^z
        assert ng.elu(small) == -1 and ng.elu(big) == big
        assert ng.tanh(big) == 1 and ng.tanh(small) == -1
        d = ng.elu.derivative(small)                            # alpha e^z, alpha = 1
        assert 0 < d < D("1e-434000") and abs(d - s) <= s * D("1e-2")
        # through a net: every z at +-1e6, forward and backward finish with the limits
        net = ng.Net(number=Decimal)
        x = net.add_input("x")
        outs = []
        for name in ("sigmoid", "softplus", "elu", "tanh"):
            for sign in ("p", "m"):
                n = net.add_neuron(name + sign, activation=name, bias=None)
                net.connect(x, n, "1" if sign == "p" else "-1")
                outs.append(n)
        a = net.forward(["1e6"])
        net.backward(["0"] * len(a))
        assert a[0] == 1 and 0 < a[1] < D("1e-434000")
        assert a[2] == big and 0 < a[3] < D("1e-434000")
        assert a[4] == big and a[5] == -1
        assert a[6] == 1 and a[7] == -1
        assert_all_of_type(net, Decimal)


def test_decimal_overflow_and_underflow_are_clear():
    net = ng.Net(number=Decimal)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="sigmoid", bias=None)
    net.connect(x, h, "1e999990")
    with pytest.raises(ng.NumericalError, match="'h'.*Overflow"):
        net.forward(["1e10"])          # z = 1e1000000 exceeds the context's Emax
    net["x->h"].weight = "1"
    # far below Emin e^z underflows to 0: the limit, quietly, as decimal does by default
    assert net.forward(["-1e7"]) == [0]
    with localcontext() as ctx:
        ctx.traps[Underflow] = True    # ... unless underflow is made an error
        with pytest.raises(ng.NumericalError, match="'h'"):
            net.forward(["-1e7"])
    loss_net = ng.Net.dense([1, 1], activation="identity", number=Decimal)
    loss_net.forward(["1"])
    with pytest.raises(ng.NumericalError, match="half_sse"):
        loss_net.backward(["1e600000"])   # (a - y)^2 overflows


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


def test_decimal_cross_entropy_at_precision_3_and_after():
    with localcontext() as ctx:
        ctx.prec = 3
        net = ng.Net(number=Decimal)
        x = net.add_input("x")
        o = net.add_neuron("o", activation="sigmoid", bias=None)
        net.connect(x, o, "1")
        assert net.forward(["20"]) == [1]       # sigmoid(20) = 1.00 at 3 digits
        E = net.backward(["0"], loss="binary_cross_entropy")
        assert E == D("27.6")                   # -ln(1e-12), the clip, not Infinity
        assert o.delta == 1                     # a - y
        bce = ng.loss("binary_cross_entropy")
        assert bce.gradient([D(1)], [D(0)]) == [D("1.00E+12")]
    # the clip does not keep the first context's precision
    with localcontext() as ctx:
        ctx.prec = 28
        assert bce.value([D(1)], [D(0)]) == -D("1e-12").ln()
        assert bce.value([D("0.5")], [D(1)]) == -D("0.5").ln()
        assert ng.loss("cross_entropy").value([D("0.75")], [D("0.25")]) == \
            -(D("0.25") * D("0.75").ln() + D("0.75") * D("0.25").ln())
