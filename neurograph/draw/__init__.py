"""Pictures of a net and of its learning: SVG for notebooks and browsers, DOT, text.

Everything here is drawn with the standard library alone.  The SVG pictures
are standalone files (one ``<svg>`` element with a ``viewBox``) that a
browser, a notebook or an image viewer shows as they are.

=================================  ==================================================
name                               what it draws
=================================  ==================================================
``net_svg(net, show=...)``         neurons by layer (inputs left), weights coloured
                                   by sign with width by magnitude, gradients, legend
``net_dot(net, show=...)``         the same picture as Graphviz DOT text
``diagram(net)``                   a compact text view of a small net, for a terminal
``history_svg(history)``           loss and metrics per epoch, training and validation
``write_svg(svg_text, path)``      write a picture atomically (temporary file + rename)
``save_svg(net, path)``            write ``net_svg(net)`` atomically
``sparkline(values)``              a one-line text chart, for progress displays
``fmt_number(v, digits=4)``        a number as the pictures write it (``number_text``)
``SHOWABLE``, ``POS``, ``NEG``...  the values ``show=`` names; the colours
``DrawMethods``                    the methods ``Net`` gets from here (``to_svg``, ...)
=================================  ==================================================

=================  ===============================================================
module             what it holds
=================  ===============================================================
``style``          colours, font, ``SHOWABLE`` and the check of ``show=``
``text``           numbers and text: ``fmt_number``, escaping, text widths
``geometry``       coordinates, curves, boxes, where a connection's label goes
``layout``         the model shared by SVG and DOT: columns, nodes, edges, biases
``arcs``           delayed (recurrent) connections: loops, arcs, lanes, labels
``legend``         the legend of the SVG picture of a net
``svg``            ``net_svg``
``dot``            ``net_dot``
``terminal``       ``diagram`` and ``sparkline``
``history``        ``history_svg``
``saving``         ``write_svg`` and ``save_svg``
=================  ===============================================================

Large nets stay drawable: a layer with more than ``max_per_layer`` neurons
shows its first and last few and one dashed "more" node with the count, a net
with more than ``max_layers`` layers shows its first and last layers around a
dashed gap, and connections to hidden neurons are drawn as one faint line per
pair of visible nodes.  Connections that skip layers are routed over (or
under) the layers in between.

>>> import neurograph as ng
>>> import xml.etree.ElementTree as ET
>>> ex = ng.textbook.mazur()
>>> _ = ex.net.forward(ex.x); _ = ex.net.backward(ex.y)
>>> svg = ex.net.to_svg(show=("weight", "grad", "a"))
>>> root = ET.fromstring(svg)
>>> root.get("viewBox") is not None, "w5 = 0.4" in svg
(True, True)
>>> print(ex.net.diagram(show=("weight", "a")))
Net 2-2-2 (float)
layer 0 (inputs): i1 a=0.05 | i2 a=0.1
layer 1:
  h1 = sigmoid(0.15*i1 + 0.2*i2 + b1 0.35)  a=0.5933
  h2 = sigmoid(0.25*i1 + 0.3*i2 + b1 0.35)  a=0.5969
layer 2 (outputs):
  o1 = sigmoid(0.4*h1 + 0.45*h2 + b2 0.6)  a=0.7514
  o2 = sigmoid(0.5*h1 + 0.55*h2 + b2 0.6)  a=0.7729
>>> sparkline([3, 2, 1.5, 1, 0.8])
'█▅▃▂▁'
"""

from __future__ import annotations

from .dot import net_dot
from .history import history_svg
from .saving import save_svg, write_svg
from .svg import net_svg
from .terminal import diagram, sparkline
from .text import fmt_number

__all__ = ["net_svg", "net_dot", "diagram", "history_svg", "write_svg", "save_svg", "sparkline",
           "fmt_number", "DrawMethods"]


class DrawMethods:
    """The methods of a net for pictures (the public ``Net`` mixes this class in).

    >>> import neurograph as ng
    >>> ng.Net.dense([2, 1], seed=0).to_dot().startswith("digraph")
    True
    """

    to_svg = net_svg
    save_svg = save_svg
    to_dot = net_dot
    diagram = diagram

    def _repr_svg_(self) -> str:
        return net_svg(self)
