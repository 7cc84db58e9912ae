r"""Monte Carlo engine for spectra and spectral radii of random recurrent matrices.

Matrices are drawn and diagonalised in chunks so that peak memory stays under ``mem_cap`` bytes
(default :data:`DEFAULT_MEM_CAP`, about 1 GiB) whatever the number of trials. The numpy backend
pins BLAS to one thread and spreads chunks over ``workers`` threads (LAPACK releases the GIL):
on a 2-core machine this is about 1.6× faster than one process with a 2-thread BLAS.

Route: for the Gaussian ensembles at :math:`n \ge` :data:`HESSENBERG_MIN_N` the numpy backend samples the
matrices directly in upper Hessenberg form (:mod:`lrinit_verify.sampling._hessenberg`, the same spectral
law) and runs only LAPACK's QR algorithm (:mod:`lrinit_verify.montecarlo._lapack`), skipping the Hessenberg
reduction: 1.1-1.2x per core at :math:`n \ge 64`. ``route="dense"`` forces ``numpy.linalg.eigvals``
on sampled dense matrices.

Radii from the exact law: :func:`spectral_radii` draws the radii of Gaussian Glorot (and halved,
and any ``scale``) from the exact law instead of diagonalising matrices, where one is installed
(:func:`resolve_radii_route`, :mod:`lrinit_verify.montecarlo._exact_law`): complex by Kostlan's
product, real by a tabulated inverse of the exact CDF. Checks that *validate* a law against
simulation pass ``route="eigvals"``.

Reproducibility: the chunk :math:`j` draws from child :math:`j` of ``SeedSequence(seed)``, so results depend
on ``(seed, trials, n, mem_cap, route)`` and not on ``workers`` or scheduling.

Example:
    >>> r = spectral_radii(32, 200, field="complex", seed=0)
    >>> r.shape, bool(0.8 < r.mean() < 1.4)
    ((200,), True)
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import _exact_law, _lapack as lapack
from lrinit_verify.montecarlo._backends import (
    BACKENDS,
    MAX_WORKERS,
    check_device,
    default_workers,
    resolve_torch_device,
    seed_sequence,
    torch_generator,
)
from lrinit_verify.sampling._hessenberg import choose_route, sample_hessenberg
from lrinit_verify.sampling.ensembles import ENSEMBLES, sample_batch

_LOG = logging.getLogger(__name__)

DEFAULT_MEM_CAP = 2**30
#: Bytes of working memory per matrix entry during ``eigvals``: the matrix, LAPACK's copy and
#: workspace, the output (conservative; measured peak is about 3 copies of the batch).
_BYTES_PER_ENTRY = 4 * 16


#: Trials are split into at least this many chunks, so that workers finish together (with 6
#: matrices of n = 512 and chunks of 2, one of two workers idles for a third of the run).
MIN_CHUNKS = 4 * MAX_WORKERS

#: Below this width the batched ``eigvals`` loop (in C) beats per-matrix ``?hseqr`` calls
#: (measured crossover 16-32 on this machine, one BLAS thread).
HESSENBERG_MIN_N = 32

#: Bytes sampled at a time on the Hessenberg route (short GIL holds between LAPACK calls).
_SAMPLE_BYTES = 2**18


def chunk_size(n: int, trials: int, mem_cap: int = DEFAULT_MEM_CAP) -> int:
    """Matrices per chunk: :data:`MAX_WORKERS` chunks in flight fit in ``mem_cap`` bytes, and the
    trials split into at least :data:`MIN_CHUNKS` chunks so that the workers share them evenly."""
    per_matrix = _BYTES_PER_ENTRY * n * n
    fit = max(1, int(mem_cap) // (per_matrix * MAX_WORKERS))
    return int(min(-(-trials // MIN_CHUNKS), fit))


def _numpy_chunk(job) -> np.ndarray:
    ensemble, n, size, field, scale, child, route = job
    rng = np.random.default_rng(child)
    if route == "hessenberg":
        # Small sub-batches: sampling holds the GIL, so long draws would stall the other workers.
        out = np.empty((size, n), dtype=np.complex128)
        step = max(1, _SAMPLE_BYTES // (16 * n * n))
        for s in range(0, size, step):
            h = sample_hessenberg(ensemble, n, min(step, size - s), field=field, scale=scale, rng=rng)
            out[s : s + len(h)] = lapack.hessenberg_eigvals(h, overwrite=True)
        return out
    return np.linalg.eigvals(sample_batch(ensemble, n, size, field=field, scale=scale, rng=rng))


def resolve_route(route: str, ensemble: str, n: int, backend: str = "numpy") -> str:
    """The route ``spectra`` takes: ``"hessenberg"`` from :data:`HESSENBERG_MIN_N` on, else ``"dense"``.

    >>> resolve_route("auto", "glorot", 64), resolve_route("auto", "orthogonal", 64)
    ('hessenberg', 'dense')
    """
    return choose_route(route, ensemble, backend, worthwhile=n >= HESSENBERG_MIN_N)


def _numpy_spectra(ensemble, n, trials, field, scale, seq, mem_cap, workers, progress, route):
    size = chunk_size(n, trials, mem_cap)
    starts = list(range(0, trials, size))
    children = seq.spawn(len(starts))
    jobs = [(ensemble, n, min(size, trials - s), field, scale, c, route) for s, c in zip(starts, children)]
    out = np.empty((trials, n), dtype=np.complex128)
    with threadpool_limits(1), ThreadPoolExecutor(workers) as pool:
        for s, eig in zip(starts, pool.map(_numpy_chunk, jobs)):
            out[s : s + len(eig)] = eig
            if progress is not None:
                progress(len(eig))
    return out


def _torch_spectra(ensemble, n, trials, field, scale, seq, mem_cap, device, progress):
    import torch

    from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

    size = chunk_size(n, trials, mem_cap)
    out = np.empty((trials, n), dtype=np.complex128)
    for s, child in zip(range(0, trials, size), seq.spawn(-(-trials // size))):
        gen = torch_generator(child, device)
        mats = torch_batch(
            ensemble, n, min(size, trials - s), field=field, scale=scale, generator=gen, device=device
        )
        eig = torch.linalg.eigvals(mats).cpu().numpy()
        out[s : s + len(eig)] = eig
        if progress is not None:
            progress(len(eig))
    return out


def spectra(
    n,
    trials,
    *,
    ensemble="glorot",
    field="real",
    scale=1.0,
    seed=v.REQUIRED,
    rng=v.REQUIRED,
    backend="numpy",
    device=None,
    mem_cap=DEFAULT_MEM_CAP,
    workers=None,
    progress=None,
    route="auto",
) -> np.ndarray:
    r"""Eigenvalues of ``trials`` independent matrices: complex array of shape ``(trials, n)``.

    **Arguments:**

    - ``n`` width, ``trials`` number of matrices, ``ensemble`` one of :data:`ENSEMBLES`,
      ``field`` ``"real"``/``"complex"``, ``scale`` multiplies each matrix.
    - ``seed`` (int) or ``rng`` (numpy Generator): explicit randomness, exactly one.
    - ``backend`` ``"numpy"`` or ``"torch"``; ``device`` for torch (``"cpu"``, ``"cuda"``; default
      CUDA when available).
    - ``mem_cap`` bytes of working memory; ``workers`` threads (numpy backend).
    - ``progress``: optional callable receiving the number of matrices just finished.
    - ``route``: ``"auto"`` (Hessenberg model where it applies, see :func:`resolve_route`),
      ``"hessenberg"`` or ``"dense"``.

    >>> eig = spectra(6, 4, field="real", seed=0)
    >>> eig.shape, eig.dtype
    ((4, 6), dtype('complex128'))
    """
    v.choice("ensemble", ensemble, ENSEMBLES)
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    field = v.field(field)
    scale = v.finite_real("scale", scale)
    backend = v.choice("backend", backend, BACKENDS)
    mem_cap = v.positive_int("mem_cap", mem_cap)
    route = resolve_route(route, ensemble, n, backend)
    check_device(backend, device)
    if backend == "torch" and workers is not None:
        raise InvalidArgument(
            f"workers={workers!r} applies to backend='numpy' only (torch runs its own threads)"
        )
    seq = seed_sequence(seed, rng)
    if backend == "torch":
        return _torch_spectra(
            ensemble, n, trials, field, scale, seq, mem_cap, resolve_torch_device(device), progress
        )
    workers = default_workers() if workers is None else v.positive_int("workers", workers)
    if workers > MAX_WORKERS:
        raise InvalidArgument(f"workers={workers!r} must be at most {MAX_WORKERS}")
    return _numpy_spectra(ensemble, n, trials, field, scale, seq, mem_cap, workers, progress, route)


#: ``route=`` values of :func:`spectral_radii`: ``"eigvals"`` is any eigenvalue route (the
#: Hessenberg model where it applies, else dense), what ``"auto"`` does where no exact law applies.
RADII_ROUTES = ("auto", "exact", "eigvals", "hessenberg", "dense")
#: Heuristic cost rule, from the bench section ``exact_radii`` (2 shared cores): a real table takes
#: ~150 CDF evaluations, built in 2.0 s (n = 64), 8.5 s (512), 39 s (4096); the Hessenberg route
#: takes 2.4 ms (64) and 0.43 s (512) per matrix. Break-even at ``trials * n**2`` ~ 3.4e6 (64) and
#: 5.2e6 (512); ``auto`` builds a table from this much work on (a built table is reused).
REAL_TABLE_MIN_WORK = 5e6


def _exact_pays(n: int, trials: int, field: str, tol: float) -> bool:
    if field == "complex":  # Kostlan's product: O(n) per radius against O(n^3)
        return True
    return _exact_law.real_table_cached(n, tol) or trials * n * n >= REAL_TABLE_MIN_WORK


def resolve_radii_route(
    route, ensemble, field, n, trials, backend="numpy", tol=_exact_law.DEFAULT_TOL
) -> str:
    """The route :func:`spectral_radii` takes: ``"exact"``, ``"hessenberg"`` or ``"dense"``.

    ``"auto"`` takes the exact law for the Gaussian ensembles on the numpy backend where it is
    installed (complex always; real once its table pays, :data:`REAL_TABLE_MIN_WORK`, or is already
    built), else :func:`resolve_route`. ``"eigvals"`` is :func:`resolve_route`'s ``"auto"``;
    ``"exact"`` raises where no exact law applies.

    >>> resolve_radii_route("auto", "glorot", "complex", 512, 10), resolve_radii_route("eigvals", "glorot", "complex", 512, 10)
    ('exact', 'hessenberg')
    >>> resolve_radii_route("auto", "glorot_uniform", "complex", 512, 10)
    'dense'
    """
    v.choice("route", route, RADII_ROUTES)
    exact = _exact_law.has_exact_law(ensemble, field)
    if route == "exact":
        if not exact:
            raise InvalidArgument(
                f"route='exact': no exact radius law for ensemble={ensemble!r}, field={field!r} "
                f"(exact: {tuple(_exact_law.RADIUS_FACTOR)}, complex; real once theory.real_law is installed)"
            )
        return "exact"
    if route == "auto" and exact and backend == "numpy" and _exact_pays(n, trials, field, tol):
        return "exact"
    return resolve_route("auto" if route == "eigvals" else route, ensemble, n, backend)


def spectral_radii(n, trials, *, route="auto", tol=_exact_law.DEFAULT_TOL, **kwargs) -> np.ndarray:
    r"""Spectral radii :math:`\rho(W) = \max_i |\lambda_i|` of ``trials`` matrices; arguments as :func:`spectra`.

    ``route``: one of :data:`RADII_ROUTES`, resolved by :func:`resolve_radii_route` (logged at
    INFO level on the ``lrinit_verify.montecarlo.simulate`` logger). On the exact route the radii
    come from the exact law, :math:`\rho(cW) = |c|\rho(W)`: complex Glorot by Kostlan's product (exact in
    law), real by :func:`lrinit_verify.montecarlo._exact_law.real_radius_table`, within
    sup-distance ``tol`` of the exact CDF; ``mem_cap``, ``workers`` and ``device`` are then unused.

    >>> spectral_radii(8, 3, ensemble="orthogonal", seed=1).round(12).tolist()
    [1.0, 1.0, 1.0]
    >>> r = spectral_radii(512, 2000, field="complex", seed=0)      # Kostlan's product, milliseconds
    >>> r.shape, bool(1.0 < np.median(r) < 1.1)
    ((2000,), True)
    """
    ensemble = v.choice("ensemble", kwargs.get("ensemble", "glorot"), ENSEMBLES)
    field = v.field(kwargs.get("field", "real"))
    backend = v.choice("backend", kwargs.get("backend", "numpy"), ("numpy", "torch"))
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    tol = v.positive_real("tol", tol)
    taken = resolve_radii_route(route, ensemble, field, n, trials, backend, tol)
    _LOG.info(
        "spectral_radii(n=%d, trials=%d, ensemble=%s, field=%s): route=%s", n, trials, ensemble, field, taken
    )
    if taken != "exact":
        return np.abs(spectra(n, trials, route=taken, **kwargs)).max(axis=1)
    return _exact_route(
        n,
        trials,
        ensemble,
        field,
        tol,
        **{k: x for k, x in kwargs.items() if k not in ("ensemble", "field", "backend")},
    )


def _exact_route(
    n,
    trials,
    ensemble,
    field,
    tol,
    *,
    scale=1.0,
    seed=None,
    rng=None,
    device=None,
    mem_cap=DEFAULT_MEM_CAP,
    workers=None,
    progress=None,
) -> np.ndarray:
    scale = v.finite_real("scale", scale)
    v.positive_int("mem_cap", mem_cap)
    if workers is not None and not 1 <= v.positive_int("workers", workers) <= MAX_WORKERS:
        raise InvalidArgument(f"workers={workers!r} must be at most {MAX_WORKERS}")
    gen = np.random.default_rng(seed_sequence(seed, rng))
    out = _exact_law.exact_radii(n, trials, field=field, ensemble=ensemble, scale=scale, rng=gen, tol=tol)
    if progress is not None:
        progress(trials)
    return out


def count_real_eigenvalues(eigenvalues: np.ndarray) -> np.ndarray:
    """Number of exactly real eigenvalues per row (LAPACK returns real ones with zero imaginary part).

    Non-finite eigenvalues (from a NaN or infinite matrix) are an error, not counted as real.

    >>> count_real_eigenvalues(np.array([[1.0, 2 + 1j, 2 - 1j], [1.0, 2.0, 3.0]])).tolist()
    [1, 3]
    """
    eigenvalues = v.finite_array("eigenvalues", eigenvalues, dtype=np.complex128)
    return np.count_nonzero(eigenvalues.imag == 0.0, axis=-1)
