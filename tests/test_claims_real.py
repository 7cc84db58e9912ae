"""Real-Glorot claims decided by the exact law (lrinit_verify.claims.real): they hold at the quick budget,
planted bugs are rejected, the rescaled limit sqrt(0.856), and ``lrinit-verify rescale --field``.

Statistical checks run at alpha = TEST_ALPHA (their false-failure probability); exact checks use none.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, strategies as st

from lrinit_verify import cli
from lrinit_verify.claims import FAMILIES, Context, all_claims, real as cr
from lrinit_verify.claims._real_tools import grid_ks_bounds, width_grid
from lrinit_verify.report.findings import findings_rows
from lrinit_verify.rigor.stats import ks_distance
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY

# REAL_GINIBRE.md §6(a), computed independently (mpmath, 30 digits): P(rho(W) <= 1) for real Glorot.
INDEPENDENT_CDF_AT_ONE = {2: 0.605038038501, 4: 0.513020680963, 5: 0.481771883014, 6: 0.455641411243}


def ctx(seed=0, budget="quick"):
    return Context(budget=budget, seed=seed, alpha=TEST_ALPHA)


@pytest.mark.parametrize(
    "check",
    [
        cr.check_law_monte_carlo,
        cr.check_above_one,
        cr.check_below_complex,
        cr.check_gumbel_convergence,
        cr.check_rescaled_limit,
    ],
    ids=lambda f: f.__name__,
)
def test_real_claims_hold_at_quick_budget(check):
    verdict = check(ctx())
    assert verdict.status == "holds", verdict.summary


PLANTED = [
    pytest.param(cr.check_law_monte_carlo, {"law_scale": 1.03}, id="law-of-1.03W"),
    pytest.param(cr.check_below_complex, {"real_radius": 1 / 1.1}, id="real-variance-1.21/n"),
    pytest.param(cr.check_rescaled_limit, {"limit": 0.95}, id="limit-0.95"),
    pytest.param(cr.check_rescaled_limit, {"field": "complex"}, id="complex-values-as-real"),
]


@pytest.mark.parametrize("check,bug", PLANTED)
def test_planted_bugs_are_rejected(check, bug):
    verdict = check(ctx(), **bug)
    assert verdict.status == "violated", f"planted bug {bug} not detected: {verdict.summary}"


def test_uniform_universality_finding_and_its_power():
    """A finding either way; the planted 3 % scale error must be detected (its KS distance, about 0.25 at
    n = 64, is far above the detectable 2 * band stated in the verdict)."""
    finding = cr.check_uniform_universality(ctx())
    assert finding.status in ("holds", "violated", "inconclusive")
    assert all(r["detectable"] == 2 * r["band"] and r["ks_lower"] <= r["ks_upper"] for r in finding.details)
    planted = cr.check_uniform_universality(ctx(), scale=1.03)
    assert planted.status == "violated", planted.summary


def test_half_crossing_against_independent_values():
    """The exact claim says P(rho > 1) > 1/2 from n = 5; the independent mpmath values agree (n = 4 below)."""
    assert 1 - INDEPENDENT_CDF_AT_ONE[4] < 0.5 < 1 - INDEPENDENT_CDF_AT_ONE[5] and cr.HALF_CROSSING == 5
    rows = {r["n"]: r["P(rho>1)"] for r in cr.check_above_one(ctx()).details}
    for n, cdf in INDEPENDENT_CDF_AT_ONE.items():
        assert abs(rows[n] - (1 - cdf)) < 1e-11


def test_rescaled_limit_is_the_square_root_of_the_nominal():
    x_star = np.euler_gamma + math.pi / math.sqrt(6)
    assert cr.REAL_RESCALED_LIMIT == pytest.approx(math.exp(-0.5 * math.exp(-x_star)), rel=1e-15)
    assert round(cr.REAL_RESCALED_LIMIT, 4) == 0.9251
    assert cr.REAL_RESCALED_LIMIT**2 == pytest.approx(NOMINAL_PROBABILITY)
    rows = cr.check_rescaled_limit(ctx()).details
    assert all(r["real"] - NOMINAL_PROBABILITY > 0.05 for r in rows)  # far from the nominal 0.856
    assert rows[0]["real"] == pytest.approx(0.99760, abs=5e-6)
    assert rows[-1]["real"] == pytest.approx(0.94552, abs=5e-6)


def test_width_grid():
    g = width_grid(32, 1024)
    assert g[:32] == list(range(1, 33)) and g[-1] == 1024 and g == sorted(set(g))


@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 60), cells=st.integers(3, 80))
def test_grid_ks_bounds_bracket_the_exact_distance(seed, m, cells):
    """Uniform CDF on [0, 1]: the grid bounds contain the exact KS distance (stats.ks_distance)."""
    sample = np.sort(np.random.default_rng(seed).uniform(size=m) ** 1.5)  # not uniform: KS > 0
    grid = np.linspace(0.0, 1.0, cells)
    lo, hi = grid_ks_bounds(sample, grid, grid)
    exact = ks_distance(sample, lambda x: x)
    assert lo - 1e-12 <= exact <= hi + 1e-12


def test_family_registered():
    assert "real" in FAMILIES
    claims = {c.id: c for c in all_claims()}
    ids = {
        "real.law_monte_carlo",
        "real.above_one",
        "real.below_complex",
        "real.gumbel_convergence",
        "real.rescaled_limit",
        "real.uniform_universality",
    }
    assert ids <= set(claims)
    assert claims["real.uniform_universality"].expect is None and claims["real.law_monte_carlo"].statistical
    assert all(claims[i].planted is not None for i in ids if claims[i].statistical)


def test_findings_real_columns_exact_beyond_the_old_calibration_range():
    (row,) = findings_rows(widths=(1024,), real_max_width=0)
    assert row["calibrated_factor_real"] == pytest.approx(0.967692, abs=1e-6)
    assert row["achieved_real_exact"] == pytest.approx(0.963783, abs=1e-6)
    assert row["glorot_exceeds_real_exact"] == pytest.approx(0.999625, abs=1e-6)


def test_cli_rescale_field_real(capsys):
    assert cli.main(["rescale", "--field", "real", "--widths", "256,1024"]) == 0
    out = capsys.readouterr().out
    assert "0.997600" in out and "0.963783" in out and "0.967692" in out
    assert "complex" not in out.split("┏", 1)[1]  # no complex columns


def test_cli_rescale_field_both_and_bad_field(capsys):
    assert cli.main(["rescale", "--widths", "256", "--wide"]) == 0
    out = capsys.readouterr().out
    assert "0.997600" in out and "0.999852" in out  # real and complex achieved probabilities
    assert cli.main(["rescale", "--field", "quaternion"]) == 2
    assert "--field" in capsys.readouterr().err
