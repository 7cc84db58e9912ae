"""The findings tables as rows of strings, from the rows of
:func:`~lrinit_verify.report.findings.findings_rows`: table 1 (radius guarantee), table 2 (explosion
lengths) and table 3 (simulated explosion lengths), whole or split into narrow parts
``(title, headers, body)`` that fit a page or a terminal.
"""

from __future__ import annotations

import math

from lrinit_verify.report import explosion_sim as sim
from lrinit_verify.report.findings import INITS


def simulated_parts(rows) -> list[tuple[str, list[str], list[list[str]]]]:
    """Table 3 (simulated explosion lengths), one narrow part per init: ``(title, headers, body)``."""
    grid = {(r["n"], *k): res for r in rows for k, res in r.get("explosion_sim", {}).items()}
    widths = [r["n"] for r in rows]
    qs = (0.5, 0.01, 0.001) if sim.has_finite_worst_tenth(grid) else (0.5, 0.01)
    return [
        (
            f"3{'abcde'[k]}. Simulated explosion length, {init}",
            sim.table_headers((init,), quantiles=qs),
            sim.table_body(grid, widths, (init,), quantiles=qs),
        )
        for k, init in enumerate(sim.SIM_INITS)
    ]


def _num(x, digits=4) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    if isinstance(x, float) and x.is_integer() and abs(x) >= 1:
        return str(int(x))
    return f"{x:.{digits}g}"


def _prob(pair) -> str:
    if pair is None:
        return "—"
    p, (lo, hi) = pair
    return f"{p:.3f} [{lo:.3f}, {hi:.3f}]"


def _tail(p: float) -> str:
    return f"{p:.4f}" if 1 - p > 1e-4 else f"1 − {1 - p:.1e}"


RADIUS_HEADERS = (
    "n",
    "Glorot P(ρ>1) complex (exact)",
    "Glorot P(ρ>1) real (exact)",
    "paper c_n",
    "nominal P(ρ≤1)",
    "achieved complex (exact)",
    "achieved real (exact)",
    "calibrated 1/s complex (exact)",
    "calibrated 1/s real (exact)",
    "calibrated achieved real (MC, CI)",
)
_RADIUS_MEASURES = ("median (radius heuristic)", "worst 1% (radius heuristic)", "mean")
EXPLOSION_HEADERS = ("n", "√n", *(f"{i} {k}" for i in INITS for k in _RADIUS_MEASURES))


def radius_table(rows) -> list[list[str]]:
    """Table 1 as rows of strings (headers :data:`RADIUS_HEADERS`)."""
    out = []
    for r in rows:
        c = r["paper_factor"]
        achieved_real = r.get("achieved_real_exact")
        out.append(
            [
                str(r["n"]),
                _tail(r["glorot_exceeds_complex"]),
                _tail(r["glorot_exceeds_real_exact"]),
                "undefined (γ_n ≤ 0)" if c is None else f"{c:.4f}",
                f"{r['nominal']:.4f}",
                "—" if r["achieved_complex"] is None else _tail(r["achieved_complex"]),
                "—" if achieved_real is None else _tail(achieved_real),
                f"{r['calibrated_factor_complex']:.4f}",
                f"{r['calibrated_factor_real']:.4f}",
                _prob(r.get("calibrated_achieved_real")),
            ]
        )
    return out


def explosion_table(rows) -> list[list[str]]:
    """Table 2 as rows of strings (headers :data:`EXPLOSION_HEADERS`)."""
    out = []
    for r in rows:
        cells = [str(r["n"]), f"{math.sqrt(r['n']):.1f}"]
        for init in INITS:
            e = r["explosion"][init]
            cells += (
                ["undefined"] * 3 if e is None else [_num(e["median"]), _num(e["worst1%"]), _num(e["mean"])]
            )
        out.append(cells)
    return out


#: Narrow parts of table 1 (title, column indices into :data:`RADIUS_HEADERS`).
RADIUS_PARTS = (
    ("1a. Glorot and the paper's factor c_n", (0, 1, 2, 3, 4, 5, 6)),
    ("1b. Exact calibration to the nominal probability", (0, 7, 8, 9)),
)
#: The measures of table 2, one narrow part each.
EXPLOSION_MEASURES = ("median (radius heuristic)", "worst 1% (radius heuristic)", "mean energy (exact)")


def table_parts(rows) -> list[tuple[str, list[str], list[list[str]]]]:
    """Both tables split into narrow parts ``(title, headers, body)`` that fit a page or a terminal:
    table 1 in :data:`RADIUS_PARTS`, table 2 one part per measure (columns: the inits)."""
    radius, explosion = radius_table(rows), explosion_table(rows)
    parts = [
        (title, [RADIUS_HEADERS[j] for j in cols], [[r[j] for j in cols] for r in radius])
        for title, cols in RADIUS_PARTS
    ]
    for k, measure in enumerate(EXPLOSION_MEASURES):
        cols = [0, 1, *(2 + 3 * i + k for i in range(len(INITS)))]
        parts.append(
            (
                f"2{'abc'[k]}. Explosion length, {measure}",
                ["n", "√n", *INITS],
                [[r[j] for j in cols] for r in explosion],
            )
        )
    return parts
