"""Skip connections: a net that is not a stack of layers.

The inputs feed the output directly as well as through two tanh neurons, so
the output is a straight line plus a learned bend (a "residual" net).  Layers
come from the wiring (a neuron's layer is 1 + its deepest source), backward
sums the error over every path, and a model file keeps the whole graph.

Run:  python examples/skip_connections.py
"""
import math
import os
import random
import tempfile

import neurograph as ng


def skip_net(seed=0):
    net = ng.Net(seed=seed, name="residual")
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="tanh")
    h2 = net.add_neuron("h2", activation="tanh")
    o = net.add_neuron("o", activation="identity")
    for h in (h1, h2):
        net.connect(x1, h)       # no weight given: drawn from the net's seeded generator
        net.connect(x2, h)
        net.connect(h, o)
    net.connect(x1, o, name="skip1")   # layer 0 -> layer 2
    net.connect(x2, o, name="skip2")
    return net


def plain_net(seed=0):
    return ng.Net.dense([2, 2, 1], activation="tanh", output_activation="identity", seed=seed)


def make_data(n, seed):
    """y = 0.5 x1 - x2 + 0.3 tanh(2 x1 x2): mostly linear, a little bent."""
    rng = random.Random(seed)
    data = []
    for _ in range(n):
        x1, x2 = rng.uniform(-1, 1), rng.uniform(-1, 1)
        data.append(([x1, x2], [0.5 * x1 - x2 + 0.3 * math.tanh(2 * x1 * x2)]))
    return data


def paths_to_output(neuron, prefix=()):
    """Every path of connections from *neuron* to an output, as lists of names."""
    here = prefix + (neuron.name,)
    if neuron.is_output:
        yield here
    for c in neuron.outputs:
        yield from paths_to_output(c.dst, here)


def mean_loss(net, data):
    return sum(net.loss(x, y) for x, y in data) / len(data)


if __name__ == "__main__":
    net = skip_net()
    print("Layers of the residual net (from the wiring, not from how it was built):")
    for i, layer in enumerate(net.layers):
        print("  layer %d: %s" % (i, ", ".join(n.name for n in layer)))
    print("  skip1 goes from layer %d to layer %d" % (net["skip1"].src.layer,
                                                       net["skip1"].dst.layer))

    # One backward pass: the skip connection's gradient is BP4, o.delta * x1.a
    x, y = [0.5, -0.25], [1.0]
    net.forward(x)
    net.backward(y)
    c = net["skip1"]
    print("\nAfter one forward and backward pass on x = %s, y = %s:" % (x, y))
    print("  %r" % c)
    print("  o.delta * x1.a = %.9f * %.2f = %.9f  (BP4)" % (
        net["o"].delta, net["x1"].a, net["o"].delta * net["x1"].a))
    paths = list(paths_to_output(net["x1"]))
    print("  dE/d(x1) would gather the error of %d paths: %s" % (
        len(paths), ", ".join(" -> ".join(p) for p in paths)))
    check = ng.gradcheck(net, x, y)
    print("  gradcheck: %s (worst relative error %.1e over %d parameters)"
          % ("ok" if check.ok else "FAILED", check.worst.rel_error, len(check.rows)))

    # Train both nets on the same data, same optimizer, same number of steps
    train, test = make_data(60, seed=1), make_data(30, seed=2)
    print("\nTraining on y = 0.5 x1 - x2 + 0.3 tanh(2 x1 x2), 60 samples, 40 epochs of Adam:")
    final = {}
    for label, model in (("plain 2-2-1", plain_net()), ("with skips", skip_net())):
        before = mean_loss(model, test)
        ng.fit(model, train, epochs=40, batch_size=6, optimizer="adam", lr=0.05, seed=0,
               metrics=(), verbose=0)
        final[label] = mean_loss(model, test)
        print("  %-12s %2d parameters, test loss %.5f -> %.5f" % (
            label, len(model.parameters()), before, final[label]))
    ratio = final["plain 2-2-1"] / final["with skips"]
    print("  test loss of the plain net / the net with skips: %.1f (the skips can carry the "
          "straight-line part; the tanh neurons then fit the bend)" % ratio)

    # The whole graph goes into a model file; matrices cannot describe it
    path = os.path.join(tempfile.mkdtemp(), "residual.json")
    model.save(path, metadata={"task": "y = 0.5 x1 - x2 + 0.3 tanh(2 x1 x2)"})
    back = ng.load(path)
    same = all(back.forward(x) == model.forward(x) for x, _ in test)
    print("\nSaved to %s (%d bytes) and loaded back: same outputs on every test sample: %s"
          % (os.path.basename(path), os.path.getsize(path), same))
    try:
        model.to_matrices()
    except ng.TopologyError as e:
        print("to_matrices() refuses it: %s" % e)
