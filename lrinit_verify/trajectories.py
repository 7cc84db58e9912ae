r"""Monte Carlo energy engine: trajectories of $\log\|W^k x\|^2$ and of $\log\|h_k\|^2$.

For a chunk of $B$ matrices and $p$ probe vectors per matrix, each step is one batched
matrix–matrix product $X \leftarrow W X$ with $X$ of shape $(B, n, p)$, written into a
preallocated buffer. The column norms of a whole block of up to :data:`MAX_BLOCK` iterates are
taken at once and the columns renormalised once per block; the log-norms are accumulated, so
$t = 10^6$ steps neither overflow nor underflow and the growth rate is kept. The block length
is bounded a priori by $\|W\|_F^m \le 2^{400}$ and shortened a posteriori when a block would
underflow (see :func:`block_length`). The Python loop runs over steps, never over matrices.

Threads: with several chunks, chunks run on worker threads (one per core) with one BLAS thread
each; a single chunk (one large matrix) uses the BLAS threads instead. At $n = 512$,
$t = 1024$, $p = 64$ the engine reaches about 0.8 of this machine's measured matmul rate
(``lrinit-verify bench``). Chunks are sized so that the matrices, probes, block buffer and output
of one chunk fit in ``mem_cap`` bytes (the cap of :mod:`lrinit_verify.simulate`).

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

from . import _validate as v
from .ensembles import ENSEMBLES, sample_batch
from .simulate import DEFAULT_MEM_CAP, _default_workers, _seed_sequence

INPUTS = ("gaussian", "constant")


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
        from .torch_ensembles import sample_batch as torch_batch

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


def _ops(backend, child, field, device):
    if backend == "numpy":
        return _NumpyOps(child, field)
    from .torch_ensembles import resolve_device

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


def _run(kind, n, t, trials, probes, ensemble, field, scale, stride, seed, rng, backend, device, mem_cap, extra):
    p = _validate(n, t, trials, probes, ensemble, field, scale, stride, backend, mem_cap)
    n, t, trials, probes, stride = p["n"], p["t"], p["trials"], p["probes"], p["stride"]
    seq = _seed_sequence(seed, rng)
    on_cpu = p["backend"] == "numpy" or str(device or "cpu").startswith("cpu")
    if p["backend"] == "torch" and device is None:
        from .torch_ensembles import resolve_device

        on_cpu = resolve_device(None).type == "cpu"
    size = _chunk(n, trials, probes, t // stride + 1, p["field"], p["mem_cap"], on_cpu)
    p["block_bytes"] = BLOCK_BYTES if on_cpu else p["mem_cap"] // 2
    starts = list(range(0, trials, size))
    out = np.empty((trials, probes, t // stride + 1))

    def job(s, child):
        m = min(size, trials - s)
        ops = _ops(p["backend"], child, p["field"], device)
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
    seed=None, rng=None, backend="numpy", device=None, mem_cap=DEFAULT_MEM_CAP,
) -> np.ndarray:
    r"""Trajectories $\log\|W^k x\|^2$, $k = 0, \dots, t$, for ``trials`` matrices × ``probes`` unit vectors.

    **Arguments:**
    - ``n`` width, ``t`` length, ``trials`` matrices, ``probes`` independent random unit
      vectors $x$ per matrix; ``ensemble``, ``field``, ``scale`` as in :func:`sample_batch`.
    - ``stride``: record every ``stride``-th step (``t = 10**6`` with ``stride = 1000``).
    - ``seed`` (int) or ``rng`` (numpy Generator): explicit randomness, exactly one.
    - ``backend`` ``"numpy"`` or ``"torch"`` (``device`` ``"cpu"``/``"cuda"``); ``mem_cap`` bytes.

    **Returns:** float64 array of shape ``(trials, probes, t // stride + 1)``.
    """
    return _run("power", n, t, trials, probes, ensemble, field, scale, stride, seed, rng, backend, device,
                mem_cap, ())


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
