r"""Real eigenvalues of real Glorot matrices (THEORY.md §2): how many to expect, how likely all are real.

* Edelman–Kostlan–Shub (1994): the expected number :math:`E_n \sim \sqrt{2n/\pi}` of real eigenvalues
  (:func:`expected_real_eigenvalues`, with the hypergeometric closed form :func:`eks_closed_form`);
* Edelman (1997): :math:`P(\text{all real}) = 2^{-n(n-1)/4}` (:func:`prob_all_real`).

Example:
    >>> round(expected_real_eigenvalues(4), 6), prob_all_real(4)
    (1.944544, 0.125)
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from lrinit_verify import _validate as v

#: Width from which :func:`expected_real_eigenvalues` uses the hypergeometric closed form (O(1) work)
#: instead of the O(n) sum of double-factorial ratios.
EKS_SUM_MAX_WIDTH = 10**6


def expected_real_eigenvalues(n) -> float:
    r"""Edelman–Kostlan–Shub: expected number of real eigenvalues of an :math:`n\times n` real Glorot matrix.

    :math:`E_n = \sqrt2 \sum_{k=0}^{n/2-1} \frac{(4k-1)!!}{(4k)!!}` (:math:`n` even),
    :math:`E_n = 1 + \sqrt2 \sum_{k=1}^{(n-1)/2} \frac{(4k-3)!!}{(4k-2)!!}` (:math:`n` odd); :math:`E_n \sim \sqrt{2n/\pi}`.
    From :data:`EKS_SUM_MAX_WIDTH` on, the same paper's closed form (Cor. 5.3, O(1) work):
    :math:`E_n = \tfrac12 + \sqrt2\,{}_2F_1(1, -\tfrac12; n; \tfrac12) / B(n, \tfrac12)`.

    >>> expected_real_eigenvalues(1), round(expected_real_eigenvalues(2), 6)
    (1.0, 1.414214)
    >>> round(expected_real_eigenvalues(10**12) / math.sqrt(2e12 / math.pi), 9)
    1.0
    """
    n = v.positive_int("n", n)
    if n > EKS_SUM_MAX_WIDTH:
        return eks_closed_form(n)
    m = n // 2 if n % 2 == 0 else (n - 1) // 2
    if m == 0:
        return 1.0 if n == 1 else 0.0
    k = np.arange(1, m + 1, dtype=np.float64)
    if n % 2 == 0:
        # a_0 = 1, a_k = a_{k-1} (4k-3)(4k-1) / ((4k-2)(4k))
        ratios = (4 * k - 3) * (4 * k - 1) / ((4 * k - 2) * (4 * k))
        terms = np.concatenate(([1.0], np.cumprod(ratios[:-1])))
        return float(math.sqrt(2.0) * math.fsum(terms))
    # b_1 = 1/2, b_k = b_{k-1} (4k-5)(4k-3) / ((4k-4)(4k-2))
    ratios = (4 * k[1:] - 5) * (4 * k[1:] - 3) / ((4 * k[1:] - 4) * (4 * k[1:] - 2))
    terms = np.concatenate(([0.5], 0.5 * np.cumprod(ratios)))
    return float(1.0 + math.sqrt(2.0) * math.fsum(terms))


def eks_closed_form(n) -> float:
    r"""Edelman–Kostlan–Shub's hypergeometric form of :func:`expected_real_eigenvalues`, O(1) work at any width.

    :math:`E_n = \tfrac12 + \sqrt2\,{}_2F_1(1, -\tfrac12; n; \tfrac12) / B(n, \tfrac12)` (an independent route
    to the double-factorial sums), evaluated in mpmath at 30 digits.

    >>> round(eks_closed_form(1), 12), round(eks_closed_form(2), 12) == round(math.sqrt(2), 12)
    (1.0, True)
    """
    n = v.positive_int("n", n)
    with mpmath.workdps(30):  # scipy's betaln loses 1e-9 relative near n = 1e6; mpmath is exact here
        return float(0.5 + mpmath.sqrt(2) * mpmath.hyp2f1(1, -0.5, n, 0.5) / mpmath.beta(n, 0.5))


def prob_all_real(n) -> float:
    r"""Edelman (1997): :math:`P(\text{all eigenvalues of real Glorot are real}) = 2^{-n(n-1)/4}`.

    >>> prob_all_real(2) == 2 ** -0.5
    True
    """
    n = v.positive_int("n", n)
    return 2.0 ** (-n * (n - 1) / 4.0)
