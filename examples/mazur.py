"""Mazur's 2-2-2 backpropagation example, step by step.

Run:  python examples/mazur.py
"""
import neurograph as ng
from neurograph.cli import mazur_walkthrough

if __name__ == "__main__":
    mazur_walkthrough()
    # The objects are there to inspect:
    ex = ng.textbook.mazur()
    ex.net.forward(ex.x)
    ex.net.backward(ex.y)
    print()
    for n in ex.net.neurons:
        print(n)
    for c in ex.net.connections():
        print(c)
