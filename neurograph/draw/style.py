"""The look of the pictures: colours, font, and the values a picture can show.

========================  ==========================================================
name                      what it is
========================  ==========================================================
``SHOWABLE``              the values ``show=`` can name, with their short labels
``POS``, ``NEG``          the colours of positive and negative weights
``ZERO``, ``GRAD``        zero (or not a number) weights; gradients
``BUNDLE``, ``BIAS``      connections of collapsed neurons; shared bias nodes
``RECUR``                 delayed (recurrent) connections
``FONT``                  the font families of the SVG pictures
``_weight_colour(w)``     the colour of a connection of weight *w*
``_parse_show(show)``     ``show=`` checked against ``SHOWABLE``, as a tuple
``_known(net, show)``      *show* less ``"grad"`` until a backward pass has given gradients
========================  ==========================================================

>>> SHOWABLE["delta"], POS, NEG
('δ', '#2b6cb0', '#c53030')
"""

from __future__ import annotations

import math
from typing import Any, Tuple

from ..core.errors import NameLookupError, suggest

__all__ = ["SHOWABLE", "POS", "NEG", "ZERO", "GRAD", "BUNDLE", "BIAS", "RECUR", "FONT"]

#: The values a picture can show, with the short label used next to each number.
SHOWABLE = {
    "weight": "w", "grad": "\u2207", "a": "a", "z": "z", "delta": "\u03b4",
    "grad_a": "\u2202E/\u2202a", "bias": "b",
}

POS = "#2b6cb0"        # positive weight
NEG = "#c53030"        # negative weight
ZERO = "#8a8a8a"       # zero or not a number
GRAD = "#d9730d"       # gradients (the second colour)
BUNDLE = "#a0a0a0"     # connections to collapsed neurons
BIAS = "#b7791f"       # shared bias nodes and their lines
RECUR = "#6b46c1"      # delayed (recurrent) connections
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"


def _weight_colour(w: float) -> str:
    """The colour of a connection whose weight is *w* (a float for colour only)."""
    if math.isnan(w) or w == 0:
        return ZERO
    return POS if w > 0 else NEG


def _parse_show(show: Any) -> Tuple[str, ...]:
    """*show* (None, one name or several) as a tuple of names from ``SHOWABLE``, each once."""
    if show is None:
        return ()
    if isinstance(show, str):
        show = (show,)
    if isinstance(show, (bytes, dict)) or not hasattr(show, "__iter__"):
        raise NameLookupError("show=%r: give a value to show or a list of them, from %s, or "
                              "None for none" % (show, ", ".join(sorted(SHOWABLE))))
    out = []
    for item in show:
        if item not in SHOWABLE:
            raise NameLookupError("show=%r: unknown value %r; choose from %s%s" % (
                show, item, ", ".join(sorted(SHOWABLE)), suggest(str(item), SHOWABLE)))
        if item not in out:
            out.append(item)
    return tuple(out)


def _known(net: Any, show: Tuple[str, ...]) -> Tuple[str, ...]:
    """*show* without ``"grad"`` while *net* has no gradients to show: no backward pass
    since its last forward pass and every gradient zero (a net never trained, or one whose
    gradients were zeroed).  A picture shows what is known.

    >>> import neurograph as ng
    >>> net = ng.Net.dense([1, 1], seed=0)
    >>> _known(net, ("weight", "grad"))
    ('weight',)
    >>> _ = net.forward([1.0]); _ = net.backward([0.0])
    >>> _known(net, ("weight", "grad"))
    ('weight', 'grad')
    """
    if "grad" not in show or getattr(net, "_backwarded", False):
        return show
    params = getattr(net, "parameters", None)
    if params is None or any(p.g for p in params()):
        return show
    return tuple(s for s in show if s != "grad")
