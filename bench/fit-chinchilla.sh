#!/usr/bin/env bash
# Side by side: scipy's L-BFGS-B (one thread) and scalelaw (worker threads) on the identical
# 4,500-start Chinchilla grid fit, alternating so machine load falls on both alike.
# Run: bash bench/fit-chinchilla.sh [runs=5] > bench/fit-chinchilla.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
for i in $(seq 1 "$runs"); do
  python3 bench/fit-chinchilla.py
  npx tsx bench/fit-chinchilla.ts 2>/dev/null
done
