"""Writes scipy's L-BFGS-B answers on reference problems to test/fit/fixtures/lbfgsb-scipy.json.

scalelaw's tests compare src/fit/lbfgsb.ts against these (tests never run Python).
Run: python3 bench/fit-lbfgsb-fixtures.py   (scipy 1.17, numpy 2.4)
"""
import json, os
import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import huber

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def rosen(x):
    f = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
    return f, g

def driver1(x):
    # The L-BFGS-B distribution's driver1 problem (extended Rosenbrock-like, n = 25).
    n = len(x)
    f = 0.25 * (x[0] - 1) ** 2 + sum(4 * (x[i] - x[i - 1] ** 2) ** 2 for i in range(1, n))
    g = np.zeros(n)
    t1 = x[1] - x[0] ** 2
    g[0] = 2 * (x[0] - 1) - 16 * x[0] * t1
    for i in range(1, n - 1):
        t2 = t1
        t1 = x[i + 1] - x[i] ** 2
        g[i] = 8 * t2 - 16 * x[i] * t1
    g[n - 1] = 8 * t1
    return f, g

rng = np.random.default_rng(7)
M = rng.normal(size=(10, 10))
Q = M @ M.T + 0.5 * np.eye(10)
b = rng.normal(size=10) * 5

def quad(x):
    return 0.5 * x @ Q @ x - b @ x, Q @ x - b

def chinchilla_problem():
    import csv
    rows = list(csv.DictReader(open('/work/shared/data/chinchilla-epoch/svg_extracted_data.csv')))
    rows = sorted(rows, key=lambda r: float(r['loss']))[:-5]
    N = np.array([float(r['Model Size']) for r in rows])
    C = np.array([float(r['Training FLOP']) for r in rows])
    L = np.array([float(r['loss']) for r in rows])
    D = C / (6 * N)
    lN, lD, lL = np.log(N), np.log(D), np.log(L)
    def f(p):
        a, b_, e, alpha, beta = p
        t = np.stack([a - alpha * lN, b_ - beta * lD, np.full_like(lN, e)])
        m = t.max(0)
        w = np.exp(t - m)
        s = w.sum(0)
        r = m + np.log(s) - lL
        h = huber(1e-3, r).sum()
        dr = np.clip(r, -1e-3, 1e-3)
        sw = w / s
        g = np.array([(dr * sw[0]).sum(), (dr * sw[1]).sum(), (dr * sw[2]).sum(), -(dr * sw[0] * lN).sum(), -(dr * sw[1] * lD).sum()])
        return h, g
    return f

problems = []
def add(name, fun, x0, bounds=None, note='', rounding_sensitive=False):
    trace = []
    def traced(x):
        f, g = fun(x)
        trace.append(float(f))
        return f, g
    res = minimize(traced, np.array(x0, float), jac=True, method='L-BFGS-B', bounds=bounds)
    problems.append({
        'name': name, 'note': note, 'x0': list(map(float, x0)),
        'lower': None if bounds is None else [(-1e308 if lo is None else lo) for lo, _ in bounds],
        'upper': None if bounds is None else [(1e308 if hi is None else hi) for _, hi in bounds],
        'x': res.x.tolist(), 'f': float(res.fun), 'trace': trace[:25], 'roundingSensitive': rounding_sensitive, 'nit': int(res.nit), 'nfev': int(res.nfev), 'message': str(res.message),
    })

add('rosenbrock', rosen, [-1.2, 1.0])
add('rosenbrock-bounded', rosen, [-1.2, 1.0], [(-1.5, 0.8), (-1.5, 2.0)], 'optimum on the upper bound of x0')
add('driver1', driver1, [3.0] * 25, [(1.0, 100.0) if i % 2 == 0 else (-100.0, 100.0) for i in range(25)], 'L-BFGS-B driver1 problem, n = 25')
add('quadratic-box', quad, [0.0] * 10, [(-1.0, 1.0)] * 10, 'convex quadratic in 10 dimensions with active bounds')
add('quadratic-halfbounded', quad, [0.5] * 10, [(0.0, None)] * 10, 'the same quadratic on the positive orthant')
chin = chinchilla_problem()
for start in ([5, 10, 0, 0.5, 0.5], [0, 0, -1, 0, 0], [25, 25, 1, 2, 2], [10, 5, 0.5, 1, 0]):
    # From (0, 0, -1, 0, 0) the path crosses a flat valley where differences of 1e-11 in f (LSE here,
    # log of a sum in scalelaw) pick different local minima; only the first evaluations are comparable.
    add('chinchilla-' + '_'.join(str(s) for s in start), chin, start, None,
        'Epoch points, 5 highest-loss rows dropped, sum of Huber(1e-3), LSE parameters (a, b, e, alpha, beta)',
        rounding_sensitive=start == [0, 0, -1, 0, 0])

out = os.path.join(ROOT, 'test/fit/fixtures/lbfgsb-scipy.json')
with open(out, 'w') as fh:
    json.dump({'generator': 'bench/fit-lbfgsb-fixtures.py', 'scipy': scipy.__version__, 'numpy': np.__version__,
               'options': 'scipy defaults: maxcor 10, ftol 2.22e-9 (factr 1e7), gtol 1e-5, maxls 20',
               'quadratic': {'Q': Q.tolist(), 'b': b.tolist()}, 'problems': problems}, fh, indent=1)
for p in problems:
    print(p['name'], p['f'], p['nit'], p['nfev'], p['message'])
