#!/usr/bin/env bash
# Proves that scalelaw works as a dependency: packs the package (npm pack runs `prepare`, the
# build), installs the tarball into an empty project, runs the README's library example there in
# Node, and type-checks (`deno check`) and runs it in Deno when a deno binary is available (the
# npm-installed one of this checkout, else one on PATH). The example is the README's first
# ```ts block under "## As a library", extracted verbatim, so the README cannot drift from what runs.
# Usage: bash .ci/pack-check.sh [--keep]   (--keep leaves the scratch project and prints its path)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
keep=${1:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/scalelaw-pack-check.XXXXXX")
cleanup() { if [ "$keep" = "--keep" ]; then echo "pack-check: scratch project kept in $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

step() { echo "pack-check: $*"; }

step "npm pack (builds dist/)"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
[ -f "$work/$tarball" ] || { echo "pack-check: npm pack wrote no tarball" >&2; exit 1; }

step "install $tarball into an empty project"
mkdir -p "$work/app"
cd "$work/app"
printf '{ "name": "scalelaw-pack-check", "private": true, "type": "module" }\n' > package.json
# The user's view: no overrides, no lock file, the registry's current versions. Optional
# dependencies that cannot build here (webgpu's native module) are tolerated, as for a user.
npm install --silent --no-audit --no-fund "$work/$tarball" > install.log 2>&1 || { cat install.log >&2; exit 1; }

# The README example, verbatim.
awk '/^## As a library/ { in_section = 1; next }
     /^## / && in_section { exit }
     in_section && /^```ts/ { in_block = 1; next }
     in_block && /^```/ { exit }
     in_block { print }' "$root/README.md" > example.ts
[ -s example.ts ] || { echo "pack-check: no \`\`\`ts block under '## As a library' in README.md" >&2; exit 1; }
# Node runs it as JavaScript: the example must be valid JS apart from its `!` assertions, which
# tsx strips; run it with the package's own tsx so Node sees exactly the README's text.
cp example.ts example.mts

step "run the README example in Node ($(node --version)), from a folder that is not the project"
cd "$work"
start=$(date +%s)
node --import "$work/app/node_modules/tsx/dist/loader.mjs" app/example.mts > node.out 2> node.err || { cat node.err >&2; exit 1; }
cat node.out
grep -q '\[\[Fit\]\] chinchilla' node.out || { echo "pack-check: the Node run printed no fit report" >&2; exit 1; }
step "Node run took $(( $(date +%s) - start )) s"

step "run the installed CLI (bin/scalelaw.js on the built dist/)"
"$work/app/node_modules/.bin/scalelaw" predict --fit "$work/app/node_modules/scalelaw/fits/chinchilla-hoffmann2022.json" --N 7e10 --D 1.4e12 --format csv > cli.out
grep -q '^N,D,loss' cli.out || { cat cli.out >&2; echo "pack-check: the installed CLI printed no CSV table" >&2; exit 1; }
set +e
"$work/app/node_modules/.bin/scalelaw" predict --fit "$work/app/node_modules/scalelaw/fits/chinchilla-hoffmann2022.json" --N -1 --D 1.4e12 2> cli.err
code=$?
set -e
[ "$code" = 2 ] && [ "$(wc -l < cli.err)" = 1 ] || { cat cli.err >&2; echo "pack-check: bad input gave exit $code, not 2 with one line" >&2; exit 1; }

deno_bin=""
if [ -x "$root/node_modules/.bin/deno" ]; then deno_bin="$root/node_modules/.bin/deno"; elif command -v deno > /dev/null; then deno_bin=$(command -v deno); fi
if [ -z "$deno_bin" ]; then
  step "no deno binary (npm ci installs one as a devDependency); skipped the Deno check"
  exit 0
fi
cd "$work/app"
step "deno check the README example ($("$deno_bin" --version | head -n 1))"
"$deno_bin" check --quiet example.ts
step "run the README example in Deno"
start=$(date +%s)
"$deno_bin" run --quiet --allow-read --allow-env --allow-sys --allow-ffi example.ts > deno.out 2> deno.err || { cat deno.err >&2; exit 1; }
grep -q '\[\[Fit\]\] chinchilla' deno.out || { cat deno.out deno.err >&2; echo "pack-check: the Deno run printed no fit report" >&2; exit 1; }
tail -n 1 deno.out
step "Deno run took $(( $(date +%s) - start )) s"
step "ok"
