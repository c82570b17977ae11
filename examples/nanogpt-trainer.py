#!/usr/bin/env python3
"""A small nanoGPT-style trainer that speaks scalelaw's trainer protocol (docs/trainer-protocol.md).

It trains a GPT (token + position embeddings, pre-LayerNorm blocks of causal self-attention and a
4x GELU MLP, weight-tied head; Karpathy's nanoGPT model.py, simplified) with AdamW and a cosine
schedule with warm-up, on a character-level corpus (a text file) or, with no file, on a synthetic
order-1 Markov language it generates from --data_seed. Every --log_every steps it prints one JSON
line to stdout (or appends it to --progress):

    {"step": 10, "tokens": 5120, "lr": 0.0006, "train_loss": 3.21, "grad_norm": 0.84}

with "eval_loss" every --eval_every steps and at the end, then a summary line:

    {"type": "summary", "status": "finished", "params": 812345, "tokens": 512000}

Everything else goes to stderr. Run it through a sweep spec (examples/nanogpt-sweep.json):

    scalelaw sweep examples/nanogpt-sweep.json --store runs/

or by hand: python3 examples/nanogpt-trainer.py --n_layer 2 --n_embd 64 --max_iters 50

Needs PyTorch (any version from 1.13); runs on CPU, or CUDA with --device cuda.
"""

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n_layer", type=int, default=2)
    p.add_argument("--n_head", type=int, default=2)
    p.add_argument("--n_embd", type=int, default=64)
    p.add_argument("--block_size", type=int, default=64, help="context length")
    p.add_argument("--batch_size", type=int, default=16)
    p.add_argument("--max_iters", type=int, default=200)
    p.add_argument("--lr", type=float, default=6e-4, help="peak learning rate")
    p.add_argument("--min_lr_ratio", type=float, default=0.1)
    p.add_argument("--warmup_iters", type=int, default=10)
    p.add_argument("--weight_decay", type=float, default=0.1)
    p.add_argument("--grad_clip", type=float, default=1.0)
    p.add_argument("--eval_every", type=int, default=50)
    p.add_argument("--eval_batches", type=int, default=8)
    p.add_argument("--log_every", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="", help="a text file (character level); empty: a synthetic Markov language")
    p.add_argument("--vocab", type=int, default=64, help="vocabulary of the synthetic language")
    p.add_argument("--data_seed", type=int, default=0)
    p.add_argument("--out_dir", default="", help="the run's directory (scalelaw passes {runDir})")
    p.add_argument("--progress", default="", help="append progress lines to this file instead of stdout")
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    return p.parse_args()


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = nn.Linear(n_embd, 3 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.fc = nn.Linear(n_embd, 4 * n_embd)
        self.fc_proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.proj(y)
        return x + self.fc_proj(F.gelu(self.fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList(Block(n_embd, n_head) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab, bias=False)
        self.head.weight = self.wte.weight  # weight tying, as in GPT-2
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx, targets):
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for block in self.blocks:
            x = block(x)
        logits = self.head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

    def non_embedding_params(self):
        # Kaplan et al. 2020 count N without the embeddings (the tied head is the token embedding).
        return sum(p.numel() for p in self.parameters()) - self.wte.weight.numel() - self.wpe.weight.numel()


def markov_data(vocab, n_tokens, seed):
    """An order-1 Markov chain: each token has 3 likely successors, drawn from a seeded generator."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.full((vocab, vocab), -4.0)
    for a in range(vocab):
        logits[a, torch.randperm(vocab, generator=g)[:3]] = 2.0
    probs = logits.softmax(dim=1)
    out = torch.empty(n_tokens, dtype=torch.long)
    out[0] = 0
    for i in range(1, n_tokens):
        out[i] = torch.multinomial(probs[out[i - 1]], 1, generator=g)
    return out


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.data:
        text = open(args.data, encoding="utf-8").read()
        chars = sorted(set(text))
        vocab = len(chars)
        index = {c: i for i, c in enumerate(chars)}
        tokens = torch.tensor([index[c] for c in text], dtype=torch.long)
    else:
        vocab = args.vocab
        tokens = markov_data(vocab, 200_000, args.data_seed)
    split = int(0.9 * len(tokens))
    train, val = tokens[:split], tokens[split:]

    model = GPT(vocab, args.block_size, args.n_layer, args.n_head, args.n_embd).to(args.device)
    params = model.non_embedding_params()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))
    g = torch.Generator().manual_seed(args.seed + 1)

    def batch(data):
        ix = torch.randint(len(data) - args.block_size - 1, (args.batch_size,), generator=g)
        x = torch.stack([data[i : i + args.block_size] for i in ix])
        y = torch.stack([data[i + 1 : i + 1 + args.block_size] for i in ix])
        return x.to(args.device), y.to(args.device)

    eval_g = torch.Generator().manual_seed(12345)
    eval_ix = [torch.randint(len(val) - args.block_size - 1, (args.batch_size,), generator=eval_g) for _ in range(args.eval_batches)]

    @torch.no_grad()
    def evaluate():
        model.eval()
        losses = []
        for ix in eval_ix:
            x = torch.stack([val[i : i + args.block_size] for i in ix]).to(args.device)
            y = torch.stack([val[i + 1 : i + 1 + args.block_size] for i in ix]).to(args.device)
            losses.append(model(x, y).item())
        model.train()
        return sum(losses) / len(losses)

    def lr_at(it):  # linear warm-up, then cosine to min_lr_ratio x peak (nanoGPT's get_lr)
        if it < args.warmup_iters:
            return args.lr * (it + 1) / args.warmup_iters
        progress = (it - args.warmup_iters) / max(1, args.max_iters - args.warmup_iters)
        return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))

    sink = open(args.progress, "a") if args.progress else sys.stdout

    def report(obj):
        # One complete line per write, flushed at once: scalelaw records it as it comes.
        sink.write(json.dumps(obj) + "\n")
        sink.flush()

    print(f"nanogpt-trainer: {params} non-embedding parameters, vocab {vocab}, out_dir {args.out_dir or '-'}", file=sys.stderr)
    started = time.time()
    tokens_per_step = args.batch_size * args.block_size
    status, reason, last_eval, loss_value = "finished", None, None, float("nan")
    for it in range(args.max_iters):
        lr = lr_at(it)
        for group in opt.param_groups:
            group["lr"] = lr
        x, y = batch(train)
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip).item()
        opt.step()
        step = it + 1
        loss_value = loss.item()
        point = {"step": step, "tokens": step * tokens_per_step, "lr": lr, "train_loss": loss_value, "grad_norm": grad_norm}
        if step % args.eval_every == 0 or step == args.max_iters:
            last_eval = point["eval_loss"] = evaluate()
        if step % args.log_every == 0 or "eval_loss" in point:
            report(point)
        if not math.isfinite(loss_value):
            status, reason = "diverged", f"loss {loss_value} at step {step}"
            break
    summary = {"type": "summary", "status": status, "params": params, "tokens": step * tokens_per_step, "final_train_loss": loss_value, "wall_seconds": time.time() - started}
    if last_eval is not None:
        summary["final_eval_loss"] = last_eval
    if reason:
        summary["reason"] = reason
    report(summary)
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)


if __name__ == "__main__":
    main()
