"""Debugging a network neuron by neuron: explain, trace, diff, watch, hooks, anomalies.

Run:  python examples/debugging.py

Uses Mazur's 2-2-2 example ("A Step by Step Backpropagation Example").
"""
import math

import neurograph as ng


def heading(text):
    print()
    print(text)
    print("-" * len(text))


ex = ng.textbook.mazur()
net = ex.net

heading("1. What am I looking at?  (reprs and summary)")
print(net)
print(net.summary())
net.forward(ex.x)
net.backward(ex.y)
for obj in (net["h1"], net["o1"], net["w5"], net["b1"]):
    print(repr(obj))

heading("2. Why is dE/dw5 what it is?  (an output weight)")
print(net.explain("w5", lr=ex.lr))

heading("3. Why is dE/dw1 what it is?  (a hidden weight: every downstream path)")
print(net.explain("w1", lr=ex.lr))

heading("4. The shared bias b1, and a neuron's delta")
print(net.explain("b1"))
print()
print(net.explain("h1", digits=6))

heading("5. The same explanation for a document (LaTeX, amsmath align*)")
print(net.explain("w5", lr=ex.lr).latex())

heading("6. Recording everything: a trace of one training step")
ex = ng.textbook.mazur()
net = ex.net
opt = ng.SGD(net, lr=ex.lr)
with net.trace() as t:
    net.forward(ex.x)
    net.backward(ex.y)
    opt.step()
print(t)
print(t.filter(name=["h1", "w1"]).to_markdown(digits=9))

heading("7. Where did my hand calculation go wrong?  (diff)")
# A student's table, to 9 decimals; one number was copied wrongly (h1's delta).
hand = """name,quantity,value
h1,z,0.3775
h1,a,0.593269992
o1,a,0.751365070
o1,delta,0.138498562
o2,delta,-0.038098237
h1,grad_a,0.036350306
h1,delta,0.008771535
w1,grad,0.000438568
w5,weight_after,0.358916480
"""
report = ng.diff(t, hand)
print(report)
print("first wrong line:", report.first.name, report.first.quantity,
      "(equation %s)" % report.first.equation)

heading("8. A watchpoint: stop when a neuron's error is large")
ex = ng.textbook.mazur()
net = ex.net
seen = []
handle = net["o2"].watch(on="backward", when=lambda n: abs(n.delta) > 0.03,
                         action=lambda n: seen.append("%s delta %.9f" % (n.name, n.delta)))
net.forward(ex.x)
net.backward(ex.y)
handle.remove()
print("watchpoint fired:", seen)
print('(action="break" would open the debugger at that moment, with the neuron at hand)')

heading("9. A hook on every neuron and connection")
counts = {}


def count(event, obj):
    counts[event] = counts.get(event, 0) + 1


with net.add_hook(count, on=("forward", "backward")):
    net.forward(ex.x)
    net.backward(ex.y)
print("hook calls per event:", counts)

heading("10. Catching the first infinity (detect_anomaly) and an overflow")
square = ng.Activation("square", lambda z: z * z, lambda z: 2 * z)
bad = ng.Net()
x = bad.add_input("x")
h = bad.add_neuron("h", activation=square, bias=None)
o = bad.add_neuron("o", activation="identity", bias=None)
bad.connect(x, h, 1.0)
bad.connect(h, o, 1.0)
with ng.detect_anomaly():
    bad.forward([3.0])
    try:
        bad.forward([1e200])
    except ng.NumericalError as e:
        print("NumericalError:", e)
bad["h"].activation = ng.Activation("exp", math.exp, math.exp)
try:
    bad.forward([1000.0])
except ng.NumericalError as e:
    print("NumericalError:", e)

heading("11. gradcheck names the worst parameter")
broken = ng.Net.dense([2, 2, 1], activation="tanh", seed=2)
broken["o1"].activation = ng.Activation("tanh_with_wrong_derivative", math.tanh, lambda z: 1.0)
result = ng.gradcheck(broken, [0.3, -0.6], [0.5])
print(result)
print(result.table())
