"""The ``neurograph`` command line (also ``python -m neurograph``).

==================================================  ==========================================
command                                             what it does
==================================================  ==========================================
``neurograph demo [--out DIR]``                     Mazur's example step by step, then a net
                                                    trained on iris: accuracy, confusion matrix
``neurograph train --data iris ... --save m.json``  train a dense net on a data set or CSV file
``neurograph explain mazur w5``                     the chain rule behind one gradient
``neurograph explain m.json --input .. --target .. w``  the same for a saved model
``neurograph draw m.json -o net.svg``               an SVG picture of a saved model (or mazur)
``neurograph gradcheck m.json --input .. --target ..``  backward against finite differences
``neurograph info m.json``                          what a model file holds
``neurograph serve [mazur|xor|iris|digits|m.json]``  a web page to watch back-propagation
==================================================  ==========================================

Every command has ``--help``.  Exit codes: 0 success, 2 usage error (bad
arguments), 1 bad data or model (a one-line message on stderr names it).

>>> from neurograph.cli import main
>>> main(["explain", "mazur", "w5"])
dE/dw5 = dE/d(out_o1) * d(out_o1)/d(net_o1) * d(net_o1)/dw5   [BP4, BP1]
       = 0.741365070 * 0.186815602 * 0.593269992
       = 0.082167041
d(out_o1)/d(net_o1) = out_o1 * (1 - out_o1)   [sigmoid']
                    = 0.751365070 * (1 - 0.751365070)
                    = 0.186815602
dE/d(out_o1) = 0.741365070   [loss gradient at output o1]
w5+ = w5 - eta * dE/dw5 = 0.400000000 - 0.500000000 * 0.082167041 = 0.358916480   [update]
0
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, TextIO, Tuple

from .core.errors import NeurographError
from .net import Net
from .core.optim import SGD
from . import textbook

__all__ = ["main", "build_parser", "mazur_walkthrough", "train_rounds", "BUILTIN_MODELS"]


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, r in enumerate(rows):
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
        if j == 0:
            out.write("  " + "  ".join("-" * w for w in widths) + "\n")


def _n(x: object, digits: int = 9) -> str:
    return "%.*f" % (digits, x) if isinstance(x, float) else str(x)


def train_rounds(net: Net, x: List[object], y: List[object], lr: object, rounds: int,
                 immediate: bool = False) -> None:
    """Online gradient descent on one sample, *rounds* times (``immediate``: update order of
    the first version of Mazur's script, each layer stepped before its error is passed back).

    >>> import neurograph as ng
    >>> from neurograph.cli import train_rounds
    >>> ex = ng.textbook.mazur()
    >>> train_rounds(ex.net, ex.x, ex.y, ex.lr, 1)
    >>> round(ex.net["w5"].weight, 8)
    0.35891648
    """
    opt = SGD(net, lr=lr)
    for _ in range(rounds):
        net.forward(x)
        if immediate:
            net.backward(y, loss="half_sse", after_layer=opt.step)
        else:
            net.backward(y, loss="half_sse")
            opt.step()
        net.zero_grad()


def mazur_walkthrough(out: TextIO = sys.stdout) -> None:
    """Print Mazur's 2-2-2 example: forward, backward, one update, 10,000 rounds.

    >>> import io
    >>> from neurograph.cli import mazur_walkthrough
    >>> out = io.StringIO()
    >>> mazur_walkthrough(out)
    >>> [line for line in out.getvalue().splitlines() if line.startswith("Total error")]
    ['Total error E = 1/2 sum (target - out)^2 = 0.298371109']
    """
    ex = textbook.mazur()
    net, x, y = ex.net, ex.x, ex.y
    w = out.write
    w("Mazur's 2-2-2 example (%s)\n" % ex.spec["source"]["title"])
    w("inputs i1=%s i2=%s, targets o1=%s o2=%s, eta=%s, biases b1/b2 shared and frozen\n\n"
      % (x[0], x[1], y[0], y[1], ex.lr))
    net.forward(x)
    w("Forward pass: z = sum(w * a) + b, a = sigmoid(z)\n")
    _table([("neuron", "layer", "z (net)", "a (out)")] + [
        (n.name, str(n.layer), "" if n.z is None else _n(n.z), _n(n.a)) for n in net.neurons], out)
    E = net.backward(y, loss="half_sse")
    w("\nTotal error E = 1/2 sum (target - out)^2 = %s\n\n" % _n(E))
    w("Backward pass: delta = dE/dz (BP1 outputs, BP2 hidden)\n")
    _table([("neuron", "dE/da", "delta")] + [
        (n.name, _n(n.grad_a), _n(n.delta)) for n in net.neurons if not n.is_input], out)
    from .explain import explain
    for name in ("w5", "w1"):
        w("\nWhy dE/d%s is what it is (the chain rule, numbers filled in):\n" % name)
        w(str(explain(net, name, lr=ex.lr)) + "\n")
    before = {c.name: c.weight for c in net.connections()}
    grads = {c.name: c.grad for c in net.connections()}
    SGD(net, lr=ex.lr).step()
    w("\nOne update: w+ = w - eta * dE/dw (BP4)\n")
    _table([("weight", "w", "dE/dw", "w+")] + [
        (c.name, _n(before[c.name], 2), _n(grads[c.name]), _n(c.weight)) for c in net.connections()],
        out)
    net.zero_grad()
    w("\nE after the first round: %s\n" % _n(net.loss(x, y), 9))
    train_rounds(net, x, y, ex.lr, 9999)
    outs = net.forward(x)
    w("After 10,000 rounds: E = %.9g, outputs %s %s\n" % (net.loss(x, y), _n(outs[0]), _n(outs[1])))
    old = textbook.mazur()
    train_rounds(old.net, old.x, old.y, old.lr, 10000, immediate=True)
    o2 = old.net.forward(old.x)
    w("\nThe post's last paragraph prints E = 0.000035085 and outputs 0.015912196 / 0.984065734:\n"
      "those come from updating w5..w8 before back-propagating through them. The same order\n"
      "here (update='immediate') gives E = %.9g, outputs %s %s.\n"
      % (old.net.loss(old.x, old.y), _n(o2[0]), _n(o2[1])))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

class UsageError(Exception):
    """Bad command-line arguments found after parsing (exit code 2)."""


#: The models every command that takes a model knows by name, besides model files.
BUILTIN_MODELS = ("mazur",)


class Loaded(NamedTuple):
    """A model named on the command line: a saved file, or a built-in example (``example``)."""
    net: Net
    optimizer: Any
    metadata: Dict[str, Any]
    example: Optional[textbook.Example]


def _load_model(name: str) -> Loaded:
    """The one loader of ``explain``, ``draw``, ``gradcheck`` and ``info``: a built-in name
    (see :data:`BUILTIN_MODELS`) or a model file written by ``train`` or ``net.save``."""
    if name in BUILTIN_MODELS:
        ex = getattr(textbook, name)()
        meta = {"example": name, "source": ex.spec.get("source", {}).get("title"),
                "learning_rate": ex.lr}
        return Loaded(ex.net, None, meta, ex)
    ck = Net.load_checkpoint(name)
    return Loaded(ck.net, ck.optimizer, ck.metadata, None)


def _numbers(text: str, net: Net, what: str) -> List[Any]:
    """Comma-separated numbers, converted exactly to the net's number type."""
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise UsageError("%s must be comma-separated numbers such as 0.05,0.1, got %r"
                         % (what, text))
    out = []
    for i, part in enumerate(parts):
        try:
            out.extend(net.number_system.vector([part], None, what))
        except NeurographError:
            raise UsageError("%s %s: item %d, %r, is not a finite number" % (
                what, text, i + 1, part)) from None
    return out


def _sample(args: argparse.Namespace, model: Loaded) -> Tuple[Any, Any]:
    """The sample of one forward and backward pass: the example's own, or --input/--target.

    For a recurrent model, a list of steps: ``--input "1,0; 0,1"`` (steps separated by
    ``;``) and one target per step, ``none`` for a step without a target
    (``--target "none; 1"``).
    """
    net, metadata = model.net, model.metadata
    _check_name("loss", args.loss, "--loss")
    if model.example is not None:
        if args.input is not None or args.target is not None or getattr(args, "scale", False):
            raise UsageError("'%s %s' uses the example's own input and target: drop --input, "
                             "--target and --scale" % (args.command, args.model))
        return model.example.x, model.example.y
    if args.input is None or args.target is None:
        raise UsageError("a model file needs --input and --target (comma-separated numbers) to "
                         "run a forward and backward pass")
    if net._ordered().delayed:
        return _steps(args, model)
    if ";" in args.input or ";" in args.target:
        raise UsageError("--input %r: ';' separates time steps, and %s has no delayed "
                         "(recurrent) connections: give one sample, comma-separated"
                         % (args.input, args.model))
    x = _numbers(args.input, net, "--input")
    y = _numbers(args.target, net, "--target")
    from .core.errors import ShapeError
    if len(x) != len(net.inputs):
        raise ShapeError("--input has %d numbers but the model has %d inputs (%s)"
                         % (len(x), len(net.inputs), ", ".join(n.name for n in net.inputs)))
    if len(y) != len(net.outputs):
        raise ShapeError("--target has %d numbers but the model has %d outputs (%s)"
                         % (len(y), len(net.outputs), ", ".join(n.name for n in net.outputs)))
    if getattr(args, "scale", False):
        saved = (metadata or {}).get("standardize")
        if saved is None:
            raise UsageError("--scale: %s has no feature scaling in its metadata (it was trained "
                             "with --no-standardize or not by 'neurograph train'); give --input "
                             "as the net takes it and drop --scale" % args.model)
        from .datasets import Scaler
        scaler = Scaler.from_dict(saved, [n.name for n in net.inputs], net.number_system.type)
        x = scaler.apply_one(x)
    return x, y


def _steps(args: argparse.Namespace, model: Loaded) -> Tuple[List[Any], List[Any]]:
    """A recurrent model's --input and --target: one list per time step (``;`` between)."""
    net = model.net
    if getattr(args, "scale", False):
        raise UsageError("--scale is for models that 'neurograph train' saved; %s is recurrent: "
                         "give --input as the net takes it" % args.model)
    xs_text = args.input.split(";")
    ys_text = args.target.split(";")
    if len(ys_text) != len(xs_text):
        raise UsageError("--input has %d time step%s but --target has %d: give one target per "
                         "step ('none' for a step without one), steps separated by ';'"
                         % (len(xs_text), "" if len(xs_text) == 1 else "s", len(ys_text)))
    xs, ys = [], []
    for t, (xt, yt) in enumerate(zip(xs_text, ys_text)):
        x = _numbers(xt, net, "--input, step %d," % t)
        if len(x) != len(net.inputs):
            raise UsageError("--input, step %d, has %d numbers but the model has %d inputs (%s)"
                             % (t, len(x), len(net.inputs), ", ".join(n.name for n in net.inputs)))
        xs.append(x)
        if yt.strip().lower() in ("none", "-", ""):
            ys.append(None)
            continue
        y = _numbers(yt, net, "--target, step %d," % t)
        if len(y) != len(net.outputs):
            raise UsageError("--target, step %d, has %d numbers but the model has %d outputs "
                             "(%s); 'none' for no target at that step" % (
                                 t, len(y), len(net.outputs),
                                 ", ".join(n.name for n in net.outputs)))
        ys.append(y)
    if all(y is None for y in ys):
        raise UsageError("--target has no step with a target ('none' at every step): give at "
                         "least one")
    return xs, ys


def _passes(net: Net, x: Any, y: Any, loss: str) -> None:
    """One forward and backward pass (through time for a recurrent model)."""
    if net._ordered().delayed:
        net.forward_sequence(x)
        net.backward_sequence(y, loss=loss)
    else:
        net.forward(x)
        net.backward(y, loss=loss)


def _check_name(kind: str, name: Optional[str], option: str) -> None:
    """An unknown activation or loss name is a usage error (exit code 2)."""
    if name is None:
        return
    from .core.activations import activation
    from .core.errors import NameLookupError
    from .core.losses import loss
    try:
        (activation if kind == "activation" else loss)(name)
    except NameLookupError as e:
        raise UsageError("%s: %s" % (option, e)) from None


def _check_output(path: str, option: str, example: str) -> None:
    """Refuse an output file that cannot be written, before any work is done: a folder, a
    file in a folder that does not exist, a place that is not a plain file, an unwritable
    folder (probed with a temporary file, as the atomic write needs one there)."""
    if os.path.isdir(path):
        raise UsageError("%s %s: that is a folder; name a file in it, such as %s"
                         % (option, path, os.path.join(path, example)))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError("%s %s: there is no folder %s" % (option, path, folder))
    if os.path.exists(path) and not os.path.isfile(path):
        raise UsageError("%s %s: that is not a plain file" % (option, path))
    import tempfile
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".neurograph-", suffix=".probe")
        os.close(fd)
        os.remove(probe)
    except OSError as e:
        raise UsageError("%s %s: cannot write in the folder %s (%s)"
                         % (option, path, folder, e.strerror or e)) from None


def _ensure_dir(path: str) -> None:
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError("--out %r exists and is not a folder" % path)
    os.makedirs(path, exist_ok=True)


def _train(data: Any, hidden: Sequence[int], activation: str, output_activation: Optional[str],
           loss: Optional[str], optimizer: str, lr: Optional[float], momentum: Optional[float],
           batch_size: int, epochs: int, seed: int, test: float, scale: bool,
           out: TextIO) -> Tuple[Net, Any, Any, Any, Dict[str, Any]]:
    """Split, scale, build, fit and evaluate; returns (net, optimizer, history, test, meta)."""
    from . import datasets
    from .core.optim import Adam
    from .training import accuracy, confusion_matrix, fit
    if len(data) < 2 or test <= 0:
        train, test_set = data, None
    else:
        train, test_set = data.split(test=test, seed=seed)
    meta: Dict[str, Any] = {"data": data.name, "samples": len(data), "seed": seed}
    if data.class_names is not None:
        meta["class_names"] = list(data.class_names)   # 'draw' writes them by the outputs
    if scale:
        # fitted on the training part only; the test part gets the same shift and scale
        if test_set is not None:
            train, test_set = datasets.standardize(train, test_set)
        else:
            (train,) = datasets.standardize(train)
        meta["standardize"] = train.scaler.to_dict()
    n_out = len(train.targets[0])
    if output_activation is None:
        output_activation = "softmax" if n_out > 1 else "sigmoid"
    if loss is None:
        loss = "cross_entropy" if output_activation in ("softmax", "sigmoid") else "half_sse"
    sizes = [train.n_features] + list(hidden) + [n_out]
    net = Net.dense(sizes, activation=activation, output_activation=output_activation,
                    seed=seed)
    if optimizer == "adam":
        if momentum is not None:
            raise UsageError("--momentum is for --optimizer sgd (Adam has --lr only here)")
        opt: Any = Adam(net, lr=0.001 if lr is None else lr)
    else:
        opt = SGD(net, lr=0.1 if lr is None else lr, momentum=momentum or 0)
    out.write("training a %s net (%s, %s output, %s loss, %s) on %d %s samples for %d epochs\n"
              % ("-".join(map(str, sizes)), activation, output_activation, loss, optimizer,
                 len(train), data.name, epochs))
    out.flush()
    history = fit(net, train, epochs=epochs, batch_size=batch_size, optimizer=opt, loss=loss,
                  seed=seed, verbose=None)
    last = history.rows[-1] if history.rows else {}
    meta.update({"epochs": len(history), "loss": loss, "layers": sizes,
                 "train_loss": last.get("loss"), "train_accuracy": last.get("accuracy")})
    if last:
        out.write("final training loss %.6g, training accuracy %.4f\n"
                  % (last["loss"], last.get("accuracy", float("nan"))))
    if test_set is not None:
        acc = accuracy(net, test_set)
        meta["test_accuracy"] = acc
        out.write("test accuracy %.4f on %d held-out samples\n" % (acc, len(test_set)))
        out.write(str(confusion_matrix(net, test_set)) + "\n")
    return net, opt, history, test_set, meta


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------

def _cmd_demo(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.out is not None:
        _ensure_dir(args.out)
    mazur_walkthrough(out)
    from . import datasets
    out.write("\n" + "=" * 72 + "\nNow a real data set: Fisher's iris flowers (150 samples, 4 "
              "measurements, 3 species).\n80% train the net, 20% are held out to test it.\n\n")
    iris = datasets.load_iris()
    net, opt, history, test_set, meta = _train(
        iris, [8], "tanh", "softmax", "cross_entropy", "adam", 0.02, None, 8, args.epochs,
        args.seed, 0.2, True, out)
    if args.out is not None:
        from .draw import history_svg, net_svg, write_svg
        ex = textbook.mazur()
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
        files = [("mazur.svg", net_svg(ex.net, title="Mazur's 2-2-2 net after one backward pass")),
                 ("iris-net.svg", net_svg(net, show=("weight",), title="iris net",
                                          output_labels=iris.class_names)),
                 ("iris-loss.svg", history_svg(history, title="iris: loss and accuracy"))]
        for name, svg in files:
            write_svg(svg, os.path.join(args.out, name))
        net.save(os.path.join(args.out, "iris-model.json"), optimizer=opt, metadata=meta)
        out.write("\nwrote %s and iris-model.json to %s\n"
                  % (", ".join(n for n, _ in files), args.out))
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from . import datasets
    try:
        hidden = [int(s) for s in args.layers.split(",")] if args.layers.strip() else []
    except ValueError:
        raise UsageError("--layers must be comma-separated hidden-layer sizes such as 8,8, got %r"
                         % args.layers) from None
    if any(h < 1 for h in hidden):
        raise UsageError("--layers: every hidden-layer size must be at least 1, got %r"
                         % args.layers)
    _check_name("activation", args.activation, "--activation")
    _check_name("activation", args.output_activation, "--output-activation")
    _check_name("loss", args.loss, "--loss")
    if args.epochs < 1 or args.batch_size < 1:
        raise UsageError("--epochs and --batch-size must be at least 1")
    if not 0 <= args.test < 1:
        raise UsageError("--test must be a fraction in [0, 1), got %r" % args.test)
    if args.data == "iris":
        data = datasets.load_iris()
    elif args.data == "digits":
        data = datasets.load_digits()
    elif args.data == "xor":
        data = datasets.xor()
    else:
        if not os.path.isfile(args.data):
            raise UsageError("--data must be iris, digits, xor or a CSV file; no file %r"
                             % args.data)
        label: Any = args.label if args.label is not None else -1
        data = datasets.load_csv(args.data, label=label)
    if args.label is not None and args.data in ("iris", "digits", "xor"):
        raise UsageError("--label is for CSV files; %s has its labels already" % args.data)
    if args.save:
        _check_output(args.save, "--save", "model.json")
    small = args.data == "xor"
    scale = not small if args.standardize is None else args.standardize
    test = 0.0 if small else args.test
    net, opt, history, test_set, meta = _train(
        data, hidden, args.activation, args.output_activation, args.loss, args.optimizer,
        args.lr, args.momentum, args.batch_size, args.epochs, args.seed, test, scale, sys.stdout)
    if args.save:
        net.save(args.save, optimizer=opt, metadata=meta)
        sys.stdout.write("saved the net, its optimizer state and the run's settings to %s\n"
                         % args.save)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain
    model = _load_model(args.model)
    net = model.net
    x, y = _sample(args, model)
    lr = args.lr
    if lr is None and model.example is not None:
        lr = model.example.lr           # Mazur's own eta (0.5) unless --lr says otherwise
    if args.name not in net:
        from .core.errors import NameLookupError
        try:
            net[args.name]
        except NameLookupError as err:
            raise UsageError(str(err)) from None
    if args.step is not None and not net._ordered().delayed:
        raise UsageError("--step: %s has no delayed (recurrent) connections; its passes have "
                         "no time steps" % args.model)
    _passes(net, x, y, args.loss)
    e = explain(net, args.name, lr=lr, digits=args.digits, step=args.step)
    if args.format == "markdown":
        text = e.markdown()
    elif args.format == "latex":
        text = e.latex()
    else:
        text = str(e)
    sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


def _cmd_draw(args: argparse.Namespace) -> int:
    from .draw import net_svg, write_svg
    if args.output != "-":
        _check_output(args.output, "-o", "net.svg")
    model = _load_model(args.model)
    net = model.net
    show: Tuple[str, ...] = ("weight",)
    if (model.example is not None or args.input is not None or args.target is not None
            or args.scale):
        x, y = _sample(args, model)
        _passes(net, x, y, args.loss)
        show = ("weight", "grad", "a", "delta")
    else:
        _check_name("loss", args.loss, "--loss")
    svg = net_svg(net, show=show, title=args.title,
                  output_labels=_class_names(model.metadata, net))
    if args.output == "-":
        sys.stdout.write(svg + ("" if svg.endswith("\n") else "\n"))
    else:
        write_svg(svg, args.output)
        sys.stdout.write("wrote %s (%d neurons, %d connections)\n"
                         % (args.output, len(net.neurons), len(net.connections())))
    return 0


def _class_names(metadata: Dict[str, Any], net: Net) -> Optional[List[str]]:
    """The class names ``train`` saved, when there is one per output neuron."""
    names = metadata.get("class_names")
    if (isinstance(names, list) and len(names) == len(net.outputs)
            and all(isinstance(n, str) for n in names)):
        return names
    return None


def _cmd_gradcheck(args: argparse.Namespace) -> int:
    from .gradcheck import gradcheck
    model = _load_model(args.model)
    net = model.net
    x, y = _sample(args, model)
    result = gradcheck(net, x, y, loss=args.loss)
    sys.stdout.write(result.table() + "\n")
    if not result.ok:
        w = result.worst
        sys.stderr.write("neurograph: error: gradient check failed for %d of %d parameters "
                         "(worst %s, relative error %.3g)\n"
                         % (len(result.failures()), len(result.rows), w.name, w.rel_error))
        return 1
    sys.stdout.write("ok: all %d gradients agree with central differences\n" % len(result.rows))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from .explain import summary
    ck = _load_model(args.model)
    net = ck.net
    w = sys.stdout.write
    w("%s: %s%s\n" % (args.model, repr(net), " named %r" % net.name if net.name else ""))
    w(summary(net) + "\n")
    w("inputs:  %s\n" % ", ".join(n.name for n in net.inputs))
    w("outputs: %s\n" % ", ".join(n.name for n in net.outputs))
    if ck.optimizer is not None:
        o = ck.optimizer
        w("optimizer: %r\n" % (o,))
    else:
        w("optimizer: none saved\n")
    if ck.metadata:
        w("metadata:\n")
        for k in sorted(ck.metadata):
            v = ck.metadata[k]
            text = repr(v)
            if len(text) > 70:
                text = text[:67] + "..."
            w("  %s: %s\n" % (k, text))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    """The playground page: print its URL first, open a browser, serve until Ctrl-C."""
    from .playground import EXAMPLES, example, model_file, serve
    if args.model in EXAMPLES:
        net, data, options = example(args.model)
    elif os.path.isfile(args.model):
        net, data, options = model_file(args.model)
    else:
        raise UsageError("MODEL must be %s or a model file; no file %r"
                         % (", ".join(EXAMPLES), args.model))
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be from 0 to 65535, got %d" % args.port)
    handle = serve(net, data, port=args.port, open_browser=False, host=args.host,
                              **options)
    sys.stdout.write(handle.url + "\n")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stdout.write("warning: listening on %s: anyone who can reach this address and has "
                         "the URL's token can change the net\n" % args.host)
    sys.stdout.write("serving %s; press Ctrl-C to stop\n" % options.get("title", args.model))
    sys.stdout.flush()
    if not args.no_browser:
        handle.open_browser()
    try:
        handle.wait()
    except KeyboardInterrupt:
        sys.stdout.write("stopped\n")
    finally:
        handle.stop()
    return 0


# ---------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------

def _add_sample_options(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--input", metavar="X1,X2,...",
                   help="input values, comma-separated (taken exactly in the model's number "
                   "type); for a recurrent model, time steps separated by ';'")
    p.add_argument("--target", metavar="Y1,Y2,...", help="target values, comma-separated; for a "
                   "recurrent model one per time step, separated by ';' ('none': no target)")
    p.add_argument("--loss", default="half_sse",
                   help="loss for the backward pass (default: half_sse)")
    p.add_argument("--scale", action="store_true",
                   help="--input holds the raw features: scale them with the mean and standard "
                   "deviation that 'train' fitted on its training part and saved in the model")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``neurograph`` command.

    >>> from neurograph.cli import build_parser
    >>> args = build_parser().parse_args(["train", "--data", "iris", "--epochs", "5"])
    >>> args.command, args.data, args.epochs, args.optimizer
    ('train', 'iris', 5, 'sgd')
    """
    p = argparse.ArgumentParser(prog="neurograph", description=(
        "A neural-network simulator in which every neuron is an object. With no command, runs "
        "the demo."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    d = sub.add_parser("demo", help="Mazur's worked example step by step, then iris",
                       description="Mazur's 2-2-2 example (forward table, the chain rule for w5 "
                       "and w1, one update, 10,000 rounds), then a net trained on the bundled "
                       "iris set: test accuracy and confusion matrix.")
    d.add_argument("--out", metavar="DIR", help="also write mazur.svg, iris-net.svg, "
                   "iris-loss.svg and iris-model.json to DIR")
    d.add_argument("--epochs", type=int, default=40, help="iris training epochs (default: 40)")
    d.add_argument("--seed", type=int, default=0, help="seed of the split, weights and shuffling")
    d.set_defaults(func=_cmd_demo)

    t = sub.add_parser("train", help="train a dense net on a data set or CSV file",
                       description="Train a fully connected net; prints the training progress, "
                       "test accuracy and confusion matrix, and optionally saves the model.")
    t.add_argument("--data", required=True, metavar="iris|digits|xor|FILE.csv",
                   help="a bundled data set or a CSV file with a header row")
    t.add_argument("--label", metavar="COL", help="the CSV column holding the class (default: "
                   "the last column)")
    t.add_argument("--layers", default="8", metavar="N,N,...",
                   help="hidden-layer sizes (default: 8; '' for none)")
    t.add_argument("--activation", default="sigmoid", help="hidden activation (default: sigmoid)")
    t.add_argument("--output-activation", default=None,
                   help="output activation (default: softmax for several classes, else sigmoid)")
    t.add_argument("--loss", default=None,
                   help="loss (default: cross_entropy for softmax/sigmoid outputs, else half_sse)")
    t.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd",
                   help="optimizer (default: sgd)")
    t.add_argument("--lr", type=float, default=None,
                   help="learning rate (default: 0.1 for sgd, 0.001 for adam)")
    t.add_argument("--momentum", type=float, default=None, help="SGD momentum (default: 0)")
    t.add_argument("--batch-size", type=int, default=1, help="samples per step (default: 1)")
    t.add_argument("--epochs", type=int, default=20, help="passes over the data (default: 20)")
    t.add_argument("--seed", type=int, default=0, help="seed of the split, weights and shuffling")
    t.add_argument("--test", type=float, default=0.2,
                   help="fraction held out for testing (default: 0.2; xor: none)")
    t.add_argument("--standardize", dest="standardize", action="store_true", default=None,
                   help="scale features to mean 0, std 1 on the training part (default, except xor)")
    t.add_argument("--no-standardize", dest="standardize", action="store_false",
                   help="use the features as they are")
    t.add_argument("--save", metavar="MODEL.json",
                   help="save the trained net, optimizer state and settings")
    t.set_defaults(func=_cmd_train)

    e = sub.add_parser("explain", help="the chain rule behind one gradient",
                       description="Run one forward and backward pass and show how dE/dPARAM "
                       "(or a neuron's delta) follows from the chain rule, numbers filled in.")
    e.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example (its own input and target), or a saved "
                   "model file")
    e.add_argument("name", metavar="PARAM", help="a parameter, connection or neuron name")
    _add_sample_options(e)
    e.add_argument("--lr", type=float, default=None,
                   help="also show the SGD update with this rate (mazur: 0.5 unless given)")
    e.add_argument("--digits", type=int, default=None, help="decimal places shown")
    e.add_argument("--step", type=int, default=None, metavar="T",
                   help="a recurrent model: explain a neuron's delta at time step T "
                   "(default: the last)")
    e.add_argument("--format", choices=("text", "markdown", "latex"), default="text",
                   help="output format (default: text)")
    e.set_defaults(func=_cmd_explain)

    dr = sub.add_parser("draw", help="an SVG picture of a saved model",
                        description="Draw a saved model as a standalone SVG file; with --input "
                        "and --target, also the activations, deltas and gradients of one pass.")
    dr.add_argument("model", metavar="mazur|MODEL.json",
                    help="'mazur' for Mazur's example after one pass, or a saved model file")
    dr.add_argument("-o", "--output", required=True, metavar="FILE.svg",
                    help="where to write the SVG ('-' for standard output)")
    dr.add_argument("--title", default=None, help="a title above the picture")
    _add_sample_options(dr)
    dr.set_defaults(func=_cmd_draw)

    g = sub.add_parser("gradcheck", help="check a saved model's gradients",
                       description="Compare back-propagated gradients with central differences "
                       "for every parameter (exit code 1 if any disagree).")
    g.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example, or a saved model file")
    _add_sample_options(g)
    g.set_defaults(func=_cmd_gradcheck)

    i = sub.add_parser("info", help="what a model file holds",
                       description="Show a saved model's layers, parameters, optimizer and "
                       "metadata.")
    i.add_argument("model", metavar="mazur|MODEL.json",
                   help="'mazur' for Mazur's example, or a saved model file")
    i.set_defaults(func=_cmd_info)

    sv = sub.add_parser("serve", help="a web page to watch back-propagation neuron by neuron",
                        description="Serve the playground page on this computer: the net drawn, "
                        "forward, backward, step and train buttons, the chain rule for every "
                        "number. Prints the page's URL (with its access token) first.")
    sv.add_argument("model", nargs="?", default="mazur", metavar="mazur|xor|iris|digits|MODEL.json",
                    help="a built-in model or a saved model file (default: mazur)")
    sv.add_argument("--port", type=int, default=0, help="port (default: 0, a free one)")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default: 127.0.0.1, this computer only)")
    sv.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    sv.set_defaults(func=_cmd_serve)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code.

    >>> from neurograph.cli import main
    >>> main(["info", "mazur"])
    mazur: Net(2-2-2: 6 neurons, 8 connections, 10 parameters, float)
    layer  neurons  activation  parameters  names
    0      2        input       0           i1, i2
    1      2        sigmoid     5           h1, h2
    2      2        sigmoid     5           o1, o2
    total: 6 neurons, 8 connections, 10 parameters (8 trainable, 2 frozen, 2 shared), float
    inputs:  i1, i2
    outputs: o1, o2
    optimizer: none saved
    metadata:
      example: 'mazur'
      learning_rate: 0.5
      source: 'A Step by Step Backpropagation Example'
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["demo"])
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        parser.exit(2, "%s %s: error: %s\n" % (parser.prog, args.command, e))
    except NeurographError as e:
        sys.stderr.write("neurograph: error: %s\n" % " ".join(str(e).split("\n")))
        return 1
    except BrokenPipeError:
        # the reader of our output went away (``neurograph demo | head``): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except OSError as e:
        where = "%s: " % e.filename if getattr(e, "filename", None) else ""
        sys.stderr.write("neurograph: error: %s%s\n" % (where, e.strerror or e))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("neurograph: interrupted\n")
        return 130
    return 0
