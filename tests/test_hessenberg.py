"""Hessenberg model of Gaussian Glorot + LAPACK ``?hseqr``: same spectral law as the dense route.

Statistical assertions run at false-failure probability TEST_ALPHA (tests/_budget.py); each has a
planted-bug companion (a wrong subdiagonal law) that must be rejected by the same test.
"""

from __future__ import annotations

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, settings, strategies as st
from scipy import stats

import lrinit_verify.sampling._hessenberg as H
from lrinit_verify.montecarlo._lapack import hessenberg_eigvals
from lrinit_verify.montecarlo.simulate import resolve_route, spectral_radii
from lrinit_verify.theory.edge import spectral_radius_cdf_array


def _off_by_one(n, trials, field, rng):
    """Planted bug: degrees of freedom n-k instead of n-1-k (one too many on every subdiagonal)."""
    dof = np.arange(n, 1, -1, dtype=float)
    if field == "real":
        return np.sqrt(rng.chisquare(dof, size=(trials, n - 1)))
    return np.sqrt(rng.gamma(dof, 1.0, size=(trials, n - 1)))


def _half_normal(n, trials, field, rng):
    """Planted bug: |N(0, 1)| * sqrt(n - 1 - k) subdiagonals (right mean square, wrong law)."""
    dof = np.arange(n - 1, 0, -1, dtype=float)
    return np.abs(rng.standard_normal((trials, n - 1))) * np.sqrt(dof)


def _kostlan_p(n=32, trials=2000, seed=1):
    r = spectral_radii(n, trials, field="complex", seed=seed, route="hessenberg")
    return stats.kstest(r, lambda x: spectral_radius_cdf_array(x, n)).pvalue


def _two_sample_p(n=32, trials=2000):
    a = spectral_radii(n, trials, field="real", seed=2, route="hessenberg")
    b = spectral_radii(n, trials, field="real", seed=3, route="dense")
    return stats.ks_2samp(a, b).pvalue


def test_structure_and_layout():
    h = H.sample_hessenberg("glorot", 7, 3, field="complex", seed=0)
    assert h.shape == (3, 7, 7) and h.dtype == np.complex128
    assert np.all(np.tril(h, -2) == 0)
    sub = np.diagonal(h, -1, 1, 2)
    assert np.all(sub.imag == 0) and np.all(sub.real > 0)
    assert all(m.flags.f_contiguous for m in h)


def test_complex_radii_follow_kostlan_exactly():
    """One-sample KS against the exact law (exact p-value), P(false failure) <= TEST_ALPHA."""
    assert _kostlan_p() > TEST_ALPHA


def test_real_radii_match_dense_route():
    """Two-sample KS, Hessenberg model vs dense Glorot, P(false failure) <= TEST_ALPHA."""
    assert _two_sample_p() > TEST_ALPHA


@pytest.mark.parametrize("bug", [_off_by_one, _half_normal])
def test_planted_subdiagonal_bugs_are_caught(monkeypatch, bug):
    monkeypatch.setattr(H, "subdiagonal", bug)
    assert _kostlan_p() <= TEST_ALPHA
    assert _two_sample_p() <= TEST_ALPHA


def test_reversed_subdiagonal_is_not_a_bug():
    """Flip-transpose J H^T J reverses the subdiagonal and keeps the iid upper part: same law.

    A reversed order is therefore *correct* (a check that flagged it would be wrong); this pins
    that reasoning down on one matrix exactly.
    """
    h = H.sample_hessenberg("glorot", 6, 1, seed=5)[0]
    flipped = np.flip(h.T)  # J H^T J
    assert np.allclose(np.diagonal(flipped, -1), np.diagonal(h, -1)[::-1])
    assert np.allclose(np.sort_complex(np.linalg.eigvals(flipped)), np.sort_complex(np.linalg.eigvals(h)))


@given(st.integers(1, 40), st.sampled_from(["real", "complex"]), st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_hseqr_matches_eigvals(n, field, seed):
    h = H.sample_hessenberg("glorot", n, 2, field=field, seed=seed)
    before = h.copy()
    got = hessenberg_eigvals(h)
    assert np.array_equal(h, before)  # overwrite=False leaves the input alone
    want = np.linalg.eigvals(np.ascontiguousarray(h))
    for g, w in zip(got, want):
        assert np.allclose(np.sort_complex(g), np.sort_complex(w), atol=1e-9 * max(1.0, np.abs(w).max()))


def test_lapack_rejects_non_square():
    with pytest.raises(ValueError, match=r"h.shape=\(3, 4\)"):
        hessenberg_eigvals(np.zeros((3, 4)))


def test_route_resolution_and_errors():
    assert resolve_route("auto", "glorot", 8) == "dense"  # below HESSENBERG_MIN_N
    assert resolve_route("auto", "halved_glorot", 64) == "hessenberg"
    assert resolve_route("auto", "glorot", 64, backend="torch") == "dense"
    with pytest.raises(ValueError, match="route='hessenberg'.*ensemble='orthogonal'"):
        resolve_route("hessenberg", "orthogonal", 64)
    with pytest.raises(ValueError, match="route='fast'"):
        spectral_radii(8, 2, seed=0, route="fast")


def test_invalid_sampler_arguments():
    with pytest.raises(ValueError, match="ensemble='glorot_uniform'"):
        H.sample_hessenberg("glorot_uniform", 4, 1, seed=0)
    with pytest.raises(ValueError, match="n=0"):
        H.sample_hessenberg("glorot", 0, 1, seed=0)
