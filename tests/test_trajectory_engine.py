"""The blocked trajectory engine equals step-by-step renormalisation, and stays finite at the edges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrinit_verify import trajectories as T


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
    got = T._power_chunk(T._NumpyOps(child, field), {"scale": scale, "block_bytes": T.BLOCK_BYTES}, size, ensemble, n, t, probes, stride)
    replay = T._NumpyOps(child, field)  # the same stream: same matrices, same probes
    w = replay.matrices(ensemble, n, size, scale)
    x = T._unit_columns(replay, size, n, probes)
    return got, w, x


@given(st.integers(1, 12), st.integers(0, 80), st.sampled_from(["real", "complex"]),
       st.floats(0.3, 3.0), st.integers(1, 3))
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


class _Nilpotent(T._NumpyOps):
    def matrices(self, ensemble, n, size, scale):
        return np.broadcast_to(np.eye(n, k=-1), (size, n, n)).copy()


def test_nilpotent_matrix_gives_minus_infinity_not_nan():
    out = T._power_chunk(_Nilpotent(np.random.SeedSequence(0), "real"), {"scale": 1.0, "block_bytes": T.BLOCK_BYTES}, 1, "glorot", 4, 10, 2, 1)
    assert not np.isnan(out).any()
    assert np.isneginf(out[:, :, 4:]).all() and np.isfinite(out[:, :, :4]).all()


def test_chunks_in_parallel_are_reproducible():
    a = T.energy_trajectories(32, 40, 64, probes=2, seed=3, mem_cap=2**16)
    b = T.energy_trajectories(32, 40, 64, probes=2, seed=3, mem_cap=2**16)
    assert np.array_equal(a, b)


def test_torch_blocked_engine_matches_numpy_exactly_on_orthogonal():
    pytest.importorskip("torch")
    out = T.energy_trajectories(6, 300, 3, ensemble="orthogonal", scale=1e-7, seed=0, backend="torch", device="cpu")
    assert np.allclose(out[:, 0, -1], 300 * 2 * math.log(1e-7), rtol=1e-12)


@pytest.mark.gpu
def test_cuda_blocked_engine_keeps_exact_rates():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    out = T.energy_trajectories(64, 500, 8, probes=4, ensemble="orthogonal", scale=1e-7, seed=0,
                                backend="torch", device="cuda")
    assert np.allclose(out[:, :, -1], 500 * 2 * math.log(1e-7), rtol=1e-12)
    a = T.energy_trajectories(16, 40, 4, probes=2, seed=1, backend="torch", device="cuda")
    assert np.isfinite(a).all() and a.shape == (4, 2, 41)
