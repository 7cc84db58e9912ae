r"""Monte Carlo energy engine: trajectories of $\log\|W^k x\|^2$ and of $\log\|h_k\|^2$.

For a chunk of $B$ matrices and $p$ probe vectors per matrix, each step is one batched
matrix–matrix product $X \leftarrow W X$ with $X$ of shape $(B, n, p)$, followed by a
renormalisation of every column: the log-norms are accumulated, so $t = 10^6$ steps neither
overflow nor underflow and the growth rate is kept. The Python loop runs over steps, never over
matrices. Chunks are sized so that the matrices, probes and output of one chunk fit in
``mem_cap`` bytes (the cap of :mod:`lrinit_verify.simulate`).

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
import time

import numpy as np
from threadpoolctl import threadpool_limits

from . import _validate as v
from .ensembles import ENSEMBLES, sample_batch
from .simulate import DEFAULT_MEM_CAP, _seed_sequence

INPUTS = ("gaussian", "constant")


#: Bytes of matrices per chunk on CPU: a chunk that stays in cache across steps is 3-7x faster
#: than one streamed from memory at every step (measured at n = 64 on 2 cores).
CPU_CHUNK_BYTES = 2**20


def _chunk(n, trials, probes, records, field, mem_cap, on_cpu) -> int:
    entry = 16 if field == "complex" else 8
    per_matrix = entry * (2 * n * n + 4 * n * probes) + 8 * probes * records
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


def _ops(backend, child, field, device):
    if backend == "numpy":
        return _NumpyOps(child, field)
    from .torch_ensembles import resolve_device

    return _TorchOps(child, field, resolve_device(device))


def _unit_columns(ops, size, n, probes):
    x = ops.gaussian((size, n, probes))
    return x / ops.sq_norms(x)[:, None, :] ** 0.5


def _power_chunk(ops, p, size, ensemble, n, t, probes, stride):
    """log||W^k x||^2 for k = 0, stride, 2 stride, ... for one chunk of matrices."""
    w = ops.matrices(ensemble, n, size, p["scale"])
    x = _unit_columns(ops, size, n, probes)
    acc = ops.full((size, probes), 0.0, x)
    out = np.empty((size, probes, t // stride + 1))
    out[:, :, 0] = 0.0
    for k in range(1, t + 1):
        x = ops.matmul(w, x)
        nrm = ops.sq_norms(x)
        acc = acc + ops.log(nrm)
        x = x / nrm[:, None, :] ** 0.5
        if k % stride == 0:
            out[:, :, k // stride] = ops.to_numpy(acc)
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
    starts = list(range(0, trials, size))
    out = np.empty((trials, probes, t // stride + 1))
    with threadpool_limits(1):
        for s, child in zip(starts, seq.spawn(len(starts))):
            m = min(size, trials - s)
            ops = _ops(p["backend"], child, p["field"], device)
            if kind == "power":
                out[s : s + m] = _power_chunk(ops, p, m, ensemble, n, t, probes, stride)
            else:
                out[s : s + m] = _hidden_chunk(ops, p, m, ensemble, n, t, probes, stride, *extra)
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


def _naive_loop(mats: np.ndarray, t: int) -> np.ndarray:
    """Reference: one matrix at a time, one step at a time (what the batched engine replaces)."""
    out = np.empty((len(mats), t + 1))
    for i, w in enumerate(mats):
        x = np.zeros(w.shape[0])
        x[0] = 1.0
        acc = 0.0
        out[i, 0] = 0.0
        for k in range(1, t + 1):
            x = w @ x
            nrm = float(x @ x)
            acc += math.log(nrm)
            x /= math.sqrt(nrm)
            out[i, k] = acc
    return out


def benchmark(n=64, t=256, trials=512, *, naive_trials=32, backend="numpy", device=None, seed=0) -> dict:
    r"""Throughput in matrix-steps per second: batched engine vs a naive per-matrix, per-step loop.

    **Returns:** ``{"n", "t", "batched_matrix_steps_per_s", "naive_matrix_steps_per_s", "speedup"}``.

    >>> r = benchmark(8, 16, 16, naive_trials=4)
    >>> r["speedup"] > 0
    True
    """
    n = v.positive_int("n", n)
    t = v.positive_int("t", t)
    trials = v.positive_int("trials", trials)
    naive_trials = v.positive_int("naive_trials", naive_trials)
    start = time.perf_counter()
    energy_trajectories(n, t, trials, seed=seed, backend=backend, device=device)
    batched = trials * t / (time.perf_counter() - start)
    mats = sample_batch("glorot", n, naive_trials, seed=seed)
    start = time.perf_counter()
    with threadpool_limits(1):
        _naive_loop(mats, t)
    naive = naive_trials * t / (time.perf_counter() - start)
    return {"n": n, "t": t, "backend": backend, "batched_matrix_steps_per_s": batched,
            "naive_matrix_steps_per_s": naive, "speedup": batched / naive}
