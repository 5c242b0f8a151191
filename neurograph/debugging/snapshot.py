"""A net's whole state, taken and put back: what gradcheck and explain's replay leave as it was.

:func:`~neurograph.debugging.gradcheck` runs many passes, and
:func:`~neurograph.debugging.explain` replays the last one to read the walk's
terms; afterwards the net must be exactly as it was, so that what is
explained next is still the user's last pass.  A :class:`Snapshot` keeps
every number and record a pass writes: each neuron's ``z``, ``a``,
``delta`` and ``grad_a`` (the inputs' too), each parameter's weight and
gradient, the last pass's loss and targets, the count of samples seen,
the last ``forward_sequence`` and every step's history, what the delayed
connections carry (their :class:`~neurograph.core.neuron.Past`), and the
hooks.

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
``Snapshot(net)``          everything a pass writes; ``restore()`` puts it back
``quietly(net)``           context manager: no hook of the net sees the passes inside
=========================  ==========================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> before = Snapshot(ex.net)
>>> _ = ex.net.forward([1.0, 1.0]); _ = ex.net.backward([0.0, 0.0], loss="mse")
>>> before.restore()
>>> round(ex.net["o1"].a, 9), ex.net._last_pass[0].name
(0.75136507, 'half_sse')
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, List

from ..core.net import Net

__all__ = ["Snapshot", "quietly"]


class Snapshot:
    """Every number and record of *net* that a pass writes; :meth:`restore` puts them back.

    >>> import neurograph as ng
    >>> rnn = ng.Net.elman([1, 2, 1], seed=0)
    >>> _ = rnn.forward_sequence([[1.0], [0.0]]); _ = rnn.backward_sequence([None, [1.0]])
    >>> s = Snapshot(rnn)
    >>> _ = rnn.forward_sequence([[0.5]]); _ = rnn.backward_sequence([[0.0]])
    >>> s.restore()
    >>> rnn._sequence.steps, len(rnn["o1"]._history)
    (2, 2)
    """

    def __init__(self, net: Net) -> None:
        self.net = net
        self.numbers = net._numbers()            # z, a, delta, grad_a; w, g; samples seen
        self.last = net._last                    # the last pass's loss and targets
        self.rounded = net._rounded              # and the rounding rules it ran under
        self.step = net.step
        self.hooks = list(net._hooks)
        seq = self.sequence = net._sequence
        self.sequence_fields = None if seq is None else (seq.targets, seq.loss, seq.truncate)
        #: each neuron's history list, its step records, and what each record held
        self.histories = [(n, n._history, list(n._history), [list(r) for r in n._history])
                          for n in net._neurons]
        pasts = {id(c.upstream): c.upstream for n in net._neurons for c in n.delayed_inputs}
        self.pasts = [(p, p.a, p.grad_a) for p in pasts.values()]

    def restore(self) -> None:
        """Put every number and record back as it was when the snapshot was taken."""
        net = self.net
        net._restore(self.numbers)
        net._last = self.last
        net._rounded = self.rounded
        net.step = self.step
        net._hooks[:] = self.hooks
        net._sequence = seq = self.sequence
        if seq is not None:
            seq.targets, seq.loss, seq.truncate = self.sequence_fields
        for n, history, records, values in self.histories:
            n._history = history
            history[:] = records
            for record, held in zip(records, values):
                record[:] = held
        for past, a, grad_a in self.pasts:
            past.a, past.grad_a = a, grad_a


@contextlib.contextmanager
def quietly(net: Net, *hooks: Any) -> Iterator[List[Any]]:
    """Inside, the net's hooks are *hooks* alone (none by default): a probe's passes are
    not seen by the user's watchpoints, traces or ``remember``.  The hooks come back after.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], seed=0)
    >>> seen = []
    >>> h = net.add_hook(lambda event, obj: seen.append(obj.name))
    >>> with quietly(net):
    ...     _ = net.forward([1.0])
    >>> seen, len(net._hooks)
    ([], 1)
    """
    saved = list(net._hooks)
    net._hooks[:] = hooks
    try:
        yield net._hooks
    finally:
        net._hooks[:] = saved
