"""Reference fit of Kim et al. 2025's joint scaling (the asymptote of the ensembles' K -> infinity
asymptotes in N) with the authors' own procedure, re-typed from marin-community/marin,
experiments/data_efficiency/plotting.py (PowerScalingLaw: scipy.optimize.curve_fit of
A / N^B + C, N in billions, p0 = [1, 0.5, 2], bounds >= 0), on data/kim2025/ensemble-asymptotes.csv.

    python3 bench/kim-reference.py

Prints, per token budget, A, alpha and the asymptote E. Measured 2026-12-03 (scipy 1.17): at
209715200 tokens E = 3.16899360, A = 0.01581769, alpha = 1.59394365.
"""
import csv
import os

import numpy as np
from scipy.optimize import curve_fit

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "kim2025", "ensemble-asymptotes.csv")
rows = list(csv.DictReader(open(path)))
for U in sorted({float(r["U"]) for r in rows}):
    sel = [r for r in rows if float(r["U"]) == U]
    N = np.array([float(r["N"]) / 1e9 for r in sel])
    y = np.array([float(r["loss"]) for r in sel])
    (A, alpha, E), _ = curve_fit(lambda x, A, B, C: A / x**B + C, N, y, p0=[1.0, 0.5, 2.0], bounds=([0, 0, 0], [np.inf] * 3))
    print(f"{U:.0f} A={A:.8f} alpha={alpha:.8f} E={E:.8f}")
