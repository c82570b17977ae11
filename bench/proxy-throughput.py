"""PyTorch CPU reference for bench/proxy-throughput.ts: the same transformer (pre-norm, 4 layers,
d 128, 4 heads, context 128, ReLU MLP 4d with biases, bias-free attention projections, untied
readout, vocab 256), AdamW (0.9, 0.95, wd 0.1), grad clipping at 1, batch 32. Median step time over
5 timed steps after 1 warm-up step, as tokens per second of wall time and of process CPU time.

    /usr/bin/python3 bench/proxy-throughput.py [threads ...]   # Debian's python3-torch
    python3 bench/proxy-throughput.py --model 10m --device cuda 1    # a GPU: the 10.6M / 49M rungs

--model bench|10m|50m picks the same shapes as bench/proxy-throughput.ts (10m: d 384, 6 layers,
6 heads; 50m: d 640, 10 layers, 10 heads; both context 512, vocab 50304, batch 16). On CUDA the
step time is taken after torch.cuda.synchronize().
"""
import json, math, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {'bench': (256, 128, 128, 4, 4, 32), '10m': (50304, 512, 384, 6, 6, 16), '50m': (50304, 512, 640, 10, 10, 16)}
args = sys.argv[1:]
def option(name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default
MODEL = option('--model', 'bench')
DEVICE = option('--device', 'cpu')
V, T, D, L, H, B = MODELS[MODEL]


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.q, self.k, self.v, self.o = (nn.Linear(D, D, bias=False) for _ in range(4))
        self.w1, self.w2 = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x, mask):
        h = self.ln1(x)
        split = lambda t: t.view(B, T, H, D // H).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H) + mask
        x = x + self.o((att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.w2(F.relu(self.w1(self.ln2(x))))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed, self.pos = nn.Embedding(V, D), nn.Parameter(torch.randn(T, D))
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf, self.unembed = nn.LayerNorm(D), nn.Linear(D, V, bias=False)
        self.register_buffer('mask', torch.full((T, T), -1e9).triu(1))

    def forward(self, x):
        h = self.embed(x) + self.pos
        for block in self.blocks:
            h = block(h, self.mask)
        return self.unembed(self.lnf(h))


def measure(threads, timed=5):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Model().to(DEVICE)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
    data = torch.randint(0, V, (B, T + 1), device=DEVICE)
    sync = torch.cuda.synchronize if DEVICE.startswith('cuda') else (lambda: None)
    times, cpu = [], []
    for step in range(timed + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, V), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sync()
        if step > 0:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    median, median_cpu = statistics.median(times), statistics.median(cpu)
    params = sum(p.numel() for p in model.parameters())
    where = torch.cuda.get_device_name() if DEVICE.startswith('cuda') else 'cpu'
    return {'backend': f'pytorch {torch.__version__} {DEVICE}, {threads} thread(s)', 'device': where, 'model': MODEL, 'stepSeconds': median, 'tokensPerSecond': B * T / median,
            'cpuSecondsPerStep': median_cpu, 'tokensPerCpuSecond': B * T / median_cpu, 'params': params}


if __name__ == '__main__':
    for threads in [int(t) for t in args] or [1, 2]:
        print(json.dumps(measure(threads)))
