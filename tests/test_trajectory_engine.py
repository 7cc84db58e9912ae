"""The blocked trajectory engine equals step-by-step renormalisation and stays finite at the edges;
its Hessenberg route has the law of the dense route.

Statistical assertions run at false-failure probability TEST_ALPHA (tests/_budget.py), each with a
planted-bug companion (an off-by-one subdiagonal law) that must be rejected.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, settings, strategies as st
from scipy import stats

import lrinit_verify.sampling._hessenberg as H
from lrinit_verify.montecarlo import trajectories as T
from lrinit_verify.montecarlo._backends import HessenbergOps, NumpyOps
from lrinit_verify.rigor.stats import median_of_means
from lrinit_verify.theory import energy as E


def _reference(w, x, t):
    """Per-step renormalisation, one matrix and one probe at a time (the obvious loop)."""
    out = np.zeros((x.shape[-1], t + 1))
    for j in range(x.shape[-1]):
        v = x[:, j].copy()
        for k in range(1, t + 1):
            v = w @ v
            sq = float(np.vdot(v, v).real)
            out[j, k] = out[j, k - 1] + math.log(sq)
            v /= math.sqrt(sq)
    return out


def _engine_and_inputs(n, t, size, probes, field, scale, ensemble="glorot", stride=1):
    child = np.random.SeedSequence(7)
    plan = T._plan(
        "power", n, t, size, probes=probes, ensemble=ensemble, field=field, scale=scale, stride=stride
    )
    got = T._power_chunk(NumpyOps(child, field), plan, size)
    replay = NumpyOps(child, field)  # the same stream: same matrices, same probes
    w = replay.matrices(ensemble, n, size, scale)
    x = T._unit_columns(replay, size, n, probes)
    return got, w, x


@given(
    st.integers(1, 12),
    st.integers(0, 80),
    st.sampled_from(["real", "complex"]),
    st.floats(0.3, 3.0),
    st.integers(1, 3),
)
@settings(max_examples=30, deadline=None)
def test_blocked_engine_equals_stepwise(n, t, field, scale, stride):
    got, w, x = _engine_and_inputs(n, t, 2, 3, field, scale, stride=stride)
    for b in range(2):
        want = _reference(w[b], x[b], t)[:, ::stride]
        assert np.allclose(got[b], want, rtol=1e-11, atol=1e-9)


def test_contracting_matrix_falls_back_to_small_blocks():
    # ||W^k x||^2 = 1e-14 per step: a 32-step block would underflow to 0; the engine adapts
    got, _, _ = _engine_and_inputs(5, 200, 2, 2, "real", 1e-7, ensemble="orthogonal")
    assert np.allclose(got[:, :, -1], 200 * 2 * math.log(1e-7), rtol=1e-12)


def test_block_length_bounds_growth():
    assert T.block_length(math.log(3.0), 1, 64, 8) == 32
    assert T.block_length(math.log(1e10), 1, 64, 8) == 12  # 1e10^12 = 1e120 < 2^400
    assert T.block_length(0.0, 10**6, 512, 64) == 1  # memory bound


class _Nilpotent(NumpyOps):
    def matrices(self, ensemble, n, size, scale):
        return np.broadcast_to(np.eye(n, k=-1), (size, n, n)).copy()


def test_nilpotent_matrix_gives_minus_infinity_not_nan():
    plan = T._plan("power", 4, 10, 1, probes=2)
    out = T._power_chunk(_Nilpotent(np.random.SeedSequence(0), "real"), plan, 1)
    assert not np.isnan(out).any()
    assert np.isneginf(out[:, :, 4:]).all() and np.isfinite(out[:, :, :4]).all()


def test_chunks_in_parallel_are_reproducible():
    a = T.energy_trajectories(32, 40, 64, probes=2, seed=3, mem_cap=2**16)
    b = T.energy_trajectories(32, 40, 64, probes=2, seed=3, mem_cap=2**16)
    assert np.array_equal(a, b)


def test_torch_blocked_engine_matches_numpy_exactly_on_orthogonal():
    pytest.importorskip("torch")
    out = T.energy_trajectories(
        6, 300, 3, ensemble="orthogonal", scale=1e-7, seed=0, backend="torch", device="cpu"
    )
    assert np.allclose(out[:, 0, -1], 300 * 2 * math.log(1e-7), rtol=1e-12)


@pytest.mark.gpu
def test_cuda_blocked_engine_keeps_exact_rates():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    out = T.energy_trajectories(
        64, 500, 8, probes=4, ensemble="orthogonal", scale=1e-7, seed=0, backend="torch", device="cuda"
    )
    assert np.allclose(out[:, :, -1], 500 * 2 * math.log(1e-7), rtol=1e-12)
    a = T.energy_trajectories(16, 40, 4, probes=2, seed=1, backend="torch", device="cuda")
    assert np.isfinite(a).all() and a.shape == (4, 2, 41)


# --- Hessenberg route: same law of trajectories, half the flops per step ---------------------


@given(
    st.integers(1, 24),
    st.integers(1, 5),
    st.integers(1, 4),
    st.sampled_from(["real", "complex"]),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=30, deadline=None)
def test_hessenberg_matmul_equals_dense_product(n, p, size, field, fortran_blocks, seed):
    h = H.sample_hessenberg("glorot", n, size, field=field, seed=seed)
    x = np.random.default_rng(seed).standard_normal((size, n, p)).astype(h.dtype)
    out = HessenbergOps.empty((size, n, p), x) if fortran_blocks else np.empty_like(x)
    T.hessenberg_matmul(h, x, out)
    assert np.allclose(out, h @ x, rtol=1e-12, atol=1e-12)


def test_hessenberg_blocked_engine_equals_stepwise():
    child = np.random.SeedSequence(11)
    plan = T._plan("power", 9, 60, 2, probes=3, field="complex", scale=1.3)
    got = T._power_chunk(HessenbergOps(child, "complex"), plan, 2)
    replay = HessenbergOps(child, "complex")
    h = replay.matrices("glorot", 9, 2, 1.3)
    x = T._unit_columns(replay, 2, 9, 3)
    for b in range(2):
        assert np.allclose(got[b], _reference(h[b], x[b], 60), rtol=1e-11, atol=1e-9)


def _final_logs(route, seed, n=32, t=8, m=2000):
    return T.energy_trajectories(n, t, m, seed=seed, route=route)[:, 0, -1]


def test_hessenberg_route_matches_dense_route_in_law():
    """Two-sample KS of log||W^8 x||^2 (n = 32, real), P(false failure) <= TEST_ALPHA."""
    assert stats.ks_2samp(_final_logs("hessenberg", 1), _final_logs("dense", 2)).pvalue > TEST_ALPHA


def _mean_matches_exact(n=16, t=3, m=12000, seed=0):
    """Median-of-means with the exact variance against S_{n,t} (complex), as in test_energy_mc."""
    x = np.exp(T.energy_trajectories(n, t, m, field="complex", seed=seed, route="hessenberg")[:, 0, -1])
    _, (lo, hi) = median_of_means(x, math.sqrt(float(E.energy_variance(n, t))), TEST_ALPHA)
    return lo <= float(E.energy_exact(n, t)) <= hi


def test_hessenberg_route_mean_energy_is_exact():
    """P(false failure) <= TEST_ALPHA."""
    assert _mean_matches_exact()


def _off_by_one(n, trials, field, rng):
    dof = np.arange(n, 1, -1, dtype=float)
    if field == "real":
        return np.sqrt(rng.chisquare(dof, size=(trials, n - 1)))
    return np.sqrt(rng.gamma(dof, 1.0, size=(trials, n - 1)))


def test_planted_subdiagonal_bug_is_caught_by_the_energy_checks(monkeypatch):
    monkeypatch.setattr(H, "subdiagonal", _off_by_one)
    assert not _mean_matches_exact()
    assert stats.ks_2samp(_final_logs("hessenberg", 1), _final_logs("dense", 2)).pvalue <= TEST_ALPHA


def test_trajectory_route_resolution():
    assert T.resolve_route("auto", "glorot", 512, trials=4) == "hessenberg"
    assert T.resolve_route("auto", "glorot", 512, trials=1) == "dense"
    assert T.resolve_route("auto", "orthogonal", 512, trials=4) == "dense"
    with pytest.raises(ValueError, match="route='hessenberg'.*backend='torch'"):
        T.energy_trajectories(8, 2, 2, seed=0, backend="torch", route="hessenberg")
    with pytest.raises(ValueError, match="route='fast'"):
        T.energy_trajectories(8, 2, 2, seed=0, route="fast")
