r"""Spectral-edge claims (THEORY.md §1.1 and §2).

Each check takes a :class:`~lrinit_verify.claims.Context` and keyword arguments that the tests
use to plant bugs (a mis-scaled sampler, a wrong reference formula): the same check must then
fail, which is the evidence that it has power.
"""

from __future__ import annotations

import math

import numpy as np

from lrinit_verify.claims import Claim, Context, PlantedBug, register
from lrinit_verify.claims.edge_real_eigenvalues import check_all_real_probability, check_real_eigenvalue_count
from lrinit_verify.montecarlo.simulate import resolve_radii_route, spectra, spectral_radii
from lrinit_verify.rigor.stats import (
    HOLDS,
    VIOLATED,
    Verdict,
    clopper_pearson,
    dkw_epsilon,
    increasing_verdict,
    ks_distance,
)
from lrinit_verify.theory import edge

# --- (a) the edge sits above one ------------------------------------------------------------


def check_edge_above_one_complex(ctx: Context) -> Verdict:
    r"""Exact P(ρ > 1) for complex Glorot is increasing in n and tends to 1 (Kostlan's product).

    Compared through :math:`\log P(\rho \le 1)`, which stays accurate where :math:`P(\rho > 1)` rounds to 1.
    """
    widths = [2**k for k in range(1, ctx.pick(12, 14, 16) + 1)]
    log_below = [edge.log_spectral_radius_cdf(1.0, n) for n in widths]
    decreasing = all(b < a for a, b in zip(log_below, log_below[1:]))
    near_one = log_below[-1] < math.log(1e-9)
    probs = [-math.expm1(x) for x in log_below]
    rows = [{"n": n, "P(rho>1)": p, "log P(rho<=1)": x} for n, p, x in zip(widths, probs, log_below)]
    return Verdict.exact(
        status=HOLDS if decreasing and near_one else VIOLATED,
        estimate=probs[-1],
        reference=1.0,
        cases=f"exact, n = 2..{widths[-1]}",
        summary=(
            f"P(rho>1): n=16 {probs[3]:.4f}, n=256 {probs[7]:.6f}; "
            f"P(rho<=1) at n={widths[-1]}: exp({log_below[-1]:.4g})"
        ),
        details=rows,
    )


def check_edge_above_one_real(ctx: Context, *, scale: float = 1.0) -> Verdict:
    """Monte Carlo P(ρ > 1) for real Glorot increases with n (simultaneous Clopper–Pearson intervals).

    ``route="auto"``: radii from the exact real law where it is installed and its table pays
    (:func:`~lrinit_verify.montecarlo.simulate.resolve_radii_route`), else eigenvalues; each row names its route.
    """
    # A ladder of factor 4 keeps the gaps between consecutive probabilities wide as they approach 1.
    widths = ctx.pick([8, 32, 128], [4, 16, 64, 256], [2, 8, 32, 128, 512])
    trials = ctx.pick([1000, 1000, 600], [2000, 2000, 1500, 700], [8000, 8000, 8000, 6000, 1500])
    alpha_each = ctx.alpha / len(widths)
    rows, intervals = [], []
    for n, m in zip(widths, trials):
        ctx.note(f"real Glorot radii n={n} x{m}")
        route = resolve_radii_route("auto", "glorot", "real", n, m, ctx.backend)
        radii = spectral_radii(
            n, m, field="real", scale=scale, route=route, **ctx.sim_kwargs(f"above_one_real/{n}")
        )
        k = int(np.count_nonzero(radii > 1.0))
        ci = clopper_pearson(k, m, alpha=alpha_each)
        intervals.append(ci)
        rows.append({"n": n, "trials": m, "P(rho>1)": k / m, "interval": ci, "route": route})
    status = increasing_verdict(intervals)
    last = rows[-1]
    return Verdict(
        status=status,
        estimate=last["P(rho>1)"],
        interval=last["interval"],
        reference=None,
        alpha=ctx.alpha,
        cases=f"MC, n = {widths}",
        summary=", ".join(f"n={r['n']}: {r['P(rho>1)']:.3f}" for r in rows),
        details=rows,
    )


# --- (b) Kostlan's law against Monte Carlo eigenvalues --------------------------------------


def check_kostlan_law(ctx: Context, *, scale: float = 1.0) -> Verdict:
    r"""DKW bands: MC radii vs :math:`\prod_k P(k, n r^2)`, and one random :math:`|\lambda|` per matrix vs :math:`\frac1n \sum_k P(k, n s^2)`."""
    widths = ctx.pick([16, 64], [16, 64, 128], [16, 64, 128, 256])
    m = ctx.pick(1000, 2000, 6000)
    alpha_each = ctx.alpha / (2 * len(widths))
    eps = dkw_epsilon(m, alpha=alpha_each)
    rows = []
    for n in widths:
        ctx.note(f"complex Glorot spectra n={n} x{m}")
        kw = ctx.sim_kwargs(f"kostlan/{n}")
        eig = spectra(n, m, field="complex", scale=scale, **kw)  # eigenvalues: spectra has no exact route
        pick = kw["rng"].integers(n, size=m)
        d_radius = ks_distance(np.abs(eig).max(1), lambda r, n=n: edge.spectral_radius_cdf_array(r, n))
        d_modulus = ks_distance(
            np.abs(eig[np.arange(m), pick]), lambda s, n=n: edge.eigenvalue_modulus_cdf(s, n)
        )
        rows.append({"n": n, "trials": m, "ks_radius": d_radius, "ks_modulus": d_modulus, "band": eps})
    worst = max(max(r["ks_radius"], r["ks_modulus"]) for r in rows)
    return Verdict(
        status=HOLDS if worst <= eps else VIOLATED,
        estimate=worst,
        interval=(0.0, eps),
        reference=0.0,
        alpha=ctx.alpha,
        cases=f"MC, n = {widths}, {m} matrices each",
        summary=f"max KS distance {worst:.4f} vs DKW band {eps:.4f}",
        details=rows,
    )


# --- (c) the Gumbel approximation converges slowly -------------------------------------------


def gumbel_sup_error(n: int, grid: int = 401) -> float:
    """Largest gap (over a grid of -6..12 Gumbel scales around the edge) between the exact Kostlan CDF and Rider's Gumbel CDF."""
    x = np.linspace(-6.0, 12.0, grid)
    r = edge.edge_location(n) + edge.edge_scale(n) * x
    return float(np.max(np.abs(edge.spectral_radius_cdf_array(r, n) - np.exp(-np.exp(-x)))))


GUMBEL_ERROR_FLOOR = 0.1


def check_gumbel_error(ctx: Context) -> Verdict:
    """Exact computation: the Gumbel sup-error decreases with n but stays above 0.1 up to the largest n."""
    widths = [2**k for k in range(8, ctx.pick(13, 15, 17))]
    errors = [gumbel_sup_error(n) for n in widths]
    decreasing = all(b < a for a, b in zip(errors, errors[1:]))
    above = min(errors) > GUMBEL_ERROR_FLOOR
    return Verdict.exact(
        status=HOLDS if decreasing and above else VIOLATED,
        estimate=errors[-1],
        reference=GUMBEL_ERROR_FLOOR,
        cases=f"exact, n = 256..{widths[-1]}",
        summary=", ".join(f"n={n}: {e:.3f}" for n, e in zip(widths, errors)),
        details=[{"n": n, "sup_error": e} for n, e in zip(widths, errors)],
    )


# --- (c') the far left tail of the exact law: P(rho <= 1) = exp(-kappa sqrt(n) + O(1)) ------------


def left_tail_constant(dps: int = 30) -> float:
    r""":math:`\kappa = -\int_0^\infty \log\Phi(u)\,du \approx 0.47754` by mpmath quadrature.

    Derivation: :math:`\log P(\rho \le 1) = \sum_{k} \log P(\Gamma_k \le n)` and for :math:`k = n - j` the CLT gives
    :math:`P(\Gamma_k \le n) \approx \Phi(j/\sqrt n)`, so the sum is a Riemann sum :math:`\sqrt n \int_0^\infty \log\Phi`.

    >>> round(left_tail_constant(), 5)
    0.47754
    """
    import mpmath

    with mpmath.workdps(dps):
        return float(-mpmath.quad(lambda u: mpmath.log(mpmath.ncdf(u)), [0, 1, 4, mpmath.inf]))


LEFT_TAIL_TOLERANCE = 0.05


def check_left_tail(ctx: Context, *, kappa=None) -> Verdict:
    r"""Exact: the residual :math:`\log P(\rho \le 1) + \kappa\sqrt n` converges (shrinking steps) and stays within 0.05.

    Contrast: Rider's Gumbel law predicts :math:`\log P(\rho \le 1) \approx -e^{\gamma_n} = -n/(2\pi\log^2 n)`,
    which is not of order :math:`\sqrt n`: the Gumbel law does not describe this tail.
    """
    kappa = left_tail_constant() if kappa is None else kappa
    widths = [2**k for k in range(4, ctx.pick(15, 19, 21), 2)]
    residuals = [edge.log_spectral_radius_cdf(1.0, n) + kappa * math.sqrt(n) for n in widths]
    steps = [abs(b - a) for a, b in zip(residuals, residuals[1:])]
    converging = all(b < a for a, b in zip(steps, steps[1:]))
    small = max(abs(r) for r in residuals) < LEFT_TAIL_TOLERANCE
    n = widths[-1]
    return Verdict.exact(
        status=HOLDS if converging and small else VIOLATED,
        estimate=residuals[-1],
        interval=(min(residuals), max(residuals)),
        reference=0.0,
        cases=f"exact, n = 16..{n}, kappa = {kappa:.6f} (quadrature)",
        summary=(
            f"log P(rho<=1) + {kappa:.5f} sqrt(n): "
            + ", ".join(f"n={m}: {r:+.4f}" for m, r in zip(widths, residuals))
            + f"; Gumbel would give -{math.exp(edge.gamma_n(n)):.1f} at n={n} vs exact "
            f"{edge.log_spectral_radius_cdf(1.0, n):.1f}"
        ),
        details=[{"n": m, "residual": r} for m, r in zip(widths, residuals)],
    )


# Each statistical claim carries its planted bug (``planted=PlantedBug(...)``, see
# :class:`lrinit_verify.claims.PlantedBug`); the power tier (tests/test_power.py) runs each at the
# default budget and requires the mutated check to come out ``violated`` (or the stated status).

register(
    Claim(
        id="edge.above_one.complex",
        statement="P(rho > 1) for complex Glorot increases with n and tends to 1",
        latex=r"P(\rho(W) > 1) = 1 - \prod_{k=1}^{n} P(k, n) \uparrow 1",
        provenance="paper",
        regime="edge",
        check=check_edge_above_one_complex,
        derivation="edge-gumbel-rescaling",
        statistical=False,
        calculators=("prob_radius_exceeds", "spectral_radius_sf"),
    )
)
register(
    Claim(
        id="edge.above_one.real",
        statement="P(rho > 1) for real Glorot increases with n (Monte Carlo)",
        latex=r"n \mapsto P(\rho(W) > 1) \text{ increasing}, W_{ij} \sim N(0, 1/n)",
        provenance="paper",
        regime="edge",
        check=check_edge_above_one_real,
        planted=PlantedBug({"scale": math.sqrt(0.8)}),
        calculators=("spectral_radii",),
    )
)
register(
    Claim(
        id="edge.kostlan_law",
        statement="Kostlan's law: MC spectral radii and eigenvalue moduli of complex Glorot match the exact CDFs",
        latex=r"P(\rho \le r) = \prod_{k=1}^n P(k, n r^2),\quad P(|\lambda| \le s) = \tfrac1n \sum_{k=1}^n P(k, n s^2)",
        provenance="literature",
        regime="edge",
        check=check_kostlan_law,
        planted=PlantedBug({"scale": math.sqrt(1.1)}),
        calculators=("spectral_radius_cdf", "eigenvalue_modulus_cdf"),
    )
)
register(
    Claim(
        id="edge.gumbel_slow",
        statement="Rider's Gumbel law converges slowly: its sup-error decreases with n yet exceeds 0.1 at all tested n",
        latex=r"\sup_r |P(\rho \le r) - e^{-e^{-x(r)}}| \downarrow, \; > 0.1 \text{ for } n \le 2^{16}",
        provenance="literature",
        regime="edge",
        check=check_gumbel_error,
        derivation="edge-gumbel-rescaling",
        statistical=False,
        calculators=("gumbel_radius_cdf", "spectral_radius_cdf"),
    )
)
register(
    Claim(
        id="edge.left_tail",
        statement="Exact law: P(rho <= 1) = exp(-kappa sqrt(n) + O(1)), kappa = -int_0^inf log Phi = 0.4775 (not Gumbel's tail)",
        latex=r"\log P(\rho(W) \le 1) = -\kappa\sqrt n + O(1),\ \kappa = -\int_0^\infty \log\Phi(u)\,du",
        provenance="derived",
        regime="edge",
        check=check_left_tail,
        statistical=False,
        calculators=("log_spectral_radius_cdf",),
    )
)
register(
    Claim(
        id="edge.eks_real_count",
        statement="Mean number of real eigenvalues of real Glorot equals the Edelman-Kostlan-Shub E_n",
        latex=r"E\#\{\lambda_i \in \mathbb R\} = E_n \sim \sqrt{2n/\pi}",
        provenance="literature",
        regime="finite n",
        check=check_real_eigenvalue_count,
        planted=PlantedBug({"reference": lambda n: edge.expected_real_eigenvalues(n + 1)}),
        calculators=("expected_real_eigenvalues",),
    )
)
register(
    Claim(
        id="edge.all_real_probability",
        statement="P(all eigenvalues of real Glorot are real) = 2^{-n(n-1)/4} (Edelman)",
        latex=r"P(\lambda_1,\dots,\lambda_n \in \mathbb R) = 2^{-n(n-1)/4}",
        provenance="literature",
        regime="finite n",
        check=check_all_real_probability,
        planted=PlantedBug({"reference": lambda n: 2.0 ** (-n * (n - 1) / 2)}),
        calculators=("prob_all_real",),
    )
)
