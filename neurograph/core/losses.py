"""Loss functions: how far the outputs ``a`` are from the targets ``y``.

A :class:`Loss` gives the value ``C(a, y)`` and the gradient ``dC/da``, one
number per output.  Where an output activation and a loss cancel in the
chain rule, the output error is computed directly (BP1 in closed form):

=========================  =====================================  =================================
name                       C(a, y)                                 output delta
=========================  =====================================  =================================
``half_sse``               1/2 sum (a - y)^2  (Mazur, Nielsen)     (a - y) f'(z)
``sse``                    sum (a - y)^2                          2 (a - y) f'(z)
``mse``                    1/n sum (a - y)^2                      2/n (a - y) f'(z)
``binary_cross_entropy``   -sum [y ln a + (1 - y) ln(1 - a)]      a - y with sigmoid outputs
``cross_entropy``          softmax outputs: -sum y ln a           a * sum(y) - y (a - y one-hot)
                           other outputs: the binary form above    a - y with sigmoid outputs
=========================  =====================================  =================================

Clipping: the cross-entropies evaluate ``ln`` at ``a`` clipped to
``[1e-12, 1 - 1e-12]``, so an output of exactly 0 or 1 gives a large finite
loss instead of ``log(0)``; the closed-form deltas above need no clipping.

>>> import neurograph as ng
>>> ng.loss("half_sse").value([0.75, 0.77], [0.01, 0.99])  # doctest: +ELLIPSIS
0.298...
>>> ng.loss("half_sse").gradient([0.75, 0.77], [0.01, 0.99])  # doctest: +ELLIPSIS
[0.74, -0.21...]
"""

from __future__ import annotations

from operator import sub
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .arithmetic import FLOAT, NumberSystem, system_for
from .errors import NameLookupError, NumberError, suggest

__all__ = ["Loss", "loss", "LOSSES", "half_sse", "sse", "mse", "binary_cross_entropy",
           "cross_entropy"]

Vector = Sequence[Any]
LossFunctions = Tuple[Callable[[Vector, Vector], Any], Callable[[Vector, Vector], List[Any]]]
#: Clip used inside the logarithms of the cross-entropies.
CLIP = "1e-12"


class Loss:
    """A loss ``f(outputs, targets)`` with its gradient ``dfda(outputs, targets)``.

    Both receive two equally long lists; ``dfda`` returns one number per output.

    >>> abs_loss = Loss("abs", lambda a, y: sum(abs(p - q) for p, q in zip(a, y)),
    ...                 lambda a, y: [1.0 if p > q else -1.0 for p, q in zip(a, y)])
    >>> abs_loss.value([0.5, 2.0], [1.0, 1.0])
    1.5
    """

    def __init__(self, name: str, f: Optional[Callable[[Vector, Vector], Any]] = None,
                 dfda: Optional[Callable[[Vector, Vector], List[Any]]] = None, *,
                 exact: Optional[bool] = None,
                 _factory: Optional[Callable[[NumberSystem], LossFunctions]] = None,
                 _shortcuts: Optional[Dict[str, Callable[..., Any]]] = None) -> None:
        if not isinstance(name, str) or not name:
            raise NumberError("a Loss needs a non-empty name, got %r" % (name,))
        if _factory is None and (not callable(f) or not callable(dfda)):
            raise NumberError("Loss %r needs two functions: f(outputs, targets) and dfda" % name)
        self.name = name
        self.exact = exact
        self._f, self._dfda, self._factory = f, dfda, _factory
        self._shortcuts = dict(_shortcuts or {})
        #: True if this loss cancels some output activation's derivative (see closed_form).
        self.cancels = bool(self._shortcuts)
        self._cache: Dict[str, LossFunctions] = {}

    def __repr__(self) -> str:
        return "<Loss %s>" % self.name

    @property
    def builtin(self) -> bool:
        """True for the losses neurograph defines (they compute in every number type)."""
        return self._factory is not None


    def functions(self, num: NumberSystem) -> LossFunctions:
        """``(value, gradient)`` computing in the number system *num*.

        >>> import neurograph as ng
        >>> from fractions import Fraction as F
        >>> value, gradient = ng.loss("mse").functions(ng.arithmetic.system_for(F))
        >>> value([F(1, 2), F(1)], [F(0), F(1)]), gradient([F(1, 2), F(1)], [F(0), F(1)])
        (Fraction(1, 8), [Fraction(1, 2), Fraction(0, 1)])
        """
        fns = self._cache.get(num.name)
        if fns is None:
            if self._factory is None:
                fns = (self._f, self._dfda)  # type: ignore[assignment]
                if num is not FLOAT:  # a float result must not slip into an exact net
                    fns = _typed_loss(self.name, self._f, self._dfda, num)  # type: ignore[arg-type]
            else:
                if num.exact and not self.exact:
                    raise NumberError(
                        "loss %r needs log(), which has no exact Fraction value: use half_sse "
                        "or mse in a Fraction net, or build the net with number=Decimal" % self.name)
                fns = self._factory(num)
            self._cache[num.name] = fns  # type: ignore[assignment]
        return fns  # type: ignore[return-value]

    def for_outputs(self, activations: Sequence[Any]) -> "Loss":
        """The loss to use for output neurons with these activations (see cross_entropy).

        >>> import neurograph as ng
        >>> ng.loss("mse").for_outputs([ng.relu])
        <Loss mse>
        >>> ng.loss("cross_entropy").for_outputs([ng.sigmoid, ng.sigmoid])
        <Loss binary_cross_entropy>
        """
        return self

    def shortcut(self, activation_name: str) -> Optional[Callable[..., Any]]:
        """``delta(as, ys)`` for the outputs with that activation, or None.

        >>> import neurograph as ng
        >>> ng.loss("binary_cross_entropy").shortcut("sigmoid")([0.75], [1.0])   # a - y
        [-0.25]
        >>> ng.loss("mse").shortcut("sigmoid") is None
        True
        """
        return self._shortcuts.get(activation_name)

    def closed_form(self, outputs: Sequence[Any], targets: Sequence[Any]) -> Dict[Any, Any]:
        """BP1 in closed form: ``{output neuron: delta}`` for the outputs whose (built-in)
        activation this loss cancels, e.g. ``a - y`` for sigmoid with cross-entropy.

        >>> import neurograph as ng
        >>> net = ng.Net.dense([1, 1], output_activation="sigmoid")
        >>> o1 = net["o1"]; o1.a = 0.75
        >>> ng.loss("binary_cross_entropy").closed_form([o1], [1.0]) == {o1: -0.25}
        True
        """
        if not self._shortcuts:
            return {}
        groups: Dict[str, Tuple[List[Any], List[Any]]] = {}
        for n, y in zip(outputs, targets):
            act = n.activation
            if act.builtin and act.name in self._shortcuts:
                ns, ys = groups.setdefault(act.name, ([], []))
                ns.append(n)
                ys.append(y)
        out: Dict[Any, Any] = {}
        for name, (ns, ys) in groups.items():
            out.update(zip(ns, self._shortcuts[name]([n.a for n in ns], ys)))
        return out

    def _num(self, a: Vector) -> NumberSystem:
        x = a[0] if len(a) else 0.0
        return FLOAT if isinstance(x, (float, int)) else system_for(type(x))

    def value(self, outputs: Vector, targets: Vector) -> Any:
        """The loss of *outputs* against *targets*.

        >>> import neurograph as ng
        >>> ng.loss("mse").value([0.5, 1.0], [0.0, 1.0])
        0.125
        """
        return self.functions(self._num(outputs))[0](list(outputs), list(targets))

    def gradient(self, outputs: Vector, targets: Vector) -> List[Any]:
        """dC/da for each output.

        >>> import neurograph as ng
        >>> ng.loss("half_sse").gradient([0.75, 0.5], [1.0, 0.0])   # a - y
        [-0.25, 0.5]
        """
        return list(self.functions(self._num(outputs))[1](list(outputs), list(targets)))


def _typed_loss(name: str, f: Callable[[Vector, Vector], Any],
                dfda: Callable[[Vector, Vector], List[Any]], num: NumberSystem) -> LossFunctions:
    """A custom loss's functions with their results checked to be of the net's number type."""
    T = num.type

    def check(r: Any, part: str) -> Any:
        if type(r) is T:
            return r
        if isinstance(r, float):
            raise NumberError(
                "loss %r: %s returned the float %r in a %s net; compute in the net's number "
                "type (net.number_system has exp, log, sqrt) or build the net with "
                "number=float" % (name, part, r, num.name))
        return num.convert(r, "loss %r: %s" % (name, part))

    def value(a: Vector, y: Vector) -> Any:
        return check(f(a, y), "its value")

    def grad(a: Vector, y: Vector) -> List[Any]:
        return [check(g, "its gradient") for g in dfda(a, y)]
    return value, grad


def _sum(xs: Any, zero: Any) -> Any:
    """Left to right, on every interpreter (the built-in sum() compensates floats on 3.12+)."""
    total = zero
    for x in xs:
        total += x
    return total


def _half_sse(num: NumberSystem) -> LossFunctions:
    half, zero = num.one / (num.one + num.one), num.zero

    def value(a: Vector, y: Vector) -> Any:  # C = 1/2 sum (a - y)^2
        total = zero
        for p, q in zip(a, y):
            total += (p - q) * (p - q)
        return half * total

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = a - y
        return list(map(sub, a, y))
    return value, grad


def _sse(num: NumberSystem) -> LossFunctions:
    zero, two = num.zero, num.one + num.one

    def value(a: Vector, y: Vector) -> Any:  # C = sum (a - y)^2
        total = zero
        for p, q in zip(a, y):
            total += (p - q) * (p - q)
        return total

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = 2 (a - y)
        return [two * (p - q) for p, q in zip(a, y)]
    return value, grad


def _mse(num: NumberSystem) -> LossFunctions:
    zero, two = num.zero, num.one + num.one

    def value(a: Vector, y: Vector) -> Any:  # C = 1/n sum (a - y)^2
        total = zero
        for p, q in zip(a, y):
            total += (p - q) * (p - q)
        return total / len(a)

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = 2/n (a - y)
        n = len(a)
        return [two * (p - q) / n for p, q in zip(a, y)]
    return value, grad


def _clip(num: NumberSystem) -> Tuple[Any, Any]:
    eps = num.convert(CLIP, "clip")
    return eps, num.one - eps


def _binary_ce(num: NumberSystem) -> LossFunctions:
    if num.type is not float:
        return _binary_ce_exact(num)
    log, one, zero = num.log, num.one, num.zero
    lo, hi = _clip(num)

    def value(a: Vector, y: Vector) -> Any:  # C = -sum [y ln a + (1 - y) ln(1 - a)]
        total = zero
        for p, q in zip(a, y):
            p = lo if p < lo else hi if p > hi else p
            total -= q * log(p) + (one - q) * log(one - p)
        return total

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = (a - y) / (a (1 - a))
        out = []
        for p, q in zip(a, y):
            p = lo if p < lo else hi if p > hi else p
            out.append((p - q) / (p * (one - p)))
        return out
    return value, grad


def _binary_ce_exact(num: NumberSystem) -> LossFunctions:
    # Decimal: 1 - 1e-12 depends on the context's precision (it is 1 at 3 digits, and
    # these functions are cached across contexts), so a and 1 - a are clipped to at
    # least lo each and 1 - lo is never formed.
    log, one, zero = num.log, num.one, num.zero
    lo = num.convert(CLIP, "clip")

    def value(a: Vector, y: Vector) -> Any:  # C = -sum [y ln a + (1 - y) ln(1 - a)]
        total = zero
        for p, q in zip(a, y):
            p = lo if p < lo else p
            r = one - p
            total -= q * log(p) + (one - q) * log(r if r > lo else lo)
        return total

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = (a - y) / (a (1 - a))
        out = []
        for p, q in zip(a, y):
            p = lo if p < lo else p
            r = one - p
            out.append((p - q) / (p * (r if r > lo else lo)))
        return out
    return value, grad


def _categorical_ce(num: NumberSystem) -> LossFunctions:
    log, zero = num.log, num.zero
    lo, _ = _clip(num)

    def value(a: Vector, y: Vector) -> Any:  # C = -sum y ln a
        total = zero
        for p, q in zip(a, y):
            if q:
                total -= q * log(p if p > lo else lo)
        return total

    def grad(a: Vector, y: Vector) -> List[Any]:  # dC/da = -y / a
        return [-q / (p if p > lo else lo) for p, q in zip(a, y)]
    return value, grad


def _sigmoid_ce_delta(as_: Vector, ys: Vector) -> List[Any]:
    # BP1 for sigmoid outputs with cross-entropy: the sigma' cancels, delta = a - y.
    return list(map(sub, as_, ys))


def _softmax_ce_delta(as_: Vector, ys: Vector) -> List[Any]:
    # BP1 for a softmax group with cross-entropy: delta_i = a_i sum_j y_j - y_i
    # (= a - y when the targets are one-hot).
    s = _sum(ys[1:], ys[0]) if ys else 0
    return [p * s - q for p, q in zip(as_, ys)]


#: Built-in activations whose outputs can leave (0, 1), where a cross-entropy's log is
#: not defined: a net with such outputs is refused when the loss is bound.
_UNBOUNDED = ("identity", "tanh", "relu", "leaky_relu", "elu", "softplus")


def _check_probabilities(loss_name: str, activations: Sequence[Any]) -> None:
    bad = sorted({a.name for a in activations
                  if getattr(a, "builtin", False) and a.name in _UNBOUNDED})
    if bad:
        raise NumberError(
            "loss %r needs outputs in (0, 1), but output neurons use %s, whose values can "
            "leave that range (the log would be taken of a clipped value and the gradient "
            "would be wrong): use sigmoid outputs (or softmax outputs with cross_entropy), or a "
            "loss such as half_sse or mse" % (loss_name, ", ".join(bad)))


class _ProbabilityLoss(Loss):
    """A cross-entropy of outputs that are probabilities: ``binary_cross_entropy``,
    ``-sum [y ln a + (1 - y) ln(1 - a)]``, or ``categorical_cross_entropy``, ``-sum y ln a``.

    Output neurons whose activation can leave (0, 1) are refused when the loss is
    bound to them (see :meth:`Loss.for_outputs`).

    >>> import neurograph as ng
    >>> round(ng.loss("binary_cross_entropy").value([0.5], [1.0]), 6)   # ln 2
    0.693147
    >>> ng.loss("binary_cross_entropy").for_outputs([ng.relu])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.NumberError: loss 'binary_cross_entropy' needs outputs in (0, 1), but output neurons use relu, ...
    """

    def for_outputs(self, activations: Sequence[Any]) -> Loss:
        _check_probabilities(self.name, activations)
        return self


class _CrossEntropy(Loss):
    """``cross_entropy``: the categorical cross-entropy for a softmax output layer, the
    binary one for other outputs in (0, 1) such as sigmoid.

    >>> import neurograph as ng
    >>> ce = ng.loss("cross_entropy")
    >>> ce.for_outputs([ng.softmax, ng.softmax]), ce.for_outputs([ng.sigmoid])
    (<Loss categorical_cross_entropy>, <Loss binary_cross_entropy>)
    """

    def for_outputs(self, activations: Sequence[Any]) -> Loss:
        _check_probabilities(self.name, activations)
        names = {getattr(a, "name", None) for a in activations}
        if "softmax" in names:
            if names != {"softmax"}:
                raise NumberError(
                    "cross_entropy needs all outputs softmax or none; this net mixes softmax "
                    "with %s outputs: use one softmax output layer" % ", ".join(
                        sorted(str(n) for n in names - {"softmax"})))
            return categorical_cross_entropy
        return binary_cross_entropy


half_sse = Loss("half_sse", exact=True, _factory=_half_sse)
sse = Loss("sse", exact=True, _factory=_sse)
mse = Loss("mse", exact=True, _factory=_mse)
binary_cross_entropy = _ProbabilityLoss("binary_cross_entropy", exact=False, _factory=_binary_ce,
                            _shortcuts={"sigmoid": _sigmoid_ce_delta})
categorical_cross_entropy = _ProbabilityLoss("categorical_cross_entropy", exact=False,
                                 _factory=_categorical_ce,
                                 _shortcuts={"softmax": _softmax_ce_delta})
cross_entropy = _CrossEntropy("cross_entropy", exact=False, _factory=_binary_ce,
                              _shortcuts={"sigmoid": _sigmoid_ce_delta})

#: Built-in losses by name.
LOSSES: Dict[str, Loss] = {l.name: l for l in (
    half_sse, sse, mse, binary_cross_entropy, cross_entropy, categorical_cross_entropy)}


def loss(spec: Any) -> Loss:
    """Look up a loss by name (or pass a Loss through).

    Names are matched without regard to case, and ``-`` counts as ``_``.

    >>> loss("half_sse") is half_sse
    True
    >>> loss("Binary-Cross-Entropy") is binary_cross_entropy
    True
    >>> loss("mes")
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: unknown loss 'mes' (did you mean 'mse'?); known: half_sse, sse, mse, binary_cross_entropy, cross_entropy, categorical_cross_entropy
    """
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower().replace("-", "_")
        if key not in LOSSES:
            raise NameLookupError("unknown loss %r%s; known: %s" % (
                spec, suggest(key, LOSSES), ", ".join(LOSSES)))
        return LOSSES[key]
    raise NameLookupError("a loss must be a name or an ng.Loss, got %r" % (spec,))
