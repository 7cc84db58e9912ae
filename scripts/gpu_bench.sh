#!/usr/bin/env bash
# One prepared command for a machine with a CUDA GPU (e.g. the device tool's H200):
#   bash scripts/gpu_bench.sh            # results in $OUT (default ./gpu-out)
# It installs the package beside the machine's CUDA build of torch, runs the gpu-marked tests,
# then `lrinit-verify bench --only torch` (torch CPU vs numpy, and CUDA vs numpy, with the
# trajectory engine's fraction of the GPU's own measured float64 matmul rate), and records the
# machine. Budget: about 5 minutes on an H200 (install ~1 min, tests ~1 min, bench ~3 min).
set -euo pipefail
OUT=${OUT:-$(pwd)/gpu-out}
mkdir -p "$OUT"
VENV=${VENV:-/tmp/lrinit-gpu-venv}
python3 -m venv --system-site-packages "$VENV"   # keeps a preinstalled CUDA torch visible
# shellcheck disable=SC1091
. "$VENV/bin/activate"
if ! python -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    echo "gpu_bench: no CUDA-enabled torch here; installing one from the registry" >&2
    pip install -q torch
fi
pip install -q -e ".[rigorous,test]"
{ nvidia-smi || true; python -c "import torch; print(torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0))"; } \
    >"$OUT/machine.txt" 2>&1
python -m pytest -q -p no:cacheprovider -m gpu tests 2>&1 | tee "$OUT/pytest-gpu.txt"
lrinit-verify bench --quick --only torch --json "$OUT/bench-cuda.json" 2>&1 | tee "$OUT/bench-cuda.txt"
