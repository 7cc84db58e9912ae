r"""The per-chunk kernels of the trajectory engine (:mod:`lrinit_verify.montecarlo.trajectories`).

:math:`\log\|W^k x\|^2` comes from blocked products, renormalised once per block of
:math:`m \le` :data:`MAX_BLOCK` steps with :math:`\|W\|_F^m \le 2^{400}`; :math:`\log\|h_k\|^2` of
:math:`h_k = W h_{k-1} + u_k` is tracked as :math:`h = e^{s}\hat h` with :math:`\|\hat h\| = 1`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from lrinit_verify.montecarlo.trajectories import _Plan

__all__ = ["BLOCK_BYTES", "MAX_BLOCK", "block_length"]

#: At most this many steps between renormalisations, and this many bytes of buffered iterates.
MAX_BLOCK = 32
BLOCK_BYTES = 2**23
#: Iterates of one block stay within 2^(±400) of their unit start (float64 spans 2^(±1022)).
_SAFE_LOG = 400 * math.log(2)
_TINY = 2.0**-800


def _unit_columns(ops, size, n, probes):
    x = ops.gaussian((size, n, probes))
    return x / ops.sq_norms(x)[:, None, :] ** 0.5


def block_length(
    log_growth: float, size: int, n: int, probes: int, entry: int = 8, budget: int = BLOCK_BYTES
) -> int:
    r"""Steps per block: :math:`\|W\|_F^{m} \le 2^{400}` (so :math:`\|W^m x\| \le 2^{400}\|x\|`, since
    :math:`\|W\|_2 \le \|W\|_F`) and the block's iterates fit in ``budget`` bytes (:data:`BLOCK_BYTES`
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


def _power_chunk(ops, plan: _Plan, size: int):
    r"""log||W^k x||^2 for k = 0, stride, 2 stride, ... for one chunk of matrices.

    Each step is one batched product into a preallocated buffer; the column norms of a whole
    block of :math:`m` iterates are taken at once and the columns renormalised once per block
    (:func:`block_length`). A block that would underflow is cut to its first step and :math:`m` halves,
    so contracting matrices fall back to step-by-step renormalisation.
    """
    n, t, probes, stride = plan.n, plan.t, plan.probes, plan.stride
    w = ops.matrices(plan.ensemble, n, size, plan.scale)
    x = _unit_columns(ops, size, n, probes)
    acc = np.zeros((size, probes))
    out = np.empty((size, probes, t // stride + 1))
    out[:, :, 0] = 0.0
    m = block_length(ops.max_log_frobenius(w), size, n, probes, ops.entry_bytes(x), plan.block_bytes)
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


def _hidden_chunk(ops, plan: _Plan, size: int):
    """log||h_k||^2 with h_k = W h_{k-1} + u_k, h_0 = 0, tracked as h = e^{s} ĥ with ||ĥ|| = 1."""
    n, t, probes, stride, input_scale = plan.n, plan.t, plan.probes, plan.stride, plan.input_scale
    w = ops.matrices(plan.ensemble, n, size, plan.scale)
    const = _unit_columns(ops, size, n, probes) * input_scale
    out = np.empty((size, probes, t // stride + 1))
    out[:, :, 0] = -np.inf
    h, s = None, None
    for k in range(1, t + 1):
        u = (
            const
            if plan.inputs == "constant"
            else ops.gaussian((size, n, probes)) * (input_scale / math.sqrt(n))
        )
        z = u if h is None else ops.matmul(w, h) + u * ops.exp(-s)[:, None, :]
        nrm = ops.sq_norms(z)
        s = 0.5 * ops.log(nrm) if s is None else s + 0.5 * ops.log(nrm)
        h = z / nrm[:, None, :] ** 0.5
        if k % stride == 0:
            out[:, :, k // stride] = 2.0 * ops.to_numpy(s)
    return out
