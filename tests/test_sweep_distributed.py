"""Sweep on Dask (``distributed`` tier): same bits as the serial run, worker deaths, poison tasks.

Run with ``pytest -m distributed tests/test_sweep_distributed.py`` (needs the ``distributed``
extra); about a minute on 2 cores. Deterministic: every expectation is the serial in-process run
or a count, never a value computed on the cluster alone.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

# exc_type=ImportError: an installed but broken import (e.g. ``ssl`` that cannot load) skips with its
# reason instead of breaking collection of the default tier; CI imports the extra before this tier.
pytest.importorskip("distributed", exc_type=ImportError)
pytest.importorskip("pyarrow", exc_type=ImportError)
pytest.importorskip("pandas", exc_type=ImportError)

import dask
from distributed import Client, LocalCluster

from lrinit_verify.cli.app import main
from lrinit_verify.sweep import cluster as sweep_cluster, load, run, store
from lrinit_verify.sweep.cluster import ClusterMismatch, cluster_notes, local_cluster, profiling_workers
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


def _servers_state(dask_worker=None, dask_scheduler=None):
    server = dask_worker or dask_scheduler
    return "profile" in server.periodic_callbacks, server._tick_interval


def test_local_cluster_has_the_sweep_settings(cluster):
    """Even after a cluster with Dask's defaults (``cluster``) has left MALLOC_TRIM_THRESHOLD_ in os.environ."""
    assert os.environ.get("MALLOC_TRIM_THRESHOLD_") == "65536"
    with local_cluster(2) as c, Client(c) as client:
        workers = client.run(_servers_state)
        assert sorted(workers.values()) == [(False, 1.0), (False, 1.0)]
        assert client.run_on_scheduler(_servers_state) == (False, 1.0)
        assert client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.WORKER_SATURATION) == 1.0
        assert profiling_workers(client) == [] and cluster_notes(client) == []


def test_plain_local_cluster_profiles_and_the_sweep_notes_it(tmp_path, cluster, capsys):
    """Companion: Dask's defaults (the ``cluster`` fixture) profile, trim and queue; the sweep says so."""
    with Client(cluster) as client:
        assert {on for on, _ in client.run(_servers_state).values()} == {True}
        assert len(profiling_workers(client)) == 2
    run(GRID, tmp_path, scheduler=cluster.scheduler_address)
    err = capsys.readouterr().err
    assert "2 worker(s) run Dask's statistical profiler" in err
    assert "2 worker(s) run with MALLOC_TRIM_THRESHOLD_" in err
    assert "worker-saturation is 1.1" in err


def test_sweep_workers_option_starts_the_quiet_local_cluster(tmp_path, serial, monkeypatch, capsys):
    started = []

    def spy(workers, threads_per_worker=1):
        started.append((workers, threads_per_worker))
        return local_cluster(workers, threads_per_worker)

    monkeypatch.setattr(sweep_cluster, "local_cluster", spy)
    res = run(GRID, tmp_path, workers=2)
    assert res.ok and started == [(2, 1)]
    assert digests(tmp_path) == digests(serial)
    assert "profiler" not in capsys.readouterr().err


DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "sweep.md"


DOCUMENTED_CONFIG = "export DASK_CONFIG=$(python -m lrinit_verify.sweep.cluster)"


def _flatten(tree: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_config_file_holds_the_local_clusters_settings():
    import yaml

    assert _flatten(yaml.safe_load(sweep_cluster.CONFIG_FILE.read_text())) == sweep_cluster.SWEEP_DASK
    assert DOCUMENTED_CONFIG in DOCS.read_text()
    printed = subprocess.run(
        [sys.executable, "-m", "lrinit_verify.sweep.cluster"], capture_output=True, text=True, check=True
    )
    assert printed.stdout.strip() == str(sweep_cluster.CONFIG_FILE) and printed.stderr == ""


def _notes_on_cli_cluster(tmp_path, env: dict) -> list:
    """Start ``dask scheduler`` and one ``dask worker`` (the docs' commands); the sweep's notes on them."""
    dask_cli = shutil.which("dask", path=os.path.dirname(sys.executable)) or shutil.which("dask")
    if dask_cli is None:
        pytest.skip("the dask command is not installed")
    tmp_path.mkdir(parents=True, exist_ok=True)
    file = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # a fresh shell: no DASK_CONFIG, and no MALLOC_TRIM_THRESHOLD_ (Dask's nannies leave it in os.environ)
    fresh = {k: v for k, v in os.environ.items() if k not in ("DASK_CONFIG", "MALLOC_TRIM_THRESHOLD_")}
    env = {**fresh, **env}
    scheduler = [
        dask_cli,
        "scheduler",
        "--port",
        "0",
        "--dashboard-address",
        ":0",
        "--scheduler-file",
        str(file),
    ]
    procs = [subprocess.Popen(scheduler, env=env, **quiet)]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        procs.append(
            subprocess.Popen(
                [dask_cli, "worker", "--scheduler-file", str(file), "--nworkers", "1", "--nthreads", "1"],
                env=env,
                **quiet,
            )
        )
        with Client(scheduler_file=str(file), timeout=60) as client:
            client.wait_for_workers(1, timeout=60)
            return cluster_notes(client)
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=30)


def test_documented_cluster_commands_have_the_sweep_settings(tmp_path):
    env = {"DASK_CONFIG": str(sweep_cluster.CONFIG_FILE)}
    assert _notes_on_cli_cluster(tmp_path / "documented", env) == []


def test_cluster_commands_without_the_settings_get_every_note(tmp_path):
    """Companion: the same commands with Dask's defaults profile, trim and queue; the check sees all three."""
    notes = _notes_on_cli_cluster(tmp_path / "plain", {})
    assert len(notes) == 3
    assert "profiler" in notes[0] and "MALLOC_TRIM_THRESHOLD_" in notes[1] and "saturation is 1.1" in notes[2]
    assert all(n.endswith("DASK_CONFIG=$(python -m lrinit_verify.sweep.cluster)") for n in notes)


def test_sweep_benchmark_runs_and_its_ratios_are_the_timings_ratios():
    from lrinit_verify.sweep.bench import sweep_rows, sweep_scaling

    r = sweep_scaling(tasks=2, chunk_trials=1, n=8, repeats=1, tiny_tasks=2)
    one, two, serial = r["one_worker_s"].median, r["two_workers_s"].median, r["serial_s"].median
    assert min(one, two, serial) > 0
    assert r["speedup"].median == pytest.approx(one / two)
    assert r["speedup_vs_serial"].median == pytest.approx(serial / two)
    assert r["overhead_per_task_s"].median == pytest.approx((one - serial) / 2)
    rows = sweep_rows({"sweep_tasks": 2, "sweep_tiny_tasks": 2, "sweep_chunk_trials": 1, "repeats": 1})
    assert [row.section for row in rows] == ["sweep", "sweep"]
