"""``lrinit-verify bench``: engine throughput as ratios against a naive loop and the matmul rate."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .bench import bench_radii


def _widths(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x]
    except ValueError:
        raise ValueError(f"--widths={text!r} must be a comma-separated list of integers") from None


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="benchmark the spectral Monte Carlo engine")
    p.add_argument("--widths", type=str, default="64,256", help="comma-separated widths (default 64,256)")
    p.add_argument("--trials", type=int, default=100, help="matrices per width (default 100)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def run(args) -> int:
    rows = [bench_radii(n, args.trials, seed=args.seed) for n in _widths(args.widths)]
    table = Table(title=f"spectral radii per second ({args.trials} matrices)")
    cols = ["n", "naive_per_s", "engine_per_s", "speedup_engine_vs_naive", "kostlan_per_s",
            "speedup_kostlan_vs_engine_complex", "engine_fraction_of_matmul_rate", "matmul_gflops"]
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*(f"{r[c]:.4g}" for c in cols))
    Console(width=200).print(table)
    return 0
