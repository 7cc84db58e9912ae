"""Certified spectral-radius enclosures (python-flint): exact cases, agreement, one-sided bounds.

All checks here are proofs about exact matrices (no false-failure probability), except none.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings

from lrinit_verify.claims import Context, certified as cc
from lrinit_verify.rigor import certify as C
from lrinit_verify.rigor.strategies import fields, seeds, widths
from lrinit_verify.sampling.ensembles import glorot

pytestmark = pytest.mark.rigorous


@settings(max_examples=15)
@given(widths(min_value=2, max_value=24), seeds(), fields())
def test_enclosure_contains_lapack_radius_and_is_tight(n, seed, field):
    W = glorot(n, field=field, seed=seed)
    enc = C.certify_spectral_radius(W)
    assert enc.status == C.CERTIFIED
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    # LAPACK's backward error is O(n eps ||W||); the certified interval must be within that of it
    slack = 100 * n * np.finfo(float).eps * np.linalg.norm(W, 2)
    assert enc.lo - slack <= rho <= enc.hi + slack
    assert enc.hi - enc.lo < 1e-9


@pytest.mark.parametrize("diag, rho", [([0.5, -2.0, 1.0], 2.0), ([0.25, 0.5], 0.5), ([3.0], 3.0)])
def test_exact_radius_of_triangular_matrices(diag, rho):
    W = np.diag(diag) + np.triu(np.ones((len(diag), len(diag))), 1)
    enc = C.certify_spectral_radius(W)
    assert enc.contains(rho) and enc.hi - enc.lo < 1e-12


def test_repeated_eigenvalue_is_inconclusive_not_wrong():
    enc = C.certify_spectral_radius(np.eye(3))
    assert enc.status == "inconclusive" and enc.contains(1.0)


@settings(max_examples=10)
@given(widths(min_value=2, max_value=32), seeds())
def test_one_sided_bounds_sandwich_the_enclosure(n, seed):
    W = glorot(n, seed=seed)
    enc, b = C.certify_spectral_radius(W), C.radius_bounds(W, max_power=256)
    assert b.lo <= enc.hi and enc.lo <= b.hi


@settings(max_examples=10)
@given(widths(min_value=2, max_value=32), seeds())
def test_above_and_below_are_complementary(n, seed):
    W = glorot(n, seed=seed)
    above, below = C.certify_radius_above(W, 1.0), C.certify_radius_below(W, 1.0)
    assert {above.status, below.status} in ({"holds", "violated"}, {"inconclusive"})
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    if above.status == "holds":
        assert rho > 1 - 1e-12


def test_rescaled_glorot_at_width_256_is_certified_below_one_by_norm_bounds():
    from lrinit_verify import rescale_factor

    W = glorot(256, seed=3) * rescale_factor(256)
    v = C.certify_radius_below(W, 1.0, eig_max_n=0)  # the cheap bounds alone must decide
    assert v.status == "holds", v.summary


def test_variance_bound_is_proved_and_planted_bug_fails():
    W = glorot(16, seed=5)
    assert C.certified_variance_bound(W, 8).status == "holds"
    # planted bug: rho overestimated threefold makes the "bound" exceed the true sum
    assert C.certified_variance_bound(W, 8, rho_scale=3.0).status == "violated"


def test_agrees_with_mpmath_eig_at_small_n():
    for n in (3, 6):
        row = C.compare_with_mpmath(glorot(n, seed=n), dps=30)
        assert row["agree"], row


@pytest.mark.parametrize(
    "W, match",
    [
        pytest.param(np.ones((2, 3)), "square", id="not-square"),
        pytest.param(np.array([[np.nan]]), "finite", id="nan"),
        pytest.param(np.zeros((0, 0)), "square", id="empty"),
        pytest.param(np.array([["a"]]), "numeric", id="strings"),
    ],
)
def test_invalid_matrices_are_rejected(W, match):
    with pytest.raises(ValueError, match=match):
        C.certify_spectral_radius(W)


def test_missing_flint_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "flint", None)
    with pytest.raises(ImportError, match="rigorous"):
        C.certify_spectral_radius(np.eye(2))
    assert not C.available()


def test_certified_claims_hold_at_quick_budget():
    ctx = Context(budget="quick", seed=0, alpha=1e-6)
    for check in (cc.check_glorot_above_one, cc.check_rescaled_below_one, cc.check_variance_bound):
        v = check(ctx)
        assert v.status == "holds", v.summary
    assert cc.check_variance_bound(ctx, rho_scale=3.0).status == "violated"
    # planted bug: "rescaled" by 1.2 instead of c_n -> no sampled matrix is certified below one
    assert cc.check_rescaled_below_one(ctx, factor=lambda n: 1.2).estimate == 0.0
    assert math.isclose(cc.check_rescaled_below_one(ctx).estimate, 1.0)


@pytest.mark.rigorous
def test_nilpotent_matrix_is_certified_below_one():
    """Regression: W^3 = 0 exactly, so ||W^4||_F = 0 certifies rho = 0 (arb's root of 0 is not finite)."""
    W = np.array([[0.0, 0.0, -1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    assert C.radius_bounds(W, stop_at=0.9).hi == 0.0
    assert C.certify_radius_below(W, 0.9).status == "holds"
