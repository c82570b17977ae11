#!/usr/bin/env bash
# Installs what executing the notebooks needs: Debian's Jupyter (nbconvert + client; the Deno kernel
# needs no ipykernel), DejaVu Sans for chart PNGs, and the Deno kernelspec from the npm-installed
# deno binary. Idempotent: installs only what is missing. Run from anywhere after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c 'import nbconvert, jupyter_client' 2>/dev/null || missing+=(jupyter-nbconvert jupyter-client)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The kernelspec names this checkout's deno binary; reinstalling is cheap and keeps it pointing here.
# `deno jupyter --install` looks for a `jupyter` on PATH; Debian's lives under /usr/bin.
PATH="/usr/bin:$PATH" node_modules/.bin/deno jupyter --install --force 2>&1 | grep -v unstable || true
/usr/bin/python3 -m jupyter kernelspec list 2>/dev/null | grep -q '^ *deno ' || { echo "setup-notebooks: deno kernel not installed" >&2; exit 1; }
echo "setup-notebooks: jupyter $(/usr/bin/python3 -c 'import nbconvert; print(nbconvert.__version__)') with the deno kernel is ready"
