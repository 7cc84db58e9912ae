r"""``lrinit-verify sweep``: Monte Carlo grids run serially or on a Dask cluster, stored as Parquet.

* :mod:`~lrinit_verify.sweep.grid` — the grid file (TOML), its validation and expansion into points.
* :mod:`~lrinit_verify.sweep.scales` — the grid's scale labels: their validation and factors.
* :mod:`~lrinit_verify.sweep.tasks` — the statistic computed by one task (numpy engines only).
* :mod:`~lrinit_verify.sweep.store` — Parquet parts (atomic, single writer) and the manifest.
* :mod:`~lrinit_verify.sweep.runner` — :func:`run` (serial or Dask) and :func:`load`.
* :mod:`~lrinit_verify.sweep.cluster` — the Dask settings of a sweep, its local cluster, and the
  checks of a running cluster (versions, settings that cost throughput).

Results are a pure function of the grid and the root seed: task ``(point, chunk)`` draws from
``SeedSequence([seed, *hash(point), chunk])`` (:func:`~lrinit_verify.sweep.grid.task_entropy`).
Dask, distributed, pyarrow and pandas (the ``distributed`` extra) are imported only when needed:
importing this package does not require them.
"""

from __future__ import annotations

from lrinit_verify.sweep.grid import Grid, load_grid, parse_grid
from lrinit_verify.sweep.runner import SweepResult, load, run

__all__ = ["Grid", "SweepResult", "load", "load_grid", "parse_grid", "run"]
