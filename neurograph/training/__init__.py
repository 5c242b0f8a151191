"""Training: the mini-batch fit loop, its History, accuracy and learning-rate schedules.

================================  =================  =========================================
name                              module             what it is
================================  =================  =========================================
``fit(net, data, ...)``           ``loop``           train for some epochs; returns a
                                                     :class:`History` (arguments checked in
                                                     ``arguments``, Ctrl-C in ``interrupts``)
``History``                       ``records``        one row per epoch (loss, val_loss,
                                                     accuracy, ...), printable
``accuracy(net, data)``           ``scoring``        fraction of samples whose predicted class
                                                     is the target's
``confusion_matrix(net, data)``   ``confusion``      a printable :class:`ConfusionMatrix`
                                                     (rows: true class)
``ConfusionMatrix``               ``confusion``      counts, accuracy, recall, precision
``Schedule``                      ``schedules``      a learning rate as a function of the epoch
``step_decay(lr, every, f)``      ``schedules``      learning rate ``lr * f ** (epoch // every)``
``exponential_decay(lr, g)``      ``schedules``      learning rate ``lr * g ** epoch``
``EarlyStopping(patience)``       ``stopping``       stop when the monitored loss stops
                                                     improving
``sparkline(values)``             ``progress``       a one-line chart in block characters:
                                                     ``neurograph.draw.sparkline`` itself
``Pairs``                         ``samples``        the type of the samples fit trains on
================================  =================  =========================================

The samples are converted and checked in ``samples``.  Each step uses the
mean gradient of a mini-batch, every sample's gradient taken at the pre-step
weights (``w <- w - (lr / m) * sum dC_x/dw`` for SGD); the definition is in
:func:`fit` and ``docs/training.md``.

>>> import neurograph as ng
>>> net = ng.Net.dense([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=1)
>>> h = ng.fit(net, ng.datasets.xor(), epochs=300, batch_size=4, optimizer="adam", lr=0.05,
...            loss="cross_entropy", seed=0, verbose=0)
>>> len(h), h.rows[-1]["accuracy"], ng.accuracy(net, ng.datasets.xor())
(300, 1.0, 1.0)
>>> h.metric("loss")[-1] < h.metric("loss")[0]
True
"""

from .confusion import ConfusionMatrix, confusion_matrix
from .loop import fit
from .progress import sparkline
from .records import History
from .samples import Pairs
from .schedules import Schedule, exponential_decay, step_decay
from .scoring import accuracy
from .stopping import EarlyStopping

__all__ = ["fit", "History", "accuracy", "confusion_matrix", "ConfusionMatrix",
           "Schedule", "step_decay", "exponential_decay", "EarlyStopping", "sparkline", "Pairs"]
