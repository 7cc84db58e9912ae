"""Power tier (``pytest -m power``): every statistical check must reject its planted bug.

For each statistical claim in the registry, its planted-bug companion (a mutated sampler or a
wrong constant) runs at the **default** budget and at the claim's real share of the verify error
budget (Bonferroni over all statistical claims, alpha_total = DEFAULT_ALPHA), over several seeds.
The rejection rates are printed as a table (run with ``-s`` to see it). A statistical check with no
planted bug is a defect and fails ``test_every_statistical_check_has_a_planted_bug``.

Seeds: ``LRINIT_POWER_SEEDS`` (default 3). With ``LRINIT_POWER_NULL=1`` the unmutated checks also
run on the same seeds, and their number of ``violated`` verdicts is tested against the claim's alpha:
the test fails when P(Bin(seeds, alpha) >= rejections) <= TEST_ALPHA (exact binomial), i.e. a correct
check fails this test with probability at most TEST_ALPHA.

CI (``.ci/run``): ``LRINIT_POWER_SEEDS=2 LRINIT_POWER_NULL=1 pytest -q -p no:cacheprovider -m power tests/test_power.py``.
"""

from __future__ import annotations

import os
import time

import pytest
from _budget import TEST_ALPHA
from scipy import stats as st

from lrinit_verify.claims import Context, all_claims
from lrinit_verify.claims.runner import DEFAULT_ALPHA, allocate_alpha

# the training claims run minutes of training per seed (bug and null): above the default 600-s limit
pytestmark = [pytest.mark.power, pytest.mark.timeout(3600)]

SEEDS = list(range(int(os.environ.get("LRINIT_POWER_SEEDS", "3"))))
NULL = os.environ.get("LRINIT_POWER_NULL") == "1"


def planted_bugs() -> dict:
    """claim id -> (check, planted-bug kwargs, expected status) from each claim's ``planted`` field."""
    return {c.id: (c.check, dict(c.planted.kwargs), c.planted.expect) for c in all_claims() if c.planted}


def _statistical():
    return [c for c in all_claims() if c.statistical]


def test_every_statistical_check_has_a_planted_bug():
    missing = [c.id for c in _statistical() if c.id not in planted_bugs()]
    assert not missing, (
        f"statistical checks without a planted-bug companion (no evidence of power): {missing}"
    )


RATES: dict = {}


@pytest.mark.parametrize("claim_id", sorted(planted_bugs()))
def test_planted_bug_is_rejected_at_default_budget(claim_id):
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        pytest.skip(f"{claim_id} is not registered")
    alpha = allocate_alpha(list(claims.values()), DEFAULT_ALPHA)[claim_id]
    check, bug, expected = planted_bugs()[claim_id]
    rows = {"bug": [], "null": []}
    start = time.perf_counter()
    for seed in SEEDS:
        ctx = Context(budget="default", seed=seed, alpha=alpha)
        rows["bug"].append(check(ctx, **bug).status == expected)
        if NULL and claims[claim_id].expect == "holds":  # a finding's "violated" is no false rejection
            rows["null"].append(claims[claim_id].check(ctx).status == "violated")
    RATES[claim_id] = (
        alpha,
        sum(rows["bug"]),
        len(SEEDS),
        sum(rows["null"]) if rows["null"] else None,
        time.perf_counter() - start,
    )
    _print_table()
    assert all(rows["bug"]), (
        f"{claim_id}: planted bug {bug} gave {expected!r} in {sum(rows['bug'])}/{len(SEEDS)} seeds"
    )
    if NULL and rows["null"]:
        null_k = sum(rows["null"])
        assert not null_rejected_too_often(null_k, len(SEEDS), alpha), (
            f"{claim_id}: the unmutated check was violated in {null_k}/{len(SEEDS)} seeds at alpha={alpha:.2g}"
        )


def null_rejected_too_often(k: int, seeds: int, alpha: float) -> bool:
    """Exact binomial test of 'false-rejection rate <= alpha': True when P(Bin(seeds, alpha) >= k) <= TEST_ALPHA."""
    return k > 0 and bool(st.binom.sf(k - 1, seeds, alpha) <= TEST_ALPHA)


def test_null_rejection_bound_has_power():
    """The bound is not vacuous: 2 violations in 3 seeds at alpha = 1e-4 are rejected, 0 and 1 are not."""
    assert not null_rejected_too_often(0, 3, 1e-4) and not null_rejected_too_often(1, 3, 1e-4)
    assert null_rejected_too_often(2, 3, 1e-4)


def _print_table():
    print("\nclaim                          alpha     planted-bug rejections   null rejections   seconds")
    for cid, (alpha, k, m, null, secs) in sorted(RATES.items()):
        null_txt = "-" if null is None else f"{null}/{m}"
        print(f"{cid:30s} {alpha:.1e}   {k}/{m} = {k / m:.2f}              {null_txt:16s}  {secs:.0f}")
