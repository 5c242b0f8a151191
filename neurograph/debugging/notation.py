"""The notation of an explanation: symbols, numbers, equations and the Explanation itself.

Each piece of an equation is a symbol holding its plain text and its LaTeX
(``net_h1`` and ``\\mathrm{net}_{\\mathrm{h1}}``); numbers are written by
:func:`neurograph.core.arithmetic.number_text`, a float with nine decimal places
unless ``digits=`` asks for others, a Decimal or Fraction exactly.  An
:class:`Explanation` is a list of :class:`Equation` lines, written as plain
text, Markdown or LaTeX.

=========================  ==========================================================
name                       what it is
=========================  ==========================================================
``EQUATIONS``              what each tag BP1..BP4 means (Nielsen's numbering)
:class:`Equation`          one line ``lhs = steps[0] = steps[1] = ...`` and its tag
:class:`Explanation`       the lines: ``str(e)``, ``.lines()``, ``.markdown()``, ``.latex()``
=========================  ==========================================================

>>> from neurograph.debugging.notation import EQUATIONS
>>> EQUATIONS["BP3"]
'dE/d(bias) = delta of the neuron'
"""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from ..core.arithmetic import number_text
from ..core.neuron import Neuron

__all__ = ["EQUATIONS", "Equation", "Explanation", "Number"]


#: What each equation tag means (Nielsen's numbering).
EQUATIONS = {
    "BP1": "delta of an output neuron = dE/d(out) * f'(net)",
    "BP2": "delta of a hidden neuron = (sum over outgoing connections of w * delta) * f'(net)",
    "BP3": "dE/d(bias) = delta of the neuron",
    "BP4": "dE/dw = out of the source neuron * delta of the destination neuron",
}


# ---------------------------------------------------------------------------
# Symbols: each piece of an equation in plain text and in LaTeX
# ---------------------------------------------------------------------------

class Number(NamedTuple):
    """One number an explanation prints: its value, its text and where it comes from.

    *source* is a tuple whose first item says what the number is, and the rest which:

    ================================  ===================================================
    source                            the number is
    ================================  ===================================================
    ``("object", obj, attr, t)``      ``getattr(obj, attr)`` after the pass (``t`` None),
                                      or ``obj.at(t)``'s at time step ``t``
    ``("weight", p)``                 the weight the pass used: ``p.weight``, or the value
                                      :func:`~neurograph.debugging.remember` kept
    ``("initial", n)``                what neuron ``n``'s delayed connections read before
                                      step 0
    ``("target", n, t)``              the target of output ``n`` in the pass
    ``("f'", n, t)``                  ``n.df`` at ``n.a`` (or ``n.z``): the walk's callable
    ``("loss gradient", n, t)``       dE(t)/da of output ``n`` by the loss's own gradient
    ``("shift", group, t)``           ``core.walk.softmax_shift(group)``
    ``("walk", kind, obj, t)``        a term or sum the walk made, recorded in a replay
                                      (kind ``"BP4"``, ``"BP2"``, ``"BP3"`` or ``"grad"``)
    ``("optimizer", opt, p, key)``    ``opt``'s record of its update of ``p``: ``key``
    ================================  ===================================================

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> n = ex.net.explain("o1").numbers()[0]
    >>> n.text, n.source[0], n.source[2]
    ('0.741365070', 'object', 'grad_a')
    """
    value: Any
    text: str
    source: Tuple[Any, ...]


class _S(NamedTuple):
    text: str
    tex: str
    atom: bool = False  # True: needs no parentheses after "d" (w5, E, E_o1)
    numbers: Tuple[Number, ...] = ()   # the numbers written in it, in order


_TEX_ESCAPES = [("\\", r"\backslash "), ("{", r"\{"), ("}", r"\}"), ("_", r"\_"), ("#", r"\#"),
                ("%", r"\%"), ("&", r"\&"), ("$", r"\$"), ("^", r"\hat{}"), ("~", r"\sim "),
                (" ", r"\ ")]


def _tex_escape(text: str) -> str:
    for a, b in _TEX_ESCAPES:
        text = text.replace(a, b)
    return text.replace("->", r"{\to}")


def _tex_name(name: str) -> str:
    return r"\mathrm{%s}" % _tex_escape(name)


def _out(n: Neuron) -> _S:
    return _S("out_" + n.name, r"\mathrm{out}_{%s}" % _tex_name(n.name))


def _net(n: Neuron) -> _S:
    return _S("net_" + n.name, r"\mathrm{net}_{%s}" % _tex_name(n.name))


def _delta(n: Neuron) -> _S:
    return _S("delta_" + n.name, r"\delta_{%s}" % _tex_name(n.name))


def _E(through: Optional[Neuron] = None) -> _S:
    if through is None:
        return _S("E", "E", True)
    return _S("E_" + through.name, "E_{%s}" % _tex_name(through.name), True)


def _name(name: str) -> _S:
    return _S(name, _tex_name(name), name.isalnum())


def _d(num: _S, den: _S) -> _S:
    def wrap(s: _S) -> str:
        return s.text if s.atom else "(%s)" % s.text
    return _S("d%s/d%s" % (wrap(num), wrap(den)), r"\frac{\partial %s}{\partial %s}" % (num.tex, den.tex))


def _join(parts: Sequence[_S], op: str, tex_op: str) -> _S:
    return _S((" %s " % op).join(p.text for p in parts), (" %s " % tex_op).join(p.tex for p in parts),
              False, tuple(n for p in parts for n in p.numbers))


def _prod(parts: Sequence[_S]) -> _S:
    return _join(parts, "*", r"\cdot")


def _sum(parts: Sequence[_S]) -> _S:
    return _join(parts, "+", "+")


def _at(sym: _S, t: Any) -> _S:
    """*sym* at time step *t* (a number, or a text such as "t-1")."""
    return _S("%s(%s)" % (sym.text, t), r"%s(%s)" % (sym.tex, t), False, sym.numbers)


def _raw(text: str, tex: str) -> _S:
    return _S(text, tex)


def _form(text: str, tex: str, *parts: _S) -> _S:
    r"""The symbols *parts* put into the templates *text* and *tex* (``%s`` each).

    >>> _form("%s * (1 - %s)", r"%s \cdot (1 - %s)", _S("a", "a"), _S("a", "a")).text
    'a * (1 - a)'
    """
    return _S(text % tuple(p.text for p in parts), tex % tuple(p.tex for p in parts), False,
              tuple(n for p in parts for n in p.numbers))


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

#: Decimal places of a float in an explanation when ``digits=`` is not given (a Decimal or
#: Fraction is then written exactly).
_FLOAT_PLACES = 9


def _num_sym(x: Any, places: Optional[int], paren: bool = False,
             source: Tuple[Any, ...] = ("value",)) -> _S:
    """*x* with *places* decimals (a float: 9 when None), in parentheses if *paren* and < 0;
    *source* says where the number comes from (see :class:`Number`)."""
    if places is None and isinstance(x, float):
        places = _FLOAT_PLACES
    text = number_text(x, places=places)
    tex = text
    if "/" in text:
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        n, _, d = body.partition("/")
        tex = r"%s\frac{%s}{%s}" % (sign, n, d)
    elif "e" in text.lower() and text.lower() not in ("inf", "-inf", "nan"):
        mant, _, ex = text.lower().partition("e")
        tex = r"%s \times 10^{%d}" % (mant, int(ex))
    nums = (Number(x, text, source),)
    if paren and text.startswith("-"):
        return _S("(%s)" % text, r"\left(%s\right)" % tex, False, nums)
    return _S(text, tex, False, nums)


# ---------------------------------------------------------------------------
# Equations and explanations
# ---------------------------------------------------------------------------

class Equation(NamedTuple):
    """One equation of an :class:`Explanation`: ``lhs = steps[0] = steps[1] = ...``.

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> eq = ex.net.explain("o1").equations[0]
    >>> eq.lhs.text, eq.tag, [s.text for s in eq.steps]
    ('delta_o1', 'BP1', ['dE/d(out_o1) * d(out_o1)/d(net_o1)', '0.741365070 * 0.186815602', '0.138498562'])
    """
    lhs: _S
    steps: List[_S]
    tag: str
    inline: bool = False
    op: str = "="        # "+=" for what the walk adds to a running sum


class Explanation:
    """The chain rule behind one gradient or delta, with the numbers filled in.

    ``str(e)`` is plain text, :meth:`markdown` and :meth:`latex` the same for
    documents; ``value`` is the number explained, ``equations`` the lines and
    ``notes`` any remarks (accumulated gradients, changed weights).

    >>> import neurograph as ng
    >>> ex = ng.textbook.mazur()
    >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
    >>> e = ex.net.explain("o1")
    >>> e, round(e.value, 9)
    (<Explanation of delta_o1 = 0.138499: 3 equations>, 0.138498562)
    """

    def __init__(self, title: str, value: Any, equations: List[Equation], notes: List[str],
                 note_numbers: Sequence[Number] = ()) -> None:
        self.title = title
        self.value = value
        self.equations = equations
        self.notes = notes
        self._note_numbers = list(note_numbers)

    def numbers(self) -> List[Number]:
        """Every number the explanation prints, in order, each with where it comes from.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> [(n.text, n.source[0]) for n in ex.net.explain("o1").numbers()][:3]
        [('0.741365070', 'object'), ('0.186815602', "f'"), ('0.138498562', 'object')]
        """
        out = [n for eq in self.equations for s in [eq.lhs] + list(eq.steps) for n in s.numbers]
        return out + self._note_numbers

    def __repr__(self) -> str:
        return "<Explanation of %s = %s: %d equations>" % (self.title, number_text(self.value, 6),
                                                            len(self.equations))

    def _tags(self) -> List[str]:
        seen: List[str] = []
        for eq in self.equations:
            for t in eq.tag.split(", "):
                if t in EQUATIONS and t not in seen:
                    seen.append(t)
        return sorted(seen)

    def lines(self) -> List[str]:
        """The plain-text lines (``str(e)`` joins them).

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> lines = ex.net.explain("o1").lines()
        >>> len(lines), lines[0]
        (7, 'delta_o1 = dE/d(out_o1) * d(out_o1)/d(net_o1)   [BP1]')
        """
        out: List[str] = []
        for eq in self.equations:
            tag = "   [%s]" % eq.tag if eq.tag else ""
            if eq.inline:
                out.append("%s %s %s%s" % (eq.lhs.text, eq.op, " = ".join(s.text for s in eq.steps),
                                           tag))
                continue
            pad = " " * len(eq.lhs.text)
            for i, s in enumerate(eq.steps):
                out.append("%s %s %s%s" % (eq.lhs.text if i == 0 else pad, eq.op if i == 0 else
                                           "=".rjust(len(eq.op)), s.text, tag if i == 0 else ""))
        out.extend("note: " + n for n in self.notes)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def markdown(self) -> str:
        """Markdown: a heading, the equations in a code block, the equations used.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> md = ex.net.explain("w5").markdown().splitlines()
        >>> md[0], md[-1]
        ('#### dE/dw5', '- **BP4**: dE/dw = out of the source neuron * delta of the destination neuron')
        """
        parts = ["#### %s" % self.title.replace("_", r"\_"), "", "```text"] + self.lines() + ["```"]
        tags = self._tags()
        if tags:
            parts.append("")
            parts.extend("- **%s**: %s" % (t, EQUATIONS[t]) for t in tags)
        return "\n".join(parts) + "\n"

    def latex(self) -> str:
        r"""A LaTeX ``align*`` environment (amsmath); names are escaped, braces balanced.

        >>> import neurograph as ng
        >>> ex = ng.textbook.mazur()
        >>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
        >>> tex = ex.net.explain("o1").latex().splitlines()
        >>> print(tex[0]); print(tex[2])
        \begin{align*}
         &= 0.741365070 \cdot 0.186815602 \\
        """
        rows: List[str] = []
        for eq in self.equations:
            tag = r" && \text{(%s)}" % _tex_escape(eq.tag).replace(r"\ ", " ") if eq.tag else ""
            op = "&=" if eq.op == "=" else r"&\mathrel{+}="
            if eq.inline:
                rows.append("%s %s %s%s" % (eq.lhs.tex, op, " = ".join(s.tex for s in eq.steps),
                                            tag))
                continue
            for i, s in enumerate(eq.steps):
                rows.append("%s %s %s%s" % (eq.lhs.tex if i == 0 else "", op if i == 0 else "&=",
                                            s.tex, tag if i == 0 else ""))
        for n in self.notes:
            rows.append(r"\intertext{%s}" % _tex_escape(n).replace(r"\ ", " "))
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"

    def _repr_markdown_(self) -> str:
        return self.markdown()
