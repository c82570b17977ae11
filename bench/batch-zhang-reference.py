"""Reference for the zhang-cbs reproduction: scipy's curve_fit on Zhang et al. 2024's table.

Per model, least squares on log S = log(a + b / B) (S_min = a, E_min = b), McCandlish's
B_crit = b / a, Zhang's CBS = 1.2 * 256 + b / (5 a), and CBS = k N_M^e by a straight line in log-log.
Run: python3 bench/batch-zhang-reference.py
"""
import csv

import numpy as np
from scipy.optimize import curve_fit

rows = list(csv.DictReader(open('data/zhang2024-cbs/steps_to_target.csv')))
models = {}
for r in rows:
    models.setdefault(r['model'], []).append((float(r['batch_size_seqs']), float(r['steps_to_target']), float(r['n_params'])))
cbs, ns = [], []
for model, values in models.items():
    B = np.array([v[0] for v in values])
    S = np.array([v[1] for v in values])
    (a, b), _ = curve_fit(lambda B, a, b: np.log(a + b / B), B, np.log(S), p0=[1000, 1e6], maxfev=100000)
    c = 1.2 * 256 + b / (5 * a)
    print(f'{model:>5}  S_min {a:.4f}  E_min {b:.1f}  B_crit {b / a:.3f}  CBS {c:.3f}')
    cbs.append(c)
    ns.append(values[0][2] / 1e6)
e, logk = np.polyfit(np.log(ns), np.log(cbs), 1)
print(f'CBS = {np.exp(logk):.4f} N_M^{e:.5f}')
