r"""Spectral-edge laws of Glorot matrices (THEORY.md §2).

* Kostlan (1992): for complex Glorot :math:`W` (entries of variance :math:`1/n`) the moduli :math:`\{n|\lambda_i|^2\}`
  have the law of independent :math:`\Gamma(k, 1)`, :math:`k = 1..n`, hence exactly
  :math:`P(\rho(W) \le r) = \prod_{k=1}^n P(k, n r^2)` with :math:`P` the regularised lower incomplete gamma.
* Rider (2003): :math:`\rho(W) \approx 1 + \sqrt{\gamma_n/(4n)} + X/\sqrt{4\gamma_n n}` with :math:`X` Gumbel,
  :math:`\gamma_n = \log(n / (2\pi (\log n)^2))`.
* Edelman–Kostlan–Shub (1994): expected number of real eigenvalues of real Glorot;
  Edelman (1997): :math:`P(\text{all real}) = 2^{-n(n-1)/4}`.
* The paper's dimension-aware factor :math:`c_n` (THEORY.md §1.4), undefined where :math:`\gamma_n \le 0`.

Example:
    >>> round(prob_radius_exceeds(16), 4)
    0.8536
    >>> round(rescale_factor(256), 3)
    0.888
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from scipy import special

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.theory.real_eigenvalues import (
    EKS_SUM_MAX_WIDTH as EKS_SUM_MAX_WIDTH,
    eks_closed_form as eks_closed_form,
    expected_real_eigenvalues as expected_real_eigenvalues,
    prob_all_real as prob_all_real,
)

#: Euler–Mascheroni constant plus one Gumbel standard deviation :math:`\pi/\sqrt 6`: :math:`x^* \approx 1.8597`.
GUMBEL_MEAN_PLUS_STD = float(np.euler_gamma + math.pi / math.sqrt(6.0))

#: Smallest width with :math:`\gamma_n > 0` (the paper's :math:`c_n` is defined from here on).
FIRST_DEFINED_WIDTH = 164

#: Largest width of the exact complex law (Kostlan's product has :math:`n` terms): one evaluation there takes
#: about 0.5 s and 50 MB, a new quantile (:func:`lrinit_verify.theory.rescale.calibrated_scale`) about 7 s
#: (measured on a shared 2-core machine). Beyond it, use Rider's Gumbel law (``method="gumbel"``).
KOSTLAN_MAX_WIDTH = 2**20
#: Largest width of the mpmath routes :func:`spectral_radius_cdf_mp` and :func:`spectral_radius_sf_mp`
#: (independent oracles, one incomplete gamma per :math:`k \le n` at ``dps`` digits): about 2 s at
#: :math:`n = 1024` and 20-25 s at :math:`n = 4096` (measured, shared 2-core machine; superlinear in n).
MP_MAX_WIDTH = 4096


def gamma_n(n) -> float:
    r""":math:`\gamma_n = \log\big(n / (2\pi (\log n)^2)\big)`, the centring constant of Rider's law.

    Negative for :math:`n \le 163` (there the Gumbel expansion and the paper's :math:`c_n` are undefined).

    >>> round(gamma_n(1024), 6)
    1.22145
    >>> gamma_n(163) < 0 < gamma_n(164)
    True
    """
    n = v.positive_int("n", n, min_value=2)
    return math.log(n / (2.0 * math.pi * math.log(n) ** 2))


def _positive_gamma(n) -> float:
    g = gamma_n(n)
    if g <= 0:
        raise InvalidArgument(
            f"n={n!r}: gamma_n = {g:.4f} <= 0 (n <= 163), so the Gumbel edge expansion and the "
            "paper's rescaling factor are undefined here; use the exact law "
            "(spectral_radius_cdf / calibrated_scale) instead"
        )
    return g


def edge_location(n) -> float:
    r"""Rider's centring of :math:`\rho(W)`: :math:`1 + \sqrt{\gamma_n / (4n)}` (requires :math:`\gamma_n > 0`).

    >>> round(edge_location(1024), 4)
    1.0173
    """
    return 1.0 + math.sqrt(_positive_gamma(n) / (4.0 * n))


def edge_scale(n) -> float:
    r"""Rider's Gumbel scale of :math:`\rho(W)`: :math:`1/\sqrt{4 \gamma_n n}` (requires :math:`\gamma_n > 0`).

    >>> round(edge_scale(1024), 5)
    0.01413
    """
    return 1.0 / math.sqrt(4.0 * _positive_gamma(n) * n)


def gumbel_quantile(p) -> float:
    r"""Quantile of the standard Gumbel law :math:`\exp(-e^{-x})`: :math:`x = -\log(-\log p)`.

    >>> round(gumbel_quantile(math.exp(-math.exp(-GUMBEL_MEAN_PLUS_STD))), 12) == round(GUMBEL_MEAN_PLUS_STD, 12)
    True
    """
    p = v.probability("p", p, open_interval=True)
    return -math.log(-math.log(p))


def gumbel_radius_cdf(r, n) -> float:
    r"""Rider's Gumbel approximation of :math:`P(\rho(W) \le r)` for complex Glorot.

    At :math:`r` = the edge location it is :math:`e^{-1}`; compare the exact law there:

    >>> round(gumbel_radius_cdf(edge_location(1024), 1024), 4), round(spectral_radius_cdf(edge_location(1024), 1024), 4)
    (0.3679, 0.1003)
    """
    r = v.nonnegative_real("r", r)
    x = (r - edge_location(n)) / edge_scale(n)
    return math.exp(-math.exp(-x))


def kostlan_width(n) -> int:
    """``n`` as an int if the exact complex law can be evaluated at it (at most :data:`KOSTLAN_MAX_WIDTH`).

    >>> kostlan_width(1024)
    1024
    """
    n = v.positive_int("n", n)
    if n > KOSTLAN_MAX_WIDTH:
        raise InvalidArgument(
            f"n={n!r} exceeds KOSTLAN_MAX_WIDTH={KOSTLAN_MAX_WIDTH}: the exact complex law "
            f"(Kostlan's product) has n terms, about 0.5 s and 50 MB per evaluation at the limit; use Rider's asymptotic "
            f"Gumbel law (prob_radius_exceeds(..., method='gumbel'), rescale_factor) for larger widths"
        )
    return n


def _kostlan_log_terms(r: float, n: int) -> np.ndarray:
    """log P(k, n r^2) for k = 1..n, accurate in both tails (mpmath where float64 underflows)."""
    x = n * r * r
    k = np.arange(1, n + 1, dtype=np.float64)
    lower = special.gammainc(k, x)
    upper = special.gammaincc(k, x)
    with np.errstate(divide="ignore"):
        out = np.where(lower < 0.5, np.log(lower), np.log1p(-upper))
    for i in np.flatnonzero(~np.isfinite(out)):
        term = mpmath.gammainc(int(k[i]), 0, x, regularized=True)
        out[i] = float(mpmath.log(term))
    return out


def _complex_only(field: str, what: str) -> None:
    if v.field(field) == "real":
        raise InvalidArgument(
            f"field='real': {what} has no finite-n formula for real Glorot matrices; "
            "estimate it by Monte Carlo (method='monte_carlo' / spectral_radii)"
        )


def _real_law():
    from lrinit_verify.theory import real_law

    return real_law


def log_spectral_radius_cdf(r, n, *, field="complex") -> float:
    r""":math:`\log P(\rho(W) \le r) = \sum_{k=1}^n \log P(k, n r^2)` (Kostlan), no underflow.

    ``field="real"``: the exact real law (Sinclair's Pfaffian,
    :func:`lrinit_verify.theory.real_law.real_log_radius_cdf`, relative error about 1e-11).

    >>> log_spectral_radius_cdf(0.1, 1000) < -1000   # P itself underflows float64
    True
    """
    r = v.nonnegative_real("r", r)
    n = v.positive_int("n", n)
    if v.field(field) == "real":
        return _real_law().real_log_radius_cdf(r, n)
    n = kostlan_width(n)
    if r == 0.0:
        return -math.inf
    return float(math.fsum(_kostlan_log_terms(r, n)))


def spectral_radius_cdf(r, n, *, field="complex") -> float:
    r"""Exact :math:`P(\rho(W) \le r)` for complex Glorot, :math:`W` of width :math:`n` (Kostlan's product).

    Accurate in relative terms in the lower tail; use :func:`spectral_radius_sf` for the upper tail.

    **Arguments:** ``r`` ≥ 0 radius; ``n`` width; ``field`` ``"complex"`` (Kostlan) or ``"real"``
    (exact Pfaffian law, :mod:`lrinit_verify.theory.real_law`).

    >>> round(spectral_radius_cdf(1.0, 16), 4)
    0.1464
    """
    return math.exp(log_spectral_radius_cdf(r, n, field=field))


def spectral_radius_sf(r, n, *, field="complex") -> float:
    r"""Exact :math:`P(\rho(W) > r)`, accurate in relative terms far in the upper tail (complex).

    ``field="real"``: :math:`1 - F` from the Pfaffian law, to an absolute accuracy of about 1e-12.

    >>> spectral_radius_sf(3.0, 64) > 0
    True
    """
    if v.field(field) == "real":
        return _real_law().real_radius_sf(r, n)
    return -math.expm1(log_spectral_radius_cdf(r, n, field=field))


def spectral_radius_cdf_array(r, n, *, field="complex") -> np.ndarray:
    r"""Vectorised Kostlan CDF :math:`P(\rho(W) \le r)` over an array of radii (absolute accuracy ~1e-15).

    ``field="real"``: one exact Pfaffian per radius (:func:`lrinit_verify.theory.real_law.real_radius_cdf_array`).

    >>> bool(abs(spectral_radius_cdf_array([1.0], 16)[0] - spectral_radius_cdf(1.0, 16)) < 1e-14)
    True
    """
    n = v.positive_int("n", n)
    if v.field(field) == "real":
        return _real_law().real_radius_cdf_array(r, n)
    n = kostlan_width(n)
    x = n * np.square(v.finite_array("r", r, nonnegative=True))[..., None]
    # Terms with k < x - 12 sqrt(x) - 12 equal 1 to double precision (Gamma right tail < 1e-30).
    x_min = float(np.min(x)) if x.size else 0.0
    k_min = max(1, int(x_min - 12.0 * math.sqrt(x_min) - 12.0))
    return np.prod(special.gammainc(np.arange(k_min, n + 1), x), axis=-1)


def eigenvalue_modulus_cdf(s, n) -> np.ndarray:
    r"""CDF of :math:`|\lambda|` for one uniformly chosen eigenvalue of complex Glorot: :math:`\frac1n\sum_k P(k, n s^2)`.

    By Kostlan's theorem this is the exact finite-:math:`n` circular law; it tends to :math:`\min(s^2, 1)`.

    >>> round(float(eigenvalue_modulus_cdf(0.5, 4096)), 3)
    0.25
    """
    n = kostlan_width(n)
    x = n * np.square(v.finite_array("s", s, nonnegative=True))[..., None]
    return np.mean(special.gammainc(np.arange(1, n + 1), x), axis=-1)


def _mp_width(n) -> int:
    n = v.positive_int("n", n)
    if n > MP_MAX_WIDTH:
        raise InvalidArgument(
            f"n={n!r} exceeds MP_MAX_WIDTH={MP_MAX_WIDTH} of the mpmath oracle (20-25 s at the limit, "
            "superlinear in n); use spectral_radius_cdf / spectral_radius_sf (float64, n <= KOSTLAN_MAX_WIDTH)"
        )
    return n


def spectral_radius_cdf_mp(r, n, *, dps: int = 50) -> mpmath.mpf:
    """Kostlan's product evaluated entirely in mpmath at ``dps`` digits (independent route).

    >>> abs(float(spectral_radius_cdf_mp(1.0, 16)) - spectral_radius_cdf(1.0, 16)) < 1e-15
    True
    """
    n = _mp_width(n)
    dps = v.positive_int("dps", dps)
    with mpmath.workdps(dps):
        x = n * mpmath.mpf(r) ** 2
        return mpmath.fprod(mpmath.gammainc(k, 0, x, regularized=True) for k in range(1, n + 1))


def spectral_radius_sf_mp(r, n, *, dps: int = 50) -> mpmath.mpf:
    r""":math:`P(\rho(W) > r) = 1 - \prod_k (1 - Q(k, n r^2))` in mpmath, from the upper incomplete gammas.

    Keeps relative accuracy far in the upper tail, where :math:`1 - \text{cdf}` would cancel.
    """
    n = _mp_width(n)
    dps = v.positive_int("dps", dps)
    with mpmath.workdps(dps):
        x = n * mpmath.mpf(r) ** 2
        log_cdf = mpmath.fsum(
            mpmath.log1p(-mpmath.gammainc(k, x, mpmath.inf, regularized=True)) for k in range(1, n + 1)
        )
        return -mpmath.expm1(log_cdf)


def sample_radius_kostlan(
    n, trials, *, rng=v.REQUIRED, seed=v.REQUIRED, chunk_elements: int = 2**24
) -> np.ndarray:
    r"""Exact sampler of :math:`\rho(W)`, :math:`W` complex Glorot: :math:`\sqrt{\max_k \Gamma_k / n}`, :math:`\Gamma_k \sim \Gamma(k,1)`.

    Costs :math:`O(n)` per sample instead of the :math:`O(n^3)` eigendecomposition.

    >>> r = sample_radius_kostlan(64, 1000, seed=0)
    >>> r.shape, bool(0.9 < np.median(r) < 1.3)
    ((1000,), True)
    """
    n = v.positive_int("n", n)
    trials = v.positive_int("trials", trials)
    rng = v.rng_from(rng, seed)
    shapes = np.arange(1, n + 1, dtype=np.float64)
    rows = max(1, chunk_elements // n)
    out = np.empty(trials)
    for start in range(0, trials, rows):
        stop = min(trials, start + rows)
        draws = rng.gamma(shapes, size=(stop - start, n))
        out[start:stop] = np.sqrt(draws.max(axis=1) / n)
    return out


def prob_radius_exceeds(
    n, r=1.0, *, field="complex", method="exact", trials=4000, seed=None, rng=None
) -> float:
    r""":math:`P(\rho(W) > r)` for Glorot of width :math:`n`.

    **Arguments:**

    - ``method="exact"``: Kostlan's product (complex) or the Pfaffian law (real, absolute accuracy ~1e-12).
    - ``method="gumbel"``: Rider's asymptotic law (complex only, needs :math:`\gamma_n > 0`).
    - ``method="monte_carlo"``: fraction of ``trials`` sampled matrices, by eigenvalues (needs ``seed`` or ``rng``).

    >>> round(prob_radius_exceeds(1024), 7), round(prob_radius_exceeds(1024, method="gumbel"), 4)
    (0.9999998, 0.9664)
    """
    n = v.positive_int("n", n)
    r = v.nonnegative_real("r", r)
    field = v.field(field)
    method = v.choice("method", method, ("exact", "gumbel", "monte_carlo"))
    if method == "exact":
        return spectral_radius_sf(r, n, field=field)
    if method == "gumbel":
        _complex_only(field, "Rider's Gumbel law")
        return 1.0 - gumbel_radius_cdf(r, n)
    from lrinit_verify.montecarlo.simulate import spectral_radii

    radii = spectral_radii(
        n, trials, field=field, seed=seed, rng=rng, route="eigvals"
    )  # matrices, not the law
    return float(np.mean(radii > r))


def rescale_factor(n, *, x=GUMBEL_MEAN_PLUS_STD) -> float:
    r"""The paper's dimension-aware Glorot factor :math:`c_n = 1/(1 + \sqrt{\gamma_n/(4n)} + x/\sqrt{4\gamma_n n})`.

    With the default :math:`x^* = \gamma_E + \pi/\sqrt6` the nominal (asymptotic, complex) guarantee is
    :math:`P(\rho(c_n W) \le 1) \to \exp(-e^{-x^*}) \approx 0.856`. Raises ``ValueError`` for
    :math:`n \le 163`, where :math:`\gamma_n \le 0` and the formula is undefined (the authors' code gives NaN).

    >>> [round(rescale_factor(n), 3) for n in (256, 512, 1024)]
    [0.888, 0.937, 0.958]
    """
    n = v.positive_int("n", n)
    x = v.finite_real("x", x)
    g = _positive_gamma(n)
    return 1.0 / (1.0 + math.sqrt(g / (4.0 * n)) + x / math.sqrt(4.0 * g * n))
