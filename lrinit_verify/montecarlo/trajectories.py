r"""Monte Carlo energy engine: trajectories of :math:`\log\|W^k x\|^2` and of :math:`\log\|h_k\|^2`.

For a chunk of :math:`B` matrices and :math:`p` probe vectors per matrix, each step is one batched
matrix–matrix product :math:`X \leftarrow W X` with :math:`X` of shape :math:`(B, n, p)`, written into a
preallocated buffer. The column norms of a whole block of up to
:data:`~lrinit_verify.montecarlo.kernels.MAX_BLOCK` iterates are taken at once and the columns
renormalised once per block; the log-norms are accumulated, so :math:`t = 10^6` steps neither overflow
nor underflow and the growth rate is kept. The block length is bounded a priori by
:math:`\|W\|_F^m \le 2^{400}` and shortened a posteriori when a block would underflow (see
:func:`~lrinit_verify.montecarlo.kernels.block_length`; the per-chunk kernels live in
:mod:`lrinit_verify.montecarlo.kernels`). The Python loop runs over steps, never over matrices.

Route: for Gaussian Glorot ``energy_trajectories`` runs by default on the Hessenberg model
(:mod:`lrinit_verify.sampling._hessenberg`; same law of trajectories), where each product is an
upper-triangular ``?trmm`` plus the subdiagonal, half the flops of a GEMM (see
:func:`energy_trajectories` and :data:`HESSENBERG_MIN_N`).

Threads: with several chunks, chunks run on worker threads (one per core) with one BLAS thread
each; a single chunk (one large matrix) uses the BLAS threads instead. At :math:`n = 512`,
:math:`t = 1024`, :math:`p = 64` the engine reaches about 0.8 of this machine's measured matmul rate
(``lrinit-verify bench``). Chunks are sized so that the matrices, probes, block buffer and output
of one chunk fit in ``mem_cap`` bytes (the cap of :mod:`lrinit_verify.montecarlo.simulate`).

Reproducibility: chunk :math:`j` draws from child :math:`j` of ``SeedSequence(seed)``.

Example:
    >>> out = energy_trajectories(16, 5, 8, probes=2, ensemble="orthogonal", seed=0)
    >>> out.shape, bool(abs(out).max() < 1e-12)
    ((8, 2, 6), True)
    >>> big = energy_trajectories(8, 10**4, 2, stride=10**4, seed=1)
    >>> big.shape, bool(np.isfinite(big).all())
    ((2, 1, 2), True)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from lrinit_verify import _validate as v
from lrinit_verify.montecarlo._backends import (
    BACKENDS,
    HessenbergOps,
    NumpyOps,
    TorchOps,
    check_device,
    default_workers,
    hessenberg_matmul,
    resolve_torch_device,
    runs_on_cpu,
    seed_sequence,
)
from lrinit_verify.montecarlo.kernels import (
    BLOCK_BYTES,
    MAX_BLOCK,
    _hidden_chunk,
    _power_chunk,
    _unit_columns as _unit_columns,
    block_length as block_length,
)
from lrinit_verify.montecarlo.simulate import DEFAULT_MEM_CAP
from lrinit_verify.sampling._hessenberg import choose_route
from lrinit_verify.sampling.ensembles import ENSEMBLES

__all__ = [
    "HESSENBERG_MIN_N",
    "INPUTS",
    "energy_trajectories",
    "hessenberg_matmul",
    "hidden_state_trajectories",
    "resolve_route",
]

INPUTS = ("gaussian", "constant")
#: The Hessenberg route needs this width (below it the per-matrix ``?trmm`` calls and the
#: subdiagonal pass cost more than the halved flops save: 0.98x at n = 128, 1.2x at 256, 1.5x at
#: 512, 1.95x at 1024 with several matrices) and at least two matrices (one matrix would run a
#: 2-thread ``?trmm``, which scales poorly: 0.97x at n = 512).
HESSENBERG_MIN_N = 256


#: Bytes of matrices per chunk on CPU: a chunk that stays in cache across steps is 3-7x faster
#: than one streamed from memory at every step (measured at n = 64 on 2 cores).
CPU_CHUNK_BYTES = 2**20


@dataclass(frozen=True)
class _Plan:
    r"""One validated run of the engine: what to simulate (``kind`` ``"power"`` for :math:`\log\|W^k x\|^2`,
    ``"hidden"`` for :math:`\log\|h_k\|^2`) and how (route, backend, chunk and block sizes)."""

    kind: str
    n: int
    t: int
    trials: int
    probes: int
    ensemble: str
    field: str
    scale: float
    stride: int
    backend: str
    device: object
    route: str
    chunk: int
    block_bytes: int
    inputs: str = "gaussian"
    input_scale: float = 1.0

    @property
    def records(self) -> int:
        return self.t // self.stride + 1


def _chunk(n, trials, probes, records, field, mem_cap, on_cpu) -> int:
    entry = 16 if field == "complex" else 8
    per_matrix = entry * (2 * n * n + (4 + MAX_BLOCK) * n * probes) + 8 * probes * records
    size = int(mem_cap) // per_matrix
    if on_cpu:
        size = min(size, CPU_CHUNK_BYTES // (entry * n * n))
    return int(max(1, min(trials, size)))


def _plan(
    kind,
    n,
    t,
    trials,
    *,
    probes=1,
    ensemble="glorot",
    field="real",
    scale=1.0,
    stride=1,
    backend="numpy",
    device=None,
    mem_cap=DEFAULT_MEM_CAP,
    route="dense",
    inputs="gaussian",
    input_scale=1.0,
) -> _Plan:
    """Validate every argument (before any work) and size the chunks and blocks."""
    v.choice("ensemble", ensemble, ENSEMBLES)
    n, t, trials = v.positive_int("n", n), v.nonnegative_int("t", t), v.positive_int("trials", trials)
    probes, stride = v.positive_int("probes", probes), v.positive_int("stride", stride)
    field, scale = v.field(field), v.finite_real("scale", scale)
    backend = v.choice("backend", backend, BACKENDS)
    mem_cap = v.positive_int("mem_cap", mem_cap)
    v.choice("inputs", inputs, INPUTS)
    input_scale = v.positive_real("input_scale", input_scale)
    check_device(backend, device)
    route = resolve_route(route, ensemble, n, backend, trials)
    on_cpu = runs_on_cpu(backend, device)
    return _Plan(
        kind=kind,
        n=n,
        t=t,
        trials=trials,
        probes=probes,
        ensemble=ensemble,
        field=field,
        scale=scale,
        stride=stride,
        backend=backend,
        device=device,
        route=route,
        chunk=_chunk(n, trials, probes, t // stride + 1, field, mem_cap, on_cpu),
        block_bytes=BLOCK_BYTES if on_cpu else mem_cap // 2,
        inputs=inputs,
        input_scale=input_scale,
    )


def _ops(plan: _Plan, child):
    if plan.backend == "torch":
        return TorchOps(child, plan.field, resolve_torch_device(plan.device))
    return (HessenbergOps if plan.route == "hessenberg" else NumpyOps)(child, plan.field)


def resolve_route(route: str, ensemble: str, n: int, backend: str = "numpy", trials: int = 2) -> str:
    """The route :func:`energy_trajectories` takes: ``"hessenberg"`` from :data:`HESSENBERG_MIN_N`
    on with two or more matrices, else ``"dense"``.

    >>> resolve_route("auto", "glorot", 512), resolve_route("auto", "glorot", 16), resolve_route("auto", "glorot", 512, trials=1)
    ('hessenberg', 'dense', 'dense')
    """
    return choose_route(route, ensemble, backend, worthwhile=n >= HESSENBERG_MIN_N and trials >= 2)


def _run(plan: _Plan, seq: np.random.SeedSequence) -> np.ndarray:
    """Run ``plan`` chunk by chunk; chunk :math:`j` draws from child :math:`j` of ``seq``."""
    size, trials = plan.chunk, plan.trials
    starts = list(range(0, trials, size))
    out = np.empty((trials, plan.probes, plan.records))
    simulate_chunk = _power_chunk if plan.kind == "power" else _hidden_chunk

    def job(s, child):
        m = min(size, trials - s)
        out[s : s + m] = simulate_chunk(_ops(plan, child), plan, m)

    children = seq.spawn(len(starts))
    if plan.backend == "numpy" and len(starts) > 1:
        # Several chunks: one BLAS thread per worker, workers across cores (matmul releases the GIL).
        with threadpool_limits(1), ThreadPoolExecutor(default_workers()) as pool:
            list(pool.map(job, starts, children))
    else:
        # One chunk (or torch): the BLAS / torch threads parallelise each product.
        for s, child in zip(starts, children):
            job(s, child)
    return out


def energy_trajectories(
    n,
    t,
    trials,
    *,
    probes=1,
    ensemble="glorot",
    field="real",
    scale=1.0,
    stride=1,
    seed=v.REQUIRED,
    rng=v.REQUIRED,
    backend="numpy",
    device=None,
    mem_cap=DEFAULT_MEM_CAP,
    route="auto",
) -> np.ndarray:
    r"""Trajectories :math:`\log\|W^k x\|^2`, :math:`k = 0, \dots, t`, for ``trials`` matrices × ``probes`` unit vectors.

    **Arguments:**

    - ``n`` width, ``t`` length, ``trials`` matrices, ``probes`` independent random unit
      vectors :math:`x` per matrix; ``ensemble``, ``field``, ``scale`` as in :func:`sample_batch`.
    - ``stride``: record every ``stride``-th step (``t = 10**6`` with ``stride = 1000``).
    - ``seed`` (int) or ``rng`` (numpy Generator): explicit randomness, exactly one.
    - ``backend`` ``"numpy"`` or ``"torch"`` (``device`` ``"cpu"``/``"cuda"``); ``mem_cap`` bytes.
    - ``route``: ``"auto"`` (the Hessenberg model for Gaussian ensembles on numpy at
      :math:`n \ge` :data:`HESSENBERG_MIN_N` with two or more matrices), ``"hessenberg"`` or ``"dense"``. The Hessenberg model
      has the same law of trajectories: with :math:`H = Q^\top W Q` (:mod:`lrinit_verify.sampling._hessenberg`),
      :math:`\|W^k x\| = \|H^k Q^\top x\|` and :math:`Q^\top x` is again uniform on the sphere and
      independent of :math:`H`, jointly over the probes. Each step then costs a triangular product,
      half the flops of a GEMM.

    **Returns:** float64 array of shape ``(trials, probes, t // stride + 1)``.
    """
    plan = _plan(
        "power",
        n,
        t,
        trials,
        probes=probes,
        ensemble=ensemble,
        field=field,
        scale=scale,
        stride=stride,
        backend=backend,
        device=device,
        mem_cap=mem_cap,
        route=route,
    )
    return _run(plan, seed_sequence(seed, rng))


def hidden_state_trajectories(
    n,
    t,
    trials,
    *,
    probes=1,
    inputs="gaussian",
    input_scale=1.0,
    ensemble="glorot",
    field="real",
    scale=1.0,
    stride=1,
    seed=v.REQUIRED,
    rng=v.REQUIRED,
    backend="numpy",
    device=None,
    mem_cap=DEFAULT_MEM_CAP,
) -> np.ndarray:
    r"""Trajectories :math:`\log\|h_k\|^2` of :math:`h_k = W h_{k-1} + u_k`, :math:`h_0 = 0`, in log space.

    ``inputs="gaussian"``: :math:`u_k` iid :math:`N(0, (\text{input\_scale}^2/n) I)` (so :math:`E\|u_k\|^2 =`
    ``input_scale``²), independent across time, probes and matrices; then
    :math:`E\|h_t\|^2 = \text{input\_scale}^2 \sum_{k<t} S_{n,k}` for both fields.
    ``inputs="constant"``: :math:`u_k` = ``input_scale`` :math:`\cdot x` for one random unit :math:`x` per probe.
    Other arguments as in :func:`energy_trajectories`; entry :math:`k = 0` is :math:`-\infty`.

    >>> h = hidden_state_trajectories(8, 4, 3, ensemble="orthogonal", inputs="constant", seed=0)
    >>> h.shape, bool(np.isneginf(h[:, :, 0]).all())
    ((3, 1, 5), True)
    """
    plan = _plan(
        "hidden",
        n,
        t,
        trials,
        probes=probes,
        ensemble=ensemble,
        field=field,
        scale=scale,
        stride=stride,
        backend=backend,
        device=device,
        mem_cap=mem_cap,
        inputs=inputs,
        input_scale=input_scale,
    )
    return _run(plan, seed_sequence(seed, rng))
