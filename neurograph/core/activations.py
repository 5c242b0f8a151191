"""Activation functions: what a neuron does with its weighted input z.

Each activation is an :class:`Activation` object that knows its function
``a = f(z)`` and its derivative, written either in terms of ``z`` or of the
activation ``a`` (sigmoid's ``a (1 - a)`` is cheaper than recomputing exp).
Built-in activations compute in the net's number type: floats use
:mod:`math`, Decimals use ``Decimal.exp``/``Decimal.ln`` under the active
decimal context, Fractions are allowed only for the rational ones.

=================  ================================  ===========================
name               a = f(z)                           f'(z)
=================  ================================  ===========================
``identity``       z                                  1
``sigmoid``        1 / (1 + e^-z)                     a (1 - a)
``tanh``           (e^z - e^-z) / (e^z + e^-z)        1 - a^2
``relu``           max(0, z)                          1 if z > 0 else 0
``leaky_relu``     z if z > 0 else slope z            1 if z > 0 else slope
``elu``            z if z > 0 else alpha (e^z - 1)    1 if z > 0 else a + alpha
``softplus``       ln(1 + e^z)                        sigmoid(z)
``softmax``        e^z_i / sum_j e^z_j (per layer)    a_i (g_i - sum_j g_j a_j)
=================  ================================  ===========================

None of them overflows: sigmoid, softplus and elu are written so that
``z = +-1e6`` gives the limit, not an OverflowError.

>>> import neurograph as ng
>>> ng.sigmoid(0.0)
0.5
>>> ng.relu(-3.0), ng.relu(2.5)
(0.0, 2.5)
>>> ng.activation("leaky_relu", slope="0.1")(-2.0)
-0.2
>>> cube = ng.Activation("cube", lambda z: z ** 3, lambda z: 3 * z ** 2)
>>> cube(2.0)
8.0
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .arithmetic import FLOAT, NumberSystem, add_up, system_for
from .errors import NameLookupError, NumberError, suggest

__all__ = [
    "Activation", "activation", "ACTIVATIONS",
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax",
]

Functions = Tuple[Callable[[Any], Any], Callable[[Any], Any]]


class Activation:
    """An activation function ``f`` with its derivative ``df``.

    *df* is a function of ``z`` when ``wrt="z"`` (the default) or of the
    activation ``a = f(z)`` when ``wrt="a"``.  Any Activation can be passed
    wherever an activation name is accepted.  Calling it evaluates ``f``.

    >>> square = Activation("square", lambda z: z * z, lambda z: 2 * z)
    >>> square(3.0), square.derivative(3.0)
    (9.0, 6.0)
    >>> soft = Activation("soft", lambda z: z / (1 + abs(z)), lambda a: (1 - abs(a)) ** 2, wrt="a")
    >>> soft.derivative(1.0)
    0.25
    """

    #: False for activations that couple the neurons of a layer (softmax).
    elementwise = True

    def __init__(self, name: str, f: Optional[Callable[[Any], Any]] = None,
                 df: Optional[Callable[[Any], Any]] = None, *, wrt: str = "z",
                 exact: Optional[bool] = None, _factory: Optional[Callable[..., Functions]] = None,
                 _params: Optional[Dict[str, Any]] = None) -> None:
        if not isinstance(name, str) or not name:
            raise NumberError("an Activation needs a non-empty name, got %r" % (name,))
        if wrt not in ("z", "a"):
            raise NumberError("Activation %r: wrt must be 'z' or 'a', got %r" % (name, wrt))
        if _factory is None and (not callable(f) or not callable(df)):
            raise NumberError("Activation %r needs two functions: f(z) and its derivative" % name)
        self.name = name
        self.wrt = wrt
        self.exact = exact
        self.params: Dict[str, Any] = dict(_params or {})
        self._factory = _factory
        self._f = f
        self._df = df
        self._cache: Dict[str, Functions] = {}

    def __repr__(self) -> str:
        if self.params:
            return "<Activation %s(%s)>" % (self.name, ", ".join(
                "%s=%r" % kv for kv in sorted(self.params.items())))
        return "<Activation %s>" % self.name

    @property
    def builtin(self) -> bool:
        """True for the activations neurograph defines (they can be saved by name)."""
        return self._factory is not None

    def functions(self, num: NumberSystem) -> Functions:
        """``(f, df)`` computing in the number system *num*.

        *df* takes ``a`` or ``z`` as :attr:`wrt` says (sigmoid's takes ``a``).

        >>> import neurograph as ng
        >>> f, df = ng.sigmoid.functions(ng.arithmetic.system_for(float))
        >>> a = f(0.0)
        >>> a, df(a)
        (0.5, 0.25)
        """
        fns = self._cache.get(num.name)
        if fns is None:
            if self._factory is None:
                fns = (self._f, self._df)  # type: ignore[assignment]
                if num is not FLOAT:  # a float result must not slip into an exact net
                    fns = (_typed(self._f, num, "activation %r" % self.name, "f"),
                           _typed(self._df, num, "activation %r" % self.name, "its derivative"))
            else:
                if num.exact and not self.exact:
                    raise NumberError(
                        "activation %r needs exp(), which has no exact Fraction value: use "
                        "identity, relu or leaky_relu in a Fraction net, or build the net with "
                        "number=Decimal" % self.name)
                fns = self._factory(num, **self.params)
            self._cache[num.name] = fns  # type: ignore[assignment]
        return fns  # type: ignore[return-value]

    def _system(self, x: Any) -> NumberSystem:
        if isinstance(x, float) or isinstance(x, int):
            return FLOAT
        return system_for(type(x))

    def __call__(self, z: Any) -> Any:
        """Evaluate ``f(z)`` in the number type of *z*."""
        return self.functions(self._system(z))[0](z)

    def derivative(self, z: Any) -> Any:
        """Evaluate ``f'(z)`` (computing ``a`` first when the derivative is written in a).

        >>> import neurograph as ng
        >>> ng.sigmoid.derivative(0.0), ng.relu.derivative(-1.0)
        (0.25, 0.0)
        """
        f, df = self.functions(self._system(z))
        return df(f(z)) if self.wrt == "a" else df(z)

    def with_params(self, **params: Any) -> "Activation":
        """A copy of a built-in activation with other parameters (``slope=``, ``alpha=``).

        >>> ng_leaky = leaky_relu.with_params(slope="0.2")
        >>> ng_leaky(-1.0)
        -0.2
        """
        if self._factory is None:
            raise NumberError("activation %r has no parameters to set" % self.name)
        unknown = set(params) - set(self.params)
        if unknown:
            raise NumberError("activation %r takes %s, not %s" % (
                self.name, ", ".join(sorted(self.params)) or "no parameters", ", ".join(sorted(unknown))))
        merged = dict(self.params)
        merged.update(params)
        return type(self)(self.name, wrt=self.wrt, exact=self.exact, _factory=self._factory,
                          _params=merged)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Activation):
            return NotImplemented
        if self._factory is None or other._factory is None:
            return self is other
        return (self.name, self._factory, sorted(self.params.items())) == (
            other.name, other._factory, sorted(other.params.items()))

    def __hash__(self) -> int:
        return hash(self.name)


def _typed(fn: Callable[[Any], Any], num: NumberSystem, owner: str,
           part: str) -> Callable[[Any], Any]:
    """*fn* with its result checked to be of the net's number type (ints are converted)."""
    T = num.type

    def checked(x: Any) -> Any:
        r = fn(x)
        if type(r) is T:
            return r
        if isinstance(r, float):
            raise NumberError(
                "%s: %s returned the float %r for %s in a %s net; compute in the net's "
                "number type (net.number_system has exp, log, sqrt) or build the net with "
                "number=float" % (owner, part, r, x, num.name))
        return num.convert(r, "%s: result of %s for %s" % (owner, part, x))
    checked.__name__ = getattr(fn, "__name__", "checked")
    return checked


class _Softmax(Activation):
    """Softmax over all softmax output neurons of one layer."""

    elementwise = False

    def __call__(self, z: Any) -> Any:
        raise NumberError("softmax acts on a whole layer, not on one number: use "
                          "ng.softmax.of([z1, z2, ...])")

    def derivative(self, z: Any) -> Any:
        raise NumberError("softmax has no one-number derivative: it couples its layer")

    def of(self, zs: Sequence[Any]) -> List[Any]:
        """Softmax of a list of numbers.

        >>> [round(a, 6) for a in softmax.of([1.0, 2.0, 3.0])]
        [0.090031, 0.244728, 0.665241]
        """
        zs = list(zs)
        return softmax_of(zs, self.functions(self._system(zs[0]))[0])   # (its "f" is exp)


def softmax_of(zs: List[Any], exp: Callable[[Any], Any],
               rnd: Optional[Callable[[Any], Any]] = None) -> List[Any]:
    """a_i = e^(z_i - m) / sum_j e^(z_j - m) for the list *zs* (m its largest: no overflow),
    the sum added left to right, each a rounded by *rnd* when given: the one softmax
    equation (the walk's softmax groups and ``ng.softmax.of``).

    >>> [round(a, 6) for a in softmax_of([1.0, 2.0, 3.0], math.exp)]
    [0.090031, 0.244728, 0.665241]
    """
    m = max(zs)
    es = [exp(z - m) for z in zs]
    total = add_up(es[1:], es[0])
    return [e / total for e in es] if rnd is None else [rnd(e / total) for e in es]


# ---------------------------------------------------------------------------
# Built-in factories: each returns (f, df) for a number system.
# ---------------------------------------------------------------------------

def _identity(num: NumberSystem) -> Functions:
    one = num.one

    def f(z: Any) -> Any:
        return z

    def df(z: Any) -> Any:
        return one
    return f, df


def _sigmoid(num: NumberSystem) -> Functions:
    one = num.one
    if num is FLOAT:
        exp = math.exp

        def f(z: float) -> float:
            if z >= 0.0:
                return 1.0 / (1.0 + exp(-z))
            e = exp(z)  # z < 0: exp cannot overflow
            return e / (1.0 + e)
    else:
        exp = num.exp

        def f(z: Any) -> Any:
            if z >= 0:
                return one / (one + exp(-z))
            e = exp(z)
            return e / (one + e)
        f = num.rounded_once(f)

    def df(a: Any) -> Any:  # wrt a: sigma'(z) = a (1 - a)
        return a * (one - a)
    return f, df


def _tanh(num: NumberSystem) -> Functions:
    one = num.one
    if num is FLOAT:
        f = math.tanh
    else:
        expm1 = num.expm1
        two = one + one

        def f(z: Any) -> Any:
            u = expm1(-two * abs(z))  # tanh |z| = (1 - e^-2|z|) / (1 + e^-2|z|) = -u / (2 + u)
            return -u / (two + u) if z >= 0 else u / (two + u)
        f = num.rounded_once(f)

    def df(a: Any) -> Any:  # wrt a: 1 - a^2
        return one - a * a
    return f, df


def _relu(num: NumberSystem) -> Functions:
    zero, one = num.zero, num.one

    def f(z: Any) -> Any:
        return z if z > zero else zero

    def df(z: Any) -> Any:
        return one if z > zero else zero
    return f, df


def _leaky_relu(num: NumberSystem, slope: Any = "0.01") -> Functions:
    zero, one = num.zero, num.one
    k = num.convert(slope, "leaky_relu slope")

    def f(z: Any) -> Any:
        return z if z > zero else k * z

    def df(z: Any) -> Any:
        return one if z > zero else k
    return f, df


def _elu(num: NumberSystem, alpha: Any = "1") -> Functions:
    zero, one = num.zero, num.one
    al = num.convert(alpha, "elu alpha")
    if num is FLOAT:
        expm1 = math.expm1

        def f(z: Any) -> Any:
            return z if z > 0.0 else al * expm1(z)
    else:
        expm1 = num.expm1

        def f(z: Any) -> Any:
            return z if z > zero else al * expm1(z)
        f = num.rounded_once(f)

    def df(z: Any) -> Any:  # wrt z: 1, or alpha e^z
        if z > zero:
            return one
        return al * (math.exp(z) if num is FLOAT else num.exp(z))
    return f, df


def _softplus(num: NumberSystem) -> Functions:
    zero = num.zero
    sig = _sigmoid(num)[0]
    if num is FLOAT:
        exp, log1p = math.exp, math.log1p

        def f(z: Any) -> Any:  # ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|)
            return (z if z > 0.0 else 0.0) + log1p(exp(-abs(z)))
    else:
        exp, log1p = num.exp, num.log1p

        def f(z: Any) -> Any:
            return (z if z > zero else zero) + log1p(exp(-abs(z)))
        f = num.rounded_once(f)
    return f, sig


def _softmax(num: NumberSystem) -> Functions:
    exp = math.exp if num is FLOAT else num.exp
    return exp, exp  # the walk's softmax() and softmax.of use exp


identity = Activation("identity", wrt="z", exact=True, _factory=_identity)
sigmoid = Activation("sigmoid", wrt="a", exact=False, _factory=_sigmoid)
tanh = Activation("tanh", wrt="a", exact=False, _factory=_tanh)
relu = Activation("relu", wrt="z", exact=True, _factory=_relu)
leaky_relu = Activation("leaky_relu", wrt="z", exact=True, _factory=_leaky_relu,
                        _params={"slope": "0.01"})
elu = Activation("elu", wrt="z", exact=False, _factory=_elu, _params={"alpha": "1"})
softplus = Activation("softplus", wrt="z", exact=False, _factory=_softplus)
softmax = _Softmax("softmax", wrt="z", exact=False, _factory=_softmax)

#: Built-in activations by name ("linear", "logistic" and "leakyrelu" are aliases).
ACTIVATIONS: Dict[str, Activation] = {
    a.name: a for a in (identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax)}
_ALIASES = {"linear": "identity", "logistic": "sigmoid", "leakyrelu": "leaky_relu"}


def activation(spec: Any, **params: Any) -> Activation:
    """Look up an activation by name (or pass an Activation through).

    Names are matched without regard to case, and ``-`` counts as ``_``
    (``"ReLU"``, ``"Leaky-ReLU"``, ``"LeakyReLU"`` all work).

    >>> activation("sigmoid") is sigmoid
    True
    >>> activation("logistic") is sigmoid
    True
    >>> activation("ReLU") is relu, activation("LeakyReLU").name
    (True, 'leaky_relu')
    >>> activation("sigmod")
    Traceback (most recent call last):
    ...
    neurograph.NameLookupError: unknown activation 'sigmod' (did you mean 'sigmoid'?); known: identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax
    """
    if isinstance(spec, Activation):
        act = spec
    elif isinstance(spec, str):
        key = spec.strip().lower().replace("-", "_")
        key = _ALIASES.get(key, key)
        if key not in ACTIVATIONS:
            raise NameLookupError("unknown activation %r%s; known: %s" % (
                spec, suggest(key, list(ACTIVATIONS) + list(_ALIASES)), ", ".join(ACTIVATIONS)))
        act = ACTIVATIONS[key]
    else:
        raise NameLookupError("an activation must be a name or an ng.Activation, got %r" % (spec,))
    return act.with_params(**params) if params else act
