"""torch in-place initialisers: torch.nn.init conventions and equality in law with the numpy ones."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats

torch = pytest.importorskip("torch")

from lrinit_verify.sampling import init, torch_init
from lrinit_verify.theory import edge
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale

N = 256


def _gen(seed, device="cpu"):
    return torch.Generator(device=device).manual_seed(seed)


PAIRS = [
    pytest.param(torch_init.rescaled_glorot_, lambda: init.rescaled_glorot(N, seed=10), id="rescaled"),
    pytest.param(torch_init.calibrated_glorot_, lambda: init.calibrated_glorot(N, seed=11), id="calibrated"),
    pytest.param(torch_init.halved_glorot_, lambda: init.halved_glorot(N, seed=12), id="halved"),
    pytest.param(
        torch_init.pytorch_rnn_default_, lambda: init.pytorch_rnn_default(N, seed=13), id="rnn-default"
    ),
    pytest.param(torch_init.glorot_, lambda: init.glorot(N, seed=14), id="glorot"),
]


@pytest.mark.parametrize("fill, reference", PAIRS)
def test_matches_numpy_in_distribution(fill, reference):
    """Two-sample KS on the entries, H0: same law, at TEST_ALPHA."""
    w = fill(torch.empty(N, N, dtype=torch.float64), generator=_gen(1))
    assert stats.ks_2samp(w.numpy().ravel(), reference().ravel()).pvalue >= TEST_ALPHA


def test_planted_bug_wrong_scale_is_detected():
    w = torch_init.rescaled_glorot_(torch.empty(N, N, dtype=torch.float64), generator=_gen(1))
    assert (
        stats.ks_2samp(1.1 * w.numpy().ravel(), init.rescaled_glorot(N, seed=10).ravel()).pvalue < TEST_ALPHA
    )


def test_orthogonal_and_complex():
    q = torch_init.orthogonal_(torch.empty(32, 32, dtype=torch.float64), generator=_gen(2))
    assert torch.allclose(q.T @ q, torch.eye(32, dtype=torch.float64), atol=1e-10)
    z = torch_init.rescaled_glorot_(torch.empty(N, N, dtype=torch.complex128), generator=_gen(3))
    ref = init.rescaled_glorot(N, field="complex", seed=3)
    assert stats.ks_2samp(z.real.numpy().ravel(), ref.real.ravel()).pvalue >= TEST_ALPHA


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_conventions(dtype):
    w = torch.nn.Parameter(torch.empty(N, N, dtype=dtype))
    out = torch_init.calibrated_glorot_(w, generator=_gen(4))
    assert out is w and out.dtype == dtype and out.grad_fn is None and w.requires_grad
    s = calibrated_scale(N, NOMINAL_PROBABILITY, field="real")
    assert abs(float(w.detach().double().pow(2).mean()) * N * s**2 - 1) < 0.05


def test_generator_none_uses_torch_default_rng():
    torch.manual_seed(123)
    a = torch_init.halved_glorot_(torch.empty(8, 8))
    torch.manual_seed(123)
    b = torch_init.halved_glorot_(torch.empty(8, 8))
    assert torch.equal(a, b)


def test_spectral_normalise_exact():
    w = torch_init.glorot_(torch.empty(64, 64, dtype=torch.float64), generator=_gen(5))
    torch_init.spectral_normalise_(w, radius=0.9)
    assert abs(float(torch_init.spectral_radius(w)) - 0.9) < 1e-12


def test_lru_ring_matches_numpy():
    nu, theta = torch.empty(4000, dtype=torch.float64), torch.empty(4000, dtype=torch.float64)
    torch_init.lru_ring_(nu, theta, r_min=0.4, r_max=0.9, max_phase=math.pi, generator=_gen(6))
    lam = torch.exp(-torch.exp(nu) + 1j * torch.exp(theta)).numpy()
    ref = init.lru_ring(4000, r_min=0.4, r_max=0.9, max_phase=math.pi, seed=6)
    assert stats.ks_2samp(np.abs(lam), np.abs(ref)).pvalue >= TEST_ALPHA
    assert stats.ks_2samp(np.angle(lam), np.angle(ref)).pvalue >= TEST_ALPHA


def test_diagonal_glorot_modulus_law():
    lam = torch_init.diagonal_glorot_(torch.empty(N, dtype=torch.complex128), generator=_gen(7))
    ref = init.diagonal_glorot(N, seed=7)
    assert stats.ks_2samp(np.abs(lam.numpy()), np.abs(ref)).pvalue >= TEST_ALPHA
    assert float(lam.abs().max()) < 1.2 * edge.rescale_factor(N) * 1.1


@pytest.mark.parametrize(
    "call, match",
    [
        pytest.param(
            lambda: torch_init.rescaled_glorot_(torch.empty(3, 4)), r"shape \(3, 4\)", id="not-square"
        ),
        pytest.param(
            lambda: torch_init.rescaled_glorot_(torch.empty(100, 100)), "n=100", id="undefined-width"
        ),
        pytest.param(lambda: torch_init.glorot_(torch.empty(4, 4, dtype=torch.int64)), "dtype", id="int"),
        pytest.param(lambda: torch_init.glorot_(np.zeros((4, 4))), "torch.Tensor", id="numpy"),
        pytest.param(
            lambda: torch_init.glorot_(torch.empty(4, 4), generator=3), "generator=3", id="generator"
        ),
        pytest.param(
            lambda: torch_init.pytorch_rnn_default_(torch.empty(4, 4, dtype=torch.complex64)),
            "real",
            id="complex-rnn",
        ),
        pytest.param(lambda: torch_init.spectral_normalise_(torch.zeros(3, 3)), "nilpotent", id="nilpotent"),
        pytest.param(
            lambda: torch_init.lru_ring_(torch.empty(3), torch.empty(4)), "must match", id="lru-shapes"
        ),
        pytest.param(lambda: torch_init.diagonal_glorot_(torch.empty(4)), "complex 1-D", id="diag-real"),
    ],
)
def test_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_cuda(dtype):
    g = _gen(8, device="cuda")
    w = torch_init.rescaled_glorot_(torch.empty(N, N, dtype=dtype, device="cuda"), generator=g)
    assert w.device.type == "cuda" and w.dtype == dtype
    ref = init.rescaled_glorot(N, seed=10).ravel()
    assert stats.ks_2samp(w.double().cpu().numpy().ravel(), ref).pvalue >= TEST_ALPHA
    torch_init.spectral_normalise_(w, radius=0.5)
    assert abs(float(torch_init.spectral_radius(w)) - 0.5) < 1e-4
    lam = torch_init.diagonal_glorot_(torch.empty(N, dtype=torch.complex64, device="cuda"), generator=g)
    assert lam.device.type == "cuda"
