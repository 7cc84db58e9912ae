r"""Special functions for the real-Ginibre Gram matrix, accurate in *relative* terms at large index.

The naive :math:`\log m_k(x) = k\log x - x^2/2 - \tfrac12\log k!` cancels terms of size :math:`k\log k` and loses
:math:`\sim 10^{-12}` relative accuracy at :math:`k \sim 4000`, which the :math:`\sqrt k` weights of the basis then
amplify. Here the cancellation is done analytically (Stirling's series and :math:`\log(1+v) - v`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

#: Below this index the direct formulas are used (their terms are small).
_SMALL = 10.0
#: :math:`B_{2i} / (2i(2i-1))`, Stirling's series of :math:`\log\Gamma(x)`; 8 terms give 1e-17 at :math:`x \ge 10`.
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400)


def stirling_tail(x) -> np.ndarray:
    r""":math:`s(x) = \log\Gamma(x) - (x - \tfrac12)\log x + x - \tfrac12\log 2\pi` for :math:`x \ge 10` (series).

    >>> abs(float(stirling_tail(12.0)) - (math.lgamma(12.0) - 11.5 * math.log(12.0) + 12.0 - 0.5 * math.log(2 * math.pi))) < 1e-14
    True
    """
    x = np.asarray(x, dtype=np.float64)
    inv2 = 1.0 / (x * x)
    acc = np.zeros_like(x)
    for coef in reversed(_STIRLING):
        acc = acc * inv2 + coef
    return acc / x


def log1p_minus(v) -> np.ndarray:
    r""":math:`\log(1 + v) - v` without cancellation near :math:`v = 0` (series in :math:`t = v/(2+v)` for :math:`|v| \le 1/2`).

    :math:`\log(1+v) - v = \sum_{m \ge 2} c_m t^m`, :math:`c_m = 2/m - 2` (:math:`m` odd), :math:`-2` (:math:`m` even).

    >>> abs(float(log1p_minus(1e-6)) + 0.5e-12 - 1e-18 / 3) < 1e-24  # next term -v**4/4
    True
    """
    v = np.asarray(v, dtype=np.float64)
    t = v / (2.0 + v)
    acc = np.zeros_like(v)
    for m in range(40, 1, -1):
        acc = acc * t + ((2.0 / m - 2.0) if m % 2 else -2.0)
    series = acc * t * t
    with np.errstate(invalid="ignore", divide="ignore"):
        direct = np.log1p(v) - v
    return np.where(np.abs(v) <= 0.5, series, direct)


def log_monomial(ax, ks) -> np.ndarray:
    r""":math:`\log m_k(x) = k\log x - x^2/2 - \tfrac12\log k!` for :math:`x > 0` (broadcast), relatively accurate.

    For :math:`k \ge 10`: :math:`\tfrac k2[\log(1+v) - v] - \tfrac14\log(2\pi k) - \tfrac12 s(k) - \tfrac12\log k + \dots`
    in the form :math:`\tfrac k2\,(\log(1+v) - v) - \tfrac14\log(2\pi k) - \tfrac12 s_1(k)`, :math:`v = (x^2 - k)/k`,
    :math:`s_1(k) = \log k! - k\log k + k - \tfrac12\log 2\pi k = s(k)` (Stirling).

    >>> abs(float(log_monomial(3.0, 20.0)) - (20 * math.log(3.0) - 4.5 - 0.5 * math.lgamma(21.0))) < 1e-13
    True
    """
    ax, ks = np.broadcast_arrays(np.asarray(ax, dtype=np.float64), np.asarray(ks, dtype=np.float64))
    big = np.maximum(ks, _SMALL)
    v = (ax * ax - big) / big
    stable = 0.5 * big * log1p_minus(v) - 0.25 * np.log(2.0 * math.pi * big) - 0.5 * stirling_tail(big)
    with np.errstate(divide="ignore"):
        direct = ks * np.log(ax) - 0.5 * ax * ax - 0.5 * special.gammaln(ks + 1.0)
    return np.where(ks >= _SMALL, stable, direct)


def half_gauss_mass_even(js) -> np.ndarray:
    r""":math:`g_{2j} = \int_0^\infty m_{2j} = 2^{j-1/2}\Gamma(j+\tfrac12)/\sqrt{(2j)!}
    = 2^{-1/2}\pi^{1/4}\sqrt{\Gamma(j+\tfrac12)/\Gamma(j+1)}` (Legendre duplication), relatively accurate.

    >>> round(float(half_gauss_mass_even(0)), 15) == round(math.sqrt(math.pi / 2), 15)
    True
    """
    j = np.asarray(js, dtype=np.float64)
    big = np.maximum(j, _SMALL)
    stable = (
        big * np.log1p(-0.5 / (big + 1.0))
        - 0.5 * np.log(big + 1.0)
        + 0.5
        + stirling_tail(big + 0.5)
        - stirling_tail(big + 1.0)
    )
    direct = special.gammaln(j + 0.5) - special.gammaln(j + 1.0)
    log_ratio = np.where(j >= _SMALL, stable, direct)
    return math.sqrt(0.5) * math.pi**0.25 * np.exp(0.5 * log_ratio)
