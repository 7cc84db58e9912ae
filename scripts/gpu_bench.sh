#!/usr/bin/env bash
# One prepared command for a machine with a CUDA GPU (e.g. the device tool's H200):
#   bash scripts/gpu_bench.sh            # results in $OUT (default ./gpu-out)
# Runs the gpu-marked tests, then `lrinit-verify bench --quick --only torch`: torch CPU vs numpy,
# and CUDA vs numpy with the trajectory engine's fraction of the GPU's own measured float64
# matmul rate (`torch.matmul`, n = 4096), and records the machine.
# Nothing is installed: the device image has no network, and it already holds numpy, scipy, sympy,
# mpmath, threadpoolctl, rich, hypothesis, pytest and a CUDA torch. The package runs from the
# checkout (PYTHONPATH) and its pytest plugin is loaded with -p. Budget: about 4 minutes on an H200.
set -uo pipefail
OUT=${OUT:-$(pwd)/gpu-out}
mkdir -p "$OUT"
PY=${PY:-python3}
export PYTHONPATH="$(pwd)${PYTHONPATH:+:$PYTHONPATH}"
{
    nvidia-smi || true
    "$PY" - <<'PYEOF'
import importlib
for name in ("numpy", "scipy", "sympy", "mpmath", "threadpoolctl", "rich", "hypothesis", "pytest", "flint"):
    try:
        print(name, getattr(importlib.import_module(name), "__version__", "?"))
    except ImportError as exc:
        print(name, "MISSING:", exc)
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
if torch.cuda.is_available():
    print(torch.cuda.get_device_name(0))
PYEOF
} >"$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"
# The pytest plugin is registered by entry point when the package is installed; load it by hand otherwise.
PLUGIN=(-p lrinit_verify.rigor.pytest_plugin)
if "$PY" -c "import importlib.metadata as m, sys; sys.exit(0 if any(e.value.startswith('lrinit_verify') for e in m.entry_points(group='pytest11')) else 1)"; then
    PLUGIN=()
fi
"$PY" -m pytest -q -p no:cacheprovider "${PLUGIN[@]}" -m gpu tests 2>&1 | tee "$OUT/pytest-gpu.txt"
"$PY" -m lrinit_verify bench --quick --only torch --json "$OUT/bench-cuda.json" 2>&1 | tee "$OUT/bench-cuda.txt"
