r"""The Dask cluster of a sweep: its settings, a local cluster, and checks of a running cluster.

:data:`SWEEP_DASK` holds the Dask settings that :func:`local_cluster` applies and docs/sweep.md asks of
``dask scheduler`` and ``dask worker``; :func:`check_cluster` refuses workers whose versions differ
from the client's; :func:`cluster_notes` names settings of a running cluster that cost throughput.
"""

from __future__ import annotations

import os
import pathlib

from lrinit_verify.sweep import store

#: :data:`SWEEP_DASK` as a Dask configuration file, for ``dask scheduler`` and ``dask worker``:
#: ``export DASK_CONFIG=$(python -m lrinit_verify.sweep.cluster)`` prints its path.
CONFIG_FILE = pathlib.Path(__file__).with_name("dask-sweep.yaml")
#: What a note on a cluster without :data:`SWEEP_DASK` asks for.
_FIX = "start the scheduler and the workers with DASK_CONFIG=$(python -m lrinit_verify.sweep.cluster)"

#: Dask settings of the sweep's local cluster; :data:`CONFIG_FILE` holds the same for ``dask scheduler``
#: and ``dask worker`` (docs/sweep.md). Measured on 2 cores:
#:
#: * Dask's statistical profiler samples each worker's stack every 10 ms, and every event loop ticks
#:   every 20 ms: an idle 2-worker cluster burnt about 20 % of one core on them (client and scheduler
#:   8 %, each worker 6 %). They only feed the dashboard and time the loop.
#: * Worker saturation 1.1 sends a one-thread worker a second task to queue, so at the end of a sweep
#:   one worker can idle while another still holds two; with 1.0 a task goes to the first free worker.
#: * The nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which turns off glibc's dynamic
#:   mmap threshold: every array over 128 KiB (a 256 x 256 matrix is 512 KiB) is then mapped afresh
#:   and page-faulted in: 62,000 faults and 4 % of the time in the kernel over 160 matrices of n = 256.
#:
#: The ``sweep`` benchmark's 2-vs-1 worker speed-up went from 1.71 to 1.99 (32 tasks of 0.6 s)
#: without profiler and tick, and from 1.78 to 1.98 (16 tasks of 4.5 s) with saturation 1.0.
SWEEP_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
_TRIM = "MALLOC_TRIM_THRESHOLD_"


class ClusterMismatch(ValueError):
    """The cluster cannot run the sweep: workers with other toolkit/numpy/Python versions, or none."""


def local_cluster(workers: int, threads_per_worker: int = 1):
    """A ``distributed.LocalCluster`` of ``workers`` processes with :data:`SWEEP_DASK` settings.

    Dask's nannies copy their spawn settings into this process's environment, so a cluster started
    here before with Dask's defaults leaves ``MALLOC_TRIM_THRESHOLD_`` set for every later worker:
    it is removed while the workers start, and put back after.
    """
    import dask
    from distributed import LocalCluster

    saved = os.environ.pop(_TRIM, None)
    try:
        with dask.config.set(SWEEP_DASK):
            return LocalCluster(
                n_workers=workers,
                threads_per_worker=threads_per_worker,
                processes=True,
                dashboard_address=":0",
            )
    finally:
        if saved is not None:
            os.environ[_TRIM] = saved


def profiling_workers(client) -> list:
    """Addresses of the workers that run Dask's statistical profiler (see :data:`SWEEP_DASK`)."""
    import dask

    on = client.run(dask.config.get, "distributed.worker.profile.enabled")
    return sorted(addr for addr, enabled in on.items() if enabled)


def check_cluster(client, *, timeout: float = 60.0) -> dict:
    """Wait for a worker, then compare every worker's :func:`~store.versions` with the client's.

    Raises :class:`ClusterMismatch` naming each worker that differs; returns ``{address: versions}``.
    """
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterMismatch(f"no worker joined the scheduler within {timeout:g} s") from None
    local = store.versions()
    remote = client.run(store.versions)
    bad = {addr: ver for addr, ver in remote.items() if ver != local}
    if bad:
        lines = "; ".join(f"{addr}: {ver}" for addr, ver in sorted(bad.items()))
        raise ClusterMismatch(
            f"workers run other versions than the client ({local}): {lines}; install the "
            "same lrinit-verify, numpy and Python on every worker"
        )
    return remote


def _environment(name: str):
    """``os.environ.get(name)`` where it runs (``client.run(os.environ.get, ...)`` would pickle the
    client's own ``os.environ`` and read that)."""
    return os.environ.get(name)


def _saturation(dask_scheduler=None) -> float:
    return dask_scheduler.WORKER_SATURATION


def cluster_notes(client) -> list:
    """Notes on settings of a running cluster that differ from :data:`SWEEP_DASK` and cost throughput."""
    notes = []
    busy = profiling_workers(client)
    if busy:
        notes.append(
            f"{len(busy)} worker(s) run Dask's statistical profiler, which costs a few % of each core"
        )
    trimming = sorted(a for a, v in client.run(_environment, _TRIM).items() if v)
    if trimming:
        notes.append(
            f"{len(trimming)} worker(s) run with MALLOC_TRIM_THRESHOLD_ set (Dask's default), which maps "
            "and page-faults every large array afresh"
        )
    saturation = client.run_on_scheduler(_saturation)
    if saturation != 1.0:
        notes.append(
            f"the scheduler's worker-saturation is {saturation}: workers queue tasks, so one can idle at "
            "the end while another holds two"
        )
    return [f"{note}; {_FIX}" for note in notes]


if __name__ == "__main__":
    print(CONFIG_FILE)
