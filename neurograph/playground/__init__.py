"""A local web page on which a class watches back-propagation neuron by neuron.

``serve(net, data)`` starts a small HTTP server (standard library only) on
127.0.0.1 and returns at once; the page it serves draws the net and drives
it through a JSON API: every number on the page comes from the Neuron,
Connection and Parameter objects here, the page never computes a forward
or backward pass itself.  ``neurograph serve`` on the command line does the
same for the built-in models (mazur, xor, spiral, iris, digits, echo), any
example of the textbook gallery, or a saved model.

=========================  ============================================================
name                       what it is
=========================  ============================================================
``serve(net, data)``       start the server in a daemon thread; returns a ServerHandle
``ServerHandle``           ``url``, ``stop()``, ``request(path, body)``; an iframe in Jupyter
``Playground``             the state behind the page; ``act(action, body)`` is the API
``resolve(model)``         ``(net, data, options)`` of a built-in model, a gallery example or
                           a model file's path (what ``neurograph serve MODEL`` starts with)
``example(name)``          ``(net, data, options)`` of a built-in model or gallery example
``model_file(path)``       the same for a saved model (with its data set when it names one)
``EXAMPLES``               the built-in models' names
``MAX_BODY``               request bodies larger than this many bytes are refused (413)
=========================  ============================================================

=========================  ============================================================
module                     what it holds
=========================  ============================================================
``state``                  ``Playground``: the state, ``act`` (a transaction), the passes
``actions``                one function per action of the API
``settings``               loss, optimizer, learning rate, momentum, decay, batch size
``choices``                the data controls: data set, noise, split, features
``architecture``           hidden layers and activations; new nets from them
``chunks``                 training in chunks of at most a fraction of a second
``stepping``               walking a pass without showing the future; the quiz
``equations``              the lines of one step of a walk (``net.explain``'s)
``mathml``                 explain's LaTeX as MathML elements for the page
``details``                ``explain`` of one name, and a weight's update after Step
``pictures``               heatmaps over the plane from the net's forward passes
``values``                 the state's numbers as exact text, and frames
``models``                 built-in models, gallery examples, model files
``errors``                 ``ApiError``
``body``                   a request's body read and checked (size, nesting), for every
                           transport
``handle``                 ``serve``, ``ServerHandle``: starting and stopping
``server``                 the HTTP server and handler (imported when ``serve`` runs)
``static/``                the page: index.html, playground.css and its scripts
=========================  ============================================================

The API: every action of :meth:`Playground.act` is one call, ``POST
/api/ACTION`` with a JSON object (``GET /api/state`` and ``GET /api/model``
read; ``POST /api/model`` is the action ``load``).  Every call needs the
token of the URL, in the ``X-Neurograph-Token`` header or a ``token`` query
parameter; numbers travel as strings, exact for Decimal and Fraction nets.
The table of actions is in ``docs/playground.md``.

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
from .models import EXAMPLES, example, model_file, resolve
from .state import Playground

__all__ = ["serve", "ServerHandle", "Playground", "resolve", "example", "model_file", "EXAMPLES",
           "MAX_BODY"]
