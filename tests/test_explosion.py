"""Simulated explosion lengths (lrinit_verify/montecarlo/explosion.py) against independent routes.

* exact: scaled orthogonal matrices have ||(aQ)^t x||^2 = a^(2t), so T = ceil(log K / (2 log a));
* exact law at n = 1 (Glorot is one N(0, 1) or complex N(0, 1) number w): P(T <= t) = P(|w|^2 >= K^(1/t));
* a from-scratch simulation (plain numpy matrix products, below) at small n, two-sample KS test;
* coverage of the order-statistic intervals over replications (binomial test).

Statistical assertions run at false-failure probability TEST_ALPHA (tests/_budget.py); each has a
planted-bug companion that must be rejected (off-by-one step, matrix scaled by 1.1, intervals
computed at a wrong level).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import assume, given, settings, strategies as st
from scipy import stats

from lrinit_verify.montecarlo import explosion as X
from lrinit_verify.rigor.stats import dkw_epsilon
from lrinit_verify.sampling.ensembles import orthogonal, sample_batch
from lrinit_verify.theory.rescale import explosion_length

# --- exact cases ---------------------------------------------------------------------------------


@given(st.floats(1.02, 3.0), st.floats(1.5, 1e8), st.sampled_from(["real", "complex"]), st.booleans())
@settings(max_examples=25, deadline=None)
def test_scaled_orthogonal_crosses_at_the_exact_step(a, k, field, via_sampler):
    ratio = math.log(k) / (2 * math.log(a))
    assume(abs(ratio - round(ratio)) > 1e-6)
    want = math.ceil(ratio)
    q = a * orthogonal(5, field=field, seed=3)
    length = want + 3
    if via_sampler:
        got = X.crossing_times(
            lambda rng: q, 5, trials=4, field=field, threshold=k, max_length=length, seed=1
        )
    else:
        got = X.first_crossings(np.stack([q] * 4), threshold=k, max_length=length, seed=1)
    assert got.tolist() == [want] * 4


@pytest.mark.parametrize("driven", [False, True])
def test_censoring_is_truncation_of_the_same_run(driven):
    mats = sample_batch("glorot", 12, 40, seed=4)
    long = X.first_crossings(mats, max_length=120, driven=driven, seed=5)
    short = X.first_crossings(mats, max_length=30, driven=driven, seed=5)
    assert np.isfinite(long).sum() > np.isfinite(short).sum() > 0
    assert np.array_equal(short, np.where(long <= 30, long, math.inf))


def test_censored_quantiles_are_reported_as_text_not_numbers():
    half = [2.0 * np.eye(3), 0.5 * np.eye(3)]
    times = X.crossing_times(lambda rng: np.stack(half), 3, trials=400, max_length=30, seed=0)
    assert (times == 4).sum() == 200 and np.isinf(times).sum() == 200
    low = X.quantile_summary(times, 0.25, max_length=30, alpha=1e-3)
    high = X.quantile_summary(times, 0.75, max_length=30, alpha=1e-3)
    assert low.estimate == 4 and low.interval == (4, 4) and not low.censored
    assert high.estimate == "> 30" and high.censored and high.interval == (31, math.inf)
    res = X.explosion_length_quantiles(
        8, init="orthogonal", quantiles=(0.5,), trials=20, max_length=10, seed=0
    )
    assert res.censored == 20 and res.to_dict()["quantiles"]["0.5"] == {
        "estimate": "> 10",
        "interval": [11, "inf"],
        "alpha": 1e-3,
    }


def test_unbounded_lower_end_is_one():
    # 50 draws cannot bound the 0.001-quantile from below: the honest lower end is T >= 1
    res = X.explosion_length_quantiles(8, quantiles=(0.001,), trials=50, max_length=100, seed=0)
    assert res.by_quantile[0.001].interval[0] == 1


# --- exact law at n = 1 ----------------------------------------------------------------------------


def _exact_cdf_n1(t, k, field):
    """P(T <= t) at n = 1: P(|w|^2 >= K^(1/t)), |w|^2 ~ chi^2_1 (real) or Exp(1) (complex)."""
    level = np.power(k, 1.0 / np.asarray(t, dtype=float))
    return 2 * stats.norm.sf(np.sqrt(level)) if field == "real" else np.exp(-level)


@pytest.mark.parametrize("field", ["real", "complex"])
def test_width_one_matches_exact_law_and_rejects_off_by_one(field):
    # DKW: P(sup_t |F_m(t) - F(t)| > eps) <= TEST_ALPHA for any law (discrete included)
    m, k, length = 20000, 100.0, 60
    t = X.crossing_times("glorot", 1, trials=m, field=field, threshold=k, max_length=length, seed=11)
    grid = np.arange(1, length + 1)
    ecdf = (t[:, None] <= grid).mean(axis=0)
    eps = dkw_epsilon(m, alpha=TEST_ALPHA)
    assert np.max(np.abs(ecdf - _exact_cdf_n1(grid, k, field))) <= eps
    # planted bug: counting steps from 0 (T - 1) must leave the band
    assert np.max(np.abs(ecdf - _exact_cdf_n1(grid + 1, k, field))) > eps


# --- from-scratch simulation at small n ------------------------------------------------------------


def _scratch(n, m, field, k, length, driven, rng, scale=1.0):
    """Plain numpy: W Glorot, x unit (or h_0 = 0, u_t ~ N(0, I/n)); first t with energy >= K (or K t)."""

    def gauss(shape):
        z = rng.standard_normal(shape)
        return z if field == "real" else (z + 1j * rng.standard_normal(shape)) / math.sqrt(2)

    w = scale * gauss((m, n, n)) / math.sqrt(n)
    h = np.zeros((m, n), dtype=w.dtype) if driven else gauss((m, n))
    if not driven:
        h /= np.linalg.norm(h, axis=1, keepdims=True)
    first = np.full(m, length + 1.0)
    for step in range(1, length + 1):
        h = np.einsum("bij,bj->bi", w, h) + (gauss((m, n)) / math.sqrt(n) if driven else 0)
        hit = (np.sum(np.abs(h) ** 2, axis=1) >= k * (step if driven else 1)) & (first > length)
        first[hit] = step
        h[first <= length] = 0  # stop crossed runs (no overflow)
    return first


@pytest.mark.parametrize("field", ["real", "complex"])
@pytest.mark.parametrize("driven", [False, True])
def test_engine_agrees_with_from_scratch_simulation(field, driven):
    n, m, k, length = 6, 1500, 100.0, 150
    got = X.crossing_times(
        "glorot", n, trials=m, field=field, threshold=k, max_length=length, driven=driven, seed=21
    )
    got = np.where(np.isinf(got), length + 1.0, got)
    rng = np.random.default_rng(22)
    want = _scratch(n, m, field, k, length, driven, rng)
    # two-sample KS is conservative for discrete laws: false failure <= TEST_ALPHA
    assert stats.ks_2samp(got, want).pvalue > TEST_ALPHA
    planted = _scratch(n, m, field, k, length, driven, rng, scale=1.1)
    assert stats.ks_2samp(got, planted).pvalue <= TEST_ALPHA


# --- coverage of the order-statistic intervals -----------------------------------------------------


def _exact_quantile_n1(q, k, length):
    grid = np.arange(1, length + 1)
    return int(grid[np.argmax(_exact_cdf_n1(grid, k, "real") >= q)])


def _misses(times, q, truth, alpha, m):
    groups = times.reshape(-1, m)
    out = 0
    for g in groups:
        lo, hi = X.quantile_summary(g, q, max_length=10**6, alpha=alpha).interval
        out += not lo <= truth <= hi
    return out, len(groups)


@pytest.mark.parametrize("q", [0.01, 0.25])
def test_quantile_intervals_cover_and_narrowed_ones_do_not(q):
    # Each interval misses with probability <= 0.1; misses over 200 replications ~ Bin(200, <= 0.1).
    k, m, reps, level = 1e30, 400, 200, 0.1
    length = 100 if q < 0.1 else 300  # true quantiles 37 and 247
    truth = _exact_quantile_n1(q, k, length)
    times = X.crossing_times(
        "glorot", 1, trials=m * reps, threshold=k, max_length=length, seed=31 + int(100 * q)
    )
    misses, r = _misses(times, q, truth, level, m)
    assert stats.binom.sf(misses - 1, r, level) > TEST_ALPHA  # P(Bin >= misses) under coverage 0.9
    # planted bug: intervals built at level 0.6 but claimed at 0.1 must fail the same test
    narrow, _ = _misses(times, q, truth, 0.6, m)
    assert stats.binom.sf(narrow - 1, r, level) <= TEST_ALPHA


# --- the finding that motivated the module (slow) ---------------------------------------------------


@pytest.mark.slow
def test_radius_prediction_underestimates_the_median_length_at_256():
    res = X.explosion_length_quantiles(
        256, quantiles=(0.5,), trials=600, max_length=400, alpha=TEST_ALPHA, seed=0
    )
    predicted = explosion_length(256, field="real")  # rho_0.5^(2t) >= 100: 56
    assert res.by_quantile[0.5].interval[0] > predicted


# --- bad input ---------------------------------------------------------------------------------------


def _call(**kw):
    base = {"trials": 4, "max_length": 5, "seed": 0}
    base.update(kw)
    n = base.pop("n", 8)
    return X.explosion_length_quantiles(n, **base)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"n": 0}, "n=0", id="width"),
        pytest.param({"trials": 0}, "trials=0", id="trials"),
        pytest.param({"threshold": 1.0}, "threshold=1.0 must exceed 1", id="threshold-low"),
        pytest.param({"threshold": float("nan")}, "threshold=nan", id="threshold-nan"),
        pytest.param({"max_length": 0}, "max_length=0", id="length"),
        pytest.param({"driven": "yes"}, "driven='yes'", id="driven"),
        pytest.param({"init": "nope"}, "sampler='nope'", id="init-name"),
        pytest.param({"init": 42}, "sampler=42", id="init-type"),
        pytest.param({"field": "quaternion"}, "field='quaternion'", id="field"),
        pytest.param({"quantiles": ()}, "quantiles=()", id="no-quantiles"),
        pytest.param({"quantiles": (1.5,)}, "quantile=1.5", id="quantile"),
        pytest.param({"alpha": 0.0}, "alpha=0.0", id="alpha"),
        pytest.param({"n": 64, "init": "rescaled_glorot"}, "n=64", id="paper-undefined"),
        pytest.param({"seed": None}, "seed=None", id="no-randomness"),
        pytest.param({"rng": np.random.default_rng(0)}, "give only one", id="two-randomness"),
        pytest.param({"init": lambda rng: np.ones((8, 7))}, r"shape \(8, 7\)", id="non-square"),
        pytest.param({"init": lambda rng: np.eye(4)}, r"shape \(4, 4\)", id="wrong-width"),
        pytest.param({"init": lambda rng: np.eye(8, dtype=int)}, "dtype int", id="int-dtype"),
        pytest.param({"init": lambda rng: np.full((8, 8), np.nan)}, "non-finite", id="nan"),
        pytest.param(
            {"init": lambda rng: np.eye(8) + 0j}, "complex128 matrices but field='real'", id="field-mismatch"
        ),
    ],
)
def test_bad_input_is_rejected_with_a_named_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _call(**kwargs)


def test_first_crossings_rejects_a_vector():
    with pytest.raises(ValueError, match=r"matrices with shape \(3,\)"):
        X.first_crossings(np.ones(3), seed=0)
