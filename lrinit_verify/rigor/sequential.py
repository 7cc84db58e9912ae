r"""Group-sequential Clopper–Pearson tests with alpha spending (``sequential=True`` checks).

>>> spending_schedule(0.01, 3)
[0.00125, 0.0025, 0.005]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.stats import HOLDS, VIOLATED, clopper_pearson

__all__ = ["RELATIONS", "SequentialResult", "sequential_probability_test", "spending_schedule"]


def spending_schedule(alpha, looks) -> list[float]:
    r"""Alpha spent at each of ``looks`` interim analyses: :math:`\alpha 2^{-(L-j+1)}`, :math:`j = 1..L`.

    The shares sum to :math:`\alpha(1 - 2^{-L}) < \alpha` and the final look keeps :math:`\alpha/2`, so early
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


def _events(got, m: int) -> int:
    """Number of events in one batch: a boolean array of length ``m`` or an integer count <= ``m``."""
    if np.ndim(got):
        arr = np.asarray(got)
        if arr.dtype != np.bool_:
            raise InvalidArgument(
                f"draw({m}) returned an array of dtype {arr.dtype}; it must return booleans "
                "(or an integer count)"
            )
        if arr.size != m:
            raise InvalidArgument(f"draw({m}) returned {arr.size} outcomes; it must return exactly {m}")
        return int(np.count_nonzero(arr))
    k = v.nonnegative_int(f"draw({m})", got)
    if k > m:
        raise InvalidArgument(f"draw({m}) returned {k} events, more than the {m} trials asked for")
    return k


def _sequential_decision(relation: str, p0: float, lo: float, hi: float, last: bool) -> str | None:
    if (
        (relation == "==" and not lo <= p0 <= hi)
        or (relation == ">=" and hi < p0)
        or (relation == "<=" and lo > p0)
    ):
        return VIOLATED
    if (relation == ">=" and lo > p0) or (relation == "<=" and hi < p0) or last:
        return HOLDS
    return None


def sequential_probability_test(draw, *, p0, relation="==", alpha, max_trials, looks=4) -> SequentialResult:
    r"""Group-sequential Clopper–Pearson test of :math:`p \,\mathrm{relation}\, p_0` with alpha spending.

    ``draw(m)`` returns the number of events in ``m`` new independent trials (or a boolean array of
    length ``m``). The trials are taken in ``looks`` equal batches up to ``max_trials``; after batch
    :math:`j` the cumulative count gets a two-sided Clopper–Pearson interval at level
    :func:`spending_schedule`\ :math:`(\alpha, L)_j`. The test stops as soon as the verdict is certain at
    that share: ``violated`` when the interval excludes the claim, ``holds`` when the interval lies
    inside a one-sided claim (``">="``, ``"<="``); an equality claim ``"=="`` can only stop early
    when violated. By the union bound over looks, a true claim is reported ``violated`` with
    probability at most :math:`\alpha`, whatever the stopping.

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
