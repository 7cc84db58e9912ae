"""Power tier (``pytest -m power``): every statistical check must reject its planted bug.

For each statistical claim in the registry, its planted-bug companion (a mutated sampler or a
wrong constant) runs at the **default** budget and at the claim's real share of the verify error
budget (Bonferroni over all statistical claims, alpha_total = DEFAULT_ALPHA), over several seeds.
The rejection rates are printed as a table (run with ``-s`` to see it). A statistical check with no
planted bug is a defect and fails ``test_every_statistical_check_has_a_planted_bug``.

Seeds: ``LRINIT_POWER_SEEDS`` (default 3). With ``LRINIT_POWER_NULL=1`` the unmutated checks also
run on the same seeds (their rejection rate estimates the false-failure rate, expected 0).
"""

from __future__ import annotations

import os
import time

import pytest

from lrinit_verify.claims import Context, all_claims
from lrinit_verify.claims.runner import DEFAULT_ALPHA, allocate_alpha

pytestmark = pytest.mark.power

SEEDS = list(range(int(os.environ.get("LRINIT_POWER_SEEDS", "3"))))
NULL = os.environ.get("LRINIT_POWER_NULL") == "1"


def planted_bugs() -> dict:
    """claim id -> (check, planted-bug kwargs, expected status) from each claim's ``planted`` field."""
    return {c.id: (c.check, dict(c.planted.kwargs), c.planted.expect) for c in all_claims() if c.planted}


def _statistical():
    return [c for c in all_claims() if c.statistical]


def test_every_statistical_check_has_a_planted_bug():
    missing = [c.id for c in _statistical() if c.id not in planted_bugs()]
    assert not missing, f"statistical checks without a planted-bug companion (no evidence of power): {missing}"


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
        if NULL:
            rows["null"].append(claims[claim_id].check(ctx).status == "violated")
    RATES[claim_id] = (alpha, sum(rows["bug"]), len(SEEDS), sum(rows["null"]) if NULL else None,
                       time.perf_counter() - start)
    _print_table()
    assert all(rows["bug"]), f"{claim_id}: planted bug {bug} gave {expected!r} in {sum(rows['bug'])}/{len(SEEDS)} seeds"


def _print_table():
    print("\nclaim                          alpha     planted-bug rejections   null rejections   seconds")
    for cid, (alpha, k, m, null, secs) in sorted(RATES.items()):
        null_txt = "-" if null is None else f"{null}/{m}"
        print(f"{cid:30s} {alpha:.1e}   {k}/{m} = {k / m:.2f}              {null_txt:16s}  {secs:.0f}")
