r"""Exact rational kernels of the complex closed form (:mod:`lrinit_verify.theory.energy`).

:math:`S_{n,t} = \frac{(n)^{\uparrow}_{t+2} - (n)^{\downarrow}_{t+2}}{(t+1)(t+2)\,n^{t+1}}` with rising and
falling factorials, and its coefficients as a polynomial in :math:`1/n`.

>>> closed_form_exact(4, 2), closed_form_coefficients(2)
(Fraction(17, 16), (1, 0, 1))
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache


def rising(n, k):
    out = 1
    for i in range(k):
        out *= n + i
    return out


def falling(n, k):
    out = 1
    for i in range(k):
        out *= n - i
    return out


def closed_form_exact(n: int, t: int) -> Fraction:
    num = rising(n, t + 2) - falling(n, t + 2)
    return Fraction(num, (t + 1) * (t + 2) * n ** (t + 1))


@cache
def closed_form_coefficients(t: int) -> tuple[int, ...]:
    # (n)↑_m - (n)↓_m = 2 Σ_{m-k odd} c(m, k) n^k  (c: unsigned Stirling numbers of the first kind)
    m = t + 2
    rising = [1]  # coefficients of n^0, n^1, ... of (n)↑_j
    for i in range(m):
        rising = [
            (rising[k - 1] if k else 0) + i * (rising[k] if k < len(rising) else 0)
            for k in range(len(rising) + 1)
        ]
    out = []
    for j in range(t + 2):  # coefficient of n^{-j}: from n^{t+1-j}
        k = t + 1 - j
        coeff = Fraction(2 * rising[k] if (m - k) % 2 else 0, (t + 1) * (t + 2))
        if coeff.denominator != 1:
            raise ArithmeticError(f"t={t}: non-integer coefficient {coeff} of n^-{j}")
        out.append(int(coeff))
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return tuple(out)
