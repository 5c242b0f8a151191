"""Handwritten digits (8x8 pixels) with a 64-32-10 net, in pure Python.

Run:  python examples/digits.py [epochs]
"""
import sys

import neurograph as ng

if __name__ == "__main__":
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    digits = ng.datasets.load_digits()
    train, test = digits.split(test=0.2, seed=0)         # stratified 1437 / 360
    train, test = ng.datasets.minmax(train, test)         # pixels 0..16 -> 0..1
    net = ng.Net.dense([64, 32, 10], activation="tanh", output_activation="softmax", seed=0)
    history = ng.fit(net, train, epochs=epochs, batch_size=16, optimizer="adam", lr=0.01,
                     loss="cross_entropy", seed=0)
    print(history)
    print()
    print(ng.confusion_matrix(net, test))
    x, y = test[0]
    out = net.forward(x)
    rows = ["".join(" .:-=+*#%@"[min(9, int(v * 9.99))] for v in x[r * 8:(r + 1) * 8])
            for r in range(8)]
    print()
    print("\n".join(rows))
    print("predicted %d, label %d" % (max(range(10), key=out.__getitem__), test.labels[0]))
