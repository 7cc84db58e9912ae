"""Samplers: shapes, dtypes, exact structure, and variances at a stated false-failure probability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, strategies as st
from scipy import stats

import lrinit_verify as lv
from lrinit_verify.rigor.strategies import ensembles, fields, seeds, widths
from lrinit_verify.sampling.ensembles import sample_batch

VARIANCE = {"glorot": 1.0, "glorot_uniform": 1.0, "halved_glorot": 0.5, "orthogonal": 1.0}


@given(ensembles(), fields(), widths(max_value=24), st.integers(1, 3), seeds())
def test_shapes_and_dtypes(ensemble, field, n, trials, seed):
    out = sample_batch(ensemble, n, trials, field=field, seed=seed)
    assert out.shape == (trials, n, n)
    assert out.dtype == (np.float64 if field == "real" else np.complex128)
    assert np.all(np.isfinite(out))


@given(fields(), widths(max_value=32), seeds())
def test_orthogonal_is_exactly_orthogonal(field, n, seed):
    q = lv.orthogonal(n, field=field, seed=seed)
    assert np.allclose(q.conj().T @ q, np.eye(n), atol=1e-12)


def test_same_seed_same_matrix_and_rng_is_explicit():
    assert np.array_equal(lv.glorot(8, seed=5), lv.glorot(8, seed=5))
    rng = np.random.default_rng(5)
    assert np.array_equal(lv.glorot(8, rng=rng), lv.glorot(8, seed=5))


def _variance_interval(entries, dist, alpha):
    """Exact (normal: chi-square) or conservative (uniform: Hoeffding on x^2) interval for n*Var."""
    x = np.asarray(entries, dtype=np.float64).ravel()
    m = x.size
    if dist == "normal":
        q = np.sum(x**2)  # mean known to be 0: q / sigma^2 ~ chi2(m)
        return q / stats.chi2.ppf(1 - alpha / 2, m), q / stats.chi2.ppf(alpha / 2, m)
    bound = 3.0  # entries scaled to n*x^2 in [0, 3] for U(-sqrt(3), sqrt(3))
    eps = bound * math.sqrt(math.log(2 / alpha) / (2 * m))
    mean = float(np.mean(x**2))
    return mean - eps, mean + eps


def _scaled_entries(ensemble, field, n, seed, trials=400, sampler=sample_batch):
    """Entries times sqrt(n), split into real and imaginary parts (each of variance 1/2 if complex)."""
    w = sampler(ensemble, n, trials, field=field, seed=seed) * math.sqrt(n)
    if field == "real":
        return w, 1.0
    return np.concatenate([w.real.ravel(), w.imag.ravel()]), 0.5


@pytest.mark.parametrize("field", ["real", "complex"])
@pytest.mark.parametrize("ensemble", ["glorot", "glorot_uniform", "halved_glorot"])
def test_entry_variance(ensemble, field):
    entries, part = _scaled_entries(ensemble, field, 16, seed=11)
    dist = "uniform" if ensemble == "glorot_uniform" else "normal"
    target = VARIANCE[ensemble] * part
    scale = 1.0 / math.sqrt(target) if dist == "uniform" else 1.0
    lo, hi = _variance_interval(entries * scale, dist, TEST_ALPHA)
    expected = 1.0 if dist == "uniform" else target
    assert lo <= expected <= hi, (
        f"{ensemble}/{field}: variance interval [{lo:.4f}, {hi:.4f}] misses {expected}"
    )


def _buggy_sampler(ensemble, n, trials, *, field, seed):
    """Planted bug: variance 1.1/n instead of 1/n."""
    return sample_batch(ensemble, n, trials, field=field, seed=seed, scale=math.sqrt(1.1))


@pytest.mark.parametrize("field", ["real", "complex"])
def test_planted_bug_variance_1_1_over_n_is_caught(field):
    entries, part = _scaled_entries("glorot", field, 16, seed=11, sampler=_buggy_sampler)
    lo, hi = _variance_interval(entries, "normal", TEST_ALPHA)
    assert not lo <= part <= hi


def test_complex_parts_are_uncorrelated():
    w = sample_batch("glorot", 32, 100, field="complex", seed=2)
    # E[Re*Im] = 0: |sample correlation| < z * 1/sqrt(m) at TEST_ALPHA (normal approximation, m = 102400)
    r = np.corrcoef(w.real.ravel(), w.imag.ravel())[0, 1]
    assert abs(r) < stats.norm.ppf(1 - TEST_ALPHA / 2) / math.sqrt(w.size)


try:
    import torch
except ImportError:  # the torch extra is optional
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch extra not installed")


@needs_torch
@given(ensembles(), fields(), widths(max_value=16), seeds())
def test_torch_twin_shapes_and_dtypes(ensemble, field, n, seed):
    from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

    g = torch.Generator().manual_seed(seed)
    out = torch_batch(ensemble, n, 2, field=field, generator=g)
    assert tuple(out.shape) == (2, n, n)
    assert out.dtype == (torch.float64 if field == "real" else torch.complex128)


@needs_torch
@pytest.mark.parametrize("field", ["real", "complex"])
def test_torch_twin_variance(field):
    from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

    g = torch.Generator().manual_seed(4)
    w = torch_batch("glorot", 16, 400, field=field, generator=g).numpy() * 4.0
    entries = w if field == "real" else np.concatenate([w.real.ravel(), w.imag.ravel()])
    lo, hi = _variance_interval(entries, "normal", TEST_ALPHA)
    target = 1.0 if field == "real" else 0.5
    assert lo <= target <= hi


@needs_torch
def test_torch_twin_requires_a_generator():
    from lrinit_verify.sampling.torch_ensembles import sample_batch as torch_batch

    with pytest.raises(ValueError, match="generator=None"):
        torch_batch("glorot", 4, 1)
