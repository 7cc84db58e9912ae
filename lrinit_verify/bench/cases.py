r"""The cases of ``lrinit-verify bench``, each the toolkit against what a user would write.

* (a) ``radii``: spectral radii of real Glorot, the engine (:func:`~lrinit_verify.montecarlo.simulate.spectral_radii`,
  Hessenberg model + ``?hseqr``, one BLAS thread per worker) vs a loop of ``numpy.linalg.eigvals``
  with default threading. Target ≥ 2× at n = 256.
* (b) ``kostlan``: complex Glorot radii, the exact O(n) Kostlan sampler vs batched eigenvalues.
  Target ≥ 1000× at n = 512.
* (c) ``trajectories``: :math:`\log\|W^k x\|^2`, n = 512, t = 1024, 64 probes per matrix, vs a per-probe,
  per-step matrix–vector loop; and as a fraction of the matmul rate measured in the same run.
  Targets ≥ 5× and ≥ 0.7.
* (c') ``frobenius``: :math:`\|W^t\|_F^2/n` for all t ≤ T by eigendecomposition vs direct products.
  Target ≥ 20× at T = 1024.
* (d) ``exact``: :func:`~lrinit_verify.theory.energy.log_energy` at (10⁸, 10⁶) (target under 50 ms) and
  :func:`~lrinit_verify.theory.energy.energy_exact` at large (n, t).
* (e) ``certified``: certified spectral-radius enclosure (python-flint) vs mpmath ``eig``.
* (f) ``torch``: torch CPU against numpy for (a) and (c); CUDA for both when a GPU is present,
  with the fraction of the GPU's own measured float64 matmul rate.
* (g) ``exact_radii``: radii per second by route (exact law, Hessenberg, dense), complex and real,
  n = 64 … 4096, the real table's build amortised over 10⁴ draws (:mod:`lrinit_verify.bench.exact_radii`).

(a), (b) and (f) time eigenvalue routes (``route="eigvals"``), not the exact law.

Every case returns a list of :class:`~lrinit_verify.bench.harness.Row`.
"""

from __future__ import annotations

import math
import time

import numpy as np

from lrinit_verify.bench.exact_radii import exact_radii
from lrinit_verify.bench.harness import Row, Spread, paired, time_repeats, timed
from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.montecarlo.trajectories import (
    energy_trajectories,
    resolve_route as resolve_trajectory_route,
)
from lrinit_verify.theory.edge import sample_radius_kostlan

SECTIONS = (
    "radii",
    "kostlan",
    "trajectories",
    "frobenius",
    "exact",
    "certified",
    "torch",
    "exact_radii",
    "sweep",
)

#: Sizes per profile: ``quick`` keeps the whole run under two minutes on 2 cores.
PROFILES = {
    "quick": dict(
        repeats=3,
        radii_trials={64: 400, 256: 24, 512: 6},
        kostlan_eig=4,
        kostlan_draws=20000,
        traj_matrices=2,
        naive_probes=4,
        frob_T=(1024,),
        cert_n=(32,),
        exact_repeats=20,
        torch_cpu_traj=(256, 256, 16),
        sweep_tasks=8,
        sweep_tiny_tasks=16,
        exact_widths=(64, 512, 4096),
        exact_eig={64: 100, 512: 2},
        exact_draws=10000,
        amortise_draws=10000,
    ),
    "full": dict(
        repeats=5,
        radii_trials={64: 800, 256: 80, 512: 16},
        kostlan_eig=8,
        kostlan_draws=100000,
        traj_matrices=4,
        naive_probes=8,
        frob_T=(1024, 4096),
        cert_n=(32, 64),
        exact_repeats=50,
        torch_cpu_traj=(512, 1024, 64),
        sweep_tasks=32,
        sweep_tiny_tasks=64,
        exact_widths=(64, 256, 1024, 4096),
        exact_eig={64: 400, 256: 16, 1024: 2, 4096: 1},
        exact_draws=100000,
        amortise_draws=10000,
    ),
}


def _naive_radii(n: int, trials: int, rng: np.random.Generator) -> list:
    """What a user writes: one matrix at a time, ``numpy.linalg.eigvals``, default BLAS threads."""
    return [
        np.abs(np.linalg.eigvals(rng.standard_normal((n, n)) / math.sqrt(n))).max() for _ in range(trials)
    ]


def _radii_row(n: int, trials: int, repeats: int, seed: int) -> Row:
    rng = np.random.default_rng(seed)
    tool, base, gain = paired(
        lambda: spectral_radii(n, trials, seed=seed, route="eigvals"),
        lambda: _naive_radii(n, trials, rng),
        repeats,
        toolkit_items=trials,
        baseline_items=trials,
    )
    return Row(
        "a",
        f"real radii n={n}",
        f"{tool.text()} /s",
        f"{base.text()} /s (naive eigvals loop)",
        gain,
        target=2.0 if n == 256 else None,
        detail={"trials": trials},
    )


def radii(cfg: dict, seed: int) -> list[Row]:
    return [_radii_row(n, trials, cfg["repeats"], seed) for n, trials in cfg["radii_trials"].items()]


def kostlan(cfg: dict, seed: int, n: int = 512) -> list[Row]:
    eig_n, draws = cfg["kostlan_eig"], cfg["kostlan_draws"]
    tool, base, gain = paired(
        lambda: sample_radius_kostlan(n, draws, seed=seed),
        lambda: spectral_radii(n, eig_n, field="complex", seed=seed, route="eigvals"),
        cfg["repeats"],
        toolkit_items=draws,
        baseline_items=eig_n,
    )
    return [
        Row(
            "b",
            f"complex radii n={n}",
            f"{tool.text()} /s (Kostlan)",
            f"{base.text()} /s (batched eig)",
            gain,
            target=1000.0,
        )
    ]


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


def frobenius(cfg: dict, seed: int, n: int = 512) -> list[Row]:
    from lrinit_verify.bench.frobenius import bench_frobenius

    rows = []
    repeats = max(1, cfg["repeats"] - 1)
    for T in cfg["frob_T"]:
        r = bench_frobenius(n, T, repeats=repeats, seed=seed)
        eig, direct = Spread(**r["eig_s"]), Spread(**r["direct_s"])
        ratio = Spread(r["ratio"], direct.low / eig.high, direct.high / eig.low, repeats)
        rows.append(
            Row(
                "c'",
                f"||W^t||_F^2/n, all t<={T}, n={n}",
                f"{eig.text()} s (eig route, checked)",
                f"{direct.text()} s (direct products)",
                ratio,
                target=20.0,
                detail={
                    "max_abs_log_diff": r["max_abs_log_diff"],
                    "cond_V": r["cond_V"],
                    "eigendecomposition_s": r["eigendecomposition_s"],
                },
            )
        )
    return rows


def exact(cfg: dict, seed: int) -> list[Row]:
    from lrinit_verify.theory.energy import energy_exact, log_energy, log_energy_mp

    reps = cfg["exact_repeats"]
    calls = iter(range(10**6, 10**6 + 10 * reps))  # new arguments each call: nothing is cached
    fast = time_repeats(lambda: log_energy(10**8, next(calls)), reps)
    mp = time_repeats(lambda: log_energy_mp(10**8, 10**6), 3)
    ex = time_repeats(lambda: energy_exact(10**8, 3000), 3)
    return [
        Row(
            "d",
            "log_energy(10^8, 10^6)",
            f"{fast.text()} s",
            f"{mp.text()} s (log_energy_mp, 50 digits)",
            fast,
            unit="s",
            target=0.05,
            target_kind="at_most",
        ),
        Row("d", "energy_exact(10^8, 3000) (exact rational)", f"{ex.text()} s", "-", ex, unit="s"),
    ]


def certified(cfg: dict, seed: int) -> list[Row]:
    from lrinit_verify.rigor import certify

    if not certify.available():
        return [Row("e", "certified radius", "python-flint not installed (extra 'rigorous')", "-", None)]
    import mpmath

    rows = []
    for n in cfg["cert_n"]:
        w = np.random.default_rng(seed).standard_normal((n, n)) / math.sqrt(n)
        a = mpmath.matrix(w.tolist())
        tool, base, gain = paired(
            lambda w=w: certify.certify_spectral_radius(w),
            lambda a=a: mpmath.eig(a, left=False, right=False),
            2,
        )
        seconds = tool.map(lambda r: 1 / r), base.map(lambda r: 1 / r)
        rows.append(
            Row(
                "e",
                f"certified radius n={n}",
                f"{seconds[0].text()} s (flint enclosure)",
                f"{seconds[1].text()} s (mpmath eig, 15 digits, no bound)",
                gain,
            )
        )
    return rows


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def torch_cases(cfg: dict, seed: int, device: str = "cpu", gflops: Spread | None = None) -> list[Row]:
    """(f) torch on ``device`` against the numpy engine for (a) and (c)."""
    if not _torch_available():
        return [Row("f", "torch", "torch not installed (extra 'torch')", "-", None)]
    rows = []
    gpu = not device.startswith("cpu")
    # A GPU needs many matrices per call to be busy; the numpy side does the same work.
    n, trials = 256, cfg["radii_trials"][256] * (8 if gpu else 1)
    tool, base, gain = paired(
        lambda: spectral_radii(n, trials, seed=seed, backend="torch", device=device),
        lambda: spectral_radii(n, trials, seed=seed, route="eigvals"),
        cfg["repeats"],
        toolkit_items=trials,
        baseline_items=trials,
    )
    rows.append(
        Row(
            "f",
            f"real radii n={n} torch[{device}]",
            f"{tool.text()} /s",
            f"{base.text()} /s (numpy engine)",
            gain,
            detail={"trials": trials},
        )
    )
    # On the CPU torch is a cross-check, not the fast path: the quick profile keeps it short.
    n, t, probes = (512, 1024, 64) if gpu else cfg["torch_cpu_traj"]
    m = cfg["traj_matrices"] * (32 if gpu else 1)
    steps = m * probes * t
    tool, base, gain = paired(
        lambda: energy_trajectories(n, t, m, probes=probes, seed=seed, backend="torch", device=device),
        lambda: energy_trajectories(n, t, m, probes=probes, seed=seed),
        cfg["repeats"],
        toolkit_items=steps,
        baseline_items=steps,
    )
    rows.append(
        Row(
            "f",
            f"trajectories n={n} t={t} p={probes} torch[{device}]",
            f"{tool.text()} probe-steps/s",
            f"{base.text()} probe-steps/s (numpy engine)",
            gain,
        )
    )
    if gflops is not None:
        rate = tool.map(lambda r: r * 2.0 * n * n / 1e9)
        rows.append(
            Row(
                "f",
                f"trajectories torch[{device}] / {device} matmul rate",
                f"{rate.text()} GFLOP/s",
                f"{gflops.text()} GFLOP/s (torch.matmul float64)",
                rate.map(lambda g: g / gflops.median),
                unit="fraction",
            )
        )
    return rows


def torch_matmul_gflops(device: str, n: int = 4096, repeats: int = 5) -> Spread:
    """Float64 matmul rate of torch on ``device`` (GFLOP/s), synchronised for CUDA."""
    import torch

    g = torch.Generator(device=device).manual_seed(0)
    a = torch.randn(n, n, dtype=torch.float64, device=device, generator=g)
    b = torch.randn(n, n, dtype=torch.float64, device=device, generator=g)

    def run():
        torch.matmul(a, b)
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    run()
    return time_repeats(run, repeats).map(lambda s: 2.0 * n**3 / s / 1e9)


def run_bench(profile: str = "full", *, sections=SECTIONS, seed: int = 0, progress=None) -> dict:
    """Run the chosen ``sections`` at ``profile`` size; the report as a JSON-ready dict.

    ``progress(section, seconds, rows)`` is called before each section (``seconds`` and ``rows``
    ``None``) and after it (its wall time and its rows, one per case). CUDA rows are added to ``torch``
    when torch sees a GPU.
    """
    from lrinit_verify import _validate as v
    from lrinit_verify.bench.harness import machine, matmul_gflops

    v.choice("profile", profile, tuple(PROFILES))
    for s in sections:
        v.choice("section", s, SECTIONS)
    seed = v.nonnegative_int("seed", seed)
    cfg = PROFILES[profile]
    gflops = matmul_gflops(1024, cfg["repeats"])
    rows: list[Row] = []
    cases = {
        "radii": lambda: radii(cfg, seed),
        "kostlan": lambda: kostlan(cfg, seed),
        "trajectories": lambda: trajectories(cfg, seed, gflops),
        "frobenius": lambda: frobenius(cfg, seed),
        "exact": lambda: exact(cfg, seed),
        "certified": lambda: certified(cfg, seed),
        "torch": lambda: _torch_rows(cfg, seed),
        "exact_radii": lambda: exact_radii(cfg, seed),
        "sweep": lambda: _sweep_rows(cfg, seed),
    }
    for name in SECTIONS:
        if name in sections:
            if progress is not None:
                progress(name, None, None)
            start = time.perf_counter()
            done = cases[name]()
            rows.extend(done)
            if progress is not None:
                progress(name, time.perf_counter() - start, [r.to_dict() for r in done])
    return {
        "profile": profile,
        "seed": seed,
        "machine": machine(),
        "matmul_gflops": gflops.to_dict(),
        "rows": [r.to_dict() for r in rows],
    }


def _sweep_rows(cfg: dict, seed: int) -> list[Row]:
    """Dask sweep scaling (2 vs 1 worker processes) and per-task overhead; empty without the
    ``distributed`` extra (dask, pyarrow, pandas)."""
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("distributed", "pyarrow", "pandas")):
        return []
    from lrinit_verify.sweep.bench import sweep_rows

    return sweep_rows(cfg, seed)


def _torch_rows(cfg: dict, seed: int) -> list[Row]:
    rows = torch_cases(cfg, seed, "cpu")
    if _torch_available():
        import torch

        if torch.cuda.is_available():
            rows += torch_cases(cfg, seed, "cuda", gflops=torch_matmul_gflops("cuda"))
    return rows


__all__ = [
    "PROFILES",
    "SECTIONS",
    "certified",
    "exact",
    "exact_radii",
    "frobenius",
    "kostlan",
    "radii",
    "run_bench",
    "timed",
    "torch_cases",
    "trajectories",
]
