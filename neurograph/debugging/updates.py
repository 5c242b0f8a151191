"""The update lines of an explanation: what an optimizer does to one parameter, in its numbers.

``net.explain("w5", optimizer=opt)`` ends with the update ``opt`` makes to
``w5``, and ``lr=eta`` with that of plain gradient descent (``SGD(net,
lr=eta)``).  Every number comes from the optimizer's own account of the
update (:meth:`~neurograph.core.optim.Optimizer.describe`: it runs its
update of that parameter alone with a record attached, then puts
everything back), so weight decay, momentum, Nesterov's step and Adam's
moments and bias corrections are the ones ``step()`` uses; the formulas
are written here, the arithmetic is the optimizer's.  Before a step the
lines are what ``opt.step()`` would do (from the weight the pass used,
under the pass's rounding rule); after one (with
:func:`~neurograph.debugging.remember` listening) they are the update
``opt`` made, ``opt.last_update(p)``.

=================================  ==================================================
name                               what it is
=================================  ==================================================
``update_eqs(ctx, p, opt, given)`` the update lines and their notes for parameter *p*
``optimizer_of(net, opt, lr)``     the optimizer explain describes (checked)
``grad_notes(ctx, p, total)``      notes: a ``.grad`` that adds up over passes, a weight
                                   changed since the pass
=================================  ==================================================

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> opt = ng.SGD(ex.net, lr=0.5, momentum=0.9, weight_decay=0.1)
>>> print("\\n".join(ex.net.explain("w5", optimizer=opt).lines()[-3:]))
g_w5 = dE/dw5 + lambda * w5 = 0.082167041 + 0.100000000 * 0.400000000 = 0.122167041   [weight decay]
v_w5+ = mu * v_w5 + g_w5 = 0.900000000 * 0.000000000 + 0.122167041 = 0.122167041   [momentum]
w5+ = w5 - eta * v_w5+ = 0.400000000 - 0.500000000 * 0.122167041 = 0.338916480   [update: SGD, momentum]
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..core import rounding
from ..core.errors import TopologyError
from ..core.optim import SGD, Optimizer, check_setting
from .derivatives import _Ctx
from .notation import _E, Equation, _S, _d, _form, _name, _tex_name

__all__: List[str] = []


def grad_notes(ctx: _Ctx, p: Any, total: Any) -> List[str]:
    """Notes on a gradient that adds up over passes and on a weight changed since the pass."""
    notes = []
    if p.g != total:
        notes.append("%s.grad holds %s, not this pass's %s: gradients add up over backward "
                     "passes until zero_grad(); the update uses .grad" % (
                         p.name, ctx.note(p.g, ("object", p, "grad", None)),
                         ctx.note(total, ("walk", "grad", p, None))))
    if p in ctx.rec.used:
        notes.append("%s has been updated since that backward pass (it is now %s); the lines "
                     "above use the value the pass used, %s" % (
                         p.name, ctx.note(p.w, ("object", p, "value", None)),
                         ctx.note(ctx.rec.weight(p), ("weight", p))))
    return notes


def optimizer_of(net: Any, optimizer: Any, lr: Any) -> Optional[Optimizer]:
    """The optimizer whose update explain shows: *optimizer*, or plain SGD with *lr*; a
    NeurographError naming the argument when it is not one of *net*."""
    if optimizer is not None and lr is not None:
        raise TopologyError("explain takes lr= (plain gradient descent) or optimizer= (the "
                            "update of that optimizer), not both")
    if lr is not None:
        lr = check_setting("explain", "lr", lr, net.number_system)
        return SGD(net, lr=lr)
    if optimizer is not None and (not isinstance(optimizer, Optimizer)
                                  or optimizer.net is not net):
        raise TopologyError("explain(optimizer=%r): give an optimizer of this net, e.g. "
                            "ng.SGD(net, lr=0.5)" % (optimizer,))
    return optimizer


def _record(ctx: _Ctx, p: Any, opt: Optimizer, made: bool) -> Optional[Dict[str, Any]]:
    """The optimizer's numbers for *p*: the update it made since the pass (*made*), or the
    one its next step would make from the weight the pass used, under the pass's rule."""
    if made:
        return opt.last_update(p)
    w = p.w
    p.w = ctx.rec.weight(p)
    try:
        with rounding.recording([], ctx.rec.rule):
            return opt.describe(p)
    finally:
        p.w = w


def update_eqs(ctx: _Ctx, p: Any, opt: Optional[Optimizer], given: bool
               ) -> Tuple[List[Equation], List[str]]:
    """The update of parameter *p* by *opt* (:func:`optimizer_of`: the optimizer given, or SGD
    with the lr given, or None), and notes; *given*: the optimizer was given, so it may have
    made the update already."""
    if opt is None:
        return [], []
    if not p.trainable:
        return [], ["%s is frozen: optimizers leave it at %s" % (
            p.name, ctx.note(ctx.rec.weight(p), ("weight", p)))]
    made = p in ctx.rec.used and given
    d = _record(ctx, p, opt, made)
    if d is None:
        return [], ["%s was updated after that pass and %s kept no record of it (an optimizer "
                    "keeps one while a hook such as ng.remember(net) listens)" % (
                        p.name, type(opt).__name__)]

    def num(key: str, paren: bool = False) -> _S:
        return ctx.n(d[key], ("optimizer", opt, p, key), paren)

    psym = _name(p.name)
    plus = _S(p.name + "+", r"%s^{+}" % psym.tex)
    grad = _d(_E(), psym)
    eqs: List[Equation] = []
    g, gnum = grad, num("grad", True)
    if d["decayed"] is not None:
        g = _S("g_" + p.name, "g_{%s}" % _tex_name(p.name))
        eqs.append(Equation(g, [
            _form("%s + lambda * %s", r"%s + \lambda \cdot %s", grad, psym),
            _form("%s + %s * %s", r"%s + %s \cdot %s", num("grad"), num("weight_decay"),
                  num("weight", True)), num("decayed")], "weight decay", True))
        gnum = num("decayed", True)
    if "m_hat" in d:
        return eqs + _adam_eqs(d, num, psym, plus, g, gnum), []
    if d.get("velocity") is None:
        return eqs + [Equation(plus, [
            _form("%s - eta * %s", r"%s - \eta \cdot %s", psym, g),
            _form("%s - %s * %s", r"%s - %s \cdot %s", num("weight"), num("lr"), gnum),
            num("after")], "update" if d["decayed"] is None else "update: SGD", True)], []
    v = _S("v_" + p.name, "v_{%s}" % _tex_name(p.name))
    v_plus = _S("v_%s+" % p.name, "v_{%s}^{+}" % _tex_name(p.name))
    eqs.append(Equation(v_plus, [
        _form("mu * %s + %s", r"\mu \cdot %s + %s", v, g),
        _form("%s * %s + %s", r"%s \cdot %s + %s", num("momentum"), num("velocity", True),
              gnum), num("velocity_after")], "momentum", True))
    if d["nesterov"]:
        return eqs + [Equation(plus, [
            _form("%s - eta * (%s + mu * %s)", r"%s - \eta \cdot (%s + \mu \cdot %s)",
                  psym, g, v_plus),
            _form("%s - %s * (%s + %s * %s)", r"%s - %s \cdot (%s + %s \cdot %s)",
                  num("weight"), num("lr"), gnum, num("momentum"), num("velocity_after", True)),
            _form("%s - %s * %s", r"%s - %s \cdot %s", num("weight"), num("lr"),
                  num("step", True)),
            num("after")], "update: SGD, Nesterov momentum", True)], []
    return eqs + [Equation(plus, [
        _form("%s - eta * %s", r"%s - \eta \cdot %s", psym, v_plus),
        _form("%s - %s * %s", r"%s - %s \cdot %s", num("weight"), num("lr"),
              num("velocity_after", True)), num("after")], "update: SGD, momentum", True)], []


def _adam_eqs(d: Dict[str, Any], num: Any, psym: _S, plus: _S, g: _S,
              gnum: _S) -> List[Equation]:
    """Adam's two moments, their bias corrections and the update."""
    name, tex = psym.text, psym.tex
    m, v = _S("m_" + name, "m_{%s}" % tex), _S("v_" + name, "v_{%s}" % tex)
    m1, v1 = _S("m_%s+" % name, "m_{%s}^{+}" % tex), _S("v_%s+" % name, "v_{%s}^{+}" % tex)
    mh, vh = _S("m^_" + name, r"\hat{m}_{%s}" % tex), _S("v^_" + name, r"\hat{v}_{%s}" % tex)
    b1, b2 = num("beta1"), num("beta2")
    return [
        Equation(m1, [_form("beta1 * %s + (1 - beta1) * %s",
                            r"\beta_1 \cdot %s + (1 - \beta_1) \cdot %s", m, g),
                      _form("%s * %s + (1 - %s) * %s", r"%s \cdot %s + (1 - %s) \cdot %s",
                            b1, num("m", True), b1, gnum), num("m_after")],
                 "Adam: first moment", True),
        Equation(v1, [_form("beta2 * %s + (1 - beta2) * %s^2",
                            r"\beta_2 \cdot %s + (1 - \beta_2) \cdot %s^{2}", v, g),
                      _form("%s * %s + (1 - %s) * %s^2", r"%s \cdot %s + (1 - %s) \cdot {%s}^{2}",
                            b2, num("v", True), b2, gnum), num("v_after")],
                 "Adam: second moment", True),
        Equation(mh, [_form("%s / (1 - beta1^t)", r"%s / (1 - \beta_1^{t})", m1),
                      _form("%s / %s", "%s / %s", num("m_after"), num("correction1")),
                      num("m_hat")], "Adam: bias correction, t = %d" % d["t"], True),
        Equation(vh, [_form("%s / (1 - beta2^t)", r"%s / (1 - \beta_2^{t})", v1),
                      _form("%s / %s", "%s / %s", num("v_after"), num("correction2")),
                      num("v_hat")], "Adam: bias correction, t = %d" % d["t"], True),
        Equation(plus, [_form("%s - eta * %s / (sqrt(%s) + eps)",
                              r"%s - \eta \cdot %s / (\sqrt{%s} + \epsilon)", psym, mh, vh),
                        _form("%s - %s * %s / (sqrt(%s) + %s)",
                              r"%s - %s \cdot %s / (\sqrt{%s} + %s)", num("weight"), num("lr"),
                              num("m_hat", True), num("v_hat"), num("eps")),
                        _form("%s - %s * %s / %s", r"%s - %s \cdot %s / %s", num("weight"),
                              num("lr"), num("m_hat", True), num("denominator")),
                        num("after")], "update: Adam", True)]
