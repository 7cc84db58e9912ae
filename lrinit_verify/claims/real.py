r"""Claims about real Glorot matrices that the exact real law (:mod:`lrinit_verify.theory.real_law`) decides.

Six claims (issue 13, "what it changes"):

* ``real.law_monte_carlo`` — Sinclair's Pfaffian law against Monte Carlo eigenvalues (DKW bands);
* ``real.above_one`` — :math:`P(\rho > 1)` for real Glorot, exact: increasing in :math:`n`, above :math:`\tfrac{1}{2}` from
  :math:`n = 5` on;
* ``real.below_complex`` — :math:`P_{\mathbb R}(\rho > 1) < P_{\mathbb C}(\rho > 1)` at every tested width;
* ``real.gumbel_convergence`` — Kolmogorov distance to the :math:`\beta = 1` Gumbel law :math:`e^{-\frac{1}{2} e^{-x}}`
  (Rider–Sinclair 2014) decreasing in :math:`n`, slowly (asymptotic);
* ``real.rescaled_limit`` — the paper's :math:`c_n` on real Glorot achieves :math:`P(\rho(c_n W) \le 1) \to
  \sqrt{0.856} = 0.925`, not 0.856 (heuristic limit, ``proofs/real.py``);
* ``real.uniform_universality`` — uniform-entry (``xavier_uniform_``) matrices against the exact
  Gaussian law, by Monte Carlo (a finding, with its power stated).

Checks take keyword arguments that the tests use to plant bugs; each statistical claim names its
bug in ``planted=``.

Example:
    >>> check_below_complex(Context(budget="quick")).status   # exact, both laws
    'holds'
"""

from __future__ import annotations

import itertools
import math

from lrinit_verify.claims import Claim, Context, PlantedBug, register
from lrinit_verify.claims._real_tools import edge_gumbel_error, log_cdf, real_gumbel_distance, width_grid
from lrinit_verify.claims.real_mc import check_law_monte_carlo, check_uniform_universality
from lrinit_verify.rigor.stats import HOLDS, VIOLATED, Verdict
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY

#: Heuristic limit of :math:`P(\rho(c_n W) \le 1)` for real :math:`W`: :math:`e^{-\frac{1}{2} e^{-x^*}} = \sqrt{0.856}` (proofs/real.py).
REAL_RESCALED_LIMIT = math.sqrt(NOMINAL_PROBABILITY)
#: First width at which real Glorot has :math:`P(\rho > 1) > 1/2` (exact; :math:`n = 4`: 0.487, :math:`n = 5`: 0.518).
HALF_CROSSING = 5


# --- (2) the real Glorot edge above one, exact -----------------------------------------------------


def check_above_one(ctx: Context) -> Verdict:
    r"""Exact: :math:`P(\rho > 1)` increases strictly with :math:`n` on the grid and exceeds 1/2 exactly from :math:`n = 5`.

    Compared through :math:`\log P(\rho \le 1)` (relatively accurate where :math:`P(\rho > 1)` rounds to one).
    """
    widths = width_grid(ctx.pick(32, 64, 128), ctx.pick(1024, 4096, 16384))
    logs = [log_cdf(1.0, n, "real") for n in widths]
    probs = [-math.expm1(x) for x in logs]
    increasing = all(b < a for a, b in itertools.pairwise(logs))
    first_half = next(n for n, p in zip(widths, probs) if p > 0.5)
    crossing = first_half == HALF_CROSSING and all(p > 0.5 for n, p in zip(widths, probs) if n >= first_half)
    at = {n: p for n, p in zip(widths, probs)}
    return Verdict(
        status=HOLDS if increasing and crossing else VIOLATED,
        estimate=probs[-1],
        interval=(probs[-1], probs[-1]),
        reference=0.5,
        alpha=0.0,
        cases=f"exact, {len(widths)} widths n = 1..{widths[-1]}",
        summary=(
            f"P(rho>1): n=1 {at[1]:.4f}, n=4 {at[4]:.4f}, n=5 {at[5]:.4f}, n=16 {at[16]:.4f}, "
            f"n=256 {at[256]:.6f}; first n with P > 1/2: {first_half}; "
            f"P(rho<=1) at n={widths[-1]}: {math.exp(logs[-1]):.3g}"
        ),
        details=[{"n": n, "P(rho>1)": p, "log P(rho<=1)": x} for n, p, x in zip(widths, probs, logs)],
    )


# --- (3) real versus complex -----------------------------------------------------------------------


def check_below_complex(ctx: Context, *, real_radius: float = 1.0) -> Verdict:
    r"""Exact: :math:`\log P_{\mathbb R}(\rho \le 1) > \log P_{\mathbb C}(\rho \le 1)` at every width of the grid.

    ``real_radius`` plants a mis-scaled real law (``1/1.1``: variance :math:`1.21/n`).
    """
    widths = width_grid(ctx.pick(32, 128, 512), ctx.pick(1024, 4096, 16384), ctx.pick(2, 4, 8))
    rows = []
    for n in widths:
        lr, lc = log_cdf(real_radius, n, "real"), log_cdf(1.0, n, "complex")
        rows.append(
            {
                "n": n,
                "P_real(rho>1)": -math.expm1(lr),
                "P_complex(rho>1)": -math.expm1(lc),
                "log P_real(rho<=1)": lr,
                "log P_complex(rho<=1)": lc,
                "log ratio": lr - lc,
            }
        )
    below = [r for r in rows if r["log ratio"] > 0]
    tight = min(rows, key=lambda r: r["log ratio"])
    return Verdict(
        status=HOLDS if len(below) == len(rows) else VIOLATED,
        estimate=tight["log ratio"],
        interval=(tight["log ratio"], tight["log ratio"]),
        reference=0.0,
        alpha=0.0,
        cases=f"exact both, {len(widths)} widths n = 1..{widths[-1]}",
        summary=(
            f"real below complex at {len(below)}/{len(rows)} widths; smallest margin "
            f"log P_R(rho<=1) - log P_C(rho<=1) = {tight['log ratio']:.4g} at n={tight['n']}; "
            + ", ".join(
                f"n={r['n']}: {r['P_real(rho>1)']:.4f} vs {r['P_complex(rho>1)']:.4f}"
                for r in rows
                if r["n"] in (1, 2, 4, 16, 64)
            )
        ),
        details=rows,
    )


# --- (4) convergence to the beta = 1 Gumbel law ----------------------------------------------------


def check_gumbel_convergence(ctx: Context) -> Verdict:
    r"""Exact: the Kolmogorov distance of the real law to :math:`e^{-\frac{1}{2} e^{-x}}` decreases in :math:`n` (asymptotic claim)."""
    widths = ctx.pick([256, 512, 1024], [256, 512, 1024, 2048], [256, 512, 1024, 2048, 4096, 8192])
    rows = []
    for n in widths:
        ctx.note(f"Kolmogorov distance, real law, n={n}")
        d, x = real_gumbel_distance(n)
        rows.append({"n": n, "distance": d, "argmax_x": x, "complex_distance_beta2": edge_gumbel_error(n)})
    dist = [r["distance"] for r in rows]
    decreasing = all(b < a for a, b in itertools.pairwise(dist))
    return Verdict(
        status=HOLDS if decreasing else VIOLATED,
        estimate=dist[-1],
        interval=(dist[-1], dist[-1]),
        reference=0.0,
        alpha=0.0,
        cases=f"exact, n = {widths}; Rider's centring/scale, limit exp(-e^(-x)/2)",
        summary="sup |F_n - Lambda_1|: "
        + ", ".join(
            f"n={r['n']}: {r['distance']:.3f} (complex vs Lambda_2: {r['complex_distance_beta2']:.3f})"
            for r in rows
        ),
        details=rows,
    )


# --- (5) the paper's factor on real matrices: limit sqrt(0.856) --------------------------------------


def check_rescaled_limit(ctx: Context, *, limit: float = REAL_RESCALED_LIMIT, field: str = "real") -> Verdict:
    r"""Exact :math:`P(\rho(c_n W) \le 1)`, real :math:`W`: decreasing in :math:`n`, above :math:`\sqrt{0.856}` (heuristic limit),
    and :math:`\log P_{\mathbb R} / \log P_{\mathbb C}` decreasing (towards 1/2, the heuristic's Poisson-mean ratio).

    Planted bugs: ``limit=0.95`` (the exact values fall below it); ``field="complex"`` (complex values in
    place of the real ones: their log ratio is 1 at every width, not decreasing).
    """
    widths = ctx.pick(
        [256, 1024, 4096], [256, 512, 1024, 2048, 4096], [256, 512, 1024, 2048, 4096, 8192, 16384]
    )
    rows = []
    for n in widths:
        r = 1.0 / edge.rescale_factor(n)
        rows.append(
            {
                "n": n,
                "real": math.exp(log_cdf(r, n, field)),
                "complex": math.exp(log_cdf(r, n, "complex")),
                "nominal": NOMINAL_PROBABILITY,
                "real_limit": limit,
            }
        )
    real = [r["real"] for r in rows]
    decreasing = all(b < a for a, b in itertools.pairwise(real))
    above = min(real) > limit
    for row in rows:
        row["log_ratio"] = math.log(row["real"]) / math.log(row["complex"])
    ratios = [r["log_ratio"] for r in rows]
    towards_half = all(b < a for a, b in itertools.pairwise(ratios))
    return Verdict(
        status=HOLDS if decreasing and above and towards_half else VIOLATED,
        estimate=real[-1],
        interval=(real[-1], real[-1]),
        reference=limit,
        alpha=0.0,
        cases=f"exact real and complex, n = {widths}",
        summary="P(rho(c_n W) <= 1) real / complex: "
        + ", ".join(f"n={r['n']}: {r['real']:.5f} / {r['complex']:.5f}" for r in rows)
        + f"; heuristic real limit {limit:.4f}, nominal (complex) {NOMINAL_PROBABILITY:.4f}; "
        + "log P_R / log P_C: "
        + ", ".join(f"{x:.3f}" for x in ratios)
        + " (heuristic: -> 1/2)",
        details=rows,
    )


# --- planted bugs (the power tier, tests/test_power.py, runs each at the default budget) -----------

#: claim id -> (check, planted keyword arguments[, expected status]).
register(
    Claim(
        id="real.law_monte_carlo",
        statement="Exact real law (Sinclair's Pfaffian): MC spectral radii of real Glorot (dense eigvals) match it",
        latex=r"P(\rho(W) \le r) = \operatorname{Pf} U(r\sqrt n)\ \ (n \text{ even; bordered for odd } n)",
        provenance="literature",
        regime="finite n",
        check=check_law_monte_carlo,
        planted=PlantedBug({"law_scale": 1.03}),
        derivation="real-pfaffian-law",
        calculators=("real_radius_cdf_array", "spectral_radii"),
    )
)
register(
    Claim(
        id="real.above_one",
        statement="P(rho > 1) for real Glorot, exact: increasing in n, above 1/2 from n = 5 on (0.487 at n = 4)",
        latex=r"n \mapsto P(\rho(W) > 1) \uparrow,\quad P(\rho(W) > 1) > \tfrac{1}{2} \iff n \ge 5",
        provenance="paper",
        regime="edge",
        check=check_above_one,
        statistical=False,
        calculators=("real_radius_sf", "prob_radius_exceeds"),
    )
)
register(
    Claim(
        id="real.below_complex",
        statement="Real Glorot exceeds radius one less often than complex Glorot: P_R(rho > 1) < P_C(rho > 1) "
        "at every tested n (exact both)",
        latex=r"P_{\mathbb R}(\rho(W) > 1) < P_{\mathbb C}(\rho(W) > 1)",
        provenance="derived",
        regime="edge",
        check=check_below_complex,
        statistical=False,
        calculators=("real_log_radius_cdf", "log_spectral_radius_cdf"),
    )
)
register(
    Claim(
        id="real.gumbel_convergence",
        statement="Real Glorot's radius tends to the beta = 1 Gumbel law exp(-e^{-x}/2) (Rider-Sinclair): the "
        "exact Kolmogorov distance decreases with n, slowly (asymptotic)",
        latex=r"\sup_x |P(\rho \le \ell_n + s_n x) - e^{-\frac{1}{2} e^{-x}}| \downarrow 0",
        provenance="literature",
        regime="edge",
        check=check_gumbel_convergence,
        statistical=False,
        calculators=("real_radius_cdf", "edge_location", "edge_scale"),
    )
)
register(
    Claim(
        id="real.rescaled_limit",
        statement="The paper's c_n on real Glorot: P(rho(c_n W) <= 1) decreases towards sqrt(0.856) = 0.925 "
        "(heuristic limit), not the nominal 0.856",
        latex=r"P_{\mathbb R}(\rho(c_n W) \le 1) \downarrow e^{-\frac{1}{2} e^{-x^*}} = \sqrt{0.856}",
        provenance="derived",
        regime="edge",
        check=check_rescaled_limit,
        statistical=False,
        derivation="real-rescaled-limit",
        calculators=("rescale_factor", "real_radius_cdf", "spectral_radius_cdf"),
    )
)
register(
    Claim(
        id="real.uniform_universality",
        statement="Uniform-entry real Glorot (xavier_uniform_) radii vs the exact Gaussian real law: is the "
        "difference detectable at this sample size? (finding, power stated)",
        latex=r"\sup_r |P(\rho(W_{\mathrm{unif}}) \le r) - P(\rho(W_{\mathrm{Gauss}}) \le r)| \overset{?}{>} 2\varepsilon_{\mathrm{DKW}}",
        provenance="literature",
        regime="finite n",
        check=check_uniform_universality,
        planted=PlantedBug({"scale": 1.03}),
        expect=None,
        calculators=("real_radius_cdf_array", "spectral_radii"),
    )
)
