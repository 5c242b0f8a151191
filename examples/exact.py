"""Exact numbers: Mazur's example in Decimal, a Fraction net, and rounding like a hand calculation.

Run:  python examples/exact.py
"""
from decimal import Context, Decimal, localcontext
from fractions import Fraction

import neurograph as ng
from neurograph.core.rounding import Rounding


def mazur_in_decimal() -> None:
    print("Mazur's 2-2-2 example in Decimal (50-digit context, shown to 30 digits)")
    with localcontext() as ctx:
        ctx.prec = 50
        ex = ng.textbook.mazur(Decimal)
        net = ex.net
        net.forward(ex.x)
        E = net.backward(ex.y)
        rows = [("out_h1", net["h1"].a), ("out_o1", net["o1"].a), ("out_o2", net["o2"].a),
                ("E_total", E), ("delta_o1", net["o1"].delta), ("delta_h1", net["h1"].delta),
                ("dE/dw5", net["w5"].grad), ("dE/dw1", net["w1"].grad)]
        ng.SGD(net, lr=ex.lr).step()
        rows += [("w5+", net["w5"].weight), ("w1+", net["w1"].weight)]
        thirty = Context(prec=30)
        for name, v in rows:
            print("  %-9s %s" % (name, thirty.plus(v)))
    print()


def fraction_net() -> None:
    print("A linear 2-2-1 net in Fraction: every number exact")
    net = ng.Net(number=Fraction)
    x1, x2 = net.add_input("x1"), net.add_input("x2")
    h1 = net.add_neuron("h1", activation="identity", bias="0")
    h2 = net.add_neuron("h2", activation="identity", bias="1/5")
    o = net.add_neuron("o", activation="identity", bias="0.1")
    for src, dst, w in [(x1, h1, "1/3"), (x2, h1, "1/4"), (x1, h2, "1"), (x2, h2, "-0.5"),
                        (h1, o, "2"), (h2, o, "-1")]:
        net.connect(src, dst, w)
    opt = ng.SGD(net, lr="1/2")
    for step in (1, 2):
        out = net.forward(["1/2", "1"])
        E = net.backward(["1"])
        print("  step %d: output %s, E = %s, delta_o = %s, dE/dw(h1->o) = %s"
              % (step, out[0], E, o.delta, net["h1->o"].grad))
        opt.step()
        opt.zero_grad()
    print("  weights now:", ", ".join("%s = %s" % kv for kv in net.values().items()))
    print()


def rounding_comparison() -> None:
    print("Mazur's first step rounded to 4 places at every step, against the exact values")
    quantities = [("out_h1", lambda n: n["h1"].a), ("out_o1", lambda n: n["o1"].a),
                  ("delta_o2", lambda n: n["o2"].delta),
                  ("dE/dout_h1", lambda n: n["h1"].grad_a),
                  ("dE/dout_h2", lambda n: n["h2"].grad_a),
                  ("delta_h2", lambda n: n["h2"].delta), ("dE/dw1", lambda n: n["w1"].grad),
                  ("dE/dw3", lambda n: n["w3"].grad)]

    def first_step() -> dict:
        ex = ng.textbook.mazur(Decimal)
        ex.net.forward(ex.x)
        ex.net.backward(ex.y)
        return {name: get(ex.net) for name, get in quantities}

    exact = first_step()
    with ng.rounding(places=4):
        rounded = first_step()
    print("  %-11s %-10s %-26s %s" % ("quantity", "rounded", "exact", "exact, rounded at the end"))
    for name, _ in quantities:
        shown = Rounding(places=4).round_decimal(exact[name])
        mark = "   <- differs" if shown != rounded[name] else ""
        print("  %-11s %-10s %-26s %s%s" % (name, rounded[name], str(exact[name])[:24], shown, mark))
    with ng.rounding(digits=4):
        sig = first_step()
    print("  with digits=4 (significant digits): dE/dw1 = %s, delta_h2 = %s"
          % (sig["dE/dw1"], sig["delta_h2"]))


if __name__ == "__main__":
    mazur_in_decimal()
    fraction_net()
    rounding_comparison()
