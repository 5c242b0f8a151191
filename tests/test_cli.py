"""The ``neurograph`` command line, run as a user runs it: in a subprocess."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import neurograph as ng

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
COMMANDS = ["demo", "train", "explain", "draw", "gradcheck", "info"]


def run(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "neurograph"] + [str(a) for a in args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def assert_user_error(proc, code, *words):
    """Exit *code*, no traceback, and a message on stderr whose last line names the problem."""
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "error:" in last
    for w in words:
        assert w in last, last


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small trained model saved by `neurograph train`."""
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "xor.json"
    proc = run("train", "--data", "xor", "--layers", "3", "--activation", "tanh",
               "--optimizer", "adam", "--lr", "0.05", "--epochs", "150", "--batch-size", "4",
               "--seed", "1", "--save", path)
    assert proc.returncode == 0, proc.stderr
    assert "saved" in proc.stdout and "training accuracy" in proc.stdout
    return path


@pytest.fixture()
def bad_model(tmp_path):
    path = tmp_path / "bad.json"
    doc = ng.Net.dense([2, 1]).to_dict()
    doc["neurons"][0]["activation"] = "sigmod"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("command", [None] + COMMANDS)
def test_help(command):
    proc = run(*([command, "--help"] if command else ["--help"]))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: neurograph")
    if command is None:
        for c in COMMANDS:
            assert c in proc.stdout


def test_demo_writes_pictures_and_model(tmp_path):
    out = tmp_path / "out"
    proc = run("demo", "--epochs", "3", "--out", out)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "0.298371109" in text and "0.35891648" in text      # Mazur's numbers
    assert "dE/dw5" in text and "dE/dw1" in text               # the chain rule, explained
    assert "iris" in text and "test accuracy" in text
    assert "true \\ predicted" in text and "virginica" in text  # the confusion matrix
    for name in ("mazur.svg", "iris-net.svg", "iris-loss.svg"):
        root = ET.parse(str(out / name)).getroot()
        assert root.tag.endswith("svg")
    ck = ng.load_checkpoint(out / "iris-model.json")
    assert [len(layer) for layer in ck.net.layers] == [4, 8, 3]
    assert ck.metadata["data"] == "iris" and ck.optimizer.steps > 0
    acc = float(text.split("test accuracy ")[1].split()[0])
    assert acc == pytest.approx(ck.metadata["test_accuracy"], abs=1e-4)


def test_train_saves_a_model_that_loads(model):
    ck = ng.load_checkpoint(model)
    assert [len(layer) for layer in ck.net.layers] == [2, 3, 1]
    assert ck.metadata["epochs"] == 150 and ck.metadata["data"] == "xor"
    assert type(ck.optimizer).__name__ == "Adam" and ck.optimizer.steps == 150
    assert ck.metadata["train_accuracy"] == ng.accuracy(ck.net, ng.datasets.xor())


def test_train_on_a_csv_file_with_label_column(tmp_path):
    csv = tmp_path / "pts.csv"
    rows = ["kind,x,y"] + ["%s,%d,%d" % ("lo" if x + y < 5 else "hi", x, y)
                           for x in range(5) for y in range(5)]
    csv.write_text("\n".join(rows) + "\n")
    proc = run("train", "--data", csv, "--label", "kind", "--layers", "4", "--epochs", "2",
               "--batch-size", "5", "--test", "0.2", "--optimizer", "sgd", "--momentum", "0.5",
               "--save", tmp_path / "m.json")
    assert proc.returncode == 0, proc.stderr
    assert "test accuracy" in proc.stdout
    net = ng.load(tmp_path / "m.json")
    assert len(net.inputs) == 2 and len(net.outputs) == 2   # two classes: softmax pair


def test_info(model):
    proc = run("info", model)
    assert proc.returncode == 0, proc.stderr
    assert "Net(2-3-1" in proc.stdout and "Adam" in proc.stdout
    assert "epochs: 150" in proc.stdout and "outputs: o1" in proc.stdout


def test_gradcheck_ok(model):
    proc = run("gradcheck", model, "--input", "1,0", "--target", "1")
    assert proc.returncode == 0, proc.stderr
    assert "ok: all 13 gradients agree" in proc.stdout
    assert "i1->h1_1" in proc.stdout


def test_gradcheck_failure_exits_1(tmp_path):
    # relu at its kink z = 0: backward uses f'(0) = 0, central differences see 1/2
    net = ng.Net()
    x = net.add_input("x")
    y = net.add_neuron("y", activation="relu", bias=0.0)
    net.connect(x, y, 1.0, name="w")
    net.save(tmp_path / "kink.json")
    proc = run("gradcheck", tmp_path / "kink.json", "--input", "0", "--target", "1")
    assert_user_error(proc, 1, "gradient check failed")
    assert "NO" in proc.stdout


def test_draw(model, tmp_path):
    svg = tmp_path / "net.svg"
    proc = run("draw", model, "-o", svg)
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(str(svg)).getroot()
    assert root.tag.endswith("svg")
    proc = run("draw", model, "-o", "-", "--input", "1,0", "--target", "1")
    assert proc.returncode == 0, proc.stderr
    assert ET.fromstring(proc.stdout).tag.endswith("svg")


def test_explain_mazur_formats():
    proc = run("explain", "mazur", "w5")
    assert proc.returncode == 0, proc.stderr
    assert "0.082167041" in proc.stdout and "0.358916480" in proc.stdout
    md = run("explain", "mazur", "w1", "--format", "markdown")
    assert md.returncode == 0 and "```" in md.stdout
    tex = run("explain", "mazur", "h1", "--format", "latex")
    assert tex.returncode == 0 and "\\begin{align" in tex.stdout


def test_explain_saved_model(model):
    proc = run("explain", model, "--input", "1,0", "--target", "1", "h1_2->o1", "--lr", "0.5")
    assert proc.returncode == 0, proc.stderr
    net = ng.load(model)
    net.forward([1.0, 0.0])
    net.backward([1.0])
    assert str(net.explain("h1_2->o1", lr=0.5)) in proc.stdout


@pytest.mark.parametrize("args,words", [
    (["frobnicate"], ["invalid choice"]),
    (["train"], ["--data"]),
    (["train", "--data", "iris", "--optimizer", "rmsprop"], ["rmsprop"]),
    (["train", "--data", "iris", "--layers", "8,x"], ["--layers"]),
    (["train", "--data", "iris", "--epochs", "many"], ["--epochs"]),
    (["train", "--data", "no-such-file.csv"], ["no-such-file.csv"]),
    (["train", "--data", "xor", "--save", "/no/such/folder/m.json"], ["no folder"]),
    (["train", "--data", "xor", "--activation", "sigmod"], ["--activation", "'sigmoid'"]),
    (["train", "--data", "xor", "--loss", "hinge"], ["--loss", "hinge"]),
    (["explain", "mazur", "w9"], ["'w9'"]),
    (["explain", "mazur"], ["PARAM"]),
    (["explain", "mazur", "w5", "--input", "1,2"], ["drop --input"]),
    (["explain", "mazur", "w5", "--format", "pdf"], ["pdf"]),
    (["draw", "model.json"], ["-o"]),
    (["info"], ["MODEL.json"]),
])
def test_bad_arguments_exit_2(args, words):
    assert_user_error(run(*args), 2, *words)


def test_bad_sample_arguments(model):
    assert_user_error(run("gradcheck", model), 2, "--input and --target")
    assert_user_error(run("gradcheck", model, "--input", "1,", "--target", "1"), 2, "--input")
    assert_user_error(run("gradcheck", model, "--input", "1,x", "--target", "1"), 2, "'x'")
    assert_user_error(run("gradcheck", model, "--input", "1,2,3", "--target", "1"), 1,
                      "3 numbers", "2 inputs")
    assert_user_error(run("explain", model, "--input", "1,0", "--target", "1", "nope"), 2,
                      "'nope'")
    assert_user_error(run("gradcheck", model, "--input", "1,0", "--target", "1",
                          "--loss", "mse2"), 2, "mse2")


@pytest.mark.parametrize("command", ["info", "draw", "gradcheck", "explain"])
def test_bad_model_file_exits_1(command, bad_model, tmp_path):
    extra = {"info": [], "draw": ["-o", tmp_path / "x.svg"],
             "gradcheck": ["--input", "1,0", "--target", "1"],
             "explain": ["--input", "1,0", "--target", "1", "o1"]}[command]
    proc = run(command, bad_model, *extra)
    assert_user_error(proc, 1, "bad.json", "neurons[0].activation", "sigmod")
    assert not (tmp_path / "x.svg").exists()


def test_missing_and_non_json_model_files_exit_1(tmp_path):
    assert_user_error(run("info", tmp_path / "nothing.json"), 1, "nothing.json")
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x00\x01 not json")
    assert_user_error(run("info", junk), 1, "junk.json")


def test_bad_csv_exits_1(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("a,b,label\n1,2,x\n3,oops,y\n")
    assert_user_error(run("train", "--data", csv, "--epochs", "1"), 1, "oops")


@pytest.fixture(scope="module")
def iris_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-iris") / "iris.json"
    proc = run("train", "--data", "iris", "--layers", "4", "--epochs", "2", "--seed", "3",
               "--save", path)
    assert proc.returncode == 0, proc.stderr
    return path, proc.stdout


def test_train_scales_with_the_training_part_only(iris_model):
    path, stdout = iris_model
    ck = ng.load_checkpoint(path)
    train, test = ng.datasets.load_iris().split(test=0.2, seed=3)
    saved = ck.metadata["standardize"]
    for j in range(4):
        col = [x[j] for x in train.inputs]
        mean = sum(col) / len(col)
        assert saved["mean"][j] == pytest.approx(mean, rel=1e-14)
        assert saved["std"][j] == pytest.approx(
            (sum((v - mean) ** 2 for v in col) / len(col)) ** 0.5, rel=1e-12)
    everything = ng.datasets.Scaler.standardize(ng.datasets.load_iris())
    assert saved["mean"] != everything.shift             # not fitted on the test part
    scaler = ng.datasets.Scaler.from_dict(saved)
    acc = ng.accuracy(ck.net, scaler.apply(test))
    assert acc == ck.metadata["test_accuracy"]
    assert "test accuracy %.4f on 30" % acc in stdout


def test_scale_option_applies_the_saved_scaling_to_the_input(iris_model, model):
    path, _ = iris_model
    raw = [5.0, 3.4, 1.5, 0.2]
    scaled = ng.datasets.Scaler.from_dict(ng.load_checkpoint(path).metadata["standardize"]
                                          ).apply_one(raw)
    a = run("explain", path, "--input", ",".join(map(repr, raw)), "--target", "1,0,0",
            "--scale", "h1_2")
    b = run("explain", path, "--input=" + ",".join(map(repr, scaled)), "--target", "1,0,0",
            "h1_2")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert a.stdout == b.stdout
    c = run("explain", path, "--input", ",".join(map(repr, raw)), "--target", "1,0,0", "h1_2")
    assert c.stdout != a.stdout
    g = run("gradcheck", path, "--input", "5,3.4,1.5,0.2", "--target", "1,0,0", "--scale")
    assert g.returncode == 0 and "ok:" in g.stdout, g.stderr
    assert_user_error(run("explain", model, "--input", "1,0", "--target", "1", "--scale",
                          "h1_2->o1"), 2, "--scale", "no feature scaling")


def test_explain_mazur_honours_lr_and_loss():
    proc = run("explain", "mazur", "w5", "--lr", "0.1")
    assert proc.returncode == 0, proc.stderr
    assert "w5 - eta * dE/dw5 = 0.400000000 - 0.100000000 * 0.082167041" in proc.stdout
    ce = run("explain", "mazur", "w5", "--loss", "cross_entropy")
    assert ce.returncode == 0, ce.stderr
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    ex.net.backward(ex.y, loss="cross_entropy")
    assert str(ex.net.explain("w5", lr=0.5)) in ce.stdout      # Mazur's eta, the given loss
    assert "0.082167041" not in ce.stdout
    assert_user_error(run("explain", "mazur", "w5", "--loss", "nonsense"), 2,
                      "--loss", "nonsense")


@pytest.mark.parametrize("command,extra,words", [
    ("draw", ["-o", "-"], ["<svg", "w5 = 0.4"]),
    ("gradcheck", [], ["ok: all 10 gradients agree"]),
    ("info", [], ["Net(2-2-2", "outputs: o1, o2"]),
    ("explain", ["w5"], ["0.082167041"]),
])
def test_built_in_models_work_in_every_command(command, extra, words):
    from neurograph.cli import BUILTIN_MODELS
    assert BUILTIN_MODELS == ("mazur",)
    proc = run(command, "mazur", *extra)
    assert proc.returncode == 0, proc.stderr
    for w in words:
        assert w in proc.stdout
    if command in ("draw", "gradcheck"):
        assert_user_error(run(command, "mazur", *extra, "--input", "1,2", "--target", "1,0"),
                          2, "drop --input")


def test_built_in_name_draws_a_file(tmp_path):
    proc = run("draw", "mazur", "-o", tmp_path / "m.svg")
    assert proc.returncode == 0, proc.stderr
    assert "w5 = 0.4" in "".join(ET.parse(str(tmp_path / "m.svg")).getroot().itertext())


@pytest.mark.parametrize("value,item", [("abc,0.1", "'abc'"), ("0.05,nan", "'nan'"),
                                        ("1,inf", "'inf'")])
def test_malformed_number_lists_are_usage_errors(model, value, item):
    proc = run("gradcheck", model, "--input", value, "--target", "1")
    assert_user_error(proc, 2, "--input", item)
    proc = run("explain", model, "--input", "1,0", "--target", item.strip("'"), "o1")
    assert_user_error(proc, 2, "--target", item)


def test_output_paths_are_checked_before_any_work(tmp_path, model):
    folder = tmp_path / "out"
    folder.mkdir()
    proc = run("train", "--data", "xor", "--epochs", "1", "--save", folder)
    assert_user_error(proc, 2, "--save", str(folder), "folder")
    assert "training a" not in proc.stdout            # refused before training
    assert os.listdir(str(folder)) == [] and os.listdir(str(tmp_path)) == ["out"]
    proc = run("train", "--data", "xor", "--epochs", "1", "--save", tmp_path / "no" / "m.json")
    assert_user_error(proc, 2, "--save", "no folder")
    assert "training a" not in proc.stdout
    assert_user_error(run("draw", model, "-o", folder), 2, "-o", str(folder), "folder")
    assert_user_error(run("draw", "mazur", "-o", tmp_path / "no" / "m.svg"), 2, "no folder")
    assert os.listdir(str(folder)) == []
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(str(locked), 0o500)
    try:
        probe = locked / "probe"
        try:
            probe.write_text("x")            # root may write anyway: then try a system folder
            probe.unlink()
            locked = "/sys" if os.path.isdir("/sys") else None
        except OSError:
            pass
        if locked is not None:
            for args in (["train", "--data", "xor", "--epochs", "1", "--save"],
                         ["draw", "mazur", "-o"]):
                target = os.path.join(str(locked), "m.json")
                proc = run(*args, target)
                if proc.returncode == 2:
                    assert_user_error(proc, 2, target, "cannot write")
                    assert "training a" not in proc.stdout
                else:                        # a system folder we could write to after all
                    assert locked == "/sys"
    finally:
        os.chmod(str(tmp_path / "locked"), 0o700)


def test_train_saves_class_names_and_draw_writes_them_by_the_outputs(iris_model, tmp_path):
    path, _ = iris_model
    ck = ng.load_checkpoint(path)
    assert ck.metadata["class_names"] == ["setosa", "versicolor", "virginica"]
    proc = run("draw", path, "-o", tmp_path / "iris.svg")
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(str(tmp_path / "iris.svg")).getroot()
    labels = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")
              if t.get("class") == "output-label"]
    assert labels == ["setosa", "versicolor", "virginica"]


# ---------------------------------------------------------------------------
# recurrent models: --input and --target as time steps separated by ';'
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def elman_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-rnn") / "elman.json"
    ng.Net.elman([2, 3, 1], seed=0).save(str(path))
    return path


def test_gradcheck_of_a_recurrent_model_runs_through_time(elman_model):
    proc = run("gradcheck", elman_model, "--input", "0.5,0.5; 1,0; 0,1", "--target", "none; 1; 0")
    assert proc.returncode == 0, proc.stderr
    assert "ok: all 22 gradients agree with central differences" in proc.stdout
    assert "h1_1->h1_1" in proc.stdout


def test_explain_of_a_recurrent_model_sums_over_the_steps_and_reads_one_step(elman_model):
    steps = ("--input", "0.5,0.5; 1,0", "--target", "none; 1", "--digits", "6")
    proc = run("explain", elman_model, "h1_1->h1_1", *steps)
    assert proc.returncode == 0, proc.stderr
    assert "[BP4 through time: the sum over the 2 steps]" in proc.stdout
    net = ng.load(str(elman_model))
    net.forward_sequence([[0.5, 0.5], [1.0, 0.0]])
    net.backward_sequence([None, [1.0]])
    assert proc.stdout.splitlines()[3].split("=")[-1].strip() == "%.6f" % net["h1_1->h1_1"].grad
    proc = run("explain", elman_model, "h1_2", "--step", "0", *steps)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("delta_h1_2(0) = ")
    assert "%.6f" % net["h1_2"].at(0).delta in proc.stdout


def test_draw_of_a_recurrent_model_after_a_sequence(elman_model, tmp_path):
    out = tmp_path / "rnn.svg"
    proc = run("draw", elman_model, "-o", out, "--input", "0.5,0.5; 1,0", "--target", "1; 0")
    assert proc.returncode == 0, proc.stderr
    ET.parse(str(out))


@pytest.mark.parametrize("args, words", [
    (("--input", "0.5,0.5; 1,0", "--target", "1"), ("2 time steps", "--target has 1")),
    (("--input", "0.5,0.5; 1", "--target", "1; 1"), ("step 1", "2 inputs (i1, i2)")),
    (("--input", "0.5,0.5", "--target", "1,2"), ("step 0", "1 outputs (o1)")),
    (("--input", "0.5,0.5", "--target", "none"), ("no step with a target",)),
    (("--input", "0.5,x", "--target", "1"), ("step 0", "'x'")),
])
def test_malformed_steps_are_usage_errors(elman_model, args, words):
    assert_user_error(run("gradcheck", elman_model, *args), 2, *words)


def test_steps_and_step_are_refused_for_a_feed_forward_model(model):
    assert_user_error(run("gradcheck", model, "--input", "0,1; 1,0", "--target", "1; 0"), 2,
                      "';' separates time steps", "no delayed")
    assert_user_error(run("explain", model, "o1", "--step", "0", "--input", "0,1",
                          "--target", "1"), 2, "--step", "no delayed")


# -- usage errors before any work; numbers read with limits ------------------------------

@pytest.mark.parametrize("args,words", [
    (["explain", "mazur", "w5", "--digits", "100000000000"], ["--digits", "0 to 100"]),
    (["demo", "--epochs", "-1"], ["--epochs", ">= 1", "'-1'"]),
    (["train", "--data", "xor", "--lr", "-1"], ["--lr", ">= 0", "'-1'"]),
    (["train", "--data", "xor", "--lr", "nan"], ["--lr", "finite", "'nan'"]),
    (["train", "--data", "xor", "--lr", "1e400"], ["--lr", "'1e400'"]),
    (["train", "--data", "xor", "--momentum", "-1"], ["--momentum", ">= 0"]),
    (["train", "--data", "xor", "--activation", "softmax"], ["--activation softmax",
                                                            "not a hidden activation"]),
    (["train", "--data", "xor", "--optimizer", "adam", "--momentum", "0.5"], ["--momentum"]),
    (["train", "--data", "xor", "--output-activation", "softmax"], ["softmax", "1 output"]),
    (["train", "--data", "xor", "--output-activation", "relu", "--loss", "cross_entropy"],
     ["cross_entropy", "relu"]),
    (["train", "--data", "xor", "--test", "1"], ["--test", "[0, 1)"]),
    (["train", "--data", "xor", "--batch-size", "0"], ["--batch-size"]),
    (["explain", "mazur", "w5", "--lr", "-1"], ["--lr", ">= 0"]),
    (["explain", "mazur", "w5", "--step", "-2"], ["--step"]),
    (["serve", "--port", "70000"], ["--port", "0 to 65535"]),
    (["explain", "mazur", "w5", "--input"], ["--input needs comma-separated numbers"]),
])
def test_option_values_out_of_range_are_usage_errors_before_any_work(args, words):
    # (items 9 and 12) these printed a traceback, or exited 1 after starting work
    proc = run(*args)
    assert_user_error(proc, 2, *words)
    assert proc.stdout == ""                            # nothing was done


def test_a_learning_rate_of_0_trains_saves_and_loads(tmp_path):
    # (item 9) one rule, lr >= 0: `train --lr 0 --save` trained, then failed to save
    path = tmp_path / "m.json"
    proc = run("train", "--data", "xor", "--lr", "0", "--epochs", "1", "--save", path)
    assert proc.returncode == 0, proc.stderr
    ck = ng.load_checkpoint(path)
    assert ck.optimizer.lr == 0 and ck.net.to_dict() == ng.Net.dense(
        [2, 8, 1], output_activation="sigmoid", seed=0).to_dict()


def test_a_negative_first_number_needs_no_equals_sign(model):
    # (item 12) `--input -0.9,0.1` got argparse's bare "expected one argument"
    a = run("explain", model, "--input", "-0.9,0.1", "--target", "-1", "h1_2->o1")
    b = run("explain", model, "--input=-0.9,0.1", "--target=-1", "h1_2->o1")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert a.stdout == b.stdout


def test_a_short_number_that_would_hang_is_a_usage_error(tmp_path):
    # (item 5) --input of a Fraction model went through Fraction("1e100000000")
    net = ng.Net.dense([2, 1], activation="identity", number="Fraction", seed=0)
    path = tmp_path / "exact.json"
    net.save(path)
    proc = run("gradcheck", path, "--input", "1e100000000,0", "--target", "1")
    assert_user_error(proc, 2, "--input", "item 1", "power of ten of 100000000")
    proc = run("explain", path, "--input", "1,0", "--target", "1" * 120000, "o1")
    assert_user_error(proc, 2, "--target", "120000 characters")
