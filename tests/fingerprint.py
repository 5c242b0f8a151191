"""Print the exact weights of a few seeded training runs, one ``repr`` per line.

CI runs this under CPython and under PyPy and requires identical output: the
same seed must give bit-identical weights on both interpreters.

Run:  python tests/fingerprint.py
"""
import sys

import neurograph as ng


def runs():
    """(label, net) after seeded training with shuffling, several activations and optimizers."""
    data = ng.datasets.load_iris()
    train, test = data.split(test=0.2, seed=3, stratify=True)
    train, test = ng.datasets.standardize(train, test)
    net = ng.Net.dense([4, 6, 3], activation="tanh", output_activation="softmax", seed=11)
    ng.fit(net, train, epochs=3, batch_size=8, optimizer=ng.Adam(net, lr="0.01"),
           loss="cross_entropy", seed=5, verbose=0)
    yield "iris tanh/softmax adam", net

    net = ng.Net.dense([2, 3, 1], activation="sigmoid", seed=2)
    ng.fit(net, ng.datasets.xor(), epochs=50, batch_size=2,
           optimizer=ng.SGD(net, lr="0.5", momentum="0.9", nesterov=True), seed=9, verbose=0)
    yield "xor sigmoid nesterov", net

    net = ng.Net.dense([2, 4, 2], activation="elu", output_activation="softplus", seed=4)
    ng.fit(net, [([0.1, 0.2], [0.3, 0.4]), ([0.5, -0.6], [0.7, 0.1])], epochs=20,
           optimizer=ng.SGD(net, lr="0.05", weight_decay="0.01"), loss="mse", seed=1,
           update="immediate", verbose=0)
    yield "elu/softplus immediate", net

    ex = ng.textbook.mazur()
    ng.fit(ex.net, [(ex.x, ex.y)], epochs=100, optimizer=ng.SGD(ex.net, lr=ex.lr), verbose=0)
    yield "mazur", ex.net

    net = shared_net()
    opt = ng.SGD(net, lr="0.1", momentum="0.5")
    for epoch in range(30):
        for x, y in [([0.3, -0.7], [0.2, -0.1]), ([-0.4, 0.9], [0.5, 0.3])]:
            net.forward(x)
            net.backward(y, loss="mse")
        opt.step()
        opt.zero_grad()
    yield "tied weight, weight-and-bias, shared frozen bias, skip", net

    net = softmax_net()
    opt = ng.Adam(net, lr="0.05")
    for epoch in range(30):
        for x, y in [([0.5, -1.0], [1.0, 0.0, 0.0]), ([-0.2, 0.4], [0.0, 0.3, 0.7])]:
            net.forward(x)
            net.backward(y, loss="cross_entropy", step=opt)
        opt.zero_grad()
    yield "softmax outputs at two depths, immediate adam", net

    ex = ng.textbook.mazur()
    opt = ng.SGD(ex.net, lr=ex.lr)
    with ng.rounding(places=4):
        for _ in range(5):
            ex.net.forward(ex.x)
            ex.net.backward(ex.y)
            opt.step()
            opt.zero_grad()
    yield "mazur rounded to 4 places", ex.net


def shared_net():
    """Tied weights, one parameter used as a weight and a bias, a frozen shared bias."""
    net = ng.Net(seed=7)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    b = net.add_parameter("b", 0.1, trainable=False)
    t = net.add_parameter("t", -0.3)
    p = net.add_parameter("p", 0.25)
    h1 = net.add_neuron("h1", "tanh", bias=b)
    h2 = net.add_neuron("h2", "softplus", bias=b)
    o1 = net.add_neuron("o1", "identity", bias=p)
    o2 = net.add_neuron("o2", "leaky_relu", bias=0.05)
    for s, d, w in [(x1, h1, t), (x2, h1, None), (x1, h2, None), (x2, h2, t), (h1, o1, p),
                    (h2, o1, None), (h1, o2, t), (h2, o2, None), (x1, o2, None)]:
        net.connect(s, d, w)
    return net


def softmax_net():
    """Three softmax outputs, one fed by an input (layer 1), two by hidden neurons (layer 2)."""
    net = ng.Net(seed=8)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h = net.add_neuron("h", "elu", bias=0.0)
    s1 = net.add_neuron("s1", "softmax", bias=0.0)
    s2 = net.add_neuron("s2", "softmax", bias=0.0)
    s3 = net.add_neuron("s3", "softmax", bias=0.0)
    for s, d in [(x1, h), (x2, h), (x1, s1), (x2, s1), (h, s2), (h, s3), (x2, s3)]:
        net.connect(s, d)
    return net


def main(out=sys.stdout):
    for label, net in runs():
        out.write("# %s\n" % label)
        for p in net.parameters():
            out.write("%s %r\n" % (p.name, p.value))


if __name__ == "__main__":
    main()
