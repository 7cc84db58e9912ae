r"""Benchmarks of the Monte Carlo engine, as ratios rather than raw seconds.

Each benchmark reports the engine's rate against (i) the naive approach a user would write
(a Python loop of ``np.linalg.eigvals`` per matrix with the default BLAS threading) and (ii) the
machine's own measured matmul rate, so numbers mean something across machines.

Example:
    >>> row = bench_radii(16, 50, seed=0)
    >>> row["n"], row["speedup_kostlan_vs_engine_complex"] > 1
    (16, True)
"""

from __future__ import annotations

import time

import numpy as np

from . import _validate as v
from .edge import sample_radius_kostlan
from .ensembles import sample_batch
from .simulate import spectral_radii


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def matmul_gflops(n: int = 512, repeats: int = 3, *, seed: int = 0) -> float:
    """Measured float64 matmul rate of this machine in GFLOP/s (best of ``repeats``)."""
    n = v.positive_int("n", n)
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    best = min(_timed(np.matmul, a, b) for _ in range(v.positive_int("repeats", repeats)))
    return 2.0 * n**3 / best / 1e9


def _naive_radii(n, trials, seed):
    """What a user would write: one matrix at a time, default BLAS threads."""
    rng = np.random.default_rng(seed)
    return [np.abs(np.linalg.eigvals(rng.standard_normal((n, n)) / np.sqrt(n))).max() for _ in range(trials)]


def bench_radii(n, trials, *, seed=0) -> dict:
    """Spectral radii per second: naive loop, batched engine, exact Kostlan sampler (complex).

    Also reports the engine's effective rate in GFLOP/s using the usual $\\approx 10 n^3$ flop
    count of a nonsymmetric eigenvalue computation, as a fraction of the measured matmul rate.
    """
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    naive = _timed(_naive_radii, n, trials, seed)
    engine = _timed(spectral_radii, n, trials, field="real", seed=seed)
    engine_c = _timed(spectral_radii, n, trials, field="complex", seed=seed)
    kostlan = _timed(sample_radius_kostlan, n, trials, seed=seed)
    sampling = _timed(sample_batch, "glorot", n, trials, seed=seed)
    gflops = matmul_gflops()
    return {
        "n": n,
        "trials": trials,
        "naive_per_s": trials / naive,
        "engine_per_s": trials / engine,
        "engine_complex_per_s": trials / engine_c,
        "kostlan_per_s": trials / kostlan,
        "speedup_engine_vs_naive": naive / engine,
        "speedup_kostlan_vs_engine_complex": engine_c / kostlan,
        "sampling_share": sampling / engine,
        "matmul_gflops": gflops,
        "engine_fraction_of_matmul_rate": 10.0 * n**3 * trials / engine / 1e9 / gflops,
    }
