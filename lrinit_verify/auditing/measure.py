r"""Raw measurements of one matrix source at one width: radii, crossing times, energy bands.

A *source* is the user's init (matrices from :func:`lrinit_verify.auditing.core.sample_matrices`) or a
baseline of :data:`BASELINES` (numpy Glorot with the baseline's factor, same field). For each
matrix: its spectral radius :math:`\rho` (LAPACK eigenvalues), one trajectory :math:`\log\|W^t x\|^2` and one
driven trajectory :math:`\log\|h_t\|^2` (:func:`lrinit_verify.montecarlo.crossings.energy_logs`), hence
one first-crossing time per definition (:data:`~lrinit_verify.montecarlo.explosion.DEFINITIONS`).

Example:
    >>> s = measure_baseline("glorot", 8, 20, field="real", threshold=100.0, max_length=50, seed=0)
    >>> s.radii.shape, sorted(s.times), s.band["t"][:3]
    ((20,), ['driven', 'homogeneous'], [0, 1, 2])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from lrinit_verify.auditing import core
from lrinit_verify.montecarlo.crossings import crossings_from_logs, energy_logs
from lrinit_verify.sampling.ensembles import sample_batch
from lrinit_verify.theory.edge import rescale_factor
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

BASELINES = ("glorot", "rescaled_glorot", "calibrated_glorot")
SOURCES = ("init", *BASELINES)
LABELS = {"glorot": "Glorot", "rescaled_glorot": "paper c_n·Glorot", "calibrated_glorot": "calibrated Glorot"}
#: Matrix bytes per chunk (matrices, eigenvalue workspace and trajectories stay well under this x 4).
CHUNK_BYTES = 2**26
#: Points of the stored energy band (the figure's resolution).
BAND_POINTS = 257
#: log10-energy floor of the band (a nilpotent or zero matrix has energy 0).
BAND_FLOOR = -300.0


_SHORT = {
    "rescaled_glorot": "c_n undefined for n <= 163. ",
    "calibrated_glorot": "no calibration at this width (real: 8 <= n <= 512). ",
}


@dataclass
class Sample:
    """Measurements of ``trials`` matrices of one source at width ``n``."""

    source: str
    n: int
    field: str
    radii: np.ndarray
    times: dict = field(default_factory=dict)
    band: dict = field(default_factory=dict)
    note: str = ""


def baseline_scale(name: str, n: int, field: str) -> float:
    """The Glorot multiplier of a baseline; ``ValueError`` where it is undefined at ``n``.

    >>> round(baseline_scale("rescaled_glorot", 1024, "real"), 3)
    0.958
    """
    if name == "glorot":
        return 1.0
    if name == "rescaled_glorot":
        return rescale_factor(n)
    return 1.0 / calibrated_scale(n, NOMINAL_PROBABILITY, field=field)


def _chunk_size(n: int, trials: int) -> int:
    return int(max(1, min(trials, CHUNK_BYTES // (16 * n * n))))


def _band(logs: np.ndarray) -> dict:
    """Median and 10 %/90 % quantiles of log10 energy over matrices, at up to BAND_POINTS steps."""
    steps = np.unique(np.linspace(0, logs.shape[1] - 1, BAND_POINTS).round().astype(int))
    ten = np.maximum(logs[:, steps] / math.log(10), BAND_FLOOR)
    q10, q50, q90 = np.quantile(ten, [0.1, 0.5, 0.9], axis=0)
    return {"t": steps.tolist(), "q10": q10.tolist(), "median": q50.tolist(), "q90": q90.tolist()}


def measure_chunks(chunks, source, n, *, field, threshold, max_length, seed, progress=None) -> Sample:
    """Measure matrices arriving in chunks (arrays ``(B, n, n)``); trajectories seeded per chunk."""
    radii, hom, drv, logs = [], [], [], []
    code = SOURCES.index(source)
    for j, w in enumerate(chunks):
        a, b = np.random.SeedSequence([int(seed), n, code, j]).spawn(2)
        radii.append(np.abs(np.linalg.eigvals(w)).max(axis=1))
        logs.append(energy_logs(w, max_length=max_length, seed=a))
        hom.append(crossings_from_logs(logs[-1], threshold))
        drv.append(
            crossings_from_logs(
                energy_logs(w, max_length=max_length, driven=True, seed=b), threshold, driven=True
            )
        )
        if progress is not None:
            progress(f"{source} n={n}: {sum(map(len, radii))} matrices")
    logs = np.concatenate(logs)
    return Sample(
        source,
        n,
        field,
        np.concatenate(radii),
        {"homogeneous": np.concatenate(hom), "driven": np.concatenate(drv)},
        _band(logs),
    )


def measure_init(init, n, trials, *, dtype, field, threshold, max_length, seed, progress=None) -> Sample:
    """The user's init: matrix ``j`` from seed ``core.matrix_seeds(seed, n, trials)[j]``."""
    seeds = core.matrix_seeds(seed, n, trials)
    size = _chunk_size(n, trials)
    chunks = (core.sample_matrices(init, n, seeds[s : s + size], dtype=dtype) for s in range(0, trials, size))
    return measure_chunks(
        chunks,
        "init",
        n,
        field=field,
        threshold=threshold,
        max_length=max_length,
        seed=seed,
        progress=progress,
    )


def measure_baseline(name, n, trials, *, field, threshold, max_length, seed, progress=None) -> Sample:
    """A baseline of :data:`BASELINES`; ``radii`` empty and ``note`` the reason where it is undefined."""
    try:
        scale = baseline_scale(name, n, field)
    except ValueError as exc:
        return Sample(name, n, field, np.empty(0), note=_SHORT.get(name, "") + str(exc))
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), n, SOURCES.index(name), 2**31]))
    size = _chunk_size(n, trials)
    chunks = (
        sample_batch("glorot", n, min(size, trials - s), field=field, scale=scale, rng=rng)
        for s in range(0, trials, size)
    )
    return measure_chunks(
        chunks, name, n, field=field, threshold=threshold, max_length=max_length, seed=seed, progress=progress
    )
