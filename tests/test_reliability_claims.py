"""Certified count claims: the count of matrices certified on each side decides the verdict.

``_count_status`` is an exact binomial test; its cases below are computed by hand. The claims run at
their quick budget with alpha = 1e-4 (about the share `verify` gives them); a true claim is reported
violated with probability at most alpha, the planted bugs (c_n with a flipped sign, Glorot scaled by
0.8) give 0 matrices on the claimed side, which the test rejects: 0.144^5 = 6e-5 and 0.5^16 = 1.5e-5.
"""

from __future__ import annotations

import pytest

from lrinit_verify.claims import Context, certified as CC


@pytest.mark.parametrize(
    "k, undecided, m, p0, alpha, expected",
    [
        pytest.param(0, 0, 5, 0.856, 1e-4, "violated", id="none-of-5: 0.144^5=6e-5"),
        pytest.param(0, 0, 4, 0.856, 1e-4, "holds", id="none-of-4: 0.144^4=4e-4, no power, not rejected"),
        pytest.param(5, 0, 5, 0.856, 1e-4, "holds", id="all"),
        pytest.param(0, 5, 5, 0.856, 1e-4, "inconclusive", id="all-undecided"),
        pytest.param(0, 1, 5, 0.856, 1e-4, "inconclusive", id="one-undecided-could-save-it"),
        pytest.param(2, 0, 16, 0.5, 1e-3, None, id="16-at-one-half"),
    ],
)
def test_count_status_exact_cases(k, undecided, m, p0, alpha, expected):
    if m == 16:  # P(Bin(16, 1/2) <= 2) = 137/65536 = 2.09e-3 > 1e-3: not rejected; <= 1: 17/65536 rejected
        assert CC._count_status(2, 0, 16, 0.5, 1e-3) == "holds"
        assert CC._count_status(1, 0, 16, 0.5, 1e-3) == "violated"
        return
    assert CC._count_status(k, undecided, m, p0, alpha) == expected


@pytest.mark.slow  # ~20 s: five certified matrices at n = 200, twice
def test_certified_count_claims_hold_and_planted_bugs_are_violated():
    pytest.importorskip("flint")
    ctx = Context(budget="quick", seed=0, alpha=1e-4)
    assert CC.check_rescaled_below_one(ctx).status == "holds"
    assert CC.check_rescaled_below_one(ctx, factor=CC._flipped_sign_factor).status == "violated"
    assert CC.check_glorot_above_one(ctx).status == "holds"
    assert CC.check_glorot_above_one(ctx, factor=lambda n: 0.8).status == "violated"
