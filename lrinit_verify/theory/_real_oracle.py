r"""Independent high-precision route to the real-Ginibre radius law, for small :math:`n` (≤ 8).

Deliberately shares no code with :mod:`._real_gram`: the **monomial** basis :math:`q_j = x^j` (not the
normalised skew-orthogonal one), **Cartesian** coordinates for the complex part (inner :math:`x`-integral in
closed form, outer :math:`y`-integral by tanh-sinh) instead of the polar factorisation, mpmath arithmetic
at ``dps`` digits, and a Pfaffian by exact cofactor expansion along the first row.

:math:`\langle x^j, x^k\rangle_R = \int_{-R}^{R} y^k e^{-y^2/2}[2I_j(y) - I_j(R)]\,dy
- 4\int_0^R \operatorname{erfc}(\sqrt2 y)e^{y^2}\int_{-X}^{X} e^{-x^2}\operatorname{Im}\big((x+iy)^j(x-iy)^k\big)\,dx\,dy`,
:math:`X = \sqrt{R^2 - y^2}`, :math:`I_j(y) = \int_{-R}^{y} x^j e^{-x^2/2}dx`. Then (Sinclair 2007;
Forrester–Nagao 2007, :math:`r_j = 2\sqrt{2\pi}(2j)!`)
:math:`P(\rho(G) \le R) = \operatorname{Pf}[\langle x^j, x^k\rangle_R] / \prod_{j<n/2} r_j` for even :math:`n`, and
the :math:`\nu`-bordered Pfaffian over :math:`\sqrt{2\pi}(2m-1)!!\prod_{j<m} r_j` for :math:`n = 2m+1`.

Cost: about 1 s (:math:`n = 2`) to a minute (:math:`n = 8`) per point at 30 digits.

>>> round(float(real_radius_cdf_mp(1.0, 2, dps=20)), 12)  # REAL_GINIBRE.md §6: 0.605038038501
0.605038038501
"""

from __future__ import annotations

import functools

import mpmath

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument

#: Largest width the oracle accepts (its cost grows like :math:`n^2 \cdot 4^n` quadrature terms).
MAX_WIDTH = 10


def _half_moment(j: int, t):
    r""":math:`\int_0^t x^j e^{-x^2/2}dx = \operatorname{sgn}(t)^{j+1}\,2^{(j-1)/2}\,\gamma(\tfrac{j+1}{2}, t^2/2)`."""
    value = mpmath.mpf(2) ** (mpmath.mpf(j - 1) / 2) * mpmath.gammainc(mpmath.mpf(j + 1) / 2, 0, t * t / 2)
    return -value if (t < 0 and j % 2 == 0) else value


def _real_entry(j: int, k: int, R):
    def prim(y):
        return _half_moment(j, y) - _half_moment(j, -R)

    total = prim(R)
    return mpmath.quad(lambda y: y**k * mpmath.exp(-y * y / 2) * (2 * prim(y) - total), [-R, 0, R])


def _im_coefficients(j: int, k: int) -> list[tuple[int, int, int]]:
    r"""Terms :math:`(c, s, e)` with :math:`\operatorname{Im}((x+iy)^j(x-iy)^k) = \sum c\, x^s y^e` (integers)."""
    out = []
    for p in range(j + 1):
        for q in range(k + 1):
            sign = (0, 1, 0, -1)[((j - p) - (k - q)) % 4]  # Im(i^(j-p) (-i)^(k-q))
            if sign:
                out.append((sign * mpmath.binomial(j, p) * mpmath.binomial(k, q), p + q, j + k - p - q))
    return out


def _complex_entry(j: int, k: int, R):
    terms = [t for t in _im_coefficients(j, k) if t[1] % 2 == 0]  # odd powers of x integrate to 0

    def inner(y):
        X2 = R * R - y * y
        return mpmath.fsum(c * y**e * mpmath.gammainc(mpmath.mpf(s + 1) / 2, 0, X2) for c, s, e in terms)

    return -4 * mpmath.quad(lambda y: mpmath.erfc(mpmath.sqrt(2) * y) * mpmath.exp(y * y) * inner(y), [0, R])


def skew_gram(n: int, R) -> list[list]:
    r""":math:`[\langle x^j, x^k\rangle_R]_{j,k<n}` (zero when :math:`j + k` is even, by parity)."""
    M = [[mpmath.mpf(0)] * n for _ in range(n)]
    for j in range(n):
        for k in range(j + 1, n):
            if (j + k) % 2 == 1:
                M[j][k] = _real_entry(j, k, R) + _complex_entry(j, k, R)
                M[k][j] = -M[j][k]
    return M


def pfaffian_expand(A) -> mpmath.mpf:
    r""":math:`\operatorname{Pf}A = \sum_{j \ge 1} (-1)^{j+1} a_{0j}\operatorname{Pf}A_{\hat0\hat j}` (exact recursion)."""

    @functools.cache
    def pf(idx: tuple) -> mpmath.mpf:
        if not idx:
            return mpmath.mpf(1)
        first, rest = idx[0], idx[1:]
        return mpmath.fsum(
            (-1) ** t * A[first][j] * pf(rest[:t] + rest[t + 1 :])
            for t, j in enumerate(rest)
            if A[first][j] != 0
        )

    return pf(tuple(range(len(A)))) if len(A) % 2 == 0 else mpmath.mpf(0)


def _normaliser(n: int):
    r = [2 * mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(2 * j) for j in range(n // 2)]
    if n % 2 == 0:
        return mpmath.fprod(r)
    return mpmath.sqrt(2 * mpmath.pi) * mpmath.fac2(n - 2) * mpmath.fprod(r)


def real_radius_cdf_mp(r, n, *, dps: int = 30) -> mpmath.mpf:
    r""":math:`P(\rho(G/\sqrt n) \le r)` for real Ginibre :math:`G`, monomial Gram + exact Pfaffian at ``dps`` digits."""
    r = v.nonnegative_real("r", r)
    n = v.positive_int("n", n)
    if n > MAX_WIDTH:
        raise InvalidArgument(f"n={n!r}: the mpmath oracle is meant for n <= {MAX_WIDTH} (cost grows fast)")
    dps = v.positive_int("dps", dps)
    with mpmath.workdps(dps):
        R = mpmath.mpf(r) * mpmath.sqrt(n)
        M = skew_gram(n, R)
        if n % 2 == 1:
            nu = [_half_moment(j, R) - _half_moment(j, -R) for j in range(n)]
            M = [row + [nu[j]] for j, row in enumerate(M)] + [[-x for x in nu] + [mpmath.mpf(0)]]
        return pfaffian_expand(M) / _normaliser(n)
