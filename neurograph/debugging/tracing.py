"""Recording every number a net computes: trace, Trace and TraceRow.

``with net.trace() as t:`` records each quantity as the walk computes it, in
the order of computation: the inputs, each neuron's ``z`` and ``a`` (forward),
its ``grad_a`` and ``delta`` and each gradient (backward), each parameter
before and after an optimizer step.  Every row names the equation that made it.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``trace(net, phases=, names=)``    a :class:`Trace` (context manager) of every quantity
:class:`Trace`                     ``rows``, ``filter()``, ``value()``, ``to_csv()``,
                                   ``to_markdown()``; in a notebook, a table of
                                   its first rows
:class:`TraceRow`                  sample, phase, name, quantity, value, equation, step
=================================  ==================================================

Values are written exactly in the CSV and Markdown tables (a float's ``repr``,
a Decimal's or Fraction's ``str``), or with ``to_markdown(digits=)`` decimal
places, by :func:`neurograph.core.arithmetic.number_text`.

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> with ex.net.trace(phases=["forward"], names=["o1"]) as t:
...     _ = ex.net.forward(ex.x)
>>> [(row.quantity, round(row.value, 6)) for row in t]
[('z', 1.105906), ('a', 0.751365)]
"""

from __future__ import annotations

import csv
import io
from typing import (Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Set,
                    Tuple)

from ..core import rounding
from ..core.arithmetic import number_text
from ..core.errors import NameLookupError, StateError, TopologyError
from ..core.net import Net
from ..files import write_atomically
from .hooks import HookHandle
from .tables import shared_parameters

__all__ = ["trace", "Trace", "TraceRow"]


class TraceRow(NamedTuple):
    """One recorded quantity (*step*: the time step of a sequence, else None).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace(names=["o1"]) as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> row = t.rows[-1]
    >>> row.phase, row.name, row.quantity, round(row.value, 9), row.equation
    ('backward', 'o1', 'delta', 0.138498562, 'BP1')
    """
    sample: int
    phase: str
    name: str
    quantity: str
    value: Any
    equation: str
    step: Optional[int] = None


class Trace:
    """Every quantity computed while recording: ``rows`` of :class:`TraceRow`.

    Use as ``with net.trace() as t:``.  Samples are numbered from 0 (one per
    forward pass, or one per ``forward_sequence``); "weight_before"/"weight_after" rows
    come from optimizer steps.  A recurrent net's rows carry their time step
    in ``step`` (None otherwise; the CSV and Markdown tables get a ``step``
    column when some row has one).  ``t.filter(name=, phase=, quantity=,
    sample=, step=)`` selects rows, ``t.value(name, quantity)`` reads one.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace() as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> round(t.value("o1", "delta"), 9)
    0.138498562
    >>> t.filter(name="h1", phase="forward").rows[0]  # doctest: +ELLIPSIS
    TraceRow(sample=0, phase='forward', name='h1', quantity='z', value=0.3775, equation='z = b + sum w * a_src', step=None)
    """

    def __init__(self, net: Optional[Net] = None, rows: Optional[List[TraceRow]] = None,
                 phases: Sequence[str] = ("forward", "backward", "step"),
                 names: Optional[Iterable[str]] = None) -> None:
        self.net = net
        self.rows: List[TraceRow] = list(rows or [])
        self.phases = _phases(phases)
        self.names = _names(names)
        self._handle: Optional[HookHandle] = None
        self._start = 0
        self._last_fwd: Any = -1
        self._shared: Dict[Any, int] = {}
        self._version = -1

    # -- recording -----------------------------------------------------------
    def __enter__(self) -> "Trace":
        if self.net is None:
            raise StateError("this Trace has no net to record: use net.trace()")
        self._start = self.net.samples_seen
        self._handle = HookHandle(self.net, self._hook, "trace")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _add(self, sample: int, phase: str, name: str, quantity: str, value: Any, eq: str) -> None:
        if self.names is None or name in self.names:
            self.rows.append(TraceRow(sample, phase, name, quantity, value, eq,
                                      self.net.step if self.net is not None else None))

    def _hook(self, event: str, obj: Any) -> None:
        if event == "forward":
            if "forward" in self.phases:
                self._forward(obj)
        elif event == "backward":
            if "backward" in self.phases:
                self._backward(obj)
        elif event in ("before_step", "step"):
            if "step" in self.phases:
                self._step(event, obj)

    def _forward(self, n: Any) -> None:
        """The inputs (once per pass), then neuron *n*'s z and a."""
        net = self.net
        assert net is not None
        s = net.samples_seen - self._start
        if (s, net.step) != self._last_fwd:
            self._last_fwd = (s, net.step)
            for i in net.inputs:
                self._add(s, "forward", i.name, "a", i.a, "input")
        self._add(s, "forward", n.name, "z", n.z, "z = b + sum w * a_src(t-d) + sum w * a_src"
                  if n.delayed_inputs else "z = b + sum w * a_src")
        self._add(s, "forward", n.name, "a", n.a, "a = %s(z)" % n.activation.name)

    def _shared_params(self) -> Dict[Any, int]:
        """The parameters used more than once (tied weights), with their number of uses."""
        net = self.net
        assert net is not None
        if self._version != net._version:
            self._shared = shared_parameters(net)
            self._version = net._version
        return self._shared

    def _backward(self, n: Any) -> None:
        """Neuron *n*'s grad_a and delta, its bias's and incoming connections' gradients."""
        net = self.net
        assert net is not None
        s = net.samples_seen - 1 - self._start
        shared = self._shared_params()
        bp = "BP1" if n.is_output else "BP2"
        self._add(s, "backward", n.name, "grad_a", n.grad_a,
                  "loss gradient" if n.is_output else "BP2: sum w * delta")
        self._add(s, "backward", n.name, "delta", n.delta, bp)
        if n.bias is not None:
            b = n.bias
            self._add(s, "backward", b.name, "grad" if b not in shared else
                      "grad via " + n.name, n.delta, "BP3")
        rnd = rounding.rounder(net.number_system)
        for c in n.inputs + n.delayed_inputs:
            q = "grad" if c.param not in shared else "grad via " + c.name
            g = c.local_grad         # this sample's share, rounded as backward rounds it
            self._add(s, "backward", c.param.name if c.param in shared else c.name, q,
                      g if rnd is None else rnd(g), "BP4" if not c.delay else
                      "BP4: delta * a_src(t-%d)" % c.delay)
        if shared and n is net._ordered().reverse[-1]:     # the walk's last neuron
            for p in shared:
                self._add(s, "backward", p.name, "grad", p.grad, "sum over uses")

    def _step(self, event: str, params: Any) -> None:
        """Each parameter's value before ("before_step") or after ("step") an update."""
        net = self.net
        assert net is not None
        s = net.samples_seen - 1 - self._start
        q = "weight_before" if event == "before_step" else "weight_after"
        for p in params:
            self._add(s, "step", p.name, q, p.value, "optimizer update" if event == "step" else "")

    # -- reading -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[TraceRow]:
        return iter(self.rows)

    def __repr__(self) -> str:
        samples = len({r.sample for r in self.rows})
        return "<Trace: %d rows, %d sample%s>" % (len(self.rows), samples, "" if samples == 1 else "s")

    #: How many rows a notebook shows (:meth:`_repr_markdown_`); the others are counted.
    SHOWN = 20

    def _repr_markdown_(self) -> str:
        """What a notebook shows: the first :attr:`SHOWN` rows as a Markdown table, then how
        many more there are.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace() as t:
        ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> print(t._repr_markdown_().splitlines()[-1])
        *... and 12 more rows (32 in all): `t.to_markdown()` or `t.to_csv(path)` has them all*
        """
        if not self.rows:
            return "*%s*" % repr(self).replace("<", "&lt;").replace(">", "&gt;")
        table = Trace(None, self.rows[:self.SHOWN]).to_markdown()
        more = len(self.rows) - self.SHOWN
        if more <= 0:
            return table
        return table + "\n*... and %d more row%s (%d in all): `t.to_markdown()` or " \
            "`t.to_csv(path)` has them all*" % (more, "" if more == 1 else "s", len(self.rows))

    def filter(self, name: Any = None, phase: Any = None, quantity: Any = None,
               sample: Optional[int] = None, step: Optional[int] = None) -> "Trace":
        """The rows matching every given criterion (a name or list of names, ...).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace() as t:
        ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> [(r.name, r.quantity) for r in t.filter(name=["o1", "w5"], phase="backward")]
        [('o1', 'grad_a'), ('o1', 'delta'), ('w5', 'grad')]
        """
        def ok(v: Any, want: Any) -> bool:
            if want is None:
                return True
            if isinstance(want, str) or isinstance(want, int):
                return v == want
            return v in want
        rows = [r for r in self.rows if ok(r.name, name) and ok(r.phase, phase)
                and ok(r.quantity, quantity) and ok(r.sample, sample) and ok(r.step, step)]
        return Trace(None, rows)

    def value(self, name: str, quantity: str, sample: int = 0, step: Optional[int] = None) -> Any:
        """The first recorded value of *quantity* of *name* in *sample* (at time *step*).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace() as t:
        ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> round(t.value("h1", "a"), 9), round(t.value("w5", "grad"), 9)
        (0.593269992, 0.082167041)
        """
        for r in self.rows:
            if r.name == name and r.quantity == quantity and r.sample == sample and (
                    step is None or r.step == step):
                return r.value
        raise NameLookupError("the trace has no %r of %r in sample %d (quantities of %r: %s)" % (
            quantity, name, sample, name, ", ".join(sorted({r.quantity for r in self.rows
                                                            if r.name == name})) or "none"))

    def to_csv(self, path: Any = None) -> str:
        """CSV text ``sample,phase,name,quantity,value,equation``; written to *path* if given.

        >>> import neurograph as ng, os, tempfile
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace(names=["h1"]) as t:
        ...     _ = ex.net.forward(ex.x)
        >>> path = os.path.join(tempfile.mkdtemp(), "h1.csv")
        >>> print(t.filter(quantity="z").to_csv(path), end="")
        sample,phase,name,quantity,value,equation
        0,forward,h1,z,0.3775,z = b + sum w * a_src
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        steps = any(r.step is not None for r in self.rows)
        w.writerow(TraceRow._fields if steps else TraceRow._fields[:-1])
        for r in self.rows:
            w.writerow([r.sample, r.phase, r.name, r.quantity, number_text(r.value), r.equation]
                       + (["" if r.step is None else r.step] if steps else []))
        text = buf.getvalue()
        if path is not None:                       # whole or not at all (FileError if not)
            write_atomically(path, text.encode("utf-8"))
        return text

    def to_markdown(self, digits: Optional[int] = None) -> str:
        """A Markdown table of the rows (values with *digits* decimals if given).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> with ex.net.trace(names=["h1"]) as t:
        ...     _ = ex.net.forward(ex.x)
        >>> print(t.to_markdown(digits=4), end="")
        | sample | phase | name | quantity | value | equation |
        | ---: | --- | --- | --- | ---: | --- |
        | 0 | forward | h1 | z | 0.3775 | z = b + sum w * a_src |
        | 0 | forward | h1 | a | 0.5933 | a = sigmoid(z) |
        """
        steps = any(r.step is not None for r in self.rows)
        out = ["| sample | phase | name | quantity | value | equation |" + (" step |" if steps else ""),
               "| ---: | --- | --- | --- | ---: | --- |" + (" ---: |" if steps else "")]
        for r in self.rows:
            out.append("| %d | %s | %s | %s | %s | %s |" % (
                r.sample, r.phase, r.name.replace("|", r"\|"), r.quantity,
                number_text(r.value, places=digits),
                r.equation.replace("|", r"\|")) + (
                    (" %s |" % ("" if r.step is None else r.step)) if steps else ""))
        return "\n".join(out) + "\n"


_PHASES = ("forward", "backward", "step")


def _phases(phases: Any) -> Tuple[str, ...]:
    """*phases* checked: a phase or a list of phases, each forward, backward or step."""
    if isinstance(phases, str):
        phases = (phases,)
    try:
        out = tuple(phases)
    except TypeError:
        raise NameLookupError("trace(phases=%r): give a list of phases, some of forward, "
                              "backward and step, e.g. phases=['backward']" % (phases,)) from None
    for p in out:
        if p not in _PHASES:
            raise NameLookupError("unknown trace phase %r: use forward, backward or step" % (p,))
    return out


def _names(names: Any) -> Optional[Set[str]]:
    """*names* checked: None (every object), a name, or a list of names."""
    if names is None:
        return None
    if isinstance(names, str):
        return {names}
    try:
        out = set(names)
    except TypeError:
        out = None
    if out is None or not all(isinstance(n, str) for n in out):
        raise NameLookupError("trace(names=%r): give a list of names of neurons, connections "
                              "or parameters, e.g. names=['h1', 'w5'], or None for all"
                              % (names,))
    return out


def trace(net: Net, *, phases: Sequence[str] = ("forward", "backward", "step"),
          names: Optional[Iterable[str]] = None) -> Trace:
    """A :class:`Trace` recording *net* while used as a context manager.

    *phases* limits what is recorded (a phase or a list of them: forward,
    backward, step); *names* limits it to some objects (a name or a list).

    ``net.trace(...)`` is this function.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity", seed=0)
    >>> net["i1->o1"].weight = 2.0
    >>> with net.trace(phases=["forward"]) as t:
    ...     _ = net.forward([3.0])
    >>> [(row.name, row.quantity, row.value) for row in t.rows]
    [('i1', 'a', 3.0), ('o1', 'z', 6.0), ('o1', 'a', 6.0)]
    """
    if not isinstance(net, Net):
        raise TopologyError("trace needs a Net, got %r" % (net,))
    return Trace(net, phases=phases, names=names)
