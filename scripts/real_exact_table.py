r"""Exact table of the real Glorot spectral-radius law (Sinclair's Pfaffian, lrinit_verify.theory.real_law).

For each width $n$ it records $P(\rho(W) > 1)$, the quantile $s_n$ at the paper's nominal level
$\exp(-e^{-x^*}) \approx 0.856$ (``rescale.NOMINAL_PROBABILITY``), and for $n \ge 164$ the achieved
$P(\rho(c_n W) \le 1)$ with the paper's factor $c_n$ (``edge.rescale_factor``), real (exact Pfaffian)
and complex (Kostlan), with the wall time of each row. Every row is stamped with method and ``tol``;
``accuracy_probe`` is the relative change of $P(\rho \le 1)$ when ``tol`` is tightened to 1e-15
(a refinement check, not a bound).

Nothing is shipped from this: :func:`lrinit_verify.theory.rescale.calibrated_scale` computes real quantiles
on demand (cached). Reproduce (about 10 minutes on one shared core, most of it at $n \ge 32768$)::

    OMP_NUM_THREADS=1 python scripts/real_exact_table.py --out real_exact_table.json
    python scripts/real_exact_table.py --widths 8 9 64 65 --no-probe
"""

from __future__ import annotations

import argparse
import json
import math
import time

from lrinit_verify.theory import edge
from lrinit_verify.theory.real_law import DEFAULT_TOL, real_log_radius_cdf, real_radius_quantile
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY

WIDTHS = [
    2,
    3,
    4,
    8,
    9,
    16,
    17,
    32,
    33,
    64,
    65,
    128,
    129,
    164,
    256,
    257,
    512,
    513,
    1024,
    1025,
    2048,
    4096,
    4097,
    8192,
    16384,
    32768,
    65536,
]


def row(n: int, tol: float, probe: bool) -> dict:
    start = time.perf_counter()
    log_f1 = real_log_radius_cdf(1.0, n, tol=tol)
    t_cdf = time.perf_counter() - start
    out = {"n": n, "p_exceeds_1": -math.expm1(log_f1), "log_cdf_1": log_f1, "seconds_cdf": round(t_cdf, 3)}
    start = time.perf_counter()
    out["quantile_nominal"] = real_radius_quantile(NOMINAL_PROBABILITY, n, tol=tol)
    out["seconds_quantile"] = round(time.perf_counter() - start, 3)
    if n >= edge.FIRST_DEFINED_WIDTH:
        c = edge.rescale_factor(n)
        out["paper_factor"] = c
        out["achieved_real"] = math.exp(real_log_radius_cdf(1.0 / c, n, tol=tol))
        out["achieved_complex"] = edge.spectral_radius_cdf(1.0 / c, n)
    if probe:
        out["accuracy_probe"] = abs(math.expm1(real_log_radius_cdf(1.0, n, tol=1e-15) - log_f1))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--widths", type=int, nargs="+", default=WIDTHS)
    parser.add_argument("--tol", type=float, default=DEFAULT_TOL)
    parser.add_argument("--no-probe", action="store_true", help="skip the tol=1e-15 refinement check")
    parser.add_argument("--out", default=None, help="write JSON here (default: print only)")
    args = parser.parse_args(argv)
    rows = []
    for n in args.widths:
        rows.append(row(n, args.tol, not args.no_probe))
        print(json.dumps(rows[-1]), flush=True)
    if args.out:
        meta = {
            "method": "Sinclair Pfaffian, trailing block (lrinit_verify.theory.real_law)",
            "tol": args.tol,
            "nominal_probability": NOMINAL_PROBABILITY,
            "rows": rows,
        }
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
