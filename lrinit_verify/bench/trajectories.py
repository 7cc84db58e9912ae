r"""Bench section (c) ``trajectories``: :math:`\log\|W^k x\|^2` by the engine against the loops a user
would write (one matrix–vector product per probe and step, or one ``W @ X`` per step), and the engine's
dense route as a fraction of the matmul rate measured in the same run.
"""

from __future__ import annotations

import math

import numpy as np

from lrinit_verify.bench.harness import Row, Spread, paired, time_repeats
from lrinit_verify.montecarlo.trajectories import (
    energy_trajectories,
    resolve_route as resolve_trajectory_route,
)


def _naive_trajectory(w: np.ndarray, x: np.ndarray, t: int) -> np.ndarray:
    """What a user writes: for each probe, t matrix–vector steps with a renormalisation each."""
    out = np.empty((x.shape[1], t + 1))
    for j in range(x.shape[1]):
        v = x[:, j] / np.linalg.norm(x[:, j])
        acc = 0.0
        out[j, 0] = 0.0
        for k in range(1, t + 1):
            v = w @ v
            sq = float(v @ v)
            acc += math.log(sq)
            v /= math.sqrt(sq)
            out[j, k] = acc
    return out


def _stacked_trajectory(w: np.ndarray, x: np.ndarray, t: int) -> np.ndarray:
    """What a careful user writes: all probes as one matrix, one product and renormalisation per step."""
    x = x / np.linalg.norm(x, axis=0)
    out = np.zeros((x.shape[1], t + 1))
    for k in range(1, t + 1):
        x = w @ x
        nrm = np.linalg.norm(x, axis=0)
        out[:, k] = out[:, k - 1] + 2 * np.log(nrm)
        x /= nrm
    return out


def trajectories(
    cfg: dict, seed: int, gflops: Spread, n: int = 512, t: int = 1024, probes: int = 64
) -> list[Row]:
    """(c): the engine as it runs by default (``route="auto"``: the Hessenberg model for Glorot,
    a triangular product per step) against the naive loops, and its dense route (direct
    products, one GEMM per step) as a fraction of the measured matmul rate."""
    m, few = cfg["traj_matrices"], cfg["naive_probes"]
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n, n)) / math.sqrt(n)
    x = rng.standard_normal((n, probes))
    steps = m * probes * t  # probe-steps done by the engine per call
    route = resolve_trajectory_route("auto", "glorot", n, trials=m)

    def engine(route="auto"):
        return lambda: energy_trajectories(n, t, m, probes=probes, seed=seed, route=route)

    tool, base, gain = paired(
        engine(),
        lambda: _naive_trajectory(w, x[:, :few], t),
        cfg["repeats"],
        toolkit_items=steps,
        baseline_items=few * t,
    )
    _, stacked, gain_stacked = paired(
        engine(),
        lambda: _stacked_trajectory(w, x, t),
        cfg["repeats"],
        toolkit_items=steps,
        baseline_items=probes * t,
    )
    dense = time_repeats(engine("dense"), cfg["repeats"]).map(lambda s: steps * 2.0 * n * n / s / 1e9)
    effective = tool.map(lambda r: r * 2.0 * n * n / 1e9)  # dense-equivalent GFLOP/s
    case = f"trajectories n={n} t={t} p={probes} ({m} matrices)"
    rows = [
        Row(
            "c",
            case,
            f"{tool.text()} probe-steps/s (route={route})",
            f"{base.text()} (per-probe matvec loop)",
            gain,
            target=5.0,
        ),
        Row(
            "c",
            case,
            f"{tool.text()} probe-steps/s (route={route})",
            f"{stacked.text()} (stacked W@X loop)",
            gain_stacked,
        ),
        Row(
            "c",
            "direct products (route=dense) / matmul rate",
            f"{dense.text()} GFLOP/s",
            f"{gflops.text()} GFLOP/s (np.matmul n=1024)",
            dense.map(lambda g: g / gflops.median),
            unit="fraction",
            target=0.7,
        ),
    ]
    if route == "hessenberg":
        actual = effective.map(lambda g: g / 2)  # ?trmm does n^2 p flops per step, not 2 n^2 p
        rows.append(
            Row(
                "c",
                "Hessenberg route: dense-equivalent rate / matmul rate",
                f"{effective.text()} GFLOP/s dense-equivalent ({actual.text()} actual)",
                f"{gflops.text()} GFLOP/s",
                effective.map(lambda g: g / gflops.median),
                unit="fraction",
            )
        )
    return rows
