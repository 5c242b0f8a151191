"""The data sets that come with neurograph: iris, digits and the logic tables.

=============================  ===============================================================
name                           what it is
=============================  ===============================================================
``load_iris(number=float)``    Fisher's iris: 150 samples, 4 features, 3 classes
``load_digits(number=float)``  8x8 handwritten digits: 1,797 samples, 64 features, 10 classes
``logic(op)``                  the truth table of "xor", "and", "or", "nand" or "nor"
``xor()``                      ``logic("xor")``
=============================  ===============================================================

The CSV files are in ``neurograph/data/`` (their origin, license and
citations in ``neurograph/data/DATASETS.md``) and are read like any CSV file,
so ``number=Decimal`` gives exactly the values written there.

>>> load_iris().class_counts(), xor().inputs
([50, 50, 50], [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from ..core.arithmetic import system_for
from ..core.errors import NameLookupError, suggest
from .csv_files import _read_table
from .samples import Dataset

__all__ = ["load_iris", "load_digits", "logic", "xor"]


def _bundled(file: str, label: str, number: Any, name: str) -> Dataset:
    """The bundled CSV file *file* (in ``neurograph/data``) as a Dataset."""
    text = resources.files("neurograph").joinpath("data", file).read_text("utf-8")
    return _read_table(text, file, label, number, name)


def load_iris(number: Any = float) -> Dataset:
    """Fisher's iris data: 150 flowers, 4 measurements in cm, 3 species (50 each).

    >>> from decimal import Decimal
    >>> load_iris(Decimal).inputs[0]
    [Decimal('5.1'), Decimal('3.5'), Decimal('1.4'), Decimal('0.2')]
    """
    d = _bundled("iris.csv", "species", number, "iris")
    d.class_names = ["setosa", "versicolor", "virginica"]
    return d


def load_digits(number: Any = float) -> Dataset:
    """Handwritten digits: 1,797 images of 8x8 pixels (integers 0..16), classes "0".."9".

    >>> d = load_digits()
    >>> d, d.feature_names[:2], d.class_counts()[:3]
    (Dataset('digits', 1797 samples, 64 features, 10 classes), ['pixel0', 'pixel1'], [178, 182, 177])
    """
    return _bundled("digits.csv", "label", number, "digits")


_LOGIC = {
    "xor": lambda a, b: a != b, "and": lambda a, b: a and b, "or": lambda a, b: a or b,
    "nand": lambda a, b: not (a and b), "nor": lambda a, b: not (a or b),
}


def logic(op: str, number: Any = float) -> Dataset:
    """The four-row truth table of a two-input logic gate, one output (0 or 1).

    >>> [(x, y) for x, y in logic("and")]
    [([0.0, 0.0], [0.0]), ([0.0, 1.0], [0.0]), ([1.0, 0.0], [0.0]), ([1.0, 1.0], [1.0])]
    """
    fn = _LOGIC.get(op.lower()) if isinstance(op, str) else None
    if fn is None:
        raise NameLookupError("unknown logic table %r%s; known: %s" % (
            op, suggest(str(op), _LOGIC), ", ".join(_LOGIC)))
    num = system_for(number)
    zero, one = num.zero, num.one
    inputs, targets = [], []
    for a in (0, 1):
        for b in (0, 1):
            inputs.append([one if a else zero, one if b else zero])
            targets.append([one if fn(a, b) else zero])
    return Dataset(inputs, targets, feature_names=["a", "b"], class_names=["0", "1"],
                   name=op.lower())


def xor(number: Any = float) -> Dataset:
    """The XOR truth table (``logic("xor")``).

    >>> [y[0] for y in xor().targets]
    [0.0, 1.0, 1.0, 0.0]
    """
    return logic("xor", number)
