"""Every number explain prints is the walk's own, checked against the objects after the pass.

Each number of an explanation (``Explanation.numbers()``) says where it comes from; here each
is checked against the net, the optimizer and an independent calculation: the objects' z, a,
delta, grad_a, weights and targets after the pass (each time step's through ``at(t)``),
``neuron.df`` at the neuron's a or z, the walk's terms (``w * delta`` and ``delta * a``,
rounded as the walk rounds each product), the loss's gradient, the softmax shift, and the
optimizer's update against what ``step()`` then does.  The text of every number is
``number_text`` of its value, and the text holds no other decimal number.  Every activation,
loss (softmax with and without cross-entropy, the closed forms), optimizer (SGD, momentum,
Nesterov, weight decay, Adam), rounding mode, and recurrent nets (BPTT, truncated BPTT, an
output that feeds later steps).
"""
import re
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.core.rounding import Rounding
from neurograph.core.arithmetic import number_text

DECIMALS = re.compile(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?|(?<![\w./])-?\d+/\d+(?![\w/])")


class Pass:
    """What the test knows of a pass: the net, its rounding rule, targets, loss and
    optimizer; and the optimizer numbers explain printed, to check after the step."""

    def __init__(self, net, rule=None, targets=None, loss="half_sse", seq=None, opt=None):
        self.net, self.rule, self.loss, self.seq, self.opt = net, rule, loss, seq, opt
        self.targets = targets          # FF: list; sequence: list per step
        self.pending = []               # (optimizer, parameter, key, value) to check after step

    def rnd(self, x):
        return x if self.rule is None else self.net.number_system.round(x, self.rule)

    def at(self, n, t):
        return n if t is None else n.at(t)

    def target(self, n, t):
        ys = self.targets if t is None else self.targets[t]
        return self.net.number_system.convert(ys[self.net.outputs.index(n)], "target")

    def a_before(self, c, t):
        """What connection c delivered at step t."""
        if t is None:
            return c.src.a
        s = t - c.delay
        return c.src.at(s).a if s >= 0 else (c.src.initial if c.src.initial is not None
                                              else self.net.number_system.zero)


def expected(ps, number):
    """The value the source of *number* names, found without explain's code."""
    kind, *rest = number.source
    net = ps.net
    if kind == "object":
        obj, attr, t = rest
        if t is not None:
            return getattr(obj.at(t), attr)
        return getattr(obj, attr)
    if kind == "weight":
        return rest[0].value
    if kind == "initial":
        n = rest[0]
        return n.initial if n.initial is not None else net.number_system.zero
    if kind == "target":
        return ps.target(*rest)
    if kind == "f'":
        n, t = rest
        v = ps.at(n, t)
        return n.df(v.a if n.df_of_a else v.z)
    if kind == "loss gradient":
        n, t = rest
        order = net._ordered()
        loss = ng.loss(ps.loss).for_outputs([o.activation for o in order.outputs])
        gradient = loss.functions(net.number_system)[1]
        outs = [o.at(t).a for o in order.outputs]
        return ps.rnd(gradient(outs, [ps.target(o, t) for o in order.outputs])[
            order.outputs.index(n)])
    if kind == "shift":
        group, t = rest
        total = None
        for m in group:
            v = ps.at(m, t)
            total = v.grad_a * v.a if total is None else total + v.grad_a * v.a
        return total
    if kind == "walk":
        what, obj, t = rest
        if what == "BP2":
            return ps.rnd(obj.weight * ps.at(obj.dst, t).delta)
        if what == "BP4":
            return ps.rnd(ps.at(obj.dst, t).delta * ps.a_before(obj, t))
        assert what == "grad"
        return obj.grad                                # (the test zeroes grads before a pass)
    assert kind == "optimizer", number.source
    opt, p, key = rest
    return optimizer_number(ps, opt, p, key, number.value)


def optimizer_number(ps, opt, p, key, value):
    """A number of the optimizer's account: a setting, the state before the step, or one
    the test works out; what the step makes is checked after it (ps.pending)."""
    num = ps.net.number_system
    if opt is not ps.opt:                          # explain(lr=): plain gradient descent
        assert isinstance(opt, ng.SGD) and not opt.momentum and not opt.weight_decay
        return {"lr": opt.lr, "weight": p.value, "grad": p.grad,
                "after": ps.rnd(p.value - opt.lr * p.grad)}[key]
    if key in ("after", "velocity_after", "m_after", "v_after"):
        ps.pending.append((opt, p, key, value))
        return value
    settings = {"lr": opt.lr, "weight_decay": opt.weight_decay, "weight": p.value,
                "grad": p.grad}
    if isinstance(opt, ng.SGD):
        settings.update(momentum=opt.momentum, velocity=opt.state(p)["velocity"])
    else:
        settings.update(beta1=opt.betas[0], beta2=opt.betas[1], eps=opt.eps,
                        m=opt.state(p)["m"], v=opt.state(p)["v"])
    if key in settings:
        return settings[key]
    g = p.grad + opt.weight_decay * p.value if opt.weight_decay else p.grad
    if key == "decayed":
        return g
    if key == "step":                              # SGD with momentum: what lr multiplies
        v = [x for o, q, k, x in ps.pending if (o, q, k) == (opt, p, "velocity_after")][-1]
        return g + opt.momentum * v if opt.nesterov else v
    t = opt.steps + 1
    b1, b2 = opt.betas
    m = [x for o, q, k, x in ps.pending if (o, q, k) == (opt, p, "m_after")][-1]
    v = [x for o, q, k, x in ps.pending if (o, q, k) == (opt, p, "v_after")][-1]
    c1, c2 = num.one - b1 ** t, num.one - b2 ** t
    return {"correction1": c1, "correction2": c2, "m_hat": m / c1, "v_hat": v / c2,
            "denominator": num.sqrt(v / c2) + opt.eps}[key]


def check(ps, e, digits=None):
    """Every number of explanation *e* against its source, and the text against the numbers."""
    numbers = e.numbers()
    assert numbers, str(e)
    for n in numbers:
        want = expected(ps, n)
        assert n.value == want and type(n.value) is type(want), (n.source, n.value, want, str(e))
        places = digits if digits is not None else (9 if isinstance(n.value, float) else None)
        assert n.text == number_text(n.value, places=places), (n, str(e))
    texts = {n.text for n in numbers}
    for token in DECIMALS.findall(str(e)):
        assert token in texts, (token, str(e))


def explain_everything(ps, digits=None):
    """explain every neuron (delta, forward and backward steps; at every time step) and every
    parameter (with the pass's optimizer, or lr), checking every number."""
    net, opt = ps.net, ps.opt
    steps = [None] if ps.seq is None else list(range(ps.seq))
    for n in net.neurons:
        for t in steps:
            for phase in (None, "forward", "backward"):
                if n.is_input and phase is not None and ps.seq is None and phase == "backward":
                    continue
                if n.is_input and ps.seq is not None and phase != "forward":
                    continue
                e = net.explain(n.name, step=t, phase=phase, digits=digits)
                check(ps, e, digits)
    for p in net.parameters():
        e = net.explain(p.name, digits=digits, **({"optimizer": opt} if opt is not None
                                                  else {"lr": "0.5"}))
        check(ps, e, digits)
        assert e.value == p.grad


def run(ps, x, y, rule_kwargs=None, truncate=None):
    """One pass (zeroed grads), under a rounding rule if given."""
    net = ps.net
    net.zero_grad()
    ps.targets = y
    if rule_kwargs is None:
        ps.rule = None
        _pass(net, x, y, ps.loss, truncate)
        return
    with ng.rounding(**rule_kwargs) as rule:
        ps.rule = rule
        _pass(net, x, y, ps.loss, truncate)


def _pass(net, x, y, loss, truncate):
    if net._ordered().delayed:
        net.forward_sequence(x)
        net.backward_sequence(y, loss, truncate=truncate)
    else:
        net.forward(x)
        net.backward(y, loss)


def step_and_check_pending(ps):
    """opt.step() (under the pass's rule): what explain said it would make, it makes."""
    opt = ps.opt
    if ps.rule is None:
        opt.step()
    else:
        with ng.rounding(places=ps.rule.places, digits=ps.rule.digits, mode=ps.rule.mode):
            opt.step()
    for o, p, key, value in ps.pending:
        if key == "after":
            assert p.value == value, (p.name, p.value, value)
        else:
            state = opt.state(p)["velocity" if key == "velocity_after" else key[0]]
            assert state == value, (p.name, key, state, value)
    ps.pending = []


ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_every_number(activation):
    net = ng.Net.dense([2, 3, 2], activation=activation, output_activation="identity", seed=3)
    ps = Pass(net)
    run(ps, [0.4, -0.7], [0.25, -0.5])
    explain_everything(ps)


@pytest.mark.parametrize("output, loss, y", [
    ("sigmoid", "half_sse", [1.0, 0.0]),
    ("sigmoid", "mse", [1.0, 0.0]),
    ("sigmoid", "sse", [0.3, 0.9]),
    ("sigmoid", "binary_cross_entropy", [1.0, 0.0]),         # closed form a - y
    ("sigmoid", "cross_entropy", [0.2, 0.7]),
    ("softmax", "cross_entropy", [0.0, 1.0, 0.0]),           # closed form, one-hot
    ("softmax", "categorical_cross_entropy", [0.2, 0.5, 0.4]),   # sum of targets 1.1
    ("softmax", "half_sse", [0.0, 1.0, 0.0]),                # the softmax Jacobian
    ("softmax", "mse", [0.1, 0.6, 0.3]),
], ids=lambda v: str(v))
def test_every_loss_every_number(output, loss, y):
    net = ng.Net.dense([2, 3, len(y)], activation="tanh", output_activation=output, seed=5)
    ps = Pass(net, loss=loss)
    run(ps, [0.2, -0.7], y)
    explain_everything(ps)


RULES = [dict(places=4), dict(places=3, mode="half_even"), dict(places=4, mode="down"),
         dict(digits=3), dict(digits=4, mode="half_even")]


@pytest.mark.parametrize("number", [float, Decimal])
@pytest.mark.parametrize("rule", RULES, ids=repr)
def test_every_rounding_mode_every_number(number, rule):
    ex = ng.textbook.mazur(number)
    ps = Pass(ex.net)
    run(ps, ex.x, ex.y, rule)
    with ng.rounding(**rule):
        explain_everything(ps)
    explain_everything(ps)                      # after the block: the pass is still explained


def test_a_pass_is_explained_under_the_rules_it_ran_under_whatever_blocks_came_after():
    """The net keeps the rule of its forward and of its backward pass: a forward pass at 4
    places and a backward pass at 3 significant digits are explained after both blocks are
    closed and after five other blocks, each number recomputed under its own rule."""
    ex = ng.textbook.mazur(Decimal)
    net = ex.net
    with ng.rounding(places=4):
        net.forward(ex.x)
    with ng.rounding(digits=3):
        net.backward(ex.y)
    assert net._rounded == (Rounding(places=4), Rounding(digits=3))
    assert net["o1"].a == Decimal("0.7514")                  # 4 places
    assert net["o1"].delta == Decimal("0.138")               # 3 digits
    for rule in RULES:                                       # blocks that have nothing to do
        with ng.rounding(**rule):                            # with the pass
            pass
    with ng.rounding(places=2):                              # nor the rule in force now
        text = str(net.explain("o1"))
    assert "= 0.741 * 0.18679804\n" in text and "= 0.138\n" in text, text
    assert "0.7514 * (1 - 0.7514)" in text
    assert str(net.explain("w5")).splitlines()[2].strip() == "= 0.0819"
    net.forward(ex.x)                                        # an unrounded pass: rules gone
    assert net._rounded == (None, None)
    net.backward(ex.y)
    assert str(net.explain("o1")).splitlines()[2].startswith("         = 0.1384985")


def test_rounding_a_softmax_and_closed_form_net_every_number():
    net = ng.Net.dense([2, 2, 3], activation="sigmoid", output_activation="softmax",
                       seed=1, number=Decimal)
    ps = Pass(net, loss="cross_entropy")
    run(ps, ["0.5", "-0.25"], ["0", "0", "1"], dict(places=4))
    explain_everything(ps, digits=4)
    ps.loss = "half_sse"
    run(ps, ["0.5", "-0.25"], ["0", "0", "1"], dict(digits=3, mode="down"))
    explain_everything(ps)


def test_fraction_net_every_number():
    net = ng.Net.dense([2, 2, 1], activation="relu", output_activation="identity", seed=2,
                       number=Fraction)
    ps = Pass(net)
    run(ps, ["1/2", "-1/3"], ["1/4"])
    explain_everything(ps)
    run(ps, ["1/2", "-1/3"], ["1/4"], dict(places=2))
    explain_everything(ps)


def optimizers(net):
    yield ng.SGD(net, lr="0.5")
    yield ng.SGD(net, lr="0.5", momentum="0.9")
    yield ng.SGD(net, lr="0.1", momentum="0.8", nesterov=True)
    yield ng.SGD(net, lr="0.5", weight_decay="0.1")
    yield ng.SGD(net, lr="0.5", momentum="0.9", weight_decay="0.1")
    yield ng.Adam(net, lr="0.01")
    yield ng.Adam(net, lr="0.01", weight_decay="0.01")


@pytest.mark.parametrize("k", range(7))
@pytest.mark.parametrize("rule", [None, dict(places=5)], ids=repr)
def test_every_optimizer_update_is_what_step_makes(k, rule):
    ex = ng.textbook.mazur(Decimal)
    opt = list(optimizers(ex.net))[k]
    ps = Pass(ex.net, opt=opt)
    for _ in range(3):                          # the state grows: velocity, moments, t
        run(ps, ex.x, ex.y, rule)
        steps, state = opt.steps, {p: opt.state(p) for p in ex.net.parameters()}
        explain_everything(ps)
        assert opt.steps == steps and state == {p: opt.state(p) for p in ex.net.parameters()}
        step_and_check_pending(ps)


def test_mazur_w5_with_momentum_and_weight_decay_shows_what_step_gives():
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    opt = ng.SGD(net, lr=0.5, momentum=0.9, weight_decay=0.1)
    text = str(net.explain("w5", optimizer=opt))
    assert "w5+ = w5 - eta * v_w5+ = 0.400000000 - 0.500000000 * 0.122167041 = 0.338916480" in text
    assert "0.358916480" not in text
    opt.step()
    assert "%.9f" % net["w5"].weight == "0.338916480"


@pytest.mark.parametrize("k", range(7))
def test_after_a_step_explain_shows_the_update_that_was_made(k):
    ex = ng.textbook.mazur()
    net = ex.net
    opt = list(optimizers(net))[k]
    keep = ng.remember(net)
    for _ in range(2):
        net.forward(ex.x)
        net.backward(ex.y)
        opt.step()
        for name in ("w5", "w1"):
            before = keep.hook.saved[net[name]]
            made = opt.last_update(name)
            assert made["weight"] == before and made["after"] == net[name].weight
            e = net.explain(name, optimizer=opt)
            printed = {n.source[3]: n.value for n in e.numbers() if n.source[0] == "optimizer"}
            assert printed["after"] == net[name].weight and printed["weight"] == before
            assert "updated since that backward pass" in str(e)
        opt.zero_grad()
    keep.remove()


def tied_net():
    net = ng.Net(seed=0)
    x = net.add_input("x")
    w = net.add_parameter("w", 0.5)
    a = net.add_neuron("a", activation="tanh", bias=None)
    b = net.add_neuron("b", activation="sigmoid", bias=0.1)
    net.connect(x, a, w)
    net.connect(a, b, w)
    net.connect(x, b, -0.3, name="skip")
    return net


def test_shared_and_tied_parameters_every_number():
    ex = ng.textbook.mazur()
    ps = Pass(ex.net, opt=ng.SGD(ex.net, lr="0.5", momentum="0.5"))
    run(ps, ex.x, ex.y)
    explain_everything(ps)
    net = tied_net()
    ps = Pass(net, opt=ng.Adam(net, lr="0.1"))
    run(ps, [0.8], [0.3], dict(digits=5))
    explain_everything(ps)
    step_and_check_pending(ps)


def test_gradients_that_add_up_over_passes_say_so():
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    net.forward(ex.x)
    net.backward(ex.y)
    e = net.explain("w5")
    assert e.value * 2 == net["w5"].grad
    assert "w5.grad holds 0.164334081, not this pass's 0.082167041" in str(e)


# ---------------------------------------------------------------------------
# Recurrent nets
# ---------------------------------------------------------------------------

def feeding_output_net():
    """An output that also feeds later steps (its delta is not the closed form there)."""
    net = ng.Net(seed=4)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias=0.1)
    o = net.add_neuron("o", activation="sigmoid", bias=-0.2)
    net.connect(x, h, 0.6)
    net.connect(h, o, 1.1)
    net.connect(o, h, -0.7, delay=1)
    net.connect(o, o, 0.4, delay=2)
    o.initial = 0.5
    return net


@pytest.mark.parametrize("case", ["elman", "truncated", "softmax", "feeding", "rounded"])
def test_recurrent_every_number_at_every_step(case):
    xs = [[0.5], [-1.0], [0.25], [0.75]]
    truncate, loss, rule = None, "binary_cross_entropy", None
    if case in ("elman", "truncated"):
        net = ng.Net.elman([1, 2, 1], seed=2)
        ys = [None, [1.0], [0.0], [1.0]]
        truncate = 2 if case == "truncated" else None
    elif case == "softmax":
        net = ng.Net.elman([1, 3, 2], activation="relu", output_activation="softmax", seed=6)
        ys, loss = [[1.0, 0.0], None, [0.0, 1.0], [0.5, 0.5]], "cross_entropy"
    elif case == "feeding":
        net = feeding_output_net()
        ys = [[1.0], [0.0], None, [1.0]]
    else:
        net = ng.Net.elman([1, 2, 1], seed=3, number=Decimal)
        xs = [["0.5"], ["-1"], ["0.25"], ["0.75"]]
        ys, loss, rule = [None, ["1"], ["0"], ["1"]], "half_sse", dict(places=4)
    opt = ng.SGD(net, lr="0.1", momentum="0.5")
    ps = Pass(net, loss=loss, seq=len(xs), opt=opt)
    for _ in range(2):
        run(ps, xs, ys, rule, truncate)
        explain_everything(ps)
        step_and_check_pending(ps)


def test_explain_changes_nothing():
    rnn = ng.Net.elman([1, 2, 1], seed=2)
    keep = ng.remember(rnn)
    rnn.forward_sequence([[0.5], [-1.0]])
    rnn.backward_sequence([None, [1.0]])
    before = (rnn.to_dict(), [[list(r) for r in n._history] for n in rnn.neurons],
              rnn.samples_seen, rnn._last, [(n.z, n.a, n.delta, n.grad_a) for n in rnn.neurons])
    for name in ("h1_1", "o1", "h1_2->h1_1"):
        rnn.explain(name, lr=0.1)
    rnn.explain("h1_1", step=0, phase="backward")
    after = (rnn.to_dict(), [[list(r) for r in n._history] for n in rnn.neurons],
             rnn.samples_seen, rnn._last, [(n.z, n.a, n.delta, n.grad_a) for n in rnn.neurons])
    assert before == after and rnn._hooks == [keep.hook]


def test_the_forward_step_needs_a_forward_pass_only():
    ex = ng.textbook.mazur()
    ps = Pass(ex.net)
    ex.net.forward(ex.x)
    for n in ex.net.neurons:
        check(ps, ex.net.explain(n.name, phase="forward"))
    with pytest.raises(ng.StateError, match="backward"):
        ex.net.explain("h1")
    rnn = ng.Net.elman([1, 2, 1], seed=2)
    ps = Pass(rnn, seq=2)
    rnn.forward_sequence([[0.5], [-1.0]])
    for n in rnn.neurons:
        for t in (0, 1):
            e = rnn.explain(n.name, step=t, phase="forward")
            check(ps, e)
    assert "net_h1_1(1) = h1_1.bias + h1_1->h1_1 * out_h1_1(0)" in str(
        rnn.explain("h1_1", phase="forward"))
    with pytest.raises(ng.StateError, match="backward_sequence"):
        rnn.explain("h1_1", step=0)


def test_one_replay_serves_every_explanation_of_a_pass_until_something_changes():
    from neurograph.debugging import recording
    ex = ng.textbook.mazur()
    net = ex.net
    net.forward(ex.x)
    net.backward(ex.y)
    first = recording.replay(net)
    assert recording.replay(net) is first and recording.replay(net, forward_only=True) is first
    net.backward(ex.y, loss="mse")               # another backward pass: other deltas
    assert recording.replay(net) is not first
    net["w5"].weight = 0.41                      # a weight changed: refused, never stale
    with pytest.raises(ng.StateError, match="z of neuron 'o1' was 1.10591"):
        net.explain("w1")
