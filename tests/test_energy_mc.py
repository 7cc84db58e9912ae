"""Monte Carlo energy engine and energy claims: honest intervals, each with a planted-bug companion.

Every statistical assertion runs at false-failure probability TEST_ALPHA (tests/_budget.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, settings, strategies as st

from lrinit_verify.claims import Context, all_claims, energy as C
from lrinit_verify.montecarlo.trajectories import energy_trajectories, hidden_state_trajectories
from lrinit_verify.rigor.stats import HOLDS, VIOLATED, median_of_means
from lrinit_verify.rigor.strategies import seeds
from lrinit_verify.theory import energy as E


def _ctx(seed=0):
    return Context(budget="quick", seed=seed, alpha=TEST_ALPHA)


def test_shapes_and_orthogonal_is_isometric():
    out = energy_trajectories(12, 7, 5, probes=3, ensemble="orthogonal", field="complex", seed=0)
    assert out.shape == (5, 3, 8)
    assert np.abs(out).max() < 1e-12


def test_no_overflow_and_exact_rate_at_2e5_steps():
    # 1.5^(2*10^5) overflows float64 by far; log space keeps the exact rate 2 log 1.5 per step
    out = energy_trajectories(2, 2 * 10**5, 2, ensemble="orthogonal", scale=1.5, stride=10**5, seed=0)
    assert np.allclose(out[:, 0, -1] / (2 * 10**5), 2 * math.log(1.5), rtol=1e-10)


@pytest.mark.slow
def test_long_trajectory_keeps_growth_rate():
    # t = 10^6 in log space: finite, and equal to the short-run rate of the same matrices
    out = energy_trajectories(4, 10**6, 2, stride=10**5, seed=3)
    assert np.isfinite(out).all()
    rate = np.diff(out[:, 0, -2:]) / 10**5
    short = energy_trajectories(4, 2 * 10**5, 2, stride=10**5, seed=3)
    assert np.allclose(rate[:, 0], (short[:, 0, 2] - short[:, 0, 1]) / 10**5, atol=1e-3)


def test_scaled_matrix_rate_is_exact():
    out = energy_trajectories(6, 1000, 3, ensemble="orthogonal", scale=1.5, seed=0)
    assert np.allclose(out[:, 0, -1], 1000 * 2 * math.log(1.5))


def test_chunking_does_not_change_the_law_shape():
    a = energy_trajectories(8, 5, 40, seed=1, mem_cap=10**4)
    assert a.shape == (40, 1, 6) and np.isfinite(a).all()


def test_torch_backend_matches_orthogonal_rate():
    pytest.importorskip("torch")
    out = energy_trajectories(
        6, 50, 3, ensemble="orthogonal", scale=0.5, seed=0, backend="torch", device="cpu"
    )
    assert np.allclose(out[:, 0, -1], 50 * 2 * math.log(0.5))


def test_hidden_state_orthogonal_constant_input_is_bounded():
    h = hidden_state_trajectories(8, 30, 4, ensemble="orthogonal", inputs="constant", seed=2)
    assert np.all(h[:, :, 1:] <= 2 * math.log(30) + 1e-9)
    assert np.allclose(h[:, :, 1], 0.0)


@given(seeds())
@settings(max_examples=3)
def test_monte_carlo_matches_exact(seed):
    """Median-of-means with exact variance (P(false failure) <= TEST_ALPHA)."""
    n, t, m = 16, 3, 12000
    x = np.exp(energy_trajectories(n, t, m, field="complex", seed=seed)[:, 0, -1])
    est, (lo, hi) = median_of_means(x, math.sqrt(float(E.energy_variance(n, t))), TEST_ALPHA)
    assert lo <= float(E.energy_exact(n, t)) <= hi, f"MoM {est:.4f} in [{lo:.4f}, {hi:.4f}]"


def test_planted_variance_bug_is_caught():
    """Companion: a sampler with variance 1.1/n (scale sqrt(1.1)) must be rejected."""
    n, t, m = 16, 3, 12000
    x = np.exp(energy_trajectories(n, t, m, field="complex", scale=math.sqrt(1.1), seed=0)[:, 0, -1])
    _, (lo, hi) = median_of_means(x, math.sqrt(float(E.energy_variance(n, t))), TEST_ALPHA)
    assert not lo <= float(E.energy_exact(n, t)) <= hi


def test_claim_monte_carlo_holds_and_has_power():
    assert C.check_energy_monte_carlo(_ctx()).status == HOLDS
    assert C.check_energy_monte_carlo(_ctx(), scale=math.sqrt(1.1)).status == VIOLATED


def test_claim_monte_carlo_catches_wrong_closed_form():
    def wrong(n, t, field="complex"):
        return E.energy_exact(n, t, field=field) * (1 + 0.1 * (t >= 2))

    assert C.check_energy_monte_carlo(_ctx(), exact=wrong).status == VIOLATED


def test_claim_closed_form_and_planted_bug():
    assert C.check_closed_form_enumeration(_ctx()).status == HOLDS

    def wrong(t):
        p = E.closed_form_polynomial(t)
        return p[:2] + [p[2] + 1] + p[3:] if len(p) > 2 else p

    assert C.check_closed_form_enumeration(_ctx(), closed=wrong).status == VIOLATED


def test_claim_critical_collapse_and_planted_bug():
    assert C.check_critical_collapse(_ctx()).status == HOLDS
    assert C.check_critical_collapse(_ctx(), limit=lambda c: E.critical_limit(c) * 1.001).status == VIOLATED


def test_claim_explosion_and_planted_bug():
    """P(false failure) <= TEST_ALPHA; the halved-variance companion (scale 1/sqrt 2) must not explode."""
    assert C.check_explosion(_ctx()).status == HOLDS
    assert C.check_explosion(_ctx(), scale=math.sqrt(0.5)).status != HOLDS


def test_claim_variance_bound_and_planted_bug():
    assert C.check_variance_bound(_ctx()).status == HOLDS
    assert C.check_variance_bound(_ctx(), slack=1.5).status == VIOLATED


@given(st.integers(2, 12), st.integers(1, 25), seeds())
def test_variance_bound_every_matrix(n, t, seed):
    rng = np.random.default_rng(seed)
    for w in [rng.standard_normal((n, n)) / math.sqrt(n)] + C.adversarial_matrices(n, rng):
        frob, spec, geo = C.variance_bound_terms(w, t)
        assert frob >= spec * (1 - 1e-9) - 1e-9
        assert spec >= geo * (1 - 1e-9) - 1e-9


def test_mean_lower_bound_is_honest_and_has_power():
    rng = np.random.default_rng(0)
    x = rng.exponential(size=4000)
    assert C._mean_lower_bound(x, TEST_ALPHA) <= 1.0
    assert C._mean_lower_bound(x * 2, TEST_ALPHA) > 1.0


def test_real_conjecture_is_reported_honestly():
    """Unmutated: the evidence cannot confirm a limit, so exactly 'inconclusive' (never 'holds'), and the
    MC lower bound on the mean stays below F(1) + slack; a halved F(c) (planted) must be 'violated'."""
    v = C.check_real_critical_limit(_ctx())
    assert v.status == "inconclusive", v.summary
    assert v.interval[0] <= E.critical_limit(1.0) + 2 * E.critical_correction(1.0) / 16 + 0.05
    bug = C.check_real_critical_limit(_ctx(), limit=lambda c: 0.5 * E.critical_limit(c))
    assert bug.status == "violated", bug.summary


def test_energy_claims_registered():
    ids = {c.id for c in all_claims()}
    assert {
        "energy.closed_form",
        "energy.monte_carlo",
        "energy.critical_limit",
        "energy.explosion",
        "energy.variance_bound",
        "energy.real_critical_limit",
    } <= ids


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        pytest.param({"n": 0}, "n=0", id="n"),
        pytest.param({"t": -1}, "t=-1", id="t"),
        pytest.param({"trials": 2.5}, "trials=2.5", id="trials"),
        pytest.param({"probes": 0}, "probes=0", id="probes"),
        pytest.param({"stride": 0}, "stride=0", id="stride"),
        pytest.param({"field": "x"}, "field=", id="field"),
        pytest.param({"backend": "jax"}, "backend=", id="backend"),
        pytest.param({"seed": None}, "seed=None", id="seed"),
    ],
)
def test_trajectories_invalid_arguments(kwargs, needle):
    args = {"n": 4, "t": 3, "trials": 2, "seed": 0} | kwargs
    with pytest.raises(ValueError, match=needle):
        energy_trajectories(args.pop("n"), args.pop("t"), args.pop("trials"), **args)
