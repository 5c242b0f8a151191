"""Running code as the net computes: hooks, watchpoints, and the weights a backward pass used.

A hook is a callable ``hook(event, obj)`` on the net's list ``net._hooks``; the
walk calls it for each neuron of a "forward" or "backward" pass and with the
parameters of an optimizer's "before_step" and "step".  Every hook installed
here comes back as a :class:`HookHandle`, whose ``remove()`` takes it off (also
on leaving a ``with`` block).

=====================================  ==============================================
name                                   what it is
=====================================  ==============================================
:class:`HookHandle`                    an installed hook: ``active``, ``remove()``
``add_hook(net, fn, on=...)``          ``fn(event, obj)`` for every neuron/connection/parameter
``watch(obj, on=, when=, action=)``    a watchpoint on a neuron, connection or parameter
``remember(net)``                      keep the weights of the last backward pass across steps
=====================================  ==============================================

>>> import neurograph as ng
>>> net = ng.Net.dense([1, 1], activation="identity")
>>> names = []
>>> with ng.add_hook(net, lambda event, obj: names.append(obj.name), on="forward"):
...     _ = net.forward([1.0])
>>> names
['o1']
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Dict, Optional, Tuple

from ..core.errors import NameLookupError, TopologyError
from ..core.net import Connection, Net, Neuron, Parameter

__all__ = ["HookHandle", "add_hook", "watch", "remember"]


# ---------------------------------------------------------------------------
# Hooks: handles, net-level hooks, watchpoints
# ---------------------------------------------------------------------------

_EVENTS = ("forward", "backward", "before_step", "step")


def _events(on: Any) -> Tuple[str, ...]:
    try:
        evs = (on,) if isinstance(on, str) else tuple(on)
    except TypeError:
        raise NameLookupError("add_hook(on=%r): give an event or a list of events, some of %s"
                              % (on, ", ".join(_EVENTS))) from None
    for e in evs:
        if e not in _EVENTS:
            raise NameLookupError("unknown hook event %r: use one of %s" % (e, ", ".join(_EVENTS)))
    return evs


class HookHandle:
    """A hook installed on a net; ``remove()`` takes it off (also on leaving a ``with``).

    >>> import neurograph as ng
    >>> net, seen = ng.Net.dense([1, 1]), []
    >>> with net.add_hook(lambda event, obj: seen.append(obj.name), on="forward") as h:
    ...     _ = net.forward([1.0])
    >>> seen, h.active
    (['o1'], False)
    """

    def __init__(self, net: Net, hook: Callable[[str, Any], None], what: str) -> None:
        self.net = net
        self.hook = hook
        self.what = what
        net._hooks.append(hook)

    @property
    def active(self) -> bool:
        """True while the hook is installed on the net."""
        return any(h is self.hook for h in self.net._hooks)

    def remove(self) -> None:
        """Uninstall the hook (safe to call twice).

        >>> import neurograph as ng
        >>> h = ng.Net.dense([1, 1]).add_hook(print)
        >>> h.remove(); h.remove(); h.active
        False
        """
        hooks = self.net._hooks
        for i, h in enumerate(hooks):
            if h is self.hook:
                del hooks[i]
                return

    def __enter__(self) -> "HookHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()

    def __repr__(self) -> str:
        return "<HookHandle %s, %s>" % (self.what, "active" if self.active else "removed")


def add_hook(net: Net, fn: Callable[[str, Any], Any], on: Any = ("forward", "backward")) -> HookHandle:
    """Call ``fn(event, obj)`` for every neuron (and its incoming connections on "backward",
    every parameter on "before_step"/"step") as the net computes it.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity")
    >>> seen = []
    >>> h = net.add_hook(lambda event, obj: seen.append((event, obj.name)))
    >>> _ = net.forward([1.0]); _ = net.backward([0.0]); h.remove()
    >>> seen
    [('forward', 'o1'), ('backward', 'o1'), ('backward', 'i1->o1')]
    """
    if not isinstance(net, Net):
        raise TopologyError("add_hook needs a Net, got %r: call net.add_hook(fn)" % (net,))
    if not callable(fn):
        raise NameLookupError("add_hook(fn=%r): give a callable fn(event, obj), e.g. "
                              "lambda event, obj: print(event, obj.name)" % (fn,))
    evs = _events(on)

    def hook(event: str, obj: Any) -> None:
        if event not in evs:
            return
        if event in ("before_step", "step"):
            for p in obj:                 # the parameters the optimizer updates
                fn(event, p)
            return
        fn(event, obj)                    # the neuron the walk has just done
        if event == "backward":
            for c in obj.inputs:
                fn(event, c)
            for c in obj.delayed_inputs:
                fn(event, c)
    return HookHandle(net, hook, "add_hook(%s)" % getattr(fn, "__name__", "fn"))


def watch(target: Any, on: str = "forward", when: Optional[Callable[[Any], Any]] = None,
          action: Any = "break") -> HookHandle:
    """A watchpoint: on event *on*, if ``when(target)`` is true, run *action*.

    *target* is a Neuron, Connection or Parameter; *on* is "forward",
    "backward" or "step" (a connection is computed with its destination
    neuron).  *action* "break" enters the debugger with ``target`` at hand;
    a callable is called with the target.  Returns a handle with ``remove()``.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], activation="identity")
    >>> hits = []
    >>> h = net["o1"].watch(when=lambda n: n.a > 0, action=hits.append)
    >>> net["i1->o1"].weight = 1.0
    >>> _ = net.forward([-1.0]); _ = net.forward([2.0])
    >>> hits
    [Neuron(o1, layer 1, identity, z 2, a 2, delta None)]
    >>> h.remove()
    """
    if not isinstance(target, (Neuron, Connection, Parameter)):
        raise TopologyError("watch needs a Neuron, Connection or Parameter, got %r" % (target,))
    if on not in ("forward", "backward", "step"):
        raise NameLookupError("watch(on=%r): use 'forward', 'backward' or 'step'" % (on,))
    if not (action == "break" or callable(action)):
        raise NameLookupError("watch(action=%r): use 'break' or a callable" % (action,))
    if when is not None and not callable(when):
        raise NameLookupError("watch(when=%r): give a callable taking the watched object" % (when,))
    net = target.net
    if isinstance(target, Neuron):
        neuron: Optional[Neuron] = target
        params: Tuple[Any, ...] = ()
    elif isinstance(target, Connection):
        neuron, params = target.dst, (target.param,)
    else:
        neuron, params = None, (target,)
    if on in ("forward", "backward") and neuron is None:
        uses = target.uses()
        dsts = [u.dst if isinstance(u, Connection) else u for u in uses]
    else:
        dsts = [neuron] if neuron is not None else []

    def fire() -> None:
        if when is not None and not when(target):
            return
        if action == "break":
            watched = target  # noqa: F841  (in scope at the debugger prompt)
            builtins.breakpoint()
        else:
            action(target)

    def hook(event: str, obj: Any) -> None:
        if event != on:
            return
        if event == "step":               # obj: the parameters just updated
            if any(p is q for p in obj for q in params):
                fire()
            return
        if any(obj is d for d in dsts):   # obj: the neuron the walk has just done
            fire()
    return HookHandle(net, hook, "watch %s on %s" % (target.name, on))


# ---------------------------------------------------------------------------
# remember: keep the weights of the last backward pass across optimizer steps
# ---------------------------------------------------------------------------

class _Memory:
    """Hook saving each parameter's value before its first update after a forward pass."""

    def __init__(self, net: Net) -> None:
        self.net = net
        self.saved: Dict[Any, Any] = {}

    def __call__(self, event: str, obj: Any) -> None:
        if event == "forward":
            if self.saved:
                self.saved = {}
        elif event == "before_step":
            saved = self.saved
            for p in obj:
                if p not in saved:
                    saved[p] = p.value


def _memory(net: Net) -> Optional[_Memory]:
    """The net's remember hook, if it has one."""
    for h in net._hooks:
        if isinstance(h, _Memory):
            return h
    return None


def remember(net: Net) -> HookHandle:
    """Keep the weights the last backward pass used, so :func:`explain` works after a step.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> keep = ng.remember(ex.net)
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y); ng.SGD(ex.net, lr=ex.lr).step()
    >>> ex.net.explain("w5", lr=ex.lr).value == ex.net["w5"].grad
    True
    >>> keep.remove()
    """
    if not isinstance(net, Net):
        raise TopologyError("remember needs a Net, got %r: call ng.remember(net)" % (net,))
    mem = _memory(net)
    if mem is None:
        mem = _Memory(net)
        return HookHandle(net, mem, "remember")
    h = HookHandle.__new__(HookHandle)
    h.net, h.hook, h.what = net, mem, "remember"
    return h
