"""Calibrated scale, real calibration data, explosion lengths, and the rescale claim family."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, strategies as st

from lrinit_verify.claims import REGISTRY, Context, rescale as claims_rescale
from lrinit_verify.rigor.stats import clopper_pearson, order_statistic_interval
from lrinit_verify.theory import edge, rescale
from lrinit_verify.theory.rescale import (
    NOMINAL_PROBABILITY,
    calibrated_scale,
    calibration_interval,
    explosion_length,
    real_calibration,
)


@given(n=st.integers(1, 3000), p=st.floats(0.01, 0.999))
def test_complex_calibration_inverts_kostlan(n, p):
    s = calibrated_scale(n, p, field="complex")
    assert abs(edge.spectral_radius_cdf(s, n) - p) < 1e-11


def test_complex_calibration_n1_closed_form():
    # n = 1: rho^2 ~ Exp(1), so s = sqrt(-log(1 - p)).
    for p in (0.1, 0.5, NOMINAL_PROBABILITY, 0.99):
        assert math.isclose(calibrated_scale(1, p), math.sqrt(-math.log1p(-p)), rel_tol=1e-12)


def test_complex_calibration_against_mpmath():
    n, p = 200, NOMINAL_PROBABILITY
    s = calibrated_scale(n, p)
    assert abs(float(edge.spectral_radius_cdf_mp(s, n)) - p) < 1e-12


def test_calibration_file_is_packaged_and_documented():
    cal = real_calibration()
    for key in ("seed", "alpha", "levels", "valid", "widths", "script"):
        assert key in cal
    assert NOMINAL_PROBABILITY in cal["levels"]
    for rec in cal["widths"]:
        assert len(rec["quantile"]) == len(cal["levels"])
        q = np.array(rec["quantile"])
        assert np.all(np.diff(q) >= 0)  # quantiles increase with p
        lo = np.array([-np.inf if x is None else x for x in rec["lower"]])
        hi = np.array([np.inf if x is None else x for x in rec["upper"]])
        assert np.all(lo <= q) and np.all(q <= hi)


def test_real_calibration_is_exact_and_inside_the_mc_interval():
    cal = real_calibration()
    rec = cal["widths"][2]
    j = cal["levels"].index(0.5)
    s = calibrated_scale(rec["n"], 0.5, field="real")
    assert abs(edge.spectral_radius_cdf(s, rec["n"], field="real") - 0.5) < 1e-11
    assert rec["lower"][j] <= s <= rec["upper"][j]
    assert calibration_interval(rec["n"], 0.5) == (s, s)


def test_real_calibration_delivers_target():
    """H0: P(rho(W) <= s_real(n, p)) = p at a width between grid points; CP at TEST_ALPHA."""
    n, m, p = 40, 3000, NOMINAL_PROBABILITY
    from lrinit_verify.montecarlo.simulate import spectral_radii

    radii = spectral_radii(n, m, field="real", seed=11, route="eigvals")
    k = int(np.count_nonzero(radii <= calibrated_scale(n, p, field="real")))
    lo, hi = clopper_pearson(k, m, alpha=TEST_ALPHA)
    assert lo <= p <= hi, f"P(rho <= s) ~ {k}/{m} = {k / m:.4f}, interval [{lo:.4f}, {hi:.4f}] misses {p:.4f}"


def test_real_calibration_planted_complex_scale_fails():
    """Planted bug: using the complex scale for real matrices at small n is detectably wrong."""
    n, m, p = 16, 6000, 0.5
    from lrinit_verify.montecarlo.simulate import spectral_radii

    radii = spectral_radii(n, m, field="real", seed=12, route="eigvals")
    k = int(np.count_nonzero(radii <= calibrated_scale(n, p, field="complex")))  # measured ~0.595 vs 0.5
    lo, hi = clopper_pearson(k, m, alpha=TEST_ALPHA)
    assert not lo <= p <= hi


def test_order_statistic_interval_brackets_its_estimate():
    """(Coverage over many replications, exact and sampled, is in tests/test_coverage.py.)"""
    x = np.random.default_rng(0).standard_normal(2000)
    q, lo, hi = order_statistic_interval(x, 0.5, alpha=TEST_ALPHA)
    assert lo <= q <= hi and q == np.sort(x)[999]


def test_order_statistic_interval_unreachable_end_is_infinite():
    _, lo, hi = order_statistic_interval(np.arange(10.0), 0.99, alpha=0.01)
    assert hi == math.inf and lo > -math.inf


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"n": 0, "p": 0.5}, "n=0", id="n-zero"),
        pytest.param({"n": 64, "p": 1.0}, "p=1.0", id="p-one"),
        pytest.param({"n": 64, "p": 0.5, "field": "quaternion"}, "field=", id="field"),
    ],
)
def test_calibrated_scale_rejects(kwargs, match):
    with pytest.raises(ValueError, match=match):
        calibrated_scale(**kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"n": 64, "factor": 0.0}, "factor=0.0", id="factor"),
        pytest.param({"n": 64, "threshold": 1.0}, "threshold=1.0", id="threshold"),
        pytest.param({"n": 64, "method": "magic"}, "method=", id="method"),
        pytest.param({"n": 64, "method": "energy", "field": "real"}, "field='real'", id="energy-real"),
        pytest.param({"n": 64, "p": 0.0}, "p=0.0", id="p"),
    ],
)
def test_explosion_length_rejects(kwargs, match):
    with pytest.raises(ValueError, match=match):
        explosion_length(**kwargs)


def test_explosion_length_radius_formula():
    n = 1024
    rho = calibrated_scale(n, 0.5)
    t = explosion_length(n)
    assert rho ** (2 * t) >= rescale.EXPLOSION_THRESHOLD > rho ** (2 * (t - 1))
    assert explosion_length(n, factor=0.5) == math.inf


def test_explosion_length_energy_first_crossing():
    engine = rescale.energy_engine()
    if engine is None:
        pytest.skip("lrinit_verify.theory.energy not available")
    n, c = 256, edge.rescale_factor(256)
    t = explosion_length(n, factor=c, method="energy")
    values = [engine.log_energy(n, k) + 2 * k * math.log(c) for k in range(int(t) + 1)]
    assert values[-1] >= math.log(100.0)
    assert max(values[:-1]) < math.log(100.0)  # the first crossing, checked by a linear scan


def test_explosion_length_energy_absent(monkeypatch):
    monkeypatch.setattr(rescale, "energy_engine", lambda: None)
    with pytest.raises(ValueError, match="lrinit_verify.theory.energy"):
        explosion_length(64, method="energy")


def test_glorot_explosion_scales_like_sqrt_n():
    ts = [explosion_length(n) / math.sqrt(n) for n in (256, 1024, 4096, 16384)]
    assert all(1.0 < r < 5.0 for r in ts)


# --- claims ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim_id", ["rescale.calibration_exact", "rescale.bounded_energy", "rescale.gap_order"]
)
def test_rescale_claims_hold_quick(claim_id):
    verdict = REGISTRY[claim_id].check(Context(budget="quick", seed=3, alpha=TEST_ALPHA))
    assert verdict.status == "holds", verdict.summary


def test_nominal_guarantee_is_a_finding():
    claim = REGISTRY["rescale.nominal_guarantee"]
    assert claim.expect is None
    verdict = claim.check(Context(budget="quick", seed=0, alpha=TEST_ALPHA))
    assert verdict.status == "violated"  # exact finite-n probabilities are far from 0.856
    assert any(r["achieved"] > 0.9 for r in verdict.details)


def test_calibration_claim_planted_scale_fails():
    verdict = claims_rescale.check_calibration(Context(budget="quick", seed=3, alpha=TEST_ALPHA), scale=1.05)
    assert verdict.status == "violated"


def test_bounded_energy_planted_missing_rescale_fails():
    verdict = claims_rescale.check_bounded_energy(Context(budget="quick", seed=0), factor=lambda n: 1.0)
    assert verdict.status == "violated"


def test_gap_order_planted_wrong_factor_fails():
    verdict = claims_rescale.check_gap_order(Context(budget="quick"), factor=lambda n: 0.5)
    assert verdict.status == "violated"


def test_nominal_guarantee_planted_exact_calibration_holds():
    """With the exact calibrated factor the 'finding' disappears: the check can say holds."""
    ctx = Context(budget="quick", seed=0, alpha=TEST_ALPHA)
    verdict = claims_rescale.check_nominal_guarantee(
        ctx, factor=lambda n: 1 / calibrated_scale(n, NOMINAL_PROBABILITY)
    )
    assert verdict.status == "holds"


def test_log_energy_paths_orthogonal_is_flat():
    rng = np.random.default_rng(0)
    from lrinit_verify.sampling.ensembles import sample_batch

    q = sample_batch("orthogonal", 16, 3, seed=1)
    logs = claims_rescale.log_energy_paths(q, np.array([1, 10, 1000]), rng)
    assert np.allclose(logs, 0.0, atol=1e-8)


@pytest.mark.slow
def test_rescale_claims_thorough_energy_mc():
    verdict = claims_rescale.check_bounded_energy(Context(budget="thorough", seed=5, alpha=TEST_ALPHA))
    assert verdict.status == "holds", verdict.summary
