"""A worked example: the net of a published hand calculation, its sample, settings and numbers.

================================  ===========================================
name                              what it is
================================  ===========================================
``Example``                       net, x, y, lr, spec and the source's numbers
``load_spec(name)``               the bundled description (a dict)
``from_spec(spec, number=...)``   build a net from a JSON-style description
``build(spec, number=...)``       the :class:`Example` a description makes
================================  ===========================================

A description (``neurograph/textbook/data/NAME.json``) holds the wiring
(``network``), the parameters (strings, taken exactly), the sample
(``inputs`` and ``targets``, or ``sequence`` and ``target_sequence`` for a
recurrent net), the ``settings`` (loss, learning rate, optimizer, rounding,
number of updates), the ``source`` and the numbers it prints (``printed``,
keyed by quantity names such as ``"h1.delta"``, ``"w5.updated"``,
``"h.a@1"``), with the ``errata``: the printed numbers that are wrong, and
the right value.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> [round(a, 9) for a in ex.net.forward(ex.x)]
[0.75136507, 0.772928465]
>>> round(ex.net.backward(ex.y, loss=ex.loss), 9)
0.298371109
>>> ex.printed["w5.grad"], ex.source["author"]
('0.082167041', 'Matt Mazur')
"""

from __future__ import annotations

import contextlib
import json
from importlib import resources
from typing import Any, ContextManager, Dict, Iterator, List, NamedTuple, Optional

from ..core.arithmetic import number_text
from ..core.errors import FormatError, NameLookupError, suggest
from ..core.optim import SGD, Adam, Optimizer
from ..core.rounding import Rounding, rounding
from ..net import Net

__all__ = ["Example", "load_spec", "from_spec", "build", "mazur", "NAMES"]

#: The bundled descriptions, in catalog order.
NAMES = ("mazur", "toy_linear", "toy_sigmoid", "toy_relu", "softmax_regression", "softmax_sigmoid",
         "samsel_221", "xor_epochs", "adam_quadratic", "rnn_forward", "bptt_prachub", "bptt_thsis")


class Example(NamedTuple):
    """A worked example: the net, its sample, its settings and the numbers its source prints.

    ``x`` and ``y`` are the input and target (for a recurrent example, one
    list per time step, ``None`` for a step without a target); ``lr``,
    ``loss``, ``optimizer`` (``{"name": "sgd"}`` or ``{"name": "adam", ...}``),
    ``rounding`` (keywords of :func:`neurograph.rounding`, or None) and
    ``updates`` (how many forward, backward and update rounds the source
    works) are the settings; ``printed`` and ``errata`` map quantity names to
    the source's numbers and to the right value of those it got wrong;
    ``notation`` gives the source's own symbols.  An example that cycles
    through several samples (one update each, as an epoch of online
    training) lists them in ``samples``; ``x`` and ``y`` are the first.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> ex.x, ex.y, ex.lr
    ([0.05, 0.1], [0.01, 0.99], 0.5)
    >>> ex.spec["source"]["title"], ex.notation["h1.a"]
    ('A Step by Step Backpropagation Example', 'out_h1')
    """
    net: Net
    x: List[Any]
    y: List[Any]
    lr: Any
    spec: Dict[str, Any]
    name: str = ""
    description: str = ""
    loss: str = "half_sse"
    optimizer: Optional[Dict[str, Any]] = None
    rounding: Optional[Dict[str, Any]] = None
    updates: int = 1
    source: Optional[Dict[str, Any]] = None
    printed: Optional[Dict[str, str]] = None
    errata: Optional[Dict[str, str]] = None
    notation: Optional[Dict[str, str]] = None
    notes: str = ""
    samples: Optional[List[Any]] = None

    def sample(self, update: int = 1) -> Any:
        """The ``(x, y)`` worked in round *update* (from 1): the samples in turn, or x and y.

        >>> import neurograph as ng
        >>> ex = ng.textbook.get("xor_epochs")
        >>> ex.sample(2), ex.sample(6) == ex.sample(2)
        (([-1.0, 0.0, 1.0, -1.0], [1.0]), True)
        """
        if not self.samples:
            return self.x, self.y
        return self.samples[(update - 1) % len(self.samples)]

    def __repr__(self) -> str:
        """Three lines: the name and what it is, the source, the sample (the net is drawn by
        :meth:`_repr_svg_` in a notebook).

        >>> import neurograph as ng
        >>> print(repr(ng.textbook.mazur()))        # doctest: +ELLIPSIS
        <Example mazur: Mazur's 2-2-2 sigmoid net: forward, backward, one update
         source: Matt Mazur, "A Step by Step Backpropagation Example" (2015), the whole post, https://...
         sample: x = [0.05, 0.1], y = [0.01, 0.99]; 20 printed numbers, 0 errata>
        """
        def vec(v: Any) -> str:
            return "None" if v is None else "[%s]" % ", ".join(number_text(a) for a in v)
        if self.recurrent:
            sample = "%d time steps, x = %s" % (len(self.x), ", ".join(vec(v) for v in self.x))
        else:
            sample = "x = %s, y = %s" % (vec(self.x), vec(self.y))
            if self.samples:
                sample = "%d samples in turn, the first %s" % (len(self.samples), sample)
        if len(sample) > 90:
            sample = sample[:87] + "..."
        return "<Example %s: %s\n source: %s\n sample: %s; %d printed numbers, %d errata>" % (
            self.name, self.description, self.citation(), sample, len(self.printed or {}),
            len(self.errata or {}))

    def _repr_svg_(self) -> str:
        """The example's net as an SVG picture (what a notebook shows).

        >>> import neurograph as ng
        >>> ng.textbook.mazur()._repr_svg_().startswith("<svg")
        True
        """
        return self.net._repr_svg_()

    @property
    def recurrent(self) -> bool:
        """True for an example over time steps (``x`` is a list of steps)."""
        return "sequence" in self.spec

    def rounded(self) -> ContextManager[Any]:
        """The source's rounding rule as a context manager (does nothing when it has none, or
        when the source rounds its activations alone: see :meth:`written`).

        >>> import neurograph as ng
        >>> with ng.textbook.get("toy_sigmoid").rounded() as rule:
        ...     rule
        Rounding(places=3)
        """
        rule = dict(self.rounding or {})
        rule.pop("derivatives", None)
        rule.pop("exponentials", None)
        if not rule or rule.pop("only", None) == "a":
            return contextlib.nullcontext()
        return rounding(**rule)

    @contextlib.contextmanager
    def written(self, net: Optional[Net] = None) -> Iterator[Net]:
        """The source's way of writing numbers down, on *net* (default: its own) for the
        passes inside the block: its rounding rule (:meth:`rounded`); with
        ``"derivatives": True`` the factor f'(z) is written down rounded too before it
        multiplies; with ``"exponentials": True`` a softmax's terms e^(z - max z) are
        written down rounded before they are summed and divided; with ``"only": "a"`` the rule cuts each activation alone as the forward
        pass writes it (z and what follows computed from the numbers so written).

        >>> import neurograph as ng
        >>> ex = ng.textbook.get("rnn_forward")
        >>> with ex.written():
        ...     ex.net.forward_sequence(ex.x)
        [[0.753], [0.809], [0.708]]
        """
        net = self.net if net is None else net
        rule = dict(self.rounding or {})
        derivatives, only = rule.pop("derivatives", False), rule.pop("only", None)
        exponentials = rule.pop("exponentials", False)
        cut = Rounding(**rule) if rule else None
        system = net.number_system
        saved = [(n, n.f, n.df) for n in net.neurons if n.f is not None]

        def hook(event: str, obj: Any) -> None:
            if event == "forward":
                obj.a = system.round(obj.a, cut)

        for n, f, df in saved:
            if derivatives and df is not None:
                n.df = lambda v, df=df: system.round(df(v), cut)
            if exponentials and n.activation.name == "softmax":
                n.f = lambda v, f=f: system.round(f(v), cut)
        if only == "a":
            net._hooks.append(hook)
        try:
            with self.rounded():
                yield net
        finally:
            if only == "a":
                net._hooks.remove(hook)
            for n, f, df in saved:
                n.f, n.df = f, df

    def make_optimizer(self, net: Optional[Net] = None) -> Optional[Optimizer]:
        """The optimizer of the example's update for *net* (default: its own), or None.

        >>> import neurograph as ng
        >>> ng.textbook.get("adam_quadratic").make_optimizer()
        Adam(lr=0.1, steps=0)
        """
        net = self.net if net is None else net
        opt = self.optimizer
        if self.lr is None or opt is None:
            return None
        if opt["name"] == "adam":
            return Adam(net, lr=self.lr, betas=tuple(opt.get("betas", ("0.9", "0.999"))),
                        eps=opt.get("eps", "1e-8"))
        return SGD(net, lr=self.lr, momentum=opt.get("momentum", 0))

    def citation(self) -> str:
        """The source in one line: author, title, year, section and address.

        >>> import neurograph as ng
        >>> print(ng.textbook.mazur().citation())
        Matt Mazur, "A Step by Step Backpropagation Example" (2015), the whole post, https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/
        """
        s = self.source or {}
        year = " (%s)" % s["year"] if s.get("year") else ""
        section = ", %s" % s["section"] if s.get("section") else ""
        return '%s, "%s"%s%s, %s' % (s.get("author", "?"), s.get("title", "?"), year, section,
                                     s.get("url", ""))


def load_spec(name: str) -> Dict[str, Any]:
    """The bundled description of a worked example (``"mazur"``, ``"toy_relu"``, ...).

    >>> import neurograph as ng
    >>> spec = ng.textbook.load_spec("mazur")
    >>> spec["network"]["inputs"], spec["learning_rate"]
    (['i1', 'i2'], '0.5')
    """
    if name not in NAMES:
        raise NameLookupError("no bundled example named %r%s (known: %s)"
                              % (name, suggest(name, NAMES), ", ".join(NAMES)))
    try:
        text = resources.files(__package__).joinpath("data", name + ".json").read_text("utf-8")
    except FileNotFoundError:
        raise FormatError("the bundled example %r is missing from this installation "
                          "(neurograph/textbook/data/%s.json): reinstall neurograph"
                          % (name, name)) from None
    return json.loads(text)


def from_spec(spec: Dict[str, Any], number: Any = float) -> Net:
    """Build a net from a description like ``load_spec("mazur")``.

    ``network.inputs`` names the inputs; ``network.neurons`` gives each
    neuron's name, activation and bias parameter; ``network.edges`` the
    weights ``w`` from ``src`` to ``dst`` (``delay`` for a recurrent one);
    ``parameters`` their values (strings, taken exactly); ``frozen`` the
    parameters that are not trained; ``initial`` a neuron's activation
    before the first time step.

    >>> from decimal import Decimal
    >>> import neurograph as ng
    >>> spec = {"parameters": {"w": "0.5", "b": "1"}, "frozen": ["b"],
    ...         "network": {"inputs": ["x"], "edges": [{"src": "x", "dst": "y", "w": "w"}],
    ...                     "neurons": [{"name": "y", "act": "identity", "bias": "b"}]}}
    >>> net = ng.textbook.from_spec(spec, Decimal)
    >>> net.forward(["4"]), net["b"].trainable
    ([Decimal('3.0')], False)
    """
    net = Net(number=number)
    params = spec["parameters"]
    frozen = set(spec.get("frozen", ()))
    network = spec["network"]
    for name in network["inputs"]:
        net.add_input(name)
    for n in network["neurons"]:
        b = n.get("bias")
        if b is not None and b not in net:
            net.add_parameter(b, params[b], trainable=b not in frozen)
        net.add_neuron(n["name"], activation=n["act"], bias=net[b] if b is not None else None)
    for e in network["edges"]:
        net.connect(e["src"], e["dst"], params[e["w"]], name=e["w"],
                    trainable=e["w"] not in frozen, delay=e.get("delay", 0))
    for name, value in spec.get("initial", {}).items():
        net[name].initial = net.number_system.convert(value, "initial of neuron %r" % name)
    return net


def _vector(num: Any, values: Optional[Dict[str, str]], names: List[str], what: str) -> Any:
    if values is None:
        return None
    return [num.convert(values[n], "%s %s" % (what, n)) for n in names]


#: Mazur's printed numbers (mazur.json keeps his notation) under the quantity names.
_MAZUR = {"net_h1": "h1.z", "out_h1": "h1.a", "out_h2": "h2.a", "net_o1": "o1.z", "out_o1": "o1.a",
          "out_o2": "o2.a", "E_total": "loss", "dE_total/dout_o1": "o1.grad_a",
          "dE_o1/dnet_o1": "o1.delta", "dE_total/dw5": "w5.grad", "dE_total/dout_h1": "h1.grad_a",
          "dE_total/dw1": "w1.grad", "w1+": "w1.updated", "w2+": "w2.updated",
          "w3+": "w3.updated", "w4+": "w4.updated", "w5+": "w5.updated", "w6+": "w6.updated",
          "w7+": "w7.updated", "w8+": "w8.updated"}


def _mazur_spec(spec: Dict[str, Any]) -> Dict[str, Any]:
    """mazur.json in the gallery's form: settings, quantity names, notation."""
    spec = dict(spec)
    printed = {q: spec["printed"][k] for k, q in _MAZUR.items()}
    spec.update(name="mazur", description="Mazur's 2-2-2 sigmoid net: forward, backward, one update",
                settings={"loss": "half_sse", "lr": spec["learning_rate"], "optimizer": "sgd"},
                printed_as=printed, notation={q: k for k, q in _MAZUR.items()})
    spec["source"] = dict(spec["source"], year=2015, section="the whole post")
    return spec


def build(spec: Dict[str, Any], number: Any = float) -> Example:
    """The :class:`Example` a description makes, in the number type *number*.

    >>> import neurograph as ng
    >>> ex = ng.textbook.build(ng.textbook.load_spec("toy_relu"), "Fraction")
    >>> ex.net.forward(ex.x), ex.loss, ex.lr
    ([Fraction(-1, 2)], 'sse', Fraction(1, 10))
    """
    if spec.get("name") == "mazur_2-2-2_logistic":
        spec = _mazur_spec(spec)
    net = from_spec(spec, number)
    num = net.number_system
    samples = None
    inputs = spec["network"]["inputs"]
    outputs = spec["network"].get("outputs") or [n.name for n in net.outputs]
    if "sequence" in spec:
        x = [_vector(num, step, inputs, "input") for step in spec["sequence"]]
        y = [_vector(num, step, outputs, "target") for step in spec["target_sequence"]]
    elif "samples" in spec:
        samples = [(_vector(num, s["inputs"], inputs, "input"),
                    _vector(num, s["targets"], outputs, "target")) for s in spec["samples"]]
        x, y = samples[0]
    else:
        x = _vector(num, spec["inputs"], inputs, "input")
        y = _vector(num, spec["targets"], outputs, "target")
    st = spec.get("settings", {})
    lr = None if st.get("lr") is None else num.convert(st["lr"], "learning rate")
    optimizer = None if lr is None else {k: v for k, v in (
        ("name", st.get("optimizer", "sgd")), ("betas", st.get("betas")), ("eps", st.get("eps")),
        ("momentum", st.get("momentum"))) if v is not None}
    return Example(net, x, y, lr, spec, name=spec.get("name", ""),
                   description=spec.get("description", ""), loss=st.get("loss", "half_sse"),
                   optimizer=optimizer, rounding=st.get("rounding"), updates=st.get("updates", 1),
                   source=spec.get("source"), printed=dict(spec.get("printed_as", spec["printed"])),
                   errata=dict(spec.get("errata", {})), notation=dict(spec.get("notation", {})),
                   notes=spec.get("notes", ""), samples=samples)


def mazur(number: Any = float) -> Example:
    """Mazur's 2-2-2 example ("A Step by Step Backpropagation Example", 2015).

    Two inputs, two sigmoid hidden neurons sharing the bias ``b1``, two
    sigmoid outputs sharing ``b2``, half squared error and learning rate 0.5;
    the biases are not updated.  ``spec`` also holds every number the post
    prints in its own notation and 30-digit exact values.

    >>> from decimal import Decimal
    >>> ex = mazur(Decimal)
    >>> ex.net["w1"].weight, ex.lr
    (Decimal('0.15'), Decimal('0.5'))
    """
    return build(load_spec("mazur"), number)
