"""Reference trajectories of torch.optim.AdamW for test/fit/adamw.test.ts.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 bench/fit-adamw-fixtures.py
Writes test/fit/fixtures/adamw-torch.json: the objective at every iterate of AdamW (float64) on
Rosenbrock's function with two parameter groups, and on a quadratic with weight decay 0.1.
"""
import json

import torch


def run(f, x0, groups, steps, weight_decay):
    xs = [torch.nn.Parameter(torch.tensor(v, dtype=torch.float64)) for v in x0]
    opt = torch.optim.AdamW([{"params": [xs[i] for i in idx], "lr": lr} for idx, lr in groups], weight_decay=weight_decay)
    trace = []
    for _ in range(steps):
        opt.zero_grad()
        value = f(xs)
        value.backward()
        trace.append(value.item())
        opt.step()
    return trace, [x.item() for x in xs]


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def quadratic(x):
    return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2 + 0.5 * x[2] ** 2


cases = []
trace, final = run(rosenbrock, [-1.2, 1.0], [([0], 5e-2), ([1], 5e-3)], 60, 0.01)
cases.append({"name": "rosenbrock", "x0": [-1.2, 1.0], "rate": [5e-2, 5e-3], "weightDecay": 0.01, "steps": 60, "trace": trace, "final": final})
trace, final = run(quadratic, [0.0, 0.0, 2.0], [([0, 1, 2], 1e-1)], 80, 0.1)
cases.append({"name": "quadratic", "x0": [0.0, 0.0, 2.0], "rate": [1e-1, 1e-1, 1e-1], "weightDecay": 0.1, "steps": 80, "trace": trace, "final": final})
with open("test/fit/fixtures/adamw-torch.json", "w") as out:
    json.dump({"generator": "bench/fit-adamw-fixtures.py", "torch": torch.__version__, "cases": cases}, out, indent=1)
