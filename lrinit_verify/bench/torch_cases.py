"""Bench section (f) ``torch``: the torch backend against the numpy engine for the radii of (a) and
the trajectories of (c), on the CPU and, when torch sees a GPU, on CUDA with the fraction of the GPU's
own measured float64 matmul rate.
"""

from __future__ import annotations

from lrinit_verify.bench.harness import Row, Spread, paired, time_repeats
from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.montecarlo.trajectories import energy_trajectories


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


def _torch_rows(cfg: dict, seed: int) -> list[Row]:
    rows = torch_cases(cfg, seed, "cpu")
    if _torch_available():
        import torch

        if torch.cuda.is_available():
            rows += torch_cases(cfg, seed, "cuda", gflops=torch_matmul_gflops("cuda"))
    return rows
