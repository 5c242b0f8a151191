"""The common mistakes of a hand calculation, each recomputed from the net's own numbers.

==============================  ===========================================================
mistake                         the wrong number it gives
==============================  ===========================================================
``missing_derivative``          delta = dE/da without the factor f'(z) (BP1/BP2)
``derivative_at_wrong_value``   f' taken at a instead of z, or at z instead of a
``sign``                        a - y and y - a swapped, or the whole number negated
``updated_weight``              BP2's sum w * delta with the weights already updated
``missing_path``                one term w * delta of BP2's sum left out
``missing_bias``                z without the bias b (and a = f(z) from it)
``update_sign``                 w + eta * grad instead of w - eta * grad
``missing_learning_rate``       w - grad: the learning rate left out
==============================  ===========================================================

:func:`candidates` lists, for one quantity, the wrong numbers each mistake
gives: it reads the numbers one round of the example wrote (a
:class:`~neurograph.textbook.passes.Round`) and changes the single term the
mistake changes; a gradient or an update takes its delta with the mistake in
it.  Nothing else of the walk is computed again.

>>> import neurograph as ng
>>> from neurograph.textbook.passes import Run, parse
>>> run = Run(ng.textbook.mazur())
>>> wrong = dict(candidates(run, parse("h1.delta")))
>>> round(wrong["missing_derivative"], 9), round(wrong["sign"], 9)
(0.036350306, -0.008771355)
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Tuple

from .passes import Quantity, Round, Run

__all__ = ["MISTAKES", "DESCRIPTIONS", "candidates"]

#: Every mistake, in the order a wrong answer is matched against them.
MISTAKES = ("missing_derivative", "derivative_at_wrong_value", "sign", "updated_weight",
            "missing_path", "missing_bias", "update_sign", "missing_learning_rate")

#: The diagnosis of each mistake, in words.
DESCRIPTIONS = {
    "missing_derivative": "the factor f'(z) is missing: delta = dE/da * f'(z), not dE/da alone",
    "derivative_at_wrong_value": "f' is taken at the wrong number (at a instead of z, or at z "
                                 "instead of a)",
    "sign": "the sign is flipped (a - y and y - a swapped, or the whole number negated)",
    "updated_weight": "BP2 used the weights after the update; the error travels back through "
                      "the weights the forward pass used",
    "missing_path": "one term w * delta of the sum over the outgoing connections is left out",
    "missing_bias": "the bias is left out of z = b + sum w * a",
    "update_sign": "the update went uphill: w + eta * grad instead of w - eta * grad",
    "missing_learning_rate": "the learning rate is left out: w - grad instead of "
                             "w - eta * grad",
}


class _At:
    """The numbers of one round at one time step, read through the net's objects."""

    def __init__(self, run: Run, r: Round, t: int) -> None:
        self.run, self.r, self.t, self.net = run, r, t, run.net

    def n(self, neuron: Any, i: int, t: Optional[int] = None) -> Any:
        return self.r.steps[self.t if t is None else t][neuron.name][i]

    def a_src(self, c: Any, t: Optional[int] = None) -> Any:
        """The activation connection *c* delivered at step *t* (its source's, delay steps
        before; the source's initial, or 0, before step 0)."""
        s = (self.t if t is None else t) - c.delay
        if s >= 0:
            return self.n(c.src, 1, s)
        init = c.src.initial
        return self.net.number_system.zero if init is None else init

    def fprime(self, n: Any, wrong: bool = False) -> Any:
        z, a = self.n(n, 0), self.n(n, 1)
        return n.df(a if n.df_of_a != wrong else z)

    def closed(self, n: Any) -> bool:
        """True when n's delta is not dE/da * f'(z): a softmax output, or a loss that cancels."""
        if n.group is not None:
            return True
        loss = self.net._ordered().bind_loss(self.net.number_system, self.run.example.loss)[0]
        return n.is_output and loss.cancels and loss.shortcut(n.activation.name) is not None

    def terms(self, n: Any, weights: Any = None, downstream: int = 2) -> List[Any]:
        """BP2's terms w * delta_k (or w * dE/da_k with downstream=3) of n at this step."""
        w = self.r.before if weights is None else weights
        out = [w[c.param.name] * self.n(c.dst, downstream) for c in n.outputs]
        for c in n.delayed_outputs:
            s = self.t + c.delay
            if s < len(self.r.steps):
                out.append(w[c.param.name] * self.n(c.dst, downstream, s))
        return out

    def loss_term(self, n: Any) -> Any:
        """dE/da less BP2's sum: the loss's own term of an output (0 for a hidden neuron)."""
        g = self.n(n, 3)
        for term in self.terms(n):
            g = g - term
        return g


def _total(start: Any, terms: List[Any]) -> Any:
    for v in terms:
        start = start + v
    return start


def _grad_a(at: _At, n: Any) -> Iterator[Tuple[str, Any]]:
    """The wrong dE/da of neuron n (the BP2 sum), mistake by mistake."""
    base, terms = at.loss_term(n), at.terms(n)
    if terms:
        yield "missing_derivative", _total(base, at.terms(n, downstream=3))
    yield "sign", -at.n(n, 3)
    if terms and at.r.after is not None:
        yield "updated_weight", _total(base, at.terms(n, at.r.after))
    if len(terms) + (base != 0) > 1:
        for term in terms:
            yield "missing_path", at.n(n, 3) - term


def _delta(at: _At, n: Any) -> Iterator[Tuple[str, Any]]:
    """The wrong delta of neuron n, mistake by mistake."""
    if n.is_input:
        return
    if at.closed(n):
        yield "sign", -at.n(n, 2)
        return
    fp = at.fprime(n)
    yield "missing_derivative", at.n(n, 3)
    yield "derivative_at_wrong_value", at.n(n, 3) * at.fprime(n, wrong=True)
    for mistake, g in _grad_a(at, n):
        if mistake == "missing_derivative":
            continue                      # (f' forgotten downstream: a mistake of dE/da)
        yield mistake, -at.n(n, 2) if mistake == "sign" else g * fp


def _forward(at: _At, n: Any, i: int) -> Iterator[Tuple[str, Any]]:
    """The wrong z (i = 0) or a (i = 1) of neuron n."""
    yield "sign", -at.n(n, i)
    b = n.bias
    if b is not None and not n.is_input and (i == 0 or n.group is None):
        z = at.n(n, 0) - at.r.before[b.name]
        yield "missing_bias", z if i == 0 else n.f(z)


def _grad(at: _At, name: str) -> Iterator[Tuple[str, Any]]:
    """The wrong gradient of parameter *name*: each use's delta (or a_src) with one mistake."""
    net, steps = at.net, range(len(at.r.steps))
    uses = [(u, t) for u in net[name].param.uses() for t in steps]
    right = at.r.grads[name]
    yield "sign", -right
    rows = []
    for u, t in uses:
        at_t = _At(at.run, at.r, t)
        dst = u.dst if hasattr(u, "dst") else u
        a = at_t.a_src(u) if hasattr(u, "dst") else net.number_system.one
        wrong = {}
        for mistake, d in _delta(at_t, dst):
            wrong.setdefault(mistake, []).append(d)
        rows.append((at_t.n(dst, 2), a, wrong))
    for mistake in MISTAKES:
        if mistake == "sign" or not any(mistake in w for _, _, w in rows):
            continue
        for choice in range(max(len(w.get(mistake, [])) for _, _, w in rows)):
            total = net.number_system.zero
            for d, a, w in rows:
                ds = w.get(mistake)
                total = total + (ds[min(choice, len(ds) - 1)] if ds else d) * a
            yield mistake, total


def _updated(at: _At, name: str) -> Iterator[Tuple[str, Any]]:
    """The wrong updated value of parameter *name*."""
    w, new, g = at.r.before[name], at.r.after[name], at.r.grads[name]
    ex = at.run.example
    plain = ex.optimizer and ex.optimizer["name"] == "sgd" and not ex.optimizer.get("momentum")
    yield "sign", -new
    if plain:                             # a wrong gradient carried into w - eta * grad
        for mistake, wrong in _grad(at, name):
            if mistake != "sign":
                yield mistake, w - ex.lr * wrong
    yield "update_sign", w + (w - new)
    yield "missing_learning_rate", w - g


def candidates(run: Run, q: Quantity) -> List[Tuple[str, Any]]:
    """``(mistake, wrong number)`` pairs for the quantity *q* of *run*, in the order of
    :data:`MISTAKES` (a mistake may give several numbers: one per left-out path).

    >>> import neurograph as ng
    >>> from neurograph.textbook.passes import Run, parse
    >>> run = Run(ng.textbook.mazur())
    >>> [m for m, _ in candidates(run, parse("w5.updated"))][-2:]
    ['update_sign', 'missing_learning_rate']
    """
    r = run.rounds[q.update - 1]
    at = _At(run, r, 0 if q.step is None else q.step)
    if q.attr == "loss":
        found = [("sign", -(r.loss if q.step is None else r.step_losses[q.step]))]
    elif q.attr in ("z", "a"):
        found = list(_forward(at, run.net[q.obj], 0 if q.attr == "z" else 1))
    elif q.attr == "delta":
        found = list(_delta(at, run.net[q.obj]))
    elif q.attr == "grad_a":
        found = list(_grad_a(at, run.net[q.obj]))
    elif q.attr == "grad":
        found = list(_grad(at, run.net[q.obj].param.name))
    else:
        found = list(_updated(at, run.net[q.obj].param.name))
    return sorted(found, key=lambda mv: MISTAKES.index(mv[0]))
