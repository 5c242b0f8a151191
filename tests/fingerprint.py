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


def main(out=sys.stdout):
    for label, net in runs():
        out.write("# %s\n" % label)
        for p in net.parameters():
            out.write("%s %r\n" % (p.name, p.value))


if __name__ == "__main__":
    main()
