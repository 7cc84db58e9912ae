"""Exact energies: closed form, enumeration, genus coefficients, log space, critical limit, validation."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import pytest
from hypothesis import example, given, strategies as st

from lrinit_verify.rigor.strategies import widths, widths_and_lengths
from lrinit_verify.theory import energy as E


@pytest.mark.parametrize("t", range(0, 9))
def test_closed_form_equals_enumeration_as_polynomials(t):
    assert E._same(E.energy_polynomial(t), E.closed_form_polynomial(t))
    assert E._same(E.energy_polynomial(t, form="vector"), E.closed_form_polynomial(t))


@pytest.mark.parametrize("t", range(0, 7))
def test_real_trace_and_vector_forms_agree(t):
    assert E.energy_polynomial(t, field="real") == E.energy_polynomial(t, field="real", form="vector")


def test_planted_wrong_coefficient_is_caught():
    bad = list(E.closed_form_polynomial(4))
    bad[2] += 1
    assert not E._same(E.energy_polynomial(4), bad)


def test_sanity_values():
    assert [E.energy_exact(9, t) for t in (0, 1)] == [1, 1]
    assert E.energy_exact(9, 2) == 1 + Fraction(1, 81)
    assert E.energy_exact(9, 2, field="real") == 1 + Fraction(2, 81)
    assert all(E.energy_exact(1, t) == math.factorial(t) for t in range(10))
    assert E.energy_exact(1, 4, field="real") == 105  # E g^8 = 7!!


@given(st.integers(0, 12))
def test_epsilon_1_is_binomial(t):
    g = E.genus_coefficients(t)
    assert g[0] == 1
    assert (g[1] if len(g) > 1 else 0) == math.comb(t + 2, 4)


@given(widths(max_value=200), st.integers(0, 25))
def test_sum_form_equals_two_term_form(n, t):
    assert E.closed_form_sum(n, t) == E.energy_exact(n, t)


@given(widths_and_lengths(regime="subcritical", max_width=10**6))
def test_subcritical_energy_is_near_one(nt):
    n, t = nt
    s = math.exp(E.log_energy(n, t))
    assert 1.0 <= s <= 1.0 + 2.0 * math.comb(t + 2, 4) / n**2 + 1e-15


@given(widths_and_lengths(regime="critical", min_width=10**4, max_width=10**7))
def test_critical_energy_tracks_F(nt):
    """|S - F - G/sqrt(n)| <= 0.05 (1 + c^6)/n (measured max 0.025 on c in [0.5, 2], n in [1e4, 1e7]);
    on this range |G|/sqrt(n) is >= 15x that bound, so a missing or wrong G(c) cannot pass."""
    n, t = nt
    c = t / math.sqrt(n)
    s = math.exp(E.log_energy(n, t))
    bound = 0.05 * (1 + c**6) / n
    assert abs(s - E.critical_limit(c) - E.critical_correction(c) / math.sqrt(n)) < bound
    assert abs(E.critical_correction(c)) / math.sqrt(n) > 15 * bound


@given(widths_and_lengths(regime="supercritical", max_width=10**4))
def test_supercritical_energy_grows_like_exp_y(nt):
    n, t = nt
    y = (t + 2) ** 2 / (2 * n)
    # log(sinh(y)/y) ~ y - log(2y); on 4 sqrt(n) <= t <= n^{3/4} the finite-n factor costs at most 2.82
    # (measured), so the band below has the full exponent y (y >= 8 here: half of it leaves the band)
    assert y - math.log(2 * y) - 3.0 <= E.log_energy(n, t) <= y - math.log(2 * y)


@pytest.mark.parametrize("n", [1, 2, 7, 999, 1000, 4096, 10**5, 10**8])
@pytest.mark.parametrize("t", [0, 2, 3, 50, 4094, 4095, 10**5, 10**8])
def test_log_energy_against_mpmath_50_digits(n, t):
    ref = E.log_energy_mp(n, t)
    assert abs(E.log_energy(n, t) - float(ref)) <= 1e-12 * max(1.0, abs(float(ref)))


@given(widths(max_value=60), st.integers(0, 60))
@example(1, 0).via("t = 0 at n = 1")
def test_log_energy_against_exact_fraction(n, t):
    assert math.isclose(
        E.log_energy(n, t),
        float(mpmath.log(mpmath.mpf(E.energy_exact(n, t).numerator) / E.energy_exact(n, t).denominator)),
        rel_tol=1e-12,
        abs_tol=1e-13,
    )


def test_log_energy_sum_route_agrees():
    for n, t in [(64, 40), (1000, 3000), (10**4, 10**4)]:
        assert abs(E.log_energy_sum(n, t) - E.log_energy(n, t)) < 1e-9 * max(1.0, E.log_energy(n, t))


@pytest.mark.parametrize("c", [1e-3, 0.02, 0.5, 1.0, 2.0, 10.0, 37.0, 37.5, 37.8])
def test_critical_limit_every_branch_against_mpmath(c):
    """F(c) = sinh(y)/y, y = c^2/2, at 40 digits: covers the small-y series, sinh and the y > 700 branch."""
    with mpmath.workdps(40):
        y = mpmath.mpf(c) ** 2 / 2
        ref = mpmath.sinh(y) / y
    assert E.critical_limit(c) == pytest.approx(float(ref), rel=1e-13)


def test_critical_limit_values():
    assert round(E.critical_limit(1.0), 4) == 1.0422 and round(E.critical_limit(2.0), 4) == 1.8134
    assert math.isclose(E.critical_limit(1e-3), 1.0, rel_tol=1e-12)
    assert math.isfinite(E.critical_limit(30.0))


def test_critical_correction_matches_exact_energies():
    for c in (1, 2):
        r = 2**12
        dev = math.exp(E.log_energy(r * r, c * r)) - E.critical_limit(c)
        assert abs(r * dev / E.critical_correction(c) - 1) < 8 * c * c / r


def test_hidden_state_and_cumulative():
    assert E.hidden_state_energy(5, [2, 0, 1]) == 2 * E.energy_exact(5, 2) + 1
    assert E.cumulative_energy(5, 4, field="real") == sum(
        E.energy_exact(5, k, field="real") for k in range(4)
    )
    assert E.feedforward_energy(4, 100) == 1


def test_second_moment_small_cases():
    # ||Wx||^2 ~ Gamma(n, 1/n) complex: E X^2 = 1 + 1/n; real chi^2_n / n: 1 + 2/n
    assert E.second_moment_polynomial(1) == [1, 1]
    assert E.second_moment_polynomial(1, field="real") == [1, 2]
    # n = 1 complex: |w|^2 ~ Exp(1), E|w|^{4t} = (2t)!
    assert sum(E.second_moment_polynomial(3)) == math.factorial(6)


BAD = [
    pytest.param(E.energy_exact, (0, 2), {}, "n=0", id="n=0"),
    pytest.param(E.energy_exact, (-3, 2), {}, "n=-3", id="n<0"),
    pytest.param(E.energy_exact, (4, -1), {}, "t=-1", id="t<0"),
    pytest.param(E.energy_exact, (4.5, 2), {}, "n=4.5", id="n float"),
    pytest.param(E.energy_exact, (4, 2.0), {}, "t=2.0", id="t float"),
    pytest.param(E.energy_exact, (4, 2), {"field": "quaternion"}, "field=", id="field"),
    pytest.param(E.energy_exact, (4, 20), {"field": "real"}, "t=20", id="real t too large"),
    pytest.param(E.log_energy, (0, 5), {}, "n=0", id="log n=0"),
    pytest.param(E.log_energy, (5, -2), {}, "t=-2", id="log t<0"),
    pytest.param(E.log_energy, (True, 2), {}, "n=True", id="n bool"),
    pytest.param(E.critical_limit, (float("nan"),), {}, "c=nan", id="c nan"),
    pytest.param(E.critical_limit, (float("inf"),), {}, "c=inf", id="c inf"),
    pytest.param(E.critical_correction, (float("nan"),), {}, "c=nan", id="G nan"),
    pytest.param(E.genus_coefficients, (-1,), {}, "t=-1", id="genus t<0"),
    pytest.param(E.energy_polynomial, (3,), {"form": "matrix"}, "form=", id="form"),
    pytest.param(E.hidden_state_energy, (4, [1, -1]), {}, "input_energies", id="negative input"),
    pytest.param(E.cumulative_energy, (4, 1.5), {}, "t=1.5", id="cum t float"),
]


@pytest.mark.parametrize("func, args, kwargs, needle", BAD)
def test_invalid_arguments(func, args, kwargs, needle):
    with pytest.raises(ValueError, match=needle.replace("(", r"\(")):
        func(*args, **kwargs)


@pytest.mark.slow
def test_closed_form_equals_enumeration_t10():
    assert E._same(E.energy_polynomial(10), E.closed_form_polynomial(10))
