"""What the commands take from the command line: a model, a sample, names, output files.

Every check here raises :class:`UsageError` (exit code 2) for arguments that
cannot work, before any work is done; bad data or a bad model file raise
neurograph's own errors (exit code 1).

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``UsageError``                 bad command-line arguments found after parsing (exit 2)
``BUILTIN_MODELS``             the models known by name, besides model files
``Loaded``                     a model: net, optimizer, metadata, the example (or None)
``load_model(name)``           a built-in name or a model file -> ``Loaded``
``read_sample(args, model)``   ``--input``/``--target`` (or the example's own) -> (x, y)
``run_passes(net, x, y, ..)``  one forward and backward pass (through time if recurrent)
``check_name(kind, name, ..)`` an unknown activation or loss is a usage error
``check_output(path, ..)``     refuse an output file that cannot be written
``ensure_dir(path)``           a folder for ``--out``, made when missing
``class_names(meta, net)``     the class names ``train`` saved, one per output
``whole(low, high)``           an option's type: a whole number in a range
``setting(name)``              an option's type: an optimizer setting by its rule (lr >= 0)
``share()``                    an option's type: a fraction in [0, 1)
``NUMBER_LISTS``               the options that take comma-separated numbers
=============================  ==========================================================

The option types are checked by argparse, so a bad value is a usage error
(exit code 2) before any work; their text is read by
:func:`~neurograph.core.arithmetic.parse_number` like every number.

>>> model = load_model("mazur")
>>> model.net, model.metadata["learning_rate"]
(Net(2-2-2: 6 neurons, 8 connections, 10 parameters, float), 0.5)
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from .. import textbook
from ..core.errors import NeurographError
from ..net import Net

__all__ = ["UsageError", "BUILTIN_MODELS", "Loaded", "load_model", "read_sample", "run_passes",
           "check_name", "check_output", "ensure_dir", "class_names", "whole", "setting",
           "share", "NUMBER_LISTS"]


class UsageError(Exception):
    """Bad command-line arguments found after parsing (exit code 2).

    >>> str(UsageError("--epochs must be at least 1"))
    '--epochs must be at least 1'
    """


#: The models every command that takes a model knows by name, besides model files.
BUILTIN_MODELS = ("mazur",)


class Loaded(NamedTuple):
    """A model named on the command line: a saved file, or a built-in example (``example``).

    >>> load_model("mazur").example.lr
    0.5
    """
    net: Net
    optimizer: Any
    metadata: Dict[str, Any]
    example: Optional[textbook.Example]


def load_model(name: str) -> Loaded:
    """The one loader of ``explain``, ``draw``, ``gradcheck`` and ``info``: a built-in name
    (see :data:`BUILTIN_MODELS`) or a model file written by ``train`` or ``net.save``.

    >>> load_model("mazur").metadata["source"]
    'A Step by Step Backpropagation Example'
    """
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
            out.append(net.number_system.convert(part, "item %d" % (i + 1)))
        except NeurographError as e:
            raise UsageError("%s %s: %s" % (what, _shown(text), e)) from None
    return out


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def read_sample(args: argparse.Namespace, model: Loaded) -> Tuple[Any, Any]:
    """The sample of one forward and backward pass: the example's own, or --input/--target.

    For a recurrent model, a list of steps: ``--input "1,0; 0,1"`` (steps separated by
    ``;``) and one target per step, ``none`` for a step without a target
    (``--target "none; 1"``).

    >>> from neurograph.cli import build_parser
    >>> args = build_parser().parse_args(["gradcheck", "mazur"])
    >>> read_sample(args, load_model("mazur"))
    ([0.05, 0.1], [0.01, 0.99])
    """
    net, metadata = model.net, model.metadata
    check_name("loss", args.loss, "--loss")
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
    from ..core.errors import ShapeError
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
        from ..datasets import Scaler
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


def run_passes(net: Net, x: Any, y: Any, loss: str) -> None:
    """One forward and backward pass (through time for a recurrent model).

    >>> model = load_model("mazur")
    >>> run_passes(model.net, model.example.x, model.example.y, "half_sse")
    >>> round(model.net["w5"].grad, 9)
    0.082167041
    """
    if net._ordered().delayed:
        net.forward_sequence(x)
        net.backward_sequence(y, loss=loss)
    else:
        net.forward(x)
        net.backward(y, loss=loss)


def check_name(kind: str, name: Optional[str], option: str) -> None:
    """An unknown activation or loss name is a usage error (exit code 2).

    >>> check_name("loss", "half_sse", "--loss")
    >>> check_name("activation", "sigmod", "--activation")   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.cli.inputs.UsageError: --activation: ...
    """
    if name is None:
        return
    from ..core.activations import activation
    from ..core.errors import NameLookupError
    from ..core.losses import loss
    try:
        (activation if kind == "activation" else loss)(name)
    except NameLookupError as e:
        raise UsageError("%s: %s" % (option, e)) from None


def check_output(path: str, option: str, example: str) -> None:
    """Refuse an output file that cannot be written, before any work is done: a folder, a
    file in a folder that does not exist, a place that is not a plain file, an unwritable
    folder (probed with a temporary file, as the atomic write needs one there).

    >>> import tempfile
    >>> check_output(tempfile.gettempdir(), "-o", "net.svg")   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.cli.inputs.UsageError: -o ...: that is a folder; name a file in it, such as .../net.svg
    """
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


def ensure_dir(path: str) -> None:
    """The folder *path* of ``--out``, made when it does not exist yet.

    >>> import os, tempfile
    >>> folder = os.path.join(tempfile.mkdtemp(), "pictures")
    >>> ensure_dir(folder); os.path.isdir(folder)
    True
    """
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError("--out %r exists and is not a folder" % path)
    os.makedirs(path, exist_ok=True)


def class_names(metadata: Dict[str, Any], net: Net) -> Optional[List[str]]:
    """The class names ``train`` saved, when there is one per output neuron.

    >>> net = Net.dense([4, 3])
    >>> class_names({"class_names": ["a", "b", "c"]}, net), class_names({}, net)
    (['a', 'b', 'c'], None)
    """
    names = metadata.get("class_names")
    if (isinstance(names, list) and len(names) == len(net.outputs)
            and all(isinstance(n, str) for n in names)):
        return names
    return None


# ---------------------------------------------------------------------------
# Option values: checked by argparse, before any work
# ---------------------------------------------------------------------------

#: The options that take comma-separated numbers (``main`` reads ``--input -0.9,0.1`` as
#: ``--input=-0.9,0.1``: argparse alone would take ``-0.9,0.1`` for an option).
NUMBER_LISTS = ("--input", "--target")


def whole(low: Optional[int] = None, high: Optional[int] = None) -> Any:
    """An argparse type: a whole number from *low* to *high* (None: no bound).

    >>> whole(1)("20"), whole(0, 100)("7")
    (20, 7)
    >>> whole(1)("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number >= 1, got '-1'
    """
    rule = ("from %d to %d" % (low, high) if high is not None and low is not None else
            ">= %d" % low if low is not None else "<= %d" % high if high is not None else "")

    def read(text: str) -> int:
        from fractions import Fraction
        from ..core.arithmetic import parse_number
        try:
            v = parse_number(text, Fraction, "value")
        except NeurographError:
            v = None
        if v is None or v.denominator != 1 or (low is not None and v < low) or (
                high is not None and v > high):
            raise argparse.ArgumentTypeError("must be a whole number%s, got %r"
                                             % (" " + rule if rule else "", _shown(text)))
        return int(v)
    read.__name__ = "whole number"
    return read


def setting(name: str) -> Any:
    """An argparse type: the optimizer setting *name* (``"lr"``, ``"momentum"``), checked by
    the rule every optimizer follows (:data:`neurograph.core.optim.SETTING_RULES`: a learning
    rate >= 0); the text itself is kept, to be taken exactly in the model's number type.

    >>> setting("lr")("0.5"), setting("lr")("0")
    ('0.5', '0')
    >>> setting("lr")("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number >= 0 (the rule of every optimizer), got '-1'
    """
    from ..core.arithmetic import FLOAT
    from ..core.optim import SETTING_RULES, check_setting

    def read(text: str) -> str:
        try:
            check_setting("SGD", name, text, FLOAT)
        except NeurographError:
            raise argparse.ArgumentTypeError("must be a finite number %s (the rule of every "
                                             "optimizer), got %r"
                                             % (SETTING_RULES[name], _shown(text))) from None
        return text
    read.__name__ = name
    return read


def share() -> Any:
    """An argparse type: a fraction in [0, 1) (``--test``), as a float.

    >>> share()("0.2")
    0.2
    >>> share()("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a fraction in [0, 1), such as 0.2, got '1'
    """
    def read(text: str) -> float:
        from ..core.arithmetic import parse_number
        try:
            v = parse_number(text, float, "value")
        except NeurographError:
            v = None
        if v is None or not 0 <= v < 1:
            raise argparse.ArgumentTypeError("must be a fraction in [0, 1), such as 0.2, got %r"
                                             % _shown(text))
        return v
    read.__name__ = "fraction"
    return read
