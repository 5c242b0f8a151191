"""The core: the textbook's back-propagation, one object per neuron and connection.

Everything a net computes is here, and nothing here imports anything outside
this folder.  The tools (explaining, pictures, files, training, the playground)
are built on top of it.  Read the files in this order:

===================  ================================================================
module               what it holds
===================  ================================================================
``errors``           the exceptions (every one a ``NeurographError``)
``arithmetic``       numbers: float, Decimal, Fraction; rounding like a hand calculation
``activations``      f and f' (sigmoid, tanh, relu, softmax, ...)
``losses``           E and dE/da (half_sse, cross-entropy, ...)
``neuron``           the objects: ``Neuron``, ``Connection``, ``Parameter``
``layers``           the order the walk visits the neurons in (a topological order)
``walk``             the forward and backward pass: BP1..BP4, each written once
``through_time``     the walk over time steps (recurrent nets, BPTT)
``net``              ``Net``: builds the object graph and runs the walk
``optim``            ``SGD``, ``Adam``: how a weight moves given its gradient
===================  ================================================================

>>> from neurograph.core.net import Net
>>> net = Net.dense([2, 1], activation="identity", seed=0)
>>> net["i1->o1"].weight, net["i2->o1"].weight = 1.0, 2.0
>>> net.forward([3.0, 4.0])
[11.0]
"""
