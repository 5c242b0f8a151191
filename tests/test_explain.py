"""explain, trace, diff, watchpoints, hooks, anomalies, summary and reprs."""
import builtins
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.debugging import explain
from conftest import input_difference, readable_state, two_input_net

W5_KEYS = ["dE_total/dout_o1", "dout_o1/dnet_o1", "dnet_o1/dw5", "dE_total/dw5", "w5+"]
W1_KEYS = ["dE_o1/dnet_o1", "dnet_o1/dout_h1", "dE_o1/dout_h1", "dE_o2/dout_h1",
           "dE_total/dout_h1", "out_h1 (operand printed in the dout_h1/dnet_h1 line)",
           "dout_h1/dnet_h1", "dnet_h1/dw1", "dE_total/dw1", "w1+"]


def mazur_after_backward(number=float):
    ex = ng.textbook.mazur(number)
    ex.net.forward(ex.x)
    ex.net.backward(ex.y)
    return ex


@pytest.mark.parametrize("param,keys", [("w5", W5_KEYS), ("w1", W1_KEYS)])
def test_mazur_explanation_contains_the_posts_numbers(mazur_json, param, keys):
    ex = mazur_after_backward()
    text = str(ex.net.explain(param, lr=ex.lr))
    printed = mazur_json["printed"]
    missing = [(k, printed[k]) for k in keys if printed[k] not in text]
    assert not missing, text
    # the chain rule itself, in the post's notation
    assert "dE/d%s = dE/d(out_" % param in text
    assert "%s+ = %s - eta * dE/d%s" % (param, param, param) in text


def test_mazur_hidden_weight_sums_over_every_downstream_path():
    ex = mazur_after_backward()
    e = ex.net.explain("w1")
    text = str(e)
    assert "dE/d(out_h1) = dE_o1/d(out_h1) + dE_o2/d(out_h1)" in text
    assert "BP2" in text and "BP4" in text
    assert e.value == ex.net["w1"].grad
    # each term expanded one level: delta_o * w
    assert "delta_o1 * w5" in text and "delta_o2 * w7" in text


def test_explain_a_delta_and_digits():
    ex = mazur_after_backward()
    e = ex.net.explain("h1", digits=4)
    assert e.value == ex.net["h1"].delta
    first = e.lines()[0]
    assert first.startswith("delta_h1 = dE/d(out_h1) * d(out_h1)/d(net_h1)") and "BP2" in first
    assert "0.0088" in str(e) and "0.008771355" not in str(e)
    out = str(ex.net.explain("o1"))
    assert "BP1" in out and "0.138498562" in out


def skip_net():
    net = ng.Net(seed=3)
    x = net.add_input("x")
    h1 = net.add_neuron("h1", activation="tanh", bias=0.1)
    h2 = net.add_neuron("h2", activation="sigmoid", bias=-0.2)
    o = net.add_neuron("o", activation="identity", bias=0.05)
    net.connect(x, h1, 0.7)
    net.connect(h1, h2, -1.3)
    net.connect(h2, o, 0.9)
    net.connect(h1, o, 0.4, name="skip")   # skips h2
    return net


def test_skip_connection_sums_both_paths_and_matches_finite_differences():
    net = skip_net()
    x, y = [0.8], [0.3]
    net.forward(x)
    net.backward(y)
    e = net.explain("x->h1")
    text = str(e)
    assert "dE/d(out_h1) = dE_o/d(out_h1) + dE_h2/d(out_h1)" in text   # as the walk adds them
    h1, h2, o = net["h1"], net["h2"], net["o"]
    assert "%.9f" % (h2.delta * -1.3) in text and "%.9f" % (o.delta * 0.4) in text
    assert "delta_o * skip" in text
    numeric = {r.name: r.numeric for r in ng.gradcheck(net, x, y).rows}
    assert math.isclose(e.value, numeric["x->h1"], rel_tol=1e-6)
    assert math.isclose(net.explain("h1").value, h1.delta)


def test_shared_bias_is_the_sum_over_its_uses():
    ex = mazur_after_backward()
    net = ex.net
    e = net.explain("b1", lr=ex.lr)
    text = str(e)
    assert "sum over its 2 uses" in text
    assert "dE/db1 (via h1)" in text and "dE/db1 (via h2)" in text
    assert "%.9f" % net["h1"].delta in text and "%.9f" % net["h2"].delta in text
    assert e.value == net["h1"].delta + net["h2"].delta
    assert math.isclose(e.value, net["b1"].grad)
    assert "BP3" in text
    assert "b1 is frozen" in text  # Mazur never updates the biases


def test_tied_weight_sums_over_its_connections():
    net = ng.Net()
    x = net.add_input("x")
    w = net.add_parameter("w", 0.5)
    a = net.add_neuron("a", activation="identity", bias=None)
    b = net.add_neuron("b", activation="identity", bias=None)
    net.connect(x, a, w)
    net.connect(a, b, w)
    net.forward([2.0])
    net.backward([0.0])
    e = net.explain("w")
    assert "sum over its 2 uses" in str(e)
    # b = w * w * x = 0.5 and E = b^2 / 2, so dE/dw = b * 2 w x = 0.5 * 2 * 0.5 * 2 = 1
    assert e.value == net["w"].grad == pytest.approx(1.0)


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


def test_decimal_net_prints_exact_values():
    ex = mazur_after_backward(Decimal)
    net = ex.net
    text = str(net.explain("w5", lr=ex.lr))
    assert str(net["w5"].grad) in text
    assert str(net["o1"].grad_a) in text
    assert str(net["w5"].weight - ex.lr * net["w5"].grad) in text
    assert "0.35891647971788461057" in text  # the 30-digit reference, to 20 digits
    rounded = str(net.explain("w5", digits=9))
    assert "0.082167041" in rounded and str(net["w5"].grad) not in rounded


def test_fraction_net_prints_fractions():
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    o = net.add_neuron("o", activation="identity", bias="1/3")
    net.connect(x, o, "2/7", name="w")
    net.forward(["1/2"])
    net.backward(["0"])
    e = net.explain("w", lr="1/10")
    assert e.value == Fraction(10, 21) * Fraction(1, 2)
    text = str(e)
    assert "5/21" in text and "10/21" in text and "1/2" in text
    assert r"\frac{5}{21}" in e.latex()


def _latex_ok(tex):
    body = tex.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for ch in body:
        depth += ch == "{"
        depth -= ch == "}"
        assert depth >= 0, tex
    assert depth == 0, tex
    # inside \text{...} / \intertext{...} (text mode) every underscore is escaped
    for m in re.finditer(r"\\(?:inter)?text\{", body):
        i, d = m.end(), 1
        while d:
            d += body[i] == "{"
            d -= body[i] == "}"
            i += 1
        inner = body[m.end():i - 1]
        assert not re.search(r"(?<!\\)_", inner), inner
    # outside math environments nothing but the environment itself
    outside = re.sub(r"\\begin\{align\*\}.*?\\end\{align\*\}", "", tex, flags=re.S)
    assert outside.strip() == ""
    assert "->" not in tex


def test_markdown_and_latex():
    net = ng.Net.dense([2, 3, 2], activation="sigmoid", seed=4)
    net.forward([0.5, -0.25])
    net.backward([1.0, 0.0])
    for name in ("i1->h1_1", "h1_2", "h1_1.bias", "o2"):
        e = net.explain(name, lr=0.1)
        tex = e.latex()
        assert tex.startswith("\\begin{align*}") and tex.rstrip().endswith("\\end{align*}")
        _latex_ok(tex)
        assert r"\mathrm{h1\_" in tex or r"\mathrm{o2}" in tex
        md = e.markdown()
        assert md.startswith("#### ") and md.count("```") == 2
        assert str(e) in md
    md = net.explain("i1->h1_1").markdown()
    assert "**BP2**" in md and "**BP4**" in md
    ex = mazur_after_backward()
    _latex_ok(ex.net.explain("w1", lr=ex.lr).latex())


def test_chain_of_ten_thousand_neurons():
    net = ng.Net()
    prev = net.add_input("x")
    for k in range(1, 10001):
        n = net.add_neuron("n%d" % k, activation="identity", bias=None)
        net.connect(prev, n, 1.0)
        prev = n
    net.forward([1.0])
    net.backward([0.5])
    for name in ("n1", "n5000", "n10000", "n4999->n5000"):
        e = net.explain(name)
        assert e.value == 0.5
    assert "dE_n5001/d(out_n5000)" in str(net.explain("n5000"))


def test_explain_errors_and_stale_weights():
    ex = ng.textbook.mazur()
    net = ex.net
    with pytest.raises(ng.StateError):
        net.explain("w5")                      # no forward/backward yet
    net.forward(ex.x)
    with pytest.raises(ng.StateError, match="backward"):
        net.explain("w5")
    net.backward(ex.y)
    with pytest.raises(ng.NameLookupError):
        net.explain("w55")
    with pytest.raises(ng.FormatError):
        net.explain("w5", digits=-1)
    ng.SGD(net, lr=ex.lr).step()
    with pytest.raises(ng.StateError, match="remember"):
        net.explain("w1")                      # w5..w8 changed since the backward pass


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


def test_remember_keeps_the_weights_the_backward_pass_used(mazur_json):
    ex = ng.textbook.mazur()
    net = ex.net
    keep = ng.remember(net)
    net.forward(ex.x)
    net.backward(ex.y)
    ng.SGD(net, lr=ex.lr).step()
    text = str(net.explain("w1", lr=ex.lr))
    for k in W1_KEYS:
        assert mazur_json["printed"][k] in text
    assert "updated since that backward pass" in text
    keep.remove()
    assert not net._hooks


def mazur_trace():
    ex = ng.textbook.mazur()
    opt = ng.SGD(ex.net, lr=ex.lr)
    with ex.net.trace() as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
        opt.step()
    assert not ex.net._hooks
    return ex, t


def test_trace_records_every_quantity(mazur_json, tmp_path):
    ex, t = mazur_trace()
    p = mazur_json["printed"]
    from conftest import to_printed_digits
    assert to_printed_digits(t.value("h1", "z"), p["net_h1"]) == p["net_h1"]
    assert to_printed_digits(t.value("o1", "a"), p["out_o1"]) == p["out_o1"]
    assert to_printed_digits(t.value("h1", "grad_a"), p["dE_total/dout_h1"]) == p["dE_total/dout_h1"]
    assert to_printed_digits(t.value("w5", "grad"), p["dE_total/dw5"]) == p["dE_total/dw5"]
    assert to_printed_digits(t.value("w5", "weight_after"), p["w5+"]) == p["w5+"]
    assert t.value("w5", "weight_before") == 0.4
    assert t.value("b1", "grad") == ex.net["b1"].grad            # shared: summed over uses
    assert {r.phase for r in t} == {"forward", "backward", "step"}
    assert [r.equation for r in t.filter(name="o1", quantity="delta")] == ["BP1"]
    assert [r.equation for r in t.filter(name="h1", quantity="delta")] == ["BP2"]
    assert t.filter(quantity="grad", name="w1").rows[0].equation == "BP4"
    fwd = t.filter(phase="forward")
    assert [r.name for r in fwd][:2] == ["i1", "i2"] and len(fwd) == 2 + 2 * 4
    path = tmp_path / "trace.csv"
    text = t.to_csv(path)
    assert path.read_text() == text and text.startswith("sample,phase,name,quantity,value,equation")
    md = t.to_markdown(digits=6)
    assert md.count("\n") == len(t) + 2 and "| 0.593270 |" in md
    with pytest.raises(ng.NameLookupError):
        t.value("h1", "nonsense")


def test_diff_points_at_the_edited_hand_value(tmp_path):
    ex, t = mazur_trace()
    # a hand calculation: every value to 9 decimals, one of them wrong
    rows = ["name,quantity,value"]
    seen = set()
    for r in t:
        if (r.name, r.quantity) not in seen:
            seen.add((r.name, r.quantity))
            rows.append("%s,%s,%.9f" % (r.name, r.quantity, r.value))
    good = "\n".join(rows) + "\n"
    assert ng.diff(t, good).ok
    bad = good.replace("h2,delta,%.9f" % t.value("h2", "delta"), "h2,delta,0.009954355")
    assert bad != good
    path = tmp_path / "hand.csv"
    path.write_text(bad)
    d = ng.diff(t, str(path))
    assert not d.ok and len(d) == 1
    first = d.first
    assert (first.name, first.quantity, first.equation) == ("h2", "delta", "BP2")
    assert "h2 delta" in str(d)
    # dict form, and reading order: the earliest wrong quantity comes first
    hand = {("o2", "a"): "0.772928466", ("h1", "z"): "0.3775", ("w1", "grad"): 0.0004}
    d = ng.diff(t, hand)
    assert [(x.name, x.quantity) for x in d] == [("o2", "a"), ("w1", "grad")]
    assert ng.diff(t, hand, places=3).ok            # 0.0004 and 0.000438568 agree to 3 places


def test_diff_two_traces_and_places():
    ex, t = mazur_trace()
    _, t2 = mazur_trace()
    assert ng.diff(t, t2).ok
    d = ng.diff(t, {"w1": {"grad": 0.00043857}}, places=8)
    assert d.ok
    d = ng.diff(t, {"w1": {"grad": 0.00043857}}, places=9)
    assert not d.ok and d.first.name == "w1"
    d = ng.diff(t, {("nosuch", "a"): "1"})
    assert d.first.name == "nosuch" and "not recorded" in str(d.first)
    with pytest.raises(ng.FormatError):
        ng.diff(t, 42)
    with pytest.raises(ng.FormatError):
        ng.diff(t, "name,quantity,value\nh1,z\n")


def test_watchpoint_callable_names_the_neuron():
    ex = ng.textbook.mazur()
    net = ex.net
    hits = []
    h = net["h2"].watch(on="backward", when=lambda n: n.delta > 0.0099,
                        action=lambda n: hits.append((n.name, n.delta)))
    net.forward(ex.x)
    net.backward(ex.y)
    assert hits == [("h2", net["h2"].delta)]
    c_hits = []
    hc = net["w6"].watch(on="backward", action=lambda c: c_hits.append(c.name))
    hs = net["w6"].watch(on="step", action=lambda c: c_hits.append(c.weight))
    net.forward(ex.x)
    net.backward(ex.y)
    ng.SGD(net, lr=ex.lr).step()
    assert c_hits[0] == "w6" and c_hits[1] == net["w6"].weight
    for handle in (h, hc, hs):
        handle.remove()
    assert not net._hooks
    with pytest.raises(ng.NameLookupError):
        net["h1"].watch(on="sideways")


def test_watchpoint_break_calls_breakpoint(monkeypatch):
    ex = ng.textbook.mazur()
    calls = []
    monkeypatch.setattr(builtins, "breakpoint", lambda *a, **k: calls.append(1))
    with ex.net["o2"].watch(on="forward", when=lambda n: n.a > 0.7):
        ex.net.forward(ex.x)
    assert calls == [1]
    assert not ex.net._hooks


def test_add_hook_sees_every_neuron_and_connection():
    ex = ng.textbook.mazur()
    net = ex.net
    seen = []
    h = ng.add_hook(net, lambda ev, obj: seen.append((ev, obj.name)),
                    on=("forward", "backward", "step"))
    net.forward(ex.x)
    net.backward(ex.y)
    ng.SGD(net, lr=ex.lr).step()
    h.remove()
    fwd = [n for ev, n in seen if ev == "forward"]
    bwd = [n for ev, n in seen if ev == "backward"]
    step = [n for ev, n in seen if ev == "step"]
    assert sorted(fwd) == ["h1", "h2", "o1", "o2"]
    assert set(bwd) == {"h1", "h2", "o1", "o2"} | {"w%d" % k for k in range(1, 9)}
    assert bwd.index("o1") < bwd.index("h1")      # backward walks the layers top-down
    assert sorted(step) == sorted("w%d" % k for k in range(1, 9))   # b1, b2 frozen
    with pytest.raises(ng.NameLookupError):
        ng.add_hook(net, print, on="sideways")


def test_overflow_in_a_custom_activation_names_the_neuron():
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    e = ng.Activation("exp", math.exp, math.exp)
    a = net.add_neuron("a", activation=e)
    b = net.add_neuron("b", activation=e)
    net.connect(x1, a, 1.0)
    net.connect(x2, b, 2.0)
    o = net.add_neuron("o", activation="identity")
    net.connect(a, o, 1.0)
    net.connect(b, o, 1.0)
    net.forward([1.0, 1.0])
    with pytest.raises(ng.NumericalError) as err:
        net.forward([1.0, 400.0])
    msg = str(err.value)
    assert "neuron 'b'" in msg and "'a'" not in msg
    assert "z = 800" in msg and "sample 1" in msg and "400" in msg


def test_detect_anomaly_names_neuron_quantity_sample_and_inputs():
    sq = ng.Activation("square", lambda z: z * z, lambda z: 2 * z)
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="identity", bias=None)
    h2 = net.add_neuron("h2", activation=sq, bias=None)
    net.connect(x1, h1, 1.0)
    net.connect(x2, h2, 1.0)
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(h1, o, 1.0)
    net.connect(h2, o, 1.0)
    net.forward([1e200, 1.0])               # h1 is fine, nothing overflows
    with pytest.raises(ng.NumericalError, match="neuron 'h2'"):  # the pass checks its outputs
        net.forward([1.0, 1e200])
    with ng.detect_anomaly():
        net.forward([1.0, 2.0])
        with pytest.raises(ng.NumericalError) as err:
            net.forward([1.0, 1e200])
    msg = str(err.value)
    assert msg.startswith("neuron 'h2': a = inf") and "sample 2" in msg and "1e+200" in msg
    assert ng.Net.forward.__qualname__ == "Net.forward"   # the class is back as it was
    assert not net._hooks
    # a net-level check, on the backward pass
    with ng.detect_anomaly(net):
        net.forward([1.0, 1e150])
        with pytest.raises(ng.NumericalError, match="backward pass"):
            net.backward([0.0])
    assert not net._hooks


def test_summary_and_reprs():
    ex = mazur_after_backward()
    net = ex.net
    s = net.summary()
    assert s.splitlines()[0].split()[:4] == ["layer", "neurons", "activation", "parameters"]
    assert "total: 6 neurons, 8 connections, 10 parameters (8 trainable, 2 frozen, 2 shared)" in s
    big = ng.Net.dense([3, 16, 2], activation="relu", output_activation="softmax")
    lines = big.summary().splitlines()
    assert lines[2].split()[:4] == ["1", "16", "relu", str(16 * 3 + 16)]
    assert "(12 more)" in lines[2] and "softmax" in lines[3]
    for obj in (net, net["h1"], net["w5"], net["b1"], net["i1"]):
        r = repr(obj)
        assert "\n" not in r and len(r) < 120
    assert repr(net["h1"]).startswith("Neuron(h1, layer 1, sigmoid, z 0.3775, a 0.59327, delta")
    assert repr(net["w5"]).startswith("Connection(w5, weight 0.4, grad 0.0821")


def test_gradcheck_names_the_worst_edge():
    wrong = ng.Activation("wrong", math.tanh, lambda z: 1.0)   # derivative deliberately wrong
    net = ng.Net.dense([2, 2, 1], activation="tanh", seed=2)
    net["o1"].activation = wrong
    r = ng.gradcheck(net, [0.3, -0.6], [0.5])
    assert not r.ok
    assert r.worst.name in {p.name for p in net.parameters()}
    text = repr(r)
    assert "worst %s: analytic" % r.worst.name in text and "numeric" in text
    assert r.worst.name in r.table()


def test_softmax_cross_entropy_outputs_use_the_closed_form():
    net = ng.Net.dense([2, 3, 3], activation="tanh", output_activation="softmax", seed=5)
    x, y = [0.2, -0.7], [0.0, 1.0, 0.0]
    net.forward(x)
    net.backward(y, loss="cross_entropy")
    e = net.explain("o2")
    assert e.value == net["o2"].delta and "BP1" in str(e)
    w = net.explain("h1_1->o2")
    assert w.value == net["h1_1->o2"].grad
    assert "dE/d(net_o2) * d(net_o2)/d(h1_1->o2)" in str(w)
    hidden = net.explain("i1->h1_2")       # through three softmax outputs
    numeric = {r.name: r.numeric for r in ng.gradcheck(net, x, y, loss="cross_entropy").rows}
    assert math.isclose(hidden.value, numeric["i1->h1_2"], rel_tol=1e-6)
    _latex_ok(w.latex())


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


def test_explain_as_a_function_and_trace_options():
    ex = mazur_after_backward()
    assert str(ng.explain(ex.net, "w5")) == str(explain(ex.net, "w5")) == str(ex.net.explain("w5"))
    with ex.net.trace(phases=("backward",), names=["h1", "w1"]) as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    assert {(r.name, r.quantity) for r in t} == {("h1", "grad_a"), ("h1", "delta"), ("w1", "grad")}
    with pytest.raises(ng.NameLookupError):
        ex.net.trace(phases=("sideways",))


def test_anomaly_in_forward_blocks_backward():
    net = ng.Net.dense([1, 1], activation=ng.Activation("sq", lambda z: z * z, lambda z: 2 * z))
    net["i1->o1"].weight = 1.0
    with ng.detect_anomaly(net):
        with pytest.raises(ng.NumericalError, match="neuron 'o1': a = inf"):
            net.forward([1e200])
        with pytest.raises(ng.StateError):
            net.backward([0.0])


def test_an_anomaly_found_in_backward_changes_nothing():
    net = two_input_net()
    net["w3"].weight = float("1e308")
    net.forward([0.1, 0.2])
    before = readable_state(net)
    with ng.detect_anomaly():
        with pytest.raises(ng.NumericalError):
            net.forward([0.1, 0.2]); net.backward([float("1e308")], loss="mse")
    assert readable_state(net) == before


def test_trace_inside_rounding_records_the_rounded_gradients():
    from decimal import Decimal
    ex = ng.textbook.mazur(Decimal)
    with ng.rounding(places=4), ex.net.trace() as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    for w in ("w1", "w5"):
        assert t.value(w, "grad") == ex.net[w].grad


def _mazur_trace():
    ex = ng.textbook.mazur()
    with ex.net.trace() as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    return t


@pytest.mark.parametrize("kwargs,match", [
    (dict(places="2"), r"diff\(places='2'\): give a whole number >= 0"),
    (dict(places=-1), r"diff\(places=-1\)"), (dict(places=True), r"diff\(places=True\)"),
    (dict(sample="1"), r"diff\(sample='1'\)"), (dict(sample=1.0), r"diff\(sample=1.0\)"),
    (dict(rtol="x"), r"diff\(rtol='x'\): give a finite number >= 0"),
    (dict(rtol=float("inf")), r"diff\(rtol=inf\)"), (dict(rtol=-1), r"diff\(rtol=-1\)"),
])
def test_diff_checks_its_arguments(kwargs, match):
    with pytest.raises(ng.NumberError, match=match):
        ng.diff(_mazur_trace(), {("h1", "a"): "0.5933"}, **kwargs)


@pytest.mark.parametrize("value", [None, float("inf"), float("-inf"), float("nan"), "inf", "nan",
                                   [0.5], True], ids=repr)
def test_diff_refuses_values_that_are_not_finite_numbers(value):
    with pytest.raises(ng.FormatError, match=r"diff: h1 a in the second table is .*: give a "
                                             r"finite number"):
        ng.diff(_mazur_trace(), {("h1", "a"): value})
    with pytest.raises(ng.FormatError, match=r"diff: h1 a in the first table is"):
        ng.diff({("h1", "a"): value}, _mazur_trace())


def test_diff_csv_sample_column_must_hold_whole_numbers():
    t = _mazur_trace()
    with pytest.raises(ng.FormatError, match=r"diff: CSV row 3, column 'sample': 'x' is not a "
                                             r"whole number"):
        ng.diff(t, "name,quantity,value,sample\nh1,a,0.5933,0\nh2,a,0.5969,x\n")
    assert not ng.diff(t, "name,quantity,value,sample\nh1,a,0.5933,0\n")


@pytest.mark.parametrize("call, words", [
    (lambda net: net.trace(phases=None), "trace(phases=None)"),
    (lambda net: net.trace(names=5), "trace(names=5)"),
    (lambda net: net.trace(names=[1, 2]), "trace(names=[1, 2])"),
    (lambda net: net.add_hook(print, on=None), "add_hook(on=None)"),
    (lambda net: net.add_hook(None), "add_hook(fn=None)"),
    (lambda net: ng.add_hook(None, print), "add_hook needs a Net"),
    (lambda net: ng.remember(None), "remember needs a Net"),
    (lambda net: ng.summary(None), "summary needs a Net"),
    (lambda net: net.explain("w5", digits=10 ** 20), "explain(digits=100000000000000000000)"),
    (lambda net: net.explain("w5", digits=2.5), "explain(digits=2.5)"),
    (lambda net: net.explain("w5", phase="sideways"), "explain(phase='sideways')"),
    (lambda net: net.explain("w5", phase="forward"), "explain(phase='forward')"),
    (lambda net: net.explain("h1", step="1"), "explain(step='1')"),
    (lambda net: net.explain("w5", lr=-1), "lr of explain"),
    (lambda net: net.explain("w5", optimizer="SGD"), "explain(optimizer='SGD')"),
    (lambda net: net.explain("w5", lr=0.5, optimizer=ng.SGD(net, lr=0.5)), "not both"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_debugging_calls_refuse_wrong_arguments_and_change_nothing(call, words):
    ex = mazur_after_backward()
    net = ex.net
    before = (net.to_dict(), [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons], net._last)
    with pytest.raises(ng.NeurographError) as err:
        call(net)
    assert words in str(err.value)
    assert not net._hooks
    assert before == (net.to_dict(), [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons],
                      net._last)
    assert str(net.explain("w5")) == str(mazur_after_backward().net.explain("w5"))


def test_trace_takes_one_phase_or_name_as_a_string():
    ex = ng.textbook.mazur()
    with ex.net.trace(phases="backward", names="h1") as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    assert {(r.phase, r.name) for r in t} == {("backward", "h1")}


def test_a_trace_shows_a_table_in_a_notebook():
    ex = ng.textbook.mazur()
    with ex.net.trace() as t:
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
    md = t._repr_markdown_().splitlines()
    assert md[0] == "| sample | phase | name | quantity | value | equation |"
    assert len(md) == 2 + t.SHOWN + 2 and md[2:-2] == t.to_markdown().splitlines()[2:2 + t.SHOWN]
    assert md[-2] == ""                     # (a blank line ends the table)
    assert md[-1].startswith("*... and %d more rows (%d in all)" % (len(t) - t.SHOWN, len(t)))
    short = t.filter(name="h1")
    assert short._repr_markdown_() == short.to_markdown()
    assert "0 rows" in ng.Net.dense([1, 1]).trace()._repr_markdown_()
    e = ex.net.explain("w5")
    assert e._repr_markdown_() == e.markdown() and not hasattr(e, "_repr_latex_")
