"""Fisher's iris flowers with a 4-8-3 net (softmax outputs, cross-entropy).

Run:  python examples/iris.py
"""
import neurograph as ng

if __name__ == "__main__":
    iris = ng.datasets.load_iris()
    train, test = iris.split(test=0.2, seed=0)            # stratified 120 / 30
    train, test = ng.datasets.standardize(train, test)     # fitted on train only
    net = ng.Net.dense([4, 8, 3], activation="tanh", output_activation="softmax", seed=0)
    history = ng.fit(net, train, epochs=60, batch_size=4, optimizer="sgd", lr=0.5,
                     loss="cross_entropy", validation=test, seed=0)
    print(history)
    print()
    print(ng.confusion_matrix(net, test))
    print()
    x, y = test[0]
    probs = net.forward(x)
    print("first test flower:", ", ".join("%s %.3f" % (name, p)
                                           for name, p in zip(iris.class_names, probs)))
