"""Exact spectral-radius law of real Glorot matrices (lrinit_verify.theory.real_law).

Routes compared: float64 Pfaffian (normalised basis, polar factorisation, trailing block) vs an mpmath
oracle (monomial basis, Cartesian quadrature, cofactor Pfaffian); dense vs trailing block; closed-form
identities (Edelman); Monte Carlo (DKW band, planted scale shift); the shipped MC calibration file.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _budget import TEST_ALPHA
from hypothesis import given, strategies as st

from lrinit_verify.rigor.stats import dkw_epsilon
from lrinit_verify.theory import _real_gram as gram, edge
from lrinit_verify.theory._real_oracle import real_radius_cdf_mp
from lrinit_verify.theory._real_pfaffian import log_pfaffian_nonnegative, pfaffian_parlett_reid
from lrinit_verify.theory.real_law import (
    real_log_radius_cdf,
    real_radius_cdf,
    real_radius_cdf_array,
    real_radius_quantile,
    real_radius_sf,
)
from lrinit_verify.theory.rescale import NOMINAL_PROBABILITY, calibrated_scale, real_calibration

# REAL_GINIBRE.md §6(a): computed independently (mpmath, 30 digits), printed to 12 digits.
TABLE = [
    (2, 0.6, 0.243200802254),
    (2, 0.8, 0.427143961190),
    (2, 1.0, 0.605038038501),
    (2, 1.2, 0.750121280703),
    (2, 1.5, 0.891624506863),
    (3, 0.6, 0.115649582090),
    (3, 0.8, 0.314930072605),
    (3, 1.0, 0.551976351050),
    (3, 1.2, 0.748324302002),
    (3, 1.5, 0.916488873978),
    (4, 0.6, 0.050742714734),
    (4, 0.8, 0.232655537647),
    (4, 1.0, 0.513020680963),
    (4, 1.2, 0.753666853345),
    (4, 1.5, 0.936333480450),
    (5, 1.0, 0.481771883014),
    (6, 1.0, 0.455641411243),
]


@pytest.mark.parametrize("n, r, expected", TABLE)
def test_reference_table(n, r, expected):
    assert abs(real_radius_cdf(r, n) - expected) <= 5.1e-13  # half a unit in the 12th digit


@pytest.mark.parametrize("n, r", [(1, 0.4), (2, 0.7), (2, 1.4), (3, 0.7), (3, 1.4), (4, 1.1)])
def test_float64_matches_mpmath_oracle(n, r):
    exact = float(real_radius_cdf_mp(r, n, dps=30))
    assert abs(real_radius_cdf(r, n) / exact - 1.0) < 1e-13


@pytest.mark.slow
@pytest.mark.parametrize(
    "n, r", [(5, 0.9), (6, 0.5), (6, 1.3), (7, 0.8), (7, 1.2), (8, 0.6), (8, 1.0), (8, 1.4)]
)
def test_float64_matches_mpmath_oracle_slow(n, r):
    exact = float(real_radius_cdf_mp(r, n, dps=30))
    assert abs(real_radius_cdf(r, n) / exact - 1.0) < 1e-13


def test_n1_is_the_gaussian_law():
    for r in (0.1, 1.0, 2.5):
        assert math.isclose(real_radius_cdf(r, 1), math.erf(r / math.sqrt(2)), rel_tol=1e-14)


def _infinity_plan(n):
    return gram.make_plan(math.sqrt(n) + 40.0, n, 1e-14, "dense")


def _pair_matrix(n):
    J = np.zeros((n, n))
    for j in range(0, n - 1, 2):
        J[j, j + 1], J[j + 1, j] = 1.0, -1.0
    return J


@pytest.mark.parametrize("n", [2, 7, 12, 13, 40])
def test_gram_at_infinity_is_J_and_pfaffian_one(n):
    U = gram.gram(_infinity_plan(n))
    assert np.max(np.abs(U[:n, :n] - _pair_matrix(n))) < 1e-13
    sign, log_pf = pfaffian_parlett_reid(U)
    norm = gram.border_normaliser(n) if n % 2 else 1.0
    assert sign == 1.0 and abs(math.exp(log_pf) / norm - 1.0) < 1e-12


@pytest.mark.parametrize("n", range(2, 13))
def test_edelman_all_real_from_real_axis_block(n):
    U = gram.gram(_infinity_plan(n), parts="real")
    sign, log_pf = pfaffian_parlett_reid(U)
    log_norm = math.log(gram.border_normaliser(n)) if n % 2 else 0.0
    assert sign == 1.0
    assert abs(math.exp(log_pf - log_norm) / edge.prob_all_real(n) - 1.0) < 1e-12


@pytest.mark.parametrize("n, expected", [(2, 1 - 1 / math.sqrt(2)), (4, 9 / 8 - 11 * math.sqrt(2) / 16)])
def test_edelman_no_real_eigenvalue_from_complex_block(n, expected):
    sign, log_pf = pfaffian_parlett_reid(gram.gram(_infinity_plan(n), parts="complex"))
    assert sign == 1.0 and abs(math.exp(log_pf) / expected - 1.0) < 1e-13


@pytest.mark.parametrize("n", [64, 65, 200, 256, 257])
@pytest.mark.parametrize("r", [0.97, 1.0, 1.08])
def test_trailing_block_equals_dense(n, r):
    dense = real_log_radius_cdf(r, n, route="dense")
    assert abs(real_log_radius_cdf(r, n) - dense) < 1e-10


@pytest.mark.slow
@pytest.mark.parametrize("n", [1023, 1024])
def test_trailing_block_equals_dense_slow(n):
    for r in (0.98, 1.0, 1.03):
        assert abs(real_log_radius_cdf(r, n) - real_log_radius_cdf(r, n, route="dense")) < 1e-10


def test_slogdet_and_parlett_reid_agree_on_a_trailing_block():
    U = gram.gram(gram.make_plan(1.0 * math.sqrt(301), 301, 1e-12, "edge"))
    sign, log_pf = pfaffian_parlett_reid(U)
    assert sign == 1.0 and abs(log_pf - log_pfaffian_nonnegative(U)) < 1e-11


@given(n=st.integers(1, 48), r=st.floats(0.3, 2.0), dr=st.floats(1e-3, 0.3))
def test_cdf_is_a_distribution_function(n, r, dr):
    """Monotone up to the absolute resolution 1e-12 (= tol); e.g. F(2.0, 50) = 1 - 1.5e-14 in rounding."""
    lo, hi = real_radius_cdf(r, n), real_radius_cdf(r + dr, n)
    assert 0.0 <= lo <= hi + 1e-12 and hi <= 1.0
    assert math.isclose(real_radius_sf(r, n), 1.0 - lo, abs_tol=1e-15)


@given(n=st.integers(1, 80), r=st.floats(0.6, 1.6))
def test_edge_route_equals_dense(n, r):
    dense, fast = real_log_radius_cdf(r, n, route="dense"), real_log_radius_cdf(r, n)
    assert abs(fast - dense) < 1e-10 + 1e-13 * abs(dense)


@given(n=st.integers(16, 120), r=st.floats(0.9, 1.3))
def test_no_parity_artefact(n, r):
    """Odd (bordered) and even Pfaffians interleave smoothly in n: measured second differences are
    below 2e-3 for n >= 15; a wrong odd normaliser (even by 1 %) breaks this bound."""
    f = [real_radius_cdf(r, m) for m in (n - 1, n, n + 1)]
    assert abs(f[0] - 2 * f[1] + f[2]) < 5e-3


def test_quantile_inverts_cdf_and_matches_calibrated_scale():
    for n, p in ((1, 0.3), (9, NOMINAL_PROBABILITY), (100, 0.02), (300, 0.99)):
        s = real_radius_quantile(p, n)
        assert abs(real_radius_cdf(s, n) - p) < 1e-11
        assert calibrated_scale(n, p, field="real") == s


def test_edge_module_dispatch():
    assert edge.spectral_radius_cdf(1.0, 4, field="real") == real_radius_cdf(1.0, 4)
    assert edge.spectral_radius_sf(1.0, 4, field="real") == real_radius_sf(1.0, 4)
    assert edge.prob_radius_exceeds(4, field="real") == real_radius_sf(1.0, 4)
    assert (
        edge.spectral_radius_cdf_array([0.5, 1.0], 4, field="real").tolist()
        == real_radius_cdf_array([0.5, 1.0], 4).tolist()
    )
    assert edge.spectral_radius_cdf(1.0, 4) != edge.spectral_radius_cdf(
        1.0, 4, field="real"
    )  # complex unchanged


# --- Monte Carlo: DKW band on the whole CDF, with a planted scale shift -----------------------------

MC_N, MC_M, MC_SEED, CELLS = 10, 20000, 20260513, 400


@pytest.fixture(scope="module")
def real_radii():
    rng = np.random.default_rng(MC_SEED)
    G = rng.standard_normal((MC_M, MC_N, MC_N)) / math.sqrt(MC_N)
    return np.sort(np.abs(np.linalg.eigvals(G)).max(axis=1))


def _grid(radii):
    """Sample quantiles (so that F_m moves by 1/CELLS per cell), closed by r = 0 and r = 2 max."""
    inner = radii[np.linspace(0, len(radii) - 1, CELLS).astype(int)]
    return np.concatenate([[0.0], inner, [2.0 * radii[-1]]])


def _empirical(radii, x, side="right"):
    return np.searchsorted(radii, x, side=side) / len(radii)


def _ks_upper_bound(radii, grid, cdf_grid):
    """sup_x |F_m(x) - F(x)| <= max over cells [g_i, g_i+1] of F_m(g_i+1-) - F(g_i) and F(g_i+1) - F_m(g_i)
    (both monotone; the grid covers every sample)."""
    f_m_left, f_m = _empirical(radii, grid, "left"), _empirical(radii, grid)
    return max(np.max(f_m_left[1:] - cdf_grid[:-1]), np.max(cdf_grid[1:] - f_m[:-1]), 0.0)


def test_monte_carlo_within_dkw_band(real_radii):
    """H0: radii ~ exact law. False failure <= TEST_ALPHA (DKW, Massart; grid bound is conservative)."""
    grid = _grid(real_radii)
    d = _ks_upper_bound(real_radii, grid, real_radius_cdf_array(grid, MC_N))
    eps = dkw_epsilon(MC_M, alpha=TEST_ALPHA)
    assert d <= eps, f"KS distance <= {d:.4f} exceeds DKW band {eps:.4f} (n={MC_N}, seed={MC_SEED})"


def test_monte_carlo_rejects_planted_scale_shift(real_radii):
    """Planted bug: the law of 1.03 W (a 3 % scale error). Its KS distance (lower bound at grid points)
    must exceed the same DKW band."""
    grid = _grid(real_radii)[1:-1]
    d_lower = float(np.max(np.abs(_empirical(real_radii, grid) - real_radius_cdf_array(grid / 1.03, MC_N))))
    assert d_lower > dkw_epsilon(MC_M, alpha=TEST_ALPHA)


# --- the shipped Monte Carlo calibration as an independent witness ---------------------------------


def _misses(cdf, levels):
    cal = real_calibration()
    out = total = 0
    for rec in cal["widths"]:
        for j, p in enumerate(cal["levels"]):
            if p not in levels:
                continue
            lo, hi = rec["lower"][j], rec["upper"][j]
            total += 1
            out += not (
                (0.0 if lo is None else cdf(lo, rec["n"])) <= p <= (1.0 if hi is None else cdf(hi, rec["n"]))
            )
    return out, total


FAST_LEVELS = (0.1, 0.5, NOMINAL_PROBABILITY, 0.9)


def test_calibration_file_contains_exact_quantiles():
    """Deterministic witness (the file is fixed): each interval had >= 99 % coverage when drawn, so
    about 1 % may miss; all 28 checked here contain the exact quantile (1 of all 357 misses, slow)."""
    misses, total = _misses(real_radius_cdf, FAST_LEVELS)
    assert total == 28 and misses == 0


def test_calibration_file_rejects_complex_law():
    """Planted bug: the complex (Kostlan) law in place of the real one misses most intervals."""
    misses, total = _misses(edge.spectral_radius_cdf, FAST_LEVELS)
    assert misses >= total // 2


@pytest.mark.slow
def test_calibration_file_all_levels():
    misses, total = _misses(real_radius_cdf, set(real_calibration()["levels"]))
    assert total == 357 and misses <= 7  # expected ~ 0.01 * 357 = 3.6 under the exact law


@pytest.mark.parametrize(
    "call, match",
    [
        pytest.param(lambda: real_radius_cdf(-1.0, 4), "r=-1.0", id="r"),
        pytest.param(lambda: real_radius_cdf(1.0, 0), "n=0", id="n"),
        pytest.param(lambda: real_radius_cdf(1.0, 4, tol=0.1), "tol=0.1", id="tol"),
        pytest.param(lambda: real_radius_cdf(1.0, 4, route="fast"), "route='fast'", id="route"),
        pytest.param(lambda: real_radius_quantile(1.0, 4), "p=1.0", id="p"),
        pytest.param(lambda: real_radius_cdf_array([1.0, -2.0], 4), "r=", id="array"),
        pytest.param(lambda: real_radius_cdf_mp(1.0, 11), "n=11", id="oracle-n"),
    ],
)
def test_invalid_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()
