"""Monte Carlo engine: chunking under a memory cap, reproducibility, backends agree in law."""

from __future__ import annotations

import os

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats

import lrinit_verify as lv
from lrinit_verify.montecarlo.simulate import _BYTES_PER_ENTRY, MAX_WORKERS, chunk_size

try:
    import torch
except ImportError:  # the torch extra is optional
    torch = None


def test_chunk_size_respects_memory_cap():
    n = 256
    cap = 50 * 2**20
    c = chunk_size(n, 10**6, cap)
    assert c >= 1
    assert MAX_WORKERS * c * _BYTES_PER_ENTRY * n * n <= cap
    assert chunk_size(n, 3, cap) == 1  # 3 trials: one per chunk, so the workers share them
    assert chunk_size(16, 400, cap) == 25  # at least MIN_CHUNKS = 16 chunks


def test_results_do_not_depend_on_workers():
    a = lv.spectral_radii(16, 300, seed=9, mem_cap=2**20, workers=1, route="eigvals")
    b = lv.spectral_radii(16, 300, seed=9, mem_cap=2**20, workers=2, route="eigvals")
    assert np.array_equal(a, b)


def test_small_memory_cap_still_completes_many_trials():
    progress = []
    cap = 32 * 32 * _BYTES_PER_ENTRY * 7 * MAX_WORKERS
    r = lv.spectral_radii(32, 500, seed=1, mem_cap=cap, progress=progress.append, route="eigvals")
    assert r.shape == (500,)
    assert sum(progress) == 500
    assert max(progress) <= 7


def test_spectra_have_conjugate_pairs_for_real_matrices():
    eig = lv.spectra(9, 20, field="real", seed=2)
    for row in eig:
        assert np.allclose(np.sort_complex(row), np.sort_complex(row.conj()), atol=1e-10)


def test_count_real_eigenvalues_odd_width_has_at_least_one():
    counts = lv.count_real_eigenvalues(lv.spectra(7, 200, field="real", seed=3))
    assert counts.min() >= 1 and np.all(counts % 2 == 1)


@pytest.mark.skipif(torch is None, reason="torch extra not installed")
def test_torch_backend_matches_numpy_in_distribution():
    """Two-sample KS test of radii (exact p-value), false-failure probability TEST_ALPHA."""
    a = lv.spectral_radii(24, 1500, field="complex", seed=1, route="eigvals")
    b = lv.spectral_radii(24, 1500, field="complex", seed=2, backend="torch", device="cpu")
    assert stats.ks_2samp(a, b).pvalue > TEST_ALPHA


@pytest.mark.skipif(torch is None, reason="torch extra not installed")
def test_planted_bug_torch_scale_is_caught():
    a = lv.spectral_radii(24, 1500, field="complex", seed=1, route="eigvals")
    b = lv.spectral_radii(24, 1500, field="complex", seed=2, backend="torch", device="cpu", scale=1.05)
    assert stats.ks_2samp(a, b).pvalue <= TEST_ALPHA


@pytest.mark.gpu
@pytest.mark.skipif(torch is None or not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_backend_matches_numpy_in_distribution():
    a = lv.spectral_radii(64, 1000, field="real", seed=1, route="eigvals")
    b = lv.spectral_radii(64, 1000, field="real", seed=2, backend="torch", device="cuda")
    assert stats.ks_2samp(a, b).pvalue > TEST_ALPHA


def _rss_growth(mem_cap: int, trials: int = 6000, n: int = 64, route: str = "dense") -> int:
    """Peak-RSS growth (bytes) of a fresh process computing ``trials`` complex spectra.

    The dense route holds whole chunks of matrices, so it is the one the cap governs; the
    Hessenberg route samples in small sub-batches whatever the cap (checked separately).

    Reads VmHWM from /proc (the high-water mark of this process's own memory map): ``ru_maxrss``
    is not usable here because Linux carries it over from the forking pytest process across exec.
    """
    import subprocess
    import sys

    code = (
        "import lrinit_verify as lv\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) * 1024\n"
        "lv.spectral_radii(8, 10, seed=0)\n"
        "base = hwm()\n"
        f"lv.spectral_radii({n}, {trials}, field='complex', seed=1, mem_cap={mem_cap}, route={route!r})\n"
        "print(hwm() - base)\n"
    )
    return int(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )


needs_proc = pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")


CAP = 32 * 2**20
OUTPUT_BYTES = 6000 * 64 * 16


@needs_proc
def test_peak_memory_stays_under_the_cap():
    """6000 complex 64x64 matrices (400 MB if held at once) with a 32 MiB cap."""
    grown = _rss_growth(CAP)
    assert grown < CAP + 2 * OUTPUT_BYTES, f"RSS grew by {grown / 2**20:.0f} MiB"


@needs_proc
def test_planted_bug_ignoring_the_cap_is_detected():
    """Companion: the same measurement with the whole batch in one chunk exceeds the bound."""
    grown = _rss_growth(2**34)
    assert grown >= CAP + 2 * OUTPUT_BYTES


@needs_proc
def test_hessenberg_route_memory_is_bounded_even_without_a_cap():
    grown = _rss_growth(2**34, route="hessenberg")
    assert grown < CAP + 2 * OUTPUT_BYTES, f"RSS grew by {grown / 2**20:.0f} MiB"
