r"""Decision rules: the three statuses of a verdict, how per-case statuses combine, and how a
family-wise error probability :math:`\alpha` is split over several checks (Bonferroni, Holm's step-down).
"""

from __future__ import annotations

from lrinit_verify import _validate as v

HOLDS, VIOLATED, INCONCLUSIVE = "holds", "violated", "inconclusive"
STATUSES = (HOLDS, VIOLATED, INCONCLUSIVE)


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
    if any(later[1] < earlier[0] for i, earlier in enumerate(intervals) for later in intervals[i + 1 :]):
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
    r"""Holm's step-down levels :math:`\alpha/m, \alpha/(m-1), \dots, \alpha` for :math:`m` hypotheses.

    The :math:`i`-th smallest p-value is compared with the :math:`i`-th level; testing stops at the first
    acceptance. The family-wise error is at most :math:`\alpha` (Holm 1979), uniformly more powerful than
    Bonferroni's :math:`\alpha/m` for all.

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
