r"""Timing of the two routes of :mod:`lrinit_verify.theory.frobenius` (bench case (c'), ``lrinit-verify bench``).

The calculator does not import this harness; the numbers one machine gave are in ``docs/performance.md``.
"""

from __future__ import annotations

import time

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify.bench.harness import Spread
from lrinit_verify.sampling.ensembles import sample_batch
from lrinit_verify.theory import frobenius


def _timed_result(fn, repeats: int) -> tuple[dict, object]:
    """Wall time of ``fn()`` over ``repeats`` calls as :class:`Spread` fields, and its last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return Spread.of(times).to_dict(), result


def _blas_threads() -> list[dict]:
    from threadpoolctl import threadpool_info

    return [
        {"api": d.get("internal_api"), "threads": d.get("num_threads")}
        for d in threadpool_info()
        if d.get("user_api") == "blas"
    ]


def bench_frobenius(n=512, T=1024, *, repeats=3, seed=0, threads=None) -> dict:
    r"""Time the direct and eig routes on one real Glorot matrix (entries of variance :math:`1/n`).

    **Arguments:** width ``n``, length ``T``, ``repeats`` timed runs of each route, ``seed``;
    ``threads``: BLAS threads for the whole benchmark (default: as configured; the eig route
    always runs ``eig`` on one thread).

    **Returns:** dict with ``direct_s``, ``eig_s`` (the eig route as ``route="auto"`` runs it,
    squaring check included), ``eig_unchecked_s``, ``eigendecomposition_s`` (``numpy.linalg.eig``
    alone: the floor of the eig route), each ``{"median", "low", "high", "repeats"}`` in seconds; ``ratio``
    (median direct / median eig), ``ratio_unchecked``, ``max_abs_log_diff`` (eig vs direct over all
    :math:`t`), ``cond_V``, ``check_error`` and ``blas`` (the BLAS libraries and their thread counts).

    >>> out = bench_frobenius(32, 64, repeats=1)
    >>> out["max_abs_log_diff"] < 1e-10, out["ratio"] > 0
    (True, True)
    """
    n = v.positive_int("n", n)
    T = v.nonnegative_int("T", T)
    repeats = v.positive_int("repeats", repeats)
    W = sample_batch("glorot", n, 1, seed=v.nonnegative_int("seed", seed))[0]
    if threads is None:
        return _bench(W, T, repeats, seed)
    with frobenius._controller().limit(limits=v.positive_int("threads", threads), user_api="blas"):
        return _bench(W, T, repeats, seed)


def _bench(W: np.ndarray, T: int, repeats: int, seed: int) -> dict:
    """The measurements of :func:`bench_frobenius` on one matrix."""
    n = W.shape[0]
    direct_s, direct = _timed_result(lambda: frobenius.frobenius_log_energy_direct(W, T), repeats)
    eig_s, (fast, info) = _timed_result(lambda: frobenius.frobenius_log_energy_eig(W, T), repeats)
    unchecked_s, _ = _timed_result(lambda: frobenius.frobenius_log_energy_eig(W, T, check=False), repeats)
    with frobenius._controller().limit(limits=1, user_api="blas"):  # as the eig route runs it
        decomposition_s, _ = _timed_result(lambda: np.linalg.eig(W), repeats)
    return {
        "n": n,
        "T": T,
        "repeats": repeats,
        "seed": seed,
        "direct_s": direct_s,
        "eig_s": eig_s,
        "eig_unchecked_s": unchecked_s,
        "eigendecomposition_s": decomposition_s,
        "ratio": direct_s["median"] / eig_s["median"],
        "ratio_unchecked": direct_s["median"] / unchecked_s["median"],
        "max_abs_log_diff": float(np.max(np.abs(direct - fast))),
        "cond_V": info["cond_V"],
        "check_error": info["check_error"],
        "blas": _blas_threads(),
    }
