"""Counterexample searches: the shrunk findings, confirmed, and pinned as @example regressions.

Deterministic (no false-failure probability): searches are seeded, confirmations exact.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from lrinit_verify.rigor import search
from lrinit_verify.rigor.strategies import widths
from lrinit_verify.theory import edge


def test_search_shrinks_to_the_smallest_defined_width_and_confirms_it():
    res = search.smallest_defined_width(seed=0)
    assert res.found and res.confirmed and res.example == edge.FIRST_DEFINED_WIDTH == 164
    assert res.details["largest_undefined"] == 163


@given(widths(min_value=164, max_value=10**7))
@example(164)  # the smallest width where c_n is defined, found by search.smallest_defined_width
def test_c_n_is_defined_and_shrinks_from_164_on(n):
    assert 0 < edge.rescale_factor(n) < 1


@given(st.integers(2, 163))
@example(163)  # the largest width where gamma_n <= 0 (search finding); 2π log²163 ≈ 163.5
def test_c_n_is_undefined_below_164(n):
    with pytest.raises(ValueError, match="gamma_n"):
        edge.rescale_factor(n)


def test_run_search_returns_the_shrunk_example_and_tracks_the_best_score():
    out = search.run_search(st.integers(0, 10**6), lambda x: x >= 1000, score=float, seed=3)
    assert out["example"] == 1000 and out["best"][0] >= 1000


def test_run_search_finds_nothing_when_the_property_holds():
    out = search.run_search(st.integers(0, 10), lambda x: x > 10, seed=0, max_examples=20)
    assert out["example"] is None and out["examples_run"] > 0


def test_run_search_does_not_swallow_real_errors():
    with pytest.raises(ZeroDivisionError):
        search.run_search(st.integers(0, 10), lambda x: 1 / 0, seed=0, max_examples=5)


JORDAN = np.array([[0.9, 0.9], [0.0, 0.9]])  # shape of the shrunk transient example (rho = 0.9)


@settings(max_examples=20)
@given(st.floats(0.1, 0.95), st.floats(0.5, 1.0))
@example(0.9, 0.9)  # the search's shrunk matrix: ||W^9|| ≈ 3.53 although rho = 0.9
def test_jordan_block_transient_exceeds_one_although_rho_below_one(lam, b):
    """For W = [[λ, b], [0, λ]]: ||W^k||_2 >= |(W^k)_12| = k b λ^{k-1}, so peak >= max_k k b λ^{k-1}."""
    W = np.array([[lam, b], [0.0, lam]])
    peak, _ = search.transient_peak(W, k_max=200)
    k = np.arange(1, 201)
    assert peak >= (k * b * lam ** (k - 1)).max() * (1 - 1e-12)


def test_transient_search_finds_growth_under_rho_below_one():
    res = search.transient_search(threshold=2.0, seed=0, max_examples=150)
    assert res.found and res.value >= 2.0
    assert np.max(np.abs(np.linalg.eigvals(res.example))) <= 0.9 + 1e-12
    if importlib.util.find_spec("flint") is not None:
        assert res.confirmed  # rho < 1 and a power with an entry > 1, both certified in Arb


def test_transient_argument_validation():
    with pytest.raises(ValueError, match="rho_max"):
        search.transient_search(rho_max=1.0)


energy_present = importlib.util.find_spec("lrinit_verify.theory.energy") is not None


@pytest.mark.skipif(not energy_present, reason="lrinit_verify.theory.energy is not available")
def test_critical_limit_search_finds_a_confirmed_counterexample():
    res = search.critical_limit_errors(tol=0.01, seed=0, max_examples=60)
    assert res.found and res.confirmed and res.value > 0.01
    n, t = res.example
    assert 64 <= n and 0.5 <= t / n**0.5 <= 2


@pytest.mark.skipif(not energy_present, reason="lrinit_verify.theory.energy is not available")
@given(st.just((64, 9)))
@example((64, 9))  # shrunk finding: |S_{64,9}/F(9/8) - 1| ≈ 0.0126 > 1 %
def test_critical_limit_error_at_the_pinned_example(nt):
    assert search.critical_error(*nt) > 0.01


@pytest.mark.rigorous
def test_transient_certificate_uses_a_column_norm_lower_bound():
    """Regression: ||W||_2 = 2 with every entry <= 1 (nilpotent, rho = 0) must be certified."""
    W = np.array([[0.0, 0.0, -1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    assert search._certify_transient(W, 1, 0.9) is True
    assert search._certify_transient(0.5 * np.eye(2), 1, 0.9) is False  # companion: no growth
