"""The gallery of worked examples and ng.Exercise: printed numbers, errata, mistakes, names."""

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng

NAMES = [e.name for e in ng.textbook.catalog()]


def passed(ex):
    """The example's net after its forward and backward pass (a fresh copy), for hand work."""
    net = ex.net
    with ex.rounded():
        if ex.recurrent:
            net.forward_sequence(ex.x)
            net.backward_sequence(ex.y, loss=ex.loss)
        else:
            net.forward(ex.x)
            net.backward(ex.y, loss=ex.loss)
    return net


def diagnose(example, name, wrong, digits=7):
    """Check the hand-made wrong number *wrong* for *name*: the report's verdict."""
    text = "%.*g" % (digits, wrong)
    check = ng.Exercise(example, ask=[name]).check({name: text})[name]
    assert not check.correct
    return check.mistake


# -- the gallery ---------------------------------------------------------------

def test_catalog_lists_every_example_with_its_source():
    entries = ng.textbook.catalog()
    assert len(entries) >= 9 and entries[0].name == "mazur"
    assert sum(e.printed for e in entries) >= 100
    assert sum(e.errata for e in entries) >= 1
    for e in entries:
        assert e.description and "http" in e.citation
        ex = ng.textbook.get(e.name)
        assert ex.name == e.name and ex.source["title"] and ex.source["url"]
        assert getattr(ng.textbook, e.name)().printed == ex.printed


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_number_is_reproduced_except_the_errata(name):
    ex = ng.textbook.get(name)
    exercise = ng.Exercise(ex, ask=list(ex.printed))
    report = exercise.check(ex.printed)
    assert sorted(report.wrong) == sorted(ex.errata)
    assert set(ex.errata) <= set(ex.printed)
    fixed = exercise.check(dict(ex.printed, **ex.errata))
    assert fixed.score == len(ex.printed)


@pytest.mark.parametrize("name, number", [("mazur", Decimal), ("toy_linear", Fraction),
                                          ("toy_relu", Fraction), ("softmax_regression", Decimal),
                                          ("bptt_prachub", Decimal), ("toy_sigmoid", Decimal),
                                          ("bptt_thsis", Decimal)])
def test_exact_number_types_reproduce_the_same_numbers(name, number):
    ex = ng.textbook.get(name, number)
    report = ng.Exercise(ex, ask=list(ex.printed)).check(ex.printed)
    assert sorted(report.wrong) == sorted(ex.errata)
    assert all(type(report[n].expected) is number for n in report)


def test_exact_examples_are_exact():
    ex = ng.textbook.toy_linear(Fraction)
    exercise = ng.Exercise(ex, ask=["w.updated", "loss#2"])
    assert exercise.expected("w.updated") == Fraction(23, 5)
    assert exercise.expected("loss#2") == Fraction(16, 25)
    assert exercise.check({"w.updated": "23/5", "loss#2": "16/25"}).score == 2
    assert exercise.check({"w.updated": "46/11"})["w.updated"].correct is False


def test_the_example_itself_is_not_touched():
    ex = ng.textbook.mazur()
    ng.Exercise(ex, ask=["w5.updated"]).check({"w5.updated": "0.3589"})
    assert ex.net["w5"].weight == 0.4 and ex.net["o1"].a is None


def test_mazur_keeps_its_description_and_notation():
    ex = ng.textbook.mazur()
    assert ex.spec["printed"]["dE_total/dw5"] == ex.printed["w5.grad"]
    assert ex.notation["h1.z"] == "net_h1" and ex.lr == 0.5
    report = ng.Exercise(ex, ask=["h1.a"]).check({"h1.a": "0.593269992"})
    assert "out_h1 in the source" in str(report)


# -- mistakes made by hand, two examples each ------------------------------------

def test_missing_derivative():
    ex = ng.textbook.mazur()
    net = passed(ng.textbook.mazur())
    assert diagnose(ex, "h1.delta", net["h1"].grad_a) == "missing_derivative"
    ex = ng.textbook.samsel_221()
    net = passed(ng.textbook.samsel_221())
    assert diagnose(ex, "h1.delta", net["w1"].weight * net["o"].delta) == "missing_derivative"
    ex = ng.textbook.bptt_prachub()
    net = passed(ng.textbook.bptt_prachub())
    assert diagnose(ex, "h.delta@1", net["h"].at(1).grad_a) == "missing_derivative"


def test_derivative_at_wrong_value():
    ex = ng.textbook.mazur()
    o1 = passed(ng.textbook.mazur())["o1"]
    wrong = o1.grad_a * o1.z * (1 - o1.z)          # sigmoid' = a (1 - a), taken at z
    assert diagnose(ex, "o1.delta", wrong) == "derivative_at_wrong_value"
    ex = ng.textbook.bptt_prachub()
    h = passed(ng.textbook.bptt_prachub())["h"].at(1)
    wrong = h.grad_a * (1 - h.z ** 2)               # tanh' = 1 - a^2, taken at z
    assert diagnose(ex, "h.delta@1", wrong) == "derivative_at_wrong_value"


def test_sign():
    ex = ng.textbook.mazur()
    o1 = passed(ng.textbook.mazur())["o1"]
    wrong = (ex.y[0] - o1.a) * o1.a * (1 - o1.a)    # y - a instead of a - y
    assert diagnose(ex, "o1.delta", wrong) == "sign"
    assert diagnose(ng.textbook.toy_relu(), "w1.grad", -2) == "sign"
    ex = ng.textbook.softmax_regression()
    assert diagnose(ex, "o2.delta", 1 - 0.659001139, 4) == "sign"


def test_updated_weight():
    ex = ng.textbook.mazur()
    net = passed(ng.textbook.mazur())
    w5, w7 = 0.4 - 0.5 * net["w5"].grad, 0.5 - 0.5 * net["w7"].grad
    h1 = net["h1"]
    wrong = (w5 * net["o1"].delta + w7 * net["o2"].delta) * h1.a * (1 - h1.a)
    assert diagnose(ex, "h1.delta", wrong) == "updated_weight"
    ex = ng.textbook.samsel_221()
    net = passed(ng.textbook.samsel_221())
    w1 = 0.3 - net["w1"].grad
    h1 = net["h1"]
    wrong = w1 * net["o"].delta * h1.a * (1 - h1.a)
    assert diagnose(ex, "h1.delta", wrong) == "updated_weight"
    assert ng.Exercise(ex, ask=["w3.updated"]).check(ex.printed)["w3.updated"].mistake == \
        "updated_weight"                            # the README's own slip


def test_missing_path():
    ex = ng.textbook.mazur()
    net = passed(ng.textbook.mazur())
    wrong = net["w5"].weight * net["o1"].delta      # the path through o2 left out
    assert diagnose(ex, "h1.grad_a", wrong) == "missing_path"
    h1 = net["h1"]
    assert diagnose(ex, "h1.delta", wrong * h1.a * (1 - h1.a)) == "missing_path"
    ex = ng.textbook.softmax_sigmoid()
    net = passed(ng.textbook.softmax_sigmoid())
    wrong = net["w8"].weight * net["o2"].delta      # the path through o1 left out
    assert diagnose(ex, "h1.grad_a", wrong, 2) == "missing_path"


def test_missing_bias():
    ex = ng.textbook.mazur()
    assert diagnose(ex, "h1.z", 0.15 * 0.05 + 0.2 * 0.1) == "missing_bias"
    assert diagnose(ex, "h1.a", 1 / (1 + math.exp(-0.0275))) == "missing_bias"
    ex = ng.textbook.rnn_forward()
    assert diagnose(ex, "h.z@0", 0.9 * 0.7 + 0.5 * 0.1) == "missing_bias"
    ex = ng.textbook.softmax_sigmoid()
    assert diagnose(ex, "o1.z", 0.3 * 0.426 + 0.4 * 0.5, 3) == "missing_bias"


def test_update_sign():
    ex = ng.textbook.mazur()
    g = passed(ng.textbook.mazur())["w5"].grad
    assert diagnose(ex, "w5.updated", 0.4 + 0.5 * g) == "update_sign"
    assert diagnose(ng.textbook.toy_linear(), "w.updated", 3 + 0.1 * -16) == "update_sign"
    ex = ng.textbook.adam_quadratic()
    assert diagnose(ex, "theta.updated", 5.1) == "update_sign"


def test_missing_learning_rate():
    ex = ng.textbook.mazur()
    g = passed(ng.textbook.mazur())["w1"].grad
    assert diagnose(ex, "w1.updated", 0.15 - g) == "missing_learning_rate"
    assert diagnose(ng.textbook.toy_linear(), "w.updated", 3 - -16) == "missing_learning_rate"


def test_a_wrong_gradient_carried_into_the_update():
    ex = ng.textbook.mazur()
    net = passed(ng.textbook.mazur())
    wrong = 0.15 - 0.5 * net["h1"].grad_a * 0.05     # dE/dw1 without f'(net_h1)
    assert diagnose(ex, "w1.updated", wrong) == "missing_derivative"


@pytest.mark.parametrize("name", NAMES)
def test_random_wrong_numbers_are_no_known_mistake(name):
    ex = ng.textbook.get(name)
    exercise = ng.Exercise(ex, ask=list(ex.printed))
    rng = random.Random(name)
    for q in exercise.ask:
        right = float(exercise.expected(q))
        wrong = right + (1 + abs(right)) * rng.choice([-1, 1]) * rng.uniform(0.137, 0.77)
        check = exercise.check({q: "%.6f" % wrong})[q]
        assert not check.correct and check.mistake is None, (q, wrong, check.mistake)


def test_an_answer_is_right_to_the_digits_it_gives():
    exercise = ng.Exercise(ng.textbook.mazur(), ask=["o1.delta"])
    for text in ("0.1385", "0.13850", "0.138498562", "0.14", "0.1"):
        assert exercise.check({"o1.delta": text})["o1.delta"].correct, text
    for text in ("0.1384", "0.13849", "0.139"):
        assert not exercise.check({"o1.delta": text})["o1.delta"].correct, text
    assert exercise.check({"o1.delta": 0.138498562})["o1.delta"].correct
    report = exercise.check({})
    assert report["o1.delta"].correct is False and report["o1.delta"].diagnosis == "no answer given"


# -- names, reports, time steps ------------------------------------------------

def test_unknown_names_say_what_is_meant():
    with pytest.raises(ng.NameLookupError, match="did you mean 'h1.delta'"):
        ng.Exercise(ng.textbook.mazur(), ask=["h1.detla"])
    with pytest.raises(ng.NameLookupError, match="makes no update"):
        ng.Exercise(ng.textbook.softmax_sigmoid(), ask=["w7.updated"])
    with pytest.raises(ng.NameLookupError, match="'h.a@0'"):
        ng.Exercise(ng.textbook.rnn_forward(), ask=["h.a"])
    with pytest.raises(ng.NameLookupError, match="theta.updated#3"):
        ng.Exercise(ng.textbook.adam_quadratic(), ask=["theta.updated#4"])
    exercise = ng.Exercise(ng.textbook.mazur(), ask=["h1.delta"])
    with pytest.raises(ng.NameLookupError):
        exercise.check({"h9.delta": "1"})
    with pytest.raises(ng.NumberError):
        exercise.check({"h1.delta": "zero point one"})
    with pytest.raises(ng.NameLookupError):
        ng.textbook.get("mazurr")


def test_the_report_shows_the_diagnosis_and_the_right_calculation():
    ex = ng.textbook.mazur()
    report = ng.Exercise(ex, ask=["o1.delta", "h1.delta", "w5.grad", "w5.updated"]).check(
        {"o1.delta": "0.1385", "h1.delta": "0.0364", "w5.grad": "0.0822", "w5.updated": "0.3589"})
    assert report["h1.delta"].mistake == "missing_derivative"
    assert abs(report["h1.delta"].expected - 0.00877135) < 1e-8
    assert report.score == 3 and report.wrong == ["h1.delta"]
    text = str(report)
    assert "h1.delta: 0.0364 is wrong; the right value is 0.008771355" in text
    assert "the factor f'(z) is missing" in text
    assert "delta_h1 = dE/d(out_h1) * d(out_h1)/d(net_h1)   [BP2]" in text
    assert "w5+ = w5 - eta * dE/dw5" in text and text.endswith("3 of 4 right")
    assert repr(report) == "<Report: 3 of 4 right>"


def test_recurrent_examples_through_time():
    ex = ng.textbook.bptt_prachub()
    exercise = ng.Exercise(ex, ask=["h.delta@0", "h.delta@1", "W_h.grad", "loss@1"])
    net = passed(ng.textbook.bptt_prachub())
    right = {"h.delta@0": net["h"].at(0).delta, "h.delta@1": net["h"].at(1).delta,
             "W_h.grad": net["W_h"].grad}
    report = exercise.check({k: "%.8f" % v for k, v in right.items()})
    assert report.score == 3
    assert "delta_h(1)" in str(report["h.delta@1"])
    # the path from step 1 back into step 0 left out of h's dE/da at step 0
    h0 = net["h"].at(0)
    wrong = (h0.grad_a - net["W_h"].weight * net["h"].at(1).delta) * (1 - h0.a ** 2)
    assert diagnose(ex, "h.delta@0", wrong) == "missing_path"


def test_several_updates_are_numbered():
    ex = ng.textbook.adam_quadratic()
    exercise = ng.Exercise(ex, ask=["theta.updated#1", "theta.updated#3"])
    report = exercise.check({"theta.updated#1": "4.9", "theta.updated#3": "4.7003"})
    assert report.score == 2 and list(report) == ["theta.updated", "theta.updated#3"]
    assert "adam step from" in str(report)


# -- the command, the new examples ---------------------------------------------

def test_the_textbook_command_lists_the_gallery_and_shows_one_example(capsys):
    from neurograph.cli import main
    assert main(["textbook"]) == 0
    out = capsys.readouterr().out
    for e in ng.textbook.catalog():
        assert e.name in out and e.citation in out
    assert main(["textbook", "samsel_221"]) == 0
    out = capsys.readouterr().out
    assert "Nathan Samsel" in out and "w3.updated  0.09916" in out
    assert "ERRATUM: right value 0.09907" in out
    with pytest.raises(SystemExit) as e:
        main(["textbook", "mazurr"])
    assert e.value.code == 2


def test_an_example_over_several_samples_updates_once_per_sample():
    ex = ng.textbook.xor_epochs()
    assert [s for s in ex.samples] == [ex.sample(k) for k in range(1, 5)]
    assert ex.sample(5) == ex.sample(1) and ex.x == ex.sample(1)[0]
    net = ng.textbook.xor_epochs().net
    opt = ng.SGD(net, lr=0.1)
    for _ in range(3):
        for x, y in ex.samples:
            net.forward(x)
            net.backward(y)
            opt.step()
            net.zero_grad()
    exercise = ng.Exercise(ex, ask=["w01.updated#12", "v2.updated#12"])
    assert exercise.expected("w01.updated#12") == net["w01"].weight
    assert exercise.expected("v2.updated#12") == net["v2"].weight


def test_the_sources_ways_of_writing_numbers_are_modelled():
    ex = ng.textbook.toy_sigmoid()
    assert ng.Exercise(ex, ask=["w1.grad"]).expected("w1.grad") == 0.527   # 2.244 * 0.235
    with ex.written() as net:
        net.forward(ex.x)
        net.backward(ex.y, loss=ex.loss)
    assert net["w1"].grad == 0.527 and net["h"].df is not None
    net.forward(ex.x)
    net.backward(ex.y, loss=ex.loss)                 # the block put f' back
    ex = ng.textbook.rnn_forward("Decimal")
    with ex.written() as net:
        out = net.forward_sequence(ex.x)
    assert [str(a) for [a] in out] == ["0.753", "0.809", "0.708"]
    assert not net._hooks
    ex = ng.textbook.softmax_regression()
    assert ng.Exercise(ex, ask=["o3.a"]).expected("o3.a") == 0.242         # 0.368 / 1.518


# -- bptt_thsis: a notebook's backward pass through time, checked step by step --------

def test_bptt_thsis_reproduces_the_notebooks_forward_pass():
    ex = ng.textbook.bptt_thsis()
    assert ex.source["url"] == ("https://github.com/thsis/INFOSYS/blob/4f708b909831c9a6582ec64"
                                "05233a6611af9ae2f/models/RNN-backprop.ipynb")
    assert len(ex.printed) == 17 and len(ex.errata) == 10
    forward = [q for q in ex.printed if ".a@" in q]
    assert len(forward) == 7 and not set(forward) & set(ex.errata)
    report = ng.Exercise(ex, ask=forward).check(ex.printed)
    assert report.score == 7
    out = ng.textbook.bptt_thsis().net.forward_sequence(ex.x)
    assert repr(out[2][0]) == ex.printed["yhat.a@2"] == "5.99720442000804"
    assert str(report["yhat.a@2"]).startswith(
        "yhat.a@2: 5.99720442000804 is right (y_ in the source)")


def test_bptt_thsis_errata_are_the_gradients_through_time_and_their_update():
    ex = ng.textbook.bptt_thsis()
    net = passed(ng.textbook.bptt_thsis())
    assert ng.gradcheck(ng.textbook.bptt_thsis().net, ex.x, ex.y).ok   # BPTT = differences
    exercise = ng.Exercise(ex, ask=list(ex.errata))
    for q, right in ex.errata.items():
        p, attr = q.split(".")
        g = net[p].grad
        value = g if attr == "grad" else net[p].weight - 0.001 * g
        assert abs(value - float(right)) <= 0.5e-8, q
        assert exercise.check({q: right})[q].correct, q
    # y_ is below the target 7: every weight should grow; the notebook shrinks every one
    assert all(float(ex.errata[q]) < 0 < float(ex.printed[q]) for q in ex.errata if "grad" in q)


def test_bptt_thsis_the_notebooks_formulas_give_its_printed_gradients():
    """Cells [42]-[43] recomputed from the net's own numbers: y - y_ for dloss/dy_, only the
    path through h1 (for W) or h2 (for U), element-wise products where BPTT needs matrix
    products: the printed numbers come out, and no single known mistake gives them."""
    ex = ng.textbook.bptt_thsis()
    net = passed(ng.textbook.bptt_thsis())
    U = [[net["U_11"].weight, net["U_12"].weight], [net["U_21"].weight, net["U_22"].weight]]
    w = [net["w_1"].weight, net["w_2"].weight]
    h = [[net["h_1"].at(t).a, net["h_2"].at(t).a] for t in range(3)]
    dz = [[1 - net["h_1"].at(t).a ** 2, 1 - net["h_2"].at(t).a ** 2] for t in range(3)]
    dldy = ex.y[2][0] - net["yhat"].at(2).a                       # y - y_: the sign flipped
    dh3dh2 = [dz[2][0] * U[0][j] + dz[2][1] * U[1][j] for j in range(2)]
    dh2dh1 = [dz[1][0] * U[0][j] + dz[1][1] * U[1][j] for j in range(2)]
    dh2dU = dz[1][0] * h[0][0] + dz[1][1] * h[0][1]
    dW = [dldy * w[j] * dh3dh2[j] * dh2dh1[j] * dz[0][j] * ex.x[0][0] for j in range(2)]
    dU = [dldy * w[j] * dh3dh2[j] * dh2dU for j in range(2)]
    printed = {"W_1.grad": dW[0], "W_2.grad": dW[1], "U_11.grad": dU[0], "U_12.grad": dU[1]}
    for q, v in printed.items():
        assert "%.8f" % v == ex.printed[q], q
    grads = dict(printed, **{"U_21.grad": dU[0], "U_22.grad": dU[1]})   # (one per column of U)
    for q, v in grads.items():
        new = net[q.split(".")[0]].weight - 0.001 * v                # W -= eta * dlossdW
        assert "%.8f" % new == ex.printed[q.replace("grad", "updated")], q
    report = ng.Exercise(ex, ask=list(ex.printed)).check(ex.printed)
    assert sorted(report.wrong) == sorted(ex.errata)
    assert all(report[q].mistake is None for q in ex.errata)
    assert "mistake None" in ex.notes and "'sign'" in ex.notes


def test_bptt_thsis_one_slip_at_a_time_is_recognised():
    ex = ng.textbook.bptt_thsis()
    net = passed(ng.textbook.bptt_thsis())
    assert diagnose(ex, "W_1.grad", -net["W_1"].grad) == "sign"        # y - y_ alone
    assert diagnose(ex, "U_12.grad", -net["U_12"].grad) == "sign"
    assert diagnose(ex, "W_1.updated", 2 + 0.001 * net["W_1"].grad) == "update_sign"
    # h_1's dE/da at step 1 without the path into h_2 at step 2 (through U_21)
    h = net["h_1"].at(1)
    wrong = net["U_11"].weight * net["h_1"].at(2).delta * (1 - h.a ** 2)
    assert diagnose(ex, "h_1.delta@1", wrong) == "missing_path"
    wrong = net["h_2"].at(2).grad_a                                    # f'(z) forgotten
    assert diagnose(ex, "h_2.delta@2", wrong) == "missing_derivative"


def test_every_printed_number_of_the_gallery_is_explained_by_the_walk_itself():
    """The explanation under each checked number is net.explain's, the passes replayed the way
    the source writes numbers down (its rounded derivatives too): never the one-line fallback."""
    from neurograph.textbook.explaining import lines
    from neurograph.textbook.passes import Run, parse
    for entry in ng.textbook.catalog():
        ex = ng.textbook.get(entry.name)
        run = Run(ex)
        for key in ex.printed:
            text = "\n".join(lines(run, parse(key)))
            assert "[net.explain:" not in text, (entry.name, key, text)
