r"""Honest intervals and verdicts.

Every statistical check returns a :class:`Verdict` — ``holds``, ``violated`` or ``inconclusive`` —
with its estimate, an exact or conservative interval, the reference value and the error
probability $\alpha$ it was run at. Intervals used here:

* Clopper–Pearson (exact binomial) for probabilities;
* the Dvoretzky–Kiefer–Wolfowitz band (Massart's constant) $\varepsilon = \sqrt{\log(2/\alpha)/(2m)}$
  for an empirical CDF against a claimed CDF: $P(\sup|F_m - F| > \varepsilon) \le \alpha$;
* the empirical-Bernstein bound (Maurer & Pontil 2009) for means of bounded variables.

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

HOLDS, VIOLATED, INCONCLUSIVE = "holds", "violated", "inconclusive"
STATUSES = (HOLDS, VIOLATED, INCONCLUSIVE)


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
    r"""Exact two-sided $1-\alpha$ interval for a binomial probability from $k$ successes in $m$.

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
    r"""Half-width of the DKW band: $\sqrt{\log(2/\alpha)/(2m)}$.

    >>> round(dkw_epsilon(2000, alpha=1e-3), 4)
    0.0436
    """
    m = v.positive_int("m", m)
    alpha = v.probability("alpha", alpha, open_interval=True)
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * m))


def ks_distance(sample, cdf) -> float:
    r"""$\sup_x |F_m(x) - F(x)|$ for a sample and a vectorised continuous CDF.

    >>> ks_distance([0.5], lambda x: x)   # uniform CDF on [0, 1], one point at 1/2
    0.5
    """
    x = np.sort(_finite_values("sample", sample))
    m = len(x)
    if m == 0:
        raise InvalidArgument("sample=[] must contain at least one value")
    f = np.asarray(cdf(x), dtype=np.float64)
    if f.shape != x.shape or not np.all((f >= 0.0) & (f <= 1.0)):
        raise InvalidArgument("cdf(x) must return one value in [0, 1] per sample point (got NaN, a value "
                              "outside [0, 1] or the wrong shape)")
    i = np.arange(1, m + 1)
    return float(max(np.max(i / m - f), np.max(f - (i - 1) / m)))


def empirical_bernstein(values, *, bound, alpha) -> tuple[float, float, float]:
    r"""Mean and a two-sided $1-\alpha$ interval for iid values in $[0, \text{bound}]$ (Maurer–Pontil).

    Half-width $\sqrt{2 V \log(4/\alpha)/m} + 7 B \log(4/\alpha) / (3(m-1))$ with $V$ the sample
    variance and $B$ the range.

    >>> mean, lo, hi = empirical_bernstein([0, 1] * 500, bound=1, alpha=0.01)
    >>> mean, bool(lo < 0.5 < hi)
    (0.5, True)
    """
    x = _finite_values("values", values)
    m = v.positive_int("len(values)", len(x), min_value=2)
    bound = v.positive_real("bound", bound)
    if x.min() < 0.0 or x.max() > bound:
        raise InvalidArgument(f"values must lie in [0, bound={bound!r}] (found {x.min()!r}..{x.max()!r}); "
                              "the Maurer–Pontil interval is only valid for bounded values")
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
        raise InvalidArgument(f"{name} has {int(bad.sum())} non-finite value(s) (first {float(x[bad][0])!r}); "
                              "drop or fix them: no interval is honest about NaN")
    return x


def worst_status(statuses) -> str:
    """Combine per-case statuses: any ``violated`` wins, then any ``inconclusive``, else ``holds``.

    >>> worst_status(["holds", "inconclusive", "holds"])
    'inconclusive'
    """
    statuses = list(statuses)
    if VIOLATED in statuses:
        return VIOLATED
    if INCONCLUSIVE in statuses:
        return INCONCLUSIVE
    return HOLDS


def consistency_verdict(distance: float, tolerance: float) -> str:
    """``holds`` if a measured distance stays within its tolerance band, else ``violated``."""
    return HOLDS if distance <= tolerance else VIOLATED


def interval_verdict(reference: float, interval: tuple[float, float]) -> str:
    """``holds`` if the reference value lies in the interval, else ``violated``."""
    lo, hi = interval
    return HOLDS if lo <= reference <= hi else VIOLATED


def increasing_verdict(intervals) -> str:
    """Verdict on "the sequence increases" from simultaneous intervals of its terms.

    ``holds`` if each interval lies strictly above the previous one, ``violated`` if some later
    interval lies strictly below an earlier one, ``inconclusive`` otherwise.
    """
    intervals = list(intervals)
    if all(nxt[0] > prev[1] for prev, nxt in zip(intervals[:-1], intervals[1:])):
        return HOLDS
    # any earlier term, not only the previous one: [(2, 3), (0, 5), (0, 1)] decreases from 1st to 3rd
    if any(later[1] < earlier[0] for i, earlier in enumerate(intervals) for later in intervals[i + 1:]):
        return VIOLATED
    return INCONCLUSIVE


def bonferroni(alpha_total, weights) -> list[float]:
    r"""Split a family-wise error probability over checks in proportion to ``weights``.

    >>> bonferroni(1e-3, [1, 3])
    [0.00025, 0.00075]
    """
    alpha_total = v.probability("alpha_total", alpha_total, open_interval=True)
    weights = [v.positive_real("weight", w) for w in weights]
    total = sum(weights)
    return [alpha_total * w / total for w in weights]


def holm_levels(alpha_total, m) -> list[float]:
    r"""Holm's step-down levels $\alpha/m, \alpha/(m-1), \dots, \alpha$ for $m$ hypotheses.

    The $i$-th smallest p-value is compared with the $i$-th level; testing stops at the first
    acceptance. The family-wise error is at most $\alpha$ (Holm 1979), uniformly more powerful than
    Bonferroni's $\alpha/m$ for all.

    >>> holm_levels(1e-3, 4)
    [0.00025, 0.0003333333333333333, 0.0005, 0.001]
    """
    alpha_total = v.probability("alpha_total", alpha_total, open_interval=True)
    m = v.positive_int("m", m)
    return [alpha_total / (m - i) for i in range(m)]


def holm_rejections(p_values, *, alpha) -> list[bool]:
    r"""Which hypotheses Holm's procedure rejects at family-wise level ``alpha``.

    >>> holm_rejections([0.01, 0.04, 0.03, 0.005], alpha=0.05)
    [True, False, False, True]
    """
    p = [v.probability("p_value", x) for x in p_values]
    levels = holm_levels(alpha, len(p)) if p else []
    out = [False] * len(p)
    for level, i in zip(levels, sorted(range(len(p)), key=p.__getitem__)):
        if p[i] > level:
            break
        out[i] = True
    return out


def spending_schedule(alpha, looks) -> list[float]:
    r"""Alpha spent at each of ``looks`` interim analyses: $\alpha 2^{-(L-j+1)}$, $j = 1..L$.

    The shares sum to $\alpha(1 - 2^{-L}) < \alpha$ and the final look keeps $\alpha/2$, so early
    stopping costs at most a factor 2 in the final level.

    >>> spending_schedule(0.01, 3)
    [0.00125, 0.0025, 0.005]
    """
    alpha = v.probability("alpha", alpha, open_interval=True)
    looks = v.positive_int("looks", looks)
    return [alpha * 2.0 ** -(looks - j) for j in range(looks)]


RELATIONS = ("==", ">=", "<=")


@dataclass
class SequentialResult:
    """Outcome of :func:`sequential_probability_test`: the verdict and the data when it stopped."""

    status: str
    events: int
    trials: int
    interval: tuple[float, float]
    looks: int
    max_looks: int
    alpha: float

    @property
    def estimate(self) -> float:
        return self.events / self.trials


def _sequential_decision(relation: str, p0: float, lo: float, hi: float, last: bool) -> str | None:
    if (relation == "==" and not lo <= p0 <= hi) or (relation == ">=" and hi < p0) or (
        relation == "<=" and lo > p0
    ):
        return VIOLATED
    if (relation == ">=" and lo > p0) or (relation == "<=" and hi < p0) or last:
        return HOLDS
    return None


def _events(got, m: int) -> int:
    """Number of events in one batch: a boolean array of length ``m`` or an integer count <= ``m``."""
    if np.ndim(got):
        arr = np.asarray(got)
        if arr.dtype != np.bool_:
            raise InvalidArgument(f"draw({m}) returned an array of dtype {arr.dtype}; it must return booleans "
                                  "(or an integer count)")
        if arr.size != m:
            raise InvalidArgument(f"draw({m}) returned {arr.size} outcomes; it must return exactly {m}")
        return int(np.count_nonzero(arr))
    k = v.nonnegative_int(f"draw({m})", got)
    if k > m:
        raise InvalidArgument(f"draw({m}) returned {k} events, more than the {m} trials asked for")
    return k


def sequential_probability_test(draw, *, p0, relation="==", alpha, max_trials, looks=4) -> SequentialResult:
    r"""Group-sequential Clopper–Pearson test of $p \,\mathrm{relation}\, p_0$ with alpha spending.

    ``draw(m)`` returns the number of events in ``m`` new independent trials (or a boolean array of
    length ``m``). The trials are taken in ``looks`` equal batches up to ``max_trials``; after batch
    $j$ the cumulative count gets a two-sided Clopper–Pearson interval at level
    :func:`spending_schedule`\ $(\alpha, L)_j$. The test stops as soon as the verdict is certain at
    that share: ``violated`` when the interval excludes the claim, ``holds`` when the interval lies
    inside a one-sided claim (``">="``, ``"<="``); an equality claim ``"=="`` can only stop early
    when violated. By the union bound over looks, a true claim is reported ``violated`` with
    probability at most $\alpha$, whatever the stopping.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> res = sequential_probability_test(lambda m: rng.random(m) < 0.2, p0=0.5, relation="==",
    ...                                   alpha=1e-3, max_trials=4000)
    >>> res.status, res.trials   # a wrong p0 is rejected at the first look
    ('violated', 1000)
    """
    p0 = v.probability("p0", p0)
    relation = v.choice("relation", relation, RELATIONS)
    max_trials = v.positive_int("max_trials", max_trials)
    looks = v.positive_int("looks", looks)
    if looks > max_trials:
        raise InvalidArgument(f"looks={looks!r} must not exceed max_trials={max_trials!r}")
    shares = spending_schedule(alpha, looks)
    bounds = [round(max_trials * (j + 1) / looks) for j in range(looks)]
    k = m = 0
    for j, (share, upto) in enumerate(zip(shares, bounds)):
        k += _events(draw(upto - m), upto - m)
        m = upto
        lo, hi = clopper_pearson(k, m, alpha=share)
        status = _sequential_decision(relation, p0, lo, hi, j == looks - 1)
        if status is not None:
            return SequentialResult(status, k, m, (lo, hi), j + 1, looks, alpha)
    raise AssertionError("unreachable: the last look always decides")  # pragma: no cover


def quantile_interval(sample, q, *, alpha) -> tuple[float, float, float]:
    r"""Sample $q$-quantile and a distribution-free two-sided $1-\alpha$ interval (order statistics).

    Honest under heavy tails (only iid-ness is used): with $X_{(1)} \le \dots \le X_{(m)}$ and
    $B \sim \mathrm{Bin}(m, q)$, $[X_{(l)}, X_{(u)}]$ covers the true quantile when
    $P(l \le B < u) \ge 1 - \alpha$. Returns ``(estimate, lo, hi)``; an end is $\mp\infty$ when the
    sample is too small to bound it.

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_cauchy(2001)
    >>> est, lo, hi = quantile_interval(x, 0.5, alpha=1e-3)
    >>> lo < 0.0 < hi, hi - lo < 0.3
    (True, True)
    """
    x = np.sort(_finite_values("sample", sample))
    m = v.positive_int("len(sample)", len(x))
    q = v.probability("q", q, open_interval=True)
    alpha = v.probability("alpha", alpha, open_interval=True)
    l_idx = int(_st.binom.ppf(alpha / 2, m, q))  # P(B < l) <= alpha/2  -> X_(l), 1-based
    u_idx = int(_st.binom.ppf(1 - alpha / 2, m, q)) + 1  # P(B >= u) <= alpha/2
    while l_idx > 0 and _st.binom.cdf(l_idx - 1, m, q) > alpha / 2:
        l_idx -= 1
    lo = -math.inf if l_idx < 1 else float(x[l_idx - 1])
    hi = math.inf if u_idx > m else float(x[u_idx - 1])
    return float(np.quantile(x, q)), lo, hi
