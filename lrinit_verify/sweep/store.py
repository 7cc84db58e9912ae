r"""Sweep results on disk: one Parquet part per task, hive-partitioned, plus ``manifest.json``.

Layout of ``OUT``::

    manifest.json                     grid, seed, chunking, versions, per-task status
    parts/statistic=S/initialiser=I/field=F/scale=X/n=N/length=T/probes=P/stride=D/threshold=K/
        part-<task id>.parquet        columns chunk, trial, probe, step, value

Every file is written by the single writer (the process that runs the sweep) to a temporary
name starting with ``.`` in the same directory, flushed to disk and renamed into place
(``os.replace``, atomic on POSIX): a crash leaves at most a ``.*.tmp`` file, which neither
:func:`load` nor ``pyarrow.dataset`` (it skips names starting with ``.``) reads. Keys that do
not apply to a statistic are 0 in the path (``length=0`` for a spectrum).

The parts also read as a hive dataset: ``pyarrow.dataset.dataset(OUT + "/parts",
partitioning="hive")``; :func:`load` reads only the parts of the manifest's tasks and types the
point columns itself.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import uuid
from dataclasses import asdict

import numpy as np

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sweep.grid import Point, Task

MANIFEST = "manifest.json"
PARTS = "parts"
FORMAT = 1
#: Point columns of :func:`load` and their types (pyarrow type names).
POINT_TYPES = {
    "statistic": "string",
    "initialiser": "string",
    "field": "string",
    "scale": "string",
    "n": "int64",
    "length": "int64",
    "probes": "int64",
    "stride": "int64",
    "threshold": "float64",
}


@functools.lru_cache(maxsize=1)
def toolkit_version() -> str:
    """Installed version of ``lrinit-verify`` (``"unknown"`` when run from an uninstalled tree)."""
    try:
        return importlib.metadata.version("lrinit-verify")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def versions() -> dict:
    """What the results depend on: the toolkit, numpy (its generators and LAPACK) and Python."""
    return {"lrinit-verify": toolkit_version(), "numpy": np.__version__, "python": platform.python_version()}


def part_relpath(task: Task) -> str:
    """Path of a task's part relative to ``OUT`` (hive directories of the point's keys)."""
    dirs = "/".join(f"{k}={val}" for k, val in asdict(task.point).items())
    return f"{PARTS}/{dirs}/part-{task.ident}.parquet"


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` via a hidden temporary file in the same directory and a rename."""
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def part_bytes(columns: dict) -> bytes:
    """A task's columns as Parquet bytes (deterministic: same columns, same bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue().to_pybytes()


def write_part(out: str, task: Task, columns: dict) -> dict:
    """Write one task's part; its manifest record (path, rows, sha256)."""
    data = part_bytes(columns)
    rel = part_relpath(task)
    atomic_write(os.path.join(out, rel), data)
    return {"path": rel, "rows": len(columns["value"]), "sha256": hashlib.sha256(data).hexdigest()}


def remove_temporaries(out: str) -> int:
    """Delete ``.*.tmp`` files left by an interrupted writer; how many were removed."""
    removed = 0
    for folder, _, files in os.walk(os.path.join(out, PARTS)):
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                os.remove(os.path.join(folder, name))
                removed += 1
    return removed


def task_record(task: Task, status: str) -> dict:
    return {
        "point": asdict(task.point),
        "chunk": task.chunk,
        "start": task.start,
        "stop": task.stop,
        "entropy": task.entropy(),
        "path": part_relpath(task),
        "status": status,
    }


def write_manifest(out: str, manifest: dict) -> None:
    atomic_write(os.path.join(out, MANIFEST), (json.dumps(manifest, indent=1) + "\n").encode())


def read_manifest(out: str) -> dict | None:
    """The manifest of ``out``, or ``None`` if there is none."""
    path = os.path.join(out, MANIFEST)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        manifest = json.load(fh)
    if manifest.get("format") != FORMAT:
        raise InvalidArgument(f"out={out!r}: manifest format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def _with_point(table, point: dict):
    """The point's keys as leading constant columns, then the part's own columns."""
    import pyarrow as pa

    rows = table.num_rows
    cols = {key: pa.array([point[key]] * rows, type=getattr(pa, kind)()) for key, kind in POINT_TYPES.items()}
    return pa.table({**cols, **{name: table[name] for name in table.column_names}})


def load(out: str, *, as_arrow: bool = False):
    r"""All finished parts of the sweep in ``out`` as one table (pandas, or pyarrow with ``as_arrow``).

    Columns: the point keys (:data:`POINT_TYPES`), then ``chunk``, ``trial``, ``probe``, ``step``,
    ``value``. Reads only parts of tasks listed in the manifest: stale parts (of an older grid)
    and temporary files are ignored.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    manifest = read_manifest(out)
    if manifest is None:
        raise InvalidArgument(f"out={out!r} holds no sweep (no {MANIFEST})")
    tables = []
    for rec in manifest["tasks"].values():
        path = os.path.join(out, rec["path"])
        if os.path.exists(path):
            tables.append(_with_point(pq.read_table(path), rec["point"]))
    if not tables:
        schema = pa.schema(
            [(k, getattr(pa, t)()) for k, t in POINT_TYPES.items()]
            + [
                ("chunk", pa.int32()),
                ("trial", pa.int64()),
                ("probe", pa.int32()),
                ("step", pa.int64()),
                ("value", pa.float64()),
            ]
        )
        table = schema.empty_table()
    else:
        table = pa.concat_tables(tables)
    return table if as_arrow else table.to_pandas()


def point_of(record: dict) -> Point:
    return Point(**record["point"])
