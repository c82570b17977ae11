"""scipy reference for the Chinchilla grid fit (Besiroglu et al. 2024 protocol), single-threaded.

Same data (Epoch points, 5 highest-loss rows dropped), same objective (sum of Huber(1e-3) on
log Lhat - log L with log Lhat = LSE(a - alpha log N, b - beta log D, e)), same analytic gradient,
same 4,500-point grid and scipy's default L-BFGS-B settings as bench/fit-chinchilla.ts.
Prints one JSON line: wall and CPU seconds, the 1-minute load average, best objective, parameters.
Run: python3 bench/fit-chinchilla.py [path/to/svg_extracted_data.csv]
"""
import csv, itertools, json, os, sys, time
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
from scipy.optimize import minimize
from scipy.special import huber, logsumexp

HERE = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'data', 'chinchilla-epoch', 'svg_extracted_data.csv')
rows = sorted(csv.DictReader(open(path)), key=lambda r: float(r['loss']))[:-5]
N = np.array([float(r['Model Size']) for r in rows])
C = np.array([float(r['Training FLOP']) for r in rows])
L = np.array([float(r['loss']) for r in rows])
lN, lD, lL = np.log(N), np.log(C / (6 * N)), np.log(L)
DELTA = 1e-3

def objective(p):
    a, b, e, alpha, beta = p
    t = np.stack([a - alpha * lN, b - beta * lD, np.full_like(lN, e)])
    lse = logsumexp(t, axis=0)
    r = lse - lL
    w = np.exp(t - lse)  # softmax weights: d lse / d (a, b, e)
    dr = np.clip(r, -DELTA, DELTA)  # Huber'(r)
    grad = np.array([(dr * w[0]).sum(), (dr * w[1]).sum(), (dr * w[2]).sum(), -(dr * w[0] * lN).sum(), -(dr * w[1] * lD).sum()])
    return huber(DELTA, r).sum(), grad

grid = [(a, b, e, alpha, beta)
        for alpha, beta, e, a, b in itertools.product(np.arange(0, 2.5, 0.5), np.arange(0, 2.5, 0.5), np.arange(-1, 1.5, 0.5), np.arange(0, 30, 5), np.arange(0, 30, 5))]
assert len(grid) == 4500
t0 = time.perf_counter()
c0 = time.process_time()
best = None
for start in grid:
    res = minimize(objective, np.array(start, float), jac=True, method='L-BFGS-B')
    if best is None or res.fun < best.fun:
        best = res
wall = time.perf_counter() - t0
cpu = time.process_time() - c0
a, b, e, alpha, beta = best.x
print(json.dumps({'impl': 'scipy', 'starts': len(grid), 'wall_s': wall, 'cpu_s': cpu, 'load1': os.getloadavg()[0], 'objective': float(best.fun),
                  'A': float(np.exp(a)), 'B': float(np.exp(b)), 'E': float(np.exp(e)), 'alpha': float(alpha), 'beta': float(beta)}))
