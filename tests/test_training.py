"""ng.fit: real accuracy, the update conventions, seeds, interrupts, history, progress."""
import io
import os
import re
import signal
import sys
import types
from decimal import Decimal, localcontext
from fractions import Fraction as F

import pytest

import neurograph as ng
from neurograph import datasets as ds
from conftest import assert_refused, two_input_net


def weights(net):
    return [repr(p.value) for p in net.parameters()]


# -- real data ----------------------------------------------------------------------------
def test_iris_4_8_3_reaches_96_percent():
    train, test = ds.load_iris().split(test=0.2, seed=0, stratify=True)
    assert (len(train), len(test)) == (120, 30)
    train, test = ds.standardize(train, test)
    net = ng.Net.dense([4, 8, 3], activation="tanh", output_activation="softmax", seed=0)
    h = ng.fit(net, train, epochs=60, batch_size=4, optimizer="sgd", lr=0.5,
               loss="cross_entropy", seed=0, validation=test, verbose=0)
    acc = ng.accuracy(net, test)
    assert acc >= 0.96
    assert h.rows[-1]["val_accuracy"] == acc
    cm = ng.confusion_matrix(net, test)
    assert cm.total == 30 and cm.correct == round(acc * 30)
    assert cm.class_names == ["setosa", "versicolor", "virginica"]
    assert "setosa" in str(cm) and "accuracy" in str(cm)
    assert h.metric("loss")[-1] < h.metric("loss")[0] / 5


def test_digits_64_32_10_reaches_95_percent():
    train, test = ds.load_digits().split(test=0.2, seed=0, stratify=True)
    assert (len(train), len(test)) == (1437, 360)
    train, test = ds.minmax(train, test)
    net = ng.Net.dense([64, 32, 10], activation="tanh", output_activation="softmax", seed=0)
    ng.fit(net, train, epochs=3, batch_size=16, optimizer="adam", lr=0.01, loss="cross_entropy",
           seed=0, metrics=(), verbose=0)
    assert ng.accuracy(net, test) >= 0.95


def test_xor_2_2_1_learns_all_four_rows():
    data = ds.xor()
    net = ng.Net.dense([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    assert ng.accuracy(net, data) < 1
    h = ng.fit(net, data, epochs=300, optimizer="sgd", lr=0.5, loss="cross_entropy", seed=0,
               verbose=0)
    for x, y in data:
        assert abs(net.forward(x)[0] - y[0]) < 0.1
    assert h.rows[-1]["accuracy"] == 1.0


# -- the update conventions -----------------------------------------------------------------
def sig(x, digits=9):
    return float("%.*g" % (digits, x))


@pytest.mark.parametrize("update", ["batch", "immediate"])
def test_mazur_10000_online_rounds(update, mazur_json):
    ex = ng.textbook.mazur()
    h = ng.fit(ex.net, [(ex.x, ex.y)], epochs=10000, optimizer=ng.SGD(ex.net, lr=ex.lr),
               update=update, metrics=(), verbose=0)
    E = ex.net.loss(ex.x, ex.y)
    outs = ex.net.forward(ex.x)
    E1 = h.rows[1]["loss"]                    # loss at the start of round 2 = after round 1
    if update == "batch":
        ref = mazur_json["after_training"]
        assert sig(E1) == sig(float(ref["E_total after the first round"]))
        assert sig(E) == sig(float(ref["E_total after 10,000 rounds"]))
        assert sig(outs[0]) == sig(float(ref["out_o1 after 10,000 rounds"]))
        assert sig(outs[1]) == sig(float(ref["out_o2 after 10,000 rounds"]))
    else:                                      # the post's last paragraph
        assert "%.9f" % E1 == "0.291027924"
        assert "%.9f" % E == "0.000035085"
        assert ["%.9f" % o for o in outs] == ["0.015912196", "0.984065734"]
    assert ex.net["b1"].value == 0.35 and ex.net["b2"].value == 0.60   # frozen


def test_mazur_decimal_round_is_exact(mazur_json):
    with localcontext() as ctx:
        ctx.prec = 50
        ex = ng.textbook.mazur(Decimal)
        ng.fit(ex.net, [(ex.x, ex.y)], epochs=1, optimizer=ng.SGD(ex.net, lr=ex.lr), metrics=(),
               verbose=0)
        ref = Decimal(mazur_json["after_training"]["E_total after the first round"])
        assert ex.net.loss(ex.x, ex.y).quantize(ref) == ref


def fraction_net():
    net = ng.Net.dense([2, 2, 1], activation="identity", seed=0, number=F)
    for k, p in enumerate(net.parameters()):
        p.value = F(k + 1, 7) * (-1) ** k
    return net


DATA3 = [(["1", "2"], ["1/2"]), (["-1", "1/3"], ["2"]), (["3", "0"], ["-1"])]


def test_mini_batch_is_mean_of_gradients_at_pre_step_weights():
    net = fraction_net()
    # every sample's gradient at the starting weights, each computed on its own
    per_sample = []
    for x, y in DATA3:
        net.zero_grad()
        net.forward(x)
        net.backward(y)
        per_sample.append({p.name: p.grad for p in net.parameters()})
    start = {p.name: p.value for p in net.parameters()}
    net.zero_grad()
    lr = F(1, 10)
    ng.fit(net, DATA3, epochs=1, batch_size=3, optimizer=ng.SGD(net, lr=lr), shuffle=False,
           metrics=(), verbose=0)
    for p in net.parameters():
        total = sum(g[p.name] for g in per_sample)
        assert p.value == start[p.name] - lr / 3 * total           # exact
    # a batch of 2, then a batch of 1 whose gradient is taken at the weights after the first
    net2 = fraction_net()
    mid = {n: start[n] - lr / 2 * (per_sample[0][n] + per_sample[1][n]) for n in start}
    for p in net2.parameters():
        p.value = mid[p.name]
    net2.forward(DATA3[2][0])
    net2.backward(DATA3[2][1])
    end = {p.name: mid[p.name] - lr * p.grad for p in net2.parameters()}
    net3 = fraction_net()
    ng.fit(net3, DATA3, epochs=1, batch_size=2, optimizer=ng.SGD(net3, lr=lr), shuffle=False,
           metrics=(), verbose=0)
    assert {p.name: p.value for p in net3.parameters()} == end


def test_immediate_needs_batch_size_one_and_bad_names_refused():
    net = fraction_net()
    with pytest.raises(ng.StateError, match="batch_size=1"):
        ng.fit(net, DATA3, batch_size=2, update="immediate", verbose=0)
    with pytest.raises(ng.NameLookupError, match="immediate"):
        ng.fit(net, DATA3, update="later", verbose=0)
    with pytest.raises(ng.NameLookupError, match="adam"):
        ng.fit(net, DATA3, optimizer="adagrad", verbose=0)
    with pytest.raises(ng.StateError, match="another net"):
        ng.fit(net, DATA3, optimizer=ng.SGD(fraction_net(), lr=1), verbose=0)
    with pytest.raises(ng.NumberError):
        ng.fit(net, DATA3, epochs=-1, verbose=0)


def test_bad_data_changes_nothing():
    net = ng.Net.dense([2, 2, 1], seed=0)
    before = weights(net)
    bad = [([0.0, 1.0], [1.0])] * 5 + [([0.0, "x"], [1.0])]
    with pytest.raises(ng.NumberError, match="sample 5"):
        ng.fit(net, bad, verbose=0)
    with pytest.raises(ng.ShapeError, match="sample 1"):
        ng.fit(net, [([0.0, 1.0], [1.0]), ([0.0], [1.0])], verbose=0)
    with pytest.raises(ng.NumberError, match="number=Decimal"):
        ng.fit(ng.Net.dense([2, 1], number=Decimal), ds.xor(), verbose=0)
    assert weights(net) == before
    dnet = ng.Net.dense([2, 2, 1], number=Decimal, seed=0)
    h = ng.fit(dnet, ds.xor(Decimal), epochs=2, verbose=0)
    assert isinstance(h.rows[-1]["loss"], Decimal)


# -- seeds --------------------------------------------------------------------------------
def train_iris(seed, shuffle=True, optimizer="adam"):
    data = ds.standardize(ds.load_iris())[0][::5]
    net = ng.Net.dense([4, 5, 3], activation="tanh", output_activation="softmax", seed=1)
    ng.fit(net, data, epochs=3, batch_size=4, optimizer=optimizer, lr=0.05,
           loss="cross_entropy", seed=seed, shuffle=shuffle, verbose=0)
    return weights(net)


def test_same_seed_bit_identical_weights():
    a, b = train_iris(7), train_iris(7)
    assert a == b
    assert train_iris(8) != a
    assert train_iris(1, shuffle=False) == train_iris(2, shuffle=False)


# -- Ctrl-C -------------------------------------------------------------------------------
class FlakySGD(ng.SGD):
    """Raises KeyboardInterrupt after updating the first half of step number *fail_at*."""

    def __init__(self, net, fail_at, **kw):
        super().__init__(net, **kw)
        self.fail_at = fail_at
        self.half_done = None

    def _update(self, params, rnd):
        if self.steps == self.fail_at and self.half_done is None:
            super()._update(params[:len(params) // 2], rnd)
            self.half_done = [repr(p.value) for p in self.net.parameters()]
            raise KeyboardInterrupt
        super()._update(params, rnd)


def test_interrupt_inside_a_step_restores_the_before_step_weights():
    net = ng.Net.dense([2, 3, 2], seed=0)
    net["h1_2.bias"].trainable = False          # a frozen parameter among the trainable ones
    opt = FlakySGD(net, fail_at=3, lr=0.5, momentum=0.9)
    after_step = []
    cb = lambda ev, info: after_step.append((weights(net), dict(opt.state("h1_1->o1")))) \
        if ev == "batch_end" else None
    data = [([0.1, 0.9], [1.0, 0.0]), ([0.8, 0.2], [0.0, 1.0])] * 2
    h = ng.fit(net, data, epochs=5, batch_size=2, optimizer=opt, callbacks=[cb], verbose=0)
    assert h.interrupted and len(h) == 1 and h.partial_samples == 2
    assert opt.half_done != after_step[-1][0]           # the step really was half done ...
    assert weights(net) == after_step[-1][0]            # ... and was undone completely
    assert opt.state("h1_1->o1") == after_step[-1][1] and opt.steps == 2
    assert "interrupted" in repr(h) and "(interrupted)" in str(h)


def test_interrupt_during_immediate_backward_restores_the_sample():
    calls = {"n": 0, "moved": None}

    def df(a):
        calls["n"] += 1
        if calls["n"] == 7:                 # hidden layer of the 4th sample: outputs stepped
            calls["moved"] = weights(net)
            raise KeyboardInterrupt
        return a * (1 - a)
    import math
    act = ng.Activation("sig", lambda z: 1 / (1 + math.exp(-z)), df, wrt="a")
    net = ng.Net.dense([2, 2, 1], activation=act, output_activation="sigmoid", seed=0)
    after = []
    h = ng.fit(net, ds.xor(), epochs=3, optimizer="sgd", lr=0.5, update="immediate",
               shuffle=False, verbose=0,
               callbacks=[lambda ev, info: after.append(weights(net)) if ev == "sample" else None])
    assert h.interrupted and len(h) == 0 and len(after) == 3
    assert calls["moved"] != after[-1]      # the output layer had already moved
    assert weights(net) == after[-1]        # all of it is back


def test_interrupt_between_samples_of_a_batch_keeps_weights():
    net = ng.Net.dense([2, 2, 1], seed=0)
    before = weights(net)

    def cb(ev, info):
        if ev == "sample" and info["batch"] == 1:
            raise KeyboardInterrupt
    h = ng.fit(net, ds.xor(), epochs=2, batch_size=4, callbacks=[cb], verbose=0)
    assert h.interrupted and weights(net) == before
    assert all(p.grad == 0 for p in net.parameters())


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="POSIX signals")
def test_real_ctrl_c_stops_at_the_next_sample():
    net = ng.Net.dense([2, 2, 1], seed=0)
    snapshots = []

    def cb(ev, info):
        if ev == "batch_end":
            snapshots.append(weights(net))
            if len(snapshots) == 3:
                os.kill(os.getpid(), signal.SIGINT)
    h = ng.fit(net, ds.xor(), epochs=10, batch_size=1, callbacks=[cb], verbose=0)
    assert h.interrupted and len(snapshots) == 3 and weights(net) == snapshots[-1]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    def late(ev, info):                     # Ctrl-C after the last sample is not lost
        if ev == "epoch_end" and info["epoch"] == 2:
            os.kill(os.getpid(), signal.SIGINT)
    h = ng.fit(net, ds.xor(), epochs=2, callbacks=[late], verbose=0)
    assert h.interrupted and len(h) == 2


# -- History, callbacks, early stopping, progress ------------------------------------------
def test_history_rows_and_table():
    data = ds.xor()
    net = ng.Net.dense([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)

    def hit_rate(out, y):
        return 1 if (out[0] > 0.5) == (y[0] > 0.5) else 0
    h = ng.fit(net, data, epochs=30, lr=0.5, validation=data, metrics=("accuracy", hit_rate),
               verbose=0)
    assert h.columns == ["epoch", "lr", "loss", "val_loss", "accuracy", "val_accuracy",
                         "hit_rate", "val_hit_rate"]
    assert h.metric("epoch") == list(range(1, 31))
    assert h.metric("accuracy") == h.metric("hit_rate")
    assert h.metric("val_accuracy")[-1] == ng.accuracy(net, data)
    assert h.rows[-1]["val_loss"] == pytest.approx(
        sum(net.loss(x, y) for x, y in data) / 4, rel=1e-12)
    text = str(h)
    assert text.splitlines()[0].split() == h.columns and "..." in text
    with pytest.raises(ng.NameLookupError, match="val_loss"):
        h.metric("val_los")
    assert ng.fit(net, data, epochs=1, verbose=0).rows[0]["val_loss"] is None


def test_history_svg_delegates_to_draw(monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("neurograph.draw")
    fake.history_svg = lambda hist, **kw: calls.append((hist, kw)) or "<svg>%d</svg>" % len(hist)

    def write_svg(text, path):
        with open(path, "w") as f:
            f.write(text)
    fake.write_svg = write_svg
    monkeypatch.setitem(sys.modules, "neurograph.draw", fake)
    h = ng.History([{"epoch": 1, "lr": 0.1, "loss": 0.5, "val_loss": None}])
    assert h.to_svg(width=300) == "<svg>1</svg>" and calls[-1] == (h, {"width": 300})
    assert h._repr_svg_() == "<svg>1</svg>"
    h.save_svg(str(tmp_path / "h.svg"))
    assert (tmp_path / "h.svg").read_text() == "<svg>1</svg>"


def test_callbacks_events_and_stop():
    events = []

    def cb(ev, info):
        events.append((ev, info["epoch"]))
        if ev == "epoch_end" and info["epoch"] == 2:
            return False
    h = ng.fit(ng.Net.dense([2, 1], seed=0), ds.logic("or"), epochs=5, batch_size=2,
               callbacks=[cb], verbose=0)
    assert len(h) == 2 and h.stopped_early == 2 and not h.interrupted
    assert events[:8] == [("epoch_begin", 1), ("sample", 1), ("sample", 1), ("batch_end", 1),
                          ("sample", 1), ("sample", 1), ("batch_end", 1), ("epoch_end", 1)]


def test_early_stopping_restores_best_weights():
    net = ng.Net.dense([2, 2, 1], seed=0)
    ends = []
    h = ng.fit(net, ds.xor(), epochs=50, lr=1e-9,
               early_stopping=ng.EarlyStopping(patience=2, min_delta=1e-3),
               callbacks=[lambda ev, info: ends.append(weights(net)) if ev == "epoch_end" else 0],
               verbose=0)
    assert len(h) == 3 and h.stopped_early == 3
    assert weights(net) == ends[0] != ends[-1]
    with pytest.raises(ng.StateError, match="validation"):
        ng.fit(net, ds.xor(), early_stopping=ng.EarlyStopping(2, monitor="val_loss"), verbose=0)
    h2 = ng.fit(net, ds.xor(), epochs=5, lr=1e-9, early_stopping=1, verbose=0)
    assert len(h2) == 5 and h2.stopped_early is None     # tiny but real improvements: no stop


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    ng.fit(ng.Net.dense([2, 1], seed=0), ds.logic("or"), epochs=3, batch_size=2)
    out = tty.getvalue()
    assert "epoch 3/3" in out and "loss" in out and "samples/s" in out and "ETA" in out
    assert any(ch in out for ch in "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588")
    quiet = FakeTTY()
    monkeypatch.setattr(sys, "stderr", quiet)
    ng.fit(ng.Net.dense([2, 1], seed=0), ds.logic("or"), epochs=3, verbose=0)
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    ng.fit(ng.Net.dense([2, 1], seed=0), ds.logic("or"), epochs=3)
    assert pipe.getvalue() == ""
    ng.fit(ng.Net.dense([2, 1], seed=0), ds.logic("or"), epochs=2, verbose=2)
    assert pipe.getvalue().count("\n") == 2


def test_sparkline_and_confusion_matrix_binary():
    from neurograph.training import sparkline
    assert sparkline([3.0, 2.0, 1.0]) == "\u2588\u2585\u2581"
    assert sparkline([1.0, 1.0], flat="bottom") == "\u2581\u2581"
    assert sparkline is ng.draw.sparkline
    net = ng.Net.dense([2, 1], seed=0)
    net["i1->o1"].weight, net["i2->o1"].weight, net["o1"].bias.value = 10.0, 10.0, -15.0
    cm = ng.confusion_matrix(net, ds.logic("or"))
    assert cm.matrix == [[1, 0], [2, 1]] and cm.accuracy == 0.5
    assert cm.recall() == [1.0, 1 / 3] and cm.precision() == [1 / 3, 1.0]


def test_history_svg_with_the_real_drawing():
    data = ds.xor()
    h = ng.fit(ng.Net.dense([2, 2, 1], seed=0), data, epochs=3, validation=data, verbose=0)
    svg = h.to_svg()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and svg == h._repr_svg_()


def test_divergence_is_an_error_and_puts_the_epochs_weights_back():
    cube = ng.Activation("cube", lambda z: z * z * z, lambda z: 3 * z * z)
    chain = ng.Net()
    prev = chain.add_input("x")
    for k in range(6):
        n = chain.add_neuron("c%d" % k, activation=cube, bias=None)
        chain.connect(prev, n, 1.0)
        prev = n
    out = chain.add_neuron("o", activation="sigmoid", bias=None)
    chain.connect(prev, out, 1.0)
    before = [p.value for p in chain.parameters()]
    with pytest.raises(ng.NumericalError, match="diverged in epoch 1: parameter") as info:
        ng.fit(chain, [([10.0], [1.0])], epochs=3, metrics=(), verbose=0)
    assert [p.value for p in chain.parameters()] == before
    assert len(info.value.history) == 0


def test_early_stopping_says_which_weights_were_put_back():
    net = ng.Net.dense([2, 2, 1], seed=0)
    data = [([0.0, 1.0], [1.0]), ([1.0, 0.0], [0.0])]
    h = ng.fit(net, data, epochs=50, optimizer=ng.SGD(net, lr=5.0), seed=0, verbose=0,
               early_stopping=ng.EarlyStopping(patience=1, min_delta=1.0))
    assert h.stopped_early is not None and h.restored_epoch == 1
    assert "weights of epoch 1 were put back" in str(h)


@pytest.mark.parametrize("val_x", [[1e200, 1e200], [1e308, -1e308]], ids=["inf", "nan"])
def test_a_non_finite_validation_loss_is_a_divergence_like_the_training_loss(val_x):
    net = ng.Net.dense([2, 2, 1], activation="identity", seed=1)
    for c in net.connections():
        c.weight = 2.0 if c.src.name.endswith("1") else -2.0 if val_x[1] < 0 else 2.0
    data = [([0.1, 0.2], [1.0]), ([0.3, 0.1], [0.0])]
    assert all(abs(p.value) < 10 for p in net.parameters())
    before = weights(net)
    seen = []
    with pytest.raises(ng.NumericalError,
                       match=r"diverged in epoch 1: the validation loss became (inf|nan); the "
                             r"weights from the start of that epoch were put back") as info:
        ng.fit(net, data, epochs=3, lr=0.01, metrics=(), verbose=0, validation=[(val_x, [1.0])],
               callbacks=[lambda ev, i: seen.append(ev)])
    assert weights(net) == before
    assert len(info.value.history) == 0 and "epoch_end" not in seen
    h = ng.fit(net, data, epochs=2, lr=0.01, metrics=(), verbose=0,
               validation=[([0.1, 0.1], [1.0])])          # finite: trains as before
    assert len(h) == 2 and weights(net) != before


@pytest.mark.parametrize("bad", ["0.01x", None, -0.1, float("nan"), float("inf"), True, [0.1],
                                 Decimal("NaN"), "-1/100"], ids=repr)
def test_early_stopping_min_delta_is_checked_in_the_constructor(bad):
    with pytest.raises(ng.NumberError, match=r"EarlyStopping\(min_delta=.*\): give a finite "
                                             r"number >= 0"):
        ng.EarlyStopping(min_delta=bad)


@pytest.mark.parametrize("number,min_delta", [(float, "0.01"), (float, Decimal("0.01")),
                                              (float, F(1, 100)), (Decimal, 0.01),
                                              (Decimal, "0.01"), (F, "1/100")])
def test_early_stopping_min_delta_of_any_type_works_with_any_net(number, min_delta):
    net = ng.Net.dense([2, 2, 1], activation="relu", output_activation="identity", seed=0,
                       number=number)
    data = [([1, 0], [1]), ([0, 1], [0])]
    h = ng.fit(net, data, epochs=20, lr="0.0000001", metrics=("accuracy",), verbose=0,
               early_stopping=ng.EarlyStopping(patience=2, min_delta=min_delta))
    assert h.stopped_early == 3
    h = ng.fit(net, data, epochs=20, lr="0.0000001", metrics=("accuracy",), verbose=0,
               early_stopping=ng.EarlyStopping(patience=2, monitor="accuracy",
                                               min_delta=min_delta))
    assert h.stopped_early == 3


@pytest.mark.parametrize("value", ["x", None, [1], "0.5"], ids=repr)
def test_a_metric_that_returns_no_number_is_refused_before_any_step(value):
    net = ng.Net.dense([2, 2, 1], seed=0)
    before = weights(net)

    def bad_metric(o, y):
        return value
    with pytest.raises(ng.NumberError, match=r"metric 'bad_metric' returned .* a metric must "
                                             r"return a number"):
        ng.fit(net, ds.xor(), epochs=2, metrics=["accuracy", bad_metric], verbose=0)
    assert weights(net) == before
    assert all(p.grad == 0 for p in net.parameters())
    calls = []

    def late(o, y):          # a number for the first sample only
        calls.append(1)
        return 1 if len(calls) <= 1 else value
    with pytest.raises(ng.NumberError, match=r"metric 'late' returned"):
        ng.fit(net, ds.xor(), epochs=1, metrics=[late], verbose=0)
    h = ng.fit(net, ds.xor(), epochs=1, metrics=[lambda o, y: True], verbose=0)
    assert h.rows[0]["<lambda>"] in (0, 0.25, 0.5, 0.75, 1)


@pytest.mark.parametrize("bad", ["1e100000000", Decimal("1e100000000")], ids=repr)
def test_early_stopping_min_delta_text_goes_through_parse_number(bad):
    with pytest.raises(ng.NumberError, match=r"EarlyStopping\(min_delta="):
        ng.EarlyStopping(min_delta=bad)       # refused at once (no 100-million-digit integer)


def test_learning_rates_fit_takes_are_checked_by_check_setting():
    net = ng.Net.dense([2, 1], seed=0)
    before = weights(net)
    opt = ng.SGD(net, lr=0.5)
    for kw in (dict(lr=-1), dict(optimizer="adam", lr="-0.5"), dict(optimizer=opt, lr=-2)):
        with pytest.raises(ng.NumberError, match=r"learning rate lr of (SGD|Adam) must be >= 0"):
            ng.fit(net, ds.logic("or"), epochs=1, verbose=0, **kw)
    assert weights(net) == before and opt.lr == 0.5
    h = ng.fit(net, ds.logic("or"), epochs=1, lr=0, verbose=0)     # lr 0 is allowed
    assert len(h) == 1 and weights(net) == before
    with pytest.raises(ng.NumberError, match=r"learning rate lr of SGD must be >= 0, got -0.1"):
        ng.fit(net, ds.logic("or"), epochs=3, verbose=0, schedule=lambda e: 0.1 - e * 0.2)


# -- a refused fit changes nothing it should not ----------------------------------------

@pytest.mark.parametrize("number", [Decimal, float])
def test_an_overflow_mid_epoch_puts_back_the_epochs_start_and_carries_the_history(number):
    # (issue 22, item 6) a Decimal net that overflowed mid-epoch kept mid-epoch weights and a
    # stale partial gradient, and its error had no history; a float one fails in a pass now
    net = ng.Net(number=number)
    x = net.add_input("x")
    y = net.add_neuron("y", activation="identity", bias=None)
    w = net.connect(x, y, number("1"), name="w")
    opt = ng.SGD(net, lr="1", momentum="0.5")
    starts = []

    def record(event, info):
        if event == "epoch_begin":
            starts.append((weights(net), opt.state(w), opt.steps, w.grad,
                           [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons]))
    data = [([number(10)], [number(0)])] * 3
    with localcontext() as ctx:
        ctx.Emax = 60                                   # (a Decimal overflows as soon as a float)
        with pytest.raises(ng.NumericalError, match=r"training diverged in epoch (\d+): ") as info:
            ng.fit(net, data, epochs=100, optimizer=opt, metrics=(), verbose=0, shuffle=False,
                   callbacks=[record])
    epoch = int(re.search(r"epoch (\d+)", str(info.value)).group(1))
    assert len(starts) == epoch and len(info.value.history) == epoch - 1
    assert (weights(net), opt.state(w), opt.steps, w.grad,          # the epoch's start is back
            [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons]) == starts[-1]
    assert isinstance(info.value.__cause__, ng.NumericalError)
    if number is float:
        assert "the loss became inf" in str(info.value)


def test_an_overflowing_decimal_validation_pass_is_a_divergence_too():
    net = ng.Net.dense([1, 1], activation="identity", number=Decimal, seed=0)
    net.forward([Decimal(2)])
    net.backward([Decimal(1)])                          # a gradient and a last pass before fit
    before = (weights(net), [p.grad for p in net.parameters()], net._last,
              [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons])
    with localcontext() as ctx:
        ctx.Emax = 30
        with pytest.raises(ng.NumericalError, match="training diverged in epoch 1: ") as info:
            ng.fit(net, [([Decimal(1)], [Decimal(0)])], epochs=2, lr="0.1", metrics=(), verbose=0,
                   validation=[([Decimal("1e29")], [Decimal(0)])])
    assert (weights(net), [p.grad for p in net.parameters()], net._last,   # a first epoch
            [(n.z, n.a, n.delta, n.grad_a) for n in net.neurons]) == before  # leaves it all
    assert len(info.value.history) == 0


@pytest.mark.parametrize("kwargs,words", [
    ({"metrics": True}, r"fit\(metrics=True\): give a list of metrics"),
    ({"seed": 1j}, r"fit\(seed=1j\): give a whole number"),
    ({"verbose": Decimal("sNaN")}, r"fit\(verbose=Decimal\('sNaN'\)\): use None, 0, 1 or 2"),
])
def test_fit_arguments_of_the_wrong_kind_are_refused_before_any_step(kwargs, words):
    # (issue 22, item 10) TypeError, TypeError and InvalidOperation
    net = ng.Net.dense([2, 2, 1], seed=0)
    before = net.to_dict()
    with pytest.raises(ng.NeurographError, match=words):
        ng.fit(net, ds.xor(), epochs=2, **kwargs)
    assert net.to_dict() == before and all(p.grad == 0 for p in net.parameters())


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


def test_a_refused_fit_leaves_the_optimizer_it_was_given_as_it_was():
    net = ng.Net.dense([2, 2, 1], seed=0)
    opt = ng.SGD(net, lr=0.1)
    with pytest.raises(ng.NeurographError):
        ng.fit(net, ng.datasets.logic("xor"), optimizer=opt, lr=0.7, seed=1j, verbose=0)
    assert opt.lr == 0.1                        # (the lr is set once every check has passed)
    ng.fit(net, ng.datasets.logic("xor"), epochs=1, optimizer=opt, lr=0.7, verbose=0)
    assert opt.lr == 0.7


def test_fits_trial_of_the_metrics_is_unseen_by_hooks_and_leaves_no_sequence():
    net = ng.Net.dense([2, 2, 1], seed=0)
    with net.trace() as t:
        ng.fit(net, ng.datasets.logic("xor"), epochs=0, verbose=0)
    assert len(t) == 0
    rnn = ng.Net.elman([1, 2, 1], seed=0)
    data = [([[0.5], [0.1]], [None, [0.2]])]
    with pytest.raises(ng.NeurographError):
        ng.fit(rnn, data, epochs=1, callbacks=[1], verbose=0)
    assert rnn._sequence is None and all(n._history == [] for n in rnn.neurons)
