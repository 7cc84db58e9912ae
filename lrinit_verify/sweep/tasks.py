r"""The work of one sweep task: a statistic of trials ``start:stop`` of one grid point.

Statistics (long format: one row per trial, probe and recorded step; ``value`` float64):

* ``spectral_radius`` — :math:`\rho(W) = \max_i |\lambda_i|` (:func:`lrinit_verify.montecarlo.simulate.spectra`).
* ``real_eigenvalue_count`` — number of exactly real eigenvalues (real field).
* ``energy_trajectory`` — :math:`\log\|W^k x\|^2` for :math:`k = 0, \text{stride}, \dots \le t` and ``probes``
  unit vectors :math:`x` per matrix (:func:`lrinit_verify.montecarlo.trajectories.energy_trajectories`).
* ``explosion_length`` — the first :math:`k \le t` with :math:`\|W^k x\|^2 \ge K` (``threshold``), from the
  stride-1 trajectory; ``inf`` when the energy stays below :math:`K` up to :math:`t`.

The points of one sample (same keys but ``statistic``/``threshold``) use the same matrices:
``spectral_radius`` and ``real_eigenvalue_count`` rows with equal ``(chunk, trial)`` describe one
matrix. Each task runs its engine with one worker thread (``workers=1``); the sweep pins BLAS to one
thread per worker thread (:func:`one_blas_thread`).

Example:
    >>> from lrinit_verify.sweep.grid import Point, Task
    >>> cols = compute(Task(Point("explosion_length", "orthogonal", "real", "2.0", 4, length=6,
    ...                           probes=1, stride=1, threshold=100.0), 0, 0, 2, 0))
    >>> cols["value"].tolist()   # ||(2Q)^k x||^2 = 4^k first reaches 100 at k = 4
    [4.0, 4.0]
"""

from __future__ import annotations

import math
import os
import time

import numpy as np

from lrinit_verify.montecarlo.simulate import count_real_eigenvalues, spectra
from lrinit_verify.montecarlo.trajectories import energy_trajectories
from lrinit_verify.sweep.grid import Task

#: Environment variable naming a directory where each task start leaves a marker file
#: ``<task id>.<pid>.<ns>`` (used by the fault tests to prove that a task ran twice).
TRACE_ENV = "LRINIT_SWEEP_TRACE"
_BLAS_PINNED = []


def one_blas_thread() -> None:
    """Pin BLAS/OpenMP pools of this process to one thread (once per process; threadpoolctl)."""
    if not _BLAS_PINNED:
        from threadpoolctl import threadpool_limits

        _BLAS_PINNED.append(threadpool_limits(1))


def _trace(task: Task) -> None:
    where = os.environ.get(TRACE_ENV)
    if where:
        open(os.path.join(where, f"{task.ident}.{os.getpid()}.{time.time_ns()}"), "w").close()


def _rows(values: np.ndarray, task: Task, stride: int = 0) -> dict:
    """Long-format columns from ``values`` of shape (trials, probes, records)."""
    m, probes, records = values.shape
    trial, probe, step = np.meshgrid(
        np.arange(task.start, task.start + m), np.arange(probes), np.arange(records) * stride, indexing="ij"
    )
    return {
        "chunk": np.full(values.size, task.chunk, dtype=np.int32),
        "trial": trial.ravel().astype(np.int64),
        "probe": probe.ravel().astype(np.int32),
        "step": step.ravel().astype(np.int64),
        "value": values.ravel().astype(np.float64),
    }


def first_crossing(log_energy: np.ndarray, threshold: float) -> np.ndarray:
    r"""First index :math:`k` along the last axis with ``log_energy[..., k]`` :math:`\ge \log K`; ``inf`` if none.

    >>> first_crossing(np.log([[1.0, 50.0, 100.0, 400.0], [1.0, 2.0, 3.0, 4.0]]), 100.0).tolist()
    [2.0, inf]
    """
    crossed = log_energy >= math.log(threshold)
    first = np.argmax(crossed, axis=-1).astype(np.float64)
    return np.where(crossed.any(axis=-1), first, np.inf)


def compute(task: Task, *, in_worker: bool = False) -> dict:
    """Columns ``chunk, trial, probe, step, value`` (numpy arrays) of one task.

    ``in_worker`` allows the test-only statistic ``_exit_worker`` to kill its process
    (elsewhere it raises ``RuntimeError``).
    """
    _trace(task)
    p = task.point
    ensemble, scale = p.engine()
    rng = np.random.default_rng(np.random.SeedSequence(task.entropy()))
    m = task.stop - task.start
    if p.statistic == "_exit_worker":
        if in_worker:
            os._exit(17)
        raise RuntimeError("statistic '_exit_worker' kills its worker; it runs only on a cluster")
    if p.kind == "spectra":
        eig = spectra(p.n, m, ensemble=ensemble, field=p.field, scale=scale, rng=rng, workers=1)
        stat = np.abs(eig).max(axis=1) if p.statistic == "spectral_radius" else count_real_eigenvalues(eig)
        return _rows(stat.reshape(m, 1, 1), task)
    traj = energy_trajectories(
        p.n,
        p.length,
        m,
        probes=p.probes,
        ensemble=ensemble,
        field=p.field,
        scale=scale,
        stride=p.stride,
        rng=rng,
    )
    if p.statistic == "energy_trajectory":
        return _rows(traj, task, p.stride)
    return _rows(first_crossing(traj, p.threshold)[:, :, None], task)


class VersionMismatch(RuntimeError):
    """This worker runs other versions than the client that submitted the task."""


def compute_in_worker(task: Task, expected_versions: dict | None = None) -> dict:
    """:func:`compute` as a Dask task: BLAS pinned to one thread in this worker process first.

    ``expected_versions`` (the client's :func:`~lrinit_verify.sweep.store.versions`) is checked
    here too, so that a worker that joins after the sweep's cluster check cannot mix in other bits.
    """
    from lrinit_verify.sweep.store import versions

    if expected_versions is not None and versions() != expected_versions:
        raise VersionMismatch(f"worker runs {versions()}, the client {expected_versions}")
    one_blas_thread()
    return compute(task, in_worker=True)
