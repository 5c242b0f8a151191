"""The training settings on the page: loss, optimizer, learning rate, momentum, decay, batch.

:class:`Settings` is immutable: :meth:`Settings.changed` checks a request's
values (numbers through the net's ``NumberSystem.convert`` and
``neurograph.core.optim.check_setting``) and makes a new one, so refused
settings leave the old ones in place.  :meth:`Settings.make_optimizer` makes the
optimizer they describe.  A loss is named as the net computes it: the page's
``cross_entropy`` for softmax outputs is ``categorical_cross_entropy``, the
name ``explain`` prints.

=============================  ========================================================
name                           what it is
=============================  ========================================================
``Settings``                   loss, optimizer, lr, momentum, weight_decay, batch
``loss_names()``               the losses the page offers (one name each)
``loss_for(name, net)``        the name of the loss *name* computes for *net*'s outputs
``OPTIMIZERS``                 ``sgd``, ``momentum`` (SGD with momentum), ``adam``
``MAX_BATCH``                  the largest batch size
=============================  ========================================================

>>> import neurograph as ng
>>> net = ng.Net.dense([2, 1])
>>> s = Settings.start(net, lr=0.5)
>>> s.changed(net, {"optimizer": "momentum", "momentum": "0.9"}).make_optimizer(net)
SGD(lr=0.5, steps=0)
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Dict, List, NamedTuple, Optional

from ..core.arithmetic import number_text
from ..core.errors import NameLookupError, suggest
from .errors import ApiError

__all__ = ["Settings", "loss_names", "loss_for", "OPTIMIZERS", "MAX_BATCH"]

#: The optimizers the page offers: plain SGD, SGD with momentum, Adam.
OPTIMIZERS = ("sgd", "momentum", "adam")
#: The largest batch size.
MAX_BATCH = 4096


def loss_names() -> List[str]:
    """The losses the page offers: those of ``neurograph.LOSSES`` that name one loss
    (``cross_entropy`` picks one of the two cross-entropies, so the page names that one).

    >>> loss_names()
    ['half_sse', 'sse', 'mse', 'binary_cross_entropy', 'categorical_cross_entropy']
    """
    from ..core.losses import LOSSES
    return [name for name in LOSSES if name != "cross_entropy"]


def loss_for(name: Any, net: Any) -> str:
    """The name of the loss that *name* computes for the outputs of *net*: itself, or the
    cross-entropy that ``cross_entropy`` picks.  An unknown name is a NameLookupError.

    >>> import neurograph as ng
    >>> loss_for("cross_entropy", ng.Net.dense([2, 3], output_activation="softmax"))
    'categorical_cross_entropy'
    """
    from ..core.losses import LOSSES
    if not isinstance(name, str) or name not in LOSSES:
        raise NameLookupError("unknown loss %r%s: use one of %s" % (
            str(name)[:40], suggest(str(name), LOSSES), ", ".join(loss_names())))
    if name != "cross_entropy":
        return name
    acts = [n.activation for n in net.outputs]
    return LOSSES[name].for_outputs(acts).name


def default_loss(net: Any) -> str:
    """The loss a net gets when none is given: the cross-entropy for softmax outputs,
    half the sum of squared errors otherwise."""
    acts = {n.activation.name for n in net.outputs if n.activation is not None}
    return "categorical_cross_entropy" if acts == {"softmax"} else "half_sse"


def _text(v: Any, what: str) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int, float, Decimal, Fraction)):
        raise ApiError(400, "%s must be a number (a string such as \"0.5\"), got %r"
                       % (what, str(v)[:40]))
    return v.strip() if isinstance(v, str) else number_text(v)


class Settings(NamedTuple):
    """What the page trains with; numbers kept as the text they were given in."""
    loss: str
    optimizer: str
    lr: str
    momentum: str
    weight_decay: str
    batch: int

    @classmethod
    def start(cls, net: Any, lr: Any = None, loss: Optional[str] = None,
              optimizer: str = "sgd", momentum: Any = None, weight_decay: Any = 0,
              batch: int = 1) -> "Settings":
        """The starting settings (checked: an unknown loss or a bad number raises)."""
        if optimizer not in OPTIMIZERS:
            raise NameLookupError("unknown optimizer %r%s: use one of %s" % (
                str(optimizer)[:40], suggest(str(optimizer), OPTIMIZERS), ", ".join(OPTIMIZERS)))
        base = cls(default_loss(net), optimizer, "0.001" if optimizer == "adam" else "0.1",
                   "0.9", "0", 1)
        body: Dict[str, Any] = {"loss": loss or base.loss, "batch": batch}
        if lr is not None:
            body["lr"] = lr
        if momentum is not None:
            body["momentum"] = momentum
        body["weight_decay"] = weight_decay
        return base.changed(net, body)

    def changed(self, net: Any, body: Dict[str, Any]) -> "Settings":
        """New settings with the values of *body* (``loss``, ``optimizer``, ``lr``,
        ``momentum``, ``weight_decay``, ``batch``), each checked for *net*."""
        from ..core.optim import check_setting
        loss = loss_for(body.get("loss", self.loss), net)
        opt = body.get("optimizer", self.optimizer)
        if opt not in OPTIMIZERS:
            raise ApiError(400, "unknown optimizer %r: use one of %s"
                           % (str(opt)[:40], ", ".join(OPTIMIZERS)))
        num = net.number_system
        texts = {}
        for key in ("lr", "momentum", "weight_decay"):
            text = _text(body.get(key, getattr(self, key)), key)
            check_setting("SGD" if opt != "adam" else "Adam", key, text, num)
            texts[key] = text
        batch = body.get("batch", self.batch)
        if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= MAX_BATCH:
            raise ApiError(400, "batch must be a whole number from 1 to %d, got %r"
                           % (MAX_BATCH, str(batch)[:40]))
        new = Settings(loss, opt, texts["lr"], texts["momentum"], texts["weight_decay"], batch)
        new.make_optimizer(net)            # (Adam in a Fraction net: refused here)
        return new

    def for_net(self, net: Any) -> "Settings":
        """These settings for another net: the loss renamed for its outputs, or its default
        loss when this one cannot serve them."""
        try:
            loss = loss_for(self.loss, net)
            from ..core.losses import LOSSES
            LOSSES[loss].for_outputs([n.activation for n in net.outputs])
        except Exception:
            loss = default_loss(net)
        return self._replace(loss=loss)

    def make_optimizer(self, net: Any) -> Any:
        """The optimizer these settings describe, for *net*."""
        from ..core.optim import SGD, Adam
        num = net.number_system
        lr = num.convert(self.lr, "learning rate")
        wd = num.convert(self.weight_decay, "weight decay")
        if self.optimizer == "adam":
            return Adam(net, lr=lr, weight_decay=wd)
        mu = num.convert(self.momentum, "momentum") if self.optimizer == "momentum" else 0
        return SGD(net, lr=lr, momentum=mu, weight_decay=wd)

    def describe(self) -> Dict[str, Any]:
        """The settings part of the page's state."""
        return {"loss": self.loss, "optimizer": self.optimizer, "lr": self.lr,
                "momentum": self.momentum, "weight_decay": self.weight_decay,
                "batch": self.batch, "losses": loss_names(), "optimizers": list(OPTIMIZERS)}
