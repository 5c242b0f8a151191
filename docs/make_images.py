"""Regenerate the pictures under docs/images/ (shown in README.md and docs/pictures.md).

Run from the repository root::

    python docs/make_images.py

Each picture is made by a function of this module, so the tests can check
that the committed files are what the current code draws.

==================  ======================================================
function            picture
==================  ======================================================
``mazur()``         Mazur's 2-2-2 net after one forward and backward pass
``skip()``          a small net with connections that skip layers
``mnist()``         a 784-30-10 net (collapsed layers, strongest edges)
``iris_net()``      a 4-6-3 iris net, its outputs labelled with the class names
``iris_history()``  loss and accuracy while ``ng.fit`` trains on iris
``mazur_fit()``     the error of Mazur's example over 10,000 rounds of SGD
``elman()``         a 2-3-1 Elman net after a sequence of three steps
==================  ======================================================

>>> svg = mazur()
>>> svg.startswith("<svg") and "w5 = 0.4" in svg
True
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import neurograph as ng  # noqa: E402

IMAGES = os.path.join(HERE, "images")


def mazur() -> str:
    """Mazur's example after one forward and one backward pass."""
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    ex.net.backward(ex.y, loss="half_sse")
    return ex.net.to_svg(title="Mazur's 2-2-2 example after one backward pass")


def skip_net() -> "ng.Net":
    """Two inputs, two tanh neurons, a relu neuron, one output; three skip connections."""
    net = ng.Net(seed=0)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="tanh", bias=0.1)
    h2 = net.add_neuron("h2", activation="tanh", bias=-0.2)
    g = net.add_neuron("g", activation="relu", bias=0.05)
    y = net.add_neuron("y", activation="identity")
    for src, dst, w in [(x1, h1, 0.5), (x2, h1, -0.3), (x1, h2, 0.8), (x2, h2, 0.2),
                        (h1, g, 0.7), (h2, g, -0.9), (g, y, 1.1),
                        (x1, y, -0.6), (x2, g, 0.4), (h2, y, 0.3)]:
        net.connect(src, dst, w)
    net.forward([-0.5, 0.8])
    net.backward([0.3])
    return net


def skip() -> str:
    return skip_net().to_svg(title="Skip connections, routed around the layers between")


def mnist() -> str:
    """A 784-30-10 net after one sample: 792 neurons collapsed, the strongest edges drawn."""
    net = ng.Net.dense([784, 30, 10], activation="sigmoid", seed=0)
    x = [((i * 37) % 101) / 100 for i in range(784)]
    net.forward(x)
    net.backward([1.0 if k == 3 else 0.0 for k in range(10)])
    return net.to_svg(show=("a", "delta"), title="784-30-10 after one sample")


def iris_net() -> str:
    """A 4-6-3 net for iris after one sample; the outputs carry the species names."""
    iris = ng.datasets.load_iris()
    net = ng.Net.dense([4, 6, 3], activation="tanh", output_activation="softmax", seed=3)
    x, y = iris[0]
    net.forward(x)
    net.backward(y, loss="cross_entropy")
    return net.to_svg(show=("weight", "grad", "a"), output_labels=iris.class_names,
                      title="iris: 4-6-3 after one sample, outputs named by class")


def iris_history(epochs: int = 30) -> str:
    """``ng.fit`` on iris (80/20 split, standardized), 4-6-3 tanh/softmax, SGD."""
    train, val = ng.datasets.load_iris().split(test=0.2, seed=0)
    train, val = ng.datasets.standardize(train, val)
    net = ng.Net.dense([4, 6, 3], activation="tanh", output_activation="softmax", seed=3)
    history = ng.fit(net, train, epochs=epochs, optimizer=ng.SGD(net, lr=0.02),
                     loss="cross_entropy", validation=val, metrics=("accuracy",), verbose=0)
    return history.to_svg(title="iris: 4-6-3 tanh/softmax, SGD lr 0.02")


def mazur_fit() -> str:
    """Mazur's error per round over 10,000 rounds of SGD (rounds 1-100, then every 50th)."""
    ex = ng.textbook.mazur()
    history = ng.fit(ex.net, [(ex.x, ex.y)], epochs=10000, optimizer=ng.SGD(ex.net, lr=ex.lr),
                     metrics=(), verbose=0)
    rows = history.rows[:100] + history.rows[100::50] + history.rows[-1:]
    return ng.history_svg(rows, title="Mazur's example: E_total over 10,000 rounds (SGD, lr 0.5)")


def elman() -> str:
    """A 2-3-1 Elman net after one sequence: its hidden neurons feed each other a step later."""
    net = ng.Net.elman([2, 3, 1], seed=1)
    net.forward_sequence([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.8]])
    net.backward_sequence([[0.2], [0.6], [0.9]])
    return net.to_svg(show=("weight", "a"), title="Elman 2-3-1 after a sequence of three steps")


PICTURES = {"mazur.svg": mazur, "skip.svg": skip, "784-30-10.svg": mnist, "iris-net.svg": iris_net,
            "iris-history.svg": iris_history, "mazur-training.svg": mazur_fit,
            "elman.svg": elman}


def main() -> None:
    os.makedirs(IMAGES, exist_ok=True)
    for name, make in PICTURES.items():
        path = os.path.join(IMAGES, name)
        svg = make()
        ng.write_svg(svg, path)
        print("%-18s %8d bytes" % (name, len(svg.encode("utf-8"))))


if __name__ == "__main__":
    main()
