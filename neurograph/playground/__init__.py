"""A local web page on which a class watches back-propagation neuron by neuron.

``serve(net)`` starts a small HTTP server (standard library only) on
127.0.0.1 and returns at once; the page it serves draws the net and drives
it through a JSON API: every number on the page comes from the Neuron,
Connection and Parameter objects here, the page never computes a forward
or backward pass itself.  ``neurograph serve`` on the command line does the
same for Mazur's example, XOR, iris, digits or a saved model.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``serve(net, data)``       start the server in a daemon thread; returns a ServerHandle
``ServerHandle``           ``url``, ``stop()``, ``request(path, body)``; an iframe in Jupyter
``Playground``             the state behind the page: net, sample, optimizer, history
``example(name)``          ``(net, data, options)`` for mazur, xor, iris and digits
``model_file(path)``       the same for a saved model (with its data set when it names one)
``EXAMPLES``               the built-in models' names
``MAX_BODY``               request bodies larger than this many bytes are refused (413)
=========================  ============================================================

=========================  ============================================================
module                     what it holds
=========================  ============================================================
``state``                  ``Playground``: the state and its actions; no HTTP
``equations``              the equation lines of one step of a walk
``models``                 ``example``, ``model_file``
``handle``                 ``serve``, ``ServerHandle``: starting and stopping
``server``                 the HTTP server and handler (imported when ``serve`` runs)
``static/``                the page: index.html, playground.css, playground.js
=========================  ============================================================

The API (every call needs the token of the URL, in the ``X-Neurograph-Token``
header or a ``token`` query parameter; numbers travel as strings, exact for
Decimal and Fraction nets).  Each call runs one action of the Playground
(``pg.act(name, body)``), named as in the path:

========================  ========================================================
call                      what it does
========================  ========================================================
``GET /api/state``        the net's layout and every value, the sample, the loss history
``POST /api/sample``      ``{"index": i}`` or ``{"x": [..], "y": [..]}``: the current sample
``POST /api/forward``     a forward pass on the current sample
``POST /api/backward``    forward, ``zero_grad`` and backward: deltas and gradients
``POST /api/step``        one optimizer update (after a backward pass on the sample)
``POST /api/train``       ``{"epochs": n}``: ``fit`` on the data; the history grows
``POST /api/walk``        ``{"phase": "backward"}``: a real pass, recorded neuron by neuron
``POST /api/edit``        ``{"name": "w1", "value": "0.2"}``: set a weight or bias
``POST /api/explain``     ``{"name": "w5"}``: ``net.explain(name)`` as text
``POST /api/settings``    ``{"lr": "0.5", "loss": "half_sse", "optimizer": "sgd"}``
``POST /api/reset``       the net as it was when the server started
``GET /api/model``        the net as a model file (``net.to_dict()``)
``POST /api/model``       load a model file (``Net.from_dict``; the action ``load``)
========================  ========================================================

The forward and backward pass of Mazur's example through the API:

>>> import neurograph as ng
>>> ex = ng.textbook.mazur()
>>> handle = ng.serve(ex.net, data=[(ex.x, ex.y)], lr=ex.lr, open_browser=False)
>>> handle.url.startswith("http://127.0.0.1:") and "?token=" in handle.url
True
>>> state = handle.request("/api/backward")
>>> state["loss"], state["neurons"][-2]["delta"]
('0.2983711087600027', '0.13849856162855698')
>>> handle.request("/api/step")["connections"][4]["weight"][:10]
'0.35891647'
>>> handle.stop()
"""

from .handle import MAX_BODY, ServerHandle, serve
from .models import EXAMPLES, example, model_file
from .state import Playground

__all__ = ["serve", "ServerHandle", "Playground", "example", "model_file", "EXAMPLES", "MAX_BODY"]
