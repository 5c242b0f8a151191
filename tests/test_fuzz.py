"""Random sequences of what a user does to a net: every failure is a NeurographError.

Each run builds a small seeded net (float or Decimal) and applies 30 random
operations: passes, steps, weight, bias and activation edits, new neurons and
connections (delayed ones too), explanations, save and load, pictures,
sequences and gradient checks.  Whatever is refused must be refused with a
NeurographError that leaves the net exactly as it was; a save must load back
to the same net.
"""

import os
import random
from decimal import Decimal

import pytest

import neurograph as ng

ACTS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax"]
LOSSES = ["half_sse", "sse", "mse", "binary_cross_entropy", "cross_entropy"]


def operate(rng, net, opt, folder):
    """One random operation on *net* (the net may refuse it with a NeurographError)."""
    exact = net.number is Decimal

    def u(a, b):
        v = rng.uniform(a, b)
        return Decimal(repr(round(v, 4))) if exact else v

    k = rng.randrange(14)
    neurons = net.neurons
    if k == 0:
        net.forward([u(-2, 2) for _ in net.inputs])
    elif k == 1:
        net.backward([u(0, 1) for _ in net.outputs], loss=rng.choice(LOSSES))
    elif k == 2:
        opt.step()
    elif k == 3:
        opt.zero_grad()
    elif k == 4 and net.connections():
        rng.choice(net.connections()).weight = u(-1, 1)
    elif k == 5:
        n = rng.choice(neurons)
        if not n.is_input:
            n.activation = rng.choice(ACTS)
    elif k == 6:
        n = rng.choice(neurons)
        if not n.is_input:
            n.bias = rng.choice([None, u(-1, 1)])
    elif k == 7:
        net.connect(rng.choice(neurons), rng.choice(neurons), u(-1, 1),
                    delay=rng.choice([0, 0, 1]))
    elif k == 8:
        net.add_neuron(None, rng.choice(ACTS[:-1]))
    elif k == 9:
        names = [n.name for n in neurons] + [p.name for p in net.parameters()]
        assert str(net.explain(rng.choice(names)))
    elif k == 10:
        path = os.path.join(folder, "m.json")
        net.save(path)
        assert ng.load(path).to_dict() == net.to_dict()
    elif k == 11:
        assert net.to_svg() and net.to_dot() and net.diagram() and net.summary()
    elif k == 12:
        T = rng.randint(1, 3)
        net.forward_sequence([[u(-1, 1) for _ in net.inputs] for _ in range(T)])
        net.backward_sequence([None] * (T - 1) + [[u(0, 1) for _ in net.outputs]])
    else:
        ng.gradcheck(net, [u(-1, 1) for _ in net.inputs], [u(0, 1) for _ in net.outputs])


def snapshot(net):
    """Every number, name and wire of *net*."""
    return ([(n.name, n.z, n.a, n.delta, n.grad_a, n.activation and n.activation.name,
              n.bias and n.bias.name) for n in net.neurons],
            [(p.name, p.value, p.grad, p.trainable) for p in net.parameters()],
            [(c.name, c.src.name, c.dst.name, c.delay) for c in net.connections()])


@pytest.mark.parametrize("block", range(4))
def test_random_use_fails_only_with_neurograph_errors(block, tmp_path):
    refused = 0
    for seed in range(block * 50, block * 50 + 50):
        rng = random.Random(seed)
        number = rng.choice([float, float, Decimal])
        net = ng.Net.dense([rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)],
                           activation=rng.choice(ACTS[:-1]), number=number, seed=seed)
        opt = rng.choice([ng.SGD(net, lr="0.1"), ng.Adam(net, lr="0.01")])
        for _ in range(30):
            before = snapshot(net)
            try:
                operate(rng, net, opt, str(tmp_path))
            except ng.NeurographError as e:
                refused += 1
                assert snapshot(net) == before, (seed, e)     # refused: nothing changed
    assert refused > 0                       # the runs do reach the refusals
