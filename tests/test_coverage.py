r"""Coverage and size of every interval the toolkit reports, each with a planted narrower companion.

How a coverage test works: the interval at nominal level $1-\alpha$ is computed on $R$ independent
replications drawn from a law whose answer is known; the number of misses $M$ is
$\mathrm{Bin}(R, \pi)$ with $\pi$ the true miss rate. The claim $\pi \le \alpha$ is rejected when
$P(\mathrm{Bin}(R, \alpha) \ge M) \le$ ``TEST_ALPHA`` (exact one-sided binomial test), so a correct
interval fails with probability at most ``TEST_ALPHA``. The planted companion is the same interval
made narrower (the factor is stated per test); the same test must reject it. Where the interval's
law is discrete (Clopper–Pearson, order statistics) the coverage is computed exactly instead of
sampled. Where an interval is conservative the test states by how much, and bounds it.

Measured coverage (the table in the report) is printed by ``pytest -s tests/test_coverage.py``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats as st

from lrinit_verify.claims import energy as CE
from lrinit_verify.rigor import sequential as sequential_module, stats as S
from lrinit_verify.rigor.sequential import sequential_probability_test
from lrinit_verify.rigor.stats import order_statistic_interval
from lrinit_verify.rigor.testing import assert_distribution

R = 2000  # replications per coverage test


@pytest.fixture
def memoised(monkeypatch):
    """Cache the pure helpers that the replications call with the same arguments again and again
    (Clopper–Pearson ends, the number of median-of-means blocks): same answers, a fraction of the time."""
    import functools

    monkeypatch.setattr(S, "clopper_pearson", functools.lru_cache(maxsize=None)(S.clopper_pearson))
    monkeypatch.setattr(S, "mom_blocks", functools.lru_cache(maxsize=None)(S.mom_blocks))


def _rng(label: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(list(label.encode())))


def too_many_misses(misses: int, reps: int, alpha: float) -> bool:
    """Exact one-sided test of 'miss rate <= alpha': True when P(Bin(reps, alpha) >= misses) <= TEST_ALPHA."""
    return bool(st.binom.sf(misses - 1, reps, alpha) <= TEST_ALPHA)


def too_few_misses(misses: int, reps: int, floor: float) -> bool:
    """Exact one-sided test of 'miss rate >= floor': True when P(Bin(reps, floor) <= misses) <= TEST_ALPHA."""
    return bool(st.binom.cdf(misses, reps, floor) <= TEST_ALPHA)


def _report(name, nominal, misses, reps):
    print(
        f"\n[coverage] {name}: nominal {1 - nominal:.4f}, measured {1 - misses / reps:.4f} ({misses}/{reps} misses)"
    )


def _narrow(est, lo, hi, f):
    """The interval [lo, hi] shrunk by the factor f towards the estimate."""
    return est - f * (est - lo), est + f * (hi - est)


# --- Clopper–Pearson: exact coverage over a grid of p (no sampling) ---------------------------------


def _cp_coverage(m, alpha, ps, shrink=1.0):
    ints = [S.clopper_pearson(k, m, alpha=alpha) for k in range(m + 1)]
    k = np.arange(m + 1)
    lo = np.array([k_ / m - shrink * (k_ / m - a) for k_, (a, _) in zip(k, ints)])
    hi = np.array([k_ / m + shrink * (b - k_ / m) for k_, (_, b) in zip(k, ints)])
    pmf = st.binom.pmf(k[None, :], m, ps[:, None])
    return (pmf * ((lo[None, :] <= ps[:, None]) & (ps[:, None] <= hi[None, :]))).sum(axis=1)


@pytest.mark.parametrize("m, alpha", [(10, 0.05), (57, 0.05), (200, 1e-3)])
def test_clopper_pearson_exact_coverage_and_planted_narrowing(m, alpha):
    """Exact: sum_k Bin(k; m, p) 1[p in CP(k)] >= 1 - alpha on 2001 p's; 30 % narrower misses; not absurd."""
    ps = np.linspace(1e-4, 1 - 1e-4, 2001)
    cover = _cp_coverage(m, alpha, ps)
    print(
        f"\n[coverage] clopper_pearson m={m} alpha={alpha}: min exact {cover.min():.5f}, mean {cover.mean():.5f}"
    )
    assert cover.min() >= 1 - alpha - 1e-12
    # not absurdly conservative: averaged over p the miss rate is at least alpha/5 (measured ~alpha/2)
    assert 1 - cover.mean() >= alpha / 5
    assert _cp_coverage(m, alpha, ps, shrink=0.7).min() < 1 - alpha  # planted: 30 % narrower


def test_clopper_pearson_known_values():
    """Independent route: the k = 0 upper end solves (1 - p)^m = alpha/2 in closed form."""
    for m, alpha in [(10, 0.05), (1000, 1e-3)]:
        assert S.clopper_pearson(0, m, alpha=alpha)[1] == pytest.approx(1 - (alpha / 2) ** (1 / m), rel=1e-12)
        assert S.clopper_pearson(m, m, alpha=alpha)[0] == pytest.approx((alpha / 2) ** (1 / m), rel=1e-12)


# --- KS distance and the DKW band -----------------------------------------------------------------


def test_ks_distance_equals_scipy():
    """Independent route: scipy.stats.kstest computes the same statistic."""
    rng = _rng("ks-scipy")
    for m in (1, 2, 7, 500):
        x = rng.standard_normal(m)
        assert S.ks_distance(x, st.norm.cdf) == pytest.approx(st.kstest(x, st.norm.cdf).statistic, abs=1e-15)


def _ks_rows(x, cdf):
    return np.array([S.ks_distance(row, cdf) for row in x])


def test_ks_distance_has_the_exact_kolmogorov_law_and_a_planted_shrink_fails():
    """Size of D_m > kstwo.isf(a, m) is exactly a: two-sided binomial test; D * 0.7 must be rejected."""
    m, a = 50, 0.2
    d = _ks_rows(_rng("ks-law").random((R, m)), lambda u: u)
    crit = st.kstwo.isf(a, m)
    hits = int(np.count_nonzero(d > crit))
    _report("ks_distance exact law (size)", a, hits, R)
    assert not too_many_misses(hits, R, a) and not too_few_misses(hits, R, a)
    assert too_few_misses(int(np.count_nonzero(0.7 * d > crit)), R, a)


@pytest.mark.parametrize("law", ["uniform", "cauchy"])
def test_dkw_band_coverage_and_planted_narrowing(law):
    """P(sup|F_m - F| > eps) <= alpha (Massart), sampled; 30 % narrower is rejected; not absurd (>= alpha/2)."""
    m, alpha = 100, 0.2
    rng = _rng(f"dkw-{law}")
    x, cdf = (
        (rng.random((R, m)), lambda u: u)
        if law == "uniform"
        else (rng.standard_cauchy((R, m)), st.cauchy.cdf)
    )
    d = _ks_rows(x, cdf)
    eps = S.dkw_epsilon(m, alpha=alpha)
    misses = int(np.count_nonzero(d > eps))
    _report(f"dkw_epsilon ({law})", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)
    # Massart's constant is asymptotically exact: the Kolmogorov law gives ~0.18 here, so >= alpha/2
    assert not too_few_misses(misses, R, alpha / 2)
    assert too_many_misses(int(np.count_nonzero(d > 0.7 * eps)), R, alpha)


def test_assert_distribution_size_and_planted_narrowing(monkeypatch):
    """The user helper fails a true claim with probability <= alpha; with a band 30 % narrower, too often."""
    import lrinit_verify.rigor.testing as T

    m, alpha = 100, 0.2
    x = _rng("assert-dist").random((R, m))

    def fails():
        out = 0
        for row in x:
            try:
                assert_distribution(row, lambda u: u, alpha=alpha * 0.999)
            except AssertionError:
                out += 1
        return out

    misses = fails()
    _report("assert_distribution", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)
    monkeypatch.setattr(T, "dkw_epsilon", lambda mm, alpha: 0.7 * S.dkw_epsilon(mm, alpha=alpha))
    assert too_many_misses(fails(), R, alpha)


# --- empirical Bernstein --------------------------------------------------------------------------

_EB_LAWS = {  # name -> (sampler(rng, shape), mean, bound)
    "bernoulli(0.05)": (lambda g, s: (g.random(s) < 0.05).astype(float), 0.05, 1.0),
    "beta(0.5,0.5)": (lambda g, s: g.beta(0.5, 0.5, s), 0.5, 1.0),
    "pareto(3) truncated at 50": (
        lambda g, s: np.minimum(g.pareto(3.0, s) + 1.0, 50.0),
        1.5 - (50.0**-2) / 2 * 1.0,
        50.0,
    ),
}


@pytest.mark.parametrize("law", list(_EB_LAWS))
def test_empirical_bernstein_coverage(law):
    """Two-sided coverage >= 1 - alpha on bounded laws (one heavy-tailed); it is conservative (measured)."""
    sampler, mean, bound = _EB_LAWS[law]
    m, alpha = 60, 0.05
    x = sampler(_rng(f"eb-{law}"), (R, m))
    misses = sum(
        not lo <= mean <= hi
        for _, lo, hi in (S.empirical_bernstein(row, bound=bound, alpha=alpha) for row in x)
    )
    _report(f"empirical_bernstein ({law})", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)


def test_pareto_truncated_mean_is_right():
    """The reference mean of the truncated Pareto law above, by numerical integration (independent route)."""
    from scipy import integrate

    # X = min(Y, 50), Y = 1 + Pareto(3): P(Y > y) = y^-3 on y >= 1, E X = 1 + int_1^50 y^-3 dy
    val = 1.0 + integrate.quad(lambda y: y**-3.0, 1.0, 50.0)[0]
    assert _EB_LAWS["pareto(3) truncated at 50"][1] == pytest.approx(val, rel=1e-12)


def test_empirical_bernstein_width_band_and_planted_narrowing():
    """Coverage cannot see a narrowing of EB (measured: x0.3 still covers on every law tried, the bound is
    Bennett-type), so its width is pinned between stated bands against the Gaussian oracle instead.

    Bernoulli(1/2), m = 10^4, alpha = 1e-3: the Maurer–Pontil half-width is
    sqrt(2 V log(4/alpha)/m) + 7 log(4/alpha)/(3(m-1)) ~ (4.07 * 0.005 + 0.0019) = 0.0223; the oracle
    z_{1-alpha/2} sigma / sqrt(m) = 0.01645; the ratio 1.36 must lie in [1.25, 1.5] (a halved or doubled
    bound leaves the band). Exact transcription of Theorem 4 (Maurer & Pontil 2009, delta = alpha/2 per
    side) checked on a fixed data set in Fractions/mpmath.
    """
    x = np.tile([0.0, 1.0], 5000)
    mean, lo, hi = S.empirical_bernstein(x, bound=1, alpha=1e-3)
    oracle = st.norm.isf(5e-4) * 0.5 / 100
    ratio = (hi - mean) / oracle
    assert 1.25 <= ratio <= 1.5, ratio
    assert (hi - lo) / 2 == pytest.approx(hi - mean)
    import mpmath

    data = [0.0, 0.25, 1.0, 0.5, 0.5, 0.0]
    m = len(data)
    mu = Fraction(sum(Fraction(d) for d in data), m)
    var = sum((Fraction(d) - mu) ** 2 for d in data) / (m - 1)
    with mpmath.workdps(30):
        lg = mpmath.log(2 / (mpmath.mpf(0.01) / 2))
        half = mpmath.sqrt(2 * mpmath.mpf(var.numerator) / var.denominator * lg / m) + 7 * lg / (3 * (m - 1))
    got = S.empirical_bernstein(data, bound=1, alpha=0.01)
    assert got[2] - got[0] == pytest.approx(float(half), rel=1e-12)


# --- median of means with the exact variance --------------------------------------------------------


def _mom_blocks_exact(alpha):
    """Independent route: smallest odd k with 2 P(Bin(k, 1/4) >= (k+1)/2) <= alpha, in Fractions."""
    k = 1
    while True:
        tail = sum(
            math.comb(k, j) * Fraction(1, 4) ** j * Fraction(3, 4) ** (k - j)
            for j in range((k + 1) // 2, k + 1)
        )
        if 2 * tail <= Fraction(alpha):
            return k
        k += 2


@pytest.mark.parametrize("alpha", [0.5, 0.35, 0.05, 1e-3, 5e-6])
def test_mom_blocks_matches_exact_fractions(alpha):
    assert S.mom_blocks(alpha) == _mom_blocks_exact(alpha)


def _energy_n1_t4(g, shape):
    """||W^4 x||^2 at n = 1 (complex): |w|^8 with |w|^2 ~ Exp(1); mean 4! = 24, variance 8! - 24^2."""
    return g.exponential(size=shape) ** 4


_MOM_LAWS = {  # name -> (sampler, mean, sigma)
    "energy n=1 t=4 (E^4)": (_energy_n1_t4, 24.0, math.sqrt(math.factorial(8) - 24.0**2)),
    "lognormal(0,1)": (
        lambda g, s: g.lognormal(0.0, 1.0, s),
        math.exp(0.5),
        math.sqrt((math.e - 1) * math.e),
    ),
}


@pytest.mark.parametrize("law", list(_MOM_LAWS))
def test_median_of_means_coverage_heavy_tails(law, memoised):
    """Coverage >= 1 - alpha with the exact sigma on heavy-tailed laws (the supercritical energy law)."""
    sampler, mean, sigma = _MOM_LAWS[law]
    alpha = 0.05
    k = S.mom_blocks(alpha)
    x = sampler(_rng(f"mom-{law}"), (R, 20 * k))
    misses = sum(not lo <= mean <= hi for _, (lo, hi) in (S.median_of_means(row, sigma, alpha) for row in x))
    _report(f"median_of_means ({law})", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)


def _three_point(g, shape, q):
    """X in {-1, 0, 1} with P(+-1) = q/2: sigma = sqrt(q); |X| = 1 = sigma/sqrt(q) (Chebyshev-extremal)."""
    u = g.random(shape)
    return np.where(u < q / 2, -1.0, np.where(u < q, 1.0, 0.0))


@pytest.mark.parametrize("alpha", [0.5, 0.35])
def test_median_of_means_worst_case_and_planted_halving(alpha, memoised):
    """One value per block (b = 1) from a law where Chebyshev's 2 sigma is nearly attained (q = 0.95):
    the honest interval (half-width 2 sigma = 1.95 > 1) always covers 0; a half-width of sigma
    (0.97 < 1) misses whenever the median is +-1, i.e. w.p. 0.95 (k=1) / 0.92 (k=3) > alpha."""
    q = 0.95
    k = S.mom_blocks(alpha)
    x = _three_point(_rng(f"mom3-{alpha}"), (R, k), q)
    res = [S.median_of_means(row, math.sqrt(q), alpha) for row in x]
    misses = sum(not lo <= 0.0 <= hi for _, (lo, hi) in res)
    _report(f"median_of_means (3-point, b=1, k={k})", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)
    half = [_narrow(est, lo, hi, 0.5) for est, (lo, hi) in res]
    assert too_many_misses(sum(not lo <= 0.0 <= hi for lo, hi in half), R, alpha)


# --- DKW-integrated lower bound on a mean ----------------------------------------------------------


_LB_LAWS = {  # name -> (sampler, mean, m, alpha)
    "bernoulli(1/2)": (lambda g, s: (g.random(s) < 0.5).astype(float), 0.5, 100, 0.05),
    "energy n=1 t=4 (E^4)": (_energy_n1_t4, 24.0, 200, 0.05),
    "pareto(2.5)": (lambda g, s: g.pareto(2.5, s) + 1.0, 2.5 / 1.5, 200, 0.05),
}


@pytest.mark.parametrize("law", list(_LB_LAWS))
def test_mean_lower_bound_coverage(law):
    """P(lower > E X) <= alpha for X >= 0 (one-sided DKW band integrated), including heavy tails."""
    sampler, mean, m, alpha = _LB_LAWS[law]
    x = sampler(_rng(f"lb-{law}"), (R, m))
    lows = np.array([CE._mean_lower_bound(row, alpha) for row in x])
    misses = int(np.count_nonzero(lows > mean))
    _report(f"_mean_lower_bound ({law})", alpha, misses, R)
    assert not too_many_misses(misses, R, alpha)
    assert np.all(lows <= x.mean(axis=1) + 1e-12)  # never above the sample mean


def test_mean_lower_bound_planted_halving_is_rejected():
    """Bernoulli(1/2), m = 100, alpha = 0.05: the bound is p_hat - eps (eps = 0.122), missing w.p.
    P(Bin(100, 1/2) >= 63) = 0.006 (conservative x8, Hoeffding); halving the gap to the mean misses
    w.p. P(Bin >= 57) = 0.097 > alpha, which the coverage test must see."""
    sampler, mean, m, alpha = _LB_LAWS["bernoulli(1/2)"]
    x = sampler(_rng("lb-planted"), (R, m))
    lows = np.array([CE._mean_lower_bound(row, alpha) for row in x])
    gap = x.mean(axis=1) - lows
    assert too_many_misses(int(np.count_nonzero(x.mean(axis=1) - 0.5 * gap > mean)), R, alpha)
    assert not too_few_misses(int(np.count_nonzero(lows > mean)), R, 0.001)  # stated: >= ~alpha/8, floor 1e-3


def test_mean_lower_bound_exact_on_a_point_mass():
    """X = 3 always: the band gives (1 - eps) * 3 with eps = sqrt(log(1/alpha)/(2m)) (independent closed form)."""
    m, alpha = 50, 0.01
    eps = math.sqrt(math.log(1 / alpha) / (2 * m))
    assert CE._mean_lower_bound(np.full(m, 3.0), alpha) == pytest.approx(3.0 * (1 - eps), rel=1e-12)


# --- order-statistic quantile intervals (two implementations) ---------------------------------------

_QUANTILE_FUNCS = {
    "stats.quantile_interval": S.quantile_interval,
    "stats.order_statistic_interval": order_statistic_interval,
}


def _indices(func, m, q, alpha):
    _, lo, hi = func(np.arange(1.0, m + 1), q, alpha=alpha)
    return (0 if lo == -math.inf else int(lo)), (m + 1 if hi == math.inf else int(hi))


def _os_coverage(m, q, lo_idx, hi_idx):
    """P(X_(l) <= xi_q <= X_(u)) = P(l <= Bin(m, q) <= u - 1) for a continuous law (X_(0) = -inf, X_(m+1) = inf)."""
    return st.binom.cdf(hi_idx - 1, m, q) - (st.binom.cdf(lo_idx - 1, m, q) if lo_idx >= 1 else 0.0)


@pytest.mark.parametrize("name", list(_QUANTILE_FUNCS))
@pytest.mark.parametrize(
    "m, q, alpha", [(20, 0.5, 0.05), (200, 0.856, 1e-3), (1001, 0.1, 0.01), (9, 0.9, 0.2)]
)
def test_order_statistic_interval_exact_coverage_and_minimality(name, m, q, alpha):
    """Exact: coverage >= 1 - alpha, and moving either end one step inward breaks one side's alpha/2."""
    l_idx, u_idx = _indices(_QUANTILE_FUNCS[name], m, q, alpha)
    assert _os_coverage(m, q, l_idx, u_idx) >= 1 - alpha
    if 1 <= l_idx < u_idx - 1:  # one step up: P(Bin <= l) > alpha/2
        assert st.binom.cdf(l_idx, m, q) > alpha / 2
    if l_idx + 1 < u_idx <= m:  # one step down: P(Bin >= u - 1) > alpha/2
        assert st.binom.sf(u_idx - 2, m, q) > alpha / 2


@pytest.mark.parametrize("name", list(_QUANTILE_FUNCS))
def test_order_statistic_interval_sampled_coverage_cauchy_and_planted_narrowing(name):
    """Cauchy samples (median 0, 0.9-quantile tan(0.4 pi)): coverage >= 1 - alpha; 40 % narrower is rejected."""
    func = _QUANTILE_FUNCS[name]
    m, alpha, reps = 101, 0.05, 1000
    x = _rng(f"os-{name}").standard_cauchy((reps, m))
    for q in (0.5, 0.9):
        truth = math.tan(math.pi * (q - 0.5))
        res = [func(row, q, alpha=alpha) for row in x]
        misses = sum(not lo <= truth <= hi for _, lo, hi in res)
        _report(f"{name} (Cauchy q={q})", alpha, misses, reps)
        assert not too_many_misses(misses, reps, alpha)
        l_idx, u_idx = _indices(func, m, q, alpha)
        centre = (l_idx + u_idx) / 2
        nl, nu = round(centre - 0.6 * (centre - l_idx)), round(centre + 0.6 * (u_idx - centre))
        xs = np.sort(x, axis=1)
        narrowed = np.count_nonzero(~((xs[:, nl - 1] <= truth) & (truth <= xs[:, nu - 1])))
        assert too_many_misses(int(narrowed), reps, alpha)


# --- the group-sequential test with alpha spending ---------------------------------------------------


def _sequential_rejections(p, p0, relation, alpha, label, max_trials=200, looks=4):
    g = _rng(label)
    res = [
        sequential_probability_test(
            lambda mm: int(g.binomial(mm, p)),
            p0=p0,
            relation=relation,
            alpha=alpha,
            max_trials=max_trials,
            looks=looks,
        )
        for _ in range(R)
    ]
    return sum(r.status == S.VIOLATED for r in res), res


@pytest.mark.parametrize("relation, p", [("==", 0.5), (">=", 0.5), ("<=", 0.5)])
def test_sequential_test_size_and_planted_spending(monkeypatch, memoised, relation, p):
    """At p = p0 (the null's boundary) P(violated) <= alpha over all looks; spending alpha at every look
    instead of the schedule (a planted bug) must be rejected for '=='."""
    alpha = 0.1
    rejected, _ = _sequential_rejections(p, 0.5, relation, alpha, f"seq-{relation}")
    _report(f"sequential_probability_test ({relation}, p=p0)", alpha, rejected, R)
    assert not too_many_misses(rejected, R, alpha)
    if relation == "==":
        monkeypatch.setattr(sequential_module, "spending_schedule", lambda a, looks: [a] * looks)
        assert too_many_misses(_sequential_rejections(p, 0.5, relation, alpha, "seq-planted")[0], R, alpha)
