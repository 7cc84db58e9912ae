"""Decision rules on exact small cases where the right answer is known, and certified arithmetic at its
decision boundary (balls that overlap the threshold are undecided, never proved; outward rounding).

Everything here is deterministic: no TEST_ALPHA is spent.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrinit_verify.rigor import stats as S
from lrinit_verify.rigor.sequential import sequential_probability_test

H, V, U = S.HOLDS, S.VIOLATED, S.INCONCLUSIVE

# --- increasing_verdict ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "intervals, expected",
    [
        pytest.param([(0, 1), (2, 3)], H, id="separated"),
        pytest.param([(0, 1), (1, 2)], U, id="touching-is-not-strict"),
        pytest.param([(0, 2), (1, 3)], U, id="overlapping"),
        pytest.param([(2, 3), (0, 1)], V, id="decreasing"),
        pytest.param([(0, 1), (2, 3), (3.5, 4)], H, id="three-increasing"),
        pytest.param([(0, 1), (2, 3), (1.5, 1.8)], V, id="last-below-previous"),
        pytest.param([(2, 3), (0, 5), (0, 1)], V, id="below-an-earlier-non-adjacent"),
        pytest.param([(0, 1), (0.5, 2), (1.5, 3)], U, id="chain-of-overlaps"),
        pytest.param([(0, 3), (1, 2)], U, id="nested"),
    ],
)
def test_increasing_verdict_exact_cases(intervals, expected):
    assert S.increasing_verdict(intervals) == expected


# --- Holm step-down -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p, alpha, expected",
    [
        # levels 0.0125, 0.0167, 0.025, 0.05: 0.005 and 0.01 pass, 0.03 > 0.025 stops (0.04 is not reached)
        pytest.param([0.01, 0.04, 0.03, 0.005], 0.05, [True, False, False, True], id="stops-at-third"),
        pytest.param([0.001, 0.002, 0.003], 0.01, [True, True, True], id="all"),
        pytest.param([0.02, 0.001], 0.04, [True, True], id="second-level-is-alpha"),
        pytest.param([0.041, 0.001], 0.04, [False, True], id="just-above-alpha"),
        pytest.param([0.5, 0.5], 0.05, [False, False], id="none"),
        # p equal to its level is rejected (p <= level); 0.05/3 at the first of three
        pytest.param([0.05 / 3, 0.9, 0.9], 0.05, [True, False, False], id="equal-to-level"),
        # a large p first does not hide a small one later
        pytest.param([0.9, 0.001], 0.05, [False, True], id="order-free"),
        pytest.param([], 0.05, [], id="empty"),
    ],
)
def test_holm_exact_cases(p, alpha, expected):
    assert S.holm_rejections(p, alpha=alpha) == expected


def test_holm_never_rejects_after_an_acceptance():
    """Step-down: once the i-th smallest p is accepted, no larger p is rejected even if below alpha."""
    assert S.holm_rejections([0.012, 0.013, 0.049], alpha=0.05) == [True, True, True]
    # levels 0.0167, 0.025, 0.05: 0.03 > 0.025 stops, so 0.04 < 0.05 is not rejected
    assert S.holm_rejections([0.04, 0.03, 0.001], alpha=0.05) == [False, False, True]


# --- the sequential test: early acceptance and rejection -------------------------------------------


def _scripted(counts):
    """A draw that returns the scripted number of events per batch (and records the batch sizes)."""
    sizes = []

    def draw(m):
        sizes.append(m)
        return counts[len(sizes) - 1] if counts[len(sizes) - 1] != "all" else m

    return draw, sizes


@pytest.mark.parametrize(
    "relation, counts, status, looks",
    [
        pytest.param(">=", ["all"] * 4, H, 1, id=">=-accepts-at-first-look"),
        pytest.param(">=", [0] * 4, V, 1, id=">=-rejects-at-first-look"),
        pytest.param("<=", [0] * 4, H, 1, id="<=-accepts-at-first-look"),
        pytest.param("<=", ["all"] * 4, V, 1, id="<=-rejects-at-first-look"),
        pytest.param("==", [50] * 4, H, 4, id="==-can-only-accept-at-the-end"),
        pytest.param("==", [0] * 4, V, 1, id="==-rejects-early"),
        pytest.param(">=", [50, 50, 50, 50], H, 4, id=">=-at-the-boundary-runs-to-the-end"),
    ],
)
def test_sequential_early_stopping_exact_cases(relation, counts, status, looks):
    draw, sizes = _scripted(counts)
    res = sequential_probability_test(draw, p0=0.5, relation=relation, alpha=1e-3, max_trials=400, looks=4)
    assert (res.status, res.looks) == (status, looks)
    assert sizes == [100] * looks and res.trials == 100 * looks


def test_sequential_first_look_uses_its_spending_share():
    """At look 1 of 4 the share is alpha/16: 60/100 events is outside the 1 - 0.05 interval around 0.5 but
    inside the 1 - 0.05/16 one, so the test must not stop there (it would with the full alpha)."""
    lo, _ = S.clopper_pearson(61, 100, alpha=0.05)
    assert lo > 0.5  # with the full alpha, 61/100 would already reject p = 0.5
    lo_share, _ = S.clopper_pearson(61, 100, alpha=0.05 / 16)
    assert lo_share < 0.5
    draw, _ = _scripted([61, 25, 25, 25])
    res = sequential_probability_test(draw, p0=0.5, relation="==", alpha=0.05, max_trials=400, looks=4)
    assert res.looks > 1


# --- certified arithmetic at the decision boundary ---------------------------------------------------


@pytest.fixture
def certify():
    pytest.importorskip("flint")
    from lrinit_verify.rigor import certify

    return certify


@pytest.mark.parametrize("delta", [0.0, 2.0**-52, -(2.0**-53), 2.0**-40, 1e-8, -1e-8, -(2.0**-40)])
def test_radius_verdict_never_proves_across_the_threshold(certify, delta):
    """diag(1 + delta, 1/2): rho = 1 + delta exactly. 'holds' above only if delta > 0, below only if
    delta < 0; whenever the reported interval contains 1 the verdict is inconclusive."""
    W = np.diag([1.0 + delta, 0.5])
    for above in (True, False):
        vd = (certify.certify_radius_above if above else certify.certify_radius_below)(W, 1.0)
        lo, hi = vd.interval
        assert lo <= 1.0 + delta <= hi
        if lo <= 1.0 <= hi:
            assert vd.status == U
        proved_above = (vd.status == H) if above else (vd.status == V)
        proved_below = (vd.status == V) if above else (vd.status == H)
        assert not (proved_above and delta <= 0) and not (proved_below and delta >= 0)
    if delta == 0.0:
        assert certify.certify_radius_above(W, 1.0).status == U


def test_radius_exactly_at_threshold_is_inconclusive(certify):
    """rho([[0, 2], [1/2, 0]]) = 1 exactly (eigenvalues +-1): neither side may be proved, at any r = 1."""
    W = np.array([[0.0, 2.0], [0.5, 0.0]])
    assert certify.certify_radius_above(W, 1.0).status == U
    assert certify.certify_radius_below(W, 1.0).status == U


def test_outward_rounding_where_nearest_would_be_wrong(certify):
    """1/10 rounds UP to nearest (0.1000000000000000055) and 1/3 rounds DOWN (0.33333333333333331):
    a lower bound by plain float() would exceed 1/10 and an upper bound would fall below 1/3."""
    import flint

    from lrinit_verify.rigor import _arb

    with flint.ctx.workprec(200):
        tenth, third = flint.arb(1) / 10, flint.arb(1) / 3
        assert tenth.lower() < float(tenth.lower())  # nearest rounding gives a wrong lower bound here
        assert third.upper() > float(third.upper())  # and a wrong upper bound here
        down, up = _arb.down(tenth), _arb.up(third)
        assert flint.arb(down) < tenth.lower() and down == math.nextafter(0.1, 0.0)
        assert flint.arb(up) > third.upper() and up == math.nextafter(1 / 3, 1.0)


def test_enclosure_of_a_non_dyadic_radius_is_outward(certify):
    """rho(diag(0.1, ...)) is the float 0.1 (exactly 0.1000000000000000055...): the ends bracket it."""
    enc = certify.certify_spectral_radius(np.diag([0.1, -0.05]))
    assert enc.lo <= 0.1 <= enc.hi
