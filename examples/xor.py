"""XOR with a 2-2-1 net: train, then look at every neuron.

Run:  python examples/xor.py
"""
import neurograph as ng

if __name__ == "__main__":
    data = ng.datasets.xor()
    net = ng.Net.dense([2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = ng.fit(net, data, epochs=300, optimizer="sgd", lr=0.5, loss="cross_entropy",
                     seed=0)
    print(history)
    print()
    for x, y in data:
        out = net.forward(x)
        print("%s -> %.4f (target %s)" % (x, out[0], y[0]))
    print("accuracy", ng.accuracy(net, data))
    print()
    net.forward([1.0, 0.0])
    for n in net.neurons:          # every neuron keeps its z and a from the last forward pass
        print(n)
