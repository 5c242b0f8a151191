"""The fast paths of forward/backward/step agree bit for bit with the plain object walk.

A dense block (contiguous sources and weight slots) is computed with slices,
any other block edge by edge; both must give the same numbers, down to the
last bit, for every activation, loss and optimizer.  Objects stay current,
and a training step allocates nothing that grows with the number of edges.
"""
import gc
import random
from decimal import Decimal
from operator import mul

import pytest

import neurograph as ng

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"]
OPTIMIZERS = [
    lambda net: ng.SGD(net, lr=0.3),
    lambda net: ng.SGD(net, lr=0.2, momentum=0.9),
    lambda net: ng.SGD(net, lr=0.2, momentum=0.5, nesterov=True, weight_decay=0.01),
    lambda net: ng.Adam(net, lr=0.05, weight_decay=0.001),
]


def build(sizes, hidden, out, scrambled, seed=0, number=float):
    """A layered net; *scrambled* makes the connections in a shuffled order.

    Each neuron keeps its inputs in the same order either way (so every sum adds in
    the same order), but a scrambled net's weight slots are interleaved across
    neurons, which sends every block down the per-edge path.
    """
    rng, shuffle_rng = random.Random(seed), random.Random(seed + 1)
    conv = (lambda v: v) if number is float else (lambda v: repr(v))
    net = ng.Net(number=number)
    prev = [net.add_input("i%d" % (j + 1)) for j in range(sizes[0])]
    for L in range(1, len(sizes)):
        act = out if L == len(sizes) - 1 else hidden
        layer = [net.add_neuron("n%d_%d" % (L, j), activation=act,
                                bias=conv(round(rng.uniform(-0.5, 0.5), 3)))
                 for j in range(sizes[L])]
        weights = {(p.name, n.name): conv(round(rng.uniform(-1, 1), 3))
                   for n in layer for p in prev}
        if scrambled:
            order = []
            for p in prev:       # source by source, the neurons in a shuffled order
                dsts = list(layer)
                shuffle_rng.shuffle(dsts)
                order.extend((p, n) for n in dsts)
        else:
            order = [(p, n) for n in layer for p in prev]
        for p, n in order:
            net.connect(p, n, weights[(p.name, n.name)])
        prev = layer
    return net


def state(net):
    """Everything an object shows, as reprs (bit-exact)."""
    return ([(n.name, repr(n.z), repr(n.a), repr(n.delta), repr(n.grad_a)) for n in net.neurons],
            [(c.name, repr(c.weight), repr(c.grad)) for c in net.connections()],
            sorted((p.name, repr(p.value), repr(p.grad)) for p in net.parameters()))


def data(n_in, n_out, count, seed=1, onehot=False):
    rng = random.Random(seed)
    xs = [[round(rng.uniform(-1, 1), 3) for _ in range(n_in)] for _ in range(count)]
    if onehot:
        ys = [[1.0 if j == rng.randrange(n_out) else 0.0 for j in range(n_out)]
              for _ in range(count)]
    else:
        ys = [[round(rng.uniform(0.05, 0.95), 3) for _ in range(n_out)] for _ in range(count)]
    return xs, ys


def train(net, opt, loss, xs, ys, immediate=False):
    for i, (x, y) in enumerate(zip(xs, ys)):
        net.forward(x)
        if immediate:
            net.backward(y, loss=loss, after_layer=opt.step)
        else:
            net.backward(y, loss=loss)
        if immediate or i % 3 == 2:   # per-sample steps and mini-batches of 3
            if not immediate:
                opt.step()
            opt.zero_grad()


def paths(net):
    return {blk.dense for blk in net._compiled().blocks}


def check_same(sizes, hidden, out, loss, make_opt, onehot=False, immediate=False):
    a = build(sizes, hidden, out, scrambled=False)
    b = build(sizes, hidden, out, scrambled=True)
    assert paths(a) == {True} and paths(b) == {False}
    xs, ys = data(sizes[0], sizes[-1], 7, onehot=onehot)
    train(a, make_opt(a), loss, xs, ys, immediate)
    train(b, make_opt(b), loss, xs, ys, immediate)
    a.forward(xs[0]), b.forward(xs[0])
    a.backward(ys[0], loss=loss), b.backward(ys[0], loss=loss)
    assert state(a) == state(b)
    return a


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss", ["half_sse", "mse", "binary_cross_entropy", "cross_entropy"])
def test_dense_and_per_edge_paths_agree_for_every_activation_and_loss(hidden, loss):
    check_same([3, 4, 5, 2], hidden, "sigmoid", loss, OPTIMIZERS[0])


@pytest.mark.parametrize("loss", ["cross_entropy", "categorical_cross_entropy", "half_sse"])
def test_dense_and_per_edge_paths_agree_with_softmax_outputs(loss):
    check_same([4, 5, 3], "tanh", "softmax", loss, OPTIMIZERS[1], onehot=True)


@pytest.mark.parametrize("k", range(len(OPTIMIZERS)))
def test_dense_and_per_edge_paths_agree_for_every_optimizer(k):
    net = check_same([4, 6, 3], "sigmoid", "sigmoid", "half_sse", OPTIMIZERS[k])
    assert all(c.grad != 0 for c in net.connections())
    check_same([4, 6, 3], "relu", "identity", "mse", OPTIMIZERS[k], immediate=True)


def test_dense_and_per_edge_paths_agree_in_decimal_and_with_rounding():
    from fractions import Fraction
    for number, hidden in ((Decimal, "sigmoid"), (Fraction, "relu")):
        a = build([2, 3, 2], hidden, "identity", False, number=number)
        b = build([2, 3, 2], hidden, "identity", True, number=number)
        assert paths(a) == {True} and paths(b) == {False}
        for net in (a, b):
            opt = ng.SGD(net, lr="0.25")
            for x, y in (([1, "0.5"], ["0.2", "0.7"]), (["-0.5", 2], [1, 0])):
                net.forward(x)
                net.backward(y)
                opt.step()
                opt.zero_grad()
            net.forward([1, 1])
            net.backward([0, 1])
        assert state(a) == state(b)
        assert all(type(c.weight) is number and type(c.grad) is number for c in a.connections())
    a = build([2, 3, 2], "sigmoid", "sigmoid", False, number=Decimal)
    b = build([2, 3, 2], "sigmoid", "sigmoid", True, number=Decimal)
    with ng.rounding(places=4):
        for net in (a, b):
            net.forward(["0.05", "0.1"])
            net.backward(["0.01", "0.99"])
            ng.SGD(net, lr="0.5").step()
    assert state(a) == state(b)


def force_loops(net, flag):
    """Walk every dense block with plain loops (True) or comprehensions (False)."""
    for blk in net._compiled().blocks:
        if blk.dense:
            blk.loops = flag


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "softplus"])
@pytest.mark.parametrize("k", [0, 1, 3])
def test_loops_and_comprehensions_agree_bit_for_bit(hidden, k):
    # Fan-in 3 (loops by default on CPython) and 20 (comprehensions), each forced both ways.
    for sizes in ([3, 4, 5, 2], [20, 17, 3]):
        nets = [build(sizes, hidden, "sigmoid", scrambled=False, seed=4) for _ in range(2)]
        for net, flag in zip(nets, (True, False)):
            force_loops(net, flag)
            assert {blk.loops for blk in net._compiled().blocks} == {flag}
        xs, ys = data(sizes[0], sizes[-1], 6, seed=7)
        for net in nets:
            train(net, OPTIMIZERS[k](net), "half_sse", xs, ys)
            net.forward(xs[1])
            net.backward(ys[1])
            net.backward(ys[2])          # gradients accumulate on both paths alike
        assert state(nets[0]) == state(nets[1])


def test_wide_blocks_agree_with_the_per_edge_path():
    # fan-in >= 16: comprehensions on CPython; the scrambled net goes edge by edge
    net = check_same([18, 16, 3], "tanh", "sigmoid", "half_sse", OPTIMIZERS[0])
    blocks = net._compiled().blocks
    assert all(blk.dense for blk in blocks)


# -- random DAGs against a plain walk over the objects -------------------------

def random_dag(seed, number=float):
    rng = random.Random(seed)
    net = ng.Net(number=number, seed=seed)
    nodes = [net.add_input() for _ in range(rng.randint(1, 4))]
    acts = ["sigmoid", "tanh", "relu", "identity", "elu"]
    for k in range(rng.randint(2, 9)):
        bias = rng.choice([None, round(rng.uniform(-1, 1), 3)])
        n = net.add_neuron("n%d" % k, activation=rng.choice(acts), bias=bias)
        srcs = rng.sample(nodes, rng.randint(1, min(4, len(nodes))))
        for s in srcs:
            net.connect(s, n, round(rng.uniform(-1, 1), 3))
        nodes.append(n)
    return net


def walk(net, x, y):
    """Forward and backward by visiting the objects, in the net's documented order.

    z = sum(w * a_src in input order, start=bias); f'(z) from each Activation;
    half_sse; each block (a layer's neurons sharing activation and output-ness,
    in creation order) adds w * delta to a source's dE/da in row order.
    """
    num = net.number_system
    inputs = net.inputs
    val = {n: num.convert(v, "x") for n, v in zip(inputs, x)}
    z = {}
    layers = net.layers
    for layer in layers[1:]:
        for n in layer:
            ws = [c.weight for c in n.inputs]
            acts = [val[c.src] for c in n.inputs]
            start = n.bias.value if n.bias is not None else num.zero
            z[n] = sum(map(mul, ws, acts), start)
            f, _ = n.activation.functions(num)
            val[n] = f(z[n])
    outs = net.outputs
    ga = {n: num.zero for n in net.neurons}
    for n, t in zip(outs, y):
        ga[n] = val[n] - num.convert(t, "y")
    delta, grad = {}, {}
    for layer in reversed(layers[1:]):
        blocks = {}
        for n in layer:
            blocks.setdefault((id(n.activation), n.is_output), []).append(n)
        for members in blocks.values():
            for n in members:
                _, df = n.activation.functions(num)
                arg = val[n] if n.activation.wrt == "a" else z[n]
                delta[n] = ga[n] * df(arg)
                for c in n.inputs:
                    grad[c] = num.zero + delta[n] * val[c.src]   # added to a zero grad
        for members in blocks.values():
            srcs = []
            for n in members:
                for c in n.inputs:
                    if not c.src.is_input and c.src not in srcs:
                        srcs.append(c.src)
            for s in srcs:
                cs = [c for n in members for c in n.inputs if c.src is s]
                ga[s] = sum(map(mul, [delta[c.dst] for c in cs], [c.weight for c in cs]), ga[s])
    return val, z, delta, grad


@pytest.mark.parametrize("seed", range(25))
def test_random_dags_match_the_plain_object_walk(seed):
    net = random_dag(seed)
    rng = random.Random(100 + seed)
    x = [round(rng.uniform(-1, 1), 3) for _ in net.inputs]
    y = [round(rng.uniform(-1, 1), 3) for _ in net.outputs]
    net.forward(x)
    net.backward(y)
    val, z, delta, grad = walk(net, x, y)
    for n in net.neurons:
        assert repr(n.a) == repr(val[n]), n.name
        if not n.is_input:
            assert repr(n.z) == repr(z[n]) and repr(n.delta) == repr(delta[n]), n.name
    for c in net.connections():
        assert repr(c.grad) == repr(grad[c]), c.name


# -- objects always current ----------------------------------------------------

def test_objects_are_current_after_every_call_and_weight_writes_take_effect():
    net = ng.Net.dense([3, 4, 2], seed=5)
    opt = ng.SGD(net, lr=0.5, momentum=0.5)
    x, y = [0.2, -0.4, 0.9], [0.1, 0.8]
    for _ in range(3):
        net.forward(x)
        val, z, _, _ = walk(net, x, y)
        assert all(repr(n.a) == repr(val[n]) for n in net.neurons)
        assert all(repr(n.z) == repr(z[n]) for n in net.neurons if not n.is_input)
        before = {c: c.weight for c in net.connections()}
        net.backward(y)
        _, _, delta, grad = walk(net, x, y)
        assert all(repr(n.delta) == repr(delta[n]) for n in net.neurons if not n.is_input)
        assert all(repr(c.grad) == repr(grad[c]) for c in net.connections())
        opt.step()
        v = opt.state(net.connections()[0])["velocity"]
        c0 = net.connections()[0]
        assert c0.weight == before[c0] - 0.5 * v
        assert all(c.weight != before[c] for c in net.connections())
        opt.zero_grad()
        assert all(c.grad == 0 for c in net.connections())
    # a weight written through the object is the weight the next forward pass uses
    h = net["h1_2"]
    old = net.forward(x)
    net["i3->h1_2"].weight = 3.0
    new = net.forward(x)
    assert new != old
    assert h.z == sum(c.weight * val_in for c, val_in in zip(h.inputs, x)) + h.bias.value


def test_gradients_accumulate_on_the_fast_path_too():
    net = ng.Net.dense([3, 4, 2], seed=2)
    x1, x2, y = [0.5, 0.0, -1.0], [0.3, 0.2, 0.1], [0.0, 1.0]
    net.forward(x1)
    net.backward(y)
    g1 = {c: c.grad for c in net.connections()}
    net.forward(x2)
    net.backward(y)
    _, _, _, g2 = walk(net, x2, y)
    for c in net.connections():
        assert c.grad == g1[c] + g2[c]


# -- allocation ----------------------------------------------------------------

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
        _, peak = tracemalloc.get_traced_memory()
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


def test_an_optimizer_follows_settings_changed_between_steps():
    # The slot ranges are remembered between steps; state lists still grow when a
    # setting that needs them (momentum) is switched on later.
    nets = [ng.Net.dense([3, 4, 2], seed=6) for _ in range(2)]
    opts = [ng.SGD(net, lr=0.2) for net in nets]
    xs, ys = data(3, 2, 5, seed=3)
    for i, (x, y) in enumerate(zip(xs, ys)):
        if i == 2:
            opts[0].momentum = opts[0]._num.convert(0.9, "momentum")
            opts[1] = ng.SGD(nets[1], lr=0.2, momentum=0.9)    # velocity starts at zero
        for net, opt in zip(nets, opts):
            net.forward(x)
            net.backward(y)
            opt.step()
            opt.zero_grad()
    assert state(nets[0]) == state(nets[1])
    assert len(nets[0]._V) == len(nets[1]._V)
    nets[0]["i1->h1_1"].trainable = False          # a frozen weight is skipped from now on
    w = nets[0]["i1->h1_1"].weight
    nets[0].forward(xs[0])
    nets[0].backward(ys[0])
    opts[0].step()
    assert nets[0]["i1->h1_1"].weight == w and nets[0]["i1->h1_1"].grad != 0


# -- gradients kept as (delta, activations) until read --------------------------

def never_pending(net):
    """Make every block write its gradients at once (as if its weights were tied)."""
    for blk in net._compiled().blocks:
        blk.excl = False


def wide(net):
    """Comprehensions for every dense block, also on PyPy (where loops are the default)."""
    force_loops(net, False)
    return net


@pytest.mark.parametrize("k", [0, 1, 2, 3])
@pytest.mark.parametrize("immediate", [False, True])
def test_gradients_kept_pending_give_the_same_bits_as_gradients_written(k, immediate):
    sizes = [20, 17, 18, 3]              # fan-in >= 16: comprehensions, rows kept pending
    nets = [wide(build(sizes, "tanh", "sigmoid", scrambled=False, seed=3)) for _ in range(2)]
    never_pending(nets[1])
    xs, ys = data(sizes[0], sizes[-1], 8, seed=5)
    for net in nets:
        opt = OPTIMIZERS[k](net)
        kept = 0
        for x, y in zip(xs, ys):         # per-sample steps: every backward starts clean
            net.forward(x)
            if immediate:
                net.backward(y, after_layer=opt.step)
            else:
                net.backward(y)
                kept = max(kept, len(net._pending))
                opt.step()
            opt.zero_grad()
        assert kept == (0 if immediate or net is nets[1] else 17 + 18 + 3)
        net.forward(xs[0])
        net.backward(ys[0])
    assert nets[1]._pending == []
    assert state(nets[0]) == state(nets[1])


def test_a_pending_gradient_reads_as_delta_times_activation():
    net = wide(build([20, 3], "sigmoid", "sigmoid", scrambled=False, seed=2))
    x = [0.05 * (j + 1) for j in range(20)]
    net.forward(x)
    net.backward([0.0, 1.0, 0.5])
    assert len(net._pending) == 3        # one record per output neuron, no grad written
    assert net._Graw.count(0.0) >= 60
    c = net["i7->n1_2"]
    assert c.grad == c.dst.delta * x[6]  # reading writes the records out
    assert net._pending == []
    assert net._Graw.count(0.0) < 60


def test_a_step_on_partly_frozen_rows_writes_pending_gradients_out_first():
    nets = [build([20, 4], "sigmoid", "sigmoid", scrambled=False, seed=8) for _ in range(2)]
    x, y = [0.03 * j - 0.2 for j in range(20)], [0.1, 0.9, 0.4, 0.6]
    for net in nets:
        net["i5->n1_2"].trainable = False    # splits row n1_2 into two trainable runs
        net.add_parameter("spare", 1.0, trainable=False)
        wide(net)
        if net is nets[1]:
            never_pending(net)
        opt = ng.SGD(net, lr=0.3)
        for _ in range(3):
            net.forward(x)
            net.backward(y)
            opt.step()
            opt.zero_grad()
    assert nets[0]["i5->n1_2"].weight == nets[1]["i5->n1_2"].weight
    assert state(nets[0]) == state(nets[1])


def test_hooks_and_gradient_writes_see_current_gradients():
    nets = [wide(build([18, 5, 2], "relu", "sigmoid", scrambled=False, seed=9)) for _ in range(2)]
    never_pending(nets[1])
    x, y = [0.1 * (j % 7) - 0.3 for j in range(18)], [0.2, 0.7]
    seen = [[], []]
    for net, log in zip(nets, seen):
        net.add_hook(lambda event, objs, net=net, log=log: log.append(
            (event, [repr(c.grad) for c in net.connections()])))
        net.forward(x)
        net.backward(y)
        net["i2->n1_3"].param.grad = 0.25   # a write lands on the current gradient
        net.forward(x)
        net.backward(y)                  # and the next backward adds to it
    assert seen[0] == seen[1]
    assert state(nets[0]) == state(nets[1])


def test_tied_weights_in_a_wide_dense_block_sum_every_use():
    # Two neurons read 20 inputs through the same 20 Parameters, laid out contiguously,
    # so both rows name the same weight slots: their gradients must add, not overwrite.
    net = ng.Net()
    for j in range(20):
        net.add_input("i%d" % j)
    ps = [net.add_parameter("p%d" % j, 0.01 * j) for j in range(20)]
    for o in ("o1", "o2"):
        net.add_neuron(o, bias=0.1)
        for j in range(20):
            net.connect("i%d" % j, o, weight=ps[j])
    blk, = wide(net)._compiled().blocks
    assert blk.dense and not blk.loops and not blk.excl
    x = [0.1 * j + 0.05 for j in range(20)]
    net.forward(x)
    net.backward([1.0, 0.0])
    for j in (0, 3, 19):
        assert ps[j].grad == net["o1"].delta * x[j] + net["o2"].delta * x[j]
    assert ng.gradcheck(net, x, [1.0, 0.0]).ok
