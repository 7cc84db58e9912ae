r"""Exact and Monte Carlo tools shared by the real-Glorot claims (:mod:`lrinit_verify.claims.real`).

* :func:`log_cdf` — cached :math:`\log P(\rho(W) \le r)`, real (Sinclair's Pfaffian) or complex (Kostlan);
* :func:`width_grid` — every small width, then a few per octave;
* :func:`grid_ks_bounds` — two-sided bounds on the KS distance from a CDF known on a grid;
* :func:`real_gumbel_distance` — the Kolmogorov distance of the real law to :math:`e^{-\frac12 e^{-x}}`.

Example:
    >>> round(-math.expm1(log_cdf(1.0, 5, "real")), 4)   # P(rho > 1), real Glorot, n = 5
    0.5182
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import optimize

from lrinit_verify.rigor.stats import HOLDS, INCONCLUSIVE, VIOLATED, dkw_epsilon
from lrinit_verify.theory import edge
from lrinit_verify.theory.real_law import real_log_radius_cdf, real_radius_cdf_array


@functools.lru_cache(maxsize=4096)
def log_cdf(r: float, n: int, field: str) -> float:
    r""":math:`\log P(\rho(W) \le r)` for Glorot of width :math:`n`, ``field`` ``"real"`` or ``"complex"`` (exact, cached)."""
    return real_log_radius_cdf(r, n) if field == "real" else edge.log_spectral_radius_cdf(r, n)


def width_grid(n_all: int, n_max: int, per_octave: int = 4) -> list[int]:
    r"""Every width :math:`1..n_{all}`, then about ``per_octave`` widths per doubling up to :math:`n_{max}`.

    >>> width_grid(4, 16, 2)
    [1, 2, 3, 4, 6, 8, 11, 16]
    """
    grid = set(range(1, n_all + 1))
    k = 1
    while True:
        m = round(n_all * 2 ** (k / per_octave))
        if m > n_max:
            break
        grid.add(m)
        k += 1
    return sorted(grid | {n_max})


def grid_ks_bounds(sorted_sample: np.ndarray, grid: np.ndarray, cdf_grid: np.ndarray) -> tuple[float, float]:
    r"""Bounds :math:`(\ell, u)` on :math:`\sup_x |F_m(x) - F(x)|` from :math:`F` on an increasing ``grid`` covering the sample.

    :math:`F` is continuous and both functions are monotone, so on a cell :math:`[g_i, g_{i+1}]` the difference is
    at most :math:`\max(F_m(g_{i+1}^-) - F(g_i),\, F(g_{i+1}) - F_m(g_i))` (the upper bound :math:`u`), and at the
    grid points it is attained (the lower bound :math:`\ell`, using both one-sided limits of :math:`F_m`).

    >>> x = np.array([0.25, 0.75])        # uniform CDF F(x) = x: true KS distance 0.25
    >>> grid = np.linspace(0, 1, 11)
    >>> lo, hi = grid_ks_bounds(x, grid, grid)
    >>> round(lo, 6), round(hi, 6)
    (0.2, 0.3)
    """
    m = len(sorted_sample)
    left = np.searchsorted(sorted_sample, grid, side="left") / m
    right = np.searchsorted(sorted_sample, grid, side="right") / m
    lower = float(max(np.max(np.abs(left - cdf_grid)), np.max(np.abs(right - cdf_grid))))
    upper = float(max(np.max(left[1:] - cdf_grid[:-1]), np.max(cdf_grid[1:] - right[:-1]), lower))
    return lower, upper


def band_rows(radii_by_n, alpha_each, cells, law_scale):
    """One row per width: grid-KS bounds of the radii against the exact real law at ``r / law_scale``."""
    rows = []
    for n, radii in radii_by_n.items():
        radii = np.sort(radii)
        inner = radii[np.linspace(0, len(radii) - 1, min(cells, len(radii))).astype(int)]
        grid = np.unique(np.concatenate([[0.0], inner, [2.0 * radii[-1]]]))
        lo, hi = grid_ks_bounds(radii, grid, real_radius_cdf_array(grid / law_scale, n))
        eps = dkw_epsilon(len(radii), alpha=alpha_each)
        status = HOLDS if hi <= eps else VIOLATED if lo > eps else INCONCLUSIVE
        rows.append(
            {
                "n": n,
                "trials": len(radii),
                "ks_lower": lo,
                "ks_upper": hi,
                "band": eps,
                "detectable": 2 * eps,
                "status": status,
            }
        )
    return rows


def _gumbel_beta1(x):
    return np.exp(-0.5 * np.exp(-np.asarray(x, dtype=np.float64)))


def real_gumbel_distance(n: int) -> tuple[float, float]:
    r""":math:`\sup_x |P(\rho(W) \le \ell_n + s_n x) - e^{-\frac12 e^{-x}}|` for real Glorot, and its argmax.

    :math:`\ell_n, s_n`: Rider's centring and scale (:func:`~lrinit_verify.theory.edge.edge_location`,
    :func:`~lrinit_verify.theory.edge.edge_scale`). Grid :math:`x \in [-3, 5]` (step 0.5), then bounded
    maximisation around the best grid point; outside :math:`[-3, 5]` the difference is below
    :math:`\max(\Lambda_1(-3), 1 - \Lambda_1(5)) < 0.004`. A lower bound on the sup, within ~1e-4 of it.
    """
    loc, scale = edge.edge_location(n), edge.edge_scale(n)

    def gap(x):
        return abs(math.exp(log_cdf(loc + scale * x, n, "real")) - float(_gumbel_beta1(x)))

    xs = np.arange(-3.0, 5.01, 0.5)
    values = [gap(float(x)) for x in xs]
    i = int(np.argmax(values))
    res = optimize.minimize_scalar(
        lambda x: -gap(x),
        bounds=(xs[max(i - 1, 0)], xs[min(i + 1, len(xs) - 1)]),
        method="bounded",
        options={"xatol": 1e-3},
    )
    best = max((values[i], float(xs[i])), (-float(res.fun), float(res.x)))
    return best


def edge_gumbel_error(n: int) -> float:
    """The complex analogue (Kostlan vs :math:`e^{-e^{-x}}`), from :mod:`lrinit_verify.claims.edge`."""
    from lrinit_verify.claims.edge import gumbel_sup_error

    return gumbel_sup_error(n)
