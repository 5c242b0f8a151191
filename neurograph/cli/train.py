"""``neurograph train``: a dense net trained on a bundled data set or a CSV file.

=================================  ======================================================
name                               what it is
=================================  ======================================================
``train_net(data, hidden, ...)``   split, scale, build, fit and evaluate (also the demo's)
``add_parser(sub)``                the ``train`` subcommand and its options
=================================  ======================================================

>>> import io
>>> from neurograph import datasets
>>> out = io.StringIO()
>>> net, opt, history, test_set, meta = train_net(
...     datasets.xor(), [3], "tanh", None, None, "adam", 0.05, None, 4, 5, 1, 0.0, False, out)
>>> out.getvalue().splitlines()[0]
'training a 2-3-1 net (tanh, sigmoid output, cross_entropy loss, adam) on 4 xor samples for 5 epochs'
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Dict, Optional, Sequence, TextIO, Tuple

from ..core.arithmetic import number_text
from ..core.optim import SGD
from ..net import Net
from .inputs import UsageError, check_name, check_output, setting, share, whole

__all__ = ["train_net", "add_parser"]


def train_net(data: Any, hidden: Sequence[int], activation: str, output_activation: Optional[str],
              loss: Optional[str], optimizer: str, lr: Optional[float], momentum: Optional[float],
              batch_size: int, epochs: int, seed: int, test: float, scale: bool,
              out: TextIO) -> Tuple[Net, Any, Any, Any, Dict[str, Any]]:
    """Split, scale, build, fit and evaluate; returns (net, optimizer, history, test, meta).

    *meta* is what ``train --save`` stores with the model: the data set, the
    seed, the scaling, the class names, the losses and accuracies.

    >>> import io
    >>> from neurograph import datasets
    >>> _, _, history, test_set, meta = train_net(
    ...     datasets.xor(), [3], "tanh", None, None, "sgd", 0.5, None, 4, 2, 1, 0.0, False,
    ...     io.StringIO())
    >>> len(history), test_set, meta["layers"]
    (2, None, [2, 3, 1])
    """
    from .. import datasets
    from ..core.optim import Adam
    from ..training import accuracy, confusion_matrix, fit
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
    output_activation, loss = _outputs(n_out, output_activation, loss)
    sizes = [train.n_features] + list(hidden) + [n_out]
    net = Net.dense(sizes, activation=activation, output_activation=output_activation,
                    seed=seed)
    if optimizer == "adam":
        if momentum is not None:
            raise UsageError("--momentum is for --optimizer sgd (Adam has --lr only here)")
        opt: Any = Adam(net, lr=0.001 if lr is None else lr)
    else:
        opt = SGD(net, lr=0.1 if lr is None else lr, momentum=momentum or 0)
    net._loss(loss)                             # (a loss that does not fit the outputs: now)
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
        out.write("final training loss %s, training accuracy %s\n"
                  % (number_text(last["loss"], digits=6),
                     number_text(last.get("accuracy", float("nan")), places=4)))
    if test_set is not None:
        acc = accuracy(net, test_set)
        meta["test_accuracy"] = acc
        out.write("test accuracy %s on %d held-out samples\n"
                  % (number_text(acc, places=4), len(test_set)))
        out.write(str(confusion_matrix(net, test_set)) + "\n")
    return net, opt, history, test_set, meta


def _outputs(n_out: int, output_activation: Optional[str], loss: Optional[str]
             ) -> Tuple[str, str]:
    """The output activation and loss, their defaults filled in for *n_out* outputs."""
    if output_activation is None:
        output_activation = "softmax" if n_out > 1 else "sigmoid"
    if loss is None:
        loss = "cross_entropy" if output_activation in ("softmax", "sigmoid") else "half_sse"
    return output_activation, loss


def _check_options(args: argparse.Namespace, hidden: Sequence[int]) -> None:
    """The options that cannot work, whatever the data: usage errors before any work."""
    from ..core.activations import activation
    check_name("activation", args.activation, "--activation")
    check_name("activation", args.output_activation, "--output-activation")
    check_name("loss", args.loss, "--loss")
    if hidden and activation(args.activation).name == "softmax":
        raise UsageError("--activation softmax: softmax normalises a group of output neurons, "
                         "so it is not a hidden activation; use --output-activation softmax and "
                         "a hidden activation such as tanh, relu or sigmoid")
    if args.optimizer == "adam" and args.momentum is not None:
        raise UsageError("--momentum is for --optimizer sgd (Adam has --lr only here)")


def _check_outputs(args: argparse.Namespace, data: Any) -> None:
    """The output activation and loss for the data's outputs: usage errors before training."""
    from ..core.errors import NeurographError
    n_out = len(data.targets[0])
    output_activation, loss = _outputs(n_out, args.output_activation, args.loss)
    try:
        Net.dense([data.n_features, n_out], output_activation=output_activation)._loss(loss)
    except NeurographError as e:
        raise UsageError("--output-activation %s, --loss %s for %d output%s (%s): %s" % (
            output_activation, loss, n_out, "" if n_out == 1 else "s", data.name, e)) from None


def _cmd_train(args: argparse.Namespace) -> int:
    from .. import datasets
    size = whole(1)
    try:
        hidden = [size(s) for s in args.layers.split(",")] if args.layers.strip() else []
    except argparse.ArgumentTypeError:
        raise UsageError("--layers must be comma-separated hidden-layer sizes, each a whole "
                         "number >= 1, such as 8,8; got %r" % args.layers) from None
    _check_options(args, hidden)
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
    _check_outputs(args, data)
    if args.save:
        check_output(args.save, "--save", "model.json")
    small = args.data == "xor"
    scale = not small if args.standardize is None else args.standardize
    test = 0.0 if small else args.test
    net, opt, history, test_set, meta = train_net(
        data, hidden, args.activation, args.output_activation, args.loss, args.optimizer,
        args.lr, args.momentum, args.batch_size, args.epochs, args.seed, test, scale, sys.stdout)
    if args.save:
        net.save(args.save, optimizer=opt, metadata=meta)
        sys.stdout.write("saved the net, its optimizer state and the run's settings to %s\n"
                         % args.save)
    return 0


def add_parser(sub: Any) -> None:
    """Add the ``train`` subcommand to *sub* (``ArgumentParser.add_subparsers()``).

    >>> p = argparse.ArgumentParser()
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["train", "--data", "iris", "--epochs", "5"])
    >>> args.data, args.epochs, args.optimizer, args.layers
    ('iris', 5, 'sgd', '8')
    """
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
    t.add_argument("--lr", type=setting("lr"), default=None,
                   help="learning rate, >= 0 (default: 0.1 for sgd, 0.001 for adam)")
    t.add_argument("--momentum", type=setting("momentum"), default=None,
                   help="SGD momentum, >= 0 (default: 0)")
    t.add_argument("--batch-size", type=whole(1), default=1,
                   help="samples per step (default: 1)")
    t.add_argument("--epochs", type=whole(1), default=20,
                   help="passes over the data (default: 20)")
    t.add_argument("--seed", type=whole(), default=0,
                   help="seed of the split, weights and shuffling")
    t.add_argument("--test", type=share(), default=0.2,
                   help="fraction held out for testing (default: 0.2; xor: none)")
    t.add_argument("--standardize", dest="standardize", action="store_true", default=None,
                   help="scale features to mean 0, std 1 on the training part (default, except xor)")
    t.add_argument("--no-standardize", dest="standardize", action="store_false",
                   help="use the features as they are")
    t.add_argument("--save", metavar="MODEL.json",
                   help="save the trained net, optimizer state and settings")
    t.set_defaults(func=_cmd_train)
