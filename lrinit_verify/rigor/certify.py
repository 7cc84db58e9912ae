r"""Certified spectral-radius enclosures in ball arithmetic (python-flint / Arb; extra ``rigorous``).

A float64 matrix is an exact dyadic matrix :math:`W`. Everything here is a statement about that exact
matrix, proved by Arb's ball arithmetic (every computed ball contains the true value):

* :func:`certify_spectral_radius` — an interval :math:`[\rho_-, \rho_+] \ni \rho(W)` from
  ``acb_mat.eig()`` enclosures of all eigenvalues, retrying at doubled precision until the
  eigenvalues are isolated, ``inconclusive`` if they never are;
* one-sided bounds (:func:`radius_bounds`): :math:`\rho(W) \le \|W^k\|_F^{1/k}` because
  :math:`\|W^k\|_F \ge \|W^k\|_2 \ge \rho(W^k) = \rho^k`, and :math:`\rho(W) \ge |\operatorname{tr}(W^k)/n|^{1/k}`
  because :math:`|\operatorname{tr} W^k| = |\sum_i \lambda_i^k| \le n\rho^k`, for :math:`k = 1, 2, 4, \dots`
  (repeated squaring; cheap even at :math:`n = 256`);
* :func:`certify_radius_above` / :func:`certify_radius_below` — a :class:`~lrinit_verify.rigor.stats.Verdict`
  on :math:`\rho(W) > r` (resp. :math:`< r`): the one-sided bounds first, the eigenvalue enclosure if they
  cannot decide;
* :func:`certified_variance_bound` — THEORY.md §1.3 on one matrix:
  :math:`\sum_{k<t}\|W^k\|_F^2 \ge \sum_{k<t}\rho^{2k} = (\rho^{2t}-1)/(\rho^2-1)` evaluated in balls.

Floats returned as interval endpoints are rounded outward, so ``lo <= rho <= hi`` holds for the
true spectral radius of the exact input matrix.

Example:
    >>> import numpy as np
    >>> enc = certify_spectral_radius(np.array([[0.5, 1.0], [0.0, -2.0]]))
    >>> enc.status, enc.lo <= 2.0 <= enc.hi, enc.hi - enc.lo < 1e-12
    ('certified', True, True)
    >>> certify_radius_above(np.diag([1.5, 0.1]), 1.0).status
    'holds'
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.rigor._arb import ball_matrix, down, frobenius_sq, import_flint, root_down, root_up, up
from lrinit_verify.rigor.stats import HOLDS, INCONCLUSIVE, VIOLATED, Verdict

CERTIFIED = "certified"
#: Working precisions (bits) tried in turn by :func:`certify_spectral_radius`.
PRECISIONS = (53, 106, 212, 424, 848)


def available() -> bool:
    """Whether python-flint can be imported (the ``rigorous`` extra is installed)."""
    try:
        import_flint()
    except ImportError:
        return False
    return True


def _matrix(W) -> np.ndarray:
    """Validate ``W``: a finite square float64/complex128 matrix (float32 is widened exactly)."""
    a = np.asarray(W)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InvalidArgument(f"W with shape {a.shape!r} must be a non-empty square matrix")
    if not (
        np.issubdtype(a.dtype, np.floating)
        or np.issubdtype(a.dtype, np.complexfloating)
        or np.issubdtype(a.dtype, np.integer)
    ):
        raise InvalidArgument(f"W with dtype {a.dtype!r} must be a real or complex numeric matrix")
    a = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)
    if not np.all(np.isfinite(a)):
        raise InvalidArgument("W must have finite entries (found nan or inf)")
    return a


@dataclass(frozen=True)
class Enclosure:
    r"""A rigorous interval ``[lo, hi]`` for :math:`\rho(W)` (``status="certified"``) or ``inconclusive``.

    ``prec`` is the working precision (bits) that succeeded, ``method`` how it was obtained.
    """

    status: str
    lo: float
    hi: float
    n: int
    prec: int | None
    method: str
    seconds: float

    @property
    def interval(self) -> tuple[float, float]:
        return (self.lo, self.hi)

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the enclosure."""
        return self.lo <= x <= self.hi


def _eig_radius(M, prec: int, flint):
    r"""The arb ball :math:`[\max_i |\lambda_i|_-, \max_i |\lambda_i|_+]`, or None if eig fails."""
    with flint.ctx.workprec(prec):
        try:
            eigs = flint.acb_mat(M).eig()
        except ValueError:  # eigenvalues not isolated at this precision
            return None
        lo = max(down(e.abs_lower()) for e in eigs)
        hi = max(up(e.abs_upper()) for e in eigs)
    return lo, hi


def certify_spectral_radius(W, *, precisions=PRECISIONS) -> Enclosure:
    r"""Rigorous interval for :math:`\rho(W)` of the exact float64 (complex128) matrix ``W``.

    Encloses every eigenvalue with ``acb_mat.eig()`` (Arb), at each precision of ``precisions``
    in turn until the eigenvalues are isolated; then :math:`\rho \in [\max_i \min|\Lambda_i|,
    \max_i \max|\Lambda_i|]` over the eigenvalue balls :math:`\Lambda_i`.

    **Returns:** an :class:`Enclosure`; ``status="inconclusive"`` (interval :math:`[0, \infty)`) when no
    precision isolates the eigenvalues (e.g. repeated eigenvalues).

    >>> import numpy as np
    >>> W = np.array([[0.0, 1.0], [-1.0, 0.0]])   # eigenvalues ±i
    >>> enc = certify_spectral_radius(W)
    >>> enc.contains(1.0), enc.status
    (True, 'certified')
    >>> certify_spectral_radius(np.eye(2)).status   # a double eigenvalue cannot be isolated
    'inconclusive'
    """
    a = _matrix(W)
    flint = import_flint()
    precisions = [v.positive_int("precision", p, min_value=16) for p in precisions]
    start = time.perf_counter()
    M = ball_matrix(a)
    for prec in precisions:
        found = _eig_radius(M, prec, flint)
        if found is not None:
            return Enclosure(
                CERTIFIED, found[0], found[1], a.shape[0], prec, "acb_mat.eig", time.perf_counter() - start
            )
    return Enclosure(
        INCONCLUSIVE, 0.0, math.inf, a.shape[0], None, "acb_mat.eig", time.perf_counter() - start
    )


@dataclass(frozen=True)
class RadiusBounds:
    r"""Certified one-sided bounds ``lo <= rho(W) <= hi`` from powers :math:`W^k`, :math:`k \le` ``power``."""

    lo: float
    hi: float
    power: int
    prec: int
    seconds: float


def radius_bounds(
    W, *, max_power: int = 2**12, prec: int = 106, stop_at: float | None = None
) -> RadiusBounds:
    r"""Certified bounds :math:`|\operatorname{tr}(W^k)/n|^{1/k} \le \rho(W) \le \|W^k\|_F^{1/k}`.

    Squares :math:`W` repeatedly in Arb balls (:math:`k = 1, 2, 4, \dots \le` ``max_power``) and keeps the best
    bound of each side. With ``stop_at=r`` it stops as soon as the bounds decide :math:`\rho` versus :math:`r`.

    >>> import numpy as np
    >>> b = radius_bounds(np.array([[0.9, 5.0], [0.0, 0.5]]))
    >>> b.lo <= 0.9 <= b.hi, round(b.hi, 3), round(b.lo, 3)
    (True, 0.9, 0.9)
    """
    a = _matrix(W)
    flint = import_flint()
    max_power = v.positive_int("max_power", max_power)
    prec = v.positive_int("prec", prec, min_value=16)
    if stop_at is not None:
        stop_at = v.nonnegative_real("stop_at", stop_at)
    n, start = a.shape[0], time.perf_counter()
    lo, hi, k = 0.0, math.inf, 1
    with flint.ctx.workprec(prec):
        P = ball_matrix(a)
        while True:
            hi = min(hi, root_up(frobenius_sq(P), 2 * k))
            lo = max(lo, root_down(abs(P.trace()) / n, k))
            if (stop_at is not None and (lo > stop_at or hi < stop_at)) or 2 * k > max_power:
                break
            P, k = P * P, 2 * k
    return RadiusBounds(lo, hi, k, prec, time.perf_counter() - start)


def _radius_verdict(W, r: float, above: bool, max_power: int, eig_max_n: int) -> Verdict:
    a = _matrix(W)
    r = v.nonnegative_real("r", r)
    b = radius_bounds(a, max_power=max_power, stop_at=r)
    lo, hi, method = b.lo, b.hi, f"trace/norm bounds, k <= {b.power}"
    if not (lo > r or hi < r) and a.shape[0] <= eig_max_n:
        enc = certify_spectral_radius(a)
        if enc.status == CERTIFIED:
            lo, hi, method = max(lo, enc.lo), min(hi, enc.hi), f"acb_mat.eig at {enc.prec} bits"
    if lo > r:
        status = HOLDS if above else VIOLATED
    elif hi < r:
        status = VIOLATED if above else HOLDS
    else:
        status = INCONCLUSIVE
    rel = ">" if above else "<"
    return Verdict(
        status=status,
        estimate=(lo + hi) / 2 if math.isfinite(hi) else None,
        interval=(lo, hi),
        reference=r,
        alpha=0.0,
        cases=f"n={a.shape[0]}, certified ({method})",
        summary=f"rho in [{lo:.6g}, {hi:.6g}]: rho {rel} {r:g} {status}",
    )


def certify_radius_above(W, r: float = 1.0, *, max_power: int = 2**12, eig_max_n: int = 128) -> Verdict:
    r"""Certified verdict on :math:`\rho(W) > r`: ``holds`` / ``violated`` (then :math:`\rho < r`) / ``inconclusive``.

    Tries the trace and norm bounds of :func:`radius_bounds`, then (for :math:`n \le` ``eig_max_n``) the
    eigenvalue enclosure. ``alpha`` is 0: the verdict is a proof about the exact matrix.

    >>> import numpy as np
    >>> certify_radius_above(np.array([[0.0, 2.0], [0.5, 0.0]]), 1.0).status   # rho = 1 exactly
    'inconclusive'
    """
    return _radius_verdict(W, r, True, max_power, eig_max_n)


def certify_radius_below(W, r: float = 1.0, *, max_power: int = 2**12, eig_max_n: int = 128) -> Verdict:
    r"""Certified verdict on :math:`\rho(W) < r` (see :func:`certify_radius_above`).

    >>> import numpy as np
    >>> certify_radius_below(np.array([[0.5, 100.0], [0.0, 0.5]]), 1.0).status   # ||W|| = 100
    'holds'
    """
    return _radius_verdict(W, r, False, max_power, eig_max_n)


@dataclass(frozen=True)
class VarianceBound:
    r"""THEORY.md §1.3 on one matrix, certified.

    ``total`` encloses :math:`\sum_{k<t}\|W^k\|_F^2` (= :math:`E\|h_t\|^2/\sigma^2` for white inputs), ``bound``
    encloses :math:`\sum_{k<t}\rho^{2k}` over the certified :math:`\rho` interval, ``lower`` is a certified lower
    bound on the variance from :math:`\rho` alone, ``status`` is ``holds`` when ``total >= bound`` is proved.
    """

    status: str
    t: int
    total: tuple[float, float]
    bound: tuple[float, float]
    lower: float
    rho: tuple[float, float]


def certified_variance_bound(W, t: int, *, prec: int = 106, rho_scale: float = 1.0) -> VarianceBound:
    r"""Prove :math:`\sum_{k<t}\|W^k\|_F^2 \ge \sum_{k<t}\rho(W)^{2k}` on the exact matrix ``W``.

    The left side is summed in Arb balls; the right side is the polynomial
    :math:`\sum_{k<t} x^{2k} = (x^{2t}-1)/(x^2-1)` evaluated on the certified :math:`\rho` enclosure (exact at
    :math:`\rho = 1`, where it equals :math:`t`). ``holds`` when the lower end of the left ball clears the upper
    end of the right one, ``violated`` when the reverse, else ``inconclusive``.

    >>> import numpy as np
    >>> vb = certified_variance_bound(np.array([[1.1, 1.0], [0.0, 0.2]]), 10)
    >>> vb.status, vb.total[0] >= vb.bound[1], vb.lower > 1.1 ** 18
    ('holds', True, True)
    """
    a = _matrix(W)
    flint = import_flint()
    t = v.positive_int("t", t)
    rho_scale = v.positive_real("rho_scale", rho_scale)
    enc = certify_spectral_radius(a)
    if enc.status != CERTIFIED:
        b = radius_bounds(a)
        enc = Enclosure(CERTIFIED, b.lo, b.hi, a.shape[0], b.prec, "bounds", b.seconds)
    with flint.ctx.workprec(prec):
        P = ball_matrix(a)
        Q = ball_matrix(np.eye(a.shape[0]))
        total = flint.arb(0)
        for _ in range(t):
            total += frobenius_sq(Q)
            Q = Q * P
        rho_lo, rho_hi = flint.arb(enc.lo) * rho_scale, flint.arb(enc.hi) * rho_scale
        rho = rho_lo.union(rho_hi)
        geometric = sum((rho ** (2 * k) for k in range(t)), flint.arb(0))
        lower = down(sum((rho_lo ** (2 * k) for k in range(t)), flint.arb(0)))
    if total.lower() >= geometric.upper():
        status = HOLDS
    elif total.upper() < geometric.lower():
        status = VIOLATED
    else:
        status = INCONCLUSIVE
    return VarianceBound(
        status, t, (down(total), up(total)), (down(geometric), up(geometric)), lower, enc.interval
    )


def compare_with_mpmath(W, *, dps: int = 30) -> dict:
    r"""Time Arb's certified enclosure against ``mpmath.eig`` (no error bound) on one matrix.

    **Returns:** ``{"n", "flint_s", "mpmath_s", "interval", "mpmath_radius", "agree"}`` where
    ``agree`` says whether mpmath's radius (at ``dps`` digits) lies in the certified interval.
    Practical only for small :math:`n` (mpmath's QR is pure Python, :math:`O(n^3)` with a large constant).
    """
    import mpmath

    a = _matrix(W)
    dps = v.positive_int("dps", dps)
    enc = certify_spectral_radius(a)
    start = time.perf_counter()
    with mpmath.workdps(dps):
        eigs = mpmath.eig(mpmath.matrix(a.tolist()), left=False, right=False)
        radius = max(abs(e) for e in eigs)
        agree = bool(enc.status == CERTIFIED and enc.lo <= radius <= enc.hi)
    return {
        "n": a.shape[0],
        "flint_s": enc.seconds,
        "mpmath_s": time.perf_counter() - start,
        "interval": enc.interval,
        "mpmath_radius": float(radius),
        "agree": agree,
    }


__all__ = [
    "CERTIFIED",
    "Enclosure",
    "RadiusBounds",
    "VarianceBound",
    "available",
    "certified_variance_bound",
    "certify_radius_above",
    "certify_radius_below",
    "certify_spectral_radius",
    "compare_with_mpmath",
    "radius_bounds",
]
