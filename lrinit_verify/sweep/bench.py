r"""Benchmark of the Dask sweep: scaling from one worker process to two, and overhead per task.

The grid is ``tasks`` eigenvalue tasks of real Glorot at :math:`n = 256`, ``chunk_trials`` matrices each
(spectral radii). Three timings per repeat, interleaved so that drifts of the machine load cancel:

* serial in-process :func:`~lrinit_verify.sweep.runner.run` (the compute alone, plus the writes);
* a ``LocalCluster`` of one worker process, and one of two (1 thread, 1 BLAS thread each), as the
  sweep starts them (:func:`~lrinit_verify.sweep.cluster.local_cluster`, the sweep's Dask
  settings), started and warmed up (imports) before the clock starts.

Figures: the speed-up ``t(1 worker) / t(2 workers)`` (target at least 1.8 on 2 idle cores; also
``t(serial) / t(2 workers)`` in the row's detail, which the one-worker overhead does not flatter) and the
scheduling overhead per task ``(t(1 worker) - t(serial)) / tasks``, also as a fraction of the
serial seconds per task (target a few per cent). Each run includes the client's connection and
the cluster version check. A second, direct estimate of the overhead: seconds per task of
``tiny_tasks`` tasks of one :math:`2 \times 2` matrix (no compute to speak of) on one worker, and serially
(there: the Parquet write and bookkeeping alone). ``sweep_rows`` returns :class:`~lrinit_verify.bench.harness.Row` for
``lrinit-verify bench``.
"""

from __future__ import annotations

import tempfile
import time

from lrinit_verify import _validate as v
from lrinit_verify.bench.harness import Row, Spread
from lrinit_verify.sweep.cluster import local_cluster
from lrinit_verify.sweep.runner import run

TARGET_SPEEDUP = 1.8
TARGET_OVERHEAD = 0.03


def bench_grid(tasks: int, chunk_trials: int, n: int = 256) -> dict:
    """``tasks`` spectral-radius tasks of ``chunk_trials`` real Glorot matrices of width ``n``."""
    return {
        "seed": 0,
        "chunk_trials": chunk_trials,
        "grid": [
            {
                "ensembles": [{"initialiser": "glorot"}],
                "widths": [n],
                "statistics": ["spectral_radius"],
                "trials": tasks * chunk_trials,
            }
        ],
    }


def _warm_cluster(workers: int):
    from distributed import Client

    cluster = local_cluster(workers)
    with Client(cluster) as client:
        client.wait_for_workers(workers)
        client.run(__import__, "lrinit_verify.sweep.tasks")
    return cluster


def _timed_run(grid, **kwargs) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run(grid, out, resume=False, progress=False, **kwargs)
        seconds = time.perf_counter() - start
    if not result.ok:
        raise RuntimeError(f"benchmark sweep failed: {result.failed}")
    return seconds


def sweep_scaling(
    *, tasks: int = 32, chunk_trials: int = 16, n: int = 256, repeats: int = 3, tiny_tasks: int = 64
) -> dict:
    """Seconds of the serial, 1-worker and 2-worker runs per repeat; speed-up and overhead as :class:`Spread`."""
    tasks = v.positive_int("tasks", tasks)
    repeats = v.positive_int("repeats", repeats)
    grid = bench_grid(tasks, v.positive_int("chunk_trials", chunk_trials), v.positive_int("n", n))
    one, two = _warm_cluster(1), _warm_cluster(2)
    try:
        _timed_run(bench_grid(2, 1, n), scheduler=one.scheduler_address)  # first-task costs
        _timed_run(bench_grid(2, 1, n), scheduler=two.scheduler_address)
        tiny = bench_grid(tiny_tasks, 1, 2)
        tiny_s = [
            (_timed_run(tiny), _timed_run(tiny, scheduler=one.scheduler_address)) for _ in range(repeats)
        ]
        times = [
            (
                _timed_run(grid),
                _timed_run(grid, scheduler=one.scheduler_address),
                _timed_run(grid, scheduler=two.scheduler_address),
            )
            for _ in range(repeats)
        ]
    finally:
        one.close()
        two.close()
    return {
        "tasks": tasks,
        "chunk_trials": chunk_trials,
        "n": n,
        "serial_s": Spread.of(s for s, _, _ in times),
        "one_worker_s": Spread.of(a for _, a, _ in times),
        "two_workers_s": Spread.of(b for _, _, b in times),
        "speedup": Spread.of(a / b for _, a, b in times),
        "speedup_vs_serial": Spread.of(s / b for s, _, b in times),
        "overhead_per_task_s": Spread.of((a - s) / tasks for s, a, _ in times),
        "overhead_fraction": Spread.of((a - s) / s for s, a, _ in times),
        "tiny_tasks": tiny_tasks,
        "tiny_serial_per_task_s": Spread.of(s / tiny_tasks for s, _ in tiny_s),
        "tiny_one_worker_per_task_s": Spread.of(a / tiny_tasks for _, a in tiny_s),
    }


def sweep_rows(cfg: dict | None = None, seed: int = 0) -> list[Row]:
    """The ``sweep`` section of ``lrinit-verify bench`` (``cfg`` may set ``sweep_tasks``,
    ``sweep_chunk_trials``, ``repeats``); ``seed`` is unused (the grid's seed is fixed)."""
    cfg = cfg or {}
    r = sweep_scaling(
        tasks=cfg.get("sweep_tasks", 32),
        tiny_tasks=cfg.get("sweep_tiny_tasks", 64),
        chunk_trials=cfg.get("sweep_chunk_trials", 16),
        repeats=cfg.get("repeats", 3),
    )
    detail = {
        "tasks": r["tasks"],
        "chunk_trials": r["chunk_trials"],
        "n": r["n"],
        "serial_s": r["serial_s"].to_dict(),
        "speedup_vs_serial": r["speedup_vs_serial"].to_dict(),
        "overhead_per_task_s": r["overhead_per_task_s"].to_dict(),
        "tiny_serial_per_task_s": r["tiny_serial_per_task_s"].to_dict(),
        "tiny_one_worker_per_task_s": r["tiny_one_worker_per_task_s"].to_dict(),
    }
    return [
        Row(
            "sweep",
            f"2 vs 1 worker processes, {r['tasks']} eigen tasks n={r['n']}",
            f"{r['two_workers_s'].text()} s",
            f"{r['one_worker_s'].text()} s (1 worker)",
            r["speedup"],
            target=TARGET_SPEEDUP,
            detail=detail,
        ),
        Row(
            "sweep",
            "scheduling overhead per task (1 worker vs serial)",
            f"{r['overhead_per_task_s'].text('.3f')} s/task",
            f"{r['serial_s'].text()} s serial",
            r["overhead_fraction"],
            unit="fraction",
            target=TARGET_OVERHEAD,
            target_kind="at_most",
            detail=detail,
        ),
    ]
