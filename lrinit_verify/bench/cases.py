r"""The cases of ``lrinit-verify bench``, each the toolkit against what a user would write.

* (a) ``radii``: spectral radii of real Glorot, the engine (:func:`~lrinit_verify.montecarlo.simulate.spectral_radii`,
  Hessenberg model + ``?hseqr``, one BLAS thread per worker) vs a loop of ``numpy.linalg.eigvals``
  with default threading. Target ≥ 2× at n = 256.
* (b) ``kostlan``: complex Glorot radii, the exact O(n) Kostlan sampler vs batched eigenvalues.
  Target ≥ 1000× at n = 512.
* (c) ``trajectories``: :math:`\log\|W^k x\|^2`, n = 512, t = 1024, 64 probes per matrix, vs a per-probe,
  per-step matrix–vector loop; and as a fraction of the matmul rate measured in the same run.
  Targets ≥ 5× and ≥ 0.7 (:mod:`lrinit_verify.bench.trajectories`).
* (c') ``frobenius``: :math:`\|W^t\|_F^2/n` for all t ≤ T by eigendecomposition vs direct products.
  Target ≥ 20× at T = 1024.
* (d) ``exact``: :func:`~lrinit_verify.theory.energy.log_energy` at (10⁸, 10⁶) (target under 50 ms) and
  :func:`~lrinit_verify.theory.energy.energy_exact` at large (n, t).
* (e) ``certified``: certified spectral-radius enclosure (python-flint) vs mpmath ``eig``.
* (f) ``torch``: torch CPU against numpy for (a) and (c); CUDA for both when a GPU is present,
  with the fraction of the GPU's own measured float64 matmul rate (:mod:`lrinit_verify.bench.torch_cases`).
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
from lrinit_verify.bench.torch_cases import _torch_rows, torch_cases as torch_cases
from lrinit_verify.bench.trajectories import trajectories
from lrinit_verify.montecarlo.simulate import spectral_radii
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

#: Sizes per profile: ``quick`` took about 3 minutes on 2 cores (2 without the ``distributed`` extra).
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
]
