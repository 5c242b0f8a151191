"""CSV files: a header row, one column of class labels, the rest features.

===============================  ===========================================================
name                             what it does
===============================  ===========================================================
``load_csv(path, label=...)``    read a CSV file into a :class:`~neurograph.datasets.Dataset`
``_read_table(text, ...)``       the same from text already read (the bundled files use it)
===============================  ===========================================================

Every cell is read by :func:`neurograph.core.arithmetic.parse_number`, so the
limits on numbers written as text hold here too, and ``number=Decimal`` or
``number=Fraction`` gives exactly the values written in the file.  Class
labels are numbered in sorted order, numerically when every label reads as a
number (also through ``parse_number``).

>>> d = _read_table("x,kind\\n1.5,10\\n2,9\\n", "t.csv", -1, float, "t")
>>> d.inputs, d.class_names, d.labels
([[1.5], [2.0]], ['9', '10'], [1, 0])
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any, List, Optional, Tuple, Union

from ..core.arithmetic import FRACTION, NumberSystem, parse_number, system_for
from ..core.errors import FormatError, NameLookupError, NumberError, suggest
from .samples import Dataset

__all__ = ["load_csv"]


def load_csv(path: Any, label: Union[str, int, None] = -1, number: Any = float,
             name: Optional[str] = None) -> Dataset:
    """Read a CSV file with a header row into a :class:`Dataset`.

    *label* names the class column (a header name or an index; default the
    last column; None for no labels).  Classes are numbered in sorted order
    (numerically when every label is a number).  Every other column is a
    feature, parsed from its text into *number* (float, Decimal, Fraction),
    so Decimal and Fraction nets get exactly the values written in the file.
    A bad cell raises :class:`~neurograph.FormatError` naming its line, data row and column.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("a,b,kind\\n0.1,2,cat\\n0.3,x,dog\\n")
    >>> load_csv(path, label="kind")
    Traceback (most recent call last):
    ...
    neurograph.FormatError: t.csv, line 3 (data row 2), column 'b': 'x' is not a finite number; fix or remove that cell
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise FormatError("load_csv(path=%r): give the file's path as a str or a pathlib.Path"
                          % (path,))
    fname = getattr(path, "name", None) or str(path)
    short = str(fname).replace("\\", "/").rsplit("/", 1)[-1]
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:   # -sig: drop a BOM
            text = f.read()
    except OSError as e:
        raise FormatError("cannot read CSV file %s: %s" % (fname, e.strerror or e)) from None
    except UnicodeDecodeError as e:
        raise FormatError("CSV file %s is not UTF-8 text (%s)" % (fname, e)) from None
    return _read_table(text, short, label, number, short.rsplit(".", 1)[0] if name is None else name)


def _read_table(text: str, source: str, label: Union[str, int, None], number: Any,
                name: str) -> Dataset:
    """The Dataset of CSV *text*; errors name *source* (a file name) and the line."""
    num = system_for(number)
    rows, lines = _csv_rows(text, source)
    header = _header(rows[0], source)
    col = _label_column(label, header, source)
    inputs, raw_labels = _data(rows, lines, header, col, num, source)
    feature_names = [header[j] for j in range(len(header)) if j != col]
    if col is None:
        return Dataset(inputs, [[] for _ in inputs], labels=None, feature_names=feature_names,
                       name=name)
    classes = _class_order(raw_labels)
    index = {c: k for k, c in enumerate(classes)}
    zero, one = num.zero, num.one
    labels = [index[c] for c in raw_labels]
    targets = [[one if k == j else zero for j in range(len(classes))] for k in labels]
    d = Dataset.__new__(Dataset)
    d.inputs, d.targets, d.labels = inputs, targets, labels
    d.feature_names, d.class_names, d.name = feature_names, classes, name
    return d


def _csv_rows(text: str, source: str) -> Tuple[List[List[str]], List[int]]:
    """The rows of *text* without trailing blank rows, and the file line each ends on."""
    reader = csv.reader(io.StringIO(text))
    rows, lines = [], []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)       # the file line where this row ends
    except csv.Error as e:
        raise FormatError("%s, line %d: %s" % (source, reader.line_num, e)) from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise FormatError("%s is empty: a CSV file needs a header row and data rows" % source)
    return rows, lines


def _header(row: List[str], source: str) -> List[str]:
    """The column names (stripped), each used once."""
    header = [h.strip() for h in row]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise FormatError("%s, line 1: column name %s appears more than once" % (source, dup[0]))
    return header


def _label_column(label: Any, header: List[str], source: str) -> Optional[int]:
    """The index of the label column given as a name, an index (negative from the end) or None."""
    if label is None:
        return None
    if isinstance(label, int) and not isinstance(label, bool):
        if not -len(header) <= label < len(header):
            raise NameLookupError("%s has %d columns; label=%d is out of range" % (
                source, len(header), label))
        return label % len(header)
    if isinstance(label, str):
        if label not in header:
            raise NameLookupError("%s has no column %r%s; columns: %s" % (
                source, label, suggest(label, header), ", ".join(header)))
        return header.index(label)
    raise NameLookupError("label must be a column name, a column index or None, got %r"
                          % (label,))


def _data(rows: List[List[str]], lines: List[int], header: List[str], col: Optional[int],
          num: NumberSystem, source: str) -> Tuple[List[List[Any]], List[str]]:
    """The feature values of every data row (in *num*) and the text of its label cell."""
    feat_cols = [j for j in range(len(header)) if j != col]
    inputs: List[List[Any]] = []
    raw_labels: List[str] = []
    for r, row in enumerate(rows[1:], start=1):
        where = "%s, line %d (data row %d)" % (source, lines[r], r)
        if not any(c.strip() for c in row):
            raise FormatError("%s: empty row; remove it" % where)
        if len(row) != len(header):
            raise FormatError("%s: %d cells, but the header has %d columns" % (
                where, len(row), len(header)))
        x = []
        for j in feat_cols:
            try:
                x.append(parse_number(row[j], num, "cell"))
            except NumberError:
                raise FormatError("%s, column %r: %r is not a finite number; fix or remove that "
                                  "cell" % (where, header[j], row[j])) from None
        inputs.append(x)
        if col is not None:
            cell = row[col].strip()
            if not cell:
                raise FormatError("%s, column %r: the label is empty" % (where, header[col]))
            raw_labels.append(cell)
    if not inputs:
        raise FormatError("%s has a header but no data rows" % source)
    return inputs, raw_labels


def _class_order(raw_labels: List[str]) -> List[str]:
    """The distinct labels sorted: by value when every one reads as a number, else as text.

    >>> _class_order(["10", "9", "2", "9"]), _class_order(["b", "a", "1e100000000"])
    (['2', '9', '10'], ['1e100000000', 'a', 'b'])
    """
    classes = sorted(set(raw_labels))
    try:
        value = {c: parse_number(c, FRACTION, "class label") for c in classes}
    except NumberError:
        return classes
    return sorted(classes, key=value.__getitem__)
