r"""First-crossing times of given matrices, one start vector (or input sequence) per matrix.

The log energies :math:`\log\|W^t x\|^2` (or :math:`\log\|h_t\|^2` of :math:`h_t = W h_{t-1} + u_t`) come from
the kernels of the trajectory engine; :math:`T` is the first :math:`t \ge 1` with log energy
:math:`\ge \log K` (:math:`\log K + \log t` when driven), as defined in :mod:`lrinit_verify.montecarlo.explosion`.
"""

from __future__ import annotations

import math

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import trajectories as T
from lrinit_verify.montecarlo._backends import NumpyOps, seed_sequence


def _as_batch(w, n: int, name: str = "sampler(rng)") -> np.ndarray:
    """A sampler's (or caller's) output as a finite float64/complex128 array of shape (B, n, n)."""
    a = np.asarray(w)
    a = a[None] if a.ndim == 2 else a
    if a.ndim != 3 or a.shape[1:] != (n, n) or a.shape[0] == 0:
        raise InvalidArgument(f"{name} has shape {np.shape(w)}; need ({n}, {n}) or (batch, {n}, {n})")
    if a.dtype.kind not in "fc":
        raise InvalidArgument(f"{name} has dtype {a.dtype}; need a real or complex floating dtype")
    a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    if not np.all(np.isfinite(a)):
        raise InvalidArgument(f"{name} has non-finite entries")
    return a


class _GivenOps(NumpyOps):
    """The engine's numpy operations, with the matrices supplied instead of drawn."""

    def __init__(self, child, field, matrices):
        super().__init__(child, field)
        self._w = matrices

    def matrices(self, ensemble, n, size, scale):
        return self._w


def _sequence(seed, rng) -> np.random.SeedSequence:
    """Explicit randomness: ``seed`` an int or ``SeedSequence``, or ``rng`` a numpy Generator."""
    if isinstance(seed, np.random.SeedSequence) and rng is None:
        return seed
    return seed_sequence(seed, rng)


def crossings_from_logs(log_energy, threshold: float, *, driven: bool = False) -> np.ndarray:
    """First :math:`t \\ge 1` with ``log_energy[:, t]`` :math:`\\ge \\log K` (:math:`+ \\log t` if ``driven``); ``inf`` if none.

    >>> crossings_from_logs(np.log([[1.0, 50.0, 150.0], [1.0, 2.0, 3.0]]), 100.0).tolist()
    [2.0, inf]
    """
    log_energy = np.asarray(log_energy, dtype=np.float64)
    steps = np.arange(1, log_energy.shape[-1])
    level = math.log(threshold) + (np.log(steps) if driven else 0.0)
    hit = log_energy[:, 1:] >= level
    first = np.argmax(hit, axis=1) + 1.0
    return np.where(hit.any(axis=1), first, math.inf)


def _check_run(threshold, max_length, driven) -> tuple[float, int, bool]:
    threshold = v.positive_real("threshold", threshold)
    if threshold <= 1.0:
        raise InvalidArgument(f"threshold={threshold!r} must exceed 1 (the energy at t = 0 is 1)")
    if not isinstance(driven, (bool, np.bool_)):
        raise InvalidArgument(f"driven={driven!r} must be True or False")  # noqa: TRY004 (project: ValueError)
    return threshold, v.positive_int("max_length", max_length), bool(driven)


def energy_logs(matrices, *, max_length=1024, driven=False, seed=None, rng=None) -> np.ndarray:
    r"""Log energies :math:`\log\|W^t x\|^2` (or :math:`\log\|h_t\|^2` if ``driven``), :math:`t = 0..` ``max_length``, of a given batch.

    One start vector (or input sequence) per matrix, of the matrices' field, drawn from ``seed`` /
    ``rng``; computed by the trajectory engine. **Returns:** float array ``(B, max_length + 1)``.

    >>> energy_logs(np.stack([2.0 * np.eye(2)]), max_length=3, seed=0).round(6).tolist()[0] == [
    ...     0.0, round(math.log(4), 6), round(math.log(16), 6), round(math.log(64), 6)]
    True
    """
    max_length = v.positive_int("max_length", max_length)
    w = np.asarray(matrices)
    if w.ndim not in (2, 3):
        raise InvalidArgument(f"matrices with shape {w.shape} must have shape (n, n) or (batch, n, n)")
    w = _as_batch(w, w.shape[-1], "matrices")
    field = "complex" if np.iscomplexobj(w) else "real"
    step = max(1, T.CPU_CHUNK_BYTES // (w.itemsize * w.shape[1] ** 2))  # cache-resident sub-batches
    seq = _sequence(seed, rng)
    children = seq.spawn(-(-len(w) // step)) if len(w) > step else [seq]
    return np.concatenate(
        [
            _logs_chunk(w[s : s + step], c, field, max_length, driven)
            for s, c in zip(range(0, len(w), step), children)
        ]
    )


def _logs_chunk(w, child, field, max_length, driven) -> np.ndarray:
    size, n = w.shape[0], w.shape[1]
    ops = _GivenOps(child, field, w)
    plan = T._plan("hidden" if driven else "power", n, max_length, size, field=field)
    logs = (T._hidden_chunk if driven else T._power_chunk)(ops, plan, size)
    return logs[:, 0, :]


def first_crossings(matrices, *, threshold=100.0, max_length=1024, driven=False, seed=None, rng=None):
    r"""First-crossing times :math:`T` (:data:`~lrinit_verify.montecarlo.explosion.DEFINITIONS`) of a given batch of matrices, one start per matrix.

    **Arguments:** ``matrices`` of shape ``(B, n, n)`` (or one ``(n, n)``), real or complex (the
    start vector / inputs take the same field); ``threshold`` :math:`K > 1`; ``max_length`` the censoring
    length; ``driven`` picks the definition; ``seed`` / ``rng`` draw the starts or inputs.

    **Returns:** float array of shape ``(B,)``: integers in :math:`[1, \text{max\_length}]`, ``inf`` if censored.

    >>> w = np.stack([2.0 * np.eye(3), 0.5 * np.eye(3)])
    >>> first_crossings(w, max_length=50, seed=0).tolist()
    [4.0, inf]
    """
    threshold, max_length, driven = _check_run(threshold, max_length, driven)
    logs = energy_logs(matrices, max_length=max_length, driven=driven, seed=seed, rng=rng)
    return crossings_from_logs(logs, threshold, driven=driven)
