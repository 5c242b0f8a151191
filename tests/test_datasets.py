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


def test_standardize_adds_left_to_right_on_every_interpreter():
    # The built-in sum() compensates float rounding on CPython 3.12+ and not before (nor on
    # PyPy): 1e16 + 1.0 - 1e16 is 0.0 left to right, 1.0 compensated.  Scaled data (and so
    # every weight trained on it) must have the same bits everywhere.
    d = ds.Dataset([[1e16, 0.5], [1.0, 0.25], [-1e16, 2.0]], [[1, 0], [0, 1], [1, 0]])
    s, _ = ds.standardize(d, d)
    mean0 = 0.0
    for x in d.inputs:
        mean0 += x[0]
    mean0 /= 3
    assert mean0 == 0.0
    assert [x[0] for x in s.inputs][1] == (1.0 - mean0) / math.sqrt(
        ((1e16 - mean0) ** 2 + (1.0 - mean0) ** 2 + (-1e16 - mean0) ** 2) / 3)


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


def test_scaler_fitted_on_train_scales_test_by_the_manual_formula():
    tr, te = ds.load_iris().split(test=0.2, seed=0)
    sc = ds.Scaler.standardize(tr)
    assert sc.kind == "standardize" and sc.feature_names == tr.feature_names
    for j in range(4):
        col = [x[j] for x in tr.inputs]
        mean = math.fsum(col) / len(col)
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in col) / len(col))
        assert sc.shift[j] == pytest.approx(mean, rel=1e-14)
        assert sc.scale[j] == pytest.approx(sd, rel=1e-12)
        for x, got in zip(te.inputs, sc.apply(te.inputs)):
            assert got[j] == pytest.approx((x[j] - mean) / sd, rel=1e-12, abs=1e-12)
    s_tr, s_te = ds.standardize(tr, te)                  # the same numbers, bit for bit
    assert s_tr.scaler is s_te.scaler
    assert (s_tr.scaler.shift, s_tr.scaler.scale) == (sc.shift, sc.scale)
    assert sc.apply(te).inputs == s_te.inputs == sc.apply(te.inputs)
    assert [sc.apply_one(x) for x in te.inputs] == s_te.inputs
    assert s_te[3:5].scaler is s_te.scaler              # a part of scaled data keeps it
    assert ds.Scaler.standardize(te).shift != sc.shift   # fitted on test it would differ


def test_scaler_round_trips():
    tr, te = ds.load_iris().split(test=0.2, seed=0)
    for fit, fn in ((ds.Scaler.standardize, ds.standardize), (ds.Scaler.minmax, ds.minmax)):
        sc = fit(tr)
        back = [sc.invert_one(x) for x in fn(tr, te)[1].inputs]
        for x, y in zip(te.inputs, back):
            assert y == pytest.approx(x, rel=1e-12)
        again = ds.Scaler.from_dict(sc.to_dict(), feature_names=tr.feature_names)
        assert (again.kind, again.shift, again.scale) == (sc.kind, sc.shift, sc.scale)
        assert again.apply(te.inputs) == sc.apply(te.inputs)
    exact = ds.load_iris(Fraction)
    f_tr, f_te = exact.split(test=0.2, seed=0)
    m_tr, m_te = ds.minmax(f_tr, f_te)
    sc = m_tr.scaler
    assert [sc.invert_one(x) for x in m_te.inputs] == f_te.inputs           # exact
    assert sc.apply_one(["5.1", "7/2", 1, "0.2"]) == sc.apply_one(
        [Fraction(51, 10), Fraction(7, 2), Fraction(1), Fraction(1, 5)])
    dec = ds.standardize(*ds.load_iris(Decimal).split(test=0.2, seed=0))[0].scaler
    assert isinstance(dec.shift[0], Decimal) and isinstance(dec.scale[0], Decimal)
    got = dec.apply_one(["5.1", "3.5", "1.4", "0.2"])
    assert all(isinstance(v, Decimal) for v in got)
    assert [float(v) for v in got] == pytest.approx(
        ds.Scaler.standardize(ds.load_iris().split(test=0.2, seed=0)[0]).apply_one(
            [5.1, 3.5, 1.4, 0.2]), rel=1e-12)
    flt = ds.Scaler.minmax(ds.load_iris())
    as_dec, as_frac = flt.convert(Decimal), flt.convert(Fraction)
    assert as_dec.shift == [Decimal(repr(v)) for v in flt.shift]
    assert as_frac.scale == [Fraction(repr(v)) for v in flt.scale]
    assert ds.load_iris().split(test=0.2, seed=0)[1].convert(Decimal).scaler is None
    assert ds.minmax(tr, te)[1].convert(Fraction).scaler.shift == sc.shift   # floats via repr


def test_scaler_repr_and_constant_features():
    tr, te = ds.load_digits().split(test=0.2, seed=0)
    s_tr, _ = ds.standardize(tr, te)
    sc = s_tr.scaler
    assert 0 in sc.constant and all(len(set(x[j] for x in tr.inputs)) == 1 for j in sc.constant)
    assert all(sc.scale[j] == 1 for j in sc.constant)
    r = repr(sc)
    assert r.startswith("Scaler('standardize', 64 features: pixel0 (x - 0) / 1 [constant], pixel1")
    assert r.endswith("... (61 more))")
    assert repr(ds.Scaler.minmax(ds.xor())) == \
        "Scaler('minmax', 2 features: a (x - 0) / 1, b (x - 0) / 1)"


def test_scaler_bad_input_names_row_feature_and_leaves_it_alone():
    sc = ds.Scaler.standardize(ds.load_iris())
    before = (list(sc.shift), list(sc.scale))
    rows = [[5.1, 3.5, 1.4, 0.2], [5.0, 3.0, 1.0], [1.0, 2.0, 3.0, 4.0]]
    with pytest.raises(ng.ShapeError, match=r"row 1 has 3 values.*4 features \(sepal_length"):
        sc.apply(rows)
    with pytest.raises(ng.NumberError, match=r"row 0, feature 'sepal_width'"):
        sc.apply([[5.1, "x", 1.4, 0.2]])
    with pytest.raises(ng.NumberError, match="feature 'petal_length'"):
        sc.apply_one([5.1, 3.5, float("nan"), 0.2])
    with pytest.raises(ng.ShapeError, match="the sample has 5 values"):
        sc.apply_one([1, 2, 3, 4, 5])
    with pytest.raises(ng.ShapeError, match="Dataset 'xor' has 2 features"):
        sc.apply(ds.xor())
    with pytest.raises(ng.NumberError, match="convert it first"):
        sc.apply(ds.load_iris(Decimal))
    with pytest.raises(ng.NumberError, match="Decimal"):
        ds.Scaler.standardize(ds.load_iris(Decimal)).apply_one([5.1, 3.5, 1.4, 0.2])
    assert (sc.shift, sc.scale) == before and rows[1] == [5.0, 3.0, 1.0]
    with pytest.raises(ng.NumberError, match="std of feature 'b' is 0"):
        ds.Scaler.from_dict({"mean": [0, 1], "std": [1, 0]}, feature_names=["a", "b"])
    with pytest.raises(ng.NumberError, match="scale of feature 'x1' is -2"):
        ds.Scaler("minmax", [0], [-2])
    with pytest.raises(ng.FormatError, match="'mean' and 'std'"):
        ds.Scaler.from_dict({"mean": [0.0]})
    with pytest.raises(ng.NameLookupError, match="minmax"):
        ds.Scaler("minmaks", [0], [1])
    with pytest.raises(ng.ShapeError, match="training part is empty"):
        ds.Scaler.minmax(ds.xor()[0:0])


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


def test_load_csv_strips_a_utf8_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("kind,a,b\ncat,1,2\ndog,3,4\n".encode("utf-8-sig"))
    d = ds.load_csv(str(path), label="kind")
    assert d.feature_names == ["a", "b"] and d.class_names == ["cat", "dog"]
    path.write_bytes("x,y\n1,2\n".encode("utf-8-sig"))
    assert ds.load_csv(path, label=None).feature_names == ["x", "y"]


@pytest.mark.parametrize("labels,names,error,match", [
    ([0, -1], None, ng.NumberError, r"label of sample 1 is -1.*never negative"),
    ([0, -2], ["a", "b"], ng.NumberError, r"label of sample 1 is -2"),
    ([0, 2], ["a", "b"], ng.ShapeError, r"label 2 \(sample 1\) needs at least 3 class names.*has 2"),
    (["a", "b"], None, ng.NumberError, r"label of sample 0 is 'a'.*class_names"),
    ([0.0, 1.0], None, ng.NumberError, r"label of sample 0 is 0.0"),
    ([True, False], None, ng.NumberError, r"label of sample 0 is True"),
    (None, ["a"], ng.ShapeError, r"label 1 \(sample 1\) needs at least 2 class names.*has 1"),
])
def test_dataset_refuses_bad_labels_and_too_few_class_names(labels, names, error, match):
    with pytest.raises(error, match=match):
        ds.Dataset([[1], [2]], [[1, 0], [0, 1]], labels=labels, class_names=names)
    ok = ds.Dataset([[1], [2]], [[1, 0], [0, 1]], labels=[0, 1], class_names=["a", "b"])
    assert ok.class_counts() == [1, 1]


def test_dataset_indexing_and_rows_are_checked():
    d = ds.Dataset([[1], [2]], [[1, 0], [0, 1]], name="two")
    assert d[-1] == ([2], [0, 1]) and d.subset([-1, 0]).inputs == [[2], [1]]
    for bad, error, match in [(10, ng.ShapeError, r"'two' has 2 samples: index 10 is out of range"),
                              (-3, ng.ShapeError, r"index -3 is out of range"),
                              ("a", ng.NumberError, r"index 'a' is not a whole number"),
                              (1.0, ng.NumberError, r"index 1.0 is not a whole number")]:
        with pytest.raises(error, match=match):
            d[bad]
    with pytest.raises(ng.ShapeError, match=r"subset\(\) position 1: index 10 is out of range"):
        d.subset([0, 10])
    with pytest.raises(ng.ShapeError, match=r"subset\(\) takes a list of sample indices"):
        d.subset(None)
    for inputs, targets, match in [([1, 2], [[1], [0]], r"input of sample 0 is 1, not a row"),
                                   ([[1], [2]], [1, 0], r"target of sample 0 is 1, not a row"),
                                   (["ab", "cd"], [[1], [0]], r"input of sample 0 is 'ab', not a row"),
                                   (None, [[1]], r"inputs must be a list with one row")]:
        with pytest.raises(ng.ShapeError, match=match):
            ds.Dataset(inputs, targets)


def test_scaler_constant_and_load_csv_path_are_checked():
    with pytest.raises(ng.ShapeError, match=r"constant= must be a list of feature indices.*None"):
        ds.Scaler("minmax", [0], [1], constant=None)
    with pytest.raises(ng.NumberError, match=r"constant= holds 'a'"):
        ds.Scaler("minmax", [0], [1], constant=["a"])
    assert ds.Scaler("minmax", [0, 1], [1, 1], constant=(1,)).constant == [1]
    for bad in (None, 3.5, ["a.csv"]):
        with pytest.raises(ng.FormatError, match=r"load_csv\(path=.*give the file's path"):
            ds.load_csv(bad)


@pytest.mark.parametrize("fn,values,match", [
    (ds.standardize, ["1E+999999", "-1E+999999"], r"standardize\(\): the variance of feature 'big'"),
    (ds.standardize, ["9E+999999", "9E+999999"], r"standardize\(\): the mean of feature 'big'"),
    (ds.minmax, ["9E+999999", "-9E+999999"], r"minmax\(\): the range \(max - min\) of feature 'big'"),
])
def test_scaling_decimal_data_near_the_exponent_limit_is_a_numerical_error(fn, values, match):
    d = ds.Dataset([[Decimal("1"), Decimal(v)] for v in values], [[1, 0], [0, 1]],
                   feature_names=["small", "big"], name="huge")
    before = [list(x) for x in d.inputs]
    with pytest.raises(ng.NumericalError, match=match + r" of Dataset 'huge' is beyond the decimal"):
        fn(d)
    assert d.inputs == before


@pytest.mark.parametrize("number, big, tiny", [
    (float, 1e300, 1e-300),
    (Decimal, Decimal("9e999995"), Decimal("1e-10")),
])
def test_scaling_values_far_outside_the_fit_names_the_row_and_feature(number, big, tiny):
    sc = ds.Scaler("minmax", [number(0), number(0)], [number(1), tiny], number=number,
                   feature_names=["ok", "far"])
    one = number(1)
    with pytest.raises(ng.NumericalError, match=r"apply: row 2, feature 'far': \(x - shift\) / "
                                                r"scale = .* is not a finite number"):
        sc.apply([[one, one], [one, one], [one, big]])
    d = ds.Dataset([[one, one], [one, big]], [[1, 0], [0, 1]], name="far away")
    before = [list(x) for x in d.inputs]
    with pytest.raises(ng.NumericalError, match=r"sample 1 of Dataset 'far away', feature 'far'"):
        sc.apply(d)
    assert d.inputs == before
    with pytest.raises(ng.NumericalError, match=r"apply_one: the sample, feature 'far'"):
        sc.apply_one([one, big])
    wide = ds.Scaler("minmax", [number(0)], [big], number=number)
    with pytest.raises(ng.NumericalError, match=r"invert_one: the sample, feature 'x1': x \* scale"):
        wide.invert_one([big])
    assert sc.apply([[one, tiny]]) == [[one, one]]          # in range: unchanged behaviour


def test_load_csv_reads_labels_and_cells_through_parse_number(tmp_path):
    # a label with a huge power of ten is refused by parse_number's limits (Fraction("1e100000000")
    # would build a 100-million-digit integer): the labels are then sorted as text, at once
    d = ds.load_csv(write(tmp_path, "x,label\n1,1e100000000\n2,9\n3,10\n"))
    assert d.class_names == ["10", "1e100000000", "9"] and d.labels == [1, 2, 0]
    with pytest.raises(ng.FormatError, match=r"line 2 \(data row 1\), column 'x'"):
        ds.load_csv(write(tmp_path, "x,label\n1e100000000,a\n", "f.csv"), number=Fraction)
    with pytest.raises(ng.FormatError, match=r"column 'x'"):
        ds.load_csv(write(tmp_path, "x,label\n%s,a\n" % ("1" * 100001), "long.csv"))


# -- arguments of the wrong kind; text read with limits ----------------------------------

def test_split_seed_and_logic_name_of_the_wrong_kind_are_neurograph_errors():
    # (item 10) split(seed=[]) and logic([]) raised TypeError
    with pytest.raises(ng.NumberError, match=r"Dataset.split\(seed=\[\]\): give a whole number"):
        ds.xor().split(seed=[])
    with pytest.raises(ng.NameLookupError, match=r"unknown logic table \[\]; known: xor"):
        ds.logic([])
    with pytest.raises(ng.NumberError, match=r"echo\(seed=\{\}\)"):
        ds.echo(2, seed={})


def test_csv_cells_and_scaler_values_are_read_with_the_text_limits(tmp_path):
    # (item 5) Fraction("1e100000000") from a CSV file (the class sort too) or a model's scaler
    evil = tmp_path / "evil.csv"
    evil.write_text("a,label\n1,1e100000000\n2,3\n")
    d = ds.load_csv(str(evil))                       # the labels are names: no number made
    assert d.class_names == ["1e100000000", "3"] or sorted(d.class_names) == ["1e100000000", "3"]
    cells = tmp_path / "cells.csv"
    cells.write_text("a,b\n1e100000000,x\n2,y\n")
    with pytest.raises(ng.FormatError, match=r"line 2 .*column 'a'"):
        ds.load_csv(str(cells), number=Fraction)
    with pytest.raises(ng.NumberError, match="power of ten of 100000000"):
        ds.Scaler.from_dict({"mean": ["1e100000000"], "std": ["1"]}, number=Fraction)
    with pytest.raises(ng.NumberError, match="at most 100000 are taken"):
        ds.Scaler.from_dict({"mean": ["1" * 100001], "std": ["1"]}, number=Fraction)
