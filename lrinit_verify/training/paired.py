r"""Exact tests for paired binary outcomes and for rates (all conditional binomial, no approximation).

* :func:`mcnemar_exact` — McNemar's exact test. With paired runs, let :math:`b` count pairs where only arm 1
  fails and :math:`c` pairs where only arm 2 fails. Under :math:`H_0` (both discordances equally likely),
  :math:`b \mid b + c \sim \mathrm{Bin}(b + c, 1/2)`; the p-value is the binomial tail
  (``scipy.stats.binomtest``). Concordant pairs carry no information about the difference.
* :func:`rate_verdict` — a one-sided exact binomial decision for "the rate is below/above ``level``":
  ``holds`` if the test of the opposite null rejects at :math:`\alpha`, ``violated`` if the test of the
  claim as null rejects, else ``inconclusive``. Each wrong conclusion has probability at most :math:`\alpha`.

Example:
    >>> mcnemar_exact(5, 0)         # 5 discordant pairs, all one way: 2^-5
    0.03125
    >>> mcnemar_exact(5, 0, alternative="two-sided")
    0.0625
    >>> rate_verdict(0, 16, level=0.5, claim="below", alpha=1e-4)
    'holds'
"""

from __future__ import annotations

from scipy.stats import binomtest

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.stats import HOLDS, INCONCLUSIVE, VIOLATED

ALTERNATIVES = ("greater", "less", "two-sided")


def mcnemar_exact(b, c, *, alternative: str = "greater") -> float:
    r"""Exact McNemar p-value from the discordant counts ``b`` (only arm 1 fails) and ``c`` (only arm 2).

    ``alternative="greater"``: arm 1 fails more often than arm 2. With no discordant pair the
    p-value is 1 (no evidence either way).
    """
    b, c = v.nonnegative_int("b", b), v.nonnegative_int("c", c)
    alternative = v.choice("alternative", alternative, ALTERNATIVES)
    if b + c == 0:
        return 1.0
    return float(binomtest(b, b + c, 0.5, alternative=alternative).pvalue)


def discordant_counts(failed_1, failed_2) -> tuple[int, int]:
    """``(b, c)``: pairs where only arm 1 failed, and where only arm 2 failed."""
    failed_1, failed_2 = list(failed_1), list(failed_2)
    if len(failed_1) != len(failed_2):
        raise InvalidArgument(
            f"failed_1 (length {len(failed_1)}) and failed_2 (length {len(failed_2)}) must be paired"
        )
    b = sum(bool(x) and not bool(y) for x, y in zip(failed_1, failed_2))
    c = sum(bool(y) and not bool(x) for x, y in zip(failed_1, failed_2))
    return b, c


def rate_verdict(k, m, *, level: float, claim: str, alpha: float) -> str:
    """Claim "P(event) < level" (``claim="below"``) or "> level" (``"above"``) from ``k`` events in ``m`` trials."""
    m = v.positive_int("m", m)
    k = v.nonnegative_int("k", k)
    if k > m:
        raise InvalidArgument(f"k={k!r} must not exceed m={m!r}")
    level = v.probability("level", level, open_interval=True)
    alpha = v.probability("alpha", alpha, open_interval=True)
    claim = v.choice("claim", claim, ("below", "above"))
    less = binomtest(k, m, level, alternative="less").pvalue
    greater = binomtest(k, m, level, alternative="greater").pvalue
    support, against = (less, greater) if claim == "below" else (greater, less)
    if support <= alpha:
        return HOLDS
    return VIOLATED if against <= alpha else INCONCLUSIVE
