r"""Generate ``lrinit_verify/data/real_calibration.json``: Monte Carlo quantiles of $\rho(W)$, real Glorot.

The exact finite-$n$ law is Sinclair's Pfaffian (:mod:`lrinit_verify.theory.real_law`; derivation
``proofs/real.py``, page ``real-pfaffian-law``), and :func:`lrinit_verify.theory.rescale.calibrated_scale`
with ``field="real"`` inverts it at every width. This Monte Carlo file is kept as an **independent
witness** of that law (tests/test_real_law.py checks that its intervals contain the exact quantiles);
it is not used to compute any calibrated factor.
For each width $n$ it draws ``trials`` real Glorot matrices (entries $N(0, 1/n)$) with
:func:`lrinit_verify.montecarlo.simulate.spectral_radii`, child $i$ of ``SeedSequence(SEED)`` for width $i$,
and records for every level $p$ the empirical quantile and its distribution-free order-statistic
interval (pointwise confidence $1 - \alpha$, :func:`lrinit_verify.rigor.stats.order_statistic_interval`).

Reproduce (about 5 CPU-minutes; 12 min wall on the shared 2-core machine when it was generated)::

    python scripts/calibrate_real.py            # writes the shipped file
    python scripts/calibrate_real.py --out other.json --workers 4

The output depends only on the seed, widths, trials and the numpy/LAPACK build.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import platform
import time

import numpy as np

from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.rigor.stats import order_statistic_interval
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY

SEED = 20250527
ALPHA = 0.01
#: width -> number of matrices (cost grows like n^3).
TRIALS = {8: 20000, 16: 20000, 32: 20000, 64: 16000, 128: 8000, 256: 3000, 512: 600}
LEVELS = sorted({round(0.02 * k, 2) for k in range(1, 50)} | {0.99, NOMINAL_PROBABILITY})
DEFAULT_OUT = pathlib.Path(__file__).resolve().parents[1] / "lrinit_verify" / "data" / "real_calibration.json"


def _finite(x: float):
    return x if math.isfinite(x) else None


def calibrate(trials=TRIALS, *, seed=SEED, alpha=ALPHA, workers=None) -> dict:
    children = np.random.SeedSequence(seed).spawn(len(trials))
    records = []
    started = time.perf_counter()
    for child, (n, m) in zip(children, sorted(trials.items())):
        t0 = time.perf_counter()
        radii = spectral_radii(
            n, m, field="real", rng=np.random.default_rng(child), workers=workers, route="eigvals"
        )
        rows = [order_statistic_interval(radii, p, alpha=alpha) for p in LEVELS]
        records.append(
            {
                "n": n,
                "trials": m,
                "quantile": [q for q, _, _ in rows],
                "lower": [_finite(lo) for _, lo, _ in rows],
                "upper": [_finite(hi) for _, _, hi in rows],
            }
        )
        print(
            f"n={n:5d} trials={m:6d} median={rows[LEVELS.index(0.5)][0]:.5f} "
            f"({time.perf_counter() - t0:.1f}s)",
            flush=True,
        )
    widths = sorted(trials)
    return {
        "description": "Monte Carlo quantiles of the spectral radius of real Glorot matrices "
        "(entries N(0, 1/n)); quantile = empirical order statistic X_(ceil(m p)); "
        "[lower, upper] = order-statistic interval, pointwise confidence 1 - alpha "
        "(null: no order statistic reaches that end)",
        "script": "scripts/calibrate_real.py",
        "seed": seed,
        "alpha": alpha,
        "levels": LEVELS,
        "valid": {"n_min": widths[0], "n_max": widths[-1], "p_min": LEVELS[0], "p_max": LEVELS[-1]},
        "interpolation": "ratio to the exact complex quantile, linear in (log n, p)",
        "numpy": np.__version__,
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - started, 1),
        "widths": records,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    data = calibrate(seed=args.seed, workers=args.workers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {data['seconds']}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
