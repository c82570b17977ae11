#!/usr/bin/env bash
# Builds .device/pfn/: `npm run train:pfn` as one bundled ES module (plus its sampling worker) with
# the Node binary and Dawn's dawn.node beside it, small enough to carry to a GPU machine that has
# no npm (bench/pfn-gpu/run.sh runs it there). Usage: bash bench/pfn-gpu/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device/pfn
rm -rf "$out" && mkdir -p "$out/node_modules/webgpu/dist/linux-x64"
# The sampling worker is found next to the module that starts it (new URL('./sampler-worker.js', import.meta.url)).
npx esbuild bench/pfn-gpu/entry.ts src/proxy/pfn/sampler-worker.ts --bundle --splitting --platform=node --format=esm --target=node20 \
  --outdir="$out" --entry-names='[name]' --chunk-names='chunk-[hash]' --log-level=warning \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __fu(new URL('.', import.meta.url));"
# backend.ts imports the optional backends by a name in a variable; the bundle has registered the
# real ones already, so those imports only have to succeed.
for b in webgpu wasm; do
  mkdir -p "$out/node_modules/@tensorflow/tfjs-backend-$b"
  echo "{\"name\":\"@tensorflow/tfjs-backend-$b\",\"type\":\"module\",\"main\":\"index.js\"}" >"$out/node_modules/@tensorflow/tfjs-backend-$b/package.json"
  echo 'export {};' >"$out/node_modules/@tensorflow/tfjs-backend-$b/index.js"
done
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$out/dawn.node.xz"
xz -T2 -6 -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"
du -sh "$out"
