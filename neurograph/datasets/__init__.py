"""Data sets: the bundled iris and digits tables, logic tables, and your own CSV files.

A :class:`Dataset` is a list of samples: ``inputs`` (one list of numbers per
sample), one-hot ``targets``, integer ``labels`` (the class index of each
sample), ``feature_names`` and ``class_names``.  Iterating over it gives
``(x, y)`` pairs, which is what :func:`neurograph.fit` and ``net.forward`` /
``net.backward`` take.

==============================  ==================  ==========================================
name                            module              what it is
==============================  ==================  ==========================================
``Dataset``                     ``samples``         inputs, targets, labels, names; ``split``
                                                    (``splitting``), ``subset``, ``convert``
``load_iris(number=float)``     ``bundled``         Fisher's iris: 150 samples, 4 features,
                                                    3 classes
``load_digits(number=float)``   ``bundled``         8x8 handwritten digits: 1,797 samples,
                                                    64 features, 10 classes
``xor()``, ``logic(op)``        ``bundled``         the truth tables of XOR, AND, OR, NAND,
                                                    NOR (one output)
``echo(n, length, delay)``      ``sequence_tasks``  bit sequences whose target echoes the
                                                    input *delay* steps back
``binary_addition(n, bits)``    ``sequence_tasks``  sums of two numbers bit by bit (sequences
                                                    for a recurrent net)
``Sequences``                   ``sequence_tasks``  the type of what those two return
``planar(kind, n, noise)``      ``planar``          2-D points in two classes: "xor",
                                                    "circle", "gaussian", "spiral";
                                                    also ``quadrants``, ``circle``,
                                                    ``gaussian``, ``spiral``, ``PLANAR``
``load_csv(path, label=...)``   ``csv_files``       a CSV file with a header row and one
                                                    label column
``standardize(train, *rest)``   ``scaling``         zero mean, unit variance, fitted on
                                                    *train* only
``minmax(train, *rest)``        ``scaling``         each feature scaled to [0, 1], fitted on
                                                    *train* only
``Scaler``                      ``scaling``         the fitted shift and scale (``.scaler`` of
                                                    a scaled Dataset): ``apply(rows)``,
                                                    ``apply_one(x)``, ``invert_one``,
                                                    ``to_dict``; its work is done in
                                                    ``scaler_fitting``, ``scaler_rows``,
                                                    ``scaler_dicts`` and ``scaler_errors``
==============================  ==================  ==========================================

Values are kept in the number type given as ``number=`` (float, Decimal or
Fraction); CSV cells are parsed from their text, so ``number=Decimal`` or
``number=Fraction`` gives the exact values written in the file.  The origin,
license (CC BY 4.0) and citations of the bundled files are in
``neurograph/data/DATASETS.md``.

>>> import neurograph as ng
>>> iris = ng.datasets.load_iris()
>>> iris
Dataset('iris', 150 samples, 4 features, 3 classes)
>>> iris.inputs[0], iris.targets[0], iris.labels[0], iris.class_names[0]
([5.1, 3.5, 1.4, 0.2], [1.0, 0.0, 0.0], 0, 'setosa')
>>> train, test = iris.split(test=0.2, seed=0)
>>> len(train), len(test), test.class_counts()
(120, 30, [10, 10, 10])
>>> train, test = ng.datasets.standardize(train, test)
>>> round(sum(x[0] for x in train.inputs) / len(train), 12) == 0
True
>>> train.scaler.apply_one([5.1, 3.5, 1.4, 0.2]) == train.scaler.apply([[5.1, 3.5, 1.4, 0.2]])[0]
True
"""

from .bundled import load_digits, load_iris, logic, xor
from .csv_files import load_csv
from .planar import PLANAR, circle, gaussian, planar, quadrants, spiral
from .samples import Dataset
from .scaling import Scaler, minmax, standardize
from .sequence_tasks import Sequences, binary_addition, echo

__all__ = ["Dataset", "load_iris", "load_digits", "xor", "logic", "echo", "binary_addition",
           "load_csv", "standardize", "minmax", "Scaler", "Sequences", "planar", "circle",
           "quadrants", "gaussian", "spiral", "PLANAR"]
