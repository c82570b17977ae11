"""Reference fit of the multi-power law (Luo et al. 2025) with the authors' own procedure, re-typed
from their repository (thu-yao-01-luo/MultiPowerLaw, src/fitting.py, src/models.py, src/utils.py,
src/config.py): a 135-start L-BFGS-B search over a surrogate without the loss-drop term (scipy,
numeric gradients), then AdamW on the full law in PyTorch (float64, autograd), lr 5e-2 for L0, A,
B, C and 5e-3 for alpha, beta, gamma, at most 200 steps, patience 20, summed Huber(1e-3) on log
residuals over every logged point of cosine_24000, constant_24000 and wsdcon_9.

Run with Debian's python3 (torch 1.13 and python3-scipy):
    /usr/bin/python3 bench/mpl-reference.py 25 [repeats]
Prints one JSON line per repeat: wall seconds of the whole fit, parameters, PredE and WorstE on the
six test curves.
"""
import json
import sys
import time
from itertools import product

import numpy as np
import torch
from scipy.optimize import minimize
from scipy.stats import linregress

DATA = "../shared/data/multipowerlaw"
TRAIN = ["cosine_24000", "constant_24000", "wsdcon_9"]
TEST = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
PEAK, END, WARMUP = 3e-4, 3e-5, 2160


def schedule(name):
    """Their lr_schedulers.py: linspace warmup, then the named shape."""
    kind, *args = name.split("_")
    warm = np.linspace(0, PEAK, WARMUP)
    if kind == "constant":
        total = int(args[0])
        return np.concatenate((warm, np.full(total - WARMUP, PEAK)))
    if kind == "cosine":
        total = int(args[0])
        step = np.arange(total)[WARMUP:]
        return np.concatenate((warm, END + 0.5 * (PEAK - END) * (1 + np.cos(np.pi * (step - WARMUP) / (total - WARMUP)))))
    if kind in ("wsd", "wsdld"):
        decay, total = int(args[0]), int(args[1])
        step = np.arange(total)[decay:]
        if kind == "wsd":
            tail = PEAK ** ((total - step) / (total - decay)) * END ** ((step - decay) / (total - decay))
        else:
            tail = PEAK * (1 - (step - decay) / (total - decay)) + END * (step - decay) / (total - decay)
        return np.concatenate((warm, np.full(decay - WARMUP, PEAK), tail))
    if kind == "wsdcon":
        return np.concatenate((warm, np.full(8000 - WARMUP, PEAK), np.full(16000 - 8000, int(args[0]) * 1e-5)))
    raise ValueError(name)


def load(size, name):
    table = np.genfromtxt(f"{DATA}/csv_{size}/{name}.csv", delimiter=",", names=True)
    return {"step": table["step"].astype(int), "loss": table["loss"], "lrs": schedule(name)}


def huber(r, delta=1e-3):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))


def torch_huber(delta, r):
    return torch.where(torch.abs(r) < delta, 0.5 * r**2, delta * (torch.abs(r) - 0.5 * delta))


def initialize_params(data, train):
    min_loss = min(data[f]["loss"].min() for f in train)
    log_y = np.concatenate([np.log(data[f]["loss"] - min_loss + 0.01) for f in train])
    log_x = np.concatenate([np.log(np.cumsum(data[f]["lrs"])[data[f]["step"]]) for f in train])
    slope, intercept, *_ = linregress(log_x, log_y)
    grid = product(
        np.linspace(min_loss - 0.2, min_loss + 0.2, 5),
        np.linspace(np.exp(intercept) - 0.1, np.exp(intercept) + 0.1, 3),
        np.linspace(-slope - 0.1, -slope + 0.1, 3),
        np.linspace(100, 1000, 3),
    )

    def loss_fn0(params):
        L0, A, alpha, B = params
        total = 0.0
        for f in train:
            lr, step = data[f]["lrs"], data[f]["step"]
            pred = L0 + A * np.cumsum(lr)[step] ** (-alpha) - B * (3e-4 - lr[step])
            total += huber(np.log(data[f]["loss"]) - np.log(pred)).sum()
        return total

    best, best_params = float("inf"), None
    with np.errstate(all="ignore"):
        for start in grid:
            res = minimize(loss_fn0, start, method="L-BFGS-B", bounds=[(0, np.inf)] * 4,
                           options={"maxiter": 100000, "ftol": 1e-9, "gtol": 1e-6, "eps": 1e-8})
            if res.fun < best:
                best, best_params = res.fun, res.x
    return list(best_params)


class MPL(torch.nn.Module):
    def __init__(self, L0, A, alpha, B, C, beta, gamma):
        super().__init__()
        for name, value in zip(["L0", "A", "alpha", "B", "C", "beta", "gamma"], [L0, A, alpha, B, C, beta, gamma]):
            setattr(self, name, torch.nn.Parameter(torch.tensor(float(value), dtype=torch.float64)))

    def forward(self, S1, lrs, lr_sum, step, lr_gap, loss):
        LD = torch.zeros_like(step, dtype=torch.float64)
        for i, s in enumerate(step):
            if s > 0:
                LD[i] = torch.sum(lr_gap[1:s + 1] * (1 - (1 + self.C * lrs[1:s + 1] ** (-self.gamma) * (lr_sum[s] - lr_sum[:s])) ** (-self.beta)))
        pred = self.L0 + self.A * S1 ** (-self.alpha) + self.B * LD
        r = torch.log(loss) - torch.log(pred.clamp(min=1e-10))
        return torch_huber(0.001, r).sum()


def prepare(data, names):
    out = {}
    for f in names:
        d = {"step": torch.tensor(data[f]["step"], dtype=torch.int32),
             "lrs": torch.tensor(data[f]["lrs"], dtype=torch.float64),
             "loss": torch.tensor(data[f]["loss"], dtype=torch.float32)}
        lr_sum = torch.cumsum(d["lrs"], dim=0, dtype=torch.float64)
        d["S1"] = lr_sum[d["step"].long()]
        d["lr_sum"] = lr_sum
        gap = torch.zeros_like(d["lrs"])
        gap[1:] = torch.diff(d["lrs"])
        d["lr_gap"] = gap
        out[f] = d
    return out


def adam_fit(data, train, init, lr1=5e-2, lr2=5e-3, max_steps=200, grad_norm_thr=1e-5, loss_thr=0.0, patience=20):
    torch_data = prepare(data, train)
    model = MPL(*init)
    optimizer = torch.optim.AdamW([
        {"params": [model.L0, model.A, model.B, model.C], "lr": lr1},
        {"params": [model.alpha, model.beta, model.gamma], "lr": lr2},
    ])
    best_loss, best_params, min_loss, no_improve = float("inf"), None, float("inf"), 0
    for step in range(max_steps):
        optimizer.zero_grad()
        total = 0.0
        for f in train:
            d = torch_data[f]
            total = total + model(d["S1"], d["lrs"], d["lr_sum"], d["step"], d["lr_gap"], d["loss"])
        total.backward()
        optimizer.step()
        if total < min_loss - loss_thr:
            min_loss, no_improve = total.item(), 0
        else:
            no_improve += 1
        if step > patience and no_improve >= patience:
            break
        grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])
        if grads.norm() < grad_norm_thr:
            break
        if total < best_loss:
            best_loss, best_params = total.item(), [p.item() for p in model.parameters()]
    return best_params, best_loss


def predict(p, d):
    L0, A, alpha, B, C, beta, gamma = p
    lrs, step = d["lrs"], d["step"]
    lr_sum = np.cumsum(lrs)
    gap = np.zeros_like(lrs)
    gap[1:] = np.diff(lrs)
    out = np.empty(len(step))
    for i, s in enumerate(step):
        LD = np.sum(gap[1:s + 1] * (1 - (1 + C * lrs[1:s + 1] ** (-gamma) * (lr_sum[s] - lr_sum[:s])) ** (-beta)))
        out[i] = L0 + A * lr_sum[s] ** (-alpha) + B * LD
    return out


def main():
    size = sys.argv[1] if len(sys.argv) > 1 else "25"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    data = {f: load(size, f) for f in TRAIN + TEST}
    for _ in range(repeats):
        t0 = time.perf_counter()
        L0, A, alpha, B = initialize_params(data, TRAIN)
        t_init = time.perf_counter() - t0
        params, objective = adam_fit(data, TRAIN, (L0, A, alpha, B, 1.0, 0.5, 0.5))
        wall = time.perf_counter() - t0
        pred_e, worst_e = [], []
        for f in TEST:
            e = np.abs(predict(params, data[f]) - data[f]["loss"]) / data[f]["loss"]
            pred_e.append(e.mean())
            worst_e.append(e.max())
        print(json.dumps({"size": size, "wall_s": wall, "init_s": t_init, "objective": objective, "params": params,
                          "PredE": float(np.mean(pred_e)), "WorstE": float(np.mean(worst_e)),
                          "torch_threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
