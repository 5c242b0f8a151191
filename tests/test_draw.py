"""Pictures: SVG, DOT and text views of a net, SVG of a training history.

The SVG checks parse every picture with xml.etree and compare what it shows
with the net's own numbers.  The browser checks render each kind of picture in
headless Chromium and decode the screenshot (PNG, read with zlib and struct)
to see that something was actually drawn, in the expected colours and size.
"""

import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zlib
from decimal import Decimal
from fractions import Fraction

import pytest

import neurograph as ng
from neurograph.draw import diagram, fmt_number, history_svg, net_svg, sparkline, write_svg
from neurograph.draw.style import NEG, POS, SHOWABLE

SVG_NS = "{http://www.w3.org/2000/svg}"
HERE = os.path.dirname(os.path.abspath(__file__))
NASTY = '<b>&"'


# ---------------------------------------------------------------------------
# Nets to draw
# ---------------------------------------------------------------------------

def mazur(number=float):
    ex = ng.textbook.mazur(number)
    ex.net.forward(ex.x)
    ex.net.backward(ex.y, loss="half_sse")
    return ex.net


def skip_net():
    """2-2-1-1 with connections that skip one and two layers, and an awkward output name."""
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="tanh")
    h2 = net.add_neuron("h2", activation="tanh")
    g = net.add_neuron("g", activation="relu", bias=0.1)
    o = net.add_neuron(NASTY, activation="identity")
    for a, b, w in [(x1, h1, .5), (x2, h1, -.3), (x1, h2, .8), (x2, h2, .2), (h1, g, .7),
                    (h2, g, -.9), (g, o, 1.1), (x1, o, -.6), (x2, g, .4), (h2, o, .3)]:
        net.connect(a, b, w)
    net.forward([1.0, -0.5])
    net.backward([0.3])
    return net


def chain(n):
    net = ng.Net()
    prev = net.add_input("x")
    for i in range(n):
        nxt = net.add_neuron("c%d" % i, activation="identity", bias=None)
        net.connect(prev, nxt, 1.0)
        prev = nxt
    return net


class FakeHistory:
    def __init__(self, rows):
        self.rows = rows


# ---------------------------------------------------------------------------
# Reading SVG back
# ---------------------------------------------------------------------------

def parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == SVG_NS + "svg"
    vb = [float(v) for v in root.get("viewBox").split()]
    assert vb[2] > 0 and vb[3] > 0
    assert float(root.get("width")) == vb[2] and float(root.get("height")) == vb[3]
    return root


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]


def edge_paths(root):
    """{title: path element} for every single connection (their title has 'weight')."""
    out = {}
    for p in root.iter(SVG_NS + "path"):
        t = p.find(SVG_NS + "title")
        if t is not None and ": weight " in t.text:
            out[t.text.split(": weight ")[0]] = p
    return out


def circles(root):
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r")))
            for c in root.iter(SVG_NS + "circle")]


# ---------------------------------------------------------------------------
# SVG of a net
# ---------------------------------------------------------------------------

def test_mazur_svg_shows_every_weight_gradient_and_neuron_value():
    net = mazur()
    root = parse(net_svg(net))
    tx = texts(root)
    for c in net.connections():
        assert "%s = %s" % (c.name, fmt_number(c.weight)) in tx
        assert "\u2207 %s" % fmt_number(c.grad) in tx
    for n in net.neurons:
        assert n.name in tx
        assert "a %s" % fmt_number(n.a) in tx
        if not n.is_input:
            assert "\u03b4 %s" % fmt_number(n.delta) in tx
    assert "Legend" in tx and any("gradient" in t for t in tx)
    assert set(edge_paths(root)) == {c.name for c in net.connections()}
    # the layers go left to right: every input left of every hidden neuron, left of outputs
    xs = {}
    for g in root.iter(SVG_NS + "g"):
        t, c = g.find(SVG_NS + "title"), g.find(SVG_NS + "circle")
        if t is not None and c is not None:
            xs[t.text.split(" (")[0]] = float(c.get("cx"))
    assert max(xs["i1"], xs["i2"]) < min(xs["h1"], xs["h2"]) < min(xs["o1"], xs["o2"])
    assert net._repr_svg_() == net.to_svg()


def test_edge_colour_follows_sign_and_width_grows_with_magnitude():
    net = skip_net()
    root = parse(net.to_svg())
    paths = edge_paths(root)
    assert len(paths) == len(net.connections())
    widths = []
    for c in net.connections():
        p = paths[c.name]
        assert p.get("stroke") == (POS if c.weight > 0 else NEG), c.name
        widths.append((abs(c.weight), float(p.get("stroke-width"))))
    widths.sort()
    assert all(w1 <= w2 for (_, w1), (_, w2) in zip(widths, widths[1:]))
    assert widths[0][1] < widths[-1][1]


def test_skip_connections_are_routed_around_the_layers_between():
    net = skip_net()
    root = parse(net.to_svg(show=("weight",)))
    cs = circles(root)
    top = min(y - r for _, y, r in cs)
    bottom = max(y + r for _, y, r in cs)
    paths = edge_paths(root)
    skips = [c for c in net.connections() if c.dst.layer - c.src.layer > 1]
    assert len(skips) == 3
    for c in skips:
        d = paths[c.name].get("d")
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
        lane_y = nums[9]          # the "L x y" run along the lane
        assert "C" in d and (lane_y < top or lane_y > bottom), (c.name, d)
        # nothing is drawn through the neurons of the layers in between
        x_from, x_to = nums[0], nums[-2]
        for cx, cy, r in cs:
            if x_from + r < cx < x_to - r:
                assert abs(lane_y - cy) > r
    for c in net.connections():
        if c.dst.layer - c.src.layer == 1:
            assert "C" not in paths[c.name].get("d")


def test_user_names_are_escaped():
    net = ng.Net()
    a = net.add_input(NASTY)
    b = net.add_neuron("o\x01]]>", activation="identity")
    net.connect(a, b, 0.5, name="w<&>'\"")
    svg = net.to_svg()
    root = parse(svg)
    tx = texts(root)
    assert NASTY in tx and "w<&>'\" = 0.5" in tx
    assert "o\ufffd]]>" in tx           # a control character cannot appear in XML
    dot = net.to_dot()
    assert NASTY not in dot and "&lt;b&gt;&amp;&quot;" in dot
    assert NASTY in diagram(net)


def test_decimal_nets_are_formatted_in_decimal_arithmetic():
    net = mazur(Decimal)
    assert isinstance(net["w5"].grad, Decimal)
    tx = texts(parse(net.to_svg()))
    assert "\u2207 %s" % fmt_number(net["w5"].grad) in tx
    assert fmt_number(Decimal("0.082167041")) == "0.08217"
    assert "\u2207 0.08217" in tx and "w5 = 0.40" in tx   # Decimal keeps its digits
    assert "0.08217" in net.to_dot() and "0.5933" in net.diagram()


def test_fraction_nets_are_formatted_without_floats():
    net = ng.Net(number=Fraction)
    x = net.add_input("x")
    h = net.add_neuron("h", activation="relu", bias=Fraction(1, 7))
    o = net.add_neuron("o", activation="identity", bias=None)
    net.connect(x, h, Fraction(2, 3), name="u")
    net.connect(h, o, Fraction(-10 ** 400, 3), name="v")     # far beyond the float range
    net.forward([Fraction(1, 2)])
    net.backward([0])
    assert isinstance(net["u"].grad, Fraction)
    root = parse(net.to_svg())
    tx = texts(root)
    assert "u = 0.6667" in tx and "v = -3.333e+399" in tx
    assert "\u2207 %s" % fmt_number(net["u"].grad) in tx
    assert "a 0.4762" in tx                                  # 1/3 + 1/7 = 10/21
    assert edge_paths(root)["v"].get("stroke") == NEG
    assert fmt_number(Fraction(2, 3)) == "0.6667" and fmt_number(Fraction(4, 2)) == "2"
    assert "0.6667*x" in net.diagram() and "u = 0.6667" in net.to_dot()


def test_values_that_are_not_computed_yet_are_left_out():
    net = ng.Net.dense([2, 2, 1], seed=0)
    tx = texts(parse(net.to_svg()))
    assert not any(t.startswith("a ") or t.startswith("\u03b4 ") for t in tx)
    with pytest.raises(ng.NameLookupError, match="did you mean 'weight'"):
        net.to_svg(show=("wieght",))


def test_784_30_10_collapses_layers_and_stays_small():
    net = ng.Net.dense([784, 30, 10], seed=0)
    net.forward([0.5] * 784)
    net.backward([1.0] + [0.0] * 9)
    svg = net.to_svg()
    assert len(svg.encode("utf-8")) < 2_000_000
    root = parse(svg)
    tx = texts(root)
    assert "+773 more" in tx and "+19 more" in tx
    assert "i1" in tx and "i784" in tx and "h1_30" in tx and "o10" in tx
    assert "i400" not in tx
    single = edge_paths(root)
    assert 0 < len(single) <= 600
    # every one of the 23,820 connections is either drawn or counted in a bundle
    bundled = 0
    for p in root.iter(SVG_NS + "path"):
        t = p.find(SVG_NS + "title")
        if t is not None and " between " in t.text:
            bundled += int(t.text.split(" connection")[0].replace(",", ""))
    assert len(single) + bundled == 23820
    # thinning keeps the strongest connections
    thin = parse(net.to_svg(max_edges=50))
    kept = edge_paths(thin)
    assert len(kept) == 50
    weakest_kept = min(abs(net[n].weight) for n in kept)
    dropped = [c for c in net.connections() if c.name in single and c.name not in kept]
    assert dropped and max(abs(c.weight) for c in dropped) <= weakest_kept


def test_chain_of_10000_neurons_draws_without_recursion():
    net = chain(10000)
    root = parse(net.to_svg())
    tx = texts(root)
    assert "9,990 layers" in tx and "c9999" in tx and "x" in tx
    assert len(root.findall(".//" + SVG_NS + "circle")) == 11
    assert "digraph" in net.to_dot()
    text = net.diagram()
    assert "... 9,993 layers (9,993 neurons) ..." in text and "c9999 = identity(1*c9998)" in text


# ---------------------------------------------------------------------------
# DOT and text
# ---------------------------------------------------------------------------

def test_dot_has_the_same_information():
    net = mazur()
    dot = net.to_dot()
    assert dot.startswith("digraph net {") and dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")
    for c in net.connections():
        assert "%s = %s" % (c.name, fmt_number(c.weight)) in dot
        assert "\u2207 %s" % fmt_number(c.grad) in dot
    for n in net.neurons:
        assert "<b>%s</b>" % n.name in dot
    connections = [ln for ln in dot.splitlines() if ln.startswith("  n") and " -> " in ln]
    assert len(connections) == 8 and dot.count("rank=same") == 3
    big = ng.Net.dense([784, 30, 10]).to_dot()
    assert "+773 more" in big and "connections\"" in big and len(big) < 200_000
    assert "dashed: connections of collapsed neurons" in big


def test_dot_draws_shared_biases_output_labels_and_only_what_it_shows_in_the_legend():
    net = mazur()
    dot = net.to_dot(output_labels=["first", "second"])
    for name, value, users in (("b1", "0.35", ("h1", "h2")), ("b2", "0.6", ("o1", "o2"))):
        node = [ln for ln in dot.splitlines() if "<b>%s</b><br/>%s" % (name, value) in ln]
        assert len(node) == 1 and node[0].strip().startswith("bias")
        bid = node[0].split()[0]
        names = {ln.split()[0]: re.search(r"<b>(\w+)</b>", ln).group(1)
                 for ln in dot.splitlines() if ln.startswith("    n")}
        drawn = [names[ln.split(" -> ")[1].split()[0]] for ln in dot.splitlines()
                 if ln.strip().startswith(bid + " -> ") and "dotted" in ln]
        assert sorted(drawn) == list(users)
    assert 'xlabel=<<font color="#1c5f2c"><b>first</b></font>>' in dot
    assert "dotted: a shared bias and its neurons" in dot
    assert "collapsed" not in dot and "delayed" not in dot       # nothing of the kind is drawn
    plain = net.to_dot(bias_nodes=False, show=("weight",))
    assert "bias0" not in plain and "dotted" not in plain and "gradient" not in plain
    with pytest.raises(ng.ShapeError, match="output_labels: 1 labels for 2 output neurons"):
        net.to_dot(output_labels=["one"])
    own = ng.Net.dense([2, 2, 1], seed=0).to_dot()            # own biases: no bias nodes
    assert "bias0" not in own


def test_diagram_reads_like_the_formulas():
    net = mazur()
    text = net.diagram(show=("weight", "grad", "a", "delta"))
    lines = text.splitlines()
    assert lines[0] == "Net 2-2-2 (float)"
    o1 = [ln for ln in lines if ln.strip().startswith("o1 =")][0]
    assert "0.4*h1 {%s}" % fmt_number(net["w5"].grad) in o1
    assert "a=%s" % fmt_number(net["o1"].a) in o1 and "delta=%s" % fmt_number(
        net["o1"].delta) in o1
    assert "b2 0.6" in o1
    big = ng.Net.dense([784, 30, 10]).diagram()
    assert "... 776 more | i781" in big and "... 22 more neurons ..." in big
    assert max(len(ln) for ln in big.splitlines()) < 160


def test_sparkline():
    assert sparkline([5, 4, 3, 2, 1]) == "\u2588\u2586\u2585\u2583\u2581"
    assert sparkline([1, None, float("nan"), 1]) == "\u2584  \u2584"
    assert len(sparkline(range(100), width=30)) == 30
    assert sparkline([Decimal("0.3"), Fraction(1, 10)]) == "\u2588\u2581"


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------

def polylines(root):
    return {p.find(SVG_NS + "title").text: [tuple(map(float, pt.split(",")))
                                            for pt in p.get("points").split()]
            for p in root.iter(SVG_NS + "polyline")}


def test_history_svg_plots_every_series_in_order():
    rows = [{"epoch": e, "loss": 2.0 / e, "val_loss": 2.5 / e, "accuracy": 1 - 0.5 / e,
             "val_accuracy": 1 - 0.6 / e, "time": 0.1} for e in range(1, 11)]
    root = parse(history_svg(FakeHistory(rows)))
    lines = polylines(root)
    assert set(lines) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    for key, pts in lines.items():
        assert len(pts) == 10
        xs = [x for x, _ in pts]
        assert xs == sorted(xs)
        ys = [y for _, y in pts]        # SVG y grows downwards
        if "loss" in key:
            assert ys == sorted(ys)     # loss falls: y goes down the screen
        else:
            assert ys == sorted(ys, reverse=True)
    tx = texts(root)
    assert "epoch" in tx and "loss" in tx and "accuracy" in tx
    assert "training loss" in tx and "validation loss" in tx and "validation accuracy" in tx
    assert "10" in tx and "0" in tx      # tick labels
    # validation loss lies above the training loss at every epoch (larger value, smaller y)
    assert all(v[1] < t[1] for v, t in zip(lines["val_loss"], lines["loss"]))


def test_history_svg_without_validation_and_in_exact_numbers():
    rows = [{"epoch": e, "loss": Fraction(1, e), "val_loss": None} for e in range(1, 4)]
    root = parse(history_svg(rows))
    assert set(polylines(root)) == {"loss"}
    rows = [{"epoch": 1, "loss": Decimal("0.5"), "val_loss": None, "accuracy": Decimal("0.25"),
             "val_accuracy": None}]
    assert set(polylines(parse(history_svg(rows)))) == {"loss", "accuracy"}
    empty = parse(history_svg([]))
    assert "no values yet" in texts(empty)
    with pytest.raises(ng.FormatError, match="row 0"):
        history_svg([("epoch", 1)])


def text_boxes(root):
    """(text, left, top, right, bottom) of every <text>, estimated on the wide side.

    A character is taken as 0.64 em wide (DejaVu Sans, the first font asked for, has
    0.636 em digits), 0.72 em in bold; glyphs reach 0.8 em above the baseline and 0.25 em
    below it.  A label rotated by -90 degrees about its anchor lies on its side.
    """
    size0 = float(root.get("font-size"))
    boxes = []
    for t in root.iter(SVG_NS + "text"):
        text = "".join(t.itertext())
        size = float(t.get("font-size", size0))
        w = len(text) * size * (0.72 if t.get("font-weight") == "bold" else 0.64)
        x, y = float(t.get("x")), float(t.get("y"))
        left = {"end": x - w, "middle": x - w / 2}.get(t.get("text-anchor"), x)
        box = (left, y - 0.8 * size, left + w, y + 0.25 * size)
        rot = t.get("transform")
        if rot is not None:
            assert rot == "rotate(-90 %s %s)" % (t.get("x"), t.get("y"))
            box = (x - 0.8 * size, y - (x - box[0]), x + 0.25 * size, y + (box[2] - x))
        boxes.append((text,) + box)
    return boxes


def history_rows(epochs, metrics=("accuracy",), big=False):
    rows = []
    for e in range(1, epochs + 1):
        row = {"epoch": e, "loss": (123456.7 if big else 2.0) / e, "val_loss": 2.5 / e}
        for k, m in enumerate(metrics):
            row[m] = 1 - 0.5 / e - 0.01 * k
            row["val_" + m] = -0.25 / e if big else 1 - 0.6 / e
        rows.append(row)
    return rows


@pytest.mark.parametrize("epochs", [1, 7, 100, 10000, 123457])
@pytest.mark.parametrize("metrics,big", [((), False), (("accuracy",), False),
                                         (("accuracy", "precision", "recall", "f1"), True)])
def test_history_svg_labels_fit_in_the_picture_and_do_not_overlap(epochs, metrics, big):
    title = "loss over %d epochs" % epochs + (", with a title much too long" * 8 if big else "")
    rows = history_rows(epochs, metrics, big)
    if epochs > 200:
        rows = rows[:3] + rows[-3:]          # the axis runs to the last epoch all the same
    root = parse(history_svg(rows, title=title))
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = text_boxes(root)
    tx = [b[0] for b in boxes]
    for text, left, top, right, bottom in boxes:
        assert 0 <= left and right <= width, (text, left, right, width)
        assert 0 <= top and bottom <= height, (text, top, bottom, height)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, ("overlap", a, b)
    legend = [t for t in tx if t.startswith(("training ", "validation "))]
    assert len(legend) == 2 + 2 * len(metrics)
    if big:
        assert "\u2026" in tx[0] and title not in tx      # cut short, but whole in <title>
        assert root.find(SVG_NS + "title").text == title


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def test_write_svg_is_atomic(tmp_path):
    path = tmp_path / "net.svg"
    svg = mazur().to_svg()
    mazur().save_svg(str(path))
    assert path.read_text(encoding="utf-8") == svg
    write_svg(history_svg([]), path)
    assert path.read_text(encoding="utf-8").startswith("<svg")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(ng.FormatError, match="str"):
        write_svg(svg.encode(), path)
    with pytest.raises(OSError):
        write_svg(svg, tmp_path / "missing" / "x.svg")
    assert path.read_text(encoding="utf-8") == before
    assert os.listdir(tmp_path) == ["net.svg"]     # no temporary file left behind


# ---------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------

def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def read_png(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, with stdlib only."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    even = int.from_bytes(bytes(255 if i % 2 == 0 else 0 for i in range(stride)), "big")
    odd = int.from_bytes(bytes(0 if i % 2 == 0 else 255 for i in range(stride)), "big")
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ftype == 2:
            # byte-wise (a + b) mod 256 on whole rows: even and odd bytes separately, so
            # that a carry lands in a masked-out byte
            x, p = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
            total = (((x & even) + (p & even)) & even) | (((x & odd) + (p & odd)) & odd)
            line = bytearray(total.to_bytes(stride, "big"))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def render(svg, tmp_path):
    """Screenshot *svg* in headless Chromium at its own size; returns the decoded PNG."""
    browser = find_browser()
    if browser is None:
        pytest.skip("Chromium is not installed (run .ci/setup-browser): browser rendering "
                    "not checked")
    root = parse(svg)
    w, h = int(math.ceil(float(root.get("width")))), int(math.ceil(float(root.get("height"))))
    svg_path = tmp_path / "picture.svg"
    png_path = tmp_path / "picture.png"
    write_svg(svg, svg_path)
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=str(tmp_path))
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + str(png_path),
           "--window-size=%d,%d" % (w, h), svg_path.as_uri()]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
    assert png_path.exists(), "no screenshot; chromium said:\n" + proc.stderr.decode(
        "utf-8", "replace")[-2000:]
    width, height, bpp, rows = read_png(str(png_path))
    assert (width, height) == (w, h)
    return width, height, bpp, rows


def pixel_stats(bpp, rows):
    colours, ink, hues = set(), 0, {"blue": 0, "red": 0, "orange": 0}
    for line in rows:
        for i in range(0, len(line), bpp * 2):       # every other pixel is plenty
            r, g, b = line[i], line[i + 1], line[i + 2]
            colours.add((r, g, b))
            if r < 235 or g < 235 or b < 235:
                ink += 1
            if b > r + 60 and b > g + 20:
                hues["blue"] += 1
            elif r > b + 80 and r > g + 80 and g < 110:
                hues["red"] += 1
            elif r > 180 and 80 < g < 170 and b < 80:
                hues["orange"] += 1
    total = sum(len(line) // (bpp * 2) for line in rows)
    return len(colours), ink / total, hues


@pytest.mark.parametrize("kind", ["mazur", "skip", "784-30-10", "iris history"])
def test_renders_in_chromium(kind, tmp_path):
    if kind == "mazur":
        svg = mazur().to_svg()
    elif kind == "skip":
        svg = skip_net().to_svg()
    elif kind == "784-30-10":
        svg = ng.Net.dense([784, 30, 10], seed=0).to_svg()
    else:
        svg = fit_iris_history().to_svg(title="iris: 4-6-3 tanh/softmax, SGD")
    width, height, bpp, rows = render(svg, tmp_path)
    n_colours, ink, hues = pixel_stats(bpp, rows)
    assert n_colours > 30, "a blank or flat picture"
    assert 0.02 < ink < 0.6, ink
    assert hues["blue"] > 200, hues                      # positive weights / first series
    if kind in ("skip", "784-30-10"):
        assert hues["red"] > 200, hues                   # negative weights
    if kind in ("mazur", "skip", "iris history"):
        assert hues["orange"] > 30, hues                 # gradients / second series
    # the drawing spans the picture: ink in the left and the right third
    third = width // 3
    left = sum(1 for line in rows for i in range(0, third * bpp, bpp * 4) if line[i] < 200)
    right = sum(1 for line in rows for i in range(2 * third * bpp, width * bpp, bpp * 4)
                if line[i] < 200)
    assert left > 50 and right > 50, (left, right)
    # and from top to bottom: the title at the top, the legend in the bottom fifth
    top = sum(1 for line in rows[:height // 10] for i in range(0, len(line), bpp * 2)
              if line[i] < 200)
    bottom = sum(1 for line in rows[height - height // 5:] for i in range(0, len(line), bpp * 2)
                 if line[i] < 200)
    assert top > 50 and bottom > 50, (top, bottom)


def fit_iris_history(epochs=5):
    """ng.fit on the bundled iris data: the History that users draw."""
    train, val = ng.datasets.load_iris().split(test=0.2, seed=0)
    train, val = ng.datasets.standardize(train, val)
    net = ng.Net.dense([4, 6, 3], activation="tanh", output_activation="softmax", seed=3)
    return ng.fit(net, train, epochs=epochs, optimizer=ng.SGD(net, lr=0.05),
                  loss="cross_entropy", validation=val, metrics=("accuracy",), verbose=0)


def test_history_objects_from_fit_draw_themselves(tmp_path):
    history = fit_iris_history(epochs=3)
    svg = history.to_svg()
    assert svg == history._repr_svg_() == history_svg(history)
    lines = polylines(parse(svg))
    assert set(lines) == {"loss", "val_loss", "accuracy", "val_accuracy"}   # "lr" is no metric
    assert all(len(pts) == 3 for pts in lines.values())
    history.save_svg(tmp_path / "h.svg")
    assert (tmp_path / "h.svg").read_text(encoding="utf-8") == svg
    assert ng.history_svg is history_svg and ng.net_svg is net_svg


def test_iris_history_is_a_real_training_run():
    rows = fit_iris_history(epochs=4).rows
    assert [r["epoch"] for r in rows] == [1, 2, 3, 4]
    assert rows[-1]["loss"] < rows[0]["loss"]
    assert all(0 <= r["val_accuracy"] <= 1 for r in rows)


def test_committed_pictures_are_what_the_code_draws():
    """docs/images/*.svg come from docs/make_images.py; rerun it when this fails."""
    import importlib.util
    path = os.path.join(HERE, os.pardir, "docs", "make_images.py")
    spec = importlib.util.spec_from_file_location("make_images", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, make in module.PICTURES.items():
        with open(os.path.join(module.IMAGES, name), encoding="utf-8") as f:
            committed = f.read()
        assert make() == committed, "docs/images/%s is stale: run python docs/make_images.py" % name
        assert len(committed.encode("utf-8")) < 2_000_000


def test_drawing_leaves_the_net_alone_and_copes_with_odd_nets():
    net = mazur()

    def state():
        return ([(p.name, p.value) for p in net.parameters()],
                [(c.name, c.weight, c.grad) for c in net.connections()],
                [(n.name, n.a, n.z, n.delta, n.grad_a) for n in net.neurons])
    before = state()
    net.to_svg(show=tuple(draw_show_all()))
    net.to_dot()
    net.diagram(show=tuple(draw_show_all()))
    assert before == state()
    empty = ng.Net()
    assert "Net empty" in texts(parse(empty.to_svg()))[0] and empty.diagram() == "Net empty (float)"
    lonely = ng.Net()
    lonely.add_input("x")
    lonely.add_neuron("n")                 # not connected yet: still drawn, in layer 1
    tx = texts(parse(lonely.to_svg()))
    assert "x" in tx and "n" in tx and "layer 1" in tx
    bad = history_svg([{"epoch": 1, "loss": float("nan"), "val_loss": float("inf")}])
    assert "no values yet" in texts(parse(bad))


def draw_show_all():
    return sorted(SHOWABLE)


def test_output_labels_name_the_output_neurons():
    net = ng.Net.dense([4, 8, 3], activation="tanh", output_activation="softmax", seed=0)
    names = ["setosa", "versicolor", "virginica"]
    root = parse(net.to_svg(output_labels=names))
    found = {}
    for g in root.iter(SVG_NS + "g"):
        c = g.find(SVG_NS + "circle")
        for t in g.iter(SVG_NS + "text"):
            if t.get("class") == "output-label":
                found[t.text] = (float(c.get("cx")), float(c.get("cy")), float(t.get("x")),
                                 float(t.get("y")))
    assert sorted(found) == names
    width = float(root.get("width"))
    for cx, cy, x, y in found.values():         # right of its neuron, inside the picture
        assert x > cx + 20 and abs(y - cy) < 8
        assert x + len("versicolor") * 11 * 0.64 < width
    by_name = parse(net.to_svg(output_labels={"o2": "versicolor"}))
    assert [t.text for t in by_name.iter(SVG_NS + "text")
            if t.get("class") == "output-label"] == ["versicolor"]
    assert "output-label" not in net.to_svg()
    with pytest.raises(ng.ShapeError, match="2 labels for 3 output neurons"):
        net.to_svg(output_labels=names[:2])
    with pytest.raises(ng.NameLookupError, match="'h1_1' is not an output neuron"):
        net.to_svg(output_labels={"h1_1": "x"})


# ---------------------------------------------------------------------------
# Label placement, shared biases and the legend, checked on the SVG's coordinates
# ---------------------------------------------------------------------------

def _path_points(d):
    """The polyline of an SVG path made of M, L and C commands (curves sampled)."""
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    cmds = re.findall(r"[MLC]", d)
    pts, k = [], 0
    for c in cmds:
        if c in "ML":
            pts.append((nums[k], nums[k + 1]))
            k += 2
        else:
            p0 = pts[-1]
            p1, p2, p3 = [(nums[k + 2 * i], nums[k + 2 * i + 1]) for i in range(3)]
            k += 6
            for i in range(1, 17):
                t = i / 16
                u = 1 - t
                pts.append(tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * e
                                 for a, b, c, e in zip(p0, p1, p2, p3)))
    return pts


def _crosses(p, q, box):
    """Whether segment p-q meets the box, by sampling it finely (independent of neurograph.draw.geometry)."""
    x1, y1, x2, y2 = box
    n = max(2, int(math.hypot(q[0] - p[0], q[1] - p[1]) / 0.5))
    for i in range(n + 1):
        t = i / n
        x, y = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if x1 <= x <= x2 and y1 <= y <= y2:
            return True
    return False


def label_boxes(root):
    """{connection name: [box of each text line]}; a box is the text at 11 px, 0.64 em per
    character wide (DejaVu Sans digits are 0.636 em), ascent 0.8 em, descent 0.2 em, plus the
    1.5 px white halo."""
    out = {}
    for g in root.iter(SVG_NS + "g"):
        if g.get("class") != "edge-label":
            continue
        name = g.find(SVG_NS + "title").text.split(": weight ")[0]
        boxes = []
        for t in g.iter(SVG_NS + "text"):
            assert t.get("text-anchor") == "middle"
            x, y, w = float(t.get("x")), float(t.get("y")), len(t.text) * 11 * 0.64
            boxes.append((x - w / 2 - 1.5, y - 8.8 - 1.5, x + w / 2 + 1.5, y + 2.2 + 1.5))
        out[name] = boxes
    return out


def line_paths(root):
    """[(owner, points)] for every connection line, bundle and bias line."""
    out = []
    for p in root.iter(SVG_NS + "path"):
        t = p.find(SVG_NS + "title")
        if t is None:
            continue                      # the legend's samples have no title
        owner = t.text.split(": weight ")[0] if ": weight " in t.text else None
        out.append((owner, _path_points(p.get("d"))))
    return out


def assert_no_line_crosses_a_label(svg):
    root = parse(svg)
    labels = label_boxes(root)
    lines = line_paths(root)
    assert labels and lines
    for name, boxes in labels.items():
        for owner, pts in lines:
            if owner == name:
                continue
            for box in boxes:
                for p, q in zip(pts, pts[1:]):
                    assert not _crosses(p, q, box), "a line of %s crosses the label of %s" % (
                        owner or "a bias or bundle", name)
    every = [(n, b) for n, bs in labels.items() for b in bs]
    for i, (n1, a) in enumerate(every):       # and labels do not overlap each other
        for n2, b in every[i + 1:]:
            if n1 != n2:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (n1, n2)


def test_no_connection_line_crosses_another_connections_label():
    assert_no_line_crosses_a_label(mazur().to_svg())
    assert_no_line_crosses_a_label(mazur().to_svg(show=("weight",)))
    assert_no_line_crosses_a_label(skip_net().to_svg())
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "make_images", os.path.join(HERE, os.pardir, "docs", "make_images.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert_no_line_crosses_a_label(module.mazur())
    assert_no_line_crosses_a_label(module.skip())


def test_shared_biases_are_drawn_as_nodes_with_lines_to_their_neurons():
    net = mazur()
    root = parse(net.to_svg())
    nodes = {}
    for g in root.iter(SVG_NS + "g"):
        if g.get("class") == "bias":
            c = g.find(SVG_NS + "circle")
            tx = [t.text for t in g.iter(SVG_NS + "text")]
            nodes[tx[0]] = (float(c.get("cx")), float(c.get("cy")), float(c.get("r")), tx[1])
    assert sorted(nodes) == ["b1", "b2"]
    assert nodes["b1"][3] == "0.35" and nodes["b2"][3] == "0.6"
    centre = {}
    for g in root.iter(SVG_NS + "g"):
        t, c = g.find(SVG_NS + "title"), g.find(SVG_NS + "circle")
        if t is not None and c is not None and g.get("class") != "bias":
            centre[t.text.split(" (")[0]] = (float(c.get("cx")), float(c.get("cy")))
    ends = {}
    for p in root.iter(SVG_NS + "path"):
        if p.get("class") == "bias-line":
            pts = _path_points(p.get("d"))
            bias = p.find(SVG_NS + "title").text.split(" = ")[0]
            # the line starts on the bias node's circle and ends on its neuron's circle
            bx, by, br, _ = nodes[bias]
            assert math.hypot(pts[0][0] - bx, pts[0][1] - by) == pytest.approx(br, abs=0.2)
            user = min(centre, key=lambda k: math.hypot(pts[-1][0] - centre[k][0],
                                                        pts[-1][1] - centre[k][1]))
            assert math.hypot(pts[-1][0] - centre[user][0],
                              pts[-1][1] - centre[user][1]) == pytest.approx(20, abs=0.2)
            ends.setdefault(bias, set()).add(user)
    assert ends == {"b1": {"h1", "h2"}, "b2": {"o1", "o2"}}
    assert "shared bias" in " ".join(texts(root))
    # a bias used by one neuron is not shared: no node; and bias_nodes=False leaves them out
    assert 'class="bias"' not in skip_net().to_svg()
    assert 'class="bias"' not in net.to_svg(bias_nodes=False)


def legend_shown(root):
    line = [t for t in texts(root) if t.startswith("shown: ")]
    return line[0][len("shown: "):].split(" \u00b7 ") if line else []


def test_the_legend_lists_only_what_is_drawn():
    train = ng.datasets.load_iris()
    net = ng.Net.dense([4, 8, 3], activation="tanh", output_activation="softmax", seed=0)
    x, y = train[0]
    net.forward(x)
    net.backward(y, loss="cross_entropy")
    root = parse(net.to_svg(show=("weight", "grad", "a", "delta")))   # 56 edges: no labels
    tx = " ".join(texts(root))
    assert not label_boxes(root)
    assert legend_shown(root) == ["a activation", "\u03b4 error dE/dz"]
    assert "dE/dw" not in tx and "w weight" not in tx
    root = parse(net.to_svg(show=("weight",)))
    assert legend_shown(root) == [] and "shown:" not in " ".join(texts(root))
    full = parse(mazur().to_svg())
    assert legend_shown(full) == ["w weight", "\u2207 dE/dw", "a activation",
                                  "\u03b4 error dE/dz"]
    assert "\u2207 gradient dE/dw" in texts(full)
    fresh = ng.textbook.mazur().net                      # nothing computed yet
    assert legend_shown(parse(fresh.to_svg())) == ["w weight"]


def test_pictures_before_a_backward_pass_show_no_gradients():
    ex = ng.textbook.mazur()
    net = ex.net
    for shown in (net.to_svg(), net.to_dot(), net.diagram(show=("weight", "grad"))):
        assert "\u2207" not in shown and "dE/dw" not in shown and "{0" not in shown
    net.forward(ex.x)                                    # a forward pass: still no gradient
    assert "\u2207" not in net.to_svg() and "gradient" not in net.to_dot()
    net.backward(ex.y)
    assert "\u2207 0.08217" in net.to_svg() and "gradient dE/dw" in net.to_dot()
    assert "{0.08217}" in net.diagram(show=("weight", "grad"))
    net.forward(ex.x)                                    # the gradients are still there
    assert "\u2207 0.08217" in net.to_svg()
    net.zero_grad()
    assert "\u2207" not in net.to_svg()


# ---------------------------------------------------------------------------
# Delayed (recurrent) connections: loops, arcs beside the column, their labels
# ---------------------------------------------------------------------------

def tiny_loop_net():
    """x -> h, and h feeding itself one step later."""
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias=None)
    net.connect(x, h, 0.5, name="u")
    net.connect(h, h, 0.9, name="w", delay=1)
    return net


def between_layers_net():
    """Delayed connections back to an earlier layer and forward past one, and two loops."""
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh")
    o = net.add_neuron("o")
    net.connect(x, h, 0.5)
    net.connect(h, o, 1.2)
    net.connect(h, h, 0.8, delay=1)
    net.connect(o, h, -0.3, delay=2)
    net.connect(x, o, 0.25, delay=1)
    net.connect(o, o, 0.1, delay=1)
    return net


def recurrent_nets():
    return {"elman 2-3-1": ng.Net.elman([2, 3, 1], seed=1),
            "elman 1-4-1": ng.Net.elman([1, 4, 1], seed=1),
            "self-loop": tiny_loop_net(), "between layers": between_layers_net()}


def delayed_paths(root):
    """{connection name: points along its path} for every delayed connection drawn."""
    out = {}
    for p in root.iter(SVG_NS + "path"):
        if p.get("class") == "delayed":
            name = p.find(SVG_NS + "title").text.split(": delay ")[0]
            assert name not in out, "%s drawn twice" % name
            out[name] = (p.get("d"), _path_points(p.get("d")))
    return out


def delayed_label_boxes(root):
    """{connection name: box of its label}; the text measured as in label_boxes (at its own
    font size), turned a quarter when the label runs up along a vertical arc."""
    out = {}
    for g in root.iter(SVG_NS + "g"):
        if g.get("class") != "delayed-label":
            continue
        name = g.find(SVG_NS + "title").text.split(": delay ")[0]
        t = g.find(SVG_NS + "text")
        assert t.get("text-anchor") == "middle" and t.text.startswith("d=")
        fs = float(t.get("font-size"))
        x, y, w = float(t.get("x")), float(t.get("y")), len(t.text) * fs * 0.64
        box = (x - w / 2 - 1.5, y - 0.8 * fs - 1.5, x + w / 2 + 1.5, y + 0.2 * fs + 1.5)
        turn = t.get("transform")
        if turn:
            cx, cy = [float(v) for v in re.match(r"rotate\(-90 (\S+) (\S+)\)$", turn).groups()]
            corners = [(cx + (py - cy), cy - (px - cx)) for px in box[::2] for py in box[1::2]]
            box = (min(p[0] for p in corners), min(p[1] for p in corners),
                   max(p[0] for p in corners), max(p[1] for p in corners))
        out[name] = box
    return out


def neuron_centres(root):
    """{neuron name: (cx, cy, r)}, from the groups that draw the neurons."""
    out = {}
    for g in root.iter(SVG_NS + "g"):
        t, c = g.find(SVG_NS + "title"), g.find(SVG_NS + "circle")
        if t is not None and c is not None and g.get("class") is None:
            out[t.text.split(" (")[0]] = (float(c.get("cx")), float(c.get("cy")),
                                          float(c.get("r")))
    return out


def header_boxes(root):
    """The boxes of the picture's title, subtitle and the layer headers."""
    out = []
    for t in root.iter(SVG_NS + "text"):
        text = "".join(t.itertext())
        if t.get("fill") in ("#222", "#555", "#777") and float(t.get("y")) < 60:
            fs = float(t.get("font-size", 11))
            x, y, w = float(t.get("x")), float(t.get("y")), len(text) * fs * 0.64
            if t.get("text-anchor") == "middle":
                x -= w / 2
            out.append((x, y - 0.8 * fs, x + w, y + 0.2 * fs))
    return out


def meet(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("kind", sorted(recurrent_nets()))
def test_every_delayed_connection_is_drawn_once_with_an_arrow_at_its_destination(kind):
    net = recurrent_nets()[kind]
    root = parse(net.to_svg())
    delayed = [c for n in net.neurons for c in n.delayed_inputs]
    paths = delayed_paths(root)
    assert sorted(paths) == sorted(c.name for c in delayed)
    centre = neuron_centres(root)
    arrows = [[tuple(float(v) for v in p.split(",")) for p in poly.get("points").split()]
              for poly in root.iter(SVG_NS + "polygon") if poly.get("class") == "delayed-arrow"]
    assert len(arrows) == len(delayed)
    width, height = float(root.get("width")), float(root.get("height"))
    for c in delayed:
        d, pts = paths[c.name]
        sx, sy, r = centre[c.src.name]
        dx, dy, _ = centre[c.dst.name]
        # from the source's circle to the destination's, inside the picture
        assert math.hypot(pts[0][0] - sx, pts[0][1] - sy) == pytest.approx(r, abs=0.2)
        assert math.hypot(pts[-1][0] - dx, pts[-1][1] - dy) == pytest.approx(r, abs=0.2)
        assert all(2 < x < width - 2 and 44 < y < height for x, y in pts), c.name
        # the arrowhead's tip is where the path ends
        assert any(math.hypot(a[0][0] - pts[-1][0], a[0][1] - pts[-1][1]) < 0.1 for a in arrows)
        # and it passes through no other neuron
        for name, (x, y, rr) in centre.items():
            if name not in (c.src.name, c.dst.name):
                assert all(math.hypot(px - x, py - y) > rr for px, py in pts), (c.name, name)


@pytest.mark.parametrize("kind", sorted(recurrent_nets()))
def test_delayed_labels_overlap_no_label_neuron_or_header(kind):
    net = recurrent_nets()[kind]
    svg = net.to_svg()
    root = parse(svg)
    delayed = [c for n in net.neurons for c in n.delayed_inputs]
    labels = delayed_label_boxes(root)
    assert sorted(labels) == sorted(c.name for c in delayed)
    words = " ".join(texts(root))
    for c in delayed:
        assert "d=%d %s" % (c.delay, fmt_number(c.weight)) in words
    width = float(root.get("width"))
    names = sorted(labels)
    for i, a in enumerate(names):
        box = labels[a]
        assert 0 <= box[0] and box[2] <= width, a
        for b in names[i + 1:]:
            assert not meet(box, labels[b]), (a, b)
        for x, y, r in circles(root):
            assert not meet(box, (x - r, y - r, x + r, y + r)), (a, x, y)
        for h in header_boxes(root):
            assert not meet(box, h), (a, h)
        for other, boxes in label_boxes(root).items():       # the ordinary connections' labels
            assert not any(meet(box, o) for o in boxes), (a, other)
    # no other line runs under a delayed label, and no delayed arc under an ordinary label
    lines = [(p.find(SVG_NS + "title").text.split(": ")[0], _path_points(p.get("d")))
             for p in root.iter(SVG_NS + "path") if p.find(SVG_NS + "title") is not None]
    for name, box in labels.items():
        for owner, pts in lines:
            if owner != name:
                assert not any(_crosses(p, q, box) for p, q in zip(pts, pts[1:])), (owner, name)
    if label_boxes(root):
        assert_no_line_crosses_a_label(svg)


def test_arcs_between_neurons_of_one_layer_bulge_out_of_the_column_one_beside_the_other():
    for net in (ng.Net.elman([2, 3, 1], seed=1), ng.Net.elman([1, 4, 1], seed=1)):
        root = parse(net.to_svg())
        centre = neuron_centres(root)
        paths = delayed_paths(root)
        runs = {}
        for n in net.neurons:
            for c in n.delayed_inputs:
                if c.src is c.dst:
                    continue
                d, pts = paths[c.name]
                assert "C" in d                               # a curve, not a straight line
                sx, sy, r = centre[c.src.name]
                dx, dy, _ = centre[c.dst.name]
                assert sx == dx                               # the same column
                # out to the right of the column, never through it
                assert min(p[0] for p in pts) > sx + r / 4
                far = max(p[0] for p in pts)
                assert far > sx + 2 * r
                runs[c.name] = (far, min(sy, dy), max(sy, dy))
        assert len(runs) == sum(len(n.delayed_inputs) - 1 for n in net.neurons
                                if n.delayed_inputs)
        items = sorted(runs.items())
        for i, (a, (xa, lo_a, hi_a)) in enumerate(items):
            for b, (xb, lo_b, hi_b) in items[i + 1:]:
                if lo_a < hi_b and lo_b < hi_a:               # side by side: apart
                    assert abs(xa - xb) >= 10, (a, b)
        # the loops sit over their neurons, under the layer's header
        for n in net.neurons:
            for c in n.delayed_inputs:
                if c.src is c.dst:
                    x, y, r = centre[n.name]
                    pts = paths[c.name][1]
                    assert max(p[1] for p in pts) < y - r / 2            # on the upper side
                    assert min(p[1] for p in pts) < y - r - 15
                    assert all(abs(p[0] - x) < 2 * r for p in pts)


def test_a_layer_with_many_delayed_connections_draws_them_without_labels():
    net = ng.Net.elman([1, 5, 1], seed=1)                 # 25 delayed connections in one layer
    svg = net.to_svg()
    root = parse(svg)
    assert len(delayed_paths(root)) == 25 and svg.count('class="delayed-arrow"') == 25
    assert not delayed_label_boxes(root) and "d=1 " not in " ".join(texts(root))
    assert any("more than 16 delayed connections" in t for t in texts(root))
    assert "more than 16" not in ng.Net.elman([1, 4, 1], seed=1).to_svg()
    assert 'class="delayed' not in ng.Net.dense([2, 3, 1]).to_svg()


@pytest.mark.parametrize("draw", ["to_svg", "to_dot", "diagram"])
def test_show_that_is_not_a_name_or_list_is_a_neurograph_error(draw):
    # (issue 22, item 10) show=True raised TypeError
    net = ng.Net.dense([2, 2, 1], seed=0)
    with pytest.raises(ng.NameLookupError, match=r"show=True: give a value to show or a list"):
        getattr(net, draw)(show=True)
