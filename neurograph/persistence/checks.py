"""The checks of single values of a model document: shapes, names, numbers, activations,
the optimizer and the metadata.

Every check raises a :class:`~neurograph.FormatError` whose message starts with
the JSON path of the value and says what was expected.  Numbers written as text
(Decimal, Fraction) are read by :func:`~neurograph.core.arithmetic.parse_number`;
the optimizer's settings follow :func:`~neurograph.core.optim.check_setting`.

=================================  =====================================================
name                               what it checks
=================================  =====================================================
``_Reader(number)``                one document's values: ``obj``, ``lst``, ``boolean``,
                                   ``text``, ``name``, ``claim``, ``count``, ``number``,
                                   ``metadata``
``_read_activation(R, v, ...)``    an activation name or ``{"name", "params"}``
``_read_optimizer(R, v, names)``   an SGD or Adam with its settings and state
=================================  =====================================================

>>> from fractions import Fraction
>>> R = _Reader(Fraction)
>>> R.number("3/20", "parameters[0].value")
Fraction(3, 20)
>>> R.number("0.15", "parameters[0].value")
Traceback (most recent call last):
...
neurograph.FormatError: parameters[0].value: expected a fraction "p/q" of whole numbers such as "3/20", got the string "0.15"
"""

from __future__ import annotations

import json
import math
import re
from decimal import MAX_EMAX, MIN_EMIN, Decimal, localcontext
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.activations import ACTIVATIONS, Activation
from ..core.arithmetic import parse_number, system_for
from ..core.errors import NeurographError, NumberError
from ..core.optim import check_setting
from .json_values import LIMITS, _DupDict, _fail, _join, _NonFinite

__all__: List[str] = []

_FRACTION_RE = re.compile(r"-?\d+/\d+\Z")     # the "p/q" form a Fraction is written in

#: What a number of each type is written as in a file (for messages).
_WRITTEN_AS = {
    Decimal: "a finite decimal number such as \"0.15\" or \"-1.5E-3\"",
    Fraction: "a fraction \"p/q\" of whole numbers such as \"3/20\"",
}


class _Reader:
    """Checks the values of a parsed document whose numbers are of type *number*;
    every check raises a FormatError naming its JSON path."""

    def __init__(self, number: Any) -> None:
        self.num = system_for(number)
        #: every name in the net -> the path that defined it
        self.taken: Dict[str, str] = {}

    # generic shapes ---------------------------------------------------------
    def obj(self, v: Any, path: str, keys: Sequence[str], what: str = "an object",
            optional: Sequence[str] = ()) -> Dict[str, Any]:
        """*v*, an object with exactly *keys* (and maybe *optional*), each once."""
        if not isinstance(v, dict):
            raise _fail(path, "%s with keys %s" % (what, ", ".join(keys)), v)
        if isinstance(v, _DupDict):
            raise _fail(_join(path, v.dups[0]), "this key appears more than once in the object; "
                        "each key may appear once", raw=True)
        odd = [k for k in v if not isinstance(k, str)]
        if odd:
            raise _fail(path, "expected %s with string keys, got the key %r" % (what, odd[0]), raw=True)
        missing = [k for k in keys if k not in v]
        if missing:
            raise _fail(_join(path, missing[0]), "missing: %s needs the keys %s"
                        % (what, ", ".join(keys)), raw=True)
        keyset = set(keys) | set(optional)
        extra = sorted(k for k in v if k not in keyset)
        if extra:
            raise _fail(_join(path, extra[0]), "unexpected key; %s has exactly the keys %s%s"
                        % (what, ", ".join(keys), "" if not optional else
                           " (and optionally %s)" % ", ".join(optional)), raw=True)
        return v

    def lst(self, v: Any, path: str, what: str, limit: Optional[str] = None) -> List[Any]:
        """*v*, a list (of at most ``LIMITS[limit]`` items)."""
        if not isinstance(v, list):
            raise _fail(path, "expected a list of %s" % what, v)
        if limit is not None and len(v) > LIMITS[limit]:
            raise _fail(path, "expected at most %d %s (a larger model is refused as absurd), got %d"
                        % (LIMITS[limit], what, len(v)), raw=True)
        return v

    def boolean(self, v: Any, path: str) -> bool:
        """*v*, true or false."""
        if not isinstance(v, bool):
            raise _fail(path, "true or false", v)
        return v

    def text(self, v: Any, path: str, what: str = "a string") -> str:
        """*v*, a string."""
        if not isinstance(v, str):
            raise _fail(path, what, v)
        return v

    def name(self, v: Any, path: str, what: str = "a name") -> str:
        """*v*, a usable name: non-empty, not too long, without ``->``."""
        if not isinstance(v, str) or not v.strip():
            raise _fail(path, "%s (a non-empty string)" % what, v)
        if len(v) > LIMITS["name_chars"]:
            raise _fail(path, "expected a name of at most %d characters, got %d"
                        % (LIMITS["name_chars"], len(v)), raw=True)
        if "->" in v:
            raise _fail(path, "expected a name without '->' (reserved for default connection names), got %s"
                        % json.dumps(v), raw=True)
        return v

    def claim(self, name: str, path: str) -> None:
        """Take *name* for the object defined at *path*; a name is used once in a net."""
        if name in self.taken:
            raise _fail(path, "expected a unique name, but %s is already used at %s"
                        % (json.dumps(name), self.taken[name]), raw=True)
        self.taken[name] = path

    def count(self, v: Any, path: str) -> int:
        """*v*, a whole number >= 0."""
        if type(v) is not int or v < 0:
            raise _fail(path, "expected a whole number >= 0", v)
        return v

    # numbers ----------------------------------------------------------------
    def number(self, v: Any, path: str) -> Any:
        """A value of the document's number type, checked and converted exactly."""
        t = self.num.type
        if t is float:
            return self._float(v, path)
        if not isinstance(v, str):
            raise _fail(path, "expected a %s written as a string %s" % (
                self.num.name, "such as \"0.15\"" if t is Decimal else "\"p/q\" such as \"3/20\""), v)
        if len(v) > LIMITS["number_chars"]:
            raise _fail(path, "expected a number of at most %d characters, got %d"
                        % (LIMITS["number_chars"], len(v)), raw=True)
        if t is Fraction and not _FRACTION_RE.match(v):
            raise _fail(path, _WRITTEN_AS[t], v)
        # A file's Decimal exponents are bounded by the format (LIMITS), not by the decimal
        # context of whoever reads it: parse in the widest context, then apply that limit.
        with localcontext() as ctx:
            ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
            try:
                x = parse_number(v, self.num, "the value")
            except NumberError as e:
                raise _fail(path, "expected %s, but %s" % (_WRITTEN_AS[t], e), raw=True) from None
        if t is Decimal and x and abs(x.adjusted()) > LIMITS["decimal_exponent"]:   # (a 0 has no size)
            raise _fail(path, "expected a decimal exponent of at most %d in size"
                        % LIMITS["decimal_exponent"], v)
        return x

    @staticmethod
    def _float(v: Any, path: str) -> float:
        """A float from a JSON number (an int or a float, finite)."""
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _fail(path, "expected a finite number", v)
        try:
            x = float(v)
        except OverflowError:
            raise _fail(path, "expected a number within the float range", v) from None
        if not math.isfinite(x):
            raise _fail(path, "expected a finite number", v)
        return x

    # metadata ---------------------------------------------------------------
    def metadata(self, v: Any, path: str, depth: int = 0) -> None:
        """*v*, any JSON value: finite numbers, string keys, not nested too deeply."""
        if depth > LIMITS["metadata_depth"]:
            raise _fail(path, "metadata nested at most %d levels deep"
                        % LIMITS["metadata_depth"], raw=True)
        if isinstance(v, _DupDict):
            raise _fail(path + "." + v.dups[0], "this key appears more than once in the object",
                        raw=True)
        if isinstance(v, dict):
            for k, x in v.items():
                if not isinstance(k, str):
                    raise _fail(path, "expected an object with string keys, got key %r" % (k,), raw=True)
                self.metadata(x, "%s.%s" % (path, k), depth + 1)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                self.metadata(x, "%s[%d]" % (path, i), depth + 1)
        elif isinstance(v, (float, _NonFinite)):
            if isinstance(v, _NonFinite) or not math.isfinite(v):
                raise _fail(path, "expected a finite number", v)
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 10000:
            raise _fail(path, "a whole number of at most 3,000 digits", v)
        elif v is None or isinstance(v, (str, bool, int)):
            pass
        else:
            raise _fail(path, "expected a JSON value (string, number, true/false, null, list or object)", v)


# ---------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------

def _works(R: _Reader, act: Activation, path: str) -> Activation:
    """*act*, if it can compute in the document's number type."""
    try:
        act.functions(R.num)
    except NeurographError as e:
        raise _fail(path, "expected an activation that works in a %s net: %s" % (R.num.name, e),
                    raw=True) from None
    return act


def _read_activation(R: _Reader, v: Any, path: str, cache: Dict[str, Activation]) -> Activation:
    """The activation written at *path*: a built-in name, or ``{"name", "params"}``
    (equal settings give the same Activation, kept in *cache*)."""
    known = ", ".join(ACTIVATIONS)
    if isinstance(v, str):
        if v not in ACTIVATIONS:
            raise _fail(path, "expected a built-in activation name (%s)" % known, v)
        return _works(R, ACTIVATIONS[v], path)
    if not isinstance(v, dict):
        raise _fail(path, "expected an activation name (%s) or an object {\"name\": ..., \"params\": "
                    "{...}}" % known, v)
    R.obj(v, path, ("name", "params"), "an activation with parameters")
    nm = v["name"]
    if not isinstance(nm, str) or nm not in ACTIVATIONS:
        raise _fail(path + ".name", "expected a built-in activation name (%s)" % known, nm)
    base = ACTIVATIONS[nm]
    ps = v["params"]
    expected = sorted(base.params)
    if not expected:
        raise _fail(path, "expected just the name: activation %s has no parameters" % json.dumps(nm),
                    raw=True)
    R.obj(ps, path + ".params", expected, "the parameters of %s" % nm)
    values = {k: R.number(ps[k], "%s.params.%s" % (path, k)) for k in expected}
    key = json.dumps([nm, [(k, str(values[k])) for k in expected]])
    act = cache.get(key)
    if act is None:
        act = cache[key] = _works(R, base.with_params(**values), path)
    return act


# ---------------------------------------------------------------------------
# The optimizer
# ---------------------------------------------------------------------------

def _setting(R: _Reader, kind: str, name: str, value: Any, path: str) -> Any:
    """*value* (a number already read) checked by the optimizer's own rule for *name*."""
    try:
        return check_setting(kind, name, value, R.num)
    except NumberError as e:
        raise _fail(path, str(e), raw=True) from None


def _read_betas(R: _Reader, v: Any, path: str) -> Tuple[Any, Any]:
    """Adam's ``[beta1, beta2]``, each checked by its rule."""
    b = R.lst(v, path, "two numbers")
    if len(b) != 2:
        raise _fail(path, "expected a list of two numbers [beta1, beta2], got %d items"
                    % len(b), raw=True)
    betas = [R.number(x, "%s[%d]" % (path, i)) for i, x in enumerate(b)]
    for i, x in enumerate(betas):         # name the one that breaks the rule
        if not 0 <= x < 1:
            _setting(R, "Adam", "betas", betas, "%s[%d]" % (path, i))
    return _setting(R, "Adam", "betas", betas, path)


def _read_settings(R: _Reader, v: Dict[str, Any], kind: str, path: str) -> Dict[str, Any]:
    """The optimizer's settings (everything but its state)."""
    out: Dict[str, Any] = {"type": kind}
    for name in ("lr", "weight_decay") + (("momentum",) if kind == "SGD" else ("eps",)):
        out[name] = _setting(R, kind, name, R.number(v[name], "%s.%s" % (path, name)),
                             "%s.%s" % (path, name))
    out["steps"] = R.count(v["steps"], path + ".steps")
    if kind == "SGD":
        out["nesterov"] = R.boolean(v["nesterov"], path + ".nesterov")
        if out["nesterov"] and not out["momentum"]:
            raise _fail(path + ".nesterov", "expected false when momentum is 0 (Nesterov needs momentum)",
                        v["nesterov"])
    else:
        out["betas"] = _read_betas(R, v["betas"], path + ".betas")
    return out


def _read_optimizer(R: _Reader, v: Any, names: List[str]) -> Dict[str, Any]:
    """The optimizer written at ``"optimizer"``: its settings and the state of every
    parameter in *names* (all of them, by name)."""
    path = "optimizer"
    if not isinstance(v, dict) or v.get("type") not in ("SGD", "Adam"):
        if isinstance(v, dict) and "type" in v:
            raise _fail(path + ".type", "\"SGD\" or \"Adam\"", v["type"])
        R.obj(v, path, ("type",), "an optimizer")
    kind = v["type"]
    if kind == "SGD":
        keys = ("type", "lr", "momentum", "nesterov", "weight_decay", "steps", "state")
        slots: Tuple[str, ...] = ("velocity",)
    else:
        keys = ("type", "lr", "betas", "eps", "weight_decay", "steps", "state")
        slots = ("m", "v")
        if R.num.exact:
            raise _fail(path + ".type", "expected an optimizer a Fraction net can use (SGD): Adam needs "
                        "square roots", raw=True)
    R.obj(v, path, keys, "an %s optimizer" % kind)
    out = _read_settings(R, v, kind, path)
    st = v["state"]
    if not isinstance(st, dict):
        raise _fail(path + ".state", "expected an object mapping each parameter name to its state", st)
    R.obj(st, path + ".state", names, "the state of every parameter (by name)")
    state = {}
    for nm in names:
        p = "%s.state.%s" % (path, nm)
        entry = R.obj(st[nm], p, slots, "the state of one parameter")
        state[nm] = {s: R.number(entry[s], "%s.%s" % (p, s)) for s in slots}
    out["state"] = state
    return out
