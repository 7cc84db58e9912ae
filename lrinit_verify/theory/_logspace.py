r"""Float64 log-space kernels of :func:`lrinit_verify.theory.energy.log_energy`.

Log-ratios of rising and falling factorials to :math:`n^m`, by exact summation of ``log1p`` terms for
:math:`m \le` :data:`DIRECT_TERMS` and by a Stirling difference without cancellation beyond.

>>> import math
>>> abs(log_ratio_gamma(10.0, 3) - math.log(10 * 11 * 12 / 1000)) < 1e-15
True
"""

from __future__ import annotations

import math

import numpy as np

#: Up to this many factors the log-ratios are summed term by term.
DIRECT_TERMS = 4096
STIRLING_MIN = 1000.0
_BERNOULLI = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680)


def _stirling_tail(x: float) -> float:
    r""":math:`\log\Gamma(x) - [(x - 1/2)\log x - x + \log(2\pi)/2]` for :math:`x \ge 1000` (error < 1e-25)."""
    inv, inv2 = 1.0 / x, 1.0 / (x * x)
    return inv * (_BERNOULLI[0] + inv2 * (_BERNOULLI[1] + inv2 * (_BERNOULLI[2] + inv2 * _BERNOULLI[3])))


def _xlog1p_minus(r: float) -> float:
    r""":math:`(1+r)\log(1+r) - r` without cancellation for small :math:`r`."""
    if abs(r) < 0.01:
        # Σ_{k≥2} (-1)^k r^k / (k (k-1))
        total, power = 0.0, r * r
        for k in range(2, 14):
            total += (-1) ** k * power / (k * (k - 1))
            power *= r
        return total
    return (1.0 + r) * math.log1p(r) - r


def log_ratio_gamma(x: float, m: int) -> float:
    r""":math:`\log\Gamma(x+m) - \log\Gamma(x) - m\log x` accurately (no cancellation for :math:`m \ll x`)."""
    if m <= DIRECT_TERMS:
        return math.fsum(np.log1p(np.arange(m, dtype=np.float64) / x).tolist())
    if x >= STIRLING_MIN:
        r = m / x
        return x * _xlog1p_minus(r) - 0.5 * math.log1p(r) + _stirling_tail(x + m) - _stirling_tail(x)
    return math.lgamma(x + m) - math.lgamma(x) - m * math.log(x)


def log_falling_ratio(n: int, m: int) -> float:
    r""":math:`\log((n)^{\downarrow}_m / n^m)`, :math:`-\infty` when :math:`m > n`."""
    if m > n:
        return -math.inf
    if m <= DIRECT_TERMS:
        return math.fsum(np.log1p(-np.arange(m, dtype=np.float64) / n).tolist())
    x = n + 1 - m
    if x >= STIRLING_MIN:
        return log_ratio_gamma(float(x), m) + m * math.log1p((1.0 - m) / n)
    return math.lgamma(n + 1) - math.lgamma(x) - m * math.log(n)


def log_gap(n: int, m: int) -> float:
    r""":math:`D = \log(n)^{\uparrow}_m - \log(n)^{\downarrow}_m = 2\sum_{i<m}\operatorname{atanh}(i/n)`, accurate when small."""
    if m > n:
        return math.inf
    if m <= DIRECT_TERMS:
        return 2.0 * math.fsum(np.arctanh(np.arange(m, dtype=np.float64) / n).tolist())
    return log_ratio_gamma(float(n), m) - log_falling_ratio(n, m)


def two_term_log_energy(n: int, t: int) -> float:
    r""":math:`\log S_{n,t}` from the two-term form :math:`\frac{n}{(t+1)(t+2)} \frac{(n)^{\uparrow}_{m}}{n^{m}}(1 - e^{-D})`."""
    if t <= 1:
        return 0.0
    m = t + 2
    up = log_ratio_gamma(float(n), m)
    gap = log_gap(n, m)
    tail = 0.0 if gap == math.inf else math.log(-math.expm1(-gap))
    return up + tail + math.log(n) - math.log(t + 1) - math.log(t + 2)


def sum_form_log_energy(n: int, t: int) -> float:
    r""":math:`\log S_{n,t}` by log-sum-exp over the :math:`t+2` log-gamma terms of the sum form."""
    from scipy.special import gammaln, logsumexp

    k = np.arange(t + 2, dtype=np.float64)
    j = t + 1 - k
    ok = j <= n
    terms = gammaln(n + k[ok]) - gammaln(n) + gammaln(n + 1) - gammaln(n + 1 - j[ok])
    return float(logsumexp(terms) - math.log(t + 2) - (t + 1) * math.log(n))
