"""Bundled data sets, splits, scaling and CSV loading."""
import hashlib
import math
import os
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph import datasets as ds

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "neurograph", "data")
SHA256 = {  # from ../shared/data/README.md
    "iris.csv": "9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355",
    "digits.csv": "4e05898f3518c4cd28415fd6beb95895c9e54038b4295396e8a85f8183ddc9f6",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_bundled_files_are_the_published_ones(name):
    with open(os.path.join(DATA, name), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == SHA256[name]


def test_attribution_is_bundled():
    with open(os.path.join(DATA, "DATASETS.md"), encoding="utf-8") as f:
        text = f.read()
    for needle in ("CC BY 4.0", "10.24432/C56C76", "10.24432/C50P49", "Fisher", "Alpaydin"):
        assert needle in text


def test_iris():
    d = ds.load_iris()
    assert (len(d), d.n_features, d.class_names) == (150, 4, ["setosa", "versicolor", "virginica"])
    assert d.feature_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert d.class_counts() == [50, 50, 50]
    for y, k in zip(d.targets, d.labels):
        assert y == [1.0 if j == k else 0.0 for j in range(3)]
    assert d.inputs[-1] == [5.9, 3.0, 5.1, 1.8] and d.labels[-1] == 2


def test_digits():
    d = ds.load_digits()
    assert (len(d), d.n_features, len(d.class_names)) == (1797, 64, 10)
    assert d.class_names == [str(k) for k in range(10)]
    assert sum(d.class_counts()) == 1797 and min(d.class_counts()) >= 174
    assert all(0 <= v <= 16 and v == int(v) for x in d.inputs for v in x)
    assert d.labels[:10] == list(range(10))


def test_exact_number_types():
    d = ds.load_iris(Decimal)
    assert d.inputs[0] == [Decimal("5.1"), Decimal("3.5"), Decimal("1.4"), Decimal("0.2")]
    assert d.targets[0] == [Decimal(1), Decimal(0), Decimal(0)]
    f = ds.load_iris(Fraction)
    assert f.inputs[0][0] == Fraction(51, 10)
    assert ds.xor(Fraction).targets == [[0], [1], [1], [0]]
    assert isinstance(ds.xor(Fraction).targets[0][0], Fraction)


@pytest.mark.parametrize("op,column", [
    ("xor", [0, 1, 1, 0]), ("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
    ("nand", [1, 1, 1, 0]), ("nor", [1, 0, 0, 0])])
def test_logic_tables(op, column):
    d = ds.logic(op)
    assert d.inputs == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [y[0] for y in d.targets] == column == d.labels
    with pytest.raises(ng.NameLookupError, match="xor"):
        ds.logic("xro")


def test_split_stratified_disjoint_seeded():
    d = ds.load_iris()
    tr, te = d.split(test=0.2, seed=0)
    assert (len(tr), len(te)) == (120, 30)
    assert tr.class_counts() == [40, 40, 40] and te.class_counts() == [10, 10, 10]
    rows = sorted(map(tuple, tr.inputs + te.inputs))
    assert rows == sorted(map(tuple, d.inputs))
    tr2, te2 = d.split(test=0.2, seed=0)
    assert te2.inputs == te.inputs
    _, te3 = d.split(test=0.2, seed=1)
    assert te3.inputs != te.inputs
    dtr, dte = ds.load_digits().split(test=0.2, seed=0)
    assert (len(dtr), len(dte)) == (1437, 360)
    full = ds.load_digits().class_counts()
    for part, n in ((dte.class_counts(), 360), (dtr.class_counts(), 1437)):
        for c, total in zip(part, full):
            assert abs(c - total * n / 1797) < 1          # each class keeps its share
    _, te4 = d.split(test=15, seed=0, stratify=False)
    assert len(te4) == 15


def test_split_errors():
    d = ds.xor()
    with pytest.raises(ng.NumberError):
        d.split(test=1.5)
    with pytest.raises(ng.ShapeError):
        d.split(test=4)


def test_standardize_fitted_on_train_only():
    tr, te = ds.load_iris().split(test=0.2, seed=0)
    s_tr, s_te = ds.standardize(tr, te)
    for j in range(4):
        col = [x[j] for x in tr.inputs]
        mean = sum(col) / len(col)
        sd = math.sqrt(sum((v - mean) ** 2 for v in col) / len(col))
        new = [x[j] for x in s_tr.inputs]
        assert sum(new) / len(new) == pytest.approx(0, abs=1e-12)
        assert math.sqrt(sum(v * v for v in new) / len(new)) == pytest.approx(1, rel=1e-12)
        for old, scaled in zip(te.inputs, s_te.inputs):
            assert scaled[j] == pytest.approx((old[j] - mean) / sd, rel=1e-12)
    assert tr.inputs == ds.load_iris().split(test=0.2, seed=0)[0].inputs   # originals untouched
    assert s_te.labels == te.labels and s_te.class_names == te.class_names


def test_constant_feature_is_only_shifted():
    tr, te = ds.load_digits().split(test=0.2, seed=0)
    s_tr, s_te = ds.standardize(tr, te)
    assert all(x[0] == 0 for x in s_tr.inputs)        # pixel0 is always 0
    m_tr, _ = ds.minmax(tr, te)
    assert all(0 <= v <= 1 for x in m_tr.inputs for v in x)


def test_minmax_exact_and_standardize_refuses_fractions():
    a = ds.load_iris(Fraction)
    tr, te = a.split(test=0.2, seed=0)
    m_tr, m_te = ds.minmax(tr, te)
    col = [x[2] for x in tr.inputs]
    lo, hi = min(col), max(col)
    assert [x[2] for x in m_te.inputs] == [(x[2] - lo) / (hi - lo) for x in te.inputs]
    assert min(x[2] for x in m_tr.inputs) == 0 and max(x[2] for x in m_tr.inputs) == 1
    with pytest.raises(ng.NumberError, match="minmax"):
        ds.standardize(tr, te)
    with pytest.raises(ng.ShapeError):
        ds.minmax(tr, ds.xor())


def write(tmp_path, text, name="data.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_load_csv(tmp_path):
    path = write(tmp_path, "a,b,kind\n0.1,2,cat\n0.3,4,dog\n0.5,6,cat\n")
    d = ds.load_csv(path, label="kind")
    assert d.inputs == [[0.1, 2.0], [0.3, 4.0], [0.5, 6.0]]
    assert d.class_names == ["cat", "dog"] and d.labels == [0, 1, 0]
    assert d.targets == [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    assert d.feature_names == ["a", "b"] and d.name == "data"
    dd = ds.load_csv(path, label="kind", number=Decimal)
    assert dd.inputs[1] == [Decimal("0.3"), Decimal("4")]
    df = ds.load_csv(path, label=2, number=Fraction)
    assert df.inputs[0][0] == Fraction(1, 10)
    with pytest.raises(ng.FormatError, match="column 'kind'"):
        ds.load_csv(path, label=0)            # "cat" is not a number
    nolabel = ds.load_csv(write(tmp_path, "a,b\n1,2\n", "n.csv"), label=None)
    assert nolabel.inputs == [[1.0, 2.0]] and nolabel.labels is None


def test_load_csv_numeric_labels_sort_numerically(tmp_path):
    path = write(tmp_path, "x,label\n1,10\n2,9\n3,2\n")
    d = ds.load_csv(path)
    assert d.class_names == ["2", "9", "10"] and d.labels == [2, 1, 0]


@pytest.mark.parametrize("text,label,error,match", [
    ("a,b,kind\n0.1,2,cat\n0.3,x,dog\n", "kind", ng.FormatError, r"line 3 \(data row 2\), column 'b': 'x'"),
    ("a,b,kind\n0.1,nan,cat\n", "kind", ng.FormatError, r"line 2 \(data row 1\), column 'b'"),
    ("a,b,kind\n0.1,2,cat\n0.3,4\n", "kind", ng.FormatError, r"line 3 \(data row 2\): 2 cells.*3 columns"),
    ("a,b,kind\n0.1,2,\n", "kind", ng.FormatError, r"line 2 \(data row 1\), column 'kind': the label is empty"),
    ("a,b,kind\n0.1,2,cat\n", "knid", ng.NameLookupError, r"did you mean 'kind'"),
    ("a,b,kind\n0.1,2,cat\n", 7, ng.NameLookupError, r"out of range"),
    ("", "kind", ng.FormatError, r"empty"),
    ("a,b,kind\n", "kind", ng.FormatError, r"no data rows"),
    ("a,a,kind\n1,2,x\n", "kind", ng.FormatError, r"more than once"),
])
def test_load_csv_errors_name_row_and_column(tmp_path, text, label, error, match):
    with pytest.raises(error, match=match):
        ds.load_csv(write(tmp_path, text), label=label)


def test_load_csv_counts_file_lines_across_quoted_newlines(tmp_path):
    path = write(tmp_path, 'a,note\n1,"two\nlines"\nx,ok\n')
    with pytest.raises(ng.FormatError, match=r"line 4 \(data row 2\), column 'a': 'x'"):
        ds.load_csv(path, label="note")


def test_load_csv_missing_file(tmp_path):
    with pytest.raises(ng.FormatError, match="cannot read"):
        ds.load_csv(str(tmp_path / "nope.csv"))


def test_dataset_checks_slices_and_conversion():
    with pytest.raises(ng.ShapeError, match="2 inputs but 1 targets"):
        ds.Dataset([[1], [2]], [[1]])
    with pytest.raises(ng.ShapeError, match="sample 1"):
        ds.Dataset([[1, 2], [3]], [[1], [0]])
    with pytest.raises(ng.NumberError, match="sample 0"):
        ds.Dataset([["a"]], [[1]])
    d = ds.Dataset([[1.0], [2.0], [3.0]], [[0.5], [0.25], [2.0]])
    assert d.labels is None and d.class_names is None       # not a classification set
    assert d[1:].inputs == [[2.0], [3.0]]
    dec = d.convert(Decimal)
    assert dec.inputs == [[Decimal("1.0")], [Decimal("2.0")], [Decimal("3.0")]]
    with pytest.raises(ng.StateError):
        d.class_counts()
