r"""Honest intervals and verdicts.

Every statistical check returns a :class:`Verdict` — ``holds``, ``violated`` or ``inconclusive`` —
with its estimate, an exact or conservative interval, the reference value and the error
probability :math:`\alpha` it was run at. Intervals used here:

* Clopper–Pearson (exact binomial) for probabilities;
* the Dvoretzky–Kiefer–Wolfowitz band (Massart's constant) :math:`\varepsilon = \sqrt{\log(2/\alpha)/(2m)}`
  for an empirical CDF against a claimed CDF: :math:`P(\sup|F_m - F| > \varepsilon) \le \alpha`;
* the empirical-Bernstein bound (Maurer & Pontil 2009) for means of bounded variables;
* order statistics for quantiles (:func:`quantile_interval`, :func:`order_statistic_interval`) and
  median-of-means for means of unbounded variables with known variance (:func:`median_of_means`).

The group-sequential test with alpha spending lives in :mod:`lrinit_verify.rigor.sequential`; the
statuses and decision rules (combining statuses, Bonferroni and Holm levels) live in
:mod:`lrinit_verify.rigor.decisions` and are re-exported here.

Example:
    >>> lo, hi = clopper_pearson(50, 100, alpha=0.05)
    >>> round(lo, 4), round(hi, 4)
    (0.3983, 0.6017)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import stats as _st

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.decisions import (
    HOLDS as HOLDS,
    INCONCLUSIVE as INCONCLUSIVE,
    STATUSES as STATUSES,
    VIOLATED as VIOLATED,
    bonferroni as bonferroni,
    consistency_verdict as consistency_verdict,
    holm_levels as holm_levels,
    holm_rejections as holm_rejections,
    increasing_verdict as increasing_verdict,
    interval_verdict as interval_verdict,
    worst_status as worst_status,
)


@dataclass
class Verdict:
    """Outcome of one claim check.

    ``estimate`` and ``interval`` describe the measured quantity, ``reference`` what the claim
    predicts, ``alpha`` the probability that a correct claim is reported ``violated`` (0 for exact
    checks), ``cases`` a short description of what was checked, ``details`` per-case rows.
    """

    status: str
    estimate: float | None = None
    interval: tuple[float, float] | None = None
    reference: float | None = None
    alpha: float = 0.0
    cases: str = ""
    summary: str = ""
    details: list[dict] = field(default_factory=list)

    def __post_init__(self):
        v.choice("status", self.status, STATUSES)

    @classmethod
    def exact(
        cls,
        status: str,
        *,
        estimate=None,
        interval=None,
        reference=None,
        cases: str = "",
        summary: str = "",
        details=None,
    ) -> Verdict:
        """The verdict of an exact (non-statistical) check: ``alpha = 0`` (it uses none of the error
        budget) and, unless a range is given, the degenerate ``interval = (estimate, estimate)``.

        >>> Verdict.exact("holds", estimate=1.5, reference=1.0).interval
        (1.5, 1.5)
        """
        if interval is None and estimate is not None:
            interval = (estimate, estimate)
        return cls(
            status,
            estimate=estimate,
            interval=interval,
            reference=reference,
            alpha=0.0,
            cases=cases,
            summary=summary,
            details=list(details or []),
        )

    def to_dict(self) -> dict:
        return _jsonable(asdict(self))


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(x) for k, x in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(x) for x in obj]
    if isinstance(obj, (np.floating, float)):
        return float(obj) if math.isfinite(obj) else str(float(obj))
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def clopper_pearson(k, m, *, alpha) -> tuple[float, float]:
    r"""Exact two-sided :math:`1-\alpha` interval for a binomial probability from :math:`k` successes in :math:`m`.

    >>> clopper_pearson(0, 10, alpha=0.05)[0], round(clopper_pearson(0, 10, alpha=0.05)[1], 4)
    (0.0, 0.3085)
    """
    m = v.positive_int("m", m)
    k = v.nonnegative_int("k", k)
    if k > m:
        raise InvalidArgument(f"k={k!r} must not exceed m={m!r}")
    alpha = v.probability("alpha", alpha, open_interval=True)
    lo = 0.0 if k == 0 else float(_st.beta.ppf(alpha / 2, k, m - k + 1))
    hi = 1.0 if k == m else float(_st.beta.ppf(1 - alpha / 2, k + 1, m - k))
    return lo, hi


def dkw_epsilon(m, *, alpha) -> float:
    r"""Half-width of the DKW band: :math:`\sqrt{\log(2/\alpha)/(2m)}`.

    >>> round(dkw_epsilon(2000, alpha=1e-3), 4)
    0.0436
    """
    m = v.positive_int("m", m)
    alpha = v.probability("alpha", alpha, open_interval=True)
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * m))


def ks_distance(sample, cdf) -> float:
    r""":math:`\sup_x |F_m(x) - F(x)|` for a sample and a vectorised continuous CDF.

    >>> ks_distance([0.5], lambda x: x)   # uniform CDF on [0, 1], one point at 1/2
    0.5
    """
    x = np.sort(_finite_values("sample", sample))
    m = len(x)
    if m == 0:
        raise InvalidArgument("sample=[] must contain at least one value")
    f = np.asarray(cdf(x), dtype=np.float64)
    if f.shape != x.shape or not np.all((f >= 0.0) & (f <= 1.0)):
        raise InvalidArgument(
            "cdf(x) must return one value in [0, 1] per sample point (got NaN, a value "
            "outside [0, 1] or the wrong shape)"
        )
    i = np.arange(1, m + 1)
    return float(max(np.max(i / m - f), np.max(f - (i - 1) / m)))


def empirical_bernstein(values, *, bound, alpha) -> tuple[float, float, float]:
    r"""Mean and a two-sided :math:`1-\alpha` interval for iid values in :math:`[0, \text{bound}]` (Maurer–Pontil).

    Half-width :math:`\sqrt{2 V \log(4/\alpha)/m} + 7 B \log(4/\alpha) / (3(m-1))` with :math:`V` the sample
    variance and :math:`B` the range.

    >>> mean, lo, hi = empirical_bernstein([0, 1] * 500, bound=1, alpha=0.01)
    >>> mean, bool(lo < 0.5 < hi)
    (0.5, True)
    """
    x = _finite_values("values", values)
    m = v.positive_int("len(values)", len(x), min_value=2)
    bound = v.positive_real("bound", bound)
    if x.min() < 0.0 or x.max() > bound:
        raise InvalidArgument(
            f"values must lie in [0, bound={bound!r}] (found {x.min()!r}..{x.max()!r}); "
            "the Maurer–Pontil interval is only valid for bounded values"
        )
    alpha = v.probability("alpha", alpha, open_interval=True)
    log_term = math.log(4.0 / alpha)
    half = math.sqrt(2.0 * x.var(ddof=1) * log_term / m) + 7.0 * bound * log_term / (3.0 * (m - 1))
    mean = float(x.mean())
    return mean, mean - half, mean + half


def _finite_values(name: str, values) -> np.ndarray:
    """``values`` as a flat float64 array; NaN or infinite entries are an error naming ``name``."""
    x = np.asarray(values, dtype=np.float64).ravel()
    bad = ~np.isfinite(x)
    if bad.any():
        raise InvalidArgument(
            f"{name} has {int(bad.sum())} non-finite value(s) (first {float(x[bad][0])!r}); "
            "drop or fix them: no interval is honest about NaN"
        )
    return x


def quantile_interval(sample, q, *, alpha) -> tuple[float, float, float]:
    r"""Sample :math:`q`-quantile and a distribution-free two-sided :math:`1-\alpha` interval (order statistics).

    Honest under heavy tails (only iid-ness is used): with :math:`X_{(1)} \le \dots \le X_{(m)}` and
    :math:`B \sim \mathrm{Bin}(m, q)`, :math:`[X_{(l)}, X_{(u)}]` covers the true quantile when
    :math:`P(l \le B < u) \ge 1 - \alpha`. Returns ``(estimate, lo, hi)``; an end is :math:`\mp\infty` when the
    sample is too small to bound it.

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_cauchy(2001)
    >>> est, lo, hi = quantile_interval(x, 0.5, alpha=1e-3)
    >>> lo < 0.0 < hi, hi - lo < 0.3
    (True, True)
    """
    x = np.sort(_finite_values("sample", sample))
    v.positive_int("len(sample)", len(x))
    q = v.probability("q", q, open_interval=True)
    alpha = v.probability("alpha", alpha, open_interval=True)
    return (float(np.quantile(x, q)), *_order_statistic_bounds(x, q, alpha))


def order_statistic_interval(sample, p, *, alpha) -> tuple[float, float, float]:
    r"""Empirical :math:`p`-quantile :math:`X_{(\lceil mp \rceil)}` of ``sample`` and the interval of
    :func:`quantile_interval`.

    The interval is :math:`[X_{(l)}, X_{(u)}]` with :math:`l` the largest and :math:`u` the smallest index
    such that :math:`P(\mathrm{Bin}(m, p) \le l-1) \le \alpha/2` and
    :math:`P(\mathrm{Bin}(m, p) \ge u) \le \alpha/2` (exact for continuous laws, the dual of
    Clopper–Pearson). An end that no order statistic reaches is :math:`\mp\infty`.

    >>> q, lo, hi = order_statistic_interval(np.arange(1.0, 1001.0), 0.5, alpha=0.01)
    >>> q, lo <= 500 <= hi
    (500.0, True)
    """
    x = np.asarray(sample, dtype=np.float64).ravel()
    if np.isnan(x).any():  # +-inf are valid order-statistic data (censored times), NaN is not
        raise InvalidArgument(
            f"sample has {int(np.isnan(x).sum())} NaN value(s); an order statistic of NaN is meaningless"
        )
    x = np.sort(x)
    m = v.positive_int("len(sample)", len(x))
    p = v.probability("p", p, open_interval=True)
    alpha = v.probability("alpha", alpha, open_interval=True)
    return (float(x[max(0, math.ceil(m * p) - 1)]), *_order_statistic_bounds(x, p, alpha))


def _order_statistic_bounds(x: np.ndarray, p: float, alpha: float) -> tuple[float, float]:
    """``(X_(l), X_(u))`` for sorted ``x``: each end misses the :math:`p`-quantile with probability <= alpha/2."""
    m = len(x)
    k = np.arange(1, m + 1)
    below = _st.binom.cdf(k - 1, m, p)  # P(Bin <= k-1) = P(X_(k) > quantile)
    above = _st.binom.sf(k - 1, m, p)  # P(Bin >= k) = P(X_(k) < quantile)
    ok_lo = np.flatnonzero(below <= alpha / 2)
    ok_hi = np.flatnonzero(above <= alpha / 2)
    lo = float(x[ok_lo[-1]]) if ok_lo.size else -math.inf
    hi = float(x[ok_hi[0]]) if ok_hi.size else math.inf
    return lo, hi


def mom_blocks(alpha: float) -> int:
    r"""Smallest odd :math:`k` with :math:`2 P(\mathrm{Bin}(k, 1/4) \ge (k+1)/2) \le \alpha`: the median-of-means blocks.

    >>> mom_blocks(1e-3)   # 2 P(Bin(39, 1/4) >= 20) = 7.5e-4; k = 37 gives 1.02e-3
    39
    """
    k = 1
    while 2.0 * _st.binom.sf((k + 1) // 2 - 1, k, 0.25) > alpha:
        k += 2
    return k


def median_of_means(values: np.ndarray, sigma: float, alpha: float) -> tuple[float, tuple[float, float]]:
    r"""Median-of-means estimate of a mean and its interval, given the exact standard deviation :math:`\sigma`.

    With :math:`k` = :func:`mom_blocks` blocks of :math:`b` values, each block mean is within :math:`2\sigma/\sqrt b`
    of the mean with probability :math:`\ge 3/4` (Chebyshev), so the median is outside that band with
    probability :math:`\le \alpha`, whatever the tails.

    >>> est, (lo, hi) = median_of_means(np.ones(390), 1.0, 1e-3)   # 39 blocks of 10 values
    >>> est, bool(np.isclose(hi - lo, 4 / np.sqrt(10)))
    (1.0, True)
    """
    values = _finite_values("values", values)
    sigma = v.nonnegative_real("sigma", sigma)
    k = mom_blocks(v.probability("alpha", alpha, open_interval=True))
    b = len(values) // k
    if b < 1:
        raise InvalidArgument(
            f"len(values)={len(values)} is smaller than the k={k} blocks alpha={alpha} needs"
        )
    est = float(np.median(values[: k * b].reshape(k, b).mean(axis=1)))
    half = 2.0 * sigma / math.sqrt(b)
    return est, (est - half, est + half)
