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

from . import _validate as v

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
    r"""Exact two-sided $1-\alpha$ interval for a binomial probability from $k$ successes in $m$."""
    m = v.positive_int("m", m)
    k = v.nonnegative_int("k", k)
    if k > m:
        raise ValueError(f"k={k!r} must not exceed m={m!r}")
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
    r"""$\sup_x |F_m(x) - F(x)|$ for a sample and a vectorised continuous CDF."""
    x = np.sort(np.asarray(sample, dtype=np.float64))
    m = len(x)
    if m == 0:
        raise ValueError("sample=[] must contain at least one value")
    f = np.asarray(cdf(x), dtype=np.float64)
    i = np.arange(1, m + 1)
    return float(max(np.max(i / m - f), np.max(f - (i - 1) / m)))


def empirical_bernstein(values, *, bound, alpha) -> tuple[float, float, float]:
    r"""Mean and a two-sided $1-\alpha$ interval for iid values in $[0, \text{bound}]$ (Maurer–Pontil).

    Half-width $\sqrt{2 V \log(4/\alpha)/m} + 7 B \log(4/\alpha) / (3(m-1))$ with $V$ the sample
    variance and $B$ the range.
    """
    x = np.asarray(values, dtype=np.float64)
    m = v.positive_int("len(values)", len(x), min_value=2)
    bound = v.positive_real("bound", bound)
    alpha = v.probability("alpha", alpha, open_interval=True)
    log_term = math.log(4.0 / alpha)
    half = math.sqrt(2.0 * x.var(ddof=1) * log_term / m) + 7.0 * bound * log_term / (3.0 * (m - 1))
    mean = float(x.mean())
    return mean, mean - half, mean + half


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
    pairs = list(zip(intervals[:-1], intervals[1:]))
    if all(nxt[0] > prev[1] for prev, nxt in pairs):
        return HOLDS
    if any(nxt[1] < prev[0] for prev, nxt in pairs):
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
