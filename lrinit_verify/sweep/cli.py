"""``lrinit-verify sweep GRID.toml --out DIR``: run a Monte Carlo grid serially or on Dask.

Exit status: 0 when every task is done, 1 when some task failed (recorded in the manifest), 2 for
bad input (a grid key, an option, a cluster whose versions differ) in one line, before any work.
"""

from __future__ import annotations

import argparse
import sys

from lrinit_verify.cli._args import nonnegative_int, positive_int


def add_parser(sub) -> None:
    p = sub.add_parser("sweep", help="run a Monte Carlo grid (serial, local processes or a Dask cluster)")
    p.add_argument("grid", metavar="GRID.toml", help="grid file (see docs/sweep.md)")
    p.add_argument("--out", metavar="DIR", required=True, help="results: Parquet parts + manifest.json")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.1:8786")
    where.add_argument(
        "--workers",
        type=positive_int,
        metavar="K",
        help="start a local cluster of K worker processes (default: run serially)",
    )
    p.add_argument(
        "--threads-per-worker",
        type=positive_int,
        default=1,
        metavar="T",
        help="threads per local worker process (default 1; BLAS gets one thread each)",
    )
    p.add_argument(
        "--chunk-trials",
        type=positive_int,
        metavar="N",
        help="trials per task (default: the grid file's chunk_trials, else 256)",
    )
    p.add_argument("--seed", type=nonnegative_int, help="root seed (default: the grid file's seed, else 0)")
    p.add_argument(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="skip tasks whose part exists (default) or recompute everything",
    )
    p.set_defaults(func=run_sweep)


def run_sweep(args) -> int:
    from lrinit_verify.sweep.runner import run

    result = run(
        args.grid,
        args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        threads_per_worker=args.threads_per_worker,
        chunk_trials=args.chunk_trials,
        seed=args.seed,
        resume=args.resume,
    )
    print(
        f"sweep: {result.done} tasks done, {result.skipped} already done, {len(result.failed)} failed "
        f"in {result.seconds:.1f} s; results in {result.out} (lrinit_verify.sweep.load)",
        file=sys.stderr,
    )
    for ident in result.failed:
        print(f"sweep: failed {ident} (see manifest.json)", file=sys.stderr)
    return 0 if result.ok else 1
