"""Where two sets of numbers part: diff, Diff and Difference.

:func:`diff` compares a trace with another trace, or with a table of values
worked out by hand (a dict, or CSV ``name,quantity,value``), and lists the
quantities that differ in the reading order of the first: the first line
where a hand calculation departs from the net.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``diff(a, b, rtol=, places=)``     a :class:`Diff`: first differences in reading order
:class:`Diff`                      ``ok``, ``first``, ``differences``, ``compared``
:class:`Difference`                one quantity: where, both values, by how much
=================================  ==================================================

Values written as text are read by
:func:`neurograph.core.arithmetic.parse_number` (as the number type of the
other side's value), and rounded to *places* by
:class:`neurograph.core.rounding.Rounding`.

>>> import neurograph as ng
>>> print(ng.diff({("h1", "a"): 0.59327}, {("h1", "a"): "0.5933"}))
no differences in 1 compared quantities
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

from ..core.arithmetic import number_text, parse_number
from ..core.errors import FormatError, NumberError
from ..core.rounding import Rounding
from .tracing import Trace

__all__ = ["diff", "Diff", "Difference"]


class Difference(NamedTuple):
    """One quantity that differs: where, both values and by how much.

    >>> import neurograph as ng
    >>> ng.diff({("o1", "a"): 0.25}, {("o1", "a"): 0.5}).first
    Difference(name='o1', quantity='a', sample=None, phase='', expected=0.25, actual=0.5, equation='')
    """
    name: str
    quantity: str
    sample: Optional[int]
    phase: str
    expected: Any
    actual: Any
    equation: str

    def __str__(self) -> str:
        where = "sample %d, %s" % (self.sample, self.phase) if self.sample is not None else self.phase
        if self.actual is None:
            return "%s %s (%s): %s in the first table, missing in the second" % (
                self.name, self.quantity, where, number_text(self.expected))
        if self.expected is None:
            return "%s %s: %s in the second table, not recorded in the first" % (
                self.name, self.quantity, number_text(self.actual))
        try:
            by = " (off by %s)" % number_text(self.actual - self.expected, 6)
        except TypeError:
            by = ""
        return "%s %s (%s%s): %s vs %s%s" % (
            self.name, self.quantity, where, ", " + self.equation if self.equation else "",
            number_text(self.expected), number_text(self.actual), by)


class Diff:
    """The result of :func:`diff`: ``differences`` in reading order, ``ok``, ``first``.

    >>> import neurograph as ng
    >>> d = ng.diff({"h1": {"a": 0.5}, "o1": {"a": 0.25}}, {"h1": {"a": "0.50"}, "o1": {"a": "0.30"}})
    >>> d, d.ok, d.compared
    (<Diff: 1 differences, first o1 a>, False, 2)
    """

    def __init__(self, differences: List[Difference], compared: int, limit: int = 5) -> None:
        self.differences = differences
        self.compared = compared
        self.limit = limit

    @property
    def ok(self) -> bool:
        """True when no compared quantity differs."""
        return not self.differences

    @property
    def first(self) -> Optional[Difference]:
        """The first difference in reading order, or None when there is none."""
        return self.differences[0] if self.differences else None

    def __len__(self) -> int:
        return len(self.differences)

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    def __str__(self) -> str:
        if self.ok:
            return "no differences in %d compared quantities" % self.compared
        lines = ["%d of %d quantities differ; first in reading order:" % (
            len(self.differences), self.compared)]
        lines += ["  " + str(d) for d in self.differences[: self.limit]]
        if len(self.differences) > self.limit:
            lines.append("  ... and %d more" % (len(self.differences) - self.limit))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "<Diff: %s>" % ("ok" if self.ok else "%d differences, first %s %s" % (
            len(self.differences), self.first.name, self.first.quantity))  # type: ignore[union-attr]


_Entry = Tuple[Tuple[str, str], Optional[int], str, Any, str]  # key, sample, phase, value, eq


def _entries(src: Any, sample: Optional[int]) -> Tuple[List[_Entry], bool]:
    """Normalise a Trace, dict, CSV path or CSV text; returns (entries, has_samples)."""
    if isinstance(src, Trace):
        return _trace_entries(src, sample), True
    if isinstance(src, dict):
        return _dict_entries(src), False
    if isinstance(src, str) or hasattr(src, "__fspath__"):
        return _csv_entries(src, sample)
    raise FormatError("diff compares Traces, dicts {(name, quantity): value} and CSV files or "
                      "text 'name,quantity,value'; got %r" % (src,))


def _trace_entries(src: Trace, sample: Optional[int]) -> List[_Entry]:
    """The rows of one sample (default: the first); a time step is part of the name."""
    rows = src.rows
    if sample is None and rows:
        sample = rows[0].sample
    return [((r.name if r.step is None else "%s(%d)" % (r.name, r.step), r.quantity),
             r.sample, r.phase, r.value, r.equation) for r in rows if r.sample == sample]


def _dict_entries(src: Dict[Any, Any]) -> List[_Entry]:
    """``{(name, quantity): value}`` or ``{name: {quantity: value}}``."""
    out: List[_Entry] = []
    for k, v in src.items():
        if isinstance(k, tuple) and len(k) == 2:
            out.append(((str(k[0]), str(k[1])), None, "", v, ""))
        elif isinstance(v, dict):
            for q, val in v.items():
                out.append(((str(k), str(q)), None, "", val, ""))
        else:
            raise FormatError("diff: dict key %r must be a (name, quantity) pair, or map a "
                              "name to {quantity: value}" % (k,))
    return out


def _csv_rows(src: Any) -> List[List[str]]:
    """The non-blank rows of CSV text, or of the CSV file at path *src*."""
    text = str(src)
    if "\n" not in text and "," not in text:
        try:
            with open(text, encoding="utf-8", newline="") as f:
                text = f.read()
        except OSError as e:
            raise FormatError("diff: cannot read %r: %s" % (str(src), e)) from None
    return [r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)]


def _csv_entries(src: Any, sample: Optional[int]) -> Tuple[List[_Entry], bool]:
    """Columns name,quantity,value (a header names them, and may add a sample column)."""
    rows = _csv_rows(src)
    if not rows:
        return [], False
    head = [c.strip().lower() for c in rows[0]]
    if "name" in head and "quantity" in head and "value" in head:
        iname, iq, iv = head.index("name"), head.index("quantity"), head.index("value")
        isample = head.index("sample") if "sample" in head else None
        body = rows[1:]
        first = 2
    else:
        iname, iq, iv, isample = 0, 1, 2, None
        body = rows
        first = 1
    out: List[_Entry] = []
    for i, r in enumerate(body):
        if len(r) <= max(iname, iq, iv):
            raise FormatError("diff: CSV row %d has %d fields, expected name,quantity,value: %r"
                              % (i + first, len(r), r))
        s = None
        if isinstance(isample, int):
            try:
                s = int(r[isample])
            except ValueError:
                raise FormatError("diff: CSV row %d, column 'sample': %r is not a whole number "
                                  "(the sample index 0, 1, ...)" % (i + first, r[isample])) from None
            if sample is not None and s != sample:
                continue
        out.append(((r[iname].strip(), r[iq].strip()), s, "", r[iv].strip(), ""))
    if isinstance(isample, int) and sample is None and out:
        s0 = out[0][1]
        out = [e for e in out if e[1] == s0]
    return out, isinstance(isample, int)


def _check_diff_args(rtol: Any, places: Any, sample: Any) -> None:
    """diff()'s keyword arguments, checked before anything is read."""
    for label, v in (("places", places), ("sample", sample)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise NumberError("diff(%s=%r): give a whole number >= 0 (or leave it out)"
                              % (label, v))
    if rtol is not None:
        ok = not isinstance(rtol, bool) and isinstance(rtol, (int, float, Decimal, Fraction))
        if not ok or not (0 <= rtol < float("inf")):
            raise NumberError("diff(rtol=%r): give a finite number >= 0, e.g. rtol=1e-9 (or "
                              "leave it out)" % (rtol,))


def _not_a_number(v: Any, key: Tuple[str, str], side: str) -> FormatError:
    return FormatError("diff: %s %s in the %s table is %r: give a finite number (or a "
                       "string such as '0.5933')" % (key[0], key[1], side, v))


def _diff_value(v: Any, like: Any, key: Tuple[str, str], side: str) -> Any:
    """*v* as a finite number (text is read as the type of *like*: Decimal, Fraction, else
    float); else FormatError naming the quantity and the table."""
    if isinstance(v, str):
        number = Decimal if isinstance(like, Decimal) else Fraction if isinstance(like, Fraction) \
            else float
        try:
            return parse_number(v, number, "diff: %s %s in the %s table" % (key[0], key[1], side))
        except NumberError:
            raise _not_a_number(v, key, side) from None
    if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, Fraction)) or (
            not isinstance(v, Fraction) and not (v == v and abs(v) != float("inf"))):
        raise _not_a_number(v, key, side)
    return v


def _places_of(v: Any) -> Optional[int]:
    if isinstance(v, str) and "." in v and "e" not in v.lower():
        return len(v.strip().split(".")[1])
    return None


def _same(a: Any, b: Any, rtol: Any, places: Optional[int]) -> bool:
    if places is not None:
        rule = Rounding(places=places)          # half up, as a hand calculation rounds
        return rule.round_decimal(_decimal(a)) == rule.round_decimal(_decimal(b))
    try:
        return abs(float(a) - float(b)) <= float(rtol) * max(abs(float(a)), abs(float(b))) or a == b
    except (TypeError, ValueError, OverflowError):
        return a == b


def _decimal(x: Any) -> Decimal:
    """*x* as a Decimal: a float as the decimal it is written as (its shortest repr)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, Fraction):
        with localcontext() as c:
            c.prec = 60
            return Decimal(x.numerator) / Decimal(x.denominator)
    return parse_number(number_text(float(x)), Decimal, "a value compared by diff")


def diff(a: Any, b: Any, *, rtol: Any = None, places: Optional[int] = None,
         sample: Optional[int] = None) -> Diff:
    """Compare two traces, or a trace and a table of hand-calculated values.

    *a* and *b* are each a :class:`Trace`, a dict ``{(name, quantity): value}``
    (or ``{name: {quantity: value}}``), or a CSV file/text with columns
    ``name,quantity,value``.  Values agree when they round to the same
    *places* decimals, or are within relative tolerance *rtol*; by default a
    hand value given as a string is compared to as many decimals as it shows,
    anything else with ``rtol=1e-9``.  Quantities present on both sides are
    compared for one sample (*sample*, default the first).  Differences come
    in the reading order of *a* (a trace: the order of computation); each is
    shown as "*a*'s value vs *b*'s value (off by *b* - *a*)", so put the
    trusted values first.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> with ex.net.trace() as t:
    ...     _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> hand = {("h1", "a"): "0.593269992", ("o1", "delta"): "0.138498561"}
    >>> print(ng.diff(t, hand))  # doctest: +ELLIPSIS
    1 of 2 quantities differ; first in reading order:
      o1 delta (sample 0, backward, BP1): 0.13849856162855698 vs 0.138498561 (off by ...)
    """
    _check_diff_args(rtol, places, sample)
    ea, _ = _entries(a, sample)
    eb, _ = _entries(b, sample)
    bmap: Dict[Tuple[str, str], _Entry] = {}
    for e in eb:
        bmap.setdefault(e[0], e)
    seen = set()
    out: List[Difference] = []
    compared = 0
    for key, s, phase, va, eq in ea:
        if key in seen:
            continue
        seen.add(key)
        other = bmap.get(key)
        if other is None:
            continue
        vb = other[3]
        compared += 1
        p = places
        if p is None and rtol is None:
            p = _places_of(vb) if _places_of(vb) is not None else _places_of(va)
        na = _diff_value(va, vb, key, "first")
        nb = _diff_value(vb, na, key, "second")
        tol = 1e-9 if rtol is None else rtol
        if not _same(na, nb, tol, p):
            out.append(Difference(key[0], key[1], s, phase or other[2], na, nb, eq or other[4]))
    a_keys = {e[0] for e in ea}
    for e in eb:
        if e[0] not in a_keys and isinstance(a, Trace):
            out.append(Difference(e[0][0], e[0][1], None, "", None,
                                  _diff_value(e[3], 0.0, e[0], "second"), ""))
            a_keys.add(e[0])
    return Diff(out, compared)
