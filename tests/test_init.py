"""numpy initialisers: scales, spectra, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats

from lrinit_verify.sampling import init
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale


def _variance_test(sample, variance):
    """Two-sided chi-square test of H0: E w^2 = variance for iid normal entries (TEST_ALPHA)."""
    x = np.ravel(sample)
    stat = np.sum(x**2) / variance
    p = 2 * min(stats.chi2.cdf(stat, len(x)), stats.chi2.sf(stat, len(x)))
    return p >= TEST_ALPHA


@pytest.mark.parametrize(
    "make, variance",
    [
        pytest.param(
            lambda: init.rescaled_glorot(256, seed=1), edge.rescale_factor(256) ** 2 / 256, id="rescaled"
        ),
        pytest.param(
            lambda: init.calibrated_glorot(256, seed=2),
            1 / (256 * calibrated_scale(256, NOMINAL_PROBABILITY, field="real") ** 2),
            id="calibrated",
        ),
        pytest.param(lambda: init.halved_glorot(256, seed=3), 1 / 512, id="halved"),
        pytest.param(lambda: init.pytorch_rnn_default(256, seed=4), None, id="rnn-default"),
    ],
)
def test_entry_variance(make, variance):
    w = make()
    if variance is None:  # uniform: KS against U(-1/sqrt n, 1/sqrt n)
        b = 1 / 16
        assert stats.kstest(w.ravel(), stats.uniform(-b, 2 * b).cdf).pvalue >= TEST_ALPHA
    else:
        assert _variance_test(w, variance)


def test_variance_test_planted_bug_fails():
    w = init.rescaled_glorot(256, seed=1)
    assert not _variance_test(w, 1.1 * edge.rescale_factor(256) ** 2 / 256)


def test_complex_rescaled_is_complex_with_unit_scaled_modulus():
    w = init.rescaled_glorot(256, field="complex", seed=0)
    assert w.dtype == np.complex128
    assert _variance_test(
        np.concatenate([w.real.ravel(), w.imag.ravel()]), edge.rescale_factor(256) ** 2 / 512
    )


def test_orthogonal_preserves_norm():
    q = init.orthogonal(32, seed=0)
    x = np.ones(32)
    assert math.isclose(np.linalg.norm(np.linalg.matrix_power(q, 1000) @ x), math.sqrt(32), rel_tol=1e-9)


def test_spectral_normalised_exact():
    w = init.glorot(64, seed=5)
    for r in (0.5, 1.0, 0.99):
        assert abs(init.spectral_radius(init.spectral_normalised(w, radius=r)) - r) < 1e-12


def test_lru_ring_law():
    lam = init.lru_ring(4000, r_min=0.4, r_max=0.9, max_phase=math.pi, seed=0)
    mod2 = np.abs(lam) ** 2
    assert stats.kstest(mod2, stats.uniform(0.16, 0.81 - 0.16).cdf).pvalue >= TEST_ALPHA
    assert stats.kstest(np.angle(lam), stats.uniform(0, math.pi).cdf).pvalue >= TEST_ALPHA
    # planted bug: modulus (not its square) uniform must be rejected
    assert stats.kstest(np.abs(lam), stats.uniform(0.4, 0.5).cdf).pvalue < TEST_ALPHA


def test_lru_parameters_roundtrip():
    lam = init.lru_ring(100, r_min=0.5, r_max=0.99, seed=1)
    nu, theta = init.lru_parameters(lam)
    assert np.allclose(np.exp(-np.exp(nu) + 1j * np.exp(theta)), lam)


def test_diagonal_glorot_is_spectrum():
    lam = init.diagonal_glorot(256, scaling="rescaled", seed=7)
    w = init.rescaled_glorot(256, seed=7)
    assert np.allclose(np.sort_complex(lam), np.sort_complex(np.linalg.eigvals(w).astype(complex)))


@pytest.mark.parametrize(
    "call, match",
    [
        pytest.param(lambda: init.rescaled_glorot(100, seed=0), "n=100", id="rescaled-undefined"),
        pytest.param(lambda: init.rescaled_glorot(256), "seed=None", id="no-randomness"),
        pytest.param(lambda: init.calibrated_glorot(64, p=1.5, seed=0), "p=1.5", id="p"),
        pytest.param(lambda: init.lru_ring(8, r_min=0.9, r_max=0.5, seed=0), "r_min=0.9", id="r-order"),
        pytest.param(lambda: init.lru_ring(8, r_max=1.5, seed=0), "r_max=1.5", id="r-max"),
        pytest.param(lambda: init.lru_ring(8, max_phase=7.0, seed=0), "max_phase=7.0", id="phase"),
        pytest.param(lambda: init.spectral_normalised(np.ones((2, 3))), r"shape \(2, 3\)", id="not-square"),
        pytest.param(lambda: init.spectral_normalised(np.eye(2), radius=-1), "radius=-1", id="radius"),
        pytest.param(
            lambda: init.spectral_normalised(np.triu(np.ones((3, 3)), 1)), "nilpotent", id="nilpotent"
        ),
        pytest.param(lambda: init.lru_parameters(np.array([1.5])), "unit disk", id="lru-outside"),
        pytest.param(lambda: init.diagonal_glorot(8, scaling="huge", seed=0), "scaling=", id="scaling"),
    ],
)
def test_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()
