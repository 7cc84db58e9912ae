r"""The findings report: what the paper's rescaling guarantee delivers at practical widths.

Two tables over widths :math:`n` (default 64 … 4096):

1. **Radius guarantee.** Glorot :math:`P(\rho > 1)` (complex: exact Kostlan product; real: exact
   Pfaffian law, :mod:`lrinit_verify.theory.real_law`), the paper's factor :math:`c_n` (or "undefined" where
   :math:`\gamma_n \le 0`), the nominal :math:`P(\rho(c_n W) \le 1) \to 0.856` against the achieved value
   (exact, complex and real), and the exactly calibrated factor :math:`1/s` with :math:`P(\rho(W/s) \le 1) = p^* = \exp(-e^{-x^*}) = 0.8558\ldots`, the nominal value itself
   (exact, both fields, every width); Monte Carlo (real, with Clopper–Pearson intervals) remains as an
   independent witness of the real calibration.
2. **Explosion lengths** (complex, exact): the first :math:`t` at which the energy of each init grows
   past :data:`~lrinit_verify.theory.rescale.EXPLOSION_THRESHOLD` — for the median matrix
   (:math:`\rho_{0.5}^{2t}`), for the worst 1 % (:math:`\rho_{0.99}^{2t}`), and in mean (:math:`c^{2t} S_{n,t}`, when
   the exact energy engine is installed).

Every number is exact or carries an interval; Monte Carlo intervals share ``alpha`` (Bonferroni).
Where the exact real law is installed, the real radii are drawn from it (a table within sup-distance
1e-9 of the exact CDF, :mod:`lrinit_verify.montecarlo._exact_law`) with the larger budgets of
:data:`_REAL_EXACT`; otherwise by eigenvalues (:data:`_REAL_MC`). Each row records ``real_route``.
The tables as rows of strings are in :mod:`lrinit_verify.report.findings_tables`.

Example:
    >>> rows = findings_rows(budget="quick", seed=0, widths=(64,), real_max_width=0)
    >>> rows[0]["paper_factor"] is None, round(rows[0]["glorot_exceeds_complex"], 4)
    (True, 0.9784)
"""

from __future__ import annotations

import math
import pathlib

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify.claims import BUDGETS
from lrinit_verify.montecarlo._exact_law import has_exact_law
from lrinit_verify.montecarlo.simulate import spectral_radii
from lrinit_verify.report import explosion_sim as sim
from lrinit_verify.rigor.stats import clopper_pearson
from lrinit_verify.theory.edge import (
    FIRST_DEFINED_WIDTH,
    rescale_factor,
    spectral_radius_cdf,
    spectral_radius_sf,
)
from lrinit_verify.theory.rescale import (
    EXPLOSION_THRESHOLD,
    NOMINAL_PROBABILITY,
    calibrated_scale,
    energy_engine,
    explosion_length,
    real_calibration,
)

DEFAULT_WIDTHS = (64, 128, 256, 512, 1024, 2048, 4096)
#: Real Monte Carlo per budget: largest width and matrices per width (by width, cost ~ n^3).
_REAL_MC = {
    "quick": (128, {64: 500, 128: 300}),
    "default": (512, {64: 4000, 128: 3000, 256: 1500, 512: 300}),
    "thorough": (1024, {64: 20000, 128: 10000, 256: 5000, 512: 1500, 1024: 400}),
}
#: The same when the radii come from the exact real law: one table per width (about 0.07 n s to
#: build, then O(1) per radius), so widths go further and trials are 10^4-10^6.
_REAL_EXACT = {
    "quick": (128, {64: 20000, 128: 20000}),
    "default": (1024, {64: 100000}),
    "thorough": (4096, {64: 1000000}),
}
INITS = ("glorot", "rescaled", "calibrated", "halved")


def _paper_factor(n: int) -> float | None:
    return rescale_factor(n) if n >= FIRST_DEFINED_WIDTH else None


def init_factor(n: int, init: str) -> float | None:
    """The multiplier of Glorot for ``init`` at width ``n`` (``None`` where undefined)."""
    init = v.choice("init", init, INITS)
    return {
        "glorot": 1.0,
        "rescaled": _paper_factor(n),
        "halved": math.sqrt(0.5),
        "calibrated": 1.0 / calibrated_scale(n, NOMINAL_PROBABILITY),
    }[init]


def _real_calibrated(n: int):
    """Exact real calibrated factor :math:`1/s` at any width (Pfaffian law); the interval is the point."""
    s = calibrated_scale(n, NOMINAL_PROBABILITY, field="real")
    return 1.0 / s, (1.0 / s, 1.0 / s)


def _real_mc(n, trials, seed, alpha_each, route):
    rng = np.random.default_rng(np.random.SeedSequence([seed, n]))
    radii = spectral_radii(n, trials, field="real", rng=rng, route=route)
    out = {"real_trials": trials, "real_route": "exact law (table)" if route == "exact" else "eigenvalues"}

    def prob(mask):
        k = int(np.count_nonzero(mask))
        return k / trials, clopper_pearson(k, trials, alpha=alpha_each)

    out["glorot_exceeds_real"] = prob(radii > 1.0)
    c = _paper_factor(n)
    out["achieved_real"] = prob(c * radii <= 1.0) if c is not None else None
    factor, _ = _real_calibrated(n)
    out["calibrated_achieved_real"] = prob(factor * radii <= 1.0) if factor is not None else None
    return out


def _explosions(n: int) -> dict:
    has_energy = energy_engine() is not None
    out = {}
    for init in INITS:
        c = init_factor(n, init)
        if c is None:
            out[init] = None
            continue
        out[init] = {
            "median": explosion_length(n, factor=c, p=0.5),
            "worst1%": explosion_length(n, factor=c, p=0.99),
            "mean": explosion_length(n, factor=c, method="energy") if has_energy else None,
        }
    return out


def findings_rows(
    *,
    budget="default",
    seed=0,
    widths=DEFAULT_WIDTHS,
    alpha=1e-3,
    real_max_width=None,
    progress=None,
    sim_max_width=None,
    sim_trials=None,
) -> list[dict]:
    r"""One dict per width with every number of the findings tables (``None`` = not computed/undefined).

    **Arguments:** ``budget`` sets the real Monte Carlo (``quick``/``default``/``thorough``);
    ``seed`` its randomness; ``alpha`` the family-wise error of all Clopper–Pearson intervals;
    ``real_max_width`` overrides the largest width simulated; ``progress`` receives messages;
    ``sim_max_width`` / ``sim_trials`` override the largest width / matrices per cell of the simulated
    explosion lengths (:data:`~lrinit_verify.report.explosion_sim.SIM_BUDGETS`; ``row["explosion_sim"]``).

    >>> row = findings_rows(widths=(256,), real_max_width=0, sim_max_width=0)[0]     # exact numbers only
    >>> round(row["paper_factor"], 3), round(row["achieved_complex"], 4), round(row["calibrated_factor_complex"], 4)
    (0.888, 0.9999, 0.9416)
    """
    budget = v.choice("budget", budget, BUDGETS)
    seed = v.nonnegative_int("seed", seed)
    widths = [v.positive_int("width", n, min_value=2) for n in widths]
    alpha = v.probability("alpha", alpha, open_interval=True)
    sim_max_width = None if sim_max_width is None else v.nonnegative_int("sim_max_width", sim_max_width)
    sim_trials = None if sim_trials is None else v.positive_int("sim_trials", sim_trials)
    route = "exact" if has_exact_law("glorot", "real") else "eigvals"
    max_width, trials = (_REAL_EXACT if route == "exact" else _REAL_MC)[budget]
    if real_max_width is not None:
        max_width = v.nonnegative_int("real_max_width", real_max_width)
    simulated = [n for n in widths if n <= max_width]
    alpha_each = alpha / max(1, 3 * len(simulated))
    rows = []
    for n in widths:
        if progress is not None:
            progress(f"n={n}: exact radius law, calibrated factors, explosion lengths")
        c = _paper_factor(n)
        row = {
            "n": n,
            "glorot_exceeds_complex": spectral_radius_sf(1.0, n),
            "paper_factor": c,
            "nominal": NOMINAL_PROBABILITY,
            "achieved_complex": spectral_radius_cdf(1.0 / c, n) if c is not None else None,
            "calibrated_factor_complex": 1.0 / calibrated_scale(n, NOMINAL_PROBABILITY),
        }
        row["calibrated_factor_real"], row["calibrated_factor_real_interval"] = _real_calibrated(n)
        row["glorot_exceeds_real_exact"] = spectral_radius_sf(1.0, n, field="real")
        row["achieved_real_exact"] = spectral_radius_cdf(1.0 / c, n, field="real") if c is not None else None
        if n in simulated:
            m = trials.get(n) or min(trials.values())
            if progress is not None:
                progress(f"real Glorot radii n={n} x{m}")
            row.update(_real_mc(n, m, seed, alpha_each, route))
        row["explosion"] = _explosions(n)
        rows.append(row)
    _add_simulated(rows, budget, seed, sim_max_width, sim_trials, progress)
    return rows


def _add_simulated(rows, budget, seed, max_width, trials, progress) -> None:
    """``row["explosion_sim"]``: simulated explosion lengths per (field, init) (see :mod:`.explosion_sim`)."""
    width, default_trials = sim.SIM_BUDGETS[budget]
    width = width if max_width is None else max_width
    trials = default_trials if trials is None else trials
    widths = [r["n"] for r in rows]
    grid = sim.simulated_grid(widths, trials=trials, max_width=width, seed=seed, progress=progress)
    for r in rows:
        r["explosion_sim"] = {k[1:]: res for k, res in grid.items() if k[0] == r["n"]}
        r["explosion_sim_trials"] = trials


def _markdown_table(headers, body) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def _real_source(rows) -> str:
    routes = sorted({r["real_route"] for r in rows if "real_route" in r})
    return "by " + " and ".join(routes) if routes else "not simulated"


def findings_markdown(rows, *, budget, seed, alpha=1e-3) -> str:
    """The findings report as Markdown text."""
    # imported here, not at the top: findings_tables imports INITS from this module
    from lrinit_verify.report.findings_tables import table_parts

    cal = real_calibration()
    energy = (
        "exact energies from lrinit_verify.theory.energy"
        if energy_engine() is not None
        else "'mean' column not computed: lrinit_verify.theory.energy is not installed"
    )
    parts = table_parts(rows)
    return "\n".join(
        [
            "# Findings: the rescaled-Glorot guarantee at practical widths",
            "",
            (
                f"Generated by `lrinit-verify findings` (budget={budget}, seed={seed}). Exact numbers come "
                "from Kostlan's product (complex Glorot) and Sinclair's Pfaffian (real Glorot, "
                "lrinit_verify.theory.real_law, absolute error about 1e-12); the Monte Carlo column (real Glorot; "
                f"radii {_real_source(rows)}) carries Clopper–Pearson intervals with family-wise error {alpha:g} (Bonferroni) and is an "
                f"independent witness of the exact real calibration, as is the shipped file `{cal['script']}` "
                f"(seed {cal['seed']}, n = {cal['valid']['n_min']}..{cal['valid']['n_max']})."
            ),
            "",
            f"## 1. Radius guarantee (nominal P(ρ(c_n W) ≤ 1) → exp(−e^(−x*)) = {NOMINAL_PROBABILITY:.4f})",
            "",
            *_markdown_parts(parts[:2]),
            f"## 2. Explosion lengths (complex): radius heuristic, exact mean energy ≥ {EXPLOSION_THRESHOLD:g}",
            "",
            (
                "median (radius heuristic): first t with ρ_0.5^(2t) ≥ K for the median radius; worst 1%: "
                "ρ_0.99^(2t) — "
                "a heuristic that ignores the start vector's overlap with the top eigenvector and transient growth "
                "(simulated lengths: section 3); mean: exact mean energy c^(2t) S_{n,t} "
                f"({energy}). ∞: the radius quantile is ≤ 1, so that matrix never explodes. "
                "Inits: glorot (c = 1), rescaled (paper's c_n), calibrated (exact 1/s at p = exp(−e^(−x*)) = "
                f"{NOMINAL_PROBABILITY:.4f}), "
                "halved (c = 1/√2)."
            ),
            "",
            *_markdown_parts(parts[2:]),
            *_simulated_section(rows),
        ]
    )


def _simulated_section(rows) -> list[str]:
    from lrinit_verify.report.findings_tables import simulated_parts

    trials = next((r["explosion_sim_trials"] for r in rows if "explosion_sim_trials" in r), None)
    return [
        "## 3. Simulated explosion lengths (real and complex)",
        "",
        (
            f"{sim.definition_line(trials=trials)}. Median and worst 1% (the 0.01-quantile of T: 1% of "
            "(matrix, start) pairs have exploded by then; worst 0.1% where the trials bound it). '> L': "
            "censored at L; an interval end 1 or inf means the trials do not bound that side; intervals are "
            "pointwise (not Bonferroni). 'never (exact)': orthogonal W keeps ||W^t x|| = 1; 'not simulated': "
            "width above this budget's limit."
        ),
        "",
        *_markdown_parts(simulated_parts(rows)),
    ]


def _markdown_parts(parts) -> list[str]:
    lines = []
    for title, headers, body in parts:
        lines += [f"### {title}", "", _markdown_table(headers, body), ""]
    return lines


def write_findings_markdown(
    path, *, budget="default", seed=0, widths=DEFAULT_WIDTHS, alpha=1e-3, progress=None
) -> list[dict]:
    """Compute the findings and write them to ``path`` as Markdown; returns the rows."""
    rows = findings_rows(budget=budget, seed=seed, widths=widths, alpha=alpha, progress=progress)
    pathlib.Path(path).write_text(
        findings_markdown(rows, budget=budget, seed=seed, alpha=alpha), encoding="utf-8"
    )
    return rows
