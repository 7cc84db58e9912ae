r"""Exact spectral-radius law of real Glorot matrices :math:`W = G/\sqrt n`, :math:`G` real Ginibre.

Sinclair's (2007) Pfaffian formula for :math:`E\prod_j \mathbf 1\{|\lambda_j| \le R\}`, :math:`R = r\sqrt n`, in
Forrester–Nagao's skew-orthogonal basis normalised so that :math:`U(\infty) = J`:

* :math:`n` even: :math:`P(\rho(W) \le r) = \operatorname{Pf} U(R)`;
* :math:`n = 2m+1` odd: :math:`P(\rho(W) \le r) = \operatorname{Pf}\begin{pmatrix}U(R) & \nu(R)\\ -\nu^T & 0\end{pmatrix}
  / \hat\nu_{2m}(\infty)` (bordering with :math:`\nu_a(R) = \int_{-R}^{R}\varphi_a`); :math:`n = 1` gives
  :math:`P(|g| \le r) = \operatorname{erf}(r/\sqrt2)` exactly.

:math:`U = \alpha + \beta` (real-axis and complex parts) is assembled by :mod:`._real_gram` (polar
factorisation, :math:`O(k^3)`), on the trailing block :math:`K` of :math:`k \approx 2cR - (R^2 - n)` indices
(``route="edge"``, about :math:`16\sqrt n` at :math:`r \approx 1`) or on all :math:`n` indices (``route="dense"``).
The margin :math:`c = \sqrt{\log(1/\mathrm{tol})} + 2.5` and every quadrature size are derived from
``tol`` (:class:`._real_gram.Plan`). :math:`\log\operatorname{Pf} = \tfrac12\log\det` (LU), valid because
the Pfaffian is a probability, hence :math:`\ge 0` (:mod:`._real_pfaffian`).

**Accuracy** (measured, REAL_LAW section of the report): relative :math:`\lesssim 10^{-11}` in the CDF for
:math:`n \le 4096` where CDF :math:`\ge 10^{-15}`; checked against an independent mpmath route for :math:`n \le 8`.
**Right tail:** :func:`real_radius_sf` is :math:`1 - F` and carries an *absolute* error of about
``max(tol, 1e-14)``; it is not relatively accurate once :math:`P(\rho > r) \lesssim 10^{-12}`.

Example:
    >>> round(real_radius_cdf(1.0, 2), 12)  # REAL_GINIBRE.md §6: 0.605038038501
    0.605038038501
    >>> round(real_radius_cdf(1.0, 1), 12) == round(math.erf(1 / math.sqrt(2)), 12)
    True
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import optimize

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory import _real_gram as gram
from lrinit_verify.theory._real_pfaffian import log_pfaffian_nonnegative

#: Default tolerance of the Gram assembly (edge truncation and quadrature).
DEFAULT_TOL = 1e-12
ROUTES = ("edge", "dense")
#: Largest width per route: the Gram block has about :math:`16\sqrt n` (edge) or :math:`n` (dense) indices and costs its
#: cube. Measured on a shared 2-core machine: edge 1 s at :math:`n = 16384`, about 10 s at the limit :math:`2^{16}`
#: (a new quantile about 2 min); dense 1 s at :math:`n = 1024`, about a minute at the limit :math:`2^{12}`.
MAX_WIDTH = {"edge": 2**16, "dense": 2**12}


def _tolerance(tol) -> float:
    tol = v.positive_real("tol", tol)
    if not 1e-16 <= tol <= 1e-3:
        raise InvalidArgument(f"tol={tol!r} must lie in [1e-16, 1e-3]")
    return tol


def _width(n, route: str) -> int:
    n = v.positive_int("n", n)
    if n > MAX_WIDTH[route]:
        raise InvalidArgument(
            f"n={n!r} exceeds the real law's limit {MAX_WIDTH[route]} for route={route!r}: its Pfaffian "
            f"costs O(k^3) with k ~ {'16 sqrt(n)' if route == 'edge' else 'n'} (about 10 s per evaluation at "
            "n = 65536 on the edge route); estimate larger widths by Monte Carlo (spectral_radii)"
        )
    return n


def _log_cdf(r: float, n: int, tol: float, route: str) -> float:
    if r == 0.0:
        return -math.inf
    plan = gram.make_plan(r * math.sqrt(n), n, tol, route)
    if plan.size == 0:  # every basis function lies inside the disk: P = 1 - O(tol)
        return 0.0
    log_pf = log_pfaffian_nonnegative(gram.gram(plan))
    if n % 2 == 1:
        log_pf -= math.log(gram.border_normaliser(n))
    return min(log_pf, 0.0)


def real_log_radius_cdf(r, n, *, tol=DEFAULT_TOL, route="edge") -> float:
    r""":math:`\log P(\rho(W) \le r)` for real Glorot :math:`W` of width :math:`n` (Sinclair's Pfaffian, exact up to ``tol``).

    **Arguments:** ``r`` ≥ 0; ``n`` ≥ 1; ``tol`` in :math:`[10^{-16}, 10^{-3}]` sets the edge margin and
    the quadrature (:class:`._real_gram.Plan`); ``route`` ``"edge"`` (trailing block, default) or
    ``"dense"`` (all :math:`n` indices, :math:`O(n^3)`). Returns ``-inf`` for :math:`r = 0` and where the determinant
    is not positive in floating point (deep left tail, :math:`P` far below :math:`10^{-100}`).

    >>> round(real_log_radius_cdf(1.0, 4), 10) == round(math.log(0.513020680963), 10)
    True
    """
    r = v.nonnegative_real("r", r)
    tol = _tolerance(tol)
    route = v.choice("route", route, ROUTES)
    return _log_cdf(r, _width(n, route), tol, route)


def real_radius_cdf(r, n, *, tol=DEFAULT_TOL, route="edge") -> float:
    r""":math:`P(\rho(W) \le r)` for real Glorot :math:`W` (entries :math:`N(0, 1/n)`), relatively accurate in the left tail.

    >>> round(real_radius_cdf(0.6, 3), 12)  # REAL_GINIBRE.md §6: 0.115649582090
    0.11564958209
    """
    return math.exp(real_log_radius_cdf(r, n, tol=tol, route=route))


def real_radius_sf(r, n, *, tol=DEFAULT_TOL, route="edge") -> float:
    r""":math:`P(\rho(W) > r) = 1 - P(\rho(W) \le r)`, to an **absolute** accuracy of about ``max(tol, 1e-14)``.

    (The Pfaffian of :math:`U(R)` cannot resolve :math:`1 - F` below that; see REAL_GINIBRE.md §7.)

    >>> round(real_radius_sf(1.0, 2), 12)
    0.394961961499
    """
    return max(0.0, -math.expm1(real_log_radius_cdf(r, n, tol=tol, route=route)))  # log F may round above 0


def real_radius_cdf_array(r, n, *, tol=DEFAULT_TOL, route="edge") -> np.ndarray:
    r""":math:`P(\rho(W) \le r)` over an array of radii (one Pfaffian per radius).

    >>> real_radius_cdf_array([0.0, 1.0], 2).round(12).tolist()
    [0.0, 0.605038038501]
    """
    tol = _tolerance(tol)
    route = v.choice("route", route, ROUTES)
    n = _width(n, route)
    radii = np.asarray(r, dtype=np.float64)
    if radii.size and not (np.all(np.isfinite(radii)) and np.min(radii) >= 0):
        raise InvalidArgument(f"r={r!r} must contain finite non-negative radii")
    flat = [math.exp(_log_cdf(float(x), n, tol, route)) for x in radii.ravel()]
    return np.array(flat, dtype=np.float64).reshape(radii.shape)


@functools.lru_cache(maxsize=1024)
def _quantile(n: int, p: float, tol: float) -> float:
    target = math.log(p)

    def f(s):
        return _log_cdf(s, n, tol, "edge") - target

    d_lo = d_hi = min(0.5, 3.0 / math.sqrt(n))
    while f(1.0 - d_lo) > 0:
        d_lo = d_lo + (1.0 - d_lo) / 2.0
    while f(1.0 + d_hi) < 0:
        d_hi *= 2.0
    return float(optimize.brentq(f, 1.0 - d_lo, 1.0 + d_hi, xtol=1e-15, rtol=1e-13, maxiter=200))


def real_radius_quantile(p, n, *, tol=DEFAULT_TOL) -> float:
    r"""The :math:`p`-quantile :math:`s` of :math:`\rho(W)`, :math:`W` real Glorot of width :math:`n`: :math:`P(\rho(W) \le s) = p`.

    Brent's method on :math:`\log F` (relative tolerance :math:`10^{-13}` in :math:`s`), bracketed near the edge;
    cached per ``(n, p, tol)``. Dividing :math:`W` by :math:`s` gives :math:`P(\rho \le 1) = p` exactly.

    >>> s = real_radius_quantile(0.5, 4)
    >>> abs(real_radius_cdf(s, 4) - 0.5) < 1e-12
    True
    """
    p = v.probability("p", p, open_interval=True)
    n = _width(n, "edge")
    return _quantile(n, p, _tolerance(tol))
