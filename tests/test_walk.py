"""The walk (neurograph/walk.py): gradients, an independent reference, debuggers and hooks.

Random nets are described first as plain data (a *plan*: inputs, neurons,
edges, shared parameters, a loss, one sample), then built with the public
API.  The same plan feeds :func:`reference`, a re-implementation of the
forward and backward pass with plain dicts that uses nothing of neurograph.
"""
import gc
import math
import os
import random
import re
import subprocess
import sys
import traceback
from decimal import Decimal

import pytest

import neurograph as ng
from neurograph.core.errors import NeurographError
from conftest import input_difference

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WALK_PY = os.path.join(ROOT, "neurograph", "core", "walk.py")

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]
KINKED = ("relu", "leaky_relu", "elu")
#: (loss, output activations it is used with); the cross-entropies refuse unbounded outputs.
SETUPS = [
    ("half_sse", HIDDEN + ["softmax"]),
    ("mse", HIDDEN + ["softmax"]),
    ("binary_cross_entropy", ["sigmoid"]),
    ("cross_entropy", ["sigmoid"]),
    ("cross_entropy", ["softmax"]),
    ("categorical_cross_entropy", ["softmax"]),
    ("categorical_cross_entropy", ["sigmoid"]),
    ("binary_cross_entropy", ["softmax"]),       # through the softmax Jacobian, no closed form
    ("half_sse", ["softmax"]),
    ("sse", HIDDEN),
]
N_DAGS = 250


# ---------------------------------------------------------------------------
# Random nets as plain data
# ---------------------------------------------------------------------------

def make_plan(seed, softmax_deepest_first=False):
    """A random DAG: 1-4 inputs, 2-10 neurons, skip connections, shared and tied parameters.

    Neurons are listed in creation order (every edge goes from an earlier
    node to a later one); output neurons are created shallowest first
    unless *softmax_deepest_first*.
    """
    rng = random.Random(seed)
    loss, out_acts = SETUPS[seed % len(SETUPS)]
    all_softmax = out_acts == ["softmax"]
    some_softmax = all_softmax or (loss in ("half_sse", "mse") and rng.random() < 0.5)
    n_in = rng.randint(1, 4)
    n_out = rng.randint(2, 3) if some_softmax else rng.randint(1, 3)
    n_hidden = rng.randint(max(1 if some_softmax else 0, 2 - n_out), 10 - n_out)
    params = {}
    for pname, p in (("sb", 0.6), ("tw", 0.6), ("pb", 0.4)):
        if rng.random() < p:
            params[pname] = (round(rng.uniform(-1, 1), 6), rng.random() < 0.75)

    def weight():
        r = rng.random()
        if "tw" in params and r < 0.2:
            return ("param", "tw")
        if "pb" in params and r < 0.3:
            return ("param", "pb")
        return ("own", rng.uniform(-1.5, 1.5), rng.random() > 0.15)

    def bias():
        r = rng.random()
        if r < 0.15:
            return None
        if "sb" in params and r < 0.45:
            return ("param", "sb")
        if "pb" in params and r < 0.55:
            return ("param", "pb")
        return ("own", rng.uniform(-1, 1), rng.random() > 0.15)

    inputs = ["x%d" % i for i in range(n_in)]
    neurons, edges = [], []
    hidden = []
    for k in range(n_hidden):
        name = "h%d" % k
        pool = inputs + hidden
        for s in rng.sample(pool, rng.randint(1, min(3, len(pool)))):
            edges.append((s, name, weight()))
        neurons.append({"name": name, "act": rng.choice(HIDDEN), "bias": bias()})
        hidden.append(name)
    outs = []
    for k in range(n_out):
        name = "o%d" % k
        if some_softmax and k == 0:
            srcs = [rng.choice(inputs)]                  # a shallow output (layer 1)...
        elif some_softmax and k == 1:
            srcs = [hidden[-1]] + rng.sample(inputs, 1)  # ... and a deeper one
        else:
            pool = inputs + hidden
            srcs = rng.sample(pool, rng.randint(1, min(3, len(pool))))
        for s in srcs:
            edges.append((s, name, weight()))
        if all_softmax or (some_softmax and k < 2):
            act = "softmax"
        else:
            act = rng.choice([a for a in out_acts if a != "softmax"] or ["sigmoid"]
                             if not some_softmax else HIDDEN)   # (softmax: two or more)
        outs.append({"name": name, "act": act, "bias": bias()})
    for i, h in enumerate(hidden):                       # no hidden neuron is left as an output
        if not any(e[0] == h for e in edges):
            edges.append((h, rng.choice(hidden[i + 1:] + [o["name"] for o in outs]), weight()))
    depth = {x: 0 for x in inputs}
    for n in neurons + outs:
        depth[n["name"]] = 1 + max(depth[s] for s, d, _ in edges if d == n["name"])
    outs.sort(key=lambda o: depth[o["name"]], reverse=softmax_deepest_first)
    neurons += outs
    x = [rng.uniform(-2, 2) for _ in inputs]
    soft = [o for o in outs if o["act"] == "softmax"]
    if loss in ("half_sse", "sse", "mse"):
        y = [rng.uniform(-1, 1) for _ in outs]
    elif soft and loss != "binary_cross_entropy":
        if rng.random() < 0.5:
            hot = rng.randrange(len(outs))
            y = [1.0 if i == hot else 0.0 for i in range(len(outs))]
        else:
            y = [rng.uniform(0, 1) for _ in outs]       # sum(y) != 1: a * sum(y) - y
    else:
        y = [rng.uniform(0.05, 0.95) for _ in outs]
    return {"seed": seed, "inputs": inputs, "neurons": neurons, "edges": edges,
            "params": params, "loss": loss, "x": x, "y": y, "depth": depth, "rng": rng}


def build(plan, number=float):
    net = ng.Net(number=number)
    for name in plan["inputs"]:
        net.add_input(name)
    for pname, (value, trainable) in plan["params"].items():
        net.add_parameter(pname, value, trainable=trainable)
    for n in plan["neurons"]:
        b = n["bias"]
        spec = None if b is None else net[b[1]] if b[0] == "param" else b[1]
        net.add_neuron(n["name"], activation=n["act"], bias=spec)
        if b is not None and b[0] == "own" and not b[2]:
            net[n["name"] + ".bias"].trainable = False
    for s, d, w in plan["edges"]:
        if w[0] == "param":
            net.connect(s, d, net[w[1]])
        else:
            net.connect(s, d, w[1], trainable=w[2])
    return net


def away_from_kinks(plan, net):
    """Redraw the sample until no relu/leaky_relu/elu neuron sits within 1e-3 of its kink."""
    for _ in range(50):
        net.forward(plan["x"])
        if all(abs(n.z) > 1e-3 for n in net.neurons
               if not n.is_input and n.activation.name in KINKED):
            return True
        plan["x"] = [plan["rng"].uniform(-2, 2) for _ in plan["inputs"]]
    return False


# ---------------------------------------------------------------------------
# The independent reference: plain dicts and math, nothing of neurograph
# ---------------------------------------------------------------------------

def _sig(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


F = {
    "identity": (lambda z: z, lambda z: 1.0),
    "sigmoid": (_sig, lambda z: _sig(z) * (1.0 - _sig(z))),
    "tanh": (math.tanh, lambda z: 1.0 - math.tanh(z) ** 2),
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "elu": (lambda z: z if z > 0 else math.exp(z) - 1.0, lambda z: 1.0 if z > 0 else math.exp(z)),
    "softplus": (lambda z: math.log(1.0 + math.exp(z)) if z < 30 else z, _sig),
}


def reference(plan, values=None):
    """Forward and backward for *plan*: (z, a, delta, grad_a, grads by parameter name, E).

    *values* overrides parameter values by name (``"s->d"`` for an edge's own
    weight, ``"n.bias"`` for a neuron's own bias, else the shared name).
    """
    vals = {}
    weights = []                                   # (src, dst, parameter name)
    for s, d, w in plan["edges"]:
        key = w[1] if w[0] == "param" else "%s->%s" % (s, d)
        if w[0] == "own":
            vals[key] = w[1]
        weights.append((s, d, key))
    biases = {}
    for n in plan["neurons"]:
        b = n["bias"]
        if b is not None:
            key = b[1] if b[0] == "param" else n["name"] + ".bias"
            if b[0] == "own":
                vals[key] = b[1]
            biases[n["name"]] = key
    for pname, (value, _) in plan["params"].items():
        vals[pname] = value
    vals.update(values or {})
    into = {n["name"]: [(s, k) for s, d, k in weights if d == n["name"]] for n in plan["neurons"]}
    feeds = {n["name"] for n in plan["neurons"] if any(s == n["name"] for s, _, _ in weights)}
    act = {n["name"]: n["act"] for n in plan["neurons"]}
    names = [n["name"] for n in plan["neurons"]]    # creation order is a topological order
    outputs = [n for n in names if n not in feeds]
    soft = [n for n in outputs if act[n] == "softmax"]
    a = dict(zip(plan["inputs"], plan["x"]))
    z = {}
    for n in names:
        total = vals[biases[n]] if n in biases else 0.0
        for s, k in into[n]:
            total += vals[k] * a[s]
        z[n] = total
        if act[n] != "softmax":
            a[n] = F[act[n]][0](total)
    if soft:
        m = max(z[n] for n in soft)
        e = {n: math.exp(z[n] - m) for n in soft}
        for n in soft:
            a[n] = e[n] / sum(e.values())
    y = dict(zip(outputs, plan["y"]))
    loss = plan["loss"]
    if loss == "cross_entropy":
        loss = "categorical_cross_entropy" if soft else "binary_cross_entropy"
    if loss == "half_sse":
        E = 0.5 * sum((a[o] - y[o]) ** 2 for o in outputs)
        g = {o: a[o] - y[o] for o in outputs}
    elif loss == "sse":
        E = sum((a[o] - y[o]) ** 2 for o in outputs)
        g = {o: 2.0 * (a[o] - y[o]) for o in outputs}
    elif loss == "mse":
        E = sum((a[o] - y[o]) ** 2 for o in outputs) / len(outputs)
        g = {o: 2.0 * (a[o] - y[o]) / len(outputs) for o in outputs}
    elif loss == "binary_cross_entropy":
        E = -sum(y[o] * math.log(a[o]) + (1 - y[o]) * math.log(1 - a[o]) for o in outputs)
        g = {o: (a[o] - y[o]) / (a[o] * (1 - a[o])) for o in outputs}
    else:
        E = -sum(y[o] * math.log(a[o]) for o in outputs if y[o])
        g = {o: -y[o] / a[o] for o in outputs}
    grad_a = {n: 0.0 for n in plan["inputs"] + names}
    grad_a.update(g)
    grads = {k: 0.0 for k in vals}
    delta = {}
    shift = sum(g[o] * a[o] for o in soft)
    for n in reversed(names):
        if act[n] == "softmax":
            delta[n] = a[n] * (grad_a[n] - shift)
        else:
            delta[n] = grad_a[n] * F[act[n]][1](z[n])
        if n in biases:
            grads[biases[n]] += delta[n]
        for s, k in into[n]:
            grads[k] += delta[n] * a[s]
            grad_a[s] += vals[k] * delta[n]
    return z, a, delta, grad_a, grads, E


def close(x, y, rtol=1e-5, atol=1e-8):
    return abs(x - y) <= atol + rtol * max(abs(x), abs(y))


# ---------------------------------------------------------------------------
# 1. Gradients against central differences on 250 random DAGs
# ---------------------------------------------------------------------------

PLANS = [make_plan(_seed) for _seed in range(N_DAGS)]
for _plan in PLANS:                       # samples chosen once, before any test runs
    _plan["smooth"] = away_from_kinks(_plan, build(_plan))


def test_gradients_agree_with_central_differences_on_250_random_dags():
    covered = dict.fromkeys(["tied", "weight+bias", "shared bias", "frozen", "softmax depths",
                             "skip", "mse/softmax"] + HIDDEN + [
        "%s/%s" % (loss, "softmax" if acts == ["softmax"] else "elementwise")
        for loss, acts in SETUPS], 0)
    checked = 0
    for plan in PLANS:
        net = build(plan)
        assert 2 <= len(net.neurons) - len(net.inputs) <= 10
        if not plan["smooth"]:
            continue
        x, y, loss = plan["x"], plan["y"], plan["loss"]
        result = ng.gradcheck(net, x, y, loss)
        assert len(result.rows) == len(net.parameters())
        assert result.ok, (plan["seed"], result.table())
        # the same gradients from a backward pass of our own, and dE/dx of every input
        net.zero_grad()
        net.forward(x)
        E = net.backward(y, loss)
        assert E == net.loss(x, y, loss)
        for row, p in zip(result.rows, net.parameters()):
            assert row.name == p.name and row.analytic == p.grad
        net.forward(x)
        net.zero_grad()
        net.backward(y, loss)
        eps = 1e-6
        dEdx = [inp.grad_a for inp in net.inputs]     # (a forward pass starts them at 0 again)
        for i, inp in enumerate(net.inputs):
            numeric = input_difference(lambda xs: net.loss(xs, y, loss), x, i, eps)
            net.forward(x)
            assert close(dEdx[i], numeric), (plan["seed"], inp.name, dEdx[i], numeric)
        # softmax outputs at any depth form ONE group, normalised together
        group = [n for n in net.outputs if n.activation.name == "softmax"]
        if group:
            softmax = net._ordered().softmax
            assert len(softmax) == len(group) and set(softmax) == set(group)
            assert sum(n.a for n in group) == pytest.approx(1.0, abs=1e-12)
            m = max(n.z for n in group)
            total = sum(math.exp(n.z - m) for n in group)
            for n in group:
                assert n.a == pytest.approx(math.exp(n.z - m) / total, rel=1e-12)
            if len({n.layer for n in group}) > 1:
                covered["softmax depths"] += 1
        # what this net covered
        checked += 1
        uses = {}
        for c in net.connections():
            uses.setdefault(c.param, []).append(c)
            if c.dst.layer - c.src.layer > 1:
                covered["skip"] += 1
        for n in net.neurons:
            if n.bias is not None:
                uses.setdefault(n.bias, []).append(n)
            if not n.is_input and not n.is_output:
                covered[n.activation.name] += 1
        for p, us in uses.items():
            kinds = {type(u).__name__ for u in us}
            if kinds == {"TiedConnection"} and len(us) > 1:
                covered["tied"] += 1
            elif len(kinds) > 1:
                covered["weight+bias"] += 1
            elif kinds == {"Neuron"} and len(us) > 1:
                covered["shared bias"] += 1
            if not p.trainable and p.grad != 0:
                covered["frozen"] += 1        # frozen, yet its grad is computed (and checked)
        covered["%s/%s" % (loss, "softmax" if group else "elementwise")] += 1
    assert checked >= N_DAGS - 10, checked
    thin = {k: v for k, v in covered.items() if v < 10}
    assert not thin, (thin, covered)


def test_softmax_group_whose_last_created_member_is_the_shallowest():
    bad = 0
    for seed in [s for s in range(N_DAGS) if SETUPS[s % len(SETUPS)][1] == ["softmax"]][:20]:
        plan = make_plan(seed, softmax_deepest_first=True)
        net = build(plan)
        try:
            net.forward(plan["x"])
            z, a, _, _, _, _ = reference(plan)
            if any(abs(n.a - a[n.name]) > 1e-12 for n in net.outputs):
                bad += 1
        except NeurographError:
            bad += 1
    assert bad == 0


def _two_softmax_outputs_fed_by_x():
    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", "tanh", bias=0.1)
    s1 = net.add_neuron("s1", "softmax", bias=0.2)
    s2 = net.add_neuron("s2", "softmax", bias=-0.3)
    net.connect(x, h, 0.7)
    net.connect(x, s1, 0.5)
    net.connect(x, s2, -0.4)
    return net, h, s1, s2


def test_softmax_group_at_two_depths_is_current_after_a_rewiring():
    """The silent variant of the bug above: a forward pass with a stale z gives wrong outputs."""
    net, h, s1, s2 = _two_softmax_outputs_fed_by_x()
    net.connect(h, s2, 0.9)                 # s2 deeper than s1: the walk meets s1 first
    outs = net.forward([0.5])
    zs = [0.2 + 0.5 * 0.5, -0.3 - 0.4 * 0.5 + 0.9 * math.tanh(0.1 + 0.35)]
    e = [math.exp(v) for v in zs]
    assert outs == pytest.approx([v / sum(e) for v in e], rel=1e-12)
    assert sum(outs) == pytest.approx(1.0, abs=1e-15)


def test_softmax_member_made_deeper_after_a_pass_is_not_stale():
    net, h, s1, s2 = _two_softmax_outputs_fed_by_x()
    net.forward([0.5])
    net.connect(h, s1, 0.9)                 # s1 is now deeper than s2, and created first
    outs = net.forward([0.5])
    zs = [0.2 + 0.5 * 0.5 + 0.9 * math.tanh(0.1 + 0.35), -0.3 - 0.4 * 0.5]
    assert s1.z == pytest.approx(zs[0], rel=1e-12)
    e = [math.exp(v) for v in zs]
    assert outs == pytest.approx([v / sum(e) for v in e], rel=1e-12)


# ---------------------------------------------------------------------------
# 2. An independent reference
# ---------------------------------------------------------------------------

def compare_with_reference(plan, net, values=None):
    z, a, delta, grad_a, grads, E = reference(plan, values)
    for n in net.neurons:
        assert n.a == pytest.approx(a[n.name], rel=1e-12), (plan["seed"], n.name, "a")
        assert n.grad_a == pytest.approx(grad_a[n.name], rel=1e-12), (plan["seed"], n.name)
        if not n.is_input:
            assert n.z == pytest.approx(z[n.name], rel=1e-12), (plan["seed"], n.name, "z")
            assert n.delta == pytest.approx(delta[n.name], rel=1e-12), (plan["seed"], n.name)
    assert sorted(grads) == sorted(p.name for p in net.parameters())
    for p in net.parameters():
        assert p.grad == pytest.approx(grads[p.name], rel=1e-12), (plan["seed"], p.name)
    for c in net.connections():
        assert c.grad == pytest.approx(grads[c.param.name], rel=1e-12)
    return E


def test_every_number_matches_an_independent_reference():
    for plan in PLANS:
        net = build(plan)
        net.forward(plan["x"])
        E = net.backward(plan["y"], plan["loss"])
        assert E == pytest.approx(compare_with_reference(plan, net), rel=1e-12)


# ---------------------------------------------------------------------------
# 3. A parameter used as a weight and as a bias
# ---------------------------------------------------------------------------

def test_a_parameter_used_as_weight_and_as_bias_gets_both_gradients():
    net = ng.Net()
    xs = [net.add_input("x%d" % i) for i in range(16)]
    h = net.add_neuron("h", "identity", bias=None)
    o = net.add_neuron("o", "identity", bias=None)
    p = net.add_parameter("p", 0.5)
    net.connect(xs[0], h, p)
    for x in xs[1:]:
        net.connect(x, h, 0.1)
    o.bias = p
    net.connect(h, o, 2.0)
    assert net.forward([1.0] * 16) == [pytest.approx(4.5, rel=1e-15)]
    assert net.backward([0.0]) == pytest.approx(10.125, rel=1e-15)
    # dE/dp = delta_h * x0 (the weight) + delta_o (the bias) = 9 + 4.5
    assert (o.delta, h.delta) == (pytest.approx(4.5), pytest.approx(9.0))
    assert p.grad == pytest.approx(13.5, rel=1e-15)
    assert net["x0->h"].grad == p.grad and net["x0->h"].tied
    row = [r for r in ng.gradcheck(net, [1.0] * 16, [0.0]).rows if r.name == "p"][0]
    assert row.ok and row.numeric == pytest.approx(13.5, rel=1e-6)


# ---------------------------------------------------------------------------
# 4. Real pdb, driven through stdin
# ---------------------------------------------------------------------------

SCRIPT = """\
import neurograph as ng

ex = ng.textbook.mazur()
net = ex.net
net.forward(ex.x)
E = net.backward(ex.y)
print("E =", E)
"""
BREAK_LINE = 6
MAX_STEPS = 300
BP1 = "delta = neuron.grad_a * fprime"
LOCATION = re.compile(r"^> (.+)\((\d+)\)(\S+)\(\)")


def drive_pdb(tmp_dir):
    """Step from ``E = net.backward(ex.y)``; one entry per step: (file, line, function, source,
    the probe's answer about a local ``neuron``)."""
    script = os.path.join(str(tmp_dir), "script.py")
    with open(script, "w") as f:
        f.write(SCRIPT)
    probe = ("p ('@@', %d, (type(neuron).__name__, getattr(neuron, 'name', None), "
             "getattr(neuron, 'grad_a', None)) if 'neuron' in dir() else None)")
    commands = ["break script.py:%d" % BREAK_LINE, "continue", probe % 0]
    for k in range(1, MAX_STEPS + 1):
        commands += ["step", probe % k]
    commands.append("quit")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONBREAKPOINT", None)
    out = subprocess.run([sys.executable, "-m", "pdb", "script.py"], cwd=str(tmp_dir), env=env,
                         input="\n".join(commands) + "\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True, timeout=120).stdout
    steps = []
    where = None
    source = ""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        line = line.replace("(Pdb) ", "")
        m = LOCATION.match(line)
        if m:
            where = (os.path.basename(m.group(1)), int(m.group(2)), m.group(3))
            nxt = lines[i + 1].replace("(Pdb) ", "") if i + 1 < len(lines) else ""
            source = nxt[3:].strip() if nxt.startswith("-> ") else ""
        m = re.search(r"\('@@', (\d+), (.*)\)$", line)
        if m:
            k = int(m.group(1))
            if k == 0:
                assert where == ("script.py", BREAK_LINE, "<module>"), out[:2000]
            else:
                steps.append(where + (source, m.group(2)))
    return steps, out


@pytest.fixture(scope="module")
def pdb_steps(tmp_path_factory):
    return drive_pdb(tmp_path_factory.mktemp("pdb"))


def _first_bp1(steps):
    for k, (fname, _, func, source, probe) in enumerate(steps, 1):
        if fname == "walk.py" and func == "backward" and BP1 in source:
            return k, probe
    return None, None


def test_pdb_steps_from_backward_into_the_walk_and_sees_the_output_neuron(pdb_steps):
    steps, out = pdb_steps
    assert len(steps) == MAX_STEPS, out[-3000:]
    k, probe = _first_bp1(steps)
    assert k is not None, "pdb never reached walk.py's BP1 line in %d steps" % MAX_STEPS
    print("pdb: %d steps from 'E = net.backward(ex.y)' to walk.py's %r" % (k, BP1))
    # Mazur: the first neuron back is o1, dE/da = out_o1 - target_o1 = 0.75136507 - 0.01
    assert probe.startswith("('Neuron', 'o1', ")
    assert float(probe.split(", ")[2].rstrip(")")) == pytest.approx(0.7513650695523157 - 0.01,
                                                                     rel=1e-15)


def test_pdb_reaches_bp1_of_an_output_within_40_steps(pdb_steps):
    steps, _ = pdb_steps
    k, probe = _first_bp1(steps)
    assert k is not None and k <= 40, k
    assert probe.startswith("('Neuron', 'o1', ") or probe.startswith("('Neuron', 'o2', ")


# ---------------------------------------------------------------------------
# 5. Per-neuron hooks, watchpoints, errors naming the neuron
# ---------------------------------------------------------------------------

def hook_net():
    """x1, x2 -> h1 (layer 1) -> h2 (layer 2); h3 (layer 1, made after h2); o <- h2, h3, x1."""
    net = ng.Net()
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", "tanh", bias=0.1)
    h2 = net.add_neuron("h2", "sigmoid", bias=-0.2)
    h3 = net.add_neuron("h3", "elu", bias=0.3)
    o = net.add_neuron("o", "identity", bias=0.05)
    net.connect(x1, h1, 0.4)
    net.connect(x2, h1, -0.6)
    net.connect(h1, h2, 1.1)
    net.connect(x2, h3, 0.8)
    net.connect(h2, o, -0.7)
    net.connect(h3, o, 0.9)
    net.connect(x1, o, 0.25)                  # a skip connection
    return net


def test_hooks_see_forward_in_walk_order_and_backward_neuron_by_neuron():
    net = hook_net()
    net.forward([0.3, -0.5])
    net.backward([1.0])
    before = {n.name: n.delta for n in net.neurons if not n.is_input}
    net.zero_grad()
    seen = []
    checks = []
    reverse = ["o", "h2", "h1", "h3"]

    def fn(event, obj):
        seen.append((event, obj.name))
        if event == "backward" and isinstance(obj, ng.Neuron):
            done = reverse[:reverse.index(obj.name) + 1]
            checks.append((obj.name, obj.delta, obj.bias.grad,
                           [(c.name, c.grad, c.src.a) for c in obj.inputs],
                           {m: net[m].delta for m in reverse if m not in done}))
    handle = net.add_hook(fn)
    net.forward([0.3, -0.5])
    net.backward([-1.0])
    handle.remove()
    assert seen[:4] == [("forward", "h1"), ("forward", "h3"), ("forward", "h2"),
                        ("forward", "o")]
    assert seen[4:] == [("backward", "o"), ("backward", "h2->o"), ("backward", "h3->o"),
                        ("backward", "x1->o"),
                        ("backward", "h2"), ("backward", "h1->h2"),
                        ("backward", "h1"), ("backward", "x1->h1"), ("backward", "x2->h1"),
                        ("backward", "h3"), ("backward", "x2->h3")]
    assert [c[0] for c in checks] == reverse
    for name, delta, bias_grad, incoming, not_yet in checks:
        n = net[name]
        assert delta == n.delta and bias_grad == n.bias.grad == delta      # BP3 done
        for cname, grad, a_src in incoming:
            assert grad == net[cname].grad == delta * a_src                 # BP4 done
        for m, d in not_yet.items():
            assert d == before[m] != net[m].delta                           # from the last pass


def test_a_backward_watchpoint_breaks_with_the_neuron_a_few_frames_up(monkeypatch):
    net = hook_net()
    h1 = net["h1"]
    seen = []

    def debugger(*args, **kws):          # what `up` would show, looked at while stopped
        frame = sys._getframe(1)         # the frame that called breakpoint()
        watched = frame.f_locals.get("watched")
        ups = 0
        while frame is not None and frame.f_locals.get("neuron") is not h1:
            frame, ups = frame.f_back, ups + 1
        seen.append((watched, ups, frame and frame.f_code.co_filename,
                     frame and frame.f_code.co_name, frame and frame.f_locals.get("delta"),
                     h1.delta, [c.grad for c in h1.inputs]))
        del frame
    monkeypatch.setattr(sys, "breakpointhook", debugger)
    handle = h1.watch(on="backward", action="break")
    net.forward([0.3, -0.5])
    net.backward([1.0])
    handle.remove()
    assert len(seen) == 1
    watched, ups, filename, func, delta, h1_delta, grads = seen[0]
    assert watched is h1                                 # in scope at the prompt
    assert 1 <= ups <= 3
    assert os.path.samefile(filename, WALK_PY) and func == "backward"
    assert delta == h1_delta == h1.delta != 0            # set when the debugger stops
    assert grads == [c.grad for c in h1.inputs] and all(g != 0 for g in grads)
    net.forward([0.3, -0.5])
    net.backward([1.0])
    assert len(seen) == 1                                # removed: no more stops


def boom_net(number=float):
    def f(z):
        if z > 1:
            raise ValueError("z > 1")
        return z

    def df(z):
        if z < -1:
            raise ValueError("z < -1 in the derivative")
        return z / z if z else z + 1
    act = ng.Activation("boom", f, df)
    net = ng.Net(number=number)
    x = net.add_input("x")
    h = net.add_neuron("h", act, bias=0)
    o = net.add_neuron("o", "sigmoid", bias="0.5")
    net.connect(x, h, 1)
    net.connect(h, o, 2)
    net.connect(x, o, -1)
    return net, h


def _state(net):
    return ([(n.name, n.z, n.a, n.delta, n.grad_a) for n in net.neurons],
            [(p.name, p.value, p.grad) for p in net.parameters()])


@pytest.mark.parametrize("number", [float, Decimal])
def test_a_failing_activation_names_the_neuron_and_leaves_the_net_as_it_was(number):
    net, h = boom_net(number)
    net.forward([number("0.5")])
    net.backward([number("0.2")])
    before = _state(net)
    with pytest.raises(NeurographError) as info:
        net.forward([number("3")])
    assert "'h'" in str(info.value) and "ValueError" in str(info.value)
    assert isinstance(info.value.__cause__, ValueError)
    assert _state(net) == before                        # every z and a as it was
    # what pdb.pm() reaches: the user's function that raised; a frame or two up, the walk
    # with `neuron` in it
    assert traceback.extract_tb(info.tb)[-1].name == "f"
    assert _walk_frame(info.tb, "forward").f_locals["neuron"] is h
    # backward: the output's BP3/BP4 are added before h's derivative raises; all is put back
    net.forward([number("-1.5")])
    before = _state(net)
    with pytest.raises(NeurographError) as info:
        net.backward([number("0.2")])
    assert "'h'" in str(info.value) and "backward" in str(info.value)
    assert _state(net) == before                        # every grad, delta and dE/da as it was
    assert traceback.extract_tb(info.tb)[-1].name == "df"
    assert _walk_frame(info.tb, "backward").f_locals["neuron"] is h
    assert "the derivative is not defined here" in str(info.value)


def _walk_frame(tb, function):
    """The walk's frame (forward or backward) in the traceback *tb*."""
    frames = [f for f, _ in traceback.walk_tb(tb)
              if f.f_code.co_name == function and os.path.samefile(f.f_code.co_filename, WALK_PY)]
    assert frames, "no frame of walk.%s in the traceback" % function
    return frames[-1]


def test_pdb_post_mortem_lands_in_the_failing_function_with_the_walk_above_it():
    """pdb.pm() shows the user's activation where it raised (not the walk's raise line); `up`
    reaches the walk's frame with the neuron; the advice fits a domain error."""
    net, h = boom_net()
    try:
        net.forward([3.0])
    except NeurographError as e:
        tb = sys.exc_info()[2]
        text = str(e)
    frames = [f for f, _ in traceback.walk_tb(tb)]
    assert frames[-1].f_code.co_name == "f" and frames[-1].f_locals["z"] == 3.0
    walk_frame = _walk_frame(tb, "forward")
    assert walk_frame.f_locals["neuron"] is h and walk_frame.f_locals["z"] == 3.0
    assert "not defined at this z" in text and "scale the inputs" not in text
    del frames, tb, walk_frame


# ---------------------------------------------------------------------------
# 6. Objects are current; weight writes; accumulation; immediate order; allocation
# ---------------------------------------------------------------------------

def current_values(net):
    return {p.name: p.value for p in net.parameters()}


def test_objects_are_current_and_weight_writes_take_effect():
    plan = next(p for p in PLANS if p["loss"] == "half_sse" and {"tw", "sb"} <= set(p["params"])
                and any(o["act"] != "softmax" for o in p["neurons"]))   # a tied weight, a shared bias
    net = build(plan)
    opt = ng.SGD(net, lr=0.1, momentum=0.5)
    for _ in range(3):
        net.forward(plan["x"])
        net.backward(plan["y"], plan["loss"])
        compare_with_reference(plan, net, current_values(net))
        before = current_values(net)
        opt.step()
        after = current_values(net)
        moved = [k for k in after if after[k] != before[k]]
        assert sorted(moved) == sorted(p.name for p in net.parameters()
                                       if p.trainable and p.grad != 0)
        opt.zero_grad()
        assert all(p.grad == 0 for p in net.parameters())
    # writes through .weight, .w, .value and a Parameter's value are what the next pass uses
    c = [c for c in net.connections() if not c.tied][0]
    c.weight = 3.0
    assert c.w == 3.0
    net.forward(plan["x"])
    assert c.dst.z == pytest.approx(reference(plan, current_values(net))[0][c.dst.name],
                                    rel=1e-12)
    c.w = -2.0
    net.forward(plan["x"])
    assert c.weight == -2.0 and c.dst.z == pytest.approx(
        reference(plan, current_values(net))[0][c.dst.name], rel=1e-12)
    for p in net.parameters():
        if isinstance(p, ng.Parameter):
            p.value = p.value + 0.25
    net.forward(plan["x"])
    z = reference(plan, current_values(net))[0]
    assert all(n.z == pytest.approx(z[n.name], rel=1e-12) for n in net.neurons if not n.is_input)


def test_gradients_accumulate_until_zero_grad():
    plan = PLANS[9]
    net = build(plan)
    x1, y = plan["x"], plan["y"]
    x2 = [v * 0.5 - 0.1 for v in x1]
    net.forward(x2)
    net.backward(y)
    g2 = {p.name: p.grad for p in net.parameters()}
    net.zero_grad()
    net.forward(x1)
    net.backward(y)
    g1 = {p.name: p.grad for p in net.parameters()}
    net.forward(x2)
    net.backward(y)
    for p in net.parameters():
        assert p.grad == pytest.approx(g1[p.name] + g2[p.name], rel=1e-12, abs=1e-15)
        if isinstance(p, ng.Connection):               # one use: one addition, exact
            assert p.grad == g1[p.name] + g2[p.name]
    assert any(g1[k] != 0 and g2[k] != 0 for k in g1)
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())
    net.forward(x2)
    net.backward(y)
    assert {p.name: p.grad for p in net.parameters()} == g2


def test_immediate_order_reproduces_mazurs_last_paragraph():
    for how in ("step", "after_layer"):
        ex = ng.textbook.mazur()
        net = ex.net
        opt = ng.SGD(net, lr=ex.lr)
        net.forward(ex.x)
        if how == "step":
            net.backward(ex.y, step=opt)
        else:
            net.backward(ex.y, after_layer=opt.step)
        assert "%.9f" % net.loss(ex.x, ex.y) == "0.291027924"
        assert net["b1"].value == 0.35 and net["b1"].grad != 0      # frozen, has its grad


def blocks_kept(sizes, steps):
    tracemalloc = pytest.importorskip("tracemalloc")   # CPython only (PyPy has none)
    # Traced from the start: every number the net ever holds (also those that the float
    # free list hands from one step to the next) was allocated under tracemalloc.
    tracemalloc.start()
    try:
        net = ng.Net.dense(sizes, seed=0)
        opt = ng.SGD(net, lr=0.1)
        rng = random.Random(0)
        x = [rng.random() for _ in range(sizes[0])]
        y = [rng.random() for _ in range(sizes[-1])]

        def step():
            net.forward(x)
            net.backward(y)
            opt.step()
            opt.zero_grad()
        for _ in range(4):
            step()
        gc.collect()
        base = tracemalloc.take_snapshot()
        for _ in range(steps):
            step()
        gc.collect()
        now = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(s.count_diff for s in now.compare_to(base, "filename"))
    edges = sum(p * q for p, q in zip(sizes, sizes[1:]))
    return grown, edges


def test_a_training_step_keeps_no_allocation_per_edge():
    small_grown, small_edges = blocks_kept([4, 5, 3], 40)
    big_grown, big_edges = blocks_kept([64, 32, 10], 40)
    assert big_edges > 50 * small_edges
    # Blocks still alive after 40 more steps: at most a few per neuron (values that
    # the float free list recycled), none per edge and none per step.
    assert big_grown < 4 * (64 + 32 + 10) + 50 < big_edges / 4, (small_grown, big_grown)
    longer, _ = blocks_kept([64, 32, 10], 120)
    assert abs(longer - big_grown) < 50, (big_grown, longer)


# ---------------------------------------------------------------------------
# 8. parameters() and lookups on a big net
# ---------------------------------------------------------------------------

def test_parameters_and_lookups_of_a_400_400_10_net():
    net = ng.Net.dense([400, 400, 10], seed=0)
    ps = net.parameters()
    assert len(ps) == 400 * 400 + 400 * 10 + 400 + 10 == 164410
    assert len({id(p) for p in ps}) == 164410
    ps.pop()
    assert len(net.parameters()) == 164410               # a copy, not the net's own list
    assert net["i400->h1_400"] is net["h1_400"].inputs[-1]
    assert net["h1_400->o10"].grad == 0 and net["o10.bias"].value == 0
    assert [p.name for p in net.parameters()[:2]] == ["h1_1.bias", "i1->h1_1"]
    # and everything still works on a small net
    small = ng.Net.dense([3, 4, 2], activation="tanh", output_activation="softmax", seed=3)
    assert len(small.parameters()) == 3 * 4 + 4 * 2 + 4 + 2
    text = small.summary()
    assert "total: 9 neurons, 20 connections, 26 parameters" in text
    result = ng.gradcheck(small, [0.1, -0.4, 0.7], [0.0, 1.0], "cross_entropy")
    assert result.ok and len(result.rows) == 26




def test_one_mazur_backward_runs_at_most_45_distinct_library_lines():
    """What a student steps through in a debugger is short: the walk, the Net's call into
    it, the loss and the derivative; no feature that is not in use adds a line."""
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    root = os.path.dirname(os.path.abspath(ng.__file__))
    seen = set()

    def tracer(frame, event, arg):
        if event == "line" and frame.f_code.co_filename.startswith(root):
            seen.add((frame.f_code.co_filename, frame.f_lineno))
        return tracer
    sys.settrace(tracer)
    try:
        E = ex.net.backward(ex.y)
    finally:
        sys.settrace(None)
    assert E == pytest.approx(0.298371109, abs=1e-9)
    files = {os.path.relpath(f, root) for f, _ in seen}
    assert os.path.join("core", "walk.py") in files
    assert len(seen) <= 45, sorted((os.path.relpath(f, root), n) for f, n in seen)
