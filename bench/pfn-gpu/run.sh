#!/usr/bin/env bash
# Runs on the GPU machine (carry .device and .gl; see build.sh): probes the step time of
# `train:pfn` on WebGPU and WASM there, then trains one network for about SECONDS seconds on
# WebGPU with the prior drawn by sampling workers. Results in $OUT (or ./out).
# Usage: bash bench/pfn-gpu/run.sh [SECONDS] [HIDDEN] [BATCH] [LR] [SEED]
set -uo pipefail
secs=${1:-360} hidden=${2:-512,512,512} batch=${3:-8192} lr=${4:-0.003} seed=${5:-10}
out=${OUT:-$PWD/out}
mkdir -p "$out"
[ -n "${LOCAL:-}" ] || for f in .gl/*.deb; do dpkg -x "$f" /; done
[ -n "${LOCAL:-}" ] || ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
cd .device/pfn || exit 1
xz -dc dawn.node.xz >node_modules/webgpu/dist/linux-x64/dawn.node
node=$(command -v node) || { xz -dc node.xz >/tmp/node && chmod +x /tmp/node && node=/tmp/node; }
workers=$(($(nproc) - 2))
{
  date -u; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; echo "cpus $(nproc), node $($node -v), workers $workers"
  ls /usr/local/nvidia/share/vulkan/icd.d/ /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
} | tee "$out/machine.txt"
# Seconds per step between the checkpoints at steps a and b of a probe's checkpoint.
per_step() { $node -e "const h=require('$1/checkpoint.json').history; const a=h[h.length-2], b=h[h.length-1]; console.log(((b.seconds-a.seconds)/(b.step-a.step)).toFixed(4))"; }
probe() { # name backend hidden batch workers steps every
  rm -rf "/tmp/$1"
  $node entry.js --backend "$2" --hidden "$3" --batch "$4" --workers "$5" --steps "$6" --every "$7" --dir "/tmp/$1" --out "/tmp/$1/w.json" >"/tmp/$1.log" 2>&1 || { echo "$1 failed (rc $?):"; tail -30 "/tmp/$1.log"; return 1; }
  echo "$1: backend $2, hidden $3, batch $4, workers $5: $(per_step /tmp/$1) s per step after warm-up ($(tail -1 /tmp/$1.log))"
}
{
  probe wasm-default wasm 256,256,256 512 0 40 20
  probe wasm-workers wasm 256,256,256 512 1 40 20
  probe gpu-default webgpu 256,256,256 512 "$workers" 60 30
  probe gpu-big webgpu "$hidden" "$batch" "$workers" 40 20
} 2>&1 | tee "$out/probes.txt"
[ -f /tmp/gpu-big/checkpoint.json ] || exit 1
s=$(per_step /tmp/gpu-big)
steps=$($node -e "console.log(Math.max(100, Math.floor($secs / $s / 100) * 100))")
echo "training $steps steps (${s} s per step, ${secs} s planned)" | tee -a "$out/probes.txt"
set -o pipefail
$node entry.js --backend webgpu --hidden "$hidden" --batch "$batch" --lr "$lr" --seed "$seed" --workers "$workers" --steps "$steps" --every 250 \
  --minutes $(($secs / 60 + 2)) --dir "/tmp/big-$seed" --out "$out/weights.json" 2>&1 | tee "$out/train.log"
cp "/tmp/big-$seed/checkpoint.json" "$out/checkpoint.json"
