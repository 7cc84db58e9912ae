r"""Monte Carlo energy engine: trajectories of $\log\|W^k x\|^2$ and of $\log\|h_k\|^2$.

For a chunk of $B$ matrices and $p$ probe vectors per matrix, each step is one batched
matrix–matrix product $X \leftarrow W X$ with $X$ of shape $(B, n, p)$, written into a
preallocated buffer. The column norms of a whole block of up to :data:`MAX_BLOCK` iterates are
taken at once and the columns renormalised once per block; the log-norms are accumulated, so
$t = 10^6$ steps neither overflow nor underflow and the growth rate is kept. The block length
is bounded a priori by $\|W\|_F^m \le 2^{400}$ and shortened a posteriori when a block would
underflow (see :func:`block_length`). The Python loop runs over steps, never over matrices.

Route: for Gaussian Glorot ``energy_trajectories`` runs by default on the Hessenberg model
(:mod:`lrinit_verify.sampling._hessenberg`; same law of trajectories), where each product is an
upper-triangular ``?trmm`` plus the subdiagonal, half the flops of a GEMM (see
:func:`energy_trajectories` and :data:`HESSENBERG_MIN_N`).

Threads: with several chunks, chunks run on worker threads (one per core) with one BLAS thread
each; a single chunk (one large matrix) uses the BLAS threads instead. At $n = 512$,
$t = 1024$, $p = 64$ the engine reaches about 0.8 of this machine's measured matmul rate
(``lrinit-verify bench``). Chunks are sized so that the matrices, probes, block buffer and output
of one chunk fit in ``mem_cap`` bytes (the cap of :mod:`lrinit_verify.montecarlo.simulate`).

Reproducibility: chunk $j$ draws from child $j$ of ``SeedSequence(seed)``.

Example:
    >>> out = energy_trajectories(16, 5, 8, probes=2, ensemble="orthogonal", seed=0)
    >>> out.shape, bool(abs(out).max() < 1e-12)
    ((8, 2, 6), True)
    >>> big = energy_trajectories(8, 10**4, 2, stride=10**4, seed=1)
    >>> big.shape, bool(np.isfinite(big).all())
    ((2, 1, 2), True)
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from lrinit_verify import _validate as v
from lrinit_verify.montecarlo import _lapack as lapack
from lrinit_verify.montecarlo.simulate import DEFAULT_MEM_CAP, _default_workers, _seed_sequence
from lrinit_verify.sampling._hessenberg import choose_route, sample_hessenberg
from lrinit_verify.sampling.ensembles import ENSEMBLES, sample_batch

INPUTS = ("gaussian", "constant")
#: The Hessenberg route needs this width (below it the per-matrix ``?trmm`` calls and the
#: subdiagonal pass cost more than the halved flops save: 0.98x at n = 128, 1.2x at 256, 1.5x at
#: 512, 1.95x at 1024 with several matrices) and at least two matrices (one matrix would run a
#: 2-thread ``?trmm``, which scales poorly: 0.97x at n = 512).
HESSENBERG_MIN_N = 256


#: Bytes of matrices per chunk on CPU: a chunk that stays in cache across steps is 3-7x faster
#: than one streamed from memory at every step (measured at n = 64 on 2 cores).
CPU_CHUNK_BYTES = 2**20


#: At most this many steps between renormalisations, and this many bytes of buffered iterates.
MAX_BLOCK = 32
BLOCK_BYTES = 2**23
#: Iterates of one block stay within 2^(±400) of their unit start (float64 spans 2^(±1022)).
_SAFE_LOG = 400 * math.log(2)
_TINY = 2.0**-800


def _chunk(n, trials, probes, records, field, mem_cap, on_cpu) -> int:
    entry = 16 if field == "complex" else 8
    per_matrix = entry * (2 * n * n + (4 + MAX_BLOCK) * n * probes) + 8 * probes * records
    size = int(mem_cap) // per_matrix
    if on_cpu:
        size = min(size, CPU_CHUNK_BYTES // (entry * n * n))
    return int(max(1, min(trials, size)))


def _validate(n, t, trials, probes, ensemble, field, scale, stride, backend, mem_cap):
    v.choice("ensemble", ensemble, ENSEMBLES)
    out = dict(
        n=v.positive_int("n", n),
        t=v.nonnegative_int("t", t),
        trials=v.positive_int("trials", trials),
        probes=v.positive_int("probes", probes),
        field=v.field(field),
        scale=v.finite_real("scale", scale),
        stride=v.positive_int("stride", stride),
        backend=v.choice("backend", backend, ("numpy", "torch")),
        mem_cap=v.positive_int("mem_cap", mem_cap),
    )
    return out


class _NumpyOps:
    def __init__(self, child, field):
        self.rng = np.random.default_rng(child)
        self.field = field

    def matrices(self, ensemble, n, size, scale):
        return sample_batch(ensemble, n, size, field=self.field, scale=scale, rng=self.rng)

    def gaussian(self, shape):
        z = self.rng.standard_normal(shape)
        if self.field == "complex":
            z = (z + 1j * self.rng.standard_normal(shape)) * math.sqrt(0.5)
        return z

    @staticmethod
    def matmul(w, x):
        return np.matmul(w, x)

    @staticmethod
    def sq_norms(x):
        return np.einsum("bij,bij->bj", x.conj(), x).real if np.iscomplexobj(x) else np.einsum("bij,bij->bj", x, x)

    @staticmethod
    def log(a):
        return np.log(a)

    @staticmethod
    def exp(a):
        return np.exp(a)

    @staticmethod
    def to_numpy(a):
        return a

    @staticmethod
    def full(shape, value, like):
        return np.full(shape, value)

    @staticmethod
    def empty(shape, like):
        return np.empty(shape, dtype=like.dtype)

    @staticmethod
    def entry_bytes(like):
        return like.itemsize

    @staticmethod
    def matmul_into(w, x, out):
        np.matmul(w, x, out=out)

    @staticmethod
    def block_sq_norms(buf):
        if np.iscomplexobj(buf):
            return np.einsum("mbij,mbij->mbj", buf.real, buf.real) + np.einsum("mbij,mbij->mbj", buf.imag, buf.imag)
        return np.einsum("mbij,mbij->mbj", buf, buf)

    @staticmethod
    def max_log_frobenius(w):
        largest = float(np.max(np.einsum("bij,bij->b", w.conj(), w).real))
        return 0.5 * math.log(largest) if largest > 0 else -math.inf

    @staticmethod
    def scale_columns(x, factors):
        return x * factors[:, None, :]


class _TorchOps:
    def __init__(self, child, field, device):
        import torch

        self.torch = torch
        self.field, self.device = field, device
        self.gen = torch.Generator(device=device).manual_seed(int(child.generate_state(1, np.uint64)[0] >> 1))

    def matrices(self, ensemble, n, size, scale):
        from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

        return torch_batch(ensemble, n, size, field=self.field, scale=scale, generator=self.gen, device=self.device)

    def gaussian(self, shape):
        t = self.torch
        z = t.randn(shape, generator=self.gen, device=self.device, dtype=t.float64)
        if self.field == "complex":
            z = t.complex(z, t.randn(shape, generator=self.gen, device=self.device, dtype=t.float64)) * math.sqrt(0.5)
        return z

    def matmul(self, w, x):
        return self.torch.matmul(w, x)

    def sq_norms(self, x):
        return (x.real**2 + x.imag**2).sum(dim=1) if x.is_complex() else (x * x).sum(dim=1)

    def log(self, a):
        return self.torch.log(a)

    def exp(self, a):
        return self.torch.exp(a)

    @staticmethod
    def to_numpy(a):
        return a.cpu().numpy()

    def full(self, shape, value, like):
        return self.torch.full(shape, value, dtype=self.torch.float64, device=self.device)

    def empty(self, shape, like):
        return self.torch.empty(shape, dtype=like.dtype, device=self.device)

    @staticmethod
    def entry_bytes(like):
        return like.element_size()

    def matmul_into(self, w, x, out):
        self.torch.matmul(w, x, out=out)

    @staticmethod
    def block_sq_norms(buf):
        return (buf.real**2 + buf.imag**2).sum(dim=-2) if buf.is_complex() else (buf * buf).sum(dim=-2)

    def max_log_frobenius(self, w):
        return float(self.torch.log(self.torch.linalg.matrix_norm(w).max()))

    def scale_columns(self, x, factors):
        return x * self.torch.as_tensor(factors, device=self.device)[:, None, :]


class _HessenbergOps(_NumpyOps):
    """Gaussian Glorot in the Hessenberg model: $H = Q^T W Q$ and $Q^T x$ is again uniform.

    Each product is a triangular multiply (``?trmm``, half the flops of a GEMM) plus the
    subdiagonal term; see :func:`hessenberg_matmul`. Iterates are kept with each matrix's
    $n \times p$ block Fortran-contiguous, the layout ``?trmm`` works on in place.
    """

    def matrices(self, ensemble, n, size, scale):
        h = sample_hessenberg(ensemble, n, size, field=self.field, scale=scale, rng=self.rng)
        self._sub = np.ascontiguousarray(np.diagonal(h, -1, 1, 2))[:, :, None]
        self._scratch = None
        return h

    @staticmethod
    def empty(shape, like):
        return np.empty((*shape[:-2], shape[-1], shape[-2]), dtype=like.dtype).swapaxes(-1, -2)

    def matmul_into(self, w, x, out):
        if self._scratch is None or self._scratch.dtype != out.dtype:
            self._scratch = self.empty(out[:, 1:, :].shape, out)
        hessenberg_matmul(w, x, out, sub=self._sub, scratch=self._scratch)


def hessenberg_matmul(h: np.ndarray, x: np.ndarray, out: np.ndarray, *, sub=None, scratch=None) -> np.ndarray:
    r"""``out[b] = h[b] @ x[b]`` for upper Hessenberg ``h[b]`` (Fortran-contiguous, as sampled).

    $HX = UX + SX$ with $U$ the upper triangle (BLAS ``?trmm`` in place on a copy of $X$,
    $n^2 p$ flops) and $S$ the subdiagonal ($(SX)_i = h_{i,i-1} X_{i-1}$). ``out`` must not
    overlap ``x``; its blocks ``out[b]`` should be Fortran-contiguous (else a copy is made).
    ``sub`` (the subdiagonals, shape ``(size, n-1, 1)``) and ``scratch`` (shape of ``x[:, 1:]``)
    may be passed to save their allocation at every step.

    >>> from lrinit_verify.sampling._hessenberg import sample_hessenberg
    >>> h = sample_hessenberg("glorot", 5, 2, field="complex", seed=0)
    >>> x = np.random.default_rng(1).standard_normal((2, 5, 3)) + 0j
    >>> bool(np.allclose(hessenberg_matmul(h, x, np.empty_like(x)), h @ x))
    True
    """
    np.copyto(out, x)
    for b in range(len(h)):
        block = out[b]
        if block.flags.f_contiguous:
            lapack.upper_triangular_multiply(h[b], block)
        else:
            work = np.asfortranarray(block)
            lapack.upper_triangular_multiply(h[b], work)
            block[...] = work
    if sub is None:
        sub = np.diagonal(h, -1, 1, 2)[:, :, None]
    if scratch is None:
        scratch = np.empty_like(out[:, 1:, :])
    np.multiply(x[:, :-1, :], sub, out=scratch)
    np.add(out[:, 1:, :], scratch, out=out[:, 1:, :])
    return out


def _ops(backend, child, field, device, route="dense"):
    if backend == "numpy":
        return _HessenbergOps(child, field) if route == "hessenberg" else _NumpyOps(child, field)
    from lrinit_verify.sampling.torch_ensembles import resolve_device

    return _TorchOps(child, field, resolve_device(device))


def _unit_columns(ops, size, n, probes):
    x = ops.gaussian((size, n, probes))
    return x / ops.sq_norms(x)[:, None, :] ** 0.5


def block_length(log_growth: float, size: int, n: int, probes: int, entry: int = 8, budget: int = BLOCK_BYTES) -> int:
    r"""Steps per block: $\|W\|_F^{m} \le 2^{400}$ (so $\|W^m x\| \le 2^{400}\|x\|$, since
    $\|W\|_2 \le \|W\|_F$) and the block's iterates fit in ``budget`` bytes (:data:`BLOCK_BYTES`
    on CPU, where the block should stay in cache; a share of ``mem_cap`` on a GPU).

    >>> block_length(math.log(2.0), 1, 512, 64), block_length(0.0, 1, 512, 64), block_length(1000.0, 1, 8, 1)
    (32, 32, 1)
    """
    by_growth = MAX_BLOCK if log_growth <= 0 else int(_SAFE_LOG // log_growth)
    by_memory = int(budget) // (entry * size * n * probes)
    return max(1, min(MAX_BLOCK, by_growth, by_memory))


def _block(ops, w, x, buf, b):
    """buf[j] = W^(j+1) x for j < b (no renormalisation); squared column norms, shape (b, size, probes)."""
    prev = x
    for j in range(b):
        ops.matmul_into(w, prev, buf[j])
        prev = buf[j]
    return ops.to_numpy(ops.block_sq_norms(buf[:b]))


def _unsafe(sq, live) -> bool:
    """Some live column left the safe range inside the block (underflow risk, or became zero)."""
    return bool(np.any(sq[1:, live] < _TINY))


def _power_chunk(ops, p, size, ensemble, n, t, probes, stride):
    r"""log||W^k x||^2 for k = 0, stride, 2 stride, ... for one chunk of matrices.

    Each step is one batched product into a preallocated buffer; the column norms of a whole
    block of $m$ iterates are taken at once and the columns renormalised once per block
    (:func:`block_length`). A block that would underflow is cut to its first step and $m$ halves,
    so contracting matrices fall back to step-by-step renormalisation.
    """
    w = ops.matrices(ensemble, n, size, p["scale"])
    x = _unit_columns(ops, size, n, probes)
    acc = np.zeros((size, probes))
    out = np.empty((size, probes, t // stride + 1))
    out[:, :, 0] = 0.0
    m = block_length(ops.max_log_frobenius(w), size, n, probes, ops.entry_bytes(x), p["block_bytes"])
    buf = ops.empty((min(m, max(t, 1)), size, n, probes), x)
    k = 0
    with np.errstate(divide="ignore"):
        while k < t:
            b = min(m, t - k)
            sq = _block(ops, w, x, buf, b)
            if b > 1 and _unsafe(sq, np.isfinite(acc)):
                b, m = 1, max(1, m // 2)
            logs = acc[:, :, None] + np.log(sq[:b]).transpose(1, 2, 0)
            steps = np.arange(k + 1, k + b + 1)
            keep = steps % stride == 0
            out[:, :, steps[keep] // stride] = logs[:, :, keep]
            last = sq[b - 1]
            x = ops.scale_columns(buf[b - 1], 1.0 / np.sqrt(np.where(last > 0, last, 1.0)))
            acc = logs[:, :, -1]
            k += b
    return out


def _hidden_chunk(ops, p, size, ensemble, n, t, probes, stride, inputs, input_scale):
    """log||h_k||^2 with h_k = W h_{k-1} + u_k, h_0 = 0, tracked as h = e^{s} ĥ with ||ĥ|| = 1."""
    w = ops.matrices(ensemble, n, size, p["scale"])
    const = _unit_columns(ops, size, n, probes) * input_scale
    out = np.empty((size, probes, t // stride + 1))
    out[:, :, 0] = -np.inf
    h, s = None, None
    for k in range(1, t + 1):
        u = const if inputs == "constant" else ops.gaussian((size, n, probes)) * (input_scale / math.sqrt(n))
        z = u if h is None else ops.matmul(w, h) + u * ops.exp(-s)[:, None, :]
        nrm = ops.sq_norms(z)
        s = 0.5 * ops.log(nrm) if s is None else s + 0.5 * ops.log(nrm)
        h = z / nrm[:, None, :] ** 0.5
        if k % stride == 0:
            out[:, :, k // stride] = 2.0 * ops.to_numpy(s)
    return out


def resolve_route(route: str, ensemble: str, n: int, backend: str = "numpy", trials: int = 2) -> str:
    """The route :func:`energy_trajectories` takes: ``"hessenberg"`` from :data:`HESSENBERG_MIN_N`
    on with two or more matrices, else ``"dense"``.

    >>> resolve_route("auto", "glorot", 512), resolve_route("auto", "glorot", 16), resolve_route("auto", "glorot", 512, trials=1)
    ('hessenberg', 'dense', 'dense')
    """
    return choose_route(route, ensemble, backend, worthwhile=n >= HESSENBERG_MIN_N and trials >= 2)


def _run(kind, n, t, trials, probes, ensemble, field, scale, stride, seed, rng, backend, device, mem_cap, extra,
         route="dense"):
    p = _validate(n, t, trials, probes, ensemble, field, scale, stride, backend, mem_cap)
    n, t, trials, probes, stride = p["n"], p["t"], p["trials"], p["probes"], p["stride"]
    route = resolve_route(route, ensemble, n, p["backend"], trials)
    seq = _seed_sequence(seed, rng)
    on_cpu = p["backend"] == "numpy" or str(device or "cpu").startswith("cpu")
    if p["backend"] == "torch" and device is None:
        from lrinit_verify.sampling.torch_ensembles import resolve_device

        on_cpu = resolve_device(None).type == "cpu"
    size = _chunk(n, trials, probes, t // stride + 1, p["field"], p["mem_cap"], on_cpu)
    p["block_bytes"] = BLOCK_BYTES if on_cpu else p["mem_cap"] // 2
    starts = list(range(0, trials, size))
    out = np.empty((trials, probes, t // stride + 1))

    def job(s, child):
        m = min(size, trials - s)
        ops = _ops(p["backend"], child, p["field"], device, route)
        if kind == "power":
            out[s : s + m] = _power_chunk(ops, p, m, ensemble, n, t, probes, stride)
        else:
            out[s : s + m] = _hidden_chunk(ops, p, m, ensemble, n, t, probes, stride, *extra)

    children = seq.spawn(len(starts))
    if p["backend"] == "numpy" and len(starts) > 1:
        # Several chunks: one BLAS thread per worker, workers across cores (matmul releases the GIL).
        with threadpool_limits(1), ThreadPoolExecutor(_default_workers()) as pool:
            list(pool.map(job, starts, children))
    else:
        # One chunk (or torch): the BLAS / torch threads parallelise each product.
        for s, child in zip(starts, children):
            job(s, child)
    return out


def energy_trajectories(
    n, t, trials, *, probes=1, ensemble="glorot", field="real", scale=1.0, stride=1,
    seed=None, rng=None, backend="numpy", device=None, mem_cap=DEFAULT_MEM_CAP, route="auto",
) -> np.ndarray:
    r"""Trajectories $\log\|W^k x\|^2$, $k = 0, \dots, t$, for ``trials`` matrices × ``probes`` unit vectors.

    **Arguments:**
    - ``n`` width, ``t`` length, ``trials`` matrices, ``probes`` independent random unit
      vectors $x$ per matrix; ``ensemble``, ``field``, ``scale`` as in :func:`sample_batch`.
    - ``stride``: record every ``stride``-th step (``t = 10**6`` with ``stride = 1000``).
    - ``seed`` (int) or ``rng`` (numpy Generator): explicit randomness, exactly one.
    - ``backend`` ``"numpy"`` or ``"torch"`` (``device`` ``"cpu"``/``"cuda"``); ``mem_cap`` bytes.
    - ``route``: ``"auto"`` (the Hessenberg model for Gaussian ensembles on numpy at
      $n \ge$ :data:`HESSENBERG_MIN_N` with two or more matrices), ``"hessenberg"`` or ``"dense"``. The Hessenberg model
      has the same law of trajectories: with $H = Q^\top W Q$ (:mod:`lrinit_verify.sampling._hessenberg`),
      $\|W^k x\| = \|H^k Q^\top x\|$ and $Q^\top x$ is again uniform on the sphere and
      independent of $H$, jointly over the probes. Each step then costs a triangular product,
      half the flops of a GEMM.

    **Returns:** float64 array of shape ``(trials, probes, t // stride + 1)``.
    """
    return _run("power", n, t, trials, probes, ensemble, field, scale, stride, seed, rng, backend, device,
                mem_cap, (), route)


def hidden_state_trajectories(
    n, t, trials, *, probes=1, inputs="gaussian", input_scale=1.0, ensemble="glorot", field="real",
    scale=1.0, stride=1, seed=None, rng=None, backend="numpy", device=None, mem_cap=DEFAULT_MEM_CAP,
) -> np.ndarray:
    r"""Trajectories $\log\|h_k\|^2$ of $h_k = W h_{k-1} + u_k$, $h_0 = 0$, in log space.

    ``inputs="gaussian"``: $u_k$ iid $N(0, (\text{input\_scale}^2/n) I)$ (so $E\|u_k\|^2 =$
    ``input_scale``²), independent across time, probes and matrices; then
    $E\|h_t\|^2 = \text{input\_scale}^2 \sum_{k<t} S_{n,k}$ for both fields.
    ``inputs="constant"``: $u_k = $ ``input_scale`` $\cdot x$ for one random unit $x$ per probe.
    Other arguments as in :func:`energy_trajectories`; entry $k = 0$ is $-\infty$.

    >>> h = hidden_state_trajectories(8, 4, 3, ensemble="orthogonal", inputs="constant", seed=0)
    >>> h.shape, bool(np.isneginf(h[:, :, 0]).all())
    ((3, 1, 5), True)
    """
    v.choice("inputs", inputs, INPUTS)
    input_scale = v.positive_real("input_scale", input_scale)
    return _run("hidden", n, t, trials, probes, ensemble, field, scale, stride, seed, rng, backend, device,
                mem_cap, (inputs, input_scale))
