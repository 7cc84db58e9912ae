"""The user-facing assertion helpers and the error-budget tools (Holm, sequential, quantiles).

Statistical assertions run at TEST_ALPHA (their false-failure probability); each has a planted-bug
companion that must fail. Exact properties of the tests (their size) are computed, not sampled.
"""

from __future__ import annotations

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, settings, strategies as st
from scipy import stats as sst

from lrinit_verify.claims import Claim, Context
from lrinit_verify.claims.runner import run_claims
from lrinit_verify.rigor import stats as S
from lrinit_verify.rigor.strategies import seeds
from lrinit_verify.rigor.testing import assert_distribution, assert_probability, assert_probability_sequential


def test_message_reads_like_a_probability_statement():
    with pytest.raises(AssertionError, match=r"P\(rho > 1\) ≈ 120/1000 = 0\.12 < 0\.2"):
        assert_probability(120, 1000, at_least=0.2, alpha=1e-3, name="rho > 1")
    with pytest.raises(AssertionError, match=r"≈ 3/4 = 0\.75 > 0\.01"):
        assert_probability(np.array([True, True, True, False]), at_most=0.01, alpha=0.01)


def test_both_bounds_and_a_pass():
    assert_probability(500, 1000, at_least=0.45, at_most=0.55, alpha=1e-3)
    with pytest.raises(AssertionError):
        assert_probability(500, 1000, at_least=0.56, at_most=0.9, alpha=1e-3)


@pytest.mark.parametrize("n, p0, alpha", [(50, 0.3, 0.01), (1000, 0.9, 1e-4), (200, 0.05, 1e-3)])
def test_size_of_the_one_sided_test_is_at_most_alpha_exactly(n, p0, alpha):
    """Exact size: P_{p0}(assert fails) = P(Bin(n, p0) <= k*) <= alpha, k* the largest failing count."""
    failing = [k for k in range(n + 1) if _fails(k, n, p0, alpha)]
    size = sst.binom.cdf(max(failing), n, p0) if failing else 0.0
    assert size <= alpha
    assert failing == list(range(len(failing)))  # monotone: fails exactly for small counts


def _fails(k, n, p0, alpha):
    try:
        assert_probability(k, n, at_least=p0, alpha=alpha)
    except AssertionError:
        return True
    return False


@settings(max_examples=5)
@given(seeds())
def test_helper_passes_a_true_claim_and_rejects_a_planted_bug(seed):
    rng = np.random.default_rng(seed)
    assert_probability(rng.random(2000) < 0.3, at_least=0.3, alpha=TEST_ALPHA)  # true: p = 0.3
    with pytest.raises(AssertionError):  # planted bug: events at rate 0.2 claimed >= 0.3
        assert_probability(rng.random(2000) < 0.2, at_least=0.3, alpha=TEST_ALPHA)


@settings(max_examples=5)
@given(seeds())
def test_sequential_stops_early_and_rejects_a_planted_bug(seed):
    rng = np.random.default_rng(seed)
    used = assert_probability_sequential(
        lambda m: rng.random(m) < 0.95, at_least=0.8, alpha=TEST_ALPHA, max_trials=4000
    )
    assert used < 4000
    with pytest.raises(AssertionError, match="sequential"):
        assert_probability_sequential(
            lambda m: rng.random(m) < 0.7, at_least=0.8, alpha=TEST_ALPHA, max_trials=4000
        )


@settings(max_examples=5)
@given(seeds())
def test_distribution_helper_and_its_planted_bug(seed):
    rng = np.random.default_rng(seed)
    assert_distribution(rng.standard_normal(8000), sst.norm.cdf, alpha=TEST_ALPHA)
    with pytest.raises(AssertionError, match="DKW"):  # planted bug: standard deviation 1.3 (sup gap 0.06)
        assert_distribution(1.3 * rng.standard_normal(8000), sst.norm.cdf, alpha=TEST_ALPHA)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param(
            {"events": 3, "trials": None, "at_least": 0.5, "alpha": 0.01}, "trials", id="count-no-trials"
        ),
        pytest.param({"events": 5, "trials": 3, "at_least": 0.5, "alpha": 0.01}, "exceed", id="k>n"),
        pytest.param({"events": 1, "trials": 3, "alpha": 0.01}, "at least one bound", id="no-bound"),
        pytest.param({"events": 1, "trials": 3, "at_least": 0.5, "alpha": 0.7}, "alpha", id="alpha-big"),
        pytest.param({"events": 1, "trials": 3, "at_least": 1.5, "alpha": 0.01}, "at_least", id="p-big"),
        pytest.param(
            {"events": 1, "trials": 3, "at_least": 0.6, "at_most": 0.5, "alpha": 0.01}, "exceed", id="lo>hi"
        ),
        pytest.param(
            {"events": np.array([1, 2]), "at_least": 0.5, "alpha": 0.01}, "boolean", id="int-array-not-0-1"
        ),
    ],
)
def test_invalid_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        assert_probability(**kwargs)


# --- error-budget tools ------------------------------------------------------------------


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.floats(1e-4, 0.2))
def test_holm_rejects_a_superset_of_bonferroni(p, alpha):
    holm = S.holm_rejections(p, alpha=alpha)
    bonf = [x <= alpha / len(p) for x in p]
    assert all(h or not b for h, b in zip(holm, bonf))


@given(st.integers(1, 12), st.floats(1e-6, 0.5))
def test_spending_schedule_spends_less_than_alpha(looks, alpha):
    from lrinit_verify.rigor.sequential import spending_schedule

    shares = spending_schedule(alpha, looks)
    assert sum(shares) < alpha and shares[-1] == pytest.approx(alpha / 2)


@pytest.mark.parametrize("m, q, alpha", [(50, 0.5, 0.05), (1001, 0.9, 1e-3), (30, 0.1, 0.2)])
def test_quantile_interval_coverage_is_exact_binomial(m, q, alpha):
    """Coverage of [X_(l), X_(u)] equals P(l <= Bin(m, q) < u); check it is >= 1 - alpha exactly."""
    x = np.arange(1.0, m + 1)
    _, lo, hi = S.quantile_interval(x, q, alpha=alpha)
    l_idx = 0 if lo == -np.inf else int(lo)
    u_idx = m + 1 if hi == np.inf else int(hi)
    cover = sst.binom.cdf(u_idx - 1, m, q) - (sst.binom.cdf(l_idx - 1, m, q) if l_idx >= 1 else 0.0)
    assert cover >= 1 - alpha


def _claim(cid, p_value):
    def check(ctx):
        return S.Verdict(S.VIOLATED if p_value <= ctx.alpha else S.HOLDS, alpha=ctx.alpha)

    return Claim(id=cid, statement=cid, latex="", provenance="derived", regime="-", check=check)


def test_holm_in_the_runner_steps_down_where_bonferroni_stops():
    claims = [_claim("a", 1e-4), _claim("b", 4e-4), _claim("c", 0.2)]
    bonf = run_claims(claims, budget="quick", alpha_total=1e-3)
    holm = run_claims(claims, budget="quick", alpha_total=1e-3, correction="holm")
    assert [r.verdict.status for r in bonf.results] == ["violated", "holds", "holds"]
    assert [r.verdict.status for r in holm.results] == ["violated", "violated", "holds"]
    report = holm.to_dict()
    assert report["correction"] == "holm" and report["claims"][2]["alpha"] == pytest.approx(1e-3)
    assert report["claims"][2]["holm_step"] == 2


def test_sequential_flag_reaches_the_checks():
    seen = []

    def check(ctx: Context):
        seen.append(ctx.extra.get("sequential"))
        return S.Verdict(S.HOLDS)

    c = Claim(id="x", statement="x", latex="", provenance="derived", regime="-", check=check)
    assert run_claims([c], budget="quick", sequential=True).to_dict()["sequential"] is True
    assert seen == [True]
