"""Back-propagation through time: a tiny recurrent net by hand, then an Elman net that adds.

Part 1 is the tutorial's example (docs/tutorial/11-through-time.md): one tanh
unit h with a self-connection, h(t) = tanh(b + w * h(t-1) + u * x(t)), run
for three steps.  Its gradients are computed by hand with plain math and
compared with the library's.  Part 2 trains an Elman net on binary addition
(the bits of two numbers, least significant first; the target is the bit of
their sum), which needs a carry held from one step to the next.

Run:  python examples/recurrent.py
"""
import math

import neurograph as ng


def tiny_by_hand():
    u, w, b = 0.5, 0.8, 0.1
    xs, ys = [1.0, 0.5, -1.0], [0.5, None, 0.0]

    # forward, by hand: a(t) = tanh(b + w * a(t-1) + u * x(t)), a(-1) = 0
    a, prev = [], 0.0
    for x in xs:
        prev = math.tanh(b + w * prev + u * x)
        a.append(prev)
    # backward, by hand, from the last step to the first:
    # dE/da(t) = (a(t) - y(t)) + w * delta(t+1);   delta(t) = dE/da(t) * (1 - a(t)^2)
    delta, later = [0.0] * 3, 0.0
    for t in (2, 1, 0):
        dEda = (a[t] - ys[t] if ys[t] is not None else 0.0) + w * later
        delta[t] = later = dEda * (1 - a[t] ** 2)
    by_hand = {"w": delta[1] * a[0] + delta[2] * a[1],        # sum_t delta(t) * a(t-1)
               "u": sum(d * x for d, x in zip(delta, xs)),    # sum_t delta(t) * x(t)
               "h.bias": sum(delta)}                          # sum_t delta(t)

    net = ng.Net()
    x = net.add_input("x")
    h = net.add_neuron("h", activation="tanh", bias=b)
    net.connect(x, h, u, name="u")
    net.connect(h, h, w, name="w", delay=1)
    net.forward_sequence([[v] for v in xs])
    E = net.backward_sequence([None if y is None else [y] for y in ys])
    print("Part 1: one tanh unit with a self-connection, three steps")
    print("step  a(t) by hand  a(t) library   delta(t) by hand  delta(t) library")
    for t in range(3):
        print("%4d  %12.9f  %12.9f   %16.9f  %16.9f" % (t, a[t], h.at(t).a, delta[t], h.at(t).delta))
    print("loss E = %.9f" % E)
    for name, value in by_hand.items():
        print("dE/d%-7s by hand %.9f, library %.9f" % (name, value, net[name].grad))
        assert abs(value - net[name].grad) < 1e-12
    print()
    print(net.explain("w"))
    print()


def elman_adds():
    print("Part 2: an Elman net learns binary addition")
    train = ng.datasets.binary_addition(64, bits=6, seed=0)
    test = ng.datasets.binary_addition(64, bits=6, seed=1)
    net = ng.Net.elman([2, 8, 1], seed=0)
    print(net.summary())
    history = ng.fit(net, train, epochs=20, batch_size=4, optimizer="adam", lr=0.05,
                     loss="cross_entropy", verbose=0)
    print(history)
    print("accuracy on 64 new additions (every bit):", ng.accuracy(net, test))
    xs, ys = ng.datasets.binary_addition(1, bits=6, seed=7)[0]
    outs = net.forward_sequence(xs)

    def number(bits):
        return sum(int(round(v)) << t for t, v in enumerate(bits))
    a, b = number([x[0] for x in xs]), number([x[1] for x in xs])
    print("%d + %d = %d (the net, bit by bit)" % (a, b, number([o[0] for o in outs])))


if __name__ == "__main__":
    tiny_by_hand()
    elman_adds()
