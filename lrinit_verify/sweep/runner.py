r"""Run a sweep serially or on Dask; the client process is the single writer of parts and manifest.

* Serial (no ``scheduler``, no ``workers``): tasks run in this process, BLAS pinned to one thread.
* ``workers=K``: a ``distributed.LocalCluster`` of ``K`` worker processes, ``threads_per_worker``
  threads each, with the settings :data:`~lrinit_verify.sweep.cluster.SWEEP_DASK` (no Dask
  profiler, no queued tasks).
* ``scheduler="tcp://host:8786"``: an existing cluster (``dask scheduler`` / ``dask worker``), whose
  workers must run the client's versions (:func:`~lrinit_verify.sweep.cluster.check_cluster`);
  notes on stderr name its settings that cost throughput
  (:func:`~lrinit_verify.sweep.cluster.cluster_notes`).

Every task is submitted once, with a key that names its seed and id; results are gathered as they
complete, written (:func:`lrinit_verify.sweep.store.write_part`) and their futures released at
once, so a worker that dies holds no unwritten result for long, and the scheduler recomputes what
it held (same seed, same bits). A task whose worker dies ``distributed.scheduler.allowed-failures``
+ 1 times ends as ``KilledWorker``. Since a dying worker counts against every task it held, such a
task is then rerun alone; if it kills its worker again it is recorded ``failed`` in the manifest, the
others go on, and :attr:`SweepResult.ok` is false (the CLI exits 1).

Resume (default): tasks whose part exists are skipped, so an interrupted sweep restarts where it
stopped and a finished one submits nothing; the seed, chunking and versions must match the
manifest's. ``resume=False`` recomputes every task.

Example:
    >>> import tempfile
    >>> grid = {"grid": [{"ensembles": [{"initialiser": "orthogonal"}], "widths": [3],
    ...                   "statistics": ["spectral_radius"], "trials": 4}]}
    >>> with tempfile.TemporaryDirectory() as out:
    ...     res = run(grid, out, chunk_trials=2, progress=False)
    ...     again = run(grid, out, chunk_trials=2, progress=False)
    ...     radii = load(out)["value"].round(12).tolist()
    >>> res.submitted, again.submitted, radii
    (2, 0, [1.0, 1.0, 1.0, 1.0])
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sweep import store
from lrinit_verify.sweep.grid import Grid, load_grid, parse_grid
from lrinit_verify.sweep.store import load  # noqa: F401  (re-exported: lrinit_verify.sweep.load)
from lrinit_verify.sweep.tasks import compute, compute_in_worker

#: Seconds between manifest rewrites and between progress lines while a sweep runs.
FLUSH_S = 2.0
#: Environment variable that lets grids use the test-only statistics (fault tests of the CLI).
TEST_HOOKS_ENV = "LRINIT_SWEEP_TEST_HOOKS"
#: Seconds to wait for the scheduler.
CONNECT_TIMEOUT_S = 30


@dataclass
class SweepResult:
    """What a run did: tasks in the grid, submitted, skipped (already done), done, failed ids."""

    out: str
    tasks: int
    submitted: int
    skipped: int
    done: int = 0
    failed: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


class _Recorder:
    """The single writer: parts, manifest (rewritten every :data:`FLUSH_S`) and progress on stderr."""

    def __init__(self, out, manifest, result, progress):
        self.out, self.manifest, self.result, self.progress = out, manifest, result, progress
        self.start = self.last = time.perf_counter()

    def done(self, task, columns):
        rec = self.manifest["tasks"][task.ident]
        rec.update(store.write_part(self.out, task, columns), status="done")
        rec.pop("error", None)
        self.result.done += 1
        self._tick()

    def failed(self, task, exc):
        self.manifest["tasks"][task.ident].update(status="failed", error=f"{type(exc).__name__}: {exc}")
        self.result.failed.append(task.ident)
        self._tick()

    def _tick(self, force=False):
        now = time.perf_counter()
        if force or now - self.last >= FLUSH_S:
            self.last = now
            store.write_manifest(self.out, self.manifest)
            if self.progress:
                r = self.result
                print(
                    f"sweep: {r.done + len(r.failed)}/{r.submitted} tasks ({len(r.failed)} failed), "
                    f"{now - self.start:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )

    def close(self):
        self.result.seconds = time.perf_counter() - self.start
        self._tick(force=True)


def _as_grid(grid, seed, chunk_trials, test_hooks) -> Grid:
    if isinstance(grid, Grid):
        return grid.with_options(seed=seed, chunk_trials=chunk_trials)
    if isinstance(grid, dict):
        return parse_grid(grid, seed=seed, chunk_trials=chunk_trials, test_hooks=test_hooks)
    if isinstance(grid, (str, os.PathLike)):
        return load_grid(grid, test_hooks=test_hooks).with_options(seed=seed, chunk_trials=chunk_trials)
    raise InvalidArgument(f"grid={grid!r} must be a Grid, a dict or the path of a TOML grid file")


def _check_resumable(out, old, grid) -> None:
    for key, new in (
        ("seed", grid.seed),
        ("chunk_trials", grid.chunk_trials),
        ("versions", store.versions()),
    ):
        if old[key] != new:
            raise InvalidArgument(
                f"{key}={new!r} differs from {old[key]!r} in the manifest of out={out!r}: "
                "use another --out, the same setting, or --no-resume to recompute everything"
            )


def _prepare(out, grid, resume) -> tuple[dict, list]:
    """The new manifest (done/pending per task) and the tasks still to run."""
    os.makedirs(out, exist_ok=True)
    old = store.read_manifest(out)
    if old is not None and resume:
        _check_resumable(out, old, grid)
    store.remove_temporaries(out)
    manifest = {
        "format": store.FORMAT,
        "grid": grid.source,
        "seed": grid.seed,
        "chunk_trials": grid.chunk_trials,
        "versions": store.versions(),
        "tasks": {},
    }
    todo = []
    for task in grid.tasks():
        rec = store.task_record(task, "pending")
        if resume and os.path.exists(os.path.join(out, rec["path"])):
            prev = (old or {}).get("tasks", {}).get(task.ident, {})
            rec.update({k: prev[k] for k in ("rows", "sha256") if k in prev}, status="done")
        else:
            todo.append(task)
        manifest["tasks"][task.ident] = rec
    return manifest, todo


def _run_serial(todo, recorder) -> None:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        for task in todo:
            try:
                columns = compute(task)
            except Exception as exc:  # noqa: BLE001 (a failing task is recorded; the others go on)
                recorder.failed(task, exc)
            else:
                recorder.done(task, columns)


def _submit_all(client, tasks, recorder, expected, prefix, *, isolate) -> list:
    """Submit ``tasks``, record each as it completes (releasing its future), return the KilledWorker ones.

    With ``isolate`` every outcome is final (the task ran alone); otherwise tasks whose worker died
    are returned for an isolated rerun instead of being recorded as failed.
    """
    from distributed import as_completed

    futures, suspects = {}, []
    for task in tasks:
        fut = client.submit(compute_in_worker, task, expected, key=f"{prefix}-{task.ident}", pure=False)
        futures[fut.key] = (fut, task)
    for fut, value in as_completed([f for f, _ in futures.values()], with_results=True, raise_errors=False):
        task = futures.pop(fut.key)[1]
        if fut.status == "finished":
            recorder.done(task, value)
        else:
            exc = value if isinstance(value, BaseException) else fut.exception()
            if not isolate and type(exc).__name__ == "KilledWorker":
                suspects.append(task)
            else:
                recorder.failed(task, exc)
        fut.release()
    return suspects


def _run_dask(todo, recorder, seed, scheduler, workers, threads) -> None:
    from distributed import Client

    from lrinit_verify.sweep import cluster as dask_cluster  # not at import: `python -m` runs that module

    cluster = None if scheduler is not None else dask_cluster.local_cluster(workers, threads)
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise InvalidArgument(f"scheduler={scheduler!r} cannot be reached: {exc}") from None
    try:
        dask_cluster.check_cluster(client)
        if recorder.progress:
            for note in dask_cluster.cluster_notes(client):
                print(f"sweep: note: {note} (docs/sweep.md)", file=sys.stderr, flush=True)
        expected = store.versions()
        suspects = _submit_all(client, todo, recorder, expected, f"sweep-{seed}", isolate=False)
        # A worker's death counts against every task it held, so a bystander of a poison task can be
        # declared KilledWorker too: rerun each such task alone; one that still kills its worker is poison.
        for task in suspects:
            _submit_all(client, [task], recorder, expected, f"sweep-{seed}-alone", isolate=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run(
    grid,
    out,
    *,
    scheduler=None,
    workers=None,
    threads_per_worker=1,
    chunk_trials=None,
    seed=None,
    resume=True,
    progress=True,
    test_hooks=None,
) -> SweepResult:
    """Run (or resume) a sweep of ``grid`` into directory ``out``; see the module docstring.

    **Arguments:**

    - ``grid``: a :class:`~lrinit_verify.sweep.grid.Grid`, a dict, or the path of a TOML grid file.
    - ``scheduler`` (address) or ``workers`` (local worker processes); neither: serial.
    - ``chunk_trials``, ``seed``: override the grid file's values.
    - ``resume``: skip tasks whose part exists (default) or recompute all.
    - ``test_hooks``: accept the test-only statistics (:data:`~.grid.TEST_STATISTICS`); default:
      whether the environment sets ``LRINIT_SWEEP_TEST_HOOKS=1``.

    **Returns:** :class:`SweepResult`; results are read with :func:`load`.
    """
    if scheduler is not None and workers is not None:
        raise InvalidArgument(f"scheduler={scheduler!r} and workers={workers!r}: give at most one")
    workers = None if workers is None else v.positive_int("workers", workers)
    threads = v.positive_int("threads_per_worker", threads_per_worker)
    if test_hooks is None:
        test_hooks = os.environ.get(TEST_HOOKS_ENV) == "1"
    grid = _as_grid(grid, seed, chunk_trials, test_hooks)
    out = os.fspath(out)
    manifest, todo = _prepare(out, grid, bool(resume))
    store.write_manifest(out, manifest)
    result = SweepResult(out, len(manifest["tasks"]), len(todo), len(manifest["tasks"]) - len(todo))
    recorder = _Recorder(out, manifest, result, progress)
    try:
        if todo and scheduler is None and workers is None:
            _run_serial(todo, recorder)
        elif todo:
            _run_dask(todo, recorder, grid.seed, scheduler, workers, threads)
    finally:
        recorder.close()
    return result
