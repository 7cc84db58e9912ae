r"""Backends, seeding and worker counts shared by the Monte Carlo engines (:mod:`.simulate`, :mod:`.trajectories`).

* Seeding: :func:`seed_sequence` turns exactly one of ``seed`` (int) / ``rng`` (numpy Generator) into
  a ``SeedSequence``; chunk :math:`j` of a run draws from its child :math:`j`, on numpy through
  ``default_rng(child)`` and on torch through :func:`torch_generator`.
* Workers: :func:`default_workers` threads, at most :data:`MAX_WORKERS` (chunk sizes assume it, so
  results do not depend on the number of workers actually used).
* Backends: :class:`NumpyOps`, :class:`TorchOps` and :class:`HessenbergOps` (numpy on the Hessenberg
  model, products by :func:`hessenberg_matmul`), the array operations of the trajectory engine.

>>> seed_sequence(3, None).entropy
3
>>> 1 <= default_workers() <= MAX_WORKERS
True
"""

from __future__ import annotations

import math
import os

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import _lapack as lapack
from lrinit_verify.sampling._hessenberg import sample_hessenberg
from lrinit_verify.sampling.ensembles import sample_batch

BACKENDS = ("numpy", "torch")
#: At most this many chunks are in flight (the cap on ``workers``); chunk sizes assume it, so
#: they do not depend on the number of workers actually used.
MAX_WORKERS = 4


def default_workers() -> int:
    """Worker threads: one per core, at most :data:`MAX_WORKERS`."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def seed_sequence(seed, rng) -> np.random.SeedSequence:
    """The run's ``SeedSequence`` from exactly one of ``seed`` (non-negative int) or ``rng`` (Generator)."""
    rng, seed = v.randomness(rng, seed)
    if rng is not None and seed is not None:
        raise InvalidArgument(f"rng={rng!r} and seed={seed!r}: give only one source of randomness")
    if rng is not None:
        return np.random.SeedSequence(v.rng_from(rng=rng).integers(2**63))
    if seed is None:
        raise InvalidArgument("seed=None and rng=None: pass seed= (int) or rng= (numpy Generator) explicitly")
    return np.random.SeedSequence(v.nonnegative_int("seed", seed))


def torch_generator(child: np.random.SeedSequence, device):
    """A ``torch.Generator`` on ``device`` seeded from one child of the run's ``SeedSequence``."""
    import torch

    return torch.Generator(device=device).manual_seed(int(child.generate_state(1, np.uint64)[0] >> 1))


def resolve_torch_device(device):
    """``torch.device`` for ``device`` (default: CUDA when available)."""
    from lrinit_verify.sampling.torch_ensembles import resolve_device

    return resolve_device(device)


def check_device(backend: str, device) -> None:
    """A ``device`` is for ``backend="torch"`` only: with numpy it would be silently ignored, so it is an error.

    >>> check_device("torch", "cpu"), check_device("numpy", None)
    (None, None)
    """
    if backend != "torch" and device is not None:
        raise InvalidArgument(
            f"device={device!r} needs backend='torch' (the {backend} backend runs on the CPU)"
        )


def runs_on_cpu(backend: str, device) -> bool:
    """Whether a run of ``backend`` on ``device`` computes on the CPU (the numpy backend always does)."""
    if backend == "numpy":
        return True
    if device is None:
        return resolve_torch_device(None).type == "cpu"
    return str(device).startswith("cpu")


class NumpyOps:
    """Array operations of the trajectory engine on numpy, drawing from ``default_rng(child)``."""

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
        return (
            np.einsum("bij,bij->bj", x.conj(), x).real
            if np.iscomplexobj(x)
            else np.einsum("bij,bij->bj", x, x)
        )

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
            return np.einsum("mbij,mbij->mbj", buf.real, buf.real) + np.einsum(
                "mbij,mbij->mbj", buf.imag, buf.imag
            )
        return np.einsum("mbij,mbij->mbj", buf, buf)

    @staticmethod
    def max_log_frobenius(w):
        largest = float(np.max(np.einsum("bij,bij->b", w.conj(), w).real))
        return 0.5 * math.log(largest) if largest > 0 else -math.inf

    @staticmethod
    def scale_columns(x, factors):
        return x * factors[:, None, :]


class TorchOps:
    """The same operations on torch tensors on ``device``, drawing from :func:`torch_generator`."""

    def __init__(self, child, field, device):
        import torch

        self.torch = torch
        self.field, self.device = field, device
        self.gen = torch_generator(child, device)

    def matrices(self, ensemble, n, size, scale):
        from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

        return torch_batch(
            ensemble, n, size, field=self.field, scale=scale, generator=self.gen, device=self.device
        )

    def gaussian(self, shape):
        t = self.torch
        z = t.randn(shape, generator=self.gen, device=self.device, dtype=t.float64)
        if self.field == "complex":
            z = t.complex(
                z, t.randn(shape, generator=self.gen, device=self.device, dtype=t.float64)
            ) * math.sqrt(0.5)
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


class HessenbergOps(NumpyOps):
    r"""Gaussian Glorot in the Hessenberg model: :math:`H = Q^T W Q` and :math:`Q^T x` is again uniform.

    Each product is a triangular multiply (``?trmm``, half the flops of a GEMM) plus the
    subdiagonal term; see :func:`hessenberg_matmul`. Iterates are kept with each matrix's
    :math:`n \times p` block Fortran-contiguous, the layout ``?trmm`` works on in place.
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

    :math:`HX = UX + SX` with :math:`U` the upper triangle (BLAS ``?trmm`` in place on a copy of :math:`X`,
    :math:`n^2 p` flops) and :math:`S` the subdiagonal (:math:`(SX)_i = h_{i,i-1} X_{i-1}`). ``out`` must not
    overlap ``x``; its blocks ``out[b]`` should be Fortran-contiguous (else a copy is made).
    ``sub`` (the subdiagonals, shape ``(size, n-1, 1)``) and ``scratch`` (shape of ``x[:, 1:]``)
    may be passed to save their allocation at every step.

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
