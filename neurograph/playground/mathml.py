"""MathML for the page: the LaTeX that ``net.explain`` writes, as MathML elements.

The page draws equations as MathML (Chromium, Firefox and Safari draw it
natively, no library), and keeps the plain text beside them for copying.
The elements travel as JSON: a list ``[tag, {attributes}, child, ...]``
whose children are lists of the same form or text; the page builds them
with ``createElementNS``, so nothing is parsed as HTML.

The LaTeX is the small part of it that :class:`~neurograph.debugging.Explanation`
writes: ``\\frac``, ``\\partial``, ``\\mathrm``, ``\\text``, ``\\cdot``,
``\\times``, ``\\left(``/``\\right)``, ``\\big|``, ``\\sum``, ``\\sqrt``, Greek
letters, ``^`` and ``_``.  A command it does not know is written as text.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``tex_to_mathml(tex)``         one formula: the children of a ``<math>`` element
``equation_mathml(eq)``        one :class:`~neurograph.debugging.Equation` as a
                               ``<math display="block">`` holding a table of its lines
                               (its tag, e.g. BP1, in ``data-tag``)
``explanation_mathml(e)``      every equation of an Explanation: a list of ``<math>``
=============================  ========================================================

>>> tex_to_mathml(r"\\frac{\\partial E}{\\partial \\mathrm{w5}} = 0.25")
[['mfrac', {}, ['mrow', {}, ['mo', {}, '∂'], ['mi', {}, 'E']], ['mrow', {}, ['mo', {}, '∂'], ['mi', {'mathvariant': 'normal'}, 'w5']]], ['mo', {}, '='], ['mn', {}, '0.25']]
"""

from __future__ import annotations

import re
from typing import Any, List, Tuple

__all__ = ["tex_to_mathml", "equation_mathml", "explanation_mathml"]

_NAME = re.compile(r"[A-Za-z0-9_]+\Z")

Node = Any   # [tag, attrs, children...] or text

_SYMBOLS = {"cdot": ("mo", "\u22c5"), "times": ("mo", "\u00d7"), "partial": ("mo", "\u2202"),
            "eta": ("mi", "\u03b7"), "delta": ("mi", "\u03b4"), "sum": ("mo", "\u2211"),
            "to": ("mo", "\u2192"), "sim": ("mo", "~"), "backslash": ("mo", "\\"),
            "mu": ("mi", "\u03bc"), "beta": ("mi", "\u03b2"), "epsilon": ("mi", "\u03b5"),
            "lambda": ("mi", "\u03bb"), "theta": ("mi", "\u03b8"), "ln": ("mi", "ln"),
            "exp": ("mi", "exp"), "sqrt": ("msqrt", ""), "leftarrow": ("mo", "\u2190")}
_TEXT_ESCAPES = {"_": "_", "{": "{", "}": "}", "#": "#", "%": "%", "&": "&", "$": "$",
                 " ": " ", "|": "|", ",": " ", ";": " "}
_GREEK_TEXT = {"to": "\u2192", "sim": "~", "backslash": "\\", "hat": "^"}


class _Reader:
    """The LaTeX text and a position in it."""

    def __init__(self, tex: str) -> None:
        self.s = tex
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def command(self) -> str:
        """The name after a backslash (letters), or the one character escaped."""
        self.i += 1
        j = self.i
        while j < len(self.s) and self.s[j].isalpha():
            j += 1
        if j == self.i:
            j = min(self.i + 1, len(self.s))
        name, self.i = self.s[self.i:j], j
        return name

    def group_text(self) -> str:
        """The raw text of the group ``{...}`` here (nested braces kept), or one character."""
        while self.peek() == " ":
            self.i += 1
        if self.peek() != "{":
            c = self.peek()
            self.i += 1 if c else 0
            return c
        depth, j = 0, self.i
        while j < len(self.s):
            c = self.s[j]
            if c == "\\":
                j += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        text, self.i = self.s[self.i + 1:j], j + 1
        return text


def _plain(text: str) -> str:
    """The characters a ``\\mathrm{...}`` or ``\\text{...}`` argument stands for."""
    out, r = [], _Reader(text)
    while r.peek():
        c = r.peek()
        if c == "\\":
            name = r.command()
            if name == "hat":
                r.group_text()
            out.append(_GREEK_TEXT.get(name, _TEXT_ESCAPES.get(name, name)))
        elif c in "{}":
            r.i += 1
        else:
            out.append(c)
            r.i += 1
    return "".join(out)


def _mrow(nodes: List[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else ["mrow", {}] + nodes


def _atom(r: _Reader) -> Tuple[Node, bool]:
    """The next element and whether it may take a script (False at the end or a stop)."""
    c = r.peek()
    if c == "{":
        return _mrow(_sequence(r.group_text())), True
    if c == "\\":
        return _command(r, r.command()), True
    r.i += 1
    if c.isdigit() or c == ".":
        j = r.i
        while j < len(r.s) and (r.s[j].isdigit() or r.s[j] == "."):
            j += 1
        text, r.i = c + r.s[r.i:j], j
        return ["mn", {}, text], True
    if c.isalpha():
        return ["mi", {}, c], True
    return ["mo", {}, c], True


def _command(r: _Reader, name: str) -> Node:
    if name == "frac":
        top, bottom = r.group_text(), r.group_text()
        return ["mfrac", {}, _mrow(_sequence(top)), _mrow(_sequence(bottom))]
    if name in ("mathrm", "text", "operatorname"):
        text = _plain(r.group_text())
        return ["mtext" if name == "text" else "mi", {} if len(text) < 2 or name == "text"
                else {"mathvariant": "normal"}, text]
    if name == "sqrt":
        return ["msqrt", {}] + _sequence(r.group_text())
    if name in ("left", "right", "big", "Big", "bigl", "bigr"):
        c = r.peek()
        if c == "\\":
            inner = r.command()
            return ["mo", {}, _TEXT_ESCAPES.get(inner, inner)]
        r.i += 1
        return ["mo", {"stretchy": "true"} if name in ("left", "right") else {}, c]
    if name == "hat":
        r.group_text()
        return ["mo", {}, "^"]
    if name in _TEXT_ESCAPES:
        return ["mo", {}, _TEXT_ESCAPES[name]] if name.strip() else ["mspace", {"width": "0.3em"}]
    tag, text = _SYMBOLS.get(name, ("mtext", name))
    if tag == "msqrt":
        return ["msqrt", {}] + _sequence(r.group_text())
    return [tag, {}, text]


def _sequence(tex: str) -> List[Node]:
    """The elements of *tex*, with ``^`` and ``_`` made into msup, msub and msubsup."""
    r = _Reader(tex)
    out: List[Node] = []
    while r.peek():
        c = r.peek()
        if c == " ":
            r.i += 1
            continue
        if c in "^_" and out:
            sub = sup = None
            while r.peek() in ("^", "_") and r.peek():
                which = r.peek()
                r.i += 1
                text = r.group_text()
                # a plain name such as h1_1 written without \mathrm: one identifier
                arg = ["mi", {}, text] if _NAME.match(text) and "_" in text else \
                    _mrow(_sequence(text))
                if which == "_":
                    sub = arg
                else:
                    sup = arg
            base = out.pop()
            if sub is not None and sup is not None:
                out.append(["msubsup", {}, base, sub, sup])
            elif sub is not None:
                out.append(["munder" if base == ["mo", {}, "\u2211"] else "msub", {}, base, sub])
            else:
                out.append(["msup", {}, base, sup])
            continue
        if c in "^_":
            r.i += 1
            continue
        if c == "&":
            r.i += 1
            continue
        node, _ = _atom(r)
        out.append(node)
    return out


def tex_to_mathml(tex: str) -> List[Node]:
    """The MathML elements (JSON lists) of one LaTeX formula *tex*.

    >>> tex_to_mathml(r"\\delta_{\\mathrm{h1\\_1}}(0)")
    [['msub', {}, ['mi', {}, 'δ'], ['mi', {'mathvariant': 'normal'}, 'h1_1']], ['mo', {}, '('], ['mn', {}, '0'], ['mo', {}, ')']]
    """
    return _sequence(tex)


def equation_mathml(eq: Any) -> Node:
    """One equation of an explanation (``lhs = step = step ...``) as a ``<math>`` element
    holding a table: the left side in the first row only, ``=`` and each step after it
    (the plain text keeps an inline equation on one line; here each step has its row).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> m = equation_mathml(ex.net.explain("o1").equations[0])
    >>> m[0], m[1], len(m[2]) - 2          # three rows: symbols, numbers, the result
    ('math', {'display': 'block', 'data-tag': 'BP1'}, 3)
    """
    lhs = _mrow(_sequence(eq.lhs.tex))
    rows = []
    steps = [s.tex for s in eq.steps]      # (an inline equation too: one row per step)
    for i, tex in enumerate(steps):
        left = ["mtd", {}, lhs] if i == 0 else ["mtd", {}]
        rows.append(["mtr", {}, left, ["mtd", {}, ["mo", {}, "="]],
                     ["mtd", {}, _mrow(_sequence(tex) or [["mrow", {}]])]])
    attrs = {"display": "block"}
    if eq.tag:
        attrs["data-tag"] = eq.tag
    return ["math", attrs, ["mtable", {}] + rows]


def explanation_mathml(explanation: Any) -> List[Node]:
    """Every equation of an :class:`~neurograph.debugging.Explanation`, each a ``<math>``.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> len(explanation_mathml(ex.net.explain("w5")))
    3
    """
    return [equation_mathml(eq) for eq in explanation.equations]
