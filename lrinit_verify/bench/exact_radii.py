r"""Bench section (g) ``exact_radii``: spectral radii per second by route.

For complex and real Gaussian Glorot at each width of the profile (64 … 4096):

* ``exact``: the exact law (complex: Kostlan's product, :math:`O(n)` per radius; real: the tabulated
  inverse CDF of :mod:`lrinit_verify.montecarlo._exact_law`, :math:`O(\log M)` per radius once built);
* ``hessenberg``: the Hessenberg model + LAPACK ``?hseqr``; ``dense``: ``numpy.linalg.eigvals``.

For real, the table's build is timed on its own and amortised over ``amortise_draws`` (10⁴) draws;
the real exact rows sample :mod:`lrinit_verify.theory.real_law` through its table. Eigenvalue routes run on one worker thread, so rates compare
per core.
"""

from __future__ import annotations

from lrinit_verify.bench.harness import Row, Spread, time_repeats, timed
from lrinit_verify.montecarlo import _exact_law
from lrinit_verify.montecarlo.simulate import spectral_radii


def _rate(fn, items: int, repeats: int) -> Spread:
    return time_repeats(fn, repeats).map(lambda s: items / s)


def _ratio(a: Spread | None, b: Spread | None) -> Spread | None:
    if a is None or b is None:
        return None
    return Spread(a.median / b.median, a.low / b.high, a.high / b.low, min(a.repeats, b.repeats))


def _radii(n: int, m: int, field: str, route: str, seed: int):
    return lambda: spectral_radii(n, m, field=field, seed=seed, route=route, workers=1)


def _build_real(n: int) -> tuple[float, _exact_law.InverseCdfTable]:
    """Seconds to build the real table at width ``n`` from scratch (the table is then cached)."""
    _exact_law.forget_tables()
    seconds = timed(_exact_law.real_radius_table, n)
    return seconds, _exact_law.real_radius_table(n)


def _exact_rows(field: str, n: int, cfg: dict, seed: int, reps: int, hess: Spread | None) -> list[Row]:
    draws = cfg["exact_draws"]
    case = f"{field} radii n={n}"
    rows = []
    how = "Kostlan's product"
    if field == "real":
        build, table = _build_real(n)
        amortise = cfg["amortise_draws"]
        sample = timed(_radii(n, amortise, "real", "exact", seed))
        amortised = Spread.of([amortise / (build + sample)])
        rows.append(
            Row(
                "g",
                f"real table n={n}, build + {amortise} draws",
                f"{amortised.text()} /s amortised (build {build:.3g} s, {table.evaluations} CDF evaluations)",
                "-" if hess is None else f"{hess.text()} /s (Hessenberg)",
                _ratio(amortised, hess),
                detail={"build_s": build, "evaluations": table.evaluations, "cells": table.cells},
            )
        )
        how = f"table, tol {table.tol:g}"
    exact = _rate(_radii(n, draws, field, "exact", seed), draws, reps)
    rows.insert(
        0,
        Row(
            "g",
            case,
            f"{exact.text()} /s (exact: {how})",
            "-" if hess is None else f"{hess.text()} /s (Hessenberg)",
            _ratio(exact, hess),
            detail={"draws": draws},
        ),
    )
    return rows


def route_rows(field: str, n: int, cfg: dict, seed: int) -> list[Row]:
    """Rows of one (field, width): exact vs Hessenberg, the real table amortised, Hessenberg vs dense."""
    eig = cfg["exact_eig"].get(n, 0)
    reps = cfg["repeats"] if n <= 512 else 1
    hess = dense = None
    if eig:
        hess = _rate(_radii(n, eig, field, "hessenberg", seed), eig, reps)
        dense = _rate(_radii(n, eig, field, "dense", seed), eig, reps)
    rows = _exact_rows(field, n, cfg, seed, reps, hess)
    if eig:
        rows.append(
            Row(
                "g",
                f"{field} radii n={n}, eigenvalue routes ({eig} matrices)",
                f"{hess.text()} /s (Hessenberg)",
                f"{dense.text()} /s (dense eigvals)",
                _ratio(hess, dense),
            )
        )
    return rows


def exact_radii(cfg: dict, seed: int) -> list[Row]:
    """Section (g): every field and width of the profile."""
    return [
        row
        for field in ("complex", "real")
        for n in cfg["exact_widths"]
        for row in route_rows(field, n, cfg, seed)
    ]
