r"""Assertion helpers for users' own statistical tests (exact, with a stated false-failure probability).

* :func:`assert_probability` — a one- or two-sided exact binomial (Clopper–Pearson) test of
  :math:`P(\text{event}) \ge p_0` and/or :math:`\le p_1`. A true claim fails with probability at most
  ``alpha``; the failure message reads ``P(event) ≈ k/n = p̂ < p0``.
* :func:`assert_probability_sequential` — the same claim, sampling in batches and stopping as soon
  as the answer is certain (alpha spending, :func:`~lrinit_verify.rigor.sequential.sequential_probability_test`).
* :func:`assert_distribution` — a sample against a claimed continuous CDF with the
  Dvoretzky–Kiefer–Wolfowitz band: fails with probability at most ``alpha`` when the claim is true.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> assert_probability(rng.random(1000) < 0.3, at_least=0.25, alpha=1e-3)
    >>> assert_probability(120, 1000, at_least=0.2, alpha=1e-3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    AssertionError: P(event) ≈ 120/1000 = 0.12 < 0.2: ...
"""

from __future__ import annotations

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor.sequential import sequential_probability_test
from lrinit_verify.rigor.stats import (
    VIOLATED,
    clopper_pearson,
    dkw_epsilon,
    ks_distance,
)


def _count(events, trials) -> tuple[int, int]:
    """``(k, n)`` from a boolean array (``trials`` omitted) or from counts ``events, trials``."""
    if np.ndim(events):
        arr = np.asarray(events)
        if np.issubdtype(arr.dtype, np.integer) and np.isin(arr, (0, 1)).all():
            arr = arr.astype(bool)  # 0/1 outcomes, as np.array([1, 0, 1]) or a sum of indicators gives
        if arr.dtype != np.bool_:
            raise InvalidArgument(
                f"events with dtype {arr.dtype} must be a boolean (or 0/1 integer) array or an integer count"
            )
        n = v.positive_int("trials", arr.size)
        if trials is not None and v.positive_int("trials", trials) != n:
            raise InvalidArgument(f"trials={trials!r} must equal the number of events given ({n})")
        return int(np.count_nonzero(arr)), n
    if trials is None:
        raise InvalidArgument(f"events={events!r} is a count, so trials= must be given")
    k = v.nonnegative_int("events", events)
    n = v.positive_int("trials", trials)
    if k > n:
        raise InvalidArgument(f"events={k!r} must not exceed trials={n!r}")
    return k, n


def _alpha(alpha) -> float:
    alpha = v.probability("alpha", alpha, open_interval=True)
    if alpha >= 0.5:
        raise InvalidArgument(f"alpha={alpha!r} must be below 0.5 (it is a false-failure probability)")
    return alpha


def assert_probability(events, trials=None, *, at_least=None, at_most=None, alpha, name="event") -> None:
    r"""Fail unless the data are consistent with :math:`p_0 \le P(\text{event}) \le p_1`.

    **Arguments:**

    - ``events``: a boolean array of outcomes, or the number :math:`k` of events (then give ``trials``).
    - ``at_least`` :math:`p_0` / ``at_most`` :math:`p_1`: the claimed bounds (at least one).
    - ``alpha``: the false-failure probability — the chance that this assertion fails although the
      claim is true (split equally between the two sides when both bounds are given).
    - ``name``: what the event is, for the message.

    The one-sided exact test rejects :math:`p \ge p_0` when the Clopper–Pearson upper bound at one-sided
    level :math:`\alpha` is below :math:`p_0` (symmetrically for :math:`p_1`).

    >>> assert_probability(90, 100, at_least=0.8, alpha=1e-3)          # consistent: passes
    >>> assert_probability(60, 100, at_least=0.8, alpha=1e-3)          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: P(event) ≈ 60/100 = 0.6 < 0.8...
    """
    __tracebackhide__ = True  # pytest shows the caller's line and the message, not this function's source
    k, n = _count(events, trials)
    alpha = _alpha(alpha)
    if at_least is None and at_most is None:
        raise InvalidArgument("at_least=None and at_most=None: give at least one bound")
    lo_p = None if at_least is None else v.probability("at_least", at_least)
    hi_p = None if at_most is None else v.probability("at_most", at_most)
    if lo_p is not None and hi_p is not None and lo_p > hi_p:
        raise InvalidArgument(f"at_least={lo_p!r} must not exceed at_most={hi_p!r}")
    side_alpha = alpha / 2 if lo_p is not None and hi_p is not None else alpha
    lo, hi = clopper_pearson(k, n, alpha=2 * side_alpha)  # each end is one-sided at side_alpha
    head = f"P({name}) ≈ {k}/{n} = {k / n:.4g}"
    if lo_p is not None and hi < lo_p:
        raise AssertionError(
            f"{head} < {lo_p:g}: the exact one-sided upper bound {hi:.4g} at "
            f"alpha={side_alpha:.2g} is below the claimed {lo_p:g}"
        )
    if hi_p is not None and lo > hi_p:
        raise AssertionError(
            f"{head} > {hi_p:g}: the exact one-sided lower bound {lo:.4g} at "
            f"alpha={side_alpha:.2g} is above the claimed {hi_p:g}"
        )


def assert_probability_sequential(draw, *, at_least, alpha, max_trials, looks=4, name="event") -> int:
    r"""Sequential form of ``assert_probability(..., at_least=p0)``: sample in batches, stop when certain.

    ``draw(m)`` returns ``m`` new boolean outcomes (or their count). Stops early both ways — when the
    claim :math:`p \ge p_0` is certainly false (fails) or certainly true (passes) at its alpha-spending
    share. Returns the number of trials used. False-failure probability at most ``alpha``.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> assert_probability_sequential(lambda m: rng.random(m) < 0.9, at_least=0.5, alpha=1e-4,
    ...                               max_trials=10_000)
    2500
    """
    __tracebackhide__ = True
    at_least = v.probability("at_least", at_least)
    res = sequential_probability_test(
        draw, p0=at_least, relation=">=", alpha=_alpha(alpha), max_trials=max_trials, looks=looks
    )
    if res.status == VIOLATED:
        raise AssertionError(
            f"P({name}) ≈ {res.events}/{res.trials} = {res.estimate:.4g} < {at_least:g}: the exact "
            f"interval {res.interval[0]:.4g}..{res.interval[1]:.4g} at look {res.looks}/{res.max_looks} "
            f"excludes it (sequential, total alpha={alpha:.2g})"
        )
    return res.trials


def assert_distribution(sample, cdf, *, alpha, name="sample") -> None:
    r"""Fail unless :math:`\sup_x|F_m(x) - F(x)| \le \sqrt{\log(2/\alpha)/(2m)}` (DKW band, Massart's constant).

    ``cdf`` is the claimed continuous CDF, vectorised over numpy arrays. A sample really drawn from
    ``cdf`` fails with probability at most ``alpha``.

    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> assert_distribution(np.random.default_rng(2).standard_normal(500), norm.cdf, alpha=1e-3)
    """
    __tracebackhide__ = True
    alpha = _alpha(alpha)
    x = np.asarray(sample, dtype=np.float64).ravel()
    m = v.positive_int("len(sample)", x.size)
    eps = dkw_epsilon(m, alpha=alpha)
    d = ks_distance(x, cdf)
    if d > eps:
        raise AssertionError(
            f"{name}: sup|F_m - F| = {d:.4g} > DKW band {eps:.4g} (m={m}, alpha={alpha:.2g})"
        )


__all__ = ["assert_distribution", "assert_probability", "assert_probability_sequential"]
