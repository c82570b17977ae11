# Reference run of Muennighoff et al. 2023's own R_D*, R_N* fit (huggingface/datablations,
# utils/parametric_fit.ipynb, cells "FIT OUR DOTS": torch.optim.LBFGS, lr 0.1, history 10, max_iter 20,
# strong Wolfe, 50 steps, C4 constants fixed by zeroing their gradients; Apache-2.0) on the bundled
# 182 runs of data/muennighoff2023/runs.csv. It prints the end point of each of the nine starts
# (plus the seven with a zero start, which give NaN as in the notebook).
#
#   /usr/bin/python3 bench/muennighoff-torch-reference.py        # float32, as the notebook (torch.Tensor)
#   /usr/bin/python3 bench/muennighoff-torch-reference.py f64    # float64
#
# Needs Debian's python3-torch (1.13). Measured 2026-12-03: in float32 six of the nine starts stop
# near the released constants, at R_D* 15.337-15.385, R_N* 5.307-5.321; two stop almost where they
# started (float32 cannot resolve the flat objective); (20, 20/3) reaches R_D* 51.9, R_N* 2.20 with
# a lower objective, which the notebook's own printed run did not (its torch version differs). In
# float64 all nine end at R_D* 15.365-15.380, R_N* 5.314-5.317. scalelaw's L-BFGS-B, polished, puts that local minimum at
# 15.3718, 5.31513 (`scalelaw reproduce muennighoff-released-minimum`).
import csv, os, sys
import numpy as np
import torch
rows=list(csv.DictReader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'muennighoff2023', 'runs.csv'))))
model_params=[float(r['N']) for r in rows]; tokens=[float(r['D']) for r in rows]; unique_tokens=[float(r['U']) for r in rows]; losses=[float(r['loss']) for r in rows]
a, b, e, alpha, beta = [6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596]
A = np.exp(a); B = np.exp(b); E = np.exp(e)
G = ((alpha*A)/(beta*B))**(1/(alpha+beta))
def optimal_N(C): return G*(C/6)**((beta)/(alpha+beta))
def D_to_C(D): return ((G*D) ** (1/((alpha)/(alpha+beta)))) * 6
dtype = torch.float64 if 'f64' in sys.argv else torch.float32
inp = torch.tensor([[min(optimal_N(D_to_C(ut)), p), ut, max((t/ut)-1, 0), max((p/min(optimal_N(D_to_C(ut)),p)-1), 0), l] for p,t,ut,l in zip(model_params,tokens,unique_tokens,losses)], dtype=dtype)
def loss(inp, params):
    a, b, e, alpha, beta, ep_star, n_star = params
    pre_lse = torch.stack([
        a - alpha * torch.log(inp[:, 0] + (inp[:, 0] * n_star * (1 - torch.exp(-1*inp[:, 3]/n_star)))),
        b - beta * torch.log(inp[:, 1] + (inp[:, 1] * ep_star * (1 - torch.exp(-1*inp[:, 2]/ep_star)))),
        e.expand((inp.shape[0]))])
    post_lse = torch.logsumexp(pre_lse, dim=0)
    return torch.nn.functional.huber_loss(post_lse, torch.log(inp[:, 4]), delta=1e-3, reduction='none').sum()
def minimize_loss(inp, init_params, steps=50):
    params = torch.nn.Parameter(data=torch.tensor(init_params, dtype=dtype))
    lbfgs = torch.optim.LBFGS([params], lr=1e-1, history_size=10, max_iter=20, line_search_fn="strong_wolfe")
    def closure():
        lbfgs.zero_grad(); l = loss(inp, params); l.backward(); params.grad[:5] = 0; return l
    for i in range(steps): l = lbfgs.step(closure)
    return l, params
min_loss=1e10
for ep_star in np.linspace(0, 20, 4):
    for n_star in np.linspace(0, 20, 4):
        l, params = minimize_loss(inp, [a, b, e, alpha, beta, ep_star, n_star])
        print(ep_star, n_star, float(l), list(params.detach().numpy()[5:]))
        if float(l) < min_loss:
            min_loss = float(l); best = params.detach().numpy()
print('best', min_loss, list(best[5:]))
