"""Spectral-edge calculators: deterministic properties, high-precision routes, exact samplers."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import example, given, strategies as st

import lrinit_verify as lv
from lrinit_verify.rigor.stats import dkw_epsilon, ks_distance
from lrinit_verify.rigor.strategies import seeds, widths
from lrinit_verify.theory import edge

radii = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)


@given(widths(max_value=512), radii, radii)
def test_cdf_is_a_probability_and_monotone_in_r(n, r1, r2):
    lo, hi = sorted((r1, r2))
    f_lo, f_hi = lv.spectral_radius_cdf(lo, n), lv.spectral_radius_cdf(hi, n)
    assert 0.0 <= f_lo <= f_hi <= 1.0


@given(widths(max_value=256), st.floats(min_value=0.05, max_value=2.5))
@example(n=1, r=1.0)  # n = 1: P(|z|^2 <= 1) = 1 - e^{-1}, the Exp(1) law
def test_cdf_matches_mpmath_at_50_digits(n, r):
    exact = edge.spectral_radius_cdf_mp(r, n, dps=50)
    got = lv.spectral_radius_cdf(r, n)
    if exact == 0:
        assert got == 0.0
    else:
        # relative error from float64 evaluation of n incomplete-gamma terms
        assert abs(got - float(exact)) <= 1e-12 * float(exact) + 1e-300


def test_cdf_width_one_is_exponential():
    assert lv.spectral_radius_cdf(1.0, 1) == pytest.approx(1 - math.exp(-1), rel=1e-15)


def test_theory_example_n16():
    # THEORY.md §2: n = 16 gives P(rho > 1) ~ 0.8536 (Kostlan's product).
    assert lv.prob_radius_exceeds(16) == pytest.approx(0.8536, abs=5e-5)


@pytest.mark.parametrize("n,r", [(64, 3.0), (256, 1.5), (1024, 1.2)])
def test_upper_tail_keeps_relative_accuracy(n, r):
    """P(rho > r) of order 1e-100: float64 1 - cdf would give 0, the sf keeps ~12 digits."""
    exact = edge.spectral_radius_sf_mp(r, n, dps=50)
    got = lv.spectral_radius_sf(r, n)
    assert float(exact) > 0
    assert got == pytest.approx(float(exact), rel=1e-10)


@pytest.mark.parametrize("n,r", [(64, 0.3), (512, 0.5), (2000, 0.05)])
def test_lower_tail_log_cdf_beyond_underflow(n, r):
    """log P(rho <= r) stays finite and accurate where the probability itself underflows."""
    with mpmath.workdps(40):
        exact = mpmath.log(edge.spectral_radius_cdf_mp(r, n, dps=40))
    got = lv.log_spectral_radius_cdf(r, n)
    assert math.isfinite(got)
    assert got == pytest.approx(float(exact), rel=1e-11)


@given(widths(max_value=300), st.floats(min_value=0.5, max_value=1.5))
def test_vectorised_cdf_agrees_with_scalar(n, r):
    assert lv.spectral_radius_cdf_array([r], n)[0] == pytest.approx(lv.spectral_radius_cdf(r, n), abs=1e-14)


def test_gumbel_quantile_inverts_the_gumbel_cdf():
    for p in (1e-6, 0.1, 0.5, 0.856, 0.999999):
        x = lv.gumbel_quantile(p)
        assert math.exp(-math.exp(-x)) == pytest.approx(p, rel=1e-12)
    nominal = math.exp(-math.exp(-lv.GUMBEL_MEAN_PLUS_STD))
    assert nominal == pytest.approx(0.856, abs=5e-4)  # THEORY.md §1.4


def test_gamma_n_sign_change_at_164():
    assert lv.gamma_n(163) < 0 < lv.gamma_n(164)
    assert lv.FIRST_DEFINED_WIDTH == 164


@pytest.mark.parametrize("n", [164, 256, 512, 1024, 10**6])
def test_rescale_factor_against_mpmath(n):
    """c_n = 1/(1 + sqrt(g/(4n)) + x*/sqrt(4 g n)), g = log(n/(2 pi log^2 n)), x* = gamma_E + pi/sqrt 6,
    transcribed from the paper and evaluated at 40 digits (the doctest's 3 digits cannot see a sign)."""
    with mpmath.workdps(40):
        m = mpmath.mpf(n)
        g = mpmath.log(m / (2 * mpmath.pi * mpmath.log(m) ** 2))
        x = mpmath.euler + mpmath.pi / mpmath.sqrt(6)
        ref = 1 / (1 + mpmath.sqrt(g / (4 * m)) + x / mpmath.sqrt(4 * g * m))
    assert lv.rescale_factor(n) == pytest.approx(float(ref), rel=1e-12)


@given(st.integers(2, 163))
def test_rescale_factor_undefined_below_164_is_an_error_not_nan(n):
    with pytest.raises(ValueError, match=rf"n={n}.*undefined.*calibrated_scale"):
        lv.rescale_factor(n)


@given(st.integers(164, 10**7))
def test_rescale_factor_is_below_one_where_defined(n):
    c = lv.rescale_factor(n)
    assert 0 < c < 1


def _eks_exact(n: int) -> Fraction:
    """E_n / sqrt(2) (even) or (E_n - 1)/sqrt(2) (odd) from double factorials in exact arithmetic."""

    def dfact(k):
        return 1 if k <= 0 else k * dfact(k - 2)

    if n % 2 == 0:
        return sum(Fraction(dfact(4 * k - 1), dfact(4 * k)) for k in range(n // 2))
    return sum(Fraction(dfact(4 * k - 3), dfact(4 * k - 2)) for k in range(1, (n - 1) // 2 + 1))


@given(st.integers(1, 200))
def test_eks_recurrence_matches_exact_double_factorials(n):
    s = float(_eks_exact(n))
    expected = math.sqrt(2) * s + (0 if n % 2 == 0 else 1)
    assert lv.expected_real_eigenvalues(n) == pytest.approx(expected, rel=1e-13)


def test_eks_asymptote():
    n = 10**6
    assert lv.expected_real_eigenvalues(n) == pytest.approx(math.sqrt(2 * n / math.pi) + 0.5, abs=1e-3)


def test_prob_all_real_small_cases():
    assert lv.prob_all_real(1) == 1.0
    assert lv.prob_all_real(4) == 0.125


def test_real_field_has_no_gumbel_formula():
    with pytest.raises(ValueError, match="field='real'"):
        lv.prob_radius_exceeds(256, field="real", method="gumbel")


def test_monte_carlo_method_is_consistent_with_exact():
    p = lv.prob_radius_exceeds(16, method="monte_carlo", field="complex", trials=4000, seed=3)
    exact = lv.prob_radius_exceeds(16)
    lo, hi = lv.clopper_pearson(round(p * 4000), 4000, alpha=TEST_ALPHA)
    assert lo <= exact <= hi


# --- the exact O(n) Kostlan sampler against the exact CDF (DKW band, alpha = TEST_ALPHA) ---


def _kostlan_ks(sampler, n, seed, m=4000):
    sample = sampler(n, m, seed=seed)
    return ks_distance(sample, lambda r: lv.spectral_radius_cdf_array(r, n)), dkw_epsilon(m, alpha=TEST_ALPHA)


@given(st.sampled_from([4, 32, 128]), seeds())
def test_kostlan_sampler_matches_cdf(n, seed):
    d, eps = _kostlan_ks(lv.sample_radius_kostlan, n, seed)
    assert d <= eps, f"KS distance {d:.4f} > DKW band {eps:.4f} at n={n}, seed={seed}"


def _buggy_kostlan(n, trials, *, seed):
    """Planted bug: Gamma(k) for k = 0..n-1 (an off-by-one in the shapes)."""
    rng = np.random.default_rng(seed)
    draws = rng.gamma(np.arange(1, n + 1) - 0.999, size=(trials, n))
    return np.sqrt(draws.max(axis=1) / n)


@pytest.mark.parametrize("n", [4, 32])
def test_planted_bug_kostlan_sampler_is_caught(n):
    d, eps = _kostlan_ks(_buggy_kostlan, n, seed=1)
    assert d > eps


def test_eigenvalue_modulus_cdf_tends_to_circular_law():
    """Inside the disc the finite-n law equals s^2 up to exponentially small terms (measured 6e-17 at n=2e4)."""
    s = np.array([0.2, 0.5, 0.9])
    assert np.allclose(lv.eigenvalue_modulus_cdf(s, 20000), s**2, rtol=0, atol=1e-12)


@pytest.mark.parametrize("n, s", [(1, 0.7), (16, 0.3), (64, 0.7), (64, 1.1), (300, 1.0)])
def test_eigenvalue_modulus_cdf_against_mpmath(n, s):
    """Independent route: (1/n) sum_k P(k, n s^2) in mpmath at 30 digits."""
    with mpmath.workdps(30):
        ref = (
            mpmath.fsum(
                mpmath.gammainc(k, 0, n * mpmath.mpf(s) ** 2, regularized=True) for k in range(1, n + 1)
            )
            / n
        )
    assert float(lv.eigenvalue_modulus_cdf(s, n)) == pytest.approx(float(ref), rel=1e-13, abs=1e-15)
