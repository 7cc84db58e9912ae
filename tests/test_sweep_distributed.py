"""Sweep on Dask (``distributed`` tier): same bits as the serial run, worker deaths, poison tasks.

Run with ``pytest -m distributed tests/test_sweep_distributed.py`` (needs the ``distributed``
extra); about a minute on 2 cores. Deterministic: every expectation is the serial in-process run
or a count, never a value computed on the cluster alone.
"""

from __future__ import annotations

import glob
import hashlib
import os
import signal
import threading
import time

import pytest

# exc_type=ImportError: an installed but broken import (e.g. ``ssl`` that cannot load) skips with its
# reason instead of breaking collection of the default tier; CI imports the extra before this tier.
pytest.importorskip("distributed", exc_type=ImportError)
pytest.importorskip("pyarrow", exc_type=ImportError)
pytest.importorskip("pandas", exc_type=ImportError)

import dask
from distributed import LocalCluster

from lrinit_verify.cli.app import main
from lrinit_verify.sweep import load, run, store
from lrinit_verify.sweep.runner import ClusterMismatch
from lrinit_verify.sweep.tasks import TRACE_ENV

pytestmark = pytest.mark.distributed

POINT_KEYS = list(store.POINT_TYPES)


def block(**kw):
    base = {
        "ensembles": [{"initialiser": "glorot", "field": ["real", "complex"]}],
        "widths": [6, 24],
        "statistics": ["spectral_radius"],
        "trials": 12,
    }
    return {**base, **kw}


GRID = {
    "seed": 11,
    "chunk_trials": 4,
    "grid": [
        block(),
        block(
            ensembles=[{"initialiser": "orthogonal", "scale": 1.1}],
            widths=[10],
            statistics=["real_eigenvalue_count", "energy_trajectory", "explosion_length"],
            lengths=[30],
            probes=2,
        ),
    ],
}


def digests(root) -> dict:
    out = {}
    for p in glob.glob(os.path.join(root, "parts", "**", "*.parquet"), recursive=True):
        with open(p, "rb") as fh:
            out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    assert run(GRID, out, progress=False).ok
    return out


@pytest.fixture(scope="module")
def trace_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("trace")


@pytest.fixture(scope="module")
def cluster(trace_dir):
    """Two worker processes that mark each task start in ``trace_dir`` (the env is set only for their spawn)."""
    os.environ[TRACE_ENV] = str(trace_dir)
    try:
        c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    finally:
        del os.environ[TRACE_ENV]
    with c:
        yield c


def assert_complete_without_duplicates(out, serial_out):
    df = load(out)
    assert not df.duplicated(POINT_KEYS + ["chunk", "trial", "probe", "step"]).any()
    for _, rows in df.groupby(POINT_KEYS):
        assert sorted(set(rows.trial)) == list(range(12))
    assert digests(out) == digests(serial_out)


def test_two_worker_processes_give_the_serial_bits(tmp_path, serial, cluster):
    res = run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    assert res.ok and res.done == res.tasks == len(digests(serial))
    assert_complete_without_duplicates(tmp_path, serial)


def test_resume_after_an_interrupt(tmp_path, serial, cluster, monkeypatch):
    real_write, calls = store.write_part, []

    def interrupt_after_five(*args):
        if len(calls) == 5:
            raise KeyboardInterrupt
        calls.append(args)
        return real_write(*args)

    monkeypatch.setattr(store, "write_part", interrupt_after_five)
    with pytest.raises(KeyboardInterrupt):
        run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    monkeypatch.setattr(store, "write_part", real_write)
    assert len(digests(tmp_path)) == 5
    resumed = run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    assert (resumed.submitted, resumed.skipped) == (resumed.tasks - 5, 5)
    assert_complete_without_duplicates(tmp_path, serial)
    finished = run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    assert finished.submitted == 0


def test_grid_extension_leaves_existing_parts_byte_identical(tmp_path, cluster):
    small = {**GRID, "grid": GRID["grid"][:1]}
    run(small, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    before = digests(tmp_path)
    res = run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False)
    assert res.skipped == len(before) and res.submitted == res.tasks - len(before) > 0
    after = digests(tmp_path)
    assert {k: after[k] for k in before} == before


def test_cluster_with_other_versions_is_refused(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(store, "toolkit_version", lambda: "0.0.0-client")  # the workers keep theirs
    with pytest.raises(ClusterMismatch, match="workers run other versions than the client"):
        run(GRID, tmp_path, scheduler=cluster.scheduler_address, progress=False, resume=False)
    assert digests(tmp_path) == {}


def _kill_first_task(trace_dir, killed, stop):
    """SIGKILL the worker that starts the first task, 0.05 s into the task."""
    while not stop.is_set():
        marks = os.listdir(trace_dir)
        if marks:
            ident, pid, _ = marks[0].rsplit(".", 2)
            time.sleep(0.05)
            os.kill(int(pid), signal.SIGKILL)
            killed.append((ident, int(pid)))
            return
        time.sleep(0.005)


def test_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path, cluster, trace_dir):
    slow = {
        "seed": 5,
        "chunk_trials": 48,  # about 0.25 s per task on an idle core: the kill lands 0.05 s in
        "grid": [block(ensembles=[{"initialiser": "glorot"}], widths=[128], trials=96)],
    }
    serial_out, out, trace = tmp_path / "serial", tmp_path / "out", trace_dir
    run(slow, serial_out, progress=False)
    for mark in os.listdir(trace):  # marks of the earlier tests
        os.remove(trace / mark)
    killed, stop = [], threading.Event()
    killer = threading.Thread(target=_kill_first_task, args=(trace, killed, stop))
    killer.start()
    try:
        res = run(slow, out, scheduler=cluster.scheduler_address, progress=False)
    finally:
        stop.set()
        killer.join()
    assert res.ok and killed
    ident, pid = killed[0]
    assert pid != os.getpid()
    runs = [m for m in os.listdir(trace) if m.startswith(ident + ".")]
    assert len(runs) >= 2 and len({m.rsplit(".", 2)[1] for m in runs}) >= 2  # the killed task ran again
    df = load(out)
    assert not df.duplicated(["chunk", "trial"]).any() and sorted(df.trial) == list(range(96))
    assert digests(out) == digests(serial_out)


def test_poison_task_is_recorded_failed_and_the_rest_completes(tmp_path, monkeypatch, capsys):
    grid = tmp_path / "poison.toml"
    grid.write_text(
        'chunk_trials = 4\n[[grid]]\nensembles = [{ initialiser = "glorot" }]\nwidths = [8]\n'
        'statistics = ["spectral_radius"]\ntrials = 12\n'
        '[[grid]]\nensembles = [{ initialiser = "glorot" }]\nwidths = [8]\n'
        'statistics = ["_exit_worker"]\ntrials = 4\n'
    )
    monkeypatch.setenv("LRINIT_SWEEP_TEST_HOOKS", "1")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        code = main(["sweep", str(grid), "--out", str(tmp_path / "out"), "--workers", "2"])
    assert code == 1
    tasks = store.read_manifest(tmp_path / "out")["tasks"].values()
    status = sorted((r["point"]["statistic"], r["status"]) for r in tasks)
    assert status == [("_exit_worker", "failed")] + [("spectral_radius", "done")] * 3
    assert "KilledWorker" in next(r["error"] for r in tasks if r["status"] == "failed")
    assert len(load(tmp_path / "out")) == 12
    assert "1 failed" in capsys.readouterr().err
