r"""Pfaffians of real antisymmetric matrices.

* :func:`pfaffian_parlett_reid` — :math:`\operatorname{Pf}A` with its sign, by Parlett–Reid :math:`LTL^T`
  elimination with pivoting (Wimmer 2012, ACM TOMS 38, algorithm "pfaffian_LTL"); :math:`O(k^3)` in
  :math:`k` Python-level rank-2 updates, used for moderate sizes and as the check of the sign.
* :func:`log_pfaffian_nonnegative` — :math:`\log\operatorname{Pf}A = \tfrac12\log\det A` from LAPACK's LU
  (BLAS-3, fast) for matrices whose Pfaffian is *known* to be :math:`\ge 0`: here :math:`\operatorname{Pf}U(R)`
  is a probability (REAL_GINIBRE.md §2), and :math:`\det A = (\operatorname{Pf} A)^2` fixes the modulus.
"""

from __future__ import annotations

import math

import numpy as np


def pfaffian_parlett_reid(A) -> tuple[float, float]:
    r"""Return ``(sign, log|Pf A|)`` of a real antisymmetric matrix (``(0.0, -inf)`` if singular).

    >>> J = np.array([[0.0, 2.0], [-2.0, 0.0]])
    >>> pfaffian_parlett_reid(J)[0], round(math.exp(pfaffian_parlett_reid(J)[1]), 12)
    (1.0, 2.0)
    >>> A = np.array([[0, 1, 2, 3], [-1, 0, 4, 5], [-2, -4, 0, 6], [-3, -5, -6, 0]], dtype=float)
    >>> s, l = pfaffian_parlett_reid(A); round(s * math.exp(l), 12)  # a12 a34 - a13 a24 + a14 a23
    8.0
    """
    A = np.array(A, dtype=np.float64)
    k = len(A)
    if k % 2 == 1:
        return 0.0, -math.inf
    sign, log_abs = 1.0, 0.0
    for i in range(0, k - 1, 2):
        p = i + 1 + int(np.argmax(np.abs(A[i + 1 :, i])))
        if p != i + 1:
            A[[i + 1, p], :] = A[[p, i + 1], :]
            A[:, [i + 1, p]] = A[:, [p, i + 1]]
            sign = -sign
        pivot = A[i, i + 1]
        if pivot == 0.0:
            return 0.0, -math.inf
        sign *= math.copysign(1.0, pivot)
        log_abs += math.log(abs(pivot))
        if i + 2 < k:
            tau = A[i, i + 2 :] / pivot
            col = A[i + 2 :, i + 1].copy()
            A[i + 2 :, i + 2 :] += np.outer(tau, col) - np.outer(col, tau)
    return sign, log_abs


def log_pfaffian_nonnegative(A) -> float:
    r""":math:`\log\operatorname{Pf}A = \tfrac12\log\det A` for :math:`A` antisymmetric with :math:`\operatorname{Pf}A \ge 0` known.

    Returns ``-inf`` when :math:`\det A \le 0` in floating point (the Pfaffian is below the resolution of
    the computation).

    >>> round(math.exp(log_pfaffian_nonnegative(np.array([[0.0, 0.5], [-0.5, 0.0]]))), 12)
    0.5
    """
    sign, logdet = np.linalg.slogdet(np.asarray(A, dtype=np.float64))
    if sign <= 0:
        return -math.inf
    return 0.5 * float(logdet)
