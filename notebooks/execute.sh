#!/usr/bin/env bash
# Executes notebooks in place with the Deno kernel, saving their outputs (charts included).
# Needs .ci/setup-notebooks.sh once.   notebooks/execute.sh [name.ipynb ...]
set -euo pipefail
cd "$(dirname "$0")"
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(*.ipynb)
for nb in "${files[@]}"; do
  echo "executing $nb" >&2
  /usr/bin/python3 -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 "$nb"
done
