"""scipy reference for the Chinchilla backtest: fit on N <= 2.5e9, predict the models with N >= 5e9.

Same data as bench/backtest-chinchilla.ts (Epoch points, 5 highest-loss rows dropped, D = C / 6N),
same objective (sum of Huber(1e-3) on log Lhat - log L with log Lhat = LSE(a - alpha log N,
b - beta log D, e)), same analytic gradient, same 4,500-point grid as scalelaw's chinchilla law
(src/laws/chinchilla.ts) and scipy's default L-BFGS-B settings; the best start is kept.
Scores each held-out row by |Lhat - L| / L; sizes are N within 2% of each other, as in scalelaw.
Prints one JSON line: wall seconds, the fitted values, the mean relative error, per-size errors.
Run: python3 bench/backtest-chinchilla.py [path/to/svg_extracted_data.csv]
"""
import csv, itertools, json, os, sys, time
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
from scipy.optimize import minimize
from scipy.special import huber, logsumexp

HERE = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'data', 'chinchilla-epoch', 'svg_extracted_data.csv')
TRAIN_MAX_N, TEST_MIN_N, DELTA = 2.5e9, 5e9, 1e-3
rows = sorted(csv.DictReader(open(path)), key=lambda r: float(r['loss']))[:-5]
N = np.array([float(r['Model Size']) for r in rows])
C = np.array([float(r['Training FLOP']) for r in rows])
L = np.array([float(r['loss']) for r in rows])
D = C / (6 * N)
train, test = N <= TRAIN_MAX_N, N >= TEST_MIN_N
lN, lD, lL = np.log(N[train]), np.log(D[train]), np.log(L[train])

def objective(p):
    a, b, e, alpha, beta = p
    t = np.stack([a - alpha * lN, b - beta * lD, np.full_like(lN, e)])
    lse = logsumexp(t, axis=0)
    r = lse - lL
    w = np.exp(t - lse)  # softmax weights: d lse / d (a, b, e)
    dr = np.clip(r, -DELTA, DELTA)  # Huber'(r)
    grad = np.array([(dr * w[0]).sum(), (dr * w[1]).sum(), (dr * w[2]).sum(), -(dr * w[0] * lN).sum(), -(dr * w[1] * lD).sum()])
    return huber(DELTA, r).sum(), grad

# scalelaw's grid: a, b in {0, 5, ..., 25}, e in {-1, -0.5, ..., 1}, alpha, beta in {0, 0.5, ..., 2}.
grid = [(a, b, e, alpha, beta)
        for alpha, beta, e, a, b in itertools.product(np.arange(0, 2.5, 0.5), np.arange(0, 2.5, 0.5), np.arange(-1, 1.5, 0.5), np.arange(0, 30, 5), np.arange(0, 30, 5))]
assert len(grid) == 4500
t0 = time.perf_counter()
best = None
for start in grid:
    res = minimize(objective, np.array(start, float), jac=True, method='L-BFGS-B')
    if best is None or res.fun < best.fun:
        best = res
wall = time.perf_counter() - t0
a, b, e, alpha, beta = best.x
A, B, E = np.exp(a), np.exp(b), np.exp(e)
pred = E + A / N[test] ** alpha + B / D[test] ** beta
rel = (pred - L[test]) / L[test]

# Sizes: sorted N, a new size wherever N moves more than 2% past the size's first value.
order = np.argsort(N[test], kind='stable')
sizes, first = [], None
for i in order:
    n = N[test][i]
    if first is None or n > first * 1.02:
        sizes.append([]); first = n
    sizes[-1].append(i)
per_size = [{'N': float(np.exp(np.mean(np.log(N[test][s])))), 'rows': len(s), 'meanRelativeError': float(np.mean(np.abs(rel[s]))), 'bias': float(np.mean(rel[s]))} for s in sizes]
print(json.dumps({'impl': 'scipy', 'trainRows': int(train.sum()), 'heldOut': int(test.sum()), 'wall_s': wall, 'objective': float(best.fun),
                  'A': float(A), 'B': float(B), 'E': float(E), 'alpha': float(alpha), 'beta': float(beta),
                  'meanRelativeError': float(np.mean(np.abs(rel))), 'sizes': per_size}))
